/*
 * klass.c: compiling a tonic class.
 *
 * A class definition is a table of handlers named PREFIX[_STATE]__NAME.  The
 * first time a tonic of the class is created in a catalyst, the table is
 * compiled: every name is split into prefix, state and interface name; the
 * states found are sorted (their index is what _ttinternal_state_change_to
 * carries); and each interface sparkle gets a generic handler and a handler per
 * state.  The built-in sparkles every tonic has (lifecycle, to_state, finish)
 * are added by lifecycle.c.
 */
#define _GNU_SOURCE 1 /* qsort_r */
#include "tt-int.h"

#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const prefixes[] = {"_ttss", "_tts", "ttsc", "ttse", "tts"};

/* Split `name` into prefix, state (may be empty) and rest.  Returns false
 * when it does not follow PREFIX[_STATE]__NAME. */
static bool split_name(const char *name, const char **prefix, size_t *plen,
                       const char **state, size_t *slen, const char **rest)
{
    for (size_t i = 0; i < TT_COUNTOF(prefixes); i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(name, prefixes[i], n) != 0 || name[n] != '_')
            continue;
        const char *p = name + n;
        *prefix = name;
        *plen = n;
        if (p[1] == '_') { /* PREFIX__NAME */
            *state = p;
            *slen = 0;
            *rest = p + 2;
        } else { /* PREFIX_STATE__NAME */
            const char *sep = strstr(p + 1, "__");
            if (!sep)
                return false;
            *state = p + 1;
            *slen = (size_t)(sep - (p + 1));
            *rest = sep + 2;
        }
        if (**rest == '\0')
            return false;
        for (const char *c = name; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '_'))
                return false;
        return true;
    }
    return false;
}

