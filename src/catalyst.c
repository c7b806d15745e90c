/*
 * catalyst.c: creating and destroying the catalyst, its production loop, the
 * inbox for posts from other threads, and the read-only queue view.
 *
 * The production loop pops one order at a time and runs it to completion with
 * its extra sparkles, without recording anything.  It sleeps on the inbox
 * condition variable until the next timer is due or another thread posts.
 */
#include "tt-int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const tt_class catalyst_class = {.name = "ttCatalyst"};
static const tt_class distiller_class = {.name = "ttDistiller"};

/* Make the calling thread the catalyst's thread (published atomically:
 * other threads read it when they post). */
void tt__adopt_thread(tt_catalyst *cat)
{
    pthread_t me = pthread_self();
    if (!pthread_equal(me, __atomic_load_n(&cat->thread, __ATOMIC_ACQUIRE)))
        __atomic_store_n(&cat->thread, me, __ATOMIC_RELEASE);
}

/* Move orders posted by other threads to the queue, in their order, while
 * the queue holds fewer than TT_INBOX_MAX; once a stop was requested, drop
 * them instead.  Posting threads waiting for room are woken. */
void tt__inbox_drain(tt_catalyst *cat)
{
    if (TT__LIKELY(!atomic_load_explicit(&cat->inbox_flag, memory_order_acquire)))
        return;
    pthread_mutex_lock(&cat->inbox_lock);
    bool drop = atomic_load(&cat->stopping);
    size_t i = cat->inbox_head;
    for (; i < cat->n_inbox && (drop || cat->queue.len < TT_INBOX_MAX); i++) {
        tt__order *o = &cat->inbox[i];
        if (o->nargs <= TT__INLINE_ARGS)
            o->args = o->inl;
        if (drop || tt__queue_push(&cat->queue, o) < 0)
            tt__order_clear(o);
    }
    cat->inbox_head = i;
    if (cat->inbox_head == cat->n_inbox) {
        cat->n_inbox = cat->inbox_head = 0;
    } else if (cat->inbox_head * 2 >= cat->n_inbox) {
        /* keep the pending part at the front: O(1) amortised a post */
        size_t left = cat->n_inbox - cat->inbox_head;
        memmove(cat->inbox, cat->inbox + cat->inbox_head, left * sizeof *cat->inbox);
        cat->n_inbox = left;
        cat->inbox_head = 0;
    }
    atomic_store(&cat->inbox_flag, cat->n_inbox > 0);
    pthread_cond_broadcast(&cat->inbox_room);
    pthread_mutex_unlock(&cat->inbox_lock);
}

/* Create a catalyst. */
int tt_catalyst_new(tt_catalyst **out, const tt_catalyst_options *opts)
{
    if (!out)
        return -TT_EINVAL;
    *out = NULL;
    tt_catalyst *cat = calloc(1, sizeof *cat);
    if (!cat)
        return -TT_ENOMEM;
    if (opts)
        cat->opt = *opts;
    if (!(cat->opt.watchdog >= 0) || cat->opt.watchdog > TT__WATCHDOG_MAX ||
        (unsigned)cat->opt.mode > TT_MODE_DISTILLER ||
        (unsigned)cat->opt.compat > TT_COMPAT_PYTHON) {
        free(cat);
        return -TT_EINVAL;
    }
    if (cat->opt.wall_guard == 0)
        cat->opt.wall_guard = 60;
    cat->thread = pthread_self();
    pthread_mutex_init(&cat->inbox_lock, NULL);
    pthread_cond_init(&cat->inbox_cond, NULL);
    pthread_cond_init(&cat->call_cond, NULL);
    pthread_cond_init(&cat->inbox_room, NULL);
    cat->t0 = tt__mono();
    cat->sparkling = true;
    cat->frame = (tt__frame){NULL, TT_N_EMPTY, -1, 0};
    tt__trace_init(&cat->trace, cat->opt.trace_ring);
    int rc = tt__names_init(&cat->names);
    if (rc == 0)
        rc = tt__queue_init(&cat->queue, 64); /* grows; small stays in cache */
    if (rc == 0 && cat->opt.contain_crashes)
        rc = tt__crash_install(cat);
    if (rc < 0) {
        tt_catalyst_free(cat);
        return rc;
    }
    const tt_class *cls =
        cat->opt.mode == TT_MODE_DISTILLER ? &distiller_class : &catalyst_class;
    tt__klass *k = tt__klass_get(cat, cls, true);
    if (!k || !(cat->self = tt__tonic_create(cat, k, "tt_main_catalyst", NULL, true))) {
        tt_catalyst_free(cat);
        return -TT_ENOMEM;
    }
    *out = cat;
    return 0;
}

