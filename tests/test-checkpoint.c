/*
 * test-checkpoint.c: tt_checkpoint_take / tt_checkpoint_restore.
 *
 * A scenario with a state machine, a repeat timer, string arguments, child
 * tonics created (and ids reused) and an app-static counter: after a
 * restore the catalyst is in exactly the state it had at the checkpoint
 * (tonics, states, data, queue with its values and causes, timers and their
 * due times, the trace, the runs, the clock), and running on from there
 * writes the same entries as the first time.  A run's outcome (stops,
 * contract details) put back on a repeated run, and an empty run added.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "check-util.h"
#include "tasktonic.h"

static const tt_class Kid_class;

typedef struct Box {
    int64_t count;
    char label[32];
    tt_timer *timer;
} Box;

static void Kid_ttsc__pong(tt_tonic *self, const char *word)
{
    (void)self;
    (void)word;
}
static const tt_handler kid_handlers[] = {TT_ON(Kid, ttsc__pong, const char *)};
static const tt_class Kid_class = {
    .name = "Kid",
    .handlers = kid_handlers,
    .n_handlers = TT_COUNTOF(kid_handlers),
};

static void Box_ttse__on_start(tt_tonic *self)
{
    TT_DATA(Box, self)->timer = tt_timer_new(self, TT_TIMER_REPEAT, 0.25, NULL, NULL);
}
static void Box_ttse__on_timer(tt_tonic *self, const tt_timer_info *i)
{
    (void)i;
    Box *b = TT_DATA(Box, self);
    b->count++;
    snprintf(b->label, sizeof b->label, "tick%lld", (long long)b->count);
    tt_send(self, "ttsc__word", TT_STR(b->label));
    if (b->count % 3 == 0)
        tt_to_state(self, b->count % 2 ? "odd" : "even");
    if (b->count % 4 == 0) {
        tt_tonic *k = tt_tonic_new(tt_tonic_catalyst(self), &Kid_class, "Kid", NULL);
        if (k)
            tt_send(k, "ttsc__pong", TT_STR(b->label));
    }
    if (b->count % 4 == 2) {
        tt_tonic *k = tt_tonic_by_name(tt_tonic_catalyst(self), "Kid");
        if (k)
            tt_send(k, "ttsc__finish");
    }
}
static void Box_ttsc__word(tt_tonic *self, const char *w)
{
    (void)self;
    (void)w;
}
static void Box_ttse_odd__on_enter(tt_tonic *self) { (void)self; }
static void Box_ttse_even__on_enter(tt_tonic *self) { (void)self; }

static const tt_handler box_handlers[] = {
    TT_ON(Box, ttse__on_start),
    TT_ON(Box, ttse__on_timer, const tt_timer_info *),
    TT_ON(Box, ttsc__word, const char *),
    TT_ON(Box, ttse_odd__on_enter),
    TT_ON(Box, ttse_even__on_enter),
};
static const tt_class Box_class = {
    .name = "Box",
    .data_size = sizeof(Box),
    .handlers = box_handlers,
    .n_handlers = TT_COUNTOF(box_handlers),
};

/* Everything observable of the catalyst, as text. */
static char *dump(tt_catalyst *cat)
{
    size_t cap = 1 << 20, len = 0;
    char *s = malloc(cap), line[1024];
    assert_non_null(s);
#define ADD(...) (len += (size_t)snprintf(s + len, cap - len, __VA_ARGS__))
    ADD("vt %.17g last %llu first %llu runs %zu\n", tt_catalyst_now(cat),
        (unsigned long long)tt_trace_last_seq(cat), (unsigned long long)tt_trace_first_seq(cat),
        tt_run_count(cat));
    for (size_t i = 0; i < tt_tonic_count(cat); i++) {
        tt_tonic *t = tt_tonic_at(cat, i);
        ADD("tonic %zu %s id %d state %s", i, tt_tonic_name(t), tt_tonic_id(t),
            tt_tonic_state_name(t));
        if (strcmp(tt_tonic_class_name(t), "Box") == 0)
            ADD(" count %lld label %s", (long long)TT_DATA(Box, t)->count, TT_DATA(Box, t)->label);
        ADD("\n");
    }
    for (size_t i = 0; i < tt_timer_count(cat); i++) {
        tt_timer *tm = tt_timer_at(cat, i);
        ADD("timer %zu %s running %d due %.17g\n", i, tt_timer_name(tm), tt_timer_running(tm),
            tt_timer_due(tm));
    }
    for (size_t i = 0; i < tt_queue_length(cat); i++) {
        tt_order_view v;
        assert_int_equal(tt_queue_at(cat, i, &v), 0);
        ADD("order %s.%s cause %llu", tt_tonic_name(v.tonic), v.sparkle,
            (unsigned long long)v.cause);
        for (size_t a = 0; a < v.nargs; a++) {
            tt_value_to_text(&v.args[a], line, sizeof line);
            ADD(" %s", line);
        }
        ADD("\n");
    }
    for (uint64_t q = tt_trace_first_seq(cat); q <= tt_trace_last_seq(cat); q++) {
        const tt_trace_entry *e = tt_trace_get(cat, q);
        assert_non_null(e);
        tt_entry_format(cat, e, line, sizeof line);
        ADD("%s cause %llu\n", line, (unsigned long long)tt_entry_cause(e));
    }
    for (size_t i = 0; i < tt_run_count(cat); i++) {
        const tt_run *r = tt_run_at(cat, i);
        ADD("run %llu+%llu", (unsigned long long)tt_run_first_seq(r),
            (unsigned long long)tt_run_entry_count(r));
        for (size_t k = 0; k < tt_run_stop_count(r); k++)
            ADD(" [%s]", tt_run_stop_at(r, k));
        int mc, tc;
        if (tt_run_contract_met(r, &mc, &tc)) {
            ADD(" met %d/%d", mc, tc);
            for (size_t k = 0; k < tt_run_matched_count(r); k++) {
                ADD(" %s:", tt_run_matched_tonic(r, k));
                for (size_t j = 0; j < tt_run_matched_reason_count(r, k); j++)
                    ADD(" <%s>", tt_run_matched_reason(r, k, j));
            }
        }
        ADD(" %s trace %d vt %.17g-%.17g\n", tt_run_status(r), tt_run_has_trace(r),
            tt_run_vt_start(r), tt_run_vt_end(r));
    }
#undef ADD
    assert_true(len < cap);
    return s;
}

