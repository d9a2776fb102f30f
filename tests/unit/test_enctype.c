/*
 * Unit tests for lib/crypto/enctype.c, the one enctype table: its names are
 * MIT's, its policy is PROTOCOL §4.4's, its native set is what kcrypto
 * implements.
 */
#include "config.h"

#include <krb5.h>
#include <stdio.h>
#include <string.h>

#include "enctype.h"
#include "kcrypto.h"
#include "tap.h"

/* Every number MIT knows gets MIT's name; others "enctype N". */
static void
names_are_mits(void)
{
	char ours[ENCTYPE_NAME_MAX], mit[64], want[32];
	int et, same = 1, known = 0;

	for (et = -300; et <= 300; et++) {
		if (krb5_enctype_to_name(et, FALSE, mit, sizeof(mit)) == 0)
			known++;
		else
			snprintf(mit, sizeof(mit), "enctype %d", et);
		enctype_name(et, ours, sizeof(ours));
		if (strcmp(ours, mit) != 0) {
			printf("# enctype %d: ours \"%s\", MIT's \"%s\"\n", et,
			    ours, mit);
			same = 0;
		}
	}
	TAP_OK(same && known >= 15, "names of %d enctypes are MIT's", known);
	snprintf(want, sizeof(want), "enctype %d", 99);
	TAP_OK(strcmp(enctype_name(99, ours, sizeof(ours)), want) == 0,
	    "an unknown number is named by its number");
	TAP_OK(strcmp(enctype_name(26, ours, 8), "camelli") == 0,
	    "a short buffer is cut and terminated");
}

static void
policy(void)
{
	static const int32_t allowed[] = { 17, 18, 19, 20, 25, 26 };
	int32_t et;
	int n = 0, ok = 1;
	size_t i;

	for (et = -300; et <= 300; et++)
		if (enctype_allowed(et))
			n++;
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		ok = ok && enctype_allowed(allowed[i]);
	TAP_OK(ok && n == 6, "exactly AES and Camellia may key a session");
	TAP_OK(!enctype_allowed(16) && !enctype_allowed(23) &&
		!enctype_allowed(6) && !enctype_allowed(1),
	    "DES3, RC4 and DES may not");
}

static void
native(void)
{
	int32_t et;
	int n = 0, ok = 1;

	for (et = -300; et <= 300; et++) {
		const struct enctype_native *p = enctype_native(et);

		if (p == NULL)
			continue;
		n++;
		ok = ok && enctype_allowed(et) && kc_key_len(et) == p->keylen;
	}
	TAP_OK(n == 4 && ok && enctype_native(17) != NULL &&
		enctype_native(20) != NULL && enctype_native(25) == NULL,
	    "the four RFC 3962/8009 enctypes are native, and allowed");
	TAP_OK(enctype_native(20)->maclen == 24 && enctype_native(19)->sha2 &&
		!enctype_native(18)->sha2,
	    "their parameters: aes256-sha384's MAC is 24 bytes, sha2 flags");
}

int
main(void)
{
	names_are_mits();
	policy();
	native();
	return TAP_DONE();
}
