/*
 * plugin-nodesc.c: a test module that is no exporter plugin (it lacks the
 * descriptor symbol).  The loader must report and skip it.
 */
#include "ttdb-plugin.h"

/* Some exported symbol, so that the module is not empty. */
TTDB_EXPORT int ttdb_not_an_exporter(void);
TTDB_EXPORT int ttdb_not_an_exporter(void)
{
    return 42;
}
