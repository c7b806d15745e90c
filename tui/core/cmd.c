/*
 * cmd.c: the command table and everything that walks it: splitting a line
 * into words, lookup by name, alias or unique prefix (with the closest
 * command suggested for a typo), dispatch to a command or one of its
 * subcommands, and completion candidates.  The commands themselves live in
 * cmd-*.c, one file per family, each defining `const cmd_entry` values,
 * listed once in CORE_COMMANDS (ttdb.h).
 */
#include "ttdb.h"
#include "record.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The core's commands, in the order `help` lists them (ttdb.h). */
static const cmd_entry *const core_table[] = {
#define CMD_ENTRY(NAME) &cmd_##NAME##_entry,
    CORE_COMMANDS(CMD_ENTRY)
#undef CMD_ENTRY
    NULL};

/* Every command: the core's, then those front ends added. */
const cmd_entry *const *cmd_table = core_table;
static const cmd_entry **added_table; /* what cmd_table points at, if any */

/* Append a front end's commands to the table. */
void cmd_add_commands(const cmd_entry *const *more)
{
    size_t n = 0, m = 0;
    while (cmd_table[n])
        n++;
    while (more[m])
        m++;
    const cmd_entry **t = xmalloc((n + m + 1) * sizeof *t);
    memcpy(t, cmd_table, n * sizeof *t);
    memcpy(t + n, more, m * sizeof *t);
    t[n + m] = NULL;
    free(added_table);
    added_table = t;
    cmd_table = t;
}

/* Back to the core's table (teardown). */
void cmd_shutdown(void)
{
    free(added_table);
    added_table = NULL;
    cmd_table = core_table;
}

/* Free the words of a split line. */
void cmd_args_free(cmd_args *a)
{
    for (int i = 0; i < a->argc; i++) {
        free(a->argv[i]);
        free(a->raw[i]);
    }
    free(a->argv);
    free(a->raw);
    free(a->starts);
    memset(a, 0, sizeof *a);
}

/* Append one word. */
static void args_push(cmd_args *a, char *word, char *raw, const char *start)
{
    a->argv = xrealloc(a->argv, (size_t)(a->argc + 2) * sizeof *a->argv);
    a->raw = xrealloc(a->raw, (size_t)(a->argc + 2) * sizeof *a->raw);
    a->starts = xrealloc(a->starts, (size_t)(a->argc + 2) * sizeof *a->starts);
    a->argv[a->argc] = word;
    a->raw[a->argc] = raw;
    a->starts[a->argc] = start;
    a->argc++;
    a->argv[a->argc] = NULL;
    a->raw[a->argc] = NULL;
    a->starts[a->argc] = NULL;
}

/* Split a line into words: whitespace separates, quotes group. */
int cmd_split(const char *line, cmd_args *a)
{
    memset(a, 0, sizeof *a);
    const char *p = line;
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        const char *start = p;
        strbuf w = {0};
        sb_add(&w, "");
        while (*p && !isspace((unsigned char)*p)) {
            if (*p == '\'' || *p == '"') {
                char q = *p++;
                while (*p && *p != q) {
                    if (q == '"' && *p == '\\' && p[1]) {
                        p++;
                        switch (*p) {
                        case 'n': sb_add(&w, "\n"); break;
                        case 't': sb_add(&w, "\t"); break;
                        default: sb_addn(&w, p, 1); break;
                        }
                        p++;
                        continue;
                    }
                    sb_addn(&w, p++, 1);
                }
                if (!*p) {
                    out_error("unterminated %s quote in: %s",
                              q == '"' ? "double" : "single", line);
                    sb_free(&w);
                    cmd_args_free(a);
                    return -1;
                }
                p++;
                continue;
            }
            sb_addn(&w, p++, 1);
        }
        char *raw = xmalloc((size_t)(p - start) + 1);
        memcpy(raw, start, (size_t)(p - start));
        raw[p - start] = '\0';
        args_push(a, sb_take(&w), raw, start);
    }
    return 0;
}

