/*
 * record.c: the flight recorder of the production Catalyst.
 *
 * With tt_catalyst_record(cat, n), tt_catalyst_run records every sparkle it
 * runs in a ring of the last n fixed-size plain records (tt__rec): the
 * order's fields and argument values copied in one go (the record owns the
 * values from then on), the ids and states of the tonic, and raw clock
 * readings.  Filling one is a copy and a few stores, inlined in the loop
 * (tt__execute_rec in tt-int.h): no allocation, no formatting, no names,
 * and one clock read (the TSC where it is invariant, else CLOCK_REALTIME)
 * or, while sparkles under a microsecond run back to back, the reading of
 * the recorder's ticker thread (record-clock.c).  The records become the
 * entries the Distiller records (tt_trace_entry, in cat->trace) only when
 * someone asks for them: tt_catalyst_write_record, a live viewer, or
 * tt_trace_get; then the trace JSON is written from them as ttdb exports it.
 * The loop also counts per-tonic statistics over the whole run (sparkles,
 * busy time, longest sparkle, dead letters: tt_tonic_stats).
 *
 * tt_catalyst_write_record writes exactly the last n as one run dictionary
 * through a temporary file renamed into place.  The loop's only cost while
 * recording is off is one predictable branch per order; a snapshot asked
 * for from another thread is taken between two sparkles, through the flag
 * the loop already polls for tt_catalyst_stop.
 */
#include "tt-int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void rec_free_ring(tt__recorder *rec);

/* tt__execute_rec copies an order's fields from sparkle to inl into a record
 * in one go: the two layouts must agree. */
