/*
 * test-notes.c: what the library refuses inside a sparkle shows on its
 * trace entry, and dead letters are traced.
 *
 * - A to_state to a state the class lacks is ignored (as in Python) and
 *   noted: "to_state: no state 'ajar'" (tt_entry_note, TT_EF_NOTE, JSON
 *   "note", the text line).
 * - A tt_timer_new or tt_tonic_new that fails inside a sparkle is noted with
 *   the library's message and flagged TT_EF_ERROR; with stop_on_error the
 *   run stops with "error: TONIC.SPARKLE: MESSAGE".
 * - Outside a sparkle nothing is noted (the caller has the return value).
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

/* Door: states open and closed; sparkles that ask for impossible things. */
static void Door_ttsc_open__close(tt_tonic *self) { tt_to_state(self, "closed"); }
static void Door_ttsc_closed__open(tt_tonic *self) { tt_to_state(self, "open"); }
static void Door_ttsc__ajar(tt_tonic *self)
{
    tt_to_state(self, "ajar");
    tt_to_state(self, "half");
}
static void Door_ttsc__bad_timer(tt_tonic *self)
{
    cu_log("timer %s", tt_timer_new(self, TT_TIMER_REPEAT, 0.0, NULL, NULL) ? "made" : "refused");
}
static void Door_ttsc__bad_tonic(tt_tonic *self)
{
    cu_log("tonic %s", tt_tonic_new(tt_tonic_catalyst(self), NULL, "X", NULL) ? "made" : "refused");
}
static void Door_ttsc__after(tt_tonic *self) { (void)self; cu_log("after"); }

static const tt_handler door_handlers[] = {
    TT_ON(Door, ttsc_open__close),  TT_ON(Door, ttsc_closed__open),
    TT_ON(Door, ttsc__ajar),        TT_ON(Door, ttsc__bad_timer),
    TT_ON(Door, ttsc__bad_tonic),   TT_ON(Door, ttsc__after),
};

static const tt_class Door_class = {
    .name = "Door",
    .handlers = door_handlers,
    .n_handlers = TT_COUNTOF(door_handlers),
};

/* A started Door in no state. */
static tt_catalyst *door_setup(tt_tonic **door)
{
    tt_catalyst *cat = cu_distiller();

    *door = tt_tonic_new(cat, &Door_class, "Door", NULL);
    assert_non_null(*door);
    cu_all(cat);
    cu_log_reset();
    return cat;
}

/* The entry as JSON with extensions, into buf. */
static void entry_json(tt_catalyst *cat, const tt_trace_entry *e, char *buf, size_t size)
{
    FILE *f = fmemopen(buf, size, "w");

    assert_non_null(f);
    assert_int_equal(tt_entry_write_json(cat, e, f, TT_JSON_EXTENSIONS), 0);
    fclose(f);
}

/* to_state to an unknown state: ignored, noted on the entry that asked. */
static void test_unknown_state_noted(void **state)
{
    tt_tonic *door;
    tt_catalyst *cat = door_setup(&door);
    const tt_trace_entry *e;
    char buf[1024];

    (void)state;
    assert_int_equal(tt_send(door, "ttsc__ajar"), 0);
    assert_int_equal(tt_post(door, "ttsc__to_state", (tt_value[]){TT_STR("shut")}, 1), 0);
    const tt_run *run = cu_all(cat);
    cu_expect_trace(cat, run, "Door.ttsc__ajar, Door.ttsc__to_state"); /* no extras */
    e = cu_entry(cat, run, 0);
    assert_true(e->flags & TT_EF_NOTE);
    assert_false(e->flags & TT_EF_ERROR);
    assert_string_equal(tt_entry_note(cat, e), "to_state: no state 'ajar'; to_state: no state 'half'");
    entry_json(cat, e, buf, sizeof buf);
    cu_expect_contains(buf, "\"note\": \"to_state: no state 'ajar'; to_state: no state 'half'\"");
    tt_entry_format(cat, e, buf, sizeof buf);
    cu_expect_contains(buf, "  [note: to_state: no state 'ajar'");
    /* the built-in ttsc__to_state notes it the same way */
    assert_string_equal(tt_entry_note(cat, cu_entry(cat, run, 1)), "to_state: no state 'shut'");
    cu_expect_stops(run, 1, "idle");
    /* an entry without a note */
    assert_int_equal(tt_send(door, "ttsc__after"), 0);
    run = cu_all(cat);
    assert_null(tt_entry_note(cat, cu_entry(cat, run, 0)));
    entry_json(cat, cu_entry(cat, run, 0), buf, sizeof buf);
    assert_null(strstr(buf, "\"note\""));
    /* outside a sparkle: only the return value */
    assert_int_equal(tt_to_state(door, "ajar"), -TT_ENOSTATE);
    assert_int_equal(tt_queue_length(cat), 0);
    tt_catalyst_free(cat);
}

