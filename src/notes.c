/*
 * notes.c: what the library refused inside a sparkle, kept with its entry.
 *
 * A sparkle that asks for something the library will not do (a to_state to
 * a state the class lacks, a tt_tonic_new or tt_timer_new that fails) gets
 * a *note* on its trace entry, so that the silent failure shows in the
 * trace.  A note that comes from an error also sets TT_EF_ERROR, which
 * stops the run when stop-on-error is on.
 *
 * Notes are rare, so they live out of line: a list sorted by seq (entries
 * are written in seq order), found by binary search, and the entry only
 * carries the TT_EF_NOTE flag.
 */
#include "tt-int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Forget the notes of entries a trace ring has dropped. */
static void prune(tt_catalyst *cat)
{
    size_t k = 0;
    size_t kept = tt__rec_kept(&cat->rec);
    uint64_t first = kept ? cat->rec.seq - kept + 1 : cat->trace.first;
    if (kept && cat->trace.last && cat->trace.first < first)
        first = cat->trace.first; /* converted entries still shown */
    while (k < cat->n_notes && cat->notes[k].seq < first)
        free(cat->notes[k++].text);
    if (k) {
        memmove(cat->notes, cat->notes + k, (cat->n_notes - k) * sizeof *cat->notes);
        cat->n_notes -= k;
    }
}

/* Attach text to entry seq (appended after "; " to a note it already has). */
int tt__note_add(tt_catalyst *cat, uint64_t seq, const char *text)
{
    prune(cat);
    tt__note *last = cat->n_notes ? &cat->notes[cat->n_notes - 1] : NULL;
    if (last && last->seq == seq) {
        size_t a = strlen(last->text), b = strlen(text);
        char *s = realloc(last->text, a + 2 + b + 1);
        if (!s)
            return -TT_ENOMEM;
        memcpy(s + a, "; ", 2);
        memcpy(s + a + 2, text, b + 1);
        last->text = s;
        return 0;
    }
    char *copy = tt__strdup(text);
    if (!copy)
        return -TT_ENOMEM;
    tt__note n = {seq, copy};
    if (TT__PUSH(cat->notes, cat->n_notes, cat->cap_notes, n) < 0) {
        free(copy);
        return -TT_ENOMEM;
    }
    return 0;
}

/* Note on the entry of the running sparkle (nothing outside a traced one). */
void tt__note_sparkle(tt_catalyst *cat, bool error, const char *fmt, ...)
{
    uint64_t seq = cat->exec_seq;
    if (!cat->in_sparkle || !seq)
        return;
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (tt__note_add(cat, seq, buf) < 0)
        return;
    cat->exec_flags |= TT_EF_NOTE;
    if (error && !(cat->exec_flags & TT_EF_ERROR)) {
        cat->exec_flags |= TT_EF_ERROR;
        snprintf(cat->exec_error, sizeof cat->exec_error, "%s", buf);
    }
}

void tt__notes_free(tt_catalyst *cat)
{
    for (size_t i = 0; i < cat->n_notes; i++)
        free(cat->notes[i].text);
    free(cat->notes);
    cat->notes = NULL;
    cat->n_notes = cat->cap_notes = 0;
}

/* The note of an entry, NULL when it has none. */
const char *tt_entry_note(const tt_catalyst *cat, const tt_trace_entry *e)
{
    if (!cat || !e || !(e->flags & TT_EF_NOTE))
        return NULL;
    uint64_t seq = tt__entry_seq(e);
    size_t lo = 0, hi = cat->n_notes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cat->notes[mid].seq < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < cat->n_notes && cat->notes[lo].seq == seq ? cat->notes[lo].text : NULL;
}

int tt_distiller_set_stop_on_error(tt_catalyst *cat, bool on)
{
    if (!cat)
        return -TT_EINVAL;
    cat->opt.stop_on_error = on;
    return 0;
}
