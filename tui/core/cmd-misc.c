/*
 * cmd-misc.c: help, quit, set, file, source, echo.  (The screen adds its
 * own commands and the `help keys` topic: screen/cmd-screen.c.)
 */
#include "ttdb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Print text wrapped at `width` columns with an indent. */
static void print_wrapped(const char *text, int indent, int width)
{
    const char *p = text;
    while (*p) {
        int avail = width - indent;
        const char *line = p, *brk = NULL;
        int col = 0;
        while (p[col] && p[col] != '\n' && col < avail) {
            if (p[col] == ' ')
                brk = p + col;
            col++;
        }
        const char *end;
        if (!p[col] || p[col] == '\n')
            end = p + col;
        else
            end = brk ? brk : p + col;
        out_printf("%*s%.*s\n", indent, "", (int)(end - line), line);
        p = end;
        while (*p == ' ' || *p == '\n')
            p++;
    }
}

/* The first sentence of a help text, cut at a word to fit a listing line. */
static void summary(const char *help, char *buf, size_t size)
{
    const size_t max = 120; /* two 80-column lines at most, wrapped */
    const char *dot = strstr(help, ". ");
    size_t n = dot ? (size_t)(dot - help) : strlen(help);
    if (n && help[n - 1] == '.')
        n--;
    if (n > max) {
        n = max;
        while (n > 0 && help[n] != ' ')
            n--;
        snprintf(buf, size, "%.*s...", (int)n, help);
        return;
    }
    snprintf(buf, size, "%.*s", (int)n, help);
}

/* help for one entry (and its subcommands). */
static void help_entry(const cmd_entry *e)
{
    out_printf("usage: %s\n", e->usage);
    if (e->aliases)
        out_printf("aliases: %s\n", e->aliases);
    print_wrapped(e->help, 0, 78);
    if (e->subs) {
        out_printf("\n");
        for (size_t i = 0; e->subs[i]; i++) {
            const cmd_entry *s = e->subs[i];
            if (s->flags & CMD_HIDDEN)
                continue;
            out_printf("  %s\n", s->usage);
            print_wrapped(s->help, 6, 78);
        }
    }
}

/* `help TOPIC` texts that front ends added ("keys"). */
static struct help_topic {
    const char *topic;
    void (*print)(void);
} help_topics[4];

/* Add a help topic (at most four; the rest are ignored). */
void cmd_add_help_topic(const char *topic, void (*print)(void))
{
    for (size_t i = 0; i < sizeof help_topics / sizeof *help_topics; i++)
        if (!help_topics[i].topic || !strcmp(help_topics[i].topic, topic)) {
            help_topics[i].topic = topic;
            help_topics[i].print = print;
            return;
        }
}

/* help [COMMAND [SUBCOMMAND]] | help keys */
static int cmd_help_exec(cmd_args *a)
{
    if (a->argc == 0) {
        out_printf("Commands (unique prefixes work; `help COMMAND` for "
                   "more, `help keys` for the screen):\n");
        for (size_t i = 0; cmd_table[i]; i++) {
            const cmd_entry *e = cmd_table[i];
            if (e->flags & CMD_HIDDEN)
                continue;
            char sum[200], name[64];
            summary(e->help, sum, sizeof sum);
            if (e->aliases) {
                const char *sp = strchr(e->aliases, ' ');
                int n = sp ? (int)(sp - e->aliases) : (int)strlen(e->aliases);
                snprintf(name, sizeof name, "%s (%.*s)", e->name, n,
                         e->aliases);
            } else {
                snprintf(name, sizeof name, "%s", e->name);
            }
            out_printf("  %-15s %s\n", name, sum);
        }
        return 0;
    }
    for (size_t i = 0; i < sizeof help_topics / sizeof *help_topics; i++)
        if (help_topics[i].topic && !strcmp(a->argv[0], help_topics[i].topic)) {
            help_topics[i].print();
            return 0;
        }
    char err[256];
    const cmd_entry *e = cmd_lookup(cmd_table, a->argv[0], err, sizeof err, NULL);
    if (!e) {
        out_error("no command %s", err);
        return -1;
    }
    if (a->argc >= 2 && e->subs) {
        const cmd_entry *s = cmd_lookup(e->subs, a->argv[1], err, sizeof err, NULL);
        if (!s) {
            out_error("no %s subcommand %s", e->name, err);
            return -1;
        }
        e = s;
    }
    help_entry(e);
    return 0;
}

const cmd_entry cmd_help_entry = {
    .name = "help",
    .aliases = "h",
    .usage = "help [COMMAND [SUBCOMMAND]] | help keys",
    .help = "List the commands, or explain one. `help keys` lists the keys "
            "of the screen.",
    .exec = cmd_help_exec,
    .complete = CC_COMMAND,
};

/* quit [STATUS] */
static int cmd_quit_exec(cmd_args *a)
{
    long st = -1;
    if (a->argc > 1 || (a->argc == 1 && (!parse_long(a->argv[0], &st) ||
                                         st < 0 || st > 255)))
        return cmd_usage_error(&cmd_quit_entry);
    g_opts.quit = true;
    g_opts.quit_status = (int)st;
    return 0;
}

const cmd_entry cmd_quit_entry = {
    .name = "quit",
    .aliases = "q exit",
    .usage = "quit [STATUS]",
    .help = "Leave ttdb. In batch mode the exit status is STATUS when "
            "given, else it says whether a command failed or a sparkle "
            "crashed.",
    .exec = cmd_quit_exec,
};

