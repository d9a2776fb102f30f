/*
 * libFuzzer harness: the PROXY v2 reader (gsswrapd/proxyv2.c, used by the
 * tests' backend) on arbitrary bytes, and a header written from fuzzed
 * principal names read back unchanged.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "proxyv2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
roundtrip(const uint8_t *data, size_t size)
{
	struct sockaddr_in a, b;
	struct proxyv2_info info;
	char peer[300], service[300];
	uint8_t buf[1024];
	size_t half = size / 2, n, used;

	if (half >= sizeof(peer) || size - half >= sizeof(service))
		return;
	memcpy(peer, data, half);
	peer[half] = '\0';
	memcpy(service, data + half, size - half);
	service[size - half] = '\0';
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(1234);
	b = a;
	b.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	n = proxyv2_encode(buf, sizeof(buf), (struct sockaddr *)&a,
	    (struct sockaddr *)&b, peer, service, "krb5");
	if (n == 0)
		return;
	if (proxyv2_decode(buf, n, &info, &used) != 1 || used != n ||
	    strcmp(info.peer, peer) != 0 || strcmp(info.service, service) != 0)
		abort(); /* what we write must read back */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proxyv2_info info;
	size_t used;

	(void)proxyv2_decode(data, size, &info, &used);
	for (used = 0; used < size; used++)
		if (data[used] < 0x20 || data[used] > 0x7e)
			return 0;
	roundtrip(data, size);
	return 0;
}
