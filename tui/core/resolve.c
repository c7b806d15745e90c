/*
 * resolve.c: turn names typed by the user into the session's objects, with
 * one clear line and a suggestion (tt_suggest) when a name is unknown.
 * Sparkles may be typed in full ("ttsc__open") or by the part after "__"
 * when that is unique ("open").
 */
#include "ttdb.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Names of every tonic (the catalyst included), for suggestions. */
static void tonic_names(tt_catalyst *cat, strvec *out)
{
    size_t n = tt_tonic_count(cat);
    for (size_t i = 0; i < n; i++) {
        tt_tonic *t = tt_tonic_at(cat, i);
        if (t && !sv_has(out, tt_tonic_name(t)))
            sv_add(out, tt_tonic_name(t));
    }
}

/* The suggestion for word among names, copied into a static buffer. */
static const char *suggest_from(const char *word, const strvec *names)
{
    static char buf[256];
    const char *s = tt_suggest(word, (const char *const *)names->v, names->n);
    if (!s)
        return NULL;
    snprintf(buf, sizeof buf, "%s", s);
    return buf;
}

/* A sparkle suggestion for word among names; failing that, an event by
 * what it is about: `motor` suggests on_motor (the sparkle a timer named
 * motor calls). */
static const char *suggest_sparkle(const char *word, const strvec *names)
{
    const char *s = suggest_from(word, names);
    if (s)
        return s;
    char *ev = xasprintf("on_%s", word);
    s = sv_has(names, ev) ? suggest_from(ev, names) : NULL;
    free(ev);
    return s;
}

/* Whether the text is a (non-negative) decimal number. */
static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* A tonic by name or id; silent. */
tt_tonic *find_tonic(tt_catalyst *cat, const char *name, const char **suggest)
{
    if (suggest)
        *suggest = NULL;
    tt_tonic *t = tt_tonic_by_name(cat, name);
    if (t)
        return t;
    if (all_digits(name)) {
        long id = strtol(name, NULL, 10);
        t = tt_tonic_by_id(cat, (int)id);
        if (t)
            return t;
    }
    /* finished tonics keep their names in the serial table */
    size_t n = tt_tonic_count(cat);
    for (size_t i = 0; i < n; i++) {
        tt_tonic *u = tt_tonic_at(cat, i);
        if (u && strcmp(tt_tonic_name(u), name) == 0)
            return u;
    }
    if (suggest) {
        strvec names = {0};
        tonic_names(cat, &names);
        *suggest = suggest_from(name, &names);
        sv_free(&names);
    }
    return NULL;
}

/* A tonic by name or id; prints an error with a suggestion. */
tt_tonic *resolve_tonic(tt_catalyst *cat, const char *name)
{
    const char *sug;
    tt_tonic *t = find_tonic(cat, name, &sug);
    if (t)
        return t;
    /* "Lane" with LaneN and LaneS: name them all, not the nearest one */
    strvec names = {0}, starts = {0};
    tonic_names(cat, &names);
    for (size_t i = 0; *name && i < names.n; i++)
        if (str_starts(names.v[i], name))
            sv_add(&starts, names.v[i]);
    if (starts.n >= 2) {
        strbuf b = {0};
        for (size_t i = 0; i < starts.n && i < 8; i++)
            sb_printf(&b, "%s%s", i ? ", " : "", starts.v[i]);
        out_error("unknown tonic \"%s\": %s%s start so", name, b.s,
                  starts.n > 8 ? ", ..." : "");
        sb_free(&b);
    }
    sv_free(&names);
    if (starts.n >= 2) {
        sv_free(&starts);
        return NULL;
    }
    sv_free(&starts);
    if (sug)
        out_error("unknown tonic \"%s\" (did you mean \"%s\"?)", name, sug);
    else
        out_error("unknown tonic \"%s\" (`info tonics` lists them)", name);
    return NULL;
}

/* The short name of a sparkle: the part after "__" ("open"). */
static const char *short_name(const char *full)
{
    const char *p = strstr(full, "__");
    return p ? p + 2 : full;
}

/* Look name up among t's sparkles: exact (returned), else count the
 * distinct sparkles whose short name matches in *nshort (the last in
 * *short_hit); system sparkles (`_tt*`) count only when no other does. */
