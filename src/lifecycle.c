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

/* --- tonics_sparkling: the catalyst's list of ids, O(1) a change ------ */

/* Is id indexed in ts_first?  (Ids far beyond the ledger, which only a
 * debugger's injected call can add, are found by a scan instead.) */
static bool ts_indexed(const tt_catalyst *cat, int id)
{
    return id >= 0 && (size_t)id < cat->n_ts_first;
}

/* Rebuild ts_first and ts_next from the slots. */
static void ts_reindex(tt_catalyst *cat)
{
    if (cat->n_ts_first)
        memset(cat->ts_first, 0, cat->n_ts_first * sizeof *cat->ts_first);
    for (size_t i = cat->n_ts_slots; i-- > 0;) {
        int id = cat->ts[i];
        cat->ts_next[i] = 0;
        if (id != TT__TS_GONE && ts_indexed(cat, id)) {
            cat->ts_next[i] = cat->ts_first[id];
            cat->ts_first[id] = (uint32_t)i + 1;
        }
    }
}

/* Drop the slots of removed ids (when half of them are). */
static void ts_compact(tt_catalyst *cat)
{
    size_t j = 0;
    for (size_t i = 0; i < cat->n_ts_slots; i++)
        if (cat->ts[i] != TT__TS_GONE)
            cat->ts[j++] = cat->ts[i];
    cat->n_ts_slots = j;
    ts_reindex(cat);
}

/* List id at the end. */
static int ts_add(tt_catalyst *cat, int id)
{
    if (cat->n_ts_slots == cat->cap_ts) {
        size_t cap = cat->cap_ts;
        if (tt__grow((void **)&cat->ts, &cap, cat->n_ts_slots + 1, sizeof *cat->ts) < 0)
            return -TT_ENOMEM;
        uint32_t *next = realloc(cat->ts_next, cap * sizeof *next);
        if (!next)
            return -TT_ENOMEM; /* ts is bigger, cap_ts not yet: harmless */
        cat->ts_next = next;
        cat->cap_ts = cap;
    }
    if (id >= 0 && (size_t)id >= cat->n_ts_first && (size_t)id < 2 * cat->n_ledger + 64) {
        size_t n = cat->n_ts_first * 2 > (size_t)id + 1 ? cat->n_ts_first * 2 : (size_t)id + 64;
        uint32_t *first = realloc(cat->ts_first, n * sizeof *first);
        if (!first)
            return -TT_ENOMEM;
        cat->ts_first = first;
        cat->n_ts_first = n;
        ts_reindex(cat);
    }
    size_t p = cat->n_ts_slots++;
    cat->ts[p] = id;
    cat->ts_next[p] = 0;
    cat->n_ts++;
    if (ts_indexed(cat, id)) {
        uint32_t *link = &cat->ts_first[id];
        while (*link) /* an id listed twice: rare and short */
            link = &cat->ts_next[*link - 1];
        *link = (uint32_t)p + 1;
    }
    return 0;
}

/* Unlist the first listing of id, keeping the order of the others. */
static void ts_remove(tt_catalyst *cat, int id)
{
    size_t p = cat->n_ts_slots;
    if (ts_indexed(cat, id)) {
        if (!cat->ts_first[id])
            return;
        p = cat->ts_first[id] - 1;
        cat->ts_first[id] = cat->ts_next[p];
    } else {
        for (size_t i = 0; i < cat->n_ts_slots && p == cat->n_ts_slots; i++)
            if (cat->ts[i] == id)
                p = i;
        if (p == cat->n_ts_slots)
            return;
    }
    cat->ts[p] = TT__TS_GONE;
    cat->n_ts--;
    if (cat->n_ts == 0)
        cat->n_ts_slots = 0;
    else if (cat->n_ts_slots >= 64 && cat->n_ts * 2 < cat->n_ts_slots)
        ts_compact(cat);
}

static void b_add_tonic(tt_tonic *self, const tt_value *a, size_t n)
{
    (void)n;
    ts_add(self->cat, (int)a[0].u.i);
}

static void b_remove_tonic(tt_tonic *self, const tt_value *a, size_t n)
{
    (void)n;
    tt_catalyst *cat = self->cat;
    ts_remove(cat, (int)a[0].u.i);
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
