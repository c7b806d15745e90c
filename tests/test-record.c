/*
 * test-record.c: the flight recorder of the production Catalyst: the ring
 * keeps exactly the last N entries, with the fields of the Distiller's
 * trace; the written recording reads back with tt_trace_load.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

/* The chain of steps, recorded in each clock mode. */
static tt_catalyst *clocked_chain(tt_record_clock how, int64_t steps, double *t0, double *t1)
{
    tt_catalyst_options o = {.mode = TT_MODE_CATALYST};
    tt_catalyst *cat;
    assert_int_equal(tt_catalyst_new(&cat, &o), 0);
    tt_tonic *t = tt_tonic_new(cat, &Chain_class, "Chain", NULL);
    assert_int_equal(tt_send(t, "ttsc__step", TT_INT(steps)), 0);
    assert_int_equal(tt_catalyst_record(cat, 5000), 0);
    assert_int_equal(tt_catalyst_record_clock(cat, how), 0);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    *t0 = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
    assert_int_equal(tt_catalyst_run(cat), 0);
    clock_gettime(CLOCK_REALTIME, &ts);
    *t1 = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
    return cat;
}

/* TT_RECORD_CLOCK_AUTO (the ticker's readings in a fast chain) records the
 * same entries as TT_RECORD_CLOCK_EXACT; its times go forward entry by
 * entry, inside the run, and the busy time fits in it.  (Whether the
 * ticker's readings were used depends on the machine's speed: these hold
 * either way.) */
static void test_clock_modes(void **state)
{
    (void)state;
    const int64_t steps = 300000;
    double a0, a1, x0, x1;
    tt_catalyst *exact = clocked_chain(TT_RECORD_CLOCK_EXACT, steps, &x0, &x1);
    tt_catalyst *aut = clocked_chain(TT_RECORD_CLOCK_AUTO, steps, &a0, &a1);
    uint64_t last = tt_trace_last_seq(aut);
    assert_int_equal(last, tt_trace_last_seq(exact));
    assert_int_equal(tt_trace_first_seq(aut), tt_trace_first_seq(exact));
    const tt_trace_entry *prev = NULL;
    for (uint64_t s = tt_trace_first_seq(aut); s <= last; s++) {
        char a[700], b[700];
        const tt_trace_entry *e = tt_trace_get(aut, s);
        fields(aut, e, a, sizeof a);
        fields(exact, tt_trace_get(exact, s), b, sizeof b);
        assert_string_equal(a, b);
        assert_int_equal(e->flags, tt_trace_get(exact, s)->flags);
        /* (0.1 ms of slack: the counter's rate is known to about 1e-4) */
        if (!(e->t_enter >= a0 - 1e-4 && tt_entry_t_exit(e) <= a1 + 1e-4))
            fail_msg("entry %llu: %.9f..%.9f outside the run %.9f..%.9f",
                     (unsigned long long)s, e->t_enter, tt_entry_t_exit(e), a0, a1);
        assert_true(tt_entry_t_exit(e) >= e->t_enter);
        if (prev)
            assert_true(e->t_enter >= tt_entry_t_exit(prev));
        prev = e;
    }
    tt_tonic_stats_info sa, sx;
    assert_int_equal(tt_tonic_stats(tt_tonic_at(aut, 1), &sa), 0);
    assert_int_equal(tt_tonic_stats(tt_tonic_at(exact, 1), &sx), 0);
    assert_int_equal(sa.sparkles, sx.sparkles);
    assert_true(sa.sparkles >= (uint64_t)steps);
    assert_true(sa.busy > 0 && sa.busy <= a1 - a0 + 1e-4);
    assert_true(sa.longest <= sa.busy);
    /* a clock that is not one */
    assert_int_equal(tt_catalyst_record_clock(aut, (tt_record_clock)7), -TT_EINVAL);
    assert_non_null(strstr(tt_catalyst_errmsg(aut), "no recorder clock 7"));
    assert_int_equal(tt_catalyst_record_clock(NULL, TT_RECORD_CLOCK_EXACT), -TT_EINVAL);
    tt_catalyst_free(aut);
    tt_catalyst_free(exact);
}

