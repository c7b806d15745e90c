/*
 * golden-compare.c: compare the `sparkle -json` lines of a ttdb session
 * with a golden file of the Python Distiller (tasktonic-golden-v1).
 *
 *     golden-compare [--delta PROBE]... [--expect C.E.PROBE=JSON]...
 *                    GOLDEN.json OUTPUT.txt
 *
 * Every line of OUTPUT that starts with '{' is one run, in the order of the
 * golden file's calls.  Both sides are normalized as the reference README
 * says: timestamps dropped, extension keys ("seq", "vt") dropped, the
 * values of kwargs appended to args, missing keys as null, and a call
 * queued by ttdb (source [null, "ttdb", -1]) counted as the external source
 * [null, "", -1].  --delta PROBE compares, for a list probe that a driver
 * cannot empty between calls, what each sparkle appended (its at_exit list
 * minus its at_enter prefix).  --expect sets the golden at_exit value of
 * PROBE (after --delta) of call C, entry E (both from 1) to JSON: a
 * deliberate difference from Python.  Numbers compare by value.
 *
 * Prints each difference with its path; exits 0 when equal, 1 when not,
 * 2 on bad input.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SHOWN 20

static size_t shown, ndiff;

/* The value or JSON null. */
static json_t *get_or_null(const json_t *o, const char *key)
{
    json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
    return v ? json_incref(v) : json_null();
}

/* {state, probes[, sparkling]} of one moment. */
static json_t *norm_moment(const json_t *m, bool is_exit)
{
    json_t *o = json_object();
    json_object_set_new(o, "state", get_or_null(m, "state"));
    json_t *p = json_is_object(m) ? json_object_get(m, "probes") : NULL;
    json_object_set_new(o, "probes", p ? json_deep_copy(p) : json_object());
    if (is_exit)
        json_object_set_new(o, "sparkling", get_or_null(m, "sparkling"));
    return o;
}

/* One trace entry. */
static json_t *norm_entry(const json_t *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", get_or_null(e, "id"));
    json_object_set_new(o, "tonic", get_or_null(e, "tonic"));
    json_object_set_new(o, "sparkle", get_or_null(e, "sparkle"));
    json_t *args = json_array();
    json_t *a = json_object_get(e, "args");
    if (json_is_array(a))
        json_array_extend(args, a);
    json_t *kw = json_object_get(e, "kwargs");
    const char *k;
    json_t *v;
    if (json_is_object(kw))
        json_object_foreach(kw, k, v) json_array_append(args, v);
    json_object_set_new(o, "args", args);
    json_t *src = json_object_get(e, "source");
    if (json_is_array(src) && json_array_size(src) == 3 &&
        json_is_null(json_array_get(src, 0)) &&
        json_is_string(json_array_get(src, 1)) &&
        strcmp(json_string_value(json_array_get(src, 1)), "ttdb") == 0)
        json_object_set_new(o, "source", json_pack("[n,s,i]", "", -1));
    else
        json_object_set_new(o, "source", get_or_null(e, "source"));
    json_object_set_new(o, "at_enter",
                        norm_moment(json_object_get(e, "at_enter"), false));
    json_object_set_new(o, "at_exit",
                        norm_moment(json_object_get(e, "at_exit"), true));
    return o;
}

/* A sparkle() result. */
static json_t *norm_result(const json_t *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "status", get_or_null(r, "status"));
    json_object_set_new(o, "stop_condition", get_or_null(r, "stop_condition"));
    json_object_set_new(o, "contract_details",
                        get_or_null(r, "contract_details"));
    json_t *t = json_object_get(r, "sparkle_trace");
    if (json_is_array(t)) {
        json_t *n = json_array();
        size_t i;
        json_t *e;
        json_array_foreach(t, i, e) json_array_append_new(n, norm_entry(e));
        json_object_set_new(o, "sparkle_trace", n);
    } else {
        json_object_set_new(o, "sparkle_trace", json_null());
    }
    return o;
}

/* Replace a list probe by what the sparkle appended to it. */
static void apply_delta(json_t *result, const char *probe)
{
    json_t *t = json_object_get(result, "sparkle_trace");
    size_t i;
    json_t *e;
    json_array_foreach(t, i, e)
    {
        json_t *pe = json_object_get(json_object_get(e, "at_enter"), "probes");
        json_t *px = json_object_get(json_object_get(e, "at_exit"), "probes");
        json_t *a = json_object_get(pe, probe), *b = json_object_get(px, probe);
        if (!json_is_array(a) || !json_is_array(b) ||
            json_array_size(a) > json_array_size(b))
            continue;
        bool prefix = true;
        for (size_t k = 0; k < json_array_size(a) && prefix; k++)
            prefix = json_equal(json_array_get(a, k), json_array_get(b, k));
        if (!prefix)
            continue;
        json_t *d = json_array();
        for (size_t k = json_array_size(a); k < json_array_size(b); k++)
            json_array_append(d, json_array_get(b, k));
        json_object_set_new(px, probe, d);
        json_object_set_new(pe, probe, json_array());
    }
}

/* Print one difference. */
static void report(const char *path, const json_t *want, const json_t *got)
{
    ndiff++;
    if (shown++ >= MAX_SHOWN)
        return;
    char *w = want ? json_dumps(want, JSON_COMPACT | JSON_ENCODE_ANY)
                   : strdup("(missing)");
    char *g = got ? json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY)
                  : strdup("(missing)");
    printf("# %s:\n#   golden: %.300s\n#   ttdb:   %.300s\n", path, w, g);
    free(w);
    free(g);
}

