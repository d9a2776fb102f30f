/*
 * kcrypto against the published vectors: RFC 3961 A.1 (n-fold), RFC 3962
 * Appendix B (string-to-key, which ends in DK; AES-CTS), RFC 8009
 * Appendix A (key derivation, encryption with a known confounder); then
 * round trips and tampering for every enctype; and for the RFC 3962
 * enctypes, the stitched one-pass encryption (kstitch.h) against OpenSSL
 * alone, byte for byte.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <openssl/evp.h>

#include "enctype.h"
#include "kcrypto.h"
#include "tap.h"

static size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned int v;

	while (s[0] != '\0' && s[1] != '\0' && n < cap) {
		if (s[0] == ' ') {
			s++;
			continue;
		}
		if (sscanf(s, "%2x", &v) != 1)
			break;
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static int
same_hex(const uint8_t *got, size_t len, const char *want)
{
	uint8_t w[256];
	size_t n = unhex(want, w, sizeof(w));

	return n == len && memcmp(got, w, len) == 0;
}

static void
nfold_vectors(void)
{
	static const struct {
		const char *in;
		size_t bits;
		const char *out;
	} v[] = {
		{ "012345", 64, "be072631276b1955" },
		{ "password", 56, "78a07b6caf85fa" },
		{ "Rough Consensus, and Running Code", 64, "bb6ed30870b7f0e0" },
		{ "password", 168,
		    "59e4a8ca7c0385c3c37b3f6d2000247cb6e6bd5b3e" },
		{ "MASSACHVSETTS INSTITVTE OF TECHNOLOGY", 192,
		    "db3b0d8f0b061e603282b308a50841229ad798fab9540c1b" },
		{ "Q", 168, "518a54a215a8452a518a54a215a8452a518a54a215" },
		{ "ba", 168, "fb25d531ae8974499f52fd92ea9857c4ba24cf297e" },
		{ "kerberos", 64, "6b65726265726f73" },
		{ "kerberos", 128, "6b65726265726f737b9b5b2b93132b93" },
		{ "kerberos", 168,
		    "8372c236344e5f1550cd0747e15d62ca7a5a3bcea4" },
		{ "kerberos", 256,
		    "6b65726265726f737b9b5b2b93132b935c9bdcdad95c9899c4cae4dee6"
		    "d6cae4" },
	};
	uint8_t out[32];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		kc_nfold((const uint8_t *)v[i].in, strlen(v[i].in), out,
		    v[i].bits / 8);
		TAP_OK(same_hex(out, v[i].bits / 8, v[i].out),
		    "RFC 3961 A.1: %zu-fold(\"%s\")", v[i].bits, v[i].in);
	}
}

/* RFC 3962 B: PBKDF2-HMAC-SHA1 then DK(tkey, "kerberos"). */
static void
string_to_key_vectors(void)
{
	static const struct {
		int iter;
		int32_t enctype;
		const char *key;
	} v[] = {
		{ 1, 17, "42263c6e89f4fc28b8df68ee09799f15" },
		{ 1, 18,
		    "fe697b52bc0d3ce14432ba036a92e65bbb52280990a2fa27883998d72a"
		    "f3"
		    "0161" },
		{ 1200, 17, "4c01cd46d632d01e6dbe230a01ed642a" },
		{ 1200, 18,
		    "55a6ac740ad17b4846941051e1e8b0a7548d93b0ab30a8bc3ff1628038"
		    "2b"
		    "8c2a" },
	};
	const char *salt = "ATHENA.MIT.EDUraeburn";
	uint8_t tkey[32], key[32];
	size_t i, len;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		len = kc_key_len(v[i].enctype);
		TAP_OK(PKCS5_PBKDF2_HMAC_SHA1("password", 8,
			   (const uint8_t *)salt, (int)strlen(salt), v[i].iter,
			   (int)len, tkey) == 1 &&
			kc_derive(v[i].enctype, tkey, len,
			    (const uint8_t *)"kerberos", 8, key, len) == 0 &&
			same_hex(key, len, v[i].key),
		    "RFC 3962 B: DK of string-to-key, enctype %d, %d "
		    "iterations",
		    (int)v[i].enctype, v[i].iter);
	}
}

