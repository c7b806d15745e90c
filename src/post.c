/*
 * post.c: queuing sparkles.
 *
 * Calling a sparkle never runs it: it appends a work order (tonic, sparkle,
 * args, source) to the catalyst's queue.  The source is the sparkle running on
 * the catalyst's thread (the "frame"), or external [null, "", -1].  Orders from
 * other threads go to a locked inbox that the catalyst moves to its queue at
 * the top of each loop pass, so each thread's order is kept.  State changes
 * append *extra* sparkles that run right after the current order.
 */
#include "tt-int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Encode a frame as the source fields of an order. */
void tt__frame_to_src(const tt__frame *f, tt__order *o)
{
    o->src_sparkle = f->sparkle;
    o->cause = f->cause;
    if (!f->obj) {
        o->src_obj = TT_SRC_NONE;
        o->src_id = -1;
        return;
    }
    o->src_obj = f->obj->kind == TT__K_TIMER ? (TT_SRC_TIMER | f->obj->serial) : f->obj->serial;
    o->src_id = f->id;
}

/* Undo a copy_args that failed after `done` values: free them and the array. */
static int copy_failed(tt__order *o, size_t done, int rc)
{
    tt_value *heap = o->nargs > TT__INLINE_ARGS ? o->args : NULL;
    o->nargs = (uint16_t)done;
    tt__order_clear(o);
    if (done <= TT__INLINE_ARGS)
        free(heap); /* tt__order_clear frees it only for more than inline */
    return rc;
}

/* Copy args into the order (strings duplicated). */
static int copy_args(tt__order *o, const tt_value *args, size_t nargs)
{
    o->nargs = (uint16_t)nargs;
    bool owns = nargs > TT__INLINE_ARGS;
    for (size_t i = 0; i < nargs; i++)
        owns |= args[i].type == TT_T_STR || args[i].type == TT_T_LIST || args[i].type == TT_T_MAP;
    if (owns)
        o->flags |= TT__OF_OWNS;
    if (nargs <= TT__INLINE_ARGS) {
        o->args = o->inl;
    } else if (!(o->args = malloc(nargs * sizeof *o->args))) {
        o->nargs = 0;
        o->args = o->inl;
        return -TT_ENOMEM;
    }
    for (size_t i = 0; i < nargs; i++) {
        if (args[i].type == TT_T_STR && args[i].u.s) {
            o->args[i].type = TT_T_STR;
            if (!(o->args[i].u.s = tt__strdup(args[i].u.s)))
                return copy_failed(o, i, -TT_ENOMEM);
        } else if (args[i].type == TT_T_LIST || args[i].type == TT_T_MAP) {
            int rc = tt_value_copy(&o->args[i], &args[i]);
            if (rc < 0)
                return copy_failed(o, i, rc);
        } else {
            o->args[i] = args[i];
        }
    }
    return 0;
}

/* Queue an order on the catalyst (from its thread) or its inbox.  The inbox
 * is bounded: wait up to TT_POST_WAIT seconds for room, then -TT_EAGAIN;
 * -TT_ECATFINISHED once a stop was requested (see TT_INBOX_MAX). */
static int enqueue(tt_catalyst *cat, tt__order *o, bool on_thread)
{
    if (TT__LIKELY(on_thread))
        return tt__queue_push(&cat->queue, o);
    int rc = 0;
    bool timed = false;
    struct timespec until;
    pthread_mutex_lock(&cat->inbox_lock);
    while (!atomic_load(&cat->stopping) && cat->n_inbox - cat->inbox_head >= TT_INBOX_MAX) {
        if (!timed) {
            double t = tt__wall() + TT_POST_WAIT;
            until = (struct timespec){(time_t)t, (long)((t - (double)(time_t)t) * 1e9)};
            timed = true;
        }
        if (pthread_cond_timedwait(&cat->inbox_room, &cat->inbox_lock, &until) == ETIMEDOUT)
            break;
    }
    if (atomic_load(&cat->stopping))
        rc = -TT_ECATFINISHED;
    else if (cat->n_inbox - cat->inbox_head >= TT_INBOX_MAX)
        rc = -TT_EAGAIN;
    else
        rc = TT__PUSH(cat->inbox, cat->n_inbox, cat->cap_inbox, *o);
    if (rc == 0) {
        if (o->nargs <= TT__INLINE_ARGS)
            cat->inbox[cat->n_inbox - 1].args = cat->inbox[cat->n_inbox - 1].inl;
        atomic_store(&cat->inbox_flag, 1);
        pthread_cond_signal(&cat->inbox_cond);
    }
    pthread_mutex_unlock(&cat->inbox_lock);
    if (rc != -TT_ECATFINISHED && rc != -TT_EAGAIN)
        return rc;
    char what[300];
    pthread_mutex_lock(&cat->names.lock); /* the catalyst's thread may intern */
    snprintf(what, sizeof what, "%s.%s", o->tonic->l.name, cat->names.str[o->sparkle]);
    pthread_mutex_unlock(&cat->names.lock);
    if (rc == -TT_ECATFINISHED)
        return tt__err(cat, rc, "cannot queue %s: the catalyst is stopping", what);
    return tt__err(cat, rc,
                   "cannot queue %s: the catalyst's inbox is full (%d orders) and stayed "
                   "full for %gs; try again later",
                   what, TT_INBOX_MAX, TT_POST_WAIT);
}