static const char *match_sparkle(tt_tonic *t, const char *name, int *nshort,
                                 const char **short_hit)
{
    size_t n = tt_tonic_sparkle_count(t);
    for (size_t i = 0; i < n; i++) {
        const char *s = tt_tonic_sparkle_at(t, i);
        if (strcmp(s, name) == 0)
            return s;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            const char *s = tt_tonic_sparkle_at(t, i);
            if (is_system_sparkle(s) != (pass == 1))
                continue;
            if (strcmp(short_name(s), name) == 0) {
                if (*nshort == 0 || strcmp(*short_hit, s) != 0)
                    (*nshort)++;
                *short_hit = s;
            }
        }
        if (*nshort)
            break;
    }
    return NULL;
}

/* Candidates for a sparkle suggestion: full and short names of t (a typo
 * in a short name is suggested as the short name). */
static void sparkle_names(tt_tonic *t, strvec *out)
{
    size_t n = tt_tonic_sparkle_count(t);
    for (size_t i = 0; i < n; i++) {
        const char *s = tt_tonic_sparkle_at(t, i);
        if (!sv_has(out, s))
            sv_add(out, s);
        if (!sv_has(out, short_name(s)))
            sv_add(out, short_name(s));
    }
}

/* An interface sparkle of t (full or unique short name); silent: NULL
 * with the reason (and a suggestion) in err. */
const char *sparkle_of(tt_tonic *t, const char *name, char *err, size_t esz)
{
    int nshort = 0;
    const char *hit = NULL;
    const char *s = match_sparkle(t, name, &nshort, &hit);
    if (s)
        return s;
    if (nshort == 1)
        return hit;
    if (nshort > 1) {
        snprintf(err, esz, "ambiguous sparkle \"%s\" of %s: give the full "
                 "name (`info sparkles %s`)", name, tt_tonic_name(t),
                 tt_tonic_name(t));
        return NULL;
    }
    strvec names = {0};
    sparkle_names(t, &names);
    const char *sug = suggest_sparkle(name, &names);
    sv_free(&names);
    if (sug)
        snprintf(err, esz, "%s has no sparkle \"%s\" (did you mean \"%s\"?)",
                 tt_tonic_name(t), name, sug);
    else
        snprintf(err, esz, "%s has no sparkle \"%s\" (`info sparkles %s` "
                 "lists them)", tt_tonic_name(t), name, tt_tonic_name(t));
    return NULL;
}

/* An interface sparkle of t (full or unique short name). */
const char *resolve_sparkle(tt_tonic *t, const char *name)
{
    char err[512];
    const char *s = sparkle_of(t, name, err, sizeof err);
    if (!s)
        out_error("%s", err);
    return s;
}

/* A sparkle name known to any tonic (full or unique short name). */
const char *find_sparkle_any(tt_catalyst *cat, const char *name,
                             const char **suggest)
{
    if (suggest)
        *suggest = NULL;
    size_t n = tt_tonic_count(cat);
    int nshort = 0;
    const char *hit = NULL;
    for (size_t i = 0; i < n; i++) {
        tt_tonic *t = tt_tonic_at(cat, i);
        if (!t)
            continue;
        const char *s = match_sparkle(t, name, &nshort, &hit);
        if (s)
            return s;
    }
    if (nshort == 1)
        return hit;
    if (suggest) {
        strvec names = {0};
        for (size_t i = 0; i < n; i++) {
            tt_tonic *t = tt_tonic_at(cat, i);
            if (t)
                sparkle_names(t, &names);
        }
        *suggest = suggest_sparkle(name, &names);
        sv_free(&names);
    }
    return NULL;
}

/* State names of t. */
static void state_names(tt_tonic *t, strvec *out)
{
    size_t n = tt_tonic_state_count(t);
    for (size_t i = 0; i < n; i++) {
        const char *s = tt_tonic_state_at(t, (int)i);
        if (s && !sv_has(out, s))
            sv_add(out, s);
    }
}

/* Whether t has the state; silent: the reason in err when not. */
bool state_of(tt_tonic *t, const char *state, char *err, size_t esz)
{
    if (tt_tonic_state_index(t, state) >= 0)
        return true;
    strvec names = {0};
    state_names(t, &names);
    const char *sug = suggest_from(state, &names);
    if (sug)
        snprintf(err, esz, "%s has no state \"%s\" (did you mean \"%s\"?)",
                 tt_tonic_name(t), state, sug);
    else if (names.n == 0)
        snprintf(err, esz, "%s has no states", tt_tonic_name(t));
    else
        snprintf(err, esz, "%s has no state \"%s\" (`info states %s` lists "
                 "them)", tt_tonic_name(t), state, tt_tonic_name(t));
    sv_free(&names);
    return false;
}

