/*
 * value.c: typed values (sparkle arguments, probe snapshots) and how they
 * are copied, compared and rendered.
 *
 * Rendering follows Python, because traces must equal the ones the Python
 * Distiller writes: tt_value_to_json gives exactly json.dumps(value) (default
 * separators ", " and ": ", ensure_ascii, floats as repr()), and
 * tt_value_to_text gives str(value) (used in contract reasons such as
 * "probe: x == 1").  Equality is Python's ==: numbers (int, double, bool)
 * compare by value, maps ignore key order.
 *
 * Tonic and timer references render through tt_tonic_name / tt_timer_name.
 * A TT_T_TIMERINFO value shows the id and name from tt_timer_get_info: the
 * id the timer had when it fired, which stays readable after a single-shot
 * timer was unregistered (its tt_timer_id is -1 by then).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* strtod_l, newlocale */
#endif
#include <float.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
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

/* ===================================================================== */
/* Copy, clear, build                                                    */
/* ===================================================================== */

/* Free what a value owns (strings, lists, maps); the value becomes NONE. */
void tt_value_clear(tt_value *v)
{
    if (!v)
        return;
    switch (v->type) {
    case TT_T_STR:
        free(v->u.s);
        break;
    case TT_T_LIST:
        if (v->u.list) {
            for (size_t i = 0; i < v->u.list->n; i++)
                tt_value_clear(&v->u.list->items[i]);
            free(v->u.list->items);
            free(v->u.list);
        }
        break;
    case TT_T_MAP:
        if (v->u.map) {
            for (size_t i = 0; i < v->u.map->n; i++) {
                free(v->u.map->keys[i]);
                tt_value_clear(&v->u.map->vals[i]);
            }
            free(v->u.map->keys);
            free(v->u.map->vals);
            free(v->u.map);
        }
        break;
    default:
        break;
    }
    *v = TT_NONE;
}

/* Build a list value holding deep copies of items[0..n). */
/* How deep v nests, counting at most to limit + 1 (so the walk itself never
 * recurses deeper than limit + 1). */
size_t tt__value_depth(const tt_value *v, size_t limit)
{
    size_t n = 0, deepest = 0;
    const tt_value *items = NULL;
    if (v->type == TT_T_LIST && v->u.list) {
        n = v->u.list->n;
        items = v->u.list->items;
    } else if (v->type == TT_T_MAP && v->u.map) {
        n = v->u.map->n;
        items = v->u.map->vals;
    } else {
        return v->type == TT_T_LIST || v->type == TT_T_MAP ? 1 : 0;
    }
    if (limit == 0)
        return 1;
    for (size_t i = 0; i < n && deepest < limit; i++) {
        size_t d = tt__value_depth(&items[i], limit - 1);
        if (d > deepest)
            deepest = d;
    }
    return deepest + 1;
}

/* Whether items may go into a list or map: none nests TT_VALUE_DEPTH_MAX
 * deep already. */
static bool items_shallow(const tt_value *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tt__value_depth(&items[i], TT_VALUE_DEPTH_MAX) >= TT_VALUE_DEPTH_MAX)
            return false;
    return true;
}

int tt_value_list(tt_value *dst, const tt_value *items, size_t n)
{
    tt_list *l;

    if (!dst || (n && !items))
        return -TT_EINVAL;
    if (!items_shallow(items, n))
        return -TT_ERANGE;
    l = calloc(1, sizeof *l);
    if (!l)
        return -TT_ENOMEM;
    if (n) {
        if (!(l->items = calloc(n, sizeof *l->items))) {
            free(l);
            return -TT_ENOMEM;
        }
    }
    /* Copy one by one; on failure free what was copied so far. */
    for (size_t i = 0; i < n; i++) {
        int rc = tt_value_copy(&l->items[i], &items[i]);
        if (rc < 0) {
            tt_value tmp = {.type = TT_T_LIST, .u.list = l};
            l->n = i;
            tt_value_clear(&tmp);
            return rc;
        }
    }
    l->n = n;
    dst->type = TT_T_LIST;
    dst->u.list = l;
    return 0;
}

/* Build a map value from keys[i] -> deep copies of vals[i], in order.  Keys
 * should be unique (as in a Python dict); they are not checked. */
