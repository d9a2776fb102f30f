/*
 * proxyv2: the PROXY protocol version 2 header (HAProxy's specification)
 * that gsswrapd can send ahead of a forwarded connection, so the backend
 * learns the client address and the authenticated principal. Pure code.
 *
 * gsswrap's TLVs, in the range the specification leaves to applications:
 *   0xE0 PROXYV2_TLV_PEER     client principal (UTF-8, no NUL)
 *   0xE1 PROXYV2_TLV_SERVICE  acceptor principal the client authenticated to
 *   0xE2 PROXYV2_TLV_MECH     mechanism name ("krb5")
 */
#ifndef GSSWRAPD_PROXYV2_H
#define GSSWRAPD_PROXYV2_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define PROXYV2_SIG_LEN 12
#define PROXYV2_MAX 1024 /* largest header we build or accept */
#define PROXYV2_TLV_PEER 0xE0
#define PROXYV2_TLV_SERVICE 0xE1
#define PROXYV2_TLV_MECH 0xE2

/* What a header says; strings are NUL-terminated, "" when absent. */
struct proxyv2_info {
	int family; /* AF_INET, AF_INET6, or AF_UNSPEC (LOCAL) */
	struct sockaddr_storage src, dst;
	char peer[512];
	char service[512];
	char mech[32];
};

/*
 * proxyv2_encode(buf, cap, src, dst, peer, service, mech): write a PROXY
 * command header for the TCP connection src -> dst (both AF_INET or both
 * AF_INET6; otherwise the addresses are sent as UNSPEC) with the three
 * gsswrap TLVs. Returns the header length, or 0 when it does not fit cap.
 */
size_t proxyv2_encode(uint8_t *buf, size_t cap, const struct sockaddr *src,
    const struct sockaddr *dst, const char *peer, const char *service,
    const char *mech);

/*
 * proxyv2_decode(buf, len, info_out, used_out): parse a header at buf.
 * Returns 1 with *used_out bytes consumed, 0 when more bytes are needed,
 * -1 when buf does not hold a valid version 2 header.
 */
int proxyv2_decode(const uint8_t *buf, size_t len,
    struct proxyv2_info *info_out, size_t *used_out);

#endif
