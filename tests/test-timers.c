/*
 * test-timers.c: single-shot, repeat and pausing timers in virtual time.
 *
 * A timer is an infusion of its base and takes an id from the ledger.  When
 * due it queues its callback on the base (`ttse__on_<name>`,
 * `ttse__on_tmr_<name>`, `ttse__on_timer`, or an explicit sparkle) with one
 * timer-info argument and source (<timer>, "expired", id); a single-shot
 * timer then finishes.  Finishing a timer in any way queues
 * `base._ttss__on_infusion_completed(timer)` with the source of the moment,
 * as Python's finish() does (external at expiry).  The Distiller's clock is virtual: it jumps to the next due
 * timer, and tt_distiller_advance moves it by hand.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "check-util.h"
#include "tasktonic.h"

/* ======================================================================= */
/* Clock: every kind of callback                                           */
/* ======================================================================= */

typedef struct Clock {
    const tt_timer_info *last; /* the info of the last callback */
    tt_timer *made;            /* the timer ttsc__make created */
} Clock;

/* Log one callback: which handler, the timer, its count and the time. */
static void note(tt_tonic *self, const char *handler, const tt_timer_info *info)
{
    TT_DATA(Clock, self)->last = info;
    cu_log("%s %s id=%d n=%lu t=%g", handler, info->name, info->id, info->expired_count,
           tt_catalyst_now(tt_tonic_catalyst(self)));
}

/* The candidate callbacks, each logging its own name. */
#define CLOCK_CALLBACK(fn, label)                                             \
    static void Clock_##fn(tt_tonic *self, const tt_timer_info *i)            \
    {                                                                         \
        note(self, label, i);                                                 \
    }
CLOCK_CALLBACK(ttse__on_timer, "on_timer")
CLOCK_CALLBACK(ttse__on_blink, "on_blink")
CLOCK_CALLBACK(ttse__on_tmr_blink, "on_tmr_blink")
CLOCK_CALLBACK(ttse__on_tmr_beep, "on_tmr_beep")
static void Clock_ttsc__tick(tt_tonic *self, const tt_timer_info *i) { note(self, "tick", i); }
static void Clock_ttsc__bad(tt_tonic *self, int64_t x) { (void)self; (void)x; }
static void Clock_ttsc__stop(tt_tonic *self) { tt_finish(self); }
/* Finish the timer ttsc__make created, from user code inside a sparkle. */
static void Clock_ttsc__disarm(tt_tonic *self)
{
    tt_timer_finish(TT_DATA(Clock, self)->made);
}

/* Create a named repeat timer from inside a sparkle. */
static void Clock_ttsc__make(tt_tonic *self, const char *name, double period)
{
    TT_DATA(Clock, self)->made = tt_timer_new(self, TT_TIMER_REPEAT, period, name, NULL);
}

static const tt_handler clock_handlers[] = {
    TT_ON(Clock, ttse__on_timer, const tt_timer_info *),
    TT_ON(Clock, ttse__on_blink, const tt_timer_info *),
    TT_ON(Clock, ttse__on_tmr_blink, const tt_timer_info *),
    TT_ON(Clock, ttse__on_tmr_beep, const tt_timer_info *),
    TT_ON(Clock, ttsc__tick, const tt_timer_info *),
    TT_ON(Clock, ttsc__bad, int64_t),
    TT_ON(Clock, ttsc__stop),
    TT_ON(Clock, ttsc__disarm),
    TT_ON(Clock, ttsc__make, const char *, double),
};

static const tt_class Clock_class = {
    .name = "Clock",
    .data_size = sizeof(Clock),
    .handlers = clock_handlers,
    .n_handlers = TT_COUNTOF(clock_handlers),
};

/* A class without any timer callback. */
static void Bare_ttsc__x(tt_tonic *self) { (void)self; }
static const tt_handler bare_handlers[] = {TT_ON(Bare, ttsc__x)};
static const tt_class Bare_class = {
    .name = "Bare",
    .handlers = bare_handlers,
    .n_handlers = TT_COUNTOF(bare_handlers),
};

/* ======================================================================= */
/* Helpers                                                                 */
/* ======================================================================= */

/* A Distiller with a started Clock (id 1). */
static tt_catalyst *clock_setup(tt_tonic **clock)
{
    tt_catalyst *cat = cu_distiller();

    *clock = tt_tonic_new(cat, &Clock_class, "Clock", NULL);
    assert_non_null(*clock);
    cu_all(cat);
    cu_log_reset();
    return cat;
}

