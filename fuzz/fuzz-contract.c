/*
 * fuzz-contract.c: libFuzzer target for the contract parser.
 *
 * Feeds arbitrary bytes to tt_contract_parse and checks what must hold for
 * any input: it returns 0 with a contract, or a negative code with a
 * one-line message that names the origin and, for syntax and structure
 * errors, a line and column; a parsed contract renders as JSON that parses
 * again to the same JSON.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *     fuzz/fuzz-contract.c src/contract.c src/value.c src/value-parse.c \
 *     src/suggest.c src/error.c fuzz/fuzz-stubs.c -ljansson -lm -o fuzz-contract
 *   ./fuzz-contract -max_total_time=60 fuzz/corpus/fuzz-contract
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tasktonic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    tt_contract *c = NULL;
    tt_error err;
    int rc;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    rc = tt_contract_parse(text, "fuzz.json", &c, &err);
    if (rc == 0) {
        char *json = tt_contract_to_json(c), *json2;
        tt_contract *again = NULL;
        if (!c || !json)
            abort();
        if (tt_contract_parse(json, "again", &again, &err) != 0)
            abort(); /* our own output must parse */
        json2 = tt_contract_to_json(again);
        if (!json2 || strcmp(json, json2) != 0)
            abort(); /* and render the same */
        free(json);
        free(json2);
        tt_contract_free(again);
        tt_contract_free(c);
    } else {
        if (c || err.code != rc || !err.msg[0] || strchr(err.msg, '\n') ||
            strncmp(err.msg, "fuzz.json", 9) != 0)
            abort();
        /* syntax and structure errors always know where they are */
        if ((rc == -TT_EJSON || rc == -TT_ECONTRACT) && (err.line < 1 || err.column < 1))
            abort();
        for (const char *p = err.msg; *p; p++)
            if ((unsigned char)*p < 0x20)
                abort(); /* one clean line */
    }
    free(text);
    return 0;
}
