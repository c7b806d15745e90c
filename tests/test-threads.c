/*
 * test-threads.c: posting from many threads.
 *
 * Several threads post many sparkles to one Counter tonic while the
 * catalyst runs in the main thread.  Each post carries the thread's number,
 * its own sequence number and a string built in a buffer the thread reuses
 * at once; each thread's last post is `ttsc__done`.  The Counter checks that
 * nothing is lost, that each thread's orders arrive in the order it posted
 * them (its `done` after all its counts) and that every string is intact;
 * the last `done` makes it finish, which finishes the catalyst.  The threads
 * are joined after the catalyst returned: nothing here sleeps or waits for
 * time (an alarm turns a hang into a failure).
 *
 * The same runs under the real-time Catalyst (tt_catalyst_run) and under the
 * Distiller in real-time mode (tt_distiller_sparkle), where the trace must
 * also show every order, with an external source.  The threads are started
 * from the Counter's ttse__on_start, i.e. while the catalyst is running.
 *
 * Three more cases: threads that already post before the catalyst runs
 * (the catalyst must not write anything the posting threads read without a
 * lock), threads whose posts fail at the same time (each gets its own error
 * code; nothing crashes), threads that each run catalysts of their own
 * (independent catalysts share no unlocked state), and classes compiled on
 * the catalyst's thread while threads post (both use the interned names).
 *
 * Run it under `valgrind --tool=helgrind` or a -fsanitize=thread build to
 * check for data races.  TT_TEST_FILTER=PATTERN runs only the matching tests
 * (cmocka's filter, e.g. TT_TEST_FILTER='*distiller').
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "check-util.h"
#include "tasktonic.h"

#define N_THREADS 4
#define PER_THREAD 2500
#define TOTAL ((int64_t)N_THREADS * PER_THREAD)
#define SPAWN ((void *)1) /* init argument: ttse__on_start starts the threads */
#define WATCHDOG_S 300    /* seconds before the alarm ends a hung program */

/* One posting thread. */
typedef struct poster {
    pthread_t th;
    tt_tonic *target;
    int index;
    int errors;      /* posts that did not return 0 */
    int first_error; /* the first such code */
} poster;

typedef struct Counter {
    int64_t received;
    int64_t next[N_THREADS];  /* next sequence number expected per thread */
    int64_t out_of_order;
    int64_t bad_thread;
    int64_t bad_tag;
    int64_t early_done;       /* a thread's done before all its counts */
    int done;                 /* threads whose done arrived */
    poster posters[N_THREADS];
    int started;              /* threads started */
    bool spawn;               /* start the threads in ttse__on_start */
} Counter;

/* Post PER_THREAD orders, in sequence, reusing one string buffer. */
static void *post_many(void *arg)
{
    poster *p = arg;
    char tag[32];

    for (int64_t i = 0; i < PER_THREAD; i++) {
        snprintf(tag, sizeof tag, "t%d-%lld", p->index, (long long)i);
        int rc = tt_send(p->target, "ttsc__count", TT_INT(p->index), TT_INT(i), TT_STR(tag));
        if (rc != 0 && p->errors++ == 0)
            p->first_error = rc;
    }
    int rc = tt_send(p->target, "ttsc__done", TT_INT(p->index));
    if (rc != 0 && p->errors++ == 0)
        p->first_error = rc;
    return NULL;
}

/* Start the posting threads. */
static void start_posters(tt_tonic *self)
{
    Counter *d = TT_DATA(Counter, self);

    for (int i = 0; i < N_THREADS; i++) {
        d->posters[i].target = self;
        d->posters[i].index = i;
        if (pthread_create(&d->posters[i].th, NULL, post_many, &d->posters[i]) != 0)
            break;
        d->started++;
    }
}

/* Start the posting threads on the catalyst's thread, while it runs (unless
 * the test started them itself). */
static void Counter_ttse__on_start(tt_tonic *self)
{
    if (TT_DATA(Counter, self)->spawn)
        start_posters(self);
}

/* Creation: the init argument says whether ttse__on_start starts threads. */
static void counter_init(tt_tonic *self, void *arg)
{
    TT_DATA(Counter, self)->spawn = arg != NULL;
}

/* One order from thread `thread`: check its sequence and tag. */
static void Counter_ttsc__count(tt_tonic *self, int64_t thread, int64_t seq, const char *tag)
{
    Counter *d = TT_DATA(Counter, self);
    char want[32];

    if (thread < 0 || thread >= N_THREADS) {
        d->bad_thread++;
        return;
    }
    if (seq != d->next[thread])
        d->out_of_order++;
    d->next[thread] = seq + 1;
    snprintf(want, sizeof want, "t%d-%lld", (int)thread, (long long)seq);
    if (!tag || strcmp(tag, want) != 0)
        d->bad_tag++;
    d->received++;
}

