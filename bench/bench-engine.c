/*
 * bench-engine: sparkles per second of the Catalyst and the Distiller, and the
 * memory one trace entry takes, on a chain of self-queuing sparkles (the
 * measurement the Python figures in doc/performance.md were taken with).
 *
 *     bench/bench-engine [CHAIN_LENGTH] [REPEATS] [WHICH]   (default 2000000 7)
 *
 * Prints sparkles per second of thread CPU time (the machine may be shared;
 * the kernel's time for the trace's page faults counts), the median of
 * REPEATS runs, for: the Catalyst (no trace), the Distiller with full
 * trace, the Distiller with one int probe, and the Distiller with a
 * 4096-entry trace ring (bounded memory).  WHICH
 * (catalyst, trace, probe or ring) runs only that line: for whole-process
 * comparisons and instruction counts.
 */
#include "chain.h"

#include <stdio.h>

static long chain_len = 2000000;

/* One run; returns sparkles per second. bytes_per_entry filled for traces. */
static double one(tt_mode mode, bool probe, size_t ring, double *bytes_per_entry)
{
    tt_catalyst *cat;
    tt_catalyst_options o = {.mode = mode, .trace_ring = ring, .wall_guard = -1};
    if (tt_catalyst_new(&cat, &o) < 0)
        exit(1);
    tt_tonic *t = tt_tonic_new(cat, &chain_class, "Chain", NULL);
    tt_contract *c = NULL;
    if (probe) {
        c = tt_contract_new();
        tt_contract_add_probe(c, NULL, "n");
    }
    tt_send(t, "ttsc__tick", TT_INT(chain_len));
    long rss0 = bench_rss_kib();
    double t0 = bench_cpu_now();
    uint64_t n;
    if (mode == TT_MODE_CATALYST) {
        tt_catalyst_run(cat);
        n = (uint64_t)chain_len + 1;
    } else {
        const tt_run *r;
        tt_sparkle_args a = {.contract = c};
        tt_distiller_sparkle(cat, &a, &r);
        n = tt_run_entry_count(r);
    }
    double dt = bench_cpu_now() - t0; /* thread CPU (page faults included) */
    if (bytes_per_entry) {
        /* resident memory the run added, per entry kept (an entry here has
         * one int argument: 16 bytes of it are the argument) */
        uint64_t kept = tt_trace_last_seq(cat) - tt_trace_first_seq(cat) + 1;
        *bytes_per_entry = (double)(bench_rss_kib() - rss0) * 1024.0 / (double)kept;
    }
    tt_contract_free(c);
    tt_catalyst_free(cat);
    return (double)n / dt;
}

static const char *which;

static void report(const char *key, const char *what, tt_mode mode, bool probe, size_t ring,
                   int reps)
{
    if (which && strcmp(which, key) != 0)
        return;
    double v[64], bpe = 0;
    for (int i = 0; i < reps; i++)
        v[i] = one(mode, probe, ring, mode == TT_MODE_DISTILLER ? &bpe : NULL);
    double med = bench_median(v, reps);
    if (mode == TT_MODE_DISTILLER)
        printf("%-34s %12.0f sparkles/s  (%.1f resident bytes per kept entry)\n", what, med,
               bpe);
    else
        printf("%-34s %12.0f sparkles/s\n", what, med);
}

int main(int argc, char **argv)
{
    int reps = 7;
    if (argc > 1)
        chain_len = atol(argv[1]);
    if (argc > 2)
        reps = atoi(argv[2]);
    if (argc > 3)
        which = argv[3];
    if (chain_len < 1 || reps < 1 || reps > 64 ||
        (which && strcmp(which, "catalyst") != 0 && strcmp(which, "trace") != 0 &&
         strcmp(which, "probe") != 0 && strcmp(which, "ring") != 0)) {
        fprintf(stderr, "usage: bench-engine [CHAIN_LENGTH] [REPEATS<=64] "
                        "[catalyst|trace|probe|ring]\n");
        return 2;
    }
    printf("chain of %ld sparkles, median of %d runs; a trace entry is %zu bytes plus its "
           "arguments and probes\n",
           chain_len, reps, sizeof(tt_trace_entry));
    report("catalyst", "Catalyst", TT_MODE_CATALYST, false, 0, reps);
    report("trace", "Distiller, full trace", TT_MODE_DISTILLER, false, 0, reps);
    report("probe", "Distiller, one int probe", TT_MODE_DISTILLER, true, 0, reps);
    report("ring", "Distiller, trace ring of 4096", TT_MODE_DISTILLER, false, 4096, reps);
    printf("reproduce: bench/bench-engine %ld %d%s%s\n", chain_len, reps, which ? " " : "",
           which ? which : "");
    return 0;
}
