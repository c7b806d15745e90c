/*
 * distiller.c: the deterministic test engine.
 *
 * tt_distiller_sparkle() pops one order per loop pass, runs it, then drains
 * the extra sparkles of state changes completely before it decides whether to
 * stop.  Stop conditions are evaluated after every executed sparkle, extras
 * included, in the reference's order: nothing once the contract is met; the
 * legacy `till_sparkle_in` / `till_state_in` triggers (not de-duplicated),
 * which skip the contract for that sparkle; then the contract's per-tonic
 * rules.  After the drain `timeout` and `sparkle_count` are appended if they
 * hold, and the loop ends when any condition was recorded or the catalyst
 * finished.
 *
 * Time is virtual by default: with an empty queue the clock jumps to the next
 * timer; with no timer either, nothing can ever happen and the run stops with
 * `idle`.  A wall-clock guard stops runaway chains.
 */
#include "tt-int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A comma-separated list, parsed once per run. */
typedef struct names_list {
    char *buf;
    const char *v[64];
    size_t n;
} names_list;

static void list_parse(names_list *l, const char *s)
{
    l->n = 0;
    l->buf = tt__strdup(s);
    char *save = NULL;
    for (char *tok = l->buf ? strtok_r(l->buf, ",", &save) : NULL; tok;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        size_t len = strlen(tok);
        while (len && tok[len - 1] == ' ')
            tok[--len] = '\0';
        if (len && l->n < TT_COUNTOF(l->v))
            l->v[l->n++] = tok;
    }
}

static void list_from(names_list *l, const tt_strlist *s)
{
    l->buf = NULL;
    l->n = 0;
    for (size_t i = 0; i < s->n && l->n < TT_COUNTOF(l->v); i++)
        l->v[l->n++] = s->v[i];
}

static bool list_has(const names_list *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return true;
    return false;
}

/* Everything one run needs. */
typedef struct run_ctx {
    tt_catalyst *cat;
    tt_run *run;
    const tt_contract *c;
    names_list till_state, till_sparkle;
    long remaining;   /* sparkle_count left; meaningful when counting */
    bool counting;
    bool stop_now;    /* a crash: leave at once */
    struct {
        const tt__klass *k;
        int *slots;
    } *sop;           /* per contract tonic: its stop_on_probe slots */
} run_ctx;

/* Live tonic named `name`, or NULL. */
static tt_tonic *live_tonic(tt_catalyst *cat, const char *name)
{
    tt_tonic *t = tt_tonic_by_name(cat, name);
    return t && t->l.id >= 0 ? t : NULL;
}

/* Record contract_details. */
static void contract_met(run_ctx *rc, int match, int target, char **names, char ***reasons,
                         size_t *nreasons, size_t n)
{
    tt_run *r = rc->run;
    r->met = true;
    r->match_count = match;
    r->target_count = target;
    r->matched = names;
    r->reasons = reasons;
    r->n_reasons = nreasons;
    r->n_matched = n;
    tt__run_add_stop(r, "contract_met");
}

/* The slots of contract tonic i's stop_on_probe names on t's class,
 * resolved when the tonic's class is first seen (not per sparkle). */
static const int *sop_slots(run_ctx *rc, size_t i, tt_tonic *t)
{
    const tt_contract_tonic *ct = &rc->c->tonics[i];
    if (!rc->sop) {
        rc->sop = calloc(rc->c->n_tonics, sizeof *rc->sop);
        if (!rc->sop)
            return NULL;
    }
    if (rc->sop[i].k != t->k) {
        int *slots = realloc(rc->sop[i].slots, ct->sop_names.n * sizeof *slots);
        if (!slots)
            return NULL;
        for (size_t j = 0; j < ct->sop_names.n; j++)
            slots[j] = tt__probe_slot(t, ct->sop_names.v[j]);
        rc->sop[i].slots = slots;
        rc->sop[i].k = t->k;
    }
    return rc->sop[i].slots;
}

/* The reasons contract tonic i holds now (up to max), as strings; 0 when
 * none.  Allocates only for a reason that holds. */
