/*
 * tonic.c: creating tonics, the id ledger shared with timers, and what can be
 * asked of a tonic (name, base, infusions, state, sparkles, probes).
 *
 * Ids come from one table: the lowest free slot is given, and a slot is freed
 * when its tonic completes or its timer finishes.  Tonic objects themselves
 * live until the catalyst is freed, so traces can always name them.
 */
#include "tt-int.h"

#include <stdlib.h>
#include <string.h>

/*
 * The lowest free id comes from a min-heap of the ids that were freed
 * (cat->free_ids), or is the next new one when none is free: O(log n) a
 * tonic or timer instead of a scan of the whole ledger.
 */
static void free_ids_push(tt_catalyst *cat, int id)
{
    if (TT__PUSH(cat->free_ids, cat->n_free_ids, cat->cap_free_ids, id) < 0)
        return; /* the id stays unused: ids stay unique, not dense */
    size_t i = cat->n_free_ids - 1;
    while (i > 0 && cat->free_ids[(i - 1) / 2] > id) {
        cat->free_ids[i] = cat->free_ids[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    cat->free_ids[i] = id;
}

static int free_ids_pop(tt_catalyst *cat)
{
    int top = cat->free_ids[0], last = cat->free_ids[--cat->n_free_ids];
    size_t n = cat->n_free_ids, i = 0;
    if (n == 0)
        return top;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && cat->free_ids[c + 1] < cat->free_ids[c])
            c++;
        if (cat->free_ids[c] >= last)
            break;
        cat->free_ids[i] = cat->free_ids[c];
        i = c;
    }
    cat->free_ids[i] = last;
    return top;
}

/* Give l the lowest free id. */
int tt__ledger_add(tt_catalyst *cat, tt__liquid *l)
{
    size_t i;
    if (cat->n_free_ids) {
        i = (size_t)free_ids_pop(cat);
    } else {
        i = cat->n_ledger;
        if (TT__PUSH(cat->ledger, cat->n_ledger, cat->cap_ledger, (tt__liquid *)NULL) < 0)
            return -TT_ENOMEM;
    }
    cat->ledger[i] = l;
    l->last_id = (int)i;
    __atomic_store_n(&l->id, (int)i, __ATOMIC_RELAXED); /* posting threads read it */
    return 0;
}

/* Free l's id. */
void tt__ledger_remove(tt_catalyst *cat, tt__liquid *l)
{
    if (l->id >= 0 && (size_t)l->id < cat->n_ledger && cat->ledger[l->id] == l) {
        cat->ledger[l->id] = NULL;
        free_ids_push(cat, l->id);
    }
    __atomic_store_n(&l->id, -1, __ATOMIC_RELAXED); /* posting threads read it */
}

/* Append l to base's infusions. */
int tt__infusion_add(tt_tonic *base, tt__liquid *l)
{
    l->inf_slot = base->n_infusions;
    return TT__PUSH(base->infusions, base->n_infusions, base->cap_infusions, l);
}

/* Remove l from base's infusions: its slot becomes NULL, and the list is
 * compacted (order kept) once half of it is empty, so removing costs O(1)
 * amortised wherever l sits. */
void tt__infusion_remove(tt_tonic *base, tt__liquid *l)
{
    size_t i = l->inf_slot;
    if (i >= base->n_infusions || base->infusions[i] != l)
        return;
    base->infusions[i] = NULL;
    base->n_left++;
    while (base->n_infusions && !base->infusions[base->n_infusions - 1]) {
        base->n_infusions--;
        base->n_left--;
    }
    if (base->n_left * 2 < base->n_infusions)
        return;
    size_t k = 0;
    for (size_t j = 0; j < base->n_infusions; j++)
        if (base->infusions[j]) {
            base->infusions[j]->inf_slot = k;
            base->infusions[k++] = base->infusions[j];
        }
    base->n_infusions = k;
    base->n_left = 0;
}

