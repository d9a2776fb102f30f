/*
 * Unit tests for lib/gss/principal.c: names are kept whole, whatever their
 * length, and the realm, anonymity and control characters come from the
 * name as MIT's library parses it (no KDC involved).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "principal.h"
#include "tap.h"

static int
parse(const char *text, struct principal *p)
{
	char why[256];

	memset(p, 0, sizeof(*p));
	return principal_parse(text, p, why, sizeof(why));
}

/*
 * The review's shape: a name part long enough that a 512-byte buffer cut
 * it right after "@EXAMPLE.COM", in realm EXAMPLE.COM.EVIL.
 */
static void
test_long(void)
{
	struct principal p;
	char text[600];
	size_t n = 498;

	memset(text, 'm', n);
	snprintf(text + n, sizeof(text) - n, "@EXAMPLE.COM.EVIL");
	TAP_OK(parse(text, &p) == 0, "a %zu-byte principal parses",
	    strlen(text));
	TAP_OK(p.name != NULL && strcmp(p.name, text) == 0,
	    "  its name is whole (%zu bytes)", p.name ? strlen(p.name) : 0);
	TAP_OK(p.realm != NULL && strcmp(p.realm, "EXAMPLE.COM.EVIL") == 0,
	    "  its realm is EXAMPLE.COM.EVIL, not EXAMPLE.COM");
	principal_clear(&p);
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	memcpy(text + 300, "@R", 2);
	TAP_OK(parse(text, &p) == 0 && strcmp(p.realm, text + 301) == 0,
	    "a 599-byte realm is kept whole");
	principal_clear(&p);
}

static void
test_realm(void)
{
	struct principal p;
	char why[256] = "";

	TAP_OK(parse("a\\@b@R.EXAMPLE", &p) == 0 &&
		strcmp(p.realm, "R.EXAMPLE") == 0 && !p.control && !p.anonymous,
	    "an escaped @ belongs to the name");
	principal_clear(&p);
	TAP_OK(parse("host/x.example@R.EXAMPLE", &p) == 0 &&
		strcmp(p.realm, "R.EXAMPLE") == 0,
	    "host principal");
	principal_clear(&p);
	memset(&p, 0, sizeof(p));
	TAP_OK(principal_parse("alice", &p, why, sizeof(why)) == -1 &&
		p.name == NULL && strstr(why, "does not parse") != NULL,
	    "a name without a realm is refused (%s)", why);
	TAP_OK(principal_parse("al\\ice@R", &p, why, sizeof(why)) == -1 &&
		strstr(why, "canonical") != NULL,
	    "a name that does not unparse to itself is refused (%s)", why);
	principal_clear(&p);
	principal_clear(NULL);
	TAP_OK(1, "principal_clear(NULL) is a no-op");
}

static void
test_control(void)
{
	struct principal p;

	TAP_OK(parse("mallory\\n@R", &p) == 0 && p.control,
	    "an escaped newline is a control character of the name");
	principal_clear(&p);
	TAP_OK(parse("mallory\r@R", &p) == 0 && p.control,
	    "a carriage return is a control character");
	principal_clear(&p);
	TAP_OK(parse("m\x1b[2J@R", &p) == 0 && p.control,
	    "an escape sequence is a control character");
	principal_clear(&p);
	TAP_OK(parse("a@R\x7f", &p) == 0 && p.control,
	    "DEL in the realm is a control character");
	principal_clear(&p);
	TAP_OK(parse("a@R\\0X", &p) == 0 && p.control &&
		strcmp(p.realm, "R") == 0,
	    "a NUL in the realm is a control character");
	principal_clear(&p);
	TAP_OK(parse("mallory addr=10.9.9.9 outcome=ok\"@R", &p) == 0 &&
		!p.control,
	    "spaces, '=' and quotes are not control characters");
	principal_clear(&p);
	TAP_OK(parse("j\xc3\xbcrgen@R", &p) == 0 && !p.control,
	    "UTF-8 is not a control character");
	principal_clear(&p);
}

static void
test_anonymous(void)
{
	struct principal p;

	TAP_OK(parse("WELLKNOWN/ANONYMOUS@R.EXAMPLE", &p) == 0 && p.anonymous,
	    "WELLKNOWN/ANONYMOUS in a realm is anonymous");
	principal_clear(&p);
	TAP_OK(parse("WELLKNOWN/ANONYMOUS@WELLKNOWN:ANONYMOUS", &p) == 0 &&
		p.anonymous,
	    "the fully anonymous principal is anonymous");
	principal_clear(&p);
	TAP_OK(parse("WELLKNOWN/ANONYMOUSX@R", &p) == 0 && !p.anonymous,
	    "a similar name is not");
	principal_clear(&p);
}

int
main(void)
{
	test_long();
	test_realm();
	test_control();
	test_anonymous();
	return TAP_DONE();
}
