/*
 * golden-util.c: loading, script parsing, normalisation and comparison of the
 * golden traces of the Python reference (see golden-util.h).
 */
#include "golden-util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* s, or dflt when s is NULL. */
static const char *str_or(const char *s, const char *dflt)
{
    return s ? s : dflt;
}

/* printf into err (if any); always returns NULL for `return fail(...)`. */
static void *fail(char *err, size_t errsize, const char *fmt, ...)
{
    va_list ap;

    if (err && errsize) {
        va_start(ap, fmt);
        vsnprintf(err, errsize, fmt, ap);
        va_end(ap);
    }
    return NULL;
}

/* --- loading ------------------------------------------------------------ */

/* Load tests/golden/NAME.json from $GOLDEN, $top_srcdir or the cwd. */
json_t *gu_golden_load(const char *name, char *err, size_t errsize)
{
    const char *dir = getenv("GOLDEN");
    const char *top = getenv("top_srcdir");
    char path[4096];
    json_error_t jerr;
    json_t *root;

    if (dir && *dir)
        snprintf(path, sizeof path, "%s/%s.json", dir, name);
    else if (top && *top)
        snprintf(path, sizeof path, "%s/tests/golden/%s.json", top, name);
    else
        snprintf(path, sizeof path, "tests/golden/%s.json", name);
    root = json_load_file(path, 0, &jerr);
    if (!root)
        return fail(err, errsize, "%s:%d:%d: %s (set GOLDEN to the folder of "
                    "the golden files)", path, jerr.line, jerr.column, jerr.text);
    if (!json_is_object(root) ||
        strcmp(str_or(json_string_value(json_object_get(root, "format")), ""),
               "tasktonic-golden-v1") != 0 ||
        !json_is_array(json_object_get(root, "calls"))) {
        json_decref(root);
        return fail(err, errsize, "%s: not a tasktonic-golden-v1 file", path);
    }
    return root;
}

/* --- Python literals ------------------------------------------------------ */

/* Skip blanks. */
static const char *skip_ws(const char *p)
{
    while (*p && isspace((unsigned char)*p))
        p++;
    return p;
}

/* Whether p starts with word w not followed by an identifier character. */
static bool word_at(const char *p, const char *w)
{
    size_t n = strlen(w);

    return strncmp(p, w, n) == 0 && !isalnum((unsigned char)p[n]) && p[n] != '_';
}

/* A quoted Python string at *pp (either quote). */
static json_t *parse_pystring(const char **pp, char *err, size_t errsize)
{
    const char *p = *pp;
    char quote = *p++;
    size_t cap = 64, n = 0;
    char *buf = malloc(cap);
    json_t *s;

    if (!buf)
        return fail(err, errsize, "out of memory");
    while (*p && *p != quote) {
        char c = *p++;

        if (c == '\\') {
            switch (*p) {
            case '\\': c = '\\'; break;
            case '\'': c = '\''; break;
            case '"': c = '"'; break;
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            default:
                free(buf);
                return fail(err, errsize, "unsupported escape \\%c in a string",
                            *p ? *p : '0');
            }
            p++;
        }
        if (n + 2 > cap) {
            char *nb = realloc(buf, cap *= 2);

            if (!nb) {
                free(buf);
                return fail(err, errsize, "out of memory");
            }
            buf = nb;
        }
        buf[n++] = c;
    }
    if (*p != quote) {
        free(buf);
        return fail(err, errsize, "unterminated string");
    }
    buf[n] = '\0';
    *pp = p + 1;
    s = json_stringn(buf, n);
    free(buf);
    return s ? s : fail(err, errsize, "string is not UTF-8");
}

/* A number at *pp: int unless it has a fraction or exponent. */
static json_t *parse_pynumber(const char **pp, char *err, size_t errsize)
{
    const char *p = *pp, *q = p;
    bool real = false;
    char *end;

    if (*q == '-' || *q == '+')
        q++;
    while (isdigit((unsigned char)*q) || *q == '.' || *q == 'e' || *q == 'E' ||
           ((*q == '-' || *q == '+') && (q[-1] == 'e' || q[-1] == 'E'))) {
        if (*q == '.' || *q == 'e' || *q == 'E')
            real = true;
        q++;
    }
    errno = 0;
    if (real) {
        double d = strtod(p, &end);

        if (end != q || errno)
            return fail(err, errsize, "bad number '%.*s'", (int)(q - p), p);
        *pp = q;
        return json_real(d);
    }
    long long i = strtoll(p, &end, 10);

    if (end != q || errno || end == p)
        return fail(err, errsize, "bad number '%.*s'", (int)(q - p), p);
    *pp = q;
    return json_integer(i);
}

