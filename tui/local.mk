# tui/local.mk: ttdb, the terminal debugger, its man page and its tests.
# Included by the top Makefile.am; paths are relative to the top.

bin_PROGRAMS += tui/ttdb
# Everything but main.c: also linked by the command fuzz target (fuzz/local.mk).
TTDB_CORE_SOURCES = \
	tui/batch.c \
	tui/output.c \
	tui/util.c \
	tui/session.c \
	tui/resolve.c \
	tui/format.c \
	tui/options.c \
	tui/breakpoint.c \
	tui/cmd.c \
	tui/cmd-run.c \
	tui/cmd-break.c \
	tui/cmd-info.c \
	tui/cmd-call.c \
	tui/cmd-export.c \
	tui/cmd-misc.c \
	tui/screen.c \
	tui/prompt.c \
	tui/keys.c \
	tui/status.c \
	tui/screen-dump.c \
	tui/view.c \
	tui/view-tonics.c \
	tui/view-queue.c \
	tui/view-trace.c \
	tui/view-probes.c \
	tui/view-console.c \
	tui/view-detail.c
tui_ttdb_SOURCES = tui/ttdb.h tui/screen.h tui/main.c $(TTDB_CORE_SOURCES)
# An uninstalled ttdb finds the exporters of its build tree (cmd-export.c).
tui_ttdb_CPPFLAGS = $(AM_CPPFLAGS) -DTTDB_BUILDDIR=\"$(abs_top_builddir)\"
tui_ttdb_CFLAGS = $(AM_CFLAGS) $(CURSES_CFLAGS) $(READLINE_CFLAGS) \
	$(JANSSON_CFLAGS)
tui_ttdb_LDADD = src/libtasktonic.la plugins/libttdbplugins.la \
	$(CURSES_LIBS) $(READLINE_LIBS) $(JANSSON_LIBS) $(DL_LIBS)

dist_man_MANS += doc/ttdb.1

# ---------------------------------------------------------------------------
# Tests: batch-mode scripts, the reference scenarios driven by ttdb scripts,
# and terminal tests under tmux.  They use $TTDB, $EXAMPLES, $GOLDEN and
# the test apps below ($top_builddir/tests/tui/apps/NAME.la).
# ---------------------------------------------------------------------------

# Test apps (loadable modules, never installed).
TTDB_TEST_APP_FLAGS = $(AM_LDFLAGS) $(TT_MODULE_FLAGS) -rpath /nowhere
check_LTLIBRARIES += tests/tui/apps/counter.la tests/tui/apps/chain.la \
	tests/tui/apps/noformula.la tests/tui/apps/badformula.la
tests_tui_apps_counter_la_SOURCES = tests/tui/apps/counter.c
tests_tui_apps_counter_la_LDFLAGS = $(TTDB_TEST_APP_FLAGS)
tests_tui_apps_counter_la_LIBADD = src/libtasktonic.la
tests_tui_apps_chain_la_SOURCES = tests/tui/apps/chain.c
tests_tui_apps_chain_la_LDFLAGS = $(TTDB_TEST_APP_FLAGS)
tests_tui_apps_chain_la_LIBADD = src/libtasktonic.la
tests_tui_apps_noformula_la_SOURCES = tests/tui/apps/noformula.c
tests_tui_apps_noformula_la_LDFLAGS = $(TTDB_TEST_APP_FLAGS)
tests_tui_apps_badformula_la_SOURCES = tests/tui/apps/badformula.c
tests_tui_apps_badformula_la_LDFLAGS = $(TTDB_TEST_APP_FLAGS)
tests_tui_apps_badformula_la_LIBADD = src/libtasktonic.la

# Compares `sparkle -json` lines with a golden file (normalized).
check_PROGRAMS += tests/tui/golden-compare
tests_tui_golden_compare_SOURCES = tests/tui/golden-compare.c
tests_tui_golden_compare_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
tests_tui_golden_compare_LDADD = $(JANSSON_LIBS)

TTDB_TUI_TESTS = \
	tests/tui/batch-basic.sh \
	tests/tui/batch-run.sh \
	tests/tui/batch-break.sh \
	tests/tui/batch-info.sh \
	tests/tui/batch-call.sh \
	tests/tui/batch-export.sh \
	tests/tui/batch-errors.sh \
	tests/tui/batch-crash.sh \
	tests/tui/golden.sh \
	tests/tui/demo-scripts.sh \
	tests/tui/tmux.sh
TESTS += $(TTDB_TUI_TESTS)
EXTRA_DIST += $(TTDB_TUI_TESTS) tests/tui/lib.sh \
	tests/tui/scripts/single_dut.ttdb tests/tui/scripts/state_fallback.ttdb \
	tests/tui/scripts/hierarchy.ttdb tests/tui/scripts/chunked.ttdb
