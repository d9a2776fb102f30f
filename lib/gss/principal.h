/*
 * principal: a Kerberos principal as gsswrap handles it: its whole display
 * text, never cut (no fixed-size buffer holds a principal), and the facts
 * policy needs taken from the name as Kerberos parses it, never searched
 * for in the text: the realm, whether it is the anonymous principal, and
 * whether a component or the realm holds a control character.
 */
#ifndef GSSWRAP_PRINCIPAL_H
#define GSSWRAP_PRINCIPAL_H

#include <stddef.h>
#include <gssapi/gssapi.h>

struct principal {
	char *name;    /* MIT's display form (krb5_unparse_name) */
	char *realm;   /* the parsed realm (no NUL inside; see control) */
	int anonymous; /* WELLKNOWN/ANONYMOUS, in any realm (RFC 8062) */
	int control;   /* a byte < 0x20 or 0x7f in a component or the realm */
};

/*
 * principal_parse(text, p_out, why, cap): *p_out from display text (which
 * must name a realm). Returns 0 (the caller frees with principal_clear), or
 * -1 with why; *p_out is then untouched.
 */
int principal_parse(const char *text, struct principal *p_out, char *why,
    size_t cap);

/*
 * principal_from_gss(name, p_out, why, cap): the same for a GSS name of the
 * krb5 mechanism (its display text, parsed).
 */
int principal_from_gss(gss_name_t name, struct principal *p_out, char *why,
    size_t cap);

/* principal_clear(p): free what p holds and empty it; NULL is a no-op. */
void principal_clear(struct principal *p);

/*
 * principal_warm_up(): make the Kerberos context the parser uses now, so
 * that the session processes a listener forks inherit it (about 0.1 ms
 * each otherwise).
 */
void principal_warm_up(void);

#endif
