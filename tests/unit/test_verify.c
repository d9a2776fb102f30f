/* Unit tests for the flag checks of context_verify (PROTOCOL §4.4). */
#include "config.h"

#include <string.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "context.h"
#include "log.h"
#include "tap.h"

#define ALL                                                                    \
	(GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG |         \
	    GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG)

static void
missing(OM_uint32 flags, int acceptor, const char *what)
{
	char reason[256] = "";
	int rc = context_verify(GSS_C_NO_CONTEXT, flags, acceptor, reason,
	    sizeof(reason));

	TAP_OK(rc == -1 && strstr(reason, what) != NULL,
	    "%s refused without %s (%s)", acceptor ? "acceptor" : "initiator",
	    what, reason);
}

int
main(void)
{
	int acc;

	log_init("test_verify", LOG_TO_STDERR, 0);
	for (acc = 0; acc < 2; acc++) {
		OM_uint32 cb = acc ? GSS_C_CHANNEL_BOUND_FLAG : 0;

		missing((ALL | cb) & ~GSS_C_MUTUAL_FLAG, acc,
		    "mutual authentication");
		missing((ALL | cb) & ~GSS_C_REPLAY_FLAG, acc,
		    "replay detection");
		missing((ALL | cb) & ~GSS_C_SEQUENCE_FLAG, acc,
		    "sequence checking");
		missing((ALL | cb) & ~GSS_C_CONF_FLAG, acc, "confidentiality");
		missing((ALL | cb) & ~GSS_C_INTEG_FLAG, acc, "integrity");
		missing(0, acc, "mutual authentication");
	}
	missing(ALL, 1, "channel bindings");
	{
		char reason[256] = "";

		TAP_OK(context_verify(GSS_C_NO_CONTEXT,
			   ALL | GSS_C_CHANNEL_BOUND_FLAG | GSS_C_ANON_FLAG, 1,
			   reason, sizeof(reason)) == -1 &&
			strstr(reason, "anonymous") != NULL,
		    "acceptor refuses an anonymous client (%s)", reason);
	}
	{
		char reason[256] = "";

		/* With every flag, the check goes on to the session key. */
		TAP_OK(context_verify(GSS_C_NO_CONTEXT, ALL, 0, reason,
			   sizeof(reason)) == -1 &&
			strstr(reason, "session key") != NULL,
		    "all flags: the session key type is checked next");
	}
	return TAP_DONE();
}
