/*
 * test-lint.c: the lints of a trace (tt_lint_*), each on an app that has the
 * fault and on one that has not.
 *
 * The app with every fault is tests/tui/apps/faults.la (Sensor, Producer,
 * Consumer); the clean cases are small classes here and the bundled demos
 * and reference modules, which must give no lint at all.  Also: the lints
 * of a trace read back (tt_trace_parse) are those of the live session but
 * queue growth; a trace ring that drops entries loses none of them; the
 * thresholds; the order (most serious first).
 *
 * Environment: top_builddir (faults.la under tests/tui/apps), EXAMPLES.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check-util.h"
#include "tasktonic.h"

static char path_buf[4096];

/* A module under the build tree: $top_builddir/rel (or ./rel). */
static const char *module(const char *rel)
{
    const char *top = getenv("top_builddir");
    snprintf(path_buf, sizeof path_buf, "%s/%s", top ? top : ".", rel);
    return path_buf;
}

/* An example module: $EXAMPLES/name. */
static const char *example(const char *name)
{
    const char *ex = getenv("EXAMPLES");
    if (ex)
        snprintf(path_buf, sizeof path_buf, "%s/%s", ex, name);
    else
        snprintf(path_buf, sizeof path_buf, "%s/examples/%s",
                 getenv("top_builddir") ? getenv("top_builddir") : ".", name);
    return path_buf;
}

typedef struct app_ctx {
    tt_app *app;
    tt_catalyst *cat;
} app_ctx;

/* Start an app (the formula has run, nothing else). */
static void app_start(app_ctx *c, const char *path)
{
    tt_error err = {0};
    int rc = tt_app_start(path, NULL, &c->app, &c->cat, &err);
    if (rc < 0)
        fail_msg("%s: %s", path, err.msg);
}

static void app_end(app_ctx *c)
{
    tt_app_end(c->app, c->cat);
    c->app = NULL;
    c->cat = NULL;
}

/* Post sparkle to the tonic named `tonic` from outside. */
static void post(tt_catalyst *cat, const char *tonic, const char *sparkle,
                 const tt_value *args, size_t n)
{
    tt_tonic *t = tt_tonic_by_name(cat, tonic);
    assert_non_null(t);
    int rc = tt_post(t, sparkle, args, n);
    assert_true(rc >= 0);
}

/* The only lint of a kind (fails when there are none or several). */
static tt_lint lint_of(tt_catalyst *cat, tt_lint_kind kind)
{
    tt_lint found = {0}, l;
    int hits = 0;
    for (size_t i = 0, n = tt_lint_count(cat); i < n; i++) {
        assert_int_equal(tt_lint_get(cat, i, &l), 0);
        if (l.kind == kind) {
            found = l;
            hits++;
        }
    }
    if (hits != 1)
        fail_msg("%d lints of kind %s, expected 1", hits, tt_lint_kind_name(kind));
    return found;
}

/* Fail with the lints listed when there is any. */
static void expect_no_lints(tt_catalyst *cat, const char *what)
{
    size_t n = tt_lint_count(cat);
    for (size_t i = 0; i < n; i++) {
        tt_lint l;
        assert_int_equal(tt_lint_get(cat, i, &l), 0);
        printf("# %s: %s: %s\n", what, tt_lint_kind_name(l.kind), l.message);
    }
    if (n)
        fail_msg("%s: %zu lints, expected none", what, n);
}

/* Giant sparkles depend on the machine: under valgrind or on a loaded one
 * any sparkle may take 50 ms of wall time.  Tests that are not about them
 * raise the limit to an hour; the giant-sparkle tests set their own. */
static void no_giants(tt_catalyst *cat)
{
    assert_int_equal(tt_lint_set_threshold(cat, TT_LINT_GIANT_SPARKLE, 3600), 0);
}

/* The faults app started and idle (Sensor in idle). */
static void faults_start(app_ctx *c)
{
    app_start(c, module("tests/tui/apps/faults.la"));
    no_giants(c->cat);
    cu_all(c->cat);
    expect_no_lints(c->cat, "faults.la at start");
}

