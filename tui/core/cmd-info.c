/*
 * cmd-info.c: `info` and its subcommands, read-only listings of the
 * session: tonics, queue, timers, sparkles, states, probes, exporters,
 * breakpoints, displays, runs, trace and one entry in full.
 */
#include "ttdb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The tonic named by the only argument (errors printed). */
static tt_tonic *arg_tonic(cmd_args *a, const cmd_entry *e)
{
    tt_catalyst *cat = cmd_cat();
    if (!cat)
        return NULL;
    if (a->argc != 1) {
        cmd_usage_error(e);
        return NULL;
    }
    return resolve_tonic(cat, a->argv[0]);
}

/* info tonics */
static int info_tonics_exec(cmd_args *a)
{
    (void)a;
    tt_catalyst *cat = a->cat; /* CMD_SESSION: never NULL */
    if (attach_tonics_print() == 0)
        return 0; /* a live app's */
    tonic_row *rows;
    size_t n = tonic_tree(cat, &rows);
    for (size_t i = 0; i < n; i++) {
        strbuf b = {0};
        fmt_tonic(&b, &rows[i]);
        out_printf("%s\n", b.s);
        sb_free(&b);
    }
    free(rows);
    return 0;
}

/* info queue */
static int info_queue_exec(cmd_args *a)
{
    (void)a;
    tt_catalyst *cat = a->cat; /* CMD_SESSION: never NULL */
    if (attach_queue_print() == 0)
        return 0; /* a live app's */
    size_t n = tt_queue_length(cat);
    if (n == 0)
        out_printf("the queue is empty\n");
    for (size_t i = 0; i < n; i++) {
        tt_order_view o;
        if (tt_queue_at(cat, i, &o) < 0)
            break;
        strbuf b = {0};
        fmt_order(&b, &o);
        fmt_order_cause(&b, &o);
        out_printf("%4zu. %s\n", i + 1, b.s);
        sb_free(&b);
    }
    return 0;
}

/* Kind of a timer as its class name. */
static const char *timer_kind(const tt_timer *tm)
{
    switch (tt_timer_get_kind(tm)) {
    case TT_TIMER_SINGLE_SHOT:
        return "single-shot";
    case TT_TIMER_REPEAT:
        return "repeat";
    case TT_TIMER_PAUSING:
        return "pausing";
    }
    return "?";
}

/* info timers */
static int info_timers_exec(cmd_args *a)
{
    (void)a;
    tt_catalyst *cat = a->cat; /* CMD_SESSION: never NULL */
    size_t n = tt_timer_count(cat), shown = 0;
    for (size_t i = 0; i < n; i++) {
        tt_timer *tm = tt_timer_at(cat, i);
        if (!tm)
            continue;
        tt_tonic *base = tt_timer_base(tm);
        int id = tt_timer_id(tm);
        const char *st = id < 0                ? "finished"
                         : tt_timer_paused(tm)  ? "paused"
                         : tt_timer_running(tm) ? "running"
                                                : "stopped";
        strbuf b = {0};
        if (id >= 0)
            sb_printf(&b, "%d ", id);
        else
            sb_add(&b, "- ");
        /* a trace read back may not say a timer's kind, base or period:
         * "?" rather than a guess */
        sb_printf(&b, "%s %s of %s%s", tt_timer_name(tm),
                  tt_timer_kind_known(tm) ? timer_kind(tm) : "(kind not in the trace)",
                  base ? tt_tonic_name(base) : "?", tt_timer_base_known(tm) ? "" : " (a guess)");
        if (isnan(tt_timer_period(tm)))
            sb_printf(&b, ", period ? (not in the trace), %s", st);
        else
            sb_printf(&b, ", period %gs, %s", tt_timer_period(tm), st);
        if (id >= 0 && tt_timer_running(tm) && !tt_timer_paused(tm))
            sb_printf(&b, ", due at %gs", tt_timer_due(tm));
        out_printf("%s\n", b.s);
        sb_free(&b);
        shown++;
    }
    if (!shown)
        out_printf("no timers\n");
    return 0;
}

