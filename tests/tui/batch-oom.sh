#!/bin/sh
# batch-oom.sh: ttdb out of memory fails loudly: one line, exit status 1, no
# crash.  TTDB_TEST_FAIL_ALLOC=N makes ttdb's Nth own allocation fail (its
# own and jansson's, which reads trace files, contracts and JSON arguments);
# N runs through every allocation of a short scenario (every STRIDE-th under
# valgrind, where each run costs a second of CPU: about ten runs a
# scenario), until a run needs fewer than N.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 7

LIGHT=$EXAMPLES/traffic_light.la

# oom_loop STRIDE TTDB-ARGS...: runs ttdb with the 1st, 1+STRIDE-th, ...
# allocation failing until a run does not run out; sets runs, failed, n
# (the first N that did not fail) and bad (the runs that did not end as
# they must).
oom_loop() {
  stride=$1
  shift
  [ -z "$VALGRIND" ] && stride=1
  n=1 runs=0 failed=0 bad=
  while [ $n -lt 5000 ]; do
    export TTDB_TEST_FAIL_ALLOC=$n
    run_ttdb "$@"
    unset TTDB_TEST_FAIL_ALLOC
    runs=$((runs + 1))
    if ! grep -q "out of memory" "$ERR"; then
      break # the scenario needed fewer allocations than n
    fi
    failed=$((failed + 1))
    # exit status 1, and the message is stderr's only line about memory, last
    if [ "$rc" -ne 1 ] || [ "$(tail -n 1 "$ERR")" != "ttdb: out of memory" ] ||
       [ "$(grep -c "out of memory" "$ERR")" -ne 1 ]; then
      bad="$bad $n(rc=$rc)"
    fi
    n=$((n + stride))
  done
  echo "# $runs runs, $failed of them out of memory at allocation 1..$((n - stride)) (stride $stride)"
}

oom_loop 25 -batch -ex "set echo on" -ex "step 3" -ex "display Light.cycles" \
  -ex "call Light press_button" -ex "step 20" -ex "info trace" -ex "info tonics" \
  -ex "info display" -ex "print Light.walk" -ex "export $TMPD/oom.json" "$LIGHT"
check "every failed allocation: \"ttdb: out of memory\", status 1, no crash" eval '[ -z "$bad" ] && [ $((n - stride)) -gt 200 ]'
check "the session finishes when nothing fails" eval 'status 0 && out_has "walk" && [ -s "$TMPD/oom.json" ]'
check "the loop reached the end of the session" eval '[ $n -lt 5000 ]'

# jansson's allocations: a trace file read back, a contract file.  ttdb's
# own make about 40 and 60 of these scenarios' allocations; with jansson's
# counted too, the failures reach past 300 and 80.
run_ttdb -batch -q -ex "set entries off" -ex "step 5" -ex "export $TMPD/five.json" "$LIGHT"
oom_loop 60 -batch -q -trace "$TMPD/five.json" -ex "info trace" -ex "info tonics"
check "loading a trace file (jansson) out of memory: one line, status 1, no crash" \
  eval '[ -z "$bad" ] && [ $((n - stride)) -gt 300 ] && [ $n -lt 5000 ]'
check "... and it loads when nothing fails" eval 'status 0 && out_has "Light"'
oom_loop 10 -batch -ex "set entries off" -ex "until contract $top_srcdir/examples/handshake-contract.json" \
  "$EXAMPLES/handshake.la"
check "a contract file (jansson) out of memory: one line, status 1, no crash" \
  eval '[ -z "$bad" ] && [ $((n - stride)) -gt 80 ] && [ $n -lt 5000 ]'
check "... and it is met when nothing fails" eval 'status 0 && out_has "stopped"'
