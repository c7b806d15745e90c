/*
 * tt-int.h: private structures and tt__ functions of libtasktonic.
 *
 * The catalyst owns everything: interned names, compiled classes, every tonic
 * and timer ever created (by serial, never freed before the catalyst), the id
 * ledger (ids are reused), the work-order queue, the extra-sparkle list of the
 * current drain, timers, the trace and the session's runs.
 *
 * Grouped by the file that defines the functions.
 */
#ifndef TT_INT_H
#define TT_INT_H

#include "tasktonic.h"
#include "tt-contract.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#if defined(__GNUC__)
#define TT__INTERNAL __attribute__((visibility("hidden")))
#define TT__LIKELY(x) __builtin_expect(!!(x), 1)
#define TT__UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define TT__INTERNAL
#define TT__LIKELY(x) (x)
#define TT__UNLIKELY(x) (x)
#endif

#include "tt-alloc.h"

/* --------------------------------------------------------------------- */
/* util.c: growable arrays, allocation, clocks                           */
/* --------------------------------------------------------------------- */

/* Grow *arr (element size esz) so that it can hold `need` elements. */
TT__INTERNAL int tt__grow(void **arr, size_t *cap, size_t need, size_t esz);
/* The same, the new elements zeroed (a table indexed by serial). */
TT__INTERNAL int tt__grow_zero(void **arr, size_t *cap, size_t need, size_t esz);
#define TT__PUSH(arr, n, cap, val)                                            \
    (((n) < (cap) || tt__grow((void **)&(arr), &(cap), (n) + 1,              \
                              sizeof(*(arr))) == 0)                           \
         ? ((arr)[(n)++] = (val), 0)                                          \
         : -TT_ENOMEM)
TT__INTERNAL char *tt__strdup(const char *s);
TT__INTERNAL double tt__wall(void);      /* epoch seconds */
TT__INTERNAL double tt__mono(void);      /* monotonic seconds */
/* A fast wall clock for timestamps (TSC-based where it is invariant). */
typedef struct tt__clock {
    uint64_t tsc;
    double wall;
} tt__clock;
TT__INTERNAL void tt__clock_anchor(tt__clock *c);
TT__INTERNAL double tt__clock_now_slow(const tt__clock *c);
TT__INTERNAL extern double tt__tsc_scale; /* seconds per tick of the counter */
/* Wall-clock seconds now, from the counter where it is invariant. */
static inline double tt__clock_now(const tt__clock *c)
{
#if defined(__x86_64__)
    if (TT__LIKELY(c->tsc))
        return c->wall + (double)(__builtin_ia32_rdtsc() - c->tsc) * tt__tsc_scale;
#endif
    return tt__clock_now_slow(c);
}
/* Ticks of the time-stamp counter in `seconds`, or 0 when there is no usable
 * (invariant) counter; the first call measures its rate (2 ms). */
TT__INTERNAL uint64_t tt__tsc_span(double seconds);
#if defined(__x86_64__)
#include <x86intrin.h>
TT__INTERNAL extern int tt__tsc_usable; /* set by tt__tsc_span */
#endif
/* The time-stamp counter now (not ordered: a cheap "has it passed T" test),
 * or 0 when tt__tsc_span has not found a usable one. */
static inline uint64_t tt__tsc_now(void)
{
#if defined(__x86_64__)
    if (__atomic_load_n(&tt__tsc_usable, __ATOMIC_RELAXED))
        return __rdtsc();
#endif
    return 0;
}
/* The flight recorder's raw clock: TSC ticks where the TSC is invariant (the
 * clock's tsc is then nonzero), else CLOCK_REALTIME nanoseconds; turned into
 * wall-clock seconds only when the records are converted. */