/* --- unknown state ------------------------------------------------------- */

static void test_unknown_state(void **state)
{
    (void)state;
    app_ctx c;
    faults_start(&c);
    post(c.cat, "Sensor", "ttsc__auth", NULL, 0);
    post(c.cat, "Sensor", "ttsc__auth", NULL, 0);
    const tt_run *r = cu_all(c.cat);
    tt_lint l = lint_of(c.cat, TT_LINT_UNKNOWN_STATE);
    assert_int_equal(l.severity, TT_LINT_ERROR);
    assert_string_equal(l.tonic, "Sensor");
    assert_string_equal(l.sparkle, "ttsc__auth");
    assert_string_equal(l.state, "authenticated");
    assert_int_equal(l.count, 2);
    assert_int_equal(l.n_seqs, 2);
    assert_int_equal(l.seqs[0], tt_run_first_seq(r));
    assert_int_equal(l.seqs[1], tt_run_first_seq(r) + 1);
    cu_expect_contains(l.message, "asked for state 'authenticated'");
    app_end(&c);
}

/* Door: a to_state to states it has. */
static void Door_ttse__on_start(tt_tonic *self) { tt_to_state(self, "closed"); }
static void Door_ttsc_closed__open(tt_tonic *self) { tt_to_state(self, "open"); }
static void Door_ttsc_open__close(tt_tonic *self) { tt_to_state(self, "closed"); }
static const tt_handler door_handlers[] = {
    TT_ON(Door, ttse__on_start),
    TT_ON(Door, ttsc_closed__open),
    TT_ON(Door, ttsc_open__close),
};
static const tt_class Door_class = {
    .name = "Door", .handlers = door_handlers, .n_handlers = TT_COUNTOF(door_handlers)};

static void test_known_states_quiet(void **state)
{
    (void)state;
    tt_catalyst *cat = cu_distiller();
    tt_tonic *door = tt_tonic_new(cat, &Door_class, "Door", NULL);
    assert_non_null(door);
    cu_all(cat);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(tt_post(door, "ttsc__open", NULL, 0), 0);
        assert_int_equal(tt_post(door, "ttsc__close", NULL, 0), 0);
    }
    cu_all(cat);
    expect_no_lints(cat, "Door");
    tt_catalyst_free(cat);
}

/* --- dead letters -------------------------------------------------------- */

static void test_dead_letter(void **state)
{
    (void)state;
    app_ctx c;
    faults_start(&c);
    assert_int_equal(tt_finish_from_base(tt_tonic_by_name(c.cat, "Consumer")), 0);
    cu_all(c.cat);
    expect_no_lints(c.cat, "Consumer finished"); /* a finish is no fault */
    tt_value v = TT_INT(1);
    post(c.cat, "Producer", "ttsc__feed", &v, 1);
    post(c.cat, "Producer", "ttsc__feed", &v, 1);
    post(c.cat, "Producer", "ttsc__feed", &v, 1);
    const tt_run *r = cu_all(c.cat);
    tt_lint l = lint_of(c.cat, TT_LINT_DEAD_LETTER);
    assert_int_equal(l.severity, TT_LINT_ERROR);
    assert_string_equal(l.tonic, "Consumer");
    assert_string_equal(l.sparkle, "ttsc__eat");
    assert_int_equal(l.count, 3);
    /* each dead letter was queued by one of the three feeds */
    for (size_t i = 0; i < 3; i++) {
        const tt_trace_entry *e = tt_trace_get(c.cat, l.seqs[i]);
        assert_non_null(e);
        assert_true(e->flags & TT_EF_DROPPED);
        assert_int_equal(tt_entry_cause(e), tt_run_first_seq(r) + i);
    }
    assert_int_equal(l.last_seq, l.seqs[2]);
    cu_expect_contains(l.message, "sent by Producer.ttsc__feed after Consumer had finished");
    app_end(&c);
}

/* A sparkle that reaches a tonic while it is finishing is ignored ("ran":
 * "ignored"): as lost as one that reaches it after, and linted alike. */
