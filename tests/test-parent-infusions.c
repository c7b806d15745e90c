/*
 * test-parent-infusions.c: unit and integration tests of a tonic tree.
 *
 * examples/parent_infusions.c is compiled into this program, as a user's
 * test would compile the tonics it tests.
 *
 * Unit tests: the Parent gets mock children (MockChild takes work and never
 * answers); the test plays the children by injecting their events,
 * `Parent.ttse__on_child_done(child, item, result)`, from outside and cranks
 * the Distiller to see how the Parent reacts.
 *
 * Integration tests: the formula builds the real tree (Parent + Child1..3);
 * a contract waits for all of them to be ready, a command to the Parent runs
 * 50 sparkles of cascade down to the children and back up, then the batch
 * completes and the whole tree is finished down to the catalyst.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "parent_infusions.h"

/* The formula of the app (parent_infusions.c). */
int tt_formula(tt_catalyst *cat);

/* ===================================================================== */
/* A mock child                                                          */
/* ===================================================================== */

typedef struct MockChild {
    int work_received; /* ttsc__work orders taken */
    int64_t last_item;
} MockChild;

/* Take the work, answer nothing: the test answers in its place. */
static void MockChild_ttsc__work(tt_tonic *self, int64_t item)
{
    MockChild *d = TT_DATA(MockChild, self);

    d->work_received++;
    d->last_item = item;
}

static const tt_handler mock_handlers[] = {
    TT_ON(MockChild, ttsc__work, int64_t),
};

static const tt_probe_def mock_probes[] = {
    TT_PROBE(MockChild, work_received),
    TT_PROBE(MockChild, last_item),
};

static const tt_class MockChild_class = {
    .name = "MockChild",
    .data_size = sizeof(MockChild),
    .handlers = mock_handlers,
    .n_handlers = TT_COUNTOF(mock_handlers),
    .probes = mock_probes,
    .n_probes = TT_COUNTOF(mock_probes),
};

/* ===================================================================== */
/* Helpers                                                               */
/* ===================================================================== */

/* A fresh Distiller (virtual time). */
static tt_catalyst *new_distiller(void)
{
    tt_catalyst_options opts = {.mode = TT_MODE_DISTILLER};
    tt_catalyst *cat = NULL;

    assert_int_equal(tt_catalyst_new(&cat, &opts), 0);
    return cat;
}

/* Run with the given arguments; returns the run. */
static const tt_run *crank(tt_catalyst *cat, tt_sparkle_args a)
{
    const tt_run *r = NULL;

    assert_int_equal(tt_distiller_sparkle(cat, &a, &r), 0);
    assert_non_null(r);
    return r;
}

/* Whether the run's stop conditions contain `what`. */
static bool stopped_by(const tt_run *r, const char *what)
{
    for (size_t i = 0; i < tt_run_stop_count(r); i++)
        if (strcmp(tt_run_stop_at(r, i), what) == 0)
            return true;
    return false;
}

/* The i-th entry of a run. */
static const tt_trace_entry *entry(tt_catalyst *cat, const tt_run *r,
                                   uint64_t i)
{
    const tt_trace_entry *e;

    assert_true(i < tt_run_entry_count(r));
    e = tt_trace_get(cat, tt_run_first_seq(r) + i);
    assert_non_null(e);
    return e;
}

/* An int probe's current value. */
static int64_t probe_now(tt_tonic *t, const char *probe)
{
    tt_value v;
    int64_t x;

    assert_non_null(t);
    assert_int_equal(tt_tonic_probe_read(t, probe, &v), 0);
    assert_int_equal(v.type, TT_T_INT);
    x = v.u.i;
    tt_value_clear(&v);
    return x;
}

/* An int probe in a frozen snapshot. */
static int64_t snapshot_int(const tt_map *m, const char *probe)
{
    assert_non_null(m);
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->keys[i], probe) == 0) {
            assert_int_equal(m->vals[i].type, TT_T_INT);
            return m->vals[i].u.i;
        }
    fail_msg("probe %s missing from the snapshot", probe);
    return -1;
}

/* Inject what a child would send: Parent.ttse__on_child_done(...). */
static void inject_child_done(tt_tonic *parent, tt_tonic *child, int64_t item,
                              int64_t result)
{
    assert_int_equal(tt_send(parent, "ttse__on_child_done", TT_TONIC(child),
                             TT_INT(item), TT_INT(result)),
                     0);
}

