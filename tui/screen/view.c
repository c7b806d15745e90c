/*
 * view.c: the pane framework: geometry, focus, scrolling and the paint
 * pass.  The layout comes from the panes' own .layout (screen.h); with
 * today's panes the rows of the screen are, top to bottom:
 *
 *     Tonics | Queue          band 0, 28% of the rows
 *     Trace                   band 1, the rest
 *     Probes | Console        band 2, 30%
 *     status line
 *     command line (readline)
 *
 * On a short terminal (fewer than 16 rows) only the panes marked small
 * (Trace and Console) stay.
 * Each pane has a title line; the focused one is marked "> Title" and
 * drawn in A_TITLE_FOCUS, so focus is visible without colour too.
 */
#include "screen.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

pane g_panes[N_PANES];
attr_t A_TITLE, A_TITLE_FOCUS, A_DIMMED, A_HILITE, A_ERROR, A_SELECT,
    A_STATUS, A_MARK;

static WINDOW *status_win, *cmd_win;
static int focus = -1; /* -1: the command line; else a pane_id */
static bool status_dirty = true;

/* Every pane, in pane_id order. */
const pane_ops *const pane_table[N_PANES] = {
#define PANE_ENTRY(ID, NAME) &NAME##_ops,
    PANE_TABLE(PANE_ENTRY)
#undef PANE_ENTRY
};

/* Set up the panes (windows come with view_layout). */
void view_init(void)
{
    for (int i = 0; i < N_PANES; i++)
        g_panes[i] = (pane){.id = (pane_id)i, .ops = pane_table[i],
                            .dirty = true, .follow = pane_table[i]->follow};
    if (g_has_colors) {
        init_pair(1, COLOR_BLACK, COLOR_CYAN);  /* title */
        init_pair(2, COLOR_WHITE, COLOR_BLUE);  /* focused title */
        init_pair(3, COLOR_YELLOW, -1);         /* highlight */
        init_pair(4, COLOR_RED, -1);            /* error */
        init_pair(5, COLOR_BLACK, COLOR_WHITE); /* status */
        init_pair(6, COLOR_GREEN, -1);          /* marks */
        A_TITLE = COLOR_PAIR(1);
        A_TITLE_FOCUS = COLOR_PAIR(2) | A_BOLD;
        A_HILITE = COLOR_PAIR(3) | A_BOLD;
        A_ERROR = COLOR_PAIR(4) | A_BOLD;
        A_STATUS = COLOR_PAIR(5);
        A_MARK = COLOR_PAIR(6);
    } else {
        A_TITLE = A_UNDERLINE;
        A_TITLE_FOCUS = A_REVERSE | A_BOLD;
        A_HILITE = A_BOLD;
        A_ERROR = A_BOLD;
        A_STATUS = A_REVERSE;
        A_MARK = A_BOLD;
    }
    A_DIMMED = A_DIM;
    A_SELECT = A_REVERSE;
}

/* Delete every window. */
static void windows_free(void)
{
    for (int i = 0; i < N_PANES; i++) {
        if (g_panes[i].win)
            delwin(g_panes[i].win);
        g_panes[i].win = NULL;
    }
    if (status_win)
        delwin(status_win);
    if (cmd_win)
        delwin(cmd_win);
    status_win = cmd_win = NULL;
}

/* Free the windows and the panes' data. */
void view_free(void)
{
    windows_free();
    for (int i = 0; i < N_PANES; i++)
        if (pane_table[i]->free)
            pane_table[i]->free();
}

/* Give pane id its geometry (h == 0 hides it). */
static void place(pane_id id, int y, int x, int h, int w, bool sep)
{
    pane *p = &g_panes[id];
    p->y = y;
    p->x = x;
    p->h = h;
    p->w = w;
    p->sep = sep;
    p->visible = h >= 2 && w >= 4;
    p->dirty = true;
    if (p->visible)
        p->win = newwin(h, w, y, x);
}

/* Below this many pane rows only the panes marked small stay. */
#define LAYOUT_FULL_ROWS 14
/* The fewest rows of a band with a share. */
#define LAYOUT_MIN_ROWS 4

