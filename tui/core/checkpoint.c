/*
 * checkpoint.c: validated in-process checkpoints for time travel.
 *
 * While the session runs forward (or replays), the step hook takes a
 * checkpoint of the Distiller every `checkpoint-interval` entries
 * (tt_checkpoint_take: the catalyst's state and the module's writable static
 * data).  A goto or reverse-step then restores the newest checkpoint at or
 * before its target and replays the journal from there, instead of from a
 * fresh Distiller.
 *
 * What the app keeps in memory it allocated itself is not in a checkpoint,
 * so a restore is validated: before it, a digest of every recorded entry
 * the replay will run again is kept; while the replay runs, each entry is
 * compared with it.  At the first difference the checkpoints are dropped,
 * the moment is reached by a replay from the start (exact, as without
 * checkpoints), and from then on going back always replays from the start.
 *
 * Checkpoints after a moment restored are dropped (they belonged to the
 * future it left); the older ones are thinned to at most CKPT_MAX, spaced
 * more widely the older they are.
 */
#include "ttdb.h"

#include <stdlib.h>
#include <string.h>

bool g_checkpoints = true;
/* 65,536 entries: a replay from the nearest checkpoint costs at most ~20 ms
 * at the Distiller's speed with the comparison (doc/performance.md). */
size_t g_checkpoint_interval = 65536;

#define CKPT_MAX 48

static struct {
    tt_catalyst *cat;        /* whose checkpoints these are */
    tt_checkpoint **v;       /* oldest first */
    size_t n;
    uint64_t next_at;        /* take the next one at or after this seq */
    bool suspended;          /* a second Distiller runs (verify) */
    bool distrust;           /* a restore disagreed: replay from the start */
    /* validation of the replay after a restore */
    bool validating;
    uint64_t from, to;       /* digests of entries from..to */
    uint64_t *dig;
    uint64_t ck_seq, bad_seq;
    uint64_t *qdig;          /* the orders run next after the target, */
    uint64_t *qseq;          /* recorded: digests and seqs */
    size_t nq;
} C;

/* Orders pending at the target compared with the entries they became. */
#define CKPT_QMAX 1024

/* Whether the step hook should run: while a replay is validated. */
bool ckpt_wanted(void)
{
    return C.validating;
}

static bool taking(void)
{
    return g_checkpoints && !C.distrust && g_checkpoint_interval > 0;
}

static uint64_t seq_hook(void *ud, tt_catalyst *cat, uint64_t seq);

/* A second Distiller's tap (verify): called every `every` entries. */
static struct {
    void (*fn)(tt_catalyst *cat, uint64_t seq, void *ud);
    void *ud;
    uint64_t every;
} S;

void ckpt_side_tap(void (*fn)(tt_catalyst *cat, uint64_t seq, void *ud), void *ud,
                   uint64_t every)
{
    S.fn = fn;
    S.ud = ud;
    S.every = every ? every : 1;
}

static uint64_t side_hook(void *ud, tt_catalyst *cat, uint64_t seq)
{
    (void)ud;
    if (!S.fn)
        return UINT64_MAX;
    S.fn(cat, seq, S.ud);
    return seq + S.every;
}

/* Ask cat to call back when the next checkpoint is due, or a second
 * Distiller's tap (bp_install). */
void ckpt_install(tt_catalyst *cat)
{
    if (!cat)
        return;
    if (C.suspended && S.fn)
        tt_distiller_set_seq_hook(cat, S.every, side_hook, NULL);
    else if (taking() && !C.suspended)
        tt_distiller_set_seq_hook(cat, C.next_at, seq_hook, NULL);
    else
        tt_distiller_set_seq_hook(cat, 0, NULL, NULL);
}

void ckpt_reset(void)
{
    if (C.suspended)
        return;
    for (size_t i = 0; i < C.n; i++)
        tt_checkpoint_free(C.v[i]);
    free(C.v);
    C.v = NULL;
    C.n = 0;
    C.cat = NULL;
    C.next_at = 0;
}

