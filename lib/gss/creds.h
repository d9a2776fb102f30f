/*
 * creds: GSS-API credentials and names for both roles, from a credential
 * store (ccache, client keytab, keytab) rather than process-wide settings.
 */
#ifndef GSSWRAP_CREDS_H
#define GSSWRAP_CREDS_H

#include <stddef.h>
#include <gssapi/gssapi.h>

/*
 * creds_initiator(ccache, client_keytab, cred_out): acquire krb5 initiator
 * credentials from ccache (NULL: the default ccache, or a private memory
 * ccache when client_keytab is set) and client_keytab (NULL: none).
 * Returns 0, or -1 after logging which ccache/keytab failed and why.
 */
int creds_initiator(const char *ccache, const char *client_keytab,
    gss_cred_id_t *cred_out);

/*
 * creds_target(service, host, principal, name_out, desc, cap): the name of
 * the service to reach: the explicit principal when not NULL, otherwise
 * SERVICE/HOST with the realm from the domain_realm mapping and no DNS
 * canonicalization. desc receives the principal as text. Returns 0 or -1
 * (logged).
 */
int creds_target(const char *service, const char *host, const char *principal,
    gss_name_t *name_out, char *desc, size_t cap);

/*
 * creds_acceptor(keytab, service, principal, cred_out, desc, cap): acquire
 * acceptor credentials for a named acceptor: the explicit principal, or
 * the host-based service SERVICE with any host name in the keytab, or
 * (both NULL) any principal the keytab holds a key for. keytab
 * NULL means the default keytab. desc receives a description of the
 * acceptor for messages. Returns 0 or -1 (logged, naming the keytab).
 */
int creds_acceptor(const char *keytab, const char *service,
    const char *principal, gss_cred_id_t *cred_out, char *desc, size_t cap);

/*
 * creds_keytab_warn(keytab): warn (log_warn) when the keytab (NULL: the
 * default one) is a file that its group or others can read.
 */
void creds_keytab_warn(const char *keytab);

#endif
