/*
 * test-badinput.c: mistakes give a clear code and message, never an abort.
 *
 * Registration mistakes (a handler name off the pattern, two handlers for
 * one state and sparkle, a parameter type a sparkle cannot carry, handlers
 * of one sparkle that disagree, a name the runtime owns) are found by
 * tt_class_check and by tt_tonic_new, which returns NULL and leaves the
 * message in tt_catalyst_errmsg.  Posting an unknown sparkle (with a
 * suggestion), to a finished tonic or after the catalyst finished, loading
 * something that is not an app, and misusing the Distiller are errors too.
 *
 * Environment: top_builddir (for the check module tests/mod-noformula.la;
 * the part that needs it is skipped without it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "check-util.h"
#include "tasktonic.h"

/* ======================================================================= */
/* Handlers used by the bad classes (never called)                        */
/* ======================================================================= */

static void any0(tt_tonic *self) { (void)self; }
static void any1(tt_tonic *self, int64_t x) { (void)self; (void)x; }

/* A one-handler class named Bad with the handler `name` (no parameters). */
static tt_class one_handler(tt_handler *h, const char *name)
{
    *h = (tt_handler){.name = name, .fn = (tt_fn)any0};
    return (tt_class){.name = "Bad", .handlers = h, .n_handlers = 1};
}

/* tt_class_check must fail with `code` and a message holding the needles;
 * tt_tonic_new must return NULL with the same message, take no id and
 * queue nothing. */
static void expect_bad_class(const tt_class *cls, int code, const char *needle1,
                             const char *needle2)
{
    tt_catalyst *cat = cu_distiller();
    tt_error err = {0};
    size_t queued = tt_queue_length(cat);

    assert_int_equal(tt_class_check(cls, &err), code);
    assert_int_equal(err.code, code);
    if (needle1)
        cu_expect_contains(err.msg, needle1);
    if (needle2)
        cu_expect_contains(err.msg, needle2);
    assert_null(strchr(err.msg, '\n'));

    assert_null(tt_tonic_new(cat, cls, "X", NULL));
    assert_string_equal(tt_catalyst_errmsg(cat), err.msg);
    assert_int_equal(tt_queue_length(cat), queued);
    assert_int_equal(tt_tonic_count(cat), 1);
    /* the catalyst is still usable: the next tonic gets id 1 */
    assert_int_equal(tt_tonic_id(tt_tonic_new(cat, &(tt_class){.name = "Fine"}, NULL, NULL)), 1);
    tt_catalyst_free(cat);
}

/* ======================================================================= */
/* Registration mistakes                                                   */
/* ======================================================================= */

/* A name that does not follow PREFIX[_STATE]__NAME. */
static void test_bad_names(void **state)
{
    static const char *const bad[] = {
        "open",         "ttsc_open",   "ttsc__",     "ttsc_locked__", "ttx__open",
        "TTSC__open",   "ttsc__op-en", "ttsc_a b__x", "ttse",         "_ttsc__x",
        "ttsc_é__open", "tts",
    };

    (void)state;
    for (size_t i = 0; i < TT_COUNTOF(bad); i++) {
        tt_handler h;
        tt_class cls = one_handler(&h, bad[i]);
        char quoted[64];

        snprintf(quoted, sizeof quoted, "\"%s\"", bad[i]);
        printf("# bad name %s\n", quoted);
        expect_bad_class(&cls, -TT_EBADNAME, quoted, "PREFIX[_STATE]__NAME");
    }
}

/* A name that is not text (a module built against another tasktonic.h
 * reads its handler table with the wrong layout): said so, not printed. */
static void test_name_not_text(void **state)
{
    static const char *const bad[] = {"UH\x89\xe5H\x83\xec\x10", "ttsc__a\x01",
                                      "ttse__\xff\xfe"};

    (void)state;
    for (size_t i = 0; i < TT_COUNTOF(bad); i++) {
        tt_handler h;
        tt_class cls = one_handler(&h, bad[i]);

        expect_bad_class(&cls, -TT_EBADNAME, "handler 0 has a name that is not text",
                         "Rebuild it");
    }
}

