#!/bin/sh
# golden.sh: each reference scenario driven entirely by a ttdb script
# (tests/tui/scripts/NAME.ttdb); its `sparkle -json` lines must match the
# golden traces of the Python Distiller after the reference README's
# normalization (tests/tui/golden-compare.c).
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 8
COMPARE=$top_builddir/tests/tui/golden-compare

for s in single_dut state_fallback hierarchy chunked; do
  app=$EXAMPLES/reference/$s.la
  if ! [ -f "$app" ]; then
    skip "$s: ttdb script runs" "no $app"
    skip "$s: runs match the golden file" "no $app"
    continue
  fi
  run_ttdb -batch -x "$SCRIPTS/$s.ttdb" "$app"
  check "$s: ttdb script runs" eval 'status 0 && err_empty'
  case $s in
    # ttdb cannot empty the Door's events list between calls: compare what
    # each sparkle appended; step 2 is the README's deliberate difference 1
    # (no state: the generic handler, not the last state's).
    state_fallback) opts="--delta events --expect 2.1.events=[]" ;;
    *) opts= ;;
  esac
  # shellcheck disable=SC2086
  "$COMPARE" $opts "$GOLDEN/$s.json" "$OUT" >"$TMPD/cmp" 2>&1
  crc=$?
  tap_n=$((tap_n + 1))
  if [ $crc -eq 0 ]; then
    echo "ok $tap_n - $s: runs match the golden file"
  else
    echo "not ok $tap_n - $s: runs match the golden file"
    sed 's/^/# /' "$TMPD/cmp" | head -60
  fi
done