static void test_dead_letter_finishing(void **state)
{
    (void)state;
    app_ctx c;
    faults_start(&c);
    tt_value v = TT_INT(1);
    /* the finish is queued first: the feeds' letters reach a finishing tonic */
    assert_int_equal(tt_finish_from_base(tt_tonic_by_name(c.cat, "Consumer")), 0);
    post(c.cat, "Producer", "ttsc__feed", &v, 1);
    post(c.cat, "Producer", "ttsc__feed", &v, 1);
    cu_all(c.cat);
    tt_lint l = lint_of(c.cat, TT_LINT_DEAD_LETTER);
    assert_int_equal(l.severity, TT_LINT_ERROR);
    assert_string_equal(l.tonic, "Consumer");
    assert_string_equal(l.sparkle, "ttsc__eat");
    assert_int_equal(l.count, 2);
    for (size_t i = 0; i < 2; i++) {
        const tt_trace_entry *e = tt_trace_get(c.cat, l.seqs[i]);
        assert_non_null(e);
        assert_true(e->flags & TT_EF_IGNORED);
    }
    cu_expect_contains(l.message, "2 dead letters: Consumer.ttsc__eat sent by "
                                  "Producer.ttsc__feed while Consumer was finishing");
    app_end(&c);
}

/* The runtime's own sparkles to a finished parent (its teardown) are not
 * dead letters worth a lint: parent_infusions finishes its tree. */
static void test_teardown_quiet(void **state)
{
    (void)state;
    app_ctx c;
    app_start(&c, example("parent_infusions.la"));
    no_giants(c.cat);
    cu_all(c.cat);
    post(c.cat, "Parent", "ttsc__shutdown", NULL, 0);
    cu_all(c.cat);
    assert_true(tt_catalyst_finished(c.cat));
    bool dropped = false;
    for (uint64_t s = tt_trace_first_seq(c.cat); s <= tt_trace_last_seq(c.cat); s++)
        dropped |= (tt_trace_get(c.cat, s)->flags & TT_EF_DROPPED) != 0;
    assert_true(dropped); /* the teardown has system dead letters */
    expect_no_lints(c.cat, "parent_infusions finished");
    app_end(&c);
}

/* --- finish ignored ------------------------------------------------------- */

static void test_finish_ignored(void **state)
{
    (void)state;
    app_ctx c;
    faults_start(&c);
    post(c.cat, "Sensor", "ttsc__finish", NULL, 0); /* from outside: ignored */
    cu_all(c.cat);
    tt_lint l = lint_of(c.cat, TT_LINT_FINISH_IGNORED);
    assert_int_equal(l.severity, TT_LINT_WARNING);
    assert_string_equal(l.tonic, "Sensor");
    assert_int_equal(l.count, 1);
    assert_true(tt_trace_get(c.cat, l.seqs[0])->flags & TT_EF_IGNORED);
    cu_expect_contains(l.message, "from outside was ignored");
    app_end(&c);
}

/* Finished by its base, and a second finish while it finishes: no lint. */
static void test_finish_accepted_quiet(void **state)
{
    (void)state;
    app_ctx c;
    faults_start(&c);
    tt_tonic *s = tt_tonic_by_name(c.cat, "Sensor");
    assert_int_equal(tt_finish_from_base(s), 0);
    assert_int_equal(tt_finish_from_base(s), 0);
    cu_all(c.cat);
    bool ignored = false;
    for (uint64_t q = tt_trace_first_seq(c.cat); q <= tt_trace_last_seq(c.cat); q++)
        ignored |= (tt_trace_get(c.cat, q)->flags & TT_EF_IGNORED) != 0;
    assert_true(ignored); /* the second one was ignored, as it should be */
    expect_no_lints(c.cat, "Sensor finished twice by its base");
    app_end(&c);
}

/* --- no handler ------------------------------------------------------------ */

static void test_no_handler(void **state)
{
    (void)state;
    app_ctx c;
    faults_start(&c);
    post(c.cat, "Sensor", "ttsc__sample", NULL, 0);
    const tt_run *r = cu_all(c.cat);
    tt_lint l = lint_of(c.cat, TT_LINT_NO_HANDLER);
    assert_int_equal(l.severity, TT_LINT_NOTE);
    assert_string_equal(l.tonic, "Sensor");
    assert_string_equal(l.sparkle, "ttsc__sample");
    assert_string_equal(l.state, "idle");
    assert_int_equal(l.seqs[0], tt_run_first_seq(r));
    app_end(&c);
}

