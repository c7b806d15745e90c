#!/bin/sh
# batch-reverse.sh: reverse-continue honours what continue honours:
# breakpoint conditions, ignore counts, tbreak, probe breakpoints,
# watchpoints and the stops of an until.
#
# For each kind, a fresh forward run with the breakpoint set from the start
# stops at some seqs (with a dump of the state after each stop); the same
# session run to its end without it, then the breakpoint set and
# reverse-continue repeated, must land at the same seqs, newest first, in
# the same states.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 41

# The inputs (all given at #0); count goes 0 -> 1 -> -4, then one tick a
# second counts up to 3, where the counter is done.
INPUTS='call Counter start 1
call Counter add 1
call Counter ping
call Counter add -5'
DUMP='echo @@
info tonics
info queue
info timers
info probes Counter
info trace 1000
echo @@end'

# Split an output into one file per seq (the line before each dump names
# where the session is: "stopped: ... #N..." or "at #N ...").
split_blocks() {
  rm -rf "$2"
  mkdir -p "$2"
  awk -v dir="$2" '
    /^stopped: / { n = split($0, w, "#"); seq = w[n] + 0 }
    /^at #/ { split($0, w, "#"); split(w[2], x, " "); seq = x[1] + 0 }
    /^@@end$/ { inblk = 0; close(f); next }
    /^@@$/ { inblk = 1; f = dir "/" seq; printf "" > f; next }
    inblk { print >> f }
  ' "$1"
}

# repeat N CMD: CMD and a dump, N times.
repeat() {
  i=0
  while [ $i -lt "$1" ]; do
    echo "$2"
    echo "$DUMP"
    i=$((i + 1))
  done
}

# run_split NAME: run $TMPD/NAME.ttdb, its dumps split into $TMPD/NAME/.
run_split() {
  run_ttdb -batch -k -x "$TMPD/$1.ttdb" "$COUNTER"
  split_blocks "$OUT" "$TMPD/$1"
}

# forward BP...: the stops of a forward run (continue until idle).
forward() {
  { echo "set entries off"; printf '%s\n' "$@"; echo "$INPUTS"; repeat 12 continue; } \
    >"$TMPD/fwd.ttdb"
  run_split fwd
  grep '^stopped: ' "$OUT" | grep -v 'stopped: idle' | sed 's/.*#//; s/[^0-9].*//' |
    sort -n | uniq | tr '\n' ' ' >"$TMPD/fwd.seqs"
}

# backward N BP...: the session run to its end, the breakpoints set, then N
# reverse-continues.
backward() {
  n=$1
  shift
  { echo "set entries off"; echo "$CKSET"; echo "$INPUTS"; echo continue; printf '%s\n' "$@";
    repeat "$n" reverse-continue; } >"$TMPD/rev.ttdb"
  run_split rev
  grep '^at #' "$OUT" | sed 's/^at #//; s/[^0-9].*//' | tr '\n' ' ' >"$TMPD/rev.seqs"
}

# The session ends at #29 (idle).  want_stops [K]: the forward run's stops
# before the end (the newest K of them).
END=29
want_stops() {
  w=$(for s in $(cat "$TMPD/fwd.seqs"); do [ "$s" -lt $END ] && echo "$s"; done)
  [ -n "$1" ] && w=$(echo "$w" | tail -n "$1")
  echo $w
}

# The landing seqs other than #0 are those wanted (newest first), in the
# states the forward run had there.
lands_as() {
  want=$1
  got=$(tr ' ' '\n' <"$TMPD/rev.seqs" | grep -v '^0*$' | sort -n | tr '\n' ' ')
  order=$(tr ' ' '\n' <"$TMPD/rev.seqs" | grep -v '^0*$' | sort -rn | tr '\n' ' ')
  if [ -z "$want" ] || [ "$got" != "$want " ] || [ "$order" != "$(echo "$want " | tr ' ' '\n' | grep . | sort -rn | tr '\n' ' ')" ] ||
     [ "$order" != "$(tr ' ' '\n' <"$TMPD/rev.seqs" | grep -v '^0*$' | tr '\n' ' ')" ]; then
    echo "# landed at: $(cat "$TMPD/rev.seqs"); forward stops: $(cat "$TMPD/fwd.seqs"); wanted $want"
    return 1
  fi
  for s in $want; do
    if ! cmp -s "$TMPD/rev/$s" "$TMPD/fwd/$s"; then
      echo "# the state at #$s differs from the forward run's:"
      diff "$TMPD/fwd/$s" "$TMPD/rev/$s" | sed 's/^/# /' | head -20
      return 1
    fi
  done
}

