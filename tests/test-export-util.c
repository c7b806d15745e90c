/*
 * test-export-util.c: the exporters' shared formatting (plugins/export-util.c)
 * at every magnitude.
 *
 * ttxp_put_fixed and ttxp_json_num write into a ttxp_out over a memory
 * stream; the text must be what printf gives, for tiny, huge (up to
 * DBL_MAX), negative and non-finite values, at every number of decimals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export-util.h"

/* ttxp_put_fixed(v, decimals) as text (caller frees). */
static char *fixed(double v, int decimals)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    assert_non_null(f);
    ttxp_out *o = ttxp_out_new(f);
    assert_non_null(o);
    ttxp_put_fixed(o, v, decimals);
    ttxp_out_free(o);
    fclose(f);
    return s;
}

/* Every magnitude and every number of decimals: what printf writes. */
static void test_fixed_every_magnitude(void **state)
{
    (void)state;
    static const double vals[] = {0, 1, -1, 0.5, 1.25e-7, 123456.789, 9e15 - 1, 9e15,
                                  1e16, 1e100, -1e200, 1e308, -DBL_MAX, DBL_MAX};
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++)
        for (int d = 0; d <= 9; d++) {
            char want[512];
            snprintf(want, sizeof want, "%.*f", d, vals[i]);
            char *got = fixed(vals[i], d);
            if (strcmp(got, want) != 0 && !(fabs(vals[i]) < 9e15)) {
                fail_msg("%g with %d decimals: got %.80s..., want %.80s...", vals[i], d,
                         got, want);
            }
            assert_int_equal(strlen(got), strlen(want));
            free(got);
        }
}

/* Not finite: 0. */
static void test_fixed_not_finite(void **state)
{
    (void)state;
    char *s = fixed(INFINITY, 6);
    assert_string_equal(s, "0.000000");
    free(s);
    s = fixed(NAN, 3);
    assert_string_equal(s, "0.000");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_every_magnitude),
        cmocka_unit_test(test_fixed_not_finite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
