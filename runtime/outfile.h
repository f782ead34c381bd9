/* runtime/outfile.h - write a report so that it appears whole or not at all.
 *
 *     outfile of;
 *     FILE *f = outfile_open(path, &of, &err);
 *     if (!f) -> exit 3 with err
 *     if (report_json(f, r, b) < 0) { outfile_abort(&of); -> exit 3 }
 *     if (outfile_commit(&of, &err) < 0) -> exit 3 with err
 *
 * A regular (or not yet existing) target is written to a temporary file
 * `.NAME.XXXXXX` in the target's directory, which commit flushes, fsyncs and
 * renames over the target, then fsyncs the directory: readers see the old
 * report or the new one, never a part. A target that is a symlink to a
 * regular file is resolved first, so the file it points to is replaced and
 * the link kept. The new file gets mode 0666 minus the umask, or the old
 * target's mode when it replaces one.
 *
 * Path "-" means standard output; a target that exists and is not a regular
 * file (/dev/null, /dev/full, a FIFO, a terminal), and any existing path
 * under /dev/ (/dev/stdout, /dev/fd/N), is written in place (opened for
 * appending, so a shell's >> redirection is kept), since it cannot or must
 * not be replaced. For these, commit flushes and checks for write errors;
 * there is nothing to make atomic.
 *
 * On every failure (open, write, commit) the temporary file is removed, the
 * old target is left as it was, and err->msg names the path as given and
 * the system's reason: "cannot write report 'out/r.json': No space left on
 * device". err->file stays empty (the message is not about a place in a
 * file), so aip_error_print prints "aip: error: cannot write report ...".
 *
 * Not thread-safe in one respect: to learn the umask, outfile_open sets and
 * restores it (the process-wide umask).
 */
#ifndef AIP_RUNTIME_OUTFILE_H
#define AIP_RUNTIME_OUTFILE_H

#include <stdio.h>

#include "runtime/error.h"

typedef struct outfile {
    FILE *fp;          /* where the report goes; NULL once finished */
    char *target;      /* the file to replace (symlinks resolved); NULL for stdout */
    char *tmp;         /* the temporary file; NULL when writing in place. With
                          `unnamed`, the name it gets just before the rename */
    int unnamed;       /* the report is an O_TMPFILE inode with no name until
                          commit: a killed process leaves nothing behind */
    char *dir;         /* the directory to fsync after the rename */
    const char *name;  /* the path as given, for messages */
    int in_place;      /* stdout or a non-regular target */
} outfile;

/* Start writing path. Returns the FILE* to write to, or NULL with err
 * filled (nothing is left behind). path must stay valid until commit or
 * abort (messages quote it). */
FILE *outfile_open(const char *path, outfile *of, aip_error *err);

/* Finish: flush, check write errors, fsync, rename into place. 0 on
 * success; -1 with err filled, the temporary file removed and the old
 * target untouched. Either way of is released (a later abort is a no-op). */
int outfile_commit(outfile *of, aip_error *err);

/* Give up: close and remove the temporary file, leaving the target as it
 * was. Safe to call after commit or twice. Never fails. */
void outfile_abort(outfile *of);

#endif
