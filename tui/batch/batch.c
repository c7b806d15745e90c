/*
 * batch.c: the plain-text front end (-batch, or stdin or stdout not a
 * terminal).  It attaches no callbacks: output goes to stdout and errors
 * to stderr (output.c's default sink); the -x files and -ex commands run
 * in order, then (without -batch, or when neither was given) the commands
 * on stdin; the exit status says whether any failed or a sparkle crashed.
 */
#include "ttdb.h"
#include "frontends.h"

/* The batch exit status. */
static int batch_status(bool failed)
{
    if (g_opts.quit && g_opts.quit_status >= 0)
        return g_opts.quit_status;
    if (g_session.crashes)
        return TTDB_EXIT_CRASHED;
    if (failed || out_error_count() > 0)
        return TTDB_EXIT_FAILED;
    return TTDB_EXIT_OK;
}


/* Batch mode from start to exit status. */
int batch_main(const char *app, const startup_cmd *cmds, int ncmds,
               bool only_cmds)
{
    bool failed = false;
    if (app && session_open(&g_session, app) < 0)
        return TTDB_EXIT_FAILED;
    if (app && g_session.recorded && !g_opts.quiet)
        session_describe_trace(&g_session);
    if (script_run_startup(cmds, ncmds) < 0)
        failed = true;
    if (!g_opts.quit && (!failed || g_opts.keep_going) &&
        (!only_cmds || ncmds == 0)) {
        if (script_run_file("stdin", stdin) < 0)
            failed = true;
    }
    /* the app's destroy code runs now, so that a crash there is heard */
    session_end(&g_session, NULL);
    return batch_status(failed);
}
