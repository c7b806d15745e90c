/*
 * plugin-badabi.c: a test plugin built for another exporter ABI version.
 *
 * The loader must refuse it (naming the file and both versions) and never
 * call its write function.
 */
#include "ttdb-plugin.h"

#include <stdlib.h>

/* Never called: the loader refuses the module before. */
static int badabi_write(const ttdb_export_ctx *ctx, FILE *f, tt_error *err)
{
    (void)ctx;
    (void)f;
    (void)err;
    abort();
}

TTDB_EXPORT const ttdb_exporter ttdb_exporter_desc = {
    TTDB_PLUGIN_ABI + 98,
    "badabi",
    "bad",
    "a plugin for an ABI this ttdb does not have",
    badabi_write,
};
