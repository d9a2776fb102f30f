/* Standalone mode: listening sockets, one child per connection, signals. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "args.h"
#include "conn.h"
#include "frame.h"
#include "handshake.h"
#include "io.h"
#include "listener.h"
#include "log.h"
#include "net.h"
#include "options.h"
#include "sigevents.h"
#include "status.h"

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

static struct pidfh *listener_pidfile;

/*
 * Connections refused as busy: our ERROR frame is out and our side shut
 * down; what the client sent meanwhile is read and dropped until it closes
 * (or IO_LINGER_MS pass), so that our close is a FIN. Closing with its bytes
 * unread would send a reset, which can make the client lose the frame.
 */
#define LINGER_MAX 16

static struct {
	int fd[LINGER_MAX];
	int64_t until[LINGER_MAX];
	size_t n;
} lingering;

static void
linger_add(int sock)
{
	(void)shutdown(sock, SHUT_WR);
	if (lingering.n == LINGER_MAX) {
		close(sock); /* a flood of refusals: no lingering for it */
		return;
	}
	lingering.fd[lingering.n] = sock;
	lingering.until[lingering.n++] = io_now_ms() + IO_LINGER_MS;
}

/* Close every lingering socket (a session child, or the end). */
static void
linger_close_all(void)
{
	size_t i;

	for (i = 0; i < lingering.n; i++)
		close(lingering.fd[i]);
	lingering.n = 0;
}

/* Drain the lingering sockets; close those at EOF, in error or overdue. */
static void
linger_step(const struct pollfd *pfd)
{
	char junk[4096];
	ssize_t r = -1;
	size_t i = 0, j = 0;

	for (; i < lingering.n; i++) {
		if (pfd[i].revents != 0)
			while (
			    (r = read(lingering.fd[i], junk, sizeof(junk))) > 0)
				;
		if ((pfd[i].revents != 0 && (r == 0 || errno != EAGAIN)) ||
		    io_now_ms() >= lingering.until[i]) {
			close(lingering.fd[i]);
			continue;
		}
		lingering.fd[j] = lingering.fd[i];
		lingering.until[j++] = lingering.until[i];
	}
	lingering.n = j;
}

/* Close the listening sockets (idempotent: a closed one is -1). */
static void
close_listeners(int *fds, size_t nfds)
{
	size_t i;

	for (i = 0; i < nfds; i++)
		if (fds[i] != -1) {
			close(fds[i]);
			fds[i] = -1;
		}
}

static void
child(const struct options *o, int *fds, size_t nfds, int sock)
{
	struct sigaction sa;

	close_listeners(fds, nfds);
	linger_close_all();
	if (listener_pidfile != NULL)
		pidfile_close(listener_pidfile);
	sigevents_child();
	/* A session finishes even when the listener is told to stop. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	_exit(conn_serve(o, sock));
}

/* Accept what is pending on one listening socket. */
static void
accept_all(const struct options *o, int *fds, size_t nfds, int lfd,
    unsigned int *active)
{
	char addr[64], port[16];
	pid_t pid;
	int sock;

	while ((sock = accept4(lfd, NULL, NULL,
		    SOCK_CLOEXEC | SOCK_NONBLOCK)) != -1) {
		if (*active >= o->max_conns) {
			net_peer_text(sock, addr, sizeof(addr), port,
			    sizeof(port));
			log_warn("refusing client %s port %s: %u sessions "
				 "running (-n %u)",
			    addr, port, *active, o->max_conns);
			handshake_refuse(sock, FRAME_ERR_BUSY, addr,
			    io_now_ms() + 100);
			linger_add(sock);
			continue;
		}
		pid = fork();
		if (pid == 0)
			child(o, fds, nfds, sock);
		if (pid == -1)
			log_err("cannot fork for a session: %s",
			    strerror(errno));
		else
			(*active)++;
		close(sock);
	}
}

static void
handle_signals(struct options *o, int *fds, size_t nfds, unsigned int *active,
    int *stopping)
{
	unsigned int n;

	sigevents_drain();
	if (sigevents_take(SIGCHLD)) {
		n = sigevents_reap();
		*active = n > *active ? 0 : *active - n;
	}
	if (sigevents_take(SIGHUP)) {
		if (options_load_policy(o) == 0)
			log_info("SIGHUP: policy reloaded");
		else
			log_err("SIGHUP: policy not reloaded, keeping the "
				"previous one");
	}
	if ((sigevents_take(SIGTERM) | sigevents_take(SIGINT)) && !*stopping) {
		*stopping = 1;
		/*
		 * Closed now, not at the end: a connection the kernel would
		 * queue meanwhile would wait for the last session and then
		 * be reset. (Under socket activation the manager's copy
		 * keeps queueing, for the next instance.)
		 */
		close_listeners(fds, nfds);
		log_info("stopping: no new connections, waiting for %u "
			 "session(s)",
		    *active);
	}
}

int
listener_run(struct options *o, int *fds, size_t nfds, struct pidfh *pidfile)
{
	struct pollfd pfd[1 + LISTENER_MAX + LINGER_MAX];
	struct pollfd *lpfd = pfd + 1 + nfds;
	unsigned int active = 0;
	int stopping = 0, timeout;
	size_t i;

	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGCHLD };
	int sigfd = sigevents_init(sigs, sizeof(sigs) / sizeof(sigs[0]));

	if (sigfd == -1)
		return STATUS_SYS;
	listener_pidfile = pidfile;
	log_info("listening on %zu socket(s), at most %u sessions", nfds,
	    o->max_conns);
	for (;;) {
		handle_signals(o, fds, nfds, &active, &stopping);
		if (stopping && active == 0)
			break;
		pfd[0].fd = sigfd;
		pfd[0].events = POLLIN;
		for (i = 0; i < nfds; i++) {
			pfd[i + 1].fd = fds[i];
			pfd[i + 1].events = POLLIN;
		}
		timeout = -1;
		for (i = 0; i < lingering.n; i++) {
			lpfd[i].fd = lingering.fd[i];
			lpfd[i].events = POLLIN;
			if (timeout == -1 ||
			    io_poll_timeout(lingering.until[i]) < timeout)
				timeout = io_poll_timeout(lingering.until[i]);
		}
		if (io_poll(pfd, 1 + nfds + lingering.n, timeout) == -1) {
			log_err("poll: %s", strerror(errno));
			return STATUS_SYS;
		}
		linger_step(lpfd);
		for (i = 0; i < nfds && !stopping; i++)
			if (pfd[i + 1].revents & POLLIN)
				accept_all(o, fds, nfds, fds[i], &active);
	}
	close_listeners(fds, nfds);
	linger_close_all();
	log_info("stopped");
	return STATUS_OK;
}