/* "<ID[01]B[00] Class name>", as Python's str() of a tonic. */
void tt__liquid_str(const tt__liquid *l, char *buf, size_t size)
{
    const char *cls = l->kind == TT__K_TONIC ? ((const tt_tonic *)l)->k->def->name
                                             : tt__timer_class_name((const tt_timer *)l);
    snprintf(buf, size, "<ID[%02d]B[%02d] %s %s>", l->id, l->base ? l->base->l.id : -1, cls,
             l->name);
}

/* Make t the tonic found by its name (the newest of that name wins).  If
 * memory runs out, lookups fall back to a scan. */
static void index_name(tt_catalyst *cat, tt_tonic *t)
{
    pthread_mutex_lock(&cat->names.lock); /* other threads look names up */
    int64_t id = tt__intern(&cat->names, t->l.name);
    pthread_mutex_unlock(&cat->names.lock);
    if (id < 0) {
        cat->by_name_incomplete = true;
        return;
    }
    if ((size_t)id >= cat->n_by_name) {
        size_t n = cat->names.cap > (size_t)id ? cat->names.cap : (size_t)id + 1;
        tt_tonic **p = realloc(cat->by_name, n * sizeof *p);
        if (!p) {
            cat->by_name_incomplete = true;
            return;
        }
        memset(p + cat->n_by_name, 0, (n - cat->n_by_name) * sizeof *p);
        cat->by_name = p;
        cat->n_by_name = n;
    }
    cat->by_name[id] = t;
}

/* Create a tonic (the catalyst too); queue its start-up orders. */
tt_tonic *tt__tonic_create(tt_catalyst *cat, tt__klass *k, const char *name, void *arg,
                           bool is_catalyst)
{
    tt_tonic *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cat = cat;
    t->k = k;
    t->state = -1;
    t->is_catalyst = is_catalyst;
    t->l.kind = TT__K_TONIC;
    if (k->def->data_size && !(t->data = calloc(1, k->def->data_size))) {
        free(t);
        return NULL;
    }
    if (tt__ledger_add(cat, &t->l) < 0)
        goto fail;
    if (name) {
        t->l.name = tt__strdup(name);
    } else {
        char buf[256];
        snprintf(buf, sizeof buf, "%02d.%s", t->l.id, k->def->name);
        t->l.name = tt__strdup(buf);
    }
    if (!t->l.name)
        goto fail_ledger;
    t->l.serial = (uint32_t)cat->n_tonics;
    if (TT__PUSH(cat->tonics, cat->n_tonics, cat->cap_tonics, t) < 0)
        goto fail_ledger;
    index_name(cat, t);

    if (!is_catalyst) {
        tt__liquid *b = cat->frame.obj;
        tt_tonic *base = b && b->kind == TT__K_TONIC ? (tt_tonic *)b : cat->self;
        t->l.base = base;
        tt__infusion_add(base, &t->l);
    }

    tt__frame saved = cat->frame;
    cat->frame = (tt__frame){&t->l, TT_N_INIT, t->l.id, saved.cause};
    if (!is_catalyst) {
        tt_value v = TT_INT(t->l.id);
        tt__post(cat->self, TT_N_ADD_TONIC, &v, 1, &cat->frame);
    }
    tt__post(t, TT_N_ON_START_SYS, NULL, 0, &cat->frame);
    tt__post(t, TT_N_ON_START, NULL, 0, &cat->frame);
    if (k->def->init)
        k->def->init(t, arg);
    cat->frame = saved;
    return t;

fail_ledger:
    tt__ledger_remove(cat, &t->l);
fail:
    free(t->l.name);
    free(t->data);
    free(t);
    return NULL;
}

/* The class's destroy, run under the guard. */
static void call_destroy(void *ud)
{
    tt_tonic *t = ud;
    t->k->def->destroy(t);
}

/* Run the class's destroy once, under the guard. */
int tt__tonic_destroy(tt_tonic *t)
{
    if (t->destroyed || !t->k || !t->k->def->destroy)
        return 0;
    t->destroyed = true;
    return tt__guard(t->cat, call_destroy, t);
}