/* A sparkle that runs long after a fast stretch (the ticker's readings
 * in use in AUTO) is recorded no shorter than it ran, measured inside it:
 * the giant-sparkle lint counts on it. */
static double long_ran; /* seconds, as the sparkle measured itself */
static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
static void Long_ttsc__step(tt_tonic *self, int64_t n)
{
    if (n == 1) { /* 20 ms of work, after 200,000 short sparkles */
        double t0 = wall_now(), t;
        while ((t = wall_now()) < t0 + 0.020)
            ;
        long_ran = t - t0;
    }
    if (n > 0)
        tt_send(self, "ttsc__step", TT_INT(n - 1));
    else
        tt_finish(self);
}
static const tt_handler long_handlers[] = {TT_ON(Long, ttsc__step, int64_t)};
static const tt_class Long_class = {
    .name = "Long", .handlers = long_handlers, .n_handlers = TT_COUNTOF(long_handlers)};

static void test_long_sparkle_whole(void **state)
{
    (void)state;
    for (int how = TT_RECORD_CLOCK_AUTO; how <= TT_RECORD_CLOCK_TICK; how++) {
        tt_catalyst_options o = {.mode = TT_MODE_CATALYST};
        tt_catalyst *cat;
        assert_int_equal(tt_catalyst_new(&cat, &o), 0);
        tt_tonic *t = tt_tonic_new(cat, &Long_class, "Long", NULL);
        assert_int_equal(tt_send(t, "ttsc__step", TT_INT(200001)), 0);
        assert_int_equal(tt_catalyst_record(cat, 100), 0);
        assert_int_equal(tt_catalyst_record_clock(cat, (tt_record_clock)how), 0);
        assert_int_equal(tt_catalyst_run(cat), 0);
        const tt_trace_entry *e = NULL;
        for (uint64_t s = tt_trace_first_seq(cat); s <= tt_trace_last_seq(cat); s++) {
            const tt_trace_entry *x = tt_trace_get(cat, s);
            if (strcmp(tt_entry_sparkle_name(cat, x), "ttsc__step") == 0 &&
                x->args[0].u.i == 1)
                e = x;
        }
        assert_non_null(e);
        tt_tonic_stats_info st;
        assert_int_equal(tt_tonic_stats(t, &st), 0);
        if (how == TT_RECORD_CLOCK_TICK) {
            /* every record stamped: the longest is an estimate from the
             * stamps (to a tick when the ticker is on time), not nothing */
            if (!(st.longest > 0))
                fail_msg("tick: the longest sparkle counted %.6f s, it ran %.6f s", st.longest,
                         long_ran);
            tt_catalyst_free(cat);
            continue;
        }
        double d = tt_entry_t_exit(e) - e->t_enter;
        /* (the counter's rate is known to about 1e-4) */
        if (d < long_ran * (1 - 1e-4) - 1e-6)
            fail_msg("%s: the long sparkle recorded as %.6f s, it ran %.6f s",
                     how == TT_RECORD_CLOCK_AUTO ? "auto" : "exact", d, long_ran);
        assert_true(st.longest >= long_ran * (1 - 1e-4) - 1e-6);
        tt_catalyst_free(cat);
    }
}

/* Records own their values: strings, and more than two values (kept out of
 * line), freed when the ring goes past them (valgrind and ASan check that
 * in `make check-valgrind` / the sanitizer build). */
static void Many_ttsc__note(tt_tonic *self, const char *a, int64_t n, const char *b)
{
    (void)a;
    (void)b;
    if (n > 0) {
        char buf[32];
        snprintf(buf, sizeof buf, "step %lld", (long long)(n - 1));
        tt_send(self, "ttsc__note", TT_STR(buf), TT_INT(n - 1), TT_STR("tail"));
    } else {
        tt_finish(self);
    }
}
static const tt_handler many_handlers[] = {
    TT_ON(Many, ttsc__note, const char *, int64_t, const char *)};
static const tt_class Many_class = {
    .name = "Many", .handlers = many_handlers, .n_handlers = TT_COUNTOF(many_handlers)};