static const cmd_entry info_sparkles_entry;
static const cmd_entry info_states_entry;
static const cmd_entry info_probes_entry;

/* Where sparkle s of t has handlers: "in idle: Parent_ttsc_idle__run;
 * any state: Parent_ttsc__run", or how the runtime takes it. */
static void sparkle_handlers(tt_tonic *t, const char *s, strbuf *b)
{
    size_t ns = tt_tonic_state_count(t);
    if (g_session.recorded) { /* a trace names no handlers, no C function */
        sb_add(b, tt_tonic_sparkle_builtin(t, s) ? "(the runtime's)"
                                                 : "(ran in the trace)");
        return;
    }
    bool own = false; /* a state has a handler of its own */
    for (int st = 0; st <= (int)ns; st++) {
        int idx = st < (int)ns ? st : -1; /* the generic handler last */
        const tt_handler *h = tt_tonic_handler(t, s, idx);
        if (!h)
            continue;
        if (b->len)
            sb_add(b, "; ");
        if (idx >= 0) {
            sb_printf(b, "in %s: ", tt_tonic_state_at(t, idx));
            own = true;
        } else if (own)
            sb_add(b, "other states: ");
        if (h->function)
            sb_add(b, h->function);
        else
            sb_printf(b, "%s_%s", tt_tonic_class_name(t), h->name);
    }
    if (!b->len)
        sb_add(b, tt_tonic_sparkle_builtin(t, s) ? "(the runtime's)"
                                                 : "(no handler: a traced no-op)");
    else if (tt_tonic_sparkle_builtin(t, s))
        sb_add(b, "; the runtime's first");
}

/* info sparkles TONIC: user sparkles first, then the runtime's. */
static int info_sparkles_exec(cmd_args *a)
{
    tt_tonic *t = arg_tonic(a, &info_sparkles_entry);
    if (!t)
        return -1;
    size_t n = tt_tonic_sparkle_count(t);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            const char *s = tt_tonic_sparkle_at(t, i);
            if (is_system_sparkle(s) != (pass == 1))
                continue;
            char sig[512];
            /* a trace does not say a sparkle's parameters: its name only */
            if ((g_session.recorded && !tt_tonic_sparkle_builtin(t, s)) ||
                tt_tonic_sparkle_sig_text(t, s, sig, sizeof sig) < 0)
                snprintf(sig, sizeof sig, "%s", s);
            strbuf b = {0};
            sparkle_handlers(t, s, &b);
            out_printf("%-28s %s\n", sig, b.s);
            sb_free(&b);
        }
    }
    return 0;
}

/* info states TONIC */
static int info_states_exec(cmd_args *a)
{
    if (a->argc == 0 && a->cat) { /* every tonic that has states, a line each */
        size_t nt = tt_tonic_count(a->cat), shown = 0;
        for (size_t k = 0; k < nt; k++) {
            tt_tonic *u = tt_tonic_at(a->cat, k);
            size_t n = u ? tt_tonic_state_count(u) : 0;
            if (!n)
                continue;
            strbuf b = {0};
            for (size_t i = 0; i < n; i++)
                sb_printf(&b, " %s%s", (int)i == tt_tonic_state(u) ? "*" : "",
                          tt_tonic_state_at(u, (int)i));
            out_printf("%s:%s\n", tt_tonic_name(u), b.s);
            sb_free(&b);
            shown++;
        }
        if (!shown)
            out_printf("no tonic has states\n");
        return 0;
    }
    tt_tonic *t = arg_tonic(a, &info_states_entry);
    if (!t)
        return -1;
    size_t n = tt_tonic_state_count(t);
    int cur = tt_tonic_state(t);
    if (n == 0)
        out_printf("%s has no states\n", tt_tonic_name(t));
    for (size_t i = 0; i < n; i++)
        out_printf("%c %zu %s\n", (int)i == cur ? '*' : ' ', i,
                   tt_tonic_state_at(t, (int)i));
    if (n && cur < 0)
        out_printf("(in no state: --)\n");
    return 0;
}

