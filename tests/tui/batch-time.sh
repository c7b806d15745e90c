#!/bin/sh
# batch-time.sh: causality and time travel in batch mode: why, caused,
# goto, reverse-step, reverse-continue, the recorded future, verify.
#
# The main check: for every seq of a scenario, `goto #SEQ` (and a chain of
# reverse-steps from the end) lands in exactly the state that a fresh
# forward run reaches there: the same `info tonics`, `info queue`,
# `info timers`, `info probes` and trace.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 18
WALLCLOCK=$APPS/wallclock.la

# The scenario: inputs between steps.
SCENARIO='call Counter start 1
step 4
call Counter ping
step 3
advance 0.5
step 6
call Counter add 5
step 5'
DUMP='echo @@
info tonics
info queue
info timers
info probes Counter
info probes Worker
info trace 1000
echo @@end'

# The scenario one step at a time (each lands after a whole drain), and
# the reference: the same with a dump after each step.
expand() {
  echo "$SCENARIO" | while read -r cmd n; do
    if [ "$cmd" = step ]; then
      i=0
      while [ $i -lt "$n" ]; do
        echo "step 1"
        [ -n "$1" ] && echo "$DUMP"
        i=$((i + 1))
      done
    else
      echo "$cmd $n"
    fi
  done
}
{
  echo "set entries off"
  echo "echo stopped: #0"
  echo "$DUMP"
  expand dump
} >"$TMPD/ref.ttdb"
run_ttdb -batch -k -x "$TMPD/ref.ttdb" "$COUNTER"
cp "$OUT" "$TMPD/ref.out"
check "the reference run works" out_has "@@end"

split_dumps "$TMPD/ref.out" "$TMPD/ref"
last=$(ls "$TMPD/ref" | sort -n | tail -1)
check "the scenario ran to #$last" test "$last" -gt 20

# The whole scenario, then COMMAND (with #SEQ for 0..last) and a dump,
# once for every seq.
travel_script() {
  echo "set entries off"
  expand
  s=0
  while [ $s -le "$last" ]; do
    echo "$1" | sed "s/SEQ/$s/"
    echo "$DUMP"
    s=$((s + 1))
  done
}

# goto every seq after the whole scenario.
travel_script "goto #SEQ" >"$TMPD/goto.ttdb"
run_ttdb -batch -k -x "$TMPD/goto.ttdb" "$COUNTER"
only_worker_errors() { ! grep -v 'unknown tonic "Worker"' "$ERR" | grep -q .; }
check "goto to every seq works" only_worker_errors
split_dumps "$OUT" "$TMPD/goto"
same_as_ref() {
  bad=0
  for f in "$1"/*; do
    if ! cmp -s "$f" "$TMPD/ref/${f##*/}"; then
      echo "# differs at #${f##*/}:"
      diff "$TMPD/ref/${f##*/}" "$f" | sed 's/^/# /' | head -20
      bad=1
    fi
  done
  [ $bad = 0 ] && [ "$(ls "$1" | wc -l)" -gt 3 ]
}
check "every goto lands in the state of the forward run" same_as_ref "$TMPD/goto"
check "a goto inside a state change says where it lands" \
  out_has "is inside a state change: at #"

# reverse-step from the end, one at a time, back to #0.
travel_script "rs" >"$TMPD/rs.ttdb"
run_ttdb -batch -k -x "$TMPD/rs.ttdb" "$COUNTER"
split_dumps "$OUT" "$TMPD/rs"
check "every reverse-step lands in the state of the forward run" same_as_ref "$TMPD/rs"
check "reverse-step reaches #0" test -f "$TMPD/rs/0"

# The recorded future: forward after a goto replays the same inputs.
{
  echo "set entries off"
  expand
  echo "goto #3"
  echo "step 100"
  echo "$DUMP"
  echo "goto #3"
  echo "call Counter add 1"
  echo "verify"
} >"$TMPD/future.ttdb"
run_ttdb -batch -k -x "$TMPD/future.ttdb" "$COUNTER"
split_dumps "$OUT" "$TMPD/future"
check "forward after goto replays the recorded future to the same end" \
  cmp -s "$TMPD/future/$last" "$TMPD/ref/$last"
check "a new input drops the recorded future, once" \
  eval 'out_has "a new future starts here: the recorded one (to #'"$last"') is dropped" && [ "$(grep -c "a new future starts here" "$OUT")" = 1 ]'
check "verify after a new future" out_has "deterministic: 3 entries identical"

# why: an external call, a timer, an extra sparkle, an infusion's event.
run_ttdb -batch -ex "set entries off" -ex "call Counter start 1" -ex "step 20" \
  -ex "why #15" -ex "why #9" -ex "why #13" -ex "caused #8" "$COUNTER"
check "why: an external call is its own root" \
  eval 'out_has "#8 Counter.ttsc__start(1.0)" && out_has "<- input: call from ttdb"'
check "why: a timer callback goes back to the entry that started the timer" \
  eval 'out_has "<- timer tick started in #8"'
check "why: an extra sparkle goes back to the state change" \
  out_has "<- state change in #8"
check "why: an infusion's event goes back to the entry that created it" \
  eval 'out_has "<- Worker created in #5" && out_has "<- #5 Counter.ttse__on_start()"'
check "caused: the tree of what #8 set off, indented" \
  eval 'out_has "  #9 Counter.ttse__on_exit()" && out_has "    #18 Counter.ttse__on_exit()"'

# verify: every demo is deterministic; an app that reads the clock is not.
ok=1
for app in traffic_light handshake chunked parent_infusions; do
  run_ttdb -batch -ex "set entries off" -ex "continue" -ex "verify" "$EXAMPLES/$app.la"
  out_has "deterministic: " || { ok=0; echo "# $app: $(cat "$OUT" "$ERR")"; }
done
check "verify passes on the demos" test $ok = 1
run_ttdb -batch -ex "set entries off" -ex "continue" -ex "verify" "$WALLCLOCK"
check "verify shows the first divergence of an app that reads the clock" \
  eval 'status 1 && out_has "diverged at #" && out_has "(args)" && out_has "  session: " && out_has "  replay : " && err_has "depends on something outside the Distiller"'

# verify copies the module into a folder under $TMPDIR (a /tmp mounted
# noexec or full must not be forced on the user).
# (Under valgrind, which keeps its own files in TMPDIR, this cannot run.)
if [ -n "${VALGRIND:-}" ]; then
  skip "verify makes its folder under TMPDIR" "valgrind needs TMPDIR itself"
else
  TMPDIR=$TMPD/no-such-folder run_ttdb -batch -ex "step 3" -ex "verify" "$EXAMPLES/traffic_light.la"
  check "verify makes its folder under TMPDIR, naming it when it cannot" \
    eval 'status 1 && err_has "verify: cannot make a temporary folder $TMPD/no-such-folder/ttdb-verify-"'
fi
