/*
 * contract.c: Distiller contracts, parsed from JSON or built in C.
 *
 * A contract is the Python Distiller's dictionary written as JSON:
 *
 *   { "timeout": 5, "stop_match_count": "all",
 *     "till_state_in": [...], "till_sparkle_in": [...], "probes": [...],
 *     "tonics": { "Door": { "till_state_in": [...], "till_sparkle_in": [...],
 *                           "probes": [...], "stop_on_probe": {"p": 1} } } }
 *
 * Validation is strict, because in Python a mistyped key is silently
 * ignored and a test then passes or hangs for the wrong reason.  Every
 * error is one line `ORIGIN:LINE:COLUMN: what`, naming the key path and,
 * for an unknown key, the nearest valid one.  jansson does not keep
 * positions, so a small scanner (locate) walks the raw text again to find
 * the line and column of the offending key or value.
 *
 * The parsed form is struct tt_contract (tt-contract.h); every list keeps
 * the order of the text (jansson objects iterate in insertion order).
 */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasktonic.h"
#include "tt-alloc.h"
#include "tt-contract.h"

#ifndef TT__INTERNAL /* as in tt-int.h: not exported from the library */
#if defined(__GNUC__)
#define TT__INTERNAL __attribute__((visibility("hidden")))
#else
#define TT__INTERNAL
#endif
#endif

/* Internal helpers from value-parse.c (the prototypes belong in tt-int.h). */
TT__INTERNAL int tt__value_from_json(const json_t *j, tt_value *out);
TT__INTERNAL void tt__one_line(char *msg);
TT__INTERNAL void tt__quote(const char *text, char *buf, size_t size);

/* Room for one tt__quote result. */
#define QUOTED 400
/* Largest contract file tt_contract_load reads. */
#define MAX_FILE (64u << 20)
/* Deepest key path the validator builds (tonics.NAME.KEY[i]). */
#define MAX_PATH 6

static const char *const top_keys[] = {"timeout",       "stop_match_count",
                                       "till_state_in", "till_sparkle_in",
                                       "probes",        "tonics"};
static const char *const tonic_keys[] = {"till_state_in", "till_sparkle_in",
                                         "probes", "stop_on_probe"};

/* ===================================================================== */
/* String lists and the contract structure                               */
/* ===================================================================== */

/* Append a copy of s. */
static int strlist_add(tt_strlist *l, const char *s)
{
    char *copy = strdup(s);
    char **v;
    if (!copy)
        return -TT_ENOMEM;
    v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v) {
        free(copy);
        return -TT_ENOMEM;
    }
    v[l->n++] = copy;
    l->v = v;
    return 0;
}