static void run_n(tt_catalyst *cat, long n)
{
    tt_sparkle_args a = {.sparkle_count = n};
    assert_int_equal(tt_distiller_sparkle(cat, &a, NULL), 0);
}

static tt_catalyst *setup(void)
{
    tt_catalyst *cat = cu_distiller();
    assert_non_null(tt_tonic_new(cat, &Box_class, "Box", NULL));
    return cat;
}

/* Restore lands exactly; going on writes the same entries again. */
static void test_restore_exact(void **state)
{
    (void)state;
    tt_catalyst *cat = setup();
    run_n(cat, 40);
    tt_checkpoint *ck;
    assert_int_equal(tt_checkpoint_take(cat, NULL, &ck), 0);
    assert_int_equal(tt_checkpoint_seq(ck), tt_trace_last_seq(cat));
    assert_true(tt_checkpoint_bytes(ck) > 0);
    char *at = dump(cat);
    run_n(cat, 60);
    char *future = dump(cat);
    assert_string_not_equal(at, future);
    assert_non_null(strstr(at, "tonic 3 Kid id 3"));  /* children then, */
    assert_non_null(strstr(future, "tonic 5 Kid"));   /* more after */
    assert_non_null(strstr(at, "state even count 8 label tick8"));

    for (int round = 0; round < 3; round++) { /* the same checkpoint again */
        assert_int_equal(tt_checkpoint_restore(cat, ck), 0);
        char *back = dump(cat);
        assert_string_equal(back, at);
        free(back);
        run_n(cat, 60);
        char *again = dump(cat);
        assert_string_equal(again, future);
        free(again);
    }
    free(at);
    free(future);
    tt_checkpoint_free(ck);
    tt_catalyst_free(cat);
}

