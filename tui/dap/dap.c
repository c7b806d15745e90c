/*
 * dap.c: `ttdb --dap`, the Debug Adapter Protocol front end.
 *
 * Each request maps onto what a ttdb user would do: launch opens the app
 * module (`file`), next/stepIn run one sparkle (`step`), continue runs
 * until a breakpoint (`continue`), function breakpoints are `break
 * sparkle`, data breakpoints are `watch`, evaluate in the REPL
 * runs any command.  Threads are the tonics (thread id = creation serial
 * + 1, stable for the session); a stopped event names the tonic that ran.
 * ttdb's own messages come as `console` output events, the app's stdout
 * and stderr (each redirected to a file, so that they cannot break the
 * protocol) as `stdout` and `stderr` output events.
 */
#include "dap.h"
#include "frontends.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Where the app's output goes: a file of which `off` bytes were sent as
 * output events of `category`. */
typedef struct app_stream {
    int fd;               /* -1: not redirected */
    off_t off;
    const char *category; /* "stdout" or "stderr" */
} app_stream;

static struct {
    app_stream app[2];    /* the app's stdout and stderr */
    strbuf *capture;      /* evaluate: output goes here, not to events */
    bool launched, configured, stop_on_entry, quit;
    char **known;         /* names of the tonics announced by a thread
                             event, by serial (NULL: none announced) */
    size_t nknown;
    /* breakpoints this adapter made */
    int *fn_bps;
    size_t nfn;
    struct src_bps {
        char *path;
        int *nums;
        size_t n;
    } *src;
    size_t nsrc;
    int *data_bps;        /* watchpoints of data breakpoints */
    size_t ndata;
    bool have_debug_info;
    char debug_why[512];
} D = {.app = {{-1, 0, "stdout"}, {-1, 0, "stderr"}}};

/* --- output ------------------------------------------------------------ */

static void flush_app_output(void);

static void sink(out_kind kind, const char *line, void *ud)
{
    (void)ud;
    if (D.capture) {
        sb_printf(D.capture, "%s\n", line);
        return;
    }
    if (kind == OUT_ECHO)
        return;
    /* what the app printed before this line comes first (a run's output
     * before its "stopped:" line) */
    flush_app_output();
    char *text = xasprintf("%s\n", line);
    dap_event("output",
              json_pack("{s:s, s:s}", "category",
                        kind == OUT_ERROR ? "stderr" : "console", "output",
                        text));
    free(text);
}

/* Send what the app wrote to stream a since the last call. */
static void flush_stream(app_stream *a)
{
    if (a->fd < 0)
        return;
    char buf[4096];
    for (;;) {
        ssize_t n = pread(a->fd, buf, sizeof buf - 1, a->off);
        if (n <= 0)
            break;
        a->off += n;
        buf[n] = '\0';
        /* json strings must be UTF-8: send bytes that are not as '?' */
        json_t *s = json_stringn(buf, (size_t)n);
        if (!s) {
            for (ssize_t i = 0; i < n; i++)
                if ((unsigned char)buf[i] >= 0x80)
                    buf[i] = '?';
            s = json_stringn(buf, (size_t)n);
        }
        json_t *body = json_pack("{s:s}", "category", a->category);
        json_object_set_new(body, "output", s);
        dap_event("output", body);
    }
}

/* Send what the app wrote to its stdout and stderr since the last call. */
static void flush_app_output(void)
{
    fflush(stdout);
    fflush(stderr);
    for (size_t i = 0; i < sizeof D.app / sizeof *D.app; i++)
        flush_stream(&D.app[i]);
}

/* Run a command line; its output goes to the console (or the capture). */
static int run_command(const char *line)
{
    int rc = script_run_line(line);
    out_flush();
    return rc;
}

/* Run a command, keeping its output (returned, malloc'ed). */
static char *run_captured(const char *line, int *rc)
{
    strbuf b = {0};
    sb_add(&b, "");
    D.capture = &b;
    *rc = run_command(line);
    D.capture = NULL;
    while (b.len && b.s[b.len - 1] == '\n')
        b.s[--b.len] = '\0';
    return sb_take(&b);
}

/* --- threads ----------------------------------------------------------- */

