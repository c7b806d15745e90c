/*
 * attach.c: `ttdb -attach PATH`: a live app under `ttrun --listen PATH`.
 *
 * Attaching asks the app for a snapshot (doc/attach.md): its tonics with
 * their states and statistics, the queue, the running timers and the last
 * entries of its flight recorder.  The entries become a recorded session
 * (tt_trace_parse), so the panes, `info`, search and `export` show them as
 * they show a trace file; `info stats` prints the rest; `restart` asks for a
 * fresh snapshot.  ttdb never holds the app: it connects, asks, detaches.
 */
#include "ttdb.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static json_t *g_snapshot; /* the last snapshot, or NULL */

/* Ask the app at path for a snapshot; the answer line (malloc'ed) or NULL
 * after printing why. */
static char *ask_snapshot(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path) {
        out_error("cannot attach to %s: the path is too long for a socket", path);
        return NULL;
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        out_error("cannot attach to %s: %s (is `ttrun --listen %s APP` running?)", path,
                  strerror(errno), path);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    static const char req[] = "{\"cmd\": \"snapshot\"}\n";
    FILE *f = fdopen(fd, "r+");
    char *line = NULL;
    size_t cap = 0;
    if (!f || send(fd, req, sizeof req - 1, MSG_NOSIGNAL) < 0 || getline(&line, &cap, f) < 0) {
        out_error("cannot attach to %s: the app did not answer", path);
        free(line);
        if (f)
            fclose(f);
        else
            close(fd);
        return NULL;
    }
    static const char bye[] = "{\"cmd\": \"detach\"}\n";
    send(fd, bye, sizeof bye - 1, MSG_NOSIGNAL);
    fclose(f);
    return line;
}

/* Attach to the app listening at path: its snapshot becomes the session. */
int session_attach(session *s, const char *path)
{
    session_close(s);
    if (s->app_path != path) {
        free(s->app_path);
        s->app_path = xstrdup(path);
    }
    char *line = ask_snapshot(s->app_path);
    if (!line)
        return -1;
    json_error_t jerr;
    json_t *snap = json_loads(line, 0, &jerr);
    free(line);
    const json_t *trace = json_object_get(snap, "trace");
    if (!snap || !json_is_object(trace) ||
        strcmp(json_string_value(json_object_get(snap, "type")) ?: "", "snapshot") != 0) {
        out_error("cannot attach to %s: the answer is not a snapshot (see doc/attach.md)",
                  s->app_path);
        json_decref(snap);
        return -1;
    }
    char *text = json_dumps(trace, 0);
    tt_catalyst *cat = NULL;
    tt_error err = {0};
    int rc = text ? tt_trace_parse(text, strlen(text), s->app_path, &cat, &err) : -TT_ENOMEM;
    free(text);
    if (rc < 0) {
        out_error("%s", err.msg[0] ? err.msg : tt_strerror(rc));
        json_decref(snap);
        return -1;
    }
    json_decref(g_snapshot);
    g_snapshot = snap;
    session_adopt_recorded(s, cat);
    s->attached = true;
    return 0;
}

/* One line about the app just attached. */
void session_describe_attach(session *s)
{
    const json_t *q = json_object_get(g_snapshot, "queue");
    out_printf("%s: attached to pid %lld: %zu tonics, %lld queued, last entry #%lld%s; "
               "nothing can run from here (`restart` refreshes)\n",
               s->app_path, (long long)json_integer_value(json_object_get(g_snapshot, "pid")),
               json_array_size(json_object_get(g_snapshot, "tonics")),
               (long long)json_integer_value(json_object_get(q, "length")),
               (long long)json_integer_value(json_object_get(g_snapshot, "last_seq")),
               json_is_true(json_object_get(g_snapshot, "finished")) ? " (finished)" : "");
}

/* Free the snapshot (teardown). */
void attach_shutdown(void)
{
    json_decref(g_snapshot);
    g_snapshot = NULL;
}

static const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* Seconds as "12.3us" / "4.56ms" / "1.20s". */
static void dur(char *buf, size_t n, double s)
{
    if (s < 1e-3)
        snprintf(buf, n, "%.1fus", s * 1e6);
    else if (s < 1)
        snprintf(buf, n, "%.2fms", s * 1e3);
    else
        snprintf(buf, n, "%.2fs", s);
}

/* info stats */
static int info_stats_exec(cmd_args *a)
{
    (void)a;
    if (!g_session.attached || !g_snapshot) {
        out_error("info stats shows a live app: attach with `ttdb -attach PATH` to "
                  "`ttrun --listen PATH APP`");
        return -1;
    }
    const json_t *snap = g_snapshot, *q = json_object_get(snap, "queue");
    out_printf("pid %lld, last entry #%lld; statistics over the recorded window (the last "
               "%lld sparkles at most)\n",
               (long long)json_integer_value(json_object_get(snap, "pid")),
               (long long)json_integer_value(json_object_get(snap, "last_seq")),
               (long long)json_integer_value(json_object_get(snap, "record_last")));
    out_printf("%-24s %-14s %9s %10s %10s %5s\n", "tonic", "state", "sparkles", "busy",
               "longest", "dead");
    size_t i;
    const json_t *t;
    json_array_foreach(json_object_get(snap, "tonics"), i, t) {
        char busy[32], lon[32];
        dur(busy, sizeof busy, json_number_value(json_object_get(t, "busy_s")));
        dur(lon, sizeof lon, json_number_value(json_object_get(t, "longest_s")));
        out_printf("%-24s %-14s %9lld %10s %10s %5lld\n", str(t, "tonic"), str(t, "state"),
                   (long long)json_integer_value(json_object_get(t, "sparkles")), busy, lon,
                   (long long)json_integer_value(json_object_get(t, "dead_letters")));
    }
    out_printf("queue: %lld", (long long)json_integer_value(json_object_get(q, "length")));
    const json_t *o;
    json_array_foreach(json_object_get(q, "orders"), i, o)
        out_printf("%s %s.%s", i ? "," : ":", str(o, "tonic"), str(o, "sparkle"));
    out_printf("\n");
    json_array_foreach(json_object_get(snap, "timers"), i, t)
        out_printf("timer %s of %s: %s, period %gs, due in %gs\n", str(t, "timer"),
                   str(t, "base"), json_is_true(json_object_get(t, "running")) ? "running" : "stopped",
                   json_number_value(json_object_get(t, "period_s")),
                   json_number_value(json_object_get(t, "due_in_s")));
    return 0;
}

const cmd_entry cmd_info_stats_entry = {
    .name = "stats",
    .usage = "info stats",
    .help = "A live app's tonics with their states and statistics (sparkles run, busy "
            "time, longest sparkle, dead letters over the recorded window), its queue and "
            "timers (ttdb -attach).",
    .exec = info_stats_exec,
};
