/*
 * trace-load.c: reading a trace file back into a catalyst (post-mortem).
 *
 * Any trace JSON is accepted: one run dictionary (a ttdb `export -last`, a
 * `ttrun --record` recording, the dictionary the Python Distiller's
 * sparkle() returns), or a list of them (a ttdb session export, or a list of
 * Python dictionaries).  Python writes tonics and timers it cannot serialise
 * as their str(), "<ID[01]B[00] DUT MyDevice>": such strings are read back as
 * references to that tonic or timer.
 *
 * The result is an ordinary Distiller catalyst whose tonics, timers, runs and
 * trace are rebuilt from the entries, with nothing queued; it is marked as
 * recorded, so everything that would run something fails with
 * -TT_ERECORDED.  Two passes over the parsed tree: the first finds every
 * tonic and timer with its class and states (a class must know its states
 * before entries can name them by index), the second writes runs and
 * entries.
 *
 * A file cut short (a crash while writing, a truncated copy) is opened up to
 * its last whole entry: a small scanner over the raw text finds where each
 * entry starts and ends, and the text up to the last whole entry, closed
 * with the brackets still open there, is parsed instead; a warning says so.
 * The scanner's entry positions also give errors their line and column.
 */
#include "tt-int.h"

#include <errno.h>
#include <math.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TT__INTERNAL int tt__value_from_json(const json_t *j, tt_value *out);
TT__INTERNAL void tt__one_line(char *msg);

#define MAX_DEPTH 64

/* ===================================================================== */
/* What a recorded catalyst owns besides its usual data                  */
/* ===================================================================== */

/* A tonic or timer found in the trace. */
typedef struct liq {
    char *name;
    char *cls;
    bool timer;
    bool is_self;
    int base_id;          /* from a str() reference, -2 unknown */
    int id;               /* last id seen */
    char **states;
    size_t n_states, cap_states;
    char **sparkles;      /* the user sparkles it ran (a recorded class's) */
    size_t n_sparkles, cap_sparkles;
    tt__liquid *obj;      /* once created */
} liq;

struct tt__recorded {
    tt_class **classes;    /* made-up classes, each allocated on its own (a
                              compiled class points at its definition); a
                              name's latest is the last with that name */
    size_t n_classes, cap_classes;
    liq *liqs;             /* every tonic and timer read so far, kept for
                              tt_trace_append */
    size_t n_liqs, cap_liqs;
};

static void noop_handler(tt_tonic *self) { (void)self; }

static void liq_free(liq *q)
{
    for (size_t s = 0; s < q->n_states; s++)
        free(q->states[s]);
    free(q->states);
    for (size_t s = 0; s < q->n_sparkles; s++)
        free(q->sparkles[s]);
    free(q->sparkles);
    free(q->name);
    free(q->cls);
}

static void class_free(tt_class *c)
{
    for (size_t j = 0; j < c->n_handlers; j++)
        free((char *)c->handlers[j].name);
    free((tt_handler *)c->handlers);
    free((char *)c->name);
    free(c);
}

void tt__recorded_free(struct tt__recorded *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_classes; i++)
        class_free(r->classes[i]);
    free(r->classes);
    for (size_t i = 0; i < r->n_liqs; i++)
        liq_free(&r->liqs[i]);
    free(r->liqs);
    free(r);
}

bool tt_catalyst_recorded(const tt_catalyst *cat) { return cat && cat->recorded; }

/* ===================================================================== */
/* The raw-text scanner: where entries start and end                     */
/* ===================================================================== */

typedef struct scan_out {
    size_t *starts;         /* start offset of every sparkle_trace item */
    size_t n_starts, cap_starts;
    size_t *runs;           /* start offset of every item of a top-level list */
    size_t n_runs, cap_runs;
    size_t whole;           /* entries complete up to `cut` */
    size_t cut;             /* offset just after the last whole entry */
    char closers[MAX_DEPTH + 1]; /* brackets open at `cut`, innermost first */
    bool open_at_end;       /* the text ends inside a value */
} scan_out;

/* Skip a string starting at p (at the quote); position after it, or len. */
static size_t skip_str(const char *t, size_t len, size_t p)
{
    for (p++; p < len; p++) {
        if (t[p] == '\\')
            p++;
        else if (t[p] == '"')
            return p + 1;
    }
    return len + 1; /* unterminated */
}

/* One pass over the text; tolerant: it only locates, jansson validates. */
static int scan_text(const char *t, size_t len, scan_out *so)
{
    char kind[MAX_DEPTH];     /* '{' or '[' */
    bool trace[MAX_DEPTH];    /* this array is a sparkle_trace */
    bool want_value[MAX_DEPTH];
    int depth = 0;
    bool last_key_trace = false;
    size_t p = 0;

    memset(so, 0, sizeof *so);
    while (p < len) {
        char c = t[p];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':') {
            if (c == ':' && depth > 0)
                want_value[depth - 1] = true;
            p++;
            continue;
        }
        bool value_start = depth == 0 || kind[depth - 1] == '[' || want_value[depth - 1];
        if (value_start && depth == 1 && kind[0] == '[' && c != ']' &&
            TT__PUSH(so->runs, so->n_runs, so->cap_runs, p) < 0)
            return -TT_ENOMEM;
        if (value_start && depth > 0 && kind[depth - 1] == '[' && trace[depth - 1] &&
            c != ']') {
            if (TT__PUSH(so->starts, so->n_starts, so->cap_starts, p) < 0)
                return -TT_ENOMEM;
        }
        if (c == '{' || c == '[') {
            bool is_trace = c == '[' && depth > 0 && kind[depth - 1] == '{' && last_key_trace;
            if (depth > 0 && kind[depth - 1] == '{')
                want_value[depth - 1] = false;
            if (depth == MAX_DEPTH)
                return 0; /* too deep to follow: no repair */
            kind[depth] = c;
            trace[depth] = is_trace;
            want_value[depth] = false;
            depth++;
            last_key_trace = false;
            p++;
            continue;
        }
        if (c == '}' || c == ']') {
            if (depth == 0)
                return 0;
            depth--;
            p++;
        } else if (c == '"') {
            size_t q = skip_str(t, len, p);
            if (q > len) {
                so->open_at_end = true;
                return 0;
            }
            if (depth > 0 && kind[depth - 1] == '{' && !want_value[depth - 1]) {
                last_key_trace = q - p == 15 && memcmp(t + p, "\"sparkle_trace\"", 15) == 0;
                p = q;
                continue; /* a key */
            }
            if (depth > 0 && kind[depth - 1] == '{')
                want_value[depth - 1] = false;
            p = q;
        } else {
            /* a bare token (NUL bytes included: strchr would find the
             * terminator in them and the scan would never move on) */
            while (p < len && (t[p] == '\0' || !strchr(",]}: \t\r\n", t[p])))
                p++;
            if (depth > 0 && kind[depth - 1] == '{')
                want_value[depth - 1] = false;
        }
        /* a value ended at p: was it a whole entry? */
        if (depth > 0 && kind[depth - 1] == '[' && trace[depth - 1]) {
            so->whole = so->n_starts;
            so->cut = p;
            int k = 0;
            for (int d = depth - 1; d >= 0; d--)
                so->closers[k++] = kind[d] == '{' ? '}' : ']';
            so->closers[k] = '\0';
        }
    }
    so->open_at_end = depth > 0;
    return 0;
}

