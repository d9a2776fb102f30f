/*
 * relay: the one poll() loop every mode runs after the hello (docs/
 * PROTOCOL.md §7). It moves bytes between a plaintext side (an input and an
 * output descriptor, possibly the same socket) and the record layer,
 * wrapping one way and unwrapping the other, with bounded buffers: a
 * direction stalls while its consumer is slow.
 */
#ifndef GSSWRAP_RELAY_H
#define GSSWRAP_RELAY_H

#include <stdint.h>
#include <sys/types.h>

struct record;

struct relay_stats {
	uint64_t bytes_in;  /* payload bytes received from the peer */
	uint64_t bytes_out; /* payload bytes sent to the peer */
	char reason[160];   /* how the session ended, for the log line */
	int child_wstatus;  /* ends->child's wait status once reaped, or -1 */
	int remote_status;  /* the peer's EXIT as an exit status, or -1 */
};

struct relay_ends {
	int in;		       /* plaintext to protect and send */
	int out;	       /* where received plaintext goes */
	int log;	       /* -1, or lines to log (a program's stderr) */
	const char *log_label; /* prefix for those lines */
	unsigned int
	    idle;      /* seconds without traffic before ending; 0 = never */
	pid_t child;   /* the program behind in/out, or 0: its exit status is
			* sent (EXIT) before our EOF, PROTOCOL §7.6 */
	int peer_exit; /* the peer may send EXIT (we are the initiator) */
};

/*
 * relay_run(r, ends, st): relay until both directions have ended with an
 * authenticated EOF (returns 0), or fail: STATUS_TRUNC when the connection
 * closed early, STATUS_PROTO on a protocol violation or tampering, the
 * status for a received ABORT, STATUS_SYS on local I/O failure or when
 * ends->idle seconds pass without traffic (the peer gets ABORT TIMEOUT). Every
 * failure is logged once and, where possible, the peer gets an ABORT. The
 * plaintext descriptors should be non-blocking; ends->out is shut down (or
 * replaced by /dev/null) when the peer's EOF arrives. On any failure, a
 * TCP socket among them is set to send a reset when it is closed
 * (io_reset_on_close): its peer must not take a cut stream for a whole one.
 */
int
relay_run(struct record *r, struct relay_ends *ends, struct relay_stats *st);

#endif
