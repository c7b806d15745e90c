/*
 * statics.c: state outside the tonics' data, for ttdb's checkpoints.
 *
 * Two tonics count down with `ttsc__tick(v)` (v = n * 1000 + a count), each
 * queueing itself again while n is above 0 with a counter it keeps outside
 * its data block in the count:
 * Static in a static variable of the module (a checkpoint copies the
 * module's writable data, so going back restores it), Heap in memory the
 * formula allocated (no checkpoint holds it: ttdb's validation finds the
 * difference and replays from the start).  `call Static tick 6000`
 * / `call Heap tick 6000` start them.
 */
#include "tasktonic.h"

#include <stdlib.h>

static int64_t static_count;
static int64_t *heap_count;

typedef struct tick_data {
    int64_t n, seen;
} tick_data;

static void Static_ttsc__tick(tt_tonic *self, int64_t v)
{
    int64_t n = v / 1000;
    TT_DATA(tick_data, self)->n = n;
    TT_DATA(tick_data, self)->seen = static_count;
    static_count += 3;
    if (n > 0)
        tt_send(self, "ttsc__tick", TT_INT((n - 1) * 1000 + static_count));
}

static void Heap_ttsc__tick(tt_tonic *self, int64_t v)
{
    int64_t n = v / 1000;
    TT_DATA(tick_data, self)->n = n;
    TT_DATA(tick_data, self)->seen = *heap_count;
    *heap_count += 3;
    if (n > 0)
        tt_send(self, "ttsc__tick", TT_INT((n - 1) * 1000 + *heap_count));
}

static const tt_handler static_handlers[] = {
    TT_ON(Static, ttsc__tick, int64_t),
};
static const tt_handler heap_handlers[] = {
    TT_ON(Heap, ttsc__tick, int64_t),
};

static const tt_probe_def tick_probes[] = {
    TT_PROBE(tick_data, n),
    TT_PROBE(tick_data, seen),
};

static const tt_class Static_class = {
    .name = "Static",
    .data_size = sizeof(tick_data),
    .handlers = static_handlers,
    .n_handlers = TT_COUNTOF(static_handlers),
    .probes = tick_probes,
    .n_probes = TT_COUNTOF(tick_probes),
};

static const tt_class Heap_class = {
    .name = "Heap",
    .data_size = sizeof(tick_data),
    .handlers = heap_handlers,
    .n_handlers = TT_COUNTOF(heap_handlers),
    .probes = tick_probes,
    .n_probes = TT_COUNTOF(tick_probes),
};

static void free_count(void) { free(heap_count); }

TT_FORMULA(cat)
{
    free(heap_count);
    if (!(heap_count = calloc(1, sizeof *heap_count)))
        return -TT_ENOMEM;
    static int registered;
    if (!registered++)
        atexit(free_count);
    if (!tt_tonic_new(cat, &Static_class, "Static", NULL) ||
        !tt_tonic_new(cat, &Heap_class, "Heap", NULL))
        return -TT_EFORMULA;
    return 0;
}
