/*
 * test-probes.c: probe snapshots taken through a plan resolved once per class
 * and contract list.
 *
 * The plan keeps, in the contract's order, the probes the tonic's class has
 * (others are left out); tonics of one class share it; a per-tonic list in
 * the contract gives that tonic its own.  A computed probe that gives no
 * value is left out of that snapshot only.  stop_on_probe reads the same
 * resolved slots.
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

typedef struct gauge {
    int a;
    int64_t b;
    tt_tonic *peer;
} gauge;

/* "even": a's value when it is even, else no value. */
static bool gauge_even(tt_tonic *self, tt_value *out)
{
    int a = TT_DATA(gauge, self)->a;
    if (a % 2)
        return false;
    *out = TT_INT(a);
    return true;
}

static void Gauge_ttsc__bump(tt_tonic *self)
{
    gauge *g = TT_DATA(gauge, self);
    g->a++;
    g->b += 10;
}

static void Gauge_ttsc__pair(tt_tonic *self, tt_tonic *peer)
{
    TT_DATA(gauge, self)->peer = peer;
}

static const tt_handler gauge_handlers[] = {
    TT_ON(Gauge, ttsc__bump),
    TT_ON(Gauge, ttsc__pair, tt_tonic *),
};
static const tt_probe_def gauge_probes[] = {
    TT_PROBE(gauge, a),
    TT_PROBE(gauge, b),
    TT_PROBE(gauge, peer),
    TT_PROBE_FN("even", gauge_even),
};
static const tt_class Gauge_class = {
    .name = "Gauge",
    .data_size = sizeof(gauge),
    .handlers = gauge_handlers,
    .n_handlers = TT_COUNTOF(gauge_handlers),
    .probes = gauge_probes,
    .n_probes = TT_COUNTOF(gauge_probes),
};

/* A snapshot as "key=value key=value". */
static void snap_text(const tt_map *m, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; m && i < m->n && n < size; i++) {
        char v[128];
        tt_value_to_text(&m->vals[i], v, sizeof v);
        n += (size_t)snprintf(buf + n, size - n, "%s%s=%s", i ? " " : "", m->keys[i], v);
    }
}

static void expect_snaps(const tt_trace_entry *e, const char *enter, const char *exit)
{
    char buf[512];
    snap_text(tt_entry_probes_enter(e), buf, sizeof buf);
    assert_string_equal(buf, enter);
    snap_text(tt_entry_probes_exit(e), buf, sizeof buf);
    assert_string_equal(buf, exit);
}

static tt_contract *contract(const char *json)
{
    tt_contract *c = NULL;
    tt_error err;
    if (tt_contract_parse(json, "test", &c, &err) < 0)
        fail_msg("contract: %s", err.msg);
    return c;
}

/* Two tonics of one class, the global list and a per-tonic list; a computed
 * probe without a value; a tonic-valued probe frozen to its str(). */
static void test_snapshots_follow_the_plan(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *g1 = tt_tonic_new(cat, &Gauge_class, "G1", NULL);
    tt_tonic *g2 = tt_tonic_new(cat, &Gauge_class, "G2", NULL);
    tt_tonic *g3 = tt_tonic_new(cat, &Gauge_class, "G3", NULL);
    tt_contract *c = contract("{\"probes\": [\"b\", \"even\", \"missing\", \"a\", \"peer\"],"
                              " \"tonics\": {\"G2\": {\"probes\": [\"a\", \"finishing\"]}}}");
    tt_sparkle_args args = {.contract = c};
    const tt_run *run;

    (void)state;
    cu_all(cat);
    assert_int_equal(tt_send(g1, "ttsc__pair", TT_TONIC(g2)), 0);
    assert_int_equal(tt_send(g1, "ttsc__bump"), 0);
    assert_int_equal(tt_send(g2, "ttsc__bump"), 0);
    assert_int_equal(tt_send(g3, "ttsc__bump"), 0);
    assert_int_equal(tt_send(g3, "ttsc__bump"), 0);
    run = cu_sparkle(cat, &args);
    assert_int_equal(tt_run_entry_count(run), 5);
    expect_snaps(cu_entry(cat, run, 0), "b=0 even=0 a=0 peer=None",
                 "b=0 even=0 a=0 peer=<ID[02]B[00] Gauge G2>");
    expect_snaps(cu_entry(cat, run, 1), "b=0 even=0 a=0 peer=<ID[02]B[00] Gauge G2>",
                 "b=10 a=1 peer=<ID[02]B[00] Gauge G2>");
    expect_snaps(cu_entry(cat, run, 2), "a=0 finishing=False", "a=1 finishing=False");
    expect_snaps(cu_entry(cat, run, 3), "b=0 even=0 a=0 peer=None", "b=10 a=1 peer=None");
    expect_snaps(cu_entry(cat, run, 4), "b=10 a=1 peer=None", "b=20 even=2 a=2 peer=None");

    /* A new contract, a new plan for the same tonics. */
    tt_contract *c2 = contract("{\"probes\": [\"a\"]}");
    args.contract = c2;
    assert_int_equal(tt_send(g2, "ttsc__bump"), 0);
    run = cu_sparkle(cat, &args);
    expect_snaps(cu_entry(cat, run, 0), "a=1", "a=2");
    tt_contract_free(c2);
    tt_contract_free(c);
    tt_catalyst_free(cat);
}

