/*
 * view-trace.c: the Trace pane, every executed sparkle of the session,
 * newest last.  Rows are never copied: row i is entry first_seq + i, read
 * with tt_trace_get when it is drawn, so a redraw touches only the visible
 * rows whatever the trace holds.  System sparkles (`_tt*`) are dimmed; with
 * them hidden (key `h`, `set system off`) an index of the other entries'
 * numbers (8 bytes per entry) is kept, extended as the trace grows.
 * Ignored entries show an `x` mark and "[ignored]", sparkles without a
 * handler `-`, crashed ones `!` in the error colour.
 *
 * Attached to a live app, the entries that stream in are appended to the
 * session, which drops its oldest ones now and then (and starts again
 * after entries were lost), so its first entry moves: a pane
 * that does not follow keeps its selection on the same entry (by seq), or
 * says that the entry left the window.
 */
#include "screen.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct {
    bool hide_system;
    tt_catalyst *cat;   /* the index belongs to this catalyst ... */
    unsigned generation;/* ... of this session generation */
    uint64_t *idx;      /* seqs of non-system entries, ascending */
    size_t n, cap;
    uint64_t scanned;   /* last seq looked at */
    char *pattern;      /* last search */
    int dir;
    strbuf row;         /* reused for formatting */
    /* the rows as last drawn: row 0 was entry shown_first (index position
     * shown_base with system sparkles hidden), in session generation
     * shown_gen */
    bool shown;
    unsigned shown_gen;
    uint64_t shown_first;
    size_t shown_base;
} T;

/* Forget the index (new session, or the filter changed). */
void trace_reset(void)
{
    T.n = 0;
    T.scanned = 0;
    T.cat = g_session.cat;
    T.generation = g_session.generation;
}

/* Free the pane's memory. */
static void trace_free(void)
{
    bool hide = T.hide_system; /* a setting, not pane data */
    free(T.idx);
    free(T.pattern);
    sb_free(&T.row);
    memset(&T, 0, sizeof T);
    T.hide_system = hide;
}

/* Bring the index up to date with the trace. */
static void index_update(tt_catalyst *cat)
{
    if (T.cat != cat || T.generation != g_session.generation)
        trace_reset();
    uint64_t last = tt_trace_last_seq(cat);
    uint64_t s = T.scanned + 1;
    uint64_t first = tt_trace_first_seq(cat);
    if (s < first)
        s = first;
    for (; s <= last; s++) {
        const tt_trace_entry *e = tt_trace_get(cat, s);
        if (!e || is_system_sparkle(tt_entry_sparkle_name(cat, e)))
            continue;
        if (T.n == T.cap) {
            T.cap = T.cap ? T.cap * 2 : 1024;
            T.idx = xrealloc(T.idx, T.cap * sizeof *T.idx);
        }
        T.idx[T.n++] = s;
    }
    T.scanned = last;
}

