/* ttrun.h: the parts of ttrun (ttrun.c, ttrun-listen.c). */
#ifndef TTRUN_H
#define TTRUN_H

#include "tasktonic.h"

#include <stddef.h>

/* Listen for viewers on the Unix socket path (mode 0600); 0, or -1 with a
 * one-line message in err. */
int ttrun_listen_start(tt_catalyst *cat, const char *path, char *err, size_t esz);
/* Stop listening and remove the socket. */
void ttrun_listen_stop(void);

#endif
