/*
 * test-value.c: error codes, suggestions, typed values (copy, equality,
 * JSON and text rendering as Python writes them) and parsing values from
 * text.
 *
 * The expected JSON and text were produced by Python 3 (json.dumps(v),
 * str(v), repr([v])) for the same values.  The tests that need tonics and
 * timers create a small Distiller; build with -DTT_TEST_NO_CORE to leave
 * them out when only the value files are compiled.
 */
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tasktonic.h"

/* Assert that s starts with prefix. */
#define assert_string_equal_prefix(s, prefix)                                 \
    do {                                                                      \
        if (strncmp((s), (prefix), strlen(prefix)) != 0)                      \
            fail_msg("\"%s\" does not start with \"%s\"", (s), (prefix));      \
    } while (0)

/* Render v as JSON into a static buffer. */
static const char *json_of(tt_value v)
{
    static char buf[1024];
    size_t n = tt_value_to_json(&v, buf, sizeof buf);
    assert_true(n < sizeof buf);
    assert_int_equal(n, strlen(buf));
    return buf;
}

/* Render v as Python str() into a static buffer. */
static const char *text_of(tt_value v)
{
    static char buf[1024];
    size_t n = tt_value_to_text(&v, buf, sizeof buf);
    assert_true(n < sizeof buf);
    assert_int_equal(n, strlen(buf));
    return buf;
}

/* ------------------------------------------------------------------ */
/* error.c                                                             */
/* ------------------------------------------------------------------ */

static void test_strerror(void **state)
{
    (void)state;
    assert_string_equal(tt_strerror(-TT_ENOSPARKLE), "unknown sparkle");
    assert_string_equal(tt_strerror(TT_ENOSPARKLE), "unknown sparkle");
    assert_string_equal(tt_strerror(-TT_ECONTRACT), "invalid contract");
    assert_string_equal(tt_strerror(-TT_ERANGE), "value out of range");
    assert_string_equal(tt_strerror(0), "success");
    assert_string_equal(tt_strerror(12345), "unknown error");
    assert_string_equal(tt_strerror(-1), "unknown error");
    assert_string_equal(tt_strerror(INT_MIN), "unknown error");
}

static void test_err_name(void **state)
{
    (void)state;
    assert_string_equal(tt_err_name(-TT_ENOSPARKLE), "TT_ENOSPARKLE");
    assert_string_equal(tt_err_name(TT_ENOMEM), "TT_ENOMEM");
    assert_string_equal(tt_err_name(-TT_ERANGE), "TT_ERANGE");
    assert_string_equal(tt_err_name(0), "TT_OK");
    assert_string_equal(tt_err_name(999), "unknown error");
    assert_string_equal(tt_err_name(INT_MIN), "unknown error");
}

/* ------------------------------------------------------------------ */
/* suggest.c                                                           */
/* ------------------------------------------------------------------ */

static void test_suggest(void **state)
{
    static const char *const keys[] = {"till_state_in", "till_sparkle_in",
                                       "probes", "stop_on_probe"};
    static const char *const cmds[] = {"step", "continue", "call", "break",
                                       "until", NULL, "info"};
    (void)state;
    assert_string_equal(tt_suggest("till_states_in", keys, 4), "till_state_in");
    assert_string_equal(tt_suggest("till_sparkles_in", keys, 4), "till_sparkle_in");
    assert_string_equal(tt_suggest("probe", keys, 4), "probes"); /* prefix */
    assert_string_equal(tt_suggest("PROBES", keys, 4), "probes"); /* case */
    assert_string_equal(tt_suggest("stop_on_prob", keys, 4), "stop_on_probe");
    assert_string_equal(tt_suggest("setp", cmds, 7), "step");      /* swap */
    assert_string_equal(tt_suggest("cont", cmds, 7), "continue");  /* prefix */
    assert_string_equal(tt_suggest("brake", cmds, 7), "break");
    assert_string_equal(tt_suggest("inof", cmds, 7), "info");
    assert_null(tt_suggest("c", cmds, 7));       /* ambiguous prefix */
    assert_null(tt_suggest("xyzzy", cmds, 7));   /* nothing close */
    assert_null(tt_suggest("ab", cmds, 7));      /* short words: no guess */
    assert_null(tt_suggest("", cmds, 7));
    assert_null(tt_suggest(NULL, cmds, 7));
    assert_null(tt_suggest("step", NULL, 0));
}

static void test_suggest_threshold(void **state)
{
    static const char *const c[] = {"stop_match_count", "timeout"};
    (void)state;
    /* len/3 for long words: two or more edits still count */
    assert_string_equal(tt_suggest("stop_mach_cnt", c, 2), "stop_match_count");
    assert_string_equal(tt_suggest("timout", c, 2), "timeout");
    assert_string_equal(tt_suggest("tmieout", c, 2), "timeout");
    assert_null(tt_suggest("deadline", c, 2));
}

/* ------------------------------------------------------------------ */
/* value.c: copy, clear, equality, builders                            */
/* ------------------------------------------------------------------ */

static void test_copy_clear(void **state)
{
    char text[] = "hello";
    tt_value src = TT_STR(text), dst, items[3], list, copy;
    (void)state;

    assert_int_equal(tt_value_copy(&dst, &src), 0);
    assert_int_equal(dst.type, TT_T_STR);
    assert_ptr_not_equal(dst.u.s, text);
    text[0] = 'j';
    assert_string_equal(dst.u.s, "hello");
    tt_value_clear(&dst);
    assert_int_equal(dst.type, TT_T_NONE);
    tt_value_clear(&dst); /* twice is fine */
    tt_value_clear(NULL);

    /* NULL string stays NULL */
    src = TT_STR(NULL);
    assert_int_equal(tt_value_copy(&dst, &src), 0);
    assert_int_equal(dst.type, TT_T_STR);
    assert_null(dst.u.s);
    tt_value_clear(&dst);

    /* nested list: deep copy, independent */
    items[0] = TT_INT(1);
    items[1] = TT_STR("two");
    assert_int_equal(tt_value_list(&items[2], items, 2), 0);
    assert_int_equal(tt_value_list(&list, items, 3), 0);
    tt_value_clear(&items[2]);
    assert_int_equal(tt_value_copy(&copy, &list), 0);
    assert_true(tt_value_equal(&copy, &list));
    assert_string_equal(json_of(copy), "[1, \"two\", [1, \"two\"]]");
    assert_ptr_not_equal(copy.u.list->items[2].u.list, list.u.list->items[2].u.list);
    tt_value_clear(&list);
    assert_string_equal(json_of(copy), "[1, \"two\", [1, \"two\"]]");
    tt_value_clear(&copy);
    assert_int_equal(tt_value_copy(NULL, &src), -TT_EINVAL);
}

