/*
 * tt-contract.h: the parsed form of a Distiller contract (internal).
 *
 * contract.c fills it (from JSON or the tt_contract_* builders); distiller.c
 * reads it.  Every list keeps the order of the JSON text; "has_*" tells a key
 * that was given (even as an empty list) from one that was not.
 */
#ifndef TT_CONTRACT_H
#define TT_CONTRACT_H

#include "tasktonic.h"

typedef struct tt_strlist {
    char **v;
    size_t n;
} tt_strlist;

typedef struct tt_contract_tonic {
    char *name;
    bool has_till_state;
    tt_strlist till_state_in;
    bool has_till_sparkle;
    tt_strlist till_sparkle_in;
    bool has_probes;          /* a per-tonic list replaces the global one */
    tt_strlist probes;
    tt_strlist sop_names;     /* stop_on_probe: names ... */
    tt_value *sop_values;     /* ... and the values they must equal */
} tt_contract_tonic;

struct tt_contract {
    bool has_timeout;
    double timeout;
    int stop_match_count;     /* default 1; TT_MATCH_ALL for "all" */
    bool has_till_state;
    tt_strlist till_state_in;
    bool has_till_sparkle;
    tt_strlist till_sparkle_in;
    tt_strlist probes;        /* global probe list */
    tt_contract_tonic *tonics;
    size_t n_tonics;
};

#endif
