/* One session: handshake, authorization, hello, backend, relay, log line. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <gssapi/gssapi.h>

#include "acl.h"
#include "backend.h"
#include "conn.h"
#include "creds.h"
#include "deleg.h"
#include "err.h"
#include "frame.h"
#include "handshake.h"
#include "io.h"
#include "localuser.h"
#include "log.h"
#include "net.h"
#include "options.h"
#include "principal.h"
#include "record.h"
#include "relay.h"
#include "session.h"
#include "spawn.h"
#include "status.h"

/* Everything known about the connection, for messages and the log line. */
struct conn {
	int sock;
	char addr[64], port[16];
	char peer[128];		  /* "client ADDR port PORT" */
	struct principal client;  /* client principal */
	struct principal service; /* acceptor principal used */
	int64_t start;
	struct relay_stats st;
	int wstatus; /* the program's, or -1 */
	struct localuser user;
	int has_user;		     /* -u or -U resolved user */
	gss_cred_id_t deleg;	     /* delegated credentials, if accepted */
	char ccache[DELEG_PATH_MAX]; /* where they are for the program */
};

/*
 * Every configured check must pass: the ACL (a denial wins; --allow-any
 * admits the service's own realm, as both names parse), then krb5_kuserok
 * for the local account (-u/-U). Returns 0 or -1 with reason.
 */
static int
allowed(const struct options *o, struct conn *c, char *reason, size_t cap)
{
	int r;

	/* Before any policy: no allow entry can admit these. */
	if (c->client.control) {
		snprintf(reason, cap,
		    "principal names with control characters are refused");
		return -1;
	}
	if (c->client.anonymous) {
		snprintf(reason, cap, "anonymous principals are refused");
		return -1;
	}
	if (o->nentries > 0 || o->nfiles > 0 || o->allow_any) {
		r = acl_check(o->acl, c->client.name, c->client.realm);
		if (r == ACL_NOMATCH && o->allow_any &&
		    strcmp(c->client.realm, c->service.realm) == 0)
			r = ACL_ALLOW;
		if (r != ACL_ALLOW) {
			snprintf(reason, cap,
			    "principal %s is not authorized for %s",
			    c->client.name, c->service.name);
			return -1;
		}
	}
	if (o->user != NULL || o->map_user) {
		if (localuser_resolve(c->client.name, o->user, &c->user, reason,
			cap) == -1)
			return -1;
		c->has_user = 1;
	}
	return 0;
}

static int
authorize(const struct options *o, struct conn *c, struct record *r)
{
	char reason[1100]; /* truncated to FRAME_MAX_ABORT_TEXT when sent */

	if (allowed(o, c, reason, sizeof(reason)) == 0)
		return 0;
	log_err("refusing %s from %s: %s", c->client.name, c->peer, reason);
	record_abort(r, FRAME_ABORT_UNAUTHORIZED, reason);
	return STATUS_AUTH;
}

/* Start the backend and relay until the session ends. */
static int
serve(const struct options *o, struct conn *c, struct record *r)
{
	struct spawn_identity id = { c->client.name, "krb5", c->service.name,
		c->addr, c->port, c->has_user ? &c->user : NULL, NULL };
	char ccname[DELEG_PATH_MAX + 8];
	const char *target = options_target(o, c->service.name);
	char reason[600];
	struct relay_ends ends;
	struct backend b;
	int rc;

	if (o->nroutes > 0 && target == NULL) {
		snprintf(reason, sizeof(reason), "no service for %s here",
		    c->service.name);
		log_err("refusing %s from %s: %s", c->client.name, c->peer,
		    reason);
		record_abort(r, FRAME_ABORT_UNAVAILABLE, reason);
		snprintf(c->st.reason, sizeof(c->st.reason), "no route");
		return STATUS_SYS;
	}
	/* Stored only now: after authorization, for the right account. */
	if (c->deleg != GSS_C_NO_CREDENTIAL) {
		if (deleg_store(c->deleg, id.user, c->ccache) == -1) {
			record_abort(r, FRAME_ABORT_INTERNAL,
			    "delegated credentials could not be stored");
			return STATUS_SYS;
		}
		snprintf(ccname, sizeof(ccname), "FILE:%s", c->ccache);
		id.ccache = ccname;
	}

	if (backend_start(o, target, c->sock, &id, &b) == -1) {
		record_abort(r, FRAME_ABORT_UNAVAILABLE,
		    target != NULL ?
			"the service could not be reached" :
			"the service program could not be started");
		snprintf(c->st.reason, sizeof(c->st.reason),
		    "backend unavailable");
		return STATUS_SYS;
	}
	ends.in = b.fd;
	ends.out = b.fd;
	ends.log = b.errfd;
	ends.log_label = b.label;
	ends.idle = o->idle;
	ends.child = b.pid > 0 ? b.pid : 0;
	ends.peer_exit = 0;
	rc = relay_run(r, &ends, &c->st);
	backend_finish(&b, rc != 0, c->st.child_wstatus, &c->wstatus);
	return rc;
}

/*
 * A probe (gsswrap --check): authenticated and authorized, but no backend
 * is started; both sides just exchange EOF (PROTOCOL §6).
 */
static int
probe(struct conn *c, struct record *r)
{
	struct relay_ends ends = { -1, -1, -1, NULL, 0, 0, 0 };
	int null, rc;

	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1) {
		log_err("cannot open /dev/null: %s", strerror(errno));
		return STATUS_SYS;
	}
	ends.in = ends.out = null;
	rc = relay_run(r, &ends, &c->st);
	close(null);
	if (rc == 0)
		snprintf(c->st.reason, sizeof(c->st.reason), "probe");
	return rc;
}

