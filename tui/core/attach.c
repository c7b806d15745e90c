/*
 * attach.c: `ttdb -attach PATH`: a live app under `ttrun --listen PATH`.
 *
 * Attaching connects to the app's socket (doc/attach.md) and keeps the
 * connection: every LIVE_PERIOD_MS the screen's loop asks for a snapshot
 * with the entries after the last one seen (`"since"`): tonics with their
 * states and statistics, the queue, the running timers, the lints and the
 * new entries.  The first answer becomes the recorded session
 * (tt_trace_parse); the entries of each later one are appended to it as
 * they come (tt_trace_append: the cost of parsing the new entries only),
 * so the panes, `info`, search and `export` show the app as it runs; the
 * session keeps the last WINDOW_MAX entries.  Answers come no
 * faster than twice the time the last one took to take in.  The app never
 * waits for ttdb: a viewer that falls behind its ring is told how many
 * entries it lost, and the session starts again after the gap.  In batch
 * mode nothing polls by itself:
 * `wait-entries K` asks until K new entries came (or fails after its
 * timeout).  Closing ttdb (or `restart`, `file`) detaches; the app runs on.
 */
#include "ttdb.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define LIVE_PERIOD_MS 100    /* between two requests of the screen */
#define WINDOW_MAX 5000       /* entries the live session keeps,
                                 and the most one answer brings */
#define FIRST_ENTRIES 1000    /* entries asked for when attaching */
#define ANSWER_MAX_S 10.0     /* an answer later than this: the app hangs
                                 (TTDB_ATTACH_TIMEOUT changes it) */

static struct {
    int fd;                   /* -1: not connected */
    char *buf;                /* what was read of the next answer */
    size_t len, cap;
    bool pending;             /* a request waits for its answer */
    double sent;              /* when it was sent (now_mono) */
    double next;              /* when the screen asks again */
    json_t *snap;             /* the last snapshot */
    uint64_t last_seq;        /* the newest entry seen */
    uint64_t lost;            /* entries lost since attaching */
    uint64_t received;        /* entries received since attaching */
    double rtt_last, rtt_min; /* request to answer, seconds */
    double take_last, take_max; /* an answer's entries into the session, s */
    bool ended;               /* the app went away */
} A = {.fd = -1};

static void attach_drop(void);

