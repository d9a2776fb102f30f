/* Stitched AES-CBC-CS3 + HMAC-SHA1 (RFC 3962) with AES-NI and SHA-NI. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kstitch.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define KSTITCH_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

#define BLOCK 16
#define SHA_BLOCK 64

struct kstitch {
	uint8_t rk[15 * BLOCK];	     /* AES round keys */
	uint8_t dk[15 * BLOCK];	     /* the same for decryption */
	int rounds;		     /* 10 or 14 */
	uint32_t inner[5], outer[5]; /* SHA-1 after Ki^ipad and Ki^opad */
};

static const uint32_t sha1_iv[5] = { 0x67452301, 0xEFCDAB89, 0x98BADCFE,
	0x10325476, 0xC3D2E1F0 };

#ifdef KSTITCH_X86

#define TARGET __attribute__((target("aes,sha,sse4.1,ssse3")))

static int self_test(void);

/*
 * The instructions are used only when the CPU says it has them and, once
 * per process before any key uses them, they compute what RFC 3962 and
 * RFC 2104 say they should (a CPU, emulator or hypervisor that claims them
 * and gets them wrong leaves kcrypto.c on OpenSSL).
 */
int
kstitch_available(void)
{
	static int known = -1;
	unsigned int a, b, c, d;
	int aes, sha;

	if (known == -1) {
		aes = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_AES) &&
		    (c & bit_SSE4_1) && (c & bit_SSSE3);
		sha = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
		known = aes && sha && self_test();
	}
	return known;
}

/*
 * SHA-1 state in registers as the SHA instructions want it: A, B, C, D in
 * lanes 3 to 0 of abcd, E in lane 3 of e.
 */
struct sha1 {
	__m128i abcd, e;
};

TARGET static void
sha1_load(struct sha1 *h, const uint32_t st[5])
{
	h->abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)st), 0x1B);
	h->e = _mm_set_epi32((int)st[4], 0, 0, 0);
}

TARGET static void
sha1_store(const struct sha1 *h, uint32_t st[5])
{
	_mm_storeu_si128((__m128i *)st, _mm_shuffle_epi32(h->abcd, 0x1B));
	st[4] = (uint32_t)_mm_extract_epi32(h->e, 3);
}

/*
 * Four rounds (group k of 20, function f): W for the group is made from the
 * four before it (FIPS 180-4 §6.1.2, four words at a time), E from the A of
 * four rounds ago. w[] is a ring of the last four groups.
 */
#define SHA1_GROUP(k, f)                                                       \
	do {                                                                   \
		if ((k) >= 4)                                                  \
			w[(k)&3] = _mm_sha1msg2_epu32(                         \
			    _mm_xor_si128(_mm_sha1msg1_epu32(w[(k)&3],         \
					      w[((k) + 1) & 3]),               \
				w[((k) + 2) & 3]),                             \
			    w[((k) + 3) & 3]);                                 \
		e = _mm_sha1nexte_epu32(prev, w[(k)&3]);                       \
		prev = abcd;                                                   \
		abcd = _mm_sha1rnds4_epu32(abcd, e, f);                        \
	} while (0)

/* Groups 1 to 4 (function 0), then five groups from k with function f. */
#define SHA1_GROUPS_1_4()                                                      \
	do {                                                                   \
		SHA1_GROUP(1, 0);                                              \
		SHA1_GROUP(2, 0);                                              \
		SHA1_GROUP(3, 0);                                              \
		SHA1_GROUP(4, 0);                                              \
	} while (0)
#define SHA1_GROUPS5(k, f)                                                     \
	do {                                                                   \
		SHA1_GROUP(k, f);                                              \
		SHA1_GROUP((k) + 1, f);                                        \
		SHA1_GROUP((k) + 2, f);                                        \
		SHA1_GROUP((k) + 3, f);                                        \
		SHA1_GROUP((k) + 4, f);                                        \
	} while (0)