/* Names the runtime owns cannot be defined by a class. */
static void test_reserved_names(void **state)
{
    static const char *const reserved[] = {
        "ttsc__finish", "ttsc_open__finish", "ttsc__to_state", "_ttss__on_start",
        "_ttss__on_completion",
    };

    (void)state;
    for (size_t i = 0; i < TT_COUNTOF(reserved); i++) {
        tt_handler h;
        tt_class cls = one_handler(&h, reserved[i]);

        printf("# reserved %s\n", reserved[i]);
        expect_bad_class(&cls, -TT_EBADNAME, reserved[i], "runtime");
    }
}

/* Two handlers for the same state and sparkle (or two generic ones). */
static void test_duplicate_handlers(void **state)
{
    tt_handler specific[] = {
        {.name = "ttsc_locked__open", .fn = (tt_fn)any0},
        {.name = "ttsc__open", .fn = (tt_fn)any0},
        {.name = "ttsc_locked__open", .fn = (tt_fn)any0},
    };
    tt_handler generic[] = {
        {.name = "ttse__on_enter", .fn = (tt_fn)any0},
        {.name = "ttse__on_enter", .fn = (tt_fn)any0},
    };
    tt_class a = {.name = "Bad", .handlers = specific, .n_handlers = 3};
    tt_class b = {.name = "Bad", .handlers = generic, .n_handlers = 2};

    (void)state;
    expect_bad_class(&a, -TT_EDUPHANDLER, "\"ttsc_locked__open\"", "Bad");
    expect_bad_class(&b, -TT_EDUPHANDLER, "\"ttse__on_enter\"", NULL);
}

/* A parameter type no sparkle can carry, or too many parameters. */
static void test_bad_types(void **state)
{
    static const uint8_t types[] = {TT_T_NONE, TT_T_LIST, TT_T_MAP, 77};
    tt_handler many = {.name = "ttsc__many", .fn = (tt_fn)any0, .nargs = TT_MAX_ARGS + 1};
    tt_class cls = {.name = "Bad", .handlers = &many, .n_handlers = 1};

    (void)state;
    for (size_t i = 0; i < TT_COUNTOF(types); i++) {
        tt_handler h = {.name = "ttsc__take", .fn = (tt_fn)any1, .nargs = 1, .types = {types[i]}};
        tt_class c = {.name = "Bad", .handlers = &h, .n_handlers = 1};

        expect_bad_class(&c, -TT_EBADTYPE, "\"ttsc__take\"", "parameter 1");
    }
    expect_bad_class(&cls, -TT_EBADTYPE, "\"ttsc__many\"", NULL);
}

/* Handlers of one sparkle that take different parameters. */
static void test_signature_mismatch(void **state)
{
    tt_handler h[] = {
        {.name = "ttsc_a__work", .fn = (tt_fn)any1, .nargs = 1, .types = {TT_T_INT}},
        {.name = "ttsc_b__work", .fn = (tt_fn)any1, .nargs = 1, .types = {TT_T_DOUBLE}},
    };
    tt_handler g[] = {
        {.name = "ttsc__work", .fn = (tt_fn)any0},
        {.name = "ttsc_a__work", .fn = (tt_fn)any1, .nargs = 1, .types = {TT_T_INT}},
    };
    tt_class a = {.name = "Bad", .handlers = h, .n_handlers = 2};
    tt_class b = {.name = "Bad", .handlers = g, .n_handlers = 2};

    (void)state;
    expect_bad_class(&a, -TT_ESIGMISMATCH, "ttsc__work", "\"ttsc_b__work\"");
    expect_bad_class(&b, -TT_ESIGMISMATCH, "ttsc__work", NULL);
}

