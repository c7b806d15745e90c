/*
 * view-console.c: the Console pane, where command output goes while the
 * screen runs (output.c's sink): the last CONSOLE_MAX lines, each with its
 * kind (errors in the error colour, the echoed command in bold).
 */
#include "screen.h"

#include <stdlib.h>
#include <string.h>

#define CONSOLE_MAX 5000

typedef struct console_line {
    out_kind kind;
    char *text;
} console_line;

static console_line lines[CONSOLE_MAX];
static size_t head, count; /* ring: oldest at head */
static size_t total;       /* lines ever added */

/* Append one line (the oldest goes when full). */
void console_add(out_kind kind, const char *line)
{
    size_t slot;
    if (count == CONSOLE_MAX) {
        slot = head;
        free(lines[slot].text);
        head = (head + 1) % CONSOLE_MAX;
    } else {
        slot = (head + count) % CONSOLE_MAX;
        count++;
    }
    /* tabs become spaces so that columns stay right */
    char *t = xstrdup(line);
    for (char *c = t; *c; c++)
        if (*c == '\t')
            *c = ' ';
    lines[slot] = (console_line){kind, t};
    total++;
    pane *p = &g_panes[PANE_CONSOLE];
    p->dirty = true;
}

/* Free every line. */
static void console_free(void)
{
    for (size_t i = 0; i < count; i++)
        free(lines[(head + i) % CONSOLE_MAX].text);
    head = count = 0;
}

/* Lines added since the start. */
size_t console_total(void)
{
    return total;
}

/* The lines added since `since`, still in the ring, one per line. */
char *console_text_since(size_t since)
{
    strbuf b = {0};
    size_t n = total - since;
    if (n > count)
        n = count;
    for (size_t i = count - n; i < count; i++)
        sb_printf(&b, "%s\n", lines[(head + i) % CONSOLE_MAX].text);
    return sb_take(&b);
}

static size_t console_rows(pane *p)
{
    (void)p;
    return count;
}

static void console_draw_row(pane *p, int y, size_t row, int w, bool sel)
{
    const console_line *l = &lines[(head + row) % CONSOLE_MAX];
    attr_t a = l->kind == OUT_ERROR ? A_ERROR
               : l->kind == OUT_WARN ? A_HILITE
               : l->kind == OUT_ECHO ? A_BOLD
                                     : 0;
    view_row(p, y, l->text, w, a, sel);
}

/* Enter on a line: show it whole (long lines are cut in the pane). */
static void console_activate(pane *p, size_t row)
{
    (void)p;
    if (row < count)
        detail_open("console line", lines[(head + row) % CONSOLE_MAX].text);
}

const pane_ops console_ops = {
    .title = "Console",
    .rows = console_rows,
    .draw_row = console_draw_row,
    .activate = console_activate,
    .follow = true,
    .free = console_free,
};
