/*
 * bench-json: time and extra peak memory of writing a long trace as JSON with
 * the library's streaming writer.
 *
 *     bench/bench-json [ENTRIES] [FILE]     (default 1000000, a temp file)
 */
#include "chain.h"

#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    char tmpl[4096];
    bench_tmp_template(tmpl, sizeof tmpl, "bench-json");
    const char *path = argc > 2 ? argv[2] : NULL;
    if (n < 1) {
        fprintf(stderr, "usage: bench-json [ENTRIES] [FILE]\n");
        return 2;
    }
    tt_catalyst *cat;
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER, .wall_guard = -1};
    if (tt_catalyst_new(&cat, &o) < 0)
        return 1;
    tt_tonic *t = tt_tonic_new(cat, &chain_class, "Chain", NULL);
    tt_send(t, "ttsc__tick", TT_INT(n - 1));
    const tt_run *r;
    tt_sparkle_args a = {.sparkle_count = n};
    tt_distiller_sparkle(cat, &a, &r);
    if (!path) {
        int fd = mkstemp(tmpl);
        if (fd < 0)
            return 1;
        close(fd);
        path = tmpl;
    }
    FILE *f = fopen(path, "w");
    if (!f)
        return 1;
    long before = bench_rss_kib();
    long peak0 = bench_peak_kib();
    double t0 = bench_now();
    int rc = tt_run_write_json(cat, r, f, 0);
    rc |= fclose(f);
    double dt = bench_now() - t0;
    long peak1 = bench_peak_kib();
    long extra = peak1 - (peak0 > before ? peak0 : before);
    printf("wrote %llu entries as JSON in %.3f s (%.0f entries/s), extra peak memory %ld KiB%s\n",
           (unsigned long long)tt_run_entry_count(r), dt, (double)tt_run_entry_count(r) / dt,
           extra < 0 ? 0 : extra, rc ? " (write error)" : "");
    printf("reproduce: bench/bench-json %ld\n", n);
    if (path == tmpl)
        unlink(tmpl);
    tt_catalyst_free(cat);
    return rc ? 1 : 0;
}
