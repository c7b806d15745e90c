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

/* Forget resolved plans. */
void tt__probes_reset(tt_catalyst *cat)
{
    for (size_t i = 0; i < cat->n_plan; i++)
        free(cat->plan[i].keys);
    free(cat->plan);
    cat->plan = NULL;
    cat->n_plan = 0;
}

static tt__probe_plan *plan_for(tt_catalyst *cat, tt_tonic *t)
{
    uint32_t s = t->l.serial;
    if (s >= cat->n_plan) {
        size_t n = cat->n_tonics > s + 1 ? cat->n_tonics : s + 1;
        tt__probe_plan *p = realloc(cat->plan, n * sizeof *p);
        if (!p)
            return NULL;
        memset(p + cat->n_plan, 0, (n - cat->n_plan) * sizeof *p);
        cat->plan = p;
        cat->n_plan = n;
    }
    tt__probe_plan *p = &cat->plan[s];
    if (p->resolved)
        return p;
    const tt_contract *c = cat->probe_contract;
    const tt_strlist *list = &c->probes;
    for (size_t i = 0; i < c->n_tonics; i++)
        if (c->tonics[i].has_probes && strcmp(c->tonics[i].name, t->l.name) == 0) {
            list = &c->tonics[i].probes;
            break;
        }
    p->resolved = true;
    p->n = 0;
    p->keys = list->n ? calloc(list->n, sizeof *p->keys) : NULL;
    for (size_t i = 0; p->keys && i < list->n; i++) {
        pthread_mutex_lock(&cat->names.lock); /* other threads look names up */
        int64_t id = tt__intern(&cat->names, list->v[i]);
        pthread_mutex_unlock(&cat->names.lock);
        if (id >= 0)
            p->keys[p->n++] = cat->names.str[id];
    }
    return p;
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

/* Snapshot t's probes into the arena of entry seq. */
tt_map *tt__probes_snapshot(tt_catalyst *cat, tt_tonic *t, uint64_t seq)
{
    tt__probe_plan *p = plan_for(cat, t);
    if (!p)
        return NULL;
    tt_map *m = tt__trace_alloc(&cat->trace, seq, sizeof *m);
    if (!m)
        return NULL;
    m->n = 0;
    m->keys = NULL;
    m->vals = NULL;
    if (p->n == 0)
        return m;
    m->keys = tt__trace_alloc(&cat->trace, seq, p->n * sizeof *m->keys);
    m->vals = tt__trace_alloc(&cat->trace, seq, p->n * sizeof *m->vals);
    if (!m->keys || !m->vals)
        return m;
    for (size_t i = 0; i < p->n; i++) {
        if (!tt__probe_read(t, p->keys[i], &m->vals[m->n]))
            continue;
        freeze(&m->vals[m->n]);
        m->keys[m->n++] = (char *)p->keys[i];
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
