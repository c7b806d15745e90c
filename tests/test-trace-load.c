/*
 * test-trace-load.c: reading traces back (tt_trace_load / tt_trace_parse):
 * Python-shaped traces built from the golden files (timestamps added, tonics
 * and timers as their str()), a ttdb session round trip with probes and
 * extensions, cut traces, bad input and the refusal to run.
 *
 * Environment: GOLDEN (golden files).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "golden-util.h"
#include "tasktonic.h"

/* "<ID[01]B[00] DUT MyDevice>" for a tonic of the golden header. */
static json_t *py_ref(const json_t *tonics, const char *name)
{
    const json_t *t = json_object_get(tonics, name);
    if (!t)
        return json_string(name);
    const json_t *base = json_object_get(t, "base");
    int base_id = -1;
    if (json_is_string(base))
        base_id = (int)json_integer_value(
            json_object_get(json_object_get(tonics, json_string_value(base)), "id"));
    char buf[256];
    snprintf(buf, sizeof buf, "<ID[%02d]B[%02d] %s %s>",
             (int)json_integer_value(json_object_get(t, "id")), base_id,
             json_string_value(json_object_get(t, "class")), name);
    return json_string(buf);
}

/* The golden results as Python would dump them: a list of sparkle() dicts
 * with timestamps, sources as str() references. */
static json_t *python_shaped(const json_t *golden)
{
    const json_t *tonics = json_object_get(golden, "tonics");
    const json_t *calls = json_object_get(golden, "calls");
    json_t *list = json_array();
    double t = 1764140000.0;
    size_t i;
    const json_t *call;
    json_array_foreach(calls, i, call) {
        json_t *r = json_deep_copy(json_object_get(call, "result"));
        json_object_set_new(r, "start@", json_real(t));
        size_t k;
        json_t *e;
        json_array_foreach(json_object_get(r, "sparkle_trace"), k, e) {
            json_object_set_new(json_object_get(e, "at_enter"), "@", json_real(t += 0.001));
            json_object_set_new(json_object_get(e, "at_exit"), "@", json_real(t += 0.001));
            json_t *src = json_object_get(e, "source");
            if (json_is_string(json_array_get(src, 0)))
                json_array_set_new(src, 0,
                                   py_ref(tonics, json_string_value(json_array_get(src, 0))));
        }
        json_object_set_new(r, "end@", json_real(t += 0.001));
        json_array_append_new(list, r);
    }
    return list;
}

/* The golden scenarios read back below. */
static const char *const golden_names[] = {"single_dut", "state_fallback", "hierarchy",
                                           "chunked"};

/* Golden scenario `name` (*golden) and its Python-shaped runs. */
static json_t *golden_python(const char *name, json_t **golden)
{
    char err[512];
    *golden = gu_golden_load(name, err, sizeof err);
    if (!*golden)
        fail_msg("%s", err);
    return python_shaped(*golden);
}

static void report(void *ud, const char *path, const json_t *expected, const json_t *got)
{
    char a[200], b[200];
    print_message("# %s %s: expected %s, got %s\n", (const char *)ud, path,
                  expected ? gu_json_text(expected, a, sizeof a) : "(missing)",
                  got ? gu_json_text(got, b, sizeof b) : "(missing)");
}

/* A run of cat as a JSON tree. */
static json_t *run_json(tt_catalyst *cat, const tt_run *r, unsigned flags)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(tt_run_write_json(cat, r, f, flags), 0);
    fclose(f);
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);
    free(text);
    assert_non_null(j);
    return j;
}

