/*
 * cmd-why.c: causality.  `why [#N]` walks the causes of an entry back to the
 * input from outside that set it off, one line per link; `caused #N` shows
 * the tree of everything N set off, orders still queued and timers still
 * pending included.  The library records the causes (tt_entry_cause); the
 * views use why_chain for the detail of an entry.
 */
#include "ttdb.h"

#include <stdlib.h>
#include <string.h>

#define CAUSED_MAX_LINES 1000
#define WHY_MAX_LINKS 1000

/* Arguments for a link: a timer info or reference by name, a tonic by name,
 * anything else as JSON. */
static void link_args(strbuf *b, const tt_value *args, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_add(b, ", ");
        const tt_value *v = &args[i];
        if ((v->type == TT_T_TIMERINFO || v->type == TT_T_TIMER) && v->u.timer)
            sb_add(b, tt_timer_name(v->u.timer));
        else if (v->type == TT_T_TONIC && v->u.tonic)
            sb_add(b, tt_tonic_name(v->u.tonic));
        else {
            char *s = fmt_value(v);
            sb_add(b, s);
            free(s);
        }
    }
}

/* "#11 MyDevice.ttsc__start_timer(0.2)". */
void why_entry_text(strbuf *b, tt_catalyst *cat, const tt_trace_entry *e)
{
    sb_printf(b, "#%llu %s.%s(", (unsigned long long)tt_entry_seq(e),
              tt_entry_tonic_name(cat, e), tt_entry_sparkle_name(cat, e));
    link_args(b, e->args, e->nargs);
    sb_add(b, ")");
}

/* The root of a chain: what queued an entry without a cause. */
static void root_text(strbuf *b, const char *src, const char *sparkle)
{
    if (!src && sparkle && strcmp(sparkle, "ttdb") == 0)
        sb_add(b, "input: call from ttdb");
    else if (!src && sparkle && *sparkle)
        sb_printf(b, "input: from outside (%s)", sparkle);
    else if (!src)
        sb_add(b, "input: from outside (a test, finish_distiller, advance "
                  "or another thread)");
    else if (sparkle && strcmp(sparkle, "__formula__") == 0)
        sb_add(b, "input: the formula");
    else if (sparkle && strcmp(sparkle, "__init__") == 0)
        sb_printf(b, "input: %s created by the formula or from outside", src);
    else
        sb_printf(b, "input: %s.%s outside any traced sparkle", src,
                  sparkle ? sparkle : "");
}

/* The link from entry e to its cause c (seq), when it says more than the
 * cause's own line: a timer, a transition, a creation. */
static void link_text(strbuf *b, tt_catalyst *cat, const tt_trace_entry *e,
                      uint64_t c)
{
    const char *src = tt_entry_source_name(cat, e);
    const char *sp = tt_entry_source_sparkle(cat, e);
    if (e->flags & TT_EF_EXTRA)
        sb_printf(b, "<- state change in #%llu\n", (unsigned long long)c);
    else if (e->src_obj != TT_SRC_NONE && (e->src_obj & TT_SRC_TIMER))
        sb_printf(b, "<- timer %s started in #%llu\n", src,
                  (unsigned long long)c);
    else if (src && sp && strcmp(sp, "__init__") == 0)
        sb_printf(b, "<- %s created in #%llu\n", src, (unsigned long long)c);
    else if (!src && !(sp && *sp)) /* a single shot's end, after it fired:
                                       queued from outside any sparkle, as
                                       Python's (source external) */
        sb_printf(b, "<- the timer finished after it fired (a single shot); "
                     "started in #%llu\n", (unsigned long long)c);
}

/* The causal chain from entry seq, one line per link, into b (seq's own
 * line starts with "<- " when it continues a chain: cont).  A link the
 * trace ring dropped: its seq in *dropped when asked for (the chain goes
 * on from there), else a line that says so.  -1 when seq is not held. */
static int chain_from(strbuf *b, tt_catalyst *cat, uint64_t seq, bool cont,
                      size_t *links, uint64_t *dropped)
{
    const tt_trace_entry *e = tt_trace_get(cat, seq);
    if (!e)
        return -1;
    if (cont)
        sb_add(b, "<- ");
    why_entry_text(b, cat, e);
    sb_add(b, "\n");
    for (;; (*links)++) {
        uint64_t c = tt_entry_cause(e);
        if (*links == WHY_MAX_LINKS && c) {
            sb_printf(b, "<- ... (%d links shown: `why #%llu` goes on)\n",
                      WHY_MAX_LINKS, (unsigned long long)c);
            return 0;
        }
        if (c == 0) {
            const char *src = tt_entry_source_name(cat, e);
            if (e->src_obj != TT_SRC_NONE && (e->src_obj & TT_SRC_TIMER)) {
                sb_printf(b, "<- timer %s started outside any sparkle\n", src);
                sb_add(b, "<- input: the formula, a call or a test");
            } else {
                sb_add(b, "<- ");
                root_text(b, src, tt_entry_source_sparkle(cat, e));
            }
            sb_add(b, "\n");
            return 0;
        }
        link_text(b, cat, e, c);
        const tt_trace_entry *ce = tt_trace_get(cat, c);
        if (!ce) {
            if (dropped) {
                *dropped = c;
                return 0;
            }
            sb_printf(b, "<- #%llu (dropped by the trace ring)\n",
                      (unsigned long long)c);
            return 0;
        }
        sb_add(b, "<- ");
        why_entry_text(b, cat, ce);
        sb_add(b, "\n");
        e = ce;
    }
}

