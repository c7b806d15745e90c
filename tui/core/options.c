/*
 * options.c: the settings of `set`, as data (name, type, where the value
 * lives, help).  Settings that shape the Distiller itself (watchdog,
 * wall-guard, trace-ring) are fixed when a catalyst is created: set before
 * anything ran, the session is started again at once (nothing is lost);
 * later, they apply from the next `restart`.
 */
#include "ttdb.h"

#include <stdlib.h>
#include <string.h>

typedef enum opt_type { OPT_BOOL, OPT_SECONDS, OPT_MS, OPT_COUNT, OPT_WORD } opt_type;

typedef struct option_def {
    const char *name;
    opt_type type;
    void *ptr;         /* bool *, double * (seconds, milliseconds), size_t * */
    bool distiller;    /* applies when a catalyst is created */
    bool negative_ok;  /* seconds may be < 0 */
    const char *help;
    bool shown;        /* a front end shows it: tell it of a change */
    const char *const *words; /* OPT_WORD: the values, NULL-terminated; the
                                 int at ptr is the index of the chosen one */
} option_def;

/* set compat: the order of tt_compat. */
static const char *const compat_words[] = {"native", "python", NULL};

ttdb_opts g_opts = {.show_system = true, .entries_max = 1000};

static const option_def options[] = {
    {"watchdog", OPT_SECONDS, &g_session.watchdog, true, false,
     "seconds one sparkle may run before it is stopped (0: off)", false, NULL},
    {"timeout", OPT_SECONDS, &g_session.timeout, false, false,
     "virtual seconds a step/continue/until may take (0: the Distiller's "
     "3600)", false, NULL},
    {"wall-guard", OPT_SECONDS, &g_session.wall_guard, true, true,
     "wall-clock seconds a run may take (0: 60, negative: off)", false, NULL},
    {"trace-ring", OPT_COUNT, &g_session.trace_ring, true, false,
     "keep at least the last N trace entries (default 1048576, about "
     "110 MB); older ones go in chunks of 65536 and goto replays to them "
     "(0: keep all)", false, NULL},
    {"checkpoints", OPT_BOOL, &g_checkpoints, false, false,
     "going back (goto, reverse-step) starts from the nearest checkpoint "
     "taken while the session ran, validated entry by entry against the "
     "trace; off: always replay from the start (default: on)", false, NULL},
    {"checkpoint-interval", OPT_COUNT, &g_checkpoint_interval, false, false,
     "entries between checkpoints (default 65536: going back replays at "
     "most that many)", false, NULL},
    {"system", OPT_BOOL, &g_opts.show_system, false, false,
     "show system sparkles (_tt*) in the Trace pane (dimmed) or hide them",
     true, NULL},
    {"compat", OPT_WORD, &g_session.compat, true, false,
     "native: the C semantics; python: exactly the Python TaskTonic's "
     "(the last state's handler in no state; the catalyst finishes when "
     "only its infusions are left); chosen before the first sparkle",
     false, compat_words},
    {"stop-on-error", OPT_BOOL, &g_session.stop_on_error, false, false,
     "stop a run with \"error: TONIC.SPARKLE: MESSAGE\" after a sparkle in "
     "which tt_tonic_new or tt_timer_new failed (default: on)", false, NULL},
    {"giant-sparkle", OPT_MS, &g_session.giant_ms, false, false,
     "lints: a sparkle whose handler runs longer than MS milliseconds of wall "
     "time is a giant sparkle (default 50)", false, NULL},
    {"stuck-after", OPT_COUNT, &g_session.stuck_after, false, false,
     "lints: a tonic whose own timers fire more than N times without a state "
     "change is stuck (default 100)", false, NULL},
    {"queue-growth", OPT_COUNT, &g_session.queue_growth, false, false,
     "lints: a queue that grows past N pending orders is worth a lint "
     "(default 1000)", false, NULL},
    {"entries", OPT_BOOL, &g_opts.print_entries, false, false,
     "print the executed sparkles after each run (default: on in batch "
     "mode)", false, NULL},
    {"entries-max", OPT_COUNT, &g_opts.entries_max, false, false,
     "a run of more than N entries lists only its last 20, after a line "
     "naming the others (default 1000 in batch mode, 100 in -nw; 0: all)",
     false, NULL},
    {"echo", OPT_BOOL, &g_opts.echo, false, false,
     "echo each command before its output (batch mode)", false, NULL},
    {"keep-going", OPT_BOOL, &g_opts.keep_going, false, false,
     "batch mode: go on after a failed command (the exit status still "
     "says it failed)", false, NULL},
};

#define N_OPTIONS (sizeof options / sizeof options[0])

/* Print one setting; in the list (`set` alone) the names and values in
 * columns as wide as the widest (trace-ring's 1048576 pushed its help out
 * of line). */
static void option_show(const option_def *o, bool list)
{
    char v[64];
    switch (o->type) {
    case OPT_BOOL:
        snprintf(v, sizeof v, "%s", *(bool *)o->ptr ? "on" : "off");
        break;
    case OPT_SECONDS:
    case OPT_MS:
        snprintf(v, sizeof v, "%g", *(double *)o->ptr);
        break;
    case OPT_COUNT:
        snprintf(v, sizeof v, "%zu", *(size_t *)o->ptr);
        break;
    case OPT_WORD:
        snprintf(v, sizeof v, "%s", o->words[*(int *)o->ptr]);
        break;
    }
    if (list)
        out_printf("%-19s %-7s %s\n", o->name, v, o->help);
    else
        out_printf("%-13s %-6s %s\n", o->name, v, o->help);
}

