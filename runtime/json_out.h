/* runtime/json_out.h - a small streaming JSON writer over a FILE*.
 *
 * Every JSON-based report (JSON now; SARIF and OSCAL later) writes through
 * this, so they all share one notion of valid, deterministic output:
 *
 *   - pretty-printed with a 2-space indent, `"key": value`, one member or
 *     item per line, empty containers as `{}` / `[]`, and a final newline
 *     (the layout of Python's json.dumps(indent=2) and of jq);
 *   - strings carry an explicit length (they may hold NUL); `"` and `\` are
 *     escaped, \b \f \n \r \t use their short escapes, other control bytes
 *     become \u00XX; valid UTF-8 passes through unchanged, and every invalid
 *     byte sequence becomes U+FFFD (one per maximal invalid subpart, as the
 *     Unicode standard recommends), so the output is always valid UTF-8 JSON;
 *   - doubles print in the shortest form that reads back to the same value,
 *     always with a '.' or an exponent (1.0, 0.1, 1e+300); NaN and the
 *     infinities print as null;
 *   - the writer checks its own use (a value in an object without a key, a
 *     mismatched end, nesting deeper than JW_MAX_DEPTH) and every write.
 *
 * It is not a DOM: it writes as it is called, through a fixed buffer of its
 * own (JW_BUF bytes, flushed when full and by jw_finish), so a large report
 * costs no memory. It never allocates. Output reaches the FILE only through
 * the buffer: call jw_finish before writing to the FILE directly. Errors are sticky: after the
 * first one, calls do nothing and jw_finish reports -1, so a writer may
 * emit a whole document and check once at the end.
 */
#ifndef AIP_RUNTIME_JSON_OUT_H
#define AIP_RUNTIME_JSON_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { JW_MAX_DEPTH = 64, JW_BUF = 16384 };

/* jw.err values */
enum { JW_OK = 0, JW_ERR_IO = 1, JW_ERR_USE = 2 };

typedef struct jw {
    FILE *out;
    int err;                          /* JW_OK, JW_ERR_IO or JW_ERR_USE */
    int depth;                        /* open containers */
    int have_key;                     /* a key was written, its value is due */
    int done;                         /* the top-level value is complete */
    char kind[JW_MAX_DEPTH];          /* '{' or '[' per open container */
    unsigned char empty[JW_MAX_DEPTH];/* no member written yet */
    size_t blen;                      /* bytes waiting in buf */
    char buf[JW_BUF];                 /* output not yet handed to out */
} jw;

/* Start a document on out. Never fails. */
void jw_init(jw *w, FILE *out);

/* Containers. */
void jw_object_begin(jw *w);
void jw_object_end(jw *w);
void jw_array_begin(jw *w);
void jw_array_end(jw *w);

/* The key of the next member (only inside an object, before each value). */
void jw_key(jw *w, const char *key);
void jw_keyn(jw *w, const char *key, size_t len);

/* Values. jw_string(NULL) and jw_string_or_null(NULL) write null. */
void jw_string(jw *w, const char *s);
void jw_stringn(jw *w, const char *s, size_t len);
void jw_int(jw *w, int64_t v);
void jw_double(jw *w, double d);
void jw_bool(jw *w, int b);
void jw_null(jw *w);

/* Key and value in one call, for the common object member. */
void jw_member_string(jw *w, const char *key, const char *s);
void jw_member_int(jw *w, const char *key, int64_t v);
void jw_member_bool(jw *w, const char *key, int b);
void jw_member_null(jw *w, const char *key);

/* End the document: writes the final newline, flushes out and checks
 * ferror. 0 when one complete value was written and every write succeeded;
 * -1 otherwise (w->err says whether writing or the writer's use failed). */
int jw_finish(jw *w);

/* Format d as the writer would (shortest round-trip; "null" for NaN and
 * infinities) into buf, which needs JW_DOUBLE_BUF bytes. Returns the length. */
enum { JW_DOUBLE_BUF = 40 };
size_t jw_format_double(double d, char *buf);

#endif
