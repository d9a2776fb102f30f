/*
 * libFuzzer harness: the acceptor's handshake (lib/proto/handshake.c,
 * PROTOCOL §3-§4.4) with the real service keytab, fed what a client may
 * send over a socket. The first byte picks how the client's bytes are made:
 *
 *   even  the rest of the input, as it is (preamble, frames, tokens);
 *   odd   a real initiator's opening (preamble, CONTEXT frame carrying a
 *         fresh AP-REQ from alice) asking for the flags in the second byte
 *         (bit 0 mutual, 1 replay, 2 sequence, 3 confidentiality,
 *         4 integrity, 5 delegation, 6 channel bindings, 7 a second
 *         CONTEXT frame from the input after it), then edited by the rest
 *         of the input in 3-byte steps: a 16-bit offset and a byte to XOR
 *         there, or with 0 to cut the stream at that offset.
 *
 * Whatever the bytes, an accepted context must carry every protection
 * gsswrap requires (§4.4), and the client must have asked for mutual
 * authentication, replay and sequence checking and bound the context to
 * gsswrap: a downgrade that gets through aborts the run. (Confidentiality
 * and integrity are not the client's to drop: an MIT initiator always
 * asserts both, and the record layer checks each record's conf_state.)
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <gssapi/gssapi.h>

#include "frame.h"
#include "fuzzkrb.h"
#include "handshake.h"
#include "io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What one input may put on the wire: it must fit the socket buffer. */
#define WIRE_MAX (96u * 1024u)

/* The flags a client can leave out of its AP-REQ. */
#define CLIENT_FLAGS                                                           \
	(GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG)

static const OM_uint32 flag_bits[] = { GSS_C_MUTUAL_FLAG, GSS_C_REPLAY_FLAG,
	GSS_C_SEQUENCE_FLAG, GSS_C_CONF_FLAG, GSS_C_INTEG_FLAG,
	GSS_C_DELEG_FLAG };

struct wire {
	uint8_t buf[WIRE_MAX];
	size_t len;
};

static void
put(struct wire *w, const void *p, size_t n)
{
	if (n > WIRE_MAX - w->len)
		n = WIRE_MAX - w->len;
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void
put_frame(struct wire *w, uint8_t type, const void *body, size_t n)
{
	uint8_t hdr[FRAME_HDR_LEN];

	frame_header_encode(hdr, type, (uint32_t)n);
	put(w, hdr, sizeof(hdr));
	put(w, body, n);
}

/* The odd mode: a real opening, then the edits. Returns the flags asked. */
static OM_uint32
build(struct wire *w, const uint8_t *p, size_t n, int *bound_out)
{
	gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
	gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
	uint8_t pre[FRAME_PREAMBLE_LEN], sel = n > 0 ? p[0] : 0xff;
	OM_uint32 flags = 0, maj, min;
	size_t i, off;

	for (i = 0; i < sizeof(flag_bits) / sizeof(flag_bits[0]); i++)
		if (sel & (1u << i))
			flags |= flag_bits[i];
	*bound_out = (sel & 0x40) != 0;
	maj = fuzzkrb_initiate(&ctx, flags, *bound_out, GSS_C_NO_BUFFER, &tok);
	if (GSS_ERROR(maj))
		fuzzkrb_die("alice's token", maj, 0);
	frame_preamble_encode(pre, FRAME_VERSION);
	put(w, pre, sizeof(pre));
	put_frame(w, FRAME_CONTEXT, tok.value, tok.length);
	gss_release_buffer(&min, &tok);
	gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
	if (n > 0 && (sel & 0x80) != 0) {
		/* A second token after the first: the rest of the input. */
		put_frame(w, FRAME_CONTEXT, p + 1, n - 1);
		return flags;
	}
	for (i = 1; i + 3 <= n; i += 3) {
		off = ((size_t)p[i] << 8 | p[i + 1]) % w->len;
		if (p[i + 2] == 0) {
			w->len = off;
			break;
		}
		w->buf[off] ^= p[i + 2];
	}
	return flags;
}

/* Hand the client's bytes to a socket and run the acceptor on the other. */
static int
accept_on(const struct wire *w, gss_cred_id_t cred, gss_ctx_id_t *ctx)
{
	struct principal client = { NULL, NULL, 0, 0 };
	struct principal service = { NULL, NULL, 0, 0 };
	gss_cred_id_t deleg = GSS_C_NO_CREDENTIAL;
	char why[256];
	OM_uint32 min;
	int sv[2], big = 1 << 20, rc;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		abort();
	(void)setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	if (w->len > 0 && write(sv[0], w->buf, w->len) != (ssize_t)w->len)
		abort(); /* the buffer is meant to hold it all */
	(void)shutdown(sv[0], SHUT_WR);
	rc = handshake_accept(sv[1], cred, "fuzz client", io_now_ms() + 2000,
	    ctx, &client, &service, &deleg, why, sizeof(why));
	gss_release_cred(&min, &deleg);
	principal_clear(&client);
	principal_clear(&service);
	close(sv[0]);
	close(sv[1]);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
	static struct wire w;
	gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
	OM_uint32 asked = CONTEXT_FLAGS, got = 0, min;
	int bound = 1, rc;

	if (cred == GSS_C_NO_CREDENTIAL) {
		fuzzkrb_init("fuzz_handshake");
		cred = fuzzkrb_acceptor_cred();
	}
	if (size == 0)
		return 0;
	w.len = 0;
	if (data[0] & 1)
		asked = build(&w, data + 1, size - 1, &bound);
	else
		put(&w, data + 1, size - 1);
	rc = accept_on(&w, cred, &ctx);
	if (rc == 0) {
		(void)gss_inquire_context(&min, ctx, NULL, NULL, NULL, NULL,
		    &got, NULL, NULL);
		/* §4.4: nothing less than all of them, and bound to gsswrap. */
		if ((asked & CLIENT_FLAGS) != CLIENT_FLAGS || !bound ||
		    (got & CONTEXT_FLAGS) != CONTEXT_FLAGS)
			abort();
	}
	if (ctx != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
	return 0;
}
