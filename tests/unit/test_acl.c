/* Unit tests for gsswrapd/acl.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acl.h"
#include "log.h"
#include "tap.h"

static int
add(struct acl *a, const char *e)
{
	char err[256];

	return acl_add(a, e, err, sizeof(err));
}

static void
test_entries(void)
{
	struct acl *a = acl_new();
	char err[256];

	TAP_OK(acl_check(a, "alice@A.EXAMPLE", "A.EXAMPLE") == 0,
	    "empty policy denies");
	TAP_OK(add(a, "alice@A.EXAMPLE") == 0, "exact principal accepted");
	TAP_OK(acl_check(a, "alice@A.EXAMPLE", "A.EXAMPLE") == 1,
	    "exact match allowed");
	TAP_OK(acl_check(a, "alice@B.EXAMPLE", "B.EXAMPLE") == 0,
	    "same name in another realm denied");
	TAP_OK(acl_check(a, "alice/admin@A.EXAMPLE", "A.EXAMPLE") == 0,
	    "other instance denied");
	TAP_OK(acl_check(a, "ALICE@A.EXAMPLE", "A.EXAMPLE") == 0,
	    "case matters");
	TAP_OK(add(a, "*@B.EXAMPLE") == 0, "realm wildcard accepted");
	TAP_OK(acl_check(a, "bob@B.EXAMPLE", "B.EXAMPLE") == 1,
	    "realm wildcard matches");
	TAP_OK(acl_check(a, "bob@B.EXAMPLE.EVIL", "B.EXAMPLE.EVIL") == 0,
	    "realm suffix does not match");
	TAP_OK(add(a, "!mallory@B.EXAMPLE") == 0, "denial accepted");
	TAP_OK(acl_check(a, "mallory@B.EXAMPLE", "B.EXAMPLE") == ACL_DENY,
	    "denial wins");
	TAP_OK(acl_check(a, "a\\@b@B.EXAMPLE", "B.EXAMPLE") == 1,
	    "escaped @ in a name: realm taken after the last one");
	TAP_OK(acl_check(a, "nobody", NULL) == 0, "no realm denied");
	TAP_OK(acl_check(a, "x@B.EXAMPLE", "B.EXAMPLE.EVIL") == ACL_NOMATCH,
	    "the parsed realm decides *@REALM, not the text's last '@'");
	TAP_OK(add(a, "!*@B.EXAMPLE.EVIL") == 0 &&
		acl_check(a, "x@B.EXAMPLE", "B.EXAMPLE.EVIL") == ACL_DENY,
	    "a realm denial applies to the parsed realm");
	TAP_OK(acl_add(a, "alice", err, sizeof(err)) == -1 &&
		strstr(err, "PRINCIPAL@REALM") != NULL,
	    "missing realm refused");
	TAP_OK(add(a, "alice@") == -1, "empty realm refused");
	TAP_OK(add(a, "@A.EXAMPLE") == -1, "empty name refused");
	TAP_OK(add(a, "al*ce@A.EXAMPLE") == -1, "inner wildcard refused");
	TAP_OK(add(a, "*@*") == -1, "wildcard realm refused");
	TAP_OK(add(a, "al ice@A.EXAMPLE") == -1, "white space refused");
	TAP_OK(add(a, "") == -1, "empty entry refused");
	TAP_OK(acl_check(a, "carol@C.EXAMPLE", "C.EXAMPLE") == ACL_NOMATCH,
	    "no entry for another realm: no match");
	acl_free(a);
	acl_free(NULL);
	TAP_OK(1, "acl_free(NULL) is a no-op");
}

static void
test_realm(void)
{
	TAP_OK(strcmp(acl_realm("a@R"), "R") == 0, "realm of a@R");
	TAP_OK(strcmp(acl_realm("host/x@R.X"), "R.X") == 0, "realm of host");
	TAP_OK(acl_realm("a\\@R") == NULL, "escaped @ is not a realm");
	TAP_OK(strcmp(acl_realm("a@"), "") == 0, "empty realm");
}

static char *
write_file(const char *text)
{
	static char path[] = "/tmp/gsswrap-acl-XXXXXX";
	int fd;

	memcpy(path + strlen(path) - 6, "XXXXXX", 6);
	if ((fd = mkstemp(path)) == -1)
		return NULL;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return NULL;
	}
	close(fd);
	return path;
}

static void
test_file(void)
{
	struct acl *a = acl_new();
	char *p;

	p = write_file("# users\n\n  alice@A.EXAMPLE  \n*@B.EXAMPLE\n"
		       "!eve@B.EXAMPLE # not a comment\n");
	TAP_OK(p != NULL && acl_load(a, p) == -1,
	    "trailing text after an entry is an error");
	unlink(p);
	acl_free(a);
	a = acl_new();
	p = write_file("# users\n\n  alice@A.EXAMPLE  \n*@B.EXAMPLE\n"
		       "!eve@B.EXAMPLE\n");
	TAP_OK(p != NULL && acl_load(a, p) == 0, "ACL file loads");
	unlink(p);
	TAP_OK(acl_check(a, "alice@A.EXAMPLE", "A.EXAMPLE") == ACL_ALLOW &&
		acl_check(a, "x@B.EXAMPLE", "B.EXAMPLE") == ACL_ALLOW &&
		acl_check(a, "eve@B.EXAMPLE", "B.EXAMPLE") == ACL_DENY,
	    "ACL file entries apply");
	acl_free(a);
	a = acl_new();
	p = write_file("alice@A.EXAMPLE\nbroken\n");
	TAP_OK(p != NULL && acl_load(a, p) == -1,
	    "malformed line refused (message names file:2)");
	unlink(p);
	TAP_OK(acl_load(a, "/nonexistent/acl") == -1, "missing file refused");
	acl_free(a);
}

int
main(void)
{
	log_init("test_acl", LOG_TO_STDERR, 0);
	test_entries();
	test_realm();
	test_file();
	return TAP_DONE();
}
