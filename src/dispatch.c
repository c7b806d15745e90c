/*
 * dispatch.c: running one work order.
 *
 * Late state binding: the handler is chosen when the order runs, from the
 * tonic's state at that moment: `PREFIX_<state>__NAME`, else the generic
 * `PREFIX__NAME`, else nothing (the entry is still traced).  In no state (-1)
 * a state-aware sparkle runs its generic handler if there is one (deliberate
 * difference 1 from Python, which picks the last state's handler; with
 * TT_COMPAT_PYTHON it does as Python, see compat.c).
 *
 * An unregistered tonic runs nothing (a dead letter, flagged dropped); a
 * finishing one runs only the system
 * sparkles of its teardown.  When a trace entry is given, the enter and exit
 * snapshots (state, time, probes) are recorded around the call.
 */
#include "tt-int.h"

#include <stdlib.h>
#include <string.h>

/* What may still run while a tonic is finishing. */
static bool runs_while_finishing(uint32_t name, const char *s)
{
    return name == TT_N_ON_FINISHED || name == TT_N_ON_EXIT || name == TT_N_ON_BASE_COMPLETED ||
           name == TT_N_MACHINE_STOP || strncmp(s, "_ttss", 5) == 0;
}

/* Run the handler of o on its tonic; returns the TT_EF_* flags to record. */
static inline __attribute__((always_inline)) uint16_t
run(tt_catalyst *cat, tt__order *o, const tt_value *args, size_t nargs, bool traced)
{
    tt_tonic *t = o->tonic;
    if (t->l.id < 0)
        return TT_EF_DROPPED; /* a dead letter */
    if (t->finishing && !runs_while_finishing(o->sparkle, cat->names.str[o->sparkle]))
        return TT_EF_IGNORED;
    const tt__sparkle *sp = o->sp ? o->sp : tt__klass_sparkle(t->k, o->sparkle);
    if (!sp)
        return TT_EF_NOHANDLER;

    /* optional trailing parameters get zero values */
    tt_value padded[TT_MAX_ARGS];
    if (nargs < sp->nargs) {
        memset(padded, 0, sizeof padded);
        if (nargs)
            memcpy(padded, args, nargs * sizeof *args);
        for (size_t i = nargs; i < sp->nargs; i++)
            padded[i].type = (tt_type)sp->types[i];
        args = padded;
    }
    if (sp->builtin) {
        sp->builtin(t, args, sp->nargs);
        return 0;
    }
    const tt__impl *impl = &sp->generic;
    if (t->state >= 0 && sp->per_state && sp->per_state[t->state].fn)
        impl = &sp->per_state[t->state];
    else if (t->state < 0 && sp->state_aware)
        impl = tt__compat_no_state_impl(t, sp);
    if (!impl->fn)
        return TT_EF_NOHANDLER;
    if (cat->opt.contain_crashes && traced) {
        if (cat->loop_jmp) { /* the recording loop's guard is armed */
            tt__impl_call(impl, sp->nargs, t, args);
            return 0;
        }
        int sig = tt__guarded_call(cat, impl, sp->nargs, t, args);
        if (sig != 0) {
            cat->crash_sig = sig;
            return TT_EF_CRASHED;
        }
        return 0;
    }
    tt__impl_call(impl, sp->nargs, t, args);
    return 0;
}

/* Run one order, recording it in e when e is not NULL. */
void tt__execute(tt_catalyst *cat, tt__order *o, tt_trace_entry *e)
{
    tt_tonic *t = o->tonic;
    const tt_value *args = o->args;
    size_t nargs = o->nargs;
    uint64_t seq = 0;
    if (e) {
        seq = tt__entry_seq(e);
        e->id = t->l.id;
        e->tonic = t->l.serial;
        e->sparkle = o->sparkle;
        e->src_id = o->src_id;
        e->src_obj = o->src_obj;
        e->src_sparkle = o->src_sparkle;
        e->state_enter = (int16_t)t->state;
        if (o->cause)
            tt__entry_set_cause(&cat->trace, e, o->cause); /* no memory: no cause */
        e->nargs = o->nargs;
        if (o->nargs) {
            /* the trace takes over the order's argument values */
            if (!e->args) /* tt__trace_reserve allocated it already */
                e->args = tt__trace_alloc(&cat->trace, seq, o->nargs * sizeof *e->args);
            if (e->args) {
                if (o->flags & TT__OF_OWNS)
                    tt__chunk_of(e)->owns = true;
                memcpy(e->args, o->args, o->nargs * sizeof *e->args);
                if (o->nargs > TT__INLINE_ARGS)
                    free(o->args);
                o->args = o->inl;
                o->nargs = 0;
                o->flags &= (uint16_t)~TT__OF_OWNS;
                args = e->args;
            } else {
                e->nargs = 0; /* out of memory: run with the order's copy */
            }
        }
        if (cat->probe_contract)
            tt__snapshot(cat, t, e, 0);
        e->t_enter = tt__clock_now(&cat->clock);
        e->vt = tt_catalyst_now(cat);
    }

    tt__frame saved = tt__enter(cat, o, seq);
    uint16_t flags = run(cat, o, args, nargs, e != NULL);
    tt__leave(cat, saved);
    flags |= cat->exec_flags | (o->flags & TT_EF_EXTRA);

    if (e) {
        tt__entry_set_exit(&cat->trace, e, tt__clock_now(&cat->clock)); /* no memory: t_enter */
        e->state_exit = (int16_t)t->state;
        if (cat->sparkling)
            flags |= TT_EF_SPARKLING;
        e->flags = flags;
        if (TT__UNLIKELY(cat->queue.len > cat->q_high)) { /* for lint.c */
            cat->q_high = cat->queue.len;
            cat->q_high_seq = seq;
        }
        if (cat->probe_contract)
            tt__snapshot(cat, t, e, 1);
    } else {
        tt__order_clear(o);
    }
}

/* The recording loop's slow path (see tt-int.h): the record holds the
 * order's values already, so the order is not cleared. */
uint16_t tt__execute_rec_slow(tt_catalyst *cat, tt__order *o)
{
    uint16_t flags = run(cat, o, o->args, o->nargs, true);
    if (flags & TT_EF_DROPPED)
        o->tonic->stats.dead_letters++;
    return flags;
}
