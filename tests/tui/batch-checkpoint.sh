#!/bin/sh
# batch-checkpoint.sh: going back from checkpoints (checkpoint.c).
#
# With a checkpoint after every entry, every goto and reverse-step starts
# from one and must land in exactly the state of a fresh forward run there
# (info tonics, queue, timers, probes, lints, runs, the trace), for every
# seq of a scenario with timers, a child tonic and calls; the same for an
# app whose behaviour depends on a static variable (the module's data is
# restored);
# an app that keeps such state in its own heap is caught by the validation
# (where the recorded trace shows the difference), said once, and still
# lands exactly.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 18
STATICS=$APPS/statics.la

DUMP0='echo @@
info tonics
info queue
info timers
PROBES
info lints
info runs
info trace 1000
echo @@end'

same_as_ref() {
  bad=0
  for f in "$1"/*; do
    if ! cmp -s "$f" "$2/${f##*/}"; then
      echo "# differs at #${f##*/}:"
      diff "$2/${f##*/}" "$f" | sed 's/^/# /' | head -20
      bad=1
    fi
  done
  [ $bad = 0 ] && [ "$(ls "$1" | wc -l)" -gt 3 ]
}

# scenario APP LINES...: the reference (a dump after every step, from #0)
# and the same session then going to every seq with goto and with a chain
# of reverse-steps, a checkpoint after every entry.
scenario() {
  app=$1 name=$2
  DUMP=$(echo "$DUMP0" | sed "s/^PROBES$/$3/")
  shift 3
  # wall time is not replayed: no giant-sparkle lint (a sparkle under
  # valgrind or load may take 50 ms in one run and not in the other)
  { echo "set entries off"; echo "set giant-sparkle 600000"; echo "echo stopped: #0"; echo "$DUMP"
    for l in "$@"; do
      case $l in
        step*) i=0; while [ $i -lt "${l#step }" ]; do echo "step 1"; echo "$DUMP"; i=$((i + 1)); done ;;
        *) echo "$l" ;;
      esac
    done
  } >"$TMPD/$name-ref.ttdb"
  run_ttdb -batch -k -x "$TMPD/$name-ref.ttdb" "$app"
  split_dumps "$OUT" "$TMPD/$name-ref"
  last=$(ls "$TMPD/$name-ref" | sort -n | tail -1)
  for how in goto rs; do
    { echo "set entries off"; echo "set giant-sparkle 600000"; echo "set checkpoint-interval ${INTERVAL:-1}"
      for l in "$@"; do
        case $l in
          step*) i=0; while [ $i -lt "${l#step }" ]; do echo "step 1"; i=$((i + 1)); done ;;
          *) echo "$l" ;;
        esac
      done
      s=0
      while [ $s -le "$last" ]; do
        if [ $how = goto ]; then echo "goto #$s"; else echo "rs"; fi
        echo "$DUMP"
        s=$((s + 1))
      done
    } >"$TMPD/$name-$how.ttdb"
    run_ttdb -batch -k -x "$TMPD/$name-$how.ttdb" "$app"
    cp "$OUT" "$TMPD/$name-$how.out"
    split_dumps "$OUT" "$TMPD/$name-$how"
  done
}

scenario "$COUNTER" counter 'info probes Counter\ninfo probes Worker' 'call Counter start 1' 'step 4' 'call Counter ping' \
  'step 3' 'advance 0.5' 'step 6' 'call Counter add 5' 'step 5'
check "counter: every goto from a checkpoint lands in the state of the forward run" \
  same_as_ref "$TMPD/counter-goto" "$TMPD/counter-ref"
check "counter: every reverse-step from a checkpoint lands there too" \
  same_as_ref "$TMPD/counter-rs" "$TMPD/counter-ref"
check "counter: no checkpoint disagreed with the trace" \
  eval '! grep -q disagrees "$TMPD/counter-goto.out" "$TMPD/counter-rs.out"'

scenario "$STATICS" statics 'info probes Static' 'call Static tick 6000' 'step 4' 'call Static tick 3000' 'step 12'
check "a static variable of the module: every goto lands exactly" \
  same_as_ref "$TMPD/statics-goto" "$TMPD/statics-ref"
check "... every reverse-step too, with no disagreement" \
  eval 'same_as_ref "$TMPD/statics-rs" "$TMPD/statics-ref" && ! grep -q disagrees "$TMPD/statics-rs.out"'

