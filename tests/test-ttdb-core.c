/*
 * test-ttdb-core.c: ttdb's core (tui/core/) on its own, without curses,
 * readline or a front end: splitting command lines, finding commands (and
 * why not), breakpoint conditions, and resolving the names a user types
 * against a session on the test app tests/tui/apps/counter.la.
 *
 * Output of the core goes to a sink that keeps the lines, so that a test
 * can assert the one error line a bad input gives.
 */
#include "ttdb.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Every line the core printed since the last out_reset(), kind-marked
 * ("E:" errors, "W:" warnings, "T:" text), one per line. */
static strbuf printed;

static void sink(out_kind kind, const char *line, void *ud)
{
    (void)ud;
    sb_printf(&printed, "%s%s\n",
              kind == OUT_ERROR ? "E:" : kind == OUT_WARN ? "W:" : "T:",
              line);
}

static void out_reset(void)
{
    sb_free(&printed);
    sb_add(&printed, "");
}

/* The front end's callbacks, counted. */
static int n_changed, n_running;
static void on_changed(void) { n_changed++; }
static void on_running(void) { n_running++; }

static int setup(void **state)
{
    (void)state;
    out_set_sink(sink, NULL);
    out_reset();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    out_flush();
    sb_free(&printed);
    return 0;
}

/* --- cmd_split ---------------------------------------------------------- */

static void test_split_words_and_quotes(void **state)
{
    (void)state;
    cmd_args a;
    assert_int_equal(cmd_split("  break  'a b' \"c\\td\" x'y'z ", &a), 0);
    assert_int_equal(a.argc, 4);
    assert_string_equal(a.argv[0], "break");
    assert_string_equal(a.argv[1], "a b");
    assert_string_equal(a.raw[1], "'a b'");
    assert_string_equal(a.argv[2], "c\td");
    assert_string_equal(a.argv[3], "xyz");
    assert_null(a.argv[4]);
    /* a single-quoted word becomes a double-quoted one for value parsers */
    char *t = cmd_arg_text(&a, 1);
    assert_string_equal(t, "\"a b\"");
    free(t);
    t = cmd_arg_text(&a, 2);
    assert_string_equal(t, "\"c\\td\"");
    free(t);
    cmd_args_free(&a);

    assert_int_equal(cmd_split("", &a), 0);
    assert_int_equal(a.argc, 0);
    cmd_args_free(&a);
}

static void test_split_unterminated_quote(void **state)
{
    (void)state;
    cmd_args a;
    assert_int_equal(cmd_split("echo 'open", &a), -1);
    assert_int_equal(a.argc, 0);
    out_flush();
    assert_string_equal(printed.s,
                        "E:unterminated single quote in: echo 'open\n");
}

/* --- cmd_lookup --------------------------------------------------------- */

static void test_lookup_found(void **state)
{
    (void)state;
    char err[256];
    cmd_miss why;
    const cmd_entry *e = cmd_lookup(cmd_table, "step", err, sizeof err, &why);
    assert_ptr_equal(e, &cmd_step_entry);
    assert_int_equal(why, CMD_FOUND);
    /* an alias */
    assert_ptr_equal(cmd_lookup(cmd_table, "c", err, sizeof err, &why),
                     &cmd_continue_entry);
    /* a unique prefix */
    assert_ptr_equal(cmd_lookup(cmd_table, "wat", err, sizeof err, &why),
                     &cmd_watch_entry);
    /* subcommands by the same rules; why may be NULL */
    assert_non_null(cmd_lookup(cmd_info_entry.subs, "break", err, sizeof err,
                               NULL));
}

static void test_lookup_why(void **state)
{
    (void)state;
    char err[256];
    cmd_miss why;
    assert_null(cmd_lookup(cmd_table, "stpe", err, sizeof err, &why));
    assert_int_equal(why, CMD_CLOSE);
    assert_string_equal(err, "\"stpe\" (did you mean \"step\"?)");

    assert_null(cmd_lookup(cmd_table, "e", err, sizeof err, &why));
    assert_int_equal(why, CMD_AMBIGUOUS);
    assert_non_null(strstr(err, "ambiguous \"e\": "));
    assert_non_null(strstr(err, "enable"));
    assert_non_null(strstr(err, "echo"));

    assert_null(cmd_lookup(cmd_table, "qqqqqqqqqq", err, sizeof err, &why));
    assert_int_equal(why, CMD_UNKNOWN);
    assert_string_equal(err, "\"qqqqqqqqqq\"");
}

