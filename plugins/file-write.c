/*
 * file-write.c: the one way ttdb writes an output file (exports through the
 * plugins and the library's own JSON writer).
 *
 * A symbolic link is followed to its target (even a dangling one), so that
 * the link stays a link.  A regular file is written under a temporary name
 * in the same folder, flushed, synced and renamed over the target, so that a
 * failure never leaves half a file; the temporary file is removed on every
 * failure.  The new file keeps the mode (and, when allowed, the owner) of the
 * one it replaces; a file that did not exist gets 0666 & ~umask, as a plain
 * fopen would give it.  A file the user may not write (and, for root, a file
 * with no write bit at all) is refused rather than replaced.  A character
 * device or a FIFO (/dev/null, /dev/stdout, a pipe) is written directly; a
 * folder, a socket or a block device is refused.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "loader-int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The folder part of path ("." when none) into buf. */
static void dir_of(const char *path, char *buf, size_t size)
{
    const char *s = strrchr(path, '/');
    if (!s)
        snprintf(buf, size, ".");
    else if (s == path)
        snprintf(buf, size, "/");
    else
        snprintf(buf, size, "%.*s", (int)(s - path), path);
}

/* Message for a failure to create a file in path's folder. */
static int create_error(const char *path, int e, tt_error *err)
{
    char dir[PATH_MAX];
    dir_of(path, dir, sizeof dir);
    if (e == ENOENT)
        return ttdb__seterr(err, -TT_EIO, "cannot write '%s': folder '%s' does not exist", path,
                    dir);
    if (e == ENOTDIR)
        return ttdb__seterr(err, -TT_EIO, "cannot write '%s': '%s' is not a folder", path, dir);
    if (e == EACCES)
        return ttdb__seterr(err, -TT_EIO, "cannot write '%s': folder '%s' is not writable", path,
                    dir);
    return ttdb__seterr(err, -TT_EIO, "cannot write '%s': %s", path, strerror(e));
}

/* Follow path through symbolic links to the file they name (which need not
 * exist) into out.  Returns 0 or an errno value. */
static int resolve_links(const char *path, char *out, size_t size)
{
    if (strlen(path) >= size)
        return ENAMETOOLONG;
    strcpy(out, path);
    for (int hops = 0;; hops++) {
        struct stat st;
        if (lstat(out, &st) != 0 || !S_ISLNK(st.st_mode))
            return 0;
        if (hops == 40)
            return ELOOP;
        char target[PATH_MAX];
        ssize_t n = readlink(out, target, sizeof target - 1);
        if (n < 0)
            return errno;
        target[n] = '\0';
        if (target[0] == '/') {
            if ((size_t)n >= size)
                return ENAMETOOLONG;
            memcpy(out, target, (size_t)n + 1);
        } else {
            char dir[PATH_MAX];
            dir_of(out, dir, sizeof dir);
            if ((size_t)snprintf(out, size, "%s/%s", dir, target) >= size)
                return ENAMETOOLONG;
        }
    }
}

/* The current umask, without changing it. */
static mode_t current_umask(void)
{
    mode_t m = umask(022);
    umask(m);
    return m;
}

/* Run fn on f, then flush.  Returns 0 or a code (err filled). */
static int run_writer(ttdb_file_fn fn, void *ud, FILE *f, const char *path,
                      tt_error *err)
{
    errno = 0;
    err->msg[0] = '\0';
    int rc = fn(ud, f, err);
    int e = errno;
    if (rc < 0 && rc != -TT_EIO) {
        if (!err->msg[0])
            ttdb__seterr(err, rc, "cannot write '%s': %s", path, tt_strerror(rc));
        err->code = rc;
        return rc;
    }
    if (rc == 0 && fflush(f) == 0 && !ferror(f))
        return 0;
    if (rc == 0)
        e = errno;
    if (rc < 0 && err->msg[0] && !e)
        return err->code = rc;
    return ttdb__seterr(err, -TT_EIO, "cannot write '%s': %s", path, strerror(e ? e : EIO));
}

