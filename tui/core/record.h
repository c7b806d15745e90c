/*
 * record.h: what the session did and showed, for `save-test`.
 *
 * The record is a list of steps in the order they happened since the app
 * was (re)started: the inputs (call, advance, finish), the commands that
 * shape later runs (breakpoints, watches, the timeout) and the runs, each
 * with its command line, its Distiller arguments and what the user saw when
 * it stopped (stop conditions, tonics whose state changed, watched probes).
 * Commands report to it through the hooks below; cmd-savetest.c writes it
 * out as a ttdb script or a cmocka test.
 *
 * The session journal (issue 11) will keep the inputs with their seqs; this
 * record is the thin interface save-test reads, so it can switch to the
 * journal without changing the writers.
 */
#ifndef TTDB_RECORD_H
#define TTDB_RECORD_H

#include "ttdb.h"

typedef enum rec_kind {
    REC_COMMAND, /* replayed as typed (break, watch, set timeout ...) */
    REC_CALL,    /* call TONIC SPARKLE ARGS */
    REC_ADVANCE, /* advance SECONDS */
    REC_FINISH,  /* finish TONIC */
    REC_RUN      /* one Distiller call */
} rec_kind;

/* A tonic's state, or a probe's value as JSON, after a run. */
typedef struct rec_pair {
    char *name;  /* "Light" or "Light.cycles" */
    char *value; /* "red" or "3" */
} rec_pair;

typedef struct rec_run {
    /* the Distiller call */
    long sparkle_count;
    double timeout;
    char *till_state_in, *till_sparkle_in;
    char *contract;        /* JSON, NULL for none */
    bool finish;           /* tt_distiller_finish */
    /* what it did and showed */
    uint64_t first_seq, count;
    double vt_start, vt_end;
    strvec stops;
    bool ttdb_stop;        /* stopped by ttdb (breakpoint, Ctrl-C ...),
                              not by one of the Distiller's conditions */
    char *last_entry;      /* "Tonic.sparkle" of its last entry */
    rec_pair *states;      /* tonics whose state changed in this run */
    size_t nstates;
    rec_pair *probes;      /* watched probes, their values at the stop */
    size_t nprobes;
} rec_run;

typedef struct rec_step {
    rec_kind kind;
    char *line;            /* the command as typed */
    char *tonic;           /* CALL, FINISH */
    char *sparkle;         /* CALL */
    tt_value *args;        /* CALL */
    size_t nargs;
    double seconds;        /* ADVANCE */
    rec_run *run;          /* RUN */
} rec_step;

typedef struct record {
    rec_step *v;
    size_t n, cap;
} record;

extern record g_record;

/* Hooks: cmd.c around every command, session.c at start and after a run,
 * the input commands after they succeeded. */
const char *record_set_line(const char *line); /* returns the previous */
void record_command_done(const cmd_entry *e, const cmd_args *a, int rc);
void record_session_started(tt_catalyst *cat);
void record_run(tt_catalyst *cat, const tt_sparkle_args *a, bool finish,
                const tt_run *r);
void record_call(tt_tonic *t, const char *sparkle, const tt_value *args,
                 size_t nargs);
void record_advance(double seconds);
void record_finish(tt_tonic *t);
/* Free everything (teardown). */
void record_free(void);
/* Number of runs recorded. */
size_t record_run_count(void);

extern const cmd_entry cmd_save_test_entry;

#endif /* TTDB_RECORD_H */
