/*
 * export-chrome.c: the "chrome" exporter, Trace Event Format JSON for
 * Perfetto (ui.perfetto.dev) and chrome://tracing.
 *
 * Layout: one process "ttdb"; per tonic a thread (tid = tonic serial + 1)
 * named after the tonic, holding one complete ("X") event per executed
 * sparkle (name = sparkle, args = its arguments, seq, source, states, probes),
 * and a thread "NAME states" right below it holding one "X" event per state
 * the tonic was in.  Flow arrows ("s" -> "f") go from the entry that queued
 * an order (its exact cause, tt_entry_cause: for a timer callback the entry
 * that started the timer) to the entry that ran it, when the two are on
 * different tonics.  Both ends sit exactly at the start of their slices and
 * have the slices' category ("sparkle" for every sparkle), so that both the
 * Chrome DevTools trace engine (which binds a flow event only to a slice with
 * the same ts, pid, tid and cat) and Perfetto ("bp":"e": the enclosing
 * slice) bind them.  A global instant event marks the start of each run with
 * its stop conditions.
 *
 * The counter track "queue" is an approximation: the trace does not record
 * the queue.  It counts the orders whose source entry is in the export and
 * that have not run yet; orders queued from outside (ttdb `call`, timers,
 * tonic start-up) are not in it.  It takes a first pass over the entries and
 * one byte per entry; everything else streams.  `queue=no` leaves it out.
 *
 * Time: `clock=wall` (default) places events by the wall clock of the trace
 * (microseconds since the first run started); `clock=virtual` by the
 * catalyst's virtual time.  Sparkles never overlap, so every event starts no
 * earlier than the previous one ended and lasts at least 2 ns: a sparkle
 * faster than the clock's resolution, or any sparkle in virtual time (which
 * stands still while sparkles run), still gets its own visible slice.  Times
 * are integer nanoseconds, written as microseconds.
 */
#include "export-util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STATE_TID 1000000 /* states thread of tonic s: STATE_TID + s + 1 */
#define MIN_DUR 2         /* ns: the shortest slice */

/* What is known about one tonic (by serial). */
typedef struct tonic_track {
    bool seen;            /* thread metadata written */
    bool states_seen;     /* states thread metadata written */
    bool tracked;         /* state tracking started */
    int16_t state;        /* current state index (-1 none) */
    const char *state_name;
    int64_t since;        /* when the current state began (ns) */
} tonic_track;

typedef struct chrome {
    ttxp_out *f;
    const tt_catalyst *cat;
    bool virtual_clock;
    double t0;            /* time origin, seconds */
    uint64_t first_seq;   /* first entry of the export */
    int64_t last_end;     /* end of the latest sparkle (ns) */
    const ttdb_export_ctx *ctx;
    size_t marked;        /* runs whose start marker is written */
    tonic_track *tk;
    size_t ntk;
    ttxp_src src;
    ttxp_buf buf;
    ttxp_name change_to;
    /* queue counter */
    bool counter;
    uint8_t *queued;      /* per entry: orders it queued (saturated) */
    ttxp_map queued_big;  /* seq -> count for counts >= 255 */
    uint64_t nqueued;     /* size of queued[] */
    int64_t queue_len, queue_shown;
    /* flows: where each exported entry's slice starts, ns + 1 (0: not
     * exported), by seq - first_seq */
    int64_t *ts_of;
    uint64_t nts;
} chrome;

/* d nanoseconds as an integer, held within +-9e18 (0 when not finite). */
static int64_t ns_round(double d)
{
    if (!isfinite(d))
        return 0;
    if (d > 9e18 || d < -9e18)
        return d > 0 ? INT64_C(9000000000000000000) : -INT64_C(9000000000000000000);
    return llround(d);
}

/* Seconds since the origin as integer nanoseconds. */
static int64_t ns_since(const chrome *c, double t)
{
    return ns_round((t - c->t0) * 1e9);
}

/* Where the entry goes: start and end in ns, after the previous one. */
static void place(chrome *c, const tt_trace_entry *e, int64_t *ts, int64_t *end)
{
    int64_t t = ns_since(c, c->virtual_clock ? e->vt : e->t_enter), dur = 0;
    if (!c->virtual_clock) {
        double d = (tt_entry_t_exit(e) - e->t_enter) * 1e9;
        dur = d > 0 ? ns_round(d) : 0;
    }
    if (t < c->last_end)
        t = c->last_end;
    *ts = t;
    *end = t + (dur > MIN_DUR ? dur : MIN_DUR);
    c->last_end = *end;
}

