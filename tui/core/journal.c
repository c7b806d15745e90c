/*
 * journal.c: the session journal, and replay from it.
 *
 * The Distiller is deterministic under virtual time, so a session is fully
 * described by what was given to it from outside: the input commands (call,
 * advance, finish TONIC, and whatever else changes behaviour: they call
 * journal_input; also the settings that shape the runs, see journal_settings)
 * with the seq and virtual time at which each was given, and
 * its runs, each as the seq and virtual time it ended at.  Replaying means: a
 * fresh catalyst (the module reloaded), then every item in order: a run is
 * re-run with sparkle_count up to its end (breakpoints off), then the clock
 * is set to its end time (a timeout moves it over empty time); an input is
 * executed again as its command line, output muted.
 *
 * goto, reverse-step and reverse-continue replay up to a seq.  What lies
 * after that point is the recorded future: forward commands replay its
 * inputs at their seqs, until the user gives a new input, which drops it
 * ("a new future starts here") and records a sync point (the seq and time
 * reached), so that a later replay reaches the same state.
 *
 * A replay starts from the nearest checkpoint before its target when there
 * is one (checkpoint.c: validated against the trace), else from the
 * beginning (the Distiller runs millions of sparkles a second; see
 * doc/performance.md).
 */
#include "ttdb.h"
#include "record.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

journal g_journal;

/* Append an item. */
static journal_item *push(journal *j)
{
    if (j->n == j->cap) {
        j->cap = j->cap ? j->cap * 2 : 32;
        j->v = xrealloc(j->v, j->cap * sizeof *j->v);
    }
    journal_item *it = &j->v[j->n++];
    memset(it, 0, sizeof *it);
    return it;
}

/* Free items from i on. */
static void truncate_at(journal *j, size_t i)
{
    for (size_t k = i; k < j->n; k++) {
        free(j->v[k].line);
        tt_run_outcome_free(j->v[k].outcome);
    }
    j->n = i;
    if (j->pos > i)
        j->pos = i;
}

/* Forget everything (a new session: file, restart). */
void journal_reset(journal *j)
{
    truncate_at(j, 0);
    j->pos = 0;
}

void journal_free(journal *j)
{
    journal_reset(j);
    free(j->v);
    memset(j, 0, sizeof *j);
}

size_t journal_count(const journal *j) { return j->n; }
const journal_item *journal_at(const journal *j, size_t i)
{
    return i < j->n ? &j->v[i] : NULL;
}
bool journal_has_future(const journal *j) { return j->pos < j->n; }

/* The k-th recorded input still to come at seq (the recorded future
 * gives it when the session goes on from there), or NULL. */
const char *journal_input_ahead(const journal *j, uint64_t seq, size_t k)
{
    for (size_t i = j->pos; i < j->n; i++) {
        const journal_item *it = &j->v[i];
        if (it->kind == J_RUN && it->end <= seq)
            continue;
        if (it->kind != J_INPUT || it->seq != seq)
            return NULL;
        if (it->start) /* not typed by the user: not worth a word */
            continue;
        if (k-- == 0)
            return it->line;
    }
    return NULL;
}

/* The last seq the journal knows of (the end of the recorded session). */
uint64_t journal_horizon(const journal *j)
{
    uint64_t h = 0;
    for (size_t i = 0; i < j->n; i++)
        if (j->v[i].kind == J_RUN && j->v[i].end > h)
            h = j->v[i].end;
    return h;
}

/* Drop the recorded future: the user gave a new input at this point.  A
 * sync point keeps the seq and time reached. */
static void new_future(journal *j, tt_catalyst *cat)
{
    if (!journal_has_future(j))
        return;
    uint64_t h = journal_horizon(j);
    truncate_at(j, j->pos);
    ckpt_drop_after(tt_trace_last_seq(cat)); /* they hold the old future */
    journal_item *it = push(j);
    it->kind = J_RUN;
    it->seq = it->end = tt_trace_last_seq(cat);
    it->vt = it->vt_end = tt_catalyst_now(cat);
    j->pos = j->n;
    out_printf("a new future starts here: the recorded one (to #%llu) is "
               "dropped\n", (unsigned long long)h);
}

/* Record an input command line given now. */
void journal_input(const char *line)
{
    journal *j = &g_journal;
    tt_catalyst *cat = g_session.cat;
    if (j->replaying || !cat)
        return;
    new_future(j, cat);
    journal_item *it = push(j);
    it->kind = J_INPUT;
    it->seq = tt_trace_last_seq(cat);
    it->vt = tt_catalyst_now(cat);
    it->line = xstrdup(line);
    j->pos = j->n;
}

