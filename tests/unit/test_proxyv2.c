/* Unit tests for gsswrapd/proxyv2.c. */
#include "config.h"

#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "proxyv2.h"
#include "tap.h"

static void
v4(struct sockaddr_in *sa, const char *addr, int port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, addr, &sa->sin_addr);
}

static void
test_v4(void)
{
	struct sockaddr_in s, d;
	struct proxyv2_info info;
	uint8_t buf[PROXYV2_MAX];
	size_t n, used = 0;
	int i, partial_ok = 1;

	v4(&s, "192.0.2.7", 50112);
	v4(&d, "127.0.0.1", 4444);
	n = proxyv2_encode(buf, sizeof(buf), (struct sockaddr *)&s,
	    (struct sockaddr *)&d, "alice@EXAMPLE.COM", "host/srv@EXAMPLE.COM",
	    "krb5");
	TAP_OK(n == 16 + 12 + (3 + 17) + (3 + 20) + (3 + 4), "v4 length %zu",
	    n);
	TAP_OK(memcmp(buf, "\r\n\r\n\0\r\nQUIT\n", 12) == 0 &&
		buf[12] == 0x21 && buf[13] == 0x11,
	    "signature, PROXY command, TCP over IPv4");
	TAP_OK(buf[28] == 0xE0 && buf[28 + 3 + 17] == 0xE1 &&
		buf[28 + 3 + 17 + 3 + 20] == 0xE2,
	    "TLV types are the documented 0xE0, 0xE1, 0xE2");
	TAP_OK(proxyv2_decode(buf, n, &info, &used) == 1 && used == n,
	    "v4 decodes");
	TAP_OK(info.family == AF_INET &&
		((struct sockaddr_in *)&info.src)->sin_port == htons(50112) &&
		((struct sockaddr_in *)&info.dst)->sin_addr.s_addr ==
		    d.sin_addr.s_addr,
	    "addresses and ports survive");
	TAP_OK(strcmp(info.peer, "alice@EXAMPLE.COM") == 0 &&
		strcmp(info.service, "host/srv@EXAMPLE.COM") == 0 &&
		strcmp(info.mech, "krb5") == 0,
	    "principal TLVs survive");
	for (i = 0; i < (int)n; i++)
		if (proxyv2_decode(buf, (size_t)i, &info, &used) != 0)
			partial_ok = 0;
	TAP_OK(partial_ok, "every prefix asks for more bytes");
	TAP_OK(proxyv2_encode(buf, 40, (struct sockaddr *)&s,
		   (struct sockaddr *)&d, "alice@EXAMPLE.COM", "x",
		   "krb5") == 0,
	    "too small a buffer refused");
}

static void
test_v6_and_unix(void)
{
	struct sockaddr_in6 s, d;
	struct sockaddr_in s4;
	struct proxyv2_info info;
	uint8_t buf[PROXYV2_MAX];
	size_t n, used;

	memset(&s, 0, sizeof(s));
	memset(&d, 0, sizeof(d));
	s.sin6_family = d.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "::1", &s.sin6_addr);
	inet_pton(AF_INET6, "2001:db8::1", &d.sin6_addr);
	s.sin6_port = htons(1);
	d.sin6_port = htons(2);
	n = proxyv2_encode(buf, sizeof(buf), (struct sockaddr *)&s,
	    (struct sockaddr *)&d, "bob@R", "svc@R", "krb5");
	TAP_OK(n > 0 && buf[13] == 0x21, "TCP over IPv6");
	TAP_OK(proxyv2_decode(buf, n, &info, &used) == 1 &&
		info.family == AF_INET6 &&
		memcmp(&((struct sockaddr_in6 *)&info.dst)->sin6_addr,
		    &d.sin6_addr, 16) == 0 &&
		strcmp(info.peer, "bob@R") == 0,
	    "v6 round trip");
	v4(&s4, "127.0.0.1", 9);
	n = proxyv2_encode(buf, sizeof(buf), (struct sockaddr *)&s4,
	    (struct sockaddr *)&d, "bob@R", "svc@R", "krb5");
	TAP_OK(n > 0 && buf[13] == 0x00 &&
		proxyv2_decode(buf, n, &info, &used) == 1 &&
		info.family == AF_UNSPEC && strcmp(info.peer, "bob@R") == 0,
	    "mixed families sent as UNSPEC, TLVs still there");
}

static void
test_bad(void)
{
	struct sockaddr_in s, d;
	struct proxyv2_info info;
	uint8_t buf[PROXYV2_MAX];
	size_t n, used;

	v4(&s, "10.0.0.1", 1);
	v4(&d, "10.0.0.2", 2);
	n = proxyv2_encode(buf, sizeof(buf), (struct sockaddr *)&s,
	    (struct sockaddr *)&d, "a@R", "b@R", "krb5");
	buf[0] = 'G';
	TAP_OK(proxyv2_decode(buf, n, &info, &used) == -1, "bad signature");
	TAP_OK(proxyv2_decode((const uint8_t *)"GET / HTTP/1.0\r\n", 16, &info,
		   &used) == -1,
	    "HTTP is not a PROXY header");
	buf[0] = 0x0d;
	buf[12] = 0x31;
	TAP_OK(proxyv2_decode(buf, n, &info, &used) == -1, "version 3 refused");
	buf[12] = 0x21;
	buf[13] = 0x31;
	TAP_OK(proxyv2_decode(buf, n, &info, &used) == -1,
	    "UDP over v6 refused");
	buf[13] = 0x11;
	buf[28 + 2] = 0xff; /* first TLV length high byte */
	TAP_OK(proxyv2_decode(buf, n, &info, &used) == -1,
	    "TLV running past the header refused");
	buf[14] = 0xff;
	TAP_OK(proxyv2_decode(buf, n, &info, &used) == -1,
	    "header longer than the limit refused");
}

int
main(void)
{
	test_v4();
	test_v6_and_unix();
	test_bad();
	return TAP_DONE();
}
