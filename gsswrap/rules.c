/* Destination rules for `gsswrap run` (rules.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrkey.h"
#include "args.h"
#include "log.h"
#include "rules.h"

#define RULES_LINE_MAX 1024

static int
fail(char *err, size_t errcap, const char *why)
{
	snprintf(err, errcap, "%s", why);
	return -1;
}

/* The port part: a number, a service name, or "*" (0). */
static int
parse_port(const char *text, unsigned int *out)
{
	const struct servent *se;

	if (strcmp(text, "*") == 0) {
		*out = 0;
		return 0;
	}
	if (args_port(text) == -1)
		return -1;
	if (isdigit((unsigned char)text[0])) {
		*out = (unsigned int)strtonum(text, 1, 65535, NULL);
		return 0;
	}
	if ((se = getservbyname(text, "tcp")) == NULL)
		return -1;
	*out = ntohs((unsigned short)se->s_port);
	return 0;
}

/* Split DEST into host pattern and port ("[v6]:port" or "host:port"). */
static int
parse_dest(const char *dest, struct rule *r, char *err, size_t errcap)
{
	const char *colon, *host = dest;
	size_t hlen;

	if (dest[0] == '[') {
		const char *close = strchr(dest, ']');

		if (close == NULL || close[1] != ':')
			return fail(err, errcap,
			    "expected [ADDRESS]:PORT after '['");
		host = dest + 1;
		hlen = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(dest, ':');
		if (colon == NULL)
			return fail(err, errcap,
			    "expected HOST:PORT (\"*\" for any)");
		if (strchr(dest, ':') != colon)
			return fail(err, errcap,
			    "an IPv6 address needs brackets: [ADDRESS]:PORT");
		hlen = (size_t)(colon - dest);
	}
	if (hlen == 0)
		return fail(err, errcap, "empty host pattern (\"*\" for any)");
	if (hlen >= sizeof(r->host))
		return fail(err, errcap, "host pattern too long");
	memcpy(r->host, host, hlen);
	r->host[hlen] = '\0';
	if (parse_port(colon + 1, &r->port) == -1)
		return fail(err, errcap,
		    "bad port (a number, a service name or \"*\")");
	return 0;
}

static int
grow(struct rules *rs)
{
	struct rule *v;
	size_t cap;

	if (rs->n < rs->cap)
		return 0;
	cap = rs->cap ? rs->cap * 2 : 8;
	if ((v = reallocarray(rs->v, cap, sizeof(*v))) == NULL)
		return -1;
	rs->v = v;
	rs->cap = cap;
	return 0;
}

int
rules_add(struct rules *rs, const char *text, const char *origin, char *err,
    size_t errcap)
{
	char dest[RULES_HOST_MAX + 16], target[RULES_HOST_MAX], extra[2];
	struct rule r;
	int n;

	memset(&r, 0, sizeof(r));
	target[0] = '\0';
	n = sscanf(text, "%271s %255s %1s", dest, target, extra);
	if (n < 1)
		return fail(err, errcap, "empty rule");
	if (n > 2)
		return fail(err, errcap,
		    "too many fields (expected DEST [SERVICE|PRINCIPAL])");
	if (strlen(dest) >= sizeof(dest) - 1 ||
	    strlen(target) >= sizeof(target) - 1)
		return fail(err, errcap, "field too long");
	if (parse_dest(dest, &r, err, errcap) == -1)
		return -1;
	snprintf(r.target, sizeof(r.target), "%s", target);
	snprintf(r.origin, sizeof(r.origin), "%s", origin);
	if (grow(rs) == -1)
		return fail(err, errcap, strerror(errno));
	rs->v[rs->n++] = r;
	return 0;
}

/* One line of a rule file; comments and blank lines yield nothing. */
static int
load_line(struct rules *rs, char *line, const char *path, unsigned int lineno)
{
	char origin[RULES_HOST_MAX + 32], err[128];
	char *p = line;

	line[strcspn(line, "\n")] = '\0';
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	snprintf(origin, sizeof(origin), "%s:%u", path, lineno);
	if (rules_add(rs, p, origin, err, sizeof(err)) == -1) {
		log_err("%s: %s", origin, err);
		return -1;
	}
	return 1;
}

int
rules_load(struct rules *rs, const char *path, int must_exist)
{
	char line[RULES_LINE_MAX];
	unsigned int lineno = 0;
	int n = 0, rc;
	FILE *f;

	if ((f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT && !must_exist)
			return 0;
		log_err("cannot read rules file %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			log_err("%s:%u: line too long", path, lineno);
			n = -1;
			break;
		}
		if ((rc = load_line(rs, line, path, lineno)) == -1) {
			n = -1;
			break;
		}
		n += rc;
	}
	if (n != -1 && ferror(f)) {
		log_err("cannot read rules file %s: %s", path, strerror(errno));
		n = -1;
	}
	fclose(f);
	return n;
}

const struct rule *
rules_match(const struct rules *rs, const char *host, const char *addr,
    unsigned int port)
{
	const struct rule *r;
	size_t i;

	for (i = 0; i < rs->n; i++) {
		r = &rs->v[i];
		if (r->port != 0 && r->port != port)
			continue;
		if ((host[0] != '\0' &&
			fnmatch(r->host, host, FNM_CASEFOLD) == 0) ||
		    fnmatch(r->host, addr, FNM_CASEFOLD) == 0)
			return r;
	}
	return NULL;
}

static int
resolves_to(const char *host, const unsigned char *key, size_t klen)
{
	struct addrinfo hints, *res, *ai;
	unsigned char k[ADDRKEY_MAX];
	int found = 0, family;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return 0;
	for (ai = res; ai != NULL && !found; ai = ai->ai_next)
		found = addrkey(ai->ai_addr, &family, k) == klen &&
		    memcmp(k, key, klen) == 0;
	freeaddrinfo(res);
	return found;
}

const struct rule *
rules_match_resolved(const struct rules *rs, const struct sockaddr *sa,
    unsigned int port)
{
	unsigned char key[ADDRKEY_MAX];
	int family;
	size_t i, klen = addrkey(sa, &family, key);

	for (i = 0; i < rs->n && klen > 0; i++) {
		const struct rule *r = &rs->v[i];

		if ((r->port == 0 || r->port == port) &&
		    strpbrk(r->host, "*?[") == NULL &&
		    resolves_to(r->host, key, klen))
			return r;
	}
	return NULL;
}

void
rules_free(struct rules *rs)
{
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}