/* The causal chain of entry seq, one line per link, into b. */
int why_chain(strbuf *b, tt_catalyst *cat, uint64_t seq)
{
    size_t links = 0;
    return chain_from(b, cat, seq, false, &links, NULL);
}

/* A piece of a chain in a replay (side_replay): from seq on. */
typedef struct chain_part {
    strbuf *b;
    uint64_t seq, dropped;
    bool cont;
    size_t links;
} chain_part;

static int chain_part_cb(tt_catalyst *side, void *ud)
{
    chain_part *p = ud;
    p->dropped = 0;
    return chain_from(p->b, side, p->seq, p->cont, &p->links, &p->dropped);
}

/* The chain of seq, replaying to the entries the trace ring dropped (each
 * replay keeps the trace ring's worth of entries before its target). */
static int why_replaying(strbuf *b, tt_catalyst *cat, uint64_t seq)
{
    chain_part p = {.b = b, .seq = seq};
    int rc = tt_trace_get(cat, seq)
                 ? chain_from(b, cat, seq, false, &p.links, &p.dropped)
                 : -2;
    if (rc == -2) { /* seq itself was dropped */
        p.dropped = seq;
        rc = 0;
    }
    while (rc == 0 && p.dropped) {
        p.seq = p.dropped;
        p.cont = p.seq != seq;
        rc = side_replay("why", p.seq, g_session.trace_ring, NULL,
                         chain_part_cb, &p);
    }
    return rc;
}

/* "#N" or "N" into a seq; false when it is not one. */
bool parse_seq(const char *s, uint64_t *out)
{
    long n;
    if (s[0] == '#')
        s++;
    if (!parse_long(s, &n) || n < 0)
        return false;
    *out = (uint64_t)n;
    return true;
}

/* The entry named by word i (default: the newest); 0 after an error.
 * With dropped_ok, one the trace ring dropped is fine. */
static uint64_t entry_arg(tt_catalyst *cat, cmd_args *a, const cmd_entry *ce,
                          bool dropped_ok)
{
    uint64_t last = tt_trace_last_seq(cat), seq = last;
    if (a->argc > 1 || (a->argc == 1 && !parse_seq(a->argv[0], &seq))) {
        cmd_usage_error(ce);
        return 0;
    }
    if (last == 0) {
        out_error("no sparkle has run yet");
        return 0;
    }
    if (seq < 1 || seq > last) {
        out_error("no entry #%llu: the trace holds #1-#%llu",
                  (unsigned long long)seq, (unsigned long long)last);
        return 0;
    }
    if (!dropped_ok && !tt_trace_get(cat, seq)) {
        out_error("#%llu was dropped by the trace ring (`goto #%llu` "
                  "replays to it)",
                  (unsigned long long)seq, (unsigned long long)seq);
        return 0;
    }
    return seq;
}

/* why [#N] */
static int cmd_why_exec(cmd_args *a)
{
    tt_catalyst *cat = a->cat; /* CMD_SESSION: never NULL */
    uint64_t seq = entry_arg(cat, a, &cmd_why_entry, true);
    if (!seq)
        return -1;
    strbuf b = {0};
    int rc = why_replaying(&b, cat, seq);
    if (b.s)
        out_printf("%s", b.s);
    sb_free(&b);
    return rc < 0 ? -1 : 0;
}

const cmd_entry cmd_why_entry = {
    .name = "why",
    .aliases = "bt backtrace where",
    .usage = "why [#N]",
    .help = "The causal chain of entry N (default: the newest), one line per "
            "link (at most 1000), back to the input from outside that set it off (gdb's "
            "backtrace, for sparkles: `bt` and `where` are aliases): the "
            "sparkle that queued it, the entry that started the timer whose "
            "callback it is, the state change it belongs to, the entry that "
            "created its tonic. Entries the trace ring dropped are found by "
            "replaying the session to them in a second Distiller.",
    .exec = cmd_why_exec,
    .flags = CMD_SESSION,
};

/* One node of the caused tree. */
typedef struct node {
    uint64_t seq;
    size_t parent;  /* index, or SIZE_MAX for the root */
    size_t first_child, next_sibling, last_child; /* SIZE_MAX: none */
} node;

