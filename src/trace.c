/*
 * trace.c: the Distiller's record of executed sparkles, and its runs.
 *
 * Entries live in chunks of TT__CHUNK fixed-size records, numbered by a
 * session-wide sequence number from 1, so entry `seq` is found in O(1) and
 * pointers to entries stay valid.  Arguments and probe snapshots of a chunk's
 * entries are allocated from that chunk's bump arena.  With a ring size, whole
 * chunks are dropped from the front once more than `ring` entries are kept,
 * which bounds memory for endless runs.
 */
#include "tt-int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A trace's first arena block is small and malloc'd (a short trace stays
 * small).  Every later block is carved from a shared region of 2 MiB,
 * aligned and offered transparent huge pages (one page fault per 2 MiB
 * instead of 512): the chunk that carves takes the region's whole free
 * part, and gives back what it did not use when the next chunk carves, so
 * consecutive chunks fill a region end to end and a huge page is not
 * resident for a quarter of its bytes (a chunk of 65,536 entries with one
 * argument each needs 1 MiB).  A region counts the blocks carved from it
 * and is unmapped with its last; as a ring drops chunks in order, its
 * regions go in order too.  A request larger than CARVE_MAX gets a block
 * of its own.  Each block starts with its size and its region (NULL:
 * malloc'd), for reuse when the chunk is recycled. */
#define ARENA_FIRST (256u << 10)
#define ARENA_BIG (2u << 20)
#define REGION ARENA_BIG
#define REGION_HEAD 16u           /* the region's count of blocks */
#define CARVE_MAX (64u << 10)
#define ARENA_HEAD 16u

typedef struct arena_head {
    size_t size;                  /* the block's bytes, head included */
    char *region;                 /* the region it was carved from, or NULL */
} arena_head;
_Static_assert(sizeof(arena_head) == ARENA_HEAD, "an arena block's head");

static size_t page_round(size_t n)
{
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    return (n + pg - 1) / pg * pg;
}

/* size bytes of fresh zeroed memory aligned to align (a power of two, at
 * least a page), offered transparent huge pages. */
static char *map_aligned(size_t size, size_t align)
{
    char *p = mmap(NULL, size + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    char *a = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
    if (a > p)
        munmap(p, (size_t)(a - p));
    if (p + align > a)
        munmap(a + size, (size_t)(p + align - a));
#ifdef MADV_HUGEPAGE
    madvise(a, size, MADV_HUGEPAGE);
#endif
    return a;
}

/* A block of its own for a large request; from 2 MiB up it is offered huge
 * pages (it is filled by one request, so they are not wasted). */
static char *arena_block(size_t size)
{
    if (size < ARENA_BIG)
        return malloc(size);
    void *p = NULL;
    if (posix_memalign(&p, ARENA_BIG, size) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, size, MADV_HUGEPAGE);
#endif
    return p;
}

/* A chunk, aligned to the size of its entries so that an entry's address
 * gives its chunk (tt__chunk_of), zeroed; offered transparent huge pages,
 * so that a long trace takes a page fault per 2 MiB instead of per 4 KiB. */
static tt__chunk *chunk_map(void)
{
    return (tt__chunk *)map_aligned(page_round(sizeof(tt__chunk)), TT__CHUNK_BYTES);
}

/* The chunk holding the region's free part gives back what it has not
 * used, if its bump is still in that block (else it keeps the block whole
 * and the region's rest is left unused).  A bump only moves back in
 * tt__trace_cut, which releases the chunk first, so what is given back was
 * never written: a region's free part is zero. */
static void holder_release(tt__trace *t)
{
    tt__chunk *c = t->rg_holder;
    if (!c)
        return;
    arena_head *h = (arena_head *)t->rg_block;
    char *b = t->rg_block;
    if (c->bump >= b + ARENA_HEAD && c->bump <= b + h->size) {
        size_t used = (size_t)(c->bump - b);
        c->bytes -= h->size - used;
        t->bytes -= h->size - used;
        h->size = used;
        t->rg_next = (size_t)(c->bump - t->rg);
        c->bump_left = 0;
    } else {
        t->rg = NULL;
    }
    t->rg_holder = NULL;
    t->rg_block = NULL;
}

/* Carve a block of at least `need` bytes (head included), from a fresh
 * region when the free part is too small: for chunk c's arena, the
 * region's whole free part; without c, `need` bytes. */
static char *carve(tt__trace *t, tt__chunk *c, size_t need)
{
    holder_release(t);
    if (!t->rg || REGION - t->rg_next < need) {
        char *rg = map_aligned(REGION, REGION);
        if (!rg)
            return NULL;
        t->rg = rg;
        t->rg_next = REGION_HEAD;
    }
    char *b = t->rg + t->rg_next;
    size_t size = c ? REGION - t->rg_next : need;
    *(arena_head *)b = (arena_head){size, t->rg};
    ++*(size_t *)t->rg;
    t->rg_next += size;
    if (c) {
        t->rg_holder = c;
        t->rg_block = b;
    }
    return b;
}

/* Free an arena block. */
static void block_free(tt__trace *t, char *b)
{
    char *rg = ((arena_head *)b)->region;
    if (!rg) {
        free(b);
        return;
    }
    if (--*(size_t *)rg == 0) {
        if (t->rg == rg)
            t->rg = NULL;
        munmap(rg, REGION);
    }
}

/* Initialise an empty trace. */
void tt__trace_init(tt__trace *t, size_t ring)
{
    memset(t, 0, sizeof *t);
    t->ring = ring;
    t->first = 1;
    t->first_chunk_seq = 1;
}

/* Free what the first `used` entries of c own, and forget what they keep
 * out of line. */
static void chunk_clear(tt__chunk *c, size_t used)
{
    for (size_t i = 0; c->owns && i < used; i++) {
        tt_trace_entry *e = &c->e[i];
        for (size_t j = 0; e->args && j < e->nargs; j++)
            if (e->args[j].type == TT_T_STR || e->args[j].type == TT_T_LIST ||
                e->args[j].type == TT_T_MAP) /* the others own nothing */
                tt_value_clear(&e->args[j]);
    }
    for (size_t k = 0; k * TT__PP < used; k++) {
        tt_map **p = c->pp[k];
        size_t n = used - k * TT__PP < TT__PP ? used - k * TT__PP : TT__PP;
        for (size_t i = 0; p && c->owns && i < 2 * n; i++)
            tt__probes_clear(p[i]);
        if (p)
            memset(p, 0, 2 * n * sizeof *p);
    }
    c->n_x = 0;
    c->owns = false;
}

/* Free a chunk whose entries up to `used` are written. */
static void chunk_free(tt__trace *t, tt__chunk *c, size_t used)
{
    chunk_clear(c, used);
    if (t->rg_holder == c)
        holder_release(t);
    for (size_t i = 0; i < c->n_arenas; i++)
        block_free(t, c->arenas[i]);
    free(c->arenas);
    for (size_t k = 0; k < TT__CHUNK / TT__PP; k++)
        if (c->pp[k])
            block_free(t, (char *)c->pp[k] - ARENA_HEAD);
    free(c->x);
    munmap(c, page_round(sizeof *c));
}

static size_t chunk_used(const tt__trace *t, size_t k)
{
    uint64_t start = t->first_chunk_seq + (uint64_t)k * TT__CHUNK;
    if (t->last < start)
        return 0;
    uint64_t n = t->last - start + 1;
    return n > TT__CHUNK ? TT__CHUNK : (size_t)n;
}

/* Free every entry. */
void tt__trace_free(tt__trace *t)
{
    for (size_t k = 0; k < t->n_chunks; k++)
        chunk_free(t, t->chunks[k], chunk_used(t, k));
    free(t->chunks);
    if (t->spare)
        chunk_free(t, t->spare, 0);
    memset(t, 0, sizeof *t);
}

/* Drop the oldest chunk; the first one dropped is kept for reuse, with its
 * arenas, so that a ring does not fault fresh pages in forever. */
static void drop_front(tt__trace *t)
{
    tt__chunk *c = t->chunks[0];
    size_t used = chunk_used(t, 0);
    memmove(t->chunks, t->chunks + 1, (t->n_chunks - 1) * sizeof *t->chunks);
    t->n_chunks--;
    t->first_chunk_seq += TT__CHUNK;
    if (t->first < t->first_chunk_seq)
        t->first = t->first_chunk_seq;
    if (t->rg_holder == c)
        holder_release(t); /* first: its bytes then count what it keeps */
    if (t->spare) {
        t->bytes -= c->bytes + sizeof *c;
        chunk_free(t, c, used);
        return;
    }
    chunk_clear(c, used);
    c->bump = NULL;
    c->bump_left = 0;
    c->next_arena = 0;
    t->spare = c;
}

/* A new zeroed entry with the next sequence number. */
static tt_trace_entry *append(tt__trace *t)
{
    uint64_t seq = t->last + 1;
    size_t k = (size_t)((seq - t->first_chunk_seq) >> TT__CHUNK_BITS);
    if (k == t->n_chunks) {
        if (t->ring && t->n_chunks > 1 &&
            (uint64_t)(t->n_chunks - 1) * TT__CHUNK >= t->ring) {
            if (t->before_drop)
                t->before_drop(t);
            drop_front(t);
            k--;
        }
        tt__chunk *c = t->spare;
        if (c) {
            t->spare = NULL; /* its bytes are still counted */
        } else {
            if (!(c = chunk_map()))
                return NULL;
            t->bytes += sizeof *c;
        }
        if (TT__PUSH(t->chunks, t->n_chunks, t->cap_chunks, c) < 0) {
            t->spare = c;
            return NULL;
        }
        c->seq0 = t->first_chunk_seq + (uint64_t)k * TT__CHUNK;
    }
    tt_trace_entry *e = &t->chunks[k]->e[(seq - t->first_chunk_seq) & (TT__CHUNK - 1)];
    memset(e, 0, sizeof *e);
    t->last = seq;
    return e;
}

/* The same for a writer that may move values that own memory into it. */
tt_trace_entry *tt__trace_append(tt__trace *t)
{
    tt_trace_entry *e = append(t);
    if (e)
        tt__chunk_of(e)->owns = true;
    return e;
}

/* An entry with its argument space, or nothing. */
tt_trace_entry *tt__trace_reserve(tt__trace *t, size_t nargs)
{
    tt_trace_entry *e = append(t);
    if (!e || !nargs)
        return e;
    e->args = tt__trace_alloc(t, t->last, nargs * sizeof *e->args);
    if (!e->args) {
        t->last--; /* the slot is reused by the next append */
        return NULL;
    }
    return e;
}

/* Memory from the arena of the chunk holding seq (8-byte aligned). */
void *tt__trace_alloc(tt__trace *t, uint64_t seq, size_t size)
{
    size_t k = (size_t)((seq - t->first_chunk_seq) >> TT__CHUNK_BITS);
    tt__chunk *c = t->chunks[k];
    size = (size + 7) & ~(size_t)7;
    if (size > c->bump_left && c->next_arena < c->n_arenas) {
        /* a recycled chunk: its next block, if it is big enough */
        char *a = c->arenas[c->next_arena];
        size_t bs = ((const arena_head *)a)->size;
        if (size <= bs - ARENA_HEAD) {
            c->next_arena++;
            c->bump = a + ARENA_HEAD;
            c->bump_left = bs - ARENA_HEAD;
        }
    }
    if (size > c->bump_left) {
        size_t need = size + ARENA_HEAD;
        if (TT__UNLIKELY(c->cap_arenas == c->n_arenas) &&
            tt__grow((void **)&c->arenas, &c->cap_arenas, c->n_arenas + 1,
                     sizeof *c->arenas) < 0)
            return NULL;
        char *p;
        if (t->arena_started && need <= CARVE_MAX) {
            if (!(p = carve(t, c, need)))
                return NULL;
        } else {
            if (t->rg_holder == c)
                holder_release(t);
            size_t block = t->arena_started || need > ARENA_FIRST ? need : ARENA_FIRST;
            if (!(p = arena_block(block)))
                return NULL;
            *(arena_head *)p = (arena_head){block, NULL};
            t->arena_started = true;
        }
        size_t block = ((const arena_head *)p)->size;
        c->arenas[c->n_arenas++] = p;
        c->bump = p + ARENA_HEAD;
        c->bump_left = block - ARENA_HEAD;
        c->next_arena = c->n_arenas;
        c->bytes += block;
        t->bytes += block;
    }
    void *r = c->bump;
    c->bump += size;
    c->bump_left -= size;
    return r;
}

/* The entry with number seq, NULL if dropped or not written. */
const tt_trace_entry *tt__trace_get(const tt__trace *t, uint64_t seq)
{
    if (seq < t->first || seq > t->last || seq == 0)
        return NULL;
    size_t k = (size_t)((seq - t->first_chunk_seq) >> TT__CHUNK_BITS);
    return &t->chunks[k]->e[(seq - t->first_chunk_seq) & (TT__CHUNK - 1)];
}

/* --- what an entry keeps out of line ---------------------------------- */

static uint64_t dbits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static double bitsd(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* Index in c->x of the first value at or after (idx, kind). */
static size_t x_find(const tt__chunk *c, uint32_t idx, uint32_t kind)
{
    size_t lo = 0, hi = c->n_x;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const tt__xval *x = &c->x[mid];
        if (x->idx < idx || (x->idx == idx && x->kind < kind))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int x_set(tt__trace *t, tt_trace_entry *e, uint32_t kind, uint64_t bits)
{
    tt__chunk *c = tt__chunk_of(e);
    uint32_t idx = (uint32_t)(e - c->e);
    size_t i = x_find(c, idx, kind);
    if (i < c->n_x && c->x[i].idx == idx && c->x[i].kind == kind) {
        c->x[i].bits = bits;
        return 0;
    }
    if (c->n_x == c->cap_x) {
        size_t cap = c->cap_x ? 2 * c->cap_x : 8;
        tt__xval *x = realloc(c->x, cap * sizeof *x);
        if (!x)
            return -TT_ENOMEM;
        c->bytes += (cap - c->cap_x) * sizeof *x;
        t->bytes += (cap - c->cap_x) * sizeof *x;
        c->x = x;
        c->cap_x = cap;
    }
    memmove(c->x + i + 1, c->x + i, (c->n_x - i) * sizeof *c->x);
    c->x[i] = (tt__xval){idx, kind, bits};
    c->n_x++;
    return 0;
}

static uint64_t x_get(const tt_trace_entry *e, uint32_t kind)
{
    const tt__chunk *c = tt__chunk_of(e);
    uint32_t idx = (uint32_t)(e - c->e);
    size_t i = x_find(c, idx, kind);
    return i < c->n_x && c->x[i].idx == idx && c->x[i].kind == kind ? c->x[i].bits : 0;
}

/* Keep an entry's cause or exit time out of line (its packed field cannot
 * hold it); without memory the entry has no cause, or exits when it enters. */
int tt__entry_put_out(tt__trace *t, tt_trace_entry *e, uint32_t kind, uint64_t bits)
{
    uint32_t *field = kind == TT__X_CAUSE ? &e->cause_back : &e->exit_ulps;
    if (x_set(t, e, kind, bits) < 0) {
        *field = 0;
        return -TT_ENOMEM;
    }
    *field = TT__PACKED_OUT;
    return 0;
}

/* Snapshots come with a probe contract: a chunk's table of them comes in
 * pieces of TT__PP entries, each made on its first snapshot, carved from
 * the arena's region when it has room (64 KiB in a huge page, where a
 * table per chunk took 1 MiB faulted 4 KiB at a time), else malloc'd (a
 * short trace stays small, and a region's tail is not skipped).  Freed
 * with the chunk; a recycled chunk keeps them. */
int tt__entry_set_probes_slow(tt__trace *t, tt_trace_entry *e, int side, tt_map *m)
{
    tt__chunk *c = tt__chunk_of(e);
    size_t i = (size_t)(e - c->e);
    tt_map ***pp = &c->pp[i >> TT__PP_BITS];
    if (!*pp) {
        if (!m)
            return 0;
        size_t need = ARENA_HEAD + 2 * (size_t)TT__PP * sizeof(tt_map *);
        char *b = NULL;
        holder_release(t);
        if (t->rg && REGION - t->rg_next >= need)
            b = carve(t, NULL, need); /* never written: zero */
        else if ((b = calloc(1, need)) != NULL) /* a region's tail is not left unused */
            *(arena_head *)b = (arena_head){need, NULL};
        if (!b)
            return -TT_ENOMEM;
        *pp = (tt_map **)(b + ARENA_HEAD);
        c->bytes += need;
        t->bytes += need;
    }
    (*pp)[2 * (i & (TT__PP - 1)) + (side != 0)] = m;
    return 0;
}

uint64_t tt_entry_seq(const tt_trace_entry *e) { return e ? tt__entry_seq(e) : 0; }

uint64_t tt_entry_cause(const tt_trace_entry *e)
{
    if (!e || !e->cause_back)
        return 0;
    if (e->cause_back != TT__PACKED_OUT)
        return tt__entry_seq(e) - e->cause_back;
    return x_get(e, TT__X_CAUSE);
}

double tt_entry_t_exit(const tt_trace_entry *e)
{
    if (!e)
        return 0;
    if (e->exit_ulps != TT__PACKED_OUT)
        return bitsd(dbits(e->t_enter) + e->exit_ulps);
    return bitsd(x_get(e, TT__X_EXIT));
}

static const tt_map *entry_probes(const tt_trace_entry *e, int side)
{
    if (!e)
        return NULL;
    const tt__chunk *c = tt__chunk_of(e);
    size_t i = (size_t)(e - c->e);
    tt_map *const *p = c->pp[i >> TT__PP_BITS];
    return p ? p[2 * (i & (TT__PP - 1)) + side] : NULL;
}

const tt_map *tt_entry_probes_enter(const tt_trace_entry *e) { return entry_probes(e, 0); }
const tt_map *tt_entry_probes_exit(const tt_trace_entry *e) { return entry_probes(e, 1); }

/* --- runs --------------------------------------------------------------- */

/* A new run appended to the session. */
tt_run *tt__run_new(tt_catalyst *cat)
{
    tt_run *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    /* room for the usual stop conditions, so that a run always has one */
    r->cap_stops = 4;
    r->stops = malloc(r->cap_stops * sizeof *r->stops);
    if (!r->stops || TT__PUSH(cat->runs, cat->n_runs, cat->cap_runs, r) < 0) {
        free(r->stops);
        free(r);
        return NULL;
    }
    return r;
}

/* The stop condition of a run whose own condition found no memory. */
static char oom_stop[] = "error: out of memory";

/* Append a stop condition. */
int tt__run_add_stop(tt_run *r, const char *s)
{
    char *c = tt__strdup(s);
    if (c && TT__PUSH(r->stops, r->n_stops, r->cap_stops, c) == 0)
        return 0;
    free(c);
    /* the run must still say why it stopped: the fixed text takes the last
     * place (there are at least four) */
    if (r->n_stops < r->cap_stops) {
        r->stops[r->n_stops++] = oom_stop;
    } else if (r->stops[r->n_stops - 1] != oom_stop) {
        free(r->stops[r->n_stops - 1]);
        r->stops[r->n_stops - 1] = oom_stop;
    }
    return -TT_ENOMEM;
}

int tt_run_set_stops(tt_catalyst *cat, size_t i, const char *const *stops,
                     size_t n)
{
    if (!cat || i >= cat->n_runs || !stops || n == 0)
        return -TT_EINVAL;
    size_t cap = n < 4 ? 4 : n;
    char **v = calloc(cap, sizeof *v);
    if (!v)
        return -TT_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        v[k] = tt__strdup(stops[k] ? stops[k] : "");
        if (!v[k]) {
            while (k--)
                free(v[k]);
            free(v);
            return -TT_ENOMEM;
        }
    }
    tt_run *r = cat->runs[i];
    for (size_t k = 0; k < r->n_stops; k++)
        if (r->stops[k] != oom_stop)
            free(r->stops[k]);
    free(r->stops);
    r->stops = v;
    r->n_stops = n;
    r->cap_stops = cap;
    return 0;
}

/* What a run's outcome holds: a run of its own, with no entries. */
struct tt_run_outcome {
    tt_run r;
    uint64_t count; /* the entries of the run it was taken from */
};

/* Free what copy_end put into r. */
static void drop_end(tt_run *r)
{
    tt__run_trim_stops(r, 0);
    free(r->stops);
    r->stops = NULL;
    r->cap_stops = 0;
    tt__run_drop_met(r);
}

/* Copy how src ended into dst (its end fields zero): stops, contract
 * details, status, wall-clock start and end, virtual end.  0 or
 * -TT_ENOMEM (dst as it was). */
static int copy_end(tt_run *dst, const tt_run *src)
{
    dst->cap_stops = src->n_stops < 4 ? 4 : src->n_stops;
    dst->stops = calloc(dst->cap_stops, sizeof *dst->stops);
    if (!dst->stops)
        goto fail;
    for (size_t k = 0; k < src->n_stops; k++) {
        char *c = src->stops[k] == oom_stop ? oom_stop : tt__strdup(src->stops[k]);
        if (!c)
            goto fail;
        dst->stops[dst->n_stops++] = c;
    }
    size_t n = src->n_matched;
    if (n) {
        dst->matched = calloc(n, sizeof *dst->matched);
        dst->reasons = calloc(n, sizeof *dst->reasons);
        dst->n_reasons = calloc(n, sizeof *dst->n_reasons);
        if (!dst->matched || !dst->reasons || !dst->n_reasons)
            goto fail;
        for (size_t i = 0; i < n; i++) {
            size_t nr = src->n_reasons[i];
            dst->n_matched = i + 1;
            dst->matched[i] = tt__strdup(src->matched[i]);
            dst->reasons[i] = calloc(nr ? nr : 1, sizeof **dst->reasons);
            if (!dst->matched[i] || !dst->reasons[i])
                goto fail;
            for (size_t j = 0; j < nr; j++) {
                if (!(dst->reasons[i][j] = tt__strdup(src->reasons[i][j])))
                    goto fail;
                dst->n_reasons[i] = j + 1;
            }
        }
    }
    dst->met = src->met;
    dst->match_count = src->match_count;
    dst->target_count = src->target_count;
    dst->finished_status = src->finished_status;
    dst->start = src->start;
    dst->end = src->end;
    dst->vt_end = src->vt_end;
    return 0;
fail:
    drop_end(dst);
    return -TT_ENOMEM;
}

tt_run_outcome *tt_run_outcome_take(const tt_run *r)
{
    tt_run_outcome *o = r ? calloc(1, sizeof *o) : NULL;
    if (!o || copy_end(&o->r, r) < 0) {
        free(o);
        return NULL;
    }
    o->r.has_trace = r->has_trace;
    o->count = r->count;
    return o;
}

void tt_run_outcome_free(tt_run_outcome *o)
{
    if (!o)
        return;
    drop_end(&o->r);
    free(o);
}

/* Move the end fields of src (copy_end's) into r, r's own freed. */
static void put_end(tt_run *r, tt_run *src)
{
    drop_end(r);
    r->stops = src->stops;
    r->n_stops = src->n_stops;
    r->cap_stops = src->cap_stops;
    r->met = src->met;
    r->match_count = src->match_count;
    r->target_count = src->target_count;
    r->matched = src->matched;
    r->reasons = src->reasons;
    r->n_reasons = src->n_reasons;
    r->n_matched = src->n_matched;
    r->finished_status = src->finished_status;
    r->start = src->start;
    r->end = src->end;
    r->vt_end = src->vt_end;
}

int tt_run_set_outcome(tt_catalyst *cat, size_t i, const tt_run_outcome *o)
{
    if (!cat || i >= cat->n_runs || !o)
        return -TT_EINVAL;
    tt_run tmp = {0};
    if (copy_end(&tmp, &o->r) < 0)
        return -TT_ENOMEM;
    put_end(cat->runs[i], &tmp);
    return 0;
}

int tt_run_add_empty(tt_catalyst *cat, const tt_run_outcome *o)
{
    if (!cat || !o || o->count)
        return -TT_EINVAL;
    tt_run tmp = {0};
    if (copy_end(&tmp, &o->r) < 0)
        return -TT_ENOMEM;
    tt_run *r = tt__run_new(cat);
    if (!r) {
        drop_end(&tmp);
        return -TT_ENOMEM;
    }
    put_end(r, &tmp);
    r->has_trace = o->r.has_trace;
    r->first_seq = r->has_trace ? cat->trace.last + 1 : 0;
    r->vt_start = tt_catalyst_now(cat);
    return 0;
}

/* Keep the first n stop conditions of a run (checkpoint.c). */
void tt__run_trim_stops(tt_run *r, size_t n)
{
    while (r->n_stops > n) {
        char *s = r->stops[--r->n_stops];
        if (s != oom_stop)
            free(s);
    }
}

/* Forget a run's contract details (checkpoint.c, tt__run_free). */
void tt__run_drop_met(tt_run *r)
{
    for (size_t i = 0; i < r->n_matched; i++) {
        for (size_t j = 0; j < r->n_reasons[i]; j++)
            free(r->reasons[i][j]);
        free(r->reasons[i]);
        free(r->matched[i]);
    }
    free(r->reasons);
    free(r->n_reasons);
    free(r->matched);
    r->reasons = NULL;
    r->n_reasons = NULL;
    r->matched = NULL;
    r->n_matched = 0;
    r->met = false;
    r->match_count = r->target_count = 0;
}

/* Free a run. */
void tt__run_free(tt_run *r)
{
    if (!r)
        return;
    tt__run_trim_stops(r, 0);
    free(r->stops);
    tt__run_drop_met(r);
    free(r);
}

/* --- public accessors -------------------------------------------------- */

const char *tt_name(const tt_catalyst *cat, uint32_t id)
{
    return cat && id < cat->names.n ? cat->names.str[id] : NULL;
}

const char *tt_entry_tonic_name(const tt_catalyst *cat, const tt_trace_entry *e)
{
    return cat && e && e->tonic < cat->n_tonics ? cat->tonics[e->tonic]->l.name : NULL;
}

const char *tt_entry_sparkle_name(const tt_catalyst *cat, const tt_trace_entry *e)
{
    return e ? tt_name(cat, e->sparkle) : NULL;
}

const char *tt_entry_source_name(const tt_catalyst *cat, const tt_trace_entry *e)
{
    if (!cat || !e || e->src_obj == TT_SRC_NONE)
        return NULL;
    if (e->src_obj & TT_SRC_TIMER) {
        uint32_t i = e->src_obj & ~TT_SRC_TIMER;
        return i < cat->n_timers ? cat->timers[i]->l.name : NULL;
    }
    return e->src_obj < cat->n_tonics ? cat->tonics[e->src_obj]->l.name : NULL;
}

const char *tt_entry_source_sparkle(const tt_catalyst *cat, const tt_trace_entry *e)
{
    return e ? tt_name(cat, e->src_sparkle) : NULL;
}

const char *tt_entry_state_enter(const tt_catalyst *cat, const tt_trace_entry *e)
{
    if (!cat || !e || e->tonic >= cat->n_tonics)
        return NULL;
    return tt_tonic_state_at(cat->tonics[e->tonic], e->state_enter);
}

const char *tt_entry_state_exit(const tt_catalyst *cat, const tt_trace_entry *e)
{
    if (!cat || !e || e->tonic >= cat->n_tonics)
        return NULL;
    return tt_tonic_state_at(cat->tonics[e->tonic], e->state_exit);
}

/* A recording production catalyst converts its raw records first. */
static const tt_catalyst *synced(const tt_catalyst *cat)
{
    if (cat && cat->rec.seq != cat->trace.last && tt__rec_kept(&cat->rec))
        tt__record_sync((tt_catalyst *)cat);
    return cat;
}

uint64_t tt_trace_first_seq(const tt_catalyst *cat) { return synced(cat) ? cat->trace.first : 1; }
uint64_t tt_trace_last_seq(const tt_catalyst *cat) { return synced(cat) ? cat->trace.last : 0; }
const tt_trace_entry *tt_trace_get(const tt_catalyst *cat, uint64_t seq)
{
    return synced(cat) ? tt__trace_get(&cat->trace, seq) : NULL;
}
size_t tt_trace_memory(const tt_catalyst *cat) { return cat ? cat->trace.bytes : 0; }

size_t tt_run_count(const tt_catalyst *cat) { return cat ? cat->n_runs : 0; }
const tt_run *tt_run_at(const tt_catalyst *cat, size_t i)
{
    return cat && i < cat->n_runs ? cat->runs[i] : NULL;
}
uint64_t tt_run_first_seq(const tt_run *r) { return r ? r->first_seq : 0; }
uint64_t tt_run_entry_count(const tt_run *r) { return r ? r->count : 0; }
const char *tt_run_status(const tt_run *r)
{
    return r && r->finished_status ? "catalyst finished" : "running";
}
size_t tt_run_stop_count(const tt_run *r) { return r ? r->n_stops : 0; }
const char *tt_run_stop_at(const tt_run *r, size_t i)
{
    return r && i < r->n_stops ? r->stops[i] : NULL;
}
bool tt_run_has_trace(const tt_run *r) { return r && r->has_trace; }
double tt_run_start(const tt_run *r) { return r ? r->start : 0; }
double tt_run_end(const tt_run *r) { return r ? r->end : 0; }
double tt_run_vt_start(const tt_run *r) { return r ? r->vt_start : 0; }
double tt_run_vt_end(const tt_run *r) { return r ? r->vt_end : 0; }

bool tt_run_contract_met(const tt_run *r, int *match_count, int *target_count)
{
    if (!r || !r->met)
        return false;
    if (match_count)
        *match_count = r->match_count;
    if (target_count)
        *target_count = r->target_count;
    return true;
}
size_t tt_run_matched_count(const tt_run *r) { return r ? r->n_matched : 0; }
const char *tt_run_matched_tonic(const tt_run *r, size_t i)
{
    return r && i < r->n_matched ? r->matched[i] : NULL;
}
size_t tt_run_matched_reason_count(const tt_run *r, size_t i)
{
    return r && i < r->n_matched ? r->n_reasons[i] : 0;
}
const char *tt_run_matched_reason(const tt_run *r, size_t i, size_t j)
{
    return r && i < r->n_matched && j < r->n_reasons[i] ? r->reasons[i][j] : NULL;
}

/* --- cutting back to a checkpoint (checkpoint.c) ------------------------ */

/* Where the trace ends now: its last seq and the arena position of that
 * entry's chunk, so that a cut gives the arena back too. */
void tt__trace_mark(const tt__trace *t, tt__trace_mark_t *m)
{
    memset(m, 0, sizeof *m);
    m->last = t->last;
    if (t->last < t->first || t->last == 0 || t->n_chunks == 0)
        return;
    size_t k = (size_t)((t->last - t->first_chunk_seq) >> TT__CHUNK_BITS);
    const tt__chunk *c = t->chunks[k];
    m->seq0 = c->seq0;
    if (c->bump && c->next_arena > 0) {
        m->arena = c->next_arena;
        m->off = (size_t)(c->bump - c->arenas[c->next_arena - 1]);
    }
}

/* Free a chunk cut off the end (kept as the spare when there is none). */
static void cut_chunk(tt__trace *t, tt__chunk *c, size_t used)
{
    if (t->rg_holder == c)
        holder_release(t); /* first: its bytes then count what it keeps */
    if (t->spare) {
        t->bytes -= c->bytes + sizeof *c;
        chunk_free(t, c, used);
        return;
    }
    chunk_clear(c, used);
    memset(c->e, 0, used * sizeof *c->e);
    c->bump = NULL;
    c->bump_left = 0;
    c->next_arena = 0;
    t->spare = c;
}

/* Drop every entry after m->last (values, probe snapshots, what they keep
 * out of line, their arena space).  When the ring has dropped m->last
 * already, the trace becomes empty and goes on at m->last + 1. */
void tt__trace_cut(tt__trace *t, const tt__trace_mark_t *m)
{
    uint64_t s = m->last;
    if (s >= t->last)
        return;
    bool keep = s + 1 >= t->first && s >= t->first_chunk_seq && t->n_chunks > 0;
    size_t k = keep ? (size_t)((s - t->first_chunk_seq) >> TT__CHUNK_BITS) : 0;
    /* whole chunks after the one holding s */
    for (size_t j = t->n_chunks; j-- > (keep ? k + 1 : 0);)
        cut_chunk(t, t->chunks[j], chunk_used(t, j));
    if (!keep) {
        t->n_chunks = 0;
        t->first_chunk_seq = 1 + s / TT__CHUNK * TT__CHUNK;
        t->first = s + 1;
        t->last = s;
        if (t->spare && t->first != t->first_chunk_seq) /* entries before first */
            memset(t->spare->e, 0, sizeof t->spare->e);
        return;
    }
    t->n_chunks = k + 1;
    tt__chunk *c = t->chunks[k];
    size_t used = chunk_used(t, k), from = (size_t)(s - c->seq0) + 1;
    for (size_t i = from; i < used; i++) {
        tt_trace_entry *e = &c->e[i];
        for (size_t j = 0; e->args && j < e->nargs; j++)
            tt_value_clear(&e->args[j]);
        tt_map **p = c->pp[i >> TT__PP_BITS];
        if (p) {
            size_t j = 2 * (i & (TT__PP - 1));
            tt__probes_clear(p[j]);
            tt__probes_clear(p[j + 1]);
            p[j] = p[j + 1] = NULL;
        }
        memset(e, 0, sizeof *e);
    }
    c->n_x = x_find(c, (uint32_t)from, 0);
    if (m->seq0 == c->seq0 && m->arena && m->arena <= c->n_arenas) {
        if (t->rg_holder == c)
            holder_release(t); /* its bump moves back */
        char *a = c->arenas[m->arena - 1];
        c->next_arena = m->arena;
        c->bump = a + m->off;
        c->bump_left = ((const arena_head *)a)->size - m->off;
    }
    t->last = s;
}
