/*
 * dap-io.c: DAP messages on file descriptors.
 *
 * A reader thread parses "Content-Length: N\r\n\r\n" + N bytes of JSON and
 * queues each message for the main thread, which runs the Distiller.  The
 * one thing the reader does itself is to interrupt a run when a `pause`
 * request arrives (tt_distiller_interrupt only sets a flag); a pause that
 * is queued when a run begins interrupts it too (dap_io_run_begin), so a
 * pause sent right after `continue` is never lost.  The main thread answers
 * the pause when the run has stopped.  Only the main thread writes.
 */
#include "dap.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Largest message accepted (a bigger Content-Length is refused). */
#define DAP_MAX_MESSAGE (16u << 20)

typedef struct msg_node {
    json_t *msg;
    struct msg_node *next;
} msg_node;

static struct {
    int in, out;
    pthread_t reader;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    msg_node *head, *tail;
    bool eof;
    bool in_run;      /* a run is about to start or running */
    bool paused_run;  /* a pause interrupted a run */
    long seq;
} io = {.in = -1, .out = -1, .mu = PTHREAD_MUTEX_INITIALIZER,
        .cv = PTHREAD_COND_INITIALIZER};

/* Queue a message for the main thread. */
static void push(json_t *m)
{
    msg_node *n = xcalloc(1, sizeof *n);
    n->msg = m;
    pthread_mutex_lock(&io.mu);
    if (io.tail)
        io.tail->next = n;
    else
        io.head = n;
    io.tail = n;
    pthread_cond_signal(&io.cv);
    pthread_mutex_unlock(&io.mu);
}

/* Whether m is a pause request. */
static bool is_pause(json_t *m)
{
    const char *cmd = json_string_value(json_object_get(m, "command"));
    return cmd && strcmp(cmd, "pause") == 0;
}

/* Read exactly n bytes; false at EOF or error. */
static bool read_all(char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(io.in, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        got += (size_t)r;
    }
    return true;
}

/* Read one header block; the Content-Length, or -1 at EOF, -2 when the
 * header has none or a bad one. */
