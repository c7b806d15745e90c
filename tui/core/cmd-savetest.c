/*
 * cmd-savetest.c: `save-test FILE.ttdb|FILE.c [-last N] [-no-probes]
 * [-trace]` turns the session so far into a regression test.
 *
 * Both forms replay the record (record.c): the inputs at their points, the
 * commands that shape the runs, and each run; after each run they check
 * what the session showed when it stopped: its stop condition, the state of
 * every tonic that changed, the displayed, watched and printed probes.  FILE.ttdb is a ttdb script
 * (`expect` lines); FILE.c a cmocka program against the library (the
 * tt_expect_* helpers), one test function per run.  Runs before the last N
 * are replayed without checks.  -trace also pins every entry of each run
 * (tonic, sparkle, arguments: the golden traces' normalised form).
 */
#include "record.h"
#include "ttdb-plugin.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct save_opts {
    const char *path;
    size_t last;       /* 0 = every run */
    bool no_probes;
    bool trace;
    size_t first_pinned; /* run number (1-based) of the first checked run */
    char *module;      /* absolute path of the app */
    char *base;        /* file name without folder and extension */
    rec_step *steps;   /* record_steps() */
    size_t nsteps;
} save_opts;

/* A C string literal of s into b. */
static void c_string(strbuf *b, const char *s)
{
    sb_add(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': sb_add(b, "\\\""); break;
        case '\\': sb_add(b, "\\\\"); break;
        case '\n': sb_add(b, "\\n"); break;
        case '\t': sb_add(b, "\\t"); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                sb_printf(b, "\\%03o", *p);
            else
                sb_addn(b, (const char *)p, 1);
        }
    }
    sb_add(b, "\"");
}

/* A C identifier made of the words of a command line ("until_state_Light_red"). */
static void c_ident(strbuf *b, const char *line)
{
    size_t n = 0;
    bool sep = false;
    for (const char *p = line; *p && n < 40; p++) {
        if (isalnum((unsigned char)*p)) {
            if (sep && n)
                sb_add(b, "_"), n++;
            sb_addn(b, p, 1);
            n++;
            sep = false;
        } else {
            sep = true;
        }
    }
}

/* A value as a C expression for a tt_value; -1 when it has none. */
static int c_value(strbuf *b, const tt_value *v)
{
    switch (v->type) {
    case TT_T_NONE: sb_add(b, "TT_NONE"); return 0;
    case TT_T_INT: sb_printf(b, "TT_INT(%lld)", (long long)v->u.i); return 0;
    case TT_T_DOUBLE: sb_printf(b, "TT_DOUBLE(%.17g)", v->u.d); return 0;
    case TT_T_BOOL: sb_printf(b, "TT_BOOL(%s)", v->u.b ? "true" : "false"); return 0;
    case TT_T_STR:
        sb_add(b, "TT_STR(");
        c_string(b, v->u.s ? v->u.s : "");
        sb_add(b, ")");
        return 0;
    case TT_T_TONIC:
        if (!v->u.tonic) {
            sb_add(b, "TT_TONIC(NULL)");
            return 0;
        }
        sb_add(b, "TT_TONIC(tonic(");
        c_string(b, tt_tonic_name(v->u.tonic));
        sb_add(b, "))");
        return 0;
    case TT_T_PTR:
        if (!v->u.p) {
            sb_add(b, "TT_PTR(NULL)");
            return 0;
        }
        return -1;
    default:
        return -1;
    }
}

/* "4 sparkles (#8-#11), time 0s -> 10s" for a run. */
static void run_summary(strbuf *b, const rec_run *r)
{
    if (r->count == 0)
        sb_add(b, "no sparkle ran");
    else if (r->count == 1)
        sb_printf(b, "1 sparkle (#%llu)", (unsigned long long)r->first_seq);
    else
        sb_printf(b, "%llu sparkles (#%llu-#%llu)", (unsigned long long)r->count,
                  (unsigned long long)r->first_seq,
                  (unsigned long long)(r->first_seq + r->count - 1));
    if (r->vt_end != r->vt_start)
        sb_printf(b, ", time %gs -> %gs", r->vt_start, r->vt_end);
    else
        sb_printf(b, ", time %gs", r->vt_end);
}

/* The stop conditions joined with ", ". */
static void stops_joined(strbuf *b, const rec_run *r)
{
    for (size_t i = 0; i < r->stops.n; i++)
        sb_printf(b, "%s%s", i ? ", " : "", r->stops.v[i]);
}

/* The entries of a run in the golden form; false (error printed) when the
 * trace ring dropped some. */