TICK='break Counter.ttse__on_tick'

# rc_checks: every check of reverse-continue, with the checkpoints as
# $CKSET sets them (the backward scan goes a checkpoint's segment at a
# time, newest first: the same landings as a scan from the start).
rc_checks() {

# A condition: only the ticks after which count > 0 (1, 2; 3 is the end).
forward "$TICK if count > 0"
backward 3 "$TICK if count > 0"
check "reverse-continue honours a breakpoint's condition$SUFFIX" \
  lands_as "$(want_stops)"
check "... and goes back to the start when no earlier hit is left$SUFFIX" \
  eval 'out_has "no breakpoint, watchpoint or until stop before #" && out_has "at #0 (before the first sparkle)"'

# An ignore count: the hits passed backwards count (the newest two).
forward "$TICK"
third=$(want_stops 3 | cut -d' ' -f1)
backward 1 "$TICK" "ignore 1 2"
check "reverse-continue counts an ignore count backwards$SUFFIX" lands_as "$third"

# A temporary breakpoint stops once, then is gone.
backward 2 "t$TICK"
echo "info breakpoints" >>"$TMPD/rev.ttdb"
check "a tbreak stops reverse-continue once$SUFFIX" lands_as "$(want_stops 1)"
run_ttdb -batch -k -x "$TMPD/rev.ttdb" "$COUNTER"
check "... and is deleted then$SUFFIX" grep -qi "^no breakpoints" "$OUT"

# A probe breakpoint: where the comparison became true (not while it stays).
forward "break probe Counter.count > -2"
backward 2 "break probe Counter.count > -2"
check "reverse-continue stops where a probe breakpoint became true$SUFFIX" \
  lands_as "$(want_stops)"

# A condition on another breakpoint kind: state.
forward "break state Counter counting if count == 0"
backward 1 "break state Counter counting if count == 0"
check "reverse-continue honours a state breakpoint with a condition$SUFFIX" \
  lands_as "$(want_stops)"

# A watchpoint: back to the previous change, change by change.
forward "watch Counter.count"
backward 9 "watch Counter.count"
check "reverse-continue stops at each earlier change of a watched probe$SUFFIX" \
  eval 'lands_as "$(want_stops)" && out_has "watchpoint 1 (Counter.count), hit by #"'

# A disabled breakpoint does not stop it.
backward 1 "$TICK" "disable 1"
check "a disabled breakpoint does not stop reverse-continue$SUFFIX" \
  out_has "at #0 (before the first sparkle)"

# The stop of an until: the until's run ended there.
{
  echo "set entries off"
  echo "$CKSET"
  echo "$INPUTS"
  echo "until probe Counter.count == -2"
  echo "echo @@"
  echo "info probes Counter"
  echo "echo @@end"
  echo "continue"
  echo "reverse-continue"
  echo "echo @@"
  echo "info probes Counter"
  echo "echo @@end"
} >"$TMPD/until.ttdb"
run_ttdb -batch -k -x "$TMPD/until.ttdb" "$COUNTER"
check "reverse-continue goes back to where an until stopped$SUFFIX" \
  eval 'out_has "an until stopped here" && [ "$(sed -n "/^@@$/,/^@@end$/p" "$OUT" | grep -c "count *= *-2\|count.*-2")" = 2 ]'

}
CKSET="set checkpoints off" SUFFIX=""
rc_checks
for iv in 1 3; do
  CKSET="set checkpoint-interval $iv" SUFFIX=" (a checkpoint every $iv)"
  rc_checks
done

# info queue: each order's cause (the entry whose sparkle queued it) or
# input (from outside).
run_ttdb -batch -ex "call Counter start 1" -ex "step 8" -ex "call Counter add 2" \
  -ex "info queue" "$COUNTER"
check "info queue prints each order's cause, or input" \
  eval 'out_has "Worker._ttss__on_start() <- Worker.__init__  (cause #5)" && out_has "Counter.ttsc__add(2) <- ttdb  (input)"'

# Replays are silent: neither the app's stdout nor its stderr comes again.
CHATTY=$APPS/chatty.la
run_ttdb -batch -ex "set entries off" -ex "call Chatty talk 2" -ex "step 6" \
  -ex "goto #0" -ex "goto #6" -ex "rs" "$CHATTY"
