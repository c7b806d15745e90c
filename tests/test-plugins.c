/*
 * test-plugins.c: the exporter plugins and their loader.
 *
 * Two sessions are built with in-test tonic classes on a virtual Distiller:
 * `hierarchy` (a Parent that creates a Child, sends it work and finishes,
 * as the reference scenario) and `awkward` (strings with quotes, commas,
 * newlines, control characters and non-ASCII text, in arguments, probes and
 * tonic names).  Every exporter writes both through ttdb_export_file; the
 * output is then read back with a real consumer: jansson for JSON, a small
 * RFC 4180 reader for CSV, `dot -Tsvg` for Graphviz (skipped when dot is
 * missing), line checks for Mermaid.  Failures: unwritable folders, a write
 * that fails half way (RLIMIT_FSIZE), write errors of every exporter
 * (/dev/full), unknown formats and options, and broken plugin modules.
 *
 * Needs TTDB_PLUGIN_PATH (the built plugins/.libs) and top_builddir (for the
 * test modules in tests/.libs), as `make check` exports them.  With
 * TTDB_TEST_KEEP set, the exported files stay in the temporary folder (its
 * name is printed) for a look by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tasktonic.h"
#include "ttdb-plugin.h"

/* ====================================================================== */
/* In-test tonic classes                                                  */
/* ====================================================================== */

/* --- hierarchy: Parent and Child, as the reference scenario ------------ */

typedef struct child_data {
    int64_t work_done;
} child_data;

typedef struct parent_data {
    tt_tonic *child;
    int64_t result;
    int64_t pings;
} parent_data;

/* Start-up: enter ready. */
static void Child_ttse__on_start(tt_tonic *self)
{
    tt_to_state(self, "ready");
}

/* Work, and report twice x to the base. */
static void Child_ttsc_ready__work(tt_tonic *self, int64_t x)
{
    TT_DATA(child_data, self)->work_done++;
    tt_send(tt_tonic_base(self), "ttse__on_child_done", TT_INT(x * 2));
}

static const tt_handler child_handlers[] = {
    TT_ON(Child, ttse__on_start),
    TT_ON(Child, ttsc_ready__work, int64_t),
};
static const tt_probe_def child_probes[] = {TT_PROBE(child_data, work_done)};
static const tt_class Child_class = {
    .name = "Child",
    .data_size = sizeof(child_data),
    .handlers = child_handlers,
    .n_handlers = TT_COUNTOF(child_handlers),
    .probes = child_probes,
    .n_probes = TT_COUNTOF(child_probes),
};

/* Start-up: create the Child, enter idle. */
static void Parent_ttse__on_start(tt_tonic *self)
{
    TT_DATA(parent_data, self)->child =
        tt_tonic_new(tt_tonic_catalyst(self), &Child_class, "Child", NULL);
    tt_to_state(self, "idle");
}

/* In idle: hand the work to the child. */
static void Parent_ttsc_idle__run(tt_tonic *self, int64_t x)
{
    tt_to_state(self, "waiting");
    tt_send(TT_DATA(parent_data, self)->child, "ttsc__work", TT_INT(x));
}

/* The child's answer: keep it, be done, finish. */
static void Parent_ttse_waiting__on_child_done(tt_tonic *self, int64_t result)
{
    TT_DATA(parent_data, self)->result = result;
    tt_to_state(self, "done");
    tt_finish(self);
}

/* Declares the state done. */
static void Parent_ttse_done__on_enter(tt_tonic *self)
{
    (void)self;
}

/* Count pings. */
static void Parent_ttsc__ping(tt_tonic *self)
{
    TT_DATA(parent_data, self)->pings++;
}

static const tt_handler parent_handlers[] = {
    TT_ON(Parent, ttse__on_start),
    TT_ON(Parent, ttsc_idle__run, int64_t),
    TT_ON(Parent, ttse_waiting__on_child_done, int64_t),
    TT_ON(Parent, ttse_done__on_enter),
    TT_ON(Parent, ttsc__ping),
};
static const tt_probe_def parent_probes[] = {
    TT_PROBE(parent_data, result),
    TT_PROBE(parent_data, pings),
};
static const tt_class Parent_class = {
    .name = "Parent",
    .data_size = sizeof(parent_data),
    .handlers = parent_handlers,
    .n_handlers = TT_COUNTOF(parent_handlers),
    .probes = parent_probes,
    .n_probes = TT_COUNTOF(parent_probes),
};

/* --- awkward: strings that exporters must survive ---------------------- */

typedef struct weird_data {
    char *last; /* the last string said (probe) */
} weird_data;

/* Keep a copy of s as the probe value. */
static void weird_keep(tt_tonic *self, const char *s)
{
    weird_data *d = TT_DATA(weird_data, self);
    free(d->last);
    d->last = strdup(s);
}

/* Start-up: be quiet. */
static void Weird_ttse__on_start(tt_tonic *self)
{
    tt_to_state(self, "quiet");
}

/* Say something while quiet: start talking. */
static void Weird_ttsc_quiet__say(tt_tonic *self, const char *s, int64_t n, double d)
{
    (void)n;
    (void)d;
    weird_keep(self, s);
    tt_to_state(self, "talking");
}

/* Say something while talking: fall quiet. */
static void Weird_ttsc_talking__say(tt_tonic *self, const char *s, int64_t n, double d)
{
    (void)n;
    (void)d;
    weird_keep(self, s);
    tt_to_state(self, "quiet");
}

/* Free the probe string. */
static void weird_destroy(tt_tonic *self)
{
    free(TT_DATA(weird_data, self)->last);
}

static const tt_handler weird_handlers[] = {
    TT_ON(Weird, ttse__on_start),
    TT_ON(Weird, ttsc_quiet__say, const char *, int64_t, double),
    TT_ON(Weird, ttsc_talking__say, const char *, int64_t, double),
};
static const tt_probe_def weird_probes[] = {TT_PROBE(weird_data, last)};
static const tt_class Weird_class = {
    .name = "Weird",
    .data_size = sizeof(weird_data),
    .destroy = weird_destroy,
    .handlers = weird_handlers,
    .n_handlers = TT_COUNTOF(weird_handlers),
    .probes = weird_probes,
    .n_probes = TT_COUNTOF(weird_probes),
};

static const char *const awkward_strings[] = {
    "comma, \"double\" and 'single' quotes",
    "line1\nline2\r\nline3\rend",
    "tab\there; #hash <b>bold</b> %% -> x",
    "non-ASCII: h\xc3\xa9llo \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\x89",
    "back\\slash \\n not a newline",
    "",
    " leading and trailing ",
    "control \x01\x1f chars",
};
#define N_AWKWARD (sizeof awkward_strings / sizeof awkward_strings[0])
static const char *const awkward_names[] = {
    "Odd \"one\", x;#<y>",
    "W\xc3\xa9ird\nTwo",
};

/* ====================================================================== */
/* Fixtures                                                               */
/* ====================================================================== */

typedef struct warnings {
    char msg[16][1024];
    int n;
} warnings;

/* Collect loader warnings. */
static void collect(void *ud, const char *msg)
{
    warnings *w = ud;
    if (w->n < 16)
        snprintf(w->msg[w->n++], sizeof w->msg[0], "%s", msg);
}

typedef struct world {
    ttdb_plugins *plugins;
    warnings warn;
    tt_catalyst *hier;    /* hierarchy session */
    tt_catalyst *awk;     /* awkward session */
    char dir[256];        /* private temporary folder */
} world;

static world W;

/* A path in the private folder. */
static const char *tmp_path(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", W.dir, name);
    return buf[k];
}

/* A new virtual Distiller. */
static tt_catalyst *new_distiller(void)
{
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER};
    tt_catalyst *cat = NULL;
    int rc = tt_catalyst_new(&cat, &o);
    if (rc < 0)
        fail_msg("tt_catalyst_new: %s", tt_strerror(rc));
    return cat;
}