static bool run_entries(tt_catalyst *cat, const rec_run *r, size_t runno, strvec *out)
{
    for (uint64_t i = 0; i < r->count; i++) {
        char *s = entry_golden_text(cat, r->first_seq + i);
        if (!s) {
            out_error("save-test -trace: entry #%llu of run %zu was dropped by the "
                      "trace ring (`set trace-ring 0`, then `restart`)",
                      (unsigned long long)(r->first_seq + i), runno);
            return false;
        }
        sv_add(out, s);
        free(s);
    }
    return true;
}

/* The `sparkle` command that makes the Distiller call of run r, for an until
 * that was not reached (replayed as `until`, it would fail the script).
 * False when the call cannot be written on one line (a contract with a
 * single quote). */
static bool raw_sparkle(strbuf *b, const rec_run *r)
{
    if (r->contract && strchr(r->contract, '\''))
        return false;
    sb_printf(b, "sparkle");
    if (r->sparkle_count)
        sb_printf(b, " count=%ld", r->sparkle_count);
    if (r->timeout)
        sb_printf(b, " timeout=%.17g", r->timeout);
    if (r->till_state_in)
        sb_printf(b, " till_state_in=%s", r->till_state_in);
    if (r->till_sparkle_in)
        sb_printf(b, " till_sparkle_in=%s", r->till_sparkle_in);
    if (r->contract)
        sb_printf(b, " contract='%s'", r->contract);
    return true;
}

/* ===================================================================== */
/* FILE.ttdb                                                             */
/* ===================================================================== */

/* The ttdb script; false (error printed) when it cannot be written. */
static bool write_ttdb(FILE *f, tt_catalyst *cat, const save_opts *o)
{
    size_t nruns = record_run_count();
    fprintf(f, "# %s.ttdb: a regression test saved by ttdb's `save-test` from a session\n"
               "# on %s (%zu run%s).\n"
               "# It replays the session's commands, and after each stop it checks what\n"
               "# the session showed:\n",
            o->base, o->module, nruns, nruns == 1 ? "" : "s");
    if (o->trace)
        fprintf(f, "#   every entry of the run, in order       (expect trace, expect entries)\n");
    fprintf(f, "#   why the run stopped                    (expect stop)\n"
               "#   the state of every tonic that changed  (expect state)\n");
    if (!o->no_probes)
        fprintf(f, "#   the displayed, watched and printed probes (expect probe)\n");
    fprintf(f, "# Run it with\n"
               "#   ttdb -batch -x %s.ttdb %s\n"
               "# Exit status 0: the app behaves as it did; 1: the first `expect failed:`\n"
               "# line names the difference.\n",
            o->base, o->module);
    if (o->first_pinned > 1)
        fprintf(f, "# Runs 1-%zu are replayed without checks (-last %zu).\n",
                o->first_pinned - 1, o->last);
    /* (set compat python and set stop-on-error on are the journal's first
     * inputs: they come with the others) */
    const rec_settings *st = &g_record.start;
    if (st->watchdog || st->wall_guard || !st->stop_on_error) {
        fprintf(f, "\n# The Distiller's settings when the session started.\n");
        if (!st->stop_on_error)
            fprintf(f, "set stop-on-error off\n");
        if (st->watchdog)
            fprintf(f, "set watchdog %.15g\n", st->watchdog);
        if (st->wall_guard)
            fprintf(f, "set wall-guard %.15g\n", st->wall_guard);
    }
    size_t runno = 0;
    for (size_t i = 0; i < o->nsteps; i++) {
        const rec_step *s = &o->steps[i];
        if (s->kind != REC_RUN) {
            if (i == 0 || o->steps[i - 1].kind == REC_RUN)
                fprintf(f, "\n");
            fprintf(f, "%s\n", s->line);
            continue;
        }
        const rec_run *r = s->run;
        runno++;
        strbuf sum = {0}, st = {0};
        run_summary(&sum, r);
        stops_joined(&st, r);
        fprintf(f, "%s# run %zu stopped: %s; %s\n",
                i == 0 || o->steps[i - 1].kind == REC_RUN ? "\n" : "", runno,
                st.s ? st.s : "?", sum.s);
        strbuf raw = {0};
        if (r->not_reached && raw_sparkle(&raw, r))
            fprintf(f, "# `%s` was not reached: the same run as the Distiller "
                       "call it made\n%s\n", s->line, raw.s);
        else
            fprintf(f, "%s\n", s->line);
        sb_free(&raw);
        sb_free(&sum);
        if (runno < o->first_pinned) {
            sb_free(&st);
            continue;
        }
        sb_free(&st);
        if (o->trace) {
            strvec lines = {0};
            if (!run_entries(cat, r, runno, &lines)) {
                sv_free(&lines);
                return false;
            }
            for (size_t k = 0; k < lines.n; k++)
                fprintf(f, "expect trace #%llu %s\n",
                        (unsigned long long)(r->first_seq + k), lines.v[k]);
            fprintf(f, "expect entries %zu\n", lines.n);
            sv_free(&lines);
        }
        for (size_t k = 0; k < r->stops.n; k++)
            fprintf(f, "expect stop %s\n", r->stops.v[k]);
        for (size_t k = 0; k < r->nstates; k++)
            fprintf(f, "expect state %s %s\n", r->states[k].name, r->states[k].value);
        if (!o->no_probes)
            for (size_t k = 0; k < r->nprobes; k++)
                fprintf(f, "expect probe %s == %s\n", r->probes[k].name,
                        r->probes[k].value);
    }
    return true;
}

