#!/bin/sh
# batch-output.sh: what the app prints passes through batch mode (stdout to
# stdout, stderr to stderr) without splitting a line ttdb prints, and
# `set app-output FILE` sends it to a file; -nw runs the line interface.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 5

CHATTY=$APPS/chatty.la

run_ttdb -batch -ex "set entries off" -ex "call Chatty talk 3" -ex "sparkle -json" -ex "echo done" "$CHATTY"
check "the app's stdout passes through, in order with ttdb's lines" eval 'status 0 && [ "$(sed -n 2p "$OUT")" = "chatty line 1 of 3" ] && [ "$(sed -n 4p "$OUT")" = "chatty line 3 of 3" ] && err_has "chatty says goodbye on stderr"'
check "a JSON line ttdb prints stays one whole line" eval '[ "$(grep -c "^{\"status\": \"running\"" "$OUT")" -eq 1 ] && grep "^{\"status\"" "$OUT" | grep -q "}$" && ! grep "^{\"status\"" "$OUT" | grep -q chatty'
run_ttdb -batch -ex "set entries off" -ex "set app-output $TMPD/app.txt" -ex "call Chatty talk 2" -ex continue -ex "set app-output -" -ex "call Chatty talk 1" -ex continue "$CHATTY"
check "set app-output FILE sends the app's output to the file, - brings it back" eval 'status 0 && grep -q "chatty line 2 of 2" "$TMPD/app.txt" && grep -q "chatty says goodbye" "$TMPD/app.txt" && ! grep -q "of 2" "$OUT" && out_has "chatty line 1 of 1" && out_has "the app'"'"'s output goes to $TMPD/app.txt"'
run_ttdb -batch -ex "set app-output /nonexistent/dir/x" "$CHATTY"
check "set app-output to a file that cannot be written" fails_with 1 'set app-output /nonexistent/dir/x: No such file or directory'
run_ttdb_stdin "step
" -nw "$CHATTY"
check "-nw with a non-terminal stdin is batch mode" eval 'status 0 && out_has "stopped: sparkle_count; 1 sparkle (#1)"'