/* Queue an order with an explicit source, unchecked (runtime use). */
int tt__post(tt_tonic *target, uint32_t sparkle, const tt_value *args, size_t nargs,
             const tt__frame *src)
{
    tt__order o;
    o.tonic = target;
    o.sp = NULL;
    o.sparkle = sparkle;
    o.flags = 0;
    tt__frame_to_src(src, &o);
    int rc = copy_args(&o, args, nargs);
    if (rc < 0)
        return rc;
    rc = enqueue(target->cat, &o, tt__on_catalyst_thread(target->cat));
    if (rc < 0)
        tt__order_clear(&o);
    return rc;
}

/* Append an extra sparkle to the current drain. */
int tt__post_extra(tt_tonic *target, uint32_t sparkle, const tt_value *args, size_t nargs)
{
    tt_catalyst *cat = target->cat;
    tt__order o;
    o.tonic = target;
    o.sp = NULL;
    o.sparkle = sparkle;
    o.flags = TT_EF_EXTRA;
    o.src_obj = cat->drain_src.obj;
    o.src_sparkle = cat->drain_src.sparkle;
    o.src_id = cat->drain_src.id;
    /* the source is the drained order's, the cause the transition's entry */
    o.cause = cat->frame.cause;
    int rc = copy_args(&o, args, nargs);
    if (rc < 0)
        return rc;
    rc = TT__PUSH(cat->extras, cat->n_extras, cat->cap_extras, o);
    if (rc < 0) {
        tt__order_clear(&o);
        return rc;
    }
    tt__order *slot = &cat->extras[cat->n_extras - 1];
    if (slot->nargs <= TT__INLINE_ARGS)
        slot->args = slot->inl;
    return 0;
}

/* The sparkle's name, and its signature text into sig, read under the names
 * lock: posting threads get here while the catalyst's thread may intern. */
static const char *sig_of(tt_catalyst *cat, tt_tonic *target, const tt__sparkle *sp,
                          char *sig, size_t size)
{
    pthread_mutex_lock(&cat->names.lock);
    const char *name = cat->names.str[sp->name];
    tt_tonic_sparkle_sig_text(target, name, sig, size);
    pthread_mutex_unlock(&cat->names.lock);
    return name;
}

/* Check args against a sparkle's signature; converts ints to doubles and
 * timers to timer info in the copy `out`. */
static int check_args(tt_catalyst *cat, tt_tonic *target, const tt__sparkle *sp,
                      const tt_value *args, size_t nargs, tt_value *out)
{
    if (nargs < sp->min_args || nargs > sp->nargs) {
        char sig[256];
        const char *name = sig_of(cat, target, sp, sig, sizeof sig);
        return tt__err(cat, -TT_EARGCOUNT, "%s.%s takes %s%u argument%s, got %zu: %s",
                       target->l.name, name, sp->min_args < sp->nargs ? "at most " : "",
                       sp->nargs, sp->nargs == 1 ? "" : "s", nargs, sig);
    }
    for (size_t i = 0; i < nargs; i++) {
        tt_type want = (tt_type)sp->types[i], got = args[i].type;
        out[i] = args[i];
        if (got == want)
            continue;
        if (want == TT_T_DOUBLE && got == TT_T_INT) {
            out[i].type = TT_T_DOUBLE;
            out[i].u.d = (double)args[i].u.i;
            continue;
        }
        if (want == TT_T_TIMERINFO && got == TT_T_TIMER) {
            out[i].type = TT_T_TIMERINFO;
            continue;
        }
        if (got == TT_T_NONE &&
            (want == TT_T_TONIC || want == TT_T_TIMER || want == TT_T_STR || want == TT_T_PTR ||
             want == TT_T_TIMERINFO)) {
            out[i].type = want;
            out[i].u.p = NULL;
            continue;
        }
        char sig[256];
        const char *name = sig_of(cat, target, sp, sig, sizeof sig);
        return tt__err(cat, -TT_EARGTYPE, "%s.%s argument %zu: expected %s, got %s: %s",
                       target->l.name, name, i + 1, tt_type_name(want), tt_type_name(got), sig);
    }
    return 0;
}

