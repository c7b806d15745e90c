/*
 * test-compat.c: tt_catalyst_set_compat switches the two deliberate
 * differences from Python (doc/differences.md) to the Python semantics.
 *
 * 1. A state-aware sparkle in no state: natively the generic handler (or
 *    nothing); in Python mode the handler of the alphabetically last state
 *    (golden state_fallback, step 2).
 * 2. The catalyst finishes: natively when the last tonic has completed; in
 *    Python mode as soon as every tonic left is one of its infusions, so
 *    finishing one top-level tonic tears down the others (the expected
 *    orders below follow ttCatalyst._ttss__remove_tonic_from_catalyst).
 *
 * The golden scenarios run in both modes in test-golden.
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

/* Door: states closed, locked, open; knock only where it is open or
 * closed, bell only in closed plus a generic. */
static void Door_ttsc_open__knock(tt_tonic *self) { (void)self; cu_log("knock: open"); }
static void Door_ttsc_closed__knock(tt_tonic *self) { (void)self; cu_log("knock: closed"); }
static void Door_ttsc_locked__bell(tt_tonic *self) { (void)self; cu_log("bell: locked"); }
static void Door_ttsc__bell(tt_tonic *self) { (void)self; cu_log("bell: generic"); }
static void Door_ttsc_closed__lock(tt_tonic *self) { tt_to_state(self, "locked"); }
static void Door_ttsc__quit(tt_tonic *self) { tt_finish(self); }

static const tt_handler door_handlers[] = {
    TT_ON(Door, ttsc_open__knock), TT_ON(Door, ttsc_closed__knock),
    TT_ON(Door, ttsc_locked__bell), TT_ON(Door, ttsc__bell),
    TT_ON(Door, ttsc_closed__lock), TT_ON(Door, ttsc__quit),
};

static const tt_class Door_class = {
    .name = "Door",
    .handlers = door_handlers,
    .n_handlers = TT_COUNTOF(door_handlers),
};

/* A Distiller in the given mode with two started top-level Doors. */
static tt_catalyst *setup(tt_compat mode, tt_tonic **a, tt_tonic **b)
{
    tt_catalyst *cat = cu_distiller();

    assert_int_equal(tt_catalyst_set_compat(cat, mode), 0);
    assert_int_equal(tt_catalyst_compat(cat), mode);
    *a = tt_tonic_new(cat, &Door_class, "A", NULL);
    *b = tt_tonic_new(cat, &Door_class, "B", NULL);
    cu_all(cat);
    cu_log_reset();
    return cat;
}

/* Difference 1, natively: generic or nothing. */
static void test_no_state_native(void **state)
{
    tt_tonic *a, *b;
    tt_catalyst *cat = setup(TT_COMPAT_NATIVE, &a, &b);

    (void)state;
    assert_int_equal(tt_send(a, "ttsc__knock"), 0);
    assert_int_equal(tt_send(a, "ttsc__bell"), 0);
    const tt_run *run = cu_all(cat);
    cu_expect_log("bell: generic;");
    assert_true(cu_entry(cat, run, 0)->flags & TT_EF_NOHANDLER);
    tt_catalyst_free(cat);
}

/* Difference 1, Python: the last state's handler (open for knock: it has
 * one; open for bell: none, so the generic one). */
static void test_no_state_python(void **state)
{
    tt_tonic *a, *b;
    tt_catalyst *cat = setup(TT_COMPAT_PYTHON, &a, &b);

    (void)state;
    assert_string_equal(tt_tonic_state_at(a, 2), "open");
    assert_int_equal(tt_send(a, "ttsc__knock"), 0);
    assert_int_equal(tt_send(a, "ttsc__bell"), 0);
    assert_int_equal(tt_send(a, "ttsc__lock"), 0); /* closed only, no generic */
    const tt_run *run = cu_all(cat);
    cu_expect_log("knock: open;bell: generic;");
    assert_false(cu_entry(cat, run, 0)->flags & TT_EF_NOHANDLER);
    assert_true(cu_entry(cat, run, 2)->flags & TT_EF_NOHANDLER);
    assert_string_equal(tt_tonic_state_name(a), "--");
    tt_catalyst_free(cat);
}

/* Difference 2, natively: B keeps running after A finished. */
static void test_finish_one_native(void **state)
{
    tt_tonic *a, *b;
    tt_catalyst *cat = setup(TT_COMPAT_NATIVE, &a, &b);

    (void)state;
    assert_int_equal(tt_send(a, "ttsc__quit"), 0);
    const tt_run *run = cu_all(cat);
    cu_expect_trace(cat, run,
                    "A.ttsc__quit, A.ttsc__finish, tt_main_catalyst._ttss__on_infusion_completed, "
                    "A.ttse__on_finished, A._ttss__on_finished, A._ttss__on_completion, "
                    "tt_main_catalyst._ttss__remove_tonic_from_catalyst");
    cu_expect_stops(run, 1, "idle");
    assert_false(tt_catalyst_finished(cat));
    assert_int_equal(tt_tonic_id(b), 2);
    tt_catalyst_free(cat);
}

