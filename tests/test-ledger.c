/*
 * test-ledger.c: ids, names, base and infusions, lookup.
 *
 * One id table serves tonics and timers: the catalyst is 0, then every new
 * object takes the lowest free id, and an id is freed when its tonic
 * completes or its timer finishes.  Unnamed objects are "NN.ClassName".
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
/* Obj: spawns infusions and timers on request, finishes on request        */
/* ======================================================================= */

typedef struct Obj {
    tt_timer *timer; /* the last timer it created */
} Obj;

static void Obj_ttsc__stop(tt_tonic *self) { tt_finish(self); }

static const tt_class Obj_class; /* defined below */

/* Create an infusion named `name` (NULL: unnamed). */
static void Obj_ttsc__spawn(tt_tonic *self, const char *name)
{
    assert_non_null(tt_tonic_new(tt_tonic_catalyst(self), &Obj_class, name, NULL));
}

/* Create a timer of `kind` (0 single shot, 1 repeat, 2 pausing). */
static void Obj_ttsc__timer(tt_tonic *self, int64_t kind, double seconds)
{
    Obj *d = TT_DATA(Obj, self);

    d->timer = tt_timer_new(self, (tt_timer_kind)kind, seconds, NULL, NULL);
    assert_non_null(d->timer);
}

static void Obj_ttse__on_timer(tt_tonic *self, const tt_timer_info *info)
{
    (void)self;
    cu_log("timer %d %s", info->id, info->name);
}

static const tt_handler obj_handlers[] = {
    TT_ON(Obj, ttsc__stop),
    TT_ON(Obj, ttsc__spawn, const char *),
    TT_ON(Obj, ttsc__timer, int64_t, double),
    TT_ON(Obj, ttse__on_timer, const tt_timer_info *),
};

static const tt_class Obj_class = {
    .name = "Obj",
    .data_size = sizeof(Obj),
    .handlers = obj_handlers,
    .n_handlers = TT_COUNTOF(obj_handlers),
};

/* ======================================================================= */
/* Helpers                                                                 */
/* ======================================================================= */

/* Create a top-level Obj and run its start-up. */
static tt_tonic *new_obj(tt_catalyst *cat, const char *name)
{
    tt_tonic *t = tt_tonic_new(cat, &Obj_class, name, NULL);

    assert_non_null(t);
    cu_all(cat);
    return t;
}

/* Queue ttsc__timer(kind, seconds) on t and run it (the timer may fire when
 * the run goes on until idle, so only run the order itself). */
static tt_timer *make_timer(tt_catalyst *cat, tt_tonic *t, tt_timer_kind kind, double s)
{
    assert_int_equal(tt_send(t, "ttsc__timer", TT_INT(kind), TT_DOUBLE(s)), 0);
    cu_count(cat, 1);
    return TT_DATA(Obj, t)->timer;
}

/* Finish t (from itself) and run until idle or finished. */
static void stop(tt_catalyst *cat, tt_tonic *t)
{
    assert_int_equal(tt_send(t, "ttsc__stop"), 0);
    cu_all(cat);
    assert_int_equal(tt_tonic_id(t), -1);
}

/* ======================================================================= */
/* Tests                                                                   */
/* ======================================================================= */

/* Tonics and timers draw from one id table. */
static void test_ids_shared_with_timers(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *a, *b;
    tt_timer *tm;

    (void)state;
    assert_int_equal(tt_tonic_id(tt_catalyst_tonic(cat)), 0);
    a = new_obj(cat, NULL);
    assert_int_equal(tt_tonic_id(a), 1);
    tm = make_timer(cat, a, TT_TIMER_SINGLE_SHOT, 5.0);
    assert_int_equal(tt_timer_id(tm), 2);
    assert_string_equal(tt_timer_name(tm), "02.ttTimerSingleShot");
    b = new_obj(cat, NULL);
    assert_int_equal(tt_tonic_id(b), 3);
    assert_string_equal(tt_tonic_name(b), "03.Obj");
    /* a timer's id is not a tonic */
    assert_null(tt_tonic_by_id(cat, 2));
    assert_ptr_equal(tt_tonic_by_id(cat, 3), b);
    assert_ptr_equal(tt_timer_at(cat, 0), tm);
    assert_int_equal(tt_timer_count(cat), 1);
    tt_catalyst_free(cat);
}