/* ===================================================================== */
/* FILE.c                                                                */
/* ===================================================================== */

/* The prologue: what the file is, how to build and run it, the helpers. */
static void c_prologue(FILE *f, const save_opts *o, size_t nruns)
{
    strbuf mod = {0};
    c_string(&mod, o->module);
    fprintf(f,
            "/*\n"
            " * %s.c: a regression test saved by ttdb's `save-test` from a session on\n"
            " * %s\n"
            " * (%zu run%s).\n"
            " *\n"
            " * Each test function replays one run of the session, in order: the inputs\n"
            " * given before it, then the same Distiller call (stop options, contract).\n"
            " * Then it checks what the session showed when the run stopped: the stop\n"
            " * condition, the state of every tonic that changed%s%s.\n"
            " * A run is skipped when the one before it failed.\n"
            " *\n"
            " * Build and run:\n"
            " *   cc -o %s %s.c $(pkg-config --cflags --libs tasktonic cmocka)\n"
            " *   ./%s [MODULE]     (default: the module the session ran)\n"
            " */\n"
            "#include <setjmp.h>\n"
            "#include <stdarg.h>\n"
            "#include <stdbool.h>\n"
            "#include <stddef.h>\n"
            "#include <stdint.h>\n"
            "#include <stdio.h>\n"
            "\n"
            "#include <cmocka.h>\n"
            "#include <tasktonic.h>\n"
            "\n"
            "/* The module the session ran; the first argument replaces it. */\n"
            "static const char *module = %s;\n"
            "\n"
            "/* The app in its Distiller, shared by the runs. */\n"
            "static tt_app *app;\n"
            "static tt_catalyst *cat;\n"
            "static int runs_done; /* the last run that passed */\n"
            "static tt_error err;  /* what the last tt_expect_* found */\n"
            "\n"
            "/* Fail the test with the helper's message when an expectation does not hold. */\n"
            "#define EXPECT(call) do { if ((call) < 0) fail_msg(\"%%s\", err.msg); } while (0)\n"
            "/* Fail the test when a library call returns an error. */\n"
            "#define CHECK(call)                                                      \\\n"
            "    do {                                                                 \\\n"
            "        int rc_ = (call);                                                \\\n"
            "        if (rc_ < 0)                                                     \\\n"
            "            fail_msg(\"%%s: %%s\", #call, tt_strerror(rc_));                  \\\n"
            "    } while (0)\n"
            "\n"
            "/* The tonic named name; the test fails when there is none. */\n"
            "static inline tt_tonic *tonic(const char *name)\n"
            "{\n"
            "    tt_tonic *t = tt_tonic_by_name(cat, name);\n"
            "    if (!t)\n"
            "        fail_msg(\"no tonic named \\\"%%s\\\"\", name);\n"
            "    return t;\n"
            "}\n"
            "\n"
            "/* One Distiller call with the stop options and the contract (JSON or\n"
            " * NULL): tt_distiller_sparkle, or with finish tt_distiller_finish (which\n"
            " * first queues ttsc__finish everywhere, as finish_distiller()). */\n"
            "static const tt_run *distill(tt_sparkle_args args, const char *contract, bool finish)\n"
            "{\n"
            "    tt_contract *c = NULL;\n"
            "    const tt_run *run = NULL;\n"
            "    if (contract)\n"
            "        EXPECT(tt_contract_parse(contract, \"contract\", &c, &err));\n"
            "    args.contract = c;\n"
            "    int rc = finish ? tt_distiller_finish(cat, &args, &run)\n"
            "                    : tt_distiller_sparkle(cat, &args, &run);\n"
            "    tt_contract_free(c);\n"
            "    if (rc < 0)\n"
            "        fail_msg(\"the Distiller refused the run: %%s\", tt_strerror(rc));\n"
            "    return run;\n"
            "}\n"
            "\n"
            "/* Run the app: tt_distiller_sparkle. */\n"
            "static inline const tt_run *sparkle(tt_sparkle_args args, const char *contract)\n"
            "{\n"
            "    return distill(args, contract, false);\n"
            "}\n"
            "\n"
            "/* Finish every tonic, then run: tt_distiller_finish. */\n"
            "static inline const tt_run *finish(tt_sparkle_args args, const char *contract)\n"
            "{\n"
            "    return distill(args, contract, true);\n"
            "}\n"
            "\n"
            "/* Run n continues the session where run n - 1 left it. */\n"
            "static void begin(int n)\n"
            "{\n"
            "    if (runs_done != n - 1)\n"
            "        skip();\n"
            "}\n",
            o->base, o->module, nruns, nruns == 1 ? "" : "s",
            o->no_probes ? "" : ", the displayed, watched and printed probes",
            o->trace ? " and every entry of the run" : "", o->base, o->base, o->base,
            mod.s);
    sb_free(&mod);
}