/* One 64-byte block into h. */
TARGET static inline void
sha1_block(struct sha1 *h, const uint8_t *p)
{
	const __m128i bswap =
	    _mm_set_epi64x(0x0001020304050607LL, 0x08090A0B0C0D0E0FLL);
	__m128i abcd = h->abcd, e, prev, w[4];
	int i;

	for (i = 0; i < 4; i++)
		w[i] = _mm_shuffle_epi8(_mm_loadu_si128(
					    (const __m128i *)(p + BLOCK * i)),
		    bswap);
	e = _mm_add_epi32(h->e, w[0]);
	prev = abcd;
	abcd = _mm_sha1rnds4_epu32(abcd, e, 0);
	SHA1_GROUPS_1_4();
	SHA1_GROUPS5(5, 1);
	SHA1_GROUPS5(10, 2);
	SHA1_GROUPS5(15, 3);
	h->e = _mm_sha1nexte_epu32(prev, h->e);
	h->abcd = _mm_add_epi32(abcd, h->abcd);
}

/*
 * The last bytes of a message of total bytes (the HMAC key block
 * included), with the padding: 1 or 2 blocks.
 */
TARGET static void
sha1_final(struct sha1 *h, const uint8_t *p, size_t rest, uint64_t total)
{
	uint8_t pad[2 * SHA_BLOCK];
	size_t n = rest + 9 > SHA_BLOCK ? 2 * SHA_BLOCK : SHA_BLOCK;
	uint64_t bits = total * 8;
	int i;

	memset(pad, 0, sizeof(pad));
	memcpy(pad, p, rest);
	pad[rest] = 0x80;
	for (i = 0; i < 8; i++)
		pad[n - 1 - i] = (uint8_t)(bits >> (8 * i));
	sha1_block(h, pad);
	if (n > SHA_BLOCK)
		sha1_block(h, pad + SHA_BLOCK);
	explicit_bzero(pad, sizeof(pad));
}

/* HMAC key block Ki ^ x, hashed from the IV into st (RFC 2104). */
TARGET static void
hmac_half(const uint8_t *ki, size_t kilen, uint8_t x, uint32_t st[5])
{
	uint8_t block[SHA_BLOCK];
	struct sha1 h;
	size_t i;

	memset(block, 0, sizeof(block));
	memcpy(block, ki, kilen);
	for (i = 0; i < sizeof(block); i++)
		block[i] ^= x;
	sha1_load(&h, sha1_iv);
	sha1_block(&h, block);
	sha1_store(&h, st);
	explicit_bzero(block, sizeof(block));
	explicit_bzero(&h, sizeof(h));
}

/* FIPS 197 key expansion, one round key from the one before. */
TARGET static inline __m128i
expand_step(__m128i key, __m128i assist)
{
	key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
	key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
	key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
	return _mm_xor_si128(key, assist);
}

#define EXPAND128(i, rcon)                                                     \
	(rk[i] = expand_step(rk[(i)-1],                                        \
	     _mm_shuffle_epi32(_mm_aeskeygenassist_si128(rk[(i)-1], rcon),     \
		 0xFF)))
/*
 * AES-256: round key i (even) from i - 2 with RotWord, SubWord and Rcon of
 * i - 1; round key i + 1 (odd) from i - 1 with SubWord of i.
 */
#define EXPAND256(i, rcon)                                                     \
	(rk[i] = expand_step(rk[(i)-2],                                        \
	     _mm_shuffle_epi32(_mm_aeskeygenassist_si128(rk[(i)-1], rcon),     \
		 0xFF)))
#define EXPAND256_ODD(i)                                                       \
	(rk[i] = expand_step(rk[(i)-2],                                        \
	     _mm_shuffle_epi32(_mm_aeskeygenassist_si128(rk[(i)-1], 0),        \
		 0xAA)))