static long read_header(void)
{
    char line[256];
    size_t len = 0;
    long clen = -2;
    for (;;) {
        char c;
        ssize_t r = read(io.in, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        if (c != '\n') {
            if (len < sizeof line - 1)
                line[len++] = c;
            continue;
        }
        if (len && line[len - 1] == '\r')
            len--;
        line[len] = '\0';
        if (len == 0)
            return clen;
        if (strncasecmp(line, "Content-Length:", 15) == 0) {
            char *end;
            long v = strtol(line + 15, &end, 10);
            while (*end == ' ')
                end++;
            clen = (*end || v < 0 || (unsigned long)v > DAP_MAX_MESSAGE)
                       ? -2 : v;
        }
        len = 0;
    }
}

/* The reader thread. */
static void *reader(void *arg)
{
    (void)arg;
    for (;;) {
        long n = read_header();
        if (n == -1)
            break;
        if (n == -2) {
            push(json_string("a message header without a valid "
                             "Content-Length (at most 16 MiB)"));
            continue;
        }
        char *buf = xmalloc((size_t)n + 1);
        if (!read_all(buf, (size_t)n)) {
            free(buf);
            break;
        }
        buf[n] = '\0';
        json_error_t err;
        json_t *m = json_loadb(buf, (size_t)n, 0, &err);
        free(buf);
        if (!m || !json_is_object(m)) {
            char text[300];
            snprintf(text, sizeof text, "the message is not a JSON object%s%s",
                     m ? "" : ": ", m ? "" : err.text);
            json_decref(m);
            push(json_string(text));
            continue;
        }
        if (is_pause(m)) {
            pthread_mutex_lock(&io.mu);
            if (io.in_run && g_session.cat) {
                tt_distiller_interrupt(g_session.cat);
                io.paused_run = true;
            }
            pthread_mutex_unlock(&io.mu);
        }
        push(m);
    }
    pthread_mutex_lock(&io.mu);
    io.eof = true;
    pthread_cond_signal(&io.cv);
    pthread_mutex_unlock(&io.mu);
    return NULL;
}

int dap_io_start(int in_fd, int out_fd)
{
    io.eof = false;
    io.in_run = false;
    io.paused_run = false;
    io.seq = 0;
    io.in = in_fd;
    io.out = out_fd;
    if (pthread_create(&io.reader, NULL, reader, NULL) != 0)
        return -1;
    io.started = true;
    return 0;
}

json_t *dap_io_next(void)
{
    pthread_mutex_lock(&io.mu);
    while (!io.head && !io.eof)
        pthread_cond_wait(&io.cv, &io.mu);
    msg_node *n = io.head;
    if (n) {
        io.head = n->next;
        if (!io.head)
            io.tail = NULL;
    }
    pthread_mutex_unlock(&io.mu);
    if (!n)
        return NULL;
    json_t *m = n->msg;
    free(n);
    return m;
}

void dap_io_run_begin(void)
{
    pthread_mutex_lock(&io.mu);
    io.in_run = true;
    bool queued = false;
    for (msg_node *n = io.head; n && !queued; n = n->next)
        queued = json_is_object(n->msg) && is_pause(n->msg);
    /* a pause sent before the run began stops it after one sparkle */
    if (queued && g_session.cat) {
        tt_distiller_interrupt(g_session.cat);
        io.paused_run = true;
    }
    pthread_mutex_unlock(&io.mu);
}

void dap_io_run_end(void)
{
    pthread_mutex_lock(&io.mu);
    io.in_run = false;
    pthread_mutex_unlock(&io.mu);
}

bool dap_io_paused_run(void)
{
    pthread_mutex_lock(&io.mu);
    bool p = io.paused_run;
    io.paused_run = false;
    pthread_mutex_unlock(&io.mu);
    return p;
}

void dap_io_stop(bool join)
{
    if (io.started) {
        /* without join, the reader may stay blocked in read() until the
         * process ends */
        if (join)
            pthread_join(io.reader, NULL);
        else
            pthread_detach(io.reader);
        io.started = false;
    }
    pthread_mutex_lock(&io.mu);
    while (io.head) {
        msg_node *n = io.head;
        io.head = n->next;
        json_decref(n->msg);
        free(n);
    }
    io.tail = NULL;
    pthread_mutex_unlock(&io.mu);
}

/* Write all of buf. */
static void write_all(const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(io.out, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* the client went away: the reader sees EOF */
        buf += w;
        n -= (size_t)w;
    }
}

void dap_send(json_t *msg)
{
    json_object_set_new(msg, "seq", json_integer(++io.seq));
    char *text = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    if (!text)
        return;
    char head[64];
    int hn = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n",
                      strlen(text));
    write_all(head, (size_t)hn);
    write_all(text, strlen(text));
    free(text);
}

void dap_event(const char *event, json_t *body)
{
    json_t *m = json_pack("{s:s, s:s}", "type", "event", "event", event);
    if (body)
        json_object_set_new(m, "body", body);
    dap_send(m);
}

/* A response with success and message. */
static void respond(json_t *req, bool ok, const char *message, json_t *body)
{
    json_t *seq = json_object_get(req, "seq");
    const char *cmd = json_string_value(json_object_get(req, "command"));
    json_t *m = json_pack("{s:s, s:I, s:b, s:s}", "type", "response",
                          "request_seq",
                          (json_int_t)(json_is_integer(seq)
                                           ? json_integer_value(seq) : 0),
                          "success", ok, "command", cmd ? cmd : "");
    if (message)
        json_object_set_new(m, "message", json_string(message));
    if (body)
        json_object_set_new(m, "body", body);
    dap_send(m);
}

void dap_respond(json_t *req, json_t *body)
{
    respond(req, true, NULL, body);
}

void dap_fail(json_t *req, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = xvasprintf(fmt, ap);
    va_end(ap);
    json_t *body = json_pack("{s:{s:i, s:s, s:b}}", "error", "id", 1,
                             "format", text ? text : "error", "showUser",
                             false);
    respond(req, false, text ? text : "error", body);
    free(text);
}
