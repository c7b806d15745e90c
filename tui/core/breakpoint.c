/*
 * breakpoint.c: breakpoints and watched probes, evaluated in the
 * Distiller's step hook after every executed sparkle (extras included).
 *
 * A breakpoint names things by text (tonic, sparkle, state, probe), so it
 * survives `restart` and may name a tonic that does not exist yet.  It
 * stops the run by returning a stop condition ("breakpoint 1:
 * Door.ttsc__open"); the Distiller finishes the current transition first.
 * A state breakpoint fires on the transition into the state; a probe
 * breakpoint when the comparison becomes true (not while it stays true).
 * `ignore N COUNT` skips the next COUNT hits; `if PROBE OP VALUE` adds a
 * condition read after the sparkle.  A watch records one history row per
 * change of a probe, read after every sparkle of its tonic.
 */
#include "ttdb.h"

#include <stdlib.h>
#include <string.h>

bp_list g_bps = {.next_num = 1};

/* Free one condition. */
void bp_cond_free(bp_cond *c)
{
    if (!c)
        return;
    free(c->tonic);
    free(c->probe);
    free(c->value_text);
    free(c);
}

/* Free one breakpoint. */
void bp_free_one(breakpoint *bp)
{
    if (!bp)
        return;
    tt_value_clear(&bp->old);
    free(bp->tonic);
    free(bp->klass);
    free(bp->function);
    free(bp->name);
    sv_free(&bp->states);
    free(bp->value_text);
    bp_cond_free(bp->cond);
    free(bp);
}

/* The operator word to its code; -1 if unknown. */
int op_parse(const char *s)
{
    static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">="};
    for (int i = 0; i < 6; i++)
        if (strcmp(s, ops[i]) == 0)
            return i;
    if (strcmp(s, "=") == 0)
        return OP_EQ;
    return -1;
}

/* Text of an operator. */
const char *op_text(cond_op op)
{
    static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">="};
    return ops[op];
}

/* A condition PROBE OP VALUE ("TONIC.PROBE" names another tonic's probe;
 * VALUE is parsed by the probe's type when evaluated). */
bp_cond *bp_cond_new(const char *probe, const char *op_word,
                     const char *value_text)
{
    int op = op_parse(op_word);
    if (op < 0) {
        out_error("unknown operator \"%s\" (use == != < <= > >=)", op_word);
        return NULL;
    }
    bp_cond *c = xcalloc(1, sizeof *c);
    if (!split_dotted(probe, &c->tonic, &c->probe)) {
        c->tonic = NULL;
        c->probe = xstrdup(probe);
    }
    c->op = (cond_op)op;
    c->value_text = xstrdup(value_text);
    return c;
}

/* Compare a and b with op (numbers by value, strings by text). */
bool value_compare(const tt_value *a, cond_op op, const tt_value *b)
{
    if (op == OP_EQ)
        return tt_value_equal(a, b);
    if (op == OP_NE)
        return !tt_value_equal(a, b);
    int c;
    bool anum = a->type == TT_T_INT || a->type == TT_T_DOUBLE;
    bool bnum = b->type == TT_T_INT || b->type == TT_T_DOUBLE;
    if (anum && bnum) {
        double x = a->type == TT_T_INT ? (double)a->u.i : a->u.d;
        double y = b->type == TT_T_INT ? (double)b->u.i : b->u.d;
        c = x < y ? -1 : x > y ? 1 : 0;
    } else if (a->type == TT_T_STR && b->type == TT_T_STR) {
        c = strcmp(a->u.s ? a->u.s : "", b->u.s ? b->u.s : "");
    } else {
        return false;
    }
    switch (op) {
    case OP_LT:
        return c < 0;
    case OP_LE:
        return c <= 0;
    case OP_GT:
        return c > 0;
    case OP_GE:
        return c >= 0;
    default:
        return false;
    }
}

/* Read t.probe and compare it with the text value; false when absent or
 * when the text does not parse as the probe's type. */