/* One sparkle() with an optional contract taking the given probes. */
static void run(tt_catalyst *cat, const char *const *probes, size_t nprobes)
{
    tt_contract *c = NULL;
    if (nprobes) {
        c = tt_contract_new();
        assert_non_null(c);
        for (size_t i = 0; i < nprobes; i++)
            assert_int_equal(tt_contract_add_probe(c, NULL, probes[i]), 0);
    }
    tt_sparkle_args a = {.timeout = 10, .contract = c};
    const tt_run *r = NULL;
    int rc = tt_distiller_sparkle(cat, &a, &r);
    if (rc < 0)
        fail_msg("sparkle: %s (%s)", tt_strerror(rc), tt_catalyst_errmsg(cat));
    tt_contract_free(c);
}

/* The hierarchy session: start-up; run(21) to the end; one more sparkle()
 * after the catalyst finished (a run without trace). */
static tt_catalyst *build_hierarchy(void)
{
    static const char *const probes[] = {"result", "pings", "work_done"};
    tt_catalyst *cat = new_distiller();
    tt_tonic *parent = tt_tonic_new(cat, &Parent_class, "Parent", NULL);
    assert_non_null(parent);
    run(cat, NULL, 0);
    assert_int_equal(tt_send(parent, "ttsc__run", TT_INT(21)), 0);
    run(cat, probes, 3);
    run(cat, NULL, 0);
    return cat;
}

/* The awkward session: two oddly named tonics, then every awkward string. */
static tt_catalyst *build_awkward(void)
{
    static const char *const probes[] = {"last"};
    tt_catalyst *cat = new_distiller();
    tt_tonic *a = tt_tonic_new(cat, &Weird_class, awkward_names[0], NULL);
    tt_tonic *b = tt_tonic_new(cat, &Weird_class, awkward_names[1], NULL);
    assert_non_null(a);
    assert_non_null(b);
    run(cat, NULL, 0);
    for (size_t i = 0; i < N_AWKWARD; i++)
        assert_int_equal(tt_send(i % 2 ? b : a, "ttsc__say", TT_STR(awkward_strings[i]),
                                 TT_INT((int64_t)i - 3), TT_DOUBLE(0.5 + (double)i)),
                         0);
    run(cat, probes, 1);
    return cat;
}

/* Remove every file of the private folder, then the folder. */
static void rm_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    char path[1024];
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            rm_dir(path);
        else
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

/* Load the plugins and build the sessions. */
static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(W.dir, sizeof W.dir, "%s/test-plugins-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(W.dir))
        return -1;
    if (!getenv("TTDB_PLUGIN_PATH")) {
        fprintf(stderr, "# TTDB_PLUGIN_PATH is not set (run through make check)\n");
        return -1;
    }
    /* Only the build's plugins: an installed ttdb must not change the test. */
    if (ttdb_plugins_load_path(&W.plugins, getenv("TTDB_PLUGIN_PATH"), collect, &W.warn) < 0)
        return -1;
    W.hier = build_hierarchy();
    W.awk = build_awkward();
    return 0;
}

/* Free everything. */
static int teardown(void **state)
{
    (void)state;
    ttdb_plugins_free(W.plugins);
    tt_catalyst_free(W.hier);
    tt_catalyst_free(W.awk);
    if (getenv("TTDB_TEST_KEEP"))
        print_message("# outputs kept in %s\n", W.dir);
    else
        rm_dir(W.dir);
    return 0;
}

/* ====================================================================== */
/* Helpers                                                                */
/* ====================================================================== */

/* The whole file (NUL-terminated, malloc'ed); NULL if it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* What a writer function prints, as a string. */
static char *capture(int (*fn)(const tt_catalyst *, const void *, FILE *, unsigned),
                     const tt_catalyst *cat, const void *what, unsigned flags)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(fn(cat, what, f, flags), 0);
    fclose(f);
    return buf;
}

/* Adapters for capture(). */
static int session_json(const tt_catalyst *cat, const void *what, FILE *f, unsigned fl)
{
    (void)what;
    return tt_session_write_json(cat, f, fl);
}
static int run_json(const tt_catalyst *cat, const void *what, FILE *f, unsigned fl)
{
    return tt_run_write_json(cat, what, f, fl);
}

/* Export and insist on success. */
static void export_ok(tt_catalyst *cat, const char *path, const char *format,
                      bool last_only, const char *options)
{
    tt_error err = {0};
    int rc = ttdb_export_file(W.plugins, cat, path, format, last_only, options, &err);
    if (rc != 0)
        fail_msg("export %s %s: %s (%s)", path, format ? format : "", err.msg,
                 tt_strerror(rc));
}

/* True when path exists. */
static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Number of files in dir whose name starts with prefix. */
static int count_prefixed(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
    if (d)
        closedir(d);
    return n;
}

/* Every trace entry of the session, in order (count into *n). */
static const tt_trace_entry **all_entries(const tt_catalyst *cat, size_t *n)
{
    size_t cap = 0;
    *n = 0;
    for (size_t r = 0; r < tt_run_count(cat); r++) {
        const tt_run *run = tt_run_at(cat, r);
        if (tt_run_has_trace(run))
            cap += tt_run_entry_count(run);
    }
    const tt_trace_entry **v = calloc(cap ? cap : 1, sizeof *v);
    assert_non_null(v);
    for (size_t r = 0; r < tt_run_count(cat); r++) {
        const tt_run *run = tt_run_at(cat, r);
        if (!tt_run_has_trace(run))
            continue;
        for (uint64_t i = 0; i < tt_run_entry_count(run); i++)
            v[(*n)++] = tt_trace_get(cat, tt_run_first_seq(run) + i);
    }
    return v;
}

/* The entry's args as a JSON list, via the library's value writer. */
static json_t *args_of(const tt_trace_entry *e)
{
    tt_list l = {e->nargs, e->args};
    tt_value v = {.type = TT_T_LIST, .u.list = &l};
    size_t n = tt_value_to_json(&v, NULL, 0);
    char *s = malloc(n + 1);
    assert_non_null(s);
    tt_value_to_json(&v, s, n + 1);
    json_error_t je;
    json_t *j = json_loads(s, 0, &je);
    if (!j)
        fail_msg("args JSON %s: %s", s, je.text);
    free(s);
    return j;
}

/* ====================================================================== */
/* Loader                                                                 */
/* ====================================================================== */

/* The five exporters load from TTDB_PLUGIN_PATH without a warning. */
static void test_load_all(void **state)
{
    (void)state;
    for (int i = 0; i < W.warn.n; i++)
        print_message("# warning: %s\n", W.warn.msg[i]);
    assert_int_equal(W.warn.n, 0);
    static const char *const names[] = {"json", "chrome", "csv", "mermaid", "dot"};
    for (size_t i = 0; i < 5; i++) {
        const ttdb_exporter *x = ttdb_plugins_find(W.plugins, names[i]);
        if (!x)
            fail_msg("exporter %s not loaded", names[i]);
        assert_int_equal(x->abi, TTDB_PLUGIN_ABI);
        assert_non_null(x->description);
        assert_true(strlen(x->description) > 10);
        assert_null(strchr(x->description, '\n'));
    }
    assert_true(ttdb_plugins_count(W.plugins) >= 5);
    for (size_t i = 0; i < ttdb_plugins_count(W.plugins); i++) {
        const char *p = ttdb_plugins_path_at(W.plugins, i);
        assert_non_null(p);
        assert_true(exists(p));
        assert_non_null(ttdb_plugins_at(W.plugins, i));
    }
    assert_null(ttdb_plugins_at(W.plugins, ttdb_plugins_count(W.plugins)));
}