/* Send one request line; false when the app went away. */
static bool send_line(const char *line)
{
    size_t n = strlen(line);
    while (n) {
        ssize_t w = send(A.fd, line, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        line += w;
        n -= (size_t)w;
    }
    return true;
}

/* Ask for the next snapshot (the entries after the last one seen). */
static bool ask(bool first)
{
    char req[128];
    if (first)
        snprintf(req, sizeof req, "{\"cmd\": \"snapshot\", \"last\": %d}\n", FIRST_ENTRIES);
    else
        snprintf(req, sizeof req, "{\"cmd\": \"snapshot\", \"since\": %llu, \"max\": %d}\n",
                 (unsigned long long)A.last_seq, WINDOW_MAX);
    if (!send_line(req))
        return false;
    A.pending = true;
    A.sent = now_mono();
    return true;
}

/* Read what the socket has (without waiting); 1: a whole answer line is in
 * A.buf, 0: not yet, -1: the app went away. */
static int read_some(void)
{
    for (;;) {
        char *nl = A.len ? memchr(A.buf, '\n', A.len) : NULL;
        if (nl)
            return 1;
        if (A.cap - A.len < 65536) {
            A.cap = A.cap ? A.cap * 2 : 1 << 17;
            A.buf = xrealloc(A.buf, A.cap);
        }
        ssize_t r = recv(A.fd, A.buf + A.len, A.cap - A.len, MSG_DONTWAIT);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        if (r <= 0)
            return -1;
        A.len += (size_t)r;
    }
}

/* Wait at most timeout seconds for a whole answer: 1, 0 (timeout), -1. */
static int wait_answer(double timeout)
{
    double end = now_mono() + timeout;
    for (;;) {
        int r = read_some();
        if (r != 0)
            return r;
        double left = end - now_mono();
        if (left <= 0)
            return 0;
        struct pollfd pfd = {.fd = A.fd, .events = POLLIN};
        if (poll(&pfd, 1, (int)(left * 1000) + 1) < 0 && errno != EINTR)
            return -1;
    }
}

/* The entries of the answer's trace (a run dictionary) as the session:
 * parsed into a catalyst that becomes the session's (attaching, or after a
 * gap), else appended to it. */
static int take_entries(session *s, const json_t *trace, bool fresh)
{
    json_t *run = json_pack("{s:O, s:O, s:[s]}", "status",
                            json_object_get(trace, "status") ?: json_string("running"),
                            "sparkle_trace",
                            json_object_get(trace, "sparkle_trace") ?: json_array(),
                            "stop_condition", "live");
    char *text = run ? json_dumps(run, JSON_COMPACT) : NULL;
    json_decref(run);
    tt_error err = {0};
    int rc = -TT_ENOMEM;
    if (text && !fresh && s->cat && s->recorded) {
        rc = tt_trace_append(s->cat, text, strlen(text), s->app_path, WINDOW_MAX, &err);
        if (rc == 0) {
            free(text);
            frontend_changed();
            return 0;
        }
        /* (not what was asked for: start again from these) */
    }
    tt_catalyst *cat = NULL;
    rc = text ? tt_trace_parse(text, strlen(text), s->app_path, &cat, &err) : -TT_ENOMEM;
    if (rc == 0)
        rc = tt_trace_append(cat, "[]", 2, s->app_path, WINDOW_MAX, &err); /* the bound */
    free(text);
    if (rc < 0) {
        out_error("%s", err.msg[0] ? err.msg : tt_strerror(rc));
        tt_catalyst_free(cat);
        return -1;
    }
    if (s->cat)
        tt_catalyst_free(s->cat);
    s->cat = NULL;
    session_adopt_recorded(s, cat);
    s->attached = true;
    return 0;
}

/* Take the answer line in A.buf (screen: asked by the screen's loop, not
 * by a command): 0, or -1 after printing why. */
static int take_answer(session *s, bool first, bool screen)
{
    char *nl = memchr(A.buf, '\n', A.len);
    size_t n = (size_t)(nl - A.buf) + 1;
    json_error_t jerr;
    json_t *snap = json_loadb(A.buf, n, 0, &jerr);
    memmove(A.buf, A.buf + n, A.len - n);
    A.len -= n;
    A.pending = false;
    double rtt = now_mono() - A.sent;
    A.rtt_last = rtt;
    if (A.rtt_min == 0 || rtt < A.rtt_min)
        A.rtt_min = rtt;
    const json_t *trace = json_object_get(snap, "trace");
    const char *type = json_string_value(json_object_get(snap, "type"));
    if (!snap || !json_is_object(trace) || !type || strcmp(type, "snapshot") != 0) {
        const char *e = json_string_value(json_object_get(snap, "error"));
        out_error("%s: %s", s->app_path,
                  e ? e : "the answer is not a snapshot (see doc/attach.md)");
        json_decref(snap);
        return -1;
    }
    json_t *entries = json_object_get(trace, "sparkle_trace");
    uint64_t lost = (uint64_t)json_integer_value(json_object_get(snap, "lost"));
    if (!first && lost) {
        /* the ring dropped entries before they were asked for: the
         * window starts again after the gap */
        bool again = A.lost > 0;
        A.lost += lost;
        /* the screen says it once (then the status line counts); a batch
         * command that asked says it each time */
        if (!again || !screen)
            out_warn("%s: %llu entries lost (the app's ring went past them before they "
                     "were read; %llu in all)%s",
                     s->app_path, (unsigned long long)lost, (unsigned long long)A.lost,
                     screen ? "; the status line counts the next" : "");
    }
    size_t got = json_array_size(entries);
    if (!first)
        A.received += got;
    A.last_seq = (uint64_t)json_integer_value(json_object_get(snap, "last_seq"));
    json_decref(A.snap);
    A.snap = snap;
    /* the session starts again after a gap (the entries lost) */
    int rc = 0;
    if (first || !s->cat || got || lost) {
        double t0 = now_mono();
        rc = take_entries(s, trace, first || !s->cat || lost);
        A.take_last = now_mono() - t0;
        if (A.take_last > A.take_max)
            A.take_max = A.take_last;
    }
    if (rc == 0)
        frontend_changed(); /* states, statistics, queue */
    return rc;
}

/* Connect to the app at path; false after printing why. */
static bool connect_app(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path) {
        out_error("cannot attach to %s: the path is too long for a socket", path);
        return false;
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        out_error("cannot attach to %s: %s (is `ttrun --listen %s APP` running?)", path,
                  strerror(errno), path);
        if (fd >= 0)
            close(fd);
        return false;
    }
    A.fd = fd;
    return true;
}