/* Run the classes' destroy code now, keeping the rest readable. */
int tt_catalyst_destroy_tonics(tt_catalyst *cat)
{
    if (!cat)
        return -TT_EINVAL;
    tt__adopt_thread(cat);
    char first[512] = "";
    for (size_t i = cat->n_tonics; i-- > 0;) {
        tt_tonic *t = cat->tonics[i];
        int why = tt__tonic_destroy(t);
        if (why != 0 && !first[0]) {
            char what[300];
            snprintf(what, sizeof what, "%s destroy", t->k->def->name);
            tt__guard_describe(cat, why, what, first, sizeof first);
        }
    }
    cat->destroyed = true;
    if (!first[0])
        return 0;
    cat->tainted = true;
    return tt__err(cat, -TT_ECRASHED, "%s", first);
}

/* Destroy the catalyst and everything it holds. */
void tt_catalyst_free(tt_catalyst *cat)
{
    if (!cat)
        return;
    tt__ticker_stop(cat); /* (a run left by a jump out of it) */
    tt__queue_free(&cat->queue);
    for (size_t i = cat->extras_head; i < cat->n_extras; i++)
        tt__order_clear(&cat->extras[i]);
    free(cat->extras);
    for (size_t i = cat->inbox_head; i < cat->n_inbox; i++) {
        if (cat->inbox[i].nargs <= TT__INLINE_ARGS)
            cat->inbox[i].args = cat->inbox[i].inl;
        tt__order_clear(&cat->inbox[i]);
    }
    free(cat->inbox);
    tt__trace_free(&cat->trace);
    tt__record_free(cat);
    tt__notes_free(cat);
    tt__lints_free(cat);
    for (size_t i = 0; i < cat->n_runs; i++)
        tt__run_free(cat->runs[i]);
    free(cat->runs);
    tt__probes_free(cat);
    for (size_t i = cat->n_tonics; i-- > 0;)
        tt__tonic_free(cat->tonics[i]);
    /* after the classes' destroy code, which runs contained */
    if (cat->opt.contain_crashes)
        tt__crash_uninstall(cat);
    free(cat->tonics);
    free(cat->by_name);
    for (size_t i = 0; i < cat->n_timers; i++)
        tt__timer_free(cat->timers[i]);
    free(cat->timers);
    free(cat->active);
    free(cat->ledger);
    free(cat->free_ids);
    free(cat->ts);
    free(cat->ts_next);
    free(cat->ts_first);
    tt__klass_free_all(cat);
    tt__recorded_free(cat->recorded);
    free(cat->record_path);
    if (cat->names.slots)
        tt__names_free(&cat->names);
    pthread_mutex_destroy(&cat->inbox_lock);
    pthread_cond_destroy(&cat->inbox_cond);
    pthread_cond_destroy(&cat->call_cond);
    pthread_cond_destroy(&cat->inbox_room);
    free(cat);
}