/* A runtime hook defined with parameters the runtime does not pass. */
static void test_hook_signature(void **state)
{
    tt_handler h = {.name = "ttse__on_start", .fn = (tt_fn)any1, .nargs = 1,
                    .types = {TT_T_INT}};
    tt_class cls = {.name = "Bad", .handlers = &h, .n_handlers = 1};
    tt_catalyst *cat = cu_distiller();

    (void)state;
    assert_null(tt_tonic_new(cat, &cls, NULL, NULL));
    cu_expect_contains(tt_catalyst_errmsg(cat), "ttse__on_start");
    cu_expect_contains(tt_catalyst_errmsg(cat), "Bad");
    assert_int_equal(tt_queue_length(cat), 2);
    tt_catalyst_free(cat);
}

/* Classes and calls that are not there at all. */
static void test_missing_class(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_handler nofn = {.name = "ttsc__x"};
    tt_class noname = {.handlers = &nofn, .n_handlers = 1};
    tt_class nullfn = {.name = "Bad", .handlers = &nofn, .n_handlers = 1};
    tt_class nohandlers = {.name = "Bad", .n_handlers = 2};
    tt_error err;

    (void)state;
    assert_null(tt_tonic_new(cat, NULL, "X", NULL));
    assert_true(strlen(tt_catalyst_errmsg(cat)) > 0);
    assert_null(tt_tonic_new(NULL, &nullfn, "X", NULL));
    assert_int_equal(tt_class_check(NULL, &err), -TT_EINVAL);
    assert_int_equal(tt_class_check(&noname, &err), -TT_EINVAL);
    assert_int_equal(tt_class_check(&nullfn, &err), -TT_EINVAL);
    cu_expect_contains(err.msg, "Bad");
    assert_int_equal(tt_class_check(&nohandlers, &err), -TT_EINVAL);
    assert_null(tt_tonic_new(cat, &nullfn, "X", NULL));
    assert_int_equal(tt_tonic_count(cat), 1);
    tt_catalyst_free(cat);
}

/* ======================================================================= */
/* Posting mistakes                                                        */
/* ======================================================================= */

static void Door_ttsc__open(tt_tonic *self) { (void)self; cu_log("open"); }
static void Door_ttsc__close(tt_tonic *self) { (void)self; }
static void Door_ttsc__stop(tt_tonic *self) { tt_finish(self); }

/* Calling the Distiller from inside a sparkle. */
static void Door_ttsc__nested(tt_tonic *self)
{
    const tt_run *run = (const tt_run *)1;

    cu_log("nested %s", tt_err_name(tt_distiller_sparkle(tt_tonic_catalyst(self), NULL, &run)));
    cu_log("run %s", run ? "set" : "NULL");
}

/* Running the production loop from inside a sparkle (then finishing). */
static void Door_ttsc__nested_run(tt_tonic *self)
{
    cu_log("nested run %s", tt_err_name(tt_catalyst_run(tt_tonic_catalyst(self))));
    tt_finish(self);
}

static const tt_handler door_handlers[] = {
    TT_ON(Door, ttsc__open),
    TT_ON(Door, ttsc__close),
    TT_ON(Door, ttsc__stop),
    TT_ON(Door, ttsc__nested),
    TT_ON(Door, ttsc__nested_run),
};

static const tt_class Door_class = {
    .name = "Door",
    .handlers = door_handlers,
    .n_handlers = TT_COUNTOF(door_handlers),
};

