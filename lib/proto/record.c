/* Protected records wrapped in place: docs/PROTOCOL.md §5-§7. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "err.h"
#include "frame.h"
#include "io.h"
#include "log.h"
#include "record.h"

struct record {
	int fd;
	struct protect *prot;
	char peer[256];

	/* Outgoing: [frame header][GSS header][type|payload][pad][trailer]. */
	uint8_t *obuf;
	size_t ocap;
	size_t ohdr;	   /* GSS header length reserved */
	size_t oplain_max; /* record plaintext limit (type + payload) */
	size_t opos, olen; /* sealed frame bytes written / total */

	/* Incoming: frames as read, unwrapped in place. */
	uint8_t *ibuf;
	size_t icap;
	size_t istart, ilen;
	uint32_t own_max;
	uint8_t *last_plain; /* plaintext handed out, wiped on next call */
	size_t last_len;
	int peer_aborted; /* an ABORT record came in */
	char why[512];	  /* the last failure, for the log (record_why) */
};

#define OUT_PLAIN_CAP RECORD_DEFAULT_MAX

struct record *
record_new(int fd, gss_ctx_id_t *ctx, const char *peer_desc,
    enum protect_mode mode)
{
	struct record *r;
	size_t pad, trl;
	OM_uint32 min;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		log_err("out of memory");
		(void)gss_delete_sec_context(&min, ctx, GSS_C_NO_BUFFER);
		return NULL;
	}
	r->fd = fd;
	snprintf(r->peer, sizeof(r->peer), "%s", peer_desc);
	if ((r->prot = protect_new(ctx, mode, peer_desc)) == NULL)
		goto fail;
	log_debug("record protection with %s: %s", r->peer,
	    protect_describe(r->prot));
	r->own_max = RECORD_DEFAULT_MAX;
	r->oplain_max = FRAME_MIN_RECORD; /* until the peer's HELLO */
	if (protect_lengths(r->prot, 1, &r->ohdr, &pad, &trl) == -1)
		goto fail;
	if (r->ohdr + pad + trl > FRAME_WRAP_SLACK) {
		log_err("wrap token overhead %zu exceeds the protocol slack",
		    r->ohdr + pad + trl);
		goto fail;
	}
	r->ocap = FRAME_HDR_LEN + OUT_PLAIN_CAP + FRAME_WRAP_SLACK;
	r->icap = 2 * (FRAME_HDR_LEN + (size_t)frame_wrap_limit(r->own_max));
	r->obuf = malloc(r->ocap);
	r->ibuf = malloc(r->icap);
	if (r->obuf == NULL || r->ibuf == NULL) {
		log_err("out of memory");
		goto fail;
	}
	if (io_set_nonblock(fd, 1) == -1) {
		log_err("cannot make the connection to %s non-blocking: %s",
		    r->peer, strerror(errno));
		goto fail;
	}
	if (protect_refusal(r->prot) != NULL) {
		/* Protected with GSS-API, only to say why (logged). */
		record_abort(r, FRAME_ABORT_UNAVAILABLE,
		    protect_refusal(r->prot));
		goto fail;
	}
	return r;
fail:
	record_free(r);
	return NULL;
}

void
record_free(struct record *r)
{
	if (r == NULL)
		return;
	if (r->obuf != NULL)
		freezero(r->obuf, r->ocap);
	if (r->ibuf != NULL)
		freezero(r->ibuf, r->icap);
	protect_free(r->prot);
	freezero(r, sizeof(*r));
}

/*
 * GSSWRAP_RECORD_SIZE: a smaller outgoing record (FRAME_MIN_RECORD up to
 * our buffer), for measuring throughput against record size (bench/).
 * Returns 0 when unset or invalid.
 */
static size_t
size_override(void)
{
	const char *v = getenv("GSSWRAP_RECORD_SIZE"), *err = NULL;
	long long n;

	if (v == NULL)
		return 0;
	n = strtonum(v, FRAME_MIN_RECORD, OUT_PLAIN_CAP, &err);
	return err == NULL ? (size_t)n : 0;
}

int
record_set_peer_max(struct record *r, uint32_t max_record)
{
	size_t lim = max_record, over, max_in = 0;

	/* PROTOCOL §5: within the peer's limit and the token size limit. */
	if (protect_size_limit(r->prot, frame_wrap_limit(max_record),
		&max_in) == -1)
		return -1;
	if (max_in < lim)
		lim = max_in;
	if (lim > OUT_PLAIN_CAP)
		lim = OUT_PLAIN_CAP;
	if ((over = size_override()) != 0 && lim > over)
		lim = over;
	r->oplain_max = lim;
	return 0;
}

