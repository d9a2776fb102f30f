/*
 * libFuzzer harness: gsswrapd's policy file parser (gsswrapd/acl.c) on an
 * arbitrary file, then the matcher on a few principals, including the
 * input's own first line as a principal.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "acl.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	char path[64], principal[256];
	struct acl *a;
	size_t n;
	int fd;

	if (!quiet) {
		log_init("fuzz_acl", 0, 0); /* parse errors are expected */
		quiet = 1;
	}
	if ((fd = memfd_create("acl", MFD_CLOEXEC)) == -1)
		return 0;
	if (write(fd, data, size) != (ssize_t)size || (a = acl_new()) == NULL) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (acl_load(a, path) == 0) {
		const uint8_t *nl = memchr(data, '\n', size);

		n = nl != NULL ? (size_t)(nl - data) : size;
		if (n >= sizeof(principal))
			n = sizeof(principal) - 1;
		memcpy(principal, data, n);
		principal[n] = '\0';
		(void)acl_check(a, principal, acl_realm(principal));
		(void)acl_check(a, "alice@EXAMPLE.COM", "EXAMPLE.COM");
		(void)acl_check(a, "host/srv.example.com@OTHER.EXAMPLE",
		    "OTHER.EXAMPLE");
		(void)acl_realm(principal);
	}
	acl_free(a);
	close(fd);
	return 0;
}
