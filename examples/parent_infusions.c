/*
 * parent_infusions.c: a parent that delegates work to its infusions.
 *
 * `Parent` creates PI_DEFAULT_CHILDREN `Child` tonics in its start-up sparkle,
 * so they are its infusions (their base is the Parent) and are finished with
 * it.  Commands go down, events come up:
 *
 *   Parent.ttsc__run(n)          (idle) items 1..n, round-robin, as
 *     -> ChildK.ttsc__work(item)          commands to the children; then busy
 *     <- Parent.ttse__on_child_done(child, item, item * item)
 *                                (busy) sums the results; the last one of the
 *                                batch brings the Parent back to idle
 *   Parent.ttsc__shutdown        finish the Parent: its children follow, then
 *                                the catalyst
 *
 * A result arriving while the Parent is idle is counted as `stray` and
 * otherwise ignored (the generic handler; the busy one does the work).
 *
 * Probes, Parent: pending (results still expected), received and total (of
 * this batch), batches (completed), stray.  Child: work_done, last_item.
 *
 * tests/test-parent-infusions.c compiles this file into the test program:
 * once with mock children (the test plays the children by injecting their
 * events), once with the whole tree.
 */
#include <stdint.h>
#include <stdio.h>

#include "parent_infusions.h"

TT_SPARKLE(Child, ttsc__work, int64_t)
TT_SPARKLE(Parent, ttse__on_child_done, tt_tonic *, int64_t, int64_t)

/* ===================================================================== */
/* Child                                                                 */
/* ===================================================================== */

typedef struct Child {
    int work_done;     /* work items handled */
    int64_t last_item; /* the latest one */
} Child;

/* Start-up: ready for work. */
static void Child_ttse__on_start(tt_tonic *self)
{
    tt_to_state(self, "ready");
}

/* One work item: report its square to the base (the Parent). */
static void Child_ttsc_ready__work(tt_tonic *self, int64_t item)
{
    Child *d = TT_DATA(Child, self);

    d->work_done++;
    d->last_item = item;
    Parent_send_ttse__on_child_done(tt_tonic_base(self), self, item,
                                    item * item);
}

static const tt_handler child_handlers[] = {
    TT_ON(Child, ttse__on_start),
    TT_ON(Child, ttsc_ready__work, int64_t),
};

static const tt_probe_def child_probes[] = {
    TT_PROBE(Child, work_done),
    TT_PROBE(Child, last_item),
};

const tt_class Child_class = {
    .name = "Child",
    .data_size = sizeof(Child),
    .handlers = child_handlers,
    .n_handlers = TT_COUNTOF(child_handlers),
    .probes = child_probes,
    .n_probes = TT_COUNTOF(child_probes),
};

/* ===================================================================== */
/* Parent                                                                */
/* ===================================================================== */

typedef struct Parent {
    const tt_class *child_class;
    int n_children;
    tt_tonic *children[PI_MAX_CHILDREN];
    int pending;   /* results still expected in this batch */
    int received;  /* results received in this batch */
    int64_t total; /* their sum */
    int batches;   /* completed batches */
    int stray;     /* results that arrived while idle */
} Parent;

/* Creation: take the configuration (NULL for the defaults). */
static void parent_init(tt_tonic *self, void *arg)
{
    Parent *d = TT_DATA(Parent, self);
    const pi_config *cfg = arg;

    d->child_class = cfg ? cfg->child_class : &Child_class;
    d->n_children = cfg ? cfg->n_children : PI_DEFAULT_CHILDREN;
    if (d->n_children < 0)
        d->n_children = 0;
    if (d->n_children > PI_MAX_CHILDREN)
        d->n_children = PI_MAX_CHILDREN;
}

/* Start-up: create the children (infusions of this tonic), then idle. */
static void Parent_ttse__on_start(tt_tonic *self)
{
    Parent *d = TT_DATA(Parent, self);
    tt_catalyst *cat = tt_tonic_catalyst(self);
    char name[32];

    for (int i = 0; i < d->n_children; i++) {
        snprintf(name, sizeof name, "Child%d", i + 1);
        d->children[i] = tt_tonic_new(cat, d->child_class, name, NULL);
    }
    tt_to_state(self, "idle");
}

/* A batch of n items: commands down to the children, round-robin. */
static void Parent_ttsc_idle__run(tt_tonic *self, int64_t n)
{
    Parent *d = TT_DATA(Parent, self);

    if (n < 1 || d->n_children == 0)
        return;
    d->pending = (int)n;
    d->received = 0;
    d->total = 0;
    for (int64_t item = 1; item <= n; item++)
        Child_send_ttsc__work(d->children[(item - 1) % d->n_children], item);
    tt_to_state(self, "busy");
}

/* A result while busy: collect it; the last one completes the batch. */
static void Parent_ttse_busy__on_child_done(tt_tonic *self, tt_tonic *child,
                                            int64_t item, int64_t result)
{
    Parent *d = TT_DATA(Parent, self);

    (void)child;
    (void)item;
    d->received++;
    d->total += result;
    if (--d->pending == 0) {
        d->batches++;
        tt_to_state(self, "idle");
    }
}

/* A result nobody waits for. */
static void Parent_ttse__on_child_done(tt_tonic *self, tt_tonic *child,
                                       int64_t item, int64_t result)
{
    (void)child;
    (void)item;
    (void)result;
    TT_DATA(Parent, self)->stray++;
}

/* Finish the Parent; its children are finished by it. */
static void Parent_ttsc__shutdown(tt_tonic *self)
{
    tt_finish(self);
}

static const tt_handler parent_handlers[] = {
    TT_ON(Parent, ttse__on_start),
    TT_ON(Parent, ttsc_idle__run, int64_t),
    TT_ON(Parent, ttse_busy__on_child_done, tt_tonic *, int64_t, int64_t),
    TT_ON(Parent, ttse__on_child_done, tt_tonic *, int64_t, int64_t),
    TT_ON(Parent, ttsc__shutdown),
};

static const tt_probe_def parent_probes[] = {
    TT_PROBE(Parent, pending),
    TT_PROBE(Parent, received),
    TT_PROBE(Parent, total),
    TT_PROBE(Parent, batches),
    TT_PROBE(Parent, stray),
};

const tt_class Parent_class = {
    .name = "Parent",
    .data_size = sizeof(Parent),
    .init = parent_init,
    .handlers = parent_handlers,
    .n_handlers = TT_COUNTOF(parent_handlers),
    .probes = parent_probes,
    .n_probes = TT_COUNTOF(parent_probes),
};

/* The app: one Parent with the default children. */
TT_FORMULA(cat)
{
    return tt_tonic_new(cat, &Parent_class, "Parent", NULL) ? 0 : -TT_EFORMULA;
}
