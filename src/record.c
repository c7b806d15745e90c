/*
 * record.c: the flight recorder of the production Catalyst.
 *
 * With tt_catalyst_record(cat, n), tt_catalyst_run records every sparkle it
 * runs in the catalyst's trace, the same entries the Distiller records
 * (tonic, sparkle, args, source, cause, states, timestamps), and the trace
 * keeps at least the last n (whole chunks are dropped from the front).
 * tt_catalyst_write_record writes exactly the last n as one run dictionary,
 * the JSON ttdb exports, through a temporary file renamed into place.  The
 * loop's only cost while recording is off is one predictable branch per
 * order; a snapshot asked for from another thread is taken between two
 * sparkles, through the flag the loop already polls for tt_catalyst_stop.
 */
#include "tt-int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Record the last n sparkles (0: stop recording). */
int tt_catalyst_record(tt_catalyst *cat, size_t n)
{
    if (!cat || cat->recorded)
        return -TT_EINVAL;
    if (cat->opt.mode != TT_MODE_CATALYST)
        return tt__err(cat, -TT_EINVAL,
                       "the flight recorder is for the production Catalyst (the Distiller "
                       "traces anyway)");
    if (cat->in_sparkle)
        return tt__err(cat, -TT_EBUSY, "cannot change the recorder inside a sparkle");
    if (n && !cat->record_n) {
        tt__clock_anchor(&cat->clock);
        cat->vt_base = cat->clock.wall - tt_catalyst_now(cat);
    }
    cat->record_n = n;
    cat->trace.ring = n;
    return 0;
}

size_t tt_catalyst_record_size(const tt_catalyst *cat) { return cat ? cat->record_n : 0; }

/* The signal of the contained crash that stopped tt_catalyst_run, 0 if none. */
int tt_catalyst_crash_signal(const tt_catalyst *cat)
{
    return cat && cat->crash_sig > 0 ? cat->crash_sig : 0;
}

/* Write the recorded entries as one run to f. */
static int write_run(tt_catalyst *cat, FILE *f, const char *why)
{
    tt__trace *t = &cat->trace;
    uint64_t first = t->first;
    if (t->last >= first && cat->record_n && t->last - first + 1 > cat->record_n)
        first = t->last - cat->record_n + 1;
    char *stop = (char *)(why && *why ? why : "recorded");
    tt_run r = {
        .first_seq = first,
        .count = t->last >= first ? t->last - first + 1 : 0,
        .has_trace = true,
        .finished_status = cat->finished,
        .stops = &stop,
        .n_stops = 1,
        .end = tt__clock_now(&cat->clock),
        .vt_end = tt_catalyst_now(cat),
    };
    const tt_trace_entry *e = r.count ? tt__trace_get(t, first) : NULL;
    r.start = e ? e->t_enter : r.end;
    r.vt_start = e ? e->vt : r.vt_end;
    int rc = tt_run_write_json(cat, &r, f, TT_JSON_PRETTY | TT_JSON_EXTENSIONS);
    if (rc == 0 && fputc('\n', f) == EOF)
        rc = -TT_EIO;
    return rc;
}

/* Create a temporary file next to path, named into tmp (size len): mode
 * 0666 less the umask, as a plain fopen gives (mkstemp gives 0600). */
