/*
 * libFuzzer harness: the record layer after the handshake (lib/proto/record.c,
 * session.c, relay.c; PROTOCOL §5-§7) on a real context pair. The pair is
 * established once against the test realm and exported; every input
 * imports both halves afresh, so sequence numbers start over.
 *
 * The first byte picks the side under test (bit 0: the acceptor, or the
 * initiator, which also takes EXIT records), whether a valid HELLO is
 * sent first (bit 1), and the record protection of the side under test
 * (bit 2: GSS-API; clear: native, protect.h, for the realm's AES enctype).
 * The peer always seals with MIT's GSS-API. The rest is a script of steps, each
 * an operation byte and, for those that carry bytes, a length byte and that
 * many bytes:
 *
 *   0 SEAL   a record: the first byte is its type, the rest its payload,
 *            wrapped by the peer's context, conf on, in a WRAP frame
 *   1 RAW    the bytes as they are, onto the wire
 *   2 FLIP   flip the bit the first byte names in the last frame
 *   3 SKIP   seal a record but leave it out (a sequence gap)
 *   4 DUP    send the last frame again (a replay)
 *   5 PLAIN  a record wrapped without confidentiality
 *   6 BIG    a DATA record of 256 times the length byte
 *
 * Oracle: what the side under test delivers must be a prefix of the DATA
 * sealed while the wire was still exactly what the peer's context sealed
 * (no RAW bytes, SKIP, DUP or PLAIN before it, and no FLIP left standing).
 * Delivering anything forged, replayed or unencrypted aborts.
 */
#include "config.h"

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <gssapi/gssapi.h>

#include "frame.h"
#include "fuzzkrb.h"
#include "io.h"
#include "record.h"
#include "relay.h"
#include "session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The wire must fit the socket buffer: the script is written at once. */
#define WIRE_MAX (160u * 1024u)

enum { OP_SEAL, OP_RAW, OP_FLIP, OP_SKIP, OP_DUP, OP_PLAIN, OP_BIG, OP_N };

struct script {
	gss_ctx_id_t peer; /* the side the script speaks for */
	uint8_t wire[WIRE_MAX];
	size_t len, last, last_len; /* the last frame: offset and length */
	uint8_t honest[WIRE_MAX];   /* the wire as sealed, before FLIPs */
	uint8_t good[WIRE_MAX];	    /* DATA sealed before any break */
	size_t good_len;
	int broken; /* bytes added or left out: nothing after counts */
};

static gss_buffer_desc exported[2]; /* [0] initiator, [1] acceptor */

static gss_ctx_id_t
import(int which)
{
	gss_buffer_desc copy;
	gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
	OM_uint32 maj, min;

	/* Import consumes nothing, but takes a non-const buffer. */
	copy = exported[which];
	maj = gss_import_sec_context(&min, &copy, &ctx);
	if (GSS_ERROR(maj))
		fuzzkrb_die("importing a context", maj, min);
	return ctx;
}

static void
setup(void)
{
	gss_ctx_id_t ictx, actx;
	OM_uint32 maj, min;

	fuzzkrb_init("fuzz_record");
	fuzzkrb_pair(&ictx, &actx);
	maj = gss_export_sec_context(&min, &ictx, &exported[0]);
	if (!GSS_ERROR(maj))
		maj = gss_export_sec_context(&min, &actx, &exported[1]);
	if (GSS_ERROR(maj))
		fuzzkrb_die("exporting the contexts", maj, min);
}

static void
put(struct script *s, const void *p, size_t n)
{
	if (n > WIRE_MAX - s->len)
		n = WIRE_MAX - s->len;
	memcpy(s->wire + s->len, p, n);
	s->len += n;
}

/* Wrap type+payload with the peer's context; append the frame unless gap. */
static void
seal(struct script *s, uint8_t type, const uint8_t *p, size_t n, int conf,
    int gap)
{
	static uint8_t plain[1 + 64 * 1024];
	gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
	uint8_t hdr[FRAME_HDR_LEN];
	OM_uint32 maj, min;
	int intact;

	plain[0] = type;
	memcpy(plain + 1, p, n);
	in.value = plain;
	in.length = 1 + n;
	maj = gss_wrap(&min, s->peer, conf, GSS_C_QOP_DEFAULT, &in, NULL, &out);
	if (GSS_ERROR(maj))
		fuzzkrb_die("wrapping a record", maj, min);
	if (!gap && s->len + sizeof(hdr) + out.length <= WIRE_MAX) {
		/* Two FLIPs of one bit undo each other: compare the bytes. */
		intact = !s->broken && memcmp(s->wire, s->honest, s->len) == 0;
		s->last = s->len;
		frame_header_encode(hdr, FRAME_WRAP, (uint32_t)out.length);
		put(s, hdr, sizeof(hdr));
		put(s, out.value, out.length);
		s->last_len = s->len - s->last;
		memcpy(s->honest + s->last, s->wire + s->last, s->last_len);
		if (intact && conf && type == FRAME_REC_DATA) {
			memcpy(s->good + s->good_len, p, n);
			s->good_len += n;
		}
	} else if (!gap) {
		s->broken = 1; /* the wire is full: nothing after counts */
	}
	gss_release_buffer(&min, &out);
}

