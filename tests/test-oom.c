/*
 * test-oom.c: every allocation of the library, failed one at a time.
 *
 * As SQLite tests its out-of-memory paths: a scenario that touches the
 * library's allocating paths (classes, tonics with states, timers, string
 * arguments, field and computed probes, a contract parsed from JSON, runs,
 * value parsing, the JSON writer, lints, a checkpoint taken and restored,
 * a run's outcome copied and put back,
 * finishing) is first run with counting only,
 * then once for every n from 1 to that count with the n-th allocation failing
 * (and once more with it and every later one failing).  Each time:
 *
 *   - every call reports the failure (-TT_ENOMEM, NULL, or a run that stops
 *     with "error: out of memory ..."), nothing crashes;
 *   - no sparkle ran untraced: the handlers' own count of calls equals the
 *     number of their trace entries;
 *   - the catalyst stays consistent: with allocations working again it runs
 *     on to the end, every entry of every run can be read, and the session
 *     writes as JSON;
 *   - nothing leaks (make check-asan / check-valgrind).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasktonic.h"

/* Calls of the handlers below (what ran, traced or not). */
static unsigned long calls;

typedef struct worker {
    int64_t done;
    char *last;
    tt_tonic *helper;
} worker;

static bool Worker_probe_len(tt_tonic *self, tt_value *out)
{
    worker *w = TT_DATA(worker, self);
    tt_value s = TT_STR(w->last ? w->last : "");
    return tt_value_copy(out, &s) == 0;
}

static void Worker_ttse__on_start(tt_tonic *self)
{
    calls++;
    tt_timer *tm = tt_timer_new(self, TT_TIMER_REPEAT, 0.5, "tick", NULL);
    if (tm)
        tt_timer_start(tm);
    tt_to_state(self, "idle");
}

static void Worker_ttse__on_tick(tt_tonic *self, const tt_timer_info *info)
{
    (void)info;
    calls++;
    tt_send(self, "ttsc__work", TT_STR("tick"));
}

static void Worker_ttsc_idle__work(tt_tonic *self, const char *what)
{
    calls++;
    worker *w = TT_DATA(worker, self);
    char *copy = strdup(what);
    if (copy) {
        free(w->last);
        w->last = copy;
    }
    w->done++;
    tt_to_state(self, "busy");
}

static void Worker_ttse_busy__on_enter(tt_tonic *self)
{
    calls++;
    tt_to_state(self, "idle");
}

static void Worker_destroy(tt_tonic *self)
{
    free(TT_DATA(worker, self)->last);
}

static const tt_handler worker_handlers[] = {
    TT_ON(Worker, ttse__on_start),
    TT_ON(Worker, ttse__on_tick, const tt_timer_info *),
    TT_ON(Worker, ttsc_idle__work, const char *),
    TT_ON(Worker, ttse_busy__on_enter),
};
static const tt_probe_def worker_probes[] = {
    TT_PROBE(worker, done),
    TT_PROBE_FN("last", Worker_probe_len),
};
static const tt_class Worker_class = {
    .name = "Worker",
    .data_size = sizeof(worker),
    .handlers = worker_handlers,
    .n_handlers = TT_COUNTOF(worker_handlers),
    .probes = worker_probes,
    .n_probes = TT_COUNTOF(worker_probes),
    .destroy = Worker_destroy,
};

/* Whether an entry is one of the handlers above that ran. */
static bool ran_handler(tt_catalyst *cat, const tt_trace_entry *e)
{
    const char *t = tt_entry_tonic_name(cat, e), *s = tt_entry_sparkle_name(cat, e);
    if (strcmp(t, "Worker") != 0 || (e->flags & (TT_EF_IGNORED | TT_EF_NOHANDLER)))
        return false;
    return strcmp(s, "ttse__on_start") == 0 || strcmp(s, "ttse__on_tick") == 0 ||
           strcmp(s, "ttsc__work") == 0 ||
           (strcmp(s, "ttse__on_enter") == 0 &&
            strcmp(tt_entry_state_enter(cat, e), "busy") == 0);
}