/* " KEY=VALUE": VALUE quoted (log_quote), or a bare '-' when absent. */
static void
field(FILE *f, const char *key, const char *value)
{
	fprintf(f, " %s=", key);
	if (value == NULL)
		putc('-', f);
	else
		log_quote(f, value);
}

/*
 * The one line a session leaves (gsswrapd(8), LOGGING): every free-text
 * value is quoted, so a principal cannot forge fields or lines.
 */
static void
log_session(const struct conn *c, int rc)
{
	char prog[64] = "";
	int64_t ms = io_now_ms() - c->start;
	char *line = NULL;
	size_t len = 0;
	FILE *f;

	if (c->wstatus != -1 && WIFEXITED(c->wstatus))
		snprintf(prog, sizeof(prog), "exit %d",
		    WEXITSTATUS(c->wstatus));
	else if (c->wstatus != -1 && WIFSIGNALED(c->wstatus))
		snprintf(prog, sizeof(prog), "signal %d", WTERMSIG(c->wstatus));
	if ((f = open_memstream(&line, &len)) == NULL) {
		log_err("out of memory for the session line");
		return;
	}
	fputs("session", f);
	field(f, "peer", c->client.name);
	fprintf(f, " addr=%s port=%s", c->addr, c->port);
	field(f, "service", c->service.name);
	fputs(" mech=krb5", f);
	field(f, "local_user", c->has_user ? c->user.name : NULL);
	fprintf(f,
	    " delegated=%s outcome=%s bytes_in=%llu bytes_out=%llu "
	    "duration=%lld.%03llds",
	    c->deleg != GSS_C_NO_CREDENTIAL ? "yes" : "no",
	    rc == 0 ? "ok" : "failed", (unsigned long long)c->st.bytes_in,
	    (unsigned long long)c->st.bytes_out, (long long)(ms / 1000),
	    (long long)(ms % 1000));
	field(f, "program", prog[0] != '\0' ? prog : NULL);
	field(f, "reason", c->st.reason);
	if (fclose(f) == 0)
		log_info("%s", line);
	free(line);
}

/* PROTOCOL §6: the HELLO exchange, its failure logged here, once. */
static int
hello(struct conn *c, struct record *r, int64_t deadline, uint32_t *flags_out)
{
	char why[1024];
	enum err e;

	e = session_hello_acceptor(r, deadline, flags_out, why, sizeof(why));
	if (e == ERR_OK)
		return 0;
	log_err("%s", why);
	snprintf(c->st.reason, sizeof(c->st.reason), "%s",
	    record_peer_aborted(r) ? "aborted by peer" :
		e == ERR_TIMEOUT   ? "handshake timeout" :
				     "hello failed");
	return err_status(e);
}

/* Authenticate, authorize, hello, then serve. */
static int
session(const struct options *o, struct conn *c)
{
	gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
	gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
	struct record *r = NULL;
	int64_t deadline = io_deadline(o->handshake);
	char desc[512];
	uint32_t hello_flags = 0;
	OM_uint32 min;
	int rc;

	/* With -r routes, any key of the keytab; serve() picks the route. */
	if (creds_acceptor(o->keytab, o->nroutes > 0 ? NULL : o->service,
		o->principal, &cred, desc, sizeof(desc)) == -1) {
		handshake_refuse(c->sock, FRAME_ERR_INTERNAL, c->peer,
		    deadline);
		io_linger(c->sock, io_now_ms() + IO_LINGER_MS);
		snprintf(c->st.reason, sizeof(c->st.reason), "no acceptor key");
		return STATUS_SYS;
	}
	rc = handshake_accept(c->sock, cred, c->peer, deadline, &ctx,
	    &c->client, &c->service, o->delegation ? &c->deleg : NULL,
	    c->st.reason, sizeof(c->st.reason));
	gss_release_cred(&min, &cred);
	if (ctx == GSS_C_NO_CONTEXT)
		return rc;
	if ((r = record_new(c->sock, &ctx, c->peer, o->crypto)) == NULL) {
		snprintf(c->st.reason, sizeof(c->st.reason),
		    "record protection failed");
		return STATUS_SYS;
	}
	if (rc != 0) {
		/* c->st.reason says which (handshake_accept). */
		record_abort(r, FRAME_ABORT_PROTOCOL,
		    "security requirements not met (see the server log)");
		goto done;
	}
	setproctitle("session %s from %s", c->client.name, c->addr);
	snprintf(c->st.reason, sizeof(c->st.reason), "not authorized");
	if ((rc = authorize(o, c, r)) != 0)
		goto done;
	if ((rc = hello(c, r, deadline, &hello_flags)) != 0)
		goto done;
	rc = (hello_flags & FRAME_HELLO_PROBE) ? probe(c, r) : serve(o, c, r);
done:
	record_free(r);
	return rc;
}

int
conn_serve(const struct options *o, int sock)
{
	struct conn c;
	OM_uint32 min;
	int rc;

	memset(&c, 0, sizeof(c));
	c.deleg = GSS_C_NO_CREDENTIAL;
	c.sock = sock;
	c.start = io_now_ms();
	c.wstatus = -1;
	net_nodelay(sock);
	net_peer_text(sock, c.addr, sizeof(c.addr), c.port, sizeof(c.port));
	snprintf(c.peer, sizeof(c.peer), "client %s port %s", c.addr, c.port);
	rc = session(o, &c);
	/* On every path, once the program is gone: no ccache left behind. */
	deleg_destroy(c.ccache);
	log_session(&c, rc);
	gss_release_cred(&min, &c.deleg);
	principal_clear(&c.client);
	principal_clear(&c.service);
	return rc;
}
