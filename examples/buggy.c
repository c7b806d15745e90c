/*
 * buggy.c: a tonic whose sparkles crash on purpose.
 *
 * For the crash and watchdog tests of ttdb and of the Distiller (and for
 * trying them by hand).  One tonic, `Buggy`, with one sparkle per way to die:
 *
 *   ttsc__ok                   harmless: counts ok_count up
 *   ttsc__null_deref           writes through a NULL pointer     (SIGSEGV)
 *   ttsc__divide_by_zero       integer division by zero          (SIGFPE)
 *   ttsc__abort                calls abort()                     (SIGABRT)
 *   ttsc__illegal_instruction  executes a trap instruction       (SIGILL on
 *                              x86; SIGTRAP on some other CPUs)
 *   ttsc__bus_error            reads a mapped page past the end of its
 *                              file                              (SIGBUS)
 *   ttsc__loop_forever         spins on a volatile flag that nothing clears
 *                              (for the watchdog)
 *
 * Every crash is real, not a raise(): the operands come from volatile reads,
 * so the compiler can neither fold them away nor replace them by a trap of
 * its own.  The faulting sparkles are built without sanitizer
 * instrumentation, so that a sanitizer build sees the signal the tests
 * expect rather than a sanitizer report.
 *
 * Probes: ok_count, divisor (always 0), numerator.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "tasktonic.h"

#if defined(__has_attribute)
#if __has_attribute(no_sanitize)
#define BUGGY_NO_SANITIZE __attribute__((no_sanitize("address", "undefined")))
#endif
#endif
#ifndef BUGGY_NO_SANITIZE
#define BUGGY_NO_SANITIZE
#endif

typedef struct Buggy {
    int ok_count;  /* ttsc__ok calls */
    int divisor;   /* 0, read through a volatile pointer */
    int numerator; /* 100 */
} Buggy;

/* The divisor of ttsc__divide_by_zero.  The save-test tests build this
 * module a second time with -DBUGGY_DIVISOR=1, as a changed module whose
 * division does not crash. */
#ifndef BUGGY_DIVISOR
#define BUGGY_DIVISOR 0
#endif

/* Set once, never cleared: ttsc__loop_forever spins while it is 1. */
static volatile int buggy_spin = 1;
/* Where results go, so that no computation is optimised away. */
static volatile intptr_t buggy_sink;

/* Creation: the operands of the division. */
static void buggy_init(tt_tonic *self, void *arg)
{
    Buggy *d = TT_DATA(Buggy, self);

    (void)arg;
    d->divisor = BUGGY_DIVISOR;
    d->numerator = 100;
}

/* Harmless. */
static void Buggy_ttsc__ok(tt_tonic *self)
{
    TT_DATA(Buggy, self)->ok_count++;
}

/* SIGSEGV: store through a NULL pointer the compiler cannot see. */
BUGGY_NO_SANITIZE static void Buggy_ttsc__null_deref(tt_tonic *self)
{
    int *volatile p = NULL;

    (void)self;
    *p = 42;
    buggy_sink = *p;
}

/* SIGFPE: integer division by the divisor probe, read as volatile. */
BUGGY_NO_SANITIZE static void Buggy_ttsc__divide_by_zero(tt_tonic *self)
{
    Buggy *d = TT_DATA(Buggy, self);
    volatile int *divisor = &d->divisor;

    buggy_sink = d->numerator / *divisor;
}

/* SIGABRT. */
static void Buggy_ttsc__abort(tt_tonic *self)
{
    (void)self;
    abort();
}

/* SIGILL (x86: ud2). */
BUGGY_NO_SANITIZE static void Buggy_ttsc__illegal_instruction(tt_tonic *self)
{
    (void)self;
    if (buggy_spin)
        __builtin_trap();
}

/* SIGBUS: map a page of an empty file and read it. */
BUGGY_NO_SANITIZE static void Buggy_ttsc__bus_error(tt_tonic *self)
{
    FILE *f = tmpfile();
    volatile char *page = MAP_FAILED;

    (void)self;
    if (f)
        page = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fileno(f), 0);
    if (page == MAP_FAILED) {
        if (f)
            fclose(f);
        raise(SIGBUS); /* no mmap here: the signal is all the tests need */
        return;
    }
    buggy_sink = page[0];
    munmap((void *)page, 4096);
    fclose(f);
}

/* Never returns: the watchdog's business. */
BUGGY_NO_SANITIZE static void Buggy_ttsc__loop_forever(tt_tonic *self)
{
    (void)self;
    while (buggy_spin)
        buggy_sink++;
}

static const tt_handler buggy_handlers[] = {
    TT_ON(Buggy, ttsc__ok),
    TT_ON(Buggy, ttsc__null_deref),
    TT_ON(Buggy, ttsc__divide_by_zero),
    TT_ON(Buggy, ttsc__abort),
    TT_ON(Buggy, ttsc__illegal_instruction),
    TT_ON(Buggy, ttsc__bus_error),
    TT_ON(Buggy, ttsc__loop_forever),
};

static const tt_probe_def buggy_probes[] = {
    TT_PROBE(Buggy, ok_count),
    TT_PROBE(Buggy, divisor),
    TT_PROBE(Buggy, numerator),
};

static const tt_class Buggy_class = {
    .name = "Buggy",
    .data_size = sizeof(Buggy),
    .init = buggy_init,
    .handlers = buggy_handlers,
    .n_handlers = TT_COUNTOF(buggy_handlers),
    .probes = buggy_probes,
    .n_probes = TT_COUNTOF(buggy_probes),
};

/* The app: one Buggy, waiting for a command. */
TT_FORMULA(cat)
{
    return tt_tonic_new(cat, &Buggy_class, "Buggy", NULL) ? 0 : -TT_EFORMULA;
}
