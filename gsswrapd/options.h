/*
 * options: gsswrapd's command line and the authorization policy built from
 * it (rebuilt on SIGHUP in standalone mode).
 */
#ifndef GSSWRAPD_OPTIONS_H
#define GSSWRAPD_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

#include "protect.h"

struct acl;

#define OPTIONS_HANDSHAKE 10  /* default -T */
#define OPTIONS_MAX_CONNS 100 /* default -n */

struct options {
	/* Acceptor. */
	const char *keytab;
	const char *service;
	int service_set; /* -s given (the default is host) */
	const char *principal;
	/* Policy: the sources, and the ACL built from them. */
	const char **entries; /* -a */
	size_t nentries;
	const char **files; /* -A */
	size_t nfiles;
	int allow_any;
	struct acl *acl;
	/* Local account: -u USER, or -U (mapped from the principal). */
	const char *user;
	int map_user;
	int delegation; /* --delegation: accept forwarded credentials */
	int check;	/* --check: report on the keytab and exit */
	/* Limits and logging. */
	unsigned int handshake; /* -T */
	unsigned int idle;	/* -I, 0 = none */
	int debug;		/* -d */
	/* Standalone mode. */
	const char **listen; /* -l */
	size_t nlisten;
	unsigned int max_conns; /* -n */
	int foreground;		/* -f */
	const char *pidfile;	/* -P */
	/* Backend: a program, or a connection to forward to. */
	char **argv;		  /* -- PROGRAM ARGS */
	const char *forward;	  /* -c HOST:PORT or /unix/path */
	int proxy_header;	  /* --proxy-header */
	enum protect_mode crypto; /* --crypto */
	/* -r PRINCIPAL=TARGET: the target chosen by the principal asked for. */
	const char **routes;
	size_t nroutes;
};

/*
 * options_parse(argc, argv, o): fill o from the command line and build the
 * policy. -h and -V print and exit. Returns 0, or -1 after logging what is
 * wrong with which option. o must be released with options_free.
 */
int options_parse(int argc, char **argv, struct options *o);

/*
 * options_load_policy(o): rebuild o->acl from the -a entries and -A files.
 * On failure (logged, naming file and line) the previous policy stays.
 * Returns 0 or -1.
 */
int options_load_policy(struct options *o);

/*
 * options_target(o, service): where a session for the acceptor principal
 * service goes: the -r target routed for it, else -c TARGET; NULL for the
 * PROGRAM, or (with routes) when no route names service.
 */
const char *options_target(const struct options *o, const char *service);

/* options_free(o): release what options_parse allocated. */
void options_free(struct options *o);

#endif
