/*
 * handshake.c: a client that retries until a slow server accepts it.
 *
 * This is the integration example of the Distiller documentation: run until
 * the client is `connected` AND the server counts exactly one connection
 * (examples/handshake-contract.json).
 *
 * ServerTonic boots for BOOT_S seconds (state `booting`, a single-shot timer
 * named "boot"); every connection attempt during that time is refused.  Then
 * it is `listening` and accepts: active_connections goes up by one and the
 * client is told `ttse__on_accepted`.
 *
 * ClientTonic enters `connecting` at start-up and asks the server at once.
 * When refused it starts a single-shot timer named "retry" (RETRY_S seconds)
 * and asks again when it fires, counting retry_attempts, until it is accepted
 * and enters `connected`.  `ttsc__drop_connection` simulates a lost link: the
 * client tells the server, goes `disconnected`, and reconnects after RETRY_S.
 *
 * With the defaults the virtual timeline is: attempt at 0 s (refused), retries
 * at 0.5 s and 1.0 s (refused), the server listens at 1.2 s, the retry at 1.5 s
 * is accepted: retry_attempts == 3, active_connections == 1.
 */
#include <stdbool.h>
#include <stdint.h>

#include "tasktonic.h"

#define BOOT_S 1.2  /* how long the server refuses connections */
#define RETRY_S 0.5 /* how long the client waits before trying again */

/* ===================================================================== */
/* ServerTonic                                                           */
/* ===================================================================== */

typedef struct ServerTonic {
    int active_connections;  /* accepted and not dropped */
    int refused_connections; /* attempts refused while booting */
} ServerTonic;

/* Typed posters: the compiler checks the arguments of these sparkles. */
TT_SPARKLE(ServerTonic, ttsc__connect, tt_tonic *)
TT_SPARKLE(ServerTonic, ttsc__disconnect, tt_tonic *)
TT_SPARKLE(ClientTonic, ttse__on_accepted, tt_tonic *)
TT_SPARKLE(ClientTonic, ttse__on_refused)

/* Start-up: boot first. */
static void ServerTonic_ttse__on_start(tt_tonic *self)
{
    tt_to_state(self, "booting");
}

/* Booting: listen once the boot timer fires. */
static void ServerTonic_ttse_booting__on_enter(tt_tonic *self)
{
    tt_timer_new(self, TT_TIMER_SINGLE_SHOT, BOOT_S, "boot", "ttse__on_boot");
}

/* Boot complete. */
static void ServerTonic_ttse_booting__on_boot(tt_tonic *self,
                                              const tt_timer_info *info)
{
    (void)info;
    tt_to_state(self, "listening");
}

/* A connection attempt while booting: refused. */
static void ServerTonic_ttsc_booting__connect(tt_tonic *self, tt_tonic *client)
{
    ServerTonic *d = TT_DATA(ServerTonic, self);

    d->refused_connections++;
    ClientTonic_send_ttse__on_refused(client);
}

/* A connection attempt while listening: accepted. */
static void ServerTonic_ttsc_listening__connect(tt_tonic *self,
                                                tt_tonic *client)
{
    ServerTonic *d = TT_DATA(ServerTonic, self);

    d->active_connections++;
    ClientTonic_send_ttse__on_accepted(client, self);
}

/* A client hung up. */
static void ServerTonic_ttsc__disconnect(tt_tonic *self, tt_tonic *client)
{
    ServerTonic *d = TT_DATA(ServerTonic, self);

    (void)client;
    if (d->active_connections > 0)
        d->active_connections--;
}

static const tt_handler server_handlers[] = {
    TT_ON(ServerTonic, ttse__on_start),
    TT_ON(ServerTonic, ttse_booting__on_enter),
    TT_ON(ServerTonic, ttse_booting__on_boot, const tt_timer_info *),
    TT_ON(ServerTonic, ttsc_booting__connect, tt_tonic *),
    TT_ON(ServerTonic, ttsc_listening__connect, tt_tonic *),
    TT_ON(ServerTonic, ttsc__disconnect, tt_tonic *),
};

static const tt_probe_def server_probes[] = {
    TT_PROBE(ServerTonic, active_connections),
    TT_PROBE(ServerTonic, refused_connections),
};

