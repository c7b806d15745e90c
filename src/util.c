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

int tt__grow_zero(void **arr, size_t *cap, size_t need, size_t esz)
{
    size_t old = *cap;
    if (tt__grow(arr, cap, need, esz) < 0)
        return -TT_ENOMEM;
    memset((char *)*arr + old * esz, 0, (*cap - old) * esz);
    return 0;
}


/* Wall-clock seconds since the epoch. */
double tt__wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * A cheap wall clock for trace timestamps.  On x86-64 with an invariant TSC,
 * the time-stamp counter is read directly (a few nanoseconds, against tens for
 * clock_gettime) and scaled with a rate measured once per process; each run
 * re-anchors it to CLOCK_REALTIME, so it cannot drift far.  Elsewhere it is
 * clock_gettime.
 */
#if defined(__x86_64__)
#include <x86intrin.h>
static int tsc_ok;
double tt__tsc_scale;
static pthread_once_t tsc_once = PTHREAD_ONCE_INIT;

static int tsc_measure(void);

/* The counter and the monotonic clock at one moment: the clock is the mean
 * of readings just before and after the counter's, width their distance,
 * the tightest of 8 tries. */
static void tsc_pair(double *mono, uint64_t *tsc, double *width)
{
    *width = 1e9;
    for (int i = 0; i < 8; i++) {
        double a = tt__mono();
        uint64_t t = __rdtsc();
        double b = tt__mono();
        if (b - a < *width) {
            *width = b - a;
            *mono = (a + b) / 2;
            *tsc = t;
        }
    }
}

static void tsc_calibrate(void)
{
    tsc_ok = tsc_measure();
}

static int tsc_measure(void)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[4096];
    int ok = 0;
    while (f && !ok && fgets(line, sizeof line, f))
        if (strncmp(line, "flags", 5) == 0)
            ok = strstr(line, " constant_tsc") && strstr(line, " nonstop_tsc");
    if (f)
        fclose(f);
    if (!ok || getenv("TT_NO_TSC"))
        return 0;
    /* Two (clock, counter) pairs 2 ms apart, each read between two clock
     * readings and kept from the tightest of a few tries: a preemption
     * between a clock read and a counter read would otherwise skew the rate
     * (and every duration of the process) by the time it lasted. */
    double m0, m1, w0, w1;
    uint64_t t0, t1;
    tsc_pair(&m0, &t0, &w0);
    while (tt__mono() - m0 < 0.002)
        ;
    tsc_pair(&m1, &t1, &w1);
    if (t1 <= t0 || w0 > 50e-6 || w1 > 50e-6)
        return 0; /* never a tight reading: use clock_gettime */
    tt__tsc_scale = (m1 - m0) / (double)(t1 - t0);
    return 1;
}
#endif

/* Anchor the fast clock of a catalyst to the wall clock now. */
void tt__clock_anchor(tt__clock *c)
{
#if defined(__x86_64__)
    pthread_once(&tsc_once, tsc_calibrate);
    c->tsc = tsc_ok ? __rdtsc() : 0;
#endif
    c->wall = tt__wall();
}

#if defined(__x86_64__)
int tt__tsc_usable;
#endif

/* Ticks of the time-stamp counter in `seconds` (measuring its rate the
 * first time), or 0 when there is no usable counter. */
uint64_t tt__tsc_span(double seconds)
{
#if defined(__x86_64__)
    pthread_once(&tsc_once, tsc_calibrate);
    __atomic_store_n(&tt__tsc_usable, tsc_ok, __ATOMIC_RELAXED);
    if (tsc_ok && seconds > 0)
        return (uint64_t)(seconds / tt__tsc_scale);
#endif
    (void)seconds;
    return 0;
}

/* Wall-clock seconds without the counter (tt__clock_now's other half). */
double tt__clock_now_slow(const tt__clock *c)
{
    (void)c;
    return tt__wall();
}

/* The recorder's clock without an invariant TSC: CLOCK_REALTIME in ns. */
uint64_t tt__ticks_slow(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Wall-clock seconds of a tt__ticks reading. */
double tt__ticks_wall(const tt__clock *c, uint64_t ticks)
{
#if defined(__x86_64__)
    if (c->tsc)
        return c->wall + ((double)ticks - (double)c->tsc) * tt__tsc_scale;
#endif
    (void)c;
    return (double)ticks * 1e-9;
}

/* Seconds in a span of tt__ticks. */
double tt__ticks_span(const tt__clock *c, uint64_t ticks)
{
#if defined(__x86_64__)
    if (c->tsc)
        return (double)ticks * tt__tsc_scale;
#endif
    (void)c;
    return (double)ticks * 1e-9;
}

/* Monotonic seconds. */
double tt__mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Format a message into buf (size bytes).  A message too long for it loses
 * its middle, not its end: "cannot parse 'xxxx...xxxx': expected a number"
 * keeps what was wrong and where, whatever the length of the quoted input. */
static void format_fit(char *buf, size_t size, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(buf, size, fmt, ap);
    if (n < 0 || (size_t)n < size) {
        va_end(ap2);
        return;
    }
    char *full = malloc((size_t)n + 1);
    if (!full) {
        va_end(ap2);
        return; /* the cut message is better than none */
    }
    vsnprintf(full, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    static const char gap[] = " ... ";
    size_t tail = (size - 1) / 3, head = size - 1 - tail - (sizeof gap - 1);
    size_t from = (size_t)n - tail;
    while (head > 0 && ((unsigned char)full[head] & 0xc0) == 0x80)
        head--; /* cut between UTF-8 characters, not inside one */
    while (full[from] && ((unsigned char)full[from] & 0xc0) == 0x80)
        from++;
    memcpy(buf, full, head);
    memcpy(buf + head, gap, sizeof gap - 1);
    memcpy(buf + head + sizeof gap - 1, full + from, (size_t)n - from + 1);
    free(full);
}

/* Error messages are kept per thread (like errno), with the catalyst they
 * belong to, so that threads posting at once do not overwrite each other's. */
static __thread char err_text[512];
static __thread const tt_catalyst *err_cat;

/* Record a message for the catalyst and return code. */
int tt__err(tt_catalyst *cat, int code, const char *fmt, ...)
{
    if (cat) {
        va_list ap;
        va_start(ap, fmt);
        format_fit(err_text, sizeof err_text, fmt, ap);
        va_end(ap);
        err_cat = cat;
    }
    return code;
}

/* The calling thread's last message for cat. */
const char *tt__errmsg(const tt_catalyst *cat)
{
    return cat && cat == err_cat ? err_text : "";
}

/* Fill a tt_error and return code. */
int tt__seterr(tt_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        format_fit(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}
