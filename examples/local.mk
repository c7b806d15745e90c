# examples/local.mk: Tonic apps built as loadable modules (dlopen'ed by ttdb,
# ttrun and the tests; each exports only its formula, `tt_formula`, and
# `tt_module_abi`, both from TT_FORMULA).
# Included by the top Makefile.am; paths are relative to the top.
#
# They are not installed, so they need `-rpath` to be built as shared objects;
# plain `make` builds NAME.la and .libs/NAME.so.  Tests find them under
# $EXAMPLES (this folder in the build tree).  One block per group of apps.

# Flags shared by every app module in this folder.
EXAMPLES_MODULE_LDFLAGS = $(AM_LDFLAGS) $(TT_MODULE_FLAGS) -rpath $(abs_builddir) \
	-export-symbols-regex '^tt_(formula|module_abi)$$'
EXAMPLES_MODULE_LIBADD = src/libtasktonic.la

# ---------------------------------------------------------------------------
# Reference scenarios: the C versions of the Python scenarios whose golden
# traces are in tests/golden/ (tests/test-golden.c replays them).  NAME.h
# holds the tonic data a test may look into with tt_data().
# ---------------------------------------------------------------------------
noinst_LTLIBRARIES += \
	examples/reference/single_dut.la \
	examples/reference/state_fallback.la \
	examples/reference/hierarchy.la \
	examples/reference/chunked.la

examples_reference_single_dut_la_SOURCES = \
	examples/reference/single_dut.c examples/reference/single_dut.h
examples_reference_single_dut_la_LDFLAGS = $(EXAMPLES_MODULE_LDFLAGS)
examples_reference_single_dut_la_LIBADD = $(EXAMPLES_MODULE_LIBADD)

examples_reference_state_fallback_la_SOURCES = \
	examples/reference/state_fallback.c examples/reference/state_fallback.h
examples_reference_state_fallback_la_LDFLAGS = $(EXAMPLES_MODULE_LDFLAGS)
examples_reference_state_fallback_la_LIBADD = $(EXAMPLES_MODULE_LIBADD)

examples_reference_hierarchy_la_SOURCES = \
	examples/reference/hierarchy.c examples/reference/hierarchy.h
examples_reference_hierarchy_la_LDFLAGS = $(EXAMPLES_MODULE_LDFLAGS)
examples_reference_hierarchy_la_LIBADD = $(EXAMPLES_MODULE_LIBADD)

examples_reference_chunked_la_SOURCES = \
	examples/reference/chunked.c examples/reference/chunked.h
examples_reference_chunked_la_LDFLAGS = $(EXAMPLES_MODULE_LDFLAGS)
examples_reference_chunked_la_LIBADD = $(EXAMPLES_MODULE_LIBADD)

# ---------------------------------------------------------------------------
# Demo apps (added below by their owner, in the same form).
# ---------------------------------------------------------------------------

# ---------------------------------------------------------------------------
# Demo apps (owner: demos).  Each has NAME.ttdb (a ttdb tour) and a section
# in examples/README.md; tests/test-handshake.c dlopens handshake.la,
# tests/test-parent-infusions.c compiles parent_infusions.c in, and
# tests/test-crash.c drives buggy.la.
# ---------------------------------------------------------------------------
noinst_LTLIBRARIES += \
	examples/traffic_light.la \
	examples/handshake.la \
	examples/chunked.la \
	examples/parent_infusions.la \
	examples/buggy.la

examples_traffic_light_la_SOURCES = examples/traffic_light.c
examples_traffic_light_la_LDFLAGS = $(EXAMPLES_MODULE_LDFLAGS)
examples_traffic_light_la_LIBADD = $(EXAMPLES_MODULE_LIBADD)

examples_handshake_la_SOURCES = examples/handshake.c
examples_handshake_la_LDFLAGS = $(EXAMPLES_MODULE_LDFLAGS)
examples_handshake_la_LIBADD = $(EXAMPLES_MODULE_LIBADD)

examples_chunked_la_SOURCES = examples/chunked.c
examples_chunked_la_LDFLAGS = $(EXAMPLES_MODULE_LDFLAGS)
examples_chunked_la_LIBADD = $(EXAMPLES_MODULE_LIBADD)

examples_parent_infusions_la_SOURCES = \
	examples/parent_infusions.c examples/parent_infusions.h
examples_parent_infusions_la_LDFLAGS = $(EXAMPLES_MODULE_LDFLAGS)
examples_parent_infusions_la_LIBADD = $(EXAMPLES_MODULE_LIBADD)

examples_buggy_la_SOURCES = examples/buggy.c
examples_buggy_la_LDFLAGS = $(EXAMPLES_MODULE_LDFLAGS)
examples_buggy_la_LIBADD = $(EXAMPLES_MODULE_LIBADD)

EXTRA_DIST += \
	examples/README.md \
	examples/handshake-contract.json \
	examples/traffic_light.ttdb \
	examples/traffic.ttdb \
	examples/handshake.ttdb \
	examples/chunked.ttdb \
	examples/parent_infusions.ttdb \
	examples/buggy.ttdb
