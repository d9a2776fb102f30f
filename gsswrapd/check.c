/* gsswrapd --check: keytab entries against what the KDC issues. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <krb5.h>

#include "check.h"
#include "enctype.h"
#include "options.h"
#include "status.h"

#define MAX_PRINCS 32

struct checker {
	krb5_context ctx;
	krb5_keytab kt;
	/* -p, or the -r route principals; none: SERVICE/<host>. */
	krb5_principal want[MAX_PRINCS];
	size_t nwant;
	const char *service;
	krb5_principal found[MAX_PRINCS];
	size_t nfound;
};

static const char *
kerr(krb5_context ctx, krb5_error_code code, char *buf, size_t cap)
{
	const char *m = krb5_get_error_message(ctx, code);

	snprintf(buf, cap, "%s", m);
	krb5_free_error_message(ctx, m);
	return buf;
}

/* The acceptor would use this entry: a wanted principal, or SERVICE/host. */
static int
wanted(const struct checker *k, krb5_const_principal p)
{
	size_t i;

	for (i = 0; i < k->nwant; i++)
		if (krb5_principal_compare(k->ctx, k->want[i], p))
			return 1;
	if (k->nwant > 0)
		return 0;
	return p->length == 2 && p->data[0].length == strlen(k->service) &&
	    memcmp(p->data[0].data, k->service, p->data[0].length) == 0;
}

static void
remember(struct checker *k, krb5_const_principal p)
{
	size_t i;

	for (i = 0; i < k->nfound; i++)
		if (krb5_principal_compare(k->ctx, k->found[i], p))
			return;
	if (k->nfound < MAX_PRINCS &&
	    krb5_copy_principal(k->ctx, p, &k->found[k->nfound]) == 0)
		k->nfound++;
}

/* Every wanted principal needs a key: name the ones without. */
static int
missing(const struct checker *k)
{
	size_t i, j;
	char *name;
	int rc = 0;

	for (i = 0; i < k->nwant; i++) {
		for (j = 0; j < k->nfound; j++)
			if (krb5_principal_compare(k->ctx, k->want[i],
				k->found[j]))
				break;
		if (j < k->nfound)
			continue;
		if (krb5_unparse_name(k->ctx, k->want[i], &name) == 0) {
			printf("  no key for %s\n", name);
			krb5_free_unparsed_name(k->ctx, name);
		}
		rc = STATUS_USAGE;
	}
	return rc;
}

/* The principals to check: -p, or those of the -r routes. */
static krb5_error_code
wants(struct checker *k, const struct options *o)
{
	krb5_error_code ret = 0;
	char name[512];
	size_t i, n;

	if (o->principal != NULL) {
		k->nwant = 1;
		return krb5_parse_name(k->ctx, o->principal, &k->want[0]);
	}
	for (i = 0; i < o->nroutes && i < MAX_PRINCS && ret == 0; i++) {
		n = strcspn(o->routes[i], "=");
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, o->routes[i], n);
		name[n] = '\0';
		if ((ret = krb5_parse_name(k->ctx, name, &k->want[i])) == 0)
			k->nwant++;
	}
	return ret;
}

static int
list_keytab(struct checker *k)
{
	krb5_kt_cursor cur;
	krb5_keytab_entry ent;
	krb5_error_code ret;
	char ktname[512], *name, et[64], msg[256];

	if (krb5_kt_get_name(k->ctx, k->kt, ktname, sizeof(ktname)) != 0)
		snprintf(ktname, sizeof(ktname), "(unknown)");
	if ((ret = krb5_kt_start_seq_get(k->ctx, k->kt, &cur)) != 0) {
		fprintf(stderr, "gsswrapd: cannot read keytab %s: %s\n", ktname,
		    kerr(k->ctx, ret, msg, sizeof(msg)));
		return STATUS_USAGE;
	}
	printf("keytab %s, acceptor %s%s:\n", ktname,
	    k->nwant > 0 ? "as named" : k->service, k->nwant > 0 ? "" : "/*");
	while (krb5_kt_next_entry(k->ctx, k->kt, &ent, &cur) == 0) {
		if (wanted(k, ent.principal) &&
		    krb5_unparse_name(k->ctx, ent.principal, &name) == 0) {
			enctype_name(ent.key.enctype, et, sizeof(et));
			printf("  %s  kvno %u  %s\n", name,
			    (unsigned int)ent.vno, et);
			remember(k, ent.principal);
			krb5_free_unparsed_name(k->ctx, name);
		}
		krb5_free_keytab_entry_contents(k->ctx, &ent);
	}
	krb5_kt_end_seq_get(k->ctx, k->kt, &cur);
	if (k->nfound == 0) {
		printf("  no key for this acceptor\n");
		return STATUS_USAGE;
	}
	return missing(k);
}

