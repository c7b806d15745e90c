/*
 * mod-countdown.c: a check module (an app) that finishes on its own.
 *
 * Its formula creates one tonic, `Countdown`, and queues `ttsc__go(3)`
 * directly (source ["tt_main_catalyst", "__formula__", 0]).  `ttsc__go(n)`
 * starts a repeat timer named "tick" (period 10 ms); each tick counts down,
 * and at zero the tonic finishes itself, which finishes the catalyst.
 *
 * Environment (for tests/ttrun.sh):
 *   TT_COUNTDOWN_PRINT=1   print "countdown N", each number, "liftoff" and
 *                          "finished" on stdout (flushed at once);
 *   TT_COUNTDOWN_FOREVER=1 print "ready" and wait forever instead (to be
 *                          stopped with a signal); =tick: and tick every
 *                          10 ms meanwhile (a live app for attach tests);
 *                          =gate: and run bursts on demand: a thread reads
 *                          lines "N" from the FIFO TT_COUNTDOWN_GATE and
 *                          posts ttsc__burst(N), which runs N sparkles back
 *                          to back and then prints "burst N done" (an app
 *                          whose pace the test sets, without timing); a
 *                          line "forever" starts a chain that never ends
 *                          (it prints "forever" first): between two of its
 *                          sparkles the queue holds exactly its next one;
 *   TT_COUNTDOWN_CRASH=1   the second tick raises SIGSEGV (a crashing
 *                          sparkle, for `ttrun --record`);
 *   TT_COUNTDOWN_GIANT=S   the giant-sparkle lint's limit in seconds (a test
 *                          that expects no lints raises it: under valgrind
 *                          or on a loaded machine a sparkle may take 50 ms).
 *
 * Probes: remaining, ticks.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasktonic.h"

#define TICK_S 0.01

typedef struct Countdown {
    int64_t remaining; /* numbers left to say */
    int ticks;         /* timer callbacks seen */
} Countdown;

/* Print a line when TT_COUNTDOWN_PRINT is set. */
static void say(const char *fmt, long n)
{
    if (!getenv("TT_COUNTDOWN_PRINT"))
        return;
    printf(fmt, n);
    putchar('\n');
    fflush(stdout);
}

static pthread_t gate_thread;
static bool gate_started;

/* TT_COUNTDOWN_FOREVER=gate: post a burst for each line of the gate FIFO,
 * until its writer closes it. */
static void *gate_main(void *arg)
{
    tt_tonic *self = arg;
    FILE *f = fopen(getenv("TT_COUNTDOWN_GATE"), "r");
    char line[64];
    while (f && fgets(line, sizeof line, f)) {
        long n = strcmp(line, "forever\n") == 0 ? -1 : atol(line);
        if (n && tt_send(self, "ttsc__burst", TT_INT(n), TT_INT(n < 0 ? -2 : n)) < 0)
            break;
    }
    if (f)
        fclose(f);
    return NULL;
}

/* One sparkle of a burst of `of`: n - 1 to go (n < 0: forever). */
static void Countdown_ttsc__burst(tt_tonic *self, int64_t n, int64_t of)
{
    if (n < 0) {
        if (of == -2)
            say("forever", 0);
        tt_send(self, "ttsc__burst", TT_INT(-1), TT_INT(-1));
    } else if (n > 1)
        tt_send(self, "ttsc__burst", TT_INT(n - 1), TT_INT(of));
    else
        say("burst %ld done", (long)of);
}

/* The gate thread ends when its FIFO's writer closes it. */
static void countdown_destroy(tt_tonic *self)
{
    (void)self;
    if (gate_started)
        pthread_join(gate_thread, NULL);
    gate_started = false;
}

/* Start counting down from n (or wait forever). */
static void Countdown_ttsc__go(tt_tonic *self, int64_t n)
{
    Countdown *d = TT_DATA(Countdown, self);

    const char *forever = getenv("TT_COUNTDOWN_FOREVER");
    if (forever) {
        say("ready", 0);
        if (strcmp(forever, "tick") == 0) /* remaining 0: ticks forever */
            tt_timer_new(self, TT_TIMER_REPEAT, TICK_S, "tick", NULL);
        if (strcmp(forever, "gate") == 0 && getenv("TT_COUNTDOWN_GATE"))
            gate_started = pthread_create(&gate_thread, NULL, gate_main, self) == 0;
        return;
    }
    d->remaining = n;
    say("countdown %ld", (long)n);
    tt_timer_new(self, TT_TIMER_REPEAT, TICK_S, "tick", NULL);
}

/* One tick of the "tick" timer (found by name: ttse__on_<name>). */
static void Countdown_ttse__on_tick(tt_tonic *self, const tt_timer_info *info)
{
    Countdown *d = TT_DATA(Countdown, self);

    (void)info;
    d->ticks++;
    if (d->ticks == 2 && getenv("TT_COUNTDOWN_CRASH"))
        raise(SIGSEGV);
    if (d->remaining <= 0)
        return;
    say("%ld", (long)d->remaining);
    if (--d->remaining == 0) {
        say("liftoff", 0);
        tt_finish(self);
    }
}

/* Finishing (also when the catalyst is stopped). */
static void Countdown_ttse__on_finished(tt_tonic *self)
{
    (void)self;
    say("finished", 0);
}

static const tt_handler countdown_handlers[] = {
    TT_ON(Countdown, ttsc__go, int64_t),
    TT_ON(Countdown, ttse__on_tick, const tt_timer_info *),
    TT_ON(Countdown, ttse__on_finished),
    TT_ON(Countdown, ttsc__burst, int64_t, int64_t),
};

static const tt_probe_def countdown_probes[] = {
    TT_PROBE(Countdown, remaining),
    TT_PROBE(Countdown, ticks),
};

static const tt_class Countdown_class = {
    .name = "Countdown",
    .data_size = sizeof(Countdown),
    .handlers = countdown_handlers,
    .n_handlers = TT_COUNTOF(countdown_handlers),
    .probes = countdown_probes,
    .n_probes = TT_COUNTOF(countdown_probes),
    .destroy = countdown_destroy,
};

/* The app: one Countdown, told to go from 3. */
TT_FORMULA(cat)
{
    const char *giant = getenv("TT_COUNTDOWN_GIANT");
    if (giant && tt_lint_set_threshold(cat, TT_LINT_GIANT_SPARKLE, atof(giant)) < 0)
        return -TT_EFORMULA;

    tt_tonic *t = tt_tonic_new(cat, &Countdown_class, "Countdown", NULL);
    if (!t)
        return -TT_EFORMULA;
    return tt_send(t, "ttsc__go", TT_INT(3));
}