static void test_copy_self_keeps_tree(void **state)
{
    tt_value items[1] = {TT_STR("x")}, v, old;
    (void)state;
    assert_int_equal(tt_value_list(&v, items, 1), 0);
    old = v;
    assert_int_equal(tt_value_copy(&v, &v), 0);
    /* v is a fresh copy; the old tree is still owned by `old` */
    assert_true(tt_value_equal(&v, &old));
    tt_value_clear(&old);
    tt_value_clear(&v);
}

static void test_map_builder(void **state)
{
    const char *keys[] = {"b", "a"};
    tt_value vals[] = {TT_INT(2), TT_STR("x")}, m, m2, empty;
    const char *bad_keys[] = {"a", NULL};
    (void)state;

    assert_int_equal(tt_value_map(&m, keys, vals, 2), 0);
    assert_int_equal(m.type, TT_T_MAP);
    assert_int_equal(m.u.map->n, 2);
    assert_string_equal(json_of(m), "{\"b\": 2, \"a\": \"x\"}");
    assert_string_equal(text_of(m), "{'b': 2, 'a': 'x'}");
    /* order does not matter for equality (a Python dict) */
    {
        const char *k2[] = {"a", "b"};
        tt_value v2[] = {TT_STR("x"), TT_INT(2)};
        assert_int_equal(tt_value_map(&m2, k2, v2, 2), 0);
        assert_true(tt_value_equal(&m, &m2));
        tt_value_clear(&m2);
        v2[1] = TT_INT(3);
        assert_int_equal(tt_value_map(&m2, k2, v2, 2), 0);
        assert_false(tt_value_equal(&m, &m2));
        tt_value_clear(&m2);
    }
    assert_int_equal(tt_value_map(&m2, bad_keys, vals, 2), -TT_EINVAL);
    assert_int_equal(tt_value_map(&empty, NULL, NULL, 0), 0);
    assert_string_equal(json_of(empty), "{}");
    assert_string_equal(text_of(empty), "{}");
    tt_value_clear(&empty);
    assert_int_equal(tt_value_list(&empty, NULL, 0), 0);
    assert_string_equal(json_of(empty), "[]");
    tt_value_clear(&empty);
    assert_int_equal(tt_value_list(&empty, NULL, 1), -TT_EINVAL);
    tt_value_clear(&m);
}

static void test_equal(void **state)
{
    tt_value a, b;
    (void)state;
#define EQ(x, y) (a = (x), b = (y), tt_value_equal(&a, &b))
    assert_true(EQ(TT_INT(1), TT_DOUBLE(1.0)));   /* Python: 1 == 1.0 */
    assert_true(EQ(TT_DOUBLE(1.0), TT_INT(1)));
    assert_false(EQ(TT_INT(1), TT_DOUBLE(1.5)));
    assert_true(EQ(TT_BOOL(true), TT_INT(1)));    /* Python: True == 1 */
    assert_true(EQ(TT_BOOL(false), TT_DOUBLE(0.0)));
    assert_false(EQ(TT_BOOL(true), TT_INT(2)));
    assert_true(EQ(TT_DOUBLE(-0.0), TT_DOUBLE(0.0)));
    assert_false(EQ(TT_DOUBLE(NAN), TT_DOUBLE(NAN)));
    assert_false(EQ(TT_INT(INT64_MAX), TT_DOUBLE(9223372036854775808.0)));
    /* exact, as Python: 2**53 + 1 != float(2**53) */
    assert_false(EQ(TT_INT(9007199254740993LL), TT_DOUBLE(9007199254740992.0)));
    assert_true(EQ(TT_INT(9007199254740992LL), TT_DOUBLE(9007199254740992.0)));
    assert_false(EQ(TT_INT(1), TT_DOUBLE(INFINITY)));
    assert_true(EQ(TT_STR("a"), TT_STR("a")));
    assert_false(EQ(TT_STR("a"), TT_STR("b")));
    assert_false(EQ(TT_STR("1"), TT_INT(1)));
    assert_true(EQ(TT_STR(NULL), TT_STR(NULL)));
    assert_false(EQ(TT_STR(NULL), TT_STR("")));
    assert_true(EQ(TT_NONE, TT_NONE));
    assert_false(EQ(TT_NONE, TT_INT(0)));
    assert_true(EQ(TT_PTR(&a), TT_PTR(&a)));
    assert_false(EQ(TT_PTR(&a), TT_PTR(&b)));
    assert_false(EQ(TT_TONIC(NULL), TT_TIMER(NULL)));
    assert_true(EQ(TT_TONIC(NULL), TT_TONIC(NULL)));
    assert_false(tt_value_equal(&a, NULL));
    assert_true(tt_value_equal(NULL, NULL));
#undef EQ
    {
        tt_value i1[] = {TT_INT(1), TT_STR("x")}, i2[] = {TT_DOUBLE(1.0), TT_STR("x")};
        tt_value i3[] = {TT_STR("x"), TT_INT(1)};
        tt_value l1, l2, l3;
        assert_int_equal(tt_value_list(&l1, i1, 2), 0);
        assert_int_equal(tt_value_list(&l2, i2, 2), 0);
        assert_int_equal(tt_value_list(&l3, i3, 2), 0);
        assert_true(tt_value_equal(&l1, &l2));
        assert_false(tt_value_equal(&l1, &l3)); /* lists keep order */
        tt_value_clear(&l1);
        tt_value_clear(&l2);
        tt_value_clear(&l3);
    }
}

