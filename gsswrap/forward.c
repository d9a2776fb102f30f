/* Local port forwarding: a session per accepted connection. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "args.h"
#include "client.h"
#include "forward.h"
#include "io.h"
#include "log.h"
#include "net.h"
#include "sigevents.h"
#include "status.h"

#define MAX_LISTEN 8

static int
open_listeners(const struct client *c, int *fds, size_t *n)
{
	char host[256], port[64], what[300];

	snprintf(what, sizeof(what), "-L %s", c->listen);
	if (args_hostport(c->listen, 1, host, sizeof(host), port,
		sizeof(port)) == -1) {
		log_err("%s: expected [ADDR:]LPORT", what);
		return -1;
	}
	/* Local forwarding is for this host: loopback unless told. */
	return net_listen(what, host[0] ? host : "127.0.0.1", port, fds,
	    MAX_LISTEN, n);
}

static void
session_child(const struct client *c, int *fds, size_t n, int sock)
{
	char addr[64], port[16];
	size_t i;
	int rc, remote;

	for (i = 0; i < n; i++)
		close(fds[i]);
	sigevents_child();
	net_peer_text(sock, addr, sizeof(addr), port, sizeof(port));
	rc = client_session(c, sock, sock, &remote);
	if (rc != 0)
		log_err("session for local client %s port %s failed (status "
			"%d)",
		    addr, port, rc);
	_exit(rc);
}

int
forward_run(const struct client *c)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGCHLD };
	struct pollfd pfd[MAX_LISTEN + 1];
	unsigned int active = 0, done;
	int fds[MAX_LISTEN], sigfd, sock, stopping = 0;
	size_t i, n = 0;
	pid_t pid;

	if (open_listeners(c, fds, &n) == -1) {
		while (n > 0)
			close(fds[--n]);
		return STATUS_USAGE;
	}
	if ((sigfd = sigevents_init(sigs, sizeof(sigs) / sizeof(sigs[0]))) ==
	    -1)
		return STATUS_SYS;
	log_debug("forwarding %s to %s", c->listen, c->peer);
	/* Once here, not in every session process. */
	protect_warm_up(c->crypto);
	while (!stopping || active > 0) {
		pfd[0].fd = sigfd;
		pfd[0].events = POLLIN;
		for (i = 0; i < n; i++) {
			pfd[i + 1].fd = stopping ? -1 : fds[i];
			pfd[i + 1].events = POLLIN;
		}
		if (io_poll(pfd, n + 1, -1) == -1) {
			log_err("poll: %s", strerror(errno));
			break;
		}
		sigevents_drain();
		if (sigevents_take(SIGCHLD)) {
			done = sigevents_reap();
			active = done > active ? 0 : active - done;
		}
		if (sigevents_take(SIGTERM) | sigevents_take(SIGINT))
			stopping = 1;
		for (i = 0; i < n && !stopping; i++) {
			if (!(pfd[i + 1].revents & POLLIN))
				continue;
			while ((sock = accept4(fds[i], NULL, NULL,
				    SOCK_CLOEXEC | SOCK_NONBLOCK)) != -1) {
				if ((pid = fork()) == 0)
					session_child(c, fds, n, sock);
				if (pid == -1)
					log_err("cannot fork: %s",
					    strerror(errno));
				else
					active++;
				close(sock);
			}
		}
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	return STATUS_OK;
}
