/*
 * prompt.c: GNU readline on the screen's last line, through its callback
 * interface, so that the curses loop stays in charge:
 *
 * - curses owns the terminal: no prep/deprep functions, readline catches
 *   no signals and leaves LINES/COLUMNS alone (rl_change_environment = 0);
 * - keys come from the loop: screen.c reads them with curses, turns
 *   function keys back into the escape sequences readline expects, and
 *   feeds the bytes through rl_getc_function, calling
 *   rl_callback_read_char() once per byte;
 * - readline never writes to the terminal: rl_redisplay_function only marks
 *   the line dirty and prompt_draw() paints it (cursor by display width);
 *   completion lists go to the Console pane.
 *
 * History is kept in ~/.ttdb_history; ~/.inputrc applies (readline reads
 * it, with `$if ttdb` sections).
 */
#include "screen.h"

#include <errno.h>
#include <limits.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

bool g_prompt_dirty = true;

static unsigned char inbuf[256];
static size_t in_head, in_len;
static bool searching;    /* the line being read is a search pattern */
static int search_dir;
static char *history_path;
static FILE *null_out;

/* readline's input: the next queued byte. */
static int prompt_getc(FILE *f)
{
    (void)f;
    if (in_len == 0)
        return EOF;
    int c = inbuf[in_head];
    in_head = (in_head + 1) % sizeof inbuf;
    in_len--;
    return c;
}

/* Whether bytes are queued (lets readline finish key sequences). */
static int prompt_available(void)
{
    return in_len > 0;
}

/* readline wants the line redrawn: paint it with the next pass. */
static void prompt_redisplay(void)
{
    g_prompt_dirty = true;
}

/* Queue bytes for readline. */
static void push(const char *s, size_t n)
{
    for (size_t i = 0; i < n && in_len < sizeof inbuf; i++) {
        inbuf[(in_head + in_len) % sizeof inbuf] = (unsigned char)s[i];
        in_len++;
    }
}

/* The line handler: run the command (Enter alone repeats the last run
 * command). */
static void on_line(char *line)
{
    if (!line) { /* Ctrl-D on an empty line */
        g_opts.quit = true;
        return;
    }
    status_clear();
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    char *run = NULL;
    if (!*p) {
        run = cmd_enter_line(line);
    } else {
        HIST_ENTRY *h = history_length > 0 ? history_get(history_base +
                                                         history_length - 1)
                                           : NULL;
        if (!h || strcmp(h->line, line) != 0)
            add_history(line);
        run = cmd_enter_line(line);
    }
    free(line);
    if (!run)
        return;
    char *echo = xasprintf("%s%s", TTDB_PROMPT, run);
    console_add(OUT_ECHO, echo);
    free(echo);
    g_panes[PANE_CONSOLE].follow = true;
    size_t before = console_total();
    cmd_execute(run);
    /* Output longer than the Console pane opens in the popup. */
    pane *c = &g_panes[PANE_CONSOLE];
    size_t added = console_total() - before;
    if (!g_opts.quit && added > 1 && added > (size_t)(c->visible ? c->h - 1 : 0)) {
        char *text = console_text_since(before);
        detail_open_output(run, text);
        free(text);
    }
    free(run);
    g_prompt_dirty = true;
}

/* Back to the command handler. */
static void command_mode(void)
{
    searching = false;
    rl_callback_handler_remove();
    rl_callback_handler_install(TTDB_PROMPT, on_line);
    g_prompt_dirty = true;
}

/* The search line handler. */
static void on_search(char *line)
{
    int dir = search_dir;
    command_mode();
    if (line && *line)
        trace_search(line, dir);
    free(line);
    view_focus_set(&g_panes[PANE_TRACE]);
}

/* Read a search pattern on the command line. */
void prompt_search(int dir)
{
    search_dir = dir;
    searching = true;
    view_focus_set(NULL);
    rl_callback_handler_remove();
    rl_callback_handler_install(dir > 0 ? "/" : "?", on_search);
    g_prompt_dirty = true;
}

/* Ctrl-C at the prompt: drop the line or the search. */
void prompt_cancel(void)
{
    in_len = 0;
    rl_callback_sigcleanup();
    rl_replace_line("", 0);
    rl_point = rl_end = 0;
    if (searching)
        command_mode();
    status_message("^C");
    g_prompt_dirty = true;
}

/* Complete the word at start..end of the line (complete.c). */
static char **prompt_complete(const char *text, int start, int end)
{
    (void)end;
    rl_attempted_completion_over = 1;
    if (searching)
        return NULL;
    return frontend_complete(text, start);
}

/* Completion lists go to the Console pane. */
static void prompt_show_matches(char **matches, int n, int maxlen)
{
    (void)maxlen;
    /* lines as wide as the Console pane shows them */
    const pane *c = &g_panes[PANE_CONSOLE];
    size_t width = c->visible && c->w > 21 ? (size_t)c->w - 1 : 76;
    strbuf b = {0};
    sb_printf(&b, "%d completions:", n);
    for (int i = 1; i <= n; i++) {
        if (b.len + strlen(matches[i]) + 2 > width) {
            console_add(OUT_TEXT, b.s);
            b.len = 0;
            b.s[0] = '\0';
            sb_add(&b, " ");
        }
        sb_printf(&b, " %s", matches[i]);
    }
    if (b.len)
        console_add(OUT_TEXT, b.s);
    sb_free(&b);
    g_panes[PANE_CONSOLE].follow = true;
    g_prompt_dirty = true;
}

