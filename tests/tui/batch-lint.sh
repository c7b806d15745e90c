#!/bin/sh
# batch-lint.sh: `info lints` and `lint` (exit status 1 when there is any,
# for CI) on the faults app; quiet on every demo tour and on a plain run of
# every demo and reference module; the lints of the reference scenarios that
# commit faults on purpose; after goto, on a trace file; the settings.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 27

# Under valgrind every sparkle is many times slower: a demo's sparkle must
# not count as giant for that.
if [ -n "$VALGRIND" ]; then SLOW="set giant-sparkle 5000"; else SLOW="set entries off"; fi

# --- the faults app --------------------------------------------------------
run_ttdb -batch -ex "set entries off" -ex continue -ex lint "$FAULTS"
check "lint on a clean session: \"no lints\", status 0" eval 'status 0 && out_has "no lints" && err_empty'

# One giant sparkle exactly, the hog: under valgrind any sparkle can take
# 50 ms, so there the limit and the hog are longer.
if [ -n "$VALGRIND" ]; then GIANT=3000; else GIANT=50; fi
FAULTY="-ex 'set giant-sparkle $GIANT' -ex continue -ex 'call Sensor auth' -ex 'call Sensor sample' -ex 'call Sensor hog $((GIANT + 30))' -ex 'call Sensor flood 1200' -ex 'call Sensor ttsc__finish' -ex continue -ex 'finish Consumer' -ex continue -ex 'call Producer feed 1' -ex 'call Producer feed 2' -ex continue -ex 'call Sensor poll' -ex 'step 120'"
eval run_ttdb -batch -ex "'set entries off'" "$FAULTY" -ex "'info lints'" "$FAULTS"
check "info lints lists every kind, most serious first, and succeeds" eval 'status 0 &&
  [ "$(grep -E "^(error|warning|note) " "$OUT" | cut -d: -f1 | tr "\n" ,)" = "error unknown-state,error dead-letter,warning finish-ignored,warning stuck-tonic,warning giant-sparkle,note no-handler,note queue-growth," ]'
check "unknown-state names the tonic, sparkle, state and entry" eval 'out_has "error unknown-state: Sensor.ttsc__auth asked for state '"'"'authenticated'"'"', which Sensor does not have: ignored (1 time)" && out_has "    at #14"'
check "dead letters name the sender and their entries" eval 'out_has "error dead-letter: 2 dead letters: Consumer.ttsc__eat sent by Producer.ttsc__feed after Consumer had finished"'
check "an ignored finish says who may finish" eval 'out_has "warning finish-ignored: Sensor.ttsc__finish from outside was ignored (1 time): only Sensor itself or its base tt_main_catalyst may finish it"'
check "a stuck tonic: the first and last callback of its streak" eval 'out_has "warning stuck-tonic: Sensor stuck in state '"'"'idle'"'"': its timers fired 119 times without a state change (more than 100)"'
check "a giant sparkle gives its time and the limit" eval 'grep -q "^warning giant-sparkle: Sensor.ttsc__hog ran [0-9.]* ms (longer than $GIANT ms; 1 sparkle)" "$OUT" && out_has "    at #16"'
check "no handler: the state it found" eval 'out_has "note no-handler: Sensor.ttsc__sample has no handler in state '"'"'idle'"'"': nothing ran (1 time)" && out_has "    at #15"'
check "queue growth: the high-water mark and where" eval 'out_has "note queue-growth: the queue grew to 1201 pending orders after Sensor.ttsc__flood (more than 1000)" && out_has "    at #17"'

eval run_ttdb -batch -ex "'set entries off'" "$FAULTY" -ex lint -ex "'echo AFTERLINT'" "$FAULTS"
check "lint fails with the count when there are lints (status 1, one line)" eval 'fails_with 1 "lint: 7 lints (most serious first above)" && out_lacks AFTERLINT'
eval run_ttdb -batch -k -ex "'set entries off'" "$FAULTY" -ex lint -ex "'echo AFTERLINT'" "$FAULTS"
check "with -k the commands go on, the status still says 1" eval 'status 1 && out_has AFTERLINT'

run_ttdb -batch -ex "set entries off" -ex continue -ex "call Sensor flood 5" -ex continue -ex "call Producer feed 1" -ex continue -ex "call Sensor auth" -ex continue -ex "goto 21" -ex "info lints" -ex "goto 22" -ex "info lints" "$FAULTS"
check "after goto, the lints up to that point" eval 'status 0 && [ "$(grep -c "^no lints" "$OUT")" -eq 1 ] && out_has "error unknown-state: Sensor.ttsc__auth"'

run_ttdb -batch -ex "set entries off" -ex continue -ex "call Sensor flood 1500" -ex "call Sensor auth" -ex continue -ex "finish Consumer" -ex continue -ex "call Producer feed 1" -ex continue -ex "export $TMPD/faults.json" "$FAULTS"
run_ttdb -batch -ex "info lints" -trace "$TMPD/faults.json"
check "a trace file has its lints (queue growth is not in it)" eval 'status 0 && out_has "error unknown-state: Sensor.ttsc__auth" && out_lacks "queue-growth"'

