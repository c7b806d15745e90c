#!/bin/sh
# savetest.sh: `save-test` on every demo and reference module.  A scripted
# session (the demo's own tour, the reference scenario's golden script) is
# saved as a ttdb script and as a cmocka test; both pass on the module, and
# both fail, naming the difference, on a deliberately changed module (a
# handler that takes another state: tests/mutants/, see tests/mutant.h).
#
# The .c test is built against the build tree's library and header (libtool
# links it to src/libtasktonic.la), with cmocka's flags from pkg-config.
. "${top_srcdir:-.}/tests/tui/lib.sh"

MUTANTS=$top_builddir/tests/mutants
# The configured compiler, with the sanitizer flags of a sanitizer build
# (the saved test links the instrumented library).
mkvar() { sed -n "s/^$1 = //p" "$top_builddir/Makefile" | head -n 1; }
CC=$(mkvar CC)
SAN_FLAGS="$(mkvar SAN_CFLAGS) $(mkvar SAN_LDFLAGS)"
# name  module  mutant  session  what the changed module's C test reports
CASES="traffic_light|$EXAMPLES/traffic_light.la|$MUTANTS/traffic_light.la|examples/traffic_light.ttdb|Light: state is 'green', expected 'red'
handshake|$EXAMPLES/handshake.la|$MUTANTS/handshake.la|examples/handshake.ttdb|expected 'contract_met'
chunked|$EXAMPLES/chunked.la|$MUTANTS/chunked.la|examples/chunked.ttdb|the run stopped on 'idle', expected 'contract_met'
parent_infusions|$EXAMPLES/parent_infusions.la|$MUTANTS/parent_infusions.la|examples/parent_infusions.ttdb|the run stopped on 'idle', expected 'contract_met'
single_dut|$EXAMPLES/reference/single_dut.la|$MUTANTS/single_dut.la|$SCRIPTS/single_dut.ttdb|MyDevice: state is 'paused', expected 'finished_cycle'
state_fallback|$EXAMPLES/reference/state_fallback.la|$MUTANTS/state_fallback.la|$SCRIPTS/state_fallback.ttdb|Door: state is 'open', expected 'locked'
hierarchy|$EXAMPLES/reference/hierarchy.la|$MUTANTS/hierarchy.la|$SCRIPTS/hierarchy.ttdb|Parent: state is 'idle', expected 'done'
ref_chunked|$EXAMPLES/reference/chunked.la|$MUTANTS/ref_chunked.la|$SCRIPTS/chunked.ttdb|ChunkB: state is 'done', expected 'cancelled'
buggy|$EXAMPLES/buggy.la|$MUTANTS/buggy.la|buggy-crash.ttdb|the run stopped on 'idle', expected 'crashed: SIGFPE in Buggy.ttsc__divide_by_zero'"
plan 82

# The demo tours name files relative to the top of the source tree.
mkdir -p "$TMPD/work"
ln -s "$top_srcdir/examples" "$TMPD/work/examples"
cd "$TMPD/work" || exit 99
# The buggy demo crashes on purpose: its session ends in the crash, which
# the saved test pins (its changed module divides by 1 and does not crash).
printf '%s\n' 'until sparkle Buggy.ttse__on_start' 'call Buggy ttsc__ok' step \
  'call Buggy ttsc__divide_by_zero' continue >buggy-crash.ttdb

# Whether this ttdb has `expect` (the .ttdb form needs it).
run_ttdb -batch -ex 'help expect'
have_expect=$rc

# Build a saved C test: $1.c -> $1.
build_c() {
  "$top_builddir/libtool" --mode=link --silent ${CC:-cc} $SAN_FLAGS -Wall -Wextra -Werror \
    -I"$top_srcdir/src" -o "$1" "$1.c" "$top_builddir/src/libtasktonic.la" \
    $(pkg-config --cflags --libs cmocka) >"$TMPD/cc.out" 2>&1
}

# Run a built C test with a module: all its output in $OUT, status in $rc.
run_c() {
  CMOCKA_MESSAGE_OUTPUT=stdout ./"$1" "$2" >"$OUT" 2>&1
  rc=$?
}

while IFS='|' read -r name module mutant session diff; do
  grep -v '^quit' "$session" >"$name-session.ttdb"
  run_ttdb -batch -x "$name-session.ttdb" -ex "save-test $name.ttdb" \
    -ex "save-test $name.c" "$module"
  # (the buggy session crashed: its exit status says so)
  check "$name: the session is saved in both forms" eval \
    "{ status 0 || { [ $name = buggy ] && status 3; }; } && [ -s $name.ttdb ] && [ -s $name.c ] \
     && out_has 'wrote $name.c'"

  if [ "$have_expect" -eq 0 ]; then
    run_ttdb -batch -x "$name.ttdb" "$module"
    check "$name.ttdb passes on the module" status 0
    run_ttdb -batch -x "$name.ttdb" "$mutant"
    check "$name.ttdb fails on the changed module, naming the difference" eval \
      "status 1 && (err_has 'expect failed' || err_has 'not reached')"
  else
    skip "$name.ttdb passes on the module" "no expect command in this ttdb yet"
    skip "$name.ttdb fails on the changed module" "no expect command in this ttdb yet"
  fi

  if build_c "$name"; then
    check "$name.c builds" true
  else
    check "$name.c builds" sh -c "sed 's/^/# /' '$TMPD/cc.out'; false"
  fi
  run_c "$name" "$module"
  check "$name.c passes on the module" eval "status 0 && out_has 'PASSED'"
  run_c "$name" "$mutant"
  check "$name.c fails on the changed module: $diff" eval \
    "[ $rc -ne 0 ] && out_has \"$diff\""
