/*
 * ttdb.h: the debugger's internal header, grouped by the file that defines
 * each part.
 *
 * ttdb is a thin layer over the Distiller.  This header is the core
 * (tui/core/), which knows no terminal: session.c owns the loaded app and
 * its catalyst; cmd*.c turn command lines into Distiller calls; breakpoint.c
 * decides, after every executed sparkle, whether to stop; output.c sends text
 * to whatever sink the front end set; frontend.c tells the attached front
 * end (tui/screen/, tui/batch/, tui/dap/) what changed.
 */
#ifndef TTDB_H
#define TTDB_H

/* asprintf, getline, strcasestr, wcwidth: included first by every file. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tasktonic.h"

#define TTDB_PROMPT "(ttdb) "

#if defined(__GNUC__)
#define TTDB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TTDB_PRINTF(f, a)
#endif

/* Exit statuses (documented in ttdb.1). */
enum {
    TTDB_EXIT_OK = 0,
    TTDB_EXIT_FAILED = 1,  /* a command failed, or the app could not be loaded */
    TTDB_EXIT_USAGE = 2,   /* bad command-line options */
    TTDB_EXIT_CRASHED = 3  /* a sparkle crashed or the watchdog stopped one */
};

/* ===================================================================== */
/* util.c: small helpers                                                 */
/* ===================================================================== */

/* malloc/calloc/realloc/strdup/strndup/asprintf for ttdb's own data: on
 * exhaustion oom() says "ttdb: out of memory" and exits 1.  The tests make
 * the Nth one fail with TTDB_TEST_FAIL_ALLOC=N. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) TTDB_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) TTDB_PRINTF(1, 0);
/* Route jansson's allocations through xmalloc (fault injection, and one
 * line on exhaustion instead of "not valid JSON"); first thing in main(). */
void alloc_init(void);
/* One line on stderr and exit status 1 (after g_oom_cleanup, which the
 * screen sets to give the terminal back). */
void oom(void) __attribute__((noreturn));
extern void (*g_oom_cleanup)(void);
/* A mkstemp/mkdtemp template "$TMPDIR/NAME-XXXXXX" (TMPDIR unset or empty:
 * /tmp), malloc'ed. */
char *tmp_template(const char *name);

/* A growable string. */
/* The longest command line read from a script or stdin (a longer one ends
 * the script with an error: `source /dev/zero` must not fill memory). */
#define TTDB_LINE_MAX (1 << 20)

typedef struct strbuf {
    char *s;
    size_t len, cap;
} strbuf;
void sb_add(strbuf *b, const char *s);
void sb_addn(strbuf *b, const char *s, size_t n);
void sb_printf(strbuf *b, const char *fmt, ...) TTDB_PRINTF(2, 3);
/* Detach the string (caller frees); the buffer becomes empty. */
char *sb_take(strbuf *b);
void sb_free(strbuf *b);

/* A growable vector of strings (owned). */
typedef struct strvec {
    char **v;
    size_t n, cap;
} strvec;
void sv_add(strvec *sv, const char *s);
bool sv_has(const strvec *sv, const char *s);
void sv_free(strvec *sv);

/* Parse a number; false if the text is not entirely one. */
bool parse_double(const char *s, double *out);
bool parse_long(const char *s, long *out);
/* Parse on/off/yes/no/true/false/1/0. */
bool parse_bool(const char *s, bool *out);
/* Wall-clock seconds (CLOCK_MONOTONIC). */
double now_mono(void);
/* Whether `s` starts with `prefix`. */
bool str_starts(const char *s, const char *prefix);
/* Read a whole file (malloc'ed, NUL-terminated); NULL and errno on error. */
char *read_file(const char *path, size_t *len);

/* ===================================================================== */
/* output.c: where command output goes                                   */
/* ===================================================================== */

/* Message kinds, so the screen can show them differently. */
typedef enum out_kind {
    OUT_TEXT,  /* normal output */
    OUT_ERROR, /* a failed command: one line */
    OUT_WARN,  /* a warning */
    OUT_ECHO   /* the command line itself (screen console) */
} out_kind;

/* A sink receives complete lines (no newline). */
typedef void (*out_sink)(out_kind kind, const char *line, void *ud);

/* Route output to sink (NULL: plain stdout/stderr). */
void out_set_sink(out_sink sink, void *ud);
/* Print text; may contain newlines; a trailing partial line is kept until
 * the next newline or out_flush. */
void out_printf(const char *fmt, ...) TTDB_PRINTF(1, 2);
void out_vprintf(out_kind kind, const char *fmt, va_list ap);
/* Print one error line ("ttdb: " is added in batch mode). */
void out_error(const char *fmt, ...) TTDB_PRINTF(1, 2);
void out_warn(const char *fmt, ...) TTDB_PRINTF(1, 2);
/* Drop text and warnings, not errors, while on (journal replay). */
/* While a replay silences the app's descriptors 1 and 2: ttdb's own
 * errors and warnings go to e (NULL: as before). */