/* Run for `seconds` of virtual time. */
static const tt_run *run_for(tt_catalyst *cat, double seconds)
{
    tt_sparkle_args a = {.timeout = seconds};

    return cu_sparkle(cat, &a);
}

/* ======================================================================= */
/* Kinds                                                                   */
/* ======================================================================= */

/* A single-shot timer fires once, with info and source, then finishes. */
static void test_single_shot(void **state)
{
    tt_tonic *clock;
    tt_catalyst *cat = clock_setup(&clock);
    tt_timer *tm = tt_timer_new(clock, TT_TIMER_SINGLE_SHOT, 2.0, NULL, NULL);
    const tt_run *run;
    const tt_trace_entry *e;
    char json[256];

    (void)state;
    assert_non_null(tm);
    assert_int_equal(tt_timer_id(tm), 2);
    assert_true(tt_timer_running(tm));
    assert_true(fabs(tt_timer_due(tm) - 2.0) < 1e-9);
    assert_int_equal(tt_queue_length(cat), 0); /* a timer queues nothing */

    run = cu_all(cat);
    cu_expect_trace(cat, run, "Clock.ttse__on_timer, Clock._ttss__on_infusion_completed");
    cu_expect_stops(run, 1, "idle");
    cu_expect_log("on_timer 02.ttTimerSingleShot id=2 n=1 t=2;");

    e = cu_entry(cat, run, 0);
    cu_expect_source(cat, e, "02.ttTimerSingleShot", "expired", 2);
    assert_true(e->src_obj & TT_SRC_TIMER);
    assert_true(fabs(e->vt - 2.0) < 1e-9);
    assert_int_equal(e->nargs, 1);
    assert_int_equal(e->args[0].type, TT_T_TIMERINFO);
    tt_value_to_json(&e->args[0], json, sizeof json);
    cu_expect_contains(json, "\"id\"");
    cu_expect_contains(json, "2");
    cu_expect_contains(json, "\"02.ttTimerSingleShot\"");

    e = cu_entry(cat, run, 1); /* queued from outside */
    cu_expect_source(cat, e, NULL, "", -1);
    assert_int_equal(e->args[0].type, TT_T_TIMER);
    assert_ptr_equal(e->args[0].u.timer, tm);

    assert_int_equal(tt_timer_id(tm), -1);
    assert_false(tt_timer_running(tm));
    assert_int_equal(tt_timer_get_info(tm)->id, 2);
    assert_ptr_equal(TT_DATA(Clock, clock)->last, tt_timer_get_info(tm));
    assert_ptr_equal(tt_timer_get_info(tm)->timer, tm);
    assert_int_equal(tt_timer_start(tm), -TT_EFINISHED);
    assert_true(fabs(tt_catalyst_now(cat) - 2.0) < 1e-9);
    tt_catalyst_free(cat);
}

/* A repeat timer fires every period until stopped. */
static void test_repeat(void **state)
{
    tt_tonic *clock;
    tt_catalyst *cat = clock_setup(&clock);
    tt_timer *tm = tt_timer_new(clock, TT_TIMER_REPEAT, 1.0, NULL, NULL);
    const tt_run *run;

    (void)state;
    assert_string_equal(tt_timer_name(tm), "02.ttTimerRepeat");
    run = run_for(cat, 3.5);
    cu_expect_trace(cat, run, "Clock.ttse__on_timer, Clock.ttse__on_timer, Clock.ttse__on_timer");
    cu_expect_stops(run, 1, "timeout");
    assert_true(fabs(tt_run_vt_end(run) - 3.5) < 1e-9);
    cu_expect_log("on_timer 02.ttTimerRepeat id=2 n=1 t=1;on_timer 02.ttTimerRepeat id=2 n=2 t=2;"
                  "on_timer 02.ttTimerRepeat id=2 n=3 t=3;");
    assert_int_equal(tt_timer_id(tm), 2); /* a repeat timer stays */
    assert_true(fabs(tt_timer_due(tm) - 4.0) < 1e-9);

    assert_int_equal(tt_timer_stop(tm), 0);
    assert_false(tt_timer_running(tm));
    run = cu_all(cat);
    assert_int_equal(tt_run_entry_count(run), 0);
    cu_expect_stops(run, 1, "idle");
    tt_catalyst_free(cat);
}

