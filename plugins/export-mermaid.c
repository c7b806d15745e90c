/*
 * export-mermaid.c: the "mermaid" exporter, a sequenceDiagram of sparkles.
 *
 * Participants are the tonics (and timers, and one "external" participant
 * for orders queued from outside any sparkle) in the order they first take
 * part; each is declared just before its first use with a safe id (T<serial>,
 * M<timer>, ext) and its name as the label.  Each queued sparkle is one arrow
 * from its source to its tonic labelled `sparkle(args)` (`-x` when it was
 * recorded but not run).  Extra sparkles of a state change are arrows of the
 * tonic to itself, and the change itself (`_ttinternal_state_change_to`,
 * `_ttinternal_state_machine_stop`) is a note `old -> new`.  Each run starts
 * with a `%% run N` comment.
 *
 * Text from the trace is made safe for Mermaid: `#`, `;`, `<`, `>`, `"`
 * (and `:` in participant labels) become entity codes (#35; ...), control
 * characters become spaces, and arguments are cut to 40 characters.
 *
 * Options: `tonics=A,B` keeps only sparkles whose tonic or source is one of
 * the named tonics (and notes of those tonics); `extras=no` leaves out the
 * extra sparkles (on_exit / on_enter) but keeps the state notes.
 */
#include "export-util.h"

#include <stdlib.h>
#include <string.h>

#define ARGS_MAX 40

enum { UNKNOWN = 0, YES, NO };

typedef struct mermaid {
    ttxp_out *f;
    const tt_catalyst *cat;
    ttxp_buf buf;
    uint8_t *declared;       /* by tonic serial */
    size_t ndeclared;
    uint8_t *tdeclared;      /* by timer index */
    size_t ntdeclared;
    bool ext_declared;
    char **only;             /* tonics=...: names, NULL = all */
    size_t nonly;
    uint8_t *in_only;        /* by tonic serial: UNKNOWN / YES / NO */
    size_t nin_only;
    bool noextras;
    size_t run;              /* last run announced + 1 */
    ttxp_name change_to, machine_stop;
} mermaid;

/* Write text made safe for Mermaid; label: also escape ':'; max: cut after
 * that many bytes (at a character boundary) with "...", 0 for no limit. */
static void text(ttxp_out *f, const char *s, bool label, size_t max)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++) {
        if (max && n >= max && (*p & 0xc0) != 0x80) {
            ttxp_puts(f, "...");
            return;
        }
        switch (*p) {
        case '#': ttxp_puts(f, "#35;"); break;
        case ';': ttxp_puts(f, "#59;"); break;
        case '<': ttxp_puts(f, "#60;"); break;
        case '>': ttxp_puts(f, "#62;"); break;
        case '"': ttxp_puts(f, "#34;"); break;
        case ':':
            if (label)
                ttxp_puts(f, "#58;");
            else
                ttxp_putc(f, ':');
            break;
        default:
            ttxp_putc(f, *p < 0x20 || *p == 0x7f ? ' ' : *p);
        }
    }
}

/* Set flag i of a growable byte array; returns the old value, -1 no memory. */
static int flag_set(uint8_t **v, size_t *n, size_t i, uint8_t val)
{
    if (i >= *n) {
        size_t m = *n ? *n : 16;
        while (m <= i)
            m *= 2;
        uint8_t *w = realloc(*v, m);
        if (!w)
            return -1;
        memset(w + *n, 0, m - *n);
        *v = w;
        *n = m;
    }
    uint8_t old = (*v)[i];
    (*v)[i] = val;
    return old;
}

/* Declare tonic serial s before its first use. */
static int use_tonic(mermaid *m, uint32_t s, const char *name)
{
    int old = flag_set(&m->declared, &m->ndeclared, s, 1);
    if (old < 0)
        return -TT_ENOMEM;
    if (!old) {
        ttxp_puts(m->f, "    participant T");
        ttxp_put_u64(m->f, s);
        ttxp_puts(m->f, " as ");
        text(m->f, name, true, 0);
        ttxp_putc(m->f, '\n');
    }
    return 0;
}