static int thread_id(tt_tonic *t)
{
    return (int)tt_tonic_serial(t) + 1;
}

static tt_tonic *thread_tonic(json_t *args)
{
    json_int_t id = json_integer_value(json_object_get(args, "threadId"));
    tt_catalyst *cat = g_session.cat;
    if (!cat || id < 1 || (size_t)id > tt_tonic_count(cat))
        return NULL;
    return tt_tonic_at(cat, (size_t)id - 1);
}

/* Whether a tonic is a live thread. */
static bool alive(tt_tonic *t)
{
    return t && tt_tonic_id(t) >= 0;
}

/* The thread (name) of serial i now: NULL when no live tonic has it. */
static const char *thread_now(tt_catalyst *cat, size_t i)
{
    tt_tonic *t = cat && i < tt_tonic_count(cat) ? tt_tonic_at(cat, i) : NULL;
    return alive(t) ? tt_tonic_name(t) : NULL;
}

/* Thread events for the tonics that started or finished since the last
 * call: the difference between the threads announced and the live tonics.
 * Time travel and restart replay the session into a new catalyst; a
 * tonic there with the serial and name of one announced is the same
 * thread, so a step back reports only what really appeared or went. */
static void thread_events(void)
{
    tt_catalyst *cat = g_session.cat;
    size_t n = cat ? tt_tonic_count(cat) : 0;
    if (n > D.nknown) {
        D.known = xrealloc(D.known, n * sizeof *D.known);
        memset(D.known + D.nknown, 0, (n - D.nknown) * sizeof *D.known);
        D.nknown = n;
    }
    for (size_t i = 0; i < D.nknown; i++) {
        const char *now = thread_now(cat, i), *was = D.known[i];
        if (was && now && strcmp(was, now) == 0)
            continue;
        if (was)
            dap_event("thread", json_pack("{s:s, s:i}", "reason", "exited",
                                          "threadId", (int)i + 1));
        if (now)
            dap_event("thread", json_pack("{s:s, s:i}", "reason", "started",
                                          "threadId", (int)i + 1));
        free(D.known[i]);
        D.known[i] = now ? xstrdup(now) : NULL;
    }
}

/* --- stops ------------------------------------------------------------- */

/* Whether num is in nums. */
static bool has_num(const int *nums, size_t n, int num)
{
    for (size_t i = 0; i < n; i++)
        if (nums[i] == num)
            return true;
    return false;
}

/* A console line when the stop brought lints: the editor has no status
 * line to count them. */
static void report_lints(tt_catalyst *cat)
{
    static size_t seen;
    size_t n = tt_lint_count(cat);
    if (n > seen) {
        char line[160];
        snprintf(line, sizeof line,
                 "lints: %zu (%zu new): the Lints scope in Variables and "
                 "`info lints` list them\n", n, n - seen);
        dap_event("output", json_pack("{s:s, s:s}", "category", "console",
                                      "output", line));
    }
    seen = n;
}

/* Report where a run stopped: a stopped event (or terminated).  The
 * reason comes from the run's stop conditions, else plain_reason; after
 * time travel (travel) only plain_reason counts.  description (NULL: the
 * stop conditions, else the reason) is what an editor shows. */
