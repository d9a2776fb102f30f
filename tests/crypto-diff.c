/*
 * crypto-diff: the native record protection (lib/protect/protect.c, cfx.c,
 * kcrypto.c) against MIT's gss_wrap/gss_unwrap on real context pairs of
 * the realm that kdc-test/realm started (its environment: KRB5_CONFIG,
 * KRB5CCNAME of alice, KRB5_KTNAME of host/localhost).
 *
 * For contexts with and without an acceptor subkey (with and without
 * mutual authentication), with the native side as initiator and as
 * acceptor: native wrap -> MIT gss_unwrap and MIT gss_wrap -> native
 * unwrap for sizes 0, 1, 15, 16, 17, 4095, 65536 and random ones; each
 * native token is compared with the one MIT makes from a twin of the same
 * context (same length, same header); a flipped bit is refused by both;
 * gaps, replays and reordering are refused by the native side. Then
 * variants of MIT's tokens (gss_wrap, and gss_wrap_iov without a trailer,
 * whose RRC is 16 plus the MAC length: 28, 32 or 40), each given to MIT and
 * to the native side in the same state, who must agree: rotated by a
 * random RRC, a flag bit flipped, filler, EC, RRC or length changed; and
 * each side's own tokens reflected back to it, refused by both.
 *
 * Prints "ok DESCRIPTION" or "not ok DESCRIPTION" lines, for
 * tests/integration/30-native.sh; exits 1 when any failed.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

#include "fuzzkrb.h"
#include "handshake.h"
#include "protect.h"

static int failed;

static void __attribute__((format(printf, 2, 3)))
report(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s ", cond ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		failed++;
}

/*
 * A native protect over a copy of *ctx; *ctx is replaced by its MIT twin
 * (the same keys and sequence numbers), via export and import.
 */
static struct protect *
split(gss_ctx_id_t *ctx)
{
	gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
	gss_ctx_id_t copy = GSS_C_NO_CONTEXT;
	OM_uint32 maj, min;

	maj = gss_export_sec_context(&min, ctx, &tok);
	if (maj != GSS_S_COMPLETE)
		fuzzkrb_die("export", maj, min);
	if ((maj = gss_import_sec_context(&min, &tok, ctx)) != GSS_S_COMPLETE ||
	    (maj = gss_import_sec_context(&min, &tok, &copy)) != GSS_S_COMPLETE)
		fuzzkrb_die("import", maj, min);
	gss_release_buffer(&min, &tok);
	return protect_new(&copy, PROTECT_NATIVE, "peer");
}

struct side {
	struct protect *nat; /* the native side */
	gss_ctx_id_t twin;   /* MIT with the native side's state */
	gss_ctx_id_t peer;   /* MIT at the other end */
	uint8_t *buf;
	size_t cap;
};

/* Native seal of len bytes of fill; returns the token length, 0 on error. */
static size_t
native_seal(struct side *s, size_t len, int fill)
{
	size_t hdr, pad, trl;

	if (protect_lengths(s->nat, len, &hdr, &pad, &trl) == -1 ||
	    hdr + len + pad + trl > s->cap)
		return 0;
	memset(s->buf + hdr, fill, len);
	if (protect_seal(s->nat, s->buf, hdr, len, pad, trl) == -1)
		return 0;
	return hdr + len + pad + trl;
}

static int
all_bytes(const uint8_t *p, size_t len, int fill)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (uint8_t)fill)
			return 0;
	return 1;
}

static OM_uint32
mit_unwrap(gss_ctx_id_t ctx, const uint8_t *tok, size_t len, gss_buffer_t out,
    int *conf)
{
	gss_buffer_desc in;
	OM_uint32 min;

	in.value = (void *)tok;
	in.length = len;
	*conf = 0;
	return gss_unwrap(&min, ctx, &in, out, conf, NULL);
}

static OM_uint32
mit_wrap(gss_ctx_id_t ctx, size_t len, int fill, gss_buffer_t out)
{
	gss_buffer_desc in;
	OM_uint32 maj, min;
	int conf = 0;

	in.length = len;
	in.value = malloc(len + 1);
	memset(in.value, fill, len);
	maj = gss_wrap(&min, ctx, 1, GSS_C_QOP_DEFAULT, &in, &conf, out);
	free(in.value);
	return conf == 1 ? maj : GSS_S_FAILURE;
}

