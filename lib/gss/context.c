/*
 * The keys of an established context and PROTOCOL §4.4's checks of it
 * (context.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>

#include "context.h"
#include "enctype.h"
#include "log.h"

/*
 * DER of 1.2.840.113554.1.2.2.5.6 with the structure version (1) appended:
 * what MIT's gss_krb5_export_lucid_sec_context asks the mechanism for
 * before it deletes the context. Asked directly, the context stays usable.
 */
static const uint8_t lucid_v1_oid[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12,
	0x01, 0x02, 0x02, 0x05, 0x06, 0x01 };

/* With -v: what protects the session, and for how long. */
static void
log_context(gss_ctx_id_t ctx, const struct context_keys *k)
{
	OM_uint32 min, lifetime = 0;
	char name[64], ticket[64];

	if (!log_verbose())
		return;
	enctype_name(context_record_enctype(k), name, sizeof(name));
	enctype_name(k->ticket, ticket, sizeof(ticket));
	(void)gss_context_time(&min, ctx, &lifetime);
	log_debug("session key %s%s%s, ticket valid for %u more seconds", name,
	    k->subkey >= 0 && k->subkey != k->ticket ?
		" (acceptor subkey), ticket session key " :
		"",
	    k->subkey >= 0 && k->subkey != k->ticket ? ticket : "",
	    (unsigned int)lifetime);
}

int
context_lucid(gss_ctx_id_t ctx, gss_krb5_lucid_context_v1_t **lucid_out)
{
	gss_OID_desc oid = { sizeof(lucid_v1_oid), (void *)lucid_v1_oid };
	gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
	gss_krb5_lucid_context_v1_t *l;
	OM_uint32 maj, min;
	void *ptr = NULL;

	/* The one element is the address of the lucid structure. */
	maj = gss_inquire_sec_context_by_oid(&min, ctx, &oid, &set);
	if (GSS_ERROR(maj) || set == GSS_C_NO_BUFFER_SET)
		return -1;
	if (set->count == 1 && set->elements[0].length == sizeof(ptr))
		memcpy(&ptr, set->elements[0].value, sizeof(ptr));
	gss_release_buffer_set(&min, &set);
	l = ptr;
	if (l == NULL)
		return -1;
	if (l->version != 1 || (l->protocol != 0 && l->protocol != 1)) {
		(void)gss_krb5_free_lucid_sec_context(&min, l);
		return -1;
	}
	*lucid_out = l;
	return 0;
}

void
context_keys(const gss_krb5_lucid_context_v1_t *l,
    struct context_keys *keys_out)
{
	if (l->protocol == 0) {
		/*
		 * RFC 1964 contexts export MIT's sequence key, which for DES3
		 * has the raw type: name the ticket's.
		 */
		keys_out->ticket = (int)l->rfc1964_kd.ctx_key.type;
		if (keys_out->ticket == ENCTYPE_DES3_CBC_RAW)
			keys_out->ticket = ENCTYPE_DES3_CBC_SHA1;
		keys_out->subkey = -1;
		return;
	}
	keys_out->ticket = (int)l->cfx_kd.ctx_key.type;
	keys_out->subkey = l->cfx_kd.have_acceptor_subkey ?
	    (int)l->cfx_kd.acceptor_subkey.type :
	    -1;
}

int
context_record_enctype(const struct context_keys *k)
{
	return k->subkey >= 0 ? k->subkey : k->ticket;
}

/*
 * PROTOCOL §4.4 item 3: the ticket's session key protects the
 * authenticator and the AP-REP that carries any acceptor subkey, so both
 * must be strong, not only the key records are protected with.
 */
static int
enctypes_ok(gss_ctx_id_t ctx, char *reason, size_t cap)
{
	gss_krb5_lucid_context_v1_t *l;
	struct context_keys k;
	const char *which = "ticket session key";
	char name[64], sub[128] = "";
	OM_uint32 min;
	int bad;

	if (context_lucid(ctx, &l) == -1) {
		snprintf(reason, cap,
		    "cannot read the session keys of the context");
		return -1;
	}
	context_keys(l, &k);
	(void)gss_krb5_free_lucid_sec_context(&min, l);
	bad = k.ticket;
	if (enctype_allowed(k.ticket)) {
		if (k.subkey < 0 || enctype_allowed(k.subkey)) {
			log_context(ctx, &k);
			return 0;
		}
		which = "acceptor subkey";
		bad = k.subkey;
	}
	if (bad == k.ticket && k.subkey >= 0 && k.subkey != k.ticket) {
		enctype_name(k.subkey, name, sizeof(name));
		snprintf(sub, sizeof(sub),
		    ", even with an acceptor subkey of %s", name);
	}
	enctype_name(bad, name, sizeof(name));
	snprintf(reason, cap,
	    "%s enctype %d (%s) is not allowed%s "
	    "(RC4, DES and DES3 are refused)",
	    which, bad, name, sub);
	return -1;
}

int
context_verify(gss_ctx_id_t ctx, OM_uint32 flags, int acceptor, char *reason,
    size_t cap)
{
	static const struct {
		OM_uint32 flag;
		const char *name;
	} need[] = {
		{ GSS_C_MUTUAL_FLAG, "mutual authentication" },
		{ GSS_C_REPLAY_FLAG, "replay detection" },
		{ GSS_C_SEQUENCE_FLAG, "sequence checking" },
		{ GSS_C_CONF_FLAG, "confidentiality" },
		{ GSS_C_INTEG_FLAG, "integrity" },
	};
	size_t i;

	/* PROTOCOL §4.4 item 2: on the acceptor, flags are the client's ask. */
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if ((flags & need[i].flag) == 0) {
			snprintf(reason, cap, "the security context lacks %s",
			    need[i].name);
			return -1;
		}
	}
	/* Anonymous (RFC 6112) tickets authenticate nobody. */
	if (acceptor && (flags & GSS_C_ANON_FLAG) != 0) {
		snprintf(reason, cap, "the client is anonymous");
		return -1;
	}
	if (acceptor && (flags & GSS_C_CHANNEL_BOUND_FLAG) == 0) {
		snprintf(reason, cap,
		    "the client did not send gsswrap "
		    "channel bindings");
		return -1;
	}
	return enctypes_ok(ctx, reason, cap);
}
