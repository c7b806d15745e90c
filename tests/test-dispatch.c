/*
 * test-dispatch.c: late state binding and state transitions.
 *
 * The handler of an order is chosen when the order runs: the one for the
 * current state, else the generic one, else nothing (a traced no-op).  In no
 * state, a state-aware sparkle runs its generic handler if there is one
 * (deliberate difference 1 from Python).  `to_state` defers the change: after
 * the running sparkle, the extra sparkles `ttse__on_exit` (old state),
 * `_ttinternal_state_change_to(index)` and `ttse__on_enter` (new state) run
 * before any other order.
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
/* Door: states closed(0), locked(1), open(2)                              */
/* ======================================================================= */

static int last_rc; /* what the last ttsc__go / ttsc__force got from to_state */

static void Door_ttsc__open(tt_tonic *self)
{
    cu_log("open: generic");
    tt_to_state(self, "open");
}

static void Door_ttsc_locked__open(tt_tonic *self)
{
    (void)self;
    cu_log("open: locked (refused)");
}

static void Door_ttsc__close(tt_tonic *self)
{
    cu_log("close: generic");
    tt_to_state(self, "closed");
}

static void Door_ttsc_closed__lock(tt_tonic *self)
{
    cu_log("lock: closed");
    tt_to_state(self, "locked");
}

static void Door_ttsc_locked__unlock(tt_tonic *self)
{
    cu_log("unlock: locked");
    tt_to_state(self, "closed");
}

static void Door_ttsc_open__knock(tt_tonic *self)
{
    (void)self;
    cu_log("knock: open");
}

static void Door_ttse__on_enter(tt_tonic *self)
{
    cu_log("enter: generic in %s", tt_tonic_state_name(self));
}

static void Door_ttse_open__on_enter(tt_tonic *self)
{
    (void)self;
    cu_log("enter: open");
}

static void Door_ttse__on_exit(tt_tonic *self)
{
    cu_log("exit: generic in %s", tt_tonic_state_name(self));
}

static void Door_ttse_locked__on_exit(tt_tonic *self)
{
    (void)self;
    cu_log("exit: locked");
}

/* Go to a state given by name. */
static void Door_ttsc__go(tt_tonic *self, const char *state)
{
    last_rc = tt_to_state(self, state);
}

/* Two state changes in one sparkle. */
static void Door_ttsc__twice(tt_tonic *self, const char *a, const char *b)
{
    tt_to_state(self, a);
    tt_to_state(self, b);
}

/* Forced (re-)entry. */
static void Door_ttsc__force(tt_tonic *self, const char *state)
{
    last_rc = tt_to_state_force(self, state);
}

static const tt_handler door_handlers[] = {
    TT_ON(Door, ttsc__open),
    TT_ON(Door, ttsc_locked__open),
    TT_ON(Door, ttsc__close),
    TT_ON(Door, ttsc_closed__lock),
    TT_ON(Door, ttsc_locked__unlock),
    TT_ON(Door, ttsc_open__knock),
    TT_ON(Door, ttse__on_enter),
    TT_ON(Door, ttse_open__on_enter),
    TT_ON(Door, ttse__on_exit),
    TT_ON(Door, ttse_locked__on_exit),
    TT_ON(Door, ttsc__go, const char *),
    TT_ON(Door, ttsc__twice, const char *, const char *),
    TT_ON(Door, ttsc__force, const char *),
};

static const tt_class Door_class = {
    .name = "Door",
    .handlers = door_handlers,
    .n_handlers = TT_COUNTOF(door_handlers),
};

/* ======================================================================= */
/* Chain: an on_enter that changes state again and queues an order         */
/* ======================================================================= */

static void Chain_ttsc__start(tt_tonic *self) { tt_to_state(self, "a"); }

static void Chain_ttse_a__on_enter(tt_tonic *self)
{
    cu_log("enter a");
    assert_int_equal(tt_send(self, "ttsc__ping"), 0);
    tt_to_state(self, "b");
}

