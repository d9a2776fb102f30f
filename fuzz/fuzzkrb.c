/* The realm side of the GSS-API harnesses: see fuzzkrb.h. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gssapi/gssapi_krb5.h>

#include "fuzzkrb.h"
#include "gsserr.h"
#include "handshake.h"
#include "log.h"

void
fuzzkrb_die(const char *what, OM_uint32 maj, OM_uint32 min)
{
	char text[512];

	fprintf(stderr, "fuzz: %s: %s\n", what,
	    gsserr_text(maj, min, text, sizeof(text)));
	exit(1);
}

void
fuzzkrb_init(const char *prog)
{
	if (getenv("KRB5_CONFIG") == NULL || getenv("KRB5_KTNAME") == NULL ||
	    getenv("KRB5CCNAME") == NULL) {
		fprintf(stderr,
		    "%s: no test realm in the environment; run it through "
		    "fuzz/run (make fuzz-run), or start one with "
		    "kdc-test/realm start DIR and source DIR/env\n",
		    prog);
		exit(1);
	}
	/* Inputs reuse one ticket many times a second: no replay cache. */
	setenv("KRB5RCACHETYPE", "none", 1);
	log_init(prog, getenv("FUZZ_LOG") ? 1 : 0,
	    0); /* failures are what the inputs are for */
}

gss_cred_id_t
fuzzkrb_acceptor_cred(void)
{
	gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
	OM_uint32 maj, min;

	maj = gss_acquire_cred(&min, GSS_C_NO_NAME, GSS_C_INDEFINITE,
	    GSS_C_NO_OID_SET, GSS_C_ACCEPT, &cred, NULL, NULL);
	if (GSS_ERROR(maj))
		fuzzkrb_die("the service keytab", maj, min);
	return cred;
}

static gss_name_t
target(void)
{
	static gss_name_t name = GSS_C_NO_NAME;
	gss_buffer_desc buf;
	OM_uint32 maj, min;

	if (name == GSS_C_NO_NAME) {
		buf.value = (void *)(uintptr_t) "host@localhost";
		buf.length = strlen("host@localhost");
		maj = gss_import_name(&min, &buf, GSS_C_NT_HOSTBASED_SERVICE,
		    &name);
		if (GSS_ERROR(maj))
			fuzzkrb_die("host@localhost", maj, min);
	}
	return name;
}

OM_uint32
fuzzkrb_initiate(gss_ctx_id_t *ctx, OM_uint32 flags, int bound, gss_buffer_t in,
    gss_buffer_t out)
{
	OM_uint32 min;

	return gss_init_sec_context(&min, GSS_C_NO_CREDENTIAL, ctx, target(),
	    (gss_OID)gss_mech_krb5, flags, 0,
	    bound ? handshake_bindings() : GSS_C_NO_CHANNEL_BINDINGS, in, NULL,
	    out, NULL, NULL);
}

void
fuzzkrb_pair_flags(OM_uint32 flags, gss_ctx_id_t *init_out,
    gss_ctx_id_t *accept_out)
{
	gss_cred_id_t cred = fuzzkrb_acceptor_cred();
	gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
	gss_buffer_desc tok = GSS_C_EMPTY_BUFFER, back = GSS_C_EMPTY_BUFFER;
	OM_uint32 maj, min, want;

	/* Without mutual authentication there is no reply token. */
	want = (flags & GSS_C_MUTUAL_FLAG) ? GSS_S_CONTINUE_NEEDED :
					     GSS_S_COMPLETE;
	maj = fuzzkrb_initiate(&ictx, flags, 1, GSS_C_NO_BUFFER, &tok);
	if (maj != want)
		fuzzkrb_die("alice's first token", maj, 0);
	maj = gss_accept_sec_context(&min, &actx, cred, &tok,
	    handshake_bindings(), NULL, NULL, &back, NULL, NULL, NULL);
	if (maj != GSS_S_COMPLETE)
		fuzzkrb_die("accepting alice", maj, min);
	gss_release_buffer(&min, &tok);
	if (want == GSS_S_CONTINUE_NEEDED) {
		maj = fuzzkrb_initiate(&ictx, flags, 1, &back, &tok);
		if (maj != GSS_S_COMPLETE)
			fuzzkrb_die("the service's reply", maj, 0);
	}
	gss_release_buffer(&min, &back);
	gss_release_cred(&min, &cred);
	*init_out = ictx;
	*accept_out = actx;
}

void
fuzzkrb_pair(gss_ctx_id_t *init_out, gss_ctx_id_t *accept_out)
{
	fuzzkrb_pair_flags(CONTEXT_FLAGS, init_out, accept_out);
}
