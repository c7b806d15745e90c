/*
 * test-expect.c: the public test helpers (tt_app_start, tt_run_stopped_on,
 * tt_expect_*) on the reference module single_dut (examples/reference).
 *
 * Each helper is checked both ways: it holds on what the Distiller did, and
 * it fails with -TT_EEXPECT and a message naming what was found when the
 * expectation is wrong.
 *
 * Environment (set by `make check`): EXAMPLES, the built examples folder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tasktonic.h"

typedef struct world {
    tt_app *app;
    tt_catalyst *cat;
} world;

/* $EXAMPLES/reference/single_dut.la (malloc'ed). */
static char *module_path(void)
{
    const char *dir = getenv("EXAMPLES");
    char *p = NULL;
    if (dir && asprintf(&p, "%s/reference/single_dut.la", dir) < 0)
        p = NULL;
    return p;
}

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    char *path = module_path();
    tt_error err = {0};
    if (!w || !path || tt_app_start(path, NULL, &w->app, &w->cat, &err) < 0) {
        fprintf(stderr, "# %s\n", path ? err.msg : "set EXAMPLES");
        free(path);
        free(w);
        return -1;
    }
    free(path);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    tt_app_end(w->app, w->cat);
    free(w);
    return 0;
}

/* Assert a failed expectation whose message contains `text`. */
static void expect_failure(int rc, const tt_error *err, const char *text)
{
    assert_int_equal(rc, -TT_EEXPECT);
    assert_int_equal(err->code, -TT_EEXPECT);
    if (!strstr(err->msg, text))
        fail_msg("message \"%s\" lacks \"%s\"", err->msg, text);
}

/* Start-up until paused: the stop, the state, the probe, what ran. */
static void test_startup(void **state)
{
    world *w = *state;
    tt_error err = {0};
    const tt_run *run = NULL;
    tt_sparkle_args a = {.timeout = 1.0, .till_state_in = "paused"};
    assert_int_equal(tt_distiller_sparkle(w->cat, &a, &run), 0);

    assert_true(tt_run_stopped_on(run, "state_trigger"));
    assert_true(tt_run_stopped_on(run, "state_trigger: [paused]"));
    assert_false(tt_run_stopped_on(run, "contract_met"));
    assert_int_equal(tt_expect_stop(run, "state_trigger: [paused]", &err), 0);
    assert_int_equal(err.code, 0);
    expect_failure(tt_expect_stop(run, "timeout", &err), &err,
                   "stopped on 'state_trigger: [paused], state_trigger: [paused]', "
                   "expected 'timeout'");

    assert_int_equal(tt_expect_state(w->cat, "MyDevice", "paused", NULL), 0);
    expect_failure(tt_expect_state(w->cat, "MyDevice", "init", &err), &err,
                   "MyDevice: state is 'paused', expected 'init'");
    expect_failure(tt_expect_state(w->cat, "MyDevise", "paused", &err), &err,
                   "no tonic named 'MyDevise'");
    assert_int_equal(tt_expect_state(w->cat, "tt_main_catalyst", "--", &err), 0);

    assert_int_equal(tt_expect_probe(w->cat, "MyDevice", "cycle_count", &TT_INT(0), &err), 0);
    assert_int_equal(tt_expect_probe(w->cat, "MyDevice", "cycle_count", &TT_DOUBLE(0), &err), 0);
    expect_failure(tt_expect_probe(w->cat, "MyDevice", "cycle_count", &TT_INT(2), &err),
                   &err, "MyDevice.cycle_count is 0, expected 2");
    expect_failure(tt_expect_probe(w->cat, "MyDevice", "cycles", &TT_INT(0), &err), &err,
                   "MyDevice has no probe 'cycles'");
    assert_int_equal(tt_expect_probe(w->cat, "MyDevice", "tm", NULL, &err), 0);
    assert_int_equal(tt_expect_probe_json(w->cat, "MyDevice", "cycle_count", "0", &err), 0);
    assert_int_equal(tt_expect_probe_json(w->cat, "MyDevice", "finishing", "false", &err), 0);
    assert_int_equal(tt_expect_probe_json(w->cat, "MyDevice", "infusions", "[]", &err), 0);
    expect_failure(tt_expect_probe_json(w->cat, "MyDevice", "infusions", "[1]", &err),
                   &err, "MyDevice.infusions is [], expected [1]");
    assert_int_equal(tt_expect_probe_json(w->cat, "MyDevice", "cycle_count", "{oops", &err),
                     -TT_EJSON);

    assert_int_equal(tt_expect_ran(w->cat, run, "MyDevice", "ttse__on_start", &err), 0);
    assert_int_equal(tt_expect_ran(w->cat, run, NULL, "_ttss__on_start", &err), 0);
    expect_failure(tt_expect_ran(w->cat, run, "MyDevice", "ttsc__dut_finish", &err), &err,
                   "MyDevice.ttsc__dut_finish did not run");
}

