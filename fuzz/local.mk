# fuzz/local.mk: fuzz targets for the contract parser, the typed-argument
# parser and ttdb's command parser; their seeds (fuzz/corpus/TARGET/) and
# kept crash inputs (fuzz/regress/TARGET/).  Included by the top Makefile.am;
# paths are relative to the top.  See fuzz/README.md.
#
# - `make check` replays every seed and regression input through each target
#   with fuzz/replay.c as main() (any compiler, no libFuzzer): fuzz/replay.sh.
# - `make fuzz` (./configure CC=clang --enable-fuzzing) builds the libFuzzer
#   targets and runs each for FUZZ_SECONDS on a copy of its corpus; crash
#   inputs are copied to fuzz/regress/TARGET/ in the source tree.

FUZZ_SECONDS = 60
FUZZ_TARGETS = fuzz-contract fuzz-value-parse fuzz-command fuzz-trace \
	fuzz-dap
# Extra libFuzzer options for `make fuzz`, e.g. FUZZ_FLAGS=-jobs=2.
FUZZ_FLAGS =

# The parser sources the two parser targets are built from (without the
# rest of the library; fuzz-stubs.c stands in for the catalyst functions).
FUZZ_PARSER_SOURCES = src/alloc.c src/value.c src/value-parse.c src/suggest.c src/error.c \
	fuzz/fuzz-stubs.c
FUZZ_PARSER_CFLAGS = $(AM_CFLAGS) $(FFI_CFLAGS) $(JANSSON_CFLAGS) $(PTHREAD_CFLAGS)
FUZZ_PARSER_LIBS = $(JANSSON_LIBS) $(LIBM)

# The app the command target opens sessions on (never installed).
check_LTLIBRARIES += fuzz/fuzz-app.la
fuzz_fuzz_app_la_SOURCES = fuzz/fuzz-app.c
fuzz_fuzz_app_la_LDFLAGS = $(AM_LDFLAGS) $(TT_MODULE_FLAGS) -rpath /nowhere
fuzz_fuzz_app_la_LIBADD = src/libtasktonic.la
# Without coverage counters: verify, goto and reverse-step load a private
# copy of the app module and unload it again, and libFuzzer would go on
# reading the counters of the unmapped copy (a SEGV in CollectFeatures).
if ENABLE_FUZZING
FUZZ_APP_NOCOV = -fno-sanitize=fuzzer-no-link
else
FUZZ_APP_NOCOV =
endif
fuzz_fuzz_app_la_CFLAGS = $(AM_CFLAGS) $(FUZZ_APP_NOCOV)

FUZZ_COMMAND_CPPFLAGS = $(AM_CPPFLAGS) $(TTDB_INCLUDES) \
	-DFUZZ_APP_DEFAULT='"$(abs_top_builddir)/fuzz/fuzz-app.la"' \
	-DFUZZ_PLUGIN_PATH_DEFAULT='"$(abs_top_builddir)/plugins/.libs"'
FUZZ_COMMAND_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
# Only the core: no curses, no readline (tui/local.mk).
FUZZ_COMMAND_LIBS = $(TTDB_CORE_LIBS)

# --- Replay in `make check` ------------------------------------------------
check_PROGRAMS += fuzz/replay-contract fuzz/replay-value-parse \
	fuzz/replay-command fuzz/replay-trace fuzz/replay-dap
fuzz_replay_contract_SOURCES = fuzz/replay.c fuzz/fuzz-contract.c \
	src/contract.c $(FUZZ_PARSER_SOURCES)
fuzz_replay_contract_CFLAGS = $(FUZZ_PARSER_CFLAGS)
fuzz_replay_contract_LDADD = $(FUZZ_PARSER_LIBS)
fuzz_replay_value_parse_SOURCES = fuzz/replay.c fuzz/fuzz-value-parse.c \
	$(FUZZ_PARSER_SOURCES)
fuzz_replay_value_parse_CFLAGS = $(FUZZ_PARSER_CFLAGS)
fuzz_replay_value_parse_LDADD = $(FUZZ_PARSER_LIBS)
fuzz_replay_command_SOURCES = fuzz/replay.c fuzz/fuzz-command.c
fuzz_replay_command_CPPFLAGS = $(FUZZ_COMMAND_CPPFLAGS)
fuzz_replay_command_CFLAGS = $(FUZZ_COMMAND_CFLAGS)
fuzz_replay_command_LDADD = $(FUZZ_COMMAND_LIBS)
fuzz_replay_command_LDFLAGS = $(AM_LDFLAGS) -no-install
# It loads the app and the exporter plugins.
EXTRA_fuzz_replay_command_DEPENDENCIES = fuzz/fuzz-app.la \
	$(TTDB_EXPORTERS)

# The trace reader, with the whole library.
fuzz_replay_trace_SOURCES = fuzz/replay.c fuzz/fuzz-trace.c
fuzz_replay_trace_LDADD = src/libtasktonic.la
fuzz_replay_trace_LDFLAGS = $(AM_LDFLAGS) -no-install

