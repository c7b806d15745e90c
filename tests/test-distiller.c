/*
 * test-distiller.c: the examples of the ttDistiller seed text ("Testing in
 * the ttDistiller"), done with the C Distiller, plus virtual time, `idle` and
 * strict contracts.
 *
 * Every test builds its own catalyst in Distiller mode from small tonic
 * classes defined here, cranks it with tt_distiller_sparkle and asserts on
 * what the run API, the trace entries and the JSON writer report.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "tasktonic.h"

/* ======================================================================= */
/* Helpers                                                                 */
/* ======================================================================= */

/* Print a run as text (TAP comments) when TT_TEST_VERBOSE is set. */
static void dump_run(tt_catalyst *cat, const tt_run *run)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    if (!getenv("TT_TEST_VERBOSE"))
        return;
    f = open_memstream(&buf, &len);
    if (!f)
        return;
    tt_run_write_text(cat, run, f);
    fclose(f);
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
        printf("# %s\n", line);
    free(buf);
}

/* A formula as the tests write it: creates the starting tonics. */
typedef void (*formula_fn)(tt_catalyst *cat);

/* A fresh Distiller (virtual time) with the tonics of `formula`. */
static tt_catalyst *new_distiller(formula_fn formula)
{
    tt_catalyst_options opts = {.mode = TT_MODE_DISTILLER};
    tt_catalyst *cat = NULL;

    assert_int_equal(tt_catalyst_new(&cat, &opts), 0);
    assert_non_null(cat);
    if (formula)
        formula(cat);
    return cat;
}

/* Run tt_distiller_sparkle and insist that it worked. */
static const tt_run *sparkle(tt_catalyst *cat, const tt_sparkle_args *args)
{
    const tt_run *run = NULL;
    tt_sparkle_args none = {0};
    int rc = tt_distiller_sparkle(cat, args ? args : &none, &run);

    if (rc != 0)
        fail_msg("tt_distiller_sparkle: %s (%s)", tt_err_name(rc), tt_catalyst_errmsg(cat));
    assert_non_null(run);
    dump_run(cat, run);
    return run;
}

/* The i-th entry of a run. */
static const tt_trace_entry *entry(tt_catalyst *cat, const tt_run *run, uint64_t i)
{
    const tt_trace_entry *e;

    assert_true(i < tt_run_entry_count(run));
    e = tt_trace_get(cat, tt_run_first_seq(run) + i);
    assert_non_null(e);
    assert_int_equal(tt_entry_seq(e), tt_run_first_seq(run) + i);
    return e;
}

/* Whether the run stopped (among others) for `why`. */
static bool stopped_for(const tt_run *run, const char *why)
{
    for (size_t i = 0; i < tt_run_stop_count(run); i++)
        if (strcmp(tt_run_stop_at(run, i), why) == 0)
            return true;
    return false;
}

/* Assert that the stop conditions are exactly the listed ones (line: the
 * caller's, for the message). */
static void assert_stops_at(int line, const tt_run *run, size_t n, ...)
{
    bool same = tt_run_stop_count(run) == n;
    va_list ap;

    va_start(ap, n);
    for (size_t i = 0; i < n && same; i++)
        same = strcmp(tt_run_stop_at(run, i), va_arg(ap, const char *)) == 0;
    va_end(ap);
    if (same)
        return;
    for (size_t i = 0; i < tt_run_stop_count(run); i++)
        printf("# stop_condition[%zu] = %s\n", i, tt_run_stop_at(run, i));
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        printf("# expected[%zu]       = %s\n", i, va_arg(ap, const char *));
    va_end(ap);
    fail_msg("line %d: stop conditions differ (above)", line);
}
#define assert_stops(run, ...) assert_stops_at(__LINE__, run, __VA_ARGS__)

/* "Tonic.sparkle" of an entry into buf. */
static const char *what(tt_catalyst *cat, const tt_trace_entry *e, char *buf, size_t n)
{
    snprintf(buf, n, "%s.%s", tt_entry_tonic_name(cat, e), tt_entry_sparkle_name(cat, e));
    return buf;
}

/* Assert the tonic and sparkle of an entry (line: the caller's). */
static void assert_entry_at(int line, tt_catalyst *cat, const tt_trace_entry *e,
                            const char *expected)
{
    char buf[256];

    if (strcmp(what(cat, e, buf, sizeof buf), expected) != 0)
        fail_msg("line %d: entry %llu is %s, expected %s", line,
                 (unsigned long long)tt_entry_seq(e), buf, expected);
}
#define assert_entry(cat, e, expected) assert_entry_at(__LINE__, cat, e, expected)

/* The value of probe `key` in a snapshot map, NULL when left out. */
static const tt_value *probe_in(const tt_map *m, const char *key)
{
    for (size_t i = 0; m && i < m->n; i++)
        if (strcmp(m->keys[i], key) == 0)
            return &m->vals[i];
    return NULL;
}

/* The integer value of probe `key` in a snapshot (it must be there). */
static int64_t probe_int(const tt_map *m, const char *key)
{
    const tt_value *v = probe_in(m, key);

    if (!v)
        fail_msg("probe %s missing from the snapshot", key);
    assert_int_equal(v->type, TT_T_INT);
    return v->u.i;
}

/* A contract from JSON text (must parse). */
static tt_contract *contract(const char *json)
{
    tt_contract *c = NULL;
    tt_error err;
    int rc = tt_contract_parse(json, "test", &c, &err);

    if (rc != 0)
        fail_msg("tt_contract_parse(%s): %s: %s", json, tt_err_name(rc), err.msg);
    return c;
}

/* The run as JSON (written by tt_run_write_json, parsed back). */
static json_t *run_json(tt_catalyst *cat, const tt_run *run, unsigned flags)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    json_error_t jerr;
    json_t *root;

    assert_non_null(f);
    assert_int_equal(tt_run_write_json(cat, run, f, flags), 0);
    assert_int_equal(fclose(f), 0);
    root = json_loadb(buf, len, 0, &jerr);
    if (!root)
        fail_msg("invalid JSON from tt_run_write_json: %s: %.200s", jerr.text, buf);
    free(buf);
    return root;
}

/* Monotonic wall-clock seconds. */
static double wall_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Post or fail. */
static void post(tt_tonic *t, const char *sparkle_name, const tt_value *args, size_t n)
{
    int rc = tt_post(t, sparkle_name, args, n);

    if (rc != 0)
        fail_msg("tt_post(%s.%s): %s (%s)", tt_tonic_name(t), sparkle_name,
                 tt_err_name(rc), tt_catalyst_errmsg(tt_tonic_catalyst(t)));
}

/* Find a tonic by name or fail. */
static tt_tonic *tonic(tt_catalyst *cat, const char *name)
{
    tt_tonic *t = tt_tonic_by_name(cat, name);

    if (!t)
        fail_msg("no tonic named %s", name);
    return t;
}

/* ======================================================================= */
/* Ticker: no states; ttsc__tick(n) counts and re-queues itself n-1 times   */
/* ======================================================================= */

typedef struct ticker_data {
    int64_t ticks;
} ticker_data;

/* Count one tick and queue the next while n > 1. */
static void Ticker_ttsc__tick(tt_tonic *self, int64_t n)
{
    TT_DATA(ticker_data, self)->ticks += 1;
    if (n > 1)
        tt_send(self, "ttsc__tick", TT_INT(n - 1));
}

static const tt_handler ticker_handlers[] = {
    TT_ON(Ticker, ttsc__tick, int64_t),
};
static const tt_probe_def ticker_probes[] = {
    TT_PROBE(ticker_data, ticks),
};
static const tt_class Ticker_class = {
    .name = "Ticker",
    .data_size = sizeof(ticker_data),
    .handlers = ticker_handlers,
    .n_handlers = TT_COUNTOF(ticker_handlers),
    .probes = ticker_probes,
    .n_probes = TT_COUNTOF(ticker_probes),
};

/* One Ticker. */
static void ticker_formula(tt_catalyst *cat)
{
    assert_non_null(tt_tonic_new(cat, &Ticker_class, "Ticker", NULL));
}

/* ======================================================================= */
/* Job: idle -> working -> finished, one ttsc__step per remaining step      */
/* ======================================================================= */

typedef struct job_data {
    int64_t steps_done;
} job_data;

/* Start-up: idle. */
static void Job_ttse__on_start(tt_tonic *self)
{
    tt_to_state(self, "idle");
}

/* Go: work through `steps` steps. */
static void Job_ttsc_idle__go(tt_tonic *self, int64_t steps)
{
    tt_to_state(self, "working");
    tt_send(self, "ttsc__step", TT_INT(steps));
}

/* One step; the last one finishes the job. */
static void Job_ttsc_working__step(tt_tonic *self, int64_t left)
{
    TT_DATA(job_data, self)->steps_done += 1;
    if (left > 1)
        tt_send(self, "ttsc__step", TT_INT(left - 1));
    else
        tt_to_state(self, "finished");
}

/* Declares `finished`. */
static void Job_ttse_finished__on_enter(tt_tonic *self)
{
    (void)self;
}

static const tt_handler job_handlers[] = {
    TT_ON(Job, ttse__on_start),
    TT_ON(Job, ttsc_idle__go, int64_t),
    TT_ON(Job, ttsc_working__step, int64_t),
    TT_ON(Job, ttse_finished__on_enter),
};
static const tt_probe_def job_probes[] = {
    TT_PROBE(job_data, steps_done),
};
static const tt_class Job_class = {
    .name = "Job",
    .data_size = sizeof(job_data),
    .handlers = job_handlers,
    .n_handlers = TT_COUNTOF(job_handlers),
    .probes = job_probes,
    .n_probes = TT_COUNTOF(job_probes),
};

/* One Job. */
static void job_formula(tt_catalyst *cat)
{
    assert_non_null(tt_tonic_new(cat, &Job_class, "Job", NULL));
}

/* ======================================================================= */
/* ClientTonic / ServerTonic: the seed text's integration example           */
/* ======================================================================= */

typedef struct server_data {
    int64_t active_connections;
} server_data;

typedef struct client_data {
    tt_tonic *server;
    int64_t retry_attempts;
} client_data;

