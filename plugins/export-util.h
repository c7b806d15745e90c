/*
 * export-util.h: helpers shared by the exporter plugins (not installed).
 *
 * export-util.c is compiled into every exporter module, so that a module
 * depends only on libtasktonic.  Names start with ttxp_; none is exported
 * from a module (the modules export only their descriptor).
 */
#ifndef TTDB_EXPORT_UTIL_H
#define TTDB_EXPORT_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* the *_unlocked stdio calls */
#endif
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ttdb-plugin.h"

/* A growable text buffer, reused across entries. */
typedef struct ttxp_buf {
    char *s;
    size_t len, cap;
} ttxp_buf;

void ttxp_buf_free(ttxp_buf *b);
/* Render v as JSON (tt_value_to_json) into b; returns b->s or NULL (no memory). */
const char *ttxp_value_json(ttxp_buf *b, const tt_value *v);
/* The entry's arguments as a JSON list, "[1, \"a\"]". */
const char *ttxp_args_json(ttxp_buf *b, const tt_trace_entry *e);
/* A probe snapshot as a JSON object; NULL map gives "" (not taken). */
const char *ttxp_map_json(ttxp_buf *b, const tt_map *m);

/* A buffered writer: exporters format into buf and hand it to stdio in
 * 64 KiB blocks (a million entries make per-call stdio overhead visible). */
typedef struct ttxp_out {
    FILE *f;
    size_t n;
    char buf[1 << 16];
} ttxp_out;

/* A writer on f (malloc'ed; NULL without memory). */
ttxp_out *ttxp_out_new(FILE *f);
/* Hand the buffered bytes to stdio. */
void ttxp_out_flush(ttxp_out *o);
/* Flush and free (NULL is fine). */
void ttxp_out_free(ttxp_out *o);

/* Write n bytes. */
static inline void ttxp_write(ttxp_out *o, const void *p, size_t n)
{
    if (n > sizeof o->buf - o->n) {
        ttxp_out_flush(o);
        if (n > sizeof o->buf) {
            fwrite(p, 1, n, o->f);
            return;
        }
    }
    memcpy(o->buf + o->n, p, n);
    o->n += n;
}
/* Write a C string. */
static inline void ttxp_puts(ttxp_out *o, const char *s)
{
    ttxp_write(o, s, strlen(s));
}
/* Write one byte. */
static inline void ttxp_putc(ttxp_out *o, int c)
{
    if (o->n == sizeof o->buf)
        ttxp_out_flush(o);
    o->buf[o->n++] = (char)c;
}

/* Write s as a JSON string literal (quotes included).  Control characters
 * are escaped; invalid UTF-8 bytes become U+FFFD so that the output is
 * always valid JSON. */
void ttxp_json_str(ttxp_out *f, const char *s);
/* Write a double for JSON (finite; NaN and infinities become 0). */
void ttxp_json_num(ttxp_out *f, double d);
/* Write integers in decimal. */
void ttxp_put_u64(ttxp_out *f, uint64_t v);
void ttxp_put_i64(ttxp_out *f, int64_t v);
/* Write v with exactly `decimals` (0..9) digits after the point. */
void ttxp_put_fixed(ttxp_out *f, double v, int decimals);

/* Walk every trace entry of ctx's runs in order: calls fn(ud, run index,
 * entry) for each entry still held by the trace (a trace ring may have
 * dropped old ones).  Stops early when fn returns non-zero (that value is
 * returned) or when writing to o has failed (-TT_EIO); o may be NULL. */
typedef int (*ttxp_entry_fn)(void *ud, size_t run, const tt_trace_entry *e);
int ttxp_walk(const ttdb_export_ctx *ctx, ttxp_out *o, ttxp_entry_fn fn, void *ud);

/* Options: whitespace-separated words "KEY=VALUE".  Each call takes the
 * next word from *p into key / val (val "" when the word has no '=');
 * returns false at the end.  Words longer than the buffers are cut. */