/* Set readline up for the callback interface inside curses. */
int prompt_init(void)
{
    rl_readline_name = "ttdb";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_prep_term_function = NULL;
    rl_deprep_term_function = NULL;
    rl_getc_function = prompt_getc;
    rl_input_available_hook = prompt_available;
    rl_redisplay_function = prompt_redisplay;
    rl_completion_display_matches_hook = prompt_show_matches;
    rl_attempted_completion_function = prompt_complete;
    /* candidates come in a meaningful order (user sparkles before the
     * runtime's _ttss__* ones) */
    rl_sort_completion_matches = 0;
    rl_completion_query_items = -1;
    null_out = fopen("/dev/null", "w");
    if (null_out)
        rl_outstream = null_out;
    using_history();
    stifle_history(2000);
    const char *home = getenv("HOME");
    if (home && *home) {
        history_path = xasprintf("%s/.ttdb_history", home);
        int rc = read_history(history_path);
        if (rc != 0 && rc != ENOENT)
            out_warn("cannot read the history %s: %s", history_path,
                     strerror(rc));
    }
    rl_callback_handler_install(TTDB_PROMPT, on_line);
    rl_variable_bind("page-completions", "off");
    rl_variable_bind("bell-style", "none");
    return 0;
}

/* Remove the handler and save the history; returns an error message to
 * print after the screen is gone (static), or NULL. */
void prompt_free(void)
{
    static char msg[600];
    rl_callback_handler_remove();
    if (history_path) {
        int rc = write_history(history_path);
        if (rc != 0) {
            snprintf(msg, sizeof msg,
                     "cannot write the history %s: %s", history_path,
                     strerror(rc));
            g_history_error = msg;
        }
    }
    clear_history();
    free(history_path);
    history_path = NULL;
    cmd_enter_line(NULL);
    frontend_complete_free();
    if (null_out) {
        rl_outstream = stdout;
        fclose(null_out);
        null_out = NULL;
    }
}

/* Feed one key: characters as UTF-8, function keys as escape sequences. */
void prompt_key(int key)
{
    static const struct {
        int key;
        const char *seq;
    } fkeys[] = {
        {FKEY(KEY_UP), "\033[A"},   {FKEY(KEY_DOWN), "\033[B"},
        {FKEY(KEY_RIGHT), "\033[C"}, {FKEY(KEY_LEFT), "\033[D"},
        {FKEY(KEY_HOME), "\033[H"}, {FKEY(KEY_END), "\033[F"},
        {FKEY(KEY_DC), "\033[3~"},  {FKEY(KEY_BACKSPACE), "\177"},
        {FKEY(KEY_ENTER), "\r"},    {FKEY(KEY_IC), "\033[2~"},
    };
    if (key < 0) {
        for (size_t i = 0; i < sizeof fkeys / sizeof *fkeys; i++)
            if (fkeys[i].key == key)
                push(fkeys[i].seq, strlen(fkeys[i].seq));
    } else if (key < 0x80) {
        char c = (char)key;
        push(&c, 1);
    } else {
        char mb[MB_LEN_MAX];
        mbstate_t st;
        memset(&st, 0, sizeof st);
        size_t n = wcrtomb(mb, (wchar_t)key, &st);
        if (n != (size_t)-1)
            push(mb, n);
    }
    while (in_len > 0 && !g_opts.quit)
        rl_callback_read_char();
    g_prompt_dirty = true;
}

/* Whether the line is empty. */
bool prompt_empty(void)
{
    return rl_end == 0;
}

/* Display width of the first n bytes of s. */
static int width_of(const char *s, size_t n)
{
    int w = 0;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t i = 0;
    while (i < n) {
        wchar_t wc;
        size_t k = mbrtowc(&wc, s + i, n - i, &st);
        if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
            memset(&st, 0, sizeof st);
            w++;
            i++;
            continue;
        }
        int cw = wcwidth(wc);
        w += cw < 0 ? 1 : cw;
        i += k;
    }
    return w;
}

/* Paint the prompt and the line; scroll sideways to keep the cursor. */
void prompt_draw(WINDOW *w)
{
    const char *prompt = rl_display_prompt ? rl_display_prompt
                         : rl_prompt       ? rl_prompt
                                           : TTDB_PROMPT;
    const char *line = rl_line_buffer ? rl_line_buffer : "";
    size_t point = rl_point > 0 ? (size_t)rl_point : 0;
    size_t end = rl_end > 0 ? (size_t)rl_end : 0;
    if (point > end)
        point = end;
    werase(w);
    int pw = view_put(w, 0, 0, prompt, COLS - 1, view_focused() ? A_DIMMED : 0);
    int avail = COLS - pw - 1;
    if (avail < 1)
        avail = 1;
    size_t off = 0;
    while (off < point && width_of(line + off, point - off) >= avail) {
        mbstate_t st;
        memset(&st, 0, sizeof st);
        size_t k = mbrlen(line + off, end - off, &st);
        off += (k == 0 || k > end - off) ? 1 : k;
    }
    char *vis = xmalloc(end - off + 1);
    memcpy(vis, line + off, end - off);
    vis[end - off] = '\0';
    view_put(w, 0, pw, vis, avail, 0);
    free(vis);
    wmove(w, 0, pw + width_of(line + off, point - off));
    g_prompt_dirty = false;
}
