/*
 * lifecycle.c: the sparkles the runtime implements for every tonic, and for
 * the catalyst: start-up, finishing and its cascade through system sparkles,
 * state changes, and the catalyst's bookkeeping of the tonics it runs.
 *
 * Finishing, as in the reference: `ttsc__finish` is accepted only from the
 * tonic itself or its base (from outside only by the catalyst, whose base is
 * none).  Accepted, it tells the base (`_ttss__on_infusion_completed`), marks
 * the tonic finishing, leaves its state (extras), and queues `ttse__on_finished`
 * and `_ttss__on_finished`; the latter finishes the infusions and queues
 * `_ttss__on_completion`, which unregisters the tonic and tells the catalyst.
 * The catalyst finishes when the last tonic it runs has completed.
 */
#include "tt-int.h"

#include <stdlib.h>
#include <string.h>

/* A sparkle whose default does nothing (user hooks such as ttse__on_enter). */
static void b_nop(tt_tonic *self, const tt_value *a, size_t n)
{
    (void)self, (void)a, (void)n;
}

static tt__frame here(tt_tonic *self)
{
    return self->cat->frame;
}

static void b_add_tonic(tt_tonic *self, const tt_value *a, size_t n)
{
    (void)n;
    tt_catalyst *cat = self->cat;
    int id = (int)a[0].u.i;
    TT__PUSH(cat->ts, cat->n_ts, cat->cap_ts, id);
}

static void b_remove_tonic(tt_tonic *self, const tt_value *a, size_t n)
{
    (void)n;
    tt_catalyst *cat = self->cat;
    int id = (int)a[0].u.i;
    for (size_t i = 0; i < cat->n_ts; i++)
        if (cat->ts[i] == id) {
            memmove(&cat->ts[i], &cat->ts[i + 1],
                    (cat->n_ts - i - 1) * sizeof *cat->ts);
            cat->n_ts--;
            break;
        }
    /* Deliberate difference 2: finish when the last tonic has completed
     * (Python mode: when every tonic left is an infusion of the catalyst). */
    if (tt__compat_catalyst_done(cat))
        tt_finish(self);
}

static void b_finish(tt_tonic *self, const tt_value *a, size_t n)
{
    (void)a, (void)n;
    tt_catalyst *cat = self->cat;
    const tt__order *o = cat->exec;
    tt_tonic *base = self->l.base;
    bool accepted = o->src_obj == self->l.serial ||
                    (base && o->src_obj == base->l.serial) ||
                    (!base && o->src_obj == TT_SRC_NONE);
    if (!accepted) {
        cat->exec_flags |= TT_EF_IGNORED;
        return;
    }
    tt__frame f = here(self);
    if (base) {
        tt_value v = TT_TONIC(self);
        tt__post(base, TT_N_ON_INFUSION_DONE, &v, 1, &f);
    }
    self->finishing = true;
    if (self->state != -1)
        tt__to_state_index(self, -1, false);
    tt__post(self, TT_N_ON_FINISHED, NULL, 0, &f);
    tt__post(self, TT_N_ON_FINISHED_SYS, NULL, 0, &f);
}

static void b_on_finished_sys(tt_tonic *self, const tt_value *a, size_t n)
{
    (void)a, (void)n;
    tt__frame f = here(self);
    tt__frame as_base = {&self->l, TT_N_FINISH_LABEL, self->l.id, f.cause};
    size_t count = self->n_infusions;
    tt__liquid **inf = self->infusions;
    self->infusions = NULL;
    self->n_infusions = self->cap_infusions = self->n_left = 0;
    for (size_t i = 0; i < count; i++) {
        if (!inf[i])
            continue;
        if (inf[i]->kind == TT__K_TONIC) {
            tt_tonic *t = (tt_tonic *)inf[i];
            if (t->l.id >= 0)
                tt__post(t, TT_N_FINISH, NULL, 0, &as_base);
        } else {
            tt__timer_finish((tt_timer *)inf[i], &as_base);
        }
    }
    free(inf);
    tt__post(self, TT_N_ON_COMPLETION, NULL, 0, &f);
}

static void b_on_completion(tt_tonic *self, const tt_value *a, size_t n)
{
    (void)a, (void)n;
    tt_catalyst *cat = self->cat;
    if (self->is_catalyst) {
        cat->sparkling = false;
        __atomic_store_n(&cat->finished, true, __ATOMIC_RELAXED); /* posting threads read it */
        return;
    }
    tt__frame f = here(self);
    tt_value v = TT_INT(self->l.id);
    tt__post(cat->self, TT_N_REMOVE_TONIC, &v, 1, &f);
    tt__ledger_remove(cat, &self->l);
}

static void b_on_infusion_done(tt_tonic *self, const tt_value *a, size_t n)
{
    (void)n;
    if (a[0].u.p)
        tt__infusion_remove(self, (tt__liquid *)a[0].u.p);
}

static void b_to_state(tt_tonic *self, const tt_value *a, size_t n)
{
    bool force = n > 1 && a[1].u.b;
    if (!a[0].u.s)
        return;
    int idx = tt_tonic_state_index(self, a[0].u.s);
    if (idx >= 0)
        tt__to_state_index(self, idx, force);
    else
        tt__note_sparkle(self->cat, false, "to_state: no state '%s'", a[0].u.s);
}

static void b_state_change(tt_tonic *self, const tt_value *a, size_t n)
{
    (void)n;
    self->state = (int)a[0].u.i;
}

static void b_machine_stop(tt_tonic *self, const tt_value *a, size_t n)
{
    (void)a, (void)n;
    self->state = -1;
}

/* Bind the runtime's code to the sparkles a class did not define itself. */
void tt__builtins_bind(tt__klass *k)
{
    for (size_t i = 0; i < k->n_sparkles; i++) {
        tt__sparkle *s = &k->sparkles[i];
        if (s->user)
            continue;
        switch (s->name) {
        case TT_N_ADD_TONIC: s->builtin = b_add_tonic; break;
        case TT_N_REMOVE_TONIC: s->builtin = b_remove_tonic; break;
        case TT_N_FINISH: s->builtin = b_finish; break;
        case TT_N_ON_FINISHED_SYS: s->builtin = b_on_finished_sys; break;
        case TT_N_ON_COMPLETION: s->builtin = b_on_completion; break;
        case TT_N_ON_INFUSION_DONE: s->builtin = b_on_infusion_done; break;
        case TT_N_TO_STATE: s->builtin = b_to_state; break;
        case TT_N_STATE_CHANGE: s->builtin = b_state_change; break;
        case TT_N_MACHINE_STOP: s->builtin = b_machine_stop; break;
        default: s->builtin = b_nop; break;
        }
    }
}
