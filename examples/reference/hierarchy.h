/*
 * hierarchy.h: the data of the Parent and Child tonics of the `hierarchy`
 * scenario, for tests that look inside them with tt_data().
 */
#ifndef TT_EXAMPLE_HIERARCHY_H
#define TT_EXAMPLE_HIERARCHY_H

#include <stdbool.h>
#include <stdint.h>

#include "tasktonic.h"

typedef struct child_data {
    int64_t work_done; /* ttsc__work calls done; -1 once finished */
} child_data;

typedef struct parent_data {
    tt_tonic *child;   /* the infusion created on start-up */
    bool has_result;   /* `result` is none until the child reported */
    int64_t result;
    int64_t pings;     /* ttsc__ping calls that ran */
} parent_data;

#endif
