# tui/local.mk: ttdb, the terminal debugger, its man page and its tests.
# Included by the top Makefile.am; paths are relative to the top.

bin_PROGRAMS += tui/ttdb
# The layout: tui/core/ is the debugger (session, commands, breakpoints,
# output), which knows no terminal; tui/screen/ the curses front end
# (panes, keys, prompt), tui/batch/ the plain-text one, tui/dap/ the Debug
# Adapter Protocol (ttdb --dap); tui/main.c picks one (tui/frontends.h).
#
# The core, built once without curses or readline: linked by ttdb, the
# command fuzz target (fuzz/local.mk) and the core's unit tests.
noinst_LTLIBRARIES += tui/libttdbcore.la
tui_libttdbcore_la_SOURCES = \
	tui/core/ttdb.h \
	tui/core/frontend.c \
	tui/core/output.c \
	tui/core/app-output.c \
	tui/core/util.c \
	tui/core/script.c \
	tui/core/session.c \
	tui/core/trace-session.c \
	tui/core/attach.c \
	tui/core/resolve.c \
	tui/core/format.c \
	tui/core/options.c \
	tui/core/breakpoint.c \
	tui/core/cmd.c \
	tui/core/cmd-run.c \
	tui/core/cmd-break.c \
	tui/core/cmd-info.c \
	tui/core/cmd-lint.c \
	tui/core/cmd-expect.c \
	tui/core/cmd-print.c \
	tui/core/cmd-call.c \
	tui/core/cmd-export.c \
	tui/core/cmd-misc.c \
	tui/core/cmd-shell.c \
	tui/core/record.c tui/core/record.h \
	tui/core/cmd-savetest.c \
	tui/core/cmd-why.c \
	tui/core/cmd-time.c \
	tui/core/checkpoint.c \
	tui/core/journal.c
# An uninstalled ttdb finds the exporters of its build tree (cmd-export.c).
tui_libttdbcore_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tui/core \
	-DTTDB_BUILDDIR=\"$(abs_top_builddir)\"
tui_libttdbcore_la_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
TTDB_CORE_LIBS = tui/libttdbcore.la src/libtasktonic.la \
	plugins/libttdbplugins.la $(JANSSON_LIBS) $(DL_LIBS)
# What code that uses the core includes (ttdb.h, frontends.h).
TTDB_INCLUDES = -I$(top_srcdir)/tui/core -I$(top_srcdir)/tui

# The front ends and main.c.
TTDB_SCREEN_SOURCES = \
	tui/screen/screen.h \
	tui/screen/screen.c \
	tui/screen/cmd-screen.c \
	tui/screen/prompt.c \
	tui/screen/keys.c \
	tui/screen/status.c \
	tui/screen/screen-dump.c \
	tui/screen/view.c \
	tui/screen/view-tonics.c \
	tui/screen/view-queue.c \
	tui/screen/view-trace.c \
	tui/screen/view-probes.c \
	tui/screen/view-console.c \
	tui/screen/view-detail.c
TTDB_DAP_SOURCES = \
	tui/dap/dap.h \
	tui/dap/dap.c \
	tui/dap/dap-io.c \
	tui/dap/dap-source.c \
	tui/dap/dap-vars.c
tui_ttdb_SOURCES = tui/frontends.h tui/main.c tui/complete.c \
	tui/batch/batch.c tui/batch/line.c \
	$(TTDB_SCREEN_SOURCES) $(TTDB_DAP_SOURCES)
tui_ttdb_CPPFLAGS = $(AM_CPPFLAGS) $(TTDB_INCLUDES)
tui_ttdb_CFLAGS = $(AM_CFLAGS) $(CURSES_CFLAGS) $(READLINE_CFLAGS) \
	$(JANSSON_CFLAGS) $(DW_CFLAGS) $(PTHREAD_CFLAGS)
# The modules ttdb loads call its exit() (main.c), which a sparkle cannot
# end ttdb with.
tui_ttdb_LDFLAGS = $(AM_LDFLAGS) -Wl,--export-dynamic-symbol=exit
tui_ttdb_LDADD = $(TTDB_CORE_LIBS) $(CURSES_LIBS) $(READLINE_LIBS) \
	$(DW_LIBS) $(PTHREAD_LIBS)

dist_man_MANS += doc/ttdb.1

# ---------------------------------------------------------------------------
# Tests: batch-mode scripts, the reference scenarios driven by ttdb scripts,
# and terminal tests under tmux.  They use $TTDB, $EXAMPLES, $GOLDEN and
# the test apps below ($top_builddir/tests/tui/apps/NAME.la).
# ---------------------------------------------------------------------------

# Test apps (loadable modules, never installed).
TTDB_TEST_APP_FLAGS = $(AM_LDFLAGS) $(TT_MODULE_FLAGS) -rpath /nowhere
check_LTLIBRARIES += tests/tui/apps/counter.la tests/tui/apps/chain.la \
	tests/tui/apps/chatty.la \
	tests/tui/apps/noformula.la tests/tui/apps/badformula.la \
	tests/tui/apps/hostile.la \
	tests/tui/apps/wallclock.la tests/tui/apps/faults.la \
	tests/tui/apps/statics.la
