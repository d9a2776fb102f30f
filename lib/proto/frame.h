/*
 * frame: pure encoding and decoding of the gsswrap v1 wire format
 * (docs/PROTOCOL.md §3-§7). No I/O, no allocation, no GSS: every function
 * works on caller buffers, so the whole module is unit-tested and fuzzable.
 */
#ifndef GSSWRAP_FRAME_H
#define GSSWRAP_FRAME_H

#include <stddef.h>
#include <stdint.h>

/* PROTOCOL §2 */
#define FRAME_MAGIC "GSSWRAP"
#define FRAME_MAGIC_LEN 7
#define FRAME_VERSION 1
#define FRAME_PREAMBLE_LEN 8
#define FRAME_CB_DATA "gsswrap-v1"
#define FRAME_MAX_CTX_TOKEN (1024u * 1024u)
#define FRAME_MAX_ERROR_TOKEN (64u * 1024u)
#define FRAME_MIN_RECORD 1024
#define FRAME_MAX_RECORD (1024u * 1024u)
#define FRAME_WRAP_SLACK 1024
#define FRAME_MAX_ABORT_TEXT 1024
#define FRAME_HDR_LEN 6
#define FRAME_HELLO_LEN 8
/* HELLO flag (initiator): a probe; send no data, start no program. */
#define FRAME_HELLO_PROBE 0x000001
#define FRAME_CHECK_SEED 0xa5

/* Frame types (PROTOCOL §4.1). */
#define FRAME_CONTEXT 0x01
#define FRAME_ERROR 0x02
#define FRAME_WRAP 0x03

/* ERROR frame codes (PROTOCOL §4.3). */
#define FRAME_ERR_AUTH 1
#define FRAME_ERR_PROTOCOL 2
#define FRAME_ERR_INTERNAL 3
#define FRAME_ERR_TIMEOUT 4
#define FRAME_ERR_BUSY 5

/* Record types (PROTOCOL §5). */
#define FRAME_REC_HELLO 0x01
#define FRAME_REC_DATA 0x02
#define FRAME_REC_EOF 0x03
#define FRAME_REC_ABORT 0x04
#define FRAME_REC_CLOSE 0x05
#define FRAME_REC_EXIT 0x06
#define FRAME_EXIT_LEN 2
#define FRAME_EXIT_CODE 0   /* the program exited with a status */
#define FRAME_EXIT_SIGNAL 1 /* the program was killed by a signal */

/* ABORT codes (PROTOCOL §7.4). */
#define FRAME_ABORT_UNAUTHORIZED 1
#define FRAME_ABORT_PROTOCOL 2
#define FRAME_ABORT_UNAVAILABLE 3
#define FRAME_ABORT_INTERNAL 4
#define FRAME_ABORT_TIMEOUT 5

/* Results of the decoders below. */
#define FRAME_OK 0
#define FRAME_EBADMAGIC (-1)
#define FRAME_EVERSION (-2)
#define FRAME_ETYPE (-3)
#define FRAME_ELENGTH (-4)
#define FRAME_ESHORT (-5)
#define FRAME_ECHECK (-6)

/*
 * frame_preamble_encode(buf, version): write the 8-byte preamble for
 * version into buf (FRAME_PREAMBLE_LEN bytes).
 */
void frame_preamble_encode(uint8_t *buf, uint8_t version);

/*
 * frame_preamble_decode(buf, version_out): check the 8 bytes in buf.
 * Returns FRAME_OK and sets *version_out, FRAME_EBADMAGIC when the magic is
 * wrong, FRAME_EVERSION when the version is 0.
 */
int frame_preamble_decode(const uint8_t *buf, uint8_t *version_out);

/*
 * frame_header_encode(buf, type, len): write a 6-byte frame header: type,
 * length, and a check byte (PROTOCOL §4.1).
 */
void frame_header_encode(uint8_t *buf, uint8_t type, uint32_t len);

