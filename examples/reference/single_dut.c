/*
 * single_dut.c: the reference scenario `single_dut` as a loadable app module.
 *
 * One device under test, `MyDevice` of class DUT, walks init -> paused on
 * start-up, starts a single-shot timer on `ttsc__start_timer(delay)` and waits
 * for it in `wait_on_timer`; the timer event counts a cycle and ends in
 * `finished_cycle`.  `ttsc__dut_finish` lets a test finish the device (a
 * `ttsc__finish` queued from outside is ignored by a tonic that has a base).
 *
 * It mirrors testing/test_distiller.py::test_dut_flow_with_timer of the Python
 * TaskTonic; the golden trace is tests/golden/single_dut.json.
 */
#include "tasktonic.h"

#include "single_dut.h"

/* Start-up: enter `init`. */
static void DUT_ttse__on_start(tt_tonic *self)
{
    tt_to_state(self, "init");
}

/* Entering `init` moves straight on to `paused`. */
static void DUT_ttse_init__on_enter(tt_tonic *self)
{
    tt_to_state(self, "paused");
}

/* In `paused`: start an unnamed single-shot timer (its callback is
 * `ttse__on_timer` of this tonic) and wait for it. */
static void DUT_ttsc_paused__start_timer(tt_tonic *self, double delay)
{
    dut_data *d = TT_DATA(dut_data, self);

    d->tm = tt_timer_new(self, TT_TIMER_SINGLE_SHOT, delay, NULL, NULL);
    tt_to_state(self, "wait_on_timer");
}

/* The timer expired while waiting: one cycle done. */
static void DUT_ttse_wait_on_timer__on_timer(tt_tonic *self,
                                             const tt_timer_info *info)
{
    dut_data *d = TT_DATA(dut_data, self);

    (void)info;
    d->cycle_count += 1;
    tt_to_state(self, "finished_cycle");
}

/* Declares the state `finished_cycle`; nothing to do on entering it. */
static void DUT_ttse_finished_cycle__on_enter(tt_tonic *self)
{
    (void)self;
}

/* Finish the device from inside one of its own sparkles. */
static void DUT_ttsc__dut_finish(tt_tonic *self)
{
    tt_finish(self);
}

/* Probe `tm`: the timer reference, none before the first start. */
static bool dut_probe_tm(tt_tonic *self, tt_value *out)
{
    dut_data *d = TT_DATA(dut_data, self);

    *out = d->tm ? TT_TIMER(d->tm) : TT_NONE;
    return true;
}

static const tt_handler dut_handlers[] = {
    TT_ON(DUT, ttse__on_start),
    TT_ON(DUT, ttse_init__on_enter),
    TT_ON(DUT, ttsc_paused__start_timer, double),
    TT_ON(DUT, ttse_wait_on_timer__on_timer, const tt_timer_info *),
    TT_ON(DUT, ttse_finished_cycle__on_enter),
    TT_ON(DUT, ttsc__dut_finish),
};

static const tt_probe_def dut_probes[] = {
    TT_PROBE(dut_data, cycle_count),
    TT_PROBE_FN("tm", dut_probe_tm),
};

static const tt_class DUT_class = {
    .name = "DUT",
    .data_size = sizeof(dut_data),
    .handlers = dut_handlers,
    .n_handlers = TT_COUNTOF(dut_handlers),
    .probes = dut_probes,
    .n_probes = TT_COUNTOF(dut_probes),
};

/* The formula: one DUT named MyDevice (id 1). */
TT_FORMULA(cat)
{
    if (!tt_tonic_new(cat, &DUT_class, "MyDevice", NULL))
        return -TT_EFORMULA;
    return 0;
}