/* Print every setting. */
void options_list(void)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        option_show(&options[i], true);
}

/* A Distiller setting changed: restart now if nothing ran yet. */
static int option_apply_distiller(const option_def *o)
{
    session *s = &g_session;
    if (!s->cat)
        return 0;
    /* the watchdog can change on the live Distiller */
    if (o->ptr == (void *)&g_session.watchdog &&
        tt_distiller_set_watchdog(s->cat, s->watchdog) == 0)
        return 0;
    if (tt_run_count(s->cat) == 0 && !tt_distiller_tainted(s->cat)) {
        if (session_restart(s) < 0)
            return -1;
        return 0;
    }
    s->settings_pending = true;
    out_printf("%s applies from the next `restart`\n", o->name);
    return 0;
}

/* The setting named name, or by a prefix of one only; NULL when none. */
static const option_def *option_find(const char *name)
{
    const option_def *o = NULL;
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (strcmp(options[i].name, name) == 0)
            return &options[i];
    int hits = 0;
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (str_starts(options[i].name, name)) {
            o = &options[i];
            hits++;
        }
    return hits == 1 ? o : NULL;
}

const char *options_name(const char *name)
{
    const option_def *o = option_find(name);
    return o ? o->name : NULL;
}

/* A gdb script's preamble (set pagination off, set confirm off, set
 * height 0, set print pretty on): nothing to do here, and no reason to stop
 * the script. */
bool options_gdb_only(const char *name)
{
    static const char *const gdb_only[] = {"pagination", "confirm", "height",
                                           "width", "print", "verbose"};
    for (size_t i = 0; i < TT_COUNTOF(gdb_only); i++)
        if (strcmp(name, gdb_only[i]) == 0)
            return true;
    return false;
}

/* set NAME [VALUE]: show or change a setting. */
int options_set(const char *name, const char *value)
{
    const option_def *o = option_find(name);
    if (!o && options_gdb_only(name)) {
        out_warn("set %s: a gdb setting that ttdb has no use for (it never "
                 "pages or asks, and prints values whole); ignored", name);
        return 0;
    }
    if (!o) {
        const char *names[N_OPTIONS];
        for (size_t i = 0; i < N_OPTIONS; i++)
            names[i] = options[i].name;
        const char *sug = tt_suggest(name, names, N_OPTIONS);
        if (sug)
            out_error("unknown setting \"%s\" (did you mean \"%s\"?)", name,
                      sug);
        else
            out_error("unknown setting \"%s\" (`set` lists them)", name);
        return -1;
    }
    if (!value) {
        option_show(o, false);
        return 0;
    }
    switch (o->type) {
    case OPT_BOOL: {
        bool b;
        if (!parse_bool(value, &b)) {
            out_error("set %s: expected on or off, not \"%s\"", o->name,
                      value);
            return -1;
        }
        bool was = *(bool *)o->ptr;
        *(bool *)o->ptr = b;
        if (o->shown)
            frontend_setting(o->name);
        if (o->ptr == (void *)&g_checkpoints && b != was)
            ckpt_setting_changed();
        if (o->ptr == (void *)&g_session.stop_on_error && g_session.cat) {
            tt_distiller_set_stop_on_error(g_session.cat, b); /* live */
            if (b != was) /* an input: replays and saved tests repeat it */
                journal_input(b ? "set stop-on-error on" : "set stop-on-error off");
        }
        return 0;
    }
    case OPT_SECONDS:
    case OPT_MS: {
        double d;
        const char *unit = o->type == OPT_MS ? "milliseconds" : "seconds";
        if (!parse_double(value, &d) || (d < 0 && !o->negative_ok)) {
            out_error("set %s: expected %s%s, not \"%s\"", o->name, unit,
                      o->negative_ok ? "" : " >= 0", value);
            return -1;
        }
        if (d > 1e6) { /* the Distiller's watchdog limit; more is a typo */
            out_error("set %s: %s %s is more than the limit of 1e6", o->name, value, unit);
            return -1;
        }
        *(double *)o->ptr = d;
        break;
    }
    case OPT_COUNT: {
        long n;
        if (!parse_long(value, &n) || n < 0) {
            out_error("set %s: expected a count >= 0, not \"%s\"", o->name,
                      value);
            return -1;
        }
        *(size_t *)o->ptr = (size_t)n;
        break;
    }
    case OPT_WORD: {
        int i = 0;
        while (o->words[i] && strcmp(o->words[i], value) != 0)
            i++;
        if (!o->words[i]) {
            strbuf b = {0};
            for (int j = 0; o->words[j]; j++)
                sb_printf(&b, "%s%s", j ? " or " : "", o->words[j]);
            out_error("set %s: expected %s, not \"%s\"", o->name, b.s, value);
            sb_free(&b);
            return -1;
        }
        if (*(int *)o->ptr == i)
            return 0;
        *(int *)o->ptr = i;
        break;
    }
    }
    if (o->ptr == (void *)&g_session.giant_ms || o->ptr == (void *)&g_session.stuck_after ||
        o->ptr == (void *)&g_session.queue_growth)
        lint_settings_apply(&g_session); /* live: from the next entry on */
    if (o->ptr == (void *)&g_checkpoint_interval)
        ckpt_setting_changed();
    return o->distiller ? option_apply_distiller(o) : 0;
}

/* Names of the settings, for completion. */
size_t options_names(const char ***out)
{
    static const char *names[N_OPTIONS];
    for (size_t i = 0; i < N_OPTIONS; i++)
        names[i] = options[i].name;
    *out = names;
    return N_OPTIONS;
}
