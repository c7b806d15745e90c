/*
 * ttrun: run a Tonic app module under the real-time Catalyst.
 *
 *     ttrun APP.so|APP.la
 *
 * Loads the module, runs its formula and the production loop until the
 * catalyst finishes.  SIGINT and SIGTERM finish the catalyst cleanly: they
 * are blocked in every thread and taken by a thread that waits for them with
 * sigwait, so the catalyst is stopped from ordinary code, not from a signal
 * handler (tt_catalyst_stop takes a lock).
 */
#include "tasktonic.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigset_t stop_signals;

/* Wait for SIGINT/SIGTERM and finish the catalyst. */
static void *signal_waiter(void *cat)
{
    int sig;
    if (sigwait(&stop_signals, &sig) == 0)
        tt_catalyst_stop(cat);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fprintf(argc == 2 ? stdout : stderr,
                "usage: ttrun APP.so|APP.la\n"
                "Run a TaskTonic app module under the real-time Catalyst until it finishes.\n");
        return argc == 2 ? 0 : 2;
    }
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    tt_error err = {0};
    tt_app *app;
    if (tt_app_load(argv[1], &app, &err) < 0) {
        fprintf(stderr, "ttrun: %s\n", err.msg);
        return 1;
    }
    tt_catalyst *cat;
    int rc = tt_catalyst_new(&cat, NULL);
    if (rc < 0) {
        fprintf(stderr, "ttrun: %s\n", tt_strerror(rc));
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
    pthread_t waiter;
    bool have_waiter = pthread_create(&waiter, NULL, signal_waiter, cat) == 0;
    tt_catalyst_run(cat);
    if (have_waiter) {
        pthread_cancel(waiter); /* sigwait is a cancellation point */
        pthread_join(waiter, NULL);
    }
    tt_catalyst_free(cat);
    tt_app_close(app);
    return 0;
}