/* Every golden scenario, Python-shaped, reads back to the same runs. */
static void test_python_shaped(void **state)
{
    (void)state;
    const char *const *names = golden_names;
    for (size_t n = 0; n < TT_COUNTOF(golden_names); n++) {
        json_t *golden;
        json_t *py = golden_python(names[n], &golden);
        char *text = json_dumps(py, 0);
        tt_catalyst *cat = NULL;
        tt_error e;
        int rc = tt_trace_parse(text, strlen(text), names[n], &cat, &e);
        if (rc != 0)
            fail_msg("%s", e.msg);
        assert_string_equal(e.msg, "");
        assert_true(tt_catalyst_recorded(cat));
        assert_int_equal(tt_run_count(cat), json_array_size(py));
        size_t diffs = 0;
        for (size_t i = 0; i < tt_run_count(cat); i++) {
            json_t *got = run_json(cat, tt_run_at(cat, i), 0);
            json_t *want_n = gu_normalize_result(
                json_object_get(json_array_get(json_object_get(golden, "calls"), i), "result"));
            json_t *got_n = gu_normalize_result(got);
            diffs += gu_diff(want_n, got_n, "", report, (void *)names[n]);
            /* the timestamps come back too */
            assert_true(!tt_run_has_trace(tt_run_at(cat, i)) ||fabs(json_number_value(json_object_get(got, "start@")) -
                             json_number_value(json_object_get(json_array_get(py, i),
                                                               "start@"))) < 1e-5);
            json_decref(want_n);
            json_decref(got_n);
            json_decref(got);
        }
        assert_int_equal(diffs, 0);
        /* classes come from the str() references */
        if (strcmp(names[n], "single_dut") == 0) {
            tt_tonic *dut = tt_tonic_by_name(cat, "MyDevice");
            assert_non_null(dut);
            assert_string_equal(tt_tonic_class_name(dut), "DUT");
            assert_int_equal(tt_timer_count(cat), 1);
            assert_string_equal(tt_timer_name(tt_timer_at(cat, 0)), "02.ttTimerSingleShot");
        }
        /* nothing can run */
        assert_int_equal(tt_distiller_sparkle(cat, NULL, NULL), -TT_ERECORDED);
        assert_int_equal(tt_distiller_finish(cat, NULL, NULL), -TT_ERECORDED);
        assert_int_equal(tt_catalyst_run(cat), -TT_ERECORDED);
        assert_string_equal(tt_catalyst_errmsg(cat), "this is a recorded trace: nothing can run");
        tt_catalyst_free(cat);
        free(text);
        json_decref(py);
        json_decref(golden);
    }
}

/* --- a session of our own, with probes ---------------------------------- */

typedef struct Lamp {
    int64_t switches;
} Lamp;

static void Lamp_ttse__on_start(tt_tonic *self) { tt_to_state(self, "off"); }
static void Lamp_ttsc_off__switch_on(tt_tonic *self, const char *who)
{
    (void)who;
    TT_DATA(Lamp, self)->switches++;
    tt_to_state(self, "on");
}
static void Lamp_ttsc_on__switch_off(tt_tonic *self)
{
    TT_DATA(Lamp, self)->switches++;
    tt_to_state(self, "off");
}
static const tt_handler lamp_handlers[] = {
    TT_ON(Lamp, ttse__on_start),
    TT_ON(Lamp, ttsc_off__switch_on, const char *),
    TT_ON(Lamp, ttsc_on__switch_off),
};
static const tt_probe_def lamp_probes[] = {TT_PROBE(Lamp, switches)};
static const tt_class Lamp_class = {
    .name = "Lamp",
    .data_size = sizeof(Lamp),
    .handlers = lamp_handlers,
    .n_handlers = TT_COUNTOF(lamp_handlers),
    .probes = lamp_probes,
    .n_probes = TT_COUNTOF(lamp_probes),
};

/* A session written with flags, as text. */
static char *lamp_session(unsigned flags)
{
    tt_catalyst_options opts = {.mode = TT_MODE_DISTILLER};
    tt_catalyst *cat;
    tt_contract *c;
    tt_error err;
    assert_int_equal(tt_catalyst_new(&cat, &opts), 0);
    tt_tonic *lamp = tt_tonic_new(cat, &Lamp_class, "Lamp", NULL);
    assert_non_null(lamp);
    assert_int_equal(tt_contract_parse("{\"probes\": [\"switches\"], \"tonics\": {\"Lamp\": "
                                       "{\"till_state_in\": [\"on\"]}}}",
                                       "lamp", &c, &err),
                     0);
    tt_send(lamp, "ttsc__switch_on", TT_STR("Ann"));
    tt_distiller_sparkle(cat, &(tt_sparkle_args){.contract = c}, NULL);
    tt_send(lamp, "ttsc__switch_off");
    tt_distiller_sparkle(cat, &(tt_sparkle_args){.contract = c}, NULL);
    tt_distiller_finish(cat, NULL, NULL);
    tt_distiller_finish(cat, NULL, NULL);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(tt_session_write_json(cat, f, flags), 0);
    fclose(f);
    tt_contract_free(c);
    tt_catalyst_free(cat);
    return text;
}