static void Chain_ttse_b__on_enter(tt_tonic *self) { (void)self; cu_log("enter b"); }
static void Chain_ttse_a__on_exit(tt_tonic *self) { (void)self; cu_log("exit a"); }
static void Chain_ttsc__ping(tt_tonic *self) { cu_log("ping in %s", tt_tonic_state_name(self)); }
static void Chain_ttsc__other(tt_tonic *self) { cu_log("other in %s", tt_tonic_state_name(self)); }

static const tt_handler chain_handlers[] = {
    TT_ON(Chain, ttsc__start),    TT_ON(Chain, ttse_a__on_enter), TT_ON(Chain, ttse_b__on_enter),
    TT_ON(Chain, ttse_a__on_exit), TT_ON(Chain, ttsc__ping),       TT_ON(Chain, ttsc__other),
};

static const tt_class Chain_class = {
    .name = "Chain",
    .handlers = chain_handlers,
    .n_handlers = TT_COUNTOF(chain_handlers),
};

/* ======================================================================= */
/* Helpers                                                                 */
/* ======================================================================= */

/* A Distiller with a started Door (in no state); the log is empty. */
static tt_catalyst *door_setup(tt_tonic **door)
{
    tt_catalyst *cat = cu_distiller();

    *door = tt_tonic_new(cat, &Door_class, "Door", NULL);
    assert_non_null(*door);
    cu_all(cat);
    assert_int_equal(tt_tonic_state(*door), -1);
    cu_log_reset();
    return cat;
}

/* Queue a sparkle without arguments and run until idle. */
static const tt_run *send_run(tt_catalyst *cat, tt_tonic *t, const char *sparkle)
{
    assert_int_equal(tt_post(t, sparkle, NULL, 0), 0);
    return cu_all(cat);
}

/* The same with one string argument. */
static const tt_run *send_run_s(tt_catalyst *cat, tt_tonic *t, const char *sparkle,
                                const char *arg)
{
    assert_int_equal(tt_send(t, sparkle, TT_STR(arg)), 0);
    return cu_all(cat);
}

/* ======================================================================= */
/* Late state binding                                                      */
/* ======================================================================= */

/* Specific handler first, then the generic one, then a traced no-op. */
static void test_fallback_chain(void **state)
{
    tt_tonic *door;
    tt_catalyst *cat = door_setup(&door);
    const tt_run *run;

    (void)state;
    send_run(cat, door, "ttsc__close");
    send_run(cat, door, "ttsc__lock");
    assert_string_equal(tt_tonic_state_name(door), "locked");
    cu_log_reset();

    run = send_run(cat, door, "ttsc__open"); /* specific in locked */
    cu_expect_trace(cat, run, "Door.ttsc__open");
    cu_expect_log("open: locked (refused);");
    assert_int_equal(cu_entry(cat, run, 0)->flags & (TT_EF_NOHANDLER | TT_EF_IGNORED), 0);

    run = send_run(cat, door, "ttsc__knock"); /* no handler in locked */
    cu_expect_trace(cat, run, "Door.ttsc__knock");
    cu_expect_log("");
    assert_true(cu_entry(cat, run, 0)->flags & TT_EF_NOHANDLER);
    assert_string_equal(tt_entry_state_enter(cat, cu_entry(cat, run, 0)), "locked");
    assert_string_equal(tt_entry_state_exit(cat, cu_entry(cat, run, 0)), "locked");

    send_run(cat, door, "ttsc__unlock");
    cu_log_reset();
    run = send_run(cat, door, "ttsc__open"); /* generic in closed */
    cu_expect_log("open: generic;exit: generic in closed;enter: open;");
    assert_string_equal(tt_tonic_state_name(door), "open");
    tt_catalyst_free(cat);
}