/* Whether pane i is shown in a full (or short) layout. */
static bool laid_out(int i, bool full)
{
    return full || pane_table[i]->layout.small;
}

/* Place the panes of band b shown in this layout: rows y..y+h, left to
 * right in table order; those without a width share what the others
 * leave, and the last one reaches the right edge. */
static void place_band(int b, bool full, int y, int h, int C)
{
    int last = -1, x = 0, left = C, open = 0;
    for (int i = 0; i < N_PANES; i++) {
        const pane_layout *lo = &pane_table[i]->layout;
        if (lo->band != b || !laid_out(i, full))
            continue;
        last = i;
        if (lo->width)
            left -= C * lo->width / 100;
        else
            open++;
    }
    for (int i = 0; i <= last; i++) {
        const pane_layout *lo = &pane_table[i]->layout;
        if (lo->band != b || !laid_out(i, full))
            continue;
        int w = i == last   ? C - x
                : lo->width ? C * lo->width / 100
                            : left / open;
        place((pane_id)i, y, x, h, w, i != last);
        x += w;
    }
}

/* Compute the geometry from the panes' layouts and create the windows. */
void view_layout(void)
{
    windows_free();
    int L = LINES, C = COLS;
    int H = L - 2;
    if (H < 2)
        H = 2;
    bool full = H >= LAYOUT_FULL_ROWS;
    int bands = 0;
    for (int i = 0; i < N_PANES; i++) {
        place((pane_id)i, 0, 0, 0, 0, false); /* hidden unless laid out */
        if (pane_table[i]->layout.band >= bands)
            bands = pane_table[i]->layout.band + 1;
    }
    /* each band's rows: its share (-1: it takes the rest), 0 when empty */
    int rows[N_PANES + 1] = {0}, shown = 0, fixed = 0, rest_bands = 0;
    bool used[N_PANES + 1] = {false};
    for (int i = 0; i < N_PANES; i++) {
        const pane_layout *lo = &pane_table[i]->layout;
        if (!laid_out(i, full) || lo->band < 0 || lo->band > N_PANES)
            continue;
        if (!used[lo->band])
            shown++;
        used[lo->band] = true;
        if (lo->height > rows[lo->band])
            rows[lo->band] = lo->height;
    }
    if (bands > N_PANES + 1)
        bands = N_PANES + 1;
    for (int b = 0; b < bands; b++) {
        if (!used[b])
            continue;
        if (rows[b] == 0) {
            rows[b] = -1;
            rest_bands++;
            continue;
        }
        rows[b] = full ? H * rows[b] / 100 : H / shown;
        if (full && rows[b] < LAYOUT_MIN_ROWS)
            rows[b] = LAYOUT_MIN_ROWS;
        fixed += rows[b];
    }
    int left = H - fixed, y = 0;
    for (int b = 0; b < bands; b++) {
        if (!used[b])
            continue;
        int h = rows[b];
        if (h < 0) { /* the rest, shared by the bands without a share */
            h = left / rest_bands--;
            left -= h;
        }
        place_band(b, full, y, h, C);
        y += h;
    }
    status_win = newwin(1, C, L - 2 >= 0 ? L - 2 : 0, 0);
    cmd_win = newwin(1, C, L - 1, 0);
    if (cmd_win) { /* keys are read here (screen.c) */
        keypad(cmd_win, TRUE);
        nodelay(cmd_win, TRUE);
    }
    if (focus >= 0 && !g_panes[focus].visible)
        focus = -1;
    status_dirty = true;
    g_prompt_dirty = true;
    clearok(curscr, TRUE);
}

/* The window keys are read from (the command line's). */
WINDOW *view_input_win(void)
{
    return cmd_win;
}

/* Everything is dirty. */
void view_dirty_all(void)
{
    for (int i = 0; i < N_PANES; i++)
        g_panes[i].dirty = true;
    status_dirty = true;
    g_prompt_dirty = true;
}

