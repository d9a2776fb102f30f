/*
 * Standalone mode: the listening sockets, served by the supervisor with
 * one child process per connection.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "args.h"
#include "conn.h"
#include "frame.h"
#include "handshake.h"
#include "io.h"
#include "listener.h"
#include "log.h"
#include "net.h"
#include "options.h"
#include "status.h"
#include "supervise.h"

static int
listen_spec(const char *spec, int fds[LISTENER_MAX], size_t *n)
{
	char host[256], port[64], what[300];

	snprintf(what, sizeof(what), "-l %s", spec);
	if (args_hostport(spec, 1, host, sizeof(host), port, sizeof(port)) ==
	    -1) {
		log_err("%s: expected [ADDR:]PORT", what);
		return -1;
	}
	return net_listen(what, host, port, fds, LISTENER_MAX, n);
}

int
listener_open(const struct options *o, int fds[LISTENER_MAX], size_t *nfds_out)
{
	size_t i, n = 0;

	for (i = 0; i < o->nlisten; i++) {
		if (listen_spec(o->listen[i], fds, &n) == -1) {
			while (n > 0)
				close(fds[--n]);
			return -1;
		}
	}
	*nfds_out = n;
	return 0;
}

int
listener_systemd(int fds[LISTENER_MAX], size_t *nfds_out, int *conn_out)
{
	const char *pid = getenv("LISTEN_PID"), *nfd = getenv("LISTEN_FDS");
	const char *err = NULL;
	long long n, i;
	size_t k = 0;
	int acc;
	socklen_t len;

	if (pid == NULL || nfd == NULL ||
	    strtonum(pid, 1, 1LL << 31, &err) != (long long)getpid())
		return 0;
	n = strtonum(nfd, 1, LISTENER_MAX, &err);
	if (err != NULL) {
		log_err("LISTEN_FDS=%s: %s", nfd, err);
		return -1;
	}
	(void)unsetenv("LISTEN_PID");
	(void)unsetenv("LISTEN_FDS");
	(void)unsetenv("LISTEN_FDNAMES");
	*conn_out = -1;
	for (i = 0; i < n; i++) {
		int fd = 3 + (int)i;

		len = sizeof(acc);
		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) ==
		    -1) {
			log_err("socket activation: fd %d is not a socket", fd);
			return -1;
		}
		(void)io_set_cloexec(fd);
		(void)io_set_nonblock(fd, 1);
		if (acc)
			fds[k++] = fd;
		else if (n == 1)
			*conn_out = fd; /* Accept=yes: one connection */
	}
	*nfds_out = k;
	return 1;
}

static int
session(void *arg, int sock)
{
	const struct listener *l = arg;
	struct sigaction sa;

	/* The pidfile's lock stays with the listener alone. */
	if (l->pidfile != NULL)
		pidfile_close(l->pidfile);
	/* A session finishes even when the listener is told to stop. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	return conn_serve(l->o, sock);
}

/* Over -n: the client is told it is busy (PROTOCOL §4.1, ERROR frame). */
static void
refuse(void *arg, int sock, unsigned int active)
{
	const struct listener *l = arg;
	char addr[64], port[16];

	net_peer_text(sock, addr, sizeof(addr), port, sizeof(port));
	log_warn("refusing client %s port %s: %u sessions running (-n %u)",
	    addr, port, active, l->o->max_conns);
	handshake_refuse(sock, FRAME_ERR_BUSY, addr, io_now_ms() + 100);
}

static void
on_signal(void *arg, struct supervise *s, int sig)
{
	const struct listener *l = arg;

	if (sig != SIGHUP) {
		/*
		 * The supervisor has closed the listening sockets (under
		 * socket activation the manager's copy keeps queueing, for
		 * the next instance).
		 */
		log_info("stopping: no new connections, waiting for %u "
			 "session(s)",
		    s->active);
		return;
	}
	if (options_load_policy(l->o) == 0)
		log_info("SIGHUP: policy reloaded");
	else
		log_err("SIGHUP: policy not reloaded, keeping the previous "
			"one");
}

int
listener_init(struct listener *l, struct options *o, const int *fds,
    size_t nfds)
{
	struct supervise *s = &l->s;
	size_t i;

	memset(l, 0, sizeof(*l));
	l->o = o;
	for (i = 0; i < nfds && i < SUPERVISE_MAX_LISTEN; i++)
		s->fds[i] = fds[i];
	s->nfds = nfds;
	s->accept_flags = SOCK_CLOEXEC | SOCK_NONBLOCK;
	s->max = o->max_conns;
	s->term_drains = 1;
	s->signals[0] = SIGHUP;
	s->arg = l;
	s->session = session;
	s->refuse = refuse;
	s->on_signal = on_signal;
	return supervise_init(s) == -1 ? STATUS_SYS : 0;
}

int
listener_run(struct listener *l, struct pidfh *pidfile)
{
	l->pidfile = pidfile;
	log_info("listening on %zu socket(s), at most %u sessions", l->s.nfds,
	    l->o->max_conns);
	if (supervise_run(&l->s) == -1)
		return STATUS_SYS;
	log_info("stopped");
	return STATUS_OK;
}
