/*
 * hostile-client: a deliberately misbehaving gsswrap initiator for tests.
 * It speaks the preamble and frames of docs/PROTOCOL.md but establishes
 * its context with the flags and channel bindings it is told to, to check
 * that gsswrapd verifies what the client asked for (§4.4) instead of
 * trusting it.
 *
 *   hostile-client [-C none|wrong] [-F FLAG]... [-M MODE] HOST PORT PRINCIPAL
 *
 * -C none sends no channel bindings, -C wrong other application data;
 * -F drops one requested flag: mutual, replay, sequence, conf, integ.
 * -H MAX_RECORD announces that limit in the HELLO (e.g. below the minimum).
 * After establishment it sends a HELLO and prints what the server sent
 * back: "abort CODE TEXT", "hello", or "closed". With -M, after the
 * server's HELLO it misbehaves in the protected phase and prints the
 * server's answer the same way: noconf (a DATA record wrapped without
 * confidentiality), replay (one record sent twice), reorder (two records
 * in swapped order), exit (an EXIT record, which only a server may send),
 * late (after half a second, a DATA and an EOF record in one write),
 * oversize (a DATA record one byte over the max_record the server
 * announced). -M nohello sends no HELLO at all: it prints what the server
 * does after its own HELLO (waiting up to a minute).
 * Exit 0 when it could run the exchange, 2 on a local
 * failure.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

#include "frame.h"
#include "gsserr.h"
#include "io.h"
#include "log.h"
#include "net.h"
#include "record.h"

static int
send_frame(int fd, uint8_t type, const void *body, size_t len)
{
	uint8_t hdr[FRAME_HDR_LEN];

	frame_header_encode(hdr, type, (uint32_t)len);
	return io_write_full(fd, hdr, sizeof(hdr), io_deadline(10)) == 0 &&
		io_write_full(fd, body, len, io_deadline(10)) == 0 ?
	    0 :
	    -1;
}

static uint8_t *
recv_frame(int fd, uint8_t *type, uint32_t *len)
{
	uint8_t hdr[FRAME_HDR_LEN], *body;

	if (io_read_full(fd, hdr, sizeof(hdr), io_deadline(10)) !=
		(ssize_t)sizeof(hdr) ||
	    frame_header_decode(hdr, 0xe, 1 << 20, type, len) != FRAME_OK ||
	    (body = malloc(*len)) == NULL)
		return NULL;
	if (io_read_full(fd, body, *len, io_deadline(10)) != (ssize_t)*len) {
		free(body);
		return NULL;
	}
	return body;
}

static OM_uint32
flag_named(const char *name)
{
	if (strcmp(name, "mutual") == 0)
		return GSS_C_MUTUAL_FLAG;
	if (strcmp(name, "replay") == 0)
		return GSS_C_REPLAY_FLAG;
	if (strcmp(name, "sequence") == 0)
		return GSS_C_SEQUENCE_FLAG;
	if (strcmp(name, "conf") == 0)
		return GSS_C_CONF_FLAG;
	if (strcmp(name, "integ") == 0)
		return GSS_C_INTEG_FLAG;
	fprintf(stderr, "unknown flag %s\n", name);
	exit(2);
}

/* The len bytes at plain wrapped with gss_wrap, in a WRAP frame, in *out. */
static int
wrap_frame(gss_ctx_id_t ctx, int conf, void *plain, size_t len, uint8_t **out,
    size_t *outlen)
{
	gss_buffer_desc in, tok;
	OM_uint32 maj, min;
	int state;

	in.value = plain;
	in.length = len;
	maj = gss_wrap(&min, ctx, conf, GSS_C_QOP_DEFAULT, &in, &state, &tok);
	if (GSS_ERROR(maj) ||
	    (*out = malloc(FRAME_HDR_LEN + tok.length)) == NULL)
		return -1;
	frame_header_encode(*out, FRAME_WRAP, (uint32_t)tok.length);
	memcpy(*out + FRAME_HDR_LEN, tok.value, tok.length);
	*outlen = FRAME_HDR_LEN + tok.length;
	gss_release_buffer(&min, &tok);
	return 0;
}

/* One record of type with text as its payload (see wrap_frame). */
static int
wrap_typed(gss_ctx_id_t ctx, int conf, uint8_t type, const char *text,
    uint8_t **out, size_t *outlen)
{
	uint8_t plain[64];

	plain[0] = type;
	memcpy(plain + 1, text, strlen(text));
	return wrap_frame(ctx, conf, plain, 1 + strlen(text), out, outlen);
}

