/*
 * tt-alloc.h: every allocation of libtasktonic goes through tt__malloc & co
 * (alloc.c), so that tests can make the n-th one fail (tt_test_fail_alloc).
 * The standard names are redirected after the system headers that declare
 * them.  Included by tt-int.h, and by the files that do not include it.
 */
#ifndef TT_ALLOC_H
#define TT_ALLOC_H

#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define TT__ALLOC_INTERNAL __attribute__((visibility("hidden")))
#else
#define TT__ALLOC_INTERNAL
#endif

TT__ALLOC_INTERNAL void *tt__malloc(size_t n);
TT__ALLOC_INTERNAL void *tt__calloc(size_t n, size_t size);
TT__ALLOC_INTERNAL void *tt__realloc(void *p, size_t n);
TT__ALLOC_INTERNAL char *tt__strdup(const char *s);
TT__ALLOC_INTERNAL char *tt__strndup(const char *s, size_t n);
#undef malloc
#undef calloc
#undef realloc
#undef strdup
#undef strndup
#define malloc(n) tt__malloc(n)
#define calloc(n, size) tt__calloc(n, size)
#define realloc(p, n) tt__realloc(p, n)
#define strdup(s) tt__strdup(s)
#define strndup(s, n) tt__strndup(s, n)

#endif /* TT_ALLOC_H */