/* A session read back writes out byte for byte the same. */
static void test_round_trip(void **state)
{
    (void)state;
    unsigned flagsets[] = {TT_JSON_PRETTY | TT_JSON_EXTENSIONS, 0};
    for (size_t i = 0; i < 2; i++) {
        char *text = lamp_session(flagsets[i]);
        tt_catalyst *cat = NULL;
        tt_error e;
        if (tt_trace_parse(text, strlen(text), "lamp.json", &cat, &e) != 0)
            fail_msg("%s", e.msg);
        char *again = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&again, &len);
        assert_int_equal(tt_session_write_json(cat, f, flagsets[i]), 0);
        fclose(f);
        assert_string_equal(again, text);
        tt_tonic *lamp = tt_tonic_by_name(cat, "Lamp");
        assert_non_null(lamp);
        assert_string_equal(tt_tonic_state_name(lamp), "--"); /* stopped */
        assert_true(tt_catalyst_finished(cat));
        assert_int_equal(tt_queue_length(cat), 0);
        free(again);
        free(text);
        tt_catalyst_free(cat);
    }
}

/* Replace the number after each `key` in text with the next of vals (as
 * many as there are); a new string. */
static char *replace_numbers(const char *text, const char *key, const char *const *vals,
                             size_t n)
{
    char *out = malloc(strlen(text) + 64 * n + 1);
    assert_non_null(out);
    char *o = out;
    const char *p = text, *k;
    for (size_t i = 0; i < n && (k = strstr(p, key)); i++) {
        k += strlen(key);
        memcpy(o, p, (size_t)(k - p));
        o += k - p;
        o += sprintf(o, "%s", vals[i]);
        p = k + strspn(k, "-0123456789.e");
    }
    strcpy(o, p);
    return out;
}

/* An entry packs its exit time as a distance from its enter time; times
 * that distance cannot hold (far apart, exit before enter, negative, zero)
 * are kept out of line and still read back and write out exactly. */
static void test_awkward_times(void **state)
{
    (void)state;
    char *text = lamp_session(TT_JSON_EXTENSIONS);
    static const char *const enter[] = {"1000000000.000000", "-5.250000", "0.000000",
                                        "1800000000.123456", "1800000000.123456"};
    static const char *const exits[] = {"1000100000.500000", "-7.000000", "4000000000.000001",
                                        "1799999999.000000", "1800000000.123457"};
    char *a = replace_numbers(text, "\"at_enter\": {\"@\": ", enter, 5);
    char *b = replace_numbers(a, "\"at_exit\": {\"@\": ", exits, 5);
    tt_catalyst *cat = NULL;
    tt_error e;
    if (tt_trace_parse(b, strlen(b), "times.json", &cat, &e) != 0)
        fail_msg("%s", e.msg);
    assert_true(tt_trace_last_seq(cat) >= 5);
    const tt_trace_entry *x = tt_trace_get(cat, 1);
    assert_true(tt_entry_t_exit(x) - x->t_enter == 100000.5);
    x = tt_trace_get(cat, 2);
    assert_true(tt_entry_t_exit(x) == -7.0);
    x = tt_trace_get(cat, 5);
    assert_true(tt_entry_t_exit(x) > x->t_enter);
    char *again = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&again, &len);
    assert_int_equal(tt_session_write_json(cat, f, TT_JSON_EXTENSIONS), 0);
    fclose(f);
    assert_string_equal(again, b);
    free(again);
    free(a);
    free(b);
    free(text);
    tt_catalyst_free(cat);
}

/* A trace cut inside an entry opens up to its last whole entry. */
static void test_partial(void **state)
{
    (void)state;
    char *text = lamp_session(TT_JSON_PRETTY | TT_JSON_EXTENSIONS);
    /* line 6 holds entry 5 (line 1 is the run header with entry 1... no:
     * the header line ends with "[" and each entry has its own line) */
    char *p = text;
    for (int line = 1; line < 6; line++)
        p = strchr(p, '\n') + 1;
    size_t cut = (size_t)(p - text) + 40; /* inside entry 5 */
    tt_catalyst *cat = NULL;
    tt_error e;
    assert_int_equal(tt_trace_parse(text, cut, "cut.json", &cat, &e), 0);
    assert_int_equal(e.code, 0);
    assert_non_null(strstr(e.msg, "cut.json:"));
    assert_non_null(strstr(e.msg, "warning: the trace is cut short; opened up to its last whole "
                                  "entry (4 entries)"));
    assert_int_equal(tt_trace_last_seq(cat), 4);
    assert_int_equal(tt_run_count(cat), 1);
    assert_int_equal(tt_run_entry_count(tt_run_at(cat, 0)), 4);
    tt_catalyst_free(cat);
    /* cut inside a string of entry 5: the same */
    assert_int_equal(tt_trace_parse(text, cut - 30, "cut.json", &cat, &e), 0);
    assert_int_equal(tt_trace_last_seq(cat), 4);
    tt_catalyst_free(cat);
    /* cut before any whole entry: an error, not an empty trace */
    assert_int_equal(tt_trace_parse(text, 30, "cut.json", &cat, &e), -TT_EJSON);
    assert_null(cat);
    free(text);
}

