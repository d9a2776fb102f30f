/*
 * context: what an established krb5 GSS-API context is made of, read
 * through MIT's lucid form without consuming it (its keys and their
 * enctypes), and whether it meets docs/PROTOCOL.md §4.4 (flags, anonymity,
 * channel bindings, the enctypes of the ticket's key and any subkey).
 */
#ifndef GSSWRAP_CONTEXT_H
#define GSSWRAP_CONTEXT_H

#include <stddef.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

/* The flags an initiator asks for and an acceptor insists on (§4.4). */
#define CONTEXT_FLAGS                                                          \
	(GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG |         \
	    GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG)

/*
 * context_lucid(ctx, lucid_out): the keys of an established krb5 context
 * (MIT's lucid context, version 1), read without consuming ctx (unlike
 * gss_krb5_export_lucid_sec_context). The caller releases *lucid_out with
 * gss_krb5_free_lucid_sec_context, which wipes the keys. Returns 0 or -1.
 */
int context_lucid(gss_ctx_id_t ctx, gss_krb5_lucid_context_v1_t **lucid_out);

/* The enctypes of a context's keys (PROTOCOL §4.4). */
struct context_keys {
	/*
	 * The ticket's session key: the context key, which is the
	 * initiator's subkey when it sent one (MIT, Heimdal and Windows
	 * initiators make it of the ticket session key's type).
	 */
	int ticket;
	int subkey; /* the acceptor's subkey (RFC 4121 §2), or -1: none */
};

/* context_keys(lucid, keys_out): the enctypes of lucid's keys. */
void context_keys(const gss_krb5_lucid_context_v1_t *lucid,
    struct context_keys *keys_out);

/*
 * context_record_enctype(keys): the enctype RFC 4121 tokens are
 * protected with: the acceptor's subkey when there is one.
 */
int context_record_enctype(const struct context_keys *keys);

/*
 * context_verify(ctx, ret_flags, acceptor, reason, cap): PROTOCOL §4.4.
 * Returns 0, or -1 with reason naming what is missing.
 */
int context_verify(gss_ctx_id_t ctx, OM_uint32 ret_flags, int acceptor,
    char *reason, size_t cap);

#endif
