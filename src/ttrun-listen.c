/*
 * ttrun-listen.c: live attach (`ttrun --listen PATH`): a Unix socket that
 * debuggers (`ttdb -attach PATH`) and other tools connect to.
 *
 * One thread accepts connections; each viewer has its own thread, so a slow
 * viewer only ever blocks itself.  A request is answered by a call the
 * Catalyst runs between two sparkles (tt_catalyst_request_call): it renders
 * the answer into memory and returns; the viewer's thread then writes it.
 * Entries come from the flight recorder's ring: a viewer asks for the entries
 * after the last one it saw and is told how many the ring dropped meanwhile
 * ("lost"), so the Catalyst never waits for a viewer.  The protocol (one JSON
 * object per line) is in doc/attach.md.
 */
#include "ttrun.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define SNAPSHOT_ENTRIES 50   /* last entries in a snapshot */
#define ENTRIES_MAX 10000     /* at most per "entries" answer */
#define ANSWER_WAIT_S 10      /* a viewer gives up on a catalyst after this */

static tt_catalyst *g_cat;
static int g_fd = -1;
static char *g_path;
static pthread_t g_acceptor;

/* One request handed to the catalyst's thread. */
typedef struct request {
    pthread_mutex_t m;
    pthread_cond_t c;
    bool done;
    bool snapshot;
    bool has_since;   /* a snapshot with the entries after since */
    uint64_t since;
    size_t max;
    size_t last_n;    /* a snapshot with the last last_n entries */
    char *out;
    size_t len;
} request;

/* A value as JSON. */
static void put_value(FILE *f, const tt_value *v)
{
    char small[256];
    size_t n = tt_value_to_json(v, small, sizeof small);
    if (n < sizeof small) {
        fputs(small, f);
        return;
    }
    char *big = malloc(n + 1);
    if (big) {
        tt_value_to_json(v, big, n + 1);
        fputs(big, f);
        free(big);
    }
}

/* A JSON string. */
static void put_str(FILE *f, const char *s)
{
    tt_value v = TT_STR(s ? s : "");
    put_value(f, &v);
}

/* Entries (from, to] of the recording as a run dictionary. */
static void put_trace(FILE *f, tt_catalyst *cat, uint64_t from, uint64_t to)
{
    fputs("{\"status\": ", f);
    put_str(f, tt_catalyst_finished(cat) ? "catalyst finished" : "running");
    fputs(", \"sparkle_trace\": [", f);
    bool first = true;
    for (uint64_t s = from + 1; s <= to; s++) {
        const tt_trace_entry *e = tt_trace_get(cat, s);
        if (!e)
            continue;
        if (!first)
            fputs(", ", f);
        first = false;
        tt_entry_write_json(cat, e, f, TT_JSON_EXTENSIONS);
    }
    fputs("], \"stop_condition\": [\"live\"]}", f);
}

/* Per-tonic statistics, counted by the Catalyst over the whole run. */
static void put_stats(FILE *f, tt_catalyst *cat)
{
    size_t n = tt_tonic_count(cat);
    fputs("[", f);
    for (size_t i = 0; i < n; i++) {
        tt_tonic *t = tt_tonic_at(cat, i);
        tt_tonic_stats_info st;
        tt_tonic_stats(t, &st);
        fprintf(f, "%s{\"tonic\": ", i ? ", " : "");
        put_str(f, tt_tonic_name(t));
        fprintf(f, ", \"id\": %d, \"class\": ", tt_tonic_id(t));
        put_str(f, tt_tonic_class_name(t));
        tt_tonic *base = tt_tonic_base(t);
        fputs(", \"base\": ", f);
        if (base)
            put_str(f, tt_tonic_name(base));
        else
            fputs("null", f);
        fputs(", \"state\": ", f);
        put_str(f, tt_tonic_state_name(t));
        fprintf(f, ", \"sparkles\": %llu, \"busy_s\": %.9f, \"longest_s\": %.9f, "
                   "\"dead_letters\": %llu}",
                (unsigned long long)st.sparkles, st.busy, st.longest,
                (unsigned long long)st.dead_letters);
    }
    fputs("]", f);
}