/* Word i as value parsers want it: as typed, except that a 'single
 * quoted' word becomes a "double quoted" one (malloc'ed). */
char *cmd_arg_text(const cmd_args *a, int i)
{
    if (a->raw[i][0] != '\'')
        return xstrdup(a->raw[i]);
    strbuf b = {0};
    sb_add(&b, "\"");
    for (const char *p = a->argv[i]; *p; p++) {
        if (*p == '"' || *p == '\\')
            sb_add(&b, "\\");
        sb_addn(&b, p, 1);
    }
    sb_add(&b, "\"");
    return sb_take(&b);
}

/* Whether word names e exactly (name or alias). */
static bool cmd_is(const cmd_entry *e, const char *word)
{
    if (strcmp(e->name, word) == 0)
        return true;
    if (!e->aliases)
        return false;
    const char *p = e->aliases;
    size_t n = strlen(word);
    while (*p) {
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, word, n) == 0)
            return true;
        if (!end)
            break;
        p = end + 1;
    }
    return false;
}

/* Lookup by name, alias, then unique prefix; err gets a one-line message
 * and *why the reason when nothing (or more than one) matches. */
const cmd_entry *cmd_lookup(const cmd_entry *const *table, const char *word,
                            char *err, size_t esz, cmd_miss *why)
{
    cmd_miss dummy;
    if (!why)
        why = &dummy;
    *why = CMD_FOUND;
    for (size_t i = 0; table[i]; i++)
        if (cmd_is(table[i], word))
            return table[i];
    const cmd_entry *hit = NULL;
    strbuf amb = {0};
    int nhit = 0;
    for (size_t i = 0; table[i]; i++) {
        if (table[i]->flags & CMD_HIDDEN)
            continue;
        if (str_starts(table[i]->name, word)) {
            hit = table[i];
            sb_printf(&amb, "%s%s", nhit ? ", " : "", table[i]->name);
            nhit++;
        }
    }
    if (nhit == 0) /* a prefix of an alias only: `info watch` */
        for (size_t i = 0; table[i]; i++) {
            if ((table[i]->flags & CMD_HIDDEN) || !table[i]->aliases ||
                hit == table[i])
                continue;
            const char *p = table[i]->aliases;
            size_t n = strlen(word);
            for (;;) {
                size_t len = strcspn(p, " ");
                if (len > n && strncmp(p, word, n) == 0) {
                    sb_printf(&amb, "%s%.*s", nhit ? ", " : "", (int)len, p);
                    hit = table[i];
                    nhit++;
                    break;
                }
                if (!p[len])
                    break;
                p += len + 1;
            }
        }
    if (nhit == 1) {
        sb_free(&amb);
        return hit;
    }
    if (nhit > 1) {
        *why = CMD_AMBIGUOUS;
        snprintf(err, esz, "ambiguous \"%s\": %s", word, amb.s);
        sb_free(&amb);
        return NULL;
    }
    sb_free(&amb);
    strvec names = {0};
    for (size_t i = 0; table[i]; i++)
        if (!(table[i]->flags & CMD_HIDDEN))
            sv_add(&names, table[i]->name);
    const char *sug =
        tt_suggest(word, (const char *const *)names.v, names.n);
    *why = sug ? CMD_CLOSE : CMD_UNKNOWN;
    if (sug)
        snprintf(err, esz, "\"%s\" (did you mean \"%s\"?)", word, sug);
    else
        snprintf(err, esz, "\"%s\"", word);
    sv_free(&names);
    return NULL;
}

/* What a gdb habit that ttdb has no command for does here (parent: NULL
 * for a command, "info" for an info subcommand), or NULL. */