static size_t reasons_of(run_ctx *rc, size_t i, tt_tonic *t, const tt_trace_entry *e,
                         char **rs, size_t max)
{
    const tt_contract_tonic *ct = &rc->c->tonics[i];
    tt_catalyst *cat = rc->cat;
    size_t k = 0;
    char buf[600];
    if (ct->has_till_state) {
        const char *st = tt_tonic_state_name(t);
        for (size_t j = 0; j < ct->till_state_in.n; j++)
            if (strcmp(ct->till_state_in.v[j], st) == 0) {
                snprintf(buf, sizeof buf, "state: '%s'", st);
                rs[k++] = tt__strdup(buf);
                break;
            }
    }
    if (ct->has_till_sparkle && e->tonic == t->l.serial) {
        const char *sp = cat->names.str[e->sparkle];
        for (size_t j = 0; j < ct->till_sparkle_in.n; j++)
            if (strcmp(ct->till_sparkle_in.v[j], sp) == 0) {
                snprintf(buf, sizeof buf, "sparkle: '%s'", sp);
                rs[k++] = tt__strdup(buf);
                break;
            }
    }
    const int *slots = ct->sop_names.n ? sop_slots(rc, i, t) : NULL;
    for (size_t j = 0; slots && j < ct->sop_names.n && k < max; j++) {
        tt_value v;
        if (!tt__probe_read_slot(t, slots[j], &v))
            continue;
        bool eq = tt_value_equal(&v, &ct->sop_values[j]);
        tt_value_clear(&v);
        if (!eq)
            continue;
        char val[400];
        tt_value_to_text(&ct->sop_values[j], val, sizeof val);
        snprintf(buf, sizeof buf, "probe: %s == %s", ct->sop_names.v[j], val);
        rs[k++] = tt__strdup(buf);
    }
    return k;
}

/* Evaluate the contract's per-tonic rules after entry e.  Nothing is
 * allocated unless a tonic holds a reason. */
static void eval_contract(run_ctx *rc, const tt_trace_entry *e)
{
    const tt_contract *c = rc->c;
    tt_catalyst *cat = rc->cat;
    size_t nt = c->n_tonics;
    char **names = NULL;
    char ***reasons = NULL;
    size_t *nreasons = NULL;
    size_t n = 0;
    int match = 0;
    for (size_t i = 0; i < nt; i++) {
        tt_tonic *t = live_tonic(cat, c->tonics[i].name);
        if (!t)
            continue;
        char *rs[64];
        size_t k = reasons_of(rc, i, t, e, rs, TT_COUNTOF(rs));
        if (k == 0)
            continue;
        match++;
        if (!names) {
            names = calloc(nt, sizeof *names);
            reasons = calloc(nt, sizeof *reasons);
            nreasons = calloc(nt, sizeof *nreasons);
        }
        if (!names || !reasons || !nreasons) {
            for (size_t j = 0; j < k; j++)
                free(rs[j]);
            goto out;
        }
        names[n] = tt__strdup(c->tonics[i].name);
        reasons[n] = malloc(k * sizeof **reasons);
        if (reasons[n])
            memcpy(reasons[n], rs, k * sizeof *rs);
        else
            for (size_t j = 0; j < k; j++)
                free(rs[j]);
        nreasons[n] = reasons[n] ? k : 0;
        n++;
    }
    int target = c->stop_match_count == TT_MATCH_ALL ? (int)nt : c->stop_match_count;
    if (match > 0 && match >= target) {
        contract_met(rc, match, target, names, reasons, nreasons, n);
        return;
    }
out:
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < nreasons[i]; j++)
            free(reasons[i][j]);
        free(reasons[i]);
        free(names[i]);
    }
    free(names);
    free(reasons);
    free(nreasons);
}

