/* Unit tests for lib/proto/frame.c: docs/PROTOCOL.md §3-§7. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "frame.h"
#include "tap.h"

static void
test_preamble(void)
{
	uint8_t b[FRAME_PREAMBLE_LEN], v = 0;

	frame_preamble_encode(b, FRAME_VERSION);
	TAP_OK(memcmp(b, "GSSWRAP\x01", 8) == 0, "preamble bytes");
	TAP_OK(frame_preamble_decode(b, &v) == FRAME_OK && v == 1,
	    "preamble decodes to version 1");
	b[7] = 0;
	v = 9;
	TAP_OK(frame_preamble_decode(b, &v) == FRAME_EVERSION && v == 9,
	    "version 0 refused, output untouched");
	b[7] = 7;
	TAP_OK(frame_preamble_decode(b, &v) == FRAME_OK && v == 7,
	    "a newer version is reported for negotiation");
	memcpy(b, "SSH-2.0-", 8);
	TAP_OK(frame_preamble_decode(b, &v) == FRAME_EBADMAGIC,
	    "ssh banner is not a gsswrap peer");
	memset(b, 0, sizeof(b));
	TAP_OK(frame_preamble_decode(b, &v) == FRAME_EBADMAGIC,
	    "zero bytes are not a gsswrap peer");
}

static void
test_header(void)
{
	unsigned int ctx_only = 1u << FRAME_CONTEXT;
	uint8_t b[FRAME_HDR_LEN], t = 0;
	uint32_t l = 0;

	int bit, caught = 0;

	frame_header_encode(b, FRAME_CONTEXT, 0x01020304);
	TAP_OK(memcmp(b, "\x01\x01\x02\x03\x04", 5) == 0,
	    "header is type then big-endian length");
	TAP_OK(b[5] == (0xa5 ^ 0x02 ^ 0x03 ^ 0x04),
	    "check byte is the XOR of the header with 0xa5 (type 1 and length "
	    "byte 1 cancel)");
	TAP_OK(frame_header_length(b) == 0x01020304, "length accessor");
	for (bit = 0; bit < 8 * FRAME_HDR_LEN; bit++) {
		b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		if (frame_header_decode(b, 0xffffffffu, 0xffffffffu, &t, &l) ==
		    FRAME_ECHECK)
			caught++;
		b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	TAP_OK(caught == 8 * FRAME_HDR_LEN,
	    "every single-bit flip in a header is detected (%d of %d)", caught,
	    8 * FRAME_HDR_LEN);
	frame_header_encode(b, FRAME_CONTEXT, 100);
	TAP_OK(frame_header_decode(b, ctx_only, 100, &t, &l) == FRAME_OK &&
		t == FRAME_CONTEXT && l == 100,
	    "length at the cap accepted");
	t = 0;
	l = 0;
	TAP_OK(frame_header_decode(b, ctx_only, 99, &t, &l) == FRAME_ELENGTH &&
		t == 0 && l == 0,
	    "length over the cap refused, nothing stored");
	frame_header_encode(b, FRAME_CONTEXT, 0);
	TAP_OK(frame_header_decode(b, ctx_only, 100, &t, &l) == FRAME_ELENGTH,
	    "zero length refused");
	frame_header_encode(b, FRAME_WRAP, 10);
	TAP_OK(frame_header_decode(b, ctx_only, 100, &t, &l) == FRAME_ETYPE,
	    "type not allowed in this state refused");
	frame_header_encode(b, 0, 10);
	TAP_OK(frame_header_decode(b, 0xff, 100, &t, &l) == FRAME_ETYPE,
	    "type 0 refused");
	frame_header_encode(b, 0x47, 10);
	TAP_OK(frame_header_decode(b, 0xffffffffu, 100, &t, &l) == FRAME_ETYPE,
	    "unknown type refused");
	frame_header_encode(b, FRAME_WRAP, 10);
	b[5] ^= 0x80;
	TAP_OK(frame_header_decode(b, 0xffffffffu, 100, &t, &l) == FRAME_ECHECK,
	    "damaged check byte refused");
	memset(b, 0xff, sizeof(b));
	TAP_OK(frame_header_decode(b, 0xffffffffu, FRAME_MAX_CTX_TOKEN, &t,
		   &l) == FRAME_ECHECK,
	    "garbage header refused");
	memset(b, 0, sizeof(b));
	TAP_OK(frame_header_decode(b, 0xffffffffu, FRAME_MAX_CTX_TOKEN, &t,
		   &l) == FRAME_ECHECK,
	    "all-zero header refused");
	frame_header_encode(b, FRAME_CONTEXT, 0xffffffffu);
	TAP_OK(frame_header_decode(b, ctx_only, FRAME_MAX_CTX_TOKEN, &t, &l) ==
		FRAME_ELENGTH,
	    "4 GiB length refused before allocation");
	TAP_OK(frame_wrap_limit(65536) == 65536 + FRAME_WRAP_SLACK,
	    "wrap limit adds the slack");
}

static void
test_hello(void)
{
	struct frame_hello h = { FRAME_VERSION, 0, 65536 }, out;
	uint8_t b[16];

	frame_hello_encode(b, &h);
	TAP_OK(memcmp(b, "\x01\x00\x00\x00\x00\x01\x00\x00", 8) == 0,
	    "hello bytes");
	TAP_OK(frame_hello_decode(b, 8, &out) == FRAME_OK &&
		out.max_record == 65536 && out.version == 1,
	    "hello round trip");
	TAP_OK(frame_hello_decode(b, 12, &out) == FRAME_OK,
	    "hello extensions ignored");
	TAP_OK(frame_hello_decode(b, 7, &out) == FRAME_ESHORT,
	    "short hello refused");
	h.max_record = FRAME_MIN_RECORD - 1;
	frame_hello_encode(b, &h);
	TAP_OK(frame_hello_decode(b, 8, &out) == FRAME_ELENGTH,
	    "max_record under the minimum refused");
	h.max_record = FRAME_MAX_RECORD + 1;
	frame_hello_encode(b, &h);
	TAP_OK(frame_hello_decode(b, 8, &out) == FRAME_ELENGTH,
	    "max_record over the maximum refused");
	h.max_record = 4096;
	h.version = 2;
	frame_hello_encode(b, &h);
	TAP_OK(frame_hello_decode(b, 8, &out) == FRAME_EVERSION,
	    "hello with another version refused");
}

static void
test_records(void)
{
	TAP_OK(frame_record_check(FRAME_REC_DATA, 1) == FRAME_OK, "data 1");
	TAP_OK(frame_record_check(FRAME_REC_DATA, 0) == FRAME_ELENGTH,
	    "empty data refused");
	TAP_OK(frame_record_check(FRAME_REC_EOF, 0) == FRAME_OK, "eof");
	TAP_OK(frame_record_check(FRAME_REC_EOF, 1) == FRAME_ELENGTH,
	    "eof with payload refused");
	TAP_OK(frame_record_check(FRAME_REC_CLOSE, 0) == FRAME_OK, "close");
	TAP_OK(frame_record_check(FRAME_REC_CLOSE, 3) == FRAME_ELENGTH,
	    "close with payload refused");
	TAP_OK(frame_record_check(FRAME_REC_HELLO, 7) == FRAME_ESHORT,
	    "short hello record refused");
	TAP_OK(frame_record_check(FRAME_REC_ABORT, 0) == FRAME_ESHORT,
	    "abort without code refused");
	TAP_OK(frame_record_check(FRAME_REC_ABORT, FRAME_MAX_ABORT_TEXT + 2) ==
		FRAME_ELENGTH,
	    "abort text over the limit refused");
	TAP_OK(frame_record_check(0, 5) == FRAME_ETYPE, "record type 0");
	TAP_OK(frame_record_check(0x99, 5) == FRAME_ETYPE, "record type 0x99");
}

static void
test_abort(void)
{
	uint8_t b[64], code = 0;
	char text[32];
	size_t n;

	n = frame_abort_encode(b, sizeof(b), FRAME_ABORT_UNAUTHORIZED, "nope");
	TAP_OK(n == 5 && b[0] == 1 && memcmp(b + 1, "nope", 4) == 0,
	    "abort encoding");
	TAP_OK(frame_abort_decode(b, n, &code, text, sizeof(text)) ==
		    FRAME_OK &&
		code == 1 && strcmp(text, "nope") == 0,
	    "abort round trip");
	b[2] = 0x1b;
	TAP_OK(frame_abort_decode(b, n, &code, text, sizeof(text)) ==
		    FRAME_OK &&
		strcmp(text, "n?pe") == 0,
	    "control characters in the reason are neutralised");
	n = frame_abort_encode(b, 4, FRAME_ABORT_PROTOCOL, "long reason");
	TAP_OK(n == 4, "abort text truncated to the buffer");
	TAP_OK(frame_abort_decode(b, n, &code, text, 3) == FRAME_OK &&
		strcmp(text, "lo") == 0,
	    "reason truncated to the output");
	TAP_OK(strcmp(frame_abort_name(FRAME_ABORT_UNAUTHORIZED),
		   "not authorized") == 0,
	    "abort names");
	TAP_OK(strcmp(frame_abort_name(200), "unknown abort code") == 0,
	    "unknown abort code named");
}

static void
test_exit(void)
{
	uint8_t b[FRAME_EXIT_LEN], kind = 9, value = 9;

	frame_exit_encode(b, 3 << 8); /* wait status: exited with 3 */
	TAP_OK(b[0] == FRAME_EXIT_CODE && b[1] == 3, "exit status 3 encoded");
	frame_exit_encode(b, 15); /* wait status: killed by SIGTERM */
	TAP_OK(b[0] == FRAME_EXIT_SIGNAL && b[1] == 15, "signal 15 encoded");
	TAP_OK(frame_exit_decode(b, 2, &kind, &value) == FRAME_OK &&
		kind == FRAME_EXIT_SIGNAL && value == 15,
	    "exit record decodes");
	TAP_OK(frame_exit_decode(b, 1, &kind, &value) == FRAME_ESHORT,
	    "short exit record refused");
	b[0] = 7;
	TAP_OK(frame_exit_decode(b, 2, &kind, &value) == FRAME_ELENGTH,
	    "unknown exit kind refused");
	TAP_OK(frame_record_check(FRAME_REC_EXIT, 2) == FRAME_OK &&
		frame_record_check(FRAME_REC_EXIT, 1) == FRAME_ELENGTH &&
		frame_record_check(FRAME_REC_EXIT, 65) == FRAME_ELENGTH,
	    "exit record sizes");
}

static void
test_printable(void)
{
	char out[8];

	frame_printable((const uint8_t *)"HTTP/1.1\r\n", 10, out, sizeof(out));
	TAP_OK(strcmp(out, "HTTP/1.") == 0, "printable prefix truncated");
	frame_printable((const uint8_t *)"a\0b", 3, out, sizeof(out));
	TAP_OK(strcmp(out, "a.b") == 0, "non-printable bytes shown as dots");
}

int
main(void)
{
	test_preamble();
	test_header();
	test_hello();
	test_records();
	test_abort();
	test_exit();
	test_printable();
	return TAP_DONE();
}
