/*
 * checkpoint.c: a Distiller's state at one moment, copied in the process, and
 * put back later (time travel without a replay from the start).
 *
 * A checkpoint holds everything the catalyst keeps that a sparkle can change:
 * the virtual clock, counters and id allocators (the ledger, its free ids,
 * tonics_sparkling), the queue (orders with their values deep-copied, their
 * sources and causes), every timer (due times, the active heap), every
 * tonic's fields, infusions and data block, the lint state (as it is: it
 * catches up from the trace after a restore), the number of runs and notes,
 * the trace's end, and
 * optionally the writable static data of the app's module.  What the app
 * allocates itself cannot be captured: a caller that needs certainty
 * compares what it replays after a restore with what was recorded.
 *
 * Restoring cuts the trace back to the checkpoint, frees the tonics and
 * timers created after it (a tonic's class destroy runs then, contained:
 * the future they lived in is dropped, as at the catalyst's end) and puts
 * everything else back.  Every allocation is made before anything changes,
 * so a restore without memory leaves the catalyst as it was.
 */
#include "tt-int.h"

#include <stdlib.h>
#include <string.h>

typedef struct ck_tonic {
    tt_tonic *t;             /* the tonic (alive as long as the catalyst) */
    tt_tonic copy;           /* its fields (infusions: see inf) */
    tt__liquid **inf;        /* copy of its infusions */
    void *data;              /* copy of its data block */
    size_t data_size;
} ck_tonic;

typedef struct ck_timer {
    tt_timer *tm;
    tt_timer copy;
} ck_timer;

struct tt_checkpoint {
    tt_catalyst *cat;
    uint64_t seq;
    size_t bytes;
    tt_catalyst_options opt;
    double vt;
    uint64_t act_seq, q_high_seq;
    size_t q_high;
    bool ran_any, sparkling, finished, tainted;
    int crash_sig;
    ck_tonic *tonics;
    size_t n_tonics;
    ck_timer *timers;
    size_t n_timers;
    tt_tonic **by_name;
    size_t n_by_name;
    bool by_name_incomplete;
    tt__liquid **ledger;
    size_t n_ledger;
    int *free_ids;
    size_t n_free_ids;
    int *ts;
    uint32_t *ts_next, *ts_first;
    size_t n_ts, n_ts_slots, n_ts_first;
    tt__order *queue;
    size_t n_queue;
    tt_timer **active;
    size_t n_active;
    size_t n_notes;
    size_t n_runs;           /* runs that had started */
    uint64_t run_count;      /* entries of the newest of them by then */
    size_t run_stops;        /* and its stop conditions by then */
    bool run_met;
    double run_vt_end;
    double run_start, run_end; /* its wall-clock times (running: the end is
                                  when taken) */
    tt__trace_mark_t mark;
    tt__lints *lints;
    tt__seg *segs;           /* the module's writable static data */
    char **seg_copy;
    size_t n_segs;
};

/* Free what a copied order owns. */
static void order_free(tt__order *o)
{
    if (o->nargs <= TT__INLINE_ARGS)
        o->args = o->inl;
    for (size_t i = 0; i < o->nargs; i++)
        tt_value_clear(&o->args[i]);
    if (o->args != o->inl)
        free(o->args);
    o->nargs = 0;
}

/* A deep copy of an order (its values); 0 or -TT_ENOMEM. */
static int order_copy(tt__order *dst, const tt__order *src)
{
    *dst = *src;
    const tt_value *from = src->nargs <= TT__INLINE_ARGS ? src->inl : src->args;
    dst->args = dst->inl;
    if (src->nargs > TT__INLINE_ARGS &&
        !(dst->args = malloc(src->nargs * sizeof *dst->args))) {
        dst->nargs = 0;
        return -TT_ENOMEM;
    }
    for (size_t i = 0; i < src->nargs; i++) {
        if (tt_value_copy(&dst->args[i], &from[i]) < 0) {
            dst->nargs = (uint16_t)i;
            order_free(dst);
            return -TT_ENOMEM;
        }
    }
    if (src->nargs > TT__INLINE_ARGS)
        dst->flags |= TT__OF_OWNS;
    return 0;
}

