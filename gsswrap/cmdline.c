/* The client's command line (cmdline.h). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "args.h"
#include "client.h"
#include "cmdline.h"
#include "log.h"
#include "status.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: gsswrap [-s SERVICE | -p PRINCIPAL] [-c CCACHE] "
	    "[-k CLIENT_KEYTAB]\n"
	    "               [-t SECONDS] [-4 | -6] [-D] [-v] [-L [ADDR:]LPORT] "
	    "HOST PORT\n"
	    "       gsswrap [OPTIONS] run [-w HOST:PORT]... [-W FILE]... -- "
	    "CMD [ARGS...]\n"
	    "       gsswrap --check [OPTIONS] HOST PORT\n"
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
	    "  -L [ADDR:]LPORT  forward connections to this local port "
	    "(default address\n                 127.0.0.1), a session each; "
	    "-L /path: a UNIX socket (0600)\n"
	    "  --allow-users any|USER,...  local users besides you who may "
	    "use -L\n                 (default: only you)\n"
	    "  --crypto MODE  record protection: auto (default: native for "
	    "AES, "
	    "else\n                 GSS-API), native (own code) or gss "
	    "(gss_wrap)\n"
	    "  -v             verbose\n"
	    "run: start CMD so that its TCP connections to matching "
	    "destinations become\nsessions; -w HOST:PORT (\"*\" for any) adds "
	    "a destination, -W FILE reads\nrules (default "
	    "~/.config/gsswrap/wrap and /etc/gsswrap/wrap).\n"
	    "Exit status: 0 success, %d usage, %d authentication refused, "
	    "%d protocol\nviolation, %d truncated, %d network or system "
	    "failure; run: CMD's status. See gsswrap(1).\n",
	    CLIENT_TIMEOUT, STATUS_USAGE, STATUS_AUTH, STATUS_PROTO,
	    STATUS_TRUNC, STATUS_SYS);
}

int
cmdline_parse(int argc, char **argv, struct client *o)
{
	enum { OPT_CHECK = 256, OPT_CRYPTO, OPT_ALLOW_USERS };
	static const struct option longopts[] = {
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "allow-users", required_argument, NULL, OPT_ALLOW_USERS },
		{ "crypto", required_argument, NULL, OPT_CRYPTO },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, allow_users = 0;

	memset(o, 0, sizeof(*o));
	o->service = "host";
	o->timeout = CLIENT_TIMEOUT;
	o->family = AF_UNSPEC;
	while ((c = getopt_long(argc, argv, "+s:p:c:k:t:46DL:vhV", longopts,
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
		case 'L':
			o->listen = optarg;
			break;
		case OPT_CHECK:
			o->check = 1;
			break;
		case OPT_ALLOW_USERS:
			if (localpeer_parse(optarg, &o->allow) == -1)
				return -1;
			allow_users = 1;
			break;
		case OPT_CRYPTO:
			if (protect_mode_parse(optarg, &o->crypto) == -1) {
				log_err("--crypto %s: not one of auto, native, "
					"gss",
				    optarg);
				return -1;
			}
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
	if (allow_users && o->listen == NULL) {
		log_err("--allow-users is for -L");
		return -1;
	}
	if (optind < argc && strcmp(argv[optind], "run") == 0) {
		if (o->listen != NULL || o->check) {
			log_err("run cannot be combined with -L or --check");
			return -1;
		}
		o->run_argv = argv + optind;
		o->run_argc = argc - optind;
		return 0;
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
