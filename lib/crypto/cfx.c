/* RFC 4121 wrap tokens over kcrypto: see cfx.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cfx.h"
#include "kcrypto.h"

#define TOK_HDR 16
#define FLAG_SENT_BY_ACCEPTOR 0x01
#define FLAG_SEALED 0x02
#define FLAG_ACCEPTOR_SUBKEY 0x04

struct cfx {
	struct kc_key *seal; /* our direction's key usage */
	struct kc_key *open; /* the peer's */
	uint64_t send_seq, recv_seq;
	uint8_t flags_out; /* flags of our tokens */
	uint8_t flags_in;  /* direction and subkey flags of the peer's */
};

struct cfx *
cfx_new(int32_t enctype, const uint8_t *key, size_t keylen, int acceptor_subkey,
    int initiator, uint64_t send_seq, uint64_t recv_seq)
{
	struct cfx *c;
	uint8_t sub = acceptor_subkey ? FLAG_ACCEPTOR_SUBKEY : 0;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->seal = kc_key_new(enctype, key, keylen,
	    initiator ? CFX_USAGE_INITIATOR_SEAL : CFX_USAGE_ACCEPTOR_SEAL);
	c->open = kc_key_new(enctype, key, keylen,
	    initiator ? CFX_USAGE_ACCEPTOR_SEAL : CFX_USAGE_INITIATOR_SEAL);
	if (c->seal == NULL || c->open == NULL) {
		cfx_free(c);
		return NULL;
	}
	c->send_seq = send_seq;
	c->recv_seq = recv_seq;
	c->flags_out = (uint8_t)(FLAG_SEALED | sub |
	    (initiator ? 0 : FLAG_SENT_BY_ACCEPTOR));
	c->flags_in = (uint8_t)(sub | (initiator ? FLAG_SENT_BY_ACCEPTOR : 0));
	return c;
}

void
cfx_warm_up(void)
{
	static const uint32_t usages[] = { CFX_USAGE_ACCEPTOR_SEAL,
		CFX_USAGE_INITIATOR_SEAL };

	kc_warm_up(usages, sizeof(usages) / sizeof(usages[0]));
}

void
cfx_free(struct cfx *c)
{
	if (c == NULL)
		return;
	kc_key_free(c->seal);
	kc_key_free(c->open);
	freezero(c, sizeof(*c));
}

int
cfx_stitched(const struct cfx *c)
{
	return kc_stitched(c->seal);
}

size_t
cfx_header_len(const struct cfx *c)
{
	(void)c;
	return TOK_HDR + KC_CONF_LEN;
}

size_t
cfx_trailer_len(const struct cfx *c)
{
	return TOK_HDR + kc_mac_len(c->seal);
}

static void
put_header(uint8_t *h, uint8_t flags, uint64_t seq)
{
	int i;

	h[0] = 0x05;
	h[1] = 0x04;
	h[2] = flags;
	h[3] = 0xFF;
	h[4] = h[5] = 0; /* EC */
	h[6] = h[7] = 0; /* RRC */
	for (i = 0; i < 8; i++)
		h[8 + i] = (uint8_t)(seq >> (56 - 8 * i));
}

int
cfx_wrap(struct cfx *c, uint8_t *tok, size_t len, const uint8_t *conf)
{
	uint8_t *plain = tok + TOK_HDR + KC_CONF_LEN;

	/* RFC 4121 §4.2.4: the encrypted data ends with a header copy. */
	put_header(tok, c->flags_out, c->send_seq);
	memcpy(plain + len, tok, TOK_HDR);
	if (kc_encrypt(c->seal, tok + TOK_HDR, len + TOK_HDR, conf) == -1) {
		explicit_bzero(plain, len);
		return CFX_ERR_CRYPTO;
	}
	c->send_seq++;
	return CFX_OK;
}

static void
reverse(uint8_t *p, size_t n)
{
	uint8_t t;
	size_t i;

	for (i = 0; i < n / 2; i++) {
		t = p[i];
		p[i] = p[n - 1 - i];
		p[n - 1 - i] = t;
	}
}

