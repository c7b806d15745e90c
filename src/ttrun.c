/*
 * ttrun: run a Tonic app module under the real-time Catalyst.
 *
 *     ttrun APP.so|APP.la
 *
 * Loads the module, runs its formula and the production loop until the
 * catalyst finishes.  SIGINT and SIGTERM finish the catalyst cleanly.
 */
#include "tasktonic.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static tt_catalyst *running;

static void on_stop(int sig)
{
    (void)sig;
    if (running)
        tt_catalyst_stop(running);
}

int main(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fprintf(argc == 2 ? stdout : stderr,
                "usage: ttrun APP.so|APP.la\n"
                "Run a TaskTonic app module under the real-time Catalyst until it finishes.\n");
        return argc == 2 ? 0 : 2;
    }
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
    running = cat;
    signal(SIGINT, on_stop);
    signal(SIGTERM, on_stop);
    tt_catalyst_run(cat);
    running = NULL;
    tt_catalyst_free(cat);
    tt_app_close(app);
    return 0;
}