void out_set_replay_err(FILE *e);
void out_mute(bool on);
/* Send a pending partial line. */
void out_flush(void);
/* The first error writing to stdout (an errno value), 0 when none. */
int out_stdout_errno(void);
/* Errors printed so far (the batch exit status uses it). */
unsigned long out_error_count(void);
/* Prefix for error lines ("script.ttdb:12"), NULL for none (copied). */
void out_set_context(const char *where);
const char *out_context(void);
/* Free the pending buffer (teardown). */
void out_shutdown(void);
/* Send ttdb's own lines to o and e (NULL: stdout and stderr; owned). */
void out_set_files(FILE *o, FILE *e);

/* ===================================================================== */
/* app-output.c: what the app prints                                     */
/* ===================================================================== */

/* Point fds 1 and 2 at a pipe read by a thread (the screen); a byte is
 * written to notify (may be -1) when lines arrive.  0 or -1. */
int appout_capture(int notify);
/* The original fd 1 or 2 while captured (the terminal), else fd. */
int appout_real_fd(int fd);
/* End the capture (fds 1 and 2 back). */
void appout_release(void);
/* Hand the app's complete lines to cb (every byte left when all). */
void appout_take(void (*cb)(const char *line, void *ud), void *ud, bool all);
/* `set app-output FILE`: the app's output to a file ("" or "-": back). */
int appout_set_file(const char *path);
const char *appout_file(void);
void appout_shutdown(void);

/* ===================================================================== */
/* session.c: the loaded app and its Distiller                           */
/* ===================================================================== */

typedef struct session {
    char *app_path;      /* as given on the command line / `file` */
    tt_app *app;
    tt_catalyst *cat;
    unsigned generation; /* bumped by every (re)start */
    /* settings applied when a catalyst is created */
    double watchdog;     /* seconds, 0 = off */
    double wall_guard;   /* seconds, <0 = off, 0 = library default */
    size_t trace_ring;   /* 0 = keep all */
    bool stop_on_error;  /* stop after a sparkle whose library call failed */
    int compat;          /* tt_compat of the next catalyst (set compat) */
    /* lint thresholds (set giant-sparkle, stuck-after, queue-growth) */
    double giant_ms;     /* a sparkle longer than this is giant */
    size_t stuck_after;  /* own-timer callbacks without a state change */
    size_t queue_growth; /* pending orders worth a lint */
    /* settings of runs */
    double timeout;      /* default timeout of step/continue/until; 0 = lib */
    /* state */
    volatile sig_atomic_t running;   /* inside tt_distiller_sparkle */
    volatile sig_atomic_t interrupts;/* Ctrl-C presses during this run */
    const tt_run *last_run;
    char last_stop[512];  /* stop conditions of the last run, joined */
    unsigned crashes;     /* catalysts of this process that a crash (or the
                             watchdog ...) tainted, less those an `expect
                             stop` pinned: batch mode's exit status 3 */
    bool taint_counted;   /* this catalyst's taint is in crashes */
    const tt_run *crash_run; /* the last run, when it tainted the catalyst */
    bool settings_pending;/* a Distiller setting waits for a restart */
    volatile sig_atomic_t abandoned; /* a second Ctrl-C stopped a sparkle */
    volatile sig_atomic_t in_command;/* depth of commands executing */
    volatile sig_atomic_t pending;   /* Ctrl-C during that command, before
                                        its run started: interrupt the run */
    bool recorded;        /* the catalyst is a trace file read back */
    bool force_trace;     /* -trace: open app_path as a trace */
    bool force_attach;    /* -attach: app_path is a live app's socket */
    bool attached;        /* the session is a live app's snapshot */
} session;

extern session g_session;

/* Load the app at path and start it (catalyst + formula).  On failure
 * prints one line and returns -1; the previous session (if any) is gone,
 * unless its destroy code failed (session_end: then it is kept). */
int session_open(session *s, const char *path);
/* A fresh run of the same module: new catalyst, formula again. */
int session_restart(session *s);
/* Free the catalyst and close the app. */
void session_close(session *s);
/* Run the app's class destroy code now, to hear a crash, hang or exit()
 * there: -1 after reporting it in one line (counted as a crash); with then
 * ("restart", "file") the session is kept with its trace and a hint names
 * that command.  0 when it ran cleanly, had run, or there is no app. */
int session_end(session *s, const char *then);
/* The catalyst, or NULL after printing "no app loaded" when there is none. */
tt_catalyst *session_cat(session *s);
/* Run the Distiller once (finish: tt_distiller_finish).  Prints a summary
 * unless quiet; returns 0 or -1 (error printed). */
int session_run(session *s, const tt_sparkle_args *a, bool finish,
                bool quiet, const tt_run **out);
/* The same without the journal (journal.c replays through it). */
int session_run_raw(session *s, const tt_sparkle_args *a, bool finish,
                    bool quiet, const tt_run **out);
/* r's stop conditions joined by ", ", each once (malloc'ed). */
char *run_stop_text(const tt_run *r);
/* "contract met (M of T): TONIC: REASON ..." for a run whose contract was
 * met, else NULL (malloc'ed): the run's summary and info runs. */
char *run_contract_text(const tt_run *r);
/* Print the one-line summary of a run and, when asked, its entries. */
void session_print_run(session *s, const tt_run *r, bool entries);
/* Whether the current catalyst is tainted (crash or watchdog). */
bool session_tainted(const session *s);
/* Called from the SIGINT handler: interrupts a running continue. */
void session_interrupt(session *s);

