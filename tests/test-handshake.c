/*
 * test-handshake.c: the Distiller on the handshake demo, as a user's test.
 *
 * Loads the built app module (examples/handshake.la) the way ttdb does, runs
 * it in a Distiller and asserts what the Distiller documentation promises:
 * the integration contract (client `connected` AND server with exactly one
 * connection) with stop_match_count "all" and 1, its contract_details, the
 * probes at enter and exit of the last sparkle, the single-tonic triggers,
 * virtual time, `idle`, and a reconnect after a dropped connection.
 *
 * The app's timeline in virtual seconds: connection attempts at 0, 0.5 and
 * 1.0 are refused, the server listens from 1.2, the retry at 1.5 succeeds.
 *
 * Environment (set by `make check`): EXAMPLES (built examples folder) or
 * top_builddir; top_srcdir for the contract file.
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

/* One test's world: the app and its Distiller. */
typedef struct world {
    tt_app *app;
    tt_catalyst *cat;
    tt_tonic *client;
    tt_tonic *server;
} world;

/* path = $VAR/rest, or NULL when VAR is unset. */
static char *env_path(const char *var, const char *rest)
{
    const char *dir = getenv(var);
    char *p;

    if (!dir || !*dir)
        return NULL;
    p = malloc(strlen(dir) + strlen(rest) + 2);
    if (p)
        sprintf(p, "%s/%s", dir, rest);
    return p;
}

/* The built module: $EXAMPLES/handshake.la, else under $top_builddir. */
static char *module_path(void)
{
    char *p = env_path("EXAMPLES", "handshake.la");

    return p ? p : env_path("top_builddir", "examples/handshake.la");
}

/* Free the Distiller, then unload the app whose code it ran. */
static int teardown(void **state)
{
    world *w = *state;

    if (w->cat)
        tt_catalyst_free(w->cat);
    if (w->app)
        tt_app_close(w->app);
    free(w);
    return 0;
}

/* Load the app into a fresh Distiller (virtual time). */
static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    tt_catalyst_options opts = {.mode = TT_MODE_DISTILLER};
    char *path = module_path();
    tt_error err = {0};

    if (!w || !path) {
        fprintf(stderr, "# set EXAMPLES or top_builddir to find handshake.la\n");
        free(path);
        free(w);
        return -1;
    }
    if (tt_app_load(path, &w->app, &err) != 0) {
        fprintf(stderr, "# %s\n", err.msg);
        free(path);
        free(w);
        return -1;
    }
    free(path);
    *state = w;
    if (tt_catalyst_new(&w->cat, &opts) != 0 ||
        tt_app_formula(w->app, w->cat) != 0) {
        fprintf(stderr, "# handshake formula: %s\n",
                w->cat ? tt_catalyst_errmsg(w->cat) : "no catalyst");
        teardown(state);
        return -1;
    }
    w->client = tt_tonic_by_name(w->cat, "ClientTonic");
    w->server = tt_tonic_by_name(w->cat, "ServerTonic");
    if (!w->client || !w->server) {
        fprintf(stderr, "# handshake: ClientTonic or ServerTonic missing\n");
        teardown(state);
        return -1;
    }
    return 0;
}

/* Whether two virtual times are equal (up to rounding). */
static bool near(double a, double b)
{
    return a - b < 1e-9 && b - a < 1e-9;
}

/* The contract file of the demo, from the source tree. */
static tt_contract *load_demo_contract(void)
{
    char *path = env_path("top_srcdir", "examples/handshake-contract.json");
    tt_contract *c = NULL;
    tt_error err = {0};
    int rc;

    assert_non_null(path);
    rc = tt_contract_load(path, &c, &err);
    if (rc != 0)
        fail_msg("%s", err.msg);
    free(path);
    return c;
}

/* Whether the run's stop conditions contain `what`. */
static bool stopped_by(const tt_run *r, const char *what)
{
    for (size_t i = 0; i < tt_run_stop_count(r); i++)
        if (strcmp(tt_run_stop_at(r, i), what) == 0)
            return true;
    return false;
}

/* The last entry of a run. */
static const tt_trace_entry *last_entry(const world *w, const tt_run *r)
{
    assert_true(tt_run_entry_count(r) > 0);
    return tt_trace_get(w->cat, tt_run_first_seq(r) + tt_run_entry_count(r) - 1);
}

