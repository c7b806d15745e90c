/*
 * export-dot.c: the "dot" exporter, the observed state-transition graph of
 * each tonic for Graphviz.
 *
 * One cluster per tonic that was ever in a state, with a node per state seen
 * in the trace plus "--" (no state).  An edge old -> new for every state
 * change (`_ttinternal_state_change_to`, `_ttinternal_state_machine_stop`, or
 * any entry whose state differs at exit), labelled with the queue-order
 * sparkle that caused it (the nearest preceding non-extra entry of the same
 * tonic: the extras of a change run right after it) and, when the same
 * sparkle caused it more than once, "×N".  One edge per pair of states; one
 * label line per causing sparkle, in the order first seen.
 *
 * The graph is aggregated while streaming over the entries; its size grows
 * with the number of distinct states and transitions, not with the trace.
 */
#include "export-util.h"

#include <stdlib.h>
#include <string.h>

typedef struct node {
    uint32_t tonic;
    int16_t state;
    const char *name;
    size_t order;            /* first seen */
} node;

typedef struct cause {
    uint32_t sparkle;        /* name id; UINT32_MAX = unknown */
    uint64_t count;
} cause;

typedef struct edge {
    uint32_t tonic;
    int16_t from, to;
    size_t order;
    cause *causes;
    size_t ncauses, cap;
} edge;

typedef struct dot {
    ttxp_out *f;
    const tt_catalyst *cat;
    node *nodes;
    size_t nnodes, capnodes;
    ttxp_map node_map;       /* (tonic, state) -> index + 1 */
    edge *edges;
    size_t nedges, capedges;
    ttxp_map edge_map;       /* (tonic, from, to) -> index */
    uint32_t *cause_of;      /* by tonic serial: latest non-extra sparkle */
    size_t ncause_of;
    ttxp_name change_to, machine_stop;
} dot;

#define NO_CAUSE UINT32_MAX

/* Grow an array of esz-byte elements to hold need. */
static int grow(void **v, size_t *cap, size_t need, size_t esz)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *w = realloc(*v, n * esz);
    if (!w)
        return -TT_ENOMEM;
    *v = w;
    *cap = n;
    return 0;
}

/* Remember that tonic was in state (named name). */
static int see_state(dot *d, uint32_t tonic, int16_t state, const char *name)
{
    uint64_t key = ttxp_key(tonic, (uint32_t)(state + 1));
    if (ttxp_map_get(&d->node_map, key))
        return 0;
    if (grow((void **)&d->nodes, &d->capnodes, d->nnodes + 1, sizeof *d->nodes) < 0)
        return -TT_ENOMEM;
    d->nodes[d->nnodes] = (node){tonic, state, name, d->nnodes};
    d->nnodes++;
    return ttxp_map_put(&d->node_map, key, d->nnodes);
}

/* Count one transition of tonic from -> to caused by sparkle. */
static int add_edge(dot *d, uint32_t tonic, int16_t from, int16_t to, uint32_t sparkle)
{
    uint64_t key = ((uint64_t)tonic << 32) | ((uint64_t)(uint16_t)(from + 1) << 16) |
                   (uint16_t)(to + 1);
    uint64_t *v = ttxp_map_get(&d->edge_map, key);
    edge *ed;
    if (v) {
        ed = &d->edges[*v];
    } else {
        if (grow((void **)&d->edges, &d->capedges, d->nedges + 1, sizeof *d->edges) < 0 ||
            ttxp_map_put(&d->edge_map, key, d->nedges) < 0)
            return -TT_ENOMEM;
        ed = &d->edges[d->nedges];
        *ed = (edge){tonic, from, to, d->nedges, NULL, 0, 0};
        d->nedges++;
    }
    for (size_t i = 0; i < ed->ncauses; i++)
        if (ed->causes[i].sparkle == sparkle) {
            ed->causes[i].count++;
            return 0;
        }
    if (grow((void **)&ed->causes, &ed->cap, ed->ncauses + 1, sizeof *ed->causes) < 0)
        return -TT_ENOMEM;
    ed->causes[ed->ncauses++] = (cause){sparkle, 1};
    return 0;
}

/* Aggregate one entry. */
static int entry(void *ud, size_t run, const tt_trace_entry *e)
{
    dot *d = ud;
    (void)run;
    if (e->tonic >= d->ncause_of) {
        size_t old = d->ncause_of;
        if (grow((void **)&d->cause_of, &d->ncause_of, (size_t)e->tonic + 1,
                 sizeof *d->cause_of) < 0)
            return -TT_ENOMEM;
        for (size_t i = old; i < d->ncause_of; i++)
            d->cause_of[i] = NO_CAUSE;
    }
    if (!(e->flags & TT_EF_EXTRA))
        d->cause_of[e->tonic] = e->sparkle;
    int rc = 0;
    if (e->state_enter >= 0)
        rc = see_state(d, e->tonic, e->state_enter, tt_entry_state_enter(d->cat, e));
    if (rc == 0 && e->state_exit >= 0)
        rc = see_state(d, e->tonic, e->state_exit, tt_entry_state_exit(d->cat, e));
    if (rc < 0)
        return rc;
    bool change = ttxp_is(&d->change_to, d->cat, e->sparkle) ||
                  ttxp_is(&d->machine_stop, d->cat, e->sparkle);
    if (change || e->state_enter != e->state_exit)
        rc = add_edge(d, e->tonic, e->state_enter, e->state_exit, d->cause_of[e->tonic]);
    return rc;
}