static bool probe_test(tt_catalyst *cat, tt_tonic *t, const char *probe,
                       cond_op op, const char *text)
{
    tt_value cur = TT_NONE, want = TT_NONE;
    if (!t || tt_tonic_probe_read(t, probe, &cur) < 0)
        return false;
    char err[256];
    bool r = false;
    if (parse_probe_value(cat, &cur, text, &want, err, sizeof err) == 0)
        r = value_compare(&cur, op, &want);
    tt_value_clear(&cur);
    tt_value_clear(&want);
    return r;
}

/* Whether the condition holds after a sparkle of `ran`. */
static bool cond_holds(tt_catalyst *cat, const bp_cond *c, tt_tonic *ran)
{
    tt_tonic *t = c->tonic ? find_tonic(cat, c->tonic, NULL) : ran;
    return probe_test(cat, t, c->probe, c->op, c->value_text);
}

/* A watchpoint's value now (absent: none). */
static void watch_remember(breakpoint *bp, tt_catalyst *cat)
{
    tt_value_clear(&bp->old);
    tt_tonic *t = find_tonic(cat, bp->tonic, NULL);
    bp->has_old = t && tt_tonic_probe_read(t, bp->name, &bp->old) == 0;
}

/* Add a breakpoint; returns its number. */
int bp_add(bp_list *l, breakpoint *bp)
{
    bp->num = l->next_num++;
    bp->enabled = true;
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = bp;
    if (bp->kind == BP_PROBE && g_session.cat) {
        tt_tonic *t = find_tonic(g_session.cat, bp->tonic, NULL);
        bp->was_true = probe_test(g_session.cat, t, bp->name, bp->op,
                                  bp->value_text);
    }
    if (bp->kind == BP_WATCH && g_session.cat)
        watch_remember(bp, g_session.cat);
    l->seen_tonics = 0; /* resolve its names at the next sparkle */
    bp_install(l, g_session.cat);
    return bp->num;
}

/* A breakpoint by number, or NULL. */
breakpoint *bp_find(bp_list *l, int num)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i]->num == num)
            return l->v[i];
    return NULL;
}

/* Delete one breakpoint (num > 0) or all. */
int bp_delete(bp_list *l, int num)
{
    size_t j = 0;
    int found = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (num == 0 || l->v[i]->num == num) {
            bp_free_one(l->v[i]);
            found++;
        } else {
            l->v[j++] = l->v[i];
        }
    }
    l->n = j;
    bp_install(l, g_session.cat);
    return found;
}

/* Text for `info breakpoints`. */
void bp_describe(const breakpoint *bp, strbuf *b)
{
    switch (bp->kind) {
    case BP_SPARKLE:
        sb_printf(b, "%s%s%s", bp->tonic ? bp->tonic : "",
                  bp->tonic ? "." : "", bp->name);
        break;
    case BP_STATE:
        sb_printf(b, "%s ->", bp->tonic ? bp->tonic : "any");
        for (size_t i = 0; i < bp->states.n; i++)
            sb_printf(b, "%s%s", i ? "," : " ", bp->states.v[i]);
        break;
    case BP_PROBE:
        sb_printf(b, "%s.%s %s %s", bp->tonic, bp->name, op_text(bp->op),
                  bp->value_text);
        break;
    case BP_WATCH:
        sb_printf(b, "%s.%s", bp->tonic, bp->name);
        break;
    case BP_HANDLER:
        sb_printf(b, "before %s.%s", bp->klass, bp->name);
        if (bp->states.n)
            sb_printf(b, " in %s", bp->states.v[0]);
        break;
    }
    if (bp->cond)
        sb_printf(b, " if %s%s%s %s %s", bp->cond->tonic ? bp->cond->tonic : "",
                  bp->cond->tonic ? "." : "", bp->cond->probe,
                  op_text(bp->cond->op), bp->cond->value_text);
}

/* Append one watch history row. */
static void watch_row_add(bp_list *l, unsigned w, uint64_t seq, double vt,
                          char *text)
{
    if (l->nrows == l->caprows) {
        l->caprows = l->caprows ? l->caprows * 2 : 64;
        l->rows = xrealloc(l->rows, l->caprows * sizeof *l->rows);
    }
    l->rows[l->nrows++] = (watch_row){
        .seq = seq, .vt = vt, .watch = w, .text = text, .run = g_run_number};
}