/* Whether t has the state (error with a suggestion when not). */
bool resolve_state(tt_tonic *t, const char *state)
{
    char err[512];
    bool ok = state_of(t, state, err, sizeof err);
    if (!ok)
        out_error("%s", err);
    return ok;
}

/* Whether some tonic has the state. */
bool find_state_any(tt_catalyst *cat, const char *state, const char **suggest)
{
    if (suggest)
        *suggest = NULL;
    size_t n = tt_tonic_count(cat);
    for (size_t i = 0; i < n; i++) {
        tt_tonic *t = tt_tonic_at(cat, i);
        if (t && tt_tonic_state_index(t, state) >= 0)
            return true;
    }
    if (suggest) {
        strvec names = {0};
        for (size_t i = 0; i < n; i++) {
            tt_tonic *t = tt_tonic_at(cat, i);
            if (t)
                state_names(t, &names);
        }
        *suggest = suggest_from(state, &names);
        sv_free(&names);
    }
    return false;
}

/* Whether t has the probe; silent: the reason in err when not. */
bool probe_of(tt_tonic *t, const char *probe, char *err, size_t esz)
{
    size_t n = tt_tonic_probe_count(t);
    strvec names = {0};
    for (size_t i = 0; i < n; i++) {
        const char *p = tt_tonic_probe_at(t, i);
        if (strcmp(p, probe) == 0) {
            sv_free(&names);
            return true;
        }
        sv_add(&names, p);
    }
    const char *sug = suggest_from(probe, &names);
    if (sug)
        snprintf(err, esz, "%s has no probe \"%s\" (did you mean \"%s\"?)",
                 tt_tonic_name(t), probe, sug);
    else
        snprintf(err, esz, "%s has no probe \"%s\" (`info probes %s` lists "
                 "them)", tt_tonic_name(t), probe, tt_tonic_name(t));
    sv_free(&names);
    return false;
}

/* Whether t has the probe (error with a suggestion when not). */
bool resolve_probe(tt_tonic *t, const char *probe)
{
    char err[512];
    bool ok = probe_of(t, probe, err, sizeof err);
    if (!ok)
        out_error("%s", err);
    return ok;
}

/* Whether text reads as a value of t.probe's current type (a probe that
 * cannot be read now takes any value); the reason in err when not. */
bool probe_value_ok(tt_tonic *t, const char *probe, const char *text,
                    char *err, size_t esz)
{
    tt_value cur = TT_NONE, want = TT_NONE;
    char why[256];
    bool have = tt_tonic_probe_read(t, probe, &cur) == 0;
    int rc = parse_probe_value(tt_tonic_catalyst(t), have ? &cur : NULL, text,
                               &want, why, sizeof why);
    tt_value_clear(&cur);
    tt_value_clear(&want);
    if (rc < 0)
        snprintf(err, esz, "%s.%s: %s", tt_tonic_name(t), probe, why);
    return rc == 0;
}

/* Split "TONIC.NAME" at the last dot. */
bool split_dotted(const char *text, char **left, char **right)
{
    const char *dot = strrchr(text, '.');
    if (!dot || dot == text || !dot[1])
        return false;
    *left = xstrdup(text);
    (*left)[dot - text] = '\0';
    *right = xstrdup(dot + 1);
    return true;
}

/* Convert a jansson value into a tt_value (deep, owned). */
static int value_from_jansson(json_t *j, tt_value *out)
{
    *out = TT_NONE;
    switch (json_typeof(j)) {
    case JSON_NULL:
        return 0;
    case JSON_TRUE:
    case JSON_FALSE:
        *out = TT_BOOL(json_is_true(j));
        return 0;
    case JSON_INTEGER:
        *out = TT_INT(json_integer_value(j));
        return 0;
    case JSON_REAL:
        *out = TT_DOUBLE(json_real_value(j));
        return 0;
    case JSON_STRING: {
        tt_value s = TT_STR(json_string_value(j));
        return tt_value_copy(out, &s) < 0 ? -1 : 0;
    }
    case JSON_ARRAY: {
        size_t n = json_array_size(j);
        tt_value *items = xcalloc(n, sizeof *items);
        int rc = 0;
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = value_from_jansson(json_array_get(j, i), &items[i]);
        if (rc == 0 && tt_value_list(out, items, n) < 0)
            rc = -1;
        for (size_t i = 0; i < n; i++)
            tt_value_clear(&items[i]);
        free(items);
        return rc;
    }
    case JSON_OBJECT: {
        size_t n = json_object_size(j), i = 0;
        const char **keys = xcalloc(n, sizeof *keys);
        tt_value *vals = xcalloc(n, sizeof *vals);
        const char *k;
        json_t *v;
        int rc = 0;
        json_object_foreach(j, k, v)
        {
            keys[i] = k;
            if (rc == 0)
                rc = value_from_jansson(v, &vals[i]);
            i++;
        }
        if (rc == 0 && tt_value_map(out, keys, vals, n) < 0)
            rc = -1;
        for (i = 0; i < n; i++)
            tt_value_clear(&vals[i]);
        free(vals);
        free(keys);
        return rc;
    }
    }
    return -1;
}