/* A sequence "[a, b]" or "(a, b)" into a JSON array. */
static json_t *parse_pyseq(const char **pp, char close, char *err, size_t errsize)
{
    const char *p = *pp + 1;
    json_t *arr = json_array();

    for (;;) {
        p = skip_ws(p);
        if (*p == close)
            break;
        json_t *v = gu_pylit_parse(&p, err, errsize);

        if (!v) {
            json_decref(arr);
            return NULL;
        }
        json_array_append_new(arr, v);
        p = skip_ws(p);
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p != close) {
            json_decref(arr);
            return fail(err, errsize, "expected ',' or '%c' at \"%.20s\"", close, p);
        }
    }
    *pp = p + 1;
    return arr;
}

/* A dict "{'k': v}" (string keys) into a JSON object, keeping the order. */
static json_t *parse_pydict(const char **pp, char *err, size_t errsize)
{
    const char *p = *pp + 1;
    json_t *obj = json_object();

    for (;;) {
        p = skip_ws(p);
        if (*p == '}')
            break;
        if (*p != '\'' && *p != '"') {
            json_decref(obj);
            return fail(err, errsize, "dict key must be a string at \"%.20s\"", p);
        }
        json_t *k = parse_pystring(&p, err, errsize);

        if (!k) {
            json_decref(obj);
            return NULL;
        }
        p = skip_ws(p);
        if (*p != ':') {
            json_decref(k);
            json_decref(obj);
            return fail(err, errsize, "expected ':' at \"%.20s\"", p);
        }
        p++;
        json_t *v = gu_pylit_parse(&p, err, errsize);

        if (!v) {
            json_decref(k);
            json_decref(obj);
            return NULL;
        }
        json_object_set_new(obj, json_string_value(k), v);
        json_decref(k);
        p = skip_ws(p);
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p != '}') {
            json_decref(obj);
            return fail(err, errsize, "expected ',' or '}' at \"%.20s\"", p);
        }
    }
    *pp = p + 1;
    return obj;
}

/* One Python literal into JSON (see golden-util.h). */
json_t *gu_pylit_parse(const char **text, char *err, size_t errsize)
{
    const char *p = skip_ws(*text);
    json_t *v = NULL;

    if (*p == '\'' || *p == '"')
        v = parse_pystring(&p, err, errsize);
    else if (*p == '[')
        v = parse_pyseq(&p, ']', err, errsize);
    else if (*p == '(')
        v = parse_pyseq(&p, ')', err, errsize);
    else if (*p == '{')
        v = parse_pydict(&p, err, errsize);
    else if (word_at(p, "True"))
        p += 4, v = json_true();
    else if (word_at(p, "False"))
        p += 5, v = json_false();
    else if (word_at(p, "None"))
        p += 4, v = json_null();
    else if (isdigit((unsigned char)*p) || *p == '-' || *p == '+' || *p == '.')
        v = parse_pynumber(&p, err, errsize);
    else
        return fail(err, errsize, "unexpected text \"%.20s\"", p);
    if (v)
        *text = p;
    return v;
}

/* --- calls --------------------------------------------------------------- */

/* "TARGET.NAME(args, key=value)" into its parts. */
int gu_call_parse(const char *text, gu_call *out, char *err, size_t errsize)
{
    const char *open = strchr(text, '(');
    const char *p;

    memset(out, 0, sizeof *out);
    if (!open) {
        fail(err, errsize, "'%s': not a call", text);
        return -1;
    }
    /* The sparkle name is after the last '.' before '(' (tonic names may
     * contain dots, sparkle names do not). */
    const char *dot = NULL;

    for (p = text; p < open; p++)
        if (*p == '.')
            dot = p;
    if (dot) {
        out->target = strndup(text, (size_t)(dot - text));
        out->name = strndup(dot + 1, (size_t)(open - dot - 1));
    } else {
        out->name = strndup(text, (size_t)(open - text));
    }
    out->args = json_array();
    out->kwargs = json_object();
    p = open + 1;
    for (;;) {
        p = skip_ws(p);
        if (*p == ')')
            break;
        /* keyword=value? */
        const char *q = p;

        while (isalnum((unsigned char)*q) || *q == '_')
            q++;
        const char *eq = skip_ws(q);

        if (q > p && *eq == '=' && eq[1] != '=') {
            char *key = strndup(p, (size_t)(q - p));
            const char *vp = eq + 1;
            json_t *v = gu_pylit_parse(&vp, err, errsize);

            if (!v) {
                free(key);
                gu_call_free(out);
                return -1;
            }
            json_object_set_new(out->kwargs, key, v);
            free(key);
            p = vp;
        } else {
            json_t *v = gu_pylit_parse(&p, err, errsize);

            if (!v) {
                gu_call_free(out);
                return -1;
            }
            json_array_append_new(out->args, v);
        }
        p = skip_ws(p);
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p != ')') {
            fail(err, errsize, "'%s': expected ',' or ')' at \"%.20s\"", text, p);
            gu_call_free(out);
            return -1;
        }
    }
    if (*skip_ws(p + 1)) {
        fail(err, errsize, "'%s': text after the call", text);
        gu_call_free(out);
        return -1;
    }
    return 0;
}

