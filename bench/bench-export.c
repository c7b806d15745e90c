/*
 * bench-export.c: how fast, and in how little memory, each exporter writes
 * a session of a million trace entries.
 *
 * The chain tonic of chain.h (`ttsc__tick(n)` posts itself `ttsc__tick(n - 1)`
 * until 0, then finishes) fills a virtual Distiller's trace; then every
 * exporter loaded (TTDB_PLUGIN_PATH, else the installed plugin folder)
 * writes it twice:
 * straight to /dev/null (the exporter alone) and through ttdb_export_file to
 * a file in a temporary folder (temporary name, fsync, rename: what ttdb's
 * `export` does).  For each it prints the seconds, the output size and the
 * peak memory the export added (VmHWM after minus VmRSS before, with the
 * high-water mark reset through /proc/self/clear_refs).
 *
 * Goal (issue 5): each format <= 2 s and < 32 MiB extra for 1,000,000
 * entries.  The exit status is 1 when a goal is missed.
 *
 * Usage: bench/bench-export [ENTRIES [FOLDER]]
 *   e.g. make bench && TTDB_PLUGIN_PATH=$PWD/plugins/.libs bench/bench-export
 */
#include "tasktonic.h"
#include "ttdb-plugin.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain.h"

#define GOAL_SECONDS 2.0
#define GOAL_MIB 32.0

/* Reset the peak RSS (VmHWM) to the current RSS; false if not possible. */
static bool reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f)
        return false;
    bool ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok;
}

/* Print a warning from the plugin loader. */
static void warn(void *ud, const char *msg)
{
    (void)ud;
    fprintf(stderr, "bench-export: %s\n", msg);
}

/* Build a session of about `entries` trace entries in one run. */
static tt_catalyst *build(long entries, double *seconds)
{
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER, .wall_guard = -1};
    tt_catalyst *cat = NULL;
    if (tt_catalyst_new(&cat, &o) < 0)
        return NULL;
    tt_tonic *chain = tt_tonic_new(cat, &chain_class, "Chain", NULL);
    if (!chain)
        return NULL;
    double t = bench_now();
    tt_sparkle_args a = {.timeout = 1e9};
    tt_distiller_sparkle(cat, &a, NULL); /* start-up: 5 entries */
    long start = (long)tt_trace_last_seq(cat);
    tt_send(chain, "ttsc__tick", TT_INT(entries - start - 1));
    tt_distiller_sparkle(cat, &a, NULL);
    *seconds = bench_now() - t;
    return cat;
}

/* The size of a file in MiB (0 if unknown). */
static double file_mib(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (double)st.st_size / 1048576.0 : 0;
}

int main(int argc, char **argv)
{
    long entries = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
    char dir[512];
    if (argc > 2)
        snprintf(dir, sizeof dir, "%s", argv[2]);
    else
        bench_tmp_template(dir, sizeof dir, "bench-export");
    if (entries < 10) {
        fprintf(stderr, "usage: bench-export [ENTRIES (>= 10) [FOLDER]]\n");
        return 2;
    }
    if (argc <= 2 && !mkdtemp(dir)) {
        fprintf(stderr, "bench-export: cannot make a folder %s: %s\n", dir, strerror(errno));
        return 2;
    }

    ttdb_plugins *plugins = NULL;
    if (ttdb_plugins_load(&plugins, warn, NULL) < 0 || ttdb_plugins_count(plugins) == 0) {
        fprintf(stderr, "bench-export: no exporter plugins found; set "
                        "TTDB_PLUGIN_PATH to the build's plugins/.libs\n");
        return 2;
    }

    long rss0 = bench_rss_kib();
    double build_s;
    tt_catalyst *cat = build(entries, &build_s);
    if (!cat) {
        fprintf(stderr, "bench-export: cannot build the session\n");
        return 2;
    }
    long rss1 = bench_rss_kib();
    printf("session: %llu entries in %zu runs, built in %.2f s; trace %.1f MiB "
           "(RSS +%.1f MiB)\n",
           (unsigned long long)tt_trace_last_seq(cat), tt_run_count(cat), build_s,
           (double)tt_trace_memory(cat) / 1048576.0, (double)(rss1 - rss0) / 1024.0);
    bool can_peak = reset_peak();
    if (!can_peak)
        printf("(cannot reset the peak RSS: extra memory figures are upper bounds)\n");
    printf("%-8s %12s %12s %10s %14s\n", "format", "/dev/null s", "file s", "MiB",
           "peak extra MiB");

    int status = 0;
    for (size_t i = 0; i < ttdb_plugins_count(plugins); i++) {
        const ttdb_exporter *x = ttdb_plugins_at(plugins, i);
        char path[700];
        snprintf(path, sizeof path, "%s/bench.%s", dir, x->extension);

        /* the exporter alone, into /dev/null */
        FILE *f = fopen("/dev/null", "w");
        if (!f)
            return 2;
        setvbuf(f, NULL, _IOFBF, 1 << 16);
        ttdb_export_ctx ctx = {cat, 0, tt_run_count(cat), NULL, false};
        tt_error err = {0};
        reset_peak();
        long before = bench_rss_kib();
        double t = bench_now();
        int rc = x->write(&ctx, f, &err);
        double null_s = bench_now() - t;
        long peak = bench_peak_kib();
        fclose(f);
        if (rc < 0) {
            fprintf(stderr, "bench-export: %s: %s\n", x->name, err.msg);
            status = 1;
            continue;
        }

        /* through ttdb_export_file */
        reset_peak();
        long before2 = bench_rss_kib();
        t = bench_now();
        rc = ttdb_export_file(plugins, cat, path, x->name, false, NULL, &err);
        double file_s = bench_now() - t;
        long peak2 = bench_peak_kib();
        if (rc < 0) {
            fprintf(stderr, "bench-export: %s: %s\n", x->name, err.msg);
            status = 1;
            continue;
        }
        double extra = (double)((peak - before) > (peak2 - before2) ? peak - before
                                                                     : peak2 - before2) /
                       1024.0;
        double mib = file_mib(path);
        unlink(path);
        bool miss = null_s > GOAL_SECONDS || file_s > GOAL_SECONDS || extra >= GOAL_MIB;
        printf("%-8s %12.3f %12.3f %10.1f %14.1f%s\n", x->name, null_s, file_s, mib, extra,
               miss ? "  (goal missed)" : "");
        if (miss && entries <= 1000000)
            status = 1;
    }
    if (argc <= 2)
        rmdir(dir);
    printf("goal: each format <= %.0f s and < %.0f MiB extra for 1000000 entries\n",
           GOAL_SECONDS, GOAL_MIB);
    printf("reproduce: TTDB_PLUGIN_PATH=BUILD/plugins/.libs BUILD/bench/bench-export %ld\n",
           entries);
    ttdb_plugins_free(plugins);
    tt_catalyst_free(cat);
    return status;
}
