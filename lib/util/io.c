/* Descriptor helpers with deadlines. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "io.h"

int64_t
io_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
io_deadline(unsigned int seconds)
{
	if (seconds == 0)
		return IO_NO_DEADLINE;
	return io_now_ms() + (int64_t)seconds * 1000;
}

int
io_poll_timeout(int64_t deadline)
{
	int64_t left;

	if (deadline == IO_NO_DEADLINE)
		return -1;
	left = deadline - io_now_ms();
	if (left <= 0)
		return 0;
	return left > 86400000 ? 86400000 : (int)left;
}

int
io_wait(int fd, short events, int64_t deadline)
{
	struct pollfd p;
	int rc;

	p.fd = fd;
	p.events = events;
	for (;;) {
		p.revents = 0;
		rc = poll(&p, 1, io_poll_timeout(deadline));
		if (rc > 0)
			return 0;
		if (rc == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (errno != EINTR)
			return -1;
	}
}

ssize_t
io_read_full(int fd, void *buf, size_t n, int64_t deadline)
{
	unsigned char *p = buf;
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, p + got, n - got);
		if (r > 0) {
			got += (size_t)r;
			continue;
		}
		if (r == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (io_wait(fd, POLLIN, deadline) == -1)
			return -1;
	}
	return (ssize_t)got;
}

int
io_write_full(int fd, const void *buf, size_t n, int64_t deadline)
{
	const unsigned char *p = buf;
	size_t done = 0;
	ssize_t w;

	while (done < n) {
		w = write(fd, p + done, n - done);
		if (w >= 0) {
			done += (size_t)w;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (io_wait(fd, POLLOUT, deadline) == -1)
			return -1;
	}
	return 0;
}

int
io_poll(struct pollfd *pfd, nfds_t n, int timeout)
{
	nfds_t i;
	int rc = poll(pfd, n, timeout);

	if (rc == -1 && errno == EINTR) {
		for (i = 0; i < n; i++)
			pfd[i].revents = 0;
		return 0;
	}
	return rc;
}

void
io_linger(int fd, int64_t deadline)
{
	char junk[4096];
	ssize_t n;

	(void)shutdown(fd, SHUT_WR);
	while (io_wait(fd, POLLIN, deadline) == 0) {
		n = read(fd, junk, sizeof(junk));
		if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
			break;
	}
}

int
io_set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl == -1)
		return -1;
	fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
	return fcntl(fd, F_SETFL, fl);
}

int
io_set_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFD);

	if (fl == -1)
		return -1;
	return fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
}

int
io_sanitise_stdfd(void)
{
	int fd;

	/* Open /dev/null until it lands above 2: then 0-2 are all open. */
	for (;;) {
		fd = open("/dev/null", O_RDWR);
		if (fd == -1)
			return -1;
		if (fd > 2) {
			close(fd);
			return 0;
		}
	}
}

int
io_is_socket(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == -1)
		return 0;
	return S_ISSOCK(st.st_mode) ? 1 : 0;
}

void
io_reset_on_close(int fd)
{
	struct linger lg = { 1, 0 };

	if (fd >= 0 && io_is_socket(fd))
		(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
}