/* ttdb_plugins_load reads TTDB_PLUGIN_PATH first. */
static void test_load_env(void **state)
{
    (void)state;
    warnings w = {0};
    ttdb_plugins *p = NULL;
    assert_int_equal(ttdb_plugins_load(&p, collect, &w), 0);
    const char *dir = getenv("TTDB_PLUGIN_PATH");
    for (size_t i = 0; i < ttdb_plugins_count(W.plugins); i++) {
        const ttdb_exporter *x = ttdb_plugins_at(W.plugins, i);
        const ttdb_exporter *y = ttdb_plugins_find(p, x->name);
        assert_non_null(y);
        for (size_t j = 0; j < ttdb_plugins_count(p); j++)
            if (ttdb_plugins_at(p, j) == y)
                assert_int_equal(strncmp(ttdb_plugins_path_at(p, j), dir, strlen(dir)), 0);
    }
    ttdb_plugins_free(p);
}

/* Names, extensions and file names choose the right exporter. */
static void test_find(void **state)
{
    (void)state;
    const ttdb_plugins *p = W.plugins;
    assert_string_equal(ttdb_plugins_find(p, "mmd")->name, "mermaid");
    assert_string_equal(ttdb_plugins_find(p, "CSV")->name, "csv");
    assert_string_equal(ttdb_plugins_for_file(p, "out.json")->name, "json");
    assert_string_equal(ttdb_plugins_for_file(p, "dir.x/out.chrome.json")->name, "chrome");
    assert_string_equal(ttdb_plugins_for_file(p, "a.b.csv")->name, "csv");
    assert_string_equal(ttdb_plugins_for_file(p, "seq.mmd")->name, "mermaid");
    assert_string_equal(ttdb_plugins_for_file(p, "g.dot")->name, "dot");
    assert_null(ttdb_plugins_for_file(p, "g.gv"));
    assert_null(ttdb_plugins_for_file(p, "dir.json/noext"));
    assert_null(ttdb_plugins_for_file(p, ".json"));
    assert_null(ttdb_plugins_find(p, "nope"));
}

/* A folder listed twice loads each exporter once, silently. */
static void test_duplicates_skipped(void **state)
{
    (void)state;
    const char *dir = getenv("TTDB_PLUGIN_PATH");
    char path[2048];
    snprintf(path, sizeof path, "%s:%s", dir, dir);
    warnings w = {0};
    ttdb_plugins *p = NULL;
    assert_int_equal(ttdb_plugins_load_path(&p, path, collect, &w), 0);
    assert_int_equal(w.n, 0);
    assert_int_equal(ttdb_plugins_count(p), ttdb_plugins_count(W.plugins));
    ttdb_plugins_free(p);
}

/* The .so of a test module built by libtool in tests/. */
static void test_module(const char *name, char *buf, size_t size)
{
    const char *top = getenv("top_builddir");
    snprintf(buf, size, "%s/tests/.libs/%s.so", top ? top : ".", name);
}

/* A wrong ABI version, a missing descriptor and a file that is no shared
 * object are each refused with one clear line naming the file. */
static void test_bad_plugins(void **state)
{
    (void)state;
    char src[1024], dst[1024];
    const char *dir = tmp_path("badplugins");
    assert_int_equal(mkdir(dir, 0755), 0);
    test_module("plugin-badabi", src, sizeof src);
    if (!exists(src))
        fail_msg("%s is missing (make check builds it)", src);
    snprintf(dst, sizeof dst, "%s/a-badabi.so", dir);
    assert_int_equal(symlink(src, dst), 0);
    test_module("plugin-nodesc", src, sizeof src);
    snprintf(dst, sizeof dst, "%s/b-nodesc.so", dir);
    assert_int_equal(symlink(src, dst), 0);
    snprintf(dst, sizeof dst, "%s/c-junk.so", dir);
    FILE *f = fopen(dst, "w");
    assert_non_null(f);
    fputs("not an ELF file\n", f);
    fclose(f);
    snprintf(dst, sizeof dst, "%s/readme.txt", dir); /* not *.so: ignored */
    f = fopen(dst, "w");
    assert_non_null(f);
    fclose(f);

    warnings w = {0};
    ttdb_plugins *p = NULL;
    char path[1200];
    snprintf(path, sizeof path, "%s:%s/missing-folder", dir, dir);
    assert_int_equal(ttdb_plugins_load_path(&p, path, collect, &w), 0);
    assert_int_equal(ttdb_plugins_count(p), 0);
    for (int i = 0; i < w.n; i++)
        print_message("# %s\n", w.msg[i]);
    assert_int_equal(w.n, 4);
    /* sorted by file name: badabi, nodesc, junk; then the missing folder */
    assert_non_null(strstr(w.msg[0], "a-badabi.so"));
    char want[64];
    snprintf(want, sizeof want, "ABI version %d,", TTDB_PLUGIN_ABI + 98);
    assert_non_null(strstr(w.msg[0], want));
    snprintf(want, sizeof want, "needs version %d;", TTDB_PLUGIN_ABI);
    assert_non_null(strstr(w.msg[0], want));
    assert_non_null(strstr(w.msg[0], "skipped"));
    assert_non_null(strstr(w.msg[1], "b-nodesc.so"));
    assert_non_null(strstr(w.msg[1], "not an exporter plugin"));
    assert_non_null(strstr(w.msg[1], TTDB_EXPORTER_SYMBOL));
    assert_non_null(strstr(w.msg[2], "c-junk.so"));
    assert_non_null(strstr(w.msg[2], "cannot load"));
    assert_non_null(strstr(w.msg[3], "missing-folder"));
    for (int i = 0; i < w.n; i++)
        assert_null(strchr(w.msg[i], '\n'));
    ttdb_plugins_free(p);

    /* The good plugins still load when a bad folder comes first. */
    snprintf(path, sizeof path, "%s:%s", dir, getenv("TTDB_PLUGIN_PATH"));
    memset(&w, 0, sizeof w);
    assert_int_equal(ttdb_plugins_load_path(&p, path, collect, &w), 0);
    assert_int_equal(w.n, 3);
    assert_non_null(ttdb_plugins_find(p, "json"));
    ttdb_plugins_free(p);
}

/* ====================================================================== */
/* json                                                                   */
/* ====================================================================== */

/* The session export is the library's session JSON; -last is the last run's
 * dictionary; jansson reads both. */
static void test_json(void **state)
{
    (void)state;
    tt_catalyst *cats[] = {W.hier, W.awk};
    for (size_t k = 0; k < 2; k++) {
        tt_catalyst *cat = cats[k];
        const char *path = tmp_path("session.json");
        export_ok(cat, path, NULL, false, NULL);
        char *got = slurp(path, NULL);
        assert_non_null(got);
        char *want = capture(session_json, cat, NULL, TT_JSON_EXTENSIONS);
        assert_string_equal(got, want);
        json_error_t je;
        json_t *j = json_loads(got, 0, &je);
        if (!j)
            fail_msg("session JSON does not parse: %s line %d", je.text, je.line);
        assert_true(json_is_array(j));
        assert_int_equal(json_array_size(j), tt_run_count(cat));
        json_t *r1 = json_array_get(j, 1);
        assert_true(json_is_array(json_object_get(r1, "sparkle_trace")));
        json_t *e0 = json_array_get(json_object_get(r1, "sparkle_trace"), 0);
        assert_non_null(json_object_get(e0, "seq")); /* extensions by default */
        json_decref(j);
        free(got);
        free(want);

        /* -last, plain and pretty */
        path = tmp_path("last.json");
        export_ok(cat, path, "json", true, "extensions=no pretty=yes");
        got = slurp(path, NULL);
        const tt_run *last = tt_run_at(cat, tt_run_count(cat) - 1);
        want = capture(run_json, cat, last, TT_JSON_PRETTY);
        size_t wl = strlen(want);
        assert_int_equal(strncmp(got, want, wl), 0);
        assert_string_equal(got + wl, "\n"); /* one dictionary and a newline */
        j = json_loads(got, 0, &je);
        if (!j)
            fail_msg("run JSON does not parse: %s line %d", je.text, je.line);
        assert_true(json_is_object(j));
        assert_non_null(json_object_get(j, "status"));
        json_decref(j);
        free(got);
        free(want);
    }
}

