/*
 * loader.c: finding, loading and running exporter plugins.
 *
 * Plugins are shared objects in the folders of TTDB_PLUGIN_PATH and in the
 * installed plugin folder (PLUGINDIR).  Each is opened with
 * dlopen(RTLD_NOW | RTLD_LOCAL) (so an unresolved symbol fails at load time
 * rather than in the middle of an export), its one descriptor symbol is
 * looked up and checked, and on any problem the module is closed again and
 * reported through the caller's warn callback: a plugin is loaded whole or not
 * at all.
 *
 * ttdb_export_file writes through ttdb_write_file (file-write.c): a
 * temporary file next to the target renamed into place, so that a failed
 * export never leaves half a file.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "loader-int.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PLUGINDIR
#define PLUGINDIR "/usr/local/lib/ttdb"
#endif

typedef struct plugin {
    void *dl;
    const ttdb_exporter *x;
    char *path;
} plugin;

struct ttdb_plugins {
    plugin *v;
    size_t n, cap;
};

/* Report one skipped module or folder through warn. */
static void warnf(ttdb_warn_fn warn, void *ud, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warnf(ttdb_warn_fn warn, void *ud, const char *fmt, ...)
{
    if (!warn)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    warn(ud, msg);
}

/* Fill err (may be NULL); returns code. */
int ttdb__seterr(tt_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
        err->line = err->column = 0;
    }
    return code;
}

/* The exporter loaded under this name, or NULL. */
static const plugin *by_name(const ttdb_plugins *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i].x->name, name) == 0)
            return &p->v[i];
    return NULL;
}

/* Load one module file; 0, or -TT_ENOMEM (bad modules are warnings). */
static int load_file(ttdb_plugins *p, const char *path, ttdb_warn_fn warn, void *ud)
{
    dlerror();
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        const char *why = dlerror();
        warnf(warn, ud, "plugin %s: cannot load: %s; skipped", path,
              why ? why : "unknown error");
        return 0;
    }
    const ttdb_exporter *x = dlsym(dl, TTDB_EXPORTER_SYMBOL);
    if (!x) {
        warnf(warn, ud,
              "plugin %s: not an exporter plugin (no '%s' descriptor); skipped",
              path, TTDB_EXPORTER_SYMBOL);
        dlclose(dl);
        return 0;
    }
    if (x->abi != TTDB_PLUGIN_ABI) {
        warnf(warn, ud,
              "plugin %s: exporter ABI version %d, this ttdb needs version %d; "
              "rebuild the plugin against this ttdb's ttdb-plugin.h; skipped",
              path, x->abi, TTDB_PLUGIN_ABI);
        dlclose(dl);
        return 0;
    }
    if (!x->name || !*x->name || !x->extension || !x->write) {
        warnf(warn, ud,
              "plugin %s: incomplete exporter descriptor (needs a name, an "
              "extension and a write function); skipped",
              path);
        dlclose(dl);
        return 0;
    }
    if (by_name(p, x->name)) { /* an earlier folder wins */
        dlclose(dl);
        return 0;
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        plugin *v = realloc(p->v, cap * sizeof *v);
        if (!v) {
            dlclose(dl);
            return -TT_ENOMEM;
        }
        p->v = v;
        p->cap = cap;
    }
    char *copy = strdup(path);
    if (!copy) {
        dlclose(dl);
        return -TT_ENOMEM;
    }
    p->v[p->n++] = (plugin){dl, x, copy};
    return 0;
}

/* qsort comparator for file names. */
static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* True when name ends in ".so". */
static bool is_module(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".so") == 0;
}