/* How many entries of the run are TONIC.SPARKLE. */
static int count_entries(const world *w, const tt_run *r, const char *tonic,
                         const char *sparkle)
{
    int n = 0;

    for (uint64_t i = 0; i < tt_run_entry_count(r); i++) {
        const tt_trace_entry *e = tt_trace_get(w->cat, tt_run_first_seq(r) + i);

        assert_non_null(e);
        if (strcmp(tt_entry_tonic_name(w->cat, e), tonic) == 0 &&
            strcmp(tt_entry_sparkle_name(w->cat, e), sparkle) == 0)
            n++;
    }
    return n;
}

/* An int probe in a frozen snapshot; fails the test when it is missing. */
static int64_t snapshot_int(const tt_map *m, const char *probe)
{
    assert_non_null(m);
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->keys[i], probe) == 0) {
            assert_int_equal(m->vals[i].type, TT_T_INT);
            return m->vals[i].u.i;
        }
    fail_msg("probe %s missing from the snapshot", probe);
    return -1;
}

/* An int probe's current value. */
static int64_t probe_now(tt_tonic *t, const char *probe)
{
    tt_value v;
    int64_t x;

    assert_int_equal(tt_tonic_probe_read(t, probe, &v), 0);
    assert_int_equal(v.type, TT_T_INT);
    x = v.u.i;
    tt_value_clear(&v);
    return x;
}

/* Matched reasons of one tonic, joined by "|" ("" when it did not match). */
static const char *reasons_of(const tt_run *r, const char *tonic)
{
    static char buf[256];

    buf[0] = '\0';
    for (size_t i = 0; i < tt_run_matched_count(r); i++) {
        if (strcmp(tt_run_matched_tonic(r, i), tonic) != 0)
            continue;
        for (size_t j = 0; j < tt_run_matched_reason_count(r, i); j++) {
            if (j)
                strcat(buf, "|");
            strncat(buf, tt_run_matched_reason(r, i, j),
                    sizeof buf - strlen(buf) - 2);
        }
    }
    return buf;
}

/* The seed's integration contract: client connected AND one connection. */
static void test_contract_all(void **state)
{
    world *w = *state;
    tt_contract *c = load_demo_contract();
    tt_sparkle_args a = {.contract = c};
    const tt_run *r = NULL;
    const tt_trace_entry *e;
    int match = 0, target = 0;

    assert_int_equal(tt_distiller_sparkle(w->cat, &a, &r), 0);
    assert_non_null(r);
    assert_string_equal(tt_run_status(r), "running");
    assert_int_equal(tt_run_stop_count(r), 1);
    assert_string_equal(tt_run_stop_at(r, 0), "contract_met");
    assert_false(stopped_by(r, "timeout"));

    assert_true(tt_run_contract_met(r, &match, &target));
    assert_int_equal(match, 2);
    assert_int_equal(target, 2);
    assert_int_equal(tt_run_matched_count(r), 2);
    assert_string_equal(tt_run_matched_tonic(r, 0), "ClientTonic");
    assert_string_equal(tt_run_matched_tonic(r, 1), "ServerTonic");
    assert_string_equal(reasons_of(r, "ClientTonic"), "state: 'connected'");
    assert_string_equal(reasons_of(r, "ServerTonic"),
                        "probe: active_connections == 1");

    /* Met after the change to `connected`; its on_enter still ran. */
    e = last_entry(w, r);
    assert_string_equal(tt_entry_tonic_name(w->cat, e), "ClientTonic");
    assert_string_equal(tt_entry_sparkle_name(w->cat, e), "ttse__on_enter");
    assert_string_equal(tt_entry_state_exit(w->cat, e), "connected");
    assert_int_equal(snapshot_int(tt_entry_probes_exit(e), "retry_attempts"), 3);

    /* Four attempts, three refused, in 1.5 virtual seconds. */
    assert_int_equal(count_entries(w, r, "ServerTonic", "ttsc__connect"), 4);
    assert_int_equal(count_entries(w, r, "ClientTonic", "ttse__on_refused"), 3);
    assert_int_equal(count_entries(w, r, "ClientTonic", "ttse__on_retry"), 3);
    assert_int_equal(probe_now(w->server, "refused_connections"), 3);
    assert_int_equal(probe_now(w->server, "active_connections"), 1);
    assert_true(near(tt_run_vt_end(r), 1.5));
    assert_true(near(tt_catalyst_now(w->cat), 1.5));

    tt_contract_free(c);
}

