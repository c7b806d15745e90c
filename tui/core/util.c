/*
 * util.c: allocation that never returns NULL, growable strings and string
 * vectors, number parsing.  ttdb's own data only: the library has its own
 * error handling.
 */
#include "ttdb.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

void (*g_oom_cleanup)(void);

/* ttdb cannot go on without memory: one line and exit status 1, not a
 * crash (what was printed so far is flushed; the screen restores the
 * terminal through g_oom_cleanup). */
void oom(void)
{
    static const char msg[] = "ttdb: out of memory\n";
    void (*cleanup)(void) = g_oom_cleanup;
    g_oom_cleanup = NULL; /* once, even if it runs out again */
    if (cleanup)
        cleanup();
    fflush(stdout);
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    _exit(TTDB_EXIT_FAILED);
}

/* Fault injection for the tests: TTDB_TEST_FAIL_ALLOC=N makes the Nth
 * allocation through these helpers (and jansson's) fail.  The count is
 * atomic: the DAP reader thread parses JSON too. */
static unsigned long fail_at;
static bool fail_read;

static void fail_init(void)
{
    const char *e = getenv("TTDB_TEST_FAIL_ALLOC");
    fail_at = e ? strtoul(e, NULL, 10) : 0;
    fail_read = true;
}

static bool fail_now(void)
{
    static _Atomic unsigned long n;
    if (!fail_read)
        fail_init();
    return fail_at && ++n == fail_at;
}

/* jansson's allocations (the library's JSON readers: trace files,
 * contracts, JSON arguments; ttdb's own) are ttdb's: one counter for the
 * fault injection, and on exhaustion the same one line and exit status 1
 * (jansson would report a failed allocation as bad JSON). */
void alloc_init(void)
{
    fail_init();
    json_set_alloc_funcs(xmalloc, free);
}

/* malloc that never returns NULL. */
void *xmalloc(size_t n)
{
    void *p = fail_now() ? NULL : malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

/* calloc that never returns NULL. */
void *xcalloc(size_t n, size_t size)
{
    void *p = fail_now() ? NULL : calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

/* realloc that never returns NULL. */
void *xrealloc(void *p, size_t n)
{
    void *q = fail_now() ? NULL : realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

/* strdup that never returns NULL (NULL in, NULL out). */
char *xstrdup(const char *s)
{
    if (!s)
        return NULL;
    char *d = fail_now() ? NULL : strdup(s);
    if (!d)
        oom();
    return d;
}

/* strndup that never returns NULL. */
char *xstrndup(const char *s, size_t n)
{
    char *d = fail_now() ? NULL : strndup(s, n);
    if (!d)
        oom();
    return d;
}

/* vasprintf that never returns NULL. */
char *xvasprintf(const char *fmt, va_list ap)
{
    char *s;
    if (fail_now() || vasprintf(&s, fmt, ap) < 0)
        oom();
    return s;
}

/* asprintf that never returns NULL. */
char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

char *tmp_template(const char *name)
{
    const char *dir = getenv("TMPDIR");
    return xasprintf("%s/%s-XXXXXX", dir && *dir ? dir : "/tmp", name);
}

/* Make room for n more bytes plus the terminating NUL. */
static void sb_grow(strbuf *b, size_t n)
{
    if (b->len + n + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1)
        cap *= 2;
    b->s = xrealloc(b->s, cap);
    b->cap = cap;
}

/* Append n bytes. */
void sb_addn(strbuf *b, const char *s, size_t n)
{
    sb_grow(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* Append a string. */
void sb_add(strbuf *b, const char *s)
{
    sb_addn(b, s, strlen(s));
}

/* Append formatted text. */
void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        sb_addn(b, tmp, (size_t)n);
        return;
    }
    sb_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Detach the string; the buffer is empty afterwards. */
char *sb_take(strbuf *b)
{
    char *s = b->s ? b->s : xstrdup("");
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

/* Free the buffer's memory. */
void sb_free(strbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

/* Append a copy of s. */
void sv_add(strvec *sv, const char *s)
{
    if (sv->n == sv->cap) {
        sv->cap = sv->cap ? sv->cap * 2 : 8;
        sv->v = xrealloc(sv->v, sv->cap * sizeof *sv->v);
    }
    sv->v[sv->n++] = xstrdup(s);
}

/* Whether the vector holds s. */
bool sv_has(const strvec *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return true;
    return false;
}

/* Free the strings and the vector. */
void sv_free(strvec *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
}

/* A finite double that is the whole text. */
bool parse_double(const char *s, double *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (*end || errno || !isfinite(d))
        return false;
    *out = d;
    return true;
}

/* A long (decimal or 0x) that is the whole text. */
bool parse_long(const char *s, long *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 0);
    if (*end || errno)
        return false;
    *out = v;
    return true;
}

/* on/off words. */
bool parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"on", "yes", "true", "1"};
    static const char *const no[] = {"off", "no", "false", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

/* Monotonic seconds. */
double now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Prefix test. */
bool str_starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Read a whole file into memory. */
char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf b = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_addn(&b, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        sb_free(&b);
        errno = EIO;
        return NULL;
    }
    if (len)
        *len = b.len;
    return sb_take(&b);
}