/* A pausing timer keeps the rest of its period while paused. */
static void test_pausing(void **state)
{
    tt_tonic *clock;
    tt_catalyst *cat = clock_setup(&clock);
    tt_timer *tm = tt_timer_new(clock, TT_TIMER_PAUSING, 1.0, NULL, NULL);
    tt_timer *rep = tt_timer_new(clock, TT_TIMER_REPEAT, 100.0, NULL, NULL);
    const tt_run *run;

    (void)state;
    assert_string_equal(tt_timer_name(tm), "02.ttTimerPausing");
    assert_int_equal(tt_distiller_advance(cat, 0.4), 0);
    assert_int_equal(tt_timer_pause(tm), 0);
    assert_true(tt_timer_paused(tm));
    assert_int_equal(tt_timer_pause(tm), 0); /* twice: no change */
    assert_int_equal(tt_distiller_advance(cat, 10.0), 0);
    assert_int_equal(tt_queue_length(cat), 0); /* nothing fired while paused */
    assert_int_equal(tt_timer_resume(tm), 0);  /* at 10.4: 0.6 left */
    assert_false(tt_timer_paused(tm));
    assert_true(fabs(tt_timer_due(tm) - 11.0) < 1e-9);
    run = run_for(cat, 1.7);
    cu_expect_log("on_timer 02.ttTimerPausing id=2 n=1 t=11;"
                  "on_timer 02.ttTimerPausing id=2 n=2 t=12;");
    assert_int_equal(tt_run_entry_count(run), 2);

    /* pause and resume belong to pausing timers */
    assert_int_equal(tt_timer_pause(rep), -TT_EINVAL);
    assert_int_equal(tt_timer_resume(rep), -TT_EINVAL);
    tt_catalyst_free(cat);
}

/* start, stop, restart and set_period move the due time. */
static void test_start_stop_restart_period(void **state)
{
    tt_tonic *clock;
    tt_catalyst *cat = clock_setup(&clock);
    tt_timer *tm = tt_timer_new(clock, TT_TIMER_REPEAT, 1.0, NULL, NULL);
    tt_timer *ss = tt_timer_new(clock, TT_TIMER_SINGLE_SHOT, 0.25, NULL, NULL);
    tt_sparkle_args till = {.till_sparkle_in = "ttse__on_timer"};
    const tt_run *run;

    (void)state;
    /* a stopped single shot never fires and keeps its id until finished */
    assert_int_equal(tt_timer_stop(ss), 0);
    assert_int_equal(tt_distiller_advance(cat, 0.5), 0);
    assert_int_equal(tt_queue_length(cat), 0);
    assert_int_equal(tt_timer_id(ss), 3);
    assert_int_equal(tt_timer_finish(ss), 0);
    assert_int_equal(tt_timer_id(ss), -1);

    assert_int_equal(tt_timer_restart(tm), 0); /* at 0.5: due 1.5 */
    assert_true(fabs(tt_timer_due(tm) - 1.5) < 1e-9);
    run = run_for(cat, 1.2);
    cu_expect_log("on_timer 02.ttTimerRepeat id=2 n=1 t=1.5;");
    assert_true(fabs(tt_run_vt_end(run) - 1.7) < 1e-9);

    assert_int_equal(tt_timer_set_period(tm, 2.0), 0); /* at 1.7: due 3.7 */
    assert_true(fabs(tt_timer_period(tm) - 2.0) < 1e-9);
    run = cu_sparkle(cat, &till);
    cu_expect_log("on_timer 02.ttTimerRepeat id=2 n=2 t=3.7;");
    cu_expect_stops(run, 1, "sparkle_trigger: [ttse__on_timer]");

    assert_int_equal(tt_timer_stop(tm), 0);
    assert_int_equal(tt_distiller_advance(cat, 10.0), 0); /* t = 13.7 */
    assert_int_equal(tt_queue_length(cat), 0);
    assert_int_equal(tt_timer_start(tm), 0);
    assert_true(fabs(tt_timer_due(tm) - 15.7) < 1e-9);
    run = cu_sparkle(cat, &till);
    cu_expect_log("on_timer 02.ttTimerRepeat id=2 n=3 t=15.7;");

    /* bad periods */
    assert_int_equal(tt_timer_set_period(tm, 0.0), -TT_EINVAL);
    assert_int_equal(tt_timer_set_period(tm, -1.0), -TT_EINVAL);
    assert_null(tt_timer_new(clock, TT_TIMER_REPEAT, 0.0, NULL, NULL));
    assert_null(tt_timer_new(clock, TT_TIMER_SINGLE_SHOT, -1.0, NULL, NULL));
    tt_catalyst_free(cat);
}

/* ======================================================================= */
/* Callback resolution                                                     */
/* ======================================================================= */

