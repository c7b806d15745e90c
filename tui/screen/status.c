/*
 * status.c: the status line above the command line: app, virtual time,
 * sparkles run, the number of lints (when there is any), the last stop
 * reason, a TAINTED mark after a contained crash, and a transient message
 * (search results) on the right.
 */
#include "screen.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static char message[256];

/* A message until the next command. */
void status_message(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
}

/* Drop the message. */
void status_clear(void)
{
    message[0] = '\0';
}

/* The app's file name without folders. */
static const char *app_name(void)
{
    const char *p = g_session.app_path;
    if (!p)
        return "(no app)";
    const char *slash = strrchr(p, '/');
    return slash ? slash + 1 : p;
}

/* Paint the status line into w. */
void status_draw(WINDOW *w)
{
    tt_catalyst *cat = g_session.cat;
    strbuf b = {0};
    sb_printf(&b, " ttdb %s", app_name());
    if (cat) {
        double now = tt_catalyst_now(cat);
        const tt_trace_entry *e = NULL;
        /* a trace (a file, a live app) keeps no clock: its last entry's */
        if (g_session.recorded && (e = tt_trace_get(cat, tt_trace_last_seq(cat))))
            now = e->vt;
        sb_printf(&b, " | time %.3fs | %llu sparkles", now,
                  (unsigned long long)tt_trace_last_seq(cat));
        strbuf lints = {0}; /* before the stop reasons, which may be long */
        lint_status(cat, &lints);
        if (lints.s)
            sb_printf(&b, " | %s", lints.s);
        sb_free(&lints);
        if (g_session.attached) {
            sb_add(&b, " | ");
            attach_status(&b);
        } else if (g_session.recorded)
            sb_add(&b, " | recorded trace: nothing can run");
        else if (g_session.running)
            sb_add(&b, " | running... (Ctrl-C interrupts)");
        else if (g_session.last_stop[0])
            sb_printf(&b, " | stop: %s", g_session.last_stop);
        else
            sb_add(&b, " | not started");
        if (tt_catalyst_finished(cat))
            sb_add(&b, " | FINISHED");
        if (tt_distiller_tainted(cat))
            sb_add(&b, " | TAINTED: restart");
        if (g_session.settings_pending)
            sb_add(&b, " | settings wait for restart");

    } else if (g_session.app_path) {
        sb_add(&b, " | not loaded");
    }
    werase(w);
    wattron(w, A_STATUS);
    mvwhline(w, 0, 0, ' ', COLS);
    wattroff(w, A_STATUS);
    int used = view_put(w, 0, 0, b.s, COLS, A_STATUS);
    if (message[0]) {
        /* the message wins over the end of a long status */
        int len = (int)strlen(message) + 2;
        int x = COLS - len;
        if (x < 1)
            x = 1;
        if (x < used + 1) {
            wattron(w, A_STATUS);
            mvwhline(w, 0, x - 1, ' ', COLS - x + 1);
            wattroff(w, A_STATUS);
        }
        if (x < COLS)
            view_put(w, 0, x, message, COLS - x, A_STATUS | A_BOLD);
    }
    sb_free(&b);
}

/* Show "running..." at once: the run blocks the loop. */
void status_running(void)
{
    message[0] = '\0';
    view_paint();
}
