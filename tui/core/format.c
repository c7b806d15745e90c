/*
 * format.c: text for values, pending orders and trace rows, shared by the
 * batch listings and the screen panes.
 */
#include "ttdb.h"

#include <stdlib.h>
#include <string.h>

/* A value as JSON text (malloc'ed). */
char *fmt_value(const tt_value *v)
{
    char buf[256];
    size_t n = tt_value_to_json(v, buf, sizeof buf);
    if (n < sizeof buf)
        return xstrdup(buf);
    char *big = xmalloc(n + 1);
    tt_value_to_json(v, big, n + 1);
    return big;
}

/* "1, 2.5, \"x\"". */
void fmt_args(strbuf *b, const tt_value *args, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *s = fmt_value(&args[i]);
        if (i)
            sb_add(b, ", ");
        sb_add(b, s);
        free(s);
    }
}

/* Append a source "<- Tonic.sparkle", "<- ttdb" or "<- external" (as the
 * library's tt_entry_format writes it in batch output). */
void fmt_source(strbuf *b, const char *tonic, const char *sparkle)
{
    if (tonic)
        sb_printf(b, "<- %s.%s", tonic, sparkle ? sparkle : "");
    else if (sparkle && *sparkle)
        sb_printf(b, "<- %s", sparkle);
    else
        sb_add(b, "<- external");
}

/* One pending order. */
void fmt_order(strbuf *b, const tt_order_view *o)
{
    sb_printf(b, "%s.%s(", o->tonic ? tt_tonic_name(o->tonic) : "?",
              o->sparkle);
    fmt_args(b, o->args, o->nargs);
    sb_add(b, ") ");
    fmt_source(b, o->src_tonic, o->src_sparkle);
}

/* The order's cause: "  (cause #N)", or "  (input)" from outside. */
void fmt_order_cause(strbuf *b, const tt_order_view *o)
{
    if (o->cause)
        sb_printf(b, "  (cause #%llu)", (unsigned long long)o->cause);
    else
        sb_add(b, "  (input)");
}

/* Whether a sparkle is a system one (`_tt...`). */
bool is_system_sparkle(const char *name)
{
    return name && name[0] == '_' && name[1] == 't' && name[2] == 't';
}

/* A trace row: "   12   0.200 i MyDevice.ttsc__x(1) [a->b] 3us <- src". */
void fmt_trace_row(strbuf *b, tt_catalyst *cat, const tt_trace_entry *e)
{
    char mark = ' ';
    if (e->flags & TT_EF_CRASHED)
        mark = '!';
    else if (e->flags & TT_EF_ERROR)
        mark = 'E';
    else if (e->flags & TT_EF_DROPPED)
        mark = 'd';
    else if (e->flags & TT_EF_NOHANDLER)
        mark = '-';
    else if (e->flags & TT_EF_IGNORED)
        mark = 'x';
    else if (e->flags & TT_EF_NOTE)
        mark = 'n';
    sb_printf(b, "%7llu %8.3f %c %s.%s(", (unsigned long long)tt_entry_seq(e), e->vt,
              mark, tt_entry_tonic_name(cat, e),
              tt_entry_sparkle_name(cat, e));
    fmt_args(b, e->args, e->nargs);
    const char *s0 = tt_entry_state_enter(cat, e);
    const char *s1 = tt_entry_state_exit(cat, e);
    if (e->state_enter == e->state_exit)
        sb_printf(b, ") [%s] ", s0);
    else
        sb_printf(b, ") [%s -> %s] ", s0, s1);
    double us = (tt_entry_t_exit(e) - e->t_enter) * 1e6;
    if (us < 0)
        us = 0;
    if (us < 1000)
        sb_printf(b, "%.0fus ", us);
    else if (us < 1e6)
        sb_printf(b, "%.1fms ", us / 1000);
    else
        sb_printf(b, "%.2fs ", us / 1e6);
    fmt_source(b, tt_entry_source_name(cat, e),
               tt_entry_source_sparkle(cat, e));
    if (e->flags & TT_EF_CRASHED)
        sb_add(b, " [CRASHED]");
    else if (e->flags & TT_EF_DROPPED)
        sb_add(b, " [dropped: dead letter]");
    else if (e->flags & TT_EF_NOHANDLER)
        sb_add(b, " [no handler]");
    else if (e->flags & TT_EF_IGNORED)
        sb_add(b, " [ignored]");
    const char *note = tt_entry_note(cat, e);
    if (note)
        sb_printf(b, " [note: %s]", note);
}

