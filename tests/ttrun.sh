#!/bin/sh
# ttrun.sh: `ttrun APP` runs an app module under the real-time Catalyst.
#
# The app is the check module tests/mod-countdown.la (counts 3, 2, 1 with a
# 10 ms repeat timer, then finishes itself); tests/mod-noformula.la has no
# formula.  The stop test reads the app's "ready" line through a FIFO before
# it sends SIGTERM, so nothing here sleeps.  Prints TAP.
#
# Environment: top_builddir (default: the current folder), VALGRIND (empty,
# or a wrapper that runs the program under valgrind).
top_builddir=${top_builddir:-$(pwd)}
VALGRIND=${VALGRIND:-}
ttrun=$top_builddir/src/ttrun
mod=$top_builddir/tests/mod-countdown.la
nof=$top_builddir/tests/mod-noformula.la

if [ ! -x "$ttrun" ] || [ ! -f "$mod" ] || [ ! -f "$nof" ]; then
  echo "1..0 # SKIP ttrun or the check modules are not built (make check builds them)"
  exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tt-ttrun.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
n=0
OUT=$tmp/out
ERR=$tmp/err

. "${top_srcdir:-$(dirname "$0")/..}/tests/wait-bounded.sh"

# Run ttrun; stdout in $OUT, stderr in $ERR, status in $rc.
run() {
  $VALGRIND "$ttrun" "$@" >"$OUT" 2>"$ERR" </dev/null
  rc=$?
}

# One TAP line: ok when the command succeeds, else the output as comments.
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

echo "1..34"

run
check "no argument: usage on stderr, status 2" \
  eval '[ $rc -eq 2 ] && grep -q "usage: ttrun" "$ERR"'

run --help
check "--help: usage on stdout, status 0" \
  eval '[ $rc -eq 0 ] && grep -q "usage: ttrun" "$OUT"'

TT_COUNTDOWN_PRINT=1 run "$mod"
check "the app runs to completion and ttrun exits 0" \
  eval '[ $rc -eq 0 ] && [ "$(cat "$OUT")" = "$(printf "countdown 3\n3\n2\n1\nliftoff\nfinished")" ]'

TT_COUNTDOWN_PRINT=1 run "$top_builddir/tests/.libs/mod-countdown.so"
check "the shared object itself works as well as the .la" \
  eval '[ $rc -eq 0 ] && grep -q "^liftoff$" "$OUT"'

run "$tmp/no-such-app.so"
check "a missing module: status 1, one line naming it" \
  eval '[ $rc -eq 1 ] && grep -q "^ttrun: .*no-such-app.so" "$ERR" && [ "$(wc -l <"$ERR")" -eq 1 ]'

run "$nof"
check "a module without a formula: status 1, message names tt_formula" \
  eval '[ $rc -eq 1 ] && grep -q "tt_formula" "$ERR"'

# SIGTERM finishes the catalyst cleanly: wait for "ready", then signal.
mkfifo "$tmp/fifo" || exit 99
TT_COUNTDOWN_PRINT=1 TT_COUNTDOWN_FOREVER=1 \
  $VALGRIND "$ttrun" "$mod" >"$tmp/fifo" 2>"$ERR" </dev/null &
pid=$!
exec 3<"$tmp/fifo"
IFS= read -r line <&3
kill -TERM "$pid" 2>/dev/null
wait_bounded "$pid"
rc=$?
cat <&3 >"$OUT"
exec 3<&-
check "SIGTERM while it waits: the catalyst finishes, status 0" \
  eval '[ "$line" = ready ] && [ $rc -eq 0 ]'

# --- the flight recorder: --record FILE [--record-last N] -------------------
rec=$tmp/rec.json
ulimit -c 0 2>/dev/null

# Count the entries of a recording and read its stop condition.
entries() { grep -c '"sparkle": ' "$1"; }
stop_of() { sed -n 's/.*"stop_condition": \["\([^"]*\)"\].*/\1/p' "$1"; }

