/*
 * crash.c: containing crashes and runaway sparkles in the Distiller.
 *
 * With contain_crashes, the catalyst installs handlers for SIGSEGV, SIGBUS,
 * SIGFPE, SIGILL and SIGABRT (on an alternate stack, so that a stack overflow
 * is caught too).  A sparkle runs after sigsetjmp; a fatal signal raised while
 * it runs jumps back, and the run stops with `crashed: SIGNAL in TONIC.SPARKLE`.
 * A signal outside a guarded sparkle gets the default action (the process dies
 * as it would have).  The watchdog arms ITIMER_REAL for the length of one
 * sparkle and jumps back the same way on SIGALRM.
 *
 * The process state after a contained crash cannot be trusted (the sparkle
 * may have held locks or broken invariants), so the catalyst is marked tainted.
 * Several catalysts of one thread may contain crashes at a time (a debugger
 * replays a session in a second Distiller); the handlers are installed by
 * the first and removed with the last.  Catalysts on another thread cannot.
 */
#include "tt-int.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
static struct sigaction saved[TT_COUNTOF(fatal)];
static struct sigaction saved_alrm;
static tt_catalyst *owner;       /* the catalyst of the last guarded call */
static int n_owners;             /* catalysts that contain crashes */
static pthread_t owner_thread;   /* the thread that created them */
static sigjmp_buf *volatile guard_jmp;
static volatile sig_atomic_t abort_pending;
static sigset_t base_mask; /* the catalyst thread's mask, restored on a jump */
static void *altstack;

/* The name of a signal: "SIGSEGV". */
const char *tt__signame(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGABRT: return "SIGABRT";
    case SIGALRM: return "SIGALRM";
    default: return "signal";
    }
}

static void on_signal(int sig)
{
    sigjmp_buf *j = guard_jmp;
    /* only the thread running the guarded sparkle may jump back into it;
     * a fault on any other thread takes the default action below */
    if (j && owner && pthread_equal(pthread_self(), owner->thread)) {
        guard_jmp = NULL;
        int why = sig;
        if (sig == SIGALRM)
            why = abort_pending ? -2 : -1;
        abort_pending = 0;
        /* leave as from an ordinary return: e.g. ttdb's SIGINT handler,
         * which raised the abort, had SIGINT blocked */
        pthread_sigmask(SIG_SETMASK, &base_mask, NULL);
        siglongjmp(*j, why);
    }
    abort_pending = 0;
    if (sig == SIGALRM)
        return; /* a late watchdog tick outside a sparkle */
    /* not ours: default action */
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Install the handlers. */
int tt__crash_install(tt_catalyst *cat)
{
    if (n_owners > 0) {
        if (!pthread_equal(pthread_self(), owner_thread))
            return tt__err(cat, -TT_EBUSY,
                           "a catalyst of another thread already contains crashes");
        n_owners++;
        cat->crash_owned = true;
        return 0;
    }
    size_t sz = 64 * 1024;
    if (!altstack && !(altstack = malloc(sz)))
        return -TT_ENOMEM;
    stack_t ss = {.ss_sp = altstack, .ss_size = sz, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < TT_COUNTOF(fatal); i++)
        sigaction(fatal[i], &sa, &saved[i]);
    sigaction(SIGALRM, &sa, &saved_alrm);
    pthread_sigmask(SIG_SETMASK, NULL, &base_mask);
    owner = cat;
    owner_thread = pthread_self();
    n_owners = 1;
    cat->crash_owned = true;
    return 0;
}

/* Restore the previous handlers. */
void tt__crash_uninstall(tt_catalyst *cat)
{
    if (!cat->crash_owned)
        return;
    cat->crash_owned = false;
    if (owner == cat)
        owner = NULL;
    if (--n_owners > 0)
        return;
    for (size_t i = 0; i < TT_COUNTOF(fatal); i++)
        sigaction(fatal[i], &saved[i], NULL);
    sigaction(SIGALRM, &saved_alrm, NULL);
    stack_t ss = {.ss_flags = SS_DISABLE};
    sigaltstack(&ss, NULL);
    free(altstack);
    altstack = NULL;
    owner = NULL;
}

static void arm(double seconds)
{
    struct itimerval it = {{0, 0}, {(time_t)seconds, (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6)}};
    if (seconds > 0 && it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
        it.it_value.tv_usec = 1;
    setitimer(ITIMER_REAL, &it, NULL);
}

/* Stop the guarded sparkle running now (async-signal-safe). */
void tt_distiller_abort(tt_catalyst *cat)
{
    if (!cat || owner != cat || !guard_jmp)
        return;
    abort_pending = 1;
    pthread_kill(__atomic_load_n(&cat->thread, __ATOMIC_ACQUIRE), SIGALRM);
}

/* Change the watchdog. */
int tt_distiller_set_watchdog(tt_catalyst *cat, double seconds)
{
    if (!cat || !cat->opt.contain_crashes || !(seconds >= 0) || seconds > TT__WATCHDOG_MAX)
        return -TT_EINVAL;
    cat->opt.watchdog = seconds;
    return 0;
}

/* Call the handler under the guard; 0, a signal number, -1 (watchdog) or
 * -2 (tt_distiller_abort). */
int tt__guarded_call(tt_catalyst *cat, const tt__impl *impl, size_t nargs, tt_tonic *self,
                     const tt_value *args)
{
    sigjmp_buf jb;
    volatile double wd = cat->opt.watchdog;
    /* The mask is not saved here (that is a system call per sparkle): the
     * handler restores the catalyst thread's mask before it jumps. */
    int sig = sigsetjmp(jb, 0);
    if (sig != 0) {
        if (wd > 0)
            arm(0);
        return sig;
    }
    owner = cat;
    guard_jmp = &jb;
    if (wd > 0)
        arm(wd);
    tt__impl_call(impl, nargs, self, args);
    if (wd > 0)
        arm(0);
    guard_jmp = NULL;
    return 0;
}
