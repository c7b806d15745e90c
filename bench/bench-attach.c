/*
 * bench-attach: what a live viewer (ttdb -attach) pays to take in the
 * entries of one answer: rebuilding its whole session from a window of
 * WINDOW entries (tt_trace_parse, what ttdb did before tt_trace_append)
 * against appending only the new ones (tt_trace_append).
 *
 *     bench/bench-attach [WINDOW] [NEW]   (default 5000 100)
 *
 * Records a chain with the flight recorder, writes the recording, reads it
 * back, and times (CPU of this thread, medians of 7) writing WINDOW entries
 * as one run dictionary and parsing it, then writing NEW entries and
 * appending them to a session of WINDOW (kept at WINDOW).
 */
#include "chain.h"

#include <stdio.h>
#include <unistd.h>

/* Entries [from, to] of cat as one run dictionary (text to free). */
static char *run_text(const tt_catalyst *cat, uint64_t from, uint64_t to, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (!f)
        return NULL;
    fputs("{\"status\": \"running\", \"stop_condition\": \"live\", \"sparkle_trace\": [", f);
    for (uint64_t s = from; s <= to; s++) {
        if (s > from)
            fputs(", ", f);
        tt_entry_write_json(cat, tt_trace_get((tt_catalyst *)cat, s), f, TT_JSON_EXTENSIONS);
    }
    fputs("]}", f);
    fclose(f);
    return text;
}

int main(int argc, char **argv)
{
    long window = argc > 1 ? atol(argv[1]) : 5000;
    long fresh = argc > 2 ? atol(argv[2]) : 100;
    enum { REPS = 7 };
    if (window < 1 || fresh < 1) {
        fprintf(stderr, "usage: bench-attach [WINDOW] [NEW]\n");
        return 2;
    }
    long total = window + fresh * (REPS + 1);
    char path[4096];
    bench_tmp_template(path, sizeof path, "bench-attach");
    int fd = mkstemp(path);
    if (fd < 0) {
        fprintf(stderr, "bench-attach: cannot make a file %s\n", path);
        return 1;
    }
    close(fd);
    tt_catalyst *rec, *src;
    tt_catalyst_options o = {.mode = TT_MODE_CATALYST};
    if (tt_catalyst_new(&rec, &o) < 0 || tt_catalyst_record(rec, (size_t)total) < 0)
        return 1;
    tt_send(tt_tonic_new(rec, &chain_class, "Chain", NULL), "ttsc__tick", TT_INT(total));
    tt_catalyst_run(rec);
    int rc = tt_catalyst_write_record(rec, path, NULL);
    tt_catalyst_free(rec);
    tt_error err = {0};
    rc = rc < 0 ? rc : tt_trace_load(path, &src, &err);
    unlink(path);
    if (rc < 0) {
        fprintf(stderr, "bench-attach: %s\n", err.msg[0] ? err.msg : tt_strerror(rc));
        return 1;
    }
    uint64_t first = tt_trace_first_seq(src);
    double rebuild[REPS], append[REPS];
    for (int i = 0; i < REPS; i++) {
        size_t len;
        double t0 = bench_cpu_now();
        char *text = run_text(src, first, first + (uint64_t)window - 1, &len);
        tt_catalyst *cat = NULL;
        if (!text || tt_trace_parse(text, len, "window", &cat, &err) < 0) {
            fprintf(stderr, "bench-attach: %s\n", text ? err.msg : "out of memory");
            return 1;
        }
        rebuild[i] = bench_cpu_now() - t0;
        free(text);
        /* the session of the window goes on with the next NEW entries */
        uint64_t from = first + (uint64_t)window;
        t0 = bench_cpu_now();
        text = run_text(src, from, from + (uint64_t)fresh - 1, &len);
        if (!text || tt_trace_append(cat, text, len, "answer", (size_t)window, &err) < 0) {
            fprintf(stderr, "bench-attach: %s\n", text ? err.msg : "out of memory");
            return 1;
        }
        append[i] = bench_cpu_now() - t0;
        free(text);
        tt_catalyst_free(cat);
        first += (uint64_t)fresh; /* the window moves on as the viewer's does */
    }
    printf("rebuild a window of %ld entries: %.2f ms; append %ld new entries to it: %.2f ms "
           "(CPU, medians of %d)\n",
           window, bench_median(rebuild, REPS) * 1e3, fresh, bench_median(append, REPS) * 1e3,
           REPS);
    printf("reproduce: bench/bench-attach %ld %ld\n", window, fresh);
    tt_catalyst_free(src);
    return 0;
}
