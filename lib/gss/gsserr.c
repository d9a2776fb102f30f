/* Readable GSS-API errors. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <gssapi/gssapi_krb5.h>

#include "gsserr.h"
#include "log.h"

/* Append every message of one status chain to buf at *off. */
static void
chain(OM_uint32 code, int type, char *buf, size_t cap, size_t *off,
    const char *sep)
{
	OM_uint32 maj, min, ctx = 0;
	gss_buffer_desc msg;
	int n;

	do {
		maj = gss_display_status(&min, code, type, gss_mech_krb5, &ctx,
		    &msg);
		if (GSS_ERROR(maj))
			return;
		if (*off < cap) {
			n = snprintf(buf + *off, cap - *off, "%s%.*s", sep,
			    (int)msg.length, (const char *)msg.value);
			if (n > 0)
				*off += (size_t)n;
		}
		sep = "; ";
		gss_release_buffer(&min, &msg);
	} while (ctx != 0);
}

char *
gsserr_text(OM_uint32 major, OM_uint32 minor, char *buf, size_t cap)
{
	size_t off = 0;

	if (cap == 0)
		return buf;
	buf[0] = '\0';
	/* "Unspecified GSS failure": the mechanism's reason says it all. */
	if (GSS_ROUTINE_ERROR(major) == GSS_S_FAILURE && minor != 0) {
		chain(minor, GSS_C_MECH_CODE, buf, cap, &off, "");
		if (off > 0)
			return buf;
	}
	chain(major, GSS_C_GSS_CODE, buf, cap, &off, "");
	if (minor != 0) {
		size_t before = off;

		chain(minor, GSS_C_MECH_CODE, buf, cap, &off, " (");
		if (off > before && off < cap)
			snprintf(buf + off, cap - off, ")");
	}
	if (buf[0] == '\0')
		snprintf(buf, cap, "GSS major 0x%x, minor %u",
		    (unsigned int)major, (unsigned int)minor);
	return buf;
}

void
gsserr_log(OM_uint32 major, OM_uint32 minor, const char *fmt, ...)
{
	char what[512], text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	log_err("%s: %s", what, gsserr_text(major, minor, text, sizeof(text)));
}

char *
gsserr_name(gss_name_t name, char *buf, size_t cap)
{
	OM_uint32 maj, min;
	gss_buffer_desc out;

	snprintf(buf, cap, "(unknown)");
	if (name == GSS_C_NO_NAME)
		return buf;
	maj = gss_display_name(&min, name, &out, NULL);
	if (GSS_ERROR(maj))
		return buf;
	snprintf(buf, cap, "%.*s", (int)out.length, (const char *)out.value);
	gss_release_buffer(&min, &out);
	return buf;
}