static const tt_class ServerTonic_class = {
    .name = "ServerTonic",
    .data_size = sizeof(ServerTonic),
    .handlers = server_handlers,
    .n_handlers = TT_COUNTOF(server_handlers),
    .probes = server_probes,
    .n_probes = TT_COUNTOF(server_probes),
};

/* ===================================================================== */
/* ClientTonic                                                           */
/* ===================================================================== */

typedef struct ClientTonic {
    tt_tonic *server;   /* where to connect (set at creation) */
    int retry_attempts; /* connection attempts after the first */
} ClientTonic;

/* Creation: remember the server (the init argument). */
static void client_init(tt_tonic *self, void *arg)
{
    TT_DATA(ClientTonic, self)->server = arg;
}

/* Start-up: connect. */
static void ClientTonic_ttse__on_start(tt_tonic *self)
{
    tt_to_state(self, "connecting");
}

/* Connecting: ask the server. */
static void ClientTonic_ttse_connecting__on_enter(tt_tonic *self)
{
    ServerTonic_send_ttsc__connect(TT_DATA(ClientTonic, self)->server, self);
}

/* Refused: try again later (the state stays `connecting`). */
static void ClientTonic_ttse_connecting__on_refused(tt_tonic *self)
{
    tt_timer_new(self, TT_TIMER_SINGLE_SHOT, RETRY_S, "retry",
                 "ttse__on_retry");
}

/* Retry timer while connecting: ask again. */
static void ClientTonic_ttse_connecting__on_retry(tt_tonic *self,
                                                  const tt_timer_info *info)
{
    ClientTonic *d = TT_DATA(ClientTonic, self);

    (void)info;
    d->retry_attempts++;
    ServerTonic_send_ttsc__connect(d->server, self);
}

/* Retry timer after a dropped connection: connect again. */
static void ClientTonic_ttse_disconnected__on_retry(tt_tonic *self,
                                                    const tt_timer_info *info)
{
    (void)info;
    TT_DATA(ClientTonic, self)->retry_attempts++;
    tt_to_state(self, "connecting");
}

/* Accepted. */
static void ClientTonic_ttse_connecting__on_accepted(tt_tonic *self,
                                                     tt_tonic *server)
{
    (void)server;
    tt_to_state(self, "connected");
}

/* Simulate a lost link: tell the server, reconnect after a pause. */
static void ClientTonic_ttsc_connected__drop_connection(tt_tonic *self)
{
    ServerTonic_send_ttsc__disconnect(TT_DATA(ClientTonic, self)->server, self);
    tt_to_state(self, "disconnected");
}

/* Disconnected: wait, then connect again. */
static void ClientTonic_ttse_disconnected__on_enter(tt_tonic *self)
{
    tt_timer_new(self, TT_TIMER_SINGLE_SHOT, RETRY_S, "retry",
                 "ttse__on_retry");
}

static const tt_handler client_handlers[] = {
    TT_ON(ClientTonic, ttse__on_start),
    TT_ON(ClientTonic, ttse_connecting__on_enter),
    TT_ON(ClientTonic, ttse_connecting__on_refused),
    TT_ON(ClientTonic, ttse_connecting__on_retry, const tt_timer_info *),
    TT_ON(ClientTonic, ttse_disconnected__on_retry, const tt_timer_info *),
    TT_ON(ClientTonic, ttse_connecting__on_accepted, tt_tonic *),
    TT_ON(ClientTonic, ttsc_connected__drop_connection),
    TT_ON(ClientTonic, ttse_disconnected__on_enter),
};

static const tt_probe_def client_probes[] = {
    TT_PROBE(ClientTonic, retry_attempts),
    TT_PROBE(ClientTonic, server),
};

static const tt_class ClientTonic_class = {
    .name = "ClientTonic",
    .data_size = sizeof(ClientTonic),
    .init = client_init,
    .handlers = client_handlers,
    .n_handlers = TT_COUNTOF(client_handlers),
    .probes = client_probes,
    .n_probes = TT_COUNTOF(client_probes),
};

/* The app: the server first (id 1), then the client (id 2). */
TT_FORMULA(cat)
{
    tt_tonic *server = tt_tonic_new(cat, &ServerTonic_class, "ServerTonic", NULL);

    if (!server)
        return -TT_EFORMULA;
    if (!tt_tonic_new(cat, &ClientTonic_class, "ClientTonic", server))
        return -TT_EFORMULA;
    return 0;
}