/* A thread posted its last count: when all did, finish. */
static void Counter_ttsc__done(tt_tonic *self, int64_t thread)
{
    Counter *d = TT_DATA(Counter, self);

    if (thread < 0 || thread >= N_THREADS)
        d->bad_thread++;
    else if (d->next[thread] != PER_THREAD)
        d->early_done++;
    if (++d->done == N_THREADS)
        tt_finish(self);
}

static const tt_handler counter_handlers[] = {
    TT_ON(Counter, ttse__on_start),
    TT_ON(Counter, ttsc__count, int64_t, int64_t, const char *),
    TT_ON(Counter, ttsc__done, int64_t),
};

static const tt_class Counter_class = {
    .name = "Counter",
    .data_size = sizeof(Counter),
    .init = counter_init,
    .handlers = counter_handlers,
    .n_handlers = TT_COUNTOF(counter_handlers),
};

/* Join the threads and check what the Counter saw. */
static void check_counter(tt_tonic *counter)
{
    Counter *d = TT_DATA(Counter, counter);

    for (int i = 0; i < d->started; i++)
        assert_int_equal(pthread_join(d->posters[i].th, NULL), 0);
    assert_int_equal(d->started, N_THREADS);
    for (int i = 0; i < N_THREADS; i++) {
        if (d->posters[i].errors)
            fail_msg("thread %d: %d posts failed, first with %s", i, d->posters[i].errors,
                     tt_err_name(d->posters[i].first_error));
        assert_int_equal(d->next[i], PER_THREAD);
    }
    assert_int_equal(d->received, TOTAL); /* none lost */
    assert_int_equal(d->out_of_order, 0); /* each thread's order kept */
    assert_int_equal(d->bad_thread, 0);
    assert_int_equal(d->bad_tag, 0);      /* strings copied intact */
    assert_int_equal(d->early_done, 0);
    assert_int_equal(d->done, N_THREADS);
}

/* The real-time Catalyst, run in the main thread. */
static void test_threads_catalyst(void **state)
{
    tt_catalyst *cat = cu_catalyst();
    tt_tonic *counter = tt_tonic_new(cat, &Counter_class, "Counter", SPAWN);

    (void)state;
    assert_non_null(counter);
    assert_int_equal(tt_catalyst_run(cat), 0);
    check_counter(counter);
    assert_true(tt_catalyst_finished(cat));
    assert_int_equal(tt_tonic_id(counter), -1);
    tt_catalyst_free(cat);
}

/* The Distiller in real time: the same, and the trace shows every order. */
static void test_threads_distiller(void **state)
{
    tt_catalyst_options opts = {.mode = TT_MODE_DISTILLER, .real_time = true, .wall_guard = -1};
    tt_catalyst *cat = NULL;
    tt_tonic *counter;
    const tt_run *run = NULL;
    int64_t next[N_THREADS] = {0}, seen = 0;

    (void)state;
    assert_int_equal(tt_catalyst_new(&cat, &opts), 0);
    counter = tt_tonic_new(cat, &Counter_class, "Counter", SPAWN);
    assert_non_null(counter);
    assert_int_equal(tt_distiller_sparkle(cat, NULL, &run), 0);
    check_counter(counter);
    assert_string_equal(tt_run_status(run), "catalyst finished");
    cu_expect_stops(run, 1, "catalyst finished");
    for (uint64_t i = 0; i < tt_run_entry_count(run); i++) {
        const tt_trace_entry *e = cu_entry(cat, run, i);

        if (strcmp(tt_entry_sparkle_name(cat, e), "ttsc__count") != 0)
            continue;
        cu_expect_source(cat, e, NULL, "", -1);
        assert_int_equal(e->nargs, 3);
        assert_int_equal(e->args[1].u.i, next[e->args[0].u.i]);
        next[e->args[0].u.i]++;
        seen++;
    }
    assert_int_equal(seen, TOTAL);
    tt_catalyst_free(cat);
}

/* Threads that post before tt_catalyst_run starts, and while it runs. */
static void test_threads_before_run(void **state)
{
    tt_catalyst *cat = cu_catalyst();
    tt_tonic *counter = tt_tonic_new(cat, &Counter_class, "Counter", NULL);

    (void)state;
    assert_non_null(counter);
    start_posters(counter);
    assert_int_equal(tt_catalyst_run(cat), 0);
    check_counter(counter);
    assert_true(tt_catalyst_finished(cat));
    tt_catalyst_free(cat);
}