static void test_value_of(void **state)
{
    int64_t i = -5;
    double d = 2.5;
    bool b = true;
    const char *s = "txt";
    tt_tonic *t = (tt_tonic *)&i;
    tt_timer *tm = (tt_timer *)&d;
    tt_timer_info info = {.id = 3, .name = "03.ttTimerRepeat", .timer = tm};
    const tt_timer_info *ip = &info;
    void *p = &b;
    tt_value v;
    (void)state;

    tt__value_of(&v, TT_T_INT, &i);
    assert_int_equal(v.type, TT_T_INT);
    assert_int_equal(v.u.i, -5);
    tt__value_of(&v, TT_T_DOUBLE, &d);
    assert_true(v.type == TT_T_DOUBLE && v.u.d == 2.5);
    tt__value_of(&v, TT_T_BOOL, &b);
    assert_true(v.type == TT_T_BOOL && v.u.b);
    tt__value_of(&v, TT_T_STR, &s);
    assert_true(v.type == TT_T_STR && v.u.s == s);
    tt__value_of(&v, TT_T_TONIC, &t);
    assert_true(v.type == TT_T_TONIC && v.u.tonic == t);
    tt__value_of(&v, TT_T_TIMER, &tm);
    assert_true(v.type == TT_T_TIMER && v.u.timer == tm);
    tt__value_of(&v, TT_T_TIMERINFO, &ip);
    assert_true(v.type == TT_T_TIMERINFO && v.u.timer == tm);
    ip = NULL;
    tt__value_of(&v, TT_T_TIMERINFO, &ip);
    assert_true(v.type == TT_T_TIMERINFO && v.u.timer == NULL);
    tt__value_of(&v, TT_T_PTR, &p);
    assert_true(v.type == TT_T_PTR && v.u.p == p);
    tt__value_of(&v, TT_T_INT, NULL);
    assert_int_equal(v.type, TT_T_NONE);
}

static void test_type_name(void **state)
{
    (void)state;
    assert_string_equal(tt_type_name(TT_T_NONE), "none");
    assert_string_equal(tt_type_name(TT_T_INT), "int");
    assert_string_equal(tt_type_name(TT_T_DOUBLE), "double");
    assert_string_equal(tt_type_name(TT_T_BOOL), "bool");
    assert_string_equal(tt_type_name(TT_T_STR), "str");
    assert_string_equal(tt_type_name(TT_T_TONIC), "tonic");
    assert_string_equal(tt_type_name(TT_T_TIMER), "timer");
    assert_string_equal(tt_type_name(TT_T_TIMERINFO), "timerinfo");
    assert_string_equal(tt_type_name(TT_T_PTR), "ptr");
    assert_string_equal(tt_type_name(TT_T_LIST), "list");
    assert_string_equal(tt_type_name(TT_T_MAP), "map");
    assert_string_equal(tt_type_name((tt_type)99), "unknown");
}

/* ------------------------------------------------------------------ */
/* value.c: rendering                                                  */
/* ------------------------------------------------------------------ */