/* First index position whose seq is >= seq. */
static size_t index_lower(uint64_t seq)
{
    size_t lo = 0, hi = T.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (T.idx[mid] < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Rows: entries (or non-system entries) still held by the trace. */
static size_t trace_rows(pane *p)
{
    (void)p;
    tt_catalyst *cat = g_session.cat;
    if (!cat)
        return 0;
    uint64_t last = tt_trace_last_seq(cat);
    uint64_t first = tt_trace_first_seq(cat);
    if (last == 0 || last < first)
        return 0;
    if (!T.hide_system)
        return (size_t)(last - first + 1);
    index_update(cat);
    return T.n - index_lower(first);
}

/* The seq shown at a row. */
static uint64_t row_seq(size_t row)
{
    tt_catalyst *cat = g_session.cat;
    uint64_t first = tt_trace_first_seq(cat);
    if (!T.hide_system)
        return first + row;
    size_t base = index_lower(first);
    return base + row < T.n ? T.idx[base + row] : 0;
}

/* The row of a seq (nearest at or after it). */
static size_t seq_row(uint64_t seq)
{
    tt_catalyst *cat = g_session.cat;
    uint64_t first = tt_trace_first_seq(cat);
    if (!T.hide_system)
        return seq >= first ? (size_t)(seq - first) : 0;
    index_update(cat);
    size_t base = index_lower(first);
    size_t pos = index_lower(seq);
    return pos >= base ? pos - base : 0;
}

/* Attached: the session was rebuilt (after a gap), or its first entry
 * moved on (the live session drops its oldest entries), since the rows
 * were last drawn; keep a pane that does not follow on the entry it had
 * selected, at the same height. */
static void trace_update(pane *p)
{
    tt_catalyst *cat = g_session.cat;
    if (cat && g_session.attached && T.shown &&
        (T.shown_gen != g_session.generation || T.shown_first != tt_trace_first_seq(cat)) &&
        !p->follow) {
        /* the selected entry in the rows as drawn (T.idx still holds the
         * seqs of the last catalyst: index_update has not run on this one) */
        uint64_t seq = 0;
        if (!T.hide_system)
            seq = T.shown_first + p->sel;
        else if (T.shown_base + p->sel < T.n)
            seq = T.idx[T.shown_base + p->sel];
        size_t height = p->sel >= p->top ? p->sel - p->top : 0;
        uint64_t first = tt_trace_first_seq(cat);
        size_t n = trace_rows(p);
        if (seq && n && seq < first) {
            p->sel = p->top = 0;
            status_message("entry #%llu left the live window (its first entry is #%llu now)",
                           (unsigned long long)seq, (unsigned long long)first);
        } else if (seq && n) {
            size_t r = seq_row(seq);
            p->sel = r < n ? r : n - 1;
            p->top = p->sel >= height ? p->sel - height : 0;
        }
    }
    T.shown = cat != NULL;
    T.shown_gen = g_session.generation;
    if (cat) {
        T.shown_first = tt_trace_first_seq(cat);
        if (T.hide_system) {
            index_update(cat);
            T.shown_base = index_lower(T.shown_first);
        }
    }
}

/* One row: "seq time mark tonic.sparkle(args) [states] dur <- source". */
static void trace_draw_row(pane *p, int y, size_t row, int w, bool selected)
{
    tt_catalyst *cat = g_session.cat;
    const tt_trace_entry *e = tt_trace_get(cat, row_seq(row));
    if (!e)
        return;
    T.row.len = 0;
    fmt_trace_row(&T.row, cat, e);
    attr_t a = 0;
    if (e->flags & (TT_EF_CRASHED | TT_EF_DROPPED | TT_EF_ERROR))
        a = A_ERROR;
    else if (is_system_sparkle(tt_entry_sparkle_name(cat, e)))
        a = A_DIMMED;
    else if (e->flags & TT_EF_IGNORED)
        a = A_DIMMED;
    view_row(p, y, T.row.s, w, a, selected);
}

/* "#1-#230, system shown"; "NOT FOLLOWING" once the user scrolled up (a
 * run command, or End, follows the newest entry again). */
static void trace_title(pane *p, char *buf, size_t size)
{
    if (!p->follow && g_session.cat && tt_trace_last_seq(g_session.cat)) {
        snprintf(buf, size, "NOT FOLLOWING: a run or End goes back to #%llu",
                 (unsigned long long)tt_trace_last_seq(g_session.cat));
        return;
    }
    tt_catalyst *cat = g_session.cat;
    uint64_t last = cat ? tt_trace_last_seq(cat) : 0;
    if (!last) {
        snprintf(buf, size, "system sparkles %s",
                 T.hide_system ? "hidden" : "dimmed");
        return;
    }
    snprintf(buf, size, "#%llu-#%llu, system sparkles %s (h)",
             (unsigned long long)tt_trace_first_seq(cat),
             (unsigned long long)last, T.hide_system ? "hidden" : "dimmed");
}

/* The key "go to this entry": `goto #N` for the selected row, as if typed. */
void trace_goto_selected(void)
{
    pane *p = &g_panes[PANE_TRACE];
    if (!g_session.cat || !p->ops || trace_rows(p) == 0)
        return;
    char *line = xasprintf("goto #%llu", (unsigned long long)row_seq(p->sel));
    char *echo = xasprintf("%s%s", TTDB_PROMPT, line);
    console_add(OUT_ECHO, echo);
    cmd_execute(line);
    free(echo);
    free(line);
}

/* The key "why": the selected entry's cause chain in the popup. */
void trace_why_selected(void)
{
    pane *p = &g_panes[PANE_TRACE];
    tt_catalyst *cat = g_session.cat;
    if (!cat || !p->ops || trace_rows(p) == 0)
        return;
    uint64_t seq = row_seq(p->sel);
    strbuf b = {0};
    if (why_chain(&b, cat, seq) < 0) {
        sb_free(&b);
        return;
    }
    char *title = xasprintf("why #%llu", (unsigned long long)seq);
    detail_open(title, b.s);
    free(title);
    sb_free(&b);
}

/* Enter: the entry in full: its cause chain, then pretty JSON. */
static void trace_activate(pane *p, size_t row)
{
    (void)p;
    tt_catalyst *cat = g_session.cat;
    const tt_trace_entry *e = cat ? tt_trace_get(cat, row_seq(row)) : NULL;
    if (!e)
        return;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        oom();
    tt_entry_write_json(cat, e, m, TT_JSON_EXTENSIONS);
    fclose(m);
    char *pretty = json_reindent(buf); /* one key per line */
    char *title = xasprintf("entry #%llu: %s.%s",
                            (unsigned long long)tt_entry_seq(e),
                            tt_entry_tonic_name(cat, e),
                            tt_entry_sparkle_name(cat, e));
    strbuf text = {0};
    why_chain(&text, cat, tt_entry_seq(e));
    sb_add(&text, "\n");
    sb_add(&text, pretty ? pretty : buf);
    detail_open(title, text.s);
    sb_free(&text);
    free(title);
    free(pretty);
    free(buf);
}

/* Search rows for pattern (case-insensitive) from the selection on. */
void trace_search(const char *pattern, int dir)
{
    if (pattern && *pattern) {
        free(T.pattern);
        T.pattern = xstrdup(pattern);
    }
    T.dir = dir;
    trace_search_again(1);
}

/* Repeat the last search (dir 1: same direction, -1: reverse). */
void trace_search_again(int dir)
{
    pane *p = &g_panes[PANE_TRACE];
    tt_catalyst *cat = g_session.cat;
    if (!T.pattern) {
        status_message("no search yet: / searches the trace");
        return;
    }
    size_t n = cat ? trace_rows(p) : 0;
    if (n == 0) {
        status_message("the trace is empty");
        return;
    }
    int d = (T.dir ? T.dir : 1) * dir;
    size_t r = p->sel;
    for (size_t k = 0; k < n; k++) {
        r = d > 0 ? (r + 1) % n : (r + n - 1) % n;
        const tt_trace_entry *e = tt_trace_get(cat, row_seq(r));
        if (!e)
            continue;
        T.row.len = 0;
        fmt_trace_row(&T.row, cat, e);
        if (strcasestr(T.row.s, T.pattern)) {
            view_select(p, r);
            status_message("/%s: #%llu", T.pattern,
                           (unsigned long long)tt_entry_seq(e));
            return;
        }
    }
    status_message("/%s: not found", T.pattern);
}

/* Show or hide system sparkles (the key), keeping the selected entry. */
void trace_toggle_system(void)
{
    g_opts.show_system = T.hide_system;
    trace_follow_setting();
}

/* Show system sparkles or not as `set system` says. */
void trace_follow_setting(void)
{
    bool on = g_opts.show_system;
    if (T.hide_system == !on)
        return;
    pane *p = &g_panes[PANE_TRACE];
    tt_catalyst *cat = g_session.cat;
    uint64_t seq = 0;
    /* in batch mode the panes were never set up (p->ops is NULL) */
    if (cat && p->ops && trace_rows(p))
        seq = row_seq(p->sel);
    T.hide_system = !on;
    if (cat && p->ops && seq) {
        size_t n = trace_rows(p);
        size_t r = seq_row(seq);
        bool follow = p->follow;
        view_select(p, r < n ? r : n ? n - 1 : 0);
        p->follow = follow;
    }
    p->dirty = true;
}

/* Time (ms) to build the index of non-system entries from scratch (what
 * the first redraw after a long run pays when system sparkles are hidden). */
double trace_index_ms(void)
{
    if (!g_session.cat)
        return 0;
    trace_reset();
    double t0 = now_mono();
    index_update(g_session.cat);
    return (now_mono() - t0) * 1000.0;
}

const pane_ops trace_ops = {
    .title = "Trace",
    .update = trace_update,
    .rows = trace_rows,
    .draw_row = trace_draw_row,
    .activate = trace_activate,
    .title_extra = trace_title,
    .empty_text = "nothing has run yet: step, continue, until ...",
    .follow = true,
    .free = trace_free,
    .layout = {.band = 1, .small = true},
};