int tt_value_map(tt_value *dst, const char *const *keys, const tt_value *vals,
                 size_t n)
{
    tt_map *m;

    if (!dst || (n && (!keys || !vals)))
        return -TT_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!keys[i])
            return -TT_EINVAL;
    if (!items_shallow(vals, n))
        return -TT_ERANGE;
    m = calloc(1, sizeof *m);
    if (!m)
        return -TT_ENOMEM;
    if (n) {
        m->keys = calloc(n, sizeof *m->keys);
        m->vals = calloc(n, sizeof *m->vals);
        if (!m->keys || !m->vals) {
            free(m->keys);
            free(m->vals);
            free(m);
            return -TT_ENOMEM;
        }
    }
    for (size_t i = 0; i < n; i++) {
        int rc = 0;
        m->keys[i] = strdup(keys[i]);
        if (!m->keys[i])
            rc = -TT_ENOMEM;
        else
            rc = tt_value_copy(&m->vals[i], &vals[i]);
        if (rc < 0) {
            tt_value tmp = {.type = TT_T_MAP, .u.map = m};
            m->n = i + 1; /* slot i: key maybe NULL, value NONE: both safe */
            tt_value_clear(&tmp);
            return rc;
        }
    }
    m->n = n;
    dst->type = TT_T_MAP;
    dst->u.map = m;
    return 0;
}

/* Deep copy src into *dst.  dst may be src itself.  On failure *dst is NONE. */
int tt_value_copy(tt_value *dst, const tt_value *src)
{
    tt_value out = TT_NONE;
    int rc = 0;

    if (!dst || !src)
        return -TT_EINVAL;
    switch (src->type) {
    case TT_T_STR:
        out.type = TT_T_STR;
        if (src->u.s && !(out.u.s = strdup(src->u.s)))
            rc = -TT_ENOMEM;
        break;
    case TT_T_LIST:
        if (!src->u.list)
            rc = tt_value_list(&out, NULL, 0);
        else
            rc = tt_value_list(&out, src->u.list->items, src->u.list->n);
        break;
    case TT_T_MAP:
        if (!src->u.map)
            rc = tt_value_map(&out, NULL, NULL, 0);
        else
            rc = tt_value_map(&out, (const char *const *)src->u.map->keys,
                              src->u.map->vals, src->u.map->n);
        break;
    default:
        out = *src;
        break;
    }
    *dst = rc < 0 ? TT_NONE : out;
    return rc;
}

/* Wrap the C object of type `type` at p into a value (TT_SPARKLE posters).
 * Strings are not copied here; tt_post copies them. */
void tt__value_of(tt_value *v, tt_type type, const void *p)
{
    *v = TT_NONE;
    if (!p)
        return;
    switch (type) {
    case TT_T_INT:
        *v = TT_INT(*(const int64_t *)p);
        break;
    case TT_T_DOUBLE:
        *v = TT_DOUBLE(*(const double *)p);
        break;
    case TT_T_BOOL:
        *v = TT_BOOL(*(const bool *)p);
        break;
    case TT_T_STR:
        *v = TT_STR(*(const char *const *)p);
        break;
    case TT_T_TONIC:
        *v = TT_TONIC(*(tt_tonic *const *)p);
        break;
    case TT_T_TIMER:
        *v = TT_TIMER(*(tt_timer *const *)p);
        break;
    case TT_T_TIMERINFO: {
        const tt_timer_info *info = *(const tt_timer_info *const *)p;
        v->type = TT_T_TIMERINFO;
        v->u.timer = info ? info->timer : NULL;
        break;
    }
    case TT_T_PTR:
        *v = TT_PTR(*(void *const *)p);
        break;
    default:
        break;
    }
}

/* ===================================================================== */
/* Equality                                                              */
/* ===================================================================== */

/* Numeric view of int, bool and double values (Python: True == 1 == 1.0). */
static bool is_number(const tt_value *v)
{
    return v->type == TT_T_INT || v->type == TT_T_BOOL ||
           v->type == TT_T_DOUBLE;
}

/* Exact comparison of an integer with a double, as Python does it. */
static bool int_equals_double(int64_t i, double d)
{
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
        return false; /* NaN, infinities, out of range */
    if (d != trunc(d))
        return false;
    return (int64_t)d == i;
}

