/*
 * protect: record protection for one established context, behind one
 * interface with two implementations (docs/PROTOCOL.md §5):
 *   - GSS-API: gss_wrap_iov/gss_unwrap_iov on the context;
 *   - native: the context's RFC 4121 keys and sequence numbers, read from
 *     its lucid form (context_lucid), and cfx/kcrypto (OpenSSL, or
 *     kstitch's AES-NI and SHA-NI code for the sha1 enctypes), for
 *     the AES enctypes (aes128/256-cts-hmac-sha1-96, aes128-cts-hmac-
 *     sha256-128, aes256-cts-hmac-sha384-192).
 * Both make the same tokens, so the peers need not agree on the choice.
 *
 * Tokens are made in place in a caller's buffer laid out as
 *   [hdr][data][pad][trl]
 * with the lengths that protect_lengths gives.
 */
#ifndef GSSWRAP_PROTECT_H
#define GSSWRAP_PROTECT_H

#include <stddef.h>
#include <stdint.h>
#include <gssapi/gssapi.h>

enum protect_mode {
	PROTECT_AUTO = 0, /* native when the enctype allows, else GSS-API */
	PROTECT_NATIVE,	  /* native or fail */
	PROTECT_GSS	  /* GSS-API always */
};

struct protect;

/*
 * protect_warm_up(mode): prepare the native implementation's libraries
 * once (unless mode is PROTECT_GSS), before a listener forks sessions.
 */
void protect_warm_up(enum protect_mode mode);

/*
 * protect_mode_parse(s, mode_out): "auto", "native" or "gss". 0, or -1
 * (not logged) for anything else.
 */
int protect_mode_parse(const char *s, enum protect_mode *mode_out);

/*
 * protect_new(ctx, mode, peer): record protection for the established
 * context *ctx, which it takes in all cases (*ctx becomes
 * GSS_C_NO_CONTEXT). With PROTECT_GSS the handle itself is kept and stays
 * valid while the protect lives. peer names the peer in messages. Returns
 * NULL after logging (a native setup failure after the keys were
 * exported, which consumes the context, or a GSS-API failure).
 * PROTECT_NATIVE with an enctype it cannot do is logged too, and gives a
 * GSS-API protect with protect_refusal set: it may protect nothing but the
 * ABORT that tells the peer why.
 */
struct protect *
protect_new(gss_ctx_id_t *ctx, enum protect_mode mode, const char *peer);

/* protect_free(p): wipe keys, delete the context. NULL is a no-op. */
void protect_free(struct protect *p);

/*
 * protect_describe(p): e.g. "native (OpenSSL), aes128-cts-hmac-sha256-128"
 * or "GSS-API (gss_wrap_iov): camellia256-cts-cmac has no native
 * implementation".
 */
const char *protect_describe(const struct protect *p);

/*
 * protect_refusal(p): why the session must end (PROTECT_NATIVE was asked
 * and is not possible), as text for the peer; NULL when p may be used.
 */
const char *protect_refusal(const struct protect *p);

/* protect_is_native(p): non-zero on the native implementation. */
int protect_is_native(const struct protect *p);

/*
 * protect_lengths(p, len, hdr_out, pad_out, trl_out): the token overhead
 * for len data bytes. 0, or -1 (logged).
 */
int protect_lengths(struct protect *p, size_t len, size_t *hdr_out,
    size_t *pad_out, size_t *trl_out);

/*
 * protect_size_limit(p, max_token, max_out): the largest data length
 * whose token fits in max_token bytes. 0, or -1 (logged).
 */
int protect_size_limit(struct protect *p, uint32_t max_token, size_t *max_out);

/*
 * protect_seal(p, tok, hdr, len, pad, trl): seal the len data bytes at
 * tok + hdr, with the lengths protect_lengths gave for len, in place.
 * 0, or -1 (logged; the data is wiped).
 */
int protect_seal(struct protect *p, uint8_t *tok, size_t hdr, size_t len,
    size_t pad, size_t trl);

/*
 * protect_open(p, tok, len, data_out, dlen_out, why, cap): check and
 * decrypt a token in place; the data is left inside tok. Anything but a
 * confidential token with the next sequence number is refused: -1, with
 * why (cap bytes) saying what was wrong, naming the peer; nothing logged.
 */
int protect_open(struct protect *p, uint8_t *tok, size_t len,
    uint8_t **data_out, size_t *dlen_out, char *why, size_t cap);

#endif
