/*
 * app.c: loading a Tonic app module.  An app is a shared object exporting one
 * symbol, `tt_formula`; a libtool .la file is accepted and resolved to the
 * shared object it names (in .libs/ beside it, as in a build tree, or beside
 * it once installed).
 */
#define _GNU_SOURCE 1 /* dlinfo */
#include "tt-int.h"

#include <dlfcn.h>
#include <link.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct tt_app {
    void *handle;
    tt_formula_fn formula;
    char *path;
};

/* Resolve a .la file to its shared object; returns a malloc'ed path. */
static char *resolve_la(const char *la, tt_error *err)
{
    FILE *f = fopen(la, "r");
    if (!f) {
        tt__seterr(err, -TT_EDLOPEN, "%s: %s", la, strerror(errno));
        return NULL;
    }
    char line[1024], dlname[512] = "";
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "dlname='%511[^']'", dlname) == 1)
            break;
    fclose(f);
    if (!dlname[0]) {
        tt__seterr(err, -TT_EDLOPEN,
                   "%s: a libtool archive without a shared object (dlname is empty: build it "
                   "with -module -shared)",
                   la);
        return NULL;
    }
    const char *slash = strrchr(la, '/');
    int dirlen = slash ? (int)(slash - la + 1) : 0;
    size_t n = strlen(la) + strlen(dlname) + 16;
    char *p = malloc(n);
    if (!p)
        return NULL;
    struct stat st;
    snprintf(p, n, "%.*s.libs/%s", dirlen, la, dlname);
    if (stat(p, &st) == 0)
        return p;
    snprintf(p, n, "%.*s%s", dirlen, la, dlname);
    return p;
}

/* Load an app module. */
int tt_app_load(const char *path, tt_app **out, tt_error *err)
{
    if (!path || !out)
        return tt__seterr(err, -TT_EINVAL, "no app module given");
    *out = NULL;
    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        /* `ttdb app` for app.so: name the module that is there */
        static const char *const ext[] = {".so", ".la"};
        for (size_t i = 0; e == ENOENT && i < TT_COUNTOF(ext); i++) {
            size_t n = strlen(path) + 4;
            char *alt = malloc(n);
            if (!alt)
                break;
            snprintf(alt, n, "%s%s", path, ext[i]);
            bool there = stat(alt, &st) == 0 && !S_ISDIR(st.st_mode);
            if (there)
                tt__seterr(err, -TT_EDLOPEN, "%s: %s (did you mean %s?)", path,
                           strerror(e), alt);
            free(alt);
            if (there)
                return -TT_EDLOPEN;
        }
        return tt__seterr(err, -TT_EDLOPEN, "%s: %s", path, strerror(e));
    }
    if (S_ISDIR(st.st_mode))
        return tt__seterr(err, -TT_EDLOPEN, "%s: is a directory, not an app module", path);
    size_t len = strlen(path);
    char *so = len > 3 && strcmp(path + len - 3, ".la") == 0 ? resolve_la(path, err)
                                                             : tt__strdup(path);
    if (!so)
        return err && err->code ? err->code : -TT_ENOMEM;
    /* dlopen needs a slash to not search the library path */
    char *open_path = so;
    if (!strchr(so, '/')) {
        open_path = malloc(strlen(so) + 3);
        if (!open_path) {
            free(so);
            return -TT_ENOMEM;
        }
        sprintf(open_path, "./%s", so);
    }
    dlerror();
    void *h = dlopen(open_path, RTLD_NOW | RTLD_LOCAL);
    if (open_path != so)
        free(open_path);
    if (!h) {
        const char *e = dlerror();
        const char *dot = strrchr(path, '.');
        if (dot && (strcmp(dot, ".c") == 0 || strcmp(dot, ".h") == 0))
            tt__seterr(err, -TT_EDLOPEN,
                       "cannot load %s: C source, not an app module: build the "
                       "module first (cc -shared -fPIC -o APP.so %s $(pkg-config "
                       "--cflags --libs tasktonic)) and give APP.so",
                       path, path);
        else
            tt__seterr(err, -TT_EDLOPEN, "cannot load %s: %s", path,
                       e ? e : "not a shared object");
        free(so);
        return -TT_EDLOPEN;
    }
    void *sym = dlsym(h, TT_FORMULA_SYMBOL);
    if (!sym) {
        dlclose(h);
        free(so);
        return tt__seterr(err, -TT_ENOFORMULA,
                          "%s: no %s entry point (an app module defines TT_FORMULA(cat) { ... })",
                          path, TT_FORMULA_SYMBOL);
    }
    /* Before anything reads the module's tables with this header's layout. */
    const int *abi = dlsym(h, TT_ABI_SYMBOL);
    int built = abi ? *abi : 1;
    if (built != TT_ABI_VERSION) {
        dlclose(h);
        free(so);
        return tt__seterr(err, -TT_EDLOPEN,
                          "%s: built against tasktonic ABI %d%s, this libtasktonic "
                          "has %d: rebuild the module",
                          path, built, abi ? "" : " (it has no " TT_ABI_SYMBOL ")",
                          TT_ABI_VERSION);
    }
    tt_app *app = calloc(1, sizeof *app);
    if (!app) {
        dlclose(h);
        free(so);
        return -TT_ENOMEM;
    }
    app->handle = h;
    app->path = so;
    *(void **)&app->formula = sym;
    *out = app;
    if (err)
        err->code = 0;
    return 0;
}

