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
#   rc       ... with `break probe Chain.n == 1000` hit on the way (the
#            session stopped there, then continued to the end), then
#            reverse-continue back to it: a scan of the last ~1000 entries
#            (from the nearest checkpoint; from the start with CK off)
#   rc0      ... the same with a hit that is not there (`Chain.n == -1`):
#            reverse-continue scans the whole session and lands at #0
#   rc-none, rc0-none: their sessions without the reverse-continue
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
  rc) extra="reverse-continue" ; bp="break probe Chain.n == 1000" ;;
  rc0) extra="reverse-continue" ; bp="break probe Chain.n == -1" ;;
  rc-none) extra= ; bp="break probe Chain.n == 1000" ;;
  rc0-none) extra= ; bp="break probe Chain.n == -1" ;;
  *) echo "timetravel.sh: unknown operation '$op' (none, goto, goto-end, rs, rs20, verify, rc, rc0, rc-none, rc0-none)" >&2; exit 2 ;;
esac
# none-bp: the session of rc/rc0 without the reverse-continue
case $op in rc*) ;; *) bp= ;; esac
set -- -ex "set entries off" ${ckset:+-ex "$ckset"} -ex "call Chain next $n" \
  ${bp:+-ex "$bp"} -ex continue ${bp:+-ex continue} ${extra:+-ex "$extra"}
while [ "$more" -gt 0 ]; do
  set -- "$@" -ex "$extra"
  more=$((more - 1))
done
exec "$top_builddir/tui/ttdb" -batch -q "$@" "$app"
