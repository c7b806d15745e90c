/*
 * cmd-time.c: time travel.  goto, reverse-step and reverse-continue replay
 * the session's journal (journal.c) up to a moment, from the nearest
 * checkpoint (checkpoint.c) or into a fresh catalyst;
 * verify replays the whole session in a second Distiller (a private copy of
 * the module, so that its static data is its own) and compares every entry.
 *
 * A moment is the state after a drain: an order and the extra sparkles of
 * the state change it made run as one (as `step` runs them), so a goto to an
 * entry inside a transition lands where the transition ends, and a
 * reverse-step lands before the whole transition.
 */
#include "ttdb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Whether the state right after entry seq is one a run can stop at: the
 * next entry is not an extra sparkle of the same transition. */
static bool is_boundary(tt_catalyst *cat, uint64_t seq)
{
    const tt_trace_entry *next = tt_trace_get(cat, seq + 1);
    return !next || !(next->flags & TT_EF_EXTRA);
}

/* Print where the session now is. */
static void say_where(tt_catalyst *cat, uint64_t asked)
{
    uint64_t at = tt_trace_last_seq(cat);
    if (asked != at && asked != UINT64_MAX)
        out_printf("#%llu is inside a state change: at #%llu, where it "
                   "ends\n", (unsigned long long)asked,
                   (unsigned long long)at);
    const tt_trace_entry *e = at ? tt_trace_get(cat, at) : NULL;
    if (e) {
        strbuf b = {0};
        why_entry_text(&b, cat, e);
        out_printf("at %s, time %gs\n", b.s, tt_catalyst_now(cat));
        sb_free(&b);
    } else {
        out_printf("at #0 (before the first sparkle), time %gs\n",
                   tt_catalyst_now(cat));
    }
    if (journal_input_ahead(&g_journal, at, 0)) {
        strbuf b = {0};
        const char *line;
        size_t k = 0;
        for (; (line = journal_input_ahead(&g_journal, at, k)); k++)
            sb_printf(&b, "%s`%s`", k ? ", " : "", line);
        out_printf("before the input%s %s given at #%llu: step or continue "
                   "gives %s again\n", k > 1 ? "s" : "", b.s,
                   (unsigned long long)at, k > 1 ? "them" : "it");
        sb_free(&b);
    }
    if (journal_has_future(&g_journal))
        out_printf("the recorded future runs to #%llu: step and continue "
                   "replay it; a new input starts a new future\n",
                   (unsigned long long)journal_horizon(&g_journal));
    snprintf(g_session.last_stop, sizeof g_session.last_stop, "goto #%llu",
             (unsigned long long)at);
}

/* Replay to target and report; 0 or -1. */
static int travel(uint64_t target, uint64_t asked)
{
    if (journal_replay(&g_session, target) < 0 || !g_session.cat)
        return -1;
    say_where(g_session.cat, asked);
    /* the run the moment cut short: stopped by the travel, as the status
     * line says (a forward run names what stopped it) */
    size_t nr = tt_run_count(g_session.cat);
    if (g_journal.cut && nr) {
        const char *stop = g_session.last_stop;
        tt_run_set_stops(g_session.cat, nr - 1, &stop, 1);
    }
    return 0;
}

/* The furthest seq the session has reached (now or in its recorded future). */
static uint64_t reached(tt_catalyst *cat)
{
    uint64_t h = journal_horizon(&g_journal), last = tt_trace_last_seq(cat);
    return h > last ? h : last;
}

/* goto #N */
static int cmd_goto_exec(cmd_args *a)
{
    tt_catalyst *cat = cmd_cat();
    uint64_t n;
    if (!cat)
        return -1;
    if (a->argc != 1)
        return cmd_usage_error(&cmd_goto_entry);
    if (!parse_seq(a->argv[0], &n))
        return cmd_word_error(&cmd_goto_entry, a->argv[0], "an entry (#N)");
    uint64_t top = reached(cat);
    if (n > top) {
        out_error("#%llu has not run: the session reached #%llu (step or "
                  "continue to go further)",
                  (unsigned long long)n, (unsigned long long)top);
        return -1;
    }
    return travel(n, n);
}

