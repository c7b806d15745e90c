/*
 * cmd-run.c: the commands that run sparkles, each one Distiller call:
 * step (sparkle_count), continue (until a breakpoint, idle or the end),
 * until state|sparkle|probe|contract (till_state_in, till_sparkle_in or a
 * contract), sparkle (the raw call, optionally printed as JSON), advance
 * (virtual time), finish (as the tonic's base would), restart.
 */
#include "ttdb.h"

#include <stdlib.h>
#include <string.h>

/* Run with the session's default timeout; prints the summary. */
static int run(tt_sparkle_args *sa)
{
    if (sa->timeout == 0)
        sa->timeout = g_session.timeout;
    return session_run(&g_session, sa, false, false, NULL);
}

/* step [N]: run N sparkles (a transition's extras always complete). */
static int cmd_step_exec(cmd_args *a)
{
    long n = 1;
    if (a->argc > 1)
        return cmd_usage_error(&cmd_step_entry);
    if (a->argc == 1 && (!parse_long(a->argv[0], &n) || n < 1))
        return cmd_word_error(&cmd_step_entry, a->argv[0], "a count (1 or more)");
    tt_sparkle_args sa = {.sparkle_count = n};
    return run(&sa);
}

const cmd_entry cmd_step_entry = {
    .name = "step",
    .aliases = "s next n",
    .usage = "step [N]",
    .help = "Run the next N queued sparkles (default 1). A sparkle that "
            "changes state is always followed by the extra sparkles of the "
            "transition (on_exit, the state change, on_enter), as in the "
            "Distiller's sparkle_count. Enter on an empty line repeats it.",
    .exec = cmd_step_exec,
    .flags = CMD_RUNS | CMD_REPEAT | CMD_SESSION,
    .on_recorded = "step runs the app's next sparkle, and a recorded trace has no app; "
                   RECORDED_INSTEAD,
};

/* continue: run until a breakpoint, idle, the timeout or the end. */
static int cmd_continue_exec(cmd_args *a)
{
    long n;
    if (a->argc == 1 && parse_long(a->argv[0], &n)) { /* gdb's continue N */
        out_error("continue takes no count: `ignore N COUNT` lets breakpoint "
                  "N pass COUNT hits, `step %s` runs %s sparkles", a->argv[0],
                  a->argv[0]);
        return -1;
    }
    if (a->argc != 0)
        return cmd_usage_error(&cmd_continue_entry);
    tt_sparkle_args sa = {0};
    return run(&sa);
}

const cmd_entry cmd_continue_entry = {
    .name = "continue",
    .aliases = "c cont",
    .usage = "continue",
    .help = "Run until something stops it. That is a breakpoint, nothing "
            "being able to happen any more (idle: empty queue and no pending "
            "timer), the catalyst finishing, the timeout (`set timeout`) or "
            "Ctrl-C between two sparkles. Enter on an empty line repeats it. "
            "A run of more than 1000 entries (100 in -nw) lists only its "
            "last 20 (`set entries-max`; `info trace` shows the others).",
    .exec = cmd_continue_exec,
    .flags = CMD_RUNS | CMD_REPEAT | CMD_SESSION,
    .on_recorded = "continue runs the app, and a recorded trace has no app; " RECORDED_INSTEAD,
};

/* Split "a,b" words into a list of names. */
static void names_from(cmd_args *a, int from, strvec *out)
{
    for (int i = from; i < a->argc; i++) {
        char *copy = xstrdup(a->argv[i]), *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t;
             t = strtok_r(NULL, ",", &save))
            if (!sv_has(out, t))
                sv_add(out, t);
        free(copy);
    }
}

/* Join names with commas (malloc'ed). */
static char *join(const strvec *v)
{
    strbuf b = {0};
    for (size_t i = 0; i < v->n; i++)
        sb_printf(&b, "%s%s", i ? "," : "", v->v[i]);
    return sb_take(&b);
}

/* How an until knows that its condition held. */
typedef enum until_by { BY_CONTRACT, BY_TRIGGER, BY_HOOK } until_by;

/* After an until's run (rc from session_run): a run that ended without the
 * condition is a failed command, "not reached: until ... (stopped: ...)". */
