/*
 * timer.c: single-shot, repeat and pausing timers.
 *
 * A timer is an infusion of its base tonic and takes an id from the same
 * ledger.  When it expires (checked at the top of each catalyst loop pass, in
 * due order) it queues its callback sparkle on the base with one timer-info
 * argument and source (<timer>, "expired", id).  A single-shot timer then
 * finishes at once.
 *
 * Finishing a timer, however it happens (expiry of a single shot, the user's
 * tt_timer_finish, its base's finishing, tt_distiller_finish), does what
 * Python's ttLiquid.finish() does: it leaves its base's infusions, frees its
 * id and queues base._ttss__on_infusion_completed(timer) with the source of
 * the moment (external at expiry, [base, "finish", id] from the base's
 * `_ttss__on_finished`, the running sparkle from user code).
 */
#include "tt-int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {"ttTimerSingleShot", "ttTimerRepeat", "ttTimerPausing"};

const char *tt__timer_class_name(const tt_timer *tm)
{
    return kind_names[tm->kind];
}

/* The entry that (re)starts a timer now: the running sparkle's, else none. */
static uint64_t started_by(const tt_catalyst *cat)
{
    return tt__on_catalyst_thread(cat) ? cat->frame.cause : 0;
}

/*
 * Running timers are kept in a binary min-heap (cat->active) ordered by due
 * time, then by activation order: the timer that became active first fires
 * first among timers due at the same instant, as the former scan of the
 * activation-ordered list did.  A timer restarted while active keeps its
 * place in that order (its act_seq), one paused and resumed gets a new one.
 * Each timer knows its heap index, so start, stop and period changes cost
 * O(log K) and finding the next due timer O(1).
 */
static bool earlier(const tt_timer *a, const tt_timer *b)
{
    return a->due < b->due || (a->due == b->due && a->act_seq < b->act_seq);
}

static void heap_set(tt_catalyst *cat, size_t i, tt_timer *tm)
{
    cat->active[i] = tm;
    tm->heap_pos = i + 1;
}

static void sift_up(tt_catalyst *cat, size_t i)
{
    tt_timer *tm = cat->active[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!earlier(tm, cat->active[parent]))
            break;
        heap_set(cat, i, cat->active[parent]);
        i = parent;
    }
    heap_set(cat, i, tm);
}

static void sift_down(tt_catalyst *cat, size_t i)
{
    tt_timer *tm = cat->active[i];
    size_t n = cat->n_active;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && earlier(cat->active[c + 1], cat->active[c]))
            c++;
        if (!earlier(cat->active[c], tm))
            break;
        heap_set(cat, i, cat->active[c]);
        i = c;
    }
    heap_set(cat, i, tm);
}

/* Restore the heap after tm's due time changed. */
static void reposition(tt_timer *tm)
{
    if (!tm->heap_pos)
        return;
    size_t i = tm->heap_pos - 1;
    sift_up(tm->cat, i);
    sift_down(tm->cat, tm->heap_pos - 1);
}

/* Make tm active (or, if it is, move it for its new due time). */
static int activate(tt_timer *tm)
{
    tt_catalyst *cat = tm->cat;
    cat->timer_tsc = 0; /* it may be due before the loop's next clock read */
    if (tm->heap_pos) {
        reposition(tm);
        return 0;
    }
    if (TT__PUSH(cat->active, cat->n_active, cat->cap_active, tm) < 0)
        return -TT_ENOMEM;
    tm->act_seq = ++cat->act_seq;
    sift_up(cat, cat->n_active - 1);
    return 0;
}

static void deactivate(tt_timer *tm)
{
    tt_catalyst *cat = tm->cat;
    if (!tm->heap_pos)
        return;
    size_t i = tm->heap_pos - 1;
    tm->heap_pos = 0;
    tt_timer *last = cat->active[--cat->n_active];
    if (i == cat->n_active)
        return;
    heap_set(cat, i, last);
    sift_up(cat, i);
    sift_down(cat, last->heap_pos - 1);
}

/* Find the callback sparkle of a timer on its base. */
static int64_t resolve_callback(tt_tonic *base, const char *name, const char *sparkle)
{
    tt_catalyst *cat = base->cat;
    char buf[300];
    const char *cands[3];
    size_t n = 0;
    if (sparkle) {
        cands[n++] = sparkle;
    } else {
        if (name) {
            snprintf(buf, sizeof buf, "ttse__on_%s", name);
            cands[n++] = tt__strdup(buf);
            snprintf(buf, sizeof buf, "ttse__on_tmr_%s", name);
            cands[n++] = tt__strdup(buf);
        }
        cands[n++] = "ttse__on_timer";
    }
    int64_t found = -1;
    for (size_t i = 0; i < n && found < 0; i++) {
        if (!cands[i])
            continue;
        int64_t id = tt__name_find(&cat->names, cands[i]);
        if (id >= 0 && tt__klass_sparkle(base->k, (uint32_t)id))
            found = id;
    }
    if (!sparkle && name) {
        free((char *)cands[0]);
        free((char *)cands[1]);
    }
    return found;
}