/* Free a tonic's memory (catalyst teardown). */
void tt__tonic_free(tt_tonic *t)
{
    /* at teardown nobody hears a crash: containing it is all (callers that
     * want to hear it run tt_catalyst_destroy_tonics first) */
    if (tt__tonic_destroy(t) != 0)
        t->cat->tainted = true;
    free(t->infusions);
    free(t->l.name);
    free(t->data);
    free(t);
}

/* Create a tonic of class cls. */
static tt_tonic *tonic_new(tt_catalyst *cat, const tt_class *cls, const char *name,
                           void *init_arg)
{
    if (!cat || !cls) {
        if (cat)
            tt__err(cat, -TT_EINVAL, "no class given");
        return NULL;
    }
    if (cat->finished) {
        tt__err(cat, -TT_ECATFINISHED, "cannot create %s: the catalyst has finished",
                name ? name : cls->name);
        return NULL;
    }
    tt__klass *k = tt__klass_get(cat, cls, false);
    if (!k)
        return NULL;
    tt_tonic *t = tt__tonic_create(cat, k, name, init_arg, false);
    if (!t)
        tt__err(cat, -TT_ENOMEM, "out of memory creating a %s", cls->name);
    return t;
}

/* Create a tonic; a failure inside a sparkle is noted on its entry. */
tt_tonic *tt_tonic_new(tt_catalyst *cat, const tt_class *cls, const char *name, void *init_arg)
{
    tt_tonic *t = tonic_new(cat, cls, name, init_arg);
    if (!t && cat)
        tt__note_sparkle(cat, true, "tt_tonic_new: %s", tt__errmsg(cat));
    return t;
}

void *tt_data(tt_tonic *t) { return t ? t->data : NULL; }
tt_catalyst *tt_tonic_catalyst(const tt_tonic *t) { return t ? t->cat : NULL; }
const char *tt_tonic_name(const tt_tonic *t) { return t ? t->l.name : NULL; }
const char *tt_tonic_class_name(const tt_tonic *t) { return t ? t->k->def->name : NULL; }
int tt_tonic_id(const tt_tonic *t) { return t ? t->l.id : -1; }
uint32_t tt_tonic_serial(const tt_tonic *t) { return t ? t->l.serial : 0; }
tt_tonic *tt_tonic_base(const tt_tonic *t) { return t ? t->l.base : NULL; }
bool tt_tonic_base_known(const tt_tonic *t) { return t && !t->l.base_unknown; }
bool tt_tonic_finishing(const tt_tonic *t) { return t && t->finishing; }
int tt_tonic_state(const tt_tonic *t) { return t ? t->state : -1; }
size_t tt_tonic_state_count(const tt_tonic *t) { return t ? t->k->n_states : 0; }

/* Number of tonic infusions (timers are not counted). */
size_t tt_tonic_infusion_count(const tt_tonic *t)
{
    size_t n = 0;
    for (size_t i = 0; t && i < t->n_infusions; i++)
        n += t->infusions[i] && t->infusions[i]->kind == TT__K_TONIC;
    return n;
}

/* The i-th tonic infusion. */
tt_tonic *tt_tonic_infusion(const tt_tonic *t, size_t i)
{
    for (size_t j = 0; t && j < t->n_infusions; j++)
        if (t->infusions[j] && t->infusions[j]->kind == TT__K_TONIC && i-- == 0)
            return (tt_tonic *)t->infusions[j];
    return NULL;
}

/* State name by index ("--" for -1). */
const char *tt_tonic_state_at(const tt_tonic *t, int index)
{
    if (!t)
        return NULL;
    if (index == -1)
        return "--";
    if (index < 0 || (size_t)index >= t->k->n_states)
        return NULL;
    return t->k->states[index];
}

const char *tt_tonic_state_name(const tt_tonic *t)
{
    return t ? tt_tonic_state_at(t, t->state) : NULL;
}

