/*
 * cmd-expect.c: `expect`, the assertions that make a ttdb script a test.
 * Each subcommand checks the session as it is now (state, probe) or the
 * last run (stop, ran).  A failed expectation is a failed command, one
 * line "expect failed: ..." with what was found instead: in batch mode the
 * script stops (unless -k) and the exit status is 1.  Names are resolved
 * as every command resolves them (short sparkle names, suggestions); the
 * checks themselves are the library's tt_expect_* where one fits.
 */
#include "ttdb.h"

#include <stdlib.h>
#include <string.h>

/* The last run, or NULL after an error. */
static const tt_run *last_run(const char *what)
{
    if (!g_session.last_run) {
        out_error("expect %s: nothing has run yet in this session", what);
        return NULL;
    }
    return g_session.last_run;
}

/* Report a library expectation's result. */
static int verdict(int rc, const tt_error *err)
{
    if (rc == 0)
        return 0;
    out_error("expect failed: %s", err->msg[0] ? err->msg : tt_strerror(rc));
    return -1;
}

/* expect state TONIC STATE */
static int cmd_expect_state_exec(cmd_args *a)
{
    tt_catalyst *cat = cmd_cat();
    if (!cat)
        return -1;
    if (a->argc != 2)
        return cmd_usage_error(&cmd_expect_entry);
    tt_tonic *t = resolve_tonic(cat, a->argv[0]);
    if (!t || (strcmp(a->argv[1], "--") != 0 && !resolve_state(t, a->argv[1])))
        return -1;
    tt_error err = {0};
    return verdict(tt_expect_state(cat, tt_tonic_name(t), a->argv[1], &err),
                   &err);
}

/* expect probe TONIC.PROBE OP VALUE */
static int cmd_expect_probe_exec(cmd_args *a)
{
    tt_catalyst *cat = cmd_cat();
    if (!cat)
        return -1;
    int op = a->argc >= 3 ? op_parse(a->argv[1]) : -1;
    if (op < 0)
        return cmd_usage_error(&cmd_expect_entry);
    char *tname, *probe;
    if (!split_dotted(a->argv[0], &tname, &probe)) {
        return probe_name_error(a->argv[0]);
    }
    tt_tonic *t = resolve_tonic(cat, tname);
    int rc = -1;
    char err[512];
    char *text = a->argc == 3 ? cmd_arg_text(a, 2) : xstrdup(a->starts[2]);
    tt_value cur = TT_NONE, want = TT_NONE;
    if (!t || !resolve_probe(t, probe))
        goto out;
    bool have = tt_tonic_probe_read(t, probe, &cur) == 0;
    if (parse_probe_value(cat, have ? &cur : NULL, text, &want, err,
                          sizeof err) < 0) {
        out_error("%s.%s: %s", tt_tonic_name(t), probe, err);
        goto out;
    }
    if (have && value_compare(&cur, (cond_op)op, &want)) {
        rc = 0;
        goto out;
    }
    char *got = have ? fmt_value(&cur) : xstrdup("absent");
    out_error("expect failed: %s.%s is %s, expected %s %s", tt_tonic_name(t),
              probe, got, op_text((cond_op)op), text);
    free(got);
out:
    tt_value_clear(&cur);
    tt_value_clear(&want);
    free(text);
    free(tname);
    free(probe);
    return rc;
}

/* A crash that the script expects is no failure: when the last run tainted
 * the catalyst and text is found in the stop that says how (crashed,
 * exited, watchdog, interrupted), batch mode's exit status no longer
 * counts it. */
static void pin_crash(const tt_run *r, const char *text)
{
    static const char *const taints[] = {"crashed: ", "exited: ", "watchdog: ",
                                         "interrupted: "};
    if (r != g_session.crash_run || g_session.crashes == 0)
        return;
    for (size_t i = 0; i < tt_run_stop_count(r); i++) {
        const char *st = tt_run_stop_at(r, i);
        for (size_t k = 0; k < TT_COUNTOF(taints); k++)
            if (str_starts(st, taints[k]) && strstr(st, text)) {
                g_session.crashes--;
                g_session.crash_run = NULL;
                return;
            }
    }
}

