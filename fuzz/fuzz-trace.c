/*
 * fuzz-trace.c: libFuzzer target for the trace reader (tt_trace_parse).
 *
 * Any bytes either open as a recorded catalyst or fail with one line.  An
 * opened trace writes itself out again (session JSON and every entry as
 * text), reads that back to the same text, and refuses to run.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc fuzz/fuzz-trace.c \
 *     build/src/.libs/libtasktonic.a -ljansson -lffi -lm -o fuzz-trace
 *   ./fuzz-trace -max_total_time=60 fuzz/corpus/fuzz-trace
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasktonic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The session as JSON text (malloc'ed). */
static char *session_text(tt_catalyst *cat)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        abort();
    if (tt_session_write_json(cat, f, TT_JSON_EXTENSIONS) < 0)
        abort();
    fclose(f);
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tt_catalyst *cat = NULL;
    tt_error err;
    int rc = tt_trace_parse((const char *)data, size, "fuzz.json", &cat, &err);
    if (rc < 0) {
        if (cat || err.code != rc || !err.msg[0] || strchr(err.msg, '\n'))
            abort();
        if (rc != -TT_EJSON && rc != -TT_ENOMEM)
            abort();
        return 0;
    }
    if (!cat || !tt_catalyst_recorded(cat) || strchr(err.msg, '\n'))
        abort();
    char line[512];
    for (uint64_t s = tt_trace_first_seq(cat); s <= tt_trace_last_seq(cat); s++) {
        const tt_trace_entry *e = tt_trace_get(cat, s);
        if (!e)
            abort();
        tt_entry_format(cat, e, line, sizeof line);
    }
    if (tt_distiller_sparkle(cat, NULL, NULL) != -TT_ERECORDED)
        abort();
    char *once = session_text(cat);
    tt_catalyst *again = NULL;
    if (tt_trace_parse(once, strlen(once), "again.json", &again, &err) != 0)
        abort();
    char *twice = session_text(again);
    if (strcmp(once, twice) != 0)
        abort();
    free(once);
    free(twice);
    tt_catalyst_free(again);
    tt_catalyst_free(cat);
    return 0;
}