/* One step of the script at p (n bytes left); returns the bytes used. */
static size_t
step(struct script *s, const uint8_t *p, size_t n)
{
	static uint8_t big[255 * 256];
	uint8_t op = p[0] % OP_N;
	size_t len = n > 1 ? p[1] : 0, used;

	if (len > n - 2 || n < 2)
		len = n >= 2 ? n - 2 : 0;
	used = n < 2 ? n : 2 + len;
	p += 2;
	switch (op) {
	case OP_SEAL:
	case OP_PLAIN:
	case OP_SKIP:
		if (len == 0)
			break;
		if (op != OP_SEAL)
			s->broken = 1;
		seal(s, p[0], p + 1, len - 1, op != OP_PLAIN, op == OP_SKIP);
		break;
	case OP_RAW:
		s->broken |= len > 0;
		put(s, p, len);
		break;
	case OP_FLIP:
		if (s->last_len > 0 && len > 0) {
			s->wire[s->last + (p[0] * 8u + len) % s->last_len] ^=
			    (uint8_t)(1u << (p[0] & 7));
		}
		break;
	case OP_DUP:
		if (s->last_len > 0 && s->len + s->last_len <= WIRE_MAX) {
			s->broken = 1;
			memmove(s->wire + s->len, s->wire + s->last,
			    s->last_len);
			s->len += s->last_len;
		}
		break;
	default: /* OP_BIG */
		memset(big, 'b', len * 256);
		seal(s, FRAME_REC_DATA, big, len * 256, 1, 0);
		break;
	}
	return used;
}

static void
hello(struct script *s)
{
	struct frame_hello h = { FRAME_VERSION, 0, RECORD_DEFAULT_MAX };
	uint8_t buf[FRAME_HELLO_LEN];

	frame_hello_encode(buf, &h);
	seal(s, FRAME_REC_HELLO, buf, sizeof(buf), 1, 0);
}

/* Run the side under test on fd; what it delivers goes to out. */
static void
victim(int fd, gss_ctx_id_t ctx, int acceptor, enum protect_mode mode, int out)
{
	struct relay_ends ends;
	struct relay_stats st;
	struct record *r;
	char why[1024];
	uint32_t flags;
	int rc, in;

	if ((r = record_new(fd, &ctx, "fuzz peer", mode)) == NULL)
		abort();
	if (acceptor)
		rc = session_hello_acceptor(r, io_now_ms() + 2000, &flags, why,
		    sizeof(why));
	else
		rc = session_hello_initiator(r, 0, io_now_ms() + 2000, why,
		    sizeof(why));
	if (rc == ERR_OK) {
		if ((in = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1 ||
		    (ends.out = dup(out)) == -1)
			abort();
		ends.in = in;
		ends.log = -1;
		ends.log_label = NULL;
		ends.idle = 5;
		ends.child = 0;
		ends.peer_exit = !acceptor;
		(void)relay_run(r, &ends, &st);
		close(ends.in);
		close(ends.out);
	}
	record_free(r);
}

static void
check(const struct script *s, int out)
{
	static uint8_t got[WIRE_MAX + 1];
	off_t n = lseek(out, 0, SEEK_END);

	if (n < 0 || (size_t)n > s->good_len)
		abort(); /* more than was sealed before the break */
	if (pread(out, got, (size_t)n, 0) != n ||
	    memcmp(got, s->good, (size_t)n) != 0)
		abort(); /* something forged or out of order got through */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct script s;
	gss_ctx_id_t victim_ctx;
	OM_uint32 min;
	int acceptor, sv[2], out, big = 1 << 20;
	size_t i;

	if (exported[0].length == 0)
		setup();
	if (size == 0)
		return 0;
	acceptor = data[0] & 1;
	s.peer = import(acceptor ? 0 : 1);
	victim_ctx = import(acceptor ? 1 : 0);
	s.len = s.last = s.last_len = s.good_len = 0;
	s.broken = 0;
	if (data[0] & 2)
		hello(&s);
	for (i = 1; i < size;)
		i += step(&s, data + i, size - i);
	gss_delete_sec_context(&min, &s.peer, GSS_C_NO_BUFFER);

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1 ||
	    (out = memfd_create("out", MFD_CLOEXEC)) == -1)
		abort();
	(void)setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	if (s.len > 0 && write(sv[0], s.wire, s.len) != (ssize_t)s.len)
		abort(); /* the buffer is meant to hold it all */
	(void)shutdown(sv[0], SHUT_WR);
	/* victim() owns the context. */
	victim(sv[1], victim_ctx, acceptor,
	    (data[0] & 4) ? PROTECT_GSS : PROTECT_AUTO, out);
	check(&s, out);
	close(sv[0]);
	close(sv[1]);
	close(out);
	return 0;
}
