/*
 * traffic_light.c: a traffic light, the first app to open in ttdb.
 *
 * One tonic, `Light` (class TrafficLight), cycles red -> green -> yellow ->
 * red.  A repeat timer, "phase", ends the red and the green phase (PHASE_S
 * seconds each); entering yellow starts a single-shot timer, "yellow", that
 * ends the yellow phase (YELLOW_S seconds).  The phase timer is stopped
 * during yellow and restarted when red begins, so that every red phase lasts
 * a full period even when a pedestrian cut the green phase short.
 *
 * A pedestrian button, `ttsc__press_button`, is counted in every state; in
 * green it also switches to yellow at once (a state-specific handler beside
 * the generic one).  `ttsc__shutdown` finishes the light, which tears down its
 * timers and then the catalyst.
 *
 * Probes: cycles (completed red-green-yellow rounds), button_presses,
 * pedestrian_waiting (pressed, not yet served by a red phase) and the
 * computed walk ("WALK" while red, else "DONT WALK").
 *
 * In virtual time (the Distiller's default) a whole cycle takes microseconds,
 * and every run gives the same trace.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "tasktonic.h"

#define PHASE_S 10.0 /* length of the red and of the green phase */
#define YELLOW_S 3.0 /* length of the yellow phase */

typedef struct TrafficLight {
    int cycles;              /* completed red -> green -> yellow rounds */
    int button_presses;      /* every press of the pedestrian button */
    bool pedestrian_waiting; /* pressed, not yet served by a red phase */
    tt_timer *phase;         /* repeat timer ending red and green */
} TrafficLight;

/* Start-up: create the phase timer and go to red. */
static void TrafficLight_ttse__on_start(tt_tonic *self)
{
    TrafficLight *d = TT_DATA(TrafficLight, self);

    d->phase = tt_timer_new(self, TT_TIMER_REPEAT, PHASE_S, "phase",
                            "ttse__on_phase");
    tt_to_state(self, "red");
}

/* Red: pedestrians walk; the phase timer (re)starts counting from now. */
static void TrafficLight_ttse_red__on_enter(tt_tonic *self)
{
    TrafficLight *d = TT_DATA(TrafficLight, self);

    d->pedestrian_waiting = false;
    if (d->phase)
        tt_timer_restart(d->phase);
}

/* End of the red phase. */
static void TrafficLight_ttse_red__on_phase(tt_tonic *self,
                                            const tt_timer_info *info)
{
    (void)info;
    tt_to_state(self, "green");
}

/* End of the green phase. */
static void TrafficLight_ttse_green__on_phase(tt_tonic *self,
                                              const tt_timer_info *info)
{
    (void)info;
    tt_to_state(self, "yellow");
}

/* Yellow: the phase timer rests and a single-shot timer ends the phase. */
static void TrafficLight_ttse_yellow__on_enter(tt_tonic *self)
{
    TrafficLight *d = TT_DATA(TrafficLight, self);

    if (d->phase)
        tt_timer_stop(d->phase);
    tt_timer_new(self, TT_TIMER_SINGLE_SHOT, YELLOW_S, "yellow",
                 "ttse__on_yellow_done");
}

/* End of the yellow phase: one cycle complete, back to red. */
static void TrafficLight_ttse_yellow__on_yellow_done(tt_tonic *self,
                                                     const tt_timer_info *info)
{
    TrafficLight *d = TT_DATA(TrafficLight, self);

    (void)info;
    d->cycles++;
    tt_to_state(self, "red");
}

/* The pedestrian button in red or yellow: remember the request. */
static void TrafficLight_ttsc__press_button(tt_tonic *self)
{
    TrafficLight *d = TT_DATA(TrafficLight, self);

    d->button_presses++;
    d->pedestrian_waiting = true;
}

/* The pedestrian button in green: cut the green phase short. */
static void TrafficLight_ttsc_green__press_button(tt_tonic *self)
{
    TrafficLight *d = TT_DATA(TrafficLight, self);

    d->button_presses++;
    d->pedestrian_waiting = true;
    tt_to_state(self, "yellow");
}

/* Switch the light off: finishing it stops its timers and the catalyst. */
static void TrafficLight_ttsc__shutdown(tt_tonic *self)
{
    tt_finish(self);
}

/* Probe "walk": what the pedestrian signal shows. */
static bool traffic_light_walk(tt_tonic *self, tt_value *out)
{
    bool red = strcmp(tt_tonic_state_name(self), "red") == 0;
    tt_value v = TT_STR(red ? "WALK" : "DONT WALK");

    return tt_value_copy(out, &v) == 0;
}

static const tt_handler traffic_light_handlers[] = {
    TT_ON(TrafficLight, ttse__on_start),
    TT_ON(TrafficLight, ttse_red__on_enter),
    TT_ON(TrafficLight, ttse_red__on_phase, const tt_timer_info *),
    TT_ON(TrafficLight, ttse_green__on_phase, const tt_timer_info *),
    TT_ON(TrafficLight, ttse_yellow__on_enter),
    TT_ON(TrafficLight, ttse_yellow__on_yellow_done, const tt_timer_info *),
    TT_ON(TrafficLight, ttsc__press_button),
    TT_ON(TrafficLight, ttsc_green__press_button),
    TT_ON(TrafficLight, ttsc__shutdown),
};

static const tt_probe_def traffic_light_probes[] = {
    TT_PROBE(TrafficLight, cycles),
    TT_PROBE(TrafficLight, button_presses),
    TT_PROBE(TrafficLight, pedestrian_waiting),
    TT_PROBE_FN("walk", traffic_light_walk),
};

static const tt_class TrafficLight_class = {
    .name = "TrafficLight",
    .data_size = sizeof(TrafficLight),
    .handlers = traffic_light_handlers,
    .n_handlers = TT_COUNTOF(traffic_light_handlers),
    .probes = traffic_light_probes,
    .n_probes = TT_COUNTOF(traffic_light_probes),
};

/* The app: one traffic light named "Light". */
TT_FORMULA(cat)
{
    return tt_tonic_new(cat, &TrafficLight_class, "Light", NULL) ? 0
                                                                 : -TT_EFORMULA;
}
