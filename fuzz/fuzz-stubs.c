/*
 * fuzz-stubs.c: the catalyst functions value.c and value-parse.c refer to,
 * for fuzz targets built from the parser sources alone.  The targets never
 * pass a catalyst, a tonic or a timer, so none of these may ever run.
 */
#include <stdlib.h>

#include "tasktonic.h"

const char *tt_tonic_name(const tt_tonic *t) { (void)t; abort(); }
const char *tt_timer_name(const tt_timer *t) { (void)t; abort(); }
int tt_timer_id(const tt_timer *t) { (void)t; abort(); }
const tt_timer_info *tt_timer_get_info(const tt_timer *t) { (void)t; abort(); }
tt_tonic *tt_tonic_by_name(tt_catalyst *c, const char *n) { (void)c; (void)n; abort(); }
tt_tonic *tt_tonic_by_id(tt_catalyst *c, int id) { (void)c; (void)id; abort(); }
size_t tt_tonic_count(const tt_catalyst *c) { (void)c; abort(); }
tt_tonic *tt_tonic_at(tt_catalyst *c, size_t i) { (void)c; (void)i; abort(); }
size_t tt_timer_count(const tt_catalyst *c) { (void)c; abort(); }
tt_timer *tt_timer_at(tt_catalyst *c, size_t i) { (void)c; (void)i; abort(); }
