/*
 * test-lifecycle.c: start-up, finishing and when the catalyst finishes.
 *
 * As in the reference: creating a tonic queues
 * `tt_main_catalyst._ttss__add_tonic_to_catalyst(id)`, `_ttss__on_start` and
 * `ttse__on_start` with source [tonic, "__init__", id].  `ttsc__finish` is
 * accepted only from the tonic itself or its base (from outside only by the
 * catalyst); the finishing cascade runs through system sparkles; while
 * finishing only the teardown sparkles run; after unregistering nothing runs
 * (the entry shows id -1).  The catalyst finishes when the last tonic it
 * runs has completed (deliberate difference 2).
 *
 * Environment: top_builddir (for the check module tests/mod-countdown.la;
 * the test that needs it is skipped without it).
 */
#include <dlfcn.h>
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

/* ======================================================================= */
/* Dev: a tonic with states that logs its life                             */
/* ======================================================================= */

static void Dev_ttse__on_start(tt_tonic *self) { tt_to_state(self, "on"); }
static void Dev_ttse_off__on_enter(tt_tonic *self) { (void)self; cu_log("enter off"); }

static void Dev_ttse__on_enter(tt_tonic *self)
{
    cu_log("%s enter %s", tt_tonic_name(self), tt_tonic_state_name(self));
}

static void Dev_ttse__on_exit(tt_tonic *self)
{
    cu_log("%s exit %s", tt_tonic_name(self), tt_tonic_state_name(self));
}

/* Declares the state `on` (every state comes from a handler name). */
static void Dev_ttsc_on__poke(tt_tonic *self) { cu_log("%s poke", tt_tonic_name(self)); }
static void Dev_ttsc__ping(tt_tonic *self) { cu_log("%s ping", tt_tonic_name(self)); }

static void Dev_ttse__on_service_base_completed(tt_tonic *self)
{
    cu_log("%s base completed", tt_tonic_name(self));
}

/* Finish itself. */
static void Dev_ttsc__stop(tt_tonic *self) { tt_finish(self); }

/* Ask to finish twice in one sparkle (the second order comes too late). */
static void Dev_ttsc__stop_twice(tt_tonic *self)
{
    tt_finish(self);
    tt_finish(self);
}

/* While finishing: queue things that must not run, one that may, and try a
 * state change (its extras are dropped). */
static void Dev_ttse__on_finished(tt_tonic *self)
{
    cu_log("%s finished", tt_tonic_name(self));
    assert_int_equal(tt_send(self, "ttsc__ping"), 0);
    assert_int_equal(tt_send(self, "ttse__on_service_base_completed"), 0);
    tt_to_state(self, "off");
}

/* Create an infusion (a Dev named `name`). */
static void Dev_ttsc__spawn(tt_tonic *self, const char *name);

/* Queue ttsc__finish to another tonic, from this one. */
static void Dev_ttsc__finish_other(tt_tonic *self, tt_tonic *other)
{
    (void)self;
    assert_int_equal(tt_send(other, "ttsc__finish"), 0);
}

static const tt_handler dev_handlers[] = {
    TT_ON(Dev, ttse__on_start),
    TT_ON(Dev, ttse_off__on_enter),
    TT_ON(Dev, ttse__on_enter),
    TT_ON(Dev, ttse__on_exit),
    TT_ON(Dev, ttsc_on__poke),
    TT_ON(Dev, ttsc__ping),
    TT_ON(Dev, ttse__on_service_base_completed),
    TT_ON(Dev, ttsc__stop),
    TT_ON(Dev, ttsc__stop_twice),
    TT_ON(Dev, ttse__on_finished),
    TT_ON(Dev, ttsc__spawn, const char *),
    TT_ON(Dev, ttsc__finish_other, tt_tonic *),
};

static const tt_class Dev_class = {
    .name = "Dev",
    .handlers = dev_handlers,
    .n_handlers = TT_COUNTOF(dev_handlers),
};

static void Dev_ttsc__spawn(tt_tonic *self, const char *name)
{
    assert_non_null(tt_tonic_new(tt_tonic_catalyst(self), &Dev_class, name, NULL));
}