/* The formula's call, run under the guard. */
typedef struct formula_call {
    tt_app *app;
    tt_catalyst *cat;
    int rc;
} formula_call;

static void call_formula(void *ud)
{
    formula_call *fc = ud;
    fc->rc = fc->app->formula(fc->cat);
}

/* Run the formula with source ["tt_main_catalyst", "__formula__", 0]. */
int tt_app_formula(tt_app *app, tt_catalyst *cat)
{
    if (!app || !cat)
        return -TT_EINVAL;
    tt__frame saved = cat->frame;
    cat->frame = (tt__frame){&cat->self->l, TT_N_FORMULA, 0, 0};
    formula_call fc = {app, cat, 0};
    int why = tt__guard(cat, call_formula, &fc);
    cat->frame = saved;
    if (why != 0) {
        char what[600], buf[700];
        snprintf(what, sizeof what, "the formula of %s", app->path);
        tt__guard_describe(cat, why, what, buf, sizeof buf);
        cat->tainted = true;
        return tt__err(cat, -TT_ECRASHED, "%s", buf);
    }
    int rc = fc.rc;
    if (rc < 0 && !tt__errmsg(cat)[0])
        tt__err(cat, rc, "%s: the formula returned %s", app->path, tt_err_name(rc));
    return rc;
}

const char *tt_app_path(const tt_app *app) { return app ? app->path : NULL; }

void tt_app_close(tt_app *app)
{
    if (!app)
        return;
    dlclose(app->handle);
    free(app->path);
    free(app);
}

/* --- the module's static data (checkpoint.c) ---------------------------- */

typedef struct seg_find {
    uintptr_t base;
    tt__seg *v;
    size_t n;
    int rc;
} seg_find;

/* The writable PT_LOAD ranges of the object loaded at f->base, less the
 * pages made read-only after relocation (PT_GNU_RELRO). */
static int seg_cb(struct dl_phdr_info *info, size_t size, void *ud)
{
    (void)size;
    seg_find *f = ud;
    if ((uintptr_t)info->dlpi_addr != f->base)
        return 0;
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    uintptr_t ro0 = 0, ro1 = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_GNU_RELRO) {
            ro0 = (info->dlpi_addr + ph->p_vaddr) & ~(uintptr_t)(pg - 1);
            ro1 = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz) & ~(uintptr_t)(pg - 1);
        }
    }
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W) || ph->p_memsz == 0)
            continue;
        uintptr_t a = info->dlpi_addr + ph->p_vaddr, b = a + ph->p_memsz;
        uintptr_t parts[2][2] = {{a, b < ro0 ? b : ro0}, {a > ro1 ? a : ro1, b}};
        if (ro1 <= ro0 || b <= ro0 || a >= ro1) { /* no overlap */
            parts[0][1] = b;
            parts[1][0] = parts[1][1] = 0;
        }
        for (int p = 0; p < 2; p++) {
            if (parts[p][1] <= parts[p][0])
                continue;
            tt__seg *v = realloc(f->v, (f->n + 1) * sizeof *v);
            if (!v) {
                f->rc = -TT_ENOMEM;
                return 1;
            }
            f->v = v;
            f->v[f->n++] = (tt__seg){(char *)parts[p][0], parts[p][1] - parts[p][0]};
        }
    }
    return 1;
}

int tt__app_segments(const tt_app *app, tt__seg **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct link_map *lm = NULL;
    if (!app || !app->handle || dlinfo(app->handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm)
        return -TT_EINVAL;
    seg_find f = {(uintptr_t)lm->l_addr, NULL, 0, 0};
    dl_iterate_phdr(seg_cb, &f);
    if (f.rc < 0) {
        free(f.v);
        return f.rc;
    }
    *out = f.v;
    *n = f.n;
    return 0;
}
