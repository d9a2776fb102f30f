/* HELLO exchange and ABORT handling: docs/PROTOCOL.md §6, §7.4. */
#include "config.h"

#include <stdio.h>

#include "err.h"
#include "frame.h"
#include "record.h"
#include "session.h"

enum err
session_abort_received(const struct record *r, const uint8_t *payload,
    size_t len, char *why, size_t cap)
{
	char text[FRAME_MAX_ABORT_TEXT + 1];
	uint8_t code;

	if (frame_abort_decode(payload, len, &code, text, sizeof(text)) !=
	    FRAME_OK) {
		snprintf(why, cap,
		    "protocol violation from %s: malformed abort",
		    record_peer(r));
		return ERR_PROTOCOL;
	}
	snprintf(why, cap, "%s ended the session: %s%s%s", record_peer(r),
	    frame_abort_name(code), text[0] ? ": " : "", text);
	switch (code) {
	case FRAME_ABORT_UNAUTHORIZED:
		return ERR_AUTH;
	case FRAME_ABORT_PROTOCOL:
		return ERR_PROTOCOL;
	default:
		return ERR_SYSTEM;
	}
}

static enum err
send_hello(struct record *r, uint32_t flags, int64_t deadline, char *why,
    size_t cap)
{
	struct frame_hello h = { FRAME_VERSION, flags, record_own_max(r) };
	uint8_t buf[FRAME_HELLO_LEN];
	enum err e;

	frame_hello_encode(buf, &h);
	e = record_send(r, FRAME_REC_HELLO, buf, sizeof(buf), deadline);
	if (e != ERR_OK)
		snprintf(why, cap, "%s", record_why(r));
	return e;
}

/* The first record from the peer: HELLO, or ABORT when it cannot go on. */
static enum err
recv_hello(struct record *r, int64_t deadline, uint32_t *flags_out, char *why,
    size_t cap)
{
	struct frame_hello h;
	uint8_t type, *p;
	size_t len;
	enum err e;

	e = record_recv(r, &type, &p, &len, deadline);
	if (e == ERR_CLOSED) {
		snprintf(why, cap,
		    "%s closed the connection before its hello (truncated)",
		    record_peer(r));
		return e;
	}
	if (e != ERR_OK) {
		snprintf(why, cap, "%s", record_why(r));
		return e;
	}
	if (type == FRAME_REC_ABORT)
		return session_abort_received(r, p, len, why, cap);
	if (type != FRAME_REC_HELLO) {
		snprintf(why, cap,
		    "protocol violation from %s: record type %u before hello",
		    record_peer(r), type);
		record_abort(r, FRAME_ABORT_PROTOCOL, "expected hello");
		return ERR_PROTOCOL;
	}
	if (frame_hello_decode(p, len, &h) != FRAME_OK) {
		snprintf(why, cap,
		    "protocol violation from %s: invalid hello (version %u)",
		    record_peer(r), p[0]);
		record_abort(r, FRAME_ABORT_PROTOCOL, "invalid hello");
		return ERR_PROTOCOL;
	}
	*flags_out = h.flags;
	if (record_set_peer_max(r, h.max_record) == -1) {
		snprintf(why, cap, "cannot size records for %s",
		    record_peer(r));
		return ERR_SYSTEM;
	}
	return ERR_OK;
}

enum err
session_hello_initiator(struct record *r, uint32_t flags, int64_t deadline,
    char *why, size_t cap)
{
	char sent_why[512] = "";
	uint32_t peer_flags;
	enum err sent, e;

	/* Even if our hello was not sent, the acceptor may have said why. */
	sent = send_hello(r, flags, deadline, sent_why, sizeof(sent_why));
	e = recv_hello(r, deadline, &peer_flags, why, cap);
	if (e == ERR_OK && sent != ERR_OK)
		snprintf(why, cap, "%s", sent_why);
	return e != ERR_OK ? e : sent;
}

enum err
session_hello_acceptor(struct record *r, int64_t deadline,
    uint32_t *peer_flags_out, char *why, size_t cap)
{
	enum err e;

	if ((e = send_hello(r, 0, deadline, why, cap)) != ERR_OK)
		return e;
	return recv_hello(r, deadline, peer_flags_out, why, cap);
}