sed 's/, "ran": "[a-z ]*"//g' "$TMPD/faults.json" >"$TMPD/python.json"
run_ttdb -batch -ex "info lints" -trace "$TMPD/python.json"
check "a trace without \"ran\" marks (as Python writes) still shows dead letters by their id -1" eval 'status 0 && out_has "error dead-letter: 1 dead letter: Consumer.ttsc__eat"'

# --- settings ----------------------------------------------------------------
run_ttdb -batch -ex "set giant-sparkle 500" -ex continue -ex "call Sensor hog 80" -ex continue -ex "set queue-growth 10" -ex "call Sensor flood 20" -ex continue -ex lint "$FAULTS"
check "set giant-sparkle raises the limit; set queue-growth lowers it" eval 'status 1 && out_lacks "giant-sparkle:" && out_has "note queue-growth: the queue grew to 20 pending orders"'
run_ttdb -batch -ex "set stuck-after 5" -ex continue -ex "call Sensor poll" -ex "step 7" -ex lint "$FAULTS"
check "set stuck-after N: more than N callbacks" eval 'status 1 && out_has "its timers fired 6 times without a state change (more than 5)"'
run_ttdb -batch -ex "set giant-sparkle soon" "$FAULTS"
check "a bad giant-sparkle names the setting and the unit" eval 'fails_with 1 "set giant-sparkle: expected milliseconds >= 0, not \"soon\""'
run_ttdb -batch -ex "set stuck-after -3" "$FAULTS"
check "a bad stuck-after names the setting" eval 'fails_with 1 "set stuck-after: expected a count >= 0, not \"-3\""'
run_ttdb -batch -ex "set giant-sparkle" -ex "set stuck-after" -ex "help info lints" -ex "help lint" "$FAULTS"
check "the settings and the commands have help" eval 'status 0 && out_has "giant-sparkle 50" && out_has "stuck-after   100" && out_has "info lints" && out_has "fail when there is any"'

# --- the demos stay quiet ------------------------------------------------------
# Their tours name files relative to the top of the source tree.
mkdir -p "$TMPD/work"
ln -s "$top_srcdir/examples" "$TMPD/work/examples"
cd "$TMPD/work" || exit 99
for d in traffic_light handshake chunked parent_infusions; do
  grep -v '^quit' "examples/$d.ttdb" >"$d.ttdb"
  run_ttdb -batch -ex "$SLOW" -x "$d.ttdb" -ex lint "$EXAMPLES/$d.la"
  check "$d: its tour gives no lints" eval 'status 0 && out_has "no lints"'
done
grep -v '^quit' examples/buggy.ttdb >buggy.ttdb
run_ttdb -batch -ex "$SLOW" -x buggy.ttdb -ex lint "$EXAMPLES/buggy.la"
check "buggy: a crash and the watchdog are no lints (the crash decides the status)" eval 'status 3 && out_has "no lints"'
quiet=0
for m in traffic_light handshake chunked parent_infusions buggy reference/single_dut \
    reference/state_fallback reference/hierarchy reference/chunked; do
  run_ttdb -batch -ex "$SLOW" -ex continue -ex "sparkle -finish" -ex lint "$EXAMPLES/$m.la"
  if [ "$rc" -ne 0 ] || ! out_has "no lints"; then
    echo "# $m:"
    sed 's/^/#   /' "$OUT" | tail -n 6
    quiet=1
  fi
done
check "every demo and reference module runs and finishes without a lint" [ "$quiet" -eq 0 ]

# The Python reference scenarios commit some faults on purpose (not giant
# sparkles: a sparkle may take 50 ms under valgrind or on a loaded machine).
grep -v '^quit' "$SCRIPTS/state_fallback.ttdb" >sf.ttdb
run_ttdb -batch -ex "set giant-sparkle 5000" -x sf.ttdb -ex lint "$EXAMPLES/reference/state_fallback.la"
check "state_fallback's scenario: the to_state to 'ajar' and two knocks without a handler" eval 'status 1 &&
  out_has "error unknown-state: Door.ttsc__to_state asked for state '"'"'ajar'"'"'" &&
  out_has "note no-handler: Door.ttsc__knock has no handler in no state" &&
  out_has "note no-handler: Door.ttsc__knock has no handler in state '"'"'locked'"'"'" && err_has "lint: 3 lints"'
grep -v '^quit' "$SCRIPTS/hierarchy.ttdb" >h.ttdb
run_ttdb -batch -ex "set giant-sparkle 5000" -x h.ttdb -ex lint "$EXAMPLES/reference/hierarchy.la"
check "hierarchy's scenario: a child's event to its finished parent, a finish from outside" eval 'status 1 &&
  out_has "error dead-letter: 1 dead letter: Parent.ttse__on_child_done sent by Child.ttsc__work after Parent had finished" &&
  out_has "warning finish-ignored: Child.ttsc__finish from outside was ignored (1 time): only Child itself or its base Parent may finish it"'
