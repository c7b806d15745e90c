/*
 * record-clock.c: the flight recorder's clock (tt_record_clock).
 *
 * One clock read a sparkle is the least that times every record exactly
 * (back to back, a sparkle's exit is the next one's enter), and on some
 * machines it is a third of a short sparkle (rdtsc is microcode on AMD Zen 3
 * under KVM: 6.4 ns against 19 ns for a sparkle of the chain benchmark), more
 * than the whole budget of a recorder meant to be left on.  So in
 * TT_RECORD_CLOCK_AUTO, while tt_catalyst_run records, a ticker thread
 * reads the clock now and then (a quarter of a millisecond after the run
 * starts, then every tick of 2 ms while sparkles are fast) and looks at how
 * many sparkles ran since its last reading:
 *
 * - a thousand a millisecond or more (under a microsecond each on
 *   average): it publishes its reading in rec->tick and sets rec->coarse,
 *   and the loop stamps each record with that reading instead of reading
 *   the clock (TT__RF_TICK);
 * - fewer, or none (slow sparkles, one sparkle running long, the catalyst
 *   waiting for work): it clears rec->coarse, and the loop reads the clock
 *   at every sparkle again (one read is then nothing next to the sparkle).
 *   While nothing is fast it sleeps twice as long each time, up to 128 ms,
 *   so an idle app wakes it about eight times a second.
 *
 * So a sparkle that runs longer than about two ticks in a fast stretch is
 * timed exactly at its exit (the ticker sees no sparkle end during a tick),
 * its enter time at most a tick early; a shorter one is known to a tick
 * only.  record.c spreads the records stamped with one reading evenly over
 * that tick when they become entries; the tonics' busy times add the
 * readings' differences (right on average), their longest sparkles count
 * exactly timed records (less a tick for a short one whose start was a
 * stamp) and, estimated, records stamped across ticks.
 * Timers do not depend on it: the loop reads the counter for them itself
 * while records are stamped (catalyst.c, fire_timers).  The loop only
 * loads rec->coarse and rec->tick, which the ticker writes once a tick:
 * one cache miss a tick.  The ticker costs about 1% of a core while it
 * ticks (a wake-up every 2 ms; bench/bench-record's "whole process" line).
 * TT_RECORD_CLOCK_TICK stamps every record (the ticker never clears
 * rec->coarse): the cheapest, and what the tests of the spreading use.
 *
 * The ticker reads only rec->seq (atomic on both sides) and its own copy of
 * the catalyst's clock.  A process forked inside a sparkle has no ticker:
 * its child clears rec->coarse and does not wait for it (pthread_atfork).
 */
#include "tt-int.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

enum {
    FIRST_US = 250,           /* the first look, soon after the run starts */
    TICK_US = 2000,           /* the period while sparkles are fast */
    IDLE_MAX_US = 128000,     /* the longest sleep while they are not */
    FAST_PER_MS = 1000,       /* sparkles a millisecond that make it fast */
};

struct tt__ticker {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;      /* on CLOCK_MONOTONIC: the stop */
    bool quit;
    bool always;              /* TT_RECORD_CLOCK_TICK */
    tt__recorder *rec;
    tt__clock clock;          /* the catalyst's, copied at the start */
    pid_t pid;                /* the process that started it */
    struct tt__ticker *next;  /* the running ones (fork_child) */
};

/* The running tickers, for a child forked while they run. */
static pthread_mutex_t running_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tt__ticker *running;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void fork_prepare(void) { pthread_mutex_lock(&running_lock); }
static void fork_parent(void) { pthread_mutex_unlock(&running_lock); }
/* The child has none of the tickers' threads: its records are timed
 * exactly, and its run's end does not wait for them. */
static void fork_child(void)
{
    for (struct tt__ticker *tk = running; tk; tk = tk->next)
        __atomic_store_n(&tk->rec->coarse, 0, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&running_lock);
}
static void atfork_install(void) { pthread_atfork(fork_prepare, fork_parent, fork_child); }

/* ts + us microseconds. */
static struct timespec after_us(struct timespec ts, long us)
{
    ts.tv_nsec += (us % 1000000) * 1000;
    ts.tv_sec += us / 1000000 + ts.tv_nsec / 1000000000;
    ts.tv_nsec %= 1000000000;
    return ts;
}

uint64_t tt__ticker_period(const tt__clock *c)
{
    double per_million = tt__ticks_span(c, 1000000); /* seconds */
    return per_million > 0 ? (uint64_t)(TICK_US * 1e-6 * 1000000 / per_million) : 0;
}