done <<EOF
$CASES
EOF

# The options: -last N checks only the last runs, -no-probes leaves the
# probes out, -trace pins every entry; bad uses are one clear line.
S=$SCRIPTS/single_dut.ttdb
M=$EXAMPLES/reference/single_dut.la
run_ttdb -batch -x "$S" -ex 'save-test last.c -last 3 -trace' \
  -ex 'save-test last.ttdb -last 3 -no-probes' "$M"
check "-last 3: the earlier runs are replayed in one function" eval \
  "status 0 && grep -q 'runs_1_to_2' last.c && grep -q 'Runs 1-2 are replayed' last.ttdb"
check "-trace: every entry of a checked run is pinned" \
  grep -q 'MyDevice.ttsc__dut_finish \[\]' last.c
build_c last && run_c last "$M"
check "the -last/-trace test passes" eval "status 0 && out_has 'PASSED'"
run_c last "$MUTANTS/single_dut.la"
check "the -trace test fails on the changed module, naming the entry" eval \
  "[ $rc -ne 0 ] && out_has 'is MyDevice._ttinternal_state_change_to [2], expected MyDevice._ttinternal_state_change_to [0]'"
# -trace in a ttdb script: `expect trace #N ENTRY` for every entry of a
# checked run, then `expect entries N`; the first entry that differs is
# named with both versions.
run_ttdb -batch -x "$S" -ex 'save-test trace.ttdb -trace -last 3' "$M"
check "-trace: a ttdb script pins every entry of the checked runs" eval \
  "status 0 && grep -q '^expect trace #[0-9]* MyDevice.ttsc__dut_finish \[\]' trace.ttdb \
   && grep -q '^expect entries [0-9]' trace.ttdb"
run_ttdb -batch -x trace.ttdb "$M"
check "the -trace ttdb script passes on the module" status 0
run_ttdb -batch -x trace.ttdb "$MUTANTS/single_dut.la"
check "the -trace ttdb script fails on the changed module, naming the entry" eval \
  "status 1 && err_lines 1 && err_has 'is MyDevice._ttinternal_state_change_to [2], expected MyDevice._ttinternal_state_change_to [0]'"

# The Distiller's settings: those the session started with are the saved
# test's, those changed between runs are replayed at their point.
run_ttdb -batch -ex 'set compat python' -ex 'set stop-on-error off' -ex 'step 3' \
  -ex 'set watchdog 5' -ex 'set stop-on-error on' -ex 'step 3' \
  -ex 'save-test settings.ttdb' -ex 'save-test settings.c' "$M"
check "settings: the starting ones at the top, the later ones at their point" eval \
  "status 0 && grep -q '^set compat python' settings.ttdb && grep -q '^set stop-on-error off' settings.ttdb \
   && grep -q '^set watchdog 5' settings.ttdb && grep -q 'tt_catalyst_set_compat(cat, TT_COMPAT_PYTHON)' settings.c \
   && grep -q 'tt_distiller_set_stop_on_error(cat, false)' settings.c && grep -q 'tt_distiller_set_watchdog(cat, 5)' settings.c \
   && grep -q 'tt_distiller_set_stop_on_error(cat, true)' settings.c"
run_ttdb -batch -x settings.ttdb "$M"
check "the settings ttdb script passes" status 0
build_c settings && run_c settings "$M"
check "the settings C test builds and passes" eval "status 0 && out_has 'PASSED'"

# An until that was not reached failed as a command, but its run is real:
# the saved script replays it as the Distiller call it made (`sparkle ...`),
# so the script passes on the same app instead of failing "not reached".
TL=$EXAMPLES/traffic_light.la
run_ttdb -batch -k -ex 'set timeout 1' -ex 'until state Light yellow' -ex 'step 3' \
  -ex 'save-test notreached.ttdb' "$TL"
check "an until not reached is saved as its Distiller call" eval \
  "status 1 && err_has 'not reached: until state Light yellow' \
   && grep -q '^sparkle timeout=1 contract=' notreached.ttdb && ! grep -q '^until' notreached.ttdb"
run_ttdb -batch -x notreached.ttdb "$TL"
check "the script with an until not reached passes on the same app" eval \
  "status 0 && ! err_has 'not reached'"

run_ttdb -batch -ex 'save-test x.txt' "$M"
check "a file that is neither .ttdb nor .c: one line" eval \
  "status 1 && err_lines 1 && err_has 'FILE.ttdb'"
