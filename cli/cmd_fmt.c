/* cli/cmd_fmt.c - `aip fmt [-w | --check | -d] [FILE | DIR | -]...`: the
 * canonical layout of policy sources (lang/fmt.h, docs/fmt.md).
 *
 * Without -w or --check the formatted text goes to stdout (of several files,
 * one after the other, in the order given; a directory's *.aip files sorted
 * by path). -w replaces each file whose layout changes, atomically
 * (runtime/outfile.h), and leaves canonical files untouched. --check writes
 * nothing and lists the files that would change; -d is --check with a
 * unified diff (lang/fmt_diff.h) in place of each name. No argument or "-"
 * reads stdin.
 *
 * Exit: 0 done (--check, -d: every file canonical); 1 --check or -d found
 * files to change; 2 bad usage, an unreadable file or a syntax error (that file is
 * left as it was); 3 the formatter refused its own output (it could not
 * prove it the same program) or a file could not be written. A failing file
 * does not stop the others; the highest status wins.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "lang/fmt.h"
#include "lang/fmt_diff.h"
#include "runtime/outfile.h"

enum { FMT_PRINT, FMT_WRITE, FMT_CHECK, FMT_DIFF };
enum { FMT_MAX_DIR_DEPTH = 32 };

typedef struct fmt_paths {
    char **v;
    size_t n, cap;
} fmt_paths;

static int fmt_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int fmt_is_aip(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".aip") == 0;
}

/* Every *.aip under dir (hidden entries skipped), sorted, appended to out.
 * Returns 0, or EXIT_INPUT after a message. */