/* The queue and the timers. */
static void put_queue_timers(FILE *f, tt_catalyst *cat)
{
    size_t q = tt_queue_length(cat);
    fprintf(f, "\"queue\": {\"length\": %zu, \"orders\": [", q);
    for (size_t i = 0; i < q && i < 20; i++) {
        tt_order_view v;
        if (tt_queue_at(cat, i, &v) < 0)
            break;
        fprintf(f, "%s{\"tonic\": ", i ? ", " : "");
        put_str(f, tt_tonic_name(v.tonic));
        fputs(", \"sparkle\": ", f);
        put_str(f, v.sparkle);
        fputs(", \"args\": [", f);
        for (size_t k = 0; k < v.nargs; k++) {
            if (k)
                fputs(", ", f);
            put_value(f, &v.args[k]);
        }
        fputs("], \"source\": [", f);
        if (v.src_tonic)
            put_str(f, v.src_tonic);
        else
            fputs("null", f);
        fputs(", ", f);
        put_str(f, v.src_sparkle);
        fprintf(f, ", %d], \"cause\": %llu}", v.src_id, (unsigned long long)v.cause);
    }
    fputs("]}, \"timers\": [", f);
    size_t nt = tt_timer_count(cat), k = 0;
    for (size_t i = 0; i < nt; i++) {
        tt_timer *tm = tt_timer_at(cat, i);
        if (tt_timer_id(tm) < 0)
            continue; /* finished */
        fprintf(f, "%s{\"timer\": ", k++ ? ", " : "");
        put_str(f, tt_timer_name(tm));
        fputs(", \"base\": ", f);
        put_str(f, tt_tonic_name(tt_timer_base(tm)));
        fprintf(f, ", \"running\": %s, \"period_s\": %g, \"due_in_s\": %g}",
                tt_timer_running(tm) ? "true" : "false", tt_timer_period(tm),
                tt_timer_running(tm) ? tt_timer_due(tm) - tt_catalyst_now(cat) : 0.0);
    }
    fputs("]", f);
}

/* The lints of the recording (tt_lint_*), most serious first. */
static void put_lints(FILE *f, tt_catalyst *cat)
{
    fputs("[", f);
    size_t n = tt_lint_count(cat);
    for (size_t i = 0; i < n; i++) {
        tt_lint l;
        if (tt_lint_get(cat, i, &l) < 0)
            break;
        fprintf(f, "%s{\"severity\": \"%s\", \"kind\": \"%s\", \"message\": ", i ? ", " : "",
                tt_lint_severity_name(l.severity), tt_lint_kind_name(l.kind));
        put_str(f, l.message);
        fputs(", \"seqs\": [", f);
        for (size_t k = 0; k < l.n_seqs; k++)
            fprintf(f, "%s%llu", k ? ", " : "", (unsigned long long)l.seqs[k]);
        fprintf(f, "], \"last_seq\": %llu, \"count\": %llu}", (unsigned long long)l.last_seq,
                (unsigned long long)l.count);
    }
    fputs("]", f);
}

/* The entries after since that an answer carries: (*from, *to], and how
 * many the ring dropped before the client read them. */
static uint64_t window(tt_catalyst *cat, uint64_t since, size_t max, uint64_t *from,
                       uint64_t *to)
{
    uint64_t first = tt_trace_first_seq(cat), last = tt_trace_last_seq(cat), lost = 0;
    if (last && since + 1 < first) {
        lost = first - 1 - since;
        since = first - 1;
    }
    if (since > last)
        since = last;
    if (last - since > max)
        last = since + max;
    *from = since;
    *to = last;
    return lost;
}

/* On the catalyst's thread: render the answer to one request. */
static void answer(tt_catalyst *cat, void *ud)
{
    request *r = ud;
    FILE *f = open_memstream(&r->out, &r->len);
    if (f) {
        uint64_t last = tt_trace_last_seq(cat), from, to, lost = 0;
        if (r->snapshot && !r->has_since) {
            uint64_t first = tt_trace_first_seq(cat);
            from = last > r->last_n ? last - r->last_n : 0;
            if (from + 1 < first)
                from = first - 1;
            to = last;
        } else {
            lost = window(cat, r->since, r->max, &from, &to);
        }
        if (r->snapshot) {
            tt_lint_update(cat);
            fprintf(f, "{\"type\": \"snapshot\", \"pid\": %ld, \"finished\": %s, \"record_last\": %zu, "
                       "\"last_seq\": %llu, \"lost\": %llu, ",
                    (long)getpid(), tt_catalyst_finished(cat) ? "true" : "false",
                    tt_catalyst_record_size(cat), (unsigned long long)to,
                    (unsigned long long)lost);
            put_queue_timers(f, cat);
            fputs(", \"tonics\": ", f);
            put_stats(f, cat);
            fputs(", \"lints\": ", f);
            put_lints(f, cat);
            fputs(", \"trace\": ", f);
            put_trace(f, cat, from, to);
        } else {
            fprintf(f, "{\"type\": \"entries\", \"lost\": %llu, \"last_seq\": %llu, \"trace\": ",
                    (unsigned long long)lost, (unsigned long long)to);
            put_trace(f, cat, from, to);
        }
        fputs("}\n", f);
        fclose(f);
    }
    pthread_mutex_lock(&r->m);
    r->done = true;
    pthread_cond_signal(&r->c);
    pthread_mutex_unlock(&r->m);
}

