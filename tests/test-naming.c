/*
 * test-naming.c: what registration derives from handler names.
 *
 * A handler named PREFIX[_STATE]__NAME gives the interface sparkle
 * PREFIX__NAME; every STATE part is a state, and the states are indexed in
 * sorted (code-point) order.  These tests create tonics of small classes and
 * ask the tonic API and the trace what was derived.
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

/* ======================================================================= */
/* Classes                                                                 */
/* ======================================================================= */

/* Lamp: states from specific handlers only, several prefixes. */
static void Lamp_ttsc_off__switch(tt_tonic *self) { (void)self; cu_log("switch: off"); }
static void Lamp_ttsc_on__switch(tt_tonic *self) { (void)self; cu_log("switch: on"); }
static void Lamp_ttsc__switch(tt_tonic *self) { (void)self; cu_log("switch: generic"); }
static void Lamp_ttse_wait_on_timer__on_enter(tt_tonic *self) { (void)self; }
static void Lamp_tts__helper(tt_tonic *self) { (void)self; cu_log("helper"); }
static void Lamp__tts__hidden(tt_tonic *self) { (void)self; cu_log("hidden"); }
static void Lamp_ttsc_Zulu__dim(tt_tonic *self, int64_t level) { (void)self; (void)level; }
static void Lamp_ttsc__dim(tt_tonic *self, int64_t level)
{
    (void)self;
    cu_log("dim %ld", (long)level);
}

static void Lamp_ttse__on_start(tt_tonic *self) { tt_to_state(self, "off"); }

static const tt_handler lamp_handlers[] = {
    TT_ON(Lamp, ttsc_off__switch),
    TT_ON(Lamp, ttsc_on__switch),
    TT_ON(Lamp, ttsc__switch),
    TT_ON(Lamp, ttse_wait_on_timer__on_enter),
    TT_ON(Lamp, tts__helper),
    TT_ON(Lamp, _tts__hidden),
    TT_ON(Lamp, ttsc_Zulu__dim, int64_t),
    TT_ON(Lamp, ttsc__dim, int64_t),
    TT_ON(Lamp, ttse__on_start),
};

static const tt_class Lamp_class = {
    .name = "Lamp",
    .handlers = lamp_handlers,
    .n_handlers = TT_COUNTOF(lamp_handlers),
};

/* A second class in the same file, with a handler of the same name. */
static void Fan_ttsc__switch(tt_tonic *self) { (void)self; cu_log("fan switch"); }
static void Fan_ttsc_fast__spin(tt_tonic *self, double rpm, const char *why)
{
    (void)self;
    cu_log("spin %.1f %s", rpm, why);
}

static const tt_handler fan_handlers[] = {
    TT_ON(Fan, ttsc__switch),
    TT_ON(Fan, ttsc_fast__spin, double, const char *),
};

static const tt_class Fan_class = {
    .name = "Fan",
    .handlers = fan_handlers,
    .n_handlers = TT_COUNTOF(fan_handlers),
};

/* A class with no handlers at all. */
static const tt_class Empty_class = {.name = "Empty"};

/* ======================================================================= */
/* Tests                                                                   */
/* ======================================================================= */

/* States are every STATE part, sorted by code point ("Zulu" < "off"). */
static void test_states_sorted(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *t = tt_tonic_new(cat, &Lamp_class, "Lamp", NULL);

    (void)state;
    assert_non_null(t);
    assert_int_equal(tt_tonic_state_count(t), 4);
    assert_string_equal(tt_tonic_state_at(t, 0), "Zulu");
    assert_string_equal(tt_tonic_state_at(t, 1), "off");
    assert_string_equal(tt_tonic_state_at(t, 2), "on");
    assert_string_equal(tt_tonic_state_at(t, 3), "wait_on_timer");
    assert_string_equal(tt_tonic_state_at(t, -1), "--");
    assert_null(tt_tonic_state_at(t, 4));
    assert_null(tt_tonic_state_at(t, -2));
    assert_int_equal(tt_tonic_state_index(t, "Zulu"), 0);
    assert_int_equal(tt_tonic_state_index(t, "wait_on_timer"), 3);
    assert_int_equal(tt_tonic_state_index(t, "wait"), -TT_ENOSTATE);
    assert_int_equal(tt_tonic_state_index(t, "zulu"), -TT_ENOSTATE);
    /* before start-up the tonic is in no state */
    assert_int_equal(tt_tonic_state(t), -1);
    assert_string_equal(tt_tonic_state_name(t), "--");
    cu_all(cat);
    assert_int_equal(tt_tonic_state(t), 1);
    assert_string_equal(tt_tonic_state_name(t), "off");
    tt_catalyst_free(cat);
}