/* Worker: `work` only while busy, re-queued by itself; `stop` in between
 * makes the queued work find idle on purpose (the chunked pattern). */
static void Worker_ttse__on_start(tt_tonic *self) { tt_to_state(self, "idle"); }
static void Worker_ttsc_idle__start(tt_tonic *self)
{
    tt_to_state(self, "busy");
    tt_send(self, "ttsc__work");
}
static void Worker_ttsc_busy__work(tt_tonic *self) { tt_send(self, "ttsc__work"); }
static void Worker_ttsc_busy__stop(tt_tonic *self) { tt_to_state(self, "idle"); }
static const tt_handler worker_handlers[] = {
    TT_ON(Worker, ttse__on_start),
    TT_ON(Worker, ttsc_idle__start),
    TT_ON(Worker, ttsc_busy__work),
    TT_ON(Worker, ttsc_busy__stop),
};
static const tt_class Worker_class = {
    .name = "Worker", .handlers = worker_handlers, .n_handlers = TT_COUNTOF(worker_handlers)};

static void test_no_handler_after_state_change_quiet(void **state)
{
    (void)state;
    tt_catalyst *cat = cu_distiller();
    tt_tonic *w = tt_tonic_new(cat, &Worker_class, "Worker", NULL);
    assert_non_null(w);
    cu_all(cat);
    assert_int_equal(tt_post(w, "ttsc__start", NULL, 0), 0);
    cu_count(cat, 8);
    assert_int_equal(tt_post(w, "ttsc__stop", NULL, 0), 0);
    cu_all(cat);
    bool nohandler = false;
    for (uint64_t q = tt_trace_first_seq(cat); q <= tt_trace_last_seq(cat); q++) {
        const tt_trace_entry *e = tt_trace_get(cat, q);
        nohandler |= (e->flags & TT_EF_NOHANDLER) &&
                     strcmp(tt_entry_sparkle_name(cat, e), "ttsc__work") == 0;
    }
    assert_true(nohandler); /* the queued work found idle */
    expect_no_lints(cat, "Worker stopped between two works");
    tt_catalyst_free(cat);
}

/* --- giant sparkles ---------------------------------------------------------- */

static void test_giant_sparkle(void **state)
{
    (void)state;
    app_ctx c;
    faults_start(&c);
    assert_int_equal(tt_lint_set_threshold(c.cat, TT_LINT_GIANT_SPARKLE, 0.05), 0);
    tt_value v60 = TT_INT(60), v120 = TT_INT(120);
    post(c.cat, "Sensor", "ttsc__hog", &v60, 1);
    post(c.cat, "Sensor", "ttsc__hog", &v120, 1);
    const tt_run *r = cu_all(c.cat);
    tt_lint l = lint_of(c.cat, TT_LINT_GIANT_SPARKLE);
    assert_int_equal(l.severity, TT_LINT_WARNING);
    assert_string_equal(l.sparkle, "ttsc__hog");
    assert_int_equal(l.count, 2);
    assert_int_equal(l.n_seqs, 2);
    /* the longest first: the handler ran at least 120 ms of wall time, by
     * CLOCK_MONOTONIC; the entries' times are CLOCK_REALTIME, which NTP may
     * slew (at most 500 ppm) and which is read around the handler, so allow
     * a margin below 120 ms, far above the 60 ms hog and the 50 ms limit */
    assert_int_equal(l.seqs[0], tt_run_first_seq(r) + 1);
    assert_int_equal(l.seqs[1], tt_run_first_seq(r));
    assert_true(l.value >= 0.110);
    app_end(&c);
}

