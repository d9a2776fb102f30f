/*
 * kcrypto: Kerberos encryption (RFC 3961 simplified profile) for the AES
 * enctypes, on OpenSSL libcrypto:
 *   17 aes128-cts-hmac-sha1-96, 18 aes256-cts-hmac-sha1-96 (RFC 3962),
 *   19 aes128-cts-hmac-sha256-128, 20 aes256-cts-hmac-sha384-192 (RFC 8009).
 *
 * A kc_key holds the encryption and integrity keys derived from a base key
 * for one key usage, with the cipher and MAC contexts ready, so that each
 * message costs no allocation. Pure code: no logging, no GSS-API.
 *
 * Ciphertext layout (both RFCs): E(confounder | plaintext) | MAC, where E
 * is AES in CBC mode with ciphertext stealing (CS3) and a zero IV, and the
 * MAC is HMAC over confounder | plaintext (RFC 3962) or over the zero IV
 * and the ciphertext (RFC 8009), truncated.
 */
#ifndef GSSWRAP_KCRYPTO_H
#define GSSWRAP_KCRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define KC_CONF_LEN 16 /* confounder: one AES block */
#define KC_MAX_MAC 24  /* longest truncated MAC (aes256-sha384) */

struct kc_key;

/*
 * kc_warm_up(usages, n): make OpenSSL load its configuration and look up
 * every cipher and MAC used here, once, and remember the n-fold of the
 * key derivation labels of the n key usages given. A listener calls it
 * before forking so that each session process does not pay for that again.
 */
void kc_warm_up(const uint32_t *usages, size_t n);

/*
 * kc_random(out, n): n unpredictable bytes from the kernel (getrandom),
 * through a per-process pool that fork wipes. 0, or -1 if getrandom fails.
 */
int kc_random(uint8_t *out, size_t n);

/* kc_key_len(enctype): the base key length of a native enctype, else 0. */
size_t kc_key_len(int32_t enctype);

/*
 * kc_key_new(enctype, base, len, usage): derive Ke and Ki of usage from the
 * base key (RFC 3961 §5.3 DK, or RFC 8009 §5 KDF-HMAC-SHA2) and prepare
 * the contexts. The derived keys live only inside OpenSSL's contexts, or
 * kstitch.h's key schedules, which kc_key_free wipes.
 * Returns NULL for an unsupported enctype, a wrong key length or an
 * OpenSSL failure.
 */
struct kc_key *
kc_key_new(int32_t enctype, const uint8_t *base, size_t len, uint32_t usage);

/* kc_key_free(k): free the contexts (OpenSSL wipes their keys). */
void kc_key_free(struct kc_key *k);

/*
 * kc_stitch(on): whether keys made from now on derive, encrypt and decrypt
 * RFC 3962 enctypes with kstitch.h where the CPU has it (the default), or
 * with OpenSSL alone (tests compare the two). Returns 1 when they will be
 * stitched.
 */
int kc_stitch(int on);

/* kc_stitched(k): 1 when k works with kstitch.h. */
int kc_stitched(const struct kc_key *k);

/* kc_mac_len(k): the length of the truncated MAC: 12, 16 or 24. */
size_t kc_mac_len(const struct kc_key *k);

/*
 * kc_encrypt(k, buf, len, conf): encrypt in place. buf holds KC_CONF_LEN
 * bytes of room, then len plaintext bytes, then kc_mac_len(k) bytes of
 * room; on return it holds the ciphertext and the MAC. conf is the
 * confounder, or NULL for a random one (only tests pass one). 0 or -1.
 */
int kc_encrypt(struct kc_key *k, uint8_t *buf, size_t len, const uint8_t *conf);

/*
 * kc_decrypt(k, buf, total, len_out): verify and decrypt in place the
 * total bytes of ciphertext and MAC in buf. On success the plaintext is at
 * buf + KC_CONF_LEN, *len_out bytes, and 0 is returned. -1 when the input
 * is too short or fails the integrity check (compared in constant time);
 * nothing decrypted is then left in buf.
 */
int kc_decrypt(struct kc_key *k, uint8_t *buf, size_t total, size_t *len_out);

/* For tests: the building blocks, checked against the RFC vectors. */

/* kc_nfold(in, inlen, out, outlen): RFC 3961 §5.1 n-fold, in bytes. */
void kc_nfold(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen);

/*
 * kc_derive(enctype, base, blen, label, llen, out, outlen): the enctype's
 * key derivation: DK(base, label) for the SHA-1 enctypes, KDF-HMAC-SHA2
 * (base, label, 8 * outlen) for the SHA-2 ones. 0 or -1.
 */
int kc_derive(int32_t enctype, const uint8_t *base, size_t blen,
    const uint8_t *label, size_t llen, uint8_t *out, size_t outlen);

/*
 * kc_cts(encrypt, key, keylen, buf, len): AES-CBC-CS3 with a zero IV of
 * len >= 16 bytes in place, with a 16 or 32 byte key. 0 or -1.
 */
int kc_cts(int encrypt, const uint8_t *key, size_t keylen, uint8_t *buf,
    size_t len);

#endif