/* Index of a state name (binary search: states are sorted). */
int tt_tonic_state_index(const tt_tonic *t, const char *state)
{
    if (!t || !state)
        return -TT_EINVAL;
    return tt__klass_state(t->k, state);
}

/* Index of state in k's sorted states, or -TT_ENOSTATE. */
int tt__klass_state(const tt__klass *k, const char *state)
{
    size_t lo = 0, hi = k->n_states;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(k->states[mid], state);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -TT_ENOSTATE;
}

/* Public sparkles exclude the _ttinternal extras. */
static bool public_sparkle(const tt_tonic *t, size_t i)
{
    return strncmp(t->cat->names.str[t->k->sparkles[i].name], "_ttinternal", 11) != 0;
}

size_t tt_tonic_sparkle_count(const tt_tonic *t)
{
    size_t n = 0;
    for (size_t i = 0; t && i < t->k->n_sparkles; i++)
        n += public_sparkle(t, i);
    return n;
}

const char *tt_tonic_sparkle_at(const tt_tonic *t, size_t i)
{
    for (size_t j = 0; t && j < t->k->n_sparkles; j++)
        if (public_sparkle(t, j) && i-- == 0)
            return t->cat->names.str[t->k->sparkles[j].name];
    return NULL;
}

static const tt__sparkle *find_sparkle(const tt_tonic *t, const char *sparkle)
{
    int64_t id = tt__name_find(&t->cat->names, sparkle);
    return id < 0 ? NULL : tt__klass_sparkle(t->k, (uint32_t)id);
}

/* Parameter types of a sparkle. */
int tt_tonic_sparkle_sig(const tt_tonic *t, const char *sparkle, const tt_type **types, int *min)
{
    if (!t || !sparkle)
        return -TT_EINVAL;
    const tt__sparkle *sp = find_sparkle(t, sparkle);
    if (!sp)
        return -TT_ENOSPARKLE;
    if (types)
        *types = sp->sig; /* lives as long as the catalyst */
    if (min)
        *min = sp->min_args;
    return sp->nargs;
}

/* "ttsc__work(int)" style text. */
int tt_tonic_sparkle_sig_text(const tt_tonic *t, const char *sparkle, char *buf, size_t size)
{
    if (!t || !sparkle || !buf || !size)
        return -TT_EINVAL;
    const tt__sparkle *sp = find_sparkle(t, sparkle);
    if (!sp) {
        snprintf(buf, size, "%s: no such sparkle", sparkle);
        return -TT_ENOSPARKLE;
    }
    size_t n = (size_t)snprintf(buf, size, "%s(", sparkle);
    for (int i = 0; i < sp->nargs && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s%s%s", i ? ", " : "",
                              i >= sp->min_args ? "[" : "", tt_type_name((tt_type)sp->types[i]),
                              i >= sp->min_args ? "]" : "");
    if (n < size)
        snprintf(buf + n, size - n, ")");
    return 0;
}

/* --- probes --------------------------------------------------------- */

static const char *const builtin_probes[] = {"finishing", "infusions", "tonics_sparkling"};

size_t tt_tonic_probe_count(const tt_tonic *t)
{
    return t ? t->k->def->n_probes + (t->is_catalyst ? 3 : 2) : 0;
}

const char *tt_tonic_probe_at(const tt_tonic *t, size_t i)
{
    if (!t || i >= tt_tonic_probe_count(t))
        return NULL;
    if (i < t->k->def->n_probes)
        return t->k->def->probes[i].name;
    return builtin_probes[i - t->k->def->n_probes];
}

/* The slot of probe `name` on t: an index in its class's probe table, a
 * built-in (TT__PROBE_FINISHING...), or TT__PROBE_NONE.  A slot depends only
 * on t's compiled class, so callers resolve a name once per class. */