/* One size, native -> MIT. Returns non-zero when all held. */
static int
outbound(struct side *s, size_t len, int fill, int tamper, int *same_out)
{
	gss_buffer_desc out = GSS_C_EMPTY_BUFFER, mit = GSS_C_EMPTY_BUFFER;
	size_t n = native_seal(s, len, fill);
	OM_uint32 maj, min;
	uint8_t *bad;
	size_t pos;
	int conf, ok;

	if (n == 0)
		return 0;
	/* The twin makes MIT's token for the same sequence number. */
	if (mit_wrap(s->twin, len, fill, &mit) != GSS_S_COMPLETE)
		return 0;
	*same_out = mit.length == n && memcmp(mit.value, s->buf, 16) == 0;
	gss_release_buffer(&min, &mit);
	ok = 1;
	if (tamper) {
		bad = malloc(n);
		memcpy(bad, s->buf, n);
		/*
		 * Not in RRC (bytes 6-7): it is outside the integrity check and
		 * MIT rotates by it modulo the body length, so a flip to a
		 * multiple of that length gives the same token, rightly
		 * accepted (cfx.c refuses such an RRC; inbound() flips it).
		 */
		do
			pos = (size_t)rand() % n;
		while (pos == 6 || pos == 7);
		bad[pos] ^= (uint8_t)(1u << (rand() % 8));
		maj = mit_unwrap(s->peer, bad, n, &out, &conf);
		ok = GSS_ERROR(maj) != 0;
		gss_release_buffer(&min, &out);
		free(bad);
	}
	maj = mit_unwrap(s->peer, s->buf, n, &out, &conf);
	ok = ok && maj == GSS_S_COMPLETE && conf == 1 && out.length == len &&
	    all_bytes(out.value, len, fill);
	gss_release_buffer(&min, &out);
	return ok;
}

/* Native open of a copy of tok; 0 on success (data checked), else -1. */
static int
native_open(struct side *s, const void *tok, size_t n, size_t len, int fill)
{
	char why[512];
	uint8_t *data;
	size_t dlen;

	if (n > s->cap)
		return -1;
	memcpy(s->buf, tok, n);
	if (protect_open(s->nat, s->buf, n, &data, &dlen, why, sizeof(why)) ==
	    -1)
		return -1;
	return dlen == len && all_bytes(data, len, fill) ? 0 : -1;
}

/* One size, MIT -> native. */
static int
inbound(struct side *s, size_t len, int fill, int tamper)
{
	gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
	OM_uint32 min;
	uint8_t *bad;
	int ok = 1;

	if (mit_wrap(s->peer, len, fill, &tok) != GSS_S_COMPLETE)
		return 0;
	if (tamper) {
		bad = malloc(tok.length);
		memcpy(bad, tok.value, tok.length);
		bad[(size_t)rand() % tok.length] ^=
		    (uint8_t)(1u << (rand() % 8));
		ok = native_open(s, bad, tok.length, len, fill) == -1;
		free(bad);
	}
	ok = ok && native_open(s, tok.value, tok.length, len, fill) == 0;
	gss_release_buffer(&min, &tok);
	return ok;
}

/*
 * MIT's token of len bytes of fill from gss_wrap_iov with no trailer
 * buffer: the trailer travels rotated into the header (RFC 4121 §4.2.5).
 */
static OM_uint32
mit_wrap_no_trailer(gss_ctx_id_t ctx, size_t len, int fill, gss_buffer_t out)
{
	gss_iov_buffer_desc iov[3];
	OM_uint32 maj, min;
	uint8_t *data = malloc(len + 1);
	int conf = 0;

	memset(data, fill, len);
	memset(iov, 0, sizeof(iov));
	iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATE;
	iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
	iov[1].buffer.value = data;
	iov[1].buffer.length = len;
	iov[2].type =
	    GSS_IOV_BUFFER_TYPE_PADDING | GSS_IOV_BUFFER_FLAG_ALLOCATE;
	maj = gss_wrap_iov(&min, ctx, 1, GSS_C_QOP_DEFAULT, &conf, iov, 3);
	if (maj == GSS_S_COMPLETE && conf == 1) {
		out->length = iov[0].buffer.length + len + iov[2].buffer.length;
		out->value = malloc(out->length);
		memcpy(out->value, iov[0].buffer.value, iov[0].buffer.length);
		memcpy((uint8_t *)out->value + iov[0].buffer.length, data, len);
		if (iov[2].buffer.length > 0) /* (no padding: NULL) */
			memcpy((uint8_t *)out->value + iov[0].buffer.length +
				len,
			    iov[2].buffer.value, iov[2].buffer.length);
	} else if (maj == GSS_S_COMPLETE)
		maj = GSS_S_FAILURE;
	(void)gss_release_iov_buffer(&min, iov, 3);
	free(data);
	return maj;
}

