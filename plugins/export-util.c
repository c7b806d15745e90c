/*
 * export-util.c: what the exporter plugins share.
 *
 * JSON string escaping, value rendering into reusable buffers, the walk over
 * the entries of a range of runs, option words, error messages, a small
 * integer hash map and the lookup of the entry that queued an order.  Output
 * is formatted into a 64 KiB buffer handed to stdio a block at a time: a
 * million entries make the cost of every small stdio call visible.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "export-util.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------------- */
/* Buffers and values                                                     */
/* ---------------------------------------------------------------------- */

/* Free the buffer's memory. */
void ttxp_buf_free(ttxp_buf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

/* Make room for need bytes (terminator included). */
static bool buf_reserve(ttxp_buf *b, size_t need)
{
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s)
        return false;
    b->s = s;
    b->cap = cap;
    return true;
}

/* Render v as JSON into b. */
const char *ttxp_value_json(ttxp_buf *b, const tt_value *v)
{
    if (!buf_reserve(b, 64))
        return NULL;
    size_t n = tt_value_to_json(v, b->s, b->cap);
    if (n >= b->cap) {
        if (!buf_reserve(b, n + 1))
            return NULL;
        n = tt_value_to_json(v, b->s, b->cap);
    }
    b->len = n < b->cap ? n : b->cap - 1;
    b->s[b->len] = '\0';
    return b->s;
}

/* The entry's arguments as one JSON list. */
const char *ttxp_args_json(ttxp_buf *b, const tt_trace_entry *e)
{
    tt_list l = {e->nargs, e->args};
    tt_value v = {.type = TT_T_LIST, .u.list = &l};
    return ttxp_value_json(b, &v);
}

/* A probe snapshot as a JSON object, "" when none was taken. */
const char *ttxp_map_json(ttxp_buf *b, const tt_map *m)
{
    if (!m) {
        if (!buf_reserve(b, 1))
            return NULL;
        b->s[0] = '\0';
        b->len = 0;
        return b->s;
    }
    tt_value v = {.type = TT_T_MAP, .u.map = (tt_map *)m};
    return ttxp_value_json(b, &v);
}

/* ---------------------------------------------------------------------- */
/* JSON text                                                              */
/* ---------------------------------------------------------------------- */

/* A writer on f. */
ttxp_out *ttxp_out_new(FILE *f)
{
    ttxp_out *o = malloc(sizeof *o);
    if (o) {
        o->f = f;
        o->n = 0;
    }
    return o;
}

/* Hand the buffer to stdio. */
void ttxp_out_flush(ttxp_out *o)
{
    if (o->n)
        fwrite(o->buf, 1, o->n, o->f);
    o->n = 0;
}

/* Flush and free. */
void ttxp_out_free(ttxp_out *o)
{
    if (o) {
        ttxp_out_flush(o);
        free(o);
    }
}

/* Length of the well-formed UTF-8 sequence at s (1..4), 0 if ill-formed. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return (s[1] & 0xc0) == 0x80 ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        unsigned lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
        if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80)
            return 0;
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        unsigned lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
        if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80 ||
            (s[3] & 0xc0) != 0x80)
            return 0;
        return 4;
    }
    return 0;
}

/* Write s as a JSON string literal. */
void ttxp_json_str(ttxp_out *f, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    ttxp_putc(f, '"');
    while (*p) {
        const unsigned char *run = p;
        while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        if (p > run)
            ttxp_write(f, run, (size_t)(p - run));
        if (!*p)
            break;
        unsigned c = *p;
        if (c >= 0x80) {
            size_t n = utf8_len(p);
            if (n) {
                ttxp_write(f, p, n);
                p += n;
            } else {
                ttxp_puts(f, "\\ufffd");
                p++;
            }
            continue;
        }
        ttxp_putc(f, '\\');
        switch (c) {
        case '"': ttxp_putc(f, '"'); break;
        case '\\': ttxp_putc(f, '\\'); break;
        case '\n': ttxp_putc(f, 'n'); break;
        case '\r': ttxp_putc(f, 'r'); break;
        case '\t': ttxp_putc(f, 't'); break;
        case '\b': ttxp_putc(f, 'b'); break;
        case '\f': ttxp_putc(f, 'f'); break;
        default:
            ttxp_puts(f, "u00");
            ttxp_putc(f, hex[c >> 4]);
            ttxp_putc(f, hex[c & 15]);
        }
        p++;
    }
    ttxp_putc(f, '"');
}

/* Write a finite double. */
void ttxp_json_num(ttxp_out *f, double d)
{
    char b[40];
    if (!isfinite(d))
        d = 0;
    int n = snprintf(b, sizeof b, "%.17g", d);
    ttxp_write(f, b, (size_t)n);
}