/* Evaluate every stop condition after entry e. */
static void evaluate(run_ctx *rc, const tt_trace_entry *e)
{
    tt_catalyst *cat = rc->cat;
    tt_run *r = rc->run;
    if (cat->hook) {
        const char *s = cat->hook(cat->hook_ud, cat, tt__entry_seq(e));
        if (s)
            tt__run_add_stop(r, s);
    }
    if (r->met)
        return;
    bool legacy = false;
    char buf[600];
    const char *sp = cat->names.str[e->sparkle];
    if (rc->till_sparkle.n && list_has(&rc->till_sparkle, sp)) {
        snprintf(buf, sizeof buf, "sparkle_trigger: [%s]", sp);
        tt__run_add_stop(r, buf);
        legacy = true;
    }
    if (rc->till_state.n) {
        tt_tonic *t = cat->tonics[e->tonic];
        if (t->l.id >= 0) {
            const char *st = tt_tonic_state_name(t);
            if (list_has(&rc->till_state, st)) {
                snprintf(buf, sizeof buf, "state_trigger: [%s]", st);
                tt__run_add_stop(r, buf);
                legacy = true;
            }
        }
    }
    if (legacy || !rc->c || rc->c->n_tonics == 0)
        return;
    eval_contract(rc, e);
}

/* The entry for order o (NULL: next in the queue), reserved before it runs:
 * a sparkle never runs untraced.  Without memory the run stops with an
 * error before the sparkle, which stays where it was. */
static tt_trace_entry *reserve(run_ctx *rc, const tt__order *o)
{
    tt_catalyst *cat = rc->cat;
    if (!o)
        o = tt__queue_peek(&cat->queue, 0);
    tt_trace_entry *e = tt__trace_reserve(&cat->trace, o->nargs);
    if (!e) {
        char buf[600];
        snprintf(buf, sizeof buf,
                 "error: out of memory for the trace entry of %s.%s; it did not run",
                 o->tonic->l.name, cat->names.str[o->sparkle]);
        tt__run_add_stop(rc->run, buf);
        rc->stop_now = true;
    }
    return e;
}

/* What follows a sparkle that ran into entry e (counted already): the stops
 * it makes, then the stop conditions; false when the run must stop at once
 * (a crash). */
static bool stepped(run_ctx *rc, tt_trace_entry *e)
{
    tt_catalyst *cat = rc->cat;
    if (e->flags & TT_EF_CRASHED) {
        char buf[600];
        if (cat->crash_sig == TT__GUARD_EXIT)
            snprintf(buf, sizeof buf, "exited: %d in %s.%s", tt__guard_exit_status(),
                     cat->tonics[e->tonic]->l.name, cat->names.str[e->sparkle]);
        else if (cat->crash_sig == -2)
            snprintf(buf, sizeof buf, "interrupted: %s.%s did not return",
                     cat->tonics[e->tonic]->l.name, cat->names.str[e->sparkle]);
        else if (cat->crash_sig == -1)
            snprintf(buf, sizeof buf, "watchdog: %s.%s ran longer than %gs",
                     cat->tonics[e->tonic]->l.name, cat->names.str[e->sparkle],
                     cat->opt.watchdog);
        else
            snprintf(buf, sizeof buf, "crashed: %s in %s.%s", tt__signame(cat->crash_sig),
                     cat->tonics[e->tonic]->l.name, cat->names.str[e->sparkle]);
        tt__run_add_stop(rc->run, buf);
        cat->tainted = true;
        rc->stop_now = true;
        return false;
    }
    if (cat->probe_crash[0]) { /* a probe callback crashed around the sparkle */
        tt__run_add_stop(rc->run, cat->probe_crash);
        rc->stop_now = true;
        return false;
    }
    if ((e->flags & TT_EF_ERROR) && cat->opt.stop_on_error) {
        char buf[900];
        snprintf(buf, sizeof buf, "error: %s.%s: %s", cat->tonics[e->tonic]->l.name,
                 cat->names.str[e->sparkle], cat->exec_error);
        tt__run_add_stop(rc->run, buf);
    }
    evaluate(rc, e);
    if (cat->trace_oom) {
        char buf[600];
        snprintf(buf, sizeof buf,
                 "error: out of memory for the probes of %s.%s; its entry lacks them",
                 cat->tonics[e->tonic]->l.name, cat->names.str[e->sparkle]);
        tt__run_add_stop(rc->run, buf);
    }
    return true;
}

/* Run one order into its reserved trace entry and evaluate; false when the
 * run must stop at once (a crash, no memory). */
