/*
 * probes.c: freezing probe values into trace entries.
 *
 * During a run with a contract, the probes of the tonic that executes a
 * sparkle are read before and after it and deep-copied into the trace.  The
 * list for a tonic is `contract.tonics[name].probes` when that key exists,
 * else the contract's global `probes`.  A probe the tonic lacks is left out.
 */
#include "tt-int.h"

#include <stdlib.h>
#include <string.h>

/*
 * A plan is resolved once per tonic and run: the contract's list for the
 * tonic, reduced to the probes its class has, each with its slot (a field
 * offset or a callback, see tt__probe_slot).  Plans are shared by every
 * tonic of the same class with the same list, and kept until the catalyst
 * is freed: trace entries point at a plan's key array instead of copying it.
 * Taking a snapshot then reads each slot directly: no name is looked up.
 */

/* Forget which tonic uses which plan (a new run or contract). */
void tt__probes_reset(tt_catalyst *cat)
{
    free(cat->plan);
    free(cat->last_snap);
    cat->plan = NULL;
    cat->last_snap = NULL;
    cat->n_plan = 0;
}

/* Free every plan (catalyst teardown). */
void tt__probes_free(tt_catalyst *cat)
{
    tt__probes_reset(cat);
    while (cat->plans) {
        tt__probe_plan *p = cat->plans;
        cat->plans = p->next;
        free(p->keys);
        free(p->slots);
        free(p->kinds);
        free(p->offs);
        free(p);
    }
}

/* The contract's probe list for tonic t. */
static const tt_strlist *list_for(const tt_contract *c, const tt_tonic *t)
{
    for (size_t i = 0; i < c->n_tonics; i++)
        if (c->tonics[i].has_probes && strcmp(c->tonics[i].name, t->l.name) == 0)
            return &c->tonics[i].probes;
    return &c->probes;
}

/* Resolve t's plan: the existing one that matches, or a new one. */
static tt__probe_plan *resolve(tt_catalyst *cat, tt_tonic *t)
{
    const tt_strlist *list = list_for(cat->probe_contract, t);
    size_t n = 0;
    const char **keys = list->n ? malloc(list->n * sizeof *keys) : NULL;
    int *slots = list->n ? malloc(list->n * sizeof *slots) : NULL;
    if (list->n && (!keys || !slots))
        goto fail;
    for (size_t i = 0; i < list->n; i++) {
        int slot = tt__probe_slot(t, list->v[i]);
        if (slot == TT__PROBE_NONE)
            continue; /* a probe the tonic lacks is left out */
        pthread_mutex_lock(&cat->names.lock); /* other threads look names up */
        int64_t id = tt__intern(&cat->names, list->v[i]);
        pthread_mutex_unlock(&cat->names.lock);
        if (id < 0)
            goto fail;
        keys[n] = cat->names.str[id];
        slots[n++] = slot;
    }
    for (tt__probe_plan *p = cat->plans; p; p = p->next)
        if (p->k == t->k && p->n == n && (n == 0 || memcmp(p->keys, keys, n * sizeof *keys) == 0)) {
            free(keys);
            free(slots);
            return p;
        }
    tt__probe_plan *p = calloc(1, sizeof *p);
    if (!p)
        goto fail;
    p->k = t->k;
    p->n = n;
    p->keys = keys;
    p->slots = slots;
    p->plain = n > 0;
    for (size_t i = 0; i < n && p->plain; i++) {
        int kind = slots[i] >= 0 ? (int)t->k->def->probes[slots[i]].kind : -1;
        p->plain = kind == TT_PK_INT || kind == TT_PK_I64 || kind == TT_PK_DOUBLE ||
                   kind == TT_PK_BOOL;
    }
    if (p->plain) {
        p->kinds = malloc(n * sizeof *p->kinds);
        p->offs = malloc(n * sizeof *p->offs);
        if (!p->kinds || !p->offs) {
            free(p->kinds);
            free(p->offs);
            p->kinds = NULL;
            p->offs = NULL;
            p->plain = false; /* the general path still works */
        }
        p->all_int = p->all_i64 = p->plain;
        for (size_t i = 0; p->plain && i < n; i++) {
            p->kinds[i] = (uint8_t)t->k->def->probes[slots[i]].kind;
            p->offs[i] = (uint32_t)t->k->def->probes[slots[i]].offset;
            p->all_int = p->all_int && p->kinds[i] == TT_PK_INT;
            p->all_i64 = p->all_i64 && p->kinds[i] == TT_PK_I64;
        }
    }
    p->next = cat->plans;
    cat->plans = p;
    return p;
fail:
    free(keys);
    free(slots);
    return NULL;
}

