#!/bin/sh
# timetravel.sh: one ttdb session of tests/tui/apps/chain.la with N sparkles,
# then one time-travel operation, for timing the operation as the difference
# between two whole processes (run from the build tree):
#
#   bench/timetravel.sh OP N [CK]   OP: none | goto | rs | verify
#
#   none     the session only: call Chain next N, continue
#   goto     ... then goto #(N/2): a replay of half the session
#   goto-end ... then goto #(last-1): a replay of all of it
#   rs       ... then reverse-step (one entry back)
#   rs20     ... then 20 reverse-steps, one at a time (time / 20: one
#            reverse-step, each from the nearest checkpoint)
#   verify   ... then verify (the whole session again, compared)
#
# CK: `off` runs with `set checkpoints off` (going back replays from the
# start; forward runs take no checkpoints), or a checkpoint interval.
#
# Time `OP` and `none` the same way (e.g. `/usr/bin/time -f %U+%S` or a
# benchmark harness, several runs, medians) and subtract.  doc/performance.md
# quotes the figures.
op=${1:-none}
n=${2:-1000000}
ck=${3:-}
case $ck in
  '') ckset= ;;
  off) ckset="set checkpoints off" ;;
  *) ckset="set checkpoint-interval $ck" ;;
esac
top_builddir=${top_builddir:-.}
app=$top_builddir/tests/tui/apps/chain.la
last=$((n + 6))
more=0
case $op in
  none) extra= ;;
  goto) extra="goto #$((n / 2))" ;;
  goto-end) extra="goto #$((last - 1))" ;;
  rs) extra="reverse-step" ;;
  rs20) extra="reverse-step" ; more=19 ;;
  verify) extra="verify" ;;
  *) echo "timetravel.sh: unknown operation '$op' (none, goto, goto-end, rs, rs20, verify)" >&2; exit 2 ;;
esac
set -- -ex "set entries off" ${ckset:+-ex "$ckset"} -ex "call Chain next $n" -ex continue \
  ${extra:+-ex "$extra"}
while [ "$more" -gt 0 ]; do
  set -- "$@" -ex "$extra"
  more=$((more - 1))
done
exec "$top_builddir/tui/ttdb" -batch -q "$@" "$app"
