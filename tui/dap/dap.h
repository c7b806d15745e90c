/*
 * dap.h: ttdb's Debug Adapter Protocol front end (`ttdb --dap`), private to
 * tui/dap/.
 *
 * The editor speaks DAP on stdin/stdout: JSON messages, each after a
 * "Content-Length: N\r\n\r\n" header.  dap-io.c reads them on a thread of
 * its own (so that `pause` reaches a running `continue`) and writes
 * responses and events; dap.c maps each request onto the core (mostly by
 * running the ttdb command a user would type); dap-source.c finds the C
 * function of a handler with elfutils' libdw; dap-vars.c builds stack
 * frames, scopes and variables.
 */
#ifndef TTDB_DAP_H
#define TTDB_DAP_H

#include "ttdb.h"

#include <jansson.h>

/* --- dap.c ---------------------------------------------------------------- */

/* Serve DAP messages from in_fd, answering on out_fd, until disconnect or
 * the end of the input; filter (may be NULL) sees each request first and
 * may change it or drop it (false).  The fuzz target's entry point. */
int dap_serve(int in_fd, int out_fd, bool (*filter)(json_t *req));

/* --- dap-io.c: messages ------------------------------------------------ */

/* Start reading messages from in_fd on a thread; write to out_fd. */
int dap_io_start(int in_fd, int out_fd);
/* The next message (a new reference), NULL at the end of the input.  A
 * message that is not a JSON object comes back as a JSON string holding
 * the error, to be answered with an error. */
json_t *dap_io_next(void);
/* Around a run: a pause request (queued or arriving) interrupts it. */
void dap_io_run_begin(void);
void dap_io_run_end(void);
/* Whether a `pause` interrupted a running continue since the last call. */
bool dap_io_paused_run(void);
/* Stop the reader: join it (its input has ended or will), or leave it. */
void dap_io_stop(bool join);
/* Send a message (the reference is stolen); "seq" is added. */
void dap_send(json_t *msg);
/* An event with a body (stolen; may be NULL). */
void dap_event(const char *event, json_t *body);
/* The response to request req: success, or failure with message. */
void dap_respond(json_t *req, json_t *body);
void dap_fail(json_t *req, const char *fmt, ...) TTDB_PRINTF(2, 3);

/* --- dap-source.c: handlers in the module's debug information ----------- */

/* Where a handler function is: file and line of its declaration. */
typedef struct dap_func {
    char *name;        /* "Counter_ttsc_idle__start" */
    char *file;        /* absolute when the compiler recorded it so */
    int line, last;    /* first and last line of its body */
} dap_func;

/* Read the handler functions of the module at path (a .so); false (and
 * a reason) when it has no debug information. */
bool dap_source_load(const char *so_path, char *why, size_t size);
void dap_source_free(void);
/* The function of class.sparkle in state (NULL: the stateless one); falls
 * back to the stateless handler.  NULL when unknown. */
const dap_func *dap_source_handler(const char *klass, const char *sparkle,
                                   const char *state);
/* The handler whose body holds file:line (file matched by its name). */
const dap_func *dap_source_at(const char *file, int line);
/* Split a handler's function name into class, sparkle and state (each
 * malloc'ed; state NULL when stateless); false when it is not one. */
bool dap_source_split(const char *fname, char **klass, char **sparkle,
                      char **state);

/* --- dap-vars.c: frames, scopes, variables ------------------------------ */

/* Forget every frame and variable reference (a new stop). */
void dap_vars_reset(void);
/* The stack of a thread (a tonic): frame 0 its current sparkle (or the
 * order it is stopped before), then what queued it, down to the root. */
json_t *dap_vars_stack(tt_catalyst *cat, tt_tonic *t, int start, int levels);
json_t *dap_vars_scopes(tt_catalyst *cat, int frame_id);
json_t *dap_vars_variables(tt_catalyst *cat, int ref);
/* The tonic whose probes a variables reference lists (NULL if none). */
tt_tonic *dap_vars_probe_tonic(tt_catalyst *cat, int ref);
/* The tonic of a 'Probes now' scope (the one setVariable writes), or NULL. */
tt_tonic *dap_vars_now_tonic(tt_catalyst *cat, int ref);
/* The tonic of a frame (NULL if unknown). */
tt_tonic *dap_vars_frame_tonic(tt_catalyst *cat, int frame_id);
/* The order the session is stopped before (a source breakpoint): its
 * tonic's serial, or -1. */
extern long g_dap_before_serial;

#endif /* TTDB_DAP_H */