/* Write ns as microseconds with 3 decimals. */
static void put_us(ttxp_out *f, int64_t ns)
{
    uint64_t u = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    char b[4] = {(char)('0' + u / 100 % 10), (char)('0' + u / 10 % 10),
                 (char)('0' + u % 10), 0};
    if (ns < 0)
        ttxp_putc(f, '-');
    ttxp_put_u64(f, u / 1000);
    ttxp_putc(f, '.');
    ttxp_puts(f, b);
}

/* The track of tonic serial s, grown on demand; NULL without memory. */
static tonic_track *track(chrome *c, uint32_t s)
{
    if (s >= c->ntk) {
        size_t n = c->ntk ? c->ntk : 16;
        while (n <= s)
            n *= 2;
        tonic_track *v = realloc(c->tk, n * sizeof *v);
        if (!v)
            return NULL;
        memset(v + c->ntk, 0, (n - c->ntk) * sizeof *v);
        c->tk = v;
        c->ntk = n;
    }
    return &c->tk[s];
}

/* Begin an event line: {"ph":"X","pid":1,"tid":T,"ts":TS */
static void ev_begin(chrome *c, const char *ph, int64_t tid, int64_t ts)
{
    ttxp_out *f = c->f;
    ttxp_puts(f, ",\n{\"ph\":\"");
    ttxp_puts(f, ph);
    ttxp_puts(f, "\",\"pid\":1,\"tid\":");
    ttxp_put_i64(f, tid);
    ttxp_puts(f, ",\"ts\":");
    put_us(f, ts);
}

