/*
 * trace-json.c: writing runs as the Python Distiller's dictionaries (JSON),
 * and as readable text.
 *
 * The writer streams: each entry is formatted into a small buffer and written
 * with one fwrite, so a million-entry session never exists as a tree or a
 * string in memory.  Field names and nesting are the Python ones; "seq" and
 * "vt" are added only with TT_JSON_EXTENSIONS.
 */
#include "tt-int.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A growable output buffer. */
typedef struct sbuf {
    char *p;
    size_t n, cap;
    bool oom;
    char small[2048];
} sbuf;

static void sb_init(sbuf *b)
{
    b->p = b->small;
    b->n = 0;
    b->cap = sizeof b->small;
    b->oom = false;
}

static void sb_free(sbuf *b)
{
    if (b->p != b->small)
        free(b->p);
}

static bool sb_room(sbuf *b, size_t more)
{
    if (b->n + more + 1 <= b->cap)
        return true;
    size_t cap = b->cap * 2;
    while (cap < b->n + more + 1)
        cap *= 2;
    char *p = b->p == b->small ? malloc(cap) : realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    if (b->p == b->small)
        memcpy(p, b->small, b->n);
    b->p = p;
    b->cap = cap;
    return true;
}

static void sb_put(sbuf *b, const char *s, size_t len)
{
    if (sb_room(b, len)) {
        memcpy(b->p + b->n, s, len);
        b->n += len;
    }
}

static void sb_str(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[128];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        sb_put(b, tmp, (size_t)n);
        return;
    }
    if (sb_room(b, (size_t)n)) {
        va_start(ap, fmt);
        vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
        va_end(ap);
        b->n += (size_t)n;
    }
}

