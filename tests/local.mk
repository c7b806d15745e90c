# tests/local.mk: the test suite (`make check`), TAP under tap-driver.sh.
# Included by the top Makefile.am; paths are relative to the top.
#
# cmocka programs are tests/test-NAME (run with CMOCKA_MESSAGE_OUTPUT=TAP);
# shell tests are *.sh printing TAP.  The environment (AM_TESTS_ENVIRONMENT)
# gives top_srcdir, top_builddir, TTDB, EXAMPLES, TTDB_PLUGIN_PATH and GOLDEN.
# One block per test program: check_PROGRAMS, TESTS, then its variables.

# Flags of a cmocka test program linked with the library.
TESTS_CMOCKA_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(JANSSON_CFLAGS)
TESTS_CMOCKA_LDADD = src/libtasktonic.la $(CMOCKA_LIBS) $(JANSSON_LIBS) $(LIBM)

# Golden traces of the Python reference (copies; format tasktonic-golden-v1),
# and the helpers that normalise and compare runs with them.
EXTRA_DIST += \
	tests/golden/single_dut.json \
	tests/golden/state_fallback.json \
	tests/golden/hierarchy.json \
	tests/golden/chunked.json
TESTS_GOLDEN_UTIL = tests/golden-util.c tests/golden-util.h

# --- test-golden: the reference scenarios against the golden traces ---------
check_PROGRAMS += tests/test-golden
TESTS += tests/test-golden
tests_test_golden_SOURCES = tests/test-golden.c $(TESTS_GOLDEN_UTIL)
tests_test_golden_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/examples/reference
tests_test_golden_CFLAGS = $(TESTS_CMOCKA_CFLAGS)
tests_test_golden_LDADD = $(TESTS_CMOCKA_LDADD)
# It dlopens the reference modules (built by plain `make` anyway).
EXTRA_tests_test_golden_DEPENDENCIES = \
	examples/reference/single_dut.la \
	examples/reference/state_fallback.la \
	examples/reference/hierarchy.la \
	examples/reference/chunked.la

# --- test-distiller: the ttDistiller seed-text examples, virtual time -------
check_PROGRAMS += tests/test-distiller
TESTS += tests/test-distiller
tests_test_distiller_SOURCES = tests/test-distiller.c
tests_test_distiller_CFLAGS = $(TESTS_CMOCKA_CFLAGS)
tests_test_distiller_LDADD = $(TESTS_CMOCKA_LDADD)

# --- test-value: error codes, suggestions, values (copy, equality, JSON/text, parsing)
check_PROGRAMS += tests/test-value
TESTS += tests/test-value
tests_test_value_SOURCES = tests/test-value.c
tests_test_value_CFLAGS = $(TESTS_CMOCKA_CFLAGS)
tests_test_value_LDADD = $(TESTS_CMOCKA_LDADD)

# --- test-contract: contracts from JSON, files and builders; error messages
check_PROGRAMS += tests/test-contract
TESTS += tests/test-contract
tests_test_contract_SOURCES = tests/test-contract.c
tests_test_contract_CFLAGS = $(TESTS_CMOCKA_CFLAGS)
tests_test_contract_LDADD = $(TESTS_CMOCKA_LDADD)

# --- test-crash: contained crashes and the watchdog, on examples/buggy ---------
check_PROGRAMS += tests/test-crash
TESTS += tests/test-crash
tests_test_crash_SOURCES = tests/test-crash.c
tests_test_crash_CFLAGS = $(TESTS_CMOCKA_CFLAGS)
tests_test_crash_LDADD = $(TESTS_CMOCKA_LDADD) $(PTHREAD_LIBS)
EXTRA_tests_test_crash_DEPENDENCIES = examples/buggy.la