/* Thread name and sort order metadata. */
static void thread_meta(chrome *c, int64_t tid, const char *name, const char *suffix,
                        int64_t sort)
{
    ttxp_out *f = c->f;
    ttxp_puts(f, ",\n{\"ph\":\"M\",\"pid\":1,\"tid\":");
    ttxp_put_i64(f, tid);
    ttxp_puts(f, ",\"name\":\"thread_name\",\"args\":{\"name\":");
    if (suffix) {
        size_t n = strlen(name) + strlen(suffix) + 1;
        char *s = malloc(n);
        if (s) {
            snprintf(s, n, "%s%s", name, suffix);
            ttxp_json_str(f, s);
            free(s);
        } else {
            ttxp_json_str(f, name);
        }
    } else {
        ttxp_json_str(f, name);
    }
    ttxp_puts(f, "}},\n{\"ph\":\"M\",\"pid\":1,\"tid\":");
    ttxp_put_i64(f, tid);
    ttxp_puts(f, ",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":");
    ttxp_put_i64(f, sort);
    ttxp_puts(f, "}}");
}

/* Close the tonic's current state span at ts. */
static void state_close(chrome *c, uint32_t s, tonic_track *t, int64_t ts)
{
    if (t->state < 0)
        return;
    if (!t->states_seen) {
        t->states_seen = true;
        thread_meta(c, STATE_TID + (int64_t)s + 1, ttxp_tonic_name(c->cat, s),
                    " states", 2 * (int64_t)s + 1);
    }
    ev_begin(c, "X", STATE_TID + (int64_t)s + 1, t->since);
    ttxp_puts(c->f, ",\"dur\":");
    put_us(c->f, ts > t->since ? ts - t->since : 0);
    ttxp_puts(c->f, ",\"cat\":\"state\",\"name\":");
    ttxp_json_str(c->f, t->state_name);
    ttxp_puts(c->f, "}");
}

/* Follow the state of the entry's tonic; write the span that ended. */
static void state_follow(chrome *c, const tt_trace_entry *e, tonic_track *t,
                         int64_t ts, int64_t end)
{
    if (!t->tracked || t->state != e->state_enter) {
        if (t->tracked)
            state_close(c, e->tonic, t, ts);
        t->tracked = true;
        t->state = e->state_enter;
        t->state_name = tt_entry_state_enter(c->cat, e);
        t->since = ts;
    }
    bool reenter = ttxp_is(&c->change_to, c->cat, e->sparkle);
    if (e->state_exit != t->state || reenter) {
        state_close(c, e->tonic, t, end);
        t->state = e->state_exit;
        t->state_name = tt_entry_state_exit(c->cat, e);
        t->since = end;
    }
}

/* Add n queued orders to seq's count. */
static int queued_add(chrome *c, uint64_t seq)
{
    uint64_t i = seq - c->first_seq;
    if (i >= c->nqueued)
        return 0;
    if (c->queued[i] < 255) {
        c->queued[i]++;
        return 0;
    }
    uint64_t *v = ttxp_map_get(&c->queued_big, seq);
    return v ? (++*v, 0) : ttxp_map_put(&c->queued_big, seq, 256);
}

/* Orders queued by entry seq. */
static uint64_t queued_of(const chrome *c, uint64_t seq)
{
    uint64_t i = seq - c->first_seq;
    if (i >= c->nqueued)
        return 0;
    if (c->queued[i] < 255)
        return c->queued[i];
    const uint64_t *v = ttxp_map_get(&c->queued_big, seq);
    return v ? *v : 255;
}

/* First pass: count the orders each entry queued. */
static int count_one(void *ud, size_t run, const tt_trace_entry *e)
{
    chrome *c = ud;
    (void)run;
    uint64_t s = ttxp_src_find(&c->src, c->cat, e, NULL);
    if (s && queued_add(c, s) < 0)
        return -TT_ENOMEM;
    return ttxp_src_note(&c->src, c->cat, e, 0);
}

/* Write the counter's value at ts when it changed. */
static void counter_at(chrome *c, int64_t ts)
{
    if (c->queue_len == c->queue_shown)
        return;
    c->queue_shown = c->queue_len;
    ev_begin(c, "C", 0, ts);
    ttxp_puts(c->f, ",\"name\":\"queue\",\"args\":{\"orders\":");
    ttxp_put_i64(c->f, c->queue_len);
    ttxp_puts(c->f, "}}");
}

/* Instant events marking the start of runs up to run index `upto`
 * (exclusive), at ts. */
static void run_markers(chrome *c, size_t upto, int64_t ts)
{
    ttxp_out *f = c->f;
    for (; c->marked < upto; c->marked++) {
        size_t ri = c->ctx->run_first + c->marked;
        const tt_run *r = tt_run_at(c->cat, ri);
        if (!r)
            continue;
        ev_begin(c, "i", 0, ts);
        ttxp_puts(f, ",\"s\":\"g\",\"cat\":\"run\",\"name\":\"run ");
        ttxp_put_u64(f, ri + 1);
        ttxp_puts(f, "\",\"args\":{\"status\":");
        ttxp_json_str(f, tt_run_status(r));
        ttxp_puts(f, ",\"stop_condition\":[");
        for (size_t i = 0; i < tt_run_stop_count(r); i++) {
            if (i)
                ttxp_putc(f, ',');
            ttxp_json_str(f, tt_run_stop_at(r, i));
        }
        ttxp_puts(f, "],\"entries\":");
        ttxp_put_u64(f, tt_run_has_trace(r) ? tt_run_entry_count(r) : 0);
        ttxp_puts(f, "}}");
    }
}

/* Second pass: the events of one entry. */
static int event_one(void *ud, size_t run, const tt_trace_entry *e)
{
    chrome *c = ud;
    ttxp_out *f = c->f;
    tonic_track *t = track(c, e->tonic);
    if (!t)
        return -TT_ENOMEM;
    if (!t->seen) {
        t->seen = true;
        thread_meta(c, (int64_t)e->tonic + 1, tt_entry_tonic_name(c->cat, e), NULL,
                    2 * (int64_t)e->tonic);
    }
    int64_t ts, end;
    place(c, e, &ts, &end);
    run_markers(c, run - c->ctx->run_first + 1, ts);

    /* the sparkle */
    ev_begin(c, "X", (int64_t)e->tonic + 1, ts);
    ttxp_puts(f, ",\"dur\":");
    put_us(f, end - ts);
    ttxp_puts(f, ",\"cat\":\"sparkle\",\"name\":");
    ttxp_json_str(f, tt_entry_sparkle_name(c->cat, e));
    const char *s = ttxp_args_json(&c->buf, e);
    if (!s)
        return -TT_ENOMEM;
    ttxp_puts(f, ",\"args\":{\"args\":");
    ttxp_puts(f, s);
    ttxp_puts(f, ",\"seq\":");
    ttxp_put_u64(f, tt_entry_seq(e));
    ttxp_puts(f, ",\"id\":");
    ttxp_put_i64(f, e->id);
    ttxp_puts(f, ",\"source\":[");
    s = tt_entry_source_name(c->cat, e);
    if (s)
        ttxp_json_str(f, s);
    else
        ttxp_puts(f, "null");
    ttxp_putc(f, ',');
    ttxp_json_str(f, tt_entry_source_sparkle(c->cat, e));
    ttxp_putc(f, ',');
    ttxp_put_i64(f, e->src_id);
    ttxp_puts(f, "],\"state_enter\":");
    ttxp_json_str(f, tt_entry_state_enter(c->cat, e));
    ttxp_puts(f, ",\"state_exit\":");
    ttxp_json_str(f, tt_entry_state_exit(c->cat, e));
    if (tt_entry_cause(e)) {
        ttxp_puts(f, ",\"cause\":");
        ttxp_put_u64(f, tt_entry_cause(e));
    }
    if (e->flags & TT_EF_EXTRA)
        ttxp_puts(f, ",\"extra\":true");
    if (e->flags & TT_EF_IGNORED)
        ttxp_puts(f, ",\"ignored\":true");
    if (e->flags & TT_EF_CRASHED)
        ttxp_puts(f, ",\"crashed\":true");
    if (tt_entry_probes_enter(e)) {
        ttxp_puts(f, ",\"probes_enter\":");
        if (!(s = ttxp_map_json(&c->buf, tt_entry_probes_enter(e))))
            return -TT_ENOMEM;
        ttxp_puts(f, s);
    }
    if (tt_entry_probes_exit(e)) {
        ttxp_puts(f, ",\"probes_exit\":");
        if (!(s = ttxp_map_json(&c->buf, tt_entry_probes_exit(e))))
            return -TT_ENOMEM;
        ttxp_puts(f, s);
    }
    ttxp_puts(f, "}}");

    /* the flow from the entry that queued it, on another tonic */
    uint64_t cause = tt_entry_cause(e);
    const tt_trace_entry *ce = NULL;
    if (cause >= c->first_seq && cause - c->first_seq < c->nts &&
        c->ts_of[cause - c->first_seq] && (ce = tt_trace_get(c->cat, cause)) &&
        ce->tonic != e->tonic) {
        ev_begin(c, "s", (int64_t)ce->tonic + 1, c->ts_of[cause - c->first_seq] - 1);
        ttxp_puts(f, ",\"cat\":\"sparkle\",\"name\":\"queued\",\"id\":");
        ttxp_put_u64(f, tt_entry_seq(e));
        ttxp_puts(f, "}");
        ev_begin(c, "f", (int64_t)e->tonic + 1, ts);
        ttxp_puts(f, ",\"bp\":\"e\",\"cat\":\"sparkle\",\"name\":\"queued\",\"id\":");
        ttxp_put_u64(f, tt_entry_seq(e));
        ttxp_puts(f, "}");
    }
    uint64_t seq = tt_entry_seq(e);
    if (seq >= c->first_seq && seq - c->first_seq < c->nts)
        c->ts_of[seq - c->first_seq] = ts + 1;

    /* the queue counter: orders whose source entry is exported (by name) */
    const tt_trace_entry *se = NULL;
    if (c->counter) {
        uint64_t from = ttxp_src_find(&c->src, c->cat, e, NULL);
        se = from ? tt_trace_get(c->cat, from) : NULL;
    }
    int rc = ttxp_src_note(&c->src, c->cat, e, (uint64_t)ts);
    if (rc < 0)
        return rc;

    /* the queue counter and the state spans */
    if (c->counter) {
        if (se)
            c->queue_len--;
        c->queue_len += (int64_t)queued_of(c, tt_entry_seq(e));
        counter_at(c, end);
    }
    state_follow(c, e, t, ts, end);
    return 0;
}

/* Close every open state span at the end of the trace. */
static void states_end(chrome *c)
{
    for (size_t s = 0; s < c->ntk; s++)
        if (c->tk[s].tracked)
            state_close(c, (uint32_t)s, &c->tk[s], c->last_end);
}

/* Parse the options into c. */
static int parse_options(chrome *c, const char *opts, tt_error *err)
{
    char key[64], val[64];
    while (ttxp_opt_next(&opts, key, sizeof key, val, sizeof val)) {
        if (strcmp(key, "clock") == 0 && strcmp(val, "wall") == 0)
            c->virtual_clock = false;
        else if (strcmp(key, "clock") == 0 && strcmp(val, "virtual") == 0)
            c->virtual_clock = true;
        else if (strcmp(key, "clock") == 0)
            return ttxp_err(err, -TT_EINVAL,
                            "chrome exporter: clock must be wall or virtual, not '%s'",
                            val);
        else if (strcmp(key, "queue") == 0) {
            int rc = ttxp_opt_bool("chrome", key, val, &c->counter, err);
            if (rc < 0)
                return rc;
        } else
            return ttxp_opt_unknown(err, "chrome", key, "clock=wall|virtual, queue=yes|no");
    }
    return 0;
}

/* First and last seq of the export's entries (0, 0 when none). */
static void seq_range(const ttdb_export_ctx *ctx, uint64_t *first, uint64_t *last)
{
    *first = *last = 0;
    for (size_t k = 0; k < ctx->run_count; k++) {
        const tt_run *r = tt_run_at(ctx->cat, ctx->run_first + k);
        if (!r || !tt_run_has_trace(r) || tt_run_entry_count(r) == 0)
            continue;
        if (!*first)
            *first = tt_run_first_seq(r);
        *last = tt_run_first_seq(r) + tt_run_entry_count(r) - 1;
    }
}

/* Write the runs of ctx. */
static int chrome_write(const ttdb_export_ctx *ctx, FILE *fp, tt_error *err)
{
    chrome c = {.cat = ctx->cat, .ctx = ctx, .counter = true,
                .change_to = TTXP_NAME("_ttinternal_state_change_to")};
    int rc = parse_options(&c, ctx->options, err);
    if (rc < 0)
        return rc;
    ttxp_out *f = c.f = ttxp_out_new(fp);
    if (!f)
        return ttxp_err(err, -TT_ENOMEM, "chrome exporter: out of memory");
    const tt_run *r0 = tt_run_at(ctx->cat, ctx->run_first);
    uint64_t last;
    seq_range(ctx, &c.first_seq, &last);
    c.t0 = !r0 ? 0 : c.virtual_clock ? tt_run_vt_start(r0) : tt_run_start(r0);
    const tt_trace_entry *e0 = c.first_seq ? tt_trace_get(ctx->cat, c.first_seq) : NULL;
    if (e0 && !c.virtual_clock && e0->t_enter < c.t0)
        c.t0 = e0->t_enter;
    if (e0 && c.virtual_clock && e0->vt < c.t0)
        c.t0 = e0->vt;

    if (c.first_seq) {
        c.nts = last - c.first_seq + 1;
        c.ts_of = calloc(c.nts, sizeof *c.ts_of);
        if (!c.ts_of) {
            rc = -TT_ENOMEM;
            goto out;
        }
    }
    if (c.counter && c.first_seq) {
        c.nqueued = last - c.first_seq + 1;
        c.queued = calloc(c.nqueued, 1);
        if (!c.queued) {
            rc = -TT_ENOMEM;
            goto out;
        }
        ttxp_src_init(&c.src);
        rc = ttxp_walk(ctx, NULL, count_one, &c);
        ttxp_src_free(&c.src);
        if (rc < 0)
            goto out;
    }
    ttxp_src_init(&c.src);

    ttxp_puts(f, "{\"traceEvents\":[\n{\"ph\":\"M\",\"pid\":1,\"tid\":0,"
                 "\"name\":\"process_name\",\"args\":{\"name\":\"ttdb\"}}");
    if (c.counter) {
        c.queue_shown = -1;
        counter_at(&c, 0); /* start the track at 0 */
    }
    rc = ttxp_walk(ctx, f, event_one, &c);
    if (rc == 0) {
        run_markers(&c, ctx->run_count, c.last_end);
        states_end(&c);
        ttxp_puts(f, "\n],\n\"displayTimeUnit\":\"ms\",\"otherData\":{\"producer\":"
                     "\"ttdb\",\"clock\":");
        ttxp_puts(f, c.virtual_clock ? "\"virtual\"" : "\"wall\"");
        ttxp_puts(f, "}}\n");
    }
out:
    free(c.ts_of);
    ttxp_src_free(&c.src);
    ttxp_map_free(&c.queued_big);
    free(c.queued);
    free(c.tk);
    ttxp_buf_free(&c.buf);
    int io = ttxp_finish(f, fp, "chrome", err);
    ttxp_out_free(f);
    if (rc == -TT_ENOMEM)
        return ttxp_err(err, rc, "chrome exporter: out of memory");
    return rc < 0 ? rc : io;
}

TTDB_EXPORT const ttdb_exporter ttdb_exporter_desc = {
    TTDB_PLUGIN_ABI,
    "chrome",
    "chrome.json",
    "Trace Event Format for Perfetto and chrome://tracing (tracks per tonic, "
    "flows, states)",
    chrome_write,
};