static int until_result(int rc, until_by by, const char *kind, cmd_args *a)
{
    bool hit = false;
    const tt_run *r = g_session.last_run;
    if (by == BY_HOOK) {
        hit = g_bps.until_hit;
        bp_set_until(&g_bps, NULL);
    }
    if (rc < 0)
        return rc;
    if (by == BY_CONTRACT)
        hit = r && tt_run_contract_met(r, NULL, NULL);
    for (size_t i = 0; by == BY_TRIGGER && r && i < tt_run_stop_count(r); i++) {
        const char *st = tt_run_stop_at(r, i);
        hit |= str_starts(st, "state_trigger: ") ||
               str_starts(st, "sparkle_trigger: ");
    }
    if (hit)
        return 0;
    strbuf b = {0};
    for (int i = 0; i < a->argc; i++)
        sb_printf(&b, " %s", a->raw[i]);
    out_error("not reached: until %s%s (stopped: %s)", kind, b.s ? b.s : "",
              g_session.last_stop[0] ? g_session.last_stop : "?");
    sb_free(&b);
    return -1;
}

/* Run with a contract, then free it. */
static int run_contract(tt_contract *c)
{
    tt_sparkle_args sa = {.contract = c};
    int rc = run(&sa);
    tt_contract_free(c);
    return rc;
}

/* Run with a condition checked by the step hook: a tonic that does not
 * exist yet (its names are checked when it appears, by the rules used for
 * tonics that exist) or a comparison a contract cannot express. */
static int run_hook(breakpoint *until)
{
    bp_set_until(&g_bps, until);
    tt_sparkle_args sa = {0};
    return run(&sa);
}

/* A new until condition on tonic tname. */
static breakpoint *until_new(bp_kind kind, const char *tname, bool pending)
{
    breakpoint *bp = xcalloc(1, sizeof *bp);
    bp->kind = kind;
    bp->tonic = xstrdup(tname);
    bp->unresolved = pending;
    return bp;
}

/* A tonic named in an until that does not exist: pending (a warning)
 * unless a close name suggests a typo (an error).  Returns the name. */
static const char *until_pending_tonic(tt_catalyst *cat, const char *name)
{
    const char *sug;
    if (find_tonic(cat, name, &sug))
        return name;
    if (sug) {
        out_error("unknown tonic \"%s\" (did you mean \"%s\"?)", name, sug);
        return NULL;
    }
    out_warn("no tonic \"%s\" yet: the condition holds once one exists",
             name);
    return name;
}

/* until state [TONIC] STATE... */
static int cmd_until_state_exec(cmd_args *a)
{
    tt_catalyst *cat = cmd_cat();
    if (!cat)
        return -1;
    if (a->argc < 1)
        return cmd_usage_error(&cmd_until_entry);
    /* The first word names a tonic when more words follow, unless every
     * word is a known state. */
    const char *tname = NULL;
    tt_tonic *t = NULL;
    if (a->argc >= 2) {
        strvec all = {0};
        names_from(a, 0, &all);
        bool states = true;
        for (size_t i = 0; i < all.n && states; i++)
            states = find_state_any(cat, all.v[i], NULL);
        sv_free(&all);
        t = find_tonic(cat, a->argv[0], NULL);
        if (t || !states) {
            tname = until_pending_tonic(cat, a->argv[0]);
            if (!tname)
                return -1;
        }
    } else if (find_tonic(cat, a->argv[0], NULL) &&
               !find_state_any(cat, a->argv[0], NULL)) {
        out_error("until state %s: which state? (`info states %s`)",
                  a->argv[0], a->argv[0]);
        return -1;
    }
    strvec states = {0};
    names_from(a, tname ? 1 : 0, &states);
    for (size_t i = 0; i < states.n; i++) {
        const char *sug;
        bool ok = t ? resolve_state(t, states.v[i])
                    : tname || find_state_any(cat, states.v[i], &sug);
        if (!ok) {
            if (!t) {
                if (sug)
                    out_error("no tonic has a state \"%s\" (did you mean "
                              "\"%s\"?)", states.v[i], sug);
                else
                    out_error("no tonic has a state \"%s\"", states.v[i]);
            }
            sv_free(&states);
            return -1;
        }
    }
    int rc;
    until_by by;
    if (tname && !t) {
        breakpoint *bp = until_new(BP_STATE, tname, true);
        bp->states = states;
        states = (strvec){0};
        rc = run_hook(bp);
        by = BY_HOOK;
    } else if (tname) {
        tt_contract *c = tt_contract_new();
        for (size_t i = 0; i < states.n; i++)
            tt_contract_add_till_state(c, tname, states.v[i]);
        rc = run_contract(c);
        by = BY_CONTRACT;
    } else {
        char *list = join(&states);
        tt_sparkle_args sa = {.till_state_in = list};
        rc = run(&sa);
        free(list);
        by = BY_TRIGGER;
    }
    sv_free(&states);
    return until_result(rc, by, "state", a);
}

