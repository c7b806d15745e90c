/*
 * fuzz-value-parse.c: libFuzzer target for the typed-argument parser.
 *
 * Parses arbitrary text as every value type (without a catalyst, so tonic
 * and timer names fail cleanly) and checks: success gives a value of the
 * wanted type that renders as JSON and text; failure gives -TT_EARGTYPE
 * (or -TT_EINVAL for types without a text form) and a one-line message
 * "expected TYPE, got ...".  A parsed str renders to JSON that reads back
 * (as a one-item list) to an equal value, and a finite double's JSON reads
 * back bit for bit.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *     fuzz/fuzz-value-parse.c src/value.c src/value-parse.c src/suggest.c \
 *     src/error.c fuzz/fuzz-stubs.c -ljansson -lm -o fuzz-value-parse
 *   ./fuzz-value-parse -max_total_time=60 fuzz/corpus/fuzz-value-parse
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasktonic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Render v both ways; the returned lengths must match what was written. */
static void render(const tt_value *v)
{
    char small[64];
    size_t n = tt_value_to_json(v, small, sizeof small);
    char *big = malloc(n + 1);
    if (!big || tt_value_to_json(v, big, n + 1) != n || strlen(big) != n)
        abort();
    if (n < sizeof small && strcmp(small, big) != 0)
        abort();
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)big[i] < 0x20 || (unsigned char)big[i] >= 0x7f)
            abort(); /* ensure_ascii JSON */
    free(big);
    n = tt_value_to_text(v, small, sizeof small);
    big = malloc(n + 1);
    if (!big || tt_value_to_text(v, big, n + 1) != n)
        abort();
    free(big);
}

/* A str value survives JSON and back. */
static void round_trip_str(const tt_value *v)
{
    size_t n = tt_value_to_json(v, NULL, 0);
    char *json = malloc(n + 3);
    tt_value back;
    if (!json)
        abort();
    json[0] = '[';
    tt_value_to_json(v, json + 1, n + 1);
    strcpy(json + 1 + n, "]");
    if (tt_value_parse(NULL, TT_T_LIST, json, &back, NULL) != 0)
        abort();
    /* invalid UTF-8 reads back as U+FFFD: compare only valid text */
    if (back.u.list->n != 1 || back.u.list->items[0].type != TT_T_STR)
        abort();
    {
        const char *s = v->u.s;
        int valid = 1;
        for (const unsigned char *p = (const unsigned char *)s; *p; p++)
            if (*p >= 0x80)
                valid = 0; /* keep the check simple: ASCII only */
        if (valid && strcmp(back.u.list->items[0].u.s, s) != 0)
            abort();
    }
    tt_value_clear(&back);
    free(json);
}

/* A finite double's JSON (Python repr) reads back as the same double. */
static void round_trip_double(const tt_value *v)
{
    char json[64];
    tt_value back;
    tt_value_to_json(v, json, sizeof json);
    if (tt_value_parse(NULL, TT_T_DOUBLE, json, &back, NULL) != 0)
        abort();
    if (memcmp(&back.u.d, &v->u.d, sizeof(double)) != 0)
        abort(); /* bit for bit: -0.0 stays -0.0 */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const tt_type types[] = {TT_T_NONE,  TT_T_INT,   TT_T_DOUBLE,
                                    TT_T_BOOL,  TT_T_STR,   TT_T_TONIC,
                                    TT_T_TIMER, TT_T_TIMERINFO, TT_T_PTR,
                                    TT_T_LIST,  TT_T_MAP};
    char *text = malloc(size + 1);

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        tt_value v;
        tt_error err;
        int rc = tt_value_parse(NULL, types[i], text, &v, &err);
        if (rc == 0) {
            if (v.type != types[i] || err.code != 0)
                abort();
            render(&v);
            if (v.type == TT_T_STR && v.u.s)
                round_trip_str(&v);
            if (v.type == TT_T_DOUBLE && isfinite(v.u.d))
                round_trip_double(&v);
            tt_value_clear(&v);
        } else {
            char want[64];
            if (rc != -TT_EARGTYPE || err.code != rc || v.type != TT_T_NONE)
                abort();
            snprintf(want, sizeof want, "expected %s, got ", tt_type_name(types[i]));
            if (strncmp(err.msg, want, strlen(want)) != 0)
                abort();
            for (const char *p = err.msg; *p; p++)
                if ((unsigned char)*p < 0x20)
                    abort();
        }
    }
    free(text);
    return 0;
}
