/* Principal names, whole and parsed: see principal.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <krb5.h>

#include "principal.h"

/* One context per process: krb5_init_context reads the profile. */
static krb5_context kctx;

static krb5_context
context(void)
{
	if (kctx == NULL && krb5_init_context(&kctx) != 0)
		kctx = NULL;
	return kctx;
}

void
principal_warm_up(void)
{
	(void)context();
}

static int
has_control(const krb5_data *d)
{
	unsigned int i;

	for (i = 0; i < d->length; i++)
		if ((unsigned char)d->data[i] < 0x20 ||
		    (unsigned char)d->data[i] == 0x7f)
			return 1;
	return 0;
}

static void
fill(krb5_const_principal kp, struct principal *p)
{
	krb5_int32 i;

	p->anonymous = krb5_principal_compare_any_realm(kctx, kp,
	    krb5_anonymous_principal());
	p->control = has_control(&kp->realm);
	for (i = 0; i < kp->length; i++)
		p->control |= has_control(&kp->data[i]);
}

int
principal_parse(const char *text, struct principal *p_out, char *why,
    size_t cap)
{
	struct principal p = { NULL, NULL, 0, 0 };
	krb5_principal kp = NULL;
	krb5_error_code ret;
	char *back = NULL;
	int rc = -1;

	if (context() == NULL) {
		snprintf(why, cap, "cannot initialize Kerberos");
		return -1;
	}
	ret = krb5_parse_name_flags(kctx, text,
	    KRB5_PRINCIPAL_PARSE_REQUIRE_REALM, &kp);
	if (ret != 0) {
		const char *m = krb5_get_error_message(kctx, ret);

		snprintf(why, cap, "the name does not parse: %s", m);
		krb5_free_error_message(kctx, m);
		return -1;
	}
	/* The text is exactly this principal's, or policy would judge another.
	 */
	if (krb5_unparse_name(kctx, kp, &back) != 0 ||
	    strcmp(back, text) != 0) {
		snprintf(why, cap, "the name is not in its canonical form");
		goto cleanup;
	}
	fill(kp, &p);
	p.name = strdup(text);
	p.realm = strndup(kp->realm.data, kp->realm.length);
	if (p.name == NULL || p.realm == NULL) {
		snprintf(why, cap, "out of memory");
		principal_clear(&p);
		goto cleanup;
	}
	if (strlen(p.realm) != kp->realm.length)
		p.control = 1; /* a NUL in the realm */
	*p_out = p;
	rc = 0;
cleanup:
	krb5_free_unparsed_name(kctx, back);
	krb5_free_principal(kctx, kp);
	return rc;
}

int
principal_from_gss(gss_name_t name, struct principal *p_out, char *why,
    size_t cap)
{
	gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
	OM_uint32 maj, min;
	char *text;
	int rc;

	maj = gss_display_name(&min, name, &out, NULL);
	if (GSS_ERROR(maj)) {
		snprintf(why, cap, "the name cannot be displayed");
		return -1;
	}
	/* MIT writes a NUL as "\0": a raw one would cut the text. */
	text = memchr(out.value, '\0', out.length) == NULL ?
	    strndup(out.value, out.length) :
	    NULL;
	gss_release_buffer(&min, &out);
	if (text == NULL) {
		snprintf(why, cap, "the name cannot be displayed whole");
		return -1;
	}
	rc = principal_parse(text, p_out, why, cap);
	free(text);
	return rc;
}

void
principal_clear(struct principal *p)
{
	if (p == NULL)
		return;
	free(p->name);
	free(p->realm);
	memset(p, 0, sizeof(*p));
}
