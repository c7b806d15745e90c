/*
 * chatty.c: a test app that prints, for the tests of the app's output:
 * `call Chatty talk N` prints N numbered lines on stdout and one on stderr.
 */
#include <stdio.h>

#include "tasktonic.h"

/* Print n lines on stdout, one on stderr. */
static void Chatty_ttsc__talk(tt_tonic *self, int64_t n)
{
    (void)self;
    for (int64_t i = 1; i <= n; i++)
        printf("chatty line %lld of %lld\n", (long long)i, (long long)n);
    fprintf(stderr, "chatty says goodbye on stderr\n");
}

static const tt_handler chatty_handlers[] = {
    TT_ON(Chatty, ttsc__talk, int64_t),
};

static const tt_class Chatty_class = {
    .name = "Chatty",
    .handlers = chatty_handlers,
    .n_handlers = TT_COUNTOF(chatty_handlers),
};

TT_FORMULA(cat)
{
    return tt_tonic_new(cat, &Chatty_class, "Chatty", NULL) ? 0 : -TT_EFORMULA;
}