/* One DATA record of size bytes of plaintext (type included). */
static int
wrap_sized(gss_ctx_id_t ctx, size_t size, uint8_t **out, size_t *outlen)
{
	uint8_t *plain = calloc(1, size);
	int rc;

	if (plain == NULL)
		return -1;
	plain[0] = FRAME_REC_DATA;
	rc = wrap_frame(ctx, 1, plain, size, out, outlen);
	free(plain);
	return rc;
}

/* One DATA record (see wrap_typed). */
static int
wrap_record(gss_ctx_id_t ctx, int conf, const char *text, uint8_t **out,
    size_t *outlen)
{
	return wrap_typed(ctx, conf, FRAME_REC_DATA, text, out, outlen);
}

/*
 * Misbehave after the hello (-M); the context is used directly. peer_max
 * is the max_record the server announced.
 */
static int
misbehave(int fd, gss_ctx_id_t ctx, const char *mode, uint32_t peer_max)
{
	uint8_t *a = NULL, *b = NULL, *both;
	size_t alen = 0, blen = 0;
	int rc = -1;

	if (strcmp(mode, "noconf") == 0) {
		if (wrap_record(ctx, 0, "not encrypted", &a, &alen) == 0)
			rc = io_write_full(fd, a, alen, io_deadline(10));
	} else if (strcmp(mode, "replay") == 0) {
		if (wrap_record(ctx, 1, "once", &a, &alen) == 0 &&
		    io_write_full(fd, a, alen, io_deadline(10)) == 0)
			rc = io_write_full(fd, a, alen, io_deadline(10));
	} else if (strcmp(mode, "exit") == 0) {
		/* Only the acceptor may report an exit status. */
		if (wrap_typed(ctx, 1, FRAME_REC_EXIT, "\001\011", &a, &alen) ==
		    0)
			rc = io_write_full(fd, a, alen, io_deadline(10));
	} else if (strcmp(mode, "late") == 0) {
		/* DATA and EOF in one write, half a second late. */
		if (wrap_record(ctx, 1, "late", &a, &alen) == 0 &&
		    wrap_typed(ctx, 1, FRAME_REC_EOF, "", &b, &blen) == 0 &&
		    (both = realloc(a, alen + blen)) != NULL) {
			a = both;
			memcpy(a + alen, b, blen);
			usleep(500000);
			rc = io_write_full(fd, a, alen + blen, io_deadline(10));
		}
	} else if (strcmp(mode, "oversize") == 0) {
		if (wrap_sized(ctx, (size_t)peer_max + 1, &a, &alen) == 0)
			rc = io_write_full(fd, a, alen, io_deadline(10));
	} else if (strcmp(mode, "reorder") == 0) {
		if (wrap_record(ctx, 1, "first", &a, &alen) == 0 &&
		    wrap_record(ctx, 1, "second", &b, &blen) == 0 &&
		    io_write_full(fd, b, blen, io_deadline(10)) == 0)
			rc = io_write_full(fd, a, alen, io_deadline(10));
	}
	free(a);
	free(b);
	return rc;
}

/* Establish the context; returns it or NO_CONTEXT. */
static gss_ctx_id_t
establish(int fd, gss_name_t target, OM_uint32 flags, gss_channel_bindings_t cb)
{
	gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
	gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out;
	OM_uint32 maj, min;
	uint8_t pre[FRAME_PREAMBLE_LEN], *body = NULL, type;
	uint32_t len;

	frame_preamble_encode(pre, FRAME_VERSION);
	if (io_write_full(fd, pre, sizeof(pre), io_deadline(10)) == -1 ||
	    io_read_full(fd, pre, sizeof(pre), io_deadline(10)) !=
		(ssize_t)sizeof(pre))
		return GSS_C_NO_CONTEXT;
	for (;;) {
		maj = gss_init_sec_context(&min, GSS_C_NO_CREDENTIAL, &ctx,
		    target, (gss_OID)gss_mech_krb5, flags, 0, cb, &in, NULL,
		    &out, NULL, NULL);
		free(body);
		body = NULL;
		in.length = 0;
		if (GSS_ERROR(maj)) {
			gsserr_log(maj, min, "init_sec_context");
			printf("closed\n");
			return GSS_C_NO_CONTEXT;
		}
		if (out.length > 0) {
			(void)send_frame(fd, FRAME_CONTEXT, out.value,
			    out.length);
			gss_release_buffer(&min, &out);
		}
		if (maj == GSS_S_COMPLETE)
			return ctx;
		if ((body = recv_frame(fd, &type, &len)) == NULL ||
		    type != FRAME_CONTEXT) {
			printf("closed\n");
			free(body);
			return GSS_C_NO_CONTEXT;
		}
		in.value = body;
		in.length = len;
	}
}

