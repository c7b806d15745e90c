/*
 * mod-flood.c: a check module that floods its catalyst from 16 threads and
 * stops itself with SIGINT (tests/ttrun-flood.sh).
 *
 * Its formula creates one tonic, `Flood`, and starts 16 threads that post
 * `Flood.ttsc__work(n)` without pause.  A post that finds the inbox full
 * waits, or fails with -TT_EAGAIN and is tried again; once the catalyst is
 * stopping, posts fail with -TT_ECATFINISHED and the threads end.  When
 * 200,000 posts were accepted, one thread sends SIGINT to the process: ttrun
 * must then finish the catalyst although the threads go on posting.  The
 * class's destroy hook (tt_catalyst_free) joins the threads and prints
 * "stopped after N posts, refused: stopping".  (An infusion's
 * `ttse__on_finished` may not run when the catalyst is stopped: the catalyst
 * completes first.)
 *
 * Environment: TT_FLOOD_HANG=1 makes the first `ttsc__work` never return;
 * a thread then sends SIGINT and SIGTERM, and ttrun must exit at once.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tasktonic.h"

#define POSTERS 16
#define SIGNAL_AFTER 200000

static pthread_t posters[POSTERS];
static int n_posters;
static atomic_long accepted;
static atomic_int refused_stopping; /* posts refused with -TT_ECATFINISHED */
static atomic_int hanging;          /* the hanging sparkle has started */
static atomic_int signalled;
static bool hang;

typedef struct Flood {
    int64_t worked;
} Flood;

static void Flood_ttsc__work(tt_tonic *self, int64_t n)
{
    TT_DATA(Flood, self)->worked += n & 1;
    if (hang) {
        atomic_store(&hanging, 1);
        for (;;)
            pause();
    }
}

static void flood_destroy(tt_tonic *self)
{
    (void)self;
    for (int i = 0; i < n_posters; i++)
        pthread_join(posters[i], NULL);
    printf("stopped after %ld posts, refused: %s\n", (long)atomic_load(&accepted),
           atomic_load(&refused_stopping) ? "stopping" : "none");
    fflush(stdout);
}

static const tt_handler flood_handlers[] = {
    TT_ON(Flood, ttsc__work, int64_t),
};

static const tt_class Flood_class = {
    .name = "Flood",
    .data_size = sizeof(Flood),
    .handlers = flood_handlers,
    .n_handlers = TT_COUNTOF(flood_handlers),
    .destroy = flood_destroy,
};

/* Send the stop signal(s) once, from whichever thread gets here first. */
static void stop_me(void)
{
    if (atomic_exchange(&signalled, 1))
        return;
    kill(getpid(), SIGINT);
    if (hang)
        kill(getpid(), SIGTERM); /* the second stop signal */
}

static void *poster(void *arg)
{
    tt_tonic *t = arg;
    for (int64_t n = 0;; n++) {
        int rc = tt_send(t, "ttsc__work", TT_INT(n));
        if (hang && atomic_load(&hanging))
            stop_me(); /* the inbox fills up: do not wait for the count */
        if (rc == -TT_EAGAIN)
            continue;
        if (rc == -TT_ECATFINISHED) {
            atomic_store(&refused_stopping, 1);
            return NULL;
        }
        if (rc < 0)
            return NULL;
        if (atomic_fetch_add(&accepted, 1) + 1 >= SIGNAL_AFTER && !hang)
            stop_me();
    }
}

TT_FORMULA(cat)
{
    tt_tonic *t = tt_tonic_new(cat, &Flood_class, "Flood", NULL);

    if (!t)
        return -TT_EFORMULA;
    hang = getenv("TT_FLOOD_HANG") != NULL;
    for (int i = 0; i < POSTERS; i++)
        if (pthread_create(&posters[n_posters], NULL, poster, t) == 0)
            n_posters++;
    return n_posters ? 0 : -TT_EFORMULA;
}