/* ttse__on_<name>, then ttse__on_tmr_<name>, then ttse__on_timer; or the
 * sparkle given. */
static void test_callback_resolution(void **state)
{
    tt_tonic *clock;
    tt_catalyst *cat = clock_setup(&clock);
    tt_tonic *bare;
    const tt_run *run;

    (void)state;
    assert_non_null(tt_timer_new(clock, TT_TIMER_SINGLE_SHOT, 1.0, "blink", NULL));
    assert_non_null(tt_timer_new(clock, TT_TIMER_SINGLE_SHOT, 2.0, "beep", NULL));
    assert_non_null(tt_timer_new(clock, TT_TIMER_SINGLE_SHOT, 3.0, "other", NULL));
    assert_non_null(tt_timer_new(clock, TT_TIMER_SINGLE_SHOT, 4.0, "blink2", "ttsc__tick"));
    assert_non_null(tt_timer_new(clock, TT_TIMER_SINGLE_SHOT, 5.0, "beep", "ttse__on_blink"));
    run = cu_all(cat);
    cu_expect_log("on_blink blink id=2 n=1 t=1;on_tmr_beep beep id=3 n=1 t=2;"
                  "on_timer other id=4 n=1 t=3;tick blink2 id=5 n=1 t=4;"
                  "on_blink beep id=6 n=1 t=5;");
    assert_int_equal(cu_find(cat, run, "Clock.ttse__on_tmr_beep", 0), 2);
    cu_expect_source(cat, cu_entry(cat, run, 2), "beep", "expired", 3);

    /* nothing to call: refused with a message, no id taken */
    bare = tt_tonic_new(cat, &Bare_class, "Bare", NULL);
    assert_int_equal(tt_tonic_id(bare), 2); /* the timers' ids are free again */
    assert_null(tt_timer_new(clock, TT_TIMER_SINGLE_SHOT, 1.0, NULL, "ttse__on_nothing"));
    cu_expect_contains(tt_catalyst_errmsg(cat), "ttse__on_nothing");
    assert_null(tt_timer_new(bare, TT_TIMER_SINGLE_SHOT, 1.0, NULL, NULL));
    cu_expect_contains(tt_catalyst_errmsg(cat), "ttse__on_timer");
    assert_null(tt_timer_new(bare, TT_TIMER_SINGLE_SHOT, 1.0, "x", NULL));
    /* a callback must take the timer info */
    assert_null(tt_timer_new(clock, TT_TIMER_SINGLE_SHOT, 1.0, NULL, "ttsc__bad"));
    cu_expect_contains(tt_catalyst_errmsg(cat), "ttsc__bad");
    assert_null(tt_timer_new(NULL, TT_TIMER_SINGLE_SHOT, 1.0, NULL, NULL));
    assert_int_equal(tt_tonic_id(tt_tonic_new(cat, &Bare_class, NULL, NULL)), 3);
    tt_catalyst_free(cat);
}

/* A timer created in a sparkle; its callbacks have it as source. */
static void test_timer_from_sparkle(void **state)
{
    tt_tonic *clock;
    tt_catalyst *cat = clock_setup(&clock);
    const tt_run *run;
    tt_timer *tm;

    (void)state;
    assert_int_equal(tt_send(clock, "ttsc__make", TT_STR("blink"), TT_DOUBLE(0.5)), 0);
    run = run_for(cat, 1.0);
    tm = TT_DATA(Clock, clock)->made;
    assert_non_null(tm);
    assert_ptr_equal(tt_timer_base(tm), clock);
    cu_expect_trace(cat, run, "Clock.ttsc__make, Clock.ttse__on_blink, Clock.ttse__on_blink");
    cu_expect_source(cat, cu_entry(cat, run, 2), "blink", "expired", 2);
    assert_int_equal(TT_DATA(Clock, clock)->last->expired_count, 2);
    tt_catalyst_free(cat);
}

/* ======================================================================= */
/* Virtual time                                                            */
/* ======================================================================= */

