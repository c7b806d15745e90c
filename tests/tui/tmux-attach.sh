#!/bin/sh
# tmux-attach.sh: the screen of `ttdb -attach` under tmux, following a live
# app (`ttrun --listen`) whose pace the test sets: tests/mod-countdown.la in
# its gate mode runs a burst of N sparkles for each line "N" written to a
# FIFO and says when it is done, so nothing here waits for time to pass.
# A Trace pane that does not follow keeps its selected entry while the live
# window (the last 5000 entries) trims, and says when the entry left it;
# the Queue pane lists the live queue's orders.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 5

TTRUN=$top_builddir/src/ttrun
MOD=$top_builddir/tests/mod-countdown.la
if ! command -v tmux >/dev/null 2>&1 || [ ! -x "$TTRUN" ] || [ ! -f "$MOD" ]; then
  for i in $(seq 1 5); do skip "live attach screen $i" "tmux, ttrun or tests/mod-countdown.la is missing"; done
  exit 0
fi

SOCK=ttdbattach-$$
T="tmux -L $SOCK -f /dev/null"
HOME=$TMPD/home
mkdir -p "$HOME"
export HOME
pid=
trap '$T kill-server >/dev/null 2>&1; [ -n "$pid" ] && kill -KILL $pid 2>/dev/null; rm -rf "$TMPD"' EXIT
SCREEN=$TMPD/screen

. "${top_srcdir:-.}/tests/tui/tmux-lib.sh"
# Poll until the selected (reverse video) row starts with entry number N.
wait_selected() {
  i=0
  while [ $i -lt 200 ]; do
    $T capture-pane -p -e -t ttdb 2>/dev/null | grep "$(printf '\033')\[7m" >"$TMPD/sel"
    grep -Eq "^.*\[7m *$1 " "$TMPD/sel" && return 0
    sleep 0.05
    i=$((i + 1))
  done
  return 1
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
$T new-session -d -s ttdb -x 110 -y 40 \
  "env TERM=screen HOME='$HOME' $VALGRIND '$TTDB' -attach '$TMPD/app.sock'; echo TTDB-EXIT=\$?; sleep 600" \
  3<&- 5>&- # the tmux server must not keep the app's gate open
scheck "attached: the last 1000 entries of the live app" wait_for "#5007-#6006"

keys Tab Tab Tab
keys Up Up Up Up Up
scheck "a Trace pane that stops following selects an entry" \
  eval 'wait_for "NOT FOLLOWING" && wait_selected 6001'

# the window keeps the last 5000: #5507-#10506, #6001 still in it
burst 4500
scheck "the window trims: the selection stays on its entry" \
  eval 'wait_for "goes back to #10506" && wait_selected 6001'

# #6507-#11506: #6001 left
burst 1000
scheck "the selected entry leaves the window: said in the status line" \
  wait_for "entry #6001 left the live window (its first entry is #6507 now)"

echo forever >&5
IFS= read -r line <&3
scheck "the Queue pane lists the live queue's orders" \
  wait_for "1. Countdown.ttsc__burst(-1, -1) <- Countdown.ttsc__burst"

keys Escape
keys "quit" Enter
wait_for "TTDB-EXIT=" >/dev/null
exec 5>&-
kill -TERM $pid
wait $pid
cat <&3 >/dev/null
exec 3<&-
pid=
