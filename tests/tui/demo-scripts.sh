#!/bin/sh
# demo-scripts.sh: every demo's ttdb script (examples/NAME.ttdb) runs through
# to its end on the demo it was written for, as examples/README.md tells a
# reader to run it from the top of the source tree.  The scripts name files
# relative to that folder and export into the current one, so they run in a
# private folder where `examples` leads to the source tree's.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 10

mkdir -p "$TMPD/work"
ln -s "$top_srcdir/examples" "$TMPD/work/examples"
cd "$TMPD/work" || exit 99

for demo in traffic_light handshake chunked parent_infusions buggy; do
  run_ttdb -batch -x "examples/$demo.ttdb" "$EXAMPLES/$demo.la"
  want=0
  [ $demo = buggy ] && want=3 # it crashes on purpose: exit status 3
  check "$demo.ttdb runs to its end (exit status $want)" eval \
    "status $want && out_has 'stopped:' && [ -s '$demo-trace.json' ]"
  # No error line; buggy reports its crash as it should.
  if [ $demo = buggy ]; then
    check "$demo.ttdb: the crash is reported, the trace exported" eval \
      "out_has 'crashed: SIG' && err_has 'no longer trustworthy'"
  else
    check "$demo.ttdb: no error (warnings allowed)" eval "! grep -v 'warning:' '$ERR' | grep -q ."
  fi
done