/* Several due timers: callback 1, completed 1, callback 2, completed 2. */
static void test_advance_queues_in_due_order(void **state)
{
    tt_tonic *clock;
    tt_catalyst *cat = clock_setup(&clock);
    uint64_t last = tt_trace_last_seq(cat);
    tt_order_view v;
    const tt_run *run;

    (void)state;
    assert_non_null(tt_timer_new(clock, TT_TIMER_SINGLE_SHOT, 2.0, "late", "ttse__on_timer"));
    assert_non_null(tt_timer_new(clock, TT_TIMER_SINGLE_SHOT, 1.0, "early", "ttse__on_timer"));
    assert_int_equal(tt_distiller_advance(cat, 3.0), 0);
    assert_true(fabs(tt_catalyst_now(cat) - 3.0) < 1e-9);
    assert_int_equal(tt_trace_last_seq(cat), last); /* ran nothing */
    assert_int_equal(tt_queue_length(cat), 4);
    assert_int_equal(tt_queue_at(cat, 0, &v), 0);
    assert_string_equal(v.sparkle, "ttse__on_timer");
    assert_string_equal(v.src_tonic, "early");
    assert_int_equal(tt_queue_at(cat, 1, &v), 0);
    assert_string_equal(v.sparkle, "_ttss__on_infusion_completed");
    assert_int_equal(tt_queue_at(cat, 2, &v), 0);
    assert_string_equal(v.src_tonic, "late");
    run = cu_all(cat);
    cu_expect_log("on_timer early id=3 n=1 t=3;on_timer late id=2 n=1 t=3;");
    assert_int_equal(tt_run_entry_count(run), 4);
    tt_catalyst_free(cat);
}

/* advance stops with -TT_ERANGE instead of queuing without bound. */
static void test_advance_bounded(void **state)
{
    tt_tonic *clock;
    tt_catalyst *cat = clock_setup(&clock);

    (void)state;
    assert_non_null(tt_timer_new(clock, TT_TIMER_REPEAT, 1e-7, "fast", "ttse__on_timer"));
    assert_int_equal(tt_distiller_advance(cat, 100.0), -TT_ERANGE);
    assert_non_null(strstr(tt_catalyst_errmsg(cat), "more than 1000000 orders"));
    assert_true(tt_catalyst_now(cat) < 1.0); /* it stopped where it got to */
    assert_true(tt_queue_length(cat) <= 1000002);
    tt_catalyst_free(cat);
}

/* A repeat period below the clock's resolution at the current time still
 * moves the timer on: one expiry per pass, no endless loop. */
static void test_period_below_resolution(void **state)
{
    tt_tonic *clock;
    tt_catalyst *cat = clock_setup(&clock);
    const tt_run *run;

    (void)state;
    alarm(10); /* the bug was an endless loop: make it a failure */
    assert_int_equal(tt_distiller_advance(cat, 1.0), 0);
    assert_non_null(tt_timer_new(clock, TT_TIMER_REPEAT, 1e-20, "tiny", "ttse__on_timer"));
    run = cu_count(cat, 1);
    assert_int_equal(tt_run_entry_count(run), 1);
    assert_true(tt_queue_length(cat) <= 2);
    cu_expect_log("on_timer tiny id=2 n=1 t=1;");
    alarm(0);
    tt_catalyst_free(cat);
}

/* An hour of virtual time takes no wall time; a timeout stops in between. */
static void test_virtual_clock(void **state)
{
    tt_tonic *clock;
    tt_catalyst *cat = clock_setup(&clock);
    tt_timer *tm = tt_timer_new(clock, TT_TIMER_SINGLE_SHOT, 3600.0, NULL, NULL);
    const tt_run *run;

    (void)state;
    run = run_for(cat, 10.0);
    cu_expect_stops(run, 1, "timeout");
    assert_int_equal(tt_run_entry_count(run), 0);
    assert_true(fabs(tt_run_vt_end(run) - 10.0) < 1e-9);
    assert_int_equal(tt_timer_id(tm), 2);

    run = cu_all(cat);
    cu_expect_log("on_timer 02.ttTimerSingleShot id=2 n=1 t=3600;");
    assert_true(tt_run_end(run) - tt_run_start(run) < 5.0);
    assert_true(fabs(tt_run_vt_end(run) - 3600.0) < 1e-9);
    tt_catalyst_free(cat);
}

/* tt_distiller_advance only works on a virtual Distiller. */
static void test_advance_errors(void **state)
{
    tt_catalyst_options rt = {.mode = TT_MODE_DISTILLER, .real_time = true};
    tt_catalyst *cat = cu_distiller(), *prod = cu_catalyst(), *real = NULL;

    (void)state;
    assert_int_equal(tt_distiller_advance(cat, -1.0), -TT_EINVAL);
    assert_int_equal(tt_distiller_advance(cat, 0.0), 0);
    assert_int_equal(tt_distiller_advance(prod, 1.0), -TT_ENOTDISTILLER);
    assert_int_equal(tt_catalyst_new(&real, &rt), 0);
    assert_int_equal(tt_distiller_advance(real, 1.0), -TT_ENOTDISTILLER);
    cu_expect_contains(tt_catalyst_errmsg(real), "virtual");
    tt_catalyst_free(real);
    tt_catalyst_free(prod);
    tt_catalyst_free(cat);
}

