/*
 * badformula.c: an app whose formula fails; ttdb must report it in one
 * line.
 */
#include "tasktonic.h"

/* Fail at once. */
TT_FORMULA(cat)
{
    (void)cat;
    return -TT_EINVAL;
}