/* Rotate the body of token t (n bytes) right by r more, RRC updated. */
static void
rotate(uint8_t *t, size_t n, size_t r)
{
	size_t body = n - 16, rrc = ((size_t)t[6] << 8 | t[7]) + r;
	uint8_t *tmp = malloc(body);

	memcpy(tmp, t + 16 + body - r, r);
	memcpy(tmp + r, t + 16, body - r);
	memcpy(t + 16, tmp, body);
	free(tmp);
	t[6] = (uint8_t)(rrc >> 8);
	t[7] = (uint8_t)rrc;
}

enum { V_SAME, V_ROTATE, V_FLAG, V_FILLER, V_EC, V_RRC, V_SHORT, V_N };
static const char *const vname[V_N] = { "unchanged", "rotated", "flag bit",
	"filler", "EC", "RRC only", "one byte short" };

/*
 * A byte to flip in the low byte of RRC that makes it a different rotation
 * for MIT, which takes RRC modulo the body length: a flip to RRC + k * body
 * would be the same token to MIT, which cfx.c refuses as over the body (one
 * accepted form per token), so the two would differ by design, not by a
 * bug (a 71-byte token, RRC 0 flipped to 55, made a CI run fail).
 */
static uint8_t
rrc_flip(size_t rrc, size_t body)
{
	uint8_t x;

	do
		x = (uint8_t)(1 + rand() % 255);
	while (body > 0 && (rrc ^ x) % body == rrc % body);
	return x;
}

/*
 * A variant of tok into *v (its length in *vn). Rotations stay under the
 * body length: RRC is outside the integrity check, and MIT takes it modulo
 * the body length where cfx.c refuses it (one accepted form per token).
 */
static void
variant(int kind, const gss_buffer_t tok, uint8_t **v, size_t *vn)
{
	uint8_t *t = malloc(tok->length);
	size_t n = tok->length, body = n - 16;
	size_t rrc = (size_t)((uint8_t *)tok->value)[6] << 8 |
	    ((uint8_t *)tok->value)[7];

	memcpy(t, tok->value, n);
	switch (kind) {
	case V_ROTATE:
		if (body - rrc > 1)
			rotate(t, n, 1 + (size_t)rand() % (body - rrc - 1));
		break;
	case V_FLAG:
		t[2] ^= (uint8_t)(1u << (rand() % 8));
		break;
	case V_FILLER:
		t[3] ^= (uint8_t)(1 + rand() % 255);
		break;
	case V_EC:
		t[5] ^= (uint8_t)(1 + rand() % 255);
		break;
	case V_RRC:
		t[7] ^= rrc_flip(rrc, body);
		break;
	case V_SHORT:
		n--;
		break;
	default:
		break;
	}
	*v = t;
	*vn = n;
}

/*
 * Whether MIT (ctx) accepts v as a whole, sealed, in-order token. On a
 * copy: gss_unwrap rotates a token with an RRC in place.
 */
static int
mit_accepts(gss_ctx_id_t ctx, const uint8_t *v, size_t n, size_t len, int fill)
{
	gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
	OM_uint32 maj, min;
	uint8_t *copy = malloc(n + 1);
	int conf, ok;

	memcpy(copy, v, n);
	maj = mit_unwrap(ctx, copy, n, &out, &conf);
	free(copy);
	ok = maj == GSS_S_COMPLETE && conf == 1 && out.length == len &&
	    all_bytes(out.value, len, fill);
	gss_release_buffer(&min, &out);
	return ok;
}

/*
 * Variants of MIT's tokens, given to MIT (the twin) and to the native side
 * in the same state: both accept or both refuse. After a refusal the
 * token itself keeps them in step. *rrc_out: the RRC gss_wrap_iov used.
 */