/* How long an answer may take: ANSWER_MAX_S, or TTDB_ATTACH_TIMEOUT
 * seconds (a slow app: heavily loaded, or under valgrind). */
static double answer_max(void)
{
    const char *e = getenv("TTDB_ATTACH_TIMEOUT");
    char *end;
    double v = e ? strtod(e, &end) : 0;
    return e && *e && !*end && v > 0 && v <= 86400 ? v : ANSWER_MAX_S;
}

/* Attach to the app listening at path: its snapshot becomes the session. */
int session_attach(session *s, const char *path)
{
    session_close(s);
    if (s->app_path != path) {
        free(s->app_path);
        s->app_path = xstrdup(path);
    }
    attach_drop();
    if (!connect_app(s->app_path))
        return -1;
    if (!ask(true) || wait_answer(answer_max()) != 1) {
        out_error("cannot attach to %s: the app did not answer within %gs "
                  "(TTDB_ATTACH_TIMEOUT sets the limit)", s->app_path, answer_max());
        attach_drop();
        return -1;
    }
    if (take_answer(s, true, false) < 0) {
        attach_drop();
        return -1;
    }
    A.next = now_mono() + LIVE_PERIOD_MS / 1e3;
    return 0;
}

/* Close the connection and forget the app (the app runs on). */
static void attach_drop(void)
{
    if (A.fd >= 0) {
        send_line("{\"cmd\": \"detach\"}\n");
        close(A.fd);
    }
    A.fd = -1;
    free(A.buf);
    A.buf = NULL;
    A.len = A.cap = 0;
    A.pending = false;
    json_decref(A.snap);
    A.snap = NULL;
    A.last_seq = A.lost = A.received = 0;
    A.rtt_last = A.rtt_min = 0;
    A.take_last = A.take_max = 0;
    A.ended = false;
}

/* The app went away: keep showing what was seen. */
static void app_ended(session *s)
{
    if (A.fd >= 0)
        close(A.fd);
    A.fd = -1;
    A.pending = false;
    A.ended = true;
    out_warn("%s: the app went away; its last state stays shown", s->app_path);
    frontend_changed();
}

/* Whether the session follows a live app now. */
bool attach_live(void)
{
    return g_session.attached && A.fd >= 0;
}

/* What the screen's loop waits on: the socket while an answer is pending
 * (-1 otherwise), and how long until the next request (-1: none). */
int attach_poll_fd(void)
{
    return attach_live() && A.pending ? A.fd : -1;
}

int attach_timeout_ms(void)
{
    if (!attach_live() || A.pending)
        return -1;
    double left = A.next - now_mono();
    return left <= 0 ? 0 : (int)(left * 1000) + 1;
}