# ---------------------------------------------------------------------------
# The runtime's rules, one program per area (tests/test-NAME.c), written
# against the public API.  tests/check-util.[ch]: shared helpers (crank the
# Distiller, describe a run as "Tonic.sparkle, ...", an event log).
# ---------------------------------------------------------------------------
TESTS_CHECK_UTIL = tests/check-util.c tests/check-util.h

# Check modules (apps) loaded by the tests: built by `make check` only.
# mod-countdown finishes on its own; mod-noformula lacks the formula symbol;
# mod-oldabi claims another tasktonic ABI, mod-noabi none (tests/mod-oldabi.c).
check_LTLIBRARIES += tests/mod-countdown.la tests/mod-noformula.la tests/mod-flood.la \
	tests/mod-oldabi.la tests/mod-noabi.la
tests_mod_oldabi_la_SOURCES = tests/mod-oldabi.c
tests_mod_oldabi_la_CPPFLAGS = $(AM_CPPFLAGS) -DMOD_ABI=99
tests_mod_oldabi_la_LDFLAGS = $(AM_LDFLAGS) $(TT_MODULE_FLAGS) -rpath /nowhere
tests_mod_noabi_la_SOURCES = tests/mod-oldabi.c
tests_mod_noabi_la_CPPFLAGS = $(AM_CPPFLAGS) -DMOD_NO_ABI
tests_mod_noabi_la_LDFLAGS = $(AM_LDFLAGS) $(TT_MODULE_FLAGS) -rpath /nowhere
tests_mod_flood_la_SOURCES = tests/mod-flood.c
tests_mod_flood_la_LDFLAGS = $(AM_LDFLAGS) $(TT_MODULE_FLAGS) -rpath /nowhere
tests_mod_flood_la_LIBADD = src/libtasktonic.la $(PTHREAD_LIBS)
tests_mod_countdown_la_SOURCES = tests/mod-countdown.c
tests_mod_countdown_la_LDFLAGS = $(AM_LDFLAGS) $(TT_MODULE_FLAGS) -rpath /nowhere
tests_mod_countdown_la_LIBADD = src/libtasktonic.la $(PTHREAD_LIBS)
tests_mod_noformula_la_SOURCES = tests/mod-noformula.c
tests_mod_noformula_la_LDFLAGS = $(AM_LDFLAGS) $(TT_MODULE_FLAGS) -rpath /nowhere

# --- test-naming: handler names -> interface names, sorted states -----------
check_PROGRAMS += tests/test-naming
TESTS += tests/test-naming
tests_test_naming_SOURCES = tests/test-naming.c $(TESTS_CHECK_UTIL)
tests_test_naming_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_naming_LDADD = src/libtasktonic.la $(CMOCKA_LIBS) $(PTHREAD_LIBS)

# --- test-dispatch: late state binding (fallback chain), transitions --------
check_PROGRAMS += tests/test-dispatch
TESTS += tests/test-dispatch
tests_test_dispatch_SOURCES = tests/test-dispatch.c $(TESTS_CHECK_UTIL)
tests_test_dispatch_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_dispatch_LDADD = src/libtasktonic.la $(CMOCKA_LIBS) $(PTHREAD_LIBS)

# --- test-lifecycle: start-up orders, finishing, when the catalyst ends -----
check_PROGRAMS += tests/test-lifecycle
TESTS += tests/test-lifecycle
tests_test_lifecycle_SOURCES = tests/test-lifecycle.c $(TESTS_CHECK_UTIL)
tests_test_lifecycle_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_lifecycle_LDADD = src/libtasktonic.la $(CMOCKA_LIBS) $(PTHREAD_LIBS)
EXTRA_tests_test_lifecycle_DEPENDENCIES = tests/mod-countdown.la

# --- test-ledger: one id table for tonics and timers, names, lookup ---------
check_PROGRAMS += tests/test-ledger
TESTS += tests/test-ledger
tests_test_ledger_SOURCES = tests/test-ledger.c $(TESTS_CHECK_UTIL)
tests_test_ledger_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_ledger_LDADD = src/libtasktonic.la $(CMOCKA_LIBS) $(PTHREAD_LIBS)