/* The awkward strings come back unchanged from the JSON export. */
static void test_json_awkward(void **state)
{
    (void)state;
    const char *path = tmp_path("awkward.json");
    export_ok(W.awk, path, NULL, true, NULL);
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j)
        fail_msg("%s: %s", path, je.text);
    json_t *trace = json_object_get(j, "sparkle_trace");
    size_t found = 0, i;
    json_t *e;
    json_array_foreach(trace, i, e) {
        if (strcmp(json_string_value(json_object_get(e, "sparkle")), "ttsc__say"))
            continue;
        const char *s = json_string_value(json_array_get(json_object_get(e, "args"), 0));
        assert_non_null(s);
        assert_string_equal(s, awkward_strings[found]);
        const char *tonic = json_string_value(json_object_get(e, "tonic"));
        assert_string_equal(tonic, awkward_names[found % 2]);
        found++;
    }
    assert_int_equal(found, N_AWKWARD);
    json_decref(j);
}

/* ====================================================================== */
/* chrome                                                                 */
/* ====================================================================== */

/* The thread id whose thread_name is name, -1 if none. */
static json_int_t tid_named(json_t *events, const char *name)
{
    size_t i;
    json_t *ev;
    json_array_foreach(events, i, ev) {
        const char *ph = json_string_value(json_object_get(ev, "ph"));
        const char *n = json_string_value(json_object_get(ev, "name"));
        if (ph && n && !strcmp(ph, "M") && !strcmp(n, "thread_name")) {
            const char *tn =
                json_string_value(json_object_get(json_object_get(ev, "args"), "name"));
            if (tn && !strcmp(tn, name))
                return json_integer_value(json_object_get(ev, "tid"));
        }
    }
    return -1;
}

/* The first event with phase ph, name name (NULL: any) on thread tid. */
static json_t *find_event(json_t *events, const char *ph, const char *name,
                          json_int_t tid)
{
    size_t i;
    json_t *ev;
    json_array_foreach(events, i, ev) {
        const char *p = json_string_value(json_object_get(ev, "ph"));
        const char *n = json_string_value(json_object_get(ev, "name"));
        if (p && !strcmp(p, ph) && (!name || (n && !strcmp(n, name))) &&
            json_integer_value(json_object_get(ev, "tid")) == tid)
            return ev;
    }
    return NULL;
}

/* The flow event with phase ph and id that binds to the complete event
 * `slice` in every viewer: the same thread, ts and category (the Chrome
 * DevTools trace engine's rule; Perfetto's "enclosing slice" holds then),
 * or NULL. */
static json_t *find_flow(json_t *events, const char *ph, json_int_t id, json_t *slice)
{
    json_int_t tid = json_integer_value(json_object_get(slice, "tid"));
    double ts = json_number_value(json_object_get(slice, "ts"));
    const char *cat = json_string_value(json_object_get(slice, "cat"));
    size_t i;
    json_t *ev;
    json_array_foreach(events, i, ev) {
        const char *p = json_string_value(json_object_get(ev, "ph"));
        const char *c = json_string_value(json_object_get(ev, "cat"));
        double t = json_number_value(json_object_get(ev, "ts"));
        if (p && !strcmp(p, ph) && json_integer_value(json_object_get(ev, "id")) == id &&
            json_integer_value(json_object_get(ev, "tid")) == tid && t == ts && c && cat &&
            !strcmp(c, cat))
            return ev;
    }
    return NULL;
}

/* Tracks per tonic, complete events with args, state spans, the flow
 * Parent.ttsc__run -> Child.ttsc__work, the queue counter, run markers. */
static void test_chrome_hierarchy(void **state)
{
    (void)state;
    const char *path = tmp_path("hier.chrome.json");
    export_ok(W.hier, path, NULL, false, NULL);
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j)
        fail_msg("%s: %s line %d", path, je.text, je.line);
    assert_string_equal(json_string_value(json_object_get(j, "displayTimeUnit")), "ms");
    json_t *events = json_object_get(j, "traceEvents");
    assert_true(json_is_array(events));

    json_int_t parent = tid_named(events, "Parent"), child = tid_named(events, "Child");
    assert_true(parent > 0);
    assert_true(child > 0);
    assert_true(parent != child);
    assert_true(tid_named(events, "tt_main_catalyst") > 0);

    json_t *run = find_event(events, "X", "ttsc__run", parent);
    json_t *work = find_event(events, "X", "ttsc__work", child);
    assert_non_null(run);
    assert_non_null(work);
    json_t *wargs = json_object_get(work, "args");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(wargs, "args"), 0)),
                     21);
    json_t *src = json_object_get(wargs, "source");
    assert_string_equal(json_string_value(json_array_get(src, 0)), "Parent");
    assert_string_equal(json_string_value(json_array_get(src, 1)), "ttsc__run");
    assert_string_equal(json_string_value(json_object_get(wargs, "state_enter")), "ready");
    assert_true(json_is_integer(json_object_get(wargs, "seq")));
    assert_true(json_is_integer(json_object_get(wargs, "cause")));
    assert_true(json_is_object(json_object_get(wargs, "probes_exit")));
    assert_true(json_number_value(json_object_get(work, "dur")) >= 0.002);

    /* the flow: "s" inside Parent.ttsc__run, "f" bound to Child.ttsc__work */
    json_int_t id = json_integer_value(json_object_get(wargs, "seq"));
    json_t *s = find_flow(events, "s", id, run);
    json_t *f = find_flow(events, "f", id, work);
    assert_non_null(s);
    assert_non_null(f);
    assert_string_equal(json_string_value(json_object_get(f, "bp")), "e");
    assert_string_equal(json_string_value(json_object_get(s, "name")),
                        json_string_value(json_object_get(f, "name")));
    /* the answer flows back up */
    json_t *done = find_event(events, "X", "ttse__on_child_done", parent);
    assert_non_null(done);
    json_int_t id2 = json_integer_value(json_object_get(json_object_get(done, "args"), "seq"));
    assert_non_null(find_flow(events, "f", id2, done));
    assert_non_null(find_flow(events, "s", id2, work));

    /* state spans on "Parent states": idle, waiting, done in that order */
    json_int_t pst = tid_named(events, "Parent states");
    assert_true(pst > 0);
    json_t *idle = find_event(events, "X", "idle", pst);
    json_t *waiting = find_event(events, "X", "waiting", pst);
    assert_non_null(idle);
    assert_non_null(waiting);
    assert_non_null(find_event(events, "X", "done", pst));
    assert_true(json_number_value(json_object_get(idle, "ts")) <=
                json_number_value(json_object_get(waiting, "ts")));
    assert_non_null(find_event(events, "X", "ready", tid_named(events, "Child states")));

    /* queue counter and run markers */
    size_t i, counters = 0, markers = 0, sparkles = 0;
    double prev_end = -1;
    json_t *ev;
    json_array_foreach(events, i, ev) {
        const char *ph = json_string_value(json_object_get(ev, "ph"));
        assert_non_null(ph);
        assert_true(json_is_integer(json_object_get(ev, "pid")));
        const char *cat = json_string_value(json_object_get(ev, "cat"));
        if (!strcmp(ph, "X") && cat && strcmp(cat, "state")) {
            /* sparkles, in trace order, never overlap */
            double ts = json_number_value(json_object_get(ev, "ts"));
            assert_true(ts >= prev_end - 1e-6); /* printed with 3 decimals */
            prev_end = ts + json_number_value(json_object_get(ev, "dur"));
            sparkles++;
        }
        if (!strcmp(ph, "C")) {
            counters++;
            assert_string_equal(json_string_value(json_object_get(ev, "name")), "queue");
            assert_true(json_integer_value(json_object_get(
                            json_object_get(ev, "args"), "orders")) >= 0);
        }
        if (!strcmp(ph, "i"))
            markers++;
    }
    assert_true(counters > 0);
    assert_int_equal(markers, tt_run_count(W.hier));
    size_t n;
    free(all_entries(W.hier, &n));
    assert_int_equal(sparkles, n);
    json_decref(j);

    /* virtual clock and no counter */
    export_ok(W.hier, path, "chrome", true, "clock=virtual queue=no");
    j = json_load_file(path, 0, &je);
    if (!j)
        fail_msg("%s (virtual): %s line %d", path, je.text, je.line);
    json_array_foreach(json_object_get(j, "traceEvents"), i, ev)
        assert_string_not_equal(json_string_value(json_object_get(ev, "ph")), "C");
    json_decref(j);
}