/* `call TONIC SPARKLE ARGS...` as a C statement into b: the arguments read
 * by the sparkle's parameter types, as the command read them. */
static bool c_call_input(strbuf *b, tt_catalyst *cat, const cmd_args *w, const char *line)
{
    tt_tonic *t = w->argc >= 3 ? find_tonic(cat, w->argv[1], NULL) : NULL;
    const char *sp = t ? resolve_sparkle(t, w->argv[2]) : NULL;
    const tt_type *types = NULL;
    int min = 0, n = sp ? tt_tonic_sparkle_sig(t, sp, &types, &min) : -1;
    if (n < 0 || w->argc - 3 > n) {
        out_error("save-test: `%s`: cannot read that call again", line);
        return false;
    }
    sb_add(b, "CHECK(tt_post_from(tonic(");
    c_string(b, tt_tonic_name(t));
    sb_add(b, "), ");
    c_string(b, sp);
    int given = w->argc - 3;
    if (given == 0)
        sb_add(b, ", NULL, 0");
    else
        sb_add(b, ", (tt_value[]){");
    for (int i = 0; i < given; i++) {
        tt_value v = TT_NONE;
        tt_error err = {0};
        char *text = cmd_arg_text(w, i + 3);
        int rc = tt_value_parse(cat, types[i], text, &v, &err);
        free(text);
        if (rc == 0 && i)
            sb_add(b, ", ");
        if (rc < 0 || c_value(b, &v) < 0) {
            out_error("save-test: `%s`: argument %d (%s) has no C form; write that "
                      "call by hand", line, i + 1, tt_type_name(types[i]));
            tt_value_clear(&v);
            return false;
        }
        tt_value_clear(&v);
    }
    if (given)
        sb_printf(b, "}, %d", given);
    sb_add(b, ", \"ttdb\"));");
    return true;
}

/* An input of the journal as C statements (indented); false when it has no
 * C form (error printed). */
/* `set var TONIC.FIELD = VALUE` (as journaled) as tt_tonic_probe_write. */
static bool c_setvar_input(strbuf *b, tt_catalyst *cat, const cmd_args *w,
                           const char *line)
{
    char *tname, *field;
    if (!split_dotted(w->argv[2], &tname, &field))
        return false;
    tt_tonic *t = find_tonic(cat, tname, NULL);
    tt_type type;
    tt_value v = TT_NONE;
    tt_error err = {0};
    bool ok = t && tt_tonic_probe_field_type(t, field, &type) == 0 &&
              tt_value_parse(cat, type, w->argv[4], &v, &err) == 0;
    if (ok) {
        sb_add(b, "CHECK(tt_tonic_probe_write(tonic(");
        c_string(b, tt_tonic_name(t));
        sb_add(b, "), ");
        c_string(b, field);
        sb_add(b, ", &");
        ok = c_value(b, &v) == 0;
        sb_add(b, "));");
    }
    if (!ok)
        out_error("save-test: `%s`: no C form for it; save a FILE.ttdb instead",
                  line);
    tt_value_clear(&v);
    free(tname);
    free(field);
    return ok;
}

/* `set NAME VALUE` of a Distiller setting that changes the runs (watchdog,
 * stop-on-error, compat) as the library call; 0 when it is no such setting
 * (timeout and the like: the runs' own arguments), -1 for a bad value. */
static int c_setting(strbuf *b, const cmd_args *w)
{
    const char *name = w->argc == 3 && strcmp(w->argv[0], "set") == 0
                           ? options_name(w->argv[1]) : NULL;
    const char *v = w->argc == 3 ? w->argv[2] : "";
    double secs;
    bool on;
    if (!name)
        return 0;
    if (strcmp(name, "watchdog") == 0 && parse_double(v, &secs))
        sb_printf(b, "CHECK(tt_distiller_set_watchdog(cat, %.17g));", secs);
    else if (strcmp(name, "stop-on-error") == 0 && parse_bool(v, &on))
        sb_printf(b, "CHECK(tt_distiller_set_stop_on_error(cat, %s));",
                  on ? "true" : "false");
    else if (strcmp(name, "compat") == 0 && strcmp(v, "native") == 0)
        sb_add(b, "CHECK(tt_catalyst_set_compat(cat, TT_COMPAT_NATIVE));");
    else if (strcmp(name, "compat") == 0 && strcmp(v, "python") == 0)
        sb_add(b, "CHECK(tt_catalyst_set_compat(cat, TT_COMPAT_PYTHON));");
    else if (strcmp(name, "watchdog") == 0 || strcmp(name, "stop-on-error") == 0 ||
             strcmp(name, "compat") == 0)
        return -1;
    else
        return 0;
    return 1;
}