# --- test-probes: probe snapshots through resolved plans, stop_on_probe ----
check_PROGRAMS += tests/test-probes
TESTS += tests/test-probes
tests_test_probes_SOURCES = tests/test-probes.c $(TESTS_CHECK_UTIL)
tests_test_probes_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_probes_LDADD = src/libtasktonic.la $(CMOCKA_LIBS) $(PTHREAD_LIBS) $(LIBM)

# --- test-compat: the Python-compat switch (deliberate differences 1 and 2)
check_PROGRAMS += tests/test-compat
TESTS += tests/test-compat
tests_test_compat_SOURCES = tests/test-compat.c $(TESTS_CHECK_UTIL)
tests_test_compat_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_compat_LDADD = src/libtasktonic.la $(CMOCKA_LIBS) $(PTHREAD_LIBS) $(LIBM)

# --- test-lint: the lints of a trace, each on an app with and without the fault
check_PROGRAMS += tests/test-lint
TESTS += tests/test-lint
tests_test_lint_SOURCES = tests/test-lint.c $(TESTS_CHECK_UTIL)
tests_test_lint_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_lint_LDADD = src/libtasktonic.la $(CMOCKA_LIBS) $(PTHREAD_LIBS) $(LIBM)
# It dlopens the faults app, the demos and the reference modules.
EXTRA_tests_test_lint_DEPENDENCIES = tests/tui/apps/faults.la \
	examples/traffic_light.la examples/handshake.la examples/chunked.la \
	examples/parent_infusions.la examples/buggy.la \
	examples/reference/single_dut.la examples/reference/state_fallback.la \
	examples/reference/hierarchy.la examples/reference/chunked.la

# --- test-notes: notes on entries for what the library refused; stop-on-error
check_PROGRAMS += tests/test-notes
TESTS += tests/test-notes
tests_test_notes_SOURCES = tests/test-notes.c $(TESTS_CHECK_UTIL)
tests_test_notes_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_notes_LDADD = src/libtasktonic.la $(CMOCKA_LIBS) $(PTHREAD_LIBS) $(LIBM)

# --- test-timers: every timer kind and callback rule, virtual time ----------
check_PROGRAMS += tests/test-timers
TESTS += tests/test-timers
tests_test_timers_SOURCES = tests/test-timers.c $(TESTS_CHECK_UTIL)
tests_test_timers_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_timers_LDADD = src/libtasktonic.la $(CMOCKA_LIBS) $(PTHREAD_LIBS) $(LIBM)

# --- test-checkpoint: a Distiller's state taken and put back ----------------
check_PROGRAMS += tests/test-checkpoint
TESTS += tests/test-checkpoint
tests_test_checkpoint_SOURCES = tests/test-checkpoint.c $(TESTS_CHECK_UTIL)
tests_test_checkpoint_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_checkpoint_LDADD = src/libtasktonic.la $(CMOCKA_LIBS) $(PTHREAD_LIBS)

# --- test-cause: the cause of every order and entry --------------------------
check_PROGRAMS += tests/test-cause
TESTS += tests/test-cause
tests_test_cause_SOURCES = tests/test-cause.c $(TESTS_CHECK_UTIL)
tests_test_cause_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_cause_LDADD = src/libtasktonic.la $(CMOCKA_LIBS) $(PTHREAD_LIBS)

# --- test-args: typed arguments, copying, conversions, libffi calls ---------
check_PROGRAMS += tests/test-args
TESTS += tests/test-args
tests_test_args_SOURCES = tests/test-args.c $(TESTS_CHECK_UTIL)
tests_test_args_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_args_LDADD = src/libtasktonic.la $(CMOCKA_LIBS) $(PTHREAD_LIBS)