/* The screen's loop: take an answer that came, ask again when it is time. */
void attach_service(void)
{
    if (!attach_live())
        return;
    session *s = &g_session;
    if (A.pending) {
        int r = read_some();
        if (r < 0) {
            app_ended(s);
            return;
        }
        if (r == 1) {
            /* the next request no sooner than twice this answer's cost */
            double t0 = now_mono();
            take_answer(s, false, true);
            double next = now_mono() + 2 * (now_mono() - t0);
            if (A.next < next)
                A.next = next;
        }
        else if (now_mono() - A.sent > answer_max())
            out_warn("%s: the app has not answered for %.0fs (a sparkle that does not "
                     "return?)", s->app_path, now_mono() - A.sent);
        return;
    }
    if (now_mono() >= A.next) {
        A.next = now_mono() + LIVE_PERIOD_MS / 1e3;
        if (!ask(false))
            app_ended(s);
    }
}

/* One line about the app just attached. */
void session_describe_attach(session *s)
{
    const json_t *q = json_object_get(A.snap, "queue");
    out_printf("%s: attached to pid %lld: %zu tonics, %lld queued, last entry #%lld%s; "
               "live (nothing can run from here; `wait-entries N` in batch)\n",
               s->app_path, (long long)json_integer_value(json_object_get(A.snap, "pid")),
               json_array_size(json_object_get(A.snap, "tonics")),
               (long long)json_integer_value(json_object_get(q, "length")),
               (long long)json_integer_value(json_object_get(A.snap, "last_seq")),
               json_is_true(json_object_get(A.snap, "finished")) ? " (finished)" : "");
}

/* "live: pid 42, queue 3, 2 timers" for the status line. */
void attach_status(strbuf *b)
{
    if (!g_session.attached || !A.snap)
        return;
    const json_t *q = json_object_get(A.snap, "queue");
    sb_printf(b, "%s pid %lld, queue %lld, %zu timer%s", A.ended ? "app gone:" : "live:",
              (long long)json_integer_value(json_object_get(A.snap, "pid")),
              (long long)json_integer_value(json_object_get(q, "length")),
              json_array_size(json_object_get(A.snap, "timers")),
              json_array_size(json_object_get(A.snap, "timers")) == 1 ? "" : "s");
    if (A.lost)
        sb_printf(b, ", %llu lost", (unsigned long long)A.lost);
}

/* Free everything (teardown). */
void attach_shutdown(void)
{
    attach_drop();
}

/* Detach when the session closes. */
void attach_close(void)
{
    attach_drop();
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
    if (!g_session.attached || !A.snap) {
        out_error("info stats shows a live app: attach with `ttdb -attach PATH` to "
                  "`ttrun --listen PATH APP`");
        return -1;
    }
    const json_t *snap = A.snap, *q = json_object_get(snap, "queue");
    out_printf("pid %lld%s, last entry #%lld; statistics over the whole run\n",
               (long long)json_integer_value(json_object_get(snap, "pid")),
               A.ended ? " (gone)" : "",
               (long long)json_integer_value(json_object_get(snap, "last_seq")));
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
    out_printf("stream: %llu entries received, %llu lost; round trip %.2f ms (best %.2f ms), "
               "taken in %.2f ms (most %.2f ms), asked every %d ms on the screen\n",
               (unsigned long long)A.received, (unsigned long long)A.lost, A.rtt_last * 1e3,
               A.rtt_min * 1e3, A.take_last * 1e3, A.take_max * 1e3, LIVE_PERIOD_MS);
    return 0;
}

const cmd_entry cmd_info_stats_entry = {
    .name = "stats",
    .usage = "info stats",
    .help = "A live app's tonics with their states and statistics over the whole run "
            "(sparkles run, busy time, longest sparkle, dead letters), its queue and "
            "timers, and the stream's figures (ttdb -attach).",
    .exec = info_stats_exec,
};

/* The app's lints (its flight recorder's), as `info lints` prints them;
 * how many, or -1 when not attached. */