void ckpt_suspend(bool on) { C.suspended = on; }

/* Drop the checkpoints after seq (a new future starts there). */
void ckpt_drop_after(uint64_t seq)
{
    if (C.suspended)
        return;
    while (C.n && tt_checkpoint_seq(C.v[C.n - 1]) > seq)
        tt_checkpoint_free(C.v[--C.n]);
    uint64_t last = C.n ? tt_checkpoint_seq(C.v[C.n - 1]) : 0;
    C.next_at = last + g_checkpoint_interval;
    ckpt_install(g_session.cat);
}

size_t ckpt_count(size_t *bytes)
{
    size_t b = 0;
    for (size_t i = 0; i < C.n; i++)
        b += tt_checkpoint_bytes(C.v[i]);
    if (bytes)
        *bytes = b;
    return C.n;
}

/* One too many: drop the one whose neighbours lie closest together for
 * its age, so that spacing grows with distance from the newest. */
static void thin(void)
{
    uint64_t top = tt_checkpoint_seq(C.v[C.n - 1]);
    size_t best = 0;
    double best_score = 0;
    for (size_t i = 0; i + 1 < C.n; i++) {
        uint64_t lo = i ? tt_checkpoint_seq(C.v[i - 1]) : 0;
        uint64_t hi = tt_checkpoint_seq(C.v[i + 1]);
        double score = (double)(hi - lo) / (double)(top - tt_checkpoint_seq(C.v[i]) + 1);
        if (i == 0 || score < best_score) {
            best = i;
            best_score = score;
        }
    }
    tt_checkpoint_free(C.v[best]);
    memmove(C.v + best, C.v + best + 1, (C.n - best - 1) * sizeof *C.v);
    C.n--;
}

void ckpt_info(void)
{
    if (!g_checkpoints || !g_checkpoint_interval) {
        out_printf("checkpoints are off: going back replays from the start\n");
        return;
    }
    if (C.distrust) {
        out_printf("no checkpoints: one disagreed with the trace, so going back "
                   "replays from the start (`set checkpoints on` tries again)\n");
        return;
    }
    size_t bytes, n = ckpt_count(&bytes);
    if (n == 0) {
        out_printf("no checkpoints yet (one every %zu entries)\n", g_checkpoint_interval);
        return;
    }
    strbuf b = {0};
    for (size_t i = 0; i < n; i++)
        sb_printf(&b, "%s#%llu", i ? " " : "", (unsigned long long)tt_checkpoint_seq(C.v[i]));
    out_printf("%zu checkpoint%s, %.1f KiB (one every %zu entries, at most %d): %s\n", n,
               n == 1 ? "" : "s", (double)bytes / 1024, g_checkpoint_interval, CKPT_MAX, b.s);
    sb_free(&b);
}

/* --- digests of entries ------------------------------------------------- */

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2);
    return h * 0x100000001b3u;
}

static uint64_t mix_str(uint64_t h, const char *s)
{
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    return mix(h, 0xff);
}

static uint64_t value_digest(uint64_t h, const tt_value *v)
{
    h = mix(h, (uint64_t)v->type);
    switch (v->type) {
    case TT_T_INT: return mix(h, (uint64_t)v->u.i);
    case TT_T_DOUBLE: {
        uint64_t b;
        memcpy(&b, &v->u.d, sizeof b);
        return mix(h, b);
    }
    case TT_T_BOOL: return mix(h, v->u.b);
    case TT_T_STR: return mix_str(h, v->u.s);
    case TT_T_TONIC: return mix_str(h, v->u.tonic ? tt_tonic_name(v->u.tonic) : "");
    case TT_T_TIMER:
    case TT_T_TIMERINFO: return mix_str(h, v->u.timer ? tt_timer_name(v->u.timer) : "");
    case TT_T_LIST:
    case TT_T_MAP: {
        char *s = fmt_value(v);
        h = mix_str(h, s);
        free(s);
        return h;
    }
    default: return h; /* none, pointers (addresses) */
    }
}