/* In no state: the generic handler if any, else nothing (difference 1). */
static void test_no_state_uses_generic(void **state)
{
    tt_tonic *door;
    tt_catalyst *cat = door_setup(&door);
    const tt_run *run;

    (void)state;
    run = send_run(cat, door, "ttsc__knock");
    cu_expect_trace(cat, run, "Door.ttsc__knock");
    cu_expect_log(""); /* Python would run the last state's (open) handler */
    assert_true(cu_entry(cat, run, 0)->flags & TT_EF_NOHANDLER);
    assert_string_equal(tt_entry_state_enter(cat, cu_entry(cat, run, 0)), "--");

    send_run(cat, door, "ttsc__lock"); /* only closed has it: nothing */
    cu_expect_log("");
    assert_int_equal(tt_tonic_state(door), -1);

    run = send_run(cat, door, "ttsc__open"); /* generic exists: it runs */
    cu_expect_log("open: generic;enter: open;");
    tt_catalyst_free(cat);
}

/* The handler is chosen when the order runs, not when it was queued. */
static void test_binding_when_run(void **state)
{
    tt_tonic *door;
    tt_catalyst *cat = door_setup(&door);

    (void)state;
    send_run(cat, door, "ttsc__close");
    cu_log_reset();
    /* both queued while closed; open runs after lock took effect */
    assert_int_equal(tt_send(door, "ttsc__lock"), 0);
    assert_int_equal(tt_send(door, "ttsc__open"), 0);
    assert_int_equal(tt_send(door, "ttsc__unlock"), 0);
    assert_int_equal(tt_send(door, "ttsc__unlock"), 0); /* closed now: no-op */
    cu_all(cat);
    cu_expect_log("lock: closed;exit: generic in closed;enter: generic in locked;"
                  "open: locked (refused);"
                  "unlock: locked;exit: locked;enter: generic in closed;");
    tt_catalyst_free(cat);
}

/* ======================================================================= */
/* Transitions                                                             */
/* ======================================================================= */

/* exit (old state), change_to(index), enter (new state), all extras. */
static void test_transition_order(void **state)
{
    tt_tonic *door;
    tt_catalyst *cat = door_setup(&door);
    const tt_run *run;
    const tt_trace_entry *e;

    (void)state;
    send_run(cat, door, "ttsc__close");
    cu_log_reset();
    run = send_run(cat, door, "ttsc__open");
    cu_expect_trace(cat, run,
                    "Door.ttsc__open, Door.ttse__on_exit, Door._ttinternal_state_change_to, "
                    "Door.ttse__on_enter");
    cu_expect_log("open: generic;exit: generic in closed;enter: open;");

    e = cu_entry(cat, run, 0); /* the change is deferred */
    assert_string_equal(tt_entry_state_enter(cat, e), "closed");
    assert_string_equal(tt_entry_state_exit(cat, e), "closed");
    assert_false(e->flags & TT_EF_EXTRA);

    e = cu_entry(cat, run, 1);
    assert_true(e->flags & TT_EF_EXTRA);
    assert_string_equal(tt_entry_state_exit(cat, e), "closed");

    e = cu_entry(cat, run, 2);
    assert_true(e->flags & TT_EF_EXTRA);
    assert_int_equal(e->nargs, 1);
    assert_int_equal(e->args[0].type, TT_T_INT);
    assert_int_equal(e->args[0].u.i, 2); /* open is state 2 */
    assert_string_equal(tt_entry_state_enter(cat, e), "closed");
    assert_string_equal(tt_entry_state_exit(cat, e), "open");

    e = cu_entry(cat, run, 3);
    assert_true(e->flags & TT_EF_EXTRA);
    assert_string_equal(tt_entry_state_enter(cat, e), "open");

    /* extras carry the source of the order they belong to (external here) */
    for (uint64_t i = 0; i < 4; i++)
        cu_expect_source(cat, cu_entry(cat, run, i), NULL, "", -1);
    tt_catalyst_free(cat);
}