/* Put text clipped to cols display columns; ASCII runs in one call. */
int view_put(WINDOW *w, int y, int x, const char *s, int cols, attr_t a)
{
    if (cols <= 0)
        return 0;
    wmove(w, y, x);
    wattron(w, a);
    int used = 0;
    const unsigned char *p = (const unsigned char *)s;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    while (*p && used < cols) {
        const unsigned char *run = p;
        while (*p >= 32 && *p < 127 && used + (p - run) < cols)
            p++;
        if (p > run) {
            waddnstr(w, (const char *)run, (int)(p - run));
            used += (int)(p - run);
            continue;
        }
        if (*p < 32 || *p == 127) {
            waddch(w, '?');
            used++;
            p++;
            continue;
        }
#ifdef TT_HAVE_WIDE_CURSES
        wchar_t wc;
        size_t n = mbrtowc(&wc, (const char *)p, MB_CUR_MAX, &st);
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            memset(&st, 0, sizeof st);
            waddch(w, '?');
            used++;
            p++;
            continue;
        }
        int cw = wcwidth(wc);
        if (cw < 0) {
            waddch(w, '?');
            used++;
            p += n;
            continue;
        }
        if (used + cw > cols)
            break;
        waddnwstr(w, &wc, 1);
        used += cw;
        p += n;
#else
        waddch(w, '?');
        used++;
        p++;
#endif
    }
    wattroff(w, a);
    return used;
}

/* One content row: text padded to w, reversed when selected. */
void view_row(pane *p, int y, const char *text, int w, attr_t a,
              bool selected)
{
    attr_t at = a | (selected ? A_SELECT : 0);
    int used = view_put(p->win, y, 0, text, w, at);
    if (selected && used < w) {
        wattron(p->win, at);
        mvwhline(p->win, y, used, ' ', w - used);
        wattroff(p->win, at);
    }
}

/* Keep sel inside the rows and visible; follow mode pins the end. */
static void clamp(pane *p, size_t n)
{
    size_t ch = p->h > 1 ? (size_t)(p->h - 1) : 1;
    if (n == 0) {
        p->sel = p->top = 0;
        return;
    }
    if (p->follow || p->sel >= n)
        p->sel = n - 1;
    if (p->sel < p->top)
        p->top = p->sel;
    if (p->sel >= p->top + ch)
        p->top = p->sel - ch + 1;
    if (p->follow)
        p->top = n > ch ? n - ch : 0;
    if (p->top + ch > n)
        p->top = n > ch ? n - ch : 0;
}

/* Draw one pane completely. */
static void pane_draw(pane *p)
{
    WINDOW *w = p->win;
    if (p->ops->update)
        p->ops->update(p);
    size_t n = p->ops->rows(p);
    clamp(p, n);
    werase(w);
    bool focused = focus == (int)p->id;
    int cw = p->w - (p->sep ? 1 : 0);
    attr_t ta = focused ? A_TITLE_FOCUS : A_TITLE;
    wattron(w, ta);
    mvwhline(w, 0, 0, ' ', cw);
    wattroff(w, ta);
    char title[160], extra[128] = "";
    if (p->ops->title_extra)
        p->ops->title_extra(p, extra, sizeof extra);
    snprintf(title, sizeof title, "%s%s%s%s", focused ? "> " : "  ",
             p->ops->title, extra[0] ? "  " : "", extra);
    view_put(w, 0, 0, title, cw, ta);
    int rows = p->h - 1;
    for (int i = 0; i < rows; i++) {
        size_t r = p->top + (size_t)i;
        if (r >= n)
            break;
        p->ops->draw_row(p, 1 + i, r, cw, focused && r == p->sel);
    }
    const char *empty =
        p->ops->empty_fn ? p->ops->empty_fn(p) : p->ops->empty_text;
    if (n == 0 && empty && rows > 0)
        view_put(w, 1, 1, empty, cw - 1, A_DIMMED);
    if (p->sep)
        mvwvline(w, 0, p->w - 1, ACS_VLINE, p->h);
    wnoutrefresh(w);
    p->dirty = false;
}

