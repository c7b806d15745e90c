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
# Start ttdb ARGS... in a new tmux session NAME (it becomes $S) of
# COLSxROWS, TERM=screen (or $TTDB_TERM); when ttdb ends the pane shows
# TTDB-EXIT=its status.  Earlier sessions stay: killing the last one would
# stop the tmux server while the next one connects.
start_ttdb() {
  S=$1
  size=$2
  shift 2
  args=
  for a in "$@"; do args="$args '$a'"; done
  $T new-session -d -s "$S" -x "${size%x*}" -y "${size#*x}" \
    "env TERM=${TTDB_TERM:-screen} HOME='$HOME' TTDB_PLUGIN_PATH='$TTDB_PLUGIN_PATH' $VALGRIND '$TTDB'$args; echo TTDB-EXIT=\$?; sleep 600"
}
# The screen as text.
grab() { $T capture-pane -p -t "${S:-ttdb}" >"$SCREEN" 2>/dev/null; }
# How many polls (of 50 ms) a wait may take: about 10 s, a minute under
# valgrind (where ttdb runs 20 to 50 times slower and a live viewer, which
# paces its polls by their cost, updates every few seconds).
wait_tries=200
[ -n "${VALGRIND:-}" ] && wait_tries=1200
# Poll until CMD... succeeds, at most N times 0.05 s.
poll_n() {
  n_max=$1
  shift
  i=0
  while [ $i -lt "$n_max" ]; do
    "$@" && return 0
    sleep 0.05
    i=$((i + 1))
  done
  return 1
}
# Poll until CMD... succeeds (bounded: $wait_tries polls).
poll() { poll_n "$wait_tries" "$@"; }
# One capture of the screen shows every TEXT.
screen_has() {
  grab || return 1
  for text in "$@"; do
    grep -F -q -e "$text" "$SCREEN" || return 1
  done
}
# Poll until the screen shows every TEXT at once.  Wait for all the texts a
# check needs: the terminal may be captured half drawn (a popup's title
# before its body), so a text that a later grep of the same capture looks
# for may still be coming.
wait_for() { poll screen_has "$@"; }
# Poll until the screen no longer shows TEXT.
screen_lacks() { grab && ! grep -F -q -e "$1" "$SCREEN"; }
wait_gone() { poll screen_lacks "$1"; }
# Type keys.
keys() { $T send-keys -t "${S:-ttdb}" "$@"; }
# A failed check shows the screen.
check_failed() { sed 's/^/# | /' "$SCREEN"; }