/* What verify compares of an entry (not probes: a replay takes none). */
static uint64_t entry_digest(tt_catalyst *cat, const tt_trace_entry *e)
{
    uint64_t h = mix(0xcbf29ce484222325u, e->tonic);
    h = mix(h, e->sparkle);
    h = mix(h, e->src_obj);
    h = mix(h, e->src_sparkle);
    h = mix(h, (uint32_t)e->src_id);
    h = mix(h, (uint64_t)(uint16_t)e->state_enter << 16 | (uint16_t)e->state_exit);
    h = mix(h, tt_entry_cause(e));
    h = mix(h, e->flags & (TT_EF_IGNORED | TT_EF_NOHANDLER | TT_EF_CRASHED | TT_EF_EXTRA));
    uint64_t vt;
    memcpy(&vt, &e->vt, sizeof vt);
    h = mix(h, vt);
    h = mix(h, e->nargs);
    for (size_t i = 0; i < e->nargs; i++)
        h = value_digest(h, &e->args[i]);
    (void)cat;
    return h;
}

/* The same of an order and of the entry it became. */
static uint64_t order_digest(const char *tonic, const char *sparkle, const tt_value *args,
                             size_t nargs, uint64_t cause)
{
    uint64_t h = mix_str(0x84222325cbf29ce4u, tonic);
    h = mix_str(h, sparkle);
    h = mix(h, cause);
    h = mix(h, nargs);
    for (size_t i = 0; i < nargs; i++)
        h = value_digest(h, &args[i]);
    return h;
}

/* --- taking ------------------------------------------------------------- */

/* After every entry while a replay from a checkpoint is validated (the
 * step hook): compare it with the recorded one. */
void ckpt_after_entry(tt_catalyst *cat, uint64_t seq)
{
    if (!C.validating || C.suspended || cat != C.cat || seq < C.from || seq > C.to ||
        C.bad_seq)
        return;
    const tt_trace_entry *e = tt_trace_get(cat, seq);
    uint64_t want = C.dig[seq - C.from];
    if (want && (!e || entry_digest(cat, e) != want))
        C.bad_seq = seq;
}

/* Between passes of a run once the next checkpoint is due (the seq hook):
 * take it; returns the seq of the next. */
static uint64_t seq_hook(void *ud, tt_catalyst *cat, uint64_t seq)
{
    (void)ud;
    if (C.suspended || !taking() || cat != g_session.cat || !g_session.app)
        return UINT64_MAX;
    if (C.bad_seq) /* this replay is judged: no checkpoint from it */
        return seq + 1;
    if (C.cat != cat) {
        ckpt_reset();
        C.cat = cat;
    }
    tt_checkpoint *ck;
    if (tt_checkpoint_take(cat, g_session.app, &ck) < 0)
        return seq + 1; /* without memory: try again later */
    if (C.n == CKPT_MAX)
        thin();
    C.v = xrealloc(C.v, (C.n + 1) * sizeof *C.v);
    C.v[C.n++] = ck;
    C.next_at = seq + g_checkpoint_interval;
    return C.next_at;
}

/* --- restoring ---------------------------------------------------------- */

/* The checkpoint to replay to target from, or NULL: the newest before it
 * (so that at least one entry is replayed and compared) whose entry the
 * trace ring still holds (so that the trace stays whole; an older one is
 * not worth it: a replay from the start fills the ring as well). */
tt_checkpoint *ckpt_pick(tt_catalyst *cat, uint64_t target)
{
    if (!g_checkpoints || C.distrust || C.suspended || C.cat != cat || !cat)
        return NULL;
    uint64_t first = tt_trace_first_seq(cat);
    for (size_t i = C.n; i-- > 0;) {
        uint64_t s = tt_checkpoint_seq(C.v[i]);
        if (s >= target || s == 0)
            continue;
        return s + 1 >= first ? C.v[i] : NULL;
    }
    return NULL;
}

/* Before restoring ck to go to target: keep the digests of the recorded
 * entries the replay will run again. */