static void test_json_doubles(void **state)
{
    /* value, json.dumps(value), str(value) */
    static const struct {
        double d;
        const char *json, *text;
    } cases[] = {
        {0.1, "0.1", "0.1"},
        {1e21, "1e+21", "1e+21"},
        {1.0, "1.0", "1.0"},
        {-0.0, "-0.0", "-0.0"},
        {0.0, "0.0", "0.0"},
        {3.14159, "3.14159", "3.14159"},
        {1e16, "1e+16", "1e+16"},
        {1e15, "1000000000000000.0", "1000000000000000.0"},
        {1e-5, "1e-05", "1e-05"},
        {0.0001, "0.0001", "0.0001"},
        {5e-324, "5e-324", "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308",
         "1.7976931348623157e+308"},
        {0.1 + 0.2, "0.30000000000000004", "0.30000000000000004"},
        {123456789.125, "123456789.125", "123456789.125"},
        {2.0 / 3.0, "0.6666666666666666", "0.6666666666666666"},
        {1e22, "1e+22", "1e+22"},
        {100.0, "100.0", "100.0"},
        {9007199254740993.0, "9007199254740992.0", "9007199254740992.0"},
        {-2.5e-7, "-2.5e-07", "-2.5e-07"},
        {1.5e300, "1.5e+300", "1.5e+300"},
        {2.2250738585072014e-308, "2.2250738585072014e-308",
         "2.2250738585072014e-308"},
        {0.5, "0.5", "0.5"},
        {NAN, "NaN", "nan"},
        {INFINITY, "Infinity", "inf"},
        {-INFINITY, "-Infinity", "-inf"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_string_equal(json_of(TT_DOUBLE(cases[i].d)), cases[i].json);
        assert_string_equal(text_of(TT_DOUBLE(cases[i].d)), cases[i].text);
    }
}

static void test_json_scalars(void **state)
{
    (void)state;
    assert_string_equal(json_of(TT_INT(42)), "42");
    assert_string_equal(json_of(TT_INT(INT64_MIN)), "-9223372036854775808");
    assert_string_equal(json_of(TT_BOOL(true)), "true");
    assert_string_equal(json_of(TT_BOOL(false)), "false");
    assert_string_equal(json_of(TT_NONE), "null");
    assert_string_equal(json_of(TT_STR(NULL)), "null");
    assert_string_equal(json_of(TT_TONIC(NULL)), "null");
    assert_string_equal(json_of(TT_TIMER(NULL)), "null");
    assert_string_equal(json_of(TT_PTR(NULL)), "null");
    assert_string_equal(json_of(TT_PTR((void *)0x1234)), "\"0x1234\"");
    assert_string_equal(text_of(TT_PTR((void *)0xbeef)), "0xbeef");
    {
        tt_value v = {.type = TT_T_TIMERINFO, .u.timer = NULL};
        assert_string_equal(json_of(v), "null");
        assert_string_equal(text_of(v), "None");
    }
    {
        char buf[8];
        assert_int_equal(tt_value_to_json(NULL, buf, sizeof buf), 4);
        assert_string_equal(buf, "null");
        assert_int_equal(tt_value_to_text(NULL, buf, sizeof buf), 4);
        assert_string_equal(buf, "None");
    }
}

static void test_json_strings(void **state)
{
    (void)state;
    /* json.dumps('say "hi"\n\t\\ é€𝄞\x01\x7f') */
    assert_string_equal(json_of(TT_STR("say \"hi\"\n\t\\ \xc3\xa9\xe2\x82\xac"
                                       "\xf0\x9d\x84\x9e\x01\x7f")),
                        "\"say \\\"hi\\\"\\n\\t\\\\ \\u00e9\\u20ac\\ud834\\udd1e"
                        "\\u0001\\u007f\"");
    assert_string_equal(json_of(TT_STR("\r\b\f/")), "\"\\r\\b\\f/\"");
    assert_string_equal(json_of(TT_STR("")), "\"\"");
    /* invalid UTF-8: one U+FFFD per maximal bad sequence, like Python's
     * b'\xe2\x82x\xff\xf0\x9f\x98'.decode('utf-8', 'replace') */
    assert_string_equal(json_of(TT_STR("\xe2\x82x\xff\xf0\x9f\x98")),
                        "\"\\ufffdx\\ufffd\\ufffd\"");
    assert_string_equal(json_of(TT_STR("\xed\xa0\x80")), /* a surrogate */
                        "\"\\ufffd\\ufffd\\ufffd\"");
    assert_string_equal(json_of(TT_STR("\xc0\xaf")), "\"\\ufffd\\ufffd\"");
}

static void test_json_containers(void **state)
{
    tt_value inner[] = {TT_INT(1), TT_DOUBLE(2.5), TT_NONE, TT_BOOL(true),
                        TT_STR("a\"b")};
    tt_value list, map, outer;
    const char *keys[] = {"k", "n\n", "list"};
    (void)state;

    assert_int_equal(tt_value_list(&list, inner, 5), 0);
    assert_string_equal(json_of(list), "[1, 2.5, null, true, \"a\\\"b\"]");
    assert_string_equal(text_of(list), "[1, 2.5, None, True, 'a\"b']");
    {
        tt_value vals[] = {TT_INT(2), TT_STR("it's"), list};
        assert_int_equal(tt_value_map(&map, keys, vals, 3), 0);
    }
    assert_string_equal(json_of(map), "{\"k\": 2, \"n\\n\": \"it's\", \"list\": "
                                      "[1, 2.5, null, true, \"a\\\"b\"]}");
    /* repr([...]) picks double quotes when the text has only a single one */
    assert_string_equal(text_of(map), "{'k': 2, 'n\\n': \"it's\", 'list': "
                                      "[1, 2.5, None, True, 'a\"b']}");
    assert_int_equal(tt_value_list(&outer, &map, 1), 0);
    assert_string_equal(json_of(outer), "[{\"k\": 2, \"n\\n\": \"it's\", \"list\": "
                                        "[1, 2.5, null, true, \"a\\\"b\"]}]");
    tt_value_clear(&outer);
    tt_value_clear(&map);
    tt_value_clear(&list);
}

static void test_text(void **state)
{
    tt_value v;
    (void)state;
    assert_string_equal(text_of(TT_NONE), "None");
    assert_string_equal(text_of(TT_BOOL(true)), "True");
    assert_string_equal(text_of(TT_BOOL(false)), "False");
    assert_string_equal(text_of(TT_INT(-7)), "-7");
    assert_string_equal(text_of(TT_STR("raw 'text'\n")), "raw 'text'\n");
    assert_string_equal(text_of(TT_STR(NULL)), "None");
    assert_string_equal(text_of(TT_TONIC(NULL)), "None");
    /* repr of strings inside containers, as repr([s]) */
    {
        static const struct {
            const char *s, *repr;
        } cases[] = {
            {"it's", "[\"it's\"]"},
            {"a\"b", "['a\"b']"},
            {"both ' and \"", "['both \\' and \"']"},
            {"\n\x01\xc3\xa9\xc2\xa0", "['\\n\\x01\xc3\xa9\\xa0']"},
            {"back\\slash\t", "['back\\\\slash\\t']"},
            {"\xee\x80\x80", "['\\ue000']"},         /* private use */
            {"\xf3\xa0\x80\x81", "['\\U000e0001']"}, /* a tag: format */
            {"\xf0\x9f\x98\x80", "['\xf0\x9f\x98\x80']"},
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            tt_value item = TT_STR((char *)cases[i].s);
            assert_int_equal(tt_value_list(&v, &item, 1), 0);
            assert_string_equal(text_of(v), cases[i].repr);
            tt_value_clear(&v);
        }
    }
}

static void test_render_truncation(void **state)
{
    char buf[16];
    tt_value v = TT_STR("hello world");
    (void)state;

    memset(buf, 'X', sizeof buf);
    assert_int_equal(tt_value_to_json(&v, buf, 5), 13);
    assert_string_equal(buf, "\"hel");
    assert_int_equal(buf[5], 'X');
    memset(buf, 'X', sizeof buf);
    assert_int_equal(tt_value_to_json(&v, buf, 0), 13);
    assert_int_equal(buf[0], 'X'); /* size 0: nothing written */
    assert_int_equal(tt_value_to_json(&v, NULL, 0), 13);
    assert_int_equal(tt_value_to_json(&v, buf, 14), 13);
    assert_string_equal(buf, "\"hello world\"");
    assert_int_equal(tt_value_to_json(&v, buf, 13), 13);
    assert_string_equal(buf, "\"hello world");
    assert_int_equal(tt_value_to_text(&v, buf, 6), 11);
    assert_string_equal(buf, "hello");
}

/* Doubles render the same whatever LC_NUMERIC the program chose. */
static void test_locale_independent(void **state)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                                        "nl_NL.UTF-8", "ru_RU.UTF-8"};
    const char *set = NULL;
    tt_value v;
    (void)state;

    for (size_t i = 0; i < sizeof names / sizeof names[0] && !set; i++)
        set = setlocale(LC_NUMERIC, names[i]);
    if (!set) {
        /* No decimal-comma locale installed: build one for this test with
         * localedef into a private LOCPATH (glibc's locale sources ship
         * with the libc-bin/locales packages). */
        char dir[] = "/tmp/tt-locale-XXXXXX", cmd[512];
        if (mkdtemp(dir)) {
            snprintf(cmd, sizeof cmd,
                     "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1", dir);
            if (system(cmd) == 0) {
                setenv("LOCPATH", dir, 1);
                set = setlocale(LC_NUMERIC, "de_DE.UTF-8");
            }
            snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
            if (system(cmd) != 0)
                print_message("# could not remove %s\n", dir);
        }
    }
    if (!set) {
        /* Still none (no locale sources): check the C locale at least. */
        print_message("# no decimal-comma locale could be set; checking the C locale\n");
        set = setlocale(LC_NUMERIC, "C");
    }
    assert_non_null(set);
    assert_string_equal(json_of(TT_DOUBLE(2.5)), "2.5");
    assert_string_equal(json_of(TT_DOUBLE(0.1 + 0.2)), "0.30000000000000004");
    assert_int_equal(tt_value_parse(NULL, TT_T_DOUBLE, "2.5", &v, NULL), 0);
    assert_true(v.u.d == 2.5);
    setlocale(LC_NUMERIC, "C");
}