TARGET static void
expand_key(struct kstitch *s, const uint8_t *ke, size_t kelen)
{
	__m128i rk[15];
	int i;

	rk[0] = _mm_loadu_si128((const __m128i *)ke);
	if (kelen == 16) {
		s->rounds = 10;
		EXPAND128(1, 0x01);
		EXPAND128(2, 0x02);
		EXPAND128(3, 0x04);
		EXPAND128(4, 0x08);
		EXPAND128(5, 0x10);
		EXPAND128(6, 0x20);
		EXPAND128(7, 0x40);
		EXPAND128(8, 0x80);
		EXPAND128(9, 0x1B);
		EXPAND128(10, 0x36);
	} else {
		s->rounds = 14;
		rk[1] = _mm_loadu_si128((const __m128i *)(ke + BLOCK));
		EXPAND256(2, 0x01);
		EXPAND256_ODD(3);
		EXPAND256(4, 0x02);
		EXPAND256_ODD(5);
		EXPAND256(6, 0x04);
		EXPAND256_ODD(7);
		EXPAND256(8, 0x08);
		EXPAND256_ODD(9);
		EXPAND256(10, 0x10);
		EXPAND256_ODD(11);
		EXPAND256(12, 0x20);
		EXPAND256_ODD(13);
		EXPAND256(14, 0x40);
	}
	/* Decryption: the round keys reversed, the inner ones through
	 * InvMixColumns (FIPS 197 §5.3.5, the equivalent inverse cipher). */
	for (i = 0; i <= s->rounds; i++) {
		_mm_storeu_si128((__m128i *)(s->rk + BLOCK * i), rk[i]);
		_mm_storeu_si128((__m128i *)(s->dk + BLOCK * (s->rounds - i)),
		    i == 0 || i == s->rounds ? rk[i] : _mm_aesimc_si128(rk[i]));
	}
	/* Not a loop of plain stores: the compiler drops those as dead. */
	explicit_bzero(rk, sizeof(rk));
}

/*
 * One block through the encryption (aes_block) or decryption schedule.
 * Two functions, not one with a flag: a shared body that the compiler did
 * not inline (clang with ASan) left round keys in its stack frame, which
 * test_kcrypto's dead-stack scan found.
 */
TARGET static inline __m128i
aes_block(const struct kstitch *s, __m128i x)
{
	const __m128i *rk = (const __m128i *)s->rk;
	int r;

	x = _mm_xor_si128(x, _mm_loadu_si128(rk));
	for (r = 1; r < s->rounds; r++)
		x = _mm_aesenc_si128(x, _mm_loadu_si128(rk + r));
	return _mm_aesenclast_si128(x, _mm_loadu_si128(rk + s->rounds));
}

TARGET static inline __m128i
aes_block_dec(const struct kstitch *s, __m128i x)
{
	const __m128i *dk = (const __m128i *)s->dk;
	int r;

	x = _mm_xor_si128(x, _mm_loadu_si128(dk));
	for (r = 1; r < s->rounds; r++)
		x = _mm_aesdec_si128(x, _mm_loadu_si128(dk + r));
	return _mm_aesdeclast_si128(x, _mm_loadu_si128(dk + s->rounds));
}

/* One AES decryption round on the four blocks x0..x3. */
#define DEC_ROUND(r)                                                           \
	do {                                                                   \
		k = _mm_loadu_si128(dk + (r));                                 \
		x0 = _mm_aesdec_si128(x0, k);                                  \
		x1 = _mm_aesdec_si128(x1, k);                                  \
		x2 = _mm_aesdec_si128(x2, k);                                  \
		x3 = _mm_aesdec_si128(x3, k);                                  \
	} while (0)

/*
 * CBC decryption of the 64 bytes at p in place (the four blocks in
 * parallel: each needs only ciphertext), while the SHA-1 rounds of the 64
 * plaintext bytes at q (the chunk before, already decrypted) run in the
 * gaps; q NULL hashes nothing. chain is the ciphertext block before p, in
 * and out.
 */