# (one chain: an order the replay computes wrongly runs next, where the
# recorded trace shows what it should have been)
INTERVAL=3 scenario "$STATICS" heap 'info probes Heap' 'call Heap tick 12000' 'step 16'
check "state in the app's own heap: the validation says so, once" \
  eval '[ "$(grep -c "checkpoint at #[0-9]* disagrees with the trace at #[0-9]* (the app keeps state outside its tonics'"'"' data): going back replays from the start from now on" "$TMPD/heap-rs.out")" = 1 ]'
check "... and every goto still lands exactly" \
  same_as_ref "$TMPD/heap-goto" "$TMPD/heap-ref"
check "... every reverse-step too" \
  same_as_ref "$TMPD/heap-rs" "$TMPD/heap-ref"

run_ttdb -batch -ex "set checkpoints off" -ex "show checkpoints" -ex "set checkpoint-interval 100" \
  -ex "show checkpoint-interval" "$COUNTER"
check "set/show checkpoints and checkpoint-interval" \
  eval 'out_has "checkpoints   off" && out_has "checkpoint-interval 100"'

run_ttdb -batch -ex "set entries off" -ex "set checkpoint-interval 5" -ex "call Counter start 1" \
  -ex "step 20" -ex "info checkpoints" -ex "set checkpoints off" -ex "info checkpoints" "$COUNTER"
check "info checkpoints lists them, and says when they are off" \
  eval 'out_has "3 checkpoints, " && out_has "(one every 5 entries, at most 48): #7 #12 #20" && out_has "checkpoints are off: going back replays from the start"'

# print #N of an entry the trace ring dropped: from a replay to it.
CHAIN=$APPS/chain.la
run_ttdb -batch -ex "set entries off" -ex "set trace-ring 65536" -ex "call Chain next 140000" \
  -ex continue -ex "print #70000" -ex "info trace 1" "$CHAIN"
check "print #N on an entry the trace ring dropped replays to it; the session stays" \
  eval 'status 0 && out_has "#70000 = {" && out_has "\"seq\": 70000," && out_has "    70006" && out_has "140006 Chain.ttsc__next(0)"'

