/* lang/fmt_diff.h - a unified diff of a file and its formatted text
 * (`aip fmt -d`).
 *
 * Lines are compared whole; the edit script is a longest common subsequence
 * of the lines between the common head and tail. When that middle is too
 * large for the table (FMT_DIFF_MAX_CELLS), it is shown as one replaced
 * block: still a correct diff, only a coarser one.
 */
#ifndef AIP_LANG_FMT_DIFF_H
#define AIP_LANG_FMT_DIFF_H

#include <stddef.h>
#include <stdio.h>

enum {
    FMT_DIFF_CONTEXT = 3,             /* unchanged lines around each change */
    FMT_DIFF_MAX_CELLS = 4000000      /* lines(old middle) x lines(new middle) */
};

/* Write the unified diff from a[0..alen) to b[0..blen) to out, with headers
 * `--- a/PATH` and `+++ b/PATH` (so `patch -p1` applies it). Nothing is
 * written when the texts are equal. Returns the number of hunks. */
size_t fmt_diff(FILE *out, const char *path, const char *a, size_t alen, const char *b,
                size_t blen);

#endif