static void
cts_vectors(void)
{
	static const char *plain =
	    "I would like the General Gau's Chicken, please, and wonton soup.";
	static const struct {
		size_t len;
		const char *out;
	} v[] = {
		{ 17, "c6353568f2bf8cb4d8a580362da7ff7f97" },
		{ 31,
		    "fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25e"
		    "cfe5" },
		{ 32,
		    "39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25e"
		    "cfe5"
		    "84" },
		{ 47,
		    "97687268d6ecccc0c07b25e25ecfe584b3fffd940c16a18c1b5549d2f8"
		    "3802"
		    "9e39312523a78662d5be7fcbcc98ebf5" },
		{ 48,
		    "97687268d6ecccc0c07b25e25ecfe5849dad8bbb96c4cdc03bc103e1a1"
		    "94bb"
		    "d839312523a78662d5be7fcbcc98ebf5a8" },
		{ 64,
		    "97687268d6ecccc0c07b25e25ecfe58439312523a78662d5be7fcbcc98"
		    "ebf5"
		    "a84807efe836ee89a526730dbc2f7bc8409dad8bbb96c4cdc03bc103e1"
		    "a194"
		    "bbd8" },
	};
	const uint8_t *key = (const uint8_t *)"chicken teriyaki";
	uint8_t buf[64];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memcpy(buf, plain, v[i].len);
		TAP_OK(kc_cts(1, key, 16, buf, v[i].len) == 0 &&
			same_hex(buf, v[i].len, v[i].out),
		    "RFC 3962 B: AES-CTS encryption of %zu bytes", v[i].len);
		TAP_OK(kc_cts(0, key, 16, buf, v[i].len) == 0 &&
			memcmp(buf, plain, v[i].len) == 0,
		    "  and its decryption");
	}
}

static void
derive_vectors(void)
{
	uint8_t base[32], out[32];
	const uint8_t l_kc[5] = { 0, 0, 0, 2, 0x99 };
	const uint8_t l_ke[5] = { 0, 0, 0, 2, 0xAA };
	const uint8_t l_ki[5] = { 0, 0, 0, 2, 0x55 };

	unhex("3705D96080C17728A0E800EAB6E0D23C", base, 16);
	TAP_OK(kc_derive(19, base, 16, l_kc, 5, out, 16) == 0 &&
		same_hex(out, 16, "B31A018A48F54776F403E9A396325DC3"),
	    "RFC 8009 A: aes128-sha256 Kc, usage 2");
	TAP_OK(kc_derive(19, base, 16, l_ke, 5, out, 16) == 0 &&
		same_hex(out, 16, "9B197DD1E8C5609D6E67C3E37C62C72E"),
	    "RFC 8009 A: aes128-sha256 Ke, usage 2");
	TAP_OK(kc_derive(19, base, 16, l_ki, 5, out, 16) == 0 &&
		same_hex(out, 16, "9FDA0E56AB2D85E1569A688696C26A6C"),
	    "RFC 8009 A: aes128-sha256 Ki, usage 2");
	unhex("6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C5"
	      "2",
	    base, 32);
	TAP_OK(kc_derive(20, base, 32, l_kc, 5, out, 24) == 0 &&
		same_hex(out, 24,
		    "EF5718BE86CC84963D8BBB5031E9F5C4BA41F28FAF69E73D"),
	    "RFC 8009 A: aes256-sha384 Kc, usage 2");
	TAP_OK(kc_derive(20, base, 32, l_ke, 5, out, 32) == 0 &&
		same_hex(out, 32,
		    "56AB22BEE63D82D7BC5227F6773F8EA7A5EB1C825160C38312980C442E"
		    "5C"
		    "7E49"),
	    "RFC 8009 A: aes256-sha384 Ke (256 bits), usage 2");
	TAP_OK(kc_derive(20, base, 32, l_ki, 5, out, 24) == 0 &&
		same_hex(out, 24,
		    "69B16514E3CD8E56B82010D5C73012B622C4D00FFC23ED1F"),
	    "RFC 8009 A: aes256-sha384 Ki (192 bits), usage 2");
}

