/* Wire format encoding and decoding: docs/PROTOCOL.md §3-§7. */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include "frame.h"

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

void
frame_preamble_encode(uint8_t *buf, uint8_t version)
{
	memcpy(buf, FRAME_MAGIC, FRAME_MAGIC_LEN);
	buf[FRAME_MAGIC_LEN] = version;
}

/* PROTOCOL §3 */
int
frame_preamble_decode(const uint8_t *buf, uint8_t *version_out)
{
	if (memcmp(buf, FRAME_MAGIC, FRAME_MAGIC_LEN) != 0)
		return FRAME_EBADMAGIC;
	if (buf[FRAME_MAGIC_LEN] == 0)
		return FRAME_EVERSION;
	*version_out = buf[FRAME_MAGIC_LEN];
	return FRAME_OK;
}

/* XOR of the first five header bytes with a constant (PROTOCOL §4.1). */
static uint8_t
header_check(const uint8_t *buf)
{
	return (uint8_t)(FRAME_CHECK_SEED ^ buf[0] ^ buf[1] ^ buf[2] ^ buf[3] ^
	    buf[4]);
}

void
frame_header_encode(uint8_t *buf, uint8_t type, uint32_t len)
{
	buf[0] = type;
	put32(buf + 1, len);
	buf[5] = header_check(buf);
}

uint32_t
frame_header_length(const uint8_t *buf)
{
	return get32(buf + 1);
}

/* PROTOCOL §4.1: type and length are checked before any body is read. */
int
frame_header_decode(const uint8_t *buf, unsigned int allowed, uint32_t maxlen,
    uint8_t *type_out, uint32_t *len_out)
{
	uint8_t type = buf[0];
	uint32_t len = get32(buf + 1);

	if (buf[5] != header_check(buf))
		return FRAME_ECHECK;
	if (type < FRAME_CONTEXT || type > FRAME_WRAP ||
	    (allowed & (1u << type)) == 0)
		return FRAME_ETYPE;
	if (len == 0 || len > maxlen)
		return FRAME_ELENGTH;
	*type_out = type;
	*len_out = len;
	return FRAME_OK;
}

uint32_t
frame_wrap_limit(uint32_t max_record)
{
	return max_record + FRAME_WRAP_SLACK;
}

void
frame_hello_encode(uint8_t *buf, const struct frame_hello *hello)
{
	buf[0] = hello->version;
	buf[1] = (uint8_t)(hello->flags >> 16);
	buf[2] = (uint8_t)(hello->flags >> 8);
	buf[3] = (uint8_t)hello->flags;
	put32(buf + 4, hello->max_record);
}

/* PROTOCOL §6: trailing extension bytes are ignored. */
int
frame_hello_decode(const uint8_t *buf, size_t len,
    struct frame_hello *hello_out)
{
	struct frame_hello h;

	if (len < FRAME_HELLO_LEN)
		return FRAME_ESHORT;
	h.version = buf[0];
	h.flags = ((uint32_t)buf[1] << 16) | ((uint32_t)buf[2] << 8) | buf[3];
	h.max_record = get32(buf + 4);
	if (h.version != FRAME_VERSION)
		return FRAME_EVERSION;
	if (h.max_record < FRAME_MIN_RECORD || h.max_record > FRAME_MAX_RECORD)
		return FRAME_ELENGTH;
	*hello_out = h;
	return FRAME_OK;
}

/* PROTOCOL §5: payload sizes per record type. */
int
frame_record_check(uint8_t type, size_t len)
{
	switch (type) {
	case FRAME_REC_HELLO:
		return len >= FRAME_HELLO_LEN ? FRAME_OK : FRAME_ESHORT;
	case FRAME_REC_DATA:
		return len >= 1 ? FRAME_OK : FRAME_ELENGTH;
	case FRAME_REC_EOF:
	case FRAME_REC_CLOSE:
		return len == 0 ? FRAME_OK : FRAME_ELENGTH;
	case FRAME_REC_EXIT:
		return len >= FRAME_EXIT_LEN && len <= 64 ? FRAME_OK :
							    FRAME_ELENGTH;
	case FRAME_REC_ABORT:
		if (len < 1)
			return FRAME_ESHORT;
		return len - 1 <= FRAME_MAX_ABORT_TEXT ? FRAME_OK :
							 FRAME_ELENGTH;
	default:
		return FRAME_ETYPE;
	}
}

