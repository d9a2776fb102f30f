/* HELLO exchange and ABORT handling: docs/PROTOCOL.md §6, §7.4. */
#include "config.h"

#include "frame.h"
#include "log.h"
#include "record.h"
#include "session.h"
#include "status.h"

int
session_abort_received(const struct record *r, const uint8_t *payload,
    size_t len)
{
	char text[FRAME_MAX_ABORT_TEXT + 1];
	uint8_t code;

	if (frame_abort_decode(payload, len, &code, text, sizeof(text)) !=
	    FRAME_OK) {
		log_err("protocol violation from %s: malformed abort",
		    record_peer(r));
		return STATUS_PROTO;
	}
	log_err("%s ended the session: %s%s%s", record_peer(r),
	    frame_abort_name(code), text[0] ? ": " : "", text);
	switch (code) {
	case FRAME_ABORT_UNAUTHORIZED:
		return STATUS_AUTH;
	case FRAME_ABORT_PROTOCOL:
		return STATUS_PROTO;
	default:
		return STATUS_SYS;
	}
}

static int
send_hello(struct record *r, uint32_t flags, int64_t deadline)
{
	struct frame_hello h = { FRAME_VERSION, flags, record_own_max(r) };
	uint8_t buf[FRAME_HELLO_LEN];

	frame_hello_encode(buf, &h);
	if (record_send(r, FRAME_REC_HELLO, buf, sizeof(buf), deadline) == -1)
		return STATUS_SYS;
	return 0;
}

/* The first record from the peer: HELLO, or ABORT when it cannot go on. */
static int
recv_hello(struct record *r, int64_t deadline, uint32_t *flags_out)
{
	struct frame_hello h;
	uint8_t type, *p;
	size_t len;
	int rc;

	rc = record_recv(r, &type, &p, &len, deadline);
	if (rc == 0) {
		log_err("%s closed the connection before its hello "
			"(truncated)",
		    record_peer(r));
		return STATUS_TRUNC;
	}
	if (rc == -1)
		return STATUS_PROTO;
	if (type == FRAME_REC_ABORT)
		return session_abort_received(r, p, len);
	if (type != FRAME_REC_HELLO) {
		log_err("protocol violation from %s: record type %u before "
			"hello",
		    record_peer(r), type);
		record_abort(r, FRAME_ABORT_PROTOCOL, "expected hello");
		return STATUS_PROTO;
	}
	if (frame_hello_decode(p, len, &h) != FRAME_OK) {
		log_err("protocol violation from %s: invalid hello "
			"(version %u)",
		    record_peer(r), p[0]);
		record_abort(r, FRAME_ABORT_PROTOCOL, "invalid hello");
		return STATUS_PROTO;
	}
	*flags_out = h.flags;
	return record_set_peer_max(r, h.max_record) == 0 ? 0 : STATUS_SYS;
}

int
session_hello_initiator(struct record *r, uint32_t flags, int64_t deadline)
{
	uint32_t peer_flags;
	int sent, rc;

	/* Even if our hello was not sent, the acceptor may have said why. */
	sent = send_hello(r, flags, deadline);
	rc = recv_hello(r, deadline, &peer_flags);
	return rc != 0 ? rc : sent;
}

int
session_hello_acceptor(struct record *r, int64_t deadline,
    uint32_t *peer_flags_out)
{
	int rc;

	if ((rc = send_hello(r, 0, deadline)) != 0)
		return rc;
	return recv_hello(r, deadline, peer_flags_out);
}
