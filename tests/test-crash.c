/*
 * test-crash.c: crash containment and the watchdog of the Distiller, on the
 * `buggy` demo app.  A crashing sparkle stops the run with
 * "crashed: SIGNAL in Buggy.SPARKLE", its entry stays in the trace marked
 * crashed, the trace before it is intact, and the catalyst is tainted.  A
 * sparkle that never returns is stopped by the watchdog.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <unistd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tasktonic.h"

static tt_app *app;

/* A distiller containing crashes, with the buggy app started. */
static tt_catalyst *start(double watchdog)
{
    tt_catalyst *cat;
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER, .contain_crashes = true,
                             .watchdog = watchdog};
    assert_int_equal(tt_catalyst_new(&cat, &o), 0);
    assert_int_equal(tt_app_formula(app, cat), 0);
    const tt_run *r;
    assert_int_equal(tt_distiller_sparkle(cat, NULL, &r), 0);
    assert_string_equal(tt_run_stop_at(r, 0), "idle");
    return cat;
}

/* Queue Buggy.sparkle after one harmless sparkle and run. */
static const tt_run *crash_run(tt_catalyst *cat, const char *sparkle)
{
    tt_tonic *b = tt_tonic_by_name(cat, "Buggy");
    assert_non_null(b);
    assert_int_equal(tt_send(b, "ttsc__ok"), 0);
    assert_int_equal(tt_send(b, sparkle), 0);
    assert_int_equal(tt_send(b, "ttsc__ok"), 0);
    const tt_run *r;
    assert_int_equal(tt_distiller_sparkle(cat, NULL, &r), 0);
    return r;
}

static void check_crash(const char *sparkle, const char *signame)
{
    tt_catalyst *cat = start(0);
    assert_false(tt_distiller_tainted(cat));
    const tt_run *r = crash_run(cat, sparkle);
    char want[128];
    snprintf(want, sizeof want, "crashed: %s in Buggy.%s", signame, sparkle);
    assert_int_equal(tt_run_stop_count(r), 1);
    assert_string_equal(tt_run_stop_at(r, 0), want);
    /* ok, then the crashing sparkle; the last ok never ran */
    assert_int_equal(tt_run_entry_count(r), 2);
    const tt_trace_entry *ok = tt_trace_get(cat, tt_run_first_seq(r));
    const tt_trace_entry *bad = tt_trace_get(cat, tt_run_first_seq(r) + 1);
    assert_string_equal(tt_entry_sparkle_name(cat, ok), "ttsc__ok");
    assert_false(ok->flags & TT_EF_CRASHED);
    assert_string_equal(tt_entry_sparkle_name(cat, bad), sparkle);
    assert_true(bad->flags & TT_EF_CRASHED);
    assert_true(tt_distiller_tainted(cat));
    /* the trace can still be written */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(tt_session_write_json(cat, f, TT_JSON_EXTENSIONS), 0);
    fclose(f);
    assert_non_null(strstr(buf, want));
    assert_non_null(strstr(buf, "\"ran\": \"crashed\""));
    free(buf);
    /* the queue survives: the remaining ok still runs */
    assert_int_equal(tt_distiller_sparkle(cat, &(tt_sparkle_args){.sparkle_count = 1}, &r), 0);
    assert_string_equal(tt_entry_sparkle_name(cat, tt_trace_get(cat, tt_run_first_seq(r))),
                        "ttsc__ok");
    tt_catalyst_free(cat);
}

/* Another handler installed after the catalyst (a test framework's: cmocka
 * sets its own around each test) does not take the crash from it. */
static void other_handler(int sig)
{
    (void)sig;
    _exit(99);
}

static void test_handler_replaced(void **s)
{
    (void)s;
    tt_catalyst *cat = start(0);
    struct sigaction sa = {.sa_handler = other_handler}, old;
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGFPE, &sa, &old), 0);
    const tt_run *r = crash_run(cat, "ttsc__divide_by_zero");
    assert_string_equal(tt_run_stop_at(r, 0), "crashed: SIGFPE in Buggy.ttsc__divide_by_zero");
    tt_catalyst_free(cat);
    sigaction(SIGFPE, &old, NULL);
}

static void test_segv(void **s) { (void)s; check_crash("ttsc__null_deref", "SIGSEGV"); }
static void test_fpe(void **s) { (void)s; check_crash("ttsc__divide_by_zero", "SIGFPE"); }
static void test_abort(void **s) { (void)s; check_crash("ttsc__abort", "SIGABRT"); }
static void test_ill(void **s) { (void)s; check_crash("ttsc__illegal_instruction", "SIGILL"); }