const char *tt_catalyst_errmsg(const tt_catalyst *cat) { return tt__errmsg(cat); }
tt_tonic *tt_catalyst_tonic(tt_catalyst *cat) { return cat ? cat->self : NULL; }
bool tt_catalyst_finished(const tt_catalyst *cat) { return cat && cat->finished; }

/* Catalyst clock: virtual time for a virtual distiller. */
double tt_catalyst_now(const tt_catalyst *cat)
{
    if (cat->opt.mode == TT_MODE_DISTILLER && !cat->opt.real_time)
        return cat->vt;
    return tt__mono() - cat->t0;
}

/* Ask tt_catalyst_run to finish the catalyst (any thread). */
int tt_catalyst_stop(tt_catalyst *cat)
{
    if (!cat)
        return -TT_EINVAL;
    pthread_mutex_lock(&cat->inbox_lock);
    atomic_store(&cat->stopping, 1);
    atomic_fetch_or(&cat->stop_flag, TT__REQ_STOP);
    atomic_store(&cat->inbox_flag, 1);
    pthread_cond_signal(&cat->inbox_cond);
    pthread_cond_broadcast(&cat->inbox_room); /* blocked posters fail now */
    pthread_mutex_unlock(&cat->inbox_lock);
    return 0;
}

/* Sleep until a post or a request arrives or the next timer is due.  A
 * request (stop, snapshot, call) sets stop_flag under inbox_lock, so it is
 * looked at here too: inbox_flag alone may have been cleared by the drain
 * that followed the loop's look at stop_flag, the request still pending. */
static void wait_for_work(tt_catalyst *cat)
{
    cat->timer_tsc = 0; /* the timers look at the clock */
    double next = tt__timers_next(cat);
    pthread_mutex_lock(&cat->inbox_lock);
    if (!atomic_load(&cat->inbox_flag) && !atomic_load(&cat->stop_flag)) {
        if (next < 0) {
            pthread_cond_wait(&cat->inbox_cond, &cat->inbox_lock);
        } else {
            double span = next - tt_catalyst_now(cat);
            if (span > 3600)
                span = 3600; /* the loop waits again */
            double wall = tt__wall() + span;
            struct timespec ts = {(time_t)wall, (long)((wall - (double)(time_t)wall) * 1e9)};
            pthread_cond_timedwait(&cat->inbox_cond, &cat->inbox_lock, &ts);
        }
    }
    pthread_mutex_unlock(&cat->inbox_lock);
    TT__REC_RESTART(cat);
}

/* Fire the due timers (some are running).  The clock is read only once the
 * time-stamp counter says that the earliest may be due: its rate is known to
 * far better than the margin taken, and the clock decides.  Without a usable
 * counter, at every pass.  While the flight recorder records sparkles back
 * to back, its last reading (the last sparkle's exit) is the counter now,
 * unless it stamps records with the ticker's reading (record-clock.c) or
 * that reading is a stamp: then the counter is read, as when nothing
 * records. */
static inline void fire_timers(tt_catalyst *cat)
{
    uint64_t tsc = cat->rec.t && cat->clock.tsc &&
                           !__atomic_load_n(&cat->rec.coarse, __ATOMIC_RELAXED) &&
                           cat->rec.t != __atomic_load_n(&cat->rec.tick, __ATOMIC_RELAXED)
                       ? cat->rec.t
                       : tt__tsc_now();
    if (tsc && tsc < cat->timer_tsc)
        return;
    double now = tt_catalyst_now(cat);
    tt__timers_fire(cat, now);
    cat->timer_tsc = 0;
    if (cat->n_active) {
        double span = tt__timers_next(cat) - now;
        if (span > 1)
            span = 1; /* look at the clock at least every second */
        uint64_t ticks = tt__tsc_span(span * 0.99 - 20e-6);
        if (ticks)
            cat->timer_tsc = (tsc ? tsc : tt__tsc_now()) + ticks;
    }
}


