#!/bin/sh
# compile-fail.sh: a TT_ON whose listed parameter types differ from the
# handler's prototype must not compile, and the error must name TT_ON; the
# matching TT_ON must compile cleanly (-Wall -Wextra -Werror).  Prints TAP.
#
# Environment: CC (default cc), CFLAGS (added), top_srcdir (for src/).
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
CC=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tt-compile-fail.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
n=0

# The handler `Foo_ttsc__work(tt_tonic *, int64_t)` and a registration line.
write() {
  cat >"$tmp/$1.c" <<EOF
#include <stdint.h>
#include "tasktonic.h"

static void Foo_ttsc__work(tt_tonic *self, int64_t x) { (void)self; (void)x; }
static void Foo_ttsc__name(tt_tonic *self, const char *s) { (void)self; (void)s; }

const tt_handler foo_handlers[] = {
    $2,
    TT_ON(Foo, ttsc__name, const char *),
};
EOF
}

# Compile file $1 (no link); output in $tmp/$1.log, status in $rc.
compile() {
  # shellcheck disable=SC2086 # CC and CFLAGS may hold several words
  $CC -std=gnu11 $CFLAGS -Wall -Wextra -I"$top_srcdir/src" -c "$tmp/$1.c" \
    -o "$tmp/$1.o" >"$tmp/$1.log" 2>&1
  rc=$?
}

# One TAP line; on failure the compiler output as comments.
result() {
  n=$((n + 1))
  if [ "$1" = ok ]; then
    echo "ok $n - $2"
  else
    echo "not ok $n - $2"
    sed 's/^/# /' "$tmp/$3.log"
  fi
}

# A registration that must be refused by TT_ON's check, whose message
# names the registration: "TT_ON(Foo, ttsc__work): the function's ...".
must_fail() {
  write "$1" "$2"
  compile "$1"
  if [ "$rc" -ne 0 ] && grep -q 'TT_ON(Foo, ttsc__work)' "$tmp/$1.log"; then
    result ok "$3" "$1"
  else
    result fail "$3 (status $rc)" "$1"
  fi
}

echo "1..5"

write good 'TT_ON(Foo, ttsc__work, int64_t)'
# shellcheck disable=SC2086
$CC -std=gnu11 $CFLAGS -Wall -Wextra -Werror -I"$top_srcdir/src" -c "$tmp/good.c" \
  -o "$tmp/good.o" >"$tmp/good.log" 2>&1
if [ $? -eq 0 ]; then
  result ok "a TT_ON matching the prototype compiles without warnings" good
else
  result fail "a TT_ON matching the prototype compiles without warnings" good
fi

must_fail double 'TT_ON(Foo, ttsc__work, double)' \
  "TT_ON listing double for an int64_t parameter does not compile"
must_fail missing 'TT_ON(Foo, ttsc__work)' \
  "TT_ON listing no type for a handler with one parameter does not compile"
must_fail extra 'TT_ON(Foo, ttsc__work, int64_t, int64_t)' \
  "TT_ON listing two types for a handler with one parameter does not compile"
must_fail pointer 'TT_ON(Foo, ttsc__work, const char *)' \
  "TT_ON listing const char * for an int64_t parameter does not compile"