static bool step(run_ctx *rc, tt__order *o, tt_trace_entry *e)
{
    tt_catalyst *cat = rc->cat;
    cat->trace_oom = false;
    cat->probe_crash[0] = '\0';
    tt__execute(cat, o, e);
    tt__order_clear(o);
    rc->run->count++;
    if (rc->counting && rc->remaining > 0)
        rc->remaining--;
    return stepped(rc, e);
}

/* Run the pending extra sparkles of a state change; false when the run must
 * stop at once.  Without memory for an entry the rest stay pending, and the
 * next run starts with them. */
static bool drain_extras(run_ctx *rc)
{
    tt_catalyst *cat = rc->cat;
    while (cat->extras_head < cat->n_extras) {
        tt__order *next = &cat->extras[cat->extras_head];
        if (next->nargs <= TT__INLINE_ARGS)
            next->args = next->inl;
        tt_trace_entry *e = reserve(rc, next);
        if (!e)
            return false;
        tt__order x = cat->extras[cat->extras_head++];
        if (x.nargs <= TT__INLINE_ARGS)
            x.args = x.inl;
        if (!step(rc, &x, e))
            return false;
    }
    cat->n_extras = cat->extras_head = 0;
    return true;
}

/* Drop pending extras (after a crash). */
static void extras_drop(tt_catalyst *cat)
{
    for (size_t i = cat->extras_head; i < cat->n_extras; i++)
        tt__order_clear(&cat->extras[i]);
    cat->n_extras = cat->extras_head = 0;
}

/* Run the order at the head of the queue, and the extras it makes; false
 * without memory for its entry (the stop is added, it stays queued). */
static bool run_one(run_ctx *rc)
{
    tt_trace_entry *e = reserve(rc, NULL);
    if (!e)
        return false;
    tt__order o;
    tt__queue_pop(&rc->cat->queue, &o);
    tt__drain_from(rc->cat, &o);
    if (step(rc, &o, e))
        drain_extras(rc);
    return true;
}

/* --- the fast path ------------------------------------------------------
 *
 * With nothing to look at between sparkles (no step or order hook, no
 * legacy trigger, no per-tonic contract rule, virtual time), a run is a
 * loop of: take the order in its queue slot, write its entry (and its probe
 * snapshots), call its handler.  run_fast does that for as long as the next order is a plain
 * one (a user handler of a live tonic called with its whole signature) and
 * nothing else needs the general loop: a timer due, a post from another
 * thread, extras, a stop condition.  What it writes is what tt__execute
 * writes, with two differences that do not show: the entry is written
 * whole instead of zeroed first, and back to back the exit time of a
 * sparkle is the enter time of the next (one clock read a sparkle). */

/* Whether the contract has a per-tonic stop rule (probe lists are not). */
static bool has_rules(const tt_contract *c)
{
    for (size_t i = 0; c && i < c->n_tonics; i++)
        if (c->tonics[i].has_till_state || c->tonics[i].has_till_sparkle ||
            c->tonics[i].sop_names.n)
            return true;
    return false;
}

/* Run plain orders back to back (see above); returns how many ran.  It
 * returns before a stop condition is added: the caller's end of pass adds
 * it, as after a general step. */