/* 1-based line and column of byte offset pos. */
static void line_col(const char *t, size_t len, size_t pos, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < pos && i < len; i++) {
        if (t[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)t[i] & 0xc0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* ===================================================================== */
/* Loading                                                               */
/* ===================================================================== */

typedef struct loader {
    const char *origin;
    const char *text;
    size_t len;
    tt_error *err;
    scan_out so;
    size_t entry_no;      /* global entry index (pass 2) */
    tt_catalyst *cat;
    liq *liqs;
    size_t n_liqs, cap_liqs;
    tt__liquid **by_id;   /* id -> current holder while replaying */
    size_t n_by_id;
} loader;

/* Report an error at byte offset pos (SIZE_MAX: no position). */
static int fail_at(loader *L, int code, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail_at(loader *L, int code, size_t pos, const char *fmt, ...)
{
    if (!L->err)
        return code;
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    int line = 0, col = 0;
    if (pos != (size_t)-1)
        line_col(L->text, L->len, pos, &line, &col);
    L->err->code = code;
    L->err->line = line;
    L->err->column = col;
    if (line)
        snprintf(L->err->msg, sizeof L->err->msg, "%s:%d:%d: %s", L->origin, line, col, what);
    else
        snprintf(L->err->msg, sizeof L->err->msg, "%s: %s", L->origin, what);
    tt__one_line(L->err->msg);
    return code;
}

/* Where entry g starts (or no position). */
static size_t entry_pos(const loader *L, size_t g)
{
    return g < L->so.n_starts ? L->so.starts[g] : (size_t)-1;
}

/* Where run i starts (the root object for a single run). */
static size_t run_pos(const loader *L, const json_t *root, size_t i)
{
    if (!json_is_array(root))
        return 0;
    return i < L->so.n_runs ? L->so.runs[i] : 0;
}

/* What a JSON value is, for messages. */
static const char *jtype(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "a list";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* Parse "<ID[01]B[00] DUT MyDevice>": name, class, id, base id. */
static bool parse_ref(const char *s, char **name, char **cls, int *id, int *base)
{
    int n = 0;
    if (sscanf(s, "<ID[%d]B[%d] %n", id, base, &n) != 2 || n == 0)
        return false;
    const char *c = s + n, *sp = strchr(c, ' ');
    size_t len = strlen(s);
    if (!sp || len < 2 || s[len - 1] != '>' || sp >= s + len - 1)
        return false;
    *cls = strndup(c, (size_t)(sp - c));
    *name = strndup(sp + 1, (size_t)(s + len - 1 - (sp + 1)));
    if (!*cls || !*name) {
        free(*cls);
        free(*name);
        return false;
    }
    return true;
}

static liq *liq_find(loader *L, const char *name)
{
    for (size_t i = L->n_liqs; i-- > 0;)
        if (strcmp(L->liqs[i].name, name) == 0)
            return &L->liqs[i];
    return NULL;
}

/* The tonic or timer a name or str() reference stands for (created on
 * first sight when add). */
static liq *liq_get(loader *L, const char *s, bool add, bool as_source)
{
    char *name = NULL, *cls = NULL;
    int id = -1, base = -2;
    bool ref = parse_ref(s, &name, &cls, &id, &base);
    liq *q = liq_find(L, ref ? name : s);
    if (q || !add) {
        if (q && ref && !q->cls) {
            q->cls = cls;
            cls = NULL;
        }
        if (q && ref)
            q->base_id = base;
        free(name);
        free(cls);
        return q;
    }
    liq z = {.name = ref ? name : tt__strdup(s), .cls = cls, .base_id = ref ? base : -2,
             .id = ref ? id : -1};
    if (!z.name || TT__PUSH(L->liqs, L->n_liqs, L->cap_liqs, z) < 0) {
        free(z.name);
        free(cls);
        return NULL;
    }
    q = &L->liqs[L->n_liqs - 1];
    q->is_self = strcmp(q->name, "tt_main_catalyst") == 0;
    const char *c = q->cls ? q->cls : q->name;
    q->timer = as_source && !q->is_self && strstr(c, "ttTimer") != NULL;
    return q;
}

/* Add word to the list v[n] once. */
static int add_once(char ***v, size_t *n, size_t *cap, const char *word)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i], word) == 0)
            return 0;
    char *c = tt__strdup(word);
    if (!c || TT__PUSH(*v, *n, *cap, c) < 0) {
        free(c);
        return -TT_ENOMEM;
    }
    return 0;
}

static int liq_add_state(liq *q, const char *st)
{
    if (!st || strcmp(st, "--") == 0)
        return 0;
    return add_once(&q->states, &q->n_states, &q->cap_states, st);
}

/* A sparkle the tonic ran: the app's (not a _tt* one of the runtime). */
static int liq_add_sparkle(liq *q, const char *sp)
{
    if (!sp || sp[0] == '_' || !strstr(sp, "__"))
        return 0;
    return add_once(&q->sparkles, &q->n_sparkles, &q->cap_sparkles, sp);
}

/* A state name a handler name can carry: [A-Za-z0-9_], no "__", no edge _. */
static bool state_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || s[0] == '_' || s[n - 1] == '_' || strstr(s, "__"))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] == '_' || (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= 'A' && s[i] <= 'Z')))
            return false;
    return true;
}

/* The class name a recorded tonic shows: from its str(), from "NN.Class",
 * else "Recorded". */
static const char *class_of(const liq *q)
{
    if (q->cls)
        return q->cls;
    const char *dot = strchr(q->name, '.');
    if (dot && dot > q->name && dot[1]) {
        bool digits = true;
        for (const char *c = q->name; c < dot; c++)
            digits = digits && *c >= '0' && *c <= '9';
        if (digits)
            return dot + 1;
    }
    return "Recorded";
}

/* Add a no-op handler named hn to h[n] (once). */
static void handler_add(tt_handler **h, size_t *n, size_t *cap, const char *hn)
{
    for (size_t k = 0; k < *n; k++)
        if (strcmp((*h)[k].name, hn) == 0)
            return;
    if (tt__grow((void **)h, cap, *n + 1, sizeof **h) < 0)
        return;
    memset(&(*h)[*n], 0, sizeof (*h)[*n]);
    (*h)[*n].name = tt__strdup(hn);
    (*h)[*n].fn = (tt_fn)noop_handler;
    if ((*h)[*n].name)
        (*n)++;
}

/* Whether a class may define sparkle sp (not one the runtime owns, such
 * as ttsc__finish). */