/* ======================================================================= */
/* Parent and Kid: the hierarchy teardown of golden d, without states      */
/* ======================================================================= */

static void Kid_ttsc__work(tt_tonic *self, int64_t x)
{
    cu_log("kid work %ld", (long)x);
    assert_int_equal(tt_send(tt_tonic_base(self), "ttse__on_child_done", TT_INT(x * 2)), 0);
}

static void Kid_ttse__on_finished(tt_tonic *self) { (void)self; cu_log("kid finished"); }

static const tt_handler kid_handlers[] = {
    TT_ON(Kid, ttsc__work, int64_t),
    TT_ON(Kid, ttse__on_finished),
};

static const tt_class Kid_class = {
    .name = "Kid",
    .handlers = kid_handlers,
    .n_handlers = TT_COUNTOF(kid_handlers),
};

static void Parent_ttsc__adopt(tt_tonic *self)
{
    assert_non_null(tt_tonic_new(tt_tonic_catalyst(self), &Kid_class, "Kid", NULL));
}

static void Parent_ttsc__stop(tt_tonic *self) { tt_finish(self); }

static void Parent_ttse__on_finished(tt_tonic *self)
{
    cu_log("parent finished");
    assert_int_equal(tt_send(tt_tonic_infusion(self, 0), "ttsc__work", TT_INT(1)), 0);
}

static void Parent_ttse__on_child_done(tt_tonic *self, int64_t r)
{
    (void)self;
    cu_log("child done %ld", (long)r);
}

static const tt_handler parent_handlers[] = {
    TT_ON(Parent, ttsc__adopt),
    TT_ON(Parent, ttsc__stop),
    TT_ON(Parent, ttse__on_finished),
    TT_ON(Parent, ttse__on_child_done, int64_t),
};

static const tt_class Parent_class = {
    .name = "Parent",
    .handlers = parent_handlers,
    .n_handlers = TT_COUNTOF(parent_handlers),
};

/* ======================================================================= */
/* Helpers                                                                 */
/* ======================================================================= */

/* Assert the pending order i: "Tonic.sparkle" and its source. */
static void expect_order(tt_catalyst *cat, size_t i, const char *what, const char *src,
                         const char *src_sparkle, int src_id)
{
    tt_order_view v;
    char buf[256];

    assert_int_equal(tt_queue_at(cat, i, &v), 0);
    snprintf(buf, sizeof buf, "%s.%s", tt_tonic_name(v.tonic), v.sparkle);
    assert_string_equal(buf, what);
    if (src)
        assert_string_equal(v.src_tonic ? v.src_tonic : "(null)", src);
    else
        assert_null(v.src_tonic);
    assert_string_equal(v.src_sparkle, src_sparkle);
    assert_int_equal(v.src_id, src_id);
}

/* The catalyst's tonics_sparkling probe as "1,2". */
static void expect_sparkling(tt_catalyst *cat, const char *expected)
{
    tt_value v;
    char buf[128] = "";
    size_t n = 0;

    assert_int_equal(tt_tonic_probe_read(tt_catalyst_tonic(cat), "tonics_sparkling", &v), 0);
    assert_int_equal(v.type, TT_T_LIST);
    for (size_t i = 0; i < v.u.list->n; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%ld", i ? "," : "",
                              (long)v.u.list->items[i].u.i);
    tt_value_clear(&v);
    assert_string_equal(buf, expected);
}