/* expect stop TEXT */
static int cmd_expect_stop_exec(cmd_args *a)
{
    if (!cmd_cat())
        return -1;
    if (a->argc < 1)
        return cmd_usage_error(&cmd_expect_entry);
    const tt_run *r = last_run("stop");
    if (!r)
        return -1;
    const char *text = a->argc == 1 ? a->argv[0] : a->starts[0];
    tt_error err = {0};
    if (verdict(tt_expect_stop(r, text, &err), &err) < 0)
        return -1;
    pin_crash(r, text);
    return 0;
}

/* expect ran [TONIC.]SPARKLE */
static int cmd_expect_ran_exec(cmd_args *a)
{
    tt_catalyst *cat = cmd_cat();
    if (!cat)
        return -1;
    if (a->argc != 1)
        return cmd_usage_error(&cmd_expect_entry);
    const tt_run *r = last_run("ran");
    if (!r)
        return -1;
    char *tname = NULL, *sname = NULL;
    const char *full = NULL, *tonic = NULL;
    if (split_dotted(a->argv[0], &tname, &sname)) {
        tt_tonic *t = resolve_tonic(cat, tname);
        if (t) {
            tonic = tt_tonic_name(t);
            full = resolve_sparkle(t, sname);
        }
    } else {
        const char *sug;
        full = find_sparkle_any(cat, a->argv[0], &sug);
        if (!full)
            sparkle_any_error(cat, a->argv[0], sug);
    }
    int rc = -1;
    if (full) {
        tt_error err = {0};
        rc = verdict(tt_expect_ran(cat, r, tonic, full, &err), &err);
    }
    free(tname);
    free(sname);
    return rc;
}

char *entry_golden_text(tt_catalyst *cat, uint64_t seq)
{
    const tt_trace_entry *e = tt_trace_get(cat, seq);
    if (!e)
        return NULL;
    size_t n = tt_entry_golden_text(cat, e, NULL, 0);
    char *s = xmalloc(n + 1);
    tt_entry_golden_text(cat, e, s, n + 1);
    return s;
}

/* "#5-#9" or "#5" or "none" for the entries of run r. */
static void run_span(strbuf *b, const tt_run *r)
{
    uint64_t first = tt_run_first_seq(r), n = tt_run_entry_count(r);
    if (n == 0)
        sb_add(b, "none");
    else if (n == 1)
        sb_printf(b, "#%llu", (unsigned long long)first);
    else
        sb_printf(b, "#%llu-#%llu", (unsigned long long)first,
                  (unsigned long long)(first + n - 1));
}

/* expect trace #N TEXT: entry #N belongs to the last run and is TEXT in the
 * golden traces' form (tt_entry_golden_text: `Light.ttse__on_timer [2]`). */
static int cmd_expect_trace_exec(cmd_args *a)
{
    tt_catalyst *cat = cmd_cat();
    if (!cat)
        return -1;
    uint64_t seq;
    if (a->argc < 2 || a->argv[0][0] != '#' || !parse_seq(a->argv[0], &seq))
        return cmd_usage_error(&cmd_expect_entry);
    const tt_run *r = last_run("trace");
    if (!r)
        return -1;
    /* the rest of the line as typed, trailing blanks off */
    size_t len = strlen(a->starts[1]);
    while (len && (a->starts[1][len - 1] == ' ' || a->starts[1][len - 1] == '\t'))
        len--;
    char *want = xasprintf("%.*s", (int)len, a->starts[1]);
    uint64_t first = tt_run_first_seq(r), n = tt_run_entry_count(r);
    int rc = -1;
    if (seq < first || seq >= first + n) {
        strbuf span = {0};
        run_span(&span, r);
        out_error("expect failed: the last run has no entry #%llu (its entries: %s); "
                  "expected #%llu %s", (unsigned long long)seq, span.s,
                  (unsigned long long)seq, want);
        sb_free(&span);
    } else {
        char *got = entry_golden_text(cat, seq);
        if (!got)
            out_error("expect trace: entry #%llu was dropped by the trace ring "
                      "(`set trace-ring 0`, then `restart`)", (unsigned long long)seq);
        else if (strcmp(got, want) != 0)
            out_error("expect failed: entry #%llu is %s, expected %s",
                      (unsigned long long)seq, got, want);
        else
            rc = 0;
        free(got);
    }
    free(want);
    return rc;
}

