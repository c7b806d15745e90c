/*
 * mutant.h: turns an example app into a deliberately changed one, for the
 * save-test tests: one handler takes another state.  Force-included (-include)
 * when a module is built a second time, with
 *   -DMUTANT_HANDLER='"Light_ttse_yellow__on_yellow_done"' (the C function)
 *   -DMUTANT_STATE='"green"'                                (its new state)
 * Every tt_to_state in that function goes to MUTANT_STATE instead; nothing
 * else changes.
 */
#ifndef TT_MUTANT_H
#define TT_MUTANT_H

#include <string.h>

#include "tasktonic.h"

/* tt_to_state as called from function fn. */
static inline int tt_mutant_to_state(tt_tonic *self, const char *state, const char *fn)
{
    if (strcmp(fn, MUTANT_HANDLER) == 0)
        state = MUTANT_STATE;
    return (tt_to_state)(self, state);
}

#define tt_to_state(self, state) tt_mutant_to_state((self), (state), __func__)

#endif /* TT_MUTANT_H */