/* Awkward names and strings give valid JSON with the strings intact. */
static void test_chrome_awkward(void **state)
{
    (void)state;
    const char *path = tmp_path("awk.chrome.json");
    export_ok(W.awk, path, NULL, false, NULL);
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j)
        fail_msg("%s: %s line %d", path, je.text, je.line);
    json_t *events = json_object_get(j, "traceEvents");
    assert_true(tid_named(events, awkward_names[0]) > 0);
    assert_true(tid_named(events, awkward_names[1]) > 0);
    size_t i, found = 0;
    json_t *ev;
    json_array_foreach(events, i, ev) {
        const char *n = json_string_value(json_object_get(ev, "name"));
        if (!n || strcmp(n, "ttsc__say"))
            continue;
        json_t *a = json_object_get(json_object_get(ev, "args"), "args");
        assert_string_equal(json_string_value(json_array_get(a, 0)), awkward_strings[found]);
        found++;
    }
    assert_int_equal(found, N_AWKWARD);
    json_decref(j);
}

/* ====================================================================== */
/* csv                                                                    */
/* ====================================================================== */

typedef struct csv_table {
    char ***rows; /* rows[r][c] */
    size_t *ncols;
    size_t nrows;
} csv_table;

/* A small RFC 4180 reader: records end with CRLF (or LF when lf), fields
 * with commas; a quoted field may hold anything, "" is a quote. */
static csv_table csv_read(const char *s, bool lf)
{
    csv_table t = {0};
    size_t cap = 0;
    while (*s) {
        if (t.nrows == cap) {
            cap = cap ? cap * 2 : 64;
            t.rows = realloc(t.rows, cap * sizeof *t.rows);
            t.ncols = realloc(t.ncols, cap * sizeof *t.ncols);
        }
        char **row = NULL;
        size_t nc = 0;
        for (;;) {
            char *fld = malloc(strlen(s) + 1);
            size_t n = 0;
            if (*s == '"') {
                s++;
                for (;;) {
                    if (!*s)
                        fail_msg("csv: unterminated quoted field");
                    if (*s == '"' && s[1] == '"') {
                        fld[n++] = '"';
                        s += 2;
                    } else if (*s == '"') {
                        s++;
                        break;
                    } else {
                        fld[n++] = *s++;
                    }
                }
            } else {
                while (*s && *s != ',' && *s != '\r' && *s != '\n') {
                    if (*s == '"')
                        fail_msg("csv: quote inside an unquoted field");
                    fld[n++] = *s++;
                }
            }
            fld[n] = '\0';
            row = realloc(row, (nc + 1) * sizeof *row);
            row[nc++] = fld;
            if (*s == ',') {
                s++;
                continue;
            }
            if (lf) {
                if (*s != '\n')
                    fail_msg("csv: record not ended by LF");
                s++;
            } else {
                if (s[0] != '\r' || s[1] != '\n')
                    fail_msg("csv: record not ended by CRLF");
                s += 2;
            }
            break;
        }
        t.rows[t.nrows] = row;
        t.ncols[t.nrows++] = nc;
    }
    return t;
}

/* Free a table. */
static void csv_free(csv_table *t)
{
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols[r]; c++)
            free(t->rows[r][c]);
        free(t->rows[r]);
    }
    free(t->rows);
    free(t->ncols);
}

static const char *const csv_header[] = {
    "seq", "run", "id", "tonic", "sparkle", "args", "source_tonic", "source_sparkle",
    "source_id", "state_enter", "state_exit", "t_enter", "t_exit", "vt", "sparkling",
    "probes_enter", "probes_exit"};

/* Every row reads back as the entry it came from. */
static void check_csv(tt_catalyst *cat, const char *options, bool lf)
{
    const char *path = tmp_path("out.csv");
    export_ok(cat, path, NULL, false, options);
    char *text = slurp(path, NULL);
    csv_table t = csv_read(text, lf);
    size_t n;
    const tt_trace_entry **es = all_entries(cat, &n);
    assert_int_equal(t.nrows, n + 1);
    assert_int_equal(t.ncols[0], 17);
    for (size_t c = 0; c < 17; c++)
        assert_string_equal(t.rows[0][c], csv_header[c]);
    size_t say = 0;
    for (size_t r = 1; r < t.nrows; r++) {
        const tt_trace_entry *e = es[r - 1];
        char **row = t.rows[r];
        char num[64];
        assert_int_equal(t.ncols[r], 17);
        snprintf(num, sizeof num, "%llu", (unsigned long long)tt_entry_seq(e));
        assert_string_equal(row[0], num);
        snprintf(num, sizeof num, "%d", (int)e->id);
        assert_string_equal(row[2], num);
        assert_string_equal(row[3], tt_entry_tonic_name(cat, e));
        assert_string_equal(row[4], tt_entry_sparkle_name(cat, e));
        json_error_t je;
        json_t *args = json_loads(row[5], 0, &je);
        if (!args)
            fail_msg("row %zu args %s: %s", r, row[5], je.text);
        json_t *want = args_of(e);
        assert_true(json_equal(args, want));
        json_decref(want);
        const char *sn = tt_entry_source_name(cat, e);
        assert_string_equal(row[6], sn ? sn : "");
        assert_string_equal(row[7], tt_entry_source_sparkle(cat, e));
        snprintf(num, sizeof num, "%d", (int)e->src_id);
        assert_string_equal(row[8], num);
        assert_string_equal(row[9], tt_entry_state_enter(cat, e));
        assert_string_equal(row[10], tt_entry_state_exit(cat, e));
        assert_true(fabs(strtod(row[11], NULL) - e->t_enter) < 1e-5);
        assert_true(fabs(strtod(row[12], NULL) - tt_entry_t_exit(e)) < 1e-5);
        assert_true(fabs(strtod(row[13], NULL) - e->vt) < 1e-5);
        assert_string_equal(row[14], (e->flags & TT_EF_SPARKLING) ? "true" : "false");
        if (tt_entry_probes_exit(e)) {
            json_t *p = json_loads(row[16], 0, &je);
            if (!p)
                fail_msg("row %zu probes %s: %s", r, row[16], je.text);
            assert_true(json_is_object(p));
            json_decref(p);
        } else {
            assert_string_equal(row[16], "");
        }
        if (cat == W.awk && !strcmp(row[4], "ttsc__say")) {
            assert_string_equal(json_string_value(json_array_get(args, 0)),
                                awkward_strings[say]);
            assert_string_equal(row[3], awkward_names[say % 2]);
            say++;
        }
        json_decref(args);
    }
    if (cat == W.awk)
        assert_int_equal(say, N_AWKWARD);
    free(es);
    csv_free(&t);
    free(text);
}