size_t
frame_abort_encode(uint8_t *buf, size_t cap, uint8_t code, const char *reason)
{
	size_t n = strlen(reason);

	if (cap == 0)
		return 0;
	if (n > FRAME_MAX_ABORT_TEXT)
		n = FRAME_MAX_ABORT_TEXT;
	if (n > cap - 1)
		n = cap - 1;
	buf[0] = code;
	memcpy(buf + 1, reason, n);
	return n + 1;
}

void
frame_printable(const uint8_t *in, size_t len, char *out, size_t outcap)
{
	size_t i;

	if (outcap == 0)
		return;
	for (i = 0; i < len && i < outcap - 1; i++)
		out[i] = (in[i] >= 0x20 && in[i] < 0x7f) ? (char)in[i] : '.';
	out[i] = '\0';
}

int
frame_abort_decode(const uint8_t *buf, size_t len, uint8_t *code_out,
    char *text_out, size_t textcap)
{
	size_t i;
	int rc;

	if ((rc = frame_record_check(FRAME_REC_ABORT, len)) != FRAME_OK)
		return rc;
	if (textcap == 0)
		return FRAME_ELENGTH;
	/* The reason is shown to a human: keep it to printable text. */
	for (i = 0; i < len - 1 && i < textcap - 1; i++) {
		uint8_t c = buf[1 + i];

		text_out[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	text_out[i] = '\0';
	*code_out = buf[0];
	return FRAME_OK;
}

void
frame_exit_encode(uint8_t *buf, int wstatus)
{
	if (WIFSIGNALED(wstatus)) {
		buf[0] = FRAME_EXIT_SIGNAL;
		buf[1] = (uint8_t)WTERMSIG(wstatus);
	} else {
		buf[0] = FRAME_EXIT_CODE;
		buf[1] = (uint8_t)WEXITSTATUS(wstatus);
	}
}

/* PROTOCOL §7.6: trailing bytes are extensions, ignored. */
int
frame_exit_decode(const uint8_t *buf, size_t len, uint8_t *kind_out,
    uint8_t *value_out)
{
	if (len < FRAME_EXIT_LEN)
		return FRAME_ESHORT;
	if (buf[0] != FRAME_EXIT_CODE && buf[0] != FRAME_EXIT_SIGNAL)
		return FRAME_ELENGTH;
	*kind_out = buf[0];
	*value_out = buf[1];
	return FRAME_OK;
}

const char *
frame_error_text(int rc)
{
	switch (rc) {
	case FRAME_OK:
		return "no error";
	case FRAME_EBADMAGIC:
		return "not the gsswrap magic";
	case FRAME_EVERSION:
		return "unsupported version";
	case FRAME_ETYPE:
		return "unexpected frame type";
	case FRAME_ELENGTH:
		return "bad frame length";
	case FRAME_ESHORT:
		return "too short";
	case FRAME_ECHECK:
		return "damaged frame header";
	default:
		return "unknown error";
	}
}

const char *
frame_abort_name(uint8_t code)
{
	switch (code) {
	case FRAME_ABORT_UNAUTHORIZED:
		return "not authorized";
	case FRAME_ABORT_PROTOCOL:
		return "protocol violation";
	case FRAME_ABORT_UNAVAILABLE:
		return "service unavailable";
	case FRAME_ABORT_INTERNAL:
		return "internal error";
	case FRAME_ABORT_TIMEOUT:
		return "timed out";
	default:
		return "unknown abort code";
	}
}

const char *
frame_error_name(uint8_t code)
{
	switch (code) {
	case FRAME_ERR_AUTH:
		return "authentication failed";
	case FRAME_ERR_PROTOCOL:
		return "protocol violation";
	case FRAME_ERR_INTERNAL:
		return "server internal error";
	case FRAME_ERR_TIMEOUT:
		return "handshake deadline passed";
	case FRAME_ERR_BUSY:
		return "server busy (too many sessions)";
	default:
		return "unknown error code";
	}
}
