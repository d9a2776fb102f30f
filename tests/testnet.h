/* testnet: helpers shared by the test tools (not by the programs). */
#ifndef GSSWRAP_TESTNET_H
#define GSSWRAP_TESTNET_H

/*
 * testnet_listen(portfile): listen on 127.0.0.1 at a port the kernel
 * picks, and write that port to portfile (the test's readiness signal).
 * Exits with status 2 and a message on failure.
 */
int testnet_listen(const char *portfile);

/* testnet_die(what): print "what: strerror(errno)" and exit 2. */
void testnet_die(const char *what) __attribute__((noreturn));

#endif