/* A number after "key": in a request line, or dflt. */
static unsigned long long field(const char *line, const char *key, unsigned long long dflt)
{
    const char *p = strstr(line, key);
    if (!p || !(p = strchr(p + strlen(key), ':')))
        return dflt;
    return strtoull(p + 1, NULL, 10);
}

/* Send a whole buffer; false when the viewer went away. */
static bool send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* One viewer: requests in, answers out, until it detaches. */
static void *viewer(void *arg)
{
    int fd = (int)(intptr_t)arg;
    FILE *in = fdopen(dup(fd), "r");
    char line[1024];
    while (in && fgets(line, sizeof line, in)) {
        if (strstr(line, "\"detach\""))
            break;
        bool snap = strstr(line, "\"snapshot\"") != NULL;
        if (!snap && !strstr(line, "\"entries\"")) {
            static const char bad[] = "{\"type\": \"error\", \"error\": \"unknown request: "
                                      "expected {\\\"cmd\\\": \\\"snapshot\\\"}, "
                                      "{\\\"cmd\\\": \\\"entries\\\", \\\"since\\\": N} or "
                                      "{\\\"cmd\\\": \\\"detach\\\"}\"}\n";
            if (!send_all(fd, bad, sizeof bad - 1))
                break;
            continue;
        }
        request *r = calloc(1, sizeof *r);
        if (!r)
            break;
        pthread_mutex_init(&r->m, NULL);
        pthread_cond_init(&r->c, NULL);
        r->snapshot = snap;
        r->has_since = strstr(line, "\"since\"") != NULL;
        r->since = field(line, "\"since\"", 0);
        r->last_n = (size_t)field(line, "\"last\"", SNAPSHOT_ENTRIES);
        if (r->last_n > ENTRIES_MAX)
            r->last_n = ENTRIES_MAX;
        r->max = (size_t)field(line, "\"max\"", ENTRIES_MAX);
        if (r->max == 0 || r->max > ENTRIES_MAX)
            r->max = ENTRIES_MAX;
        tt_catalyst_request_call(g_cat, answer, r);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += ANSWER_WAIT_S;
        pthread_mutex_lock(&r->m);
        while (!r->done && pthread_cond_timedwait(&r->c, &r->m, &ts) == 0)
            ;
        bool done = r->done;
        pthread_mutex_unlock(&r->m);
        if (!done) {
            /* the catalyst does not answer (it has stopped): r stays with it */
            static const char gone[] =
                "{\"type\": \"error\", \"error\": \"the app does not answer\"}\n";
            send_all(fd, gone, sizeof gone - 1);
            break;
        }
        bool ok = r->out && send_all(fd, r->out, r->len);
        free(r->out);
        pthread_cond_destroy(&r->c);
        pthread_mutex_destroy(&r->m);
        free(r);
        if (!ok)
            break;
    }
    if (in)
        fclose(in);
    close(fd);
    return NULL;
}

/* Accept viewers until the socket is closed. */
static void *acceptor(void *arg)
{
    (void)arg;
    for (;;) {
        int c = accept(g_fd, NULL, NULL);
        if (c < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            return NULL;
        }
        pthread_t t;
        pthread_attr_t a;
        pthread_attr_init(&a);
        pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &a, viewer, (void *)(intptr_t)c) != 0)
            close(c);
        pthread_attr_destroy(&a);
    }
}

/* Listen on path (owner-only); 0, or -1 with a message in err. */
int ttrun_listen_start(tt_catalyst *cat, const char *path, char *err, size_t esz)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path) {
        snprintf(err, esz, "--listen %s: the path is too long for a socket (at most %zu bytes)",
                 path, sizeof sa.sun_path - 1);
        return -1;
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, esz, "--listen %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
        unlink(path); /* a socket left by an earlier run */
    mode_t old = umask(0077);
    int rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
    umask(old);
    if (rc < 0 || chmod(path, 0600) < 0 || listen(fd, 8) < 0) {
        snprintf(err, esz, "--listen %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    g_cat = cat;
    g_fd = fd;
    g_path = strdup(path);
    if (pthread_create(&g_acceptor, NULL, acceptor, NULL) != 0) {
        snprintf(err, esz, "--listen %s: cannot start a thread", path);
        close(fd);
        unlink(path);
        g_fd = -1;
        return -1;
    }
    return 0;
}

/* Stop accepting and remove the socket (viewers see the end of input). */
void ttrun_listen_stop(void)
{
    if (g_fd < 0)
        return;
    /* On Linux, shutdown wakes a blocked accept (EINVAL) and the acceptor
     * returns: no pthread_cancel, whose forced unwinding AddressSanitizer
     * reports as a stack-use-after-scope at the thread's end. */
    shutdown(g_fd, SHUT_RDWR);
    pthread_join(g_acceptor, NULL);
    close(g_fd);
    g_fd = -1;
    unlink(g_path);
    free(g_path);
    g_path = NULL;
}
