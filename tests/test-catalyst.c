/*
 * test-catalyst.c: the production Catalyst (tt_catalyst_run).
 *
 * It runs an app to completion in real time, sleeps until the next timer is
 * due, wakes at once when another thread posts, and finishes when another
 * thread calls tt_catalyst_stop.  Nothing here sleeps: threads are started
 * from a sparkle (so the catalyst is surely running) and joined afterwards;
 * the only waits are the catalyst's own timers, of a few milliseconds.  An
 * alarm turns a catalyst that never wakes into a failure instead of a hang.
 *
 * Environment: top_builddir (for the check module tests/mod-countdown.la;
 * the test that needs it is skipped without it).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "check-util.h"
#include "tasktonic.h"

/* Seconds a test may take before the alarm ends the program. */
#define WATCHDOG_S 60

/* Monotonic seconds. */
static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ======================================================================= */
/* Blinker: a repeat timer, finishes after five ticks                     */
/* ======================================================================= */

typedef struct Blinker {
    int ticks;
} Blinker;

static void Blinker_ttse__on_start(tt_tonic *self)
{
    assert_non_null(tt_timer_new(self, TT_TIMER_REPEAT, 0.002, "blink", NULL));
}

static void Blinker_ttse__on_blink(tt_tonic *self, const tt_timer_info *info)
{
    (void)info;
    if (++TT_DATA(Blinker, self)->ticks == 5)
        tt_finish(self);
}

static const tt_handler blinker_handlers[] = {
    TT_ON(Blinker, ttse__on_start),
    TT_ON(Blinker, ttse__on_blink, const tt_timer_info *),
};

static const tt_class Blinker_class = {
    .name = "Blinker",
    .data_size = sizeof(Blinker),
    .handlers = blinker_handlers,
    .n_handlers = TT_COUNTOF(blinker_handlers),
};

/* ======================================================================= */
/* Waiter: no timers; another thread posts to it or stops the catalyst    */
/* ======================================================================= */

typedef enum { DO_POST, DO_STOP } waiter_job;

typedef struct Waiter {
    waiter_job job;
    pthread_t th;
    bool started;
    int rc;     /* what the thread's call returned */
} Waiter;

/* The other thread: post ttsc__bye, or stop the catalyst. */
static void *waiter_thread(void *arg)
{
    tt_tonic *self = arg;
    Waiter *d = TT_DATA(Waiter, self);

    if (d->job == DO_POST)
        d->rc = tt_send(self, "ttsc__bye", TT_STR("from a thread"));
    else
        d->rc = tt_catalyst_stop(tt_tonic_catalyst(self));
    return NULL;
}

static void Waiter_ttse__on_start(tt_tonic *self)
{
    Waiter *d = TT_DATA(Waiter, self);

    tt_to_state(self, "waiting");
    d->started = pthread_create(&d->th, NULL, waiter_thread, self) == 0;
}

static void Waiter_ttsc_waiting__bye(tt_tonic *self, const char *who)
{
    cu_log("bye %s", who);
    tt_finish(self);
}

static void Waiter_ttse__on_exit(tt_tonic *self) { cu_log("exit %s", tt_tonic_state_name(self)); }
static void Waiter_ttse__on_finished(tt_tonic *self) { (void)self; cu_log("finished"); }

static void waiter_init(tt_tonic *self, void *arg)
{
    TT_DATA(Waiter, self)->job = (waiter_job)(intptr_t)arg;
}

static const tt_handler waiter_handlers[] = {
    TT_ON(Waiter, ttse__on_start),
    TT_ON(Waiter, ttsc_waiting__bye, const char *),
    TT_ON(Waiter, ttse__on_exit),
    TT_ON(Waiter, ttse__on_finished),
};

static const tt_class Waiter_class = {
    .name = "Waiter",
    .data_size = sizeof(Waiter),
    .init = waiter_init,
    .handlers = waiter_handlers,
    .n_handlers = TT_COUNTOF(waiter_handlers),
};

/* ======================================================================= */
/* Sleeper: one single-shot timer of 50 ms, then finishes                  */
/* ======================================================================= */

static void Sleeper_ttse__on_start(tt_tonic *self)
{
    assert_non_null(tt_timer_new(self, TT_TIMER_SINGLE_SHOT, 0.05, NULL, NULL));
}

static void Sleeper_ttse__on_timer(tt_tonic *self, const tt_timer_info *info)
{
    cu_log("timer %s", info->name);
    tt_finish(self);
}

