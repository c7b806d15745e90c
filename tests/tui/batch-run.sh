#!/bin/sh
# batch-run.sh: the commands that run sparkles: step, continue, until,
# sparkle, advance, finish, restart.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 33

run_ttdb -batch -ex step "$COUNTER"
check "step runs one sparkle and lists it" eval 'status 0 && out_has "stopped: sparkle_count; 1 sparkle (#1), time 0s" && out_has "1 tt_main_catalyst._ttss__on_start()"'
run_ttdb -batch -ex "step 5" "$COUNTER"
check "step N: a transition's extras complete" eval 'out_has "stopped: sparkle_count; 7 sparkles (#1-#7)" && out_has "Counter._ttinternal_state_change_to(2)"'
run_ttdb -batch -ex "step 0" "$COUNTER"
check "step 0 is a usage error" eval 'fails_with 1 "usage: step [N]"'
run_ttdb -batch -ex continue "$COUNTER"
check "continue runs until idle" eval 'out_has "stopped: idle; 10 sparkles (#1-#10)"'
run_ttdb -batch -ex c -ex c "$COUNTER"
check "continue when idle runs nothing" eval 'out_has "stopped: idle; no sparkle ran"'

run_ttdb -batch -ex "set entries off" -ex "until state idle" -ex "info states Counter" "$COUNTER"
check "until state STATE (any tonic): the reason once (the Distiller lists it after each sparkle of the change)" eval 'out_has "stopped: state_trigger: [idle]; 7 sparkles" && out_has "* 2 idle"'
run_ttdb -batch -ex "set entries off" -ex "until state idle" -ex "info runs" "$COUNTER"
check "info runs names each stop condition once, as the stop line" eval 'out_has "  1  #1-#7  state_trigger: [idle]  (wall" && out_lacks "[idle], state_trigger"'
run_ttdb -batch -ex "set entries off" -ex "until state Counter idle" "$COUNTER"
check "until state TONIC STATE uses a contract" eval 'out_has "stopped: contract_met" && out_has "contract met (1 of 1): Counter: state: '"'"'idle'"'"'"'
run_ttdb -batch -k -ex "set entries off" -ex "until state Counter counting,done" -ex "call Counter start 1" -ex "u state Counter counting done" "$COUNTER"
check "until state with several states (the first one is not reached)" eval 'status 1 && err_has "not reached: until state Counter counting,done (stopped: idle)" && out_has "Counter: state: '"'"'counting'"'"'"'
run_ttdb -batch -ex "set entries off" -ex "until sparkle on_start" "$COUNTER"
check "until sparkle with a short name (any tonic)" eval 'out_has "stopped: sparkle_trigger: [ttse__on_start]; 2 sparkles"'
run_ttdb -batch -ex "set entries off" -ex "until sparkle Worker.ttse__on_start" "$COUNTER"
check "until sparkle TONIC.NAME (a tonic created later)" eval 'out_has "stopped: until: Worker.ttse__on_start ran; 10 sparkles"'

run_ttdb -batch -ex "set entries off" -ex "until state Counter idle" -ex "call Counter start 0.5" -ex "until probe Counter.count == 2" -ex "info probes Counter" "$COUNTER"
check "until probe TONIC.PROBE == VALUE" eval 'out_has "Counter: probe: count == 2" && out_has "count = 2" && out_has "time 0s -> 1s"'

printf '{"tonics": {"Counter": {"till_state_in": ["done"]}}}\n' >"$TMPD/done.json"
run_ttdb -batch -ex "set entries off" -ex "call Counter start 2" -ex "until contract $TMPD/done.json" "$COUNTER"
check "until contract FILE" eval 'status 0 && out_has "Counter: state: '"'"'done'"'"'" && out_has "time 0s -> 6s"'

run_ttdb -batch -ex "sparkle count=3 -json" "$COUNTER"
check "sparkle -json prints one JSON line" eval '[ "$(wc -l <"$OUT")" -eq 1 ] && out_has "{\"status\": \"running\"" && out_has "\"stop_condition\": [\"sparkle_count\"]"'
run_ttdb -batch -ex "set entries off" -ex "sparkle till_state_in=idle timeout=5" "$COUNTER"
check "sparkle with till_state_in" eval 'out_has "stopped: state_trigger: [idle]; "'
run_ttdb -batch -ex "set entries off" -ex "sparkle till_sparkle_in=ttse__on_enter" "$COUNTER"
check "sparkle with till_sparkle_in" eval 'out_has "stopped: sparkle_trigger: [ttse__on_enter]; 7 sparkles"'
run_ttdb -batch -ex "set entries off" -ex "sparkle contract='{\"tonics\": {\"Worker\": {\"till_sparkle_in\": [\"ttse__on_start\"]}}}'" "$COUNTER"
check "sparkle with an inline contract" eval 'out_has "Worker: sparkle: '"'"'ttse__on_start'"'"'"'
run_ttdb -batch -ex "set entries off" -ex "call Counter start 1" -ex "sparkle timeout=2.5" "$COUNTER"
check "sparkle timeout= in virtual seconds" eval 'out_has "stopped: timeout; " && out_has "time 0s -> 2.5s"'
run_ttdb -batch -ex "set entries off" -ex "continue" -ex "sparkle -finish" -ex "sparkle -json" "$COUNTER"
check "sparkle -finish ends the catalyst, then nothing runs" eval 'out_has "stopped: catalyst finished" && out_has "{\"status\": \"catalyst finished\", \"stop_condition\": [\"catalyst finished\"]"'

