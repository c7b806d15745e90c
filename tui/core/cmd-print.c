/*
 * cmd-print.c: gdb's `print` (`p`) and `set var` for tonics.
 *
 *     print TONIC          state, base, infusions and every probe
 *     print TONIC.PROBE    one probe's value
 *     print #N             trace entry N in full (JSON, indented)
 *     set var TONIC.FIELD = VALUE
 *
 * `set var` writes a field probe (a TT_PROBE struct field), the value read
 * by the field's type as `call` reads arguments; computed probes and
 * unknown fields are refused with one line.  Like `call`, the write is an
 * input of the session: the journal keeps it (replays, save-test).
 */
#include "ttdb.h"
#include "record.h"

#include <stdlib.h>
#include <string.h>

/* Trace entry seq, or NULL after an error naming what the trace holds. */
const tt_trace_entry *trace_entry(tt_catalyst *cat, long seq)
{
    const tt_trace_entry *e = tt_trace_get(cat, (uint64_t)seq);
    if (e)
        return e;
    if (tt_trace_last_seq(cat) < tt_trace_first_seq(cat))
        out_error("no trace entry #%ld: the trace is empty (step or "
                  "continue first)", seq);
    else
        out_error("no trace entry #%ld (the trace holds #%llu-#%llu)", seq,
                  (unsigned long long)tt_trace_first_seq(cat),
                  (unsigned long long)tt_trace_last_seq(cat));
    return NULL;
}

/* Entry e (number seq) of cat as indented JSON. */
static int print_json(tt_catalyst *cat, const tt_trace_entry *e, long seq)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) {
        out_error("out of memory");
        return -1;
    }
    tt_entry_write_json(cat, e, m, TT_JSON_EXTENSIONS);
    fclose(m);
    char *pretty = json_reindent(buf);
    out_printf("#%ld = %s\n", seq, pretty ? pretty : buf);
    free(pretty);
    free(buf);
    return 0;
}

/* The entry in a replay to it (side_replay): the trace ring dropped it. */
static int print_side(tt_catalyst *side, void *ud)
{
    long seq = *(const long *)ud;
    const tt_trace_entry *e = trace_entry(side, seq);
    return e ? print_json(side, e, seq) : -1;
}

/* print #N: the entry as indented JSON; one the trace ring dropped from a
 * replay to it in a second Distiller (the session stays where it is). */
static int print_entry(tt_catalyst *cat, const char *word)
{
    long seq;
    if (!parse_long(word + 1, &seq) || seq < 1) {
        out_error("\"%s\": a trace entry is #N (N from 1)", word);
        return -1;
    }
    if (!g_session.recorded && (uint64_t)seq < tt_trace_first_seq(cat) &&
        (uint64_t)seq <= tt_trace_last_seq(cat))
        return side_replay("print", (uint64_t)seq, g_session.trace_ring, NULL, print_side,
                           &seq) < 0 ? -1 : 0;
    const tt_trace_entry *e = trace_entry(cat, seq);
    return e ? print_json(cat, e, seq) : -1;
}

/* One probe as "NAME = VALUE" (indent first). */
static void print_probe(tt_tonic *t, const char *probe, const char *prefix)
{
    tt_value v = TT_NONE;
    if (tt_tonic_probe_read(t, probe, &v) < 0) {
        out_printf("%s%s (absent)\n", prefix, probe);
        return;
    }
    char *s = fmt_value(&v);
    out_printf("%s%s = %s\n", prefix, probe, s);
    free(s);
    tt_value_clear(&v);
}

/* print TONIC */
static void print_tonic(tt_tonic *t)
{
    tt_tonic *base = tt_tonic_base(t);
    int id = tt_tonic_id(t);
    out_printf("%s = {class %s, id %d%s, state %s%s}\n", tt_tonic_name(t),
               tt_tonic_class_name(t), id, id < 0 ? " (finished)" : "",
               tt_tonic_state_name(t),
               tt_tonic_finishing(t) ? ", finishing" : "");
    out_printf("  base: %s\n", base ? tt_tonic_name(base) : "(none)");
    size_t n = tt_tonic_infusion_count(t);
    strbuf b = {0};
    for (size_t i = 0; i < n; i++) {
        tt_tonic *u = tt_tonic_infusion(t, i);
        if (u)
            sb_printf(&b, "%s%s", b.len ? ", " : "", tt_tonic_name(u));
    }
    out_printf("  infusions: %s\n", b.s ? b.s : "(none)");
    sb_free(&b);
    size_t np = tt_tonic_probe_count(t);
    out_printf("  probes:%s\n", np ? "" : " (none)");
    for (size_t i = 0; i < np; i++)
        print_probe(t, tt_tonic_probe_at(t, i), "    ");
}