/* Free what gu_call_parse filled in. */
void gu_call_free(gu_call *c)
{
    free(c->target);
    free(c->name);
    json_decref(c->args);
    json_decref(c->kwargs);
    memset(c, 0, sizeof *c);
}

/* args followed by the kwargs values. */
json_t *gu_call_positional(const gu_call *c)
{
    json_t *all = json_deep_copy(c->args);
    const char *k;
    json_t *v;

    json_object_foreach(c->kwargs, k, v)
        json_array_append(all, v);
    return all;
}

/* --- normalisation ------------------------------------------------------- */

/* A deep copy of obj[key], or null when it is missing. */
static json_t *get_or_null(const json_t *obj, const char *key)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

    return v ? json_deep_copy(v) : json_null();
}

/* at_enter / at_exit without "@" and extensions. */
static json_t *normalize_moment(const json_t *m, bool is_exit)
{
    json_t *out;

    if (!json_is_object(m))
        return m ? json_deep_copy(m) : json_null();
    out = json_object();
    json_object_set_new(out, "state", get_or_null(m, "state"));
    json_object_set_new(out, "probes", get_or_null(m, "probes"));
    if (is_exit)
        json_object_set_new(out, "sparkling", get_or_null(m, "sparkling"));
    return out;
}

/* One sparkle_trace entry, normalised. */
static json_t *normalize_entry(const json_t *e)
{
    json_t *out, *args;
    const json_t *kw;

    if (!json_is_object(e))
        return json_deep_copy(e);
    out = json_object();
    json_object_set_new(out, "id", get_or_null(e, "id"));
    json_object_set_new(out, "tonic", get_or_null(e, "tonic"));
    json_object_set_new(out, "sparkle", get_or_null(e, "sparkle"));
    args = get_or_null(e, "args");
    kw = json_object_get(e, "kwargs");
    if (json_is_array(args) && json_is_object(kw)) {
        const char *k;
        json_t *v;

        json_object_foreach((json_t *)kw, k, v)
            json_array_append(args, v);
    }
    json_object_set_new(out, "args", args);
    json_object_set_new(out, "source", get_or_null(e, "source"));
    json_object_set_new(out, "at_enter",
                        normalize_moment(json_object_get(e, "at_enter"), false));
    json_object_set_new(out, "at_exit",
                        normalize_moment(json_object_get(e, "at_exit"), true));
    return out;
}

/* The README's normalisation of one sparkle() result. */
json_t *gu_normalize_result(const json_t *result)
{
    json_t *out = json_object();
    const json_t *trace = json_object_get(result, "sparkle_trace");

    json_object_set_new(out, "status", get_or_null(result, "status"));
    json_object_set_new(out, "stop_condition", get_or_null(result, "stop_condition"));
    json_object_set_new(out, "contract_details",
                        get_or_null(result, "contract_details"));
    if (json_is_array(trace)) {
        json_t *t = json_array();
        size_t i;
        json_t *e;

        json_array_foreach((json_t *)trace, i, e)
            json_array_append_new(t, normalize_entry(e));
        json_object_set_new(out, "sparkle_trace", t);
    } else {
        json_object_set_new(out, "sparkle_trace", get_or_null(result, "sparkle_trace"));
    }
    return out;
}

/* Whether list a is a prefix of list b. */
static bool is_prefix(const json_t *a, const json_t *b)
{
    if (json_array_size(a) > json_array_size(b))
        return false;
    for (size_t i = 0; i < json_array_size(a); i++)
        if (!json_equal(json_array_get(a, i), json_array_get(b, i)))
            return false;
    return true;
}