static const tt_handler sleeper_handlers[] = {
    TT_ON(Sleeper, ttse__on_start),
    TT_ON(Sleeper, ttse__on_timer, const tt_timer_info *),
};

static const tt_class Sleeper_class = {
    .name = "Sleeper",
    .handlers = sleeper_handlers,
    .n_handlers = TT_COUNTOF(sleeper_handlers),
};

/* ======================================================================= */
/* Idle: starts up and does nothing                                        */
/* ======================================================================= */

static void Idle_ttse__on_start(tt_tonic *self) { (void)self; cu_log("start"); }
static void Idle_ttse__on_finished(tt_tonic *self) { (void)self; cu_log("finished"); }

static const tt_handler idle_handlers[] = {
    TT_ON(Idle, ttse__on_start),
    TT_ON(Idle, ttse__on_finished),
};

static const tt_class Idle_class = {
    .name = "Idle",
    .handlers = idle_handlers,
    .n_handlers = TT_COUNTOF(idle_handlers),
};

/* ======================================================================= */
/* Tests                                                                   */
/* ======================================================================= */

/* An app module under the Catalyst: formula, run, finished. */
static void test_app_to_completion(void **state)
{
    const char *top = getenv("top_builddir");
    char path[4096];
    tt_error err = {0};
    tt_app *app = NULL;
    tt_catalyst *cat = NULL;
    tt_tonic *t;
    tt_value v;
    double t0;

    (void)state;
    if (!top) {
        printf("# top_builddir is not set: no check module to load\n");
        skip();
    }
    snprintf(path, sizeof path, "%s/tests/mod-countdown.la", top);
    if (tt_app_load(path, &app, &err) != 0)
        fail_msg("tt_app_load: %s", err.msg);
    cu_expect_contains(tt_app_path(app), "mod-countdown");
    assert_int_equal(tt_catalyst_new(&cat, NULL), 0); /* NULL options: the Catalyst */
    assert_int_equal(tt_app_formula(app, cat), 0);
    t0 = now_s();
    assert_int_equal(tt_catalyst_run(cat), 0);
    assert_true(now_s() - t0 >= 0.029); /* three ticks of 10 ms */
    assert_true(tt_catalyst_finished(cat));
    t = tt_tonic_by_name(cat, "Countdown");
    assert_non_null(t);
    assert_int_equal(tt_tonic_id(t), -1);
    assert_int_equal(tt_tonic_probe_read(t, "remaining", &v), 0);
    assert_int_equal(v.u.i, 0);
    assert_int_equal(tt_tonic_probe_read(t, "ticks", &v), 0);
    assert_int_equal(v.u.i, 3);
    assert_int_equal(tt_trace_last_seq(cat), 0); /* production records nothing */
    tt_catalyst_free(cat);
    tt_app_close(app);
}

/* A repeat timer in real time, then the tonic finishes the catalyst. */
static void test_repeat_timer_real_time(void **state)
{
    tt_catalyst *cat = cu_catalyst();
    tt_tonic *b = tt_tonic_new(cat, &Blinker_class, "Blinker", NULL);
    double t0 = now_s();

    (void)state;
    assert_non_null(b);
    assert_int_equal(tt_catalyst_run(cat), 0);
    assert_true(now_s() - t0 >= 0.0099);
    assert_int_equal(TT_DATA(Blinker, b)->ticks, 5);
    assert_true(tt_catalyst_finished(cat));
    /* running a finished catalyst returns at once */
    assert_int_equal(tt_catalyst_run(cat), 0);
    tt_catalyst_free(cat);
}

/* The catalyst sleeps until the next timer is due. */
static void test_sleeps_until_timer(void **state)
{
    tt_catalyst *cat = cu_catalyst();
    double t0 = now_s(), took;

    (void)state;
    assert_non_null(tt_tonic_new(cat, &Sleeper_class, NULL, NULL));
    assert_int_equal(tt_catalyst_run(cat), 0);
    took = now_s() - t0;
    printf("# a 50 ms timer took %.1f ms\n", took * 1000);
    assert_true(took >= 0.0499);
    assert_true(took < WATCHDOG_S);
    cu_expect_log("timer 02.ttTimerSingleShot;");
    tt_catalyst_free(cat);
}