/* print EXPR */
static int cmd_print_exec(cmd_args *a)
{
    tt_catalyst *cat = cmd_cat();
    if (!cat)
        return -1;
    if (a->argc != 1)
        return cmd_usage_error(&cmd_print_entry);
    const char *w = a->argv[0];
    if (w[0] == '#')
        return print_entry(cat, w);
    if (g_session.attached) { /* the app's report, not the trace's guess */
        int rc = attach_tonic_print(w);
        if (rc == 0)
            return 0;
        if (strchr(w, '.') && rc == 1) {
            out_error("print %s: a live app sends no probe values; `print TONIC` "
                      "shows what it reports of a tonic", w);
            return -1;
        }
    }
    tt_tonic *t = find_tonic(cat, w, NULL);
    if (t) {
        print_tonic(t);
        return 0;
    }
    char *tname, *probe;
    if (!split_dotted(w, &tname, &probe)) {
        if (probe_named(w, false)) /* print floor: whose? (not a tonic) */
            return probe_name_error(w);
        resolve_tonic(cat, w); /* prints the error */
        return -1;
    }
    t = resolve_tonic(cat, tname);
    int rc = -1;
    if (t && resolve_probe(t, probe)) {
        char *name = xasprintf("%s.", tt_tonic_name(t));
        print_probe(t, probe, name);
        free(name);
        record_printed(cat, t, probe); /* save-test checks it too */
        rc = 0;
    }
    free(tname);
    free(probe);
    return rc;
}

const cmd_entry cmd_print_entry = {
    .name = "print",
    .aliases = "p inspect",
    .usage = "print TONIC | TONIC.PROBE | #N",
    .help = "Show a tonic (class, id, state, base, infusions and every "
            "probe), one probe's value, or trace entry N in full (JSON).",
    .exec = cmd_print_exec,
    .complete = CC_DOTTED_PROBE,
    .flags = CMD_SESSION,
};

/* set var TONIC.FIELD = VALUE (the words after `var`). */
int setvar_exec(cmd_args *a)
{
    tt_catalyst *cat = cmd_cat();
    if (!cat)
        return -1;
    if (g_session.attached) {
        out_error("%s", cmd_nothing_runs());
        return -1;
    }
    if (g_session.recorded) {
        out_error("%s: set var changes a probe of a running app; a recorded trace only "
                  "shows what its probes were (`print #N`)",
                  tt_strerror(TT_ERECORDED));
        return -1;
    }
    /* TONIC.FIELD = VALUE, or TONIC.FIELD=VALUE */
    char *lhs = NULL, *text = NULL;
    const char *eq = a->argc >= 1 ? strchr(a->argv[0], '=') : NULL;
    if (eq && eq[1]) {
        lhs = xstrdup(a->argv[0]);
        lhs[eq - a->argv[0]] = '\0';
        text = xstrdup(eq + 1);
    } else if (a->argc >= 3 && strcmp(a->argv[1], "=") == 0) {
        lhs = xstrdup(a->argv[0]);
        text = a->argc == 3 ? cmd_arg_text(a, 2) : xstrdup(a->starts[2]);
    } else {
        out_error("wrong arguments; usage: set var TONIC.FIELD = VALUE");
        return -1;
    }
    char *tname = NULL, *field = NULL;
    int rc = -1;
    tt_value v = TT_NONE;
    if (!split_dotted(lhs, &tname, &field)) {
        out_error("\"%s\": name the field as TONIC.FIELD", lhs);
        goto out;
    }
    tt_tonic *t = resolve_tonic(cat, tname);
    if (!t || !resolve_probe(t, field))
        goto out;
    tt_type type;
    if (tt_tonic_probe_field_type(t, field, &type) < 0) {
        out_error("%s.%s is computed by the app, not a field: it cannot be "
                  "set", tt_tonic_name(t), field);
        goto out;
    }
    if (type == TT_T_STR) {
        out_error("%s.%s is a char * field: its memory belongs to the app, "
                  "so ttdb cannot set it", tt_tonic_name(t), field);
        goto out;
    }
    tt_error err = {0};
    if (tt_value_parse(cat, type, text, &v, &err) < 0) {
        out_error("%s.%s (%s): %s", tt_tonic_name(t), field,
                  tt_type_name(type), err.msg[0] ? err.msg : "bad value");
        goto out;
    }
    int r = tt_tonic_probe_write(t, field, &v);
    if (r < 0) {
        out_error("%s.%s: %s", tt_tonic_name(t), field, tt_strerror(r));
        goto out;
    }
    char *in = xasprintf("set var %s.%s = %s", tt_tonic_name(t), field,
                         text);
    journal_input(in);
    free(in);
    char *s = fmt_value(&v);
    out_printf("%s.%s = %s\n", tt_tonic_name(t), field, s);
    free(s);
    rc = 0;
out:
    tt_value_clear(&v);
    free(tname);
    free(field);
    free(lhs);
    free(text);
    return rc;
}
