/*
 * cmd-call.c: `call TONIC SPARKLE ARGS...` queues a sparkle with arguments
 * typed as text.  Each argument is parsed by the type the sparkle was
 * registered with (tt_value_parse), so `call Child work 21` queues an
 * int64_t; a wrong count or type names the expected signature.  The order
 * is queued with source "ttdb" and runs with the next step or continue.
 */
#include "ttdb.h"

#include <stdlib.h>
#include <string.h>

/* call TONIC SPARKLE [ARGS...] */
static int cmd_call_exec(cmd_args *a)
{
    tt_catalyst *cat = a->cat; /* CMD_SESSION: never NULL */
    if (a->argc < 2)
        return cmd_usage_error(&cmd_call_entry);
    tt_tonic *t = resolve_tonic(cat, a->argv[0]);
    if (!t)
        return -1;
    const char *sp = resolve_sparkle(t, a->argv[1]);
    if (!sp)
        return -1;
    const tt_type *types = NULL;
    int min = 0;
    int n = tt_tonic_sparkle_sig(t, sp, &types, &min);
    char sig[512];
    if (tt_tonic_sparkle_sig_text(t, sp, sig, sizeof sig) < 0)
        snprintf(sig, sizeof sig, "%s", sp);
    if (n < 0) {
        out_error("%s.%s: %s", tt_tonic_name(t), sp, tt_strerror(n));
        return -1;
    }
    int given = a->argc - 2;
    if (given < min || given > n) {
        if (min == n)
            out_error("%s takes %d argument%s, not %d: %s", sp, n,
                      n == 1 ? "" : "s", given, sig);
        else
            out_error("%s takes %d to %d arguments, not %d: %s", sp, min, n,
                      given, sig);
        return -1;
    }
    tt_value *vals = xcalloc((size_t)given + 1, sizeof *vals);
    int rc = 0;
    for (int i = 0; i < given; i++) {
        tt_error err = {0};
        char *text = cmd_arg_text(a, i + 2);
        int r = tt_value_parse(cat, types[i], text, &vals[i], &err);
        free(text);
        if (r < 0) {
            out_error("argument %d of %s: %s", i + 1, sig,
                      err.msg[0] ? err.msg : tt_strerror(err.code));
            for (int j = 0; j < i; j++)
                tt_value_clear(&vals[j]);
            free(vals);
            return -1;
        }
    }
    journal_input_args("call", a);
    rc = tt_post_from(t, sp, vals, (size_t)given, "ttdb");
    if (rc == TT_DEAD_LETTER)
        out_warn("%s has finished: %s.%s is queued as a dead letter; it will be "
                 "traced with id -1 and not run", tt_tonic_name(t), tt_tonic_name(t), sp);
    if (rc < 0) {
        journal_cancel_input();
        const char *m = tt_catalyst_errmsg(cat);
        out_error("call %s.%s: %s", tt_tonic_name(t), sp,
                  m && *m ? m : tt_strerror(rc));
    } else {
        strbuf b = {0};
        fmt_args(&b, vals, (size_t)given);
        out_printf("queued %s.%s(%s) at position %zu\n", tt_tonic_name(t), sp,
                   b.s ? b.s : "", tt_queue_length(cat));
        sb_free(&b);
        if (strcmp(sp, "ttsc__finish") == 0 && tt_tonic_base(t))
            out_printf("note: a tonic ignores a ttsc__finish from outside "
                       "(as in Python); `finish %s` sends it as its base "
                       "would\n", tt_tonic_name(t));
    }
    for (int i = 0; i < given; i++)
        tt_value_clear(&vals[i]);
    free(vals);
    return rc < 0 ? -1 : 0;
}

const cmd_entry cmd_call_entry = {
    .name = "call",
    .usage = "call TONIC SPARKLE [ARGS...]",
    .help = "Queue TONIC.SPARKLE(ARGS) with source \"ttdb\"; it runs with "
            "the next step or continue. Arguments are read by the sparkle's "
            "parameter types: integers (42, -1, 0x10), doubles (2.5), "
            "booleans (true, false), strings (word or \"with spaces\"), "
            "tonics (by name or id), none. SPARKLE may be the full name "
            "(ttsc__work) or the part after \"__\" (work).",
    .exec = cmd_call_exec,
    .complete = CC_TONIC_SPARKLE,
    .flags = CMD_RUNS | CMD_SESSION,
};