/* The same hog under a higher threshold is no lint. */
static void test_giant_threshold(void **state)
{
    (void)state;
    app_ctx c;
    app_start(&c, module("tests/tui/apps/faults.la"));
    assert_true(tt_lint_threshold(c.cat, TT_LINT_GIANT_SPARKLE) == 0.05);
    assert_int_equal(tt_lint_set_threshold(c.cat, TT_LINT_GIANT_SPARKLE, 3600), 0);
    assert_int_equal(tt_lint_set_threshold(c.cat, TT_LINT_DEAD_LETTER, 1), -TT_EINVAL);
    assert_int_equal(tt_lint_set_threshold(c.cat, TT_LINT_STUCK_TONIC, -1), -TT_EINVAL);
    cu_all(c.cat);
    tt_value v = TT_INT(60);
    post(c.cat, "Sensor", "ttsc__hog", &v, 1);
    cu_all(c.cat);
    expect_no_lints(c.cat, "a 60 ms hog under a limit of an hour");
    app_end(&c);
}

/* --- stuck tonics ------------------------------------------------------------- */

static void test_stuck_tonic(void **state)
{
    (void)state;
    app_ctx c;
    faults_start(&c);
    post(c.cat, "Sensor", "ttsc__poll", NULL, 0);
    const tt_run *r = cu_count(c.cat, 100); /* poll + 99 callbacks */
    expect_no_lints(c.cat, "99 callbacks");
    cu_count(c.cat, 2); /* callbacks 100 and 101 */
    tt_lint l = lint_of(c.cat, TT_LINT_STUCK_TONIC);
    assert_int_equal(l.severity, TT_LINT_WARNING);
    assert_string_equal(l.tonic, "Sensor");
    assert_null(l.sparkle);
    assert_string_equal(l.state, "idle");
    assert_true(l.value == 101);
    assert_int_equal(l.n_seqs, 2);
    assert_int_equal(l.seqs[0], tt_run_first_seq(r) + 1); /* the first callback */
    assert_int_equal(l.seqs[1], tt_trace_last_seq(c.cat));
    cu_expect_contains(l.message, "Sensor stuck in state 'idle': its timers fired 101 times");
    app_end(&c);
}

/* Light: a repeat timer that changes the state at every tick. */
static void Light_ttse__on_start(tt_tonic *self)
{
    tt_to_state(self, "red");
    tt_timer_new(self, TT_TIMER_REPEAT, 1.0, NULL, NULL);
}
static void Light_ttse_red__on_timer(tt_tonic *self, const tt_timer_info *i)
{
    (void)i;
    tt_to_state(self, "green");
}
static void Light_ttse_green__on_timer(tt_tonic *self, const tt_timer_info *i)
{
    (void)i;
    tt_to_state(self, "red");
}
static const tt_handler light_handlers[] = {
    TT_ON(Light, ttse__on_start),
    TT_ON(Light, ttse_red__on_timer, const tt_timer_info *),
    TT_ON(Light, ttse_green__on_timer, const tt_timer_info *),
};
static const tt_class Light_class = {
    .name = "Light", .handlers = light_handlers, .n_handlers = TT_COUNTOF(light_handlers)};

static void test_busy_timer_changing_state_quiet(void **state)
{
    (void)state;
    tt_catalyst *cat = cu_distiller();
    no_giants(cat);
    assert_non_null(tt_tonic_new(cat, &Light_class, "Light", NULL));
    cu_count(cat, 2000);
    expect_no_lints(cat, "Light");
    tt_catalyst_free(cat);
}

/* A trace ring drops chunks of 65536 entries: the lints, once asked for,
 * look at every entry before it goes. */
static void test_stuck_across_ring(void **state)
{
    (void)state;
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER, .trace_ring = 65536};
    tt_app *app = NULL;
    tt_catalyst *cat = NULL;
    tt_error err = {0};
    if (tt_app_start(module("tests/tui/apps/faults.la"), &o, &app, &cat, &err) < 0)
        fail_msg("%s", err.msg);
    no_giants(cat);
    cu_all(cat);
    assert_int_equal(tt_lint_update(cat), 0);
    tt_tonic *s = tt_tonic_by_name(cat, "Sensor");
    assert_int_equal(tt_post(s, "ttsc__poll", NULL, 0), 0);
    const tt_run *r = cu_count(cat, 150001);
    uint64_t first = tt_run_first_seq(r);
    assert_true(tt_trace_first_seq(cat) > first + 1); /* the start is gone */
    tt_lint l = lint_of(cat, TT_LINT_STUCK_TONIC);
    assert_true(l.value == 150000);
    assert_int_equal(l.seqs[0], first + 1);
    tt_app_end(app, cat);
}