/* RFC 4180 round trip, CRLF and LF. */
static void test_csv(void **state)
{
    (void)state;
    check_csv(W.hier, NULL, false);
    check_csv(W.awk, NULL, false);
    check_csv(W.awk, "eol=lf", true);
}

/* ====================================================================== */
/* mermaid                                                                */
/* ====================================================================== */

/* Every line is one of the statements we write, with no character Mermaid
 * cannot take left in the text; returns the text (caller frees). */
static char *check_mermaid(tt_catalyst *cat, const char *options)
{
    const char *path = tmp_path("seq.mmd");
    export_ok(cat, path, NULL, false, options);
    char *text = slurp(path, NULL);
    char *copy = strdup(text);
    assert_int_equal(strncmp(text, "sequenceDiagram\n", 16), 0);
    char *save = NULL;
    for (char *line = strtok_r(copy + 16, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        assert_int_equal(strncmp(line, "    ", 4), 0);
        const char *l = line + 4;
        const char *body;
        if (!strncmp(l, "participant ", 12)) {
            body = strstr(l, " as ");
            assert_non_null(body);
            body += 4;
            assert_null(strchr(body, ':'));
        } else if (!strncmp(l, "%% run ", 7)) {
            continue;
        } else if (!strncmp(l, "Note over T", 11)) {
            body = strchr(l, ':');
            assert_non_null(body);
            assert_non_null(strstr(body, " -> "));
            continue; /* state names are identifiers */
        } else {
            assert_true(*l == 'T' || *l == 'M' || !strncmp(l, "ext", 3));
            assert_true(strstr(l, "->>T") || strstr(l, "-xT"));
            body = strchr(l, ':');
            assert_non_null(body);
            body++;
        }
        /* with entity codes removed, no '#', ';', '<', '>', '"' remain */
        for (const char *p = body; *p; p++) {
            if (*p == '#') {
                const char *q = p + 1;
                while (*q >= '0' && *q <= '9')
                    q++;
                assert_true(q > p + 1 && *q == ';');
                p = q;
                continue;
            }
            assert_null(strchr(";<>\"\r\t", *p));
            assert_true((unsigned char)*p >= 0x20);
        }
    }
    free(copy);
    return text;
}

/* Participants, arrows, state notes, the tonics= filter. */
static void test_mermaid(void **state)
{
    (void)state;
    char *text = check_mermaid(W.hier, NULL);
    /* serials: catalyst 0, Parent 1, Child 2 */
    assert_non_null(strstr(text, "    participant T1 as Parent\n"));
    assert_non_null(strstr(text, "    participant T2 as Child\n"));
    assert_non_null(strstr(text, "    participant ext as external\n"));
    assert_non_null(strstr(text, "    ext->>T1: ttsc__run(21)\n"));
    assert_non_null(strstr(text, "    T1->>T2: ttsc__work(21)\n"));
    assert_non_null(strstr(text, "    T2->>T1: ttse__on_child_done(42)\n"));
    assert_non_null(strstr(text, "    Note over T1: idle -> waiting\n"));
    assert_non_null(strstr(text, "    Note over T2: -- -> ready\n"));
    assert_non_null(strstr(text, "    %% run 1:"));
    /* declared before first use */
    assert_true(strstr(text, "participant T2 as Child") < strstr(text, "->>T2"));
    free(text);

    text = check_mermaid(W.hier, "tonics=Child extras=no");
    assert_non_null(strstr(text, "    T1->>T2: ttsc__work(21)\n"));
    assert_non_null(strstr(text, "    T2->>T1: ttse__on_child_done(42)\n"));
    assert_null(strstr(text, "Note over T1"));
    assert_null(strstr(text, "ext->>T1: ttsc__run"));
    assert_null(strstr(text, "ttse__on_enter"));
    assert_non_null(strstr(text, "Note over T2: -- -> ready"));
    free(text);

    tt_error err;
    const char *path = tmp_path("bad.mmd");
    assert_int_equal(ttdb_export_file(W.plugins, W.hier, path, NULL, false,
                                      "tonics=Chlid", &err),
                     -TT_EINVAL);
    assert_non_null(strstr(err.msg, "no tonic named 'Chlid'"));
    assert_non_null(strstr(err.msg, "did you mean 'Child'"));
    assert_false(exists(path));
    assert_int_equal(count_prefixed(W.dir, "bad.mmd"), 0);
}

/* Awkward names and strings are escaped. */
static void test_mermaid_awkward(void **state)
{
    (void)state;
    char *text = check_mermaid(W.awk, NULL);
    assert_non_null(strstr(text, "as Odd #34;one#34;, x#59;#35;#60;y#62;\n"));
    assert_non_null(strstr(text, "as W\xc3\xa9ird Two\n"));
    assert_non_null(strstr(text, "ttsc__say(#34;comma, \\#34;double\\#34; and"));
    assert_non_null(strstr(text, "..."));
    free(text);
}

/* ====================================================================== */
/* dot                                                                    */
/* ====================================================================== */

/* True when Graphviz' dot is installed. */
static bool have_dot(void)
{
    return system("dot -V >/dev/null 2>&1") == 0;
}

/* dot -Tsvg accepts the file. */
static void dot_accepts(const char *path)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "dot -Tsvg '%s' -o '%s.svg' 2>'%s.err'", path, path, path);
    int rc = system(cmd);
    if (rc != 0) {
        snprintf(cmd, sizeof cmd, "%s.err", path);
        char *e = slurp(cmd, NULL);
        fail_msg("dot -Tsvg %s failed: %s", path, e ? e : "");
    }
}

/* The state graphs of Parent and Child, with causes and counts. */
static void test_dot(void **state)
{
    (void)state;
    const char *path = tmp_path("states.dot");
    export_ok(W.hier, path, NULL, false, NULL);
    char *text = slurp(path, NULL);
    assert_int_equal(strncmp(text, "digraph ttdb {", 14), 0);
    assert_non_null(strstr(text, "subgraph cluster_1 {\n        label=\"Parent\";"));
    assert_non_null(strstr(text, "subgraph cluster_2 {\n        label=\"Child\";"));
    assert_null(strstr(text, "cluster_0")); /* the catalyst has no states */
    /* Parent: idle is state index 1 -> node t1_2; waiting 2 -> t1_3 */
    assert_non_null(strstr(text, "t1_2 [label=\"idle\"]"));
    assert_non_null(strstr(text, "t1_2 -> t1_3 [label=\"ttsc__run\"]"));
    assert_non_null(strstr(text, "t1_3 -> t1_1 [label=\"ttse__on_child_done\"]"));
    assert_non_null(strstr(text, "t1_0 -> t1_2 [label=\"ttse__on_start\"]"));
    assert_non_null(strstr(text, "t1_1 -> t1_0 [label=\"ttsc__finish\"]"));
    free(text);
    if (!have_dot())
        skip();
    dot_accepts(path);
}

/* Oddly named tonics, and repeated transitions counted. */
static void test_dot_awkward(void **state)
{
    (void)state;
    const char *path = tmp_path("awk.dot");
    export_ok(W.awk, path, NULL, false, NULL);
    char *text = slurp(path, NULL);
    assert_non_null(strstr(text, "label=\"Odd \\\"one\\\", x;#<y>\";"));
    assert_non_null(strstr(text, "label=\"W\xc3\xa9ird\\nTwo\";"));
    /* A: says 0, 2, 4, 6 -> quiet->talking twice, talking->quiet twice */
    assert_non_null(strstr(text, "[label=\"ttsc__say \xc3\x97" "2\"]"));
    free(text);
    if (!have_dot())
        skip();
    dot_accepts(path);
}

