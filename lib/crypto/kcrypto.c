/*
 * Kerberos AES encryption on OpenSSL, or kstitch.h for RFC 3962 where the
 * CPU allows: RFC 3961 §5, RFC 3962, RFC 8009.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "enctype.h"
#include "kcrypto.h"
#include "kstitch.h"

#define BLOCK 16

struct kc_key {
	const struct enctype_native *t;
	EVP_CIPHER_CTX *cbc_enc, *cbc_dec, *ecb_dec;
	EVP_MAC_CTX *mac;
	struct kstitch *st; /* RFC 3962 encryption in one pass, or NULL */
};

/* Whether new RFC 3962 keys use kstitch.c where the CPU allows. */
static int stitch_wanted = 1;

static const uint8_t zero_iv[BLOCK];

/*
 * Confounders come from the kernel (getrandom), a page at a time. OpenSSL's
 * generator would do, but it reseeds in every forked session process on
 * first use, which cost some 70 us of each session's set-up. The page is
 * wiped on fork (MADV_WIPEONFORK): a session process never reuses the
 * listener's bytes, it starts with an empty pool. Where that advice is not
 * available, every confounder is a getrandom call of its own.
 */
struct pool {
	size_t avail; /* unused bytes at the start of b */
	uint8_t b[4096 - sizeof(size_t)];
};
static struct pool *pool;
static int pool_off; /* no MADV_WIPEONFORK: no pool */