/* until sparkle [TONIC.]NAME */
static int cmd_until_sparkle_exec(cmd_args *a)
{
    tt_catalyst *cat = cmd_cat();
    if (!cat)
        return -1;
    if (a->argc != 1)
        return cmd_usage_error(&cmd_until_entry);
    char *tname, *sname;
    if (split_dotted(a->argv[0], &tname, &sname)) {
        int rc = -1;
        tt_tonic *t = find_tonic(cat, tname, NULL);
        if (t) {
            const char *full = resolve_sparkle(t, sname);
            if (full) {
                tt_contract *c = tt_contract_new();
                tt_contract_add_till_sparkle(c, tt_tonic_name(t), full);
                rc = until_result(run_contract(c), BY_CONTRACT, "sparkle", a);
            }
        } else if (until_pending_tonic(cat, tname)) {
            breakpoint *bp = until_new(BP_SPARKLE, tname, true);
            bp->name = xstrdup(sname);
            rc = until_result(run_hook(bp), BY_HOOK, "sparkle", a);
        }
        free(tname);
        free(sname);
        return rc;
    }
    const char *sug;
    const char *full = find_sparkle_any(cat, a->argv[0], &sug);
    if (!full)
        return sparkle_any_error(cat, a->argv[0], sug);
    tt_sparkle_args sa = {.till_sparkle_in = full};
    return until_result(run(&sa), BY_TRIGGER, "sparkle", a);
}

/* until probe TONIC.PROBE OP VALUE (VALUE: the rest of the line as typed,
 * read by the probe's current type). */
static int cmd_until_probe_exec(cmd_args *a)
{
    tt_catalyst *cat = cmd_cat();
    if (!cat)
        return -1;
    int op = a->argc >= 3 ? op_parse(a->argv[1]) : -1;
    if (op < 0) {
        out_error("expected TONIC.PROBE OP VALUE (OP one of == != < <= > >=)");
        return -1;
    }
    char *tname, *probe;
    if (!split_dotted(a->argv[0], &tname, &probe)) {
        return probe_name_error(a->argv[0]);
    }
    char *text = a->argc == 3 ? cmd_arg_text(a, 2) : xstrdup(a->starts[2]);
    tt_tonic *t = find_tonic(cat, tname, NULL);
    char err[512];
    int rc = -1;
    if (!t) {
        if (until_pending_tonic(cat, tname)) {
            breakpoint *bp = until_new(BP_PROBE, tname, true);
            bp->name = probe;
            bp->op = (cond_op)op;
            bp->value_text = text;
            probe = text = NULL;
            rc = until_result(run_hook(bp), BY_HOOK, "probe", a);
        }
    } else if (!probe_of(t, probe, err, sizeof err) ||
               !probe_value_ok(t, probe, text, err, sizeof err)) {
        out_error("%s", err);
    } else if (op == OP_EQ) { /* a contract's stop_on_probe */
        tt_value cur = TT_NONE, v = TT_NONE;
        bool have = tt_tonic_probe_read(t, probe, &cur) == 0;
        parse_probe_value(cat, have ? &cur : NULL, text, &v, err, sizeof err);
        tt_value_clear(&cur);
        tt_contract *c = tt_contract_new();
        tt_contract_add_stop_on_probe(c, tt_tonic_name(t), probe, &v);
        tt_value_clear(&v);
        rc = until_result(run_contract(c), BY_CONTRACT, "probe", a);
    } else {
        breakpoint *bp = until_new(BP_PROBE, tt_tonic_name(t), false);
        bp->name = probe;
        bp->op = (cond_op)op;
        bp->value_text = text;
        probe = text = NULL;
        rc = until_result(run_hook(bp), BY_HOOK, "probe", a);
    }
    free(tname);
    free(probe);
    free(text);
    return rc;
}

/* until contract FILE */
static int cmd_until_contract_exec(cmd_args *a)
{
    if (!cmd_cat())
        return -1;
    if (a->argc != 1)
        return cmd_usage_error(&cmd_until_entry);
    tt_contract *c = NULL;
    tt_error err = {0};
    if (tt_contract_load(a->argv[0], &c, &err) < 0) {
        out_error("%s", err.msg[0] ? err.msg : tt_strerror(err.code));
        return -1;
    }
    return until_result(run_contract(c), BY_CONTRACT, "contract", a);
}