/* The lowest free id is reused: after a single-shot timer fired, and after
 * a tonic completed. */
static void test_freed_ids_reused(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *a = new_obj(cat, NULL), *b, *c, *d;
    tt_timer *tm, *tm2;

    (void)state;
    tm = make_timer(cat, a, TT_TIMER_SINGLE_SHOT, 1.0); /* id 2 */
    b = tt_tonic_new(cat, &Obj_class, "B", NULL);       /* id 3 */
    assert_int_equal(tt_tonic_id(b), 3);
    cu_all(cat); /* the timer fires and finishes: id 2 is free */
    cu_expect_log("timer 2 02.ttTimerSingleShot;");
    assert_int_equal(tt_timer_id(tm), -1);
    assert_int_equal(tt_timer_get_info(tm)->id, 2);
    c = new_obj(cat, NULL);
    assert_int_equal(tt_tonic_id(c), 2);
    assert_string_equal(tt_tonic_name(c), "02.Obj");

    /* B completes: id 3 is free; a timer takes it */
    stop(cat, b);
    assert_null(tt_tonic_by_id(cat, 3));
    tm2 = make_timer(cat, a, TT_TIMER_REPEAT, 1.0);
    assert_int_equal(tt_timer_id(tm2), 3);
    assert_string_equal(tt_timer_name(tm2), "03.ttTimerRepeat");
    d = new_obj(cat, NULL);
    assert_int_equal(tt_tonic_id(d), 4);
    /* serials are never reused */
    assert_int_equal(tt_tonic_serial(c), 3);
    assert_int_equal(tt_tonic_serial(d), 4);
    assert_int_equal(tt_tonic_count(cat), 5);
    assert_ptr_equal(tt_tonic_at(cat, 2), b);
    assert_null(tt_tonic_at(cat, 5));
    tt_catalyst_free(cat);
}

/* Names: "tt_main_catalyst", given names copied, "NN.ClassName" with at
 * least two digits, timer class names. */
static void test_names(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_catalyst *prod = cu_catalyst();
    char name[16] = "Given";
    tt_tonic *t, *last = NULL;
    tt_timer *tm;

    (void)state;
    assert_string_equal(tt_tonic_name(tt_catalyst_tonic(cat)), "tt_main_catalyst");
    assert_string_equal(tt_tonic_class_name(tt_catalyst_tonic(cat)), "ttDistiller");
    assert_string_equal(tt_tonic_name(tt_catalyst_tonic(prod)), "tt_main_catalyst");
    assert_string_equal(tt_tonic_class_name(tt_catalyst_tonic(prod)), "ttCatalyst");

    t = tt_tonic_new(cat, &Obj_class, name, NULL);
    strcpy(name, "Changed");
    assert_string_equal(tt_tonic_name(t), "Given");
    assert_ptr_equal(tt_tonic_by_name(cat, "Given"), t);
    assert_null(tt_tonic_by_name(cat, "Changed"));

    for (int i = 2; i <= 100; i++)
        last = tt_tonic_new(cat, &Obj_class, NULL, NULL);
    assert_string_equal(tt_tonic_name(tt_tonic_by_id(cat, 9)), "09.Obj");
    assert_string_equal(tt_tonic_name(tt_tonic_by_id(cat, 10)), "10.Obj");
    assert_string_equal(tt_tonic_name(last), "100.Obj");
    cu_all(cat);

    tm = make_timer(cat, t, TT_TIMER_PAUSING, 1.0);
    assert_string_equal(tt_timer_name(tm), "101.ttTimerPausing");
    tm = tt_timer_new(t, TT_TIMER_REPEAT, 1.0, "blink", "ttse__on_timer");
    assert_non_null(tm);
    assert_string_equal(tt_timer_name(tm), "blink");
    assert_int_equal(tt_timer_get_kind(tm), TT_TIMER_REPEAT);
    tt_catalyst_free(cat);
    tt_catalyst_free(prod);
}

