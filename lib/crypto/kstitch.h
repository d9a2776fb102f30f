/*
 * Stitched AES-CBC-CS3 encryption with HMAC-SHA1 of the plaintext, as RFC
 * 3962 asks for the aes*-cts-hmac-sha1-96 enctypes, in one pass over the
 * data on x86-64 CPUs with the AES and SHA instruction sets; decryption
 * (four blocks at a time, then hashed) and key derivation likewise, so
 * that a session of these enctypes needs nothing from OpenSSL.
 *
 * CBC encryption is serial: each block waits for the one before, so the
 * AES unit's latency leaves most of the core idle. Hashing the same 64
 * bytes between the four AES blocks that cover them fills those gaps, and
 * the MAC comes almost free (the idea of OpenSSL's TLS-only
 * "AES-CBC-HMAC-SHA1" ciphers, which cannot give the MAC of anything but a
 * TLS record). Used by kcrypto.c only; the result is byte for byte what its
 * OpenSSL path makes (tests/unit/test_kcrypto compares them both ways).
 */
#ifndef GSSWRAP_KSTITCH_H
#define GSSWRAP_KSTITCH_H

#include <stddef.h>
#include <stdint.h>

#define KSTITCH_MAC_LEN 20 /* the full HMAC-SHA1 */

struct kstitch;

/* 1 when this CPU has what the stitched code needs. */
int kstitch_available(void);

/*
 * Keys for one direction: Ke (16 or 32 bytes, AES-128 or AES-256) and Ki
 * (at most 64 bytes). NULL when unavailable or out of memory.
 */
struct kstitch *
kstitch_new(const uint8_t *ke, size_t kelen, const uint8_t *ki, size_t kilen);

/* Wipes the key schedules and HMAC states; NULL is a no-op. */
void kstitch_free(struct kstitch *s);

/*
 * HMAC-SHA1(Ki, buf[0..len)) into mac_out, and buf encrypted in place with
 * AES-CBC-CS3 under Ke with a zero IV (len >= 16).
 */
int kstitch_encrypt(const struct kstitch *s, uint8_t *buf, size_t len,
    uint8_t mac_out[KSTITCH_MAC_LEN]);

/*
 * The reverse: buf decrypted in place, and HMAC-SHA1(Ki) of the plaintext
 * into mac_out for the caller to compare (len >= 16).
 */
int kstitch_decrypt(const struct kstitch *s, uint8_t *buf, size_t len,
    uint8_t mac_out[KSTITCH_MAC_LEN]);

/*
 * RFC 3961 §5.1 DK's AES part: block encrypted under key (16 or 32 bytes),
 * then each output block encrypted again, until outlen bytes. -1 when
 * unavailable.
 */
int kstitch_dk(const uint8_t *key, size_t keylen, const uint8_t *block,
    uint8_t *out, size_t outlen);

#endif