int tt__probe_slot(const tt_tonic *t, const char *name)
{
    const tt_class *c = t->k->def;
    for (size_t i = 0; i < c->n_probes; i++)
        if (strcmp(c->probes[i].name, name) == 0)
            return (int)i;
    if (strcmp(name, "finishing") == 0)
        return TT__PROBE_FINISHING;
    if (strcmp(name, "infusions") == 0)
        return TT__PROBE_INFUSIONS;
    if (t->is_catalyst && strcmp(name, "tonics_sparkling") == 0)
        return TT__PROBE_TONICS;
    return TT__PROBE_NONE;
}

/* Read t's "infusions" probe: a list of their str(). */
static bool read_infusions(const tt_tonic *t, tt_value *out)
{
    size_t n = t->n_infusions - t->n_left, k = 0;
    tt_value *items = n ? calloc(n, sizeof *items) : NULL;
    for (size_t i = 0; items && i < t->n_infusions; i++) {
        char buf[512];
        if (!t->infusions[i])
            continue;
        tt__liquid_str(t->infusions[i], buf, sizeof buf);
        items[k++] = TT_STR(tt__strdup(buf));
    }
    tt_list *l = malloc(sizeof *l);
    if (!l || (n && !items)) {
        free(l);
        free(items);
        return false;
    }
    l->n = items ? n : 0;
    l->items = items;
    out->type = TT_T_LIST;
    out->u.list = l;
    return true;
}

/* Read the catalyst's "tonics_sparkling" probe: the ids it runs. */
static bool read_tonics_sparkling(const tt_catalyst *cat, tt_value *out)
{
    tt_value *items = cat->n_ts ? calloc(cat->n_ts, sizeof *items) : NULL;
    tt_list *l = malloc(sizeof *l);
    if (!l || (cat->n_ts && !items)) {
        free(l);
        free(items);
        return false;
    }
    for (size_t i = 0, j = 0; i < cat->n_ts_slots; i++)
        if (cat->ts[i] != TT__TS_GONE)
            items[j++] = TT_INT(cat->ts[i]);
    l->n = cat->n_ts;
    l->items = items;
    out->type = TT_T_LIST;
    out->u.list = l;
    return true;
}

/* A probe read that runs app code or follows the app's pointer. */
typedef struct probe_call {
    tt_tonic *t;
    const tt_probe_def *p;
    tt_value *out;
    bool ok;
} probe_call;

static void call_probe(void *ud)
{
    probe_call *pc = ud;
    if (pc->p->kind == TT_PK_FN) {
        pc->ok = pc->p->fn(pc->t, pc->out);
        return;
    }
    const char *s = *(const char *const *)((const char *)pc->t->data + pc->p->offset);
    pc->out->type = TT_T_NONE;
    if (s && !(pc->out->u.s = tt__strdup(s)))
        return;
    pc->out->type = s ? TT_T_STR : TT_T_NONE;
    pc->ok = true;
}

/* Read the probe in `slot` (from tt__probe_slot for t's class) into out, a
 * deep value; false if there is none or memory ran out. */