/* Python == on two numbers. */
static bool numbers_equal(const tt_value *a, const tt_value *b)
{
    if (a->type == TT_T_DOUBLE && b->type == TT_T_DOUBLE)
        return a->u.d == b->u.d;
    if (a->type == TT_T_DOUBLE)
        return int_equals_double(b->type == TT_T_BOOL ? b->u.b : b->u.i, a->u.d);
    if (b->type == TT_T_DOUBLE)
        return int_equals_double(a->type == TT_T_BOOL ? a->u.b : a->u.i, b->u.d);
    return (a->type == TT_T_BOOL ? (int64_t)a->u.b : a->u.i) ==
           (b->type == TT_T_BOOL ? (int64_t)b->u.b : b->u.i);
}

/* Deep equality (Python ==: numbers by value, maps regardless of order). */
bool tt_value_equal(const tt_value *a, const tt_value *b)
{
    if (!a || !b)
        return a == b;
    if (is_number(a) && is_number(b))
        return numbers_equal(a, b);
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case TT_T_NONE:
        return true;
    case TT_T_STR:
        if (!a->u.s || !b->u.s)
            return a->u.s == b->u.s;
        return strcmp(a->u.s, b->u.s) == 0;
    case TT_T_TONIC:
        return a->u.tonic == b->u.tonic;
    case TT_T_TIMER:
    case TT_T_TIMERINFO:
        return a->u.timer == b->u.timer;
    case TT_T_PTR:
        return a->u.p == b->u.p;
    case TT_T_LIST: {
        size_t na = a->u.list ? a->u.list->n : 0;
        size_t nb = b->u.list ? b->u.list->n : 0;
        if (na != nb)
            return false;
        for (size_t i = 0; i < na; i++)
            if (!tt_value_equal(&a->u.list->items[i], &b->u.list->items[i]))
                return false;
        return true;
    }
    case TT_T_MAP: {
        size_t na = a->u.map ? a->u.map->n : 0;
        size_t nb = b->u.map ? b->u.map->n : 0;
        if (na != nb)
            return false;
        for (size_t i = 0; i < na; i++) {
            size_t j;
            /* Fast path: same key at the same place. */
            if (strcmp(a->u.map->keys[i], b->u.map->keys[i]) == 0) {
                j = i;
            } else {
                for (j = 0; j < nb; j++)
                    if (strcmp(a->u.map->keys[i], b->u.map->keys[j]) == 0)
                        break;
                if (j == nb)
                    return false;
            }
            if (!tt_value_equal(&a->u.map->vals[i], &b->u.map->vals[j]))
                return false;
        }
        return true;
    }
    default:
        return false;
    }
}

/* ===================================================================== */
/* Type names                                                            */
/* ===================================================================== */

/* The name of a type as written in signatures. */
const char *tt_type_name(tt_type t)
{
    switch (t) {
    case TT_T_NONE:
        return "none";
    case TT_T_INT:
        return "int";
    case TT_T_DOUBLE:
        return "double";
    case TT_T_BOOL:
        return "bool";
    case TT_T_STR:
        return "str";
    case TT_T_TONIC:
        return "tonic";
    case TT_T_TIMER:
        return "timer";
    case TT_T_TIMERINFO:
        return "timerinfo";
    case TT_T_PTR:
        return "ptr";
    case TT_T_LIST:
        return "list";
    case TT_T_MAP:
        return "map";
    }
    return "unknown";
}

/* ===================================================================== */
/* Output sink: snprintf-like writing that counts what it would need      */
/* ===================================================================== */

typedef struct sink {
    char *buf;
    size_t size;
    size_t len; /* bytes needed so far (may exceed size) */
} sink;

/* Append n bytes. */
static void put_mem(sink *s, const char *p, size_t n)
{
    if (s->len < s->size) {
        size_t room = s->size - s->len;
        memcpy(s->buf + s->len, p, n < room ? n : room);
    }
    s->len += n;
}

/* Append a NUL-terminated string. */
static void put_str(sink *s, const char *p)
{
    put_mem(s, p, strlen(p));
}

/* Append one byte. */
static void put_ch(sink *s, char c)
{
    put_mem(s, &c, 1);
}

/* NUL-terminate the buffer (truncating) and return the needed length. */
static size_t sink_end(sink *s)
{
    if (s->size > 0)
        s->buf[s->len < s->size ? s->len : s->size - 1] = '\0';
    return s->len;
}

/* ===================================================================== */
/* Doubles as Python repr()                                              */
/* ===================================================================== */

/* A "C" locale for strtod_l, so a program that called setlocale() (ncurses
 * does) still reads "0.5" right.  Created once; NULL if that failed. */