/* info probes TONIC */
static int info_probes_exec(cmd_args *a)
{
    tt_tonic *t = arg_tonic(a, &info_probes_entry);
    if (!t)
        return -1;
    size_t n = tt_tonic_probe_count(t);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = tt_tonic_probe_at(t, i);
        tt_value v = TT_NONE;
        int r = tt_tonic_probe_read(t, p, &v);
        if (r == -TT_ECRASHED) { /* the probe's callback, contained */
            out_error("%s", tt_catalyst_errmsg(g_session.cat));
            if (!g_session.taint_counted) {
                g_session.crashes++;
                g_session.taint_counted = true;
            }
            rc = -1;
            continue;
        }
        if (r < 0) {
            out_printf("%s (absent)\n", p);
            continue;
        }
        char *s = fmt_value(&v);
        out_printf("%s = %s\n", p, s);
        free(s);
        tt_value_clear(&v);
    }
    return rc;
}

/* info exporters */
static int info_exporters_exec(cmd_args *a)
{
    (void)a;
    export_list();
    return 0;
}

/* The breakpoint table. */
void info_breakpoints(void)
{
    static const char *const kinds[] = {"sparkle", "state", "probe",
                                        "watch", "handler"};
    if (g_bps.n == 0) {
        out_printf("no breakpoints\n");
        return;
    }
    out_printf("Num Type    Enb Hits What\n");
    for (size_t i = 0; i < g_bps.n; i++) {
        breakpoint *bp = g_bps.v[i];
        strbuf b = {0};
        bp_describe(bp, &b);
        out_printf("%-3d %-7s %-3s %-4lu %s%s\n", bp->num, kinds[bp->kind],
                   bp->enabled ? "y" : "n", bp->hits, b.s,
                   bp->temporary ? " (temporary)" : "");
        if (bp->ignore)
            out_printf("        next %lu hit%s ignored\n", bp->ignore,
                       bp->ignore == 1 ? "" : "s");
        sb_free(&b);
    }
}

/* info breakpoints */
static int info_breakpoints_exec(cmd_args *a)
{
    (void)a;
    info_breakpoints();
    return 0;
}

/* info display */
static int info_display_exec(cmd_args *a)
{
    (void)a;
    if (g_bps.nw == 0) {
        out_printf("no displays\n");
        return 0;
    }
    for (size_t i = 0; i < g_bps.nw; i++) {
        const watch *w = &g_bps.w[i];
        out_printf("%u: %s.%s:\n", w->num, w->tonic, w->probe);
        size_t shown = 0;
        for (size_t j = 0; j < g_bps.nrows; j++) {
            const watch_row *r = &g_bps.rows[j];
            if (r->watch != i)
                continue;
            shown++;
            if (r->seq)
                out_printf("  #%-6llu %8.3fs %s\n",
                           (unsigned long long)r->seq, r->vt, r->text);
            else
                out_printf("  %-7s %8.3fs %s\n", "start", r->vt, r->text);
        }
        if (!shown)
            out_printf("  (no value yet: read after each sparkle of %s)\n",
                       w->tonic);
    }
    return 0;
}

/* info runs */
static int info_runs_exec(cmd_args *a)
{
    (void)a;
    tt_catalyst *cat = a->cat; /* CMD_SESSION: never NULL */
    size_t n = tt_run_count(cat);
    if (n == 0)
        out_printf("nothing has run yet\n");
    for (size_t i = 0; i < n; i++) {
        const tt_run *r = tt_run_at(cat, i);
        char *stop = run_stop_text(r);
        uint64_t f = tt_run_first_seq(r), c = tt_run_entry_count(r);
        double wall = tt_run_end(r) - tt_run_start(r);
        if (c)
            out_printf("%3zu  #%llu-#%llu  %s  (wall %.3fs%s", i + 1,
                       (unsigned long long)f,
                       (unsigned long long)(f + c - 1), stop, wall,
                       wall > 0 ? ", " : ")\n");
        else
            out_printf("%3zu  (none)  %s\n", i + 1, stop);
        if (c && wall > 0)
            out_printf("%.0f sparkles/s)\n", (double)c / wall);
        char *met = run_contract_text(r);
        if (met)
            out_printf("     %s\n", met);
        free(met);
        free(stop);
    }
    return 0;
}