/* Commands a front end adds are found after the core's. */
static int added_exec(cmd_args *a)
{
    out_printf("added %d\n", a->argc);
    return 0;
}
static const cmd_entry added_entry = {
    .name = "zz-added",
    .usage = "zz-added",
    .help = "A command of a front end.",
    .exec = added_exec,
    .flags = CMD_HIDDEN,
};
static void test_added_commands(void **state)
{
    (void)state;
    static const cmd_entry *const more[] = {&added_entry, NULL};
    cmd_add_commands(more);
    assert_int_equal(cmd_execute("zz-added 1 2"), 0);
    assert_int_equal(cmd_execute("step 1"), -1); /* no app: core still there */
    cmd_shutdown();
    assert_int_equal(cmd_execute("zz-added"), -1);
    out_flush();
    assert_string_equal(printed.s,
                        "T:added 2\n"
                        "E:no app loaded (use `file APP`)\n"
                        "E:unknown command \"zz-added\"\n");
}

/* --- breakpoint conditions ---------------------------------------------- */

static void test_cond_new(void **state)
{
    (void)state;
    bp_cond *c = bp_cond_new("count", ">=", "3");
    assert_non_null(c);
    assert_null(c->tonic);
    assert_string_equal(c->probe, "count");
    assert_int_equal(c->op, OP_GE);
    assert_string_equal(c->value_text, "3");
    bp_cond_free(c);

    c = bp_cond_new("02.Timer.label", "==", "\"a b\"");
    assert_non_null(c);
    assert_string_equal(c->tonic, "02.Timer"); /* split at the last dot */
    assert_string_equal(c->probe, "label");
    assert_int_equal(c->op, OP_EQ);
    bp_cond_free(c);

    assert_null(bp_cond_new("count", "=>", "3"));
    out_flush();
    assert_string_equal(printed.s,
                        "E:unknown operator \"=>\" (use == != < <= > >=)\n");
}

static void test_break_commands(void **state)
{
    (void)state;
    assert_int_equal(cmd_execute("break sparkle Counter.add if count"), -1);
    out_flush();
    assert_string_equal(printed.s, "E:a condition is PROBE OP VALUE (OP one "
                                   "of == != < <= > >=)\n");
}

/* --- resolve, on a session ---------------------------------------------- */

static char *app_path(void)
{
    const char *b = getenv("top_builddir");
    return xasprintf("%s/tests/tui/apps/counter.la", b ? b : ".");
}

static void test_resolve(void **state)
{
    (void)state;
    static const ttdb_frontend fe = {.changed = on_changed,
                                     .running = on_running};
    frontend_attach(&fe);
    n_changed = n_running = 0;
    char *path = app_path();
    assert_int_equal(session_open(&g_session, path), 0);
    assert_true(n_changed > 0);
    tt_catalyst *cat = g_session.cat;

    const char *sug = NULL;
    tt_tonic *t = find_tonic(cat, "Counter", &sug);
    assert_non_null(t);
    assert_null(find_tonic(cat, "Countr", &sug));
    assert_string_equal(sug, "Counter");

    /* short and full sparkle names */
    assert_string_equal(resolve_sparkle(t, "add"), "ttsc__add");
    assert_string_equal(resolve_sparkle(t, "ttsc__mix"), "ttsc__mix");
    /* over every tonic (the Worker does not exist before the first step) */
    assert_string_equal(find_sparkle_any(cat, "ping", &sug), "ttsc__ping");
    assert_null(find_sparkle_any(cat, "pnig", &sug));
    assert_non_null(sug);

    assert_true(resolve_probe(t, "count"));
    assert_true(resolve_state(t, "idle"));
    char *l, *r;
    assert_true(split_dotted("02.Timer.jobs", &l, &r));
    assert_string_equal(l, "02.Timer");
    assert_string_equal(r, "jobs");
    free(l);
    free(r);
    out_reset();
    assert_false(resolve_probe(t, "cuont"));
    out_flush();
    assert_non_null(strstr(printed.s, "E:"));
    assert_non_null(strstr(printed.s, "\"count\""));

    /* a run tells the front end */
    n_running = 0;
    assert_int_equal(cmd_execute("step"), 0);
    assert_int_equal(n_running, 1);

    frontend_attach(NULL);
    session_close(&g_session);
    free(g_session.app_path);
    g_session.app_path = NULL;
    bp_free(&g_bps);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_split_words_and_quotes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_split_unterminated_quote, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_lookup_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lookup_why, setup, teardown),
        cmocka_unit_test_setup_teardown(test_added_commands, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cond_new, setup, teardown),
        cmocka_unit_test_setup_teardown(test_break_commands, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_resolve, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    out_set_sink(NULL, NULL);
    out_shutdown();
    export_free();
    return rc;
}
