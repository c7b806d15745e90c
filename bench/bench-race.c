/*
 * bench-race: the production Catalyst's chain against libevent's
 * `event_active` on the same chain, in one process, alternating.
 *
 *     bench/bench-race [CHAIN_LENGTH] [ROUNDS] [WHICH]   (default 2000000 7 all)
 *
 * The chain: a handler that queues itself again until a counter reaches 0
 * (bench/chain.h's `ttsc__tick(n)` for the Catalyst; an event whose callback
 * calls event_active on itself for libevent; a ring buffer of function
 * pointers as the floor).  Each round runs every contender once, in turn, and
 * times it in CPU time of the thread (the machine is shared: wall time would
 * count the other processes); the median over the rounds is printed, in
 * nanoseconds and millions of sparkles per second, with the ratio to
 * libevent.  `timers` is the Catalyst's chain with 10,000 idle repeat timers
 * running (timed to the last sparkle).  WHICH (catalyst, timers, libevent,
 * ring) runs only that one, for comparing whole processes or counting
 * instructions:
 *     valgrind --tool=callgrind bench/bench-race 200000 1 catalyst
 * libevent is part of this benchmark only when configure found it
 * (libevent-dev); nothing else uses it.
 */
#include "chain.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#ifdef HAVE_LIBEVENT
#include <event2/event.h>
#endif

static long chain_len = 2000000;

/* The production Catalyst: seconds for the chain. */
static double run_catalyst(void)
{
    tt_catalyst *cat;
    tt_catalyst_options o = {.mode = TT_MODE_CATALYST, .wall_guard = -1};
    if (tt_catalyst_new(&cat, &o) < 0)
        exit(1);
    tt_tonic *t = tt_tonic_new(cat, &chain_class, "Chain", NULL);
    tt_send(t, "ttsc__tick", TT_INT(chain_len));
    double t0 = bench_cpu_now();
    if (tt_catalyst_run(cat) < 0)
        exit(1);
    double dt = bench_cpu_now() - t0;
    tt_catalyst_free(cat);
    return dt;
}

/* The same chain with idle repeat timers on the tonic (due in 10^6 s and
 * more): timed to the last sparkle, not through finishing the timers. */
static long n_timers = 10000;
static double t_last;

static void TChain_ttsc__tick(tt_tonic *self, int64_t n)
{
    if (n > 0) {
        tt_send(self, "ttsc__tick", TT_INT(n - 1));
    } else {
        t_last = bench_cpu_now();
        tt_finish(self);
    }
}

static void TChain_ttse__on_timer(tt_tonic *self, const tt_timer_info *info)
{
    (void)self, (void)info;
}

static const tt_handler tchain_handlers[] = {
    TT_ON(TChain, ttsc__tick, int64_t),
    TT_ON(TChain, ttse__on_timer, const tt_timer_info *),
};
static const tt_class tchain_class = {
    .name = "TChain",
    .handlers = tchain_handlers,
    .n_handlers = TT_COUNTOF(tchain_handlers),
};

static double run_catalyst_timers(void)
{
    tt_catalyst *cat;
    tt_catalyst_options o = {.mode = TT_MODE_CATALYST, .wall_guard = -1};
    if (tt_catalyst_new(&cat, &o) < 0)
        exit(1);
    tt_tonic *t = tt_tonic_new(cat, &tchain_class, "TChain", NULL);
    for (long i = 0; i < n_timers; i++)
        if (!tt_timer_new(t, TT_TIMER_REPEAT, 1e6 + (double)i, NULL, NULL))
            exit(1);
    tt_send(t, "ttsc__tick", TT_INT(chain_len));
    double t0 = bench_cpu_now();
    if (tt_catalyst_run(cat) < 0)
        exit(1);
    tt_catalyst_free(cat);
    return t_last - t0;
}

#ifdef HAVE_LIBEVENT
typedef struct lchain {
    struct event *ev;
    int64_t n;
} lchain;