/* Copies of n orders; NULL (and *rc) without memory. */
static tt__order *orders_copy(const tt__order *src, size_t n, int *rc)
{
    tt__order *v = n ? calloc(n, sizeof *v) : NULL;
    if (n && !v) {
        *rc = -TT_ENOMEM;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (order_copy(&v[i], &src[i]) < 0) {
            while (i-- > 0)
                order_free(&v[i]);
            free(v);
            *rc = -TT_ENOMEM;
            return NULL;
        }
    }
    return v;
}

static void orders_free(tt__order *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        order_free(&v[i]);
    free(v);
}

/* A copy of n bytes (NULL for none); false without memory. */
static bool dup_bytes(void *dst, const void *src, size_t n)
{
    void **out = dst;
    *out = NULL;
    if (!n || !src)
        return true;
    if (!(*out = malloc(n)))
        return false;
    memcpy(*out, src, n);
    return true;
}

void tt_checkpoint_free(tt_checkpoint *ck)
{
    if (!ck)
        return;
    for (size_t i = 0; ck->tonics && i < ck->n_tonics; i++) {
        free(ck->tonics[i].inf);
        free(ck->tonics[i].data);
    }
    free(ck->tonics);
    free(ck->timers);
    free(ck->by_name);
    free(ck->ledger);
    free(ck->free_ids);
    free(ck->ts);
    free(ck->ts_next);
    free(ck->ts_first);
    orders_free(ck->queue, ck->n_queue);
    free(ck->active);
    tt__lints_destroy(ck->lints);
    for (size_t i = 0; ck->seg_copy && i < ck->n_segs; i++)
        free(ck->seg_copy[i]);
    free(ck->seg_copy);
    free(ck->segs);
    free(ck);
}

/* Whether cat can be checkpointed or restored now; 0 or an error. */
static int usable(tt_catalyst *cat, const char *what)
{
    if (!cat)
        return -TT_EINVAL;
    if (cat->opt.mode != TT_MODE_DISTILLER)
        return tt__err(cat, -TT_ENOTDISTILLER, "%s needs a distiller catalyst", what);
    if (cat->recorded)
        return tt__err(cat, -TT_ERECORDED, "%s: this is a recorded trace", what);
    if (cat->destroyed)
        return tt__err(cat, -TT_ECATFINISHED, "%s: the app's destroy code has run", what);
    if (cat->current || cat->extras_head < cat->n_extras)
        return tt__err(cat, -TT_EBUSY, "%s: a sparkle or the extra sparkles of a state "
                                       "change are running", what);
    return 0;
}

/* The copies of the catalyst's tables; false without memory. */
static bool take_tables(tt_catalyst *cat, tt_checkpoint *ck)
{
    ck->n_tonics = cat->n_tonics;
    if (!(ck->tonics = calloc(cat->n_tonics ? cat->n_tonics : 1, sizeof *ck->tonics)))
        return false;
    for (size_t i = 0; i < cat->n_tonics; i++) {
        tt_tonic *t = cat->tonics[i];
        ck_tonic *c = &ck->tonics[i];
        c->t = t;
        c->copy = *t;
        c->data_size = t->k && t->k->def ? t->k->def->data_size : 0;
        if (!dup_bytes(&c->inf, t->infusions, t->n_infusions * sizeof *t->infusions) ||
            !dup_bytes(&c->data, t->data, c->data_size))
            return false;
        ck->bytes += sizeof *c + t->n_infusions * sizeof *t->infusions + c->data_size;
    }
    ck->n_timers = cat->n_timers;
    if (!(ck->timers = calloc(cat->n_timers ? cat->n_timers : 1, sizeof *ck->timers)))
        return false;
    for (size_t i = 0; i < cat->n_timers; i++)
        ck->timers[i] = (ck_timer){cat->timers[i], *cat->timers[i]};
    ck->bytes += cat->n_timers * sizeof *ck->timers;
    ck->n_by_name = cat->n_by_name;
    ck->n_ledger = cat->n_ledger;
    ck->n_free_ids = cat->n_free_ids;
    ck->n_ts = cat->n_ts;
    ck->n_ts_slots = cat->n_ts_slots;
    ck->n_ts_first = cat->n_ts_first;
    ck->n_active = cat->n_active;
    size_t sz[] = {cat->n_by_name * sizeof *cat->by_name, cat->n_ledger * sizeof *cat->ledger,
                   cat->n_free_ids * sizeof *cat->free_ids, cat->n_ts_slots * sizeof *cat->ts,
                   cat->n_ts_slots * sizeof *cat->ts_next,
                   cat->n_ts_first * sizeof *cat->ts_first, cat->n_active * sizeof *cat->active};
    for (size_t i = 0; i < TT_COUNTOF(sz); i++)
        ck->bytes += sz[i];
    return dup_bytes(&ck->by_name, cat->by_name, sz[0]) &&
           dup_bytes(&ck->ledger, cat->ledger, sz[1]) &&
           dup_bytes(&ck->free_ids, cat->free_ids, sz[2]) &&
           dup_bytes(&ck->ts, cat->ts, sz[3]) && dup_bytes(&ck->ts_next, cat->ts_next, sz[4]) &&
           dup_bytes(&ck->ts_first, cat->ts_first, sz[5]) &&
           dup_bytes(&ck->active, cat->active, sz[6]);
}

