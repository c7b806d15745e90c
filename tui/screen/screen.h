/*
 * screen.h: the curses side of ttdb (private to view*.c, screen.c,
 * prompt.c, status.c, keys.c, screen-dump.c).
 *
 * The screen is a set of panes (view.c: geometry, focus, scrolling, the
 * paint pass) each filled by one pane_ops table (view-*.c).  A pane never
 * copies the session: it knows a row count, a first visible row and a
 * selected row, and draws row i by asking the library for it, so the Trace
 * pane costs the same with ten entries or a million.  Code that changes
 * state only marks panes dirty; view_paint() redraws the dirty ones with
 * one wnoutrefresh each and then a single doupdate().
 */
#ifndef TTDB_SCREEN_H
#define TTDB_SCREEN_H

#include "ttdb.h"
#include "frontends.h"

#include <curses.h>

/* Every pane, in focus order: X(ID, NAME) gives it the id PANE_ID and
 * the ops NAME_ops.  Adding a pane is its file (view-NAME.c defining
 * `const pane_ops NAME_ops`, whose .layout says where it goes) and one
 * line here; the ids, the table (view.c) and the layout follow. */
#define PANE_TABLE(X)                                                       \
    X(TONICS, tonics)                                                       \
    X(QUEUE, queue)                                                         \
    X(TRACE, trace)                                                         \
    X(PROBES, probes)                                                       \
    X(CONSOLE, console)

typedef enum pane_id {
#define PANE_ID(ID, NAME) PANE_##ID,
    PANE_TABLE(PANE_ID)
#undef PANE_ID
    N_PANES
} pane_id;

typedef struct pane pane;

/* Where a pane goes (view_layout).  The screen is bands of rows, top to
 * bottom in band order; the panes of a band sit left to right in table
 * order, the last one reaching the right edge. */
typedef struct pane_layout {
    int band;    /* 0, 1, 2, ...: its band, from the top */
    int height;  /* the band's share of the rows in percent (at least 4
                    rows; the largest of its panes'); 0: the band takes the
                    rows the others leave */
    int width;   /* its share of the columns in percent; 0: an equal
                    part of what the others leave */
    bool small;  /* kept on a short terminal, where only such panes stay
                    and their bands share the rows equally (a 0-height band
                    taking the odd row) */
} pane_layout;

/* What a pane kind provides. */
typedef struct pane_ops {
    const char *title;
    /* Re-read what the pane shows from the session (called when dirty). */
    void (*update)(pane *p);
    /* Number of content rows. */
    size_t (*rows)(pane *p);
    /* Draw content row `row` at line y of the pane's window (width w). */
    void (*draw_row)(pane *p, int y, size_t row, int w, bool selected);
    /* Enter on the selected row (may be NULL). */
    void (*activate)(pane *p, size_t row);
    /* Extra text for the title ("12 pending"); may be NULL. */
    void (*title_extra)(pane *p, char *buf, size_t size);
    /* Text shown when there are no rows (may be NULL); empty_fn, when
     * set, gives it instead (it may depend on the session). */
    const char *empty_text;
    const char *(*empty_fn)(pane *p);
    /* Keep the last row selected as rows come (a log, a trace). */
    bool follow;
    /* Free the pane's own memory when the screen stops (may be NULL). */
    void (*free)(void);
    /* Where it goes on the screen. */
    pane_layout layout;
} pane_ops;

/* Every pane, in pane_id order (view.c, from PANE_TABLE). */
extern const pane_ops *const pane_table[];

struct pane {
    pane_id id;
    const pane_ops *ops;
    WINDOW *win;
    int y, x, h, w;   /* geometry, title line included */
    bool sep;         /* draw a separator in the last column */
    size_t top;       /* first visible content row */
    size_t sel;       /* selected content row */
    bool follow;      /* keep the last row selected (new rows scroll in) */
    bool dirty;
    bool visible;
};

extern pane g_panes[N_PANES];

/* --- view.c ---------------------------------------------------------- */

/* Attributes (colour when the terminal has it, else plain attributes). */
extern attr_t A_TITLE, A_TITLE_FOCUS, A_DIMMED, A_HILITE, A_ERROR, A_SELECT,
    A_STATUS, A_MARK;

void view_init(void);
void view_free(void);
/* Compute the geometry for LINES x COLS and (re)create the windows. */
void view_layout(void);
/* The window keys are read from. */
WINDOW *view_input_win(void);
/* Redraw what is dirty; one doupdate. */
void view_paint(void);
/* Mark every pane, the status and the prompt dirty. */
void view_dirty_all(void);
/* Focus: NULL when the command line has it. */
pane *view_focused(void);
void view_focus_set(pane *p);
/* Cycle the focus: command line -> panes -> command line. */
void view_focus_cycle(int dir);
/* Scroll / move the selection of p. */
typedef enum scroll_op {
    SCROLL_UP, SCROLL_DOWN, SCROLL_PGUP, SCROLL_PGDN, SCROLL_HOME, SCROLL_END
} scroll_op;
void view_scroll(pane *p, scroll_op op);
/* Select row (and scroll it into view). */
void view_select(pane *p, size_t row);
/* Draw text clipped to `cols` display columns at (y, x); returns columns
 * used.  Handles UTF-8; control characters are shown as '?'. */
