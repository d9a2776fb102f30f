/* The enctype table: names, policy and native parameters (enctype.h). */
#include "config.h"

#include <stdio.h>

#include "enctype.h"

static const struct enctype_native aes128_sha1 = { "SHA1", 16, 16, 12, 0 };
static const struct enctype_native aes256_sha1 = { "SHA1", 32, 32, 12, 0 };
static const struct enctype_native aes128_sha256 = { "SHA256", 16, 16, 16, 1 };
static const struct enctype_native aes256_sha384 = { "SHA384", 32, 24, 24, 1 };

static const struct {
	const char *name;
	const struct enctype_native *native;
	int32_t number;
	int allowed;
} table[] = {
	{ "des-cbc-crc", NULL, 1, 0 },
	{ "des-cbc-md4", NULL, 2, 0 },
	{ "des-cbc-md5", NULL, 3, 0 },
	{ "des-cbc-raw", NULL, 4, 0 },
	{ "des3-cbc-raw", NULL, 6, 0 },
	{ "des-hmac-sha1", NULL, 8, 0 },
	{ "des3-cbc-sha1", NULL, 16, 0 },
	{ "aes128-cts-hmac-sha1-96", &aes128_sha1, 17, 1 },
	{ "aes256-cts-hmac-sha1-96", &aes256_sha1, 18, 1 },
	{ "aes128-cts-hmac-sha256-128", &aes128_sha256, 19, 1 },
	{ "aes256-cts-hmac-sha384-192", &aes256_sha384, 20, 1 },
	{ "arcfour-hmac", NULL, 23, 0 },
	{ "arcfour-hmac-exp", NULL, 24, 0 },
	{ "camellia128-cts-cmac", NULL, 25, 1 },
	{ "camellia256-cts-cmac", NULL, 26, 1 },
};

static int
find(int32_t enctype)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].number == enctype)
			return (int)i;
	return -1;
}

const char *
enctype_name(int32_t enctype, char *buf, size_t cap)
{
	int i = find(enctype);

	if (i >= 0)
		snprintf(buf, cap, "%s", table[i].name);
	else
		snprintf(buf, cap, "enctype %d", (int)enctype);
	return buf;
}

int
enctype_allowed(int32_t enctype)
{
	int i = find(enctype);

	return i >= 0 && table[i].allowed;
}

const struct enctype_native *
enctype_native(int32_t enctype)
{
	int i = find(enctype);

	return i >= 0 ? table[i].native : NULL;
}