static int open_tmp(char *tmp, size_t len, const char *path)
{
    static unsigned counter;
    for (int i = 0; i < 100; i++) {
        snprintf(tmp, len, "%s.tmp%ld.%u", path, (long)getpid(),
                 __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED));
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

/* Write the recording to path atomically (see tasktonic.h). */
int tt_catalyst_write_record(tt_catalyst *cat, const char *path, const char *why)
{
    if (!cat || !path || !*path)
        return -TT_EINVAL;
    if (cat->in_sparkle)
        return tt__err(cat, -TT_EBUSY, "cannot write the recording inside a sparkle");
    size_t len = strlen(path) + sizeof ".tmp.." + 3 * sizeof(long) + 3 * sizeof(unsigned);
    char *tmp = malloc(len);
    if (!tmp)
        return tt__err(cat, -TT_ENOMEM, "out of memory writing %s", path);
    int fd = open_tmp(tmp, len, path);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return tt__err(cat, -TT_EIO, "cannot write %s: %s", path, strerror(e));
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        return tt__err(cat, -TT_EIO, "cannot write %s: %s", path, strerror(e));
    }
    int rc = write_run(cat, f, why);
    int e = 0;
    if (fflush(f) != 0 || (fsync(fd) != 0 && errno != EINVAL && errno != EROFS))
        e = errno;
    if (fclose(f) != 0 && !e)
        e = errno;
    if (rc == 0 && e)
        rc = -TT_EIO;
    if (rc == 0 && rename(tmp, path) != 0) {
        e = errno;
        rc = -TT_EIO;
    }
    if (rc < 0) {
        unlink(tmp);
        free(tmp);
        return tt__err(cat, rc, "cannot write %s: %s", path,
                       e ? strerror(e) : tt_strerror(rc));
    }
    free(tmp);
    return 0;
}

/* Ask the running loop for a snapshot (any thread). */
int tt_catalyst_request_record(tt_catalyst *cat, const char *path)
{
    if (!cat || !path || !*path)
        return -TT_EINVAL;
    char *copy = tt__strdup(path);
    if (!copy)
        return -TT_ENOMEM;
    pthread_mutex_lock(&cat->inbox_lock);
    free(cat->record_path);
    cat->record_path = copy;
    atomic_fetch_or(&cat->stop_flag, TT__REQ_RECORD);
    atomic_store(&cat->inbox_flag, 1);
    pthread_cond_signal(&cat->inbox_cond);
    pthread_mutex_unlock(&cat->inbox_lock);
    return 0;
}

/* The loop takes a requested snapshot (catalyst thread, between sparkles). */
void tt__record_snapshot(tt_catalyst *cat)
{
    pthread_mutex_lock(&cat->inbox_lock);
    char *path = cat->record_path;
    cat->record_path = NULL;
    pthread_mutex_unlock(&cat->inbox_lock);
    if (path)
        cat->record_rc = tt_catalyst_write_record(cat, path, "snapshot");
    free(path);
    cat->rec_t = 0;
}

/* Run fn on the catalyst's thread between two sparkles (any thread). */
int tt_catalyst_request_call(tt_catalyst *cat, void (*fn)(tt_catalyst *cat, void *ud), void *ud)
{
    if (!cat || !fn)
        return -TT_EINVAL;
    pthread_mutex_lock(&cat->inbox_lock);
    while (cat->call_fn) /* one at a time: wait for the previous one */
        pthread_cond_wait(&cat->call_cond, &cat->inbox_lock);
    cat->call_fn = fn;
    cat->call_ud = ud;
    atomic_fetch_or(&cat->stop_flag, TT__REQ_CALL);
    atomic_store(&cat->inbox_flag, 1);
    pthread_cond_signal(&cat->inbox_cond);
    pthread_mutex_unlock(&cat->inbox_lock);
    return 0;
}

/* The loop runs the requested call (catalyst thread, between sparkles). */
void tt__record_call(tt_catalyst *cat)
{
    pthread_mutex_lock(&cat->inbox_lock);
    void (*fn)(tt_catalyst *, void *) = cat->call_fn;
    void *ud = cat->call_ud;
    pthread_mutex_unlock(&cat->inbox_lock);
    if (fn)
        fn(cat, ud);
    pthread_mutex_lock(&cat->inbox_lock);
    cat->call_fn = NULL;
    pthread_cond_broadcast(&cat->call_cond);
    pthread_mutex_unlock(&cat->inbox_lock);
    cat->rec_t = 0;
}