/* Many checkpoints, restored newest to oldest, each after running on. */
static void test_many(void **state)
{
    (void)state;
    tt_catalyst *cat = setup();
    tt_checkpoint *ck[6];
    char *d[6];
    for (int i = 0; i < 6; i++) {
        run_n(cat, 7 + i);
        assert_int_equal(tt_checkpoint_take(cat, NULL, &ck[i]), 0);
        d[i] = dump(cat);
    }
    bool queued = false; /* some with orders pending (string values) */
    for (int i = 0; i < 6; i++)
        queued = queued || strstr(d[i], "order Box.ttsc__word cause ") != NULL;
    assert_true(queued);
    run_n(cat, 30);
    for (int i = 5; i >= 0; i--) {
        assert_int_equal(tt_checkpoint_restore(cat, ck[i]), 0);
        char *back = dump(cat);
        assert_string_equal(back, d[i]);
        free(back);
        run_n(cat, 3); /* a little future, dropped by the next restore */
    }
    for (int i = 0; i < 6; i++) {
        free(d[i]);
        tt_checkpoint_free(ck[i]);
    }
    tt_catalyst_free(cat);
}

static tt_checkpoint *inside_ck;
static int inside_rc;
static void Probe_ttsc__try(tt_tonic *self)
{
    inside_rc = tt_checkpoint_take(tt_tonic_catalyst(self), NULL, &inside_ck);
}
static const tt_handler probe_handlers[] = {TT_ON(Probe, ttsc__try)};
static const tt_class Probe_class = {
    .name = "Probe",
    .handlers = probe_handlers,
    .n_handlers = TT_COUNTOF(probe_handlers),
};

/* Bad calls: inside a sparkle, a production catalyst, another catalyst's
 * checkpoint, NULLs. */
static void test_errors(void **state)
{
    (void)state;
    tt_catalyst *cat = cu_distiller();
    tt_tonic *p = tt_tonic_new(cat, &Probe_class, "Probe", NULL);
    assert_non_null(p);
    tt_send(p, "ttsc__try");
    cu_all(cat);
    assert_int_equal(inside_rc, -TT_EBUSY);
    assert_null(inside_ck);
    assert_int_equal(tt_checkpoint_take(NULL, NULL, &inside_ck), -TT_EINVAL);
    assert_int_equal(tt_checkpoint_take(cat, NULL, NULL), -TT_EINVAL);
    assert_int_equal(tt_checkpoint_restore(cat, NULL), -TT_EINVAL);

    tt_catalyst *other = cu_distiller();
    tt_checkpoint *ck;
    assert_int_equal(tt_checkpoint_take(other, NULL, &ck), 0);
    assert_int_equal(tt_checkpoint_restore(cat, ck), -TT_EINVAL);
    assert_non_null(strstr(tt_catalyst_errmsg(cat), "not one of this catalyst's past"));
    tt_checkpoint_free(ck);
    tt_checkpoint_free(NULL);
    assert_int_equal(tt_checkpoint_seq(NULL), 0);

    tt_catalyst *prod;
    assert_int_equal(tt_catalyst_new(&prod, NULL), 0);
    assert_int_equal(tt_checkpoint_take(prod, NULL, &ck), -TT_ENOTDISTILLER);
    tt_catalyst_free(prod);
    tt_catalyst_free(other);
    tt_catalyst_free(cat);
}

