/* Credential acquisition for initiator and acceptor. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>

#include "creds.h"
#include "gsserr.h"
#include "log.h"

static gss_OID_set_desc krb5_only = { 1, NULL };

static gss_OID_set
mechs(void)
{
	krb5_only.elements = (gss_OID)gss_mech_krb5;
	return &krb5_only;
}

/* Name the ccache MIT will use, for messages when none was given. */
static void
default_ccache_name(char *buf, size_t cap)
{
	krb5_context kctx;

	snprintf(buf, cap, "(default)");
	if (krb5_init_context(&kctx) != 0)
		return;
	snprintf(buf, cap, "%s", krb5_cc_default_name(kctx));
	krb5_free_context(kctx);
}

int
creds_initiator(const char *ccache, const char *client_keytab,
    gss_cred_id_t *cred_out)
{
	gss_key_value_element_desc el[2];
	gss_key_value_set_desc store = { 0, el };
	OM_uint32 maj, min;
	gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
	char ccname[512];

	/* A keytab client keeps its tickets private unless told otherwise. */
	if (ccache == NULL && client_keytab != NULL)
		ccache = "MEMORY:gsswrap";
	if (ccache != NULL) {
		el[store.count].key = "ccache";
		el[store.count++].value = ccache;
		snprintf(ccname, sizeof(ccname), "%s", ccache);
	} else
		default_ccache_name(ccname, sizeof(ccname));
	if (client_keytab != NULL) {
		el[store.count].key = "client_keytab";
		el[store.count++].value = client_keytab;
	}
	maj = gss_acquire_cred_from(&min, GSS_C_NO_NAME, GSS_C_INDEFINITE,
	    mechs(), GSS_C_INITIATE, &store, &cred, NULL, NULL);
	if (GSS_ERROR(maj)) {
		if (client_keytab != NULL)
			gsserr_log(maj, min,
			    "cannot get credentials from "
			    "client keytab %s",
			    client_keytab);
		else
			gsserr_log(maj, min,
			    "no usable Kerberos credentials "
			    "in ccache %s (run kinit?)",
			    ccname);
		return -1;
	}
	*cred_out = cred;
	return 0;
}

static int
import_principal(const char *text, gss_name_t *name_out)
{
	gss_buffer_desc buf;
	OM_uint32 maj, min;

	buf.value = (void *)(uintptr_t)text;
	buf.length = strlen(text);
	maj = gss_import_name(&min, &buf, GSS_KRB5_NT_PRINCIPAL_NAME, name_out);
	if (GSS_ERROR(maj)) {
		gsserr_log(maj, min, "invalid principal name \"%s\"", text);
		return -1;
	}
	return 0;
}

/*
 * SERVICE/HOST without canonicalization: KRB5_NT_UNKNOWN makes
 * krb5_sname_to_principal use the host name as given, and take the realm
 * from domain_realm (or the referral realm).
 */
static int
service_principal(const char *service, const char *host, char *out, size_t cap)
{
	krb5_context kctx = NULL;
	krb5_principal princ = NULL;
	krb5_error_code ret;
	char *text = NULL;
	int rv = -1;

	if ((ret = krb5_init_context(&kctx)) != 0) {
		log_err("cannot initialise Kerberos: %s", error_message(ret));
		return -1;
	}
	ret = krb5_sname_to_principal(kctx, host, service, KRB5_NT_UNKNOWN,
	    &princ);
	if (ret == 0)
		ret = krb5_unparse_name(kctx, princ, &text);
	if (ret != 0) {
		const char *m = krb5_get_error_message(kctx, ret);

		log_err("cannot form principal for service %s on host %s: %s",
		    service, host, m);
		krb5_free_error_message(kctx, m);
		goto cleanup;
	}
	if (strlen(text) >= cap) {
		log_err("principal for %s on %s is too long", service, host);
		goto cleanup;
	}
	memcpy(out, text, strlen(text) + 1);
	rv = 0;
cleanup:
	krb5_free_unparsed_name(kctx, text);
	krb5_free_principal(kctx, princ);
	krb5_free_context(kctx);
	return rv;
}

int
creds_target(const char *service, const char *host, const char *principal,
    gss_name_t *name_out, char *desc, size_t cap)
{
	if (principal != NULL) {
		snprintf(desc, cap, "%s", principal);
		return import_principal(principal, name_out);
	}
	if (service_principal(service, host, desc, cap) == -1)
		return -1;
	return import_principal(desc, name_out);
}

/*
 * Kept as its own function so that the ASan run can name it: MIT krb5 1.20
 * leaks a principal inside gss_acquire_cred_from() when the keytab has no
 * matching key (tests/lsan.supp).
 */
