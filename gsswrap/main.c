/*
 * gsswrap: the client. `gsswrap [OPTIONS] HOST PORT` connects to a gsswrapd,
 * authenticates with Kerberos and relays stdin/stdout through the
 * protected session (usable as git's core.gitProxy or ssh's ProxyCommand).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <gssapi/gssapi.h>

#include "args.h"
#include "creds.h"
#include "handshake.h"
#include "io.h"
#include "log.h"
#include "net.h"
#include "record.h"
#include "relay.h"
#include "session.h"
#include "status.h"

#define DEFAULT_TIMEOUT 30

struct options {
	const char *service;
	const char *principal;
	const char *ccache;
	const char *client_keytab;
	unsigned int timeout;
	int family;
	int verbose;
	int delegate;
	const char *host;
	const char *port;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: gsswrap [-s SERVICE | -p PRINCIPAL] [-c CCACHE] "
	    "[-k CLIENT_KEYTAB]\n"
	    "               [-t SECONDS] [-4 | -6] [-D] [-v] HOST PORT\n"
	    "       gsswrap -h | -V\n"
	    "Connect to a gsswrapd on HOST PORT, authenticate with Kerberos "
	    "and relay\nstdin/stdout over the encrypted session.\n"
	    "  -s SERVICE     target service SERVICE/HOST (default: host)\n"
	    "  -p PRINCIPAL   target this exact service principal\n"
	    "  -c CCACHE      use this credential cache\n"
	    "  -k KEYTAB      authenticate from this client keytab\n"
	    "  -t SECONDS     connect and handshake deadline (default %d, "
	    "0 = none)\n"
	    "  -4, -6         use IPv4 or IPv6 only\n"
	    "  -D             delegate (forward) the TGT, if the KDC marks the "
	    "service\n                 ok-as-delegate\n"
	    "  -v             verbose\n"
	    "Exit status: 0 success, %d usage, %d authentication refused, "
	    "%d protocol\nviolation, %d truncated, %d network or system "
	    "failure. See gsswrap(1).\n",
	    DEFAULT_TIMEOUT, STATUS_USAGE, STATUS_AUTH, STATUS_PROTO,
	    STATUS_TRUNC, STATUS_SYS);
}

static int
parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->service = "host";
	o->timeout = DEFAULT_TIMEOUT;
	o->family = AF_UNSPEC;
	while ((c = getopt_long(argc, argv, "+s:p:c:k:t:46DvhV", longopts,
		    NULL)) != -1) {
		switch (c) {
		case 's':
			o->service = optarg;
			break;
		case 'p':
			o->principal = optarg;
			break;
		case 'c':
			o->ccache = optarg;
			break;
		case 'k':
			o->client_keytab = optarg;
			break;
		case 't':
			if (args_seconds(optarg, "-t", &o->timeout) == -1)
				return -1;
			break;
		case '4':
			o->family = AF_INET;
			break;
		case '6':
			o->family = AF_INET6;
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'D':
			o->delegate = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("gsswrap %s (protocol 1)\n", PACKAGE_VERSION);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (argc - optind != 2) {
		log_err("expected HOST PORT (see gsswrap -h)");
		return -1;
	}
	o->host = argv[optind];
	o->port = argv[optind + 1];
	if (o->host[0] == '\0') {
		log_err("empty host name");
		return -1;
	}
	if (args_port(o->port) == -1) {
		log_err("invalid port \"%s\"", o->port);
		return -1;
	}
	return 0;
}

/* Non-blocking stdio (not terminals), restored on the way out. */
struct stdio_state {
	int flags[2];
};

static void
stdio_nonblock(struct stdio_state *st)
{
	int fd;

	for (fd = 0; fd < 2; fd++) {
		st->flags[fd] = fcntl(fd, F_GETFL);
		if (st->flags[fd] != -1 && !isatty(fd))
			(void)io_set_nonblock(fd, 1);
	}
}

static void
stdio_restore(const struct stdio_state *st)
{
	int fd;

	for (fd = 0; fd < 2; fd++)
		if (st->flags[fd] != -1)
			(void)fcntl(fd, F_SETFL, st->flags[fd]);
}

static int
run(const struct options *o)
{
	gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
	gss_name_t target = GSS_C_NO_NAME;
	gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
	struct record *r = NULL;
	struct relay_ends ends = { 0, 1, -1, NULL, 0 };
	struct relay_stats st;
	struct stdio_state stdio;
	int64_t deadline = io_deadline(o->timeout);
	char tdesc[512], peer[512];
	OM_uint32 min;
	int fd = -1, rc;

	memset(&st, 0, sizeof(st));
	snprintf(peer, sizeof(peer), "%s port %s", o->host, o->port);
	/* Credentials first: no ticket is reported before any connection. */
	if (creds_target(o->service, o->host, o->principal, &target, tdesc,
		sizeof(tdesc)) == -1) {
		rc = STATUS_USAGE;
		goto cleanup;
	}
	log_debug("target principal %s", tdesc);
	if (creds_initiator(o->ccache, o->client_keytab, &cred) == -1) {
		rc = STATUS_AUTH;
		goto cleanup;
	}
	if (net_connect(o->host, o->port, o->family, deadline, &fd) == -1) {
		rc = STATUS_SYS;
		goto cleanup;
	}
	if ((rc = handshake_initiate(fd, cred, target, tdesc, peer, deadline,
		 o->delegate, &ctx)) != 0)
		goto cleanup;
	if ((r = record_new(fd, ctx, peer)) == NULL) {
		gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
		rc = STATUS_SYS;
		goto cleanup;
	}
	if ((rc = session_hello_initiator(r, deadline)) != 0)
		goto cleanup;
	log_debug("authenticated to %s as %s", peer, tdesc);
	stdio_nonblock(&stdio);
	rc = relay_run(r, &ends, &st);
	stdio_restore(&stdio);
	log_debug("session with %s ended: %s (%llu bytes in, %llu out)", peer,
	    st.reason, (unsigned long long)st.bytes_in,
	    (unsigned long long)st.bytes_out);
cleanup:
	record_free(r);
	if (fd != -1)
		close(fd);
	gss_release_name(&min, &target);
	gss_release_cred(&min, &cred);
	return rc;
}

int
main(int argc, char **argv)
{
	struct options o;

	if (io_sanitise_stdfd() == -1)
		return STATUS_SYS;
	signal(SIGPIPE, SIG_IGN);
	log_init("gsswrap", LOG_TO_STDERR, 0);
	if (parse(argc, argv, &o) == -1)
		return STATUS_USAGE;
	log_init("gsswrap", LOG_TO_STDERR, o.verbose);
	return run(&o);
}