int view_put(WINDOW *w, int y, int x, const char *s, int cols, attr_t a);
/* Draw one content row of a pane: text padded to w columns, reversed when
 * selected. */
void view_row(pane *p, int y, const char *text, int w, attr_t a,
              bool selected);
/* Time n redraws of the trace pane: mean milliseconds of one. */
double view_time_trace(long n, bool middle);

/* --- view-*.c -------------------------------------------------------- */

#define PANE_OPS(ID, NAME) extern const pane_ops NAME##_ops;
PANE_TABLE(PANE_OPS)
#undef PANE_OPS

/* view-console.c: command output. */
void console_add(out_kind kind, const char *line);
/* Lines added since the start (a counter that never goes back). */
size_t console_total(void);
/* The text of the lines added since total `since` (malloc'ed). */
char *console_text_since(size_t since);
/* view-trace.c */
void trace_search(const char *pattern, int dir);
void trace_search_again(int dir);
void trace_toggle_system(void);
/* The keys of the Trace pane: goto the selected entry; its cause chain. */
void trace_goto_selected(void);
void trace_why_selected(void);
/* Show or hide system sparkles as g_opts.show_system says (`set system`). */
void trace_follow_setting(void);
/* Milliseconds to rebuild the hidden-system index (bench-redraw). */
double trace_index_ms(void);
void trace_reset(void);

/* view-detail.c: a scrollable popup over the panes. */
void detail_open(const char *title, const char *text);
/* The same for a command's output: printable keys go on to the command
 * line instead of scrolling (only arrows, PgUp/PgDn, Home/End scroll). */
void detail_open_output(const char *title, const char *text);
bool detail_is_open(void);
/* A key while the popup is open: true when it used the key (scrolled, or
 * closed on q/Esc/Enter); false when it closed and the key goes on. */
bool detail_key(int key);
void detail_draw(void);
void detail_close(void);

/* --- status.c -------------------------------------------------------- */

void status_draw(WINDOW *w);
/* A transient message on the status line (until the next command). */
void status_message(const char *fmt, ...) TTDB_PRINTF(1, 2);
/* Drop the transient message. */
void status_clear(void);
/* Paint "running..." at once (before a long run). */
void status_running(void);

/* --- prompt.c -------------------------------------------------------- */

int prompt_init(void);
void prompt_free(void);
/* Keys are ints: a character (>= 0) or FKEY(KEY_xxx) for a curses
 * function key (< 0). */
#define FKEY(k) (-(int)(k))

/* Feed one key to readline. */
void prompt_key(int key);
/* Draw the command line into w and place the cursor. */
void prompt_draw(WINDOW *w);
/* Whether the line being edited is empty. */
bool prompt_empty(void);
/* Read a search pattern on the command line ("/" prompt). */
void prompt_search(int dir);
/* Ctrl-C at the prompt: drop the line (or the search). */
void prompt_cancel(void);
extern bool g_prompt_dirty;

/* --- keys.c ---------------------------------------------------------- */

/* Print the key table (`help keys`). */
void keys_help(void);

typedef enum key_action {
    KA_NONE,
    KA_FOCUS_NEXT,
    KA_FOCUS_PREV,
    KA_FOCUS_COMMAND,
    KA_UP,
    KA_DOWN,
    KA_PGUP,
    KA_PGDN,
    KA_HOME,
    KA_END,
    KA_ACTIVATE,
    KA_SEARCH,
    KA_SEARCH_BACK,
    KA_SEARCH_NEXT,
    KA_SEARCH_PREV,
    KA_TOGGLE_SYSTEM,
    KA_TRACE_GOTO,
    KA_TRACE_WHY,
    KA_REDRAW,
    KA_TRACE_PGUP,
    KA_TRACE_PGDN
} key_action;

/* The action of a key in a pane (pane_focus) or on the command line. */
key_action keys_lookup(int key, bool pane_focus);

/* --- screen.c -------------------------------------------------------- */

/* The front-end callbacks: something changed, a run starts, a setting. */
void screen_mark_dirty(void);
void screen_running(void);
void screen_setting(const char *name);
/* Text of the whole screen into f, one line per row (screen-dump.c). */
int screen_dump(FILE *f);
/* Time n redraws of the trace pane (newest rows; then the middle) and,
 * with system sparkles hidden, one rebuild of their index (ms). */
int screen_bench_redraw(long n, double *ms_newest, double *ms_middle,
                        double *ms_index);

/* The terminal's colour support was initialised. */
extern bool g_has_colors;
/* Set when the history could not be saved (printed after endwin). */
extern const char *g_history_error;

#endif /* TTDB_SCREEN_H */