/* trace-session.c: a recorded trace as the session (post-mortem) */
/* Whether path names a trace file (FILE.json) rather than an app. */
bool trace_path_is(const char *path);
/* Open a trace file as the session; -1 after printing one line. */
int session_open_trace(session *s, const char *path);
/* Print what the opened trace holds (one line). */
void session_describe_trace(session *s);
/* Make a recorded catalyst the session's. */
void session_adopt_recorded(session *s, tt_catalyst *cat);

/* attach.c: a live app (ttdb -attach PATH, ttrun --listen PATH) */
/* Attach: the app's snapshot becomes the session; -1 after one line. */
int session_attach(session *s, const char *path);
/* Print what the app holds (one line). */
void session_describe_attach(session *s);
/* Free the last snapshot and detach. */
void attach_shutdown(void);
/* Detach (the session closes; the app runs on). */
void attach_close(void);
/* Whether the session follows a live app now. */
bool attach_live(void);
/* For the screen's loop: the socket to wait on (-1: none), the ms until
 * the next request (-1: none), and the work when either is due. */
int attach_poll_fd(void);
int attach_timeout_ms(void);
void attach_service(void);
/* "live: pid N, queue Q, T timers" into b (the status line). */
void attach_status(strbuf *b);
/* Print the app's lints; how many, -1 when not attached. */
long attach_lints_print(void);
long attach_lints_print_count(void);
/* The live tonics, row by row (the Tonics pane). */
size_t attach_tonic_count(void);
void attach_tonic_row(size_t i, strbuf *b, bool *gone);
/* The live queue (the Queue pane): its length, the rows listed (the
 * orders the app sent, then "... N more" when it had more), row i. */
size_t attach_queue_length(void);
size_t attach_queue_rows(void);
void attach_queue_row(size_t i, strbuf *b);
/* The live timers that have not finished, row by row. */
size_t attach_timer_count(void);
void attach_timer_row(size_t i, strbuf *b);
/* `info queue` while attached: 0, or -1 when not attached. */
int attach_queue_print(void);
/* `info tonics` while attached (the app's own tree): 0, or -1. */
int attach_tonics_print(void);
/* `print TONIC` while attached: 0, 1 (no such tonic), or -1. */
int attach_tonic_print(const char *name);

/* ===================================================================== */
/* journal.c: the session's inputs and runs; replay (time travel)        */
/* ===================================================================== */

struct cmd_args;

typedef enum journal_kind {
    J_INPUT, /* a command line that changed the session (call, advance...) */
    J_RUN    /* a run: sparkles up to `end`, then the clock at vt_end */
} journal_kind;

typedef struct journal_item {
    journal_kind kind;
    uint64_t seq;    /* the last seq when it was given / the run started */
    double vt;       /* J_INPUT: the virtual time when it was given */
    char *line;      /* J_INPUT: the command line */
    bool finish;     /* J_RUN: finish_distiller (queues ttsc__finish) */
    uint64_t end;    /* J_RUN: the last seq after it */
    double vt_end;   /* J_RUN: the virtual time after it */
    bool stopped;    /* J_RUN: an until or a contract stopped it */
    bool start;      /* J_INPUT: a setting the session started with */
    tt_run_outcome *outcome; /* J_RUN: how it ended: stop conditions,
                                contract details (a replay puts them back);
                                NULL for a sync point */
} journal_item;

typedef struct journal {
    journal_item *v;
    size_t n, cap;
    size_t pos;      /* items up to here are the past; the rest, the
                        recorded future (after a goto) */
    bool replaying;  /* inputs are not journaled again */
    bool cut;        /* the last replay cut its newest run short at its
                        target (the travel names itself as its stop) */
} journal;

extern journal g_journal;

/* Forget every item (a new session). */
void journal_reset(journal *j);
void journal_free(journal *j);
size_t journal_count(const journal *j);
const journal_item *journal_at(const journal *j, size_t i);
/* Whether items lie after the current point (after goto and friends). */
bool journal_has_future(const journal *j);
/* The k-th recorded input still to come at seq (given again when the
 * session goes on from there), or NULL. */
const char *journal_input_ahead(const journal *j, uint64_t seq, size_t k);
/* The last seq the journal's runs reached. */
uint64_t journal_horizon(const journal *j);
/* Record an input command line given now (nothing while replaying).  A
 * new input drops the recorded future, saying so. */
void journal_input(const char *line);
/* At the start of a session: the settings that shape its runs and differ
 * from the library's defaults (set compat python, set stop-on-error on), as
 * inputs, so that a replay and a saved test repeat them. */
void journal_settings(const session *s);
/* Forget the input just recorded (it failed without an effect). */
void journal_cancel_input(void);
/* The same, built from a command's name and its words as typed. */
void journal_input_args(const char *name, const struct cmd_args *a);
/* A forward run (session_run): journaled; replays the recorded future's
 * inputs at their seqs when there is one. */
int journal_forward(session *s, const tt_sparkle_args *a, bool finish,
                    bool quiet, const tt_run **out);
/* Restart and replay up to target (the state right after the drain that
 * holds entry target); 0 or -1. */
