/* The two kinds of backend: a spawned program or a forwarded connection. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "args.h"
#include "backend.h"
#include "io.h"
#include "log.h"
#include "net.h"
#include "options.h"
#include "proxyv2.h"
#include "spawn.h"

#define CONNECT_SECONDS 10

static int
connect_unix(const char *path, int *fd_out)
{
	struct sockaddr_un sa;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_err("UNIX socket path too long: %s", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (net_connect_addr((struct sockaddr *)&sa, sizeof(sa),
		io_deadline(CONNECT_SECONDS), fd_out) == -1) {
		log_err("cannot connect to %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* PROXY v2: client address -> our address, and who authenticated. */
static int
send_proxy_header(int fd, int client_sock, const struct spawn_identity *id,
    const char *target)
{
	struct sockaddr_storage src, dst;
	socklen_t slen = sizeof(src), dlen = sizeof(dst);
	uint8_t hdr[PROXYV2_MAX];
	size_t n;

	memset(&src, 0, sizeof(src));
	memset(&dst, 0, sizeof(dst));
	(void)getpeername(client_sock, (struct sockaddr *)&src, &slen);
	(void)getsockname(client_sock, (struct sockaddr *)&dst, &dlen);
	n = proxyv2_encode(hdr, sizeof(hdr), (struct sockaddr *)&src,
	    (struct sockaddr *)&dst, id->peer, id->service, id->mech);
	if (n == 0) {
		log_err("principal names too long for a PROXY header");
		return -1;
	}
	if (io_write_full(fd, hdr, n, io_deadline(CONNECT_SECONDS)) == -1) {
		log_err("cannot send the PROXY header to %s: %s", target,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
forward(const struct options *o, const char *target, int client_sock,
    const struct spawn_identity *id, struct backend *b)
{
	char host[256], port[64];
	int fd;

	if (target[0] == '/') {
		if (connect_unix(target, &fd) == -1)
			return -1;
	} else {
		if (args_hostport(target, 0, host, sizeof(host), port,
			sizeof(port)) == -1 ||
		    net_connect(host, port, AF_UNSPEC,
			io_deadline(CONNECT_SECONDS), &fd) == -1)
			return -1;
	}
	if (o->proxy_header &&
	    send_proxy_header(fd, client_sock, id, target) == -1) {
		close(fd);
		return -1;
	}
	b->fd = fd;
	b->errfd = -1;
	b->pid = -1;
	b->label = target;
	return 0;
}

int
backend_start(const struct options *o, const char *target, int client_sock,
    const struct spawn_identity *id, struct backend *b_out)
{
	struct backend b;

	if (target != NULL) {
		if (forward(o, target, client_sock, id, &b) == -1)
			return -1;
	} else {
		if (spawn_program(o->argv, id, &b.pid, &b.fd, &b.errfd) == -1)
			return -1;
		b.label = o->argv[0];
	}
	*b_out = b;
	return 0;
}

void
backend_finish(struct backend *b, int failed, int reaped, int *wstatus_out)
{
	/*
	 * A session cut short: as sshd tells a session whose connection
	 * dropped, SIGHUP to the program's process group (its own session,
	 * spawn.c), then its input ends. A TCP backend gets a reset
	 * (relay_run set it).
	 */
	if (failed && b->pid != -1 && reaped == -1)
		(void)kill(-b->pid, SIGHUP);
	/* The program sees EOF/EPIPE from here on. */
	close(b->fd);
	*wstatus_out = reaped;
	if (b->pid != -1 && reaped == -1)
		while (waitpid(b->pid, wstatus_out, 0) == -1 && errno == EINTR)
			;
	if (b->errfd != -1)
		close(b->errfd);
}