static const cmd_entry info_trace_entry;

/* info trace [N | #N | FROM-TO]: entries as one line each. */
static int info_trace_exec(cmd_args *a)
{
    tt_catalyst *cat = a->cat; /* CMD_SESSION: never NULL */
    uint64_t first = tt_trace_first_seq(cat), last = tt_trace_last_seq(cat);
    uint64_t from, to = last;
    long n = 20;
    if (a->argc > 1)
        return cmd_usage_error(&info_trace_entry);
    if (a->argc == 1) {
        /* FROM-TO, each as a count or as #N */
        const char *w = a->argv[0], *dash = strchr(w + 1, '-');
        uint64_t x, y;
        if (dash) {
            char *lo = xstrndup(w, (size_t)(dash - w));
            bool ok = parse_seq(lo, &x) && parse_seq(dash + 1, &y) && x <= y;
            free(lo);
            if (!ok)
                return cmd_word_error(&info_trace_entry, w,
                                      "a range FROM-TO (FROM at most TO)");
            from = x;
            to = y < last ? y : last;
            goto print;
        }
        if (w[0] == '#' && parse_seq(w, &x) && x >= 1) { /* one entry */
            from = to = x;
            goto print;
        }
        if (!parse_long(w, &n) || n < 1)
            return cmd_word_error(&info_trace_entry, w,
                                  "a count (1 or more), #N or a range FROM-TO");
    }
    from = last >= (uint64_t)n ? last - (uint64_t)n + 1 : 1;
print:
    if (from < first) {
        out_printf("(entries before #%llu were dropped by the trace ring)\n",
                   (unsigned long long)first);
        from = first;
    }
    if (last == 0) {
        out_printf("the trace is empty\n");
        return 0;
    }
    char line[1024];
    for (uint64_t s = from; s <= to && s >= 1; s++) {
        const tt_trace_entry *e = tt_trace_get(cat, s);
        if (!e)
            continue;
        tt_entry_format(cat, e, line, sizeof line);
        out_printf("%s\n", line);
    }
    return 0;
}

static const cmd_entry info_entry_entry;

/* info entry SEQ: the entry as JSON. */
static int info_entry_exec(cmd_args *a)
{
    tt_catalyst *cat = cmd_cat();
    uint64_t seq;
    if (!cat)
        return -1;
    if (a->argc > 1)
        return cmd_usage_error(&info_entry_entry);
    if (a->argc == 0) { /* as gdb's `info frame`: where the session is */
        seq = tt_trace_last_seq(cat);
        if (seq == 0) {
            out_error("info entry: nothing has run yet (step first)");
            return -1;
        }
    } else if (!parse_seq(a->argv[0], &seq) || seq < 1)
        return cmd_word_error(&info_entry_entry, a->argv[0], "an entry (N or #N, from 1)");
    const tt_trace_entry *e = trace_entry(cat, (long)seq);
    if (!e)
        return -1;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        oom();
    tt_entry_write_json(cat, e, m, TT_JSON_EXTENSIONS);
    fclose(m);
    out_printf("%s\n", buf);
    free(buf);
    return 0;
}