static const cmd_entry cmd_until_state_entry = {
    .name = "state",
    .usage = "until state [TONIC] STATE...",
    .help = "Run until a tonic is in one of the states after a sparkle (any "
            "tonic that just ran, or the named one after any sparkle): it "
            "stops after the next sparkle if the tonic is in the state "
            "already.",
    .exec = cmd_until_state_exec,
    .complete = CC_TONIC_STATE,
};
static const cmd_entry cmd_until_sparkle_entry = {
    .name = "sparkle",
    .usage = "until sparkle [TONIC.]NAME",
    .help = "Run until the sparkle has run (on any tonic, or the named one).",
    .exec = cmd_until_sparkle_exec,
    .complete = CC_DOTTED_SPARKLE,
};
static const cmd_entry cmd_until_probe_entry = {
    .name = "probe",
    .usage = "until probe TONIC.PROBE OP VALUE",
    .help = "Run until the comparison holds after a sparkle; OP is one of "
            "== != < <= > >= (== is a contract's stop_on_probe). VALUE is "
            "read as the probe's type: 3, 2.5, true, \"text\", [1, 2] or "
            "{\"k\": 1}.",
    .exec = cmd_until_probe_exec,
    .complete = CC_DOTTED_PROBE,
};
static const cmd_entry cmd_until_contract_entry = {
    .name = "contract",
    .usage = "until contract FILE",
    .help = "Run until the contract in the JSON file is met (the Distiller's "
            "contract format).",
    .exec = cmd_until_contract_exec,
    .complete = CC_FILE,
};
static const cmd_entry *const until_subs[] = {
    &cmd_until_state_entry, &cmd_until_sparkle_entry, &cmd_until_probe_entry,
    &cmd_until_contract_entry, NULL};

const cmd_entry cmd_until_entry = {
    .name = "until",
    .aliases = "u",
    .usage = "until state [TONIC] STATE... | sparkle [TONIC.]NAME | "
             "probe TONIC.PROBE OP VALUE | contract FILE",
    .help = "Run until a condition holds: a tonic is in a state, a sparkle "
            "has run, a probe comparison holds, or a contract file is met. "
            "Breakpoints, idle, the timeout and Ctrl-C stop it too; a run "
            "that ends without the condition prints `not reached: ...` and "
            "the command fails (exit status 1 in batch mode). A tonic that "
            "does not exist yet is pending, as for breakpoints. Enter on an "
            "empty line repeats it.",
    .flags = CMD_RUNS | CMD_REPEAT | CMD_SESSION,
    .subs = until_subs,
};

/* ---------------------------------------------------------------------- */
/* sparkle: the raw Distiller call                                        */
/* ---------------------------------------------------------------------- */

static const char *const sparkle_keys[] = {
    "count", "sparkle_count", "timeout", "till_state_in", "till_sparkle_in",
    "contract"};

/* The raw call wants exact names: warn about a till_* name nothing has (it
 * could only run to the timeout), suggesting the full or nearest one. */
static void warn_unmatched(tt_catalyst *cat, const char *states, const char *sparkles)
{
    for (int kind = 0; kind < 2; kind++) {
        const char *list = kind ? sparkles : states;
        if (!list)
            continue;
        char *copy = xstrdup(list), *save = NULL;
        for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
            const char *sug = NULL;
            if (kind) {
                const char *full = find_sparkle_any(cat, w, &sug);
                if (full && strcmp(full, w) != 0)
                    sug = full; /* a short name: the Distiller needs the full one */
                else if (full)
                    continue;
            } else if (find_state_any(cat, w, &sug)) {
                continue;
            }
            if (sug)
                out_warn("%s \"%s\": no tonic has it by that exact name (did you mean "
                         "\"%s\"?)", kind ? "till_sparkle_in" : "till_state_in", w, sug);
            else
                out_warn("%s \"%s\": no tonic has it (yet)",
                         kind ? "till_sparkle_in" : "till_state_in", w);
        }
        free(copy);
    }
}

/* sparkle [count=N] [timeout=S] [till_state_in=A,B] [till_sparkle_in=X]
 *         [contract=FILE|JSON] [-finish] [-json] [-pretty] */