static void test_watchdog(void **s)
{
    (void)s;
    tt_catalyst *cat = start(0.05);
    const tt_run *r = crash_run(cat, "ttsc__loop_forever");
    assert_int_equal(tt_run_stop_count(r), 1);
    assert_string_equal(tt_run_stop_at(r, 0),
                        "watchdog: Buggy.ttsc__loop_forever ran longer than 0.05s");
    assert_true(tt_distiller_tainted(cat));
    tt_catalyst_free(cat);
}

/* tt_distiller_abort from another thread stops a sparkle that never returns. */
static volatile int abort_done;
static void *aborter(void *cat)
{
    while (!abort_done) {
        tt_distiller_abort(cat);
        usleep(1000); /* polling until the run returns, not a timing assertion */
    }
    return NULL;
}

static void test_abort_running_sparkle(void **s)
{
    (void)s;
    tt_catalyst *cat = start(0);
    tt_tonic *b = tt_tonic_by_name(cat, "Buggy");
    assert_int_equal(tt_send(b, "ttsc__loop_forever"), 0);
    pthread_t th;
    abort_done = 0;
    assert_int_equal(pthread_create(&th, NULL, aborter, cat), 0);
    const tt_run *r;
    assert_int_equal(tt_distiller_sparkle(cat, NULL, &r), 0);
    abort_done = 1;
    pthread_join(th, NULL);
    assert_string_equal(tt_run_stop_at(r, 0), "interrupted: Buggy.ttsc__loop_forever did not return");
    assert_true(tt_distiller_tainted(cat));
    tt_catalyst_free(cat);
}

/* The watchdog can be changed on a live distiller. */
static void test_set_watchdog(void **s)
{
    (void)s;
    tt_catalyst *cat = start(0);
    assert_int_equal(tt_distiller_set_watchdog(cat, 0.02), 0);
    assert_int_equal(tt_distiller_set_watchdog(cat, -1), -TT_EINVAL);
    assert_int_equal(tt_distiller_set_watchdog(cat, 1e300), -TT_EINVAL); /* not a time_t */
    const tt_run *r = crash_run(cat, "ttsc__loop_forever");
    assert_string_equal(tt_run_stop_at(r, 0),
                        "watchdog: Buggy.ttsc__loop_forever ran longer than 0.02s");
    tt_catalyst_free(cat);
    tt_catalyst *plain;
    assert_int_equal(tt_catalyst_new(&plain, &(tt_catalyst_options){.mode = TT_MODE_DISTILLER}), 0);
    assert_int_equal(tt_distiller_set_watchdog(plain, 1), -TT_EINVAL);
    tt_catalyst_free(plain);
    tt_catalyst *big;
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER, .contain_crashes = true, .watchdog = 1e300};
    assert_int_equal(tt_catalyst_new(&big, &o), -TT_EINVAL);
}

/* Try to make a crash-containing catalyst on another thread. */
static void *other_thread(void *arg)
{
    tt_catalyst *c = NULL;
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER, .contain_crashes = true};
    *(int *)arg = tt_catalyst_new(&c, &o);
    tt_catalyst_free(c);
    return NULL;
}

/* The catalysts of one thread may all contain crashes (a debugger replays a
 * session in a second one); another thread's may not meanwhile. */
static void test_one_owner(void **s)
{
    (void)s;
    tt_catalyst *a, *b, *c;
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER, .contain_crashes = true};
    pthread_t th;
    int rc = 1;
    assert_int_equal(tt_catalyst_new(&a, &o), 0);
    assert_int_equal(tt_catalyst_new(&b, &o), 0);
    assert_int_equal(pthread_create(&th, NULL, other_thread, &rc), 0);
    pthread_join(th, NULL);
    assert_int_equal(rc, -TT_EBUSY);
    tt_catalyst_free(a);
    /* b still contains a crash */
    tt_tonic *t = NULL;
    assert_int_equal(tt_app_formula(app, b), 0);
    t = tt_tonic_by_name(b, "Buggy");
    assert_non_null(t);
    assert_int_equal(tt_send(t, "ttsc__null_deref"), 0);
    const tt_run *r;
    assert_int_equal(tt_distiller_sparkle(b, NULL, &r), 0);
    assert_true(tt_distiller_tainted(b));
    tt_catalyst_free(b);
    assert_int_equal(pthread_create(&th, NULL, other_thread, &rc), 0);
    pthread_join(th, NULL);
    assert_int_equal(rc, 0);
    assert_int_equal(tt_catalyst_new(&c, &o), 0);
    tt_catalyst_free(c);
}

