#!/bin/sh
# ttrun-flood.sh: ttrun stops under posting load (issue 15, item 3).
#
# tests/mod-flood.la posts from 16 threads without pause and sends itself
# SIGINT after 200,000 accepted posts: the stop must overtake the backlog,
# the threads get backpressure and then -TT_ECATFINISHED, and ttrun exits 0.
# With TT_FLOOD_HANG a sparkle never returns; SIGINT then SIGTERM: the second
# stop signal ends ttrun at once (status 128 + 15).  Nothing here sleeps: the
# module signals itself.  `timeout` only turns a hang into a failure, and
# `ulimit -v` turns an unbounded backlog into one.  Prints TAP.
#
# Environment: top_builddir (default: the current folder), VALGRIND.
top_builddir=${top_builddir:-$(pwd)}
VALGRIND=${VALGRIND:-}
ttrun=$top_builddir/src/ttrun
mod=$top_builddir/tests/mod-flood.la

if [ ! -x "$ttrun" ] || [ ! -f "$mod" ]; then
  echo "1..0 # SKIP ttrun or tests/mod-flood.la is not built (make check builds them)"
  exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tt-flood.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
OUT=$tmp/out
ERR=$tmp/err
n=0

# AddressSanitizer reserves terabytes of shadow address space at start-up,
# so in a sanitizer build the address-space limit is left out (the normal
# build keeps it; `timeout` still turns a runaway into a failure).
limit=4000000
case $(sed -n 's/^SAN_CFLAGS = //p' "$top_builddir/Makefile" 2>/dev/null) in
  *sanitize=*address*) limit=unlimited ;;
esac

run() {
  (ulimit -v $limit 2>/dev/null; exec timeout -s KILL 300 $VALGRIND "$ttrun" "$@") \
    >"$OUT" 2>"$ERR" </dev/null
  rc=$?
}

check() {
  desc=$1
  shift
  n=$((n + 1))
  if "$@"; then
    echo "ok $n - $desc"
  else
    echo "not ok $n - $desc (status $rc)"
    sed 's/^/# stdout: /' "$OUT"
    sed 's/^/# stderr: /' "$ERR"
  fi
}

echo "1..2"

run "$mod"
check "SIGINT under posting load from 16 threads: finishes, status 0" \
  eval '[ $rc -eq 0 ] && grep -q "^stopped after [0-9]* posts, refused: stopping$" "$OUT"'

TT_FLOOD_HANG=1 run "$mod"
check "a second stop signal ends ttrun at once (status 143), saying so" \
  eval '[ $rc -eq 143 ] && grep -q "second stop signal" "$ERR"'