/* ------------------------------------------------------------------ */
/* value-parse.c                                                       */
/* ------------------------------------------------------------------ */

/* Parse text as want; assert success and return the value. */
static tt_value parse_ok(tt_type want, const char *text)
{
    tt_value v;
    tt_error err;
    int rc = tt_value_parse(NULL, want, text, &v, &err);
    if (rc != 0)
        fail_msg("parsing %s %s: %s", tt_type_name(want), text, err.msg);
    assert_int_equal(err.code, 0);
    assert_int_equal(v.type, want);
    return v;
}

/* Parse text as want; assert the failure message. */
static void parse_bad(tt_type want, const char *text, const char *msg)
{
    tt_value v = TT_INT(99);
    tt_error err;
    assert_int_equal(tt_value_parse(NULL, want, text, &v, &err), -TT_EARGTYPE);
    assert_int_equal(err.code, -TT_EARGTYPE);
    assert_string_equal(err.msg, msg);
    assert_null(strchr(err.msg, '\n'));
    assert_int_equal(v.type, TT_T_NONE);
    /* err may be NULL */
    assert_int_equal(tt_value_parse(NULL, want, text, &v, NULL), -TT_EARGTYPE);
}

static void test_parse_int(void **state)
{
    (void)state;
    assert_int_equal(parse_ok(TT_T_INT, "42").u.i, 42);
    assert_int_equal(parse_ok(TT_T_INT, "-17").u.i, -17);
    assert_int_equal(parse_ok(TT_T_INT, "+5").u.i, 5);
    assert_int_equal(parse_ok(TT_T_INT, "0x1F").u.i, 31);
    assert_int_equal(parse_ok(TT_T_INT, "-0x10").u.i, -16);
    assert_int_equal(parse_ok(TT_T_INT, "  7 \t").u.i, 7);
    assert_int_equal(parse_ok(TT_T_INT, "010").u.i, 10); /* not octal */
    assert_true(parse_ok(TT_T_INT, "9223372036854775807").u.i == INT64_MAX);
    assert_true(parse_ok(TT_T_INT, "-9223372036854775808").u.i == INT64_MIN);
    assert_true(parse_ok(TT_T_INT, "-0x8000000000000000").u.i == INT64_MIN);
    parse_bad(TT_T_INT, "abc", "expected int, got \"abc\"");
    parse_bad(TT_T_INT, "12abc", "expected int, got \"12abc\"");
    parse_bad(TT_T_INT, "1.5", "expected int, got \"1.5\"");
    parse_bad(TT_T_INT, "--1", "expected int, got \"--1\"");
    parse_bad(TT_T_INT, "0x", "expected int, got \"0x\"");
    parse_bad(TT_T_INT, "", "expected int, got nothing");
    parse_bad(TT_T_INT, "   ", "expected int, got nothing");
    parse_bad(TT_T_INT, NULL, "expected int, got nothing");
    parse_bad(TT_T_INT, "1 2", "expected int, got \"1 2\"");
    parse_bad(TT_T_INT, "9223372036854775808",
              "expected int, got \"9223372036854775808\" (out of range)");
    parse_bad(TT_T_INT, "-9223372036854775809",
              "expected int, got \"-9223372036854775809\" (out of range)");
    parse_bad(TT_T_INT, "99999999999999999999x",
              "expected int, got \"99999999999999999999x\"");
    parse_bad(TT_T_INT, "a\nb", "expected int, got \"a\\nb\"");
}

