/*
 * session: the protected opening of a session (docs/PROTOCOL.md §6) and
 * the handling of a received ABORT (§7.4), shared by both programs.
 */
#ifndef GSSWRAP_SESSION_H
#define GSSWRAP_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct record;

/*
 * The functions below log nothing: on failure why (cap bytes) is the line
 * for the log, naming the peer, and the session's owner logs it.
 */

/*
 * session_hello_initiator(r, flags, deadline, why, cap): send our HELLO
 * with flags (FRAME_HELLO_*), then wait for the acceptor's HELLO (go on)
 * or ABORT. ERR_OK, or what failed: ERR_CLOSED, ERR_TIMEOUT, ERR_SYSTEM,
 * ERR_PROTOCOL, ERR_INTEGRITY, or the error an ABORT's code stands for.
 */
enum err session_hello_initiator(struct record *r, uint32_t flags,
    int64_t deadline, char *why, size_t cap);

/*
 * session_hello_acceptor(r, deadline, peer_flags_out, why, cap): the
 * client is authorized: send our HELLO and wait for the client's, whose
 * flags are stored. ERR_OK or what failed, as above.
 */
enum err session_hello_acceptor(struct record *r, int64_t deadline,
    uint32_t *peer_flags_out, char *why, size_t cap);

/*
 * session_abort_received(r, payload, len, why, cap): a received ABORT:
 * why says who ended the session and why; returns the error its code
 * stands for (ERR_AUTH, ERR_PROTOCOL, else ERR_SYSTEM), ERR_PROTOCOL when
 * it is malformed.
 */
enum err session_abort_received(const struct record *r, const uint8_t *payload,
    size_t len, char *why, size_t cap);

#endif
