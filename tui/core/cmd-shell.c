/*
 * cmd-shell.c: `shell COMMAND` and `make [ARGS]`, as in gdb: run a command
 * with /bin/sh (stdin from /dev/null, stdout and stderr into ttdb's output,
 * so the screen stays whole) and fail when it fails, so that a script's
 * `-ex "make"` stops on a broken build.  The usual loop: edit the app,
 * `make`, `run`.
 */
#include "ttdb.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* Run text with /bin/sh; its output goes to ttdb's; 0, or -1 with an
 * error naming how it ended. */
static int run_shell(const char *what, const char *text)
{
    char *line = xasprintf("( %s\n) </dev/null 2>&1", text);
    fflush(stdout);
    fflush(stderr);
    FILE *p = popen(line, "r");
    free(line);
    if (!p) {
        out_error("%s: cannot start /bin/sh: %s", what, strerror(errno));
        return -1;
    }
    char buf[4096];
    bool open_line = false;
    while (fgets(buf, sizeof buf, p)) {
        out_printf("%s", buf);
        open_line = buf[strlen(buf) - 1] != '\n';
    }
    if (open_line)
        out_printf("\n");
    int st = pclose(p);
    if (st == -1) {
        out_error("%s: %s", what, strerror(errno));
        return -1;
    }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    if (WIFEXITED(st))
        out_error("%s: exit status %d", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        out_error("%s: killed by signal %d (%s)", what, WTERMSIG(st),
                  strsignal(WTERMSIG(st)));
    return -1;
}

/* shell COMMAND... */
static int cmd_shell_exec(cmd_args *a)
{
    if (a->argc == 0)
        return cmd_usage_error(&cmd_shell_entry);
    return run_shell("shell", a->starts[0]);
}

/* make [ARGS...] */
static int cmd_make_exec(cmd_args *a)
{
    char *text = xasprintf("make %s", a->argc ? a->starts[0] : "");
    int rc = run_shell("make", text);
    free(text);
    return rc;
}

const cmd_entry cmd_shell_entry = {
    .name = "shell",
    .usage = "shell COMMAND...",
    .help = "Run COMMAND with /bin/sh, as gdb's shell: its output (stdout "
            "and stderr) shows in ttdb's, its stdin is /dev/null. It fails "
            "(a batch stops) when the command does.",
    .exec = cmd_shell_exec,
};

const cmd_entry cmd_make_entry = {
    .name = "make",
    .usage = "make [ARGS...]",
    .help = "Run make with ARGS in ttdb's folder, as gdb's make: rebuild the "
            "app, then `run` or `restart` loads the new module. It fails (a "
            "batch stops) when the build does.",
    .exec = cmd_make_exec,
};
