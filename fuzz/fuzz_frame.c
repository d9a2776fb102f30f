/*
 * libFuzzer harness: the wire decoders of lib/proto/frame.c (docs/PROTOCOL.md
 * §3-§7), fed what a peer may send: the preamble, frame headers (with
 * every type allowed or only WRAP), HELLO, ABORT and EXIT payloads and the
 * record type check. The first byte picks the decoder.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
decode(uint8_t which, const uint8_t *p, size_t n)
{
	struct frame_hello h;
	char text[FRAME_MAX_ABORT_TEXT + 1], printable[64];
	uint8_t buf[FRAME_PREAMBLE_LEN > FRAME_HDR_LEN ? FRAME_PREAMBLE_LEN :
							 FRAME_HDR_LEN];
	uint8_t v, t, kind, value;
	uint32_t len;

	switch (which % 7) {
	case 0:
		if (n >= FRAME_PREAMBLE_LEN) {
			memcpy(buf, p, FRAME_PREAMBLE_LEN);
			(void)frame_preamble_decode(buf, &v);
		}
		break;
	case 1:
		if (n >= FRAME_HDR_LEN) {
			(void)frame_header_decode(p, 0xffffffffu,
			    frame_wrap_limit(FRAME_MAX_RECORD), &t, &len);
			(void)frame_header_decode(p, 1u << FRAME_WRAP,
			    frame_wrap_limit(FRAME_MIN_RECORD), &t, &len);
			(void)frame_header_length(p);
		}
		break;
	case 2:
		if (frame_hello_decode(p, n, &h) == FRAME_OK)
			(void)frame_wrap_limit(h.max_record);
		break;
	case 3:
		if (frame_abort_decode(p, n, &t, text, sizeof(text)) ==
		    FRAME_OK)
			(void)frame_abort_name(t);
		break;
	case 4:
		(void)frame_exit_decode(p, n, &kind, &value);
		break;
	case 5:
		if (n > 0)
			(void)frame_record_check(p[0], n - 1);
		break;
	default:
		frame_printable(p, n, printable, sizeof(printable));
		if (n > 0)
			(void)frame_error_name(p[0]);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	decode(data[0], data + 1, size - 1);
	return 0;
}
