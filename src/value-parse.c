/*
 * value-parse.c: typed values from text (ttdb's `call` arguments) and from
 * jansson trees (contract values).
 *
 * tt_value_parse reads one argument of the type a sparkle's signature wants.
 * Every failure is one line naming the type wanted and the text it got, e.g.
 * `expected int, got "abc"`, with a hint when one helps (the nearest tonic
 * name, "out of range", "unterminated quote").  The offending text is shown
 * JSON-escaped and shortened, so the message stays on one line whatever the
 * input was.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasktonic.h"
#include "tt-alloc.h"

#ifndef TT__INTERNAL /* as in tt-int.h: not exported from the library */
#if defined(__GNUC__)
#define TT__INTERNAL __attribute__((visibility("hidden")))
#else
#define TT__INTERNAL
#endif
#endif

/* Internal helpers shared with value.c and contract.c (the prototypes belong
 * in tt-int.h). */
TT__INTERNAL double tt__strtod(const char *s, char **end);
TT__INTERNAL int tt__value_from_json(const json_t *j, tt_value *out);
TT__INTERNAL void tt__one_line(char *msg);
TT__INTERNAL void tt__quote(const char *text, char *buf, size_t size);

/* Longest piece of the offending text quoted in a message (bytes). */
#define QUOTE_MAX 60

/* ===================================================================== */
/* JSON trees to values                                                  */
/* ===================================================================== */

/* Convert a jansson value into *out (deep; strings copied; objects keep
 * their order).  Returns 0 or -TT_ENOMEM (*out is NONE then). */
int tt__value_from_json(const json_t *j, tt_value *out)
{
    int rc = 0;

    *out = TT_NONE;
    switch (json_typeof(j)) {
    case JSON_NULL:
        return 0;
    case JSON_TRUE:
        *out = TT_BOOL(true);
        return 0;
    case JSON_FALSE:
        *out = TT_BOOL(false);
        return 0;
    case JSON_INTEGER:
        *out = TT_INT(json_integer_value(j));
        return 0;
    case JSON_REAL:
        *out = TT_DOUBLE(json_real_value(j));
        return 0;
    case JSON_STRING: {
        char *s = strdup(json_string_value(j));
        if (!s)
            return -TT_ENOMEM;
        *out = TT_STR(s);
        return 0;
    }
    case JSON_ARRAY: {
        size_t n = json_array_size(j);
        tt_list *l = calloc(1, sizeof *l);
        if (!l)
            return -TT_ENOMEM;
        out->type = TT_T_LIST;
        out->u.list = l;
        if (n && !(l->items = calloc(n, sizeof *l->items))) {
            rc = -TT_ENOMEM;
            break;
        }
        for (size_t i = 0; i < n && rc == 0; i++, l->n++)
            rc = tt__value_from_json(json_array_get(j, i), &l->items[i]);
        break;
    }
    case JSON_OBJECT: {
        size_t n = json_object_size(j);
        const char *key;
        json_t *val;
        tt_map *m = calloc(1, sizeof *m);
        if (!m)
            return -TT_ENOMEM;
        out->type = TT_T_MAP;
        out->u.map = m;
        if (n && (!(m->keys = calloc(n, sizeof *m->keys)) ||
                  !(m->vals = calloc(n, sizeof *m->vals)))) {
            rc = -TT_ENOMEM;
            break;
        }
        json_object_foreach((json_t *)j, key, val) {
            if (m->n == n)
                break;
            m->keys[m->n] = strdup(key);
            m->n++;
            if (!m->keys[m->n - 1]) {
                rc = -TT_ENOMEM;
                break;
            }
            rc = tt__value_from_json(val, &m->vals[m->n - 1]);
            if (rc < 0)
                break;
        }
        break;
    }
    default:
        return 0;
    }
    if (rc < 0)
        tt_value_clear(out);
    return rc;
}

/* ===================================================================== */
/* Messages                                                              */
/* ===================================================================== */

/* Make a message one clean line in place: control characters (newlines
 * included) and bytes that are not valid UTF-8 become '?'. */
void tt__one_line(char *msg)
{
    unsigned char *p = (unsigned char *)msg;

    while (*p) {
        size_t len = 1, need = 0;
        if (*p < 0x20 || *p == 0x7f) {
            *p = '?';
        } else if (*p >= 0x80) {
            if (*p >= 0xc2 && *p <= 0xdf)
                need = 1;
            else if (*p >= 0xe0 && *p <= 0xef)
                need = 2;
            else if (*p >= 0xf0 && *p <= 0xf4)
                need = 3;
            for (len = 1; len <= need; len++)
                if ((p[len] & 0xc0) != 0x80)
                    break;
            if (need == 0 || len <= need) {
                *p = '?'; /* (overlong forms are let through) */
                len = 1;
            }
        }
        p += len;
    }
}

