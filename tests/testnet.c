/* Loopback listening for the test tools. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "testnet.h"

void
testnet_die(const char *what)
{
	fprintf(stderr, "%s: %s\n", what, strerror(errno));
	exit(2);
}

int
testnet_listen(const char *portfile)
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
		testnet_die("listen");
	if ((f = fopen(portfile, "w")) == NULL)
		testnet_die(portfile);
	fprintf(f, "%d\n", ntohs(sa.sin_port));
	fclose(f);
	return fd;
}