/* A client connects: count it and greet it. */
static void Server_ttsc__accept(tt_tonic *self, tt_tonic *client)
{
    TT_DATA(server_data, self)->active_connections += 1;
    tt_send(client, "ttse__on_data_received", TT_STR("welcome"));
}

/* A client authenticates: confirm. */
static void Server_ttsc__auth(tt_tonic *self, tt_tonic *client, const char *token)
{
    (void)self;
    (void)token;
    tt_send(client, "ttse__on_authenticated");
}

static const tt_handler server_handlers[] = {
    TT_ON(Server, ttsc__accept, tt_tonic *),
    TT_ON(Server, ttsc__auth, tt_tonic *, const char *),
};
static const tt_probe_def server_probes[] = {
    TT_PROBE(server_data, active_connections),
};
static const tt_class Server_class = {
    .name = "Server",
    .data_size = sizeof(server_data),
    .handlers = server_handlers,
    .n_handlers = TT_COUNTOF(server_handlers),
    .probes = server_probes,
    .n_probes = TT_COUNTOF(server_probes),
};

/* Creation: remember the server. */
static void client_init(tt_tonic *self, void *arg)
{
    TT_DATA(client_data, self)->server = arg;
}

/* Start-up: disconnected. */
static void Client_ttse__on_start(tt_tonic *self)
{
    tt_to_state(self, "disconnected");
}

/* Connect to the server. */
static void Client_ttsc_disconnected__connect(tt_tonic *self)
{
    tt_to_state(self, "connecting");
    tt_send(TT_DATA(client_data, self)->server, "ttsc__accept", TT_TONIC(self));
}

/* Count a retry (no state change). */
static void Client_ttsc__retry(tt_tonic *self)
{
    TT_DATA(client_data, self)->retry_attempts += 1;
}

/* The server's greeting: connected; authenticate. */
static void Client_ttse_connecting__on_data_received(tt_tonic *self, const char *data)
{
    (void)data;
    tt_to_state(self, "connected");
    tt_send(TT_DATA(client_data, self)->server, "ttsc__auth", TT_TONIC(self),
            TT_STR("secret"));
}

/* Authenticated. */
static void Client_ttse_connected__on_authenticated(tt_tonic *self)
{
    tt_to_state(self, "authenticated");
}

/* Declares `authenticated` (a state exists only if a handler names it). */
static void Client_ttse_authenticated__on_enter(tt_tonic *self)
{
    (void)self;
}

static const tt_handler client_handlers[] = {
    TT_ON(Client, ttse__on_start),
    TT_ON(Client, ttse_authenticated__on_enter),
    TT_ON(Client, ttsc_disconnected__connect),
    TT_ON(Client, ttsc__retry),
    TT_ON(Client, ttse_connecting__on_data_received, const char *),
    TT_ON(Client, ttse_connected__on_authenticated),
};
static const tt_probe_def client_probes[] = {
    TT_PROBE(client_data, retry_attempts),
};
static const tt_class Client_class = {
    .name = "Client",
    .data_size = sizeof(client_data),
    .init = client_init,
    .handlers = client_handlers,
    .n_handlers = TT_COUNTOF(client_handlers),
    .probes = client_probes,
    .n_probes = TT_COUNTOF(client_probes),
};

/* ServerTonic (id 1) and ClientTonic (id 2). */
static void client_server_formula(tt_catalyst *cat)
{
    tt_tonic *server = tt_tonic_new(cat, &Server_class, "ServerTonic", NULL);

    assert_non_null(server);
    assert_non_null(tt_tonic_new(cat, &Client_class, "ClientTonic", server));
}

/* A client/server Distiller run up to both start-ups (stops `idle`). */
static tt_catalyst *client_server_started(void)
{
    tt_catalyst *cat = new_distiller(client_server_formula);
    const tt_run *run = sparkle(cat, NULL);

    assert_stops(run, 1, "idle");
    assert_string_equal(tt_tonic_state_name(tonic(cat, "ClientTonic")), "disconnected");
    return cat;
}

/* ======================================================================= */
/* Parser: one giant sparkle among small ones                              */
/* ======================================================================= */

/* Busy work of the giant sparkle (iterations); no sleeping. */
#define GIANT_WORK 40000000L

typedef struct parser_data {
    int64_t tokens;
    uint64_t checksum;
} parser_data;

/* Start-up: idle. */
static void Parser_ttse__on_start(tt_tonic *self)
{
    tt_to_state(self, "idle");
}

/* A small sparkle. */
static void Parser_ttsc__tokenize(tt_tonic *self)
{
    TT_DATA(parser_data, self)->tokens += 1;
}

/* The giant sparkle: a bounded busy loop. */
static void Parser_ttsc__parse_xml(tt_tonic *self, int64_t work)
{
    volatile uint64_t acc = 0;

    for (int64_t i = 0; i < work; i++)
        acc += (uint64_t)i ^ (acc >> 3);
    TT_DATA(parser_data, self)->checksum = acc;
}

/* Done parsing. */
static void Parser_ttsc__wrap_up(tt_tonic *self)
{
    tt_to_state(self, "done");
}

/* Declares `done`. */
static void Parser_ttse_done__on_enter(tt_tonic *self)
{
    (void)self;
}

/* Declares `idle`. */
static void Parser_ttse_idle__on_enter(tt_tonic *self)
{
    (void)self;
}

static const tt_handler parser_handlers[] = {
    TT_ON(Parser, ttse__on_start),
    TT_ON(Parser, ttse_idle__on_enter),
    TT_ON(Parser, ttsc__tokenize),
    TT_ON(Parser, ttsc__parse_xml, int64_t),
    TT_ON(Parser, ttsc__wrap_up),
    TT_ON(Parser, ttse_done__on_enter),
};
static const tt_class Parser_class = {
    .name = "Parser",
    .data_size = sizeof(parser_data),
    .handlers = parser_handlers,
    .n_handlers = TT_COUNTOF(parser_handlers),
};

/* One Parser. */
static void parser_formula(tt_catalyst *cat)
{
    assert_non_null(tt_tonic_new(cat, &Parser_class, "Parser", NULL));
}

/* ======================================================================= */
/* Gateway with a network infusion (real or mock)                          */
/* ======================================================================= */

typedef struct gateway_data {
    const tt_class *net_class; /* what to infuse: Net or MockNet */
    tt_tonic *net;
    int64_t messages;
} gateway_data;

/* The real network child: reports data one (virtual) second after start. */
static void Net_ttse__on_start(tt_tonic *self)
{
    tt_timer_new(self, TT_TIMER_SINGLE_SHOT, 1.0, NULL, NULL);
}

/* Its timer: data arrived. */
static void Net_ttse__on_timer(tt_tonic *self, const tt_timer_info *info)
{
    (void)info;
    tt_send(tt_tonic_base(self), "ttse__on_network_data", TT_STR("ok"));
}

static const tt_handler net_handlers[] = {
    TT_ON(Net, ttse__on_start),
    TT_ON(Net, ttse__on_timer, const tt_timer_info *),
};
static const tt_class Net_class = {
    .name = "Net",
    .handlers = net_handlers,
    .n_handlers = TT_COUNTOF(net_handlers),
};

/* The mock: does nothing at all; the test plays its part. */
static void MockNet_ttse__on_start(tt_tonic *self)
{
    (void)self;
}

static const tt_handler mocknet_handlers[] = {
    TT_ON(MockNet, ttse__on_start),
};
static const tt_class MockNet_class = {
    .name = "MockNet",
    .handlers = mocknet_handlers,
    .n_handlers = TT_COUNTOF(mocknet_handlers),
};

/* Creation: which network class to infuse. */
static void gateway_init(tt_tonic *self, void *arg)
{
    TT_DATA(gateway_data, self)->net_class = arg;
}

/* Start-up: create the network infusion, then wait for data. */
static void Gateway_ttse__on_start(tt_tonic *self)
{
    gateway_data *d = TT_DATA(gateway_data, self);

    d->net = tt_tonic_new(tt_tonic_catalyst(self), d->net_class, "Net", NULL);
    tt_to_state(self, "waiting");
}

/* Data from the network while waiting. */
static void Gateway_ttse_waiting__on_network_data(tt_tonic *self, const char *status)
{
    TT_DATA(gateway_data, self)->messages += 1;
    tt_to_state(self, strcmp(status, "ok") == 0 ? "processing_data" : "error");
}

/* Declares `processing_data`. */
static void Gateway_ttse_processing_data__on_enter(tt_tonic *self)
{
    (void)self;
}

/* Declares `error`. */
static void Gateway_ttse_error__on_enter(tt_tonic *self)
{
    (void)self;
}

static const tt_handler gateway_handlers[] = {
    TT_ON(Gateway, ttse__on_start),
    TT_ON(Gateway, ttse_waiting__on_network_data, const char *),
    TT_ON(Gateway, ttse_processing_data__on_enter),
    TT_ON(Gateway, ttse_error__on_enter),
};
static const tt_probe_def gateway_probes[] = {
    TT_PROBE(gateway_data, messages),
};
static const tt_class Gateway_class = {
    .name = "Gateway",
    .data_size = sizeof(gateway_data),
    .init = gateway_init,
    .handlers = gateway_handlers,
    .n_handlers = TT_COUNTOF(gateway_handlers),
    .probes = gateway_probes,
    .n_probes = TT_COUNTOF(gateway_probes),
};

/* A Gateway with the mock network. */
static void gateway_mock_formula(tt_catalyst *cat)
{
    assert_non_null(tt_tonic_new(cat, &Gateway_class, "Gateway", (void *)&MockNet_class));
}

/* A Gateway with the real network. */
static void gateway_real_formula(tt_catalyst *cat)
{
    assert_non_null(tt_tonic_new(cat, &Gateway_class, "Gateway", (void *)&Net_class));
}

/* ======================================================================= */
/* Boss and two Workers that keep each other busy forever                  */
/* ======================================================================= */

typedef struct boss_data {
    tt_tonic *w1, *w2;
    int64_t results;
} boss_data;

typedef struct worker_data {
    int64_t jobs;
} worker_data;

