/*
 * view-probes.c: the Probes pane, the history of watched probes: one row
 * per change ("#seq time Tonic.probe = value"), oldest first.  Rows that
 * changed during the last run are highlighted.
 */
#include "screen.h"

#include <stdlib.h>
#include <string.h>

static size_t probes_rows(pane *p)
{
    (void)p;
    return g_bps.nrows;
}

/* Whether every displayed probe belongs to one tonic (then a narrow pane
 * leaves the tonic's name out). */
static bool one_tonic(void)
{
    for (size_t i = 1; i < g_bps.nw; i++)
        if (strcmp(g_bps.w[i].tonic, g_bps.w[0].tonic) != 0)
            return false;
    return true;
}

static void probes_draw_row(pane *p, int y, size_t row, int w, bool sel)
{
    const watch_row *r = &g_bps.rows[row];
    const watch *wt = &g_bps.w[r->watch];
    char *text;
    if (w < 56) {
        /* narrow (80 columns and less): the value before anything else
         * is cut; no time column, the tonic only when it tells apart */
        char seq[24];
        snprintf(seq, sizeof seq, r->seq ? "#%llu" : "start",
                 (unsigned long long)r->seq);
        if (w < 36 && one_tonic())
            text = xasprintf("%-6s %s = %s", seq, wt->probe, r->text);
        else
            text = xasprintf("%-6s %s.%s = %s", seq, wt->tonic, wt->probe,
                             r->text);
    } else if (r->seq) {
        text = xasprintf("#%-6llu %7.3f %s.%s = %s",
                         (unsigned long long)r->seq, r->vt, wt->tonic,
                         wt->probe, r->text);
    } else {
        text = xasprintf("%-7s %7.3f %s.%s = %s", "start", r->vt, wt->tonic,
                         wt->probe, r->text);
    }
    bool fresh = g_run_number > 0 && r->run == g_run_number && r->seq;
    view_row(p, y, text, w, fresh ? A_HILITE : 0, sel);
    free(text);
}

static void probes_title(pane *p, char *buf, size_t size)
{
    (void)p;
    if (g_bps.nw)
        snprintf(buf, size, "%zu displayed, %zu changes", g_bps.nw,
                 g_bps.nrows);
}

/* No rows: nothing displayed, or no value read yet (a display's tonic
 * has not run a sparkle since it began or since the restart). */
static const char *probes_empty(pane *p)
{
    (void)p;
    return g_bps.nw ? "no value yet: a display is read after each sparkle "
                      "of its tonic"
                    : "nothing displayed: display TONIC.PROBE";
}

/* Enter: the whole value. */
static void probes_activate(pane *p, size_t row)
{
    (void)p;
    if (row >= g_bps.nrows)
        return;
    const watch_row *r = &g_bps.rows[row];
    const watch *wt = &g_bps.w[r->watch];
    char *title = xasprintf("%s.%s after #%llu", wt->tonic, wt->probe,
                            (unsigned long long)r->seq);
    char *pretty = json_reindent(r->text);
    detail_open(title, pretty ? pretty : r->text);
    free(pretty);
    free(title);
}

const pane_ops probes_ops = {
    .title = "Probes",
    .rows = probes_rows,
    .draw_row = probes_draw_row,
    .activate = probes_activate,
    .title_extra = probes_title,
    .empty_fn = probes_empty,
    .follow = true,
    .layout = {.band = 2, .height = 30, .width = 40},
};
