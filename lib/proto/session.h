/*
 * session: the protected opening of a session (docs/PROTOCOL.md §6) and
 * the handling of a received ABORT (§7.4), shared by both programs.
 */
#ifndef GSSWRAP_SESSION_H
#define GSSWRAP_SESSION_H

#include <stddef.h>
#include <stdint.h>

struct record;

/*
 * session_hello_initiator(r, flags, deadline): send our HELLO with flags
 * (FRAME_HELLO_*), then wait for the acceptor's HELLO (continue) or ABORT
 * (its reason is logged). Returns 0 or a STATUS_* class (logged).
 */
int session_hello_initiator(struct record *r, uint32_t flags, int64_t deadline);

/*
 * session_hello_acceptor(r, deadline, peer_flags_out): the client is
 * authorized: send our HELLO and wait for the client's, whose flags are
 * stored. Returns 0 or a STATUS_* class (logged).
 */
int session_hello_acceptor(struct record *r, int64_t deadline,
    uint32_t *peer_flags_out);

/*
 * session_abort_received(r, payload, len): log a received ABORT and return
 * the STATUS_* class its code maps to.
 */
int session_abort_received(const struct record *r, const uint8_t *payload,
    size_t len);

#endif