static const char *gdb_hint(const char *parent, const char *word)
{
    static const struct {
        const char *parent, *words, *hint;
    } hints[] = {
        {NULL, "frame f up down",
         "a sparkle has no stack frames: `why` (bt) is its causal chain, "
         "`print #N` one entry"},
        {NULL, "list l",
         "`info sparkles TONIC` names each handler's C function; in an "
         "editor, the DAP front end shows the source"},
        {NULL, "x", "`print TONIC` shows a tonic's data (its probes)"},
        {NULL, "disassemble disas",
         "`info sparkles TONIC` names each handler's C function; gdb on the "
         "app module shows its machine code"},
        {NULL, "output", "`print TONIC.PROBE` shows a value, `echo TEXT` prints text"},
        {NULL, "kill k", "`restart` starts the app afresh, `quit` leaves"},
        {NULL, "commands",
         "a breakpoint runs no commands: `display TONIC.PROBE` shows a "
         "value at every stop, and a script (-x FILE) goes on after one"},
        {NULL, "start starti",
         "`restart` stands before the first sparkle, `run` runs on from there"},
        {NULL, "stepi si nexti ni",
         "the smallest step is one sparkle: `step`"},
        {NULL, "return jump",
         "a sparkle runs whole; `call` queues one, `set var` changes a probe"},
        {NULL, "reverse-next rn reverse-stepi rsi",
         "`reverse-step` (rs) goes back one sparkle"},
        {NULL, "detach",
         "`quit` detaches from a live app (it keeps running), `restart` "
         "attaches again"},
        {NULL, "thread", "the tonics are the threads: `info tonics`, "
                         "`print TONIC`"},
        {NULL, "apropos", "`help` lists the commands, `help COMMAND` "
                          "explains one"},
        {NULL, "checkpoint record",
         "every sparkle is recorded already: `goto #N`, `reverse-step`, "
         "`reverse-continue`"},
        {NULL, "reverse-finish",
         "`why` shows what queued the sparkle, `reverse-step` goes back "
         "before it"},
        {NULL, "catch",
         "a crash always stops the run (crashed: SIGNAL in TONIC.SPARKLE); "
         "`set watchdog SECONDS` stops a sparkle that does not return"},
        {NULL, "ptype whatis",
         "`info probes TONIC` lists its probes, `info sparkles TONIC` its "
         "sparkles and their C functions"},
        {"until", "#", /* a location: `until 40`, `until #40` */
         "`goto #N` goes to entry N of the trace, `step N` runs N more "
         "sparkles"},
        {"info", "frame", "`print #N` shows entry N, `why` its causes"},
        {"info", "args", "`print #N` shows entry N with its arguments"},
        {"info", "locals registers all-registers",
         "a tonic's data are its probes: `print TONIC`, `info probes TONIC`"},
        {"info", "threads", "the tonics are the threads: `info tonics`"},
    };
    /* gdb's /FORMAT (p/x, x/4x): ttdb shows values as they are */
    const char *slash = strchr(word, '/');
    if (slash && slash > word && !parent)
        return "ttdb's commands take no /FORMAT: `print TONIC.PROBE` shows a value as "
               "it is, `print TONIC` a tonic's data";
    /* a number or #N stands for any location */
    if (*word == '#' || (*word >= '0' && *word <= '9'))
        word = "#";
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
        if ((parent == NULL) != (hints[i].parent == NULL) ||
            (parent && strcmp(parent, hints[i].parent) != 0))
            continue;
        size_t n = strlen(word);
        for (const char *p = hints[i].words; *p;) {
            size_t k = strcspn(p, " ");
            if (k == n && strncmp(p, word, n) == 0)
                return hints[i].hint;
            p += k + (p[k] == ' ');
        }
    }
    return NULL;
}

/* The arguments after the first k words. */
static cmd_args args_shift(const cmd_args *a, int k)
{
    cmd_args s = {
        .argc = a->argc - k,
        .argv = a->argv + k,
        .raw = a->raw + k,
        .starts = a->starts + k,
    };
    return s;
}

/* Print the usage of a command as an error. */
int cmd_usage_error(const cmd_entry *e)
{
    out_error("wrong arguments; usage: %s", e->usage);
    return -1;
}

/* A word that is not what the command wants: one line naming it, what was
 * wanted and the usage. */