static size_t run_fast(run_ctx *rc, double deadline, unsigned *pass, bool guarded)
{
    tt_catalyst *cat = rc->cat;
    tt_run *r = rc->run;
    tt__trace *tr = &cat->trace;
    tt__queue *q = &cat->queue;
    bool contain = cat->opt.contain_crashes;
    const tt_contract *probes = cat->probe_contract;
    size_t ran = 0;
    double t_prev = 0; /* the previous sparkle's exit time, back to back */
    cat->trace_oom = false;
    cat->probe_crash[0] = '\0';
    for (;;) {
        tt__order *o = &q->ring[q->head];
        const tt__impl *impl =
            tt__plain_impl(o, o->sp ? o->sp : tt__klass_sparkle(o->tonic->k, o->sparkle));
        if (!impl)
            return ran;
        /* its entry, and room for its arguments, in the last chunk */
        size_t nargs = o->nargs, size = nargs * sizeof(tt_value);
        uint64_t seq = tr->last + 1, rel = seq - tr->first_chunk_seq;
        size_t k = (size_t)(rel >> TT__CHUNK_BITS);
        tt__chunk *c;
        tt_trace_entry *e;
        tt_value *args;
        if (TT__LIKELY(k < tr->n_chunks && size <= (c = tr->chunks[k])->bump_left)) {
            e = &c->e[rel & (TT__CHUNK - 1)];
            args = (tt_value *)c->bump;
            c->bump += size;
            c->bump_left -= size;
            tr->last = seq;
        } else {
            if (!(e = reserve(rc, o)))
                return ran; /* the stop is added */
            args = e->args;
        }
        tt__queue_take(q); /* o, which stays valid until the next take */
        tt_tonic *t = o->tonic;
        double t_enter = ran ? t_prev : tt__clock_now(&cat->clock);
        *e = (tt_trace_entry){
            .id = t->l.id,
            .tonic = t->l.serial,
            .sparkle = o->sparkle,
            .src_id = o->src_id,
            .src_obj = o->src_obj,
            .src_sparkle = o->src_sparkle,
            .state_enter = (int16_t)t->state,
            .nargs = (uint16_t)nargs,
            .t_enter = t_enter,
            .vt = cat->vt,
            .args = nargs ? args : NULL,
        };
        if (o->cause)
            tt__entry_set_cause_seq(tr, e, seq, o->cause); /* no memory: no cause */
        if (nargs) {
            /* the trace takes over the order's argument values */
            const tt_value *from = nargs <= TT__INLINE_ARGS ? o->inl : o->args;
            if (o->flags & TT__OF_OWNS)
                tt__chunk_of(e)->owns = true;
            for (size_t i = 0; i < nargs; i++)
                args[i] = from[i];
            if (nargs > TT__INLINE_ARGS)
                free(o->args);
            o->args = o->inl;
            o->nargs = 0;
            o->flags &= (uint16_t)~TT__OF_OWNS;
        }
        if (probes)
            tt__snapshot_seq(cat, t, e, seq, 0);
        tt__drain_from(cat, o);
        tt__frame saved = tt__enter(cat, o, seq);
        uint16_t flags = 0;
        if (TT__LIKELY(!contain)) {
            tt__impl_call(impl, nargs, t, args);
        } else if (cat->loop_jmp) { /* the recording loop's guard is armed */
            tt__impl_call(impl, nargs, t, args);
        } else {
            int sig = tt__guarded_call(cat, impl, nargs, t, args);
            if (sig != 0) {
                cat->crash_sig = sig;
                flags = TT_EF_CRASHED;
            }
        }
        tt__leave(cat, saved);
        flags |= cat->exec_flags | (o->flags & TT_EF_EXTRA);
        t_prev = tt__clock_now(&cat->clock);
        tt__entry_set_exit(tr, e, t_prev); /* no memory: t_enter */
        e->state_exit = (int16_t)t->state;
        if (cat->sparkling)
            flags |= TT_EF_SPARKLING;
        e->flags = flags;
        if (TT__UNLIKELY(q->len > cat->q_high)) { /* for lint.c */
            cat->q_high = q->len;
            cat->q_high_seq = seq;
        }
        if (probes)
            tt__snapshot_seq(cat, t, e, seq, 1);
        ran++;
        r->count++;
        if (rc->counting && rc->remaining > 0)
            rc->remaining--;
        if (TT__UNLIKELY((flags & (TT_EF_CRASHED | TT_EF_ERROR)) || cat->trace_oom ||
                         cat->probe_crash[0]) &&
            !stepped(rc, e))
            return ran;
        if (TT__UNLIKELY(cat->extras_head < cat->n_extras)) {
            drain_extras(rc);
            return ran;
        }
        /* the end of the pass (the caller adds the stop) ... */
        if (TT__UNLIKELY(r->n_stops || !cat->sparkling || cat->interrupt ||
                         cat->vt >= deadline || (rc->counting && rc->remaining <= 0) ||
                         (cat->seq_hook && tr->last >= cat->seq_hook_at) ||
                         (guarded && ((*pass + 1) & 1023) == 0)))
            return ran;
        if (guarded)
            ++*pass;
        /* ... and the top of the next */
        if (TT__UNLIKELY(atomic_load_explicit(&cat->inbox_flag, memory_order_relaxed) ||
                         (cat->n_active && cat->active[0]->due <= cat->vt) || q->len == 0 ||
                         cat->hook || cat->order_hook || cat->probe_contract != probes))
            return ran;
    }
}