static bool c_input(FILE *f, tt_catalyst *cat, const rec_step *s)
{
    if (s->kind == REC_RUN)
        return true;
    cmd_args w;
    if (cmd_split(s->line, &w) < 0)
        return false;
    strbuf b = {0};
    double secs;
    bool ok = true;
    int setting = c_setting(&b, &w);
    if (setting < 0) {
        out_error("save-test: `%s`: not a value ttdb takes", s->line);
        ok = false;
    } else if (setting > 0) {
        /* written below */
    } else if (s->kind == REC_COMMAND && w.argc >= 1 && strcmp(w.argv[0], "goto") == 0) {
        out_error("save-test: the session went back into a run and ran on from there "
                  "(`%s`); a FILE.c cannot go back in time: save a FILE.ttdb", s->line);
        ok = false;
    } else if (s->kind == REC_COMMAND) {
        /* breakpoints, watches, the timeout: the Distiller calls below
         * stop where they did */
    } else if (w.argc >= 1 && strcmp(w.argv[0], "call") == 0) {
        ok = c_call_input(&b, cat, &w, s->line);
    } else if (w.argc == 2 && strcmp(w.argv[0], "advance") == 0 &&
               parse_double(w.argv[1], &secs)) {
        sb_printf(&b, "CHECK(tt_distiller_advance(cat, %.17g));", secs);
    } else if (w.argc == 2 && strcmp(w.argv[0], "finish") == 0) {
        tt_tonic *t = find_tonic(cat, w.argv[1], NULL);
        sb_add(&b, "CHECK(tt_finish_from_base(tonic(");
        c_string(&b, t ? tt_tonic_name(t) : w.argv[1]);
        sb_add(&b, ")));");
    } else if (w.argc == 5 && strcmp(w.argv[0], "set") == 0 &&
               strcmp(w.argv[3], "=") == 0) {
        ok = c_setvar_input(&b, cat, &w, s->line);
    } else {
        out_error("save-test: the input `%s` has no C form yet; save a FILE.ttdb "
                  "instead", s->line);
        ok = false;
    }
    if (ok && b.s)
        fprintf(f, "    /* %s */\n    %s\n", s->line, b.s);
    sb_free(&b);
    cmd_args_free(&w);
    return ok;
}

/* The Distiller call of a run as a C statement `run = sparkle(...)`. */
static void c_call(FILE *f, const rec_run *r, bool assign)
{
    strbuf b = {0};
    if (r->ttdb_stop) {
        sb_printf(&b, ".sparkle_count = %llu", (unsigned long long)(r->count ? r->count : 1));
    } else {
        if (r->sparkle_count)
            sb_printf(&b, ".sparkle_count = %ld", r->sparkle_count);
        if (r->timeout)
            sb_printf(&b, "%s.timeout = %.17g", b.len ? ", " : "", r->timeout);
        if (r->till_state_in) {
            sb_printf(&b, "%s.till_state_in = ", b.len ? ", " : "");
            c_string(&b, r->till_state_in);
        }
        if (r->till_sparkle_in) {
            sb_printf(&b, "%s.till_sparkle_in = ", b.len ? ", " : "");
            c_string(&b, r->till_sparkle_in);
        }
    }
    strbuf c = {0};
    if (r->contract && !r->ttdb_stop)
        c_string(&c, r->contract);
    else
        sb_add(&c, "NULL");
    const char *lhs = assign ? "const tt_run *run = " : "";
    const char *fn = r->finish ? "finish" : "sparkle";
    /* the contract on a line of its own when the call is long */
    int head = 4 + (int)strlen(lhs) + (int)strlen(fn) + 1;
    if (head + 18 + (int)(b.s ? b.len : 1) + (int)c.len + 3 > 90)
        fprintf(f, "    %s%s((tt_sparkle_args){%s},\n%*s%s);\n", lhs, fn, b.s ? b.s : "0",
                head, "", c.s);
    else
        fprintf(f, "    %s%s((tt_sparkle_args){%s}, %s);\n", lhs, fn, b.s ? b.s : "0", c.s);
    sb_free(&b);
    sb_free(&c);
}

