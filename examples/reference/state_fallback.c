/*
 * state_fallback.c: the reference scenario `state_fallback` as a loadable app
 * module.
 *
 * A Door with the states closed, locked and open shows late state binding:
 * a sparkle runs its state-specific handler (`ttsc_locked__open`) when there
 * is one for the current state, else the generic one (`ttsc__open`), else
 * nothing (still traced).  Every handler appends what it did to the list
 * `events`, which the `events` probe shows.  The golden trace is
 * tests/golden/state_fallback.json.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tasktonic.h"

#include "state_fallback.h"

/* Append one formatted line to the Door's events (dropped when out of
 * memory: a sparkle cannot fail). */
static void door_event(tt_tonic *self, const char *fmt, ...)
{
    door_data *d = TT_DATA(door_data, self);
    char buf[128];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 8;
        char **v = realloc(d->events, cap * sizeof *v);

        if (!v)
            return;
        d->events = v;
        d->cap = cap;
    }
    char *s = strdup(buf);

    if (s)
        d->events[d->n++] = s;
}

/* Start-up: record it; the Door stays in no state. */
static void Door_ttse__on_start(tt_tonic *self)
{
    door_event(self, "on_start");
}

/* Generic open: go to `open`. */
static void Door_ttsc__open(tt_tonic *self)
{
    door_event(self, "open: generic");
    tt_to_state(self, "open");
}

/* Generic close: go to `closed`. */
static void Door_ttsc__close(tt_tonic *self)
{
    door_event(self, "close: generic");
    tt_to_state(self, "closed");
}

/* A locked door refuses to open. */
static void Door_ttsc_locked__open(tt_tonic *self)
{
    door_event(self, "open: locked (refused)");
}

/* Only a closed door can be locked (no generic `lock`). */
static void Door_ttsc_closed__lock(tt_tonic *self)
{
    door_event(self, "lock: closed");
    tt_to_state(self, "locked");
}

/* Only a locked door can be unlocked (no generic `unlock`). */
static void Door_ttsc_locked__unlock(tt_tonic *self)
{
    door_event(self, "unlock: locked");
    tt_to_state(self, "closed");
}

/* Knocking is heard only when the door is open (no generic `knock`). */
static void Door_ttsc_open__knock(tt_tonic *self)
{
    door_event(self, "knock: open");
}

/* Generic enter: names the state just entered. */
static void Door_ttse__on_enter(tt_tonic *self)
{
    door_event(self, "enter: generic in %s", tt_tonic_state_name(self));
}

/* Entering `open` has its own handler. */
static void Door_ttse_open__on_enter(tt_tonic *self)
{
    door_event(self, "enter: open");
}

/* Generic exit: names the state being left. */
static void Door_ttse__on_exit(tt_tonic *self)
{
    door_event(self, "exit: generic in %s", tt_tonic_state_name(self));
}

/* Leaving `locked` has its own handler. */
static void Door_ttse_locked__on_exit(tt_tonic *self)
{
    door_event(self, "exit: locked");
}

/* Probe `events`: the list of recorded lines. */
static bool door_probe_events(tt_tonic *self, tt_value *out)
{
    door_data *d = TT_DATA(door_data, self);
    tt_value *items = NULL;
    int rc;

    if (d->n) {
        items = calloc(d->n, sizeof *items);
        if (!items)
            return false;
    }
    for (size_t i = 0; i < d->n; i++)
        items[i] = TT_STR(d->events[i]);
    rc = tt_value_list(out, items, d->n);
    free(items);
    return rc == 0;
}

/* Free the events when the catalyst is destroyed. */
static void door_destroy(tt_tonic *self)
{
    door_data *d = TT_DATA(door_data, self);

    door_events_clear(d);
    free(d->events);
    d->events = NULL;
    d->cap = 0;
}

static const tt_handler door_handlers[] = {
    TT_ON(Door, ttse__on_start),
    TT_ON(Door, ttsc__open),
    TT_ON(Door, ttsc__close),
    TT_ON(Door, ttsc_locked__open),
    TT_ON(Door, ttsc_closed__lock),
    TT_ON(Door, ttsc_locked__unlock),
    TT_ON(Door, ttsc_open__knock),
    TT_ON(Door, ttse__on_enter),
    TT_ON(Door, ttse_open__on_enter),
    TT_ON(Door, ttse__on_exit),
    TT_ON(Door, ttse_locked__on_exit),
};

static const tt_probe_def door_probes[] = {
    TT_PROBE_FN("events", door_probe_events),
};

static const tt_class Door_class = {
    .name = "Door",
    .data_size = sizeof(door_data),
    .destroy = door_destroy,
    .handlers = door_handlers,
    .n_handlers = TT_COUNTOF(door_handlers),
    .probes = door_probes,
    .n_probes = TT_COUNTOF(door_probes),
};

/* The formula: one Door named Door (id 1). */
TT_FORMULA(cat)
{
    if (!tt_tonic_new(cat, &Door_class, "Door", NULL))
        return -TT_EFORMULA;
    return 0;
}
