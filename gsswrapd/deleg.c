/* Delegated credentials in a private ccache for the session's program. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

#include "deleg.h"
#include "gsserr.h"
#include "localuser.h"
#include "log.h"

static int
give(const char *path, const struct localuser *lu)
{
	if (lu == NULL || geteuid() != 0)
		return 0;
	return chown(path, lu->uid, lu->gid);
}

int
deleg_store(gss_cred_id_t cred, const struct localuser *lu, char *path_out)
{
	gss_key_value_element_desc el;
	gss_key_value_set_desc store = { 1, &el };
	const char *tmp = getenv("TMPDIR");
	char dir[DELEG_PATH_MAX], path[DELEG_PATH_MAX], ccname[DELEG_PATH_MAX];
	OM_uint32 maj, min;

	if (tmp == NULL || tmp[0] != '/')
		tmp = "/tmp";
	if ((size_t)snprintf(dir, sizeof(dir), "%s/gsswrap-deleg-XXXXXX",
		tmp) >= sizeof(dir) ||
	    mkdtemp(dir) == NULL) {
		log_err("cannot create a directory for delegated "
			"credentials in %s: %s",
		    tmp, strerror(errno));
		return -1;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/ccache", dir) >=
		sizeof(path) ||
	    (size_t)snprintf(ccname, sizeof(ccname), "FILE:%s", path) >=
		sizeof(ccname)) {
		log_err("path for delegated credentials too long in %s", tmp);
		(void)rmdir(dir);
		return -1;
	}
	el.key = "ccache";
	el.value = ccname;
	maj = gss_store_cred_into(&min, cred, GSS_C_INITIATE,
	    (gss_OID)gss_mech_krb5, 1, 0, &store, NULL, NULL);
	if (GSS_ERROR(maj)) {
		gsserr_log(maj, min, "cannot store delegated credentials in %s",
		    path);
		deleg_destroy(path);
		return -1;
	}
	if (chmod(path, 0600) == -1 || give(path, lu) == -1 ||
	    give(dir, lu) == -1) {
		log_err("cannot hand %s to %s: %s", path,
		    lu != NULL ? lu->name : "the program", strerror(errno));
		deleg_destroy(path);
		return -1;
	}
	memcpy(path_out, path, strlen(path) + 1);
	return 0;
}

void
deleg_destroy(const char *path)
{
	char dir[DELEG_PATH_MAX], zero[4096];
	struct stat st;
	off_t left;
	char *slash;
	int fd;

	if (path[0] == '\0')
		return;
	/* Tickets are secrets: overwrite before unlinking. */
	if ((fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)) != -1) {
		memset(zero, 0, sizeof(zero));
		if (fstat(fd, &st) == 0)
			for (left = st.st_size; left > 0;
			     left -= (off_t)sizeof(zero))
				if (write(fd, zero, sizeof(zero)) == -1)
					break;
		(void)fsync(fd);
		close(fd);
	}
	(void)unlink(path);
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		(void)rmdir(dir);
	}
}