/* A failed tt_timer_new / tt_tonic_new: noted as an error; the run goes on
 * when stop_on_error is off (the library's default). */
static void test_failed_creation_noted(void **state)
{
    tt_tonic *door;
    tt_catalyst *cat = door_setup(&door);
    const tt_trace_entry *e;

    (void)state;
    assert_int_equal(tt_send(door, "ttsc__bad_timer"), 0);
    assert_int_equal(tt_send(door, "ttsc__bad_tonic"), 0);
    assert_int_equal(tt_send(door, "ttsc__after"), 0);
    const tt_run *run = cu_all(cat);
    cu_expect_stops(run, 1, "idle");
    cu_expect_log("timer refused;tonic refused;after;");
    e = cu_entry(cat, run, 0);
    assert_true(e->flags & TT_EF_ERROR);
    assert_string_equal(tt_entry_note(cat, e), "tt_timer_new: timer: bad kind or period 0");
    e = cu_entry(cat, run, 1);
    assert_true(e->flags & TT_EF_ERROR);
    assert_string_equal(tt_entry_note(cat, e), "tt_tonic_new: no class given");
    tt_catalyst_free(cat);
}

/* stop_on_error: the run stops after the sparkle with
 * "error: TONIC.SPARKLE: MESSAGE"; the next run goes on from there. */
static void test_stop_on_error(void **state)
{
    tt_tonic *door;
    tt_catalyst *cat = door_setup(&door);

    (void)state;
    assert_int_equal(tt_distiller_set_stop_on_error(cat, true), 0);
    assert_int_equal(tt_send(door, "ttsc__ajar"), 0); /* a note, not an error */
    assert_int_equal(tt_send(door, "ttsc__bad_timer"), 0);
    assert_int_equal(tt_send(door, "ttsc__after"), 0);
    const tt_run *run = cu_all(cat);
    cu_expect_trace(cat, run, "Door.ttsc__ajar, Door.ttsc__bad_timer");
    cu_expect_stops(run, 1, "error: Door.ttsc__bad_timer: tt_timer_new: timer: bad kind or period 0");
    run = cu_all(cat);
    cu_expect_trace(cat, run, "Door.ttsc__after");
    assert_int_equal(tt_distiller_set_stop_on_error(NULL, true), -TT_EINVAL);
    tt_catalyst_free(cat);

    /* the same through the options */
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER, .stop_on_error = true};
    assert_int_equal(tt_catalyst_new(&cat, &o), 0);
    door = tt_tonic_new(cat, &Door_class, "Door", NULL);
    cu_all(cat);
    assert_int_equal(tt_send(door, "ttsc__bad_tonic"), 0);
    run = cu_all(cat);
    cu_expect_stops(run, 1, "error: Door.ttsc__bad_tonic: tt_tonic_new: no class given");
    tt_catalyst_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_unknown_state_noted, cu_setup),
        cmocka_unit_test_setup(test_failed_creation_noted, cu_setup),
        cmocka_unit_test_setup(test_stop_on_error, cu_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