/* The queue's orders, oldest first; false without memory. */
static bool take_queue(tt_catalyst *cat, tt_checkpoint *ck)
{
    size_t n = cat->queue.len;
    tt__order *v = n ? calloc(n, sizeof *v) : NULL;
    if (n && !v)
        return false;
    ck->queue = v;
    for (size_t i = 0; i < n; i++) {
        if (order_copy(&v[i], tt__queue_peek(&cat->queue, i)) < 0)
            return false;
        ck->n_queue++;
        ck->bytes += sizeof *v + (v[i].nargs > TT__INLINE_ARGS ? v[i].nargs * sizeof(tt_value) : 0);
    }
    return true;
}

/* Copy a module's static data byte by byte, unchecked: under AddressSanitizer
 * the gaps between its globals are poisoned (the bytes go back unchanged). */
#if defined(__GNUC__)
__attribute__((no_sanitize_address))
#endif
static void raw_copy(char *dst, const char *src, size_t n)
{
    const volatile char *s = src;
    volatile char *d = dst;
    for (size_t i = 0; i < n; i++)
        d[i] = s[i];
}

/* The module's writable static data; false without memory. */
static bool take_statics(const tt_app *app, tt_checkpoint *ck)
{
    if (!app)
        return true;
    if (tt__app_segments(app, &ck->segs, &ck->n_segs) < 0)
        return false;
    if (ck->n_segs && !(ck->seg_copy = calloc(ck->n_segs, sizeof *ck->seg_copy)))
        return false;
    for (size_t i = 0; i < ck->n_segs; i++) {
        if (!(ck->seg_copy[i] = malloc(ck->segs[i].len ? ck->segs[i].len : 1)))
            return false;
        raw_copy(ck->seg_copy[i], ck->segs[i].addr, ck->segs[i].len);
        ck->bytes += ck->segs[i].len;
    }
    return true;
}