static locale_t c_locale(void)
{
    static locale_t loc;
    locale_t cur = __atomic_load_n(&loc, __ATOMIC_ACQUIRE);
    if (!cur) {
        locale_t fresh = newlocale(LC_ALL_MASK, "C", (locale_t)0);
        locale_t expected = (locale_t)0;
        if (!fresh)
            return (locale_t)0;
        if (__atomic_compare_exchange_n(&loc, &expected, fresh, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            cur = fresh;
        } else {
            freelocale(fresh);
            cur = expected;
        }
    }
    return cur;
}

/* strtod independent of the current locale (internal, shared with
 * value-parse.c). */
TT__INTERNAL double tt__strtod(const char *s, char **end);
double tt__strtod(const char *s, char **end)
{
    locale_t loc = c_locale();
    return loc ? strtod_l(s, end, loc) : strtod(s, end);
}

/* Decimal digits d (NUL-terminated, no leading zero) and exponent e of the
 * value d[0].d[1..] x 10^e; `digits` >= 1. */
typedef struct decimal {
    char d[24];
    int n;
    int e;
} decimal;

/* x (finite, > 0) correctly rounded to `digits` significant digits.  Uses
 * "%.*e" and reads the digits around whatever decimal point the locale
 * prints. */
static void round_digits(double x, int digits, decimal *out)
{
    char buf[64];
    const char *p = buf;
    snprintf(buf, sizeof buf, "%.*e", digits - 1, x);
    out->n = 0;
    while (*p && *p != 'e') {
        if (*p >= '0' && *p <= '9' && out->n < (int)sizeof out->d - 1)
            out->d[out->n++] = *p;
        p++;
    }
    out->d[out->n] = '\0';
    out->e = *p == 'e' ? atoi(p + 1) : 0;
}

/* Whether the decimal reads back as exactly x. */
static bool round_trips(const decimal *dec, double x)
{
    char buf[48], *o = buf, exp[8];
    int e = dec->e, k = 0;

    *o++ = dec->d[0];
    *o++ = '.';
    memcpy(o, dec->d + 1, (size_t)dec->n - 1);
    o += dec->n - 1;
    *o++ = 'e';
    if (e < 0) {
        *o++ = '-';
        e = -e;
    }
    do
        exp[k++] = (char)('0' + e % 10);
    while ((e /= 10) > 0);
    while (k > 0)
        *o++ = exp[--k];
    *o = '\0';
    return tt__strtod(buf, NULL) == x;
}

/* Round the 17-digit decimal src to n digits into out.  False when src
 * ends in an exact tie (5 then zeros): src itself was rounded, so only
 * rounding x again decides. */
static bool shorten(const decimal *src, int n, decimal *out)
{
    bool up;
    int i;

    if (src->d[n] != '5') {
        up = src->d[n] > '5';
    } else {
        for (i = n + 1; i < src->n && src->d[i] == '0'; i++)
            ;
        if (i == src->n)
            return false;
        up = true;
    }
    memcpy(out->d, src->d, (size_t)n);
    out->d[n] = '\0';
    out->n = n;
    out->e = src->e;
    if (up) {
        for (i = n - 1; i >= 0 && out->d[i] == '9'; i--)
            out->d[i] = '0';
        if (i >= 0) {
            out->d[i]++;
        } else {
            out->d[0] = '1'; /* 99..9 -> 100..0 */
            out->e++;
        }
    }
    return true;
}

/* Add delta (+1 or -1) to the last digit of dec, keeping its length. */
static bool nudge(decimal *dec, int delta)
{
    int i = dec->n - 1;
    if (delta > 0) {
        while (i >= 0 && dec->d[i] == '9')
            dec->d[i--] = '0';
        if (i < 0)
            return false; /* 99..9 + 1 changes the length: skip */
        dec->d[i]++;
    } else {
        while (i >= 0 && dec->d[i] == '0')
            dec->d[i--] = '9';
        if (i < 0 || (i == 0 && dec->d[0] == '1'))
            return false; /* would lose a digit: skip */
        dec->d[i]--;
    }
    return true;
}

/* Fast path for values with few decimals (0.5, 2.25, 1234.0): the first k
 * for which m = round(x * 10^k) gives m / 10^k == x exactly.  Division by
 * an exact power of ten is correctly rounded, so m x 10^-k reads back as x.
 * While y = x * 10^k < 2^51, at most one integer m can read back as x (its
 * window is narrower than y * 2^-52 < 1/2), the rounding error of y is
 * below 1/4, so round(y) finds that m whenever it exists: the smallest k
 * that works gives the fewest digits, and the closest decimal.  False when
 * no k below that bound works. */
static bool short_decimal(double x, decimal *dec)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    char tmp[24];

    for (int k = 0; k < (int)(sizeof p10 / sizeof p10[0]); k++) {
        double y = x * p10[k], m;
        uint64_t u;
        int n = 0;
        if (y >= 2251799813685248.0) /* 2^51 */
            return false;
        m = floor(y + 0.5);
        if (m == 0 || m / p10[k] != x)
            continue;
        u = (uint64_t)m;
        while (u) {
            tmp[n++] = (char)('0' + u % 10);
            u /= 10;
        }
        dec->e = n - 1 - k;
        while (n > 1 && tmp[0] == '0') { /* trailing zeros (k == 0 only) */
            memmove(tmp, tmp + 1, (size_t)--n);
        }
        for (int i = 0; i < n; i++)
            dec->d[i] = tmp[n - 1 - i];
        dec->n = n;
        dec->d[n] = '\0';
        return true;
    }
    return false;
}

