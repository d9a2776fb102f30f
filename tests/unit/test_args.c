/* Unit tests for lib/util/args.c. */
#include "config.h"

#include <string.h>

#include "args.h"
#include "log.h"
#include "tap.h"

static int
hp(const char *text, int opt, const char *want_host, const char *want_port)
{
	char h[64] = "x", p[16] = "x";

	if (args_hostport(text, opt, h, sizeof(h), p, sizeof(p)) == -1)
		return want_host == NULL;
	return want_host != NULL && strcmp(h, want_host) == 0 &&
	    strcmp(p, want_port) == 0;
}

int
main(void)
{
	unsigned int s = 7;

	log_init("test_args", LOG_TO_STDERR, 0);
	TAP_OK(hp("localhost:80", 0, "localhost", "80"), "host:port");
	TAP_OK(hp("127.0.0.1:4444", 0, "127.0.0.1", "4444"), "v4:port");
	TAP_OK(hp("[::1]:4444", 0, "::1", "4444"), "[v6]:port");
	TAP_OK(hp("4444", 1, "", "4444"),
	    "bare port where the host is optional");
	TAP_OK(hp("4444", 0, NULL, NULL),
	    "bare port refused where a host is needed");
	TAP_OK(hp("::1:4444", 0, NULL, NULL), "unbracketed v6 refused");
	TAP_OK(hp("[::1]4444", 0, NULL, NULL), "bracket without colon refused");
	TAP_OK(hp("[]:4444", 0, NULL, NULL), "empty brackets refused");
	TAP_OK(hp(":4444", 0, NULL, NULL), "empty host refused");
	TAP_OK(hp("host:", 0, NULL, NULL), "empty port refused");
	TAP_OK(hp("host:99999", 0, NULL, NULL), "port out of range refused");
	TAP_OK(hp("host:0", 0, NULL, NULL), "port 0 refused");
	TAP_OK(hp("host:ssh", 0, "host", "ssh"), "service name as port");
	TAP_OK(hp("host:a b", 0, NULL, NULL), "junk port refused");
	TAP_OK(hp("averyveryveryveryveryveryveryveryveryveryveryveryveryverylon"
		  "ghostname:1",
		   0, NULL, NULL),
	    "host longer than the buffer refused");
	TAP_OK(args_seconds("30", "-t", &s) == 0 && s == 30, "seconds");
	TAP_OK(args_seconds("0", "-t", &s) == 0 && s == 0, "zero seconds");
	TAP_OK(args_seconds("-1", "-t", &s) == -1 && s == 0,
	    "negative seconds refused, output untouched");
	TAP_OK(args_seconds("86401", "-t", &s) == -1, "over a day refused");
	TAP_OK(args_seconds("1x", "-t", &s) == -1, "trailing junk refused");
	TAP_OK(args_port("65535") == 0 && args_port("65536") == -1,
	    "port range");
	TAP_OK(log_facility("local3") == 0 && log_facility("authpriv") == 0 &&
		log_facility("daemon") == 0,
	    "syslog facility names");
	TAP_OK(log_facility("local8") == -1 && log_facility("") == -1,
	    "unknown syslog facility refused");
	return TAP_DONE();
}