/* stop_match_count 1 (OR): the server's accept alone meets it. */
static void test_contract_any(void **state)
{
    world *w = *state;
    tt_contract *c = tt_contract_new();
    tt_value one = TT_INT(1);
    tt_sparkle_args a = {0};
    const tt_run *r = NULL;
    const tt_trace_entry *e;
    int match = 0, target = 0;

    assert_non_null(c);
    assert_int_equal(tt_contract_set_timeout(c, 5.0), 0);
    assert_int_equal(tt_contract_set_match_count(c, 1), 0);
    assert_int_equal(tt_contract_add_till_state(c, "ClientTonic", "connected"), 0);
    assert_int_equal(tt_contract_add_probe(c, "ClientTonic", "retry_attempts"), 0);
    assert_int_equal(tt_contract_add_probe(c, "ServerTonic", "active_connections"), 0);
    assert_int_equal(tt_contract_add_stop_on_probe(c, "ServerTonic",
                                                   "active_connections", &one), 0);
    a.contract = c;

    assert_int_equal(tt_distiller_sparkle(w->cat, &a, &r), 0);
    assert_true(stopped_by(r, "contract_met"));
    assert_true(tt_run_contract_met(r, &match, &target));
    assert_int_equal(match, 1);
    assert_int_equal(target, 1);
    assert_int_equal(tt_run_matched_count(r), 1);
    assert_string_equal(tt_run_matched_tonic(r, 0), "ServerTonic");

    /* Stopped right after the accepting connect: the client has not heard. */
    e = last_entry(w, r);
    assert_string_equal(tt_entry_tonic_name(w->cat, e), "ServerTonic");
    assert_string_equal(tt_entry_sparkle_name(w->cat, e), "ttsc__connect");
    assert_string_equal(tt_entry_state_exit(w->cat, e), "listening");
    assert_int_equal(snapshot_int(tt_entry_probes_enter(e), "active_connections"), 0);
    assert_int_equal(snapshot_int(tt_entry_probes_exit(e), "active_connections"), 1);
    assert_string_equal(tt_tonic_state_name(w->client), "connecting");
    assert_string_equal(reasons_of(r, "ClientTonic"), "");

    tt_contract_free(c);
}

/* The probes at enter and exit of the last sparkle (sparkle_count=1). */
static void test_probes_at_enter_and_exit(void **state)
{
    world *w = *state;
    tt_sparkle_args until_refused = {.till_sparkle_in = "ttse__on_refused"};
    tt_sparkle_args one = {.sparkle_count = 1};
    tt_contract *c = NULL;
    tt_error err = {0};
    const tt_run *r = NULL;
    const tt_trace_entry *e;

    assert_int_equal(tt_distiller_sparkle(w->cat, &until_refused, &r), 0);
    assert_string_equal(tt_run_stop_at(r, 0), "sparkle_trigger: [ttse__on_refused]");
    e = last_entry(w, r);
    assert_string_equal(tt_entry_sparkle_name(w->cat, e), "ttse__on_refused");

    /* A contract given as text this time. */
    if (tt_contract_parse("{\"tonics\": {\"ClientTonic\": "
                          "{\"probes\": [\"retry_attempts\"]}}}",
                          "test-handshake.c", &c, &err) != 0)
        fail_msg("%s", err.msg);
    one.contract = c;

    /* The queue is empty: virtual time jumps to the retry timer at 0.5 s. */
    assert_int_equal(tt_distiller_sparkle(w->cat, &one, &r), 0);
    assert_int_equal(tt_run_stop_count(r), 1);
    assert_string_equal(tt_run_stop_at(r, 0), "sparkle_count");
    assert_int_equal(tt_run_entry_count(r), 1);
    e = last_entry(w, r);
    assert_string_equal(tt_entry_tonic_name(w->cat, e), "ClientTonic");
    assert_string_equal(tt_entry_sparkle_name(w->cat, e), "ttse__on_retry");
    assert_string_equal(tt_entry_source_name(w->cat, e), "retry");
    assert_string_equal(tt_entry_source_sparkle(w->cat, e), "expired");
    assert_int_equal(snapshot_int(tt_entry_probes_enter(e), "retry_attempts"), 0);
    assert_int_equal(snapshot_int(tt_entry_probes_exit(e), "retry_attempts"), 1);
    assert_true(near(e->vt, 0.5));

    tt_contract_free(c);
}

