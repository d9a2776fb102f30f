/* Mapping principals to local accounts and becoming them. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <krb5.h>

#include "localuser.h"

static int
lookup(const char *name, struct localuser *lu, char *reason, size_t cap)
{
	struct passwd *pw;

	errno = 0;
	if ((pw = getpwnam(name)) == NULL) {
		snprintf(reason, cap, "no local account %s", name);
		return -1;
	}
	if (strlen(pw->pw_name) >= sizeof(lu->name) ||
	    strlen(pw->pw_dir) >= sizeof(lu->home) ||
	    strlen(pw->pw_shell) >= sizeof(lu->shell)) {
		snprintf(reason, cap, "account %s: names too long", name);
		return -1;
	}
	memcpy(lu->name, pw->pw_name, strlen(pw->pw_name) + 1);
	memcpy(lu->home, pw->pw_dir, strlen(pw->pw_dir) + 1);
	memcpy(lu->shell, pw->pw_shell, strlen(pw->pw_shell) + 1);
	lu->uid = pw->pw_uid;
	lu->gid = pw->pw_gid;
	return 0;
}

int
localuser_resolve(const char *principal, const char *user,
    struct localuser *lu_out, char *reason, size_t cap)
{
	krb5_context kctx = NULL;
	krb5_principal princ = NULL;
	struct localuser lu;
	char mapped[256];
	krb5_error_code ret;
	int rv = -1;

	if ((ret = krb5_init_context(&kctx)) != 0) {
		snprintf(reason, cap, "cannot initialise Kerberos: %s",
		    error_message(ret));
		return -1;
	}
	if (krb5_parse_name(kctx, principal, &princ) != 0) {
		snprintf(reason, cap, "cannot parse %s", principal);
		goto cleanup;
	}
	if (user == NULL) {
		if (krb5_aname_to_localname(kctx, princ, sizeof(mapped),
			mapped) != 0) {
			snprintf(reason, cap,
			    "principal %s maps to no local "
			    "account",
			    principal);
			goto cleanup;
		}
		user = mapped;
	}
	if (lookup(user, &lu, reason, cap) == -1)
		goto cleanup;
	if (!krb5_kuserok(kctx, princ, lu.name)) {
		snprintf(reason, cap,
		    "principal %s may not act as local user "
		    "%s (.k5login or auth_to_local)",
		    principal, lu.name);
		goto cleanup;
	}
	if (geteuid() != 0 && lu.uid != geteuid()) {
		snprintf(reason, cap,
		    "gsswrapd runs as uid %u and cannot "
		    "switch to %s",
		    (unsigned int)geteuid(), lu.name);
		goto cleanup;
	}
	*lu_out = lu;
	rv = 0;
cleanup:
	krb5_free_principal(kctx, princ);
	krb5_free_context(kctx);
	return rv;
}

int
localuser_become(const struct localuser *lu)
{
	if (setenv("HOME", lu->home, 1) == -1 ||
	    setenv("USER", lu->name, 1) == -1 ||
	    setenv("LOGNAME", lu->name, 1) == -1 ||
	    setenv("SHELL", lu->shell, 1) == -1 ||
	    setenv("GSSWRAP_LOCAL_USER", lu->name, 1) == -1)
		return -1;
	if (geteuid() == 0) {
		if (initgroups(lu->name, lu->gid) == -1 ||
		    setgid(lu->gid) == -1 || setuid(lu->uid) == -1)
			return -1;
		/* Verify the drop: root must be out of reach now. */
		if (lu->uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
			errno = EPERM;
			return -1;
		}
		if (getuid() != lu->uid || geteuid() != lu->uid ||
		    getgid() != lu->gid || getegid() != lu->gid) {
			errno = EPERM;
			return -1;
		}
	}
	if (chdir(lu->home) == -1 && chdir("/") == -1)
		return -1;
	return 0;
}