static void test_records_own_values(void **state)
{
    (void)state;
    tt_catalyst_options o = {.mode = TT_MODE_CATALYST};
    tt_catalyst *cat;
    assert_int_equal(tt_catalyst_new(&cat, &o), 0);
    tt_tonic *t = tt_tonic_new(cat, &Many_class, "Many", NULL);
    assert_int_equal(tt_send(t, "ttsc__note", TT_STR("step 50"), TT_INT(50), TT_STR("tail")), 0);
    assert_int_equal(tt_catalyst_record(cat, 20), 0); /* of about 60 */
    assert_int_equal(tt_catalyst_run(cat), 0);
    assert_true(tt_trace_first_seq(cat) > 30);
    int found = 0;
    for (uint64_t s = tt_trace_first_seq(cat); s <= tt_trace_last_seq(cat); s++) {
        const tt_trace_entry *e = tt_trace_get(cat, s);
        if (strcmp(tt_entry_sparkle_name(cat, e), "ttsc__note") != 0)
            continue;
        assert_int_equal(e->nargs, 3);
        char want[32];
        snprintf(want, sizeof want, "step %lld", (long long)e->args[1].u.i);
        assert_string_equal(e->args[0].u.s, want);
        assert_string_equal(e->args[2].u.s, "tail");
        found++;
    }
    assert_true(found >= 10);
    tt_catalyst_free(cat);
}

/* Recording turned on, then off, between two sparkles of a run
 * (tt_catalyst_request_call on the catalyst's own thread): the loop goes on
 * recording from there, then not. */
static int64_t switch_on = -1, switch_off = -1;
static void record_on(tt_catalyst *cat, void *ud)
{
    (void)ud;
    assert_int_equal(tt_catalyst_record(cat, 1000), 0);
    /* the clock too, between two sparkles: at once */
    assert_int_equal(tt_catalyst_record_clock(cat, TT_RECORD_CLOCK_EXACT), 0);
    assert_int_equal(tt_catalyst_record_clock(cat, TT_RECORD_CLOCK_AUTO), 0);
}
static void record_off(tt_catalyst *cat, void *ud) { (void)ud; assert_int_equal(tt_catalyst_record(cat, 0), 0); }
static void Switch_ttsc__step(tt_tonic *self, int64_t n)
{
    tt_catalyst *cat = tt_tonic_catalyst(self);
    if (n == 100) /* not inside a sparkle */
        assert_int_equal(tt_catalyst_record_clock(cat, TT_RECORD_CLOCK_EXACT), -TT_EBUSY);
    if (n == switch_on)
        assert_int_equal(tt_catalyst_request_call(cat, record_on, NULL), 0);
    if (n == switch_off)
        assert_int_equal(tt_catalyst_request_call(cat, record_off, NULL), 0);
    if (n > 0)
        tt_send(self, "ttsc__step", TT_INT(n - 1));
    else
        tt_finish(self);
}
static const tt_handler switch_handlers[] = {TT_ON(Switch, ttsc__step, int64_t)};
static const tt_class Switch_class = {
    .name = "Switch", .handlers = switch_handlers, .n_handlers = TT_COUNTOF(switch_handlers)};

static void test_record_switched_mid_run(void **state)
{
    (void)state;
    for (int off = 0; off <= 1; off++) {
        tt_catalyst_options o = {.mode = TT_MODE_CATALYST};
        tt_catalyst *cat;
        assert_int_equal(tt_catalyst_new(&cat, &o), 0);
        tt_tonic *t = tt_tonic_new(cat, &Switch_class, "Switch", NULL);
        assert_int_equal(tt_send(t, "ttsc__step", TT_INT(100)), 0);
        switch_on = 60;
        switch_off = off ? 20 : -1;
        assert_int_equal(tt_catalyst_run(cat), 0);
        tt_tonic_stats_info st;
        assert_int_equal(tt_tonic_stats(t, &st), 0);
        if (off) {
            /* steps 59..20 recorded: the call runs after the sparkle that asked */
            assert_int_equal(st.sparkles, 40);
            assert_int_equal(tt_trace_last_seq(cat) - tt_trace_first_seq(cat) + 1, 40);
        } else {
            /* steps 59..0, then the finishing sparkles */
            assert_true(st.sparkles >= 60);
            const tt_trace_entry *e = tt_trace_get(cat, tt_trace_first_seq(cat));
            assert_non_null(e);
            assert_int_equal(e->args[0].u.i, 59);
        }
        tt_catalyst_free(cat);
    }
}

