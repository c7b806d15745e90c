/*
 * cmd-break.c: break sparkle|state|probe, delete, disable, enable, ignore,
 * condition, watch, unwatch.  The breakpoints themselves (and their
 * evaluation) are in breakpoint.c.
 *
 * A name that is unknown now is an error when a close name exists (a typo),
 * and a pending breakpoint otherwise (the tonic may be created later).
 */
#include "ttdb.h"

#include <stdlib.h>
#include <string.h>

/* Index of the word "if" in a, or a->argc. */
static int find_if(cmd_args *a)
{
    for (int i = 0; i < a->argc; i++)
        if (strcmp(a->argv[i], "if") == 0)
            return i;
    return a->argc;
}

/* Check a condition against the tonics there are now: its tonic, and its
 * probe and value (read as the probe's type) on the condition's tonic,
 * else on bt, the breakpoint's tonic; with neither, only that some tonic
 * has the probe.  A name unknown with no close one is left for later. */
static int cond_check(const bp_cond *c, tt_tonic *bt)
{
    tt_catalyst *cat = g_session.cat;
    if (!cat)
        return 0;
    tt_tonic *t = bt;
    if (c->tonic) {
        const char *sug;
        t = find_tonic(cat, c->tonic, &sug);
        if (!t && sug) {
            out_error("unknown tonic \"%s\" (did you mean \"%s\"?)", c->tonic,
                      sug);
            return -1;
        }
    }
    if (!t && !c->tonic && !bt) {
        /* any tonic: the first one that has the probe, if one does */
        strvec names = {0};
        size_t n = tt_tonic_count(cat);
        for (size_t i = 0; i < n && !t; i++) {
            tt_tonic *u = tt_tonic_at(cat, i);
            size_t np = u ? tt_tonic_probe_count(u) : 0;
            for (size_t j = 0; j < np && !t; j++) {
                const char *p = tt_tonic_probe_at(u, j);
                if (strcmp(p, c->probe) == 0)
                    t = u;
                else if (!sv_has(&names, p))
                    sv_add(&names, p);
            }
        }
        const char *sug = t ? NULL
                            : tt_suggest(c->probe, (const char *const *)names.v,
                                         names.n);
        if (sug)
            out_error("no tonic has a probe \"%s\" (did you mean \"%s\"?)",
                      c->probe, sug);
        sv_free(&names);
        /* the value's type may differ between tonics: checked when it runs */
        return sug ? -1 : 0;
    }
    if (!t)
        return 0;
    if (!resolve_probe(t, c->probe))
        return -1;
    tt_value cur = TT_NONE, want = TT_NONE;
    char err[256];
    bool have = tt_tonic_probe_read(t, c->probe, &cur) == 0;
    int rc = parse_probe_value(cat, have ? &cur : NULL, c->value_text, &want,
                               err, sizeof err);
    tt_value_clear(&cur);
    tt_value_clear(&want);
    if (rc < 0) {
        out_error("%s.%s: %s", tt_tonic_name(t), c->probe, err);
        return -1;
    }
    return 0;
}

/* Parse `PROBE OP VALUE` from word `from` of a (VALUE: the remaining
 * words as typed, a 'single quoted' one as a "double quoted" string). */
static bp_cond *cond_parse(const cmd_args *a, int from)
{
    if (a->argc - from < 3) {
        out_error("a condition is PROBE OP VALUE (OP one of == != < <= > >=)");
        return NULL;
    }
    strbuf v = {0};
    for (int i = from + 2; i < a->argc; i++) {
        char *w = cmd_arg_text(a, i);
        sb_printf(&v, "%s%s", i > from + 2 ? " " : "", w);
        free(w);
    }
    bp_cond *c = bp_cond_new(a->argv[from], a->argv[from + 1], v.s);
    sb_free(&v);
    return c;
}

/* A condition as typed after `if` ("count >= 3"); NULL after an error. */
bp_cond *bp_cond_parse_text(const char *text)
{
    cmd_args a;
    if (cmd_split(text, &a) < 0)
        return NULL;
    bp_cond *c = cond_parse(&a, 0);
    cmd_args_free(&a);
    return c;
}

/* Parse the optional "if PROBE OP VALUE" from word k on into bp->cond,
 * checked against bt, the breakpoint's tonic (NULL: any, or one that does
 * not exist yet: then checked when it appears). */
