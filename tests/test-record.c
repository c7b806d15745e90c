/*
 * test-record.c: the flight recorder of the production Catalyst: the ring
 * keeps exactly the last N entries, with the fields of the Distiller's
 * trace; the written recording reads back with tt_trace_load.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tasktonic.h"

/* A tonic that sends itself ttsc__step(n - 1) down to 0, then finishes
 * (which finishes the catalyst). */
static void Chain_ttse__on_start(tt_tonic *self) { tt_to_state(self, "going"); }
static void Chain_ttsc_going__step(tt_tonic *self, int64_t n)
{
    if (n > 0)
        tt_send(self, "ttsc__step", TT_INT(n - 1));
    else
        tt_finish(self);
}
static const tt_handler chain_handlers[] = {
    TT_ON(Chain, ttse__on_start),
    TT_ON(Chain, ttsc_going__step, int64_t),
};
static const tt_class Chain_class = {
    .name = "Chain",
    .handlers = chain_handlers,
    .n_handlers = TT_COUNTOF(chain_handlers),
};

#define STEPS 200

static tt_catalyst *chain_catalyst(tt_mode mode)
{
    tt_catalyst_options o = {.mode = mode};
    tt_catalyst *cat;
    assert_int_equal(tt_catalyst_new(&cat, &o), 0);
    tt_tonic *t = tt_tonic_new(cat, &Chain_class, "Chain", NULL);
    assert_non_null(t);
    assert_int_equal(tt_send(t, "ttsc__step", TT_INT(STEPS)), 0);
    return cat;
}

/* The entry's fields that do not depend on time, as text. */
static void fields(tt_catalyst *cat, const tt_trace_entry *e, char *buf, size_t size)
{
    char line[512];
    tt_entry_format(cat, e, line, sizeof line);
    /* drop the leading seq: the Distiller's numbers are the same anyway */
    /* (whether an entry was an extra sparkle is not in the JSON) */
    snprintf(buf, size, "%s id=%d cause=%llu flags=%u", line, e->id,
             (unsigned long long)tt_entry_cause(e), e->flags & ~(unsigned)TT_EF_EXTRA);
}

static void test_ring_keeps_last_n(void **state)
{
    (void)state;
    static const size_t ns[] = {1, 7, 100, 100000};
    /* the Distiller's trace of the same app */
    tt_catalyst *d = chain_catalyst(TT_MODE_DISTILLER);
    assert_int_equal(tt_distiller_sparkle(d, &(tt_sparkle_args){.timeout = 10}, NULL), 0);
    assert_true(tt_catalyst_finished(d));
    uint64_t total = tt_trace_last_seq(d);
    assert_true(total > STEPS);

    for (size_t k = 0; k < TT_COUNTOF(ns); k++) {
        size_t n = ns[k];
        tt_catalyst *cat = chain_catalyst(TT_MODE_CATALYST);
        assert_int_equal(tt_catalyst_record(cat, n), 0);
        assert_int_equal(tt_catalyst_record_size(cat), n);
        assert_int_equal(tt_catalyst_run(cat), 0);
        assert_int_equal(tt_trace_last_seq(cat), total);
        char path[] = "/tmp/tt-record-XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        close(fd);
        assert_int_equal(tt_catalyst_write_record(cat, path, NULL), 0);
        tt_catalyst *back = NULL;
        tt_error err;
        if (tt_trace_load(path, &back, &err) != 0)
            fail_msg("%s", err.msg);
        unlink(path);
        size_t want = n < total ? n : (size_t)total;
        assert_int_equal(tt_run_count(back), 1);
        const tt_run *r = tt_run_at(back, 0);
        assert_int_equal(tt_run_entry_count(r), want);
        assert_string_equal(tt_run_stop_at(r, 0), "recorded");
        assert_string_equal(tt_run_status(r), "catalyst finished");
        assert_int_equal(tt_trace_first_seq(back), total - want + 1);
        assert_int_equal(tt_trace_last_seq(back), total);
        /* the same entries as the Distiller's (but for time) */
        for (uint64_t s = total - want + 1; s <= total; s++) {
            char a[700], b[700], c[700];
            fields(d, tt_trace_get(d, s), a, sizeof a);
            fields(cat, tt_trace_get(cat, s), b, sizeof b);
            fields(back, tt_trace_get(back, s), c, sizeof c);
            assert_string_equal(b, a);
            assert_string_equal(c, a);
            const tt_trace_entry *e = tt_trace_get(cat, s);
            assert_int_equal(e->flags, tt_trace_get(d, s)->flags);
            assert_true(tt_entry_t_exit(e) >= e->t_enter && e->t_enter > 1e9);
        }
        tt_catalyst_free(back);
        tt_catalyst_free(cat);
    }
    tt_catalyst_free(d);
}

/* The statistics count every sparkle of the run, not only the ring's. */
static void test_stats_whole_run(void **state)
{
    (void)state;
    tt_catalyst *cat = chain_catalyst(TT_MODE_CATALYST);
    tt_tonic *chain = tt_tonic_at(cat, 1);
    tt_tonic_stats_info st;
    assert_int_equal(tt_tonic_stats(chain, &st), 0);
    assert_int_equal(st.sparkles, 0);
    assert_int_equal(tt_catalyst_record(cat, 3), 0);
    assert_int_equal(tt_catalyst_run(cat), 0);
    assert_int_equal(tt_trace_last_seq(cat) - tt_trace_first_seq(cat) + 1 >= 3, 1);
    assert_int_equal(tt_tonic_stats(chain, &st), 0);
    /* ttse__on_start, STEPS + 1 steps, and the finishing sparkles */
    uint64_t own = 0;
    for (uint64_t s = 1; s <= tt_trace_last_seq(cat); s++) {
        const tt_trace_entry *e = tt_trace_get(cat, s);
        own += e && e->tonic == 1;
    }
    assert_true(own <= 3);
    assert_true(st.sparkles >= STEPS + 2);
    assert_int_equal(st.dead_letters, 0);
    assert_true(st.busy > 0 && st.longest > 0 && st.longest <= st.busy);
    assert_int_equal(tt_tonic_stats(NULL, &st), -TT_EINVAL);
    tt_catalyst_free(cat);
}

static void test_not_recording(void **state)
{
    (void)state;
    tt_catalyst *cat = chain_catalyst(TT_MODE_CATALYST);
    assert_int_equal(tt_catalyst_record_size(cat), 0);
    assert_int_equal(tt_catalyst_run(cat), 0);
    assert_int_equal(tt_trace_last_seq(cat), 0); /* nothing recorded */
    tt_catalyst_free(cat);
    /* the Distiller traces anyway */
    tt_catalyst *d = chain_catalyst(TT_MODE_DISTILLER);
    assert_int_equal(tt_catalyst_record(d, 10), -TT_EINVAL);
    tt_catalyst_free(d);
    /* an unwritable path: an error with the path, no file */
    cat = chain_catalyst(TT_MODE_CATALYST);
    assert_int_equal(tt_catalyst_record(cat, 10), 0);
    assert_int_equal(tt_catalyst_write_record(cat, "/nonexistent/dir/r.json", "x"), -TT_EIO);
    assert_non_null(strstr(tt_catalyst_errmsg(cat), "cannot write /nonexistent/dir/r.json"));
    tt_catalyst_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_keeps_last_n),
        cmocka_unit_test(test_stats_whole_run),
        cmocka_unit_test(test_not_recording),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
