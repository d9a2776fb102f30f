/* gsswrapd's command line. */
#include "config.h"

#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acl.h"
#include "args.h"
#include "log.h"
#include "options.h"
#include "status.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: gsswrapd [-k KEYTAB] [-s SERVICE | -p PRINCIPAL] POLICY "
	    "[-T SECONDS] [-I SECONDS] [-d]\n"
	    "                [-l [ADDR:]PORT]... [-n MAX] [-f] [-P PIDFILE]\n"
	    "                (-- PROGRAM [ARGS...] | -c HOST:PORT | -c "
	    "/unix/path | -r PRINCIPAL=TARGET...)\n"
	    "                [--proxy-header] [--crypto=auto|native|gss]\n"
	    "       gsswrapd --check [-k KEYTAB] [-s SERVICE | -p PRINCIPAL | "
	    "-r PRINCIPAL=TARGET...]\n"
	    "       gsswrapd -h | -V\n"
	    "Authenticate clients with Kerberos, authorize them, then run "
	    "PROGRAM or forward\nto a plaintext service over the encrypted "
	    "session. Without -l (or systemd socket\nactivation) the client "
	    "connection is on fd 0 (inetd, xinetd, systemd Accept=yes).\n"
	    "  -k KEYTAB        keytab with the service key\n"
	    "  -s SERVICE       accept SERVICE/<any host in the keytab> "
	    "(default: host)\n"
	    "  -p PRINCIPAL     accept exactly this service principal\n"
	    "  POLICY, at least one of:\n"
	    "    -a PRINCIPAL   allow this client principal, or *@REALM "
	    "(repeatable)\n"
	    "    -A ACL_FILE    allow/deny the entries of this file "
	    "(re-read on SIGHUP)\n"
	    "    --allow-any    allow any principal of the service's realm\n"
	    "    -u USER        run as USER; the principal must pass "
	    "krb5_kuserok for USER\n"
	    "    -U             run as the account the principal maps to "
	    "(with krb5_kuserok)\n"
	    "  -T SECONDS       handshake deadline (default %d, 0 = none)\n"
	    "  -I SECONDS       idle timeout, no bytes either way (default: "
	    "none)\n"
	    "  -d               log to stderr instead of syslog, with debug "
	    "messages\n"
	    "  --syslog-facility NAME  syslog facility (default: daemon)\n"
	    "  -l [ADDR:]PORT   listen (repeatable; PORT alone: all IPv4 "
	    "and IPv6 addresses)\n"
	    "  -n MAX           at most MAX sessions at once (default %d)\n"
	    "  -f               stay in the foreground\n"
	    "  -P PIDFILE       write the listener's pid to PIDFILE\n"
	    "  -c TARGET        forward to HOST:PORT or a UNIX socket path\n"
	    "  -r PRINCIPAL=TARGET  forward sessions for this service "
	    "principal to TARGET\n"
	    "                   (repeatable; accepts any key in the keytab, "
	    "refuses the rest)\n"
	    "  --proxy-header   send a PROXY v2 header with the principal "
	    "first (with -c)\n"
	    "  --delegation     accept forwarded credentials (gsswrap -D) into "
	    "KRB5CCNAME\n"
	    "  --crypto MODE    record protection: auto (default: native for "
	    "AES, else\n"
	    "                   GSS-API), native (own code) or gss "
	    "(gss_wrap)\n"
	    "Exit status: 0 success, %d usage, %d authentication refused, "
	    "%d protocol\nviolation, %d truncated, %d network or system "
	    "failure. See gsswrapd(8).\n",
	    OPTIONS_HANDSHAKE, OPTIONS_MAX_CONNS, STATUS_USAGE, STATUS_AUTH,
	    STATUS_PROTO, STATUS_TRUNC, STATUS_SYS);
}

static int
push(const char ***v, size_t *n, const char *s)
{
	const char **nv = reallocarray(*v, *n + 1, sizeof(**v));

	if (nv == NULL) {
		log_err("out of memory");
		return -1;
	}
	nv[(*n)++] = s;
	*v = nv;
	return 0;
}

int
options_load_policy(struct options *o)
{
	struct acl *a = acl_new();
	char err[256];
	size_t i;

	if (a == NULL) {
		log_err("out of memory");
		return -1;
	}
	for (i = 0; i < o->nentries; i++) {
		if (acl_add(a, o->entries[i], err, sizeof(err)) == -1) {
			log_err("-a %s: %s", o->entries[i], err);
			goto fail;
		}
	}
	for (i = 0; i < o->nfiles; i++)
		if (acl_load(a, o->files[i]) == -1)
			goto fail;
	acl_free(o->acl);
	o->acl = a;
	return 0;
fail:
	acl_free(a);
	return -1;
}