static void lchain_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    lchain *c = arg;
    if (c->n-- > 0)
        event_active(c->ev, 0, 0);
}

/* libevent: one event whose callback activates it again. */
static double run_libevent(void)
{
    struct event_base *base = event_base_new();
    if (!base)
        exit(1);
    lchain c = {NULL, chain_len};
    c.ev = event_new(base, -1, 0, lchain_tick, &c);
    event_active(c.ev, 0, 0);
    double t0 = bench_cpu_now();
    event_base_dispatch(base);
    double dt = bench_cpu_now() - t0;
    event_free(c.ev);
    event_base_free(base);
    return dt;
}
#endif

/* The floor: a ring of function pointers with one argument. */
typedef struct rslot {
    void (*fn)(int64_t n);
    int64_t n;
} rslot;
static rslot ring[1024];
static unsigned ring_head, ring_len;
static int64_t ring_sink;

static void ring_tick(int64_t n)
{
    ring_sink = n;
    if (n > 0)
        ring[(ring_head + ring_len++) & 1023] = (rslot){ring_tick, n - 1};
}

static double run_ring(void)
{
    ring_head = ring_len = 0;
    ring[ring_len++] = (rslot){ring_tick, chain_len};
    double t0 = bench_cpu_now();
    while (ring_len) {
        rslot s = ring[ring_head];
        ring_head = (ring_head + 1) & 1023;
        ring_len--;
        s.fn(s.n);
    }
    return bench_cpu_now() - t0;
}

typedef struct contender {
    const char *key; /* WHICH */
    const char *name;
    double (*run)(void);
    double t[64];
} contender;

int main(int argc, char **argv)
{
    int rounds = 7;
    const char *which = "all";
    if (argc > 1)
        chain_len = atol(argv[1]);
    if (argc > 2)
        rounds = atoi(argv[2]);
    if (argc > 3)
        which = argv[3];
    contender all[] = {
        {"catalyst", "Catalyst (tt_catalyst_run)", run_catalyst, {0}},
        {"timers", "Catalyst, 10000 idle timers", run_catalyst_timers, {0}},
#ifdef HAVE_LIBEVENT
        {"libevent", "libevent (event_active)", run_libevent, {0}},
#endif
        {"ring", "ring of function pointers", run_ring, {0}},
    };
    size_t n = TT_COUNTOF(all);
    if (chain_len < 1 || rounds < 1 || rounds > 64) {
        fprintf(stderr, "usage: bench-race [CHAIN_LENGTH] [ROUNDS<=64] [catalyst|timers|libevent|ring|all]\n");
        return 2;
    }
    bool any = false;
    for (size_t i = 0; i < n; i++)
        any |= strcmp(which, "all") == 0 || strcmp(all[i].key, which) == 0;
    if (!any) {
        fprintf(stderr, "bench-race: no contender \"%s\"%s\n", which,
#ifdef HAVE_LIBEVENT
                ""
#else
                " (libevent was not found by configure)"
#endif
        );
        return 2;
    }
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < n; i++)
            if (strcmp(which, "all") == 0 || strcmp(all[i].key, which) == 0)
                all[i].t[r] = all[i].run();
    double sparkles = (double)chain_len + 1;
    double ref = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].key, "libevent") == 0 && all[i].t[0] > 0)
            ref = bench_median(all[i].t, rounds);
    printf("chain of %ld sparkles, thread CPU time, median of %d alternating rounds\n",
           chain_len, rounds);
    for (size_t i = 0; i < n; i++) {
        if (all[i].t[0] <= 0)
            continue;
        double med = bench_median(all[i].t, rounds);
        printf("%-28s %7.2f ns/sparkle %8.1f M/s", all[i].name, med / sparkles * 1e9,
               sparkles / med / 1e6);
        if (ref > 0)
            printf("  %5.2fx libevent's time", med / ref);
        printf("\n");
    }
    printf("reproduce: bench/bench-race %ld %d %s\n", chain_len, rounds, which);
    return 0;
}