static bool sparkle_ok(const char *cname, const char *sp)
{
    tt_handler one = {.name = sp, .fn = (tt_fn)noop_handler};
    tt_class probe = {.name = cname, .handlers = &one, .n_handlers = 1};
    return tt_class_check(&probe, NULL) == 0;
}

/* Whether q's tonic gets a class of its own: its class is not named. */
static bool own_class(const liq *q)
{
    return strcmp(class_of(q), "Recorded") == 0 && !q->cls;
}

/* A new class for q (the latest of its name from now on): one per class
 * name, with the union of its tonics' states and of the sparkles they ran;
 * a tonic whose class the trace does not say ("Recorded") gets one of its
 * own, so that it shows only its own states and sparkles. */
static const tt_class *class_new(loader *L, struct tt__recorded *rec, const liq *self)
{
    const char *cname = class_of(self);
    bool own = own_class(self);
    tt_class *c = calloc(1, sizeof *c);
    if (!c || !(c->name = tt__strdup(cname)) ||
        TT__PUSH(rec->classes, rec->n_classes, rec->cap_classes, c) < 0) {
        if (c)
            free((char *)c->name);
        free(c);
        return NULL;
    }
    size_t cap = 0, n = 0;
    tt_handler *h = NULL;
    for (size_t i = 0; i < L->n_liqs; i++) {
        const liq *q = &L->liqs[i];
        if (q->timer || q->is_self || (own ? q != self : strcmp(class_of(q), cname) != 0))
            continue;
        for (size_t s = 0; s < q->n_states; s++) {
            if (!state_ok(q->states[s]))
                continue;
            char hn[300];
            snprintf(hn, sizeof hn, "ttse_%s__on_enter", q->states[s]);
            handler_add(&h, &n, &cap, hn);
        }
        for (size_t s = 0; s < q->n_sparkles; s++)
            if (sparkle_ok(cname, q->sparkles[s]))
                handler_add(&h, &n, &cap, q->sparkles[s]);
    }
    c->handlers = h;
    c->n_handlers = n;
    return c;
}

/* The class of q: its name's latest, or a new one. */
static const tt_class *class_for(loader *L, struct tt__recorded *rec, const liq *self)
{
    if (!own_class(self))
        for (size_t i = rec->n_classes; i-- > 0;)
            if (strcmp(rec->classes[i]->name, class_of(self)) == 0)
                return rec->classes[i];
    return class_new(L, rec, self);
}

static tt_timer_kind timer_kind(const char *cls)
{
    if (strstr(cls, "Repeat"))
        return TT_TIMER_REPEAT;
    if (strstr(cls, "Pausing"))
        return TT_TIMER_PAUSING;
    return TT_TIMER_SINGLE_SHOT;
}

/* Create the tonics and timers found in pass 1 and not created yet, in
 * order of appearance; nothing they queue stays queued. */
static int create_objects(loader *L, bool fresh)
{
    tt_catalyst *cat = L->cat;
    struct tt__recorded *rec = cat->recorded;
    int rc = 0;
    for (size_t i = 0; i < L->n_liqs; i++) {
        liq *q = &L->liqs[i];
        if (q->obj)
            continue;
        if (q->is_self) {
            q->obj = &cat->self->l;
            continue;
        }
        tt_tonic *base = cat->self;
        if (q->base_id >= 0)
            for (size_t j = 0; j < i; j++)
                if (L->liqs[j].id == q->base_id && !L->liqs[j].timer && L->liqs[j].obj &&
                    L->liqs[j].obj->kind == TT__K_TONIC)
                    base = (tt_tonic *)L->liqs[j].obj;
        if (q->timer) {
            tt_timer *tm = calloc(1, sizeof *tm);
            if (!tm)
                return -TT_ENOMEM;
            tm->l.kind = TT__K_TIMER;
            tm->l.name = tt__strdup(q->name);
            tm->l.id = -1;
            tm->l.last_id = q->id;
            tm->l.base = base;
            tm->cat = cat;
            tm->kind = timer_kind(class_of(q));
            tm->kind_unknown = q->cls == NULL; /* a C trace names the timer only */
            tm->period = NAN;                  /* no trace says it */
            tm->l.base_unknown = q->base_id < 0;
            tm->finished = true;
            tm->l.serial = (uint32_t)cat->n_timers;
            if (!tm->l.name || TT__PUSH(cat->timers, cat->n_timers, cat->cap_timers, tm) < 0) {
                tt__timer_free(tm);
                return -TT_ENOMEM;
            }
            tt__infusion_add(base, &tm->l);
            q->obj = &tm->l;
            continue;
        }
        const tt_class *cls = class_for(L, rec, q);
        tt__klass *k = cls ? tt__klass_get(cat, cls, false) : NULL;
        if (!k) {
            rc = -TT_ENOMEM;
            break;
        }
        cat->frame = (tt__frame){&base->l, TT_N_INIT, base->l.id, 0};
        tt_tonic *t = tt__tonic_create(cat, k, q->name, NULL, false);
        cat->frame = (tt__frame){NULL, TT_N_EMPTY, -1, 0};
        if (!t) {
            rc = -TT_ENOMEM;
            break;
        }
        t->l.base_unknown = q->base_id < 0; /* shown under the catalyst */
        q->obj = &t->l;
        /* ids come from the trace, not from the ledger's order */
        if (!fresh && t->l.id >= 0 && (size_t)t->l.id < cat->n_ledger &&
            cat->ledger[t->l.id] == &t->l)
            cat->ledger[t->l.id] = NULL;
        t->l.id = -1;
    }
    if (fresh) {
        for (size_t i = 0; i < cat->n_ledger; i++)
            cat->ledger[i] = NULL;
        cat->ledger[0] = &cat->self->l;
    }
    /* nothing is pending in a recording */
    tt__order o;
    while (tt__queue_pop(&cat->queue, &o))
        tt__order_clear(&o);
    return rc;
}

/* Give obj the id `id` now (the ledger follows the trace). */
static int assign_id(loader *L, tt__liquid *obj, int id)
{
    tt_catalyst *cat = L->cat;
    if (id < 0 || id > 1000000 || obj->id == id)
        return 0;
    while (cat->n_ledger <= (size_t)id)
        if (TT__PUSH(cat->ledger, cat->n_ledger, cat->cap_ledger, (tt__liquid *)NULL) < 0)
            return -TT_ENOMEM;
    tt__liquid *old = cat->ledger[id];
    if (old && old != obj)
        old->id = -1;
    if (obj->id >= 0 && (size_t)obj->id < cat->n_ledger && cat->ledger[obj->id] == obj)
        cat->ledger[obj->id] = NULL;
    cat->ledger[id] = obj;
    obj->id = obj->last_id = id;
    return 0;
}

