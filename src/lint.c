/*
 * lint.c: what the trace shows went wrong, computed incrementally.
 *
 * Lints are derived from the catalyst's trace, entry by entry, the first
 * time someone asks (tt_lint_update, tt_lint_count) and then only for the
 * entries written since: each entry costs O(1) amortised and the trace is
 * never scanned twice.  Once asked for, the lints also catch up just before
 * a trace ring drops a chunk, so no entry is missed.  A catalyst nobody asks
 * pays nothing but one comparison per traced sparkle (the queue's
 * high-water mark, which the trace does not hold: dispatch.c keeps it).
 *
 * Because they come from the trace alone, lints work the same on a live
 * Distiller, on a fresh one a time-travelling debugger replays into, on the
 * flight recorder's catalyst and on a trace file read back (tt_trace_load;
 * there without queue growth, which the file does not record).
 *
 * The state lives out of line (cat->lints): the lints, grouped by a key
 * (kind, tonic name, sparkle, state, detail) in a small hash table, and one
 * record per tonic serial for what spans entries (its last state, the seq of
 * its last state change, the streak of its own timers' callbacks, whether a
 * finish was accepted).
 */
#include "tt-int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GIANT_DEFAULT 0.050  /* seconds: the seed's rule */
#define STUCK_DEFAULT 100    /* own-timer callbacks without a state change */
#define QUEUE_DEFAULT 1000   /* pending orders */

/* The state key of a dead-letter lint for the sparkles a finishing tonic
 * ignored (-2: those that reached it after it had finished). */
#define DEAD_WHILE_FINISHING (-3)

/* One lint: a group of entries that show the same fault. */
typedef struct lint_rec {
    tt_lint_kind kind;
    uint32_t tonic;          /* serial of the first tonic (names compare) */
    uint32_t sparkle;        /* name id, or UINT32_MAX */
    int state;               /* state index for no-handler and stuck, else -2 */
    char *detail;            /* unknown-state: the state asked for */
    uint32_t src_obj;        /* dead letters: the first sender */
    uint32_t src_sparkle;
    bool more_senders;
    uint64_t seqs[TT_LINT_SEQS];
    double vals[TT_LINT_SEQS]; /* giant: the duration of each seq */
    size_t n_seqs;
    uint64_t last_seq, count;
    double value;
    uint64_t streak_first;   /* stuck: first callback of the longest streak */
    char msg[512];
} lint_rec;

/* What the lints remember of one tonic between its entries. */
typedef struct tonic_rec {
    int16_t state;           /* state after its last entry */
    bool seen, finished;     /* an entry was seen; a finish was accepted */
    uint64_t changed;        /* seq of its last state change (0 none) */
    uint64_t streak;         /* own-timer callbacks since then */
    uint64_t streak_first;
    size_t stuck;            /* index + 1 of its stuck lint for this streak */
} tonic_rec;

struct tt__lints {
    double giant;
    uint64_t stuck_after;
    uint64_t queue_limit;
    uint64_t next;           /* the next entry to look at */
    lint_rec *v;
    size_t n, cap;
    uint32_t *slots;         /* hash: index + 1, 0 = empty */
    size_t nslots;
    tonic_rec *tonics;       /* by serial */
    size_t n_tonics;
    size_t *order;           /* most serious first (sorted on demand) */
    size_t cap_order;
    bool sorted;
    bool queue_shown;        /* the queue lint exists (index queue_idx) */
    size_t queue_idx;
};

/* --- settings ---------------------------------------------------------- */

/* The lint state, created on first use; NULL without memory. */
static tt__lints *lints(tt_catalyst *cat)
{
    if (cat->lints)
        return cat->lints;
    tt__lints *L = calloc(1, sizeof *L);
    if (!L)
        return NULL;
    L->giant = GIANT_DEFAULT;
    L->stuck_after = STUCK_DEFAULT;
    L->queue_limit = QUEUE_DEFAULT;
    L->next = 1;
    cat->lints = L;
    return L;
}

int tt_lint_set_threshold(tt_catalyst *cat, tt_lint_kind kind, double value)
{
    if (!cat || !(value >= 0) || value > 1e15)
        return -TT_EINVAL;
    if (kind != TT_LINT_GIANT_SPARKLE && kind != TT_LINT_STUCK_TONIC &&
        kind != TT_LINT_QUEUE_GROWTH)
        return -TT_EINVAL;
    tt__lints *L = lints(cat);
    if (!L)
        return -TT_ENOMEM;
    if (kind == TT_LINT_GIANT_SPARKLE)
        L->giant = value;
    else if (kind == TT_LINT_STUCK_TONIC)
        L->stuck_after = (uint64_t)value;
    else
        L->queue_limit = (uint64_t)value;
    return 0;
}

