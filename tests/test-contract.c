/*
 * test-contract.c: Distiller contracts from JSON text, files and the C
 * builders; every error message shape, with its line and column.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tasktonic.h"
#include "tt-contract.h"

/* Parse text; assert success. */
static tt_contract *parse_ok(const char *text)
{
    tt_contract *c = NULL;
    tt_error err;
    int rc = tt_contract_parse(text, "contract.json", &c, &err);
    if (rc != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(err.code, 0);
    assert_string_equal(err.msg, "");
    assert_non_null(c);
    return c;
}

/* Parse text; assert the error code, message, line and column. */
static void parse_bad(const char *text, int code, const char *msg, int line, int col)
{
    tt_contract *c = (tt_contract *)&c;
    tt_error err;
    assert_int_equal(tt_contract_parse(text, "contract.json", &c, &err), code);
    assert_null(c);
    assert_int_equal(err.code, code);
    assert_string_equal(err.msg, msg);
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, col);
    assert_null(strchr(err.msg, '\n'));
    /* err may be NULL */
    assert_int_equal(tt_contract_parse(text, "contract.json", &c, NULL), code);
}

/* Assert a string list. */
static void assert_list(const tt_strlist *l, size_t n, const char *const *want)
{
    assert_int_equal(l->n, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(l->v[i], want[i]);
}

/* The contract as JSON, compared and freed. */
static void assert_json(const tt_contract *c, const char *want)
{
    char *got = tt_contract_to_json(c);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* ------------------------------------------------------------------ */
/* Parsing good contracts                                              */
/* ------------------------------------------------------------------ */

static void test_full_contract(void **state)
{
    static const char text[] =
        "{\n"
        "  \"timeout\": 2.5,\n"
        "  \"stop_match_count\": \"all\",\n"
        "  \"till_state_in\": [\"open\", \"closed\"],\n"
        "  \"till_sparkle_in\": \"ttse__on_timer\",\n"
        "  \"probes\": [\"events\"],\n"
        "  \"tonics\": {\n"
        "    \"Zeta\": {\"till_state_in\": \"idle\", \"probes\": []},\n"
        "    \"Alpha\": {\n"
        "      \"till_sparkle_in\": [\"ttsc__work\"],\n"
        "      \"probes\": [\"result\", \"pings\"],\n"
        "      \"stop_on_probe\": {\"chunks\": 1, \"ratio\": 0.5, \"ok\": true,\n"
        "                        \"name\": \"x\", \"nothing\": null,\n"
        "                        \"list\": [1, \"a\"], \"map\": {\"k\": [2]}}\n"
        "    }\n"
        "  }\n"
        "}\n";
    tt_contract *c = parse_ok(text);
    const tt_contract_tonic *z, *a;
    (void)state;

    assert_true(c->has_timeout);
    assert_true(c->timeout == 2.5);
    assert_int_equal(c->stop_match_count, TT_MATCH_ALL);
    assert_true(c->has_till_state);
    assert_list(&c->till_state_in, 2, (const char *[]){"open", "closed"});
    assert_true(c->has_till_sparkle);
    assert_list(&c->till_sparkle_in, 1, (const char *[]){"ttse__on_timer"});
    assert_list(&c->probes, 1, (const char *[]){"events"});
    assert_int_equal(c->n_tonics, 2);
    /* the order of the text, not sorted */
    z = &c->tonics[0];
    a = &c->tonics[1];
    assert_string_equal(z->name, "Zeta");
    assert_string_equal(a->name, "Alpha");
    assert_true(z->has_till_state);
    assert_list(&z->till_state_in, 1, (const char *[]){"idle"});
    assert_false(z->has_till_sparkle);
    assert_true(z->has_probes); /* given, even empty: replaces the global list */
    assert_int_equal(z->probes.n, 0);
    assert_int_equal(z->sop_names.n, 0);
    assert_false(a->has_till_state);
    assert_true(a->has_till_sparkle);
    assert_list(&a->till_sparkle_in, 1, (const char *[]){"ttsc__work"});
    assert_list(&a->probes, 2, (const char *[]){"result", "pings"});
    assert_list(&a->sop_names, 7,
                (const char *[]){"chunks", "ratio", "ok", "name", "nothing", "list", "map"});
    assert_int_equal(a->sop_values[0].type, TT_T_INT);
    assert_int_equal(a->sop_values[0].u.i, 1);
    assert_int_equal(a->sop_values[1].type, TT_T_DOUBLE);
    assert_true(a->sop_values[1].u.d == 0.5);
    assert_int_equal(a->sop_values[2].type, TT_T_BOOL);
    assert_true(a->sop_values[2].u.b);
    assert_int_equal(a->sop_values[3].type, TT_T_STR);
    assert_string_equal(a->sop_values[3].u.s, "x");
    assert_int_equal(a->sop_values[4].type, TT_T_NONE);
    assert_int_equal(a->sop_values[5].type, TT_T_LIST);
    assert_int_equal(a->sop_values[6].type, TT_T_MAP);
    assert_json(c, "{\"timeout\": 2.5, \"stop_match_count\": \"all\", "
                   "\"till_state_in\": [\"open\", \"closed\"], "
                   "\"till_sparkle_in\": [\"ttse__on_timer\"], \"probes\": [\"events\"], "
                   "\"tonics\": {\"Zeta\": {\"till_state_in\": [\"idle\"], \"probes\": []}, "
                   "\"Alpha\": {\"till_sparkle_in\": [\"ttsc__work\"], "
                   "\"probes\": [\"result\", \"pings\"], \"stop_on_probe\": "
                   "{\"chunks\": 1, \"ratio\": 0.5, \"ok\": true, \"name\": \"x\", "
                   "\"nothing\": null, \"list\": [1, \"a\"], \"map\": {\"k\": [2]}}}}}");
    tt_contract_free(c);
}

static void test_defaults(void **state)
{
    tt_contract *c = parse_ok("{}");
    (void)state;
    assert_false(c->has_timeout);
    assert_int_equal(c->stop_match_count, 1);
    assert_false(c->has_till_state);
    assert_false(c->has_till_sparkle);
    assert_int_equal(c->probes.n, 0);
    assert_int_equal(c->n_tonics, 0);
    assert_json(c, "{}");
    tt_contract_free(c);

    c = parse_ok("{\"timeout\": 5, \"stop_match_count\": 2, \"till_state_in\": [],"
                 " \"tonics\": {\"Door\": {}}}");
    assert_true(c->has_timeout);
    assert_true(c->timeout == 5.0);
    assert_int_equal(c->stop_match_count, 2);
    assert_true(c->has_till_state); /* given, though empty */
    assert_int_equal(c->till_state_in.n, 0);
    assert_int_equal(c->n_tonics, 1);
    assert_false(c->tonics[0].has_probes);
    assert_json(c, "{\"timeout\": 5.0, \"stop_match_count\": 2, \"till_state_in\": [], "
                   "\"tonics\": {\"Door\": {}}}");
    tt_contract_free(c);

    c = parse_ok("{\"timeout\": 0}");
    assert_true(c->has_timeout && c->timeout == 0.0);
    tt_contract_free(c);
}

/* The seed's and the reference scenarios' contracts. */
static void test_reference_contracts(void **state)
{
    static const char *const texts[] = {
        "{\"probes\": [\"events\"], \"tonics\": {\"Door\": {\"till_sparkle_in\": "
        "[\"ttse__on_start\"]}}}",
        "{\"stop_match_count\": \"all\", \"tonics\": {\"Parent\": {\"till_state_in\": "
        "[\"idle\"]}, \"Child\": {\"till_state_in\": [\"ready\"]}}}",
        "{\"tonics\": {\"Parent\": {\"probes\": [\"result\", \"pings\", \"finishing\", "
        "\"infusions\"], \"till_sparkle_in\": [\"ttse__on_child_done\"]}, \"Child\": "
        "{\"probes\": [\"work_done\", \"finishing\"]}, \"tt_main_catalyst\": {\"probes\": "
        "[\"finishing\", \"infusions\", \"tonics_sparkling\"]}}}",
        "{\"probes\": [\"processed\", \"total\", \"chunks\"], \"tonics\": {\"ChunkA\": "
        "{\"stop_on_probe\": {\"chunks\": 1}}}}",
        "{\"stop_match_count\": \"all\", \"tonics\": {\"ClientTonic\": {\"till_state_in\": "
        "[\"connected\"], \"probes\": [\"retry_attempts\"]}, \"ServerTonic\": "
        "{\"stop_on_probe\": {\"active_connections\": 1}}}}",
    };
    (void)state;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        tt_contract *c = parse_ok(texts[i]), *again;
        char *json = tt_contract_to_json(c), *json2;
        /* round trip: text -> contract -> text -> contract -> same text */
        again = parse_ok(json);
        json2 = tt_contract_to_json(again);
        assert_string_equal(json, json2);
        free(json);
        free(json2);
        tt_contract_free(again);
        tt_contract_free(c);
    }
}

static void test_escaped_keys(void **state)
{
    /* keys are compared after decoding their escapes */
    tt_contract *c = parse_ok("{\"till_st\\u0061te_in\": \"a\", \"tonics\": "
                              "{\"D\\u00f6r\\ud834\\udd1e\": {\"probes\": [\"p\"]}}}");
    (void)state;
    assert_true(c->has_till_state);
    assert_string_equal(c->tonics[0].name, "D\xc3\xb6r\xf0\x9d\x84\x9e");
    assert_json(c, "{\"till_state_in\": [\"a\"], \"tonics\": "
                   "{\"D\\u00f6r\\ud834\\udd1e\": {\"probes\": [\"p\"]}}}");
    tt_contract_free(c);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

static void test_unknown_keys(void **state)
{
    (void)state;
    /* the typo that would otherwise make a test pass or hang */
    parse_bad("{\"tonics\": {\n"
              "  \"Door\": {\n"
              "    \"till_states_in\": [\"open\"]}}}",
              -TT_ECONTRACT,
              "contract.json:3:5: unknown key \"till_states_in\" in tonics.Door "
              "(did you mean \"till_state_in\"?)",
              3, 5);
    parse_bad("{\"timeout\": 1, \"probe\": [\"x\"]}", -TT_ECONTRACT,
              "contract.json:1:16: unknown key \"probe\" in contract "
              "(did you mean \"probes\"?)",
              1, 16);
    parse_bad("{\"till_sparkles_in\": []}", -TT_ECONTRACT,
              "contract.json:1:2: unknown key \"till_sparkles_in\" in contract "
              "(did you mean \"till_sparkle_in\"?)",
              1, 2);
    parse_bad("{\"Stop_Match_Count\": 1}", -TT_ECONTRACT,
              "contract.json:1:2: unknown key \"Stop_Match_Count\" in contract "
              "(did you mean \"stop_match_count\"?)",
              1, 2);
    parse_bad("{\"zzzzzz\": 1}", -TT_ECONTRACT,
              "contract.json:1:2: unknown key \"zzzzzz\" in contract", 1, 2);
    parse_bad("{\"Door\": {\"till_state_in\": \"open\"}}", -TT_ECONTRACT,
              "contract.json:1:2: unknown key \"Door\" in contract "
              "(rules for a tonic go in \"tonics\")",
              1, 2);
    /* keys of the other level */
    parse_bad("{\"stop_on_probe\": {\"x\": 1}}", -TT_ECONTRACT,
              "contract.json:1:2: unknown key \"stop_on_probe\" in contract "
              "(it belongs in tonics.NAME)",
              1, 2);
    parse_bad("{\"tonics\": {\"A\": {\"timeout\": 1}}}", -TT_ECONTRACT,
              "contract.json:1:19: unknown key \"timeout\" in tonics.A "
              "(only allowed at the top level)",
              1, 19);
    /* odd characters are escaped, and columns count characters */
    parse_bad("{\"tonics\": {\"\xc3\xa9\": {\"x\\ny\": 1}}}", -TT_ECONTRACT,
              "contract.json:1:19: unknown key \"x\\ny\" in tonics.\xc3\xa9", 1, 19);
}

static void test_wrong_types(void **state)
{
    (void)state;
    parse_bad("{\"timeout\": \"5\"}", -TT_ECONTRACT,
              "contract.json:1:13: timeout must be a number of seconds >= 0, got \"5\"", 1, 13);
    parse_bad("{\"timeout\": -1}", -TT_ECONTRACT,
              "contract.json:1:13: timeout must be a number of seconds >= 0, got -1", 1, 13);
    parse_bad("{\"timeout\": -0.5}", -TT_ECONTRACT,
              "contract.json:1:13: timeout must be a number of seconds >= 0, got -0.5", 1, 13);
    parse_bad("{\"timeout\": null}", -TT_ECONTRACT,
              "contract.json:1:13: timeout must be a number of seconds >= 0, got null", 1, 13);
    parse_bad("{\"stop_match_count\": 0}", -TT_ECONTRACT,
              "contract.json:1:22: stop_match_count must be a positive integer or \"all\", "
              "got 0",
              1, 22);
    parse_bad("{\"stop_match_count\": 1.5}", -TT_ECONTRACT,
              "contract.json:1:22: stop_match_count must be a positive integer or \"all\", "
              "got 1.5",
              1, 22);
    parse_bad("{\"stop_match_count\": true}", -TT_ECONTRACT,
              "contract.json:1:22: stop_match_count must be a positive integer or \"all\", "
              "got true",
              1, 22);
    parse_bad("{\"stop_match_count\": 4294967296}", -TT_ECONTRACT,
              "contract.json:1:22: stop_match_count must be a positive integer or \"all\", "
              "got 4294967296",
              1, 22);
    parse_bad("{\"stop_match_count\": \"ALL\"}", -TT_ECONTRACT,
              "contract.json:1:22: stop_match_count must be a positive integer or \"all\", "
              "got \"ALL\" (did you mean \"all\"?)",
              1, 22);
    parse_bad("{\"stop_match_count\": \"any\"}", -TT_ECONTRACT,
              "contract.json:1:22: stop_match_count must be a positive integer or \"all\", "
              "got \"any\"",
              1, 22);
    parse_bad("{\"till_state_in\": 3}", -TT_ECONTRACT,
              "contract.json:1:19: till_state_in must be a string or a list of strings, got 3",
              1, 19);
    parse_bad("{\"till_sparkle_in\": {}}", -TT_ECONTRACT,
              "contract.json:1:21: till_sparkle_in must be a string or a list of strings, "
              "got an object",
              1, 21);
    parse_bad("{\"probes\": \"events\"}", -TT_ECONTRACT,
              "contract.json:1:12: probes must be a list of strings, got \"events\" "
              "(write it in [...])",
              1, 12);
    parse_bad("{\"probes\": [\"a\",\n  7]}", -TT_ECONTRACT,
              "contract.json:2:3: probes[1] must be a string, got 7", 2, 3);
    parse_bad("{\"tonics\": []}", -TT_ECONTRACT,
              "contract.json:1:12: tonics must be an object (tonic name -> rules), got a list",
              1, 12);
    parse_bad("{\"tonics\": {\"Door\": 5}}", -TT_ECONTRACT,
              "contract.json:1:21: tonics.Door must be an object (till_state_in, "
              "till_sparkle_in, probes, stop_on_probe), got 5",
              1, 21);
    parse_bad("{\"tonics\": {\"Door\": {\"till_state_in\": [\"a\", null]}}}", -TT_ECONTRACT,
              "contract.json:1:45: tonics.Door.till_state_in[1] must be a string, got null",
              1, 45);
    parse_bad("{\"tonics\": {\"Door\": {\"probes\": \"p\"}}}", -TT_ECONTRACT,
              "contract.json:1:32: tonics.Door.probes must be a list of strings, got \"p\" "
              "(write it in [...])",
              1, 32);
    parse_bad("{\"tonics\": {\"Door\": {\"stop_on_probe\": [1]}}}", -TT_ECONTRACT,
              "contract.json:1:39: tonics.Door.stop_on_probe must be an object "
              "(probe name -> value), got a list",
              1, 39);
    parse_bad("[1, 2]", -TT_ECONTRACT,
              "contract.json:1:1: a contract must be a JSON object, got a list", 1, 1);
    parse_bad("\n  []", -TT_ECONTRACT,
              "contract.json:2:3: a contract must be a JSON object, got a list", 2, 3);
}

/* The locator finds the key at the right nesting, not its first mention. */
static void test_locator_nesting(void **state)
{
    (void)state;
    parse_bad("{\"till_state_in\": \"x \\\"tonics\\\": {\\\"probes\\\"\",\n"
              " \"probes\": [],\n"
              " \"tonics\": {\"probes\": {\"probes\": 5}}}",
              -TT_ECONTRACT,
              "contract.json:3:34: tonics.probes.probes must be a list of strings, got 5", 3,
              34);
    parse_bad("{\"tonics\": {\"A\": {\"probes\": [\"a\", [\"b\", {\"c\": 1}], \"d\"]},\n"
              "             \"B\": {\"probes\": [\"a\", {\"x]\": \"[,\"}]}}}",
              -TT_ECONTRACT,
              "contract.json:1:35: tonics.A.probes[1] must be a string, got a list", 1, 35);
    parse_bad("{\"tonics\": {\"A\": {\"probes\": [\"a\"]},\n"
              "             \"B\": {\"probes\": [\"a\", {\"x]\": \"[,\"}]}}}",
              -TT_ECONTRACT,
              "contract.json:2:36: tonics.B.probes[1] must be a string, got an object", 2, 36);
}

static void test_syntax_errors(void **state)
{
    tt_contract *c;
    tt_error err;
    (void)state;
    parse_bad("{\"a\": 1,}", -TT_EJSON,
              "contract.json:1:9: string or '}' expected near '}'", 1, 9);
    parse_bad("{\"timeout\": 1,\n \"timeout\": 2}", -TT_EJSON,
              "contract.json:2:10: duplicate object key near '\"timeout\"'", 2, 10);
    parse_bad("", -TT_EJSON, "contract.json:1:1: '[' or '{' expected near end of file", 1, 1);
    parse_bad("{\"probes\": [\"a\nb\"]}", -TT_EJSON,
              "contract.json:1:14: unexpected newline near '\"a'", 1, 14);
    /* raw bytes that are not UTF-8 never reach the message */
    assert_int_equal(tt_contract_parse("{\"\xff\": 1}", NULL, &c, &err), -TT_EJSON);
    assert_string_equal(err.msg, "contract:1:2: unable to decode byte 0xff near '\"'");
    assert_int_equal(tt_contract_parse(NULL, "x", &c, &err), -TT_EINVAL);
    assert_string_equal(err.msg, "x: no contract text");
    assert_int_equal(tt_contract_parse("{}", "x", NULL, &err), -TT_EINVAL);
}

/* ------------------------------------------------------------------ */
/* Files                                                               */
/* ------------------------------------------------------------------ */

/* Write text to a fresh temporary file; returns its malloc'ed path. */
static char *temp_file(const char *text)
{
    const char *dir = getenv("TMPDIR");
    char *path = malloc(4096);
    int fd;
    snprintf(path, 4096, "%s/test-contract-XXXXXX", dir && *dir ? dir : "/tmp");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_load(void **state)
{
    char *good = temp_file("{\"tonics\": {\"Door\": {\"till_state_in\": \"open\"}}}\n");
    char *bad = temp_file("{\n  \"tonics\": {\"Door\": {\"till_states_in\": \"open\"}}\n}\n");
    char want[4200];
    tt_contract *c;
    tt_error err;
    (void)state;

    assert_int_equal(tt_contract_load(good, &c, &err), 0);
    assert_string_equal(c->tonics[0].till_state_in.v[0], "open");
    tt_contract_free(c);

    assert_int_equal(tt_contract_load(bad, &c, &err), -TT_ECONTRACT);
    assert_null(c);
    snprintf(want, sizeof want,
             "%s:2:23: unknown key \"till_states_in\" in tonics.Door "
             "(did you mean \"till_state_in\"?)",
             bad);
    assert_string_equal(err.msg, want);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 23);

    unlink(good);
    assert_int_equal(tt_contract_load(good, &c, &err), -TT_EIO);
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", good);
    assert_string_equal(err.msg, want);
    assert_int_equal(tt_contract_load(NULL, &c, &err), -TT_EINVAL);
    assert_int_equal(tt_contract_load("/", &c, &err), -TT_EIO); /* a directory */
    unlink(bad);
    free(good);
    free(bad);
}

/* ------------------------------------------------------------------ */
/* Builders                                                            */
/* ------------------------------------------------------------------ */

static void test_builders(void **state)
{
    tt_contract *c = tt_contract_new(), *again;
    tt_value one = TT_INT(1), name = TT_STR("a\"b"), two = TT_DOUBLE(2.0);
    char *json;
    (void)state;

    assert_non_null(c);
    assert_int_equal(c->stop_match_count, 1);
    assert_int_equal(tt_contract_set_timeout(c, -1), -TT_EINVAL);
    assert_int_equal(tt_contract_set_timeout(c, NAN), -TT_EINVAL);
    assert_int_equal(tt_contract_set_timeout(c, INFINITY), -TT_EINVAL);
    assert_false(c->has_timeout);
    assert_int_equal(tt_contract_set_timeout(c, 2.5), 0);
    assert_int_equal(tt_contract_set_match_count(c, 0), -TT_EINVAL);
    assert_int_equal(tt_contract_set_match_count(c, -2), -TT_EINVAL);
    assert_int_equal(tt_contract_set_match_count(c, TT_MATCH_ALL), 0);
    assert_int_equal(tt_contract_add_till_state(c, NULL, "idle"), 0);
    assert_int_equal(tt_contract_add_probe(c, NULL, "events"), 0);
    assert_int_equal(tt_contract_add_till_sparkle(c, "Door", "ttse__on_start"), 0);
    assert_int_equal(tt_contract_add_probe(c, "Door", "x"), 0);
    assert_int_equal(tt_contract_add_stop_on_probe(c, "Door", "chunks", &one), 0);
    assert_int_equal(tt_contract_add_stop_on_probe(c, "Door", "name", &name), 0);
    assert_int_equal(tt_contract_add_till_state(c, "Window", "open"), 0);
    assert_int_equal(tt_contract_add_stop_on_probe(c, NULL, "x", &one), -TT_EINVAL);
    assert_int_equal(tt_contract_add_stop_on_probe(c, "Door", "x", NULL), -TT_EINVAL);
    assert_int_equal(tt_contract_add_probe(c, NULL, NULL), -TT_EINVAL);
    assert_int_equal(tt_contract_add_probe(NULL, NULL, "x"), -TT_EINVAL);
    assert_int_equal(c->n_tonics, 2);
    assert_json(c, "{\"timeout\": 2.5, \"stop_match_count\": \"all\", "
                   "\"till_state_in\": [\"idle\"], \"probes\": [\"events\"], "
                   "\"tonics\": {\"Door\": {\"till_sparkle_in\": [\"ttse__on_start\"], "
                   "\"probes\": [\"x\"], \"stop_on_probe\": {\"chunks\": 1, "
                   "\"name\": \"a\\\"b\"}}, \"Window\": {\"till_state_in\": [\"open\"]}}}");
    /* setting a probe again replaces its value (a dict) */
    assert_int_equal(tt_contract_add_stop_on_probe(c, "Door", "chunks", &two), 0);
    assert_int_equal(c->tonics[0].sop_names.n, 2);
    assert_int_equal(c->tonics[0].sop_values[0].type, TT_T_DOUBLE);
    /* the builder copied the string */
    assert_ptr_not_equal(c->tonics[0].sop_values[1].u.s, name.u.s);

    json = tt_contract_to_json(c);
    again = parse_ok(json);
    assert_int_equal(again->n_tonics, 2);
    assert_true(tt_value_equal(&again->tonics[0].sop_values[0], &two));
    assert_json(again, json);
    free(json);
    tt_contract_free(again);
    tt_contract_free(c);
    tt_contract_free(NULL);
    assert_null(tt_contract_to_json(NULL));

    c = tt_contract_new();
    assert_int_equal(tt_contract_set_match_count(c, 3), 0);
    assert_json(c, "{\"stop_match_count\": 3}");
    tt_contract_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_contract),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_reference_contracts),
        cmocka_unit_test(test_escaped_keys),
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_locator_nesting),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_builders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
