/*
 * introspect.c: what a debugger asks of a tonic beyond reading it: which
 * handler a sparkle has in each state, and the writing of a field probe
 * (`set var` in ttdb).  Both work from the class definition the app gave,
 * on the catalyst's thread, between sparkles.
 */
#include "tt-int.h"

#include <string.h>

/* The compiled sparkle of t named `sparkle`, or NULL. */
static const tt__sparkle *sparkle_of(const tt_tonic *t, const char *sparkle)
{
    int64_t id = tt__name_find(&t->cat->names, sparkle);
    return id < 0 ? NULL : tt__klass_sparkle(t->k, (uint32_t)id);
}

const tt_handler *tt_tonic_handler(const tt_tonic *t, const char *sparkle,
                                  int state)
{
    if (!t || !sparkle || state < -1 || (state >= 0 && (size_t)state >= t->k->n_states))
        return NULL;
    const tt__sparkle *sp = sparkle_of(t, sparkle);
    if (!sp)
        return NULL;
    tt_fn fn = state < 0 ? sp->generic.fn
                         : sp->per_state ? sp->per_state[state].fn : NULL;
    if (!fn)
        return NULL;
    const tt_class *c = t->k->def;
    for (size_t i = 0; i < c->n_handlers; i++)
        if (c->handlers[i].fn == fn)
            return &c->handlers[i];
    return NULL;
}

bool tt_tonic_sparkle_builtin(const tt_tonic *t, const char *sparkle)
{
    const tt__sparkle *sp = t && sparkle ? sparkle_of(t, sparkle) : NULL;
    return sp && sp->builtin;
}

/* The probe definition named `probe` of t's class, or NULL. */
static const tt_probe_def *probe_def(const tt_tonic *t, const char *probe)
{
    const tt_class *c = t->k->def;
    for (size_t i = 0; i < c->n_probes; i++)
        if (strcmp(c->probes[i].name, probe) == 0)
            return &c->probes[i];
    return NULL;
}

int tt_tonic_probe_field_type(const tt_tonic *t, const char *probe,
                              tt_type *type)
{
    if (!t || !probe)
        return -TT_EINVAL;
    const tt_probe_def *p = probe_def(t, probe);
    if (!p) {
        for (size_t i = 0; i < tt_tonic_probe_count(t); i++)
            if (strcmp(tt_tonic_probe_at(t, i), probe) == 0)
                return -TT_EINVAL; /* a built-in: read only */
        return -TT_ENOPROBE;
    }
    tt_type ty;
    switch (p->kind) {
    case TT_PK_INT:
    case TT_PK_I64: ty = TT_T_INT; break;
    case TT_PK_DOUBLE: ty = TT_T_DOUBLE; break;
    case TT_PK_BOOL: ty = TT_T_BOOL; break;
    case TT_PK_STR: ty = TT_T_STR; break;
    case TT_PK_TONIC: ty = TT_T_TONIC; break;
    default: return -TT_EINVAL; /* computed by a callback */
    }
    if (type)
        *type = ty;
    return 0;
}

int tt_tonic_probe_write(tt_tonic *t, const char *probe, const tt_value *v)
{
    if (t && t->destroyed)
        return tt__err(t->cat, -TT_ECATFINISHED,
                       "%s: its class's destroy code has run; its probes are gone",
                       t->l.name);
    tt_type ty;
    int rc = tt_tonic_probe_field_type(t, probe, &ty);
    if (rc < 0)
        return rc;
    if (!v)
        return -TT_EINVAL;
    const tt_probe_def *p = probe_def(t, probe);
    char *f = (char *)t->data + p->offset;
    switch (p->kind) {
    case TT_PK_INT:
    case TT_PK_I64:
        if (v->type != TT_T_INT)
            return -TT_EARGTYPE;
        if (p->kind == TT_PK_INT) {
            if (v->u.i < INT32_MIN || v->u.i > INT32_MAX)
                return -TT_ERANGE;
            *(int *)f = (int)v->u.i;
        } else {
            *(int64_t *)f = v->u.i;
        }
        return 0;
    case TT_PK_DOUBLE:
        if (v->type != TT_T_DOUBLE && v->type != TT_T_INT)
            return -TT_EARGTYPE;
        *(double *)f = v->type == TT_T_INT ? (double)v->u.i : v->u.d;
        return 0;
    case TT_PK_BOOL:
        if (v->type != TT_T_BOOL)
            return -TT_EARGTYPE;
        *(bool *)f = v->u.b;
        return 0;
    case TT_PK_TONIC:
        if (v->type != TT_T_TONIC && v->type != TT_T_NONE)
            return -TT_EARGTYPE;
        *(tt_tonic **)f = v->type == TT_T_TONIC ? v->u.tonic : NULL;
        return 0;
    default:
        /* a char * field: the app owns its memory, the library cannot
         * replace it safely */
        return -TT_EINVAL;
    }
}
