/*
 * fuzzkrb: what the GSS-API harnesses share. They run against the real
 * throwaway realm whose environment kdc-test/realm wrote (fuzz/run starts
 * it): the client is alice, the service host/localhost with its keytab.
 * The KDC is used only while a harness starts; afterwards the service
 * ticket comes from alice's cache.
 */
#ifndef GSSWRAP_FUZZKRB_H
#define GSSWRAP_FUZZKRB_H

#include <stddef.h>
#include <stdint.h>
#include <gssapi/gssapi.h>

/*
 * fuzzkrb_init(prog): check that a realm's environment is present (exits
 * with a message naming what to do when it is not), turn the replay cache
 * off (every input authenticates afresh) and silence our logging (set
 * FUZZ_LOG to see it on stderr, when replaying an input).
 */
void fuzzkrb_init(const char *prog);

/* fuzzkrb_acceptor_cred(): the service's credential from its keytab. */
gss_cred_id_t fuzzkrb_acceptor_cred(void);

/*
 * fuzzkrb_initiate(ctx, flags, bound, in, out): one gss_init_sec_context
 * step as alice toward host@localhost, asking for flags, with gsswrap's
 * channel bindings when bound. Returns the major status; *out is released
 * by the caller.
 */
OM_uint32 fuzzkrb_initiate(gss_ctx_id_t *ctx, OM_uint32 flags, int bound,
    gss_buffer_t in, gss_buffer_t out);

/*
 * fuzzkrb_pair(init_out, accept_out): a complete context pair established
 * in process with gsswrap's flags and bindings. Exits on failure.
 */
void fuzzkrb_pair(gss_ctx_id_t *init_out, gss_ctx_id_t *accept_out);

/*
 * fuzzkrb_pair_flags(flags, init_out, accept_out): the same, asking for
 * flags (without GSS_C_MUTUAL_FLAG there is no reply token, and MIT's
 * acceptor asserts no subkey).
 */
void fuzzkrb_pair_flags(OM_uint32 flags, gss_ctx_id_t *init_out,
    gss_ctx_id_t *accept_out);

/* fuzzkrb_die(what, maj, min): print a GSS failure and exit. */
void fuzzkrb_die(const char *what, OM_uint32 maj, OM_uint32 min);

#endif
