/*
 * ttrun: run a Tonic app module under the real-time Catalyst.
 *
 *     ttrun [--record FILE] [--record-last N] [--listen PATH] APP.so|APP.la
 *
 * Loads the module, runs its formula and the production loop until the
 * catalyst finishes.  SIGINT and SIGTERM finish the catalyst cleanly: they
 * are blocked in every thread and taken by a thread that waits for them with
 * sigwait, so the catalyst is stopped from ordinary code, not from a signal
 * handler (tt_catalyst_stop takes a lock).
 *
 * With --record the flight recorder keeps the last N sparkles and FILE is
 * written (atomically) when the app finishes, when SIGINT/SIGTERM stop it,
 * on SIGUSR1 (a snapshot; the app keeps running), and when a sparkle
 * crashes: then the crash's entry is last, and ttrun dies of the signal as
 * it would have without recording.
 *
 * With --listen a debugger can attach through a Unix socket (ttrun-listen.c).
 *
 * The first SIGINT or SIGTERM finishes the catalyst cleanly; the stop goes
 * before any backlog of posted orders (tt_catalyst_stop).  A second one ends
 * the process at once, with status 128 + signal (no recording is written):
 * for a sparkle that never returns or a finish that takes too long.  The
 * signal thread lives until ttrun returns, so this holds also while the
 * app's own clean-up runs (a class's destroy that waits for a thread of its
 * own): there a first signal is only noted and the second exits.
 */
#include "ttrun.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RECORD_LAST_DEFAULT 10000

static sigset_t waited;
static const char *record_path;
static volatile sig_atomic_t stopped_by; /* SIGINT or SIGTERM, or 0 */
/* Set when tt_catalyst_run has returned: the signal thread no longer touches
 * the catalyst (it may be freed).  Under lock, so that a stop or snapshot
 * under way ends before main goes on. */
static pthread_mutex_t finish_lock = PTHREAD_MUTEX_INITIALIZER;
static bool finishing;

static const char usage[] =
    "usage: ttrun [--record FILE] [--record-last N] [--record-clock auto|exact|tick]\n"
    "             [--listen PATH] APP.so|APP.la\n"
    "Run a TaskTonic app module under the real-time Catalyst until it finishes.\n"
    "\n"
    "  --record FILE      flight recorder: write the last sparkles to FILE (trace\n"
    "                     JSON, `ttdb -trace FILE` opens it) when the app finishes,\n"
    "                     on SIGINT/SIGTERM, on SIGUSR1 (a snapshot) and on a crash\n"
    "  --record-last N    how many sparkles the recording keeps (default 10000)\n"
    "  --record-clock auto|exact|tick\n"
    "                     auto (the default): sparkles shorter than a microsecond\n"
    "                     back to back are timed to 2 ms, the rest exactly;\n"
    "                     exact: every sparkle timed exactly (one clock read\n"
    "                     each, up to a third more on the shortest); tick: every\n"
    "                     sparkle timed to 2 ms (the cheapest)\n"
    "  --listen PATH      let debuggers attach (`ttdb -attach PATH`) through a Unix\n"
    "                     socket (owner only); the recorder feeds them\n"
    "\n"
    "SIGINT or SIGTERM finishes the app; a second one ends ttrun at once.\n";

/* Wait for SIGINT/SIGTERM (finish the catalyst; a second one exits at once)
 * and SIGUSR1 (snapshot). */
static void *signal_waiter(void *cat)
{
    int sig;
    while (sigwait(&waited, &sig) == 0) {
        if (sig != SIGUSR1 && stopped_by) {
            static const char msg[] = "ttrun: second stop signal: exiting at once\n";
            if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
                /* nothing more to say */
            }
            _exit(128 + sig);
        }
        pthread_mutex_lock(&finish_lock);
        if (sig == SIGUSR1) {
            if (record_path && !finishing)
                tt_catalyst_request_record(cat, record_path);
        } else {
            stopped_by = sig;
            if (!finishing) {
                tt_catalyst_stop(cat);
            } else {
                static const char msg[] =
                    "ttrun: the app is finishing (its clean-up); a second stop signal exits at once\n";
                if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
                    /* nothing more to say */
                }
            }
        }
        pthread_mutex_unlock(&finish_lock);
    }
    return NULL;
}

/* End the signal thread (sigwait is a cancellation point). */
static void stop_waiter(bool have_waiter, pthread_t waiter)
{
    if (have_waiter) {
        pthread_cancel(waiter);
        pthread_join(waiter, NULL);
    }
}

/* A usage error (status 2). */
static int bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "ttrun: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage);
    return 2;
}

