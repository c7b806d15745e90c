/*
 * bench-record: the cost of the flight recorder on the production Catalyst,
 * as `ttrun --record` runs it (crash containment on while recording).
 *
 *     bench/bench-record [CHAIN_LENGTH] [RECORD_LAST]   (default 2000000 10000)
 *
 * Runs the chain once under tt_catalyst_run, recording the last RECORD_LAST
 * sparkles (0: not recording, no crash containment), and prints sparkles
 * per second.  Compare two processes, e.g. with /usr/bin/time:
 *     bench/bench-record 2000000 0  vs  bench/bench-record 2000000 10000
 * (a whole process also counts its start: about 60 ms of CPU through the
 * libtool wrapper and python3 for bench/ab.sh, against about 40 ms for the
 * chain itself, so its ratio understates the recorder's).
 *
 *     bench/bench-record CHAIN_LENGTH RECORD_LAST PAIRS
 *
 * runs the chain without and with recording in turn, PAIRS times in one
 * process, and prints the medians of the CPU time a sparkle takes (this
 * thread's clock, around tt_catalyst_run only) and of the pairs' ratios:
 * the recorder's cost without the process's start; then the same with the
 * whole process's CPU time, which counts the recorder's ticker thread
 * (record-clock.c).  TT_RECORD_CLOCK=exact in the environment times every
 * sparkle exactly.
 */
#include "chain.h"

#include <stdio.h>

/* CPU seconds of the whole process (the recorder's ticker thread too). */
static double process_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One chain of n under tt_catalyst_run recording the last `last` (0: not
 * recording); CPU ns a sparkle of this thread, or -1 (and of the whole
 * process in *proc). */
static double chain_cpu_ns(long n, long last, double *proc)
{
    tt_catalyst *cat;
    tt_catalyst_options o = {.mode = TT_MODE_CATALYST, .contain_crashes = last > 0};
    if (tt_catalyst_new(&cat, &o) < 0)
        return -1;
    const char *clock = getenv("TT_RECORD_CLOCK");
    if (last && (tt_catalyst_record(cat, (size_t)last) < 0 ||
                 tt_catalyst_record_clock(cat, clock && strcmp(clock, "exact") == 0
                                                   ? TT_RECORD_CLOCK_EXACT
                                                   : TT_RECORD_CLOCK_AUTO) < 0)) {
        tt_catalyst_free(cat);
        return -1;
    }
    tt_tonic *t = tt_tonic_new(cat, &chain_class, "Chain", NULL);
    tt_send(t, "ttsc__tick", TT_INT(n));
    double t0 = bench_cpu_now(), p0 = process_cpu_now();
    tt_catalyst_run(cat);
    double dt = bench_cpu_now() - t0, dp = process_cpu_now() - p0;
    tt_catalyst_free(cat);
    if (proc)
        *proc = dp / (double)(n + 1) * 1e9;
    return dt / (double)(n + 1) * 1e9;
}

/* PAIRS runs without and with recording, in turn. */
static int pairs_run(long n, long last, int pairs)
{
    double *off = malloc(5 * (size_t)pairs * sizeof *off), *on = off + pairs, *ratio = on + pairs;
    double *pon = ratio + pairs, *pratio = pon + pairs, poff;
    if (!off || chain_cpu_ns(n, 0, NULL) < 0 || chain_cpu_ns(n, last, NULL) < 0) /* warm-up */
        return 1;
    for (int i = 0; i < pairs; i++) {
        off[i] = chain_cpu_ns(n, 0, &poff);
        on[i] = chain_cpu_ns(n, last, &pon[i]);
        ratio[i] = on[i] / off[i];
        pratio[i] = pon[i] / poff;
    }
    printf("Catalyst, recording the last %ld: %.2f ns CPU a sparkle, not recording %.2f ns, "
           "ratio %.3f (medians of %d pairs of chains of %ld)\n",
           last, bench_median(on, pairs), bench_median(off, pairs), bench_median(ratio, pairs),
           pairs, n);
    printf("  the whole process (the recorder's ticker thread too): %.2f ns a recorded "
           "sparkle, ratio %.3f\n",
           bench_median(pon, pairs), bench_median(pratio, pairs));
    free(off);
    return 0;
}

int main(int argc, char **argv)
{
    long chain_len = argc > 1 ? atol(argv[1]) : 2000000;
    long last = argc > 2 ? atol(argv[2]) : 10000;
    int pairs = argc > 3 ? atoi(argv[3]) : 0;
    if (chain_len < 1 || last < 0 || pairs < 0 || (argc > 3 && (pairs < 1 || last < 1))) {
        fprintf(stderr, "usage: bench-record [CHAIN_LENGTH] [RECORD_LAST] [PAIRS]\n");
        return 2;
    }
    if (pairs)
        return pairs_run(chain_len, last, pairs);
    tt_catalyst *cat;
    tt_catalyst_options o = {.mode = TT_MODE_CATALYST, .contain_crashes = last > 0};
    if (tt_catalyst_new(&cat, &o) < 0 || (last && tt_catalyst_record(cat, (size_t)last) < 0))
        return 1;
    tt_tonic *t = tt_tonic_new(cat, &chain_class, "Chain", NULL);
    tt_send(t, "ttsc__tick", TT_INT(chain_len));
    double t0 = bench_now();
    tt_catalyst_run(cat);
    double dt = bench_now() - t0;
    printf("Catalyst, %s: %.0f sparkles/s\n", last ? "recording" : "not recording",
           (double)(chain_len + 1) / dt);
    tt_catalyst_free(cat);
    return 0;
}
