/* PROXY protocol v2 headers with gsswrap's principal TLVs. */
#include "config.h"

#include <string.h>
#include <netinet/in.h>

#include "proxyv2.h"

static const uint8_t sig[PROXYV2_SIG_LEN] = { 0x0d, 0x0a, 0x0d, 0x0a, 0x00,
	0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a };

#define CMD_PROXY 0x21 /* version 2, PROXY */
#define CMD_LOCAL 0x20 /* version 2, LOCAL */
#define FAM_UNSPEC 0x00
#define FAM_TCP4 0x11
#define FAM_TCP6 0x21
#define HDR_LEN 16

static void
put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static size_t
get16(const uint8_t *p)
{
	return ((size_t)p[0] << 8) | p[1];
}

/* Append one TLV; returns the new offset or 0 when it does not fit. */
static size_t
tlv(uint8_t *buf, size_t cap, size_t off, uint8_t type, const char *value)
{
	size_t n = strlen(value);

	if (off == 0 || n > 0xffff || off + 3 + n > cap)
		return 0;
	buf[off] = type;
	put16(buf + off + 1, n);
	memcpy(buf + off + 3, value, n);
	return off + 3 + n;
}

/* Address block for src -> dst; returns its length and the family byte. */
static size_t
addresses(uint8_t *p, const struct sockaddr *src, const struct sockaddr *dst,
    uint8_t *fam)
{
	if (src->sa_family == AF_INET && dst->sa_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)src;
		const struct sockaddr_in *d = (const struct sockaddr_in *)dst;

		memcpy(p, &s->sin_addr, 4);
		memcpy(p + 4, &d->sin_addr, 4);
		memcpy(p + 8, &s->sin_port, 2);
		memcpy(p + 10, &d->sin_port, 2);
		*fam = FAM_TCP4;
		return 12;
	}
	if (src->sa_family == AF_INET6 && dst->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)src;
		const struct sockaddr_in6 *d = (const struct sockaddr_in6 *)dst;

		memcpy(p, &s->sin6_addr, 16);
		memcpy(p + 16, &d->sin6_addr, 16);
		memcpy(p + 32, &s->sin6_port, 2);
		memcpy(p + 34, &d->sin6_port, 2);
		*fam = FAM_TCP6;
		return 36;
	}
	*fam = FAM_UNSPEC;
	return 0;
}

size_t
proxyv2_encode(uint8_t *buf, size_t cap, const struct sockaddr *src,
    const struct sockaddr *dst, const char *peer, const char *service,
    const char *mech)
{
	uint8_t fam;
	size_t off;

	if (cap < HDR_LEN + 36)
		return 0;
	memcpy(buf, sig, sizeof(sig));
	buf[12] = CMD_PROXY;
	off = HDR_LEN + addresses(buf + HDR_LEN, src, dst, &fam);
	buf[13] = fam;
	off = tlv(buf, cap, off, PROXYV2_TLV_PEER, peer);
	off = tlv(buf, cap, off, PROXYV2_TLV_SERVICE, service);
	off = tlv(buf, cap, off, PROXYV2_TLV_MECH, mech);
	if (off == 0 || off - HDR_LEN > 0xffff)
		return 0;
	put16(buf + 14, off - HDR_LEN);
	return off;
}

static void
get_addresses(const uint8_t *p, uint8_t fam, struct proxyv2_info *info)
{
	if (fam == FAM_TCP4) {
		struct sockaddr_in *s = (struct sockaddr_in *)&info->src;
		struct sockaddr_in *d = (struct sockaddr_in *)&info->dst;

		s->sin_family = d->sin_family = AF_INET;
		memcpy(&s->sin_addr, p, 4);
		memcpy(&d->sin_addr, p + 4, 4);
		memcpy(&s->sin_port, p + 8, 2);
		memcpy(&d->sin_port, p + 10, 2);
		info->family = AF_INET;
	} else if (fam == FAM_TCP6) {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&info->src;
		struct sockaddr_in6 *d = (struct sockaddr_in6 *)&info->dst;

		s->sin6_family = d->sin6_family = AF_INET6;
		memcpy(&s->sin6_addr, p, 16);
		memcpy(&d->sin6_addr, p + 16, 16);
		memcpy(&s->sin6_port, p + 32, 2);
		memcpy(&d->sin6_port, p + 34, 2);
		info->family = AF_INET6;
	}
}

/* Copy a TLV value as a string when it fits (and has no NUL). */
static int
tlv_string(char *dst, size_t cap, const uint8_t *v, size_t n)
{
	if (n >= cap || memchr(v, 0, n) != NULL)
		return -1;
	memcpy(dst, v, n);
	dst[n] = '\0';
	return 0;
}

static int
get_tlvs(const uint8_t *p, size_t n, struct proxyv2_info *info)
{
	size_t off = 0, vlen;

	while (off < n) {
		if (n - off < 3 || (vlen = get16(p + off + 1)) > n - off - 3)
			return -1;
		switch (p[off]) {
		case PROXYV2_TLV_PEER:
			if (tlv_string(info->peer, sizeof(info->peer),
				p + off + 3, vlen) == -1)
				return -1;
			break;
		case PROXYV2_TLV_SERVICE:
			if (tlv_string(info->service, sizeof(info->service),
				p + off + 3, vlen) == -1)
				return -1;
			break;
		case PROXYV2_TLV_MECH:
			if (tlv_string(info->mech, sizeof(info->mech),
				p + off + 3, vlen) == -1)
				return -1;
			break;
		default:
			break; /* others are not ours: skipped */
		}
		off += 3 + vlen;
	}
	return 0;
}

int
proxyv2_decode(const uint8_t *buf, size_t len, struct proxyv2_info *info_out,
    size_t *used_out)
{
	struct proxyv2_info info;
	size_t body, alen;
	uint8_t fam;

	if (len < HDR_LEN)
		return memcmp(buf, sig,
			   len < sizeof(sig) ? len : sizeof(sig)) == 0 ?
		    0 :
		    -1;
	if (memcmp(buf, sig, sizeof(sig)) != 0 ||
	    (buf[12] != CMD_PROXY && buf[12] != CMD_LOCAL))
		return -1;
	body = get16(buf + 14);
	if (HDR_LEN + body > PROXYV2_MAX)
		return -1;
	if (len < HDR_LEN + body)
		return 0;
	fam = buf[13];
	alen = fam == FAM_TCP4 ? 12 : fam == FAM_TCP6 ? 36 : 0;
	if ((fam != FAM_TCP4 && fam != FAM_TCP6 && fam != FAM_UNSPEC) ||
	    alen > body)
		return -1;
	memset(&info, 0, sizeof(info));
	info.family = AF_UNSPEC;
	get_addresses(buf + HDR_LEN, fam, &info);
	if (get_tlvs(buf + HDR_LEN + alen, body - alen, &info) == -1)
		return -1;
	*info_out = info;
	*used_out = HDR_LEN + body;
	return 1;
}