/* Bad input: one line with the origin, line, column and what was expected. */
static void bad(const char *text, const char *msg, int line, int col)
{
    tt_catalyst *cat = (tt_catalyst *)&cat;
    tt_error e;
    assert_int_equal(tt_trace_parse(text, strlen(text), "t.json", &cat, &e), -TT_EJSON);
    assert_null(cat);
    assert_int_equal(e.code, -TT_EJSON);
    if (strncmp(e.msg, msg, strlen(msg)) != 0)
        fail_msg("got \"%s\", expected it to start with \"%s\"", e.msg, msg);
    assert_int_equal(e.line, line);
    assert_int_equal(e.column, col);
    assert_null(strchr(e.msg, '\n'));
}

/* Whether t has the sparkle. */
static bool has_sparkle(tt_tonic *t, const char *name)
{
    for (size_t i = 0; i < tt_tonic_sparkle_count(t); i++)
        if (strcmp(tt_tonic_sparkle_at(t, i), name) == 0)
            return true;
    return false;
}

/* A C trace names no classes: each tonic gets its own states and the
 * sparkles it ran, not those of the others (they shared one class). */
static void test_own_classes(void **state)
{
    (void)state;
    static const char text[] =
        "{\"sparkle_trace\": [\n"
        " {\"id\": 1, \"tonic\": \"A\", \"sparkle\": \"ttsc__ping\", \"source\": [null, \"\", -1],"
        " \"at_enter\": {\"state\": \"--\"}, \"at_exit\": {\"state\": \"up\"}},\n"
        " {\"id\": 2, \"tonic\": \"B\", \"sparkle\": \"ttsc__pong\", \"source\": [\"A\", \"ttsc__ping\", 1],"
        " \"at_enter\": {\"state\": \"low\"}, \"at_exit\": {\"state\": \"high\"}}]}";
    tt_catalyst *cat = NULL;
    tt_error e;
    if (tt_trace_parse(text, sizeof text - 1, "t.json", &cat, &e) != 0)
        fail_msg("%s", e.msg);
    tt_tonic *a = tt_tonic_by_name(cat, "A"), *b = tt_tonic_by_name(cat, "B");
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(tt_tonic_state_count(a), 1);
    assert_string_equal(tt_tonic_state_at(a, 0), "up");
    assert_int_equal(tt_tonic_state_count(b), 2);
    assert_true(tt_tonic_state_index(b, "up") < 0);
    assert_true(has_sparkle(a, "ttsc__ping"));
    assert_false(has_sparkle(a, "ttsc__pong"));
    assert_true(has_sparkle(b, "ttsc__pong"));
    assert_false(has_sparkle(b, "ttsc__ping"));
    tt_catalyst_free(cat);
}

