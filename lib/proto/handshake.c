/* Preamble and context establishment: docs/PROTOCOL.md §3-§4. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>

#include "context.h"
#include "frame.h"
#include "gsserr.h"
#include "handshake.h"
#include "io.h"
#include "log.h"
#include "principal.h"
#include "status.h"

/* PROTOCOL §4.2: null addresses, the protocol name as application data. */
struct gss_channel_bindings_struct *
handshake_bindings(void)
{
	static struct gss_channel_bindings_struct cb;

	memset(&cb, 0, sizeof(cb));
	cb.initiator_addrtype = GSS_C_AF_NULLADDR;
	cb.acceptor_addrtype = GSS_C_AF_NULLADDR;
	cb.application_data.length = strlen(FRAME_CB_DATA);
	cb.application_data.value = (void *)(uintptr_t)FRAME_CB_DATA;
	return &cb;
}

/* Whether the last I/O failure was the deadline (for the ERROR code). */
static int timed_out;

static int
io_fail(const char *peer, const char *what, ssize_t got)
{
	timed_out = (got < 0 && errno == ETIMEDOUT);
	if (got >= 0)
		log_err("%s closed the connection %s", peer, what);
	else if (errno == ETIMEDOUT)
		log_err("timed out %s with %s", what, peer);
	else
		log_err("connection to %s failed %s: %s", peer, what,
		    strerror(errno));
	return got >= 0 ? STATUS_TRUNC : STATUS_SYS;
}

/* Send one frame; returns 0 or -1 with errno, logging nothing. */
static int
write_frame(int fd, uint8_t type, const void *body, size_t len,
    int64_t deadline)
{
	uint8_t hdr[FRAME_HDR_LEN];

	frame_header_encode(hdr, type, (uint32_t)len);
	if (io_write_full(fd, hdr, sizeof(hdr), deadline) == -1 ||
	    io_write_full(fd, body, len, deadline) == -1)
		return -1;
	return 0;
}

static int
send_frame(int fd, uint8_t type, const void *body, size_t len, const char *peer,
    int64_t deadline)
{
	if (write_frame(fd, type, body, len, deadline) == -1)
		return io_fail(peer, "during authentication", -1);
	return 0;
}

/*
 * Read one frame of an allowed type; the body is allocated after the cap.
 * peer NULL: quiet (nothing logged).
 */
static int
recv_frame(int fd, const char *peer, int64_t deadline, uint8_t *type_out,
    uint8_t **body_out, uint32_t *len_out)
{
	uint8_t hdr[FRAME_HDR_LEN], *body, type;
	uint32_t len;
	ssize_t got;
	int rc;

	got = io_read_full(fd, hdr, sizeof(hdr), deadline);
	if (got != (ssize_t)sizeof(hdr))
		return peer ? io_fail(peer, "during authentication", got) :
			      STATUS_SYS;
	rc = frame_header_decode(hdr,
	    (1u << FRAME_CONTEXT) | (1u << FRAME_ERROR), FRAME_MAX_CTX_TOKEN,
	    &type, &len);
	if (rc == FRAME_OK && type == FRAME_ERROR &&
	    len > FRAME_MAX_ERROR_TOKEN)
		rc = FRAME_ELENGTH;
	if (rc != FRAME_OK) {
		if (peer != NULL)
			log_err("protocol violation from %s during "
				"authentication: %s (type 0x%02x, length %u)",
			    peer, frame_error_text(rc), hdr[0],
			    (unsigned int)frame_header_length(hdr));
		return STATUS_PROTO;
	}
	if ((body = malloc(len)) == NULL) {
		log_err("out of memory");
		return STATUS_SYS;
	}
	got = io_read_full(fd, body, len, deadline);
	if (got != (ssize_t)len) {
		free(body);
		return peer ? io_fail(peer, "during authentication", got) :
			      STATUS_SYS;
	}
	*type_out = type;
	*body_out = body;
	*len_out = len;
	return 0;
}

static int
send_preamble(int fd, const char *peer, int64_t deadline)
{
	uint8_t pre[FRAME_PREAMBLE_LEN];

	frame_preamble_encode(pre, FRAME_VERSION);
	if (io_write_full(fd, pre, sizeof(pre), deadline) == -1)
		return io_fail(peer, "sending the preamble", -1);
	return 0;
}

