/*
 * crash.c: containing crashes and runaway sparkles in the Distiller.
 *
 * With contain_crashes, the catalyst installs handlers for SIGSEGV, SIGBUS,
 * SIGFPE, SIGILL and SIGABRT (on an alternate stack, so that a stack overflow
 * is caught too).  A sparkle runs after sigsetjmp; a fatal signal raised while
 * it runs jumps back, and the run stops with `crashed: SIGNAL in TONIC.SPARKLE`.
 * A signal outside a guarded sparkle gets the default action (the process dies
 * as it would have).  The watchdog arms ITIMER_REAL for the length of one
 * sparkle and jumps back the same way on SIGALRM.  The recording production
 * loop arms its guard while it runs sparkles, not around each
 * (tt__loop_guard_arm: nothing to do a sparkle), so a fatal signal between
 * two of its sparkles (the library's code, a tt_catalyst_request_call)
 * stops the run the same way; not while it waits for work.  A guard saves
 * the one it replaces and puts it back (guards nest).
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
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
static struct sigaction saved[TT_COUNTOF(fatal)];
static struct sigaction saved_alrm;
/* the catalyst and the jump buffer of the guarded code running now (each
 * guard puts back the ones it replaced) */
tt_catalyst *tt__guard_owner;
#define owner tt__guard_owner
static int n_owners;             /* catalysts that contain crashes */
static pthread_t owner_thread;   /* the thread that created them */
sigjmp_buf *volatile tt__guard_jmp;
#define guard_jmp tt__guard_jmp
static volatile int exit_status; /* of the last tt_guard_exit that jumped */
static volatile sig_atomic_t abort_pending;
static volatile sig_atomic_t wd_armed; /* ITIMER_REAL is ours, running */
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
        /* a SIGALRM that is neither an abort nor our watchdog's (an app's
         * alarm(), a late tick, a fuzzer's timer) stops nothing */
        if (sig == SIGALRM && !abort_pending && !wd_armed)
            return;
        if (sig == SIGALRM && j == owner->loop_jmp) {
            /* under a recording loop's guard: an abort between two of its
             * sparkles stops nothing (tt_distiller_abort stops a sparkle);
             * a watchdog is an outer guard's (the loop has none: a
             * Distiller's sparkle runs the loop), and stops that guard's
             * code, the loop with it */
            if (!wd_armed) {
                if (!owner->in_sparkle) {
                    abort_pending = 0;
                    return;
                }
            } else if (owner->outer_jmp) {
                tt_catalyst *inner = owner;
                inner->loop_armed = false;
                j = inner->outer_jmp;
                owner = inner->outer_owner;
            } else {
                return;
            }
        }
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

/* The action of the handlers: on_signal, on the alternate stack. */
static void handler_action(struct sigaction *sa)
{
    memset(sa, 0, sizeof *sa);
    sa->sa_handler = on_signal;
    sa->sa_flags = SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa->sa_mask);
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
    handler_action(&sa);
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

/* Put the handlers back where someone replaced them since they were
 * installed (a test framework: cmocka sets its own around each test), so
 * that the run about to start is contained.  A few sigaction calls per run. */
void tt__crash_rearm(tt_catalyst *cat)
{
    if (!cat->crash_owned || !pthread_equal(pthread_self(), owner_thread))
        return;
    struct sigaction sa, cur;
    handler_action(&sa);
    for (size_t i = 0; i <= TT_COUNTOF(fatal); i++) {
        int sig = i < TT_COUNTOF(fatal) ? fatal[i] : SIGALRM;
        if (sigaction(sig, NULL, &cur) == 0 && cur.sa_handler != on_signal)
            sigaction(sig, &sa, NULL);
    }
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
    wd_armed = seconds > 0; /* before a 1 us timer can fire */
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
    /* the guard this one replaces while it runs (a recording production
     * loop's: this catalyst may run inside one of its sparkles) */
    sigjmp_buf *volatile outer = guard_jmp;
    tt_catalyst *volatile outer_owner = owner;
    /* The mask is not saved here (that is a system call per sparkle): the
     * handler restores the catalyst thread's mask before it jumps. */
    int sig = sigsetjmp(jb, 0);
    if (sig != 0) {
        if (wd > 0)
            arm(0);
        guard_jmp = outer;
        owner = outer_owner;
        return sig;
    }
    owner = cat;
    guard_jmp = &jb;
    if (wd > 0)
        arm(wd);
    tt__impl_call(impl, nargs, self, args);
    if (wd > 0)
        arm(0);
    guard_jmp = outer;
    owner = outer_owner;
    return 0;
}