static void report_stop_full(const char *plain_reason, bool travel,
                             const char *description)
{
    tt_catalyst *cat = g_session.cat;
    const tt_run *r = g_session.last_run;
    dap_vars_reset();
    g_dap_before_serial = -1;
    flush_app_output();
    thread_events();
    if (!cat)
        return;
    report_lints(cat);
    if (r && strcmp(tt_run_status(r), "catalyst finished") == 0) {
        dap_event("exited", json_pack("{s:i}", "exitCode", 0));
        dap_event("terminated", NULL);
        return;
    }
    const char *stop = travel ? "" : g_session.last_stop;
    const char *reason = plain_reason;
    json_t *hit = NULL;
    tt_tonic *t = NULL;
    const tt_trace_entry *last = tt_trace_get(cat, tt_trace_last_seq(cat));
    if (last)
        t = tt_tonic_at(cat, last->tonic);
    const char *b = strstr(stop, "breakpoint ");
    const char *w = strstr(stop, "watchpoint ");
    if (b) {
        int num = atoi(b + 11);
        reason = has_num(D.fn_bps, D.nfn, num) ? "function breakpoint"
                                               : "breakpoint";
        hit = json_pack("[i]", num);
        if (strstr(b, ": before ")) {
            tt_order_view o;
            if (tt_queue_at(cat, 0, &o) == 0) {
                t = o.tonic;
                g_dap_before_serial = (long)tt_tonic_serial(t);
            }
        }
    } else if (w) {
        reason = "data breakpoint";
        hit = json_pack("[i]", atoi(w + 11));
    } else if (strstr(stop, "crashed") || strstr(stop, "watchdog")) {
        reason = "exception";
    } else if (strstr(stop, "interrupted")) {
        reason = "pause";
    }
    if (!alive(t)) {
        t = NULL;
        for (size_t i = 1; i < tt_tonic_count(cat) && !t; i++)
            if (alive(tt_tonic_at(cat, i)))
                t = tt_tonic_at(cat, i);
    }
    if (!description)
        description = *stop ? stop : reason;
    json_t *body = json_pack("{s:s, s:b, s:s, s:s}", "reason", reason,
                             "allThreadsStopped", true, "description",
                             description, "text", *stop ? stop : description);
    if (t)
        json_object_set_new(body, "threadId", json_integer(thread_id(t)));
    if (hit)
        json_object_set_new(body, "hitBreakpointIds", hit);
    dap_event("stopped", body);
}

static void report_stop_as(const char *plain_reason, bool travel)
{
    report_stop_full(plain_reason, travel, NULL);
}

static void report_stop(const char *plain_reason)
{
    report_stop_as(plain_reason, false);
}

/* Run a command that runs the Distiller, then report the stop. */
static void run_and_report(const char *line, const char *plain_reason)
{
    dap_io_run_begin();
    run_command(line);
    dap_io_run_end();
    report_stop(plain_reason);
}

/* --- requests ---------------------------------------------------------- */

static void req_initialize(json_t *req, json_t *args)
{
    (void)args;
    json_t *caps = json_pack(
        "{s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b}",
        "supportsConfigurationDoneRequest", true,
        "supportsFunctionBreakpoints", true,
        "supportsConditionalBreakpoints", true,
        "supportsHitConditionalBreakpoints", true,
        "supportsEvaluateForHovers", true,
        "supportsDataBreakpoints", true,
        "supportsTerminateRequest", true,
        "supportsSetVariable", true,
        "supportsStepBack", true,     /* the journal's time travel */
        "supportsSteppingGranularity", false,
        "supportsDelayedStackTraceLoading", true);
    dap_respond(req, caps);
}

/* Where the module's handlers are (for sources and source breakpoints). */
static void load_debug_info(void)
{
    const char *so = g_session.app ? tt_app_path(g_session.app) : NULL;
    D.have_debug_info =
        so && dap_source_load(so, D.debug_why, sizeof D.debug_why);
    if (!so)
        snprintf(D.debug_why, sizeof D.debug_why, "no app module");
}

static void req_launch(json_t *req, json_t *args)
{
    const char *program = json_string_value(json_object_get(args, "program"));
    if (!program || !*program) {
        dap_fail(req, "launch: \"program\" must name the app module (APP.so "
                      "or APP.la)");
        return;
    }
    D.stop_on_entry = json_is_true(json_object_get(args, "stopOnEntry"));
    strbuf b = {0};
    D.capture = &b;
    int rc = session_open(&g_session, program);
    out_flush();
    D.capture = NULL;
    if (rc < 0) {
        while (b.len && b.s[b.len - 1] == '\n')
            b.s[--b.len] = '\0';
        dap_fail(req, "%s", b.s ? b.s : "cannot load the app");
        sb_free(&b);
        return;
    }
    sb_free(&b);
    load_debug_info();
    json_t *compat = json_object_get(args, "compat");
    if (json_is_string(compat) || json_is_boolean(compat)) {
        char *line = xasprintf("set compat %s",
                               json_is_string(compat)
                                   ? json_string_value(compat)
                                   : json_is_true(compat) ? "on" : "off");
        run_command(line);
        free(line);
    }
    json_t *cmds = json_object_get(args, "commands");
    size_t i;
    json_t *c;
    json_array_foreach(cmds, i, c) {
        if (json_is_string(c))
            run_command(json_string_value(c));
    }
    D.launched = true;
    dap_respond(req, NULL);
    flush_app_output();
    thread_events();
    dap_event("initialized", NULL);
}