TT_COUNTDOWN_PRINT=1 run --record "$rec" --record-last 5 "$mod"
check "--record: written when the app finishes, exactly the last N entries" \
  eval '[ $rc -eq 0 ] && [ "$(entries "$rec")" -eq 5 ] && [ "$(stop_of "$rec")" = finished ] && tail -n 2 "$rec" | grep -q "_ttss__on_completion" && ! ls "$tmp" | grep -q tmp'
(umask 022 && TT_COUNTDOWN_PRINT=1 run --record "$rec" "$mod")
check "--record: the file gets the usual permissions (0666 less the umask)" \
  eval '[ "$(stat -c %a "$rec")" = 644 ]'

run --record "$rec" --record-last 0 "$mod"
check "--record-last 0 is a usage error" \
  eval '[ $rc -eq 2 ] && grep -q "record-last wants a number" "$ERR"'

for clock in exact tick; do
  TT_COUNTDOWN_PRINT=1 run --record "$rec" --record-last 5 --record-clock $clock "$mod"
  check "--record-clock $clock: the same recording" \
    eval '[ $rc -eq 0 ] && [ "$(entries "$rec")" -eq 5 ] && [ "$(stop_of "$rec")" = finished ]'
done
run --record "$rec" --record-clock tsc "$mod"
check "--record-clock: a clock that is not one is a usage error naming it" \
  eval '[ $rc -eq 2 ] && grep -q "^ttrun: --record-clock wants auto, exact or tick, not .tsc.$" "$ERR"'
run --record "$rec" --record-clock
check "--record-clock without a value says what it wants" \
  eval '[ $rc -eq 2 ] && grep -q "^ttrun: --record-clock needs auto, exact or tick$" "$ERR"'

# Start the app forever with a recorder; wait for its "ready" line.
start_forever() {
  rm -f "$rec"
  TT_COUNTDOWN_PRINT=1 TT_COUNTDOWN_FOREVER=1 \
    $VALGRIND "$ttrun" --record "$rec" "$mod" >"$tmp/fifo" 2>"$ERR" </dev/null &
  pid=$!
  exec 3<"$tmp/fifo"
  IFS= read -r line <&3
}
# Wait (bounded) until the recording has stop condition $1.
wait_stop() {
  i=0
  while [ "$(stop_of "$rec" 2>/dev/null)" != "$1" ] && [ $i -lt 2000 ]; do
    sleep 0.01
    i=$((i + 1))
  done
}
finish_forever() {
  wait_bounded "$pid"
  rc=$?
  cat <&3 >"$OUT"
  exec 3<&-
}

start_forever
kill -INT "$pid"
finish_forever
check "--record on SIGINT: written, the catalyst finished, status 0" \
  eval '[ "$line" = ready ] && [ $rc -eq 0 ] && [ "$(stop_of "$rec")" = "stopped: SIGINT" ] && grep -q "\"ttsc__go\", \"args\": \[3\]" "$rec" && grep -q "catalyst finished" "$rec"'

start_forever
kill -USR1 "$pid"
wait_stop snapshot
kill -0 "$pid" 2>/dev/null
alive=$?
snap_entries=$(entries "$rec")
kill -TERM "$pid"
finish_forever
check "--record on SIGUSR1: a snapshot, the app keeps running" \
  eval '[ $alive -eq 0 ] && [ "$snap_entries" -ge 6 ] && [ $rc -eq 0 ] && [ "$(stop_of "$rec")" = "stopped: SIGTERM" ]'

TT_COUNTDOWN_CRASH=1 run --record "$rec" "$mod"
check "--record on a crash: the crash entry last, then the usual crash exit" \
  eval '[ $rc -eq 139 ] && [ "$(stop_of "$rec")" = "crashed: SIGSEGV in Countdown.ttse__on_tick" ] && tail -n 2 "$rec" | grep -q "\"ran\": \"crashed\"" && grep -q "^ttrun: crashed: SIGSEGV in Countdown.ttse__on_tick" "$ERR"'