/* Is this interface owned by the runtime (a user may not define it)? */
static bool reserved(const char *iface)
{
    return strncmp(iface, "_ttss__", 7) == 0 || strncmp(iface, "_ttinternal", 11) == 0 ||
           strcmp(iface, "ttsc__finish") == 0 || strcmp(iface, "ttsc__to_state") == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The bytes a field probe reads from the tonic's data; 0 for a bad kind. */
static size_t probe_field_size(tt_probe_kind kind)
{
    switch (kind) {
    case TT_PK_INT: return sizeof(int);
    case TT_PK_I64: return sizeof(int64_t);
    case TT_PK_DOUBLE: return sizeof(double);
    case TT_PK_BOOL: return sizeof(bool);
    case TT_PK_STR: return sizeof(char *);
    case TT_PK_TONIC: return sizeof(tt_tonic *);
    case TT_PK_FN: return 0;
    }
    return 0;
}

/* Check one class table: names, duplicates and types.  Fills err. */
int tt_class_check(const tt_class *cls, tt_error *err)
{
    if (!cls || !cls->name)
        return tt__seterr(err, -TT_EINVAL, "class without a name");
    if (cls->n_handlers && !cls->handlers)
        return tt__seterr(err, -TT_EINVAL, "class %s: handlers is NULL", cls->name);
    for (size_t i = 0; i < cls->n_handlers; i++) {
        const tt_handler *h = &cls->handlers[i];
        const char *pre, *st, *rest;
        size_t pl, sl;
        if (!h->name || !h->fn)
            return tt__seterr(err, -TT_EINVAL, "class %s: handler %zu has no name or function",
                              cls->name, i);
        /* control bytes, or bytes UTF-8 never has: not a name but, most
         * likely, a handler table read with the wrong layout */
        for (const unsigned char *c = (const unsigned char *)h->name;
             *c && c - (const unsigned char *)h->name <= 200; c++)
            if (*c < 0x20 || *c == 0x7f || *c == 0xc0 || *c == 0xc1 || *c >= 0xf5)
                return tt__seterr(err, -TT_EBADNAME,
                                  "class %s: handler %zu has a name that is not text: was "
                                  "the module built against another tasktonic.h? Rebuild it",
                                  cls->name, i);
        if (strlen(h->name) > 200)
            return tt__seterr(err, -TT_EBADNAME, "class %s: handler name \"%.40s...\" is longer "
                              "than 200 characters", cls->name, h->name);
        if (!split_name(h->name, &pre, &pl, &st, &sl, &rest))
            return tt__seterr(err, -TT_EBADNAME,
                              "class %s: handler \"%s\" does not follow PREFIX[_STATE]__NAME "
                              "(PREFIX one of ttsc, ttse, tts, _tts, _ttss)",
                              cls->name, h->name);
        char iface[256];
        snprintf(iface, sizeof iface, "%.*s__%s", (int)pl, pre, rest);
        if (reserved(iface))
            return tt__seterr(err, -TT_EBADNAME,
                              "class %s: handler \"%s\" defines %s, which the runtime owns",
                              cls->name, h->name, iface);
        static const char *const hooks[] = {"ttse__on_start", "ttse__on_enter", "ttse__on_exit",
                                            "ttse__on_finished"};
        for (size_t k = 0; k < TT_COUNTOF(hooks); k++)
            if (strcmp(iface, hooks[k]) == 0 && h->nargs != 0)
                return tt__seterr(err, -TT_ESIGMISMATCH,
                                  "class %s: handler \"%s\" must take no parameters: the runtime "
                                  "calls %s without arguments",
                                  cls->name, h->name, hooks[k]);
        if (h->nargs > TT_MAX_ARGS)
            return tt__seterr(err, -TT_EBADTYPE, "class %s: handler \"%s\" has %u parameters (at most %d)",
                              cls->name, h->name, h->nargs, TT_MAX_ARGS);
        for (unsigned a = 0; a < h->nargs; a++)
            if (h->types[a] < TT_T_INT || h->types[a] > TT_T_PTR)
                return tt__seterr(err, -TT_EBADTYPE,
                                  "class %s: handler \"%s\" parameter %u has type %s, which a "
                                  "sparkle cannot carry",
                                  cls->name, h->name, a + 1, tt_type_name((tt_type)h->types[a]));
        for (size_t j = 0; j < i; j++) {
            const tt_handler *o = &cls->handlers[j];
            const char *pre2, *st2, *rest2;
            size_t pl2, sl2;
            if (!split_name(o->name, &pre2, &pl2, &st2, &sl2, &rest2))
                continue;
            bool same_iface = pl == pl2 && strncmp(pre, pre2, pl) == 0 && strcmp(rest, rest2) == 0;
            if (!same_iface)
                continue;
            if (sl == sl2 && strncmp(st, st2, sl) == 0)
                return tt__seterr(err, -TT_EDUPHANDLER,
                                  "class %s: two handlers named \"%s\"", cls->name, h->name);
            if (o->nargs != h->nargs || memcmp(o->types, h->types, h->nargs) != 0)
                return tt__seterr(err, -TT_ESIGMISMATCH,
                                  "class %s: handlers \"%s\" and \"%s\" of %s take different "
                                  "parameters",
                                  cls->name, o->name, h->name, iface);
        }
    }
    for (size_t i = 0; i < cls->n_probes; i++) {
        const tt_probe_def *p = &cls->probes[i];
        if (!p->name || (p->kind == TT_PK_FN && !p->fn))
            return tt__seterr(err, -TT_EINVAL, "class %s: probe %zu is incomplete", cls->name, i);
        size_t size = probe_field_size(p->kind);
        if (p->kind != TT_PK_FN &&
            (size == 0 || p->offset > cls->data_size || cls->data_size - p->offset < size))
            return tt__seterr(err, -TT_EINVAL,
                              "class %s: probe \"%s\" reads %zu bytes at offset %zu, past the "
                              "%zu bytes of the class's data (data_size)",
                              cls->name, p->name, size, p->offset, cls->data_size);
    }
    if (err)
        err->code = 0;
    return 0;
}

/* Find or add an interface sparkle while compiling. */
static tt__sparkle *add_sparkle(tt__sparkle **arr, size_t *n, size_t *cap, uint32_t name)
{
    for (size_t i = 0; i < *n; i++)
        if ((*arr)[i].name == name)
            return &(*arr)[i];
    if (tt__grow((void **)arr, cap, *n + 1, sizeof **arr) < 0)
        return NULL;
    tt__sparkle *s = &(*arr)[(*n)++];
    memset(s, 0, sizeof *s);
    s->name = name;
    return s;
}

static int cmp_sparkle(const void *a, const void *b, void *cat_)
{
    const tt__sparkle *x = a, *y = b;
    const tt_catalyst *cat = cat_;
    return strcmp(cat->names.str[x->name], cat->names.str[y->name]);
}

static void klass_free(tt__klass *k)
{
    for (size_t i = 0; i < k->n_sparkles; i++) {
        tt__sparkle *s = &k->sparkles[i];
        tt__impl_release(&s->generic);
        if (s->per_state)
            for (size_t j = 0; j < k->n_states; j++)
                tt__impl_release(&s->per_state[j]);
        free(s->per_state);
    }
    for (size_t i = 0; i < k->n_states; i++)
        free(k->states[i]);
    free(k->states);
    free(k->sparkles);
    free(k->map_key);
    free(k->map_val);
    free(k);
}

/* Compile def. */
static tt__klass *compile(tt_catalyst *cat, const tt_class *def, bool is_catalyst)
{
    tt_error err;
    if (tt_class_check(def, &err) < 0) {
        tt__err(cat, err.code, "%s", err.msg);
        return NULL;
    }
    tt__klass *k = calloc(1, sizeof *k);
    if (!k)
        goto nomem;
    k->def = def;
    k->is_catalyst = is_catalyst;
    size_t cap_states = 0, cap_sp = 0;

    /* states */
    for (size_t i = 0; i < def->n_handlers; i++) {
        const char *pre, *st, *rest;
        size_t pl, sl;
        split_name(def->handlers[i].name, &pre, &pl, &st, &sl, &rest);
        if (sl == 0)
            continue;
        bool seen = false;
        for (size_t j = 0; j < k->n_states && !seen; j++)
            seen = strlen(k->states[j]) == sl && strncmp(k->states[j], st, sl) == 0;
        if (seen)
            continue;
        if (tt__grow((void **)&k->states, &cap_states, k->n_states + 1, sizeof *k->states) < 0)
            goto nomem;
        k->states[k->n_states] = strndup(st, sl);
        if (!k->states[k->n_states++])
            goto nomem;
    }
    if (k->n_states)
        qsort(k->states, k->n_states, sizeof *k->states, cmp_str);

    /* user handlers */
    for (size_t i = 0; i < def->n_handlers; i++) {
        const tt_handler *h = &def->handlers[i];
        const char *pre, *st, *rest;
        size_t pl, sl;
        split_name(h->name, &pre, &pl, &st, &sl, &rest);
        char iface[256];
        snprintf(iface, sizeof iface, "%.*s__%s", (int)pl, pre, rest);
        pthread_mutex_lock(&cat->names.lock); /* other threads look names up */
        int64_t id = tt__intern(&cat->names, iface);
        pthread_mutex_unlock(&cat->names.lock);
        if (id < 0)
            goto nomem;
        tt__sparkle *s = add_sparkle(&k->sparkles, &k->n_sparkles, &cap_sp, (uint32_t)id);
        if (!s)
            goto nomem;
        s->user = true;
        s->nargs = s->min_args = h->nargs;
        memcpy(s->types, h->types, sizeof s->types);
        tt__impl *impl;
        if (sl == 0) {
            impl = &s->generic;
        } else {
            if (!s->per_state && !(s->per_state = calloc(k->n_states, sizeof *s->per_state)))
                goto nomem;
            s->state_aware = true;
            size_t j = 0;
            while (!(strlen(k->states[j]) == sl && strncmp(k->states[j], st, sl) == 0))
                j++;
            impl = &s->per_state[j];
        }
        int rc = tt__impl_prepare(impl, h->fn, h->types, h->nargs);
        if (rc < 0) {
            tt__err(cat, rc, "class %s: cannot prepare the call of %s", def->name, h->name);
            klass_free(k);
            return NULL;
        }
    }

    /* the runtime's sparkles, unless the user defined them (ttse__on_* hooks) */
    static const struct {
        uint32_t name;
        uint8_t nargs, min;
        uint8_t types[2];
        bool catalyst_only;
    } sys[] = {
        {TT_N_ON_START_SYS, 0, 0, {0}, false},
        {TT_N_ON_START, 0, 0, {0}, false},
        {TT_N_ON_COMPLETION, 0, 0, {0}, false},
        {TT_N_ON_FINISHED_SYS, 0, 0, {0}, false},
        {TT_N_ON_INFUSION_DONE, 1, 1, {TT_T_TONIC}, false},
        {TT_N_ON_BASE_REMOVED, 0, 0, {0}, false},
        {TT_N_FINISH, 0, 0, {0}, false},
        {TT_N_TO_STATE, 2, 1, {TT_T_STR, TT_T_BOOL}, false},
        {TT_N_ON_ENTER, 0, 0, {0}, false},
        {TT_N_ON_EXIT, 0, 0, {0}, false},
        {TT_N_ON_FINISHED, 0, 0, {0}, false},
        {TT_N_STATE_CHANGE, 1, 1, {TT_T_INT}, false},
        {TT_N_MACHINE_STOP, 0, 0, {0}, false},
        {TT_N_ADD_TONIC, 1, 1, {TT_T_INT}, true},
        {TT_N_REMOVE_TONIC, 1, 1, {TT_T_INT}, true},
        {TT_N_MAIN_FINISHED, 0, 0, {0}, true},
    };
    for (size_t i = 0; i < TT_COUNTOF(sys); i++) {
        if (sys[i].catalyst_only && !is_catalyst)
            continue;
        tt__sparkle *s = add_sparkle(&k->sparkles, &k->n_sparkles, &cap_sp, sys[i].name);
        if (!s)
            goto nomem;
        if (s->user) {
            if (s->nargs != sys[i].nargs) {
                tt__err(cat, -TT_ESIGMISMATCH,
                        "class %s: %s takes %u parameters here but the runtime calls it with %u",
                        def->name, cat->names.str[s->name], s->nargs, sys[i].nargs);
                klass_free(k);
                return NULL;
            }
            continue;
        }
        s->nargs = sys[i].nargs;
        s->min_args = sys[i].min;
        memcpy(s->types, sys[i].types, sizeof sys[i].types);
    }
    tt__builtins_bind(k);
    for (size_t i = 0; i < k->n_sparkles; i++) {
        tt__sparkle *s = &k->sparkles[i];
        for (size_t a = 0; a < TT_MAX_ARGS; a++)
            s->sig[a] = (tt_type)s->types[a];
        s->fast_post = s->name != TT_N_STATE_CHANGE && s->name != TT_N_MACHINE_STOP;
        for (size_t a = 0; a < s->nargs; a++)
            s->fast_post &= s->types[a] != TT_T_STR && s->types[a] != TT_T_LIST &&
                            s->types[a] != TT_T_MAP;
    }

    qsort_r(k->sparkles, k->n_sparkles, sizeof *k->sparkles, cmp_sparkle, cat);
    k->map_size = 16;
    while (k->map_size < k->n_sparkles * 2)
        k->map_size *= 2;
    k->map_key = calloc(k->map_size, sizeof *k->map_key);
    k->map_val = calloc(k->map_size, sizeof *k->map_val);
    if (!k->map_key || !k->map_val)
        goto nomem;
    for (size_t i = 0; i < k->n_sparkles; i++) {
        size_t mask = k->map_size - 1, j = (k->sparkles[i].name * 2654435761u) & mask;
        while (k->map_val[j])
            j = (j + 1) & mask;
        k->map_key[j] = k->sparkles[i].name;
        k->map_val[j] = (uint32_t)i + 1;
    }
    return k;

nomem:
    if (k)
        klass_free(k);
    tt__err(cat, -TT_ENOMEM, "out of memory compiling class %s", def->name);
    return NULL;
}

/* The module that holds addr (a class definition): its name and read-only
 * segments, for note_module.  dl_iterate_phdr's callback. */
typedef struct ro_find {
    uintptr_t addr;
    char name[4096];
    size_t n;
    struct {
        uintptr_t lo, hi;
    } seg[16];
} ro_find;

static int ro_cb(struct dl_phdr_info *info, size_t size, void *ud)
{
    (void)size;
    ro_find *f = ud;
    bool in = false;
    for (int i = 0; i < info->dlpi_phnum && !in; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        in = ph->p_type == PT_LOAD && f->addr >= lo && f->addr < lo + ph->p_memsz;
    }
    if (!in)
        return 0;
    snprintf(f->name, sizeof f->name, "%s", info->dlpi_name ? info->dlpi_name : "");
    for (int i = 0; i < info->dlpi_phnum && f->n < TT_COUNTOF(f->seg); i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W))
            continue;
        f->seg[f->n].lo = info->dlpi_addr + ph->p_vaddr;
        f->seg[f->n].hi = f->seg[f->n].lo + ph->p_memsz;
        f->n++;
    }
    return 1;
}