/* A thread whose posts all fail: unknown sparkle, wrong argument count. */
static void *post_wrong(void *arg)
{
    poster *p = arg;

    for (int i = 0; i < 200; i++) {
        int rc = tt_send(p->target, i % 2 ? "ttsc__count" : "ttsc__cuont", TT_INT(i));
        if (rc != (i % 2 ? -TT_EARGCOUNT : -TT_ENOSPARKLE) && p->errors++ == 0)
            p->first_error = rc;
    }
    return NULL;
}

/* Failing posts from several threads at once: each gets its code. */
static void test_threads_errors(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *counter = tt_tonic_new(cat, &Counter_class, "Counter", NULL);
    poster p[N_THREADS];

    (void)state;
    assert_non_null(counter);
    for (int i = 0; i < N_THREADS; i++) {
        p[i] = (poster){.target = counter, .index = i};
        assert_int_equal(pthread_create(&p[i].th, NULL, post_wrong, &p[i]), 0);
    }
    for (int i = 0; i < N_THREADS; i++) {
        assert_int_equal(pthread_join(p[i].th, NULL), 0);
        if (p[i].errors)
            fail_msg("thread %d: %d posts returned something else, first %s", i, p[i].errors,
                     tt_err_name(p[i].first_error));
    }
    assert_int_equal(tt_queue_length(cat), 5); /* the start-up orders only */
    tt_catalyst_free(cat);
}

/* tt_post_from on another thread: a known label works, a new one is refused
 * (adding a name there could move tables the catalyst's thread reads). */
typedef struct label_post {
    tt_tonic *target;
    const char *label;
    int rc;
} label_post;

static void *post_labelled(void *arg)
{
    label_post *lp = arg;
    tt_value v = TT_INT(1);
    lp->rc = tt_post_from(lp->target, "ttsc__done", &v, 1, lp->label);
    return NULL;
}

