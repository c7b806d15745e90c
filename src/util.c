/*
 * util.c: small helpers shared by the library: growable arrays, string
 * duplication, clocks and error messages.
 */
#include "tt-int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Grow an array so that it holds at least `need` elements. */
int tt__grow(void **arr, size_t *cap, size_t need, size_t esz)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 8;
    while (n < need)
        n *= 2;
    void *p = realloc(*arr, n * esz);
    if (!p)
        return -TT_ENOMEM;
    *arr = p;
    *cap = n;
    return 0;
}

/* strdup that accepts NULL. */
char *tt__strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Wall-clock seconds since the epoch. */
double tt__wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Monotonic seconds. */
double tt__mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Record a message for the catalyst and return code. */
int tt__err(tt_catalyst *cat, int code, const char *fmt, ...)
{
    if (cat) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(cat->errmsg, sizeof cat->errmsg, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* Fill a tt_error and return code. */
int tt__seterr(tt_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}
