/*
 * replay.c: a main() for a fuzz target without libFuzzer, so that the seeds
 * and the kept regression inputs run in `make check` with any compiler.
 *
 *     replay-TARGET [-v] FILE|FOLDER...
 *
 * Feeds each file (each file of a folder, in name order; names starting
 * with '.' are skipped) to LLVMFuzzerTestOneInput, once, as libFuzzer would
 * when given the file.  Before each input it names the file on stderr
 * (with -v also on success), so that a crash points at its input.  Prints
 * "replayed N inputs" and exits 0; a failing check in the target aborts.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int verbose;
static unsigned long replayed;

/* Read a whole file; NULL on error (errno set). */
static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *b = realloc(buf, cap *= 2);
            if (!b)
                free(buf);
            buf = b;
        }
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Run one file through the target. */
static int replay_file(const char *path)
{
    size_t len;
    uint8_t *data = slurp(path, &len);
    if (!data) {
        fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
    /* an exact-size copy, so that ASan sees reads past the end */
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) {
        free(data);
        return -1;
    }
    memcpy(copy, data, len);
    free(data);
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
    replayed++;
    if (verbose)
        fprintf(stderr, "replay: %s ok\n", path);
    return 0;
}

/* For qsort: names in byte order. */
static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run every file of a folder, in name order. */
static int replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "replay: cannot read %s: %s\n", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char **v = realloc(names, (n + 1) * sizeof *names);
        if (!v)
            break;
        names = v;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n])
            break;
        snprintf(names[n++], len, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode) &&
            replay_file(names[i]) < 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    int rc = 0;
    /* the target may add libFuzzer options to its argv: give it a copy */
    char *fake[] = {argv[0], NULL};
    int fake_argc = 1;
    char **fake_argv = fake;

    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&fake_argc, &fake_argv);
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (strcmp(argv[i], "-v") == 0) {
            verbose = 1;
            continue;
        }
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            rc = 1;
        } else if (S_ISDIR(st.st_mode) ? replay_dir(argv[i]) < 0
                                       : replay_file(argv[i]) < 0) {
            rc = 1;
        }
    }
    printf("replayed %lu inputs\n", replayed);
    return rc;
}