/* A value of an entry: str() references become references. */
static int value_read(loader *L, const json_t *j, tt_value *out)
{
    if (json_is_string(j)) {
        const char *s = json_string_value(j);
        if (s[0] == '<') {
            liq *q = liq_get(L, s, false, false);
            if (q && q->obj) {
                /* by what was made: a later append may see the name as the
                 * other kind */
                *out = q->obj->kind == TT__K_TIMER ? TT_TIMER((tt_timer *)q->obj)
                                                   : TT_TONIC((tt_tonic *)q->obj);
                return 0;
            }
        }
    }
    return tt__value_from_json(j, out);
}

static const json_t *get(const json_t *o, const char *key)
{
    return json_is_object(o) ? json_object_get(o, key) : NULL;
}

/* Check the fields an entry must have; pass 1 also learns its objects. */
static int entry_check(loader *L, const json_t *e, size_t g, size_t run, size_t idx)
{
    size_t pos = entry_pos(L, g);
    static const char *const need[] = {"tonic", "sparkle", "source", "at_enter", "at_exit"};
    if (!json_is_object(e))
        return fail_at(L, -TT_EJSON, pos, "entry %zu of run %zu: expected an object, found %s",
                       idx + 1, run + 1, jtype(e));
    for (size_t i = 0; i < TT_COUNTOF(need); i++)
        if (!get(e, need[i]))
            return fail_at(L, -TT_EJSON, pos, "entry %zu of run %zu: missing \"%s\"", idx + 1,
                           run + 1, need[i]);
    const json_t *tonic = get(e, "tonic"), *sp = get(e, "sparkle"), *src = get(e, "source");
    if (!json_is_string(tonic) || !json_is_string(sp))
        return fail_at(L, -TT_EJSON, pos,
                       "entry %zu of run %zu: \"tonic\" and \"sparkle\" must be strings",
                       idx + 1, run + 1);
    if (!json_is_array(src) || json_array_size(src) != 3 ||
        !(json_is_string(json_array_get(src, 0)) || json_is_null(json_array_get(src, 0))) ||
        !json_is_string(json_array_get(src, 1)))
        return fail_at(L, -TT_EJSON, pos,
                       "entry %zu of run %zu: \"source\" must be [name or null, sparkle, id]",
                       idx + 1, run + 1);
    for (int side = 0; side < 2; side++) {
        const json_t *at = get(e, side ? "at_exit" : "at_enter");
        if (!json_is_object(at) || !json_is_string(get(at, "state")))
            return fail_at(L, -TT_EJSON, pos,
                           "entry %zu of run %zu: \"%s\" must be an object with a \"state\" "
                           "string",
                           idx + 1, run + 1, side ? "at_exit" : "at_enter");
    }
    const json_t *args = get(e, "args");
    if (args && !json_is_array(args))
        return fail_at(L, -TT_EJSON, pos, "entry %zu of run %zu: \"args\" must be a list",
                       idx + 1, run + 1);
    const json_t *id = get(e, "id");
    if (id && !json_is_integer(id))
        return fail_at(L, -TT_EJSON, pos, "entry %zu of run %zu: \"id\" must be an integer",
                       idx + 1, run + 1);
    /* pass 1: objects and states */
    liq *q = liq_get(L, json_string_value(tonic), true, false);
    if (!q)
        return -TT_ENOMEM;
    q->timer = false;
    if (id)
        q->id = (int)json_integer_value(id);
    if (liq_add_state(q, json_string_value(get(get(e, "at_enter"), "state"))) < 0 ||
        liq_add_state(q, json_string_value(get(get(e, "at_exit"), "state"))) < 0 ||
        liq_add_sparkle(q, json_string_value(sp)) < 0)
        return -TT_ENOMEM;
    const json_t *sname = json_array_get(src, 0);
    if (json_is_string(sname)) {
        liq *s = liq_get(L, json_string_value(sname), true, true);
        if (!s)
            return -TT_ENOMEM;
        if (!s->timer && strcmp(json_string_value(json_array_get(src, 1)), "expired") == 0 &&
            !s->n_states && !s->is_self && s->id != 0)
            s->timer = true; /* only a timer's source label is "expired" */
        if (json_is_integer(json_array_get(src, 2)) && s->id < 0)
            s->id = (int)json_integer_value(json_array_get(src, 2));
    }
    return 0;
}

/* A probes map into the arena of seq; NULL when empty. */
static tt_map *probes_read(loader *L, const json_t *at, uint64_t seq)
{
    const json_t *p = get(at, "probes");
    if (!json_is_object(p) || json_object_size(p) == 0)
        return NULL;
    tt__trace *tr = &L->cat->trace;
    size_t n = json_object_size(p);
    tt_map *m = tt__trace_alloc(tr, seq, sizeof *m);
    if (!m)
        return NULL;
    m->n = 0;
    m->keys = tt__trace_alloc(tr, seq, n * sizeof *m->keys);
    m->vals = tt__trace_alloc(tr, seq, n * sizeof *m->vals);
    if (!m->keys || !m->vals)
        return m;
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)p, key, val) {
        int64_t id = tt__intern(&L->cat->names, key);
        if (id < 0 || m->n == n)
            break;
        if (tt__value_from_json(val, &m->vals[m->n]) < 0)
            break;
        m->keys[m->n++] = L->cat->names.str[id];
    }
    return m;
}

static double num(const json_t *j, double dflt)
{
    return json_is_number(j) ? json_number_value(j) : dflt;
}

static int16_t state_index(tt__liquid *obj, const char *st)
{
    if (obj->kind != TT__K_TONIC || strcmp(st, "--") == 0)
        return -1;
    int i = tt_tonic_state_index((tt_tonic *)obj, st);
    return i < 0 ? -1 : (int16_t)i;
}

/* Make the tonic named name an infusion of the tonic of entry ce (NULL:
 * of the catalyst) when the trace gave it no base; 0 or -TT_ENOMEM. */
static int creation_base(loader *L, const char *name, const tt_trace_entry *ce)
{
    tt_catalyst *cat = L->cat;
    liq *s = liq_get(L, name, false, true);
    if (!s || !s->obj || s->obj->kind != TT__K_TONIC || s->base_id != -2 ||
        !s->obj->base_unknown || s->obj->base != cat->self)
        return 0;
    tt_tonic *t = (tt_tonic *)s->obj, *base = ce ? tt_tonic_at(cat, ce->tonic) : cat->self;
    for (tt_tonic *b = base; b; b = tt_tonic_base(b))
        if (b == t)
            return 0; /* not under itself */
    if (!base)
        return 0;
    if (base != cat->self) {
        size_t old_slot = t->l.inf_slot; /* add first: nothing changes without memory */
        if (tt__infusion_add(base, &t->l) < 0)
            return -TT_ENOMEM;
        size_t new_slot = t->l.inf_slot;
        t->l.inf_slot = old_slot;
        tt__infusion_remove(cat->self, &t->l);
        t->l.inf_slot = new_slot;
        t->l.base = base;
    }
    t->l.base_unknown = false;
    return 0;
}

