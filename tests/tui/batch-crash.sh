#!/bin/sh
# batch-crash.sh: crashing and runaway sparkles, Ctrl-C, exit status 3.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 9

# The NULL dereference is a deliberate invalid write: not under valgrind.
vg=$VALGRIND
VALGRIND=
run_ttdb -batch -ex "set entries off" -ex "call Counter crash" -ex continue -ex "info trace 1" -ex "export $TMPD/crash.json" "$COUNTER"
VALGRIND=$vg
check "a NULL dereference stops the run as a crash" out_has "stopped: crashed: SIGSEGV in Counter.ttsc__crash"
check "the trace up to the crash can be read and exported" eval 'out_has "Counter.ttsc__crash() <- ttdb  idle -> idle  [crashed]" && grep -q ttsc__crash "$TMPD/crash.json"'
check "exit status 3 and a warning" eval 'status 3 && err_has "no longer trustworthy"'
run_ttdb -batch -ex "set entries off" -ex "call Counter divide 0" -ex continue -ex restart -ex "call Counter add 1" -ex continue -ex "info probes Counter" "$COUNTER"
check "SIGFPE; restart gives a fresh session" eval 'out_has "crashed: SIGFPE in Counter.ttsc__divide" && out_has "restarted" && out_has "count = 1"'
check "the exit status remembers the crash" status 3
run_ttdb -batch -ex "set watchdog 0.2" -ex "set entries off" -ex "call Counter spin" -ex continue "$COUNTER"
check "the watchdog stops a sparkle that never returns" eval 'status 3 && out_has "stopped: watchdog: Counter.ttsc__spin ran longer than 0.2s"'

# Ctrl-C: interrupt a long continue between two sparkles.
$VALGRIND "$TTDB" -batch -ex "set echo on" -ex "set entries off" -ex "call Chain next 2000000000" \
  -ex continue -ex "info runs" "$CHAIN" >"$OUT" 2>"$ERR" </dev/null &
pid=$!
# wait for the echo (the run is then under way), or for ttdb to end; the
# bound only turns a hang into a failure (ttdb under valgrind on a loaded
# machine can take far more than the 15 s this loop once allowed)
i=0
while ! grep -q "(ttdb) continue" "$OUT" 2>/dev/null && kill -0 $pid 2>/dev/null && [ $i -lt 3000 ]; do
  sleep 0.05; i=$((i + 1))
done
kill -INT $pid 2>/dev/null
wait_bounded $pid
rc=$?
check "SIGINT interrupts continue with stop condition interrupted" eval 'status 0 && out_has "stopped: interrupted;" && out_has "interrupted"'

# A second Ctrl-C while one sparkle does not return stops it.  The first
# continue runs the start-up sparkles to idle, so that the spin is the only
# sparkle of the second: a first Ctrl-C at any moment after its echo finds
# the run under way (the echo comes out then) and cannot stop it before the
# spin, as a run stops between sparkles only.  ttdb says on stderr that it
# heard that Ctrl-C; only then comes the second (two signals sent back to
# back could merge into one).  No timing: each step waits for an event.
$VALGRIND "$TTDB" -batch -ex "set echo on" -ex "set entries off" -ex continue -ex "call Counter spin" \
  -ex continue -ex "echo after" "$COUNTER" >"$OUT" 2>"$ERR" </dev/null &
pid=$!
i=0
until [ "$(grep -c '^(ttdb) continue' "$OUT" 2>/dev/null)" = 2 ] || ! kill -0 $pid 2>/dev/null || [ $i -ge 3000 ]; do
  sleep 0.02; i=$((i + 1))
done
kill -INT $pid 2>/dev/null
i=0
until grep -q "Ctrl-C again stops the sparkle" "$ERR" 2>/dev/null || ! kill -0 $pid 2>/dev/null || [ $i -ge 3000 ]; do
  sleep 0.02; i=$((i + 1))
done
kill -INT $pid 2>/dev/null
[ $i -ge 3000 ] && kill -KILL $pid 2>/dev/null # the first Ctrl-C went unheard
wait_bounded $pid
rc=$?
check "a second SIGINT stops a sparkle that does not return" eval 'status 3 && out_has "interrupted: Counter.ttsc__spin did not return; 1 sparkle (#11)" && out_has after && err_has "second Ctrl-C"'
run_ttdb -batch -ex "quit 0" "$COUNTER"
check "quit 0 overrides the status" status 0