/* A forward target: HOST:PORT, [ADDR]:PORT or /path; arg names it. */
static int
target_ok(const char *opt, const char *arg, const char *target)
{
	char h[256], p[64];

	if (target[0] != '/' &&
	    args_hostport(target, 0, h, sizeof(h), p, sizeof(p)) == -1) {
		log_err("%s %s: expected %sHOST:PORT, [ADDR]:PORT or /path",
		    opt, arg, target != arg ? "PRINCIPAL=" : "");
		return -1;
	}
	return 0;
}

/* -r PRINCIPAL=TARGET: a principal with its realm, once; a target. */
static int
route_ok(const struct options *o, size_t i)
{
	const char *r = o->routes[i], *eq = strchr(r, '=');
	size_t j, n;

	if (eq == NULL || eq == r || memchr(r, '@', (size_t)(eq - r)) == NULL ||
	    eq[-1] == '@') {
		log_err("-r %s: expected PRINCIPAL=TARGET, the principal with "
			"its realm (host/server.example.com@EXAMPLE.COM=...)",
		    r);
		return -1;
	}
	n = (size_t)(eq - r) + 1;
	for (j = 0; j < i; j++)
		if (strncmp(o->routes[j], r, n) == 0) {
			log_err("-r %.*s: routed twice", (int)(n - 1), r);
			return -1;
		}
	return target_ok("-r", r, eq + 1);
}

const char *
options_target(const struct options *o, const char *service)
{
	size_t i, n = strlen(service);

	if (o->nroutes == 0)
		return o->forward;
	for (i = 0; i < o->nroutes; i++)
		if (strncmp(o->routes[i], service, n) == 0 &&
		    o->routes[i][n] == '=')
			return o->routes[i] + n + 1;
	return NULL;
}

/*
 * Each value given is usable: the -u account exists, -c, -r and -l parse,
 * the -a entries and -A files load. Also what --check checks (like sshd
 * -t), without asking for a complete command line.
 */
static int
validate(struct options *o)
{
	char h[256], p[64];
	size_t i;

	if (o->user != NULL && getpwnam(o->user) == NULL) {
		log_err("-u %s: no such local account", o->user);
		return -1;
	}
	if (o->forward != NULL && target_ok("-c", o->forward, o->forward) == -1)
		return -1;
	for (i = 0; i < o->nroutes; i++)
		if (route_ok(o, i) == -1)
			return -1;
	for (i = 0; i < o->nlisten; i++) {
		if (args_hostport(o->listen[i], 1, h, sizeof(h), p,
			sizeof(p)) == -1) {
			log_err("-l %s: expected [ADDR:]PORT", o->listen[i]);
			return -1;
		}
	}
	return options_load_policy(o);
}

/* Cross-option rules, once everything is read. */
static int
check(struct options *o)
{
	if (o->nentries == 0 && o->nfiles == 0 && !o->allow_any &&
	    o->user == NULL && !o->map_user) {
		log_err("no authorization policy: give -a PRINCIPAL, "
			"-A ACL_FILE, -u USER, -U or --allow-any");
		return -1;
	}
	if (o->user != NULL && o->map_user) {
		log_err("give either -u USER or -U, not both");
		return -1;
	}
	if (o->argv == NULL && o->forward == NULL && o->nroutes == 0) {
		log_err("no PROGRAM to run (gsswrapd ... -- PROGRAM [ARGS]), "
			"no -c target to forward to and no -r route");
		return -1;
	}
	if ((o->argv != NULL) + (o->forward != NULL) + (o->nroutes > 0) > 1) {
		log_err("give one of -- PROGRAM, -c TARGET or -r routes");
		return -1;
	}
	if (o->nroutes > 0 && (o->principal != NULL || o->service_set)) {
		log_err("-r routes choose among the keytab's principals: no -s "
			"or -p with them");
		return -1;
	}
	if (o->delegation && o->argv == NULL) {
		log_err("--delegation needs a PROGRAM to give the credentials "
			"to, not -c or -r");
		return -1;
	}
	if (o->proxy_header && o->argv != NULL) {
		log_err("--proxy-header needs -c TARGET or -r routes");
		return -1;
	}
	return validate(o);
}