/* Free the strings and the array. */
static void strlist_free(tt_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Free what one tonic entry owns. */
static void tonic_free(tt_contract_tonic *t)
{
    free(t->name);
    strlist_free(&t->till_state_in);
    strlist_free(&t->till_sparkle_in);
    strlist_free(&t->probes);
    for (size_t i = 0; i < t->sop_names.n; i++)
        tt_value_clear(&t->sop_values[i]);
    free(t->sop_values);
    strlist_free(&t->sop_names);
}

/* Free a contract and everything it owns (NULL is fine). */
void tt_contract_free(tt_contract *c)
{
    if (!c)
        return;
    strlist_free(&c->till_state_in);
    strlist_free(&c->till_sparkle_in);
    strlist_free(&c->probes);
    for (size_t i = 0; i < c->n_tonics; i++)
        tonic_free(&c->tonics[i]);
    free(c->tonics);
    free(c);
}

/* A new empty contract: no conditions, stop_match_count 1. */
tt_contract *tt_contract_new(void)
{
    tt_contract *c = calloc(1, sizeof *c);
    if (c)
        c->stop_match_count = 1;
    return c;
}

/* Append a new entry for tonic `name`; NULL when out of memory. */
static tt_contract_tonic *tonic_append(tt_contract *c, const char *name)
{
    tt_contract_tonic *t = realloc(c->tonics, (c->n_tonics + 1) * sizeof *t);

    if (!t)
        return NULL;
    c->tonics = t;
    t = &c->tonics[c->n_tonics];
    memset(t, 0, sizeof *t);
    if (!(t->name = strdup(name)))
        return NULL;
    c->n_tonics++;
    return t;
}

/* The entry of tonic `name`, created at the end when missing; NULL when out
 * of memory. */
static tt_contract_tonic *tonic_get(tt_contract *c, const char *name)
{
    for (size_t i = 0; i < c->n_tonics; i++)
        if (strcmp(c->tonics[i].name, name) == 0)
            return &c->tonics[i];
    return tonic_append(c, name);
}

/* Append stop_on_probe[probe] = copy of value (probe not there yet). */
static int sop_append(tt_contract_tonic *t, const char *probe, const tt_value *value)
{
    tt_value *vals = realloc(t->sop_values, (t->sop_names.n + 1) * sizeof *vals);
    int rc;

    if (!vals)
        return -TT_ENOMEM;
    t->sop_values = vals;
    if ((rc = tt_value_copy(&vals[t->sop_names.n], value)) < 0)
        return rc;
    if ((rc = strlist_add(&t->sop_names, probe)) < 0) {
        tt_value_clear(&vals[t->sop_names.n]);
        return rc;
    }
    return 0;
}

/* Set (or replace) stop_on_probe[probe] = copy of value. */
static int sop_set(tt_contract_tonic *t, const char *probe, const tt_value *value)
{
    for (size_t i = 0; i < t->sop_names.n; i++) {
        if (strcmp(t->sop_names.v[i], probe) == 0) {
            tt_value copy;
            int rc = tt_value_copy(&copy, value);
            if (rc < 0)
                return rc;
            tt_value_clear(&t->sop_values[i]);
            t->sop_values[i] = copy;
            return 0;
        }
    }
    return sop_append(t, probe, value);
}

/* ===================================================================== */
/* Builders                                                              */
/* ===================================================================== */

/* The run's timeout in seconds (finite, >= 0). */
int tt_contract_set_timeout(tt_contract *c, double seconds)
{
    if (!c || !(seconds >= 0) || isinf(seconds))
        return -TT_EINVAL;
    c->has_timeout = true;
    c->timeout = seconds;
    return 0;
}

/* How many named tonics must match: n >= 1, or TT_MATCH_ALL. */
int tt_contract_set_match_count(tt_contract *c, int n)
{
    if (!c || (n < 1 && n != TT_MATCH_ALL))
        return -TT_EINVAL;
    c->stop_match_count = n;
    return 0;
}

/* Add a probe to the global list (tonic NULL) or to a tonic's own list. */
int tt_contract_add_probe(tt_contract *c, const char *tonic, const char *probe)
{
    tt_contract_tonic *t;
    if (!c || !probe)
        return -TT_EINVAL;
    if (!tonic)
        return strlist_add(&c->probes, probe);
    if (!(t = tonic_get(c, tonic)))
        return -TT_ENOMEM;
    t->has_probes = true;
    return strlist_add(&t->probes, probe);
}

/* Add a till_state_in state, globally (tonic NULL) or for one tonic. */
int tt_contract_add_till_state(tt_contract *c, const char *tonic,
                               const char *state)
{
    tt_contract_tonic *t;
    if (!c || !state)
        return -TT_EINVAL;
    if (!tonic) {
        c->has_till_state = true;
        return strlist_add(&c->till_state_in, state);
    }
    if (!(t = tonic_get(c, tonic)))
        return -TT_ENOMEM;
    t->has_till_state = true;
    return strlist_add(&t->till_state_in, state);
}

/* Add a till_sparkle_in sparkle name, globally (tonic NULL) or per tonic. */
int tt_contract_add_till_sparkle(tt_contract *c, const char *tonic,
                                 const char *sparkle)
{
    tt_contract_tonic *t;
    if (!c || !sparkle)
        return -TT_EINVAL;
    if (!tonic) {
        c->has_till_sparkle = true;
        return strlist_add(&c->till_sparkle_in, sparkle);
    }
    if (!(t = tonic_get(c, tonic)))
        return -TT_ENOMEM;
    t->has_till_sparkle = true;
    return strlist_add(&t->till_sparkle_in, sparkle);
}

/* Stop when tonic's probe equals value (copied).  Only per tonic: tonic
 * NULL is -TT_EINVAL.  Setting a probe again replaces its value. */
int tt_contract_add_stop_on_probe(tt_contract *c, const char *tonic,
                                  const char *probe, const tt_value *value)
{
    tt_contract_tonic *t;
    if (!c || !tonic || !probe || !value)
        return -TT_EINVAL;
    if (!(t = tonic_get(c, tonic)))
        return -TT_ENOMEM;
    return sop_set(t, probe, value);
}

/* ===================================================================== */
/* Writing                                                               */
/* ===================================================================== */

/* Write a value as JSON (as json.dumps would) to f. */
static void write_value(FILE *f, const tt_value *v)
{
    char small[256];
    size_t need = tt_value_to_json(v, small, sizeof small);
    if (need < sizeof small) {
        fputs(small, f);
    } else {
        char *big = malloc(need + 1);
        if (big) {
            tt_value_to_json(v, big, need + 1);
            fputs(big, f);
            free(big);
        }
    }
}

/* Write a JSON string literal. */
static void write_string(FILE *f, const char *s)
{
    write_value(f, &TT_STR((char *)s));
}

/* Write `"key": [..]` with a leading separator when not first. */
static void write_list(FILE *f, bool *first, const char *key, const tt_strlist *l)
{
    fputs(*first ? "" : ", ", f);
    *first = false;
    write_string(f, key);
    fputs(": [", f);
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            fputs(", ", f);
        write_string(f, l->v[i]);
    }
    fputc(']', f);
}