/* A job: report back up with the job number. */
static void Worker_ttsc__work(tt_tonic *self, int64_t n)
{
    TT_DATA(worker_data, self)->jobs += 1;
    tt_send(tt_tonic_base(self), "ttse__on_result", TT_TONIC(self), TT_INT(n));
}

static const tt_handler worker_handlers[] = {
    TT_ON(Worker, ttsc__work, int64_t),
};
static const tt_probe_def worker_probes[] = {
    TT_PROBE(worker_data, jobs),
};
static const tt_class Worker_class = {
    .name = "Worker",
    .data_size = sizeof(worker_data),
    .handlers = worker_handlers,
    .n_handlers = TT_COUNTOF(worker_handlers),
    .probes = worker_probes,
    .n_probes = TT_COUNTOF(worker_probes),
};

/* Start-up: two workers (infusions of the Boss). */
static void Boss_ttse__on_start(tt_tonic *self)
{
    boss_data *d = TT_DATA(boss_data, self);

    d->w1 = tt_tonic_new(tt_tonic_catalyst(self), &Worker_class, "W1", NULL);
    d->w2 = tt_tonic_new(tt_tonic_catalyst(self), &Worker_class, "W2", NULL);
}

/* The high-level command: give both workers their first job. */
static void Boss_ttsc__kick(tt_tonic *self)
{
    boss_data *d = TT_DATA(boss_data, self);

    tt_send(d->w1, "ttsc__work", TT_INT(1));
    tt_send(d->w2, "ttsc__work", TT_INT(1));
}

/* A result bubbles up: hand that worker the next job. */
static void Boss_ttse__on_result(tt_tonic *self, tt_tonic *worker, int64_t n)
{
    TT_DATA(boss_data, self)->results += 1;
    tt_send(worker, "ttsc__work", TT_INT(n + 1));
}

static const tt_handler boss_handlers[] = {
    TT_ON(Boss, ttse__on_start),
    TT_ON(Boss, ttsc__kick),
    TT_ON(Boss, ttse__on_result, tt_tonic *, int64_t),
};
static const tt_probe_def boss_probes[] = {
    TT_PROBE(boss_data, results),
};
static const tt_class Boss_class = {
    .name = "Boss",
    .data_size = sizeof(boss_data),
    .handlers = boss_handlers,
    .n_handlers = TT_COUNTOF(boss_handlers),
    .probes = boss_probes,
    .n_probes = TT_COUNTOF(boss_probes),
};

/* One Boss (it creates W1 and W2). */
static void boss_formula(tt_catalyst *cat)
{
    assert_non_null(tt_tonic_new(cat, &Boss_class, "Boss", NULL));
}

/* ======================================================================= */
/* Alarm (10 s single shot) and Metronome (1 s repeat)                     */
/* ======================================================================= */

typedef struct alarm_data {
    int64_t fired;
} alarm_data;

/* Start-up: set a 10-second alarm. */
static void Alarm_ttse__on_start(tt_tonic *self)
{
    tt_timer_new(self, TT_TIMER_SINGLE_SHOT, 10.0, NULL, NULL);
}

/* The alarm went off. */
static void Alarm_ttse__on_timer(tt_tonic *self, const tt_timer_info *info)
{
    (void)info;
    TT_DATA(alarm_data, self)->fired += 1;
}

static const tt_handler alarm_handlers[] = {
    TT_ON(Alarm, ttse__on_start),
    TT_ON(Alarm, ttse__on_timer, const tt_timer_info *),
};
static const tt_probe_def alarm_probes[] = {
    TT_PROBE(alarm_data, fired),
};
static const tt_class Alarm_class = {
    .name = "Alarm",
    .data_size = sizeof(alarm_data),
    .handlers = alarm_handlers,
    .n_handlers = TT_COUNTOF(alarm_handlers),
    .probes = alarm_probes,
    .n_probes = TT_COUNTOF(alarm_probes),
};

/* One Alarm. */
static void alarm_formula(tt_catalyst *cat)
{
    assert_non_null(tt_tonic_new(cat, &Alarm_class, "Alarm", NULL));
}

/* Start-up: a repeating timer named `beat` (callback ttse__on_beat). */
static void Metronome_ttse__on_start(tt_tonic *self)
{
    tt_timer_new(self, TT_TIMER_REPEAT, 1.0, "beat", NULL);
}

/* One beat. */
static void Metronome_ttse__on_beat(tt_tonic *self, const tt_timer_info *info)
{
    (void)self;
    (void)info;
}

static const tt_handler metronome_handlers[] = {
    TT_ON(Metronome, ttse__on_start),
    TT_ON(Metronome, ttse__on_beat, const tt_timer_info *),
};
static const tt_class Metronome_class = {
    .name = "Metronome",
    .handlers = metronome_handlers,
    .n_handlers = TT_COUNTOF(metronome_handlers),
};

/* One Metronome. */
static void metronome_formula(tt_catalyst *cat)
{
    assert_non_null(tt_tonic_new(cat, &Metronome_class, "Metronome", NULL));
}

/* ======================================================================= */
/* Mixer: strings, three arguments, states, a timer, errors, a finish      */
/* ======================================================================= */

typedef struct mixer_data {
    int64_t mixed;
} mixer_data;

/* Start-up: state a and a half-second beat. */
static void Mixer_ttse__on_start(tt_tonic *self)
{
    tt_to_state(self, "a");
    tt_timer_new(self, TT_TIMER_REPEAT, 0.5, "beat", NULL);
}

/* One mix step: three arguments (more than an order keeps inline), a string
 * to say, a state change every third step, a refused timer every fifth. */
static void Mixer_ttsc__mix(tt_tonic *self, const char *s, int64_t n, double d)
{
    char buf[64];

    TT_DATA(mixer_data, self)->mixed += 1;
    snprintf(buf, sizeof buf, "%s-%lld", s, (long long)n);
    tt_send(self, "ttsc__say", TT_STR(buf));
    if (n % 3 == 0)
        tt_to_state(self, n % 2 ? "a" : "b");
    if (n % 5 == 0)
        tt_timer_new(self, TT_TIMER_REPEAT, -1.0, "bad", NULL);
    if (n > 0)
        tt_send(self, "ttsc__mix", TT_STR(s), TT_INT(n - 1), TT_DOUBLE(d * 2));
    else
        tt_finish(self);
}

static void Mixer_ttsc__say(tt_tonic *self, const char *what)
{
    (void)self;
    (void)what;
}

static void Mixer_ttse__on_beat(tt_tonic *self, const tt_timer_info *info)
{
    (void)info;
    tt_send(self, "ttsc__say", TT_STR("beat"));
}

static void Mixer_ttse_a__on_enter(tt_tonic *self)
{
    tt_send(self, "ttsc__say", TT_STR("in a"));
}

static void Mixer_ttse_b__on_enter(tt_tonic *self)
{
    (void)self;
}

static const tt_handler mixer_handlers[] = {
    TT_ON(Mixer, ttse__on_start),
    TT_ON(Mixer, ttsc__mix, const char *, int64_t, double),
    TT_ON(Mixer, ttsc__say, const char *),
    TT_ON(Mixer, ttse__on_beat, const tt_timer_info *),
    TT_ON(Mixer, ttse_a__on_enter),
    TT_ON(Mixer, ttse_b__on_enter),
};
static const tt_probe_def mixer_probes[] = {
    TT_PROBE(mixer_data, mixed),
};
static const tt_class Mixer_class = {
    .name = "Mixer",
    .data_size = sizeof(mixer_data),
    .handlers = mixer_handlers,
    .n_handlers = TT_COUNTOF(mixer_handlers),
    .probes = mixer_probes,
    .n_probes = TT_COUNTOF(mixer_probes),
};

/* One Mixer and one Job. */
static void mixer_formula(tt_catalyst *cat)
{
    assert_non_null(tt_tonic_new(cat, &Mixer_class, "Mixer", NULL));
    assert_non_null(tt_tonic_new(cat, &Job_class, "Job", NULL));
}

/* ======================================================================= */
/* Tests: stepping                                                         */
/* ======================================================================= */

/* `sparkle()` with nothing pending and no timer stops at once with `idle`;
 * the start-up is the catalyst's two orders and the tonic's three. */
static void test_idle_after_startup(void **state)
{
    tt_catalyst *cat = new_distiller(ticker_formula);
    const tt_run *run;

    (void)state;
    run = sparkle(cat, NULL);
    assert_string_equal(tt_run_status(run), "running");
    assert_stops(run, 1, "idle");
    assert_int_equal(tt_run_entry_count(run), 5);
    assert_entry(cat, entry(cat, run, 0), "tt_main_catalyst._ttss__on_start");
    assert_entry(cat, entry(cat, run, 4), "Ticker.ttse__on_start");

    /* Nothing left: the next call is idle too, with an empty trace. */
    run = sparkle(cat, NULL);
    assert_stops(run, 1, "idle");
    assert_int_equal(tt_run_entry_count(run), 0);
    assert_int_equal(tt_run_count(cat), 2);
    tt_catalyst_free(cat);
}