# ttdb's Debug Adapter (tui/dap/) on the core, fed through a pipe.
FUZZ_DAP_SOURCES = fuzz/fuzz-dap.c $(TTDB_DAP_SOURCES)
FUZZ_DAP_CFLAGS = $(FUZZ_COMMAND_CFLAGS) $(DW_CFLAGS) $(PTHREAD_CFLAGS)
FUZZ_DAP_LIBS = $(FUZZ_COMMAND_LIBS) $(DW_LIBS) $(PTHREAD_LIBS)
fuzz_replay_dap_SOURCES = fuzz/replay.c $(FUZZ_DAP_SOURCES)
fuzz_replay_dap_CPPFLAGS = $(FUZZ_COMMAND_CPPFLAGS) -I$(top_srcdir)/tui/dap
fuzz_replay_dap_CFLAGS = $(FUZZ_DAP_CFLAGS)
fuzz_replay_dap_LDADD = $(FUZZ_DAP_LIBS)
fuzz_replay_dap_LDFLAGS = $(AM_LDFLAGS) -no-install
EXTRA_fuzz_replay_dap_DEPENDENCIES = fuzz/fuzz-app.la

TESTS += fuzz/replay.sh
EXTRA_DIST += fuzz/replay.sh fuzz/run-fuzz.sh fuzz/README.md \
	fuzz/fuzz-contract.dict fuzz/fuzz-value-parse.dict \
	fuzz/fuzz-command.dict fuzz/corpus fuzz/regress

# --- libFuzzer targets: `make fuzz` -----------------------------------------
if ENABLE_FUZZING
noinst_PROGRAMS += fuzz/fuzz-contract fuzz/fuzz-value-parse fuzz/fuzz-command \
	fuzz/fuzz-trace fuzz/fuzz-dap
fuzz_fuzz_dap_SOURCES = $(FUZZ_DAP_SOURCES)
fuzz_fuzz_dap_CPPFLAGS = $(FUZZ_COMMAND_CPPFLAGS) -I$(top_srcdir)/tui/dap
fuzz_fuzz_dap_CFLAGS = $(FUZZ_DAP_CFLAGS)
fuzz_fuzz_dap_LDADD = $(FUZZ_DAP_LIBS)
fuzz_fuzz_dap_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS) -no-install
EXTRA_fuzz_fuzz_dap_DEPENDENCIES = fuzz/fuzz-app.la
fuzz_fuzz_trace_SOURCES = fuzz/fuzz-trace.c
fuzz_fuzz_trace_LDADD = src/libtasktonic.la
fuzz_fuzz_trace_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS) -no-install
fuzz_fuzz_contract_SOURCES = fuzz/fuzz-contract.c src/contract.c \
	$(FUZZ_PARSER_SOURCES)
fuzz_fuzz_contract_CFLAGS = $(FUZZ_PARSER_CFLAGS)
fuzz_fuzz_contract_LDADD = $(FUZZ_PARSER_LIBS)
fuzz_fuzz_contract_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_value_parse_SOURCES = fuzz/fuzz-value-parse.c $(FUZZ_PARSER_SOURCES)
fuzz_fuzz_value_parse_CFLAGS = $(FUZZ_PARSER_CFLAGS)
fuzz_fuzz_value_parse_LDADD = $(FUZZ_PARSER_LIBS)
fuzz_fuzz_value_parse_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_command_SOURCES = fuzz/fuzz-command.c
fuzz_fuzz_command_CPPFLAGS = $(FUZZ_COMMAND_CPPFLAGS)
fuzz_fuzz_command_CFLAGS = $(FUZZ_COMMAND_CFLAGS)
fuzz_fuzz_command_LDADD = $(FUZZ_COMMAND_LIBS)
fuzz_fuzz_command_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS) -no-install
EXTRA_fuzz_fuzz_command_DEPENDENCIES = fuzz/fuzz-app.la $(TTDB_EXPORTERS)

fuzz: fuzz/fuzz-contract$(EXEEXT) fuzz/fuzz-value-parse$(EXEEXT) \
	fuzz/fuzz-command$(EXEEXT) fuzz/fuzz-trace$(EXEEXT) \
	fuzz/fuzz-dap$(EXEEXT) fuzz/fuzz-app.la \
	$(TTDB_EXPORTERS)
	FUZZ_SECONDS='$(FUZZ_SECONDS)' FUZZ_FLAGS='$(FUZZ_FLAGS)' \
	  $(SHELL) $(srcdir)/fuzz/run-fuzz.sh '$(abs_top_srcdir)' \
	  '$(abs_top_builddir)' $(FUZZ_TARGETS)
else
fuzz:
	@echo "make fuzz: needs a build configured with clang and libFuzzer:" >&2
	@echo "  ./configure CC=clang --enable-fuzzing   (apt-get install clang)" >&2
	@exit 1
endif

clean-local: clean-local-fuzz
clean-local-fuzz:
	-rm -rf fuzz/run

.PHONY: fuzz clean-local-fuzz
