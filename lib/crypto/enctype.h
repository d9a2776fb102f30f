/*
 * enctype: the one table of Kerberos encryption types (RFC 3961 numbers)
 * that gsswrap knows: MIT's name for each, whether it may key a session
 * (docs/PROTOCOL.md §4.4: AES and Camellia), and, for the four that
 * kcrypto.h implements natively, the parameters it needs. Pure data: no
 * logging, no GSS-API.
 */
#ifndef GSSWRAP_ENCTYPE_H
#define GSSWRAP_ENCTYPE_H

#include <stddef.h>
#include <stdint.h>

/* The parameters of a native enctype (RFC 3962, RFC 8009). */
struct enctype_native {
	const char *digest; /* OpenSSL's name of the HMAC hash */
	size_t keylen;	    /* base key and Ke */
	size_t kilen;	    /* Ki */
	size_t maclen;	    /* truncated MAC */
	int sha2;	    /* RFC 8009: KDF-HMAC-SHA2, MAC over IV | C */
};

/* The longest name enctype_name writes, with its NUL. */
#define ENCTYPE_NAME_MAX 32

/*
 * enctype_name(enctype, buf, cap): MIT's name for enctype (as
 * krb5_enctype_to_name gives it), or "enctype N" for a number not in the
 * table. Returns buf.
 */
const char *enctype_name(int32_t enctype, char *buf, size_t cap);

/*
 * enctype_allowed(enctype): non-zero when enctype may protect a session
 * or the ticket it came from (PROTOCOL §4.4 item 3): AES (17, 18, 19, 20)
 * and Camellia (25, 26); never DES, DES3 or RC4.
 */
int enctype_allowed(int32_t enctype);

/*
 * enctype_native(enctype): the parameters of kcrypto.h's implementation
 * of enctype, or NULL when it has none.
 */
const struct enctype_native *enctype_native(int32_t enctype);

#endif
