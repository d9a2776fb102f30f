/* TCP connections and addresses. */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "io.h"
#include "log.h"
#include "net.h"

void
net_nodelay(int fd)
{
	int one = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int
net_addr_text(const struct sockaddr *sa, socklen_t len, char *addr, size_t acap,
    char *port, size_t pcap)
{
	return getnameinfo(sa, len, addr, (socklen_t)acap, port,
		   (socklen_t)pcap, NI_NUMERICHOST | NI_NUMERICSERV) == 0 ?
	    0 :
	    -1;
}

void
net_peer_text(int fd, char *addr, size_t acap, char *port, size_t pcap)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	memset(&ss, 0, sizeof(ss));
	if (getpeername(fd, (struct sockaddr *)&ss, &len) == -1 ||
	    (ss.ss_family != AF_INET && ss.ss_family != AF_INET6) ||
	    net_addr_text((struct sockaddr *)&ss, len, addr, acap, port,
		pcap) == -1) {
		snprintf(addr, acap, "unknown");
		snprintf(port, pcap, "0");
	}
}

int
net_connect_addr(const struct sockaddr *sa, socklen_t len, int64_t deadline,
    int *fd_out)
{
	int fd, err = 0;
	socklen_t elen = sizeof(err);

	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0);
	if (fd == -1)
		return -1;
	if (connect(fd, sa, len) == -1) {
		if (errno != EINPROGRESS)
			goto fail;
		if (io_wait(fd, POLLOUT, deadline) == -1)
			goto fail;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == -1)
			goto fail;
		if (err != 0) {
			errno = err;
			goto fail;
		}
	}
	if (sa->sa_family != AF_UNIX)
		net_nodelay(fd);
	*fd_out = fd;
	return 0;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

int
net_connect(const char *host, const char *port, int family, int64_t deadline,
    int *fd_out)
{
	struct addrinfo hints, *res, *ai;
	char addr[64], serv[16];
	int rc, err = ECONNREFUSED;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc != 0) {
		log_err("cannot resolve %s port %s: %s", host, port,
		    rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (net_connect_addr(ai->ai_addr, ai->ai_addrlen, deadline,
			fd_out) == 0) {
			freeaddrinfo(res);
			return 0;
		}
		err = errno;
		if (net_addr_text(ai->ai_addr, ai->ai_addrlen, addr,
			sizeof(addr), serv, sizeof(serv)) == 0)
			log_debug("connect to %s port %s: %s", addr, serv,
			    strerror(err));
		if (err == ETIMEDOUT)
			break;
	}
	freeaddrinfo(res);
	log_err("cannot connect to %s port %s: %s", host, port,
	    err == ETIMEDOUT ? "timed out" : strerror(err));
	return -1;
}

static int
listen_one(const struct addrinfo *ai, const char *what, int *fd_out)
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
			log_err("%s: cannot listen on %s port %s: %s", what, a,
			    p, strerror(e));
		close(fd);
		errno = e;
		return -1;
	}
	*fd_out = fd;
	return 0;
}

int
net_listen(const char *what, const char *host, const char *port, int *fds,
    size_t max, size_t *n)
{
	struct addrinfo hints, *res, *ai;
	int rc, fd, opened = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	rc = getaddrinfo(host != NULL && host[0] ? host : NULL, port, &hints,
	    &res);
	if (rc != 0) {
		log_err("%s: %s", what, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (*n == max) {
			log_err("%s: more than %zu listening sockets", what,
			    max);
			opened = -1;
			break;
		}
		if (listen_one(ai, what, &fd) == -1) {
			/* A host without IPv6 can still listen on IPv4. */
			if (errno == EAFNOSUPPORT && (host == NULL || !host[0]))
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
