/*
 * single_dut.h: the data of the DUT tonic of the `single_dut` scenario, for
 * tests that look inside it with tt_data().
 */
#ifndef TT_EXAMPLE_SINGLE_DUT_H
#define TT_EXAMPLE_SINGLE_DUT_H

#include <stdint.h>

#include "tasktonic.h"

typedef struct dut_data {
    tt_timer *tm;        /* the running single-shot timer (NULL before) */
    int64_t cycle_count; /* timer cycles completed */
} dut_data;

#endif