/* Pass 2: one entry into the trace. */
static int entry_write(loader *L, const json_t *j)
{
    tt_catalyst *cat = L->cat;
    liq *q = liq_get(L, json_string_value(get(j, "tonic")), false, false);
    tt__liquid *obj = q ? q->obj : NULL;
    if (!obj || obj->kind != TT__K_TONIC)
        return 0; /* a timer's name used as a tonic: nothing to show */
    tt_tonic *t = (tt_tonic *)obj;
    const json_t *jid = get(j, "id");
    int id = jid ? (int)json_integer_value(jid) : t->l.id;
    if (assign_id(L, obj, id) < 0)
        return -TT_ENOMEM;
    tt_trace_entry *e = tt__trace_append(&cat->trace);
    if (!e)
        return -TT_ENOMEM;
    uint64_t seq = tt__entry_seq(e);
    int64_t sp = tt__intern(&cat->names, json_string_value(get(j, "sparkle")));
    if (sp < 0)
        return -TT_ENOMEM;
    e->id = id;
    e->tonic = t->l.serial;
    e->sparkle = (uint32_t)sp;
    const json_t *src = get(j, "source");
    const json_t *sname = json_array_get(src, 0);
    int64_t ssp = tt__intern(&cat->names, json_string_value(json_array_get(src, 1)));
    if (ssp < 0)
        return -TT_ENOMEM;
    e->src_sparkle = (uint32_t)ssp;
    e->src_id = json_is_integer(json_array_get(src, 2))
                    ? (int32_t)json_integer_value(json_array_get(src, 2))
                    : -1;
    e->src_obj = TT_SRC_NONE;
    if (json_is_string(sname)) {
        liq *s = liq_get(L, json_string_value(sname), false, true);
        if (s && s->obj)
            e->src_obj = s->obj->kind == TT__K_TIMER ? (TT_SRC_TIMER | s->obj->serial)
                                                     : s->obj->serial;
        if (s && s->obj && s->obj->kind == TT__K_TIMER && e->src_id >= 0)
            s->obj->last_id = e->src_id;
        /* a timer's callbacks go to its base */
        if (s && s->obj && s->obj->kind == TT__K_TIMER && s->base_id == -2 &&
            s->obj->base == cat->self && t != cat->self) {
            tt__infusion_remove(cat->self, s->obj);
            s->obj->base = t;
            s->obj->base_unknown = false;
            tt__infusion_add(t, s->obj);
        }
        else if (s && s->obj && s->obj->id < 0 && s->obj->last_id != e->src_id &&
                 assign_id(L, s->obj, e->src_id) < 0)
            return -TT_ENOMEM;
    }
    const json_t *in = get(j, "at_enter"), *out = get(j, "at_exit");
    e->state_enter = state_index(obj, json_string_value(get(in, "state")));
    e->state_exit = state_index(obj, json_string_value(get(out, "state")));
    t->state = e->state_exit;
    e->t_enter = num(get(in, "@"), 0);
    if (tt__entry_set_exit(&cat->trace, e, num(get(out, "@"), e->t_enter)) < 0)
        return -TT_ENOMEM;
    e->vt = num(get(j, "vt"), 0);
    const json_t *cause = get(j, "cause");
    uint64_t cause_seq = 0;
    if (json_is_integer(cause) && json_integer_value(cause) > 0 &&
        (uint64_t)json_integer_value(cause) < seq) {
        cause_seq = (uint64_t)json_integer_value(cause);
        if (tt__entry_set_cause(&cat->trace, e, cause_seq) < 0)
            return -TT_ENOMEM;
    }
    const tt_trace_entry *ce = cause_seq ? tt_trace_get(cat, cause_seq) : NULL;
    /* A tonic's creation (source TONIC.__init__) caused by a sparkle makes
     * it an infusion of that sparkle's tonic, as tt_tonic_new does; with
     * no cause (0: the formula, a test) of the catalyst.  Only a trace with
     * ttdb's extension fields says so; a str() reference's base (B[..])
     * wins. */
    const char *src_sparkle = json_string_value(json_array_get(src, 1));
    /* (ttdb's traces leave out a cause of 0 but always write "seq") */
    if ((json_is_integer(cause) || json_is_integer(get(j, "seq"))) &&
        json_is_string(sname) && src_sparkle &&
        strcmp(src_sparkle, "__init__") == 0 &&
        creation_base(L, json_string_value(sname), ce) < 0)
        return -TT_ENOMEM;
    /* The JSON does not mark the extra sparkles of a state change: they run
     * on the tonic of the entry that made them (their cause) and keep its
     * source. */
    if (ce && ce->tonic == e->tonic && ce->src_obj == e->src_obj &&
        ce->src_sparkle == e->src_sparkle && ce->src_id == e->src_id &&
        (e->sparkle == TT_N_ON_EXIT || e->sparkle == TT_N_STATE_CHANGE ||
         e->sparkle == TT_N_ON_ENTER || e->sparkle == TT_N_MACHINE_STOP))
        e->flags |= TT_EF_EXTRA;
    const json_t *spk = get(out, "sparkling");
    if (!spk || json_is_true(spk))
        e->flags |= TT_EF_SPARKLING;
    const char *ran = json_string_value(get(j, "ran"));
    if (ran)
        e->flags |= strcmp(ran, "crashed") == 0      ? TT_EF_CRASHED
                    : strcmp(ran, "no handler") == 0 ? TT_EF_NOHANDLER
                    : strcmp(ran, "dropped") == 0    ? TT_EF_DROPPED
                                                     : TT_EF_IGNORED;
    const char *note = json_string_value(get(j, "note"));
    if (note) {
        if (tt__note_add(cat, seq, note) < 0)
            return -TT_ENOMEM;
        e->flags |= TT_EF_NOTE;
    }
    /* args, then the values of Python's kwargs (C has no keywords) */
    const json_t *args = get(j, "args"), *kw = get(j, "kwargs");
    size_t na = json_array_size(args), n = na + (json_is_object(kw) ? json_object_size(kw) : 0);
    if (n > UINT16_MAX)
        n = UINT16_MAX;
    if (n) {
        e->args = tt__trace_alloc(&cat->trace, seq, n * sizeof *e->args);
        if (!e->args)
            return -TT_ENOMEM;
        const char *key;
        json_t *val;
        for (size_t i = 0; i < na && i < n; i++) {
            if (value_read(L, json_array_get(args, i), &e->args[i]) < 0)
                return -TT_ENOMEM;
            e->nargs = (uint16_t)(i + 1);
        }
        if (json_is_object(kw))
            json_object_foreach((json_t *)kw, key, val) {
                if (e->nargs == n)
                    break;
                if (value_read(L, val, &e->args[e->nargs]) < 0)
                    return -TT_ENOMEM;
                e->nargs++;
            }
    }
    for (int side = 0; side < 2; side++) {
        tt_map *m = probes_read(L, side ? out : in, seq);
        if (m && tt__entry_set_probes(&cat->trace, e, side, m) < 0) {
            tt__probes_clear(m);
            return -TT_ENOMEM;
        }
    }
    /* a tonic the catalyst removed gives its id back */
    if (t == cat->self && sp == TT_N_REMOVE_TONIC && e->nargs == 1 &&
        e->args[0].type == TT_T_INT) {
        int64_t gone = e->args[0].u.i;
        if (gone > 0 && (size_t)gone < cat->n_ledger && cat->ledger[gone]) {
            cat->ledger[gone]->id = -1;
            cat->ledger[gone] = NULL;
        }
    }
    if (t == cat->self && !(e->flags & TT_EF_SPARKLING)) {
        cat->sparkling = false;
        cat->finished = true;
    }
    return 0;
}

