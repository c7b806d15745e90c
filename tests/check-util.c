/*
 * check-util.c: helpers shared by the runtime's cmocka tests (see
 * check-util.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check-util.h"

/* A catalyst with the given options (the test fails if it cannot be made). */
static tt_catalyst *new_catalyst(tt_mode mode)
{
    tt_catalyst_options opts = {.mode = mode};
    tt_catalyst *cat = NULL;

    assert_int_equal(tt_catalyst_new(&cat, &opts), 0);
    assert_non_null(cat);
    return cat;
}

/* A fresh Distiller with virtual time. */
tt_catalyst *cu_distiller(void)
{
    return new_catalyst(TT_MODE_DISTILLER);
}

/* A fresh production Catalyst. */
tt_catalyst *cu_catalyst(void)
{
    return new_catalyst(TT_MODE_CATALYST);
}

/* Print a run as text (TAP comments) when TT_TEST_VERBOSE is set. */
void cu_dump(tt_catalyst *cat, const tt_run *run)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    if (!getenv("TT_TEST_VERBOSE"))
        return;
    f = open_memstream(&buf, &len);
    if (!f)
        return;
    tt_run_write_text(cat, run, f);
    fclose(f);
    for (char *save = NULL, *line = strtok_r(buf, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save))
        printf("# %s\n", line);
    free(buf);
}

/* Run tt_distiller_sparkle and insist that it worked. */
const tt_run *cu_sparkle(tt_catalyst *cat, const tt_sparkle_args *args)
{
    static const tt_sparkle_args none = {0};
    const tt_run *run = NULL;
    int rc = tt_distiller_sparkle(cat, args ? args : &none, &run);

    if (rc != 0)
        fail_msg("tt_distiller_sparkle: %s (%s)", tt_err_name(rc), tt_catalyst_errmsg(cat));
    assert_non_null(run);
    cu_dump(cat, run);
    return run;
}

/* Run `count` sparkles. */
const tt_run *cu_count(tt_catalyst *cat, long count)
{
    tt_sparkle_args a = {.sparkle_count = count};

    return cu_sparkle(cat, &a);
}

/* Run until idle or finished. */
const tt_run *cu_all(tt_catalyst *cat)
{
    return cu_sparkle(cat, NULL);
}

/* The i-th entry of a run. */
const tt_trace_entry *cu_entry(tt_catalyst *cat, const tt_run *run, uint64_t i)
{
    const tt_trace_entry *e;

    if (i >= tt_run_entry_count(run))
        fail_msg("entry %llu asked of a run of %llu entries", (unsigned long long)i,
                 (unsigned long long)tt_run_entry_count(run));
    e = tt_trace_get(cat, tt_run_first_seq(run) + i);
    assert_non_null(e);
    return e;
}

/* "Tonic.sparkle, ..." of a run. */
char *cu_trace_text(tt_catalyst *cat, const tt_run *run)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    for (uint64_t i = 0; i < tt_run_entry_count(run); i++) {
        const tt_trace_entry *e = cu_entry(cat, run, i);

        fprintf(f, "%s%s.%s", i ? ", " : "", tt_entry_tonic_name(cat, e),
                tt_entry_sparkle_name(cat, e));
    }
    fclose(f);
    return buf;
}

/* Assert the entries of a run. */
void cu_expect_trace(tt_catalyst *cat, const tt_run *run, const char *expected)
{
    char *got = cu_trace_text(cat, run);

    if (strcmp(got, expected) != 0) {
        printf("# expected: %s\n# got:      %s\n", expected, got);
        free(got);
        fail_msg("the run's sparkles differ from the expected order");
    }
    free(got);
}

/* First entry named `what` at or after `from`. */
long cu_find(tt_catalyst *cat, const tt_run *run, const char *what, uint64_t from)
{
    char buf[512];

    for (uint64_t i = from; i < tt_run_entry_count(run); i++) {
        const tt_trace_entry *e = cu_entry(cat, run, i);

        snprintf(buf, sizeof buf, "%s.%s", tt_entry_tonic_name(cat, e),
                 tt_entry_sparkle_name(cat, e));
        if (strcmp(buf, what) == 0)
            return (long)i;
    }
    return -1;
}

/* Assert an entry's source triple. */
void cu_expect_source(tt_catalyst *cat, const tt_trace_entry *e, const char *src,
                      const char *sparkle, int id)
{
    const char *got = tt_entry_source_name(cat, e);

    if (src == NULL) {
        if (got != NULL)
            fail_msg("expected an external source, got %s", got);
    } else {
        if (got == NULL)
            fail_msg("expected source %s, got an external one", src);
        assert_string_equal(got, src);
    }
    assert_string_equal(tt_entry_source_sparkle(cat, e), sparkle);
    assert_int_equal(e->src_id, id);
}

/* Whether the run stopped for `why`. */
bool cu_stopped_for(const tt_run *run, const char *why)
{
    for (size_t i = 0; i < tt_run_stop_count(run); i++)
        if (strcmp(tt_run_stop_at(run, i), why) == 0)
            return true;
    return false;
}

/* Assert the stop conditions. */
void cu_expect_stops(const tt_run *run, size_t n, ...)
{
    va_list ap;

    if (tt_run_stop_count(run) != n) {
        for (size_t i = 0; i < tt_run_stop_count(run); i++)
            printf("# stop_condition[%zu] = %s\n", i, tt_run_stop_at(run, i));
        fail_msg("expected %zu stop conditions, got %zu", n, tt_run_stop_count(run));
    }
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(tt_run_stop_at(run, i), va_arg(ap, const char *));
    va_end(ap);
}

/* Assert that haystack contains needle. */
void cu_expect_contains(const char *haystack, const char *needle)
{
    assert_non_null(haystack);
    if (!strstr(haystack, needle))
        fail_msg("\"%s\" does not contain \"%s\"", haystack, needle);
}

/* --- event log ---------------------------------------------------------- */

static char log_buf[16384];
static size_t log_len;

/* Append one "what;" item. */
void cu_log(const char *fmt, ...)
{
    va_list ap;
    int n;

    if (log_len >= sizeof log_buf - 2)
        return;
    va_start(ap, fmt);
    n = vsnprintf(log_buf + log_len, sizeof log_buf - log_len - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    log_len += (size_t)n;
    if (log_len > sizeof log_buf - 2)
        log_len = sizeof log_buf - 2;
    log_buf[log_len++] = ';';
    log_buf[log_len] = '\0';
}

/* Empty the log. */
void cu_log_reset(void)
{
    log_len = 0;
    log_buf[0] = '\0';
}

/* The log so far. */
const char *cu_log_text(void)
{
    return log_buf;
}

/* Assert the log and empty it. */
void cu_expect_log(const char *expected)
{
    assert_string_equal(log_buf, expected);
    cu_log_reset();
}

/* cmocka setup: empty the log. */
int cu_setup(void **state)
{
    (void)state;
    cu_log_reset();
    return 0;
}