TARGET static inline void
unstitch_chunk(const struct kstitch *s, struct sha1 *h, uint8_t *p,
    const uint8_t *q, __m128i *chain)
{
	const __m128i bswap =
	    _mm_set_epi64x(0x0001020304050607LL, 0x08090A0B0C0D0E0FLL);
	const __m128i *dk = (const __m128i *)s->dk;
	__m128i c0, c1, c2, c3, x0, x1, x2, x3, k;
	__m128i abcd = h->abcd, e, prev = abcd, w[4];
	int i, r;

	c0 = _mm_loadu_si128((const __m128i *)p);
	c1 = _mm_loadu_si128((const __m128i *)(p + BLOCK));
	c2 = _mm_loadu_si128((const __m128i *)(p + 2 * BLOCK));
	c3 = _mm_loadu_si128((const __m128i *)(p + 3 * BLOCK));
	k = _mm_loadu_si128(dk);
	x0 = _mm_xor_si128(c0, k);
	x1 = _mm_xor_si128(c1, k);
	x2 = _mm_xor_si128(c2, k);
	x3 = _mm_xor_si128(c3, k);
	if (q == NULL) {
		for (r = 1; r < s->rounds; r++)
			DEC_ROUND(r);
	} else {
		for (i = 0; i < 4; i++)
			w[i] = _mm_shuffle_epi8(_mm_loadu_si128(
						    (const __m128i *)(q +
							BLOCK * i)),
			    bswap);
		e = _mm_add_epi32(h->e, w[0]);
		abcd = _mm_sha1rnds4_epu32(abcd, e, 0);
		DEC_ROUND(1);
		SHA1_GROUP(1, 0);
		SHA1_GROUP(2, 0);
		DEC_ROUND(2);
		SHA1_GROUP(3, 0);
		SHA1_GROUP(4, 0);
		DEC_ROUND(3);
		SHA1_GROUP(5, 1);
		SHA1_GROUP(6, 1);
		DEC_ROUND(4);
		SHA1_GROUP(7, 1);
		DEC_ROUND(5);
		SHA1_GROUP(8, 1);
		SHA1_GROUP(9, 1);
		DEC_ROUND(6);
		SHA1_GROUP(10, 2);
		SHA1_GROUP(11, 2);
		DEC_ROUND(7);
		SHA1_GROUP(12, 2);
		DEC_ROUND(8);
		SHA1_GROUP(13, 2);
		SHA1_GROUP(14, 2);
		DEC_ROUND(9);
		SHA1_GROUP(15, 3);
		SHA1_GROUP(16, 3);
		if (s->rounds == 14) {
			DEC_ROUND(10);
			SHA1_GROUP(17, 3);
			DEC_ROUND(11);
			SHA1_GROUP(18, 3);
			DEC_ROUND(12);
			SHA1_GROUP(19, 3);
			DEC_ROUND(13);
		} else {
			SHA1_GROUP(17, 3);
			SHA1_GROUP(18, 3);
			SHA1_GROUP(19, 3);
		}
		h->e = _mm_sha1nexte_epu32(prev, h->e);
		h->abcd = _mm_add_epi32(abcd, h->abcd);
	}
	k = _mm_loadu_si128(dk + s->rounds);
	_mm_storeu_si128((__m128i *)p,
	    _mm_xor_si128(_mm_aesdeclast_si128(x0, k), *chain));
	_mm_storeu_si128((__m128i *)(p + BLOCK),
	    _mm_xor_si128(_mm_aesdeclast_si128(x1, k), c0));
	_mm_storeu_si128((__m128i *)(p + 2 * BLOCK),
	    _mm_xor_si128(_mm_aesdeclast_si128(x2, k), c1));
	_mm_storeu_si128((__m128i *)(p + 3 * BLOCK),
	    _mm_xor_si128(_mm_aesdeclast_si128(x3, k), c2));
	*chain = c3;
}

/* CBC over n whole blocks in place; chain is the IV in and out. */
TARGET static inline void
cbc_blocks(const struct kstitch *s, uint8_t *p, size_t n, __m128i *chain)
{
	__m128i c = *chain;
	size_t i;

	for (i = 0; i < n; i++) {
		c = aes_block(s,
		    _mm_xor_si128(c,
			_mm_loadu_si128((const __m128i *)(p + BLOCK * i))));
		_mm_storeu_si128((__m128i *)(p + BLOCK * i), c);
	}
	*chain = c;
}

/*
 * 64 bytes hashed and encrypted together: each AES block of the CBC chain
 * waits on the one before, and five groups of SHA-1 rounds between them
 * fill that wait. The message words are read before the block is
 * overwritten.
 */