/* The text quoted for a message: JSON-escaped, at most QUOTE_MAX bytes of
 * it (cut at a character boundary), "..." after the quote when cut.  A
 * buffer of QUOTE_MAX * 6 + 16 bytes always holds it. */
void tt__quote(const char *text, char *buf, size_t size)
{
    size_t n = strlen(text);
    char piece[QUOTE_MAX + 1];
    bool cut = n > QUOTE_MAX;
    size_t len;

    if (cut) {
        n = QUOTE_MAX;
        while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
            n--; /* do not split a UTF-8 sequence */
    }
    memcpy(piece, text, n);
    piece[n] = '\0';
    len = tt_value_to_json(&TT_STR(piece), buf, size);
    if (cut && len + 4 <= size)
        strcat(buf, "...");
}

/* snprintf into err->msg (truncating quietly). */
static void set_msg(tt_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    tt__one_line(err->msg);
}

/* Fill err with -TT_EARGTYPE and "expected TYPE, got TEXT[ (HINT)]". */
static int fail(tt_error *err, tt_type want, const char *text,
                const char *hint_fmt, ...)
{
    char quoted[QUOTE_MAX * 6 + 16];
    char hint[256] = "";

    if (hint_fmt) {
        va_list ap;
        va_start(ap, hint_fmt);
        vsnprintf(hint, sizeof hint, hint_fmt, ap);
        va_end(ap);
    }
    if (err) {
        err->code = -TT_EARGTYPE;
        err->line = 0;
        err->column = 0;
        if (*text)
            tt__quote(text, quoted, sizeof quoted);
        else
            strcpy(quoted, "nothing");
        set_msg(err, "expected %s, got %s%s%s%s", tt_type_name(want), quoted,
                *hint ? " (" : "", hint, *hint ? ")" : "");
    }
    return -TT_EARGTYPE;
}

/* Fill err with another code and a plain message. */
static int fail_code(tt_error *err, int code, const char *msg)
{
    if (err) {
        err->code = code;
        err->line = 0;
        err->column = 0;
        set_msg(err, "%s", msg);
    }
    return code;
}

/* ===================================================================== */
/* Scalars                                                               */
/* ===================================================================== */

/* Case-insensitive equality with an ASCII word. */
static bool word_is(const char *s, const char *word)
{
    return strcasecmp(s, word) == 0;
}

/* `none` or `null`, any case. */
static bool is_none(const char *s)
{
    return word_is(s, "none") || word_is(s, "null");
}

/* Parse an unsigned magnitude: decimal, or hex after 0x.  0 when s is all
 * digits, 1 on junk, 2 when it is larger than max. */
static int parse_magnitude(const char *s, uint64_t max, uint64_t *out)
{
    unsigned base = 10;
    uint64_t v = 0;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s)
        return 1;
    for (; *s; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            return 1;
        if (v > (max - d) / base) {
            /* keep scanning: junk later still makes it junk */
            for (s++; *s; s++)
                if (!((*s >= '0' && *s <= '9') ||
                      (base == 16 && ((*s >= 'a' && *s <= 'f') ||
                                      (*s >= 'A' && *s <= 'F')))))
                    return 1;
            return 2;
        }
        v = v * base + d;
    }
    *out = v;
    return 0;
}

/* Parse a signed 64-bit integer: [+-](digits | 0x hexdigits).  0, 1 junk,
 * 2 out of range. */
static int parse_int64(const char *s, int64_t *out)
{
    bool neg = false;
    uint64_t mag;
    int rc;

    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    rc = parse_magnitude(s, neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX,
                         &mag);
    if (rc)
        return rc;
    *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return 0;
}

/* A double: anything strtod reads completely ("1", "2.5e3", "0x1p4", "inf",
 * "nan"), in the C locale.  0, 1 junk, 2 overflow. */
static int parse_double(const char *s, double *out)
{
    char *end;
    double d;

    if (!*s || *s == ' ' || *s == '\t')
        return 1;
    errno = 0;
    d = tt__strtod(s, &end);
    if (end == s || *end)
        return 1;
    if (errno == ERANGE && isinf(d))
        return 2;
    *out = d; /* underflow reads as 0 or a subnormal, as Python does */
    return 0;
}

/* Read a "double-quoted" string with C escapes into a malloc'ed string.
 * Returns 0, or an error message for a bad literal. */
