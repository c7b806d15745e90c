/*
 * faults.c: a test app with every fault ttdb's notes and lints show.
 *
 * `Sensor` (states idle, reading) goes idle on start-up.  Each sparkle
 * commits one fault on demand: `auth` asks for a state the class lacks,
 * `bad_timer` makes a timer with a bad period, `sample` exists only in
 * `reading` (no handler in idle), `hog(ms)` keeps the catalyst busy for ms
 * milliseconds of wall time, `poll` starts a repeat timer whose callback
 * never changes state (a stuck tonic), `flood(n)` queues n orders at once.
 * `Producer.feed` sends `Consumer.eat`; once the Consumer is finished
 * (`finish Consumer`), every feed is a dead letter.
 */
#include <time.h>

#include "tasktonic.h"

/* --- Sensor ------------------------------------------------------------ */

static void Sensor_ttse__on_start(tt_tonic *self) { tt_to_state(self, "idle"); }
static void Sensor_ttse_idle__on_enter(tt_tonic *self) { (void)self; }
static void Sensor_ttsc__auth(tt_tonic *self) { tt_to_state(self, "authenticated"); }
static void Sensor_ttsc__bad_timer(tt_tonic *self)
{
    tt_timer_new(self, TT_TIMER_REPEAT, 0.0, NULL, NULL);
}
static void Sensor_ttsc_reading__sample(tt_tonic *self) { (void)self; }

/* Busy for ms milliseconds of wall-clock time (a giant sparkle). */
static void Sensor_ttsc__hog(tt_tonic *self, int64_t ms)
{
    struct timespec t0, t;
    (void)self;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do
        clock_gettime(CLOCK_MONOTONIC, &t);
    while ((t.tv_sec - t0.tv_sec) * 1000.0 + (t.tv_nsec - t0.tv_nsec) / 1e6 < (double)ms);
}

static void Sensor_ttsc__poll(tt_tonic *self)
{
    tt_timer_new(self, TT_TIMER_REPEAT, 0.01, "poll", NULL);
}
static void Sensor_ttse__on_poll(tt_tonic *self, const tt_timer_info *info)
{
    (void)self, (void)info; /* waits for a reading that never comes */
}
static void Sensor_ttsc__noop(tt_tonic *self) { (void)self; }
static void Sensor_ttsc__flood(tt_tonic *self, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        tt_send(self, "ttsc__noop");
}

static const tt_handler sensor_handlers[] = {
    TT_ON(Sensor, ttse__on_start),
    TT_ON(Sensor, ttse_idle__on_enter),
    TT_ON(Sensor, ttsc__auth),
    TT_ON(Sensor, ttsc__bad_timer),
    TT_ON(Sensor, ttsc_reading__sample),
    TT_ON(Sensor, ttsc__hog, int64_t),
    TT_ON(Sensor, ttsc__poll),
    TT_ON(Sensor, ttse__on_poll, const tt_timer_info *),
    TT_ON(Sensor, ttsc__noop),
    TT_ON(Sensor, ttsc__flood, int64_t),
};

static const tt_class Sensor_class = {
    .name = "Sensor",
    .handlers = sensor_handlers,
    .n_handlers = TT_COUNTOF(sensor_handlers),
};

/* --- Producer and Consumer -------------------------------------------- */

static void Consumer_ttsc__eat(tt_tonic *self, int64_t n) { (void)self, (void)n; }
static const tt_handler consumer_handlers[] = {TT_ON(Consumer, ttsc__eat, int64_t)};
static const tt_class Consumer_class = {
    .name = "Consumer",
    .handlers = consumer_handlers,
    .n_handlers = TT_COUNTOF(consumer_handlers),
};

static void Producer_ttsc__feed(tt_tonic *self, int64_t n)
{
    tt_send(tt_tonic_by_name(tt_tonic_catalyst(self), "Consumer"), "ttsc__eat", TT_INT(n));
}
static const tt_handler producer_handlers[] = {TT_ON(Producer, ttsc__feed, int64_t)};
static const tt_class Producer_class = {
    .name = "Producer",
    .handlers = producer_handlers,
    .n_handlers = TT_COUNTOF(producer_handlers),
};

/* The formula: a Sensor, a Producer and its Consumer. */
TT_FORMULA(cat)
{
    if (!tt_tonic_new(cat, &Sensor_class, "Sensor", NULL) ||
        !tt_tonic_new(cat, &Producer_class, "Producer", NULL) ||
        !tt_tonic_new(cat, &Consumer_class, "Consumer", NULL))
        return -TT_EFORMULA;
    return 0;
}