/* A crash between two sparkles of a recording run (in a requested call) is
 * contained too: the loop's guard is armed for the whole run. */
static void crash_call(tt_catalyst *cat, void *ud)
{
    (void)cat;
    (void)ud;
    raise(SIGSEGV);
}
static void Crasher_ttsc__step(tt_tonic *self, int64_t n)
{
    if (n == 5)
        tt_catalyst_request_call(tt_tonic_catalyst(self), crash_call, NULL);
    if (n == 3) /* a Distiller of its own inside the sparkle, guarded too */ {
        tt_catalyst_options o = {.mode = TT_MODE_DISTILLER, .contain_crashes = true};
        tt_catalyst *d;
        assert_int_equal(tt_catalyst_new(&d, &o), 0);
        tt_tonic *c = tt_tonic_new(d, &Chain_class, "Inner", NULL);
        assert_int_equal(tt_send(c, "ttsc__step", TT_INT(3)), 0);
        assert_int_equal(tt_distiller_sparkle(d, &(tt_sparkle_args){.timeout = 10}, NULL), 0);
        tt_catalyst_free(d);
    }
    if (n == 1)
        raise(SIGSEGV);
    tt_send(self, "ttsc__step", TT_INT(n - 1));
}
static const tt_handler crasher_handlers[] = {TT_ON(Crasher, ttsc__step, int64_t)};
static const tt_class Crasher_class = {
    .name = "Crasher", .handlers = crasher_handlers, .n_handlers = TT_COUNTOF(crasher_handlers)};

static void test_guard_whole_run(void **state)
{
    (void)state;
    for (int between = 1; between >= 0; between--) {
        tt_catalyst_options o = {.mode = TT_MODE_CATALYST, .contain_crashes = true};
        tt_catalyst *cat;
        assert_int_equal(tt_catalyst_new(&cat, &o), 0);
        assert_int_equal(tt_catalyst_record(cat, 100), 0);
        tt_tonic *t = tt_tonic_new(cat, &Crasher_class, "Crasher", NULL);
        /* from 5: the requested call crashes; from 4: the Distiller, then
         * the sparkle of step 1 */
        assert_int_equal(tt_send(t, "ttsc__step", TT_INT(between ? 5 : 4)), 0);
        assert_int_equal(tt_catalyst_run(cat), -TT_ECRASHED);
        assert_int_equal(tt_catalyst_crash_signal(cat), SIGSEGV);
        const tt_trace_entry *e = tt_trace_get(cat, tt_trace_last_seq(cat));
        assert_non_null(e);
        if (between) {
            assert_string_equal(tt_catalyst_errmsg(cat),
                                "crashed: SIGSEGV in the catalyst, between two sparkles");
            /* the last record is the sparkle that ran before, whole */
            assert_int_equal(e->args[0].u.i, 5);
            assert_false(e->flags & TT_EF_CRASHED);
        } else {
            assert_string_equal(tt_catalyst_errmsg(cat), "crashed: SIGSEGV in Crasher.ttsc__step");
            assert_int_equal(e->args[0].u.i, 1);
            assert_true(e->flags & TT_EF_CRASHED);
        }
        tt_catalyst_free(cat);
    }
}

/* TT_RECORD_CLOCK_TICK stamps every record: the records of a tick are
 * spread over it (durations that add up, not all zero), and times go on
 * forward across a conversion made halfway (a viewer's, here a requested
 * call's). */