static void test_bad_input(void **state)
{
    (void)state;
    bad("", "t.json:1:1: empty file: expected a trace (JSON)", 1, 1);
    bad("hello", "t.json:1:1: not valid JSON: ", 1, 1);
    bad("{\"a\": 1}", "t.json:1:1: run 1: expected a run object with \"sparkle_trace\", "
                      "found an object without it", 1, 1);
    bad("[{\"status\": \"running\", \"sparkle_trace\": 3}]",
        "t.json:1:2: run 1: \"sparkle_trace\" must be a list, found an integer", 1, 2);
    bad("[{\"sparkle_trace\": []},\n {\"x\": 1}]",
        "t.json:2:2: run 2: expected a run object with \"sparkle_trace\"", 2, 2);
    bad("{\"sparkle_trace\": [\n"
        " {\"id\": 0, \"tonic\": \"A\", \"sparkle\": \"x\", \"source\": [null, \"\", -1], "
        "\"at_enter\": {\"state\": \"--\"}, \"at_exit\": {\"state\": \"--\"}},\n"
        " {\"id\": 0, \"tonic\": \"A\", \"source\": [null, \"\", -1], "
        "\"at_enter\": {\"state\": \"--\"}, \"at_exit\": {\"state\": \"--\"}}]}",
        "t.json:3:2: entry 2 of run 1: missing \"sparkle\"", 3, 2);
    bad("{\"sparkle_trace\": [{\"id\": 0, \"tonic\": \"A\", \"sparkle\": \"x\", "
        "\"source\": \"ttdb\", \"at_enter\": {\"state\": \"--\"}, \"at_exit\": {\"state\": "
        "\"--\"}}]}",
        "t.json:1:20: entry 1 of run 1: \"source\" must be [name or null, sparkle, id]", 1, 20);
    bad("[1, 2]", "t.json:1:2: run 1: expected a run object with \"sparkle_trace\", found an "
                  "integer", 1, 2);
    /* a NUL byte in a bare token once made the scan spin forever (found by
     * fuzz-trace; the alarm turns a hang into a failure) */
    tt_catalyst *cat;
    tt_error e;
    alarm(20);
    static const char nul[] = "[{\"status\": 1\0, \"sparkle_trace\": []}]";
    int rc = tt_trace_parse(nul, sizeof nul - 1, "t.json", &cat, &e);
    alarm(0);
    assert_true(rc == 0 || rc == -TT_EJSON);
    tt_catalyst_free(cat);
    /* a missing file */
    assert_int_equal(tt_trace_load("/nonexistent/x.json", &cat, &e), -TT_EIO);
    assert_non_null(strstr(e.msg, "/nonexistent/x.json: cannot open: "));
}

/* --- appending (tt_trace_append: the live viewer's stream) --------------- */

/* The session of cat as text. */
static char *session_text(tt_catalyst *cat, unsigned flags)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(tt_session_write_json(cat, f, flags), 0);
    fclose(f);
    return text;
}

/* runs (a list of run dictionaries): the first n_runs of them read back
 * whole, and read back with the last one's entries from k on appended
 * (as a list, or as a run dictionary), write out the same. */
static void append_matches(const json_t *runs, size_t n_runs, size_t k, bool as_run,
                           const char *what)
{
    json_t *whole = json_array(), *prefix = json_array();
    for (size_t i = 0; i < n_runs; i++) {
        json_array_append_new(whole, json_deep_copy(json_array_get(runs, i)));
        json_array_append_new(prefix, json_deep_copy(json_array_get(runs, i)));
    }
    json_t *last = json_array_get(prefix, n_runs - 1);
    json_t *tr = json_object_get(last, "sparkle_trace");
    json_t *rest = json_array();
    while (json_array_size(tr) > k) {
        json_array_append(rest, json_array_get(tr, k));
        json_array_remove(tr, k);
    }
    char *wt = json_dumps(whole, 0), *pt = json_dumps(prefix, 0);
    json_t *more = rest;
    if (as_run) {
        more = json_pack("{s:O, s:O}", "status", json_object_get(last, "status") ?: json_null(),
                         "sparkle_trace", rest);
        json_decref(rest);
    }
    char *mt = json_dumps(more, 0);
    tt_catalyst *a = NULL, *b = NULL;
    tt_error e;
    if (tt_trace_parse(wt, strlen(wt), what, &a, &e) != 0)
        fail_msg("%s", e.msg);
    if (tt_trace_parse(pt, strlen(pt), what, &b, &e) != 0)
        fail_msg("%s", e.msg);
    if (tt_trace_append(b, mt, strlen(mt), what, 0, &e) != 0)
        fail_msg("%s at %zu: %s", what, k, e.msg);
    assert_string_equal(e.msg, "");
    char *x = session_text(a, TT_JSON_EXTENSIONS), *y = session_text(b, TT_JSON_EXTENSIONS);
    if (strcmp(x, y) != 0)
        fail_msg("%s, run %zu from entry %zu appended%s: the session differs:\n%s\n%s", what,
                 n_runs, k, as_run ? " as a run" : "", x, y);
    assert_int_equal(tt_tonic_count(a), tt_tonic_count(b));
    for (size_t i = 0; i < tt_tonic_count(a); i++) {
        tt_tonic *ta = tt_tonic_at(a, i), *tb = ta ? tt_tonic_by_name(b, tt_tonic_name(ta)) : NULL;
        if (!ta)
            continue;
        assert_non_null(tb);
        assert_string_equal(tt_tonic_state_name(ta), tt_tonic_state_name(tb));
        assert_int_equal(tt_tonic_id(ta), tt_tonic_id(tb));
        /* the same class: states and sparkles */
        assert_string_equal(tt_tonic_class_name(ta), tt_tonic_class_name(tb));
        assert_int_equal(tt_tonic_state_count(ta), tt_tonic_state_count(tb));
        for (size_t s = 0; s < tt_tonic_state_count(ta); s++)
            assert_string_equal(tt_tonic_state_at(ta, s), tt_tonic_state_at(tb, s));
        assert_int_equal(tt_tonic_sparkle_count(ta), tt_tonic_sparkle_count(tb));
        for (size_t s = 0; s < tt_tonic_sparkle_count(ta); s++)
            assert_string_equal(tt_tonic_sparkle_at(ta, s), tt_tonic_sparkle_at(tb, s));
    }
    assert_int_equal(tt_lint_count(a), tt_lint_count(b));
    free(x);
    free(y);
    free(wt);
    free(pt);
    free(mt);
    json_decref(more);
    json_decref(whole);
    json_decref(prefix);
    tt_catalyst_free(a);
    tt_catalyst_free(b);
}

