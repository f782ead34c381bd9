/* lang/fmt.h - the canonical layout of a .aip file (`aip fmt`).
 *
 * The formatter re-emits the file's tokens exactly as written (strings,
 * numbers and names byte for byte) and every comment, and decides only the
 * white space between them: indentation by block, one space around
 * operators, no space before ',' ':' or inside '(' ')', aligned control
 * metadata, at most one blank line, no trailing white space, one final
 * newline. Line breaks are the author's, plus the ones the layout needs
 * (each declaration, statement, metadata item and test item on its own line,
 * a block's braces on their own lines). docs/fmt.md states the rules.
 *
 * Before it returns text, fmt_source proves it safe (fmt_verify): the text
 * parses, its syntax tree equals the input's (lang/ast_eq.h), it has the
 * same tokens and the same comments in the same order, and formatting it
 * again changes nothing.
 */
#ifndef AIP_LANG_FMT_H
#define AIP_LANG_FMT_H

#include <stddef.h>

#include "lang/diag.h"

typedef enum fmt_status {
    FMT_OK = 0,       /* *out holds the canonical text */
    FMT_SYNTAX = 1,   /* the input does not parse: errors are in diags */
    FMT_REFUSED = 2   /* the formatter could not prove its output safe: err says why */
} fmt_status;

/* Format src. On FMT_OK, *out is the canonical text (NUL-terminated, *outlen
 * bytes, aip_xmalloc memory the caller frees with aip_free); it may equal
 * src->text. On FMT_REFUSED, err (errlen bytes) holds the reason. */
fmt_status fmt_source(const src_file *src, diag_list *diags, char **out, size_t *outlen,
                      char *err, size_t errlen);

/* The safety check of fmt_source on its own: is out[0..outlen) the same
 * program as src (it parses, equal syntax tree, same tokens and comments in
 * order) and already canonical? 1 if so; 0 with the reason in err. src must
 * parse without errors. */
int fmt_verify(const src_file *src, const char *out, size_t outlen, char *err, size_t errlen);

#endif