uint32_t
record_own_max(const struct record *r)
{
	return r->own_max;
}

uint8_t *
record_out_space(struct record *r, size_t *cap_out)
{
	*cap_out = r->oplain_max - 1;
	return r->obuf + FRAME_HDR_LEN + r->ohdr + 1;
}

int
record_out_seal(struct record *r, uint8_t type, size_t len)
{
	size_t hdr, pad, trl, tok;
	uint8_t *data;

	if (protect_lengths(r->prot, len + 1, &hdr, &pad, &trl) == -1)
		return -1;
	tok = hdr + 1 + len + pad + trl;
	if (len + 1 > r->oplain_max || FRAME_HDR_LEN + tok > r->ocap) {
		log_err("internal error: record of %zu bytes too large", len);
		return -1;
	}
	data = r->obuf + FRAME_HDR_LEN + hdr;
	/* Never expected with RFC 4121 tokens, but stay correct. */
	if (hdr != r->ohdr)
		memmove(data + 1, r->obuf + FRAME_HDR_LEN + r->ohdr + 1, len);
	data[0] = type;
	if (protect_seal(r->prot, r->obuf + FRAME_HDR_LEN, hdr, len + 1, pad,
		trl) == -1)
		return -1;
	frame_header_encode(r->obuf, FRAME_WRAP, (uint32_t)tok);
	r->olen = FRAME_HDR_LEN + tok;
	r->opos = 0;
	return 0;
}

int
record_out_put(struct record *r, uint8_t type, const void *payload, size_t len)
{
	size_t cap;
	uint8_t *p = record_out_space(r, &cap);

	if (len > cap) {
		log_err("internal error: record of %zu bytes too large", len);
		return -1;
	}
	if (len > 0)
		memcpy(p, payload, len);
	return record_out_seal(r, type, len);
}

int
record_out_pending(const struct record *r)
{
	return r->opos < r->olen;
}

