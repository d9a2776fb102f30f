/*
 * addrkey: the address of an IPv4 or IPv6 socket address as raw bytes, with
 * a v4-mapped IPv6 address taken as the IPv4 address it maps, so that the
 * same host compares equal whichever socket family reached it. libc only:
 * the preloaded shim uses it too.
 */
#ifndef GSSWRAP_ADDRKEY_H
#define GSSWRAP_ADDRKEY_H

#include <stddef.h>
#include <sys/socket.h>

#define ADDRKEY_MAX 16

/*
 * addrkey(sa, family_out, out): write sa's address bytes to out (at least
 * ADDRKEY_MAX bytes) and its family (AF_INET or AF_INET6) to *family_out.
 * Returns the number of bytes (4 or 16), or 0 for another family.
 */
size_t addrkey(const struct sockaddr *sa, int *family_out, unsigned char *out);

#endif