/* Pass 2: one run dictionary. */
static int run_write(loader *L, const json_t *o)
{
    tt_catalyst *cat = L->cat;
    tt_run *r = tt__run_new(cat);
    if (!r)
        return -TT_ENOMEM;
    const char *status = json_string_value(get(o, "status"));
    r->finished_status = status && strcmp(status, "catalyst finished") == 0;
    r->start = num(get(o, "start@"), 0);
    r->end = num(get(o, "end@"), r->start);
    r->vt_start = num(get(o, "vt_start"), 0);
    r->vt_end = num(get(o, "vt_end"), r->vt_start);
    const json_t *st = get(o, "stop_condition");
    if (json_is_string(st))
        tt__run_add_stop(r, json_string_value(st));
    for (size_t i = 0; json_is_array(st) && i < json_array_size(st); i++)
        if (json_is_string(json_array_get(st, i)))
            tt__run_add_stop(r, json_string_value(json_array_get(st, i)));
    const json_t *cd = get(o, "contract_details");
    const json_t *mt = get(cd, "matched_tonics");
    if (json_is_object(cd) && json_is_object(mt)) {
        size_t n = json_object_size(mt), k = 0;
        r->met = true;
        r->match_count = (int)json_integer_value(get(cd, "match_count"));
        r->target_count = (int)json_integer_value(get(cd, "target_count"));
        r->matched = calloc(n + 1, sizeof *r->matched);
        r->reasons = calloc(n + 1, sizeof *r->reasons);
        r->n_reasons = calloc(n + 1, sizeof *r->n_reasons);
        if (!r->matched || !r->reasons || !r->n_reasons)
            return -TT_ENOMEM;
        const char *key;
        json_t *val;
        json_object_foreach((json_t *)mt, key, val) {
            if (k == n)
                break;
            r->matched[k] = tt__strdup(key);
            size_t m = json_array_size(val);
            r->reasons[k] = calloc(m + 1, sizeof **r->reasons);
            for (size_t i = 0; r->reasons[k] && i < m; i++)
                if (json_is_string(json_array_get(val, i)))
                    r->reasons[k][r->n_reasons[k]++] =
                        tt__strdup(json_string_value(json_array_get(val, i)));
            k++;
        }
        r->n_matched = k;
    }
    const json_t *tr = get(o, "sparkle_trace");
    r->has_trace = json_is_array(tr);
    r->finished_status = r->finished_status || !r->has_trace;
    r->first_seq = cat->trace.last + 1;
    for (size_t i = 0; json_is_array(tr) && i < json_array_size(tr); i++) {
        int rc = entry_write(L, json_array_get(tr, i));
        if (rc < 0)
            return rc;
    }
    r->count = cat->trace.last + 1 - r->first_seq;
    if (r->end < r->start)
        r->end = r->start;
    return 0;
}

/* The runs of the root: an object is one run, a list several. */
static int check_root(loader *L, const json_t *root, size_t *n_runs)
{
    if (!json_is_object(root) && !json_is_array(root))
        return fail_at(L, -TT_EJSON, 0,
                       "expected a trace (a run object with \"sparkle_trace\", or a list of "
                       "them), found %s",
                       jtype(root));
    size_t n = json_is_array(root) ? json_array_size(root) : 1;
    size_t g = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *run = json_is_array(root) ? json_array_get(root, i) : root;
        const json_t *tr = get(run, "sparkle_trace");
        if (!json_is_object(run) || (!tr && !get(run, "stop_condition") && !get(run, "status")))
            return fail_at(L, -TT_EJSON, run_pos(L, root, i),
                           "run %zu: expected a run object with \"sparkle_trace\", found %s",
                           i + 1, json_is_object(run) ? "an object without it" : jtype(run));
        if (json_is_null(tr))
            tr = NULL; /* Python: the catalyst had finished */
        if (tr && !json_is_array(tr))
            return fail_at(L, -TT_EJSON, run_pos(L, root, i),
                           "run %zu: \"sparkle_trace\" must be a list, found %s", i + 1,
                           jtype(tr));
        for (size_t k = 0; tr && k < json_array_size(tr); k++, g++) {
            int rc = entry_check(L, json_array_get(tr, k), g, i, k);
            if (rc < 0)
                return rc;
        }
    }
    *n_runs = n;
    return 0;
}

/* Parse text (cut to its last whole entry if it ends early). */
static json_t *parse(loader *L, bool *partial)
{
    json_error_t jerr;
    json_t *root = json_loadb(L->text, L->len, 0, &jerr);
    *partial = false;
    if (root)
        return root;
    if (L->so.open_at_end && L->so.cut > 0) {
        size_t nc = strlen(L->so.closers);
        char *fixed = malloc(L->so.cut + nc + 1);
        if (fixed) {
            memcpy(fixed, L->text, L->so.cut);
            memcpy(fixed + L->so.cut, L->so.closers, nc + 1);
            json_error_t e2;
            root = json_loadb(fixed, L->so.cut + nc, 0, &e2);
            free(fixed);
            if (root) {
                *partial = true;
                return root;
            }
        }
    }
    /* jansson reports the position after the token it names ("near 'x'") */
    size_t pos = jerr.position > 0 ? (size_t)jerr.position : 0;
    const char *near = strstr(jerr.text, "near '");
    if (near && strlen(near + 6) > 0 && strlen(near + 6) - 1 <= pos)
        pos -= strlen(near + 6) - 1;
    else if (pos > 0)
        pos--;
    if (pos > L->len)
        pos = L->len;
    if (L->len >= 4 && memcmp(L->text, "\177ELF", 4) == 0) {
        fail_at(L, -TT_EJSON, SIZE_MAX, "an ELF file (a program or an app module), not a "
                                        "trace (JSON)");
        return NULL;
    }
    fail_at(L, -TT_EJSON, pos, "%s %s", L->len == 0 ? "empty file:" : "not valid JSON:",
            L->len == 0 ? "expected a trace (JSON)" : jerr.text);
    return NULL;
}

static void loader_free(loader *L)
{
    for (size_t i = 0; i < L->n_liqs; i++)
        liq_free(&L->liqs[i]);
    free(L->liqs);
    free(L->so.starts);
    free(L->so.runs);
}

static void err_clear(tt_error *err)
{
    if (err) {
        err->code = 0;
        err->line = err->column = 0;
        err->msg[0] = '\0';
    }
}