/* RFC 8009 A: encryption with a known confounder, base key, usage 2. */
static void
encrypt_vectors(void)
{
	static const struct {
		int32_t enctype;
		const char *plain, *conf, *ct;
	} v[] = {
		{ 19, "", "7E5895EAF2672435BAD817F545A37148",
		    "EF85FB890BB8472F4DAB20394DCA781DAD877EDA39D50C870C0D5A0A8E"
		    "48"
		    "C718" },
		{ 19, "000102030405", "7BCA285E2FD4130FB55B1A5C83BC5B24",
		    "84D7F30754ED987BAB0BF3506BEB09CFB55402CEF7E6877CE99E247E52"
		    "D1"
		    "6ED4421DFDF8976C" },
		{ 19, "000102030405060708090A0B0C0D0E0F",
		    "56AB21713FF62C0A1457200F6FA9948F",
		    "3517D640F50DDC8AD3628722B3569D2AE07493FA8263254080EA65C100"
		    "8E"
		    "8FC295FB4852E7D83E1E7C48C37EEBE6B0D3" },
		{ 19, "000102030405060708090A0B0C0D0E0F1011121314",
		    "A7A4E29A4728CE10664FB64E49AD3FAC",
		    "720F73B18D9859CD6CCB4346115CD336C70F58EDC0C4437C5573544C31"
		    "C8"
		    "13BCE1E6D072C186B39A413C2F92CA9B8334A287FFCBFC" },
		{ 20, "", "F764E9FA15C276478B2C7D0C4E5F58E4",
		    "41F53FA5BFE7026D91FAF9BE959195A058707273A96A40F0A01960621A"
		    "C6"
		    "12748B9BBFBE7EB4CE3C" },
		{ 20, "000102030405", "B80D3251C1F6471494256FFE712D0B9A",
		    "4ED7B37C2BCAC8F74F23C1CF07E62BC7B75FB3F637B9F559C7F664F69E"
		    "AB"
		    "7B6092237526EA0D1F61CB20D69D10F2" },
		{ 20, "000102030405060708090A0B0C0D0E0F",
		    "53BF8A0D105265D4E276428624CE5E63",
		    "BC47FFEC7998EB91E8115CF8D19DAC4BBBE2E163E87DD37F49BECA9202"
		    "77"
		    "64F68CF51F14D798C2273F35DF574D1F932E40C4FF255B36A266" },
		{ 20, "000102030405060708090A0B0C0D0E0F1011121314",
		    "763E65367E864F02F55153C7E3B58AF1",
		    "40013E2DF58E8751957D2878BCD2D6FE101CCFD556CB1EAE79DB3C3EE8"
		    "64"
		    "29F2B2A602AC86FEF6ECB647D6295FAE077A1FEB517508D2C16B4192E0"
		    "1F"
		    "62" },
	};
	const char *b19 = "3705D96080C17728A0E800EAB6E0D23C";
	const char *b20 = "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D1"
			  "6B7182460C52";
	uint8_t base[32], conf[16], plain[32], buf[128];
	size_t i, plen, blen, total, got = 0;
	struct kc_key *k;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		blen = unhex(v[i].enctype == 19 ? b19 : b20, base, 32);
		plen = unhex(v[i].plain, plain, sizeof(plain));
		unhex(v[i].conf, conf, 16);
		k = kc_key_new(v[i].enctype, base, blen, 2);
		memcpy(buf + KC_CONF_LEN, plain, plen);
		total = KC_CONF_LEN + plen + (k ? kc_mac_len(k) : 0);
		TAP_OK(k != NULL && kc_encrypt(k, buf, plen, conf) == 0 &&
			same_hex(buf, total, v[i].ct),
		    "RFC 8009 A: enctype %d encryption of %zu bytes",
		    (int)v[i].enctype, plen);
		TAP_OK(k != NULL && kc_decrypt(k, buf, total, &got) == 0 &&
			got == plen &&
			memcmp(buf + KC_CONF_LEN, plain, plen) == 0,
		    "  and its decryption");
		kc_key_free(k);
	}
}