/* An unknown sparkle: -TT_ENOSPARKLE naming it, with the nearest name. */
static void test_unknown_sparkle(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *door = tt_tonic_new(cat, &Door_class, "Door", NULL);
    size_t queued = tt_queue_length(cat);

    (void)state;
    assert_int_equal(tt_send(door, "ttsc__opne"), -TT_ENOSPARKLE);
    cu_expect_contains(tt_catalyst_errmsg(cat), "Door");
    cu_expect_contains(tt_catalyst_errmsg(cat), "\"ttsc__opne\"");
    cu_expect_contains(tt_catalyst_errmsg(cat), "did you mean \"ttsc__open\"");
    assert_int_equal(tt_send(door, "ttsc__clsoe"), -TT_ENOSPARKLE);
    cu_expect_contains(tt_catalyst_errmsg(cat), "did you mean \"ttsc__close\"");
    assert_int_equal(tt_send(door, "ttsc__helicopter_landing"), -TT_ENOSPARKLE);
    assert_null(strstr(tt_catalyst_errmsg(cat), "did you mean"));
    /* a sparkle of another class is unknown here */
    assert_int_equal(tt_send(tt_catalyst_tonic(cat), "ttsc__open"), -TT_ENOSPARKLE);
    assert_int_equal(tt_send(door, ""), -TT_ENOSPARKLE);
    assert_int_equal(tt_queue_length(cat), queued);
    tt_catalyst_free(cat);
}

/* Posting to a tonic that finished: a dead letter, queued and traced with
 * id -1 and TT_EF_DROPPED, never run; the call returns TT_DEAD_LETTER. */
static void test_post_to_finished(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *door = tt_tonic_new(cat, &Door_class, "Door", NULL);
    tt_tonic *other = tt_tonic_new(cat, &Door_class, "Other", NULL);

    (void)state;
    cu_all(cat);
    assert_int_equal(tt_send(door, "ttsc__stop"), 0);
    cu_all(cat);
    assert_int_equal(tt_tonic_id(door), -1);
    assert_false(tt_catalyst_finished(cat)); /* Other still runs */
    assert_int_equal(tt_send(door, "ttsc__open"), TT_DEAD_LETTER);
    cu_expect_contains(tt_catalyst_errmsg(cat), "Door");
    cu_expect_contains(tt_catalyst_errmsg(cat), "dead letter");
    assert_int_equal(tt_post_from(door, "ttsc__open", NULL, 0, "ttdb"), TT_DEAD_LETTER);
    assert_int_equal(tt_finish_from_base(door), -TT_EFINISHED);
    assert_int_equal(tt_finish(door), 0); /* nothing to do */
    assert_int_equal(tt_queue_length(cat), 2);
    /* still checked: a wrong name is an error, not a dead letter */
    assert_int_equal(tt_send(door, "ttsc__nope"), -TT_ENOSPARKLE);
    assert_int_equal(tt_send(other, "ttsc__open"), 0);
    const tt_run *run = cu_all(cat);
    cu_expect_trace(cat, run, "Door.ttsc__open, Door.ttsc__open, Other.ttsc__open");
    for (int i = 0; i < 2; i++) {
        const tt_trace_entry *e = cu_entry(cat, run, (uint64_t)i);
        char json[512];
        FILE *f = fmemopen(json, sizeof json, "w");

        assert_int_equal(e->id, -1);
        assert_true(e->flags & TT_EF_DROPPED);
        assert_false(e->flags & TT_EF_IGNORED);
        assert_int_equal(tt_entry_write_json(cat, e, f, TT_JSON_EXTENSIONS), 0);
        fclose(f);
        cu_expect_contains(json, "\"id\": -1");
        cu_expect_contains(json, "\"ran\": \"dropped\"");
    }
    cu_expect_source(cat, cu_entry(cat, run, 1), NULL, "ttdb", -1);
    cu_expect_log("open;"); /* only Other's ran */
    tt_catalyst_free(cat);
}

