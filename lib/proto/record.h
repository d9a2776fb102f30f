/*
 * record: the protected record layer (docs/PROTOCOL.md §5-§7) over one
 * connected socket. Each connection has one outgoing and one incoming
 * buffer, allocated once; records are wrapped and unwrapped in place
 * (protect.h: gss_wrap_iov/gss_unwrap_iov, or natively), so nothing is
 * allocated per record.
 *
 * Outgoing: the caller gets a payload area inside the output buffer
 * (record_out_space), fills it, and seals it (record_out_seal); the sealed
 * frame is then written with record_out_flush. Incoming: record_in_fill
 * reads what the socket has, record_in_next unwraps one complete frame.
 */
#ifndef GSSWRAP_RECORD_H
#define GSSWRAP_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <gssapi/gssapi.h>

#include "err.h"
#include "protect.h"

/* Largest record plaintext we accept (announced in our HELLO). */
#define RECORD_DEFAULT_MAX (64u * 1024u)

struct record;

/*
 * record_new(fd, ctx, peer_desc, mode): a record layer on socket fd (made
 * non-blocking) for the established context *ctx, which it takes in all
 * cases (*ctx becomes GSS_C_NO_CONTEXT), protected as mode asks
 * (protect.h). peer_desc names the peer in messages. Returns NULL after
 * logging.
 */
struct record *record_new(int fd, gss_ctx_id_t *ctx, const char *peer_desc,
    enum protect_mode mode);

/* record_free(r): wipe buffers, delete the context. NULL is a no-op. */
void record_free(struct record *r);

/*
 * record_set_peer_max(r, max_record): the peer's HELLO limit; sizes
 * our outgoing records within it and gss_wrap_size_limit. 0 or -1.
 */
int record_set_peer_max(struct record *r, uint32_t max_record);

/* record_own_max(r): the max_record we announce. */
uint32_t record_own_max(const struct record *r);

/*
 * record_out_space(r, cap_out): the payload area of the next outgoing
 * record and its capacity. Only valid while record_out_pending(r) is 0.
 */
uint8_t *record_out_space(struct record *r, size_t *cap_out);

/*
 * record_out_seal(r, type, len): wrap the record of type whose len payload
 * bytes are in the payload area. Returns 0, or -1 (logged).
 */
int record_out_seal(struct record *r, uint8_t type, size_t len);

/*
 * record_out_put(r, type, payload, len): copy payload into the payload area
 * and seal it. Returns 0, or -1 (logged).
 */
int
record_out_put(struct record *r, uint8_t type, const void *payload, size_t len);

/* record_out_pending(r): non-zero while a sealed frame is not yet written. */
int record_out_pending(const struct record *r);

/*
 * The functions below that return an enum err log nothing: on failure
 * record_why(r) says what happened, as a line for the log that names the
 * peer, and the caller (the session's owner) logs it once, or not at all
 * when something else explains the failure better (an ABORT the peer sent
 * first).
 */

/*
 * record_out_flush(r, done_out): write what the socket takes; *done_out
 * is 1 once the frame is fully written (0: the socket is full). ERR_OK,
 * ERR_CLOSED (the peer had closed the connection: EPIPE) or ERR_SYSTEM.
 */
enum err record_out_flush(struct record *r, int *done_out);

/*
 * record_send(r, type, payload, len, deadline): flush anything pending,
 * then seal and write one record, waiting until deadline. ERR_OK,
 * ERR_CLOSED, ERR_TIMEOUT or ERR_SYSTEM.
 */
enum err record_send(struct record *r, uint8_t type, const void *payload,
    size_t len, int64_t deadline);

/*
 * record_in_fill(r, n_out): read what the socket has into the input
 * buffer; *n_out bytes (0: nothing yet). ERR_OK, ERR_CLOSED at the end of
 * the connection, or ERR_SYSTEM.
 */
enum err record_in_fill(struct record *r, size_t *n_out);

/*
 * record_in_next(r, type_out, payload_out, len_out, got_out): unwrap the
 * next complete frame, if any, in place; *got_out is 1 with the record, 0
 * when no complete frame is buffered. ERR_OK, ERR_PROTOCOL or
 * ERR_INTEGRITY. The payload stays valid until the next record_in_* call.
 */
enum err record_in_next(struct record *r, uint8_t *type_out,
    uint8_t **payload_out, size_t *len_out, int *got_out);

/*
 * record_recv(r, type_out, payload_out, len_out, deadline): wait for the
 * next record. ERR_OK with it, ERR_CLOSED (the connection ended),
 * ERR_TIMEOUT, ERR_SYSTEM, ERR_PROTOCOL or ERR_INTEGRITY.
 */
enum err record_recv(struct record *r, uint8_t *type_out, uint8_t **payload_out,
    size_t *len_out, int64_t deadline);

/* record_why(r): the last failure of a function above, for the log. */
const char *record_why(const struct record *r);

/*
 * record_abort(r, code, reason): best effort, bounded in time
 * (IO_LINGER_MS): tell the peer why the session ends, then close our
 * sending side and drop what it still sends until it closes too
 * (io_linger), so that the ABORT is not lost to a reset. Nothing may be
 * sent or received after it. Errors are ignored.
 */
void record_abort(struct record *r, uint8_t code, const char *reason);

/*
 * record_reset(r): make the coming close() of the socket send a TCP reset
 * rather than a FIN, so that a peer waiting for the end of the connection
 * learns that the session failed after our EOF (PROTOCOL §7.5).
 */
void record_reset(struct record *r);

/* record_fd(r): the socket. */
int record_fd(const struct record *r);

/* record_peer(r): the peer description given to record_new. */
const char *record_peer(const struct record *r);

/* record_peer_aborted(r): 1 once an ABORT record came from the peer. */
int record_peer_aborted(const struct record *r);

#endif
