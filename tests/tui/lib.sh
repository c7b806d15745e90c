# lib.sh: TAP helpers for ttdb's shell tests (sourced by tests/tui/*.sh).
#
# The harness exports top_srcdir, top_builddir, TTDB, EXAMPLES, GOLDEN,
# VALGRIND (empty, or a wrapper that runs ttdb under valgrind) and a private
# HOME.  Run alone, the defaults below assume the build tree is the current
# folder.
#
#   run_ttdb ARGS...     ttdb in batch mode, stdin from /dev/null: stdout in
#                        $OUT, stderr in $ERR, exit status in $rc
#   check DESC CMD...    one TAP line: ok when CMD succeeds; on failure
#                        check_failed shows why as comments (by default the
#                        output of the last ttdb run; tmux-lib.sh: the screen)
#   skip_all N DESC WHY  skip the whole test's N checks and exit
#   out_has TEXT, err_has TEXT, out_lacks TEXT, err_lines N, status N

top_builddir=${top_builddir:-$(pwd)}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
TTDB=${TTDB:-$top_builddir/tui/ttdb}
EXAMPLES=${EXAMPLES:-$top_builddir/examples}
GOLDEN=${GOLDEN:-$top_srcdir/tests/golden}
VALGRIND=${VALGRIND:-}
TTDB_PLUGIN_PATH=${TTDB_PLUGIN_PATH:-$top_builddir/plugins/.libs}
export TTDB_PLUGIN_PATH
APPS=$top_builddir/tests/tui/apps
COUNTER=$APPS/counter.la
CHAIN=$APPS/chain.la
FAULTS=$APPS/faults.la
SCRIPTS=$top_srcdir/tests/tui/scripts

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/ttdb-test.XXXXXX") || exit 99
trap 'rm -rf "$TMPD"' EXIT
OUT=$TMPD/out
ERR=$TMPD/err
: >"$OUT"
: >"$ERR"
tap_n=0
rc=0

# The plan line.
plan() {
  echo "1..$1"
}

# Run ttdb (batch: stdin is not a terminal).
run_ttdb() {
  $VALGRIND "$TTDB" "$@" >"$OUT" 2>"$ERR" </dev/null
  rc=$?
}

# Run ttdb with a script on stdin.
run_ttdb_stdin() {
  input=$1
  shift
  printf '%s\n' "$input" | $VALGRIND "$TTDB" "$@" >"$OUT" 2>"$ERR"
  rc=$?
}

# One test: ok when the command succeeds.
check() {
  desc=$1
  shift
  tap_n=$((tap_n + 1))
  if "$@"; then
    echo "ok $tap_n - $desc"
  else
    echo "not ok $tap_n - $desc"
    check_failed "$@"
  fi
}
# What a failed check shows: the output of the last ttdb run.
check_failed() {
  echo "# failed: $*"
  echo "# exit status: $rc"
  sed -n '1,40s/^/# out: /p' "$OUT"
  sed -n '1,20s/^/# err: /p' "$ERR"
}

# Skip one test.
skip() {
  tap_n=$((tap_n + 1))
  echo "ok $tap_n - $1 # SKIP $2"
}
# Skip all N checks of a test whose requirements are missing (DESC 1..N).
skip_all() {
  for i in $(seq 1 "$1"); do skip "$2 $i" "$3"; done
  exit 0
}

out_has() { grep -F -q -e "$1" "$OUT"; }
out_lacks() { ! grep -F -q -e "$1" "$OUT"; }
err_has() { grep -F -q -e "$1" "$ERR"; }
err_empty() { ! [ -s "$ERR" ]; }
# Exactly N lines on stderr (bad input gives one clear line).
err_lines() { [ "$(wc -l <"$ERR")" -eq "$1" ]; }
status() { [ "$rc" -eq "$1" ]; }
# Both: the status and a text on stderr in one line.
fails_with() { [ "$rc" -eq "$1" ] && err_lines 1 && grep -F -q -e "$2" "$ERR"; }
# Line N of stdout (1-based).
out_line() { sed -n "$1p" "$OUT"; }

. "$top_srcdir/tests/wait-bounded.sh"

# Split an output into one file per seq: blocks between @@ and @@end after
# a line that names where the session is ("stopped: ... #N", "at #N ...").
split_dumps() {
  rm -rf "$2"
  mkdir -p "$2"
  awk -v dir="$2" '
    /^stopped: / || /^at #/ { n = split($0, w, "#"); seq = w[n] + 0;
                              if (/^at #/) { split(w[2], x, " "); seq = x[1] + 0 } }
    /^@@end$/ { inblk = 0; close(f); next }
    /^@@$/ { inblk = 1; f = dir "/" seq; if (seen[seq]++) f = "/dev/null"; printf "" > f; next }
    inblk { l = $0; sub(/  \(wall .*\)$/, "", l); print l >> f }
  ' "$1"
}
