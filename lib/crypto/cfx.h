/*
 * cfx: RFC 4121 §4.2.6.2 wrap tokens with confidentiality, made and checked
 * natively over kcrypto, for one established context (both directions).
 * The tokens are the bytes MIT's gss_wrap_iov makes and gss_unwrap_iov
 * takes, so either end may use either implementation.
 *
 * Token layout made here (EC = 0, RRC = 0, as MIT does):
 *   [16 header][16 confounder][data][16 header copy][MAC]
 *    ^ cfx_header_len() covers header and confounder,
 *                                    ^ cfx_trailer_len() the copy and MAC.
 * Received tokens may have any EC, and any RRC below the length of the
 * token after its header. Sequence numbers must be
 * exactly the next expected one: no gap, replay or reordering.
 */
#ifndef GSSWRAP_CFX_H
#define GSSWRAP_CFX_H

#include <stddef.h>
#include <stdint.h>

/* RFC 4121 §2: key usages of sealed wrap tokens. */
#define CFX_USAGE_ACCEPTOR_SEAL 22
#define CFX_USAGE_INITIATOR_SEAL 24

enum cfx_status {
	CFX_OK = 0,
	CFX_ERR_FORMAT,	   /* not a wrap token, or too short */
	CFX_ERR_DIRECTION, /* SentByAcceptor flag says it is our own */
	CFX_ERR_NOT_SEALED,
	CFX_ERR_SUBKEY,	   /* AcceptorSubkey flag does not match */
	CFX_ERR_INTEGRITY, /* MAC or embedded header check failed */
	CFX_ERR_SEQUENCE,  /* not the next sequence number */
	CFX_ERR_CRYPTO	   /* internal failure (OpenSSL) */
};

struct cfx;

/*
 * cfx_new(enctype, key, keylen, acceptor_subkey, initiator, send_seq,
 * recv_seq): a context over the RFC 4121 context key (the acceptor subkey
 * when acceptor_subkey is non-zero), for the initiator's side or the
 * acceptor's, with its first sequence numbers. NULL when the enctype is not
 * native or the key unusable.
 */
struct cfx *cfx_new(int32_t enctype, const uint8_t *key, size_t keylen,
    int acceptor_subkey, int initiator, uint64_t send_seq, uint64_t recv_seq);

/*
 * cfx_warm_up(): kc_warm_up for the RFC 4121 wrap token key usages, before
 * a listener forks sessions.
 */
void cfx_warm_up(void);

/* cfx_free(c): free both directions' keys. NULL is a no-op. */
void cfx_free(struct cfx *c);

/* cfx_stitched(c): 1 when tokens are made and opened by kstitch.h. */
int cfx_stitched(const struct cfx *c);

/* cfx_header_len(c), cfx_trailer_len(c): the token overhead around data. */
size_t cfx_header_len(const struct cfx *c);
size_t cfx_trailer_len(const struct cfx *c);

/*
 * cfx_wrap(c, tok, len, conf): seal the len data bytes at
 * tok + cfx_header_len(c) in place, filling the header before them and the
 * trailer after. conf is the confounder, NULL for a random one (tests).
 * Returns CFX_OK or CFX_ERR_CRYPTO.
 */
int cfx_wrap(struct cfx *c, uint8_t *tok, size_t len, const uint8_t *conf);

/*
 * cfx_unwrap(c, tok, len, data_out, dlen_out): check and decrypt the len
 * byte token in place. On CFX_OK the data is *dlen_out bytes at *data_out
 * (inside tok). On any other status nothing decrypted is left in tok.
 */
int cfx_unwrap(struct cfx *c, uint8_t *tok, size_t len, uint8_t **data_out,
    size_t *dlen_out);

/* cfx_status_text(status): a short English description. */
const char *cfx_status_text(int status);

#endif
