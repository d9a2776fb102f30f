/*
 * handshake: the unprotected part of a session (docs/PROTOCOL.md §3-§4):
 * preamble exchange, GSS-API context establishment in CONTEXT/ERROR frames,
 * and the verification of the established context (§4.4).
 */
#ifndef GSSWRAP_HANDSHAKE_H
#define GSSWRAP_HANDSHAKE_H

#include <stddef.h>
#include <stdint.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

#include "context.h"
#include "principal.h"

/*
 * handshake_bindings(): the channel bindings of PROTOCOL §4.2 (null
 * addresses, the protocol name as application data), for both sides.
 */
struct gss_channel_bindings_struct *handshake_bindings(void);

/*
 * handshake_initiate(fd, cred, target, target_desc, peer_desc, deadline,
 * delegate, ctx_out): run the initiator side on connected socket fd toward
 * target (described as target_desc; the peer as peer_desc in messages).
 * With delegate, forward the TGT if the KDC marked the service
 * ok-as-delegate. On success *ctx_out is a verified context owned by the
 * caller. Returns 0 or a STATUS_* failure class after logging one line.
 */
int handshake_initiate(int fd, gss_cred_id_t cred, gss_name_t target,
    const char *target_desc, const char *peer_desc, int64_t deadline,
    int delegate, gss_ctx_id_t *ctx_out);

/*
 * handshake_accept(fd, cred, peer_desc, deadline, ctx_out, client_out,
 * service_out, deleg_out): run the acceptor side. On success *ctx_out is a
 * verified context owned by the caller, *client_out the client principal
 * and *service_out the acceptor principal used, whole and parsed (the
 * caller clears both with principal_clear); when deleg_out is not NULL and
 * the client delegated, the delegated credential (owned by the caller;
 * else it stays untouched). Without deleg_out delegated credentials are
 * discarded. When establishment succeeds but verification (§4.4) fails,
 * the failure is logged, *ctx_out and the principals are still set (so
 * the caller can send ABORT before deleting it) and STATUS_AUTH is
 * returned; when the principals cannot be read whole, likewise but with
 * the principals untouched. On other failures *ctx_out and the principals
 * are untouched. On any failure why (why_cap bytes) says in a few words
 * what kind it was, for the session line: "not a gsswrap peer", "closed
 * before the handshake", "handshake timeout", "Kerberos: MESSAGE", ...
 * Returns 0 or a STATUS_* class after logging one line.
 */
int handshake_accept(int fd, gss_cred_id_t cred, const char *peer_desc,
    int64_t deadline, gss_ctx_id_t *ctx_out, struct principal *client_out,
    struct principal *service_out, gss_cred_id_t *deleg_out, char *why,
    size_t why_cap);

/*
 * handshake_refuse(fd, code, peer_desc, deadline): an acceptor that cannot
 * take part (e.g. no usable keytab) sends its preamble and an ERROR frame
 * with code (FRAME_ERR_*), so the client reports a server-side failure
 * rather than a dropped connection. Best effort; nothing is logged.
 */
void
handshake_refuse(int fd, uint8_t code, const char *peer_desc, int64_t deadline);

#endif