/* expect entries N: the last run executed N entries (extras included). */
static int cmd_expect_entries_exec(cmd_args *a)
{
    tt_catalyst *cat = cmd_cat();
    if (!cat)
        return -1;
    long want;
    if (a->argc != 1 || !parse_long(a->argv[0], &want) || want < 0)
        return cmd_usage_error(&cmd_expect_entry);
    const tt_run *r = last_run("entries");
    if (!r)
        return -1;
    uint64_t first = tt_run_first_seq(r), n = tt_run_entry_count(r);
    if (n == (uint64_t)want)
        return 0;
    strbuf b = {0};
    sb_printf(&b, "expect failed: the last run has %llu entr%s (", (unsigned long long)n,
              n == 1 ? "y" : "ies");
    run_span(&b, r);
    sb_printf(&b, "), expected %ld", want);
    if (n > (uint64_t)want) {
        char *extra = entry_golden_text(cat, first + (uint64_t)want);
        sb_printf(&b, "; the first extra one is #%llu %s",
                  (unsigned long long)(first + (uint64_t)want),
                  extra ? extra : "(dropped)");
        free(extra);
    }
    out_error("%s", b.s);
    sb_free(&b);
    return -1;
}

static const cmd_entry cmd_expect_state_entry = {
    .name = "state",
    .usage = "expect state TONIC STATE",
    .help = "The tonic is in the state now (-- for none).",
    .exec = cmd_expect_state_exec,
    .complete = CC_TONIC_STATE,
};
static const cmd_entry cmd_expect_probe_entry = {
    .name = "probe",
    .usage = "expect probe TONIC.PROBE OP VALUE",
    .help = "The probe's value now compares so with VALUE (OP one of == != "
            "< <= > >=; VALUE read as the probe's type).",
    .exec = cmd_expect_probe_exec,
    .complete = CC_DOTTED_PROBE,
};
static const cmd_entry cmd_expect_stop_entry = {
    .name = "stop",
    .usage = "expect stop TEXT",
    .help = "A stop condition of the last run contains TEXT "
            "(\"contract_met\", \"breakpoint 2\", \"idle\").",
    .exec = cmd_expect_stop_exec,
};
static const cmd_entry cmd_expect_ran_entry = {
    .name = "ran",
    .usage = "expect ran [TONIC.]SPARKLE",
    .help = "The last run executed the sparkle (on the tonic, or on any).",
    .exec = cmd_expect_ran_exec,
    .complete = CC_DOTTED_SPARKLE,
};
static const cmd_entry cmd_expect_trace_entry = {
    .name = "trace",
    .usage = "expect trace #N TONIC.SPARKLE [ARGS]",
    .help = "Entry #N belongs to the last run and is that sparkle with those "
            "arguments, written as the golden traces write entries (arguments as "
            "a JSON list, tonics and timers by name, no times): "
            "`expect trace #7 Light.ttse__on_timer [{\"id\": 2, \"name\": "
            "\"02.ttTimerSingleShot\"}]`. `save-test -trace` writes one per entry.",
    .exec = cmd_expect_trace_exec,
};
static const cmd_entry cmd_expect_entries_entry = {
    .name = "entries",
    .usage = "expect entries N",
    .help = "The last run executed N entries (the extra sparkles of a state "
            "change included); when it has more, the first extra one is named.",
    .exec = cmd_expect_entries_exec,
};
static const cmd_entry *const expect_subs[] = {
    &cmd_expect_state_entry, &cmd_expect_probe_entry, &cmd_expect_stop_entry,
    &cmd_expect_ran_entry, &cmd_expect_trace_entry, &cmd_expect_entries_entry, NULL};

const cmd_entry cmd_expect_entry = {
    .name = "expect",
    .usage = "expect state TONIC STATE | probe TONIC.PROBE OP VALUE | "
             "stop TEXT | ran [TONIC.]SPARKLE | trace #N TONIC.SPARKLE [ARGS] | "
             "entries N",
    .help = "Check the session, so that a script is a test. A failed "
            "expectation prints `expect failed: ...` with what was found "
            "instead and fails the command: in batch mode the script stops "
            "(unless -k, which goes on) and the exit status is 1.",
    .flags = CMD_SESSION,
    .subs = expect_subs,
};