/* An error code the library may give when memory runs out. */
static void expect_ok_or_nomem(int rc)
{
    if (rc != 0 && rc != -TT_ENOMEM)
        fail_msg("unexpected error %d (%s)", rc, tt_strerror(rc));
}

/* One run; it must return 0 (or ENOMEM before it started). */
static void sparkle(tt_catalyst *cat, const tt_sparkle_args *a)
{
    const tt_run *r = NULL;
    expect_ok_or_nomem(tt_distiller_sparkle(cat, a, &r));
}

/* The scenario: everything that may fail is allowed to. */
static void scenario(tt_catalyst *cat)
{
    tt_tonic *w = tt_tonic_new(cat, &Worker_class, "Worker", NULL);
    /* lints from the start, with limits that make some */
    expect_ok_or_nomem(tt_lint_set_threshold(cat, TT_LINT_QUEUE_GROWTH, 0));
    expect_ok_or_nomem(tt_lint_set_threshold(cat, TT_LINT_STUCK_TONIC, 0));
    tt_sparkle_args count = {.sparkle_count = 6};
    sparkle(cat, &count);
    expect_ok_or_nomem(tt_lint_update(cat));
    if (w)
        expect_ok_or_nomem(tt_send(w, "ttsc__work", TT_STR("by hand")));
    /* a checkpoint with an order pending (a string value), restored at
     * once: the handlers keep a string of their own (w->last), which a
     * restore after they ran would not bring back */
    tt_checkpoint *ck = NULL;
    expect_ok_or_nomem(tt_checkpoint_take(cat, NULL, &ck));
    if (ck) { /* without memory the catalyst stays as it is */
        expect_ok_or_nomem(tt_checkpoint_restore(cat, ck));
        tt_checkpoint_free(ck);
    }

    tt_contract *c = NULL;
    tt_error err;
    int rc = tt_contract_parse("{\"timeout\": 3, \"tonics\": {\"Worker\": "
                               "{\"probes\": [\"done\", \"last\"], "
                               "\"till_state_in\": [\"nowhere\"]}}}",
                               "oom.json", &c, &err);
    expect_ok_or_nomem(rc);
    tt_sparkle_args ca = {.contract = c};
    sparkle(cat, &ca);
    tt_contract_free(c);
    /* the newest run's outcome, put back on it (a replay's) */
    size_t nruns = tt_run_count(cat);
    tt_run_outcome *o = nruns ? tt_run_outcome_take(tt_run_at(cat, nruns - 1)) : NULL;
    if (o) {
        expect_ok_or_nomem(tt_run_set_outcome(cat, nruns - 1, o));
        tt_run_outcome_free(o);
    }

    tt_value v;
    if (tt_value_parse(cat, TT_T_STR, "\"a string\"", &v, &err) == 0)
        tt_value_clear(&v);
    expect_ok_or_nomem(tt_distiller_advance(cat, 2));
    tt_sparkle_args all = {.timeout = 1};
    sparkle(cat, &all);

    expect_ok_or_nomem(tt_lint_update(cat));
    for (size_t i = 0, n = tt_lint_count(cat); i < n; i++) {
        tt_lint l;
        expect_ok_or_nomem(tt_lint_get(cat, i, &l));
    }

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f) {
        rc = tt_session_write_json(cat, f, TT_JSON_EXTENSIONS);
        if (rc != 0 && rc != -TT_ENOMEM && rc != -TT_EIO)
            fail_msg("write_json: %d", rc);
        fclose(f);
        free(buf);
    }
}

/* With allocations working again: the catalyst runs on, every entry is
 * readable, no handler ran untraced, the session writes as JSON. */
