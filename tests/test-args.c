/*
 * test-args.c: typed sparkle arguments.
 *
 * Posting checks the arguments against the registered signature (count and
 * type; ints convert to double) and copies them into the order: a string is
 * duplicated, so the caller may change or free its buffer at once.  Handlers
 * are called with exact C types, through a thunk for the common signatures
 * and through libffi for the others (5 and 6 mixed parameters here).
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
/* Rx: receives every kind of argument and logs what it got               */
/* ======================================================================= */

static const char *last_str; /* the pointer ttsc__str last received */

static void Rx_ttsc__none(tt_tonic *self) { (void)self; cu_log("none"); }

static void Rx_ttsc__int(tt_tonic *self, int64_t x)
{
    (void)self;
    cu_log("int %lld", (long long)x);
}

static void Rx_ttsc__dbl(tt_tonic *self, double x) { (void)self; cu_log("dbl %.3f", x); }
static void Rx_ttsc__bool(tt_tonic *self, bool x) { (void)self; cu_log("bool %d", x); }

static void Rx_ttsc__ptr(tt_tonic *self, void *p)
{
    (void)self;
    cu_log("ptr %s", p ? (char *)p : "NULL");
}

static void Rx_ttsc__str(tt_tonic *self, const char *s)
{
    (void)self;
    last_str = s;
    cu_log("str %s", s ? s : "NULL");
}

static void Rx_ttsc__tonic(tt_tonic *self, tt_tonic *t)
{
    (void)self;
    cu_log("tonic %s", t ? tt_tonic_name(t) : "NULL");
}

static void Rx_ttsc__si(tt_tonic *self, const char *s, int64_t n)
{
    (void)self;
    cu_log("si %s %lld", s, (long long)n);
}

/* Not among the thunks: called through libffi. */
static void Rx_ttsc__bd(tt_tonic *self, bool b, double d)
{
    (void)self;
    cu_log("bd %d %.2f", b, d);
}

static void Rx_ttsc__three(tt_tonic *self, int64_t a, int64_t b, int64_t c)
{
    (void)self;
    cu_log("three %lld %lld %lld", (long long)a, (long long)b, (long long)c);
}

/* Five mixed parameters: libffi. */
static void Rx_ttsc__five(tt_tonic *self, int64_t i, double d, bool b, const char *s,
                          tt_tonic *t)
{
    (void)self;
    cu_log("five %lld %.2f %d %s %s", (long long)i, d, b, s ? s : "NULL",
           t ? tt_tonic_name(t) : "NULL");
}

/* Six, with a pointer and a timer reference: libffi. */
static void Rx_ttsc__six(tt_tonic *self, void *p, bool b, int64_t i, double d,
                         const char *s, tt_timer *tm)
{
    (void)self;
    cu_log("six %s %d %lld %.1f %s %s", p ? (char *)p : "NULL", b, (long long)i, d, s,
           tm ? tt_timer_name(tm) : "NULL");
}

static void Rx_ttse__on_timer(tt_tonic *self, const tt_timer_info *info)
{
    (void)self;
    cu_log("timer %s", info ? info->name : "NULL");
}

static const tt_handler rx_handlers[] = {
    TT_ON(Rx, ttsc__none),
    TT_ON(Rx, ttsc__int, int64_t),
    TT_ON(Rx, ttsc__dbl, double),
    TT_ON(Rx, ttsc__bool, bool),
    TT_ON(Rx, ttsc__ptr, void *),
    TT_ON(Rx, ttsc__str, const char *),
    TT_ON(Rx, ttsc__tonic, tt_tonic *),
    TT_ON(Rx, ttsc__si, const char *, int64_t),
    TT_ON(Rx, ttsc__bd, bool, double),
    TT_ON(Rx, ttsc__three, int64_t, int64_t, int64_t),
    TT_ON(Rx, ttsc__five, int64_t, double, bool, const char *, tt_tonic *),
    TT_ON(Rx, ttsc__six, void *, bool, int64_t, double, const char *, tt_timer *),
    TT_ON(Rx, ttse__on_timer, const tt_timer_info *),
};

static const tt_class Rx_class = {
    .name = "Rx",
    .handlers = rx_handlers,
    .n_handlers = TT_COUNTOF(rx_handlers),
};

/* Typed posters: the compiler checks their arguments. */
TT_SPARKLE(Rx, ttsc__none)
TT_SPARKLE(Rx, ttsc__int, int64_t)
TT_SPARKLE(Rx, ttsc__str, const char *)
TT_SPARKLE(Rx, ttsc__si, const char *, int64_t)
TT_SPARKLE(Rx, ttsc__bd, bool, double)
TT_SPARKLE(Rx, ttsc__three, int64_t, int64_t, int64_t)
TT_SPARKLE(Rx, ttsc__tonic, tt_tonic *)

