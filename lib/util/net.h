/* net: TCP connection set-up and address formatting. */
#ifndef GSSWRAP_NET_H
#define GSSWRAP_NET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/*
 * net_connect(host, port, family, deadline, fd_out): connect to every
 * address getaddrinfo returns for host and port (family AF_UNSPEC, AF_INET
 * or AF_INET6), in order, until one answers. The socket is close-on-exec,
 * non-blocking and has TCP_NODELAY set. Returns 0, or -1 after logging the
 * host, port and the last error.
 */
int net_connect(const char *host, const char *port, int family,
    int64_t deadline, int *fd_out);

/*
 * net_connect_addr(sa, len, deadline, fd_out): one stream connection to sa
 * (TCP or UNIX), close-on-exec and non-blocking, TCP_NODELAY for TCP.
 * Returns 0, or -1 with errno (ETIMEDOUT at the deadline); not logged.
 */
int net_connect_addr(const struct sockaddr *sa, socklen_t len, int64_t deadline,
    int *fd_out);

/*
 * net_addr_text(sa, len, addr, acap, port, pcap): numeric address and
 * port of sa. Returns 0 or -1.
 */
int net_addr_text(const struct sockaddr *sa, socklen_t len, char *addr,
    size_t acap, char *port, size_t pcap);

/*
 * net_peer_text(fd, addr, acap, port, pcap): the numeric address and port
 * of the socket's peer, or "unknown"/"0" when it has none (e.g. a pipe).
 */
void net_peer_text(int fd, char *addr, size_t acap, char *port, size_t pcap);

/*
 * net_listen(what, host, port, fds, max, n): listen (non-blocking,
 * close-on-exec, IPv6 sockets IPv6-only) on every address of host (NULL or
 * "": every address) and port, appending to fds[*n], at most max. what
 * names the option in messages. Returns 0, or -1 after logging (sockets
 * already opened stay in fds for the caller to close).
 */
int net_listen(const char *what, const char *host, const char *port, int *fds,
    size_t max, size_t *n);

/* net_nodelay(fd): set TCP_NODELAY where fd is a TCP socket. */
void net_nodelay(int fd);

#endif
