/* Local port forwarding: a session per accepted connection. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "args.h"
#include "client.h"
#include "forward.h"
#include "io.h"
#include "localpeer.h"
#include "log.h"
#include "net.h"
#include "sigevents.h"
#include "status.h"

#define MAX_LISTEN 8

/*
 * -L /path: a UNIX socket only its owner can connect to (created mode
 * 0600, never over an existing file).
 */
static int
listen_unix(const char *path, int *fds, size_t *n)
{
	struct sockaddr_un sa;
	mode_t old;
	int fd, rc;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_err("-L %s: path too long for a UNIX socket", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1) {
		log_err("-L %s: %s", path, strerror(errno));
		return -1;
	}
	old = umask(0177);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc == -1 || chmod(path, 0600) == -1 || listen(fd, 128) == -1) {
		log_err("-L %s: cannot listen: %s%s", path, strerror(errno),
		    errno == EADDRINUSE ? " (remove the old socket first)" :
					  "");
		close(fd);
		return -1;
	}
	fds[(*n)++] = fd;
	return 0;
}

static int
open_listeners(const struct client *c, int *fds, size_t *n)
{
	char host[256], port[64], what[300];

	if (c->listen[0] == '/')
		return listen_unix(c->listen, fds, n);
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

/*
 * The forward lends our Kerberos identity: only the accounts the policy
 * allows (ours by default) may use it (docs/SECURITY.md, "Local users").
 */
static int
peer_allowed(const struct client *c, int sock, const char *who)
{
	const struct passwd *pw;
	char why[128];
	uid_t uid;

	if (c->allow.any)
		return 1;
	if (localpeer_uid(sock, &uid, why, sizeof(why)) == -1) {
		log_err("refusing %s: cannot tell which user opened the "
			"connection (%s); --allow-users any serves anyone",
		    who, why);
		return 0;
	}
	if (localpeer_allowed(&c->allow, uid))
		return 1;
	pw = getpwuid(uid);
	log_err("refusing %s: uid %u (%s) may not use this forward, which "
		"lends the Kerberos identity of uid %u (--allow-users)",
	    who, (unsigned int)uid, pw != NULL ? pw->pw_name : "?",
	    (unsigned int)getuid());
	return 0;
}

static void
session_child(const struct client *c, int *fds, size_t n, int sock)
{
	char addr[64], port[16], who[PATH_MAX + 32];
	size_t i;
	int rc, remote;

	for (i = 0; i < n; i++)
		close(fds[i]);
	sigevents_child();
	net_peer_text(sock, addr, sizeof(addr), port, sizeof(port));
	if (c->listen[0] == '/')
		snprintf(who, sizeof(who), "local client on %s", c->listen);
	else
		snprintf(who, sizeof(who), "local client %s port %s", addr,
		    port);
	if (!peer_allowed(c, sock, who))
		_exit(STATUS_AUTH);
	rc = client_session(c, sock, sock, &remote);
	if (rc != 0) {
		/* Also before any data: an error, not an empty stream. */
		io_reset_on_close(sock);
		log_err("session for %s failed (status %d)", who, rc);
	}
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
	if (c->listen[0] == '/')
		(void)unlink(c->listen);
	return STATUS_OK;
}
