#!/bin/sh
# batch-pending.sh: conditions on tonics that do not exist yet (pending)
# resolve by the rules used for tonics that exist, and stop the run at once
# when they cannot; an `until` that ends without its condition fails.
# Breakpoint forms of gdb: `break NAME`, tbreak, comparison operators,
# watchpoints.  The app is the reference hierarchy: the Parent creates its
# Child in ttse__on_start.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 23

H=$EXAMPLES/reference/hierarchy.la

run_ttdb -batch -ex "set entries off" -ex "break sparkle Child.work" -ex "call Parent ttsc__run 21" -ex continue "$H"
check "a pending breakpoint with a short sparkle name fires (hierarchy)" eval 'status 0 && out_has "breakpoint 1: sparkle Child.work (pending)" && out_has "stopped: breakpoint 1: Child.ttsc__work; 17 sparkles (#1-#17)"'
run_ttdb -batch -ex "set entries off" -ex "break sparkle Child.ttsc__work" -ex "call Parent ttsc__run 21" -ex continue "$H"
check "the same with the full name" out_has "stopped: breakpoint 1: Child.ttsc__work; 17 sparkles"
run_ttdb -batch -ex "set entries off" -ex "break sparkle Child.wrok" -ex "call Parent ttsc__run 21" -ex continue -ex "info breakpoints" "$H"
check "a pending sparkle that cannot resolve stops the run when the tonic appears" eval 'fails_with 1 "breakpoint 1: Child has no sparkle \"wrok\" (did you mean \"work\"?)" && out_has "stopped: breakpoint 1 unresolved; 7 sparkles (#1-#7)"'
run_ttdb -batch -k -ex "set entries off" -ex "break state Child redy" -ex continue -ex "info breakpoints" "$H"
check "a pending state that cannot resolve; the breakpoint is disabled" eval 'status 1 && err_has "breakpoint 1: Child has no state \"redy\" (did you mean \"ready\"?)" && out_has "1   state   n"'
run_ttdb -batch -k -ex "set entries off" -ex "break Child.wrok" -ex "break Child.wrk" -ex "watch Child.work_dne" -ex "break Child.work" -ex "call Parent run 21" -ex continue -ex "info breakpoints" -ex continue "$H"
check "every pending name that cannot resolve is reported at once, each disabled (a watchpoint as one)" eval 'status 1 && out_has "stopped: breakpoint 1, breakpoint 2, watchpoint 3 unresolved; 7 sparkles" && err_has "breakpoint 2: Child has no sparkle \"wrk\" (did you mean \"work\"?); breakpoint 2 disabled" && err_has "watchpoint 3: Child has no probe \"work_dne\" (did you mean \"work_done\"?); watchpoint 3 disabled" && out_has "2   sparkle n" && out_has "3   watch   n" && out_has "stopped: breakpoint 4: Child.ttsc__work"'
run_ttdb -batch -ex "set entries off" -ex "break probe Child.work_dne == 1" -ex continue "$H"
check "a pending probe that cannot resolve" fails_with 1 'Child has no probe "work_dne" (did you mean "work_done"?)'
run_ttdb -batch -ex "set entries off" -ex "break sparkle Child.work if work_done < three" -ex "call Parent run 2" -ex continue "$H"
check "a pending condition with a value of the wrong type" fails_with 1 'breakpoint 1: Child.work_done: expected int'
run_ttdb -batch -ex "set entries off" -ex "break sparkle Child.work if work_done >= 1" -ex "call Parent run 2" -ex continue "$H"
check "a pending condition that resolves" out_has "stopped: breakpoint 1: Child.ttsc__work; 17 sparkles"

