/* Record protection, GSS-API or native: see protect.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>

#include "cfx.h"
#include "kcrypto.h"
#include "gsserr.h"
#include "context.h"
#include "enctype.h"
#include "log.h"
#include "protect.h"

struct protect {
	gss_ctx_id_t ctx; /* GSS-API implementation */
	struct cfx *cfx;  /* native implementation */
	char peer[256];
	char desc[192];
	char refusal[192]; /* PROTECT_NATIVE not possible: why, or "" */
};

void
protect_warm_up(enum protect_mode mode)
{
	if (mode != PROTECT_GSS)
		cfx_warm_up();
}

int
protect_mode_parse(const char *s, enum protect_mode *mode_out)
{
	if (strcmp(s, "auto") == 0)
		*mode_out = PROTECT_AUTO;
	else if (strcmp(s, "native") == 0)
		*mode_out = PROTECT_NATIVE;
	else if (strcmp(s, "gss") == 0)
		*mode_out = PROTECT_GSS;
	else
		return -1;
	return 0;
}

/*
 * The native context from a lucid one: the RFC 4121 context key (the
 * acceptor's subkey when it asserted one) and the first sequence numbers.
 * Returns NULL with why in reason.
 */
static struct cfx *
from_lucid(const gss_krb5_lucid_context_v1_t *l, char *desc, size_t dcap,
    char *reason, size_t rcap)
{
	const gss_krb5_lucid_key_t *key;
	struct cfx *c;
	char name[64];

	if (l->version != 1 || l->protocol != 1) {
		snprintf(reason, rcap, "the context uses RFC 1964 tokens");
		return NULL;
	}
	key = l->cfx_kd.have_acceptor_subkey ? &l->cfx_kd.acceptor_subkey :
					       &l->cfx_kd.ctx_key;
	enctype_name((int32_t)key->type, name, sizeof(name));
	if (enctype_native((int32_t)key->type) == NULL) {
		snprintf(reason, rcap, "%s has no native implementation", name);
		return NULL;
	}
	c = cfx_new((int32_t)key->type, key->data, key->length,
	    l->cfx_kd.have_acceptor_subkey != 0, l->initiate != 0, l->send_seq,
	    l->recv_seq);
	if (c == NULL) {
		snprintf(reason, rcap, "cannot set up %s keys with OpenSSL",
		    name);
		return NULL;
	}
	snprintf(desc, dcap, "native (%s), %s",
	    cfx_stitched(c) ? "AES-NI and SHA-NI, one pass" : "OpenSSL", name);
	return c;
}

/*
 * Native protection when the record key's enctype has it. The keys are
 * read without consuming *ctx (no exported copy, whose import would cost a
 * tenth of a millisecond per session). On return either p->cfx is set and
 * *ctx deleted, or *ctx_out holds the context with why in reason, or both
 * are empty after a failure (logged).
 */
static void
try_native(struct protect *p, gss_ctx_id_t *ctx, gss_ctx_id_t *ctx_out,
    char *reason, size_t rcap)
{
	gss_krb5_lucid_context_v1_t *lucid;
	OM_uint32 min;

	if (context_lucid(*ctx, &lucid) == -1) {
		log_err("cannot read the keys of the context with %s", p->peer);
		(void)gss_delete_sec_context(&min, ctx, GSS_C_NO_BUFFER);
		return;
	}
	p->cfx = from_lucid(lucid, p->desc, sizeof(p->desc), reason, rcap);
	(void)gss_krb5_free_lucid_sec_context(&min, lucid);
	if (p->cfx != NULL) {
		(void)gss_delete_sec_context(&min, ctx, GSS_C_NO_BUFFER);
		return;
	}
	*ctx_out = *ctx;
	*ctx = GSS_C_NO_CONTEXT;
}