/* caused #N */
static int cmd_caused_exec(cmd_args *a)
{
    tt_catalyst *cat = a->cat; /* CMD_SESSION: never NULL */
    if (a->argc != 1)
        return cmd_usage_error(&cmd_caused_entry);
    uint64_t root = entry_arg(cat, a, &cmd_caused_entry, false);
    if (!root)
        return -1;
    uint64_t last = tt_trace_last_seq(cat);
    /* index of each descendant by seq - root (SIZE_MAX: not one); causes are
     * older than their entries, so one pass forward finds them all */
    size_t span = (size_t)(last - root + 1);
    size_t *idx = xmalloc(span * sizeof *idx);
    for (size_t i = 0; i < span; i++)
        idx[i] = SIZE_MAX;
    node *nodes = NULL;
    size_t n = 0, cap = 0;
#define NODE_ADD(s, p)                                                        \
    do {                                                                      \
        if (n == cap) {                                                       \
            cap = cap ? cap * 2 : 64;                                         \
            nodes = xrealloc(nodes, cap * sizeof *nodes);                     \
        }                                                                     \
        nodes[n] = (node){(s), (p), SIZE_MAX, SIZE_MAX, SIZE_MAX};            \
        if ((p) != SIZE_MAX) {                                                \
            if (nodes[p].last_child == SIZE_MAX)                              \
                nodes[p].first_child = n;                                     \
            else                                                              \
                nodes[nodes[p].last_child].next_sibling = n;                  \
            nodes[p].last_child = n;                                          \
        }                                                                     \
        n++;                                                                  \
    } while (0)
    NODE_ADD(root, SIZE_MAX);
    idx[0] = 0;
    for (uint64_t s = root + 1; s <= last; s++) {
        const tt_trace_entry *e = tt_trace_get(cat, s);
        uint64_t c = e ? tt_entry_cause(e) : 0;
        if (c >= root && idx[c - root] != SIZE_MAX) {
            size_t p = idx[c - root];
            idx[s - root] = n;
            NODE_ADD(s, p);
        }
    }
#undef NODE_ADD
    /* depth-first, with an explicit stack of (node, depth) */
    size_t *stack = xmalloc(2 * n * sizeof *stack), sp = 0, lines = 0;
    stack[sp++] = 0;
    stack[sp++] = 0;
    strbuf b = {0};
    while (sp) {
        size_t depth = stack[--sp], i = stack[--sp];
        if (lines < CAUSED_MAX_LINES) {
            const tt_trace_entry *e = tt_trace_get(cat, nodes[i].seq);
            sb_printf(&b, "%*s", (int)(2 * depth), "");
            why_entry_text(&b, cat, e);
            sb_add(&b, "\n");
        }
        lines++;
        /* push the children in reverse so the oldest comes first */
        size_t nk = 0;
        for (size_t k = nodes[i].first_child; k != SIZE_MAX;
             k = nodes[k].next_sibling)
            nk++;
        sp += 2 * nk;
        size_t at = sp;
        for (size_t k = nodes[i].first_child; k != SIZE_MAX;
             k = nodes[k].next_sibling) {
            stack[--at] = depth + 1;
            stack[--at] = k;
        }
    }
    if (lines > CAUSED_MAX_LINES)
        sb_printf(&b, "... and %zu more entries\n", lines - CAUSED_MAX_LINES);
    /* what is still to run */
    size_t nq = tt_queue_length(cat);
    for (size_t i = 0; i < nq; i++) {
        tt_order_view o;
        if (tt_queue_at(cat, i, &o) < 0 || o.cause < root ||
            idx[o.cause - root] == SIZE_MAX)
            continue;
        sb_printf(&b, "queued: %s.%s(", tt_tonic_name(o.tonic), o.sparkle);
        link_args(&b, o.args, o.nargs);
        sb_printf(&b, ") <- #%llu\n", (unsigned long long)o.cause);
    }
    size_t nt = tt_timer_count(cat);
    for (size_t i = 0; i < nt; i++) {
        tt_timer *tm = tt_timer_at(cat, i);
        uint64_t c = tt_timer_cause(tm);
        if (!tt_timer_running(tm) || c < root || idx[c - root] == SIZE_MAX)
            continue;
        sb_printf(&b, "timer: %s %s at %gs <- #%llu\n", tt_timer_name(tm),
                  tt_timer_paused(tm) ? "paused, due" : "due",
                  tt_timer_due(tm), (unsigned long long)c);
    }
    out_printf("%s", b.s);
    sb_free(&b);
    free(stack);
    free(nodes);
    free(idx);
    return 0;
}

const cmd_entry cmd_caused_entry = {
    .name = "caused",
    .usage = "caused #N",
    .help = "The tree of everything entry N set off: the entries it queued, "
            "what those queued, and so on (indented by depth, at most 1000 "
            "lines), then the orders still queued and the timers still "
            "pending that descend from it.",
    .exec = cmd_caused_exec,
    .flags = CMD_SESSION,
};
