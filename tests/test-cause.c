/*
 * test-cause.c: every work order and trace entry knows its cause.
 *
 * The cause of an entry is the seq of the entry whose sparkle queued it, 0
 * for an input from outside.  A timer's callback has the entry that started
 * (or restarted) the timer; the extra sparkles of a state change have the
 * entry that changed the state; what a new tonic queues at its creation has
 * the entry that created it.  The queue view and the JSON writer show it.
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

/* ======================================================================= */
/* Kid: a tonic another one creates and pings                              */
/* ======================================================================= */

static void Kid_ttsc__pong(tt_tonic *self) { (void)self; }
static const tt_handler kid_handlers[] = {TT_ON(Kid, ttsc__pong)};
static const tt_class Kid_class = {
    .name = "Kid",
    .handlers = kid_handlers,
    .n_handlers = TT_COUNTOF(kid_handlers),
};

/* ======================================================================= */
/* Dev: timers, a state change, a new tonic, a call to another tonic       */
/* ======================================================================= */

typedef struct Dev {
    tt_timer *timer;
} Dev;

static void Dev_ttsc__start_timer(tt_tonic *self, double s)
{
    TT_DATA(Dev, self)->timer = tt_timer_new(self, TT_TIMER_SINGLE_SHOT, s, NULL, NULL);
}
static void Dev_ttsc__restart_timer(tt_tonic *self) { tt_timer_restart(TT_DATA(Dev, self)->timer); }
static void Dev_ttse__on_timer(tt_tonic *self, const tt_timer_info *i) { (void)self, (void)i; }
static void Dev_ttsc__go(tt_tonic *self) { tt_to_state(self, "busy"); }
static void Dev_ttse_busy__on_enter(tt_tonic *self) { (void)self; }
static void Dev_ttsc_idle__nop(tt_tonic *self) { (void)self; }
static void Dev_ttsc__spawn(tt_tonic *self)
{
    tt_tonic_new(tt_tonic_catalyst(self), &Kid_class, "Kid", NULL);
}
static void Dev_ttsc__ping(tt_tonic *self, tt_tonic *other)
{
    (void)self;
    tt_send(other, "ttsc__pong");
}

static const tt_handler dev_handlers[] = {
    TT_ON(Dev, ttsc__start_timer, double),
    TT_ON(Dev, ttsc__restart_timer),
    TT_ON(Dev, ttse__on_timer, const tt_timer_info *),
    TT_ON(Dev, ttsc__go),
    TT_ON(Dev, ttse_busy__on_enter),
    TT_ON(Dev, ttsc_idle__nop),
    TT_ON(Dev, ttsc__spawn),
    TT_ON(Dev, ttsc__ping, tt_tonic *),
};
static const tt_class Dev_class = {
    .name = "Dev",
    .data_size = sizeof(Dev),
    .handlers = dev_handlers,
    .n_handlers = TT_COUNTOF(dev_handlers),
};

/* ======================================================================= */
/* Helpers                                                                 */
/* ======================================================================= */

static tt_catalyst *setup(tt_tonic **dev)
{
    tt_catalyst *cat = cu_distiller();

    *dev = tt_tonic_new(cat, &Dev_class, "Dev", NULL);
    assert_non_null(*dev);
    cu_all(cat);
    return cat;
}

/* The seq of the first entry named `what` in run at or after `from`. */
static uint64_t seq_of(tt_catalyst *cat, const tt_run *run, const char *what, uint64_t from)
{
    long i = cu_find(cat, run, what, from);

    assert_true(i >= 0);
    return tt_run_first_seq(run) + (uint64_t)i;
}

static uint64_t cause_of(tt_catalyst *cat, uint64_t seq)
{
    const tt_trace_entry *e = tt_trace_get(cat, seq);

    assert_non_null(e);
    return tt_entry_cause(e);
}

/* ======================================================================= */
/* Tests                                                                   */
/* ======================================================================= */

/* Inputs from outside have no cause; what a created tonic queues at its
 * creation outside any sparkle has none either. */
static void test_external(void **state)
{
    tt_tonic *dev;
    tt_catalyst *cat = setup(&dev);
    tt_order_view v;

    (void)state;
    for (uint64_t s = tt_trace_first_seq(cat); s <= tt_trace_last_seq(cat); s++)
        assert_int_equal(cause_of(cat, s), 0);
    assert_int_equal(tt_send(dev, "ttsc__go"), 0);
    assert_int_equal(tt_queue_at(cat, 0, &v), 0);
    assert_int_equal(v.cause, 0);
    assert_int_equal(tt_entry_cause(NULL), 0);
    tt_catalyst_free(cat);
}

/* A timer's callback and the single shot's completion have the entry that
 * started the timer; a restart moves the cause to the restarting entry. */
static void test_timer(void **state)
{
    tt_tonic *dev;
    tt_catalyst *cat = setup(&dev);
    const tt_run *run;
    uint64_t start, fired, done, restart;

    (void)state;
    assert_int_equal(tt_send(dev, "ttsc__start_timer", TT_DOUBLE(0.2)), 0);
    run = cu_count(cat, 1);
    start = seq_of(cat, run, "Dev.ttsc__start_timer", 0);
    assert_int_equal(cause_of(cat, start), 0);
    assert_int_equal(tt_timer_cause(TT_DATA(Dev, dev)->timer), start);
    assert_int_equal(tt_send(dev, "ttsc__restart_timer"), 0);
    run = cu_all(cat);
    restart = seq_of(cat, run, "Dev.ttsc__restart_timer", 0);
    fired = seq_of(cat, run, "Dev.ttse__on_timer", 0);
    done = seq_of(cat, run, "Dev._ttss__on_infusion_completed", 0);
    assert_int_equal(cause_of(cat, fired), restart);
    assert_int_equal(cause_of(cat, done), restart);
    assert_int_equal(tt_timer_cause(NULL), 0);
    tt_catalyst_free(cat);
}