void ckpt_validate_begin(tt_catalyst *cat, const tt_checkpoint *ck, uint64_t target)
{
    uint64_t s = tt_checkpoint_seq(ck), last = tt_trace_last_seq(cat);
    C.ck_seq = s;
    C.bad_seq = 0;
    C.from = s + 1;
    C.to = target < last ? target : last;
    C.validating = true;
    bp_install(&g_bps, cat); /* the step hook compares */
    free(C.dig);
    C.dig = NULL;
    /* the queue at target: its orders run next, in order, as the entries
     * after target that are not extra sparkles (timers queue behind them) */
    C.nq = 0;
    C.qdig = xrealloc(C.qdig, CKPT_QMAX * sizeof *C.qdig);
    C.qseq = xrealloc(C.qseq, CKPT_QMAX * sizeof *C.qseq);
    for (uint64_t q = target + 1; q <= last && C.nq < CKPT_QMAX; q++) {
        const tt_trace_entry *e = tt_trace_get(cat, q);
        if (!e) /* dropped by the trace ring: nothing to compare with */
            break;
        if (e->flags & TT_EF_EXTRA)
            continue;
        C.qseq[C.nq] = q;
        C.qdig[C.nq++] = order_digest(tt_entry_tonic_name(cat, e), tt_entry_sparkle_name(cat, e),
                                      e->args, e->nargs, tt_entry_cause(e));
    }
    if (C.to < C.from)
        return;
    C.dig = xmalloc((size_t)(C.to - C.from + 1) * sizeof *C.dig);
    for (uint64_t q = C.from; q <= C.to; q++) {
        const tt_trace_entry *e = tt_trace_get(cat, q);
        C.dig[q - C.from] = e ? entry_digest(cat, e) : 0; /* 0: dropped */
    }
}

/* After the replay: 0 when it agreed, else the seq where it did not (the
 * checkpoints are dropped and no longer used, and the user is told). */
uint64_t ckpt_validate_end(uint64_t reached)
{
    C.validating = false;
    free(C.dig);
    C.dig = NULL;
    if (reached == UINT64_MAX) { /* the restore failed: nothing to judge */
        C.bad_seq = 0;
        return 0;
    }
    bp_install(&g_bps, g_session.cat); /* the step hook only if breakpoints need it */
    if (!C.bad_seq && reached < C.to)
        C.bad_seq = reached + 1; /* the replay stopped short */
    tt_catalyst *cat = g_session.cat;
    size_t nq = cat ? tt_queue_length(cat) : 0;
    for (size_t i = 0; !C.bad_seq && i < nq && i < C.nq; i++) {
        tt_order_view v;
        if (tt_queue_at(cat, i, &v) < 0 ||
            order_digest(tt_tonic_name(v.tonic), v.sparkle, v.args, v.nargs, v.cause) !=
                C.qdig[i])
            C.bad_seq = C.qseq[i];
    }
    uint64_t bad = C.bad_seq;
    C.bad_seq = 0;
    if (!bad)
        return 0;
    out_printf("checkpoint at #%llu disagrees with the trace at #%llu (the app "
               "keeps state outside its tonics' data): going back replays from "
               "the start from now on\n",
               (unsigned long long)C.ck_seq, (unsigned long long)bad);
    ckpt_reset();
    C.distrust = true;
    bp_install(&g_bps, g_session.cat); /* the step hook and seq hook off */
    return bad;
}

/* `set checkpoints on|off` or a new interval. */
void ckpt_setting_changed(void)
{
    if (!g_checkpoints) {
        ckpt_reset();
    } else {
        C.distrust = false;
        ckpt_drop_after(g_session.cat ? tt_trace_last_seq(g_session.cat) : 0);
    }
    bp_install(&g_bps, g_session.cat);
}

void ckpt_free(void)
{
    C.suspended = false;
    ckpt_reset();
    free(C.dig);
    free(C.qdig);
    free(C.qseq);
    C.dig = C.qdig = C.qseq = NULL;
}