/* Real time: wait for a post or until `until` (monotonic seconds). */
static void wait_real(tt_catalyst *cat, double until)
{
    double now_m = tt__mono();
    if (until <= now_m)
        return;
    double span = until - now_m > 3600 ? 3600 : until - now_m; /* the caller loops */
    double wall = tt__wall() + span;
    struct timespec ts = {(time_t)wall, (long)((wall - (double)(time_t)wall) * 1e9)};
    pthread_mutex_lock(&cat->inbox_lock);
    while (!atomic_load(&cat->inbox_flag) && !cat->interrupt &&
           pthread_cond_timedwait(&cat->inbox_cond, &cat->inbox_lock, &ts) != ETIMEDOUT)
        ;
    pthread_mutex_unlock(&cat->inbox_lock);
}

/* The seq hook (checkpoint.c), between passes: no extras pending. */
static void seq_hook_call(tt_catalyst *cat)
{
    if (cat->extras_head == cat->n_extras)
        cat->seq_hook_at = cat->seq_hook(cat->seq_hook_ud, cat, cat->trace.last);
}

/* Whether the order hook stops the run before the order at the head. */
static bool order_stops(tt_catalyst *cat, tt_run *r)
{
    tt_order_view next;
    if (tt_queue_at(cat, 0, &next) < 0)
        return false;
    const char *s = cat->order_hook(cat->order_hook_ud, cat, &next);
    if (!s)
        return false;
    tt__run_add_stop(r, s);
    return true;
}

/* The run a sparkle() call fills: the newest, resumed (tt_run_resume_last:
 * its end forgotten, its start moved by the time since it ended, *resumed
 * set), or a new one. */
static tt_run *next_run(tt_catalyst *cat, bool *resumed)
{
    bool resume = cat->resume_run;
    cat->resume_run = false;
    *resumed = false;
    if (resume && cat->sparkling && cat->n_runs) {
        tt_run *r = cat->runs[cat->n_runs - 1];
        if (r->has_trace && r->first_seq + r->count == cat->trace.last + 1) {
            tt__run_trim_stops(r, 0);
            tt__run_drop_met(r);
            r->finished_status = false;
            double now = tt__wall();
            if (r->end > 0 && now > r->end)
                r->start += now - r->end; /* its wall time leaves out the pause */
            *resumed = true;
            return r;
        }
    }
    return tt__run_new(cat);
}