double tt_lint_threshold(const tt_catalyst *cat, tt_lint_kind kind)
{
    const tt__lints *L = cat ? cat->lints : NULL;
    switch (kind) {
    case TT_LINT_GIANT_SPARKLE: return L ? L->giant : GIANT_DEFAULT;
    case TT_LINT_STUCK_TONIC: return (double)(L ? L->stuck_after : STUCK_DEFAULT);
    case TT_LINT_QUEUE_GROWTH: return (double)(L ? L->queue_limit : QUEUE_DEFAULT);
    default: return -1;
    }
}

const char *tt_lint_kind_name(tt_lint_kind kind)
{
    static const char *const names[] = {
        [TT_LINT_UNKNOWN_STATE] = "unknown-state",
        [TT_LINT_DEAD_LETTER] = "dead-letter",
        [TT_LINT_FINISH_IGNORED] = "finish-ignored",
        [TT_LINT_STUCK_TONIC] = "stuck-tonic",
        [TT_LINT_GIANT_SPARKLE] = "giant-sparkle",
        [TT_LINT_NO_HANDLER] = "no-handler",
        [TT_LINT_QUEUE_GROWTH] = "queue-growth",
    };
    return (unsigned)kind < TT_COUNTOF(names) ? names[kind] : "?";
}

const char *tt_lint_severity_name(tt_lint_severity s)
{
    switch (s) {
    case TT_LINT_ERROR: return "error";
    case TT_LINT_WARNING: return "warning";
    case TT_LINT_NOTE: return "note";
    }
    return "?";
}

static tt_lint_severity severity(tt_lint_kind kind)
{
    switch (kind) {
    case TT_LINT_UNKNOWN_STATE:
    case TT_LINT_DEAD_LETTER: return TT_LINT_ERROR;
    case TT_LINT_FINISH_IGNORED:
    case TT_LINT_STUCK_TONIC:
    case TT_LINT_GIANT_SPARKLE: return TT_LINT_WARNING;
    default: return TT_LINT_NOTE;
    }
}

/* --- the entry's fields, read in one place ------------------------------- */

/* Wall-clock seconds the handler ran: the entry's exit minus enter
 * timestamps, real even under the Distiller's virtual clock (its `vt` is
 * the catalyst time at enter and does not move while a sparkle runs). */
static double entry_duration(const tt_trace_entry *e)
{
    double d = tt_entry_t_exit(e) - e->t_enter;
    return d > 0 ? d : 0;
}

/* --- the lint table ------------------------------------------------------ */

static const char *tonic_name(const tt_catalyst *cat, uint32_t serial)
{
    return serial < cat->n_tonics ? cat->tonics[serial]->l.name : "?";
}

