/*
 * acl: the authorization policy of gsswrapd. Entries are exact principals
 * ("alice@EXAMPLE.COM"), realm wildcards ("*@EXAMPLE.COM") or denials of
 * either ("!bob@EXAMPLE.COM"); a denial wins over any allow. Pure code:
 * no Kerberos calls; principals are compared as their whole display text,
 * realms as the caller parsed them (lib/gss/principal.h).
 */
#ifndef GSSWRAPD_ACL_H
#define GSSWRAPD_ACL_H

#include <stddef.h>

#define ACL_MAX_ENTRY 1024

struct acl;

/* acl_new(): an empty policy (allows nobody), or NULL on ENOMEM. */
struct acl *acl_new(void);

/* acl_free(a): NULL is a no-op. */
void acl_free(struct acl *a);

/*
 * acl_add(a, entry, err, cap): add one entry. Returns 0, or -1 with err
 * saying why the entry is invalid (or out of memory).
 */
int acl_add(struct acl *a, const char *entry, char *err, size_t cap);

/*
 * acl_load(a, path): add the entries of an ACL file: one entry a line,
 * blank lines and lines starting with '#' ignored, surrounding white space
 * trimmed. Returns 0, or -1 after logging "PATH:LINE: ..." or why the file
 * could not be read.
 */
int acl_load(struct acl *a, const char *path);

#define ACL_DENY (-1) /* a '!' entry matches */
#define ACL_NOMATCH 0 /* no entry matches */
#define ACL_ALLOW 1   /* an allow entry matches, no denial */

/*
 * acl_check(a, principal, realm): ACL_ALLOW, ACL_NOMATCH or ACL_DENY for
 * principal (whole display text, compared with exact entries) whose realm,
 * as Kerberos parsed the name, is realm (compared with *@REALM entries).
 */
int acl_check(const struct acl *a, const char *principal, const char *realm);

/*
 * acl_realm(entry): the realm part of an entry's text (after the last
 * unescaped '@'), or NULL when there is none.
 */
const char *acl_realm(const char *entry);

#endif