long attach_lints_print(void)
{
    if (!g_session.attached || !A.snap)
        return -1;
    size_t i;
    const json_t *l;
    json_array_foreach(json_object_get(A.snap, "lints"), i, l) {
        strbuf b = {0};
        size_t k;
        const json_t *seq;
        json_array_foreach(json_object_get(l, "seqs"), k, seq)
            sb_printf(&b, "%s#%lld", k ? " " : "", (long long)json_integer_value(seq));
        long long count = json_integer_value(json_object_get(l, "count"));
        if (count > (long long)k)
            sb_printf(&b, " (%lld in all)", count);
        out_printf("%s %s: %s\n    at %s\n", str(l, "severity"), str(l, "kind"),
                   str(l, "message"), b.s ? b.s : "");
        sb_free(&b);
    }
    return (long)json_array_size(json_object_get(A.snap, "lints"));
}

/* How many lints the app has (-1: not attached). */
long attach_lints_print_count(void)
{
    if (!g_session.attached || !A.snap)
        return -1;
    return (long)json_array_size(json_object_get(A.snap, "lints"));
}

/* The live tonics (the Tonics pane while attached). */
size_t attach_tonic_count(void)
{
    return g_session.attached ? json_array_size(json_object_get(A.snap, "tonics")) : 0;
}

/* Row i: "id name state sparkles busy longest dead"; *gone once it completed. */
void attach_tonic_row(size_t i, strbuf *b, bool *gone)
{
    const json_t *t = json_array_get(json_object_get(A.snap, "tonics"), i);
    long long id = json_integer_value(json_object_get(t, "id"));
    char busy[32], lon[32];
    dur(busy, sizeof busy, json_number_value(json_object_get(t, "busy_s")));
    dur(lon, sizeof lon, json_number_value(json_object_get(t, "longest_s")));
    sb_printf(b, "%3lld %-16s %-10s %7lld %8s %8s %3lld", id, str(t, "tonic"),
              str(t, "state"), (long long)json_integer_value(json_object_get(t, "sparkles")),
              busy, lon, (long long)json_integer_value(json_object_get(t, "dead_letters")));
    *gone = id < 0;
}

/* The live queue as the app sent it: its length, and the orders listed
 * (the first 20 of them). */
size_t attach_queue_length(void)
{
    if (!g_session.attached)
        return 0;
    return (size_t)json_integer_value(json_object_get(json_object_get(A.snap, "queue"), "length"));
}

static const json_t *live_orders(void)
{
    return json_object_get(json_object_get(A.snap, "queue"), "orders");
}

size_t attach_queue_rows(void)
{
    size_t listed = json_array_size(live_orders()), n = attach_queue_length();
    return listed + (n > listed);
}

/* Row i: "Tonic.sparkle(args) <- Source.sparkle  (cause #N)", the app's
 * next order first; past the listed ones "... N more". */
void attach_queue_row(size_t i, strbuf *b)
{
    const json_t *o = json_array_get(live_orders(), i);
    if (!o) {
        size_t listed = json_array_size(live_orders());
        sb_printf(b, "... %zu more (the app lists the first %zu)", attach_queue_length() - listed,
                  listed);
        return;
    }
    sb_printf(b, "%s.%s(", str(o, "tonic"), str(o, "sparkle"));
    size_t k;
    const json_t *v;
    json_array_foreach(json_object_get(o, "args"), k, v) {
        char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        sb_printf(b, "%s%s", k ? ", " : "", text ? text : "?");
        free(text);
    }
    sb_add(b, ") ");
    const json_t *src = json_object_get(o, "source");
    fmt_source(b, json_string_value(json_array_get(src, 0)),
               json_string_value(json_array_get(src, 1)));
    long long cause = json_integer_value(json_object_get(o, "cause"));
    if (cause)
        sb_printf(b, "  (cause #%lld)", cause);
    else
        sb_add(b, "  (input)");
}

size_t attach_timer_count(void)
{
    return g_session.attached ? json_array_size(json_object_get(A.snap, "timers")) : 0;
}

