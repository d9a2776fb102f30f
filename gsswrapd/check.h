/*
 * check: gsswrapd --check. Lists the keytab entries the acceptor would use
 * (principal, kvno, enctype) and, when the default ccache holds a ticket,
 * asks the KDC for a ticket to each of those principals and tries to
 * decrypt it with the keytab: the quickest way to find a stale keytab.
 */
#ifndef GSSWRAPD_CHECK_H
#define GSSWRAPD_CHECK_H

struct options;

/*
 * check_run(o): print the report on stdout. Returns 0 when the keytab has
 * keys for the acceptor and (when checked) decrypts the KDC's tickets;
 * STATUS_USAGE when the keytab cannot be read or has no such key;
 * STATUS_AUTH when the KDC's ticket does not match the keytab.
 */
int check_run(const struct options *o);

#endif