static void *ticker_main(void *arg)
{
    struct tt__ticker *tk = arg;
    tt__recorder *rec = tk->rec;
    const uint64_t per_ms = rec->tick_span * 1000 / TICK_US;
    uint64_t last_t = tt__ticks(&tk->clock);
    uint64_t last_seq = __atomic_load_n(&rec->seq, __ATOMIC_RELAXED);
    long sleep_us = FIRST_US;
    struct timespec wake;
    clock_gettime(CLOCK_MONOTONIC, &wake);
    pthread_mutex_lock(&tk->lock);
    while (!tk->quit) {
        wake = after_us(wake, sleep_us);
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec > wake.tv_sec || (now.tv_sec == wake.tv_sec && now.tv_nsec > wake.tv_nsec))
            wake = now; /* late (a loaded machine): no catching up */
        while (!tk->quit && pthread_cond_timedwait(&tk->cond, &tk->lock, &wake) == 0)
            ;
        if (tk->quit)
            break;
        uint64_t t = tt__ticks(&tk->clock);
        uint64_t seq = __atomic_load_n(&rec->seq, __ATOMIC_RELAXED);
        uint64_t ran = seq - last_seq, span = t - last_t;
        /* FAST_PER_MS a millisecond or more, whatever the sleep's length */
        bool fast = per_ms && ran * per_ms >= span * FAST_PER_MS;
        if (fast || tk->always) {
            __atomic_store_n(&rec->tick, t, __ATOMIC_RELAXED);
            __atomic_store_n(&rec->coarse, 1, __ATOMIC_RELEASE);
            sleep_us = TICK_US;
        } else {
            __atomic_store_n(&rec->coarse, 0, __ATOMIC_RELAXED);
            if (sleep_us < IDLE_MAX_US)
                sleep_us *= 2;
        }
        last_t = t;
        last_seq = seq;
    }
    pthread_mutex_unlock(&tk->lock);
    return NULL;
}

/* Start the ticker for a recording run (TT_RECORD_CLOCK_AUTO or _TICK; on
 * the catalyst's thread while tt_catalyst_run runs); without one (no
 * thread, no memory) every sparkle is timed exactly. */
void tt__ticker_start(tt_catalyst *cat)
{
    tt__recorder *rec = &cat->rec;
    if (rec->ticker || !cat->record_n || !cat->loop_running ||
        rec->clock_mode == TT_RECORD_CLOCK_EXACT)
        return;
    pthread_once(&atfork_once, atfork_install);
    struct tt__ticker *tk = calloc(1, sizeof *tk);
    if (!tk)
        return;
    tk->rec = rec;
    tk->clock = cat->clock;
    tk->pid = getpid();
    tk->always = rec->clock_mode == TT_RECORD_CLOCK_TICK;
    rec->tick_span = tt__ticker_period(&cat->clock);
    if (tk->always) { /* stamped from the first record on */
        __atomic_store_n(&rec->tick, tt__ticks(&cat->clock), __ATOMIC_RELAXED);
        __atomic_store_n(&rec->coarse, 1, __ATOMIC_RELEASE);
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&tk->lock, NULL);
    pthread_cond_init(&tk->cond, &ca);
    pthread_condattr_destroy(&ca);
    /* no signal of the app's is delivered on this thread */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&tk->thread, NULL, ticker_main, tk);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        __atomic_store_n(&rec->coarse, 0, __ATOMIC_RELAXED);
        pthread_cond_destroy(&tk->cond);
        pthread_mutex_destroy(&tk->lock);
        free(tk);
        return;
    }
    pthread_mutex_lock(&running_lock);
    tk->next = running;
    running = tk;
    pthread_mutex_unlock(&running_lock);
    rec->ticker = tk;
}

/* Stop the ticker (the run is over): every record after it is exact. */
void tt__ticker_stop(tt_catalyst *cat)
{
    struct tt__ticker *tk = cat->rec.ticker;
    if (!tk)
        return;
    pthread_mutex_lock(&running_lock);
    for (struct tt__ticker **p = &running; *p; p = &(*p)->next)
        if (*p == tk) {
            *p = tk->next;
            break;
        }
    pthread_mutex_unlock(&running_lock);
    if (tk->pid == getpid()) { /* (a forked child has no such thread) */
        pthread_mutex_lock(&tk->lock);
        tk->quit = true;
        pthread_cond_signal(&tk->cond);
        pthread_mutex_unlock(&tk->lock);
        pthread_join(tk->thread, NULL);
        pthread_cond_destroy(&tk->cond);
        pthread_mutex_destroy(&tk->lock);
    }
    free(tk);
    cat->rec.ticker = NULL;
    __atomic_store_n(&cat->rec.coarse, 0, __ATOMIC_RELAXED);
}

int tt_catalyst_record_clock(tt_catalyst *cat, tt_record_clock how)
{
    if (!cat)
        return -TT_EINVAL;
    if (how != TT_RECORD_CLOCK_AUTO && how != TT_RECORD_CLOCK_EXACT && how != TT_RECORD_CLOCK_TICK)
        return tt__err(cat, -TT_EINVAL, "no recorder clock %d (auto, exact or tick)", (int)how);
    if (cat->in_sparkle)
        return tt__err(cat, -TT_EBUSY, "cannot change the recorder inside a sparkle");
    if (cat->loop_running && !tt__on_catalyst_thread(cat))
        return tt__err(cat, -TT_EBUSY, "the recorder's clock changes on the catalyst's thread "
                                       "while it runs (tt_catalyst_request_call)");
    cat->rec.clock_mode = (uint8_t)how;
    /* between two sparkles of a run: at once */
    if (cat->loop_running) {
        tt__ticker_stop(cat);
        tt__ticker_start(cat);
    }
    return 0;
}
