/*
 * spawn: start the wrapped PROGRAM once a client is authenticated and
 * authorized. It gets a socketpair on stdin/stdout (never the network
 * socket), stderr on a pipe for the log, nothing else open,
 * default signal dispositions and the GSSWRAP_* identity variables.
 */
#ifndef GSSWRAPD_SPAWN_H
#define GSSWRAPD_SPAWN_H

#include <sys/types.h>

struct localuser;

struct spawn_identity {
	const char *peer;	      /* client principal */
	const char *mech;	      /* mechanism name */
	const char *service;	      /* acceptor principal */
	const char *addr;	      /* client address */
	const char *port;	      /* client port */
	const struct localuser *user; /* run as this account, or NULL */
	const char *ccache; /* delegated credentials (KRB5CCNAME), or NULL */
};

/*
 * spawn_program(argv, id, pid_out, sock_out, err_out): start argv[0]
 * (searched in PATH) as id says, in a session and process group of its
 * own, with one end of a socketpair on its stdin and stdout. *pid_out is
 * its pid; *sock_out our end of the socketpair and *err_out the read end of
 * its stderr pipe, whose lines go to our log (both non-blocking and
 * close-on-exec). Returns 0, or -1 after logging (an exec failure
 * included).
 */
int spawn_program(char *const argv[], const struct spawn_identity *id,
    pid_t *pid_out, int *sock_out, int *err_out);

#endif
