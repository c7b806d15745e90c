/*
 * bench-scale: the cost of one sparkle against the size of everything around
 * it, so that a cost that grows faster than the work shows at a glance.
 *
 *     bench/bench-scale [SPARKLES] [REPEATS] [MAX_TRACE] [WHAT]
 *                                          (default 1000000 3 4000000)
 *
 * Each line is the median over REPEATS runs of the thread CPU time per
 * sparkle (not wall time: the machine may be shared) of a
 * chain of SPARKLES self-queuing sparkles (bench/chain.h's pattern) with,
 * around it:
 *   tonics   N idle tonics (1 to 10,000, and 200,000), Catalyst; also the
 *            cost of creating one tonic, averaged over the N;
 *   queue    N chains at once, so N orders are always queued (1 to 1 M),
 *            Catalyst;
 *   probes   a contract that takes N int probes (0 to 256) before and after
 *            every sparkle, Distiller with full trace; each sparkle changes
 *            one of the N, so each stores one snapshot of N values (its
 *            enter snapshot is its tonic's last exit snapshot, shared);
 *   timers   N idle repeat timers (0 to 10,000; 200,000 in the Catalyst),
 *            Catalyst and Distiller; also the cost of creating one timer,
 *            averaged over the N;
 *   trace    a full-trace Distiller run of N sparkles (1 M to MAX_TRACE).
 * WHAT (tonics, queue, probes, timers or trace) runs only those lines;
 * WHAT=SIZE (e.g. probes=256) only that line, for a profiler.
 * A flat column is linear work; a growing one is a cost per sparkle that
 * depends on the size.
 */
#include "chain.h"

#include <stddef.h>
#include <stdio.h>

#define MAX_PROBES 256

typedef struct spin {
    int64_t n;
    int p[MAX_PROBES];
} spin;

static double t_begin;    /* when the first chain sparkle ran (the Catalyst
                             runs the idle tonics' start-up orders first) */
static double t_end;      /* when the last chain ended */
static long chains_left;  /* chains still running */
static bool stop_at_end;  /* Catalyst: stop when the last chain ends */
static long n_changed = MAX_PROBES; /* a sparkle changes p[n % n_changed] */

static void Spin_ttsc__tick(tt_tonic *self, int64_t n)
{
    spin *d = TT_DATA(spin, self);
    if (t_begin == 0)
        t_begin = bench_cpu_now();
    d->n = n;
    d->p[n % n_changed]++;
    if (n > 0) {
        tt_send(self, "ttsc__tick", TT_INT(n - 1));
    } else if (--chains_left == 0) {
        t_end = bench_cpu_now();
        if (stop_at_end)
            tt_catalyst_stop(tt_tonic_catalyst(self));
    }
}

static void Spin_ttse__on_timer(tt_tonic *self, const tt_timer_info *info)
{
    (void)self, (void)info;
}

static const tt_handler spin_handlers[] = {
    TT_ON(Spin, ttsc__tick, int64_t),
    TT_ON(Spin, ttse__on_timer, const tt_timer_info *),
};
static tt_probe_def spin_probes[MAX_PROBES];
static char probe_names[MAX_PROBES][8];
static const tt_class spin_class = {
    .name = "Spin",
    .data_size = sizeof(spin),
    .handlers = spin_handlers,
    .n_handlers = TT_COUNTOF(spin_handlers),
    .probes = spin_probes,
    .n_probes = MAX_PROBES,
};

static const tt_class idle_class = {.name = "Idle"};

static long sparkles = 1000000;
static int reps = 3;

static tt_catalyst *new_cat(tt_mode mode)
{
    tt_catalyst *cat;
    tt_catalyst_options o = {.mode = mode, .wall_guard = -1};
    if (tt_catalyst_new(&cat, &o) < 0) {
        fprintf(stderr, "bench-scale: cannot create a catalyst\n");
        exit(1);
    }
    return cat;
}

/* Run the queued chains (total sparkles `total`); returns ns a sparkle. */
static double run_chains(tt_catalyst *cat, tt_mode mode, const tt_contract *c, long total)
{
    t_begin = 0;
    if (mode == TT_MODE_CATALYST) {
        stop_at_end = true;
        tt_catalyst_run(cat);
    } else {
        stop_at_end = false;
        tt_sparkle_args a = {.contract = c, .timeout = 1e9};
        const tt_run *r;
        tt_distiller_sparkle(cat, &a, &r);
        if (tt_run_entry_count(r) < (uint64_t)total) {
            fprintf(stderr, "bench-scale: the run stopped early (%s)\n", tt_run_status(r));
            exit(1);
        }
    }
    return (t_end - t_begin) * 1e9 / (double)total;
}

/* Run all start-up sparkles so that only the chain runs when timed. */
static void settle(tt_catalyst *cat, tt_mode mode)
{
    if (mode == TT_MODE_DISTILLER) {
        tt_sparkle_args a = {.timeout = 1e-9};
        tt_distiller_sparkle(cat, &a, NULL);
    }
}

enum dim { D_TONICS, D_QUEUE, D_PROBES, D_TIMERS, D_TRACE };

