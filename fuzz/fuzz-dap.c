/*
 * fuzz-dap.c: fuzz target for ttdb's Debug Adapter (tui/dap/).
 *
 * Every input is the byte stream an editor would send to `ttdb --dap`:
 * "Content-Length: N\r\n\r\n" headers and JSON bodies, bad ones included.
 * It goes through a pipe into dap_serve(), the adapter's own loop (reader
 * thread, framing, dispatch, every request handler); answers go to
 * /dev/null.  Properties: no crash, no sanitizer report, no leak, no hang;
 * a bad message gets an error response and the session goes on.
 *
 * So that inputs do no damage, a filter rewrites or drops what could reach
 * outside: `launch` always opens the fuzz app (FUZZ_APP, default
 * fuzz/fuzz-app.la of the build tree) and runs no `commands`, and
 * `evaluate` in the REPL (any ttdb command: fuzz-command's job) is dropped.
 */
#include "dap.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
    char *app;
    int devnull;
    tt_app *keep; /* the module stays mapped (see LLVMFuzzerInitialize) */
} F = {.devnull = -1};

/* Keep requests harmless. */
static bool filter(json_t *req)
{
    const char *cmd = json_string_value(json_object_get(req, "command"));
    json_t *args = json_object_get(req, "arguments");
    if (!cmd)
        return true;
    if (strcmp(cmd, "launch") == 0 && json_is_object(args)) {
        json_object_set_new(args, "program", json_string(F.app));
        json_object_del(args, "commands");
        json_object_del(args, "compat");
    }
    if (strcmp(cmd, "evaluate") == 0) {
        const char *ctx =
            json_string_value(json_object_get(args, "context"));
        if (!ctx || (strcmp(ctx, "watch") != 0 && strcmp(ctx, "hover") != 0))
            return false;
    }
    return true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *app = getenv("FUZZ_APP");
    F.app = realpath(app && *app ? app : FUZZ_APP_DEFAULT, NULL);
    F.devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (!F.app || F.devnull < 0) {
        fprintf(stderr, "fuzz-dap: cannot find the app module (set FUZZ_APP "
                        "to fuzz-app.la)\n");
        abort();
    }
    /* Keep the module loaded for the whole process, as fuzz-command does:
     * each session's dlclose would otherwise unmap it, and libFuzzer reads
     * the coverage counters of an instrumented module after every input
     * (a SEGV inside libFuzzer after a few inputs). */
    tt_error err = {0};
    if (tt_app_load(F.app, &F.keep, &err) < 0) {
        fprintf(stderr, "fuzz-dap: %s\n", err.msg);
        abort();
    }
    g_opts.keep_going = true;
    return 0;
}

typedef struct feed {
    int fd;
    const uint8_t *data;
    size_t size;
} feed;

/* Write the input into the pipe, then close it (the reader sees EOF). */
static void *writer(void *arg)
{
    feed *f = arg;
    size_t off = 0;
    while (off < f->size) {
        ssize_t w = write(f->fd, f->data + off, f->size - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(f->fd);
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!F.app)
        LLVMFuzzerInitialize(NULL, NULL);
    int p[2];
    if (pipe(p) != 0)
        abort();
    feed f = {p[1], data, size};
    pthread_t t;
    if (pthread_create(&t, NULL, writer, &f) != 0)
        abort();
    dap_serve(p[0], F.devnull, filter);
    pthread_join(t, NULL);
    close(p[0]);
    session_close(&g_session);
    free(g_session.app_path);
    g_session.app_path = NULL;
    bp_free(&g_bps);
    g_opts.quit = false;
    return 0;
}
