#!/bin/sh
# batch-break.sh: breakpoints (sparkle, state, probe, conditions, ignore
# counts, enable/disable/delete) and watched probes.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 34

# Counter: start 1 makes a tick every virtual second; three ticks -> done.

run_ttdb -batch -ex "set entries off" -ex "break sparkle Counter.ttse__on_tick" -ex "call Counter start 1" -ex continue -ex continue "$COUNTER"
check "break sparkle TONIC.NAME stops continue after it ran" eval 'out_has "breakpoint 1: sparkle Counter.ttse__on_tick" && out_has "stopped: breakpoint 1: Counter.ttse__on_tick; 15 sparkles (#1-#15), time 0s -> 1s"'
check "continue goes on to the next hit" out_has "stopped: breakpoint 1: Counter.ttse__on_tick; 1 sparkle (#16), time 1s -> 2s"
run_ttdb -batch -ex "set entries off" -ex "b sparkle on_tick" -ex "call Counter start 1" -ex c "$COUNTER"
check "break sparkle with a short name, any tonic" eval 'out_has "breakpoint 1: sparkle ttse__on_tick" && out_has "stopped: breakpoint 1: Counter.ttse__on_tick"'
run_ttdb -batch -ex "set entries off" -ex "break sparkle on_tick if count >= 2" -ex "call Counter start 1" -ex c -ex "info probes Counter" "$COUNTER"
check "break ... if PROBE OP VALUE" eval 'out_has "time 0s -> 2s" && out_has "count = 2"'
run_ttdb -batch -ex "set entries off" -ex "break state Counter done" -ex "call Counter start 1" -ex c "$COUNTER"
check "break state TONIC STATE" eval 'out_has "breakpoint 1: state Counter -> done" && out_has "stopped: breakpoint 1: Counter entered done" && out_has "time 0s -> 3s"'
run_ttdb -batch -ex "set entries off" -ex "break state counting,done" -ex "call Counter start 1" -ex c -ex c "$COUNTER"
check "break state STATE,STATE (any tonic)" eval 'out_has "stopped: breakpoint 1: Counter entered counting" && out_has "stopped: breakpoint 1: Counter entered done"'
run_ttdb -batch -ex "set entries off" -ex "break probe Counter.count == 2" -ex "call Counter start 1" -ex c -ex c "$COUNTER"
check "break probe stops when the value comes, not while it stays" eval 'out_has "stopped: breakpoint 1: Counter.count == 2; " && out_has "stopped: idle"'
run_ttdb -batch -ex "set entries off" -ex "break probe Counter.label == \"hi there\"" -ex "call Counter label \"hi there\"" -ex c "$COUNTER"
check "break probe with a quoted string value" out_has "stopped: breakpoint 1: Counter.label == \"hi there\""