/* After the catalyst finished: -TT_ECATFINISHED, no new tonics. */
static void test_after_catalyst_finished(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *door = tt_tonic_new(cat, &Door_class, "Door", NULL);
    const tt_run *run;

    (void)state;
    assert_int_equal(tt_send(door, "ttsc__stop"), 0);
    run = cu_all(cat);
    assert_string_equal(tt_run_status(run), "catalyst finished");
    assert_int_equal(tt_send(door, "ttsc__open"), -TT_ECATFINISHED);
    cu_expect_contains(tt_catalyst_errmsg(cat), "catalyst has finished");
    assert_int_equal(tt_send(tt_catalyst_tonic(cat), "ttsc__finish"), -TT_ECATFINISHED);
    assert_null(tt_tonic_new(cat, &Door_class, "Late", NULL));
    cu_expect_contains(tt_catalyst_errmsg(cat), "Late");
    cu_expect_contains(tt_catalyst_errmsg(cat), "catalyst has finished");
    run = cu_all(cat);
    assert_false(tt_run_has_trace(run));
    cu_expect_stops(run, 1, "catalyst finished");
    tt_catalyst_free(cat);
}

/* The Distiller API on a production catalyst, or from inside a sparkle. */
static void test_distiller_misuse(void **state)
{
    tt_catalyst *prod = cu_catalyst();
    tt_catalyst *cat = cu_distiller();
    tt_tonic *door = tt_tonic_new(cat, &Door_class, "Door", NULL);
    const tt_run *run = (const tt_run *)1;

    (void)state;
    assert_int_equal(tt_distiller_sparkle(prod, NULL, &run), -TT_ENOTDISTILLER);
    assert_null(run);
    cu_expect_contains(tt_catalyst_errmsg(prod), "distiller");
    assert_int_equal(tt_distiller_finish(prod, NULL, NULL), -TT_ENOTDISTILLER);
    assert_int_equal(tt_distiller_sparkle(NULL, NULL, NULL), -TT_EINVAL);
    assert_int_equal(tt_catalyst_new(NULL, NULL), -TT_EINVAL);
    assert_int_equal(tt_send(door, "ttsc__nested"), 0);
    cu_all(cat);
    cu_expect_log("nested TT_EBUSY;run NULL;");
    tt_catalyst_free(cat);
    tt_catalyst_free(prod);
}

/* tt_catalyst_run from inside a sparkle: -TT_EBUSY, the outer loop goes on
 * (recording or not). */
static void test_run_inside_sparkle(void **state)
{
    (void)state;
    for (int rec = 0; rec < 2; rec++) {
        tt_catalyst *cat = cu_catalyst();
        if (rec)
            assert_int_equal(tt_catalyst_record(cat, 10), 0);
        tt_tonic *door = tt_tonic_new(cat, &Door_class, "Door", NULL);
        assert_int_equal(tt_send(door, "ttsc__nested_run"), 0);
        assert_int_equal(tt_catalyst_run(cat), 0);
        cu_expect_log("nested run TT_EBUSY;");
        assert_true(tt_catalyst_finished(cat));
        tt_catalyst_free(cat);
    }
}

/* ======================================================================= */
/* Loading apps                                                            */
/* ======================================================================= */

