/* The relay loop: docs/PROTOCOL.md §7. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "err.h"
#include "frame.h"
#include "io.h"
#include "log.h"
#include "record.h"
#include "relay.h"
#include "session.h"
#include "status.h"

enum { OUT_OPEN, OUT_EOF, OUT_DONE };

struct relay {
	struct record *r;
	struct relay_ends *e;
	struct relay_stats *st;
	int sock;
	int out_state;	 /* our direction: open, EOF sealed, done */
	int plain_eof;	 /* our plaintext input ended */
	int peer_closed; /* peer sent CLOSE: stop reading input */
	int in_done;	 /* peer's EOF received */
	int sock_eof;	 /* TCP end-of-file seen */
	int want_close, close_sent, discard;
	int pidfd;	/* ends->child, polled for its exit; -1 */
	int poll_child; /* no pidfd (e.g. under valgrind): check by polling */
	int child_done; /* reaped: st->child_wstatus holds its status */
	int exit_sent;	/* our EXIT record is sealed */
	uint8_t *pend;	/* received plaintext not yet written */
	size_t pendlen;
	char logbuf[1024];
	size_t loglen;
};

/*
 * A failure: tell the peer with ABORT while our direction is open, or with
 * a TCP reset once our EOF and FIN are sent (PROTOCOL §7.5).
 */
static int
fail(struct relay *s, int status, uint8_t code, const char *why)
{
	snprintf(s->st->reason, sizeof(s->st->reason), "%s", why);
	if (s->out_state == OUT_DONE)
		record_reset(s->r);
	else if (code != 0)
		record_abort(s->r, code, why);
	return status;
}

/* The consumer of received plaintext is gone (PROTOCOL §7.3). */
static void
consumer_gone(struct relay *s)
{
	s->discard = 1;
	s->pend = NULL;
	s->pendlen = 0;
	if (!s->in_done)
		s->want_close = 1;
}

/*
 * End one direction of a plaintext descriptor: shutdown for a socket,
 * otherwise /dev/null in its place (the number stays valid, the other end
 * sees EOF or EPIPE as with a closed pipe).
 */
static void
end_plain(int fd, int how)
{
	int null;

	if (io_is_socket(fd)) {
		(void)shutdown(fd, how);
		return;
	}
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) != -1) {
		(void)dup2(null, fd);
		close(null);
	}
}

/* PROTOCOL §7.6: the program's end, as a shell would report it. */
static int
remote_exit(struct relay *s, const uint8_t *p, size_t len)
{
	uint8_t kind, value;

	if (frame_exit_decode(p, len, &kind, &value) != FRAME_OK) {
		log_err("protocol violation from %s: malformed exit status",
		    record_peer(s->r));
		return fail(s, STATUS_PROTO, FRAME_ABORT_PROTOCOL,
		    "protocol violation: malformed exit status");
	}
	if (kind == FRAME_EXIT_SIGNAL) {
		log_debug("remote program killed by signal %u", value);
		s->st->remote_status = 128 + value;
	} else {
		log_debug("remote program exited with status %u", value);
		s->st->remote_status = value;
	}
	return 0;
}

/* The peer's ABORT: report it; the session ends with its status. */
static int
aborted(struct relay *s, const uint8_t *p, size_t len)
{
	char why[FRAME_MAX_ABORT_TEXT + 512];
	enum err e;

	snprintf(s->st->reason, sizeof(s->st->reason), "aborted by peer");
	e = session_abort_received(s->r, p, len, why, sizeof(why));
	log_err("%s", why);
	return err_status(e);
}

/* The connection ended before the peer's EOF (PROTOCOL §7.5). */
static int
truncated(struct relay *s)
{
	log_err("connection to %s %s", record_peer(s->r),
	    err_strerror(ERR_CLOSED));
	return fail(s, STATUS_TRUNC, 0, "truncated by peer");
}

static int
handle_record(struct relay *s, uint8_t type, uint8_t *p, size_t len)
{
	const char *peer = record_peer(s->r);

	switch (type) {
	case FRAME_REC_DATA:
		if (s->in_done)
			break;
		s->st->bytes_in += len;
		if (!s->discard) {
			s->pend = p;
			s->pendlen = len;
		}
		return 0;
	case FRAME_REC_EOF:
		if (s->in_done)
			break;
		s->in_done = 1;
		if (!s->discard)
			end_plain(s->e->out, SHUT_WR);
		return 0;
	case FRAME_REC_CLOSE:
		if (s->peer_closed || s->in_done)
			break;
		/* Our producer's output has no reader any more: as with a
		 * pipe, its further writes fail (EPIPE). */
		s->peer_closed = 1;
		if (!s->plain_eof)
			end_plain(s->e->in, SHUT_RD);
		return 0;
	case FRAME_REC_EXIT:
		if (!s->e->peer_exit || s->in_done ||
		    s->st->remote_status != -1)
			break;
		return remote_exit(s, p, len);
	case FRAME_REC_ABORT:
		return aborted(s, p, len);
	default:
		break;
	}
	log_err("protocol violation from %s: record type %u out of order", peer,
	    type);
	return fail(s, STATUS_PROTO, FRAME_ABORT_PROTOCOL,
	    "protocol violation: record out of order");
}