/* Run the queue until a stop condition holds. */
int tt_distiller_sparkle(tt_catalyst *cat, const tt_sparkle_args *args, const tt_run **out)
{
    if (out)
        *out = NULL;
    if (!cat)
        return -TT_EINVAL;
    if (cat->opt.mode != TT_MODE_DISTILLER)
        return tt__err(cat, -TT_ENOTDISTILLER, "sparkle() needs a distiller catalyst");
    if (cat->recorded)
        return tt__err(cat, -TT_ERECORDED, "this is a recorded trace: nothing can run");
    if (cat->in_sparkle)
        return tt__err(cat, -TT_EBUSY, "sparkle() called from inside a sparkle");
    if (cat->destroyed)
        return tt__err(cat, -TT_ECATFINISHED,
                       "the app's destroy code has run: nothing can run (restart)");
    static const tt_sparkle_args none = {0};
    if (!args)
        args = &none;
    tt__adopt_thread(cat);
    tt__crash_rearm(cat);
    run_ctx rc = {.cat = cat};
    bool resumed;
    tt_run *r = rc.run = next_run(cat, &resumed);
    if (!r)
        return -TT_ENOMEM;
    if (out)
        *out = r;
    tt__clock_anchor(&cat->clock);
    if (!resumed) {
        r->start = cat->clock.wall;
        r->vt_start = tt_catalyst_now(cat);
    }
    if (!cat->sparkling) {
        r->finished_status = true;
        tt__run_add_stop(r, "catalyst finished");
        r->end = tt__wall();
        r->vt_end = r->vt_start;
        return 0;
    }
    r->has_trace = true;
    if (!resumed)
        r->first_seq = cat->trace.last + 1;

    const tt_contract *c = rc.c = args->contract;
    double timeout = args->timeout > 0 ? args->timeout
                     : c && c->has_timeout ? c->timeout
                                           : 3600.0;
    if (!(timeout <= TT__TIME_MAX))
        timeout = TT__TIME_MAX; /* "forever", but finite */
    if (args->till_state_in)
        list_parse(&rc.till_state, args->till_state_in);
    else if (c && c->has_till_state)
        list_from(&rc.till_state, &c->till_state_in);
    if (args->till_sparkle_in)
        list_parse(&rc.till_sparkle, args->till_sparkle_in);
    else if (c && c->has_till_sparkle)
        list_from(&rc.till_sparkle, &c->till_sparkle_in);
    rc.counting = args->sparkle_count > 0;
    rc.remaining = args->sparkle_count;
    cat->probe_contract = c;
    tt__probes_reset(cat);
    /* cat->interrupt is not cleared here: a Ctrl-C that arrives just before
     * the run starts must still stop it.  It is cleared when the run ends. */

    bool virt = !cat->opt.real_time;
    double deadline = tt_catalyst_now(cat) + timeout;
    double guard = cat->opt.wall_guard;
    double guard_at = guard > 0 ? tt__mono() + guard : 0;
    unsigned pass = 0;
    /* the fast path, when nothing but the trace is looked at per sparkle */
    bool fast = virt && !rc.till_state.n && !rc.till_sparkle.n && !has_rules(c);

    while (cat->sparkling && r->n_stops == 0) {
        tt__inbox_drain(cat);
        double now = tt_catalyst_now(cat);
        tt__timers_fire(cat, now);
        if (cat->queue.len == 0 && cat->extras_head == cat->n_extras) {
            double next = tt__timers_next(cat);
            if (virt) {
                if (next < 0) {
                    tt__run_add_stop(r, "idle");
                    break;
                }
                if (next > deadline) {
                    cat->vt = deadline;
                    tt__run_add_stop(r, "timeout");
                    break;
                }
                if (next > cat->vt)
                    cat->vt = next;
                continue;
            }
            wait_real(cat, next >= 0 && next < deadline ? cat->t0 + next : cat->t0 + deadline);
            if (cat->interrupt) {
                tt__run_add_stop(r, "interrupted");
                cat->interrupt = 0;
                break;
            }
            if (tt_catalyst_now(cat) >= deadline)
                tt__run_add_stop(r, "timeout");
            continue;
        }
        if (cat->extras_head == cat->n_extras) {
            if (cat->order_hook && order_stops(cat, r))
                break;
            bool ran = fast && !cat->hook && run_fast(&rc, deadline, &pass, guard_at != 0);
            if (!ran && !rc.stop_now && !run_one(&rc))
                break;
        } else {
            drain_extras(&rc); /* left pending by a run that ran out of memory */
        }
        if (rc.stop_now) {
            if (!(cat->extras_head < cat->n_extras && !cat->tainted))
                extras_drop(cat);
            break;
        }
        if (cat->interrupt) {
            tt__run_add_stop(r, "interrupted");
            cat->interrupt = 0;
        }
        if (tt_catalyst_now(cat) >= deadline)
            tt__run_add_stop(r, "timeout");
        if (rc.counting && rc.remaining <= 0)
            tt__run_add_stop(r, "sparkle_count");
        if (guard_at && (++pass & 1023) == 0 && tt__mono() >= guard_at) {
            char buf[80];
            snprintf(buf, sizeof buf, "wall_guard: %gs", guard);
            tt__run_add_stop(r, buf);
        }
        if (TT__UNLIKELY(cat->seq_hook && cat->trace.last >= cat->seq_hook_at))
            seq_hook_call(cat);
    }
    if (!cat->sparkling) {
        r->finished_status = true;
        tt__run_add_stop(r, "catalyst finished");
    }
    free(rc.till_state.buf);
    free(rc.till_sparkle.buf);
    for (size_t i = 0; rc.sop && i < c->n_tonics; i++)
        free(rc.sop[i].slots);
    free(rc.sop);
    cat->interrupt = 0;
    cat->probe_contract = NULL;
    tt__probes_reset(cat);
    r->end = tt__wall();
    r->vt_end = tt_catalyst_now(cat);
    return 0;
}