static void req_configuration_done(json_t *req, json_t *args)
{
    (void)args;
    dap_respond(req, NULL);
    D.configured = true;
    if (!g_session.cat)
        return;
    if (D.stop_on_entry) {
        dap_vars_reset();
        g_dap_before_serial = -1;
        tt_order_view o;
        tt_tonic *t = tt_queue_at(g_session.cat, 0, &o) == 0 ? o.tonic : NULL;
        json_t *body = json_pack("{s:s, s:b, s:s}", "reason", "entry",
                                 "allThreadsStopped", true, "description",
                                 "the formula ran; nothing has run yet");
        if (t && alive(t))
            json_object_set_new(body, "threadId", json_integer(thread_id(t)));
        dap_event("stopped", body);
    } else {
        run_and_report("continue", "pause");
    }
}

static void req_threads(json_t *req, json_t *args)
{
    (void)args;
    json_t *a = json_array();
    tt_catalyst *cat = g_session.cat;
    for (size_t i = 0; cat && i < tt_tonic_count(cat); i++) {
        tt_tonic *t = tt_tonic_at(cat, i);
        if (alive(t))
            json_array_append_new(a, json_pack("{s:i, s:s}", "id",
                                               thread_id(t), "name",
                                               tt_tonic_name(t)));
    }
    dap_respond(req, json_pack("{s:o}", "threads", a));
}

static void req_stack_trace(json_t *req, json_t *args)
{
    tt_tonic *t = thread_tonic(args);
    if (!t) {
        dap_fail(req, "no thread %lld",
                 (long long)json_integer_value(
                     json_object_get(args, "threadId")));
        return;
    }
    int start = (int)json_integer_value(json_object_get(args, "startFrame"));
    int levels = (int)json_integer_value(json_object_get(args, "levels"));
    dap_respond(req, dap_vars_stack(g_session.cat, t, start, levels));
}

/* Parse a DAP hitCondition ("3" or ">= 3": stop from the Nth hit on);
 * the ignore count, or -1. */
static long hit_ignore(const char *hc)
{
    while (*hc == ' ' || *hc == '>' || *hc == '=')
        hc++;
    long n;
    if (!parse_long(hc, &n) || n < 1)
        return -1;
    return n - 1;
}

/* Add a breakpoint with a ttdb command; fills the DAP breakpoint object. */
static json_t *add_break(const char *line, const char *hit_condition,
                         int *num_out)
{
    int before = g_bps.next_num, rc;
    char *out = run_captured(line, &rc);
    *num_out = 0;
    if (rc < 0 || g_bps.next_num == before) {
        json_t *bp = json_pack("{s:b, s:s}", "verified", false, "message",
                               out && *out ? out : "not set");
        free(out);
        return bp;
    }
    free(out);
    int num = g_bps.next_num - 1;
    *num_out = num;
    json_t *bp = json_pack("{s:i, s:b}", "id", num, "verified", true);
    if (hit_condition && *hit_condition) {
        long ign = hit_ignore(hit_condition);
        breakpoint *b = bp_find(&g_bps, num);
        if (ign < 0 || !b) {
            json_object_set_new(bp, "message",
                                json_string("hitCondition is a count N "
                                            "(stop at the Nth hit); ignored"));
        } else {
            b->ignore = (unsigned long)ign;
        }
    }
    return bp;
}

/* Replace the breakpoints *nums of one kind with those of the request,
 * each made by the command `COMMAND NAME [if CONDITION]`, NAME from key
 * (malformed: shape says what it should be). */