static int parse_if(cmd_args *a, int k, tt_tonic *bt, breakpoint *bp)
{
    bp->cond = NULL;
    if (k >= a->argc)
        return 0;
    bp_cond *c = cond_parse(a, k + 1);
    if (!c)
        return -1;
    if (cond_check(c, bt) < 0) {
        bp_cond_free(c);
        return -1;
    }
    bp->cond = c;
    tt_catalyst *cat = g_session.cat;
    if (c->tonic)
        bp->cond_unresolved = !cat || !find_tonic(cat, c->tonic, NULL);
    else
        bp->cond_unresolved = bp->tonic && !bt;
    return 0;
}

/* tbreak sets this while its breakpoint is made. */
static bool making_temporary;

/* Report a new breakpoint. */
static void announce(breakpoint *bp, bool pending)
{
    strbuf b = {0};
    bp_describe(bp, &b);
    static const char *const kinds[] = {"sparkle", "state", "probe",
                                        "watch", "handler"};
    bp->temporary = making_temporary;
    out_printf("%s %d: %s %s%s\n",
               bp->kind == BP_WATCH ? "watchpoint"
               : bp->temporary      ? "temporary breakpoint"
                                    : "breakpoint",
               bp->num, kinds[bp->kind], b.s, pending ? " (pending)" : "");
    sb_free(&b);
}

/* A tonic named in a breakpoint: the name to keep, or NULL on error.
 * *pending is set when the tonic does not exist (and no typo is likely). */
static char *bp_tonic(tt_catalyst *cat, const char *name, tt_tonic **t,
                      bool *pending)
{
    const char *sug = NULL;
    *t = cat ? find_tonic(cat, name, &sug) : NULL;
    if (*t)
        return xstrdup(tt_tonic_name(*t));
    if (sug) {
        out_error("unknown tonic \"%s\" (did you mean \"%s\"?)", name, sug);
        return NULL;
    }
    *pending = true;
    return xstrdup(name);
}

/* break sparkle [TONIC.]NAME [if COND] */
static int cmd_break_sparkle_exec(cmd_args *a)
{
    int k = find_if(a);
    if (k != 1)
        return cmd_usage_error(&cmd_break_entry);
    tt_catalyst *cat = g_session.cat;
    breakpoint *bp = xcalloc(1, sizeof *bp);
    bp->kind = BP_SPARKLE;
    bool pending = false;
    char *tname, *sname;
    tt_tonic *t = NULL;
    size_t len = strlen(a->argv[0]);
    if (len == 0 || a->argv[0][len - 1] == '.') {
        out_error("break sparkle %s: which sparkle? (name it as "
                  "[TONIC.]NAME)", a->argv[0]);
        free(bp);
        return -1;
    }
    if (split_dotted(a->argv[0], &tname, &sname)) {
        bp->tonic = bp_tonic(cat, tname, &t, &pending);
        free(tname);
        if (!bp->tonic) {
            free(sname);
            free(bp);
            return -1;
        }
        if (t) {
            const char *full = resolve_sparkle(t, sname);
            if (!full) {
                free(sname);
                free(bp->tonic);
                free(bp);
                return -1;
            }
            bp->name = xstrdup(full);
            free(sname);
        } else {
            bp->name = sname;
        }
    } else {
        const char *sug = NULL;
        const char *full = cat ? find_sparkle_any(cat, a->argv[0], &sug) : NULL;
        if (!full && (sug || (cat && find_tonic(cat, a->argv[0], NULL)))) {
            sparkle_any_error(cat, a->argv[0], sug);
            free(bp);
            return -1;
        }
        pending = !full;
        bp->name = xstrdup(full ? full : a->argv[0]);
    }
    if (parse_if(a, k, t, bp) < 0) {
        free(bp->tonic);
        free(bp->name);
        free(bp);
        return -1;
    }
    bp->unresolved = pending;
    bp_add(&g_bps, bp);
    announce(bp, pending);
    return 0;
}

