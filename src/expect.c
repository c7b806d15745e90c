/*
 * expect.c: helpers for tests written against the library.
 *
 * A test loads an app module into a Distiller (tt_app_start), cranks it with
 * tt_distiller_sparkle, and checks what it sees: the stop condition of a run,
 * the state of a tonic, the value of a probe, whether a sparkle ran, or the
 * whole trace of a run in the README's normalised form.  Each tt_expect_*
 * returns 0 when the expectation holds, else -TT_EEXPECT with one line in
 * err->msg that says what was found instead ("Light: state is 'green',
 * expected 'red'"), so that any test framework can fail with it.  The
 * library still never prints.
 */
#include "tt-int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* From value-parse.c. */
TT__INTERNAL int tt__value_from_json(const json_t *j, tt_value *out);

/* ===================================================================== */
/* Loading an app into a Distiller                                       */
/* ===================================================================== */

/* Load the module, create a Distiller and run the formula. */
int tt_app_start(const char *path, const tt_catalyst_options *opts,
                 tt_app **app, tt_catalyst **cat, tt_error *err)
{
    if (!app || !cat)
        return tt__seterr(err, -TT_EINVAL, "tt_app_start: app and cat are needed");
    *app = NULL;
    *cat = NULL;
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER};
    if (opts) {
        o = *opts;
        o.mode = TT_MODE_DISTILLER;
    }
    int rc = tt_app_load(path, app, err);
    if (rc < 0)
        return rc;
    rc = tt_catalyst_new(cat, &o);
    if (rc < 0) {
        tt_app_close(*app);
        *app = NULL;
        *cat = NULL;
        return tt__seterr(err, rc, "%s: cannot create the Distiller: %s",
                          path, tt_strerror(rc));
    }
    rc = tt_app_formula(*app, *cat);
    if (rc < 0) {
        tt__seterr(err, rc, "%s", tt__errmsg(*cat));
        tt_app_end(*app, *cat);
        *app = NULL;
        *cat = NULL;
        return rc;
    }
    if (err)
        err->code = 0;
    return 0;
}

/* Free the catalyst first (it runs the app's destroy code), then the app. */
void tt_app_end(tt_app *app, tt_catalyst *cat)
{
    if (cat)
        tt_catalyst_free(cat);
    if (app)
        tt_app_close(app);
}

/* ===================================================================== */
/* Expectations                                                          */
/* ===================================================================== */

/* A failed expectation: -TT_EEXPECT with the message. */
#define FAIL(err, ...) tt__seterr((err), -TT_EEXPECT, __VA_ARGS__)

/* Success: clear the error's code. */
static int ok(tt_error *err)
{
    if (err) {
        err->code = 0;
        err->msg[0] = '\0';
    }
    return 0;
}

/* A value as JSON text (malloc'ed; NULL when out of memory). */
static char *json_of(const tt_value *v)
{
    size_t n = tt_value_to_json(v, NULL, 0);
    char *s = malloc(n + 1);
    if (s)
        tt_value_to_json(v, s, n + 1);
    return s;
}

/* The stop conditions of r joined with ", " into buf. */
static void stops_text(const tt_run *r, char *buf, size_t size)
{
    size_t len = 0, n = tt_run_stop_count(r);
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
                                tt_run_stop_at(r, i));
    if (n == 0)
        snprintf(buf, size, "(none)");
}

bool tt_run_stopped_on(const tt_run *r, const char *text)
{
    size_t n = tt_run_stop_count(r);
    for (size_t i = 0; i < n; i++)
        if (strstr(tt_run_stop_at(r, i), text ? text : ""))
            return true;
    return false;
}

int tt_expect_stop(const tt_run *r, const char *text, tt_error *err)
{
    if (!r)
        return FAIL(err, "no run: expected one that stopped on '%s'", text ? text : "");
    if (tt_run_stopped_on(r, text))
        return ok(err);
    char got[400];
    stops_text(r, got, sizeof got);
    return FAIL(err, "the run stopped on '%s', expected '%s'", got, text ? text : "");
}

/* The tonic named `name`, or NULL with an expectation error. */
static tt_tonic *find(tt_catalyst *cat, const char *name, tt_error *err)
{
    tt_tonic *t = cat && name ? tt_tonic_by_name(cat, name) : NULL;
    if (!t)
        FAIL(err, "no tonic named '%s'", name ? name : "(null)");
    return t;
}

int tt_expect_state(tt_catalyst *cat, const char *tonic, const char *state,
                    tt_error *err)
{
    tt_tonic *t = find(cat, tonic, err);
    if (!t)
        return -TT_EEXPECT;
    const char *now = tt_tonic_state_name(t);
    if (state && strcmp(now, state) == 0)
        return ok(err);
    return FAIL(err, "%s: state is '%s', expected '%s'", tonic, now,
                state ? state : "(null)");
}

/* Compare the probe's value with want (wtext: how to show want). */
static int expect_probe(tt_catalyst *cat, const char *tonic, const char *probe,
                        const tt_value *want, tt_error *err)
{
    tt_tonic *t = find(cat, tonic, err);
    if (!t)
        return -TT_EEXPECT;
    tt_value got = TT_NONE;
    if (tt_tonic_probe_read(t, probe, &got) < 0)
        return FAIL(err, "%s has no probe '%s'", tonic, probe ? probe : "(null)");
    int rc = 0;
    char *g = json_of(&got), *w = json_of(want);
    /* Equal by value (1 == 1.0), or by text: a tonic reference reads back
     * from JSON as the map {"$liquid": NAME}. */
    if (!tt_value_equal(&got, want) && (!g || !w || strcmp(g, w) != 0))
        rc = FAIL(err, "%s.%s is %s, expected %s", tonic, probe, g ? g : "?",
                  w ? w : "?");
    free(g);
    free(w);
    tt_value_clear(&got);
    return rc < 0 ? rc : ok(err);
}

