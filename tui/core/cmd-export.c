/*
 * cmd-export.c: `export FILE [FORMAT] [-last] [OPTION...]` writes the
 * session's runs through an exporter plugin (plugins/ttdb-plugin.h), chosen
 * by name or by the file's extension.  When no plugin provides JSON, the
 * library's own writer does (so a build without plugins can still export).
 */
#include "ttdb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ttdb-plugin.h"

static ttdb_plugins *plugins;
static bool plugins_loaded;

/* A module the loader skipped: one warning line. */
static void plugin_warn(void *ud, const char *msg)
{
    (void)ud;
    out_warn("%s", msg);
}

/* A ttdb run from its build tree (not installed) also finds the exporters
 * built beside it, so that `export trace.chrome.json` works before
 * `make install`.  TTDB_PLUGIN_PATH, when set, is used as it is. */
static void add_build_tree_plugins(void)
{
#ifdef TTDB_BUILDDIR
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    size_t blen = strlen(TTDB_BUILDDIR);
    if (getenv("TTDB_PLUGIN_PATH") || n <= 0)
        return;
    exe[n] = '\0';
    if (strncmp(exe, TTDB_BUILDDIR, blen) == 0 && exe[blen] == '/')
        setenv("TTDB_PLUGIN_PATH", TTDB_BUILDDIR "/plugins/.libs", 1);
#endif
}

/* Load the plugins on first use. */
void export_init(void)
{
    if (plugins_loaded)
        return;
    plugins_loaded = true;
    add_build_tree_plugins();
    if (ttdb_plugins_load(&plugins, plugin_warn, NULL) < 0) {
        out_warn("cannot load the exporter plugins: %s",
                 tt_strerror(-TT_ENOMEM));
        plugins = NULL;
    }
}

/* Unload the plugins. */
void export_free(void)
{
    ttdb_plugins_free(plugins);
    plugins = NULL;
    plugins_loaded = false;
}

/* `info exporters`. */
void export_list(void)
{
    export_init();
    size_t n = plugins ? ttdb_plugins_count(plugins) : 0;
    if (n == 0) {
        out_printf("no exporter plugins found (TTDB_PLUGIN_PATH, %s); "
                   "json is written by the library\n", PLUGINDIR);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const ttdb_exporter *e = ttdb_plugins_at(plugins, i);
        out_printf("%-8s .%-11s %s\n         %s\n", e->name, e->extension,
                   e->description, ttdb_plugins_path_at(plugins, i));
    }
}

/* What the library's JSON writer writes: the session or its last run. */
typedef struct builtin_job {
    tt_catalyst *cat;
    bool last_only;
} builtin_job;

static int builtin_write(void *ud, FILE *f, tt_error *err)
{
    const builtin_job *j = ud;
    (void)err;
    if (j->last_only)
        return tt_run_write_json(j->cat, tt_run_at(j->cat, tt_run_count(j->cat) - 1), f,
                                 0);
    return tt_session_write_json(j->cat, f, 0);
}

/* The library's JSON writer, through the same file writer as the plugins. */
static int export_builtin_json(tt_catalyst *cat, const char *path,
                               bool last_only)
{
    builtin_job job = {cat, last_only};
    tt_error err;
    if (ttdb_write_file(path, builtin_write, &job, &err) < 0) {
        out_error("%s", err.msg);
        return -1;
    }
    return 0;
}

/* Whether path ends with ".ext". */
static bool has_ext(const char *path, const char *ext)
{
    const char *dot = strrchr(path, '.');
    return dot && strcasecmp(dot + 1, ext) == 0;
}

/* export FILE [FORMAT] [-last] [KEY=VALUE...] */
/* What an export covers: the last run, the whole session, or (after going
 * back in time) the session up to now without its recorded future. */
static const char *export_scope(tt_catalyst *cat, bool last)
{
    static char buf[160];
    uint64_t now = tt_trace_last_seq(cat), h = journal_horizon(&g_journal);
    if (last)
        return "last run";
    if (h <= now)
        return "whole session";
    snprintf(buf, sizeof buf, "the session up to #%llu, where it is now; "
             "its recorded future to #%llu is not in it",
             (unsigned long long)now, (unsigned long long)h);
    return buf;
}