/* Read a watch's probe on t; record a row when it changed. */
static void watch_sample(bp_list *l, unsigned wi, tt_catalyst *cat,
                         tt_tonic *t, uint64_t seq, double vt)
{
    watch *w = &l->w[wi];
    tt_value v = TT_NONE;
    int rc = t ? tt_tonic_probe_read(t, w->probe, &v) : -TT_ENOPROBE;
    bool present = rc == 0;
    if (!present) {
        if (rc == -TT_ECRASHED) /* "crashed: SIGSEGV in probe T.P" */
            watch_row_add(l, wi, seq, vt, xstrdup(tt_catalyst_errmsg(cat)));
        else if (w->has_last && w->present)
            watch_row_add(l, wi, seq, vt, xstrdup("(absent)"));
        if (w->has_last)
            tt_value_clear(&w->last);
        w->present = false;
        w->has_last = true;
        return;
    }
    if (w->has_last && w->present && tt_value_equal(&w->last, &v)) {
        tt_value_clear(&v);
        return;
    }
    watch_row_add(l, wi, seq, vt, fmt_value(&v));
    tt_value_clear(&w->last);
    w->last = v;
    w->has_last = true;
    w->present = true;
    (void)cat;
}

/* Add a watch on tonic.probe and record its current value. */
int watch_add(bp_list *l, tt_catalyst *cat, const char *tonic,
              const char *probe)
{
    for (size_t i = 0; i < l->nw; i++)
        if (strcmp(l->w[i].tonic, tonic) == 0 &&
            strcmp(l->w[i].probe, probe) == 0)
            return (int)i;
    l->w = xrealloc(l->w, (l->nw + 1) * sizeof *l->w);
    l->w[l->nw] = (watch){.num = ++l->last_display, .tonic = xstrdup(tonic),
                          .probe = xstrdup(probe)};
    unsigned wi = (unsigned)l->nw++;
    if (cat) {
        tt_tonic *t = find_tonic(cat, tonic, NULL);
        if (t)
            watch_sample(l, wi, cat, t, tt_trace_last_seq(cat),
                         tt_catalyst_now(cat));
    }
    bp_install(l, cat);
    return (int)wi;
}

/* Remove a watch and its rows. */
int watch_delete(bp_list *l, unsigned idx)
{
    if (idx >= l->nw)
        return -1;
    size_t j = 0;
    for (size_t i = 0; i < l->nrows; i++) {
        watch_row r = l->rows[i];
        if (r.watch == idx) {
            free(r.text);
            continue;
        }
        if (r.watch > idx)
            r.watch--;
        l->rows[j++] = r;
    }
    l->nrows = j;
    free(l->w[idx].tonic);
    free(l->w[idx].probe);
    tt_value_clear(&l->w[idx].last);
    memmove(&l->w[idx], &l->w[idx + 1], (l->nw - idx - 1) * sizeof *l->w);
    l->nw--;
    bp_install(l, g_session.cat);
    return 0;
}

/* Forget the history: a new session starts. */
void bp_session_reset(bp_list *l, tt_catalyst *cat)
{
    for (size_t i = 0; i < l->nrows; i++)
        free(l->rows[i].text);
    l->nrows = 0;
    for (size_t i = 0; i < l->nw; i++) {
        tt_value_clear(&l->w[i].last);
        l->w[i].has_last = false;
        l->w[i].present = false;
        tt_tonic *t = cat ? find_tonic(cat, l->w[i].tonic, NULL) : NULL;
        if (t)
            watch_sample(l, (unsigned)i, cat, t, 0, tt_catalyst_now(cat));
    }
    bp_resync(l, cat);
}

void bp_rewind(bp_list *l, tt_catalyst *cat, uint64_t seq)
{
    size_t j = 0;
    for (size_t i = 0; i < l->nrows; i++) {
        if (l->rows[i].seq > seq)
            free(l->rows[i].text);
        else
            l->rows[j++] = l->rows[i];
    }
    l->nrows = j;
    for (size_t i = 0; i < l->nw; i++) {
        watch *w = &l->w[i];
        tt_value_clear(&w->last);
        tt_tonic *t = cat ? find_tonic(cat, w->tonic, NULL) : NULL;
        w->present = t && tt_tonic_probe_read(t, w->probe, &w->last) == 0;
        w->has_last = true;
    }
    bp_resync(l, cat);
}

