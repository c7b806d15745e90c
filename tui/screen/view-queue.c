/*
 * view-queue.c: the Queue pane, the pending orders in the exact order they
 * will run (tonic.sparkle(args) <- source), then the timers that will fire,
 * by due virtual time.  Orders are read with tt_queue_at when drawn.
 * Attached to a live app (`ttdb -attach`), the app's queue and timers as
 * its last snapshot has them (attach.c).
 */
#include "screen.h"

#include <stdlib.h>

static tt_timer **timers; /* pending timers, by due time */
static size_t ntimers;

/* Free the timer list. */
static void queue_free(void)
{
    free(timers);
    timers = NULL;
    ntimers = 0;
}

/* Order timers by due time, then id. */
static int by_due(const void *a, const void *b)
{
    const tt_timer *x = *(tt_timer *const *)a, *y = *(tt_timer *const *)b;
    double dx = tt_timer_due(x), dy = tt_timer_due(y);
    if (dx != dy)
        return dx < dy ? -1 : 1;
    return tt_timer_id(x) - tt_timer_id(y);
}

/* Collect the running timers. */
static void queue_update(pane *p)
{
    (void)p;
    queue_free();
    tt_catalyst *cat = g_session.cat;
    if (!cat)
        return;
    size_t n = tt_timer_count(cat);
    timers = xcalloc(n + 1, sizeof *timers);
    for (size_t i = 0; i < n; i++) {
        tt_timer *tm = tt_timer_at(cat, i);
        if (tm && tt_timer_id(tm) >= 0 && tt_timer_running(tm))
            timers[ntimers++] = tm;
    }
    qsort(timers, ntimers, sizeof *timers, by_due);
}

static size_t queue_len(void)
{
    return g_session.cat ? tt_queue_length(g_session.cat) : 0;
}

static size_t queue_rows(pane *p)
{
    (void)p;
    if (g_session.attached) {
        size_t nt = attach_timer_count();
        return attach_queue_rows() + (nt ? nt + 1 : 0);
    }
    return queue_len() + (ntimers ? ntimers + 1 : 0);
}

/* A row of the live app's queue and timers. */
static void queue_draw_live(pane *p, int y, size_t row, int w, bool sel)
{
    size_t q = attach_queue_rows(), listed = q < attach_queue_length() ? q - 1 : q;
    strbuf b = {0};
    attr_t a = 0;
    if (row < q) {
        if (row < listed)
            sb_printf(&b, "%3zu. ", row + 1);
        else
            a = A_DIMMED;
        attach_queue_row(row, &b);
    } else if (row == q) {
        sb_add(&b, "timers:");
        a = A_BOLD;
    } else {
        sb_add(&b, "  ");
        attach_timer_row(row - q - 1, &b);
    }
    view_row(p, y, b.s ? b.s : "", w, a, sel);
    sb_free(&b);
}

static void queue_draw_row(pane *p, int y, size_t row, int w, bool sel)
{
    if (g_session.attached) {
        queue_draw_live(p, y, row, w, sel);
        return;
    }
    size_t q = queue_len();
    strbuf b = {0};
    attr_t a = 0;
    if (row < q) {
        tt_order_view o;
        if (tt_queue_at(g_session.cat, row, &o) == 0) {
            sb_printf(&b, "%3zu. ", row + 1);
            fmt_order(&b, &o);
            fmt_order_cause(&b, &o);
            if (o.src_sparkle && !o.src_tonic && *o.src_sparkle)
                a = A_HILITE; /* injected by ttdb */
        }
    } else if (row == q) {
        sb_add(&b, "timers:");
        a = A_BOLD;
    } else {
        tt_timer *tm = timers[row - q - 1];
        tt_tonic *base = tt_timer_base(tm);
        sb_printf(&b, "  %s due %gs%s -> %s", tt_timer_name(tm),
                  tt_timer_due(tm), tt_timer_paused(tm) ? " (paused)" : "",
                  base ? tt_tonic_name(base) : "?");
    }
    view_row(p, y, b.s ? b.s : "", w, a, sel);
    sb_free(&b);
}

static void queue_title(pane *p, char *buf, size_t size)
{
    (void)p;
    if (g_session.attached)
        snprintf(buf, size, "live: %zu pending, %zu timer%s", attach_queue_length(),
                 attach_timer_count(), attach_timer_count() == 1 ? "" : "s");
    else if (g_session.cat)
        snprintf(buf, size, "%zu pending, %zu timer%s", queue_len(), ntimers,
                 ntimers == 1 ? "" : "s");
}

const pane_ops queue_ops = {
    .title = "Queue",
    .update = queue_update,
    .rows = queue_rows,
    .draw_row = queue_draw_row,
    .title_extra = queue_title,
    .empty_text = "empty",
    .free = queue_free,
    .layout = {.band = 0, .height = 28},
};
