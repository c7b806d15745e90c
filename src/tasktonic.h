/*
 * tasktonic.h: the public API of libtasktonic.
 *
 * TaskTonic is an actor model.  A *tonic* is an actor with a state machine; a
 * *sparkle* is an atomic queued call on a tonic; the *catalyst* runs the queue
 * one work order at a time.  The same catalyst object runs either in real time
 * (production, tt_catalyst_run) or as the *Distiller* (tests and ttdb), which is
 * cranked by hand with tt_distiller_sparkle and records a trace of every
 * sparkle it runs.
 *
 * Conventions (as libuv): functions return 0 or a negative TT_E* code; the
 * library never prints and never exits.  A longer message for the last error of
 * a catalyst is in tt_catalyst_errmsg().  Objects are opaque; all strings passed
 * in are copied.  Tonics, timers and trace entries live until the catalyst is
 * destroyed, so pointers to them stay valid while the catalyst lives.
 *
 * Threads: any thread may queue sparkles (tt_post and friends); everything
 * else (creating tonics and timers, running, reading traces) belongs to the
 * catalyst's thread, the one that runs tt_catalyst_run or
 * tt_distiller_sparkle (before the first run: the one that created it).
 */
#ifndef TASKTONIC_H
#define TASKTONIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define TT_EXTERN __attribute__((visibility("default")))
#else
#define TT_EXTERN
#endif

/* ===================================================================== */
/* Errors                                                                */
/* ===================================================================== */

/* X(NAME, message): every error code of the library. */
#define TT_ERRNO_MAP(X)                                                       \
    X(NOMEM, "out of memory")                                                 \
    X(INVAL, "invalid argument")                                              \
    X(BADNAME, "handler name does not follow PREFIX[_STATE]__NAME")           \
    X(DUPHANDLER, "two handlers for the same state and sparkle")              \
    X(BADTYPE, "parameter type the runtime cannot carry")                     \
    X(SIGMISMATCH, "handlers of one sparkle disagree on parameters")          \
    X(NOSPARKLE, "unknown sparkle")                                           \
    X(NOSTATE, "unknown state")                                               \
    X(NOTONIC, "unknown tonic")                                               \
    X(NOPROBE, "unknown probe")                                               \
    X(ARGCOUNT, "wrong number of arguments")                                  \
    X(ARGTYPE, "wrong argument type")                                         \
    X(FINISHED, "tonic has finished")                                         \
    X(CATFINISHED, "catalyst has finished")                                   \
    X(NOTDISTILLER, "catalyst is not a distiller")                            \
    X(BUSY, "catalyst is running")                                            \
    X(DLOPEN, "cannot load module")                                           \
    X(NOFORMULA, "module has no tt_formula entry point")                      \
    X(FORMULA, "the module's formula failed")                                 \
    X(JSON, "malformed JSON")                                                 \
    X(CONTRACT, "invalid contract")                                           \
    X(IO, "input/output error")                                               \
    X(FFI, "libffi cannot prepare the call")                                  \
    X(CRASHED, "a sparkle crashed; the session is no longer trustworthy")     \
    X(RANGE, "value out of range")                                            \
    X(RECORDED, "this is a recorded trace: nothing can run")                  \
    X(EXPECT, "an expectation does not hold")                                 \
    X(AGAIN, "the catalyst's inbox is full: try again")

typedef enum tt_errno {
    TT_OK = 0,
#define TT__ERRENUM(name, msg) TT_E##name,
    TT__ERRFIRST = 1000,
    TT_ERRNO_MAP(TT__ERRENUM)
#undef TT__ERRENUM
} tt_errno;
/* Codes are returned negated: `return -TT_ENOSPARKLE;`. */

/* The message for a code (positive or negative). */
TT_EXTERN const char *tt_strerror(int code);
/* The symbolic name ("TT_ENOSPARKLE") for a code (positive or negative). */
TT_EXTERN const char *tt_err_name(int code);
/* The candidate nearest to `word` (edit distance, case-insensitive; a unique
 * prefix wins), or NULL when none is close enough to suggest. */
TT_EXTERN const char *tt_suggest(const char *word, const char *const *candidates,
                                 size_t n);

/* A detailed error for calls that parse text (contracts, arguments). */
typedef struct tt_error {
    int code;       /* 0 or a negative TT_E* code */
    int line;       /* 1-based; 0 when not known */
    int column;     /* 1-based; 0 when not known */
    char msg[512];  /* one line, no trailing newline: what was wrong and where */
} tt_error;

/* ===================================================================== */
/* Opaque types                                                          */
/* ===================================================================== */

typedef struct tt_catalyst tt_catalyst; /* the engine: Catalyst or Distiller */
typedef struct tt_tonic tt_tonic;       /* an actor (the catalyst is one too) */
typedef struct tt_timer tt_timer;       /* a timer; shares the id ledger */
typedef struct tt_contract tt_contract; /* a parsed Distiller contract */

/* ===================================================================== */
/* Values: typed sparkle arguments and probe values                      */
/* ===================================================================== */

typedef enum tt_type {
    TT_T_NONE = 0, /* "null": no value (Python None) */
    TT_T_INT,      /* int64_t */
    TT_T_DOUBLE,   /* double */
    TT_T_BOOL,     /* bool */
    TT_T_STR,      /* char *, owned (copied in) */
    TT_T_TONIC,    /* tt_tonic *: a tonic reference, JSON {"$liquid": NAME} */
    TT_T_TIMER,    /* tt_timer *: a timer reference, JSON {"$liquid": NAME} */
    TT_T_TIMERINFO,/* tt_timer *: timer callback info, JSON {"id":, "name":} */
    TT_T_PTR,      /* void *: opaque pointer, not owned */
    TT_T_LIST,     /* probe values only: a list of values */
    TT_T_MAP       /* probe values only: string keys to values, in order */
} tt_type;

typedef struct tt_value tt_value;
typedef struct tt_list {
    size_t n;
    tt_value *items;
} tt_list;
typedef struct tt_map {
    size_t n;
    char **keys;
    tt_value *vals;
} tt_map;

struct tt_value {
    tt_type type;
    union {
        int64_t i;
        double d;
        bool b;
        char *s;
        tt_tonic *tonic;
        tt_timer *timer;
        void *p;
        tt_list *list;
        tt_map *map;
    } u;
};

/* Constructors (no allocation: strings are copied when the value is queued). */
#define TT_NONE ((tt_value){.type = TT_T_NONE})
#define TT_INT(x) ((tt_value){.type = TT_T_INT, .u.i = (int64_t)(x)})
#define TT_DOUBLE(x) ((tt_value){.type = TT_T_DOUBLE, .u.d = (double)(x)})
#define TT_BOOL(x) ((tt_value){.type = TT_T_BOOL, .u.b = (bool)(x)})
#define TT_STR(x) ((tt_value){.type = TT_T_STR, .u.s = (char *)(x)})
#define TT_TONIC(x) ((tt_value){.type = TT_T_TONIC, .u.tonic = (x)})
#define TT_TIMER(x) ((tt_value){.type = TT_T_TIMER, .u.timer = (x)})
#define TT_PTR(x) ((tt_value){.type = TT_T_PTR, .u.p = (void *)(x)})

/* Deep copy src into *dst (strings, lists, maps duplicated). */
TT_EXTERN int tt_value_copy(tt_value *dst, const tt_value *src);
/* Free what a value owns (strings, lists, maps); the value becomes NONE. */
TT_EXTERN void tt_value_clear(tt_value *v);
/* Deep equality (ints and doubles compare by numeric value). */
TT_EXTERN bool tt_value_equal(const tt_value *a, const tt_value *b);
/* Lists and maps nest at most this deep (a scalar is depth 0, [1] depth 1):
 * every walk over a value (copy, freeze, JSON, equality, clear) recurses. */
#define TT_VALUE_DEPTH_MAX 64
/* Build list / map values (take ownership of nothing; copy items).
 * -TT_ERANGE when the result would nest deeper than TT_VALUE_DEPTH_MAX. */
TT_EXTERN int tt_value_list(tt_value *dst, const tt_value *items, size_t n);
TT_EXTERN int tt_value_map(tt_value *dst, const char *const *keys,
                           const tt_value *vals, size_t n);
/* Render as JSON text (as in traces) into buf; returns the length it needs. */
TT_EXTERN size_t tt_value_to_json(const tt_value *v, char *buf, size_t size);
/* Render as Python str() would (for contract reasons: "probe: x == 1"). */
TT_EXTERN size_t tt_value_to_text(const tt_value *v, char *buf, size_t size);
/* The name of a type as written in signatures: "int", "double", "bool",
 * "str", "tonic", "timer", "timerinfo", "ptr", "none", "list", "map". */
TT_EXTERN const char *tt_type_name(tt_type t);

/* Parse one argument of type `want` from text, as ttdb's `call` does:
 * ints (decimal, 0x.., with sign), doubles, true/false, strings (bare word or
 * "double-quoted" with C escapes), tonics by name or id (needs cat), none.
 * On error returns -TT_EARGTYPE and fills err (may be NULL). */
TT_EXTERN int tt_value_parse(tt_catalyst *cat, tt_type want, const char *text,
                             tt_value *out, tt_error *err);

/* ===================================================================== */
/* Tonic classes                                                         */
/* ===================================================================== */

