/*
 * wallclock.c: an app that reads the wall clock, so that two runs differ:
 * `verify` must find the divergence.  Clock.ttse__on_start queues
 * ttsc__stamp with the nanoseconds of the real time.
 */
#include <time.h>

#include "tasktonic.h"

/* Remember nothing: the argument is what differs. */
static void Clock_ttsc__stamp(tt_tonic *self, int64_t ns)
{
    (void)self;
    (void)ns;
}

/* Queue a stamp of the real time (what a deterministic app must not do). */
static void Clock_ttse__on_start(tt_tonic *self)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    tt_send(self, "ttsc__stamp", TT_INT((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec));
}

static const tt_handler clock_handlers[] = {
    TT_ON(Clock, ttse__on_start),
    TT_ON(Clock, ttsc__stamp, int64_t),
};

static const tt_class Clock_class = {
    .name = "Clock",
    .handlers = clock_handlers,
    .n_handlers = TT_COUNTOF(clock_handlers),
};

TT_FORMULA(cat)
{
    return tt_tonic_new(cat, &Clock_class, "Clock", NULL) ? 0 : -TT_ENOMEM;
}
