/* Authorization entries: exact principals, *@REALM, and !denials. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "log.h"

struct entry {
	char *text; /* principal, or the realm for a wildcard */
	int wildcard;
	int deny;
};

struct acl {
	struct entry *v;
	size_t n, cap;
};

struct acl *
acl_new(void)
{
	return calloc(1, sizeof(struct acl));
}

void
acl_free(struct acl *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++)
		free(a->v[i].text);
	free(a->v);
	free(a);
}

const char *
acl_realm(const char *p)
{
	const char *at = NULL;
	size_t i;

	for (i = 0; p[i] != '\0'; i++) {
		if (p[i] == '\\' && p[i + 1] != '\0')
			i++;
		else if (p[i] == '@')
			at = p + i;
	}
	return at != NULL ? at + 1 : NULL;
}

static int
push(struct acl *a, const char *text, int wildcard, int deny)
{
	struct entry *nv;
	char *t;

	if (a->n == a->cap) {
		size_t ncap = a->cap ? a->cap * 2 : 8;

		if ((nv = reallocarray(a->v, ncap, sizeof(*nv))) == NULL)
			return -1;
		a->v = nv;
		a->cap = ncap;
	}
	if ((t = strdup(text)) == NULL)
		return -1;
	a->v[a->n].text = t;
	a->v[a->n].wildcard = wildcard;
	a->v[a->n].deny = deny;
	a->n++;
	return 0;
}

int
acl_add(struct acl *a, const char *entry, char *err, size_t cap)
{
	const char *p = entry, *realm;
	size_t i;
	int deny = 0;

	if (*p == '!') {
		deny = 1;
		p++;
	}
	if (strlen(p) > ACL_MAX_ENTRY) {
		snprintf(err, cap, "entry longer than %d bytes", ACL_MAX_ENTRY);
		return -1;
	}
	for (i = 0; p[i] != '\0'; i++) {
		if (isspace((unsigned char)p[i]) ||
		    iscntrl((unsigned char)p[i])) {
			snprintf(err, cap,
			    "white space or control character "
			    "in \"%s\"",
			    entry);
			return -1;
		}
	}
	realm = acl_realm(p);
	if (realm == NULL || *realm == '\0' || realm == p + 1) {
		snprintf(err, cap, "\"%s\" is not PRINCIPAL@REALM or *@REALM",
		    entry);
		return -1;
	}
	if (strchr(realm, '*') != NULL ||
	    (strchr(p, '*') != NULL && !(p[0] == '*' && p[1] == '@'))) {
		snprintf(err, cap, "\"%s\": '*' is only allowed as *@REALM",
		    entry);
		return -1;
	}
	if (push(a, p[0] == '*' ? realm : p, p[0] == '*', deny) == -1) {
		snprintf(err, cap, "%s", strerror(ENOMEM));
		return -1;
	}
	return 0;
}

static int
matches(const struct entry *e, const char *principal, const char *realm)
{
	if (e->wildcard)
		return realm != NULL && strcmp(e->text, realm) == 0;
	return strcmp(e->text, principal) == 0;
}

int
acl_check(const struct acl *a, const char *principal, const char *realm)
{
	size_t i;
	int result = ACL_NOMATCH;

	for (i = 0; i < a->n; i++) {
		if (!matches(&a->v[i], principal, realm))
			continue;
		if (a->v[i].deny)
			return ACL_DENY;
		result = ACL_ALLOW;
	}
	return result;
}

/* Trim in place; returns the first non-blank character. */
static char *
trim(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

int
acl_load(struct acl *a, const char *path)
{
	FILE *f;
	char *line = NULL, *p, err[256];
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	int rv = 0;

	if ((f = fopen(path, "re")) == NULL) {
		log_err("cannot read ACL file %s: %s", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		if ((size_t)len != strlen(line)) {
			log_err("%s:%lu: NUL byte in line", path, lineno);
			rv = -1;
			break;
		}
		p = trim(line);
		if (*p == '\0' || *p == '#')
			continue;
		if (acl_add(a, p, err, sizeof(err)) == -1) {
			log_err("%s:%lu: %s", path, lineno, err);
			rv = -1;
			break;
		}
	}
	if (rv == 0 && ferror(f)) {
		log_err("cannot read ACL file %s: %s", path, strerror(errno));
		rv = -1;
	}
	free(line);
	fclose(f);
	return rv;
}
