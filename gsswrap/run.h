/*
 * run: `gsswrap [OPTIONS] run [-w DEST]... [-W FILE]... -- CMD [ARGS]`, the
 * command prefix. It starts CMD with the preloaded shim (shim.c) and acts
 * as its agent (runproto.h): each connection the shim hands over to a
 * destination matched by the rules (rules.h) becomes an authenticated
 * session, relayed by a process of its own.
 */
#ifndef GSSWRAP_RUN_H
#define GSSWRAP_RUN_H

struct client;

#define RUN_NOTFOUND 127 /* CMD not found, as for env(1) and shells */
#define RUN_CANNOT 126	 /* CMD found but cannot be run */

/*
 * run_main(c): parse c->run_argv, check CMD, start it and serve it until
 * it has exited and its last wrapped connection has closed. c's
 * credentials are prepared. Returns CMD's exit status (128 + the signal
 * that killed it), or a STATUS_* / RUN_* code of our own after logging.
 */
int run_main(struct client *c);

#endif