int cmd_word_error(const cmd_entry *e, const char *word, const char *want)
{
    /* the command as typed in full: the usage's leading lower-case words
     * ("info entry" of "info entry SEQ") */
    size_t n = 0;
    for (const char *p = e->usage; *p;) {
        size_t k = strspn(p, "abcdefghijklmnopqrstuvwxyz-");
        if (k == 0 || (p[k] != ' ' && p[k] != '\0'))
            break;
        n = (size_t)(p + k - e->usage);
        p += k + (p[k] == ' ');
    }
    out_error("%.*s: \"%s\" is not %s; usage: %s", (int)(n ? n : strlen(e->name)),
              n ? e->usage : e->name, word, want, e->usage);
    return -1;
}

/* Why a command that would run something fails: on a recorded trace, or
 * attached to a live app. */
const char *cmd_nothing_runs(void)
{
    if (g_session.attached)
        return "attached to a live app: nothing can run from here (the app "
               "runs in its own process: `wait-entries N` follows it in batch "
               "mode; start the app in ttdb to step it)";
    return tt_strerror(TT_ERECORDED);
}

/* The session's catalyst for a command that needs one. */
tt_catalyst *cmd_cat(void)
{
    return session_cat(&g_session);
}

/* Run entry e with its arguments a (a.argv[0] is the first argument). */
static int cmd_exec_entry(const cmd_entry *e, cmd_args *a)
{
    a->cat = g_session.cat;
    if ((e->flags & CMD_SESSION) && !(a->cat = session_cat(&g_session)))
        return -1;
    if ((e->flags & CMD_RUNS) && g_session.attached) {
        /* a live app's snapshot is recorded too, but it has an app */
        out_error("%s", cmd_nothing_runs());
        return -1;
    }
    if ((e->flags & CMD_RUNS) && g_session.recorded) {
        if (e->on_recorded)
            out_error("%s: %s", tt_strerror(TT_ERECORDED), e->on_recorded);
        else
            out_error("%s", tt_strerror(TT_ERECORDED));
        return -1;
    }
    if (!e->exec)
        return cmd_dispatch_sub(e, a);
    return e->exec(a);
}

/* Dispatch to a subcommand of parent (a.argv[0] is its name). */
int cmd_dispatch_sub(const cmd_entry *parent, cmd_args *a)
{
    if (a->argc < 1) {
        strbuf b = {0};
        for (size_t i = 0; parent->subs[i]; i++)
            if (!(parent->subs[i]->flags & CMD_HIDDEN))
                sb_printf(&b, "%s%s", i ? ", " : "", parent->subs[i]->name);
        out_error("\"%s\" needs a subcommand: %s", parent->name, b.s);
        sb_free(&b);
        return -1;
    }
    char err[256];
    cmd_miss why;
    const cmd_entry *e =
        cmd_lookup(parent->subs, a->argv[0], err, sizeof err, &why);
    if (!e) {
        const char *hint = gdb_hint(parent->name, a->argv[0]);
        if (hint) {
            out_error("unknown %s subcommand \"%s\" (%s)", parent->name,
                      a->argv[0], hint);
        } else if (why == CMD_AMBIGUOUS) {
            out_error("%s: %s", parent->name, err);
        } else if (why == CMD_CLOSE) {
            out_error("unknown %s subcommand %s", parent->name, err);
        } else { /* nothing close: list what there is */
            strbuf b = {0};
            size_t k = 0;
            for (size_t i = 0; parent->subs[i]; i++)
                if (!(parent->subs[i]->flags & CMD_HIDDEN))
                    sb_printf(&b, "%s%s", k++ ? ", " : "", parent->subs[i]->name);
            out_error("unknown %s subcommand %s (one of: %s)", parent->name, err, b.s);
            sb_free(&b);
        }
        return -1;
    }
    cmd_args s = args_shift(a, 1);
    return cmd_exec_entry(e, &s);
}

