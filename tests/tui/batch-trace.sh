#!/bin/sh
# batch-trace.sh: post-mortem: ttdb opens trace files (-trace FILE, FILE.json,
# `file FILE.json`); nothing can run; bad and cut-short files.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 19

# A session export and a last-run export of the counter app.
run_ttdb -batch -ex "set entries off" -ex "step 3" -ex continue -ex "export $TMPD/s.json" -ex "export $TMPD/l.json -last" "$COUNTER"
n_all=$(grep -o '"seq": ' "$TMPD/s.json" | wc -l)

run_ttdb -batch -ex "info runs" -ex "info tonics" "$TMPD/s.json"
check "FILE.json opens as a recorded trace" eval 'status 0 && err_empty && out_has "s.json: a recorded trace: 2 runs, $n_all entries (#1-#$n_all)" && out_has "nothing can run" && out_has "Counter"'

run_ttdb -batch -q -ex "export $TMPD/again.json" -trace "$TMPD/s.json"
check "-trace FILE; export writes the same trace again" eval 'status 0 && cmp "$TMPD/s.json" "$TMPD/again.json"'

run_ttdb -batch -q -ex "info entry $n_all" -ex "info trace 1" -trace "$TMPD/l.json"
check "a last-run export keeps its entry numbers" eval 'status 0 && out_has "\"seq\": $n_all"'
run_ttdb -batch -q -ex "info entry 2" -trace "$TMPD/l.json"
check "an entry the file does not hold is named" fails_with 1 "no trace entry #2 (the trace holds #"

for cmd in step continue "until state Counter done" "sparkle" "advance 1" "call Counter ttsc__bump" "finish Counter"; do
  run_ttdb -batch -q -ex "$cmd" "$TMPD/s.json"
  fails_with 1 "this is a recorded trace: nothing can run" || { echo "# $cmd"; break; }
done
check "commands that run fail with one line" fails_with 1 "this is a recorded trace: nothing can run"
for cmd in step continue reverse-step reverse-continue "goto 1"; do
  run_ttdb -batch -q -ex "$cmd" "$TMPD/s.json"
  fails_with 1 "nothing can run: ${cmd%% *}" || { echo "# $cmd"; break; }
  err_has "a recorded trace has no app; every entry is there already: \`info trace\`" || { echo "# $cmd"; break; }
done
check "step, continue, reverse-step, reverse-continue and goto say why and what instead" \
  eval 'fails_with 1 "nothing can run: goto replays the app"'
run_ttdb -batch -trace "$EXAMPLES/.libs/traffic_light.so"
check "-trace on an app module says so and how to open it" \
  fails_with 1 "traffic_light.so: an ELF file (a program or an app module), not a trace (JSON): to debug an app module, open it without -trace: ttdb "

# A trace does not name the classes: each tonic has its own states and the
# sparkles it ran (all shared one made-up class, whose states and handler
# functions every tonic listed).
run_ttdb -batch -ex "set entries off" -ex "call Counter ping" -ex "call Counter start 1" -ex continue -ex "export $TMPD/w.json" "$COUNTER"
run_ttdb -batch -q -ex "info states Worker" -ex "info sparkles Worker" -ex "info states Counter" -ex "break Worker.work" "$TMPD/w.json"
check "a recorded tonic shows its own states and the sparkles it ran, no made-up C function" \
  eval 'status 0 && out_has "Worker has no states" && out_has "* 1 done" && grep -q "^ttsc__work  *(ran in the trace)" "$OUT" && ! out_has "Recorded_" && out_has "breakpoint 1: sparkle Worker.ttsc__work"'

# ttdb's traces say each tonic's base by the cause of its creation (the
# sparkle that ran tt_tonic_new); one without the extension fields (as the
# Python Distiller writes) does not, and the base is not guessed.
run_ttdb -batch -q -ex "info tonics" "$TMPD/s.json"
check "a base follows from the creation's cause in ttdb's own trace" eval 'status 0 && out_has "  1 Counter [idle] (Recorded)" && out_has "    2 Worker [--] (Recorded)" && out_lacks "(base not in the trace)"'
sed 's/, "seq": [0-9]*//g; s/, "vt": [0-9.e+-]*//g; s/, "cause": [0-9]*//g' "$TMPD/s.json" >"$TMPD/plain.json"
run_ttdb -batch -q -ex "info tonics" "$TMPD/plain.json"
check "a base the trace does not say is shown as unknown, not guessed" eval 'status 0 && out_has "  1 Counter [idle] (Recorded) (base not in the trace)" && out_has "  2 Worker [--] (Recorded) (base not in the trace)"'