static void set_command_breakpoints(json_t *req, json_t *args,
                                    const char *key, const char *command,
                                    const char *shape, int **nums, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        bp_delete(&g_bps, (*nums)[i]);
    *n = 0;
    json_t *list = json_object_get(args, "breakpoints");
    json_t *out = json_array();
    size_t i;
    json_t *b;
    *nums = xrealloc(*nums, (json_array_size(list) + 1) * sizeof **nums);
    json_array_foreach(list, i, b) {
        const char *name = json_string_value(json_object_get(b, key));
        const char *cond = json_string_value(json_object_get(b, "condition"));
        const char *hc = json_string_value(json_object_get(b, "hitCondition"));
        if (!name || !*name || strpbrk(name, " \t\n'\"")) {
            char *msg = xasprintf("%s is %s", key, shape);
            json_array_append_new(out, json_pack("{s:b, s:s}", "verified",
                                                 false, "message", msg));
            free(msg);
            continue;
        }
        char *line = cond && *cond
                         ? xasprintf("%s %s if %s", command, name, cond)
                         : xasprintf("%s %s", command, name);
        int num;
        json_array_append_new(out, add_break(line, hc, &num));
        free(line);
        if (num)
            (*nums)[(*n)++] = num;
    }
    dap_respond(req, json_pack("{s:o}", "breakpoints", out));
}

/* Function breakpoints are `break sparkle`. */
static void req_set_function_breakpoints(json_t *req, json_t *args)
{
    set_command_breakpoints(req, args, "name", "break sparkle",
                            "[TONIC.]SPARKLE", &D.fn_bps, &D.nfn);
}

static void req_set_breakpoints(json_t *req, json_t *args)
{
    const char *path =
        json_string_value(json_object_get(json_object_get(args, "source"),
                                          "path"));
    if (!path) {
        dap_fail(req, "setBreakpoints: the source has no path");
        return;
    }
    struct src_bps *s = NULL;
    for (size_t i = 0; i < D.nsrc; i++)
        if (strcmp(D.src[i].path, path) == 0)
            s = &D.src[i];
    if (!s) {
        D.src = xrealloc(D.src, (D.nsrc + 1) * sizeof *D.src);
        s = &D.src[D.nsrc++];
        *s = (struct src_bps){.path = xstrdup(path)};
    }
    for (size_t i = 0; i < s->n; i++)
        bp_delete(&g_bps, s->nums[i]);
    s->n = 0;
    json_t *list = json_object_get(args, "breakpoints");
    s->nums = xrealloc(s->nums, (json_array_size(list) + 1) * sizeof(int));
    json_t *out = json_array();
    size_t i;
    json_t *b;
    json_array_foreach(list, i, b) {
        int line = (int)json_integer_value(json_object_get(b, "line"));
        const char *cond = json_string_value(json_object_get(b, "condition"));
        const char *hc = json_string_value(json_object_get(b, "hitCondition"));
        const dap_func *f = D.have_debug_info ? dap_source_at(path, line)
                                               : NULL;
        if (!f) {
            char *msg = D.have_debug_info
                            ? xasprintf("line %d is not inside a handler "
                                        "function", line)
                            : xstrdup(D.debug_why);
            json_array_append_new(out, json_pack("{s:b, s:s, s:i}",
                                                 "verified", false, "message",
                                                 msg, "line", line));
            free(msg);
            continue;
        }
        char *klass, *sparkle, *state;
        dap_source_split(f->name, &klass, &sparkle, &state);
        int num = 0;
        json_t *bp;
        bp_cond *c = NULL;
        bool ok = true;
        if (cond && *cond) {
            c = bp_cond_parse_text(cond);
            ok = c != NULL;
        }
        if (!ok) {
            bp = json_pack("{s:b, s:s}", "verified", false, "message",
                           "the condition is PROBE OP VALUE (OP one of == "
                           "!= < <= > >=)");
        } else {
            breakpoint *nb = xcalloc(1, sizeof *nb);
            nb->kind = BP_HANDLER;
            nb->enabled = true;
            nb->klass = klass;
            nb->name = sparkle;
            nb->function = xstrdup(f->name);
            klass = sparkle = NULL;
            if (state)
                sv_add(&nb->states, state);
            nb->cond = c;
            long ign = hc && *hc ? hit_ignore(hc) : 0;
            nb->ignore = ign > 0 ? (unsigned long)ign : 0;
            num = bp_add(&g_bps, nb);
            bp = json_pack("{s:i, s:b, s:i}", "id", num, "verified", true,
                           "line", line);
            s->nums[s->n++] = num;
        }
        free(klass);
        free(sparkle);
        free(state);
        json_array_append_new(out, bp);
    }
    bp_install(&g_bps, g_session.cat);
    dap_respond(req, json_pack("{s:o}", "breakpoints", out));
}