/* The shortest decimal that reads back as x (finite, > 0), the closest one
 * when several have that length: what Python's repr() picks. */
static void shortest_decimal(double x, decimal *dec)
{
    decimal d17;

    if (x >= 1e-7 && short_decimal(x, dec))
        return;

    if (x < DBL_MIN) {
        /* Subnormals carry fewer digits: search upwards from one. */
        for (int digits = 1; digits < 17; digits++) {
            round_digits(x, digits, dec);
            if (round_trips(dec, x))
                return;
        }
        round_digits(x, 17, dec);
        return;
    }
    /* Up to 15 digits a correctly rounded value is always the shortest
     * (DBL_DIG): strip its trailing zeros.  The 15- and 16-digit roundings
     * come from the 17-digit one unless that ends in a tie. */
    round_digits(x, 17, &d17);
    if (!shorten(&d17, 15, dec))
        round_digits(x, 15, dec);
    if (round_trips(dec, x)) {
        while (dec->n > 1 && dec->d[dec->n - 1] == '0')
            dec->d[--dec->n] = '\0';
        return;
    }
    if (!shorten(&d17, 16, dec))
        round_digits(x, 16, dec);
    if (round_trips(dec, x))
        return;
    /* At a power of two the interval of x is lopsided: a 16-digit neighbour
     * of the rounded value may still read back as x. */
    for (int delta = -1; delta <= 1; delta += 2) {
        decimal alt = *dec;
        if (nudge(&alt, delta) && round_trips(&alt, x)) {
            *dec = alt;
            return;
        }
    }
    *dec = d17;
}

/* Python repr() of a double into out (at least 32 bytes).  nan/inf are
 * spelled per `json`: "NaN"/"Infinity" for JSON, "nan"/"inf" for str(). */
static void format_double(double x, char *out, bool json)
{
    decimal dec;
    char *o = out;

    if (isnan(x)) {
        strcpy(out, json ? "NaN" : "nan");
        return;
    }
    if (isinf(x)) {
        strcpy(out, x < 0 ? (json ? "-Infinity" : "-inf")
                          : (json ? "Infinity" : "inf"));
        return;
    }
    if (signbit(x))
        *o++ = '-';
    x = fabs(x);
    if (x == 0) {
        strcpy(o, "0.0");
        return;
    }
    shortest_decimal(x, &dec);
    if (dec.e < -4 || dec.e >= 16) {
        /* 1e+16, 1.5e-05: exponent with a sign and at least two digits */
        *o++ = dec.d[0];
        if (dec.n > 1) {
            *o++ = '.';
            memcpy(o, dec.d + 1, (size_t)dec.n - 1);
            o += dec.n - 1;
        }
        sprintf(o, "e%c%02d", dec.e < 0 ? '-' : '+', abs(dec.e));
    } else if (dec.e < 0) {
        /* 0.000123 */
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -dec.e - 1; i++)
            *o++ = '0';
        memcpy(o, dec.d, (size_t)dec.n);
        o[dec.n] = '\0';
    } else {
        /* 123.45, 100.0 */
        for (int i = 0; i <= dec.e; i++)
            *o++ = i < dec.n ? dec.d[i] : '0';
        *o++ = '.';
        if (dec.n > dec.e + 1) {
            memcpy(o, dec.d + dec.e + 1, (size_t)(dec.n - dec.e - 1));
            o += dec.n - dec.e - 1;
        } else {
            *o++ = '0';
        }
        *o = '\0';
    }
}

