/*
 * complete.c: Tab completion for readline, shared by the screen's prompt
 * and the line interface (-nw): the candidates come from the core
 * (cmd_complete_words); readline completes their common prefix and lists
 * them on a second Tab, as in gdb and bash.
 */
#include "frontends.h"

#include <readline/readline.h>
#include <stdlib.h>
#include <string.h>

static strvec comp;  /* the candidates of the last completion */
static size_t comp_i;

/* Candidates, one per call. */
static char *comp_next(const char *text, int state)
{
    (void)text;
    if (state == 0)
        comp_i = 0;
    if (comp_i < comp.n)
        return xstrdup(comp.v[comp_i++]);
    return NULL;
}

char **frontend_complete(const char *text, int start)
{
    rl_attempted_completion_over = 1;
    char *before = xmalloc((size_t)start + 1);
    memcpy(before, rl_line_buffer, (size_t)start);
    before[start] = '\0';
    sv_free(&comp);
    cmd_complete_words(before, text, &comp);
    free(before);
    if (comp.n == 1 && comp.v[0][0] == '\001') {
        sv_free(&comp);
        rl_attempted_completion_over = 0; /* file names */
        return NULL;
    }
    char **m = rl_completion_matches(text, comp_next);
    /* "Door." continues with a probe or sparkle; a tonic alone ("Door")
     * may go on with a dot or end there: no space after either */
    if (m && !m[1] && m[0][0] &&
        (m[0][strlen(m[0]) - 1] == '.' || cmd_complete_open(m[0])))
        rl_completion_append_character = '\0';
    return m;
}

void frontend_complete_free(void)
{
    sv_free(&comp);
}