int journal_replay(session *s, uint64_t target);
/* One segment of reverse-continue's backward scan: replay to target from
 * checkpoint ck (NULL: from the start); when ck disagrees with the trace,
 * from the start, the scan's hits so far dropped.  *from gets the seq the
 * replay started at.  0 or -1. */
int journal_replay_scan(session *s, uint64_t target, tt_checkpoint *ck, uint64_t *from);

/* checkpoint.c: validated in-process checkpoints for time travel. */
extern bool g_checkpoints;            /* `set checkpoints` */
extern size_t g_checkpoint_interval;  /* `set checkpoint-interval` */
bool ckpt_wanted(void);
void ckpt_install(tt_catalyst *cat);
/* While a second Distiller replays (suspended): call fn every `every`
 * entries between passes, keeping its fast path (verify; NULL: none). */
void ckpt_side_tap(void (*fn)(tt_catalyst *cat, uint64_t seq, void *ud), void *ud,
                   uint64_t every);
void ckpt_after_entry(tt_catalyst *cat, uint64_t seq);
tt_checkpoint *ckpt_pick(tt_catalyst *cat, uint64_t target);
void ckpt_validate_begin(tt_catalyst *cat, const tt_checkpoint *ck, uint64_t target);
uint64_t ckpt_validate_end(uint64_t reached);
void ckpt_drop_after(uint64_t seq);
void ckpt_reset(void);
void ckpt_suspend(bool on);
size_t ckpt_count(size_t *bytes);
/* info checkpoints */
void ckpt_info(void);
void ckpt_setting_changed(void);
void ckpt_free(void);


/* ===================================================================== */
/* cmd-why.c: causal chains                                              */
/* ===================================================================== */

/* "#11 MyDevice.ttsc__start_timer(0.2)". */
void why_entry_text(strbuf *b, tt_catalyst *cat, const tt_trace_entry *e);
/* Replay the journal to target in a second Distiller (a private copy of
 * the module; trace_ring for its trace; tap, when given, called after each
 * of its sparkles) and call fn with it, the session left as it was; fn's
 * result, -1 when the replay failed, -2 (said) when it could not start. */
int side_replay(const char *what, uint64_t target, size_t trace_ring,
                void (*tap)(tt_catalyst *side, uint64_t seq, void *ud),
                int (*fn)(tt_catalyst *side, void *ud), void *ud);
/* The chain of entry seq back to its root input, one line per link; -1
 * when the entry is not in the trace. */
int why_chain(strbuf *b, tt_catalyst *cat, uint64_t seq);
/* "#N" or "N"; false when it is neither. */
bool parse_seq(const char *s, uint64_t *out);

/* ===================================================================== */
/* resolve.c: names typed by the user, with suggestions                  */
/* ===================================================================== */

/* A tonic by name or id; prints `unknown tonic "X" (did you mean "Y"?)`. */
tt_tonic *resolve_tonic(tt_catalyst *cat, const char *name);
/* Like resolve_tonic but silent; *suggest gets a close name or NULL. */
tt_tonic *find_tonic(tt_catalyst *cat, const char *name, const char **suggest);
/* An interface sparkle of t: the full name or a unique short name ("open"
 * for "ttsc__open").  Returns the library's name or NULL (error printed). */
const char *resolve_sparkle(tt_tonic *t, const char *name);
/* The same, silent: NULL with the reason and a suggestion in err. */
const char *sparkle_of(tt_tonic *t, const char *name, char *err, size_t esz);
/* The same over every tonic (for `break sparkle NAME`); NULL if unknown.
 * *suggest gets a close name when not found. */
const char *find_sparkle_any(tt_catalyst *cat, const char *name,
                             const char **suggest);
/* Whether t has state; error with a suggestion when not. */
bool resolve_state(tt_tonic *t, const char *state);
bool state_of(tt_tonic *t, const char *state, char *err, size_t esz);
/* Whether some tonic has the state; *suggest as above. */
bool find_state_any(tt_catalyst *cat, const char *state, const char **suggest);
/* Whether t has the probe; error with a suggestion when not. */
bool resolve_probe(tt_tonic *t, const char *probe);
bool probe_of(tt_tonic *t, const char *probe, char *err, size_t esz);
/* Whether text reads as a value of t.probe's type; the reason in err. */
bool probe_value_ok(tt_tonic *t, const char *probe, const char *text,
                    char *err, size_t esz);
/* Split "A.B" at the last dot (tonic names may hold dots: "02.Timer").
 * Returns false when there is no dot. */
bool split_dotted(const char *text, char **left, char **right);
/* Parse a value typed by the user for comparing with a probe: by the type
 * of `like` when given (tt_value_parse), else JSON, else a bare string. */
int parse_probe_value(tt_catalyst *cat, const tt_value *like,
                      const char *text, tt_value *out, char *err, size_t esz);
/* JSON text -> value (lists and maps included); -1 when not JSON. */
int value_from_json(const char *text, tt_value *out);
/* JSON text indented for reading (malloc'ed), NULL if not JSON. */
char *json_reindent(const char *text);

/* ===================================================================== */
/* format.c: text for values, entries and orders                         */
/* ===================================================================== */