/* break state [TONIC] STATE... [if COND] */
static int cmd_break_state_exec(cmd_args *a)
{
    int k = find_if(a);
    if (k < 1)
        return cmd_usage_error(&cmd_break_entry);
    tt_catalyst *cat = g_session.cat;
    breakpoint *bp = xcalloc(1, sizeof *bp);
    bp->kind = BP_STATE;
    bool pending = false;
    tt_tonic *t = NULL;
    int first = 0;
    if (k == 1 && cat && find_tonic(cat, a->argv[0], NULL) &&
        !find_state_any(cat, a->argv[0], NULL)) {
        out_error("break state %s: which state? (`info states %s`)",
                  a->argv[0], a->argv[0]);
        free(bp);
        return -1;
    }
    if (k >= 2 && cat) {
        const char *sug;
        t = find_tonic(cat, a->argv[0], &sug);
        if (t || !find_state_any(cat, a->argv[0], NULL)) {
            bp->tonic = bp_tonic(cat, a->argv[0], &t, &pending);
            if (!bp->tonic) {
                free(bp);
                return -1;
            }
            first = 1;
        }
    } else if (k >= 2) {
        bp->tonic = xstrdup(a->argv[0]);
        pending = true;
        first = 1;
    }
    for (int i = first; i < k; i++) {
        char *copy = xstrdup(a->argv[i]), *save = NULL;
        for (char *s = strtok_r(copy, ",", &save); s;
             s = strtok_r(NULL, ",", &save)) {
            const char *sug = NULL;
            bool ok = t ? tt_tonic_state_index(t, s) >= 0
                        : cat && find_state_any(cat, s, &sug);
            if (!ok && t) {
                resolve_state(t, s);
                free(copy);
                goto fail;
            }
            if (!ok && sug) {
                out_error("no tonic has a state \"%s\" (did you mean \"%s\"?)",
                          s, sug);
                free(copy);
                goto fail;
            }
            if (!ok)
                pending = true;
            if (!sv_has(&bp->states, s))
                sv_add(&bp->states, s);
        }
        free(copy);
    }
    if (parse_if(a, k, t, bp) < 0)
        goto fail;
    bp->unresolved = pending;
    bp_add(&g_bps, bp);
    announce(bp, pending);
    return 0;
fail:
    free(bp->tonic);
    sv_free(&bp->states);
    free(bp);
    return -1;
}

/* break probe TONIC.PROBE OP VALUE [if COND] */
static int cmd_break_probe_exec(cmd_args *a)
{
    int k = find_if(a);
    if (k < 3)
        return cmd_usage_error(&cmd_break_entry);
    int op = op_parse(a->argv[1]);
    if (op < 0) {
        out_error("unknown operator \"%s\" (use == != < <= > >=)",
                  a->argv[1]);
        return -1;
    }
    tt_catalyst *cat = g_session.cat;
    char *tname, *probe;
    if (!split_dotted(a->argv[0], &tname, &probe)) {
        return probe_name_error(a->argv[0]);
    }
    breakpoint *bp = xcalloc(1, sizeof *bp);
    bp->kind = BP_PROBE;
    bp->op = (cond_op)op;
    bool pending = false;
    tt_tonic *t;
    bp->tonic = bp_tonic(cat, tname, &t, &pending);
    free(tname);
    bp->name = probe;
    if (!bp->tonic || (t && !resolve_probe(t, probe)))
        goto fail;
    /* VALUE: the words up to "if", as typed */
    strbuf v = {0};
    for (int i = 2; i < k; i++) {
        char *w = cmd_arg_text(a, i);
        sb_printf(&v, "%s%s", i > 2 ? " " : "", w);
        free(w);
    }
    bp->value_text = sb_take(&v);
    if (t) {
        tt_value cur = TT_NONE, want = TT_NONE;
        char err[256];
        bool have = tt_tonic_probe_read(t, probe, &cur) == 0;
        int rc = parse_probe_value(cat, have ? &cur : NULL, bp->value_text,
                                   &want, err, sizeof err);
        tt_value_clear(&cur);
        tt_value_clear(&want);
        if (rc < 0) {
            out_error("%s.%s: %s", bp->tonic, probe, err);
            goto fail;
        }
    }
    if (parse_if(a, k, t, bp) < 0)
        goto fail;
    bp->unresolved = pending;
    bp_add(&g_bps, bp);
    announce(bp, pending);
    return 0;
fail:
    free(bp->tonic);
    free(bp->name);
    free(bp->value_text);
    free(bp);
    return -1;
}