static void sync_now(tt_catalyst *cat, void *ud)
{
    (void)ud;
    assert_true(tt_trace_last_seq(cat) > 0); /* converts the records so far */
}
static void Tick_ttsc__step(tt_tonic *self, int64_t n)
{
    if (n == 1000)
        assert_int_equal(tt_catalyst_request_call(tt_tonic_catalyst(self), sync_now, NULL), 0);
    if (n > 0)
        tt_send(self, "ttsc__step", TT_INT(n - 1));
    else
        tt_finish(self);
}
static const tt_handler tick_handlers[] = {TT_ON(Tick, ttsc__step, int64_t)};
static const tt_class Tick_class = {
    .name = "Tick", .handlers = tick_handlers, .n_handlers = TT_COUNTOF(tick_handlers)};

static void test_tick_spread(void **state)
{
    (void)state;
    tt_catalyst_options o = {.mode = TT_MODE_CATALYST};
    tt_catalyst *cat;
    assert_int_equal(tt_catalyst_new(&cat, &o), 0);
    tt_tonic *t = tt_tonic_new(cat, &Tick_class, "Tick", NULL);
    assert_int_equal(tt_send(t, "ttsc__step", TT_INT(3000)), 0);
    assert_int_equal(tt_catalyst_record(cat, 10000), 0);
    assert_int_equal(tt_catalyst_record_clock(cat, TT_RECORD_CLOCK_TICK), 0);
    double t0 = wall_now();
    assert_int_equal(tt_catalyst_run(cat), 0);
    double t1 = wall_now();
    const tt_trace_entry *prev = NULL;
    double sum = 0;
    for (uint64_t s = tt_trace_first_seq(cat); s <= tt_trace_last_seq(cat); s++) {
        const tt_trace_entry *e = tt_trace_get(cat, s);
        double d = tt_entry_t_exit(e) - e->t_enter;
        assert_true(d >= 0);
        if (prev && e->t_enter < tt_entry_t_exit(prev))
            fail_msg("entry %llu starts before the one before it ends",
                     (unsigned long long)s);
        sum += d;
        prev = e;
    }
    assert_true(sum > 0);
    /* (the ticks' spans: a stamp is read before the run's first sparkle,
     * and the last group ends a tick after its stamp at most) */
    assert_true(sum <= t1 - t0 + 0.002 + 1e-4);
    tt_catalyst_free(cat);
}

/* A recorded sparkle that calls exit() (through tt_guard_exit, as ttrun's
 * and ttdb's exit() do) ends the run with what the guard says of it. */
static void Exiter_ttsc__go(tt_tonic *self)
{
    (void)self;
    tt_guard_exit(3);
}
static const tt_handler exiter_handlers[] = {TT_ON(Exiter, ttsc__go)};
static const tt_class Exiter_class = {
    .name = "Exiter", .handlers = exiter_handlers, .n_handlers = TT_COUNTOF(exiter_handlers)};

static void test_exit_in_recorded_sparkle(void **state)
{
    (void)state;
    tt_catalyst_options o = {.mode = TT_MODE_CATALYST, .contain_crashes = true};
    tt_catalyst *cat;
    assert_int_equal(tt_catalyst_new(&cat, &o), 0);
    assert_int_equal(tt_catalyst_record(cat, 10), 0);
    tt_tonic *t = tt_tonic_new(cat, &Exiter_class, "Exiter", NULL);
    assert_int_equal(tt_send(t, "ttsc__go"), 0);
    assert_int_equal(tt_catalyst_run(cat), -TT_ECRASHED);
    assert_string_equal(tt_catalyst_errmsg(cat), "exited: 3 in Exiter.ttsc__go");
    tt_catalyst_free(cat);
}

/* tt_distiller_abort between two sparkles of a recording run stops
 * nothing (here from a requested call, on the catalyst's thread). */
static void abort_call(tt_catalyst *cat, void *ud)
{
    (void)ud;
    tt_distiller_abort(cat);
}
static void Aborted_ttsc__step(tt_tonic *self, int64_t n)
{
    if (n == 5)
        tt_catalyst_request_call(tt_tonic_catalyst(self), abort_call, NULL);
    if (n > 0)
        tt_send(self, "ttsc__step", TT_INT(n - 1));
    else
        tt_finish(self);
}
static const tt_handler aborted_handlers[] = {TT_ON(Aborted, ttsc__step, int64_t)};
static const tt_class Aborted_class = {
    .name = "Aborted", .handlers = aborted_handlers, .n_handlers = TT_COUNTOF(aborted_handlers)};

