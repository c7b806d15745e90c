/*
 * keys.c: the screen's keys, as data.  Keys in the PANE scope act when a
 * pane has the focus; in the COMMAND scope when the command line has it
 * (all other keys there go to readline); ANY in both.  In a pane, a
 * printable key that is not bound moves the focus to the command line and
 * starts a command with it.
 */
#include "screen.h"

#include <string.h>

enum { KS_PANE = 1, KS_COMMAND = 2, KS_ANY = 3 };

typedef struct key_binding {
    int key;
    unsigned scope;
    key_action action;
    const char *name; /* as shown by `help keys` (NULL: same as previous) */
    const char *help;
} key_binding;

static const key_binding bindings[] = {
    {'\t', KS_ANY, KA_FOCUS_NEXT, "Tab",
     "next pane (on the command line: completes, or moves to the panes "
     "when the line is empty)"},
    {FKEY(KEY_BTAB), KS_ANY, KA_FOCUS_PREV, "Shift-Tab", "previous pane"},
    {27, KS_PANE, KA_FOCUS_COMMAND, "Esc :", "back to the command line"},
    {':', KS_PANE, KA_FOCUS_COMMAND, NULL, NULL},
    {FKEY(KEY_UP), KS_PANE, KA_UP, "Up k", "previous row"},
    {'k', KS_PANE, KA_UP, NULL, NULL},
    {FKEY(KEY_DOWN), KS_PANE, KA_DOWN, "Down j", "next row"},
    {'j', KS_PANE, KA_DOWN, NULL, NULL},
    {FKEY(KEY_PPAGE), KS_PANE, KA_PGUP, "PgUp PgDn", "scroll a page"},
    {FKEY(KEY_NPAGE), KS_PANE, KA_PGDN, NULL, NULL},
    {FKEY(KEY_HOME), KS_PANE, KA_HOME, "Home g", "first row"},
    {'g', KS_PANE, KA_HOME, NULL, NULL},
    {FKEY(KEY_END), KS_PANE, KA_END, "End G",
     "last row (the Trace pane then follows new entries)"},
    {'G', KS_PANE, KA_END, NULL, NULL},
    {'\r', KS_PANE, KA_ACTIVATE, "Enter",
     "details of the row (a trace entry as JSON, a tonic's states, probes "
     "and sparkles)"},
    {'\n', KS_PANE, KA_ACTIVATE, NULL, NULL},
    {FKEY(KEY_ENTER), KS_PANE, KA_ACTIVATE, NULL, NULL},
    {'/', KS_PANE, KA_SEARCH, "/ ?", "search the trace forward / backward (also on an empty command line)"},
    {'?', KS_PANE, KA_SEARCH_BACK, NULL, NULL},
    {'n', KS_PANE, KA_SEARCH_NEXT, "n N", "next / previous match"},
    {'N', KS_PANE, KA_SEARCH_PREV, NULL, NULL},
    {'h', KS_PANE, KA_TOGGLE_SYSTEM, "h",
     "hide or show system sparkles (_tt*) in the trace"},
    {'o', KS_PANE, KA_TRACE_GOTO, "o",
     "(Trace pane) go to the selected entry: `goto #N`, every pane then "
     "shows that moment"},
    {'w', KS_PANE, KA_TRACE_WHY, "w",
     "(Trace pane) why the selected entry ran: its cause chain"},
    {12, KS_ANY, KA_REDRAW, "Ctrl-L", "redraw the screen"},
    {FKEY(KEY_PPAGE), KS_COMMAND, KA_TRACE_PGUP, "PgUp PgDn",
     "(on the command line) scroll the Trace pane"},
    {FKEY(KEY_NPAGE), KS_COMMAND, KA_TRACE_PGDN, NULL, NULL},
};

/* The action bound to key in the current focus. */
key_action keys_lookup(int key, bool pane_focus)
{
    unsigned scope = pane_focus ? KS_PANE : KS_COMMAND;
    for (size_t i = 0; i < sizeof bindings / sizeof *bindings; i++)
        if (bindings[i].key == key && (bindings[i].scope & scope))
            return bindings[i].action;
    return KA_NONE;
}

/* `help keys`. */
void keys_help(void)
{
    out_printf("Keys of the screen (a pane has the focus after Tab; typing "
               "a command letter goes back to the command line):\n");
    for (size_t i = 0; i < sizeof bindings / sizeof *bindings; i++)
        if (bindings[i].name)
            out_printf("  %-10s %s\n", bindings[i].name, bindings[i].help);
    out_printf("  %-10s %s\n", "Enter",
               "(on an empty command line) repeat the last step, continue or until");
    out_printf("  %-10s %s\n", "Ctrl-C",
               "interrupt a running continue between two sparkles; a second "
               "Ctrl-C stops a sparkle that does not return");
    out_printf("  %-10s %s\n", "Up Down",
               "(on the command line) history; readline keys and ~/.inputrc "
               "apply");
}
