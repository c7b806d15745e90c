/*
 * error.c: messages and symbolic names of the TT_E* error codes.
 *
 * Both tables come from the TT_ERRNO_MAP X-macro in tasktonic.h, so adding a
 * code there is all it takes.  Codes may be given positive or negated (the
 * library returns them negated).
 */
#include "tasktonic.h"

/* The code as a positive number (INT_MIN-safe). */
static long code_abs(int code)
{
    return code < 0 ? -(long)code : (long)code;
}

/* The message for a code (positive or negative); "success" for 0. */
const char *tt_strerror(int code)
{
    switch (code_abs(code)) {
    case TT_OK:
        return "success";
#define TT__ERRMSG(name, msg)                                                 \
    case TT_E##name:                                                          \
        return msg;
        TT_ERRNO_MAP(TT__ERRMSG)
#undef TT__ERRMSG
    default:
        return "unknown error";
    }
}

/* The symbolic name ("TT_ENOSPARKLE") for a code; "TT_OK" for 0. */
const char *tt_err_name(int code)
{
    switch (code_abs(code)) {
    case TT_OK:
        return "TT_OK";
#define TT__ERRNAME(name, msg)                                                \
    case TT_E##name:                                                          \
        return "TT_E" #name;
        TT_ERRNO_MAP(TT__ERRNAME)
#undef TT__ERRNAME
    default:
        return "unknown error";
    }
}
