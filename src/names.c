/*
 * names.c: interned strings.  Sparkle, state and label names are stored once
 * per catalyst and referred to by a 32-bit id, which keeps trace entries small
 * and comparisons cheap.
 */
#include "tt-int.h"

#include <stdlib.h>
#include <string.h>

static const char *const well_known[TT_N__COUNT] = {
    [TT_N_EMPTY] = "",
    [TT_N_INIT] = "__init__",
    [TT_N_FORMULA] = "__formula__",
    [TT_N_FINISH_LABEL] = "finish",
    [TT_N_EXPIRED] = "expired",
    [TT_N_ON_START_SYS] = "_ttss__on_start",
    [TT_N_ON_START] = "ttse__on_start",
    [TT_N_ADD_TONIC] = "_ttss__add_tonic_to_catalyst",
    [TT_N_REMOVE_TONIC] = "_ttss__remove_tonic_from_catalyst",
    [TT_N_MAIN_FINISHED] = "_ttss__main_catalyst_finished",
    [TT_N_ON_COMPLETION] = "_ttss__on_completion",
    [TT_N_ON_FINISHED_SYS] = "_ttss__on_finished",
    [TT_N_ON_INFUSION_DONE] = "_ttss__on_infusion_completed",
    [TT_N_ON_BASE_REMOVED] = "_ttss__on_service_base_removed",
    [TT_N_FINISH] = "ttsc__finish",
    [TT_N_TO_STATE] = "ttsc__to_state",
    [TT_N_ON_ENTER] = "ttse__on_enter",
    [TT_N_ON_EXIT] = "ttse__on_exit",
    [TT_N_ON_FINISHED] = "ttse__on_finished",
    [TT_N_STATE_CHANGE] = "_ttinternal_state_change_to",
    [TT_N_MACHINE_STOP] = "_ttinternal_state_machine_stop",
    [TT_N_ON_BASE_COMPLETED] = "ttse__on_service_base_completed",
    [TT_N_ON_TIMER] = "ttse__on_timer",
};

/* FNV-1a. */
static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Initialise and intern the well-known names. */
int tt__names_init(tt__names *nm)
{
    memset(nm, 0, sizeof *nm);
    pthread_mutex_init(&nm->lock, NULL);
    nm->nslots = 256;
    nm->slots = calloc(nm->nslots, sizeof *nm->slots);
    if (!nm->slots)
        return -TT_ENOMEM;
    for (int i = 0; i < TT_N__COUNT; i++)
        if (tt__intern(nm, well_known[i]) != i)
            return -TT_ENOMEM;
    return 0;
}

/* Free all names. */
void tt__names_free(tt__names *nm)
{
    for (size_t i = 0; i < nm->n; i++)
        free(nm->str[i]);
    free(nm->str);
    free(nm->hash);
    free(nm->slots);
    pthread_mutex_destroy(&nm->lock);
    memset(nm, 0, sizeof *nm);
}

static int64_t lookup(const tt__names *nm, const char *s, uint32_t h)
{
    size_t mask = nm->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t v = nm->slots[i];
        if (v == 0)
            return -1;
        if (nm->hash[v - 1] == h && strcmp(nm->str[v - 1], s) == 0)
            return v - 1;
    }
}

/* Id of s, or -1. */
int64_t tt__name_find(const tt__names *nm, const char *s)
{
    return lookup(nm, s, hash_str(s));
}

static int rehash(tt__names *nm)
{
    size_t ns = nm->nslots * 2;
    uint32_t *slots = calloc(ns, sizeof *slots);
    if (!slots)
        return -TT_ENOMEM;
    for (size_t id = 0; id < nm->n; id++) {
        size_t i = nm->hash[id] & (ns - 1);
        while (slots[i])
            i = (i + 1) & (ns - 1);
        slots[i] = (uint32_t)id + 1;
    }
    free(nm->slots);
    nm->slots = slots;
    nm->nslots = ns;
    return 0;
}

/* Intern s and return its id. */
int64_t tt__intern(tt__names *nm, const char *s)
{
    uint32_t h = hash_str(s);
    int64_t id = lookup(nm, s, h);
    if (id >= 0)
        return id;
    if ((nm->n + 1) * 2 > nm->nslots && rehash(nm) < 0)
        return -TT_ENOMEM;
    size_t cap = nm->cap, cap2 = nm->cap;
    if (tt__grow((void **)&nm->str, &cap, nm->n + 1, sizeof *nm->str) < 0 ||
        tt__grow((void **)&nm->hash, &cap2, nm->n + 1, sizeof *nm->hash) < 0)
        return -TT_ENOMEM;
    nm->cap = cap < cap2 ? cap : cap2;
    char *copy = tt__strdup(s);
    if (!copy)
        return -TT_ENOMEM;
    id = (int64_t)nm->n++;
    nm->str[id] = copy;
    nm->hash[id] = h;
    size_t mask = nm->nslots - 1, i = h & mask;
    while (nm->slots[i])
        i = (i + 1) & mask;
    nm->slots[i] = (uint32_t)id + 1;
    return id;
}
