/*
 * chunked.c: the reference scenario `chunked` as a loadable app module.
 *
 * A Cruncher works through a list in chunks of three items, one chunk per
 * sparkle, re-queuing itself at the back of the queue after each complete
 * chunk so that other tonics get their turn (the "chunked iterator" pattern
 * against giant sparkles).  A cancel that arrives between chunks moves it to
 * `cancelled`, where the re-queued chunk does nothing.  Two instances, ChunkA
 * and ChunkB, interleave.  The golden trace is tests/golden/chunked.json.
 */
#include "tasktonic.h"

#include "chunked.h"

/* The data every Cruncher iterates over. */
static const int64_t cruncher_items[] = {0, 1, 2, 3, 4, 5, 6};

/* Creation: chunks of three. */
static void cruncher_init(tt_tonic *self, void *arg)
{
    (void)arg;
    TT_DATA(cruncher_data, self)->chunk_size = 3;
}

/* Start-up: a fresh iterator, then `idle`. */
static void Cruncher_ttse__on_start(tt_tonic *self)
{
    TT_DATA(cruncher_data, self)->next = 0;
    tt_to_state(self, "idle");
}

/* In `idle`: start processing with the first chunk. */
static void Cruncher_ttsc_idle__start_heavy_processing(tt_tonic *self)
{
    tt_to_state(self, "processing");
    tt_send(self, "ttsc__process_chunk");
}

/* One chunk: take up to chunk_size items; a complete chunk re-queues the
 * next one, running out of data ends in `done` (items taken stay counted). */
static void Cruncher_ttsc_processing__process_chunk(tt_tonic *self)
{
    cruncher_data *d = TT_DATA(cruncher_data, self);

    for (int64_t i = 0; i < d->chunk_size; i++) {
        if (d->next >= TT_COUNTOF(cruncher_items)) {
            tt_to_state(self, "done");
            return;
        }
        d->processed += 1;
        d->total += cruncher_items[d->next++];
    }
    d->chunks += 1;
    tt_send(self, "ttsc__process_chunk");
}

/* Cancel while processing. */
static void Cruncher_ttsc_processing__cancel(tt_tonic *self)
{
    tt_to_state(self, "cancelled");
}

/* Declares the state `done`. */
static void Cruncher_ttse_done__on_enter(tt_tonic *self)
{
    (void)self;
}

/* Declares the state `cancelled`. */
static void Cruncher_ttse_cancelled__on_enter(tt_tonic *self)
{
    (void)self;
}

static const tt_handler cruncher_handlers[] = {
    TT_ON(Cruncher, ttse__on_start),
    TT_ON(Cruncher, ttsc_idle__start_heavy_processing),
    TT_ON(Cruncher, ttsc_processing__process_chunk),
    TT_ON(Cruncher, ttsc_processing__cancel),
    TT_ON(Cruncher, ttse_done__on_enter),
    TT_ON(Cruncher, ttse_cancelled__on_enter),
};

static const tt_probe_def cruncher_probes[] = {
    TT_PROBE(cruncher_data, processed),
    TT_PROBE(cruncher_data, total),
    TT_PROBE(cruncher_data, chunks),
    TT_PROBE(cruncher_data, chunk_size),
};

static const tt_class Cruncher_class = {
    .name = "Cruncher",
    .data_size = sizeof(cruncher_data),
    .init = cruncher_init,
    .handlers = cruncher_handlers,
    .n_handlers = TT_COUNTOF(cruncher_handlers),
    .probes = cruncher_probes,
    .n_probes = TT_COUNTOF(cruncher_probes),
};

/* The formula: ChunkA (id 1) and ChunkB (id 2). */
TT_FORMULA(cat)
{
    if (!tt_tonic_new(cat, &Cruncher_class, "ChunkA", NULL) ||
        !tt_tonic_new(cat, &Cruncher_class, "ChunkB", NULL))
        return -TT_EFORMULA;
    return 0;
}
