/*
 * session.c: the loaded app and the Distiller that runs it.
 *
 * A session is one app module plus one catalyst in Distiller mode with
 * crash containment on.  Opening it loads the module and runs its formula,
 * which creates the starting tonics and queues their start-up orders:
 * nothing has run yet.  `restart` frees the catalyst, reloads the module (so
 * its static data starts afresh too) and runs the formula again; breakpoints
 * and watches live in breakpoint.c and survive it.
 */
#include "ttdb.h"
#include "record.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The trace ring: at least the last 1,048,576 entries (about 110 MB);
 * goto replays to older ones. */
#define TTDB_TRACE_RING (1u << 20)
session g_session = {.wall_guard = 0, .timeout = 0, .trace_ring = TTDB_TRACE_RING,
                     .stop_on_error = true, .giant_ms = 50, .stuck_after = 100,
                     .queue_growth = 1000};
unsigned g_run_number;

/* Create the catalyst (before the module loads: its constructors run under
 * the catalyst's crash guard). */
static int session_new_cat(session *s)
{
    tt_catalyst_options o = {
        .mode = TT_MODE_DISTILLER,
        .contain_crashes = true,
        .watchdog = s->watchdog,
        .wall_guard = s->wall_guard,
        .trace_ring = s->trace_ring,
        .stop_on_error = s->stop_on_error,
        .compat = (tt_compat)s->compat,
    };
    int rc = tt_catalyst_new(&s->cat, &o);
    if (rc < 0) {
        out_error("cannot create the Distiller: %s", tt_strerror(rc));
        s->cat = NULL;
        return -1;
    }
    lint_settings_apply(s);
    return 0;
}

/* Run the formula; s->app is loaded into s->cat. */
static int session_start(session *s)
{
    int rc;
    s->generation++;
    s->last_run = NULL;
    s->crash_run = NULL;
    s->taint_counted = false;
    s->last_stop[0] = '\0';
    s->settings_pending = false;
    g_run_number = 0;
    if (!g_journal.replaying)
        journal_reset(&g_journal);
    rc = tt_app_formula(s->app, s->cat);
    if (rc < 0) {
        const char *m = tt_catalyst_errmsg(s->cat);
        if (rc == -TT_ECRASHED) /* "crashed: SIGSEGV in the formula of APP" */
            out_error("%s", m);
        else
            out_error("%s: the formula failed: %s%s%s", s->app_path,
                      tt_strerror(rc), m && *m ? ": " : "", m ? m : "");
        tt_catalyst_free(s->cat);
        s->cat = NULL;
        return -1;
    }
    bp_session_reset(&g_bps, s->cat);
    bp_install(&g_bps, s->cat);
    record_session_started(s->cat);
    journal_settings(s);
    frontend_changed();
    return 0;
}

/* dlopen of the app module, run under the guard. */
typedef struct app_load {
    session *s;
    const char *path;
    tt_error err;
    int rc;
} app_load;

static void call_load(void *ud)
{
    app_load *l = ud;
    l->rc = tt_app_load(l->path, &l->s->app, &l->err);
}

/* Create the catalyst and load the module file into it, by its absolute
 * path: the dynamic linker keeps the name it was given, and `gdb -p` (run
 * from any folder) finds the module's symbols only by an absolute one. */
static int session_load(session *s)
{
    if (session_new_cat(s) < 0)
        return -1;
    char *abs = realpath(s->app_path, NULL);
    app_load l = {s, abs ? abs : s->app_path, {0}, 0};
    char *what = xasprintf("loading %s", s->app_path);
    int g = tt_guard_run(s->cat, what, call_load, &l);
    free(what);
    free(abs);
    if (g < 0) {
        /* the module's constructors crashed or exited: it is not used */
        out_error("%s", tt_catalyst_errmsg(s->cat));
        s->app = NULL;
        return -1;
    }
    if (l.rc < 0) {
        s->app = NULL;
        out_error("%s", l.err.msg[0] ? l.err.msg : tt_strerror(l.rc));
        return -1;
    }
    return 0;
}