TT__INTERNAL uint64_t tt__ticks_slow(void);
static inline uint64_t tt__ticks(const tt__clock *c)
{
#if defined(__x86_64__)
    if (TT__LIKELY(c->tsc))
        return __rdtsc();
#endif
    (void)c;
    return tt__ticks_slow();
}
/* Wall-clock seconds of a tt__ticks() reading. */
TT__INTERNAL double tt__ticks_wall(const tt__clock *c, uint64_t ticks);
/* Seconds in a span of tt__ticks(). */
TT__INTERNAL double tt__ticks_span(const tt__clock *c, uint64_t ticks);
/* Set the catalyst's error message (printf style); returns code. */
TT__INTERNAL int tt__err(tt_catalyst *cat, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The calling thread's last message for cat ("" if none). */
TT__INTERNAL const char *tt__errmsg(const tt_catalyst *cat);
/* Fill a tt_error (may be NULL); returns code. */
TT__INTERNAL int tt__seterr(tt_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* --------------------------------------------------------------------- */
/* names.c: interned strings                                             */
/* --------------------------------------------------------------------- */

typedef struct tt__names {
    char **str;        /* id -> string */
    uint32_t *hash;    /* id -> hash */
    size_t n, cap;
    uint32_t *slots;   /* open addressing: id + 1, 0 = empty */
    size_t nslots;
    pthread_mutex_t lock; /* for posts from other threads */
} tt__names;

TT__INTERNAL int tt__names_init(tt__names *nm);
TT__INTERNAL void tt__names_free(tt__names *nm);
/* Intern s; returns its id or a negative code. */
TT__INTERNAL int64_t tt__intern(tt__names *nm, const char *s);
/* Id of s if interned, else -1 (does not add). */
TT__INTERNAL int64_t tt__name_find(const tt__names *nm, const char *s);

/* Well-known names, interned first in this order (ids are the enum values). */
enum {
    TT_N_EMPTY = 0,           /* "" */
    TT_N_INIT,                /* "__init__" */
    TT_N_FORMULA,             /* "__formula__" */
    TT_N_FINISH_LABEL,        /* "finish" */
    TT_N_EXPIRED,             /* "expired" */
    TT_N_ON_START_SYS,        /* "_ttss__on_start" */
    TT_N_ON_START,            /* "ttse__on_start" */
    TT_N_ADD_TONIC,           /* "_ttss__add_tonic_to_catalyst" */
    TT_N_REMOVE_TONIC,        /* "_ttss__remove_tonic_from_catalyst" */
    TT_N_MAIN_FINISHED,       /* "_ttss__main_catalyst_finished" */
    TT_N_ON_COMPLETION,       /* "_ttss__on_completion" */
    TT_N_ON_FINISHED_SYS,     /* "_ttss__on_finished" */
    TT_N_ON_INFUSION_DONE,    /* "_ttss__on_infusion_completed" */
    TT_N_ON_BASE_REMOVED,     /* "_ttss__on_service_base_removed" */
    TT_N_FINISH,              /* "ttsc__finish" */
    TT_N_TO_STATE,            /* "ttsc__to_state" */
    TT_N_ON_ENTER,            /* "ttse__on_enter" */
    TT_N_ON_EXIT,             /* "ttse__on_exit" */
    TT_N_ON_FINISHED,         /* "ttse__on_finished" */
    TT_N_STATE_CHANGE,        /* "_ttinternal_state_change_to" */
    TT_N_MACHINE_STOP,        /* "_ttinternal_state_machine_stop" */
    TT_N_ON_BASE_COMPLETED,   /* "ttse__on_service_base_completed" */
    TT_N_ON_TIMER,            /* "ttse__on_timer" */
    TT_N__COUNT
};

/* --------------------------------------------------------------------- */
/* klass.c: compiled tonic classes                                       */
/* --------------------------------------------------------------------- */

/* How a handler is called: an exact C call through a thunk for the common
 * signatures, else libffi. */
typedef void (*tt__thunk)(tt_fn fn, tt_tonic *self, const tt_value *args);
/* A built-in sparkle implemented by the runtime. */
typedef void (*tt__builtin)(tt_tonic *self, const tt_value *args, size_t nargs);

typedef struct tt__impl {
    tt_fn fn;          /* user function, or NULL */
    tt__thunk thunk;   /* exact caller, or NULL: use ffi */
    void *cif;         /* ffi_cif * when thunk is NULL */
} tt__impl;

typedef struct tt__sparkle {
    uint32_t name;          /* interned interface name "ttsc__open" */
    uint8_t nargs, min_args;
    uint8_t types[TT_MAX_ARGS];
    tt_type sig[TT_MAX_ARGS]; /* the same, as tt_sparkle_sig hands them out */
    bool user;              /* has user handlers */
    bool state_aware;       /* has at least one state-specific handler */
    bool fast_post;         /* a user may post it and its types own nothing
                               (no string, list or map): post.c's fast path */
    tt__builtin builtin;    /* runtime implementation (system sparkles) */
    tt__impl generic;       /* generic user handler (fn NULL if none) */
    tt__impl *per_state;    /* [n_states]; fn NULL if none */
} tt__sparkle;

typedef struct tt__klass {
    const tt_class *def;
    bool is_catalyst;
    char **states;          /* sorted */
    size_t n_states;
    tt__sparkle *sparkles;  /* sorted by name */
    size_t n_sparkles;
    /* name id -> sparkle index + 1 (0 = none), open addressing on name id */
    uint32_t *map_key, *map_val;
    size_t map_size;
    struct tt__klass *next; /* catalyst's list */
} tt__klass;

/* Whether s lies in the read-only data of a module whose classes cat
 * compiled (cat->ro). */
TT__INTERNAL bool tt__in_module_ro(const tt_catalyst *cat, const void *s);
/* The compiled class for def (compiled on first use). NULL + errmsg. */
TT__INTERNAL tt__klass *tt__klass_get(tt_catalyst *cat, const tt_class *def,
                                      bool is_catalyst);
TT__INTERNAL void tt__klass_free_all(tt_catalyst *cat);
/* Sparkle of class by name id, NULL if none. */
static inline tt__sparkle *tt__klass_sparkle(const tt__klass *k, uint32_t name)
{
    size_t mask = k->map_size - 1, i = (name * 2654435761u) & mask;
    for (;;) {
        uint32_t v = k->map_val[i];
        if (v == 0)
            return NULL;
        if (k->map_key[i] == name)
            return &k->sparkles[v - 1];
        i = (i + 1) & mask;
    }
}

/* --------------------------------------------------------------------- */
/* ffi.c: calling handlers                                               */
/* --------------------------------------------------------------------- */

/* Choose the thunk or prepare an ffi cif for a handler. */
TT__INTERNAL int tt__impl_prepare(tt__impl *impl, tt_fn fn, const uint8_t *types,
                                  size_t n);
TT__INTERNAL void tt__impl_release(tt__impl *impl);
TT__INTERNAL void tt__impl_call_ffi(const tt__impl *impl, size_t nargs, tt_tonic *self,
                                    const tt_value *args);
/* Call a handler with args (already checked and padded to the signature). */
static inline void tt__impl_call(const tt__impl *impl, size_t nargs, tt_tonic *self,
                                 const tt_value *args)
{
    if (TT__LIKELY(impl->thunk != NULL))
        impl->thunk(impl->fn, self, args);
    else
        tt__impl_call_ffi(impl, nargs, self, args);
}

/* --------------------------------------------------------------------- */
/* Objects                                                               */
/* --------------------------------------------------------------------- */

enum { TT__K_TONIC = 1, TT__K_TIMER = 2 };

/* What tonics and timers share: the ledger entry. */
typedef struct tt__liquid {
    uint8_t kind;
    int id;            /* ledger id, -1 once unregistered */
    int last_id;       /* the id it had while registered */
    uint32_t serial;   /* index in cat->tonics or cat->timers */
    char *name;
    tt_tonic *base;
    bool base_unknown; /* read back from a trace that does not say it */
    size_t inf_slot;   /* index in base->infusions while listed there */
} tt__liquid;

/* Per-tonic statistics over the whole recorded run (tt_tonic_stats), kept
 * in the tonic. */
typedef struct tt__stat {
    uint64_t sparkles, dead_letters;
    uint64_t busy, longest;   /* in tt__ticks() */
} tt__stat;

struct tt_tonic {
    tt__liquid l;
    tt_catalyst *cat;
    tt__klass *k;
    void *data;
    int state;         /* -1 = none */
    bool finishing;
    bool is_catalyst;
    bool destroyed;    /* its class's destroy has run (or was attempted) */
    tt__liquid **infusions;   /* tonics and timers it created, in creation
                                 order; NULL marks one that has left */
    size_t n_infusions, cap_infusions;
    size_t n_left;            /* NULL slots in infusions */
    tt__stat stats;           /* counted by the flight recorder */
};

struct tt_timer {
    tt__liquid l;
    tt_catalyst *cat;
    tt_timer_kind kind;
    double period;
    double due;          /* catalyst clock */
    double remaining;    /* while paused */
    bool running, paused, finished;
    uint32_t callback;   /* sparkle name id of base */
    uint64_t cause;      /* seq of the entry that (re)started it, 0 none */
    tt_timer_info info;
    bool kind_unknown;   /* read back from a trace that does not say it */
    size_t heap_pos;     /* index in cat->active + 1; 0 = not active */
    uint64_t act_seq;    /* activation order: breaks ties of equal due */
};

/* --------------------------------------------------------------------- */
/* queue.c: work orders                                                  */
/* --------------------------------------------------------------------- */

#define TT__INLINE_ARGS 2
/* An order's flags bit (beside TT_EF_EXTRA): its argument values own memory
 * (strings, lists, maps) or live in a heap array, so clearing it frees
 * something.  Orders of plain values skip the clearing altogether. */
#define TT__OF_OWNS 0x8000u

typedef struct tt__order {
    tt_tonic *tonic;
    const struct tt__sparkle *sp; /* resolved at post time, or NULL */
    uint32_t sparkle;       /* interface name id */
    uint16_t nargs;
    uint16_t flags;         /* TT_EF_EXTRA, TT__OF_OWNS */
    uint32_t src_obj;       /* TT_SRC_* encoding as in trace entries */
    uint32_t src_sparkle;
    int32_t src_id;
    uint64_t cause;         /* seq of the entry that queued it, 0 external */
    tt_value inl[TT__INLINE_ARGS];
    tt_value *args;         /* == inl when nargs <= TT__INLINE_ARGS */
} tt__order;

/* Store two 64-bit words side by side at p, in one store where there is
 * one (SSE2): for data read back soon as one 16-byte word, or not at all. */
static inline __attribute__((always_inline)) void tt__store2(void *p, uint64_t a, uint64_t b)
{
#if defined(__SSE2__)
    _mm_storeu_si128((__m128i *)p, _mm_set_epi64x((long long)b, (long long)a));
#else
    uint64_t w[2] = {a, b};
    memcpy(p, w, sizeof w);
#endif
}

/* Whether tt__order's and tt__rec's fields are written two by two as
 * 8-byte words (post_fast, tt__execute_rec): little endian; the layouts
 * are checked in post.c and record.c. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TT__ORDER_WORDS 1
#else
#define TT__ORDER_WORDS 0
#endif

/* The ring keeps one slot free, so that the production loop can run the
 * order it took in place (tt__queue_take) while the sparkle queues more: a
 * push never lands on that slot, and a ring that grows meanwhile is kept
 * (retired) until the next take. */
typedef struct tt__queue {
    tt__order *ring;
    size_t cap, head, len;  /* cap is a power of two; len < cap */
    tt__order *retired;     /* the ring before the last growth, or NULL */
} tt__queue;

TT__INTERNAL int tt__queue_init(tt__queue *q, size_t cap);
TT__INTERNAL void tt__queue_free(tt__queue *q);
TT__INTERNAL int tt__queue_grow(tt__queue *q);
TT__INTERNAL tt__order *tt__queue_peek(const tt__queue *q, size_t i);
/* Put an order in front of every pending one (moved).  Never while an order
 * taken with tt__queue_take runs: it would reuse that order's slot. */
TT__INTERNAL int tt__queue_push_front(tt__queue *q, const tt__order *o);
/* Free what an order's argument values own (strings, lists, maps). */
TT__INTERNAL void tt__order_clear_values(tt__order *o);

/* A new slot at the back for the caller to fill (its args must be set to its
 * inl or a heap array), or NULL without memory. */
static inline tt__order *tt__queue_push_slot(tt__queue *q)
{
    /* An empty queue starts again at slot 0 (unless 0 holds the order taken
     * last): a chain then stays in two slots however big the ring grew. */
    if (q->len == 0 && q->head != 1)
        q->head = 0;
    if (TT__UNLIKELY(q->len + 1 >= q->cap) && tt__queue_grow(q) < 0)
        return NULL;
    return &q->ring[(q->head + q->len++) & (q->cap - 1)];
}

/* Append an order (moved: the queue's copy owns the args). */
static inline int tt__queue_push(tt__queue *q, const tt__order *o)
{
    tt__order *slot = tt__queue_push_slot(q);
    if (!slot)
        return -TT_ENOMEM;
    *slot = *o;
    if (o->nargs <= TT__INLINE_ARGS)
        slot->args = slot->inl;
    return 0;
}

/* Pop the oldest into *o (fixes args to point into *o). */
static inline bool tt__queue_pop(tt__queue *q, tt__order *o)
{
    if (TT__UNLIKELY(q->retired != NULL)) {
        free(q->retired); /* nothing runs in place from it */
        q->retired = NULL;
    }
    if (q->len == 0)
        return false;
    *o = q->ring[q->head];
    if (o->nargs <= TT__INLINE_ARGS)
        o->args = o->inl;
    q->head = (q->head + 1) & (q->cap - 1);
    q->len--;
    return true;
}

/* Take the oldest order where it is, or NULL: it stays valid, and is the
 * caller's to clear, until the next take (see tt__queue). */
static inline tt__order *tt__queue_take(tt__queue *q)
{
    if (TT__UNLIKELY(q->retired != NULL)) {
        free(q->retired);
        q->retired = NULL;
    }
    if (q->len == 0)
        return NULL;
    tt__order *o = &q->ring[q->head];
    q->head = (q->head + 1) & (q->cap - 1);
    q->len--;
    return o;
}

/* Free what an order owns. */
static inline void tt__order_clear(tt__order *o)
{
    if (o->flags & TT__OF_OWNS)
        tt__order_clear_values(o);
    o->nargs = 0;
}

/* --------------------------------------------------------------------- */
/* trace.c: entries and runs                                             */
/* --------------------------------------------------------------------- */

#define TT__CHUNK_BITS 16
#define TT__CHUNK (1u << TT__CHUNK_BITS)

/* A value an entry keeps out of line because its packed field cannot hold
 * it (a cause more than 2^32 - 2 entries back, an exit time far from the
 * enter time): rare, so a sorted list per chunk. */
typedef struct tt__xval {
    uint32_t idx;           /* entry index in the chunk */
    uint32_t kind;          /* TT__X_* */
    uint64_t bits;
} tt__xval;
enum { TT__X_CAUSE, TT__X_EXIT };
#define TT__PACKED_OUT UINT32_MAX /* cause_back / exit_ulps: see the list */
#define TT__PP_BITS 12 /* a chunk's snapshot table comes in pieces of 4096 entries */
#define TT__PP (1u << TT__PP_BITS)

typedef struct tt__chunk {
    /* first, and the chunk is aligned to their size: an entry finds its
     * chunk, hence its seq and what it keeps out of line, from its address */
    tt_trace_entry e[TT__CHUNK];
    uint64_t seq0;          /* seq of e[0] */
    tt__xval *x;
    size_t n_x, cap_x;
    /* bump arena for args and probe snapshots of this chunk's entries */
    char **arenas;
    size_t n_arenas, cap_arenas;
    char *bump;
    size_t bump_left;
    size_t next_arena;      /* a recycled chunk reuses its arenas from here */
    size_t bytes;
    bool owns;              /* an entry's arguments or probe snapshots may own
                               memory (strings, lists, maps): clearing must
                               look at them */
    /* per piece of TT__PP entries, each entry's enter and exit snapshot;
     * a piece is NULL until its first snapshot (its memory: trace.c) */
    tt_map **pp[TT__CHUNK / TT__PP];
} tt__chunk;

#define TT__CHUNK_BYTES ((uintptr_t)TT__CHUNK * sizeof(tt_trace_entry))
_Static_assert(sizeof(tt_trace_entry) == 64, "a trace entry is 64 bytes");
_Static_assert((TT__CHUNK_BYTES & (TT__CHUNK_BYTES - 1)) == 0,
               "a chunk's entries span a power of two");

static inline tt__chunk *tt__chunk_of(const tt_trace_entry *e)
{
    return (tt__chunk *)((uintptr_t)e & ~(TT__CHUNK_BYTES - 1));
}
static inline uint64_t tt__entry_seq(const tt_trace_entry *e)
{
    const tt__chunk *c = tt__chunk_of(e);
    return c->seq0 + (uint64_t)(e - c->e);
}

typedef struct tt__trace {
    tt__chunk **chunks;     /* chunk k holds seqs base + k*CHUNK ... */
    size_t n_chunks, cap_chunks;
    uint64_t first_chunk_seq; /* seq of chunks[0]->e[0] */
    uint64_t first;         /* first live seq */
    uint64_t last;          /* last written seq (0 none) */
    size_t ring;            /* keep at most this many (0 all) */
    size_t bytes;
    tt__chunk *spare;       /* a dropped chunk kept for reuse (ring only) */
    /* the shared arena region that chunks' blocks are carved from in turn
     * (trace.c): its base, where its free part starts, and the chunk whose
     * last block is that free part (given back when another chunk carves) */
    char *rg;
    size_t rg_next;
    tt__chunk *rg_holder;
    char *rg_block;
    bool arena_started;     /* the trace's first (small, malloc'd) block is made */
    /* called before a ring drops its oldest chunk (lint.c catches up) */
    void (*before_drop)(struct tt__trace *t);
} tt__trace;

struct tt_run {
    uint64_t first_seq, count;
    bool has_trace;
    bool finished_status;
    char **stops;
    size_t n_stops, cap_stops;
    double start, end, vt_start, vt_end;
    bool met;
    int match_count, target_count;
    char **matched;          /* tonic names */
    char ***reasons;         /* per tonic, list */
    size_t *n_reasons;
    size_t n_matched;
};

TT__INTERNAL void tt__trace_init(tt__trace *t, size_t ring);
TT__INTERNAL void tt__trace_free(tt__trace *t);
/* A new entry (zeroed, seq set) or NULL. */
TT__INTERNAL tt_trace_entry *tt__trace_append(tt__trace *t);
/* Append an entry with room for nargs argument values in e->args (e->nargs
 * stays 0 until they are moved in); NULL, with nothing appended, when there
 * is no memory for either.  Unlike tt__trace_append, it leaves it to the
 * caller to set its chunk's `owns` when the values it moves in own memory. */
TT__INTERNAL tt_trace_entry *tt__trace_reserve(tt__trace *t, size_t nargs);
/* Memory from the arena of the chunk that holds seq. */
TT__INTERNAL void *tt__trace_alloc(tt__trace *t, uint64_t seq, size_t size);
/* Whether entries a and b (live) are in the same chunk: the same lifetime. */
static inline bool tt__trace_same_chunk(const tt__trace *t, uint64_t a, uint64_t b)
{
    return a >= t->first && ((a - t->first_chunk_seq) >> TT__CHUNK_BITS) ==
                                ((b - t->first_chunk_seq) >> TT__CHUNK_BITS);
}
/* The entry with number seq, NULL if dropped or not written. */
TT__INTERNAL const tt_trace_entry *tt__trace_get(const tt__trace *t, uint64_t seq);
/* Set an entry's cause / exit time (after its t_enter) / probe snapshot
 * (side 0 enter, 1 exit); -TT_ENOMEM when what must go out of line finds no
 * memory (the entry then has no cause, t_exit = t_enter, no snapshot). */
TT__INTERNAL int tt__entry_put_out(tt__trace *t, tt_trace_entry *e, uint32_t kind,
                                   uint64_t bits);
/* The cause is kept as the distance back from the entry (a cause is older
 * than its entry), 0 for none. */
static inline int tt__entry_set_cause_seq(tt__trace *t, tt_trace_entry *e, uint64_t seq,
                                          uint64_t cause)
{
    uint64_t back = seq - cause;
    if (TT__LIKELY(cause == 0 || (back != 0 && back < TT__PACKED_OUT))) {
        e->cause_back = cause ? (uint32_t)back : 0;
        return 0;
    }
    return tt__entry_put_out(t, e, TT__X_CAUSE, cause);
}
/* The same for entry e, whose seq is found from its address. */
static inline int tt__entry_set_cause(tt__trace *t, tt_trace_entry *e, uint64_t cause)
{
    return tt__entry_set_cause_seq(t, e, tt__entry_seq(e), cause);
}
/* The exit time is kept as its distance from the enter time in units in the
 * last place: the bits of two non-negative doubles order as the doubles, so
 * the distance gives the exit time back exactly (32 bits cover about 512 s
 * at today's clock). */
static inline int tt__entry_set_exit(tt__trace *t, tt_trace_entry *e, double t_exit)
{
    uint64_t a, b;
    memcpy(&a, &e->t_enter, sizeof a);
    memcpy(&b, &t_exit, sizeof b);
    if (TT__LIKELY(!(a >> 63) && !(b >> 63) && b >= a && b - a < TT__PACKED_OUT)) {
        e->exit_ulps = (uint32_t)(b - a);
        return 0;
    }
    return tt__entry_put_out(t, e, TT__X_EXIT, b);
}
TT__INTERNAL int tt__entry_set_probes_slow(tt__trace *t, tt_trace_entry *e, int side,
                                          tt_map *m);
static inline int tt__entry_set_probes(tt__trace *t, tt_trace_entry *e, int side, tt_map *m)
{
    tt__chunk *c = tt__chunk_of(e);
    size_t i = (size_t)(e - c->e);
    tt_map **p = c->pp[i >> TT__PP_BITS];
    if (TT__UNLIKELY(!p))
        return tt__entry_set_probes_slow(t, e, side, m);
    p[2 * (i & (TT__PP - 1)) + (side != 0)] = m;
    return 0;
}
/* Mark the chunk of entry seq as holding values that own memory. */
static inline void tt__trace_owns(tt__trace *t, uint64_t seq)
{
    t->chunks[(size_t)((seq - t->first_chunk_seq) >> TT__CHUNK_BITS)]->owns = true;
}
/* A trace's end, to cut it back there (checkpoint.c). */
typedef struct tt__trace_mark_t {
    uint64_t last;          /* its last seq */
    uint64_t seq0;          /* seq0 of that entry's chunk (0: none) */
    size_t arena, off;      /* that chunk's arena block + 1 and offset */
} tt__trace_mark_t;
TT__INTERNAL void tt__trace_mark(const tt__trace *t, tt__trace_mark_t *m);
/* Drop the entries after m->last (everything when the ring dropped it). */
TT__INTERNAL void tt__trace_cut(tt__trace *t, const tt__trace_mark_t *m);
TT__INTERNAL tt_run *tt__run_new(tt_catalyst *cat);
TT__INTERNAL int tt__run_add_stop(tt_run *r, const char *s);
TT__INTERNAL void tt__run_free(tt_run *r);
TT__INTERNAL void tt__run_trim_stops(tt_run *r, size_t n);
TT__INTERNAL void tt__run_drop_met(tt_run *r);

/* --------------------------------------------------------------------- */
/* The catalyst                                                          */
/* --------------------------------------------------------------------- */

/* What a removed id leaves in cat->ts (lifecycle.c). */
#define TT__TS_GONE INT32_MIN

/* A note on a trace entry (notes.c): rare, so kept out of line. */
typedef struct tt__note {
    uint64_t seq;
    char *text;
} tt__note;

/* The flight recorder (record.c): a ring of fixed-size plain records, one a
 * sparkle, filled by the production loop without allocating or formatting;
 * they become trace entries (tt_trace_entry in cat->trace) only when someone
 * asks: a write, a live viewer, tt_trace_get. */
typedef struct tt__rec {
    /* tt__order's fields from sparkle to inl, copied in one go (their
     * offsets are checked in record.c): the order's values moved in */
    uint32_t sparkle;
    uint16_t nargs;
    uint16_t oflags;          /* the order's: TT_EF_EXTRA, TT__OF_OWNS */
    uint32_t src_obj, src_sparkle;
    int32_t src_id;
    uint64_t cause;
    union {
        tt_value inl[TT__INLINE_ARGS]; /* the values when nargs <= TT__INLINE_ARGS, */
        tt_value *heap;       /* else these (the order's args) */
    };
    /* the recorder's own, two 16-byte words that tt__execute_rec stores
     * at the exit */
    uint32_t tonic;           /* serial */
    int32_t id;
    uint64_t t_enter, t_exit; /* tt__ticks() */
    int16_t state_enter, state_exit;
    uint16_t flags;           /* TT_EF_* of the run, beside the order's */
    uint16_t unused;
} tt__rec;

typedef struct tt__recorder {
    tt__rec *ring;
    size_t cap;               /* allocated slots, grows up to n */
    size_t n;                 /* keep the last n (0: off) */
    size_t head;              /* slot of the next record */
    bool wrapped;             /* head went round: the ring is full */
    uint64_t seq;             /* seq of the last record (0: none) */
    uint64_t t;               /* the next record's enter time (recording;
                                 else 0): the last exit while sparkles run
                                 back to back (one clock read or ticker
                                 stamp a sparkle), a fresh reading after
                                 the loop waited or did anything else
                                 (TT__REC_RESTART) */
    /* record-clock.c: while `coarse` (set by the ticker thread), the loop
     * stamps records with `tick`, the ticker's last clock reading, instead
     * of reading the clock (TT__RF_TICK); both are read and written with
     * __atomic builtins, as is seq, which the ticker reads */
    uint32_t coarse;
    uint64_t tick;
    uint64_t tick_span;       /* the ticker's period, in tt__ticks() */
    struct tt__ticker *ticker; /* running while tt_catalyst_run records */
    uint8_t clock_mode;       /* tt_record_clock */
    uint64_t sync_t;          /* record.c: the last entry's exit, in ticks, */
    bool sync_tick;           /* and whether its record had TT__RF_TICK */
} tt__recorder;
/* record-clock.c: start the ticker for a recording run (nothing to do
 * unless recording with TT_RECORD_CLOCK_AUTO or _TICK), stop it when it is
 * over. */
TT__INTERNAL void tt__ticker_start(tt_catalyst *cat);
TT__INTERNAL void tt__ticker_stop(tt_catalyst *cat);
/* The ticker's period while sparkles are fast, in tt__ticks(). */
TT__INTERNAL uint64_t tt__ticker_period(const tt__clock *c);
/* A record stamped with the ticker's reading (tt__rec.flags, beside the
 * TT_EF_* bits; never in an entry's flags). */
#define TT__RF_TICK 0x8000u

/* The recorder's clock starts again (recording: now; else 0): when the
 * loop starts, after it waited, after a snapshot or a call. */
#define TT__REC_RESTART(cat) ((cat)->rec.t = (cat)->record_n ? tt__ticks(&(cat)->clock) : 0)
/* How many records the ring holds. */
static inline size_t tt__rec_kept(const tt__recorder *r)
{
    return r->wrapped ? r->cap : r->head;
}
/* Free a record's values. */
TT__INTERNAL void tt__rec_clear(tt__rec *r);
/* The ring is full at head: wrap, or grow towards n. */
TT__INTERNAL void tt__rec_wrap(tt__recorder *rec);
/* Free the ring and the statistics. */
TT__INTERNAL void tt__record_free(tt_catalyst *cat);
/* The sparkle in the slot at head crashed (why: as tt__guarded_call's):
 * close its record and put the loop back in order (no record when the crash
 * was between two sparkles: cat->crash_between). */
TT__INTERNAL void tt__rec_crashed(tt_catalyst *cat, int why);
/* Convert the records not in cat->trace yet into trace entries. */
TT__INTERNAL void tt__record_sync(tt_catalyst *cat);
/* The record with number seq, NULL if not held. */
TT__INTERNAL const tt__rec *tt__rec_get(const tt__recorder *rec, uint64_t seq);

typedef struct tt__frame {
    tt__liquid *obj;     /* NULL: external */
    uint32_t sparkle;    /* name id; for an external source its label ("") */
    int32_t id;
    uint64_t cause;      /* seq of the running entry (0: none, or untraced):
                            the cause of what is queued now */
} tt__frame;

/* The source fields of an order, as they are encoded in it. */
typedef struct tt__src {
    uint32_t obj;        /* TT_SRC_* encoding */
    uint32_t sparkle;
    int32_t id;
    uint64_t cause;
} tt__src;

struct tt_catalyst {
    tt_catalyst_options opt;
    tt__names names;
    tt__klass *klasses;
    tt_tonic *self;          /* the catalyst as a tonic (serial 0) */

    tt_tonic **tonics;       /* by serial */
    size_t n_tonics, cap_tonics;
    tt_tonic **by_name;      /* interned tonic name id -> newest tonic of
                                that name (NULL for other names) */
    size_t n_by_name;
    bool by_name_incomplete; /* a tonic could not be indexed: scan */
    tt_timer **timers;       /* by creation */
    size_t n_timers, cap_timers;
    tt__liquid **ledger;     /* by id; NULL = free */
    size_t n_ledger, cap_ledger;
    int *free_ids;           /* the free ids below n_ledger: a min-heap */
    size_t n_free_ids, cap_free_ids;
    /* tonics_sparkling: the ids added to the catalyst, in order
     * (lifecycle.c).  A removed id leaves TT__TS_GONE in its slot, so that a
     * removal is O(1); the slots are compacted when half are gone. */
    int *ts;
    size_t n_ts;             /* ids listed (live) */
    size_t n_ts_slots, cap_ts;
    uint32_t *ts_next;       /* per slot: the next slot listing the same id,
                                + 1 (0 none): an id may be listed twice while
                                its old tonic's removal is still queued */
    uint32_t *ts_first;      /* per id: its first listed slot + 1, 0 none */
    size_t n_ts_first;

    tt__queue queue;
    tt__order *extras;       /* extras of the current drain */
    size_t n_extras, cap_extras, extras_head;

    /* posts from other threads */
    pthread_t thread;        /* the catalyst's thread */
    pthread_mutex_t inbox_lock;
    pthread_cond_t inbox_cond;
    pthread_cond_t inbox_room; /* a post waits here while the inbox is full */
    tt__order *inbox;        /* pending: inbox[inbox_head .. n_inbox) */
    size_t n_inbox, cap_inbox, inbox_head;
    atomic_int inbox_flag;
    atomic_int stop_flag;     /* TT__REQ_* requests to the running loop */
    atomic_int stopping;      /* tt_catalyst_stop was called */

    /* execution */
    tt__frame frame;         /* source for posts right now */
    tt_tonic *current;       /* tonic whose sparkle runs, or NULL */
    tt__src drain_src;       /* source of the order being drained (its
                                extras take it over): tt__drain_from */
    const tt__order *exec;   /* the order running now */
    uint16_t exec_flags;     /* TT_EF_* a builtin sets on the running entry */
    uint64_t exec_seq;       /* its seq (entry or record), 0 when not traced */
    char exec_error[600];    /* the first error noted in it (TT_EF_ERROR) */
    tt__note *notes;         /* notes of entries, by seq (notes.c) */
    struct tt__lints *lints; /* lint.c, once asked for */
    size_t q_high;           /* the queue's high-water mark after a traced */
    uint64_t q_high_seq;     /* sparkle, and that sparkle's entry */
    size_t n_notes, cap_notes;
    struct tt_timer **active; /* running timers: a binary min-heap on
                                 (due, act_seq), see timer.c */
    size_t n_active, cap_active;
    uint64_t act_seq;        /* activations so far */
    bool in_sparkle;
    bool ran_any;            /* a sparkle has run (compat is fixed) */
    bool sparkling;          /* false after the catalyst's _ttss__on_completion */
    bool finished;

    /* time */
    double t0;               /* monotonic at creation */
    double vt;               /* virtual clock */
    tt__clock clock;         /* trace timestamps */
    double vt_base;          /* production recorder: wall clock at t0 */
    uint64_t timer_tsc;      /* production loop: the time-stamp counter before
                                which no timer can be due (0: read the clock) */

    /* distiller */
    tt__trace trace;
    tt_run **runs;
    size_t n_runs, cap_runs;
    tt_step_hook hook;
    void *hook_ud;
    tt_order_hook order_hook;
    void *order_hook_ud;
    tt_seq_hook seq_hook;    /* checkpoint.c: called between passes once */
    void *seq_hook_ud;       /* the trace reaches seq_hook_at */
    uint64_t seq_hook_at;
    bool resume_run;         /* tt_run_resume_last: the next run continues
                                the newest */
    volatile sig_atomic_t interrupt;
    bool tainted;
    bool destroyed;     /* tt_catalyst_destroy_tonics ran: nothing runs */
    bool trace_oom;          /* a probe snapshot of this sparkle lacked memory */
    char probe_crash[512];    /* "crashed: SIGSEGV in probe T.P", "" when none */
    int crash_sig;           /* signal of the last contained crash, -1 watchdog */
    sigjmp_buf *loop_jmp;    /* tt_catalyst_run's, while it runs with
                                contain_crashes and no watchdog */
    bool crash_between;      /* the contained crash was not in a sparkle */
    bool loop_running;       /* tt_catalyst_run is running */
    bool loop_armed;         /* its guard is armed (crash.c), */
    sigjmp_buf *outer_jmp;   /* in place of this guard */
    tt_catalyst *outer_owner;
    bool crash_owned;        /* counted among the catalysts that contain crashes */
    const tt_contract *probe_contract; /* probes to take during a run */
    struct tt__probe_plan **plan;      /* per tonic serial, resolved lazily */
    struct tt__probe_plan *plans;      /* every plan resolved so far */
    struct tt__last_snap *last_snap;   /* per tonic serial, as plan */
    size_t n_plan;
    struct tt__recorded *recorded;     /* a trace read back: nothing runs */

    /* flight recorder (production) */
    tt__recorder rec;
    size_t record_n;         /* record the last N sparkles; 0 off */
    char *record_path;       /* a snapshot asked for by another thread */
    int record_rc;           /* result of the last requested snapshot */
    void (*call_fn)(tt_catalyst *cat, void *ud); /* tt_catalyst_request_call */
    void *call_ud;
    pthread_cond_t call_cond;  /* a requested call was taken (inbox_lock) */

    /* sparkle-name cache for posts on the catalyst's thread: callers pass
     * the same string literal again and again */
    struct {
        const char *ptr;
        uint32_t id;
        bool lit;               /* ptr is in a module's read-only data */
        const tt__klass *k;     /* the last class it was looked up in */
        const tt__sparkle *sp;  /* ... and the sparkle found there */
    } name_cache[64];
    /* The read-only segments of the modules whose classes this catalyst
     * compiled (klass.c).  A name there is a literal whose text cannot
     * change while the catalyst lives (it holds the module loaded: ro_mods,
     * closed by tt__klass_free_all), so the cache trusts its pointer
     * without comparing the text. */
    struct {
        uintptr_t lo, hi;
    } ro[16];
    size_t n_ro;
    void *ro_mods[16];
    size_t n_ro_mods;
};

/* compat.c */
/* The impl a state-aware sparkle runs in no state (difference 1). */
TT__INTERNAL const tt__impl *tt__compat_no_state_impl(const tt_tonic *t,
                                                      const tt__sparkle *sp);
/* Whether the catalyst finishes now that a tonic was removed (difference 2). */
TT__INTERNAL bool tt__compat_catalyst_done(const tt_catalyst *cat);

/* notes.c */
/* Note on the entry of the running sparkle (printf style); `error` also
 * sets TT_EF_ERROR (stop-on-error).  Nothing outside a traced sparkle. */
TT__INTERNAL void tt__note_sparkle(tt_catalyst *cat, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Attach a note to entry seq (trace files read back). */
TT__INTERNAL int tt__note_add(tt_catalyst *cat, uint64_t seq, const char *text);
TT__INTERNAL void tt__notes_free(tt_catalyst *cat);

/* lint.c */
typedef struct tt__lints tt__lints;
TT__INTERNAL void tt__lints_free(tt_catalyst *cat);
/* Free a copy. */
TT__INTERNAL void tt__lints_destroy(tt__lints *L);
/* A deep copy of L; NULL without memory. */
TT__INTERNAL tt__lints *tt__lints_clone(const tt__lints *L);
/* Put L (owned from now on) in place of the catalyst's lint state. */
TT__INTERNAL void tt__lints_put(tt_catalyst *cat, tt__lints *L);

/* app.c: the writable static data of an app module (not RELRO). */
typedef struct tt__seg {
    char *addr;
    size_t len;
} tt__seg;
TT__INTERNAL int tt__app_segments(const tt_app *app, tt__seg **out, size_t *n);

/* catalyst.c */
enum { TT__REQ_STOP = 1, TT__REQ_RECORD = 2, TT__REQ_CALL = 4 }; /* stop_flag bits */
/* Is the caller on the catalyst's thread? */
static inline bool tt__on_catalyst_thread(const tt_catalyst *cat)
{
    return pthread_equal(pthread_self(), __atomic_load_n(&cat->thread, __ATOMIC_ACQUIRE));
}
TT__INTERNAL void tt__adopt_thread(tt_catalyst *cat);
/* Move orders posted by other threads to the queue. */
TT__INTERNAL void tt__inbox_drain(tt_catalyst *cat);

/* tonic.c */
TT__INTERNAL int tt__ledger_add(tt_catalyst *cat, tt__liquid *l);
TT__INTERNAL void tt__ledger_remove(tt_catalyst *cat, tt__liquid *l);
/* Add l to / remove l from base's infusions (O(1) amortised). */
TT__INTERNAL int tt__infusion_add(tt_tonic *base, tt__liquid *l);
TT__INTERNAL void tt__infusion_remove(tt_tonic *base, tt__liquid *l);
/* Index of a state in k's (sorted) states, or -TT_ENOSTATE. */
TT__INTERNAL int tt__klass_state(const tt__klass *k, const char *state);
TT__INTERNAL tt_tonic *tt__tonic_create(tt_catalyst *cat, tt__klass *k,
                                        const char *name, void *arg,
                                        bool is_catalyst);
TT__INTERNAL void tt__tonic_free(tt_tonic *t);
/* Run t's class destroy under the guard, once: 0 or the guard's result. */
TT__INTERNAL int tt__tonic_destroy(tt_tonic *t);
/* "<ID[01]B[00] Class name>" into buf. */
TT__INTERNAL void tt__liquid_str(const tt__liquid *l, char *buf, size_t size);
/* Read a probe by name into out; false if the tonic lacks it. */
TT__INTERNAL bool tt__probe_read(tt_tonic *t, const char *name, tt_value *out);
/* Probes resolved once per class: a slot is an index in the class's probe
 * table or one of these built-ins. */
enum {
    TT__PROBE_NONE = -100,
    TT__PROBE_FINISHING = -1,
    TT__PROBE_INFUSIONS = -2,
    TT__PROBE_TONICS = -3 /* the catalyst's tonics_sparkling */
};
TT__INTERNAL int tt__probe_slot(const tt_tonic *t, const char *name);
TT__INTERNAL bool tt__probe_read_slot(tt_tonic *t, int slot, tt_value *out);

/* post.c */
/* Queue an order with explicit source; args are copied. */
TT__INTERNAL int tt__post(tt_tonic *target, uint32_t sparkle, const tt_value *args,
                          size_t nargs, const tt__frame *src);
/* Like tt__post but appends to the extras list (not checked). */
TT__INTERNAL int tt__post_extra(tt_tonic *target, uint32_t sparkle,
                                const tt_value *args, size_t nargs);
/* Encode a frame into order source fields. */
TT__INTERNAL void tt__frame_to_src(const tt__frame *f, tt__order *o);
/* Start draining o: the extras it adds take its source. */
static inline void tt__drain_from(tt_catalyst *cat, const tt__order *o)
{
    cat->drain_src = (tt__src){o->src_obj, o->src_sparkle, o->src_id, o->cause};
}

/* dispatch.c */
/* Run one order (already popped) with tracing (trace != NULL) or without. */
TT__INTERNAL void tt__execute(tt_catalyst *cat, tt__order *o, tt_trace_entry *e);

/* Make o the running order (entry or record seq, 0: untraced); returns
 * the frame to restore. */
static inline tt__frame tt__enter(tt_catalyst *cat, const tt__order *o, uint64_t seq)
{
    tt_tonic *t = o->tonic;
    tt__frame saved = cat->frame;
    cat->frame = (tt__frame){&t->l, o->sparkle, t->l.id, seq};
    cat->current = t;
    cat->in_sparkle = true;
    cat->exec = o;
    cat->exec_flags = 0;
    cat->exec_seq = seq;
    cat->ran_any = true;
    return saved;
}

/* The running order has returned. */
static inline void tt__leave(tt_catalyst *cat, tt__frame saved)
{
    cat->exec_seq = 0;
    cat->in_sparkle = false;
    cat->current = NULL;
    cat->exec = NULL;
    cat->frame = saved;
}

/* The handler of a plain order, whose sparkle is sp: a user handler of a
 * live tonic called with its whole signature; NULL for anything else. */
static inline const tt__impl *tt__plain_impl(const tt__order *o, const tt__sparkle *sp)
{
    tt_tonic *t = o->tonic;
    if (TT__UNLIKELY(!sp || sp->builtin || t->l.id < 0 || t->finishing ||
                     o->nargs != sp->nargs))
        return NULL;
    const tt__impl *impl = &sp->generic;
    if (t->state >= 0) {
        if (sp->per_state && sp->per_state[t->state].fn)
            impl = &sp->per_state[t->state];
    } else if (sp->state_aware) {
        impl = tt__compat_no_state_impl(t, sp);
    }
    return TT__LIKELY(impl->fn != NULL) ? impl : NULL;
}

/* Run one order untraced (the production loop).  The common case, a plain
 * order, is run here; anything else goes through tt__execute, which does
 * the same. */
static inline void tt__execute_plain(tt_catalyst *cat, tt__order *o)
{
    const tt__impl *impl = tt__plain_impl(o, o->sp);
    if (TT__UNLIKELY(!impl)) {
        tt__execute(cat, o, NULL);
        return;
    }
    tt__frame saved = tt__enter(cat, o, 0);
    tt__impl_call(impl, o->nargs, o->tonic, o->args);
    tt__leave(cat, saved);
    tt__order_clear(o);
}

/* Run o for tt__execute_rec when its fast path does not apply (a builtin,
 * a dead letter, a finishing tonic, missing arguments, the watchdog): as
 * tt__execute runs it, its values already in the record; returns the
 * TT_EF_* flags of the run. */
TT__INTERNAL uint16_t tt__execute_rec_slow(tt_catalyst *cat, tt__order *o);
/* The handler that would run for this order right now. */
TT__INTERNAL int tt__to_state_index(tt_tonic *self, int idx, bool force);

/* lifecycle.c */
/* Point the runtime-owned sparkles of a compiled class at their code. */
TT__INTERNAL void tt__builtins_bind(tt__klass *k);

/* probes.c */
typedef struct tt__probe_plan {
    const struct tt__klass *k;
    size_t n;
    const char **keys;   /* interned probe names the class has */
    int *slots;          /* tt__probe_slot of each */
    /* plain: every probe is a field of a scalar kind (int, int64, double,
     * bool): read inline, and a snapshot equal to the tonic's last one is
     * shared instead of stored again */
    bool plain;
    bool all_int;        /* plain, and every probe a TT_PK_INT field, */
    bool all_i64;        /* or a TT_PK_I64 field: the loops below skip the
                            switch on each kind */
    uint8_t *kinds;      /* TT_PK_* of each (plain plans) */
    uint32_t *offs;      /* its field offset */
    struct tt__probe_plan *next; /* cat->plans */
} tt__probe_plan;
/* A tonic's last plain snapshot: shared by the next one when equal. */
typedef struct tt__last_snap {
    tt_map *m;
    uint64_t seq;        /* its entry */
} tt__last_snap;
/* Free every plan (catalyst teardown). */
TT__INTERNAL void tt__probes_free(tt_catalyst *cat);
/* Forget the per-tonic probe lists (a new run or contract). */
TT__INTERNAL void tt__probes_reset(tt_catalyst *cat);
/* Snapshot the probes the running contract asks for on tonic t (arena of seq);
 * NULL when it asks for none. */
TT__INTERNAL tt_map *tt__probes_snapshot(tt_catalyst *cat, tt_tonic *t, uint64_t seq);
/* Free the values a snapshot owns (not the map: it is in the arena). */
TT__INTERNAL void tt__probes_clear(tt_map *m);
/* Probe i of a plain plan, read from the tonic's data d. */
static inline tt_value tt__plain_read(const tt__probe_plan *p, const char *d, size_t i)
{
    const char *f = d + p->offs[i];
    switch (p->kinds[i]) {
    case TT_PK_INT: return TT_INT(*(const int *)f);
    case TT_PK_I64: return TT_INT(*(const int64_t *)f);
    case TT_PK_DOUBLE: return TT_DOUBLE(*(const double *)f);
    default: return TT_BOOL(*(const bool *)f);
    }
}
/* Whether the tonic's fields (data d) still hold the values v. */
static inline __attribute__((always_inline)) bool tt__plain_same(const tt__probe_plan *p,
                                                                 const char *d, const tt_value *v)
{
    if (p->all_int) {
        for (size_t i = 0; i < p->n; i++)
            if (*(const int *)(d + p->offs[i]) != v[i].u.i)
                return false;
        return true;
    }
    if (p->all_i64) {
        for (size_t i = 0; i < p->n; i++)
            if (*(const int64_t *)(d + p->offs[i]) != v[i].u.i)
                return false;
        return true;
    }
    for (size_t i = 0; i < p->n; i++) {
        tt_value now = tt__plain_read(p, d, i);
        bool same;
        switch (p->kinds[i]) {
        case TT_PK_DOUBLE: same = memcmp(&now.u.d, &v[i].u.d, sizeof now.u.d) == 0; break;
        case TT_PK_BOOL: same = now.u.b == v[i].u.b; break;
        default: same = now.u.i == v[i].u.i; break;
        }
        if (!same)
            return false;
    }
    return true;
}
/* A plain plan's snapshot of t for entry seq: when the fields still hold the
 * tonic's last snapshot in the same chunk (a sparkle's enter snapshot is
 * most often its tonic's last exit snapshot), that snapshot is shared; else
 * they are read inline into one block of the chunk's arena (the map, then
 * its values).  Its values own nothing, so clearing it twice is harmless.
 * NULL (and cat->trace_oom) without memory. */
static inline __attribute__((always_inline)) tt_map *tt__snapshot_plain(tt_catalyst *cat, tt_tonic *t,
                                         const tt__probe_plan *p, uint64_t seq)
{
    const char *d = t->data;
    tt__last_snap *last = &cat->last_snap[t->l.serial];
    if (last->m && last->m->keys == (char **)p->keys && last->m->n == p->n &&
        tt__trace_same_chunk(&cat->trace, last->seq, seq) && tt__plain_same(p, d, last->m->vals))
        return last->m;
    size_t size = sizeof(tt_map) + p->n * sizeof(tt_value); /* a multiple of 8 */
    tt__trace *tr = &cat->trace;
    tt__chunk *c = tr->chunks[(size_t)((seq - tr->first_chunk_seq) >> TT__CHUNK_BITS)];
    tt_map *m;
    if (TT__LIKELY(size <= c->bump_left)) {
        m = (tt_map *)c->bump;
        c->bump += size;
        c->bump_left -= size;
    } else if (!(m = tt__trace_alloc(tr, seq, size))) {
        cat->trace_oom = true;
        return NULL;
    }
    tt_value *v = (tt_value *)(m + 1);
    if (p->all_int)
        for (size_t i = 0; i < p->n; i++)
            v[i] = TT_INT(*(const int *)(d + p->offs[i]));
    else if (p->all_i64)
        for (size_t i = 0; i < p->n; i++)
            v[i] = TT_INT(*(const int64_t *)(d + p->offs[i]));
    else
        for (size_t i = 0; i < p->n; i++)
            v[i] = tt__plain_read(p, d, i);
    m->n = p->n;
    m->keys = (char **)p->keys;
    m->vals = v;
    last->m = m;
    last->seq = seq;
    return m;
}
/* Take t's probes (the run's contract) into side 0 (enter) or 1 (exit) of e,
 * entry seq: a plain plan already resolved inline, anything else through
 * tt__probes_snapshot. */
static inline __attribute__((always_inline)) void tt__snapshot_seq(tt_catalyst *cat, tt_tonic *t, tt_trace_entry *e,
                                    uint64_t seq, int side)
{
    uint32_t s = t->l.serial;
    const tt__probe_plan *p = s < cat->n_plan ? cat->plan[s] : NULL;
    tt_map *m = p && p->plain ? tt__snapshot_plain(cat, t, p, seq)
                              : tt__probes_snapshot(cat, t, seq);
    if (m && tt__entry_set_probes(&cat->trace, e, side, m) < 0) {
        tt__probes_clear(m);
        cat->trace_oom = true;
    }
}
static inline void tt__snapshot(tt_catalyst *cat, tt_tonic *t, tt_trace_entry *e, int side)
{
    tt__snapshot_seq(cat, t, e, tt__entry_seq(e), side);
}

/* timer.c */
/* Queue the callbacks of due timers (now = catalyst clock). */
TT__INTERNAL void tt__timers_fire(tt_catalyst *cat, double now);
/* "ttTimerSingleShot", "ttTimerRepeat" or "ttTimerPausing". */
TT__INTERNAL const char *tt__timer_class_name(const tt_timer *tm);
TT__INTERNAL void tt__timer_free(tt_timer *tm);
/* Finish a timer: unregister it, leave the base's infusions and queue
 * base._ttss__on_infusion_completed(timer) with source src (as Python). */
TT__INTERNAL int tt__timer_finish(tt_timer *tm, const tt__frame *src);
/* The earliest due time of a running timer, or -1. */
TT__INTERNAL double tt__timers_next(const tt_catalyst *cat);

/* timer.c, distiller.c: the longest period or timeout, in seconds (about
 * 31,700 years): every time stays finite and fits a time_t. */
#define TT__TIME_MAX 1e12
/* The latest virtual time, in seconds (ten times the longest period): a
 * period or timeout added to it stays exact to the millisecond, so a run's
 * deadline is always later than its start. */
#define TT__VT_MAX 1e13

/* trace-load.c: what a recorded catalyst owns (its synthesized classes). */
struct tt__recorded;
TT__INTERNAL void tt__recorded_free(struct tt__recorded *r);

/* record.c: take the snapshot another thread asked for. */
TT__INTERNAL void tt__record_snapshot(tt_catalyst *cat);
/* record.c: run the call another thread asked for. */
TT__INTERNAL void tt__record_call(tt_catalyst *cat);

/* crash.c */
#define TT__WATCHDOG_MAX 1e6 /* seconds: far beyond any sparkle, fits setitimer */
/* Run a handler under crash containment; returns 0, a signal number, -1 (the
 * watchdog) or -2 (tt_distiller_abort). */
TT__INTERNAL int tt__guarded_call(tt_catalyst *cat, const tt__impl *impl, size_t nargs,
                                  tt_tonic *self, const tt_value *args);
/* The guarded code's catalyst and jump buffer (NULL: none runs). */
TT__INTERNAL extern tt_catalyst *tt__guard_owner;
TT__INTERNAL extern sigjmp_buf *volatile tt__guard_jmp;
/* Arm the guard of tt_catalyst_run (cat->loop_jmp) while the recording
 * loop runs sparkles (a crash returns there: a sparkle needs nothing of its
 * own), disarm it while the loop waits and when the run is over. */
TT__INTERNAL void tt__loop_guard_arm(tt_catalyst *cat);
TT__INTERNAL void tt__loop_guard_disarm(tt_catalyst *cat);

/* Run one order recording it in the flight recorder's ring (the production
 * loop's hot path, inlined there): the order's fields and values copied into
 * the record at head in one go (the record owns the values from then on:
 * the order is not cleared), the tonic's ids and states, and one clock read
 * (back to back, a sparkle's exit time is the next one's enter time).  No
 * allocation, no formatting, no names: record.c turns records into entries
 * when they are read.  The tonic's statistics are counted here. */
static inline __attribute__((always_inline)) void tt__execute_rec(tt_catalyst *cat,
                                                                 tt__order *o)
{
    tt__recorder *rec = &cat->rec;
    tt__rec *r = &rec->ring[rec->head];
    if (TT__UNLIKELY(r->oflags & TT__OF_OWNS))
        tt__rec_clear(r);
    tt_tonic *t = o->tonic;
    memcpy(r, &o->sparkle, offsetof(tt__rec, tonic)); /* 64 bytes */
    if (TT__UNLIKELY(o->nargs > TT__INLINE_ARGS))
        r->heap = o->args;
    /* the rest of the record at the exit, in as few stores as can be
     * (stores are most of what a record costs; a crash does not come back
     * here: tt__rec_crashed closes the record) */
    uint16_t state_in = (uint16_t)t->state;
    uint64_t who = (uint64_t)t->l.serial | (uint64_t)(uint32_t)t->l.id << 32;

    /* the common case, a user handler of a live tonic called with its whole
     * signature under the loop's crash guard, here; anything else as
     * tt__execute runs it */
    const tt__sparkle *sp = o->sp;
    const tt__impl *impl = NULL;
    if (TT__LIKELY(sp && !sp->builtin && t->l.id >= 0 && !t->finishing &&
                   o->nargs == sp->nargs && cat->loop_jmp)) {
        impl = &sp->generic;
        if (t->state >= 0) {
            if (sp->per_state && sp->per_state[t->state].fn)
                impl = &sp->per_state[t->state];
        } else if (sp->state_aware) {
            impl = tt__compat_no_state_impl(t, sp);
        }
        if (TT__UNLIKELY(!impl->fn))
            impl = NULL;
    }
    (void)tt__enter(cat, o, rec->seq + 1);
    uint16_t flags;
    if (TT__LIKELY(impl != NULL)) {
        /* under the loop's guard, armed for the whole run (crash.c) */
        tt__impl_call(impl, o->nargs, t, o->args);
        flags = 0;
    } else {
        flags = tt__execute_rec_slow(cat, o);
    }
    /* the loop runs outside any sparkle (tt_catalyst_run refuses to run
     * inside one): the frame to restore is the external one, not saved
     * across the call */
    tt__leave(cat, (tt__frame){NULL, TT_N_EMPTY, -1, 0});

    /* (seq and the enter time are read again: cheaper than keeping them
     * across the call) */
    uint64_t seq = rec->seq + 1;
    uint64_t t0 = rec->t, t1;
    flags |= cat->exec_flags | (cat->sparkling ? TT_EF_SPARKLING : 0);
    if (__atomic_load_n(&rec->coarse, __ATOMIC_ACQUIRE)) {
        /* the ticker's reading, never before the last (record-clock.c);
         * a tick's worth of difference says nothing of this sparkle's
         * length, so it counts in the busy time only; a sparkle stamped
         * across more ticks (TT_RECORD_CLOCK_TICK, or a late ticker) counts
         * in the longest less a tick (an estimate: to a tick when the
         * ticker keeps time) */
        uint64_t now = __atomic_load_n(&rec->tick, __ATOMIC_RELAXED);
        t1 = t0;
        if (TT__UNLIKELY(now > t0)) {
            t1 = now;
            t->stats.busy += t1 - t0;
            if (t1 - t0 > rec->tick_span && t1 - t0 - rec->tick_span > t->stats.longest)
                t->stats.longest = t1 - t0 - rec->tick_span;
        }
        flags |= TT__RF_TICK;
    } else {
        t1 = tt__ticks(&cat->clock);
        t->stats.busy += t1 - t0;
        /* a start stamped by the ticker is up to a tick early: a short
         * sparkle after a fast stretch counts what it ran at least (else
         * it takes the stretch's tail); one longer than two ticks, which
         * the ticker saw running, counts whole (never shorter than it ran) */
        uint64_t d = t1 - t0;
        if (TT__UNLIKELY(t0 == __atomic_load_n(&rec->tick, __ATOMIC_RELAXED)) &&
            d <= 2 * rec->tick_span)
            d = d > rec->tick_span ? d - rec->tick_span : 0;
        if (d > t->stats.longest)
            t->stats.longest = d;
    }
    t->stats.sparkles++;
    rec->t = t1;
#if TT__ORDER_WORDS
    uint64_t end = state_in | (uint64_t)(uint16_t)t->state << 16 | (uint64_t)flags << 32;
    tt__store2(&r->tonic, who, t0);
    tt__store2(&r->t_exit, t1, end);
#else
    r->tonic = (uint32_t)who;
    r->id = (int32_t)(who >> 32);
    r->t_enter = t0;
    r->t_exit = t1;
    r->state_enter = (int16_t)state_in;
    r->state_exit = (int16_t)t->state;
    r->flags = flags;
#endif
    __atomic_store_n(&rec->seq, seq, __ATOMIC_RELAXED);
    if (TT__UNLIKELY(cat->queue.len > cat->q_high)) { /* for lint.c */
        cat->q_high = cat->queue.len;
        cat->q_high_seq = seq;
    }
    if (TT__UNLIKELY(++rec->head == rec->cap))
        tt__rec_wrap(rec); /* may move the ring: r is stale */
}

/* value.c: how deep v nests, counted at most to limit + 1. */
TT__INTERNAL size_t tt__value_depth(const tt_value *v, size_t limit);
TT__INTERNAL const char *tt__signame(int sig);
/* What a guarded call returns when the code called exit() (tt_guard_exit). */
#define TT__GUARD_EXIT (-3)
/* Run fn(ud) under containment (nests; runs it plainly when cat does not
 * contain crashes): 0, a signal number, -1 (watchdog), -2 (tt_distiller_abort)
 * or TT__GUARD_EXIT. */
TT__INTERNAL int tt__guard(tt_catalyst *cat, void (*fn)(void *), void *ud);
/* "crashed: SIGSEGV in WHAT", "exited: 3 in WHAT", ... for a tt__guard result. */
TT__INTERNAL void tt__guard_describe(const tt_catalyst *cat, int why, const char *what,
                                     char *buf, size_t size);
TT__INTERNAL int tt__guard_exit_status(void);
/* Install / remove the process-wide handlers (contain_crashes). */
TT__INTERNAL int tt__crash_install(tt_catalyst *cat);
TT__INTERNAL void tt__crash_uninstall(tt_catalyst *cat);
/* Install them again where another handler replaced them (before a run). */
TT__INTERNAL void tt__crash_rearm(tt_catalyst *cat);

#endif /* TT_INT_H */