/*
 * frame_header_decode(buf, allowed, maxlen, type_out, len_out): parse a
 * 6-byte frame header. allowed is a bit mask of (1 << type) for the frame
 * types permitted in the caller's state; maxlen the largest body accepted.
 * Returns FRAME_OK, FRAME_ECHECK (check byte wrong: the header was
 * damaged), FRAME_ETYPE (type not allowed) or FRAME_ELENGTH (zero length
 * or over maxlen). Nothing is stored unless FRAME_OK is returned.
 */
int frame_header_decode(const uint8_t *buf, unsigned int allowed,
    uint32_t maxlen, uint8_t *type_out, uint32_t *len_out);

/* frame_header_length(buf): the length field of a header, for messages. */
uint32_t frame_header_length(const uint8_t *buf);

/*
 * frame_wrap_limit(max_record): the largest WRAP body accepted by a side
 * that announced max_record (PROTOCOL §4.1).
 */
uint32_t frame_wrap_limit(uint32_t max_record);

/* A decoded HELLO (PROTOCOL §6). */
struct frame_hello {
	uint8_t version;
	uint32_t flags;
	uint32_t max_record;
};

/* frame_hello_encode(buf, hello): write FRAME_HELLO_LEN payload bytes. */
void frame_hello_encode(uint8_t *buf, const struct frame_hello *hello);

/*
 * frame_hello_decode(buf, len, hello_out): parse a HELLO payload of len
 * bytes. Returns FRAME_OK, FRAME_ESHORT (under 8 bytes), FRAME_EVERSION
 * (version not FRAME_VERSION) or FRAME_ELENGTH (max_record out of range).
 */
int frame_hello_decode(const uint8_t *buf, size_t len,
    struct frame_hello *hello_out);

/*
 * frame_record_check(type, len): check a decrypted record's
 * type and payload length (len excludes the type byte) against PROTOCOL §5.
 * Returns FRAME_OK, FRAME_ETYPE (unknown type) or FRAME_ELENGTH.
 */
int frame_record_check(uint8_t type, size_t len);

/*
 * frame_abort_encode(buf, cap, code, reason): write an ABORT payload (code
 * byte then reason, truncated to FRAME_MAX_ABORT_TEXT and cap - 1).
 * Returns the payload length.
 */
size_t
frame_abort_encode(uint8_t *buf, size_t cap, uint8_t code, const char *reason);

/*
 * frame_abort_decode(buf, len, code_out, text_out, textcap): parse an
 * ABORT payload; the reason is copied into text_out (NUL-terminated, bytes
 * outside printable ASCII replaced by '?'). Returns FRAME_OK or
 * FRAME_ESHORT/FRAME_ELENGTH.
 */
int frame_abort_decode(const uint8_t *buf, size_t len, uint8_t *code_out,
    char *text_out, size_t textcap);

/*
 * frame_exit_encode(buf, wstatus): write the EXIT payload (FRAME_EXIT_LEN
 * bytes) for a wait status. frame_exit_decode(buf, len, kind_out,
 * value_out): parse one; FRAME_OK or FRAME_ESHORT/FRAME_ELENGTH.
 */
void frame_exit_encode(uint8_t *buf, int wstatus);
int frame_exit_decode(const uint8_t *buf, size_t len, uint8_t *kind_out,
    uint8_t *value_out);

/* frame_error_text(rc): what a FRAME_E* decoder result means. */
const char *frame_error_text(int rc);

/* frame_abort_name(code): a short name for an ABORT code. */
const char *frame_abort_name(uint8_t code);

/* frame_error_name(code): a short description for an ERROR frame code. */
const char *frame_error_name(uint8_t code);

/*
 * frame_printable(in, len, out, outcap): copy at most outcap - 1 bytes
 * of in to out, replacing non-printable bytes by '.', NUL-terminated. For
 * quoting what a non-gsswrap peer sent.
 */
void frame_printable(const uint8_t *in, size_t len, char *out, size_t outcap);

#endif
