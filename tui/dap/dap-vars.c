/*
 * dap-vars.c: stack frames, scopes and variables of a stop.
 *
 * The stack of a tonic is the causal chain of its current sparkle: frame 0
 * the last entry it ran (or, stopped before a handler, the order about to
 * run), frame 1 the entry whose sparkle queued it (tt_entry_cause), and so
 * on down to an input from outside or a timer.  Frame and variable
 * references are numbers into tables that every stop empties.
 */
#include "dap.h"

#include <stdlib.h>
#include <string.h>

long g_dap_before_serial = -1;

/* How far back to look for a tonic's last entry. */
#define SCAN_LIMIT 1000000u

typedef struct frame_ref {
    uint64_t seq;      /* 0: the order at the head of the queue */
    uint32_t serial;   /* its tonic */
} frame_ref;

typedef enum var_kind {
    V_ARGS, V_ORDER_ARGS, V_PROBES_BEFORE, V_PROBES_AFTER, V_PROBES_NOW,
    V_STATE, V_QUEUE, V_LINTS
} var_kind;

typedef struct var_ref {
    var_kind kind;
    uint64_t seq;
    uint32_t serial;
} var_ref;

static struct {
    frame_ref *f;
    size_t nf;
    var_ref *v;
    size_t nv;
} R;

void dap_vars_reset(void)
{
    free(R.f);
    free(R.v);
    memset(&R, 0, sizeof R);
}

static int frame_add(uint64_t seq, uint32_t serial)
{
    for (size_t i = 0; i < R.nf; i++)
        if (R.f[i].seq == seq && R.f[i].serial == serial)
            return (int)i + 1;
    R.f = xrealloc(R.f, (R.nf + 1) * sizeof *R.f);
    R.f[R.nf++] = (frame_ref){seq, serial};
    return (int)R.nf;
}

static int var_add(var_kind kind, uint64_t seq, uint32_t serial)
{
    for (size_t i = 0; i < R.nv; i++)
        if (R.v[i].kind == kind && R.v[i].seq == seq &&
            R.v[i].serial == serial)
            return (int)i + 1;
    R.v = xrealloc(R.v, (R.nv + 1) * sizeof *R.v);
    R.v[R.nv++] = (var_ref){kind, seq, serial};
    return (int)R.nv;
}

/* The last entry tonic `serial` ran, NULL if none (within SCAN_LIMIT). */
static const tt_trace_entry *last_entry_of(tt_catalyst *cat, uint32_t serial)
{
    uint64_t last = tt_trace_last_seq(cat), first = tt_trace_first_seq(cat);
    for (uint64_t s = last, k = 0; s >= first && s > 0 && k < SCAN_LIMIT;
         s--, k++) {
        const tt_trace_entry *e = tt_trace_get(cat, s);
        if (e && e->tonic == serial)
            return e;
    }
    return NULL;
}

/* The source object of a handler, with its line into *line. */
static json_t *source_of(tt_tonic *t, const char *sparkle, const char *state,
                         int *line)
{
    *line = 0;
    if (!t)
        return NULL;
    const dap_func *f =
        dap_source_handler(tt_tonic_class_name(t), sparkle, state);
    if (!f)
        return NULL;
    *line = f->line;
    const char *base = strrchr(f->file, '/');
    return json_pack("{s:s, s:s}", "name", base ? base + 1 : f->file, "path",
                     f->file);
}

/* One frame object. */
static json_t *frame_json(int id, const char *name, json_t *source, int line,
                          bool label)
{
    json_t *fr = json_pack("{s:i, s:s, s:i, s:i}", "id", id, "name", name,
                           "line", line, "column", line ? 1 : 0);
    if (source)
        json_object_set_new(fr, "source", source);
    else
        json_object_set_new(fr, "presentationHint",
                            json_string(label ? "label" : "subtle"));
    return fr;
}

/* "#12 Counter.ttsc__add(5)" */
static char *entry_name(tt_catalyst *cat, const tt_trace_entry *e)
{
    strbuf b = {0};
    sb_printf(&b, "#%llu %s.%s(", (unsigned long long)tt_entry_seq(e),
              tt_entry_tonic_name(cat, e), tt_entry_sparkle_name(cat, e));
    fmt_args(&b, e->args, e->nargs);
    sb_add(&b, ")");
    return sb_take(&b);
}

