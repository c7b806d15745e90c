/*
 * queue.c: the catalyst's FIFO of work orders, a power-of-two ring buffer.
 * Orders are moved in and out by value (the production loop runs the oldest
 * in place: tt__queue_take); an order's arguments live inline in the order
 * when there are at most TT__INLINE_ARGS of them.
 */
#include "tt-int.h"

#include <stdlib.h>
#include <string.h>

/* Initialise with room for cap orders (rounded up to a power of two). */
int tt__queue_init(tt__queue *q, size_t cap)
{
    size_t n = 16;
    while (n < cap)
        n *= 2;
    q->ring = calloc(n, sizeof *q->ring);
    q->cap = n;
    q->head = q->len = 0;
    return q->ring ? 0 : -TT_ENOMEM;
}

/* Free every pending order and the ring. */
void tt__queue_free(tt__queue *q)
{
    tt__order o;
    while (tt__queue_pop(q, &o))
        tt__order_clear(&o);
    free(q->retired);
    free(q->ring);
    memset(q, 0, sizeof *q);
}

/* Double the ring.  The old one is kept until the next tt__queue_take when it
 * may hold the order running in place (the first growth since that take);
 * later ones are freed. */
int tt__queue_grow(tt__queue *q)
{
    size_t n = q->cap * 2;
    tt__order *r = malloc(n * sizeof *r);
    if (!r)
        return -TT_ENOMEM;
    for (size_t i = 0; i < q->len; i++) {
        r[i] = q->ring[(q->head + i) & (q->cap - 1)];
        if (r[i].nargs <= TT__INLINE_ARGS)
            r[i].args = r[i].inl;
    }
    if (q->retired)
        free(q->ring);
    else
        q->retired = q->ring;
    q->ring = r;
    q->cap = n;
    q->head = 0;
    return 0;
}

/* Put o before every pending order. */
int tt__queue_push_front(tt__queue *q, const tt__order *o)
{
    if (q->len + 1 >= q->cap && tt__queue_grow(q) < 0)
        return -TT_ENOMEM;
    q->head = (q->head - 1) & (q->cap - 1);
    tt__order *slot = &q->ring[q->head];
    *slot = *o;
    if (o->nargs <= TT__INLINE_ARGS)
        slot->args = slot->inl;
    q->len++;
    return 0;
}

/* The i-th pending order (0 = next), or NULL. */
tt__order *tt__queue_peek(const tt__queue *q, size_t i)
{
    if (i >= q->len)
        return NULL;
    tt__order *o = &q->ring[(q->head + i) & (q->cap - 1)];
    if (o->nargs <= TT__INLINE_ARGS)
        o->args = o->inl;
    return o;
}

/* Free the order's argument values. */
void tt__order_clear_values(tt__order *o)
{
    for (size_t i = 0; i < o->nargs; i++) {
        tt_type t = o->args[i].type;
        if (t == TT_T_STR || t == TT_T_LIST || t == TT_T_MAP)
            tt_value_clear(&o->args[i]);
    }
    if (o->nargs > TT__INLINE_ARGS)
        free(o->args);
    o->nargs = 0;
    o->flags &= (uint16_t)~TT__OF_OWNS;
    o->args = o->inl;
}