/* The settings a session starts with, as its first inputs.  Later changes
 * of stop-on-error are inputs of their own (options.c); compat cannot change
 * once a sparkle ran (a change waits for the restart, which records it). */
void journal_settings(const session *s)
{
    if (g_journal.replaying || !s->cat)
        return;
    size_t from = g_journal.n;
    if (s->compat == TT_COMPAT_PYTHON)
        journal_input("set compat python");
    if (s->stop_on_error) /* ttdb's default; the library's is off */
        journal_input("set stop-on-error on");
    for (size_t i = from; i < g_journal.n; i++)
        g_journal.v[i].start = true;
}

/* Forget the input just recorded: it failed without an effect. */
void journal_cancel_input(void)
{
    journal *j = &g_journal;
    if (j->replaying || j->n == 0 || j->v[j->n - 1].kind != J_INPUT)
        return;
    truncate_at(j, j->n - 1);
    j->pos = j->n;
}

/* The same from a command's words: "NAME WORD WORD" as typed. */
void journal_input_args(const char *name, const struct cmd_args *a)
{
    strbuf b = {0};
    sb_add(&b, name);
    for (int i = 0; i < a->argc; i++)
        sb_printf(&b, " %s", a->raw[i]);
    journal_input(b.s);
    sb_free(&b);
}

/* Whether a run stopped for a condition of its own (an until, a
 * contract), not for a count, idle, the clock or Ctrl-C, nor for a
 * breakpoint (reverse-continue evaluates those as they are now). */
static bool stopped_for_condition(const tt_run *r)
{
    static const char *const plain[] = {"sparkle_count", "idle", "timeout",
                                        "interrupted", "catalyst finished",
                                        "wall_guard", "crashed", "watchdog",
                                        "breakpoint", "watchpoint"};
    for (size_t i = 0; r && i < tt_run_stop_count(r); i++) {
        bool cond = true;
        for (size_t k = 0; k < TT_COUNTOF(plain); k++)
            if (str_starts(tt_run_stop_at(r, i), plain[k]))
                cond = false;
        if (cond)
            return true;
    }
    return false;
}

/* Record a run that went from seq start to end. */
static void record_run(journal *j, bool finish, uint64_t start, tt_catalyst *cat,
                       const tt_run *r)
{
    journal_item *it = push(j);
    it->stopped = stopped_for_condition(r);
    it->kind = J_RUN;
    it->finish = finish;
    it->seq = start;
    it->end = tt_trace_last_seq(cat);
    it->vt_end = tt_catalyst_now(cat);
    it->outcome = tt_run_outcome_take(r); /* NULL without memory: not put back */
    j->pos = j->n;
}

/* Skip the recorded runs that end at or before seq. */
static void pass_runs(journal *j, uint64_t seq)
{
    while (j->pos < j->n && j->v[j->pos].kind == J_RUN &&
           j->v[j->pos].end <= seq)
        j->pos++;
}

/* Move the clock to vt when it is behind (timers due meanwhile fire as they
 * did: a recorded time is never past a timer that had not fired). */
static void clock_to(tt_catalyst *cat, double vt)
{
    double now = tt_catalyst_now(cat);
    if (vt > now)
        tt_distiller_advance(cat, vt - now);
}

/* Execute a recorded input again (output muted, not journaled). */
static int apply_input(journal *j, const journal_item *it)
{
    clock_to(g_session.cat, it->vt);
    bool was = j->replaying;
    j->replaying = true;
    out_mute(true);
    int rc = cmd_execute(it->line);
    out_mute(false);
    j->replaying = was;
    return rc; /* it failed the same way when it was given */
}

/* Apply the recorded inputs given at the current seq. */
static int apply_inputs_here(journal *j)
{
    tt_catalyst *cat = g_session.cat;
    for (;;) {
        pass_runs(j, tt_trace_last_seq(cat));
        if (j->pos >= j->n || j->v[j->pos].kind != J_INPUT ||
            j->v[j->pos].seq != tt_trace_last_seq(cat))
            return 0;
        const journal_item *it = &j->v[j->pos++];
        apply_input(j, it);
        cat = g_session.cat;
    }
}

