/*
 * record.c: the session's record for `save-test` (see record.h).
 *
 * After every run it compares each tonic's state with the one it had after
 * the previous run (or at start-up) and keeps those that changed, and reads
 * the displayed and watched probes: what the screen and the batch output
 * showed the user at that stop; a `print TONIC.PROBE` there adds that one.  A restart empties the record but keeps the
 * commands that survive it (breakpoints, watches, settings).  A journal
 * replay (goto, reverse-step) records nothing; afterwards the runs that
 * ended past the point it reached are set aside where they are, and come
 * back when a goto forward through the recorded future passes their end
 * again (a new run forgets them).  A command typed meanwhile is appended
 * after them: the replay of a goto forward ignores breakpoints, so such a
 * command shapes only the runs after the restored ones.
 */
#include "record.h"

#include <stdlib.h>
#include <string.h>

record g_record;

static const char *cur_line;   /* the command being executed */
static int *snap;              /* state index by tonic serial */
static size_t nsnap;
static bool travelled;         /* the journal replayed to another point */

/* Commands replayed as typed in a saved script when they succeeded: they
 * decide where later runs stop.  `set` only for these settings, the ones
 * that change the runs of the Distiller as it is (the others wait for a
 * restart, and the record starts again there: see rec_settings; compat and
 * stop-on-error are inputs of the journal). */
static const char *const shaping[] = {
    "break", "tbreak", "delete", "disable", "enable", "ignore", "condition",
    "watch", "unwatch", "display", "undisplay", NULL};
static const char *const shaping_settings[] = {"timeout", "watchdog", NULL};

/* Whether word is in the NULL-terminated list. */
static bool in_list(const char *const *list, const char *word)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], word) == 0)
            return true;
    return false;
}

const char *record_set_line(const char *line)
{
    const char *prev = cur_line;
    cur_line = line;
    return prev;
}

/* Append a step of kind k for the current line. */
static rec_step *add(rec_kind k)
{
    if (g_record.n == g_record.cap) {
        g_record.cap = g_record.cap ? 2 * g_record.cap : 32;
        g_record.v = xrealloc(g_record.v, g_record.cap * sizeof *g_record.v);
    }
    rec_step *s = &g_record.v[g_record.n++];
    memset(s, 0, sizeof *s);
    s->kind = k;
    s->line = xstrdup(cur_line ? cur_line : "");
    s->jpos = g_journal.pos;
    s->seq = g_session.cat ? tt_trace_last_seq(g_session.cat) : 0;
    return s;
}

static void pairs_free(rec_pair *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].name);
        free(p[i].value);
    }
    free(p);
}

static void step_free(rec_step *s)
{
    free(s->line);
    if (s->run) {
        rec_run *r = s->run;
        free(r->till_state_in);
        free(r->till_sparkle_in);
        free(r->contract);
        sv_free(&r->stops);
        free(r->last_entry);
        pairs_free(r->states, r->nstates);
        pairs_free(r->probes, r->nprobes);
        free(r);
    }
}

static void snapshot(tt_catalyst *cat);

/* Forget the runs set aside by going back: a new run makes its own future. */
static void future_clear(void)
{
    size_t k = 0;
    for (size_t i = 0; i < g_record.n; i++) {
        if (g_record.v[i].aside)
            step_free(&g_record.v[i]);
        else
            g_record.v[k++] = g_record.v[i];
    }
    g_record.n = k;
}

/* After a journal replay moved the session to another point: the runs that
 * end past it are set aside, the others (those a goto forward went through
 * again) are back, and the states there are taken.  A point inside a run
 * set aside gets a `goto` step, set aside too: a new run from there brings
 * both back (record_stop), so that the saved test goes there as well. */
static void sync_travel(void)
{
    if (!travelled || g_journal.replaying || !g_session.cat)
        return;
    uint64_t now = tt_trace_last_seq(g_session.cat);
    size_t k = 0;
    bool inside = false;
    for (size_t i = 0; i < g_record.n; i++) {
        rec_step *s = &g_record.v[i];
        if (s->kind == REC_COMMAND && s->aside) { /* the goto of an earlier travel */
            step_free(s);
            continue;
        }
        if (s->kind == REC_RUN) {
            s->aside = s->seq > now;
            inside |= s->aside && s->run->first_seq <= now;
        }
        g_record.v[k++] = *s;
    }
    g_record.n = k;
    if (inside) {
        char *line = xasprintf("goto #%llu", (unsigned long long)now);
        const char *outer = record_set_line(line);
        add(REC_COMMAND)->aside = true;
        record_set_line(outer);
        free(line);
    }
    snapshot(g_session.cat);
    travelled = false;
}

/* A new run starts here: when a goto went into a run set aside, that run,
 * those before it and the goto are part of the session after all. */