# (In a sanitizer build AddressSanitizer would catch the SIGSEGV itself and
# exit 1; handle_segv=0 lets the signal end the process as it does in
# production.)
ASAN_OPTIONS="${ASAN_OPTIONS:-}:handle_segv=0" TT_COUNTDOWN_CRASH=1 run "$mod"
check "without --record a crash is the same exit" eval '[ $rc -eq 139 ]'

# --- live attach: --listen PATH, ttdb -attach PATH ---------------------------
# An app under valgrind may take longer than the usual 10 s to answer.
[ -n "$VALGRIND" ] && { TTDB_ATTACH_TIMEOUT=120; export TTDB_ATTACH_TIMEOUT; }
TTDB=${TTDB:-$top_builddir/tui/ttdb}
sock=$tmp/app.sock
TT_COUNTDOWN_PRINT=1 TT_COUNTDOWN_FOREVER=1 \
  $VALGRIND "$ttrun" --listen "$sock" "$mod" >"$tmp/fifo" 2>"$ERR" </dev/null &
pid=$!
exec 3<"$tmp/fifo"
IFS= read -r line <&3
check "--listen: an owner-only socket" \
  eval '[ "$line" = ready ] && [ -S "$sock" ] && [ "$(stat -c %a "$sock")" = 600 ]'

"$TTDB" -batch -attach "$sock" -ex "info stats" -ex "info tonics" -ex "info trace 1" >"$OUT" 2>>"$ERR" </dev/null
rc=$?
check "ttdb -attach: tonics, states and statistics in batch" \
  eval '[ $rc -eq 0 ] && grep -q "attached to pid $pid: 2 tonics" "$OUT" && grep -q "^Countdown  *--  *3 " "$OUT" && grep -q "^6 Countdown.ttsc__go(3)" "$OUT" && grep -q "queue: 0" "$OUT"'
check "ttdb -attach: info tonics is the app's tree, with the classes it reports" \
  eval 'grep -q "^0 tt_main_catalyst \[--\] (ttCatalyst)\$" "$OUT" && grep -q "^  1 Countdown \[--\]\$" "$OUT"'
"$TTDB" -batch -k -attach "$sock" -ex "print Countdown" -ex "print Countdown.count" -ex step -ex "set var Countdown.count = 1" >"$OUT" 2>"$tmp/perr" </dev/null
rc=$?
check "ttdb -attach: print TONIC is what the app reports; a probe says the app sends none" \
  eval '[ $rc -eq 1 ] && grep -q "^Countdown = {class Countdown, id 1, state --}" "$OUT" && grep -q "^  base: tt_main_catalyst" "$OUT" && grep -q "^  over the whole run: [0-9]* sparkles" "$OUT" && grep -q "print Countdown.count: a live app sends no probe values" "$tmp/perr"'
check "ttdb -attach: a command that would run says the app is live, not a recorded trace" \
  eval '[ "$(grep -c "attached to a live app: nothing can run from here" "$tmp/perr")" -eq 2 ] && ! grep -q "recorded trace" "$tmp/perr"'

"$TTDB" -batch -q -attach "$sock" -ex "info stats" >"$tmp/v1" 2>&1 </dev/null &
v1=$!
"$TTDB" -batch -q -attach "$sock" -ex "info stats" >"$tmp/v2" 2>&1 </dev/null &
v2=$!
wait_bounded $v1; r1=$?
wait_bounded $v2; r2=$?
check "two viewers at once; after they detach the app still runs" \
  eval '[ $r1 -eq 0 ] && [ $r2 -eq 0 ] && grep -q "^Countdown" "$tmp/v1" && grep -q "^Countdown" "$tmp/v2" && kill -0 $pid'

kill -TERM "$pid"
wait_bounded "$pid"
rc=$?
cat <&3 >"$OUT"
exec 3<&-
"$TTDB" -batch -q -attach "$sock" >"$tmp/v3" 2>&1 </dev/null
r3=$?
check "stopping the app removes the socket; attaching then fails in one line" \
  eval '[ $rc -eq 0 ] && ! [ -e "$sock" ] && [ $r3 -eq 1 ] && [ "$(wc -l <"$tmp/v3")" -eq 1 ] && grep -q "cannot attach to $sock" "$tmp/v3"'