/* Create and start a timer. */
static tt_timer *timer_new(tt_tonic *base, tt_timer_kind kind, double seconds, const char *name,
                           const char *sparkle)
{
    if (!base)
        return NULL;
    tt_catalyst *cat = base->cat;
    if (base->l.id < 0 || base->finishing) {
        tt__err(cat, -TT_EFINISHED, "timer: %s has finished", base->l.name);
        return NULL;
    }
    if ((unsigned)kind > TT_TIMER_PAUSING || !(seconds >= 0) || seconds > TT__TIME_MAX ||
        (kind != TT_TIMER_SINGLE_SHOT && !(seconds > 0))) {
        tt__err(cat, -TT_EINVAL, "timer: bad kind or period %g", seconds);
        return NULL;
    }
    int64_t cb = resolve_callback(base, name, sparkle);
    if (cb < 0) {
        tt__err(cat, -TT_ENOSPARKLE, "timer %s: %s has no callback sparkle %s%s", name ? name : "",
                base->l.name, sparkle ? sparkle : "ttse__on_timer",
                sparkle ? "" : " (nor ttse__on_<name>, ttse__on_tmr_<name>)");
        return NULL;
    }
    const tt__sparkle *sp = tt__klass_sparkle(base->k, (uint32_t)cb);
    if (sp->nargs != 1 || (sp->types[0] != TT_T_TIMERINFO && sp->types[0] != TT_T_TIMER)) {
        tt__err(cat, -TT_EARGTYPE, "timer callback %s.%s must take one const tt_timer_info *",
                base->l.name, cat->names.str[cb]);
        return NULL;
    }
    tt_timer *tm = calloc(1, sizeof *tm);
    if (!tm) {
        tt__err(cat, -TT_ENOMEM, "timer: out of memory");
        return NULL;
    }
    tm->l.kind = TT__K_TIMER;
    tm->cat = cat;
    tm->kind = kind;
    tm->period = seconds;
    tm->callback = (uint32_t)cb;
    if (tt__ledger_add(cat, &tm->l) < 0) {
        free(tm);
        tt__err(cat, -TT_ENOMEM, "timer: out of memory");
        return NULL;
    }
    char buf[256];
    if (!name)
        snprintf(buf, sizeof buf, "%02d.%s", tm->l.id, kind_names[kind]);
    tm->l.name = tt__strdup(name ? name : buf);
    tm->l.base = base;
    tm->l.serial = (uint32_t)cat->n_timers;
    if (!tm->l.name || TT__PUSH(cat->timers, cat->n_timers, cat->cap_timers, tm) < 0) {
        tt__ledger_remove(cat, &tm->l);
        free(tm->l.name);
        free(tm);
        tt__err(cat, -TT_ENOMEM, "timer: out of memory");
        return NULL;
    }
    tt__infusion_add(base, &tm->l);
    tm->info.id = tm->l.id;
    tm->info.name = tm->l.name;
    tm->info.timer = tm;
    tt_timer_start(tm);
    return tm;
}

/* Create and start a timer; a failure inside a sparkle is noted on its entry. */
tt_timer *tt_timer_new(tt_tonic *base, tt_timer_kind kind, double seconds, const char *name,
                       const char *sparkle)
{
    tt_timer *tm = timer_new(base, kind, seconds, name, sparkle);
    if (!tm && base)
        tt__note_sparkle(base->cat, true, "tt_timer_new: %s", tt__errmsg(base->cat));
    return tm;
}

/* Free a timer's memory (catalyst teardown). */
void tt__timer_free(tt_timer *tm)
{
    free(tm->l.name);
    free(tm);
}

int tt_timer_start(tt_timer *tm)
{
    if (!tm)
        return -TT_EINVAL;
    if (tm->finished)
        return tt__err(tm->cat, -TT_EFINISHED, "timer %s has finished", tm->l.name);
    tm->due = tt_catalyst_now(tm->cat) + tm->period;
    tm->cause = started_by(tm->cat);
    if (activate(tm) < 0)
        return tt__err(tm->cat, -TT_ENOMEM, "timer %s: out of memory", tm->l.name);
    tm->running = true;
    tm->paused = false;
    return 0;
}

int tt_timer_restart(tt_timer *tm) { return tt_timer_start(tm); }

int tt_timer_stop(tt_timer *tm)
{
    if (!tm)
        return -TT_EINVAL;
    tm->running = false;
    tm->paused = false;
    deactivate(tm);
    return 0;
}

int tt_timer_set_period(tt_timer *tm, double seconds)
{
    if (!tm || !(seconds >= 0) || seconds > TT__TIME_MAX ||
        (tm->kind != TT_TIMER_SINGLE_SHOT && !(seconds > 0)))
        return -TT_EINVAL;
    tm->period = seconds;
    if (tm->running && !tm->paused) {
        tm->due = tt_catalyst_now(tm->cat) + seconds;
        tm->cause = started_by(tm->cat);
        reposition(tm);
    }
    return 0;
}