static const cmd_entry cmd_break_sparkle_entry = {
    .name = "sparkle",
    .usage = "break sparkle [TONIC.]NAME [if PROBE OP VALUE]",
    .help = "Stop after the sparkle has run (on any tonic, or the named "
            "one).",
    .exec = cmd_break_sparkle_exec,
    .complete = CC_DOTTED_SPARKLE,
};
static const cmd_entry cmd_break_state_entry = {
    .name = "state",
    .usage = "break state [TONIC] STATE... [if PROBE OP VALUE]",
    .help = "Stop when a tonic (any, or the named one) changes into one of "
            "the states.",
    .exec = cmd_break_state_exec,
    .complete = CC_TONIC_STATE,
};
static const cmd_entry cmd_break_probe_entry = {
    .name = "probe",
    .usage = "break probe TONIC.PROBE OP VALUE [if PROBE OP VALUE]",
    .help = "Stop when the comparison becomes true (not again while it "
            "stays true). OP is one of == != < <= > >=.",
    .exec = cmd_break_probe_exec,
    .complete = CC_DOTTED_PROBE,
};
static const cmd_entry *const break_subs[] = {
    &cmd_break_sparkle_entry, &cmd_break_state_entry, &cmd_break_probe_entry,
    NULL};

/* break [sparkle|state|probe] ...: with no kind word, a sparkle. */
static int cmd_break_exec(cmd_args *a)
{
    char err[256];
    const cmd_entry *sub =
        a->argc ? cmd_lookup(break_subs, a->argv[0], err, sizeof err, NULL)
                : NULL;
    bool kind_word = sub && (a->argc >= 2 || strcmp(a->argv[0], sub->name) == 0);
    if (a->argc == 0) { /* gdb's `break` (here): no "here" between sparkles */
        const cmd_entry *e = making_temporary ? &cmd_tbreak_entry : &cmd_break_entry;
        out_error("%s needs what to stop at; usage: %s", e->name, e->usage);
        return -1;
    }
    if (kind_word)
        return cmd_dispatch_sub(&cmd_break_entry, a);
    return cmd_break_sparkle_exec(a);
}

/* tbreak ...: a breakpoint deleted after its first stop. */
static int cmd_tbreak_exec(cmd_args *a)
{
    making_temporary = true;
    int rc = cmd_break_exec(a);
    making_temporary = false;
    return rc;
}

const cmd_entry cmd_break_entry = {
    .name = "break",
    .aliases = "b br",
    .usage = "break [sparkle] [TONIC.]NAME | state [TONIC] STATE... | "
             "probe TONIC.PROBE OP VALUE  [if PROBE OP VALUE]",
    .help = "Set a breakpoint, checked after every executed sparkle; "
            "`break NAME` is `break sparkle NAME`. The optional condition "
            "reads a probe of the tonic that just ran (PROBE) or of a named "
            "tonic (TONIC.PROBE); OP is one of == != < <= > >=. A "
            "breakpoint on a tonic that does not exist yet is pending: when "
            "the tonic appears its names are checked by the same rules (a "
            "short sparkle name becomes the full one), and a name it does "
            "not have stops the run at once with the nearest valid name. "
            "The Distiller finishes the current state transition before it "
            "stops.",
    .exec = cmd_break_exec,
    .complete = CC_SUB_OR_SPARKLE,
    .subs = break_subs,
};

const cmd_entry cmd_tbreak_entry = {
    .name = "tbreak",
    .usage = "tbreak [sparkle] [TONIC.]NAME | state [TONIC] STATE... | "
             "probe TONIC.PROBE OP VALUE  [if PROBE OP VALUE]",
    .help = "Set a temporary breakpoint: like `break`, deleted after it "
            "has stopped a run once.",
    .exec = cmd_tbreak_exec,
    .complete = CC_SUB_OR_SPARKLE,
    .subs = break_subs,
};

/* A range of breakpoint numbers, "A-B" (as gdb's): the numbers that exist
 * in it go into nums; -1 (said) when the word is a range with none, 0 when
 * the word is no range. */
static int parse_range(const char *w, int *nums, int *n)
{
    const char *dash = strchr(w, '-');
    if (!dash || dash == w)
        return 0;
    char lo_s[32];
    long lo, hi;
    size_t k = (size_t)(dash - w);
    if (k >= sizeof lo_s)
        return 0;
    memcpy(lo_s, w, k);
    lo_s[k] = '\0';
    if (!parse_long(lo_s, &lo) || !parse_long(dash + 1, &hi) || lo < 1 || hi < lo)
        return 0;
    int found = 0;
    for (size_t i = 0; i < g_bps.n; i++)
        if (g_bps.v[i]->num >= lo && g_bps.v[i]->num <= hi) {
            nums[(*n)++] = g_bps.v[i]->num;
            found++;
        }
    if (!found) {
        out_error("no breakpoint numbered %ld to %ld (`info breakpoints`)", lo, hi);
        return -1;
    }
    return 1;
}