/* Write s escaped for a DOT double-quoted string. */
static void quoted(ttxp_out *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            ttxp_putc(f, '\\');
        if (*s == '\n')
            ttxp_puts(f, "\\n");
        else if ((unsigned char)*s < 0x20)
            ttxp_putc(f, ' ');
        else
            ttxp_putc(f, *s);
    }
}

/* Node order: by tonic, then first seen. */
static int cmp_nodes(const void *a, const void *b)
{
    const node *x = a, *y = b;
    if (x->tonic != y->tonic)
        return x->tonic < y->tonic ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Edge order: by tonic, then first seen. */
static int cmp_edges(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    if (x->tonic != y->tonic)
        return x->tonic < y->tonic ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* The node id of a state: t<serial>_<state + 1>. */
static void node_id(ttxp_out *f, uint32_t tonic, int16_t state)
{
    ttxp_putc(f, 't');
    ttxp_put_u64(f, tonic);
    ttxp_putc(f, '_');
    ttxp_put_u64(f, (uint64_t)(state + 1));
}

/* Write the edges of one tonic (edges[*ei...] while they belong to it). */
static void write_edges(dot *d, uint32_t tonic, size_t *ei)
{
    ttxp_out *f = d->f;
    for (; *ei < d->nedges && d->edges[*ei].tonic == tonic; (*ei)++) {
        const edge *ed = &d->edges[*ei];
        ttxp_puts(f, "        ");
        node_id(f, tonic, ed->from);
        ttxp_puts(f, " -> ");
        node_id(f, tonic, ed->to);
        ttxp_puts(f, " [label=\"");
        for (size_t i = 0; i < ed->ncauses; i++) {
            if (i)
                ttxp_puts(f, "\\n");
            quoted(f, ed->causes[i].sparkle == NO_CAUSE
                          ? "?"
                          : tt_name(d->cat, ed->causes[i].sparkle));
            if (ed->causes[i].count > 1) {
                ttxp_puts(f, " \xc3\x97"); /* U+00D7 MULTIPLICATION SIGN */
                ttxp_put_u64(f, ed->causes[i].count);
            }
        }
        ttxp_puts(f, "\"];\n");
    }
}

/* Write the graph. */
static void write_graph(dot *d)
{
    ttxp_out *f = d->f;
    if (d->nnodes) /* qsort's array may not be NULL, even when empty */
        qsort(d->nodes, d->nnodes, sizeof *d->nodes, cmp_nodes);
    if (d->nedges)
        qsort(d->edges, d->nedges, sizeof *d->edges, cmp_edges);
    ttxp_puts(f, "digraph ttdb {\n"
                 "    rankdir=LR;\n"
                 "    compound=true;\n"
                 "    node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
                 "    edge [fontname=\"Helvetica\", fontsize=10];\n");
    size_t ei = 0;
    for (size_t i = 0; i < d->nnodes;) {
        uint32_t tonic = d->nodes[i].tonic;
        ttxp_puts(f, "    subgraph cluster_");
        ttxp_put_u64(f, tonic);
        ttxp_puts(f, " {\n        label=\"");
        quoted(f, ttxp_tonic_name(d->cat, tonic));
        ttxp_puts(f, "\";\n        ");
        node_id(f, tonic, -1);
        ttxp_puts(f, " [label=\"--\", shape=circle];\n");
        for (; i < d->nnodes && d->nodes[i].tonic == tonic; i++) {
            ttxp_puts(f, "        ");
            node_id(f, tonic, d->nodes[i].state);
            ttxp_puts(f, " [label=\"");
            quoted(f, d->nodes[i].name);
            ttxp_puts(f, "\"];\n");
        }
        while (ei < d->nedges && d->edges[ei].tonic < tonic)
            ei++; /* edges of a tonic without states: none expected */
        write_edges(d, tonic, &ei);
        ttxp_puts(f, "    }\n");
    }
    ttxp_puts(f, "}\n");
}

/* Write the runs of ctx. */
static int dot_write(const ttdb_export_ctx *ctx, FILE *fp, tt_error *err)
{
    dot d = {.cat = ctx->cat,
             .change_to = TTXP_NAME("_ttinternal_state_change_to"),
             .machine_stop = TTXP_NAME("_ttinternal_state_machine_stop")};
    const char *opts = ctx->options;
    char key[64], val[64];
    if (ttxp_opt_next(&opts, key, sizeof key, val, sizeof val))
        return ttxp_opt_unknown(err, "dot", key, "none");
    int rc = ttxp_walk(ctx, NULL, entry, &d);
    if (rc == 0 && !(d.f = ttxp_out_new(fp)))
        rc = -TT_ENOMEM;
    if (rc == 0)
        write_graph(&d);
    for (size_t i = 0; i < d.nedges; i++)
        free(d.edges[i].causes);
    free(d.edges);
    free(d.nodes);
    free(d.cause_of);
    ttxp_map_free(&d.node_map);
    ttxp_map_free(&d.edge_map);
    if (rc < 0)
        return ttxp_err(err, rc, "dot exporter: %s", tt_strerror(rc));
    rc = ttxp_finish(d.f, fp, "dot", err);
    ttxp_out_free(d.f);
    return rc;
}

TTDB_EXPORT const ttdb_exporter ttdb_exporter_desc = {
    TTDB_PLUGIN_ABI,
    "dot",
    "dot",
    "Graphviz graph of the observed state transitions of each tonic",
    dot_write,
};