/* PROTOCOL §3 */
static int
recv_preamble(int fd, const char *peer, int64_t deadline)
{
	uint8_t pre[FRAME_PREAMBLE_LEN], version;
	char shown[FRAME_PREAMBLE_LEN + 1];
	ssize_t got;
	int rc;

	got = io_read_full(fd, pre, sizeof(pre), deadline);
	if (got < 0)
		return io_fail(peer, "waiting for the preamble", -1);
	rc = FRAME_EBADMAGIC;
	if (got == (ssize_t)sizeof(pre))
		rc = frame_preamble_decode(pre, &version);
	switch (rc) {
	case FRAME_OK:
		break;
	case FRAME_EVERSION:
		log_err("%s announced protocol version 0", peer);
		return STATUS_PROTO;
	default:
		frame_printable(pre, (size_t)got, shown, sizeof(shown));
		if (got == 0)
			log_err("%s closed the connection before the "
				"gsswrap preamble",
			    peer);
		else
			log_err("%s is not a gsswrap peer (it sent \"%s\")",
			    peer, shown);
		return got == 0 ? STATUS_TRUNC : STATUS_PROTO;
	}
	/* Version 1 is the only one: min(ours, theirs) is always 1. */
	return 0;
}

/*
 * The acceptor may have refused before reading anything (server busy): its
 * ERROR frame can be waiting even though our token could not be sent.
 */
static int
refused_early(int fd, const char *peer, const char *target_desc)
{
	uint8_t *body = NULL, type;
	uint32_t len;
	int rc = 0;

	if (recv_frame(fd, NULL, io_now_ms() + 1000, &type, &body, &len) == 0 &&
	    type == FRAME_ERROR) {
		log_err("%s refused authentication as %s: %s", peer,
		    target_desc, frame_error_name(body[0]));
		rc = body[0] == FRAME_ERR_BUSY ? STATUS_SYS : STATUS_AUTH;
	}
	free(body);
	return rc;
}

/*
 * Sending our first token failed. A peer that hung up at once may have
 * said what it is (an ssh banner) or why (an ERROR frame): report that
 * rather than EPIPE.
 */
static int
send_failed(int fd, const char *peer, const char *target_desc, int first)
{
	int e = errno, rc;

	if (first &&
	    ((rc = recv_preamble(fd, peer, io_now_ms() + 1000)) != 0 ||
		(rc = refused_early(fd, peer, target_desc)) != 0))
		return rc;
	errno = e;
	return io_fail(peer, "during authentication", -1);
}

static int
mech_is_krb5(gss_OID mech)
{
	return mech != GSS_C_NO_OID && mech->length == gss_mech_krb5->length &&
	    memcmp(mech->elements, gss_mech_krb5->elements, mech->length) == 0;
}

/* Let the initiator's GSS library explain a KRB-ERROR token (§4.3). */
static void
explain_error(gss_cred_id_t cred, gss_ctx_id_t *ctx, gss_name_t target,
    uint8_t *body, uint32_t len, const char *target_desc, const char *peer)
{
	gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
	OM_uint32 maj, min, rmin;
	uint8_t code = body[0];

	if (len > 1 && *ctx != GSS_C_NO_CONTEXT) {
		in.value = body + 1;
		in.length = len - 1;
		maj = gss_init_sec_context(&min, cred, ctx, target,
		    (gss_OID)gss_mech_krb5, CONTEXT_FLAGS, 0,
		    handshake_bindings(), &in, NULL, &out, NULL, NULL);
		gss_release_buffer(&rmin, &out); /* min is reported below */
		if (GSS_ERROR(maj)) {
			gsserr_log(maj, min,
			    "%s refused authentication as "
			    "%s: %s",
			    peer, target_desc, frame_error_name(code));
			return;
		}
	}
	log_err("%s refused authentication as %s: %s", peer, target_desc,
	    frame_error_name(code));
}

