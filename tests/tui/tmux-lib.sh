# tmux-lib.sh: the helpers of the terminal tests (tmux.sh, tmux-output.sh,
# tmux-attach.sh), sourced after lib.sh once T (the tmux command), SCREEN
# (the capture file) and optionally S (the session, default ttdb) are set.

# The screen as text.
grab() { $T capture-pane -p -t "${S:-ttdb}" >"$SCREEN" 2>/dev/null; }
# Poll until the screen shows TEXT (bounded: about 10 s).
wait_for() {
  i=0
  while [ $i -lt 200 ]; do
    grab
    grep -F -q -e "$1" "$SCREEN" && return 0
    sleep 0.05
    i=$((i + 1))
  done
  return 1
}
# Type keys.
keys() { $T send-keys -t "${S:-ttdb}" "$@"; }
# A check that shows the screen when it fails.
scheck() {
  desc=$1
  shift
  tap_n=$((tap_n + 1))
  if "$@"; then
    echo "ok $tap_n - $desc"
  else
    echo "not ok $tap_n - $desc"
    sed 's/^/# | /' "$SCREEN"
  fi
}