bool ttxp_opt_next(const char **p, char *key, size_t ksz, char *val, size_t vsz);
/* Read a yes/no option value (yes, no, true, false, on, off, 1, 0) into
 * *out; -TT_EINVAL with a message naming exporter and key otherwise. */
int ttxp_opt_bool(const char *name, const char *key, const char *val, bool *out,
                  tt_error *err);
/* Fill err for an unknown option key of exporter `name`, listing `valid`. */
int ttxp_opt_unknown(tt_error *err, const char *name, const char *key,
                     const char *valid);

/* Fill err (may be NULL) with code and a printf-style message; returns code. */
int ttxp_err(tt_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Flush o (may be NULL) and f: 0, or -TT_EIO with a message when writing
 * failed. */
int ttxp_finish(ttxp_out *o, FILE *f, const char *name, tt_error *err);

/* Tonic name by serial (the catalyst's table), "?" when unknown. */
const char *ttxp_tonic_name(const tt_catalyst *cat, uint32_t serial);

/* A small open-addressing map from uint64 keys to uint64 values. */
typedef struct ttxp_map {
    uint64_t *keys, *vals;
    size_t cap, n;           /* cap is 0 or a power of two */
} ttxp_map;

/* Set key to val; returns 0 or -TT_ENOMEM. */
int ttxp_map_put(ttxp_map *m, uint64_t key, uint64_t val);
/* Pointer to key's value, NULL when absent. */
uint64_t *ttxp_map_get(const ttxp_map *m, uint64_t key);
void ttxp_map_free(ttxp_map *m);

/* The key of a (tonic serial, sparkle name id) pair in a ttxp_map. */
static inline uint64_t ttxp_key(uint32_t tonic, uint32_t sparkle)
{
    return ((uint64_t)tonic << 32) | sparkle;
}

/* A name recognised by string once, then by its interned id. */
typedef struct ttxp_name {
    const char *text;
    int64_t id;              /* -1 until seen */
} ttxp_name;
#define TTXP_NAME(s) ((ttxp_name){(s), -1})
/* True when name id `id` of cat is n's text. */
static inline bool ttxp_is(ttxp_name *n, const tt_catalyst *cat, uint32_t id)
{
    if (n->id >= 0)
        return (int64_t)id == n->id;
    const char *s = tt_name(cat, id);
    if (s && strcmp(s, n->text) == 0) {
        n->id = id;
        return true;
    }
    return false;
}

/* Finds the entry that queued an order.  Feed every entry in order with
 * ttxp_src_note (after looking up its own source with ttxp_src_find). */
typedef struct ttxp_src {
    ttxp_map last;           /* ttxp_key(tonic, sparkle) -> latest seq */
    ttxp_map aux;            /* ttxp_key(tonic, sparkle) -> caller's value */
    int64_t on_finished;     /* name id of "_ttss__on_finished", -1 unknown */
} ttxp_src;

void ttxp_src_init(ttxp_src *s);
void ttxp_src_free(ttxp_src *s);
/* Remember e as the latest entry of its (tonic, sparkle), with a value of
 * the caller's (e.g. where it was drawn); 0 or -TT_ENOMEM. */
int ttxp_src_note(ttxp_src *s, const tt_catalyst *cat, const tt_trace_entry *e,
                  uint64_t aux);
/* The seq of the entry that queued e: the most recent entry noted so far
 * whose tonic is e's source tonic and whose sparkle is e's source sparkle
 * (its aux value into *aux when aux is not NULL).  A source sparkle
 * "finish" (the ttsc__finish that _ttss__on_finished sends to infusions)
 * maps to that tonic's latest `_ttss__on_finished`.  Returns 0 for extras
 * (they were not queued), external and timer sources, sources that are no
 * sparkle ("__init__", "__formula__"), or when not found. */
uint64_t ttxp_src_find(const ttxp_src *s, const tt_catalyst *cat,
                       const tt_trace_entry *e, uint64_t *aux);

#endif /* TTDB_EXPORT_UTIL_H */
