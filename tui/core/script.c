/*
 * script.c: running command lines and files of commands: batch mode's
 * loop (-batch, -x, -ex, or commands on a stdin that is not a terminal),
 * `source`, and the commands a DAP launch request brings.
 *
 * Output is plain text on stdout; errors are one line on stderr, prefixed
 * with the script and line ("ttdb: demo.ttdb:7: unknown command ...").  A
 * script stops at its first failing command unless `set keep-going on` (or
 * -k); the exit status (main.c) says whether any command failed.
 */
#include "ttdb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Run one command line; echoes it first when `set echo on`. */
int script_run_line(const char *line)
{
    /* A command is under way from its echo on: a Ctrl-C after the echo is
     * for its run (see on_sigint), not the end of ttdb. */
    if (g_session.in_command++ == 0)
        g_session.pending = 0;
    if (g_opts.echo) {
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p && *p != '#') {
            out_printf("%s%s\n", TTDB_PROMPT, p);
            out_flush(); /* seen before a long command runs */
        }
    }
    int rc = cmd_execute(line);
    if (--g_session.in_command == 0)
        g_session.pending = 0;
    return rc;
}

/* Run every line of f (named path in messages). */
int script_run_file(const char *path, FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int rc = 0;
    char *outer = xstrdup(out_context()); /* a `source` inside a script */
    while (!g_opts.quit && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (memchr(line, '\0', (size_t)n)) {
            out_set_context(outer);
            out_error("%s:%ld: a NUL byte in a command line", path, lineno);
            rc = -1;
            if (!g_opts.keep_going)
                break;
            continue;
        }
        char *where = xasprintf("%s:%ld", path, lineno);
        out_set_context(where);
        free(where);
        int r = script_run_line(line);
        out_set_context(outer);
        if (r < 0) {
            rc = -1;
            if (!g_opts.keep_going)
                break;
        }
    }
    free(line);
    free(outer);
    return rc;
}

/* Run the -x / -ex commands in order; 0 or -1 (stopped at a failure,
 * unless batch mode keeps going). */
int script_run_startup(const startup_cmd *cmds, int n)
{
    int rc = 0;
    for (int i = 0; i < n && !g_opts.quit; i++) {
        int r;
        if (cmds[i].is_file) {
            FILE *f = fopen(cmds[i].text, "r");
            if (!f) {
                out_error("cannot read %s: %s", cmds[i].text,
                          strerror(errno));
                r = -1;
            } else {
                r = script_run_file(cmds[i].text, f);
                fclose(f);
            }
        } else {
            r = script_run_line(cmds[i].text);
        }
        if (r < 0) {
            rc = -1;
            if (g_opts.batch && !g_opts.keep_going)
                break;
        }
    }
    return rc;
}