/* A recorded sparkle crashed (contain_crashes): stop with its message. */
static int crashed(tt_catalyst *cat)
{
    const tt__rec *r = cat->crash_between ? NULL : tt__rec_get(&cat->rec, cat->rec.seq);
    tt_trace_entry e0 = {.tonic = r ? r->tonic : 0, .sparkle = r ? r->sparkle : 0}, *e = r ? &e0 : NULL;
    for (size_t i = cat->extras_head; i < cat->n_extras; i++)
        tt__order_clear(&cat->extras[i]);
    cat->n_extras = cat->extras_head = 0;
    cat->tainted = true;
    if (cat->crash_between) {
        char buf[256];
        tt__guard_describe(cat, cat->crash_sig, "the catalyst, between two sparkles", buf,
                           sizeof buf);
        return tt__err(cat, -TT_ECRASHED, "%s", buf);
    }
    char what[256], buf[512];
    snprintf(what, sizeof what, "%s.%s", e ? tt_entry_tonic_name(cat, e) : "?",
             e ? tt_entry_sparkle_name(cat, e) : "?");
    tt__guard_describe(cat, cat->crash_sig, what, buf, sizeof buf);
    return tt__err(cat, -TT_ECRASHED, "%s", buf);
}

static __attribute__((noinline)) int run_loop(tt_catalyst *cat);

/* The recording loop's hot path for the extras (rare: one copy inline). */
static __attribute__((noinline)) void execute_rec_extra(tt_catalyst *cat, tt__order *o)
{
    tt__execute_rec(cat, o);
}

/* The production loop: run until the catalyst finishes. */
int tt_catalyst_run(tt_catalyst *cat)
{
    if (!cat)
        return -TT_EINVAL;
    if (cat->recorded)
        return tt__err(cat, -TT_ERECORDED, "this is a recorded trace: nothing can run");
    if (cat->destroyed)
        return tt__err(cat, -TT_ECATFINISHED,
                       "the app's destroy code has run: nothing can run");
    if (cat->in_sparkle)
        return tt__err(cat, -TT_EBUSY, "tt_catalyst_run called from inside a sparkle");
    tt__adopt_thread(cat);
    TT__REC_RESTART(cat);
    /* the flight recorder's crash guard: one jump buffer for the whole run
     * (with a watchdog, each sparkle arms its own) */
    sigjmp_buf jb;
    cat->loop_running = true;
    cat->crash_between = false;
    if (cat->opt.contain_crashes && cat->opt.watchdog == 0) {
        int why = sigsetjmp(jb, 0);
        if (why != 0) {
            tt__loop_guard_disarm(cat);
            cat->loop_jmp = NULL;
            cat->loop_running = false;
            tt__ticker_stop(cat);
            tt__rec_crashed(cat, why);
            return crashed(cat);
        }
        cat->loop_jmp = &jb; /* armed by the recording loop (run_loop) */
    }
    int rc = run_loop(cat);
    tt__loop_guard_disarm(cat);
    cat->loop_jmp = NULL;
    cat->loop_running = false;
    tt__ticker_stop(cat);
    TT__REC_RESTART(cat); /* when the last records' tick ended at the latest */
    return rc;
}

/* The recording loop's guard (crash.c) off while the loop takes in other
 * threads' posts or waits (a signal there is not a sparkle's), on again. */
static inline void guard(tt_catalyst *cat, bool rec, bool on)
{
    if (rec && on && cat->loop_jmp)
        tt__loop_guard_arm(cat);
    else if (rec && !on)
        tt__loop_guard_disarm(cat);
}

/* The loop of tt_catalyst_run, recording (rec) or not: inlined into one
 * function for each, so that neither path's code weighs on the other's.
 * Returns 0 when the catalyst finished, 1 when recording was turned on or
 * off between two sparkles (the other loop goes on), or crashed()'s. */