/* One checked run as a test function; its name into name. */
static bool c_run(FILE *f, tt_catalyst *cat, const save_opts *o, const rec_step *steps,
                  size_t from, size_t to, size_t runno, strbuf *name)
{
    const rec_step *s = &steps[to];
    const rec_run *r = s->run;
    sb_printf(name, "run_%zu_", runno);
    c_ident(name, s->line);
    strbuf sum = {0}, st = {0};
    run_summary(&sum, r);
    stops_joined(&st, r);
    fprintf(f, "\n/* Run %zu: `%s`.\n * The session stopped on %s after %s. */\n"
               "static void %s(void **state)\n{\n    (void)state;\n    begin(%zu);\n",
            runno, s->line, st.s ? st.s : "?", sum.s, name->s, runno);
    sb_free(&sum);
    for (size_t i = from; i < to; i++)
        if (!c_input(f, cat, &steps[i])) {
            sb_free(&st);
            return false;
        }
    if (r->ttdb_stop)
        fprintf(f, "    /* ttdb stopped this run (%s): run the same %llu sparkles\n"
                   "     * and check that the last one is the same. */\n",
                st.s ? st.s : "", (unsigned long long)r->count);
    sb_free(&st);
    c_call(f, r, true);
    if (o->trace) {
        strvec lines = {0};
        if (!run_entries(cat, r, runno, &lines)) {
            sv_free(&lines);
            return false;
        }
        fprintf(f, "    /* Every entry, in order: tonic, sparkle, arguments. */\n"
                   "    static const char *const trace[] = {\n");
        for (size_t k = 0; k < lines.n; k++) {
            strbuf b = {0};
            c_string(&b, lines.v[k]);
            fprintf(f, "        %s,\n", b.s);
            sb_free(&b);
        }
        fprintf(f, "    };\n    EXPECT(tt_expect_trace(cat, run, trace, %zu, &err));\n",
                lines.n);
        sv_free(&lines);
    }
    if (r->ttdb_stop) {
        fprintf(f, "    EXPECT(tt_expect_stop(run, \"sparkle_count\", &err));\n");
        if (r->last_entry) {
            char *dot = strrchr(r->last_entry, '.');
            strbuf t = {0}, sp = {0};
            sb_addn(&t, r->last_entry, (size_t)(dot - r->last_entry));
            sb_add(&sp, dot + 1);
            strbuf ct = {0}, cs = {0};
            c_string(&ct, t.s);
            c_string(&cs, sp.s);
            fprintf(f, "    EXPECT(tt_expect_ran(cat, run, %s, %s, &err));\n", ct.s, cs.s);
            sb_free(&t);
            sb_free(&sp);
            sb_free(&ct);
            sb_free(&cs);
        }
    } else {
        fprintf(f, "    /* What the session showed at the stop. */\n");
        for (size_t k = 0; k < r->stops.n; k++) {
            strbuf b = {0};
            c_string(&b, r->stops.v[k]);
            fprintf(f, "    EXPECT(tt_expect_stop(run, %s, &err));\n", b.s);
            sb_free(&b);
        }
    }
    for (size_t k = 0; k < r->nstates; k++) {
        strbuf a = {0}, b = {0};
        c_string(&a, r->states[k].name);
        c_string(&b, r->states[k].value);
        fprintf(f, "    EXPECT(tt_expect_state(cat, %s, %s, &err));\n", a.s, b.s);
        sb_free(&a);
        sb_free(&b);
    }
    if (!o->no_probes)
        for (size_t k = 0; k < r->nprobes; k++) {
            const char *full = r->probes[k].name, *dot = strrchr(full, '.');
            strbuf t = {0}, p = {0}, v = {0}, tn = {0};
            sb_addn(&tn, full, (size_t)(dot - full));
            c_string(&t, tn.s);
            c_string(&p, dot + 1);
            c_string(&v, r->probes[k].value);
            fprintf(f, "    EXPECT(tt_expect_probe_json(cat, %s, %s, %s, &err));\n", t.s,
                    p.s, v.s);
            sb_free(&t);
            sb_free(&p);
            sb_free(&v);
            sb_free(&tn);
        }
    fprintf(f, "    runs_done = %zu;\n}\n", runno);
    return true;
}

/* One field of the catalyst options in load(), with its comment. */
static void c_option(FILE *f, const char *field, const char *comment)
{
    if (comment)
        fprintf(f, "        %-30s /* %s */\n", field, comment);
    else
        fprintf(f, "        %s\n", field);
}

/* load(): the app in a fresh Distiller with the settings the session
 * started with. */
