# tmux-lib.sh: the helpers of the terminal tests (tmux.sh, tmux-output.sh,
# tmux-attach.sh), sourced after lib.sh.  tmux_init NAME gives the test its
# own tmux server ($T), a private HOME and the capture file ($SCREEN); the
# helpers act on the session $S (default ttdb).

# The test's tmux server (socket NAME-PID), stopped at exit with the files;
# with on_exit set, it runs too (e.g. to kill an app the test started).
tmux_init() {
  T="tmux -L $1-$$ -f /dev/null"
  HOME=$TMPD/home
  mkdir -p "$HOME"
  export HOME
  SCREEN=$TMPD/screen
  trap '$T kill-server >/dev/null 2>&1; eval "${on_exit:-}"; rm -rf "$TMPD"' EXIT
}
# The screen as text.
grab() { $T capture-pane -p -t "${S:-ttdb}" >"$SCREEN" 2>/dev/null; }
# Poll until CMD... succeeds (bounded: about 10 s).
poll() {
  i=0
  while [ $i -lt 200 ]; do
    "$@" && return 0
    sleep 0.05
    i=$((i + 1))
  done
  return 1
}
screen_has() { grab && grep -F -q -e "$1" "$SCREEN"; }
# Poll until the screen shows TEXT.
wait_for() { poll screen_has "$1"; }
# Type keys.
keys() { $T send-keys -t "${S:-ttdb}" "$@"; }
# A failed check shows the screen.
check_failed() { sed 's/^/# | /' "$SCREEN"; }
