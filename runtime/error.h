/* runtime/error.h - a located error from the runtime (facts, params, bundle).
 *
 * The runtime cannot use lang/diag.h (a CI box may ship the runtime alone), so
 * it reports through this small struct. aip_error_print renders it in the one
 * diagnostic format: "file:line:col: error: message" (line/col omitted when 0).
 */
#ifndef AIP_RUNTIME_ERROR_H
#define AIP_RUNTIME_ERROR_H

#include <stdio.h>

typedef struct aip_error {
    char file[1024];   /* file the error is in ("" if none) */
    unsigned line;     /* 1-based; 0 = unknown */
    unsigned col;      /* 1-based; 0 = unknown */
    char msg[1024];    /* message, no trailing newline */
} aip_error;

/* Fill err; file may be NULL. Returns -1 so callers can `return aip_fail(...)`. */
int aip_fail(aip_error *err, const char *file, unsigned line, unsigned col,
             const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void aip_error_print(const aip_error *err, FILE *out);

#endif
