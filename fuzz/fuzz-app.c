/*
 * fuzz-app.c: the app module the command-parser fuzz target (fuzz-command.c)
 * opens a ttdb session on.
 *
 * Like tests/tui/apps/counter.c, but without the sparkles that misbehave on
 * purpose (crash, divide by zero, spin forever): here every sparkle returns,
 * and every run ends by itself (timers stop after a few ticks, no sparkle
 * queues itself), so that any crash or hang the fuzzer finds is a bug of
 * ttdb or the library, not of the app.  It offers what commands work on:
 * states, an infusion, a tonic whose name holds a dot, repeat and
 * single-shot timers, sparkles with every argument type, and probes of
 * every kind (a computed one holds a list and a map).
 */
#include <stdlib.h>
#include <string.h>

#include "tasktonic.h"

typedef struct counter_data {
    int64_t count;
    double total;
    char *label;
    bool busy;
    int ticks;        /* ticks of the current timer (at most 3) */
    tt_tonic *worker;
    tt_tonic *peer;   /* set by `target` */
    tt_timer *tick;
} counter_data;

typedef struct worker_data {
    int64_t jobs;
} worker_data;

typedef struct link_data {
    int opens;
    tt_timer *retry;
} link_data;

/* --- Worker (an infusion of Counter) ---------------------------------- */

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

/* --- Counter ------------------------------------------------------------ */

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
    d->ticks = 0;
    d->tick = tt_timer_new(self, TT_TIMER_REPEAT, period, "tick", NULL);
    tt_to_state(self, "counting");
}

/* One tick: count; the third makes the counter done. */
static void Counter_ttse_counting__on_tick(tt_tonic *self,
                                           const tt_timer_info *info)
{
    counter_data *d = TT_DATA(counter_data, self);
    (void)info;
    d->count++;
    if (++d->ticks >= 3) {
        tt_timer_stop(d->tick);
        tt_to_state(self, "done");
    }
}

/* Entering done. */
static void Counter_ttse_done__on_enter(tt_tonic *self)
{
    TT_DATA(counter_data, self)->busy = false;
}

/* Back to idle from done. */
static void Counter_ttsc_done__reset(tt_tonic *self)
{
    tt_to_state(self, "idle");
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

/* Every scalar argument type at once. */
static void Counter_ttsc__mix(tt_tonic *self, int64_t a, double b, bool c,
                              const char *s)
{
    counter_data *d = TT_DATA(counter_data, self);
    d->total = (double)a + b;
    d->busy = c;
    free(d->label);
    d->label = s ? strdup(s) : NULL;
}

/* A tonic argument (by name or id). */
static void Counter_ttsc__target(tt_tonic *self, tt_tonic *t)
{
    TT_DATA(counter_data, self)->peer = t;
}

/* A timer argument. */
static void Counter_ttsc__poke(tt_tonic *self, tt_timer *t)
{
    (void)t;
    TT_DATA(counter_data, self)->count++;
}

/* A pointer argument (has no text form). */
static void Counter_ttsc__opaque(tt_tonic *self, void *p)
{
    (void)self;
    (void)p;
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

/* Finish from inside. */
static void Counter_ttsc__quit(tt_tonic *self)
{
    tt_finish(self);
}

/* A computed probe: {"count": N, "tags": ["a", LABEL]}. */
static bool counter_summary(tt_tonic *self, tt_value *out)
{
    counter_data *d = TT_DATA(counter_data, self);
    tt_value tags[2] = {TT_STR("a"), d->label ? TT_STR(d->label) : TT_NONE};
    tt_value vals[2];
    static const char *const keys[] = {"count", "tags"};
    vals[0] = TT_INT(d->count);
    if (tt_value_list(&vals[1], tags, 2) < 0)
        return false;
    int rc = tt_value_map(out, keys, vals, 2);
    tt_value_clear(&vals[1]);
    return rc == 0;
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
    TT_ON(Counter, ttsc_done__reset),
    TT_ON(Counter, ttsc__add, int64_t),
    TT_ON(Counter, ttsc__label, const char *),
    TT_ON(Counter, ttsc__mix, int64_t, double, bool, const char *),
    TT_ON(Counter, ttsc__target, tt_tonic *),
    TT_ON(Counter, ttsc__poke, tt_timer *),
    TT_ON(Counter, ttsc__opaque, void *),
    TT_ON(Counter, ttsc__ping),
    TT_ON(Counter, ttse__on_worked, int64_t),
    TT_ON(Counter, ttsc__quit),
};

static const tt_probe_def counter_probes[] = {
    TT_PROBE(counter_data, count),
    TT_PROBE(counter_data, total),
    TT_PROBE(counter_data, label),
    TT_PROBE(counter_data, busy),
    TT_PROBE(counter_data, ticks),
    TT_PROBE(counter_data, peer),
    TT_PROBE_FN("summary", counter_summary),
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

/* --- Net.Link: a tonic whose name holds a dot ----------------------------- */

/* Start closed. */
static void Link_ttse__on_start(tt_tonic *self)
{
    tt_to_state(self, "closed");
}

/* Open now; a single-shot timer closes the link again. */
static void Link_ttsc_closed__open(tt_tonic *self)
{
    link_data *d = TT_DATA(link_data, self);
    d->opens++;
    tt_to_state(self, "open");
}

/* Entering open: arm the single-shot timer. */
static void Link_ttse_open__on_enter(tt_tonic *self)
{
    link_data *d = TT_DATA(link_data, self);
    d->retry = tt_timer_new(self, TT_TIMER_SINGLE_SHOT, 0.5, "retry", NULL);
}

/* The single shot: close. */
static void Link_ttse_open__on_retry(tt_tonic *self, const tt_timer_info *info)
{
    (void)info;
    tt_to_state(self, "closed");
}

/* Close at once. */
static void Link_ttsc_open__close(tt_tonic *self)
{
    tt_to_state(self, "closed");
}

static const tt_handler link_handlers[] = {
    TT_ON(Link, ttse__on_start),
    TT_ON(Link, ttsc_closed__open),
    TT_ON(Link, ttse_open__on_enter),
    TT_ON(Link, ttse_open__on_retry, const tt_timer_info *),
    TT_ON(Link, ttsc_open__close),
};

static const tt_probe_def link_probes[] = {
    TT_PROBE(link_data, opens),
};

static const tt_class Link_class = {
    .name = "Link",
    .data_size = sizeof(link_data),
    .handlers = link_handlers,
    .n_handlers = TT_COUNTOF(link_handlers),
    .probes = link_probes,
    .n_probes = TT_COUNTOF(link_probes),
};

/* The formula: a Counter (with its Worker) and a Net.Link. */
TT_FORMULA(cat)
{
    if (!tt_tonic_new(cat, &Counter_class, "Counter", NULL) ||
        !tt_tonic_new(cat, &Link_class, "Net.Link", NULL))
        return -TT_EFORMULA;
    return 0;
}