static void c_load(FILE *f)
{
    const rec_settings *st = &g_record.start;
    fprintf(f, "\n/* Load the app into a fresh Distiller with the session's settings. */\n"
               "static int load(void **state)\n{\n    (void)state;\n"
               "    tt_catalyst_options opts = {\n");
    c_option(f, ".contain_crashes = true,", "a crash stops the run: \"crashed: ...\"");
    c_option(f, st->stop_on_error ? ".stop_on_error = true," : ".stop_on_error = false,",
             st->stop_on_error ? "a failed tt_tonic_new stops it: \"error: ...\"" : NULL);
    char *field;
    if (st->watchdog) {
        field = xasprintf(".watchdog = %.17g,", st->watchdog);
        c_option(f, field, "seconds one sparkle may run");
        free(field);
    }
    if (st->wall_guard) {
        field = xasprintf(".wall_guard = %.17g,", st->wall_guard);
        c_option(f, field, "wall-clock seconds a run may take");
        free(field);
    }
    fprintf(f, "    };\n"
               "    if (tt_app_start(module, &opts, &app, &cat, &err) < 0) {\n"
               "        fprintf(stderr, \"# %%s\\n\", err.msg);\n        return -1;\n    }\n"
               "    return 0;\n}\n");
}

/* The cmocka program; false (error printed) when a step has no C form. */
static bool write_c(FILE *f, tt_catalyst *cat, const save_opts *o)
{
    size_t nruns = record_run_count();
    c_prologue(f, o, nruns);
    strvec names = {0};
    size_t runno = 0, from = 0;
    bool ok = true;
    if (o->first_pinned > 1) {
        fprintf(f, "\n/* Runs 1-%zu of the session, replayed without checks (-last %zu). */\n"
                   "static void runs_1_to_%zu(void **state)\n{\n    (void)state;\n",
                o->first_pinned - 1, o->last, o->first_pinned - 1);
        for (size_t i = 0; i < o->nsteps && runno + 1 < o->first_pinned; i++) {
            const rec_step *s = &o->steps[i];
            if (s->kind == REC_RUN) {
                runno++;
                fprintf(f, "    /* run %zu: %s */\n", runno, s->line);
                c_call(f, s->run, false);
                from = i + 1;
            } else if (!(ok = c_input(f, cat, s))) {
                break;
            }
        }
        fprintf(f, "    runs_done = %zu;\n}\n", runno);
        char *n = xasprintf("runs_1_to_%zu", runno);
        sv_add(&names, n);
        free(n);
    }
    for (size_t i = from; ok && i < o->nsteps; i++) {
        if (o->steps[i].kind != REC_RUN)
            continue;
        runno++;
        strbuf name = {0};
        ok = c_run(f, cat, o, o->steps, from, i, runno, &name);
        sv_add(&names, name.s);
        sb_free(&name);
        from = i + 1;
    }
    if (ok) {
        c_load(f);
        fprintf(f, "\n"
                   "static int unload(void **state)\n{\n    (void)state;\n"
                   "    tt_app_end(app, cat);\n    return 0;\n}\n\n"
                   "int main(int argc, char **argv)\n{\n"
                   "    const struct CMUnitTest runs[] = {\n");
        for (size_t k = 0; k < names.n; k++)
            fprintf(f, "        cmocka_unit_test(%s),\n", names.v[k]);
        fprintf(f, "    };\n    if (argc > 1)\n        module = argv[1];\n"
                   "    return cmocka_run_group_tests(runs, load, unload);\n}\n");
    }
    sv_free(&names);
    return ok;
}

/* ===================================================================== */
/* The command                                                           */
/* ===================================================================== */

/* Whether path ends with ext. */
static bool ends_with(const char *path, const char *ext)
{
    size_t n = strlen(path), m = strlen(ext);
    return n > m && strcmp(path + n - m, ext) == 0;
}

/* What ttdb_write_file writes: the test.  write_c and write_ttdb report
 * their own errors (reported). */
typedef struct save_job {
    tt_catalyst *cat;
    const save_opts *o;
    bool c;
    bool reported;
} save_job;

static int save_write(void *ud, FILE *f, tt_error *err)
{
    save_job *j = ud;
    (void)err;
    if (j->c ? write_c(f, j->cat, j->o) : write_ttdb(f, j->cat, j->o))
        return ferror(f) ? -TT_EIO : 0;
    j->reported = true;
    return -TT_EINVAL;
}

