/*
 * localpeer: which local account opened a connection that gsswrap -L
 * accepted, and whether it may use the forward (docs/SECURITY.md, "Local
 * users"): a forward lends the Kerberos identity of whoever started it, so
 * by default it serves only that uid.
 */
#ifndef GSSWRAP_LOCALPEER_H
#define GSSWRAP_LOCALPEER_H

#include <stddef.h>
#include <sys/types.h>

#define LOCALPEER_MAX_USERS 32

/* Who may connect: anyone, or the listed uids (the caller's by default). */
struct localpeer_policy {
	int any;
	size_t n;
	uid_t uids[LOCALPEER_MAX_USERS];
};

/*
 * localpeer_parse(text, p_out): --allow-users: "any", or a comma-separated
 * list of user names and uids. The caller's own uid is always allowed.
 * Returns 0, or -1 after logging what was wrong.
 */
int localpeer_parse(const char *text, struct localpeer_policy *p_out);

/*
 * localpeer_uid(sock, uid_out): the uid owning the other end of the
 * accepted connection sock: SO_PEERCRED for a UNIX socket; for TCP, the
 * owner of the client's socket as the kernel's socket table
 * (NETLINK_SOCK_DIAG) gives it for the connection's two addresses, which
 * exists only when the client is on this host. Returns 0, or -1 with why
 * (cap bytes).
 */
int localpeer_uid(int sock, uid_t *uid_out, char *why, size_t cap);

/* localpeer_allowed(p, uid): uid may use the forward. */
int localpeer_allowed(const struct localpeer_policy *p, uid_t uid);

#endif