/* Probe breakpoints stop on a change to true: read where they stand. */
void bp_resync(bp_list *l, tt_catalyst *cat)
{
    for (size_t i = 0; i < l->n; i++) {
        breakpoint *bp = l->v[i];
        if (bp->kind == BP_PROBE && cat) {
            tt_tonic *t = find_tonic(cat, bp->tonic, NULL);
            bp->was_true =
                probe_test(cat, t, bp->name, bp->op, bp->value_text);
        }
        if (bp->kind == BP_WATCH && cat)
            watch_remember(bp, cat);
    }
    l->seen_tonics = 0;
}

/* The value of a watchpoint's probe changed on t: "OLD -> NEW" in msg. */
static bool watch_changed(breakpoint *bp, tt_tonic *t, char *msg, size_t msz)
{
    tt_value v = TT_NONE;
    int rc = t ? tt_tonic_probe_read(t, bp->name, &v) : -TT_ENOPROBE;
    bool have = rc == 0;
    if (rc != -TT_ECRASHED && have == bp->has_old &&
        (!have || tt_value_equal(&v, &bp->old))) {
        tt_value_clear(&v);
        return false;
    }
    /* the tonic appeared (after `run`, or in a replay): its first value is
     * where the watch starts, as for a pending watch, not a change (it
     * stopped at "(absent) -> 0" after `run` but not on the first pass) */
    if (rc == 0 && !bp->has_old) {
        tt_value_clear(&bp->old);
        bp->old = v;
        bp->has_old = true;
        return false;
    }
    char *a = bp->has_old ? fmt_value(&bp->old) : xstrdup("(absent)");
    /* a crashing probe callback (contained): "crashed: SIGSEGV in probe T.P" */
    char *b = have ? fmt_value(&v)
              : rc == -TT_ECRASHED ? xstrdup(tt_catalyst_errmsg(tt_tonic_catalyst(t)))
                                   : xstrdup("(absent)");
    snprintf(msg, msz, "watchpoint %d: %s.%s %s -> %s", bp->num, bp->tonic,
             bp->name, a, b);
    free(a);
    free(b);
    tt_value_clear(&bp->old);
    bp->old = v;
    bp->has_old = have;
    return true;
}

/* An until's condition after entry e (it holds while true: state and
 * probe are read after every sparkle, as a contract does). */
static bool until_check(breakpoint *bp, tt_catalyst *cat,
                        const tt_trace_entry *e, const char *tname, char *msg,
                        size_t msz)
{
    tt_tonic *t = find_tonic(cat, bp->tonic, NULL);
    if (!t)
        return false;
    switch (bp->kind) {
    case BP_SPARKLE:
        if (strcmp(bp->tonic, tname) != 0 ||
            strcmp(bp->name, tt_entry_sparkle_name(cat, e)) != 0)
            return false;
        snprintf(msg, msz, "until: %s.%s ran", bp->tonic, bp->name);
        return true;
    case BP_STATE: {
        const char *st = tt_tonic_state_name(t);
        if (!st || !sv_has(&bp->states, st))
            return false;
        snprintf(msg, msz, "until: %s is in %s", bp->tonic, st);
        return true;
    }
    case BP_PROBE:
        if (!probe_test(cat, t, bp->name, bp->op, bp->value_text))
            return false;
        snprintf(msg, msz, "until: %s.%s %s %s", bp->tonic, bp->name,
                 op_text(bp->op), bp->value_text);
        return true;
    case BP_WATCH:
    case BP_HANDLER:
        break;
    }
    return false;
}

/* Evaluate one breakpoint after entry e: whether it is hit (its condition
 * holds; the ignore count is the caller's: bp_count_hit). */
