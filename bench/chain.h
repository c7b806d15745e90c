/*
 * chain.h: the benchmark tonic.  `ttsc__tick(n)` queues itself with n - 1
 * until n reaches 0, then finishes the tonic, so one post makes a chain of
 * n + 1 sparkles and the catalyst finishes after it.
 */
#ifndef BENCH_CHAIN_H
#define BENCH_CHAIN_H

#include "tasktonic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct chain {
    int64_t n;
} chain;

static void Chain_ttsc__tick(tt_tonic *self, int64_t n)
{
    TT_DATA(chain, self)->n = n;
    if (n > 0)
        tt_send(self, "ttsc__tick", TT_INT(n - 1));
    else
        tt_finish(self);
}

static const tt_handler chain_handlers[] = {TT_ON(Chain, ttsc__tick, int64_t)};
static const tt_probe_def chain_probes[] = {TT_PROBE(chain, n)};
static const tt_class chain_class = {
    .name = "Chain",
    .data_size = sizeof(chain),
    .handlers = chain_handlers,
    .n_handlers = TT_COUNTOF(chain_handlers),
    .probes = chain_probes,
    .n_probes = TT_COUNTOF(chain_probes),
};

/* A mkstemp/mkdtemp template for NAME under $TMPDIR (else /tmp) in buf. */
static inline void bench_tmp_template(char *buf, size_t size, const char *name)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, size, "%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
}

/* Monotonic seconds. */
static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU seconds of the calling thread: what a run costs, on a shared machine
 * where wall time also counts the other processes. */
static inline double bench_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of n values (sorts them). */
static inline double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

/* Peak resident set size so far, in KiB (VmHWM). */
static inline long bench_peak_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kib = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kib;
}

/* Current resident set size, in KiB (VmRSS). */
static inline long bench_rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kib = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kib;
}

#endif