/* Declare the source of e before its first use; write its id into id. */
static int use_source(mermaid *m, const tt_trace_entry *e, char *id, size_t size)
{
    if (e->src_obj == TT_SRC_NONE) {
        if (!m->ext_declared) {
            m->ext_declared = true;
            ttxp_puts(m->f, "    participant ext as external\n");
        }
        snprintf(id, size, "ext");
        return 0;
    }
    const char *name = tt_entry_source_name(m->cat, e);
    if (e->src_obj & TT_SRC_TIMER) {
        uint32_t i = e->src_obj & ~TT_SRC_TIMER;
        int old = flag_set(&m->tdeclared, &m->ntdeclared, i, 1);
        if (old < 0)
            return -TT_ENOMEM;
        if (!old) {
            ttxp_puts(m->f, "    participant M");
            ttxp_put_u64(m->f, i);
            ttxp_puts(m->f, " as ");
            text(m->f, name ? name : "timer", true, 0);
            ttxp_putc(m->f, '\n');
        }
        snprintf(id, size, "M%u", (unsigned)i);
        return 0;
    }
    snprintf(id, size, "T%u", (unsigned)e->src_obj);
    return use_tonic(m, e->src_obj, name ? name : ttxp_tonic_name(m->cat, e->src_obj));
}

/* True when name is in the tonics= list. */
static bool listed(const mermaid *m, const char *name)
{
    for (size_t i = 0; i < m->nonly; i++)
        if (name && strcmp(m->only[i], name) == 0)
            return true;
    return false;
}

/* True when tonic serial s passes the tonics= filter (cached by serial). */
static bool tonic_passes(mermaid *m, uint32_t s, const char *name)
{
    if (!m->only)
        return true;
    if (s < m->nin_only && m->in_only[s] != UNKNOWN)
        return m->in_only[s] == YES;
    bool yes = listed(m, name);
    flag_set(&m->in_only, &m->nin_only, s, yes ? YES : NO);
    return yes;
}

/* True when e's source passes the filter. */
static bool source_passes(mermaid *m, const tt_trace_entry *e)
{
    if (!m->only || e->src_obj == TT_SRC_NONE)
        return !m->only;
    if (e->src_obj & TT_SRC_TIMER)
        return listed(m, tt_entry_source_name(m->cat, e));
    return tonic_passes(m, e->src_obj, tt_entry_source_name(m->cat, e));
}

/* Announce a new run with a comment. */
static void announce(mermaid *m, size_t run)
{
    const tt_run *r = tt_run_at(m->cat, run);
    ttxp_puts(m->f, "    %% run ");
    ttxp_put_u64(m->f, run + 1);
    ttxp_putc(m->f, ':');
    for (size_t i = 0; r && i < tt_run_stop_count(r); i++) {
        ttxp_putc(m->f, ' ');
        text(m->f, tt_run_stop_at(r, i), false, 0);
    }
    ttxp_putc(m->f, '\n');
}

/* The lines of one entry. */
static int entry(void *ud, size_t run, const tt_trace_entry *e)
{
    mermaid *m = ud;
    ttxp_out *f = m->f;
    if (run + 1 != m->run) {
        m->run = run + 1;
        announce(m, run);
    }
    const char *tname = tt_entry_tonic_name(m->cat, e);
    bool tonic_ok = tonic_passes(m, e->tonic, tname);
    bool is_change = ttxp_is(&m->change_to, m->cat, e->sparkle);
    if (is_change || ttxp_is(&m->machine_stop, m->cat, e->sparkle)) {
        if (!tonic_ok)
            return 0;
        if (use_tonic(m, e->tonic, tname) < 0)
            return -TT_ENOMEM;
        ttxp_puts(f, "    Note over T");
        ttxp_put_u64(f, e->tonic);
        ttxp_puts(f, ": ");
        text(f, tt_entry_state_enter(m->cat, e), false, 0);
        ttxp_puts(f, " -> ");
        text(f, tt_entry_state_exit(m->cat, e), false, 0);
        ttxp_putc(f, '\n');
        return 0;
    }
    bool extra = e->flags & TT_EF_EXTRA;
    if (extra && (m->noextras || !tonic_ok))
        return 0;
    if (!extra && !tonic_ok && !source_passes(m, e))
        return 0;
    char src[32];
    if (extra)
        snprintf(src, sizeof src, "T%u", (unsigned)e->tonic);
    else if (use_source(m, e, src, sizeof src) < 0)
        return -TT_ENOMEM;
    if (use_tonic(m, e->tonic, tname) < 0)
        return -TT_ENOMEM;
    const char *args = ttxp_args_json(&m->buf, e);
    if (!args)
        return -TT_ENOMEM;
    ttxp_puts(f, "    ");
    ttxp_puts(f, src);
    ttxp_puts(f, (e->flags & TT_EF_IGNORED) ? "-xT" : "->>T");
    ttxp_put_u64(f, e->tonic);
    ttxp_puts(f, ": ");
    text(f, tt_entry_sparkle_name(m->cat, e), false, 0);
    size_t n = strlen(args);
    if (n > 2) { /* "[...]" -> "(...)" */
        ttxp_putc(f, '(');
        char *inner = m->buf.s + 1; /* args is m->buf.s: ours to cut */
        inner[n - 2] = '\0';
        text(f, inner, false, ARGS_MAX);
        ttxp_putc(f, ')');
    }
    if (e->flags & TT_EF_IGNORED)
        ttxp_puts(f, " (ignored)");
    ttxp_putc(f, '\n');
    return 0;
}