/* Ask the KDC for a ticket to p and try to decrypt it with the keytab. */
static int
check_one(struct checker *k, krb5_ccache cc, krb5_principal me,
    krb5_principal p)
{
	krb5_creds in, *out = NULL;
	krb5_ticket *tkt = NULL;
	krb5_error_code ret;
	char *name = NULL, et[64], msg[256];
	int rc = STATUS_AUTH;

	(void)krb5_unparse_name(k->ctx, p, &name);
	memset(&in, 0, sizeof(in));
	in.client = me;
	in.server = p;
	if ((ret = krb5_get_credentials(k->ctx, 0, cc, &in, &out)) != 0) {
		printf("  %s: the KDC gives no ticket: %s\n", name,
		    kerr(k->ctx, ret, msg, sizeof(msg)));
		goto cleanup;
	}
	if ((ret = krb5_decode_ticket(&out->ticket, &tkt)) != 0) {
		printf("  %s: cannot decode the ticket: %s\n", name,
		    kerr(k->ctx, ret, msg, sizeof(msg)));
		goto cleanup;
	}
	enctype_name(tkt->enc_part.enctype, et, sizeof(et));
	ret = krb5_server_decrypt_ticket_keytab(k->ctx, k->kt, tkt);
	if (ret == 0) {
		printf("  %s: KDC ticket kvno %u %s: the keytab decrypts it\n",
		    name, (unsigned int)tkt->enc_part.kvno, et);
		rc = 0;
	} else
		printf("  %s: KDC ticket kvno %u %s: the keytab cannot "
		       "decrypt it: %s\n",
		    name, (unsigned int)tkt->enc_part.kvno, et,
		    kerr(k->ctx, ret, msg, sizeof(msg)));
cleanup:
	krb5_free_ticket(k->ctx, tkt);
	krb5_free_creds(k->ctx, out);
	krb5_free_unparsed_name(k->ctx, name);
	return rc;
}

static int
check_kdc(struct checker *k)
{
	krb5_ccache cc = NULL;
	krb5_principal me = NULL;
	char *myname = NULL;
	size_t i;
	int rc = 0;

	if (krb5_cc_default(k->ctx, &cc) != 0 ||
	    krb5_cc_get_principal(k->ctx, cc, &me) != 0) {
		printf("KDC check skipped: no ticket in the default ccache "
		       "(kinit first to check what the KDC issues)\n");
		goto cleanup;
	}
	(void)krb5_unparse_name(k->ctx, me, &myname);
	printf("KDC check, as %s:\n", myname != NULL ? myname : "?");
	for (i = 0; i < k->nfound; i++)
		if (check_one(k, cc, me, k->found[i]) != 0)
			rc = STATUS_AUTH;
cleanup:
	krb5_free_unparsed_name(k->ctx, myname);
	krb5_free_principal(k->ctx, me);
	if (cc != NULL)
		krb5_cc_close(k->ctx, cc);
	return rc;
}

int
check_run(const struct options *o)
{
	struct checker k;
	krb5_error_code ret;
	char msg[256];
	size_t i;
	int rc;

	memset(&k, 0, sizeof(k));
	k.service = o->service;
	if (krb5_init_context(&k.ctx) != 0) {
		fprintf(stderr, "gsswrapd: cannot initialise Kerberos\n");
		return STATUS_SYS;
	}
	ret = o->keytab != NULL ? krb5_kt_resolve(k.ctx, o->keytab, &k.kt) :
				  krb5_kt_default(k.ctx, &k.kt);
	if (ret == 0)
		ret = wants(&k, o);
	if (ret != 0) {
		fprintf(stderr, "gsswrapd: %s\n",
		    kerr(k.ctx, ret, msg, sizeof(msg)));
		rc = STATUS_USAGE;
		goto cleanup;
	}
	if ((rc = list_keytab(&k)) == 0)
		rc = check_kdc(&k);
cleanup:
	for (i = 0; i < k.nfound; i++)
		krb5_free_principal(k.ctx, k.found[i]);
	for (i = 0; i < k.nwant; i++)
		krb5_free_principal(k.ctx, k.want[i]);
	if (k.kt != NULL)
		krb5_kt_close(k.ctx, k.kt);
	krb5_free_context(k.ctx);
	return rc;
}