/* Load every *.so of one folder, by file name. */
static int load_dir(ttdb_plugins *p, const char *dir, bool quiet_missing,
                    ttdb_warn_fn warn, void *ud)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (!(quiet_missing && errno == ENOENT))
            warnf(warn, ud, "plugin folder %s: %s; skipped", dir, strerror(errno));
        return 0;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!is_module(de->d_name))
            continue;
        if (n == cap) {
            size_t c = cap ? cap * 2 : 16;
            char **v = realloc(names, c * sizeof *v);
            if (!v) {
                rc = -TT_ENOMEM;
                break;
            }
            names = v;
            cap = c;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = -TT_ENOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            size_t len = strlen(dir) + strlen(names[i]) + 2;
            char *path = malloc(len);
            if (!path) {
                rc = -TT_ENOMEM;
            } else {
                snprintf(path, len, "%s/%s", dir, names[i]);
                rc = load_file(p, path, warn, ud);
                free(path);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

/* Load the folders of a colon-separated list; the last is quiet if missing
 * when quiet_last. */
static int load_list(ttdb_plugins *p, const char *list, bool quiet_last,
                     ttdb_warn_fn warn, void *ud)
{
    const char *s = list;
    while (s && *s) {
        const char *e = strchr(s, ':');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len) {
            char *dir = strndup(s, len);
            if (!dir)
                return -TT_ENOMEM;
            int rc = load_dir(p, dir, quiet_last && !e, warn, ud);
            free(dir);
            if (rc < 0)
                return rc;
        }
        s = e ? e + 1 : NULL;
    }
    return 0;
}

/* Load from the given folders. */
int ttdb_plugins_load_path(ttdb_plugins **out, const char *path, ttdb_warn_fn warn,
                           void *ud)
{
    *out = NULL;
    ttdb_plugins *p = calloc(1, sizeof *p);
    if (!p)
        return -TT_ENOMEM;
    int rc = load_list(p, path, false, warn, ud);
    if (rc < 0) {
        ttdb_plugins_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

/* Load from TTDB_PLUGIN_PATH, then PLUGINDIR. */
int ttdb_plugins_load(ttdb_plugins **out, ttdb_warn_fn warn, void *ud)
{
    *out = NULL;
    ttdb_plugins *p = calloc(1, sizeof *p);
    if (!p)
        return -TT_ENOMEM;
    const char *env = getenv("TTDB_PLUGIN_PATH");
    int rc = env ? load_list(p, env, false, warn, ud) : 0;
    if (rc == 0)
        rc = load_list(p, PLUGINDIR, true, warn, ud);
    if (rc < 0) {
        ttdb_plugins_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

/* Number of exporters. */
size_t ttdb_plugins_count(const ttdb_plugins *p)
{
    return p ? p->n : 0;
}

/* The i-th exporter. */
const ttdb_exporter *ttdb_plugins_at(const ttdb_plugins *p, size_t i)
{
    return p && i < p->n ? p->v[i].x : NULL;
}

/* The file the i-th exporter came from. */
const char *ttdb_plugins_path_at(const ttdb_plugins *p, size_t i)
{
    return p && i < p->n ? p->v[i].path : NULL;
}

/* By name, else by extension. */
const ttdb_exporter *ttdb_plugins_find(const ttdb_plugins *p, const char *name_or_ext)
{
    if (!p || !name_or_ext)
        return NULL;
    const plugin *pl = by_name(p, name_or_ext);
    if (pl)
        return pl->x;
    for (size_t i = 0; i < p->n; i++)
        if (strcasecmp(p->v[i].x->extension, name_or_ext) == 0)
            return p->v[i].x;
    return NULL;
}

/* By the file's extension, longest first. */
const ttdb_exporter *ttdb_plugins_for_file(const ttdb_plugins *p, const char *path)
{
    if (!p || !path)
        return NULL;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* Skip a leading dot: ".json" is a hidden file named json, no extension. */
    for (const char *s = strchr(base + 1, '.'); s && s[1]; s = strchr(s + 1, '.')) {
        const ttdb_exporter *x = ttdb_plugins_find(p, s + 1);
        if (x)
            return x;
    }
    return NULL;
}

/* Unload everything. */
void ttdb_plugins_free(ttdb_plugins *p)
{
    if (!p)
        return;
    for (size_t i = p->n; i-- > 0;) {
        dlclose(p->v[i].dl);
        free(p->v[i].path);
    }
    free(p->v);
    free(p);
}

/* ---------------------------------------------------------------------- */
/* Exporting to a file                                                    */
/* ---------------------------------------------------------------------- */

/* "json, chrome, csv" into buf. */
static void list_names(const ttdb_plugins *p, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
                                p->v[i].x->name);
    if (!p->n)
        snprintf(buf, size, "none loaded; set TTDB_PLUGIN_PATH or install the plugins");
}

/* ".json, .csv" into buf. */
static void list_exts(const ttdb_plugins *p, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s.%s", i ? ", " : "",
                                p->v[i].x->extension);
}

/* Choose the exporter, or fill err. */
static const ttdb_exporter *choose(const ttdb_plugins *p, const char *path,
                                   const char *format, tt_error *err)
{
    char names[256];
    list_names(p, names, sizeof names);
    if (format) {
        const ttdb_exporter *x = ttdb_plugins_find(p, format);
        if (x)
            return x;
        const char *cand[64];
        size_t n = 0;
        for (size_t i = 0; i < p->n && n < 64; i++)
            cand[n++] = p->v[i].x->name;
        const char *near = tt_suggest(format, cand, n);
        if (near)
            ttdb__seterr(err, -TT_EINVAL, "unknown export format '%s'; did you mean '%s'? "
                   "(formats: %s)", format, near, names);
        else
            ttdb__seterr(err, -TT_EINVAL, "unknown export format '%s' (formats: %s)",
                   format, names);
        return NULL;
    }
    const ttdb_exporter *x = ttdb_plugins_for_file(p, path);
    if (!x) {
        char exts[256];
        list_exts(p, exts, sizeof exts);
        ttdb__seterr(err, -TT_EINVAL,
               "cannot tell the export format of '%s' from its extension; use one "
               "of %s or name the format: export FILE FORMAT (formats: %s)",
               path, p->n ? exts : "(none)", names);
    }
    return x;
}

/* What ttdb_write_file calls: run the exporter on f. */
typedef struct export_job {
    const ttdb_exporter *x;
    const ttdb_export_ctx *ctx;
} export_job;

/* The plugin's write, under the catalyst's crash guard. */
typedef struct guarded_write {
    const export_job *j;
    FILE *f;
    tt_error *err;
    int rc;
} guarded_write;

static void call_write(void *ud)
{
    guarded_write *g = ud;
    g->rc = g->j->x->write(g->j->ctx, g->f, g->err);
}

static int export_write(void *ud, FILE *f, tt_error *err)
{
    const export_job *j = ud;
    guarded_write g = {j, f, err, 0};
    char what[128];
    snprintf(what, sizeof what, "the %s exporter", j->x->name);
    /* the guard only marks the catalyst (tainted); its data is not changed */
    tt_catalyst *cat = (tt_catalyst *)j->ctx->cat;
    if (tt_guard_run(cat, what, call_write, &g) < 0)
        return ttdb__seterr(err, -TT_ECRASHED, "%s; nothing was written",
                            tt_catalyst_errmsg(cat));
    int rc = g.rc;
    if (rc < 0 && rc != -TT_EIO && !err->msg[0])
        ttdb__seterr(err, rc, "%s exporter failed: %s", j->x->name, tt_strerror(rc));
    return rc;
}

/* Export through a temporary file renamed into place. */
int ttdb_export_file(const ttdb_plugins *p, const tt_catalyst *cat, const char *path,
                     const char *format, bool last_only, const char *options,
                     tt_error *err)
{
    tt_error local;
    if (!err)
        err = &local;
    memset(err, 0, sizeof *err);
    if (!p || !cat || !path || !*path)
        return ttdb__seterr(err, -TT_EINVAL, "export: no file name given");
    const ttdb_exporter *x = choose(p, path, format, err);
    if (!x)
        return err->code;
    return ttdb_export_with(x, cat, path, last_only, options, err);
}

int ttdb_export_with(const ttdb_exporter *x, const tt_catalyst *cat,
                     const char *path, bool last_only, const char *options,
                     tt_error *err)
{
    tt_error local;
    if (!err)
        err = &local;
    memset(err, 0, sizeof *err);
    if (!x || !cat || !path || !*path)
        return ttdb__seterr(err, -TT_EINVAL, "export: no exporter or file name given");
    size_t runs = tt_run_count(cat);
    if (runs == 0)
        return ttdb__seterr(err, -TT_EINVAL,
                      "nothing to export to '%s': the session has no run yet", path);
    ttdb_export_ctx ctx = {cat, last_only ? runs - 1 : 0, last_only ? 1 : runs,
                           options, last_only};

    export_job job = {x, &ctx};
    return ttdb_write_file(path, export_write, &job, err);
}
