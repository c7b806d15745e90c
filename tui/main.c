/*
 * main.c: ttdb's entry point: options, signals, the front end (batch/,
 * screen/), and teardown in the reverse order of setup.
 *
 *     ttdb [-batch] [-x FILE]... [-ex CMD]... [-k] [-q] [APP | -trace FILE]
 *
 * Batch mode (plain text) is chosen by -batch or when stdin or stdout is
 * not a terminal; the -x files and -ex commands run in the order given,
 * then (without -batch, or when neither was given) the commands on stdin.
 * Otherwise the curses screen runs them first and then reads the keyboard.
 */
#include "ttdb.h"

#include <dlfcn.h>
#include "record.h"
#include "frontends.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>



static const char usage_text[] =
    "usage: ttdb [options] [APP]\n"
    "Debug a TaskTonic app module (APP.so, or the libtool APP.la) in the\n"
    "Distiller: step sparkles, set breakpoints, watch probes, export traces.\n"
    "\n"
    "  -trace FILE   open a trace file (JSON) post-mortem instead of an app\n"
    "                (FILE.json is opened so too)\n"
    "  -attach PATH  attach to a live app (`ttrun --listen PATH APP`)\n"
    "  -batch        plain-text mode: run the -x and -ex commands, then exit\n"
    "  -nw           a plain line interface instead of the screen (also\n"
    "                with TERM=dumb or a terminal without cursor movement)\n"
    "  -x FILE       run the commands in FILE (repeatable)\n"
    "  -ex CMD       run one command (repeatable; in order with -x)\n"
    "  -k            batch: keep going after a failed command\n"
    "  --dap         serve an editor: the Debug Adapter Protocol on stdin\n"
    "                and stdout (the app comes with the launch request)\n"
    "  -q            no banner\n"
    "  --version     print the version and exit\n"
    "  --help        print this help and exit\n"
    "\n"
    "Commands are read from stdin when it is not a terminal. Exit status: 0,\n"
    "1 a command failed (or APP could not be loaded), 2 bad options,\n"
    "3 a sparkle crashed or the watchdog stopped one. `help` inside ttdb\n"
    "lists the commands; see ttdb(1).\n";

static const char *const option_names[] = {
    "-batch", "-nw", "-x", "-ex", "-k", "-q", "--dap", "-trace", "-attach",
    "--version",
    "--help"};

/* Print a usage error and return the usage status. */
static int usage_error(const char *fmt, ...) TTDB_PRINTF(1, 2);
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "ttdb: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(ttdb --help lists the options)\n");
    va_end(ap);
    return TTDB_EXIT_USAGE;
}

/* A sparkle, the formula or a callback that calls exit() must not end the
 * debugger: when such code runs, the library leaves it at once and reports
 * "exited: STATUS in ..." (tt_guard_exit); otherwise this is the C
 * library's exit().  (ttdb is linked with --export-dynamic-symbol=exit, so
 * that the modules it loads call this one.) */
void exit(int status)
{
    tt_guard_exit(status);
    void (*libc_exit)(int);
    *(void **)&libc_exit = dlsym(RTLD_NEXT, "exit");
    if (libc_exit)
        libc_exit(status);
    _Exit(status);
}

/* Close stdout and say so when what was written did not get out (a full
 * disk, /dev/full), as coreutils' close_stdout does: output lost is not a
 * success.  A closed pipe (EPIPE: the reader had enough) is no error. */
static int close_stdout(void)
{
    errno = 0;
    bool bad = fflush(stdout) != 0 || ferror(stdout);
    int e = errno;
    if (fclose(stdout) != 0 && !bad) {
        bad = true;
        e = errno;
    }
    if (out_stdout_errno())
        e = out_stdout_errno(); /* the first failure says most */
    if (!bad || e == EPIPE)
        return 0;
    fprintf(stderr, "ttdb: write error on standard output: %s\n",
            strerror(e ? e : EIO));
    return -1;
}

/* SIGINT: interrupt a run, or tell the screen loop. */
static void on_sigint(int sig)
{
    (void)sig;
    session *s = &g_session;
    if (s->running) {
        if (s->interrupts >= 1) {
            /* A second Ctrl-C while the same run is still going: the
             * sparkle that runs does not return; stop it. */
            s->interrupts++;
            s->abandoned = 1;
            tt_distiller_abort(s->cat);
            return;
        }
        session_interrupt(s);
        if (!screen_active() && (g_opts.batch || g_opts.line)) {
            /* Say it was heard: the run stops only when the sparkle that
             * runs returns, which one that does not return never does. */
            static const char msg[] =
                "ttdb: Ctrl-C: the run stops when the running sparkle "
                "returns; Ctrl-C again stops the sparkle itself\n";
            ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
            (void)w;
        }
        return;
    }
    if (screen_active()) {
        screen_signal(SIGINT);
        return;
    }
    if (g_opts.line && !s->in_command)
        return; /* at the line interface's prompt: nothing to stop */
    if (s->in_command) {
        /* batch: the command has not started its run yet */
        s->pending = 1;
        return;
    }
    signal(SIGINT, SIG_DFL);
    raise(SIGINT);
}