static int
variants(struct side *s, int rounds, int *rrc_out, int *kinds_out)
{
	gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
	OM_uint32 maj, min;
	uint8_t *v;
	size_t vn, len;
	int i, kind, m, nat, ok = 1, fill;

	*kinds_out = 0;
	for (i = 0; i < rounds && ok; i++) {
		len = (size_t)rand() % 4097;
		fill = 'A' + i % 26;
		maj = i % 2 ? mit_wrap_no_trailer(s->peer, len, fill, &tok) :
			      mit_wrap(s->peer, len, fill, &tok);
		if (maj != GSS_S_COMPLETE)
			return 0;
		if (i % 2)
			*rrc_out = ((uint8_t *)tok.value)[6] << 8 |
			    ((uint8_t *)tok.value)[7];
		kind = (i / 2) % V_N; /* each kind on both kinds of token */
		variant(kind, &tok, &v, &vn);
		m = mit_accepts(s->twin, v, vn, len, fill);
		nat = native_open(s, v, vn, len, fill) == 0;
		if (m != nat) {
			printf("# %s variant, %s token of %zu bytes: MIT %s, "
			       "native %s\n",
			    vname[kind], i % 2 ? "wrap_iov" : "wrap", len,
			    m ? "accepts" : "refuses",
			    nat ? "accepts" : "refuses");
			ok = 0;
		}
		if (m && nat)
			*kinds_out |= 1 << kind;
		if (!m && !nat)
			ok = mit_accepts(s->twin, tok.value, tok.length, len,
				 fill) &&
			    native_open(s, tok.value, tok.length, len, fill) ==
				0;
		free(v);
		gss_release_buffer(&min, &tok);
	}
	return ok;
}

/* Each side's own token, reflected back to it: both refuse. */
static int
reflected(struct side *s)
{
	gss_buffer_desc own = GSS_C_EMPTY_BUFFER;
	OM_uint32 min;
	size_t n;
	int mit, nat;

	if ((n = native_seal(s, 100, 'r')) == 0 ||
	    mit_wrap(s->twin, 100, 'r', &own) != GSS_S_COMPLETE)
		return 0;
	nat = native_open(s, s->buf, n, 100, 'r') == 0;
	mit = mit_accepts(s->twin, own.value, own.length, 100, 'r');
	gss_release_buffer(&min, &own);
	return !nat && !mit;
}

/* Native tokens rotated by a random RRC: MIT accepts each. */
static int
native_rotated(struct side *s, int rounds)
{
	gss_buffer_desc twin = GSS_C_EMPTY_BUFFER;
	OM_uint32 min;
	size_t n, len;
	int i, ok = 1;

	for (i = 0; i < rounds && ok; i++) {
		len = (size_t)rand() % 4097;
		if ((n = native_seal(s, len, 'n')) == 0 ||
		    mit_wrap(s->twin, len, 'n', &twin) != GSS_S_COMPLETE)
			return 0;
		/* (the twin's token only keeps its sequence in step) */
		gss_release_buffer(&min, &twin);
		rotate(s->buf, n, 1 + (size_t)rand() % (n - 17));
		ok = mit_accepts(s->peer, s->buf, n, len, 'n');
	}
	return ok;
}

/* Gaps, replays and reordering of MIT's tokens, refused natively. */
static int
ordering(struct side *s)
{
	gss_buffer_desc a = GSS_C_EMPTY_BUFFER, b = GSS_C_EMPTY_BUFFER;
	OM_uint32 min;
	int ok;

	if (mit_wrap(s->peer, 10, 'a', &a) != GSS_S_COMPLETE ||
	    mit_wrap(s->peer, 10, 'b', &b) != GSS_S_COMPLETE)
		return 0;
	ok = native_open(s, b.value, b.length, 10, 'b') == -1 && /* gap */
	    native_open(s, a.value, a.length, 10, 'a') == 0 &&
	    native_open(s, a.value, a.length, 10, 'a') == -1 && /* replay */
	    native_open(s, b.value, b.length, 10, 'b') == 0 &&
	    native_open(s, b.value, b.length, 10, 'b') == -1;
	gss_release_buffer(&min, &a);
	gss_release_buffer(&min, &b);
	return ok;
}

/*
 * A fresh context pair, mutual (an acceptor subkey) or not, with the
 * native side at the initiator or the acceptor; name says which.
 */
static void
side_new(int mutual, int native_initiator, struct side *s, char *name,
    size_t cap)
{
	OM_uint32 flags = CONTEXT_FLAGS;
	gss_ctx_id_t ictx, actx;

	if (!mutual)
		flags &= ~(OM_uint32)GSS_C_MUTUAL_FLAG;
	fuzzkrb_pair_flags(flags, &ictx, &actx);
	memset(s, 0, sizeof(*s));
	s->twin = native_initiator ? ictx : actx;
	s->peer = native_initiator ? actx : ictx;
	s->nat = split(&s->twin);
	snprintf(name, cap, "%s, native %s",
	    mutual ? "acceptor subkey" : "no acceptor subkey",
	    native_initiator ? "initiator" : "acceptor");
}

