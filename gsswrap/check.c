/* gsswrap --check: diagnose the way to a gsswrapd, one step at a time. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <krb5.h>

#include "check.h"
#include "client.h"
#include "enctype.h"
#include "frame.h"
#include "status.h"

static void
when(krb5_timestamp t, char *buf, size_t cap)
{
	time_t tt = (time_t)(uint32_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(buf, cap, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, cap, "%ld", (long)tt);
}

/* A hint for the errors users meet most. */
static const char *
hint(krb5_error_code code)
{
	switch (code) {
	case KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN:
		return "the KDC has no such service principal: check -s/-p "
		       "and the host name (no DNS canonicalization is done)";
	case KRB5KRB_AP_ERR_SKEW:
		return "clock skew: synchronise the clocks (NTP)";
	case KRB5_KDC_UNREACH:
	case KRB5_REALM_CANT_RESOLVE:
		return "the KDC cannot be reached: check [realms] in "
		       "krb5.conf and that the KDC is running";
	case KRB5KRB_AP_ERR_TKT_EXPIRED:
	case KRB5KDC_ERR_TGT_REVOKED:
		return "the ticket expired: run kinit";
	case KRB5_FCC_NOFILE:
	case KRB5_CC_NOTFOUND:
		return "no ticket: run kinit (or give -c CCACHE or -k KEYTAB)";
	default:
		return "see the Kerberos message above";
	}
}

static int
fail_krb(krb5_context ctx, krb5_error_code code, const char *what)
{
	const char *m = krb5_get_error_message(ctx, code);

	printf("FAIL %s: %s\n", what, m);
	printf("hint: %s\n", hint(code));
	krb5_free_error_message(ctx, m);
	return STATUS_AUTH;
}

/* The ccache, its principal, and its TGT's lifetime. */
static int
check_ccache(krb5_context ctx, krb5_ccache cc, krb5_principal *me_out)
{
	krb5_principal me = NULL;
	krb5_cc_cursor cur;
	krb5_creds cr;
	krb5_error_code ret;
	char *name = NULL, t[64];
	int found = 0, rc = 0;

	printf("ok   ccache %s:%s\n", krb5_cc_get_type(ctx, cc),
	    krb5_cc_get_name(ctx, cc));
	if ((ret = krb5_cc_get_principal(ctx, cc, &me)) != 0)
		return fail_krb(ctx, ret, "client principal");
	(void)krb5_unparse_name(ctx, me, &name);
	printf("ok   client principal %s\n", name);
	if (krb5_cc_start_seq_get(ctx, cc, &cur) == 0) {
		while (krb5_cc_next_cred(ctx, cc, &cur, &cr) == 0) {
			if (!found &&
			    krb5_is_config_principal(ctx, cr.server) == FALSE &&
			    cr.server->length == 2 &&
			    cr.server->data[0].length == 6 &&
			    memcmp(cr.server->data[0].data, "krbtgt", 6) == 0) {
				found = 1;
				when(cr.times.endtime, t, sizeof(t));
				if (cr.times.endtime <=
				    (krb5_timestamp)time(NULL)) {
					printf("FAIL TGT expired at %s\n", t);
					printf("hint: run kinit\n");
					rc = STATUS_AUTH;
				} else
					printf("ok   TGT valid until %s\n", t);
			}
			krb5_free_cred_contents(ctx, &cr);
		}
		krb5_cc_end_seq_get(ctx, cc, &cur);
	}
	if (!found)
		printf("note no TGT in the ccache\n");
	krb5_free_unparsed_name(ctx, name);
	*me_out = me;
	return rc;
}

/* A service ticket for the target, as the KDC issues it. */
static int
check_ticket(krb5_context ctx, krb5_ccache cc, krb5_principal me,
    const char *target)
{
	krb5_creds in, *out = NULL;
	krb5_principal srv = NULL;
	krb5_error_code ret;
	char et[64], t[64];
	int rc = 0;

	if ((ret = krb5_parse_name(ctx, target, &srv)) != 0)
		return fail_krb(ctx, ret, "target principal");
	memset(&in, 0, sizeof(in));
	in.client = me;
	in.server = srv;
	if ((ret = krb5_get_credentials(ctx, 0, cc, &in, &out)) != 0)
		rc = fail_krb(ctx, ret, "service ticket");
	else {
		enctype_name(out->keyblock.enctype, et, sizeof(et));
		when(out->times.endtime, t, sizeof(t));
		printf("ok   service ticket, session key %s, valid until %s\n",
		    et, t);
	}
	krb5_free_creds(ctx, out);
	krb5_free_principal(ctx, srv);
	return rc;
}

/* Kerberos side, with the krb5 API for precise messages. */
static int
check_kerberos(const struct client *c)
{
	krb5_context ctx;
	krb5_ccache cc = NULL;
	krb5_principal me = NULL;
	krb5_error_code ret;
	int rc;

	if (krb5_init_context(&ctx) != 0) {
		printf("FAIL cannot initialise Kerberos\n");
		return STATUS_SYS;
	}
	ret = c->ccache != NULL ? krb5_cc_resolve(ctx, c->ccache, &cc) :
				  krb5_cc_default(ctx, &cc);
	if (ret != 0)
		rc = fail_krb(ctx, ret, "ccache");
	else if ((rc = check_ccache(ctx, cc, &me)) == 0)
		rc = check_ticket(ctx, cc, me, c->target_desc);
	krb5_free_principal(ctx, me);
	if (cc != NULL)
		krb5_cc_close(ctx, cc);
	krb5_free_context(ctx);
	return rc;
}

static const char *
session_hint(int rc)
{
	switch (rc) {
	case STATUS_SYS:
		return "the server cannot be reached: is gsswrapd running on "
		       "that host and port?";
	case STATUS_PROTO:
		return "whatever answers there does not speak gsswrap";
	case STATUS_TRUNC:
		return "the server closed the connection: see its log";
	default:
		return "authentication or authorization was refused: see the "
		       "reason above";
	}
}

int
check_run(struct client *c, int prepared)
{
	int rc, remote, null;

	printf("ok   target principal %s\n", c->target_desc);
	if (c->client_keytab != NULL && prepared != 0) {
		printf("FAIL client keytab %s (see above)\n", c->client_keytab);
		printf("hint: check the keytab path and that it holds the "
		       "client's key\n");
		return prepared;
	}
	if (c->client_keytab != NULL)
		printf("ok   client keytab %s\n", c->client_keytab);
	else if ((rc = check_kerberos(c)) != 0)
		return rc;
	if (prepared != 0)
		return prepared;
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1) {
		printf("FAIL /dev/null: %s\n", strerror(errno));
		return STATUS_SYS;
	}
	/* A probe: authenticated and authorized, but no program started. */
	c->hello_flags = FRAME_HELLO_PROBE;
	rc = client_session(c, null, null, &remote);
	close(null);
	if (rc != 0) {
		printf("FAIL session with %s (status %d)\n", c->peer, rc);
		printf("hint: %s\n", session_hint(rc));
		return rc;
	}
	printf("ok   %s speaks gsswrap protocol %d; mutual authentication "
	       "as %s succeeded; we are authorized\n",
	    c->peer, FRAME_VERSION, c->target_desc);
	return 0;
}