/* "1, 2.5, \"x\"" into a strbuf. */
void fmt_args(strbuf *b, const tt_value *args, size_t n);
/* A value as JSON text (malloc'ed). */
char *fmt_value(const tt_value *v);
/* One pending order: "Door.ttsc__open(1) <- ttdb". */
void fmt_order(strbuf *b, const tt_order_view *o);
/* "  (cause #N)" or "  (input)" (from outside). */
void fmt_order_cause(strbuf *b, const tt_order_view *o);
/* "<- Tonic.sparkle", "<- ttdb" (a label) or "<- external" (both NULL/""). */
void fmt_source(strbuf *b, const char *tonic, const char *sparkle);
/* A trace row for the screen: seq, vt, tonic.sparkle(args), states,
 * duration, source; flags marked. */
void fmt_trace_row(strbuf *b, tt_catalyst *cat, const tt_trace_entry *e);
/* Whether a sparkle name is a system one (`_tt*`). */
bool is_system_sparkle(const char *name);
/* One row of the tonic tree. */
typedef struct tonic_row {
    tt_tonic *tonic;
    int depth;
} tonic_row;
/* Every tonic as a tree by base, depth first (malloc'ed array). */
size_t tonic_tree(tt_catalyst *cat, tonic_row **out);
/* "  2 Child [ready] finishing". */
void fmt_tonic(strbuf *b, const tonic_row *r);

/* ===================================================================== */
/* breakpoint.c: breakpoints, watches and the step hook                  */
/* ===================================================================== */

typedef enum bp_kind {
    BP_SPARKLE, /* after TONIC.SPARKLE ran */
    BP_STATE,   /* after a state change into one of `states` */
    BP_PROBE,   /* after PROBE OP VALUE became true */
    BP_WATCH,   /* a watchpoint: after the probe's value changed */
    BP_HANDLER  /* before a handler runs: the next order is klass.name
                   and `function` is the C function that will take it (in
                   the one state of `states`, if any); set by source line */
} bp_kind;

typedef enum cond_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE } cond_op;

/* `PROBE OP VALUE` or `TONIC.PROBE OP VALUE`. */
typedef struct bp_cond {
    char *tonic;  /* NULL: the tonic whose sparkle just ran */
    char *probe;
    cond_op op;
    char *value_text; /* parsed by the probe's type when evaluated */
} bp_cond;

typedef struct breakpoint {
    int num;            /* 0: the condition of the `until` that runs */
    bp_kind kind;
    bool enabled;
    bool temporary;     /* tbreak: deleted after its first stop */
    bool until;         /* an until's condition: holds while true */
    bool unresolved;    /* its names wait for their tonic to exist */
    bool cond_unresolved; /* the same for the condition's tonic */
    bool stopped;       /* it stopped the last run */
    char *tonic;        /* NULL: any tonic */
    char *klass;        /* BP_HANDLER: the class of the tonic */
    char *function;     /* BP_HANDLER: its C function (NULL: any handler
                           of klass.name in `states`) */
    bool checked;       /* BP_HANDLER: it saw the order after entry
                           checked_seq of session generation checked_gen */
    uint64_t checked_seq;
    unsigned checked_gen;
    char *name;         /* sparkle or probe name */
    strvec states;      /* BP_STATE */
    cond_op op;         /* BP_PROBE */
    char *value_text;   /* BP_PROBE: parsed by the probe's type */
    bool was_true;      /* BP_PROBE: stop on the change to true only */
    bool has_old;       /* BP_WATCH: the value last seen */
    tt_value old;
    bp_cond *cond;
    unsigned long hits;
    unsigned long ignore;
} breakpoint;

/* One change of a watched probe. */
typedef struct watch_row {
    uint64_t seq;       /* sparkle after which it changed (0: at watch) */
    double vt;
    unsigned watch;     /* index into the watch list */
    char *text;         /* the value as JSON */
    unsigned run;       /* run number (to highlight the last run's rows) */
} watch_row;

typedef struct watch {
    unsigned num;       /* its display number (kept, as gdb's, when others go) */
    char *tonic;
    char *probe;
    bool has_last;
    tt_value last;
    bool present;       /* the probe was readable last time */
} watch;

/* A breakpoint hit found by a scan (bp_scan). */
typedef struct bp_hit {
    uint64_t seq;       /* the entry that hit */
    uint64_t end;       /* the end of its drain: where a run stops */
    int num;            /* the breakpoint */
} bp_hit;

typedef struct bp_list {
    breakpoint **v;
    size_t n;
    int next_num;
    breakpoint *until;  /* the running until's condition (hook-checked) */
    bool until_hit;     /* it held */
    size_t seen_tonics; /* tonics that existed at the last resolution */
    char error[2048];   /* the pending names that cannot resolve, one line
                           each (\n-separated) */
    watch *w;
    size_t nw;
    unsigned last_display; /* the number the last display got */
    watch_row *rows;
    size_t nrows, caprows;
    char stop_msg[512];
    bool replaying;     /* journal replay: watches only, no stops */
    bool scanning;      /* ... but hits recorded (reverse-continue) */
    bp_hit *hits;       /* the hits of the last scan, oldest first */
    size_t nhits, caphits, scan_open;
    /* called first after every sparkle (verify compares entries there) */
    void (*tap)(tt_catalyst *cat, uint64_t seq, void *ud);
    void *tap_ud;
} bp_list;

extern bp_list g_bps;