# --- test-threads: many threads post, none lost, order kept -----------------
# Check it for data races with
#   libtool --mode=execute valgrind --tool=helgrind tests/test-threads
check_PROGRAMS += tests/test-threads
TESTS += tests/test-threads
tests_test_threads_SOURCES = tests/test-threads.c $(TESTS_CHECK_UTIL)
tests_test_threads_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(PTHREAD_CFLAGS)
tests_test_threads_LDADD = src/libtasktonic.la $(CMOCKA_LIBS) $(PTHREAD_LIBS)

# --- test-badinput: registration, posting and loading mistakes --------------
check_PROGRAMS += tests/test-badinput
TESTS += tests/test-badinput
tests_test_badinput_SOURCES = tests/test-badinput.c $(TESTS_CHECK_UTIL)
tests_test_badinput_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_badinput_LDADD = src/libtasktonic.la $(CMOCKA_LIBS) $(PTHREAD_LIBS)
EXTRA_tests_test_badinput_DEPENDENCIES = tests/mod-noformula.la \
	tests/mod-oldabi.la tests/mod-noabi.la

# --- test-catalyst: the production Catalyst in real time, stop, wake-up -----
check_PROGRAMS += tests/test-catalyst
TESTS += tests/test-catalyst
tests_test_catalyst_SOURCES = tests/test-catalyst.c $(TESTS_CHECK_UTIL)
tests_test_catalyst_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(PTHREAD_CFLAGS)
tests_test_catalyst_LDADD = src/libtasktonic.la $(CMOCKA_LIBS) $(PTHREAD_LIBS)
EXTRA_tests_test_catalyst_DEPENDENCIES = tests/mod-countdown.la

# --- test-oom: every allocation of a scenario failed in turn -----------------
check_PROGRAMS += tests/test-oom
TESTS += tests/test-oom
tests_test_oom_SOURCES = tests/test-oom.c
tests_test_oom_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_oom_LDADD = src/libtasktonic.la $(CMOCKA_LIBS)

# --- ttrun-flood.sh: ttrun stops under posting load from 16 threads --------
TESTS += tests/ttrun-flood.sh
dist_check_SCRIPTS += tests/ttrun-flood.sh
tests/ttrun-flood.sh.log: src/ttrun tests/mod-flood.la

# --- ttrun.sh: ttrun on the check app (runs, fails cleanly, SIGTERM) --------
TESTS += tests/ttrun.sh
dist_check_SCRIPTS += tests/ttrun.sh
tests/ttrun.sh.log: src/ttrun tests/mod-countdown.la tests/mod-noformula.la
tests/tui/tmux-attach.sh.log: src/ttrun tests/mod-countdown.la

# --- compile-fail.sh: a TT_ON with the wrong parameter types must not compile
TESTS += tests/compile-fail.sh
dist_check_SCRIPTS += tests/compile-fail.sh

# ---------------------------------------------------------------------------
# Demo app tests (owner: demos): the Distiller used as a user's test would.
# ---------------------------------------------------------------------------
# --- test-handshake: dlopens examples/handshake.la, the contract file -------
check_PROGRAMS += tests/test-handshake
TESTS += tests/test-handshake
tests_test_handshake_SOURCES = tests/test-handshake.c
tests_test_handshake_CFLAGS = $(TESTS_CMOCKA_CFLAGS)
tests_test_handshake_LDADD = $(TESTS_CMOCKA_LDADD)
EXTRA_tests_test_handshake_DEPENDENCIES = examples/handshake.la

# --- test-parent-infusions: parent_infusions.c compiled in; mocked children
# (unit) and the whole tree (integration) -------------------------------------
check_PROGRAMS += tests/test-parent-infusions
TESTS += tests/test-parent-infusions
tests_test_parent_infusions_SOURCES = tests/test-parent-infusions.c \
	examples/parent_infusions.c examples/parent_infusions.h
tests_test_parent_infusions_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/examples
tests_test_parent_infusions_CFLAGS = $(TESTS_CMOCKA_CFLAGS)
tests_test_parent_infusions_LDADD = $(TESTS_CMOCKA_LDADD)

