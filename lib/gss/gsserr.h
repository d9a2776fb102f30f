/*
 * gsserr: GSS-API status codes to one readable line, walking both the
 * major and the minor status chains with gss_display_status.
 */
#ifndef GSSWRAP_GSSERR_H
#define GSSWRAP_GSSERR_H

#include <stddef.h>
#include <gssapi/gssapi.h>

/*
 * gsserr_text(major, minor, buf, cap): write "MAJOR MESSAGE (MINOR
 * MESSAGE)" into buf, NUL-terminated, truncated to cap. Returns buf.
 */
char *gsserr_text(OM_uint32 major, OM_uint32 minor, char *buf, size_t cap);

/*
 * gsserr_log(major, minor, fmt, ...): log "CONTEXT: MAJOR (MINOR)" once as
 * an error, where CONTEXT is the formatted fmt.
 */
void gsserr_log(OM_uint32 major, OM_uint32 minor, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * gsserr_name(name, buf, cap): the display form of a GSS name, or
 * "(unknown)". Returns buf.
 */
char *gsserr_name(gss_name_t name, char *buf, size_t cap);

#endif
