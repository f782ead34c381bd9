/* runtime/outfile.c - atomic report output (see outfile.h).
 *
 * What it is: temporary file, fsync, rename, directory fsync, and the
 * clean-up on every failure path. What it is not: a general file API, and it
 * knows nothing of report formats.
 *
 * On Linux the report is first an unnamed file in the target's directory
 * (O_TMPFILE): if the process dies while writing, even by SIGKILL, nothing
 * is left behind and the old report is untouched. At commit the inode gets a
 * temporary name (linkat through /proc/self/fd) and is renamed over the
 * target. Where O_TMPFILE or /proc is missing, a named mkstemp file is used
 * and removed on every failure path the process survives.
 */
#define _GNU_SOURCE          /* O_TMPFILE, realpath */
#include "runtime/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/arena.h"

/* Fill err naming the target and the system's reason; returns -1. */
static int fail_errno(aip_error *err, const char *what, const char *name, int e)
{
    if (strcmp(name, "-") == 0)
        return aip_fail(err, NULL, 0, 0, "cannot %s report on standard output: %s",
                        what, strerror(e ? e : EIO));
    return aip_fail(err, name, 0, 0, "cannot %s the report: %s", what, strerror(e ? e : EIO));
}

static void release(outfile *of)
{
    aip_free(of->target);
    aip_free(of->tmp);
    aip_free(of->dir);
    of->target = of->tmp = of->dir = NULL;
    of->fp = NULL;
}

/* The target with a symlink resolved (to the file it names), malloc'd via
 * the funnel. A dangling link or a plain path is returned as given. */
static char *resolve_target(const char *path)
{
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        char *real = realpath(path, NULL);
        if (real) {
            char *copy = aip_xstrdup(real);
            free(real);   /* allocated by libc, not by the funnel */
            return copy;
        }
    }
    return aip_xstrdup(path);
}

/* Mode for a new file: 0666 minus the umask (read by setting it back). */
static mode_t new_file_mode(void)
{
    mode_t mask = umask(022);
    umask(mask);
    return 0666 & ~mask;
}

/* Returns stdout, the target opened in place, or a temporary file; NULL
 * with err on failure, leaving nothing behind. */