/* set [NAME [VALUE]] */
static int cmd_set_exec(cmd_args *a)
{
    if (a->argc == 0) {
        options_list();
        return 0;
    }
    if (strcmp(a->argv[0], "app-output") == 0) {
        if (a->argc == 1) {
            out_printf("app-output %s\n", appout_file() ? appout_file() : "-");
            return 0;
        }
        if (a->argc != 2)
            return cmd_usage_error(&cmd_set_entry);
        return appout_set_file(a->argv[1]);
    }
    if (strcmp(a->argv[0], "var") == 0 || strcmp(a->argv[0], "variable") == 0) {
        cmd_args rest = {.argc = a->argc - 1, .argv = a->argv + 1,
                         .raw = a->raw + 1, .starts = a->starts + 1};
        return setvar_exec(&rest);
    }
    if (a->argc > 2 && !options_gdb_only(a->argv[0])) /* set print pretty on */
        return cmd_usage_error(&cmd_set_entry);
    return options_set(a->argv[0], a->argc >= 2 ? a->argv[1] : NULL);
}

const cmd_entry cmd_set_entry = {
    .name = "set",
    .usage = "set [NAME [VALUE]] | set var TONIC.FIELD = VALUE | "
             "set app-output FILE|-",
    .help = "Show the settings, or change one: watchdog SECONDS, timeout "
            "SECONDS, wall-guard SECONDS, trace-ring N, system on|off, "
            "compat native|python, stop-on-error on|off (both inputs of the "
            "session: goto and save-test repeat them), giant-sparkle MS, "
            "stuck-after N, queue-growth N (the limits of `info lints`), "
            "entries on|off, entries-max N, echo on|off, keep-going on|off. "
            "`set` alone "
            "lists them with their values. `set var` (or `set variable`) "
            "writes a field probe of a tonic, the value read by the field's "
            "type as `call` reads arguments (a computed probe cannot be "
            "set); like `call` it is an input of the session, kept by "
            "save-test. `set app-output FILE` sends what the app prints "
            "(stdout and stderr) to FILE; `-` brings it back (the Console, "
            "marked app|, on the screen; the terminal in batch mode).",
    .exec = cmd_set_exec,
    .complete = CC_SETTING,
};

/* show [NAME]: print, never change (as in gdb). */
static int cmd_show_exec(cmd_args *a)
{
    if (a->argc == 0) {
        options_list();
        return 0;
    }
    if (a->argc > 1) {
        out_error("show only prints a setting; to change it: set %s %s",
                  a->argv[0], a->raw[1]);
        return -1;
    }
    if (strcmp(a->argv[0], "version") == 0) { /* gdb's show version */
        out_printf("ttdb (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
        return 0;
    }
    if (strcmp(a->argv[0], "app-output") == 0) {
        out_printf("app-output %s\n", appout_file() ? appout_file() : "-");
        return 0;
    }
    if (strcmp(a->argv[0], "var") == 0 || strcmp(a->argv[0], "variable") == 0) {
        out_error("show %s: to read a field, print TONIC.FIELD", a->argv[0]);
        return -1;
    }
    return options_set(a->argv[0], NULL);
}

const cmd_entry cmd_show_entry = {
    .name = "show",
    .usage = "show [NAME]",
    .help = "Print the settings, or one of them, with its value; it never "
            "changes one (that is `set NAME VALUE`). `show version` prints "
            "ttdb's version.",
    .exec = cmd_show_exec,
};

/* file APP */
static int cmd_file_exec(cmd_args *a)
{
    if (a->argc != 1)
        return cmd_usage_error(&cmd_file_entry);
    if (session_open(&g_session, a->argv[0]) < 0)
        return -1;
    tt_catalyst *cat = g_session.cat;
    if (g_session.recorded) {
        session_describe_trace(&g_session);
        return 0;
    }
    out_printf("loaded %s: %zu tonics, %zu orders queued\n", a->argv[0],
               tt_tonic_count(cat), tt_queue_length(cat));
    return 0;
}

const cmd_entry cmd_file_entry = {
    .name = "file",
    .usage = "file APP|TRACE.json",
    .help = "Load another app module (a .so, or the libtool .la naming "
            "one) and start it, or open a trace file (FILE.json) to "
            "inspect it post-mortem; the current session ends. Breakpoints "
            "and displays are kept.",
    .exec = cmd_file_exec,
    .complete = CC_FILE,
};

/* source FILE */
static int cmd_source_exec(cmd_args *a)
{
    if (a->argc != 1)
        return cmd_usage_error(&cmd_source_entry);
    FILE *f = fopen(a->argv[0], "r");
    if (!f) {
        out_error("cannot read %s: %s", a->argv[0], strerror(errno));
        return -1;
    }
    int rc = script_run_file(a->argv[0], f);
    fclose(f);
    return rc;
}

const cmd_entry cmd_source_entry = {
    .name = "source",
    .usage = "source FILE",
    .help = "Run the commands in FILE (one per line; # starts a comment), "
            "stopping at the first that fails. A folder, a line longer than "
            "1 MiB or scripts nested deeper than 64 are refused.",
    .exec = cmd_source_exec,
    .complete = CC_FILE,
};

/* echo TEXT */
static int cmd_echo_exec(cmd_args *a)
{
    strbuf b = {0};
    for (int i = 0; i < a->argc; i++)
        sb_printf(&b, "%s%s", i ? " " : "", a->argv[i]);
    out_printf("%s\n", b.s ? b.s : "");
    sb_free(&b);
    return 0;
}

const cmd_entry cmd_echo_entry = {
    .name = "echo",
    .usage = "echo TEXT...",
    .help = "Print the text (useful in scripts).",
    .exec = cmd_echo_exec,
};
