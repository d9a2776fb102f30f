/* Unit tests for gsswrap/rules.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "log.h"
#include "rules.h"
#include "tap.h"

static int
add(struct rules *rs, const char *text)
{
	char err[128];

	return rules_add(rs, text, "-w", err, sizeof(err));
}

static int
add_fails(const char *text, const char *want)
{
	struct rules rs = { NULL, 0, 0 };
	char err[128] = "";
	int ok;

	ok = rules_add(&rs, text, "-w", err, sizeof(err)) == -1 &&
	    strstr(err, want) != NULL && rs.n == 0;
	rules_free(&rs);
	return ok;
}

static const char *
match(const struct rules *rs, const char *host, const char *addr,
    unsigned int port)
{
	const struct rule *r = rules_match(rs, host, addr, port);

	return r == NULL ? "none" : r->host;
}

static int
load(const char *text, struct rules *rs)
{
	char path[] = "/tmp/test_rules.XXXXXX";
	int fd = mkstemp(path), n;
	FILE *f;

	if (fd == -1 || (f = fdopen(fd, "w")) == NULL)
		return -2;
	fputs(text, f);
	fclose(f);
	n = rules_load(rs, path, 1);
	unlink(path);
	return n;
}

int
main(void)
{
	struct rules rs = { NULL, 0, 0 };
	struct sockaddr_in sin;

	log_init("test_rules", LOG_TO_STDERR, 0);
	TAP_OK(add(&rs, "git.example.com:9418") == 0 && rs.n == 1 &&
		rs.v[0].port == 9418 && rs.v[0].target[0] == '\0',
	    "host:port");
	TAP_OK(add(&rs, "  *.example.org:*   HTTP  ") == 0 &&
		rs.v[1].port == 0 && strcmp(rs.v[1].target, "HTTP") == 0,
	    "wildcards and a service, blanks around");
	TAP_OK(add(&rs, "[::1]:8080 host/srv.example.com@EXAMPLE.COM") == 0 &&
		strcmp(rs.v[2].host, "::1") == 0 &&
		strcmp(rs.v[2].target, "host/srv.example.com@EXAMPLE.COM") == 0,
	    "[v6]:port with a principal");
	TAP_OK(add(&rs, "10.1.2.*:ssh") == 0 && rs.v[3].port == 22,
	    "service name as port");
	TAP_OK(strcmp(match(&rs, "GIT.Example.COM", "192.0.2.1", 9418),
		   "git.example.com") == 0,
	    "host names match without regard to case");
	TAP_OK(strcmp(match(&rs, "git.example.com", "192.0.2.1", 9419),
		   "none") == 0,
	    "another port does not match");
	TAP_OK(strcmp(match(&rs, "www.example.org", "192.0.2.1", 443),
		   "*.example.org") == 0,
	    "wildcard host, any port");
	TAP_OK(strcmp(match(&rs, "example.org", "192.0.2.1", 443), "none") == 0,
	    "*.example.org does not match example.org");
	TAP_OK(strcmp(match(&rs, "", "::1", 8080), "::1") == 0,
	    "an address without a name matches by address");
	TAP_OK(strcmp(match(&rs, "x.invalid", "10.1.2.3", 22), "10.1.2.*") == 0,
	    "a named host matches an address pattern by its address");
	TAP_OK(strcmp(match(&rs, "git.example.com", "10.1.2.3", 22),
		   "10.1.2.*") == 0,
	    "first matching rule wins, by port");
	TAP_OK(add_fails("host", "HOST:PORT"), "missing port refused");
	TAP_OK(add_fails("::1:80", "brackets"), "bare IPv6 refused");
	TAP_OK(add_fails(":80", "empty host"), "empty host refused");
	TAP_OK(add_fails("h:0", "bad port"), "port 0 refused");
	TAP_OK(add_fails("h:70000", "bad port"), "port out of range refused");
	TAP_OK(add_fails("h:nosuchservice", "bad port"),
	    "unknown service name refused");
	TAP_OK(add_fails("h:80 svc extra", "too many"), "third field refused");
	TAP_OK(add_fails("[::1:80", "[ADDRESS]"), "unclosed bracket refused");
	TAP_OK(add_fails("", "empty"), "empty rule refused");
	rules_free(&rs);
	TAP_OK(rs.n == 0 && rs.v == NULL, "rules_free empties");

	TAP_OK(load("# comment\n\n  a.example:1 svc\n\tb.example:2\n", &rs) ==
		    2 &&
		rs.n == 2 && strstr(rs.v[1].origin, ":4") != NULL,
	    "file: comments, blank lines, origin FILE:LINE");
	TAP_OK(load("ok.example:1\nbad line here now\n", &rs) == -1,
	    "file: bad line refused (message names FILE:2)");
	TAP_OK(rules_load(&rs, "/nonexistent/wrap", 0) == 0,
	    "missing optional file is no rules");
	TAP_OK(rules_load(&rs, "/nonexistent/wrap", 1) == -1,
	    "missing -W file refused");
	rules_free(&rs);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	add(&rs, "*:80");
	add(&rs, "localhost:8080");
	TAP_OK(rules_match_resolved(&rs, (struct sockaddr *)&sin, 8080) ==
		&rs.v[1],
	    "127.0.0.1 matches a localhost rule by resolving it");
	TAP_OK(rules_match_resolved(&rs, (struct sockaddr *)&sin, 8081) == NULL,
	    "but not on another port");
	TAP_OK(rules_match_resolved(&rs, (struct sockaddr *)&sin, 80) == NULL,
	    "wildcard patterns are not resolved");
	rules_free(&rs);
	return TAP_DONE();
}