struct protect *
protect_new(gss_ctx_id_t *ctx, enum protect_mode mode, const char *peer)
{
	struct protect *p;
	char reason[128] = "";
	OM_uint32 min;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		log_err("out of memory");
		(void)gss_delete_sec_context(&min, ctx, GSS_C_NO_BUFFER);
		return NULL;
	}
	snprintf(p->peer, sizeof(p->peer), "%s", peer);
	if (mode == PROTECT_GSS) {
		p->ctx = *ctx;
		*ctx = GSS_C_NO_CONTEXT;
	} else
		try_native(p, ctx, &p->ctx, reason, sizeof(reason));
	if (p->cfx != NULL)
		return p;
	if (p->ctx != GSS_C_NO_CONTEXT && mode == PROTECT_NATIVE) {
		log_err("native record protection with %s is not possible: %s",
		    p->peer, reason);
		snprintf(p->refusal, sizeof(p->refusal),
		    "native record protection is required and not possible: "
		    "%s",
		    reason);
	}
	if (p->ctx == GSS_C_NO_CONTEXT) {
		if (reason[0] != '\0')
			log_err("native record protection with %s is not "
				"possible: %s",
			    p->peer, reason);
		protect_free(p);
		return NULL;
	}
	snprintf(p->desc, sizeof(p->desc), "GSS-API (gss_wrap_iov)%s%s",
	    reason[0] != '\0' ? ": " : "", reason);
	return p;
}

void
protect_free(struct protect *p)
{
	OM_uint32 min;

	if (p == NULL)
		return;
	cfx_free(p->cfx);
	if (p->ctx != GSS_C_NO_CONTEXT)
		(void)gss_delete_sec_context(&min, &p->ctx, GSS_C_NO_BUFFER);
	freezero(p, sizeof(*p));
}

const char *
protect_describe(const struct protect *p)
{
	return p->desc;
}

const char *
protect_refusal(const struct protect *p)
{
	return p->refusal[0] != '\0' ? p->refusal : NULL;
}

int
protect_is_native(const struct protect *p)
{
	return p->cfx != NULL;
}

/* One gss_iov_buffer_desc: its type and the bytes it describes. */
static void
iov_set(gss_iov_buffer_desc *v, OM_uint32 type, void *value, size_t length)
{
	v->type = type;
	v->buffer.value = value;
	v->buffer.length = length;
}

int
protect_lengths(struct protect *p, size_t len, size_t *hdr_out, size_t *pad_out,
    size_t *trl_out)
{
	gss_iov_buffer_desc iov[4];
	OM_uint32 maj, min;
	int conf = 0;

	if (p->cfx != NULL) {
		*hdr_out = cfx_header_len(p->cfx);
		*pad_out = 0;
		*trl_out = cfx_trailer_len(p->cfx);
		return 0;
	}
	iov_set(&iov[0], GSS_IOV_BUFFER_TYPE_HEADER, NULL, 0);
	iov_set(&iov[1], GSS_IOV_BUFFER_TYPE_DATA, NULL, len);
	iov_set(&iov[2], GSS_IOV_BUFFER_TYPE_PADDING, NULL, 0);
	iov_set(&iov[3], GSS_IOV_BUFFER_TYPE_TRAILER, NULL, 0);
	maj = gss_wrap_iov_length(&min, p->ctx, 1, GSS_C_QOP_DEFAULT, &conf,
	    iov, 4);
	if (GSS_ERROR(maj)) {
		gsserr_log(maj, min, "cannot size wrap tokens");
		return -1;
	}
	*hdr_out = iov[0].buffer.length;
	*pad_out = iov[2].buffer.length;
	*trl_out = iov[3].buffer.length;
	return 0;
}

int
protect_size_limit(struct protect *p, uint32_t max_token, size_t *max_out)
{
	OM_uint32 maj, min, max_in = 0;
	size_t over;

	if (p->cfx != NULL) {
		over = cfx_header_len(p->cfx) + cfx_trailer_len(p->cfx);
		*max_out = max_token > over ? max_token - over : 0;
		return 0;
	}
	maj = gss_wrap_size_limit(&min, p->ctx, 1, GSS_C_QOP_DEFAULT, max_token,
	    &max_in);
	if (GSS_ERROR(maj)) {
		gsserr_log(maj, min, "cannot compute the record size for %s",
		    p->peer);
		return -1;
	}
	*max_out = max_in;
	return 0;
}