/* One run of the session, recorded (no recorded future). */
static int run_recorded(session *s, const tt_sparkle_args *a, bool finish,
                        bool quiet, const tt_run **out)
{
    uint64_t start = s->cat ? tt_trace_last_seq(s->cat) : 0;
    const tt_run *r = NULL;
    int rc = session_run_raw(s, a, finish, quiet, &r);
    if (out)
        *out = r;
    if (rc == 0 && s->cat && !g_journal.replaying)
        record_run(&g_journal, finish, start, s->cat, r);
    return rc;
}

/* A forward run: without a recorded future, one run, journaled.  With one,
 * replay its inputs at their seqs: the run is cut at each, the input given,
 * and the run goes on while what the user asked for is not done. */
int journal_forward(session *s, const tt_sparkle_args *a, bool finish,
                    bool quiet, const tt_run **out)
{
    journal *j = &g_journal;
    if (j->replaying || !journal_has_future(j) || !s->cat)
        return run_recorded(s, a, finish, quiet, out);
    if (finish) { /* finish_distiller queues: a new input */
        new_future(j, s->cat);
        return run_recorded(s, a, finish, quiet, out);
    }
    tt_sparkle_args rest = *a;
    for (;;) {
        if (apply_inputs_here(j) < 0)
            return -1;
        tt_catalyst *cat = s->cat;
        uint64_t cur = tt_trace_last_seq(cat);
        size_t k = j->pos;
        while (k < j->n && j->v[k].kind != J_INPUT)
            k++;
        if (k == j->n) { /* no input ahead: an ordinary run */
            const tt_run *r = NULL;
            int rc = session_run_raw(s, &rest, false, quiet, &r);
            if (out)
                *out = r;
            pass_runs(j, tt_trace_last_seq(s->cat));
            if (rc == 0 && !journal_has_future(j))
                record_run(j, false, cur, s->cat, r);
            return rc;
        }
        uint64_t next = j->v[k].seq;
        tt_sparkle_args seg = rest;
        bool capped = false;
        if (next > cur && (seg.sparkle_count <= 0 || (uint64_t)seg.sparkle_count > next - cur)) {
            seg.sparkle_count = (long)(next - cur);
            capped = true;
        }
        const tt_run *r = NULL;
        int rc = session_run_raw(s, &seg, false, capped || quiet, &r);
        if (out)
            *out = r;
        if (rc < 0 || !r)
            return rc;
        uint64_t now = tt_trace_last_seq(s->cat);
        pass_runs(j, now);
        bool only_count = tt_run_stop_count(r) == 1 &&
                          strcmp(tt_run_stop_at(r, 0), "sparkle_count") == 0;
        if (!capped || now != next || !only_count) {
            if (capped && !quiet)
                session_print_run(s, r, g_opts.print_entries);
            return 0;
        }
        if (rest.sparkle_count > 0) {
            rest.sparkle_count -= (long)tt_run_entry_count(r);
            if (rest.sparkle_count <= 0) {
                if (!quiet)
                    session_print_run(s, r, g_opts.print_entries);
                return 0;
            }
        }
    }
}

/* What the app prints while it is replayed was printed when it first ran:
 * its standard output and error go to /dev/null meanwhile (ttdb's own
 * errors go on to the real stderr).  saved[] gets the descriptors to
 * restore (-1: nothing); returns the stream of ttdb's errors meanwhile. */
static FILE *app_output_off(int saved[2])
{
    fflush(stdout);
    fflush(stderr);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    for (int fd = 0; fd < 2; fd++) {
        int which = fd ? STDERR_FILENO : STDOUT_FILENO;
        saved[fd] = null >= 0 ? dup(which) : -1;
        if (saved[fd] >= 0 && dup2(null, which) < 0) {
            close(saved[fd]);
            saved[fd] = -1;
        }
    }
    if (null >= 0)
        close(null);
    int efd = saved[1] >= 0 ? dup(saved[1]) : -1;
    FILE *e = efd >= 0 ? fdopen(efd, "w") : NULL;
    if (!e && efd >= 0)
        close(efd);
    out_set_replay_err(e);
    return e;
}

static void app_output_on(const int saved[2], FILE *err)
{
    fflush(stdout);
    fflush(stderr);
    out_set_replay_err(NULL);
    if (err)
        fclose(err);
    for (int fd = 0; fd < 2; fd++) {
        if (saved[fd] < 0)
            continue;
        dup2(saved[fd], fd ? STDERR_FILENO : STDOUT_FILENO);
        close(saved[fd]);
    }
}