/* Execute one command line. */
int cmd_execute(const char *line)
{
    const char *p = line;
    while (isspace((unsigned char)*p))
        p++;
    if (!*p || *p == '#')
        return 0;
    cmd_args a;
    if (cmd_split(p, &a) < 0)
        return -1;
    if (g_session.in_command++ == 0) /* nested for `source` */
        g_session.pending = 0;
    char err[256];
    cmd_miss why;
    const cmd_entry *e = cmd_lookup(cmd_table, a.argv[0], err, sizeof err, &why);
    int rc;
    const char *outer = record_set_line(p); /* for save-test */
    if (!e) {
        const char *hint = gdb_hint(NULL, a.argv[0]);
        if (hint)
            out_error("unknown command \"%s\" (%s)", a.argv[0], hint);
        else if (why == CMD_AMBIGUOUS)
            out_error("%s", err);
        else
            out_error("unknown command %s", err);
        rc = -1;
    } else {
        cmd_args s = args_shift(&a, 1);
        rc = cmd_exec_entry(e, &s);
        record_command_done(e, &s, rc);
    }
    record_set_line(outer);
    if (--g_session.in_command == 0)
        g_session.pending = 0;
    cmd_args_free(&a);
    out_flush();
    frontend_changed();
    return rc;
}

/* The line an Enter at a prompt runs. */
char *cmd_enter_line(const char *line)
{
    static char *last_run;
    if (!line) {
        free(last_run);
        last_run = NULL;
        return NULL;
    }
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return last_run ? xstrdup(last_run) : NULL;
    if (cmd_repeats(line)) {
        free(last_run);
        last_run = xstrdup(line);
    }
    return xstrdup(line);
}

/* Whether Enter repeats the command on this line. */
bool cmd_repeats(const char *line)
{
    cmd_args a;
    if (cmd_split(line, &a) < 0 || a.argc == 0) {
        cmd_args_free(&a);
        return false;
    }
    char err[256];
    const cmd_entry *e = cmd_lookup(cmd_table, a.argv[0], err, sizeof err, NULL);
    cmd_args_free(&a);
    return e && (e->flags & CMD_REPEAT);
}

/* ---------------------------------------------------------------------- */
/* Completion                                                             */
/* ---------------------------------------------------------------------- */

/* Add s when it starts with word. */
static void cand(strvec *out, const char *word, const char *s)
{
    if (s && str_starts(s, word) && !sv_has(out, s))
        sv_add(out, s);
}

/* Tonic names (optionally with a suffix such as "."). */
static void cand_tonics(strvec *out, const char *word, const char *suffix)
{
    tt_catalyst *cat = g_session.cat;
    if (!cat)
        return;
    size_t n = tt_tonic_count(cat);
    for (size_t i = 0; i < n; i++) {
        tt_tonic *t = tt_tonic_at(cat, i);
        if (!t)
            continue;
        char *s = xasprintf("%s%s", tt_tonic_name(t), suffix);
        cand(out, word, s);
        free(s);
    }
}

/* Sparkle names of t (or of every tonic), optionally prefixed: the user
 * sparkles first; the runtime's (`_tt*`) after them, and only when the word
 * asks for them ("_") or no user sparkle matches. */
static void cand_sparkles(strvec *out, const char *word, tt_tonic *t,
                          const char *prefix)
{
    tt_catalyst *cat = g_session.cat;
    if (!cat)
        return;
    size_t n = t ? 1 : tt_tonic_count(cat);
    size_t before = out->n;
    bool want_system = str_starts(word + strlen(prefix), "_");
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && out->n > before && !want_system)
            break;
        for (size_t i = 0; i < n; i++) {
            tt_tonic *u = t ? t : tt_tonic_at(cat, i);
            if (!u)
                continue;
            size_t m = tt_tonic_sparkle_count(u);
            for (size_t j = 0; j < m; j++) {
                const char *full = tt_tonic_sparkle_at(u, j);
                if (is_system_sparkle(full) != (pass == 1))
                    continue;
                char *s = xasprintf("%s%s", prefix, full);
                cand(out, word, s);
                free(s);
                /* short names ("mix" for "ttsc__mix") once something is
                 * typed */
                const char *us = strstr(full, "__");
                if (us && pass == 0 && strlen(word) > strlen(prefix)) {
                    s = xasprintf("%s%s", prefix, us + 2);
                    cand(out, word, s);
                    free(s);
                }
            }
        }
    }
}