/* Write `text` to a new file in the current directory; returns its name. */
static char *temp_file(const char *suffix, const char *text)
{
    char *name = malloc(64);
    FILE *f;

    assert_non_null(name);
    snprintf(name, 64, "tt-badinput-%ld%s", (long)getpid(), suffix);
    f = fopen(name, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return name;
}

/* tt_app_load: -TT_EDLOPEN or -TT_ENOFORMULA with a message naming what. */
static void expect_load_error(const char *path, int code, const char *needle)
{
    tt_app *app = (tt_app *)1;
    tt_error err = {0};

    assert_int_equal(tt_app_load(path, &app, &err), code);
    assert_null(app);
    assert_int_equal(err.code, code);
    if (path)
        cu_expect_contains(err.msg, path);
    if (needle)
        cu_expect_contains(err.msg, needle);
    printf("# %s\n", err.msg);
}

/* A missing file, a directory, a text file, an empty libtool archive. */
static void test_load_not_a_module(void **state)
{
    char *text = temp_file(".so", "this is not a shared object\n");
    char *la = temp_file(".la", "# a libtool archive without a shared object\ndlname=''\n");

    (void)state;
    expect_load_error("no-such-module.so", -TT_EDLOPEN, "No such file");
    expect_load_error("no-such-module.la", -TT_EDLOPEN, NULL);
    expect_load_error(".", -TT_EDLOPEN, "directory");
    expect_load_error(text, -TT_EDLOPEN, "cannot load");
    expect_load_error(la, -TT_EDLOPEN, "dlname");
    assert_int_equal(tt_app_load(NULL, &(tt_app *){NULL}, NULL), -TT_EINVAL);
    unlink(text);
    unlink(la);
    free(text);
    free(la);
}

/* A shared object without the formula symbol: -TT_ENOFORMULA. */
static void test_load_no_formula(void **state)
{
    const char *top = getenv("top_builddir");
    char path[4096];

    (void)state;
    if (!top) {
        printf("# top_builddir is not set: no check module to load\n");
        skip();
    }
    snprintf(path, sizeof path, "%s/tests/mod-noformula.la", top);
    expect_load_error(path, -TT_ENOFORMULA, "tt_formula");
    snprintf(path, sizeof path, "%s/tests/.libs/mod-noformula.so", top);
    expect_load_error(path, -TT_ENOFORMULA, "TT_FORMULA");
}

/* A module built against another tasktonic.h, or before the ABI version
 * existed: refused before its tables are read. */
static void test_load_other_abi(void **state)
{
    const char *top = getenv("top_builddir");
    char path[4096], want[128];

    (void)state;
    if (!top) {
        printf("# top_builddir is not set: no check module to load\n");
        skip();
    }
    snprintf(path, sizeof path, "%s/tests/mod-oldabi.la", top);
    snprintf(want, sizeof want,
             ": built against tasktonic ABI 99, this libtasktonic has %d: "
             "rebuild the module", TT_ABI_VERSION);
    expect_load_error(path, -TT_EDLOPEN, want);
    snprintf(path, sizeof path, "%s/tests/mod-noabi.la", top);
    expect_load_error(path, -TT_EDLOPEN,
                      "built against tasktonic ABI 1 (it has no tt_module_abi)");
}

/* ======================================================================= */
/* Error codes                                                             */
/* ======================================================================= */

/* Every code has a message and a name; both signs work. */
static void test_strerror(void **state)
{
    (void)state;
    assert_string_equal(tt_strerror(-TT_ENOSPARKLE), "unknown sparkle");
    assert_string_equal(tt_strerror(TT_ENOSPARKLE), "unknown sparkle");
    assert_string_equal(tt_err_name(-TT_EFINISHED), "TT_EFINISHED");
    assert_string_equal(tt_err_name(TT_ECATFINISHED), "TT_ECATFINISHED");
    assert_string_equal(tt_err_name(0), "TT_OK");
    assert_string_equal(tt_strerror(0), "success");
    assert_string_equal(tt_strerror(-12345), "unknown error");
    assert_string_equal(tt_strerror(-2147483647 - 1), "unknown error");
    for (int c = TT_ENOMEM; c <= TT_ERANGE; c++) {
        assert_string_not_equal(tt_strerror(-c), "unknown error");
        assert_int_equal(strncmp(tt_err_name(-c), "TT_E", 4), 0);
        for (int d = TT_ENOMEM; d < c; d++) {
            assert_string_not_equal(tt_err_name(c), tt_err_name(d));
            assert_string_not_equal(tt_strerror(c), tt_strerror(d));
        }
    }
}

/* Out-of-range values are refused, not turned into undefined behaviour:
 * a timer period beyond 1e12 s, a handler name beyond 200 characters. */
static void Long_ttsc__x(tt_tonic *self) { (void)self; }
static void Long_ttse__on_timer(tt_tonic *self, const tt_timer_info *i) { (void)self, (void)i; }
static void test_limits(void **state)
{
    (void)state;
    tt_catalyst *cat = cu_distiller();
    static const tt_handler h[] = {TT_ON(Long, ttsc__x),
                                   TT_ON(Long, ttse__on_timer, const tt_timer_info *)};
    static const tt_class c = {.name = "Long", .handlers = h, .n_handlers = 2};
    tt_tonic *t = tt_tonic_new(cat, &c, "Long", NULL);
    assert_non_null(t);
    assert_non_null(tt_timer_new(t, TT_TIMER_SINGLE_SHOT, 1e12, NULL, NULL)); /* the limit */
    assert_null(tt_timer_new(t, TT_TIMER_SINGLE_SHOT, 1e300, NULL, NULL));
    assert_int_equal(tt_err_name(-TT_EINVAL)[0], 'T');
    assert_non_null(strstr(tt_catalyst_errmsg(cat), "bad kind or period"));
    assert_null(tt_timer_new(t, TT_TIMER_REPEAT, 1.0 / 0.0, NULL, NULL));

    char name[300];
    memset(name, 'a', sizeof name - 1);
    memcpy(name, "ttsc__", 6);
    name[sizeof name - 1] = '\0';
    tt_handler lh = {name, (tt_fn)Long_ttsc__x, 0, {0}};
    tt_class lc = {.name = "Longer", .handlers = &lh, .n_handlers = 1};
    tt_error err;
    assert_int_equal(tt_class_check(&lc, &err), -TT_EBADNAME);
    assert_non_null(strstr(err.msg, "longer than 200 characters"));
    tt_catalyst_free(cat);
}

/* A field probe must lie within the class's data: an offset past data_size
 * would read (and a string probe follow) memory the tonic does not own. */
static void test_probe_past_data(void **state)
{
    (void)state;
    typedef struct small {
        int64_t a;
    } small;
    static const tt_probe_def past[] = {{"far", TT_PK_I64, 64, NULL}};
    tt_class c = {.name = "Small", .data_size = sizeof(small), .probes = past, .n_probes = 1};
    expect_bad_class(&c, -TT_EINVAL, "probe \"far\" reads 8 bytes at offset 64",
                     "past the 8 bytes");
    static const tt_probe_def straddle[] = {{"half", TT_PK_I64, 4, NULL}};
    c.probes = straddle;
    expect_bad_class(&c, -TT_EINVAL, "probe \"half\"", "data_size");
    static const tt_probe_def fine[] = {TT_PROBE(small, a)};
    c.probes = fine;
    tt_error err;
    assert_int_equal(tt_class_check(&c, &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_bad_names, cu_setup),
        cmocka_unit_test_setup(test_name_not_text, cu_setup),
        cmocka_unit_test_setup(test_probe_past_data, cu_setup),
        cmocka_unit_test_setup(test_reserved_names, cu_setup),
        cmocka_unit_test_setup(test_duplicate_handlers, cu_setup),
        cmocka_unit_test_setup(test_bad_types, cu_setup),
        cmocka_unit_test_setup(test_signature_mismatch, cu_setup),
        cmocka_unit_test_setup(test_hook_signature, cu_setup),
        cmocka_unit_test_setup(test_missing_class, cu_setup),
        cmocka_unit_test_setup(test_unknown_sparkle, cu_setup),
        cmocka_unit_test_setup(test_post_to_finished, cu_setup),
        cmocka_unit_test_setup(test_after_catalyst_finished, cu_setup),
        cmocka_unit_test_setup(test_distiller_misuse, cu_setup),
        cmocka_unit_test_setup(test_run_inside_sparkle, cu_setup),
        cmocka_unit_test_setup(test_load_not_a_module, cu_setup),
        cmocka_unit_test_setup(test_load_no_formula, cu_setup),
        cmocka_unit_test_setup(test_load_other_abi, cu_setup),
        cmocka_unit_test_setup(test_strerror, cu_setup),
        cmocka_unit_test_setup(test_limits, cu_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