/* The timer run: the normalised trace, exact and with each kind of
 * difference (changed, missing, extra entry). */
static void test_trace(void **state)
{
    world *w = *state;
    tt_error err = {0};
    const tt_run *run = NULL;
    tt_sparkle_args a = {.timeout = 1.0, .till_state_in = "paused"};
    assert_int_equal(tt_distiller_sparkle(w->cat, &a, &run), 0);
    tt_tonic *dut = tt_tonic_by_name(w->cat, "MyDevice");
    assert_non_null(dut);
    assert_int_equal(tt_send(dut, "ttsc__start_timer", TT_DOUBLE(0.2)), 0);
    tt_sparkle_args b = {.timeout = 5.0, .till_sparkle_in = "ttse__on_timer"};
    assert_int_equal(tt_distiller_sparkle(w->cat, &b, &run), 0);

    const char *const want[] = {
        "MyDevice.ttsc__start_timer [0.2]",
        "MyDevice.ttse__on_exit []",
        "MyDevice._ttinternal_state_change_to [3]",
        "MyDevice.ttse__on_enter []",
        "MyDevice.ttse__on_timer [{\"id\": 2, \"name\": \"02.ttTimerSingleShot\"}]",
        "MyDevice.ttse__on_exit []",
        "MyDevice._ttinternal_state_change_to [0]",
        "MyDevice.ttse__on_enter []",
    };
    size_t n = TT_COUNTOF(want);
    int rc = tt_expect_trace(w->cat, run, want, n, &err);
    if (rc != 0)
        fail_msg("%s", err.msg);

    char buf[16];
    const tt_trace_entry *e = tt_trace_get(w->cat, tt_run_first_seq(run));
    size_t need = tt_entry_golden_text(w->cat, e, buf, sizeof buf);
    assert_int_equal(need, strlen(want[0]));
    assert_int_equal(strlen(buf), sizeof buf - 1); /* cut, terminated */

    const char *changed[TT_COUNTOF(want)];
    memcpy(changed, want, sizeof want);
    changed[6] = "MyDevice._ttinternal_state_change_to [2]";
    expect_failure(tt_expect_trace(w->cat, run, changed, n, &err), &err,
                   "entry 7 of the run");
    expect_failure(tt_expect_trace(w->cat, run, want, n - 1, &err), &err,
                   "the run has 8 entries, expected 7; the first extra one is");
    const char *more[TT_COUNTOF(want) + 1];
    memcpy(more, want, sizeof want);
    more[n] = "MyDevice.ttsc__dut_finish []";
    expect_failure(tt_expect_trace(w->cat, run, more, n + 1, &err), &err,
                   "the first missing one is MyDevice.ttsc__dut_finish []");
}

/* A module that cannot be loaded: an error, nothing to free. */
static void test_start_fails(void **state)
{
    (void)state;
    tt_app *app = (tt_app *)1;
    tt_catalyst *cat = (tt_catalyst *)1;
    tt_error err = {0};
    assert_true(tt_app_start("/nonexistent/app.so", NULL, &app, &cat, &err) < 0);
    assert_null(app);
    assert_null(cat);
    assert_non_null(strstr(err.msg, "/nonexistent/app.so"));
    tt_app_end(NULL, NULL);
    assert_string_equal(tt_err_name(-TT_EEXPECT), "TT_EEXPECT");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_startup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace, setup, teardown),
        cmocka_unit_test(test_start_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