/* Build a recorded catalyst from trace JSON (see tasktonic.h). */
int tt_trace_parse(const char *text, size_t len, const char *origin, tt_catalyst **out,
                   tt_error *err)
{
    err_clear(err);
    if (out)
        *out = NULL;
    if (!origin)
        origin = "trace";
    loader L = {.origin = origin, .text = text, .len = len, .err = err};
    if (!text || !out)
        return fail_at(&L, -TT_EINVAL, (size_t)-1, "no trace text");
    int rc = scan_text(text, len, &L.so);
    bool partial = false;
    json_t *root = NULL;
    if (rc == 0 && !(root = parse(&L, &partial)))
        rc = -TT_EJSON;
    size_t n_runs = 0;
    if (rc == 0)
        rc = check_root(&L, root, &n_runs);
    tt_catalyst *cat = NULL;
    if (rc == 0) {
        tt_catalyst_options o = {.mode = TT_MODE_DISTILLER};
        rc = tt_catalyst_new(&cat, &o);
    }
    if (rc == 0 && !(cat->recorded = calloc(1, sizeof *cat->recorded)))
        rc = -TT_ENOMEM;
    L.cat = cat;
    if (rc == 0)
        rc = create_objects(&L, true);
    if (rc == 0) {
        const json_t *first = json_is_array(root) ? json_array_get(root, 0) : root;
        const json_t *e0 = json_array_get(get(first, "sparkle_trace"), 0);
        const json_t *seq = get(e0, "seq");
        if (json_is_integer(seq) && json_integer_value(seq) > 1 &&
            json_integer_value(seq) < (json_int_t)1 << 52) {
            uint64_t s = (uint64_t)json_integer_value(seq);
            cat->trace.first = cat->trace.first_chunk_seq = s;
            cat->trace.last = s - 1;
        }
    }
    for (size_t i = 0; rc == 0 && i < n_runs; i++)
        rc = run_write(&L, json_is_array(root) ? json_array_get(root, i) : root);
    if (rc == 0 && cat->n_runs) {
        const tt_run *last = cat->runs[cat->n_runs - 1];
        cat->vt = last->vt_end;
    }
    if (rc == -TT_ENOMEM && (!err || !err->msg[0]))
        fail_at(&L, rc, (size_t)-1, "out of memory");
    if (rc == 0 && partial)
        fail_at(&L, 0, L.so.cut,
                "warning: the trace is cut short; opened up to its last whole entry (%zu "
                "entr%s)",
                L.so.whole, L.so.whole == 1 ? "y" : "ies");
    json_decref(root);
    if (rc == 0) {
        /* what tt_trace_append needs to go on */
        cat->recorded->liqs = L.liqs;
        cat->recorded->n_liqs = L.n_liqs;
        cat->recorded->cap_liqs = L.cap_liqs;
        L.liqs = NULL;
        L.n_liqs = 0;
    }
    loader_free(&L);
    if (rc < 0) {
        tt_catalyst_free(cat);
        return rc;
    }
    *out = cat;
    return 0;
}

/* ===================================================================== */
/* Appending (a live viewer's stream)                                    */
/* ===================================================================== */

/* The tonics of class `old` (q's) met a state or ran a sparkle it lacks:
 * a new class with every state and sparkle of the name (of q alone for a
 * class of its own) replaces it on all of them.  A class's states are
 * sorted, so the indices the entries and tonics hold are translated; the
 * lints, which keep indices too, start over (they are computed again from
 * the trace when next asked for). */
static int regrow_class(loader *L, tt__klass *old, const liq *q)
{
    tt_catalyst *cat = L->cat;
    const tt_class *c = class_new(L, cat->recorded, q);
    tt__klass *k = c ? tt__klass_get(cat, c, false) : NULL;
    int16_t *map = calloc(old->n_states + 1, sizeof *map);
    if (!k || !map) {
        free(map);
        return -TT_ENOMEM;
    }
    for (size_t i = 0; i < old->n_states; i++)
        map[i] = (int16_t)tt__klass_state(k, old->states[i]);
    for (uint64_t s = tt_trace_first_seq(cat), last = tt_trace_last_seq(cat); s && s <= last;
         s++) {
        tt_trace_entry *e = (tt_trace_entry *)tt_trace_get(cat, s);
        if (!e || e->tonic >= cat->n_tonics || cat->tonics[e->tonic]->k != old)
            continue;
        if (e->state_enter >= 0 && (size_t)e->state_enter < old->n_states)
            e->state_enter = map[e->state_enter];
        if (e->state_exit >= 0 && (size_t)e->state_exit < old->n_states)
            e->state_exit = map[e->state_exit];
    }
    for (size_t i = 0; i < cat->n_tonics; i++) {
        tt_tonic *t = cat->tonics[i];
        if (!t || t->k != old)
            continue;
        if (t->state >= 0 && (size_t)t->state < old->n_states)
            t->state = map[t->state];
        t->k = k;
    }
    free(map);
    tt__lints_free(cat);
    return 0;
}

/* Whether t's class lacks a state or a sparkle that pass 1 found for q. */
static bool class_lacks(tt_catalyst *cat, const liq *q, const tt_tonic *t)
{
    for (size_t s = 0; s < q->n_states; s++)
        if (state_ok(q->states[s]) && tt__klass_state(t->k, q->states[s]) < 0)
            return true;
    for (size_t s = 0; s < q->n_sparkles; s++) {
        int64_t id = tt__intern(&cat->names, q->sparkles[s]);
        if (id >= 0 && !tt__klass_sparkle(t->k, (uint32_t)id) &&
            sparkle_ok(class_of(q), q->sparkles[s]))
            return true;
    }
    return false;
}

/* Give the classes of the tonics already made every state and sparkle
 * pass 1 found. */