static void req_data_breakpoint_info(json_t *req, json_t *args)
{
    const char *name = json_string_value(json_object_get(args, "name"));
    int ref = (int)json_integer_value(
        json_object_get(args, "variablesReference"));
    tt_tonic *t = NULL;
    char *tonic = NULL, *probe = NULL;
    if (name && split_dotted(name, &tonic, &probe) && g_session.cat)
        t = find_tonic(g_session.cat, tonic, NULL);
    else if (name && g_session.cat && ref)
        t = dap_vars_probe_tonic(g_session.cat, ref);
    const char *pname = probe ? probe : name;
    json_t *body;
    tt_value v = TT_NONE;
    bool is_probe = t && pname && tt_tonic_probe_read(t, pname, &v) == 0;
    tt_value_clear(&v);
    if (is_probe) {
        char *id = xasprintf("%s.%s", tt_tonic_name(t), pname);
        body = json_pack("{s:s, s:s, s:[s], s:b}", "dataId", id,
                         "description", id, "accessTypes", "write",
                         "canPersist", false);
        free(id);
    } else {
        body = json_pack("{s:n, s:s}", "dataId", "description",
                         "only a tonic's probes can be watched");
    }
    free(tonic);
    free(probe);
    dap_respond(req, body);
}

/* Data breakpoints are `watch`. */
static void req_set_data_breakpoints(json_t *req, json_t *args)
{
    set_command_breakpoints(req, args, "dataId", "watch", "TONIC.PROBE",
                            &D.data_bps, &D.ndata);
}

static void req_evaluate(json_t *req, json_t *args)
{
    const char *expr = json_string_value(json_object_get(args, "expression"));
    const char *ctx = json_string_value(json_object_get(args, "context"));
    if (!expr) {
        dap_fail(req, "evaluate: no expression");
        return;
    }
    if (ctx && (!strcmp(ctx, "watch") || !strcmp(ctx, "hover"))) {
        tt_catalyst *cat = g_session.cat;
        char *tonic = NULL, *probe = NULL;
        tt_tonic *t = NULL;
        if (cat && split_dotted(expr, &tonic, &probe))
            t = find_tonic(cat, tonic, NULL);
        else if (cat)
            t = dap_vars_frame_tonic(
                cat, (int)json_integer_value(json_object_get(args, "frameId")));
        tt_value v = TT_NONE;
        const char *pname = probe ? probe : expr;
        if (t && tt_tonic_probe_read(t, pname, &v) == 0) {
            char *text = fmt_value(&v);
            tt_value_clear(&v);
            dap_respond(req, json_pack("{s:s, s:i}", "result", text,
                                       "variablesReference", 0));
            free(text);
        } else {
            dap_fail(req, "%s: not a probe (TONIC.PROBE)", expr);
        }
        free(tonic);
        free(probe);
        return;
    }
    unsigned runs = g_run_number, gen = g_session.generation;
    int rc;
    char *out = run_captured(expr, &rc);
    if (rc < 0)
        dap_fail(req, "%s", *out ? out : "the command failed");
    else
        dap_respond(req, json_pack("{s:s, s:i}", "result", out,
                                   "variablesReference", 0));
    free(out);
    if (g_opts.quit)
        D.quit = true;
    else if (runs != g_run_number || gen != g_session.generation)
        report_stop("step");
    else
        flush_app_output();
}

/* setVariable is `set var TONIC.PROBE = VALUE` on a 'Probes now' scope:
 * the same parsing, refusals and journal entry as the command. */