/* Write to a character device or a FIFO that exists: directly. */
static int write_special(const char *path, ttdb_file_fn fn, void *ud, tt_error *err)
{
    /* O_NONBLOCK: a FIFO nobody reads fails with ENXIO instead of hanging */
    int fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENXIO)
            return ttdb__seterr(err, -TT_EIO, "cannot write '%s': no process reads this FIFO",
                        path);
        return ttdb__seterr(err, -TT_EIO, "cannot write '%s': %s", path, strerror(errno));
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        return ttdb__seterr(err, -TT_EIO, "cannot write '%s': %s", path, strerror(e));
    }
    int rc = run_writer(fn, ud, f, path, err);
    if (fclose(f) != 0 && rc == 0)
        rc = ttdb__seterr(err, -TT_EIO, "cannot write '%s': %s", path, strerror(errno));
    return rc;
}

/* Whether the existing regular file st at path may be replaced. */
static int check_writable(const char *path, const struct stat *st, tt_error *err)
{
    bool no_bit = !(st->st_mode & (S_IWUSR | S_IWGRP | S_IWOTH));
    if (access(path, W_OK) != 0 || no_bit)
        return ttdb__seterr(err, -TT_EIO,
                    "cannot write '%s': the file is read-only (mode %04o); make it "
                    "writable (chmod u+w) or choose another name",
                    path, (unsigned)(st->st_mode & 07777));
    return 0;
}

int ttdb_write_file(const char *path, ttdb_file_fn fn, void *ud, tt_error *err)
{
    tt_error local;
    if (!err)
        err = &local;
    memset(err, 0, sizeof *err);
    if (!path || !*path || !fn)
        return ttdb__seterr(err, -TT_EINVAL, "no file name given");
    char target[PATH_MAX];
    int e = resolve_links(path, target, sizeof target);
    if (e)
        return ttdb__seterr(err, -TT_EIO, "cannot write '%s': %s", path, strerror(e));
    struct stat st;
    bool exists = stat(target, &st) == 0;
    if (exists) {
        if (S_ISDIR(st.st_mode))
            return ttdb__seterr(err, -TT_EIO, "cannot write '%s': it is a folder", path);
        if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
            return write_special(target, fn, ud, err);
        if (!S_ISREG(st.st_mode))
            return ttdb__seterr(err, -TT_EIO,
                        "cannot write '%s': it is a %s, not a regular file", path,
                        S_ISSOCK(st.st_mode) ? "socket" : "block device");
        if (check_writable(target, &st, err) < 0)
            return err->code;
    }

    size_t len = strlen(target) + sizeof ".tmpXXXXXX";
    char *tmp = malloc(len);
    if (!tmp)
        return ttdb__seterr(err, -TT_ENOMEM, "cannot write '%s': out of memory", path);
    snprintf(tmp, len, "%s.tmpXXXXXX", target);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        e = errno;
        free(tmp);
        return create_error(target, e, err);
    }
    /* mkstemp makes 0600: give the file the mode it had, or the one a plain
     * fopen would give it */
    if (exists) {
        if (fchown(fd, st.st_uid, st.st_gid) != 0) {
            /* not allowed to give it away: it becomes the user's */
        }
        fchmod(fd, st.st_mode & 07777);
    } else {
        fchmod(fd, 0666 & ~current_umask());
    }
    int rc;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        e = errno;
        close(fd);
        rc = ttdb__seterr(err, -TT_EIO, "cannot write '%s': %s", path, strerror(e));
    } else {
        setvbuf(f, NULL, _IOFBF, 1 << 16);
        rc = run_writer(fn, ud, f, path, err);
        if (rc == 0 && fsync(fileno(f)) != 0 && errno != EINVAL && errno != EROFS)
            rc = ttdb__seterr(err, -TT_EIO, "cannot write '%s': %s", path, strerror(errno));
        if (fclose(f) != 0 && rc == 0)
            rc = ttdb__seterr(err, -TT_EIO, "cannot write '%s': %s", path, strerror(errno));
    }
    if (rc == 0 && rename(tmp, target) != 0)
        rc = ttdb__seterr(err, -TT_EIO, "cannot write '%s': %s", path, strerror(errno));
    if (rc < 0)
        unlink(tmp);
    free(tmp);
    return rc;
}
