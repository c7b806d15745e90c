/*
 * chain.c: one sparkle that queues itself again with n - 1 until n is 0,
 * for measuring ttdb with long traces:
 *     ttdb -batch -ex 'call Chain next 1000000' -ex 'set entries off' \
 *          -ex continue -ex 'bench-redraw 100' chain.la
 */
#include "tasktonic.h"

typedef struct chain_data {
    int64_t n;
} chain_data;

/* Queue the next link. */
static void Chain_ttsc__next(tt_tonic *self, int64_t n)
{
    TT_DATA(chain_data, self)->n = n;
    if (n > 0)
        tt_send(self, "ttsc__next", TT_INT(n - 1));
}

static const tt_handler chain_handlers[] = {
    TT_ON(Chain, ttsc__next, int64_t),
};

static const tt_probe_def chain_probes[] = {
    TT_PROBE(chain_data, n),
};

static const tt_class Chain_class = {
    .name = "Chain",
    .data_size = sizeof(chain_data),
    .handlers = chain_handlers,
    .n_handlers = TT_COUNTOF(chain_handlers),
    .probes = chain_probes,
    .n_probes = TT_COUNTOF(chain_probes),
};

/* The formula: one Chain, not started (`call Chain next N` starts it). */
TT_FORMULA(cat)
{
    if (!tt_tonic_new(cat, &Chain_class, "Chain", NULL))
        return -TT_EFORMULA;
    return 0;
}
