/*
 * trace-session.c: a recorded trace as ttdb's session (post-mortem).
 *
 * `ttdb -trace FILE`, `ttdb FILE.json` and `file FILE.json` open a trace file
 * instead of an app: the library rebuilds a catalyst from it
 * (tt_trace_load), so the panes, `info`, `print #N`, search and `export`
 * read it as they read a live Distiller.  Commands that would run something
 * are marked CMD_RUNS and refused by cmd.c with one line.
 */
#include "ttdb.h"

#include <stdlib.h>
#include <string.h>

/* Whether path names a trace file rather than an app module. */
bool trace_path_is(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return n > 5 && strcmp(path + n - 5, ".json") == 0;
}

/* Open the trace at path as the session (closing any previous one). */
int session_open_trace(session *s, const char *path)
{
    session_close(s);
    if (s->app_path != path) {
        free(s->app_path);
        s->app_path = xstrdup(path);
    }
    tt_error err = {0};
    tt_catalyst *cat = NULL;
    int rc = tt_trace_load(s->app_path, &cat, &err);
    if (rc < 0) {
        bool elf = rc == -TT_EJSON && strstr(err.msg, ": an ELF file (");
        out_error("%s%s%s", err.msg[0] ? err.msg : tt_strerror(rc),
                  elf ? ": to debug an app module, open it without -trace: ttdb " : "",
                  elf ? s->app_path : "");
        return -1;
    }
    if (err.msg[0])
        out_warn("%s", err.msg);
    session_adopt_recorded(s, cat);
    return 0;
}

/* Make a recorded catalyst the session's. */
void session_adopt_recorded(session *s, tt_catalyst *cat)
{
    s->cat = cat;
    s->recorded = true;
    lint_settings_apply(s);
    s->generation++;
    s->last_run = tt_run_count(cat) ? tt_run_at(cat, tt_run_count(cat) - 1) : NULL;
    s->last_stop[0] = '\0';
    bp_session_reset(&g_bps, cat);
    frontend_changed();
}

/* One line about the trace just opened. */
void session_describe_trace(session *s)
{
    if (s->attached) {
        session_describe_attach(s);
        return;
    }
    tt_catalyst *cat = s->cat;
    uint64_t last = tt_trace_last_seq(cat), first = tt_trace_first_seq(cat);
    out_printf("%s: a recorded trace: %zu run%s, %llu entr%s (#%llu-#%llu), %zu tonics; "
               "nothing can run\n",
               s->app_path, tt_run_count(cat), tt_run_count(cat) == 1 ? "" : "s",
               (unsigned long long)(last >= first ? last - first + 1 : 0),
               last >= first && last - first == 0 ? "y" : "ies", (unsigned long long)first,
               (unsigned long long)last, tt_tonic_count(cat));
}