/* JSON text -> value; -1 when the text is not JSON. */
int value_from_json(const char *text, tt_value *out)
{
    json_error_t jerr;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (!j)
        return -1;
    int rc = value_from_jansson(j, out);
    json_decref(j);
    return rc;
}

/* JSON text indented for reading (malloc'ed), NULL if not JSON. */
char *json_reindent(const char *text)
{
    json_error_t jerr;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (!j)
        return NULL;
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                JSON_ENCODE_ANY);
    json_decref(j);
    return s;
}

/* Whether a type is one tt_value_parse reads. */
static bool parse_type_scalar(tt_type t)
{
    return t == TT_T_INT || t == TT_T_DOUBLE || t == TT_T_BOOL ||
           t == TT_T_STR || t == TT_T_TONIC;
}

/* A value to compare with a probe: by the probe's current type if known. */
int parse_probe_value(tt_catalyst *cat, const tt_value *like,
                      const char *text, tt_value *out, char *err, size_t esz)
{
    if (like && parse_type_scalar(like->type)) {
        tt_error e = {0};
        if (tt_value_parse(cat, like->type, text, out, &e) == 0)
            return 0;
        if (strcmp(text, "null") == 0 || strcmp(text, "none") == 0) {
            *out = TT_NONE;
            return 0;
        }
        snprintf(err, esz, "%s", e.msg[0] ? e.msg : "bad value");
        return -1;
    }
    if (value_from_json(text, out) == 0)
        return 0;
    if (like && (like->type == TT_T_LIST || like->type == TT_T_MAP)) {
        snprintf(err, esz, "\"%s\" is not a JSON %s", text,
                 like->type == TT_T_LIST ? "list" : "object");
        return -1;
    }
    if (strcmp(text, "none") == 0) {
        *out = TT_NONE;
        return 0;
    }
    if (strcmp(text, "True") == 0 || strcmp(text, "False") == 0) {
        *out = TT_BOOL(text[0] == 'T');
        return 0;
    }
    /* a bare word is a string */
    tt_value s = TT_STR(text);
    if (tt_value_copy(out, &s) < 0) {
        snprintf(err, esz, "out of memory");
        return -1;
    }
    return 0;
}

/* A sparkle no tonic has, named by word: one line, -1.  A tonic's name
 * (`break CarA`) says how to name one of its sparkles. */
int sparkle_any_error(tt_catalyst *cat, const char *word, const char *sug)
{
    if (cat && find_tonic(cat, word, NULL))
        out_error("\"%s\" is a tonic: name one of its sparkles as %s.SPARKLE "
                  "(`info sparkles %s`)", word, word, word);
    else if (sug)
        out_error("no tonic has a sparkle \"%s\" (did you mean \"%s\"?)", word, sug);
    else
        out_error("no tonic has a sparkle \"%s\"", word);
    return -1;
}

/* A probe named without its tonic (`watch floor`): one line naming the
 * tonics that have it, -1. */
int probe_name_error(const char *word)
{
    probe_named(word, true);
    return -1;
}

/* How many tonics have a probe named word; with say, the error line of
 * probe_name_error. */
size_t probe_named(const char *word, bool say)
{
    tt_catalyst *cat = g_session.cat;
    strbuf b = {0};
    size_t n = cat ? tt_tonic_count(cat) : 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        tt_tonic *t = tt_tonic_at(cat, i);
        for (size_t j = 0; t && j < tt_tonic_probe_count(t); j++)
            if (strcmp(tt_tonic_probe_at(t, j), word) == 0) {
                if (k++ < 3)
                    sb_printf(&b, "%s%s.%s", k > 1 ? ", " : "", tt_tonic_name(t), word);
                break;
            }
    }
    if (say && k)
        out_error("\"%s\": name the probe as TONIC.PROBE (%s%s)", word, b.s,
                  k > 3 ? ", ..." : "");
    else if (say)
        out_error("\"%s\": name the probe as TONIC.PROBE", word);
    sb_free(&b);
    return k;
}
