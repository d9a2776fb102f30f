/*
 * wraplimit: the crypto ceiling for one gsswrap stream on this machine.
 * Establishes a real krb5 context pair in this process (initiator from the
 * ccache, acceptor from the keytab: the kdc-test realm's environment), then
 * times gss_wrap_iov alone and gss_unwrap_iov alone, in place, through the
 * GSS-API side of lib/protect/protect.c as the record layer uses it, for each
 * record size given.
 *
 *   wraplimit [-b MIB] SIZE...
 *
 * One line per size: size, wrap and unwrap MB/s (10^6 bytes), the ceiling
 * (the smaller: in a relay one process wraps while the other unwraps), and
 * the CPU seconds per GiB of wrap + unwrap together.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gssapi/gssapi_krb5.h>

#include "args.h"
#include "creds.h"
#include "gsserr.h"
#include "log.h"
#include "protect.h"

#define REQ_FLAGS                                                              \
	(GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG |         \
	    GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG)
#define SLACK 1024

static double
now(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run init/accept in memory until both sides are complete. */
static int
establish(gss_cred_id_t icred, gss_cred_id_t acred, gss_name_t target,
    gss_ctx_id_t *ictx, gss_ctx_id_t *actx)
{
	gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
	gss_buffer_desc back = GSS_C_EMPTY_BUFFER;
	OM_uint32 maj, amaj = GSS_S_CONTINUE_NEEDED, min;
	int round;

	for (round = 0; round < 4; round++) {
		maj = gss_init_sec_context(&min, icred, ictx, target,
		    (gss_OID)gss_mech_krb5, REQ_FLAGS, 0,
		    GSS_C_NO_CHANNEL_BINDINGS, &in, NULL, &out, NULL, NULL);
		gss_release_buffer(&min, &in);
		if (GSS_ERROR(maj)) {
			gsserr_log(maj, min, "initiator");
			return -1;
		}
		if (out.length > 0) {
			amaj = gss_accept_sec_context(&min, actx, acred, &out,
			    GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &back, NULL,
			    NULL, NULL);
			gss_release_buffer(&min, &out);
			if (GSS_ERROR(amaj)) {
				gsserr_log(amaj, min, "acceptor");
				return -1;
			}
			in = back;
			back.length = 0;
			back.value = NULL;
		}
		if (maj == GSS_S_COMPLETE && amaj == GSS_S_COMPLETE)
			return 0;
	}
	log_err("context establishment did not finish");
	return -1;
}

/*
 * One seal, in place, through lib/protect/protect.c as record_out_seal does;
 * returns the token length, 0 on failure.
 */
static size_t
wrap_one(struct protect *p, unsigned char *buf, size_t len)
{
	size_t hdr, pad, trl;

	if (protect_lengths(p, len, &hdr, &pad, &trl) == -1 ||
	    protect_seal(p, buf, hdr, len, pad, trl) == -1)
		return 0;
	return hdr + len + pad + trl;
}

/* One open, in place, as record_in_next does; 0 or -1. */
static int
unwrap_one(struct protect *p, unsigned char *tok, size_t len)
{
	char why[512];
	uint8_t *data;
	size_t dlen;

	return protect_open(p, tok, len, &data, &dlen, why, sizeof(why));
}

static int
measure(struct protect *ictx, struct protect *actx, size_t size, double bytes)
{
	double wcpu = 0, ucpu = 0, wwall = 0, uwall = 0, done = 0, t, c;
	unsigned char *buf = calloc(1, size + SLACK);
	size_t tok;

	if (buf == NULL) {
		free(buf);
		return -1;
	}
	while (done < bytes) {
		t = now(CLOCK_MONOTONIC);
		c = now(CLOCK_THREAD_CPUTIME_ID);
		tok = wrap_one(ictx, buf, size);
		wcpu += now(CLOCK_THREAD_CPUTIME_ID) - c;
		wwall += now(CLOCK_MONOTONIC) - t;
		t = now(CLOCK_MONOTONIC);
		c = now(CLOCK_THREAD_CPUTIME_ID);
		if (tok == 0 || unwrap_one(actx, buf, tok) == -1) {
			log_err("wrap/unwrap failed at %zu bytes", size);
			free(buf);
			return -1;
		}
		ucpu += now(CLOCK_THREAD_CPUTIME_ID) - c;
		uwall += now(CLOCK_MONOTONIC) - t;
		done += (double)size;
	}
	printf("size=%zu wrap_mbs=%.1f unwrap_mbs=%.1f ceiling_mbs=%.1f "
	       "cpu_s_per_gib=%.3f\n",
	    size, done / wwall / 1e6, done / uwall / 1e6,
	    done / (wwall > uwall ? wwall : uwall) / 1e6,
	    (wcpu + ucpu) * (1024.0 * 1024.0 * 1024.0) / done);
	fflush(stdout);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	gss_cred_id_t icred = GSS_C_NO_CREDENTIAL, acred = GSS_C_NO_CREDENTIAL;
	gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
	struct protect *iprot = NULL, *aprot = NULL;
	gss_name_t target = GSS_C_NO_NAME;
	unsigned int mib = 256, size;
	char desc[512];
	OM_uint32 min;
	int ch, i, rc = 1;

	log_init("wraplimit", LOG_TO_STDERR, 0);
	while ((ch = getopt(argc, argv, "b:")) != -1) {
		if (ch != 'b' ||
		    args_number(optarg, "-b", 1, 65536, &mib) == -1)
			return 2;
	}
	if (optind == argc) {
		fprintf(stderr, "usage: wraplimit [-b MIB] SIZE...\n");
		return 2;
	}
	if (creds_initiator(NULL, NULL, &icred) == -1 ||
	    creds_acceptor(NULL, "host", NULL, &acred, desc, sizeof(desc)) ==
		-1 ||
	    creds_target("host", "localhost", NULL, &target, desc,
		sizeof(desc)) == -1 ||
	    establish(icred, acred, target, &ictx, &actx) == -1)
		goto out;
	/* The GSS-API path: the ceiling of MIT's own crypto. */
	if ((iprot = protect_new(&ictx, PROTECT_GSS, "acceptor")) == NULL ||
	    (aprot = protect_new(&actx, PROTECT_GSS, "initiator")) == NULL)
		goto out;
	for (i = optind; i < argc; i++) {
		if (args_number(argv[i], "SIZE", 16, 16u << 20, &size) == -1 ||
		    measure(iprot, aprot, size, (double)mib * 1024 * 1024) ==
			-1)
			goto out;
	}
	rc = 0;
out:
	protect_free(iprot);
	protect_free(aprot);
	gss_delete_sec_context(&min, &ictx, GSS_C_NO_BUFFER);
	gss_delete_sec_context(&min, &actx, GSS_C_NO_BUFFER);
	gss_release_name(&min, &target);
	gss_release_cred(&min, &icred);
	gss_release_cred(&min, &acred);
	return rc;
}