run_ttdb -batch -ex "set entries off" -ex continue -ex "call Counter start 0.5" -ex step -ex "advance 1.2" -ex "info queue" "$COUNTER"
check "advance SECONDS queues due timers" eval 'out_has "time is now 1.2s; 2 orders queued by timers" && out_has "Counter.ttse__on_tick({\"id\": 3, \"name\": \"tick\"}) <- tick.expired"'
run_ttdb -batch -ex "advance -1" "$COUNTER"
check "advance with a negative time is refused" eval 'fails_with 1 "usage: advance SECONDS"'

run_ttdb -batch -ex "set entries off" -ex continue -ex "finish Worker" -ex "info queue" -ex continue -ex "info tonics" "$COUNTER"
check "finish TONIC queues ttsc__finish from its base" eval 'out_has "queued Worker.ttsc__finish from Counter" && out_has "1. Worker.ttsc__finish() <- Counter.finish" && out_has "- Worker [--] finished"'
run_ttdb -batch -ex "set entries off" -ex continue -ex "finish Counter" -ex continue "$COUNTER"
check "finishing the top tonic finishes the catalyst" eval 'out_has "stopped: catalyst finished"'

run_ttdb -batch -ex "set entries off" -ex continue -ex restart -ex "info trace" -ex "info queue" "$COUNTER"
check "restart: a fresh session" eval 'out_has "restarted" && out_has "the trace is empty" && out_has "1. tt_main_catalyst._ttss__on_start()"'
run_ttdb -batch -ex "set entries off" -ex "step 3" -ex "tbreak Worker.ttse__on_start" -ex run -ex r "$COUNTER"
check "run (r): as gdb's, afresh and on to the first breakpoint, then to the end" eval 'status 0 && out_has "restarted" && out_has "stopped: breakpoint 1: Worker.ttse__on_start; 10 sparkles (#1-#10)" && out_has "stopped: idle; 10 sparkles (#1-#10)"' 
run_ttdb -batch -ex "set entries off" -ex "call Counter ping" -ex continue -ex bt -ex "where #3" "$COUNTER"
check "bt and where are why: the causal chain" eval 'out_has "Counter.ttse__on_worked(" && out_has "<- input: call from ttdb" && out_has "#3 "'
run_ttdb -batch -ex "set timeout 1.5" -ex "set entries off" -ex "call Counter start 1" -ex continue "$COUNTER"
check "set timeout limits continue (virtual seconds)" eval 'out_has "stopped: timeout;" && out_has "time 0s -> 1.5s"'

# shell and make, as gdb's: the output shows in ttdb's, a failure stops a
# batch (so `-ex make -ex run` does not run a stale module).
run_ttdb -batch -ex "shell echo to-out; echo to-err >&2" -ex "shell exit 3" -ex "echo AFTER" "$COUNTER"
check "shell COMMAND: its stdout and stderr in ttdb's output; a failure stops the batch" eval 'status 1 && out_has "to-out" && out_has "to-err" && err_has "shell: exit status 3" && out_lacks "AFTER"'
mkdir -p "$TMPD/mk"
printf 'all:\n\t@echo built $(X)\nbad:\n\t@false\n' >"$TMPD/mk/Makefile"
run_ttdb -batch -ex "make -s -C $TMPD/mk X=it" -ex "make -s -C $TMPD/mk bad" "$COUNTER"
check "make ARGS runs make; a failed build fails" eval 'status 1 && out_has "built it" && err_has "make: exit status 2"'

# A huge run lists its end only, as gdb shows where it stopped: a continue
# of millions of sparkles printed every one into the log. Short runs, which
# scripts parse, are listed whole; `set entries-max 0` lists every entry.
run_ttdb -batch -ex "call Chain next 5000" -ex continue "$CHAIN"
check "batch: a run of over 1000 entries lists its last 20, naming the others" eval 'status 0 && out_has "stopped: idle; 5006 sparkles (#1-#5006)" && out_has "  ... 4986 earlier entries (\`info trace 1-4986\`)" && out_has "  5006 Chain.ttsc__next(0)" && out_lacks "  4986 Chain" && [ "$(grep -c "^  [0-9][0-9]* Chain" "$OUT")" -eq 20 ]'
run_ttdb -batch -ex "call Chain next 994" -ex continue "$CHAIN"
check "batch: a run of 1000 entries is listed whole" eval 'out_has "stopped: idle; 1000 sparkles (#1-#1000)" && out_has "  1 tt_main_catalyst._ttss__on_start()" && out_lacks "earlier entries"'
run_ttdb -batch -ex "set entries-max 0" -ex "call Chain next 5000" -ex continue -ex "set entries-max 3" -ex "call Chain next 5" -ex continue "$CHAIN"
check "set entries-max 0 lists every entry; a lower maximum shows that many" eval 'out_has "  1 tt_main_catalyst._ttss__on_start()" && out_lacks "4986 earlier" && out_has "  ... 3 earlier entries (\`info trace 5007-5009\`)" && out_has "  5012 Chain.ttsc__next(0)" && out_lacks "  5009 Chain"'
run_ttdb -batch -ex "set trace-ring 100" -ex "call Chain next 200000" -ex continue "$CHAIN"
check "a huge run whose start the trace ring dropped names only the entries held" eval 'out_has "stopped: idle; 200006 sparkles (#1-#200006)" && out_has "  ... 199986 earlier entries (\`info trace 131073-199986\`; those before #131073 were dropped by the trace ring)"'