/* A failure of ours: its detail in r->why, then the error. */
static enum err failed(struct record *r, enum err e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum err
failed(struct record *r, enum err e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
	return e;
}

/* The peer had closed its end: our data would never be read. */
static enum err
closed(struct record *r)
{
	return failed(r, ERR_CLOSED, "connection to %s %s", r->peer,
	    err_strerror(ERR_CLOSED));
}

enum err
record_out_flush(struct record *r, int *done_out)
{
	ssize_t w;

	*done_out = 0;
	while (r->opos < r->olen) {
		w = write(r->fd, r->obuf + r->opos, r->olen - r->opos);
		if (w >= 0) {
			r->opos += (size_t)w;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return ERR_OK;
		/*
		 * Linux gives EPIPE (not ECONNRESET) when the peer's reset
		 * follows its FIN: it had closed the connection, unread.
		 */
		if (errno == EPIPE)
			return closed(r);
		return failed(r, ERR_SYSTEM, "cannot send to %s: %s", r->peer,
		    strerror(errno));
	}
	r->opos = r->olen = 0;
	*done_out = 1;
	return ERR_OK;
}

/* Write what is pending, waiting until deadline. */
static enum err
send_until(struct record *r, int64_t deadline)
{
	enum err e;
	int done;

	while ((e = record_out_flush(r, &done)) == ERR_OK && !done)
		if (io_wait(r->fd, POLLOUT, deadline) == -1)
			return failed(r,
			    errno == ETIMEDOUT ? ERR_TIMEOUT : ERR_SYSTEM,
			    "cannot send to %s: %s", r->peer, strerror(errno));
	return e;
}

enum err
record_send(struct record *r, uint8_t type, const void *payload, size_t len,
    int64_t deadline)
{
	enum err e;

	if ((e = send_until(r, deadline)) != ERR_OK)
		return e;
	if (record_out_put(r, type, payload, len) == -1)
		return failed(r, ERR_SYSTEM, "cannot protect a record for %s",
		    r->peer);
	return send_until(r, deadline);
}

void
record_abort(struct record *r, uint8_t code, const char *reason)
{
	uint8_t buf[1 + FRAME_MAX_ABORT_TEXT];
	int64_t deadline = io_now_ms() + IO_LINGER_MS;
	size_t n;

	if (send_until(r, deadline) != ERR_OK)
		return;
	n = frame_abort_encode(buf, sizeof(buf), code, reason);
	if (record_out_put(r, FRAME_REC_ABORT, buf, n) == -1)
		return;
	if (send_until(r, deadline) == ERR_OK)
		io_linger(r->fd, deadline);
}

/* Wipe the plaintext of the last record handed out (STYLE.md: secrets). */
static void
wipe_last(struct record *r)
{
	if (r->last_plain != NULL) {
		explicit_bzero(r->last_plain, r->last_len);
		r->last_plain = NULL;
		r->last_len = 0;
	}
}

enum err
record_in_fill(struct record *r, size_t *n_out)
{
	ssize_t n;

	*n_out = 0;
	wipe_last(r);
	if (r->istart == r->ilen)
		r->istart = r->ilen = 0;
	else if (r->istart > 0 && r->icap - r->ilen < r->icap / 2) {
		memmove(r->ibuf, r->ibuf + r->istart, r->ilen - r->istart);
		r->ilen -= r->istart;
		r->istart = 0;
	}
	for (;;) {
		n = read(r->fd, r->ibuf + r->ilen, r->icap - r->ilen);
		if (n > 0)
			break;
		if (n == 0)
			return closed(r);
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return ERR_OK;
		return failed(r, ERR_SYSTEM, "cannot receive from %s: %s",
		    r->peer, strerror(errno));
	}
	r->ilen += (size_t)n;
	*n_out = (size_t)n;
	return ERR_OK;
}

enum err
record_in_next(struct record *r, uint8_t *type_out, uint8_t **payload_out,
    size_t *len_out, int *got_out)
{
	uint8_t *p = r->ibuf + r->istart, *plain;
	size_t avail = r->ilen - r->istart, plen;
	uint8_t ftype;
	uint32_t flen;
	int rc;

	*got_out = 0;
	wipe_last(r);
	if (avail < FRAME_HDR_LEN)
		return ERR_OK;
	rc = frame_header_decode(p, 1u << FRAME_WRAP,
	    frame_wrap_limit(r->own_max), &ftype, &flen);
	if (rc != FRAME_OK)
		return failed(r, ERR_PROTOCOL,
		    "protocol violation from %s: %s (type 0x%02x, length %u)",
		    r->peer, frame_error_text(rc), p[0],
		    (unsigned int)frame_header_length(p));
	if (avail < FRAME_HDR_LEN + (size_t)flen)
		return ERR_OK;
	if (protect_open(r->prot, p + FRAME_HDR_LEN, flen, &plain, &plen,
		r->why, sizeof(r->why)) == -1)
		return ERR_INTEGRITY;
	r->istart += FRAME_HDR_LEN + flen;
	r->last_plain = plain;
	r->last_len = plen;
	/* PROTOCOL §5: the max_record we announced, exactly. */
	if (plen > r->own_max)
		return failed(r, ERR_PROTOCOL,
		    "protocol violation from %s: a record of %zu bytes, over "
		    "the max_record %u we announced",
		    r->peer, plen, (unsigned int)r->own_max);
	if (plen == 0 || frame_record_check(plain[0], plen - 1) != FRAME_OK)
		return failed(r, ERR_PROTOCOL,
		    "protocol violation from %s: bad record (type 0x%02x, "
		    "%zu bytes)",
		    r->peer, plen ? plain[0] : 0, plen);
	if (plain[0] == FRAME_REC_ABORT)
		r->peer_aborted = 1;
	*type_out = plain[0];
	*payload_out = plain + 1;
	*len_out = plen - 1;
	*got_out = 1;
	return ERR_OK;
}

enum err
record_recv(struct record *r, uint8_t *type_out, uint8_t **payload_out,
    size_t *len_out, int64_t deadline)
{
	enum err e;
	size_t n;
	int got;

	for (;;) {
		e = record_in_next(r, type_out, payload_out, len_out, &got);
		if (e != ERR_OK || got)
			return e;
		if ((e = record_in_fill(r, &n)) != ERR_OK)
			return e;
		if (n == 0 && io_wait(r->fd, POLLIN, deadline) == -1) {
			if (errno == ETIMEDOUT)
				return failed(r, ERR_TIMEOUT,
				    "%s: timed out waiting for the peer",
				    r->peer);
			return failed(r, ERR_SYSTEM, "%s: %s", r->peer,
			    strerror(errno));
		}
	}
}

void
record_reset(struct record *r)
{
	io_reset_on_close(r->fd);
}

int
record_fd(const struct record *r)
{
	return r->fd;
}

const char *
record_peer(const struct record *r)
{
	return r->peer;
}

int
record_peer_aborted(const struct record *r)
{
	return r->peer_aborted;
}

const char *
record_why(const struct record *r)
{
	return r->why;
}
