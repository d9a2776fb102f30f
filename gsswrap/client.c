/* One client session: connect, handshake, hello, relay. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "creds.h"
#include "err.h"
#include "handshake.h"
#include "io.h"
#include "log.h"
#include "net.h"
#include "record.h"
#include "relay.h"
#include "session.h"
#include "status.h"

int
client_prepare(struct client *c)
{
	c->cred = GSS_C_NO_CREDENTIAL;
	c->target = GSS_C_NO_NAME;
	/* run mode names its targets per connection. */
	if (c->host != NULL) {
		snprintf(c->peer, sizeof(c->peer), "%s port %s", c->host,
		    c->port);
		if (creds_target(c->service, c->host, c->principal, &c->target,
			c->target_desc, sizeof(c->target_desc)) == -1)
			return STATUS_USAGE;
		log_debug("target principal %s", c->target_desc);
	}
	if (creds_initiator(c->ccache, c->client_keytab, &c->cred) == -1)
		return STATUS_AUTH;
	return 0;
}

void
client_release(struct client *c)
{
	OM_uint32 min;

	gss_release_name(&min, &c->target);
	gss_release_cred(&min, &c->cred);
}

int
client_establish(const struct client *c, int fd, gss_name_t target,
    const char *target_desc, const char *peer, int64_t deadline,
    struct record **r_out)
{
	gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
	struct record *r;
	char why[1024];
	enum err e;
	int rc;

	if ((rc = handshake_initiate(fd, c->cred, target, target_desc, peer,
		 deadline, c->delegate, &ctx)) != 0)
		return rc;
	if ((r = record_new(fd, &ctx, peer, c->crypto)) == NULL)
		return STATUS_SYS;
	e = session_hello_initiator(r, c->hello_flags, deadline, why,
	    sizeof(why));
	if (e != ERR_OK) {
		log_err("%s", why);
		record_free(r);
		return err_status(e);
	}
	log_debug("authenticated to %s as %s", peer, target_desc);
	*r_out = r;
	return 0;
}

int
client_relay(struct record *r, int in, int out, int *remote_out)
{
	struct relay_ends ends = { in, out, -1, NULL, 0, 0, 1 };
	struct relay_stats st;
	int rc;

	memset(&st, 0, sizeof(st));
	st.remote_status = -1;
	rc = relay_run(r, &ends, &st);
	log_debug("session with %s ended: %s (%llu bytes in, %llu out)",
	    record_peer(r), st.reason, (unsigned long long)st.bytes_in,
	    (unsigned long long)st.bytes_out);
	*remote_out = st.remote_status;
	return rc;
}

int
client_session(const struct client *c, int in, int out, int *remote_out)
{
	struct record *r = NULL;
	int64_t deadline = io_deadline(c->timeout);
	int fd = -1, rc;

	*remote_out = -1;
	if (net_connect(c->host, c->port, c->family, deadline, &fd) == -1)
		return STATUS_SYS;
	if ((rc = client_establish(c, fd, c->target, c->target_desc, c->peer,
		 deadline, &r)) == 0)
		rc = client_relay(r, in, out, remote_out);
	record_free(r);
	close(fd);
	return rc;
}