/* ======================================================================= */
/* Helpers                                                                 */
/* ======================================================================= */

/* A Distiller with a started Rx. */
static tt_catalyst *rx_setup(tt_tonic **rx)
{
    tt_catalyst *cat = cu_distiller();

    *rx = tt_tonic_new(cat, &Rx_class, "Rx", NULL);
    assert_non_null(*rx);
    cu_all(cat);
    cu_log_reset();
    return cat;
}

/* ======================================================================= */
/* Copying                                                                 */
/* ======================================================================= */

/* A string argument is copied into the order: the handler sees what was
 * posted even after the caller changed and freed its buffer. */
static void test_string_copied(void **state)
{
    tt_tonic *rx;
    tt_catalyst *cat = rx_setup(&rx);
    char *buf = strdup("original");
    char stack[32] = "on the stack";
    tt_order_view v;
    const tt_run *run;

    (void)state;
    assert_non_null(buf);
    assert_int_equal(tt_send(rx, "ttsc__str", TT_STR(buf)), 0);
    assert_int_equal(tt_send(rx, "ttsc__five", TT_INT(1), TT_DOUBLE(2), TT_BOOL(false),
                             TT_STR(stack), TT_NONE),
                     0);
    assert_int_equal(Rx_send_ttsc__si(rx, buf, 9), 0);
    assert_int_equal(tt_queue_at(cat, 0, &v), 0);
    assert_ptr_not_equal(v.args[0].u.s, buf);
    assert_string_equal(v.args[0].u.s, "original");
    strcpy(buf, "mutated!");
    strcpy(stack, "overwritten");
    free(buf);

    run = cu_all(cat);
    cu_expect_log("str original;five 1 2.00 0 on the stack NULL;si original 9;");
    assert_ptr_not_equal(last_str, NULL);
    /* the trace keeps the copy */
    assert_string_equal(cu_entry(cat, run, 0)->args[0].u.s, "original");
    assert_string_equal(cu_entry(cat, run, 1)->args[3].u.s, "on the stack");
    tt_catalyst_free(cat);
}

/* Every argument type reaches the handler as its C type. */
static void test_each_type(void **state)
{
    tt_tonic *rx;
    tt_catalyst *cat = rx_setup(&rx);
    char payload[] = "payload";
    const tt_run *run;
    char json[128];

    (void)state;
    assert_int_equal(tt_send(rx, "ttsc__none"), 0);
    assert_int_equal(tt_send(rx, "ttsc__int", TT_INT(INT64_MIN)), 0);
    assert_int_equal(tt_send(rx, "ttsc__int", TT_INT(INT64_MAX)), 0);
    assert_int_equal(tt_send(rx, "ttsc__dbl", TT_DOUBLE(-0.125)), 0);
    assert_int_equal(tt_send(rx, "ttsc__bool", TT_BOOL(true)), 0);
    assert_int_equal(tt_send(rx, "ttsc__bool", TT_BOOL(false)), 0);
    assert_int_equal(tt_send(rx, "ttsc__ptr", TT_PTR(payload)), 0);
    assert_int_equal(tt_send(rx, "ttsc__tonic", TT_TONIC(tt_catalyst_tonic(cat))), 0);
    /* none is a null pointer for pointer-like parameters */
    assert_int_equal(tt_send(rx, "ttsc__str", TT_NONE), 0);
    assert_int_equal(tt_send(rx, "ttsc__tonic", TT_NONE), 0);
    assert_int_equal(tt_send(rx, "ttsc__ptr", TT_NONE), 0);
    run = cu_all(cat);
    cu_expect_log("none;int -9223372036854775808;int 9223372036854775807;dbl -0.125;"
                  "bool 1;bool 0;ptr payload;tonic tt_main_catalyst;str NULL;tonic NULL;"
                  "ptr NULL;");
    /* a tonic argument is recorded as a reference to it */
    tt_value_to_json(&cu_entry(cat, run, 7)->args[0], json, sizeof json);
    cu_expect_contains(json, "\"$liquid\"");
    cu_expect_contains(json, "\"tt_main_catalyst\"");
    tt_catalyst_free(cat);
}

/* An int given for a double parameter is converted (not the reverse). */
static void test_int_to_double(void **state)
{
    tt_tonic *rx;
    tt_catalyst *cat = rx_setup(&rx);
    const tt_run *run;

    (void)state;
    assert_int_equal(tt_send(rx, "ttsc__dbl", TT_INT(3)), 0);
    assert_int_equal(tt_send(rx, "ttsc__bd", TT_BOOL(true), TT_INT(-2)), 0);
    assert_int_equal(tt_send(rx, "ttsc__five", TT_INT(1), TT_INT(7), TT_BOOL(true), TT_STR("s"),
                             TT_TONIC(rx)),
                     0);
    run = cu_all(cat);
    cu_expect_log("dbl 3.000;bd 1 -2.00;five 1 7.00 1 s Rx;");
    assert_int_equal(cu_entry(cat, run, 0)->args[0].type, TT_T_DOUBLE);
    assert_int_equal(tt_send(rx, "ttsc__int", TT_DOUBLE(3.0)), -TT_EARGTYPE);
    tt_catalyst_free(cat);
}