/* The cache slot of a caller's sparkle-name string. */
#define NAME_SLOT(cat, s) (((uintptr_t)(s) >> 3) & (TT_COUNTOF((cat)->name_cache) - 1))

/* The sparkle id of a name posted on the catalyst's thread, from the cache
 * of caller strings, or -1. */
static inline int64_t cached_name(tt_catalyst *cat, const char *sparkle)
{
    /* a hit still compares the text (the caller's buffer may have changed)
     * unless the name is a literal of a module the catalyst's classes need */
    size_t slot = NAME_SLOT(cat, sparkle);
    if (cat->name_cache[slot].ptr == sparkle &&
        (cat->name_cache[slot].lit ||
         strcmp(sparkle, cat->names.str[cat->name_cache[slot].id]) == 0))
        return cat->name_cache[slot].id;
    return -1;
}

/* The sparkle of class k named by a cached caller string, or NULL (not
 * cached, or the class has none). */
static inline const tt__sparkle *cached_sparkle(tt_catalyst *cat, const char *sparkle,
                                                const tt__klass *k)
{
    int64_t id = cached_name(cat, sparkle);
    if (id < 0)
        return NULL;
    size_t slot = NAME_SLOT(cat, sparkle);
    if (cat->name_cache[slot].k != k) {
        cat->name_cache[slot].k = k;
        cat->name_cache[slot].sp = tt__klass_sparkle(k, (uint32_t)id);
    }
    return cat->name_cache[slot].sp;
}

/* The common post, on the catalyst's thread: a cached name, the exact
 * signature in plain values (no strings, lists or maps to duplicate), a live
 * target.  The order is written straight into the queue.  Anything else
 * returns 1 and takes the general path (post_checked), which behaves the
 * same. */
#if TT__ORDER_WORDS
/* post_fast's 8-byte words */
_Static_assert(offsetof(tt__order, nargs) == offsetof(tt__order, sparkle) + 4 &&
                   offsetof(tt__order, flags) == offsetof(tt__order, sparkle) + 6 &&
                   offsetof(tt__order, src_sparkle) == offsetof(tt__order, src_obj) + 4 &&
                   offsetof(tt__order, cause) == offsetof(tt__order, src_id) + 8 &&
                   offsetof(tt__order, src_obj) % 8 == 0 && offsetof(tt__order, src_id) % 8 == 0 &&
                   offsetof(tt_value, u) == 8 && sizeof(tt_type) == 4,
               "tt__order's words");
static inline void store_word(void *p, uint64_t w)
{
    memcpy(p, &w, sizeof w);
}
#endif

static inline int post_fast(tt_catalyst *cat, tt_tonic *target, const char *sparkle,
                            const tt_value *args, size_t nargs)
{
    if (nargs > TT__INLINE_ARGS || __atomic_load_n(&cat->finished, __ATOMIC_RELAXED) ||
        __atomic_load_n(&target->l.id, __ATOMIC_RELAXED) < 0)
        return 1;
    const tt__sparkle *sp = cached_sparkle(cat, sparkle, target->k);
    if (!sp || !sp->fast_post || sp->nargs != nargs)
        return 1;
    for (size_t i = 0; i < nargs; i++)
        if (args[i].type != (tt_type)sp->types[i])
            return 1;
    tt__order *o = tt__queue_push_slot(&cat->queue);
    if (!o)
        return 1; /* the general path says so */
#if TT__ORDER_WORDS
    /* the order in 8-byte words, as the loop reads it back soon after
     * (tt__drain_from reads src_obj and src_sparkle as one): a load of
     * parts of two smaller stores still on their way to the cache waits
     * for them (a store-forwarding stall) */
    const tt__frame *f = &cat->frame;
    uint32_t src_obj = TT_SRC_NONE;
    int32_t src_id = -1;
    if (f->obj) {
        src_obj = f->obj->kind == TT__K_TIMER ? (TT_SRC_TIMER | f->obj->serial) : f->obj->serial;
        src_id = f->id;
    }
    o->tonic = target;
    o->sp = sp;
    store_word(&o->sparkle, sp->name | (uint64_t)nargs << 32); /* flags 0 */
    store_word(&o->src_obj, src_obj | (uint64_t)f->sparkle << 32);
    store_word(&o->src_id, (uint32_t)src_id);
    o->cause = f->cause;
#else
    o->tonic = target;
    o->sp = sp;
    o->sparkle = sp->name;
    o->nargs = (uint16_t)nargs;
    o->flags = 0;
    tt__frame_to_src(&cat->frame, o);
#endif
    o->args = o->inl;
    /* the values read field by field: the caller has most often just
     * written them that way (one 16-byte load would stall as above) */
    for (size_t i = 0; i < nargs; i++) {
#if TT__ORDER_WORDS
        store_word(&o->inl[i].type, (uint32_t)args[i].type);
#else
        o->inl[i].type = args[i].type;
#endif
        o->inl[i].u = args[i].u;
    }
    return 0;
}

