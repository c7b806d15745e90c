/*
 * compat.c: the switch between the C semantics and the Python TaskTonic's.
 *
 * Two deliberate differences of the C runtime (doc/differences.md) are what a
 * C user expects, but a port of a Python app and its tests needs identical
 * traces, so TT_COMPAT_PYTHON reproduces Python exactly:
 *
 * 1. A state-aware sparkle in no state runs the handler of the
 *    alphabetically last state (Python indexes its handler list with -1).
 * 2. The catalyst finishes as soon as every tonic it runs is one of its
 *    infusions, so finishing one top-level tonic tears down the others.
 *
 * The mode is chosen before the first sparkle runs and never changes after.
 */
#include "tt-int.h"

int tt_catalyst_set_compat(tt_catalyst *cat, tt_compat mode)
{
    if (!cat || (unsigned)mode > TT_COMPAT_PYTHON)
        return -TT_EINVAL;
    if (cat->ran_any && mode != cat->opt.compat)
        return tt__err(cat, -TT_EBUSY,
                       "compat: the mode is chosen before the first sparkle runs");
    cat->opt.compat = mode;
    return 0;
}

tt_compat tt_catalyst_compat(const tt_catalyst *cat)
{
    return cat ? cat->opt.compat : TT_COMPAT_NATIVE;
}

/* Difference 1: the handler a state-aware sparkle runs in no state. */
const tt__impl *tt__compat_no_state_impl(const tt_tonic *t, const tt__sparkle *sp)
{
    if (t->cat->opt.compat != TT_COMPAT_PYTHON || !sp->state_aware || !sp->per_state ||
        t->k->n_states == 0)
        return &sp->generic;
    const tt__impl *last = &sp->per_state[t->k->n_states - 1];
    return last->fn ? last : &sp->generic;
}

/* Difference 2: whether the catalyst finishes once a tonic was removed. */
bool tt__compat_catalyst_done(const tt_catalyst *cat)
{
    if (cat->n_ts == 0)
        return true;
    if (cat->opt.compat != TT_COMPAT_PYTHON)
        return false;
    /* every listed id is the catalyst's infusion: the live object with that
     * id sits in the catalyst's infusions at its slot (O(1) an id, where a
     * scan of the infusions made it O(tonics x infusions) a removal) */
    const tt_tonic *self = cat->self;
    for (size_t i = 0; i < cat->n_ts_slots; i++) {
        int id = cat->ts[i];
        if (id == TT__TS_GONE)
            continue;
        const tt__liquid *l = id >= 0 && (size_t)id < cat->n_ledger ? cat->ledger[id] : NULL;
        if (!l || l->inf_slot >= self->n_infusions || self->infusions[l->inf_slot] != l)
            return false;
    }
    return true;
}