/* Depth-first walk from serial root; children[first[i]..first[i+1]) lists
 * the serials whose base is i, in serial order.  Iterative, with an explicit
 * stack (room for every serial): a chain of 100,000 nested tonics must not
 * overflow ttdb's own stack. */
static void tree_walk(tt_catalyst *cat, size_t root, const size_t *first,
                      const size_t *children, tonic_row *rows, size_t *n,
                      size_t *stack, int *depths)
{
    size_t top = 0;
    stack[top] = root;
    depths[top++] = 0;
    while (top > 0) {
        top--;
        size_t i = stack[top];
        int depth = depths[top];
        rows[(*n)++] = (tonic_row){.tonic = tt_tonic_at(cat, i), .depth = depth};
        for (size_t k = first[i + 1]; k-- > first[i];) { /* first child on top */
            stack[top] = children[k];
            depths[top++] = depth + 1;
        }
    }
}

/* Every tonic, as a tree by base (the catalyst first).  Tonics whose
 * base is unknown are listed at the top level. */
size_t tonic_tree(tt_catalyst *cat, tonic_row **out)
{
    size_t count = tt_tonic_count(cat);
    size_t *base = xcalloc(count, sizeof *base);
    size_t *first = xcalloc(count + 2, sizeof *first);
    size_t *children = xcalloc(count, sizeof *children);
    tonic_row *rows = xcalloc(count, sizeof *rows);
    /* base serial of each tonic; count == "none" */
    for (size_t i = 0; i < count; i++) {
        tt_tonic *t = tt_tonic_at(cat, i);
        tt_tonic *b = t ? tt_tonic_base(t) : NULL;
        size_t bs = b ? tt_tonic_serial(b) : count;
        base[i] = bs < count && bs != i ? bs : count;
        if (base[i] < count)
            first[base[i] + 1]++;
    }
    for (size_t i = 0; i < count; i++)
        first[i + 1] += first[i];
    size_t *fill = xcalloc(count + 1, sizeof *fill);
    for (size_t i = 0; i < count; i++)
        if (base[i] < count)
            children[first[base[i]] + fill[base[i]]++] = i;
    size_t n = 0;
    size_t *stack = xcalloc(count + 1, sizeof *stack);
    int *depths = xcalloc(count + 1, sizeof *depths);
    for (size_t i = 0; i < count; i++)
        if (base[i] == count && tt_tonic_at(cat, i))
            tree_walk(cat, i, first, children, rows, &n, stack, depths);
    free(stack);
    free(depths);
    free(fill);
    free(base);
    free(first);
    free(children);
    *out = rows;
    return n;
}

/* Levels of a tonic tree shown by indentation. */
#define TONIC_INDENT_MAX 32

/* "1 Door (Door) [closed] finishing" for a tonic row. */
void fmt_tonic(strbuf *b, const tonic_row *r)
{
    tt_tonic *t = r->tonic;
    int id = tt_tonic_id(t);
    /* the indentation shows the first levels; deeper ones say their depth
     * (a row per tonic must not grow with the depth of the tree) */
    for (int i = 0; i < r->depth && i < TONIC_INDENT_MAX; i++)
        sb_add(b, "  ");
    if (r->depth > TONIC_INDENT_MAX)
        sb_printf(b, "(depth %d) ", r->depth);
    if (id >= 0)
        sb_printf(b, "%d ", id);
    else
        sb_add(b, "- ");
    sb_printf(b, "%s [%s]", tt_tonic_name(t), tt_tonic_state_name(t));
    if (strcmp(tt_tonic_name(t), tt_tonic_class_name(t)) != 0)
        sb_printf(b, " (%s)", tt_tonic_class_name(t));
    if (id < 0)
        sb_add(b, " finished");
    else if (tt_tonic_finishing(t))
        sb_add(b, " finishing");
    if (!tt_tonic_base_known(t))
        sb_add(b, " (base not in the trace)");
}