static void req_set_variable(json_t *req, json_t *args)
{
    int ref = (int)json_integer_value(
        json_object_get(args, "variablesReference"));
    const char *name = json_string_value(json_object_get(args, "name"));
    const char *value = json_string_value(json_object_get(args, "value"));
    tt_tonic *t = g_session.cat ? dap_vars_now_tonic(g_session.cat, ref)
                                : NULL;
    if (!name || !value) {
        dap_fail(req, "setVariable: needs a name and a value");
        return;
    }
    if (!t) {
        dap_fail(req, "setVariable: only the probes in 'Probes now' can be "
                      "set (the past is read-only)");
        return;
    }
    char *line = xasprintf("set var %s.%s = %s", tt_tonic_name(t), name,
                           value);
    int rc;
    char *out = run_captured(line, &rc);
    free(line);
    tt_value v = TT_NONE;
    if (rc < 0) {
        dap_fail(req, "%s", *out ? out : "set var failed");
    } else if (tt_tonic_probe_read(t, name, &v) == 0) {
        char *text = fmt_value(&v);
        tt_value_clear(&v);
        dap_respond(req, json_pack("{s:s, s:i}", "value", text,
                                   "variablesReference", 0));
        free(text);
    } else {
        dap_respond(req, json_pack("{s:s, s:i}", "value", value,
                                   "variablesReference", 0));
    }
    free(out);
}

static void req_scopes(json_t *req, json_t *args)
{
    int id = (int)json_integer_value(json_object_get(args, "frameId"));
    dap_respond(req, dap_vars_scopes(g_session.cat, id));
}

static void req_variables(json_t *req, json_t *args)
{
    int ref = (int)json_integer_value(
        json_object_get(args, "variablesReference"));
    dap_respond(req, dap_vars_variables(g_session.cat, ref));
}

static void req_set_exception_breakpoints(json_t *req, json_t *args)
{
    (void)args;
    dap_respond(req, json_pack("{s:[]}", "breakpoints"));
}

static void req_continue(json_t *req, json_t *args)
{
    (void)args;
    dap_respond(req, json_pack("{s:b}", "allThreadsContinued", true));
    run_and_report("continue", "pause");
}

static void req_step(json_t *req, json_t *args)
{
    (void)args;
    dap_respond(req, NULL);
    run_and_report("step", "step");
}

/* stepBack and reverseContinue: the time travel of the session journal. */
static void req_step_back(json_t *req, json_t *args)
{
    (void)args;
    dap_respond(req, NULL);
    run_command("reverse-step");
    report_stop_as("step", true);
}

/* reverseContinue stops where the session stopped or would stop; with
 * nothing before, at the start of the session: reason `entry`, saying so. */
static void req_reverse_continue(json_t *req, json_t *args)
{
    (void)args;
    dap_respond(req, NULL);
    run_command("reverse-continue");
    tt_catalyst *cat = g_session.cat;
    if (cat && tt_trace_last_seq(cat) == 0)
        report_stop_full("entry", true,
                         "at the start of the session: no breakpoint, "
                         "watch or stop before");
    else
        report_stop_as("breakpoint", true);
}

static void req_pause(json_t *req, json_t *args)
{
    (void)args;
    dap_respond(req, NULL);
    if (!dap_io_paused_run()) /* nothing ran: stop where we are */
        report_stop("pause");
}

static void req_source(json_t *req, json_t *args)
{
    (void)args;
    dap_fail(req, "source: no source text for this reference");
}

static void req_terminate(json_t *req, json_t *args)
{
    (void)args;
    dap_respond(req, NULL);
    dap_event("terminated", NULL);
}

static void req_disconnect(json_t *req, json_t *args)
{
    (void)args;
    dap_respond(req, NULL);
    D.quit = true;
}

/* The requests: name, handler, whether it needs a loaded app. */
static const struct dap_request {
    const char *name;
    void (*fn)(json_t *req, json_t *args);
    bool session;
} requests[] = {
    {"initialize", req_initialize, false},
    {"launch", req_launch, false},
    {"configurationDone", req_configuration_done, false},
    {"threads", req_threads, false},
    {"stackTrace", req_stack_trace, true},
    {"scopes", req_scopes, true},
    {"variables", req_variables, true},
    {"setFunctionBreakpoints", req_set_function_breakpoints, false},
    {"setBreakpoints", req_set_breakpoints, false},
    {"setExceptionBreakpoints", req_set_exception_breakpoints, false},
    {"dataBreakpointInfo", req_data_breakpoint_info, true},
    {"setDataBreakpoints", req_set_data_breakpoints, false},
    {"continue", req_continue, true},
    {"next", req_step, true},
    {"stepIn", req_step, true},
    {"stepOut", req_step, true},
    {"stepBack", req_step_back, true},
    {"reverseContinue", req_reverse_continue, true},
    {"pause", req_pause, true},
    {"evaluate", req_evaluate, false},
    {"setVariable", req_set_variable, true},
    {"source", req_source, false},
    {"terminate", req_terminate, false},
    {"disconnect", req_disconnect, false},
};