/* ====================================================================== */
/* Failures                                                               */
/* ====================================================================== */

/* Unwritable destinations fail with a clear message and leave nothing. */
static void test_unwritable(void **state)
{
    (void)state;
    tt_error err;
    char path[600];
    snprintf(path, sizeof path, "%s/no-such-folder/out.json", W.dir);
    assert_int_equal(ttdb_export_file(W.plugins, W.hier, path, NULL, false, NULL, &err),
                     -TT_EIO);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "does not exist"));
    assert_false(exists(path));

    /* a file where a folder should be (tests run as root: chmod is no use) */
    const char *file = tmp_path("plain-file");
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(path, sizeof path, "%s/out.csv", file);
    assert_int_equal(ttdb_export_file(W.plugins, W.hier, path, NULL, false, NULL, &err),
                     -TT_EIO);
    assert_non_null(strstr(err.msg, "is not a folder"));
    assert_false(exists(path));

    /* a folder where the file should be */
    const char *d = tmp_path("a-folder.dot");
    assert_int_equal(mkdir(d, 0755), 0);
    assert_int_equal(ttdb_export_file(W.plugins, W.hier, d, NULL, false, NULL, &err),
                     -TT_EIO);
    assert_non_null(strstr(err.msg, "is a folder"));
    assert_int_equal(count_prefixed(W.dir, "a-folder.dot.tmp"), 0);
    assert_int_equal(rmdir(d), 0);
}

/* A write that fails half way (file size limit) leaves no partial file and
 * keeps an existing one unchanged. */
static void test_write_fails_half_way(void **state)
{
    (void)state;
    const char *path = tmp_path("half.chrome.json");
    export_ok(W.hier, path, NULL, false, NULL);
    size_t full;
    free(slurp(path, &full));
    assert_true(full > 2048);
    FILE *f = fopen(path, "w");
    fputs("old content\n", f);
    fclose(f);

    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 1024;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    tt_error err;
    int rc = ttdb_export_file(W.plugins, W.hier, path, NULL, false, NULL, &err);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    assert_int_equal(rc, -TT_EIO);
    print_message("# %s\n", err.msg);
    assert_non_null(strstr(err.msg, "cannot write"));
    assert_non_null(strstr(err.msg, path));
    assert_int_equal(count_prefixed(W.dir, "half.chrome.json.tmp"), 0);
    char *now = slurp(path, NULL);
    assert_string_equal(now, "old content\n");
    free(now);
}

/* Every exporter reports a failing stream (/dev/full) as -TT_EIO. */
static void test_exporters_report_write_errors(void **state)
{
    (void)state;
    if (!exists("/dev/full"))
        skip();
    static const char *const names[] = {"json", "chrome", "csv", "mermaid", "dot"};
    for (size_t i = 0; i < 5; i++) {
        const ttdb_exporter *x = ttdb_plugins_find(W.plugins, names[i]);
        assert_non_null(x);
        FILE *f = fopen("/dev/full", "w");
        assert_non_null(f);
        ttdb_export_ctx ctx = {W.hier, 0, tt_run_count(W.hier), NULL, false};
        tt_error err = {0};
        int rc = x->write(&ctx, f, &err);
        fclose(f);
        if (rc != -TT_EIO)
            fail_msg("%s: returned %d, not -TT_EIO", names[i], rc);
        assert_non_null(strstr(err.msg, names[i]));
    }
}

/* Unknown formats, unknown options, nothing to export. */
static void test_bad_requests(void **state)
{
    (void)state;
    tt_error err;
    const char *path = tmp_path("out.txt");
    assert_int_equal(ttdb_export_file(W.plugins, W.hier, path, NULL, false, NULL, &err),
                     -TT_EINVAL);
    assert_non_null(strstr(err.msg, "cannot tell the export format"));
    assert_non_null(strstr(err.msg, "mermaid"));
    assert_int_equal(ttdb_export_file(W.plugins, W.hier, path, "jsn", false, NULL, &err),
                     -TT_EINVAL);
    assert_non_null(strstr(err.msg, "unknown export format 'jsn'"));
    assert_non_null(strstr(err.msg, "did you mean 'json'"));
    assert_false(exists(path));

    static const char *const names[] = {"json", "chrome", "csv", "mermaid", "dot"};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(ttdb_export_file(W.plugins, W.hier, path, names[i], false,
                                          "bogus=1", &err),
                         -TT_EINVAL);
        assert_non_null(strstr(err.msg, "unknown option 'bogus'"));
        assert_non_null(strstr(err.msg, names[i]));
        assert_false(exists(path));
        assert_int_equal(count_prefixed(W.dir, "out.txt"), 0);
    }

    assert_int_equal(ttdb_export_file(W.plugins, W.hier, path, "json", false,
                                      "pretty=maybe", &err),
                     -TT_EINVAL);
    assert_non_null(strstr(err.msg, "pretty=yes or pretty=no"));
    assert_int_equal(ttdb_export_file(W.plugins, W.hier, path, "chrome", false,
                                      "clock=cpu", &err),
                     -TT_EINVAL);
    assert_non_null(strstr(err.msg, "wall or virtual"));
    assert_int_equal(count_prefixed(W.dir, "out.txt"), 0);

    tt_catalyst *fresh = new_distiller();
    assert_int_equal(ttdb_export_file(W.plugins, fresh, path, "json", false, NULL, &err),
                     -TT_EINVAL);
    assert_non_null(strstr(err.msg, "no run yet"));
    tt_catalyst_free(fresh);
}

/* Exporting onto a device writes to it and never replaces it. */
static void test_special_file(void **state)
{
    (void)state;
    export_ok(W.hier, "/dev/null", "csv", false, NULL);
    struct stat st;
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
}

/* A new file gets the usual mode; a replaced file keeps its mode. */
static void test_file_modes(void **state)
{
    (void)state;
    const char *path = tmp_path("mode.csv");
    mode_t um = umask(022);
    export_ok(W.hier, path, NULL, false, NULL);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    assert_int_equal(chmod(path, 0600), 0);
    export_ok(W.hier, path, NULL, false, NULL);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    umask(um);
}

/* A JSON file that jansson reads back; its top-level value. */
static json_t *load_json(const char *path)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j)
        fail_msg("%s: %s line %d", path, je.text, je.line);
    return j;
}

/* --- a JSON syntax check that allocates nothing ----------------------- */
/* Under valgrind, jansson's tree of a 70,000-entry trace costs about a
 * minute a file (each of its millions of allocations is tracked); this scan
 * checks the same grammar (RFC 8259) in a second and counts the items of the
 * arrays named "sparkle_trace". */
typedef struct jscan {
    const char *p, *end;
    size_t items;
    int depth;
} jscan;

static bool js_more(const jscan *s) { return s->p < s->end; }
static bool js_at(const jscan *s, char c) { return s->p < s->end && *s->p == c; }
static bool js_digit(const jscan *s) { return s->p < s->end && *s->p >= '0' && *s->p <= '9'; }

