# bench/local.mk: benchmarks, built by `make bench` (never run by make check).
# Each prints its figure and the command that reproduces it.
bench_programs = bench/bench-engine bench/bench-json bench/bench-export bench/bench-scale \
	bench/bench-record bench/bench-race bench/bench-attach
EXTRA_PROGRAMS = $(bench_programs)
bench_bench_engine_SOURCES = bench/bench-engine.c bench/chain.h
bench_bench_engine_LDADD = src/libtasktonic.la
bench_bench_scale_SOURCES = bench/bench-scale.c bench/chain.h
bench_bench_scale_LDADD = src/libtasktonic.la
bench_bench_json_SOURCES = bench/bench-json.c bench/chain.h
bench_bench_json_LDADD = src/libtasktonic.la
bench_bench_export_SOURCES = bench/bench-export.c bench/chain.h
bench_bench_export_LDADD = plugins/libttdbplugins.la src/libtasktonic.la
bench_bench_record_SOURCES = bench/bench-record.c bench/chain.h
bench_bench_record_LDADD = src/libtasktonic.la
bench_bench_attach_SOURCES = bench/bench-attach.c bench/chain.h
bench_bench_attach_LDADD = src/libtasktonic.la
CLEANFILES += $(bench_programs)

# Build the benchmarks: `make bench`, then run e.g. bench/bench-engine.
bench: $(bench_programs)
.PHONY: bench
bench: $(TTDB_EXPORTERS)
EXTRA_DIST += bench/timetravel.sh bench/ab.sh

# bench-race: the Catalyst against libevent's event_active (libevent only
# when configure found it; nothing else links it).
bench_bench_race_SOURCES = bench/bench-race.c bench/chain.h
bench_bench_race_LDADD = src/libtasktonic.la
if HAVE_LIBEVENT
bench_bench_race_CPPFLAGS = $(AM_CPPFLAGS) -DHAVE_LIBEVENT $(LIBEVENT_CFLAGS)
bench_bench_race_LDADD += $(LIBEVENT_LIBS)
endif