/* Free the catalyst and close the module. */
void session_close(session *s)
{
    ckpt_reset(); /* not while a second Distiller runs (it is suspended) */
    if (s->cat) {
        tt_catalyst_free(s->cat);
        s->cat = NULL;
    }
    if (s->app) {
        tt_app_close(s->app);
        s->app = NULL;
    }
    s->last_run = NULL;
    s->recorded = false;
    if (s->attached)
        attach_close();
    s->attached = false;
    frontend_changed();
}

/* Run the app's destroy code before the session is let go, to hear a crash
 * (a hang, an exit()) there: it is reported in one line and counted as a
 * crash (batch exit status 3).  With then (the command that was refused:
 * "restart", "file"), the session is kept with its trace and the same
 * command goes ahead next time.  0, or -1 after the report. */
int session_end(session *s, const char *then)
{
    if (!s->cat || s->recorded || tt_catalyst_destroy_tonics(s->cat) == 0)
        return 0;
    out_error("%s", tt_catalyst_errmsg(s->cat));
    s->crashes++; /* no `expect stop` can pin it: not a run's */
    s->taint_counted = true;
    if (then)
        out_warn("the session is no longer trustworthy; inspect or export "
                 "the trace, then `%s` again", then);
    frontend_changed();
    return -1;
}

/* Open path as the session's app (closing any previous one). */
int session_open(session *s, const char *path)
{
    if (session_end(s, "file") < 0)
        return -1;
    if (s->force_attach)
        return session_attach(s, path);
    if (s->force_trace || trace_path_is(path))
        return session_open_trace(s, path);
    session_close(s);
    free(s->app_path);
    s->app_path = xstrdup(path);
    if (session_load(s) < 0) {
        session_close(s);
        return -1;
    }
    if (session_start(s) < 0) {
        session_close(s);
        return -1;
    }
    return 0;
}

/* A fresh run of the same app. */
int session_restart(session *s)
{
    if (!s->app_path) {
        out_error("no app loaded (use `file APP`)");
        return -1;
    }
    if (s->recorded && s->attached)
        return session_attach(s, s->app_path);
    if (s->recorded)
        return session_open_trace(s, s->app_path);
    if (session_end(s, "restart") < 0)
        return -1;
    session_close(s);
    if (session_load(s) < 0) {
        session_close(s);
        return -1;
    }
    if (session_start(s) < 0) {
        session_close(s);
        return -1;
    }
    return 0;
}

/* The catalyst, or an error when no app is loaded. */
tt_catalyst *session_cat(session *s)
{
    if (!s->cat) {
        if (s->app_path)
            out_error("no running session for %s (use `restart` or `file APP`)",
                      s->app_path);
        else
            out_error("no app loaded (use `file APP`)");
        return NULL;
    }
    return s->cat;
}

/* Whether the catalyst is tainted. */
bool session_tainted(const session *s)
{
    return s->cat && tt_distiller_tainted(s->cat);
}

/* SIGINT during a run (async-signal-safe). */
void session_interrupt(session *s)
{
    s->interrupts++;
    if (s->cat)
        tt_distiller_interrupt(s->cat);
}

/* The stop conditions of r joined by ", ", each once (malloc'ed): the
 * Distiller lists a state_trigger after every sparkle of a state change
 * that leaves the tonic in the state (two, or five when it enters the
 * state twice), as Python's does; a user wants to read why it stopped.
 * `sparkle -json` and the exports keep the Distiller's list. */
char *run_stop_text(const tt_run *r)
{
    strbuf b = {0};
    size_t n = tt_run_stop_count(r);
    for (size_t i = 0; i < n; i++) {
        const char *st = tt_run_stop_at(r, i);
        size_t j = 0;
        while (j < i && strcmp(tt_run_stop_at(r, j), st) != 0)
            j++;
        if (j < i)
            continue; /* already named */
        if (b.len)
            sb_add(&b, ", ");
        sb_add(&b, st);
    }
    return b.s ? sb_take(&b) : xstrdup("");
}