/* Seed text: "Process exactly ONE Sparkle", then "Process 5 Sparkles". */
static void test_step_one_and_five(void **state)
{
    tt_catalyst *cat = new_distiller(ticker_formula);
    tt_tonic *ticker = tonic(cat, "Ticker");
    tt_contract *c = contract("{\"probes\": [\"ticks\"]}");
    tt_sparkle_args one = {.sparkle_count = 1, .contract = c};
    tt_sparkle_args five = {.sparkle_count = 5, .contract = c};
    const tt_run *run;
    const tt_trace_entry *e;

    (void)state;
    sparkle(cat, NULL);
    post(ticker, "ttsc__tick", &TT_INT(10), 1);

    run = sparkle(cat, &one);
    assert_stops(run, 1, "sparkle_count");
    assert_int_equal(tt_run_entry_count(run), 1);
    e = entry(cat, run, 0);
    assert_entry(cat, e, "Ticker.ttsc__tick");
    assert_int_equal(e->nargs, 1);
    assert_int_equal(e->args[0].u.i, 10);
    assert_int_equal(probe_int(tt_entry_probes_enter(e), "ticks"), 0);
    assert_int_equal(probe_int(tt_entry_probes_exit(e), "ticks"), 1);
    /* Frozen between sparkles: the tonic itself says the same. */
    assert_int_equal(TT_DATA(ticker_data, ticker)->ticks, 1);
    assert_int_equal(tt_queue_length(cat), 1);

    run = sparkle(cat, &five);
    assert_stops(run, 1, "sparkle_count");
    assert_int_equal(tt_run_entry_count(run), 5);
    for (uint64_t i = 0; i < 5; i++) {
        e = entry(cat, run, i);
        assert_entry(cat, e, "Ticker.ttsc__tick");
        assert_int_equal(e->args[0].u.i, 9 - (int64_t)i);
        assert_int_equal(probe_int(tt_entry_probes_exit(e), "ticks"), 2 + (int64_t)i);
        assert_string_equal(tt_entry_source_name(cat, e), "Ticker");
        assert_string_equal(tt_entry_source_sparkle(cat, e), "ttsc__tick");
    }
    assert_int_equal(TT_DATA(ticker_data, ticker)->ticks, 6);

    /* The rest runs out and the Distiller goes idle. */
    run = sparkle(cat, NULL);
    assert_stops(run, 1, "idle");
    assert_int_equal(tt_run_entry_count(run), 4);
    assert_int_equal(TT_DATA(ticker_data, ticker)->ticks, 10);
    tt_contract_free(c);
    tt_catalyst_free(cat);
}

/* The order hook: stops the run before Ticker's tick with argument 7, the
 * order still queued; NULL lets every other order run. */
static const char *stop_before_tick7(void *ud, tt_catalyst *cat,
                                     const tt_order_view *next)
{
    int *calls = ud;

    (void)cat;
    (*calls)++;
    if (strcmp(next->sparkle, "ttsc__tick") == 0 && next->nargs == 1 &&
        next->args[0].u.i == 7)
        return "before tick 7";
    return NULL;
}

/* An order hook stops a run before the order it names, even the first. */
static void test_order_hook(void **state)
{
    tt_catalyst *cat = new_distiller(ticker_formula);
    tt_tonic *ticker = tonic(cat, "Ticker");
    int calls = 0;
    const tt_run *run;
    tt_order_view head;

    (void)state;
    sparkle(cat, NULL);
    post(ticker, "ttsc__tick", &TT_INT(10), 1);
    tt_distiller_set_order_hook(cat, stop_before_tick7, &calls);
    run = sparkle(cat, NULL);
    assert_stops(run, 1, "before tick 7");
    assert_int_equal(tt_run_entry_count(run), 3); /* ticks 10, 9, 8 */
    assert_int_equal(calls, 4);
    assert_int_equal(tt_queue_at(cat, 0, &head), 0);
    assert_int_equal(head.args[0].u.i, 7);
    /* the same order at the head of the next run: stopped before it again,
     * with no sparkle run */
    run = sparkle(cat, NULL);
    assert_stops(run, 1, "before tick 7");
    assert_int_equal(tt_run_entry_count(run), 0);
    /* no hook: the rest runs */
    tt_distiller_set_order_hook(cat, NULL, NULL);
    run = sparkle(cat, NULL);
    assert_stops(run, 1, "idle");
    assert_int_equal(TT_DATA(ticker_data, ticker)->ticks, 10);
    tt_catalyst_free(cat);
}

/* sparkle_count counts extras but never stops inside a transition. */
static void test_step_never_splits_a_transition(void **state)
{
    tt_catalyst *cat = new_distiller(job_formula);
    tt_sparkle_args one = {.sparkle_count = 1};
    const tt_run *run;

    (void)state;
    run = sparkle(cat, NULL);
    assert_stops(run, 1, "idle");
    post(tonic(cat, "Job"), "ttsc__go", &TT_INT(3), 1);
    run = sparkle(cat, &one);
    assert_stops(run, 1, "sparkle_count");
    /* go + exit(idle) + change [working] + enter */
    assert_int_equal(tt_run_entry_count(run), 4);
    assert_entry(cat, entry(cat, run, 0), "Job.ttsc__go");
    assert_entry(cat, entry(cat, run, 1), "Job.ttse__on_exit");
    assert_entry(cat, entry(cat, run, 2), "Job._ttinternal_state_change_to");
    assert_entry(cat, entry(cat, run, 3), "Job.ttse__on_enter");
    assert_true(entry(cat, run, 1)->flags & TT_EF_EXTRA);
    assert_string_equal(tt_entry_state_exit(cat, entry(cat, run, 2)), "working");
    tt_catalyst_free(cat);
}

/* ======================================================================= */
/* Tests: single-tonic triggers                                            */
/* ======================================================================= */

/* Seed text: sparkle(till_state_in=['finished']). */
static void test_till_state_in(void **state)
{
    tt_catalyst *cat = new_distiller(job_formula);
    tt_sparkle_args until = {.till_state_in = "finished"};
    const tt_run *run;
    uint64_t n;

    (void)state;
    /* Several states, comma-separated: stops at the first one reached. */
    tt_sparkle_args start = {.till_state_in = "working,idle"};

    run = sparkle(cat, &start);
    /* The trigger names the state reached, twice (change, then on_enter). */
    assert_stops(run, 2, "state_trigger: [idle]", "state_trigger: [idle]");
    assert_string_equal(tt_tonic_state_name(tonic(cat, "Job")), "idle");

    post(tonic(cat, "Job"), "ttsc__go", &TT_INT(3), 1);
    run = sparkle(cat, &until);
    /* Reported twice: after the state change and after the on_enter. */
    assert_stops(run, 2, "state_trigger: [finished]", "state_trigger: [finished]");
    n = tt_run_entry_count(run);
    /* go + 3 extras, step x3, then the last step's 3 extras */
    assert_int_equal(n, 4 + 3 + 3);
    assert_entry(cat, entry(cat, run, n - 1), "Job.ttse__on_enter");
    assert_string_equal(tt_entry_state_enter(cat, entry(cat, run, n - 1)), "finished");
    assert_string_equal(tt_tonic_state_name(tonic(cat, "Job")), "finished");
    assert_int_equal(TT_DATA(job_data, tonic(cat, "Job"))->steps_done, 3);
    tt_catalyst_free(cat);
}

/* Seed text: sparkle(till_sparkle_in=['ttse__on_data_received']). */
static void test_till_sparkle_in(void **state)
{
    tt_catalyst *cat = client_server_started();
    tt_sparkle_args until = {.till_sparkle_in = "ttse__on_data_received"};
    const tt_run *run;
    const tt_trace_entry *e;
    uint64_t n;

    (void)state;
    post(tonic(cat, "ClientTonic"), "ttsc__connect", NULL, 0);
    run = sparkle(cat, &until);
    assert_stops(run, 1, "sparkle_trigger: [ttse__on_data_received]");
    n = tt_run_entry_count(run);
    /* connect + 3 extras, accept, on_data_received + its 3 extras (the
     * Distiller never stops between an order and its extras) */
    assert_int_equal(n, 4 + 1 + 4);
    e = entry(cat, run, 5);
    assert_entry(cat, e, "ClientTonic.ttse__on_data_received");
    assert_int_equal(e->args[0].type, TT_T_STR);
    assert_string_equal(e->args[0].u.s, "welcome");
    assert_string_equal(tt_entry_source_name(cat, e), "ServerTonic");
    assert_string_equal(tt_entry_source_sparkle(cat, e), "ttsc__accept");
    assert_int_equal(e->src_id, 1);
    assert_string_equal(tt_entry_state_exit(cat, entry(cat, run, n - 1)), "connected");
    tt_catalyst_free(cat);
}

/* ======================================================================= */
/* Tests: integration contracts                                            */
/* ======================================================================= */

/* The seed text's integration contract, AND logic ('all'). */
static const char integration_all[] =
    "{\n"
    "  \"timeout\": 5.0,\n"
    "  \"stop_match_count\": \"all\",\n"
    "  \"tonics\": {\n"
    "    \"ClientTonic\": {\"till_state_in\": [\"connected\"],\n"
    "                    \"probes\": [\"retry_attempts\"]},\n"
    "    \"ServerTonic\": {\"probes\": [\"active_connections\"],\n"
    "                    \"stop_on_probe\": {\"active_connections\": 1}}\n"
    "  }\n"
    "}\n";

/* Check the 'all' run: both matched, with their reasons. */
static void check_integration_all(tt_catalyst *cat, const tt_run *run)
{
    int mc = -1, tc = -1;
    uint64_t n = tt_run_entry_count(run);

    assert_stops(run, 1, "contract_met");
    assert_false(stopped_for(run, "timeout"));
    assert_true(tt_run_contract_met(run, &mc, &tc));
    assert_int_equal(mc, 2);
    assert_int_equal(tc, 2);
    assert_int_equal(tt_run_matched_count(run), 2);
    assert_string_equal(tt_run_matched_tonic(run, 0), "ClientTonic");
    assert_int_equal(tt_run_matched_reason_count(run, 0), 1);
    assert_string_equal(tt_run_matched_reason(run, 0, 0), "state: 'connected'");
    assert_string_equal(tt_run_matched_tonic(run, 1), "ServerTonic");
    assert_int_equal(tt_run_matched_reason_count(run, 1), 1);
    assert_string_equal(tt_run_matched_reason(run, 1, 0), "probe: active_connections == 1");
    /* connect(+3), accept, on_data_received(+3): met at the state change,
     * stopped after the drain. */
    assert_int_equal(n, 9);
    assert_entry(cat, entry(cat, run, n - 1), "ClientTonic.ttse__on_enter");
    /* Per-tonic probe lists: each tonic shows only its own probes. */
    assert_int_equal(probe_int(tt_entry_probes_enter(entry(cat, run, 0)), "retry_attempts"), 0);
    assert_null(probe_in(tt_entry_probes_enter(entry(cat, run, 0)), "active_connections"));
    assert_int_equal(probe_int(tt_entry_probes_enter(entry(cat, run, 4)), "active_connections"), 0);
    assert_int_equal(probe_int(tt_entry_probes_exit(entry(cat, run, 4)), "active_connections"), 1);
    assert_null(probe_in(tt_entry_probes_exit(entry(cat, run, 4)), "retry_attempts"));
}