run_ttdb -batch -ex "set entries off" -ex "call Parent run 21" -ex "until sparkle Child.work" "$H"
check "until with a short sparkle name on a pending tonic" eval 'status 0 && out_has "stopped: until: Child.ttsc__work ran; 17 sparkles (#1-#17)"'
run_ttdb -batch -ex "set entries off" -ex "until sparkle Child.wrok" "$H"
check "a pending until that cannot resolve stops at once" eval 'status 1 && err_has "until: Child has no sparkle \"wrok\" (did you mean \"work\"?)" && out_has "stopped: until unresolved; 7 sparkles"'
run_ttdb -batch -ex "set entries off" -ex "until state Child ready" "$H"
check "until state on a pending tonic" out_has "stopped: until: Child is in ready; 12 sparkles (#1-#12)"
run_ttdb -batch -ex "set entries off" -ex "until state Child redy" "$H"
check "until state on a pending tonic, unknown state" eval 'status 1 && err_has "until: Child has no state \"redy\" (did you mean \"ready\"?)"'
run_ttdb -batch -ex "set entries off" -ex "until state Parent idle" -ex "until state Parent done" "$H"
check "until that ends without its condition: not reached, exit 1" eval 'fails_with 1 "not reached: until state Parent done (stopped: idle)"'
run_ttdb -batch -k -ex "set entries off" -ex "until probe Parent.pings == 1" -ex "echo next" "$H"
check "not reached with a contract; -k goes on, the status stays 1" eval 'status 1 && err_has "not reached: until probe Parent.pings == 1 (stopped: idle)" && out_has "next"'
run_ttdb -batch -ex "set entries off" -ex "until state Parent idle" -ex "sparkle till_state_in=done" "$H"
check "the raw sparkle call keeps its Distiller semantics" eval 'status 0 && out_has "stopped: idle"'
run_ttdb -batch -ex "set entries off" -ex "until state Parent idle" -ex "call Parent run 2" -ex "until probe Child.work_done >= 1" -ex "until probe Parent.result != none" "$H"
check "until probe with comparison operators" eval 'status 0 && out_has "stopped: until: Child.work_done >= 1;" && out_has "stopped: until: Parent.result != none;"'

run_ttdb -batch -ex "set entries off" -ex "break work" -ex "info breakpoints" "$H"
check "break NAME is break sparkle NAME" out_has "breakpoint 1: sparkle work (pending)"
run_ttdb -batch -ex "set entries off" -ex "tbreak Child.work" -ex "call Parent run 2" -ex c -ex "info breakpoints" -ex c "$H"
check "tbreak is deleted after its first stop" eval 'out_has "temporary breakpoint 1: sparkle Child.work (pending)" && out_has "stopped: breakpoint 1: Child.ttsc__work" && out_has "no breakpoints" && out_has "stopped: catalyst finished"'
run_ttdb -batch -ex "set entries off" -ex "tbreak work" -ex "info breakpoints" "$H"
check "info breakpoints marks a temporary breakpoint" out_has "1   sparkle y   0    work (temporary)"
run_ttdb -batch -ex "set entries off" -ex "until state Parent idle" -ex "break probe Child.work_done > 0" -ex "call Parent run 2" -ex c "$H"
check "break probe with >" out_has "stopped: breakpoint 1: Child.work_done > 0;"
run_ttdb -batch -ex "set entries off" -ex "break probe Child.work_done ~ 1" "$H"
check "break probe with an unknown operator" fails_with 1 'unknown operator "~" (use == != < <= > >=)'
run_ttdb -batch -ex "set entries off" -ex "watch Child.work_done" -ex "call Parent run 3" -ex c -ex "info breakpoints" -ex "disable 1" -ex c "$H"
check "watch stops on a change: watchpoint N: OLD -> NEW; listed; disabled" eval 'out_has "watchpoint 1: watch Child.work_done (pending)" && out_has "stopped: watchpoint 1: Child.work_done 0 -> 1;" && out_has "1   watch   y   1    Child.work_done" && out_has "stopped: catalyst finished"'
run_ttdb -batch -ex "set entries off" -ex "watch Parent.pings if Parent.pings > 1" -ex "call Parent ping" -ex "call Parent ping" -ex c "$H"
check "watch with a condition" out_has "stopped: watchpoint 1: Parent.pings 1 -> 2;"