/* Structural comparison; numbers by value. */
static void diff(const json_t *want, const json_t *got, const char *path)
{
    char sub[1024];
    if (json_is_number(want) && json_is_number(got)) {
        if (json_number_value(want) != json_number_value(got))
            report(path, want, got);
        return;
    }
    if (!want || !got || json_typeof(want) != json_typeof(got)) {
        report(path, want, got);
        return;
    }
    if (json_is_object(want)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)want, k, v)
        {
            snprintf(sub, sizeof sub, "%s.%s", path, k);
            diff(v, json_object_get(got, k), sub);
        }
        json_object_foreach((json_t *)got, k, v)
        {
            if (!json_object_get(want, k)) {
                snprintf(sub, sizeof sub, "%s.%s", path, k);
                report(sub, NULL, v);
            }
        }
        return;
    }
    if (json_is_array(want)) {
        size_t n = json_array_size(want), m = json_array_size(got);
        for (size_t i = 0; i < n || i < m; i++) {
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            diff(i < n ? json_array_get(want, i) : NULL,
                 i < m ? json_array_get(got, i) : NULL, sub);
        }
        return;
    }
    if (!json_equal((json_t *)want, (json_t *)got))
        report(path, want, got);
}

/* An --expect C.E.PROBE=JSON. */
typedef struct expect {
    size_t call, entry;
    char probe[128];
    json_t *value;
} expect;

/* Parse "C.E.PROBE=JSON". */
static int expect_parse(const char *s, expect *x)
{
    int n = 0;
    char probe[128];
    if (sscanf(s, "%zu.%zu.%127[^=]=%n", &x->call, &x->entry, probe, &n) != 3 ||
        n == 0 || x->call == 0 || x->entry == 0)
        return -1;
    snprintf(x->probe, sizeof x->probe, "%s", probe);
    json_error_t e;
    x->value = json_loads(s + n, JSON_DECODE_ANY, &e);
    return x->value ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *deltas[8];
    size_t ndeltas = 0;
    expect expects[8];
    size_t nexpects = 0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (!strcmp(argv[i], "--delta") && i + 1 < argc && ndeltas < 8) {
            deltas[ndeltas++] = argv[++i];
        } else if (!strcmp(argv[i], "--expect") && i + 1 < argc &&
                   nexpects < 8) {
            if (expect_parse(argv[++i], &expects[nexpects]) < 0) {
                fprintf(stderr, "golden-compare: bad --expect %s\n", argv[i]);
                return 2;
            }
            nexpects++;
        } else {
            fprintf(stderr, "golden-compare: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (argc - i != 2) {
        fprintf(stderr, "usage: golden-compare [--delta PROBE] "
                        "[--expect C.E.PROBE=JSON] GOLDEN OUTPUT\n");
        return 2;
    }
    json_error_t jerr;
    json_t *golden = json_load_file(argv[i], 0, &jerr);
    if (!golden) {
        fprintf(stderr, "golden-compare: %s:%d: %s\n", argv[i], jerr.line,
                jerr.text);
        return 2;
    }
    json_t *calls = json_object_get(golden, "calls");
    FILE *f = fopen(argv[i + 1], "r");
    if (!f || !json_is_array(calls)) {
        fprintf(stderr, "golden-compare: cannot read %s\n",
                f ? argv[i] : argv[i + 1]);
        return 2;
    }
    json_t *runs = json_array();
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        if (line[0] != '{')
            continue;
        json_t *r = json_loads(line, 0, &jerr);
        if (!r) {
            printf("# %s:%ld: not JSON: %s\n", argv[i + 1], lineno, jerr.text);
            return 1;
        }
        json_array_append_new(runs, r);
    }
    free(line);
    fclose(f);
    size_t nc = json_array_size(calls), nr = json_array_size(runs);
    if (nc != nr)
        printf("# %zu calls in the golden file, %zu runs in the output\n", nc,
               nr);
    for (size_t c = 0; c < nc && c < nr; c++) {
        json_t *call = json_array_get(calls, c);
        json_t *want = norm_result(json_object_get(call, "result"));
        json_t *got = norm_result(json_array_get(runs, c));
        for (size_t d = 0; d < ndeltas; d++) {
            apply_delta(want, deltas[d]);
            apply_delta(got, deltas[d]);
        }
        for (size_t x = 0; x < nexpects; x++) {
            if (expects[x].call != c + 1)
                continue;
            json_t *e = json_array_get(json_object_get(want, "sparkle_trace"),
                                       expects[x].entry - 1);
            json_t *p = json_object_get(json_object_get(e, "at_exit"), "probes");
            if (p)
                json_object_set(p, expects[x].probe, expects[x].value);
        }
        char path[256];
        snprintf(path, sizeof path, "call %zu (%s)", c + 1,
                 json_string_value(json_object_get(call, "step")));
        size_t before = ndiff;
        diff(want, got, path);
        if (ndiff == before)
            printf("# %s: same\n", path);
        json_decref(want);
        json_decref(got);
    }
    for (size_t x = 0; x < nexpects; x++)
        json_decref(expects[x].value);
    json_decref(runs);
    json_decref(golden);
    if (ndiff > MAX_SHOWN)
        printf("# ... %zu differences in all\n", ndiff);
    return ndiff == 0 && nc == nr ? 0 : 1;
}