/* Seed text: the integration contract with stop_match_count 'all'. */
static void test_contract_all(void **state)
{
    tt_catalyst *cat = client_server_started();
    tt_contract *c = contract(integration_all);
    tt_sparkle_args args = {.contract = c};

    (void)state;
    post(tonic(cat, "ClientTonic"), "ttsc__connect", NULL, 0);
    check_integration_all(cat, sparkle(cat, &args));
    tt_contract_free(c);
    tt_catalyst_free(cat);
}

/* The same contract built in C gives the same run. */
static void test_contract_all_built_in_c(void **state)
{
    tt_catalyst *cat = client_server_started();
    tt_contract *c = tt_contract_new();
    tt_value one = TT_INT(1);
    tt_sparkle_args args = {.contract = c};

    (void)state;
    assert_non_null(c);
    assert_int_equal(tt_contract_set_timeout(c, 5.0), 0);
    assert_int_equal(tt_contract_set_match_count(c, TT_MATCH_ALL), 0);
    assert_int_equal(tt_contract_add_till_state(c, "ClientTonic", "connected"), 0);
    assert_int_equal(tt_contract_add_probe(c, "ClientTonic", "retry_attempts"), 0);
    assert_int_equal(tt_contract_add_probe(c, "ServerTonic", "active_connections"), 0);
    assert_int_equal(tt_contract_add_stop_on_probe(c, "ServerTonic", "active_connections",
                                                   &one), 0);
    post(tonic(cat, "ClientTonic"), "ttsc__connect", NULL, 0);
    check_integration_all(cat, sparkle(cat, &args));

    /* Its JSON parses back to an equivalent contract. */
    char *json = tt_contract_to_json(c);
    tt_contract *back;

    assert_non_null(json);
    back = contract(json);
    free(json);
    tt_contract_free(back);
    tt_contract_free(c);
    tt_catalyst_free(cat);
}

/* stop_match_count 1 (OR logic): the server's probe is enough. */
static void test_contract_match_one(void **state)
{
    tt_catalyst *cat = client_server_started();
    tt_contract *c = contract(
        "{\"stop_match_count\": 1, \"probes\": [\"retry_attempts\", \"active_connections\"],"
        " \"tonics\": {\"ClientTonic\": {\"till_state_in\": [\"connected\"]},"
        "              \"ServerTonic\": {\"stop_on_probe\": {\"active_connections\": 1}}}}");
    tt_sparkle_args args = {.contract = c};
    const tt_run *run;
    json_t *root, *details;
    int mc = -1, tc = -1;

    (void)state;
    post(tonic(cat, "ClientTonic"), "ttsc__connect", NULL, 0);
    run = sparkle(cat, &args);
    assert_stops(run, 1, "contract_met");
    assert_true(tt_run_contract_met(run, &mc, &tc));
    assert_int_equal(mc, 1);
    assert_int_equal(tc, 1);
    assert_int_equal(tt_run_matched_count(run), 1);
    assert_string_equal(tt_run_matched_tonic(run, 0), "ServerTonic");
    assert_string_equal(tt_run_matched_reason(run, 0, 0), "probe: active_connections == 1");
    /* connect(+3) and accept: the client is still connecting. */
    assert_int_equal(tt_run_entry_count(run), 5);
    assert_entry(cat, entry(cat, run, 4), "ServerTonic.ttsc__accept");
    /* The global probe list applies to every tonic; a probe a tonic lacks
     * is left out; the catalyst has neither. */
    assert_int_equal(probe_int(tt_entry_probes_exit(entry(cat, run, 0)), "retry_attempts"), 0);
    assert_null(probe_in(tt_entry_probes_exit(entry(cat, run, 0)), "active_connections"));
    assert_int_equal(probe_int(tt_entry_probes_exit(entry(cat, run, 4)), "active_connections"), 1);
    assert_null(probe_in(tt_entry_probes_exit(entry(cat, run, 4)), "retry_attempts"));

    /* Seed text: asserting on contract_details in the returned dictionary. */
    root = run_json(cat, run, 0);
    details = json_object_get(root, "contract_details");
    assert_true(json_is_object(details));
    assert_int_equal(json_integer_value(json_object_get(details, "match_count")), 1);
    assert_int_equal(json_integer_value(json_object_get(details, "target_count")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(
                            json_object_get(details, "matched_tonics"), "ServerTonic"), 0)),
                        "probe: active_connections == 1");
    json_decref(root);

    /* Carry on with the client's own condition only. */
    tt_contract_free(c);
    c = contract("{\"tonics\": {\"ClientTonic\": {\"till_state_in\": [\"authenticated\"]}}}");
    args.contract = c;
    run = sparkle(cat, &args);
    assert_stops(run, 1, "contract_met");
    assert_string_equal(tt_run_matched_reason(run, 0, 0), "state: 'authenticated'");
    assert_string_equal(tt_tonic_state_name(tonic(cat, "ClientTonic")), "authenticated");
    tt_contract_free(c);
    tt_catalyst_free(cat);
}

/* 'all' counts every named tonic: an unknown one makes it unreachable, and
 * the run ends on something else (here idle). */
static void test_contract_all_unreachable(void **state)
{
    tt_catalyst *cat = client_server_started();
    tt_contract *c = contract(
        "{\"stop_match_count\": \"all\", \"tonics\": {"
        "\"ClientTonic\": {\"till_state_in\": [\"authenticated\"]},"
        "\"NoSuchTonic\": {\"till_state_in\": [\"x\"]}}}");
    tt_sparkle_args args = {.contract = c};
    const tt_run *run;

    (void)state;
    post(tonic(cat, "ClientTonic"), "ttsc__connect", NULL, 0);
    run = sparkle(cat, &args);
    assert_stops(run, 1, "idle");
    assert_false(tt_run_contract_met(run, NULL, NULL));
    assert_string_equal(tt_tonic_state_name(tonic(cat, "ClientTonic")), "authenticated");
    tt_contract_free(c);
    tt_catalyst_free(cat);
}

/* Seed text: probes at enter and exit of the last sparkle of a run. */
static void test_probes_of_last_sparkle(void **state)
{
    tt_catalyst *cat = client_server_started();
    tt_contract *c = contract(
        "{\"tonics\": {\"ClientTonic\": {\"probes\": [\"retry_attempts\"]}}}");
    tt_sparkle_args args = {.sparkle_count = 1, .contract = c};
    const tt_run *run;
    const tt_trace_entry *last;
    json_t *root, *jlast;

    (void)state;
    post(tonic(cat, "ClientTonic"), "ttsc__retry", NULL, 0);
    run = sparkle(cat, &args);
    last = tt_trace_get(cat, tt_run_first_seq(run) + tt_run_entry_count(run) - 1);
    assert_non_null(last);
    assert_entry(cat, last, "ClientTonic.ttsc__retry");
    assert_int_equal(probe_int(tt_entry_probes_enter(last), "retry_attempts"), 0);
    assert_int_equal(probe_int(tt_entry_probes_exit(last), "retry_attempts"), 1);

    /* The same through the JSON dictionary: trace['sparkle_trace'][-1]. */
    root = run_json(cat, run, 0);
    jlast = json_array_get(json_object_get(root, "sparkle_trace"),
                           json_array_size(json_object_get(root, "sparkle_trace")) - 1);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(
                         json_object_get(jlast, "at_enter"), "probes"), "retry_attempts")), 0);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(
                         json_object_get(jlast, "at_exit"), "probes"), "retry_attempts")), 1);
    json_decref(root);
    tt_contract_free(c);
    tt_catalyst_free(cat);
}

/* ======================================================================= */
/* Tests: profiling                                                        */
/* ======================================================================= */

/* One profiling run: small sparkles around one giant; returns whether the
 * longest entry (by t_exit - t_enter, and by the JSON '@' stamps) is the
 * giant.  The hard facts (entry count, stamps present and ordered) are
 * asserted. */
static bool giant_found(void)
{
    tt_catalyst *cat = new_distiller(parser_formula);
    tt_tonic *parser = tonic(cat, "Parser");
    tt_sparkle_args until = {.till_state_in = "done"};
    const tt_run *run;
    const tt_trace_entry *giant = NULL;
    double longest = -1.0, jlongest = -1.0;
    const char *jgiant = NULL;
    json_t *root, *e;
    bool found;
    size_t i;

    sparkle(cat, NULL);
    for (int k = 0; k < 5; k++)
        post(parser, "ttsc__tokenize", NULL, 0);
    post(parser, "ttsc__parse_xml", &TT_INT(GIANT_WORK), 1);
    for (int k = 0; k < 5; k++)
        post(parser, "ttsc__tokenize", NULL, 0);
    post(parser, "ttsc__wrap_up", NULL, 0);
    run = sparkle(cat, &until);
    assert_true(stopped_for(run, "state_trigger: [done]"));
    assert_int_equal(tt_run_entry_count(run), 5 + 1 + 5 + 1 + 3);

    for (uint64_t k = 0; k < tt_run_entry_count(run); k++) {
        const tt_trace_entry *x = entry(cat, run, k);
        double d = tt_entry_t_exit(x) - x->t_enter;

        assert_true(d >= 0.0);
        if (d > longest) {
            longest = d;
            giant = x;
        }
    }
    printf("# longest sparkle: %s took %.3f ms\n", tt_entry_sparkle_name(cat, giant),
           longest * 1000.0);

    /* The seed text's loop, over the JSON dictionary's '@' stamps. */
    root = run_json(cat, run, 0);
    json_array_foreach(json_object_get(root, "sparkle_trace"), i, e) {
        const json_t *t0 = json_object_get(json_object_get(e, "at_enter"), "@");
        const json_t *t1 = json_object_get(json_object_get(e, "at_exit"), "@");

        assert_true(json_is_number(t0) && json_is_number(t1));
        assert_true(json_number_value(t1) >= json_number_value(t0));
        if (json_number_value(t1) - json_number_value(t0) > jlongest) {
            jlongest = json_number_value(t1) - json_number_value(t0);
            jgiant = json_string_value(json_object_get(e, "sparkle"));
        }
    }
    found = strcmp(tt_entry_sparkle_name(cat, giant), "ttsc__parse_xml") == 0 &&
            jgiant && strcmp(jgiant, "ttsc__parse_xml") == 0;
    json_decref(root);
    tt_catalyst_free(cat);
    return found;
}