const cmd_entry cmd_goto_entry = {
    .name = "goto",
    .aliases = "go",
    .usage = "goto #N",
    .help = "Go to the moment right after entry N (#0: before the first "
            "sparkle), back or forward within what the session has run, by "
            "replaying its journal from the nearest checkpoint (or from the "
            "start: `set checkpoints`). Every pane, info "
            "and print then show that moment. An entry inside a state change "
            "lands where the change ends. Forward commands replay the "
            "recorded future until a new input starts a new one.",
    .exec = cmd_goto_exec,
    .flags = CMD_SESSION | CMD_RUNS,
    .on_recorded = "goto replays the app up to an entry, and a recorded trace has no app; "
                   RECORDED_INSTEAD,
};

/* reverse-step [N] */
static int cmd_rs_exec(cmd_args *a)
{
    tt_catalyst *cat = cmd_cat();
    long n = 1;
    if (!cat)
        return -1;
    if (a->argc > 1)
        return cmd_usage_error(&cmd_reverse_step_entry);
    if (a->argc == 1 && (!parse_long(a->argv[0], &n) || n < 1))
        return cmd_word_error(&cmd_reverse_step_entry, a->argv[0], "a count (1 or more)");
    uint64_t cur = tt_trace_last_seq(cat);
    if (cur == 0) {
        out_error("at #0: nothing ran before");
        return -1;
    }
    uint64_t t = (uint64_t)n >= cur ? 0 : cur - (uint64_t)n;
    while (t > 0 && !is_boundary(cat, t))
        t--;
    return travel(t, UINT64_MAX);
}

const cmd_entry cmd_reverse_step_entry = {
    .name = "reverse-step",
    .aliases = "rs",
    .usage = "reverse-step [N]",
    .help = "Go back to the state right before the last N entries ran "
            "(default 1); a state change's extra sparkles go with the "
            "sparkle that made it, so it lands before the whole change.",
    .exec = cmd_rs_exec,
    .flags = CMD_REPEAT | CMD_SESSION | CMD_RUNS,
    .on_recorded = "reverse-step replays the app up to an earlier entry, and a recorded "
                   "trace has no app; " RECORDED_INSTEAD,
};

/* The newest run before cur that an until (or a contract) stopped. */
static uint64_t last_until_stop(uint64_t cur)
{
    uint64_t best = 0;
    for (size_t i = 0; i < journal_count(&g_journal); i++) {
        const journal_item *it = journal_at(&g_journal, i);
        if (it->kind == J_RUN && it->stopped && it->end < cur && it->end > best)
            best = it->end;
    }
    return best;
}

/* reverse-continue: replays back to now with the breakpoints evaluated as
 * a forward run evaluates them (conditions, probe edges, watched values,
 * handler breakpoints), every hit recorded instead of stopping; then back
 * to the newest hit, counting ignore counts backwards as gdb does.  The
 * scan goes backwards a checkpoint's segment at a time, newest first: from
 * the nearest checkpoint before now to now, then from the one before to
 * it, and so on, until a segment holds a hit that stops (or an until's
 * stop, or the start, is reached).  A restore puts the breakpoints' state
 * (probe edges, watched values) where it was, so each segment sees what
 * the whole replay would. */
static int cmd_rc_exec(cmd_args *a)
{
    tt_catalyst *cat = a->cat; /* CMD_SESSION: never NULL */
    if (a->argc != 0)
        return cmd_usage_error(&cmd_reverse_continue_entry);
    uint64_t cur = tt_trace_last_seq(cat);
    if (cur == 0) {
        out_error("at #0: nothing ran before");
        return -1;
    }
    uint64_t floor = last_until_stop(cur), best = floor, hit_seq = 0, hi = cur;
    breakpoint *by = NULL;
    for (;;) {
        uint64_t from;
        tt_checkpoint *ck = tt_distiller_tainted(g_session.cat) ? NULL
                                                                : ckpt_pick(g_session.cat, hi);
        bp_scan(&g_bps, true, 0);
        int rc = journal_replay_scan(&g_session, hi, ck, &from);
        bp_scan(&g_bps, false, g_session.cat ? tt_trace_last_seq(g_session.cat) : 0);
        if (rc < 0 || !g_session.cat)
            return -1;
        for (size_t i = g_bps.nhits; i-- > 0 && g_bps.hits[i].end > floor;) {
            const bp_hit *h = &g_bps.hits[i];
            breakpoint *bp = bp_find(&g_bps, h->num);
            if (h->end >= cur || !bp || !bp_count_hit(bp))
                continue;
            best = h->end;
            hit_seq = h->seq;
            by = bp;
            break;
        }
        if (by || from <= floor)
            break;
        hi = from; /* the segment before */
    }
    if (best == 0) {
        out_printf("no breakpoint, watchpoint or until stop before #%llu: "
                   "at the start\n", (unsigned long long)cur);
        return travel(0, UINT64_MAX);
    }
    bool handler = by && by->kind == BP_HANDLER;
    if (by) {
        strbuf b = {0};
        bp_describe(by, &b);
        out_printf("%s %d (%s), hit by #%llu\n",
                   by->kind == BP_WATCH ? "watchpoint" : "breakpoint", by->num,
                   b.s, (unsigned long long)hit_seq);
        sb_free(&b);
        if (by->temporary)
            bp_delete(&g_bps, by->num);
    } else {
        out_printf("an until stopped here\n");
    }
    int rc = travel(best, UINT64_MAX);
    if (rc == 0 && handler) /* stopped before it: continue runs it */
        bp_handlers_seen(&g_bps, best);
    return rc;
}