int tt_expect_probe(tt_catalyst *cat, const char *tonic, const char *probe,
                    const tt_value *want, tt_error *err)
{
    tt_value none = TT_NONE;
    return expect_probe(cat, tonic, probe, want ? want : &none, err);
}

int tt_expect_probe_json(tt_catalyst *cat, const char *tonic, const char *probe,
                         const char *json, tt_error *err)
{
    json_error_t jerr;
    json_t *j = json_loads(json ? json : "", JSON_DECODE_ANY, &jerr);
    if (!j)
        return tt__seterr(err, -TT_EJSON, "%s.%s: the expected value is not JSON: %s",
                          tonic ? tonic : "", probe ? probe : "", jerr.text);
    tt_value want = TT_NONE;
    int rc = tt__value_from_json(j, &want);
    json_decref(j);
    if (rc < 0)
        return tt__seterr(err, rc, "%s", tt_strerror(rc));
    rc = expect_probe(cat, tonic, probe, &want, err);
    tt_value_clear(&want);
    return rc;
}

int tt_expect_ran(tt_catalyst *cat, const tt_run *r, const char *tonic,
                  const char *sparkle, tt_error *err)
{
    if (!cat || !r || !sparkle)
        return tt__seterr(err, -TT_EINVAL, "tt_expect_ran: cat, run and sparkle are needed");
    uint64_t first = tt_run_first_seq(r), n = tt_run_entry_count(r);
    for (uint64_t i = 0; i < n; i++) {
        const tt_trace_entry *e = tt_trace_get(cat, first + i);
        if (!e)
            return FAIL(err, "entry #%llu of the run was dropped by the trace ring",
                        (unsigned long long)(first + i));
        if (strcmp(tt_entry_sparkle_name(cat, e), sparkle) == 0 &&
            (!tonic || strcmp(tt_entry_tonic_name(cat, e), tonic) == 0))
            return ok(err);
    }
    return FAIL(err, "%s%s%s did not run in the run's %llu entries", tonic ? tonic : "",
                tonic ? "." : "", sparkle, (unsigned long long)n);
}

/* ===================================================================== */
/* Whole traces, normalised                                              */
/* ===================================================================== */

size_t tt_entry_golden_text(const tt_catalyst *cat, const tt_trace_entry *e,
                            char *buf, size_t size)
{
    size_t len = (size_t)snprintf(buf, size, "%s.%s [", tt_entry_tonic_name(cat, e),
                                  tt_entry_sparkle_name(cat, e));
    for (uint16_t i = 0; i < e->nargs; i++) {
        if (i)
            len += (size_t)snprintf(len < size ? buf + len : NULL,
                                    len < size ? size - len : 0, ", ");
        len += tt_value_to_json(&e->args[i], len < size ? buf + len : NULL,
                                len < size ? size - len : 0);
    }
    len += (size_t)snprintf(len < size ? buf + len : NULL, len < size ? size - len : 0,
                            "]");
    return len;
}

/* Entry text into a malloc'ed string. */
static char *golden_of(const tt_catalyst *cat, const tt_trace_entry *e)
{
    size_t n = tt_entry_golden_text(cat, e, NULL, 0);
    char *s = malloc(n + 1);
    if (s)
        tt_entry_golden_text(cat, e, s, n + 1);
    return s;
}

int tt_expect_trace(const tt_catalyst *cat, const tt_run *r,
                    const char *const *lines, size_t n, tt_error *err)
{
    if (!cat || !r || (n && !lines))
        return tt__seterr(err, -TT_EINVAL, "tt_expect_trace: cat, run and lines are needed");
    uint64_t first = tt_run_first_seq(r), count = tt_run_entry_count(r);
    for (uint64_t i = 0; i < count && i < n; i++) {
        const tt_trace_entry *e = tt_trace_get(cat, first + i);
        if (!e)
            return FAIL(err, "entry #%llu of the run was dropped by the trace ring",
                        (unsigned long long)(first + i));
        char *got = golden_of(cat, e);
        if (!got)
            return tt__seterr(err, -TT_ENOMEM, "out of memory");
        int differ = strcmp(got, lines[i]) != 0;
        if (differ)
            FAIL(err, "entry %llu of the run (#%llu) is %s, expected %s",
                 (unsigned long long)i + 1, (unsigned long long)(first + i), got,
                 lines[i]);
        free(got);
        if (differ)
            return -TT_EEXPECT;
    }
    if (count > n) {
        const tt_trace_entry *e = tt_trace_get(cat, first + n);
        char *got = e ? golden_of(cat, e) : NULL;
        FAIL(err, "the run has %llu entries, expected %zu; the first extra one is #%llu %s",
             (unsigned long long)count, n, (unsigned long long)(first + n),
             got ? got : "(dropped)");
        free(got);
        return -TT_EEXPECT;
    }
    if (count < n)
        return FAIL(err, "the run has %llu entries, expected %zu; the first missing one is %s",
                    (unsigned long long)count, n, lines[count]);
    return ok(err);
}
