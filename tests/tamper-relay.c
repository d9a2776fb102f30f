/*
 * tamper-relay: a TCP relay for wire tests. It accepts one connection on a
 * loopback port, connects to the real server, and relays both ways while
 * it can capture every byte, flip one bit, or cut the connection.
 *
 *   tamper-relay -p PORTFILE -c PORT [-w CAPTURE] [-W C2S_CAPTURE]
 *                [-f DIR:OFFSET] [-x DIR:OFFSET] [-r DIR:OFFSET] [-s DIR:N]
 *                [-m DIR:N:dup|swap|drop]
 *
 * DIR is c2s or s2c. OFFSET counts bytes from the start of the first WRAP
 * frame in that direction (docs/PROTOCOL.md §4.1), i.e. after the
 * handshake. -W captures only what the client sent (to replay it). -f flips the
 * lowest bit of that byte; -x closes both connections when that byte is
 * reached (with a FIN, unread bytes dropped); -r resets both instead
 * (SO_LINGER 0: each end gets a TCP RST).
 * -s swallows what DIR carries after its first N bytes (handshake
 * included), holding the connection open: the receiver waits, mid-handshake
 * for small N, until one end goes away. -m works on whole frames: the Nth
 * frame from the first WRAP frame (0 = that frame) is sent twice (dup),
 * after the one following it (swap), or not at all (drop); what an
 * attacker on the network can do without knowing any key. The chosen
 * listening port is
 * written to PORTFILE once listening. At
 * exit, the WRAP byte counts of each direction are printed on stdout: "c2s N
 * s2c M".
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "testnet.h"

struct dir {
	int from, to;
	int open;
	/* Frame parsing until the first WRAP frame is found. */
	long long seen;	      /* bytes passed so far */
	long long wrap_start; /* offset of the first WRAP frame, -1 */
	long long frame_at;   /* offset of the next frame header */
	unsigned char hdr[6];
	long long flip, cut; /* relative to wrap_start, -1 = none */
	long long swallow;   /* from the start; -1 = none */
	FILE *cap;	     /* this direction only, or NULL */
	/* -m: whole-frame operation on frame op_n after wrap_start. */
	int op; /* 0, 'd'up, 's'wap, 'x' (drop) */
	long long op_n;
	long long frames;    /* frames passed since wrap_start */
	unsigned char *fbuf; /* the frame being assembled */
	size_t flen, fcap;
	unsigned char *held; /* swap: frame op_n, until the next one */
	size_t hlen;
	int dead_end; /* writing to the receiver failed: it reset */
};

/* -r: the cut is a reset. */
static int reset;

static void
parse_spec(const char *arg, struct dir *c2s, struct dir *s2c, int what)
{
	struct dir *d;
	long long off;
	char *end;

	if (strncmp(arg, "c2s:", 4) == 0)
		d = c2s;
	else if (strncmp(arg, "s2c:", 4) == 0)
		d = s2c;
	else {
		fprintf(stderr, "tamper-relay: bad spec %s\n", arg);
		exit(2);
	}
	off = strtoll(arg + 4, &end, 10);
	if (what == 'm') {
		d->op_n = off;
		if (strcmp(end, ":dup") == 0)
			d->op = 'd';
		else if (strcmp(end, ":swap") == 0)
			d->op = 's';
		else if (strcmp(end, ":drop") == 0)
			d->op = 'x';
		else {
			fprintf(stderr,
			    "tamper-relay: bad frame operation %s\n", arg);
			exit(2);
		}
	} else if (what == 'f')
		d->flip = off;
	else if (what == 's')
		d->swallow = off;
	else
		d->cut = off;
}

/*
 * Track frame boundaries byte by byte until the first WRAP frame (6-byte
 * headers, PROTOCOL §4.1). The type byte alone identifies it.
 */
static void
track(struct dir *d, long long pos, unsigned char b)
{
	long long k;

	if (d->wrap_start >= 0 || pos < d->frame_at)
		return;
	k = pos - d->frame_at;
	d->hdr[k] = b;
	if (k == 0 && b == 0x03) {
		d->wrap_start = d->frame_at;
		return;
	}
	if (k < 5)
		return;
	d->frame_at += 6 +
	    (((long long)d->hdr[1] << 24) | (d->hdr[2] << 16) |
		(d->hdr[3] << 8) | d->hdr[4]);
}