int tt_checkpoint_take(tt_catalyst *cat, const tt_app *app, tt_checkpoint **out)
{
    if (out)
        *out = NULL;
    int rc = usable(cat, "a checkpoint");
    if (rc < 0 || !out)
        return rc < 0 ? rc : -TT_EINVAL;
    tt__record_sync(cat);
    tt_checkpoint *ck = calloc(1, sizeof *ck);
    if (!ck)
        return tt__err(cat, -TT_ENOMEM, "a checkpoint: out of memory");
    ck->cat = cat;
    ck->seq = cat->trace.last;
    ck->bytes = sizeof *ck;
    ck->opt = cat->opt;
    ck->vt = cat->vt;
    ck->act_seq = cat->act_seq;
    ck->q_high = cat->q_high;
    ck->q_high_seq = cat->q_high_seq;
    ck->ran_any = cat->ran_any;
    ck->sparkling = cat->sparkling;
    ck->finished = cat->finished;
    ck->tainted = cat->tainted;
    ck->crash_sig = cat->crash_sig;
    ck->n_notes = cat->n_notes;
    ck->n_runs = cat->n_runs;
    if (cat->n_runs) {
        const tt_run *r = cat->runs[cat->n_runs - 1];
        ck->run_count = r->count;
        ck->run_stops = r->n_stops;
        ck->run_met = r->met;
        ck->run_vt_end = r->n_stops ? r->vt_end : cat->vt; /* running: now */
        ck->run_start = r->start;
        ck->run_end = r->n_stops ? r->end : tt__wall();
    }
    tt__trace_mark(&cat->trace, &ck->mark);
    /* the lints as they are (catching them up would cost every entry its
     * lint work): restored, they catch up from where they were, from the
     * first entry still traced when the ring has dropped older ones (as
     * lints asked for late do) */
    if ((cat->lints && !(ck->lints = tt__lints_clone(cat->lints))) || !take_tables(cat, ck) ||
        !take_queue(cat, ck) || !take_statics(app, ck)) {
        tt_checkpoint_free(ck);
        return tt__err(cat, -TT_ENOMEM, "a checkpoint: out of memory");
    }
    if (ck->lints)
        ck->bytes += sizeof(void *) * 8; /* roughly: lints are small */
    *out = ck;
    return 0;
}

uint64_t tt_checkpoint_seq(const tt_checkpoint *ck) { return ck ? ck->seq : 0; }
size_t tt_checkpoint_bytes(const tt_checkpoint *ck) { return ck ? ck->bytes : 0; }

/* What a restore needs allocated before anything changes. */
typedef struct restore_prep {
    tt__order *queue;        /* copies to move into the queue */
    tt__lints *lints;
} restore_prep;

static int prepare(tt_catalyst *cat, const tt_checkpoint *ck, restore_prep *p)
{
    int rc = 0;
    memset(p, 0, sizeof *p);
    if (ck->n_queue && !(p->queue = orders_copy(ck->queue, ck->n_queue, &rc)))
        return rc;
    if (ck->lints && !(p->lints = tt__lints_clone(ck->lints)))
        goto fail;
    for (size_t i = 0; i < ck->n_tonics; i++) {
        tt_tonic *t = ck->tonics[i].t;
        size_t need = ck->tonics[i].copy.n_infusions;
        if (need > t->cap_infusions &&
            tt__grow((void **)&t->infusions, &t->cap_infusions, need, sizeof *t->infusions) < 0)
            goto fail;
    }
    if (ck->n_ts_slots > cat->cap_ts) {
        size_t cap = cat->cap_ts;
        if (tt__grow((void **)&cat->ts, &cap, ck->n_ts_slots, sizeof *cat->ts) < 0)
            goto fail;
        uint32_t *next = realloc(cat->ts_next, cap * sizeof *next);
        if (!next)
            goto fail;
        cat->ts_next = next;
        cat->cap_ts = cap;
    }
    if (tt__grow((void **)&cat->free_ids, &cat->cap_free_ids, ck->n_free_ids,
                 sizeof *cat->free_ids) < 0 ||
        tt__grow((void **)&cat->active, &cat->cap_active, ck->n_active, sizeof *cat->active) < 0)
        goto fail;
    while (cat->queue.cap <= cat->queue.len + ck->n_queue + 1)
        if (tt__queue_grow(&cat->queue) < 0)
            goto fail;
    return 0;
fail:
    orders_free(p->queue, ck->n_queue);
    tt__lints_destroy(p->lints);
    return -TT_ENOMEM;
}

/* Whether ck belongs to cat as it is now: its tonics and timers are the
 * catalyst's, and its seq has run. */
static bool belongs(const tt_catalyst *cat, const tt_checkpoint *ck)
{
    if (ck->cat != cat || ck->seq > cat->trace.last || ck->n_tonics > cat->n_tonics ||
        ck->n_timers > cat->n_timers || ck->n_runs > cat->n_runs ||
        ck->n_ledger > cat->n_ledger || ck->n_ts_first > cat->n_ts_first ||
        ck->n_by_name > cat->n_by_name)
        return false;
    for (size_t i = 0; i < ck->n_tonics; i++)
        if (cat->tonics[i] != ck->tonics[i].t)
            return false;
    for (size_t i = 0; i < ck->n_timers; i++)
        if (cat->timers[i] != ck->timers[i].tm)
            return false;
    return true;
}