int
main(int argc, char **argv)
{
	struct gss_channel_bindings_struct cb;
	gss_channel_bindings_t cbp = &cb;
	OM_uint32 min,
	    flags = GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG |
	    GSS_C_SEQUENCE_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
	gss_buffer_desc nb;
	gss_name_t target;
	gss_ctx_id_t ctx, keep;
	struct record *r;
	struct frame_hello h = { FRAME_VERSION, 0, RECORD_DEFAULT_MAX }, theirs;
	uint8_t hello[FRAME_HELLO_LEN], type, *p, code;
	char text[FRAME_MAX_ABORT_TEXT + 1];
	size_t len;
	const char *mode = NULL;
	int c, fd, rc, nohello;

	log_init("hostile-client", LOG_TO_STDERR, 0);
	memset(&cb, 0, sizeof(cb));
	cb.initiator_addrtype = GSS_C_AF_NULLADDR;
	cb.acceptor_addrtype = GSS_C_AF_NULLADDR;
	cb.application_data.value = (void *)(uintptr_t)FRAME_CB_DATA;
	cb.application_data.length = strlen(FRAME_CB_DATA);
	while ((c = getopt(argc, argv, "C:F:H:M:")) != -1) {
		if (c == 'M')
			mode = optarg;
		else if (c == 'H')
			h.max_record = (uint32_t)strtoul(optarg, NULL, 10);
		else if (c == 'C' && strcmp(optarg, "none") == 0)
			cbp = GSS_C_NO_CHANNEL_BINDINGS;
		else if (c == 'C' && strcmp(optarg, "wrong") == 0) {
			cb.application_data.value = (void *)"other-proto";
			cb.application_data.length = 11;
		} else if (c == 'F')
			flags &= ~flag_named(optarg);
		else
			return 2;
	}
	if (argc - optind != 3)
		return 2;
	nohello = mode != NULL && strcmp(mode, "nohello") == 0;
	nb.value = argv[optind + 2];
	nb.length = strlen(argv[optind + 2]);
	if (GSS_ERROR(gss_import_name(&min, &nb, GSS_KRB5_NT_PRINCIPAL_NAME,
		&target)))
		return 2;
	if (net_connect(argv[optind], argv[optind + 1], 0, io_deadline(10),
		&fd) == -1)
		return 2;
	if ((ctx = establish(fd, target, flags, cbp)) == GSS_C_NO_CONTEXT)
		return 0;
	/* GSS-API protection keeps the handle valid for misbehave(). */
	keep = ctx;
	if ((r = record_new(fd, &keep, "server", PROTECT_GSS)) == NULL)
		return 2;
	frame_hello_encode(hello, &h);
	if (!nohello)
		(void)record_send(r, FRAME_REC_HELLO, hello, sizeof(hello),
		    io_deadline(10));
	rc = record_recv(r, &type, &p, &len, io_deadline(10));
	if (rc == ERR_OK && type == FRAME_REC_HELLO && nohello)
		rc = record_recv(r, &type, &p, &len, io_deadline(60));
	else if (rc == ERR_OK && type == FRAME_REC_HELLO && mode != NULL) {
		if (frame_hello_decode(p, len, &theirs) != FRAME_OK)
			return 2;
		/* The record layer owns ctx now; the handle is still valid. */
		if (misbehave(fd, ctx, mode, theirs.max_record) == -1)
			return 2;
		rc = record_recv(r, &type, &p, &len, io_deadline(10));
	}
	switch (rc) {
	case ERR_OK:
		if (type == FRAME_REC_ABORT &&
		    frame_abort_decode(p, len, &code, text, sizeof(text)) ==
			FRAME_OK)
			printf("abort %u %s\n", code, text);
		else
			printf("%s\n",
			    type == FRAME_REC_HELLO    ? "hello" :
				type == FRAME_REC_EXIT ? "exit" :
							 "other");
		break;
	default:
		printf("closed\n");
	}
	record_free(r);
	close(fd);
	gss_release_name(&min, &target);
	return 0;
}