/* The first item not wholly before seq: where a replay from a checkpoint
 * at seq goes on (a run that reached seq is resumed; inputs given at seq
 * were given after it). */
static size_t index_after(const journal *j, uint64_t seq)
{
    size_t i = 0;
    while (i < j->n && (j->v[i].kind == J_RUN ? j->v[i].end < seq : j->v[i].seq < seq))
        i++;
    return i;
}

/* The session is back at a checkpoint: what the front end keeps of it. */
static void session_rewound(session *s, uint64_t seq)
{
    tt_catalyst *cat = s->cat;
    size_t nr = tt_run_count(cat);
    s->generation++;
    s->crash_run = NULL;
    s->taint_counted = tt_distiller_tainted(cat);
    s->last_run = nr ? tt_run_at(cat, nr - 1) : NULL;
    g_run_number = (unsigned)nr;
    lint_settings_apply(s);
    tt_distiller_set_watchdog(cat, s->watchdog);
    bp_rewind(&g_bps, cat, seq);
    record_session_started(cat); /* a travel (save-test) */
}

/* Start a replay to target: from where the session is (here: a goto
 * forward), from checkpoint ck (restored), else from a fresh catalyst; *i
 * gets the journal item to go on with, *join whether it resumes a run.
 * 0 or -1. */
static int replay_start(session *s, uint64_t target, tt_checkpoint *ck, bool here,
                        size_t *i, bool *join)
{
    journal *j = &g_journal;
    *i = 0;
    *join = false;
    if (here) {
        uint64_t at = tt_trace_last_seq(s->cat);
        size_t nr = tt_run_count(s->cat);
        const journal_item *it = j->pos < j->n ? &j->v[j->pos] : NULL;
        *i = j->pos;
        *join = it && it->kind == J_RUN && it->seq < at && nr &&
                tt_run_first_seq(tt_run_at(s->cat, nr - 1)) > it->seq;
        record_session_started(s->cat); /* a travel (save-test) */
        return 0;
    }
    if (ck) {
        uint64_t at = tt_checkpoint_seq(ck);
        ckpt_validate_begin(s->cat, ck, target);
        if (tt_checkpoint_restore(s->cat, ck) == 0) {
            ckpt_drop_after(at); /* taken in the future just left */
            session_rewound(s, at);
            *i = index_after(j, at);
            const journal_item *it = *i < j->n ? &j->v[*i] : NULL;
            *join = it && it->kind == J_RUN && it->seq < at;
            size_t nr = tt_run_count(s->cat);
            if (*join && it->end == at && it->outcome && nr &&
                tt_run_first_seq(tt_run_at(s->cat, nr - 1)) == it->seq + 1) {
                tt_run_set_outcome(s->cat, nr - 1, it->outcome);
                *join = false;
            }
            return 0;
        }
        ckpt_validate_end(UINT64_MAX); /* cancelled */
        ckpt_reset();
    }
    return session_restart(s);
}

static const char *hold_order(void *ud, tt_catalyst *cat, const tt_order_view *next)
{
    (void)ud;
    (void)cat;
    (void)next;
    return "held";
}

/* A recorded run in which no sparkle ran, again (running would not stop
 * before the first sparkle): an empty run ending as it did; a finish
 * queues its orders, held before the first of them.  0 or -1. */
static int replay_empty(session *s, const journal_item *it)
{
    int rc = 0;
    if (it->finish) {
        tt_sparkle_args a = {.sparkle_count = 1, .timeout = 1e12};
        tt_distiller_set_order_hook(s->cat, hold_order, NULL);
        out_mute(true);
        rc = session_run_raw(s, &a, true, true, NULL);
        out_mute(false);
        bp_install(&g_bps, s->cat);
        size_t nr = tt_run_count(s->cat);
        if (rc == 0 && nr)
            tt_run_set_outcome(s->cat, nr - 1, it->outcome);
    } else if ((rc = tt_run_add_empty(s->cat, it->outcome)) < 0) {
        out_error("replaying a run of no sparkle: %s", tt_strerror(rc));
        rc = -1;
    } else {
        g_run_number++;
    }
    size_t nr = tt_run_count(s->cat);
    s->last_run = nr ? tt_run_at(s->cat, nr - 1) : NULL;
    return rc;
}

/* The journal's items replayed up to target (the state right after the
 * drain that holds entry target), from checkpoint ck or from a fresh
 * catalyst.  The items after become the recorded future. */