/* Resolve the name and check everything a user post must satisfy. */
static int post_checked(tt_tonic *target, const char *sparkle, const tt_value *args,
                        size_t nargs, const char *label)
{
    if (!target || !sparkle || (nargs && !args))
        return -TT_EINVAL;
    tt_catalyst *cat = target->cat;
    bool on_thread = tt__on_catalyst_thread(cat);
    if (__atomic_load_n(&cat->finished, __ATOMIC_RELAXED))
        return tt__err(cat, -TT_ECATFINISHED, "cannot queue %s.%s: the catalyst has finished",
                       target->l.name, sparkle);
    if (nargs > TT_MAX_ARGS)
        return tt__err(cat, -TT_EARGCOUNT, "%s.%s: too many arguments (%zu)", target->l.name,
                       sparkle, nargs);
    int64_t id;
    if (on_thread) {
        if ((id = cached_name(cat, sparkle)) < 0 &&
            (id = tt__name_find(&cat->names, sparkle)) >= 0) {
            size_t slot = NAME_SLOT(cat, sparkle);
            cat->name_cache[slot].ptr = sparkle;
            cat->name_cache[slot].id = (uint32_t)id;
            cat->name_cache[slot].lit = tt__in_module_ro(cat, sparkle);
            cat->name_cache[slot].k = NULL;
        }
    } else {
        pthread_mutex_lock(&cat->names.lock);
        id = tt__name_find(&cat->names, sparkle);
        pthread_mutex_unlock(&cat->names.lock);
    }
    tt__sparkle *sp = id >= 0 ? tt__klass_sparkle(target->k, (uint32_t)id) : NULL;
    if (!sp || sp->name == TT_N_STATE_CHANGE || sp->name == TT_N_MACHINE_STOP) {
        size_t n = target->k->n_sparkles;
        const char *cands[256];
        size_t m = 0;
        pthread_mutex_lock(&cat->names.lock);
        for (size_t i = 0; i < n && m < 256; i++)
            cands[m++] = cat->names.str[target->k->sparkles[i].name];
        pthread_mutex_unlock(&cat->names.lock);
        const char *s = tt_suggest(sparkle, cands, m);
        return tt__err(cat, -TT_ENOSPARKLE, "%s has no sparkle \"%s\"%s%s%s", target->l.name,
                       sparkle, s ? " (did you mean \"" : "", s ? s : "", s ? "\"?)" : "");
    }
    tt_value conv[TT_MAX_ARGS];
    int rc = check_args(cat, target, sp, args, nargs, conv);
    if (rc < 0)
        return rc;
    tt__frame src;
    if (label) {
        /* Adding a name may move the tables the catalyst's thread reads
         * without the lock, so only that thread may add a new label. */
        pthread_mutex_lock(&cat->names.lock);
        int64_t lid = on_thread ? tt__intern(&cat->names, label)
                                : tt__name_find(&cat->names, label);
        pthread_mutex_unlock(&cat->names.lock);
        if (lid < 0 && !on_thread)
            return tt__err(cat, -TT_EINVAL,
                           "source label \"%s\" is new: another thread may only use a label "
                           "the catalyst's thread has used",
                           label);
        if (lid < 0)
            return -TT_ENOMEM;
        src = (tt__frame){NULL, (uint32_t)lid, -1, 0};
    } else if (on_thread) {
        src = cat->frame;
    } else {
        src = (tt__frame){NULL, TT_N_EMPTY, -1, 0};
    }
    tt__order o;
    o.tonic = target;
    o.sp = sp;
    o.sparkle = sp->name;
    o.flags = 0;
    tt__frame_to_src(&src, &o);
    bool plain = true; /* nothing to duplicate: move the converted values */
    for (size_t i = 0; i < nargs; i++)
        plain &= conv[i].type != TT_T_STR && conv[i].type != TT_T_LIST &&
                 conv[i].type != TT_T_MAP;
    if (plain && nargs <= TT__INLINE_ARGS) {
        o.nargs = (uint16_t)nargs;
        o.args = o.inl;
        for (size_t i = 0; i < nargs; i++)
            o.inl[i] = conv[i];
    } else if ((rc = copy_args(&o, conv, nargs)) < 0) {
        return rc;
    }
    /* A dead letter, as in Python: queued, traced with id -1, not run.
     * Judged before queuing: once queued, the order may run at once. */
    bool dead = __atomic_load_n(&target->l.id, __ATOMIC_RELAXED) < 0;
    rc = enqueue(cat, &o, on_thread);
    if (rc < 0) {
        tt__order_clear(&o);
        return rc;
    }
    if (dead) {
        tt__err(cat, -TT_EFINISHED,
                "%s has finished: %s.%s is queued as a dead letter (traced, not run)",
                target->l.name, target->l.name, sparkle);
        return TT_DEAD_LETTER;
    }
    return 0;
}