/* Parse breakpoint numbers and ranges (A-B); none = all (returns 0 numbers). */
static int parse_nums(cmd_args *a, int from, int **nums)
{
    *nums = xcalloc((size_t)a->argc + g_bps.n + 1, sizeof **nums);
    int n = 0;
    for (int i = from; i < a->argc; i++) {
        long v;
        int r = parse_range(a->argv[i], *nums, &n);
        if (r < 0) {
            free(*nums);
            return -1;
        }
        if (r > 0)
            continue;
        if (!parse_long(a->argv[i], &v) || v < 1) {
            out_error("\"%s\" is not a breakpoint number", a->argv[i]);
            free(*nums);
            return -1;
        }
        if (!bp_find(&g_bps, (int)v)) {
            out_error("no breakpoint number %ld (`info breakpoints`)", v);
            free(*nums);
            return -1;
        }
        (*nums)[n++] = (int)v;
    }
    return n;
}

/* delete [N...] */
static int cmd_undisplay_exec(cmd_args *a);

static int cmd_delete_exec(cmd_args *a)
{
    if (a->argc && strcmp(a->argv[0], "display") == 0) { /* gdb's form */
        cmd_args rest = *a;
        rest.argc--;
        rest.argv++;
        rest.raw++;
        rest.starts++;
        return cmd_undisplay_exec(&rest);
    }
    int *nums;
    int n = parse_nums(a, 0, &nums);
    if (n < 0)
        return -1;
    if (n == 0) {
        int k = bp_delete(&g_bps, 0);
        out_printf("deleted %d breakpoint%s\n", k, k == 1 ? "" : "s");
    }
    for (int i = 0; i < n; i++)
        bp_delete(&g_bps, nums[i]);
    free(nums);
    return 0;
}

/* Enable or disable the listed (or all) breakpoints. */
static int set_enabled(cmd_args *a, bool on)
{
    int *nums;
    int n = parse_nums(a, 0, &nums);
    if (n < 0)
        return -1;
    for (size_t i = 0; i < g_bps.n; i++) {
        bool listed = n == 0;
        for (int j = 0; j < n; j++)
            listed |= g_bps.v[i]->num == nums[j];
        if (listed)
            g_bps.v[i]->enabled = on;
    }
    free(nums);
    return 0;
}

/* disable [N...] */
static int cmd_disable_exec(cmd_args *a)
{
    return set_enabled(a, false);
}

/* enable [N...] */
static int cmd_enable_exec(cmd_args *a)
{
    return set_enabled(a, true);
}

/* ignore N COUNT */
static int cmd_ignore_exec(cmd_args *a)
{
    long num, count;
    if (a->argc != 2 || !parse_long(a->argv[0], &num) ||
        !parse_long(a->argv[1], &count) || count < 0)
        return cmd_usage_error(&cmd_ignore_entry);
    breakpoint *bp = bp_find(&g_bps, (int)num);
    if (!bp) {
        out_error("no breakpoint number %ld (`info breakpoints`)", num);
        return -1;
    }
    bp->ignore = (unsigned long)count;
    out_printf("breakpoint %ld: the next %ld hit%s will not stop\n", num,
               count, count == 1 ? "" : "s");
    return 0;
}

/* condition N [PROBE OP VALUE] */
static int cmd_condition_exec(cmd_args *a)
{
    long num;
    if (a->argc < 1 || !parse_long(a->argv[0], &num))
        return cmd_usage_error(&cmd_condition_entry);
    breakpoint *bp = bp_find(&g_bps, (int)num);
    if (!bp) {
        out_error("no breakpoint number %ld (`info breakpoints`)", num);
        return -1;
    }
    bp_cond *c = NULL;
    if (a->argc > 1) {
        c = cond_parse(a, 1);
        if (!c)
            return -1;
        tt_tonic *bt = bp->tonic && g_session.cat
                           ? find_tonic(g_session.cat, bp->tonic, NULL)
                           : NULL;
        if (cond_check(c, bt) < 0) {
            bp_cond_free(c);
            return -1;
        }
    }
    bp_cond_free(bp->cond);
    bp->cond = c;
    out_printf("breakpoint %ld: %s\n", num,
               c ? "condition set" : "now unconditional");
    return 0;
}