json_t *dap_vars_stack(tt_catalyst *cat, tt_tonic *t, int start, int levels)
{
    json_t *frames = json_array();
    uint32_t serial = tt_tonic_serial(t);
    uint64_t cause = 0;
    const tt_trace_entry *e = NULL;
    tt_order_view o;
    if (g_dap_before_serial == (long)serial && tt_queue_at(cat, 0, &o) == 0 &&
        o.tonic == t) {
        strbuf b = {0};
        sb_printf(&b, "next: %s.%s(", tt_tonic_name(t), o.sparkle);
        fmt_args(&b, o.args, o.nargs);
        sb_add(&b, ")");
        int line;
        json_t *src = source_of(t, o.sparkle, tt_tonic_state_name(t), &line);
        json_array_append_new(frames,
                              frame_json(frame_add(0, serial), b.s, src,
                                         line, false));
        sb_free(&b);
        cause = o.cause;
    } else {
        e = last_entry_of(cat, serial);
        if (!e) {
            char *n = xasprintf("%s: no sparkle has run yet",
                                tt_tonic_name(t));
            json_array_append_new(frames, frame_json(frame_add(0, serial), n,
                                                     NULL, 0, true));
            free(n);
        } else {
            cause = tt_entry_seq(e);
        }
    }
    /* the chain: e itself (when frame 0 is an entry), then its causes */
    uint64_t s = e ? tt_entry_seq(e) : cause;
    for (int depth = 0; s && depth < 10000; depth++) {
        const tt_trace_entry *c = tt_trace_get(cat, s);
        if (!c)
            break;
        tt_tonic *ct = tt_tonic_at(cat, c->tonic);
        int line;
        json_t *src = source_of(ct, tt_entry_sparkle_name(cat, c),
                                tt_entry_state_enter(cat, c), &line);
        char *n = entry_name(cat, c);
        json_array_append_new(frames, frame_json(frame_add(tt_entry_seq(c), c->tonic),
                                                 n, src, line, false));
        free(n);
        uint64_t next = tt_entry_cause(c);
        if (!next) { /* the root: an input from outside or a timer */
            const char *from = tt_entry_source_name(cat, c);
            const char *fs = tt_entry_source_sparkle(cat, c);
            char *label =
                from ? xasprintf("<- %s.%s", from, fs ? fs : "")
                     : xasprintf("<- %s (from outside)",
                                 fs && *fs ? fs : "an input");
            json_array_append_new(frames, frame_json(0, label, NULL, 0, true));
            free(label);
        }
        s = next;
    }
    size_t total = json_array_size(frames);
    json_t *page = json_array();
    for (size_t i = (size_t)(start > 0 ? start : 0);
         i < total && (levels <= 0 || i < (size_t)start + (size_t)levels); i++)
        json_array_append(page, json_array_get(frames, i));
    json_decref(frames);
    return json_pack("{s:o, s:I}", "stackFrames", page, "totalFrames",
                     (json_int_t)total);
}

/* The frame behind an id, NULL if none. */
static const frame_ref *frame_get(int id)
{
    if (id < 1 || (size_t)id > R.nf)
        return NULL;
    return &R.f[id - 1];
}

tt_tonic *dap_vars_frame_tonic(tt_catalyst *cat, int frame_id)
{
    const frame_ref *f = frame_get(frame_id);
    return f ? tt_tonic_at(cat, f->serial) : NULL;
}

tt_tonic *dap_vars_probe_tonic(tt_catalyst *cat, int ref)
{
    if (ref < 1 || (size_t)ref > R.nv)
        return NULL;
    var_ref v = R.v[ref - 1];
    if (v.kind == V_PROBES_NOW)
        return tt_tonic_at(cat, v.serial);
    if (v.kind == V_PROBES_BEFORE || v.kind == V_PROBES_AFTER) {
        const tt_trace_entry *e = tt_trace_get(cat, v.seq);
        return e ? tt_tonic_at(cat, e->tonic) : NULL;
    }
    return NULL;
}

tt_tonic *dap_vars_now_tonic(tt_catalyst *cat, int ref)
{
    if (ref < 1 || (size_t)ref > R.nv || R.v[ref - 1].kind != V_PROBES_NOW)
        return NULL;
    return tt_tonic_at(cat, R.v[ref - 1].serial);
}

static json_t *scope(const char *name, int ref, bool expensive)
{
    return json_pack("{s:s, s:i, s:b}", "name", name, "variablesReference",
                     ref, "expensive", expensive);
}

