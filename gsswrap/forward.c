/*
 * Local port forwarding: the supervisor serves each accepted connection
 * with a session of its own.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "args.h"
#include "client.h"
#include "forward.h"
#include "io.h"
#include "localpeer.h"
#include "log.h"
#include "net.h"
#include "status.h"
#include "supervise.h"

/* At most this many addresses for -L (a name can have several). */
#define FORWARD_MAX_LISTEN 8

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
	    FORWARD_MAX_LISTEN, n);
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

/* In a session's own process (the supervisor has closed the rest). */
static int
session(void *arg, int sock)
{
	const struct client *c = arg;
	char addr[64], port[16], who[PATH_MAX + 32];
	int rc, remote;

	net_peer_text(sock, addr, sizeof(addr), port, sizeof(port));
	if (c->listen[0] == '/')
		snprintf(who, sizeof(who), "local client on %s", c->listen);
	else
		snprintf(who, sizeof(who), "local client %s port %s", addr,
		    port);
	if (!peer_allowed(c, sock, who))
		return STATUS_AUTH;
	rc = client_session(c, sock, sock, &remote);
	if (rc != 0) {
		/* Also before any data: an error, not an empty stream. */
		io_reset_on_close(sock);
		log_err("session for %s failed (status %d)", who, rc);
	}
	return rc;
}

/* SIGTERM or SIGINT: the sockets are closed; a UNIX one's path goes too. */
static void
draining(void *arg, struct supervise *s, int sig)
{
	const struct client *c = arg;

	(void)s;
	(void)sig;
	if (c->listen[0] == '/')
		(void)unlink(c->listen);
}

int
forward_run(const struct client *c)
{
	struct supervise s;
	int rc;

	memset(&s, 0, sizeof(s));
	if (open_listeners(c, s.fds, &s.nfds) == -1) {
		supervise_close_listeners(&s);
		return STATUS_USAGE;
	}
	s.accept_flags = SOCK_CLOEXEC | SOCK_NONBLOCK;
	s.term_drains = 1;
	s.arg = (void *)c;
	s.session = session;
	s.on_signal = draining;
	/* Signals caught as soon as the sockets listen. */
	rc = supervise_init(&s);
	if (rc == 0) {
		log_debug("forwarding %s to %s", c->listen, c->peer);
		/* Once here, not in every session process. */
		protect_warm_up(c->crypto);
		rc = supervise_run(&s);
	}
	supervise_close_listeners(&s);
	if (c->listen[0] == '/')
		(void)unlink(c->listen);
	return rc == -1 ? STATUS_SYS : STATUS_OK;
}
