#!/bin/sh
# tmux-attach.sh: the screen of `ttdb -attach` under tmux, following a live
# app (`ttrun --listen`) whose pace the test sets: tests/mod-countdown.la in
# its gate mode runs a burst of N sparkles for each line "N" written to a
# FIFO and says when it is done, so nothing here waits for time to pass.
# A Trace pane that does not follow keeps its selected entry while the live
# window (the last 5000 entries) trims, and says when the entry left it;
# the Queue pane lists the live queue's orders.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 6

TTRUN=$top_builddir/src/ttrun
MOD=$top_builddir/tests/mod-countdown.la
command -v tmux >/dev/null 2>&1 && [ -x "$TTRUN" ] && [ -f "$MOD" ] ||
  skip_all 6 "live attach screen" "tmux, ttrun or tests/mod-countdown.la is missing"

. "${top_srcdir:-.}/tests/tui/tmux-lib.sh"
tmux_init ttdbattach
pid=
on_exit='[ -n "$pid" ] && kill -KILL $pid 2>/dev/null'
# Whether the selected (reverse video) row starts with entry number N.
selected_is() {
  $T capture-pane -p -e -t ttdb 2>/dev/null | grep "$(printf '\033')\[7m" >"$TMPD/sel"
  grep -Eq "^.*\[7m *$1 " "$TMPD/sel"
}

mkfifo "$TMPD/app" "$TMPD/ctl" || exit 99
TT_COUNTDOWN_PRINT=1 TT_COUNTDOWN_FOREVER=gate TT_COUNTDOWN_GATE=$TMPD/ctl \
  "$TTRUN" --listen "$TMPD/app.sock" "$MOD" >"$TMPD/app" 2>"$TMPD/app.err" </dev/null &
pid=$!
exec 3<"$TMPD/app"
IFS= read -r line <&3
exec 5>"$TMPD/ctl"
# Run a burst of N sparkles; returns once the app has run them.
burst() { echo "$1" >&5; IFS= read -r done <&3; }

# entries 1-6: the start and ttsc__go; 7-6006: the burst
burst 6000
start_ttdb ttdb 110x40 -attach "$TMPD/app.sock" \
  3<&- 5>&- # the tmux server must not keep the app's gate open
check "attached: the last 1000 entries of the live app" wait_for "#5007-#6006"
# A live app's trace keeps no clock here: the status line shows the time of
# the newest entry (it showed 0.000s).
status_time_is_newest() {
  grab && vt=$(awk '$1 == "6006" { print $2; exit }' "$SCREEN") && [ -n "$vt" ] &&
    grep -q "| time ${vt}s | 6006 sparkles |" "$SCREEN"
}
check "attached: the status line shows the newest entry's time" poll status_time_is_newest

keys Tab Tab Tab
keys Up Up Up Up Up
check "a Trace pane that stops following selects an entry" \
  eval 'wait_for "NOT FOLLOWING" && poll selected_is 6001'

# the window keeps the last 5000: #5507-#10506, #6001 still in it
burst 4500
check "the window trims: the selection stays on its entry" \
  eval 'wait_for "goes back to #10506" && poll selected_is 6001'

# #6507-#11506: #6001 left
burst 1000
check "the selected entry leaves the window: said in the status line" \
  wait_for "entry #6001 left the live window (its first entry is #6507 now)"

echo forever >&5
IFS= read -r line <&3
check "the Queue pane lists the live queue's orders" \
  wait_for "1. Countdown.ttsc__burst(-1, -1) <- Countdown.ttsc__burst"

keys Escape
keys "quit" Enter
wait_for "TTDB-EXIT=" >/dev/null
exec 5>&-
kill -TERM $pid
wait_bounded $pid
cat <&3 >/dev/null
exec 3<&-
pid=