/* Seed text: find the "giant sparkle" from the at_enter/at_exit times.
 * A small sparkle can be descheduled for longer than the giant runs on a
 * loaded machine, so a miss is retried; a real fault misses every time. */
static void test_giant_sparkle(void **state)
{
    int attempt = 0;

    (void)state;
    while (!giant_found())
        if (++attempt == 3)
            fail_msg("the longest sparkle was not the giant one in 3 runs");
}

/* ======================================================================= */
/* Tests: hierarchies                                                      */
/* ======================================================================= */

/* Seed text: mock the infusion and inject its event into the parent. */
static void test_mock_infusion(void **state)
{
    tt_catalyst *cat = new_distiller(gateway_mock_formula);
    tt_tonic *gw = tonic(cat, "Gateway");
    tt_sparkle_args one = {.sparkle_count = 1};
    const tt_run *run;
    const tt_trace_entry *e;

    (void)state;
    run = sparkle(cat, NULL);
    assert_stops(run, 1, "idle");
    assert_string_equal(tt_tonic_class_name(tonic(cat, "Net")), "MockNet");
    assert_ptr_equal(tt_tonic_base(tonic(cat, "Net")), gw);
    assert_string_equal(tt_tonic_state_name(gw), "waiting");

    /* We are the test; we pretend the child received data. */
    post(gw, "ttse__on_network_data", &TT_STR("ok"), 1);
    run = sparkle(cat, &one);
    e = entry(cat, run, 0);
    assert_entry(cat, e, "Gateway.ttse__on_network_data");
    assert_string_equal(e->args[0].u.s, "ok");
    assert_null(tt_entry_source_name(cat, e));
    assert_int_equal(e->src_id, -1);
    assert_string_equal(tt_tonic_state_name(gw), "processing_data");
    assert_int_equal(TT_DATA(gateway_data, gw)->messages, 1);
    tt_catalyst_free(cat);

    /* The same parent with its real infusion gets there by itself. */
    tt_sparkle_args until = {.till_state_in = "processing_data"};

    cat = new_distiller(gateway_real_formula);
    run = sparkle(cat, &until);
    assert_true(stopped_for(run, "state_trigger: [processing_data]"));
    gw = tonic(cat, "Gateway");
    assert_string_equal(tt_tonic_state_name(gw), "processing_data");
    for (uint64_t k = 0; k < tt_run_entry_count(run); k++) {
        e = entry(cat, run, k);
        if (strcmp(tt_entry_sparkle_name(cat, e), "ttse__on_network_data") == 0) {
            assert_string_equal(tt_entry_source_name(cat, e), "Net");
            assert_string_equal(tt_entry_source_sparkle(cat, e), "ttse__on_timer");
            break;
        }
    }
    tt_catalyst_free(cat);
}

/* Seed text: a high-level command on the parent, then 50 sparkles of the
 * whole tree: commands flow down, events bubble up, in order. */
static void test_hierarchy_fifty(void **state)
{
    tt_catalyst *cat = new_distiller(boss_formula);
    tt_tonic *boss = tonic(cat, "Boss");
    tt_contract *c = contract("{\"probes\": [\"results\", \"jobs\"]}");
    tt_sparkle_args fifty = {.sparkle_count = 50, .contract = c};
    const tt_run *run;
    uint64_t n, down = 0, up = 0, first;

    (void)state;
    run = sparkle(cat, NULL);
    assert_stops(run, 1, "idle");
    assert_int_equal(tt_tonic_infusion_count(boss), 2);

    post(boss, "ttsc__kick", NULL, 0);
    run = sparkle(cat, &fifty);
    assert_stops(run, 1, "sparkle_count");
    n = tt_run_entry_count(run);
    assert_true(n >= 50);
    first = tt_run_first_seq(run);
    assert_entry(cat, entry(cat, run, 0), "Boss.ttsc__kick");
    assert_null(tt_entry_source_name(cat, entry(cat, run, 0)));
    /* Every later entry was queued by an earlier entry of this run. */
    for (uint64_t k = 1; k < n; k++) {
        const tt_trace_entry *e = entry(cat, run, k);
        const char *sp = tt_entry_sparkle_name(cat, e);
        bool found = false;

        for (uint64_t j = 0; j < k && !found; j++) {
            const tt_trace_entry *s = entry(cat, run, j);

            found = strcmp(tt_entry_tonic_name(cat, s), tt_entry_source_name(cat, e)) == 0 &&
                    strcmp(tt_entry_sparkle_name(cat, s), tt_entry_source_sparkle(cat, e)) == 0;
        }
        assert_true(found);
        if (strcmp(sp, "ttsc__work") == 0) {
            down++;
            assert_string_equal(tt_entry_source_name(cat, e), "Boss");
            assert_ptr_equal(tt_tonic_base(tt_tonic_at(cat, e->tonic)), boss);
        } else {
            assert_string_equal(sp, "ttse__on_result");
            assert_entry(cat, e, "Boss.ttse__on_result");
            up++;
            assert_int_equal(probe_int(tt_entry_probes_exit(e), "results"),
                             probe_int(tt_entry_probes_enter(e), "results") + 1);
        }
    }
    assert_true(down >= 20);
    assert_true(up >= 20);
    assert_int_equal(TT_DATA(boss_data, boss)->results, (int64_t)up);

    /* It keeps running: the next 50 continue where the last run stopped. */
    run = sparkle(cat, &fifty);
    assert_int_equal(tt_run_first_seq(run), first + n);
    assert_true(tt_run_entry_count(run) >= 50);
    assert_int_equal(tt_run_count(cat), 3);
    tt_contract_free(c);
    tt_catalyst_free(cat);
}

/* ======================================================================= */
/* Tests: virtual time                                                     */
/* ======================================================================= */

/* A 10-second timer fires at once in virtual time, at vt 10. */
static void test_virtual_time_timer(void **state)
{
    tt_catalyst *cat;
    tt_sparkle_args until = {.till_sparkle_in = "ttse__on_timer"};
    const tt_run *run;
    const tt_trace_entry *e;
    double t0 = wall_now();
    json_t *root, *je;
    uint64_t n;

    (void)state;
    cat = new_distiller(alarm_formula);
    run = sparkle(cat, &until);
    assert_stops(run, 1, "sparkle_trigger: [ttse__on_timer]");
    n = tt_run_entry_count(run);
    e = entry(cat, run, n - 1);
    assert_entry(cat, e, "Alarm.ttse__on_timer");
    assert_true(fabs(e->vt - 10.0) < 1e-9);
    assert_true(fabs(entry(cat, run, 0)->vt) < 1e-9);
    assert_true(tt_catalyst_now(cat) >= 10.0 - 1e-9);
    assert_true(wall_now() - t0 < 5.0); /* it did not wait 10 s */
    assert_string_equal(tt_entry_source_name(cat, e), "02.ttTimerSingleShot");
    assert_string_equal(tt_entry_source_sparkle(cat, e), "expired");

    /* The "vt" extension of the JSON entry says the same. */
    root = run_json(cat, run, TT_JSON_EXTENSIONS);
    je = json_array_get(json_object_get(root, "sparkle_trace"), n - 1);
    assert_true(fabs(json_number_value(json_object_get(je, "vt")) - 10.0) < 1e-9);
    json_decref(root);

    /* The single shot is done: nothing can happen any more. */
    run = sparkle(cat, NULL);
    assert_stops(run, 1, "idle");
    assert_int_equal(TT_DATA(alarm_data, tonic(cat, "Alarm"))->fired, 1);
    tt_catalyst_free(cat);
}

/* `timeout` is in virtual seconds; a repeating timer beats once a second. */
static void test_virtual_timeout(void **state)
{
    tt_catalyst *cat = new_distiller(metronome_formula);
    tt_sparkle_args startup = {.sparkle_count = 5};
    tt_sparkle_args wait = {.timeout = 3.5};
    tt_sparkle_args more = {.timeout = 1.2};
    const tt_run *run;
    int beats = 0;
    double start;

    (void)state;
    sparkle(cat, &startup);
    start = tt_catalyst_now(cat);
    run = sparkle(cat, &wait);
    assert_stops(run, 1, "timeout");
    for (uint64_t k = 0; k < tt_run_entry_count(run); k++) {
        const tt_trace_entry *e = entry(cat, run, k);

        if (strcmp(tt_entry_sparkle_name(cat, e), "ttse__on_beat") == 0) {
            beats++;
            assert_true(fabs(e->vt - (start + beats)) < 1e-9);
        }
    }
    assert_int_equal(beats, 3);
    assert_true(tt_run_vt_end(run) - tt_run_vt_start(run) <= 3.5 + 1e-9);
    assert_true(tt_run_vt_end(run) - tt_run_vt_start(run) >= 3.0 - 1e-9);

    run = sparkle(cat, &more);
    assert_stops(run, 1, "timeout");
    assert_int_equal(tt_run_entry_count(run), 1);
    assert_true(fabs(entry(cat, run, 0)->vt - (start + 4.0)) < 1e-9);
    tt_catalyst_free(cat);
}