/* Write an unsigned decimal. */
void ttxp_put_u64(ttxp_out *f, uint64_t v)
{
    char b[24];
    char *p = b + sizeof b;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    ttxp_write(f, p, (size_t)(b + sizeof b - p));
}

/* Write a signed decimal. */
void ttxp_put_i64(ttxp_out *f, int64_t v)
{
    if (v < 0) {
        ttxp_putc(f, '-');
        ttxp_put_u64(f, (uint64_t)0 - (uint64_t)v);
    } else {
        ttxp_put_u64(f, (uint64_t)v);
    }
}

/* Write v with exactly `decimals` digits after the point (0..9). */
void ttxp_put_fixed(ttxp_out *f, double v, int decimals)
{
    static const double pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    if (!isfinite(v))
        v = 0;
    double scaled = fabs(v) * pow10[decimals];
    if (scaled >= 9e15) { /* beyond exact integers: let printf do it */
        /* DBL_MAX has 309 integer digits: sign, point and 9 decimals fit. */
        char b[DBL_MAX_10_EXP + 16];
        int n = snprintf(b, sizeof b, "%.*f", decimals, v);
        if (n > 0)
            ttxp_write(f, b, (size_t)n < sizeof b ? (size_t)n : sizeof b - 1);
        return;
    }
    uint64_t u = (uint64_t)llround(scaled), p = (uint64_t)pow10[decimals];
    if (v < 0 && u)
        ttxp_putc(f, '-');
    ttxp_put_u64(f, u / p);
    if (decimals) {
        char b[12];
        uint64_t frac = u % p;
        for (int i = decimals - 1; i >= 0; i--) {
            b[i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        ttxp_putc(f, '.');
        ttxp_write(f, b, (size_t)decimals);
    }
}

/* ---------------------------------------------------------------------- */
/* Walking runs                                                           */
/* ---------------------------------------------------------------------- */

/* Call fn for every entry of ctx's runs. */
int ttxp_walk(const ttdb_export_ctx *ctx, ttxp_out *o, ttxp_entry_fn fn, void *ud)
{
    unsigned tick = 0;
    for (size_t k = 0; k < ctx->run_count; k++) {
        size_t ri = ctx->run_first + k;
        const tt_run *r = tt_run_at(ctx->cat, ri);
        if (!r || !tt_run_has_trace(r))
            continue;
        uint64_t first = tt_run_first_seq(r), n = tt_run_entry_count(r);
        for (uint64_t i = 0; i < n; i++) {
            const tt_trace_entry *e = tt_trace_get(ctx->cat, first + i);
            if (!e)
                continue; /* dropped by the trace ring */
            int rc = fn(ud, ri, e);
            if (rc)
                return rc;
            if (o && (++tick & 4095) == 0 && ferror(o->f))
                return -TT_EIO;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Options and errors                                                     */
/* ---------------------------------------------------------------------- */

/* Copy at most sz-1 bytes of [s, e) into out. */
static void copy_cut(char *out, size_t sz, const char *s, const char *e)
{
    size_t n = (size_t)(e - s);
    if (n >= sz)
        n = sz - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

/* Next option word. */
bool ttxp_opt_next(const char **p, char *key, size_t ksz, char *val, size_t vsz)
{
    const char *s = *p;
    if (!s)
        return false;
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    if (!*s) {
        *p = s;
        return false;
    }
    const char *w = s;
    while (*s && *s != ' ' && *s != '\t' && *s != '\n')
        s++;
    const char *eq = memchr(w, '=', (size_t)(s - w));
    copy_cut(key, ksz, w, eq ? eq : s);
    if (eq)
        copy_cut(val, vsz, eq + 1, s);
    else
        val[0] = '\0';
    *p = s;
    return true;
}

/* A yes/no option value. */
int ttxp_opt_bool(const char *name, const char *key, const char *val, bool *out,
                  tt_error *err)
{
    static const char *const yes[] = {"yes", "true", "on", "1"};
    static const char *const no[] = {"no", "false", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(val, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(val, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return ttxp_err(err, -TT_EINVAL, "%s exporter: option %s=%s: say %s=yes or %s=no",
                    name, key, val, key, key);
}

/* Message for an unknown option. */
int ttxp_opt_unknown(tt_error *err, const char *name, const char *key,
                     const char *valid)
{
    return ttxp_err(err, -TT_EINVAL, "%s exporter: unknown option '%s' (options: %s)",
                    name, key, valid);
}

/* Fill err. */
int ttxp_err(tt_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
        err->line = err->column = 0;
    }
    return code;
}

/* Flush and report a write error. */
int ttxp_finish(ttxp_out *o, FILE *f, const char *name, tt_error *err)
{
    if (o)
        ttxp_out_flush(o);
    if (fflush(f) != 0 || ferror(f)) {
        int e = errno ? errno : EIO;
        return ttxp_err(err, -TT_EIO, "%s exporter: write failed: %s", name,
                        strerror(e));
    }
    return 0;
}

/* Tonic name by serial. */
const char *ttxp_tonic_name(const tt_catalyst *cat, uint32_t serial)
{
    tt_catalyst *c = (tt_catalyst *)cat; /* tt_tonic_at only reads */
    tt_tonic *t = serial < tt_tonic_count(cat) ? tt_tonic_at(c, serial) : NULL;
    const char *n = t ? tt_tonic_name(t) : NULL;
    return n ? n : "?";
}

/* ---------------------------------------------------------------------- */
/* Hash map                                                               */
/* ---------------------------------------------------------------------- */

#define EMPTY_KEY UINT64_MAX

/* Slot of key in a table of cap (power of two) slots. */
static size_t slot_of(uint64_t key, size_t cap)
{
    uint64_t h = key * 0x9e3779b97f4a7c15ull;
    return (size_t)(h >> 17) & (cap - 1);
}

/* Double the table. */
static int map_grow(ttxp_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    uint64_t *k = malloc(cap * sizeof *k), *v = malloc(cap * sizeof *v);
    if (!k || !v) {
        free(k);
        free(v);
        return -TT_ENOMEM;
    }
    for (size_t i = 0; i < cap; i++)
        k[i] = EMPTY_KEY;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] == EMPTY_KEY)
            continue;
        size_t j = slot_of(m->keys[i], cap);
        while (k[j] != EMPTY_KEY)
            j = (j + 1) & (cap - 1);
        k[j] = m->keys[i];
        v[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = k;
    m->vals = v;
    m->cap = cap;
    return 0;
}

/* Set key to val. */
int ttxp_map_put(ttxp_map *m, uint64_t key, uint64_t val)
{
    uint64_t *p = ttxp_map_get(m, key);
    if (p) {
        *p = val;
        return 0;
    }
    if ((m->n + 1) * 4 > m->cap * 3 && map_grow(m) < 0)
        return -TT_ENOMEM;
    size_t j = slot_of(key, m->cap);
    while (m->keys[j] != EMPTY_KEY)
        j = (j + 1) & (m->cap - 1);
    m->keys[j] = key;
    m->vals[j] = val;
    m->n++;
    return 0;
}

/* Pointer to key's value or NULL. */
uint64_t *ttxp_map_get(const ttxp_map *m, uint64_t key)
{
    if (!m->cap)
        return NULL;
    size_t j = slot_of(key, m->cap);
    while (m->keys[j] != EMPTY_KEY) {
        if (m->keys[j] == key)
            return &m->vals[j];
        j = (j + 1) & (m->cap - 1);
    }
    return NULL;
}

/* Free the map. */
void ttxp_map_free(ttxp_map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------------- */
/* Sources                                                                */
/* ---------------------------------------------------------------------- */

/* Start with nothing seen. */
void ttxp_src_init(ttxp_src *s)
{
    memset(s, 0, sizeof *s);
    s->on_finished = -1;
}

/* Free the tracker. */
void ttxp_src_free(ttxp_src *s)
{
    ttxp_map_free(&s->last);
    ttxp_map_free(&s->aux);
}

/* Remember e as the latest entry of its tonic and sparkle. */
int ttxp_src_note(ttxp_src *s, const tt_catalyst *cat, const tt_trace_entry *e,
                  uint64_t aux)
{
    if (s->on_finished < 0 && strcmp(tt_name(cat, e->sparkle), "_ttss__on_finished") == 0)
        s->on_finished = e->sparkle;
    uint64_t key = ttxp_key(e->tonic, e->sparkle);
    if (ttxp_map_put(&s->last, key, tt_entry_seq(e)) < 0 || ttxp_map_put(&s->aux, key, aux) < 0)
        return -TT_ENOMEM;
    return 0;
}

/* The seq of the entry that queued e, 0 when there is none to show. */
uint64_t ttxp_src_find(const ttxp_src *s, const tt_catalyst *cat,
                       const tt_trace_entry *e, uint64_t *aux)
{
    if ((e->flags & TT_EF_EXTRA) || e->src_obj == TT_SRC_NONE ||
        (e->src_obj & TT_SRC_TIMER))
        return 0;
    uint64_t key = ttxp_key(e->src_obj, e->src_sparkle);
    const uint64_t *v = ttxp_map_get(&s->last, key);
    if (!v && s->on_finished >= 0 && strcmp(tt_name(cat, e->src_sparkle), "finish") == 0) {
        key = ttxp_key(e->src_obj, (uint32_t)s->on_finished);
        v = ttxp_map_get(&s->last, key);
    }
    if (!v)
        return 0;
    if (aux) {
        const uint64_t *a = ttxp_map_get(&s->aux, key);
        *aux = a ? *a : 0;
    }
    return *v;
}
