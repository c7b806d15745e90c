/*
 * app-output.c: what the app prints (stdout and stderr) while ttdb runs it.
 *
 * On the screen, an app's printf would draw over the panes: appout_capture()
 * points file descriptors 1 and 2 at a pipe whose reader thread keeps the
 * lines (the thread also keeps a chatty app from blocking on a full pipe
 * while a run holds the loop); the screen takes them with appout_take()
 * into its console, marked as the app's.  `set app-output FILE` sends them
 * to a file instead, in every front end: in batch mode ttdb's own output
 * then goes on on the descriptors it had (out_set_files).
 */
#include "ttdb.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t reader;
static bool capturing;
static int pipe_fd[2] = {-1, -1};
static int notify_fd = -1;   /* written when lines arrive (screen wakes) */
static int saved_fd[2] = {-1, -1}; /* the original 1 and 2 */
static strbuf pending;       /* bytes read, lines not yet taken */
static int file_fd = -1;     /* set app-output FILE */
static char *file_name;

/* Read what the pipe holds (lock held); 0 at EOF. */
static ssize_t pull(void)
{
    char buf[4096];
    ssize_t n, total = 0;
    while ((n = read(pipe_fd[0], buf, sizeof buf)) > 0) {
        total += n;
        if (file_fd >= 0) {
            ssize_t off = 0;
            while (off < n) {
                ssize_t w = write(file_fd, buf + off, (size_t)(n - off));
                if (w < 0 && errno == EINTR)
                    continue;
                if (w < 0)
                    break;
                off += w;
            }
        } else if (pending.len < (16u << 20)) { /* keep at most 16 MiB */
            sb_addn(&pending, buf, (size_t)n);
        }
    }
    return n == 0 ? 0 : total + 1;
}

/* The reader thread: drain the pipe as it fills. */
static void *reader_main(void *arg)
{
    (void)arg;
    for (;;) {
        struct pollfd p = {.fd = pipe_fd[0], .events = POLLIN};
        if (poll(&p, 1, -1) < 0 && errno != EINTR)
            break;
        pthread_mutex_lock(&lock);
        size_t before = pending.len;
        ssize_t r = pull();
        bool more = pending.len > before;
        pthread_mutex_unlock(&lock);
        if (more && notify_fd >= 0) {
            char c = 'a';
            ssize_t w = write(notify_fd, &c, 1);
            (void)w;
        }
        if (r == 0)
            break; /* every writer closed: capture ended */
    }
    return NULL;
}

/* Capture fds 1 and 2; notify (may be -1) gets a byte when lines arrive. */
int appout_capture(int notify)
{
    if (capturing)
        return 0;
    fflush(stdout);
    fflush(stderr);
    if (pipe(pipe_fd) < 0)
        return -1;
    fcntl(pipe_fd[0], F_SETFL, fcntl(pipe_fd[0], F_GETFL) | O_NONBLOCK);
    fcntl(pipe_fd[0], F_SETFD, FD_CLOEXEC);
    fcntl(pipe_fd[1], F_SETFD, FD_CLOEXEC);
    saved_fd[0] = dup(STDOUT_FILENO);
    saved_fd[1] = dup(STDERR_FILENO);
    if (saved_fd[0] < 0 || saved_fd[1] < 0 ||
        dup2(pipe_fd[1], STDOUT_FILENO) < 0 ||
        dup2(pipe_fd[1], STDERR_FILENO) < 0) {
        appout_release();
        return -1;
    }
    close(pipe_fd[1]);
    pipe_fd[1] = -1;
    notify_fd = notify;
    if (pthread_create(&reader, NULL, reader_main, NULL) != 0) {
        appout_release();
        return -1;
    }
    capturing = true;
    return 0;
}

/* The original descriptor of 1 or 2 while captured, else fd itself. */
int appout_real_fd(int fd)
{
    if (fd == STDOUT_FILENO && saved_fd[0] >= 0)
        return saved_fd[0];
    if (fd == STDERR_FILENO && saved_fd[1] >= 0)
        return saved_fd[1];
    return fd;
}

/* End the capture: fds 1 and 2 back, the reader stopped. */
void appout_release(void)
{
    fflush(stdout);
    fflush(stderr);
    if (saved_fd[0] >= 0)
        dup2(saved_fd[0], STDOUT_FILENO); /* the pipe's last writers go */
    if (saved_fd[1] >= 0)
        dup2(saved_fd[1], STDERR_FILENO);
    if (capturing) {
        pthread_join(reader, NULL);
        capturing = false;
    }
    for (int i = 0; i < 2; i++) {
        if (saved_fd[i] >= 0)
            close(saved_fd[i]);
        saved_fd[i] = -1;
        if (pipe_fd[i] >= 0)
            close(pipe_fd[i]);
        pipe_fd[i] = -1;
    }
    notify_fd = -1;
    sb_free(&pending);
}

/* Take the complete lines the app printed (every byte when all). */
void appout_take(void (*cb)(const char *line, void *ud), void *ud, bool all)
{
    if (!capturing)
        return;
    fflush(stdout); /* the app's stdio buffer, written by this thread */
    fflush(stderr);
    pthread_mutex_lock(&lock);
    pull();
    char *text = pending.s;
    size_t len = pending.len, used = 0;
    if (text) {
        char *nl;
        while (used < len && ((nl = memchr(text + used, '\n', len - used)) ||
                              all)) {
            char *end = nl ? nl : text + len;
            *end = '\0';
            cb(text + used, ud);
            used = (size_t)(end - text) + (nl ? 1 : 0);
        }
        memmove(text, text + used, len - used);
        pending.len = len - used;
        text[pending.len] = '\0';
    }
    pthread_mutex_unlock(&lock);
}

/* set app-output FILE ("" or "-": back to the screen, or pass through). */
int appout_set_file(const char *path)
{
    int fd = -1;
    if (path && *path && strcmp(path, "-") != 0) {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
            out_error("set app-output %s: %s", path, strerror(errno));
            return -1;
        }
    }
    fflush(stdout);
    fflush(stderr);
    pthread_mutex_lock(&lock);
    if (file_fd >= 0)
        close(file_fd);
    file_fd = fd;
    free(file_name);
    file_name = fd >= 0 ? xstrdup(path) : NULL;
    pthread_mutex_unlock(&lock);
    if (!capturing) {
        /* batch: ttdb keeps its own descriptors, the app gets the file */
        if (saved_fd[0] < 0) {
            saved_fd[0] = dup(STDOUT_FILENO);
            saved_fd[1] = dup(STDERR_FILENO);
            out_set_files(fdopen(dup(saved_fd[0]), "w"),
                          fdopen(dup(saved_fd[1]), "w"));
        }
        dup2(fd >= 0 ? fd : saved_fd[0], STDOUT_FILENO);
        dup2(fd >= 0 ? fd : saved_fd[1], STDERR_FILENO);
    }
    if (fd >= 0)
        out_printf("the app's output goes to %s\n", path);
    else
        out_printf("the app's output goes to the %s\n",
                   capturing ? "console (marked \"app|\")" : "terminal");
    return 0;
}

/* The file of `set app-output`, or NULL. */
const char *appout_file(void)
{
    return file_name;
}

/* Free what is left (teardown). */
void appout_shutdown(void)
{
    appout_release();
    if (file_fd >= 0)
        close(file_fd);
    file_fd = -1;
    free(file_name);
    file_name = NULL;
}