/* Unwrap buffered records while the plaintext side can take them. */
static int
drain_records(struct relay *s)
{
	uint8_t type, *p;
	size_t len;
	int rc, got;

	while (s->pendlen == 0) {
		if (record_in_next(s->r, &type, &p, &len, &got) != ERR_OK) {
			log_err("%s", record_why(s->r));
			return fail(s, STATUS_PROTO, FRAME_ABORT_PROTOCOL,
			    "integrity check failed or protocol violation");
		}
		if (!got)
			break;
		if ((rc = handle_record(s, type, p, len)) != 0)
			return rc;
	}
	if (s->sock_eof && !s->in_done && s->pendlen == 0)
		return truncated(s);
	return 0;
}

/*
 * A CLOSE is owed to the peer (PROTOCOL §7.3): our consumer left while the
 * peer's data was still coming. Once the peer's EOF is in, it is moot.
 */
static int
close_due(const struct relay *s)
{
	return s->want_close && !s->close_sent && s->out_state == OUT_OPEN &&
	    !s->in_done;
}

/*
 * After a failed send: the records the peer sent before it went, already
 * on our side, and among them the ABORT that says why (a peer that fails
 * while we send closes with our data unread, and that reset must not hide
 * its reason). Other records are dropped: the session is over. Returns
 * the ABORT's status, or 0 when there is none.
 */
static int
abort_pending(struct relay *s)
{
	uint8_t type, *p;
	size_t len, n;
	int got;

	for (;;) {
		if (record_in_next(s->r, &type, &p, &len, &got) != ERR_OK)
			break;
		if (got && type == FRAME_REC_ABORT)
			return aborted(s, p, len);
		if (!got && (record_in_fill(s->r, &n) != ERR_OK || n == 0))
			break;
	}
	return 0;
}

/* record_out_flush failed with e: the peer went away, or the network. */
static int
send_failed(struct relay *s, enum err e)
{
	char why[512];
	int status;

	/* Kept: reading what the peer sent overwrites record_why. */
	snprintf(why, sizeof(why), "%s", record_why(s->r));
	if ((status = abort_pending(s)) != 0)
		return status;
	if (e == ERR_CLOSED)
		return truncated(s);
	log_err("%s", why);
	return fail(s, STATUS_SYS, 0, "send failed");
}

/* Decide what our direction sends next when the record buffer is free. */
static int
seal_next(struct relay *s)
{
	if (record_out_pending(s->r))
		return 0;
	if (close_due(s)) {
		s->close_sent = 1;
		return record_out_put(s->r, FRAME_REC_CLOSE, NULL, 0);
	}
	if (s->out_state == OUT_OPEN && (s->plain_eof || s->peer_closed)) {
		/* With a program: its exit status first (PROTOCOL §7.6). */
		if (s->e->child > 0 && !s->child_done)
			return 0;
		if (s->child_done && !s->exit_sent) {
			uint8_t status[FRAME_EXIT_LEN];

			frame_exit_encode(status, s->st->child_wstatus);
			s->exit_sent = 1;
			return record_out_put(s->r, FRAME_REC_EXIT, status,
			    sizeof(status));
		}
		s->out_state = OUT_EOF;
		return record_out_put(s->r, FRAME_REC_EOF, NULL, 0);
	}
	/* FIN only once both EOFs are through (PROTOCOL §7.5). */
	if (s->out_state == OUT_EOF && s->in_done && s->pendlen == 0) {
		(void)shutdown(s->sock, SHUT_WR);
		s->out_state = OUT_DONE;
	}
	return 0;
}

static int
read_plain(struct relay *s)
{
	size_t cap;
	uint8_t *p = record_out_space(s->r, &cap);
	ssize_t n;

	n = read(s->e->in, p, cap);
	if (n > 0) {
		s->st->bytes_out += (uint64_t)n;
		return record_out_seal(s->r, FRAME_REC_DATA, (size_t)n);
	}
	if (n == 0) {
		s->plain_eof = 1;
		return 0;
	}
	if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
		return 0;
	if (errno == ECONNRESET) {
		/* The program left with input unread: both ends are over. */
		s->plain_eof = 1;
		consumer_gone(s);
		return 0;
	}
	log_err("cannot read the plaintext input: %s", strerror(errno));
	return -1;
}