/* SIGTERM/SIGHUP on the screen: leave cleanly. */
static void on_term(int sig)
{
    if (screen_active()) {
        screen_signal(sig);
        return;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Install the signal handlers. */
static void signals_init(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
    alloc_init();
    startup_cmd *cmds = xcalloc((size_t)argc + 1, sizeof *cmds);
    int ncmds = 0;
    bool opt_batch = false, opt_dap = false, opt_nw = false;
    const char *app = NULL;
    bool dashdash = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (dashdash || a[0] != '-' || a[1] == '\0') {
            if (app) {
                free(cmds);
                return usage_error("more than one APP: %s", a);
            }
            app = a;
        } else if (strcmp(a, "--") == 0) {
            dashdash = true;
        } else if (!strcmp(a, "-batch") || !strcmp(a, "--batch")) {
            opt_batch = true;
        } else if (!strcmp(a, "-x") || !strcmp(a, "-ex") ||
                   !strcmp(a, "--command") || !strcmp(a, "--eval-command")) {
            if (i + 1 >= argc) {
                free(cmds);
                return usage_error("%s needs an argument", a);
            }
            cmds[ncmds].is_file = a[1] == 'x' || a[2] == 'c';
            cmds[ncmds++].text = argv[++i];
        } else if (!strcmp(a, "-trace") || !strcmp(a, "--trace")) {
            if (i + 1 >= argc) {
                free(cmds);
                return usage_error("%s needs a trace file", a);
            }
            if (app) {
                free(cmds);
                return usage_error("more than one APP: %s", argv[i + 1]);
            }
            app = argv[++i];
            g_session.force_trace = true;
        } else if (!strcmp(a, "-nw") || !strcmp(a, "--nw")) {
            opt_nw = true;
        } else if (!strcmp(a, "-attach") || !strcmp(a, "--attach")) {
            if (i + 1 >= argc) {
                free(cmds);
                return usage_error("%s needs the socket of `ttrun --listen`", a);
            }
            if (app) {
                free(cmds);
                return usage_error("more than one APP: %s", argv[i + 1]);
            }
            app = argv[++i];
            g_session.force_attach = true;
        } else if (!strcmp(a, "--dap") || !strcmp(a, "-dap")) {
            opt_dap = true;
        } else if (!strcmp(a, "-k") || !strcmp(a, "--keep-going")) {
            g_opts.keep_going = true;
        } else if (!strcmp(a, "-q") || !strcmp(a, "-quiet") ||
                   !strcmp(a, "--quiet")) {
            g_opts.quiet = true;
        } else if (!strcmp(a, "--version") || !strcmp(a, "-version")) {
            printf("ttdb (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
            free(cmds);
            return 0;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-help") ||
                   !strcmp(a, "-h")) {
            fputs(usage_text, stdout);
            free(cmds);
            return 0;
        } else {
            const char *sug = tt_suggest(
                a, option_names, sizeof option_names / sizeof *option_names);
            free(cmds);
            if (sug) {
                fprintf(stderr, "ttdb: unknown option %s (did you mean %s?)\n"
                                "(ttdb --help lists the options)\n", a, sug);
                return TTDB_EXIT_USAGE;
            }
            return usage_error("unknown option %s", a);
        }
    }

    g_opts.batch = opt_batch || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO);
    g_opts.print_entries = g_opts.batch;
    signals_init();

    screen_register_commands();
    int status;
    if (opt_dap) {
        if (app || ncmds) {
            free(cmds);
            return usage_error("--dap takes the app and commands from the "
                               "launch request, not the command line");
        }
        g_opts.print_entries = false;
        g_opts.keep_going = true;
        g_opts.dap = true;
        status = dap_main();
    } else if (g_opts.batch) {
        status = batch_main(app, cmds, ncmds, opt_batch);
    } else if (opt_nw || !screen_terminal_ok()) {
        status = line_main(app, cmds, ncmds);
    } else {
        status = screen_main(app, cmds, ncmds);
    }
    /* a crash in the app's destroy code is reported (batch mode heard it
     * before choosing its exit status) */
    session_end(&g_session, NULL);
    out_flush();
    export_free();
    session_close(&g_session);
    free(g_session.app_path);
    g_session.app_path = NULL;
    bp_free(&g_bps);
    ckpt_free();
    record_free();
    attach_shutdown();
    out_shutdown();
    cmd_shutdown();
    free(cmds);
    if (close_stdout() < 0 && status == TTDB_EXIT_OK)
        status = TTDB_EXIT_FAILED;
    return status;
}