/* Undo the sender's right rotation by rrc < n (RFC 4121 §4.2.5). */
static void
unrotate(uint8_t *p, size_t n, size_t rrc)
{
	if (rrc == 0)
		return;
	reverse(p, rrc);
	reverse(p + rrc, n - rrc);
	reverse(p, n);
}

static uint64_t
get_seq(const uint8_t *h)
{
	uint64_t s = 0;
	int i;

	for (i = 0; i < 8; i++)
		s = (s << 8) | h[8 + i];
	return s;
}

static int
check_header(const struct cfx *c, const uint8_t *h, size_t len)
{
	if (len < TOK_HDR || h[0] != 0x05 || h[1] != 0x04 || h[3] != 0xFF)
		return CFX_ERR_FORMAT;
	if ((h[2] & FLAG_SENT_BY_ACCEPTOR) !=
	    (c->flags_in & FLAG_SENT_BY_ACCEPTOR))
		return CFX_ERR_DIRECTION;
	if (!(h[2] & FLAG_SEALED))
		return CFX_ERR_NOT_SEALED;
	if ((h[2] & FLAG_ACCEPTOR_SUBKEY) !=
	    (c->flags_in & FLAG_ACCEPTOR_SUBKEY))
		return CFX_ERR_SUBKEY;
	return CFX_OK;
}

int
cfx_unwrap(struct cfx *c, uint8_t *tok, size_t len, uint8_t **data_out,
    size_t *dlen_out)
{
	size_t ec, rrc, plen;
	uint8_t *plain, *copy;
	int st;

	if ((st = check_header(c, tok, len)) != CFX_OK)
		return st;
	ec = (size_t)tok[4] << 8 | tok[5];
	rrc = (size_t)tok[6] << 8 | tok[7];
	/*
	 * RRC is outside the integrity check. A rotation by the body length or
	 * more is refused, so that a token has one accepted form per RRC
	 * below it (a sender never needs more).
	 */
	if (len < TOK_HDR + KC_CONF_LEN + TOK_HDR + kc_mac_len(c->open) ||
	    rrc >= len - TOK_HDR)
		return CFX_ERR_FORMAT;
	unrotate(tok + TOK_HDR, len - TOK_HDR, rrc);
	if (kc_decrypt(c->open, tok + TOK_HDR, len - TOK_HDR, &plen) == -1)
		return CFX_ERR_INTEGRITY;
	plain = tok + TOK_HDR + KC_CONF_LEN;
	/*
	 * The encrypted copy must repeat the header; its RRC is not compared
	 * (it is sent as zero, the outer one may not be).
	 */
	if (plen < ec + TOK_HDR) {
		st = CFX_ERR_FORMAT;
		goto fail;
	}
	copy = plain + plen - TOK_HDR;
	if (memcmp(copy, tok, 6) != 0 || memcmp(copy + 8, tok + 8, 8) != 0) {
		st = CFX_ERR_INTEGRITY;
		goto fail;
	}
	/* Authenticated now: the sequence number must be the next one. */
	if (get_seq(tok) != c->recv_seq) {
		st = CFX_ERR_SEQUENCE;
		goto fail;
	}
	c->recv_seq++;
	*data_out = plain;
	*dlen_out = plen - ec - TOK_HDR;
	return CFX_OK;
fail:
	explicit_bzero(plain, plen);
	return st;
}

const char *
cfx_status_text(int status)
{
	switch (status) {
	case CFX_OK:
		return "ok";
	case CFX_ERR_FORMAT:
		return "malformed wrap token";
	case CFX_ERR_DIRECTION:
		return "wrap token in the wrong direction (reflected)";
	case CFX_ERR_NOT_SEALED:
		return "wrap token without confidentiality";
	case CFX_ERR_SUBKEY:
		return "wrap token for the wrong key (acceptor subkey flag)";
	case CFX_ERR_INTEGRITY:
		return "integrity check failed";
	case CFX_ERR_SEQUENCE:
		return "replayed, reordered or missing record (sequence "
		       "number)";
	default:
		return "internal cryptographic failure";
	}
}
