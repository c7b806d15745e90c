/*
 * record.h: what the session did and showed, for `save-test`.
 *
 * The inputs (call, advance, finish ...) are the session journal's
 * (journal.c).  The record adds what the journal does not keep: the
 * commands that shape later runs (breakpoints, watchpoints, displays, the
 * timeout) and the runs the user asked for, each with its command line, its
 * Distiller arguments and what the user saw when it stopped (stop
 * conditions, tonics whose state changed, displayed and watched probes).
 * record_steps() merges both, in the order they happened since the app was
 * (re)started; cmd-savetest.c writes that out as a ttdb script or a cmocka
 * test.  After goto or reverse-step, the runs past the new point are set
 * aside, in place: a goto forward past their end brings them back, a new
 * run forgets them; commands typed meanwhile come after them.
 */
#ifndef TTDB_RECORD_H
#define TTDB_RECORD_H

#include "ttdb.h"

typedef enum rec_kind {
    REC_COMMAND, /* replayed as typed (break, watch, set timeout ...) */
    REC_INPUT,   /* an input of the journal (call, advance, finish ...) */
    REC_RUN      /* one run the user asked for */
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
    bool not_reached;      /* an until whose condition did not hold: the
                              command failed though the run is real */
    /* what it did and showed */
    uint64_t first_seq, count;
    double vt_start, vt_end;
    strvec stops;
    bool ttdb_stop;        /* stopped by ttdb (breakpoint, Ctrl-C ...),
                              not by one of the Distiller's conditions */
    char *last_entry;      /* "Tonic.sparkle" of its last entry */
    rec_pair *states;      /* tonics whose state changed in this run */
    size_t nstates;
    rec_pair *probes;      /* displayed, watched and printed probes, their
                              values at the stop */
    size_t nprobes;
} rec_run;

typedef struct rec_step {
    rec_kind kind;
    char *line;            /* the command as typed */
    size_t jpos;           /* journal items before it (its inputs) */
    uint64_t seq;          /* the last seq when it was given / ended */
    rec_run *run;          /* RUN */
    bool aside;            /* RUN: it ended past the point a goto went back
                              to; a goto forward past its end brings it back.
                              COMMAND: the `goto #N` into such a run, kept
                              when a new run starts there */
} rec_step;

/* The Distiller's settings when the session (re)started: a saved test
 * creates its Distiller with the same. */
typedef struct rec_settings {
    double watchdog;     /* seconds, 0 = off */
    double wall_guard;   /* seconds, <0 = off, 0 = the library's 60 */
    bool stop_on_error;
} rec_settings;

typedef struct record {
    rec_step *v;
    size_t n, cap;
    rec_settings start;
} record;

extern record g_record;

/* Hooks: cmd.c around every command, session.c at start and after a run
 * the user asked for.  Nothing is recorded while the journal replays. */
const char *record_set_line(const char *line); /* returns the previous */
void record_command_done(const cmd_entry *e, const cmd_args *a, int rc);
void record_session_started(tt_catalyst *cat);
void record_stop(tt_catalyst *cat, const tt_sparkle_args *a, bool finish,
                 const tt_run *r);
/* `print TONIC.PROBE` (tonic as named, probe resolved) while the session
 * stands where the last run stopped: the saved test checks that value too. */
void record_printed(tt_catalyst *cat, tt_tonic *t, const char *probe);
/* Free everything (teardown). */
void record_free(void);
/* The steps in order, the journal's inputs merged in (malloc'ed array of
 * views into the record and the journal: free only the array).  Trailing
 * inputs after the last run are left out. */
size_t record_steps(rec_step **out);
/* Number of runs recorded (not those set aside). */
size_t record_run_count(void);

#endif /* TTDB_RECORD_H */