static void keep_goto(void)
{
    for (size_t i = 0; i < g_record.n; i++) {
        rec_step *g = &g_record.v[i];
        if (g->kind != REC_COMMAND || !g->aside)
            continue;
        for (size_t k = 0; k < i; k++) {
            rec_step *s = &g_record.v[k];
            if (s->kind == REC_RUN && s->aside && s->run->first_seq <= g->seq)
                s->aside = false;
        }
        g->aside = false;
    }
}

void record_command_done(const cmd_entry *e, const cmd_args *a, int rc)
{
    if (rc < 0 && e && !g_journal.replaying && strcmp(e->name, "until") == 0 &&
        g_record.n && g_record.v[g_record.n - 1].kind == REC_RUN &&
        strcmp(g_record.v[g_record.n - 1].line, cur_line ? cur_line : "") == 0)
        g_record.v[g_record.n - 1].run->not_reached = true;
    if (rc < 0 || !e || g_journal.replaying)
        return;
    sync_travel();
    if (in_list(shaping, e->name)) {
        add(REC_COMMAND);
        return;
    }
    /* a setting, by its full name ("set stop off" is kept as
     * "set stop-on-error off") */
    const char *name = strcmp(e->name, "set") == 0 && a->argc == 2
                           ? options_name(a->argv[0]) : NULL;
    if (name && in_list(shaping_settings, name)) {
        char *line = xasprintf("set %s %s", name, a->raw[1]);
        const char *outer = record_set_line(line);
        add(REC_COMMAND);
        record_set_line(outer);
        free(line);
    }
}

/* Remember every tonic's state index. */
static void snapshot(tt_catalyst *cat)
{
    nsnap = tt_tonic_count(cat);
    snap = xrealloc(snap, (nsnap + 1) * sizeof *snap);
    for (size_t i = 0; i < nsnap; i++) {
        tt_tonic *t = tt_tonic_at(cat, i);
        snap[i] = t ? tt_tonic_state(t) : -1;
    }
}

void record_session_started(tt_catalyst *cat)
{
    if (g_journal.replaying) { /* goto and friends: see sync_travel */
        travelled = true;
        return;
    }
    travelled = false;
    g_record.start = (rec_settings){g_session.watchdog, g_session.wall_guard,
                                    g_session.stop_on_error};
    size_t k = 0;
    for (size_t i = 0; i < g_record.n; i++) {
        if (g_record.v[i].kind == REC_COMMAND) {
            g_record.v[i].jpos = 0; /* the journal starts again too */
            g_record.v[k++] = g_record.v[i];
        }
        else
            step_free(&g_record.v[i]);
    }
    g_record.n = k;
    snapshot(cat);
}

/* Whether a stop condition is one of the Distiller's own. */
static bool distiller_stop(const char *s)
{
    static const char *const own[] = {
        "timeout", "sparkle_count", "state_trigger: ", "sparkle_trigger: ",
        "contract_met", "catalyst finished", "idle",
        /* a sparkle that crashed, exited, ran too long or failed a library
         * call (stop-on-error) stops the same run again */
        "crashed: ", "exited: ", "watchdog: ", "error: ", NULL};
    for (size_t i = 0; own[i]; i++)
        if (str_starts(s, own[i]))
            return true;
    return false;
}

/* The tonics whose state differs from the snapshot (registered ones that
 * can be found by their name), then a new snapshot. */
static void changed_states(tt_catalyst *cat, rec_run *r)
{
    size_t n = tt_tonic_count(cat);
    r->states = xcalloc(n + 1, sizeof *r->states);
    for (size_t i = 0; i < n; i++) {
        tt_tonic *t = tt_tonic_at(cat, i);
        if (!t || tt_tonic_id(t) < 0)
            continue;
        int before = i < nsnap ? snap[i] : -1;
        if (tt_tonic_state(t) == before)
            continue;
        const char *name = tt_tonic_name(t);
        if (tt_tonic_by_name(cat, name) != t)
            continue;
        r->states[r->nstates++] = (rec_pair){xstrdup(name),
                                             xstrdup(tt_tonic_state_name(t))};
    }
    snapshot(cat);
}

/* Add tonic.probe's current value to r (once; skipped when unreadable). */
static void add_probe(tt_catalyst *cat, rec_run *r, const char *tonic, const char *probe)
{
    char *name = xasprintf("%s.%s", tonic, probe);
    for (size_t i = 0; i < r->nprobes; i++)
        if (strcmp(r->probes[i].name, name) == 0) {
            free(name);
            return;
        }
    tt_tonic *t = tt_tonic_by_name(cat, tonic);
    tt_value v = TT_NONE;
    if (!t || tt_tonic_id(t) < 0 || tt_tonic_probe_read(t, probe, &v) < 0) {
        free(name);
        return;
    }
    r->probes = xrealloc(r->probes, (r->nprobes + 1) * sizeof *r->probes);
    r->probes[r->nprobes++] = (rec_pair){name, fmt_value(&v)};
    tt_value_clear(&v);
}

