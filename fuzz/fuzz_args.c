/*
 * libFuzzer harness: command-line value parsing (lib/util/args.c) and the
 * `gsswrap run` rules parser (gsswrap/rules.c), with the rule then matched.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "log.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	struct rules rs = { NULL, 0, 0 };
	char text[1024], host[256], port[64], err[128];
	unsigned int n;

	if (!quiet) {
		log_init("fuzz_args", 0, 0);
		quiet = 1;
	}
	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	(void)args_hostport(text, 0, host, sizeof(host), port, sizeof(port));
	(void)args_hostport(text, 1, host, sizeof(host), port, sizeof(port));
	(void)args_port(text);
	(void)args_number(text, "-n", 0, 100000, &n);
	if (rules_add(&rs, text, "-w", err, sizeof(err)) == 0) {
		(void)rules_match(&rs, "www.example.com", "192.0.2.1", 443);
		(void)rules_match(&rs, "", "::1", 22);
	}
	rules_free(&rs);
	return 0;
}