/* The runs back to what they were: the newest cut to its entries then. */
static void restore_runs(tt_catalyst *cat, const tt_checkpoint *ck)
{
    while (cat->n_runs > ck->n_runs)
        tt__run_free(cat->runs[--cat->n_runs]);
    if (!ck->n_runs)
        return;
    tt_run *r = cat->runs[ck->n_runs - 1];
    r->start = ck->run_start; /* as they were (a resume since moved them) */
    r->end = ck->run_end;
    if (r->count == ck->run_count && r->n_stops == ck->run_stops)
        return;
    r->count = ck->run_count;
    r->vt_end = ck->run_vt_end;
    tt__run_trim_stops(r, ck->run_stops);
    if (!ck->run_met && r->met)
        tt__run_drop_met(r);
    r->finished_status = false;
}

int tt_checkpoint_restore(tt_catalyst *cat, const tt_checkpoint *ck)
{
    int rc = usable(cat, "restoring a checkpoint");
    if (rc < 0)
        return rc;
    if (!ck || !belongs(cat, ck))
        return tt__err(cat, -TT_EINVAL,
                       "restoring a checkpoint: it is not one of this catalyst's past "
                       "(taken elsewhere, or after a moment restored since)");
    restore_prep p;
    if (prepare(cat, ck, &p) < 0)
        return tt__err(cat, -TT_ENOMEM, "restoring a checkpoint: out of memory");

    /* the future goes: its entries, runs, notes, orders */
    tt__trace_cut(&cat->trace, &ck->mark);
    restore_runs(cat, ck);
    while (cat->n_notes > ck->n_notes)
        free(cat->notes[--cat->n_notes].text);
    for (size_t i = cat->extras_head; i < cat->n_extras; i++)
        tt__order_clear(&cat->extras[i]);
    cat->n_extras = cat->extras_head = 0;
    tt__order o;
    while (tt__queue_pop(&cat->queue, &o))
        tt__order_clear(&o);
    /* ... and the tonics and timers born in it (their destroy runs now) */
    while (cat->n_tonics > ck->n_tonics)
        tt__tonic_free(cat->tonics[--cat->n_tonics]);
    while (cat->n_timers > ck->n_timers)
        tt__timer_free(cat->timers[--cat->n_timers]);

    /* the past comes back */
    for (size_t i = 0; i < ck->n_tonics; i++) {
        const ck_tonic *c = &ck->tonics[i];
        tt_tonic *t = c->t;
        tt__liquid **inf = t->infusions;
        size_t cap = t->cap_infusions;
        *t = c->copy;
        t->infusions = inf;
        t->cap_infusions = cap;
        if (t->n_infusions)
            memcpy(inf, c->inf, t->n_infusions * sizeof *inf);
        if (c->data_size)
            memcpy(t->data, c->data, c->data_size);
    }
    for (size_t i = 0; i < ck->n_timers; i++)
        *ck->timers[i].tm = ck->timers[i].copy;
    if (cat->n_by_name)
        memset(cat->by_name, 0, cat->n_by_name * sizeof *cat->by_name);
    if (ck->n_by_name)
        memcpy(cat->by_name, ck->by_name, ck->n_by_name * sizeof *cat->by_name);
    cat->by_name_incomplete = ck->by_name_incomplete;
    memset(cat->ledger, 0, cat->n_ledger * sizeof *cat->ledger);
    if (ck->n_ledger)
        memcpy(cat->ledger, ck->ledger, ck->n_ledger * sizeof *cat->ledger);
    cat->n_ledger = ck->n_ledger;
    if (ck->n_free_ids)
        memcpy(cat->free_ids, ck->free_ids, ck->n_free_ids * sizeof *cat->free_ids);
    cat->n_free_ids = ck->n_free_ids;
    if (ck->n_ts_slots) {
        memcpy(cat->ts, ck->ts, ck->n_ts_slots * sizeof *cat->ts);
        memcpy(cat->ts_next, ck->ts_next, ck->n_ts_slots * sizeof *cat->ts_next);
    }
    cat->n_ts = ck->n_ts;
    cat->n_ts_slots = ck->n_ts_slots;
    if (cat->n_ts_first)
        memset(cat->ts_first, 0, cat->n_ts_first * sizeof *cat->ts_first);
    if (ck->n_ts_first)
        memcpy(cat->ts_first, ck->ts_first, ck->n_ts_first * sizeof *cat->ts_first);
    if (ck->n_active)
        memcpy(cat->active, ck->active, ck->n_active * sizeof *cat->active);
    cat->n_active = ck->n_active;
    for (size_t i = 0; i < ck->n_queue; i++) {
        tt__order *slot = tt__queue_push_slot(&cat->queue); /* room made above */
        *slot = p.queue[i];
        if (slot->nargs <= TT__INLINE_ARGS)
            slot->args = slot->inl;
    }
    free(p.queue);
    if (cat->lints || p.lints)
        tt__lints_put(cat, p.lints);
    for (size_t i = 0; i < ck->n_segs; i++)
        raw_copy(ck->segs[i].addr, ck->seg_copy[i], ck->segs[i].len);

    cat->opt = ck->opt;
    cat->vt = ck->vt;
    cat->act_seq = ck->act_seq;
    cat->q_high = ck->q_high;
    cat->q_high_seq = ck->q_high_seq;
    cat->ran_any = ck->ran_any;
    cat->sparkling = ck->sparkling;
    cat->finished = ck->finished;
    cat->tainted = ck->tainted;
    cat->crash_sig = ck->crash_sig;
    cat->trace_oom = false;
    cat->probe_crash[0] = '\0';
    tt__probes_reset(cat);
    return 0;
}

