/*
 * frontends.h: the entry points of ttdb's front ends, which main.c picks
 * from.  Each front end drives the core (core/ttdb.h) and hears from it
 * through the callbacks of frontend_attach() and the sink of out_set_sink().
 */
#ifndef TTDB_FRONTENDS_H
#define TTDB_FRONTENDS_H

#include "ttdb.h"

/* --- batch/: plain text ----------------------------------------------- */

/* Open app (may be NULL), run cmds, then stdin unless only_cmds (-batch
 * with commands); returns the exit status. */
int batch_main(const char *app, const startup_cmd *cmds, int ncmds,
               bool only_cmds);

/* The plain line interface (-nw, TERM=dumb): readline prompt, batch
 * output; returns the exit status. */
int line_main(const char *app, const startup_cmd *cmds, int ncmds);

/* --- complete.c: Tab completion for readline (screen and -nw) -------- */

/* The attempted-completion function's work: readline's matches for text,
 * the word at start of rl_line_buffer (NULL: none, or file names when
 * rl_attempted_completion_over was cleared). */
char **frontend_complete(const char *text, int start);
/* Free the candidates kept for readline. */
void frontend_complete_free(void);

/* --- screen/: the curses screen --------------------------------------- */

/* Whether this terminal can run the screen (cursor addressing; not
 * TERM=dumb). */
bool screen_terminal_ok(void);

/* Add the screen's commands (dump-screen, bench-redraw) and `help keys`:
 * they work in every front end (bench-redraw draws to /dev/null). */
void screen_register_commands(void);
/* The interactive session from start to exit status. */
int screen_main(const char *app, const startup_cmd *cmds, int ncmds);
/* Start the screen; -1 if the terminal cannot be used. */
int screen_start(void);
/* Run the interactive loop until quit. */
void screen_loop(void);
/* Tear down (readline first, then curses), safe to call twice. */
void screen_stop(void);
/* A signal for the screen loop (SIGINT at the prompt, SIGTERM, SIGHUP);
 * async-signal-safe. */
void screen_signal(int sig);
/* Whether the screen currently runs (output goes to the console pane). */
bool screen_active(void);

/* --- dap/: the Debug Adapter Protocol on stdin/stdout ------------------- */

/* Serve one editor until it disconnects; returns the exit status. */
int dap_main(void);

#endif /* TTDB_FRONTENDS_H */