static void test_parse_double(void **state)
{
    (void)state;
    assert_true(parse_ok(TT_T_DOUBLE, "2.5").u.d == 2.5);
    assert_true(parse_ok(TT_T_DOUBLE, "3").u.d == 3.0);
    assert_true(parse_ok(TT_T_DOUBLE, "-1e3").u.d == -1000.0);
    assert_true(parse_ok(TT_T_DOUBLE, "0x10").u.d == 16.0);
    assert_true(parse_ok(TT_T_DOUBLE, " .5 ").u.d == 0.5);
    assert_true(isinf(parse_ok(TT_T_DOUBLE, "inf").u.d));
    assert_true(isnan(parse_ok(TT_T_DOUBLE, "nan").u.d));
    assert_true(parse_ok(TT_T_DOUBLE, "1e-400").u.d == 0.0); /* underflow */
    parse_bad(TT_T_DOUBLE, "abc", "expected double, got \"abc\"");
    parse_bad(TT_T_DOUBLE, "1.5.2", "expected double, got \"1.5.2\"");
    parse_bad(TT_T_DOUBLE, "1,5", "expected double, got \"1,5\"");
    parse_bad(TT_T_DOUBLE, "", "expected double, got nothing");
    parse_bad(TT_T_DOUBLE, "1e999", "expected double, got \"1e999\" (out of range)");
}

static void test_parse_bool(void **state)
{
    static const char *const yes[] = {"true", "TRUE", "True", "1", "yes", "Yes", "on", "ON"};
    static const char *const no[] = {"false", "FALSE", "0", "no", "NO", "off", "Off"};
    (void)state;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        assert_true(parse_ok(TT_T_BOOL, yes[i]).u.b);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        assert_false(parse_ok(TT_T_BOOL, no[i]).u.b);
    parse_bad(TT_T_BOOL, "maybe", "expected bool, got \"maybe\" (true or false)");
    parse_bad(TT_T_BOOL, "2", "expected bool, got \"2\" (true or false)");
}

static void test_parse_str(void **state)
{
    tt_value v;
    (void)state;
    v = parse_ok(TT_T_STR, "hello");
    assert_string_equal(v.u.s, "hello");
    tt_value_clear(&v);
    v = parse_ok(TT_T_STR, "  hello world ");
    assert_string_equal(v.u.s, "hello world");
    tt_value_clear(&v);
    v = parse_ok(TT_T_STR, "\"a\\tb\\n\\\"q\\\"\\\\\\x41\\x7e!\"");
    assert_string_equal(v.u.s, "a\tb\n\"q\"\\A~!");
    tt_value_clear(&v);
    v = parse_ok(TT_T_STR, "\"  spaced  \"");
    assert_string_equal(v.u.s, "  spaced  ");
    tt_value_clear(&v);
    v = parse_ok(TT_T_STR, "\"\"");
    assert_string_equal(v.u.s, "");
    tt_value_clear(&v);
    v = parse_ok(TT_T_STR, "\"none\"");
    assert_string_equal(v.u.s, "none");
    tt_value_clear(&v);
    v = parse_ok(TT_T_STR, "none");
    assert_null(v.u.s);
    v = parse_ok(TT_T_STR, "NULL");
    assert_null(v.u.s);
    v = parse_ok(TT_T_STR, "\xc3\xa9t\xc3\xa9");
    assert_string_equal(v.u.s, "\xc3\xa9t\xc3\xa9");
    tt_value_clear(&v);
    parse_bad(TT_T_STR, "\"abc", "expected str, got \"\\\"abc\" (unterminated quote)");
    parse_bad(TT_T_STR, "\"abc\\\"", "expected str, got \"\\\"abc\\\\\\\"\" (unterminated quote)");
    parse_bad(TT_T_STR, "\"a\"b", "expected str, got \"\\\"a\\\"b\" (text after the closing quote)");
    parse_bad(TT_T_STR, "\"\\q\"",
              "expected str, got \"\\\"\\\\q\\\"\" (unknown escape; use \\n \\t \\r \\\\ \\\" or \\xHH)");
    parse_bad(TT_T_STR, "\"\\x\"", "expected str, got \"\\\"\\\\x\\\"\" (\\x needs hex digits)");
    parse_bad(TT_T_STR, "\"\\x00\"",
              "expected str, got \"\\\"\\\\x00\\\"\" (a string cannot hold \\x00)");
    parse_bad(TT_T_STR, "", "expected str, got nothing (write \"\" for an empty string)");
}