static void
one_case(int mutual, int native_initiator, const size_t *sizes, size_t nsizes)
{
	OM_uint32 min;
	struct side s;
	char name[160];
	size_t i;
	int out_ok = 1, in_ok = 1, same = 1, same1, subkey_ok = 0;

	side_new(mutual, native_initiator, &s, name, sizeof(name));
	report(s.nat != NULL && protect_is_native(s.nat),
	    "%s: native protection (%s)", name,
	    s.nat ? protect_describe(s.nat) : "none");
	if (s.nat == NULL || !protect_is_native(s.nat))
		goto done;
	s.cap = 65536 + 256;
	if ((s.buf = calloc(1, s.cap)) == NULL)
		abort();
	for (i = 0; i < nsizes; i++) {
		same1 = 0;
		if (!outbound(&s, sizes[i], 'A' + (int)(i % 26), 1, &same1))
			out_ok = 0;
		same = same && same1;
		/* RFC 4121 §4.2.2: flag 0x04 says which key tokens use. */
		if (i == 0)
			subkey_ok = ((s.buf[2] & 0x04) != 0) == mutual;
		if (!inbound(&s, sizes[i], 'a' + (int)(i % 26), 1))
			in_ok = 0;
	}
	report(subkey_ok, "%s: tokens %s the AcceptorSubkey flag", name,
	    mutual ? "carry" : "do not carry");
	report(out_ok,
	    "%s: native wrap -> MIT gss_unwrap, %zu sizes, "
	    "tampered tokens refused by MIT",
	    name, nsizes);
	report(in_ok,
	    "%s: MIT gss_wrap -> native unwrap, %zu sizes, "
	    "tampered tokens refused natively",
	    name, nsizes);
	report(same, "%s: native tokens have the length and header of MIT's",
	    name);
	report(ordering(&s), "%s: gap, replay and reordering refused natively",
	    name);
	free(s.buf);
done:
	protect_free(s.nat);
	/* split() consumed one of ictx and actx; the twin replaced it. */
	gss_delete_sec_context(&min, &s.twin, GSS_C_NO_BUFFER);
	gss_delete_sec_context(&min, &s.peer, GSS_C_NO_BUFFER);
}

/*
 * On a fresh pair, so that MIT's twin and the native side start in the
 * same state: token variants, native tokens rotated, then reflection
 * (which spends a sequence number of each side's own).
 */
static void
variant_case(int mutual, int native_initiator)
{
	OM_uint32 min;
	struct side s;
	char name[160];
	int rrc = -1, kinds = 0, agree;

	side_new(mutual, native_initiator, &s, name, sizeof(name));
	s.cap = 65536 + 256;
	if (s.nat == NULL || (s.buf = calloc(1, s.cap)) == NULL)
		abort();
	agree = variants(&s, 4 * V_N, &rrc, &kinds);
	report(agree && kinds == ((1 << V_SAME) | (1 << V_ROTATE)),
	    "%s: MIT and native agree on %d variants of MIT's tokens "
	    "(gss_wrap, and gss_wrap_iov without a trailer: RRC %d; rotated, "
	    "flag, filler, EC, RRC, length); only unchanged and rotated "
	    "ones are accepted",
	    name, 4 * V_N, rrc);
	report(native_rotated(&s, 16),
	    "%s: native tokens rotated by a random RRC: MIT accepts them",
	    name);
	report(reflected(&s),
	    "%s: a token reflected to its sender is refused by MIT and "
	    "natively",
	    name);
	free(s.buf);
	protect_free(s.nat);
	gss_delete_sec_context(&min, &s.twin, GSS_C_NO_BUFFER);
	gss_delete_sec_context(&min, &s.peer, GSS_C_NO_BUFFER);
}

int
main(void)
{
	size_t sizes[16] = { 0, 1, 15, 16, 17, 4095, 65536 };
	size_t n = 7;
	const char *fixed = getenv("CRYPTO_DIFF_SEED");
	unsigned int seed = (unsigned int)time(NULL) ^ (unsigned int)getpid();

	/* CRYPTO_DIFF_SEED: replay the sizes and flips of a failed run. */
	if (fixed != NULL)
		seed = (unsigned int)strtoul(fixed, NULL, 10);
	fuzzkrb_init("crypto-diff");
	srand(seed);
	printf("# random seed %u\n", seed);
	while (n < sizeof(sizes) / sizeof(sizes[0]))
		sizes[n++] = (size_t)rand() % 65537;
	one_case(1, 1, sizes, n);
	one_case(1, 0, sizes, n);
	one_case(0, 1, sizes, n);
	one_case(0, 0, sizes, n);
	variant_case(1, 1);
	variant_case(1, 0);
	variant_case(0, 1);
	variant_case(0, 0);
	return failed ? 1 : 0;
}
