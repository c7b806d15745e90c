/*
 * ffi.c: calling sparkle handlers.
 *
 * Handlers are ordinary C functions with typed parameters.  The common
 * signatures (no parameter, one parameter of any type, two integer/double/
 * string parameters) are called through exact thunks: the function pointer is
 * cast back to its real type, which is a plain C call.  Every other signature
 * goes through libffi with a cif prepared when the class is compiled.
 */
#include "tt-int.h"

#include <ffi.h>
#include <stdlib.h>

typedef const tt_timer_info *tinfo;

/* The C value a handler receives for an argument. */
#define A_INT(v) ((v).u.i)
#define A_DBL(v) ((v).u.d)
#define A_BOOL(v) ((v).u.b)
#define A_STR(v) ((const char *)(v).u.s)
#define A_TONIC(v) ((v).u.tonic)
#define A_TIMER(v) ((v).u.timer)
#define A_TINFO(v) ((v).u.timer ? tt_timer_get_info((v).u.timer) : NULL)
#define A_PTR(v) ((v).u.p)

static void thunk0(tt_fn fn, tt_tonic *self, const tt_value *a)
{
    (void)a;
    ((void (*)(tt_tonic *))fn)(self);
}

#define THUNK1(NAME, CT, GET)                                                 \
    static void NAME(tt_fn fn, tt_tonic *self, const tt_value *a)             \
    {                                                                         \
        ((void (*)(tt_tonic *, CT))fn)(self, GET(a[0]));                      \
    }
THUNK1(thunk_i, int64_t, A_INT)
THUNK1(thunk_d, double, A_DBL)
THUNK1(thunk_b, bool, A_BOOL)
THUNK1(thunk_s, const char *, A_STR)
THUNK1(thunk_t, tt_tonic *, A_TONIC)
THUNK1(thunk_tm, tt_timer *, A_TIMER)
THUNK1(thunk_ti, tinfo, A_TINFO)
THUNK1(thunk_p, void *, A_PTR)

#define THUNK2(NAME, CT1, G1, CT2, G2)                                        \
    static void NAME(tt_fn fn, tt_tonic *self, const tt_value *a)             \
    {                                                                         \
        ((void (*)(tt_tonic *, CT1, CT2))fn)(self, G1(a[0]), G2(a[1]));       \
    }
THUNK2(thunk_ii, int64_t, A_INT, int64_t, A_INT)
THUNK2(thunk_id, int64_t, A_INT, double, A_DBL)
THUNK2(thunk_di, double, A_DBL, int64_t, A_INT)
THUNK2(thunk_dd, double, A_DBL, double, A_DBL)
THUNK2(thunk_si, const char *, A_STR, int64_t, A_INT)
THUNK2(thunk_is, int64_t, A_INT, const char *, A_STR)
THUNK2(thunk_ss, const char *, A_STR, const char *, A_STR)
THUNK2(thunk_sb, const char *, A_STR, bool, A_BOOL)
THUNK2(thunk_ti_, tt_tonic *, A_TONIC, int64_t, A_INT)

static tt__thunk thunk1[] = {
    [TT_T_INT] = thunk_i,   [TT_T_DOUBLE] = thunk_d, [TT_T_BOOL] = thunk_b,
    [TT_T_STR] = thunk_s,   [TT_T_TONIC] = thunk_t,  [TT_T_TIMER] = thunk_tm,
    [TT_T_TIMERINFO] = thunk_ti, [TT_T_PTR] = thunk_p,
};

static const struct {
    uint8_t a, b;
    tt__thunk fn;
} thunk2[] = {
    {TT_T_INT, TT_T_INT, thunk_ii},   {TT_T_INT, TT_T_DOUBLE, thunk_id},
    {TT_T_DOUBLE, TT_T_INT, thunk_di}, {TT_T_DOUBLE, TT_T_DOUBLE, thunk_dd},
    {TT_T_STR, TT_T_INT, thunk_si},   {TT_T_INT, TT_T_STR, thunk_is},
    {TT_T_STR, TT_T_STR, thunk_ss},   {TT_T_STR, TT_T_BOOL, thunk_sb},
    {TT_T_TONIC, TT_T_INT, thunk_ti_},
};

static ffi_type *ffi_of(uint8_t t)
{
    switch (t) {
    case TT_T_INT: return &ffi_type_sint64;
    case TT_T_DOUBLE: return &ffi_type_double;
    case TT_T_BOOL: return &ffi_type_uint8; /* _Bool */
    default: return &ffi_type_pointer;
    }
}

typedef struct ffi_call_info {
    ffi_cif cif;
    ffi_type *types[TT_MAX_ARGS + 1];
} ffi_call_info;

/* Choose an exact thunk, else prepare an ffi cif. */
int tt__impl_prepare(tt__impl *impl, tt_fn fn, const uint8_t *types, size_t n)
{
    impl->fn = fn;
    impl->thunk = NULL;
    impl->cif = NULL;
    if (n == 0) {
        impl->thunk = thunk0;
        return 0;
    }
    if (n == 1 && types[0] < TT_COUNTOF(thunk1) && thunk1[types[0]]) {
        impl->thunk = thunk1[types[0]];
        return 0;
    }
    if (n == 2)
        for (size_t i = 0; i < TT_COUNTOF(thunk2); i++)
            if (thunk2[i].a == types[0] && thunk2[i].b == types[1]) {
                impl->thunk = thunk2[i].fn;
                return 0;
            }
    ffi_call_info *ci = calloc(1, sizeof *ci);
    if (!ci)
        return -TT_ENOMEM;
    ci->types[0] = &ffi_type_pointer;
    for (size_t i = 0; i < n; i++)
        ci->types[i + 1] = ffi_of(types[i]);
    if (ffi_prep_cif(&ci->cif, FFI_DEFAULT_ABI, (unsigned)n + 1, &ffi_type_void, ci->types) !=
        FFI_OK) {
        free(ci);
        return -TT_EFFI;
    }
    impl->cif = ci;
    return 0;
}

/* Release what tt__impl_prepare allocated. */
void tt__impl_release(tt__impl *impl)
{
    free(impl->cif);
    impl->cif = NULL;
}

/* Call the handler through libffi (tt__impl_call has no thunk for it). */
void tt__impl_call_ffi(const tt__impl *impl, size_t nargs, tt_tonic *self,
                       const tt_value *args)
{
    ffi_call_info *ci = impl->cif;
    void *slots[TT_MAX_ARGS + 1];
    union {
        int64_t i;
        double d;
        uint8_t b;
        const void *p;
    } vals[TT_MAX_ARGS];
    slots[0] = &self;
    for (size_t i = 0; i < nargs; i++) {
        const tt_value *v = &args[i];
        switch (v->type) {
        case TT_T_INT: vals[i].i = v->u.i; break;
        case TT_T_DOUBLE: vals[i].d = v->u.d; break;
        case TT_T_BOOL: vals[i].b = v->u.b; break;
        case TT_T_TIMERINFO: vals[i].p = A_TINFO(*v); break;
        default: vals[i].p = v->u.p; break;
        }
        slots[i + 1] = &vals[i];
    }
    ffi_call(&ci->cif, FFI_FN(impl->fn), NULL, slots);
}