/* Queue target.sparkle(args) from the current source. */
int tt_post(tt_tonic *target, const char *sparkle, const tt_value *args, size_t nargs)
{
    if (TT__LIKELY(target && sparkle && (args || !nargs) &&
                   tt__on_catalyst_thread(target->cat)) &&
        post_fast(target->cat, target, sparkle, args, nargs) == 0)
        return 0;
    return post_checked(target, sparkle, args, nargs, NULL);
}

/* Queue with an external source labelled `label`. */
int tt_post_from(tt_tonic *target, const char *sparkle, const tt_value *args, size_t nargs,
                 const char *label)
{
    return post_checked(target, sparkle, args, nargs, label ? label : "");
}

/* Append the extras of a change to state idx (-1: stop the machine). */
int tt__to_state_index(tt_tonic *self, int idx, bool force)
{
    if (idx == self->state && !force)
        return 0;
    int rc = 0;
    if (self->state != -1)
        rc = tt__post_extra(self, TT_N_ON_EXIT, NULL, 0);
    if (rc == 0 && idx >= 0) {
        tt_value v = TT_INT(idx);
        rc = tt__post_extra(self, TT_N_STATE_CHANGE, &v, 1);
        if (rc == 0)
            rc = tt__post_extra(self, TT_N_ON_ENTER, NULL, 0);
    } else if (rc == 0) {
        rc = tt__post_extra(self, TT_N_MACHINE_STOP, NULL, 0);
    }
    return rc;
}

static int to_state(tt_tonic *self, const char *state, bool force)
{
    if (!self || !state)
        return -TT_EINVAL;
    int idx = tt_tonic_state_index(self, state);
    if (idx < 0) {
        tt__note_sparkle(self->cat, false, "to_state: no state '%s'", state);
        return tt__err(self->cat, -TT_ENOSTATE, "%s has no state \"%s\"", self->l.name, state);
    }
    return tt__to_state_index(self, idx, force);
}

/* Change state after the current sparkle. */
int tt_to_state(tt_tonic *self, const char *state)
{
    return to_state(self, state, false);
}

/* Change state after the current sparkle, re-entering the current one. */
int tt_to_state_force(tt_tonic *self, const char *state)
{
    return to_state(self, state, true);
}

/* Queue ttsc__finish on the tonic unless it is finishing. */
int tt_finish(tt_tonic *self)
{
    if (!self)
        return -TT_EINVAL;
    if (self->finishing || self->l.id < 0)
        return 0;
    tt_catalyst *cat = self->cat;
    tt__frame src = tt__on_catalyst_thread(cat) ? cat->frame
                                                 : (tt__frame){NULL, TT_N_EMPTY, -1, 0};
    return tt__post(self, TT_N_FINISH, NULL, 0, &src);
}

/* Queue ttsc__finish with the base as source, as the base's finishing would. */
int tt_finish_from_base(tt_tonic *t)
{
    if (!t)
        return -TT_EINVAL;
    if (t->l.id < 0)
        return tt__err(t->cat, -TT_EFINISHED, "%s has finished", t->l.name);
    tt_tonic *base = t->l.base;
    if (!base)
        return tt_finish(t);
    tt__frame src = {&base->l, TT_N_FINISH_LABEL, base->l.id,
                     tt__on_catalyst_thread(t->cat) ? t->cat->frame.cause : 0};
    return tt__post(t, TT_N_FINISH, NULL, 0, &src);
}

/* The tonic whose sparkle runs. */
tt_tonic *tt_current(tt_catalyst *cat)
{
    return cat && cat->in_sparkle ? cat->current : NULL;
}