/* A signed integer, without printf. */
static void sb_int(sbuf *b, long long v)
{
    char tmp[24], *p = tmp + sizeof tmp;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    sb_put(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* A value as JSON. */
static void sb_value(sbuf *b, const tt_value *v)
{
    switch (v->type) {
    case TT_T_INT: sb_int(b, (long long)v->u.i); return;
    case TT_T_BOOL: sb_str(b, v->u.b ? "true" : "false"); return;
    case TT_T_NONE: sb_str(b, "null"); return;
    default: break;
    }
    char tmp[256];
    size_t n = tt_value_to_json(v, tmp, sizeof tmp);
    if (n < sizeof tmp) {
        sb_put(b, tmp, n);
        return;
    }
    if (sb_room(b, n)) {
        tt_value_to_json(v, b->p + b->n, n + 1);
        b->n += n;
    }
}

/* A string as JSON (reusing the value renderer for escaping). */
static void sb_json_str(sbuf *b, const char *s)
{
    if (!s) {
        sb_str(b, "null");
        return;
    }
    bool plain = true;
    for (const unsigned char *c = (const unsigned char *)s; *c && plain; c++)
        plain = *c >= 0x20 && *c < 0x7f && *c != '"' && *c != '\\';
    if (plain) {
        sb_put(b, "\"", 1);
        sb_str(b, s);
        sb_put(b, "\"", 1);
        return;
    }
    tt_value v = TT_STR(s);
    sb_value(b, &v);
}

/* A timestamp with microseconds ("1764140000.123456"), without printf. */
static void sb_double(sbuf *b, double d)
{
    if (!isfinite(d) || d < 0 || d > 9e12) { /* d * 1e6 must fit a long long */
        if (isfinite(d))
            sb_printf(b, "%.6f", d);
        else
            sb_str(b, "null");
        return;
    }
    long long us = llround(d * 1e6);
    sb_int(b, us / 1000000);
    char frac[8];
    long long f = us % 1000000;
    frac[0] = '.';
    for (int i = 6; i >= 1; i--) {
        frac[i] = (char)('0' + f % 10);
        f /= 10;
    }
    sb_put(b, frac, 7);
}

static void sb_probes(sbuf *b, const tt_map *m)
{
    sb_put(b, "{", 1);
    for (size_t i = 0; m && i < m->n; i++) {
        if (i)
            sb_put(b, ", ", 2);
        sb_json_str(b, m->keys[i]);
        sb_put(b, ": ", 2);
        sb_value(b, &m->vals[i]);
    }
    sb_put(b, "}", 1);
}

/* Format one entry as a sparkle_trace item. */
static void sb_entry(sbuf *b, const tt_catalyst *cat, const tt_trace_entry *e, unsigned flags)
{
    sb_str(b, "{\"id\": ");
    sb_int(b, e->id);
    sb_str(b, ", \"tonic\": ");
    sb_json_str(b, tt_entry_tonic_name(cat, e));
    sb_str(b, ", \"sparkle\": ");
    sb_json_str(b, tt_entry_sparkle_name(cat, e));
    sb_str(b, ", \"args\": [");
    for (size_t i = 0; i < e->nargs; i++) {
        if (i)
            sb_put(b, ", ", 2);
        sb_value(b, &e->args[i]);
    }
    sb_str(b, "], \"kwargs\": {}, \"source\": [");
    sb_json_str(b, tt_entry_source_name(cat, e));
    sb_put(b, ", ", 2);
    sb_json_str(b, tt_entry_source_sparkle(cat, e));
    sb_put(b, ", ", 2);
    sb_int(b, e->src_id);
    sb_str(b, "], \"at_enter\": {\"@\": ");
    sb_double(b, e->t_enter);
    sb_str(b, ", \"state\": ");
    sb_json_str(b, tt_entry_state_enter(cat, e));
    sb_str(b, ", \"probes\": ");
    sb_probes(b, tt_entry_probes_enter(e));
    sb_str(b, "}, \"at_exit\": {\"@\": ");
    sb_double(b, tt_entry_t_exit(e));
    sb_str(b, ", \"state\": ");
    sb_json_str(b, tt_entry_state_exit(cat, e));
    sb_str(b, ", \"probes\": ");
    sb_probes(b, tt_entry_probes_exit(e));
    sb_str(b, (e->flags & TT_EF_SPARKLING) ? ", \"sparkling\": true}" : ", \"sparkling\": false}");
    if (flags & TT_JSON_EXTENSIONS) {
        sb_printf(b, ", \"seq\": %llu, \"vt\": ", (unsigned long long)tt_entry_seq(e));
        char tmp[64];
        tt_value dv = TT_DOUBLE(e->vt);
        tt_value_to_json(&dv, tmp, sizeof tmp);
        sb_str(b, tmp);
        uint64_t cause = tt_entry_cause(e);
        if (cause)
            sb_printf(b, ", \"cause\": %llu", (unsigned long long)cause);
        if (e->flags & (TT_EF_IGNORED | TT_EF_NOHANDLER | TT_EF_CRASHED | TT_EF_DROPPED))
            sb_str(b, (e->flags & TT_EF_CRASHED)   ? ", \"ran\": \"crashed\""
                      : (e->flags & TT_EF_DROPPED) ? ", \"ran\": \"dropped\""
                      : (e->flags & TT_EF_IGNORED) ? ", \"ran\": \"ignored\""
                                                   : ", \"ran\": \"no handler\"");
        const char *note = tt_entry_note(cat, e);
        if (note) {
            sb_str(b, ", \"note\": ");
            sb_json_str(b, note);
        }
    }
    sb_put(b, "}", 1);
}

static int flush(sbuf *b, FILE *f)
{
    int rc = 0;
    if (b->oom)
        rc = -TT_ENOMEM;
    else if (b->n && fwrite(b->p, 1, b->n, f) != b->n)
        rc = -TT_EIO;
    b->n = 0;
    return rc;
}

/* Write one entry as JSON. */
int tt_entry_write_json(const tt_catalyst *cat, const tt_trace_entry *e, FILE *f, unsigned flags)
{
    if (!cat || !e || !f)
        return -TT_EINVAL;
    sbuf b;
    sb_init(&b);
    sb_entry(&b, cat, e, flags);
    int rc = flush(&b, f);
    sb_free(&b);
    return rc;
}

/* Stream one run. */
int tt_run_write_json(const tt_catalyst *cat, const tt_run *r, FILE *f, unsigned flags)
{
    if (!cat || !r || !f)
        return -TT_EINVAL;
    sbuf b;
    sb_init(&b);
    int rc = 0;
    const char *nl = (flags & TT_JSON_PRETTY) ? "\n  " : "";
    sb_str(&b, "{\"status\": ");
    sb_json_str(&b, tt_run_status(r));
    if (r->has_trace) {
        sb_str(&b, ", \"start@\": ");
        sb_double(&b, r->start);
        sb_str(&b, ", \"sparkle_trace\": [");
        bool first = true;
        for (uint64_t k = 0; k < r->count && rc == 0; k++) {
            const tt_trace_entry *e = tt__trace_get(&cat->trace, r->first_seq + k);
            if (!e)
                continue; /* dropped by the trace ring */
            if (!first)
                sb_put(&b, ", ", 2);
            first = false;
            sb_str(&b, nl);
            sb_entry(&b, cat, e, flags);
            if (b.n > 64 * 1024)
                rc = flush(&b, f);
        }
        sb_str(&b, "]");
    }
    sb_str(&b, ", \"stop_condition\": [");
    for (size_t i = 0; i < r->n_stops; i++) {
        if (i)
            sb_put(&b, ", ", 2);
        sb_json_str(&b, r->stops[i]);
    }
    sb_str(&b, "]");
    if (r->met) {
        sb_printf(&b, ", \"contract_details\": {\"match_count\": %d, \"target_count\": %d, "
                      "\"matched_tonics\": {",
                  r->match_count, r->target_count);
        for (size_t i = 0; i < r->n_matched; i++) {
            if (i)
                sb_put(&b, ", ", 2);
            sb_json_str(&b, r->matched[i]);
            sb_str(&b, ": [");
            for (size_t j = 0; j < r->n_reasons[i]; j++) {
                if (j)
                    sb_put(&b, ", ", 2);
                sb_json_str(&b, r->reasons[i][j]);
            }
            sb_str(&b, "]");
        }
        sb_str(&b, "}}");
    }
    sb_str(&b, ", \"end@\": ");
    sb_double(&b, r->end);
    if (flags & TT_JSON_EXTENSIONS) {
        char tmp[64];
        tt_value a = TT_DOUBLE(r->vt_start), z = TT_DOUBLE(r->vt_end);
        tt_value_to_json(&a, tmp, sizeof tmp);
        sb_printf(&b, ", \"vt_start\": %s", tmp);
        tt_value_to_json(&z, tmp, sizeof tmp);
        sb_printf(&b, ", \"vt_end\": %s", tmp);
    }
    sb_str(&b, "}");
    if (rc == 0)
        rc = flush(&b, f);
    sb_free(&b);
    return rc;
}

/* The whole session as a JSON array of runs. */
int tt_session_write_json(const tt_catalyst *cat, FILE *f, unsigned flags)
{
    if (!cat || !f)
        return -TT_EINVAL;
    if (fputc('[', f) == EOF)
        return -TT_EIO;
    for (size_t i = 0; i < cat->n_runs; i++) {
        if (i && fputs(",\n", f) == EOF)
            return -TT_EIO;
        int rc = tt_run_write_json(cat, cat->runs[i], f, flags);
        if (rc < 0)
            return rc;
    }
    return fputs("]\n", f) == EOF ? -TT_EIO : 0;
}

/* "12 Door.ttsc__open("x") <- ttdb  closed -> open" */
size_t tt_entry_format(const tt_catalyst *cat, const tt_trace_entry *e, char *buf, size_t size)
{
    if (!cat || !e)
        return 0;
    sbuf b;
    sb_init(&b);
    sb_printf(&b, "%llu %s.%s(", (unsigned long long)tt_entry_seq(e), tt_entry_tonic_name(cat, e),
              tt_entry_sparkle_name(cat, e));
    for (size_t i = 0; i < e->nargs; i++) {
        if (i)
            sb_put(&b, ", ", 2);
        sb_value(&b, &e->args[i]);
    }
    const char *src = tt_entry_source_name(cat, e);
    const char *ssp = tt_entry_source_sparkle(cat, e);
    sb_str(&b, ") <- ");
    if (src)
        sb_printf(&b, "%s.%s", src, ssp);
    else
        sb_str(&b, ssp && *ssp ? ssp : "external");
    sb_printf(&b, "  %s -> %s", tt_entry_state_enter(cat, e), tt_entry_state_exit(cat, e));
    if (e->flags & TT_EF_CRASHED)
        sb_str(&b, "  [crashed]");
    else if (e->flags & TT_EF_DROPPED)
        sb_str(&b, "  [dropped]");
    else if (e->flags & TT_EF_IGNORED)
        sb_str(&b, "  [ignored]");
    else if (e->flags & TT_EF_NOHANDLER)
        sb_str(&b, "  [no handler]");
    const char *note = tt_entry_note(cat, e);
    if (note)
        sb_printf(&b, "  [note: %s]", note);
    size_t n = b.n;
    if (size) {
        size_t c = n < size - 1 ? n : size - 1;
        memcpy(buf, b.p, c);
        buf[c] = '\0';
    }
    sb_free(&b);
    return n;
}

/* A readable report of a run, like Python's stat_print. */
int tt_run_write_text(const tt_catalyst *cat, const tt_run *r, FILE *f)
{
    if (!cat || !r || !f)
        return -TT_EINVAL;
    fprintf(f, "run: %s, %llu sparkle%s, virtual time %g -> %g s, wall %.6f s\n",
            tt_run_status(r), (unsigned long long)r->count, r->count == 1 ? "" : "s",
            r->vt_start, r->vt_end, r->end - r->start);
    char line[4096];
    for (uint64_t k = 0; k < r->count; k++) {
        const tt_trace_entry *e = tt__trace_get(&cat->trace, r->first_seq + k);
        if (!e)
            continue;
        tt_entry_format(cat, e, line, sizeof line);
        fprintf(f, "  %s  (%.1f us)\n", line, (tt_entry_t_exit(e) - e->t_enter) * 1e6);
        for (int side = 0; side < 2; side++) {
            const tt_map *m = side ? tt_entry_probes_exit(e) : tt_entry_probes_enter(e);
            if (!m || !m->n)
                continue;
            sbuf b;
            sb_init(&b);
            sb_probes(&b, m);
            sb_put(&b, "", 0);
            b.p[b.n] = '\0';
            fprintf(f, "      probes at %s: %s\n", side ? "exit " : "enter", b.p);
            sb_free(&b);
        }
    }
    fputs("stop:", f);
    for (size_t i = 0; i < r->n_stops; i++)
        fprintf(f, "%s %s", i ? "," : "", r->stops[i]);
    fputc('\n', f);
    if (r->met)
        fprintf(f, "contract met: %d of %d\n", r->match_count, r->target_count);
    return ferror(f) ? -TT_EIO : 0;
}