run_ttdb -batch -ex "set entries off" -ex "break sparkle on_tick" -ex "ignore 1 2" -ex "call Counter start 1" -ex c -ex "info breakpoints" "$COUNTER"
check "ignore N COUNT skips hits" eval 'out_has "the next 2 hits will not stop" && out_has "time 0s -> 3s" && out_has "1   sparkle y   3    ttse__on_tick"'
run_ttdb -batch -ex "set entries off" -ex "break sparkle on_tick" -ex "disable 1" -ex "call Counter start 1" -ex c -ex "info breakpoints" "$COUNTER"
check "disable N" eval 'out_has "stopped: idle" && out_has "1   sparkle n   0"'
run_ttdb -batch -ex "set entries off" -ex "break sparkle on_tick" -ex "disable" -ex "enable 1" -ex "call Counter start 1" -ex c "$COUNTER"
check "enable N" out_has "stopped: breakpoint 1"
run_ttdb -batch -ex "set entries off" -ex "break sparkle on_tick" -ex "break state done" -ex "delete 1" -ex "call Counter start 1" -ex c -ex "delete" -ex "info breakpoints" "$COUNTER"
check "delete N and delete" eval 'out_has "stopped: breakpoint 2: Counter entered done" && out_has "deleted 1 breakpoint" && out_has "no breakpoints"'
run_ttdb -batch -ex "set entries off" -ex "break sparkle on_tick if count == 9" -ex "condition 1 count == 1" -ex "call Counter start 1" -ex c -ex "condition 1" -ex "info breakpoints" "$COUNTER"
check "condition N sets and clears a condition" eval 'out_has "time 0s -> 1s" && out_has "breakpoint 1: now unconditional"'
run_ttdb -batch -ex "set entries off" -ex "break sparkle Ghost.ttsc__x" -ex "info breakpoints" "$COUNTER"
check "a breakpoint on a tonic that does not exist is pending" eval 'status 0 && out_has "Ghost.ttsc__x (pending)"'
run_ttdb -batch -ex "break sparkle Countr.ttsc__add" "$COUNTER"
check "a typo in a breakpoint's tonic is an error with a suggestion" eval 'fails_with 1 "unknown tonic \"Countr\" (did you mean \"Counter\"?)"'
run_ttdb -batch -ex "break sparkle on_tik" "$COUNTER"
check "a typo in a sparkle name is suggested" eval 'fails_with 1 "(did you mean \"on_tick\"?)"'
run_ttdb -batch -k -ex "break Counter.tick" -ex "until sparkle tick" "$COUNTER"
check "a sparkle named by its event's subject (a timer's name) suggests the event" eval 'status 1 && err_has "Counter has no sparkle \"tick\" (did you mean \"on_tick\"?)" && err_has "no tonic has a sparkle \"tick\" (did you mean \"on_tick\"?)"'
run_ttdb -batch -ex "break probe Counter.count == lots" "$COUNTER"
check "break probe checks the value by the probe's type" eval 'fails_with 1 "Counter.count: expected int"'

run_ttdb -batch -ex "break sparkle Counter.on_tick if cont > 1" "$COUNTER"
check "a typo in a condition's probe is an error with a suggestion" eval 'fails_with 1 "Counter has no probe \"cont\" (did you mean \"count\"?)"'
run_ttdb -batch -ex "break sparkle on_tick if count > lots" -ex "break sparkle Counter.on_tick if count > lots" "$COUNTER"
check "a condition's value is checked by the probe's type (named tonic)" eval 'fails_with 1 "Counter.count: expected int"'
run_ttdb -batch -ex "break sparkle on_tick if cont > 1" "$COUNTER"
check "a condition on any tonic: a probe no tonic has is suggested" eval 'fails_with 1 "no tonic has a probe \"cont\" (did you mean \"count\"?)"'
run_ttdb -batch -ex "break sparkle on_tick" -ex "condition 1 Counter.cont == 1" "$COUNTER"
check "condition N checks the probe too" eval 'fails_with 1 "Counter has no probe \"cont\""'
run_ttdb -batch -k -ex "break state Counter" -ex "break sparkle Counter." -ex "info breakpoints" "$COUNTER"
check "break state TONIC and break sparkle TONIC. ask for the missing name" eval 'status 1 && err_has "break state Counter: which state?" && err_has "break sparkle Counter.: which sparkle?" && out_has "no breakpoints"'

run_ttdb -batch -ex "set entries off" -ex "display Counter.count" -ex "call Counter start 1" -ex c -ex "info display" "$COUNTER"
check "watch records one row per change" eval 'out_has "displaying Counter.count = 0" && out_has "1.000s 1" && out_has "2.000s 2" && out_has "3.000s 3" && out_has "start      0.000s 0"'
run_ttdb -batch -ex "set entries off" -ex "display Worker.jobs" -ex "call Counter ping" -ex c -ex "info display" -ex "undisplay Worker.jobs" -ex "info display" "$COUNTER"
check "watch on a tonic created later; unwatch" eval 'out_has "pending: no such tonic yet" && out_has "0.000s 1" && out_has "no displays"'
run_ttdb -batch -k -ex "display Worker.jobs" -ex "display Counter.count" -ex "display Counter.count" -ex "info display" "$COUNTER"
check "the same display twice: refused in one line naming its number" \
  eval 'fails_with 1 "Counter.count is already displayed as 2" && [ "$(grep -c "^displaying Counter.count" "$OUT")" -eq 1 ] && out_has "2: Counter.count:"'