/*
 * A tonic class is a table of handlers.  Each handler is an ordinary C function
 * named `CLASS_PREFIX[_STATE]__NAME` (PREFIX one of ttsc, ttse, tts, _tts,
 * _ttss) whose first parameter is `tt_tonic *self`, followed by the sparkle's
 * typed parameters.  TT_ON() stringizes the part after `CLASS_`, so the names in
 * a trace are the names in the source, and checks the function's prototype
 * against the listed parameter types at compile time:
 *
 *     static void Door_ttsc_locked__open(tt_tonic *self) { ... }
 *     static void Child_ttsc_ready__work(tt_tonic *self, int64_t x) { ... }
 *
 *     static const tt_handler door_handlers[] = {
 *         TT_ON(Door, ttsc_locked__open),
 *         TT_ON(Child, ttsc_ready__work, int64_t),
 *     };
 *
 * Parameter C types: int64_t, double, bool, const char *, tt_tonic *,
 * tt_timer * (a timer reference) and void *.  A timer callback takes
 * `const tt_timer_info *`.
 *
 * Interface names (`ttsc__open`), the state table (every STATE part, sorted)
 * and the per-state handler tables are derived when the first tonic of the
 * class is created.
 */
typedef void (*tt_fn)(void);
typedef struct tt_timer_info tt_timer_info;

#define TT_MAX_ARGS 8

typedef struct tt_handler {
    const char *name;    /* "ttsc_locked__open" */
    tt_fn fn;            /* the function, cast to tt_fn */
    uint8_t nargs;       /* parameters after self */
    uint8_t types[TT_MAX_ARGS]; /* tt_type of each */
    const char *function; /* the C function's name ("Door_ttsc_locked__open",
                             set by TT_ON); NULL: CLASS_NAME_name */
} tt_handler;

/* Maps a C parameter type to its tt_type code (via a null value of the type). */
#define TT__TYPECODE(T)                                                       \
    _Generic((T){0}, int64_t: TT_T_INT, double: TT_T_DOUBLE,                  \
             bool: TT_T_BOOL, const char *: TT_T_STR, char *: TT_T_STR,       \
             tt_tonic *: TT_T_TONIC, tt_timer *: TT_T_TIMER,                  \
             const tt_timer_info *: TT_T_TIMERINFO, void *: TT_T_PTR)

#define TT__NARGS(...) TT__NARGS_(__VA_OPT__(, ) __VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define TT__NARGS_(z, a, b, c, d, e, f, g, h, n, ...) n
#define TT__TYPES(...) TT__TYPES_N(TT__NARGS(__VA_ARGS__), __VA_ARGS__)
#define TT__TYPES_N(n, ...) TT__TYPES_N_(n, __VA_ARGS__)
#define TT__TYPES_N_(n, ...) TT__TYPES_##n(__VA_ARGS__)
#define TT__TYPES_0(...) {0}
#define TT__TYPES_1(a) {TT__TYPECODE(a)}
#define TT__TYPES_2(a, b) {TT__TYPECODE(a), TT__TYPECODE(b)}
#define TT__TYPES_3(a, b, c) {TT__TYPECODE(a), TT__TYPECODE(b), TT__TYPECODE(c)}
#define TT__TYPES_4(a, b, c, d)                                               \
    {TT__TYPECODE(a), TT__TYPECODE(b), TT__TYPECODE(c), TT__TYPECODE(d)}
#define TT__TYPES_5(a, b, c, d, e)                                            \
    {TT__TYPECODE(a), TT__TYPECODE(b), TT__TYPECODE(c), TT__TYPECODE(d),      \
     TT__TYPECODE(e)}
#define TT__TYPES_6(a, b, c, d, e, f)                                         \
    {TT__TYPECODE(a), TT__TYPECODE(b), TT__TYPECODE(c), TT__TYPECODE(d),      \
     TT__TYPECODE(e), TT__TYPECODE(f)}

/* Register `CLASS_fn` with parameter types `...` (none for a plain sparkle).
 * A prototype that does not match is a compile-time error (incompatible
 * pointer types in the conditional expression). */