static void js_ws(jscan *s)
{
    while (js_more(s) && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static bool js_word(jscan *s, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
        return false;
    s->p += n;
    return true;
}

/* A string; its raw text in *key (unless NULL), of *klen bytes. */
static bool js_string(jscan *s, const char **key, size_t *klen)
{
    if (!js_at(s, '"'))
        return false;
    const char *b = ++s->p;
    while (js_more(s) && *s->p != '"') {
        if ((unsigned char)*s->p < 0x20)
            return false;
        if (*s->p == '\\') {
            if (++s->p == s->end)
                return false;
            if (*s->p == 'u') {
                for (int i = 0; i < 4; i++)
                    if (++s->p == s->end || !strchr("0123456789abcdefABCDEF", *s->p))
                        return false;
            } else if (!strchr("\"\\/bfnrt", *s->p)) {
                return false;
            }
        }
        s->p++;
    }
    if (!js_more(s))
        return false;
    if (key) {
        *key = b;
        *klen = (size_t)(s->p - b);
    }
    s->p++;
    return true;
}

static bool js_number(jscan *s)
{
    if (js_at(s, '-'))
        s->p++;
    if (js_at(s, '0')) {
        s->p++;
    } else {
        if (!js_digit(s))
            return false;
        while (js_digit(s))
            s->p++;
    }
    if (js_at(s, '.')) {
        s->p++;
        if (!js_digit(s))
            return false;
        while (js_digit(s))
            s->p++;
    }
    if (js_at(s, 'e') || js_at(s, 'E')) {
        s->p++;
        if (js_at(s, '+') || js_at(s, '-'))
            s->p++;
        if (!js_digit(s))
            return false;
        while (js_digit(s))
            s->p++;
    }
    return true;
}

/* One value; its items are counted when it is a "sparkle_trace" array. */
static bool js_value(jscan *s, bool count)
{
    js_ws(s);
    if (!js_more(s) || ++s->depth > 100)
        return false;
    char open = *s->p;
    if (open == '{' || open == '[') {
        char close = open == '{' ? '}' : ']';
        s->p++;
        js_ws(s);
        if (js_at(s, close)) {
            s->p++;
        } else {
            for (;;) {
                bool inner = false;
                if (open == '{') {
                    const char *k;
                    size_t kl;
                    js_ws(s);
                    if (!js_string(s, &k, &kl))
                        return false;
                    js_ws(s);
                    if (!js_at(s, ':'))
                        return false;
                    s->p++;
                    inner = kl == 13 && memcmp(k, "sparkle_trace", 13) == 0;
                }
                if (!js_value(s, inner))
                    return false;
                if (open == '[' && count)
                    s->items++;
                js_ws(s);
                if (js_at(s, ',')) {
                    s->p++;
                    continue;
                }
                if (!js_at(s, close))
                    return false;
                s->p++;
                break;
            }
        }
    } else if (open == '"') {
        if (!js_string(s, NULL, NULL))
            return false;
    } else if (!js_word(s, "true") && !js_word(s, "false") && !js_word(s, "null") &&
               !js_number(s)) {
        return false;
    }
    s->depth--;
    return true;
}

/* The number of "sparkle_trace" items of a JSON text, or -1 when it is not
 * one valid JSON value. */
static long json_scan(const char *text, size_t len)
{
    jscan s = {text, text + len, 0, 0};
    if (!js_value(&s, false))
        return -1;
    js_ws(&s);
    return s.p == s.end ? (long)s.items : -1;
}

/* The file is valid JSON: the number of its "sparkle_trace" items.  Read
 * back with jansson, or under valgrind (VALGRIND set, as by make
 * check-valgrind) with json_scan. */
static size_t json_file_items(const char *path)
{
    const char *vg = getenv("VALGRIND");
    size_t n = 0;
    if (!vg || !*vg) {
        json_t *j = load_json(path);
        for (size_t i = 0; json_is_array(j) && i < json_array_size(j); i++)
            n += json_array_size(json_object_get(json_array_get(j, i), "sparkle_trace"));
        json_decref(j);
        return n;
    }
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    assert_true(size >= 0);
    rewind(f);
    char *text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    long items = json_scan(text, (size_t)size);
    free(text);
    if (items < 0)
        fail_msg("%s: not valid JSON", path);
    return (size_t)items;
}

/* json_scan knows JSON from what is not (it stands in for jansson). */
static void test_json_scan(void **state)
{
    (void)state;
    static const char good[] =
        "[{\"sparkle_trace\": [{\"a\": [1, -2.5e3, 0.25E+1, \"x\\u00e9\\n\\\"\"]}, {}], "
        "\"b\": {\"sparkle_trace\": 7}}, {\"sparkle_trace\": [[], null]}, true, false]\n";
    assert_int_equal(json_scan(good, strlen(good)), 4);
    static const char *const bad[] = {
        "[{\"sparkle_trace\": [, {}]}]", "[1,]", "{\"a\" 1}", "{\"a\": 1,}", "[01]", "[1.]",
        "[-]", "[1e]", "[\"\\x\"]", "[\"\\u12g4\"]", "[\"a\nb\"]", "[\"open]", "[tru]",
        "[1] [2]", "", "{1: 2}", "[1",
    };
    for (size_t i = 0; i < TT_COUNTOF(bad); i++)
        if (json_scan(bad[i], strlen(bad[i])) != -1)
            fail_msg("json_scan took \"%s\" for JSON", bad[i]);
}

/* With a trace ring that dropped old entries, every JSON writer still writes
 * valid JSON: the library's (the built-in fallback and sparkle -json), the
 * json and the chrome exporter. */
static void test_trace_ring_json(void **state)
{
    (void)state;
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER, .trace_ring = 4};
    tt_catalyst *cat = NULL;
    assert_int_equal(tt_catalyst_new(&cat, &o), 0);
    tt_tonic *parent = tt_tonic_new(cat, &Parent_class, "Parent", NULL);
    assert_non_null(parent);
    run(cat, NULL, 0);
    /* more than two chunks of 65536 entries: the ring drops the first */
    for (int i = 0; i < 140000; i++)
        assert_int_equal(tt_send(parent, "ttsc__ping"), 0);
    assert_int_equal(tt_send(parent, "ttsc__run", TT_INT(21)), 0);
    run(cat, NULL, 0);
    assert_null(tt_trace_get(cat, 1));

    export_ok(cat, tmp_path("ring.json"), NULL, false, NULL);
    size_t kept = json_file_items(tmp_path("ring.json"));
    assert_true(kept > 4 && kept < 140000);
    export_ok(cat, tmp_path("ring-last.json"), NULL, true, NULL);
    json_file_items(tmp_path("ring-last.json"));
    export_ok(cat, tmp_path("ring.chrome.json"), NULL, false, NULL);
    json_file_items(tmp_path("ring.chrome.json"));

    FILE *f = fopen(tmp_path("ring-lib.json"), "w");
    assert_non_null(f);
    assert_int_equal(tt_session_write_json(cat, f, TT_JSON_EXTENSIONS), 0);
    fclose(f);
    json_file_items(tmp_path("ring-lib.json"));
    tt_catalyst_free(cat);
}

/* dot after a run without any state change: an empty graph. */
static void test_dot_no_states(void **state)
{
    (void)state;
    tt_catalyst *cat = new_distiller();
    run(cat, NULL, 0);
    export_ok(cat, tmp_path("empty.dot"), NULL, false, NULL);
    FILE *f = fopen(tmp_path("empty.dot"), "r");
    assert_non_null(f);
    char line[128];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "digraph ttdb {\n");
    fclose(f);
    tt_catalyst_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_scan),
        cmocka_unit_test(test_trace_ring_json),
        cmocka_unit_test(test_dot_no_states),
        cmocka_unit_test(test_load_all),
        cmocka_unit_test(test_load_env),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_duplicates_skipped),
        cmocka_unit_test(test_bad_plugins),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_json_awkward),
        cmocka_unit_test(test_chrome_hierarchy),
        cmocka_unit_test(test_chrome_awkward),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_mermaid),
        cmocka_unit_test(test_mermaid_awkward),
        cmocka_unit_test(test_dot),
        cmocka_unit_test(test_dot_awkward),
        cmocka_unit_test(test_unwritable),
        cmocka_unit_test(test_write_fails_half_way),
        cmocka_unit_test(test_exporters_report_write_errors),
        cmocka_unit_test(test_bad_requests),
        cmocka_unit_test(test_special_file),
        cmocka_unit_test(test_file_modes),
    };
    return cmocka_run_group_tests_name("plugins", tests, setup, teardown);
}
