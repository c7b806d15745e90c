#!/bin/sh
# run-fuzz.sh SRCDIR BUILDDIR TARGET...: what `make fuzz` runs.
#
# Runs each libFuzzer target BUILDDIR/fuzz/TARGET for FUZZ_SECONDS (default
# 60) on a copy of its seeds and kept regression inputs (in
# BUILDDIR/fuzz/run/TARGET/corpus, so the source tree's corpus stays as it
# is), with the dictionary SRCDIR/fuzz/TARGET.dict.  Prints one line per
# target with the executions and executions per second.  A crash, leak,
# timeout or out-of-memory input is copied to SRCDIR/fuzz/regress/TARGET/,
# where `make check` replays it from then on; the status is then 1.
#
# Environment: FUZZ_SECONDS, FUZZ_TIMEOUT (seconds one input may take,
# default 20), FUZZ_FLAGS (more libFuzzer options).

srcdir=${1:?usage: run-fuzz.sh SRCDIR BUILDDIR TARGET...}
builddir=${2:?usage: run-fuzz.sh SRCDIR BUILDDIR TARGET...}
shift 2
seconds=${FUZZ_SECONDS:-60}
timeout=${FUZZ_TIMEOUT:-20}

# the command target's app and plugins
FUZZ_APP="$builddir/fuzz/fuzz-app.la"
TTDB_PLUGIN_PATH="$builddir/plugins/.libs"
export FUZZ_APP TTDB_PLUGIN_PATH

failed=0
summary=
for t in "$@"; do
  prog="$builddir/fuzz/$t"
  run="$builddir/fuzz/run/$t"
  if [ ! -x "$prog" ]; then
    echo "run-fuzz: $prog is missing (configure with --enable-fuzzing)" >&2
    exit 2
  fi
  rm -rf "$run"
  mkdir -p "$run/corpus" "$run/artifacts" || exit 2
  for d in "$srcdir/fuzz/corpus/$t" "$srcdir/fuzz/regress/$t"; do
    [ -d "$d" ] && cp "$d"/* "$run/corpus/" 2>/dev/null
  done
  seeds=$(ls "$run/corpus" | wc -l)
  dict=
  [ -f "$srcdir/fuzz/$t.dict" ] && dict="-dict=$srcdir/fuzz/$t.dict"
  echo "run-fuzz: $t for ${seconds}s on $seeds inputs (log: $run/log)"
  # shellcheck disable=SC2086 # $dict and $FUZZ_FLAGS are word lists
  "$prog" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2560 \
    -print_final_stats=1 -artifact_prefix="$run/artifacts/" $dict \
    ${FUZZ_FLAGS:-} "$run/corpus" >"$run/log" 2>&1
  status=$?

  # executions: the final stats, else the last status line ("#1234 ...")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$run/log" | tail -n 1)
  [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$run/log" | tail -n 1)
  took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$run/log" | tail -n 1)
  [ -n "$took" ] && [ "$took" -gt 0 ] || took=$seconds
  rate=$(( ${execs:-0} / took ))
  corpus=$(ls "$run/corpus" | wc -l)
  crashes=0
  for a in "$run/artifacts"/crash-* "$run/artifacts"/leak-* \
           "$run/artifacts"/timeout-* "$run/artifacts"/oom-*; do
    [ -f "$a" ] || continue
    crashes=$((crashes + 1))
    mkdir -p "$srcdir/fuzz/regress/$t"
    cp "$a" "$srcdir/fuzz/regress/$t/" &&
      echo "run-fuzz: $t: kept $(basename "$a") in fuzz/regress/$t/"
  done
  line="$t: ${took}s, ${execs:-0} executions (${rate}/s), corpus $seeds -> $corpus, $crashes crashes"
  echo "run-fuzz: $line"
  summary="$summary
  $line"
  if [ "$crashes" -gt 0 ] || [ "$status" -ne 0 ]; then
    failed=1
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|==[0-9]+== ?ERROR: libFuzzer|fuzz-command:)' \
      "$run/log" | head -n 5 | sed 's/^/run-fuzz:   /'
    echo "run-fuzz:   reproduce: $prog INPUT (or fuzz/replay-${t#fuzz-} INPUT, without libFuzzer)"
  fi
done
echo "run-fuzz: summary$summary"
exit $failed