run_ttdb -batch -ex 'save-test x.ttdb' "$M"
check "nothing ran yet: one line" eval "status 1 && err_lines 1 && err_has 'nothing has run'"
run_ttdb -batch -ex 'step' -ex 'save-test x.c -lats 2' "$M"
check "a misspelt option is named with the right one" eval \
  "status 1 && err_has 'did you mean \"-last\"'"

# The files are written as every ttdb output file: 0666 & ~umask when new
# (not mkstemp's 0600), an existing file's mode kept, a missing folder named.
rm -f mode.ttdb mode.c
printf 'old\n' >kept.ttdb
chmod 640 kept.ttdb
(umask 022 && run_ttdb -batch -ex 'step' -ex 'save-test mode.ttdb' \
  -ex 'save-test mode.c' -ex 'save-test kept.ttdb' "$M")
check "saved files get the usual permissions; an existing file keeps its mode" eval \
  "[ \"\$(stat -c %a mode.ttdb mode.c kept.ttdb | tr '\n' ' ')\" = '644 644 640 ' ]"
run_ttdb -batch -ex 'step' -ex 'save-test no/such/folder/x.ttdb' "$M"
check "a missing folder: one line naming it" eval \
  "status 1 && err_lines 1 && err_has \"folder 'no/such/folder' does not exist\""

# Time travel: back into a run, forward again through the recorded future
# (goto), then on: the run that goto went through again is in the test.
T=$EXAMPLES/traffic_light.la
run_ttdb -batch -ex 'break Light.ttse__on_phase' -ex continue -ex continue \
  -ex 'goto #5' -ex 'goto #15' -ex continue -ex 'save-test travel.ttdb' "$T"
check "save-test after goto back and forward keeps the run goto replayed" eval \
  "status 0 && [ \$(grep -c '^continue' travel.ttdb) = 3 ]"
run_ttdb -batch -x travel.ttdb "$T"
check "that saved test passes on the same module" status 0

# A breakpoint set while back in the past comes after the runs that a goto
# forward brings back (the replay of a goto ignores breakpoints): it shapes
# only the runs after them.
run_ttdb -batch -ex 'break Light.ttse__on_phase' -ex continue -ex continue -ex continue \
  -ex 'goto #5' -ex 'break Light.ttse__on_exit' -ex 'goto #15' -ex continue \
  -ex 'save-test order.ttdb' "$T"
check "a break typed before a goto forward comes after the restored runs" eval \
  "status 0 && [ \"\$(grep -E '^(break|continue)' order.ttdb | tr '\n' ' ')\" = \
'break Light.ttse__on_phase continue continue break Light.ttse__on_exit continue ' ]"
run_ttdb -batch -x order.ttdb "$T"
check "that saved test passes on the same module" status 0

# Back into a run, then on from there (with a new input or through the
# recorded future): the saved script runs that run and goes back too; the
# C form cannot go back in time and says so in one line.
run_ttdb -batch -ex 'break Light.ttse__on_phase' -ex continue -ex continue -ex continue \
  -ex 'goto #5' -ex 'break Light.ttse__on_exit' -ex 'goto #20' -ex continue \
  -ex 'save-test midrun.ttdb' -ex 'save-test midrun.c' "$T"
check "a goto into a run, then on: the script goes there too" eval \
  "status 1 && [ \"\$(grep -E '^(break|continue|goto)' midrun.ttdb | tr '\n' ' ')\" = \
'break Light.ttse__on_phase continue continue continue break Light.ttse__on_exit goto #20 continue ' ]"
check "the C form refuses it in one line" eval \
  "err_lines 1 && err_has 'cannot go back in time' && err_has 'goto #20'"
run_ttdb -batch -x midrun.ttdb "$T"
check "that saved script passes on the same module" status 0
run_ttdb -batch -ex 'break Light.ttse__on_phase' -ex continue -ex continue -ex 'goto #5' \
  -ex 'call Light ttsc__press_button' -ex continue -ex 'save-test newinput.ttdb' "$T"
check "a goto back and a new input: the input comes after the goto" eval \
  "status 0 && [ \"\$(grep -E '^(continue|goto|call)' newinput.ttdb | tr '\n' ' ')\" = \
'continue goto #7 call Light ttsc__press_button continue ' ]"
run_ttdb -batch -x newinput.ttdb "$T"
check "that saved script passes too" status 0

# A probe printed where a run stopped is checked too (the user looked at
# it); one printed after an input is not (it may no longer be the run's).
run_ttdb -batch -ex 'until state Light green' -ex 'print Light.button_presses' \
  -ex 'call Light ttsc__press_button' -ex 'print Light.cycles' -ex step \
  -ex 'print Light.button_presses' -ex 'save-test printed.ttdb' "$T"
check "print TONIC.PROBE after a run: the saved script checks that value" eval \
  "status 0 && [ \"\$(grep -E '^(until|call|step|expect probe)' printed.ttdb | tr '\n' ' ')\" = \
'until state Light green expect probe Light.button_presses == 0 call Light ttsc__press_button step expect probe Light.button_presses == 1 ' ]"
run_ttdb -batch -x printed.ttdb "$T"
check "that saved script passes" status 0
