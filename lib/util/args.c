/* Command-line value parsing. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "log.h"

int
args_number(const char *text, const char *what, unsigned int lo,
    unsigned int hi, unsigned int *out)
{
	const char *err = NULL;
	long long v = strtonum(text, lo, hi, &err);

	if (err != NULL) {
		log_err("%s %s: number is %s (%u-%u)", what, text, err, lo, hi);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

int
args_seconds(const char *text, const char *what, unsigned int *out)
{
	return args_number(text, what, 0, 86400, out);
}

int
args_port(const char *text)
{
	const char *err = NULL;
	size_t i;

	if (text[0] == '\0' || strlen(text) > 32)
		return -1;
	if (text[0] >= '0' && text[0] <= '9') {
		(void)strtonum(text, 1, 65535, &err);
		return err == NULL ? 0 : -1;
	}
	for (i = 0; text[i] != '\0'; i++)
		if (!((text[i] >= 'a' && text[i] <= 'z') ||
			(text[i] >= 'A' && text[i] <= 'Z') ||
			(text[i] >= '0' && text[i] <= '9') || text[i] == '-'))
			return -1;
	return 0;
}

static int
copy(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		return -1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

int
args_hostport(const char *text, int host_optional, char *host, size_t hcap,
    char *port, size_t pcap)
{
	const char *colon, *close;

	if (text[0] == '[') {
		/* [v6]:port */
		close = strchr(text, ']');
		if (close == NULL || close[1] != ':' || close == text + 1)
			return -1;
		if (copy(host, hcap, text + 1, (size_t)(close - text - 1)) ==
		    -1)
			return -1;
		colon = close + 1;
	} else {
		colon = strrchr(text, ':');
		if (colon == NULL) {
			if (!host_optional)
				return -1;
			host[0] = '\0';
			colon = text - 1;
		} else if (strchr(text, ':') != colon || colon == text ||
		    copy(host, hcap, text, (size_t)(colon - text)) == -1)
			return -1; /* a bare v6 address needs brackets */
	}
	if (copy(port, pcap, colon + 1, strlen(colon + 1)) == -1 ||
	    args_port(port) == -1)
		return -1;
	return 0;
}