/* Interface names: PREFIX__NAME for every prefix, sorted, built-ins added,
 * the _ttinternal extras not listed. */
static void test_interface_names(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *t = tt_tonic_new(cat, &Lamp_class, NULL, NULL);
    const char *want[] = {"_tts__hidden", "ttsc__dim", "ttsc__switch", "tts__helper",
                          "ttse__on_enter", "ttse__on_start", "ttsc__finish",
                          "ttsc__to_state", "ttse__on_exit", "ttse__on_finished",
                          "_ttss__on_start", "_ttss__on_finished", "_ttss__on_completion",
                          "_ttss__on_infusion_completed"};
    size_t n;

    (void)state;
    assert_non_null(t);
    n = tt_tonic_sparkle_count(t);
    for (size_t w = 0; w < TT_COUNTOF(want); w++) {
        bool found = false;
        for (size_t i = 0; i < n; i++)
            found = found || strcmp(tt_tonic_sparkle_at(t, i), want[w]) == 0;
        if (!found)
            fail_msg("sparkle %s missing from the interface", want[w]);
    }
    for (size_t i = 0; i < n; i++) {
        const char *s = tt_tonic_sparkle_at(t, i);
        /* interface names never carry a state, and extras are not listed */
        assert_null(strstr(s, "_off__"));
        assert_null(strstr(s, "_wait_on_timer__"));
        assert_int_not_equal(strncmp(s, "_ttinternal", 11), 0);
        assert_null(strstr(s, "add_tonic_to_catalyst")); /* catalyst only */
        if (i > 0)
            assert_true(strcmp(tt_tonic_sparkle_at(t, i - 1), s) < 0);
    }
    assert_null(tt_tonic_sparkle_at(t, n));
    tt_catalyst_free(cat);
}

/* The catalyst has its own bookkeeping sparkles and no states. */
static void test_catalyst_interface(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *c = tt_catalyst_tonic(cat);
    bool add = false, remove = false;

    (void)state;
    assert_string_equal(tt_tonic_name(c), "tt_main_catalyst");
    assert_int_equal(tt_tonic_state_count(c), 0);
    for (size_t i = 0; i < tt_tonic_sparkle_count(c); i++) {
        add = add || strcmp(tt_tonic_sparkle_at(c, i), "_ttss__add_tonic_to_catalyst") == 0;
        remove = remove ||
                 strcmp(tt_tonic_sparkle_at(c, i), "_ttss__remove_tonic_from_catalyst") == 0;
    }
    assert_true(add);
    assert_true(remove);
    tt_catalyst_free(cat);
}

/* Signatures come from TT_ON's listed types. */
static void test_signatures(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *lamp = tt_tonic_new(cat, &Lamp_class, "Lamp", NULL);
    tt_tonic *fan = tt_tonic_new(cat, &Fan_class, "Fan", NULL);
    const tt_type *types = NULL;
    int min = -1;
    char buf[128];

    (void)state;
    assert_int_equal(tt_tonic_sparkle_sig(lamp, "ttsc__switch", &types, &min), 0);
    assert_int_equal(min, 0);
    assert_int_equal(tt_tonic_sparkle_sig(lamp, "ttsc__dim", &types, &min), 1);
    assert_int_equal(types[0], TT_T_INT);
    assert_int_equal(min, 1);
    assert_int_equal(tt_tonic_sparkle_sig(fan, "ttsc__spin", &types, &min), 2);
    assert_int_equal(types[0], TT_T_DOUBLE);
    assert_int_equal(types[1], TT_T_STR);
    assert_int_equal(tt_tonic_sparkle_sig(fan, "ttsc__dim", &types, &min), -TT_ENOSPARKLE);
    assert_int_equal(tt_tonic_sparkle_sig(fan, "ttsc_fast__spin", NULL, NULL), -TT_ENOSPARKLE);
    /* the built-in to_state takes a state and an optional force flag */
    assert_int_equal(tt_tonic_sparkle_sig(fan, "ttsc__to_state", &types, &min), 2);
    assert_int_equal(types[0], TT_T_STR);
    assert_int_equal(types[1], TT_T_BOOL);
    assert_int_equal(min, 1);
    assert_int_equal(tt_tonic_sparkle_sig_text(fan, "ttsc__spin", buf, sizeof buf), 0);
    cu_expect_contains(buf, "ttsc__spin(");
    cu_expect_contains(buf, "double");
    cu_expect_contains(buf, "str");
    tt_catalyst_free(cat);
}