/* The contract as JSON text in the order of tt-contract.h, with json.dumps'
 * separators; malloc'ed, NULL when out of memory. */
char *tt_contract_to_json(const tt_contract *c)
{
    char *buf = NULL;
    size_t size = 0;
    bool first = true;
    FILE *f;

    if (!c)
        return NULL;
    if (!(f = open_memstream(&buf, &size)))
        return NULL;
    fputc('{', f);
    if (c->has_timeout) {
        first = false;
        fputs("\"timeout\": ", f);
        write_value(f, &TT_DOUBLE(c->timeout));
    }
    if (c->stop_match_count != 1) {
        fputs(first ? "" : ", ", f);
        first = false;
        if (c->stop_match_count == TT_MATCH_ALL)
            fputs("\"stop_match_count\": \"all\"", f);
        else
            fprintf(f, "\"stop_match_count\": %d", c->stop_match_count);
    }
    if (c->has_till_state)
        write_list(f, &first, "till_state_in", &c->till_state_in);
    if (c->has_till_sparkle)
        write_list(f, &first, "till_sparkle_in", &c->till_sparkle_in);
    if (c->probes.n)
        write_list(f, &first, "probes", &c->probes);
    if (c->n_tonics) {
        fputs(first ? "\"tonics\": {" : ", \"tonics\": {", f);
        for (size_t i = 0; i < c->n_tonics; i++) {
            const tt_contract_tonic *t = &c->tonics[i];
            bool tfirst = true;
            if (i)
                fputs(", ", f);
            write_string(f, t->name);
            fputs(": {", f);
            if (t->has_till_state)
                write_list(f, &tfirst, "till_state_in", &t->till_state_in);
            if (t->has_till_sparkle)
                write_list(f, &tfirst, "till_sparkle_in", &t->till_sparkle_in);
            if (t->has_probes)
                write_list(f, &tfirst, "probes", &t->probes);
            if (t->sop_names.n) {
                fputs(tfirst ? "\"stop_on_probe\": {" : ", \"stop_on_probe\": {", f);
                for (size_t j = 0; j < t->sop_names.n; j++) {
                    if (j)
                        fputs(", ", f);
                    write_string(f, t->sop_names.v[j]);
                    fputs(": ", f);
                    write_value(f, &t->sop_values[j]);
                }
                fputc('}', f);
            }
            fputc('}', f);
        }
        fputc('}', f);
    }
    fputc('}', f);
    if (ferror(f)) {
        fclose(f);
        free(buf);
        return NULL;
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* ===================================================================== */
/* Locating a key path in the raw text                                   */
/* ===================================================================== */

/* One step of a key path: an object key, or an array index (key NULL). */
typedef struct step {
    const char *key;
    size_t index;
} step;

typedef struct keypath {
    step s[MAX_PATH];
    int n;
} keypath;

/* The scanner's view of the text. */
typedef struct scan {
    const char *t;
    size_t len;
} scan;

/* Skip blanks. */
static size_t skip_ws(const scan *sc, size_t p)
{
    while (p < sc->len && (sc->t[p] == ' ' || sc->t[p] == '\t' ||
                           sc->t[p] == '\n' || sc->t[p] == '\r'))
        p++;
    return p;
}

/* p at a '"': the position after the closing quote (or len). */
static size_t skip_string(const scan *sc, size_t p)
{
    for (p++; p < sc->len; p++) {
        if (sc->t[p] == '\\')
            p++;
        else if (sc->t[p] == '"')
            return p + 1;
    }
    return sc->len;
}

/* p at the start of a value: the position after it (or len). */
static size_t skip_value(const scan *sc, size_t p)
{
    size_t depth = 0;

    if (p >= sc->len)
        return sc->len;
    if (sc->t[p] != '{' && sc->t[p] != '[' && sc->t[p] != '"') {
        while (p < sc->len && (sc->t[p] == '\0' || !strchr(",]} \t\r\n", sc->t[p])))
            p++;
        return p;
    }
    while (p < sc->len) {
        char ch = sc->t[p];
        if (ch == '"') {
            p = skip_string(sc, p);
            if (depth == 0)
                return p;
            continue;
        }
        if (ch == '{' || ch == '[')
            depth++;
        else if ((ch == '}' || ch == ']') && --depth == 0)
            return p + 1;
        p++;
    }
    return sc->len;
}

/* Value of one hex digit, -1 if none. */
static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Four hex digits at t[p..p+4), or -1. */
static long hex4(const scan *sc, size_t p)
{
    long v = 0;
    if (p + 4 > sc->len)
        return -1;
    for (int i = 0; i < 4; i++) {
        int h = hexval(sc->t[p + (size_t)i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Append the UTF-8 form of cp. */
static char *put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xc0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xe0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *o++ = (char)(0xf0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    }
    return o;
}

/* Decode the string literal at p (a '"') into a malloc'ed C string; *after
 * gets the position after it.  NULL when out of memory. */
static char *decode_string(const scan *sc, size_t p, size_t *after)
{
    size_t end = skip_string(sc, p);
    char *buf = malloc(end - p + 1), *o = buf;

    *after = end;
    if (!buf)
        return NULL;
    for (p++; p < end && sc->t[p] != '"'; p++) {
        char ch = sc->t[p];
        if (ch != '\\') {
            *o++ = ch;
            continue;
        }
        if (++p >= end)
            break;
        switch (sc->t[p]) {
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            long cp = hex4(sc, p + 1);
            if (cp < 0)
                break;
            p += 4;
            if (cp >= 0xd800 && cp <= 0xdbff && p + 6 < sc->len &&
                sc->t[p + 1] == '\\' && sc->t[p + 2] == 'u') {
                long lo = hex4(sc, p + 3);
                if (lo >= 0xdc00 && lo <= 0xdfff) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    p += 6;
                }
            }
            o = put_utf8(o, (unsigned long)cp);
            break;
        }
        default: /* \" \\ \/ */
            *o++ = sc->t[p];
            break;
        }
    }
    *o = '\0';
    return buf;
}

/* Find the position of the last step of path in the text: the key itself
 * (want_key) or its value.  The path's own keys are assumed unique per
 * object (duplicates are rejected by the parser).  Returns false when the
 * text does not have it. */
static bool locate(const scan *sc, const keypath *path, bool want_key,
                   size_t *out)
{
    size_t p = skip_ws(sc, 0);

    for (int i = 0; i < path->n; i++) {
        const step *st = &path->s[i];
        bool last = i == path->n - 1;
        if (st->key) {
            bool found = false;
            if (p >= sc->len || sc->t[p] != '{')
                return false;
            p = skip_ws(sc, p + 1);
            while (!found && p < sc->len && sc->t[p] == '"') {
                size_t kpos = p, after;
                char *key = decode_string(sc, p, &after);
                if (!key)
                    return false;
                found = strcmp(key, st->key) == 0;
                free(key);
                p = skip_ws(sc, after);
                if (p >= sc->len || sc->t[p] != ':')
                    return false;
                p = skip_ws(sc, p + 1);
                if (found) {
                    if (last && want_key) {
                        *out = kpos;
                        return true;
                    }
                    break;
                }
                p = skip_ws(sc, skip_value(sc, p));
                if (p < sc->len && sc->t[p] == ',')
                    p = skip_ws(sc, p + 1);
            }
            if (!found)
                return false;
        } else {
            if (p >= sc->len || sc->t[p] != '[')
                return false;
            p = skip_ws(sc, p + 1);
            for (size_t j = 0; j < st->index; j++) {
                p = skip_ws(sc, skip_value(sc, p));
                if (p >= sc->len || sc->t[p] != ',')
                    return false;
                p = skip_ws(sc, p + 1);
            }
            if (p >= sc->len || sc->t[p] == ']')
                return false;
        }
    }
    *out = p;
    return true;
}

/* 1-based line and column (in characters) of byte position pos. */
static void line_col(const scan *sc, size_t pos, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < pos && i < sc->len; i++) {
        unsigned char ch = (unsigned char)sc->t[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xc0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* ===================================================================== */
/* Validation                                                            */
/* ===================================================================== */

/* What the parser carries along. */
typedef struct pctx {
    scan sc;
    const char *origin;
    tt_error *err;
    keypath path;
} pctx;

/* Push / pop one step of the key path. */
static void push_key(pctx *x, const char *key)
{
    if (x->path.n < MAX_PATH)
        x->path.s[x->path.n] = (step){key, 0};
    x->path.n++;
}
static void push_index(pctx *x, size_t i)
{
    if (x->path.n < MAX_PATH)
        x->path.s[x->path.n] = (step){NULL, i};
    x->path.n++;
}
static void pop(pctx *x)
{
    x->path.n--;
}

/* The key path as text: tonics.Door.till_state_in[1] (long names cut). */
static void path_text(const keypath *path, int n, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && i < MAX_PATH; i++) {
        const step *st = &path->s[i];
        int w;
        if (st->key)
            w = snprintf(buf + len, size - len, "%s%.60s%s", i ? "." : "",
                         st->key, strlen(st->key) > 60 ? "..." : "");
        else
            w = snprintf(buf + len, size - len, "[%zu]", st->index);
        if (w < 0 || (size_t)w >= size - len)
            break;
        len += (size_t)w;
    }
}

/* Report an error at the current path, pointing at its key (at_key) or at
 * its value: "ORIGIN:LINE:COLUMN: message". */
static int fail(pctx *x, bool at_key, const char *fmt, ...)
{
    char what[400];
    size_t pos = 0;
    int line = 0, col = 0;
    va_list ap;
    keypath p = x->path;

    if (p.n > MAX_PATH)
        p.n = MAX_PATH;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (locate(&x->sc, &p, at_key, &pos))
        line_col(&x->sc, pos, &line, &col);
    if (x->err) {
        x->err->code = -TT_ECONTRACT;
        x->err->line = line;
        x->err->column = col;
        if (line)
            snprintf(x->err->msg, sizeof x->err->msg, "%s:%d:%d: %s",
                     x->origin, line, col, what);
        else
            snprintf(x->err->msg, sizeof x->err->msg, "%s: %s", x->origin, what);
        tt__one_line(x->err->msg);
    }
    return -TT_ECONTRACT;
}

/* Report running out of memory. */
static int fail_nomem(pctx *x)
{
    if (x->err) {
        x->err->code = -TT_ENOMEM;
        x->err->line = x->err->column = 0;
        snprintf(x->err->msg, sizeof x->err->msg, "%s: out of memory", x->origin);
    }
    return -TT_ENOMEM;
}

/* A short description of a JSON value for "got ...". */
static void describe(const json_t *j, char *buf, size_t size)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        snprintf(buf, size, "an object");
        break;
    case JSON_ARRAY:
        snprintf(buf, size, "a list");
        break;
    case JSON_STRING:
        tt__quote(json_string_value(j), buf, size);
        break;
    case JSON_INTEGER:
        snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
        break;
    case JSON_REAL:
        tt_value_to_json(&TT_DOUBLE(json_real_value(j)), buf, size);
        break;
    case JSON_TRUE:
        snprintf(buf, size, "true");
        break;
    case JSON_FALSE:
        snprintf(buf, size, "false");
        break;
    default:
        snprintf(buf, size, "null");
        break;
    }
}

/* "must be ..., got ..." for the value at the current path. */
static int fail_type(pctx *x, const json_t *got, const char *expected,
                     const char *hint)
{
    char where[300], desc[QUOTED];
    path_text(&x->path, x->path.n, where, sizeof where);
    describe(got, desc, sizeof desc);
    return fail(x, false, "%s must be %s, got %s%s", where, expected, desc,
                hint ? hint : "");
}

/* Whether key is one of keys[0..n). */
static bool in_list(const char *key, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(key, keys[i]) == 0)
            return true;
    return false;
}

/* "unknown key" at the current path (whose last step is the key), with the
 * nearest valid key, or a hint when the key belongs to the other level or
 * looks like a tonic name written outside "tonics". */
static int fail_unknown_key(pctx *x, const char *key, const json_t *val, bool top)
{
    const char *const *keys = top ? top_keys : tonic_keys;
    size_t n = top ? TT_COUNTOF(top_keys) : TT_COUNTOF(tonic_keys);
    const char *best = tt_suggest(key, keys, n);
    char where[300], qkey[QUOTED], hint[QUOTED + 32] = "";

    path_text(&x->path, x->path.n - 1, where, sizeof where);
    tt__quote(key, qkey, sizeof qkey);
    if (top && in_list(key, tonic_keys, TT_COUNTOF(tonic_keys))) {
        snprintf(hint, sizeof hint, " (it belongs in tonics.NAME)");
    } else if (!top && in_list(key, top_keys, TT_COUNTOF(top_keys))) {
        snprintf(hint, sizeof hint, " (only allowed at the top level)");
    } else if (best) {
        char qbest[QUOTED];
        tt__quote(best, qbest, sizeof qbest);
        snprintf(hint, sizeof hint, " (did you mean %s?)", qbest);
    } else if (top && json_is_object(val)) {
        snprintf(hint, sizeof hint, " (rules for a tonic go in \"tonics\")");
    }
    return fail(x, true, "unknown key %s in %s%s", qkey, top ? "contract" : where,
                hint);
}

/* A string or a list of strings (a string is wrapped into a list). */
static int read_strlist(pctx *x, const json_t *j, tt_strlist *out,
                        bool allow_string)
{
    size_t i;
    json_t *item;

    if (json_is_string(j))
        return allow_string ? (strlist_add(out, json_string_value(j)) < 0
                                   ? fail_nomem(x)
                                   : 0)
                            : fail_type(x, j, "a list of strings",
                                        " (write it in [...])");
    if (!json_is_array(j))
        return fail_type(x, j,
                         allow_string ? "a string or a list of strings"
                                      : "a list of strings",
                         NULL);
    json_array_foreach(j, i, item) {
        int rc = 0;
        push_index(x, i);
        if (!json_is_string(item))
            rc = fail_type(x, item, "a string", NULL);
        else if (strlist_add(out, json_string_value(item)) < 0)
            rc = fail_nomem(x);
        pop(x);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* stop_on_probe: an object probe -> value. */
static int read_stop_on_probe(pctx *x, const json_t *j, tt_contract_tonic *t)
{
    const char *probe;
    json_t *val;

    if (!json_is_object(j))
        return fail_type(x, j, "an object (probe name -> value)", NULL);
    json_object_foreach((json_t *)j, probe, val) {
        tt_value v;
        int rc;
        if (tt__value_from_json(val, &v) < 0)
            return fail_nomem(x);
        rc = sop_append(t, probe, &v); /* keys are unique in the text */
        tt_value_clear(&v);
        if (rc < 0)
            return fail_nomem(x);
    }
    return 0;
}

/* One entry of "tonics". */
static int read_tonic(pctx *x, const char *name, const json_t *j, tt_contract *c)
{
    tt_contract_tonic *t;
    const char *key;
    json_t *val;

    if (!json_is_object(j))
        return fail_type(x, j, "an object (till_state_in, till_sparkle_in, "
                               "probes, stop_on_probe)", NULL);
    if (!(t = tonic_append(c, name))) /* names are unique in the text */
        return fail_nomem(x);
    json_object_foreach((json_t *)j, key, val) {
        int rc;
        push_key(x, key);
        if (strcmp(key, "till_state_in") == 0) {
            t->has_till_state = true;
            rc = read_strlist(x, val, &t->till_state_in, true);
        } else if (strcmp(key, "till_sparkle_in") == 0) {
            t->has_till_sparkle = true;
            rc = read_strlist(x, val, &t->till_sparkle_in, true);
        } else if (strcmp(key, "probes") == 0) {
            t->has_probes = true;
            rc = read_strlist(x, val, &t->probes, false);
        } else if (strcmp(key, "stop_on_probe") == 0) {
            rc = read_stop_on_probe(x, val, t);
        } else {
            rc = fail_unknown_key(x, key, val, false);
        }
        pop(x);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* stop_match_count: a positive integer or "all". */
static int read_match_count(pctx *x, const json_t *j, tt_contract *c)
{
    static const char *const all[] = {"all"};
    const char *expected = "a positive integer or \"all\"";

    if (json_is_integer(j) && json_integer_value(j) >= 1 &&
        json_integer_value(j) <= INT_MAX) {
        c->stop_match_count = (int)json_integer_value(j);
        return 0;
    }
    if (json_is_string(j)) {
        if (strcmp(json_string_value(j), "all") == 0) {
            c->stop_match_count = TT_MATCH_ALL;
            return 0;
        }
        if (tt_suggest(json_string_value(j), all, 1))
            return fail_type(x, j, expected, " (did you mean \"all\"?)");
    }
    return fail_type(x, j, expected, NULL);
}

/* The top-level object. */
static int read_contract(pctx *x, const json_t *root, tt_contract *c)
{
    const char *key;
    json_t *val;

    if (!json_is_object(root)) {
        char desc[QUOTED];
        describe(root, desc, sizeof desc);
        return fail(x, false, "a contract must be a JSON object, got %s", desc);
    }
    json_object_foreach((json_t *)root, key, val) {
        int rc = 0;
        push_key(x, key);
        if (strcmp(key, "timeout") == 0) {
            if (!json_is_number(val) || !(json_number_value(val) >= 0))
                rc = fail_type(x, val, "a number of seconds >= 0", NULL);
            else
                rc = tt_contract_set_timeout(c, json_number_value(val));
        } else if (strcmp(key, "stop_match_count") == 0) {
            rc = read_match_count(x, val, c);
        } else if (strcmp(key, "till_state_in") == 0) {
            c->has_till_state = true;
            rc = read_strlist(x, val, &c->till_state_in, true);
        } else if (strcmp(key, "till_sparkle_in") == 0) {
            c->has_till_sparkle = true;
            rc = read_strlist(x, val, &c->till_sparkle_in, true);
        } else if (strcmp(key, "probes") == 0) {
            rc = read_strlist(x, val, &c->probes, false);
        } else if (strcmp(key, "tonics") == 0) {
            const char *name;
            json_t *tv;
            if (!json_is_object(val))
                rc = fail_type(x, val, "an object (tonic name -> rules)", NULL);
            else
                json_object_foreach(val, name, tv) {
                    push_key(x, name);
                    rc = read_tonic(x, name, tv, c);
                    pop(x);
                    if (rc < 0)
                        break;
                }
        } else {
            rc = fail_unknown_key(x, key, val, true);
        }
        pop(x);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ===================================================================== */
/* Parsing                                                               */
/* ===================================================================== */

/* Parse len bytes of JSON text (see tt_contract_parse). */
static int parse_text(const char *text, size_t len, const char *origin,
                      tt_contract **out, tt_error *err)
{
    pctx x = {.sc = {text, len}, .origin = origin, .err = err};
    json_error_t jerr;
    json_t *root;
    tt_contract *c;
    int rc;

    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (err) {
            err->code = -TT_EJSON;
            err->line = jerr.line > 0 ? jerr.line : 1;
            err->column = jerr.column > 0 ? jerr.column : 1;
            snprintf(err->msg, sizeof err->msg, "%s:%d:%d: %s", origin,
                     err->line, err->column, jerr.text);
            tt__one_line(err->msg);
        }
        return -TT_EJSON;
    }
    if (!(c = tt_contract_new())) {
        json_decref(root);
        return fail_nomem(&x);
    }
    rc = read_contract(&x, root, c);
    json_decref(root);
    if (rc < 0) {
        tt_contract_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

/* Reset err to "no error". */
static void err_clear(tt_error *err)
{
    if (err) {
        err->code = 0;
        err->line = err->column = 0;
        err->msg[0] = '\0';
    }
}

/* Parse a contract from JSON text (see tasktonic.h).  Returns 0,
 * -TT_EJSON (syntax), -TT_ECONTRACT (structure), -TT_EINVAL, -TT_ENOMEM. */
int tt_contract_parse(const char *json, const char *origin, tt_contract **out,
                      tt_error *err)
{
    err_clear(err);
    if (out)
        *out = NULL;
    if (!origin)
        origin = "contract";
    if (!json || !out) {
        if (err) {
            err->code = -TT_EINVAL;
            snprintf(err->msg, sizeof err->msg, "%s: no contract text", origin);
        }
        return -TT_EINVAL;
    }
    return parse_text(json, strlen(json), origin, out, err);
}

/* Read and parse a contract file; messages name the path.  -TT_EIO when it
 * cannot be read. */
int tt_contract_load(const char *path, tt_contract **out, tt_error *err)
{
    FILE *f;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc;

    err_clear(err);
    if (out)
        *out = NULL;
    if (!path || !out) {
        if (err) {
            err->code = -TT_EINVAL;
            snprintf(err->msg, sizeof err->msg, "no contract file given");
        }
        return -TT_EINVAL;
    }
    if (!(f = fopen(path, "rb"))) {
        if (err) {
            err->code = -TT_EIO;
            snprintf(err->msg, sizeof err->msg, "%s: cannot open: %s", path,
                     strerror(errno));
            tt__one_line(err->msg);
        }
        return -TT_EIO;
    }
    for (;;) {
        size_t got;
        if (len == cap) {
            char *nb;
            if (cap >= MAX_FILE) {
                rc = -TT_EIO;
                if (err) {
                    err->code = rc;
                    snprintf(err->msg, sizeof err->msg,
                             "%s: larger than %u MiB; not a contract?", path,
                             MAX_FILE >> 20);
                    tt__one_line(err->msg);
                }
                goto out;
            }
            cap = cap ? cap * 2 : 4096;
            if (!(nb = realloc(buf, cap))) {
                rc = -TT_ENOMEM;
                if (err) {
                    err->code = rc;
                    snprintf(err->msg, sizeof err->msg, "out of memory");
                }
                goto out;
            }
            buf = nb;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        rc = -TT_EIO;
        if (err) {
            err->code = rc;
            snprintf(err->msg, sizeof err->msg, "%s: cannot read: %s", path,
                     strerror(errno));
            tt__one_line(err->msg);
        }
        goto out;
    }
    rc = parse_text(buf ? buf : "", len, path, out, err);
out:
    fclose(f);
    free(buf);
    return rc;
}