TARGET static inline void
stitch_chunk(const struct kstitch *s, struct sha1 *h, uint8_t *p,
    __m128i *chain)
{
	const __m128i bswap =
	    _mm_set_epi64x(0x0001020304050607LL, 0x08090A0B0C0D0E0FLL);
	__m128i abcd = h->abcd, e, prev, w[4], c = *chain;
	int i;

	for (i = 0; i < 4; i++)
		w[i] = _mm_shuffle_epi8(_mm_loadu_si128(
					    (const __m128i *)(p + BLOCK * i)),
		    bswap);
	c = aes_block(s, _mm_xor_si128(c, _mm_loadu_si128((const __m128i *)p)));
	_mm_storeu_si128((__m128i *)p, c);
	e = _mm_add_epi32(h->e, w[0]);
	prev = abcd;
	abcd = _mm_sha1rnds4_epu32(abcd, e, 0);
	SHA1_GROUPS_1_4();
	c = aes_block(s,
	    _mm_xor_si128(c, _mm_loadu_si128((const __m128i *)(p + BLOCK))));
	_mm_storeu_si128((__m128i *)(p + BLOCK), c);
	SHA1_GROUPS5(5, 1);
	c = aes_block(s,
	    _mm_xor_si128(c,
		_mm_loadu_si128((const __m128i *)(p + 2 * BLOCK))));
	_mm_storeu_si128((__m128i *)(p + 2 * BLOCK), c);
	SHA1_GROUPS5(10, 2);
	c = aes_block(s,
	    _mm_xor_si128(c,
		_mm_loadu_si128((const __m128i *)(p + 3 * BLOCK))));
	_mm_storeu_si128((__m128i *)(p + 3 * BLOCK), c);
	SHA1_GROUPS5(15, 3);
	h->e = _mm_sha1nexte_epu32(prev, h->e);
	h->abcd = _mm_add_epi32(abcd, h->abcd);
	*chain = c;
}

/*
 * The last two blocks of CBC-CS3 (RFC 3962 §5): the final partial block
 * zero-padded, the two ciphertext blocks swapped, the output cut to
 * BLOCK + m bytes.
 */
TARGET static void
cts_tail(const struct kstitch *s, uint8_t *p, size_t m, __m128i chain)
{
	uint8_t last[BLOCK], c1[BLOCK];
	__m128i x, y;

	memset(last, 0, sizeof(last));
	memcpy(last, p + BLOCK, m);
	x = aes_block(s,
	    _mm_xor_si128(chain, _mm_loadu_si128((const __m128i *)p)));
	y = aes_block(s,
	    _mm_xor_si128(x, _mm_loadu_si128((const __m128i *)last)));
	_mm_storeu_si128((__m128i *)c1, x);
	_mm_storeu_si128((__m128i *)p, y);
	memcpy(p + BLOCK, c1, m);
	explicit_bzero(last, sizeof(last));
	explicit_bzero(c1, sizeof(c1));
}

/* The outer hash of HMAC over the inner digest in h; h is wiped. */
TARGET static void
hmac_finish(const struct kstitch *s, struct sha1 *h, uint8_t *mac)
{
	uint32_t st[5];
	uint8_t inner[SHA_BLOCK];
	size_t i;

	sha1_store(h, st);
	memset(inner, 0, sizeof(inner));
	for (i = 0; i < 20; i++)
		inner[i] = (uint8_t)(st[i / 4] >> (24 - 8 * (i % 4)));
	sha1_load(h, s->outer);
	sha1_final(h, inner, 20, SHA_BLOCK + 20);
	sha1_store(h, st);
	for (i = 0; i < KSTITCH_MAC_LEN; i++)
		mac[i] = (uint8_t)(st[i / 4] >> (24 - 8 * (i % 4)));
	explicit_bzero(st, sizeof(st));
	explicit_bzero(inner, sizeof(inner));
	explicit_bzero(h, sizeof(*h));
}

/*
 * The CS3 layout of len >= BLOCK bytes: head bytes of plain CBC, then the
 * last two blocks, the last one holding m bytes. Returns the block count.
 */
static size_t
cs3_layout(size_t len, size_t *head, size_t *m)
{
	size_t nblk = (len + BLOCK - 1) / BLOCK;

	*head = nblk >= 2 ? BLOCK * (nblk - 2) : 0;
	*m = len - BLOCK * (nblk - 1);
	return nblk;
}