static int
write_plain(struct relay *s)
{
	ssize_t n = write(s->e->out, s->pend, s->pendlen);

	if (n > 0) {
		s->pend += n;
		s->pendlen -= (size_t)n;
		return 0;
	}
	if (n == -1 && (errno == EPIPE || errno == ECONNRESET)) {
		consumer_gone(s);
		return 0;
	}
	if (n == -1 &&
	    (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	log_err("cannot write the plaintext output: %s", strerror(errno));
	return -1;
}

/*
 * Log complete lines from the program's stderr; at EOF, the rest.
 * Returns what read() returned.
 */
static ssize_t
read_log(struct relay *s)
{
	char *nl;
	ssize_t n;

	n = read(s->e->log, s->logbuf + s->loglen,
	    sizeof(s->logbuf) - 1 - s->loglen);
	if (n > 0)
		s->loglen += (size_t)n;
	else if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return n;
	s->logbuf[s->loglen] = '\0';
	while ((nl = memchr(s->logbuf, '\n', s->loglen)) != NULL) {
		*nl = '\0';
		log_warn("%s: %s", s->e->log_label, s->logbuf);
		s->loglen -= (size_t)(nl + 1 - s->logbuf);
		memmove(s->logbuf, nl + 1, s->loglen);
	}
	if (n <= 0 || s->loglen == sizeof(s->logbuf) - 1) {
		if (s->loglen > 0)
			log_warn("%s: %s", s->e->log_label, s->logbuf);
		s->loglen = 0;
	}
	if (n <= 0)
		s->e->log = -1;
	return n;
}

enum { P_SOCK, P_IN, P_OUT, P_LOG, P_CHILD, P_N };

static void
set_events(struct relay *s, struct pollfd *pfd)
{
	int i;

	for (i = 0; i < P_N; i++) {
		pfd[i].fd = -1;
		pfd[i].events = 0;
		pfd[i].revents = 0;
	}
	pfd[P_SOCK].fd = s->sock;
	if (record_out_pending(s->r))
		pfd[P_SOCK].events |= POLLOUT;
	if (s->pendlen == 0 && !s->sock_eof)
		pfd[P_SOCK].events |= POLLIN;
	if (pfd[P_SOCK].events == 0)
		pfd[P_SOCK].fd = -1; /* no busy loop on a hang-up */
	if (s->out_state == OUT_OPEN && !s->plain_eof && !s->peer_closed &&
	    !record_out_pending(s->r) && !close_due(s)) {
		pfd[P_IN].fd = s->e->in;
		pfd[P_IN].events = POLLIN;
	}
	/* Watched even when idle: a hang-up means the consumer is gone. */
	if (!s->discard && !s->in_done) {
		pfd[P_OUT].fd = s->e->out;
		pfd[P_OUT].events = s->pendlen > 0 ? POLLOUT : 0;
	}
	if (s->e->log >= 0) {
		pfd[P_LOG].fd = s->e->log;
		pfd[P_LOG].events = POLLIN;
	}
	if (s->pidfd != -1 && !s->child_done) {
		pfd[P_CHILD].fd = s->pidfd;
		pfd[P_CHILD].events = POLLIN;
	}
}

static int
step(struct relay *s, struct pollfd *pfd)
{
	enum err e;
	size_t n;
	short rv;
	int done;

	rv = pfd[P_OUT].revents;
	if (rv & POLLOUT) {
		if (write_plain(s) == -1)
			return fail(s, STATUS_SYS, FRAME_ABORT_INTERNAL,
			    "local output failed");
	} else if (rv & (POLLERR | POLLHUP | POLLNVAL))
		consumer_gone(s);
	rv = pfd[P_SOCK].revents;
	if ((rv & POLLOUT) && (e = record_out_flush(s->r, &done)) != ERR_OK)
		return send_failed(s, e);
	/*
	 * Hang-ups are reported even when input was not asked for; reading
	 * then would overwrite plaintext still waiting to be written.
	 */
	if ((pfd[P_SOCK].events & POLLIN) &&
	    (rv & (POLLIN | POLLHUP | POLLERR))) {
		e = record_in_fill(s->r, &n);
		if (e == ERR_CLOSED)
			s->sock_eof = 1;
		else if (e != ERR_OK) {
			log_err("%s", record_why(s->r));
			return fail(s, STATUS_SYS, 0, "receive failed");
		}
	}
	if ((pfd[P_IN].revents & (POLLIN | POLLHUP | POLLERR)) &&
	    read_plain(s) == -1)
		return fail(s, STATUS_SYS, FRAME_ABORT_INTERNAL,
		    "local input failed");
	if (pfd[P_LOG].revents & (POLLIN | POLLHUP | POLLERR))
		(void)read_log(s);
	if ((pfd[P_CHILD].revents & POLLIN) &&
	    waitpid(s->e->child, &s->st->child_wstatus, WNOHANG) > 0)
		s->child_done = 1;
	return 0;
}

/*
 * How long poll() may wait: until the idle deadline, or a short tick while
 * an exited program's status is awaited without a pidfd.
 */
static int
poll_timeout(const struct relay *s, int64_t idle_deadline)
{
	int t = io_poll_timeout(idle_deadline);

	if (s->poll_child && !s->child_done && (t == -1 || t > 50))
		t = 50;
	return t;
}

/*
 * Write what is ready without asking poll() first: the socket and the
 * plaintext output usually have room, and a poll() per record is a system
 * call on the path of every byte. *moved says whether bytes moved. Returns
 * 0, or the failure status (the session is failed).
 */
static int
try_writes(struct relay *s, int *moved)
{
	size_t before = s->pendlen;
	enum err e;
	int done;

	*moved = 0;
	if (record_out_pending(s->r)) {
		if ((e = record_out_flush(s->r, &done)) != ERR_OK)
			return send_failed(s, e);
		*moved = done;
	}
	if (!*moved && s->pendlen > 0 && !s->discard) {
		if (write_plain(s) == -1)
			return fail(s, STATUS_SYS, FRAME_ABORT_INTERNAL,
			    "local output failed");
		*moved = s->pendlen < before;
	}
	return 0;
}

/* The poll loop proper, on an initialised relay. */
static int
loop(struct relay *s)
{
	struct pollfd pfd[P_N];
	int64_t idle_deadline = io_deadline(s->e->idle);
	int rc, n, moved;

	for (;;) {
		if ((rc = drain_records(s)) != 0)
			return rc;
		if (seal_next(s) == -1)
			return fail(s, STATUS_SYS, FRAME_ABORT_INTERNAL,
			    "cannot protect a record");
		/* Both EOFs exchanged: wait for the peer's FIN (§7.5). */
		if (s->out_state == OUT_DONE && s->in_done && s->pendlen == 0 &&
		    s->sock_eof)
			break;
		if ((rc = try_writes(s, &moved)) != 0)
			return rc;
		if (moved)
			continue;
		set_events(s, pfd);
		n = poll(pfd, P_N, poll_timeout(s, idle_deadline));
		if (n == -1) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			return fail(s, STATUS_SYS, FRAME_ABORT_INTERNAL,
			    "poll failed");
		}
		if (s->poll_child && !s->child_done &&
		    waitpid(s->e->child, &s->st->child_wstatus, WNOHANG) > 0)
			s->child_done = 1;
		if (n == 0 && idle_deadline != IO_NO_DEADLINE &&
		    io_now_ms() >= idle_deadline) {
			log_err("session with %s idle for %u s: closing",
			    record_peer(s->r), s->e->idle);
			return fail(s, STATUS_SYS, FRAME_ABORT_TIMEOUT,
			    "idle timeout");
		}
		if (n > 0)
			idle_deadline = io_deadline(s->e->idle);
		if ((rc = step(s, pfd)) != 0)
			return rc;
	}
	/* What the program already wrote to stderr; it may still be running. */
	while (s->e->log >= 0 && read_log(s) > 0)
		;
	snprintf(s->st->reason, sizeof(s->st->reason), "%s",
	    s->discard ? "completed (consumer closed early)" : "completed");
	return 0;
}

int
relay_run(struct record *r, struct relay_ends *ends, struct relay_stats *st)
{
	struct relay s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.r = r;
	s.e = ends;
	s.st = st;
	s.sock = record_fd(r);
	s.out_state = OUT_OPEN;
	s.pidfd = -1;
	st->child_wstatus = -1;
	st->remote_status = -1;
	/* The program's exit is a poll event too (PROTOCOL §7.6). */
	if (ends->child > 0 && (s.pidfd = pidfd_open(ends->child, 0)) == -1) {
		if (errno != ENOSYS) {
			log_err("cannot watch the program (pidfd_open): %s",
			    strerror(errno));
			return fail(&s, STATUS_SYS, FRAME_ABORT_INTERNAL,
			    "cannot watch the program");
		}
		s.poll_child = 1;
	}
	rc = loop(&s);
	if (s.pidfd != -1)
		close(s.pidfd);
	/*
	 * The session did not end with both authenticated EOFs: a TCP
	 * plaintext peer must read an error, never a clean end of a cut
	 * stream (PROTOCOL §7.5). A program is the caller's to tell.
	 */
	if (rc != 0) {
		io_reset_on_close(ends->in);
		io_reset_on_close(ends->out);
	}
	return rc;
}
