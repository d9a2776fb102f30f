/* Unit tests for gsswrap/execcheck.c, on real programs of the system. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "execcheck.h"
#include "tap.h"

static char dir[] = "/tmp/test_execcheck.XXXXXX";

static const char *
script(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return "/nonexistent";
	fputs(text, f);
	fclose(f);
	chmod(path, 0755);
	return path;
}

static int
refused(const char *path, const char *want)
{
	char why[512] = "";

	return execcheck_file(path, why, sizeof(why)) == -1 &&
	    strstr(why, want) != NULL;
}

static int
allowed(const char *path)
{
	char why[512];

	return execcheck_file(path, why, sizeof(why)) == 0;
}

int
main(void)
{
	char path[4096];

	if (mkdtemp(dir) == NULL)
		return 1;
	TAP_OK(allowed("/bin/sh"), "a dynamically linked program");
	TAP_OK(refused("/sbin/ldconfig", "statically linked"),
	    "a static-pie program (Debian's ldconfig) refused");
	TAP_OK(refused("/usr/bin/passwd", "setuid"),
	    "a setuid program refused");
	TAP_OK(allowed(script("ok.sh", "#!/bin/sh\necho hi\n")),
	    "a script of a dynamic interpreter");
	TAP_OK(refused(script("bad.sh", "#! /sbin/ldconfig -p\n"),
		   "/sbin/ldconfig is statically linked"),
	    "a script of a static interpreter refused");
	TAP_OK(refused(script("loop.sh", "#!/tmp/none\n"), "") == 0,
	    "a script whose interpreter is missing is exec's to report");
	TAP_OK(allowed("/nonexistent/program"), "a missing program is exec's");
	TAP_OK(execcheck_resolve("sh", path, sizeof(path)) == 0 &&
		strstr(path, "/sh") != NULL && access(path, X_OK) == 0,
	    "resolve on PATH");
	TAP_OK(execcheck_resolve("./x", path, sizeof(path)) == 0 &&
		strcmp(path, "./x") == 0,
	    "a name with a slash is used as given");
	TAP_OK(execcheck_resolve("no-such-command-here", path, sizeof(path)) ==
		-1,
	    "unknown command");
	unlink(script("ok.sh", ""));
	unlink(script("bad.sh", ""));
	unlink(script("loop.sh", ""));
	rmdir(dir);
	return TAP_DONE();
}