/* Single-tonic triggers and a virtual timeout. */
static void test_direct_triggers(void **state)
{
    world *w = *state;
    tt_sparkle_args short_run = {.timeout = 0.75};
    tt_sparkle_args until_listening = {.till_state_in = "listening"};
    const tt_run *r = NULL;

    /* 0.75 virtual seconds: one retry (at 0.5), not yet the next (1.0). */
    assert_int_equal(tt_distiller_sparkle(w->cat, &short_run, &r), 0);
    assert_true(stopped_by(r, "timeout"));
    assert_false(stopped_by(r, "contract_met"));
    assert_int_equal(probe_now(w->client, "retry_attempts"), 1);
    assert_string_equal(tt_tonic_state_name(w->client), "connecting");

    /* The server listens at 1.2 s, after three refusals. */
    assert_int_equal(tt_distiller_sparkle(w->cat, &until_listening, &r), 0);
    assert_string_equal(tt_run_stop_at(r, 0), "state_trigger: [listening]");
    assert_true(near(tt_catalyst_now(w->cat), 1.2));
    assert_int_equal(probe_now(w->server, "refused_connections"), 3);
    assert_int_equal(probe_now(w->server, "active_connections"), 0);
}

/* Once connected nothing can happen: `idle`; a dropped link reconnects. */
static void test_idle_then_reconnect(void **state)
{
    world *w = *state;
    tt_contract *c = load_demo_contract();
    tt_sparkle_args a = {.contract = c};
    tt_sparkle_args nothing = {0};
    const tt_run *r = NULL;

    assert_int_equal(tt_distiller_sparkle(w->cat, &a, &r), 0);
    assert_true(stopped_by(r, "contract_met"));

    assert_int_equal(tt_distiller_sparkle(w->cat, &nothing, &r), 0);
    assert_int_equal(tt_run_stop_count(r), 1);
    assert_string_equal(tt_run_stop_at(r, 0), "idle");
    assert_true(near(tt_catalyst_now(w->cat), 1.5));

    /* Injected from the test: an external source. */
    assert_int_equal(tt_send(w->client, "ttsc__drop_connection"), 0);

    /* Careful: conditions are evaluated after every sparkle.  Right after
     * ttsc__drop_connection the client is still `connected` (the change is
     * deferred) and the server still counts one connection, so the same
     * contract is met at once; the drop's three extras still run. */
    assert_int_equal(tt_distiller_sparkle(w->cat, &a, &r), 0);
    assert_true(stopped_by(r, "contract_met"));
    assert_int_equal(tt_run_entry_count(r), 4);
    assert_null(tt_entry_source_name(w->cat,
                                     tt_trace_get(w->cat, tt_run_first_seq(r))));
    assert_string_equal(tt_tonic_state_name(w->client), "disconnected");

    /* Run again: the server hears the hang-up, the client retries at 2.0 s. */
    assert_int_equal(tt_distiller_sparkle(w->cat, &a, &r), 0);
    assert_true(stopped_by(r, "contract_met"));
    assert_string_equal(tt_tonic_state_name(w->client), "connected");
    assert_int_equal(probe_now(w->client, "retry_attempts"), 4);
    assert_int_equal(probe_now(w->server, "active_connections"), 1);
    assert_true(near(tt_catalyst_now(w->cat), 2.0));

    tt_contract_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_contract_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contract_any, setup, teardown),
        cmocka_unit_test_setup_teardown(test_probes_at_enter_and_exit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_direct_triggers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idle_then_reconnect, setup,
                                        teardown),
    };

    return cmocka_run_group_tests_name("handshake", tests, NULL, NULL);
}