static void test_abort_between_sparkles(void **state)
{
    (void)state;
    tt_catalyst_options o = {.mode = TT_MODE_CATALYST, .contain_crashes = true};
    tt_catalyst *cat;
    assert_int_equal(tt_catalyst_new(&cat, &o), 0);
    assert_int_equal(tt_catalyst_record(cat, 100), 0);
    tt_tonic *t = tt_tonic_new(cat, &Aborted_class, "Aborted", NULL);
    assert_int_equal(tt_send(t, "ttsc__step", TT_INT(10)), 0);
    assert_int_equal(tt_catalyst_run(cat), 0);
    assert_int_equal(tt_catalyst_crash_signal(cat), 0);
    tt_catalyst_free(cat);
}

/* A recording production run inside a Distiller's guarded sparkle puts the
 * Distiller's guard back: the same sparkle crashing afterwards is
 * contained, after the inner run crashed or not. */
static int inner_crash;
static void Inner_ttsc__go(tt_tonic *self)
{
    (void)self;
    if (inner_crash)
        raise(SIGSEGV);
}
static const tt_handler inner_handlers[] = {TT_ON(Inner, ttsc__go)};
static const tt_class Inner_class = {
    .name = "Inner", .handlers = inner_handlers, .n_handlers = TT_COUNTOF(inner_handlers)};
static void Outer_ttsc__go(tt_tonic *self)
{
    (void)self;
    tt_catalyst_options o = {.mode = TT_MODE_CATALYST, .contain_crashes = true};
    tt_catalyst *p;
    assert_int_equal(tt_catalyst_new(&p, &o), 0);
    assert_int_equal(tt_catalyst_record(p, 10), 0);
    tt_tonic *in = tt_tonic_new(p, &Inner_class, "Inner", NULL);
    assert_int_equal(tt_send(in, "ttsc__go"), 0);
    assert_int_equal(tt_catalyst_stop(p), 0);
    int rc = tt_catalyst_run(p);
    assert_int_equal(rc, inner_crash ? -TT_ECRASHED : 0);
    tt_catalyst_free(p);
    raise(SIGSEGV); /* the Distiller's guard is back */
}
static const tt_handler outer_handlers[] = {TT_ON(Outer, ttsc__go)};
static const tt_class Outer_class = {
    .name = "Outer", .handlers = outer_handlers, .n_handlers = TT_COUNTOF(outer_handlers)};

static void test_loop_guard_nests(void **state)
{
    (void)state;
    for (inner_crash = 0; inner_crash <= 1; inner_crash++) {
        tt_catalyst_options o = {.mode = TT_MODE_DISTILLER, .contain_crashes = true};
        tt_catalyst *d;
        assert_int_equal(tt_catalyst_new(&d, &o), 0);
        tt_tonic *t = tt_tonic_new(d, &Outer_class, "Outer", NULL);
        assert_int_equal(tt_send(t, "ttsc__go"), 0);
        const tt_run *r;
        assert_int_equal(tt_distiller_sparkle(d, &(tt_sparkle_args){.timeout = 10}, &r), 0);
        assert_string_equal(tt_run_stop_at(r, 0), "crashed: SIGSEGV in Outer.ttsc__go");
        assert_true(tt_distiller_tainted(d));
        tt_catalyst_free(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_keeps_last_n),
        cmocka_unit_test(test_stats_whole_run),
        cmocka_unit_test(test_not_recording),
        cmocka_unit_test(test_clock_modes),
        cmocka_unit_test(test_long_sparkle_whole),
        cmocka_unit_test(test_records_own_values),
        cmocka_unit_test(test_tick_spread),
        cmocka_unit_test(test_abort_between_sparkles),
        cmocka_unit_test(test_exit_in_recorded_sparkle),
        cmocka_unit_test(test_loop_guard_nests),
        cmocka_unit_test(test_record_switched_mid_run),
        cmocka_unit_test(test_guard_whole_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