# --- test-trace-load: trace files read back (post-mortem) ----------------------
check_PROGRAMS += tests/test-trace-load
TESTS += tests/test-trace-load
tests_test_trace_load_SOURCES = tests/test-trace-load.c $(TESTS_GOLDEN_UTIL)
tests_test_trace_load_CFLAGS = $(TESTS_CMOCKA_CFLAGS)
tests_test_trace_load_LDADD = $(TESTS_CMOCKA_LDADD)

# --- test-expect: the public test helpers (tt_app_start, tt_expect_*) ---------
check_PROGRAMS += tests/test-expect
TESTS += tests/test-expect
tests_test_expect_SOURCES = tests/test-expect.c
tests_test_expect_CFLAGS = $(TESTS_CMOCKA_CFLAGS)
tests_test_expect_LDADD = $(TESTS_CMOCKA_LDADD)
EXTRA_tests_test_expect_DEPENDENCIES = examples/reference/single_dut.la

# --- save-test: sessions saved as .ttdb and .c tests, run on the app and on
# a deliberately changed one (tests/mutant.h: one handler takes another
# state).  Each mutant is its example built again with that change.
SAVETEST_MUTANT_FLAGS = $(AM_LDFLAGS) $(TT_MODULE_FLAGS) -rpath /nowhere
SAVETEST_MUTANT_CPPFLAGS = $(AM_CPPFLAGS) -include $(top_srcdir)/tests/mutant.h
check_LTLIBRARIES += tests/mutants/traffic_light.la tests/mutants/handshake.la \
	tests/mutants/chunked.la tests/mutants/parent_infusions.la \
	tests/mutants/single_dut.la tests/mutants/state_fallback.la \
	tests/mutants/hierarchy.la tests/mutants/ref_chunked.la tests/mutants/buggy.la
tests_mutants_traffic_light_la_SOURCES = examples/traffic_light.c
tests_mutants_traffic_light_la_CPPFLAGS = $(SAVETEST_MUTANT_CPPFLAGS) \
	-DMUTANT_HANDLER='"TrafficLight_ttse_yellow__on_yellow_done"' -DMUTANT_STATE='"green"'
tests_mutants_traffic_light_la_LDFLAGS = $(SAVETEST_MUTANT_FLAGS)
tests_mutants_traffic_light_la_LIBADD = src/libtasktonic.la
tests_mutants_handshake_la_SOURCES = examples/handshake.c
tests_mutants_handshake_la_CPPFLAGS = $(SAVETEST_MUTANT_CPPFLAGS) \
	-DMUTANT_HANDLER='"ClientTonic_ttse_connecting__on_accepted"' -DMUTANT_STATE='"disconnected"'
tests_mutants_handshake_la_LDFLAGS = $(SAVETEST_MUTANT_FLAGS)
tests_mutants_handshake_la_LIBADD = src/libtasktonic.la
tests_mutants_chunked_la_SOURCES = examples/chunked.c
tests_mutants_chunked_la_CPPFLAGS = $(SAVETEST_MUTANT_CPPFLAGS) \
	-DMUTANT_HANDLER='"Cruncher_ttsc_processing__cancel"' -DMUTANT_STATE='"done"'
tests_mutants_chunked_la_LDFLAGS = $(SAVETEST_MUTANT_FLAGS)
tests_mutants_chunked_la_LIBADD = src/libtasktonic.la
tests_mutants_parent_infusions_la_SOURCES = examples/parent_infusions.c
tests_mutants_parent_infusions_la_CPPFLAGS = $(SAVETEST_MUTANT_CPPFLAGS) \
	-DMUTANT_HANDLER='"Parent_ttse_busy__on_child_done"' -DMUTANT_STATE='"busy"'