static void test_threads_labels(void **state)
{
    tt_catalyst *cat = cu_distiller();
    tt_tonic *counter = tt_tonic_new(cat, &Counter_class, "Counter", NULL);
    tt_value v = TT_INT(1);
    pthread_t th;

    (void)state;
    assert_non_null(counter);
    assert_int_equal(tt_post_from(counter, "ttsc__done", &v, 1, "known"), 0);
    label_post known = {counter, "known", 99}, fresh = {counter, "brand-new", 99};
    assert_int_equal(pthread_create(&th, NULL, post_labelled, &known), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(known.rc, 0);
    assert_int_equal(pthread_create(&th, NULL, post_labelled, &fresh), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(fresh.rc, -TT_EINVAL);
    tt_catalyst_free(cat);
}

/* Echo: a small class with several sparkles (so that compiling it sorts). */
static void Echo_ttsc__zulu(tt_tonic *self, int64_t x) { TT_DATA(Counter, self)->received += x; }
static void Echo_ttsc__alpha(tt_tonic *self) { TT_DATA(Counter, self)->received += 1000; }
static void Echo_ttsc_b__mike(tt_tonic *self) { (void)self; }
static void Echo_ttsc_a__mike(tt_tonic *self) { tt_to_state(self, "b"); }

static const tt_handler echo_handlers[] = {
    TT_ON(Echo, ttsc__zulu, int64_t),
    TT_ON(Echo, ttsc__alpha),
    TT_ON(Echo, ttsc_b__mike),
    TT_ON(Echo, ttsc_a__mike),
};

static const tt_class Echo_class = {
    .name = "Echo",
    .data_size = sizeof(Counter),
    .handlers = echo_handlers,
    .n_handlers = TT_COUNTOF(echo_handlers),
};

/* One thread's own Distillers, one after the other: create, post, run. */
static void *own_catalysts(void *arg)
{
    poster *p = arg;

    for (int round = 0; round < 50; round++) {
        tt_catalyst_options opts = {.mode = TT_MODE_DISTILLER};
        tt_catalyst *cat = NULL;
        tt_tonic *t;
        const tt_run *run = NULL;

        if (tt_catalyst_new(&cat, &opts) != 0 ||
            !(t = tt_tonic_new(cat, &Echo_class, NULL, NULL)) ||
            tt_send(t, "ttsc__zulu", TT_INT(round)) != 0 || tt_send(t, "ttsc__alpha") != 0 ||
            tt_send(t, "ttsc__to_state", TT_STR("a")) != 0 || tt_send(t, "ttsc__mike") != 0 ||
            tt_distiller_sparkle(cat, NULL, &run) != 0 ||
            TT_DATA(Counter, t)->received != round + 1000 ||
            strcmp(tt_tonic_state_name(t), "b") != 0 ||
            strcmp(tt_tonic_sparkle_at(t, 0), "_ttss__on_completion") != 0)
            p->errors++;
        tt_catalyst_free(cat);
    }
    return NULL;
}

/* Independent catalysts in different threads do not disturb each other. */
static void test_threads_own_catalysts(void **state)
{
    poster p[N_THREADS];

    (void)state;
    for (int i = 0; i < N_THREADS; i++) {
        p[i] = (poster){.index = i};
        assert_int_equal(pthread_create(&p[i].th, NULL, own_catalysts, &p[i]), 0);
    }
    for (int i = 0; i < N_THREADS; i++) {
        assert_int_equal(pthread_join(p[i].th, NULL), 0);
        assert_int_equal(p[i].errors, 0);
    }
}

/* Many: one class per handler name, so that each compiles new names. */
#define N_CLASSES 300
static void Many_ttsc__x(tt_tonic *self) { (void)self; }

/* Classes compiled while other threads post: compiling interns names that
 * the posting threads look up at the same time (run under -fsanitize=thread
 * to see a race). */
static void test_threads_while_compiling(void **state)
{
    static char names[N_CLASSES][32];
    static tt_handler handlers[N_CLASSES];
    static tt_class classes[N_CLASSES];
    tt_catalyst *cat = cu_catalyst();
    tt_tonic *counter = tt_tonic_new(cat, &Counter_class, "Counter", NULL);

    (void)state;
    assert_non_null(counter);
    start_posters(counter);
    for (int i = 0; i < N_CLASSES; i++) {
        tt_tonic *t;

        snprintf(names[i], sizeof names[i], "ttsc__many%d", i);
        handlers[i] = (tt_handler){.name = names[i], .fn = (tt_fn)Many_ttsc__x};
        classes[i] = (tt_class){.name = "Many", .handlers = &handlers[i], .n_handlers = 1};
        t = tt_tonic_new(cat, &classes[i], NULL, NULL);
        assert_non_null(t);
        assert_int_equal(tt_finish_from_base(t), 0);
    }
    assert_int_equal(tt_catalyst_run(cat), 0);
    check_counter(counter);
    assert_true(tt_catalyst_finished(cat));
    tt_catalyst_free(cat);
}

/* Requests to the catalyst's thread (tt_catalyst_request_call, as a live
 * viewer sends them), one after the other from another thread: each is
 * served, and so is the stop after them.  A request made while the loop,
 * having just served the previous one, took in the posts used to be lost:
 * the loop cleared the flag that said work was waiting and slept with the
 * request pending (ttrun --listen then ignored SIGTERM).  A hang here is
 * that: the alarm fails the test. */
#define N_REQUESTS 20000
typedef struct requester {
    tt_catalyst *cat;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int served;
    int failed; /* requests that did not return 0 */
} requester;

static void request_served(tt_catalyst *cat, void *ud)
{
    requester *r = ud;
    (void)cat;
    pthread_mutex_lock(&r->lock);
    r->served++;
    pthread_cond_signal(&r->cond);
    pthread_mutex_unlock(&r->lock);
}

static void *request_many(void *arg)
{
    requester *r = arg;
    for (int i = 0; i < N_REQUESTS; i++) {
        if (tt_catalyst_request_call(r->cat, request_served, r) != 0) {
            r->failed++;
            break;
        }
        pthread_mutex_lock(&r->lock);
        while (r->served <= i)
            pthread_cond_wait(&r->cond, &r->lock);
        pthread_mutex_unlock(&r->lock);
    }
    if (tt_catalyst_stop(r->cat) != 0)
        r->failed++;
    return NULL;
}

static void test_threads_requests(void **state)
{
    (void)state;
    requester r = {.cat = cu_catalyst()};
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.cond, NULL);
    assert_non_null(tt_tonic_new(r.cat, &Counter_class, "Counter", NULL));
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, request_many, &r), 0);
    assert_int_equal(tt_catalyst_run(r.cat), 0);
    pthread_join(th, NULL);
    assert_int_equal(r.failed, 0);
    assert_int_equal(r.served, N_REQUESTS);
    assert_true(tt_catalyst_finished(r.cat));
    tt_catalyst_free(r.cat);
    pthread_cond_destroy(&r.cond);
    pthread_mutex_destroy(&r.lock);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_catalyst),
        cmocka_unit_test(test_threads_distiller),
        cmocka_unit_test(test_threads_before_run),
        cmocka_unit_test(test_threads_errors),
        cmocka_unit_test(test_threads_own_catalysts),
        cmocka_unit_test(test_threads_while_compiling),
        cmocka_unit_test(test_threads_labels),
        cmocka_unit_test(test_threads_requests),
    };

    alarm(WATCHDOG_S);
    if (getenv("TT_TEST_FILTER"))
        cmocka_set_test_filter(getenv("TT_TEST_FILTER"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