# --- live attach: a ticking app streams into the viewer ----------------------
sock=$tmp/live.sock
# "no lints" below: a sparkle may take 50 ms under valgrind or load (the
# first takes about 55 ms under valgrind), so no giant-sparkle limit.
TT_COUNTDOWN_PRINT=1 TT_COUNTDOWN_FOREVER=tick TT_COUNTDOWN_GIANT=3600 \
  $VALGRIND "$ttrun" --listen "$sock" "$mod" >"$tmp/fifo" 2>"$ERR" </dev/null &
pid=$!
exec 3<"$tmp/fifo"
IFS= read -r line <&3

# The sparkles Countdown ran, as the k-th `info stats` of $OUT says.
ran() { grep '^Countdown ' "$OUT" | sed -n "${1}p" | awk '{print $3}'; }
"$TTDB" -batch -q -attach "$sock" -ex "info stats" -ex "wait-entries 5 120" \
  -ex "info stats" -ex "info trace 1" -ex "info lints" >"$OUT" 2>>"$ERR" </dev/null
rc=$?
check "ttdb -attach streams: wait-entries gets new entries, the statistics grow, lints come from the app" \
  eval '[ $rc -eq 0 ] && grep -Eq "^[0-9]+ new entries in" "$OUT" && [ "$(ran 2)" -ge $(($(ran 1) + 5)) ] && grep -q "Countdown.ttse__on_tick" "$OUT" && grep -q "^no lints" "$OUT" && grep -q "^stream: [0-9]* entries received, 0 lost" "$OUT"'

"$TTDB" -batch -q -attach "$sock" -ex "wait-entries 3 120" >"$tmp/v1" 2>&1 </dev/null &
v1=$!
"$TTDB" -batch -q -attach "$sock" -ex "wait-entries 3 120" >"$tmp/v2" 2>&1 </dev/null &
v2=$!
wait_bounded $v1; r1=$?
wait_bounded $v2; r2=$?
"$TTDB" -batch -q -attach "$sock" -ex "wait-entries 1 120" >"$tmp/v3" 2>&1 </dev/null
r3=$?
check "two viewers stream at once; after they detach the app runs on and streams to the next" \
  eval '[ $r1 -eq 0 ] && [ $r2 -eq 0 ] && [ $r3 -eq 0 ] && grep -q "new entries in" "$tmp/v1" && grep -q "new entries in" "$tmp/v2" && grep -q "new entries in" "$tmp/v3" && kill -0 $pid'

"$TTDB" -batch -q -attach "$sock" -ex "wait-entries 1 0" >"$tmp/v4" 2>&1 </dev/null
r4=$?
check "wait-entries: a bad count or timeout is a usage error" \
  eval '[ $r4 -eq 1 ] && grep -q "usage: wait-entries K \[SECONDS\]" "$tmp/v4"'

kill -TERM "$pid"
wait_bounded "$pid"
rc=$?
cat <&3 >/dev/null
exec 3<&-
check "the ticking app stops cleanly after the viewers left" eval '[ $rc -eq 0 ]'

"$TTDB" -batch -q -ex "wait-entries 1" >"$tmp/v5" 2>&1 </dev/null
r5=$?
check "wait-entries without an attached app says so in one line" \
  eval '[ $r5 -eq 1 ] && [ "$(wc -l <"$tmp/v5")" -eq 1 ] && grep -q "wait-entries follows a live app" "$tmp/v5"'

# --- live attach: a viewer that falls behind is told what it lost -----------
# The app runs bursts on demand (TT_COUNTDOWN_FOREVER=gate) with a ring of 3.
# The viewer attaches, then blocks reading the script $tmp/gate (a FIFO):
# opening it for writing returns once the viewer attached.  A burst of 10
# then runs (the app says when it is done), and only then the viewer asks
# for the entries after the last it saw: the ring went past 7 of them.
sock=$tmp/lost.sock
mkfifo "$tmp/gate" "$tmp/ctl" || exit 99
TT_COUNTDOWN_PRINT=1 TT_COUNTDOWN_FOREVER=gate TT_COUNTDOWN_GATE=$tmp/ctl \
  $VALGRIND "$ttrun" --record-last 3 --listen "$sock" "$mod" >"$tmp/fifo" 2>"$ERR" </dev/null &