/* The extra sparkles of a state change have the changing entry. */
static void test_extra(void **state)
{
    tt_tonic *dev;
    tt_catalyst *cat = setup(&dev);
    const tt_run *run;
    uint64_t go;

    (void)state;
    assert_int_equal(tt_send(dev, "ttsc__go"), 0);
    run = cu_all(cat);
    cu_expect_trace(cat, run, "Dev.ttsc__go, Dev._ttinternal_state_change_to, Dev.ttse__on_enter");
    go = tt_run_first_seq(run);
    assert_int_equal(cause_of(cat, go), 0);
    assert_int_equal(cause_of(cat, go + 1), go);
    assert_int_equal(cause_of(cat, go + 2), go);
    tt_catalyst_free(cat);
}

/* A new tonic's start (an infusion's events) and a call between tonics have
 * the entry that did it; the queue view shows the cause before it runs. */
static void test_infusion_and_call(void **state)
{
    tt_tonic *dev, *kid;
    tt_catalyst *cat = setup(&dev);
    const tt_run *run;
    uint64_t spawn, ping;
    tt_order_view v;

    (void)state;
    assert_int_equal(tt_send(dev, "ttsc__spawn"), 0);
    run = cu_all(cat);
    spawn = seq_of(cat, run, "Dev.ttsc__spawn", 0);
    assert_int_equal(cause_of(cat, seq_of(cat, run, "Kid._ttss__on_start", 0)), spawn);
    assert_int_equal(cause_of(cat, seq_of(cat, run, "Kid.ttse__on_start", 0)), spawn);
    kid = tt_tonic_by_name(cat, "Kid");
    assert_non_null(kid);

    assert_int_equal(tt_send(dev, "ttsc__ping", TT_TONIC(kid)), 0);
    run = cu_count(cat, 1);
    ping = tt_run_first_seq(run);
    assert_int_equal(tt_queue_length(cat), 1);
    assert_int_equal(tt_queue_at(cat, 0, &v), 0);
    assert_string_equal(v.sparkle, "ttsc__pong");
    assert_int_equal(v.cause, ping);
    run = cu_all(cat);
    assert_int_equal(cause_of(cat, seq_of(cat, run, "Kid.ttsc__pong", 0)), ping);
    tt_catalyst_free(cat);
}

/* JSON entries carry "cause" with the extensions, and only when there is one. */
static void test_json(void **state)
{
    tt_tonic *dev;
    tt_catalyst *cat = setup(&dev);
    const tt_run *run;
    char *buf = NULL, want[64];
    size_t len = 0;
    FILE *f;

    (void)state;
    assert_int_equal(tt_send(dev, "ttsc__go"), 0);
    run = cu_all(cat);
    f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(tt_entry_write_json(cat, tt_trace_get(cat, tt_run_first_seq(run)), f,
                                         TT_JSON_EXTENSIONS),
                     0);
    fflush(f);
    assert_null(strstr(buf, "\"cause\""));
    rewind(f);
    assert_int_equal(tt_entry_write_json(cat, tt_trace_get(cat, tt_run_first_seq(run) + 1), f,
                                         TT_JSON_EXTENSIONS),
                     0);
    fclose(f);
    snprintf(want, sizeof want, "\"cause\": %llu", (unsigned long long)tt_run_first_seq(run));
    cu_expect_contains(buf, want);
    free(buf);
    tt_catalyst_free(cat);
}

/* A replay puts back what stopped the run it repeats. */
static void test_run_set_stops(void **state)
{
    tt_tonic *dev;
    tt_catalyst *cat = setup(&dev);
    const tt_run *r;
    const char *stops[] = {"breakpoint 1: Dev.ttsc__go", "contract_met"};

    (void)state;
    tt_sparkle_args a = {.sparkle_count = 1};
    assert_int_equal(tt_distiller_sparkle(cat, &a, &r), 0);
    size_t i = tt_run_count(cat) - 1;
    assert_int_equal(tt_run_set_stops(cat, i, stops, 2), 0);
    r = tt_run_at(cat, i);
    assert_int_equal(tt_run_stop_count(r), 2);
    assert_string_equal(tt_run_stop_at(r, 0), stops[0]);
    assert_string_equal(tt_run_stop_at(r, 1), stops[1]);
    assert_int_equal(tt_run_set_stops(cat, i + 1, stops, 1), -TT_EINVAL);
    assert_int_equal(tt_run_set_stops(cat, i, stops, 0), -TT_EINVAL);
    tt_test_fail_alloc(2, false); /* the second copy fails: nothing changes */
    assert_int_equal(tt_run_set_stops(cat, i, stops + 1, 1), -TT_ENOMEM);
    tt_test_fail_alloc(0, false);
    assert_int_equal(tt_run_stop_count(r), 2);
    assert_string_equal(tt_run_stop_at(r, 0), stops[0]);
    tt_catalyst_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_external, cu_setup),
        cmocka_unit_test_setup(test_timer, cu_setup),
        cmocka_unit_test_setup(test_extra, cu_setup),
        cmocka_unit_test_setup(test_infusion_and_call, cu_setup),
        cmocka_unit_test_setup(test_json, cu_setup),
        cmocka_unit_test_setup(test_run_set_stops, cu_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
