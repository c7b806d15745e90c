/*
 * golden-util.h: helpers for comparing Distiller runs with the golden traces
 * of the Python reference (tests/golden/NAME.json, format tasktonic-golden-v1).
 *
 * - gu_golden_load: read a golden file from $GOLDEN (or the source tree).
 * - gu_pylit_parse / gu_call_parse: read the Python text of a golden script
 *   step ("MyDevice.ttsc__start_timer(delay=0.2)", "sparkle(contract={...})")
 *   into JSON values, so that a test replays exactly the recorded calls.
 * - gu_normalize_result: the normalisation the reference README defines
 *   (timestamps and additive extension keys dropped, kwargs values appended to
 *   args, missing keys as null).
 * - gu_diff: a structural comparison that reports every difference with its
 *   path, expected and actual value.
 */
#ifndef TT_TESTS_GOLDEN_UTIL_H
#define TT_TESTS_GOLDEN_UTIL_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

/* Load tests/golden/NAME.json; NULL on error with a message in err. */
json_t *gu_golden_load(const char *name, char *err, size_t errsize);

/* Parse one Python literal (str, int, float, True/False/None, list, tuple,
 * dict with string keys) at *text into JSON; *text is advanced past it.
 * NULL on error with a message in err. */
json_t *gu_pylit_parse(const char **text, char *err, size_t errsize);

/* A call as written in a golden script: "TARGET.NAME(args, key=value)" or
 * "NAME(...)" (target NULL). */
typedef struct gu_call {
    char *target;   /* "MyDevice"; NULL for a bare call such as sparkle(...) */
    char *name;     /* "ttsc__start_timer", "sparkle", "finish_distiller" */
    json_t *args;   /* array of positional arguments */
    json_t *kwargs; /* object of keyword arguments, in written order */
} gu_call;

/* Parse a call; 0 on success, -1 with a message in err. */
int gu_call_parse(const char *text, gu_call *out, char *err, size_t errsize);
void gu_call_free(gu_call *c);

/* args followed by the values of kwargs (in order): C has no keywords. */
json_t *gu_call_positional(const gu_call *c);

/* The normalised copy of a sparkle() result dictionary (golden or ours). */
json_t *gu_normalize_result(const json_t *result);

/* For drivers that cannot reset a list probe between calls (a ttdb script):
 * in every entry of a normalised result, replace the list probe `probe` at
 * exit by what the sparkle appended (its at_exit list minus its at_enter
 * prefix) and drop it at enter.  An entry whose exit list does not extend
 * its enter list is left as it is (so it still shows as a difference).
 * Returns the number of entries changed. */
size_t gu_probe_appended(json_t *result, const char *probe);

/* Called once per difference: path ("sparkle_trace[3].at_exit.state"),
 * expected and actual value (NULL when the key is missing on that side). */
typedef void (*gu_diff_fn)(void *ud, const char *path, const json_t *expected,
                           const json_t *got);

/* Compare expected with got; returns the number of differences.  Numbers
 * compare by type and value (an int is not a float, as in the JSON text);
 * objects by key set and values, arrays by length and items. */
size_t gu_diff(const json_t *expected, const json_t *got, const char *path,
               gu_diff_fn fn, void *ud);

/* Compact JSON text of a value into buf (truncated with "..."). */
const char *gu_json_text(const json_t *v, char *buf, size_t size);

/* One line about a normalised trace entry:
 * "id Tonic.sparkle(args) <- [src] state->state". */
const char *gu_entry_line(const json_t *entry, char *buf, size_t size);

#endif