pid=$!
exec 3<"$tmp/fifo"
IFS= read -r line <&3
exec 5>"$tmp/ctl"
"$TTDB" -batch -attach "$sock" -ex "source $tmp/gate" -ex "wait-entries 1 120" \
  -ex "info stats" -ex "info trace" >"$OUT" 2>&1 </dev/null &
v1=$!
exec 4>"$tmp/gate"
echo 10 >&5
IFS= read -r burst <&3
exec 4>&-
wait_bounded $v1
rc=$?
first=$(sed -n 's/.* attached to pid [0-9]*: .*last entry #\([0-9]*\);.*/\1/p' "$OUT")
check "a viewer that falls behind the ring is told exactly how many entries it lost" \
  eval '[ $rc -eq 0 ] && [ "$burst" = "burst 10 done" ] && [ -n "$first" ] && grep -q "^ttdb: warning: $sock: 7 entries lost (the app.s ring went past them before they were read; 7 in all)" "$OUT" && grep -q "^stream: 3 entries received, 7 lost" "$OUT" && grep -q "^3 new entries in .*; last #$((first + 10)), 7 lost)" "$OUT" && [ "$(grep -c "Countdown.ttsc__burst" "$OUT")" -eq 3 ]'

# A chain that never ends: between two of its sparkles, when the app
# answers, its queue holds exactly the next one, queued by the last entry.
echo forever >&5
IFS= read -r line <&3
"$TTDB" -batch -q -attach "$sock" -ex "info queue" -ex "info stats" >"$OUT" 2>&1 </dev/null
rc=$?
last=$(sed -n 's/^pid [0-9]*, last entry #\([0-9]*\);.*/\1/p' "$OUT")
check "ttdb -attach: info queue lists the live queue's orders (arguments, source, cause)" \
  eval '[ $rc -eq 0 ] && [ "$line" = forever ] && [ -n "$last" ] && grep -q "^   1\. Countdown\.ttsc__burst(-1, -1) <- Countdown\.ttsc__burst  (cause #$last)$" "$OUT" && [ "$(grep -c "^ *[0-9]*\. " "$OUT")" -eq 1 ] && grep -q "^queue: 1: Countdown.ttsc__burst$" "$OUT"'

exec 5>&-
kill -TERM "$pid"
wait_bounded "$pid"
rc=$?
cat <&3 >/dev/null
exec 3<&-
check "the app with the gate stops cleanly" eval '[ $rc -eq 0 ]'

# A second stop signal ends ttrun also while the app's clean-up hangs: the
# gate thread's FIFO stays open, so the class's destroy waits for it for
# good.  The recording is written before the clean-up: once it is there,
# the second SIGTERM goes.
rm -f "$rec"
TT_COUNTDOWN_PRINT=1 TT_COUNTDOWN_FOREVER=gate TT_COUNTDOWN_GATE=$tmp/ctl \
  $VALGRIND "$ttrun" --record "$rec" "$mod" >"$tmp/fifo" 2>"$ERR" </dev/null &
pid=$!
exec 3<"$tmp/fifo"
IFS= read -r line <&3
exec 5>"$tmp/ctl"
kill -TERM "$pid"
wait_stop "stopped: SIGTERM"
kill -TERM "$pid"
if [ -n "$VALGRIND" ]; then bound=300; else bound=60; fi
wait_bounded "$pid" $bound
rc=$?
exec 5>&-
cat <&3 >/dev/null
exec 3<&-
check "a second SIGTERM while the app's clean-up hangs: ttrun exits at once (143)" \
  eval '[ $rc -eq 143 ] && [ "$(stop_of "$rec")" = "stopped: SIGTERM" ] && grep -q "second stop signal: exiting at once" "$ERR"'
