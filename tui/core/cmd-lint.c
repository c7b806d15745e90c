/*
 * cmd-lint.c: `info lints` and `lint`, the library's lints (tt_lint_*) of
 * the session's trace, most serious first, each with the entries that show
 * it.  `lint` is the same list as a check: it fails (batch exit status 1)
 * when there is any, and says "no lints" otherwise, so CI can run
 * `ttdb -batch -ex continue -ex lint APP`.
 */
#include "ttdb.h"

#include <stdlib.h>

/* Entry numbers shown per lint before the rest are summed up. */
#define SHOWN_SEQS 6

/* "#12 #40 ... #98 (25 in all)" for lint l into b. */
void lint_seqs(strbuf *b, const tt_lint *l)
{
    if (l->kind == TT_LINT_STUCK_TONIC && l->n_seqs == 2) {
        sb_printf(b, "#%llu ... #%llu", (unsigned long long)l->seqs[0],
                  (unsigned long long)l->seqs[1]);
        return;
    }
    size_t n = l->n_seqs < SHOWN_SEQS ? l->n_seqs : SHOWN_SEQS;
    bool last_shown = false;
    for (size_t i = 0; i < n; i++) {
        sb_printf(b, "%s#%llu", i ? " " : "", (unsigned long long)l->seqs[i]);
        last_shown |= l->seqs[i] == l->last_seq;
    }
    if (l->count > n && !last_shown && l->kind != TT_LINT_GIANT_SPARKLE)
        sb_printf(b, " ... #%llu", (unsigned long long)l->last_seq);
    if (l->count > n)
        sb_printf(b, " (%llu in all)", (unsigned long long)l->count);
}

/* Print every lint; returns how many there are (-1: no memory). */
static long lints_print(tt_catalyst *cat)
{
    if (g_session.attached)
        return attach_lints_print(); /* the app's, over its whole recording */
    if (tt_lint_update(cat) < 0) {
        out_error("lints: %s", tt_strerror(-TT_ENOMEM));
        return -1;
    }
    size_t n = tt_lint_count(cat);
    for (size_t i = 0; i < n; i++) {
        tt_lint l;
        if (tt_lint_get(cat, i, &l) < 0)
            break;
        strbuf b = {0};
        lint_seqs(&b, &l);
        out_printf("%s %s: %s\n    at %s\n", tt_lint_severity_name(l.severity),
                   tt_lint_kind_name(l.kind), l.message, b.s ? b.s : "");
        sb_free(&b);
    }
    return (long)n;
}

/* info lints */
static int info_lints_exec(cmd_args *a)
{
    long n = lints_print(a->cat);
    if (n == 0)
        out_printf("no lints\n");
    return n < 0 ? -1 : 0;
}

/* lint: the same, failing when there is any. */
static int lint_exec(cmd_args *a)
{
    if (a->argc > 0)
        return cmd_usage_error(&cmd_lint_entry);
    long n = lints_print(a->cat);
    if (n < 0)
        return -1;
    if (n == 0) {
        out_printf("no lints\n");
        return 0;
    }
    out_error("lint: %ld lint%s (most serious first above)", n, n == 1 ? "" : "s");
    return -1;
}

/* "lints: 3" for a status line, "" when there is none. */
void lint_status(tt_catalyst *cat, strbuf *b)
{
    long live = g_session.attached ? attach_lints_print_count() : -1;
    size_t n = live >= 0 ? (size_t)live : cat ? tt_lint_count(cat) : 0;
    if (n)
        sb_printf(b, "lints: %zu", n);
}

const cmd_entry cmd_info_lints_entry = {
    .name = "lints",
    .usage = "info lints",
    .help = "What the trace shows went wrong, most serious first, each with the entries "
            "that show it: to_state to a state the class lacks, dead letters (also "
            "those a finishing tonic ignored), ignored "
            "ttsc__finish, stuck tonics, giant sparkles (`set giant-sparkle`), user "
            "sparkles without a handler, queue growth (`set queue-growth`).",
    .exec = info_lints_exec,
    .flags = CMD_SESSION,
};

const cmd_entry cmd_lint_entry = {
    .name = "lint",
    .usage = "lint",
    .help = "Print the lints as `info lints` does and fail when there is any (batch exit "
            "status 1; \"no lints\" and 0 otherwise), for CI: "
            "`ttdb -batch -ex continue -ex lint APP`.",
    .exec = lint_exec,
    .flags = CMD_SESSION,
};

void lint_settings_apply(session *s)
{
    if (!s->cat)
        return;
    tt_lint_set_threshold(s->cat, TT_LINT_GIANT_SPARKLE, s->giant_ms / 1e3);
    tt_lint_set_threshold(s->cat, TT_LINT_STUCK_TONIC, (double)s->stuck_after);
    tt_lint_set_threshold(s->cat, TT_LINT_QUEUE_GROWTH, (double)s->queue_growth);
}