/* --- queue growth --------------------------------------------------------------- */

static void test_queue_growth(void **state)
{
    (void)state;
    app_ctx c;
    faults_start(&c);
    tt_value v = TT_INT(1500);
    post(c.cat, "Sensor", "ttsc__flood", &v, 1);
    const tt_run *r = cu_all(c.cat);
    tt_lint l = lint_of(c.cat, TT_LINT_QUEUE_GROWTH);
    assert_int_equal(l.severity, TT_LINT_NOTE);
    assert_true(l.value == 1500);
    assert_int_equal(l.seqs[0], tt_run_first_seq(r));
    assert_null(l.tonic);
    cu_expect_contains(l.message, "the queue grew to 1500 pending orders after Sensor.ttsc__flood");
    app_end(&c);
}

static void test_queue_under_limit_quiet(void **state)
{
    (void)state;
    app_ctx c;
    faults_start(&c);
    tt_value v = TT_INT(900);
    post(c.cat, "Sensor", "ttsc__flood", &v, 1);
    cu_all(c.cat);
    expect_no_lints(c.cat, "900 queued");
    assert_int_equal(tt_lint_set_threshold(c.cat, TT_LINT_QUEUE_GROWTH, 500), 0);
    assert_int_equal(tt_lint_count(c.cat), 1); /* the mark is kept */
    app_end(&c);
}

/* --- all together: order, a trace read back ----------------------------------- */

/* Every fault once, as in the ttdb session of doc/ttdb.1.  The giant sparkle
 * is a 600 ms hog over a limit of 500 ms, so that no other sparkle passes the
 * limit under valgrind or on a loaded machine. */
static void all_faults(tt_catalyst *cat)
{
    assert_int_equal(tt_lint_set_threshold(cat, TT_LINT_GIANT_SPARKLE, 0.5), 0);
    tt_value hog = TT_INT(600), flood = TT_INT(1200), one = TT_INT(1);
    post(cat, "Sensor", "ttsc__auth", NULL, 0);
    post(cat, "Sensor", "ttsc__sample", NULL, 0);
    post(cat, "Sensor", "ttsc__hog", &hog, 1);
    post(cat, "Sensor", "ttsc__flood", &flood, 1);
    post(cat, "Sensor", "ttsc__finish", NULL, 0);
    cu_all(cat);
    assert_int_equal(tt_finish_from_base(tt_tonic_by_name(cat, "Consumer")), 0);
    cu_all(cat);
    post(cat, "Producer", "ttsc__feed", &one, 1);
    cu_all(cat);
    post(cat, "Sensor", "ttsc__poll", NULL, 0);
    cu_count(cat, 120);
}

static void test_order_most_serious_first(void **state)
{
    (void)state;
    app_ctx c;
    faults_start(&c);
    all_faults(c.cat);
    static const tt_lint_kind want[] = {
        TT_LINT_UNKNOWN_STATE, TT_LINT_DEAD_LETTER,  TT_LINT_FINISH_IGNORED,
        TT_LINT_STUCK_TONIC,   TT_LINT_GIANT_SPARKLE, TT_LINT_NO_HANDLER,
        TT_LINT_QUEUE_GROWTH};
    if (tt_lint_count(c.cat) != TT_COUNTOF(want))
        expect_no_lints(c.cat, "all faults"); /* lists them */
    for (size_t i = 0; i < TT_COUNTOF(want); i++) {
        tt_lint l;
        assert_int_equal(tt_lint_get(c.cat, i, &l), 0);
        assert_int_equal(l.kind, want[i]);
        assert_true(l.n_seqs >= 1);
        assert_true(l.message && *l.message);
    }
    tt_lint l;
    assert_int_equal(tt_lint_get(c.cat, TT_COUNTOF(want), &l), -TT_ERANGE);
    assert_string_equal(tt_lint_kind_name(TT_LINT_DEAD_LETTER), "dead-letter");
    assert_string_equal(tt_lint_severity_name(TT_LINT_NOTE), "note");
    app_end(&c);
}

