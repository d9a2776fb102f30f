/*
 * io: descriptor helpers. All waiting goes through poll() with an absolute
 * deadline on the monotonic clock (milliseconds; IO_NO_DEADLINE for none),
 * so the same calls work on blocking and non-blocking descriptors.
 */
#ifndef GSSWRAP_IO_H
#define GSSWRAP_IO_H

#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <sys/types.h>

#define IO_NO_DEADLINE (-1)

/* io_now_ms(): the monotonic clock in milliseconds. */
int64_t io_now_ms(void);

/* io_deadline(seconds): now + seconds, or IO_NO_DEADLINE when seconds is 0. */
int64_t io_deadline(unsigned int seconds);

/* io_poll_timeout(deadline): milliseconds left for poll(), -1 for none. */
int io_poll_timeout(int64_t deadline);

/*
 * io_wait(fd, events, deadline): wait until fd reports one of events (or an
 * error/hang-up). Returns 0, or -1 with errno (ETIMEDOUT at the deadline).
 */
int io_wait(int fd, short events, int64_t deadline);

/*
 * io_read_full(fd, buf, n, deadline): read exactly n bytes. Returns n, a
 * smaller count when end-of-file came first, or -1 with errno (ETIMEDOUT at
 * the deadline).
 */
ssize_t io_read_full(int fd, void *buf, size_t n, int64_t deadline);

/* io_write_full(fd, buf, n, deadline): write all n bytes; 0 or -1/errno. */
int io_write_full(int fd, const void *buf, size_t n, int64_t deadline);

/*
 * io_poll(pfd, n, timeout): poll(), where an interrupted call counts as
 * nothing ready (every revents cleared), so callers can look at revents
 * after a signal. Returns poll's count, or -1 with errno (never EINTR).
 */
int io_poll(struct pollfd *pfd, nfds_t n, int timeout);

/* How long a lingering close waits for the peer's FIN at most. */
#define IO_LINGER_MS 2000

/*
 * io_linger(fd, deadline): lingering close of a socket's sending side. Sends
 * FIN, then reads and drops what the peer still sends until its end of
 * file, an error or the deadline, so that closing with unread data (a TCP
 * reset) cannot destroy the last frame before the peer has read it.
 */
void io_linger(int fd, int64_t deadline);

/* io_set_nonblock(fd, on): set or clear O_NONBLOCK; 0 or -1/errno. */
int io_set_nonblock(int fd, int on);

/* io_set_cloexec(fd): set FD_CLOEXEC; 0 or -1/errno. */
int io_set_cloexec(int fd);

/*
 * io_sanitise_stdfd(): make sure descriptors 0, 1 and 2 are open (on
 * /dev/null when they were closed). Returns 0 or -1/errno.
 */
int io_sanitise_stdfd(void);

/*
 * io_reset_on_close(fd): make the coming close() of a TCP socket send a
 * reset (SO_LINGER 0) instead of a FIN, so that its peer reads an error,
 * not a clean end of stream. No-op for other descriptors.
 */
void io_reset_on_close(int fd);

/* io_is_socket(fd): 1 when fd is a socket, 0 otherwise. */
int io_is_socket(int fd);

#endif