check "a replay prints neither the app's stdout nor its stderr again" \
  eval '[ "$(grep -c "chatty line 1 of 2" "$OUT")" = 1 ] && [ "$(grep -c "chatty says goodbye" "$ERR")" = 1 ]'

# A goto to a seq where inputs were given lands before them, and says so.
run_ttdb -batch -ex "set entries off" -ex "step 2" -ex "call Chatty talk 1" \
  -ex "call Chatty talk 3" -ex "step 6" -ex "goto #2" "$CHATTY"
check "goto names the inputs given at the seq it lands before" \
  out_has 'before the inputs `call Chatty talk 1`, `call Chatty talk 3` given at #2: step or continue gives them again'

# The settings a session starts with (stop-on-error on, ttdb's default) are
# journal inputs at #0, but not ones the user typed: goto #0 does not name them.
run_ttdb -batch -ex "set entries off" -ex "step 3" -ex "goto #0" "$CHATTY"
check "goto #0 does not name the settings the session started with" \
  eval 'out_has "at #0 (before the first sparkle)" && ! grep -q "stop-on-error" "$OUT"'

# After going back, verify and export say what they cover.
run_ttdb -batch -ex "set entries off" -ex "call Chatty talk 2" -ex "step 6" \
  -ex "goto #2" -ex "verify" -ex "export $TMPD/x.json" "$CHATTY"
check "after going back, verify says it compared up to now only" \
  out_has "deterministic: 2 entries identical (up to #2, where the session is now: its recorded future to #"
check "... and so does export" \
  out_has "(json, the session up to #2, where it is now; its recorded future to #"

# why on entries the trace ring dropped (whole chunks of 65536): replayed
# to, in a second Distiller, the session staying where it is.
run_ttdb -batch -ex "set trace-ring 1000" -ex restart -ex "set entries off" \
  -ex "call Chain next 140000" -ex continue -ex "why #8" -ex "why #66000" \
  -ex "info trace 1" "$CHAIN"
check "why on a dropped entry replays to it" \
  eval 'out_has "#8 Chain.ttsc__next(139998)" && out_has "<- #6 Chain.ttsc__next(140000)" && out_has "<- input: call from ttdb"'
check "why follows a chain into the dropped entries" \
  eval 'out_has "<- #65536 Chain.ttsc__next(74470)" && out_lacks "dropped by the trace ring)" && out_has "140006 Chain.ttsc__next(0)"'

# After going back, info runs and exports show the user's runs as they
# were (a replay runs them by count, but puts back what stopped them).
run_ttdb -batch -ex "set entries off" -ex "call Counter start 1" \
  -ex "break Counter.ttse__on_tick" -ex "step 3" -ex continue -ex delete \
  -ex "until state Counter done" -ex "echo @runs" -ex "info runs" \
  -ex "goto #5" -ex "goto #20" -ex "echo @runs" -ex "info runs" \
  -ex "export $TMPD/runs.json" "$COUNTER"
runs_cols() { awk '/^@runs/ { n++ } n == '"$1"' && /^ +[0-9]+  #/ { sub(/  \(wall.*/, ""); print }' "$OUT"; }
check "after going back, info runs shows the runs with their own stop reasons" \
  eval '[ "$(runs_cols 1)" = "$(runs_cols 2)" ] && [ "$(runs_cols 2 | grep -c "breakpoint 1: Counter.ttse__on_tick\|contract_met")" = 2 ]'
check "... and so does an export" \
  eval '[ "$(grep -o "\"stop_condition\": \[[^]]*\]" "$TMPD/runs.json" | tr "\n" " ")" = "\"stop_condition\": [\"sparkle_count\"] \"stop_condition\": [\"breakpoint 1: Counter.ttse__on_tick\"] \"stop_condition\": [\"contract_met\"] " ]'

# Back at #0 with a recorded future: export and save-test said "no run yet,
# step or continue first", as if nothing had run.
run_ttdb -batch -k -ex "set entries off" -ex continue -ex "reverse-continue" -ex "export $TMPD/r0.json" -ex "save-test $TMPD/r0.ttdb" "$COUNTER"
check "at #0 with a recorded future: export and save-test name it and the goto" eval 'status 1 && err_has "nothing to export at #0, before the first sparkle: the recorded future runs to #10 (\`goto #10\` first)" && err_has "save-test: nothing has run at #0, before the first sparkle: the recorded future runs to #10" && ! [ -e "$TMPD/r0.json" ]'