int main(int argc, char **argv)
{
    const char *app_path = NULL;
    const char *listen_path = NULL;
    size_t record_last = RECORD_LAST_DEFAULT;
    tt_record_clock record_clock = TT_RECORD_CLOCK_AUTO;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(a, "--record") == 0) {
            if (++i >= argc)
                return bad_usage("%s needs a file", a);
            record_path = argv[i];
        } else if (strcmp(a, "--listen") == 0) {
            if (++i >= argc)
                return bad_usage("%s needs a socket path", a);
            listen_path = argv[i];
        } else if (strcmp(a, "--record-clock") == 0) {
            if (++i >= argc)
                return bad_usage("%s needs auto, exact or tick", a);
            if (strcmp(argv[i], "auto") == 0)
                record_clock = TT_RECORD_CLOCK_AUTO;
            else if (strcmp(argv[i], "exact") == 0)
                record_clock = TT_RECORD_CLOCK_EXACT;
            else if (strcmp(argv[i], "tick") == 0)
                record_clock = TT_RECORD_CLOCK_TICK;
            else
                return bad_usage("--record-clock wants auto, exact or tick, not '%s'", argv[i]);
        } else if (strcmp(a, "--record-last") == 0) {
            if (++i >= argc)
                return bad_usage("%s needs a number", a);
            char *end;
            errno = 0;
            unsigned long long n = strtoull(argv[i], &end, 10);
            if (errno || *end || end == argv[i] || n == 0 || n > 100000000 || argv[i][0] == '-')
                return bad_usage("--record-last wants a number of sparkles from 1 to "
                                 "100000000, not '%s'",
                                 argv[i]);
            record_last = (size_t)n;
        } else if (a[0] == '-' && a[1]) {
            return bad_usage("unknown option %s", a);
        } else if (app_path) {
            return bad_usage("more than one APP: %s", a);
        } else {
            app_path = a;
        }
    }
    if (!app_path)
        return bad_usage("%s", "no APP given");
    sigemptyset(&waited);
    sigaddset(&waited, SIGINT);
    sigaddset(&waited, SIGTERM);
    sigaddset(&waited, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &waited, NULL);
    tt_error err = {0};
    tt_app *app;
    if (tt_app_load(app_path, &app, &err) < 0) {
        fprintf(stderr, "ttrun: %s\n", err.msg);
        return 1;
    }
    tt_catalyst *cat;
    tt_catalyst_options opts = {.mode = TT_MODE_CATALYST, .contain_crashes = record_path != NULL};
    int rc = tt_catalyst_new(&cat, &opts);
    if (rc == 0 && (record_path || listen_path))
        rc = tt_catalyst_record(cat, record_last);
    if (rc == 0)
        rc = tt_catalyst_record_clock(cat, record_clock);
    if (rc < 0) {
        fprintf(stderr, "ttrun: %s\n", tt_strerror(rc));
        tt_catalyst_free(cat);
        tt_app_close(app);
        return 1;
    }
    rc = tt_app_formula(app, cat);
    if (rc < 0) {
        fprintf(stderr, "ttrun: %s\n", tt_catalyst_errmsg(cat));
        tt_catalyst_free(cat);
        tt_app_close(app);
        return 1;
    }
    char lerr[512];
    if (listen_path && ttrun_listen_start(cat, listen_path, lerr, sizeof lerr) < 0) {
        fprintf(stderr, "ttrun: %s\n", lerr);
        tt_catalyst_free(cat);
        tt_app_close(app);
        return 1;
    }
    pthread_t waiter;
    bool have_waiter = pthread_create(&waiter, NULL, signal_waiter, cat) == 0;
    rc = tt_catalyst_run(cat);
    pthread_mutex_lock(&finish_lock);
    bool stopped_in_run = stopped_by != 0;
    finishing = true;
    pthread_mutex_unlock(&finish_lock);
    ttrun_listen_stop();
    int crash = rc == -TT_ECRASHED ? tt_catalyst_crash_signal(cat) : 0;
    if (rc < 0)
        fprintf(stderr, "ttrun: %s\n", tt_catalyst_errmsg(cat));
    if (record_path) {
        char why[600];
        if (rc < 0)
            snprintf(why, sizeof why, "%s", tt_catalyst_errmsg(cat));
        else if (stopped_in_run)
            snprintf(why, sizeof why, "stopped: %s", stopped_by == SIGINT ? "SIGINT" : "SIGTERM");
        else
            snprintf(why, sizeof why, "finished");
        if (tt_catalyst_write_record(cat, record_path, why) < 0)
            fprintf(stderr, "ttrun: %s\n", tt_catalyst_errmsg(cat));
    }
    if (crash) {
        stop_waiter(have_waiter, waiter);
        /* the usual crash exit: die of the signal (the process state after a
         * crash cannot be trusted, so nothing is freed) */
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, crash);
        signal(crash, SIG_DFL);
        pthread_sigmask(SIG_UNBLOCK, &s, NULL);
        raise(crash);
    }
    tt_catalyst_free(cat);
    tt_app_close(app);
    stop_waiter(have_waiter, waiter);
    return rc < 0 ? 1 : 0;
}