static int cmd_export_exec(cmd_args *a)
{
    tt_catalyst *cat = a->cat; /* CMD_SESSION: never NULL */
    const char *path = NULL, *format = NULL;
    bool last = false;
    strbuf opts = {0};
    for (int i = 0; i < a->argc; i++) {
        const char *w = a->argv[i];
        if (strcmp(w, "-last") == 0)
            last = true;
        else if (!path)
            path = w;
        else if (strchr(w, '='))
            sb_printf(&opts, "%s%s", opts.len ? " " : "", w);
        else if (!format)
            format = w;
        else {
            sb_free(&opts);
            return cmd_usage_error(&cmd_export_entry);
        }
    }
    if (!path) {
        sb_free(&opts);
        return cmd_usage_error(&cmd_export_entry);
    }
    if (tt_run_count(cat) == 0) {
        uint64_t h = journal_horizon(&g_journal);
        if (h) /* gone back to the start: the runs are ahead */
            out_error("nothing to export at #0, before the first sparkle: the "
                      "recorded future runs to #%llu (`goto #%llu` first)",
                      (unsigned long long)h, (unsigned long long)h);
        else
            out_error("nothing to export: no run yet (step or continue first)");
        sb_free(&opts);
        return -1;
    }
    export_init();
    const ttdb_exporter *ex =
        !plugins ? NULL
        : format ? ttdb_plugins_find(plugins, format)
                 : ttdb_plugins_for_file(plugins, path);
    int rc = 0;
    if (!ex && ((format && strcasecmp(format, "json") == 0) ||
                (!format && has_ext(path, "json")))) {
        rc = export_builtin_json(cat, path, last);
        if (rc == 0)
            out_printf("wrote %s (json, %s)\n", path,
                       export_scope(cat, last));
    } else if (!ex) {
        strvec names = {0};
        size_t n = plugins ? ttdb_plugins_count(plugins) : 0;
        for (size_t i = 0; i < n; i++)
            sv_add(&names, ttdb_plugins_at(plugins, i)->name);
        const char *sug = format ? tt_suggest(format,
                                              (const char *const *)names.v,
                                              names.n)
                                 : NULL;
        bool swapped = format && !strchr(path, '/') && !strchr(path, '.') &&
                       (strcasecmp(path, "json") == 0 ||
                        (plugins && ttdb_plugins_find(plugins, path)));
        if (swapped) /* `export chrome t.json`: the file comes first */
            out_error("export takes the file first: `export %s %s`", format,
                      path);
        else if (format && sug)
            out_error("unknown export format \"%s\" (did you mean \"%s\"?)",
                      format, sug);
        else if (format)
            out_error("unknown export format \"%s\" (`info exporters`)",
                      format);
        else
            out_error("%s: no exporter for this file extension; name a "
                      "FORMAT (`info exporters`)", path);
        sv_free(&names);
        rc = -1;
    } else {
        tt_error err = {0};
        int r = ttdb_export_with(ex, cat, path, last, opts.s ? opts.s : "",
                                 &err);
        if (r < 0) {
            out_error("%s", err.msg[0] ? err.msg : tt_strerror(r));
            rc = -1;
        } else {
            out_printf("wrote %s (%s, %s)\n", path, ex->name,
                       export_scope(cat, last));
        }
    }
    sb_free(&opts);
    return rc;
}

const cmd_entry cmd_export_entry = {
    .name = "export",
    .usage = "export FILE [FORMAT] [-last] [KEY=VALUE...]",
    .help = "Write the session's trace (every run since the start, or only "
            "the last with -last) to FILE through an exporter plugin: "
            "FORMAT by name (json, chrome, csv, mermaid, dot), else by the "
            "file's extension. KEY=VALUE words are options for the "
            "exporter. The file is written under a temporary name and "
            "renamed, so a failure never leaves half a file.",
    .exec = cmd_export_exec,
    .complete = CC_FILE,
    .flags = CMD_SESSION,
};