#if defined(__GNUC__)
#define TT__SIGCHECK(CLASS, fn, ...)                                          \
    (0 * sizeof(struct {                                                      \
         int tt_;                                                             \
         _Static_assert(__builtin_types_compatible_p(                         \
                            __typeof__(&CLASS##_##fn),                        \
                            void (*)(tt_tonic * __VA_OPT__(, ) __VA_ARGS__)), \
                        "TT_ON(" #CLASS ", " #fn "): the function's "         \
                        "parameters differ from the listed types");           \
     }))
#else
#define TT__SIGCHECK(CLASS, fn, ...) 0
#endif
#define TT_ON(CLASS, fn, ...)                                                 \
    {#fn,                                                                     \
     (tt_fn)(1 ? CLASS##_##fn                                                 \
               : (void (*)(tt_tonic * __VA_OPT__(, ) __VA_ARGS__))0),         \
     TT__NARGS(__VA_ARGS__) + TT__SIGCHECK(CLASS, fn, __VA_ARGS__),           \
     TT__TYPES(__VA_ARGS__), #CLASS "_" #fn}

/* Probes: named values of a tonic, frozen before and after its sparkles. */
typedef enum tt_probe_kind {
    TT_PK_INT,    /* int field */
    TT_PK_I64,    /* int64_t field */
    TT_PK_DOUBLE, /* double field */
    TT_PK_BOOL,   /* bool field */
    TT_PK_STR,    /* char * field (NULL reads as none) */
    TT_PK_TONIC,  /* tt_tonic * field (NULL reads as none) */
    TT_PK_FN      /* computed by a callback */
} tt_probe_kind;

/* A probe callback fills *out with a value the caller will own: strings,
 * lists and maps freshly allocated (tt_value_copy, tt_value_list, strdup),
 * never pointers into the tonic's data.  Return false to say the tonic lacks
 * the probe right now (left out). */
typedef bool (*tt_probe_fn)(tt_tonic *self, tt_value *out);

typedef struct tt_probe_def {
    const char *name;
    tt_probe_kind kind;
    size_t offset;    /* of the field in the tonic's data struct */
    tt_probe_fn fn;   /* for TT_PK_FN */
} tt_probe_def;

#define TT__PKIND(S, f)                                                       \
    _Generic(((S *)0)->f, int: TT_PK_INT, int64_t: TT_PK_I64,                 \
             double: TT_PK_DOUBLE, bool: TT_PK_BOOL, char *: TT_PK_STR,       \
             const char *: TT_PK_STR, tt_tonic *: TT_PK_TONIC)
/* A field probe: TT_PROBE(DutData, cycle_count). The kind follows the type. */
#define TT_PROBE(S, f) {#f, TT__PKIND(S, f), offsetof(S, f), NULL}
/* A computed probe. */
#define TT_PROBE_FN(name, fn) {name, TT_PK_FN, 0, fn}

typedef struct tt_class {
    const char *name;          /* class name, as in "01.ClassName" */
    size_t data_size;          /* bytes of user data, zeroed; tt_data() */
    /* Called at creation (inside tt_tonic_new) with its `arg`; may be NULL. */
    void (*init)(tt_tonic *self, void *arg);
    /* Called when the catalyst is destroyed; may be NULL. */
    void (*destroy)(tt_tonic *self);
    const tt_handler *handlers;
    size_t n_handlers;
    const tt_probe_def *probes;
    size_t n_probes;
} tt_class;

#define TT_COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

/* Check a class table without a catalyst: names, duplicates, types. */
TT_EXTERN int tt_class_check(const tt_class *cls, tt_error *err);

/* ===================================================================== */
/* The catalyst                                                          */
/* ===================================================================== */

typedef enum tt_mode {
    TT_MODE_CATALYST = 0, /* production: real time, tt_catalyst_run */
    TT_MODE_DISTILLER     /* test engine: cranked with tt_distiller_sparkle */
} tt_mode;

/* Which semantics the runtime follows where C and Python deliberately differ
 * (doc/differences.md, differences 1 and 2). */
typedef enum tt_compat {
    TT_COMPAT_NATIVE = 0, /* the C semantics: in no state a state-aware
                             sparkle runs its generic handler; the catalyst
                             finishes when the last tonic has completed */
    TT_COMPAT_PYTHON      /* exactly as the Python TaskTonic: the last
                             state's handler; the catalyst finishes as soon
                             as every tonic left is one of its infusions */
} tt_compat;

typedef struct tt_catalyst_options {
    tt_mode mode;
    bool real_time;       /* distiller: wait in real time (default: virtual) */
    double wall_guard;    /* distiller: wall-clock seconds a run may take before
                             it stops with "timeout" (default 60; <0 = off) */
    size_t trace_ring;    /* distiller: bound the trace: keep the last N entries
                             at least, dropping whole chunks of 65536 from the
                             front (0 = keep all) */
    bool contain_crashes; /* distiller: turn SIGSEGV/SIGFPE/... in a sparkle into
                             a "crashed: ..." stop (the catalysts of one
                             thread at a time; another gets -TT_EBUSY); the
                             handlers are put back before each run where a
                             test framework replaced them */
    double watchdog;      /* distiller: seconds one sparkle may run (0 = off,
                             at most 1e6); needs contain_crashes */
    tt_compat compat;     /* TT_COMPAT_NATIVE (default) or TT_COMPAT_PYTHON */
    bool stop_on_error;   /* distiller: stop the run with "error: TONIC.SPARKLE:
                             MESSAGE" after a sparkle in which a library call
                             failed (tt_tonic_new, tt_timer_new); default off */
} tt_catalyst_options;

/* Create a catalyst; it becomes tonic id 0, "tt_main_catalyst", and queues its
 * own `_ttss__on_start` and `ttse__on_start`.  opts may be NULL (Catalyst). */
TT_EXTERN int tt_catalyst_new(tt_catalyst **out, const tt_catalyst_options *opts);
/* Destroy the catalyst, every tonic, timer and trace entry.  Each class's
 * destroy runs contained (contain_crashes), and a crash there goes unheard:
 * to hear it, call tt_catalyst_destroy_tonics first. */
TT_EXTERN void tt_catalyst_free(tt_catalyst *cat);
/* Run every tonic's class destroy now (newest tonic first, each once), as
 * tt_catalyst_free would, but keep the trace, runs and notes readable.
 * Afterwards nothing runs (-TT_ECATFINISHED) and the tonics' probes are
 * gone; tt_catalyst_free does not run destroy again.  Returns 0, or
 * -TT_ECRASHED with "crashed: SIGSEGV in CLASS destroy" (the first failure;
 * the other destroys still run) and the catalyst tainted. */
TT_EXTERN int tt_catalyst_destroy_tonics(tt_catalyst *cat);
/* The last detailed error message of this catalyst in the calling thread
 * ("" if none): like errno, each thread sees its own. */
TT_EXTERN const char *tt_catalyst_errmsg(const tt_catalyst *cat);
/* Choose the semantics (tt_compat) before the first sparkle runs;
 * -TT_EBUSY afterwards (setting the same mode again is fine). Virtual time
 * (deliberate difference 3) is kept in both modes. */
TT_EXTERN int tt_catalyst_set_compat(tt_catalyst *cat, tt_compat mode);
TT_EXTERN tt_compat tt_catalyst_compat(const tt_catalyst *cat);
/* The catalyst as a tonic (id 0). */
TT_EXTERN tt_tonic *tt_catalyst_tonic(tt_catalyst *cat);
/* True once the catalyst has run its `_ttss__on_completion`. */
TT_EXTERN bool tt_catalyst_finished(const tt_catalyst *cat);
/* Production loop: run until the catalyst finishes.  Returns 0, or
 * -TT_EBUSY (from inside a sparkle), -TT_ERECORDED (a loaded trace),
 * -TT_ECATFINISHED (the destroy code has run), -TT_ECRASHED (a sparkle
 * crashed, with contain_crashes: see tt_catalyst_record). */
TT_EXTERN int tt_catalyst_run(tt_catalyst *cat);
/* Ask a running tt_catalyst_run (from any thread) to finish the catalyst.
 * The stop overtakes the backlog: the catalyst's ttsc__finish is queued in
 * front of every pending order, the orders other threads posted that are
 * still in the inbox are dropped, and from then on posts from other threads
 * fail with -TT_ECATFINISHED (see TT_INBOX_MAX). */
TT_EXTERN int tt_catalyst_stop(tt_catalyst *cat);

/* The flight recorder (production Catalyst only).  Record every sparkle
 * tt_catalyst_run runs, with the fields of the Distiller's trace (tonic,
 * sparkle, args, source, cause, states, timestamps), keeping exactly the
 * last n (0 stops recording; changing n starts a new ring, what was
 * recorded stays readable with tt_trace_get).  The loop fills plain records
 * (no allocation; timed as tt_catalyst_record_clock says); they become
 * trace entries (tt_trace_get, tt_trace_last_seq) when asked for, on the
 * catalyst's thread between sparkles or after the run.  Cheap enough to leave on
 * (doc/performance.md).  While recording, the catalyst also counts
 * tt_tonic_stats over the whole run.
 * With contain_crashes, a sparkle that crashes is recorded with "ran":
 * "crashed" as the last entry and tt_catalyst_run returns -TT_ECRASHED
 * ("crashed: SIGSEGV in TONIC.SPARKLE"); the process cannot be trusted after
 * that: write the recording and exit.  Call before tt_catalyst_run or on its
 * thread, not inside a sparkle; -TT_EINVAL for a Distiller. */
TT_EXTERN int tt_catalyst_record(tt_catalyst *cat, size_t n);
/* The n of tt_catalyst_record (0: not recording). */
TT_EXTERN size_t tt_catalyst_record_size(const tt_catalyst *cat);
/* How the flight recorder times sparkles. */
typedef enum tt_record_clock {
    /* The default: every sparkle timed exactly, except in stretches where
     * sparkles shorter than a microsecond run back to back: there a thread
     * of the recorder reads the clock every 2 ms and the loop stamps each
     * record with that reading (one clock read would cost about a third of
     * such a sparkle).  Their entries get times spread evenly within the
     * tick; a sparkle that runs longer than two ticks among them is still
     * timed exactly at its end (its start at most a tick early), a shorter
     * one to a tick.  Timers fire on time either way. */
    TT_RECORD_CLOCK_AUTO = 0,
    /* Read the clock at every sparkle (exact durations; costs one clock
     * read a sparkle). */
    TT_RECORD_CLOCK_EXACT = 1,
    /* Stamp every sparkle with the thread's last reading (every 2 ms while
     * the catalyst runs): the cheapest, but every duration is known to a
     * tick only, a sparkle running long included. */
    TT_RECORD_CLOCK_TICK = 2,
} tt_record_clock;
/* Choose the recorder's clock: before tt_catalyst_run, or on the
 * catalyst's thread between two sparkles (tt_catalyst_request_call), when
 * it takes effect at once.  -TT_EINVAL for another value, -TT_EBUSY inside
 * a sparkle or from another thread while the catalyst runs. */
TT_EXTERN int tt_catalyst_record_clock(tt_catalyst *cat, tt_record_clock how);
/* A tonic's statistics, counted by the recording Catalyst over the whole
 * run (not only the entries the ring holds); all zero when it never ran
 * while recording. */
typedef struct tt_tonic_stats_info {
    uint64_t sparkles;      /* sparkles run (dead letters included) */
    uint64_t dead_letters;  /* orders that reached it unregistered */
    double busy;            /* seconds spent in its sparkles */
    double longest;         /* seconds of its longest sparkle */
} tt_tonic_stats_info;
TT_EXTERN int tt_tonic_stats(const tt_tonic *t, tt_tonic_stats_info *out);
/* Write exactly the last n recorded entries to path as one run dictionary
 * (the JSON `ttdb -trace` opens: status, "sparkle_trace", stop_condition
 * [why] (NULL: "recorded"), extensions on), through a temporary file renamed
 * into place.  On the catalyst's thread while it runs (between sparkles), or
 * when it does not run.  0, or -TT_EIO with the message in
 * tt_catalyst_errmsg. */
TT_EXTERN int tt_catalyst_write_record(tt_catalyst *cat, const char *path,
                                       const char *why);
/* Ask a running tt_catalyst_run (from any thread, not a signal handler) to
 * write the recording to path between two sparkles, with stop condition
 * "snapshot"; it keeps running.  Returns at once. */
TT_EXTERN int tt_catalyst_request_record(tt_catalyst *cat, const char *path);
/* Ask a running tt_catalyst_run (from any thread, not a signal handler) to
 * call fn(cat, ud) on its thread between two sparkles, e.g. to read tonics,
 * the queue and the recording for a live viewer (ttrun --listen).  Returns
 * at once (after a previous request was taken); fn must be quick and must
 * not block: the catalyst waits for it. */
TT_EXTERN int tt_catalyst_request_call(tt_catalyst *cat,
                                       void (*fn)(tt_catalyst *cat, void *ud),
                                       void *ud);
/* The signal of the contained crash that stopped tt_catalyst_run, else 0. */
TT_EXTERN int tt_catalyst_crash_signal(const tt_catalyst *cat);
/* Current time of the catalyst in seconds: virtual time for a virtual
 * distiller, else CLOCK_MONOTONIC seconds since creation. */
TT_EXTERN double tt_catalyst_now(const tt_catalyst *cat);

/* ===================================================================== */
/* Apps: loadable modules                                                */
/* ===================================================================== */

/* An app module exports its formula, through this macro:
 *     TT_FORMULA(cat) { tt_tonic_new(cat, &Door_class, "Door", NULL); return 0; }
 * The formula creates the starting tonics (source ["tt_main_catalyst",
 * "__formula__", 0] for what they queue) and returns 0 or a negative code.
 * The macro also exports `tt_module_abi`, the TT_ABI_VERSION of the header
 * the module was built against: tt_app_load refuses a module built against
 * another (or without one) in one line, "built against tasktonic ABI N, this
 * libtasktonic has M: rebuild the module", instead of misreading its tables.
 * TT_ABI_VERSION goes up whenever a struct a module hands the library
 * (tt_class, tt_handler, tt_probe_def, ...) changes its layout; 1 stands for
 * every module built before the version existed. */
#define TT_ABI_VERSION 2
#define TT_FORMULA_SYMBOL "tt_formula"
#define TT_ABI_SYMBOL "tt_module_abi"
typedef int (*tt_formula_fn)(tt_catalyst *cat);
#define TT_FORMULA(cat)                                                       \
    TT_EXTERN extern const int tt_module_abi;                                 \
    TT_EXTERN const int tt_module_abi = TT_ABI_VERSION;                       \
    TT_EXTERN int tt_formula(tt_catalyst *cat);                               \
    TT_EXTERN int tt_formula(tt_catalyst *cat)

/* Load an app module (a .so, or a libtool .la naming one) with dlopen.
 * On failure returns -TT_EDLOPEN or -TT_ENOFORMULA and a message in err. */
typedef struct tt_app tt_app;
TT_EXTERN int tt_app_load(const char *path, tt_app **out, tt_error *err);
/* Run the app's formula on cat; returns the formula's result. */
TT_EXTERN int tt_app_formula(tt_app *app, tt_catalyst *cat);
TT_EXTERN const char *tt_app_path(const tt_app *app);
/* Close the module.  A catalyst that created tonics of its classes holds it
 * loaded until tt_catalyst_free (it keeps pointers into it). */
TT_EXTERN void tt_app_close(tt_app *app);

/* ===================================================================== */
/* Tonics                                                                */
/* ===================================================================== */

/* Create a tonic of class cls.  Its base is the tonic whose sparkle is running
 * (it becomes that tonic's infusion), else the catalyst.  name NULL gives
 * "NN.ClassName".  Queues `_ttss__add_tonic_to_catalyst(id)`, `_ttss__on_start`,
 * `ttse__on_start`.  Returns NULL on error (see tt_catalyst_errmsg). */
TT_EXTERN tt_tonic *tt_tonic_new(tt_catalyst *cat, const tt_class *cls,
                                 const char *name, void *init_arg);
/* The user data block of the tonic (data_size bytes). */
TT_EXTERN void *tt_data(tt_tonic *t);
#define TT_DATA(T, self) ((T *)tt_data(self))
TT_EXTERN tt_catalyst *tt_tonic_catalyst(const tt_tonic *t);
TT_EXTERN const char *tt_tonic_name(const tt_tonic *t);
TT_EXTERN const char *tt_tonic_class_name(const tt_tonic *t);
/* Ledger id, or -1 once unregistered. */
TT_EXTERN int tt_tonic_id(const tt_tonic *t);
/* Unique creation number (never reused; the catalyst is 0). */
TT_EXTERN uint32_t tt_tonic_serial(const tt_tonic *t);
/* The base (creator) or NULL for the catalyst. */
TT_EXTERN tt_tonic *tt_tonic_base(const tt_tonic *t);
/* False for a tonic or timer read back from a trace that does not say its
 * base (tt_trace_load: a C trace names tonics only; the catalyst then
 * stands in as tt_tonic_base). */
TT_EXTERN bool tt_tonic_base_known(const tt_tonic *t);
TT_EXTERN bool tt_timer_base_known(const tt_timer *tm);
/* False for a timer read back from a trace that does not say its kind (a
 * C trace names timers only; tt_timer_get_kind then says single-shot).  A
 * trace never says a timer's period: tt_timer_period is NaN for them. */
TT_EXTERN bool tt_timer_kind_known(const tt_timer *tm);
TT_EXTERN size_t tt_tonic_infusion_count(const tt_tonic *t);
TT_EXTERN tt_tonic *tt_tonic_infusion(const tt_tonic *t, size_t i);
TT_EXTERN bool tt_tonic_finishing(const tt_tonic *t);
/* Current state index, -1 for none. */
TT_EXTERN int tt_tonic_state(const tt_tonic *t);
/* Current state name, "--" for none. */
TT_EXTERN const char *tt_tonic_state_name(const tt_tonic *t);
TT_EXTERN size_t tt_tonic_state_count(const tt_tonic *t);
/* State name by index, "--" for -1, NULL when out of range. */
TT_EXTERN const char *tt_tonic_state_at(const tt_tonic *t, int index);
/* Index of a state name or -TT_ENOSTATE. */
TT_EXTERN int tt_tonic_state_index(const tt_tonic *t, const char *state);

/* Interface sparkles of a tonic, sorted by name. */
TT_EXTERN size_t tt_tonic_sparkle_count(const tt_tonic *t);
TT_EXTERN const char *tt_tonic_sparkle_at(const tt_tonic *t, size_t i);
/* Parameter types of a sparkle; returns the count (or -TT_ENOSPARKLE). *min
 * gets the number of required parameters (trailing ones may be optional). */
TT_EXTERN int tt_tonic_sparkle_sig(const tt_tonic *t, const char *sparkle,
                                   const tt_type **types, int *min);
/* "ttsc__work(int x0)"-style text of the signature into buf. */
TT_EXTERN int tt_tonic_sparkle_sig_text(const tt_tonic *t, const char *sparkle,
                                        char *buf, size_t size);

/* Probe names of a tonic (class probes, then built-ins "finishing",
 * "infusions", and for the catalyst "tonics_sparkling"). */
TT_EXTERN size_t tt_tonic_probe_count(const tt_tonic *t);
TT_EXTERN const char *tt_tonic_probe_at(const tt_tonic *t, size_t i);
/* Read a probe's current value (deep copy into *out; tt_value_clear it).
 * -TT_ENOPROBE when the tonic lacks it. */
TT_EXTERN int tt_tonic_probe_read(tt_tonic *t, const char *probe, tt_value *out);

/* The handler sparkle has in state index `state` (-1: its generic one):
 * its entry in the class's handler table (name "ttsc_ready__work", function
 * "Child_ttsc_ready__work"); NULL when it has none there. */
TT_EXTERN const tt_handler *tt_tonic_handler(const tt_tonic *t,
                                             const char *sparkle, int state);
/* Whether the runtime implements the sparkle (ttsc__finish, _ttss__*: what
 * runs when the app has no handler for it). */
TT_EXTERN bool tt_tonic_sparkle_builtin(const tt_tonic *t, const char *sparkle);
/* The type of a field probe (TT_PROBE) in *type: 0, or -TT_ENOPROBE for an
 * unknown probe, -TT_EINVAL for one that cannot be written (computed by a
 * callback, or built in). */
TT_EXTERN int tt_tonic_probe_field_type(const tt_tonic *t, const char *probe,
                                        tt_type *type);
/* Write a field probe (a debugger's `set var`), only between sparkles on the
 * catalyst's thread.  -TT_EARGTYPE when v is not of the field's type,
 * -TT_ERANGE when it does not fit an int field, -TT_EINVAL for a computed
 * probe or a char * field (the app owns that memory). */
TT_EXTERN int tt_tonic_probe_write(tt_tonic *t, const char *probe,
                                   const tt_value *v);

/* Lookup. */
TT_EXTERN tt_tonic *tt_tonic_by_name(tt_catalyst *cat, const char *name);
TT_EXTERN tt_tonic *tt_tonic_by_id(tt_catalyst *cat, int id);
/* Every tonic ever created, by serial (0 = catalyst); finished ones included. */
TT_EXTERN size_t tt_tonic_count(const tt_catalyst *cat);
TT_EXTERN tt_tonic *tt_tonic_at(tt_catalyst *cat, size_t serial);

/* --- queuing sparkles ------------------------------------------------ */

/* Queue target.sparkle(args).  Never runs it.  The source is the sparkle that
 * is running on the catalyst's thread, else external [null, "", -1].
 * Arguments are checked against the registered signature (-TT_EARGCOUNT,
 * -TT_EARGTYPE; ints convert to double) and copied.  Safe from any thread.
 * -TT_ENOSPARKLE for an unknown name; -TT_ECATFINISHED after the catalyst
 * finished.  A tonic that has finished (been unregistered) still gets the
 * order, as in Python: it is a *dead letter*, traced with id -1 and
 * TT_EF_DROPPED (JSON "ran": "dropped") and never run; the call then returns
 * TT_DEAD_LETTER (positive: queued, but nobody will read it), with a message
 * in tt_catalyst_errmsg. */
#define TT_DEAD_LETTER 1
/* Backpressure on posts from other threads.  They go through an inbox that
 * holds at most TT_INBOX_MAX orders; the catalyst moves them to its queue
 * only while the queue holds fewer than TT_INBOX_MAX orders.  A post from
 * another thread that finds the inbox full blocks until there is room, for
 * at most TT_POST_WAIT seconds, then fails with -TT_EAGAIN (nothing queued:
 * try again later, or drop it).  After tt_catalyst_stop it fails at once
 * with -TT_ECATFINISHED.  Posts on the catalyst's own thread never block. */
#define TT_INBOX_MAX 65536
#define TT_POST_WAIT 1.0
TT_EXTERN int tt_post(tt_tonic *target, const char *sparkle,
                      const tt_value *args, size_t nargs);
/* The same with an explicit source label (ttdb uses "ttdb"): the source tonic
 * is null, the sparkle name `label`, the id -1.  From a thread other than the
 * catalyst's, only a label already used on the catalyst's thread is accepted
 * (-TT_EINVAL otherwise). */
TT_EXTERN int tt_post_from(tt_tonic *target, const char *sparkle,
                           const tt_value *args, size_t nargs,
                           const char *label);
/* Convenience: tt_send(target, "ttsc__work", TT_INT(21)). */
#define tt_send(target, sparkle, ...)                                         \
    tt_post((target), (sparkle), (const tt_value[]){TT_NONE __VA_OPT__(, ) __VA_ARGS__} + 1, \
            TT__NARGS(__VA_ARGS__))

/* Typed posters the compiler checks: TT_SPARKLE(Child, ttsc__work, int64_t)
 * defines `static inline int Child_send_ttsc__work(tt_tonic *t, int64_t a0)`. */
#define TT_SPARKLE(CLASS, iface, ...)                                         \
    TT__SPARKLE_N(TT__NARGS(__VA_ARGS__), CLASS, iface, __VA_ARGS__)
#define TT__SPARKLE_N(n, ...) TT__SPARKLE_N_(n, __VA_ARGS__)
#define TT__SPARKLE_N_(n, ...) TT__SPARKLE_##n(__VA_ARGS__)
#define TT__SPARKLE_0(C, s, ...)                                              \
    static inline int C##_send_##s(tt_tonic *t) { return tt_post(t, #s, NULL, 0); }
#define TT__SPARKLE_1(C, s, A)                                                \
    static inline int C##_send_##s(tt_tonic *t, A a0)                         \
    {                                                                         \
        tt_value v[1];                                                        \
        tt__value_of(&v[0], TT__TYPECODE(A), &a0);                            \
        return tt_post(t, #s, v, 1);                                          \
    }
#define TT__SPARKLE_2(C, s, A, B)                                             \
    static inline int C##_send_##s(tt_tonic *t, A a0, B a1)                   \
    {                                                                         \
        tt_value v[2];                                                        \
        tt__value_of(&v[0], TT__TYPECODE(A), &a0);                            \
        tt__value_of(&v[1], TT__TYPECODE(B), &a1);                            \
        return tt_post(t, #s, v, 2);                                          \
    }
#define TT__SPARKLE_3(C, s, A, B, D)                                          \
    static inline int C##_send_##s(tt_tonic *t, A a0, B a1, D a2)             \
    {                                                                         \
        tt_value v[3];                                                        \
        tt__value_of(&v[0], TT__TYPECODE(A), &a0);                            \
        tt__value_of(&v[1], TT__TYPECODE(B), &a1);                            \
        tt__value_of(&v[2], TT__TYPECODE(D), &a2);                            \
        return tt_post(t, #s, v, 3);                                          \
    }
/* Used by TT_SPARKLE: wrap a C object of type `type` at p into a value. */
TT_EXTERN void tt__value_of(tt_value *v, tt_type type, const void *p);

/* --- inside a sparkle -------------------------------------------------- */

/* Change state after the current sparkle (deferred extra sparkles).  An
 * unknown state, or the current one without force, is ignored (returns
 * -TT_ENOSTATE for unknown, 0 otherwise). */
TT_EXTERN int tt_to_state(tt_tonic *self, const char *state);
TT_EXTERN int tt_to_state_force(tt_tonic *self, const char *state);
/* Queue `ttsc__finish` on the tonic (unless it is already finishing). */
TT_EXTERN int tt_finish(tt_tonic *self);
/* Queue `ttsc__finish` on t with its base as source [base, "finish", id], as
 * the base's `_ttss__on_finished` would (what ttdb's `finish TONIC` does).
 * For a top-level tonic the base is the catalyst. */
TT_EXTERN int tt_finish_from_base(tt_tonic *t);
/* The tonic whose sparkle is running, NULL outside a sparkle. */
TT_EXTERN tt_tonic *tt_current(tt_catalyst *cat);

/* ===================================================================== */
/* Timers                                                                */
/* ===================================================================== */

typedef enum tt_timer_kind {
    TT_TIMER_SINGLE_SHOT, /* "ttTimerSingleShot": fires once, then finishes */
    TT_TIMER_REPEAT,      /* "ttTimerRepeat": fires every period */
    TT_TIMER_PAUSING      /* "ttTimerPausing": repeat that can pause/resume */
} tt_timer_kind;

/* What a timer callback receives. */
struct tt_timer_info {
    int id;
    const char *name;
    tt_timer *timer;
    unsigned long expired_count;
};

/* Create and start a timer owned by `base` (an infusion of it): `seconds`
 * from 0 (single shot) or above 0 up to 1e12.  name NULL
 * gives "NN.ttTimerSingleShot" etc.  The callback sparkle of base is
 * `sparkle` if given, else `ttse__on_<name>`, `ttse__on_tmr_<name>`,
 * `ttse__on_timer`, the first that exists.  It is queued with one timer-info
 * argument and source (<timer>, "expired", id).  Returns NULL on error. */
TT_EXTERN tt_timer *tt_timer_new(tt_tonic *base, tt_timer_kind kind,
                                 double seconds, const char *name,
                                 const char *sparkle);
TT_EXTERN int tt_timer_start(tt_timer *tm);
TT_EXTERN int tt_timer_stop(tt_timer *tm);
TT_EXTERN int tt_timer_restart(tt_timer *tm);
TT_EXTERN int tt_timer_set_period(tt_timer *tm, double seconds);
TT_EXTERN int tt_timer_pause(tt_timer *tm);  /* pausing timers only */
TT_EXTERN int tt_timer_resume(tt_timer *tm); /* pausing timers only */
/* Finish the timer: unregister it (it will not fire again), leave its base's
 * infusions and queue base._ttss__on_infusion_completed(timer) from the
 * current source, as Python's finish() does.  0 when already finished. */
TT_EXTERN int tt_timer_finish(tt_timer *tm);
TT_EXTERN int tt_timer_id(const tt_timer *tm); /* -1 once finished */
/* The info its callback gets: `id` is the id the timer had when it last
 * fired (stays valid after a single-shot timer finished). */
TT_EXTERN const tt_timer_info *tt_timer_get_info(const tt_timer *tm);
TT_EXTERN const char *tt_timer_name(const tt_timer *tm);
TT_EXTERN tt_timer_kind tt_timer_get_kind(const tt_timer *tm);
TT_EXTERN tt_tonic *tt_timer_base(const tt_timer *tm);
TT_EXTERN bool tt_timer_running(const tt_timer *tm);
TT_EXTERN bool tt_timer_paused(const tt_timer *tm);
/* Due time on the catalyst clock (tt_catalyst_now) */
TT_EXTERN double tt_timer_due(const tt_timer *tm);
TT_EXTERN double tt_timer_period(const tt_timer *tm);
/* Seq of the trace entry that last started, restarted, resumed or re-timed
 * the timer (the cause of its next callback); 0 when that was outside any
 * traced sparkle. */
TT_EXTERN uint64_t tt_timer_cause(const tt_timer *tm);
/* Every timer ever created, in creation order. */
TT_EXTERN size_t tt_timer_count(const tt_catalyst *cat);
TT_EXTERN tt_timer *tt_timer_at(tt_catalyst *cat, size_t i);

/* ===================================================================== */
/* The queue (read-only view, for debuggers)                             */
/* ===================================================================== */

/* One pending work order, in the order it will run. */
typedef struct tt_order_view {
    tt_tonic *tonic;
    const char *sparkle;
    const tt_value *args;
    size_t nargs;
    const char *src_tonic;   /* NULL for external */
    const char *src_sparkle; /* "" for external */
    int src_id;              /* -1 for external */
    uint64_t cause;          /* seq of the entry whose sparkle queued it (a
                                timer's: the entry that started it); 0 for an
                                input from outside or an untraced run */
} tt_order_view;

TT_EXTERN size_t tt_queue_length(const tt_catalyst *cat);
/* The i-th pending order (0 = next to run).  -TT_ERANGE past the end. */
TT_EXTERN int tt_queue_at(const tt_catalyst *cat, size_t i, tt_order_view *out);

/* ===================================================================== */
/* Contracts                                                             */
/* ===================================================================== */

/* Parse a contract (the Python dictionary as JSON).  Strict: an unknown key or
 * a wrong type is an error naming the key, its line and column and the nearest
 * valid key.  `origin` names the text in messages ("contract.json"). */
TT_EXTERN int tt_contract_parse(const char *json, const char *origin,
                                tt_contract **out, tt_error *err);
TT_EXTERN int tt_contract_load(const char *path, tt_contract **out, tt_error *err);
TT_EXTERN void tt_contract_free(tt_contract *c);
/* Build one in C (tonic NULL = the global level). */
TT_EXTERN tt_contract *tt_contract_new(void);
TT_EXTERN int tt_contract_set_timeout(tt_contract *c, double seconds);
#define TT_MATCH_ALL (-1)
TT_EXTERN int tt_contract_set_match_count(tt_contract *c, int n);
TT_EXTERN int tt_contract_add_probe(tt_contract *c, const char *tonic,
                                    const char *probe);
TT_EXTERN int tt_contract_add_till_state(tt_contract *c, const char *tonic,
                                         const char *state);
TT_EXTERN int tt_contract_add_till_sparkle(tt_contract *c, const char *tonic,
                                           const char *sparkle);
TT_EXTERN int tt_contract_add_stop_on_probe(tt_contract *c, const char *tonic,
                                            const char *probe,
                                            const tt_value *value);
/* The contract as JSON text (malloc'ed). */
TT_EXTERN char *tt_contract_to_json(const tt_contract *c);

/* ===================================================================== */
/* The Distiller                                                         */
/* ===================================================================== */

/* Arguments of one sparkle() call.  Zero means "not given". */
typedef struct tt_sparkle_args {
    long sparkle_count;          /* stop after N executed sparkles (extras
                                    count; never inside a transition) */
    double timeout;              /* seconds (virtual by default); default 3600 */
    const char *till_state_in;   /* comma-separated states: any tonic that just
                                    ran and is now in one of them */
    const char *till_sparkle_in; /* comma-separated sparkle names */
    const tt_contract *contract; /* may be NULL */
} tt_sparkle_args;

typedef struct tt_run tt_run;

/* Run the queue until a stop condition holds; *out (may be NULL) gets the run,
 * owned by the catalyst (its session history).  Returns 0, or -TT_EBUSY when
 * called from inside a sparkle, -TT_ENOTDISTILLER. After the catalyst finished
 * it returns 0 with a run whose status is "catalyst finished" and no trace. */
TT_EXTERN int tt_distiller_sparkle(tt_catalyst *cat, const tt_sparkle_args *args,
                                   const tt_run **out);
/* Queue ttsc__finish to the catalyst and to every registered tonic (external
 * source, as Python's finish_distiller does), then sparkle(args). */
TT_EXTERN int tt_distiller_finish(tt_catalyst *cat, const tt_sparkle_args *args,
                                  const tt_run **out);
/* Move virtual time forward by `seconds`, queuing timers that come due (in due
 * order).  Runs nothing.  -TT_ERANGE (virtual time stops where it got to)
 * when the timers queue more than a million orders; -TT_ERANGE (nothing
 * changes) when seconds is above 1e12 or virtual time would pass 1e13. */
TT_EXTERN int tt_distiller_advance(tt_catalyst *cat, double seconds);
/* Ask a running tt_distiller_sparkle to stop between two sparkles with stop
 * condition `interrupted` (async-signal-safe: only sets a flag).  A request
 * made just before a run starts stops that run after its first sparkle; the
 * flag is cleared when a run ends. */
TT_EXTERN void tt_distiller_interrupt(tt_catalyst *cat);
/* Stop the sparkle that is running now and end the run with stop condition
 * `interrupted: TONIC.SPARKLE did not return` (async-signal-safe: for a
 * second Ctrl-C).  Needs contain_crashes; the catalyst becomes tainted.
 * Does nothing between two sparkles. */
TT_EXTERN void tt_distiller_abort(tt_catalyst *cat);
/* Change the per-sparkle watchdog (seconds, 0 = off) of a distiller that
 * contains crashes.  -TT_EINVAL otherwise. */
TT_EXTERN int tt_distiller_set_watchdog(tt_catalyst *cat, double seconds);
/* Hook called after every executed sparkle (extras included), before the stop
 * conditions.  Return a non-NULL string to stop the run with that stop
 * condition (copied): ttdb's breakpoints.  NULL hook removes it. */
typedef const char *(*tt_step_hook)(void *ud, tt_catalyst *cat,
                                    uint64_t seq);
TT_EXTERN void tt_distiller_set_hook(tt_catalyst *cat, tt_step_hook hook, void *ud);
/* Hook called before each queued order runs (the extra sparkles of a
 * state change excepted), with that order, still at the head of the queue
 * (tt_queue_at(cat, 0, ...) gives the same view).  Return a non-NULL
 * string to stop the run before it, with that stop condition (copied):
 * ttdb's breakpoints on a handler.  NULL hook removes it. */
typedef const char *(*tt_order_hook)(void *ud, tt_catalyst *cat,
                                     const tt_order_view *next);
TT_EXTERN void tt_distiller_set_order_hook(tt_catalyst *cat,
                                           tt_order_hook hook, void *ud);
/* Run fn(ud), code that is not the library's (a module's constructors in
 * dlopen, an exporter, a callback), under cat's crash containment as a
 * sparkle runs: a fatal signal, the watchdog, tt_distiller_abort or
 * tt_guard_exit ends it.  Returns 0 when fn returned, else -TT_ECRASHED with
 * one line naming `what` in tt_catalyst_errmsg ("crashed: SIGSEGV in WHAT",
 * "exited: 3 in WHAT", "watchdog: WHAT ran longer than Ns", "interrupted:
 * WHAT did not return"), and the catalyst becomes tainted.  Without
 * contain_crashes, or on another thread, fn runs unguarded.  The library
 * guards the formula, probe callbacks and class init/destroy itself. */
TT_EXTERN int tt_guard_run(tt_catalyst *cat, const char *what, void (*fn)(void *),
                           void *ud);
/* For a program's own exit(): when the calling thread runs guarded app code
 * (a sparkle, the formula, a callback), leave it at once, reported as
 * "exited: STATUS in ..." (the run stops); otherwise return, and the caller
 * exits.  ttdb defines exit() this way, so a sparkle cannot end it. */
TT_EXTERN void tt_guard_exit(int status);
/* Stop a run with "error: TONIC.SPARKLE: MESSAGE" after a sparkle in which a
 * library call failed (TT_EF_ERROR), or not (the default; also set by
 * tt_catalyst_options.stop_on_error). */
TT_EXTERN int tt_distiller_set_stop_on_error(tt_catalyst *cat, bool on);
/* True after a contained crash or watchdog stop, until the catalyst is freed. */
TT_EXTERN bool tt_distiller_tainted(const tt_catalyst *cat);

/* Checkpoints: a Distiller's state at one moment, copied in the process, to
 * go back to it without a replay from the start.  A checkpoint holds the
 * virtual clock, ids, queue (values deep-copied), timers, every tonic's
 * fields, infusions and data block (data_size bytes), lints, the number of
 * runs and notes and the trace's end (the trace before it stays); with app, also the writable static
 * data of its module (a restore writes it back at the same addresses, so
 * the module must stay loaded).  Memory the app allocates itself is not in
 * it: whoever relies on a restore compares what it runs next with what it
 * recorded (ttdb does).  Between sparkles only (-TT_EBUSY inside one or
 * while the extra sparkles of a state change are pending); -TT_ENOMEM. */
typedef struct tt_checkpoint tt_checkpoint;
TT_EXTERN int tt_checkpoint_take(tt_catalyst *cat, const tt_app *app,
                                 tt_checkpoint **out);
/* Put cat back to ck: the trace cut after ck's seq, runs and notes after it
 * dropped (the newest run cut to its entries then), tonics and timers
 * created after it freed (their class destroy runs, contained), everything
 * else as it was.  Checkpoints taken after ck's seq no longer belong to cat
 * (free them).  -TT_EINVAL for one that does not belong to cat, -TT_ENOMEM;
 * cat is unchanged then. */
TT_EXTERN int tt_checkpoint_restore(tt_catalyst *cat, const tt_checkpoint *ck);
/* The seq of the last entry the checkpoint holds (0: before the first). */
TT_EXTERN uint64_t tt_checkpoint_seq(const tt_checkpoint *ck);
/* The bytes it takes. */
TT_EXTERN size_t tt_checkpoint_bytes(const tt_checkpoint *ck);
TT_EXTERN void tt_checkpoint_free(tt_checkpoint *ck);
/* Call fn between sparkles once the trace has reached entry `at`: at the
 * end of a pass of the run loop, after a whole state change, where a
 * checkpoint can be taken; fn returns the seq of the next call (UINT64_MAX:
 * none).  Unlike the step hook it keeps the Distiller's fast path.  fn NULL:
 * off. */
typedef uint64_t (*tt_seq_hook)(void *ud, tt_catalyst *cat, uint64_t seq);
TT_EXTERN void tt_distiller_set_seq_hook(tt_catalyst *cat, uint64_t at, tt_seq_hook fn,
                                         void *ud);
/* Join the newest run into the one before it, which it continues (a run
 * resumed after a restore): entries, end, stop conditions and contract
 * details become the newest's.  0 or -TT_EINVAL (not contiguous). */
TT_EXTERN int tt_run_join_last(tt_catalyst *cat);
/* Make the next tt_distiller_sparkle / tt_distiller_finish continue the
 * newest run instead of starting one (a run resumed after a restore): its
 * first entry and entries stay, its end (stop conditions, contract details,
 * status) is the new call's, and its wall-clock time leaves out the pause
 * (the start moves by the time since the end it had).  Unlike a join afterwards, a
 * checkpoint taken meanwhile already sees the one run.  0, or -TT_EINVAL
 * (no run, or it does not end where the trace does). */
TT_EXTERN int tt_run_resume_last(tt_catalyst *cat);

/* ===================================================================== */
/* Traces and runs                                                       */
/* ===================================================================== */

enum {
    TT_EF_SPARKLING = 1 << 0, /* at_exit.sparkling */
    TT_EF_EXTRA = 1 << 1,     /* an extra sparkle of a state change */
    TT_EF_IGNORED = 1 << 2,   /* recorded but not run (tonic finishing,
                                 refused ttsc__finish) */
    TT_EF_NOHANDLER = 1 << 3, /* no handler in this state: traced no-op */
    TT_EF_CRASHED = 1 << 4,   /* the sparkle crashed or was stopped by the
                                 watchdog */
    TT_EF_DROPPED = 1 << 5,   /* a dead letter: the tonic had been
                                 unregistered (id -1), nothing ran */
    TT_EF_NOTE = 1 << 6,      /* the library refused something the sparkle
                                 asked for: see tt_entry_note */
    TT_EF_ERROR = 1 << 7      /* ... and it was an error (a failed
                                 tt_tonic_new / tt_timer_new), which stops the
                                 run when stop_on_error is on */
};

/* One executed sparkle, 64 bytes.  Names are resolved with the functions
 * below.  What is rare or implied by the entry's place in the trace is kept
 * out of line: read the sequence number, the cause, the exit time and the
 * probe snapshots with tt_entry_seq, tt_entry_cause, tt_entry_t_exit and
 * tt_entry_probes_enter / _exit.  Entries are only valid where the trace
 * keeps them (tt_trace_get): those accessors do not work on a copy. */
typedef struct tt_trace_entry {
    int32_t id;             /* tonic id when it started (-1: unregistered) */
    uint32_t tonic;         /* tonic serial (tt_tonic_at) */
    uint32_t sparkle;       /* name id (tt_name) */
    int32_t src_id;         /* source id, -1 external */
    uint32_t src_obj;       /* source object: TT_SRC_NONE, tonic serial, or
                               TT_SRC_TIMER | timer index */
    uint32_t src_sparkle;   /* name id of the source sparkle ("" external) */
    int16_t state_enter;    /* state index at enter / exit (-1 none) */
    int16_t state_exit;
    uint16_t flags;         /* TT_EF_* */
    uint16_t nargs;
    uint32_t cause_back;    /* private: use tt_entry_cause() */
    uint32_t exit_ulps;     /* private: use tt_entry_t_exit() */
    double t_enter;         /* wall clock, seconds since the epoch */
    double vt;              /* catalyst time (virtual) at enter */
    tt_value *args;
} tt_trace_entry;

/* The entry's number in the session-wide trace, from 1. */
TT_EXTERN uint64_t tt_entry_seq(const tt_trace_entry *e);
/* Wall clock at exit, seconds since the epoch. */
TT_EXTERN double tt_entry_t_exit(const tt_trace_entry *e);
/* The probes taken at enter / exit, NULL when none were taken. */
TT_EXTERN const tt_map *tt_entry_probes_enter(const tt_trace_entry *e);
TT_EXTERN const tt_map *tt_entry_probes_exit(const tt_trace_entry *e);

#define TT_SRC_NONE 0xffffffffu
#define TT_SRC_TIMER 0x80000000u

/* An interned name by id. */
TT_EXTERN const char *tt_name(const tt_catalyst *cat, uint32_t id);
/* The entry's tonic / source names. */
TT_EXTERN const char *tt_entry_tonic_name(const tt_catalyst *cat, const tt_trace_entry *e);
TT_EXTERN const char *tt_entry_sparkle_name(const tt_catalyst *cat, const tt_trace_entry *e);
/* NULL for an external source. */
TT_EXTERN const char *tt_entry_source_name(const tt_catalyst *cat, const tt_trace_entry *e);
TT_EXTERN const char *tt_entry_source_sparkle(const tt_catalyst *cat, const tt_trace_entry *e);
/* The entry's cause: the seq of the entry whose sparkle queued it, 0 for an
 * input from outside (a post from outside any sparkle, another thread, the
 * formula, tt_distiller_advance's timers started outside sparkles).  A timer's
 * callback has the entry that started (or last restarted, resumed or re-timed)
 * the timer; the extra sparkles of a state change have the entry that
 * changed the state.  A cause is always older than its entry. */
TT_EXTERN uint64_t tt_entry_cause(const tt_trace_entry *e);
/* State names ("--" for -1). */
TT_EXTERN const char *tt_entry_state_enter(const tt_catalyst *cat, const tt_trace_entry *e);
TT_EXTERN const char *tt_entry_state_exit(const tt_catalyst *cat, const tt_trace_entry *e);

/* What the library refused inside this entry's sparkle, NULL when nothing
 * (TT_EF_NOTE): "to_state: no state 'ajar'" for a to_state to a state the
 * class lacks (ignored, as in Python), "tt_timer_new: MESSAGE" and
 * "tt_tonic_new: MESSAGE" for a creation that failed (those also set
 * TT_EF_ERROR).  Several are joined with "; ".  JSON extension "note". */
TT_EXTERN const char *tt_entry_note(const tt_catalyst *cat, const tt_trace_entry *e);

/* Session-wide trace: entries seq first..last (first > 1 once a trace ring
 * has dropped old ones). */
TT_EXTERN uint64_t tt_trace_first_seq(const tt_catalyst *cat);
TT_EXTERN uint64_t tt_trace_last_seq(const tt_catalyst *cat); /* 0 = empty */
/* The entry with number seq, NULL if dropped or not yet run. */
TT_EXTERN const tt_trace_entry *tt_trace_get(const tt_catalyst *cat, uint64_t seq);
/* Bytes the trace holds (entries, args, probe snapshots). */
TT_EXTERN size_t tt_trace_memory(const tt_catalyst *cat);

/* Runs: one per tt_distiller_sparkle call, the session's history. */
TT_EXTERN size_t tt_run_count(const tt_catalyst *cat);
TT_EXTERN const tt_run *tt_run_at(const tt_catalyst *cat, size_t i);
TT_EXTERN uint64_t tt_run_first_seq(const tt_run *r); /* first entry */
TT_EXTERN uint64_t tt_run_entry_count(const tt_run *r); /* entries */
/* "running" or "catalyst finished". */
TT_EXTERN const char *tt_run_status(const tt_run *r);
/* Stop conditions in order ("timeout", "state_trigger: [open]", ...).
 * A run that had none (never the case) returns 0. */
TT_EXTERN size_t tt_run_stop_count(const tt_run *r);
TT_EXTERN const char *tt_run_stop_at(const tt_run *r, size_t i);
/* Replace the stop conditions of run i with stops[0..n) (n >= 1): a replay
 * of a session puts back what stopped the run it repeats.  0, -TT_EINVAL
 * (no run i, n == 0) or -TT_ENOMEM (the run unchanged). */
TT_EXTERN int tt_run_set_stops(tt_catalyst *cat, size_t i,
                               const char *const *stops, size_t n);
/* How a run ended, copied: its stop conditions, contract details, status,
 * wall-clock start and end (tt_run_start/_end) and virtual end time.  A
 * replay of a session takes it from each run and puts it back on the run
 * that repeats it (tt_run_set_outcome), or on an empty run for one in which
 * nothing ran (tt_run_add_empty).  NULL without memory (or for r NULL);
 * free with tt_run_outcome_free. */
typedef struct tt_run_outcome tt_run_outcome;
TT_EXTERN tt_run_outcome *tt_run_outcome_take(const tt_run *r);
TT_EXTERN void tt_run_outcome_free(tt_run_outcome *o);
/* Give run i of cat the end o records (its entries and virtual start
 * stay).  0, -TT_EINVAL (no run i, o NULL) or -TT_ENOMEM (the run
 * unchanged). */
TT_EXTERN int tt_run_set_outcome(tt_catalyst *cat, size_t i, const tt_run_outcome *o);
/* Append a run in which nothing ran, at the virtual time now, ending as o
 * records (a run of no sparkle cannot be repeated by running: a run stops
 * after its first sparkle at the earliest).  Nothing else changes.  0,
 * -TT_EINVAL (o NULL, or from a run of entries), -TT_ENOMEM (nothing
 * appended). */
TT_EXTERN int tt_run_add_empty(tt_catalyst *cat, const tt_run_outcome *o);
/* Whether the run has a trace (false: sparkle() after the catalyst finished). */
TT_EXTERN bool tt_run_has_trace(const tt_run *r);
TT_EXTERN double tt_run_start(const tt_run *r); /* wall, epoch seconds */
TT_EXTERN double tt_run_end(const tt_run *r);
TT_EXTERN double tt_run_vt_start(const tt_run *r); /* virtual */
TT_EXTERN double tt_run_vt_end(const tt_run *r);
/* Contract details: false when the contract was not met. */
TT_EXTERN bool tt_run_contract_met(const tt_run *r, int *match_count,
                                   int *target_count);
/* Matched tonics, in the contract's order, with their reasons. */
TT_EXTERN size_t tt_run_matched_count(const tt_run *r);
TT_EXTERN const char *tt_run_matched_tonic(const tt_run *r, size_t i);
TT_EXTERN size_t tt_run_matched_reason_count(const tt_run *r, size_t i);
TT_EXTERN const char *tt_run_matched_reason(const tt_run *r, size_t i, size_t j);

/* --- writers ---------------------------------------------------------- */

enum {
    TT_JSON_EXTENSIONS = 1 << 0, /* add "seq", "vt", "cause", "ran" to entries */
    TT_JSON_PRETTY = 1 << 1      /* one entry per line */
};
/* Stream one run as the Python Distiller's dictionary. */
TT_EXTERN int tt_run_write_json(const tt_catalyst *cat, const tt_run *r,
                                FILE *f, unsigned flags);
/* The whole session as a JSON array of run dictionaries. */
TT_EXTERN int tt_session_write_json(const tt_catalyst *cat, FILE *f, unsigned flags);
/* One entry as a JSON object (the sparkle_trace item). */
TT_EXTERN int tt_entry_write_json(const tt_catalyst *cat, const tt_trace_entry *e,
                                  FILE *f, unsigned flags);
/* --- reading traces back (post-mortem) -------------------------------- */

/* Open a trace file as a catalyst that holds it: one run dictionary (ttdb's
 * `export -last`, a `ttrun --record` recording, the dictionary the Python
 * Distiller's sparkle() returns), or a JSON list of them (a session).  Tonics
 * and timers are rebuilt from the entries (Python's str() of one,
 * "<ID[01]B[00] DUT MyDevice>", reads back as a reference), with their last
 * states; runs, stop conditions and entries are as in the file; nothing is
 * queued.  Everything that would run something on it (tt_distiller_*,
 * tt_catalyst_run) fails with -TT_ERECORDED.
 * Returns 0, -TT_EIO (cannot read), -TT_EJSON (not JSON, or not a trace: err
 * names the file, line, column and what was expected), -TT_ENOMEM.  A file
 * cut short is opened up to its last whole entry: then 0 with err->code 0
 * and a warning in err->msg (empty otherwise). */
TT_EXTERN int tt_trace_load(const char *path, tt_catalyst **out, tt_error *err);
/* The same from len bytes of text; `origin` names it in messages. */
TT_EXTERN int tt_trace_parse(const char *text, size_t len, const char *origin,
                             tt_catalyst **out, tt_error *err);
/* Append entries to a catalyst made by tt_trace_load / tt_trace_parse, as
 * if its last run had gone on (a live viewer's stream: ttdb -attach).  text
 * is a JSON list of entries or a run dictionary (its "sparkle_trace", and
 * its "status", "end@" and "vt_end" when present), in the format
 * tt_trace_parse reads.  Tonics and timers new to the trace are made, a
 * class that meets a new state gains it (the trace's state indices are
 * translated; lints are computed again when next asked for).  When the
 * first entry has a "seq", it must be the trace's last seq + 1 (for an
 * empty trace any seq from 1 to 2^52 - 1): else -TT_ERANGE and nothing
 * changes (entries were lost: parse the whole again).  keep > 0 bounds the
 * trace from then on:
 * it holds the last keep entries, older ones are forgotten (tt_trace_get
 * gives NULL for them; their memory is freed in whole chunks of 65536, as
 * with tt_catalyst_options.trace_ring); 0 keeps all.  Returns 0,
 * -TT_EINVAL (cat is not a recorded trace), -TT_EJSON (err names the
 * origin, line, column and what was expected; nothing changes),
 * -TT_ERANGE, -TT_ENOMEM (the entries before the one that failed are
 * appended; the one that failed may be there in part: parse the whole
 * again).  Costs what parsing the new entries costs, whatever the size
 * of the trace (but for a new state: one pass over the trace). */
TT_EXTERN int tt_trace_append(tt_catalyst *cat, const char *text, size_t len,
                              const char *origin, size_t keep, tt_error *err);
/* True for a catalyst made by tt_trace_load / tt_trace_parse. */
TT_EXTERN bool tt_catalyst_recorded(const tt_catalyst *cat);

/* A readable report like Python's stat_print. */
TT_EXTERN int tt_run_write_text(const tt_catalyst *cat, const tt_run *r, FILE *f);
/* One line "seq tonic.sparkle(args) <- source  state -> state" into buf. */
TT_EXTERN size_t tt_entry_format(const tt_catalyst *cat, const tt_trace_entry *e,
                                 char *buf, size_t size);

/* ===================================================================== */
/* Lints: what the trace shows went wrong                                */
/* ===================================================================== */

/*
 * Faults a program hides, found in its trace: a sparkle sent to a tonic that
 * had finished, a to_state the class cannot honour, a sparkle that hogged
 * the catalyst, ...  Computed from the trace incrementally (each entry is
 * looked at once, in O(1) amortised, when lints are first asked for and
 * then as new entries come), so they work the same on a Distiller, on the
 * flight recorder's catalyst and on a trace read back (tt_trace_load: all
 * but queue growth, which a trace file does not hold; a trace the Python
 * Distiller wrote has no "ran" marks, so there dead letters show by their
 * id -1, and ignored finishes and missing handlers do not show).  Once asked for, they
 * also keep up with a trace ring that drops old entries; before that, only
 * what the ring still holds is looked at.  Call them on the catalyst's
 * thread (or while it does not run), like the other trace readers.
 *
 *     for (size_t i = 0, n = tt_lint_count(cat); i < n; i++) {
 *         tt_lint l;
 *         tt_lint_get(cat, i, &l);
 *         printf("%s: %s (#%llu)\n", tt_lint_kind_name(l.kind), l.message,
 *                (unsigned long long)l.seqs[0]);
 *     }
 */
typedef enum tt_lint_kind {
    TT_LINT_UNKNOWN_STATE,  /* error: a to_state to a state the class lacks
                               (ignored; the entry's note says so), by tonic,
                               sparkle and state */
    TT_LINT_DEAD_LETTER,    /* error: a user sparkle queued to a tonic that
                               had finished (TT_EF_DROPPED, id -1), or that
                               reached it while it was finishing (ignored,
                               TT_EF_IGNORED: a separate lint, "... while T
                               was finishing"), by tonic and sparkle, with
                               the sender; the runtime's own _tt* sparkles
                               of a teardown are not counted */
    TT_LINT_FINISH_IGNORED, /* warning: ttsc__finish from a stranger or from
                               outside (only the tonic itself or its base may
                               finish it), not a repeated finish of a tonic
                               already finishing */
    TT_LINT_STUCK_TONIC,    /* warning: a tonic in a state whose own timers
                               fired more than the threshold (default 100)
                               times without a state change */
    TT_LINT_GIANT_SPARKLE,  /* warning: a handler ran longer than the
                               threshold (default 0.05 s) by the wall clock:
                               the entry's exit minus enter timestamps, real
                               time even under virtual time; a crashed or
                               stopped sparkle is not counted */
    TT_LINT_NO_HANDLER,     /* note: a user sparkle (not ttse__ events, not
                               _tt* system ones) that found no handler in the
                               tonic's state, unless that state changed after
                               it was queued (a message that crossed a state
                               change on purpose) */
    TT_LINT_QUEUE_GROWTH    /* note: the queue's high-water mark, when it is
                               above the threshold (default 1000 pending
                               orders), and the entry after which it was
                               reached */
} tt_lint_kind;

typedef enum tt_lint_severity {
    TT_LINT_NOTE = 0,
    TT_LINT_WARNING = 1,
    TT_LINT_ERROR = 2
} tt_lint_severity;

/* Entry numbers a lint keeps (the first ones; giant sparkles: the longest). */
#define TT_LINT_SEQS 8

typedef struct tt_lint {
    tt_lint_kind kind;
    tt_lint_severity severity;
    const char *tonic;      /* the tonic it is about (NULL: queue growth) */
    const char *sparkle;    /* its sparkle (NULL: stuck tonic, queue growth) */
    const char *state;      /* unknown-state: the state asked for; no-handler
                               and stuck-tonic: the tonic's state; else NULL */
    const char *message;    /* one line saying what happened */
    const uint64_t *seqs;   /* entries that show it, oldest first (giant: the
                               longest first; stuck: the first and the last
                               callback of the longest streak) */
    size_t n_seqs;          /* at most TT_LINT_SEQS */
    uint64_t last_seq;      /* the latest entry that shows it */
    uint64_t count;         /* times it happened (stuck: streaks) */
    double value;           /* giant: the longest, in seconds; stuck: the
                               longest streak; queue growth: the high-water
                               mark; else 0 */
} tt_lint;

/* Look at the entries written since the last call (the first call starts
 * the lints).  0, -TT_EINVAL, or -TT_ENOMEM: the lints are as they were and
 * the next call tries again. */
TT_EXTERN int tt_lint_update(tt_catalyst *cat);
/* tt_lint_update, then the number of lints (what is known without memory). */
TT_EXTERN size_t tt_lint_count(tt_catalyst *cat);
/* The i-th lint, most serious first (by severity, then kind in the order of
 * tt_lint_kind, the longest giant or else the oldest first).  Its strings
 * and seqs stay valid until the next tt_lint_* call or tt_catalyst_free.
 * 0, -TT_ERANGE (i >= tt_lint_count), -TT_EINVAL, -TT_ENOMEM. */
TT_EXTERN int tt_lint_get(tt_catalyst *cat, size_t i, tt_lint *out);
/* The threshold of a kind that has one: TT_LINT_GIANT_SPARKLE (seconds,
 * default 0.05), TT_LINT_STUCK_TONIC (timer callbacks, default 100),
 * TT_LINT_QUEUE_GROWTH (pending orders, default 1000).  It applies to the
 * entries looked at from then on: set it before the first run to cover the
 * whole session.  -TT_EINVAL for another kind or a value < 0. */
TT_EXTERN int tt_lint_set_threshold(tt_catalyst *cat, tt_lint_kind kind, double value);
/* The current threshold of a kind (-1 for a kind without one). */
TT_EXTERN double tt_lint_threshold(const tt_catalyst *cat, tt_lint_kind kind);
/* "unknown-state", "dead-letter", "finish-ignored", "stuck-tonic",
 * "giant-sparkle", "no-handler", "queue-growth". */
TT_EXTERN const char *tt_lint_kind_name(tt_lint_kind kind);
/* "error", "warning", "note". */
TT_EXTERN const char *tt_lint_severity_name(tt_lint_severity s);

/* ===================================================================== */
/* Test helpers: load an app, check what a run left                      */
/* ===================================================================== */

/*
 * For tests written against the library (and the ones `save-test` writes).
 * Each tt_expect_* returns 0 when the expectation holds, else -TT_EEXPECT
 * with one line in err->msg saying what was found instead, e.g.
 * "Light: state is 'green', expected 'red'"; err may be NULL.  With cmocka:
 *
 *     static tt_error err;
 *     #define EXPECT(call) do { if ((call) < 0) fail_msg("%s", err.msg); } while (0)
 *
 *     EXPECT(tt_app_start("traffic_light.la", NULL, &app, &cat, &err));
 *     tt_sparkle_args args = {.till_state_in = "green"};
 *     assert_int_equal(tt_distiller_sparkle(cat, &args, &run), 0);
 *     EXPECT(tt_expect_stop(run, "state_trigger: [green]", &err));
 *     EXPECT(tt_expect_probe(cat, "Light", "cycles", &TT_INT(0), &err));
 *     tt_app_end(app, cat);
 */

/* Load the module at path (tt_app_load), create a Distiller with opts (NULL:
 * virtual time, defaults; the mode is always TT_MODE_DISTILLER) and run the
 * formula: nothing has run yet.  On error *app and *cat are NULL and err
 * says why (the module, the catalyst or the formula). */
TT_EXTERN int tt_app_start(const char *path, const tt_catalyst_options *opts,
                           tt_app **app, tt_catalyst **cat, tt_error *err);
/* Free the catalyst, then close the app (either may be NULL). */
TT_EXTERN void tt_app_end(tt_app *app, tt_catalyst *cat);
/* Whether one of the run's stop conditions contains text: as Python's
 * `'contract_met' in trace['stop_condition']`, but "state_trigger" also
 * matches "state_trigger: [red]". */
TT_EXTERN bool tt_run_stopped_on(const tt_run *r, const char *text);
/* The same as an expectation: "the run stopped on 'idle', expected ...". */
TT_EXTERN int tt_expect_stop(const tt_run *r, const char *text, tt_error *err);
/* The tonic (by name) is in the state ("--" for none). */
TT_EXTERN int tt_expect_state(tt_catalyst *cat, const char *tonic,
                              const char *state, tt_error *err);
/* The probe's current value equals want (tt_value_equal: 1 == 1.0; a tonic
 * reference equals its JSON {"$liquid": NAME}). want NULL means none. */
TT_EXTERN int tt_expect_probe(tt_catalyst *cat, const char *tonic,
                              const char *probe, const tt_value *want,
                              tt_error *err);
/* The same with the value as JSON text, as traces show it: "3", "[1, 2]",
 * "{\"k\": \"v\"}", "null".  -TT_EJSON when json is not JSON. */
TT_EXTERN int tt_expect_probe_json(tt_catalyst *cat, const char *tonic,
                                   const char *probe, const char *json,
                                   tt_error *err);
/* The run executed sparkle (full interface name) on tonic (NULL: any). */
TT_EXTERN int tt_expect_ran(tt_catalyst *cat, const tt_run *r,
                            const char *tonic, const char *sparkle,
                            tt_error *err);
/* An entry in the normalised form of golden traces (README): no times, no
 * source, arguments as a JSON list, tonics and timers by name:
 * `Light.ttse__on_timer [{"id": 2, "name": "02.ttTimerSingleShot"}]`.
 * Writes into buf (may be NULL) and returns the length it needs. */
TT_EXTERN size_t tt_entry_golden_text(const tt_catalyst *cat,
                                      const tt_trace_entry *e, char *buf,
                                      size_t size);
/* The run's entries are exactly `lines` (tt_entry_golden_text), in order;
 * the message names the first entry that differs, is missing or is extra. */
TT_EXTERN int tt_expect_trace(const tt_catalyst *cat, const tt_run *r,
                              const char *const *lines, size_t n,
                              tt_error *err);

/* ===================================================================== */
/* Testing                                                               */
/* ===================================================================== */

/* Fault injection for tests of out-of-memory paths: from now on the n-th
 * allocation the library makes (1-based, on any thread) fails, and with
 * keep_failing every later one too.  n = 0 turns failures and counting off;
 * n = ULONG_MAX only counts.  Returns the number of allocations counted since
 * the previous call.  Every library call that cannot allocate returns
 * -TT_ENOMEM (or NULL) and leaves its objects consistent; a Distiller run
 * that has no memory for the next sparkle's trace entry stops with
 * "error: out of memory ..." before running it. */
TT_EXTERN unsigned long tt_test_fail_alloc(unsigned long n, bool keep_failing);

#ifdef __cplusplus
}
#endif
#endif /* TASKTONIC_H */