/* Paint what is dirty, then the command line, then one doupdate. */
void view_paint(void)
{
    for (int i = 0; i < N_PANES; i++) {
        pane *p = &g_panes[i];
        if (p->visible && p->win && p->dirty)
            pane_draw(p);
    }
    if (detail_is_open())
        detail_draw();
    if (status_win) { /* one line: always repainted */
        status_draw(status_win);
        wnoutrefresh(status_win);
        status_dirty = false;
    }
    if (cmd_win) {
        curs_set(focus < 0 && !detail_is_open() ? 1 : 0);
        prompt_draw(cmd_win);
        wnoutrefresh(cmd_win);
    }
    doupdate();
}

/* The focused pane, or NULL for the command line. */
pane *view_focused(void)
{
    return focus >= 0 ? &g_panes[focus] : NULL;
}

/* Focus a pane (NULL: the command line). */
void view_focus_set(pane *p)
{
    int old = focus;
    focus = p ? (int)p->id : -1;
    if (old >= 0)
        g_panes[old].dirty = true;
    if (focus >= 0)
        g_panes[focus].dirty = true;
    g_prompt_dirty = true;
}

/* Next focus: command line, then the visible panes in order. */
void view_focus_cycle(int dir)
{
    int f = focus;
    for (int k = 0; k <= N_PANES; k++) {
        f += dir;
        if (f >= N_PANES)
            f = -1;
        if (f < -1)
            f = N_PANES - 1;
        if (f == -1 || g_panes[f].visible)
            break;
    }
    view_focus_set(f >= 0 ? &g_panes[f] : NULL);
}

/* Select a row of p and scroll it into view (stops following). */
void view_select(pane *p, size_t row)
{
    size_t n = p->ops->rows(p);
    p->sel = n && row >= n ? n - 1 : row;
    p->follow = n == 0 || p->sel == n - 1;
    size_t ch = p->h > 1 ? (size_t)(p->h - 1) : 1;
    if (p->sel < p->top || p->sel >= p->top + ch)
        p->top = p->sel > ch / 2 ? p->sel - ch / 2 : 0;
    p->dirty = true;
}

/* Move the selection. */
void view_scroll(pane *p, scroll_op op)
{
    size_t n = p->ops->rows(p);
    size_t page = p->h > 2 ? (size_t)(p->h - 2) : 1;
    if (n == 0)
        return;
    size_t s = p->sel;
    switch (op) {
    case SCROLL_UP:
        s = s ? s - 1 : 0;
        break;
    case SCROLL_DOWN:
        s = s + 1 < n ? s + 1 : n - 1;
        break;
    case SCROLL_PGUP:
        s = s > page ? s - page : 0;
        if (p->top > page)
            p->top -= page;
        else
            p->top = 0;
        break;
    case SCROLL_PGDN:
        s = s + page < n ? s + page : n - 1;
        p->top += page;
        break;
    case SCROLL_HOME:
        s = 0;
        break;
    case SCROLL_END:
        s = n - 1;
        break;
    }
    p->sel = s;
    p->follow = s == n - 1;
    p->dirty = true;
}

/* Time n redraws of the trace pane (draw + ncurses output), with the
 * newest rows visible or scrolled to the middle.  Every other redraw is
 * one row further, so that every line changes, as when entries arrive. */
double view_time_trace(long n, bool middle)
{
    pane *p = &g_panes[PANE_TRACE];
    if (!p->visible || !p->win)
        return -1;
    size_t rows = p->ops->rows(p); /* hidden system sparkles: the index */
    size_t ch = p->h > 1 ? (size_t)(p->h - 1) : 1;
    size_t base = rows ? (middle ? rows / 2 : rows - 1) : 0;
    double t0 = now_mono();
    for (long i = 0; i < n; i++) {
        size_t sel = base > 0 ? base - (size_t)(i & 1) : 0;
        p->follow = false;
        p->sel = sel;
        p->top = sel + 1 > ch ? sel + 1 - ch : 0;
        pane_draw(p);
        doupdate();
    }
    double ms = (now_mono() - t0) * 1000.0 / (double)n;
    p->follow = true;
    p->dirty = true;
    return ms;
}