/* A class whose destroy crashes, and one whose destroy counts its calls. */
static int destroyed;
static void crash_destroy(tt_tonic *t)
{
    (void)t;
    raise(SIGSEGV);
}
static void count_destroy(tt_tonic *t)
{
    (void)t;
    destroyed++;
}
typedef struct { int64_t n; } one_data;
static const tt_probe_def one_probes[] = {TT_PROBE(one_data, n)};
static const tt_class crash_class = {.name = "Crasher", .data_size = sizeof(one_data),
                                     .destroy = crash_destroy, .probes = one_probes,
                                     .n_probes = 1};
static const tt_class count_class = {.name = "Counted", .destroy = count_destroy};

/* tt_catalyst_destroy_tonics: a crash in a class destroy is heard, the
 * other destroys still run once, the trace stays, nothing runs after. */
static void test_destroy_crash(void **s)
{
    (void)s;
    tt_catalyst *cat;
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER, .contain_crashes = true};
    assert_int_equal(tt_catalyst_new(&cat, &o), 0);
    assert_non_null(tt_tonic_new(cat, &count_class, "A", NULL));
    tt_tonic *c = tt_tonic_new(cat, &crash_class, "C", NULL);
    assert_non_null(c);
    const tt_run *r;
    assert_int_equal(tt_distiller_sparkle(cat, NULL, &r), 0);
    uint64_t n = tt_trace_last_seq(cat);
    assert_true(n > 0);
    destroyed = 0;
    assert_int_equal(tt_catalyst_destroy_tonics(cat), -TT_ECRASHED);
    assert_string_equal(tt_catalyst_errmsg(cat), "crashed: SIGSEGV in Crasher destroy");
    assert_int_equal(destroyed, 1);
    assert_true(tt_distiller_tainted(cat));
    assert_int_equal(tt_trace_last_seq(cat), n);
    assert_non_null(tt_trace_get(cat, n));
    tt_value v;
    assert_int_equal(tt_tonic_probe_read(c, "n", &v), -TT_ECATFINISHED);
    assert_int_equal(tt_distiller_sparkle(cat, NULL, &r), -TT_ECATFINISHED);
    /* a second time runs nothing, and neither does the free */
    assert_int_equal(tt_catalyst_destroy_tonics(cat), 0);
    tt_catalyst_free(cat);
    assert_int_equal(destroyed, 1);
}

/* A stray SIGALRM (an app's alarm(), a test framework's or a fuzzer's
 * timer) while guarded code runs with no watchdog is not a watchdog stop:
 * the code goes on and nothing is tainted. */
static int alarm_returned;
static void stray_alarm(void *ud)
{
    (void)ud;
    raise(SIGALRM);
    alarm_returned = 1;
}

static void test_stray_alarm(void **s)
{
    (void)s;
    tt_catalyst *cat = start(0);
    alarm_returned = 0;
    assert_int_equal(tt_guard_run(cat, "the stray alarm", stray_alarm, NULL), 0);
    assert_int_equal(alarm_returned, 1);
    assert_false(tt_distiller_tainted(cat));
    /* the watchdog still stops what runs too long */
    assert_int_equal(tt_distiller_set_watchdog(cat, 0.05), 0);
    const tt_run *r = crash_run(cat, "ttsc__loop_forever");
    assert_string_equal(tt_run_stop_at(r, 0),
                        "watchdog: Buggy.ttsc__loop_forever ran longer than 0.05s");
    tt_catalyst_free(cat);
}

int main(void)
{
    const char *dir = getenv("EXAMPLES");
    char path[4096];
    snprintf(path, sizeof path, "%s/buggy.la", dir ? dir : "examples");
    tt_error err;
    if (tt_app_load(path, &app, &err) < 0) {
        printf("Bail out! %s\n", err.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_segv),     cmocka_unit_test(test_fpe),
        cmocka_unit_test(test_abort),    cmocka_unit_test(test_ill),
        cmocka_unit_test(test_watchdog), cmocka_unit_test(test_one_owner),
        cmocka_unit_test(test_abort_running_sparkle), cmocka_unit_test(test_set_watchdog),
        cmocka_unit_test(test_destroy_crash), cmocka_unit_test(test_stray_alarm),
        cmocka_unit_test(test_handler_replaced),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tt_app_close(app);
    return rc;
}
