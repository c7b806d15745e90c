/*
 * view-detail.c: a popup over the panes showing one text in full (a trace
 * entry as JSON, a tonic, a long console line).  Lines longer than the
 * popup are wrapped.  Arrows and PgUp/PgDn/Home/End scroll it; any other
 * key closes it.  A popup of a command's output leaves the letters to the
 * command line (the user is typing the next command): only the keys that
 * type nothing scroll it.
 */
#include "screen.h"

#include <stdlib.h>
#include <string.h>

static struct {
    bool open;
    bool typing; /* opened from the command line: letters go on to it */
    char *title;
    char *text;
    strvec lines; /* wrapped to the popup's width */
    int width;
    size_t top;
    WINDOW *win;
} D;

/* The column where a wrapped line's continuation starts: the text after a
 * gap of two or more spaces (help's description column, "  step (s)   Run
 * ..."), else the line's own indentation. */
static size_t hang_column(const char *line, size_t len, int w)
{
    size_t lead = 0;
    while (lead < len && line[lead] == ' ')
        lead++;
    for (size_t i = lead; i + 2 < len; i++)
        if (line[i] == ' ' && line[i + 1] == ' ') {
            size_t c = i;
            while (c < len && line[c] == ' ')
                c++;
            return c < (size_t)w / 2 ? c : lead;
        }
    return lead < (size_t)w / 2 ? lead : 0;
}

/* Cut the text into lines of at most w bytes: at a space where there is
 * one, never inside a UTF-8 character, continuations indented under the
 * first line's text. */
static void wrap(int w)
{
    sv_free(&D.lines);
    D.width = w;
    const char *p = D.text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        size_t hang = hang_column(p, len, w), indent = 0;
        do {
            size_t room = (size_t)w - indent, take = len;
            if (take > room) {
                take = room;
                while (take > 0 && ((unsigned char)p[take] & 0xC0) == 0x80)
                    take--; /* not inside a UTF-8 character */
                size_t sp = take;
                while (sp > room / 3 && p[sp] != ' ')
                    sp--;
                if (sp > room / 3)
                    take = sp;
                if (take == 0)
                    take = 1;
            }
            char *line = xmalloc(indent + take + 1);
            memset(line, ' ', indent);
            memcpy(line + indent, p, take);
            line[indent + take] = '\0';
            sv_add(&D.lines, line);
            free(line);
            p += take;
            len -= take;
            while (len > 0 && *p == ' ') { /* the break's space */
                p++;
                len--;
            }
            indent = hang;
        } while (len > 0);
        if (!nl)
            break;
        p = nl + 1;
    }
}

/* Open the popup with a copy of text. */
void detail_open(const char *title, const char *text)
{
    detail_close();
    D.open = true;
    D.typing = false;
    D.title = xstrdup(title);
    D.text = xstrdup(text);
    D.top = 0;
    D.width = 0;
    view_dirty_all();
}

/* Open the popup with a command's output: a letter typed right after the
 * command (the g of the next `goto`) closes it and is typed, rather than
 * scrolling it as j, k, g and G do in a popup opened from a pane. */
void detail_open_output(const char *title, const char *text)
{
    detail_open(title, text);
    D.typing = true;
}

/* Whether the popup is shown. */
bool detail_is_open(void)
{
    return D.open;
}

/* Close the popup. */
void detail_close(void)
{
    if (D.win)
        delwin(D.win);
    D.win = NULL;
    free(D.title);
    free(D.text);
    D.title = D.text = NULL;
    sv_free(&D.lines);
    if (D.open)
        view_dirty_all();
    D.open = false;
}

/* Geometry: as tall as the text needs, at most most of the screen above
 * the status line (the text is wrapped to the width first). */
static void geometry(int *y, int *x, int *h, int *w)
{
    *h = LINES - 4;
    *w = COLS - 4;
    if (*h < 3)
        *h = LINES - 2 > 3 ? LINES - 2 : 3;
    if (*w < 10)
        *w = COLS;
    if (D.width != *w - 4)
        wrap(*w - 4 > 1 ? *w - 4 : 1);
    if (D.lines.n + 2 < (size_t)*h)
        *h = D.lines.n + 2 > 3 ? (int)D.lines.n + 2 : 3;
    *y = (LINES - 2 - *h) / 2;
    *x = (COLS - *w) / 2;
    if (*y < 0)
        *y = 0;
    if (*x < 0)
        *x = 0;
}

/* Draw the popup (after the panes, before doupdate). */
void detail_draw(void)
{
    int y, x, h, w;
    geometry(&y, &x, &h, &w);
    if (D.win)
        delwin(D.win);
    D.win = newwin(h, w, y, x);
    if (!D.win)
        return;
    size_t body = h > 2 ? (size_t)(h - 2) : 1;
    if (D.top + body > D.lines.n)
        D.top = D.lines.n > body ? D.lines.n - body : 0;
    werase(D.win);
    box(D.win, 0, 0);
    char *t = xasprintf(" %s (%zu lines; q closes) ", D.title,
                        D.lines.n);
    view_put(D.win, 0, 2, t, w - 4, A_BOLD);
    free(t);
    for (size_t i = 0; i < body && D.top + i < D.lines.n; i++)
        view_put(D.win, 1 + (int)i, 2, D.lines.v[D.top + i], w - 4, 0);
    wnoutrefresh(D.win);
}

/* A key while open: scroll; q, Esc or Enter close; any other key closes
 * and returns false, so that it goes on to the command line (in a popup
 * of a command's output, every printable key but q does). */
bool detail_key(int key)
{
    int y, x, h, w;
    geometry(&y, &x, &h, &w);
    size_t page = h > 3 ? (size_t)(h - 3) : 1;
    bool types = D.typing && key >= ' ' && key != 127 && key != 'q';
    switch (types ? KA_NONE : keys_lookup(key, true)) {
    case KA_UP:
        if (D.top)
            D.top--;
        break;
    case KA_DOWN:
        D.top++;
        break;
    case KA_PGUP:
        D.top = D.top > page ? D.top - page : 0;
        break;
    case KA_PGDN:
        D.top += page;
        break;
    case KA_HOME:
        D.top = 0;
        break;
    case KA_END:
        D.top = D.lines.n;
        break;
    default:
        detail_close();
        return key == 'q' || key == 27 || key == '\r' || key == '\n' ||
               key == FKEY(KEY_ENTER);
    }
    view_dirty_all();
    return true;
}