/* Parse "A,B" into m->only; every name must be a tonic of the session. */
static int parse_tonics(mermaid *m, const char *list, tt_error *err)
{
    tt_catalyst *cat = (tt_catalyst *)m->cat; /* lookups only */
    size_t n = 1;
    for (const char *p = list; *p; p++)
        n += *p == ',';
    m->only = calloc(n, sizeof *m->only);
    if (!m->only)
        return -TT_ENOMEM;
    const char *s = list;
    for (;;) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len) {
            char *name = strndup(s, len);
            if (!name)
                return -TT_ENOMEM;
            m->only[m->nonly++] = name;
            bool found = tt_tonic_by_name(cat, name) != NULL;
            for (size_t i = 0; !found && i < tt_timer_count(cat); i++)
                found = strcmp(tt_timer_name(tt_timer_at(cat, i)), name) == 0;
            if (!found) {
                size_t nt = tt_tonic_count(cat);
                const char **cand = malloc((nt ? nt : 1) * sizeof *cand);
                const char *near = NULL;
                if (cand) {
                    for (size_t i = 0; i < nt; i++)
                        cand[i] = tt_tonic_name(tt_tonic_at(cat, i));
                    near = tt_suggest(name, cand, nt);
                }
                if (near)
                    ttxp_err(err, -TT_EINVAL,
                             "mermaid exporter: tonics=: no tonic named '%s'; did "
                             "you mean '%s'?", name, near);
                else
                    ttxp_err(err, -TT_EINVAL,
                             "mermaid exporter: tonics=: no tonic named '%s'", name);
                free(cand);
                return -TT_EINVAL;
            }
        }
        if (!e)
            break;
        s = e + 1;
    }
    return 0;
}

/* Parse the options into m. */
static int parse_options(mermaid *m, const char *opts, tt_error *err)
{
    char key[64], val[4096];
    while (ttxp_opt_next(&opts, key, sizeof key, val, sizeof val)) {
        if (strcmp(key, "tonics") == 0) {
            if (m->only)
                return ttxp_err(err, -TT_EINVAL,
                                "mermaid exporter: tonics= given twice; list them "
                                "all in one: tonics=A,B");
            int rc = parse_tonics(m, val, err);
            if (rc < 0)
                return rc;
        } else if (strcmp(key, "extras") == 0) {
            bool extras;
            int rc = ttxp_opt_bool("mermaid", key, val, &extras, err);
            if (rc < 0)
                return rc;
            m->noextras = !extras;
        } else {
            return ttxp_opt_unknown(err, "mermaid", key, "tonics=A,B, extras=yes|no");
        }
    }
    return 0;
}

/* Write the runs of ctx. */
static int mermaid_write(const ttdb_export_ctx *ctx, FILE *fp, tt_error *err)
{
    mermaid m = {.cat = ctx->cat,
                 .change_to = TTXP_NAME("_ttinternal_state_change_to"),
                 .machine_stop = TTXP_NAME("_ttinternal_state_machine_stop")};
    int rc = parse_options(&m, ctx->options, err);
    ttxp_out *f = NULL;
    if (rc == 0 && !(f = m.f = ttxp_out_new(fp)))
        rc = -TT_ENOMEM;
    if (rc == 0) {
        ttxp_puts(f, "sequenceDiagram\n");
        rc = ttxp_walk(ctx, f, entry, &m);
    }
    for (size_t i = 0; i < m.nonly; i++)
        free(m.only[i]);
    free(m.only);
    free(m.in_only);
    free(m.declared);
    free(m.tdeclared);
    ttxp_buf_free(&m.buf);
    int io = f ? ttxp_finish(f, fp, "mermaid", err) : 0;
    ttxp_out_free(f);
    if (rc == -TT_ENOMEM)
        return ttxp_err(err, rc, "mermaid exporter: out of memory");
    return rc < 0 ? rc : io;
}

TTDB_EXPORT const ttdb_exporter ttdb_exporter_desc = {
    TTDB_PLUGIN_ABI,
    "mermaid",
    "mmd",
    "Mermaid sequenceDiagram of sparkles between tonics (option tonics=A,B)",
    mermaid_write,
};