static uint64_t hash_str(uint64_t h, const char *s)
{
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static uint64_t key_hash(const tt_catalyst *cat, tt_lint_kind kind, uint32_t tonic,
                         uint32_t sparkle, int state, const char *detail)
{
    uint64_t h = 14695981039346656037u ^ (uint64_t)kind;
    h = hash_str(h * 1099511628211u, tonic_name(cat, tonic));
    h = (h ^ sparkle) * 1099511628211u;
    h = (h ^ (uint32_t)state) * 1099511628211u;
    return hash_str(h, detail);
}

static bool key_equal(const tt_catalyst *cat, const lint_rec *r, tt_lint_kind kind,
                      uint32_t tonic, uint32_t sparkle, int state, const char *detail)
{
    return r->kind == kind && r->sparkle == sparkle && r->state == state &&
           (r->tonic == tonic || strcmp(tonic_name(cat, r->tonic), tonic_name(cat, tonic)) == 0) &&
           strcmp(r->detail ? r->detail : "", detail ? detail : "") == 0;
}

/* Rebuild the hash with room for twice as many lints. */
static int rehash(tt_catalyst *cat, tt__lints *L)
{
    size_t ns = L->nslots ? L->nslots * 2 : 64;
    uint32_t *s = calloc(ns, sizeof *s);
    if (!s)
        return -TT_ENOMEM;
    for (size_t i = 0; i < L->n; i++) {
        const lint_rec *r = &L->v[i];
        size_t k = key_hash(cat, r->kind, r->tonic, r->sparkle, r->state, r->detail) & (ns - 1);
        while (s[k])
            k = (k + 1) & (ns - 1);
        s[k] = (uint32_t)(i + 1);
    }
    free(L->slots);
    L->slots = s;
    L->nslots = ns;
    return 0;
}

/* The lint with this key, created when missing; NULL without memory. */
static lint_rec *lint_find(tt_catalyst *cat, tt__lints *L, tt_lint_kind kind,
                           uint32_t tonic, uint32_t sparkle, int state, const char *detail)
{
    if ((L->n + 1) * 2 > L->nslots && rehash(cat, L) < 0)
        return NULL;
    size_t mask = L->nslots - 1;
    size_t k = key_hash(cat, kind, tonic, sparkle, state, detail) & mask;
    for (; L->slots[k]; k = (k + 1) & mask) {
        lint_rec *r = &L->v[L->slots[k] - 1];
        if (key_equal(cat, r, kind, tonic, sparkle, state, detail))
            return r;
    }
    if (L->n == L->cap && tt__grow((void **)&L->v, &L->cap, L->n + 1, sizeof *L->v) < 0)
        return NULL;
    char *d = NULL;
    if (detail && !(d = tt__strdup(detail)))
        return NULL;
    lint_rec *r = &L->v[L->n];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->tonic = tonic;
    r->sparkle = sparkle;
    r->state = state;
    r->detail = d;
    L->slots[k] = (uint32_t)(++L->n);
    L->sorted = false;
    return r;
}

/* Count one more entry that shows lint r. */
static void lint_add_seq(lint_rec *r, uint64_t seq)
{
    if (r->n_seqs < TT_LINT_SEQS)
        r->seqs[r->n_seqs++] = seq;
    r->last_seq = seq;
    r->count++;
}

/* The same, keeping the first sender (and whether there were others). */
static void lint_add_sent(lint_rec *r, const tt_trace_entry *e)
{
    if (r->count == 0) {
        r->src_obj = e->src_obj;
        r->src_sparkle = e->src_sparkle;
    } else if (r->src_obj != e->src_obj || r->src_sparkle != e->src_sparkle) {
        r->more_senders = true;
    }
    lint_add_seq(r, tt_entry_seq(e));
}

/* The per-tonic record of serial; NULL without memory. */
static tonic_rec *tonic_get(tt__lints *L, uint32_t serial)
{
    if (tt__grow_zero((void **)&L->tonics, &L->n_tonics, (size_t)serial + 1,
                      sizeof *L->tonics) < 0)
        return NULL;
    return &L->tonics[serial];
}

/* --- one entry ----------------------------------------------------------- */

/* A sparkle of the runtime's own (system sparkles, events it sends). */
static bool system_sparkle(uint32_t id, const char *name)
{
    return id < TT_N__COUNT || strncmp(name, "_tt", 3) == 0;
}

/* Whether the entry is a callback of one of the tonic's own timers. */
static bool own_timer(const tt_catalyst *cat, const tt_trace_entry *e)
{
    if (e->src_obj == TT_SRC_NONE || !(e->src_obj & TT_SRC_TIMER))
        return false;
    uint32_t i = e->src_obj & ~TT_SRC_TIMER;
    if (i >= cat->n_timers)
        return false;
    const tt_tonic *base = cat->timers[i]->l.base;
    return !base || base->l.serial == e->tonic;
}

/* Whether e is a finish from outside while the catalyst finishes. */
static bool catalyst_finishing(const tt_catalyst *cat, const tt__lints *L,
                               const tt_trace_entry *e)
{
    uint32_t self = cat->self ? cat->self->l.serial : 0;
    return e->src_obj == TT_SRC_NONE && self < L->n_tonics && L->tonics[self].finished;
}

/* The state of the stuck tonic's lint: its longest streak. */
static int note_stuck(tt_catalyst *cat, tt__lints *L, tonic_rec *tr, const tt_trace_entry *e)
{
    lint_rec *r;
    if (tr->stuck) {
        r = &L->v[tr->stuck - 1];
    } else {
        r = lint_find(cat, L, TT_LINT_STUCK_TONIC, e->tonic, UINT32_MAX, e->state_enter, NULL);
        if (!r)
            return -TT_ENOMEM;
        r->count++; /* streaks over the limit */
        tr->stuck = (size_t)(r - L->v) + 1;
    }
    r->last_seq = tt_entry_seq(e);
    if ((double)tr->streak > r->value) {
        r->value = (double)tr->streak;
        r->streak_first = tr->streak_first;
        r->seqs[0] = tr->streak_first;
        r->seqs[1] = tt_entry_seq(e);
        r->n_seqs = 2;
    }
    return 0;
}

/* Lints of one finished entry; -TT_ENOMEM leaves the entry to be looked
 * at again (everything it changes is done after the allocations). */
static int lint_entry(tt_catalyst *cat, tt__lints *L, const tt_trace_entry *e)
{
    if (e->tonic >= cat->n_tonics)
        return 0;
    tonic_rec *tr = tonic_get(L, e->tonic);
    if (!tr)
        return -TT_ENOMEM;
    uint16_t flags = e->flags;
    const char *name = cat->names.str[e->sparkle];

    if ((flags & TT_EF_DROPPED) || e->id < 0) {
        if (!system_sparkle(e->sparkle, name)) {
            lint_rec *r = lint_find(cat, L, TT_LINT_DEAD_LETTER, e->tonic, e->sparkle, -2, NULL);
            if (!r)
                return -TT_ENOMEM;
            lint_add_sent(r, e);
        }
        return 0; /* it did not run: nothing else to see */
    }
    /* a sparkle sent to a tonic that was finishing is ignored: as lost as
     * a dead letter (an ignored ttsc__finish is finish-ignored, below) */
    if ((flags & TT_EF_IGNORED) && e->sparkle != TT_N_FINISH &&
        !system_sparkle(e->sparkle, name)) {
        lint_rec *r = lint_find(cat, L, TT_LINT_DEAD_LETTER, e->tonic, e->sparkle,
                                DEAD_WHILE_FINISHING, NULL);
        if (!r)
            return -TT_ENOMEM;
        lint_add_sent(r, e);
        return 0;
    }

    if (e->sparkle == TT_N_FINISH) {
        if (!(flags & TT_EF_IGNORED)) {
            tr->finished = true;
        } else if (!tr->finished && !catalyst_finishing(cat, L, e)) {
            /* not a second finish while finishing, nor the finish that
             * tt_distiller_finish sends every tonic from outside (as
             * Python's finish_distiller) after the catalyst's own */
            lint_rec *r = lint_find(cat, L, TT_LINT_FINISH_IGNORED, e->tonic, e->sparkle, -2, NULL);
            if (!r)
                return -TT_ENOMEM;
            lint_add_sent(r, e);
        }
    }

    if (flags & TT_EF_NOTE) {
        const char *note = tt_entry_note(cat, e);
        static const char pre[] = "to_state: no state '";
        for (const char *p = note ? strstr(note, pre) : NULL; p; p = strstr(p, pre)) {
            p += sizeof pre - 1;
            const char *q = strchr(p, '\'');
            size_t len = q ? (size_t)(q - p) : strlen(p);
            char st[256];
            snprintf(st, sizeof st, "%.*s", (int)(len < 255 ? len : 255), p);
            lint_rec *r = lint_find(cat, L, TT_LINT_UNKNOWN_STATE, e->tonic, e->sparkle, -2, st);
            if (!r)
                return -TT_ENOMEM;
            if (r->last_seq != tt_entry_seq(e))
                lint_add_seq(r, tt_entry_seq(e));
        }
    }

    /* A sparkle of the user that found no handler, unless the tonic's state
     * changed after it was queued (a message that crossed a state change,
     * as the chunked pattern's cancel does on purpose). */
    uint64_t cause = (flags & TT_EF_NOHANDLER) ? tt_entry_cause(e) : 0;
    if ((flags & TT_EF_NOHANDLER) && !system_sparkle(e->sparkle, name) &&
        strncmp(name, "ttse__", 6) != 0 && !(tr->changed && cause && tr->changed > cause)) {
        lint_rec *r = lint_find(cat, L, TT_LINT_NO_HANDLER, e->tonic, e->sparkle, e->state_enter, NULL);
        if (!r)
            return -TT_ENOMEM;
        lint_add_seq(r, tt_entry_seq(e));
    }

    /* Giant: longer than the limit (a crash or the watchdog says more). */
    double d = entry_duration(e);
    if (d > L->giant && !(flags & TT_EF_CRASHED)) {
        lint_rec *r = lint_find(cat, L, TT_LINT_GIANT_SPARKLE, e->tonic, e->sparkle, -2, NULL);
        if (!r)
            return -TT_ENOMEM;
        /* keep the longest TT_LINT_SEQS, longest first */
        size_t n = r->n_seqs, k = n < TT_LINT_SEQS ? n : TT_LINT_SEQS - 1;
        if (n < TT_LINT_SEQS || d > r->vals[k]) {
            while (k > 0 && r->vals[k - 1] < d) {
                r->seqs[k] = r->seqs[k - 1];
                r->vals[k] = r->vals[k - 1];
                k--;
            }
            r->seqs[k] = tt_entry_seq(e);
            r->vals[k] = d;
            if (n < TT_LINT_SEQS)
                r->n_seqs++;
        }
        r->last_seq = tt_entry_seq(e);
        r->count++;
        if (d > r->value) {
            r->value = d;
            L->sorted = false;
        }
    }

    /* State changes and the streak of the tonic's own timer callbacks. */
    bool changed = e->state_exit != e->state_enter || e->sparkle == TT_N_STATE_CHANGE ||
                   e->sparkle == TT_N_MACHINE_STOP || (tr->seen && tr->state != e->state_enter);
    if (changed) {
        tr->changed = tt_entry_seq(e);
        tr->streak = 0;
        tr->stuck = 0;
    } else if (e->state_enter >= 0 && own_timer(cat, e)) {
        if (tr->streak++ == 0)
            tr->streak_first = tt_entry_seq(e);
        if (tr->streak > L->stuck_after && note_stuck(cat, L, tr, e) < 0) {
            tr->streak--;
            return -TT_ENOMEM;
        }
    }
    tr->state = e->state_exit;
    tr->seen = true;
    return 0;
}

/* --- catching up ----------------------------------------------------------- */

/* The queue's high-water mark as a lint when it is over the limit. */
static int lint_queue(tt_catalyst *cat, tt__lints *L)
{
    if (cat->q_high <= L->queue_limit || !cat->q_high_seq)
        return 0;
    lint_rec *r;
    if (L->queue_shown) {
        r = &L->v[L->queue_idx];
    } else {
        const tt_trace_entry *e = tt__trace_get(&cat->trace, cat->q_high_seq);
        r = lint_find(cat, L, TT_LINT_QUEUE_GROWTH, e ? e->tonic : 0,
                      e ? e->sparkle : UINT32_MAX, -2, NULL);
        if (!r)
            return -TT_ENOMEM;
        L->queue_shown = true;
        L->queue_idx = (size_t)(r - L->v);
    }
    if (r->value != (double)cat->q_high) {
        r->value = (double)cat->q_high;
        r->seqs[0] = r->last_seq = cat->q_high_seq;
        r->n_seqs = 1;
        r->count = 1;
        const tt_trace_entry *e = tt__trace_get(&cat->trace, cat->q_high_seq);
        if (e) {
            r->tonic = e->tonic;
            r->sparkle = e->sparkle;
        }
    }
    return 0;
}

/* Look at every entry written since the last time. */
static int catch_up(tt_catalyst *cat, tt__lints *L)
{
    uint64_t last = cat->trace.last;
    if (cat->in_sparkle && cat->exec_seq) /* asked from inside a sparkle */
        last = cat->exec_seq - 1;
    if (L->next < cat->trace.first)
        L->next = cat->trace.first; /* dropped before lints were asked for */
    for (; L->next <= last; L->next++) {
        const tt_trace_entry *e = tt__trace_get(&cat->trace, L->next);
        if (e && lint_entry(cat, L, e) < 0)
            return -TT_ENOMEM;
    }
    return lint_queue(cat, L);
}

/* The trace ring is about to drop its oldest chunk. */
static void before_drop(tt__trace *t)
{
    tt_catalyst *cat = (tt_catalyst *)((char *)t - offsetof(tt_catalyst, trace));
    if (cat->lints)
        catch_up(cat, cat->lints);
}

int tt_lint_update(tt_catalyst *cat)
{
    if (!cat)
        return -TT_EINVAL;
    tt__lints *L = lints(cat);
    if (!L)
        return -TT_ENOMEM;
    cat->trace.before_drop = before_drop;
    tt__record_sync(cat); /* the flight recorder's records become entries */
    return catch_up(cat, L);
}

/* --- reading them ---------------------------------------------------------- */

/* What the order of the lints depends on. */
typedef struct sort_key {
    int severity, kind;
    double value;
    uint64_t first;
    size_t idx;
} sort_key;

/* Most serious first; within a kind the longest giant, else the oldest. */
static int cmp_key(const void *a, const void *b)
{
    const sort_key *x = a, *y = b;
    if (x->severity != y->severity)
        return x->severity > y->severity ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->value != y->value)
        return x->value > y->value ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* Sort the lints into L->order. */
static int lint_sort(tt__lints *L)
{
    if (L->sorted)
        return 0;
    if (L->cap_order < L->n) {
        size_t *o = realloc(L->order, L->n * sizeof *o);
        if (!o)
            return -TT_ENOMEM;
        L->order = o;
        L->cap_order = L->n;
    }
    sort_key *k = malloc(L->n * sizeof *k);
    if (!k)
        return -TT_ENOMEM;
    for (size_t i = 0; i < L->n; i++) {
        const lint_rec *r = &L->v[i];
        k[i] = (sort_key){(int)severity(r->kind), (int)r->kind,
                          r->kind == TT_LINT_GIANT_SPARKLE ? r->value : 0,
                          r->n_seqs ? r->seqs[0] : 0, i};
    }
    qsort(k, L->n, sizeof *k, cmp_key);
    for (size_t i = 0; i < L->n; i++)
        L->order[i] = k[i].idx;
    free(k);
    L->sorted = true;
    return 0;
}

size_t tt_lint_count(tt_catalyst *cat)
{
    if (!cat)
        return 0;
    tt_lint_update(cat); /* without memory: what is known so far */
    return cat->lints ? cat->lints->n : 0;
}

/* "Producer.ttsc__feed" or "outside" for a sender. */
static void sender(const tt_catalyst *cat, const lint_rec *r, char *buf, size_t size)
{
    tt_trace_entry s = {.src_obj = r->src_obj};
    const char *who = tt_entry_source_name(cat, &s);
    if (!who)
        snprintf(buf, size, "outside%s", r->more_senders ? " and others" : "");
    else
        snprintf(buf, size, "%s.%s%s", who, tt_name(cat, r->src_sparkle),
                 r->more_senders ? " and others" : "");
}

static const char *state_name(const tt_catalyst *cat, uint32_t serial, int state)
{
    const char *s = serial < cat->n_tonics ? tt_tonic_state_at(cat->tonics[serial], state) : NULL;
    return s ? s : "?";
}

/* The message of lint r into r->msg. */
static void lint_message(const tt_catalyst *cat, const tt__lints *L, lint_rec *r)
{
    const char *t = tonic_name(cat, r->tonic);
    const char *sp = r->sparkle != UINT32_MAX ? tt_name(cat, r->sparkle) : "?";
    char who[300];
    unsigned long long n = (unsigned long long)r->count;
    switch (r->kind) {
    case TT_LINT_UNKNOWN_STATE:
        snprintf(r->msg, sizeof r->msg,
                 "%s.%s asked for state '%s', which %s does not have: ignored (%llu time%s)",
                 t, sp, r->detail, t, n, n == 1 ? "" : "s");
        break;
    case TT_LINT_DEAD_LETTER:
        sender(cat, r, who, sizeof who);
        snprintf(r->msg, sizeof r->msg,
                 r->state == DEAD_WHILE_FINISHING
                     ? "%llu dead letter%s: %s.%s sent by %s while %s was finishing (ignored)"
                     : "%llu dead letter%s: %s.%s sent by %s after %s had finished",
                 n, n == 1 ? "" : "s", t, sp, who, t);
        break;
    case TT_LINT_FINISH_IGNORED: {
        sender(cat, r, who, sizeof who);
        const tt_tonic *base = cat->tonics[r->tonic]->l.base;
        snprintf(r->msg, sizeof r->msg,
                 "%s.ttsc__finish from %s was ignored (%llu time%s): only %s itself or %s%s "
                 "may finish it",
                 t, who, n, n == 1 ? "" : "s", t, base ? "its base " : "the outside",
                 base ? base->l.name : "");
        break;
    }
    case TT_LINT_STUCK_TONIC:
        snprintf(r->msg, sizeof r->msg,
                 "%s stuck in state '%s': its timers fired %.0f times without a state "
                 "change (more than %llu)",
                 t, state_name(cat, r->tonic, r->state), r->value,
                 (unsigned long long)L->stuck_after);
        break;
    case TT_LINT_GIANT_SPARKLE:
        snprintf(r->msg, sizeof r->msg,
                 "%s.%s ran %.1f ms (longer than %g ms; %llu sparkle%s)", t, sp,
                 r->value * 1e3, L->giant * 1e3, n, n == 1 ? "" : "s");
        break;
    case TT_LINT_NO_HANDLER:
        if (r->state >= 0)
            snprintf(r->msg, sizeof r->msg,
                     "%s.%s has no handler in state '%s': nothing ran (%llu time%s)", t, sp,
                     state_name(cat, r->tonic, r->state), n, n == 1 ? "" : "s");
        else
            snprintf(r->msg, sizeof r->msg,
                     "%s.%s has no handler in no state: nothing ran (%llu time%s)", t, sp,
                     n, n == 1 ? "" : "s");
        break;
    case TT_LINT_QUEUE_GROWTH:
        snprintf(r->msg, sizeof r->msg,
                 "the queue grew to %.0f pending orders after %s.%s (more than %llu)",
                 r->value, t, sp, (unsigned long long)L->queue_limit);
        break;
    }
}

int tt_lint_get(tt_catalyst *cat, size_t i, tt_lint *out)
{
    if (!cat || !out)
        return -TT_EINVAL;
    tt__lints *L = cat->lints;
    if (!L || i >= L->n)
        return -TT_ERANGE;
    if (lint_sort(L) < 0)
        return -TT_ENOMEM;
    lint_rec *r = &L->v[L->order[i]];
    lint_message(cat, L, r);
    bool queue = r->kind == TT_LINT_QUEUE_GROWTH;
    *out = (tt_lint){
        .kind = r->kind,
        .severity = severity(r->kind),
        .tonic = queue ? NULL : tonic_name(cat, r->tonic),
        .sparkle = queue || r->sparkle == UINT32_MAX ? NULL : tt_name(cat, r->sparkle),
        .state = r->kind == TT_LINT_UNKNOWN_STATE ? r->detail
                 : r->state >= 0 && (r->kind == TT_LINT_NO_HANDLER || r->kind == TT_LINT_STUCK_TONIC)
                     ? state_name(cat, r->tonic, r->state)
                     : NULL,
        .message = r->msg,
        .seqs = r->seqs,
        .n_seqs = r->n_seqs,
        .last_seq = r->last_seq,
        .count = r->count,
        .value = r->value,
    };
    return 0;
}

void tt__lints_free(tt_catalyst *cat)
{
    tt__lints_destroy(cat->lints);
    cat->lints = NULL;
}

/* --- copies for checkpoints (checkpoint.c) -------------------------------- */

void tt__lints_destroy(tt__lints *L)
{
    if (!L)
        return;
    for (size_t i = 0; i < L->n; i++)
        free(L->v[i].detail);
    free(L->v);
    free(L->slots);
    free(L->tonics);
    free(L->order);
    free(L);
}

/* A deep copy of L (without the sort order); NULL without memory. */
tt__lints *tt__lints_clone(const tt__lints *L)
{
    tt__lints *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    *c = *L;
    c->v = NULL;
    c->slots = NULL;
    c->tonics = NULL;
    c->order = NULL;
    c->cap_order = 0;
    c->sorted = false;
    c->n = c->cap = 0;
    if (L->n && !(c->v = malloc(L->n * sizeof *c->v)))
        goto fail;
    for (; c->n < L->n; c->n++) {
        c->v[c->n] = L->v[c->n];
        c->v[c->n].detail = NULL;
        if (L->v[c->n].detail && !(c->v[c->n].detail = tt__strdup(L->v[c->n].detail)))
            goto fail;
    }
    c->cap = c->n;
    if (L->nslots && !(c->slots = malloc(L->nslots * sizeof *c->slots)))
        goto fail;
    if (L->nslots)
        memcpy(c->slots, L->slots, L->nslots * sizeof *c->slots);
    if (L->n_tonics && !(c->tonics = malloc(L->n_tonics * sizeof *c->tonics)))
        goto fail;
    if (L->n_tonics)
        memcpy(c->tonics, L->tonics, L->n_tonics * sizeof *c->tonics);
    return c;
fail:
    tt__lints_destroy(c);
    return NULL;
}

void tt__lints_put(tt_catalyst *cat, tt__lints *L)
{
    tt__lints_destroy(cat->lints);
    cat->lints = L;
}