static void check_consistent(tt_catalyst *cat, unsigned long n)
{
    tt_sparkle_args all = {.timeout = 1};
    const tt_run *r = NULL;
    assert_int_equal(tt_distiller_sparkle(cat, &all, &r), 0);
    assert_int_equal(tt_distiller_finish(cat, NULL, &r), 0);
    unsigned long traced = 0;
    for (size_t i = 0; i < tt_run_count(cat); i++) {
        const tt_run *run = tt_run_at(cat, i);
        if (tt_run_stop_count(run) == 0)
            fail_msg("allocation %lu failing: run %zu has no stop condition", n, i);
        if (!tt_run_has_trace(run))
            continue;
        for (uint64_t k = 0; k < tt_run_entry_count(run); k++) {
            const tt_trace_entry *e = tt_trace_get(cat, tt_run_first_seq(run) + k);
            assert_non_null(e);
            traced += ran_handler(cat, e);
        }
    }
    if (traced != calls)
        fail_msg("allocation %lu failing: %lu handler calls, %lu traced", n, calls,
                 traced);
    assert_int_equal(tt_lint_update(cat), 0);
    for (size_t i = 0, nl = tt_lint_count(cat); i < nl; i++) {
        tt_lint l;
        assert_int_equal(tt_lint_get(cat, i, &l), 0);
    }
    FILE *f = fopen("/dev/null", "w");
    assert_non_null(f);
    assert_int_equal(tt_session_write_json(cat, f, 0), 0);
    fclose(f);
}

/* The scenario with allocation n failing (0: none); keep: all after it too. */
static void run_with_failure(unsigned long n, bool keep)
{
    calls = 0;
    tt_test_fail_alloc(n, keep);
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER};
    tt_catalyst *cat = NULL;
    int rc = tt_catalyst_new(&cat, &o);
    if (rc < 0) {
        tt_test_fail_alloc(0, false);
        assert_int_equal(rc, -TT_ENOMEM);
        assert_null(cat);
        return;
    }
    scenario(cat);
    tt_test_fail_alloc(0, false);
    check_consistent(cat, n);
    tt_catalyst_free(cat);
}

/* The count without failures, then every allocation failed in turn. */
static void test_every_allocation(void **state)
{
    (void)state;
    run_with_failure(ULONG_MAX, false);
    tt_test_fail_alloc(ULONG_MAX, false); /* count the scenario alone */
    calls = 0;
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER};
    tt_catalyst *cat = NULL;
    assert_int_equal(tt_catalyst_new(&cat, &o), 0);
    scenario(cat);
    unsigned long total = tt_test_fail_alloc(0, false);
    tt_catalyst_free(cat);
    assert_true(total > 50);
    print_message("# the scenario makes %lu allocations; each fails in turn\n", total);
    for (unsigned long n = 1; n <= total; n++) {
        run_with_failure(n, false);
        run_with_failure(n, true);
    }
}

/* A sparkle never runs untraced: without memory for its entry the run stops
 * with "error: out of memory ..." before it, and it runs in the next run. */
static void test_no_untraced_sparkle(void **state)
{
    (void)state;
    bool seen = false;
    for (unsigned long n = 1; n < 400 && !seen; n++) {
        calls = 0;
        tt_catalyst_options o = {.mode = TT_MODE_DISTILLER};
        tt_catalyst *cat = NULL;
        assert_int_equal(tt_catalyst_new(&cat, &o), 0);
        tt_tonic *w = tt_tonic_new(cat, &Worker_class, "Worker", NULL);
        assert_non_null(w);
        /* the first run allocates the first chunk of the trace */
        tt_sparkle_args count = {.sparkle_count = 6};
        const tt_run *r = NULL;
        tt_test_fail_alloc(n, true);
        tt_sparkle_args all = {.timeout = 100};
        int rc = tt_distiller_sparkle(cat, &all, &r);
        tt_test_fail_alloc(0, false);
        if (rc == 0 && tt_run_stop_count(r) == 1 &&
            strncmp(tt_run_stop_at(r, 0), "error: out of memory", 20) == 0) {
            seen = true;
            unsigned long before = calls;
            assert_int_equal(tt_distiller_sparkle(cat, &count, &r), 0);
            assert_true(calls > before);
        }
        check_consistent(cat, n);
        tt_catalyst_free(cat);
    }
    assert_true(seen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_untraced_sparkle),
        cmocka_unit_test(test_every_allocation),
    };
    return cmocka_run_group_tests_name("oom", tests, NULL, NULL);
}
