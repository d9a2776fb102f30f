/*
 * runproto: the local protocol between the preloaded shim (shim.c) and the
 * `gsswrap run` agent (run.c), over a SOCK_SEQPACKET connection to the
 * agent's socket (GSSWRAP_AGENT, in a private directory), one connection
 * per intercepted connect():
 *
 *   shim  -> agent  runproto_req: the destination the program asked for
 *   agent -> shim   runproto_reply: RUNPROTO_PASS (connect it directly)
 *                   or RUNPROTO_WRAP
 *   shim  -> agent  (WRAP) runproto_go, carrying with SCM_RIGHTS the
 *                   agent's end of a socketpair whose other end now
 *                   stands in the program's socket descriptor
 *   agent -> shim   runproto_reply: RUNPROTO_DONE with err 0 once the
 *                   session is authenticated, or the errno the program's
 *                   connect() fails with; then the agent relays.
 *
 * For a non-blocking connect() the shim fills its end of the pair before
 * sending runproto_go (fill bytes), so that the program's descriptor is not
 * writable; the agent sends its verdict first and then reads (discards)
 * those bytes, or closes its end on failure, and the descriptor becomes
 * writable exactly when the connection is settled, as with TCP.
 *
 * Both ends are built from the same source tree, so the messages are plain
 * structures; every field is still checked by the receiver.
 */
#ifndef GSSWRAP_RUNPROTO_H
#define GSSWRAP_RUNPROTO_H

#include <stdint.h>
#include <sys/socket.h>

#define RUNPROTO_VERSION 1
#define RUNPROTO_ENV "GSSWRAP_AGENT" /* the agent's socket path */
#define RUNPROTO_HOST_MAX 256

enum { RUNPROTO_PASS = 1, RUNPROTO_WRAP = 2, RUNPROTO_DONE = 3 };

struct runproto_req {
	uint32_t version;
	uint32_t addrlen;
	struct sockaddr_storage addr; /* the destination */
	char host[RUNPROTO_HOST_MAX]; /* its name from getaddrinfo, or "" */
};

struct runproto_go {
	uint32_t version;
	uint32_t fill; /* bytes the shim wrote on its end as a gate */
};

struct runproto_reply {
	uint32_t version;
	uint32_t what; /* RUNPROTO_PASS, _WRAP or _DONE */
	int32_t err;   /* _DONE: 0, or the errno for connect() */
	uint32_t addrlen;
	struct sockaddr_storage local; /* _DONE: our end of the session */
};

#endif
