/* The accept loop of every multi-session mode (supervise.h). */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "io.h"
#include "log.h"
#include "sigevents.h"
#include "supervise.h"

/*
 * Refused connections: our side is shut down; what the client sent
 * meanwhile is read and dropped until it closes (or IO_LINGER_MS pass), so
 * that our close is a FIN. Closing with its bytes unread would send a
 * reset, which can make the client lose what we told it.
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
	/* Drained without blocking, whatever accept_flags said. */
	(void)io_set_nonblock(sock, 1);
	if (lingering.n == LINGER_MAX) {
		close(sock); /* a flood of refusals: no lingering for it */
		return;
	}
	lingering.fd[lingering.n] = sock;
	lingering.until[lingering.n++] = io_now_ms() + IO_LINGER_MS;
}

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

/* The poll timeout the lingering sockets need, and their entries. */
static int
linger_poll(struct pollfd *pfd)
{
	int timeout = -1, t;
	size_t i;

	for (i = 0; i < lingering.n; i++) {
		pfd[i].fd = lingering.fd[i];
		pfd[i].events = POLLIN;
		t = io_poll_timeout(lingering.until[i]);
		if (timeout == -1 || t < timeout)
			timeout = t;
	}
	return timeout;
}

void
supervise_close_listeners(struct supervise *s)
{
	size_t i;

	for (i = 0; i < s->nfds; i++)
		if (s->fds[i] != -1) {
			close(s->fds[i]);
			s->fds[i] = -1;
		}
}

void
supervise_drain(struct supervise *s)
{
	supervise_close_listeners(s);
	s->draining = 1;
}

static void __attribute__((noreturn)) child(struct supervise *s, int sock)
{
	supervise_close_listeners(s);
	linger_close_all();
	sigevents_child();
	_exit(s->session(s->arg, sock));
}

/* Accept what is pending on one listening socket. */
static void
accept_all(struct supervise *s, int lfd)
{
	pid_t pid;
	int sock;

	while ((sock = accept4(lfd, NULL, NULL, s->accept_flags)) != -1) {
		if (s->max > 0 && s->active >= s->max) {
			if (s->refuse != NULL)
				s->refuse(s->arg, sock, s->active);
			linger_add(sock);
			continue;
		}
		pid = fork();
		if (pid == 0)
			child(s, sock);
		if (pid == -1)
			log_err("cannot fork for a session: %s",
			    strerror(errno));
		else
			s->active++;
		close(sock);
	}
}

static void
reap(struct supervise *s)
{
	int wstatus;
	pid_t pid;

	while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0) {
		if (s->on_exit != NULL && s->on_exit(s->arg, s, pid, wstatus))
			continue;
		if (s->active > 0)
			s->active--;
	}
}

static void
handle_signals(struct supervise *s)
{
	size_t i;
	int term;

	sigevents_drain();
	if (sigevents_take(SIGCHLD))
		reap(s);
	for (i = 0; i < sizeof(s->signals) / sizeof(s->signals[0]) &&
	     s->signals[i] != 0;
	     i++)
		if (sigevents_take(s->signals[i]) && s->on_signal != NULL)
			s->on_signal(s->arg, s, s->signals[i]);
	if (!s->term_drains)
		return;
	term = sigevents_take(SIGTERM) ? SIGTERM : 0;
	term = sigevents_take(SIGINT) ? SIGINT : term;
	if (term != 0 && !s->draining) {
		supervise_drain(s);
		if (s->on_signal != NULL)
			s->on_signal(s->arg, s, term);
	}
}

int
supervise_init(struct supervise *s)
{
	int sigs[3 + sizeof(s->signals) / sizeof(s->signals[0])];
	size_t n = 0, i;

	if (s->nfds > SUPERVISE_MAX_LISTEN) {
		log_err("internal error: %zu listening sockets, at most %d",
		    s->nfds, SUPERVISE_MAX_LISTEN);
		return -1;
	}
	sigs[n++] = SIGCHLD;
	if (s->term_drains) {
		sigs[n++] = SIGTERM;
		sigs[n++] = SIGINT;
	}
	for (i = 0; i < sizeof(s->signals) / sizeof(s->signals[0]) &&
	     s->signals[i] != 0;
	     i++)
		sigs[n++] = s->signals[i];
	s->sigfd = sigevents_init(sigs, n);
	return s->sigfd == -1 ? -1 : 0;
}

int
supervise_run(struct supervise *s)
{
	struct pollfd pfd[1 + SUPERVISE_MAX_LISTEN + LINGER_MAX];
	struct pollfd *lpfd = pfd + 1 + s->nfds;
	int timeout, rc = 0;
	size_t i;

	for (;;) {
		handle_signals(s);
		if ((s->draining || s->finishing) && s->active == 0)
			break;
		pfd[0].fd = s->sigfd;
		pfd[0].events = POLLIN;
		for (i = 0; i < s->nfds; i++) {
			pfd[i + 1].fd = s->fds[i];
			pfd[i + 1].events = POLLIN;
		}
		timeout = linger_poll(lpfd);
		if (io_poll(pfd, 1 + s->nfds + lingering.n, timeout) == -1) {
			log_err("poll: %s", strerror(errno));
			rc = -1;
			break;
		}
		linger_step(lpfd);
		for (i = 0; i < s->nfds && !s->draining; i++)
			if (s->fds[i] != -1 && (pfd[i + 1].revents & POLLIN))
				accept_all(s, s->fds[i]);
	}
	supervise_close_listeners(s);
	linger_close_all();
	return rc;
}