static bool bp_check(breakpoint *bp, tt_catalyst *cat,
                     const tt_trace_entry *e, tt_tonic *ran,
                     const char *tname, char *msg, size_t msz)
{
    if (bp->until)
        return until_check(bp, cat, e, tname, msg, msz);
    if (bp->tonic && strcmp(bp->tonic, tname) != 0)
        return false;
    switch (bp->kind) {
    case BP_SPARKLE:
        if (strcmp(bp->name, tt_entry_sparkle_name(cat, e)) != 0)
            return false;
        /* an order to a finished tonic is traced, never run: say so */
        snprintf(msg, msz, "breakpoint %d: %s.%s%s", bp->num, tname, bp->name,
                 e->flags & TT_EF_DROPPED
                     ? " (a dead letter: the tonic had finished, it did not run)"
                     : "");
        break;
    case BP_STATE: {
        if (e->state_enter == e->state_exit)
            return false;
        const char *st = tt_entry_state_exit(cat, e);
        if (!sv_has(&bp->states, st))
            return false;
        snprintf(msg, msz, "breakpoint %d: %s entered %s", bp->num, tname, st);
        break;
    }
    case BP_PROBE: {
        bool now = probe_test(cat, ran, bp->name, bp->op, bp->value_text);
        bool edge = now && !bp->was_true;
        bp->was_true = now;
        if (!edge)
            return false;
        snprintf(msg, msz, "breakpoint %d: %s.%s %s %s", bp->num, tname,
                 bp->name, op_text(bp->op), bp->value_text);
        break;
    }
    case BP_WATCH:
        if (!watch_changed(bp, ran, msg, msz))
            return false;
        break;
    case BP_HANDLER:
        return false; /* checked against the next order: handler_check */
    }
    return !bp->cond || cond_holds(cat, bp->cond, ran);
}

/* A hit of bp counts; whether it stops (its ignore count is used up). */
bool bp_count_hit(breakpoint *bp)
{
    bp->hits++;
    if (bp->ignore > 0) {
        bp->ignore--;
        return false;
    }
    return true;
}

/* Check the condition's names on its own tonic (when it names one). */
static int cond_resolve(breakpoint *bp, tt_catalyst *cat, tt_tonic *bt,
                        char *err, size_t esz)
{
    bp_cond *c = bp->cond;
    tt_tonic *t = c->tonic ? find_tonic(cat, c->tonic, NULL) : bt;
    if (!t)
        return 0;
    if (!probe_of(t, c->probe, err, esz) ||
        !probe_value_ok(t, c->probe, c->value_text, err, esz))
        return -1;
    return 1;
}

/* Check a breakpoint's names now that its tonic may exist, by the rules
 * the commands use for tonics that exist: 1 known, 0 pending, -1 wrong. */
int bp_resolve(breakpoint *bp, tt_catalyst *cat, char *err, size_t esz)
{
    tt_tonic *t = bp->tonic ? find_tonic(cat, bp->tonic, NULL) : NULL;
    if (bp->unresolved) {
        if (bp->tonic && !t)
            return 0;
        switch (bp->kind) {
        case BP_SPARKLE: {
            const char *full = t ? sparkle_of(t, bp->name, err, esz)
                                 : find_sparkle_any(cat, bp->name, NULL);
            if (!full)
                return t ? -1 : 0; /* any tonic: one may come later */
            if (strcmp(full, bp->name) != 0) {
                free(bp->name);
                bp->name = xstrdup(full);
            }
            break;
        }
        case BP_STATE:
            for (size_t i = 0; i < bp->states.n; i++) {
                if (!t && !find_state_any(cat, bp->states.v[i], NULL))
                    return 0;
                if (t && !state_of(t, bp->states.v[i], err, esz))
                    return -1;
            }
            break;
        case BP_PROBE:
            if (!probe_of(t, bp->name, err, esz) ||
                !probe_value_ok(t, bp->name, bp->value_text, err, esz))
                return -1;
            bp->was_true = bp->until ? false
                                     : probe_test(cat, t, bp->name, bp->op,
                                                  bp->value_text);
            break;
        case BP_WATCH:
            if (!probe_of(t, bp->name, err, esz))
                return -1;
            watch_remember(bp, cat);
            break;
        case BP_HANDLER:
            break;
        }
        bp->unresolved = false;
    }
    if (bp->cond_unresolved && bp->cond) {
        int r = cond_resolve(bp, cat, t, err, esz);
        if (r <= 0)
            return r;
        bp->cond_unresolved = false;
    }
    return 1;
}

