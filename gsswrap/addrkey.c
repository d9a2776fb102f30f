/* Socket addresses as comparable bytes (addrkey.h). */
#include "config.h"

#include <string.h>
#include <netinet/in.h>

#include "addrkey.h"

size_t
addrkey(const struct sockaddr *sa, int *family_out, unsigned char *out)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

	if (sa->sa_family == AF_INET) {
		*family_out = AF_INET;
		memcpy(out, &s4->sin_addr, 4);
		return 4;
	}
	if (sa->sa_family != AF_INET6)
		return 0;
	if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		*family_out = AF_INET;
		memcpy(out, s6->sin6_addr.s6_addr + 12, 4);
		return 4;
	}
	*family_out = AF_INET6;
	memcpy(out, &s6->sin6_addr, 16);
	return 16;
}