/* Note the read-only segments of the module that holds def in cat->ro, and
 * keep the module loaded until the catalyst is freed (a reference of its
 * own, dropped by tt__klass_free_all): the cache of tt_post trusts a name
 * there by its address, which another module loaded at the same address
 * after a dlclose would reuse.  A module it cannot hold (or no room) is
 * not noted: its names are compared. */
static void note_module(tt_catalyst *cat, const tt_class *def)
{
    ro_find f = {.addr = (uintptr_t)def};
    if (!dl_iterate_phdr(ro_cb, &f) || !f.n)
        return;
    size_t fresh = 0;
    for (size_t i = 0; i < f.n; i++) {
        bool known = false;
        for (size_t j = 0; j < cat->n_ro && !known; j++)
            known = cat->ro[j].lo == f.seg[i].lo && cat->ro[j].hi == f.seg[i].hi;
        if (!known)
            f.seg[fresh++] = f.seg[i];
    }
    if (!fresh || cat->n_ro + fresh > TT_COUNTOF(cat->ro) ||
        cat->n_ro_mods == TT_COUNTOF(cat->ro_mods))
        return;
    /* the main program (no name) is never unloaded */
    void *h = f.name[0] ? dlopen(f.name, RTLD_LAZY | RTLD_NOLOAD) : NULL;
    if (f.name[0] && !h)
        return;
    if (h)
        cat->ro_mods[cat->n_ro_mods++] = h;
    for (size_t i = 0; i < fresh; i++) {
        cat->ro[cat->n_ro].lo = f.seg[i].lo;
        cat->ro[cat->n_ro++].hi = f.seg[i].hi;
    }
}