TARGET int
kstitch_encrypt(const struct kstitch *s, uint8_t *buf, size_t len,
    uint8_t mac[KSTITCH_MAC_LEN])
{
	__m128i chain = _mm_setzero_si128();
	size_t nblk, head, m, done, i;
	struct sha1 h;

	if (len < BLOCK)
		return -1;
	nblk = cs3_layout(len, &head, &m);
	sha1_load(&h, s->inner);
	/* Each 64 bytes of the CBC part hashed and encrypted together. */
	for (done = 0; done + SHA_BLOCK <= head; done += SHA_BLOCK)
		stitch_chunk(s, &h, buf + done, &chain);
	/* The rest is hashed before any of it is encrypted. */
	for (i = done; i + SHA_BLOCK <= len; i += SHA_BLOCK)
		sha1_block(&h, buf + i);
	sha1_final(&h, buf + i, len - i, SHA_BLOCK + (uint64_t)len);
	if (nblk == 1) {
		cbc_blocks(s, buf, 1, &chain);
	} else {
		cbc_blocks(s, buf + done, (head - done) / BLOCK, &chain);
		cts_tail(s, buf + head, m, chain);
	}
	hmac_finish(s, &h, mac);
	explicit_bzero(&chain, sizeof(chain));
	return 0;
}

/*
 * CBC-CS3 decryption of the last two blocks into out (BLOCK + m bytes):
 * the full block at p is the encryption of the zero-padded last block,
 * whose decryption also gives the stolen tail of the block before.
 */
TARGET static void
cts_tail_dec(const struct kstitch *s, const uint8_t *p, size_t m, __m128i prev,
    uint8_t *out)
{
	uint8_t d[BLOCK], c1[BLOCK];
	__m128i e;
	size_t i;

	_mm_storeu_si128((__m128i *)d,
	    aes_block_dec(s, _mm_loadu_si128((const __m128i *)p)));
	memcpy(c1, p + BLOCK, m);
	memcpy(c1 + m, d + m, BLOCK - m);
	e = aes_block_dec(s, _mm_loadu_si128((const __m128i *)c1));
	_mm_storeu_si128((__m128i *)out, _mm_xor_si128(e, prev));
	for (i = 0; i < m; i++)
		out[BLOCK + i] = d[i] ^ c1[i];
	explicit_bzero(d, sizeof(d));
	explicit_bzero(c1, sizeof(c1));
}

TARGET int
kstitch_decrypt(const struct kstitch *s, uint8_t *buf, size_t len,
    uint8_t mac[KSTITCH_MAC_LEN])
{
	__m128i prev = _mm_setzero_si128(), c;
	size_t nblk, head, m, done, i;
	uint8_t tail[2 * BLOCK];
	struct sha1 h;

	if (len < BLOCK)
		return -1;
	nblk = cs3_layout(len, &head, &m);
	sha1_load(&h, s->inner);
	if (nblk == 1) {
		_mm_storeu_si128((__m128i *)buf,
		    aes_block_dec(s, _mm_loadu_si128((const __m128i *)buf)));
		done = 0;
	} else {
		/* The tail needs the ciphertext block before it: first. */
		cts_tail_dec(s, buf + head, m,
		    head > 0 ?
			_mm_loadu_si128((const __m128i *)(buf + head - BLOCK)) :
			prev,
		    tail);
		/* Each chunk decrypted while the one before is hashed. */
		for (done = 0; done + SHA_BLOCK <= head; done += SHA_BLOCK)
			unstitch_chunk(s, &h, buf + done,
			    done > 0 ? buf + done - SHA_BLOCK : NULL, &prev);
		if (done > 0)
			sha1_block(&h, buf + done - SHA_BLOCK);
		for (i = done; i < head; i += BLOCK) {
			c = _mm_loadu_si128((const __m128i *)(buf + i));
			_mm_storeu_si128((__m128i *)(buf + i),
			    _mm_xor_si128(aes_block_dec(s, c), prev));
			prev = c;
		}
		memcpy(buf + head, tail, BLOCK + m);
		explicit_bzero(tail, sizeof(tail));
	}
	for (i = done; i + SHA_BLOCK <= len; i += SHA_BLOCK)
		sha1_block(&h, buf + i);
	sha1_final(&h, buf + i, len - i, SHA_BLOCK + (uint64_t)len);
	hmac_finish(s, &h, mac);
	explicit_bzero(&prev, sizeof(prev));
	return 0;
}