static OM_uint32
acquire_acceptor(OM_uint32 *minor, gss_name_t name,
    gss_const_key_value_set_t store, gss_cred_id_t *cred_out)
{
	return gss_acquire_cred_from(minor, name, GSS_C_INDEFINITE, mechs(),
	    GSS_C_ACCEPT, store, cred_out, NULL, NULL);
}

/* Name the keytab MIT will use, for messages when none was given. */
static void
keytab_name(const char *keytab, char *buf, size_t cap)
{
	krb5_context kctx;

	snprintf(buf, cap, "%s", keytab != NULL ? keytab : "(default)");
	if (keytab != NULL || krb5_init_context(&kctx) != 0)
		return;
	if (krb5_kt_default_name(kctx, buf, (int)cap) != 0)
		snprintf(buf, cap, "(default)");
	krb5_free_context(kctx);
}

/*
 * After a failed acquisition: when the keytab itself cannot be read
 * (missing, no permission), say that rather than "no key". Returns 1 when
 * it logged so.
 */
static int
keytab_unreadable(const char *ktname)
{
	krb5_context kctx;
	krb5_keytab kt;
	krb5_kt_cursor cur;
	krb5_error_code ret;
	const char *msg;

	if (krb5_init_context(&kctx) != 0)
		return 0;
	if ((ret = krb5_kt_resolve(kctx, ktname, &kt)) == 0) {
		if ((ret = krb5_kt_start_seq_get(kctx, kt, &cur)) == 0)
			(void)krb5_kt_end_seq_get(kctx, kt, &cur);
		(void)krb5_kt_close(kctx, kt);
	}
	if (ret != 0) {
		msg = krb5_get_error_message(kctx, ret);
		log_err("cannot read keytab %s as uid %u: %s", ktname,
		    (unsigned int)geteuid(), msg);
		krb5_free_error_message(kctx, msg);
	}
	krb5_free_context(kctx);
	return ret != 0;
}

int
creds_acceptor(const char *keytab, const char *service, const char *principal,
    gss_cred_id_t *cred_out, char *desc, size_t cap)
{
	gss_key_value_element_desc el[1];
	gss_key_value_set_desc store = { 0, el };
	gss_name_t name = GSS_C_NO_NAME;
	gss_buffer_desc buf;
	OM_uint32 maj, min;
	gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
	char ktname[512];
	int rv = -1;

	if (principal != NULL) {
		snprintf(desc, cap, "%s", principal);
		if (import_principal(principal, &name) == -1)
			return -1;
	} else if (service == NULL) {
		snprintf(desc, cap, "any principal"); /* GSS_C_NO_NAME */
	} else {
		/* A host-based name without a host: any host in the keytab. */
		snprintf(desc, cap, "%s/*", service);
		buf.value = (void *)(uintptr_t)service;
		buf.length = strlen(service);
		maj = gss_import_name(&min, &buf, GSS_C_NT_HOSTBASED_SERVICE,
		    &name);
		if (GSS_ERROR(maj)) {
			gsserr_log(maj, min, "invalid service name \"%s\"",
			    service);
			return -1;
		}
	}
	if (keytab != NULL) {
		el[0].key = "keytab";
		el[0].value = keytab;
		store.count = 1;
	}
	maj = acquire_acceptor(&min, name, &store, &cred);
	if (GSS_ERROR(maj)) {
		keytab_name(keytab, ktname, sizeof(ktname));
		if (!keytab_unreadable(ktname))
			gsserr_log(maj, min, "no key for %s in keytab %s", desc,
			    ktname);
		goto cleanup;
	}
	*cred_out = cred;
	rv = 0;
cleanup:
	gss_release_name(&min, &name);
	return rv;
}

void
creds_keytab_warn(const char *keytab)
{
	char ktname[512];
	const char *path = ktname;
	struct stat st;

	keytab_name(keytab, ktname, sizeof(ktname));
	if (strncmp(path, "FILE:", 5) == 0)
		path += 5;
	else if (strncmp(path, "WRFILE:", 7) == 0)
		path += 7;
	else if (strchr(path, ':') != NULL && path[0] != '/')
		return; /* not a file: MEMORY:, KEYRING:, ... */
	if (stat(path, &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)) != 0)
		log_warn("keytab %s is readable by %s (mode %04o): whoever "
			 "can read it can impersonate the service; "
			 "chmod go-r it",
		    path, (st.st_mode & S_IROTH) ? "others" : "its group",
		    (unsigned int)(st.st_mode & 07777));
}
