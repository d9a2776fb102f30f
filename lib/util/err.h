/*
 * err: the one error type of library code. A library function that can fail
 * in ways the user must tell apart returns one of these, with the detail
 * (whom, what the system or GSS-API said) in an out-parameter or on its
 * object, and logs nothing; the session's owner (gsswrapd/conn.c,
 * gsswrap/client.c) logs one line, and main() exits with err_status().
 */
#ifndef GSSWRAP_ERR_H
#define GSSWRAP_ERR_H

enum err {
	ERR_OK = 0,
	ERR_CLOSED,    /* the peer closed the connection before the end */
	ERR_TIMEOUT,   /* a deadline passed */
	ERR_PROTOCOL,  /* the peer broke the protocol */
	ERR_INTEGRITY, /* a record failed its integrity or sequence check */
	ERR_AUTH,      /* authentication or authorization refused */
	ERR_BUSY,      /* the server is at its session limit */
	ERR_SYSTEM     /* the network, the system, or a library failed */
};

/*
 * err_strerror(e): what e means, in a few words for a log line, e.g.
 * "closed before the end of the stream (truncated)".
 */
const char *err_strerror(enum err e);

/*
 * err_status(e): the exit status that reports e (status.h): 0, 251 auth,
 * 252 protocol or integrity, 253 closed, 254 timeout, busy or system.
 */
int err_status(enum err e);

#endif