/* Add (takes ownership of the fields); returns the new number. */
int bp_add(bp_list *l, breakpoint *bp);
breakpoint *bp_find(bp_list *l, int num);
/* Delete one (num > 0) or all (num == 0). */
int bp_delete(bp_list *l, int num);
/* A condition PROBE OP VALUE (PROBE may be "TONIC.PROBE"; VALUE as typed,
 * parsed by the probe's type when evaluated); NULL after an error for an
 * unknown OP. */
bp_cond *bp_cond_new(const char *probe, const char *op, const char *value);
/* The same from the text typed after `if` ("count >= 3", cmd-break.c). */
bp_cond *bp_cond_parse_text(const char *text);
void bp_cond_free(bp_cond *c);
/* Describe a breakpoint for `info breakpoints` ("Door.ttsc__open"). */
void bp_describe(const breakpoint *bp, strbuf *b);
/* Text of an operator ("<="); the operator of a word, -1 if none. */
const char *op_text(cond_op op);
int op_parse(const char *s);
/* Compare a and b with op (numbers by value, strings by text). */
bool value_compare(const tt_value *a, cond_op op, const tt_value *b);
/* Check a breakpoint's names against the tonics there are now: 1 when
 * every name is known, 0 while its tonic does not exist yet, -1 when the
 * tonic exists and a name is wrong (the reason, with the nearest valid
 * name, in err). */
int bp_resolve(breakpoint *bp, tt_catalyst *cat, char *err, size_t esz);
/* Start (until != NULL) or end the hook-checked condition of an `until`. */
void bp_set_until(bp_list *l, breakpoint *until);
/* A hit of bp counts (hits, ignore count); whether it stops. */
bool bp_count_hit(breakpoint *bp);
/* The session stands before the order after entry at because a handler
 * breakpoint stopped it there (reverse-continue's landing): a continue
 * from here runs that order. */
void bp_handlers_seen(bp_list *l, uint64_t at);
const char *bp_handlers_arrive(bp_list *l, tt_catalyst *cat);
/* Start (on) or end a scan: while the journal replays, every hit of an
 * enabled breakpoint or watchpoint is recorded in l->hits instead of
 * stopping; last: the seq the replay reached (ends the last drain). */
void bp_scan(bp_list *l, bool on, uint64_t last);
/* After a run: delete the temporary breakpoints that stopped it; the
 * error of a condition that could not resolve (or NULL). */
const char *bp_after_run(bp_list *l);
/* Free one breakpoint. */
void bp_free_one(breakpoint *bp);
/* Add a watch and record its current value. */
int watch_add(bp_list *l, tt_catalyst *cat, const char *tonic,
              const char *probe);
int watch_delete(bp_list *l, unsigned idx);
/* A new session started: forget per-session state, keep definitions. */
void bp_session_reset(bp_list *l, tt_catalyst *cat);
/* Re-read what probe breakpoints compare against (after a replay). */
void bp_resync(bp_list *l, tt_catalyst *cat);
/* The session went back to seq (a checkpoint): the watch history after it
 * goes, the watches read their values again. */
void bp_rewind(bp_list *l, tt_catalyst *cat, uint64_t seq);
/* Install the step hook on cat when needed. */
void bp_install(bp_list *l, tt_catalyst *cat);
/* Free everything. */
void bp_free(bp_list *l);
/* The run number the session is at (for highlighting watch rows). */
extern unsigned g_run_number;

/* ===================================================================== */
/* cmd.c: the command table, lookup, dispatch                            */
/* ===================================================================== */

/* What the arguments of a command complete to. */
typedef enum cmd_complete {
    CC_NONE,
    CC_COMMAND,       /* a command name (help) */
    CC_TONIC,         /* a tonic name */
    CC_TONIC_SPARKLE, /* TONIC then one of its sparkles */
    CC_TONIC_STATE,   /* [TONIC] STATE... */
    CC_DOTTED_SPARKLE,/* [TONIC.]SPARKLE */
    CC_DOTTED_PROBE,  /* TONIC.PROBE */
    CC_FILE,          /* a file name */
    CC_SUBCOMMAND,    /* a word of `subs` */
    CC_SUB_OR_SPARKLE,/* a word of `subs`, or [TONIC.]SPARKLE (break) */
    CC_SETTING        /* a setting, or var TONIC.PROBE (set) */
} cmd_complete;

enum {
    CMD_REPEAT = 1 << 0,  /* Enter on an empty line repeats it (step) */
    CMD_HIDDEN = 1 << 1,  /* not listed by `help` */
    CMD_SESSION = 1 << 2, /* needs a loaded app */
    CMD_RUNS = 1 << 3     /* runs the app: refused on a recorded trace */
};

typedef struct cmd_args cmd_args;
struct cmd_args {
    int argc;
    char **argv;       /* unquoted words */
    char **raw;        /* the same words as typed (quotes kept) */
    const char **starts; /* where each word starts in the line */
    tt_catalyst *cat;  /* set by the dispatcher: the session's catalyst
                          (never NULL for a CMD_SESSION command) */
};