/* Entries appended to a trace read back give what reading them all at once
 * gives: tonics and timers first seen in them, states a class gains, ids,
 * lints; Python-shaped runs (no seqs) and a ttdb session (seqs). */
static void test_append(void **state)
{
    (void)state;
    const char *const *names = golden_names;
    for (size_t n = 0; n < TT_COUNTOF(golden_names); n++) {
        json_t *golden;
        json_t *py = golden_python(names[n], &golden);
        for (size_t r = 1; r <= json_array_size(py); r++) {
            size_t len = json_array_size(
                json_object_get(json_array_get(py, r - 1), "sparkle_trace"));
            for (size_t k = 0; k <= len; k++)
                append_matches(py, r, k, k % 2 == 1, names[n]);
        }
        json_decref(py);
        json_decref(golden);
    }
    char *text = lamp_session(TT_JSON_EXTENSIONS);
    json_error_t jerr;
    json_t *lamp = json_loads(text, 0, &jerr);
    assert_non_null(lamp);
    for (size_t r = 1; r <= json_array_size(lamp); r++) {
        size_t len = json_array_size(json_object_get(json_array_get(lamp, r - 1), "sparkle_trace"));
        for (size_t k = 0; k <= len; k++)
            append_matches(lamp, r, k, k % 2 == 0, "lamp");
    }
    json_decref(lamp);
    free(text);
    /* a C trace: tonics of unnamed classes get their own, which gain the
     * states and sparkles they meet later */
    static const char c_trace[] =
        "[{\"sparkle_trace\": ["
        " {\"id\": 1, \"tonic\": \"A\", \"sparkle\": \"ttsc__ping\", \"source\": [null, \"\", -1],"
        " \"at_enter\": {\"state\": \"--\"}, \"at_exit\": {\"state\": \"up\"}},"
        " {\"id\": 2, \"tonic\": \"B\", \"sparkle\": \"ttsc__pong\", \"source\": [\"A\", \"ttsc__ping\", 1],"
        " \"at_enter\": {\"state\": \"low\"}, \"at_exit\": {\"state\": \"high\"}},"
        " {\"id\": 1, \"tonic\": \"A\", \"sparkle\": \"ttsc__pang\", \"source\": [\"B\", \"ttsc__pong\", 2],"
        " \"at_enter\": {\"state\": \"up\"}, \"at_exit\": {\"state\": \"down\"}},"
        " {\"id\": 2, \"tonic\": \"B\", \"sparkle\": \"ttsc__ping\", \"source\": [\"A\", \"ttsc__pang\", 1],"
        " \"at_enter\": {\"state\": \"high\"}, \"at_exit\": {\"state\": \"alpha\"}}]}]";
    json_t *ct = json_loads(c_trace, 0, &jerr);
    assert_non_null(ct);
    for (size_t k = 0; k <= 4; k++)
        append_matches(ct, 1, k, k % 2 == 0, "c-trace");
    json_decref(ct);
}

/* The catalyst of a trace given as text (origin "live"); fails the test
 * when it does not parse. */
static tt_catalyst *parse_live(const char *text)
{
    tt_catalyst *cat = NULL;
    tt_error e;
    if (tt_trace_parse(text, strlen(text), "live", &cat, &e) != 0)
        fail_msg("%s", e.msg);
    return cat;
}