const cmd_entry cmd_delete_entry = {
    .name = "delete",
    .aliases = "d",
    .usage = "delete [N...] | delete display [N...]",
    .help = "Delete the breakpoints (all of them without numbers); N may be a "
            "range, A-B.",
    .exec = cmd_delete_exec,
};
const cmd_entry cmd_disable_entry = {
    .name = "disable",
    .usage = "disable [N...]",
    .help = "Disable the breakpoints (all of them without numbers); N may be a "
            "range, A-B.",
    .exec = cmd_disable_exec,
};
const cmd_entry cmd_enable_entry = {
    .name = "enable",
    .usage = "enable [N...]",
    .help = "Enable the breakpoints (all of them without numbers); N may be a "
            "range, A-B.",
    .exec = cmd_enable_exec,
};
const cmd_entry cmd_ignore_entry = {
    .name = "ignore",
    .usage = "ignore N COUNT",
    .help = "Let breakpoint N pass its next COUNT hits without stopping.",
    .exec = cmd_ignore_exec,
};
const cmd_entry cmd_condition_entry = {
    .name = "condition",
    .usage = "condition N [PROBE OP VALUE]",
    .help = "Give breakpoint N a condition, or remove it (no condition "
            "given).",
    .exec = cmd_condition_exec,
};

static int display_all(void);

/* display [TONIC.PROBE] */
static int cmd_display_exec(cmd_args *a)
{
    if (a->argc == 0)
        return display_all();
    if (a->argc != 1)
        return cmd_usage_error(&cmd_display_entry);
    char *tname, *probe;
    if (!split_dotted(a->argv[0], &tname, &probe)) {
        return probe_name_error(a->argv[0]);
    }
    tt_catalyst *cat = g_session.cat;
    tt_tonic *t;
    bool pending = false;
    char *keep = bp_tonic(cat, tname, &t, &pending);
    int rc = -1;
    size_t dup = 0;
    for (size_t i = 0; keep && i < g_bps.nw && !dup; i++)
        if (strcmp(g_bps.w[i].tonic, keep) == 0 && strcmp(g_bps.w[i].probe, probe) == 0)
            dup = i + 1;
    if (dup) {
        out_error("%s.%s is already displayed as %u (`info display`)", keep, probe,
                  g_bps.w[dup - 1].num);
    } else if (keep && (!t || resolve_probe(t, probe))) {
        int idx = watch_add(&g_bps, cat, keep, probe);
        const watch *w = &g_bps.w[idx];
        if (w->has_last && w->present) {
            char *v = fmt_value(&w->last);
            out_printf("displaying %s.%s = %s\n", keep, probe, v);
            free(v);
        } else {
            out_printf("displaying %s.%s%s\n", keep, probe,
                       pending ? " (pending: no such tonic yet)" : "");
        }
        rc = 0;
    }
    free(keep);
    free(tname);
    free(probe);
    return rc;
}

/* The display that word names: its number in `info display` or
 * TONIC.PROBE; -1 (said) when none. */
static long display_index(const char *word)
{
    long v;
    if (parse_long(word, &v)) {
        for (size_t i = 0; i < g_bps.nw; i++)
            if (v == (long)g_bps.w[i].num)
                return (long)i;
        out_error("no display number %s (`info display` numbers them)", word);
        return -1;
    }
    for (size_t i = 0; i < g_bps.nw; i++) {
        char *name = xasprintf("%s.%s", g_bps.w[i].tonic, g_bps.w[i].probe);
        bool hit = strcmp(name, word) == 0;
        free(name);
        if (hit)
            return (long)i;
    }
    out_error("no display of \"%s\" (`info display`)", word);
    return -1;
}

/* undisplay [N|TONIC.PROBE...]: the numbers are those `info display`
 * shows; the others keep theirs. */