tests_tui_apps_statics_la_SOURCES = tests/tui/apps/statics.c
tests_tui_apps_statics_la_LDFLAGS = $(TTDB_TEST_APP_FLAGS)
tests_tui_apps_statics_la_LIBADD = src/libtasktonic.la
tests_tui_apps_wallclock_la_SOURCES = tests/tui/apps/wallclock.c
tests_tui_apps_wallclock_la_LDFLAGS = $(TTDB_TEST_APP_FLAGS)
tests_tui_apps_wallclock_la_LIBADD = src/libtasktonic.la
tests_tui_apps_faults_la_SOURCES = tests/tui/apps/faults.c
tests_tui_apps_faults_la_LDFLAGS = $(TTDB_TEST_APP_FLAGS)
tests_tui_apps_faults_la_LIBADD = src/libtasktonic.la
tests_tui_apps_counter_la_SOURCES = tests/tui/apps/counter.c
tests_tui_apps_counter_la_LDFLAGS = $(TTDB_TEST_APP_FLAGS)
tests_tui_apps_counter_la_LIBADD = src/libtasktonic.la
tests_tui_apps_chatty_la_SOURCES = tests/tui/apps/chatty.c
tests_tui_apps_chatty_la_LDFLAGS = $(TTDB_TEST_APP_FLAGS)
tests_tui_apps_chatty_la_LIBADD = src/libtasktonic.la
tests_tui_apps_chain_la_SOURCES = tests/tui/apps/chain.c
tests_tui_apps_chain_la_LDFLAGS = $(TTDB_TEST_APP_FLAGS)
tests_tui_apps_chain_la_LIBADD = src/libtasktonic.la
tests_tui_apps_noformula_la_SOURCES = tests/tui/apps/noformula.c
tests_tui_apps_noformula_la_LDFLAGS = $(TTDB_TEST_APP_FLAGS)
tests_tui_apps_badformula_la_SOURCES = tests/tui/apps/badformula.c
tests_tui_apps_badformula_la_LDFLAGS = $(TTDB_TEST_APP_FLAGS)
tests_tui_apps_badformula_la_LIBADD = src/libtasktonic.la
tests_tui_apps_hostile_la_SOURCES = tests/tui/apps/hostile.c
tests_tui_apps_hostile_la_LDFLAGS = $(TTDB_TEST_APP_FLAGS)
tests_tui_apps_hostile_la_LIBADD = src/libtasktonic.la

# Compares `sparkle -json` lines with a golden file (normalized).
check_PROGRAMS += tests/tui/golden-compare
tests_tui_golden_compare_SOURCES = tests/tui/golden-compare.c
tests_tui_golden_compare_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
tests_tui_golden_compare_LDADD = $(JANSSON_LIBS)

TTDB_TUI_TESTS = \
	tests/tui/batch-basic.sh \
	tests/tui/batch-run.sh \
	tests/tui/batch-break.sh \
	tests/tui/batch-pending.sh \
	tests/tui/batch-expect.sh \
	tests/tui/batch-print.sh \
	tests/tui/batch-output.sh \
	tests/tui/batch-info.sh \
	tests/tui/batch-call.sh \
	tests/tui/batch-notes.sh \
	tests/tui/batch-lint.sh \
	tests/tui/batch-export.sh \
	tests/tui/batch-files.sh \
	tests/tui/batch-guard.sh \
	tests/tui/batch-oom.sh \
	tests/tui/batch-input.sh \
	tests/tui/batch-errors.sh \
	tests/tui/batch-crash.sh \
	tests/tui/batch-trace.sh \
	tests/tui/batch-time.sh \
	tests/tui/batch-checkpoint.sh \
	tests/tui/batch-reverse.sh \
	tests/tui/chrome-flows.sh \
	tests/tui/golden.sh \
	tests/tui/demo-scripts.sh \
	tests/tui/tmux.sh \
	tests/tui/tmux-output.sh \
	tests/tui/tmux-attach.sh
TESTS += $(TTDB_TUI_TESTS)

# The Debug Adapter (ttdb --dap) with a real client: npm's
# @vscode/debugadapter-testsupport under node's test runner.  ./bootstrap
# installs node, npm and the package (into $(top_builddir)/tests/node).
TESTS += tests/dap/dap.sh
EXTRA_DIST += tests/dap/dap.sh tests/dap/dap.test.mjs \
	tests/node/package.json tests/node/package-lock.json \
	tests/node/need-modules.sh \
	editors/vscode/package.json editors/vscode/extension.js \
	editors/vscode/README.md
EXTRA_DIST += $(TTDB_TUI_TESTS) tests/tui/lib.sh tests/tui/tmux-lib.sh tests/tui/chrome-flows.mjs \
	tests/tui/scripts/single_dut.ttdb tests/tui/scripts/state_fallback.ttdb \
	tests/tui/scripts/hierarchy.ttdb tests/tui/scripts/chunked.ttdb
