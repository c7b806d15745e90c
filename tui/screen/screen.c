/*
 * screen.c: the interactive loop.  Start-up order: locale, self-pipe and
 * SIGWINCH handler (before curses, so that ncurses does not install its
 * own), curses, panes, readline, output sink.  Teardown is the reverse:
 * sink, readline (history saved), panes, endwin() if not already ended.
 *
 * The loop paints, then waits in poll() on the terminal and the self-pipe.
 * Signal handlers only write one byte to the pipe: 'w' resize, 'i' Ctrl-C
 * at the prompt, 't' SIGTERM/SIGHUP.  Keys are read with curses (keypad on
 * the command-line window) and dispatched: to the popup when open, to the
 * focused pane by the key table (keys.c), or to readline.
 */
#include "screen.h"

#include <term.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

bool g_has_colors;
const char *g_history_error;

static void screen_oom(void);
static bool active;
static SCREEN *scr;
static int sigpipe_fd[2] = {-1, -1};

/* Write one byte to the self-pipe (async-signal-safe). */
static void pipe_note(char c)
{
    if (sigpipe_fd[1] >= 0) {
        ssize_t r = write(sigpipe_fd[1], &c, 1);
        (void)r;
    }
}

/* SIGWINCH. */
static void on_winch(int sig)
{
    (void)sig;
    pipe_note('w');
}

/* A signal for the loop (from main.c's handlers). */
void screen_signal(int sig)
{
    pipe_note(sig == SIGINT ? 'i' : 't');
}

/* Output sink: the Console pane. */
static void take_app_output(void);

static void console_sink(out_kind kind, const char *line, void *ud)
{
    (void)ud;
    if (kind != OUT_ECHO)
        take_app_output(); /* what the app printed comes first */
    console_add(kind, line);
    g_panes[PANE_CONSOLE].follow = true;
}

static FILE *tty_out;             /* the terminal, for curses */
static int appnote_fd[2] = {-1, -1}; /* a byte: the app printed lines */

/* One line the app printed: into the Console, marked. */
static void app_line(const char *line, void *ud)
{
    (void)ud;
    char *s = xasprintf("app| %s", line);
    console_add(OUT_TEXT, s);
    free(s);
    g_panes[PANE_CONSOLE].follow = true;
}

/* Move what the app printed into the Console. */
static void take_app_output(void)
{
    appout_take(app_line, NULL, false);
}

/* Whether the terminal can run the screen: a TERM with cursor addressing
 * (not dumb, as Emacs shells and compile buffers set it). */
bool screen_terminal_ok(void)
{
    const char *term = getenv("TERM");
    if (!term || !*term || strcmp(term, "dumb") == 0)
        return false;
    int err = 0;
    if (setupterm(term, STDOUT_FILENO, &err) != OK)
        return false;
    const char *cup = tigetstr("cup");
    bool ok = cup && cup != (char *)-1;
    del_curterm(cur_term);
    return ok;
}

/* Start the screen. */
int screen_start(void)
{
    setlocale(LC_ALL, "");
    if (pipe(sigpipe_fd) < 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(sigpipe_fd[i], F_SETFL, fcntl(sigpipe_fd[i], F_GETFL) | O_NONBLOCK);
        fcntl(sigpipe_fd[i], F_SETFD, FD_CLOEXEC);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_winch;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGWINCH, &sa, NULL);
    /* curses writes to the terminal on a descriptor of its own: fds 1 and
     * 2 become the app's output pipe (app-output.c) */
    int tty = dup(STDOUT_FILENO);
    tty_out = tty >= 0 ? fdopen(tty, "w") : NULL;
    scr = tty_out ? newterm(NULL, tty_out, stdin) : NULL;
    if (!scr) {
        if (tty_out)
            fclose(tty_out);
        tty_out = NULL;
        close(sigpipe_fd[0]);
        close(sigpipe_fd[1]);
        sigpipe_fd[0] = sigpipe_fd[1] = -1;
        return -1;
    }
    set_escdelay(25);
    cbreak();
    noecho();
    nonl();
    g_has_colors = has_colors() && start_color() == OK;
    if (g_has_colors)
        use_default_colors();
    view_init();
    view_layout();
    prompt_init();
    out_set_sink(console_sink, NULL);
    if (pipe(appnote_fd) == 0) {
        for (int i = 0; i < 2; i++) {
            fcntl(appnote_fd[i], F_SETFL,
                  fcntl(appnote_fd[i], F_GETFL) | O_NONBLOCK);
            fcntl(appnote_fd[i], F_SETFD, FD_CLOEXEC);
        }
        if (appout_capture(appnote_fd[1]) < 0)
            out_warn("cannot capture the app's output: it may draw over "
                     "the screen");
    }
    static const ttdb_frontend fe = {
        .changed = screen_mark_dirty,
        .running = screen_running,
        .setting = screen_setting,
    };
    frontend_attach(&fe);
    active = true;
    g_oom_cleanup = screen_oom;
    return 0;
}