void tt_distiller_set_seq_hook(tt_catalyst *cat, uint64_t at, tt_seq_hook fn, void *ud)
{
    if (!cat)
        return;
    cat->seq_hook = fn;
    cat->seq_hook_ud = ud;
    cat->seq_hook_at = at;
}

int tt_run_resume_last(tt_catalyst *cat)
{
    if (!cat || !cat->n_runs)
        return -TT_EINVAL;
    const tt_run *r = cat->runs[cat->n_runs - 1];
    if (!r->has_trace || r->first_seq + r->count != cat->trace.last + 1)
        return tt__err(cat, -TT_EINVAL, "the newest run does not end where the trace does");
    cat->resume_run = true;
    return 0;
}

int tt_run_join_last(tt_catalyst *cat)
{
    if (!cat || cat->n_runs < 2)
        return -TT_EINVAL;
    tt_run *a = cat->runs[cat->n_runs - 2], *b = cat->runs[cat->n_runs - 1];
    if (!a->has_trace || !b->has_trace || a->first_seq + a->count != b->first_seq)
        return tt__err(cat, -TT_EINVAL, "the newest run does not continue the one before");
    tt__run_trim_stops(a, 0); /* b's end is the joined run's */
    a->count += b->count;
    a->end = b->end;
    a->vt_end = b->vt_end;
    a->finished_status = b->finished_status;
    /* the stops and contract details move over */
    tt_run tmp = *a;
    a->stops = b->stops;
    a->n_stops = b->n_stops;
    a->cap_stops = b->cap_stops;
    a->met = b->met;
    a->match_count = b->match_count;
    a->target_count = b->target_count;
    a->matched = b->matched;
    a->reasons = b->reasons;
    a->n_reasons = b->n_reasons;
    a->n_matched = b->n_matched;
    b->stops = tmp.stops;
    b->n_stops = 0;
    b->cap_stops = tmp.cap_stops;
    b->met = tmp.met; /* a's own details go with b */
    b->matched = tmp.matched;
    b->reasons = tmp.reasons;
    b->n_reasons = tmp.n_reasons;
    b->n_matched = tmp.n_matched;
    tt__run_free(b);
    cat->n_runs--;
    return 0;
}