# The runs after going back (info runs: stop conditions, contract details,
# runs of no sparkle) are the forward session's up to the moment (its first
# arrival there: runs of no sparkle at its seq came after, as inputs given
# there do); the run the moment cuts short says what stopped it (`goto #N`,
# as the status line does).  Every seq, by goto and by reverse-step, with a checkpoint after
# every entry and with none.
RUNS_SESSION='set entries off
continue
continue
call Counter start 1
until state Counter done
call Counter ping
break sparkle Counter.ttse__on_worked
continue
continue
call Counter add 5
step 1
continue
continue'
# expect_runs REF: from the forward session's final `info runs` (REF), the
# runs at each moment landed on, compared with the session's own.
expect_runs() {
  awk -v ref="$1" '
    function norm(l) { sub(/  \(wall .*/, "", l); return l }
    BEGIN {
      while ((getline l < ref) > 0) {
        l = norm(l)
        if (l ~ /^ *[0-9]+  /) { n++; line[n] = l; met[n] = ""
          if (match(l, /#[0-9]+-#[0-9]+/)) { split(substr(l, RSTART + 1, RLENGTH - 1), r, "-#"); a[n] = r[1] + 0; b[n] = r[2] + 0 }
          else a[n] = b[n] = -1
        } else if (l ~ /^     contract met/) met[n] = l
      }
    }
    function want(L,    k, s, end, sep, idx) {
      s = ""; end = 0
      for (k = 1; k <= n; k++) {
        if (a[k] < 0) { if (end < L) s = s line[k] "\n"; else break; continue }
        if (a[k] > L) break
        if (b[k] <= L) { s = s line[k] "\n"; if (met[k] != "") s = s met[k] "\n"; end = b[k]; continue }
        s = s sprintf("%3d  #%d-#%d  goto #%d\n", k, a[k], L, L); end = L + 1; break
      }
      return s == "" ? "nothing has run yet\n" : s
    }
    /^at #/ { split($0, w, "#"); split(w[2], x, " "); L = x[1] + 0 }
    /^@@$/ { inblk = 1; got = ""; next }
    /^@@end$/ { inblk = 0; blocks++; ex = want(L)
                if (got != ex) { bad++; if (bad < 3) printf "# at #%d\n# want:\n%s# got:\n%s", L, ex, got } next }
    inblk { got = got norm($0) "\n" }
    END { printf "# %d moments compared, %d differ\n", blocks, bad; exit !(blocks > 20 && bad == 0) }
  ' "$2"
}
printf '%s\necho @@\ninfo runs\necho @@end\n' "$RUNS_SESSION" >"$TMPD/runs-ref.ttdb"
run_ttdb -batch -x "$TMPD/runs-ref.ttdb" "$COUNTER"
awk '/^@@$/ { p = 1; next } /^@@end$/ { p = 0 } p' "$OUT" >"$TMPD/runs-ref"
rlast=$(awk '/#[0-9]+-#[0-9]+/ { match($0, /-#[0-9]+/); s = substr($0, RSTART + 2, RLENGTH - 2) } END { print s }' "$TMPD/runs-ref")
for ck in on off; do
  for how in goto rs; do
    { echo "$RUNS_SESSION"
      if [ $ck = on ]; then echo "set checkpoint-interval 1"; else echo "set checkpoints off"; fi
      s=$rlast
      while [ "$s" -ge 0 ]; do
        if [ $how = goto ]; then echo "goto #$s"; else echo "rs"; fi
        printf 'echo @@\ninfo runs\necho @@end\n'
        s=$((s - 1))
      done
    } >"$TMPD/runs-$how-$ck.ttdb"
    run_ttdb -batch -k -x "$TMPD/runs-$how-$ck.ttdb" "$COUNTER"
    cp "$OUT" "$TMPD/runs-$how-$ck.out"
  done
done
check "the forward session has every kind of run (contract details, none, a breakpoint)" \
  eval 'grep -q "contract met (1 of 1): Counter: state: '"'"'done'"'"'" "$TMPD/runs-ref" && [ "$(grep -c "(none)  idle" "$TMPD/runs-ref")" = 4 ] && grep -q "breakpoint 1: Counter.ttse__on_worked" "$TMPD/runs-ref"'
for ck in on off; do
  check "runs after every goto (checkpoints $ck): the forward session's, the cut one says goto" \
    expect_runs "$TMPD/runs-ref" "$TMPD/runs-goto-$ck.out"
  check "runs after every reverse-step (checkpoints $ck)" \
    expect_runs "$TMPD/runs-ref" "$TMPD/runs-rs-$ck.out"
done

# The exports too: a goto back to the end of the contract's run.
run_ttdb -batch -ex "set entries off" -ex "call Counter start 1" -ex "until state Counter done" \
  -ex "call Counter ping" -ex continue -ex "goto #12" -ex "export $TMPD/at12.json" \
  -ex "goto #20" -ex "export $TMPD/at20.json" "$COUNTER"
check "an export after going back: the contract details and the cut run's stop" \
  eval 'grep -q "\"stop_condition\": \[\"goto #12\"\]" "$TMPD/at12.json" && grep -q "\"contract_details\": {\"match_count\": 1, \"target_count\": 1, \"matched_tonics\": {\"Counter\": \[\"state: '"'"'done'"'"'\"\]}}" "$TMPD/at20.json"'

# A finish run (sparkle -finish) gone into from a checkpoint inside it,
# back and forward: the finish orders are queued once (a resumed finish
# run does not queue them again); the same as without checkpoints.
for ck in "set checkpoint-interval 1" "set checkpoints off"; do
  run_ttdb -batch -ex "set entries off" -ex "$ck" -ex "call Counter start 1" \
    -ex "until state Counter done" -ex "sparkle -finish" -ex "goto #24" -ex "goto #25" \
    -ex "goto #23" -ex "goto #25" -ex "echo @@" -ex "info runs" -ex "info queue" -ex continue \
    -ex "info trace 12" "$COUNTER"
  sed -n '/^@@$/,$p' "$OUT" | sed 's/  (wall .*//' >"$TMPD/finish-${ck##* }"
done
check "a finish run resumed from a checkpoint: its orders queued once, as without checkpoints" \
  eval 'cmp -s "$TMPD/finish-1" "$TMPD/finish-off" && grep -q "^  2  #21-#25  goto #25$" "$TMPD/finish-1" &&
        [ "$(grep -c "^ *[0-9]*\. " "$TMPD/finish-1")" = 1 ] && grep -q "stopped: catalyst finished; 5 sparkles (#26-#30)" "$TMPD/finish-1"'