/* Row i: "tick of Countdown: due in 4.00ms, period 10.00ms". */
void attach_timer_row(size_t i, strbuf *b)
{
    const json_t *t = json_array_get(json_object_get(A.snap, "timers"), i);
    char due[32], period[32];
    dur(due, sizeof due, json_number_value(json_object_get(t, "due_in_s")));
    dur(period, sizeof period, json_number_value(json_object_get(t, "period_s")));
    if (json_is_true(json_object_get(t, "running")))
        sb_printf(b, "%s of %s: due in %s, period %s", str(t, "timer"), str(t, "base"), due,
                  period);
    else
        sb_printf(b, "%s of %s: stopped", str(t, "timer"), str(t, "base"));
}

/* info queue, attached: the live queue as the Queue pane lists it. */
int attach_queue_print(void)
{
    if (!g_session.attached || !A.snap)
        return -1;
    size_t n = attach_queue_rows();
    if (n == 0)
        out_printf("the queue is empty\n");
    for (size_t i = 0; i < n; i++) {
        strbuf b = {0};
        attach_queue_row(i, &b);
        if (i < json_array_size(live_orders()))
            out_printf("%4zu. %s\n", i + 1, b.s);
        else
            out_printf("      %s\n", b.s);
        sb_free(&b);
    }
    return 0;
}

/* Depth of tonic t in the live tree (its bases by name; bounded). */
static int live_depth(const json_t *tonics, const json_t *t)
{
    int d = 0;
    for (const char *b = str(t, "base"); *b && d < 64; d++) {
        size_t i;
        const json_t *u, *found = NULL;
        json_array_foreach(tonics, i, u)
            if (strcmp(str(u, "tonic"), b) == 0)
                found = u;
        if (!found)
            break;
        b = str(found, "base");
    }
    return d;
}

/* Tonic t and its infusions (by base name) in tree order; level bounds
 * the recursion (names need not be unique). */
static void live_tree_print(const json_t *tonics, const json_t *t, int level)
{
    long long id = json_integer_value(json_object_get(t, "id"));
    strbuf b = {0};
    for (int d = live_depth(tonics, t); d > 0; d--)
        sb_add(&b, "  ");
    if (id >= 0)
        sb_printf(&b, "%lld ", id);
    else
        sb_add(&b, "- ");
    sb_printf(&b, "%s [%s]", str(t, "tonic"), str(t, "state"));
    if (strcmp(str(t, "tonic"), str(t, "class")) != 0 && *str(t, "class"))
        sb_printf(&b, " (%s)", str(t, "class"));
    if (id < 0)
        sb_add(&b, " finished");
    out_printf("%s\n", b.s);
    sb_free(&b);
    size_t i;
    const json_t *u;
    json_array_foreach(tonics, i, u)
        if (u != t && level < 64 && strcmp(str(u, "base"), str(t, "tonic")) == 0)
            live_tree_print(tonics, u, level + 1);
}

/* info tonics, attached: the app's tonics as it reports them (class, state,
 * base), as a tree; 0, or -1 when not attached.  An app older than the
 * "base" field gives a flat list. */
int attach_tonics_print(void)
{
    if (!g_session.attached || !A.snap)
        return -1;
    const json_t *tonics = json_object_get(A.snap, "tonics");
    size_t i;
    const json_t *t;
    json_array_foreach(tonics, i, t) {
        /* roots: no base, or a base not in the list */
        const char *b = str(t, "base");
        bool root = !*b;
        if (!root) {
            root = true;
            size_t k;
            const json_t *u;
            json_array_foreach(tonics, k, u)
                if (strcmp(str(u, "tonic"), b) == 0)
                    root = false;
        }
        if (root)
            live_tree_print(tonics, t, 0);
    }
    return 0;
}

/* print TONIC, attached: what the app reports of it; 0, 1 when the app
 * has no tonic of that name, -1 when not attached. */