bool tt__probe_read_slot(tt_tonic *t, int slot, tt_value *out)
{
    *out = TT_NONE;
    if (slot >= 0) {
        const tt_probe_def *p = &t->k->def->probes[slot];
        const char *f = (const char *)t->data + p->offset;
        if (p->kind == TT_PK_FN || p->kind == TT_PK_STR) {
            /* app code, or a pointer the app keeps: contained */
            probe_call pc = {t, p, out, false};
            int why = tt__guard(t->cat, call_probe, &pc);
            if (why == 0 && pc.ok &&
                tt__value_depth(out, TT_VALUE_DEPTH_MAX) > TT_VALUE_DEPTH_MAX) {
                /* built by hand past the bound: walking it (even to free
                 * it) could overflow the stack, so it is left alone */
                snprintf(t->cat->probe_crash, sizeof t->cat->probe_crash,
                         "error: probe %s.%s: its value nests deeper than %d levels",
                         t->l.name, p->name, TT_VALUE_DEPTH_MAX);
                *out = TT_NONE;
                return false;
            }
            if (why == 0)
                return pc.ok;
            char what[300];
            snprintf(what, sizeof what, "probe %s.%s", t->l.name, p->name);
            tt__guard_describe(t->cat, why, what, t->cat->probe_crash,
                               sizeof t->cat->probe_crash);
            t->cat->tainted = true;
            *out = TT_NONE;
            return false;
        }
        switch (p->kind) {
        case TT_PK_INT: *out = TT_INT(*(const int *)f); return true;
        case TT_PK_I64: *out = TT_INT(*(const int64_t *)f); return true;
        case TT_PK_DOUBLE: *out = TT_DOUBLE(*(const double *)f); return true;
        case TT_PK_BOOL: *out = TT_BOOL(*(const bool *)f); return true;
        case TT_PK_STR: {
            const char *s = *(const char *const *)f;
            if (s && !(out->u.s = tt__strdup(s)))
                return false;
            out->type = s ? TT_T_STR : TT_T_NONE;
            return true;
        }
        case TT_PK_TONIC: {
            tt_tonic *r = *(tt_tonic *const *)f;
            *out = r ? TT_TONIC(r) : TT_NONE;
            return true;
        }
        case TT_PK_FN: return p->fn(t, out);
        }
        return false;
    }
    switch (slot) {
    case TT__PROBE_FINISHING: *out = TT_BOOL(t->finishing); return true;
    case TT__PROBE_INFUSIONS: return read_infusions(t, out);
    case TT__PROBE_TONICS: return read_tonics_sparkling(t->cat, out);
    default: return false;
    }
}

/* Read probe `name` of t into out (a deep value). */
bool tt__probe_read(tt_tonic *t, const char *name, tt_value *out)
{
    return tt__probe_read_slot(t, tt__probe_slot(t, name), out);
}

/* Read a probe's current value. */
int tt_tonic_probe_read(tt_tonic *t, const char *probe, tt_value *out)
{
    if (!t || !probe || !out)
        return -TT_EINVAL;
    if (t->destroyed)
        return tt__err(t->cat, -TT_ECATFINISHED,
                       "%s: its class's destroy code has run; its probes are gone",
                       t->l.name);
    t->cat->probe_crash[0] = '\0';
    if (!tt__probe_read(t, probe, out)) {
        if (t->cat->probe_crash[0])
            return tt__err(t->cat, -TT_ECRASHED, "%s", t->cat->probe_crash);
        return tt__err(t->cat, -TT_ENOPROBE, "%s has no probe \"%s\"", t->l.name, probe);
    }
    return 0;
}

/* --- lookup ----------------------------------------------------------- */

tt_tonic *tt_tonic_by_name(tt_catalyst *cat, const char *name)
{
    if (!cat || !name)
        return NULL;
    int64_t id = tt__name_find(&cat->names, name);
    tt_tonic *t = id >= 0 && (size_t)id < cat->n_by_name ? cat->by_name[id] : NULL;
    if (t || !cat->by_name_incomplete)
        return t;
    /* the index missed a tonic (out of memory): scan, newest first, so that
     * a reused name refers to the live tonic */
    for (size_t i = cat->n_tonics; i-- > 0;)
        if (strcmp(cat->tonics[i]->l.name, name) == 0)
            return cat->tonics[i];
    return NULL;
}

tt_tonic *tt_tonic_by_id(tt_catalyst *cat, int id)
{
    if (!cat || id < 0 || (size_t)id >= cat->n_ledger || !cat->ledger[id] ||
        cat->ledger[id]->kind != TT__K_TONIC)
        return NULL;
    return (tt_tonic *)cat->ledger[id];
}

size_t tt_tonic_count(const tt_catalyst *cat) { return cat ? cat->n_tonics : 0; }

tt_tonic *tt_tonic_at(tt_catalyst *cat, size_t serial)
{
    return cat && serial < cat->n_tonics ? cat->tonics[serial] : NULL;
}
