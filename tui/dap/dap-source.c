/*
 * dap-source.c: where a handler's C function is, read from the app
 * module's DWARF with elfutils' libdw.
 *
 * A handler is named CLASS_PREFIX[_STATE]__NAME (TT_ON in tasktonic.h: the
 * library checks the name), so the functions of the module's debug
 * information say which sparkle of which class (and state) each one
 * handles, and where its body is.  No debug information: no sources, and
 * source breakpoints are reported unverified.
 */
#include "dap.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct {
    dap_func *v;
    size_t n, cap;
} funcs;

/* The interface prefixes of handler names (longest first). */
static const char *const prefixes[] = {"_ttss", "_tts", "ttsc", "ttse", "tts"};

bool dap_source_split(const char *fname, char **klass, char **sparkle,
                      char **state)
{
    for (const char *p = strchr(fname, '_'); p; p = strchr(p + 1, '_')) {
        if (p == fname)
            continue;
        for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes; k++) {
            size_t pl = strlen(prefixes[k]);
            if (strncmp(p + 1, prefixes[k], pl) != 0 || p[1 + pl] != '_')
                continue;
            const char *rest = p + 1 + pl; /* "__NAME" or "_STATE__NAME" */
            const char *sep = strstr(rest + 1, "__");
            if (rest[1] == '_')
                sep = rest;
            if (!sep || !sep[2])
                continue;
            *klass = xstrndup(fname, (size_t)(p - fname));
            *sparkle = xasprintf("%s__%s", prefixes[k], sep + 2);
            *state = sep == rest ? NULL
                                 : xstrndup(rest + 1, (size_t)(sep - rest - 1));
            return true;
        }
    }
    return false;
}

/* What dwarf_getfuncs hands each function. */
typedef struct cu_ctx {
    Dwarf_Lines *lines;
    size_t nlines;
    const char *comp_dir; /* what relative file names are relative to */
} cu_ctx;

/* A file name of the debug information as a path to open (malloc'ed). */
static char *file_path(const char *file, const char *comp_dir)
{
    char *joined = file[0] == '/' || !comp_dir
                       ? xstrdup(file)
                       : xasprintf("%s/%s", comp_dir, file);
    char real[PATH_MAX];
    if (realpath(joined, real)) {
        free(joined);
        return xstrdup(real);
    }
    return joined;
}

static int on_func(Dwarf_Die *die, void *arg)
{
    cu_ctx *cu = arg;
    const char *name = dwarf_diename(die);
    const char *file = dwarf_decl_file(die);
    int line = 0;
    char *k, *s, *st;
    if (!name || !file || dwarf_decl_line(die, &line) != 0 ||
        !dap_source_split(name, &k, &s, &st))
        return DWARF_CB_OK;
    free(k);
    free(s);
    free(st);
    int last = line;
    Dwarf_Addr lo, hi;
    if (cu->lines && dwarf_lowpc(die, &lo) == 0 &&
        dwarf_highpc(die, &hi) == 0) {
        for (size_t i = 0; i < cu->nlines; i++) {
            Dwarf_Line *l = dwarf_onesrcline(cu->lines, i);
            Dwarf_Addr a;
            int ln;
            if (l && dwarf_lineaddr(l, &a) == 0 && a >= lo && a < hi &&
                dwarf_lineno(l, &ln) == 0 && ln > last)
                last = ln;
        }
    }
    if (funcs.n == funcs.cap) {
        funcs.cap = funcs.cap ? funcs.cap * 2 : 32;
        funcs.v = xrealloc(funcs.v, funcs.cap * sizeof *funcs.v);
    }
    funcs.v[funcs.n++] = (dap_func){.name = xstrdup(name),
                                    .file = file_path(file, cu->comp_dir),
                                    .line = line,
                                    .last = last};
    return DWARF_CB_OK;
}

bool dap_source_load(const char *so_path, char *why, size_t size)
{
    dap_source_free();
    int fd = open(so_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, size, "cannot read %s", so_path);
        return false;
    }
    Dwarf *dw = dwarf_begin(fd, DWARF_C_READ);
    if (!dw) {
        close(fd);
        snprintf(why, size, "%s has no debug information (build it with -g)",
                 so_path);
        return false;
    }
    Dwarf_Off off = 0, next;
    size_t hsize;
    while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
        Dwarf_Die cudie;
        if (dwarf_offdie(dw, off + hsize, &cudie)) {
            cu_ctx cu = {0};
            Dwarf_Attribute attr;
            cu.comp_dir = dwarf_formstring(
                dwarf_attr(&cudie, DW_AT_comp_dir, &attr));
            if (dwarf_getsrclines(&cudie, &cu.lines, &cu.nlines) != 0)
                cu.lines = NULL;
            dwarf_getfuncs(&cudie, on_func, &cu, 0);
        }
        off = next;
    }
    dwarf_end(dw);
    close(fd);
    if (funcs.n == 0) {
        snprintf(why, size, "%s: no handler functions in its debug "
                            "information (build it with -g)", so_path);
        return false;
    }
    return true;
}

void dap_source_free(void)
{
    for (size_t i = 0; i < funcs.n; i++) {
        free(funcs.v[i].name);
        free(funcs.v[i].file);
    }
    free(funcs.v);
    memset(&funcs, 0, sizeof funcs);
}

/* The function named exactly so. */
static const dap_func *by_name(const char *name)
{
    for (size_t i = 0; i < funcs.n; i++)
        if (strcmp(funcs.v[i].name, name) == 0)
            return &funcs.v[i];
    return NULL;
}

const dap_func *dap_source_handler(const char *klass, const char *sparkle,
                                   const char *state)
{
    const char *us = strstr(sparkle, "__");
    if (!klass || !us)
        return NULL;
    const dap_func *f = NULL;
    if (state && strcmp(state, "--") != 0) {
        char *n = xasprintf("%s_%.*s_%s%s", klass, (int)(us - sparkle),
                            sparkle, state, us);
        f = by_name(n);
        free(n);
    }
    if (!f) {
        char *n = xasprintf("%s_%s", klass, sparkle);
        f = by_name(n);
        free(n);
    }
    return f;
}

/* Whether a and b name the same file (real paths, else the same base
 * name). */
static bool same_file(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    if (realpath(a, ra) && realpath(b, rb))
        return strcmp(ra, rb) == 0;
    const char *ba = strrchr(a, '/'), *bb = strrchr(b, '/');
    return strcmp(ba ? ba + 1 : a, bb ? bb + 1 : b) == 0;
}

const dap_func *dap_source_at(const char *file, int line)
{
    for (size_t i = 0; i < funcs.n; i++)
        if (line >= funcs.v[i].line && line <= funcs.v[i].last &&
            same_file(funcs.v[i].file, file))
            return &funcs.v[i];
    return NULL;
}
