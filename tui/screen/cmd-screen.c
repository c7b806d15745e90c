/*
 * cmd-screen.c: the screen's own commands, for tests and measurements
 * (dump-screen, bench-redraw; both hidden), and the `help keys` topic.
 */
#include "screen.h"

#include <errno.h>
#include <string.h>

static const cmd_entry cmd_dump_screen_entry, cmd_bench_redraw_entry;

/* dump-screen FILE */
static int cmd_dump_screen_exec(cmd_args *a)
{
    if (a->argc != 1)
        return cmd_usage_error(&cmd_dump_screen_entry);
    if (!screen_active()) {
        out_error("dump-screen: there is no screen in batch mode");
        return -1;
    }
    FILE *f = fopen(a->argv[0], "w");
    if (!f) {
        out_error("cannot write %s: %s", a->argv[0], strerror(errno));
        return -1;
    }
    screen_dump(f);
    if (fclose(f) != 0) {
        out_error("cannot write %s: %s", a->argv[0], strerror(errno));
        return -1;
    }
    return 0;
}

static const cmd_entry cmd_dump_screen_entry = {
    .name = "dump-screen",
    .usage = "dump-screen FILE",
    .help = "Write the text of the screen to FILE, one line per row (for "
            "tests).",
    .exec = cmd_dump_screen_exec,
    .complete = CC_FILE,
    .flags = CMD_HIDDEN,
};

/* bench-redraw N */
static int cmd_bench_redraw_exec(cmd_args *a)
{
    long n = 100;
    if (a->argc > 1 || (a->argc == 1 && (!parse_long(a->argv[0], &n) || n < 1)))
        return cmd_usage_error(&cmd_bench_redraw_entry);
    if (!cmd_cat())
        return -1;
    double newest, middle, index = 0;
    if (screen_bench_redraw(n, &newest, &middle, &index) < 0)
        return -1;
    out_printf("trace pane redraw: %.3f ms (newest rows), %.3f ms (middle), "
               "%llu entries, %ld redraws each\n", newest, middle,
               (unsigned long long)tt_trace_last_seq(g_session.cat), n);
    if (!g_opts.show_system)
        out_printf("index of non-system entries rebuilt in %.3f ms\n", index);
    return 0;
}

static const cmd_entry cmd_bench_redraw_entry = {
    .name = "bench-redraw",
    .usage = "bench-redraw [N]",
    .help = "Time N redraws of the Trace pane (newest rows visible, then "
            "scrolled to the middle) and print the mean time of one. In "
            "batch mode the screen is drawn to /dev/null.",
    .exec = cmd_bench_redraw_exec,
    .flags = CMD_HIDDEN,
};

static const cmd_entry *const screen_commands[] = {
    &cmd_dump_screen_entry, &cmd_bench_redraw_entry, NULL};

/* Make the commands and the key help known to the core. */
void screen_register_commands(void)
{
    cmd_add_commands(screen_commands);
    cmd_add_help_topic("keys", keys_help);
}