static const char *unquote(const char *s, char **out)
{
    size_t n = strlen(s);
    char *buf = malloc(n + 1), *o = buf;
    const char *p = s + 1;

    *out = NULL;
    if (!buf)
        return "out of memory";
    for (;;) {
        char c = *p++;
        if (c == '\0') {
            free(buf);
            return "unterminated quote";
        }
        if (c == '"')
            break;
        if (c != '\\') {
            *o++ = c;
            continue;
        }
        c = *p++;
        switch (c) {
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case 'r': *o++ = '\r'; break;
        case 'a': *o++ = '\a'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'v': *o++ = '\v'; break;
        case 'e': *o++ = '\033'; break;
        case '\\': *o++ = '\\'; break;
        case '"': *o++ = '"'; break;
        case '\'': *o++ = '\''; break;
        case 'x': {
            unsigned v = 0, digits = 0;
            while (digits < 2) {
                char h = *p;
                if (h >= '0' && h <= '9')
                    v = v * 16 + (unsigned)(h - '0');
                else if (h >= 'a' && h <= 'f')
                    v = v * 16 + (unsigned)(h - 'a' + 10);
                else if (h >= 'A' && h <= 'F')
                    v = v * 16 + (unsigned)(h - 'A' + 10);
                else
                    break;
                p++, digits++;
            }
            if (digits == 0) {
                free(buf);
                return "\\x needs hex digits";
            }
            if (v == 0) {
                free(buf);
                return "a string cannot hold \\x00";
            }
            *o++ = (char)v;
            break;
        }
        case '\0':
            free(buf);
            return "unterminated quote";
        default:
            free(buf);
            return "unknown escape; use \\n \\t \\r \\\\ \\\" or \\xHH";
        }
    }
    if (*p) {
        free(buf);
        return "text after the closing quote";
    }
    *o = '\0';
    *out = buf;
    return NULL;
}

/* ===================================================================== */
/* Tonics and timers                                                     */
/* ===================================================================== */

/* Collect names for a suggestion: tonics (timers false) or timers.  Returns
 * a malloc'ed array of n borrowed names, or NULL. */
static const char **collect_names(tt_catalyst *cat, bool timers, size_t *n)
{
    size_t count = timers ? tt_timer_count(cat) : tt_tonic_count(cat);
    const char **names = calloc(count ? count : 1, sizeof *names);

    *n = 0;
    if (!names)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        const char *name = timers ? tt_timer_name(tt_timer_at(cat, i))
                                  : tt_tonic_name(tt_tonic_at(cat, i));
        if (name)
            names[(*n)++] = name;
    }
    return names;
}

/* Fail with "(did you mean ...?)" or "(no such NAME)". */
static int fail_unknown(tt_catalyst *cat, tt_error *err, tt_type want,
                        const char *text, const char *name, bool timers)
{
    size_t n;
    const char **names = collect_names(cat, timers, &n);
    const char *best = names ? tt_suggest(name, names, n) : NULL;
    int rc;

    if (best) {
        char q[QUOTE_MAX * 6 + 16];
        tt__quote(best, q, sizeof q);
        rc = fail(err, want, text, "did you mean %s?", q);
    } else {
        rc = fail(err, want, text, "no such %s", timers ? "timer" : "tonic");
    }
    free(names);
    return rc;
}

/* A timer by name, NULL if none. */
static tt_timer *timer_by_name(tt_catalyst *cat, const char *name)
{
    size_t n = tt_timer_count(cat);
    for (size_t i = 0; i < n; i++) {
        tt_timer *tm = tt_timer_at(cat, i);
        const char *tn = tm ? tt_timer_name(tm) : NULL;
        if (tn && strcmp(tn, name) == 0)
            return tm;
    }
    return NULL;
}

/* A registered timer by id, NULL if none. */
static tt_timer *timer_by_id(tt_catalyst *cat, int64_t id)
{
    size_t n = tt_timer_count(cat);
    if (id < 0)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        tt_timer *tm = tt_timer_at(cat, i);
        if (tm && tt_timer_id(tm) == id)
            return tm;
    }
    return NULL;
}

/* Parse a tonic or timer reference (want TONIC, TIMER or TIMERINFO). */
static int parse_ref(tt_catalyst *cat, tt_type want, const char *s,
                     tt_value *out, tt_error *err)
{
    bool timers = want != TT_T_TONIC;
    char *name = NULL;
    const char *bad;
    void *obj = NULL;
    int64_t id;
    int rc = 0;

    if (is_none(s)) {
        out->type = want;
        out->u.p = NULL;
        return 0;
    }
    if (!cat)
        return fail(err, want, s, "no catalyst to look it up in");
    if (*s == '"') {
        if ((bad = unquote(s, &name)))
            return fail(err, want, s, "%s", bad);
    } else if (!(name = strdup(s))) {
        return fail_code(err, -TT_ENOMEM, "out of memory");
    }
    obj = timers ? (void *)timer_by_name(cat, name)
                 : (void *)tt_tonic_by_name(cat, name);
    if (!obj && *s != '"' && parse_int64(name, &id) == 0) {
        if (timers)
            obj = timer_by_id(cat, id);
        else if (id >= 0 && id <= INT32_MAX)
            obj = tt_tonic_by_id(cat, (int)id);
        if (!obj)
            rc = fail(err, want, s, "no %s has id %" PRId64,
                      timers ? "timer" : "tonic", id);
    } else if (!obj) {
        rc = fail_unknown(cat, err, want, s, name, timers);
    }
    free(name);
    if (rc < 0)
        return rc;
    out->type = want;
    out->u.p = obj;
    return 0;
}

