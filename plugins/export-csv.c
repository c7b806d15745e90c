/*
 * export-csv.c: the "csv" exporter, one row per executed sparkle.
 *
 * RFC 4180: a header line, records ended by CRLF (option `eol=lf`: LF), a
 * field that holds a comma, a double quote, CR or LF is quoted and its quotes
 * doubled; everything else is written as is (UTF-8).  Columns:
 *
 *   seq, run (1 = the session's first sparkle() call), id, tonic, sparkle,
 *   args (JSON list), source_tonic (empty for an external source),
 *   source_sparkle, source_id, state_enter, state_exit ("--" for none),
 *   t_enter, t_exit (wall clock, epoch seconds, 6 decimals), vt (virtual
 *   time at enter, 6 decimals), sparkling (true/false), probes_enter,
 *   probes_exit (JSON objects; empty when no probes were taken).
 */
#include "export-util.h"

#include <string.h>

typedef struct csv {
    ttxp_out *f;
    const tt_catalyst *cat;
    const char *eol;
    ttxp_buf buf;
} csv;

/* Write one field, quoted when it needs to be. */
static void field(ttxp_out *f, const char *s)
{
    if (!s[strcspn(s, ",\"\r\n")]) {
        ttxp_puts(f, s);
        return;
    }
    ttxp_putc(f, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            ttxp_putc(f, '"');
        ttxp_putc(f, *p);
    }
    ttxp_putc(f, '"');
}

/* Write one record. */
static int row(void *ud, size_t run, const tt_trace_entry *e)
{
    csv *c = ud;
    ttxp_out *f = c->f;
    const char *s;
    ttxp_put_u64(f, tt_entry_seq(e));
    ttxp_putc(f, ',');
    ttxp_put_u64(f, run + 1);
    ttxp_putc(f, ',');
    ttxp_put_i64(f, e->id);
    ttxp_putc(f, ',');
    field(f, tt_entry_tonic_name(c->cat, e));
    ttxp_putc(f, ',');
    field(f, tt_entry_sparkle_name(c->cat, e));
    ttxp_putc(f, ',');
    if (!(s = ttxp_args_json(&c->buf, e)))
        return -TT_ENOMEM;
    field(f, s);
    ttxp_putc(f, ',');
    s = tt_entry_source_name(c->cat, e);
    field(f, s ? s : "");
    ttxp_putc(f, ',');
    s = tt_entry_source_sparkle(c->cat, e);
    field(f, s ? s : "");
    ttxp_putc(f, ',');
    ttxp_put_i64(f, e->src_id);
    ttxp_putc(f, ',');
    field(f, tt_entry_state_enter(c->cat, e));
    ttxp_putc(f, ',');
    field(f, tt_entry_state_exit(c->cat, e));
    ttxp_putc(f, ',');
    ttxp_put_fixed(f, e->t_enter, 6);
    ttxp_putc(f, ',');
    ttxp_put_fixed(f, tt_entry_t_exit(e), 6);
    ttxp_putc(f, ',');
    ttxp_put_fixed(f, e->vt, 6);
    ttxp_putc(f, ',');
    ttxp_puts(f, (e->flags & TT_EF_SPARKLING) ? "true" : "false");
    ttxp_putc(f, ',');
    if (!(s = ttxp_map_json(&c->buf, tt_entry_probes_enter(e))))
        return -TT_ENOMEM;
    field(f, s);
    ttxp_putc(f, ',');
    if (!(s = ttxp_map_json(&c->buf, tt_entry_probes_exit(e))))
        return -TT_ENOMEM;
    field(f, s);
    ttxp_puts(f, c->eol);
    return 0;
}

/* Write the runs of ctx. */
static int csv_write(const ttdb_export_ctx *ctx, FILE *fp, tt_error *err)
{
    csv c = {NULL, ctx->cat, "\r\n", {0}};
    const char *opts = ctx->options;
    char key[64], val[64];
    while (ttxp_opt_next(&opts, key, sizeof key, val, sizeof val)) {
        if (strcmp(key, "eol") == 0 && strcmp(val, "lf") == 0)
            c.eol = "\n";
        else if (strcmp(key, "eol") == 0 && strcmp(val, "crlf") == 0)
            c.eol = "\r\n";
        else if (strcmp(key, "eol") == 0)
            return ttxp_err(err, -TT_EINVAL,
                            "csv exporter: eol must be crlf or lf, not '%s'", val);
        else
            return ttxp_opt_unknown(err, "csv", key, "eol=crlf|lf");
    }
    ttxp_out *f = c.f = ttxp_out_new(fp);
    if (!f)
        return ttxp_err(err, -TT_ENOMEM, "csv exporter: out of memory");
    ttxp_puts(f, "seq,run,id,tonic,sparkle,args,source_tonic,source_sparkle,"
                 "source_id,state_enter,state_exit,t_enter,t_exit,vt,sparkling,"
                 "probes_enter,probes_exit");
    ttxp_puts(f, c.eol);
    int rc = ttxp_walk(ctx, f, row, &c);
    ttxp_buf_free(&c.buf);
    int io = ttxp_finish(f, fp, "csv", err);
    ttxp_out_free(f);
    if (rc == -TT_ENOMEM)
        return ttxp_err(err, rc, "csv exporter: out of memory");
    return rc < 0 ? rc : io;
}

TTDB_EXPORT const ttdb_exporter ttdb_exporter_desc = {
    TTDB_PLUGIN_ABI,
    "csv",
    "csv",
    "one row per sparkle (RFC 4180; args and probes as JSON)",
    csv_write,
};