/* Resolve the pending names of bp; on an error, the reason is added to
 * l->error (a line of its own), the breakpoint is disabled and its number
 * added to the stop text `what` (true then). */
static bool bp_resolve_or_note(bp_list *l, breakpoint *bp, tt_catalyst *cat,
                               strbuf *what)
{
    char why[512];
    if (bp_resolve(bp, cat, why, sizeof why) >= 0)
        return false;
    size_t len = strlen(l->error);
    char *end = l->error + len;
    size_t room = sizeof l->error - len;
    const char *sep = len ? "\n" : "";
    if (bp->until) {
        snprintf(end, room, "%suntil: %s", sep, why);
        sb_printf(what, "%suntil", what->len ? ", " : "");
    } else {
        const char *kind = bp->kind == BP_WATCH ? "watchpoint" : "breakpoint";
        snprintf(end, room, "%s%s %d: %s; %s %d disabled", sep, kind,
                 bp->num, why, kind, bp->num);
        sb_printf(what, "%s%s %d", what->len ? ", " : "", kind, bp->num);
    }
    bp->enabled = false;
    bp->unresolved = bp->cond_unresolved = false;
    return true;
}

/* When a tonic appeared, resolve what waited for it: every pending name
 * that cannot resolve is reported (and its breakpoint disabled) at once,
 * and the run stops.  Returns the stop text, or NULL. */
static const char *resolve_pending(bp_list *l, tt_catalyst *cat)
{
    size_t n = tt_tonic_count(cat);
    if (n == l->seen_tonics)
        return NULL;
    l->seen_tonics = n;
    strbuf what = {0};
    for (size_t i = 0; i <= l->n; i++) {
        breakpoint *bp = i < l->n ? l->v[i] : l->until;
        if (bp && bp->enabled && (bp->unresolved || bp->cond_unresolved))
            bp_resolve_or_note(l, bp, cat, &what);
    }
    if (!what.len)
        return NULL;
    snprintf(l->stop_msg, sizeof l->stop_msg, "%s unresolved", what.s);
    sb_free(&what);
    return l->stop_msg;
}

/* Whether sparkle of tonic t, in its state now, runs the C function fn:
 * its handler for that state, else its stateless one. */
static bool runs_function(tt_tonic *t, const char *sparkle, const char *fn)
{
    const char *st = tt_tonic_state_name(t);
    const tt_handler *h = NULL;
    for (size_t i = 0; st && i < tt_tonic_state_count(t) && !h; i++)
        if (strcmp(tt_tonic_state_at(t, (int)i), st) == 0)
            h = tt_tonic_handler(t, sparkle, (int)i);
    if (!h)
        h = tt_tonic_handler(t, sparkle, -1);
    if (!h)
        return false;
    if (h->function)
        return strcmp(h->function, fn) == 0;
    const char *k = tt_tonic_class_name(t);
    size_t kl = strlen(k);
    return strncmp(fn, k, kl) == 0 && fn[kl] == '_' &&
           strcmp(fn + kl + 1, h->name) == 0;
}

/* Whether a handler breakpoint is hit by order o, about to run (its
 * condition holding; the ignore count is the caller's: bp_count_hit). */
static bool handler_check(breakpoint *bp, tt_catalyst *cat,
                          const tt_order_view *o, char *msg, size_t msz)
{
    if (!o->tonic || strcmp(bp->name, o->sparkle) != 0 ||
        strcmp(bp->klass, tt_tonic_class_name(o->tonic)) != 0)
        return false;
    if (bp->function ? !runs_function(o->tonic, o->sparkle, bp->function)
                     : bp->states.n &&
                           strcmp(bp->states.v[0],
                                  tt_tonic_state_name(o->tonic)) != 0)
        return false;
    if (bp->cond && !cond_holds(cat, bp->cond, o->tonic))
        return false;
    snprintf(msg, msz, "breakpoint %d: before %s.%s", bp->num,
             tt_tonic_name(o->tonic), o->sparkle);
    return true;
}

/* A hit found by a scan (reverse-continue), in the same drain as the
 * previous hit of the same breakpoint or not. */
