/*
 * alloc.c: every allocation of the library, and fault injection for tests.
 *
 * tt-int.h redirects malloc, calloc, realloc, strdup and strndup to the
 * functions below, so that a test can make the n-th allocation fail
 * (tt_test_fail_alloc) and walk every out-of-memory path of a scenario, as
 * SQLite tests its own.  Without injection the cost is one relaxed atomic
 * load per allocation.
 */
#include "tt-int.h"

#include <stdatomic.h>

#undef malloc
#undef calloc
#undef realloc
#undef strndup

static atomic_ulong fail_at;   /* 0: off; else the allocation number that fails */
static atomic_ulong count;     /* allocations since the last tt_test_fail_alloc */
static atomic_bool persistent; /* every allocation after fail_at fails too */

/* Whether this allocation is one that must fail. */
static bool inject(void)
{
    unsigned long at = atomic_load_explicit(&fail_at, memory_order_relaxed);
    if (TT__LIKELY(at == 0))
        return false;
    unsigned long n = atomic_fetch_add(&count, 1) + 1;
    return n == at || (n > at && atomic_load(&persistent));
}

unsigned long tt_test_fail_alloc(unsigned long n, bool keep_failing)
{
    unsigned long made = atomic_exchange(&count, 0);
    atomic_store(&persistent, keep_failing);
    atomic_store(&fail_at, n);
    return made;
}

void *tt__malloc(size_t n)
{
    return inject() ? NULL : malloc(n);
}

void *tt__calloc(size_t n, size_t size)
{
    return inject() ? NULL : calloc(n, size);
}

void *tt__realloc(void *p, size_t n)
{
    return inject() ? NULL : realloc(p, n);
}

/* strdup that accepts NULL. */
char *tt__strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = tt__malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

char *tt__strndup(const char *s, size_t n)
{
    return inject() ? NULL : strndup(s, n);
}
