/*
 * check: gsswrap --check HOST PORT. Step by step, without moving any
 * application data: the target principal, the ccache and its client
 * principal and TGT lifetime, a service ticket from the KDC (enctype,
 * lifetime), the server's answer to the gsswrap preamble, and whether it
 * authenticates and authorizes us (a probe HELLO: no program is started).
 * Every failure is followed by a hint at the likely fix.
 */
#ifndef GSSWRAP_CHECK_H
#define GSSWRAP_CHECK_H

struct client;

/*
 * check_run(c, prepared): print the report on stdout, given the result of
 * client_prepare (the target is known even when credentials are not).
 * Returns 0 when all is well, else the STATUS_* class of the first failure.
 */
int check_run(struct client *c, int prepared);

#endif