/* Two classes in one file: same handler names, separate tables. */
static void test_two_classes_one_file(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *lamp = tt_tonic_new(cat, &Lamp_class, "Lamp", NULL);
    tt_tonic *fan = tt_tonic_new(cat, &Fan_class, "Fan", NULL);

    (void)state;
    assert_string_equal(tt_tonic_class_name(lamp), "Lamp");
    assert_string_equal(tt_tonic_class_name(fan), "Fan");
    assert_int_equal(tt_tonic_state_count(fan), 1);
    assert_string_equal(tt_tonic_state_at(fan, 0), "fast");
    cu_all(cat); /* Lamp -> off */
    assert_int_equal(tt_send(lamp, "ttsc__switch"), 0);
    assert_int_equal(tt_send(fan, "ttsc__switch"), 0);
    cu_all(cat);
    cu_expect_log("switch: off;fan switch;");
    tt_catalyst_free(cat);
}

/* The trace names interface sparkles, never the state-specific function. */
static void test_trace_uses_interface_names(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *lamp = tt_tonic_new(cat, &Lamp_class, "Lamp", NULL);
    const tt_run *run;

    (void)state;
    cu_all(cat);
    assert_int_equal(tt_send(lamp, "ttsc__switch"), 0);
    assert_int_equal(tt_send(lamp, "tts__helper"), 0);
    assert_int_equal(tt_send(lamp, "_tts__hidden"), 0);
    run = cu_all(cat);
    cu_expect_trace(cat, run, "Lamp.ttsc__switch, Lamp.tts__helper, Lamp._tts__hidden");
    assert_string_equal(tt_entry_state_enter(cat, cu_entry(cat, run, 0)), "off");
    cu_expect_log("switch: off;helper;hidden;");
    tt_catalyst_free(cat);
}

/* A class without handlers still has the built-in life cycle. */
static void test_empty_class(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *t = tt_tonic_new(cat, &Empty_class, NULL, NULL);
    const tt_run *run;
    tt_error err = {.code = 1};

    (void)state;
    assert_int_equal(tt_class_check(&Empty_class, &err), 0);
    assert_int_equal(err.code, 0);
    assert_non_null(t);
    assert_int_equal(tt_tonic_state_count(t), 0);
    assert_true(tt_tonic_sparkle_count(t) > 0);
    run = cu_all(cat);
    cu_expect_trace(cat, run,
                    "tt_main_catalyst._ttss__on_start, tt_main_catalyst.ttse__on_start, "
                    "tt_main_catalyst._ttss__add_tonic_to_catalyst, 01.Empty._ttss__on_start, "
                    "01.Empty.ttse__on_start");
    /* ttse__on_start without a user handler is a built-in no-op, not "no handler" */
    assert_false(cu_entry(cat, run, 4)->flags & TT_EF_NOHANDLER);
    tt_catalyst_free(cat);
}

/* tt_class_check accepts the well-formed classes of this file. */
static void test_class_check_ok(void **state)
{
    tt_error err;

    (void)state;
    assert_int_equal(tt_class_check(&Lamp_class, &err), 0);
    assert_int_equal(err.code, 0);
    assert_int_equal(tt_class_check(&Fan_class, NULL), 0);
}

/* TT_ON records the name after the class, the arity and the type codes. */
static void test_tt_on_table(void **state)
{
    (void)state;
    assert_string_equal(lamp_handlers[0].name, "ttsc_off__switch");
    assert_int_equal(lamp_handlers[0].nargs, 0);
    assert_string_equal(lamp_handlers[5].name, "_tts__hidden");
    assert_int_equal(lamp_handlers[6].nargs, 1);
    assert_int_equal(lamp_handlers[6].types[0], TT_T_INT);
    assert_string_equal(fan_handlers[1].name, "ttsc_fast__spin");
    assert_int_equal(fan_handlers[1].nargs, 2);
    assert_int_equal(fan_handlers[1].types[0], TT_T_DOUBLE);
    assert_int_equal(fan_handlers[1].types[1], TT_T_STR);
    assert_ptr_equal(fan_handlers[1].fn, (tt_fn)Fan_ttsc_fast__spin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_states_sorted, cu_setup),
        cmocka_unit_test_setup(test_interface_names, cu_setup),
        cmocka_unit_test_setup(test_catalyst_interface, cu_setup),
        cmocka_unit_test_setup(test_signatures, cu_setup),
        cmocka_unit_test_setup(test_two_classes_one_file, cu_setup),
        cmocka_unit_test_setup(test_trace_uses_interface_names, cu_setup),
        cmocka_unit_test_setup(test_empty_class, cu_setup),
        cmocka_unit_test_setup(test_class_check_ok, cu_setup),
        cmocka_unit_test_setup(test_tt_on_table, cu_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