tests_mutants_parent_infusions_la_LDFLAGS = $(SAVETEST_MUTANT_FLAGS)
tests_mutants_parent_infusions_la_LIBADD = src/libtasktonic.la
tests_mutants_single_dut_la_SOURCES = examples/reference/single_dut.c
tests_mutants_single_dut_la_CPPFLAGS = $(SAVETEST_MUTANT_CPPFLAGS) \
	-DMUTANT_HANDLER='"DUT_ttse_wait_on_timer__on_timer"' -DMUTANT_STATE='"paused"'
tests_mutants_single_dut_la_LDFLAGS = $(SAVETEST_MUTANT_FLAGS)
tests_mutants_single_dut_la_LIBADD = src/libtasktonic.la
tests_mutants_state_fallback_la_SOURCES = examples/reference/state_fallback.c
tests_mutants_state_fallback_la_CPPFLAGS = $(SAVETEST_MUTANT_CPPFLAGS) \
	-DMUTANT_HANDLER='"Door_ttsc_closed__lock"' -DMUTANT_STATE='"open"'
tests_mutants_state_fallback_la_LDFLAGS = $(SAVETEST_MUTANT_FLAGS)
tests_mutants_state_fallback_la_LIBADD = src/libtasktonic.la
tests_mutants_hierarchy_la_SOURCES = examples/reference/hierarchy.c
tests_mutants_hierarchy_la_CPPFLAGS = $(SAVETEST_MUTANT_CPPFLAGS) \
	-DMUTANT_HANDLER='"Parent_ttse_waiting__on_child_done"' -DMUTANT_STATE='"idle"'
tests_mutants_hierarchy_la_LDFLAGS = $(SAVETEST_MUTANT_FLAGS)
tests_mutants_hierarchy_la_LIBADD = src/libtasktonic.la
tests_mutants_ref_chunked_la_SOURCES = examples/reference/chunked.c
tests_mutants_ref_chunked_la_CPPFLAGS = $(SAVETEST_MUTANT_CPPFLAGS) \
	-DMUTANT_HANDLER='"Cruncher_ttsc_processing__cancel"' -DMUTANT_STATE='"done"'
tests_mutants_ref_chunked_la_LDFLAGS = $(SAVETEST_MUTANT_FLAGS)
tests_mutants_ref_chunked_la_LIBADD = src/libtasktonic.la
# buggy has no states: its changed module divides by 1, so it does not crash
tests_mutants_buggy_la_SOURCES = examples/buggy.c
tests_mutants_buggy_la_CPPFLAGS = $(AM_CPPFLAGS) -DBUGGY_DIVISOR=1
tests_mutants_buggy_la_LDFLAGS = $(SAVETEST_MUTANT_FLAGS)
tests_mutants_buggy_la_LIBADD = src/libtasktonic.la

TESTS += tests/tui/savetest.sh
EXTRA_DIST += tests/tui/savetest.sh tests/mutant.h
tests/tui/savetest.log: tui/ttdb src/libtasktonic.la

# --- test-ttdb-core: ttdb's core alone (no curses, no readline) -------------
check_PROGRAMS += tests/test-ttdb-core
TESTS += tests/test-ttdb-core
tests_test_ttdb_core_SOURCES = tests/test-ttdb-core.c
tests_test_ttdb_core_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tui/core
tests_test_ttdb_core_CFLAGS = $(TESTS_CMOCKA_CFLAGS)
tests_test_ttdb_core_LDADD = $(TTDB_CORE_LIBS) $(CMOCKA_LIBS) $(LIBM)
EXTRA_tests_test_ttdb_core_DEPENDENCIES = tests/tui/apps/counter.la

# --- test-record: the production Catalyst's flight recorder --------------------
check_PROGRAMS += tests/test-record
TESTS += tests/test-record
tests_test_record_SOURCES = tests/test-record.c
tests_test_record_CFLAGS = $(TESTS_CMOCKA_CFLAGS)
tests_test_record_LDADD = $(TESTS_CMOCKA_LDADD)