const cmd_entry cmd_reverse_continue_entry = {
    .name = "reverse-continue",
    .aliases = "rc",
    .usage = "reverse-continue",
    .help = "Go back to the newest earlier moment where a forward run would "
            "have stopped: a hit of an enabled breakpoint (its condition "
            "holding; a probe breakpoint where it became true), a change of "
            "a watchpoint's probe, or where an until stopped. Ignore counts "
            "count the hits passed backwards; a tbreak that stops is "
            "deleted. Without one, back to the start.",
    .exec = cmd_rc_exec,
    .flags = CMD_REPEAT | CMD_SESSION | CMD_RUNS,
    .on_recorded = "reverse-continue replays the app up to an earlier stop, and a "
                   "recorded trace has no app; " RECORDED_INSTEAD,
};

/* ---------------------------------------------------------------------- */
/* verify                                                                 */
/* ---------------------------------------------------------------------- */

/* Copy file src to dst; 0 or -1 (errno). */
static int copy_file(const char *src, const char *dst)
{
    size_t len;
    char *data = read_file(src, &len);
    if (!data)
        return -1;
    FILE *f = fopen(dst, "wb");
    int rc = f && fwrite(data, 1, len, f) == len ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(data);
    return rc;
}

/* Whether two values are the same (tonics and timers by name). */
static bool same_value(const tt_value *x, const tt_value *y)
{
    if (x->type != y->type)
        return false;
    switch (x->type) {
    case TT_T_TONIC:
        return (!x->u.tonic && !y->u.tonic) ||
               (x->u.tonic && y->u.tonic &&
                strcmp(tt_tonic_name(x->u.tonic), tt_tonic_name(y->u.tonic)) == 0);
    case TT_T_TIMER:
    case TT_T_TIMERINFO:
        return (!x->u.timer && !y->u.timer) ||
               (x->u.timer && y->u.timer &&
                strcmp(tt_timer_name(x->u.timer), tt_timer_name(y->u.timer)) == 0);
    case TT_T_PTR:
        return true; /* addresses differ between two processes' worth */
    default: {
        if (x->type != TT_T_LIST && x->type != TT_T_MAP)
            return tt_value_equal(x, y);
        char *a = fmt_value(x), *b = fmt_value(y);
        bool eq = strcmp(a, b) == 0;
        free(a);
        free(b);
        return eq;
    }
    }
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Whether the probes snapshots agree (only when both have them: a replay
 * runs without the contracts that took them). */
static bool same_probes(const tt_map *a, const tt_map *b)
{
    if (!a || !b)
        return true;
    tt_value va = {.type = TT_T_MAP, .u.map = (tt_map *)a};
    tt_value vb = {.type = TT_T_MAP, .u.map = (tt_map *)b};
    return same_value(&va, &vb);
}

/* What an id of the session means in the replay: the same (1), not (2),
 * not known yet (0); names and tonics are compared once, not per entry. */
typedef struct id_memo {
    uint8_t *v;
    size_t n;
} id_memo;

static uint8_t *memo_slot(id_memo *m, uint32_t id)
{
    if (id >= m->n) {
        size_t n = m->n ? m->n : 64;
        while (n <= id)
            n *= 2;
        m->v = xrealloc(m->v, n);
        memset(m->v + m->n, 0, n - m->n);
        m->n = n;
    }
    return &m->v[id];
}

typedef struct same_ids {
    id_memo names, tonics;
} same_ids;

/* Whether name id means the same text in both catalysts. */
static bool same_name_id(same_ids *m, tt_catalyst *c1, tt_catalyst *c2,
                         uint32_t id)
{
    uint8_t *s = memo_slot(&m->names, id);
    if (!*s)
        *s = same_str(tt_name(c1, id), tt_name(c2, id)) ? 1 : 2;
    return *s == 1;
}

/* Whether tonic serial is a tonic of the same name and class in both. */
static bool same_tonic_id(same_ids *m, tt_catalyst *c1, tt_catalyst *c2,
                          uint32_t serial)
{
    uint8_t *s = memo_slot(&m->tonics, serial);
    if (!*s) {
        tt_tonic *t1 = tt_tonic_at(c1, serial), *t2 = tt_tonic_at(c2, serial);
        *s = t1 && t2 && same_str(tt_tonic_name(t1), tt_tonic_name(t2)) &&
                     same_str(tt_tonic_class_name(t1), tt_tonic_class_name(t2))
                 ? 1 : 2;
    }
    return *s == 1;
}

/* Whether the names of two entries agree (tonic, sparkle, source, states):
 * by id when the ids are equal and mean the same, else by text. */
static const char *names_diff(same_ids *m, tt_catalyst *c1,
                              const tt_trace_entry *a, tt_catalyst *c2,
                              const tt_trace_entry *b)
{
    bool tonic = a->tonic == b->tonic && same_tonic_id(m, c1, c2, a->tonic);
    if (!tonic &&
        !same_str(tt_entry_tonic_name(c1, a), tt_entry_tonic_name(c2, b)))
        return "tonic";
    if (!(a->sparkle == b->sparkle && same_name_id(m, c1, c2, a->sparkle)) &&
        !same_str(tt_entry_sparkle_name(c1, a), tt_entry_sparkle_name(c2, b)))
        return "sparkle";
    bool src = a->src_obj == b->src_obj &&
               (a->src_obj == TT_SRC_NONE ||
                (!(a->src_obj & TT_SRC_TIMER) &&
                 same_tonic_id(m, c1, c2, a->src_obj)));
    if ((!src &&
         !same_str(tt_entry_source_name(c1, a), tt_entry_source_name(c2, b))) ||
        (!(a->src_sparkle == b->src_sparkle &&
           same_name_id(m, c1, c2, a->src_sparkle)) &&
         !same_str(tt_entry_source_sparkle(c1, a),
                   tt_entry_source_sparkle(c2, b))) ||
        a->src_id != b->src_id)
        return "source";
    /* a tonic of the same class numbers its states alike */
    if (!(tonic && a->state_enter == b->state_enter &&
          a->state_exit == b->state_exit) &&
        (!same_str(tt_entry_state_enter(c1, a), tt_entry_state_enter(c2, b)) ||
         !same_str(tt_entry_state_exit(c1, a), tt_entry_state_exit(c2, b))))
        return "states";
    return NULL;
}

/* What differs between two entries, or NULL. */
static const char *entry_diff(same_ids *m, tt_catalyst *c1,
                              const tt_trace_entry *a, tt_catalyst *c2,
                              const tt_trace_entry *b)
{
    const char *names = names_diff(m, c1, a, c2, b);
    if (names && (strcmp(names, "tonic") == 0 || strcmp(names, "sparkle") == 0))
        return names;
    if (a->nargs != b->nargs)
        return "args";
    for (size_t i = 0; i < a->nargs; i++)
        if (!same_value(&a->args[i], &b->args[i]))
            return "args";
    if (tt_entry_cause(a) != tt_entry_cause(b))
        return "cause";
    if (names)
        return names; /* source or states */
    if ((a->flags ^ b->flags) & (TT_EF_IGNORED | TT_EF_NOHANDLER | TT_EF_CRASHED | TT_EF_EXTRA))
        return "how it ran";
    if (a->vt != b->vt)
        return "virtual time";
    if (!same_probes(tt_entry_probes_enter(a), tt_entry_probes_enter(b)) ||
        !same_probes(tt_entry_probes_exit(a), tt_entry_probes_exit(b)))
        return "probes";
    return NULL;
}

/* One version of a divergent entry, formatted now (the replay's trace
 * ring may drop it before the end). */
static char *entry_line(tt_catalyst *cat, uint64_t seq)
{
    const tt_trace_entry *e = tt_trace_get(cat, seq);
    if (!e)
        return xasprintf("(no entry #%llu)", (unsigned long long)seq);
    char line[1024];
    tt_entry_format(cat, e, line, sizeof line);
    return xstrdup(line);
}

/* A comparison of the session's entries with a replay's, entry by entry
 * while the replay runs (its trace can then be a small ring). */
typedef struct verify_state {
    tt_catalyst *session;
    uint64_t next;        /* the next seq to compare */
    uint64_t same;        /* entries found identical */
    uint64_t diff_seq;    /* the first divergent one (0: none yet) */
    same_ids ids;
    const char *diff_what;
    char *diff_session, *diff_replay;
} verify_state;

/* Compare entries from v->next to seq (the replay has just run seq). */
static void verify_upto(verify_state *v, tt_catalyst *side, uint64_t seq)
{
    tt_catalyst *c1 = v->session;
    uint64_t f1 = tt_trace_first_seq(c1), l1 = tt_trace_last_seq(c1);
    for (; v->next <= seq && !v->diff_seq; v->next++) {
        uint64_t s = v->next;
        if (s < f1)
            continue; /* dropped by the session's trace ring */
        const tt_trace_entry *a = s <= l1 ? tt_trace_get(c1, s) : NULL;
        const tt_trace_entry *b = tt_trace_get(side, s);
        const char *d =
            !a || !b ? "presence" : entry_diff(&v->ids, c1, a, side, b);
        if (!d) {
            v->same++;
            continue;
        }
        v->diff_seq = s;
        v->diff_what = d;
        v->diff_session = entry_line(c1, s);
        v->diff_replay = entry_line(side, s);
    }
}

static void verify_tap(tt_catalyst *side, uint64_t seq, void *ud)
{
    verify_upto(ud, side, seq);
}

/* After the replay: the entries not yet compared, and any the session has
 * that the replay has not. */
static int verify_end(tt_catalyst *side, void *ud)
{
    verify_state *v = ud;
    uint64_t l1 = tt_trace_last_seq(v->session), l2 = tt_trace_last_seq(side);
    verify_upto(v, side, l1 > l2 ? l1 : l2);
    return v->diff_seq ? -1 : 0;
}

/* Print the result of a comparison; 0 when equal. */
static int verify_report(verify_state *v)
{
    tt_catalyst *c1 = v->session;
    if (v->diff_seq) {
        out_printf("diverged at #%llu (%s) after %llu identical entries\n",
                   (unsigned long long)v->diff_seq, v->diff_what,
                   (unsigned long long)v->same);
        out_printf("  session: %s\n", v->diff_session);
        out_printf("  replay : %s\n", v->diff_replay);
        return -1;
    }
    uint64_t f = tt_trace_first_seq(c1), top = tt_trace_last_seq(c1);
    strbuf b = {0};
    if (f > 1)
        sb_printf(&b, "#1-#%llu were dropped by the trace ring",
                  (unsigned long long)(f - 1));
    uint64_t h = journal_horizon(&g_journal);
    if (h > top)
        sb_printf(&b, "%sup to #%llu, where the session is now: its recorded "
                  "future to #%llu is not compared", b.len ? "; " : "",
                  (unsigned long long)top, (unsigned long long)h);
    out_printf("deterministic: %llu entries identical%s%s%s\n",
               (unsigned long long)v->same, b.len ? " (" : "",
               b.len ? b.s : "", b.len ? ")" : "");
    sb_free(&b);
    return 0;
}

/* Replay the journal up to target in a second Distiller (a private copy
 * of the app module, so that its static data is its own) and call fn with
 * it; the session is left as it was.  what names the command in errors.
 * Returns fn's result, -1 when the replay failed, -2 (said) when it could
 * not be set up. */
int side_replay(const char *what, uint64_t target, size_t trace_ring,
                void (*tap)(tt_catalyst *side, uint64_t seq, void *ud),
                int (*fn)(tt_catalyst *side, void *ud), void *ud)
{
    const char *so = tt_app_path(g_session.app);
    char *dir = tmp_template("ttdb-verify");
    if (!so || !mkdtemp(dir)) {
        out_error("%s: cannot make a temporary folder %s: %s", what, dir,
                  strerror(errno));
        free(dir);
        return -2;
    }
    const char *base = strrchr(so, '/');
    char *copy = xasprintf("%s/%s", dir, base ? base + 1 : so);
    if (copy_file(so, copy) < 0) {
        out_error("%s: cannot copy %s: %s", what, so, strerror(errno));
        free(copy);
        rmdir(dir);
        free(dir);
        return -2;
    }
    /* the second Distiller runs as the session while it replays */
    session saved = g_session;
    bp_list bps = g_bps; /* the watch history stays the session's */
    g_bps.rows = NULL;
    g_bps.nrows = g_bps.caprows = 0;
    g_bps.w = xcalloc(bps.nw ? bps.nw : 1, sizeof *g_bps.w);
    for (size_t i = 0; i < bps.nw; i++) {
        g_bps.w[i].num = bps.w[i].num;
        g_bps.w[i].tonic = bps.w[i].tonic;
        g_bps.w[i].probe = bps.w[i].probe;
    }
    /* the tap between passes (the seq hook), every half ring: the entries
     * since the last call are still in the replay's trace */
    ckpt_side_tap(tap, ud, trace_ring ? trace_ring / 2 : 65536);
    g_session.app = NULL;
    g_session.cat = NULL;
    g_session.app_path = copy;
    g_session.trace_ring = trace_ring;
    size_t pos = g_journal.pos;
    ckpt_suspend(true); /* the checkpoints are the session's */
    int rc = journal_replay(&g_session, target);
    g_journal.pos = pos;
    tt_catalyst *side = g_session.cat;
    g_session.cat = saved.cat; /* fn sees the session as it was */
    rc = rc == 0 && side ? fn(side, ud) : -1;
    g_session.cat = side;
    session_close(&g_session);
    unlink(copy);
    rmdir(dir);
    free(dir);
    free(copy);
    g_session = saved;
    ckpt_side_tap(NULL, NULL, 0);
    ckpt_suspend(false);
    for (size_t i = 0; i < g_bps.nrows; i++)
        free(g_bps.rows[i].text);
    free(g_bps.rows);
    for (size_t i = 0; i < g_bps.nw; i++)
        tt_value_clear(&g_bps.w[i].last);
    free(g_bps.w);
    g_bps = bps;
    bp_resync(&g_bps, g_session.cat);
    bp_install(&g_bps, g_session.cat);
    frontend_changed();
    return rc;
}

/* The trace ring of verify's replay: entries are compared as it runs. */
#define VERIFY_RING 65536

/* verify */
static int cmd_verify_exec(cmd_args *a)
{
    tt_catalyst *cat = a->cat; /* CMD_SESSION: never NULL */
    if (a->argc != 0)
        return cmd_usage_error(&cmd_verify_entry);
    verify_state v = {.session = cat, .next = 1};
    int rc = side_replay("verify", tt_trace_last_seq(cat), VERIFY_RING,
                         verify_tap, verify_end, &v);
    if (rc != -2 && (rc == 0 || v.diff_seq))
        rc = verify_report(&v) < 0 ? -1 : rc;
    free(v.diff_session);
    free(v.diff_replay);
    free(v.ids.names.v);
    free(v.ids.tonics.v);
    if (rc == -1)
        out_error("verify: the replay differs from the session: the app "
                  "depends on something outside the Distiller (the wall "
                  "clock, threads, real I/O, uninitialised memory)");
    return rc < 0 ? -1 : rc;
}

const cmd_entry cmd_verify_entry = {
    .name = "verify",
    .usage = "verify",
    .help = "Replay the session from the start to where it is now in a "
            "second Distiller (a private copy of the app module) and compare "
            "every entry (after going back, the recorded future is not "
            "compared, and the result says so): "
            "tonic, sparkle, args, cause, source, states, how it ran, "
            "virtual time and probes (where both took them). Prints "
            "`deterministic: N entries identical` or the first divergent "
            "entry in both versions, and fails then.",
    .exec = cmd_verify_exec,
    .flags = CMD_SESSION | CMD_RUNS,
};
