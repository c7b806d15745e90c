/*
 * counter.c: the test app of ttdb's own tests.
 *
 * `Counter` (states idle, counting, done) creates a `Worker` infusion on
 * start-up and goes idle.  `start(period)` starts a repeat timer `tick`
 * whose callback counts; after three ticks the counter is done.  Other
 * sparkles take typed arguments (add, label, mix), talk to the worker
 * (ping), and misbehave on purpose (crash, divide by zero, spin forever)
 * for the crash and watchdog tests.
 */
#include <stdlib.h>
#include <string.h>

#include "tasktonic.h"

/* The faulting sparkles are built without sanitizer instrumentation, so
 * that a sanitizer build sees the signal the tests expect. */
#if defined(__has_attribute)
#if __has_attribute(no_sanitize)
#define NO_SANITIZE __attribute__((no_sanitize("address", "undefined")))
#endif
#endif
#ifndef NO_SANITIZE
#define NO_SANITIZE
#endif

typedef struct counter_data {
    int64_t count;
    double total;
    char *label;
    bool busy;
    tt_tonic *worker;
    tt_timer *tick;
} counter_data;

typedef struct worker_data {
    int64_t jobs;
} worker_data;

/* --- Worker ------------------------------------------------------------ */

/* Do a job and report it to the base. */
static void Worker_ttsc__work(tt_tonic *self, int64_t n)
{
    TT_DATA(worker_data, self)->jobs++;
    tt_send(tt_tonic_base(self), "ttse__on_worked", TT_INT(n * 2));
}

static const tt_handler worker_handlers[] = {
    TT_ON(Worker, ttsc__work, int64_t),
};

static const tt_probe_def worker_probes[] = {
    TT_PROBE(worker_data, jobs),
};

static const tt_class Worker_class = {
    .name = "Worker",
    .data_size = sizeof(worker_data),
    .handlers = worker_handlers,
    .n_handlers = TT_COUNTOF(worker_handlers),
    .probes = worker_probes,
    .n_probes = TT_COUNTOF(worker_probes),
};

/* --- Counter ----------------------------------------------------------- */

/* Create the worker, then go idle. */
static void Counter_ttse__on_start(tt_tonic *self)
{
    counter_data *d = TT_DATA(counter_data, self);
    d->worker = tt_tonic_new(tt_tonic_catalyst(self), &Worker_class, "Worker",
                             NULL);
    tt_to_state(self, "idle");
}

/* Start ticking every `period` seconds. */
static void Counter_ttsc_idle__start(tt_tonic *self, double period)
{
    counter_data *d = TT_DATA(counter_data, self);
    d->tick = tt_timer_new(self, TT_TIMER_REPEAT, period, "tick", NULL);
    tt_to_state(self, "counting");
}

/* One tick: count; three make the counter done. */
static void Counter_ttse_counting__on_tick(tt_tonic *self,
                                           const tt_timer_info *info)
{
    counter_data *d = TT_DATA(counter_data, self);
    (void)info;
    d->count++;
    if (d->count >= 3) {
        tt_timer_stop(d->tick);
        tt_to_state(self, "done");
    }
}

/* Declares `done`. */
static void Counter_ttse_done__on_enter(tt_tonic *self)
{
    TT_DATA(counter_data, self)->busy = false;
}

/* Add n to count and total. */
static void Counter_ttsc__add(tt_tonic *self, int64_t n)
{
    counter_data *d = TT_DATA(counter_data, self);
    d->count += n;
    d->total += (double)n;
}

/* Set the label. */
static void Counter_ttsc__label(tt_tonic *self, const char *s)
{
    counter_data *d = TT_DATA(counter_data, self);
    free(d->label);
    d->label = s ? strdup(s) : NULL;
}

/* Every argument type at once. */
static void Counter_ttsc__mix(tt_tonic *self, int64_t a, double b, bool c,
                              const char *s)
{
    counter_data *d = TT_DATA(counter_data, self);
    d->total = (double)a + b;
    d->busy = c;
    free(d->label);
    d->label = s ? strdup(s) : NULL;
}

/* Ask the worker for a job. */
static void Counter_ttsc__ping(tt_tonic *self)
{
    counter_data *d = TT_DATA(counter_data, self);
    tt_send(d->worker, "ttsc__work", TT_INT(d->count));
}

/* The worker reports. */
static void Counter_ttse__on_worked(tt_tonic *self, int64_t n)
{
    TT_DATA(counter_data, self)->total += (double)n;
}

/* Finish from inside (a test can make the app end). */
static void Counter_ttsc__quit(tt_tonic *self)
{
    tt_finish(self);
}

/* Dereference NULL. */
NO_SANITIZE static void Counter_ttsc__crash(tt_tonic *self)
{
    (void)self;
    volatile int *volatile p = NULL;
    *p = 1;
}

/* Integer division (SIGFPE for 0). */
NO_SANITIZE static void Counter_ttsc__divide(tt_tonic *self, int64_t by)
{
    volatile int64_t x = 10;
    TT_DATA(counter_data, self)->count = x / by;
}

/* Never return. */
static void Counter_ttsc__spin(tt_tonic *self)
{
    volatile int64_t *c = &TT_DATA(counter_data, self)->count;
    for (;;)
        (*c)++;
}

/* Free the label. */
static void counter_destroy(tt_tonic *self)
{
    free(TT_DATA(counter_data, self)->label);
}

static const tt_handler counter_handlers[] = {
    TT_ON(Counter, ttse__on_start),
    TT_ON(Counter, ttsc_idle__start, double),
    TT_ON(Counter, ttse_counting__on_tick, const tt_timer_info *),
    TT_ON(Counter, ttse_done__on_enter),
    TT_ON(Counter, ttsc__add, int64_t),
    TT_ON(Counter, ttsc__label, const char *),
    TT_ON(Counter, ttsc__mix, int64_t, double, bool, const char *),
    TT_ON(Counter, ttsc__ping),
    TT_ON(Counter, ttse__on_worked, int64_t),
    TT_ON(Counter, ttsc__quit),
    TT_ON(Counter, ttsc__crash),
    TT_ON(Counter, ttsc__divide, int64_t),
    TT_ON(Counter, ttsc__spin),
};

static const tt_probe_def counter_probes[] = {
    TT_PROBE(counter_data, count),
    TT_PROBE(counter_data, total),
    TT_PROBE(counter_data, label),
    TT_PROBE(counter_data, busy),
};

static const tt_class Counter_class = {
    .name = "Counter",
    .data_size = sizeof(counter_data),
    .destroy = counter_destroy,
    .handlers = counter_handlers,
    .n_handlers = TT_COUNTOF(counter_handlers),
    .probes = counter_probes,
    .n_probes = TT_COUNTOF(counter_probes),
};

/* The formula: one Counter. */
TT_FORMULA(cat)
{
    if (!tt_tonic_new(cat, &Counter_class, "Counter", NULL))
        return -TT_EFORMULA;
    return 0;
}