/* stop_on_probe reads probes through resolved slots, computed ones too. */
static void test_stop_on_probe(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *g1 = tt_tonic_new(cat, &Gauge_class, "G1", NULL);
    tt_contract *c = contract("{\"tonics\": {\"G1\": {\"stop_on_probe\": {\"even\": 4}}}}");
    tt_sparkle_args args = {.contract = c};
    const tt_run *run;

    (void)state;
    cu_all(cat);
    for (int i = 0; i < 6; i++)
        assert_int_equal(tt_send(g1, "ttsc__bump"), 0);
    run = cu_sparkle(cat, &args);
    assert_int_equal(tt_run_entry_count(run), 4);
    assert_true(tt_run_contract_met(run, NULL, NULL));
    assert_string_equal(tt_run_matched_reason(run, 0, 0), "probe: even == 4");
    tt_contract_free(c);
    tt_catalyst_free(cat);
}

/* Int fields: every probe of a plan an int, or an int64 (their own loops:
 * negative values, values past 32 bits, a sparkle that changes nothing), and
 * an int beside a bool. */
typedef struct ints {
    int x;
    int y;
    bool on;
    int64_t z;
    int64_t w;
} ints;

static void Ints_ttsc__step(tt_tonic *self)
{
    ints *d = TT_DATA(ints, self);
    d->x++;
    d->y -= 3;
    d->on = !d->on;
    d->z -= INT64_C(1) << 40;
    d->w++;
}

static void Ints_ttsc__idle(tt_tonic *self)
{
    (void)self;
}

static const tt_handler ints_handlers[] = {
    TT_ON(Ints, ttsc__step),
    TT_ON(Ints, ttsc__idle),
};
static const tt_probe_def ints_probes[] = {
    TT_PROBE(ints, x),
    TT_PROBE(ints, y),
    TT_PROBE(ints, on),
    TT_PROBE(ints, z),
    TT_PROBE(ints, w),
};
static const tt_class Ints_class = {
    .name = "Ints",
    .data_size = sizeof(ints),
    .handlers = ints_handlers,
    .n_handlers = TT_COUNTOF(ints_handlers),
    .probes = ints_probes,
    .n_probes = TT_COUNTOF(ints_probes),
};

static void test_int_plans(void **state)
{
    static const char *const lists[] = {"{\"probes\": [\"y\", \"x\"]}",
                                        "{\"probes\": [\"x\", \"on\"]}",
                                        "{\"probes\": [\"w\", \"z\"]}"};
    static const char *const want[][3][2] = {
        {{"y=0 x=0", "y=-3 x=1"}, {"y=-3 x=1", "y=-3 x=1"}, {"y=-3 x=1", "y=-6 x=2"}},
        {{"x=2 on=False", "x=3 on=True"}, {"x=3 on=True", "x=3 on=True"},
         {"x=3 on=True", "x=4 on=False"}},
        {{"w=4 z=-4398046511104", "w=5 z=-5497558138880"},
         {"w=5 z=-5497558138880", "w=5 z=-5497558138880"},
         {"w=5 z=-5497558138880", "w=6 z=-6597069766656"}},
    };
    tt_catalyst *cat = cu_distiller();
    tt_tonic *t = tt_tonic_new(cat, &Ints_class, "I", NULL);

    (void)state;
    cu_all(cat);
    for (size_t k = 0; k < TT_COUNTOF(lists); k++) {
        tt_contract *c = contract(lists[k]);
        tt_sparkle_args args = {.contract = c};
        assert_int_equal(tt_send(t, "ttsc__step"), 0);
        assert_int_equal(tt_send(t, "ttsc__idle"), 0);
        assert_int_equal(tt_send(t, "ttsc__step"), 0);
        const tt_run *run = cu_sparkle(cat, &args);
        assert_int_equal(tt_run_entry_count(run), 3);
        for (int i = 0; i < 3; i++)
            expect_snaps(cu_entry(cat, run, (uint64_t)i), want[k][i][0], want[k][i][1]);
        tt_contract_free(c);
    }
    tt_catalyst_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_snapshots_follow_the_plan, cu_setup),
        cmocka_unit_test_setup(test_stop_on_probe, cu_setup),
        cmocka_unit_test_setup(test_int_plans, cu_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