static int replay_items(session *s, uint64_t target, tt_checkpoint *ck, bool here)
{
    journal *j = &g_journal;
    bool was = j->replaying;
    j->replaying = true;
    g_bps.replaying = true;
    int saved_fds[2];
    char stopped_early[600] = "";
    FILE *err = app_output_off(saved_fds);
    size_t i;
    bool join;
    int rc = replay_start(s, target, ck, here, &i, &join);
    j->cut = false;
    for (; rc == 0 && i < j->n; i++) {
        const journal_item *it = &j->v[i];
        tt_catalyst *cat = s->cat;
        uint64_t cur = tt_trace_last_seq(cat);
        if (it->kind == J_INPUT) {
            if (cur >= target || cur != it->seq)
                break;
            apply_input(j, it);
            continue;
        }
        /* a run of no sparkle where the moment is came after it: the
         * moment is the first arrival there, as before inputs given there */
        bool empty = it->outcome && it->seq == it->end;
        if (cur >= target && (it->end > cur || empty))
            break;
        uint64_t to = it->end < target ? it->end : target;
        if (empty && cur == it->end) {
            rc = replay_empty(s, it); /* a run of no sparkle */
            if (rc < 0)
                break;
        } else if (to > cur) {
            tt_sparkle_args a = {.sparkle_count = (long)(to - cur), .timeout = 1e12};
            /* the run the checkpoint was taken in goes on (a finish
             * queued its orders then) */
            bool resume = join && tt_run_resume_last(s->cat) == 0;
            join = false;
            out_mute(true);
            rc = session_run_raw(s, &a, it->finish && !resume, true, NULL);
            out_mute(false);
            if (rc < 0)
                break;
            cur = tt_trace_last_seq(s->cat);
            /* the run as the user had it: what stopped it then, and its
             * contract details; one the target cuts short is the travel's */
            size_t nr = tt_run_count(s->cat);
            if (cur == it->end && it->outcome && nr &&
                tt_run_first_seq(tt_run_at(s->cat, nr - 1)) == it->seq + 1)
                tt_run_set_outcome(s->cat, nr - 1, it->outcome);
            j->cut = cur >= target && cur < it->end;
            if (cur < to && !strstr(s->last_stop, "crashed") &&
                !strstr(s->last_stop, "watchdog")) {
                snprintf(stopped_early, sizeof stopped_early,
                         "the replay stopped at #%llu before #%llu: %s",
                         (unsigned long long)cur, (unsigned long long)to,
                         s->last_stop);
                rc = -1;
                break;
            }
        }
        cur = tt_trace_last_seq(s->cat);
        if (it->end > cur)
            break; /* stopped inside this run: the rest is the future */
        clock_to(s->cat, it->vt_end);
    }
    app_output_on(saved_fds, err);
    if (stopped_early[0] && !ck) /* from a checkpoint: the validation's */
        out_error("%s", stopped_early);
    j->pos = i;
    pass_runs(j, s->cat ? tt_trace_last_seq(s->cat) : 0);
    j->replaying = was;
    g_bps.replaying = false;
    if (s->cat) {
        bp_resync(&g_bps, s->cat);
        bp_install(&g_bps, s->cat);
    }
    frontend_changed();
    return rc;
}

/* Replay to target: forward from where the session is when the target
 * lies ahead (what the process holds now is exact), else from the nearest
 * checkpoint, validated; when the replay from it disagrees with the
 * trace, again from the start. */
int journal_replay(session *s, uint64_t target)
{
    bool fresh = !s->cat || g_bps.scanning || !g_checkpoints;
    if (!fresh && target > tt_trace_last_seq(s->cat) && !tt_distiller_tainted(s->cat))
        return replay_items(s, target, NULL, true);
    tt_checkpoint *ck = fresh ? NULL : ckpt_pick(s->cat, target);
    int rc = replay_items(s, target, ck, false);
    if (ck && ckpt_validate_end(s->cat ? tt_trace_last_seq(s->cat) : 0))
        rc = replay_items(s, target, NULL, false);
    return rc;
}

int journal_replay_scan(session *s, uint64_t target, tt_checkpoint *ck, uint64_t *from)
{
    *from = ck ? tt_checkpoint_seq(ck) : 0;
    int rc = replay_items(s, target, ck, false);
    if (ck && ckpt_validate_end(s->cat ? tt_trace_last_seq(s->cat) : 0)) {
        bp_scan(&g_bps, true, 0); /* what the disagreeing replay found */
        *from = 0;
        rc = replay_items(s, target, NULL, false);
    }
    return rc;
}