/* Out of memory: give the terminal back before the message. */
static void screen_oom(void)
{
    if (!isendwin())
        endwin();
}

/* Tear down in reverse order. */
void screen_stop(void)
{
    if (!active)
        return;
    active = false;
    g_oom_cleanup = NULL;
    frontend_attach(NULL);
    out_set_sink(NULL, NULL);
    prompt_free();
    detail_close();
    view_free();
    if (!isendwin())
        endwin();
    delscreen(scr);
    scr = NULL;
    appout_release();
    for (int i = 0; i < 2; i++) {
        if (appnote_fd[i] >= 0)
            close(appnote_fd[i]);
        appnote_fd[i] = -1;
    }
    if (tty_out)
        fclose(tty_out);
    tty_out = NULL;
    signal(SIGWINCH, SIG_DFL);
    close(sigpipe_fd[0]);
    close(sigpipe_fd[1]);
    sigpipe_fd[0] = sigpipe_fd[1] = -1;
    if (g_history_error)
        fprintf(stderr, "ttdb: warning: %s\n", g_history_error);
}

/* Whether the screen runs. */
bool screen_active(void)
{
    return active;
}

/* The session changed. */
void screen_mark_dirty(void)
{
    if (active)
        view_dirty_all();
}

/* A run starts. */
void screen_running(void)
{
    if (!active)
        return;
    /* every run command brings the Trace pane back to the newest entry */
    g_panes[PANE_TRACE].follow = true;
    g_panes[PANE_TRACE].dirty = true;
    status_running();
}

/* A setting changed (`set system`). */
void screen_setting(const char *name)
{
    if (strcmp(name, "system") == 0)
        trace_follow_setting();
}

/* The terminal changed size. */
static void resize(void)
{
    struct winsize ws;
    int fd = tty_out ? fileno(tty_out) : STDOUT_FILENO; /* 1 is the app's */
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
        resizeterm(ws.ws_row, ws.ws_col);
    }
    view_layout();
    view_dirty_all();
}

/* Drain the self-pipe. */
static void handle_signals(void)
{
    char buf[64];
    ssize_t n;
    bool winch = false;
    while ((n = read(sigpipe_fd[0], buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == 'w')
                winch = true;
            else if (buf[i] == 'i')
                prompt_cancel();
            else if (buf[i] == 't')
                g_opts.quit = true;
        }
    }
    if (winch)
        resize();
}

/* Redraw everything from scratch. */
static void redraw(void)
{
    clearok(curscr, TRUE);
    view_dirty_all();
}

/* A key while a pane has the focus. */
static void pane_key(pane *p, int key)
{
    switch (keys_lookup(key, true)) {
    case KA_FOCUS_NEXT:
        view_focus_cycle(1);
        break;
    case KA_FOCUS_PREV:
        view_focus_cycle(-1);
        break;
    case KA_FOCUS_COMMAND:
        view_focus_set(NULL);
        break;
    case KA_UP:
        view_scroll(p, SCROLL_UP);
        break;
    case KA_DOWN:
        view_scroll(p, SCROLL_DOWN);
        break;
    case KA_PGUP:
        view_scroll(p, SCROLL_PGUP);
        break;
    case KA_PGDN:
        view_scroll(p, SCROLL_PGDN);
        break;
    case KA_HOME:
        view_scroll(p, SCROLL_HOME);
        break;
    case KA_END:
        view_scroll(p, SCROLL_END);
        break;
    case KA_ACTIVATE:
        if (p->ops->activate && p->ops->rows(p) > 0)
            p->ops->activate(p, p->sel);
        break;
    case KA_SEARCH:
    case KA_SEARCH_BACK:
        prompt_search(keys_lookup(key, true) == KA_SEARCH ? 1 : -1);
        break;
    case KA_SEARCH_NEXT:
        trace_search_again(1);
        view_focus_set(&g_panes[PANE_TRACE]);
        break;
    case KA_SEARCH_PREV:
        trace_search_again(-1);
        view_focus_set(&g_panes[PANE_TRACE]);
        break;
    case KA_TOGGLE_SYSTEM:
        trace_toggle_system();
        break;
    case KA_TRACE_GOTO:
        if (p == &g_panes[PANE_TRACE])
            trace_goto_selected();
        break;
    case KA_TRACE_WHY:
        if (p == &g_panes[PANE_TRACE])
            trace_why_selected();
        break;
    case KA_REDRAW:
        redraw();
        break;
    default:
        /* typing a command: back to the command line with the key */
        if (key >= 32 && key != 127) {
            view_focus_set(NULL);
            prompt_key(key);
        }
        break;
    }
}

