/*
 * forward: gsswrap -L [ADDR:]LPORT HOST PORT. Listens locally (127.0.0.1
 * unless ADDR says otherwise); every accepted connection gets its own
 * authenticated session to HOST PORT in its own process, using the
 * credentials acquired once at start. A failed session is reported on
 * stderr and the listener goes on.
 */
#ifndef GSSWRAP_FORWARD_H
#define GSSWRAP_FORWARD_H

struct client;

/*
 * forward_run(c): listen and serve until SIGTERM/SIGINT (then wait for the
 * running sessions). Returns 0, or STATUS_USAGE when it cannot listen.
 */
int forward_run(const struct client *c);

#endif