int
handshake_initiate(int fd, gss_cred_id_t cred, gss_name_t target,
    const char *target_desc, const char *peer, int64_t deadline, int delegate,
    gss_ctx_id_t *ctx_out)
{
	/* Delegation only where the KDC marked the service ok-as-delegate. */
	OM_uint32 req =
	    CONTEXT_FLAGS | (delegate ? GSS_C_DELEG_POLICY_FLAG : 0);
	gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
	gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
	OM_uint32 maj, min, flags = 0;
	gss_OID mech = GSS_C_NO_OID;
	uint8_t *body = NULL, type, errcode = FRAME_ERR_AUTH;
	uint32_t len;
	char reason[256];
	int rc, first = 1;

	if ((rc = send_preamble(fd, peer, deadline)) != 0)
		return rc;
	for (;;) {
		maj = gss_init_sec_context(&min, cred, &ctx, target,
		    (gss_OID)gss_mech_krb5, req, 0, handshake_bindings(), &in,
		    &mech, &out, &flags, NULL);
		free(body);
		body = NULL;
		in.value = NULL;
		in.length = 0;
		if (GSS_ERROR(maj)) {
			gsserr_log(maj, min, "cannot authenticate to %s as %s",
			    peer, target_desc);
			rc = STATUS_AUTH;
			goto fail;
		}
		if (out.length > 0) {
			rc = write_frame(fd, FRAME_CONTEXT, out.value,
			    out.length, deadline);
			gss_release_buffer(&min, &out);
			if (rc != 0) {
				rc = send_failed(fd, peer, target_desc, first);
				goto cleanup;
			}
		}
		if (first) {
			/* The acceptor's preamble, read after our first token.
			 */
			first = 0;
			if ((rc = recv_preamble(fd, peer, deadline)) != 0)
				goto cleanup;
		}
		if (maj == GSS_S_COMPLETE)
			break;
		if ((rc = recv_frame(fd, peer, deadline, &type, &body, &len)) !=
		    0)
			goto cleanup;
		if (type == FRAME_ERROR) {
			explain_error(cred, &ctx, target, body, len,
			    target_desc, peer);
			/* A busy server is not an authentication failure. */
			rc = body[0] == FRAME_ERR_BUSY ? STATUS_SYS :
							 STATUS_AUTH;
			goto cleanup;
		}
		in.value = body;
		in.length = len;
	}
	if (!mech_is_krb5(mech)) {
		log_err("%s: the negotiated mechanism is not Kerberos 5", peer);
		rc = STATUS_AUTH;
		goto cleanup;
	}
	if (context_verify(ctx, flags, 0, reason, sizeof(reason)) == -1) {
		log_err("refusing the session with %s: %s", peer, reason);
		rc = STATUS_AUTH;
		goto cleanup;
	}
	*ctx_out = ctx;
	return 0;
fail:
	/* Tell the acceptor we gave up; it may log why. */
	(void)send_frame(fd, FRAME_ERROR, &errcode, 1, peer,
	    io_now_ms() + 1000);
cleanup:
	free(body);
	if (ctx != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
	return rc;
}

static void
send_error(int fd, uint8_t code, gss_buffer_t token, const char *peer)
{
	uint8_t *body;
	size_t len = 1 + (token != NULL ? token->length : 0);

	if (len > FRAME_MAX_ERROR_TOKEN || (body = malloc(len)) == NULL)
		return;
	body[0] = code;
	if (len > 1)
		memcpy(body + 1, token->value, len - 1);
	(void)send_frame(fd, FRAME_ERROR, body, len, peer, io_now_ms() + 1000);
	free(body);
}

/* The principals of an established context, whole: client and acceptor. */
static int
names(gss_ctx_id_t ctx, gss_name_t client, const char *peer,
    struct principal *client_out, struct principal *service_out)
{
	gss_name_t target = GSS_C_NO_NAME;
	OM_uint32 maj, min;
	char why[256];

	if (principal_from_gss(client, client_out, why, sizeof(why)) == -1) {
		log_err("the client principal of %s is unusable: %s", peer,
		    why);
		return -1;
	}
	maj = gss_inquire_context(&min, ctx, NULL, &target, NULL, NULL, NULL,
	    NULL, NULL);
	if (GSS_ERROR(maj)) {
		gsserr_log(maj, min, "cannot inquire the security context");
		return -1;
	}
	if (principal_from_gss(target, service_out, why, sizeof(why)) == -1) {
		log_err("the service principal is unusable: %s", why);
		gss_release_name(&min, &target);
		principal_clear(client_out);
		return -1;
	}
	gss_release_name(&min, &target);
	return 0;
}

/*
 * Why a handshake failed before the context was established, in the words
 * of gsswrapd(8), LOGGING: a plain client, one gone or too slow, and one
 * whose Kerberos failed are told apart (fail2ban-style banning needs that).
 */
static void
why_io(int rc, int preamble, char *why, size_t cap)
{
	if (timed_out)
		snprintf(why, cap, "handshake timeout");
	else if (rc == STATUS_PROTO)
		snprintf(why, cap, "%s",
		    preamble ? "not a gsswrap peer" :
			       "protocol violation during the handshake");
	else if (rc == STATUS_TRUNC)
		snprintf(why, cap, "%s",
		    preamble ? "closed before the handshake" :
			       "closed during the handshake");
	else
		snprintf(why, cap, "network failure during the handshake");
}

/* Map a failure to its ERROR frame code. */
static uint8_t
error_code(int status)
{
	switch (status) {
	case STATUS_PROTO:
		return FRAME_ERR_PROTOCOL;
	case STATUS_SYS:
		return timed_out ? FRAME_ERR_TIMEOUT : FRAME_ERR_INTERNAL;
	default:
		return FRAME_ERR_AUTH;
	}
}

int
handshake_accept(int fd, gss_cred_id_t cred, const char *peer, int64_t deadline,
    gss_ctx_id_t *ctx_out, struct principal *client_out,
    struct principal *service_out, gss_cred_id_t *deleg_out, char *why,
    size_t why_cap)
{
	gss_cred_id_t deleg = GSS_C_NO_CREDENTIAL;
	gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
	gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
	gss_name_t client = GSS_C_NO_NAME;
	OM_uint32 maj, min, flags = 0;
	gss_OID mech = GSS_C_NO_OID;
	uint8_t *body = NULL, type;
	uint32_t len;
	char reason[256];
	int rc;

	timed_out = 0;
	if ((rc = send_preamble(fd, peer, deadline)) != 0 ||
	    (rc = recv_preamble(fd, peer, deadline)) != 0) {
		why_io(rc, 1, why, why_cap);
		return rc;
	}
	do {
		if ((rc = recv_frame(fd, peer, deadline, &type, &body, &len)) !=
		    0) {
			why_io(rc, 0, why, why_cap);
			if (rc == STATUS_PROTO || timed_out)
				send_error(fd, error_code(rc), NULL, peer);
			goto cleanup;
		}
		if (type == FRAME_ERROR) {
			log_err("%s abandoned authentication: %s", peer,
			    frame_error_name(body[0]));
			snprintf(why, why_cap,
			    "client gave up authentication: %s",
			    frame_error_name(body[0]));
			rc = STATUS_AUTH;
			goto cleanup;
		}
		in.value = body;
		in.length = len;
		/* Without deleg_out, MIT discards delegated credentials. */
		maj = gss_accept_sec_context(&min, &ctx, cred, &in,
		    handshake_bindings(), &client, &mech, &out, &flags, NULL,
		    deleg_out != NULL ? &deleg : NULL);
		free(body);
		body = NULL;
		if (GSS_ERROR(maj)) {
			char text[200];

			gsserr_log(maj, min, "authentication of %s failed",
			    peer);
			snprintf(why, why_cap, "Kerberos: %s",
			    gsserr_text(maj, min, text, sizeof(text)));
			send_error(fd, FRAME_ERR_AUTH, &out, peer);
			gss_release_buffer(&min, &out);
			rc = STATUS_AUTH;
			goto cleanup;
		}
		if (out.length > 0) {
			rc = send_frame(fd, FRAME_CONTEXT, out.value,
			    out.length, peer, deadline);
			gss_release_buffer(&min, &out);
			if (rc != 0) {
				why_io(rc, 0, why, why_cap);
				goto cleanup;
			}
		}
	} while (maj != GSS_S_COMPLETE);
	/* A refusal from here on is told to the client in an ABORT. */
	if (names(ctx, client, peer, client_out, service_out) == -1) {
		snprintf(why, why_cap, "unusable principal name");
		rc = STATUS_AUTH;
		*ctx_out = ctx;
		ctx = GSS_C_NO_CONTEXT;
		goto cleanup;
	}
	if (!mech_is_krb5(mech)) {
		snprintf(reason, sizeof(reason),
		    "the negotiated mechanism is not Kerberos 5");
		rc = STATUS_AUTH;
	} else if (context_verify(ctx, flags, 1, reason, sizeof(reason)) == -1)
		rc = STATUS_AUTH;
	if (rc != 0) {
		log_err("refusing %s from %s: %s", client_out->name, peer,
		    reason);
		snprintf(why, why_cap, "security requirements not met");
		*ctx_out = ctx;
		ctx = GSS_C_NO_CONTEXT;
		goto cleanup;
	}
	*ctx_out = ctx;
	ctx = GSS_C_NO_CONTEXT;
	if (deleg_out != NULL && (flags & GSS_C_DELEG_FLAG)) {
		*deleg_out = deleg;
		deleg = GSS_C_NO_CREDENTIAL;
	}
cleanup:
	free(body);
	gss_release_name(&min, &client);
	gss_release_cred(&min, &deleg);
	if (ctx != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
	return rc;
}

void
handshake_refuse(int fd, uint8_t code, const char *peer, int64_t deadline)
{
	uint8_t pre[FRAME_PREAMBLE_LEN];

	frame_preamble_encode(pre, FRAME_VERSION);
	if (io_write_full(fd, pre, sizeof(pre), deadline) == 0)
		send_error(fd, code, NULL, peer);
}
