/*
 * chunked.h: the data of the Cruncher tonic of the `chunked` scenario, for
 * tests that look inside it with tt_data().
 */
#ifndef TT_EXAMPLE_CHUNKED_H
#define TT_EXAMPLE_CHUNKED_H

#include <stddef.h>
#include <stdint.h>

typedef struct cruncher_data {
    int64_t chunk_size; /* items per chunk (3) */
    int64_t processed;  /* items taken */
    int64_t total;      /* sum of the items taken */
    int64_t chunks;     /* complete chunks */
    size_t next;        /* the iterator: index of the next item */
} cruncher_data;

#endif
