/*
 * state_fallback.h: the data of the Door tonic of the `state_fallback`
 * scenario.  The scenario's script empties `events` before every Distiller
 * call; tests do that with door_events_clear(tt_data(door)).
 */
#ifndef TT_EXAMPLE_STATE_FALLBACK_H
#define TT_EXAMPLE_STATE_FALLBACK_H

#include <stddef.h>
#include <stdlib.h>

typedef struct door_data {
    char **events; /* what the handlers did, in order (malloc'ed strings) */
    size_t n;
    size_t cap;
} door_data;

/* Forget every recorded event. */
static inline void door_events_clear(door_data *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->events[i]);
    d->n = 0;
}

#endif
