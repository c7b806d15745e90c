/*
 * view-console.c: the Console pane, where command output goes while the
 * screen runs (output.c's sink): the last CONSOLE_MAX lines, each with its
 * kind (errors in the error colour, the echoed command in bold).  A line
 * longer than the pane wraps onto indented rows.
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
/* Long lines wrap: each console line takes one or more screen rows. */
static size_t *row_start;   /* [count + 1]: first screen row of each line */
static size_t rows_total, rows_for_total = (size_t)-1;
static int rows_width = -1;

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
    free(row_start);
    row_start = NULL;
    rows_for_total = (size_t)-1;
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

/* The rows of every line are counted once per width and line count. */

/* Code points of a UTF-8 string (a column each: wide characters are rare
 * in console lines). */
static size_t columns(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The byte offset of column col in s. */
static size_t column_offset(const char *s, size_t col)
{
    size_t i = 0, c = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (c == col)
                return i;
            c++;
        }
    }
    return i;
}

/* The width the text gets (the separator column left out). */
static int text_width(const pane *p)
{
    int w = p->w - (p->sep ? 1 : 0);
    return w > 8 ? w : 8;
}

/* Count the screen rows of every line for the pane's width. */
static void count_rows(const pane *p)
{
    int w = text_width(p);
    if (rows_for_total == total && rows_width == w && row_start)
        return;
    row_start = xrealloc(row_start, (count + 1) * sizeof *row_start);
    size_t r = 0;
    for (size_t i = 0; i < count; i++) {
        row_start[i] = r;
        size_t c = columns(lines[(head + i) % CONSOLE_MAX].text);
        /* continuation rows are indented by two columns */
        r += c <= (size_t)w ? 1 : 1 + (c - (size_t)w + (size_t)w - 3) / ((size_t)w - 2);
    }
    row_start[count] = r;
    rows_total = r;
    rows_for_total = total;
    rows_width = w;
}

static size_t console_rows(pane *p)
{
    count_rows(p);
    return rows_total;
}

/* The console line of screen row `row` (binary search); *part gets the
 * row's index within the line. */
static size_t line_of_row(size_t row, size_t *part)
{
    size_t lo = 0, hi = count;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (row_start[mid] <= row)
            lo = mid;
        else
            hi = mid;
    }
    *part = row - row_start[lo];
    return lo;
}

static void console_draw_row(pane *p, int y, size_t row, int w, bool sel)
{
    count_rows(p);
    size_t part;
    size_t i = line_of_row(row, &part);
    const console_line *l = &lines[(head + i) % CONSOLE_MAX];
    attr_t a = l->kind == OUT_ERROR ? A_ERROR
               : l->kind == OUT_WARN ? A_HILITE
               : l->kind == OUT_ECHO ? A_BOLD
                                     : 0;
    int tw = text_width(p);
    if (part == 0) {
        view_row(p, y, l->text, w, a, sel);
        return;
    }
    /* a continuation: "  " and the next w - 2 columns */
    size_t from = (size_t)tw + (part - 1) * (size_t)(tw - 2);
    char *t = xasprintf("  %s", l->text + column_offset(l->text, from));
    view_row(p, y, t, w, a, sel);
    free(t);
}

/* Enter on a line: show it whole in a popup. */
static void console_activate(pane *p, size_t row)
{
    count_rows(p);
    size_t part;
    if (row < rows_total)
        detail_open("console line",
                    lines[(head + line_of_row(row, &part)) % CONSOLE_MAX].text);
}

const pane_ops console_ops = {
    .title = "Console",
    .rows = console_rows,
    .draw_row = console_draw_row,
    .activate = console_activate,
    .follow = true,
    .free = console_free,
    .layout = {.band = 2, .height = 30, .small = true},
};