/* Replace a list probe by what each sparkle appended to it. */
size_t gu_probe_appended(json_t *result, const char *probe)
{
    size_t n = 0, i;
    json_t *e;

    json_array_foreach(json_object_get(result, "sparkle_trace"), i, e) {
        json_t *pin = json_object_get(json_object_get(e, "at_enter"), "probes");
        json_t *pout = json_object_get(json_object_get(e, "at_exit"), "probes");
        json_t *before = json_object_get(pin, probe);
        json_t *after = json_object_get(pout, probe);

        if (!json_is_array(before) || !json_is_array(after) || !is_prefix(before, after))
            continue;
        json_t *added = json_array();

        for (size_t j = json_array_size(before); j < json_array_size(after); j++)
            json_array_append(added, json_array_get(after, j));
        json_object_set_new(pout, probe, added);
        json_object_del(pin, probe);
        n++;
    }
    return n;
}

/* --- comparison ---------------------------------------------------------- */

/* Report one difference. */
static size_t report(gu_diff_fn fn, void *ud, const char *path,
                     const json_t *expected, const json_t *got)
{
    if (fn)
        fn(ud, path, expected, got);
    return 1;
}

/* Structural comparison; one fn call per difference. */
size_t gu_diff(const json_t *expected, const json_t *got, const char *path,
               gu_diff_fn fn, void *ud)
{
    char sub[1024];
    size_t n = 0;

    if (!expected || !got)
        return expected == got ? 0 : report(fn, ud, path, expected, got);
    if (json_typeof(expected) != json_typeof(got))
        return report(fn, ud, path, expected, got);
    switch (json_typeof(expected)) {
    case JSON_OBJECT: {
        const char *k;
        json_t *v;

        json_object_foreach((json_t *)expected, k, v) {
            snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", k);
            n += gu_diff(v, json_object_get(got, k), sub, fn, ud);
        }
        json_object_foreach((json_t *)got, k, v) {
            if (json_object_get(expected, k))
                continue;
            snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", k);
            n += report(fn, ud, sub, NULL, v);
        }
        return n;
    }
    case JSON_ARRAY: {
        size_t ne = json_array_size(expected), ng = json_array_size(got);

        if (ne != ng) {
            json_t *le = json_integer((json_int_t)ne), *lg = json_integer((json_int_t)ng);

            snprintf(sub, sizeof sub, "%s.length", path);
            n += report(fn, ud, sub, le, lg);
            json_decref(le);
            json_decref(lg);
        }
        for (size_t i = 0; i < ne && i < ng; i++) {
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            n += gu_diff(json_array_get(expected, i), json_array_get(got, i), sub,
                         fn, ud);
        }
        return n;
    }
    default:
        return json_equal((json_t *)expected, (json_t *)got)
                   ? 0 : report(fn, ud, path, expected, got);
    }
}

/* Compact JSON of v into buf. */
const char *gu_json_text(const json_t *v, char *buf, size_t size)
{
    char *s;

    if (!v) {
        snprintf(buf, size, "(missing)");
        return buf;
    }
    s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!s) {
        snprintf(buf, size, "(unprintable)");
        return buf;
    }
    if (strlen(s) >= size && size > 4) {
        memcpy(buf, s, size - 4);
        strcpy(buf + size - 4, "...");
    } else {
        snprintf(buf, size, "%s", s);
    }
    free(s);
    return buf;
}

/* One readable line about a normalised entry. */
const char *gu_entry_line(const json_t *e, char *buf, size_t size)
{
    char args[200], src[200];
    const json_t *en = json_object_get(e, "at_enter");
    const json_t *ex = json_object_get(e, "at_exit");

    gu_json_text(json_object_get(e, "args"), args, sizeof args);
    gu_json_text(json_object_get(e, "source"), src, sizeof src);
    snprintf(buf, size, "%2lld %s.%s%s <- %s  %s->%s",
             (long long)json_integer_value(json_object_get(e, "id")),
             str_or(json_string_value(json_object_get(e, "tonic")), "?"),
             str_or(json_string_value(json_object_get(e, "sparkle")), "?"), args, src,
             str_or(json_string_value(json_object_get(en, "state")), "?"),
             str_or(json_string_value(json_object_get(ex, "state")), "?"));
    return buf;
}