/* The three ways a running timer finishes other than by expiring, each
 * traced as the Python TaskTonic does: finish() queues
 * base._ttss__on_infusion_completed(timer) from whatever source is on top of
 * the sparkle stack at that moment. */

/* 1. finish_distiller with a timer running: the timer finishes at once, from
 * outside, after the tonics' ttsc__finish orders were queued (ledger order). */
static void test_timer_finish_by_distiller_finish(void **state)
{
    tt_tonic *clock;
    tt_catalyst *cat = clock_setup(&clock);
    tt_timer *ss = tt_timer_new(clock, TT_TIMER_SINGLE_SHOT, 5.0, NULL, NULL);
    const tt_run *run;

    (void)state;
    assert_int_equal(tt_distiller_finish(cat, NULL, &run), 0);
    cu_expect_trace(cat, run,
                    "tt_main_catalyst.ttsc__finish, Clock.ttsc__finish, "
                    "Clock._ttss__on_infusion_completed, tt_main_catalyst.ttse__on_finished, "
                    "tt_main_catalyst._ttss__on_finished, Clock.ttsc__finish, "
                    "tt_main_catalyst._ttss__on_completion");
    cu_expect_source(cat, cu_entry(cat, run, 2), NULL, "", -1);
    assert_int_equal(cu_entry(cat, run, 2)->args[0].u.timer, ss);
    assert_int_equal(tt_timer_id(ss), -1);
    tt_catalyst_free(cat);
}

/* 2. A tonic that finishes while it owns running timers: its
 * _ttss__on_finished finishes them with source [base, "finish", id]; they
 * free their ids and never fire. */
static void test_timer_finish_by_base(void **state)
{
    tt_tonic *clock;
    tt_catalyst *cat = clock_setup(&clock);
    tt_timer *rep = tt_timer_new(clock, TT_TIMER_REPEAT, 1.0, NULL, NULL);
    tt_timer *ss = tt_timer_new(clock, TT_TIMER_SINGLE_SHOT, 5.0, NULL, NULL);
    const tt_run *run;

    (void)state;
    assert_int_equal(tt_send(clock, "ttsc__stop"), 0);
    run = cu_all(cat);
    cu_expect_trace(cat, run,
                    "Clock.ttsc__stop, Clock.ttsc__finish, "
                    "tt_main_catalyst._ttss__on_infusion_completed, Clock.ttse__on_finished, "
                    "Clock._ttss__on_finished, Clock._ttss__on_infusion_completed, "
                    "Clock._ttss__on_infusion_completed, Clock._ttss__on_completion, "
                    "tt_main_catalyst._ttss__remove_tonic_from_catalyst, "
                    "tt_main_catalyst.ttsc__finish, tt_main_catalyst.ttse__on_finished, "
                    "tt_main_catalyst._ttss__on_finished, tt_main_catalyst._ttss__on_completion");
    cu_expect_source(cat, cu_entry(cat, run, 5), "Clock", "finish", 1);
    cu_expect_source(cat, cu_entry(cat, run, 6), "Clock", "finish", 1);
    assert_int_equal(cu_entry(cat, run, 5)->args[0].u.timer, rep);
    assert_int_equal(cu_entry(cat, run, 6)->args[0].u.timer, ss);
    assert_int_equal(cu_entry(cat, run, 5)->id, 1); /* finishing, still registered */
    assert_string_equal(tt_run_status(run), "catalyst finished");
    assert_int_equal(tt_timer_id(rep), -1);
    assert_int_equal(tt_timer_id(ss), -1);
    assert_false(tt_timer_running(rep));
    cu_expect_log("");
    tt_catalyst_free(cat);
}