static const cmd_entry info_tonics_entry = {
    .name = "tonics",
    .usage = "info tonics",
    .help = "Every tonic as a tree by base: id, name, state.",
    .exec = info_tonics_exec,
    .flags = CMD_SESSION,
};
static const cmd_entry info_queue_entry = {
    .name = "queue",
    .usage = "info queue",
    .help = "The pending orders, in the order they will run, each with "
            "its cause: `cause #N`, the entry whose sparkle queued it, or "
            "`input` from outside (a call, the formula, ttdb).",
    .exec = info_queue_exec,
    .flags = CMD_SESSION,
};
static const cmd_entry info_timers_entry = {
    .name = "timers",
    .usage = "info timers",
    .help = "Every timer with its kind, base, period and due time.",
    .exec = info_timers_exec,
    .flags = CMD_SESSION,
};
static const cmd_entry info_sparkles_entry = {
    .name = "sparkles",
    .usage = "info sparkles TONIC",
    .help = "The tonic's sparkles with their parameter types and, for "
            "each, the states that have a handler, the generic one (other "
            "states) and the C function name (for gdb); user sparkles "
            "first, then the runtime's (_tts*).",
    .exec = info_sparkles_exec,
    .complete = CC_TONIC,
    .flags = CMD_SESSION,
};
static const cmd_entry info_states_entry = {
    .name = "states",
    .usage = "info states [TONIC]",
    .help = "The tonic's states (* marks the current one); without TONIC, "
            "those of every tonic, a line each.",
    .exec = info_states_exec,
    .complete = CC_TONIC,
    .flags = CMD_SESSION,
};
static const cmd_entry info_probes_entry = {
    .name = "probes",
    .usage = "info probes TONIC",
    .help = "The tonic's probes with their current values.",
    .exec = info_probes_exec,
    .complete = CC_TONIC,
    .flags = CMD_SESSION,
};
static const cmd_entry info_exporters_entry = {
    .name = "exporters",
    .usage = "info exporters",
    .help = "The exporter plugins found and the formats they write.",
    .exec = info_exporters_exec,
};
static const cmd_entry info_breakpoints_entry = {
    .name = "breakpoints",
    .aliases = "watchpoints",
    .usage = "info breakpoints",
    .help = "The breakpoints with their hit counts.",
    .exec = info_breakpoints_exec,
};
static const cmd_entry info_display_entry = {
    .name = "display",
    .usage = "info display",
    .help = "The displayed probes and their history (one row per change).",
    .exec = info_display_exec,
};
/* The name of earlier versions. */
static const cmd_entry info_watches_entry = {
    .name = "watches",
    .usage = "info watches",
    .help = "The same as `info display`.",
    .exec = info_display_exec,
    .flags = CMD_HIDDEN,
};
static const cmd_entry info_runs_entry = {
    .name = "runs",
    .usage = "info runs",
    .help = "Every Distiller run of the session with its stop conditions "
            "(under a run whose contract was met: what met it).",
    .exec = info_runs_exec,
    .flags = CMD_SESSION,
};
/* info checkpoints */
static int info_checkpoints_exec(cmd_args *a)
{
    (void)a;
    ckpt_info();
    return 0;
}
static const cmd_entry info_checkpoints_entry = {
    .name = "checkpoints",
    .usage = "info checkpoints",
    .help = "The checkpoints going back starts from: their seqs and memory.",
    .exec = info_checkpoints_exec,
};
static const cmd_entry info_trace_entry = {
    .name = "trace",
    .usage = "info trace [N | #N | FROM-TO]",
    .help = "The last N trace entries (default 20), entry #N, or a range "
            "of them (3-5 or #3-#5).",
    .exec = info_trace_exec,
    .flags = CMD_SESSION,
};
static const cmd_entry info_entry_entry = {
    .name = "entry",
    .usage = "info entry [SEQ]",
    .help = "One trace entry in full, as JSON; without SEQ the one the "
            "session is at (the newest, or where goto went).",
    .exec = info_entry_exec,
    .flags = CMD_SESSION,
};

static const cmd_entry *const info_subs[] = {
    &info_tonics_entry,   &info_queue_entry,       &info_timers_entry,
    &info_sparkles_entry, &info_states_entry,      &info_probes_entry,
    &info_exporters_entry, &info_breakpoints_entry, &info_display_entry,
    &info_watches_entry,
    &info_runs_entry,     &info_trace_entry,       &info_entry_entry,
    &info_checkpoints_entry,
    &cmd_info_stats_entry, &cmd_info_lints_entry,
    NULL};

const cmd_entry cmd_info_entry = {
    .name = "info",
    .aliases = "i",
    .usage = "info tonics|queue|timers|sparkles TONIC|states TONIC|"
             "probes TONIC|exporters|breakpoints|display|runs|trace|entry SEQ|"
             "stats|lints|checkpoints",
    .help = "Show part of the session.",
    .subs = info_subs,
};