/* Difference 2, Python: the catalyst finishes and tears B down. */
static void test_finish_one_python(void **state)
{
    tt_tonic *a, *b;
    tt_catalyst *cat = setup(TT_COMPAT_PYTHON, &a, &b);

    (void)state;
    assert_int_equal(tt_send(a, "ttsc__quit"), 0);
    const tt_run *run = cu_all(cat);
    cu_expect_trace(cat, run,
                    "A.ttsc__quit, A.ttsc__finish, tt_main_catalyst._ttss__on_infusion_completed, "
                    "A.ttse__on_finished, A._ttss__on_finished, A._ttss__on_completion, "
                    "tt_main_catalyst._ttss__remove_tonic_from_catalyst, "
                    "tt_main_catalyst.ttsc__finish, tt_main_catalyst.ttse__on_finished, "
                    "tt_main_catalyst._ttss__on_finished, B.ttsc__finish, "
                    "tt_main_catalyst._ttss__on_completion");
    cu_expect_source(cat, cu_entry(cat, run, 7), "tt_main_catalyst",
                     "_ttss__remove_tonic_from_catalyst", 0);
    cu_expect_source(cat, cu_entry(cat, run, 10), "tt_main_catalyst", "finish", 0);
    assert_string_equal(tt_run_status(run), "catalyst finished");
    assert_true(tt_catalyst_finished(cat));
    assert_true(tt_tonic_finishing(b));
    tt_catalyst_free(cat);
}

/* Difference 2, Python, with three top-level tonics: finishing the first
 * leaves an empty slot in the catalyst's infusions (they are compacted only
 * once half are empty); the check that every tonic left is an infusion
 * finds B and C by their ledger slot (it read the empty one before). */
static void test_finish_first_of_three_python(void **state)
{
    tt_tonic *a, *b;
    tt_catalyst *cat = setup(TT_COMPAT_PYTHON, &a, &b);
    tt_tonic *c = tt_tonic_new(cat, &Door_class, "C", NULL);

    (void)state;
    assert_non_null(c);
    cu_all(cat);
    assert_int_equal(tt_send(a, "ttsc__quit"), 0);
    const tt_run *run = cu_all(cat);
    assert_string_equal(tt_run_status(run), "catalyst finished");
    assert_true(tt_catalyst_finished(cat));
    assert_true(tt_tonic_finishing(b));
    assert_true(tt_tonic_finishing(c));
    tt_catalyst_free(cat);
}

/* The mode is chosen before the first sparkle; the options work too. */
static void test_set_compat_rules(void **state)
{
    tt_tonic *a, *b;
    tt_catalyst *cat = setup(TT_COMPAT_NATIVE, &a, &b);

    (void)state;
    assert_int_equal(tt_catalyst_set_compat(cat, TT_COMPAT_PYTHON), -TT_EBUSY);
    cu_expect_contains(tt_catalyst_errmsg(cat), "before the first sparkle");
    assert_int_equal(tt_catalyst_set_compat(cat, TT_COMPAT_NATIVE), 0);
    assert_int_equal(tt_catalyst_set_compat(cat, (tt_compat)7), -TT_EINVAL);
    assert_int_equal(tt_catalyst_set_compat(NULL, TT_COMPAT_PYTHON), -TT_EINVAL);
    assert_int_equal(tt_catalyst_compat(NULL), TT_COMPAT_NATIVE);
    tt_catalyst_free(cat);

    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER, .compat = TT_COMPAT_PYTHON};
    assert_int_equal(tt_catalyst_new(&cat, &o), 0);
    assert_int_equal(tt_catalyst_compat(cat), TT_COMPAT_PYTHON);
    tt_catalyst_free(cat);
    o.compat = (tt_compat)3;
    assert_int_equal(tt_catalyst_new(&cat, &o), -TT_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_no_state_native, cu_setup),
        cmocka_unit_test_setup(test_no_state_python, cu_setup),
        cmocka_unit_test_setup(test_finish_one_native, cu_setup),
        cmocka_unit_test_setup(test_finish_one_python, cu_setup),
        cmocka_unit_test_setup(test_finish_first_of_three_python, cu_setup),
        cmocka_unit_test_setup(test_set_compat_rules, cu_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