/* From no state there is no on_exit. */
static void test_first_state_no_exit(void **state)
{
    tt_tonic *door;
    tt_catalyst *cat = door_setup(&door);
    const tt_run *run;

    (void)state;
    run = send_run_s(cat, door, "ttsc__go", "locked");
    cu_expect_trace(cat, run,
                    "Door.ttsc__go, Door._ttinternal_state_change_to, Door.ttse__on_enter");
    assert_int_equal(cu_entry(cat, run, 1)->args[0].u.i, 1);
    cu_expect_log("enter: generic in locked;");
    assert_int_equal(last_rc, 0);
    tt_catalyst_free(cat);
}

/* Two to_state calls in one sparkle both see the old state. */
static void test_two_changes_in_one_sparkle(void **state)
{
    tt_tonic *door;
    tt_catalyst *cat = door_setup(&door);
    const tt_run *run;

    (void)state;
    assert_int_equal(tt_send(door, "ttsc__twice", TT_STR("closed"), TT_STR("open")), 0);
    run = cu_all(cat);
    cu_expect_trace(cat, run,
                    "Door.ttsc__twice, Door._ttinternal_state_change_to, Door.ttse__on_enter, "
                    "Door._ttinternal_state_change_to, Door.ttse__on_enter");
    assert_int_equal(cu_entry(cat, run, 1)->args[0].u.i, 0);
    assert_int_equal(cu_entry(cat, run, 3)->args[0].u.i, 2);
    cu_expect_log("enter: generic in closed;enter: open;");
    assert_string_equal(tt_tonic_state_name(door), "open");

    /* from a state each change leaves "the" state again */
    assert_int_equal(tt_send(door, "ttsc__twice", TT_STR("locked"), TT_STR("closed")), 0);
    run = cu_all(cat);
    cu_expect_trace(cat, run,
                    "Door.ttsc__twice, Door.ttse__on_exit, Door._ttinternal_state_change_to, "
                    "Door.ttse__on_enter, Door.ttse__on_exit, Door._ttinternal_state_change_to, "
                    "Door.ttse__on_enter");
    cu_expect_log("exit: generic in open;enter: generic in locked;exit: locked;"
                  "enter: generic in closed;");
    tt_catalyst_free(cat);
}

/* The current state without force and an unknown state are ignored. */
static void test_same_and_unknown_state(void **state)
{
    tt_tonic *door;
    tt_catalyst *cat = door_setup(&door);
    const tt_run *run;

    (void)state;
    send_run(cat, door, "ttsc__close");
    cu_log_reset();

    run = send_run_s(cat, door, "ttsc__go", "closed");
    cu_expect_trace(cat, run, "Door.ttsc__go");
    assert_int_equal(last_rc, 0);

    run = send_run_s(cat, door, "ttsc__go", "ajar");
    cu_expect_trace(cat, run, "Door.ttsc__go");
    assert_int_equal(last_rc, -TT_ENOSTATE);
    cu_expect_contains(tt_catalyst_errmsg(cat), "ajar");
    assert_string_equal(tt_tonic_state_name(door), "closed");
    cu_expect_log("");

    /* forced re-entry of the current state */
    run = send_run_s(cat, door, "ttsc__force", "closed");
    cu_expect_trace(cat, run,
                    "Door.ttsc__force, Door.ttse__on_exit, Door._ttinternal_state_change_to, "
                    "Door.ttse__on_enter");
    cu_expect_log("exit: generic in closed;enter: generic in closed;");
    assert_int_equal(last_rc, 0);
    tt_catalyst_free(cat);
}

/* The built-in ttsc__to_state, queued from outside with its optional flag. */
static void test_to_state_sparkle(void **state)
{
    tt_tonic *door;
    tt_catalyst *cat = door_setup(&door);
    const tt_run *run;

    (void)state;
    send_run(cat, door, "ttsc__open");
    cu_log_reset();
    assert_int_equal(tt_send(door, "ttsc__to_state", TT_STR("ajar")), 0);
    assert_int_equal(tt_send(door, "ttsc__to_state", TT_STR("open")), 0);
    assert_int_equal(tt_send(door, "ttsc__to_state", TT_STR("open"), TT_BOOL(true)), 0);
    run = cu_all(cat);
    cu_expect_trace(cat, run,
                    "Door.ttsc__to_state, Door.ttsc__to_state, Door.ttsc__to_state, "
                    "Door.ttse__on_exit, Door._ttinternal_state_change_to, Door.ttse__on_enter");
    cu_expect_log("exit: generic in open;enter: open;");
    tt_catalyst_free(cat);
}