/* tt_run_join_last: a resumed run continues the one before. */
static void test_join(void **state)
{
    (void)state;
    tt_catalyst *cat = setup();
    run_n(cat, 10);
    tt_checkpoint *ck;
    assert_int_equal(tt_checkpoint_take(cat, NULL, &ck), 0);
    run_n(cat, 10);
    assert_int_equal(tt_checkpoint_restore(cat, ck), 0);
    run_n(cat, 5);
    size_t n = tt_run_count(cat);
    assert_int_equal(tt_run_join_last(cat), 0);
    assert_int_equal(tt_run_count(cat), n - 1);
    const tt_run *r = tt_run_at(cat, n - 2);
    assert_int_equal(tt_run_first_seq(r) + tt_run_entry_count(r) - 1, tt_trace_last_seq(cat));
    assert_string_equal(tt_run_stop_at(r, 0), "sparkle_count");
    assert_int_equal(tt_run_join_last(NULL), -TT_EINVAL);
    tt_checkpoint_free(ck);
    tt_catalyst_free(cat);
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A checkpoint taken by the seq hook inside a run (as ttdb takes them). */
static tt_checkpoint *hook_ck;
static uint64_t take_at_hook(void *ud, tt_catalyst *cat, uint64_t seq)
{
    (void)ud;
    (void)seq;
    assert_int_equal(tt_checkpoint_take(cat, NULL, &hook_ck), 0);
    return UINT64_MAX;
}

/* tt_run_resume_last: the run a restore cut short goes on as the same run,
 * so that a checkpoint taken while it goes on restores one run as well. */
static void test_resume(void **state)
{
    (void)state;
    tt_catalyst *cat = setup();
    run_n(cat, 4);
    tt_distiller_set_seq_hook(cat, 10, take_at_hook, NULL);
    run_n(cat, 20);
    tt_checkpoint *ck_a = hook_ck;
    assert_non_null(ck_a);
    uint64_t a = tt_checkpoint_seq(ck_a), end = tt_trace_last_seq(cat);
    assert_true(a > 4 && a < end);
    char *whole = dump(cat);

    double start = tt_run_start(tt_run_at(cat, 1));
    assert_int_equal(tt_checkpoint_restore(cat, ck_a), 0);
    double cut_end = tt_run_end(tt_run_at(cat, 1)); /* when ck_a was taken */
    assert_true(cut_end > 0 && cut_end <= wall_now());
    assert_int_equal(tt_run_resume_last(cat), 0);
    tt_distiller_set_seq_hook(cat, a + 5, take_at_hook, NULL);
    double t0 = wall_now();
    run_n(cat, (long)(end - a));
    double t1 = wall_now();
    /* its wall time leaves out the pause: the start moved by it */
    double moved = tt_run_start(tt_run_at(cat, 1)) - start;
    assert_true(moved >= t0 - cut_end - 1e-3 && moved <= t1 - cut_end + 1e-3);
    char *again = dump(cat);
    assert_string_equal(again, whole); /* one run, as the first time */
    tt_checkpoint *ck_b = hook_ck;
    assert_true(ck_b != ck_a);
    uint64_t b = tt_checkpoint_seq(ck_b);
    assert_int_equal(tt_checkpoint_restore(cat, ck_b), 0);
    assert_int_equal(tt_run_count(cat), 2);
    const tt_run *r = tt_run_at(cat, 1);
    assert_int_equal(tt_run_first_seq(r), 5);
    assert_int_equal(tt_run_entry_count(r), b - 4);
    assert_int_equal(tt_run_stop_count(r), 0);
    /* ck_a again: the run's wall times are those of then, not the moved
     * start of the resume since */
    assert_int_equal(tt_checkpoint_restore(cat, ck_a), 0);
    assert_true(tt_run_start(tt_run_at(cat, 1)) == start);
    assert_true(tt_run_end(tt_run_at(cat, 1)) == cut_end);

    tt_catalyst *fresh = setup();
    assert_int_equal(tt_run_resume_last(fresh), -TT_EINVAL); /* no run */
    assert_int_equal(tt_run_resume_last(NULL), -TT_EINVAL);
    tt_catalyst_free(fresh);
    free(again);
    free(whole);
    tt_checkpoint_free(ck_a);
    tt_checkpoint_free(ck_b);
    tt_catalyst_free(cat);
}

static const char *hold_first(void *ud, tt_catalyst *cat, const tt_order_view *next)
{
    (void)ud;
    (void)cat;
    (void)next;
    return "held";
}

/* The run lines of a dump (what a replay must reproduce of them). */
static char *runs_of(const char *dump_text)
{
    const char *p = strstr(dump_text, "\nrun ");
    assert_non_null(p);
    return strdup(p + 1);
}

/* A run's outcome put back on the run a second catalyst repeats by count
 * (stops, contract details, virtual end), and a run of no sparkle added
 * empty: the second catalyst's runs read as the first's. */
static void test_outcome(void **state)
{
    (void)state;
    tt_catalyst *cat = setup();
    tt_contract *c = tt_contract_new();
    assert_non_null(c);
    assert_int_equal(tt_contract_add_till_state(c, "Box", "even"), 0);
    tt_sparkle_args ca = {.contract = c};
    const tt_run *r1;
    assert_int_equal(tt_distiller_sparkle(cat, &ca, &r1), 0);
    assert_true(tt_run_contract_met(r1, NULL, NULL));
    tt_distiller_set_order_hook(cat, hold_first, NULL);
    const tt_run *r2;
    tt_sparkle_args one = {.sparkle_count = 1};
    assert_int_equal(tt_distiller_sparkle(cat, &one, &r2), 0);
    assert_int_equal(tt_run_entry_count(r2), 0);
    tt_distiller_set_order_hook(cat, NULL, NULL);
    run_n(cat, 3);
    tt_run_outcome *o1 = tt_run_outcome_take(r1), *o2 = tt_run_outcome_take(r2);
    tt_run_outcome *o3 = tt_run_outcome_take(tt_run_at(cat, 2));
    assert_non_null(o1);
    assert_non_null(o2);
    assert_non_null(o3);
    char *want = dump(cat);

    tt_catalyst *again = setup();
    run_n(again, (long)tt_run_entry_count(r1));
    assert_int_equal(tt_run_set_outcome(again, 0, o1), 0);
    assert_int_equal(tt_run_add_empty(again, o2), 0);
    run_n(again, 3);
    assert_int_equal(tt_run_set_outcome(again, 2, o3), 0);
    char *got = dump(again), *a = runs_of(want), *b = runs_of(got);
    assert_string_equal(b, a);
    assert_non_null(strstr(a, "[contract_met] met 1/1 Box: <state: 'even'>"));
    assert_non_null(strstr(a, "+0 [held] running"));
    for (size_t i = 0; i < 3; i++) { /* the wall times are the first's too */
        assert_true(tt_run_start(tt_run_at(again, i)) == tt_run_start(tt_run_at(cat, i)));
        assert_true(tt_run_end(tt_run_at(again, i)) == tt_run_end(tt_run_at(cat, i)));
    }

    /* bad calls: no such run, NULLs, an empty run from one of entries */
    assert_int_equal(tt_run_set_outcome(again, 3, o1), -TT_EINVAL);
    assert_int_equal(tt_run_set_outcome(again, 0, NULL), -TT_EINVAL);
    assert_int_equal(tt_run_add_empty(again, o1), -TT_EINVAL);
    assert_int_equal(tt_run_add_empty(again, NULL), -TT_EINVAL);
    assert_null(tt_run_outcome_take(NULL));
    assert_int_equal(tt_run_count(again), 3);
    tt_run_outcome_free(NULL);
    free(a);
    free(b);
    free(got);
    free(want);
    tt_run_outcome_free(o1);
    tt_run_outcome_free(o2);
    tt_run_outcome_free(o3);
    tt_contract_free(c);
    tt_catalyst_free(again);
    tt_catalyst_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restore_exact),
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_join),
        cmocka_unit_test(test_outcome),
        cmocka_unit_test(test_resume),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