/* Queue ttsc__finish to every registered tonic (and finish timers), as
 * Python's finish_distiller, then run. */
int tt_distiller_finish(tt_catalyst *cat, const tt_sparkle_args *args, const tt_run **out)
{
    if (!cat)
        return -TT_EINVAL;
    if (cat->opt.mode != TT_MODE_DISTILLER)
        return tt__err(cat, -TT_ENOTDISTILLER, "finish_distiller() needs a distiller catalyst");
    if (cat->recorded)
        return tt__err(cat, -TT_ERECORDED, "this is a recorded trace: nothing can run");
    if (cat->sparkling) {
        tt__frame ext = {NULL, TT_N_EMPTY, -1, 0};
        for (size_t i = 0; i < cat->n_ledger; i++) {
            tt__liquid *l = cat->ledger[i];
            if (!l)
                continue;
            if (l->kind == TT__K_TONIC) {
                tt_tonic *t = (tt_tonic *)l;
                if (!t->finishing)
                    tt__post(t, TT_N_FINISH, NULL, 0, &ext);
            } else {
                tt__timer_finish((tt_timer *)l, &ext);
            }
        }
    }
    tt_sparkle_args a = args ? *args : (tt_sparkle_args){0};
    if (!(a.timeout > 0) && !(a.contract && a.contract->has_timeout))
        a.timeout = 0.5;
    return tt_distiller_sparkle(cat, &a, out);
}

#define TT__ADVANCE_MAX_ORDERS 1000000

/* Move virtual time forward, firing timers in due order. */
int tt_distiller_advance(tt_catalyst *cat, double seconds)
{
    if (!cat || !(seconds >= 0))
        return -TT_EINVAL;
    if (cat->opt.mode != TT_MODE_DISTILLER || cat->opt.real_time)
        return tt__err(cat, -TT_ENOTDISTILLER, "advance needs a distiller with virtual time");
    if (cat->recorded)
        return tt__err(cat, -TT_ERECORDED, "this is a recorded trace: nothing can run");
    if (seconds > TT__TIME_MAX || cat->vt + seconds > TT__VT_MAX)
        return tt__err(cat, -TT_ERANGE,
                       "%gs is too far: virtual time stops at %gs (it is %gs now); "
                       "timer periods and advance go up to %gs",
                       seconds, TT__VT_MAX, cat->vt, TT__TIME_MAX);
    double target = cat->vt + seconds;
    /* Each expiry queues an order that nothing runs until the next sparkle()
     * call, so a fast repeat timer could fill memory: stop at a bound. */
    size_t before = cat->queue.len;
    for (;;) {
        double next = tt__timers_next(cat);
        if (next < 0 || next > target)
            break;
        if (cat->queue.len - before > TT__ADVANCE_MAX_ORDERS)
            return tt__err(cat, -TT_ERANGE,
                           "timers queued more than %d orders by %gs of virtual "
                           "time; advance in smaller steps and run them",
                           TT__ADVANCE_MAX_ORDERS, cat->vt);
        if (next > cat->vt)
            cat->vt = next;
        tt__timers_fire(cat, cat->vt);
    }
    cat->vt = target;
    return 0;
}

void tt_distiller_interrupt(tt_catalyst *cat)
{
    if (cat)
        cat->interrupt = 1;
}

void tt_distiller_set_hook(tt_catalyst *cat, tt_step_hook hook, void *ud)
{
    if (!cat)
        return;
    cat->hook = hook;
    cat->hook_ud = ud;
}

void tt_distiller_set_order_hook(tt_catalyst *cat, tt_order_hook hook,
                                 void *ud)
{
    if (!cat)
        return;
    cat->order_hook = hook;
    cat->order_hook_ud = ud;
}

bool tt_distiller_tainted(const tt_catalyst *cat)
{
    return cat && cat->tainted;
}