/* Dispatch one key. */
static void handle_key(int key)
{
    if (key == FKEY(KEY_RESIZE))
        return; /* handled through SIGWINCH */
    if (detail_is_open() && detail_key(key))
        return;
    pane *p = view_focused();
    if (p) {
        pane_key(p, key);
        return;
    }
    switch (keys_lookup(key, false)) {
    case KA_FOCUS_NEXT:
        if (!prompt_empty()) {
            prompt_key(key); /* completion */
            break;
        }
        view_focus_cycle(1);
        break;
    case KA_FOCUS_PREV:
        view_focus_cycle(-1);
        break;
    case KA_TRACE_PGUP:
        view_scroll(&g_panes[PANE_TRACE], SCROLL_PGUP);
        break;
    case KA_TRACE_PGDN:
        view_scroll(&g_panes[PANE_TRACE], SCROLL_PGDN);
        break;
    case KA_REDRAW:
        redraw();
        break;
    default:
        /* `/` or `?` on an empty command line searches the trace, as in
         * less and tig (no command starts with either) */
        if ((key == '/' || key == '?') && prompt_empty()) {
            prompt_search(key == '/' ? 1 : -1);
            break;
        }
        prompt_key(key);
        break;
    }
}

/* Read every key curses has. */
static bool read_keys(void)
{
    WINDOW *w = view_input_win();
    bool any = false;
    for (;;) {
#ifdef TT_HAVE_WIDE_CURSES
        wint_t wc;
        int r = wget_wch(w, &wc);
        if (r == ERR)
            break;
        int key = r == KEY_CODE_YES ? FKEY(wc) : (int)wc;
#else
        int r = wgetch(w);
        if (r == ERR)
            break;
        int key = r >= KEY_MIN ? FKEY(r) : r;
#endif
        any = true;
        handle_key(key);
        if (g_opts.quit)
            break;
    }
    return any;
}

/* The loop: paint, wait, dispatch. */
void screen_loop(void)
{
    while (!g_opts.quit) {
        take_app_output();
        view_paint();
        /* attached to a live app: its socket while an answer is due, and
         * the time of the next request (attach.c) */
        struct pollfd fds[4] = {{.fd = STDIN_FILENO, .events = POLLIN},
                                {.fd = sigpipe_fd[0], .events = POLLIN},
                                {.fd = appnote_fd[0], .events = POLLIN},
                                {.fd = attach_poll_fd(), .events = POLLIN}};
        int r = poll(fds, 4, attach_timeout_ms());
        if (r < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        attach_service();
        if (fds[2].revents & POLLIN) {
            char buf[256];
            while (read(appnote_fd[0], buf, sizeof buf) > 0)
                ;
        }
        if (fds[1].revents & POLLIN)
            handle_signals();
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            bool any = read_keys();
            if (!any && (fds[0].revents & (POLLHUP | POLLERR)))
                break; /* the terminal went away */
        }
    }
}

/* Time trace-pane redraws; without a screen, on a /dev/null terminal. */
int screen_bench_redraw(long n, double *ms_newest, double *ms_middle,
                        double *ms_index)
{
    trace_follow_setting(); /* batch mode attaches no front end */
    if (!g_opts.show_system)
        *ms_index = trace_index_ms();
    if (active) {
        *ms_newest = view_time_trace(n, false);
        *ms_middle = view_time_trace(n, true);
        view_dirty_all();
        return 0;
    }
    FILE *out = fopen("/dev/null", "w");
    FILE *in = fopen("/dev/null", "r");
    if (!out || !in) {
        out_error("bench-redraw: cannot open /dev/null");
        if (out)
            fclose(out);
        if (in)
            fclose(in);
        return -1;
    }
    const char *term = getenv("TERM");
    SCREEN *s = newterm(term && *term && strcmp(term, "dumb") ? term : "xterm",
                        out, in);
    if (!s) {
        out_error("bench-redraw: no terminal description (set TERM)");
        fclose(out);
        fclose(in);
        return -1;
    }
    resizeterm(50, 160);
    view_init();
    view_layout();
    *ms_newest = view_time_trace(n, false);
    *ms_middle = view_time_trace(n, true);
    view_free();
    endwin();
    delscreen(s);
    fclose(out);
    fclose(in);
    return 0;
}

/* The screen from start to exit status. */
int screen_main(const char *app, const startup_cmd *cmds, int ncmds)
{
    if (screen_start() < 0) {
        fprintf(stderr, "ttdb: cannot use this terminal (TERM=%s); "
                        "use -batch\n",
                getenv("TERM") ? getenv("TERM") : "");
        return TTDB_EXIT_FAILED;
    }
    if (!g_opts.quiet)
        out_printf("ttdb %s: `help` lists the commands, `help keys` "
                   "the keys; Tab on an empty line moves to the panes.\n",
                   PACKAGE_VERSION);
    if (app && session_open(&g_session, app) == 0) {
        if (g_session.recorded)
            session_describe_trace(&g_session);
        else
            out_printf("%s: %zu tonics, %zu orders queued; nothing has "
                       "run yet\n", app, tt_tonic_count(g_session.cat),
                       tt_queue_length(g_session.cat));
    }
    script_run_startup(cmds, ncmds);
    if (!g_opts.quit)
        screen_loop();
    screen_stop();
    return g_opts.quit && g_opts.quit_status >= 0 ? g_opts.quit_status
                                                  : TTDB_EXIT_OK;
}
