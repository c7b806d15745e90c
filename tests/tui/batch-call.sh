#!/bin/sh
# batch-call.sh: `call` parses arguments by the sparkle's registered types.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 16

run_ttdb -batch -ex "call Counter mix 7 2.5 true \"two words\"" -ex "info queue" -ex "set entries off" -ex continue -ex "info probes Counter" "$COUNTER"
check "int, double, bool and a quoted string" eval 'out_has "queued Counter.ttsc__mix(7, 2.5, true, \"two words\") at position 6" && out_has "label = \"two words\"" && out_has "total = 9.5"'
check "the queue shows the call with source ttdb" out_has "6. Counter.ttsc__mix(7, 2.5, true, \"two words\") <- ttdb"
run_ttdb -batch -ex "call Counter add 0x10" -ex "call Counter add -3" -ex "set entries off" -ex c -ex "info probes Counter" "$COUNTER"
check "hex and negative integers" out_has "count = 13"
run_ttdb -batch -ex "call Counter start 2" -ex "until sparkle Counter.start" "$COUNTER"
check "an int converts to a double parameter" out_has "Counter.ttsc__start(2.0) <- ttdb"
run_ttdb -batch -ex "call 1 add 1" "$COUNTER"
check "a tonic by id" out_has "queued Counter.ttsc__add(1)"
run_ttdb -batch -ex "call Counter ttsc__add 1" "$COUNTER"
check "the full sparkle name" out_has "queued Counter.ttsc__add(1)"
run_ttdb -batch -ex "call Counter label word" -ex "set entries off" -ex c -ex "info probes Counter" "$COUNTER"
check "a bare word is a string" out_has "label = \"word\""
run_ttdb -batch -ex "call Counter add" "$COUNTER"
check "a missing argument names the signature" eval 'fails_with 1 "ttsc__add takes 1 argument, not 0: ttsc__add(int)"'
run_ttdb -batch -ex "call Counter add 1 2" "$COUNTER"
check "an extra argument names the signature" eval 'fails_with 1 "ttsc__add takes 1 argument, not 2: ttsc__add(int)"'
run_ttdb -batch -ex "call Counter mix 1 2 maybe x" "$COUNTER"
check "a wrong type names the argument and the signature" eval 'fails_with 1 "argument 3 of ttsc__mix(int, double, bool, str): expected bool"'
run_ttdb -batch -ex "call Countr add 1" "$COUNTER"
check "an unknown tonic is suggested" eval 'fails_with 1 "unknown tonic \"Countr\" (did you mean \"Counter\"?)"'
run_ttdb -batch -ex "call Counter ad 1" "$COUNTER"
check "an unknown sparkle is suggested" eval 'fails_with 1 "Counter has no sparkle \"ad\" (did you mean \"add\"?)"'
run_ttdb -batch -ex "call Counter" "$COUNTER"
check "call without a sparkle" eval 'fails_with 1 "usage: call TONIC SPARKLE [ARGS...]"'
run_ttdb -batch -ex "call Counter ttsc__finish" -ex "set entries off" -ex continue -ex "info trace 4" "$COUNTER"
check "an outside ttsc__finish: a note, and the entry is marked ignored" eval 'out_has "note: a tonic ignores a ttsc__finish from outside" && out_has "8 Counter.ttsc__finish() <- ttdb  idle -> idle  [ignored]"'
run_ttdb -batch -ex "set entries off" -ex continue -ex "finish Worker" -ex continue -ex "call Worker work 3" -ex continue -ex "info trace 1" "$COUNTER"
check "call on a finished tonic warns, queues a dead letter, traced as dropped" eval 'status 0 && err_has "warning: Worker has finished: Worker.ttsc__work is queued as a dead letter" && out_has "17 Worker.ttsc__work(3) <- ttdb  -- -> --  [dropped]"'
run_ttdb -batch -ex "set entries off" -ex continue -ex "finish Worker" -ex continue -ex "break Worker.work" -ex "call Worker work 3" -ex continue "$COUNTER"
check "a breakpoint on a dead letter says it did not run" out_has "stopped: breakpoint 1: Worker.ttsc__work (a dead letter: the tonic had finished, it did not run); 1 sparkle (#17)"
