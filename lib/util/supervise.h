/*
 * supervise: the one accept loop behind every multi-session mode (gsswrapd's
 * listener, gsswrap -L and the `gsswrap run` agent): listening sockets, the
 * signal pipe, a process per accepted connection, the session limit with
 * refused connections drained before they are closed, reaping, and draining
 * on SIGTERM/SIGINT. What a session is, and what a refusal says, the caller
 * gives as callbacks.
 */
#ifndef GSSWRAP_SUPERVISE_H
#define GSSWRAP_SUPERVISE_H

#include <stddef.h>
#include <sys/types.h>

#define SUPERVISE_MAX_LISTEN 32

struct supervise {
	/* Listening sockets (non-blocking); each becomes -1 once closed. */
	int fds[SUPERVISE_MAX_LISTEN];
	size_t nfds;
	int accept_flags; /* for accept4: SOCK_CLOEXEC, SOCK_NONBLOCK */
	unsigned int max; /* sessions at once; 0: no limit */
	/*
	 * SIGTERM and SIGINT drain: the listening sockets are closed at once
	 * (a connection the kernel queued meanwhile would wait for the last
	 * session and then be reset), and the loop ends with the last
	 * session. When 0, they are caught only if signals[] lists them.
	 */
	int term_drains;
	/* Other signals to catch and hand to on_signal (0-terminated). */
	int signals[4];
	void *arg;

	/*
	 * In the child process of an accepted connection, after the
	 * listening sockets, the refused sockets and the signal pipe are
	 * closed and the caught signals are back to their defaults: serve
	 * sock. Its return value is the process's exit status.
	 */
	int (*session)(void *arg, int sock);
	/*
	 * A connection over the limit (max > 0): tell the client (the
	 * supervisor then shuts our side down and drains it until the client
	 * closes, so that the close is a FIN, not a reset). NULL: closed.
	 */
	void (*refuse)(void *arg, int sock, unsigned int active);
	/*
	 * A caught signal of signals[], or SIGTERM/SIGINT once term_drains
	 * has begun the drain; NULL: none.
	 */
	void (*on_signal)(void *arg, struct supervise *s, int sig);
	/*
	 * A reaped child; returns 1 when it was the caller's own child (not
	 * a session). NULL: every child is a session.
	 */
	int (*on_exit)(void *arg, struct supervise *s, pid_t pid, int wstatus);

	/* State, read by callbacks. */
	int sigfd;	     /* the signal pipe (supervise_init) */
	unsigned int active; /* sessions running */
	int draining;	     /* listening sockets closed; end with the last */
	int finishing;	     /* end with the last session, still accepting */
};

/*
 * supervise_init(s): catch SIGCHLD, SIGTERM and SIGINT (with term_drains)
 * and s->signals. From here until supervise_run, they wait in the signal
 * pipe (a child forked meanwhile, such as the command of `gsswrap run`,
 * cannot end unseen). 0, or -1 after logging.
 */
int supervise_init(struct supervise *s);

/*
 * supervise_run(s): after supervise_init, accept and serve until the loop
 * ends (draining or finishing, and no session left). Returns 0, or -1
 * after logging (poll failed). The listening sockets are closed on return.
 */
int supervise_run(struct supervise *s);

/*
 * supervise_drain(s): close the listening sockets now and end with the last
 * session (what SIGTERM does with term_drains). Idempotent.
 */
void supervise_drain(struct supervise *s);

/*
 * supervise_close_listeners(s): close the listening sockets that are open
 * (s->fds[0 .. s->nfds)), e.g. when setting up failed half-way.
 */
void supervise_close_listeners(struct supervise *s);

#endif