FILE *outfile_open(const char *path, outfile *of, aip_error *err)
{
    memset(of, 0, sizeof *of);
    of->name = path ? path : "";
    if (!path || !path[0]) {
        aip_fail(err, NULL, 0, 0, "no report path given");
        return NULL;
    }
    if (strcmp(path, "-") == 0) {
        of->fp = stdout;
        of->in_place = 1;
        return of->fp;
    }

    /* /dev/stdout, /dev/fd/N and the like name an open descriptor, even
     * when it is a regular file: write there, never replace the file. */
    int dev = strncmp(path, "/dev/", 5) == 0;
    of->target = dev ? aip_xstrdup(path) : resolve_target(path);
    struct stat st;
    mode_t mode;
    if (stat(of->target, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            fail_errno(err, "write", path, EISDIR);
            release(of);
            return NULL;
        }
        if (dev || !S_ISREG(st.st_mode)) {
            /* a device, FIFO or socket cannot be replaced: write to it.
             * Append, so /dev/stdout on a file opened with >> (or shared
             * with our own stdout) is not truncated. */
            of->fp = fopen(of->target, "a");
            if (!of->fp) {
                fail_errno(err, "open", path, errno);
                release(of);
                return NULL;
            }
            of->in_place = 1;
            return of->fp;
        }
        if (access(of->target, W_OK) != 0) {
            fail_errno(err, "write", path, errno);
            release(of);
            return NULL;
        }
        mode = st.st_mode & 07777;
    } else if (errno == ENOENT) {
        mode = new_file_mode();
    } else {
        fail_errno(err, "write", path, errno);
        release(of);
        return NULL;
    }

    /* dir and ".base.XXXXXX" beside the target */
    const char *slash = strrchr(of->target, '/');
    const char *base = slash ? slash + 1 : of->target;
    size_t dir_len = slash ? (size_t)(slash - of->target) : 0;
    if (!base[0]) {
        fail_errno(err, "write", path, EISDIR);
        release(of);
        return NULL;
    }
    if (!slash) {
        of->dir = aip_xstrdup(".");
    } else if (dir_len == 0) {
        of->dir = aip_xstrdup("/");
    } else {
        of->dir = aip_xmalloc(dir_len + 1);
        memcpy(of->dir, of->target, dir_len);
        of->dir[dir_len] = '\0';
    }
    size_t prefix = slash ? dir_len + 1 : 0;
    size_t base_len = strlen(base);
    of->tmp = aip_xmalloc(prefix + 1 + base_len + 8);
    memcpy(of->tmp, of->target, prefix);
    of->tmp[prefix] = '.';
    memcpy(of->tmp + prefix + 1, base, base_len);
    memcpy(of->tmp + prefix + 1 + base_len, ".XXXXXX", 8);

    int fd = -1;
#ifdef O_TMPFILE
    if (access("/proc/self/fd", X_OK) == 0) {
        fd = open(of->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
        of->unnamed = fd >= 0;
    }
#endif
    if (fd < 0)
        fd = mkstemp(of->tmp);
    if (fd < 0) {
        fail_errno(err, "create", path, errno);
        release(of);
        return NULL;
    }
    if (fchmod(fd, mode) != 0 || !(of->fp = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        if (!of->unnamed)
            unlink(of->tmp);
        fail_errno(err, "create", path, e);
        release(of);
        return NULL;
    }
    return of->fp;
}

/* 0 when the report is in place; -1 with err and nothing left behind. */
int outfile_commit(outfile *of, aip_error *err)
{
    if (!of->fp)
        return aip_fail(err, NULL, 0, 0, "report '%s' was already finished", of->name);

    errno = 0;
    int e = 0;
    if (fflush(of->fp) != 0 || ferror(of->fp))
        e = errno ? errno : EIO;

    if (of->in_place) {
        if (of->fp != stdout && fclose(of->fp) != 0 && !e)
            e = errno ? errno : EIO;
        release(of);
        return e ? fail_errno(err, "write", of->name, e) : 0;
    }

    if (!e && fsync(fileno(of->fp)) != 0)
        e = errno;
    /* Fault injection for tests/fault/nothing-lost.sh only: die as a crash
     * or an OOM kill would, with the report written but not yet in place. */
    if (getenv("AIP_TEST_KILL_BEFORE_RENAME"))
        raise(SIGKILL);
    if (!e && of->unnamed) {
        /* give the finished inode a name beside the target (the mkstemp
         * pattern's XXXXXX replaced by a counter until one is free) */
        char proc[64];
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(of->fp));
        size_t n = strlen(of->tmp);
        for (unsigned k = 0;; k++) {
            snprintf(of->tmp + n - 6, 7, "%06u", (unsigned)((unsigned)getpid() * 7919u + k) % 1000000u);
            if (linkat(AT_FDCWD, proc, AT_FDCWD, of->tmp, AT_SYMLINK_FOLLOW) == 0)
                break;
            if (errno != EEXIST || k > 1000) {
                e = errno ? errno : EIO;
                break;
            }
        }
        if (e) {
            fclose(of->fp);
            of->fp = NULL;
            release(of);
            return fail_errno(err, "write", of->name, e);
        }
        of->unnamed = 0;   /* it has a name now: the paths below remove it on failure */
    }
    if (fclose(of->fp) != 0 && !e)
        e = errno ? errno : EIO;
    of->fp = NULL;
    if (e) {
        if (!of->unnamed)
            unlink(of->tmp);
        release(of);
        return fail_errno(err, "write", of->name, e);
    }
    if (rename(of->tmp, of->target) != 0) {
        e = errno;
        unlink(of->tmp);
        release(of);
        return fail_errno(err, "replace", of->name, e);
    }
    /* Make the rename durable. Best effort: some file systems cannot fsync
     * a directory, and the new report is in place either way. */
    int dfd = open(of->dir, O_RDONLY);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    release(of);
    return 0;
}

void outfile_abort(outfile *of)
{
    if (of->fp) {
        if (of->fp != stdout)
            fclose(of->fp);
        if (of->tmp && !of->unnamed)
            unlink(of->tmp);
    }
    release(of);
}
