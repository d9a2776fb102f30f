/*
 * xfer: the plain endpoints and meters of bench/run.
 *
 *   xfer sink PORT              accept on 127.0.0.1:PORT, read each
 *                               connection to its end, then close it
 *   xfer source PORT BYTES      write BYTES to each connection, then close
 *   xfer echo PORT              echo each connection (one at a time)
 *   xfer greet PORT             write "x" to each connection and close it
 *   xfer send HOST PORT BYTES   connect, write BYTES, half-close, read to
 *                               the end; print "BYTES SECONDS"
 *   xfer recv HOST PORT         connect, read to the end; print
 *                               "BYTES SECONDS"
 *   xfer ping N HOST PORT       N one-byte round trips over TCP
 *   xfer ping N -- CMD...       N one-byte round trips through CMD's
 *                               standard input and output
 *                               (both print "median_us=.. p99_us=..")
 *   xfer cpu FILE -- CMD...     run CMD; write "USER SYS MAXRSS_KB" of it
 *                               and the children it waited for to FILE
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define CHUNK (256 * 1024)

static unsigned char buf[CHUNK];

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "xfer: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long long
number(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s) {
		fprintf(stderr, "xfer: bad number %s\n", s);
		exit(2);
	}
	return v;
}

static void
nodelay(int fd)
{
	int one = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static int
listen_on(const char *port)
{
	struct sockaddr_in sin;
	int fd, one = 1;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((unsigned short)number(port));
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		die("socket");
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 1024) == -1)
		die("listen");
	return fd;
}

static int
connect_to(const char *host, const char *port)
{
	struct addrinfo hints, *res;
	int fd;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &res) != 0) {
		fprintf(stderr, "xfer: cannot resolve %s\n", host);
		exit(1);
	}
	fd = socket(res->ai_family, SOCK_STREAM, 0);
	if (fd == -1 || connect(fd, res->ai_addr, res->ai_addrlen) == -1)
		die("connect");
	freeaddrinfo(res);
	nodelay(fd);
	return fd;
}

static unsigned long long
drain(int fd)
{
	unsigned long long total = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += (unsigned long long)n;
	return total;
}

static int
put(int fd, unsigned long long bytes)
{
	size_t want;
	ssize_t n;

	while (bytes > 0) {
		want = bytes < sizeof(buf) ? (size_t)bytes : sizeof(buf);
		if ((n = write(fd, buf, want)) <= 0)
			return -1;
		bytes -= (unsigned long long)n;
	}
	return 0;
}

static void
serve(const char *mode, const char *port, unsigned long long bytes)
{
	int lfd = listen_on(port), fd;
	ssize_t n;

	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) == -1)
			continue;
		nodelay(fd);
		if (strcmp(mode, "sink") == 0)
			(void)drain(fd);
		else if (strcmp(mode, "source") == 0) {
			(void)put(fd, bytes);
			(void)shutdown(fd, SHUT_WR);
			(void)drain(fd);
		} else if (strcmp(mode, "greet") == 0)
			(void)!write(fd, "x", 1);
		else
			while ((n = read(fd, buf, sizeof(buf))) > 0 &&
			    write(fd, buf, (size_t)n) == n)
				;
		close(fd);
	}
}

static int
transfer(const char *mode, const char *host, const char *port,
    unsigned long long bytes)
{
	double t0 = now();
	int fd = connect_to(host, port);
	unsigned long long got = 0;

	if (strcmp(mode, "send") == 0) {
		if (put(fd, bytes) == -1)
			die("write");
		(void)shutdown(fd, SHUT_WR);
		(void)drain(fd);
		got = bytes;
	} else
		got = drain(fd); /* no early half-close: stunnel ends on it */
	printf("%llu %.6f\n", got, now() - t0);
	close(fd);
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* N one-byte round trips from wfd to rfd. */
static int
pingpong(unsigned long long n, int wfd, int rfd)
{
	double *rtt = calloc(n, sizeof(*rtt)), t;
	unsigned long long i;
	unsigned char c = 'p';

	if (rtt == NULL)
		die("calloc");
	for (i = 0; i < n; i++) {
		t = now();
		if (write(wfd, &c, 1) != 1 || read(rfd, &c, 1) != 1)
			die("ping-pong");
		rtt[i] = now() - t;
	}
	qsort(rtt, n, sizeof(*rtt), cmp_double);
	printf("median_us=%.1f p99_us=%.1f\n", rtt[n / 2] * 1e6,
	    rtt[n * 99 / 100] * 1e6);
	free(rtt);
	return 0;
}

static int
ping_command(unsigned long long n, char **argv)
{
	int to[2], from[2], st;
	pid_t pid;

	if (pipe(to) == -1 || pipe(from) == -1)
		die("pipe");
	if ((pid = fork()) == 0) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[0]);
		close(to[1]);
		close(from[0]);
		close(from[1]);
		execvp(argv[0], argv);
		die(argv[0]);
	}
	close(to[0]);
	close(from[1]);
	pingpong(n, to[1], from[0]);
	close(to[1]);
	(void)drain(from[0]);
	waitpid(pid, &st, 0);
	return 0;
}

static volatile pid_t cpu_child;

/* SIGTERM and SIGINT go on to the measured command. */
static void
forward_signal(int sig)
{
	if (cpu_child > 0)
		(void)kill(cpu_child, sig);
}

static int
cpu(const char *file, char **argv)
{
	struct rusage ru;
	int st;
	pid_t pid;
	FILE *f;

	if ((pid = fork()) == 0) {
		execvp(argv[0], argv);
		die(argv[0]);
	}
	if (pid == -1)
		die("fork");
	cpu_child = pid;
	signal(SIGTERM, forward_signal);
	signal(SIGINT, forward_signal);
	while (wait4(pid, &st, 0, &ru) == -1)
		if (errno != EINTR)
			die("wait4");
	if ((f = fopen(file, "w")) == NULL)
		die(file);
	fprintf(f, "%.3f %.3f %ld\n",
	    (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
	    ru.ru_maxrss);
	fclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	signal(SIGPIPE, SIG_IGN);
	if ((strcmp(mode, "sink") == 0 || strcmp(mode, "echo") == 0 ||
		strcmp(mode, "greet") == 0) &&
	    argc == 3)
		serve(mode, argv[2], 0);
	if (strcmp(mode, "source") == 0 && argc == 4)
		serve(mode, argv[2], number(argv[3]));
	if (strcmp(mode, "send") == 0 && argc == 5)
		return transfer(mode, argv[2], argv[3], number(argv[4]));
	if (strcmp(mode, "recv") == 0 && argc == 4)
		return transfer(mode, argv[2], argv[3], 0);
	if (strcmp(mode, "ping") == 0 && argc >= 5 &&
	    strcmp(argv[3], "--") == 0)
		return ping_command(number(argv[2]), argv + 4);
	if (strcmp(mode, "ping") == 0 && argc == 5) {
		int fd = connect_to(argv[3], argv[4]);

		return pingpong(number(argv[2]), fd, fd);
	}
	if (strcmp(mode, "cpu") == 0 && argc >= 5 && strcmp(argv[3], "--") == 0)
		return cpu(argv[2], argv + 4);
	fprintf(stderr, "usage: see the comment at the top of bench/xfer.c\n");
	return 2;
}
