/*
 * fuzz-command.c: libFuzzer target for ttdb's command parser.
 *
 * Every input is a script: each line goes to cmd_execute() as in batch mode
 * (`ttdb -batch -k`), on a fresh session of the app module fuzz-app.la (its
 * tonics have states, probes of every kind, timers and sparkles with every
 * argument type, so that the commands that need tonics do real work).  The
 * output goes to a sink that drops it; what must hold for any input:
 *   - cmd_execute returns 0 or -1, and -1 only after printing an error;
 *   - every error line is one non-empty line;
 *   - no crash, no sanitizer report, no leak, no hang.
 *
 * Inputs must not do damage, so the target runs every input in a private
 * temporary folder (the current folder only while an input runs) and skips
 * the lines that could reach outside it or block:
 *   - file names with a '/' in export, source, file, until
 *     (contract FILE) and sparkle contract=FILE;
 *   - `file X` for an X that exists (only the error paths of `file` run; the
 *     session itself is opened by the target, and `restart` reloads it);
 *   - `source X` whose lines would not pass these rules themselves, and any
 *     `source` or `file` inside a sourced file;
 *   - `set watchdog` with a positive value and `set wall-guard` outside
 *     (0, 5]: both use SIGALRM/ITIMER_REAL, which libFuzzer uses to detect
 *     hangs (zero, NaN and bad values still reach the parser);
 *   - `advance` by more than 100 seconds (each period of a repeat timer
 *     queues one order: see fuzz/README.md).
 * `quit` ends the input, as it ends a script.  The crash containment of the
 * session's Distiller would turn a fatal signal into the default action
 * (no report, no artifact), so after every line the target puts back the
 * sanitizer's and libFuzzer's handlers and the alternate signal stack: the
 * app has no sparkle that crashes on purpose, so every fatal signal is a bug.
 *
 * Environment: FUZZ_APP (default: fuzz/fuzz-app.la of the build tree),
 * TTDB_PLUGIN_PATH (default: plugins/.libs of the build tree), FUZZ_VERBOSE=1
 * prints each line, what the target did with it, and the output, on stderr.
 */
#include "ttdb.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FUZZ_APP_DEFAULT
#define FUZZ_APP_DEFAULT "fuzz/fuzz-app.la"
#endif
#ifndef FUZZ_PLUGIN_PATH_DEFAULT
#define FUZZ_PLUGIN_PATH_DEFAULT "plugins/.libs"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
                                    SIGALRM};
#define N_FATAL (sizeof fatal_signals / sizeof fatal_signals[0])

static struct {
    char *app;            /* absolute path of the app module */
    tt_app *keep;         /* holds the module loaded */
    char **argv;          /* libFuzzer's argv with -artifact_prefix added */
    char *workdir;        /* the private folder inputs run in */
    int home_fd;          /* the folder to come back to */
    struct timespec dir_mtime; /* workdir untouched since it was emptied */
    struct sigaction sa[N_FATAL];
    stack_t altstack;
    bool have_signals;    /* sa and altstack hold the handlers to keep */
    unsigned generation;  /* of the session whose handlers were replaced */
    bool verbose;
    unsigned long error_lines; /* OUT_ERROR lines seen by the sink */
    char last_error[512];  /* the last of them, for the harness's own stops */
} F;

/* Stop with a message: the harness itself cannot work. */
static void die(const char *what)
{
    fprintf(stderr, "fuzz-command: %s\n", what);
    abort();
}

/* The output sink: checks error lines; prints them when verbose. */
static void sink(out_kind kind, const char *line, void *ud)
{
    (void)ud;
    if (kind == OUT_ERROR) {
        F.error_lines++;
        snprintf(F.last_error, sizeof F.last_error, "%s", line);
        if (!line[0] || strchr(line, '\n'))
            die("an error line is empty or holds a newline");
    }
    if (F.verbose)
        fprintf(stderr, "    %s%s\n",
                kind == OUT_ERROR  ? "error: "
                : kind == OUT_WARN ? "warning: "
                                   : "",
                line);
}

/* Put back the handlers and the alternate stack the session's crash
 * containment replaced (those of ASan, UBSan and libFuzzer). */
static void restore_signals(void)
{
    for (size_t i = 0; i < N_FATAL; i++)
        sigaction(fatal_signals[i], &F.sa[i], NULL);
    stack_t cur;
    if (sigaltstack(NULL, &cur) == 0 && (cur.ss_flags & SS_DISABLE) &&
        !(F.altstack.ss_flags & SS_DISABLE))
        sigaltstack(&F.altstack, NULL);
}