/* The session written as JSON and read back gives the same lints, but queue
 * growth (a trace file does not hold the queue). */
static void test_trace_read_back(void **state)
{
    (void)state;
    app_ctx c;
    faults_start(&c);
    all_faults(c.cat);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(tt_session_write_json(c.cat, f, TT_JSON_EXTENSIONS), 0);
    fclose(f);
    tt_catalyst *back = NULL;
    tt_error err = {0};
    assert_int_equal(tt_trace_parse(buf, len, "session", &back, &err), 0);
    size_t n = tt_lint_count(c.cat);
    assert_int_equal(tt_lint_count(back), n - 1);
    for (size_t i = 0; i + 1 < n; i++) {
        tt_lint a, b;
        assert_int_equal(tt_lint_get(c.cat, i, &a), 0);
        char msg[512];
        snprintf(msg, sizeof msg, "%s", a.message);
        uint64_t seq0 = a.seqs[0], count = a.count;
        assert_int_equal(tt_lint_get(back, i, &b), 0);
        assert_int_equal(a.kind, b.kind);
        assert_int_equal(seq0, b.seqs[0]);
        assert_int_equal(count, b.count);
        if (b.kind != TT_LINT_GIANT_SPARKLE) /* the file rounds times to 1 us */
            assert_string_equal(msg, b.message);
    }
    tt_catalyst_free(back);
    free(buf);
    app_end(&c);
}

/* --- the demos ------------------------------------------------------------------- */

/* Every bundled demo and reference module, run for a while: no lint.  Giant
 * sparkles depend on the machine (a loaded one, valgrind): their limit is an
 * hour here; tests/tui/batch-lint.sh runs the demos with the default. */
static void test_demos_quiet(void **state)
{
    (void)state;
    static const char *const demos[] = {
        "traffic_light.la", "handshake.la", "chunked.la", "parent_infusions.la",
        "buggy.la", "reference/single_dut.la", "reference/state_fallback.la",
        "reference/hierarchy.la", "reference/chunked.la"};
    for (size_t i = 0; i < TT_COUNTOF(demos); i++) {
        app_ctx c;
        app_start(&c, example(demos[i]));
        no_giants(c.cat);
        tt_sparkle_args a = {.sparkle_count = 5000, .timeout = 3600};
        assert_int_equal(tt_distiller_sparkle(c.cat, &a, NULL), 0);
        expect_no_lints(c.cat, demos[i]);
        tt_sparkle_args fin = {.sparkle_count = 5000, .timeout = 60};
        assert_int_equal(tt_distiller_finish(c.cat, &fin, NULL), 0);
        expect_no_lints(c.cat, demos[i]);
        app_end(&c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_state),
        cmocka_unit_test(test_known_states_quiet),
        cmocka_unit_test(test_dead_letter),
        cmocka_unit_test(test_dead_letter_finishing),
        cmocka_unit_test(test_teardown_quiet),
        cmocka_unit_test(test_finish_ignored),
        cmocka_unit_test(test_finish_accepted_quiet),
        cmocka_unit_test(test_no_handler),
        cmocka_unit_test(test_no_handler_after_state_change_quiet),
        cmocka_unit_test(test_giant_sparkle),
        cmocka_unit_test(test_giant_threshold),
        cmocka_unit_test(test_stuck_tonic),
        cmocka_unit_test(test_busy_timer_changing_state_quiet),
        cmocka_unit_test(test_stuck_across_ring),
        cmocka_unit_test(test_queue_growth),
        cmocka_unit_test(test_queue_under_limit_quiet),
        cmocka_unit_test(test_order_most_serious_first),
        cmocka_unit_test(test_trace_read_back),
        cmocka_unit_test(test_demos_quiet),
    };
    return cmocka_run_group_tests(tests, cu_setup, NULL);
}