/*
 * Every enctype: sizes around the block, tampering anywhere, wrong key.
 * how names the RFC 3962 encryption in use (stitched or OpenSSL alone).
 */
static void
round_trips(const char *how)
{
	static const int32_t et[] = { 17, 18, 19, 20 };
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 31, 32, 33, 4095,
		16368, 16369, 65536 };
	uint8_t base[32], *buf, *copy;
	struct kc_key *k, *other;
	size_t i, j, total, got, pos;
	int ok, tamper_ok, other_ok;

	buf = malloc(65536 + 64);
	copy = malloc(65536 + 64);
	for (i = 0; i < sizeof(et) / sizeof(et[0]); i++) {
		memset(base, (int)(0x40 + i), sizeof(base));
		k = kc_key_new(et[i], base, kc_key_len(et[i]), 24);
		other = kc_key_new(et[i], base, kc_key_len(et[i]), 22);
		ok = tamper_ok = other_ok = k != NULL && other != NULL;
		for (j = 0; ok && j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			memset(buf + KC_CONF_LEN, 'a' + (int)j, sizes[j]);
			ok = kc_encrypt(k, buf, sizes[j], NULL) == 0;
			total = KC_CONF_LEN + sizes[j] + kc_mac_len(k);
			memcpy(copy, buf, total);
			/* The other usage's key must not open it. */
			if (kc_decrypt(other, copy, total, &got) == 0)
				other_ok = 0;
			for (pos = 0; pos<total; pos += total> 4096 ? 997 : 7) {
				memcpy(copy, buf, total);
				copy[pos] ^= 0x01;
				if (kc_decrypt(k, copy, total, &got) == 0)
					tamper_ok = 0;
			}
			ok = ok && kc_decrypt(k, buf, total, &got) == 0 &&
			    got == sizes[j];
			while (ok && got > 0)
				ok = buf[KC_CONF_LEN + --got] == 'a' + (int)j;
			if (kc_decrypt(k, buf, KC_CONF_LEN + kc_mac_len(k) - 1,
				&got) == 0)
				ok = 0;
		}
		TAP_OK(ok, "enctype %d (%s): round trips of 0 to 65536 bytes",
		    (int)et[i], how);
		TAP_OK(tamper_ok,
		    "enctype %d (%s): a flipped bit anywhere fails", (int)et[i],
		    how);
		TAP_OK(other_ok, "enctype %d (%s): another usage's key fails",
		    (int)et[i], how);
		kc_key_free(k);
		kc_key_free(other);
	}
	TAP_OK(kc_key_new(23, base, 16, 24) == NULL &&
		enctype_native(23) == NULL && enctype_native(26) == NULL,
	    "arcfour-hmac and camellia are not native");
	TAP_OK(kc_key_new(18, base, 16, 24) == NULL,
	    "a key of the wrong length is refused");
	free(buf);
	free(copy);
}

