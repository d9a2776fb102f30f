/*
 * handshake: session set-up cost, measured with the client code itself
 * (gsswrap/client.c), so that process start is not counted. The server
 * must send one byte "x" first (gsswrapd -c to `xfer greet`).
 *
 *   handshake -n COUNT HOST PORT
 *       COUNT sessions one after the other; prints the median and p99 of
 *       connect to first byte, in milliseconds.
 *   handshake -c WORKERS -d SECONDS HOST PORT
 *       WORKERS processes open sessions back to back for SECONDS; prints
 *       the sessions per second that completed and were verified (the byte
 *       arrived, both ends closed with an authenticated end-of-stream).
 *
 * Credentials and target as for gsswrap (KRB5CCNAME, service host).
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "args.h"
#include "client.h"
#include "frame.h"
#include "io.h"
#include "log.h"
#include "net.h"
#include "record.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One verified session; its connect-to-first-byte time in *ttfb. */
static int
session(const struct client *c, int devnull, double *ttfb)
{
	int64_t deadline = io_deadline(c->timeout);
	struct record *r = NULL;
	uint8_t type, *payload;
	size_t len;
	double t0 = now();
	int fd = -1, rc = -1, remote;

	if (net_connect(c->host, c->port, AF_UNSPEC, deadline, &fd) == -1 ||
	    client_establish(c, fd, c->target, c->target_desc, c->peer,
		deadline, &r) != 0 ||
	    record_recv(r, &type, &payload, &len, deadline) != ERR_OK ||
	    type != FRAME_REC_DATA || len != 1 || payload[0] != 'x')
		goto out;
	*ttfb = now() - t0;
	/* The rest: our EOF, theirs, and the close (PROTOCOL §7.5). */
	rc = client_relay(r, devnull, devnull, &remote) == 0 ? 0 : -1;
out:
	record_free(r);
	if (fd != -1)
		close(fd);
	return rc;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
latency(const struct client *c, int devnull, unsigned int n)
{
	double *t = calloc(n, sizeof(*t));
	unsigned int i;

	if (t == NULL)
		return 1;
	for (i = 0; i < n; i++)
		if (session(c, devnull, &t[i]) == -1) {
			log_err("session %u failed", i);
			free(t);
			return 1;
		}
	qsort(t, n, sizeof(*t), cmp_double);
	printf("handshake_median_ms=%.3f handshake_p99_ms=%.3f\n",
	    t[n / 2] * 1e3, t[n * 99 / 100] * 1e3);
	free(t);
	return 0;
}

/* A worker: sessions until the end time; exit status = failures > 0. */
static void __attribute__((noreturn))
worker(const struct client *c, int devnull, double end, int report)
{
	unsigned long ok = 0, bad = 0;
	double t;

	while (now() < end) {
		if (session(c, devnull, &t) == 0)
			ok++;
		else
			bad++;
	}
	dprintf(report, "%lu %lu\n", ok, bad);
	_exit(0);
}

static int
rate(const struct client *c, int devnull, unsigned int workers,
    unsigned int seconds)
{
	unsigned long ok = 0, bad = 0, a, b;
	double start = now(), end = start + seconds;
	int pfd[2], st;
	unsigned int i;
	FILE *f;

	if (pipe(pfd) == -1)
		return 1;
	for (i = 0; i < workers; i++)
		if (fork() == 0)
			worker(c, devnull, end, pfd[1]);
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	while (f != NULL && fscanf(f, "%lu %lu", &a, &b) == 2) {
		ok += a;
		bad += b;
	}
	while (wait(&st) > 0)
		;
	if (f != NULL)
		fclose(f);
	printf("sessions_per_s=%.1f verified=%lu failed=%lu workers=%u\n",
	    (double)ok / (now() - start), ok, bad, workers);
	return bad == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	unsigned int count = 0, workers = 0, seconds = 5;
	struct client c;
	int ch, rc, devnull;

	log_init("handshake", LOG_TO_STDERR, 0);
	memset(&c, 0, sizeof(c));
	c.service = "host";
	c.timeout = 10;
	while ((ch = getopt(argc, argv, "n:c:d:")) != -1) {
		if ((ch == 'n' &&
			args_number(optarg, "-n", 1, 1000000, &count) == -1) ||
		    (ch == 'c' &&
			args_number(optarg, "-c", 1, 1000, &workers) == -1) ||
		    (ch == 'd' &&
			args_number(optarg, "-d", 1, 3600, &seconds) == -1) ||
		    ch == '?')
			return 2;
	}
	if (argc - optind != 2 || (count == 0) == (workers == 0)) {
		fprintf(stderr,
		    "usage: handshake -n COUNT | -c WORKERS -d "
		    "SECONDS HOST PORT\n");
		return 2;
	}
	c.host = argv[optind];
	c.port = argv[optind + 1];
	if ((devnull = open("/dev/null", O_RDWR | O_NONBLOCK)) == -1 ||
	    client_prepare(&c) != 0)
		return 1;
	rc = count > 0 ? latency(&c, devnull, count) :
			 rate(&c, devnull, workers, seconds);
	client_release(&c);
	close(devnull);
	return rc;
}
