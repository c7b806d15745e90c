/*
 * hierarchy.c: the reference scenario `hierarchy` as a loadable app module.
 *
 * A Parent creates its Child on start-up (an infusion: its base is the
 * Parent), sends it a command down (`ttsc__work`) and gets an event back up
 * (`ttse__on_child_done`), then finishes itself, which tears the whole tree
 * down: the Parent's `ttse__on_finished` still pings itself (dropped: it is
 * finishing) and sends the Child one more piece of work (which runs: the
 * Child is not finishing yet).  The golden trace is
 * tests/golden/hierarchy.json.
 */
#include "tasktonic.h"

#include "hierarchy.h"

/* --- Child --------------------------------------------------------------- */

/* Start-up: enter `ready`. */
static void Child_ttse__on_start(tt_tonic *self)
{
    tt_to_state(self, "ready");
}

/* Do the work and report twice x to the base. */
static void Child_ttsc_ready__work(tt_tonic *self, int64_t x)
{
    child_data *d = TT_DATA(child_data, self);

    d->work_done += 1;
    tt_send(tt_tonic_base(self), "ttse__on_child_done", TT_INT(x * 2));
}

/* Finished: mark it. */
static void Child_ttse__on_finished(tt_tonic *self)
{
    TT_DATA(child_data, self)->work_done = -1;
}

static const tt_handler child_handlers[] = {
    TT_ON(Child, ttse__on_start),
    TT_ON(Child, ttsc_ready__work, int64_t),
    TT_ON(Child, ttse__on_finished),
};

static const tt_probe_def child_probes[] = {
    TT_PROBE(child_data, work_done),
};

static const tt_class Child_class = {
    .name = "Child",
    .data_size = sizeof(child_data),
    .handlers = child_handlers,
    .n_handlers = TT_COUNTOF(child_handlers),
    .probes = child_probes,
    .n_probes = TT_COUNTOF(child_probes),
};

/* --- Parent -------------------------------------------------------------- */

/* Start-up: create the Child (queues its start-up orders), then enter
 * `idle` (whose extras run before the Child's orders). */
static void Parent_ttse__on_start(tt_tonic *self)
{
    parent_data *d = TT_DATA(parent_data, self);

    d->child = tt_tonic_new(tt_tonic_catalyst(self), &Child_class, "Child", NULL);
    tt_to_state(self, "idle");
}

/* In `idle`: wait for the child, which gets the work. */
static void Parent_ttsc_idle__run(tt_tonic *self, int64_t x)
{
    parent_data *d = TT_DATA(parent_data, self);

    tt_to_state(self, "waiting");
    tt_send(d->child, "ttsc__work", TT_INT(x));
}

/* The child's answer while waiting: keep it, be done, finish. */
static void Parent_ttse_waiting__on_child_done(tt_tonic *self, int64_t result)
{
    parent_data *d = TT_DATA(parent_data, self);

    d->has_result = true;
    d->result = result;
    tt_to_state(self, "done");
    tt_finish(self);
}

/* Declares the state `done`; nothing to do on entering it. */
static void Parent_ttse_done__on_enter(tt_tonic *self)
{
    (void)self;
}

/* Count pings. */
static void Parent_ttsc__ping(tt_tonic *self)
{
    TT_DATA(parent_data, self)->pings += 1;
}

/* Finished: ping itself (dropped) and send the child one more job. */
static void Parent_ttse__on_finished(tt_tonic *self)
{
    parent_data *d = TT_DATA(parent_data, self);

    tt_send(self, "ttsc__ping");
    tt_send(d->child, "ttsc__work", TT_INT(1));
}

/* Probe `result`: none until the child reported. */
static bool parent_probe_result(tt_tonic *self, tt_value *out)
{
    parent_data *d = TT_DATA(parent_data, self);

    *out = d->has_result ? TT_INT(d->result) : TT_NONE;
    return true;
}

static const tt_handler parent_handlers[] = {
    TT_ON(Parent, ttse__on_start),
    TT_ON(Parent, ttsc_idle__run, int64_t),
    TT_ON(Parent, ttse_waiting__on_child_done, int64_t),
    TT_ON(Parent, ttse_done__on_enter),
    TT_ON(Parent, ttsc__ping),
    TT_ON(Parent, ttse__on_finished),
};

static const tt_probe_def parent_probes[] = {
    TT_PROBE_FN("result", parent_probe_result),
    TT_PROBE(parent_data, pings),
    TT_PROBE(parent_data, child),
};

static const tt_class Parent_class = {
    .name = "Parent",
    .data_size = sizeof(parent_data),
    .handlers = parent_handlers,
    .n_handlers = TT_COUNTOF(parent_handlers),
    .probes = parent_probes,
    .n_probes = TT_COUNTOF(parent_probes),
};

/* The formula: only the Parent (id 1); it creates the Child (id 2). */
TT_FORMULA(cat)
{
    if (!tt_tonic_new(cat, &Parent_class, "Parent", NULL))
        return -TT_EFORMULA;
    return 0;
}