/* ===================================================================== */
/* Unit tests: mocked infusions                                          */
/* ===================================================================== */

/* A Parent with three MockChild infusions, started, idle. */
typedef struct mocked {
    tt_catalyst *cat;
    tt_tonic *parent;
    tt_tonic *child[3];
} mocked;

static int setup_mocked(void **state)
{
    static const pi_config cfg = {3, &MockChild_class};
    static mocked m;
    const tt_run *r;

    memset(&m, 0, sizeof m);
    m.cat = new_distiller();
    m.parent = tt_tonic_new(m.cat, &Parent_class, "Parent", (void *)&cfg);
    if (!m.parent)
        return -1;
    /* Start-up: nothing else can happen afterwards, so it ends `idle`. */
    r = crank(m.cat, (tt_sparkle_args){0});
    if (!stopped_by(r, "idle"))
        return -1;
    for (int i = 0; i < 3; i++) {
        char name[16];

        snprintf(name, sizeof name, "Child%d", i + 1);
        m.child[i] = tt_tonic_by_name(m.cat, name);
        if (!m.child[i])
            return -1;
    }
    *state = &m;
    return 0;
}

static int teardown_mocked(void **state)
{
    mocked *m = *state;

    tt_catalyst_free(m->cat);
    return 0;
}

/* The mocks are the Parent's infusions and got the work, round-robin. */
static void test_mock_children_get_work(void **state)
{
    mocked *m = *state;

    assert_string_equal(tt_tonic_state_name(m->parent), "idle");
    assert_int_equal(tt_tonic_infusion_count(m->parent), 3);
    for (int i = 0; i < 3; i++) {
        assert_ptr_equal(tt_tonic_base(m->child[i]), m->parent);
        assert_string_equal(tt_tonic_class_name(m->child[i]), "MockChild");
    }

    assert_int_equal(tt_send(m->parent, "ttsc__run", TT_INT(5)), 0);
    crank(m->cat, (tt_sparkle_args){0});
    assert_string_equal(tt_tonic_state_name(m->parent), "busy");
    assert_int_equal(probe_now(m->parent, "pending"), 5);
    assert_int_equal(probe_now(m->child[0], "work_received"), 2); /* 1, 4 */
    assert_int_equal(probe_now(m->child[1], "work_received"), 2); /* 2, 5 */
    assert_int_equal(probe_now(m->child[2], "work_received"), 1); /* 3 */
    assert_int_equal(probe_now(m->child[1], "last_item"), 5);
}

/* Injected child events drive the Parent through a batch. */
static void test_injected_events_complete_batch(void **state)
{
    mocked *m = *state;
    tt_contract *c = tt_contract_new();
    const tt_run *r;
    const tt_trace_entry *e;

    assert_non_null(c);
    assert_int_equal(tt_contract_add_probe(c, NULL, "pending"), 0);
    assert_int_equal(tt_contract_add_probe(c, NULL, "total"), 0);

    assert_int_equal(tt_send(m->parent, "ttsc__run", TT_INT(3)), 0);
    crank(m->cat, (tt_sparkle_args){0});
    assert_string_equal(tt_tonic_state_name(m->parent), "busy");

    /* We are the first child: one result. */
    inject_child_done(m->parent, m->child[0], 1, 10);
    r = crank(m->cat, (tt_sparkle_args){.sparkle_count = 1, .contract = c});
    assert_int_equal(tt_run_entry_count(r), 1);
    e = entry(m->cat, r, 0);
    assert_string_equal(tt_entry_tonic_name(m->cat, e), "Parent");
    assert_string_equal(tt_entry_sparkle_name(m->cat, e), "ttse__on_child_done");
    assert_null(tt_entry_source_name(m->cat, e)); /* injected: external */
    assert_int_equal(e->nargs, 3);
    assert_int_equal(e->args[0].type, TT_T_TONIC);
    assert_ptr_equal(e->args[0].u.tonic, m->child[0]);
    assert_int_equal(snapshot_int(tt_entry_probes_enter(e), "pending"), 3);
    assert_int_equal(snapshot_int(tt_entry_probes_exit(e), "pending"), 2);
    assert_int_equal(snapshot_int(tt_entry_probes_exit(e), "total"), 10);
    assert_string_equal(tt_entry_state_exit(m->cat, e), "busy");

    /* The other two; the last one completes the batch.  sparkle_count=2
     * never stops inside its transition: 2 orders + 3 extras. */
    inject_child_done(m->parent, m->child[1], 2, 20);
    inject_child_done(m->parent, m->child[2], 3, 30);
    r = crank(m->cat, (tt_sparkle_args){.sparkle_count = 2, .contract = c});
    assert_true(stopped_by(r, "sparkle_count"));
    assert_int_equal(tt_run_entry_count(r), 5);
    assert_string_equal(tt_entry_sparkle_name(m->cat, entry(m->cat, r, 4)),
                        "ttse__on_enter");
    assert_string_equal(tt_tonic_state_name(m->parent), "idle");
    assert_int_equal(probe_now(m->parent, "pending"), 0);
    assert_int_equal(probe_now(m->parent, "received"), 3);
    assert_int_equal(probe_now(m->parent, "total"), 60);
    assert_int_equal(probe_now(m->parent, "batches"), 1);

    tt_contract_free(c);
}

