/*
 * Unit tests for lib/util/log.c: log_quote keeps any text inside one quoted
 * value, and log lines carry no raw control byte and no byte that is not
 * printable UTF-8.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "tap.h"

static int
quotes(const char *in, const char *want)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int ok;

	if (f == NULL)
		return 0;
	log_quote(f, in);
	fclose(f);
	ok = strcmp(out, want) == 0;
	if (!ok)
		printf("# got %s\n", out);
	free(out);
	return ok;
}

/*
 * What log_err writes to stderr for text, read back through a pipe, is
 * want (NULL: "t: " text "\n").
 */
static int
logs(const char *text, const char *want)
{
	static char buf[8192];
	char *expect = NULL;
	int fds[2], saved, ok;
	size_t got = 0;
	ssize_t n;

	if (want == NULL && asprintf(&expect, "t: %s\n", text) == -1)
		return 0;
	if (pipe(fds) == -1 || (saved = dup(2)) == -1)
		return 0;
	dup2(fds[1], 2);
	log_err("%s", text);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fds[1]);
	while (got < sizeof(buf) - 1 &&
	    (n = read(fds[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	close(fds[0]);
	buf[got] = '\0';
	ok = strcmp(buf, want != NULL ? want : expect) == 0;
	if (!ok)
		printf("# got %.200s\n", buf);
	free(expect);
	return ok;
}

int
main(void)
{
	char big[5000];

	log_init("t", LOG_TO_STDERR, 0);
	TAP_OK(quotes("alice@R", "\"alice@R\""), "a plain name is quoted");
	TAP_OK(quotes("a b=c outcome=ok@R", "\"a b=c outcome=ok@R\""),
	    "spaces and '=' stay inside the quotes");
	TAP_OK(quotes("say\"hi\\x@R", "\"say\\\"hi\\\\x@R\""),
	    "'\"' and '\\' get a backslash");
	TAP_OK(quotes("cr\rlf\n\x1b[2J\x7f", "\"cr\\x0dlf\\x0a\\x1b[2J\\x7f\""),
	    "control bytes are \\xNN");
	TAP_OK(quotes("j\xc3\xbcrgen \xe2\x82\xac \xf0\x9f\x94\x91",
		   "\"j\xc3\xbcrgen \xe2\x82\xac \xf0\x9f\x94\x91\""),
	    "printable UTF-8 is kept");
	TAP_OK(quotes("\x9b"
		      "2J \xc2\x9b \xc3 \xc0\xaf \xed\xa0\x80",
		   "\"\\x9b2J \\xc2\\x9b \\xc3 \\xc0\\xaf \\xed\\xa0\\x80\""),
	    "C1 controls, stray, overlong and surrogate bytes are \\xNN");
	TAP_OK(logs("refusing ev\x1b[2Jil\r\nforged line",
		   "t: refusing ev\\x1b[2Jil\\x0d\\x0aforged line\n"),
	    "a log line cannot be ended early or command a terminal");
	memset(big, 'm', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	TAP_OK(logs(big, NULL), "a %zu-byte line is written whole",
	    sizeof(big) - 1);
	return TAP_DONE();
}