/* DK's chain of AES encryptions (RFC 3961 §5.1) of block under key. */
TARGET static void
ecb_chain(const uint8_t *key, size_t keylen, const uint8_t *block, uint8_t *out,
    size_t outlen)
{
	struct kstitch t;
	__m128i x = _mm_loadu_si128((const __m128i *)block);
	uint8_t b[BLOCK];
	size_t off, n;

	expand_key(&t, key, keylen);
	for (off = 0; off < outlen; off += n) {
		x = aes_block(&t, x);
		_mm_storeu_si128((__m128i *)b, x);
		n = outlen - off < BLOCK ? outlen - off : BLOCK;
		memcpy(out + off, b, n);
	}
	explicit_bzero(&t, sizeof(t));
	explicit_bzero(b, sizeof(b));
	explicit_bzero(&x, sizeof(x));
}

struct kstitch *
kstitch_new(const uint8_t *ke, size_t kelen, const uint8_t *ki, size_t kilen)
{
	struct kstitch *s;

	if (!kstitch_available() || (kelen != 16 && kelen != 32) ||
	    kilen > SHA_BLOCK || (s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	expand_key(s, ke, kelen);
	hmac_half(ki, kilen, 0x36, s->inner);
	hmac_half(ki, kilen, 0x5C, s->outer);
	return s;
}

int
kstitch_dk(const uint8_t *key, size_t keylen, const uint8_t *block,
    uint8_t *out, size_t outlen)
{
	if (!kstitch_available() || (keylen != 16 && keylen != 32))
		return -1;
	ecb_chain(key, keylen, block, out, outlen);
	return 0;
}

/*
 * Known answers: RFC 3962 B's AES-CTS vectors of 47 and 64 bytes under
 * "chicken teriyaki" (here also Ki), 96 bytes of the same text continued
 * (which go through the stitched 64-byte chunks), and HMAC-SHA1 of each
 * plaintext under the same key, all computed with OpenSSL too. Each is
 * encrypted and decrypted. 1 when every byte matches.
 */
static int
self_test(void)
{
	static const char plain[] =
	    "I would like the General Gau's Chicken, please, and wonton soup."
	    " Fried rice, too; chopsticks, 2.";
	static const uint8_t ct47[47] = { 0x97, 0x68, 0x72, 0x68, 0xd6, 0xec,
		0xcc, 0xc0, 0xc0, 0x7b, 0x25, 0xe2, 0x5e, 0xcf, 0xe5, 0x84,
		0xb3, 0xff, 0xfd, 0x94, 0x0c, 0x16, 0xa1, 0x8c, 0x1b, 0x55,
		0x49, 0xd2, 0xf8, 0x38, 0x02, 0x9e, 0x39, 0x31, 0x25, 0x23,
		0xa7, 0x86, 0x62, 0xd5, 0xbe, 0x7f, 0xcb, 0xcc, 0x98, 0xeb,
		0xf5 };
	static const uint8_t ct64[64] = { 0x97, 0x68, 0x72, 0x68, 0xd6, 0xec,
		0xcc, 0xc0, 0xc0, 0x7b, 0x25, 0xe2, 0x5e, 0xcf, 0xe5, 0x84,
		0x39, 0x31, 0x25, 0x23, 0xa7, 0x86, 0x62, 0xd5, 0xbe, 0x7f,
		0xcb, 0xcc, 0x98, 0xeb, 0xf5, 0xa8, 0x48, 0x07, 0xef, 0xe8,
		0x36, 0xee, 0x89, 0xa5, 0x26, 0x73, 0x0d, 0xbc, 0x2f, 0x7b,
		0xc8, 0x40, 0x9d, 0xad, 0x8b, 0xbb, 0x96, 0xc4, 0xcd, 0xc0,
		0x3b, 0xc1, 0x03, 0xe1, 0xa1, 0x94, 0xbb, 0xd8 };
	static const uint8_t mac47[KSTITCH_MAC_LEN] = { 0x34, 0xc2, 0x61, 0x68,
		0x1e, 0xb4, 0x49, 0x85, 0x01, 0x7e, 0x29, 0x23, 0x42, 0x47,
		0x2a, 0x4c, 0x05, 0x61, 0xc3, 0x8a };
	static const uint8_t mac64[KSTITCH_MAC_LEN] = { 0xf4, 0x37, 0x85, 0x64,
		0xc2, 0x27, 0x42, 0x1c, 0x6f, 0xe4, 0xec, 0x8a, 0x5a, 0x41,
		0x6d, 0xb0, 0x28, 0xdd, 0x98, 0x65 };
	static const uint8_t ct96[96] = { 0x97, 0x68, 0x72, 0x68, 0xd6, 0xec,
		0xcc, 0xc0, 0xc0, 0x7b, 0x25, 0xe2, 0x5e, 0xcf, 0xe5, 0x84,
		0x39, 0x31, 0x25, 0x23, 0xa7, 0x86, 0x62, 0xd5, 0xbe, 0x7f,
		0xcb, 0xcc, 0x98, 0xeb, 0xf5, 0xa8, 0x9d, 0xad, 0x8b, 0xbb,
		0x96, 0xc4, 0xcd, 0xc0, 0x3b, 0xc1, 0x03, 0xe1, 0xa1, 0x94,
		0xbb, 0xd8, 0x48, 0x07, 0xef, 0xe8, 0x36, 0xee, 0x89, 0xa5,
		0x26, 0x73, 0x0d, 0xbc, 0x2f, 0x7b, 0xc8, 0x40, 0xe7, 0x09,
		0x03, 0xc3, 0x5e, 0x2a, 0x99, 0xd5, 0xb3, 0x2e, 0xc7, 0x4f,
		0xa2, 0xfd, 0x75, 0x99, 0x49, 0xf8, 0x31, 0x97, 0xb4, 0x89,
		0xa8, 0x3a, 0x28, 0x12, 0xf9, 0x66, 0x6b, 0x20, 0xbe, 0xcd };
	static const uint8_t mac96[KSTITCH_MAC_LEN] = { 0xb8, 0xd0, 0xef, 0x4c,
		0x12, 0xdb, 0xef, 0x51, 0x51, 0x63, 0xeb, 0xeb, 0x27, 0x10,
		0x1a, 0xb3, 0x16, 0xa3, 0xde, 0x08 };
	static const struct {
		const uint8_t *ct, *mac;
		size_t len;
	} v[] = { { ct47, mac47, sizeof(ct47) }, { ct64, mac64, sizeof(ct64) },
		{ ct96, mac96, sizeof(ct96) } };
	const uint8_t *key = (const uint8_t *)"chicken teriyaki";
	uint8_t buf[96], mac[KSTITCH_MAC_LEN];
	struct kstitch s;
	size_t i;
	int ok = 1;

	expand_key(&s, key, 16);
	hmac_half(key, 16, 0x36, s.inner);
	hmac_half(key, 16, 0x5C, s.outer);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memcpy(buf, plain, v[i].len);
		ok = ok && kstitch_encrypt(&s, buf, v[i].len, mac) == 0 &&
		    memcmp(buf, v[i].ct, v[i].len) == 0 &&
		    memcmp(mac, v[i].mac, sizeof(mac)) == 0;
		ok = ok && kstitch_decrypt(&s, buf, v[i].len, mac) == 0 &&
		    memcmp(buf, plain, v[i].len) == 0 &&
		    memcmp(mac, v[i].mac, sizeof(mac)) == 0;
	}
	explicit_bzero(&s, sizeof(s));
	return ok;
}

#else /* not x86-64 */

int
kstitch_available(void)
{
	return 0;
}

struct kstitch *
kstitch_new(const uint8_t *ke, size_t kelen, const uint8_t *ki, size_t kilen)
{
	(void)ke;
	(void)kelen;
	(void)ki;
	(void)kilen;
	(void)sha1_iv;
	return NULL;
}

int
kstitch_encrypt(const struct kstitch *s, uint8_t *buf, size_t len,
    uint8_t mac_out[KSTITCH_MAC_LEN])
{
	(void)s;
	(void)buf;
	(void)len;
	(void)mac_out;
	return -1;
}

int
kstitch_decrypt(const struct kstitch *s, uint8_t *buf, size_t len,
    uint8_t mac_out[KSTITCH_MAC_LEN])
{
	return kstitch_encrypt(s, buf, len, mac_out);
}

int
kstitch_dk(const uint8_t *key, size_t keylen, const uint8_t *block,
    uint8_t *out, size_t outlen)
{
	(void)key;
	(void)keylen;
	(void)block;
	(void)out;
	(void)outlen;
	return -1;
}

#endif

void
kstitch_free(struct kstitch *s)
{
	if (s != NULL)
		freezero(s, sizeof(*s));
}