/* ===================================================================== */
/* UTF-8                                                                 */
/* ===================================================================== */

/* Decode one UTF-8 sequence at s (n bytes left).  Returns its length and
 * the code point in *cp, or 0 when the first byte does not start a valid
 * sequence (overlong, surrogate, beyond U+10FFFF, truncated). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    uint32_t c = s[0], min;
    size_t len;

    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
        len = 2, c &= 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3, c &= 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4, c &= 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

/* The length of the invalid sequence at s (n >= 1 bytes left) that one
 * U+FFFD replaces: its maximal valid prefix, at least one byte, as Python's
 * decode(errors="replace") does it. */
static size_t utf8_bad_length(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len, i;
    unsigned lo = 0x80, hi = 0xbf; /* allowed range of the second byte */

    if (c >= 0xc2 && c <= 0xdf)
        len = 2;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4;
    else
        return 1;
    if (c == 0xe0)
        lo = 0xa0;
    else if (c == 0xed)
        hi = 0x9f;
    else if (c == 0xf0)
        lo = 0x90;
    else if (c == 0xf4)
        hi = 0x8f;
    for (i = 1; i < len && i < n; i++) {
        unsigned b = s[i];
        if (i == 1 ? (b < lo || b > hi) : (b & 0xc0) != 0x80)
            break;
    }
    return i;
}

/* ===================================================================== */
/* JSON (json.dumps)                                                     */
/* ===================================================================== */

/* Append \uXXXX (lower-case hex, as Python writes it). */
static void put_u16(sink *s, unsigned v)
{
    char b[8];
    snprintf(b, sizeof b, "\\u%04x", v & 0xffffu);
    put_str(s, b);
}

/* A JSON string literal as json.dumps(ensure_ascii=True) writes it.  Bytes
 * that are not valid UTF-8 are written as \ufffd. */