/* ======================================================================= */
/* libffi                                                                  */
/* ======================================================================= */

/* Signatures without a thunk go through libffi. */
static void test_ffi_mixed(void **state)
{
    tt_tonic *rx;
    tt_catalyst *cat = rx_setup(&rx);
    char p[] = "opaque";
    tt_timer *tm = tt_timer_new(rx, TT_TIMER_REPEAT, 1.0, "tock", "ttse__on_timer");
    tt_value six[6] = {TT_PTR(p), TT_BOOL(true), TT_INT(-42), TT_DOUBLE(0.5),
                       TT_STR("text"), TT_TIMER(tm)};

    (void)state;
    assert_non_null(tm);
    assert_int_equal(tt_send(rx, "ttsc__five", TT_INT(-7), TT_DOUBLE(2.5), TT_BOOL(true),
                             TT_STR("hi"), TT_TONIC(rx)),
                     0);
    assert_int_equal(tt_send(rx, "ttsc__five", TT_INT(INT64_MAX), TT_DOUBLE(-1234.5),
                             TT_BOOL(false), TT_NONE, TT_NONE),
                     0);
    assert_int_equal(tt_post(rx, "ttsc__six", six, 6), 0);
    assert_int_equal(tt_send(rx, "ttsc__three", TT_INT(1), TT_INT(2), TT_INT(3)), 0);
    assert_int_equal(tt_send(rx, "ttsc__bd", TT_BOOL(false), TT_DOUBLE(9.75)), 0);
    /* a timer reference is accepted where the timer info is expected */
    assert_int_equal(tt_send(rx, "ttse__on_timer", TT_TIMER(tm)), 0);
    cu_count(cat, 6);
    cu_expect_log("five -7 2.50 1 hi Rx;"
                  "five 9223372036854775807 -1234.50 0 NULL NULL;"
                  "six opaque 1 -42 0.5 text tock;three 1 2 3;bd 0 9.75;timer tock;");
    tt_catalyst_free(cat);
}

/* ======================================================================= */
/* Typed posters and tt_send                                               */
/* ======================================================================= */

/* TT_SPARKLE defines Class_send_iface with the listed C types. */
static void test_typed_posters(void **state)
{
    tt_tonic *rx;
    tt_catalyst *cat = rx_setup(&rx);
    char buf[16] = "typed";

    (void)state;
    assert_int_equal(Rx_send_ttsc__none(rx), 0);
    assert_int_equal(Rx_send_ttsc__int(rx, 21), 0);
    assert_int_equal(Rx_send_ttsc__str(rx, buf), 0);
    buf[0] = 'X';
    assert_int_equal(Rx_send_ttsc__si(rx, "n", -1), 0);
    assert_int_equal(Rx_send_ttsc__bd(rx, true, 0.25), 0);
    assert_int_equal(Rx_send_ttsc__three(rx, 4, 5, 6), 0);
    assert_int_equal(Rx_send_ttsc__tonic(rx, rx), 0);
    cu_all(cat);
    cu_expect_log("none;int 21;str typed;si n -1;bd 1 0.25;three 4 5 6;tonic Rx;");
    tt_catalyst_free(cat);
}

/* A sparkle name in writable memory is read again at every post (the
 * name cache trusts only the pointers of literals in a module's read-only
 * data): the same buffer with another name posts the other sparkle. */
static char name_buf[16] = "ttsc__int";

static void test_name_buffer_reused(void **state)
{
    tt_tonic *rx;
    tt_catalyst *cat = rx_setup(&rx);
    const tt_value one = TT_INT(1);

    (void)state;
    assert_int_equal(tt_post(rx, name_buf, &one, 1), 0);
    assert_int_equal(tt_post(rx, name_buf, &one, 1), 0);
    strcpy(name_buf, "ttsc__none");
    assert_int_equal(tt_post(rx, name_buf, NULL, 0), 0);
    strcpy(name_buf, "ttsc__nix");
    assert_int_equal(tt_post(rx, name_buf, NULL, 0), -TT_ENOSPARKLE);
    assert_int_equal(tt_send(rx, "ttsc__none"), 0);
    assert_int_equal(tt_send(rx, "ttsc__none"), 0);
    cu_all(cat);
    cu_expect_log("int 1;int 1;none;none;none;");
    strcpy(name_buf, "ttsc__int");
    tt_catalyst_free(cat);
}

