#!/bin/sh
# replay.sh: run every seed (fuzz/corpus/TARGET/) and every kept crash input
# (fuzz/regress/TARGET/) through each fuzz target, built with fuzz/replay.c
# as main() (fuzz/replay-NAME for TARGET fuzz-NAME), one TAP line per target.
# A target that aborts, crashes or reports a sanitizer error fails its line;
# the input it was running is shown.  No libFuzzer needed.
#
# Environment (from `make check`): top_srcdir, top_builddir; VALGRIND (empty
# or the valgrind wrapper).  FUZZ_APP is set for fuzz-command and fuzz-dap.

: "${top_srcdir:?run me from make check}"
: "${top_builddir:?run me from make check}"

targets="fuzz-contract fuzz-value-parse fuzz-command fuzz-trace fuzz-dap"
FUZZ_APP="$top_builddir/fuzz/fuzz-app.la"
export FUZZ_APP

tmp=${TMPDIR:-/tmp}/replay.$$
mkdir "$tmp" || exit 99
trap 'rm -rf "$tmp"' EXIT

set -- $targets
echo "1..$#"
n=0
for t in $targets; do
  n=$((n + 1))
  prog="$top_builddir/fuzz/replay-${t#fuzz-}"
  seeds="$top_srcdir/fuzz/corpus/$t"
  regress="$top_srcdir/fuzz/regress/$t"
  nseeds=0
  nregress=0
  [ -d "$seeds" ] && nseeds=$(ls "$seeds" | wc -l)
  [ -d "$regress" ] && nregress=$(ls "$regress" | wc -l)
  dirs=
  [ -d "$seeds" ] && dirs="$seeds"
  [ -d "$regress" ] && dirs="$dirs $regress"
  if [ ! -x "$prog" ]; then
    echo "not ok $n - $t: $prog is missing"
    continue
  fi
  if [ "$nseeds" -eq 0 ]; then
    echo "not ok $n - $t: no seeds in fuzz/corpus/$t"
    continue
  fi
  # shellcheck disable=SC2086 # $VALGRIND and $dirs are word lists
  $VALGRIND "$prog" $dirs >"$tmp/out" 2>"$tmp/err"
  status=$?
  replayed=$(sed -n 's/^replayed \([0-9]*\) inputs$/\1/p' "$tmp/out")
  want=$((nseeds + nregress))
  if [ "$status" -eq 0 ] && [ "$replayed" = "$want" ]; then
    echo "ok $n - $t: $nseeds seeds, $nregress regression inputs"
  else
    echo "not ok $n - $t: exit status $status, replayed ${replayed:-none} of $want inputs"
    last=$(grep '^replay: ' "$tmp/err" | tail -n 1)
    echo "# last input: ${last#replay: }"
    tail -n 40 "$tmp/err" | sed 's/^/# /'
  fi
done