/* A post from another thread wakes the sleeping catalyst at once. */
static void test_wakes_on_post(void **state)
{
    tt_catalyst *cat = cu_catalyst();
    tt_tonic *w = tt_tonic_new(cat, &Waiter_class, "Waiter", (void *)(intptr_t)DO_POST);
    Waiter *d;

    (void)state;
    assert_non_null(w);
    assert_int_equal(tt_catalyst_run(cat), 0);
    d = TT_DATA(Waiter, w);
    assert_true(d->started);
    assert_int_equal(pthread_join(d->th, NULL), 0);
    assert_int_equal(d->rc, 0);
    cu_expect_log("bye from a thread;exit waiting;finished;");
    assert_true(tt_catalyst_finished(cat));
    tt_catalyst_free(cat);
}

/* tt_catalyst_stop from another thread finishes the catalyst, which
 * finishes its tonics as their base. */
static void test_stop_from_thread(void **state)
{
    tt_catalyst *cat = cu_catalyst();
    tt_tonic *w = tt_tonic_new(cat, &Waiter_class, "Waiter", (void *)(intptr_t)DO_STOP);
    Waiter *d;

    (void)state;
    assert_non_null(w);
    assert_int_equal(tt_catalyst_run(cat), 0);
    d = TT_DATA(Waiter, w);
    assert_true(d->started);
    assert_int_equal(pthread_join(d->th, NULL), 0);
    assert_int_equal(d->rc, 0);
    assert_true(tt_catalyst_finished(cat));
    assert_true(tt_tonic_finishing(w));
    /* the catalyst completes before the Waiter's ttse__on_finished runs */
    cu_expect_log("exit waiting;");
    assert_int_equal(tt_catalyst_stop(NULL), -TT_EINVAL);
    assert_int_equal(tt_catalyst_run(NULL), -TT_EINVAL);
    tt_catalyst_free(cat);
}

/* Stopped before it runs: the catalyst starts up, then finishes. */
static void test_stop_before_run(void **state)
{
    tt_catalyst *cat = cu_catalyst();
    tt_tonic *t = tt_tonic_new(cat, &Idle_class, "Idle", NULL);

    (void)state;
    assert_int_equal(tt_catalyst_stop(cat), 0);
    assert_int_equal(tt_catalyst_run(cat), 0);
    assert_true(tt_catalyst_finished(cat));
    assert_true(tt_tonic_finishing(t));
    cu_expect_log("start;");
    tt_catalyst_free(cat);
}

/* Backpressure: posts from another thread fill the inbox up to
 * TT_INBOX_MAX; the next one waits TT_POST_WAIT for room and fails with
 * -TT_EAGAIN.  After a stop, posts from other threads fail at once, the
 * inbox is dropped, and the catalyst's finish runs first. */
typedef struct flood_arg {
    tt_tonic *t;
    int full_rc, stopped_rc;
    tt_catalyst *cat;
} flood_arg;

static void *flood_fill(void *p)
{
    flood_arg *a = p;
    for (int i = 0; i < TT_INBOX_MAX; i++)
        if (tt_send(a->t, "ttse__on_start") != 0)
            return NULL;
    a->full_rc = tt_send(a->t, "ttse__on_start");
    return NULL;
}

static void *flood_after_stop(void *p)
{
    flood_arg *a = p;
    a->stopped_rc = tt_send(a->t, "ttse__on_start");
    return NULL;
}

static void test_inbox_backpressure_and_stop(void **state)
{
    tt_catalyst *cat = cu_catalyst();
    tt_tonic *t = tt_tonic_new(cat, &Idle_class, "Idle", NULL);
    flood_arg a = {.t = t, .full_rc = 1, .stopped_rc = 1, .cat = cat};
    pthread_t th;

    (void)state;
    assert_int_equal(pthread_create(&th, NULL, flood_fill, &a), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(a.full_rc, -TT_EAGAIN);
    assert_int_equal(tt_catalyst_stop(cat), 0);
    assert_int_equal(pthread_create(&th, NULL, flood_after_stop, &a), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(a.stopped_rc, -TT_ECATFINISHED);
    assert_int_equal(tt_catalyst_run(cat), 0);
    assert_true(tt_catalyst_finished(cat));
    /* the 65,536 posted orders were dropped, not run: only the start-up */
    cu_expect_log("start;");
    tt_catalyst_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_app_to_completion, cu_setup),
        cmocka_unit_test_setup(test_inbox_backpressure_and_stop, cu_setup),
        cmocka_unit_test_setup(test_repeat_timer_real_time, cu_setup),
        cmocka_unit_test_setup(test_sleeps_until_timer, cu_setup),
        cmocka_unit_test_setup(test_wakes_on_post, cu_setup),
        cmocka_unit_test_setup(test_stop_from_thread, cu_setup),
        cmocka_unit_test_setup(test_stop_before_run, cu_setup),
    };

    alarm(WATCHDOG_S);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
