/*
 * batch.c: the plain-text command loop of batch mode (-batch, -x, -ex, or
 * commands on a stdin that is not a terminal) and of `source`.
 *
 * Output is plain text on stdout; errors are one line on stderr, prefixed
 * with the script and line ("ttdb: demo.ttdb:7: unknown command ...").  A
 * script stops at its first failing command unless `set keep-going on` (or
 * -k); the exit status (main.c) says whether any command failed.
 */
#include "ttdb.h"

#include <stdlib.h>
#include <string.h>

/* Run one command line; echoes it first when `set echo on`. */
int batch_run_line(const char *line)
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
int batch_run_file(const char *path, FILE *f)
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
        int r = batch_run_line(line);
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