static int cmd_sparkle_exec(cmd_args *a)
{
    tt_catalyst *cat = a->cat; /* CMD_SESSION: never NULL */
    tt_sparkle_args sa = {0};
    tt_contract *c = NULL;
    bool json = false, finish = false, pretty = false;
    int rc = -1;
    for (int i = 0; i < a->argc; i++) {
        const char *w = a->argv[i];
        if (strcmp(w, "-json") == 0) {
            json = true;
            continue;
        }
        if (strcmp(w, "-pretty") == 0) {
            json = pretty = true;
            continue;
        }
        if (strcmp(w, "-finish") == 0) {
            finish = true;
            continue;
        }
        const char *eq = strchr(w, '=');
        if (!eq) {
            out_error("\"%s\": expected KEY=VALUE, -json or -finish "
                      "(usage: %s)", w, cmd_sparkle_entry.usage);
            goto out;
        }
        size_t klen = (size_t)(eq - w);
        char *key = xstrdup(w);
        key[klen] = '\0';
        const char *val = eq + 1;
        int k = -1;
        for (int j = 0; j < 6; j++)
            if (strcmp(key, sparkle_keys[j]) == 0)
                k = j;
        if (k < 0) {
            const char *sug = tt_suggest(key, sparkle_keys, 6);
            if (sug)
                out_error("unknown sparkle option \"%s\" (did you mean "
                          "\"%s\"?)", key, sug);
            else
                out_error("unknown sparkle option \"%s\"", key);
            free(key);
            goto out;
        }
        free(key);
        switch (k) {
        case 0:
        case 1:
            if (!parse_long(val, &sa.sparkle_count) || sa.sparkle_count < 0) {
                out_error("count=%s: expected a whole number >= 0", val);
                goto out;
            }
            if (sa.sparkle_count == 0) /* the Distiller treats 0 as 1 */
                sa.sparkle_count = 1;
            break;
        case 2:
            if (!parse_double(val, &sa.timeout) || sa.timeout <= 0) {
                out_error("timeout=%s: expected seconds > 0", val);
                goto out;
            }
            break;
        case 3:
            sa.till_state_in = val;
            break;
        case 4:
            sa.till_sparkle_in = val;
            break;
        case 5: {
            tt_error err = {0};
            if (c)
                tt_contract_free(c);
            c = NULL;
            int r = val[0] == '{'
                        ? tt_contract_parse(val, "contract", &c, &err)
                        : tt_contract_load(val, &c, &err);
            if (r < 0) {
                out_error("%s", err.msg[0] ? err.msg : tt_strerror(r));
                goto out;
            }
            sa.contract = c;
            break;
        }
        }
    }
    warn_unmatched(cat, sa.till_state_in, sa.till_sparkle_in);
    const tt_run *r = NULL;
    if (session_run(&g_session, &sa, finish, json, &r) < 0)
        goto out;
    if (json && r) {
        char *buf = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&buf, &len);
        if (!m) {
            out_error("out of memory");
            goto out;
        }
        tt_run_write_json(cat, r, m, pretty ? TT_JSON_PRETTY : 0);
        fclose(m);
        while (len && buf[len - 1] == '\n')
            buf[--len] = '\0';
        out_printf("%s\n", buf);
        free(buf);
    }
    rc = 0;
out:
    if (c)
        tt_contract_free(c);
    return rc;
}

const cmd_entry cmd_sparkle_entry = {
    .name = "sparkle",
    .usage = "sparkle [count=N] [timeout=S] [till_state_in=A,B] "
             "[till_sparkle_in=X,Y] [contract=FILE|JSON] [-finish] [-json]",
    .help = "The Distiller call itself, with its own stop options (no "
            "default timeout but the Distiller's 3600 s). contract= takes a "
            "file or inline JSON ('{\"probes\": [\"x\"]}'). -finish queues "
            "ttsc__finish to the catalyst and every tonic first, as "
            "finish_distiller() does. -json prints the returned run as one "
            "JSON object on one line (-pretty: one entry per line) instead "
            "of the summary.",
    .exec = cmd_sparkle_exec,
    .flags = CMD_RUNS | CMD_SESSION,
};

/* ---------------------------------------------------------------------- */
/* advance, finish, restart                                               */
/* ---------------------------------------------------------------------- */

