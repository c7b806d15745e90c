/*
 * hostile.c: a test app whose code misbehaves outside its sparkles too, for
 * the tests that ttdb survives its debuggee (tests/tui/batch-guard.sh).
 *
 * HOSTILE (environment) picks the misbehaviour:
 *   ctor-segv      the module's constructor crashes (inside dlopen)
 *   ctor-exit      the module's constructor calls exit(7)
 *   formula-segv   the formula crashes
 *   formula-exit   the formula calls exit(5)
 *   formula-loop   the formula never returns (the watchdog or Ctrl-C ends it)
 *   destroy-segv   the class's destroy crashes (at restart, file and quit)
 *   destroy-exit   the class's destroy calls exit(9)
 *   destroy-loop   the class's destroy never returns
 * Always: the sparkle `leave(status)` calls exit(status); the probe `bad`
 * (a callback) crashes once `arm` has run; `nest(n)` starts a chain of n
 * tonics, each the base of the next (a deep tree for `info tonics`).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "tasktonic.h"

#if defined(__has_attribute)
#if __has_attribute(no_sanitize)
#define NO_SANITIZE __attribute__((no_sanitize("address", "undefined")))
#endif
#endif
#ifndef NO_SANITIZE
#define NO_SANITIZE
#endif

typedef struct hostile_data {
    int64_t ticks;
    bool armed;
} hostile_data;

/* Whether HOSTILE names this misbehaviour. */
static bool wants(const char *what)
{
    const char *h = getenv("HOSTILE");
    return h && strcmp(h, what) == 0;
}

/* A fault the compiler cannot remove. */
NO_SANITIZE static void fault(void)
{
    raise(SIGSEGV);
}

__attribute__((constructor)) static void hostile_ctor(void)
{
    if (wants("ctor-segv"))
        fault();
    if (wants("ctor-exit"))
        exit(7);
}

/* --- Nest: each creates the next, n deep ------------------------------- */

static int64_t nest_left;
static const tt_class Nest_class;

static void Nest_ttse__on_start(tt_tonic *self)
{
    if (nest_left-- > 0)
        tt_tonic_new(tt_tonic_catalyst(self), &Nest_class, NULL, NULL);
}

static const tt_handler nest_handlers[] = {
    TT_ON(Nest, ttse__on_start),
};

static const tt_class Nest_class = {
    .name = "Nest",
    .handlers = nest_handlers,
    .n_handlers = TT_COUNTOF(nest_handlers),
};

/* Start a chain of n nested tonics. */
static void Hostile_ttsc__nest(tt_tonic *self, int64_t n)
{
    nest_left = n - 1;
    tt_tonic_new(tt_tonic_catalyst(self), &Nest_class, NULL, NULL);
}

static void Hostile_ttse__on_start(tt_tonic *self)
{
    (void)self;
}

static void Hostile_ttsc__tick(tt_tonic *self)
{
    TT_DATA(hostile_data, self)->ticks++;
}

/* Call exit(status) from inside a sparkle. */
static void Hostile_ttsc__leave(tt_tonic *self, int64_t status)
{
    (void)self;
    exit((int)status);
}

/* From now on the probe `bad` crashes. */
static void Hostile_ttsc__arm(tt_tonic *self)
{
    TT_DATA(hostile_data, self)->armed = true;
}

/* A probe nested 100000 lists deep, as deep as the library lets it be
 * built (TT_VALUE_DEPTH_MAX): the depth it reached. */
static bool Hostile_probe_deep(tt_tonic *self, tt_value *out)
{
    (void)self;
    tt_value v = TT_INT(0);
    int depth = 0;
    for (int i = 0; i < 100000; i++) {
        tt_value outer;
        if (tt_value_list(&outer, &v, 1) < 0)
            break;
        tt_value_clear(&v);
        v = outer;
        depth++;
    }
    tt_value_clear(&v);
    *out = TT_INT(depth);
    return true;
}

/* A computed probe that crashes once armed. */
static bool Hostile_probe_bad(tt_tonic *self, tt_value *out)
{
    if (TT_DATA(hostile_data, self)->armed)
        fault();
    *out = TT_INT(1);
    return true;
}

static void Hostile_destroy(tt_tonic *self)
{
    (void)self;
    if (wants("destroy-segv"))
        fault();
    if (wants("destroy-exit"))
        exit(9);
    while (wants("destroy-loop"))
        ;
}

static const tt_handler hostile_handlers[] = {
    TT_ON(Hostile, ttse__on_start),
    TT_ON(Hostile, ttsc__tick),
    TT_ON(Hostile, ttsc__leave, int64_t),
    TT_ON(Hostile, ttsc__arm),
    TT_ON(Hostile, ttsc__nest, int64_t),
};

static const tt_probe_def hostile_probes[] = {
    TT_PROBE(hostile_data, ticks),
    TT_PROBE_FN("bad", Hostile_probe_bad),
    TT_PROBE_FN("deep", Hostile_probe_deep),
};

static const tt_class Hostile_class = {
    .name = "Hostile",
    .data_size = sizeof(hostile_data),
    .handlers = hostile_handlers,
    .n_handlers = TT_COUNTOF(hostile_handlers),
    .probes = hostile_probes,
    .n_probes = TT_COUNTOF(hostile_probes),
    .destroy = Hostile_destroy,
};

TT_FORMULA(cat)
{
    if (wants("formula-segv"))
        fault();
    if (wants("formula-exit"))
        exit(5);
    while (wants("formula-loop"))
        ;
    return tt_tonic_new(cat, &Hostile_class, "Hostile", NULL) ? 0 : -TT_ENOMEM;
}
