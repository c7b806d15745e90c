/*
 * test-checkpoint.c: tt_checkpoint_take / tt_checkpoint_restore.
 *
 * A scenario with a state machine, a repeat timer, string arguments, child
 * tonics created (and ids reused) and an app-static counter: after a
 * restore the catalyst is in exactly the state it had at the checkpoint
 * (tonics, states, data, queue with its values and causes, timers and their
 * due times, the trace, the runs, the clock), and running on from there
 * writes the same entries as the first time.
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
        ADD("\n");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restore_exact),
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_join),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
