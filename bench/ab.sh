#!/bin/sh
# ab.sh: time two commands as whole processes, in turn (A B A B ...), and
# print the median CPU time (user + system) of each and the median of the
# ratios A/B pair by pair, so that a comparison holds on a shared machine
# whose speed drifts.  The figures of doc/performance.md were measured this
# way.  Needs python3 (for getrusage: microseconds, where GNU time gives
# hundredths).
#
#   sh bench/ab.sh [-n RUNS] 'COMMAND A' 'COMMAND B'
#
# Each command is run by sh -c with its output thrown away, once before the
# counted runs (a warm-up), then RUNS times (default 5).
set -e
runs=5
if [ "$1" = -n ]; then
  runs=$2
  shift 2
fi
if [ $# -ne 2 ] || ! [ "$runs" -ge 1 ] 2>/dev/null; then
  echo "usage: sh bench/ab.sh [-n RUNS] 'COMMAND A' 'COMMAND B'" >&2
  exit 2
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "ab.sh: python3 is missing (apt-get install python3)" >&2
  exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ab.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# cpu CMD: the CPU seconds of one run of CMD
cpu() {
  python3 -c 'import resource, subprocess, sys
subprocess.run(["sh", "-c", sys.argv[1]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.4f" % (r.ru_utime + r.ru_stime))' "$1"
}
cpu "$1" >/dev/null
cpu "$2" >/dev/null
i=0
while [ $i -lt "$runs" ]; do
  a=$(cpu "$1")
  b=$(cpu "$2")
  echo "$a $b" >>"$tmp/pairs"
  i=$((i + 1))
done
median() { sort -g | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.4f", m }'; }
ma=$(awk '{ print $1 }' "$tmp/pairs" | median)
mb=$(awk '{ print $2 }' "$tmp/pairs" | median)
mr=$(awk '{ printf "%.4f\n", ($2 > 0 ? $1 / $2 : 0) }' "$tmp/pairs" | median)
printf 'A cpu %s s, B cpu %s s, A/B %.2f (medians of %s pairs): A = %s; B = %s\n' "$ma" "$mb" "$mr" "$runs" "$1" "$2"