static int cmd_undisplay_exec(cmd_args *a)
{
    if (a->argc == 0) {
        while (g_bps.nw)
            watch_delete(&g_bps, 0);
        return 0;
    }
    bool *gone = xcalloc(g_bps.nw + 1, sizeof *gone);
    for (int i = 0; i < a->argc; i++) {
        long k = display_index(a->argv[i]);
        if (k < 0) {
            free(gone);
            return -1;
        }
        gone[k] = true;
    }
    for (size_t i = g_bps.nw; i-- > 0;)
        if (gone[i])
            watch_delete(&g_bps, (unsigned)i);
    free(gone);
    return 0;
}

/* display with no argument: every display's value now, as gdb shows
 * them. */
static int display_all(void)
{
    if (g_bps.nw == 0) {
        out_printf("no displays\n");
        return 0;
    }
    displays_show();
    return 0;
}

void displays_show(void)
{
    for (size_t i = 0; i < g_bps.nw; i++) {
        const watch *w = &g_bps.w[i];
        if (w->has_last && w->present) {
            char *v = fmt_value(&w->last);
            out_printf("%u: %s.%s = %s\n", w->num, w->tonic, w->probe, v);
            free(v);
        } else {
            out_printf("%u: %s.%s (no value yet)\n", w->num, w->tonic, w->probe);
        }
    }
}

const cmd_entry cmd_display_entry = {
    .name = "display",
    .usage = "display [TONIC.PROBE]",
    .help = "Record the probe's value history: one row per change, read "
            "after every sparkle of the tonic (the Probes pane, `info "
            "display`). It does not stop the run; `watch` does. In batch "
            "mode and -nw every stop shows the displays, as gdb's (`1: "
            "TONIC.PROBE = VALUE`). Without a probe: the value of every "
            "display now.",
    .exec = cmd_display_exec,
    .complete = CC_DOTTED_PROBE,
};
const cmd_entry cmd_undisplay_entry = {
    .name = "undisplay",
    .usage = "undisplay [N|TONIC.PROBE...]",
    .help = "Stop displaying the probes, named or numbered as `info "
            "display` numbers them (every probe without an argument).",
    .exec = cmd_undisplay_exec,
    .complete = CC_DOTTED_PROBE,
};

/* watch TONIC.PROBE [if COND]: a watchpoint. */
static int cmd_watch_exec(cmd_args *a)
{
    int k = find_if(a);
    if (k == 3 && a->argc == 3 && op_parse(a->argv[1]) >= 0) {
        /* gdb's `watch x > 2`: say the two ways ttdb has */
        const char *dot = strchr(a->argv[0], '.');
        const char *p = dot ? dot + 1 : a->argv[0];
        out_error("watch takes TONIC.PROBE, not an expression: `watch %s if "
                  "%s %s %s` stops at each change while it holds, `until "
                  "probe %s %s %s` runs until it holds",
                  a->argv[0], p, a->argv[1], a->argv[2], a->argv[0],
                  a->argv[1], a->argv[2]);
        return -1;
    }
    if (k != 1)
        return cmd_usage_error(&cmd_watch_entry);
    char *tname, *probe;
    if (!split_dotted(a->argv[0], &tname, &probe)) {
        return probe_name_error(a->argv[0]);
    }
    breakpoint *bp = xcalloc(1, sizeof *bp);
    bp->kind = BP_WATCH;
    bool pending = false;
    tt_tonic *t;
    bp->tonic = bp_tonic(g_session.cat, tname, &t, &pending);
    free(tname);
    bp->name = probe;
    if (!bp->tonic || (t && !resolve_probe(t, probe)) ||
        parse_if(a, k, t, bp) < 0) {
        bp_free_one(bp);
        return -1;
    }
    bp->unresolved = pending;
    bp_add(&g_bps, bp);
    announce(bp, pending);
    if (bp->has_old) {
        char *v = fmt_value(&bp->old);
        out_printf("  %s.%s = %s\n", bp->tonic, bp->name, v);
        free(v);
    }
    return 0;
}

const cmd_entry cmd_watch_entry = {
    .name = "watch",
    .aliases = "w",
    .usage = "watch TONIC.PROBE [if PROBE OP VALUE]",
    .help = "Set a watchpoint: stop after a sparkle of the tonic that "
            "changed the probe's value (stop condition `watchpoint N: "
            "TONIC.PROBE OLD -> NEW`). Listed by `info breakpoints`, "
            "deleted, disabled and given conditions like breakpoints. "
            "`display` keeps a history without stopping.",
    .exec = cmd_watch_exec,
    .complete = CC_DOTTED_PROBE,
};