static void test_parse_long_text(void **state)
{
    char text[200];
    tt_error err;
    tt_value v;
    (void)state;
    memset(text, 'z', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    text[3] = '\n';
    assert_int_equal(tt_value_parse(NULL, TT_T_INT, text, &v, &err), -TT_EARGTYPE);
    assert_string_equal(err.msg, "expected int, got \"zzz\\nzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
                                 "zzzzzzzzzzzzzzzzzzzzzzzz\"...");
    /* a cut never splits a UTF-8 character */
    for (size_t i = 0; i + 1 < sizeof text; i += 2) {
        text[i] = '\xc3';
        text[i + 1] = '\xa9';
    }
    text[sizeof text - 1] = '\0';
    assert_int_equal(tt_value_parse(NULL, TT_T_INT, text, &v, &err), -TT_EARGTYPE);
    assert_non_null(strstr(err.msg, "\\u00e9\"..."));
    assert_null(strstr(err.msg, "\\ufffd"));
}

static void test_parse_ref_without_catalyst(void **state)
{
    tt_value v;
    tt_error err;
    (void)state;
    v = parse_ok(TT_T_TONIC, "none");
    assert_null(v.u.tonic);
    v = parse_ok(TT_T_TIMER, "null");
    assert_null(v.u.timer);
    v = parse_ok(TT_T_TIMERINFO, "None");
    assert_null(v.u.timer);
    parse_bad(TT_T_TONIC, "Door", "expected tonic, got \"Door\" (no catalyst to look it up in)");
    parse_bad(TT_T_TIMER, "3", "expected timer, got \"3\" (no catalyst to look it up in)");
    assert_int_equal(tt_value_parse(NULL, TT_T_INT, "1", NULL, &err), -TT_EINVAL);
    assert_int_equal(tt_value_parse(NULL, (tt_type)77, "1", &v, &err), -TT_EINVAL);
}

static void test_parse_ptr_none(void **state)
{
    (void)state;
    assert_ptr_equal(parse_ok(TT_T_PTR, "0x1000").u.p, (void *)0x1000);
    assert_ptr_equal(parse_ok(TT_T_PTR, "4096").u.p, (void *)4096);
    assert_null(parse_ok(TT_T_PTR, "none").u.p);
    assert_null(parse_ok(TT_T_PTR, "0").u.p);
    parse_bad(TT_T_PTR, "zz", "expected ptr, got \"zz\" (an address such as 0x7f00)");
    parse_bad(TT_T_PTR, "-1", "expected ptr, got \"-1\" (an address such as 0x7f00)");
    parse_ok(TT_T_NONE, "null");
    parse_ok(TT_T_NONE, " None ");
    parse_bad(TT_T_NONE, "0", "expected none, got \"0\"");
}

static void test_parse_list_map(void **state)
{
    tt_value v;
    (void)state;
    v = parse_ok(TT_T_LIST, "[1, \"a\", null, 2.5, [true]]");
    assert_string_equal(json_of(v), "[1, \"a\", null, 2.5, [true]]");
    tt_value_clear(&v);
    v = parse_ok(TT_T_MAP, "{\"z\": {\"k\": [1.5]}, \"a\": 1}");
    assert_string_equal(json_of(v), "{\"z\": {\"k\": [1.5]}, \"a\": 1}");
    tt_value_clear(&v);
    parse_bad(TT_T_LIST, "{}", "expected list, got \"{}\" (write a JSON list such as [1, \"a\"])");
    parse_bad(TT_T_MAP, "[1]", "expected map, got \"[1]\" (write a JSON object such as {\"k\": 1})");
    {
        tt_error err;
        assert_int_equal(tt_value_parse(NULL, TT_T_LIST, "[1,", &v, &err), -TT_EARGTYPE);
        /* the rest is jansson's own message */
        assert_string_equal_prefix(err.msg, "expected list, got \"[1,\" (as JSON: ");
    }
    parse_bad(TT_T_MAP, "{\"a\": 1, \"a\": 2}",
              "expected map, got \"{\\\"a\\\": 1, \\\"a\\\": 2}\" (as JSON: duplicate object key near '\"a\"')");
}

/* Every value survives JSON -> value -> JSON unchanged. */
static void test_round_trip(void **state)
{
    static const char *const texts[] = {
        "[]", "{}", "[0.1, 1e+21, -0.0, 3.14159, 1.0, -9223372036854775808]",
        "{\"a\\n\\\"b\": [null, true, false, \"\\u00e9\\ud834\\udd1e\"], \"\": {}}",
        "[[[[1]]], {\"x\": {\"y\": [2.5e-07]}}]",
    };
    (void)state;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        tt_type t = texts[i][0] == '[' ? TT_T_LIST : TT_T_MAP;
        tt_value v = parse_ok(t, texts[i]), w;
        char again[256];
        assert_string_equal(json_of(v), texts[i]);
        strcpy(again, json_of(v));
        w = parse_ok(t, again);
        assert_true(tt_value_equal(&v, &w));
        tt_value_clear(&v);
        tt_value_clear(&w);
    }
}

#ifndef TT_TEST_NO_CORE
/* ------------------------------------------------------------------ */
/* With a catalyst: tonic and timer references                         */
/* ------------------------------------------------------------------ */

static void Door_ttsc__open(tt_tonic *self)
{
    (void)self;
}

static void Door_ttse__on_timer(tt_tonic *self, const tt_timer_info *info)
{
    (void)self;
    (void)info;
}

static const tt_handler door_handlers[] = {
    TT_ON(Door, ttsc__open),
    TT_ON(Door, ttse__on_timer, const tt_timer_info *),
};

static const tt_class door_class = {
    .name = "DoorClass",
    .handlers = door_handlers,
    .n_handlers = TT_COUNTOF(door_handlers),
};

typedef struct fixture {
    tt_catalyst *cat;
    tt_tonic *door, *window;
    tt_timer *timer;
} fixture;

static int setup_catalyst(void **state)
{
    tt_catalyst_options opts = {.mode = TT_MODE_DISTILLER};
    fixture *f = calloc(1, sizeof *f);

    if (!f || tt_catalyst_new(&f->cat, &opts) != 0)
        return -1;
    f->door = tt_tonic_new(f->cat, &door_class, "Door", NULL);
    f->window = tt_tonic_new(f->cat, &door_class, "Window", NULL);
    f->timer = tt_timer_new(f->door, TT_TIMER_SINGLE_SHOT, 0.5, NULL, NULL);
    if (!f->door || !f->window || !f->timer)
        return -1;
    *state = f;
    return 0;
}

static int teardown_catalyst(void **state)
{
    fixture *f = *state;
    tt_catalyst_free(f->cat);
    free(f);
    return 0;
}

static void test_liquid_json(void **state)
{
    fixture *f = *state;
    tt_value items[] = {TT_TONIC(f->door), TT_TIMER(f->timer), TT_INT(1)}, list;

    assert_string_equal(json_of(TT_TONIC(f->door)), "{\"$liquid\": \"Door\"}");
    assert_string_equal(text_of(TT_TONIC(f->door)), "Door");
    assert_string_equal(json_of(TT_TIMER(f->timer)),
                        "{\"$liquid\": \"03.ttTimerSingleShot\"}");
    assert_string_equal(text_of(TT_TIMER(f->timer)), "03.ttTimerSingleShot");
    assert_int_equal(tt_value_list(&list, items, 3), 0);
    assert_string_equal(json_of(list), "[{\"$liquid\": \"Door\"}, "
                                       "{\"$liquid\": \"03.ttTimerSingleShot\"}, 1]");
    tt_value_clear(&list);
}