/* State names of t (or of every tonic). */
static void cand_states(strvec *out, const char *word, tt_tonic *t)
{
    tt_catalyst *cat = g_session.cat;
    if (!cat)
        return;
    size_t n = t ? 1 : tt_tonic_count(cat);
    for (size_t i = 0; i < n; i++) {
        tt_tonic *u = t ? t : tt_tonic_at(cat, i);
        if (!u)
            continue;
        size_t m = tt_tonic_state_count(u);
        for (size_t j = 0; j < m; j++)
            cand(out, word, tt_tonic_state_at(u, (int)j));
    }
}

/* Only probes that `set var` can write (fields): set while completing it. */
static bool fields_only;

/* Probe names of t, prefixed. */
static void cand_probes(strvec *out, const char *word, tt_tonic *t,
                        const char *prefix)
{
    size_t m = tt_tonic_probe_count(t);
    for (size_t j = 0; j < m; j++) {
        tt_type ty;
        if (fields_only &&
            tt_tonic_probe_field_type(t, tt_tonic_probe_at(t, j), &ty) != 0)
            continue; /* computed or built in: cannot be set */
        char *s = xasprintf("%s%s", prefix, tt_tonic_probe_at(t, j));
        cand(out, word, s);
        free(s);
    }
}

/* Whether the last completion was of a TONIC.NAME word (cmd_complete_open). */
static bool dotted_word;

/* Members of tonic t as "PREFIX.NAME": probes or sparkles. */
static void cand_members(strvec *out, const char *word, tt_tonic *t,
                         const char *name, bool probes)
{
    char *prefix = xasprintf("%s.", name);
    if (probes)
        cand_probes(out, word, t, prefix);
    else
        cand_sparkles(out, word, t, prefix);
    free(prefix);
}

/* "TONIC" then "TONIC.NAME" completions; sparkles or probes.  A tonic
 * completes bare ("print CarA" is valid, and "Car" is the common prefix of
 * CarA and CarB); once its name is whole, Tab offers its members. */
static void cand_dotted(strvec *out, const char *word, bool probes)
{
    tt_catalyst *cat = g_session.cat;
    if (!cat)
        return;
    dotted_word = true;
    const char *dot = strrchr(word, '.');
    size_t before = out->n;
    if (dot) {
        char *left = xstrdup(word);
        left[dot - word] = '\0';
        tt_tonic *t = find_tonic(cat, left, NULL);
        if (t)
            cand_members(out, word, t, left, probes);
        free(left);
    } else {
        tt_tonic *t = find_tonic(cat, word, NULL);
        if (t && strcmp(tt_tonic_name(t), word) == 0)
            cand_members(out, word, t, word, probes);
    }
    bool members = out->n > before;
    cand_tonics(out, word, "");
    /* the whole name typed is no candidate when its members are */
    for (size_t i = before; members && i < out->n; i++)
        if (strcmp(out->v[i], word) == 0) {
            free(out->v[i]);
            memmove(&out->v[i], &out->v[i + 1], (out->n - i - 1) * sizeof *out->v);
            out->n--;
            break;
        }
    if (!probes)
        cand_sparkles(out, word, NULL, "");
}

bool cmd_complete_open(const char *word)
{
    return dotted_word && g_session.cat && !strchr(word, ' ') &&
           tt_tonic_by_name(g_session.cat, word) != NULL;
}