/* save-test FILE.ttdb|FILE.c [-last N] [-no-probes] [-trace] */
static int cmd_save_test_exec(cmd_args *a)
{
    tt_catalyst *cat = a->cat; /* CMD_SESSION: never NULL */
    save_opts o = {0};
    for (int i = 0; i < a->argc; i++) {
        const char *w = a->argv[i];
        long n;
        if (strcmp(w, "-last") == 0) {
            if (i + 1 >= a->argc || !parse_long(a->argv[i + 1], &n) || n < 1) {
                out_error("save-test: -last takes a number of runs >= 1");
                return -1;
            }
            o.last = (size_t)n;
            i++;
        } else if (strcmp(w, "-no-probes") == 0) {
            o.no_probes = true;
        } else if (strcmp(w, "-trace") == 0) {
            o.trace = true;
        } else if (w[0] == '-' && w[1]) {
            static const char *const opts[] = {"-last", "-no-probes", "-trace"};
            const char *sug = tt_suggest(w, opts, 3);
            out_error("save-test: unknown option \"%s\"%s%s%s", w, sug ? " (did you mean \"" : "",
                      sug ? sug : "", sug ? "\"?)" : "");
            return -1;
        } else if (o.path) {
            return cmd_usage_error(&cmd_save_test_entry);
        } else {
            o.path = w;
        }
    }
    if (!o.path)
        return cmd_usage_error(&cmd_save_test_entry);
    bool c = ends_with(o.path, ".c");
    if (!c && !ends_with(o.path, ".ttdb")) {
        out_error("save-test: \"%s\": name a FILE.ttdb (a ttdb script) or a FILE.c "
                  "(a cmocka test)", o.path);
        return -1;
    }
    size_t nruns = record_run_count();
    if (nruns == 0) {
        uint64_t h = journal_horizon(&g_journal);
        if (h) /* gone back to the start: the runs are ahead */
            out_error("save-test: nothing has run at #0, before the first "
                      "sparkle: the recorded future runs to #%llu (`goto "
                      "#%llu` first)", (unsigned long long)h,
                      (unsigned long long)h);
        else
            out_error("save-test: nothing has run since the app started; run "
                      "it first (step, continue, until)");
        return -1;
    }
    o.first_pinned = o.last && o.last < nruns ? nruns - o.last + 1 : 1;
    o.nsteps = record_steps(&o.steps);
    char *abs = realpath(g_session.app_path, NULL);
    o.module = abs ? abs : xstrdup(g_session.app_path);
    const char *slash = strrchr(o.path, '/');
    o.base = xstrdup(slash ? slash + 1 : o.path);
    *strrchr(o.base, '.') = '\0';

    save_job job = {cat, &o, c, false};
    tt_error err;
    int rc = -1;
    if (ttdb_write_file(o.path, save_write, &job, &err) < 0) {
        if (!job.reported)
            out_error("save-test: %s", err.msg);
    } else {
        rc = 0;
        size_t checked = nruns - o.first_pinned + 1;
        strbuf b = {0};
        if (checked == nruns)
            sb_printf(&b, "%s checked", nruns == 1 ? "it is" : "each is");
        else
            sb_printf(&b, "the last %zu checked", checked);
        out_printf("wrote %s (%s: %zu run%s, %s)\n", o.path,
                   c ? "a cmocka test" : "a ttdb script", nruns, nruns == 1 ? "" : "s",
                   b.s);
        sb_free(&b);
    }
    free(o.module);
    free(o.base);
    free(o.steps);
    return rc;
}

const cmd_entry cmd_save_test_entry = {
    .name = "save-test",
    .usage = "save-test FILE.ttdb|FILE.c [-last N] [-no-probes] [-trace]",
    .help = "Save the session so far as a regression test. It replays the inputs "
            "(call, advance, finish, set var), the breakpoints, watches and timeout, "
            "the Distiller's settings, and every run, and after each run checks what "
            "the session showed when it stopped: "
            "the stop condition, the state of every tonic that changed and the "
            "displayed, watched and printed (`print TONIC.PROBE` where it stopped) "
            "probes. FILE.ttdb is a ttdb script (`expect` lines; run it with "
            "ttdb -batch -x FILE.ttdb APP); FILE.c a cmocka test against the library, "
            "one function per run (build it with pkg-config --cflags --libs tasktonic "
            "cmocka; it loads the module named by its first argument, else the one "
            "this session runs). -last N checks only the last N runs (the earlier "
            "ones are replayed), -no-probes leaves the probes out, -trace also pins "
            "every entry's tonic, sparkle and arguments (`expect trace #N ...` lines "
            "in FILE.ttdb). A run that ttdb stopped (a breakpoint, Ctrl-C) is "
            "replayed in C as the same number of sparkles; a crash is pinned by "
            "`expect stop crashed: ...`, and the saved test passes while the app "
            "crashes there.",
    .exec = cmd_save_test_exec,
    .complete = CC_FILE,
    .flags = CMD_SESSION | CMD_RUNS,
    .on_recorded = "save-test writes a test that replays what you gave the app, and a "
                   "recorded trace has no app to replay; open the app (`file APP`), run "
                   "it to the behaviour, then save-test",
};
