/*
 * listener: standalone mode. Listening sockets come from -l options or from
 * systemd socket activation (LISTEN_FDS, Accept=no); each accepted
 * connection is served by its own child process through conn_serve().
 */
#ifndef GSSWRAPD_LISTENER_H
#define GSSWRAPD_LISTENER_H

#include <stddef.h>

#include "supervise.h"

struct options;
struct pidfh;

#define LISTENER_MAX SUPERVISE_MAX_LISTEN

/*
 * listener_open(o, fds, nfds_out): open the -l sockets (PORT alone: every
 * IPv4 and IPv6 address). Returns 0, or -1 after logging which address
 * could not be used.
 */
int
listener_open(const struct options *o, int fds[LISTENER_MAX], size_t *nfds_out);

/*
 * listener_systemd(fds, nfds_out, conn_out): take the sockets systemd
 * passed (LISTEN_PID/LISTEN_FDS). Listening sockets go to fds; a single
 * connected socket (Accept=yes) to *conn_out. Returns 1 when sockets were
 * passed, 0 when none were, -1 on error (logged).
 */
int listener_systemd(int fds[LISTENER_MAX], size_t *nfds_out, int *conn_out);

/* A standalone listener: the policy, the pidfile and the supervisor. */
struct listener {
	struct options *o;
	struct pidfh *pidfile;
	struct supervise s;
};

/*
 * listener_init(l, o, fds, nfds): a listener on the listening sockets fds,
 * which it owns from now on, with its signals (SIGTERM, SIGINT, SIGHUP,
 * SIGCHLD) caught at once: one that comes while the caller writes the
 * pidfile and warms the libraries up is handled by listener_run (a drain,
 * the pidfile removed), not the default action. 0 or STATUS_SYS (logged).
 */
int listener_init(struct listener *l, struct options *o, const int *fds,
    size_t nfds);

/*
 * listener_run(l, pidfile): accept and serve each connection in a child
 * process of its own until SIGTERM or SIGINT; then close the listening
 * sockets and wait for the running sessions to end. SIGHUP re-reads the
 * policy. At most o->max_conns sessions run at once; a connection over the
 * limit is refused at once, with a logged reason. Session processes close
 * pidfile (NULL: none), so that its lock stays with the listener alone.
 * Returns the exit status.
 */
int listener_run(struct listener *l, struct pidfh *pidfile);

#endif
