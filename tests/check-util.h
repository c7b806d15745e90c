/*
 * check-util.h: small helpers shared by the runtime's cmocka tests
 * (test-naming, test-dispatch, test-lifecycle, test-ledger, test-timers,
 * test-args, test-threads, test-badinput, test-catalyst).
 *
 * They crank a Distiller and describe what it ran as short text, so that a
 * test can state a whole expected order in one string:
 *
 *     cu_expect_trace(cat, run, "Door.ttsc__close, Door._ttinternal_state_change_to, "
 *                               "Door.ttse__on_enter");
 *
 * Handlers record what they did in a shared event log (cu_log), which a test
 * compares as a whole (cu_expect_log).  Include after <cmocka.h>.
 */
#ifndef CHECK_UTIL_H
#define CHECK_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tasktonic.h"

/* A fresh Distiller catalyst with virtual time (fails the test otherwise). */
tt_catalyst *cu_distiller(void);
/* A fresh production Catalyst. */
tt_catalyst *cu_catalyst(void);

/* tt_distiller_sparkle that must succeed; args may be NULL (run until idle). */
const tt_run *cu_sparkle(tt_catalyst *cat, const tt_sparkle_args *args);
/* Run `count` sparkles (with the extras of the last one). */
const tt_run *cu_count(tt_catalyst *cat, long count);
/* Run until nothing can happen any more (idle) or the catalyst finished. */
const tt_run *cu_all(tt_catalyst *cat);

/* Entry i (0-based) of a run. */
const tt_trace_entry *cu_entry(tt_catalyst *cat, const tt_run *run, uint64_t i);
/* The entries of a run as "Tonic.sparkle, Tonic.sparkle" (malloc'ed). */
char *cu_trace_text(tt_catalyst *cat, const tt_run *run);
/* Assert the entries of a run, in order, as cu_trace_text writes them. */
void cu_expect_trace(tt_catalyst *cat, const tt_run *run, const char *expected);
/* Index of the first entry of `run` named "Tonic.sparkle" at or after `from`,
 * or -1. */
long cu_find(tt_catalyst *cat, const tt_run *run, const char *what, uint64_t from);
/* Assert the source of an entry: src NULL for external. */
void cu_expect_source(tt_catalyst *cat, const tt_trace_entry *e, const char *src,
                      const char *sparkle, int id);
/* Whether the run stopped (among others) for `why`. */
bool cu_stopped_for(const tt_run *run, const char *why);
/* Assert that the stop conditions are exactly the `n` listed ones. */
void cu_expect_stops(const tt_run *run, size_t n, ...);
/* Print a run as TAP comments when TT_TEST_VERBOSE is set. */
void cu_dump(tt_catalyst *cat, const tt_run *run);

/* Assert that `haystack` contains `needle` (both printed otherwise). */
void cu_expect_contains(const char *haystack, const char *needle);

/* The event log: handlers append "what;" items, tests compare the whole. */
void cu_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cu_log_reset(void);
const char *cu_log_text(void);
/* Assert the log and empty it. */
void cu_expect_log(const char *expected);

/* Set up function for cmocka groups: empties the log. */
int cu_setup(void **state);

#endif /* CHECK_UTIL_H */
