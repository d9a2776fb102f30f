/*
 * rules: which destinations `gsswrap run` wraps (gsswrap(1), RULES). A rule
 * is a destination pattern HOST:PORT (host name or address, shell wildcards
 * matched without regard to case, "*" for any host or port; IPv6 addresses
 * in brackets) and optionally the service or principal to authenticate to.
 * Rules come from -w options and rule files; the first match wins.
 */
#ifndef GSSWRAP_RULES_H
#define GSSWRAP_RULES_H

#include <stddef.h>
#include <sys/socket.h>

#define RULES_HOST_MAX 256

struct rule {
	char host[RULES_HOST_MAX];	  /* pattern */
	unsigned int port;		  /* 0: any port */
	char target[RULES_HOST_MAX];	  /* "" (default service), a service,
					   * or a principal (has '@' or '/') */
	char origin[RULES_HOST_MAX + 32]; /* "-w" or "FILE:LINE" */
};

struct rules {
	struct rule *v;
	size_t n;
	size_t cap;
};

/*
 * rules_add(rs, text, origin, err, errcap): add one rule from text
 * "DEST [TARGET]" (surrounding blanks allowed). origin names where it came
 * from. Returns 0, or -1 with the reason in err (not logged).
 */
int rules_add(struct rules *rs, const char *text, const char *origin, char *err,
    size_t errcap);

/*
 * rules_load(rs, path, must_exist): add the rules of a file, one a line;
 * blank lines and lines starting with '#' are skipped. A missing file is
 * an error only when must_exist. Returns the number of rules read, or -1
 * after logging FILE:LINE and the reason.
 */
int rules_load(struct rules *rs, const char *path, int must_exist);

/*
 * rules_match(rs, host, addr, port): the first rule whose pattern matches
 * the host name (may be "" when unknown) or the numeric address addr, and
 * the port; NULL when none does.
 */
const struct rule *rules_match(const struct rules *rs, const char *host,
    const char *addr, unsigned int port);

/*
 * rules_match_resolved(rs, sa, port): the first rule naming a literal host
 * (no wildcard) one of whose addresses, resolved now, is sa's address;
 * for programs that connect to an address without asking getaddrinfo for
 * it (curl resolves "localhost" itself). NULL when none does.
 */
const struct rule *rules_match_resolved(const struct rules *rs,
    const struct sockaddr *sa, unsigned int port);

/* rules_free(rs): release the rules; rs is empty afterwards. */
void rules_free(struct rules *rs);

#endif
