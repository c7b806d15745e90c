#!/bin/sh
# batch-expect.sh: `expect state|probe|stop|ran|trace|entries`, the assertions of a ttdb
# script: a failure prints "expect failed: ..." with what was found, and
# the exit status is 1 (with -k the script goes on).
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 21

L=$EXAMPLES/traffic_light.la

run_ttdb -batch -ex "set entries off" -ex "until state Light green" -ex "expect state Light green" -ex "expect probe Light.cycles == 0" -ex "expect probe Light.cycles < 1" -ex "expect stop contract_met" -ex "expect ran Light.ttse__on_phase" -ex "expect ran ttse__on_phase" -ex "echo all held" "$L"
check "expectations that hold: status 0" eval 'status 0 && out_has "all held" && err_empty'
run_ttdb -batch -ex "set entries off" -ex "until state Light green" -ex "expect state Light red" -ex "echo after" "$L"
check "expect state that fails: one line with what was found, exit 1, the script stops" eval 'fails_with 1 "expect failed: Light: state is '"'"'green'"'"', expected '"'"'red'"'"'" && out_lacks "after"'
run_ttdb -batch -k -ex "set entries off" -ex "until state Light green" -ex "expect state Light red" -ex "echo after" "$L"
check "with -k the script goes on and the status is still 1" eval 'status 1 && out_has "after"'
run_ttdb -batch -ex "set entries off" -ex "until state Light green" -ex "expect probe Light.cycles >= 1" "$L"
check "expect probe with an operator that fails" fails_with 1 'expect failed: Light.cycles is 0, expected >= 1'
run_ttdb -batch -ex "set entries off" -ex "until state Light green" -ex "expect probe Light.cycles == many" "$L"
check "expect probe reads the value by the probe's type" fails_with 1 'Light.cycles: expected int'
run_ttdb -batch -ex "set entries off" -ex "until state Light green" -ex "expect stop idle" "$L"
check "expect stop that fails names the stop conditions" fails_with 1 "expect failed: the run stopped on 'contract_met', expected 'idle'"
run_ttdb -batch -ex "set entries off" -ex "until state Light green" -ex "expect ran Light.press_button" "$L"
check "expect ran that fails" fails_with 1 'expect failed: Light.ttsc__press_button did not run'
run_ttdb -batch -ex "set entries off" -ex "until state Light green" -ex "expect ran Light.on_phse" "$L"
check "expect ran with a typo suggests" fails_with 1 'did you mean "on_phase"?'
run_ttdb -batch -ex "expect stop idle" "$L"
check "expect stop before anything ran" fails_with 1 'expect stop: nothing has run yet'
run_ttdb -batch -ex "expect state Lihgt red" "$L"
check "expect state with a typo in the tonic" fails_with 1 'unknown tonic "Lihgt" (did you mean "Light"?)'
run_ttdb -batch -ex "expect probe Light.cycles" "$L"
check "expect probe without OP VALUE shows the usage" fails_with 1 'usage: expect state TONIC STATE'
printf 'set entries off\nuntil state Light green\nexpect state Light green\nstep\nexpect state Light red\n' >"$TMPD/t.ttdb"
run_ttdb -batch -x "$TMPD/t.ttdb" "$L"
check "a failed expectation in a script names the file and line" fails_with 1 't.ttdb:5: expect failed: Light: state is'

# expect trace #N ENTRY and expect entries N: the entries of the last run,
# in the golden traces' form.
run_ttdb -batch -ex "set entries off" -ex "until state Light green" \
  -ex 'expect trace #3 tt_main_catalyst._ttss__add_tonic_to_catalyst [1]' \
  -ex 'expect trace #8 Light.ttse__on_phase [{"id": 2, "name": "phase"}]   ' \
  -ex "expect entries 11" -ex "echo all held" "$L"
check "expect trace and expect entries that hold" eval 'status 0 && out_has "all held" && err_empty'
run_ttdb -batch -ex "set entries off" -ex "until state Light green" \
  -ex 'expect trace #10 Light._ttinternal_state_change_to [2]' "$L"
check "expect trace that fails names the entry, what it is and what was expected" fails_with 1 \
  'expect failed: entry #10 is Light._ttinternal_state_change_to [0], expected Light._ttinternal_state_change_to [2]'
run_ttdb -batch -ex "set entries off" -ex "until state Light green" -ex step \
  -ex 'expect trace #11 Light.ttse__on_enter []' "$L"
check "expect trace of an entry of another run" fails_with 1 \
  'expect failed: the last run has no entry #11 (its entries: #12-#15); expected #11 Light.ttse__on_enter []'
run_ttdb -batch -ex "set entries off" -ex "until state Light green" -ex "expect entries 9" "$L"
check "expect entries that fails names the first extra entry" fails_with 1 \
  'expect failed: the last run has 11 entries (#1-#11), expected 9; the first extra one is #10 Light._ttinternal_state_change_to [0]'
run_ttdb -batch -ex "set entries off" -ex "until state Light green" -ex "expect trace 3 x" "$L"
check "expect trace without #N shows the usage" fails_with 1 'usage: expect'

# A crash that the script expects is no failure: `expect stop crashed: ...`
# pins it and the exit status is 0; without it the status says it crashed.
B=$EXAMPLES/buggy.la
run_ttdb -batch -ex "set entries off" -ex "call Buggy ttsc__divide_by_zero" -ex continue \
  -ex "expect stop crashed: SIGFPE in Buggy.ttsc__divide_by_zero" "$B"
check "a crash pinned by expect stop: exit status 0" status 0
# Going back past a pinned crash replays it: the same crash, not a new one
# (it made the exit status 3, and a saved test of such a session failed).
run_ttdb -batch -ex "set entries off" -ex "call Counter divide 0" -ex "call Counter start 1" -ex continue \
  -ex "expect stop crashed" -ex continue -ex "goto #17" -ex continue -ex "save-test $TMPD/back.ttdb" "$COUNTER"
check "a pinned crash that a goto back replays is not counted again: exit status 0" eval 'status 0 && out_has "at #17 "'
run_ttdb -batch -x "$TMPD/back.ttdb" "$COUNTER"
check "... and the saved test of that session (goto #17 in it) passes" eval 'status 0 && grep -q "^goto #17" "$TMPD/back.ttdb"'
run_ttdb -batch -ex "set entries off" -ex "call Buggy ttsc__divide_by_zero" -ex continue \
  -ex "expect stop sparkle_count" -ex "expect stop crashed" "$B"
check "a crash not pinned: exit status 3" eval 'status 3 && err_has "expect failed"'
