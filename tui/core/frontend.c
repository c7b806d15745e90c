/*
 * frontend.c: the one way the core speaks to the front end attached to it
 * (the screen, batch mode or the Debug Adapter).  The core calls these
 * when something happened; the front end decides what that means for it
 * (repaint a pane, send a DAP event, nothing at all in batch mode).
 */
#include "ttdb.h"

static ttdb_frontend fe;

/* Attach a front end; NULL detaches. */
void frontend_attach(const ttdb_frontend *f)
{
    static const ttdb_frontend none;
    fe = f ? *f : none;
}

/* The session changed. */
void frontend_changed(void)
{
    if (fe.changed)
        fe.changed();
}

/* A run starts. */
void frontend_running(void)
{
    if (fe.running)
        fe.running();
}

/* A setting the front end may show changed. */
void frontend_setting(const char *name)
{
    if (fe.setting)
        fe.setting(name);
}