/* One measurement; *create gets ns per created tonic/timer where it applies. */
static double one(enum dim d, tt_mode mode, long size, double *create)
{
    tt_catalyst *cat = new_cat(mode);
    tt_contract *c = NULL;
    long chains = 1, len = sparkles;
    tt_tonic *s = tt_tonic_new(cat, &spin_class, "Spin", NULL);
    double t0 = bench_cpu_now();
    switch (d) {
    case D_TONICS:
        for (long i = 1; i < size; i++)
            tt_tonic_new(cat, &idle_class, NULL, NULL);
        break;
    case D_QUEUE: chains = size; break;
    case D_PROBES:
        c = size ? tt_contract_new() : NULL; /* 0: a full trace, no contract */
        n_changed = size ? size : MAX_PROBES;
        for (long i = 0; i < size; i++)
            tt_contract_add_probe(c, NULL, probe_names[i]);
        break;
    case D_TIMERS:
        for (long i = 0; i < size; i++)
            tt_timer_new(s, TT_TIMER_REPEAT, 1e6 + (double)i, NULL, NULL);
        break;
    case D_TRACE: len = size; break;
    }
    if (create)
        *create = size > 1 ? (bench_cpu_now() - t0) * 1e9 / (double)size : 0;
    settle(cat, mode);
    long per = len / chains > 0 ? len / chains : 1;
    chains_left = chains;
    for (long i = 0; i < chains; i++)
        tt_send(s, "ttsc__tick", TT_INT(per - 1));
    double ns = run_chains(cat, mode, c, per * chains);
    n_changed = MAX_PROBES;
    tt_contract_free(c);
    tt_catalyst_free(cat);
    return ns;
}

static const char *only; /* run only the lines of this dimension */
static size_t only_len;   /* its length (before any "=SIZE") */
static long only_size = -1; /* and only this size (-1: every size) */

static void row(const char *what, enum dim d, tt_mode mode, long size, const char *create_unit)
{
    double v[64], cr[64];
    if (only && (strlen(what) != only_len || strncmp(only, what, only_len) != 0 ||
                 (only_size >= 0 && size != only_size)))
        return;
    for (int i = 0; i < reps; i++)
        v[i] = one(d, mode, size, &cr[i]);
    printf("%-8s %-10s %9ld  %8.1f ns/sparkle", what,
           mode == TT_MODE_CATALYST ? "Catalyst" : "Distiller", size, bench_median(v, reps));
    if (create_unit && size > 1)
        printf("  (creating: %.0f ns/%s)", bench_median(cr, reps), create_unit);
    printf("\n");
    fflush(stdout);
}

int main(int argc, char **argv)
{
    long max_trace = 4000000;
    if (argc > 1)
        sparkles = atol(argv[1]);
    if (argc > 2)
        reps = atoi(argv[2]);
    if (argc > 3)
        max_trace = atol(argv[3]);
    if (argc > 4) {
        only = argv[4];
        only_len = strcspn(only, "=");
        if (only[only_len] == '=')
            only_size = atol(only + only_len + 1);
    }
    if (sparkles < 1 || reps < 1 || reps > 64 || max_trace < 1) {
        fprintf(stderr, "usage: bench-scale [SPARKLES] [REPEATS<=64] [MAX_TRACE] [WHAT]\n");
        return 2;
    }
    for (int i = 0; i < MAX_PROBES; i++) {
        snprintf(probe_names[i], sizeof probe_names[i], "p%d", i);
        spin_probes[i] = (tt_probe_def){probe_names[i], TT_PK_INT,
                                        offsetof(spin, p) + (size_t)i * sizeof(int), NULL};
    }
    printf("%ld sparkles a line, median of %d runs\n", sparkles, reps);
    printf("%-8s %-10s %9s  %s\n", "what", "engine", "size", "cost");
    static const long tonics[] = {1, 10, 100, 1000, 10000, 200000};
    for (size_t i = 0; i < TT_COUNTOF(tonics); i++)
        row("tonics", D_TONICS, TT_MODE_CATALYST, tonics[i], "tonic");
    static const long queue[] = {1, 10, 1000, 100000, 1000000};
    for (size_t i = 0; i < TT_COUNTOF(queue); i++)
        if (queue[i] <= sparkles)
            row("queue", D_QUEUE, TT_MODE_CATALYST, queue[i], NULL);
    static const long probes[] = {0, 1, 16, 64, 256};
    for (size_t i = 0; i < TT_COUNTOF(probes); i++)
        row("probes", D_PROBES, TT_MODE_DISTILLER, probes[i], NULL);
    static const long timers[] = {0, 10, 1000, 10000};
    for (size_t i = 0; i < TT_COUNTOF(timers); i++)
        row("timers", D_TIMERS, TT_MODE_CATALYST, timers[i], "timer");
    row("timers", D_TIMERS, TT_MODE_CATALYST, 200000, "timer");
    for (size_t i = 0; i < TT_COUNTOF(timers); i++)
        row("timers", D_TIMERS, TT_MODE_DISTILLER, timers[i], "timer");
    for (long n = 1000000; n <= max_trace; n *= 2)
        row("trace", D_TRACE, TT_MODE_DISTILLER, n, NULL);
    printf("reproduce: bench/bench-scale %ld %d %ld\n", sparkles, reps, max_trace);
    return 0;
}
