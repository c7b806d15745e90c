/*
 * mod-noformula.c: a check module that is a valid shared object but not an
 * app: it has no `tt_formula` entry point.  tt_app_load must refuse it with
 * -TT_ENOFORMULA and a message (tests/test-badinput.c, tests/ttrun.sh).
 */
#include "tasktonic.h"

/* Something to export instead of the formula. */
TT_EXTERN int tt_formula_missing(void);
TT_EXTERN int tt_formula_missing(void)
{
    return 42;
}
