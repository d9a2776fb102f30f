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
#include "testnet.h"

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
		testnet_die("listen");
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
	lfd = portfile != NULL ? testnet_listen(portfile) : listen_unix(path);
	if ((fd = accept(lfd, NULL, NULL)) == -1)
		testnet_die("accept");
	if ((f = fopen(info, "w")) == NULL)
		testnet_die(info);
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
		testnet_die("write");
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			testnet_die("write");
	close(fd);
	if (path != NULL)
		unlink(path);
	return 0;
}