/* Remember why r stopped, for the stop line and the status line. */
static void remember_stop(session *s, const tt_run *r)
{
    char *t = run_stop_text(r);
    snprintf(s->last_stop, sizeof s->last_stop, "%s", t);
    free(t);
}

/* The run came to rest before an order a handler breakpoint is on: its
 * stops name the breakpoint too (bp_handlers_arrive). */
static void stop_at_handler(tt_catalyst *cat, const tt_run *r)
{
    size_t nr = tt_run_count(cat);
    if (!nr || tt_run_at(cat, nr - 1) != r)
        return;
    const char *hit = bp_handlers_arrive(&g_bps, cat);
    if (!hit)
        return;
    size_t n = tt_run_stop_count(r);
    const char **v = xmalloc((n + 1) * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = tt_run_stop_at(r, i);
    v[n] = hit;
    tt_run_set_stops(cat, nr - 1, v, n + 1);
    free(v);
}

/* "contract met (M of T): TONIC: REASON ...; TONIC: ..." for a run whose
 * contract was met, else NULL (malloc'ed). */
char *run_contract_text(const tt_run *r)
{
    int mc, tc;
    if (!tt_run_contract_met(r, &mc, &tc))
        return NULL;
    strbuf m = {0};
    sb_printf(&m, "contract met (%d of %d): ", mc, tc);
    size_t nt = tt_run_matched_count(r);
    for (size_t i = 0; i < nt; i++) {
        sb_printf(&m, "%s%s:", i ? "; " : "", tt_run_matched_tonic(r, i));
        size_t nr = tt_run_matched_reason_count(r, i);
        for (size_t j = 0; j < nr; j++)
            sb_printf(&m, " %s", tt_run_matched_reason(r, i, j));
    }
    return sb_take(&m);
}

/* A run of more than `set entries-max` entries lists only its last
 * ENTRIES_SHOWN (fewer when the maximum is lower). */
#define ENTRIES_SHOWN 20

/* Print the run summary and (optionally) its entries. */
void session_print_run(session *s, const tt_run *r, bool entries)
{
    tt_catalyst *cat = s->cat;
    uint64_t n = tt_run_entry_count(r);
    uint64_t first = tt_run_first_seq(r);
    strbuf b = {0};
    if (!tt_run_has_trace(r) || n == 0)
        sb_printf(&b, "no sparkle ran");
    else if (n == 1)
        sb_printf(&b, "1 sparkle (#%llu)", (unsigned long long)first);
    else
        sb_printf(&b, "%llu sparkles (#%llu-#%llu)", (unsigned long long)n,
                  (unsigned long long)first,
                  (unsigned long long)(first + n - 1));
    double v0 = tt_run_vt_start(r), v1 = tt_run_vt_end(r);
    if (v1 != v0)
        sb_printf(&b, ", time %gs -> %gs", v0, v1);
    else
        sb_printf(&b, ", time %gs", v1);
    out_printf("stopped: %s; %s\n", s->last_stop[0] ? s->last_stop : "?",
               b.s);
    sb_free(&b);
    char *met = run_contract_text(r);
    if (met)
        out_printf("%s\n", met);
    free(met);
    if (entries && tt_run_has_trace(r) && cat) {
        char line[1024];
        uint64_t i = 0;
        /* a long run shows its end, as gdb shows where it stopped: a
         * listing of millions of lines takes minutes to scroll by (-nw)
         * or fills a CI log (batch) */
        if (g_opts.entries_max && n > g_opts.entries_max) {
            i = n - (g_opts.entries_max < ENTRIES_SHOWN ? g_opts.entries_max
                                                        : ENTRIES_SHOWN);
            /* the trace ring may have dropped the run's start */
            uint64_t held = tt_trace_first_seq(cat);
            if (held >= first + i)
                out_printf("  ... %llu earlier entries (dropped by the trace "
                           "ring)\n", (unsigned long long)i);
            else if (held > first)
                out_printf("  ... %llu earlier entries (`info trace "
                           "%llu-%llu`; those before #%llu were dropped by "
                           "the trace ring)\n", (unsigned long long)i,
                           (unsigned long long)held,
                           (unsigned long long)(first + i - 1),
                           (unsigned long long)held);
            else
                out_printf("  ... %llu earlier entries (`info trace %llu-%llu`)\n",
                           (unsigned long long)i, (unsigned long long)first,
                           (unsigned long long)(first + i - 1));
        }
        for (; i < n; i++) {
            const tt_trace_entry *e = tt_trace_get(cat, first + i);
            if (!e)
                continue;
            tt_entry_format(cat, e, line, sizeof line);
            out_printf("  %s\n", line);
        }
    }
    /* batch and -nw have no Probes pane: a stop shows the displays, as
     * gdb's */
    if ((g_opts.batch || g_opts.line) && !g_opts.dap)
        displays_show();
}

/* A run the user asked for: journaled, and replaying the recorded future
 * after a goto (journal.c). */
int session_run(session *s, const tt_sparkle_args *a, bool finish, bool quiet,
                const tt_run **out)
{
    const tt_run *r = NULL;
    int rc = journal_forward(s, a, finish, quiet, &r);
    if (rc == 0 && r)
        record_stop(s->cat, a, finish, r);
    if (out)
        *out = r;
    return rc;
}

/* One Distiller call with the session's bookkeeping. */
int session_run_raw(session *s, const tt_sparkle_args *a, bool finish,
                    bool quiet, const tt_run **out)
{
    tt_catalyst *cat = session_cat(s);
    if (!cat)
        return -1;
    bool was_tainted = tt_distiller_tainted(cat);
    const tt_run *r = NULL;
    g_run_number++;
    s->interrupts = 0;
    s->abandoned = 0;
    s->running = 1;
    if (s->pending) /* Ctrl-C came while this command prepared its run */
        tt_distiller_interrupt(cat);
    /* The command's echo comes out now that the run is under way: a Ctrl-C
     * prompted by it interrupts the run, not its preparation. */
    out_flush();
    frontend_running();
    int rc = finish ? tt_distiller_finish(cat, a, &r)
                    : tt_distiller_sparkle(cat, a, &r);
    s->running = 0;
    s->interrupts = 0;
    frontend_changed();
    if (rc < 0) {
        const char *m = tt_catalyst_errmsg(cat);
        out_error("%s", m && *m ? m : tt_strerror(rc));
        return -1;
    }
    s->last_run = r;
    if (r && !finish)
        stop_at_handler(cat, r);
    if (r)
        remember_stop(s, r);
    s->crash_run = NULL;
    if (tt_distiller_tainted(cat) && !s->taint_counted && g_journal.replaying) {
        /* going back replays a crash the session counted when it first
         * ran (and an `expect stop` may have pinned): not a new one */
        s->taint_counted = true;
    } else if (tt_distiller_tainted(cat) && !s->taint_counted) {
        s->crashes++;
        s->taint_counted = true;
        s->crash_run = was_tainted ? NULL : r; /* an `expect stop` may pin it */
    }
    if (out)
        *out = r;
    if (!quiet && r)
        session_print_run(s, r, g_opts.print_entries);

    if (s->abandoned)
        out_warn("the second Ctrl-C stopped a sparkle that did not return");
    s->abandoned = 0;
    if (!was_tainted && tt_distiller_tainted(cat))
        out_warn("the session is no longer trustworthy; inspect or export "
                 "the trace, then `restart`");
    const char *unresolved = bp_after_run(&g_bps);
    if (unresolved) { /* one line each */
        for (const char *p = unresolved; *p;) {
            size_t k = strcspn(p, "\n");
            out_error("%.*s", (int)k, p);
            p += k + (p[k] == '\n');
        }
        return -1;
    }
    return 0;
}