static int
gssapi_seal(struct protect *p, uint8_t *tok, size_t hdr, size_t len, size_t pad,
    size_t trl)
{
	gss_iov_buffer_desc iov[4];
	OM_uint32 maj, min;
	int conf = 0;

	iov_set(&iov[0], GSS_IOV_BUFFER_TYPE_HEADER, tok, hdr);
	iov_set(&iov[1], GSS_IOV_BUFFER_TYPE_DATA, tok + hdr, len);
	iov_set(&iov[2], GSS_IOV_BUFFER_TYPE_PADDING, tok + hdr + len, pad);
	iov_set(&iov[3], GSS_IOV_BUFFER_TYPE_TRAILER, tok + hdr + len + pad,
	    trl);
	maj = gss_wrap_iov(&min, p->ctx, 1, GSS_C_QOP_DEFAULT, &conf, iov, 4);
	if (maj == GSS_S_COMPLETE && conf == 1)
		return 0;
	if (GSS_ERROR(maj))
		gsserr_log(maj, min, "cannot protect a record for %s", p->peer);
	else
		log_err("GSS-API refused confidentiality for %s", p->peer);
	return -1;
}

int
protect_seal(struct protect *p, uint8_t *tok, size_t hdr, size_t len,
    size_t pad, size_t trl)
{
	int rc;

	if (p->cfx == NULL)
		rc = gssapi_seal(p, tok, hdr, len, pad, trl);
	else if ((rc = cfx_wrap(p->cfx, tok, len, NULL)) != CFX_OK) {
		log_err("cannot protect a record for %s: %s", p->peer,
		    cfx_status_text(rc));
		rc = -1;
	}
	if (rc != 0)
		explicit_bzero(tok + hdr, len);
	return rc;
}

static int
gssapi_open(struct protect *p, uint8_t *tok, size_t len, uint8_t **data_out,
    size_t *dlen_out, char *why, size_t cap)
{
	gss_iov_buffer_desc iov[2];
	OM_uint32 maj, min;
	gss_qop_t qop = 0;
	char text[512];
	int conf = 0;

	iov_set(&iov[0], GSS_IOV_BUFFER_TYPE_STREAM, tok, len);
	iov_set(&iov[1], GSS_IOV_BUFFER_TYPE_DATA, NULL, 0);
	maj = gss_unwrap_iov(&min, p->ctx, &conf, &qop, iov, 2);
	/* PROTOCOL §5: supplementary bits (replay, gap, ...) are fatal. */
	if (GSS_ERROR(maj)) {
		snprintf(why, cap,
		    "integrity check failed on a record from "
		    "%s: %s",
		    p->peer, gsserr_text(maj, min, text, sizeof(text)));
		return -1;
	}
	if (maj != GSS_S_COMPLETE) {
		snprintf(why, cap,
		    "replayed, reordered or missing record from %s "
		    "(GSS status 0x%x)",
		    p->peer, (unsigned int)maj);
		return -1;
	}
	if (conf != 1) {
		snprintf(why, cap, "record from %s was not encrypted", p->peer);
		return -1;
	}
	*data_out = iov[1].buffer.value;
	*dlen_out = iov[1].buffer.length;
	return 0;
}

int
protect_open(struct protect *p, uint8_t *tok, size_t len, uint8_t **data_out,
    size_t *dlen_out, char *why, size_t cap)
{
	int st;

	if (p->cfx == NULL)
		return gssapi_open(p, tok, len, data_out, dlen_out, why, cap);
	st = cfx_unwrap(p->cfx, tok, len, data_out, dlen_out);
	if (st == CFX_OK)
		return 0;
	/* The same words as the GSS-API path for the same attacks. */
	if (st == CFX_ERR_NOT_SEALED)
		snprintf(why, cap, "record from %s was not encrypted", p->peer);
	else if (st == CFX_ERR_SEQUENCE)
		snprintf(why, cap,
		    "replayed, reordered or missing record from %s", p->peer);
	else
		snprintf(why, cap,
		    "integrity check failed on a record from %s: %s", p->peer,
		    cfx_status_text(st));
	return -1;
}