json_t *dap_vars_scopes(tt_catalyst *cat, int frame_id)
{
    const frame_ref *f = frame_get(frame_id);
    json_t *a = json_array();
    if (f) {
        if (f->seq) {
            json_array_append_new(a, scope("Arguments",
                                           var_add(V_ARGS, f->seq, 0), false));
            json_array_append_new(
                a, scope("Probes before", var_add(V_PROBES_BEFORE, f->seq, 0),
                         false));
            json_array_append_new(
                a, scope("Probes after", var_add(V_PROBES_AFTER, f->seq, 0),
                         false));
        } else {
            json_array_append_new(
                a, scope("Arguments", var_add(V_ORDER_ARGS, 0, f->serial),
                         false));
        }
        json_array_append_new(
            a, scope("Probes now", var_add(V_PROBES_NOW, 0, f->serial), false));
        json_array_append_new(a, scope("State", var_add(V_STATE, 0, f->serial),
                                       false));
        json_array_append_new(a, scope("Queue", var_add(V_QUEUE, 0, f->serial),
                                       false));
        /* the session's lints, the same for every frame */
        size_t n = cat ? tt_lint_count(cat) : 0;
        if (n) {
            char name[48];
            snprintf(name, sizeof name, "Lints (%zu)", n);
            json_array_append_new(a, scope(name, var_add(V_LINTS, 0, 0), false));
        }
    }
    return json_pack("{s:o}", "scopes", a);
}

/* One variable; value text is taken (freed). */
static void var(json_t *a, const char *name, char *value)
{
    json_array_append_new(a, json_pack("{s:s, s:s, s:i}", "name", name,
                                       "value", value ? value : "",
                                       "variablesReference", 0));
    free(value);
}

static void vars_args(json_t *a, const tt_value *args, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "arg%zu", i);
        var(a, name, fmt_value(&args[i]));
    }
}

static void vars_map(json_t *a, const tt_map *m)
{
    for (size_t i = 0; m && i < m->n; i++)
        var(a, m->keys[i], fmt_value(&m->vals[i]));
}

json_t *dap_vars_variables(tt_catalyst *cat, int ref)
{
    json_t *a = json_array();
    if (ref >= 1 && (size_t)ref <= R.nv) {
        var_ref v = R.v[ref - 1];
        const tt_trace_entry *e = v.seq ? tt_trace_get(cat, v.seq) : NULL;
        tt_tonic *t = v.seq ? NULL : tt_tonic_at(cat, v.serial);
        switch (v.kind) {
        case V_ARGS:
            if (e)
                vars_args(a, e->args, e->nargs);
            break;
        case V_PROBES_BEFORE:
            if (e)
                vars_map(a, tt_entry_probes_enter(e));
            break;
        case V_PROBES_AFTER:
            if (e)
                vars_map(a, tt_entry_probes_exit(e));
            break;
        case V_ORDER_ARGS: {
            tt_order_view o;
            if (t && tt_queue_at(cat, 0, &o) == 0 && o.tonic == t)
                vars_args(a, o.args, o.nargs);
            break;
        }
        case V_PROBES_NOW:
            for (size_t i = 0; t && i < tt_tonic_probe_count(t); i++) {
                const char *p = tt_tonic_probe_at(t, i);
                tt_value val = TT_NONE;
                if (tt_tonic_probe_read(t, p, &val) == 0) {
                    var(a, p, fmt_value(&val));
                    tt_value_clear(&val);
                }
            }
            break;
        case V_STATE:
            if (t) {
                var(a, "state", xstrdup(tt_tonic_state_name(t)));
                var(a, "class", xstrdup(tt_tonic_class_name(t)));
                var(a, "finishing",
                    xstrdup(tt_tonic_finishing(t) ? "true" : "false"));
            }
            break;
        case V_QUEUE: {
            size_t n = tt_queue_length(cat);
            for (size_t i = 0, k = 0; t && i < n; i++) {
                tt_order_view o;
                if (tt_queue_at(cat, i, &o) != 0 || o.tonic != t)
                    continue;
                strbuf b = {0};
                fmt_order(&b, &o);
                char name[64];
                snprintf(name, sizeof name, "[%zu] (queue %zu)", k++, i);
                var(a, name, sb_take(&b));
            }
            break;
        }
        case V_LINTS: /* "warning finish-ignored": "MESSAGE at #8" */
            for (size_t i = 0, n = tt_lint_count(cat); i < n; i++) {
                tt_lint l;
                if (tt_lint_get(cat, i, &l) < 0)
                    break;
                strbuf b = {0}, name = {0};
                sb_printf(&b, "%s at ", l.message);
                lint_seqs(&b, &l);
                sb_printf(&name, "[%zu] %s %s", i,
                          tt_lint_severity_name(l.severity),
                          tt_lint_kind_name(l.kind));
                var(a, name.s, sb_take(&b));
                sb_free(&name);
            }
            break;
        }
    }
    return json_pack("{s:o}", "variables", a);
}