/* What tt_trace_append refuses leaves the trace as it was. */
static void test_append_refused(void **state)
{
    (void)state;
    static const char first[] =
        "{\"status\": \"running\", \"sparkle_trace\": [{\"seq\": 7, \"id\": 1, \"tonic\": "
        "\"A\", \"sparkle\": \"x\", \"source\": [null, \"\", -1], \"at_enter\": {\"state\": "
        "\"--\"}, \"at_exit\": {\"state\": \"idle\"}}]}";
    tt_catalyst *cat = parse_live(first);
    tt_error e;
    assert_int_equal(tt_trace_first_seq(cat), 7);
    assert_int_equal(tt_trace_last_seq(cat), 7);
    size_t tonics = tt_tonic_count(cat);
    /* a gap: entries were lost */
    static const char gap[] =
        "[{\"seq\": 9, \"id\": 1, \"tonic\": \"A\", \"sparkle\": \"y\", \"source\": [null, "
        "\"\", -1], \"at_enter\": {\"state\": \"idle\"}, \"at_exit\": {\"state\": \"busy\"}}]";
    assert_int_equal(tt_trace_append(cat, gap, strlen(gap), "live", 0, &e), -TT_ERANGE);
    assert_string_equal(e.msg, "live:1:2: entry 1 has seq 9: the trace ends at #7, the "
                               "entries must go on from #8");
    /* a bad entry after a good one naming a new tonic: nothing is added */
    static const char bad2[] =
        "[{\"seq\": 8, \"id\": 2, \"tonic\": \"B\", \"sparkle\": \"y\", \"source\": [null, "
        "\"\", -1], \"at_enter\": {\"state\": \"--\"}, \"at_exit\": {\"state\": \"on\"}},\n"
        " {\"seq\": 9, \"id\": 1, \"tonic\": \"A\", \"source\": [null, \"\", -1], "
        "\"at_enter\": {\"state\": \"idle\"}, \"at_exit\": {\"state\": \"busy\"}}]";
    assert_int_equal(tt_trace_append(cat, bad2, strlen(bad2), "live", 0, &e), -TT_EJSON);
    assert_string_equal(e.msg, "live:2:2: entry 2 of run 1: missing \"sparkle\"");
    assert_int_equal(e.line, 2);
    assert_int_equal(e.column, 2);
    assert_int_equal(tt_trace_append(cat, "{\"x\": ", 6, "live", 0, &e), -TT_EJSON);
    static const char three[] = "{\"sparkle_trace\": 3}";
    assert_int_equal(tt_trace_append(cat, three, strlen(three), "live", 0, &e), -TT_EJSON);
    assert_string_equal(e.msg, "live:1:1: \"sparkle_trace\" must be a list, found an integer");
    assert_int_equal(tt_trace_last_seq(cat), 7);
    assert_int_equal(tt_tonic_count(cat), tonics);
    assert_null(tt_tonic_by_name(cat, "B"));
    /* then the good ones go on; A gains a state its class lacked */
    static const char good[] =
        "[{\"seq\": 8, \"id\": 1, \"tonic\": \"A\", \"sparkle\": \"y\", \"source\": [null, "
        "\"\", -1], \"at_enter\": {\"state\": \"idle\"}, \"at_exit\": {\"state\": \"busy\"}}]";
    assert_int_equal(tt_trace_append(cat, good, strlen(good), "live", 0, &e), 0);
    assert_int_equal(tt_trace_last_seq(cat), 8);
    assert_string_equal(tt_entry_state_exit(cat, tt_trace_get(cat, 7)), "idle");
    tt_tonic *a = tt_tonic_by_name(cat, "A");
    assert_non_null(a);
    assert_string_equal(tt_tonic_state_name(a), "busy");
    assert_string_equal(tt_entry_state_enter(cat, tt_trace_get(cat, 8)), "idle");
    /* keep 1: only the last entry is held from now on */
    assert_int_equal(tt_trace_append(cat, "[]", 2, "live", 1, &e), 0);
    assert_int_equal(tt_trace_first_seq(cat), 8);
    assert_null(tt_trace_get(cat, 7));
    assert_non_null(tt_trace_get(cat, 8));
    /* nothing runs on it still; a catalyst that is not a trace is refused */
    assert_int_equal(tt_catalyst_run(cat), -TT_ERECORDED);
    tt_catalyst *live = NULL;
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER};
    assert_int_equal(tt_catalyst_new(&live, &o), 0);
    assert_int_equal(tt_trace_append(live, good, strlen(good), "live", 0, &e), -TT_EINVAL);
    assert_int_equal(tt_trace_append(NULL, good, strlen(good), "live", 0, &e), -TT_EINVAL);
    tt_catalyst_free(live);
    tt_catalyst_free(cat);
}

