/*
 * output.c: every command prints through here.  Text is cut into lines;
 * without a sink (batch mode) lines go to stdout and errors to stderr as
 * "ttdb: MESSAGE"; with the screen running, the console pane is the sink.
 */
#include "ttdb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static out_sink sink;
static void *sink_ud;
static strbuf pending; /* a partial line of OUT_TEXT */
static unsigned long n_errors;
static char *context; /* "script.ttdb:12" or NULL */
static int stdout_errno; /* the first failed write to stdout */
static bool muted;    /* replaying: only errors get through */

/* Drop text and warnings (errors still show) while on. */
void out_mute(bool on)
{
    out_flush();
    muted = on;
}

/* Route output to a sink (NULL for stdout/stderr). */
void out_set_sink(out_sink s, void *ud)
{
    out_flush();
    sink = s;
    sink_ud = ud;
}

/* Deliver one complete line. */
static FILE *own_out, *own_err; /* ttdb's own streams (app-output.c) */

/* Where ttdb's own lines go: NULL for stdout/stderr. */
void out_set_files(FILE *o, FILE *e)
{
    if (own_out)
        fclose(own_out);
    if (own_err)
        fclose(own_err);
    own_out = o;
    own_err = e;
}

/* ttdb's errors while the app's descriptors are silenced (a replay). */
static FILE *replay_err;

void out_set_replay_err(FILE *e)
{
    replay_err = e;
}

static void emit(out_kind kind, const char *line)
{
    FILE *o = own_out ? own_out : stdout;
    FILE *e = replay_err ? replay_err : own_err ? own_err : stderr;
    if (own_out && !sink)
        fflush(stdout); /* what the app printed before comes first */
    if (muted && kind != OUT_ERROR)
        return;
    if (sink) {
        sink(kind, line, sink_ud);
        return;
    }
    switch (kind) {
    case OUT_ERROR:
        fflush(o);
        fprintf(e, "ttdb: %s%s%s\n", context ? context : "",
                context ? ": " : "", line);
        fflush(e);
        break;
    case OUT_WARN:
        fflush(o);
        fprintf(e, "ttdb: %s%swarning: %s\n", context ? context : "",
                context ? ": " : "", line);
        fflush(e);
        break;
    default:
        /* one line in one piece: a long JSON line is never split by the
         * app's output */
        if (fprintf(o, "%s\n", line) < 0 && !stdout_errno)
            stdout_errno = errno;
        if (o != stdout && fflush(o) != 0 && !stdout_errno)
            stdout_errno = errno;
        break;
    }
}

/* Send the complete lines of the pending buffer. */
static void emit_lines(out_kind kind, bool all)
{
    char *start = pending.s;
    if (!start)
        return;
    char *nl;
    while ((nl = strchr(start, '\n'))) {
        *nl = '\0';
        emit(kind, start);
        start = nl + 1;
    }
    if (all && *start) {
        emit(kind, start);
        start += strlen(start);
    }
    size_t rest = strlen(start);
    memmove(pending.s, start, rest + 1);
    pending.len = rest;
}

/* Print formatted text of a kind. */
void out_vprintf(out_kind kind, const char *fmt, va_list ap)
{
    char *s = xvasprintf(fmt, ap);
    if (kind == OUT_TEXT) {
        sb_add(&pending, s);
        emit_lines(OUT_TEXT, false);
    } else {
        out_flush();
        /* errors and warnings are one line each; keep only the first */
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        if (kind == OUT_ERROR)
            n_errors++;
        emit(kind, s);
    }
    free(s);
}

/* Print normal output. */
void out_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    out_vprintf(OUT_TEXT, fmt, ap);
    va_end(ap);
}

/* Print one error line. */
void out_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    out_vprintf(OUT_ERROR, fmt, ap);
    va_end(ap);
}

/* Print one warning line. */
void out_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    out_vprintf(OUT_WARN, fmt, ap);
    va_end(ap);
}

/* Flush a partial line. */
void out_flush(void)
{
    if (pending.len)
        emit_lines(OUT_TEXT, true);
    if (!sink && fflush(own_out ? own_out : stdout) != 0 && !stdout_errno)
        stdout_errno = errno;
}

/* The first error writing to stdout (errno value), 0 when none. */
int out_stdout_errno(void)
{
    return stdout_errno;
}

/* Number of errors printed. */
unsigned long out_error_count(void)
{
    return n_errors;
}

/* The location prefix of error lines (NULL for none). */
const char *out_context(void)
{
    return context;
}

/* Set the location prefix of error lines. */
void out_set_context(const char *where)
{
    free(context);
    context = where ? xstrdup(where) : NULL;
}

/* Free what the output module holds. */
void out_shutdown(void)
{
    out_flush();
    sb_free(&pending);
    out_set_context(NULL);
    out_set_files(NULL, NULL);
}