typedef struct cmd_entry cmd_entry;
struct cmd_entry {
    const char *name;
    const char *aliases;           /* space-separated, or NULL */
    const char *usage;             /* "step [N]" */
    const char *help;              /* first sentence = summary */
    int (*exec)(cmd_args *a);      /* 0, or -1 after printing an error */
    cmd_complete complete;
    unsigned flags;
    const cmd_entry *const *subs;  /* subcommands (NULL-terminated) */
    const char *on_recorded;       /* CMD_RUNS: why not on a recorded trace,
                                      and what to do instead (NULL: the
                                      usual "nothing can run") */
};

/* What a recorded trace offers instead of running (the end of on_recorded). */
#define RECORDED_INSTEAD                                                        \
    "every entry is there already: `info trace`, `info entry N`, `print #N`, " \
    "`why #N`, or its row in the Trace pane"


/* Why a command that would run something fails here: on a recorded trace
 * (TT_ERECORDED's text), or attached to a live app. */
const char *cmd_nothing_runs(void);
/* resolve.c: a sparkle no tonic has (a tonic's name is said to be one);
 * a probe named without its tonic (the tonics that have it named): one
 * line each, -1. */
int sparkle_any_error(tt_catalyst *cat, const char *word, const char *sug);
int probe_name_error(const char *word);
size_t probe_named(const char *word, bool say);
/* "step: "x" is not a count (1 or more); usage: step [N]": -1. */
int cmd_word_error(const cmd_entry *e, const char *word, const char *want);

/* Every command (NULL-terminated): the core's, then those a front end
 * added. */
extern const cmd_entry *const *cmd_table;
/* Add commands (a NULL-terminated table that stays valid) after the
 * core's; cmd_shutdown frees what this allocated. */
void cmd_add_commands(const cmd_entry *const *more);
/* A `help TOPIC` that is not a command ("keys"); print writes it. */
void cmd_add_help_topic(const char *topic, void (*print)(void));
void cmd_shutdown(void);

/* Split a line into words (quotes '...' and "..." group; raw keeps them).
 * Returns -1 with an error printed for an unterminated quote. */
int cmd_split(const char *line, cmd_args *a);
void cmd_args_free(cmd_args *a);
/* Word i for a value parser: as typed, a 'single quoted' word turned into
 * a "double quoted" one (malloc'ed). */
char *cmd_arg_text(const cmd_args *a, int i);
/* Why cmd_lookup found nothing. */
typedef enum cmd_miss {
    CMD_FOUND,     /* it did find one */
    CMD_UNKNOWN,   /* nothing matches, nothing is close */
    CMD_CLOSE,     /* nothing matches; err suggests a close name */
    CMD_AMBIGUOUS  /* a prefix of several; err lists them */
} cmd_miss;
/* Find a command by exact name, alias or unique prefix in a table; NULL
 * with a one-line message in err and the reason in *why (may be NULL). */
const cmd_entry *cmd_lookup(const cmd_entry *const *table, const char *word,
                            char *err, size_t esz, cmd_miss *why);
/* Execute one line: 0, or -1 when the command failed (error printed).
 * Blank lines and comments (#) do nothing. */
int cmd_execute(const char *line);
/* Run a subcommand table with the remaining words. */
int cmd_dispatch_sub(const cmd_entry *parent, cmd_args *a);
/* Whether the command on this line repeats on Enter (step, continue). */
bool cmd_repeats(const char *line);
/* The line to run for a line typed at a prompt (malloc'ed; NULL: nothing):
 * an empty line repeats the last run command (step, continue, until), as
 * gdb does, even after other commands in between.  NULL forgets it. */
char *cmd_enter_line(const char *line);
/* Completion: candidate words for the word being typed.  `line` is the
 * text before the word, `word` the partial word.  Returns a strvec the
 * caller frees. */
void cmd_complete_words(const char *line, const char *word, strvec *out);
/* Whether word, the one candidate of the last completion, is a tonic name
 * that may go on with ".NAME" (readline then adds no space). */
bool cmd_complete_open(const char *word);
/* Every display's value ("1: TONIC.PROBE = VALUE"), as gdb shows them
 * at a stop (cmd-break.c). */
void displays_show(void);
/* Command needs a session: the catalyst or NULL (error printed). */
tt_catalyst *cmd_cat(void);
/* "wrong arguments; usage: step [N]" */
int cmd_usage_error(const cmd_entry *e);

/* The core's commands, in the order `help` lists them: X(NAME) is the
 * `const cmd_entry cmd_NAME_entry` that a cmd-*.c file defines (one file
 * per command or family).  Adding a command is its entry in its file and
 * one line here; the declarations below and cmd.c's table follow. */
#define CORE_COMMANDS(X)                                                    \
    X(step)                                                                 \
    X(continue)                                                             \
    X(until)                                                                \
    X(sparkle)                                                              \
    X(advance)                                                              \
    X(call)                                                                 \
    X(finish)                                                               \
    X(restart)                                                              \
    X(run)                                                                  \
    X(break)                                                                \
    X(tbreak)                                                               \
    X(delete)                                                               \
    X(disable)                                                              \
    X(enable)                                                               \
    X(ignore)                                                               \
    X(condition)                                                            \
    X(watch)                                                                \
    X(display)                                                              \
    X(undisplay)                                                            \
    X(print)                                                                \
    X(info)                                                                 \
    X(expect)                                                               \
    X(export)                                                               \
    X(file)                                                                 \
    X(source)                                                               \
    X(set)                                                                  \
    X(show)                                                                 \
    X(echo)                                                                 \
    X(shell)                                                                \
    X(make)                                                                 \
    X(save_test)                                                            \
    X(help)                                                                 \
    X(complete)                                                             \
    X(quit)                                                                 \
    X(lint)                                                                 \
    X(wait_entries)                                                         \
    X(why)                                                                  \
    X(caused)                                                               \
    X(goto)                                                                 \
    X(reverse_step)                                                         \
    X(reverse_continue)                                                     \
    X(verify)