/* A refused append learns nothing either: not the sparkle or the class its
 * good entries named (the next append made the class with them). */
static void test_append_refused_learns_nothing(void **state)
{
    (void)state;
    static const char first[] =
        "{\"sparkle_trace\": [{\"id\": 1, \"tonic\": \"A\", \"sparkle\": \"ttsc__ping\", "
        "\"source\": [null, \"\", -1], \"at_enter\": {\"state\": \"--\"}, \"at_exit\": "
        "{\"state\": \"idle\"}}]}";
    tt_catalyst *cat = parse_live(first);
    tt_error e;
    tt_tonic *a = tt_tonic_by_name(cat, "A");
    assert_non_null(a);
    assert_string_equal(tt_tonic_class_name(a), "Recorded");
    static const char bad[] =
        "[{\"id\": 1, \"tonic\": \"A\", \"sparkle\": \"ttsc__zap\", \"source\": "
        "[\"<ID[1]B[0] Lamp A>\", \"ttsc__ping\", 1], \"at_enter\": {\"state\": \"idle\"}, "
        "\"at_exit\": {\"state\": \"idle\"}},\n"
        " {\"id\": 1, \"tonic\": \"A\", \"source\": [null, \"\", -1], "
        "\"at_enter\": {\"state\": \"idle\"}, \"at_exit\": {\"state\": \"idle\"}}]";
    assert_int_equal(tt_trace_append(cat, bad, strlen(bad), "live", 0, &e), -TT_EJSON);
    assert_string_equal(e.msg, "live:2:2: entry 2 of run 1: missing \"sparkle\"");
    /* a good entry with a new state: the class is made again */
    static const char good[] =
        "[{\"id\": 1, \"tonic\": \"A\", \"sparkle\": \"ttsc__ping\", \"source\": [null, "
        "\"\", -1], \"at_enter\": {\"state\": \"idle\"}, \"at_exit\": {\"state\": \"busy\"}}]";
    assert_int_equal(tt_trace_append(cat, good, strlen(good), "live", 0, &e), 0);
    assert_string_equal(tt_tonic_state_name(a), "busy");
    assert_true(has_sparkle(a, "ttsc__ping"));
    assert_false(has_sparkle(a, "ttsc__zap"));
    assert_string_equal(tt_tonic_class_name(a), "Recorded");
    tt_catalyst_free(cat);
}

/* A timer's name given later as an entry's tonic (nothing to show) does
 * not make a reference to the timer a tonic value. */
static void test_append_timer_stays_timer(void **state)
{
    (void)state;
    static const char first[] =
        "{\"sparkle_trace\": [{\"id\": 1, \"tonic\": \"A\", \"sparkle\": \"ttsc__ping\", "
        "\"source\": [\"<ID[2]B[1] ttTimerSingleShot T>\", \"expired\", 2], \"at_enter\": "
        "{\"state\": \"--\"}, \"at_exit\": {\"state\": \"idle\"}}]}";
    tt_catalyst *cat = parse_live(first);
    tt_error e;
    assert_null(tt_tonic_by_name(cat, "T"));
    static const char more[] =
        "[{\"id\": 2, \"tonic\": \"T\", \"sparkle\": \"ttsc__x\", \"source\": [null, \"\", -1], "
        "\"at_enter\": {\"state\": \"--\"}, \"at_exit\": {\"state\": \"--\"}},\n"
        " {\"id\": 1, \"tonic\": \"A\", \"sparkle\": \"ttsc__ping\", \"source\": [null, \"\", "
        "-1], \"at_enter\": {\"state\": \"idle\"}, \"at_exit\": {\"state\": \"idle\"}, "
        "\"args\": [\"<ID[2]B[1] ttTimerSingleShot T>\"]}]";
    assert_int_equal(tt_trace_append(cat, more, strlen(more), "live", 0, &e), 0);
    const tt_trace_entry *last = tt_trace_get(cat, tt_trace_last_seq(cat));
    assert_non_null(last);
    assert_int_equal(last->nargs, 1);
    assert_int_equal(last->args[0].type, TT_T_TIMER);
    assert_null(tt_tonic_by_name(cat, "T"));
    tt_catalyst_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_python_shaped),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_awkward_times),
        cmocka_unit_test(test_partial),
        cmocka_unit_test(test_own_classes),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_append),
        cmocka_unit_test(test_append_refused),
        cmocka_unit_test(test_append_refused_learns_nothing),
        cmocka_unit_test(test_append_timer_stays_timer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
