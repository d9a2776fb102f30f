/*
 * client: one gsswrap session, the same for every client mode: connect,
 * authenticate to the target, exchange hellos, relay a plaintext side.
 */
#ifndef GSSWRAP_CLIENT_H
#define GSSWRAP_CLIENT_H

#include <stdint.h>
#include <gssapi/gssapi.h>

#include "localpeer.h"
#include "protect.h"

struct record;

#define CLIENT_TIMEOUT 30 /* default -t */

struct client {
	/* From the command line. */
	const char *service;
	const char *principal;
	const char *ccache;
	const char *client_keytab;
	unsigned int timeout;
	int family;
	int verbose;
	int delegate;
	const char *listen;	       /* -L [ADDR:]LPORT or /path, or NULL */
	struct localpeer_policy allow; /* --allow-users: who may use -L */
	int check;		       /* --check: diagnose, move no data */
	unsigned int hello_flags;      /* FRAME_HELLO_* we send */
	enum protect_mode crypto;      /* --crypto */
	const char *host;	       /* NULL in run mode */
	const char *port;
	char **run_argv; /* run mode: "run" and what follows */
	int run_argc;
	/* Acquired once, used by every session. */
	gss_cred_id_t cred;
	gss_name_t target;
	char target_desc[512];
	char peer[512]; /* "HOST port PORT" */
};

/*
 * client_prepare(c): the target name and our credentials, before any
 * connection (so that "no ticket" is reported first). Returns 0 or a
 * STATUS_* class (logged). Release with client_release.
 */
int client_prepare(struct client *c);

/* client_release(c): the names and credentials of client_prepare. */
void client_release(struct client *c);

/*
 * client_establish(c, fd, target, target_desc, peer, deadline, r_out):
 * authenticate to target on the connected socket fd and exchange hellos.
 * Returns 0 with the record layer in *r_out (the caller frees it; fd stays
 * the caller's), or the STATUS_* class of the failure (logged).
 */
int client_establish(const struct client *c, int fd, gss_name_t target,
    const char *target_desc, const char *peer, int64_t deadline,
    struct record **r_out);

/*
 * client_relay(r, in, out, remote_out): relay in/out (non-blocking) through
 * the session until it ends. Returns 0 or a STATUS_* class (logged);
 * *remote_out as for client_session.
 */
int client_relay(struct record *r, int in, int out, int *remote_out);

/*
 * client_session(c, in, out, remote_out): one session relaying in/out
 * (non-blocking descriptors; may be the same socket). Returns 0 or the
 * STATUS_* class of the failure (logged). *remote_out is the exit status of
 * the server's program when it sent one (a signal as 128 + its number),
 * else -1.
 */
int client_session(const struct client *c, int in, int out, int *remote_out);

#endif