static void scan_add(bp_list *l, int num, uint64_t seq)
{
    for (size_t i = l->scan_open; i < l->nhits; i++)
        if (l->hits[i].num == num)
            return; /* once a drain, as a run stops once */
    if (l->nhits == l->caphits) {
        l->caphits = l->caphits ? l->caphits * 2 : 64;
        l->hits = xrealloc(l->hits, l->caphits * sizeof *l->hits);
    }
    l->hits[l->nhits++] = (bp_hit){.num = num, .seq = seq, .end = seq};
}

/* The drain of the hits not yet closed ended at seq. */
static void scan_drain_ends(bp_list *l, uint64_t seq)
{
    for (size_t i = l->scan_open; i < l->nhits; i++)
        l->hits[i].end = seq;
    l->scan_open = l->nhits;
}

/* Start (true) or end a scan: every hit of an enabled breakpoint is
 * recorded in l->hits (with the end of its drain, where a run would have
 * stopped) instead of stopping, and nothing is counted. */
void bp_scan(bp_list *l, bool on, uint64_t last)
{
    if (on) {
        l->nhits = l->scan_open = 0;
    } else if (l->scanning) {
        scan_drain_ends(l, last);
    }
    l->scanning = on;
}

/* The Distiller's step hook: pending names, watches, then breakpoints. */
static const char *bp_hook(void *ud, tt_catalyst *cat, uint64_t seq)
{
    bp_list *l = ud;
    if (l->tap)
        l->tap(cat, seq, l->tap_ud);
    ckpt_after_entry(cat, seq);
    if (!l->n && !l->nw && !l->until) /* only the validation wants the hook */
        return NULL;
    const tt_trace_entry *e = tt_trace_get(cat, seq);
    if (!e)
        return NULL;
    const char *stop = l->replaying ? NULL : resolve_pending(l, cat);
    if (stop)
        return stop;
    tt_tonic *ran = tt_tonic_at(cat, e->tonic);
    const char *tname = tt_entry_tonic_name(cat, e);
    for (size_t i = 0; i < l->nw; i++)
        if (strcmp(l->w[i].tonic, tname) == 0)
            watch_sample(l, (unsigned)i, cat, ran, seq, e->vt);
    if (l->replaying && !l->scanning)
        return NULL;
    if (l->scanning && !(e->flags & TT_EF_EXTRA))
        scan_drain_ends(l, seq - 1);
    char msg[sizeof l->stop_msg];
    for (size_t i = 0; i <= l->n; i++) {
        breakpoint *bp = i < l->n ? l->v[i] : l->until;
        if (!bp || !bp->enabled || bp->unresolved || bp->cond_unresolved ||
            (bp->until && (l->until_hit || l->scanning)))
            continue;
        if (bp->kind == BP_HANDLER) /* bp_order_hook's */
            continue;
        bool hit = bp_check(bp, cat, e, ran, tname, msg, sizeof msg);
        if (hit && l->scanning) {
            scan_add(l, bp->num, seq);
            continue;
        }
        if (hit && (bp->until || bp_count_hit(bp))) {
            bp->stopped = true;
            if (bp->until)
                l->until_hit = true;
            if (!stop) {
                snprintf(l->stop_msg, sizeof l->stop_msg, "%s", msg);
                stop = l->stop_msg;
            }
        }
    }
    return stop;
}

/* Handler breakpoint bp has seen the order after entry at. */
static void seen_here(breakpoint *bp, uint64_t at)
{
    bp->checked = true;
    bp->checked_seq = at;
    bp->checked_gen = g_session.generation;
}

/* The Distiller's order hook: handler breakpoints, before the next order
 * runs.  Each sees each order once: the order a run stopped before is not
 * checked again when the next run starts with it, so a continue from that
 * stop runs the handler; a breakpoint that did not see it (set since, or
 * the session came here by a step or time travel) stops before it at
 * once.  A scan (reverse-continue) records the hits where the previous
 * drain ended: the moment before the handler runs. */
