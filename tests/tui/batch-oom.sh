#!/bin/sh
# batch-oom.sh: ttdb out of memory fails loudly: one line, exit status 1, no
# crash.  TTDB_TEST_FAIL_ALLOC=N makes ttdb's Nth own allocation fail; N
# runs through every allocation of a short session (every 10th under
# valgrind, which is slow), until a run needs fewer than N.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 3

LIGHT=$EXAMPLES/traffic_light.la
stride=1
[ -n "$VALGRIND" ] && stride=10
n=1 runs=0 failed=0 bad=
while [ $n -lt 5000 ]; do
  export TTDB_TEST_FAIL_ALLOC=$n
  run_ttdb -batch -ex "set echo on" -ex "step 3" -ex "display Light.cycles" \
    -ex "call Light press_button" -ex "step 20" -ex "info trace" -ex "info tonics" \
    -ex "info display" -ex "print Light.walk" -ex "export $TMPD/oom.json" "$LIGHT"
  unset TTDB_TEST_FAIL_ALLOC
  runs=$((runs + 1))
  if ! grep -q "out of memory" "$ERR"; then
    break # the session needed fewer allocations than n
  fi
  failed=$((failed + 1))
  # exit status 1, and the message is stderr's only line about memory, last
  if [ "$rc" -ne 1 ] || [ "$(tail -n 1 "$ERR")" != "ttdb: out of memory" ] ||
     [ "$(grep -c "out of memory" "$ERR")" -ne 1 ]; then
    bad="$bad $n(rc=$rc)"
  fi
  n=$((n + stride))
done
echo "# $runs runs, $failed of them out of memory at allocation 1..$((n - stride))"
check "every failed allocation: \"ttdb: out of memory\", status 1, no crash" eval '[ -z "$bad" ] && [ $failed -gt 20 ]'
check "the session finishes when nothing fails" eval 'status 0 && out_has "walk" && [ -s "$TMPD/oom.json" ]'
check "the loop reached the end of the session" eval '[ $n -lt 5000 ]'
