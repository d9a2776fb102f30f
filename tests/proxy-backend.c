/*
 * proxy-backend: a plaintext backend for forwarding tests. It listens on a
 * loopback TCP port (chosen by the kernel, written to PORTFILE) or a UNIX
 * socket path, serves one connection and exits. With -x it first reads a
 * PROXY v2 header (gsswrapd/proxyv2.c) and writes what it says to INFO;
 * without -x it writes the first bytes it received to INFO. Then it echoes
 * everything back until EOF.
 *
 *   proxy-backend (-p PORTFILE | -u PATH) [-x] -o INFO
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "net.h"
#include "proxyv2.h"

static void
die(const char *what)
{
	fprintf(stderr, "proxy-backend: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int
listen_tcp(const char *portfile)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	FILE *f;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(fd, 1) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) == -1)
		die("listen");
	if ((f = fopen(portfile, "w")) == NULL)
		die(portfile);
	fprintf(f, "%d\n", ntohs(sa.sin_port));
	fclose(f);
	return fd;
}

static int
listen_unix(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(fd, 1) == -1)
		die("listen");
	return fd;
}

static void
describe(FILE *f, const struct proxyv2_info *pi)
{
	char a[64], p[16];

	fprintf(f, "peer=%s\nservice=%s\nmech=%s\n", pi->peer, pi->service,
	    pi->mech);
	if (pi->family != AF_UNSPEC &&
	    net_addr_text((const struct sockaddr *)&pi->src, sizeof(pi->src), a,
		sizeof(a), p, sizeof(p)) == 0)
		fprintf(f, "src=%s:%s\n", a, p);
	if (pi->family != AF_UNSPEC &&
	    net_addr_text((const struct sockaddr *)&pi->dst, sizeof(pi->dst), a,
		sizeof(a), p, sizeof(p)) == 0)
		fprintf(f, "dst=%s:%s\n", a, p);
}

int
main(int argc, char **argv)
{
	const char *portfile = NULL, *path = NULL, *info = NULL;
	struct proxyv2_info pi;
	uint8_t buf[65536];
	size_t have = 0, used = 0;
	ssize_t n;
	FILE *f;
	int c, lfd, fd, header = 0, rc = 0;

	while ((c = getopt(argc, argv, "p:u:xo:")) != -1) {
		switch (c) {
		case 'p':
			portfile = optarg;
			break;
		case 'u':
			path = optarg;
			break;
		case 'x':
			header = 1;
			break;
		case 'o':
			info = optarg;
			break;
		default:
			return 2;
		}
	}
	if (info == NULL || (portfile == NULL) == (path == NULL))
		return 2;
	lfd = portfile != NULL ? listen_tcp(portfile) : listen_unix(path);
	if ((fd = accept(lfd, NULL, NULL)) == -1)
		die("accept");
	if ((f = fopen(info, "w")) == NULL)
		die(info);
	/* Read until the header is complete (or the first bytes, without -x).
	 */
	while ((n = read(fd, buf + have, sizeof(buf) - have)) > 0) {
		have += (size_t)n;
		if (!header)
			break;
		rc = proxyv2_decode(buf, have, &pi, &used);
		if (rc != 0)
			break;
	}
	if (header && rc == 1)
		describe(f, &pi);
	else if (header)
		fprintf(f, "bad-header\n");
	else
		fprintf(f, "first=%.*s\n", (int)(have < 32 ? have : 32), buf);
	fclose(f);
	/* Echo the rest: what followed the header, then everything else. */
	if (have > used && write(fd, buf + used, have - used) < 0)
		die("write");
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			die("write");
	close(fd);
	if (path != NULL)
		unlink(path);
	return 0;
}