/* Virtual time moved by hand queues what comes due, and runs nothing. */
static void test_advance_by_hand(void **state)
{
    tt_catalyst *cat = new_distiller(alarm_formula);
    tt_sparkle_args startup = {.sparkle_count = 5};
    tt_sparkle_args one = {.sparkle_count = 1};
    tt_order_view ov;
    const tt_run *run;

    (void)state;
    run = sparkle(cat, &startup);
    assert_int_equal(tt_run_entry_count(run), 5);
    assert_int_equal(tt_queue_length(cat), 0);
    assert_int_equal(tt_distiller_advance(cat, 9.0), 0);
    assert_int_equal(tt_queue_length(cat), 0);
    assert_int_equal(tt_distiller_advance(cat, 1.0), 0);
    assert_true(tt_queue_length(cat) >= 1);
    assert_int_equal(tt_queue_at(cat, 0, &ov), 0);
    assert_string_equal(tt_tonic_name(ov.tonic), "Alarm");
    assert_string_equal(ov.sparkle, "ttse__on_timer");
    assert_int_equal(TT_DATA(alarm_data, tonic(cat, "Alarm"))->fired, 0);

    run = sparkle(cat, &one);
    assert_entry(cat, entry(cat, run, 0), "Alarm.ttse__on_timer");
    assert_true(fabs(entry(cat, run, 0)->vt - 10.0) < 1e-9);
    assert_int_equal(TT_DATA(alarm_data, tonic(cat, "Alarm"))->fired, 1);
    tt_catalyst_free(cat);
}

/* ======================================================================= */
/* Tests: strict contracts                                                 */
/* ======================================================================= */

/* Parse `json`, expect failure mentioning every word of `needles` (NULL
 * terminated), at `line` (0 = do not check). */
static void expect_contract_error(const char *json, int line, ...)
{
    tt_contract *c = NULL;
    tt_error err;
    va_list ap;
    const char *needle;
    int rc;

    memset(&err, 0, sizeof err);
    rc = tt_contract_parse(json, "contract.json", &c, &err);
    if (rc == 0) {
        tt_contract_free(c);
        fail_msg("contract %s was accepted", json);
    }
    assert_true(rc < 0);
    assert_int_equal(err.code, rc);
    assert_null(strchr(err.msg, '\n'));
    printf("# ");
    for (const char *p = json; *p; p++)
        fputs(*p == '\n' ? "\\n" : (char[]){*p, 0}, stdout);
    printf(" -> %s\n", err.msg);
    va_start(ap, line);
    while ((needle = va_arg(ap, const char *)) != NULL)
        if (!strstr(err.msg, needle))
            fail_msg("error '%s' does not mention '%s'", err.msg, needle);
    va_end(ap);
    if (line)
        assert_int_equal(err.line, line);
}

/* A typo such as till_states_in is an error with a suggestion, never a
 * contract that silently never stops. */
static void test_contract_strict(void **state)
{
    (void)state;
    expect_contract_error("{\"till_states_in\": [\"open\"]}", 1, "till_states_in",
                          "till_state_in", NULL);
    expect_contract_error("{\n  \"timeout\": 1.0,\n  \"stop_match_cnt\": 1\n}", 3,
                          "stop_match_cnt", "stop_match_count", NULL);
    expect_contract_error("{\"tonics\": {\"Door\": {\"prob\": [\"events\"]}}}", 1, "prob",
                          "probes", NULL);
    expect_contract_error("{\"timeout\": \"soon\"}", 1, "timeout", NULL);
    expect_contract_error("{\"stop_match_count\": \"most\"}", 1, "stop_match_count", NULL);
    expect_contract_error("{\"probes\": \"events\"", 1, "contract.json", NULL);
}

/* Every example, one test each. */
/* A step hook that stops nothing: with one set, every sparkle goes through
 * the Distiller's general loop instead of its fast path. */
static const char *no_stop(void *ud, tt_catalyst *cat, uint64_t seq)
{
    (void)ud, (void)cat, (void)seq;
    return NULL;
}

/* The mixer script, through the fast path or (general) the general loop
 * only, with contract c (probes) or none; its runs in runs[] (at most 16),
 * their number returned. */
static size_t mixer_script(tt_catalyst *cat, bool general, const tt_contract *c,
                           const tt_run **runs)
{
    size_t n = 0;
    tt_sparkle_args count7 = {.sparkle_count = 7, .contract = c};
    tt_sparkle_args brief = {.timeout = 1.2, .contract = c};
    tt_sparkle_args at_say = {.till_sparkle_in = "ttsc__say", .contract = c};

    if (general)
        tt_distiller_set_hook(cat, no_stop, NULL);
    runs[n++] = sparkle(cat, &brief);
    post(tonic(cat, "Mixer"), "ttsc__mix", (tt_value[]){TT_STR("m"), TT_INT(40), TT_DOUBLE(1)},
         3);
    post(tonic(cat, "Job"), "ttsc__go", (tt_value[]){TT_INT(30)}, 1);
    runs[n++] = sparkle(cat, &count7);
    runs[n++] = sparkle(cat, &at_say);
    tt_distiller_set_stop_on_error(cat, true);
    runs[n++] = sparkle(cat, &brief);
    runs[n++] = sparkle(cat, &brief);
    tt_distiller_set_stop_on_error(cat, false);
    for (int i = 0; i < 4; i++)
        runs[n++] = sparkle(cat, &count7);
    runs[n++] = sparkle(cat, &brief);
    runs[n++] = sparkle(cat, &brief);
    return n;
}

/* Two probe snapshots alike (NULL or the same keys and values). */
static void assert_same_probes(const tt_map *x, const tt_map *y)
{
    assert_true((x == NULL) == (y == NULL));
    if (!x)
        return;
    assert_int_equal(x->n, y->n);
    for (size_t i = 0; i < x->n; i++) {
        assert_string_equal(x->keys[i], y->keys[i]);
        assert_true(tt_value_equal(&x->vals[i], &y->vals[i]));
    }
}

/* Two entries alike in everything but their clock readings. */
static void assert_same_entry(tt_catalyst *a, const tt_trace_entry *x, tt_catalyst *b,
                              const tt_trace_entry *y)
{
    char wx[200], wy[200];

    what(a, x, wx, sizeof wx);
    what(b, y, wy, sizeof wy);
    assert_string_equal(wx, wy);
    assert_int_equal(tt_entry_seq(x), tt_entry_seq(y));
    assert_int_equal(x->id, y->id);
    assert_int_equal(x->tonic, y->tonic);
    assert_int_equal(x->sparkle, y->sparkle);
    assert_int_equal(x->src_id, y->src_id);
    assert_int_equal(x->src_obj, y->src_obj);
    assert_int_equal(x->src_sparkle, y->src_sparkle);
    assert_int_equal(x->state_enter, y->state_enter);
    assert_int_equal(x->state_exit, y->state_exit);
    assert_int_equal(x->flags, y->flags);
    assert_int_equal(x->nargs, y->nargs);
    assert_int_equal(tt_entry_cause(x), tt_entry_cause(y));
    assert_true(x->vt == y->vt);
    assert_true(tt_entry_t_exit(x) >= x->t_enter);
    assert_true(tt_entry_t_exit(y) >= y->t_enter);
    assert_true((x->args == NULL) == (y->args == NULL));
    assert_same_probes(tt_entry_probes_enter(x), tt_entry_probes_enter(y));
    assert_same_probes(tt_entry_probes_exit(x), tt_entry_probes_exit(y));
    for (size_t i = 0; i < x->nargs; i++) {
        char ax[200], ay[200];

        /* as the JSON shows them (a timer info or tonic is its own
         * catalyst's: equal in what it says, not by address) */
        tt_value_to_text(&x->args[i], ax, sizeof ax);
        tt_value_to_text(&y->args[i], ay, sizeof ay);
        assert_string_equal(ax, ay);
        assert_int_equal(x->args[i].type, y->args[i].type);
    }
}

/* The fast path writes what the general loop writes: every entry, cause,
 * argument (strings, three arguments, timer infos), state, flag (extras,
 * notes, errors), probe snapshot and stop of a script with counts,
 * timeouts, triggers, a stop on error and a finish; without a contract and
 * with one that takes probes (a global list and a tonic's own). */
static void fast_path_same_trace(const char *contract_json)
{
    const tt_run *fr[16], *gr[16];
    tt_contract *c = contract_json ? contract(contract_json) : NULL;
    tt_catalyst *fast = new_distiller(mixer_formula);
    tt_catalyst *gen = new_distiller(mixer_formula);
    size_t nf = mixer_script(fast, false, c, fr);
    size_t ng = mixer_script(gen, true, c, gr);
    bool stopped_on_error = false, probed = false;

    assert_int_equal(nf, ng);
    for (size_t i = 0; i < nf; i++) {
        assert_int_equal(tt_run_first_seq(fr[i]), tt_run_first_seq(gr[i]));
        assert_int_equal(tt_run_entry_count(fr[i]), tt_run_entry_count(gr[i]));
        assert_int_equal(tt_run_stop_count(fr[i]), tt_run_stop_count(gr[i]));
        for (size_t j = 0; j < tt_run_stop_count(fr[i]); j++) {
            assert_string_equal(tt_run_stop_at(fr[i], j), tt_run_stop_at(gr[i], j));
            stopped_on_error |= strncmp(tt_run_stop_at(fr[i], j), "error: ", 7) == 0;
        }
        for (uint64_t k = 0; k < tt_run_entry_count(fr[i]); k++) {
            assert_same_entry(fast, entry(fast, fr[i], k), gen, entry(gen, gr[i], k));
            probed |= tt_entry_probes_exit(entry(fast, fr[i], k)) != NULL;
        }
    }
    assert_true(stopped_on_error);
    assert_true(probed == (c != NULL));
    assert_int_equal(tt_trace_last_seq(fast), tt_trace_last_seq(gen));
    assert_true(tt_trace_last_seq(fast) > 150);
    tt_catalyst_free(fast);
    tt_catalyst_free(gen);
    tt_contract_free(c);
}

static void test_fast_path_same_trace(void **state)
{
    (void)state;
    fast_path_same_trace(NULL);
    fast_path_same_trace("{\"probes\": [\"mixed\"], "
                         "\"tonics\": {\"Job\": {\"probes\": [\"steps_done\"]}}}");
}

/* --- arguments across many chunks -------------------------------------
 *
 * The arguments and probe snapshots of consecutive chunks of the trace
 * share arena regions (trace.c): a chunk takes a region's free part and
 * gives back what it did not use when the next one needs space.  A chain
 * whose sparkles take one to four arguments, with values that tell their
 * own place, over several chunks of 65,536 entries: every kept entry must
 * still hold its own values, with a full trace, a ring, and after a
 * checkpoint cut the trace back and the run went on. */