#define SAME_FIELD(f, g)                                                          \
    _Static_assert(offsetof(tt__order, f) - offsetof(tt__order, sparkle) ==       \
                       offsetof(tt__rec, g), "tt__rec." #g " mirrors tt__order." #f)
SAME_FIELD(sparkle, sparkle);
SAME_FIELD(nargs, nargs);
SAME_FIELD(flags, oflags);
SAME_FIELD(src_obj, src_obj);
SAME_FIELD(src_sparkle, src_sparkle);
SAME_FIELD(src_id, src_id);
SAME_FIELD(cause, cause);
SAME_FIELD(inl, inl);
_Static_assert(offsetof(tt__order, args) - offsetof(tt__order, sparkle) == offsetof(tt__rec, tonic),
               "tt__rec starts with tt__order's fields before args");
/* ... and stores its own fields as two 16-byte words (tt__execute_rec) */
_Static_assert(offsetof(tt__rec, id) == offsetof(tt__rec, tonic) + 4 &&
                   offsetof(tt__rec, t_enter) == offsetof(tt__rec, tonic) + 8 &&
                   offsetof(tt__rec, state_enter) == offsetof(tt__rec, t_exit) + 8 &&
                   offsetof(tt__rec, state_exit) == offsetof(tt__rec, state_enter) + 2 &&
                   offsetof(tt__rec, flags) == offsetof(tt__rec, state_enter) + 4 &&
                   offsetof(tt__rec, unused) == offsetof(tt__rec, state_enter) + 6,
               "tt__rec's words");

/* Record the last n sparkles (0: stop recording). */
int tt_catalyst_record(tt_catalyst *cat, size_t n)
{
    if (!cat || cat->recorded)
        return -TT_EINVAL;
    if (cat->opt.mode != TT_MODE_CATALYST)
        return tt__err(cat, -TT_EINVAL,
                       "the flight recorder is for the production Catalyst (the Distiller "
                       "traces anyway)");
    if (cat->in_sparkle)
        return tt__err(cat, -TT_EBUSY, "cannot change the recorder inside a sparkle");
    if (n == cat->record_n)
        return 0;
    tt__recorder *rec = &cat->rec;
    tt__rec *ring = NULL;
    /* all at once up to 65536 records (calloc maps zero pages: memory is
     * used as the ring fills), else growing up to n as it fills */
    size_t cap = n <= 65536 ? n : 65536;
    if (n && !(ring = calloc(cap, sizeof *ring)))
        return tt__err(cat, -TT_ENOMEM, "out of memory for a recorder of %zu sparkles", n);
    /* what was recorded stays readable as trace entries */
    tt__record_sync(cat);
    rec_free_ring(rec);
    if (n && !cat->record_n) {
        tt__clock_anchor(&cat->clock);
        cat->vt_base = cat->clock.wall - tt_catalyst_now(cat);
    }
    rec->ring = ring;
    rec->cap = cap;
    rec->n = n;
    cat->record_n = n;
    cat->trace.ring = n;
    TT__REC_RESTART(cat); /* the next record's enter time */
    return 0;
}

/* Free a record's values. */
void tt__rec_clear(tt__rec *r)
{
    tt_value *v = r->nargs > TT__INLINE_ARGS ? r->heap : r->inl;
    for (size_t i = 0; i < r->nargs; i++) {
        tt_type t = v[i].type;
        if (t == TT_T_STR || t == TT_T_LIST || t == TT_T_MAP)
            tt_value_clear(&v[i]);
    }
    if (r->nargs > TT__INLINE_ARGS)
        free(r->heap);
    r->nargs = 0;
    r->oflags &= (uint16_t)~TT__OF_OWNS;
}

/* Free the ring (the statistics and the numbering stay). */
static void rec_free_ring(tt__recorder *rec)
{
    for (size_t i = 0; rec->ring && i < rec->cap; i++)
        if (rec->ring[i].oflags & TT__OF_OWNS)
            tt__rec_clear(&rec->ring[i]);
    free(rec->ring);
    rec->ring = NULL;
    rec->cap = rec->head = 0;
    rec->wrapped = false;
    rec->n = 0;
}

/* Free the recorder (catalyst teardown). */
void tt__record_free(tt_catalyst *cat)
{
    rec_free_ring(&cat->rec);
}

/* The ring is full at head: grow it towards n, else start over at 0. */
void tt__rec_wrap(tt__recorder *rec)
{
    if (rec->cap < rec->n && !rec->wrapped) {
        size_t cap = rec->cap * 2 < rec->n ? rec->cap * 2 : rec->n;
        tt__rec *p = realloc(rec->ring, cap * sizeof *p);
        if (p) {
            memset(p + rec->cap, 0, (cap - rec->cap) * sizeof *p);
            rec->ring = p;
            rec->cap = cap;
            return; /* head goes on at the old cap */
        }
        /* out of memory: keep the last cap only */
    }
    rec->head = 0;
    rec->wrapped = true;
}

/* The sparkle being recorded at head crashed: close its record as
 * tt__execute_rec would have, flagged crashed. */
void tt__rec_crashed(tt_catalyst *cat, int why)
{
    tt__recorder *rec = &cat->rec;
    cat->crash_sig = why;
    cat->crash_between = !cat->in_sparkle || !rec->ring;
    if (!cat->crash_between) {
        tt__rec *r = &rec->ring[rec->head];
        uint16_t flags = TT_EF_CRASHED | cat->exec_flags;
        if (cat->sparkling)
            flags |= TT_EF_SPARKLING;
        /* (a sparkle that runs user code does not change its tonic's state:
         * state changes are sparkles of their own) */
        const tt_tonic *t = cat->current;
        r->tonic = t ? t->l.serial : 0;
        r->id = t ? t->l.id : -1;
        r->t_enter = rec->t;
        r->t_exit = tt__ticks(&cat->clock);
        r->state_enter = r->state_exit = t ? (int16_t)t->state : -1;
        r->flags = flags;
        rec->seq++;
        if (++rec->head == rec->cap)
            tt__rec_wrap(rec);
    }
    cat->exec_seq = 0;
    cat->in_sparkle = false;
    cat->current = NULL;
    cat->exec = NULL;
    cat->frame = (tt__frame){NULL, TT_N_EMPTY, -1, 0};
}

/* The record with number seq, NULL if not held. */
const tt__rec *tt__rec_get(const tt__recorder *rec, uint64_t seq)
{
    size_t kept = tt__rec_kept(rec);
    if (seq == 0 || seq > rec->seq || rec->seq - seq >= kept)
        return NULL;
    size_t back = (size_t)(rec->seq - seq) + 1; /* 1: the slot before head */
    return &rec->ring[(rec->head + rec->cap - back) % rec->cap];
}

/* Records first..last stamped with the same reading of the ticker
 * (TT__RF_TICK): spread evenly over [lo, hi]. */
struct tick_group {
    uint64_t first, last, m;
    uint64_t lo, hi;
};

/* The group of records from seq s on stamped with the same reading tau.
 * They ended between tau and the next reading, a tick later at most: hi is
 * when the next record started as far as is known (below), but no more
 * than a tick after tau; lo is tau, or the last entry's exit when that is
 * later (the group was begun by an earlier conversion).  An exactly timed
 * record is never shortened: a sparkle that ran long after a fast stretch
 * keeps its whole span (at most a tick too long), for the giant-sparkle
 * lint. */
static void tick_group(const tt_catalyst *cat, uint64_t s, struct tick_group *g)
{
    const tt__recorder *rec = &cat->rec;
    uint64_t tau = tt__rec_get(rec, s)->t_exit, end = s;
    const tt__rec *next = NULL;
    while (end < rec->seq) {
        next = tt__rec_get(rec, end + 1);
        if (!(next->flags & TT__RF_TICK) || next->t_exit != tau)
            break;
        next = NULL;
        end++;
    }
    /* the next record stamped with a later reading started before it was
     * read; an exactly timed one started at its enter time (tau itself when
     * it came straight after: its span is its own, the group's is not
     * taken from it); without a next record, the loop's last reading when
     * it stopped or waited since, else now */
    uint64_t hi = next ? (next->flags & TT__RF_TICK ? next->t_exit : next->t_enter)
                       : rec->t > tau ? rec->t : tt__ticks(&cat->clock);
    if (hi > tau + rec->tick_span)
        hi = tau + rec->tick_span;
    g->first = s;
    g->last = end;
    g->m = end - s + 1;
    g->lo = rec->sync_tick && rec->sync_t > tau ? rec->sync_t : tau;
    g->hi = hi > g->lo ? hi : g->lo;
}

/* Convert the held records that cat->trace lacks into trace entries (in
 * order; the trace starts over when the ring went past its end).  Records
 * stamped with the ticker's reading get times spread over their tick
 * (record-clock.c); an exact record after them starts no earlier than the
 * last of them ends. */
void tt__record_sync(tt_catalyst *cat)
{
    tt__recorder *rec = &cat->rec;
    tt__trace *t = &cat->trace;
    size_t kept = tt__rec_kept(rec);
    if (!kept || t->last == rec->seq)
        return;
    uint64_t first = rec->seq - kept + 1;
    if (t->last + 1 < first || t->last > rec->seq) {
        size_t ring = t->ring;
        tt__trace_free(t);
        tt__trace_init(t, ring);
        t->first = t->first_chunk_seq = first;
        t->last = first - 1;
    }
    struct tick_group g = {0};
    for (uint64_t s = t->last + 1; s <= rec->seq; s++) {
        const tt__rec *r = tt__rec_get(rec, s);
        tt_trace_entry *e = tt__trace_append(t);
        if (!e)
            return; /* out of memory: the rest another time */
        uint64_t t_in = r->t_enter, t_out = r->t_exit;
        if (r->flags & TT__RF_TICK) {
            if (s > g.last)
                tick_group(cat, s, &g);
            t_in = g.lo + (g.hi - g.lo) * (s - g.first) / g.m;
            t_out = g.lo + (g.hi - g.lo) * (s - g.first + 1) / g.m;
        } else if (rec->sync_tick && t_in < rec->sync_t) {
            t_in = rec->sync_t; /* the tick's records were spread up to there */
            if (t_out < t_in)
                t_out = t_in;
        }
        rec->sync_t = t_out;
        rec->sync_tick = (r->flags & TT__RF_TICK) != 0;
        e->id = r->id;
        e->tonic = r->tonic;
        e->sparkle = r->sparkle;
        e->src_id = r->src_id;
        e->src_obj = r->src_obj;
        e->src_sparkle = r->src_sparkle;
        e->state_enter = r->state_enter;
        e->state_exit = r->state_exit;
        e->flags = (r->flags & (uint16_t)~TT__RF_TICK) | (r->oflags & TT_EF_EXTRA);
        e->t_enter = tt__ticks_wall(&cat->clock, t_in);
        /* without memory for the packed parts: no cause, exit = enter */
        if (r->cause)
            tt__entry_set_cause(t, e, r->cause);
        tt__entry_set_exit(t, e, tt__ticks_wall(&cat->clock, t_out));
        e->vt = e->t_enter - cat->vt_base;
        const tt_value *v = r->nargs > TT__INLINE_ARGS ? r->heap : r->inl;
        if (r->nargs && (e->args = tt__trace_alloc(t, tt__entry_seq(e), r->nargs * sizeof *e->args))) {
            size_t i = 0;
            while (i < r->nargs && tt_value_copy(&e->args[i], &v[i]) == 0)
                i++;
            e->nargs = (uint16_t)i; /* out of memory: the values copied */
        }
    }
}

/* A tonic's statistics over the recorded run. */
int tt_tonic_stats(const tt_tonic *t, tt_tonic_stats_info *out)
{
    if (!t || !out)
        return -TT_EINVAL;
    memset(out, 0, sizeof *out);
    const tt_catalyst *cat = t->cat;
    const tt__stat *st = &t->stats;
    out->sparkles = st->sparkles;
    out->dead_letters = st->dead_letters;
    out->busy = tt__ticks_span(&cat->clock, st->busy);
    out->longest = tt__ticks_span(&cat->clock, st->longest);
    return 0;
}

size_t tt_catalyst_record_size(const tt_catalyst *cat) { return cat ? cat->record_n : 0; }

/* The signal of the contained crash that stopped tt_catalyst_run, 0 if none. */
int tt_catalyst_crash_signal(const tt_catalyst *cat)
{
    return cat && cat->crash_sig > 0 ? cat->crash_sig : 0;
}

/* Write the recorded entries as one run to f. */
static int write_run(tt_catalyst *cat, FILE *f, const char *why)
{
    tt__record_sync(cat);
    tt__trace *t = &cat->trace;
    uint64_t first = t->first;
    if (t->last >= first && cat->record_n && t->last - first + 1 > cat->record_n)
        first = t->last - cat->record_n + 1;
    char *stop = (char *)(why && *why ? why : "recorded");
    tt_run r = {
        .first_seq = first,
        .count = t->last >= first ? t->last - first + 1 : 0,
        .has_trace = true,
        .finished_status = cat->finished,
        .stops = &stop,
        .n_stops = 1,
        .end = tt__clock_now(&cat->clock),
        .vt_end = tt_catalyst_now(cat),
    };
    const tt_trace_entry *e = r.count ? tt__trace_get(t, first) : NULL;
    r.start = e ? e->t_enter : r.end;
    r.vt_start = e ? e->vt : r.vt_end;
    int rc = tt_run_write_json(cat, &r, f, TT_JSON_PRETTY | TT_JSON_EXTENSIONS);
    if (rc == 0 && fputc('\n', f) == EOF)
        rc = -TT_EIO;
    return rc;
}

/* Create a temporary file next to path, named into tmp (size len): mode
 * 0666 less the umask, as a plain fopen gives (mkstemp gives 0600). */
static int open_tmp(char *tmp, size_t len, const char *path)
{
    static unsigned counter;
    for (int i = 0; i < 100; i++) {
        snprintf(tmp, len, "%s.tmp%ld.%u", path, (long)getpid(),
                 __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED));
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

/* Write the recording to path atomically (see tasktonic.h). */
int tt_catalyst_write_record(tt_catalyst *cat, const char *path, const char *why)
{
    if (!cat || !path || !*path)
        return -TT_EINVAL;
    if (cat->in_sparkle)
        return tt__err(cat, -TT_EBUSY, "cannot write the recording inside a sparkle");
    size_t len = strlen(path) + sizeof ".tmp.." + 3 * sizeof(long) + 3 * sizeof(unsigned);
    char *tmp = malloc(len);
    if (!tmp)
        return tt__err(cat, -TT_ENOMEM, "out of memory writing %s", path);
    int fd = open_tmp(tmp, len, path);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return tt__err(cat, -TT_EIO, "cannot write %s: %s", path, strerror(e));
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        return tt__err(cat, -TT_EIO, "cannot write %s: %s", path, strerror(e));
    }
    int rc = write_run(cat, f, why);
    int e = 0;
    if (fflush(f) != 0 || (fsync(fd) != 0 && errno != EINVAL && errno != EROFS))
        e = errno;
    if (fclose(f) != 0 && !e)
        e = errno;
    if (rc == 0 && e)
        rc = -TT_EIO;
    if (rc == 0 && rename(tmp, path) != 0) {
        e = errno;
        rc = -TT_EIO;
    }
    if (rc < 0) {
        unlink(tmp);
        free(tmp);
        return tt__err(cat, rc, "cannot write %s: %s", path,
                       e ? strerror(e) : tt_strerror(rc));
    }
    free(tmp);
    return 0;
}

/* Ask the running loop for a snapshot (any thread). */
int tt_catalyst_request_record(tt_catalyst *cat, const char *path)
{
    if (!cat || !path || !*path)
        return -TT_EINVAL;
    char *copy = tt__strdup(path);
    if (!copy)
        return -TT_ENOMEM;
    pthread_mutex_lock(&cat->inbox_lock);
    free(cat->record_path);
    cat->record_path = copy;
    atomic_fetch_or(&cat->stop_flag, TT__REQ_RECORD);
    atomic_store(&cat->inbox_flag, 1);
    pthread_cond_signal(&cat->inbox_cond);
    pthread_mutex_unlock(&cat->inbox_lock);
    return 0;
}

/* The loop takes a requested snapshot (catalyst thread, between sparkles). */
void tt__record_snapshot(tt_catalyst *cat)
{
    pthread_mutex_lock(&cat->inbox_lock);
    char *path = cat->record_path;
    cat->record_path = NULL;
    pthread_mutex_unlock(&cat->inbox_lock);
    if (path)
        cat->record_rc = tt_catalyst_write_record(cat, path, "snapshot");
    free(path);
    TT__REC_RESTART(cat);
}

/* Run fn on the catalyst's thread between two sparkles (any thread). */
int tt_catalyst_request_call(tt_catalyst *cat, void (*fn)(tt_catalyst *cat, void *ud), void *ud)
{
    if (!cat || !fn)
        return -TT_EINVAL;
    pthread_mutex_lock(&cat->inbox_lock);
    while (cat->call_fn) /* one at a time: wait for the previous one */
        pthread_cond_wait(&cat->call_cond, &cat->inbox_lock);
    cat->call_fn = fn;
    cat->call_ud = ud;
    atomic_fetch_or(&cat->stop_flag, TT__REQ_CALL);
    atomic_store(&cat->inbox_flag, 1);
    pthread_cond_signal(&cat->inbox_cond);
    pthread_mutex_unlock(&cat->inbox_lock);
    return 0;
}

/* The loop runs the requested call (catalyst thread, between sparkles). */
void tt__record_call(tt_catalyst *cat)
{
    pthread_mutex_lock(&cat->inbox_lock);
    void (*fn)(tt_catalyst *, void *) = cat->call_fn;
    void *ud = cat->call_ud;
    pthread_mutex_unlock(&cat->inbox_lock);
    if (fn)
        fn(cat, ud);
    pthread_mutex_lock(&cat->inbox_lock);
    cat->call_fn = NULL;
    pthread_cond_broadcast(&cat->call_cond);
    pthread_mutex_unlock(&cat->inbox_lock);
    TT__REC_RESTART(cat);
}