/* Values parsed from text (as ttdb's `call` does) post like any others. */
static void test_values_from_text(void **state)
{
    tt_tonic *rx;
    tt_catalyst *cat = rx_setup(&rx);
    const tt_type *types;
    tt_value v[2];
    tt_error err;

    (void)state;
    assert_int_equal(tt_tonic_sparkle_sig(rx, "ttsc__si", &types, NULL), 2);
    assert_int_equal(tt_value_parse(cat, types[0], "\"two words\"", &v[0], &err), 0);
    assert_int_equal(tt_value_parse(cat, types[1], "0x10", &v[1], &err), 0);
    assert_int_equal(tt_post(rx, "ttsc__si", v, 2), 0);
    tt_value_clear(&v[0]);
    tt_value_clear(&v[1]);
    cu_all(cat);
    cu_expect_log("si two words 16;");
    tt_catalyst_free(cat);
}

/* ======================================================================= */
/* Errors                                                                  */
/* ======================================================================= */

/* A wrong number of arguments: -TT_EARGCOUNT, a message, nothing queued. */
static void test_wrong_count(void **state)
{
    tt_tonic *rx;
    tt_catalyst *cat = rx_setup(&rx);
    tt_value many[TT_MAX_ARGS + 1];

    (void)state;
    assert_int_equal(tt_send(rx, "ttsc__int"), -TT_EARGCOUNT);
    cu_expect_contains(tt_catalyst_errmsg(cat), "Rx.ttsc__int");
    cu_expect_contains(tt_catalyst_errmsg(cat), "1 argument");
    cu_expect_contains(tt_catalyst_errmsg(cat), "got 0");
    cu_expect_contains(tt_catalyst_errmsg(cat), "ttsc__int(int)");
    assert_int_equal(tt_send(rx, "ttsc__none", TT_INT(1)), -TT_EARGCOUNT);
    assert_int_equal(tt_send(rx, "ttsc__si", TT_STR("a")), -TT_EARGCOUNT);
    cu_expect_contains(tt_catalyst_errmsg(cat), "2 arguments");
    for (size_t i = 0; i < TT_COUNTOF(many); i++)
        many[i] = TT_INT(0);
    assert_int_equal(tt_post(rx, "ttsc__int", many, TT_COUNTOF(many)), -TT_EARGCOUNT);
    assert_int_equal(tt_queue_length(cat), 0);
    tt_catalyst_free(cat);
}

/* A wrong argument type: -TT_EARGTYPE naming the argument and both types. */
static void test_wrong_type(void **state)
{
    tt_tonic *rx;
    tt_catalyst *cat = rx_setup(&rx);

    (void)state;
    assert_int_equal(tt_send(rx, "ttsc__int", TT_STR("12")), -TT_EARGTYPE);
    cu_expect_contains(tt_catalyst_errmsg(cat), "Rx.ttsc__int argument 1");
    cu_expect_contains(tt_catalyst_errmsg(cat), "expected int");
    cu_expect_contains(tt_catalyst_errmsg(cat), "got str");
    assert_int_equal(tt_send(rx, "ttsc__si", TT_STR("a"), TT_BOOL(true)), -TT_EARGTYPE);
    cu_expect_contains(tt_catalyst_errmsg(cat), "argument 2");
    cu_expect_contains(tt_catalyst_errmsg(cat), "got bool");
    assert_int_equal(tt_send(rx, "ttsc__bool", TT_INT(1)), -TT_EARGTYPE);
    assert_int_equal(tt_send(rx, "ttsc__str", TT_INT(1)), -TT_EARGTYPE);
    assert_int_equal(tt_send(rx, "ttsc__tonic", TT_STR("Rx")), -TT_EARGTYPE);
    assert_int_equal(tt_send(rx, "ttsc__int", TT_NONE), -TT_EARGTYPE);
    assert_int_equal(tt_queue_length(cat), 0);
    /* bad calls */
    assert_int_equal(tt_post(rx, "ttsc__int", NULL, 1), -TT_EINVAL);
    assert_int_equal(tt_post(NULL, "ttsc__int", NULL, 0), -TT_EINVAL);
    assert_int_equal(tt_post(rx, NULL, NULL, 0), -TT_EINVAL);
    assert_int_equal(tt_queue_length(cat), 0);
    tt_catalyst_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_string_copied, cu_setup),
        cmocka_unit_test_setup(test_each_type, cu_setup),
        cmocka_unit_test_setup(test_int_to_double, cu_setup),
        cmocka_unit_test_setup(test_ffi_mixed, cu_setup),
        cmocka_unit_test_setup(test_typed_posters, cu_setup),
        cmocka_unit_test_setup(test_name_buffer_reused, cu_setup),
        cmocka_unit_test_setup(test_values_from_text, cu_setup),
        cmocka_unit_test_setup(test_wrong_count, cu_setup),
        cmocka_unit_test_setup(test_wrong_type, cu_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
