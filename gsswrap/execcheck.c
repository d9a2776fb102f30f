/* Can LD_PRELOAD reach a program? (execcheck.h) */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "execcheck.h"

#define SCRIPT_DEPTH 4 /* nested "#!" interpreters followed */
#define HEAD_BYTES 256 /* enough for an ELF header or a "#!" line */
#define MAX_PHNUM 512  /* program headers we are willing to read */

int
execcheck_resolve(const char *name, char *out, size_t cap)
{
	const char *path = getenv("PATH"), *p, *end;
	size_t dlen;
	int n;

	if (strchr(name, '/') != NULL) {
		if ((size_t)snprintf(out, cap, "%s", name) >= cap)
			return errno = ENAMETOOLONG, -1;
		return 0;
	}
	if (path == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; *p != '\0' || p == path; p = end + (*end != '\0')) {
		end = strchrnul(p, ':');
		dlen = (size_t)(end - p);
		/* An empty PATH element means the current directory. */
		n = snprintf(out, cap, "%.*s%s%s", (int)dlen, p,
		    dlen ? "/" : "", name);
		if (n >= 0 && (size_t)n < cap && access(out, X_OK) == 0)
			return 0;
		if (*end == '\0')
			break;
	}
	errno = ENOENT;
	return -1;
}

/* Does the ELF image in fd have a PT_INTERP program header? */
static int
elf_dynamic(int fd, const unsigned char *head, size_t n)
{
	Elf64_Ehdr e64;
	Elf32_Ehdr e32;
	uint64_t off;
	unsigned int i, num, size, type;
	unsigned char ph[sizeof(Elf64_Phdr)];

	if (head[EI_CLASS] == ELFCLASS64 && n >= sizeof(e64)) {
		memcpy(&e64, head, sizeof(e64));
		off = e64.e_phoff;
		num = e64.e_phnum;
		size = e64.e_phentsize;
	} else if (head[EI_CLASS] == ELFCLASS32 && n >= sizeof(e32)) {
		memcpy(&e32, head, sizeof(e32));
		off = e32.e_phoff;
		num = e32.e_phnum;
		size = e32.e_phentsize;
	} else
		return 0;
	if (num > MAX_PHNUM || size < sizeof(uint32_t) || size > sizeof(ph))
		return 0;
	for (i = 0; i < num; i++) {
		if (pread(fd, ph, size, (off_t)(off + (uint64_t)i * size)) !=
		    (ssize_t)size)
			return 0;
		/* p_type is the first word in both classes. */
		memcpy(&type, ph, sizeof(type));
		if (type == PT_INTERP)
			return 1;
	}
	return 0;
}

/* The interpreter path of a "#!" line, into out. */
static int
script_interpreter(const unsigned char *head, size_t n, char *out, size_t cap)
{
	size_t i = 2, start, len;

	while (i < n && (head[i] == ' ' || head[i] == '\t'))
		i++;
	start = i;
	while (i < n && head[i] != ' ' && head[i] != '\t' && head[i] != '\n')
		i++;
	len = i - start;
	if (len == 0 || len >= cap)
		return -1;
	memcpy(out, head + start, len);
	out[len] = '\0';
	return 0;
}

static int
refuse(char *why, size_t cap, const char *path, const char *what)
{
	snprintf(why, cap, "%s %s", path, what);
	return -1;
}

static int
check(const char *path, char *why, size_t cap, int depth)
{
	unsigned char head[HEAD_BYTES];
	char interp[HEAD_BYTES];
	struct stat st;
	ssize_t n;
	int fd;

	if (stat(path, &st) == -1)
		return errno == ENOENT || errno == ENOTDIR ?
		    0 :
		    refuse(why, cap, path,
			"cannot be "
			"examined");
	if (S_ISREG(st.st_mode) && (st.st_mode & (S_ISUID | S_ISGID)))
		return refuse(why, cap, path,
		    "is setuid or setgid: the loader ignores LD_PRELOAD");
	if (getxattr(path, "security.capability", NULL, 0) > 0)
		return refuse(why, cap, path,
		    "has file capabilities: the loader ignores LD_PRELOAD");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return refuse(why, cap, path,
		    "cannot be read, so it cannot be checked for static "
		    "linking");
	n = read(fd, head, sizeof(head));
	if (n >= 4 && memcmp(head, ELFMAG, SELFMAG) == 0) {
		int dyn = elf_dynamic(fd, head, (size_t)n);

		close(fd);
		return dyn ? 0 :
			     refuse(why, cap, path,
				 "is statically linked: LD_PRELOAD cannot "
				 "reach it");
	}
	close(fd);
	if (n > 2 && head[0] == '#' && head[1] == '!') {
		if (depth >= SCRIPT_DEPTH ||
		    script_interpreter(head, (size_t)n, interp,
			sizeof(interp)) == -1)
			return refuse(why, cap, path,
			    "has an interpreter line that cannot be checked");
		return check(interp, why, cap, depth + 1);
	}
	/* Neither ELF nor script: exec fails with ENOEXEC by itself. */
	return 0;
}

int
execcheck_file(const char *path, char *why, size_t cap)
{
	return check(path, why, cap, 0);
}