static void json_string(sink *s, const char *str)
{
    const unsigned char *p = (const unsigned char *)str;
    size_t n = strlen(str);

    put_ch(s, '"');
    while (n > 0) {
        const unsigned char *run = p;
        /* Copy a run of plain printable ASCII at once. */
        while (n > 0 && *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
            p++, n--;
        if (p > run)
            put_mem(s, (const char *)run, (size_t)(p - run));
        if (n == 0)
            break;
        switch (*p) {
        case '"':
            put_str(s, "\\\"");
            break;
        case '\\':
            put_str(s, "\\\\");
            break;
        case '\n':
            put_str(s, "\\n");
            break;
        case '\r':
            put_str(s, "\\r");
            break;
        case '\t':
            put_str(s, "\\t");
            break;
        case '\b':
            put_str(s, "\\b");
            break;
        case '\f':
            put_str(s, "\\f");
            break;
        default:
            if (*p < 0x80) {
                put_u16(s, *p); /* other control characters, DEL */
            } else {
                uint32_t cp;
                size_t len = utf8_decode(p, n, &cp);
                if (len == 0) {
                    put_u16(s, 0xfffd);
                    len = utf8_bad_length(p, n);
                } else if (cp >= 0x10000) {
                    cp -= 0x10000;
                    put_u16(s, 0xd800 | (cp >> 10));
                    put_u16(s, 0xdc00 | (cp & 0x3ff));
                } else {
                    put_u16(s, cp);
                }
                p += len;
                n -= len;
                continue;
            }
            break;
        }
        p++;
        n--;
    }
    put_ch(s, '"');
}

/* The id and name a timer had when it last fired (tt_timer_get_info keeps
 * them after a single-shot timer was unregistered); its current ones if it
 * never fired. */
static void timer_info(const tt_timer *tm, int *id, const char **name)
{
    const tt_timer_info *info = tt_timer_get_info(tm);
    *id = info ? info->id : tt_timer_id(tm);
    *name = info && info->name ? info->name : tt_timer_name(tm);
}

/* Render v as JSON into the sink. */
static void json_value(sink *s, const tt_value *v)
{
    char b[48];

    switch (v->type) {
    case TT_T_NONE:
        put_str(s, "null");
        break;
    case TT_T_INT:
        snprintf(b, sizeof b, "%" PRId64, v->u.i);
        put_str(s, b);
        break;
    case TT_T_DOUBLE:
        format_double(v->u.d, b, true);
        put_str(s, b);
        break;
    case TT_T_BOOL:
        put_str(s, v->u.b ? "true" : "false");
        break;
    case TT_T_STR:
        if (v->u.s)
            json_string(s, v->u.s);
        else
            put_str(s, "null");
        break;
    case TT_T_TONIC:
    case TT_T_TIMER: {
        const char *name = NULL;
        if (v->type == TT_T_TONIC && v->u.tonic)
            name = tt_tonic_name(v->u.tonic);
        else if (v->type == TT_T_TIMER && v->u.timer)
            name = tt_timer_name(v->u.timer);
        if (!v->u.p) {
            put_str(s, "null");
            break;
        }
        put_str(s, "{\"$liquid\": ");
        json_string(s, name ? name : "");
        put_ch(s, '}');
        break;
    }
    case TT_T_TIMERINFO: {
        const char *name;
        int id;
        if (!v->u.timer) {
            put_str(s, "null");
            break;
        }
        timer_info(v->u.timer, &id, &name);
        snprintf(b, sizeof b, "{\"id\": %d, \"name\": ", id);
        put_str(s, b);
        json_string(s, name ? name : "");
        put_ch(s, '}');
        break;
    }
    case TT_T_PTR:
        if (!v->u.p) {
            put_str(s, "null");
        } else {
            snprintf(b, sizeof b, "\"0x%" PRIxPTR "\"", (uintptr_t)v->u.p);
            put_str(s, b);
        }
        break;
    case TT_T_LIST:
        put_ch(s, '[');
        for (size_t i = 0; v->u.list && i < v->u.list->n; i++) {
            if (i)
                put_str(s, ", ");
            json_value(s, &v->u.list->items[i]);
        }
        put_ch(s, ']');
        break;
    case TT_T_MAP:
        put_ch(s, '{');
        for (size_t i = 0; v->u.map && i < v->u.map->n; i++) {
            if (i)
                put_str(s, ", ");
            json_string(s, v->u.map->keys[i]);
            put_str(s, ": ");
            json_value(s, &v->u.map->vals[i]);
        }
        put_ch(s, '}');
        break;
    default:
        put_str(s, "null");
        break;
    }
}

/* Render as JSON text into buf (always NUL-terminated when size > 0);
 * returns the length the whole text needs, like snprintf. */
size_t tt_value_to_json(const tt_value *v, char *buf, size_t size)
{
    sink s = {buf, size, 0};
    if (v)
        json_value(&s, v);
    else
        put_str(&s, "null");
    return sink_end(&s);
}

/* ===================================================================== */
/* Text (Python str() / repr())                                          */
/* ===================================================================== */

/* Whether Python's str.isprintable() holds for a non-ASCII code point, for
 * the common cases: C1 controls, no-break space, soft hyphen, the format and
 * separator characters of general punctuation, private use and the planes
 * with no assigned characters are not printable.  (Unassigned code points
 * inside the other planes are not known here and count as printable.) */
static bool py_printable(uint32_t cp)
{
    if (cp <= 0xa0 || cp == 0xad)
        return false;
    if ((cp >= 0x2000 && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) ||
        (cp >= 0x205f && cp <= 0x206f) || cp == 0x1680 || cp == 0x3000 ||
        cp == 0x061c || cp == 0x180e || cp == 0xfeff ||
        (cp >= 0xfff9 && cp <= 0xfffb))
        return false;
    if (cp >= 0xe000 && cp <= 0xf8ff)
        return false; /* private use */
    if (cp >= 0x40000 && cp <= 0xdffff)
        return false; /* planes 4-13: unassigned */
    if (cp >= 0xe0000)
        return cp >= 0xe0100 && cp <= 0xe01ef; /* only variation selectors */
    if ((cp & 0xfffe) == 0xfffe)
        return false; /* noncharacters */
    return true;
}

/* A string as Python repr() writes it: single quotes unless the text has a
 * single quote and no double quote; escapes \\ \n \r \t, the quote, and \xNN
 * for control characters (and for bytes that are not valid UTF-8).
 * Non-ASCII characters are kept unless Python counts them as not printable
 * (see py_printable): those become \xNN, \uNNNN or \UNNNNNNNN. */
static void repr_string(sink *s, const char *str)
{
    const unsigned char *p = (const unsigned char *)str;
    size_t n = strlen(str);
    char q = (strchr(str, '\'') && !strchr(str, '"')) ? '"' : '\'';
    char b[16];

    put_ch(s, q);
    while (n > 0) {
        uint32_t cp;
        size_t len;
        if (*p == (unsigned char)q || *p == '\\') {
            put_ch(s, '\\');
            put_ch(s, (char)*p);
            len = 1;
        } else if (*p == '\n') {
            put_str(s, "\\n"), len = 1;
        } else if (*p == '\r') {
            put_str(s, "\\r"), len = 1;
        } else if (*p == '\t') {
            put_str(s, "\\t"), len = 1;
        } else if (*p < 0x20 || *p == 0x7f) {
            snprintf(b, sizeof b, "\\x%02x", *p);
            put_str(s, b);
            len = 1;
        } else if (*p < 0x80) {
            put_ch(s, (char)*p), len = 1;
        } else if ((len = utf8_decode(p, n, &cp)) == 0) {
            snprintf(b, sizeof b, "\\x%02x", *p);
            put_str(s, b);
            len = 1;
        } else if (!py_printable(cp)) {
            snprintf(b, sizeof b,
                     cp < 0x100 ? "\\x%02x" : cp < 0x10000 ? "\\u%04x" : "\\U%08x",
                     (unsigned)cp);
            put_str(s, b);
        } else {
            put_mem(s, (const char *)p, len);
        }
        p += len;
        n -= len;
    }
    put_ch(s, q);
}

/* Render v as Python would: str() at the top, repr() inside containers. */
static void text_value(sink *s, const tt_value *v, bool nested)
{
    char b[48];

    switch (v->type) {
    case TT_T_NONE:
        put_str(s, "None");
        break;
    case TT_T_INT:
        snprintf(b, sizeof b, "%" PRId64, v->u.i);
        put_str(s, b);
        break;
    case TT_T_DOUBLE:
        format_double(v->u.d, b, false);
        put_str(s, b);
        break;
    case TT_T_BOOL:
        put_str(s, v->u.b ? "True" : "False");
        break;
    case TT_T_STR:
        if (!v->u.s)
            put_str(s, "None");
        else if (nested)
            repr_string(s, v->u.s);
        else
            put_str(s, v->u.s);
        break;
    case TT_T_TONIC:
    case TT_T_TIMER: {
        const char *name = NULL;
        if (!v->u.p) {
            put_str(s, "None");
            break;
        }
        name = v->type == TT_T_TONIC ? tt_tonic_name(v->u.tonic)
                                     : tt_timer_name(v->u.timer);
        put_str(s, name ? name : "");
        break;
    }
    case TT_T_TIMERINFO: {
        const char *name;
        int id;
        if (!v->u.timer) {
            put_str(s, "None");
            break;
        }
        timer_info(v->u.timer, &id, &name);
        snprintf(b, sizeof b, "{'id': %d, 'name': ", id);
        put_str(s, b);
        repr_string(s, name ? name : "");
        put_ch(s, '}');
        break;
    }
    case TT_T_PTR:
        if (!v->u.p) {
            put_str(s, "None");
        } else {
            snprintf(b, sizeof b, "0x%" PRIxPTR, (uintptr_t)v->u.p);
            put_str(s, b);
        }
        break;
    case TT_T_LIST:
        put_ch(s, '[');
        for (size_t i = 0; v->u.list && i < v->u.list->n; i++) {
            if (i)
                put_str(s, ", ");
            text_value(s, &v->u.list->items[i], true);
        }
        put_ch(s, ']');
        break;
    case TT_T_MAP:
        put_ch(s, '{');
        for (size_t i = 0; v->u.map && i < v->u.map->n; i++) {
            if (i)
                put_str(s, ", ");
            repr_string(s, v->u.map->keys[i]);
            put_str(s, ": ");
            text_value(s, &v->u.map->vals[i], true);
        }
        put_ch(s, '}');
        break;
    default:
        put_str(s, "None");
        break;
    }
}

/* Render as Python str() would into buf (NUL-terminated when size > 0);
 * returns the length the whole text needs. */
size_t tt_value_to_text(const tt_value *v, char *buf, size_t size)
{
    sink s = {buf, size, 0};
    if (v)
        text_value(&s, v, false);
    else
        put_str(&s, "None");
    return sink_end(&s);
}
