/*
 * conn: one client connection from accept to the log line, the same for
 * every way gsswrapd gets connections (inetd, standalone, socket
 * activation): handshake, authorization, hello, backend, relay.
 */
#ifndef GSSWRAPD_CONN_H
#define GSSWRAPD_CONN_H

struct options;

/*
 * conn_serve(o, sock): serve the client connected on sock (non-blocking,
 * owned by the caller). Logs one line for the session. Returns 0 or the
 * STATUS_* class of the failure.
 */
int conn_serve(const struct options *o, int sock);

#endif