ok=0
for cmd in "goto #2|goto replays the app up to an entry" "save-test $TMPD/x.ttdb|save-test writes a test that replays" "set var Counter.count = 3|set var changes a probe of a running app"; do
  run_ttdb -batch -q -ex "${cmd%%|*}" "$TMPD/s.json"
  fails_with 1 "${cmd#*|}" || { echo "# ${cmd%%|*}"; ok=1; break; }
done
check "goto, save-test and set var on a trace say why not and what to do instead" eval '[ $ok -eq 0 ]'

run_ttdb -batch -q -ex "export $TMPD/t.csv" -ex "export $TMPD/t.chrome.json" -ex "export $TMPD/t.mmd" -ex "export $TMPD/t.dot" "$TMPD/s.json"
check "every exporter works on a recorded trace" eval 'status 0 && [ -s "$TMPD/t.csv" ] && [ -s "$TMPD/t.chrome.json" ] && [ -s "$TMPD/t.mmd" ] && [ -s "$TMPD/t.dot" ]'

run_ttdb -batch -q -ex "file $TMPD/l.json" -ex "restart" -ex "info runs" "$COUNTER"
check "file FILE.json and restart reopen the trace" eval 'status 0 && out_has "l.json: a recorded trace: 1 run" && out_has "restarted"'

# Bad input: one line naming the file, the position and what was expected.
printf 'hello\n' >"$TMPD/bad.json"
run_ttdb -batch -q "$TMPD/bad.json"
check "not JSON: one line with file, line and column" fails_with 1 "$TMPD/bad.json:1:1: not valid JSON"
printf '{"tonics": {}}\n' >"$TMPD/other.json"
run_ttdb -batch -q -trace "$TMPD/other.json"
check "JSON that is not a trace" fails_with 1 "$TMPD/other.json:1:1: run 1: expected a run object with \"sparkle_trace\""
sed 's/"sparkle": "_ttss__on_start", //' "$TMPD/l.json" | head -c 100000 >"$TMPD/miss.json"
run_ttdb -batch -q -trace "$TMPD/miss.json"
check "an entry without a field" eval 'fails_with 1 "$TMPD/miss.json:1:" && err_has "missing \"sparkle\""'
run_ttdb -batch -q -trace "$TMPD/none.json"
check "a missing file" fails_with 1 "$TMPD/none.json: cannot open"

# A trace cut short (a crash while writing): up to its last whole entry.
head -c "$(($(wc -c <"$TMPD/s.json") - 200))" "$TMPD/s.json" >"$TMPD/cut.json"
run_ttdb -batch -q -ex "info runs" "$TMPD/cut.json"
check "a cut trace opens with a warning" eval 'status 0 && err_lines 1 && err_has "warning: the trace is cut short; opened up to its last whole entry" && out_has "#1-"'

# The extra sparkles of a state change are marked when the trace is read
# back: `why` says the same of every entry live and post-mortem.
T=$EXAMPLES/traffic_light.la
whys() { s=1; while [ $s -le 30 ]; do echo "why #$s"; s=$((s + 1)); done; }
whys >"$TMPD/whys.ttdb"
run_ttdb -batch -k -ex "set entries off" -ex "step 30" -ex "export $TMPD/tl.json" -x "$TMPD/whys.ttdb" "$T"
# (the links; a timer's argument is printed otherwise from the file)
sed -n '/^#1 /,$p' "$OUT" | sed 's/(.*)$/()/' >"$TMPD/whys.live"
run_ttdb -batch -q -k -x "$TMPD/whys.ttdb" -trace "$TMPD/tl.json"
sed 's/(.*)$/()/' "$OUT" >"$TMPD/whys.file"
check "why reads the same from a trace file as live (state changes included)" eval \
  'grep -q "state change in" "$TMPD/whys.live" && diff "$TMPD/whys.live" "$TMPD/whys.file" | sed "s/^/# /" && cmp -s "$TMPD/whys.live" "$TMPD/whys.file"'