/* ===================================================================== */
/* The parser                                                            */
/* ===================================================================== */

/* Parse one argument of type want from text into *out (see tasktonic.h).
 * Surrounding blanks are ignored.  Returns 0, -TT_EARGTYPE (err filled),
 * -TT_EINVAL for a type that has no text form, -TT_ENOMEM. */
int tt_value_parse(tt_catalyst *cat, tt_type want, const char *text,
                   tt_value *out, tt_error *err)
{
    char *s;
    size_t n;
    int rc = 0;

    if (err) {
        err->code = 0;
        err->line = err->column = 0;
        err->msg[0] = '\0';
    }
    if (!out)
        return fail_code(err, -TT_EINVAL, "no place for the parsed value");
    *out = TT_NONE;
    if (!text)
        text = "";
    while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
        text++;
    n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t' ||
                     text[n - 1] == '\n' || text[n - 1] == '\r'))
        n--;
    if (!(s = strndup(text, n)))
        return fail_code(err, -TT_ENOMEM, "out of memory");

    switch (want) {
    case TT_T_NONE:
        if (!is_none(s))
            rc = fail(err, want, s, NULL);
        break;
    case TT_T_INT: {
        int64_t i;
        int r = parse_int64(s, &i);
        if (r == 0)
            *out = TT_INT(i);
        else
            rc = fail(err, want, s, r == 2 ? "out of range" : NULL);
        break;
    }
    case TT_T_DOUBLE: {
        double d;
        int r = parse_double(s, &d);
        if (r == 0)
            *out = TT_DOUBLE(d);
        else
            rc = fail(err, want, s, r == 2 ? "out of range" : NULL);
        break;
    }
    case TT_T_BOOL:
        if (word_is(s, "true") || word_is(s, "yes") || word_is(s, "on") ||
            strcmp(s, "1") == 0)
            *out = TT_BOOL(true);
        else if (word_is(s, "false") || word_is(s, "no") ||
                 word_is(s, "off") || strcmp(s, "0") == 0)
            *out = TT_BOOL(false);
        else
            rc = fail(err, want, s, "true or false");
        break;
    case TT_T_STR:
        if (*s == '"') {
            char *str;
            const char *bad = unquote(s, &str);
            if (bad)
                rc = fail(err, want, s, "%s", bad);
            else
                *out = TT_STR(str);
        } else if (is_none(s)) {
            *out = TT_STR(NULL);
        } else if (!*s) {
            rc = fail(err, want, s, "write \"\" for an empty string");
        } else {
            *out = TT_STR(s);
            s = NULL; /* the value owns it now */
        }
        break;
    case TT_T_TONIC:
    case TT_T_TIMER:
    case TT_T_TIMERINFO:
        rc = parse_ref(cat, want, s, out, err);
        break;
    case TT_T_PTR: {
        uint64_t v;
        if (is_none(s)) {
            *out = TT_PTR(NULL);
        } else if (parse_magnitude(s, UINTPTR_MAX, &v) == 0) {
            *out = TT_PTR((void *)(uintptr_t)v);
        } else {
            rc = fail(err, want, s, "an address such as 0x7f00");
        }
        break;
    }
    case TT_T_LIST:
    case TT_T_MAP: {
        json_error_t jerr;
        json_t *j = json_loads(s, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
        if (!j) {
            rc = fail(err, want, s, "as JSON: %s", jerr.text);
        } else if (!json_is_array(j) && want == TT_T_LIST) {
            rc = fail(err, want, s, "write a JSON list such as [1, \"a\"]");
        } else if (!json_is_object(j) && want == TT_T_MAP) {
            rc = fail(err, want, s, "write a JSON object such as {\"k\": 1}");
        } else if ((rc = tt__value_from_json(j, out)) < 0) {
            fail_code(err, rc, "out of memory");
        }
        json_decref(j);
        break;
    }
    default:
        rc = fail_code(err, -TT_EINVAL, "this type has no text form");
        break;
    }
    free(s);
    return rc;
}
