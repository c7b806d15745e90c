/*
 * line.c: the plain line interface (-nw, TERM=dumb, or a terminal without
 * cursor addressing): a readline prompt and the output of batch mode, no
 * curses, for Emacs shells, compile buffers and plain terminals.  The
 * commands are the same; Enter on an empty line repeats the last run
 * command; history is kept in ~/.ttdb_history as on the screen.
 */
#include "ttdb.h"
#include "frontends.h"

#include <readline/history.h>
#include <readline/readline.h>
#include <stdlib.h>
#include <string.h>

/* Tab: the commands' completion (complete.c), as on the screen. */
static char **line_complete(const char *text, int start, int end)
{
    (void)end;
    return frontend_complete(text, start);
}

/* The line interface from start to exit status. */
int line_main(const char *app, const startup_cmd *cmds, int ncmds)
{
    g_opts.line = true;
    g_opts.print_entries = true;
    g_opts.entries_max = 100; /* at a prompt: what fits a screen or two */
    g_opts.keep_going = true;
    if (!g_opts.quiet)
        printf("ttdb %s (line interface): `help` lists the commands; Enter "
               "repeats the last step, continue or until.\n",
               PACKAGE_VERSION);
    if (app && session_open(&g_session, app) == 0) {
        if (g_session.recorded)
            session_describe_trace(&g_session);
        else
            printf("%s: %zu tonics, %zu orders queued; nothing has run "
                   "yet\n", app, tt_tonic_count(g_session.cat),
                   tt_queue_length(g_session.cat));
    }
    script_run_startup(cmds, ncmds);
    rl_readline_name = "ttdb";
    rl_attempted_completion_function = line_complete;
    rl_sort_completion_matches = 0; /* user sparkles before _ttss__ ones */
    const char *home = getenv("HOME");
    char *hist = home && *home ? xasprintf("%s/.ttdb_history", home) : NULL;
    if (hist)
        read_history(hist);
    while (!g_opts.quit) {
        fflush(stdout);
        char *line = readline(TTDB_PROMPT);
        if (!line) { /* Ctrl-D */
            putchar('\n');
            break;
        }
        if (*line)
            add_history(line);
        char *run = cmd_enter_line(line);
        free(line);
        if (run)
            script_run_line(run);
        free(run);
        out_flush();
    }
    cmd_enter_line(NULL);
    frontend_complete_free();
    if (hist && write_history(hist) != 0)
        fprintf(stderr, "ttdb: warning: cannot write %s\n", hist);
    free(hist);
    return g_opts.quit && g_opts.quit_status >= 0 ? g_opts.quit_status
                                                  : TTDB_EXIT_OK;
}
