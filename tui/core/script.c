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
#include <sys/stat.h>

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
        if (*p && *p != '#')
            out_printf("%s%s\n", TTDB_PROMPT, p); /* flushed when a run starts */
    }
    int rc = cmd_execute(line);
    out_flush();
    if (--g_session.in_command == 0)
        g_session.pending = 0;
    return rc;
}

/* Read one line of f into *line (no newline kept): its length, -1 at the
 * end of the file or on a read error, -2 when the line is longer than
 * TTDB_LINE_MAX (the rest of the file is not read: it is no script). */
static ssize_t read_line(FILE *f, strbuf *line)
{
    line->len = 0;
    if (line->s)
        line->s[0] = '\0';
    int c;
    while ((c = getc(f)) != EOF && c != '\n') {
        if (line->len >= TTDB_LINE_MAX)
            return -2;
        char ch = (char)c;
        sb_addn(line, &ch, 1);
    }
    if (c == EOF && line->len == 0)
        return -1;
    if (!line->s)
        sb_addn(line, "", 0);
    return (ssize_t)line->len;
}

/* How deep `source` may nest (a script that sources itself stops here). */
#define SOURCE_DEPTH_MAX 64

/* Run every line of f (named path in messages). */
int script_run_file(const char *path, FILE *f)
{
    static int depth;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        out_error("cannot read %s: it is a folder, not a script", path);
        return -1;
    }
    if (depth >= SOURCE_DEPTH_MAX) {
        out_error("%s: scripts nest deeper than %d (a script that sources "
                  "itself?)", path, SOURCE_DEPTH_MAX);
        return -1;
    }
    depth++;
    strbuf line = {0};
    ssize_t n;
    long lineno = 0;
    int rc = 0;
    char *outer = out_context() ? xstrdup(out_context()) : NULL;
    while (!g_opts.quit && (n = read_line(f, &line)) != -1) {
        lineno++;
        if (n == -2) {
            out_set_context(outer);
            out_error("%s:%ld: a line longer than %d bytes; not a ttdb "
                      "script?", path, lineno, TTDB_LINE_MAX);
            rc = -1;
            break;
        }
        while (n > 0 && line.s[n - 1] == '\r')
            line.s[--n] = '\0';
        if (memchr(line.s, '\0', (size_t)n)) {
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
        int r = script_run_line(line.s);
        out_set_context(outer);
        if (r < 0) {
            rc = -1;
            if (!g_opts.keep_going)
                break;
        }
    }
    if (rc == 0 && ferror(f)) {
        out_error("cannot read %s: %s", path, strerror(errno));
        rc = -1;
    }
    sb_free(&line);
    free(outer);
    depth--;
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