int tt_timer_pause(tt_timer *tm)
{
    if (!tm || tm->kind != TT_TIMER_PAUSING)
        return -TT_EINVAL;
    if (!tm->running || tm->paused)
        return 0;
    tm->remaining = tm->due - tt_catalyst_now(tm->cat);
    tm->paused = true;
    deactivate(tm);
    return 0;
}

int tt_timer_resume(tt_timer *tm)
{
    if (!tm || tm->kind != TT_TIMER_PAUSING)
        return -TT_EINVAL;
    if (!tm->paused)
        return 0;
    tm->due = tt_catalyst_now(tm->cat) + tm->remaining;
    tm->cause = started_by(tm->cat);
    if (activate(tm) < 0)
        return tt__err(tm->cat, -TT_ENOMEM, "timer %s: out of memory", tm->l.name);
    tm->paused = false;
    return 0;
}

/* Finish a timer and tell its base, with source src. */
int tt__timer_finish(tt_timer *tm, const tt__frame *src)
{
    if (tm->finished)
        return 0;
    tt_timer_stop(tm);
    tm->finished = true;
    tt__ledger_remove(tm->cat, &tm->l);
    tt_tonic *base = tm->l.base;
    if (!base)
        return 0;
    tt__infusion_remove(base, &tm->l);
    tt_value v = TT_TIMER(tm);
    return tt__post(base, TT_N_ON_INFUSION_DONE, &v, 1, src);
}

int tt_timer_finish(tt_timer *tm)
{
    if (!tm)
        return -TT_EINVAL;
    tt_catalyst *cat = tm->cat;
    tt__frame src = tt__on_catalyst_thread(cat) ? cat->frame : (tt__frame){NULL, TT_N_EMPTY, -1, 0};
    return tt__timer_finish(tm, &src);
}

int tt_timer_id(const tt_timer *tm) { return tm ? tm->l.id : -1; }
const tt_timer_info *tt_timer_get_info(const tt_timer *tm) { return tm ? &tm->info : NULL; }
const char *tt_timer_name(const tt_timer *tm) { return tm ? tm->l.name : NULL; }
tt_timer_kind tt_timer_get_kind(const tt_timer *tm) { return tm ? tm->kind : TT_TIMER_SINGLE_SHOT; }
bool tt_timer_kind_known(const tt_timer *tm) { return tm && !tm->kind_unknown; }
bool tt_timer_base_known(const tt_timer *tm) { return tm && !tm->l.base_unknown; }
tt_tonic *tt_timer_base(const tt_timer *tm) { return tm ? tm->l.base : NULL; }
bool tt_timer_running(const tt_timer *tm) { return tm && tm->running; }
bool tt_timer_paused(const tt_timer *tm) { return tm && tm->paused; }
double tt_timer_due(const tt_timer *tm) { return tm ? tm->due : -1; }
double tt_timer_period(const tt_timer *tm) { return tm ? tm->period : -1; }
uint64_t tt_timer_cause(const tt_timer *tm) { return tm ? tm->cause : 0; }
size_t tt_timer_count(const tt_catalyst *cat) { return cat ? cat->n_timers : 0; }
tt_timer *tt_timer_at(tt_catalyst *cat, size_t i)
{
    return cat && i < cat->n_timers ? cat->timers[i] : NULL;
}

/* The earliest due time of an active timer, or -1. */
double tt__timers_next(const tt_catalyst *cat)
{
    return cat->n_active ? cat->active[0]->due : -1;
}

/* Fire every timer due at `now`, earliest first. */
void tt__timers_fire(tt_catalyst *cat, double now)
{
    while (cat->n_active && cat->active[0]->due <= now) {
        tt_timer *tm = cat->active[0];
        tt_tonic *base = tm->l.base;
        tm->info.id = tm->l.id;
        tm->info.expired_count++;
        tt__frame src = {&tm->l, TT_N_EXPIRED, tm->l.id, tm->cause};
        tt_value v = {.type = TT_T_TIMERINFO, .u.timer = tm};
        tt__post(base, tm->callback, &v, 1, &src);
        if (tm->kind == TT_TIMER_SINGLE_SHOT) {
            tt__frame ext = {NULL, TT_N_EMPTY, -1, tm->cause};
            tt__timer_finish(tm, &ext);
        } else {
            double prev = tm->due;
            tm->due += tm->period;
            if (tm->due <= now && cat->opt.mode == TT_MODE_CATALYST)
                tm->due = now + tm->period; /* real time: skip missed periods */
            if (tm->due <= prev) /* a period below the clock's resolution */
                tm->due = nextafter(prev, INFINITY);
            sift_down(cat, 0);
        }
    }
}