/* Extras, including those added while draining, run before the next order;
 * an order queued by an extra goes to the back of the queue. */
static void test_extras_drain_first(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *chain = tt_tonic_new(cat, &Chain_class, "Chain", NULL);
    const tt_run *run;

    (void)state;
    assert_non_null(chain);
    cu_all(cat);
    assert_int_equal(tt_send(chain, "ttsc__start"), 0);
    assert_int_equal(tt_send(chain, "ttsc__other"), 0);
    run = cu_all(cat);
    cu_expect_trace(cat, run,
                    "Chain.ttsc__start, Chain._ttinternal_state_change_to, Chain.ttse__on_enter, "
                    "Chain.ttse__on_exit, Chain._ttinternal_state_change_to, "
                    "Chain.ttse__on_enter, Chain.ttsc__other, Chain.ttsc__ping");
    cu_expect_log("enter a;exit a;enter b;other in b;ping in b;");
    /* the nested extras still carry the source of `start` (external) */
    cu_expect_source(cat, cu_entry(cat, run, 4), NULL, "", -1);
    /* the ping was queued by on_enter: its source is that sparkle */
    cu_expect_source(cat, cu_entry(cat, run, 7), "Chain", "ttse__on_enter",
                     tt_tonic_id(chain));
    tt_catalyst_free(cat);
}

/* sparkle_count never splits a sparkle from its extras. */
static void test_count_keeps_extras(void **state)
{
    tt_tonic *door;
    tt_catalyst *cat = door_setup(&door);
    const tt_run *run;

    (void)state;
    send_run(cat, door, "ttsc__close");
    assert_int_equal(tt_send(door, "ttsc__open"), 0);
    assert_int_equal(tt_send(door, "ttsc__knock"), 0);
    run = cu_count(cat, 1);
    assert_int_equal(tt_run_entry_count(run), 4);
    cu_expect_stops(run, 1, "sparkle_count");
    run = cu_count(cat, 1);
    cu_expect_trace(cat, run, "Door.ttsc__knock");
    tt_catalyst_free(cat);
}

/* The internal extras cannot be queued by hand. */
static void test_internal_not_postable(void **state)
{
    tt_tonic *door;
    tt_catalyst *cat = door_setup(&door);

    (void)state;
    assert_int_equal(tt_send(door, "_ttinternal_state_change_to", TT_INT(0)), -TT_ENOSPARKLE);
    assert_int_equal(tt_send(door, "_ttinternal_state_machine_stop"), -TT_ENOSPARKLE);
    assert_int_equal(tt_queue_length(cat), 0);
    tt_catalyst_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_fallback_chain, cu_setup),
        cmocka_unit_test_setup(test_no_state_uses_generic, cu_setup),
        cmocka_unit_test_setup(test_binding_when_run, cu_setup),
        cmocka_unit_test_setup(test_transition_order, cu_setup),
        cmocka_unit_test_setup(test_first_state_no_exit, cu_setup),
        cmocka_unit_test_setup(test_two_changes_in_one_sparkle, cu_setup),
        cmocka_unit_test_setup(test_same_and_unknown_state, cu_setup),
        cmocka_unit_test_setup(test_to_state_sparkle, cu_setup),
        cmocka_unit_test_setup(test_extras_drain_first, cu_setup),
        cmocka_unit_test_setup(test_count_keeps_extras, cu_setup),
        cmocka_unit_test_setup(test_internal_not_postable, cu_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
