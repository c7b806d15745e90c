/*
 * bench-record: the cost of the flight recorder on the production Catalyst,
 * as `ttrun --record` runs it (crash containment on while recording).
 *
 *     bench/bench-record [CHAIN_LENGTH] [RECORD_LAST]   (default 2000000 10000)
 *
 * Runs the chain once under tt_catalyst_run, recording the last RECORD_LAST
 * sparkles (0: not recording, no crash containment), and prints sparkles
 * per second.  Compare two processes, e.g. with /usr/bin/time:
 *     bench/bench-record 2000000 0  vs  bench/bench-record 2000000 10000
 */
#include "chain.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    long chain_len = argc > 1 ? atol(argv[1]) : 2000000;
    long last = argc > 2 ? atol(argv[2]) : 10000;
    if (chain_len < 1 || last < 0) {
        fprintf(stderr, "usage: bench-record [CHAIN_LENGTH] [RECORD_LAST]\n");
        return 2;
    }
    tt_catalyst *cat;
    tt_catalyst_options o = {.mode = TT_MODE_CATALYST, .contain_crashes = last > 0};
    if (tt_catalyst_new(&cat, &o) < 0 || (last && tt_catalyst_record(cat, (size_t)last) < 0))
        return 1;
    tt_tonic *t = tt_tonic_new(cat, &chain_class, "Chain", NULL);
    tt_send(t, "ttsc__tick", TT_INT(chain_len));
    double t0 = bench_now();
    tt_catalyst_run(cat);
    double dt = bench_now() - t0;
    printf("Catalyst, %s: %.0f sparkles/s\n", last ? "recording" : "not recording",
           (double)(chain_len + 1) / dt);
    tt_catalyst_free(cat);
    return 0;
}