/* The timer info keeps the id the timer had when it fired, also after the
 * single-shot timer was unregistered. */
static void test_timerinfo_after_fire(void **state)
{
    fixture *f = *state;
    tt_sparkle_args args = {.till_sparkle_in = "ttse__on_timer", .timeout = 5.0};
    tt_value info = {.type = TT_T_TIMERINFO, .u.timer = f->timer};
    const tt_run *run = NULL;

    assert_int_equal(tt_distiller_sparkle(f->cat, &args, &run), 0);
    args = (tt_sparkle_args){.sparkle_count = 1};
    assert_int_equal(tt_distiller_sparkle(f->cat, &args, &run), 0);
    assert_int_equal(tt_timer_id(f->timer), -1);
    assert_string_equal(json_of(info), "{\"id\": 3, \"name\": \"03.ttTimerSingleShot\"}");
    assert_string_equal(text_of(info), "{'id': 3, 'name': '03.ttTimerSingleShot'}");
}

static void test_parse_tonic(void **state)
{
    fixture *f = *state;
    tt_value v;
    tt_error err;

    assert_int_equal(tt_value_parse(f->cat, TT_T_TONIC, "Door", &v, &err), 0);
    assert_int_equal(v.type, TT_T_TONIC);
    assert_ptr_equal(v.u.tonic, f->door);
    assert_int_equal(tt_value_parse(f->cat, TT_T_TONIC, "\"Window\"", &v, &err), 0);
    assert_ptr_equal(v.u.tonic, f->window);
    assert_int_equal(tt_value_parse(f->cat, TT_T_TONIC, "2", &v, &err), 0);
    assert_ptr_equal(v.u.tonic, f->window);
    assert_int_equal(tt_value_parse(f->cat, TT_T_TONIC, "0", &v, &err), 0);
    assert_ptr_equal(v.u.tonic, tt_catalyst_tonic(f->cat));
    assert_int_equal(tt_value_parse(f->cat, TT_T_TONIC, "none", &v, &err), 0);
    assert_null(v.u.tonic);

    assert_int_equal(tt_value_parse(f->cat, TT_T_TONIC, "Dor", &v, &err), -TT_EARGTYPE);
    assert_string_equal(err.msg, "expected tonic, got \"Dor\" (did you mean \"Door\"?)");
    assert_int_equal(tt_value_parse(f->cat, TT_T_TONIC, "window", &v, &err), -TT_EARGTYPE);
    assert_string_equal(err.msg, "expected tonic, got \"window\" (did you mean \"Window\"?)");
    assert_int_equal(tt_value_parse(f->cat, TT_T_TONIC, "Garage", &v, &err), -TT_EARGTYPE);
    assert_string_equal(err.msg, "expected tonic, got \"Garage\" (no such tonic)");
    assert_int_equal(tt_value_parse(f->cat, TT_T_TONIC, "42", &v, &err), -TT_EARGTYPE);
    assert_string_equal(err.msg, "expected tonic, got \"42\" (no tonic has id 42)");
}

static void test_parse_timer(void **state)
{
    fixture *f = *state;
    tt_value v;
    tt_error err;

    assert_int_equal(tt_value_parse(f->cat, TT_T_TIMER, "03.ttTimerSingleShot", &v, &err), 0);
    assert_int_equal(v.type, TT_T_TIMER);
    assert_ptr_equal(v.u.timer, f->timer);
    assert_int_equal(tt_value_parse(f->cat, TT_T_TIMER, "3", &v, &err), 0);
    assert_ptr_equal(v.u.timer, f->timer);
    assert_int_equal(tt_value_parse(f->cat, TT_T_TIMERINFO, "3", &v, &err), 0);
    assert_int_equal(v.type, TT_T_TIMERINFO);
    assert_ptr_equal(v.u.timer, f->timer);
    assert_int_equal(tt_value_parse(f->cat, TT_T_TIMER, "03.ttTimerSingleShoot", &v, &err),
                     -TT_EARGTYPE);
    assert_string_equal(err.msg, "expected timer, got \"03.ttTimerSingleShoot\" "
                                 "(did you mean \"03.ttTimerSingleShot\"?)");
    assert_int_equal(tt_value_parse(f->cat, TT_T_TIMER, "9", &v, &err), -TT_EARGTYPE);
    assert_string_equal(err.msg, "expected timer, got \"9\" (no timer has id 9)");
}
#endif /* TT_TEST_NO_CORE */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_err_name),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_suggest_threshold),
        cmocka_unit_test(test_copy_clear),
        cmocka_unit_test(test_copy_self_keeps_tree),
        cmocka_unit_test(test_map_builder),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_value_of),
        cmocka_unit_test(test_type_name),
        cmocka_unit_test(test_json_doubles),
        cmocka_unit_test(test_json_scalars),
        cmocka_unit_test(test_json_strings),
        cmocka_unit_test(test_json_containers),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_render_truncation),
        cmocka_unit_test(test_locale_independent),
        cmocka_unit_test(test_parse_int),
        cmocka_unit_test(test_parse_double),
        cmocka_unit_test(test_parse_bool),
        cmocka_unit_test(test_parse_str),
        cmocka_unit_test(test_parse_long_text),
        cmocka_unit_test(test_parse_ref_without_catalyst),
        cmocka_unit_test(test_parse_ptr_none),
        cmocka_unit_test(test_parse_list_map),
        cmocka_unit_test(test_round_trip),
#ifndef TT_TEST_NO_CORE
        cmocka_unit_test_setup_teardown(test_liquid_json, setup_catalyst, teardown_catalyst),
        cmocka_unit_test_setup_teardown(test_timerinfo_after_fire, setup_catalyst,
                                        teardown_catalyst),
        cmocka_unit_test_setup_teardown(test_parse_tonic, setup_catalyst, teardown_catalyst),
        cmocka_unit_test_setup_teardown(test_parse_timer, setup_catalyst, teardown_catalyst),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
