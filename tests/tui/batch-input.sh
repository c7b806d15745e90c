#!/bin/sh
# batch-input.sh: input ttdb cannot take is refused in one line that says
# where, and success is never claimed when something failed: folders as
# scripts, endless lines, scripts that source themselves, a stdout that
# cannot be written, and error messages longer than the message buffer.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 8

mkdir "$TMPD/dir"
run_ttdb -batch -ex "source $TMPD/dir" -ex "echo after" "$COUNTER"
check "source DIR: one line, exit 1" eval 'fails_with 1 "cannot read $TMPD/dir: it is a folder" && out_lacks after'

run_ttdb -batch -x "$TMPD/dir" "$COUNTER"
check "-x DIR: one line, exit 1" eval 'fails_with 1 "cannot read $TMPD/dir: it is a folder"'

run_ttdb -batch -ex "source /dev/zero" "$COUNTER"
check "source /dev/zero: a line too long, exit 1" eval 'fails_with 1 "/dev/zero:1: a line longer than 1048576 bytes"'

printf 'echo in\nsource %s\n' "$TMPD/self.ttdb" >"$TMPD/self.ttdb"
run_ttdb -batch -x "$TMPD/self.ttdb" "$COUNTER"
check "a script that sources itself stops at a depth, saying where" eval '[ "$rc" -eq 1 ] && err_has "self.ttdb:2: $TMPD/self.ttdb: scripts nest deeper than 64" && [ "$(grep -c "^in$" "$OUT")" -eq 64 ]'

$VALGRIND "$TTDB" -batch -ex "set entries off" -ex "step 3" "$COUNTER" >/dev/full 2>"$ERR" </dev/null
rc=$?
check "stdout on /dev/full: exit 1 and says so" eval 'fails_with 1 "write error on standard output: No space left on device"'

$VALGRIND "$TTDB" -batch -ex "set entries off" -ex "step 3" "$COUNTER" 2>"$ERR" </dev/null | head -c 1 >/dev/null
check "a reader that stops early is no error" err_empty

long=$TMPD
for i in 1 2 3; do
  long=$long/$(printf '%0200d' 0)
done
run_ttdb -batch -ex "file $long/app.so"
check "a long error message keeps its reason" eval 'fails_with 1 "No such file or directory"'

run_ttdb -batch -ex "step 2" "$COUNTER"
check "plain runs are unaffected" status 0
