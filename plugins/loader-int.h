/*
 * loader-int.h: what the files of the plugin loader library share (not
 * installed).
 */
#ifndef TTDB_LOADER_INT_H
#define TTDB_LOADER_INT_H

#include "ttdb-plugin.h"

#if defined(__GNUC__)
#define TTDB__INTERNAL __attribute__((visibility("hidden")))
#else
#define TTDB__INTERNAL
#endif

/* Fill err (may be NULL) with code and a printf-style message; returns code. */
TTDB__INTERNAL int ttdb__seterr(tt_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* TTDB_LOADER_INT_H */
