/*
 * suggest.c: "did you mean ...?" for unknown names.
 *
 * tt_suggest picks the candidate nearest to a mistyped word, the way git
 * suggests commands: a case-insensitive exact match first, then a unique
 * case-insensitive prefix match, then the smallest Damerau-Levenshtein
 * distance (optimal string alignment: insert, delete, substitute, swap two
 * neighbours), compared case-insensitively.  A distance only counts as close
 * when it is at most max(2, len/3), as in git, and also less than half the
 * word's length, so that "any" does not suggest "all" nor "x" suggest "ab".
 */
#include <stdlib.h>
#include <string.h>

#include "tasktonic.h"
#include "tt-alloc.h"

/* ASCII lower case (names are ASCII; other bytes compare as they are). */
static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Case-insensitive: does s start with prefix? */
static int has_prefix(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (lower((unsigned char)*s) != lower((unsigned char)*prefix))
            return 0;
    return 1;
}

/* Case-insensitive string equality. */
static int same(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (lower((unsigned char)*a) != lower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* Optimal string alignment distance between a (length m) and b (length n),
 * or `limit + 1` when it is certainly larger than limit.  rows holds
 * 3 * (n + 1) scratch cells. */
static size_t osa_distance(const char *a, size_t m, const char *b, size_t n,
                           size_t limit, size_t *rows)
{
    size_t *prev2 = rows, *prev = rows + (n + 1), *cur = rows + 2 * (n + 1);

    if ((m > n ? m - n : n - m) > limit)
        return limit + 1;
    for (size_t j = 0; j <= n; j++)
        prev[j] = j;
    for (size_t i = 1; i <= m; i++) {
        size_t row_min;
        cur[0] = i;
        row_min = cur[0];
        for (size_t j = 1; j <= n; j++) {
            unsigned char ca = lower((unsigned char)a[i - 1]);
            unsigned char cb = lower((unsigned char)b[j - 1]);
            size_t cost = ca != cb;
            size_t d = prev[j] + 1;                   /* deletion */
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;                   /* insertion */
            if (prev[j - 1] + cost < d)
                d = prev[j - 1] + cost;               /* substitution */
            if (i > 1 && j > 1 && ca == lower((unsigned char)b[j - 2]) &&
                lower((unsigned char)a[i - 2]) == cb && prev2[j - 2] + 1 < d)
                d = prev2[j - 2] + 1;                 /* transposition */
            cur[j] = d;
            if (d < row_min)
                row_min = d;
        }
        if (row_min > limit)
            return limit + 1;
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[n];
}

/* The candidate nearest to word, or NULL when none is close enough. */
const char *tt_suggest(const char *word, const char *const *candidates,
                       size_t n)
{
    size_t wlen, limit, best_d, maxlen = 0;
    const char *prefix_hit = NULL, *best = NULL;
    size_t prefix_hits = 0;
    size_t *rows;

    if (!word || !*word || !candidates || n == 0)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const char *c = candidates[i];
        if (!c)
            continue;
        if (same(word, c))
            return c;
        if (has_prefix(c, word)) {
            if (prefix_hits == 0 || strcmp(c, prefix_hit) != 0)
                prefix_hits++;
            prefix_hit = c;
        }
        if (strlen(c) > maxlen)
            maxlen = strlen(c);
    }
    if (prefix_hits == 1)
        return prefix_hit;

    wlen = strlen(word);
    limit = wlen / 3 > 2 ? wlen / 3 : 2;
    if (limit > (wlen - 1) / 2)
        limit = (wlen - 1) / 2; /* fewer edits than half the word */
    if (maxlen > (size_t)-1 / sizeof(size_t) / 3 - 1)
        return NULL;
    rows = malloc(3 * (maxlen + 1) * sizeof *rows);
    if (!rows)
        return NULL;
    best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        const char *c = candidates[i];
        size_t d;
        if (!c)
            continue;
        d = osa_distance(word, wlen, c, strlen(c), best_d - 1 < limit ? best_d - 1 : limit,
                         rows);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    free(rows);
    return best_d <= limit ? best : NULL;
}