/* Empty the work folder when an input wrote to it. */
static void clean_workdir(void)
{
    struct stat st;
    if (stat(F.workdir, &st) == 0 &&
        st.st_mtim.tv_sec == F.dir_mtime.tv_sec &&
        st.st_mtim.tv_nsec == F.dir_mtime.tv_nsec)
        return;
    DIR *d = opendir(F.workdir);
    if (!d)
        die("cannot read the work folder");
    int dfd = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            if (unlinkat(dfd, e->d_name, 0) != 0 && errno == EISDIR)
                unlinkat(dfd, e->d_name, AT_REMOVEDIR);
    closedir(d);
    if (stat(F.workdir, &st) != 0)
        die("the work folder is gone");
    F.dir_mtime = st.st_mtim;
}

/* At exit: close the session, remove the work folder. */
static void at_exit(void)
{
    session_close(&g_session);
    free(g_session.app_path);
    g_session.app_path = NULL;
    bp_free(&g_bps);
    export_free();
    out_shutdown();
    tt_app_close(F.keep);
    if (F.workdir) {
        clean_workdir();
        rmdir(F.workdir);
    }
    free(F.workdir);
    free(F.app);
}

/* Whether argv has an option starting with `prefix`. */
static bool has_option(int argc, char **argv, const char *prefix)
{
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], prefix, strlen(prefix)) == 0)
            return true;
    return false;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *app = getenv("FUZZ_APP");
    char *home = getcwd(NULL, 0);

    F.verbose = getenv("FUZZ_VERBOSE") && *getenv("FUZZ_VERBOSE") == '1';
    F.app = realpath(app && *app ? app : FUZZ_APP_DEFAULT, NULL);
    if (!F.app || !home)
        die("cannot find the app module (set FUZZ_APP to fuzz-app.la)");
    if (!getenv("TTDB_PLUGIN_PATH"))
        setenv("TTDB_PLUGIN_PATH", FUZZ_PLUGIN_PATH_DEFAULT, 1);

    /* Inputs run in the work folder, so crash artifacts must not land there:
     * give libFuzzer an absolute -artifact_prefix unless one was given. */
    if (argc && argv && *argc > 0 && !has_option(*argc, *argv, "-artifact_prefix=") &&
        !has_option(*argc, *argv, "-exact_artifact_path=")) {
        char **v = xcalloc((size_t)*argc + 2, sizeof *v);
        memcpy(v, *argv, (size_t)*argc * sizeof *v);
        v[*argc] = xasprintf("-artifact_prefix=%s/", home);
        *argv = F.argv = v;
        (*argc)++;
    }

    const char *tmp = getenv("TMPDIR");
    F.workdir = xasprintf("%s/ttdb-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(F.workdir))
        die("cannot create a work folder");
    F.home_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (F.home_fd < 0)
        die("cannot open the current folder");
    free(home);
    F.dir_mtime.tv_nsec = -1; /* empty it once */
    clean_workdir();

    /* Keep the module loaded, so that opening a session per input (and
     * `restart`) does not load and register it again each time. */
    tt_error err = {0};
    if (tt_app_load(F.app, &F.keep, &err) < 0) {
        fprintf(stderr, "fuzz-command: %s\n", err.msg);
        die("cannot load the app module");
    }

    out_set_sink(sink, NULL);
    atexit(at_exit);
    return 0;
}

/* A fresh ttdb: settings, breakpoints and a new session on the app. */
static void reset(void)
{
    session_close(&g_session);
    free(g_session.app_path);
    memset(&g_session, 0, sizeof g_session);
    bp_free(&g_bps);
    memset(&g_opts, 0, sizeof g_opts);
    g_opts.batch = true;
    g_opts.print_entries = true;
    g_opts.keep_going = true;
    g_opts.show_system = true;
    out_set_context(NULL);
    if (session_open(&g_session, F.app) < 0) {
        fprintf(stderr, "fuzz-command: %s\n", F.last_error);
        die("cannot open a session on the app module");
    }
    restore_signals();
    F.generation = g_session.generation;
}

/* Whether s parses as seconds > limit (or is positive, for limit < 0). */
static bool seconds_over(const char *s, double limit)
{
    double d;
    return parse_double(s, &d) && d > 0 && (limit < 0 || d > limit);
}

static bool line_allowed(const char *line, int depth);