run_ttdb -batch -k -ex "display Worker.jobs" -ex "display Counter.count" -ex "display Counter.total" -ex "info display" -ex display -ex "undisplay 4" -ex "undisplay 1 3" -ex "info display" "$COUNTER"
check "display without a probe shows every display now; info display says which have no value yet" \
  eval 'status 1 && out_has "1: Worker.jobs (no value yet)" && out_has "2: Counter.count = 0" && out_has "(no value yet: read after each sparkle of Worker)"'
check "undisplay N takes the numbers of info display (as gdb's); a wrong one is named" \
  eval 'err_has "no display number 4 (\`info display\` numbers them)" && [ "$(grep "^[0-9]:" "$OUT" | tail -n 2 | tr "\n" "|")" = "3: Counter.total = 0.0|2: Counter.count:|" ]'
run_ttdb -batch -ex "display Counter.cont" "$COUNTER"
check "watch with an unknown probe suggests" eval 'fails_with 1 "Counter has no probe \"cont\" (did you mean \"count\"?)"'
run_ttdb -batch -ex "break Counter.ttsc__ping" -ex "break Counter.ttsc__add" -ex "break Counter.ttsc__mix" \
  -ex "break Counter.ttsc__start" -ex "disable 2-3" -ex "info breakpoints" -ex "delete 1-3" -ex "info breakpoints" "$COUNTER"
check "ranges as gdb's: disable 2-3, delete 1-3" \
  eval 'status 0 && grep -q "^2   sparkle n " "$OUT" && grep -q "^3   sparkle n " "$OUT" && grep -q "^1   sparkle y " "$OUT" && [ "$(grep -c "^[0-9]   sparkle" "$OUT")" -eq 5 ] && [ "$(grep -c "^4   sparkle y" "$OUT")" -eq 2 ]'
run_ttdb -batch -ex "break Counter.ttsc__ping" -ex "delete 5-9" "$COUNTER"
check "a range with no breakpoint in it is named" fails_with 1 "no breakpoint numbered 5 to 9 (\`info breakpoints\`)"
run_ttdb -batch -ex "display Counter.count" -ex "display Counter.total" -ex "display Worker.jobs" -ex "undisplay 1" \
  -ex "display" -ex "undisplay 3" -ex "display Counter.count" -ex "display" "$COUNTER"
check "a display keeps its number when another goes (as gdb's); a new one gets the next" \
  eval 'status 0 && [ "$(grep -c "^2: Counter.total = 0.0" "$OUT")" -eq 2 ] && out_has "3: Worker.jobs (no value yet)" && out_has "4: Counter.count = 0" && out_lacks "1: Counter.total"'

# As gdb's, a stop shows the displays in batch mode (no Probes pane there)
run_ttdb -batch -ex "set entries off" -ex "display Counter.count" -ex "display Worker.jobs" -ex "call Counter start 1" -ex "step 3" "$COUNTER"
check "batch: every stop shows the displays, numbered as gdb's" eval 'status 0 && out_has "stopped: sparkle_count; " && [ "$(grep -c "^1: Counter.count = " "$OUT")" -eq 1 ] && out_has "2: Worker.jobs (no value yet)"'

# A watch on a tonic created at start-up: after `run` its appearance is
# where the watch starts, as on the first pass (it stopped at
# "Worker.jobs (absent) -> 0"); the next real change stops.
run_ttdb -batch -ex "set entries off" -ex continue -ex "watch Worker.jobs" -ex run -ex "call Counter ping" -ex continue "$COUNTER"
check "watch: a tonic appearing after run is no change; a real one stops" eval 'status 0 && out_lacks "(absent)" && out_has "restarted" && out_has "stopped: idle; 10 sparkles (#1-#10)" && out_has "stopped: watchpoint 1: Worker.jobs 0 -> 1; 2 sparkles (#11-#12)"'