/* Candidates for the word being typed after the words of `line`. */
void cmd_complete_words(const char *line, const char *word, strvec *out)
{
    dotted_word = false;
    cmd_args a;
    if (cmd_split(line, &a) < 0)
        return;
    const cmd_entry *const *table = cmd_table;
    const cmd_entry *e = NULL;
    int k = 0;
    while (k < a.argc) {
        char err[256];
        const cmd_entry *sub = cmd_lookup(table, a.argv[k], err, sizeof err, NULL);
        if (!sub) {
            cmd_args_free(&a);
            return;
        }
        e = sub;
        k++;
        if (!e->subs)
            break;
        table = e->subs;
    }
    if (!e || (e->subs && k == a.argc)) {
        for (size_t i = 0; table[i]; i++)
            if (!(table[i]->flags & CMD_HIDDEN))
                cand(out, word, table[i]->name);
        /* `break NAME` is `break sparkle NAME` */
        if (e && e->complete == CC_SUB_OR_SPARKLE)
            cand_dotted(out, word, false);
        cmd_args_free(&a);
        return;
    }
    int pos = a.argc - k; /* index of the word being typed among args */
    tt_catalyst *cat = g_session.cat;
    switch (e->complete) {
    case CC_COMMAND:
        for (size_t i = 0; cmd_table[i]; i++)
            if (!(cmd_table[i]->flags & CMD_HIDDEN))
                cand(out, word, cmd_table[i]->name);
        break;
    case CC_TONIC:
        if (pos == 0)
            cand_tonics(out, word, "");
        break;
    case CC_TONIC_SPARKLE:
        if (pos == 0)
            cand_tonics(out, word, "");
        else if (pos == 1 && cat) {
            tt_tonic *t = find_tonic(cat, a.argv[k], NULL);
            if (t)
                cand_sparkles(out, word, t, "");
        }
        break;
    case CC_TONIC_STATE: {
        tt_tonic *t = NULL;
        if (pos == 0)
            cand_tonics(out, word, "");
        else if (cat)
            t = find_tonic(cat, a.argv[k], NULL);
        cand_states(out, word, t);
        break;
    }
    case CC_DOTTED_SPARKLE:
        if (pos == 0)
            cand_dotted(out, word, false);
        break;
    case CC_DOTTED_PROBE:
        if (pos == 0)
            cand_dotted(out, word, true);
        break;
    case CC_FILE:
        sv_add(out, "\001file"); /* marker: complete file names */
        break;
    case CC_SETTING:
        if (pos == 0) {
            const char **names;
            size_t n = options_names(&names);
            for (size_t i = 0; i < n; i++)
                cand(out, word, names[i]);
            cand(out, word, "app-output");
            cand(out, word, "var");
        } else if (pos == 1 && (strcmp(a.argv[k], "var") == 0 ||
                                strcmp(a.argv[k], "variable") == 0)) {
            fields_only = true;
            cand_dotted(out, word, true);
            fields_only = false;
        }
        else if (pos == 1 && strcmp(a.argv[k], "app-output") == 0)
            sv_add(out, "\001file");
        break;
    case CC_NONE:
    case CC_SUBCOMMAND:
    case CC_SUB_OR_SPARKLE:
        break;
    }
    cmd_args_free(&a);
}

/* complete TEXT: what Tab offers after TEXT, one line each, as gdb's. */
static int cmd_complete_exec(cmd_args *a)
{
    const char *line = a->argc ? a->starts[0] : "";
    const char *w = line + strlen(line);
    while (w > line && w[-1] != ' ' && w[-1] != '\t')
        w--;
    char *before = xstrdup(line);
    before[w - line] = '\0';
    strvec c = {0};
    cmd_complete_words(before, w, &c);
    for (size_t i = 0; i < c.n; i++)
        if (c.v[i][0] != '\001') /* file names: readline's own */
            out_printf("%s%s\n", before, c.v[i]);
    sv_free(&c);
    free(before);
    return 0;
}

const cmd_entry cmd_complete_entry = {
    .name = "complete",
    .usage = "complete TEXT",
    .help = "List what Tab offers after TEXT, as gdb's. One completed "
            "line each: `complete break Car` lists the tonics and sparkles "
            "that start so. A tonic completes bare (`print CarA` is whole); "
            "Tab once more offers its members (CarA.floor ...).",
    .exec = cmd_complete_exec,
    .complete = CC_COMMAND,
};
