/*
 * chunked.c: a big-data processor that never blocks the catalyst.
 *
 * The "chunked iterator" pattern: one Cruncher sums a data set of
 * DEFAULT_ITEMS numbers, CHUNK items per sparkle.  Each `ttsc__process_chunk`
 * handles one chunk and queues the next one at the back of the queue, so
 * anything queued meanwhile (a `ttsc__cancel`, another tonic's work) runs
 * between two chunks instead of waiting for the whole job.
 *
 * States: idle -> processing -> done, or processing -> cancelled;
 * `ttsc__reset` brings done or cancelled back to idle.
 *
 * Commands:
 *   ttsc__start_heavy_processing   (idle) start at item 0
 *   ttsc__cancel                   (processing) stop between two chunks
 *   ttsc__set_chunk_size(int n)    any state; applies from the next chunk
 *   ttsc__set_items(int n)         (idle) a new data set of n items
 *   ttsc__reset                    (done, cancelled) back to idle
 *
 * Probes: processed (items summed), total (their sum), chunks (chunks run),
 * chunk_size, items (size of the data set) and the computed progress
 * (percent, a double).
 *
 * Item i of the data set is (i * 7919) % 1000, so the sum of the default set
 * is known in advance: 499,500,000 (every value 0..999 occurs 1000 times).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "tasktonic.h"

#define DEFAULT_ITEMS 1000000
#define DEFAULT_CHUNK 10000
#define MAX_ITEMS 100000000 /* 400 MB of int32: more is surely a typo */

typedef struct Cruncher {
    int32_t *data;      /* the data set */
    int64_t items;      /* its length */
    int64_t chunk_size; /* items per sparkle */
    int64_t processed;  /* items summed so far (also the next index) */
    int64_t total;      /* their sum */
    int chunks;         /* chunks processed */
} Cruncher;

TT_SPARKLE(Cruncher, ttsc__process_chunk)

/* Fill a new data set of n items; false when out of memory. */
static bool cruncher_fill(Cruncher *d, int64_t n)
{
    int32_t *data = malloc((size_t)n * sizeof *data);

    if (!data)
        return false;
    for (int64_t i = 0; i < n; i++)
        data[i] = (int32_t)((i * 7919) % 1000);
    free(d->data);
    d->data = data;
    d->items = n;
    return true;
}

/* Creation: the default data set and chunk size. */
static void cruncher_init(tt_tonic *self, void *arg)
{
    Cruncher *d = TT_DATA(Cruncher, self);

    (void)arg;
    d->chunk_size = DEFAULT_CHUNK;
    if (!cruncher_fill(d, DEFAULT_ITEMS))
        d->items = 0;
}

/* Destruction: free the data set. */
static void cruncher_destroy(tt_tonic *self)
{
    Cruncher *d = TT_DATA(Cruncher, self);

    free(d->data);
    d->data = NULL;
}

/* Start-up: wait for work. */
static void Cruncher_ttse__on_start(tt_tonic *self)
{
    tt_to_state(self, "idle");
}

/* Start at the first item; the first chunk is queued, not run here. */
static void Cruncher_ttsc_idle__start_heavy_processing(tt_tonic *self)
{
    Cruncher *d = TT_DATA(Cruncher, self);

    d->processed = 0;
    d->total = 0;
    d->chunks = 0;
    tt_to_state(self, "processing");
    Cruncher_send_ttsc__process_chunk(self);
}

/* One chunk: sum up to chunk_size items, then queue the next chunk or stop. */
static void Cruncher_ttsc_processing__process_chunk(tt_tonic *self)
{
    Cruncher *d = TT_DATA(Cruncher, self);
    int64_t end = d->processed + d->chunk_size;

    if (end > d->items)
        end = d->items;
    for (int64_t i = d->processed; i < end; i++)
        d->total += d->data[i];
    d->processed = end;
    d->chunks++;
    if (d->processed < d->items)
        Cruncher_send_ttsc__process_chunk(self);
    else
        tt_to_state(self, "done");
}

/* Cancel between two chunks: the queued chunk then finds `cancelled` and
 * has no handler there, so it is traced and does nothing. */
static void Cruncher_ttsc_processing__cancel(tt_tonic *self)
{
    tt_to_state(self, "cancelled");
}

/* Items per chunk, from the next chunk on (at least 1). */
static void Cruncher_ttsc__set_chunk_size(tt_tonic *self, int64_t n)
{
    TT_DATA(Cruncher, self)->chunk_size = n < 1 ? 1 : n;
}

/* A new data set (idle only; ignored when n is out of range). */
static void Cruncher_ttsc_idle__set_items(tt_tonic *self, int64_t n)
{
    Cruncher *d = TT_DATA(Cruncher, self);

    if (n >= 1 && n <= MAX_ITEMS && cruncher_fill(d, n)) {
        d->processed = 0;
        d->total = 0;
        d->chunks = 0;
    }
}

/* Back to idle after a finished or cancelled job. */
static void Cruncher_ttsc_done__reset(tt_tonic *self)
{
    tt_to_state(self, "idle");
}

/* Same from cancelled. */
static void Cruncher_ttsc_cancelled__reset(tt_tonic *self)
{
    tt_to_state(self, "idle");
}

/* Probe "progress": percent of the data set summed. */
static bool cruncher_progress(tt_tonic *self, tt_value *out)
{
    Cruncher *d = TT_DATA(Cruncher, self);

    *out = TT_DOUBLE(d->items ? 100.0 * (double)d->processed / (double)d->items
                              : 0.0);
    return true;
}

static const tt_handler cruncher_handlers[] = {
    TT_ON(Cruncher, ttse__on_start),
    TT_ON(Cruncher, ttsc_idle__start_heavy_processing),
    TT_ON(Cruncher, ttsc_processing__process_chunk),
    TT_ON(Cruncher, ttsc_processing__cancel),
    TT_ON(Cruncher, ttsc__set_chunk_size, int64_t),
    TT_ON(Cruncher, ttsc_idle__set_items, int64_t),
    TT_ON(Cruncher, ttsc_done__reset),
    TT_ON(Cruncher, ttsc_cancelled__reset),
};

static const tt_probe_def cruncher_probes[] = {
    TT_PROBE(Cruncher, processed),
    TT_PROBE(Cruncher, total),
    TT_PROBE(Cruncher, chunks),
    TT_PROBE(Cruncher, chunk_size),
    TT_PROBE(Cruncher, items),
    TT_PROBE_FN("progress", cruncher_progress),
};

static const tt_class Cruncher_class = {
    .name = "Cruncher",
    .data_size = sizeof(Cruncher),
    .init = cruncher_init,
    .destroy = cruncher_destroy,
    .handlers = cruncher_handlers,
    .n_handlers = TT_COUNTOF(cruncher_handlers),
    .probes = cruncher_probes,
    .n_probes = TT_COUNTOF(cruncher_probes),
};

/* The app: one Cruncher, waiting in `idle` for ttsc__start_heavy_processing. */
TT_FORMULA(cat)
{
    tt_tonic *t = tt_tonic_new(cat, &Cruncher_class, "Cruncher", NULL);

    if (!t)
        return -TT_EFORMULA;
    return TT_DATA(Cruncher, t)->items ? 0 : -TT_ENOMEM;
}