int attach_tonic_print(const char *name)
{
    if (!g_session.attached || !A.snap)
        return -1;
    const json_t *tonics = json_object_get(A.snap, "tonics"), *t = NULL, *u;
    size_t i;
    json_array_foreach(tonics, i, u)
        if (strcmp(str(u, "tonic"), name) == 0)
            t = u; /* the newest of that name */
    if (!t)
        return 1;
    long long id = json_integer_value(json_object_get(t, "id"));
    out_printf("%s = {class %s, id %lld%s, state %s}\n", str(t, "tonic"), str(t, "class"),
               id, id < 0 ? " (finished)" : "", str(t, "state"));
    out_printf("  base: %s\n", *str(t, "base") ? str(t, "base") : "(none)");
    strbuf b = {0};
    json_array_foreach(tonics, i, u)
        if (u != t && strcmp(str(u, "base"), name) == 0)
            sb_printf(&b, "%s%s", b.len ? ", " : "", str(u, "tonic"));
    out_printf("  infusions: %s\n", b.s ? b.s : "(none)");
    sb_free(&b);
    char busy[32], lon[32];
    dur(busy, sizeof busy, json_number_value(json_object_get(t, "busy_s")));
    dur(lon, sizeof lon, json_number_value(json_object_get(t, "longest_s")));
    out_printf("  over the whole run: %lld sparkles, busy %s, longest %s, %lld dead "
               "letters\n", (long long)json_integer_value(json_object_get(t, "sparkles")),
               busy, lon, (long long)json_integer_value(json_object_get(t, "dead_letters")));
    out_printf("  probes: none (a live app sends no probe values)\n");
    return 0;
}

/* wait-entries K [SECONDS]: ask until K new entries came. */
static int wait_entries_exec(cmd_args *a)
{
    long k = 0;
    double limit = 10;
    if (a->argc < 1 || a->argc > 2 || !parse_long(a->argv[0], &k) || k <= 0 ||
        (a->argc == 2 && (!parse_double(a->argv[1], &limit) || !(limit > 0))))
        return cmd_usage_error(&cmd_wait_entries_entry);
    if (!g_session.attached) {
        out_error("wait-entries follows a live app: attach with `ttdb -attach PATH`");
        return -1;
    }
    session *s = &g_session;
    uint64_t start = A.received;
    double t0 = now_mono(), end = t0 + limit;
    unsigned polls = 0;
    while (A.received - start < (uint64_t)k) {
        if (A.fd < 0) {
            out_error("wait-entries: the app went away after %llu of %ld new entries",
                      (unsigned long long)(A.received - start), k);
            return -1;
        }
        double left = end - now_mono();
        if (left <= 0) {
            out_error("wait-entries: only %llu of %ld new entries in %gs (the app is idle, or "
                      "slower than that)",
                      (unsigned long long)(A.received - start), k, limit);
            return -1;
        }
        if (!A.pending) {
            if (polls) {
                /* pace the requests as the screen does */
                struct pollfd none = {.fd = -1};
                double pause = LIVE_PERIOD_MS / 1e3 < left ? LIVE_PERIOD_MS / 1e3 : left;
                poll(&none, 0, (int)(pause * 1000));
            }
            if (!ask(false)) {
                app_ended(s);
                continue;
            }
            polls++;
        }
        int r = wait_answer(end - now_mono() > 0 ? end - now_mono() : 0);
        if (r < 0)
            app_ended(s);
        else if (r == 1 && take_answer(s, false, false) < 0)
            return -1;
    }
    out_printf("%llu new entries in %.3fs (%u request%s; last #%llu, %llu lost)\n",
               (unsigned long long)(A.received - start), now_mono() - t0, polls,
               polls == 1 ? "" : "s", (unsigned long long)A.last_seq,
               (unsigned long long)A.lost);
    return 0;
}

const cmd_entry cmd_wait_entries_entry = {
    .name = "wait-entries",
    .usage = "wait-entries K [SECONDS]",
    .help = "Attached to a live app: ask it for new entries until K came, then go on "
            "(panes, `info`, `info stats` show them); fails after SECONDS (default 10). "
            "For scripts and batch mode; the screen streams by itself.",
    .exec = wait_entries_exec,
};