/* A result while idle is stray: counted, nothing else changes. */
static void test_stray_event_is_ignored(void **state)
{
    mocked *m = *state;

    inject_child_done(m->parent, m->child[1], 7, 49);
    crank(m->cat, (tt_sparkle_args){.sparkle_count = 1});
    assert_string_equal(tt_tonic_state_name(m->parent), "idle");
    assert_int_equal(probe_now(m->parent, "stray"), 1);
    assert_int_equal(probe_now(m->parent, "total"), 0);
    assert_int_equal(probe_now(m->parent, "batches"), 0);
}

/* A second run while busy has no handler: traced, not run. */
static void test_run_while_busy_is_noop(void **state)
{
    mocked *m = *state;
    const tt_run *r;
    const tt_trace_entry *e;

    assert_int_equal(tt_send(m->parent, "ttsc__run", TT_INT(2)), 0);
    crank(m->cat, (tt_sparkle_args){0});
    assert_int_equal(tt_send(m->parent, "ttsc__run", TT_INT(9)), 0);
    r = crank(m->cat, (tt_sparkle_args){.sparkle_count = 1});
    assert_int_equal(tt_run_entry_count(r), 1);
    e = entry(m->cat, r, 0);
    assert_string_equal(tt_entry_sparkle_name(m->cat, e), "ttsc__run");
    assert_true(e->flags & TT_EF_NOHANDLER);
    assert_int_equal(probe_now(m->parent, "pending"), 2);
    assert_int_equal(probe_now(m->child[0], "work_received"), 1);
}

/* ===================================================================== */
/* Integration tests: the whole tree                                     */
/* ===================================================================== */

static int setup_tree(void **state)
{
    tt_catalyst *cat = new_distiller();

    if (tt_formula(cat) != 0)
        return -1;
    *state = cat;
    return 0;
}

static int teardown_tree(void **state)
{
    tt_catalyst_free(*state);
    return 0;
}

/* Everyone ready (stop_match_count "all"), 50 sparkles of cascade, the
 * batch completes, then the tree and the catalyst finish. */
