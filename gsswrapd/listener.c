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
#include "status.h"

static int sigpipe_fds[2] = { -1, -1 };
static volatile sig_atomic_t got_term, got_hup, got_chld;

static void
on_signal(int sig)
{
	int e = errno;
	char c = 0;

	if (sig == SIGTERM || sig == SIGINT)
		got_term = 1;
	else if (sig == SIGHUP)
		got_hup = 1;
	else if (sig == SIGCHLD)
		got_chld = 1;
	(void)!write(sigpipe_fds[1], &c, 1);
	errno = e;
}

/* Signals become readable bytes on a pipe that poll() watches. */
static int
signals_init(void)
{
	struct sigaction sa;
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGCHLD };
	size_t i;

	if (pipe2(sigpipe_fds, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_err("cannot create the signal pipe: %s", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		(void)sigaction(sigs[i], &sa, NULL);
	return 0;
}

static int
listen_one(const struct addrinfo *ai, const char *spec, int *fd_out)
{
	int fd, one = 1;

	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0);
	if (fd == -1)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* Each IPv6 socket only IPv6: the IPv4 one is separate. */
	if (ai->ai_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
		    sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
	    listen(fd, 128) == -1) {
		int e = errno;
		char a[64], p[16];

		if (net_addr_text(ai->ai_addr, ai->ai_addrlen, a, sizeof(a), p,
			sizeof(p)) == 0)
			log_err("-l %s: cannot listen on %s port %s: %s", spec,
			    a, p, strerror(e));
		close(fd);
		errno = e;
		return -1;
	}
	*fd_out = fd;
	return 0;
}

static int
listen_spec(const char *spec, int fds[LISTENER_MAX], size_t *n)
{
	struct addrinfo hints, *res, *ai;
	char host[256], port[64];
	int rc, fd, opened = 0;

	if (args_hostport(spec, 1, host, sizeof(host), port, sizeof(port)) ==
	    -1) {
		log_err("-l %s: expected [ADDR:]PORT", spec);
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
	if (rc != 0) {
		log_err("-l %s: %s", spec, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (*n == LISTENER_MAX) {
			log_err("-l %s: more than %d listening sockets", spec,
			    LISTENER_MAX);
			break;
		}
		if (listen_one(ai, spec, &fd) == -1) {
			/* A host without IPv6 can still listen on IPv4. */
			if (errno == EAFNOSUPPORT && !host[0])
				continue;
			opened = -1;
			break;
		}
		fds[(*n)++] = fd;
		opened++;
	}
	freeaddrinfo(res);
	return opened > 0 ? 0 : -1;
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

/* Reap finished sessions; returns how many. */
static unsigned int
reap(void)
{
	unsigned int n = 0;
	int status;

	while (waitpid(-1, &status, WNOHANG) > 0)
		n++;
	return n;
}

static void
child(const struct options *o, int *fds, size_t nfds, int sock)
{
	struct sigaction sa;
	size_t i;

	for (i = 0; i < nfds; i++)
		close(fds[i]);
	close(sigpipe_fds[0]);
	close(sigpipe_fds[1]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	(void)sigaction(SIGCHLD, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	/* A session finishes even when the listener is told to stop. */
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
			close(sock);
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
handle_signals(struct options *o, unsigned int *active, int *stopping)
{
	char buf[64];
	unsigned int n;

	while (read(sigpipe_fds[0], buf, sizeof(buf)) > 0)
		;
	if (got_chld) {
		got_chld = 0;
		n = reap();
		*active = n > *active ? 0 : *active - n;
	}
	if (got_hup) {
		got_hup = 0;
		if (options_load_policy(o) == 0)
			log_info("SIGHUP: policy reloaded");
		else
			log_err("SIGHUP: policy not reloaded, keeping the "
				"previous one");
	}
	if (got_term && !*stopping) {
		*stopping = 1;
		log_info("stopping: no new connections, waiting for %u "
			 "session(s)",
		    *active);
	}
}

int
listener_run(struct options *o, int *fds, size_t nfds)
{
	struct pollfd pfd[LISTENER_MAX + 1];
	unsigned int active = 0;
	int stopping = 0;
	size_t i;

	if (signals_init() == -1)
		return STATUS_SYS;
	log_info("listening on %zu socket(s), at most %u sessions", nfds,
	    o->max_conns);
	for (;;) {
		handle_signals(o, &active, &stopping);
		if (stopping && active == 0)
			break;
		pfd[0].fd = sigpipe_fds[0];
		pfd[0].events = POLLIN;
		for (i = 0; i < nfds; i++) {
			pfd[i + 1].fd = stopping ? -1 : fds[i];
			pfd[i + 1].events = POLLIN;
		}
		if (poll(pfd, nfds + 1, -1) == -1 && errno != EINTR) {
			log_err("poll: %s", strerror(errno));
			return STATUS_SYS;
		}
		for (i = 0; i < nfds && !stopping; i++)
			if (pfd[i + 1].revents & POLLIN)
				accept_all(o, fds, nfds, fds[i], &active);
	}
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	log_info("stopped");
	return STATUS_OK;
}
