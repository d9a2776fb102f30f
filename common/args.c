/* Command-line value parsing. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "log.h"

int
args_seconds(const char *text, const char *what, unsigned int *out)
{
	const char *err = NULL;
	long long v = strtonum(text, 0, 86400, &err);

	if (err != NULL) {
		log_err("%s %s: number of seconds is %s (0-86400)", what, text,
		    err);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
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