/* Returns the number of bytes to forward (less when cutting), -1 = cut. */
static ssize_t
tamper(struct dir *d, unsigned char *buf, ssize_t n)
{
	ssize_t i;
	long long rel;

	for (i = 0; i < n; i++) {
		track(d, d->seen + i, buf[i]);
		if (d->wrap_start < 0 || d->seen + i < d->wrap_start)
			continue;
		rel = d->seen + i - d->wrap_start;
		if (rel == d->flip)
			buf[i] ^= 0x01;
		if (rel == d->cut)
			return i == 0 ? -1 : i;
	}
	return n;
}

static int
write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t w;
	size_t off;

	for (off = 0; off < n; off += (size_t)w) {
		w = write(fd, p + off, n - off);
		if (w <= 0)
			return -1;
	}
	return 0;
}

/* -m: one whole frame is in d->fbuf; pass it on as the operation says. */
static int
frame_out(struct dir *d)
{
	long long i = d->frames++;
	int rc = 0;

	if (i == d->op_n && d->op == 's') {
		d->held = malloc(d->flen);
		if (d->held == NULL)
			testnet_die("malloc");
		memcpy(d->held, d->fbuf, d->flen);
		d->hlen = d->flen;
		return 0;
	}
	if (i == d->op_n && d->op == 'x')
		return 0;
	if (write_all(d->to, d->fbuf, d->flen) == -1)
		return -1;
	if (i == d->op_n && d->op == 'd')
		rc = write_all(d->to, d->fbuf, d->flen);
	if (d->held != NULL) {
		rc = write_all(d->to, d->held, d->hlen);
		free(d->held);
		d->held = NULL;
	}
	return rc;
}

/* -m: the length of the frame being assembled, as far as known. */
static size_t
frame_need(const struct dir *d)
{
	if (d->flen < 6)
		return 6;
	return 6 +
	    (((size_t)d->fbuf[1] << 24) | ((size_t)d->fbuf[2] << 16) |
		((size_t)d->fbuf[3] << 8) | d->fbuf[4]);
}

/* -m: collect the bytes after wrap_start into frames. */
static int
frames_feed(struct dir *d, const unsigned char *p, size_t n)
{
	size_t need, take;

	while (n > 0) {
		need = frame_need(d);
		if (need > d->fcap) {
			d->fcap = need < 65536 ? 65536 : need;
			d->fbuf = realloc(d->fbuf, d->fcap);
			if (d->fbuf == NULL)
				testnet_die("realloc");
		}
		take = need - d->flen < n ? need - d->flen : n;
		memcpy(d->fbuf + d->flen, p, take);
		d->flen += take;
		p += take;
		n -= take;
		if (d->flen == frame_need(d)) {
			if (frame_out(d) == -1)
				return -1;
			d->flen = 0;
		}
	}
	return 0;
}

/* Forward m bytes of buf, through the frame assembler from wrap_start. */
static int
forward(struct dir *d, const unsigned char *buf, ssize_t m)
{
	long long k = 0;

	if (d->op == 0 || d->wrap_start < 0)
		return write_all(d->to, buf, (size_t)m);
	if (d->seen < d->wrap_start)
		k = d->wrap_start - d->seen;
	if (k > 0 && write_all(d->to, buf, (size_t)k) == -1)
		return -1;
	return frames_feed(d, buf + k, (size_t)(m - k));
}

static int
pump(struct dir *d, FILE *cap)
{
	unsigned char buf[65536];
	ssize_t n, m;

	n = read(d->from, buf, sizeof(buf));
	if (n <= 0) {
		if (d->held != NULL) /* swap with nothing after it */
			write_all(d->to, d->held, d->hlen);
		shutdown(d->to, SHUT_WR);
		d->open = 0;
		return 0;
	}
	m = tamper(d, buf, n);
	if (m < 0)
		return -1;
	if (d->swallow >= 0 && d->seen + m > d->swallow) {
		m = d->swallow > d->seen ? d->swallow - d->seen : 0;
		n = m; /* the rest is dropped, not a cut */
	}
	if (cap != NULL)
		fwrite(buf, 1, (size_t)m, cap);
	if (d->cap != NULL)
		fwrite(buf, 1, (size_t)m, d->cap);
	if (forward(d, buf, m) == -1) {
		/*
		 * The receiver went away (it failed, and may have reset):
		 * this direction is over, but the other one still delivers
		 * what that side sent last, its ABORT, as a network would;
		 * then the sender is reset, as the receiver's host would.
		 */
		shutdown(d->from, SHUT_RD);
		d->open = 0;
		d->dead_end = 1;
		return 0;
	}
	d->seen += m;
	return m < n ? -1 : 0;
}

