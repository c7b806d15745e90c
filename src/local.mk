# src/local.mk: libtasktonic (the TaskTonic runtime and its Distiller).
# Included by the top Makefile.am; paths are relative to the top.
# (Created by the build helper; maintained by the lead.)

lib_LTLIBRARIES += src/libtasktonic.la
include_HEADERS += src/tasktonic.h
noinst_HEADERS += src/tt-int.h src/tt-contract.h src/tt-alloc.h
pkgconfig_DATA += src/tasktonic.pc

src_libtasktonic_la_SOURCES = \
	src/alloc.c \
	src/app.c \
	src/catalyst.c \
	src/checkpoint.c \
	src/compat.c \
	src/contract.c \
	src/crash.c \
	src/dispatch.c \
	src/distiller.c \
	src/error.c \
	src/expect.c \
	src/ffi.c \
	src/introspect.c \
	src/klass.c \
	src/lifecycle.c \
	src/lint.c \
	src/names.c \
	src/notes.c \
	src/post.c \
	src/probes.c \
	src/queue.c \
	src/record.c \
	src/record-clock.c \
	src/suggest.c \
	src/timer.c \
	src/tonic.c \
	src/trace.c \
	src/trace-json.c \
	src/trace-load.c \
	src/util.c \
	src/value.c \
	src/value-parse.c
src_libtasktonic_la_CFLAGS = $(AM_CFLAGS) $(VISIBILITY_CFLAGS) \
	$(FFI_CFLAGS) $(JANSSON_CFLAGS) $(PTHREAD_CFLAGS)
# -version-info CURRENT:REVISION:AGE (libtool rules, not the package version).
src_libtasktonic_la_LDFLAGS = $(AM_LDFLAGS) -version-info 0:0:0 -no-undefined
src_libtasktonic_la_LIBADD = $(FFI_LIBS) $(JANSSON_LIBS) $(DL_LIBS) \
	$(PTHREAD_LIBS) $(LIBM)

# ttrun: run an app module under the real-time Catalyst.
bin_PROGRAMS += src/ttrun
src_ttrun_SOURCES = src/ttrun.c src/ttrun.h src/ttrun-listen.c
src_ttrun_LDADD = src/libtasktonic.la $(PTHREAD_LIBS)
dist_man_MANS += doc/ttrun.1