static int
fill(uint8_t *p, size_t n)
{
	ssize_t r;

	while (n > 0) {
		r = getrandom(p, n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Map the pool once; on failure pool_off. */
static void
pool_setup(void)
{
	void *m;

	if (pool != NULL || pool_off)
		return;
	m = mmap(NULL, sizeof(struct pool), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		pool_off = 1;
		return;
	}
	if (madvise(m, sizeof(struct pool), MADV_WIPEONFORK) != 0) {
		munmap(m, sizeof(struct pool));
		pool_off = 1;
		return;
	}
	pool = m;
}

int
kc_random(uint8_t *out, size_t n)
{
	pool_setup();
	if (pool_off || n > sizeof(pool->b))
		return fill(out, n);
	if (pool->avail < n) {
		if (fill(pool->b, sizeof(pool->b)) == -1)
			return -1;
		pool->avail = sizeof(pool->b);
	}
	pool->avail -= n;
	memcpy(out, pool->b + pool->avail, n);
	explicit_bzero(pool->b + pool->avail, n);
	return 0;
}

void
kc_warm_up(const uint32_t *usages, size_t n)
{
	static const uint8_t zero[32];
	int32_t et;
	size_t u;

	pool_setup();
	/* Every native enctype of enctype.h's table (all numbered below 64). */
	for (et = 1; et < 64; et++)
		for (u = 0; u < n && enctype_native(et) != NULL; u++)
			kc_key_free(
			    kc_key_new(et, zero, kc_key_len(et), usages[u]));
	(void)kstitch_available();
}

int
kc_stitch(int on)
{
	stitch_wanted = on;
	return on && kstitch_available();
}

int
kc_stitched(const struct kc_key *k)
{
	return k->st != NULL;
}

size_t
kc_key_len(int32_t enctype)
{
	const struct enctype_native *t = enctype_native(enctype);

	return t != NULL ? t->keylen : 0;
}

/*
 * OpenSSL 3 looks an algorithm up by name on every use of the old
 * EVP_aes_*() handles; a session sets up a dozen contexts, so the fetched
 * algorithms are kept for the life of the process (kc_warm_up fills them
 * before a listener forks).
 */
static EVP_CIPHER *fetched[2][2];

static const EVP_CIPHER *
aes(size_t keylen, int ecb)
{
	static const char *names[2][2] = {
		{ "AES-128-CBC", "AES-128-ECB" },
		{ "AES-256-CBC", "AES-256-ECB" },
	};
	int k;

	if (keylen != 16 && keylen != 32)
		return NULL;
	k = keylen == 32;
	if (fetched[k][ecb != 0] == NULL)
		fetched[k][ecb != 0] =
		    EVP_CIPHER_fetch(NULL, names[k][ecb != 0], NULL);
	return fetched[k][ecb != 0];
}

/* A cipher context without padding; NULL on failure. */
static EVP_CIPHER_CTX *
cipher_new(const uint8_t *key, size_t keylen, int ecb, int enc)
{
	const EVP_CIPHER *c = aes(keylen, ecb);
	EVP_CIPHER_CTX *ctx;

	if (c == NULL || (ctx = EVP_CIPHER_CTX_new()) == NULL)
		return NULL;
	if (EVP_CipherInit_ex(ctx, c, NULL, key, ecb ? NULL : zero_iv, enc) !=
		1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* len bytes (a multiple of the block) through ctx, chaining on. */
static int
update(EVP_CIPHER_CTX *ctx, uint8_t *out, const uint8_t *in, size_t len)
{
	int n = 0;

	if (len == 0)
		return 0;
	if (len > INT_MAX || EVP_CipherUpdate(ctx, out, &n, in, (int)len) != 1)
		return -1;
	return (size_t)n == len ? 0 : -1;
}

/* Start a CBC context over at the zero IV (the key schedule is kept). */
static int
restart(EVP_CIPHER_CTX *ctx)
{
	return EVP_CipherInit_ex(ctx, NULL, NULL, NULL, zero_iv, -1) == 1 ? 0 :
									    -1;
}

/*
 * What both directions of CBC-CS3 begin with: the CBC context restarted;
 * a lone block is plain CBC. Returns 1 when that finished the job (its
 * result in *rc_out), else 0 with the layout of len > BLOCK bytes: head
 * bytes of whole blocks, then a whole block, then the last m (1 to BLOCK).
 */
static int
cts_begin(EVP_CIPHER_CTX *cbc, uint8_t *p, size_t len, size_t *head, size_t *m,
    int *rc_out)
{
	size_t n = (len + BLOCK - 1) / BLOCK;

	*rc_out = -1;
	if (len < BLOCK || restart(cbc) == -1)
		return 1;
	if (len == BLOCK) {
		*rc_out = update(cbc, p, p, BLOCK);
		return 1;
	}
	*m = len - BLOCK * (n - 1);
	*head = BLOCK * (n - 2);
	return 0;
}

/*
 * CBC-CS3 encryption in place (RFC 3962 §5): plain CBC over the zero-padded
 * input, then the last two ciphertext blocks swapped and the output cut to
 * the input length. The last two blocks go through a local buffer so that
 * the caller needs no room past len.
 */

static int
cts_encrypt(EVP_CIPHER_CTX *cbc, uint8_t *p, size_t len)
{
	uint8_t tmp[2 * BLOCK];
	size_t m, head;
	int rc;

	if (cts_begin(cbc, p, len, &head, &m, &rc))
		return rc;
	if (update(cbc, p, p, head) == -1)
		return -1;
	rc = -1;
	memset(tmp, 0, sizeof(tmp));
	memcpy(tmp, p + head, BLOCK + m);
	if (update(cbc, tmp, tmp, sizeof(tmp)) == 0) {
		memcpy(p + head, tmp + BLOCK, BLOCK);
		memcpy(p + head + BLOCK, tmp, m);
		rc = 0;
	}
	explicit_bzero(tmp, sizeof(tmp));
	return rc;
}

/*
 * CBC-CS3 decryption in place. The block at head is the encryption of the
 * padded last plaintext block; decrypting it gives the stolen tail of the
 * block before, which rebuilds that ciphertext block.
 */
static int
cts_decrypt(EVP_CIPHER_CTX *cbc, EVP_CIPHER_CTX *ecb, uint8_t *p, size_t len)
{
	uint8_t prev[BLOCK], d[BLOCK], c1[BLOCK], e[BLOCK];
	size_t m, head, i;
	int rc;

	if (cts_begin(cbc, p, len, &head, &m, &rc))
		return rc;
	rc = -1;
	memcpy(prev, head > 0 ? p + head - BLOCK : zero_iv, BLOCK);
	if (update(ecb, d, p + head, BLOCK) == -1)
		goto done;
	memcpy(c1, p + head + BLOCK, m);
	memcpy(c1 + m, d + m, BLOCK - m);
	if (update(ecb, e, c1, BLOCK) == -1 || update(cbc, p, p, head) == -1)
		goto done;
	for (i = 0; i < BLOCK; i++)
		p[head + i] = e[i] ^ prev[i];
	for (i = 0; i < m; i++)
		p[head + BLOCK + i] = d[i] ^ c1[i];
	rc = 0;
done:
	explicit_bzero(d, sizeof(d));
	explicit_bzero(e, sizeof(e));
	return rc;
}

int
kc_cts(int encrypt, const uint8_t *key, size_t keylen, uint8_t *buf, size_t len)
{
	EVP_CIPHER_CTX *cbc, *ecb = NULL;
	int rc = -1;

	if ((cbc = cipher_new(key, keylen, 0, encrypt ? 1 : 0)) == NULL)
		return -1;
	if (encrypt)
		rc = cts_encrypt(cbc, buf, len);
	else if ((ecb = cipher_new(key, keylen, 1, 0)) != NULL)
		rc = cts_decrypt(cbc, ecb, buf, len);
	EVP_CIPHER_CTX_free(cbc);
	EVP_CIPHER_CTX_free(ecb);
	return rc;
}

static int
bit_at(const uint8_t *s, size_t i)
{
	return (s[i / 8] >> (7 - i % 8)) & 1;
}

/* acc += x in one's-complement arithmetic (end-around carry), big-endian. */
static void
ones_add(uint8_t *acc, const uint8_t *x, size_t n)
{
	unsigned int carry = 0, s;
	size_t i;

	for (i = n; i-- > 0;) {
		s = acc[i] + x[i] + carry;
		acc[i] = (uint8_t)s;
		carry = s >> 8;
	}
	while (carry != 0)
		for (i = n; i-- > 0 && carry != 0;) {
			s = acc[i] + carry;
			acc[i] = (uint8_t)s;
			carry = s >> 8;
		}
}

static size_t
gcd(size_t a, size_t b)
{
	size_t r;

	while (b != 0) {
		r = a % b;
		a = b;
		b = r;
	}
	return a;
}

/*
 * RFC 3961 §5.1: the input repeated up to lcm(in, out) bits, each copy
 * rotated right by 13 bits more than the one before, cut into out-sized
 * chunks that are summed with end-around carry. Built chunk by chunk.
 */
void
kc_nfold(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen)
{
	size_t l = inlen * 8, n = outlen * 8, total, c, j, g, k, b, src;
	uint8_t chunk[64];

	memset(out, 0, outlen);
	if (inlen == 0 || outlen == 0 || outlen > sizeof(chunk))
		return;
	total = l / gcd(l, n) * n;
	for (c = 0; c < total / n; c++) {
		memset(chunk, 0, outlen);
		for (j = 0; j < n; j++) {
			g = c * n + j;
			k = g / l;
			b = g % l;
			src = (b + l - (13 * k) % l) % l;
			if (bit_at(in, src))
				chunk[j / 8] |= (uint8_t)(0x80 >> (j % 8));
		}
		ones_add(out, chunk, outlen);
	}
}

/*
 * n-fold of a key usage label to one block, remembered: a session derives
 * from the same four labels (usages 22 and 24, Ke and Ki) every time.
 */
static void
fold_label(const uint8_t *label, size_t llen, uint8_t *block)
{
	static struct {
		uint8_t label[5];
		uint8_t block[BLOCK];
	} memo[8];
	static size_t nmemo;
	size_t i;

	if (llen == 5)
		for (i = 0; i < nmemo; i++)
			if (memcmp(memo[i].label, label, 5) == 0) {
				memcpy(block, memo[i].block, BLOCK);
				return;
			}
	kc_nfold(label, llen, block, BLOCK);
	if (llen == 5 && nmemo < sizeof(memo) / sizeof(memo[0])) {
		memcpy(memo[nmemo].label, label, 5);
		memcpy(memo[nmemo].block, block, BLOCK);
		nmemo++;
	}
}

/* RFC 3961 §5.1 DK for AES: random-to-key is the identity. */
static int
dk(const uint8_t *base, size_t blen, const uint8_t *label, size_t llen,
    uint8_t *out, size_t outlen)
{
	EVP_CIPHER_CTX *ecb;
	uint8_t block[BLOCK];
	size_t off, n;
	int rc = 0;

	fold_label(label, llen, block);
	if (stitch_wanted && kstitch_dk(base, blen, block, out, outlen) == 0) {
		explicit_bzero(block, sizeof(block));
		return 0;
	}
	if ((ecb = cipher_new(base, blen, 1, 1)) == NULL)
		return -1;
	for (off = 0; off < outlen && rc == 0; off += n) {
		rc = update(ecb, block, block, BLOCK);
		n = outlen - off < BLOCK ? outlen - off : BLOCK;
		memcpy(out + off, block, n);
	}
	explicit_bzero(block, sizeof(block));
	EVP_CIPHER_CTX_free(ecb);
	return rc;
}

/* An HMAC context with digest set and no key, one per digest, kept. */
static EVP_MAC_CTX *
hmac_template(const char *digest)
{
	static const char *names[] = { "SHA1", "SHA256", "SHA384" };
	static EVP_MAC_CTX *tmpl[3];
	OSSL_PARAM params[2];
	EVP_MAC *mac;
	size_t i;

	for (i = 0; i < 3 && strcmp(names[i], digest) != 0; i++)
		;
	if (i == 3)
		return NULL;
	if (tmpl[i] != NULL)
		return tmpl[i];
	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return NULL;
	tmpl[i] = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)names[i], 0);
	params[1] = OSSL_PARAM_construct_end();
	if (tmpl[i] != NULL && EVP_MAC_CTX_set_params(tmpl[i], params) != 1) {
		EVP_MAC_CTX_free(tmpl[i]);
		tmpl[i] = NULL;
	}
	return tmpl[i];
}

static EVP_MAC_CTX *
hmac_new(const char *digest, const uint8_t *key, size_t keylen)
{
	EVP_MAC_CTX *t = hmac_template(digest), *ctx;

	if (t == NULL || (ctx = EVP_MAC_CTX_dup(t)) == NULL)
		return NULL;
	if (EVP_MAC_init(ctx, key, keylen, NULL) != 1) {
		EVP_MAC_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* RFC 8009 §3: KDF-HMAC-SHA2(key, label, k) = k-truncate(K1). */
static int
kdf_sha2(const char *digest, const uint8_t *base, size_t blen,
    const uint8_t *label, size_t llen, uint8_t *out, size_t outlen)
{
	uint8_t msg[64], k1[EVP_MAX_MD_SIZE];
	size_t k1len = 0;
	uint32_t bits = (uint32_t)outlen * 8;
	EVP_MAC_CTX *ctx;
	int rc = -1;

	if (llen + 9 > sizeof(msg) ||
	    (ctx = hmac_new(digest, base, blen)) == NULL)
		return -1;
	msg[0] = msg[1] = msg[2] = 0;
	msg[3] = 1;
	memcpy(msg + 4, label, llen);
	msg[4 + llen] = 0;
	msg[5 + llen] = (uint8_t)(bits >> 24);
	msg[6 + llen] = (uint8_t)(bits >> 16);
	msg[7 + llen] = (uint8_t)(bits >> 8);
	msg[8 + llen] = (uint8_t)bits;
	if (EVP_MAC_update(ctx, msg, llen + 9) == 1 &&
	    EVP_MAC_final(ctx, k1, &k1len, sizeof(k1)) == 1 &&
	    k1len >= outlen) {
		memcpy(out, k1, outlen);
		rc = 0;
	}
	EVP_MAC_CTX_free(ctx);
	explicit_bzero(k1, sizeof(k1));
	return rc;
}

int
kc_derive(int32_t enctype, const uint8_t *base, size_t blen,
    const uint8_t *label, size_t llen, uint8_t *out, size_t outlen)
{
	const struct enctype_native *t = enctype_native(enctype);

	if (t == NULL || blen != t->keylen)
		return -1;
	if (t->sha2)
		return kdf_sha2(t->digest, base, blen, label, llen, out,
		    outlen);
	return dk(base, blen, label, llen, out, outlen);
}

void
kc_key_free(struct kc_key *k)
{
	if (k == NULL)
		return;
	EVP_CIPHER_CTX_free(k->cbc_enc);
	EVP_CIPHER_CTX_free(k->cbc_dec);
	EVP_CIPHER_CTX_free(k->ecb_dec);
	EVP_MAC_CTX_free(k->mac);
	kstitch_free(k->st);
	freezero(k, sizeof(*k));
}

struct kc_key *
kc_key_new(int32_t enctype, const uint8_t *base, size_t len, uint32_t usage)
{
	const struct enctype_native *t = enctype_native(enctype);
	uint8_t label[5], ke[32], ki[32];
	struct kc_key *k;

	if (t == NULL || len != t->keylen ||
	    (k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	k->t = t;
	label[0] = (uint8_t)(usage >> 24);
	label[1] = (uint8_t)(usage >> 16);
	label[2] = (uint8_t)(usage >> 8);
	label[3] = (uint8_t)usage;
	label[4] = 0xAA;
	if (kc_derive(enctype, base, len, label, 5, ke, t->keylen) == -1)
		goto fail;
	label[4] = 0x55;
	if (kc_derive(enctype, base, len, label, 5, ki, t->kilen) == -1)
		goto fail;
	/* One pass where the CPU allows: then OpenSSL is not needed. */
	if (!t->sha2 && stitch_wanted)
		k->st = kstitch_new(ke, t->keylen, ki, t->kilen);
	if (k->st == NULL) {
		k->cbc_enc = cipher_new(ke, t->keylen, 0, 1);
		k->cbc_dec = cipher_new(ke, t->keylen, 0, 0);
		k->ecb_dec = cipher_new(ke, t->keylen, 1, 0);
		k->mac = hmac_new(t->digest, ki, t->kilen);
		if (k->cbc_enc == NULL || k->cbc_dec == NULL ||
		    k->ecb_dec == NULL || k->mac == NULL)
			goto fail;
	}
	explicit_bzero(ke, sizeof(ke));
	explicit_bzero(ki, sizeof(ki));
	return k;
fail:
	explicit_bzero(ke, sizeof(ke));
	explicit_bzero(ki, sizeof(ki));
	kc_key_free(k);
	return NULL;
}

size_t
kc_mac_len(const struct kc_key *k)
{
	return k->t->maclen;
}

/* HMAC(Ki, [zero IV |] data) into out (the full digest). */
static int
mac(struct kc_key *k, int with_iv, const uint8_t *data, size_t len,
    uint8_t *out)
{
	size_t n = 0;

	if (EVP_MAC_init(k->mac, NULL, 0, NULL) != 1 ||
	    (with_iv && EVP_MAC_update(k->mac, zero_iv, BLOCK) != 1) ||
	    EVP_MAC_update(k->mac, data, len) != 1 ||
	    EVP_MAC_final(k->mac, out, &n, EVP_MAX_MD_SIZE) != 1 ||
	    n < k->t->maclen)
		return -1;
	return 0;
}

int
kc_encrypt(struct kc_key *k, uint8_t *buf, size_t len, const uint8_t *conf)
{
	uint8_t h[EVP_MAX_MD_SIZE];
	size_t total = KC_CONF_LEN + len;
	int rc = -1;

	if (conf != NULL)
		memcpy(buf, conf, KC_CONF_LEN);
	else if (kc_random(buf, KC_CONF_LEN) == -1)
		return -1;
	/* RFC 3962 MACs the plaintext, RFC 8009 the ciphertext. */
	if (k->st != NULL) {
		if (kstitch_encrypt(k->st, buf, total, h) == 0)
			rc = 0;
	} else if (k->t->sha2) {
		if (cts_encrypt(k->cbc_enc, buf, total) == 0 &&
		    mac(k, 1, buf, total, h) == 0)
			rc = 0;
	} else if (mac(k, 0, buf, total, h) == 0 &&
	    cts_encrypt(k->cbc_enc, buf, total) == 0)
		rc = 0;
	if (rc == 0)
		memcpy(buf + total, h, k->t->maclen);
	explicit_bzero(h, sizeof(h));
	return rc;
}

int
kc_decrypt(struct kc_key *k, uint8_t *buf, size_t total, size_t *len_out)
{
	uint8_t h[EVP_MAX_MD_SIZE];
	size_t clen;
	int rc = -1;

	if (total < KC_CONF_LEN + k->t->maclen)
		return -1;
	clen = total - k->t->maclen;
	if (k->t->sha2) {
		/* Encrypt-then-MAC: nothing is decrypted before the check. */
		if (mac(k, 1, buf, clen, h) == 0 &&
		    CRYPTO_memcmp(h, buf + clen, k->t->maclen) == 0 &&
		    cts_decrypt(k->cbc_dec, k->ecb_dec, buf, clen) == 0)
			rc = 0;
	} else {
		/* MAC-then-encrypt: the plaintext is wiped if it fails. */
		if (k->st != NULL ?
			kstitch_decrypt(k->st, buf, clen, h) == 0 :
			cts_decrypt(k->cbc_dec, k->ecb_dec, buf, clen) == 0 &&
			    mac(k, 0, buf, clen, h) == 0)
			rc = CRYPTO_memcmp(h, buf + clen, k->t->maclen) == 0 ?
			    0 :
			    -1;
		if (rc == -1)
			explicit_bzero(buf, clen);
	}
	explicit_bzero(h, sizeof(h));
	if (rc == 0)
		*len_out = clen - KC_CONF_LEN;
	return rc;
}
