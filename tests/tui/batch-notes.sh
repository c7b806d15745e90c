#!/bin/sh
# batch-notes.sh: what the library refused inside a sparkle shows on its
# entry (a note), stop-on-error stops there, dead letters are marked.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 13

run_ttdb -batch -ex "set entries off" -ex continue -ex "call Sensor auth" -ex continue -ex "info trace 1" -ex "info entry 14" "$FAULTS"
check "a to_state to an unknown state is noted on its entry" out_has "14 Sensor.ttsc__auth() <- ttdb  idle -> idle  [note: to_state: no state 'authenticated']"
check "the entry's details carry the note" out_has "\"note\": \"to_state: no state 'authenticated'\""
run_ttdb -batch -ex "set entries off" -ex continue -ex "call Sensor bad_timer" -ex "call Sensor auth" -ex continue "$FAULTS"
check "stop-on-error (default on) stops after a failed tt_timer_new" eval 'status 0 && out_has "stopped: error: Sensor.ttsc__bad_timer: tt_timer_new: timer: bad kind or period 0; 1 sparkle (#14)"'
run_ttdb -batch -ex "set stop-on-error off" -ex "set entries off" -ex continue -ex "call Sensor bad_timer" -ex "call Sensor auth" -ex continue -ex "info trace 2" "$FAULTS"
check "set stop-on-error off: noted, the run goes on" eval 'out_has "stopped: idle; 2 sparkles (#14-#15)" && out_has "14 Sensor.ttsc__bad_timer() <- ttdb  idle -> idle  [note: tt_timer_new: timer: bad kind or period 0]"'
run_ttdb -batch -ex "set stop-on-error maybe" "$FAULTS"
check "a bad value names the setting" eval 'fails_with 1 "set stop-on-error: expected on or off, not \"maybe\""'
run_ttdb -batch -ex "set entries off" -ex continue -ex "finish Consumer" -ex continue -ex "call Producer feed 1" -ex continue -ex "info trace 2" "$FAULTS"
check "a dead letter from a producer is marked dropped" out_has "Consumer.ttsc__eat(1) <- Producer.ttsc__feed  -- -> --  [dropped]"
run_ttdb -batch -ex "set compat python" -ex "set entries off" -ex "call Door knock" -ex continue -ex "info probes Door" -ex "set compat" "$EXAMPLES/reference/state_fallback.la"
check "set compat python: a state-aware sparkle in no state runs the last state's handler" eval 'out_has "events = [\"on_start\", \"knock: open\"]" && out_has "compat        python"'
run_ttdb -batch -ex "set entries off" -ex "call Door knock" -ex continue -ex "info probes Door" -ex "set compat python" -ex "restart" -ex "call Door knock" -ex continue -ex "info probes Door" "$EXAMPLES/reference/state_fallback.la"
check "native by default; after a sparkle, compat applies from the next restart" eval 'out_has "events = [\"on_start\"]" && out_has "compat applies from the next \`restart\`" && out_has "events = [\"on_start\", \"knock: open\"]"'
run_ttdb -batch -ex "set compat ajar" "$FAULTS"
check "a bad compat value lists the valid ones" eval 'fails_with 1 "set compat: expected native or python, not \"ajar\""'

# set compat and set stop-on-error are inputs of the session: a replay
# repeats them where they were given, a saved test repeats them.
run_ttdb -batch -ex "set entries off" -ex continue -ex "set stop-on-error off" -ex "call Sensor bad_timer" -ex "call Sensor auth" -ex continue -ex "set stop-on-error on" -ex "goto 15" -ex "info trace 1" -ex "set stop-on-error" "$FAULTS"
check "goto replays stop-on-error off where it was given (and on again after)" eval 'status 0 && out_has "15 Sensor.ttsc__auth() <- ttdb" && out_has "stop-on-error off"'
run_ttdb -batch -ex "set compat python" -ex "set entries off" -ex continue -ex "call Door knock" -ex continue -ex "set stop-on-error off" -ex "call Door close" -ex continue -ex "save-test $TMPD/sf.ttdb" -ex "save-test $TMPD/sf.c" "$EXAMPLES/reference/state_fallback.la"
check "save-test .ttdb: the settings as the session had them, where they were given" eval 'status 0 &&
  [ "$(grep "^set\|^call" "$TMPD/sf.ttdb" | tr "\n" ,)" = "set compat python,set stop-on-error on,call Door knock,set stop-on-error off,call Door close," ]'
check "save-test .c: the same as library calls" eval 'grep -q "CHECK(tt_catalyst_set_compat(cat, TT_COMPAT_PYTHON));" "$TMPD/sf.c" &&
  grep -q "CHECK(tt_distiller_set_stop_on_error(cat, false));" "$TMPD/sf.c"'
run_ttdb -batch -x "$TMPD/sf.ttdb" "$EXAMPLES/reference/state_fallback.la"
check "the saved script passes (in Python mode: the knock in no state ran)" status 0