/* Dispatch one request. */
static void request(json_t *req)
{
    const char *cmd = json_string_value(json_object_get(req, "command"));
    json_t *args = json_object_get(req, "arguments");
    if (!cmd) {
        dap_fail(req, "a request needs a \"command\"");
        return;
    }
    for (size_t i = 0; i < sizeof requests / sizeof *requests; i++) {
        if (strcmp(cmd, requests[i].name) != 0)
            continue;
        if (requests[i].session && !g_session.cat)
            dap_fail(req, "%s: no app is loaded (launch first)", cmd);
        else
            requests[i].fn(req, args);
        return;
    }
    dap_fail(req, "unsupported request \"%s\"", cmd);
}

/* Redirect file descriptor fd (the app's stdout or stderr) to an
 * unlinked file that a's output events are read from (to /dev/null when
 * no file can be made); returns a duplicate of the real one, or -1. */
static int take_stream(int fd, app_stream *a)
{
    int real = dup(fd);
    if (real < 0)
        return -1;
    char *path = tmp_template("ttdb-dap");
    int file = mkstemp(path);
    if (file >= 0)
        unlink(path);
    free(path);
    fflush(fd == STDOUT_FILENO ? stdout : stderr);
    if (file >= 0) {
        dup2(file, fd);
        a->fd = file;
    } else {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, fd);
            close(null);
        }
    }
    return real;
}

int dap_serve(int in_fd, int out_fd, bool (*filter)(json_t *req))
{
    app_stream app[2];
    memcpy(app, D.app, sizeof app);
    memset(&D, 0, sizeof D);
    memcpy(D.app, app, sizeof app);
    g_dap_before_serial = -1;
    out_set_sink(sink, NULL);
    if (dap_io_start(in_fd, out_fd) < 0) {
        out_set_sink(NULL, NULL);
        fprintf(stderr, "ttdb: --dap: cannot start the reader\n");
        return TTDB_EXIT_FAILED;
    }
    json_t *m;
    while (!D.quit && (m = dap_io_next())) {
        if (json_is_string(m)) { /* not a message: say so, go on */
            json_t *fake = json_pack("{s:i, s:s}", "seq", 0, "command",
                                     "unknown");
            dap_fail(fake, "%s", json_string_value(m));
            json_decref(fake);
        } else if (!json_is_string(json_object_get(m, "type")) ||
                   strcmp(json_string_value(json_object_get(m, "type")),
                          "request") != 0) {
            dap_fail(m, "only requests are understood");
        } else if (!filter || filter(m)) {
            request(m);
        }
        json_decref(m);
    }
    out_flush();
    out_set_sink(NULL, NULL);
    dap_io_stop(filter != NULL);
    dap_vars_reset();
    dap_source_free();
    for (size_t i = 0; i < D.nsrc; i++) {
        free(D.src[i].path);
        free(D.src[i].nums);
    }
    free(D.src);
    free(D.data_bps);
    free(D.fn_bps);
    for (size_t i = 0; i < D.nknown; i++)
        free(D.known[i]);
    free(D.known);
    D.src = NULL;
    D.data_bps = D.fn_bps = NULL;
    D.known = NULL;
    return TTDB_EXIT_OK;
}

int dap_main(void)
{
    /* The protocol keeps the real stdout; ttdb's own last words the real
     * stderr (given back at the end). */
    int proto = take_stream(STDOUT_FILENO, &D.app[0]);
    if (proto < 0) {
        fprintf(stderr, "ttdb: --dap: cannot set up stdout: %s\n",
                strerror(errno));
        return TTDB_EXIT_FAILED;
    }
    int err = take_stream(STDERR_FILENO, &D.app[1]);
    int rc = dap_serve(STDIN_FILENO, proto, NULL);
    if (err >= 0) {
        dup2(err, STDERR_FILENO);
        close(err);
    }
    for (size_t i = 0; i < sizeof D.app / sizeof *D.app; i++)
        if (D.app[i].fd >= 0)
            close(D.app[i].fd);
    close(proto);
    return rc;
}