/* advance SECONDS: move virtual time; due timers queue their callbacks. */
static int cmd_advance_exec(cmd_args *a)
{
    tt_catalyst *cat = cmd_cat();
    double s;
    if (!cat)
        return -1;
    if (a->argc != 1)
        return cmd_usage_error(&cmd_advance_entry);
    if (!parse_double(a->argv[0], &s) || s < 0)
        return cmd_word_error(&cmd_advance_entry, a->argv[0], "seconds (0 or more)");
    size_t before = tt_queue_length(cat);
    journal_input_args("advance", a); /* even a failed one moved the clock */
    int rc = tt_distiller_advance(cat, s);
    if (rc < 0) {
        const char *m = tt_catalyst_errmsg(cat);
        out_error("advance: %s", m && *m ? m : tt_strerror(rc));
        return -1;
    }
    size_t after = tt_queue_length(cat);
    out_printf("time is now %gs; %zu order%s queued by timers\n",
               tt_catalyst_now(cat), after - before,
               after - before == 1 ? "" : "s");
    return 0;
}

const cmd_entry cmd_advance_entry = {
    .name = "advance",
    .usage = "advance SECONDS",
    .help = "Move virtual time forward; timers that come due queue their "
            "callbacks (in due order). Nothing runs.",
    .exec = cmd_advance_exec,
    .flags = CMD_RUNS | CMD_SESSION,
};

/* finish TONIC: queue ttsc__finish with the tonic's base as source. */
static int cmd_finish_exec(cmd_args *a)
{
    tt_catalyst *cat = a->cat; /* CMD_SESSION: never NULL */
    if (a->argc == 0) { /* gdb's finish */
        out_error("finish needs a TONIC: it finishes that tonic (TaskTonic's "
                  "finish); a sparkle runs whole, so there is no frame to "
                  "finish: `step` runs the next one");
        return -1;
    }
    if (a->argc != 1)
        return cmd_usage_error(&cmd_finish_entry);
    tt_tonic *t = resolve_tonic(cat, a->argv[0]);
    if (!t)
        return -1;
    journal_input_args("finish", a);
    int rc = tt_finish_from_base(t);
    if (rc < 0) {
        journal_cancel_input();
        const char *m = tt_catalyst_errmsg(cat);
        out_error("finish %s: %s", tt_tonic_name(t),
                  m && *m ? m : tt_strerror(rc));
        return -1;
    }
    tt_tonic *base = tt_tonic_base(t);
    out_printf("queued %s.ttsc__finish from %s\n", tt_tonic_name(t),
               base ? tt_tonic_name(base) : "(external)");
    return 0;
}

const cmd_entry cmd_finish_entry = {
    .name = "finish",
    .aliases = "fin",
    .usage = "finish TONIC",
    .help = "Queue TONIC.ttsc__finish as its base would send it, so that the "
            "tonic accepts it (a ttsc__finish from outside is ignored by "
            "every tonic but the catalyst). Use `step` or `continue` to run "
            "it.",
    .exec = cmd_finish_exec,
    .complete = CC_TONIC,
    .flags = CMD_RUNS | CMD_SESSION,
};

/* restart: a fresh run of the same module. */
static int cmd_restart_exec(cmd_args *a)
{
    if (a->argc != 0)
        return cmd_usage_error(&cmd_restart_entry);
    if (session_restart(&g_session) < 0)
        return -1;
    tt_catalyst *cat = g_session.cat;
    out_printf("restarted %s: %zu tonics, %zu orders queued\n",
               g_session.app_path, tt_tonic_count(cat), tt_queue_length(cat));
    return 0;
}

const cmd_entry cmd_restart_entry = {
    .name = "restart",
    .usage = "restart",
    .help = "Start the app afresh: reload the module, new Distiller, run "
            "the formula again. Breakpoints, displays and settings are kept; "
            "the trace and the display history start empty.",
    .exec = cmd_restart_exec,
};

/* run: gdb's run, the app afresh and then on until something stops it. */
static int cmd_run_exec(cmd_args *a)
{
    if (a->argc != 0)
        return cmd_usage_error(&cmd_run_entry);
    if (cmd_restart_exec(a) < 0)
        return -1;
    tt_sparkle_args sa = {0};
    return run(&sa);
}

const cmd_entry cmd_run_entry = {
    .name = "run",
    .aliases = "r",
    .usage = "run",
    .help = "As gdb's run: start the app afresh (as `restart`) and run until "
            "something stops it (as `continue`): a breakpoint, idle, the "
            "catalyst finishing, the timeout or Ctrl-C. `restart` starts "
            "afresh without running.",
    .exec = cmd_run_exec,
    .flags = CMD_RUNS | CMD_SESSION,
};