static int grow_classes(loader *L)
{
    for (size_t i = 0; i < L->n_liqs; i++) {
        const liq *q = &L->liqs[i];
        if (q->timer || q->is_self || !q->obj || q->obj->kind != TT__K_TONIC)
            continue;
        tt_tonic *t = (tt_tonic *)q->obj;
        if (class_lacks(L->cat, q, t)) {
            int rc = regrow_class(L, t->k, q);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

/* Append entries to a recorded catalyst (see tasktonic.h). */
int tt_trace_append(tt_catalyst *cat, const char *text, size_t len, const char *origin,
                    size_t keep, tt_error *err)
{
    err_clear(err);
    if (!origin)
        origin = "trace";
    loader L = {.origin = origin, .text = text, .len = len, .err = err, .cat = cat};
    if (!cat || !cat->recorded || !text)
        return fail_at(&L, -TT_EINVAL, (size_t)-1,
                       !text ? "no trace text" : "not a recorded trace (tt_trace_parse)");
    struct tt__recorded *rec = cat->recorded;
    int rc = scan_text(text, len, &L.so);
    bool partial = false;
    json_t *root = NULL;
    if (rc == 0 && !(root = parse(&L, &partial)))
        rc = -TT_EJSON;
    /* a run dictionary (its entries and status) or a list of entries */
    const json_t *entries = root, *run = NULL;
    if (rc == 0 && json_is_object(root)) {
        run = root;
        entries = get(root, "sparkle_trace");
        if (!entries)
            entries = NULL;
        else if (!json_is_array(entries))
            rc = fail_at(&L, -TT_EJSON, 0, "\"sparkle_trace\" must be a list, found %s",
                         jtype(entries));
    } else if (rc == 0 && !json_is_array(root)) {
        rc = fail_at(&L, -TT_EJSON, 0,
                     "expected entries to append (a list of them, or a run object with "
                     "\"sparkle_trace\"), found %s",
                     jtype(root));
    } else if (rc == 0) {
        /* a bare list: its items are the entries (their positions) */
        free(L.so.starts);
        L.so.starts = L.so.runs;
        L.so.n_starts = L.so.n_runs;
        L.so.runs = NULL;
        L.so.n_runs = 0;
    }
    size_t n = json_array_size(entries);
    const json_t *seq = get(json_array_get(entries, 0), "seq");
    uint64_t next = tt_trace_last_seq(cat) + 1;
    bool empty = tt_trace_last_seq(cat) < tt_trace_first_seq(cat);
    if (rc == 0 && n && json_is_integer(seq) && (uint64_t)json_integer_value(seq) != next &&
        !(empty && json_integer_value(seq) > 0 && json_integer_value(seq) < (json_int_t)1 << 52))
        rc = fail_at(&L, -TT_ERANGE, entry_pos(&L, 0),
                     "entry 1 has seq %lld: the trace ends at #%llu, the entries must go on "
                     "from #%llu",
                     (long long)json_integer_value(seq), (unsigned long long)(next - 1),
                     (unsigned long long)next);
    /* pass 1 on the tonics and timers read so far: what is new is undone
     * when an entry is rejected */
    L.liqs = rec->liqs;
    L.n_liqs = rec->n_liqs;
    L.cap_liqs = rec->cap_liqs;
    size_t old_liqs = L.n_liqs;
    liq *was = rc == 0 ? malloc((old_liqs + 1) * sizeof *was) : NULL;
    if (rc == 0 && !was)
        rc = -TT_ENOMEM;
    if (rc == 0 && old_liqs)
        memcpy(was, L.liqs, old_liqs * sizeof *was);
    for (size_t k = 0; rc == 0 && k < n; k++)
        rc = entry_check(&L, json_array_get(entries, k), k, tt_run_count(cat) ? tt_run_count(cat) - 1 : 0, k);
    if (rc < 0 && was) {
        /* everything pass 1 learnt: new objects, and of the old ones their
         * states, sparkles, class, ids and kind */
        for (size_t i = old_liqs; i < L.n_liqs; i++)
            liq_free(&L.liqs[i]);
        L.n_liqs = old_liqs;
        for (size_t i = 0; i < old_liqs; i++) {
            liq *q = &L.liqs[i];
            while (q->n_states > was[i].n_states)
                free(q->states[--q->n_states]);
            while (q->n_sparkles > was[i].n_sparkles)
                free(q->sparkles[--q->n_sparkles]);
            if (q->cls != was[i].cls)
                free(q->cls);
            q->cls = was[i].cls;
            q->timer = was[i].timer;
            q->base_id = was[i].base_id;
            q->id = was[i].id;
        }
    }
    free(was);
    /* from here on only memory can fail */
    if (rc == 0)
        rc = grow_classes(&L);
    if (rc == 0)
        rc = create_objects(&L, false);
    tt_run *r = NULL;
    if (rc == 0 && !(r = cat->n_runs ? cat->runs[cat->n_runs - 1] : tt__run_new(cat)))
        rc = -TT_ENOMEM;
    if (rc == 0 && n && empty && json_is_integer(seq)) {
        uint64_t s = (uint64_t)json_integer_value(seq);
        if (cat->trace.n_chunks == 0) {
            cat->trace.first = cat->trace.first_chunk_seq = s;
            cat->trace.last = s - 1;
            r->first_seq = s;
        }
    }
    if (rc == 0 && keep)
        cat->trace.ring = keep;
    for (size_t k = 0; rc == 0 && k < n; k++)
        rc = entry_write(&L, json_array_get(entries, k));
    /* the last keep entries only: older ones are forgotten at once (their
     * memory goes with their chunk) */
    tt__trace *tr = &cat->trace;
    if (keep && tr->last >= tr->first && tr->last - tr->first + 1 > keep)
        tr->first = tr->last - keep + 1;
    if (r) {
        r->count = cat->trace.last + 1 - r->first_seq;
        const char *status = json_string_value(get(run, "status"));
        if (status)
            r->finished_status = strcmp(status, "catalyst finished") == 0;
        r->end = num(get(run, "end@"), r->end);
        r->vt_end = num(get(run, "vt_end"), r->vt_end);
        if (r->end < r->start)
            r->end = r->start;
    }
    rec->liqs = L.liqs;
    rec->n_liqs = L.n_liqs;
    rec->cap_liqs = L.cap_liqs;
    L.liqs = NULL;
    L.n_liqs = 0;
    if (rc == -TT_ENOMEM && (!err || !err->msg[0]))
        fail_at(&L, rc, (size_t)-1, "out of memory");
    if (rc == 0 && partial)
        fail_at(&L, 0, L.so.cut,
                "warning: the entries are cut short; appended up to the last whole one (%zu)",
                L.so.whole);
    json_decref(root);
    loader_free(&L);
    return rc;
}

/* Read a trace file (see tasktonic.h). */
int tt_trace_load(const char *path, tt_catalyst **out, tt_error *err)
{
    err_clear(err);
    if (out)
        *out = NULL;
    if (!path || !out) {
        if (err) {
            err->code = -TT_EINVAL;
            snprintf(err->msg, sizeof err->msg, "no trace file given");
        }
        return -TT_EINVAL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (err) {
            err->code = -TT_EIO;
            snprintf(err->msg, sizeof err->msg, "%s: cannot open: %s", path, strerror(errno));
            tt__one_line(err->msg);
        }
        return -TT_EIO;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 65536 > cap) {
            size_t nc = cap ? cap * 2 : 65536 * 2;
            char *p = realloc(buf, nc);
            if (!p) {
                free(buf);
                fclose(f);
                if (err) {
                    err->code = -TT_ENOMEM;
                    snprintf(err->msg, sizeof err->msg, "%s: out of memory", path);
                }
                return -TT_ENOMEM;
            }
            buf = p;
            cap = nc;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        if (err) {
            err->code = -TT_EIO;
            snprintf(err->msg, sizeof err->msg, "%s: read error", path);
        }
        return -TT_EIO;
    }
    int rc = tt_trace_parse(buf, len, path, out, err);
    free(buf);
    return rc;
}
