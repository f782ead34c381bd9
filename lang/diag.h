/* lang/diag.h - source files and located diagnostics.
 *
 * A src_file owns a policy source text and its line map. Locations inside the
 * front end and the compiler are byte offsets into that text; line and column
 * (both 1-based, the column counted in bytes) are computed only when printing.
 *
 * A diag_list collects diagnostics instead of printing them, so the CLI can
 * print them and tests can compare them. diag_print renders
 *     file:line:col: error: message
 *         source line
 *         ^~~~~
 * which is the one format every aip diagnostic uses.
 */
#ifndef AIP_LANG_DIAG_H
#define AIP_LANG_DIAG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct src_file {
    char *path;            /* as given by the user (or "<stdlib>/x.aip") */
    char *text;            /* NUL-terminated; len bytes before the NUL */
    size_t len;
    uint32_t *line_starts; /* byte offset of each line's first byte */
    uint32_t nlines;
} src_file;

/* Read path into a new src_file. On failure returns NULL and writes a
 * message (naming the path and the reason) into err. */
src_file *src_load(const char *path, char *err, size_t errlen);
/* The same, reading stream f to its end; name names the source. */
src_file *src_read(FILE *f, const char *name, char *err, size_t errlen);
/* Copy text[0..len) into a new src_file named name. Never fails. */
src_file *src_from_string(const char *name, const char *text, size_t len);
void src_free(src_file *s);
/* Line and column (1-based) of byte offset off (clamped to the text). */
void src_pos(const src_file *s, uint32_t off, unsigned *line, unsigned *col);

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_level;

typedef struct diag {
    diag_level level;
    const src_file *src;   /* NULL for a diagnostic with no location */
    uint32_t start, end;   /* byte range [start, end) in src->text */
    char *msg;             /* owned */
} diag;

typedef struct diag_list {
    diag *items;
    size_t n, cap;
    size_t errors;         /* count of DIAG_ERROR items */
    size_t max_errors;     /* stop recording errors past this (0 = 100) */
} diag_list;

void diag_init(diag_list *d);
void diag_free(diag_list *d);
/* Append a diagnostic over [start, end) of src (src may be NULL). */
void diag_add(diag_list *d, diag_level level, const src_file *src,
              uint32_t start, uint32_t end, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Order diagnostics by file, then position (stable), so a reader meets them
 * top to bottom whatever pass found them. */
void diag_sort(diag_list *d);
/* Print every diagnostic; colour only when color is non-zero. */
void diag_print(const diag_list *d, FILE *out, int color);
/* Print one diagnostic. */
void diag_print_one(const diag *g, FILE *out, int color);

/* Levenshtein distance with a cap: returns cap+1 when larger. Used for
 * "did you mean" suggestions. */
unsigned diag_edit_distance(const char *a, const char *b, unsigned cap);

#endif