/* The catalyst's tonics_sparkling probe is ids[0..n). */
static void expect_sparkling_ids(tt_catalyst *cat, const int *ids, size_t n)
{
    tt_value v;

    assert_int_equal(tt_tonic_probe_read(tt_catalyst_tonic(cat), "tonics_sparkling", &v), 0);
    assert_int_equal(v.type, TT_T_LIST);
    assert_int_equal(v.u.list->n, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(v.u.list->items[i].u.i, ids[i]);
    tt_value_clear(&v);
}

/* ======================================================================= */
/* Start-up                                                                */
/* ======================================================================= */

/* The catalyst's own start-up orders, then those of each new tonic. */
static void test_startup_orders(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *a;
    tt_order_view v;
    const tt_run *run;

    (void)state;
    assert_int_equal(tt_queue_length(cat), 2);
    expect_order(cat, 0, "tt_main_catalyst._ttss__on_start", "tt_main_catalyst", "__init__", 0);
    expect_order(cat, 1, "tt_main_catalyst.ttse__on_start", "tt_main_catalyst", "__init__", 0);

    a = tt_tonic_new(cat, &Dev_class, "A", NULL);
    assert_non_null(a);
    assert_int_equal(tt_tonic_id(a), 1);
    assert_int_equal(tt_queue_length(cat), 5);
    expect_order(cat, 2, "tt_main_catalyst._ttss__add_tonic_to_catalyst", "A", "__init__", 1);
    assert_int_equal(tt_queue_at(cat, 2, &v), 0);
    assert_int_equal(v.nargs, 1);
    assert_int_equal(v.args[0].u.i, 1);
    expect_order(cat, 3, "A._ttss__on_start", "A", "__init__", 1);
    expect_order(cat, 4, "A.ttse__on_start", "A", "__init__", 1);
    assert_int_equal(tt_queue_at(cat, 5, &v), -TT_ERANGE);

    run = cu_all(cat);
    cu_expect_trace(cat, run,
                    "tt_main_catalyst._ttss__on_start, tt_main_catalyst.ttse__on_start, "
                    "tt_main_catalyst._ttss__add_tonic_to_catalyst, A._ttss__on_start, "
                    "A.ttse__on_start, A._ttinternal_state_change_to, A.ttse__on_enter");
    cu_expect_source(cat, cu_entry(cat, run, 4), "A", "__init__", 1);
    cu_expect_source(cat, cu_entry(cat, run, 6), "A", "__init__", 1); /* extra */
    cu_expect_log("A enter on;");
    expect_sparkling(cat, "1");
    tt_catalyst_free(cat);
}

static const tt_class Plain_class = {.name = "Plain"};

/* Many tonics finishing at once, in any order: tonics_sparkling keeps the
 * others in the order they were added, and new tonics (reusing the freed
 * ids) go to its end. */
static void test_sparkling_order_many(void **state)
{
    enum { N = 300, NEW = 50 };
    tt_catalyst *cat = cu_distiller();
    tt_tonic *t[N];
    int model[N + NEW];
    size_t n = 0;

    (void)state;
    for (size_t i = 0; i < N; i++) {
        t[i] = tt_tonic_new(cat, &Plain_class, NULL, NULL);
        assert_non_null(t[i]);
        model[n++] = tt_tonic_id(t[i]);
    }
    cu_all(cat);
    expect_sparkling_ids(cat, model, n);
    for (size_t k = 0; k < N; k++) {
        size_t i = k * 7 % N; /* scrambled: 7 and 300 are coprime */
        if (i % 3 == 0)
            continue;
        int id = tt_tonic_id(t[i]);
        size_t j = 0;
        while (model[j] != id)
            j++;
        memmove(&model[j], &model[j + 1], (n - j - 1) * sizeof *model);
        n--;
        assert_int_equal(tt_finish_from_base(t[i]), 0);
    }
    cu_all(cat);
    expect_sparkling_ids(cat, model, n);
    for (size_t k = 0; k < NEW; k++) {
        tt_tonic *a = tt_tonic_new(cat, &Plain_class, NULL, NULL);
        assert_non_null(a);
        model[n++] = tt_tonic_id(a);
    }
    cu_all(cat);
    expect_sparkling_ids(cat, model, n);
    tt_catalyst_free(cat);
}

/* A tonic created in a sparkle: base is the running tonic, the start-up
 * orders have the new tonic's __init__ as source. */
static void test_created_in_sparkle(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *a = tt_tonic_new(cat, &Dev_class, "A", NULL), *kid;
    const tt_run *run;
    long i;

    (void)state;
    cu_all(cat);
    assert_int_equal(tt_send(a, "ttsc__spawn", TT_STR("Kid")), 0);
    run = cu_all(cat);
    kid = tt_tonic_by_name(cat, "Kid");
    assert_non_null(kid);
    assert_ptr_equal(tt_tonic_base(kid), a);
    assert_int_equal(tt_tonic_infusion_count(a), 1);
    assert_ptr_equal(tt_tonic_infusion(a, 0), kid);
    i = cu_find(cat, run, "tt_main_catalyst._ttss__add_tonic_to_catalyst", 0);
    assert_int_equal(i, 1);
    cu_expect_source(cat, cu_entry(cat, run, 1), "Kid", "__init__", 2);
    cu_expect_source(cat, cu_entry(cat, run, 2), "Kid", "__init__", 2);
    cu_expect_source(cat, cu_entry(cat, run, 3), "Kid", "__init__", 2);
    cu_expect_trace(cat, run,
                    "A.ttsc__spawn, tt_main_catalyst._ttss__add_tonic_to_catalyst, "
                    "Kid._ttss__on_start, Kid.ttse__on_start, Kid._ttinternal_state_change_to, "
                    "Kid.ttse__on_enter");
    expect_sparkling(cat, "1,2");
    tt_catalyst_free(cat);
}

/* The check module mod-countdown, loaded (skips without top_builddir). */
static tt_app *load_countdown(void)
{
    const char *top = getenv("top_builddir");
    char path[4096];
    tt_error err = {0};
    tt_app *app = NULL;

    if (!top) {
        printf("# top_builddir is not set: no check module to load\n");
        skip();
    }
    snprintf(path, sizeof path, "%s/tests/mod-countdown.la", top);
    if (tt_app_load(path, &app, &err) != 0)
        fail_msg("tt_app_load: %s", err.msg);
    return app;
}

/* Orders the formula itself queues have source [tt_main_catalyst,
 * "__formula__", 0]. */
static void test_formula_source(void **state)
{
    tt_app *app = load_countdown();
    tt_catalyst *cat;

    (void)state;
    cat = cu_distiller();
    assert_int_equal(tt_app_formula(app, cat), 0);
    assert_int_equal(tt_queue_length(cat), 6);
    expect_order(cat, 2, "tt_main_catalyst._ttss__add_tonic_to_catalyst", "Countdown",
                 "__init__", 1);
    expect_order(cat, 4, "Countdown.ttse__on_start", "Countdown", "__init__", 1);
    expect_order(cat, 5, "Countdown.ttsc__go", "tt_main_catalyst", "__formula__", 0);
    /* a top-level tonic of the formula is an infusion of the catalyst */
    assert_ptr_equal(tt_tonic_base(tt_tonic_by_name(cat, "Countdown")), tt_catalyst_tonic(cat));
    /* the app finishes itself: three ticks of virtual time */
    assert_string_equal(tt_run_status(cu_all(cat)), "catalyst finished");
    tt_catalyst_free(cat);
    tt_app_close(app);
}

/* A module whose class a catalyst compiled stays loaded until the catalyst
 * is freed, even once its app is closed: the catalyst keeps pointers into
 * it (the class and its handlers, and tt_post's name cache trusts the
 * module's literals by their address: another module loaded at the same
 * address would make a cached name post another sparkle). */
static void test_module_kept_while_catalyst_lives(void **state)
{
    tt_app *app = load_countdown();
    char so[4096];

    (void)state;
    snprintf(so, sizeof so, "%s", tt_app_path(app));
    tt_catalyst *cat = cu_distiller();
    assert_int_equal(tt_app_formula(app, cat), 0);
    tt_app_close(app);
    void *h = dlopen(so, RTLD_LAZY | RTLD_NOLOAD);
    assert_non_null(h); /* still loaded: the catalyst uses it */
    dlclose(h);
    assert_string_equal(tt_run_status(cu_all(cat)), "catalyst finished");
    tt_catalyst_free(cat);
    h = dlopen(so, RTLD_LAZY | RTLD_NOLOAD);
    if (h)
        dlclose(h);
    assert_null(h); /* and unloaded with the catalyst */
}

/* ======================================================================= */
/* The acceptance rule of ttsc__finish                                     */
/* ======================================================================= */

/* From outside, only the catalyst accepts ttsc__finish. */
static void test_finish_from_outside_ignored(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *a = tt_tonic_new(cat, &Dev_class, "A", NULL);
    const tt_run *run;

    (void)state;
    cu_all(cat);
    cu_log_reset();
    assert_int_equal(tt_send(a, "ttsc__finish"), 0);
    assert_int_equal(tt_post_from(a, "ttsc__finish", NULL, 0, "ttdb"), 0);
    run = cu_all(cat);
    cu_expect_trace(cat, run, "A.ttsc__finish, A.ttsc__finish");
    assert_true(cu_entry(cat, run, 0)->flags & TT_EF_IGNORED);
    assert_true(cu_entry(cat, run, 1)->flags & TT_EF_IGNORED);
    cu_expect_source(cat, cu_entry(cat, run, 1), NULL, "ttdb", -1);
    assert_false(tt_tonic_finishing(a));
    assert_int_equal(tt_tonic_id(a), 1);
    assert_string_equal(tt_tonic_state_name(a), "on");
    assert_false(tt_catalyst_finished(cat));
    cu_expect_log("");
    tt_catalyst_free(cat);
}

/* From the base: accepted; from a sibling: ignored; as the base would
 * (tt_finish_from_base): accepted. */
static void test_finish_from_base_only(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *a = tt_tonic_new(cat, &Dev_class, "A", NULL), *k1, *k2, *k3;
    const tt_run *run;

    (void)state;
    assert_int_equal(tt_send(a, "ttsc__spawn", TT_STR("K1")), 0);
    assert_int_equal(tt_send(a, "ttsc__spawn", TT_STR("K2")), 0);
    assert_int_equal(tt_send(a, "ttsc__spawn", TT_STR("K3")), 0);
    cu_all(cat);
    k1 = tt_tonic_by_name(cat, "K1");
    k2 = tt_tonic_by_name(cat, "K2");
    k3 = tt_tonic_by_name(cat, "K3");
    cu_log_reset();

    /* a sibling asks K2 to finish: refused */
    assert_int_equal(tt_send(k1, "ttsc__finish_other", TT_TONIC(k2)), 0);
    run = cu_all(cat);
    cu_expect_trace(cat, run, "K1.ttsc__finish_other, K2.ttsc__finish");
    assert_true(cu_entry(cat, run, 1)->flags & TT_EF_IGNORED);
    assert_false(tt_tonic_finishing(k2));

    /* the base asks K2 to finish: accepted, K2 completes, A is unaffected */
    assert_int_equal(tt_send(a, "ttsc__finish_other", TT_TONIC(k2)), 0);
    run = cu_all(cat);
    assert_false(cu_entry(cat, run, 1)->flags & TT_EF_IGNORED);
    cu_expect_source(cat, cu_entry(cat, run, 1), "A", "ttsc__finish_other", 1);
    assert_int_equal(tt_tonic_id(k2), -1);
    assert_true(cu_find(cat, run, "A._ttss__on_infusion_completed", 0) > 0);
    assert_int_equal(tt_tonic_infusion_count(a), 2);
    assert_false(tt_tonic_finishing(a));
    cu_expect_contains(cu_log_text(), "K2 exit on;K2 finished;");

    /* tt_finish_from_base: source [A, "finish", 1], accepted */
    assert_int_equal(tt_finish_from_base(k3), 0);
    run = cu_all(cat);
    cu_expect_source(cat, cu_entry(cat, run, 0), "A", "finish", 1);
    assert_false(cu_entry(cat, run, 0)->flags & TT_EF_IGNORED);
    assert_int_equal(tt_tonic_id(k3), -1);
    assert_int_equal(tt_tonic_id(k1), 2);
    assert_false(tt_catalyst_finished(cat));
    tt_catalyst_free(cat);
}

/* ======================================================================= */
/* Finishing order and what runs while finishing                           */
/* ======================================================================= */

/* One top-level tonic finishes itself: the whole cascade, in order. */
static void test_finishing_order(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *a = tt_tonic_new(cat, &Dev_class, "A", NULL);
    const tt_run *run;
    uint64_t n;

    (void)state;
    cu_all(cat);
    cu_log_reset();
    assert_int_equal(tt_send(a, "ttsc__stop"), 0);
    run = cu_all(cat);
    cu_expect_trace(cat, run,
                    "A.ttsc__stop, A.ttsc__finish, A.ttse__on_exit, "
                    "A._ttinternal_state_machine_stop, "
                    "tt_main_catalyst._ttss__on_infusion_completed, A.ttse__on_finished, "
                    "A._ttinternal_state_change_to, A.ttse__on_enter, A._ttss__on_finished, "
                    "A.ttsc__ping, A.ttse__on_service_base_completed, A._ttss__on_completion, "
                    "tt_main_catalyst._ttss__remove_tonic_from_catalyst, "
                    "tt_main_catalyst.ttsc__finish, tt_main_catalyst.ttse__on_finished, "
                    "tt_main_catalyst._ttss__on_finished, tt_main_catalyst._ttss__on_completion");
    /* only the teardown ran: the ping, the state change and on_enter did not */
    cu_expect_log("A exit on;A finished;A base completed;");
    assert_true(cu_entry(cat, run, 6)->flags & TT_EF_IGNORED);  /* change_to */
    assert_true(cu_entry(cat, run, 7)->flags & TT_EF_IGNORED);  /* on_enter */
    assert_true(cu_entry(cat, run, 9)->flags & TT_EF_IGNORED);  /* ping */
    assert_false(cu_entry(cat, run, 10)->flags & TT_EF_IGNORED);
    assert_false(cu_entry(cat, run, 2)->flags & TT_EF_IGNORED); /* on_exit */
    assert_string_equal(tt_entry_state_exit(cat, cu_entry(cat, run, 3)), "--");

    cu_expect_source(cat, cu_entry(cat, run, 1), "A", "ttsc__stop", 1);
    cu_expect_source(cat, cu_entry(cat, run, 4), "A", "ttsc__finish", 1);
    cu_expect_source(cat, cu_entry(cat, run, 13), "tt_main_catalyst",
                     "_ttss__remove_tonic_from_catalyst", 0);
    assert_int_equal(cu_entry(cat, run, 11)->id, 1); /* id when it started */
    assert_int_equal(cu_entry(cat, run, 12)->args[0].u.i, 1);

    n = tt_run_entry_count(run);
    assert_true(cu_entry(cat, run, n - 2)->flags & TT_EF_SPARKLING);
    assert_false(cu_entry(cat, run, n - 1)->flags & TT_EF_SPARKLING);
    assert_string_equal(tt_run_status(run), "catalyst finished");
    cu_expect_stops(run, 1, "catalyst finished");
    assert_true(tt_catalyst_finished(cat));
    assert_int_equal(tt_tonic_id(a), -1);
    assert_true(tt_tonic_finishing(a));
    assert_string_equal(tt_tonic_state_name(a), "--");
    tt_catalyst_free(cat);
}

/* A second ttsc__finish arrives while finishing: dropped. */
static void test_finish_twice(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *a = tt_tonic_new(cat, &Dev_class, "A", NULL);
    const tt_run *run;

    (void)state;
    cu_all(cat);
    assert_int_equal(tt_send(a, "ttsc__stop_twice"), 0);
    run = cu_count(cat, 1);
    cu_expect_trace(cat, run, "A.ttsc__stop_twice");
    run = cu_count(cat, 4); /* the first finish and its two extras count */
    cu_expect_trace(cat, run,
                    "A.ttsc__finish, A.ttse__on_exit, A._ttinternal_state_machine_stop, "
                    "A.ttsc__finish");
    assert_false(cu_entry(cat, run, 0)->flags & TT_EF_IGNORED);
    assert_true(cu_entry(cat, run, 3)->flags & TT_EF_IGNORED);
    /* tt_finish on a finishing tonic queues nothing */
    assert_int_equal(tt_finish(a), 0);
    run = cu_all(cat);
    assert_int_equal(cu_find(cat, run, "A.ttsc__finish", 0), -1);
    assert_true(tt_catalyst_finished(cat));
    tt_catalyst_free(cat);
}

/* Orders that reach a tonic after it unregistered run nothing (id -1). */
static void test_dropped_after_unregister(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *p = tt_tonic_new(cat, &Parent_class, "Parent", NULL);
    const tt_run *run;
    long i;

    (void)state;
    assert_int_equal(tt_send(p, "ttsc__adopt"), 0);
    cu_all(cat);
    assert_int_equal(tt_tonic_id(tt_tonic_by_name(cat, "Kid")), 2);
    cu_log_reset();
    assert_int_equal(tt_send(p, "ttsc__stop"), 0);
    run = cu_all(cat);
    cu_expect_trace(cat, run,
                    "Parent.ttsc__stop, Parent.ttsc__finish, "
                    "tt_main_catalyst._ttss__on_infusion_completed, Parent.ttse__on_finished, "
                    "Parent._ttss__on_finished, Kid.ttsc__work, Kid.ttsc__finish, "
                    "Parent._ttss__on_completion, Parent.ttse__on_child_done, "
                    "Parent._ttss__on_infusion_completed, Kid.ttse__on_finished, "
                    "Kid._ttss__on_finished, tt_main_catalyst._ttss__remove_tonic_from_catalyst, "
                    "Kid._ttss__on_completion, "
                    "tt_main_catalyst._ttss__remove_tonic_from_catalyst, "
                    "tt_main_catalyst.ttsc__finish, tt_main_catalyst.ttse__on_finished, "
                    "tt_main_catalyst._ttss__on_finished, tt_main_catalyst._ttss__on_completion");
    /* the kid's work still ran (it was not finishing yet); the parent's
     * on_child_done came after it unregistered: not run, id -1: a dead letter */
    cu_expect_log("parent finished;kid work 1;kid finished;");
    cu_expect_source(cat, cu_entry(cat, run, 6), "Parent", "finish", 1);
    i = cu_find(cat, run, "Parent.ttse__on_child_done", 0);
    assert_int_equal(cu_entry(cat, run, (uint64_t)i)->id, -1);
    assert_true(cu_entry(cat, run, (uint64_t)i)->flags & TT_EF_DROPPED);
    assert_int_equal(cu_entry(cat, run, (uint64_t)i + 1)->id, -1);
    assert_int_equal(cu_entry(cat, run, 7)->id, 1);
    assert_true(tt_catalyst_finished(cat));
    tt_catalyst_free(cat);
}

/* ======================================================================= */
/* When the catalyst finishes                                              */
/* ======================================================================= */

/* Finishing one top-level tonic does not finish the others (difference 2);
 * the catalyst finishes after the last one completed. */
static void test_catalyst_waits_for_last(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *a = tt_tonic_new(cat, &Dev_class, "A", NULL);
    tt_tonic *b = tt_tonic_new(cat, &Dev_class, "B", NULL);
    const tt_run *run;

    (void)state;
    cu_all(cat);
    expect_sparkling(cat, "1,2");
    assert_int_equal(tt_send(a, "ttsc__stop"), 0);
    run = cu_all(cat);
    assert_string_equal(tt_run_status(run), "running");
    cu_expect_stops(run, 1, "idle");
    assert_int_equal(tt_tonic_id(a), -1);
    assert_false(tt_tonic_finishing(b));
    assert_false(tt_catalyst_finished(cat));
    expect_sparkling(cat, "2");
    cu_log_reset();

    assert_int_equal(tt_send(b, "ttsc__ping"), 0);
    cu_all(cat);
    cu_expect_log("B ping;");

    assert_int_equal(tt_send(b, "ttsc__stop"), 0);
    run = cu_all(cat);
    assert_string_equal(tt_run_status(run), "catalyst finished");
    expect_sparkling(cat, "");
    tt_catalyst_free(cat);
}

/* The catalyst accepts ttsc__finish from outside and finishes its
 * infusions as their base; it completes before their ttse__on_finished. */
static void test_catalyst_finish_from_outside(void **state)
{
    tt_catalyst *cat = cu_distiller();
    const tt_run *run;

    (void)state;
    assert_non_null(tt_tonic_new(cat, &Dev_class, "A", NULL));
    cu_all(cat);
    cu_log_reset();
    assert_int_equal(tt_send(tt_catalyst_tonic(cat), "ttsc__finish"), 0);
    run = cu_all(cat);
    cu_expect_trace(cat, run,
                    "tt_main_catalyst.ttsc__finish, tt_main_catalyst.ttse__on_finished, "
                    "tt_main_catalyst._ttss__on_finished, A.ttsc__finish, A.ttse__on_exit, "
                    "A._ttinternal_state_machine_stop, tt_main_catalyst._ttss__on_completion");
    cu_expect_source(cat, cu_entry(cat, run, 3), "tt_main_catalyst", "finish", 0);
    assert_false(cu_entry(cat, run, 3)->flags & TT_EF_IGNORED);
    cu_expect_log("A exit on;"); /* A's ttse__on_finished never runs */
    assert_string_equal(tt_run_status(run), "catalyst finished");
    assert_true(tt_catalyst_finished(cat));
    tt_catalyst_free(cat);
}

/* tt_distiller_finish: ttsc__finish from outside to every tonic; only the
 * catalyst accepts it. */
static void test_distiller_finish(void **state)
{
    tt_catalyst *cat = cu_distiller();
    const tt_run *run;

    (void)state;
    assert_non_null(tt_tonic_new(cat, &Dev_class, "A", NULL));
    cu_all(cat);
    assert_int_equal(tt_distiller_finish(cat, NULL, &run), 0);
    cu_expect_trace(cat, run,
                    "tt_main_catalyst.ttsc__finish, A.ttsc__finish, "
                    "tt_main_catalyst.ttse__on_finished, tt_main_catalyst._ttss__on_finished, "
                    "A.ttsc__finish, A.ttse__on_exit, A._ttinternal_state_machine_stop, "
                    "tt_main_catalyst._ttss__on_completion");
    assert_true(cu_entry(cat, run, 1)->flags & TT_EF_IGNORED);
    cu_expect_source(cat, cu_entry(cat, run, 1), NULL, "", -1);
    assert_false(cu_entry(cat, run, 4)->flags & TT_EF_IGNORED);

    /* afterwards: no trace, status "catalyst finished" */
    assert_int_equal(tt_distiller_finish(cat, NULL, &run), 0);
    assert_false(tt_run_has_trace(run));
    assert_int_equal(tt_run_entry_count(run), 0);
    cu_expect_stops(run, 1, "catalyst finished");
    run = cu_all(cat);
    assert_false(tt_run_has_trace(run));
    assert_string_equal(tt_run_status(run), "catalyst finished");
    tt_catalyst_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_startup_orders, cu_setup),
        cmocka_unit_test_setup(test_created_in_sparkle, cu_setup),
        cmocka_unit_test_setup(test_formula_source, cu_setup),
        cmocka_unit_test_setup(test_finish_from_outside_ignored, cu_setup),
        cmocka_unit_test_setup(test_finish_from_base_only, cu_setup),
        cmocka_unit_test_setup(test_finishing_order, cu_setup),
        cmocka_unit_test_setup(test_sparkling_order_many, cu_setup),
        cmocka_unit_test_setup(test_finish_twice, cu_setup),
        cmocka_unit_test_setup(test_dropped_after_unregister, cu_setup),
        cmocka_unit_test_setup(test_catalyst_waits_for_last, cu_setup),
        cmocka_unit_test_setup(test_catalyst_finish_from_outside, cu_setup),
        cmocka_unit_test_setup(test_distiller_finish, cu_setup),
        cmocka_unit_test_setup(test_module_kept_while_catalyst_lives, cu_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
