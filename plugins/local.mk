# plugins/local.mk: the exporter plugin ABI, its loader and the exporters.
# Included by the top Makefile.am; paths are relative to the top.

include_HEADERS += plugins/ttdb-plugin.h
noinst_HEADERS += plugins/export-util.h
EXTRA_DIST += doc/exporters.md

# The loader, linked into ttdb, the tests and the benchmark.
noinst_LTLIBRARIES += plugins/libttdbplugins.la
plugins_libttdbplugins_la_SOURCES = plugins/loader.c plugins/file-write.c \
	plugins/loader-int.h
plugins_libttdbplugins_la_LIBADD = src/libtasktonic.la $(DL_LIBS)

# The exporters: one module each, exporting only their descriptor.  In the
# build tree they land in plugins/.libs/ (what TTDB_PLUGIN_PATH names for the
# tests); installed in $(pkglibdir).
TTDB_EXPORTER_FLAGS = $(AM_LDFLAGS) $(TT_MODULE_FLAGS) \
	-export-symbols-regex '^ttdb_exporter_desc$$'
TTDB_EXPORTER_CFLAGS = $(AM_CFLAGS) $(VISIBILITY_CFLAGS)
TTDB_EXPORTER_UTIL = plugins/export-util.c plugins/export-util.h

TTDB_EXPORTERS = plugins/json.la plugins/chrome.la plugins/csv.la \
	plugins/mermaid.la plugins/dot.la
pkglib_LTLIBRARIES += $(TTDB_EXPORTERS)

plugins_json_la_SOURCES = plugins/export-json.c $(TTDB_EXPORTER_UTIL)
plugins_json_la_CFLAGS = $(TTDB_EXPORTER_CFLAGS)
plugins_json_la_LDFLAGS = $(TTDB_EXPORTER_FLAGS)
plugins_json_la_LIBADD = src/libtasktonic.la $(LIBM)

plugins_chrome_la_SOURCES = plugins/export-chrome.c $(TTDB_EXPORTER_UTIL)
plugins_chrome_la_CFLAGS = $(TTDB_EXPORTER_CFLAGS)
plugins_chrome_la_LDFLAGS = $(TTDB_EXPORTER_FLAGS)
plugins_chrome_la_LIBADD = src/libtasktonic.la $(LIBM)

plugins_csv_la_SOURCES = plugins/export-csv.c $(TTDB_EXPORTER_UTIL)
plugins_csv_la_CFLAGS = $(TTDB_EXPORTER_CFLAGS)
plugins_csv_la_LDFLAGS = $(TTDB_EXPORTER_FLAGS)
plugins_csv_la_LIBADD = src/libtasktonic.la $(LIBM)

plugins_mermaid_la_SOURCES = plugins/export-mermaid.c $(TTDB_EXPORTER_UTIL)
plugins_mermaid_la_CFLAGS = $(TTDB_EXPORTER_CFLAGS)
plugins_mermaid_la_LDFLAGS = $(TTDB_EXPORTER_FLAGS)
plugins_mermaid_la_LIBADD = src/libtasktonic.la $(LIBM)

plugins_dot_la_SOURCES = plugins/export-dot.c $(TTDB_EXPORTER_UTIL)
plugins_dot_la_CFLAGS = $(TTDB_EXPORTER_CFLAGS)
plugins_dot_la_LDFLAGS = $(TTDB_EXPORTER_FLAGS)
plugins_dot_la_LIBADD = src/libtasktonic.la $(LIBM)

# The plugin tests (kept here, next to what they test): the cmocka program
# and two broken plugins it must refuse (never installed).
check_PROGRAMS += tests/test-plugins
TESTS += tests/test-plugins
tests_test_plugins_SOURCES = tests/test-plugins.c
tests_test_plugins_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(JANSSON_CFLAGS)
tests_test_plugins_LDADD = plugins/libttdbplugins.la src/libtasktonic.la \
	$(CMOCKA_LIBS) $(JANSSON_LIBS) $(LIBM)
# The exporters must be built before the test runs.
tests_test_plugins_DEPENDENCIES = plugins/libttdbplugins.la src/libtasktonic.la \
	$(TTDB_EXPORTERS) tests/plugin-badabi.la tests/plugin-nodesc.la

check_LTLIBRARIES += tests/plugin-badabi.la tests/plugin-nodesc.la
tests_plugin_badabi_la_SOURCES = tests/plugin-badabi.c
tests_plugin_badabi_la_LDFLAGS = $(AM_LDFLAGS) $(TT_MODULE_FLAGS) -rpath /nowhere
tests_plugin_nodesc_la_SOURCES = tests/plugin-nodesc.c
tests_plugin_nodesc_la_LDFLAGS = $(AM_LDFLAGS) $(TT_MODULE_FLAGS) -rpath /nowhere

# The exporters' shared formatting at every magnitude (compiled in).
check_PROGRAMS += tests/test-export-util
TESTS += tests/test-export-util
tests_test_export_util_SOURCES = tests/test-export-util.c $(TTDB_EXPORTER_UTIL)
tests_test_export_util_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins
tests_test_export_util_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_export_util_LDADD = src/libtasktonic.la $(CMOCKA_LIBS) $(LIBM)

# Millions of sparkles with restarts, exports and a trace ring: RSS and open
# descriptors stay flat (bounded: under a minute).
check_PROGRAMS += tests/test-soak
TESTS += tests/test-soak
tests_test_soak_SOURCES = tests/test-soak.c
tests_test_soak_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_soak_LDADD = plugins/libttdbplugins.la src/libtasktonic.la $(CMOCKA_LIBS)
tests_test_soak_DEPENDENCIES = plugins/libttdbplugins.la src/libtasktonic.la \
	$(TTDB_EXPORTERS)