/* 3. User code finishing a running timer: the source is its sparkle. */
static void test_timer_finish_by_user(void **state)
{
    tt_tonic *clock;
    tt_catalyst *cat = clock_setup(&clock);
    const tt_run *run;

    (void)state;
    assert_int_equal(tt_send(clock, "ttsc__make", TT_STR("blink"), TT_DOUBLE(1.0)), 0);
    run = cu_count(cat, 1);
    tt_timer *tm = TT_DATA(Clock, clock)->made;
    assert_non_null(tm);
    assert_int_equal(tt_send(clock, "ttsc__disarm"), 0);
    run = cu_count(cat, 2);
    cu_expect_trace(cat, run, "Clock.ttsc__disarm, Clock._ttss__on_infusion_completed");
    cu_expect_source(cat, cu_entry(cat, run, 1), "Clock", "ttsc__disarm", 1);
    assert_int_equal(tt_timer_id(tm), -1);
    assert_int_equal(tt_timer_finish(tm), 0); /* twice: nothing more */
    assert_int_equal(tt_queue_length(cat), 0);
    run = cu_all(cat);
    cu_expect_stops(run, 1, "idle");
    cu_expect_log("");
    tt_catalyst_free(cat);
}

/* ======================================================================= */
/* Many timers: order against a model of the documented rule               */
/* ======================================================================= */

/* The rule the timers follow: among running timers the earliest due fires
 * first; at equal due times the one that became active first (a restart of
 * a running timer keeps its place, a stop or pause loses it).  The model
 * scans its list as the rule is stated; the library keeps a heap. */
typedef struct model_timer {
    tt_timer *tm;
    char name[16];
    double period, due, remaining;
    bool pausing, running, paused;
    uint64_t seq;             /* 0: not active */
} model_timer;

#define MODEL_N 96

static uint64_t model_rand(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return *s >> 33;
}

/* One random operation on timer m at virtual time now, on both sides. */
static void model_op(model_timer *m, uint64_t r, double now, uint64_t *seq)
{
    static const double periods[] = {0.5, 1.0, 1.5, 2.0};
    switch (r % 5) {
    case 0: /* start / restart */
        assert_int_equal(tt_timer_start(m->tm), 0);
        m->due = now + m->period;
        if (!m->seq || m->paused)
            m->seq = ++*seq;
        m->running = true;
        m->paused = false;
        break;
    case 1: /* stop */
        assert_int_equal(tt_timer_stop(m->tm), 0);
        m->running = m->paused = false;
        m->seq = 0;
        break;
    case 2: /* new period */
        m->period = periods[(r / 5) % 4];
        assert_int_equal(tt_timer_set_period(m->tm, m->period), 0);
        if (m->running && !m->paused)
            m->due = now + m->period;
        break;
    case 3: /* pause */
        if (!m->pausing)
            break;
        assert_int_equal(tt_timer_pause(m->tm), 0);
        if (m->running && !m->paused) {
            m->remaining = m->due - now;
            m->paused = true;
            m->seq = 0;
        }
        break;
    default: /* resume */
        if (!m->pausing)
            break;
        assert_int_equal(tt_timer_resume(m->tm), 0);
        if (m->paused) {
            m->due = now + m->remaining;
            m->paused = false;
            m->seq = ++*seq;
        }
        break;
    }
}

/* The model's expiries up to time `until`, appended to names. */
static size_t model_fire(model_timer *ms, double until, const char **names, size_t n)
{
    for (;;) {
        model_timer *best = NULL;
        for (size_t i = 0; i < MODEL_N; i++) {
            model_timer *m = &ms[i];
            if (m->seq && m->due <= until &&
                (!best || m->due < best->due || (m->due == best->due && m->seq < best->seq)))
                best = m;
        }
        if (!best)
            return n;
        names[n++] = best->name;
        best->due += best->period;
    }
}

/* Hundreds of timers with many equal due times, started, stopped,
 * restarted, paused and resumed at random: they fire in the rule's order. */
static void test_many_timers_order(void **state)
{
    tt_tonic *clock;
    tt_catalyst *cat = clock_setup(&clock);
    static model_timer ms[MODEL_N];
    static const char *expect[200000];
    uint64_t rnd = 42, seq = 0;
    size_t n = 0;

    (void)state;
    for (size_t i = 0; i < MODEL_N; i++) {
        model_timer *m = &ms[i];
        snprintf(m->name, sizeof m->name, "t%02zu", i);
        m->pausing = i % 3 == 0;
        m->period = 0.5 * (double)(1 + i % 4);
        m->tm = tt_timer_new(clock, m->pausing ? TT_TIMER_PAUSING : TT_TIMER_REPEAT, m->period,
                             m->name, "ttse__on_timer");
        assert_non_null(m->tm);
        m->due = tt_catalyst_now(cat) + m->period;
        m->running = true;
        m->seq = ++seq;
    }
    for (int round = 0; round < 60; round++) {
        double now = tt_catalyst_now(cat);
        for (int k = 0; k < 24; k++) {
            uint64_t r = model_rand(&rnd);
            model_op(&ms[r % MODEL_N], r / MODEL_N, now, &seq);
        }
        double step = 0.5 * (double)(1 + model_rand(&rnd) % 3);
        n = model_fire(ms, now + step, expect, n);
        assert_int_equal(tt_distiller_advance(cat, step), 0);
    }
    assert_true(n > 1000);
    assert_int_equal(tt_queue_length(cat), n);
    for (size_t i = 0; i < n; i++) {
        tt_order_view v;
        assert_int_equal(tt_queue_at(cat, i, &v), 0);
        if (strcmp(v.src_tonic, expect[i]) != 0)
            fail_msg("expiry %zu: %s fired, the rule says %s", i, v.src_tonic, expect[i]);
    }
    tt_catalyst_free(cat);
}