static void test_whole_tree(void **state)
{
    tt_catalyst *cat = *state;
    tt_contract *ready = NULL, *batch_done = NULL;
    tt_error err = {0};
    const tt_run *r;
    tt_tonic *parent, *child[3];
    int match = 0, target = 0, works = 0, dones = 0;

    if (tt_contract_parse(
            "{\"stop_match_count\": \"all\", \"tonics\": {"
            " \"Parent\": {\"till_state_in\": [\"idle\"]},"
            " \"Child1\": {\"till_state_in\": [\"ready\"]},"
            " \"Child2\": {\"till_state_in\": [\"ready\"]},"
            " \"Child3\": {\"till_state_in\": [\"ready\"]}}}",
            "ready", &ready, &err) != 0)
        fail_msg("%s", err.msg);
    r = crank(cat, (tt_sparkle_args){.contract = ready});
    assert_true(stopped_by(r, "contract_met"));
    assert_true(tt_run_contract_met(r, &match, &target));
    assert_int_equal(match, 4);
    assert_int_equal(target, 4);

    parent = tt_tonic_by_name(cat, "Parent");
    assert_non_null(parent);
    for (int i = 0; i < 3; i++) {
        char name[16];

        snprintf(name, sizeof name, "Child%d", i + 1);
        child[i] = tt_tonic_by_name(cat, name);
        assert_non_null(child[i]);
        assert_ptr_equal(tt_tonic_base(child[i]), parent);
    }

    /* 30 items: run + 3 extras, 30 ttsc__work, then 16 of the 30 results. */
    assert_int_equal(tt_send(parent, "ttsc__run", TT_INT(30)), 0);
    r = crank(cat, (tt_sparkle_args){.sparkle_count = 50});
    assert_int_equal(tt_run_stop_count(r), 1);
    assert_string_equal(tt_run_stop_at(r, 0), "sparkle_count");
    assert_int_equal(tt_run_entry_count(r), 50);
    for (uint64_t i = 0; i < 50; i++) {
        const tt_trace_entry *e = entry(cat, r, i);
        const char *sp = tt_entry_sparkle_name(cat, e);

        if (strcmp(sp, "ttsc__work") == 0) {
            works++;
            assert_string_equal(tt_entry_source_name(cat, e), "Parent");
            assert_string_equal(tt_entry_source_sparkle(cat, e), "ttsc__run");
        } else if (strcmp(sp, "ttse__on_child_done") == 0) {
            dones++;
            assert_string_equal(tt_entry_tonic_name(cat, e), "Parent");
            assert_string_equal(tt_entry_source_sparkle(cat, e), "ttsc__work");
        }
    }
    assert_int_equal(works, 30);
    assert_int_equal(dones, 16);
    assert_string_equal(tt_tonic_state_name(parent), "busy");
    assert_int_equal(probe_now(parent, "received"), 16);
    assert_int_equal(probe_now(parent, "pending"), 14);
    assert_int_equal(probe_now(parent, "total"), 1496); /* 1^2 + .. + 16^2 */
    for (int i = 0; i < 3; i++)
        assert_int_equal(probe_now(child[i], "work_done"), 10);

    /* Until the batch is complete. */
    batch_done = tt_contract_new();
    assert_non_null(batch_done);
    assert_int_equal(tt_contract_add_till_state(batch_done, "Parent", "idle"), 0);
    r = crank(cat, (tt_sparkle_args){.contract = batch_done});
    assert_true(stopped_by(r, "contract_met"));
    assert_int_equal(probe_now(parent, "total"), 9455); /* 1^2 + .. + 30^2 */
    assert_int_equal(probe_now(parent, "batches"), 1);
    assert_int_equal(probe_now(parent, "stray"), 0);

    /* Shut down: the Parent finishes its children, then the catalyst ends. */
    assert_int_equal(tt_send(parent, "ttsc__shutdown"), 0);
    r = crank(cat, (tt_sparkle_args){.timeout = 10.0});
    assert_string_equal(tt_run_status(r), "catalyst finished");
    assert_true(stopped_by(r, "catalyst finished"));
    assert_true(tt_catalyst_finished(cat));
    assert_int_equal(tt_tonic_id(parent), -1);
    for (int i = 0; i < 3; i++)
        assert_int_equal(tt_tonic_id(child[i]), -1);

    /* After the end, sparkle() returns a run without a trace. */
    r = crank(cat, (tt_sparkle_args){0});
    assert_false(tt_run_has_trace(r));
    assert_string_equal(tt_run_status(r), "catalyst finished");

    tt_contract_free(ready);
    tt_contract_free(batch_done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_mock_children_get_work,
                                        setup_mocked, teardown_mocked),
        cmocka_unit_test_setup_teardown(test_injected_events_complete_batch,
                                        setup_mocked, teardown_mocked),
        cmocka_unit_test_setup_teardown(test_stray_event_is_ignored,
                                        setup_mocked, teardown_mocked),
        cmocka_unit_test_setup_teardown(test_run_while_busy_is_noop,
                                        setup_mocked, teardown_mocked),
        cmocka_unit_test_setup_teardown(test_whole_tree, setup_tree,
                                        teardown_tree),
    };

    return cmocka_run_group_tests_name("parent_infusions", tests, NULL, NULL);
}