/* Base and infusions: the creator is the base; top-level tonics are the
 * catalyst's infusions; timers are infusions too (listed by the probe). */
static void test_base_and_infusions(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *c = tt_catalyst_tonic(cat);
    tt_tonic *a = new_obj(cat, "A"), *kid;
    tt_value v;

    (void)state;
    assert_null(tt_tonic_base(c));
    assert_ptr_equal(tt_tonic_base(a), c);
    assert_int_equal(tt_tonic_infusion_count(c), 1);
    assert_ptr_equal(tt_tonic_infusion(c, 0), a);

    assert_int_equal(tt_send(a, "ttsc__spawn", TT_STR("Kid")), 0);
    cu_all(cat);
    kid = tt_tonic_by_name(cat, "Kid");
    assert_non_null(kid);
    assert_ptr_equal(tt_tonic_base(kid), a);
    make_timer(cat, a, TT_TIMER_REPEAT, 2.0);
    assert_ptr_equal(tt_timer_base(TT_DATA(Obj, a)->timer), a);
    assert_int_equal(tt_tonic_infusion_count(a), 1); /* tonics only */
    assert_ptr_equal(tt_tonic_infusion(a, 0), kid);
    assert_null(tt_tonic_infusion(a, 1));

    assert_int_equal(tt_tonic_probe_read(a, "infusions", &v), 0);
    assert_int_equal(v.type, TT_T_LIST);
    assert_int_equal(v.u.list->n, 2);
    assert_string_equal(v.u.list->items[0].u.s, "<ID[02]B[01] Obj Kid>");
    assert_string_equal(v.u.list->items[1].u.s, "<ID[03]B[01] ttTimerRepeat 03.ttTimerRepeat>");
    tt_value_clear(&v);

    /* the kid completes: it leaves A's infusions */
    stop(cat, kid);
    assert_int_equal(tt_tonic_infusion_count(a), 0);
    assert_ptr_equal(tt_tonic_base(kid), a); /* the object still knows its base */
    tt_catalyst_free(cat);
}

/* Lookup by name and id; a finished tonic keeps its name, and a reused name
 * refers to the live tonic. */
static void test_lookup(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *x1, *x2, *y;

    (void)state;
    x1 = new_obj(cat, "X");
    y = new_obj(cat, "Y");
    assert_ptr_equal(tt_tonic_by_name(cat, "X"), x1);
    assert_ptr_equal(tt_tonic_by_name(cat, "tt_main_catalyst"), tt_catalyst_tonic(cat));
    assert_ptr_equal(tt_tonic_by_id(cat, 0), tt_catalyst_tonic(cat));
    assert_ptr_equal(tt_tonic_by_id(cat, 2), y);
    assert_null(tt_tonic_by_id(cat, -1));
    assert_null(tt_tonic_by_id(cat, 99));
    assert_null(tt_tonic_by_name(cat, "Z"));

    stop(cat, x1);
    assert_null(tt_tonic_by_id(cat, 1));
    assert_ptr_equal(tt_tonic_by_name(cat, "X"), x1); /* still known */
    assert_int_equal(tt_tonic_id(tt_tonic_by_name(cat, "X")), -1);

    x2 = new_obj(cat, "X");
    assert_int_equal(tt_tonic_id(x2), 1);
    assert_ptr_equal(tt_tonic_by_name(cat, "X"), x2);
    assert_ptr_equal(tt_tonic_by_id(cat, 1), x2);
    assert_ptr_equal(tt_tonic_at(cat, tt_tonic_serial(x1)), x1);
    tt_catalyst_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_ids_shared_with_timers, cu_setup),
        cmocka_unit_test_setup(test_freed_ids_reused, cu_setup),
        cmocka_unit_test_setup(test_names, cu_setup),
        cmocka_unit_test_setup(test_base_and_infusions, cu_setup),
        cmocka_unit_test_setup(test_lookup, cu_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