/* The values of the displayed probes and of the watchpoints' probes now. */
static void watched_probes(tt_catalyst *cat, rec_run *r)
{
    for (size_t i = 0; i < g_bps.nw; i++)
        add_probe(cat, r, g_bps.w[i].tonic, g_bps.w[i].probe);
    for (size_t i = 0; i < g_bps.n; i++) {
        const breakpoint *bp = g_bps.v[i];
        if (bp->kind == BP_WATCH && bp->tonic && bp->name)
            add_probe(cat, r, bp->tonic, bp->name);
    }
}

void record_printed(tt_catalyst *cat, tt_tonic *t, const char *probe)
{
    if (g_journal.replaying)
        return;
    sync_travel();
    /* the last run, with only commands (break, watch ...) after it: no
     * input, no goto, nothing run since */
    size_t i = g_record.n;
    while (i > 0 && g_record.v[i - 1].kind == REC_COMMAND)
        i--;
    if (i == 0)
        return;
    rec_step *s = &g_record.v[i - 1];
    if (s->kind != REC_RUN || s->aside || s->jpos != g_journal.pos ||
        s->seq != tt_trace_last_seq(cat))
        return;
    add_probe(cat, s->run, tt_tonic_name(t), probe);
}

void record_stop(tt_catalyst *cat, const tt_sparkle_args *a, bool finish,
                 const tt_run *run)
{
    if (g_journal.replaying)
        return;
    sync_travel();
    keep_goto();
    future_clear();
    rec_step *s = add(REC_RUN);
    rec_run *r = s->run = xcalloc(1, sizeof *r);
    r->sparkle_count = a->sparkle_count;
    r->timeout = a->timeout;
    r->till_state_in = a->till_state_in ? xstrdup(a->till_state_in) : NULL;
    r->till_sparkle_in = a->till_sparkle_in ? xstrdup(a->till_sparkle_in) : NULL;
    r->contract = a->contract ? tt_contract_to_json(a->contract) : NULL;
    r->finish = finish;
    r->first_seq = tt_run_first_seq(run);
    r->count = tt_run_entry_count(run);
    r->vt_start = tt_run_vt_start(run);
    r->vt_end = tt_run_vt_end(run);
    for (size_t i = 0; i < tt_run_stop_count(run); i++) {
        const char *st = tt_run_stop_at(run, i);
        if (!sv_has(&r->stops, st))
            sv_add(&r->stops, st);
        if (!distiller_stop(st))
            r->ttdb_stop = true;
    }
    /* The sparkle ttdb stopped after: the last one that is not an extra
     * sparkle of a transition (a run ends after those). */
    const tt_trace_entry *e = NULL;
    for (uint64_t k = r->count; k > 0; k--) {
        e = tt_trace_get(cat, r->first_seq + k - 1);
        if (!e || !(e->flags & TT_EF_EXTRA))
            break;
    }
    if (e)
        r->last_entry = xasprintf("%s.%s", tt_entry_tonic_name(cat, e),
                                  tt_entry_sparkle_name(cat, e));
    changed_states(cat, r);
    watched_probes(cat, r);
}

size_t record_steps(rec_step **out)
{
    sync_travel();
    size_t cap = g_record.n + g_journal.n + 1, n = 0, j = 0, last = 0;
    rec_step *v = xcalloc(cap, sizeof *v);
    for (size_t i = 0; i < g_record.n; i++) {
        const rec_step *s = &g_record.v[i];
        if (s->aside)
            continue;
        for (; j < s->jpos && j < g_journal.n; j++) {
            const journal_item *it = journal_at(&g_journal, j);
            if (it->kind == J_INPUT)
                v[n++] = (rec_step){.kind = REC_INPUT, .line = it->line, .seq = it->seq};
        }
        v[n++] = *s;
        if (s->kind == REC_RUN)
            last = n;
    }
    /* What follows the last run checks nothing: leave it out. */
    *out = v;
    return last;
}

size_t record_run_count(void)
{
    size_t n = 0;
    for (size_t i = 0; i < g_record.n; i++)
        n += g_record.v[i].kind == REC_RUN && !g_record.v[i].aside;
    return n;
}

void record_free(void)
{
    for (size_t i = 0; i < g_record.n; i++)
        step_free(&g_record.v[i]);
    free(g_record.v);
    memset(&g_record, 0, sizeof g_record);
    free(snap);
    snap = NULL;
    nsnap = 0;
}
