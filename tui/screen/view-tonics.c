/*
 * view-tonics.c: the Tonics pane, every tonic as a tree by base (the
 * catalyst at the top, infusions indented below their base): id, name,
 * current state, class when it differs from the name; finished tonics are
 * dimmed and marked.  Enter shows the tonic's states, probes and sparkles.
 */
#include "screen.h"

#include <stdlib.h>

static tonic_row *rows;
static size_t nrows;

/* Free the tree. */
static void tonics_free(void)
{
    free(rows);
    rows = NULL;
    nrows = 0;
}

/* Rebuild the tree from the session. */
static void tonics_update(pane *p)
{
    (void)p;
    tonics_free();
    if (g_session.cat)
        nrows = tonic_tree(g_session.cat, &rows);
}

static size_t tonics_rows(pane *p)
{
    (void)p;
    if (g_session.attached)
        return attach_tonic_count(); /* the live app's, with statistics */
    return nrows;
}

static void tonics_draw_row(pane *p, int y, size_t row, int w, bool sel)
{
    strbuf b = {0};
    if (g_session.attached) {
        bool gone = false;
        attach_tonic_row(row, &b, &gone);
        view_row(p, y, b.s ? b.s : "", w, gone ? A_DIMMED : 0, sel);
        sb_free(&b);
        return;
    }
    fmt_tonic(&b, &rows[row]);
    tt_tonic *t = rows[row].tonic;
    attr_t a = tt_tonic_id(t) < 0 ? A_DIMMED
               : tt_tonic_finishing(t) ? A_HILITE
                                       : 0;
    view_row(p, y, b.s, w, a, sel);
    sb_free(&b);
}

static void tonics_title(pane *p, char *buf, size_t size)
{
    (void)p;
    if (g_session.attached)
        snprintf(buf, size, "%zu live: id name state sparkles busy longest dead-letters",
                 attach_tonic_count());
    else if (g_session.cat)
        snprintf(buf, size, "%zu", nrows);
}

/* Enter: what `info states/probes/sparkles` would print. */
static void tonics_activate(pane *p, size_t row)
{
    (void)p;
    if (g_session.attached || row >= nrows)
        return;
    tt_tonic *t = rows[row].tonic;
    tt_tonic *base = tt_tonic_base(t);
    strbuf b = {0};
    sb_printf(&b, "id %d, class %s, base %s\nstate: %s%s\n", tt_tonic_id(t),
              tt_tonic_class_name(t),
              !tt_tonic_base_known(t) ? "? (not in the trace)"
              : base                  ? tt_tonic_name(base)
                                      : "(none)",
              tt_tonic_state_name(t),
              tt_tonic_finishing(t) ? " (finishing)" : "");
    size_t ns = tt_tonic_state_count(t);
    if (ns) {
        sb_add(&b, "states:");
        for (size_t i = 0; i < ns; i++)
            sb_printf(&b, " %s", tt_tonic_state_at(t, (int)i));
        sb_add(&b, "\n");
    }
    sb_add(&b, "\nprobes:\n");
    size_t np = tt_tonic_probe_count(t);
    for (size_t i = 0; i < np; i++) {
        const char *name = tt_tonic_probe_at(t, i);
        tt_value v = TT_NONE;
        if (tt_tonic_probe_read(t, name, &v) == 0) {
            char *s = fmt_value(&v);
            sb_printf(&b, "  %s = %s\n", name, s);
            free(s);
            tt_value_clear(&v);
        } else {
            sb_printf(&b, "  %s (absent)\n", name);
        }
    }
    sb_add(&b, "\nsparkles:\n");
    size_t n = tt_tonic_sparkle_count(t);
    for (size_t i = 0; i < n; i++) {
        char sig[512];
        const char *s = tt_tonic_sparkle_at(t, i);
        if (tt_tonic_sparkle_sig_text(t, s, sig, sizeof sig) < 0)
            snprintf(sig, sizeof sig, "%s", s);
        sb_printf(&b, "  %s\n", sig);
    }
    detail_open(tt_tonic_name(t), b.s);
    sb_free(&b);
}

const pane_ops tonics_ops = {
    .title = "Tonics",
    .update = tonics_update,
    .rows = tonics_rows,
    .draw_row = tonics_draw_row,
    .activate = tonics_activate,
    .title_extra = tonics_title,
    .empty_text = "no app loaded: file APP",
    .free = tonics_free,
    .layout = {.band = 0, .height = 28, .width = 45},
};