typedef struct spread {
    int64_t n;
} spread;

static void spread_next(tt_tonic *self, int64_t n)
{
    TT_DATA(spread, self)->n = n;
    if (n <= 0)
        tt_finish(self);
    else if (n % 7 == 3)
        tt_send(self, "ttsc__four", TT_INT(n - 1), TT_INT(n * 3), TT_INT(-n), TT_INT(n ^ 0x55));
    else if (n % 5 == 1)
        tt_send(self, "ttsc__two", TT_INT(n - 1), TT_INT(n * 3));
    else
        tt_send(self, "ttsc__one", TT_INT(n - 1));
}
static void Spread_ttsc__one(tt_tonic *self, int64_t n) { spread_next(self, n); }
static void Spread_ttsc__two(tt_tonic *self, int64_t n, int64_t a)
{
    assert_true(a == (n + 1) * 3);
    spread_next(self, n);
}
static void Spread_ttsc__four(tt_tonic *self, int64_t n, int64_t a, int64_t b, int64_t c)
{
    assert_true(a == (n + 1) * 3 && b == -(n + 1) && c == ((n + 1) ^ 0x55));
    spread_next(self, n);
}
static const tt_handler spread_handlers[] = {
    TT_ON(Spread, ttsc__one, int64_t),
    TT_ON(Spread, ttsc__two, int64_t, int64_t),
    TT_ON(Spread, ttsc__four, int64_t, int64_t, int64_t, int64_t),
};
static const tt_probe_def spread_probes[] = {TT_PROBE(spread, n)};
static const tt_class Spread_class = {
    .name = "Spread",
    .data_size = sizeof(spread),
    .handlers = spread_handlers,
    .n_handlers = TT_COUNTOF(spread_handlers),
    .probes = spread_probes,
    .n_probes = TT_COUNTOF(spread_probes),
};

/* Every kept entry of the chain started with n0 holds its own values, and
 * its exit snapshot from seq probe_from on (0: none), none before. */
static void spread_check(tt_catalyst *cat, int64_t n0, uint64_t seq0, uint64_t probe_from)
{
    uint64_t first = tt_trace_first_seq(cat), last = tt_trace_last_seq(cat);
    if (last > seq0 + (uint64_t)n0)
        last = seq0 + (uint64_t)n0; /* the finish follows */
    size_t checked = 0;
    for (uint64_t s = first > seq0 ? first : seq0; s <= last; s++) {
        const tt_trace_entry *e = tt_trace_get(cat, s);
        assert_non_null(e);
        int64_t n = n0 - (int64_t)(s - seq0) + 1; /* the value it was posted with + 1 */
        assert_true(e->nargs >= 1 && e->args != NULL);
        if (e->args[0].u.i != n - 1)
            fail_msg("entry #%llu: n %lld, expected %lld", (unsigned long long)s,
                     (long long)e->args[0].u.i, (long long)(n - 1));
        int want = n % 7 == 3 ? 4 : n % 5 == 1 ? 2 : 1;
        if (s == seq0)
            want = 1; /* the first post */
        assert_int_equal(e->nargs, want);
        if (want >= 2)
            assert_true(e->args[1].u.i == n * 3);
        if (want == 4)
            assert_true(e->args[2].u.i == -n && e->args[3].u.i == (n ^ 0x55));
        if (probe_from && s >= probe_from) {
            const tt_map *m = tt_entry_probes_exit(e);
            assert_non_null(m);
            assert_true(m->n == 1 && m->vals[0].u.i == n - 1);
        } else if (tt_entry_probes_enter(e) || tt_entry_probes_exit(e)) {
            fail_msg("entry #%llu has a snapshot", (unsigned long long)s);
        }
        checked++;
    }
    assert_true(checked > 0);
}

static void arena_chain(size_t ring, bool probes, bool cut)
{
    const int64_t n0 = 150000; /* three chunks of entries */
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER, .trace_ring = ring};
    tt_catalyst *cat = NULL;
    assert_int_equal(tt_catalyst_new(&cat, &o), 0);
    tt_tonic *t = tt_tonic_new(cat, &Spread_class, "Spread", NULL);
    assert_non_null(t);
    tt_contract *c = NULL;
    if (probes) {
        c = tt_contract_new();
        assert_int_equal(tt_contract_add_probe(c, NULL, "n"), 0);
    }
    const tt_run *r = NULL;
    assert_int_equal(tt_distiller_sparkle(cat, NULL, &r), 0); /* its start-up */
    uint64_t seq0 = tt_trace_last_seq(cat) + 1;
    assert_int_equal(tt_send(t, "ttsc__one", TT_INT(n0)), 0);
    tt_sparkle_args a = {.contract = c};
    uint64_t probe_from = probes ? seq0 : 0;
    if (probes && !cut) {
        /* the contract from the middle of a piece of the snapshot table on:
         * the entries before it have none */
        tt_sparkle_args part = {.sparkle_count = 100001};
        assert_int_equal(tt_distiller_sparkle(cat, &part, &r), 0);
        probe_from = tt_trace_last_seq(cat) + 1;
    }
    if (cut) {
        /* run to just past a chunk's start, keep a checkpoint, run on, go
         * back to it and run to the end */
        tt_sparkle_args part = {.contract = c, .sparkle_count = 65536 + 1000};
        assert_int_equal(tt_distiller_sparkle(cat, &part, &r), 0);
        tt_checkpoint *ck = NULL;
        assert_int_equal(tt_checkpoint_take(cat, NULL, &ck), 0);
        part.sparkle_count = 70000;
        assert_int_equal(tt_distiller_sparkle(cat, &part, &r), 0);
        assert_int_equal(tt_checkpoint_restore(cat, ck), 0);
        tt_checkpoint_free(ck);
    }
    assert_int_equal(tt_distiller_sparkle(cat, &a, &r), 0);
    assert_true(tt_trace_last_seq(cat) >= seq0 + (uint64_t)n0);
    spread_check(cat, n0, seq0, probe_from);
    tt_contract_free(c);
    tt_catalyst_free(cat);
}

static void test_arena_across_chunks(void **state)
{
    (void)state;
    arena_chain(0, false, false);
    arena_chain(0, true, false);
    arena_chain(70000, false, false);
    arena_chain(70000, true, false);
    arena_chain(0, false, true);
    arena_chain(0, true, true);
}

/* What the trace reports holding after a checkpoint cut it back does not
 * depend on what ran between: going back from a chunk that took arena space
 * last (it ran on after an earlier going back, with snapshots) counts the
 * space it did not use once, not twice. */
static size_t memory_after_going_back(bool run_on)
{
    tt_catalyst_options o = {.mode = TT_MODE_DISTILLER};
    tt_catalyst *cat = NULL;
    assert_int_equal(tt_catalyst_new(&cat, &o), 0);
    tt_tonic *t = tt_tonic_new(cat, &Spread_class, "Spread", NULL);
    assert_non_null(t);
    const tt_run *r = NULL;
    assert_int_equal(tt_distiller_sparkle(cat, NULL, &r), 0);
    assert_int_equal(tt_send(t, "ttsc__one", TT_INT(300000)), 0);
    tt_sparkle_args part = {.sparkle_count = 1000};
    assert_int_equal(tt_distiller_sparkle(cat, &part, &r), 0);
    tt_checkpoint *ck0 = NULL, *ck1 = NULL;
    assert_int_equal(tt_checkpoint_take(cat, NULL, &ck0), 0); /* in the first chunk */
    part.sparkle_count = 65536;
    assert_int_equal(tt_distiller_sparkle(cat, &part, &r), 0);
    assert_int_equal(tt_checkpoint_take(cat, NULL, &ck1), 0); /* in the second */
    part.sparkle_count = 70000;
    assert_int_equal(tt_distiller_sparkle(cat, &part, &r), 0); /* into the third */
    assert_int_equal(tt_checkpoint_restore(cat, ck1), 0);      /* the third is kept spare */
    tt_contract *c = tt_contract_new();
    assert_int_equal(tt_contract_add_probe(c, NULL, "n"), 0);
    if (run_on) {
        /* the second chunk runs on with snapshots: more space than before */
        tt_sparkle_args more = {.contract = c, .sparkle_count = 30001};
        assert_int_equal(tt_distiller_sparkle(cat, &more, &r), 0);
    }
    assert_int_equal(tt_checkpoint_restore(cat, ck0), 0);
    size_t bytes = tt_trace_memory(cat);
    tt_checkpoint_free(ck1);
    tt_checkpoint_free(ck0);
    tt_contract_free(c);
    tt_catalyst_free(cat);
    return bytes;
}

static void test_arena_memory_after_cut(void **state)
{
    (void)state;
    size_t plain = memory_after_going_back(false), ran_on = memory_after_going_back(true);
    if (plain != ran_on)
        fail_msg("after going back: %zu bytes, %zu when the chunk cut off ran on first", plain,
                 ran_on);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idle_after_startup),
        cmocka_unit_test(test_step_one_and_five),
        cmocka_unit_test(test_step_never_splits_a_transition),
        cmocka_unit_test(test_till_state_in),
        cmocka_unit_test(test_till_sparkle_in),
        cmocka_unit_test(test_contract_all),
        cmocka_unit_test(test_contract_all_built_in_c),
        cmocka_unit_test(test_contract_match_one),
        cmocka_unit_test(test_contract_all_unreachable),
        cmocka_unit_test(test_probes_of_last_sparkle),
        cmocka_unit_test(test_giant_sparkle),
        cmocka_unit_test(test_mock_infusion),
        cmocka_unit_test(test_hierarchy_fifty),
        cmocka_unit_test(test_virtual_time_timer),
        cmocka_unit_test(test_virtual_timeout),
        cmocka_unit_test(test_advance_by_hand),
        cmocka_unit_test(test_contract_strict),
        cmocka_unit_test(test_order_hook),
        cmocka_unit_test(test_fast_path_same_trace),
        cmocka_unit_test(test_arena_across_chunks),
        cmocka_unit_test(test_arena_memory_after_cut),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
