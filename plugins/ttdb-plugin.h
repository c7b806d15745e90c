/*
 * ttdb-plugin.h: the exporter plugin ABI of ttdb.
 *
 * An exporter is a shared object (built with libtool -module) that exports one
 * symbol, TTDB_EXPORTER_SYMBOL, a constant descriptor: ABI version, name,
 * default file extension, a one-line description and a write function that
 * streams runs of a catalyst's session to a FILE through the trace walking
 * API of tasktonic.h.  A plugin:
 *
 *     #include <ttdb-plugin.h>
 *
 *     static int my_write(const ttdb_export_ctx *ctx, FILE *f, tt_error *err)
 *     { ... return 0; }
 *
 *     TTDB_EXPORT const ttdb_exporter ttdb_exporter_desc = {
 *         TTDB_PLUGIN_ABI, "mine", "txt", "one line per sparkle", my_write,
 *     };
 *
 * ttdb loads every *.so in the folders of TTDB_PLUGIN_PATH, then in the
 * installed plugin folder, with the loader below.  A module without the
 * descriptor or with another ABI version is reported and skipped, never half
 * loaded.  Bump TTDB_PLUGIN_ABI on any incompatible change of this header.
 */
#ifndef TTDB_PLUGIN_H
#define TTDB_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <tasktonic.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ===================================================================== */
/* What a plugin exports                                                 */
/* ===================================================================== */

#define TTDB_PLUGIN_ABI 2 /* 2: tt_trace_entry packed to 64 bytes */

/* Marks the descriptor as exported (modules are built hidden by default). */
#if defined(__GNUC__)
#define TTDB_EXPORT __attribute__((visibility("default")))
#else
#define TTDB_EXPORT
#endif

/* What to export: runs run_first .. run_first + run_count - 1 of cat, i.e.
 * tt_run_at(cat, run_first + k).  run_count >= 1. */
typedef struct ttdb_export_ctx {
    const tt_catalyst *cat;
    size_t run_first, run_count;
    /* Options: whitespace-separated KEY=VALUE words (e.g. mermaid
     * "tonics=A,B extras=no"); NULL or "" for none.  An exporter rejects
     * options it does not know with -TT_EINVAL and a message in err. */
    const char *options;
    /* The caller asked for the last run only (rather than a session that
     * happens to hold one run): json then writes one run dictionary instead
     * of an array of them. */
    bool last_only;
} ttdb_export_ctx;

/* Write ctx's runs to f (streaming: never the whole output in memory).
 * Returns 0, or a negative TT_E* code with a one-line message in err
 * (-TT_EIO when writing to f failed, -TT_EINVAL for a bad option). */
typedef int (*ttdb_write_fn)(const ttdb_export_ctx *ctx, FILE *f, tt_error *err);

typedef struct ttdb_exporter {
    int abi;                 /* TTDB_PLUGIN_ABI */
    const char *name;        /* "json": what `export FILE FORMAT` names */
    const char *extension;   /* "json", without the leading dot */
    const char *description; /* one line, for `info exporters` */
    ttdb_write_fn write;
} ttdb_exporter;

/* The one symbol a plugin exports: a `const ttdb_exporter`.  (It cannot be
 * called `ttdb_exporter` in C: that is the type's name.) */
#define TTDB_EXPORTER_SYMBOL "ttdb_exporter_desc"

/* ===================================================================== */
/* The loader (libttdbplugins, used by ttdb and the tests)               */
/* ===================================================================== */

typedef struct ttdb_plugins ttdb_plugins;

/* Called with one line (no newline) for each module that was skipped. */
typedef void (*ttdb_warn_fn)(void *ud, const char *msg);

/* Load every *.so in the folders of TTDB_PLUGIN_PATH (colon-separated, in
 * order; within a folder by file name), then in PLUGINDIR (the installed
 * plugin folder).  A module whose exporter name was already loaded from an
 * earlier file is skipped silently (so TTDB_PLUGIN_PATH overrides installed
 * plugins).  Bad modules (dlopen failure, no descriptor, wrong ABI version,
 * incomplete descriptor) and unreadable TTDB_PLUGIN_PATH folders are skipped
 * and reported through warn (may be NULL).  Returns 0 (even when nothing was
 * found) or -TT_ENOMEM. */
int ttdb_plugins_load(ttdb_plugins **out, ttdb_warn_fn warn, void *ud);
/* Load the modules of the given folders only (colon-separated list); what
 * ttdb_plugins_load does with TTDB_PLUGIN_PATH + ":" + PLUGINDIR. */
int ttdb_plugins_load_path(ttdb_plugins **out, const char *path, ttdb_warn_fn warn,
                           void *ud);
/* Number of exporters loaded, and the i-th (in load order). */
size_t ttdb_plugins_count(const ttdb_plugins *p);
const ttdb_exporter *ttdb_plugins_at(const ttdb_plugins *p, size_t i);
/* The file the i-th exporter came from. */
const char *ttdb_plugins_path_at(const ttdb_plugins *p, size_t i);
/* The exporter named name_or_ext, else the first whose extension is
 * name_or_ext (case-insensitive), else NULL. */
const ttdb_exporter *ttdb_plugins_find(const ttdb_plugins *p, const char *name_or_ext);
/* The exporter for a file name by its extension, longest first
 * ("out.chrome.json" tries "chrome.json" then "json"), else NULL. */
const ttdb_exporter *ttdb_plugins_for_file(const ttdb_plugins *p, const char *path);

/* Write runs of cat's session to path through the exporter named `format`,
 * or, when format is NULL, the one chosen by the file's extension.  last_only:
 * only the last run, else every run of the session.  options go to the
 * exporter.  Writes "path.tmpXXXXXX" in the same folder and renames it over
 * path on success; on any failure removes the temporary file, leaves path
 * untouched and fills err with one line naming the file.  Returns 0,
 * -TT_EINVAL (unknown format, no run to export, bad option) or -TT_EIO.  The file is
 * written by ttdb_write_file. */
int ttdb_export_file(const ttdb_plugins *p, const tt_catalyst *cat, const char *path,
                     const char *format, bool last_only, const char *options,
                     tt_error *err);
/* The same with an exporter already chosen (ttdb_plugins_find or
 * ttdb_plugins_for_file), so that a caller chooses once. */
int ttdb_export_with(const ttdb_exporter *x, const tt_catalyst *cat,
                     const char *path, bool last_only, const char *options,
                     tt_error *err);

/* Writes a file's content to f: 0, or a negative TT_E* code with a one-line
 * message in err (-TT_EIO when writing to f failed). */
typedef int (*ttdb_file_fn)(void *ud, FILE *f, tt_error *err);

/* Write path through fn, as every ttdb output file is written: a symbolic
 * link is followed to its target; a regular file is written under a
 * temporary name in its folder and renamed over it (removed on any failure),
 * keeping an existing file's mode, else 0666 & ~umask; a file the user may
 * not write (for root: one without any write bit) is refused, as are
 * folders, sockets and block devices; a character device or FIFO is written
 * directly.  Returns 0 or a negative TT_E* code with one line in err (may be
 * NULL) naming the file. */
int ttdb_write_file(const char *path, ttdb_file_fn fn, void *ud, tt_error *err);

/* Unload every module and free p (NULL is fine). */
void ttdb_plugins_free(ttdb_plugins *p);

#ifdef __cplusplus
}
#endif
#endif /* TTDB_PLUGIN_H */