static int
option(struct options *o, int c, const char *arg)
{
	switch (c) {
	case 'k':
		o->keytab = arg;
		return 0;
	case 's':
		o->service = arg;
		o->service_set = 1;
		return 0;
	case 'p':
		o->principal = arg;
		return 0;
	case 'a':
		return push(&o->entries, &o->nentries, arg);
	case 'A':
		return push(&o->files, &o->nfiles, arg);
	case 'T':
		return args_seconds(arg, "-T", &o->handshake);
	case 'I':
		return args_seconds(arg, "-I", &o->idle);
	case 'd':
		o->debug = 1;
		return 0;
	case 'l':
		return push(&o->listen, &o->nlisten, arg);
	case 'n':
		return args_number(arg, "-n", 1, 100000, &o->max_conns);
	case 'f':
		o->foreground = 1;
		return 0;
	case 'P':
		o->pidfile = arg;
		return 0;
	case 'c':
		o->forward = arg;
		return 0;
	case 'r':
		return push(&o->routes, &o->nroutes, arg);
	case 'u':
		o->user = arg;
		return 0;
	case 'U':
		o->map_user = 1;
		return 0;
	default:
		return -1;
	}
}

/*
 * An unknown option or a missing argument: one line through the log
 * (syslog when the client's socket is on fd 2), the usage only to a
 * terminal.
 */
static void
bad_option(const char *arg, int missing)
{
	const char *what = missing ? "missing argument" : "unknown option";

	if (optopt > 0 && optopt < 256)
		log_err("-%c: %s (gsswrapd -h shows the usage)", optopt, what);
	else
		log_err("%s: %s (gsswrapd -h shows the usage)", arg, what);
	if (isatty(2))
		usage(stderr);
}

int
options_parse(int argc, char **argv, struct options *o)
{
	enum {
		OPT_ALLOW_ANY = 256,
		OPT_PROXY_HEADER,
		OPT_DELEGATION,
		OPT_CHECK,
		OPT_FACILITY,
		OPT_CRYPTO
	};
	static const struct option longopts[] = {
		{ "allow-any", no_argument, NULL, OPT_ALLOW_ANY },
		{ "proxy-header", no_argument, NULL, OPT_PROXY_HEADER },
		{ "delegation", no_argument, NULL, OPT_DELEGATION },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "syslog-facility", required_argument, NULL, OPT_FACILITY },
		{ "crypto", required_argument, NULL, OPT_CRYPTO },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	/* Not getopt's own messages: fd 2 may be the client's socket. */
	opterr = 0;
	memset(o, 0, sizeof(*o));
	o->service = "host";
	o->handshake = OPTIONS_HANDSHAKE;
	o->max_conns = OPTIONS_MAX_CONNS;
	while ((c = getopt_long(argc, argv, "+:k:s:p:a:A:T:I:dl:n:fP:c:r:u:UhV",
		    longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		if (c == 'V') {
			printf("gsswrapd %s (protocol 1)\n", PACKAGE_VERSION);
			exit(0);
		}
		if (c == OPT_ALLOW_ANY)
			o->allow_any = 1;
		else if (c == OPT_PROXY_HEADER)
			o->proxy_header = 1;
		else if (c == OPT_DELEGATION)
			o->delegation = 1;
		else if (c == OPT_CHECK)
			o->check = 1;
		else if (c == OPT_FACILITY) {
			if (log_facility(optarg) == -1) {
				log_err("--syslog-facility %s: not one of "
					"daemon, auth, authpriv, user, "
					"local0-local7",
				    optarg);
				return -1;
			}
		} else if (c == OPT_CRYPTO &&
		    protect_mode_parse(optarg, &o->crypto) == -1) {
			log_err("--crypto %s: not one of auto, native, gss",
			    optarg);
			return -1;
		} else if (c == OPT_CRYPTO)
			continue;
		else if (c == '?' || c == ':') {
			bad_option(argv[optind - 1], c == ':');
			return -1;
		} else if (option(o, c, optarg) == -1)
			return -1;
	}
	if (optind < argc)
		o->argv = argv + optind;
	/* --check: every value given must be usable, none is required. */
	return o->check ? validate(o) : check(o);
}

void
options_free(struct options *o)
{
	free(o->entries);
	free(o->files);
	free(o->listen);
	free(o->routes);
	acl_free(o->acl);
	memset(o, 0, sizeof(*o));
}