static tt__probe_plan *plan_for(tt_catalyst *cat, tt_tonic *t)
{
    uint32_t s = t->l.serial;
    if (TT__UNLIKELY(s >= cat->n_plan)) {
        size_t n = cat->n_tonics > s + 1 ? cat->n_tonics : s + 1;
        tt__probe_plan **p = realloc(cat->plan, n * sizeof *p);
        if (!p)
            return NULL;
        memset(p + cat->n_plan, 0, (n - cat->n_plan) * sizeof *p);
        cat->plan = p;
        tt__last_snap *l = realloc(cat->last_snap, n * sizeof *l);
        if (!l)
            return NULL;
        memset(l + cat->n_plan, 0, (n - cat->n_plan) * sizeof *l);
        cat->last_snap = l;
        cat->n_plan = n;
    }
    if (TT__UNLIKELY(!cat->plan[s]))
        cat->plan[s] = resolve(cat, t);
    return cat->plan[s];
}

/* Python freezes a tonic or timer to its str(): "<ID[02]B[01] Child Child>". */
static void freeze(tt_value *v)
{
    if (v->type == TT_T_TONIC || v->type == TT_T_TIMER || v->type == TT_T_TIMERINFO) {
        const tt__liquid *l = v->u.p;
        if (!l) {
            *v = TT_NONE;
            return;
        }
        char buf[512];
        tt__liquid_str(l, buf, sizeof buf);
        char *s = tt__strdup(buf);
        *v = s ? TT_STR(s) : TT_NONE;
    } else if (v->type == TT_T_LIST && v->u.list) {
        for (size_t i = 0; i < v->u.list->n; i++)
            freeze(&v->u.list->items[i]);
    } else if (v->type == TT_T_MAP && v->u.map) {
        for (size_t i = 0; i < v->u.map->n; i++)
            freeze(&v->u.map->vals[i]);
    }
}

/* Snapshot t's probes into the arena of entry seq.  The map's keys are the
 * plan's (shared) unless a probe gave no value. */
tt_map *tt__probes_snapshot(tt_catalyst *cat, tt_tonic *t, uint64_t seq)
{
    tt__probe_plan *p = plan_for(cat, t);
    if (!p)
        return NULL;
    if (p->plain)
        return tt__snapshot_plain(cat, t, p, seq);
    tt_map *m = tt__trace_alloc(&cat->trace, seq, sizeof *m);
    if (!m) {
        cat->trace_oom = true;
        return NULL;
    }
    tt__trace_owns(&cat->trace, seq); /* its values may (strings, lists) */
    m->n = 0;
    m->keys = NULL;
    m->vals = NULL;
    if (p->n == 0)
        return m;
    m->vals = tt__trace_alloc(&cat->trace, seq, p->n * sizeof *m->vals);
    if (!m->vals) {
        cat->trace_oom = true;
        return m;
    }
    m->keys = (char **)p->keys;
    for (size_t i = 0; i < p->n; i++) {
        tt_value *v = &m->vals[m->n];
        if (!tt__probe_read_slot(t, p->slots[i], v)) {
            if (m->keys == (char **)p->keys) {
                /* keys of its own from here on: the values shift down */
                char **own = tt__trace_alloc(&cat->trace, seq, p->n * sizeof *own);
                if (!own) {
                    cat->trace_oom = true;
                    return m; /* m->n values, the first m->n keys */
                }
                memcpy(own, p->keys, m->n * sizeof *own);
                m->keys = own;
            }
            continue;
        }
        if (TT__UNLIKELY(v->type >= TT_T_TONIC))
            freeze(v);
        if (m->keys != (char **)p->keys)
            m->keys[m->n] = (char *)p->keys[i];
        m->n++;
    }
    return m;
}

/* Free the values a snapshot owns. */
void tt__probes_clear(tt_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        tt_value_clear(&m->vals[i]);
    m->n = 0;
}