static const char *bp_order_hook(void *ud, tt_catalyst *cat,
                                 const tt_order_view *next)
{
    bp_list *l = ud;
    if (l->replaying && !l->scanning)
        return NULL;
    uint64_t at = tt_trace_last_seq(cat);
    const char *stop = NULL;
    char msg[sizeof l->stop_msg];
    for (size_t i = 0; i < l->n; i++) {
        breakpoint *bp = l->v[i];
        if (bp->kind != BP_HANDLER || !bp->enabled || bp->unresolved ||
            bp->cond_unresolved)
            continue;
        if (l->scanning) {
            if (handler_check(bp, cat, next, msg, sizeof msg))
                scan_add(l, bp->num, at);
            continue;
        }
        if (bp->checked && bp->checked_seq == at &&
            bp->checked_gen == g_session.generation)
            continue;
        seen_here(bp, at);
        if (!handler_check(bp, cat, next, msg, sizeof msg) ||
            !bp_count_hit(bp))
            continue;
        bp->stopped = true;
        if (!stop) {
            snprintf(l->stop_msg, sizeof l->stop_msg, "%s", msg);
            stop = l->stop_msg;
        }
    }
    return stop;
}

/* The session stands before the order after entry at, stopped there (by
 * a forward run, or reverse-continue landed there): a continue from here
 * runs that order, unchecked by the handler breakpoints. */
void bp_handlers_seen(bp_list *l, uint64_t at)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i]->kind == BP_HANDLER)
            seen_here(l->v[i], at);
}

/* A forward run ended before an order that a handler breakpoint is on (a
 * step or an `until` came to rest there): as gdb reports a breakpoint a
 * step lands on, the stop names it now, counts the hit, and a continue
 * from here runs the order.  Returns the stop message, or NULL. */
const char *bp_handlers_arrive(bp_list *l, tt_catalyst *cat)
{
    tt_order_view next;
    if (!cat || l->replaying || l->scanning || tt_distiller_tainted(cat) ||
        tt_queue_at(cat, 0, &next) < 0)
        return NULL;
    /* the hook skips what the run itself stopped before or saw */
    return bp_order_hook(l, cat, &next);
}

/* Start or end the hook-checked condition of an `until`. */
void bp_set_until(bp_list *l, breakpoint *until)
{
    bp_free_one(l->until);
    l->until = until;
    l->until_hit = false;
    if (until) {
        until->enabled = true;
        until->until = true;
        l->seen_tonics = 0;
    }
    bp_install(l, g_session.cat);
}

/* After a run: temporary breakpoints that stopped it go; the error of a
 * pending condition that could not resolve is returned (then cleared). */
const char *bp_after_run(bp_list *l)
{
    static char err[sizeof l->error];
    size_t j = 0;
    for (size_t i = 0; i < l->n; i++) {
        breakpoint *bp = l->v[i];
        bool gone = bp->stopped && bp->temporary;
        bp->stopped = false;
        if (gone)
            bp_free_one(bp);
        else
            l->v[j++] = bp;
    }
    l->n = j;
    bp_install(l, g_session.cat);
    if (!l->error[0])
        return NULL;
    snprintf(err, sizeof err, "%s", l->error);
    l->error[0] = '\0';
    return err;
}

/* Install the hook only while there is something to check. */
void bp_install(bp_list *l, tt_catalyst *cat)
{
    if (!cat)
        return;
    if (l->n || l->nw || l->until || l->tap || ckpt_wanted())
        tt_distiller_set_hook(cat, bp_hook, l);
    else
        tt_distiller_set_hook(cat, NULL, NULL);
    ckpt_install(cat);
    bool handlers = false;
    for (size_t i = 0; i < l->n && !handlers; i++)
        handlers = l->v[i]->kind == BP_HANDLER;
    tt_distiller_set_order_hook(cat, handlers ? bp_order_hook : NULL, l);
}

/* Free every breakpoint and watch. */
void bp_free(bp_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        bp_free_one(l->v[i]);
    free(l->v);
    bp_free_one(l->until);
    for (size_t i = 0; i < l->nw; i++) {
        free(l->w[i].tonic);
        free(l->w[i].probe);
        tt_value_clear(&l->w[i].last);
    }
    free(l->w);
    for (size_t i = 0; i < l->nrows; i++)
        free(l->rows[i].text);
    free(l->rows);
    free(l->hits);
    memset(l, 0, sizeof *l);
    l->next_num = 1;
}