/* A fixed pseudo-random sequence (xorshift64), so that runs repeat. */
static uint64_t
next_rand(void)
{
	static uint64_t x = 0x9E3779B97F4A7C15ULL;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

static void
fill_rand(uint8_t *p, size_t n)
{
	while (n-- > 0)
		*p++ = (uint8_t)next_rand();
}

/* Lengths: every one up to 300, then around the record sizes, then random. */
static size_t
nth_len(size_t i)
{
	static const size_t big[] = { 4095, 4096, 4097, 16383, 16384, 16385,
		65535, 65536, 65537 };

	if (i <= 300)
		return i;
	if (i - 301 < sizeof(big) / sizeof(big[0]))
		return big[i - 301];
	return (size_t)(next_rand() % 65600);
}

#define NLENS (301 + 9 + 64)

/*
 * The stitched encryption must make exactly OpenSSL's bytes (ciphertext
 * and MAC) from the same key and confounder, and OpenSSL's decryption must
 * open it.
 */
static void
stitched_against_openssl(void)
{
	static const int32_t et[] = { 17, 18 };
	uint8_t base[32], conf[KC_CONF_LEN], *a, *b, *plain;
	struct kc_key *ks, *ko;
	size_t i, j, len, total, got;
	int same, opens, used;

	if (!kc_stitch(1)) {
		for (i = 0; i < 3 * sizeof(et) / sizeof(et[0]); i++)
			printf("ok %d # SKIP this CPU lacks the AES or SHA "
			       "instructions\n",
			    ++tap_n);
		return;
	}
	a = malloc(65600 + 64);
	b = malloc(65600 + 64);
	plain = malloc(65600);
	for (i = 0; i < sizeof(et) / sizeof(et[0]); i++) {
		fill_rand(base, sizeof(base));
		kc_stitch(1);
		ks = kc_key_new(et[i], base, kc_key_len(et[i]), 24);
		kc_stitch(0);
		ko = kc_key_new(et[i], base, kc_key_len(et[i]), 24);
		used = ks != NULL && ko != NULL && kc_stitched(ks) &&
		    !kc_stitched(ko);
		same = opens = used;
		for (j = 0; used && j < NLENS; j++) {
			len = nth_len(j);
			total = KC_CONF_LEN + len + kc_mac_len(ks);
			fill_rand(conf, sizeof(conf));
			fill_rand(a + KC_CONF_LEN, len);
			memcpy(plain, a + KC_CONF_LEN, len);
			memcpy(b, a, KC_CONF_LEN + len);
			if (kc_encrypt(ks, a, len, conf) != 0 ||
			    kc_encrypt(ko, b, len, conf) != 0 ||
			    memcmp(a, b, total) != 0) {
				if (same)
					printf("# first difference at %zu "
					       "bytes\n",
					    len);
				same = 0;
			}
			/* Each opens the other's, with the plaintext. */
			if (kc_decrypt(ko, a, total, &got) != 0 || got != len ||
			    memcmp(a + KC_CONF_LEN, plain, len) != 0 ||
			    kc_decrypt(ks, b, total, &got) != 0 || got != len ||
			    memcmp(b + KC_CONF_LEN, plain, len) != 0)
				opens = 0;
		}
		TAP_OK(used,
		    "enctype %d: the stitched code is used where "
		    "the CPU has it, and only then",
		    (int)et[i]);
		TAP_OK(same,
		    "enctype %d: stitched encryption gives OpenSSL's bytes "
		    "for %d lengths from 0 to 65600",
		    (int)et[i], NLENS);
		TAP_OK(opens,
		    "enctype %d: each decryption opens the other's tokens",
		    (int)et[i]);
		kc_key_free(ks);
		kc_key_free(ko);
	}
	kc_stitch(1);
	free(a);
	free(b);
	free(plain);
}

/*
 * Confounders after fork: a child must not take the bytes its parent takes
 * next from the pool (kc_random), or both would send the same confounders.
 */
static void
random_after_fork(void)
{
	uint8_t a[KC_CONF_LEN], child[KC_CONF_LEN], parent[KC_CONF_LEN];
	int fds[2], ok, status = 0;
	pid_t pid;

	ok = kc_random(a, sizeof(a)) == 0 && pipe(fds) == 0;
	if (ok && (pid = fork()) == 0) {
		if (kc_random(child, sizeof(child)) != 0 ||
		    write(fds[1], child, sizeof(child)) !=
			(ssize_t)sizeof(child))
			_exit(1);
		_exit(0);
	} else if (ok) {
		ok = pid > 0 && waitpid(pid, &status, 0) == pid &&
		    status == 0 &&
		    read(fds[0], child, sizeof(child)) ==
			(ssize_t)sizeof(child) &&
		    kc_random(parent, sizeof(parent)) == 0;
		close(fds[0]);
		close(fds[1]);
	}
	TAP_OK(ok && memcmp(child, parent, sizeof(child)) != 0 &&
		memcmp(a, parent, sizeof(a)) != 0,
	    "random bytes after fork: the child's differ from the parent's "
	    "next ones");
}

/* How far below a scanner's frame the dead frames of a call it follows lie. */
#define DEAD_STACK 32768

/* Zero the stack below the caller, so that only what follows is found. */
static void __attribute__((noinline)) scrub_stack(void)
{
	volatile uint8_t area[DEAD_STACK];

	explicit_bzero((void *)(uintptr_t)area, sizeof(area));
	__asm__ volatile("" : : "r"(area) : "memory");
}

/*
 * Whether the DEAD_STACK bytes below this function's frame hold n bytes of
 * needle in a row: what the calls made just before left in their frames.
 * Reads memory no object owns, so it is not instrumented.
 */
static int __attribute__((noinline, no_sanitize("address")))
dead_stack_holds(const uint8_t *needle, size_t n)
{
	volatile uint8_t here = 0;
	const volatile uint8_t *low =
	    (const volatile uint8_t *)((uintptr_t)&here - DEAD_STACK);
	size_t i, j;

	for (i = 0; i + n <= DEAD_STACK; i++) {
		for (j = 0; j < n && low[i + j] == needle[j]; j++)
			;
		if (j == n)
			return 1;
	}
	return 0;
}

static void __attribute__((noinline))
make_key(int32_t et, const uint8_t *base, size_t len)
{
	kc_key_free(kc_key_new(et, base, len, 24));
}

/*
 * Key setup leaves no secret in the dead stack: not the base key, not Ke
 * or Ki (whose AES schedule and HMAC blocks the setup works on in stack
 * arrays), for OpenSSL alone and for the one-pass code.
 */
static void
dead_stack(const char *how)
{
	static const uint8_t label_e[5] = { 0, 0, 0, 24, 0xAA };
	static const uint8_t label_i[5] = { 0, 0, 0, 24, 0x55 };
	static const int32_t et[] = { 17, 18 };
	static uint8_t base[32], ke[32], ki[32];
	size_t i, len;

	for (i = 0; i < sizeof(et) / sizeof(et[0]); i++) {
		len = kc_key_len(et[i]);
		memset(base, 0xC3, len);
		base[0] = (uint8_t)i;
		(void)kc_derive(et[i], base, len, label_e, 5, ke, len);
		(void)kc_derive(et[i], base, len, label_i, 5, ki, 12);
		scrub_stack();
		make_key(et[i], base, len);
		TAP_OK(!dead_stack_holds(base, 16) &&
			!dead_stack_holds(ke, 16) && !dead_stack_holds(ki, 12),
		    "%s, enctype %d: no key bytes left in the dead stack after "
		    "key setup",
		    how, (int)et[i]);
	}
}

/* Whether /proc/cpuinfo lists every flag the stitched code needs. */
static int
cpu_has_stitch_flags(void)
{
	static const char *need[] = { " aes", " sha_ni", " sse4_1", " ssse3" };
	char line[4096];
	FILE *f = fopen("/proc/cpuinfo", "r");
	size_t i;
	int ok = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "flags", 5) == 0) {
			ok = 1;
			for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
				ok = ok && (strstr(line, need[i]) != NULL);
			break;
		}
	fclose(f);
	return ok;
}

/*
 * A CPU with the instructions gets the stitched code: its known-answer
 * self-test (kstitch.c) passes, so it is not silently left on OpenSSL.
 */
static void
stitch_self_test(void)
{
	if (!cpu_has_stitch_flags()) {
		printf("ok %d # SKIP this CPU lacks the AES or SHA "
		       "instructions\n",
		    ++tap_n);
		return;
	}
	TAP_OK(kc_stitch(1) == 1,
	    "the CPU has AES-NI and SHA-NI, and the one-pass code passes its "
	    "known-answer self-test");
}

int
main(void)
{
	stitch_self_test();
	nfold_vectors();
	string_to_key_vectors();
	cts_vectors();
	derive_vectors();
	encrypt_vectors();
	stitched_against_openssl();
	random_after_fork();
	kc_stitch(0);
	round_trips("OpenSSL alone");
	dead_stack("OpenSSL alone");
	if (kc_stitch(1)) {
		round_trips("stitched");
		dead_stack("stitched");
	}
	return TAP_DONE();
}