/* The production loop's cheaper guard (flight recorder, no watchdog): the
 * jump buffer is set once by tt_catalyst_run and armed while the recording
 * loop runs sparkles (not while it waits for work or takes in other
 * threads' posts), so a sparkle costs nothing; a crash ends the run anyway,
 * so jumping back to the loop rather than to the sparkle loses nothing.  A
 * crash between two sparkles (the library, a requested call) jumps back
 * too: tt__rec_crashed tells it by cat->in_sparkle.  The guard it replaces
 * (a production loop run inside a guarded sparkle) is put back when it is
 * disarmed. */
void tt__loop_guard_arm(tt_catalyst *cat)
{
    if (cat->loop_armed)
        return;
    cat->outer_jmp = guard_jmp;
    cat->outer_owner = owner;
    owner = cat;
    guard_jmp = cat->loop_jmp;
    cat->loop_armed = true;
}

/* Disarm it (waiting, the plain loop, the run is over or crashed). */
void tt__loop_guard_disarm(tt_catalyst *cat)
{
    if (!cat->loop_armed)
        return;
    cat->loop_armed = false;
    guard_jmp = cat->outer_jmp;
    owner = cat->outer_owner;
}

/* Leave guarded code that called exit(). */
void tt_guard_exit(int status)
{
    sigjmp_buf *j = guard_jmp;
    if (!j || !owner || !pthread_equal(pthread_self(), owner->thread))
        return;
    guard_jmp = NULL;
    exit_status = status;
    siglongjmp(*j, TT__GUARD_EXIT);
}

/* The status given to the exit() that ended the last guarded call. */
int tt__guard_exit_status(void)
{
    return exit_status;
}

/* Run fn(ud) under the guard; guards nest (a probe callback inside a
 * guarded formula).  0, a signal number, -1 (watchdog), -2 (abort) or
 * TT__GUARD_EXIT. */
int tt__guard(tt_catalyst *cat, void (*fn)(void *), void *ud)
{
    if (!cat || !cat->crash_owned || !pthread_equal(pthread_self(), cat->thread)) {
        fn(ud);
        return 0;
    }
    sigjmp_buf jb;
    sigjmp_buf *volatile outer = guard_jmp;
    tt_catalyst *volatile outer_owner = owner;
    volatile double wd = outer ? 0 : cat->opt.watchdog; /* the outer one's runs on */
    int why = sigsetjmp(jb, 0);
    if (why != 0) {
        if (wd > 0)
            arm(0);
        guard_jmp = outer;
        owner = outer_owner;
        return why;
    }
    owner = cat;
    guard_jmp = &jb;
    if (wd > 0)
        arm(wd);
    fn(ud);
    if (wd > 0)
        arm(0);
    guard_jmp = outer;
    owner = outer_owner;
    return 0;
}

/* The one-line report of a guarded call that did not return. */
void tt__guard_describe(const tt_catalyst *cat, int why, const char *what, char *buf,
                        size_t size)
{
    if (why == -2)
        snprintf(buf, size, "interrupted: %s did not return", what);
    else if (why == -1)
        snprintf(buf, size, "watchdog: %s ran longer than %gs", what, cat->opt.watchdog);
    else if (why == TT__GUARD_EXIT)
        snprintf(buf, size, "exited: %d in %s", tt__guard_exit_status(), what);
    else
        snprintf(buf, size, "crashed: %s in %s", tt__signame(why), what);
}

/* Run app code that is not a sparkle under the guard. */
int tt_guard_run(tt_catalyst *cat, const char *what, void (*fn)(void *), void *ud)
{
    if (!cat || !fn)
        return -TT_EINVAL;
    int why = tt__guard(cat, fn, ud);
    if (why == 0)
        return 0;
    char buf[512];
    tt__guard_describe(cat, why, what ? what : "app code", buf, sizeof buf);
    cat->tainted = true;
    return tt__err(cat, -TT_ECRASHED, "%s", buf);
}