static int fmt_walk(const char *dir, fmt_paths *out, unsigned depth)
{
    if (depth > FMT_MAX_DIR_DEPTH) {
        fprintf(stderr, "aip fmt: %s: directories nested too deeply\n", dir);
        return EXIT_INPUT;
    }
    DIR *dp = opendir(dir);
    if (!dp) {
        fprintf(stderr, "aip fmt: %s: cannot open directory: %s\n", dir, strerror(errno));
        return EXIT_INPUT;
    }
    fmt_paths here = {0};
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        AIP_GROW(here.v, here.n, here.cap);
        size_t len = strlen(dir) + strlen(de->d_name) + 2;
        here.v[here.n] = aip_xmalloc(len);
        snprintf(here.v[here.n], len, "%s/%s", dir, de->d_name);
        here.n++;
    }
    closedir(dp);
    if (here.n)
        qsort(here.v, here.n, sizeof *here.v, fmt_cmp);
    int rc = 0;
    for (size_t i = 0; i < here.n; i++) {
        struct stat st;
        if (stat(here.v[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            int r = fmt_walk(here.v[i], out, depth + 1);
            rc = r > rc ? r : rc;
            aip_free(here.v[i]);
        } else if (fmt_is_aip(here.v[i])) {
            AIP_GROW(out->v, out->n, out->cap);
            out->v[out->n++] = here.v[i];
        } else {
            aip_free(here.v[i]);
        }
    }
    aip_free(here.v);
    return rc;
}

/* Standard input as a source named <stdin>; NULL after a message. */
static src_file *fmt_read_stdin(void)
{
    char err[512];
    src_file *s = src_read(stdin, "<stdin>", err, sizeof err);
    if (!s)
        fprintf(stderr, "aip fmt: %s\n", err);
    return s;
}

/* Replace path with text, atomically. Returns 0 or EXIT_INTERNAL. */
static int fmt_write(const char *path, const char *text, size_t len)
{
    outfile of;
    aip_error err;
    memset(&err, 0, sizeof err);
    FILE *f = outfile_open(path, &of, &err);
    if (!f) {
        aip_error_print(&err, stderr);
        return EXIT_INTERNAL;
    }
    if (fwrite(text, 1, len, f) != len) {
        outfile_abort(&of);
        fprintf(stderr, "aip: error: cannot write '%s'\n", path);
        return EXIT_INTERNAL;
    }
    if (outfile_commit(&of, &err) < 0) {
        aip_error_print(&err, stderr);
        return EXIT_INTERNAL;
    }
    return 0;
}

/* Format one file (path NULL: stdin). Returns its exit status. */
static int fmt_one(const char *path, int mode, int color)
{
    char err[1200];
    src_file *src = path ? src_load(path, err, sizeof err) : fmt_read_stdin();
    if (!src) {
        if (path)
            fprintf(stderr, "aip fmt: %s\n", err);
        return EXIT_INPUT;
    }
    diag_list d;
    diag_init(&d);
    char *out = NULL;
    size_t outlen = 0;
    int rc = 0;
    fmt_status st = fmt_source(src, &d, &out, &outlen, err, sizeof err);
    if (st == FMT_SYNTAX) {
        diag_sort(&d);
        diag_print(&d, stderr, color);
        rc = EXIT_INPUT;
    } else if (st == FMT_REFUSED) {
        fprintf(stderr, "%s: internal error: aip fmt refused its own output: %s; the file is left as it was\n",
                src->path, err);
        rc = EXIT_INTERNAL;
    } else {
        int changed = outlen != src->len || memcmp(out, src->text, outlen) != 0;
        if (mode == FMT_PRINT || (mode == FMT_WRITE && !path)) {
            /* stdin has no file to rewrite: -w prints, like the default */
            if (fwrite(out, 1, outlen, stdout) != outlen)
                rc = EXIT_INTERNAL;
        } else if (mode == FMT_CHECK || mode == FMT_DIFF) {
            if (changed && mode == FMT_CHECK)
                printf("%s\n", src->path);
            else if (changed)
                fmt_diff(stdout, src->path, src->text, src->len, out, outlen);
            rc = changed ? EXIT_GATE : 0;
        } else if (changed) {
            rc = fmt_write(path, out, outlen);
        }
    }
    aip_free(out);
    diag_free(&d);
    src_free(src);
    return rc;
}

int cmd_fmt(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, "fmt", argc, argv);
    int mode = FMT_PRINT, rc = 0, stdin_used = 0;
    fmt_paths files = {0};
    const char *pos;
    int k;
    while ((k = cli_next(&a, &pos)) >= 0) {
        if (k == 1) {
            int m;
            if (!strcmp(a.opt, "-w") || !strcmp(a.opt, "--write"))
                m = FMT_WRITE;
            else if (!strcmp(a.opt, "--check"))
                m = FMT_CHECK;
            else if (!strcmp(a.opt, "-d") || !strcmp(a.opt, "--diff"))
                m = FMT_DIFF;
            else {
                rc = cli_usage("fmt", "unknown option %s", a.opt);
                goto done;
            }
            if (mode != FMT_PRINT && mode != m) {
                rc = cli_usage("fmt", "-w, --check and -d cannot be combined");
                goto done;
            }
            mode = m;
            continue;
        }
        struct stat st;
        if (strcmp(pos, "-") == 0) {
            stdin_used = 1;
            AIP_GROW(files.v, files.n, files.cap);
            files.v[files.n++] = NULL;
        } else if (stat(pos, &st) == 0 && S_ISDIR(st.st_mode)) {
            size_t before = files.n, len = strlen(pos);
            char *dir = aip_xstrdup(pos);
            while (len > 1 && dir[len - 1] == '/')
                dir[--len] = '\0'; /* p/ lists p/x.aip, not p//x.aip */
            int r = fmt_walk(dir, &files, 0);
            aip_free(dir);
            if (r) {
                rc = r;
                goto done;
            }
            if (files.n == before) {
                fprintf(stderr, "aip fmt: %s: no .aip files in this directory\n", pos);
                rc = EXIT_INPUT;
                goto done;
            }
        } else {
            AIP_GROW(files.v, files.n, files.cap);
            files.v[files.n++] = aip_xstrdup(pos);
        }
    }
    if (files.n == 0) {
        stdin_used = 1;
        AIP_GROW(files.v, files.n, files.cap);
        files.v[files.n++] = NULL;
    }
    if (stdin_used && files.n > 1) {
        rc = cli_usage("fmt", "standard input (-) cannot be formatted with other files");
        goto done;
    }
    int color = cli_color(stderr);
    for (size_t i = 0; i < files.n; i++) {
        int r = fmt_one(files.v[i], mode, color);
        rc = r > rc ? r : rc;
    }
done:
    for (size_t i = 0; i < files.n; i++)
        aip_free(files.v[i]);
    aip_free(files.v);
    return rc;
}
