/*
 * mod-oldabi.c: a check module built as if against another tasktonic.h:
 * built with -DMOD_ABI=N it claims ABI N through TT_FORMULA; built with
 * -DMOD_NO_ABI it defines its formula by hand, without tt_module_abi, as
 * every module built before the ABI version existed.  tt_app_load must
 * refuse both in one line before reading any of its tables
 * (tests/test-badinput.c, tests/tui/batch-errors.sh).
 */
#include "tasktonic.h"

#ifdef MOD_NO_ABI
TT_EXTERN int tt_formula(tt_catalyst *cat);
TT_EXTERN int tt_formula(tt_catalyst *cat)
#else
#undef TT_ABI_VERSION
#define TT_ABI_VERSION MOD_ABI
TT_FORMULA(cat)
#endif
{
    (void)cat;
    return 0;
}