/* Ids: the lowest free one is given, whatever order they were freed in;
 * the base's infusions keep their order as timers leave it. */
static void test_ids_and_infusions_after_finishes(void **state)
{
    tt_tonic *clock;
    tt_catalyst *cat = clock_setup(&clock);
    tt_timer *tm[12];
    tt_value v;

    (void)state;
    for (int i = 0; i < 12; i++) {
        char name[8];
        snprintf(name, sizeof name, "x%d", i);
        tm[i] = tt_timer_new(clock, TT_TIMER_REPEAT, 1.0, name, "ttse__on_timer");
        assert_int_equal(tt_timer_id(tm[i]), i + 2);
    }
    int gone[] = {7, 0, 9, 3, 4, 5, 11, 1};
    for (size_t i = 0; i < TT_COUNTOF(gone); i++)
        assert_int_equal(tt_timer_finish(tm[gone[i]]), 0);
    assert_int_equal(tt_tonic_probe_read(clock, "infusions", &v), 0);
    assert_int_equal(v.type, TT_T_LIST);
    assert_int_equal(v.u.list->n, 4);
    assert_string_equal(v.u.list->items[0].u.s, "<ID[04]B[01] ttTimerRepeat x2>");
    assert_string_equal(v.u.list->items[1].u.s, "<ID[08]B[01] ttTimerRepeat x6>");
    assert_string_equal(v.u.list->items[2].u.s, "<ID[10]B[01] ttTimerRepeat x8>");
    assert_string_equal(v.u.list->items[3].u.s, "<ID[12]B[01] ttTimerRepeat x10>");
    tt_value_clear(&v);
    /* freed: 2, 3, 5, 6, 7, 9, 11, 13 -> given lowest first */
    int want[] = {2, 3, 5, 6, 7, 9, 11, 13, 14};
    for (size_t i = 0; i < TT_COUNTOF(want); i++) {
        tt_timer *t = tt_timer_new(clock, TT_TIMER_REPEAT, 1.0, NULL, "ttse__on_timer");
        assert_int_equal(tt_timer_id(t), want[i]);
    }
    assert_int_equal(tt_tonic_probe_read(clock, "infusions", &v), 0);
    assert_int_equal(v.u.list->n, 13);
    assert_string_equal(v.u.list->items[3].u.s, "<ID[12]B[01] ttTimerRepeat x10>");
    assert_string_equal(v.u.list->items[4].u.s, "<ID[02]B[01] ttTimerRepeat 02.ttTimerRepeat>");
    tt_value_clear(&v);
    tt_catalyst_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_single_shot, cu_setup),
        cmocka_unit_test_setup(test_repeat, cu_setup),
        cmocka_unit_test_setup(test_pausing, cu_setup),
        cmocka_unit_test_setup(test_start_stop_restart_period, cu_setup),
        cmocka_unit_test_setup(test_callback_resolution, cu_setup),
        cmocka_unit_test_setup(test_timer_from_sparkle, cu_setup),
        cmocka_unit_test_setup(test_advance_queues_in_due_order, cu_setup),
        cmocka_unit_test_setup(test_virtual_clock, cu_setup),
        cmocka_unit_test_setup(test_advance_errors, cu_setup),
        cmocka_unit_test_setup(test_advance_bounded, cu_setup),
        cmocka_unit_test_setup(test_period_below_resolution, cu_setup),
        cmocka_unit_test_setup(test_timer_finish_by_distiller_finish, cu_setup),
        cmocka_unit_test_setup(test_timer_finish_by_base, cu_setup),
        cmocka_unit_test_setup(test_timer_finish_by_user, cu_setup),
        cmocka_unit_test_setup(test_many_timers_order, cu_setup),
        cmocka_unit_test_setup(test_ids_and_infusions_after_finishes, cu_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