static inline __attribute__((always_inline)) int loop(tt_catalyst *cat, const bool rec)
{
    while (!cat->finished) {
        if (TT__UNLIKELY(atomic_load(&cat->stop_flag))) {
            int req = atomic_exchange(&cat->stop_flag, 0);
            if (req & TT__REQ_RECORD)
                tt__record_snapshot(cat);
            if (req & TT__REQ_CALL)
                tt__record_call(cat);
            if ((req & TT__REQ_STOP) && !cat->self->finishing) {
                /* the stop goes before the backlog */
                tt__order fin = {.tonic = cat->self, .sparkle = TT_N_FINISH};
                tt__frame ext = {NULL, TT_N_EMPTY, -1, 0};
                tt__frame_to_src(&ext, &fin);
                fin.args = fin.inl;
                tt__queue_push_front(&cat->queue, &fin);
            }
            if ((cat->record_n != 0) != rec)
                return 1;
        }
        if (TT__UNLIKELY(atomic_load_explicit(&cat->inbox_flag, memory_order_relaxed))) {
            guard(cat, rec, false);
            tt__inbox_drain(cat);
            guard(cat, rec, true);
        }
        if (cat->n_active)
            fire_timers(cat);
        /* run the order in its queue slot: no copy (see tt__queue) */
        tt__order *o = tt__queue_take(&cat->queue);
        if (!o) {
            guard(cat, rec, false);
            wait_for_work(cat);
            guard(cat, rec, true);
            continue;
        }
        tt__drain_from(cat, o);
        if (rec)
            tt__execute_rec(cat, o);
        else
            tt__execute_plain(cat, o);
        if (TT__UNLIKELY(cat->n_extras)) {
            while (cat->extras_head < cat->n_extras && !cat->crash_sig) {
                tt__order x = cat->extras[cat->extras_head++];
                if (x.nargs <= TT__INLINE_ARGS)
                    x.args = x.inl;
                if (rec)
                    execute_rec_extra(cat, &x);
                else
                    tt__execute(cat, &x, NULL);
            }
            cat->n_extras = cat->extras_head = 0;
        }
        if (TT__UNLIKELY(cat->crash_sig))
            return crashed(cat);
    }
    return 0;
}

static __attribute__((noinline)) int loop_plain(tt_catalyst *cat) { return loop(cat, false); }
static __attribute__((noinline)) int loop_rec(tt_catalyst *cat) { return loop(cat, true); }

/* The loop of tt_catalyst_run (not inlined there: a function that calls
 * sigsetjmp is compiled with fewer optimisations). */
static int run_loop(tt_catalyst *cat)
{
    for (;;) {
        int rc;
        if (cat->record_n) {
            tt__ticker_start(cat); /* (when the recorder's clock says so) */
            if (cat->loop_jmp)
                tt__loop_guard_arm(cat);
            rc = loop_rec(cat);
        } else {
            tt__ticker_stop(cat);
            tt__loop_guard_disarm(cat);
            rc = loop_plain(cat);
        }
        if (rc != 1)
            return rc;
    }
}

/* --- queue view ---------------------------------------------------------- */

size_t tt_queue_length(const tt_catalyst *cat) { return cat ? cat->queue.len : 0; }

/* The i-th pending order. */
int tt_queue_at(const tt_catalyst *cat, size_t i, tt_order_view *out)
{
    if (!cat || !out)
        return -TT_EINVAL;
    const tt__order *o = tt__queue_peek(&cat->queue, i);
    if (!o)
        return -TT_ERANGE;
    out->tonic = o->tonic;
    out->sparkle = cat->names.str[o->sparkle];
    out->args = o->args;
    out->nargs = o->nargs;
    tt_trace_entry e = {.src_obj = o->src_obj, .src_sparkle = o->src_sparkle};
    out->src_tonic = tt_entry_source_name(cat, &e);
    out->src_sparkle = cat->names.str[o->src_sparkle];
    out->src_id = o->src_id;
    out->cause = o->cause;
    return 0;
}
