/*
 * libFuzzer harness: the native unwrap (lib/crypto/cfx.c over kcrypto.c) with
 * fixed keys, no realm. The first byte picks the enctype (17-20), whether
 * the acceptor subkey is used and which side unwraps. The rest is a script
 * of steps, an operation byte and, for some, a length byte and bytes:
 *
 *   0 SEAL    the peer seals the bytes; the token goes in
 *   1 RAW     the bytes go in as a token
 *   2 FLIP    the last sealed token with the bit the first byte names
 *             flipped goes in
 *   3 AGAIN   the last sealed token goes in again
 *   4 ROTATE  the last sealed token, rotated right by the first byte with
 *             RRC set to match (RFC 4121 §4.2.5), goes in
 *   5 HOLD    the peer seals the bytes but the token is kept back (a gap
 *             if anything after it is accepted)
 *
 * Oracle: whatever is accepted must be the data of the oldest sealed token
 * not yet delivered, in order; a flipped, replayed or raw token accepted,
 * or any token after a hold, aborts.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfx.h"
#include "kcrypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_TOK 512

struct state {
	struct cfx *peer, *victim;
	uint8_t last[MAX_TOK]; /* the last token the peer sealed */
	size_t last_len;
	uint8_t want[256]; /* the data the next acceptance must give */
	size_t want_len;
	int pending; /* a sealed token not yet delivered */
	int held;    /* a token was held back: nothing may be accepted */
};

/* Feed tok to the victim and apply the oracle; genuine: it is last. */
static void
feed(struct state *s, const uint8_t *tok, size_t len, int genuine)
{
	uint8_t buf[MAX_TOK], *out;
	size_t olen;

	memcpy(buf, tok, len);
	if (cfx_unwrap(s->victim, buf, len, &out, &olen) != CFX_OK)
		return;
	if (!genuine || !s->pending || s->held || olen != s->want_len ||
	    memcmp(out, s->want, olen) != 0)
		abort(); /* forged, replayed or out of order, yet accepted */
	s->pending = 0;
}

static void
seal(struct state *s, const uint8_t *p, size_t n)
{
	size_t hdr = cfx_header_len(s->peer);

	if (s->pending)
		s->held = 1; /* the one before is never delivered now */
	memcpy(s->last + hdr, p, n);
	if (cfx_wrap(s->peer, s->last, n, NULL) != CFX_OK)
		abort();
	s->last_len = hdr + n + cfx_trailer_len(s->peer);
	memcpy(s->want, p, n);
	s->want_len = n;
	s->pending = 1;
}

static void
rotated(struct state *s, unsigned int r)
{
	uint8_t tok[MAX_TOK];
	size_t body = s->last_len - 16, i;

	memcpy(tok, s->last, 16);
	r %= (unsigned int)body;
	for (i = 0; i < body; i++)
		tok[16 + (i + r) % body] = s->last[16 + i];
	tok[6] = (uint8_t)(r >> 8);
	tok[7] = (uint8_t)r;
	feed(s, tok, s->last_len, 1);
}

static size_t
step(struct state *s, const uint8_t *p, size_t n)
{
	size_t len = n > 1 ? p[1] : 0;
	const uint8_t *arg = p + 2;
	uint8_t tok[MAX_TOK];

	if (len > n - 2 || n < 2)
		len = n >= 2 ? n - 2 : 0;
	switch (p[0] % 6) {
	case 0:
	case 5:
		seal(s, arg, len);
		if (p[0] % 6 == 0)
			feed(s, s->last, s->last_len, 1);
		break;
	case 1:
		if (len >= 16)
			feed(s, arg, len, 0);
		break;
	case 2:
		if (s->last_len > 0 && len > 0) {
			memcpy(tok, s->last, s->last_len);
			tok[(arg[0] / 8u) % s->last_len] ^=
			    (uint8_t)(1u << (arg[0] % 8));
			feed(s, tok, s->last_len, 0);
		}
		break;
	case 3:
		if (s->last_len > 0)
			feed(s, s->last, s->last_len, 1);
		break;
	case 4:
		if (s->last_len > 0 && len > 0)
			rotated(s, arg[0]);
		break;
	}
	return 2 + len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int32_t et[] = { 17, 18, 19, 20 };
	static const uint8_t key[32] = "gsswrap fuzz_cfx fixed key 0123";
	struct state s;
	size_t i;
	int32_t e;
	int sub, init;

	if (size == 0)
		return 0;
	e = et[data[0] & 3];
	sub = (data[0] >> 2) & 1;
	init = (data[0] >> 3) & 1;
	memset(&s, 0, sizeof(s));
	s.peer = cfx_new(e, key, kc_key_len(e), sub, !init, 7, 1000);
	s.victim = cfx_new(e, key, kc_key_len(e), sub, init, 1000, 7);
	if (s.peer == NULL || s.victim == NULL)
		abort();
	for (i = 1; i < size;)
		i += step(&s, data + i, size - i);
	cfx_free(s.peer);
	cfx_free(s.victim);
	return 0;
}