bool tt__in_module_ro(const tt_catalyst *cat, const void *s)
{
    for (size_t i = 0; i < cat->n_ro; i++)
        if ((uintptr_t)s >= cat->ro[i].lo && (uintptr_t)s < cat->ro[i].hi)
            return true;
    return false;
}

/* The compiled class for def, compiling it on first use. */
tt__klass *tt__klass_get(tt_catalyst *cat, const tt_class *def, bool is_catalyst)
{
    for (tt__klass *k = cat->klasses; k; k = k->next)
        if (k->def == def && k->is_catalyst == is_catalyst)
            return k;
    tt__klass *k = compile(cat, def, is_catalyst);
    if (k) {
        k->next = cat->klasses;
        cat->klasses = k;
        note_module(cat, def);
    }
    return k;
}

/* Free every compiled class of the catalyst. */
void tt__klass_free_all(tt_catalyst *cat)
{
    tt__klass *k = cat->klasses;
    while (k) {
        tt__klass *next = k->next;
        klass_free(k);
        k = next;
    }
    cat->klasses = NULL;
    /* after the classes' destroy code (tt_catalyst_free) */
    while (cat->n_ro_mods)
        dlclose(cat->ro_mods[--cat->n_ro_mods]);
    cat->n_ro = 0;
}