/*
 * End one connection: with -r, or when its peer's data could not be
 * delivered, a reset; otherwise a FIN, sent before the bytes not read yet
 * are dropped, so that the close is not a reset (which Linux sends when a
 * socket is closed with unread data).
 */
static void
end_conn(int fd, int rst)
{
	struct linger lg = { 1, 0 };
	char junk[65536];

	if (rst) {
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	} else {
		shutdown(fd, SHUT_WR);
		while (recv(fd, junk, sizeof(junk), MSG_DONTWAIT) > 0)
			;
	}
	close(fd);
}

int
main(int argc, char **argv)
{
	struct dir c2s, s2c;
	struct sockaddr_in sa;
	struct pollfd p[2];
	const char *portfile = NULL, *capfile = NULL, *c2sfile = NULL;
	FILE *cap = NULL;
	int ls, cs, ss, c, port = 0, one = 1;

	memset(&c2s, 0, sizeof(c2s));
	memset(&s2c, 0, sizeof(s2c));
	c2s.flip = c2s.cut = s2c.flip = s2c.cut = -1;
	c2s.swallow = s2c.swallow = -1;
	c2s.wrap_start = s2c.wrap_start = -1;
	/* Both directions begin with the 8-byte preamble. */
	c2s.frame_at = s2c.frame_at = 8;
	while ((c = getopt(argc, argv, "p:c:w:W:f:x:r:s:m:")) != -1) {
		switch (c) {
		case 'p':
			portfile = optarg;
			break;
		case 'c':
			port = atoi(optarg);
			break;
		case 'w':
			capfile = optarg;
			break;
		case 'W':
			c2sfile = optarg;
			break;
		case 'r':
			reset = 1;
			/* FALLTHROUGH */
		case 'f':
		case 'x':
		case 's':
		case 'm':
			parse_spec(optarg, &c2s, &s2c, c);
			break;
		default:
			return 2;
		}
	}
	if (portfile == NULL || port == 0)
		return 2;
	signal(SIGPIPE, SIG_IGN); /* a failed write ends its direction only */
	if (capfile != NULL && (cap = fopen(capfile, "w")) == NULL)
		testnet_die(capfile);
	if (c2sfile != NULL && (c2s.cap = fopen(c2sfile, "w")) == NULL)
		testnet_die(c2sfile);
	ls = testnet_listen(portfile);
	if ((cs = accept(ls, NULL, NULL)) == -1)
		testnet_die("accept");
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((unsigned short)port);
	if ((ss = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(ss, (struct sockaddr *)&sa, sizeof(sa)) == -1)
		testnet_die("connect");
	setsockopt(cs, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(ss, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c2s.from = cs;
	c2s.to = ss;
	s2c.from = ss;
	s2c.to = cs;
	c2s.open = s2c.open = 1;
	while (c2s.open || s2c.open) {
		p[0].fd = c2s.open ? cs : -1;
		p[1].fd = s2c.open ? ss : -1;
		p[0].events = p[1].events = POLLIN;
		if (poll(p, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			testnet_die("poll");
		}
		if ((p[0].revents && pump(&c2s, cap) == -1) ||
		    (p[1].revents && pump(&s2c, cap) == -1))
			break;
	}
	/* Cut or done: both connections end here. */
	end_conn(cs, reset || c2s.dead_end);
	end_conn(ss, reset || s2c.dead_end);
	if (cap != NULL)
		fclose(cap);
	if (c2s.cap != NULL)
		fclose(c2s.cap);
	free(c2s.fbuf);
	free(s2c.fbuf);
	printf("c2s %lld s2c %lld\n",
	    c2s.wrap_start >= 0 ? c2s.seen - c2s.wrap_start : 0,
	    s2c.wrap_start >= 0 ? s2c.seen - s2c.wrap_start : 0);
	return 0;
}
