/*
 * test-soak.c: millions of sparkles with restarts, exports and a trace ring;
 * memory and file descriptors stay flat.
 *
 * Each round is what a long ttdb session does: a fresh Distiller with a
 * trace ring (a restart), a self-posting tonic with state changes and string
 * arguments run for SPARKLES_PER_ROUND sparkles in several runs, then the
 * session exported through every JSON/CSV exporter plugin (to files that
 * are replaced each round).  After the first round (the warm-up: allocator
 * arenas, loaded plugins) the heap in use (mallinfo2: what is allocated, not
 * what the kernel keeps resident, which other processes' memory pressure
 * changes) may not grow by more than HEAP_SLACK and the number of open
 * descriptors may not change; the resident set is printed.  Bounded:
 * ROUNDS x SPARKLES_PER_ROUND sparkles, well under a minute; under valgrind
 * (VALGRIND set by make check-valgrind) a hundredth of that.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tasktonic.h"
#include "ttdb-plugin.h"

#define ROUNDS 6
#define SPARKLES_PER_ROUND 400000L
#define HEAP_SLACK (1L << 20)

typedef struct pinger {
    int64_t n;
} pinger;

static void Pinger_ttse__on_start(tt_tonic *self)
{
    tt_to_state(self, "even");
    tt_send(self, "ttsc__ping", TT_STR("go"));
}

static void Pinger_ttsc_even__ping(tt_tonic *self, const char *word)
{
    (void)word;
    TT_DATA(pinger, self)->n++;
    tt_to_state(self, "odd");
    tt_send(self, "ttsc__ping", TT_STR("odd"));
}

static void Pinger_ttsc_odd__ping(tt_tonic *self, const char *word)
{
    (void)word;
    TT_DATA(pinger, self)->n++;
    tt_to_state(self, "even");
    tt_send(self, "ttsc__ping", TT_STR("even"));
}

static const tt_handler pinger_handlers[] = {
    TT_ON(Pinger, ttse__on_start),
    TT_ON(Pinger, ttsc_even__ping, const char *),
    TT_ON(Pinger, ttsc_odd__ping, const char *),
};
static const tt_probe_def pinger_probes[] = {TT_PROBE(pinger, n)};
static const tt_class Pinger_class = {
    .name = "Pinger",
    .data_size = sizeof(pinger),
    .handlers = pinger_handlers,
    .n_handlers = TT_COUNTOF(pinger_handlers),
    .probes = pinger_probes,
    .n_probes = TT_COUNTOF(pinger_probes),
};

/* Resident set size in bytes. */
static long rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &size, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * sysconf(_SC_PAGESIZE);
}

/* Bytes of heap in use (0 where malloc is not glibc's, e.g. under ASan). */
static long heap_bytes(void)
{
    struct mallinfo2 mi = mallinfo2();
    return (long)(mi.uordblks + mi.hblkhd);
}

/* Number of open file descriptors. */
static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    while (d && readdir(d))
        n++;
    if (d)
        closedir(d);
    return n;
}

/* One round: a fresh Distiller, the runs, the exports. */
static void round_once(ttdb_plugins *pl, const char *dir, long sparkles)
{
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER, .trace_ring = 65536,
                             .contain_crashes = true};
    tt_catalyst *cat = NULL;
    assert_int_equal(tt_catalyst_new(&cat, &o), 0);
    assert_non_null(tt_tonic_new(cat, &Pinger_class, "Pinger", NULL));
    tt_contract *c = tt_contract_new();
    assert_non_null(c);
    assert_int_equal(tt_contract_add_probe(c, "Pinger", "n"), 0);
    long per_run = sparkles / 4;
    for (int r = 0; r < 4; r++) {
        tt_sparkle_args a = {.sparkle_count = per_run, .contract = r == 3 ? c : NULL};
        const tt_run *run = NULL;
        assert_int_equal(tt_distiller_sparkle(cat, &a, &run), 0);
        assert_true(tt_run_entry_count(run) >= (uint64_t)per_run);
    }
    tt_contract_free(c);
    static const char *const files[] = {"soak.json", "soak.csv", "soak.chrome.json"};
    for (size_t i = 0; pl && i < TT_COUNTOF(files); i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        tt_error err;
        if (ttdb_export_file(pl, cat, path, NULL, false, NULL, &err) < 0)
            fail_msg("export %s: %s", path, err.msg);
    }
    tt_catalyst_free(cat);
}

static void test_soak(void **state)
{
    (void)state;
    const char *vg = getenv("VALGRIND");
    long sparkles = vg && *vg ? SPARKLES_PER_ROUND / 100 : SPARKLES_PER_ROUND;
    ttdb_plugins *pl = NULL;
    if (getenv("TTDB_PLUGIN_PATH"))
        assert_int_equal(ttdb_plugins_load_path(&pl, getenv("TTDB_PLUGIN_PATH"), NULL,
                                                NULL),
                         0);
    char dir[] = "/tmp/tt-soak.XXXXXX";
    assert_non_null(mkdtemp(dir));

    round_once(pl, dir, sparkles); /* warm-up */
    long rss0 = rss_bytes(), heap0 = heap_bytes();
    int fds0 = open_fds();
    for (int i = 1; i < ROUNDS; i++)
        round_once(pl, dir, sparkles);
    long rss1 = rss_bytes(), heap1 = heap_bytes();
    int fds1 = open_fds();
    print_message("# %d rounds of %ld sparkles: heap in use %ld KiB after the first, "
                  "%ld KiB after the last; RSS %ld KiB, then %ld KiB; %d open fds, "
                  "then %d\n",
                  ROUNDS, sparkles, heap0 >> 10, heap1 >> 10, rss0 >> 10, rss1 >> 10,
                  fds0, fds1);
    assert_int_equal(fds1, fds0);
    if (heap1 > heap0 + HEAP_SLACK)
        fail_msg("the heap in use grew from %ld to %ld KiB", heap0 >> 10, heap1 >> 10);

    static const char *const files[] = {"soak.json", "soak.csv", "soak.chrome.json"};
    for (size_t i = 0; i < TT_COUNTOF(files); i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    ttdb_plugins_free(pl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_soak),
    };
    return cmocka_run_group_tests_name("soak", tests, NULL, NULL);
}
