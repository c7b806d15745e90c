#!/bin/sh
# batch-info.sh: the info subcommands.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 19

run_ttdb -batch -ex "set entries off" -ex continue -ex "call Counter start 1" -ex "step 4" \
  -ex "info tonics" -ex "info timers" -ex "info queue" -ex "info runs" "$COUNTER"
check "info tonics: a tree by base with states" eval 'out_has "0 tt_main_catalyst [--] (ttDistiller)" && out_has "  1 Counter [counting]" && out_has "    2 Worker [--]"'
check "info timers: kind, base, period, due time" out_has "3 tick repeat of Counter, period 1s, running, due at 1s"
check "info queue when empty" out_has "the queue is empty"
check "info runs: one line per run" eval 'out_has "  1  #1-#10  idle" && out_has "  2  #11-#14  sparkle_count"'

run_ttdb -batch -ex "call Counter add 3" -ex "info queue" "$COUNTER"
check "info queue: pending orders in order, with args and source" eval 'out_has "   5. Counter.ttse__on_start() <- Counter.__init__" && out_has "   6. Counter.ttsc__add(3) <- ttdb"'

run_ttdb -batch -ex "info sparkles Counter" "$COUNTER"
check "info sparkles TONIC: signatures" eval 'out_has "ttsc__mix(int, double, bool, str)" && out_has "ttse__on_tick(timerinfo)"'
run_ttdb -batch -ex "until state Counter idle" -ex "info states Counter" "$COUNTER"
check "info states TONIC marks the current state" eval 'out_has "  0 counting" && out_has "* 2 idle"'
run_ttdb -batch -ex "info states Counter" "$COUNTER"
check "info states before the first state" out_has "(in no state: --)"
run_ttdb -batch -ex "call Counter mix 4 0.5 true hi" -ex "set entries off" -ex continue -ex "info probes Counter" "$COUNTER"
check "info probes TONIC: current values" eval 'out_has "count = 0" && out_has "total = 4.5" && out_has "label = \"hi\"" && out_has "busy = true"'
run_ttdb -batch -ex "info probes Countr" "$COUNTER"
check "info probes with a typo suggests" eval 'fails_with 1 "unknown tonic \"Countr\" (did you mean \"Counter\"?)"'

run_ttdb -batch -ex "set entries off" -ex continue -ex "info trace 2" -ex "info trace 1-2" "$COUNTER"
check "info trace N and FROM-TO" eval 'out_has "9 Worker._ttss__on_start()" && out_has "10 Worker.ttse__on_start()" && out_has "1 tt_main_catalyst._ttss__on_start()" && out_lacks "8 tt_main"'
run_ttdb -batch -ex "step 2" -ex "info entry 2" "$COUNTER"
check "info entry SEQ: the entry as JSON" eval 'out_has "{\"id\": 0, \"tonic\": \"tt_main_catalyst\", \"sparkle\": \"ttse__on_start\"" && out_has "\"seq\": 2"'
run_ttdb -batch -ex "info entry 5" "$COUNTER"
check "info entry past the end" eval 'fails_with 1 "no trace entry #5: the trace is empty"'
run_ttdb -batch -ex "step 2" -ex "info entry 5" "$COUNTER"
check "info entry past the end names the entries there are" eval 'fails_with 1 "no trace entry #5 (the trace holds #1-#2)"'
run_ttdb -batch -ex "info exporters" "$COUNTER"
check "info exporters lists the plugins" eval 'out_has "json" && out_has "csv"'

# info entry alone: where the session is (gdb's info frame); it was a usage error
run_ttdb -batch -ex "step 3" -ex "info entry" -ex "goto #2" -ex "info entry" "$COUNTER"
check "info entry without SEQ shows the entry the session is at" eval 'status 0 && grep -c "\"seq\": 3," "$OUT" | grep -qx 1 && out_has "\"seq\": 2,"'
run_ttdb -batch -ex "info entry" "$COUNTER"
check "info entry before anything ran says so" fails_with 1 "info entry: nothing has run yet (step first)"

# A single-shot timer's end is queued from outside any sparkle (source
# external, as Python's); why said "timer finished in #15", the entry that
# started it.
run_ttdb -batch -ex "set timeout 25" -ex "set entries off" -ex continue -ex "why #20" "$EXAMPLES/traffic_light.la"
check "why on a single shot's infusion_completed: it finished after it fired, started in #N" eval 'out_has "#20 Light._ttss__on_infusion_completed(yellow)" && out_has "<- the timer finished after it fired (a single shot); started in #15" && out_lacks "timer finished in"'

# info states alone (it was a usage error): every tonic with states
run_ttdb -batch -ex "set entries off" -ex "until state Counter idle" -ex "info states" "$COUNTER"
check "info states without TONIC: every tonic that has states, the current marked" eval 'status 0 && out_has "Counter: counting done *idle" && out_lacks "tt_main_catalyst:"'
