/* runtime/error.c - located runtime errors (see error.h). */
#include "runtime/error.h"

#include <stdarg.h>
#include <string.h>

int aip_fail(aip_error *err, const char *file, unsigned line, unsigned col,
             const char *fmt, ...)
{
    if (!err)
        return -1;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

void aip_error_print(const aip_error *err, FILE *out)
{
    if (err->file[0] && err->line)
        fprintf(out, "%s:%u:%u: error: %s\n", err->file, err->line,
                err->col ? err->col : 1, err->msg);
    else if (err->file[0])
        fprintf(out, "%s: error: %s\n", err->file, err->msg);
    else
        fprintf(out, "aip: error: %s\n", err->msg);
}
