/*
 * export-json.c: the "json" exporter.
 *
 * Each run is the Python Distiller's trace dictionary (DESIGN.md, "Trace
 * format"), written by tt_run_write_json.  A session is a JSON array of run
 * dictionaries; the last run alone (export -last) is one dictionary, exactly
 * what `sparkle` returns.  Entries carry the additive "seq" and "vt" keys
 * unless the option `extensions=no` is given; `pretty=yes` puts one entry
 * per line.
 */
#include "export-util.h"

#include <string.h>

/* Parse the options into TT_JSON_* flags. */
static int parse_options(const char *opts, unsigned *flags, tt_error *err)
{
    char key[64], val[64];
    bool pretty = false, ext = true;
    while (ttxp_opt_next(&opts, key, sizeof key, val, sizeof val)) {
        int rc;
        if (strcmp(key, "pretty") == 0)
            rc = ttxp_opt_bool("json", key, val, &pretty, err);
        else if (strcmp(key, "extensions") == 0)
            rc = ttxp_opt_bool("json", key, val, &ext, err);
        else
            rc = ttxp_opt_unknown(err, "json", key, "pretty=yes|no, extensions=yes|no");
        if (rc < 0)
            return rc;
    }
    *flags = (pretty ? TT_JSON_PRETTY : 0) | (ext ? TT_JSON_EXTENSIONS : 0);
    return 0;
}

/* Write the runs of ctx. */
static int json_write(const ttdb_export_ctx *ctx, FILE *f, tt_error *err)
{
    unsigned flags;
    int rc = parse_options(ctx->options, &flags, err);
    if (rc < 0)
        return rc;
    size_t total = tt_run_count(ctx->cat);
    if (ctx->last_only && ctx->run_count == 1) {
        rc = tt_run_write_json(ctx->cat, tt_run_at(ctx->cat, ctx->run_first), f, flags);
        if (rc == 0)
            fputs("\n", f);
    } else if (ctx->run_first == 0 && ctx->run_count == total) {
        rc = tt_session_write_json(ctx->cat, f, flags); /* ends with "]\n" */
    } else {
        fputs("[", f);
        for (size_t k = 0; k < ctx->run_count && rc == 0; k++) {
            if (k)
                fputs(",\n", f);
            rc = tt_run_write_json(ctx->cat, tt_run_at(ctx->cat, ctx->run_first + k), f,
                                   flags);
        }
        fputs("]\n", f);
    }
    if (rc < 0 && rc != -TT_EIO)
        return ttxp_err(err, rc, "json exporter: %s", tt_strerror(rc));
    int io = ttxp_finish(NULL, f, "json", err);
    return rc < 0 ? rc : io;
}

TTDB_EXPORT const ttdb_exporter ttdb_exporter_desc = {
    TTDB_PLUGIN_ABI,
    "json",
    "json",
    "the Distiller's trace dictionaries (Python-compatible JSON)",
    json_write,
};
