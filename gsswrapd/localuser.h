/*
 * localuser: the local account a session runs as (-u USER, or -U: the
 * account krb5_aname_to_localname gives the client principal). The client
 * must pass krb5_kuserok for it (.k5login, or the default auth_to_local
 * rule), and the program then runs with that account's uid, gid and groups.
 */
#ifndef GSSWRAPD_LOCALUSER_H
#define GSSWRAPD_LOCALUSER_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

struct localuser {
	char name[256];
	uid_t uid;
	gid_t gid;
	char home[PATH_MAX];
	char shell[PATH_MAX];
};

/*
 * localuser_resolve(principal, user, lu_out, reason, cap): the account for
 * principal: user when not NULL, else the aname_to_localname mapping; the
 * principal must pass krb5_kuserok for it. Returns 0, or -1 with reason
 * (for the log and the client). Also fails when gsswrapd, not running as
 * root, would have to switch to another account.
 */
int localuser_resolve(const char *principal, const char *user,
    struct localuser *lu_out, char *reason, size_t cap);

/*
 * localuser_become(lu): in a child about to exec: set HOME, USER, LOGNAME,
 * SHELL and GSSWRAP_LOCAL_USER, change to the account's groups, gid and uid
 * (each checked; then verifies that root cannot be regained) and to its
 * home directory. Returns 0 or -1 with errno.
 */
int localuser_become(const struct localuser *lu);

#endif
