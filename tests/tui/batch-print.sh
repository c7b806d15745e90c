#!/bin/sh
# batch-print.sh: print (p) TONIC | TONIC.PROBE | #N, set var, and
# info sparkles with handlers by state and C function names.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 15

H=$EXAMPLES/reference/hierarchy.la

run_ttdb -batch -ex "set entries off" -ex "until state Child ready" -ex "print Parent" "$H"
check "print TONIC: class, id, state, base, infusions, every probe" eval 'out_has "Parent = {class Parent, id 1, state idle}" && out_has "  base: tt_main_catalyst" && out_has "  infusions: Child" && out_has "    pings = 0" && out_has "    result = null"'
run_ttdb -batch -ex "set entries off" -ex "until state Child ready" -ex "p Child.work_done" "$H"
check "p TONIC.PROBE" out_has "Child.work_done = 0"
run_ttdb -batch -ex "set entries off" -ex "step" -ex "print #1" "$H"
check "print #N: the entry in full" eval 'out_has "#1 = {" && out_has "\"sparkle\": \"_ttss__on_start\"" && out_has "\"seq\": 1"'
run_ttdb -batch -ex "print #9" "$H"
check "print #N past the trace" fails_with 1 'no trace entry #9: the trace is empty'
run_ttdb -batch -ex "print Parnet.pings" "$H"
check "print with a typo suggests" fails_with 1 'unknown tonic "Parnet" (did you mean "Parent"?)'
run_ttdb -batch -ex "set entries off" -ex "set var Parent.pings = 41" -ex "call Parent ping" -ex "continue" -ex "p Parent.pings" "$H"
check "set var writes a field; the app goes on from it" eval 'status 0 && out_has "Parent.pings = 41" && out_has "Parent.pings = 42"'
run_ttdb -batch -ex "set variable Parent.pings=7" -ex "p Parent.pings" "$H"
check "set variable, VALUE glued to =" out_has "Parent.pings = 7"
run_ttdb -batch -ex "set var Parent.result = 3" "$H"
check "set var refuses a computed probe" fails_with 1 'Parent.result is computed by the app, not a field: it cannot be set'
run_ttdb -batch -ex "set var Parent.pings = many" "$H"
check "set var reads the value by the field's type" fails_with 1 'Parent.pings (int): expected int'
run_ttdb -batch -ex "set var Parent.pngs = 1" "$H"
check "set var with an unknown field suggests" fails_with 1 'Parent has no probe "pngs" (did you mean "pings"?)'
run_ttdb -batch -ex "info sparkles Parent" "$H"
check "info sparkles: states with a handler, the generic one, C names" eval 'out_has "in idle: Parent_ttsc_idle__run" && out_has "ttsc__ping()                 Parent_ttsc__ping" && out_has "in waiting: Parent_ttse_waiting__on_child_done"'
# "other states" only beside a state's own handler (a handler alone was
# labelled "other states", as if some state had another)
check "info sparkles: a sparkle with one handler names no states" out_lacks "other states: Parent_ttsc__ping"
check "info sparkles: the app's sparkles before the runtime's" eval '[ "$(grep -n "ttse__on_start()" "$OUT" | cut -d: -f1)" -lt "$(grep -n "_ttss__on_start()" "$OUT" | cut -d: -f1)" ]'
run_ttdb -batch -ex "info sparkles Light" "$EXAMPLES/traffic_light.la"
check "info sparkles: the generic handler beside a state's is \"other states\"" out_has "in green: TrafficLight_ttsc_green__press_button; other states: TrafficLight_ttsc__press_button"
run_ttdb -batch -ex "set entries off" -ex "set var Parent.pings = 41" -ex "call Parent ping" -ex continue -ex "save-test $TMPD/sv.ttdb" -ex "save-test $TMPD/sv.c" "$H"
check "set var is an input of the session: save-test keeps it" eval 'grep -q "^set var Parent.pings = 41$" "$TMPD/sv.ttdb" && grep -q "tt_tonic_probe_write(tonic(\"Parent\"), \"pings\", &TT_INT(41))" "$TMPD/sv.c"'