#define CMD_DECLARE(NAME) extern const cmd_entry cmd_##NAME##_entry;
CORE_COMMANDS(CMD_DECLARE)
#undef CMD_DECLARE

/* Subcommands other files share. */
extern const cmd_entry cmd_info_lints_entry; /* cmd-lint.c */
extern const cmd_entry cmd_info_stats_entry; /* attach.c */
/* Give the session's catalyst the lint thresholds of the settings. */
void lint_settings_apply(session *s);
/* "lints: N" into b when the catalyst has any (the status line). */
void lint_status(tt_catalyst *cat, strbuf *b);
/* The entries that show lint l, "#12 #40 ... #98 (25 in all)", into b. */
void lint_seqs(strbuf *b, const tt_lint *l);
/* cmd-print.c: trace entry seq, or NULL after an error naming what the
 * trace holds; `set var TONIC.FIELD = VALUE` (the words after "var"). */
const tt_trace_entry *trace_entry(tt_catalyst *cat, long seq);
int setvar_exec(cmd_args *a);

/* cmd-info.c: shared listings (also used by views and tests). */
void info_breakpoints(void);

/* Entry seq in the golden traces' form (tt_entry_golden_text), malloc'ed;
 * NULL when the trace ring dropped it (cmd-expect.c). */
char *entry_golden_text(tt_catalyst *cat, uint64_t seq);

/* ===================================================================== */
/* options.c: the settings of `set`, as data                             */
/* ===================================================================== */

/* Print every setting with its value and help. */
void options_list(void);
/* Show (value NULL) or change a setting; 0 or -1 (error printed). */
int options_set(const char *name, const char *value);
/* The full name of the setting that name (or a prefix of one only) names;
 * NULL when none. */
const char *options_name(const char *name);
/* Whether name is a gdb setting ttdb ignores (pagination, confirm, ...). */
bool options_gdb_only(const char *name);
/* The setting names (static array). */
size_t options_names(const char ***out);

/* ===================================================================== */
/* options.c: global flags                                               */
/* ===================================================================== */

typedef struct ttdb_opts {
    bool batch;          /* plain text, no screen */
    bool screen;         /* the curses screen is active */
    bool line;           /* the plain line interface (-nw, TERM=dumb) */
    bool dap;            /* the Debug Adapter Protocol front end */
    bool quiet;
    bool keep_going;     /* batch: do not stop at the first error */
    bool print_entries;  /* print executed entries after each run */
    size_t entries_max;  /* a run of more entries lists only its last
                            ENTRIES_SHOWN (`set entries-max`; 0: all) */
    bool echo;           /* echo commands in batch output */
    bool show_system;    /* system sparkles (_tt*) shown (`set system`) */
    bool quit;           /* `quit` was given */
    int quit_status;     /* `quit N` */
} ttdb_opts;

extern ttdb_opts g_opts;

/* ===================================================================== */
/* script.c: running command lines and command files                     */
/* ===================================================================== */

/* Run the commands of a file ("-" = stdin); stops at the first error
 * unless keep_going.  Returns 0 or -1. */
int script_run_file(const char *path, FILE *f);
/* Run one command line (from -ex); 0 or -1. */
int script_run_line(const char *line);
/* One -x FILE or -ex CMD, in command-line order. */
typedef struct startup_cmd {
    bool is_file;
    const char *text;
} startup_cmd;
/* Run them in order; 0 or -1 (stops at a failure unless batch mode keeps
 * going). */
int script_run_startup(const startup_cmd *cmds, int n);

/* ===================================================================== */
/* export.c glue: plugins (cmd-export.c)                                 */
/* ===================================================================== */

/* Load the exporter plugins once (warnings printed); safe to call again. */
void export_init(void);
void export_free(void);
/* List exporters for `info exporters`. */
void export_list(void);

/* ===================================================================== */
/* frontend.c: what the core tells the front end attached to it          */
/* ===================================================================== */

/* Callbacks of a front end (each may be NULL).  The core calls them; it
 * never calls a front end by name.  Output goes through out_set_sink(). */
typedef struct ttdb_frontend {
    /* The session changed (a command ran, a run ended, an app started or
     * closed): what shows it re-reads it before the user looks again. */
    void (*changed)(void);
    /* A run starts; the core blocks until it ends. */
    void (*running)(void);
    /* A setting the front end shows changed (its name, as in `set`). */
    void (*setting)(const char *name);
} ttdb_frontend;

/* Attach fe (copied; NULL: none). */
void frontend_attach(const ttdb_frontend *fe);
void frontend_changed(void);
void frontend_running(void);
void frontend_setting(const char *name);

#endif /* TTDB_H */