/* `source X`: X is missing, or a regular file whose lines all pass. */
static bool source_allowed(const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return true; /* the error path */
    if (!S_ISREG(st.st_mode) || st.st_size > (1 << 20))
        return false;
    size_t len;
    char *text = read_file(path, &len);
    if (!text)
        return false;
    bool ok = true;
    char *p = text, *end = text + len;
    while (ok && p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *e = nl ? nl : end;
        if (!memchr(p, '\0', (size_t)(e - p))) { /* NUL lines are refused */
            char *l = xmalloc((size_t)(e - p) + 1);
            memcpy(l, p, (size_t)(e - p));
            l[e - p] = '\0';
            ok = line_allowed(l, depth + 1);
            free(l);
        }
        p = e + 1;
    }
    free(text);
    return ok;
}

/* Whether the target lets a line run (see the comment at the top). */
static bool line_allowed(const char *line, int depth)
{
    cmd_args a;
    if (cmd_split(line, &a) < 0)
        return true; /* it fails the same way when run */
    if (a.argc == 0 || a.argv[0][0] == '#') {
        cmd_args_free(&a);
        return true;
    }
    char err[256];
    const cmd_entry *e = cmd_lookup(cmd_table, a.argv[0], err, sizeof err, NULL);
    bool ok = true;
    int n = a.argc - 1;
    char **arg = a.argv + 1;
    if (!e) {
        ok = true;
    } else if (e == &cmd_export_entry || e == &cmd_source_entry ||
               e == &cmd_file_entry || e == &cmd_until_entry) {
        for (int i = 0; i < n; i++)
            if (strchr(arg[i], '/'))
                ok = false;
        if (ok && e == &cmd_file_entry) {
            struct stat st;
            ok = depth == 0 && !(n == 1 && lstat(arg[0], &st) == 0);
        }
        if (ok && e == &cmd_source_entry)
            ok = depth == 0 && (n != 1 || source_allowed(arg[0], depth));
    } else if (e == &cmd_sparkle_entry) {
        for (int i = 0; i < n; i++)
            if (strncmp(arg[i], "contract=", 9) == 0 && arg[i][9] != '{' &&
                strchr(arg[i], '/'))
                ok = false;
    } else if (e == &cmd_set_entry && n == 2 && arg[0][0]) {
        if (str_starts("watchdog", arg[0]) && seconds_over(arg[1], -1))
            ok = false;
        if (str_starts("wall-guard", arg[0])) {
            double d;
            if (parse_double(arg[1], &d) && !(d > 0 && d <= 5))
                ok = false;
        }
    } else if (e == &cmd_advance_entry && n == 1) {
        ok = !seconds_over(arg[0], 100);
    }
    cmd_args_free(&a);
    return ok;
}

/* Run one line and check what must hold. */
static void run_line(const char *line)
{
    bool allowed = line_allowed(line, 0);
    if (F.verbose)
        fprintf(stderr, "%s %s\n", allowed ? "(ttdb)" : "(skipped)", line);
    if (!allowed)
        return;
    unsigned long errs = out_error_count(), lines = F.error_lines;
    int rc = cmd_execute(line);
    if (g_session.generation != F.generation) { /* a new Distiller */
        restore_signals();
        F.generation = g_session.generation;
    }
    if (rc != 0 && rc != -1)
        die("cmd_execute returned neither 0 nor -1");
    if (rc < 0 && out_error_count() == errs)
        die("a command failed without an error message");
    if (out_error_count() - errs != F.error_lines - lines)
        die("an error did not reach the output as one line");
    if (g_session.running)
        die("the session still says a run is going on");
    /* a watchdog set by the line would use SIGALRM: off again */
    if (g_session.watchdog != 0) {
        g_session.watchdog = 0;
        if (g_session.cat)
            tt_distiller_set_watchdog(g_session.cat, 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* libFuzzer installs its handlers after LLVMFuzzerInitialize: take
     * them before the first session replaces them */
    if (!F.have_signals) {
        for (size_t i = 0; i < N_FATAL; i++)
            sigaction(fatal_signals[i], NULL, &F.sa[i]);
        sigaltstack(NULL, &F.altstack);
        F.have_signals = true;
    }
    if (fchdir(F.home_fd) != 0 || chdir(F.workdir) != 0)
        die("cannot enter the work folder");
    reset();
    const char *p = (const char *)data, *end = p + size;
    while (p < end && !g_opts.quit) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        size_t n = (size_t)(e - p);
        /* batch mode refuses a line with a NUL byte before it runs */
        if (!memchr(p, '\0', n)) {
            char *line = xmalloc(n + 1);
            memcpy(line, p, n);
            line[n] = '\0';
            while (n > 0 && line[n - 1] == '\r')
                line[--n] = '\0';
            run_line(line);
            free(line);
        }
        p = e + 1;
    }
    session_close(&g_session);
    restore_signals();
    clean_workdir();
    if (fchdir(F.home_fd) != 0)
        die("cannot leave the work folder");
    return 0;
}
