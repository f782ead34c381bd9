/* tests/unit/test_outfile.c - atomic report output (runtime/outfile.c):
 * commit replaces the target whole, abort and every failure leave the old
 * target and no temporary file, errors name the path and the reason. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/outfile.h"

/* ---- a scratch directory per test ------------------------------------------ */

typedef struct scratch { char dir[64]; char path[PATH_MAX]; } scratch;

static int setup(void **state)
{
    scratch *s = calloc(1, sizeof *s);
    assert_non_null(s);
    strcpy(s->dir, "/tmp/aip-outfile-XXXXXX");
    assert_non_null(mkdtemp(s->dir));
    *state = s;
    return 0;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char p[PATH_MAX];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static int teardown(void **state)
{
    scratch *s = *state;
    remove_tree(s->dir);
    free(s);
    return 0;
}

/* s->path = dir/name */
static const char *at(scratch *s, const char *name)
{
    snprintf(s->path, sizeof s->path, "%s/%s", s->dir, name);
    return s->path;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* The whole file, or NULL when it cannot be read (free it). */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = calloc(1, 4096);
    size_t n = fread(buf, 1, 4095, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void assert_file(const char *path, const char *want)
{
    char *got = read_file(path);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* Entries in dir, except . and ..; *hidden counts names starting with '.'. */
static int entries(const char *dir, int *hidden)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    *hidden = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n++;
        if (e->d_name[0] == '.')
            (*hidden)++;
    }
    closedir(d);
    return n;
}

static mode_t current_umask(void)
{
    mode_t m = umask(022);
    umask(m);
    return m;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_commit_new_file(void **state)
{
    scratch *s = *state;
    const char *path = at(s, "report.json");
    outfile of;
    aip_error err;
    FILE *f = outfile_open(path, &of, &err);
    assert_non_null(f);
    fputs("{}\n", f);
    int hidden;
    /* while it is written the report is an unnamed file (O_TMPFILE): nothing
     * shows in the directory, so a killed process leaves nothing behind */
    assert_int_equal(entries(s->dir, &hidden), 0);
    assert_true(of.unnamed);
    assert_int_equal(access(path, F_OK), -1);        /* target not there yet */
    assert_int_equal(outfile_commit(&of, &err), 0);
    assert_file(path, "{}\n");
    assert_int_equal(entries(s->dir, &hidden), 1);
    assert_int_equal(hidden, 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0666 & ~current_umask());
    outfile_abort(&of);                               /* no-op after commit */
    assert_file(path, "{}\n");
}

static void test_commit_replaces(void **state)
{
    scratch *s = *state;
    const char *path = at(s, "report.json");
    write_file(path, "old report\n");
    assert_int_equal(chmod(path, 0640), 0);
    outfile of;
    aip_error err;
    FILE *f = outfile_open(path, &of, &err);
    assert_non_null(f);
    fputs("new report\n", f);
    fflush(f);
    assert_file(path, "old report\n");               /* readers still see the old one */
    assert_int_equal(outfile_commit(&of, &err), 0);
    assert_file(path, "new report\n");
    int hidden;
    assert_int_equal(entries(s->dir, &hidden), 1);
    assert_int_equal(hidden, 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);      /* mode kept */
}

static void test_abort_keeps_old(void **state)
{
    scratch *s = *state;
    const char *path = at(s, "report.txt");
    write_file(path, "old\n");
    outfile of;
    aip_error err;
    FILE *f = outfile_open(path, &of, &err);
    assert_non_null(f);
    fputs("half a rep", f);
    fflush(f);
    outfile_abort(&of);
    outfile_abort(&of);                               /* twice is harmless */
    assert_file(path, "old\n");
    int hidden;
    assert_int_equal(entries(s->dir, &hidden), 1);
    assert_int_equal(hidden, 0);
    assert_int_equal(outfile_commit(&of, &err), -1);  /* finished already */
}

static void test_relative_path(void **state)
{
    scratch *s = *state;
    char cwd[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(s->dir), 0);
    outfile of;
    aip_error err;
    FILE *f = outfile_open("plain.txt", &of, &err);
    assert_non_null(f);
    fputs("ok\n", f);
    int rc = outfile_commit(&of, &err);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, 0);
    assert_file(at(s, "plain.txt"), "ok\n");
}

static void test_symlink_target(void **state)
{
    scratch *s = *state;
    char real[PATH_MAX], link[PATH_MAX];
    snprintf(real, sizeof real, "%s/real.json", s->dir);
    snprintf(link, sizeof link, "%s/link.json", s->dir);
    write_file(real, "old\n");
    assert_int_equal(symlink("real.json", link), 0);
    outfile of;
    aip_error err;
    FILE *f = outfile_open(link, &of, &err);
    assert_non_null(f);
    fputs("new\n", f);
    assert_int_equal(outfile_commit(&of, &err), 0);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));                 /* the link is kept */
    assert_file(real, "new\n");
    int hidden;
    assert_int_equal(entries(s->dir, &hidden), 2);
    assert_int_equal(hidden, 0);
}

static void test_dev_full(void **state)
{
    (void)state;
    if (access("/dev/full", W_OK) != 0)
        skip();
    outfile of;
    aip_error err;
    memset(&err, 0, sizeof err);
    FILE *f = outfile_open("/dev/full", &of, &err);
    assert_non_null(f);                               /* written in place */
    for (int i = 0; i < 1000; i++)
        fputs("a line of the report that will not fit\n", f);
    assert_int_equal(outfile_commit(&of, &err), -1);
    assert_non_null(strstr(err.file, "/dev/full"));
    assert_non_null(strstr(err.msg, strerror(ENOSPC)));
    outfile_abort(&of);                               /* no-op */

    /* a small report fails at the final flush */
    f = outfile_open("/dev/full", &of, &err);
    assert_non_null(f);
    fputs("{}\n", f);
    assert_int_equal(outfile_commit(&of, &err), -1);
    assert_non_null(strstr(err.msg, strerror(ENOSPC)));
}

static void test_missing_directory(void **state)
{
    scratch *s = *state;
    const char *path = at(s, "no/such/dir/report.json");
    outfile of;
    aip_error err;
    memset(&err, 0, sizeof err);
    assert_null(outfile_open(path, &of, &err));
    assert_non_null(strstr(err.file, path));
    assert_non_null(strstr(err.msg, strerror(ENOENT)));
    int hidden;
    assert_int_equal(entries(s->dir, &hidden), 0);
    outfile_abort(&of);                               /* harmless after a failed open */
}

static void test_directory_target(void **state)
{
    scratch *s = *state;
    outfile of;
    aip_error err;
    memset(&err, 0, sizeof err);
    assert_null(outfile_open(s->dir, &of, &err));
    assert_non_null(strstr(err.msg, strerror(EISDIR)));
    char slash[PATH_MAX];
    snprintf(slash, sizeof slash, "%s/", s->dir);
    assert_null(outfile_open(slash, &of, &err));
    int hidden;
    assert_int_equal(entries(s->dir, &hidden), 0);
}

/* A write error on the temporary file (file size limit): commit fails, the
 * old report stays, the temporary file goes. */
static void test_write_error(void **state)
{
    scratch *s = *state;
    const char *path = at(s, "report.json");
    write_file(path, "old\n");
    struct rlimit old_lim, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old_lim), 0);
    void (*old_sig)(int) = signal(SIGXFSZ, SIG_IGN);
    lim = old_lim;
    lim.rlim_cur = 1024;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);

    outfile of;
    aip_error err;
    memset(&err, 0, sizeof err);
    FILE *f = outfile_open(path, &of, &err);
    assert_non_null(f);
    for (int i = 0; i < 1000; i++)
        fputs("more than the limit allows\n", f);
    int rc = outfile_commit(&of, &err);

    setrlimit(RLIMIT_FSIZE, &old_lim);
    signal(SIGXFSZ, old_sig);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err.file, path));
    assert_non_null(strstr(err.msg, strerror(EFBIG)));
    assert_file(path, "old\n");
    int hidden;
    assert_int_equal(entries(s->dir, &hidden), 1);
    assert_int_equal(hidden, 0);
}

/* The rename fails (the target became a directory meanwhile): -1, the
 * temporary file removed. */
static void test_rename_fails(void **state)
{
    scratch *s = *state;
    const char *path = at(s, "report.json");
    outfile of;
    aip_error err;
    memset(&err, 0, sizeof err);
    FILE *f = outfile_open(path, &of, &err);
    assert_non_null(f);
    fputs("{}\n", f);
    assert_int_equal(mkdir(path, 0755), 0);
    write_file(at(s, "report.json/keep"), "x");      /* a non-empty directory */
    path = at(s, "report.json");
    assert_int_equal(outfile_commit(&of, &err), -1);
    assert_non_null(strstr(err.file, path));
    int hidden;
    assert_int_equal(entries(s->dir, &hidden), 1);   /* the directory only */
    assert_int_equal(hidden, 0);
}

static void test_stdout(void **state)
{
    (void)state;
    outfile of;
    aip_error err;
    FILE *f = outfile_open("-", &of, &err);
    assert_ptr_equal(f, stdout);
    assert_int_equal(outfile_commit(&of, &err), 0);
    assert_ptr_equal(outfile_open("-", &of, &err), stdout);
    outfile_abort(&of);                               /* never closes stdout */
    assert_int_equal(fflush(stdout), 0);
}

/* /dev/stdout redirected to a regular file is written through the
 * descriptor, not replaced by a rename. */
static void test_dev_stdout_file(void **state)
{
    scratch *s = *state;
    const char *path = at(s, "redirected.txt");
    write_file(path, "before\n");
    fflush(stdout);
    int saved = dup(1);
    assert_true(saved >= 0);
    FILE *red = fopen(path, "a");
    assert_non_null(red);
    assert_true(dup2(fileno(red), 1) >= 0);
    fclose(red);
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);

    outfile of;
    aip_error err;
    FILE *f = outfile_open("/dev/stdout", &of, &err);
    int ok = f != NULL;
    if (f) {
        fputs("report\n", f);
        ok = outfile_commit(&of, &err) == 0;
    }
    dup2(saved, 1);
    close(saved);
    assert_true(ok);
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(before.st_ino, after.st_ino);   /* same file, not a new one */
    assert_file(path, "before\nreport\n");
    int hidden;
    assert_int_equal(entries(s->dir, &hidden), 1);
}

static void test_empty_path(void **state)
{
    (void)state;
    outfile of;
    aip_error err;
    memset(&err, 0, sizeof err);
    assert_null(outfile_open("", &of, &err));
    assert_true(err.msg[0] != '\0');
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_commit_new_file),
        T(test_commit_replaces),
        T(test_abort_keeps_old),
        T(test_relative_path),
        T(test_symlink_target),
        T(test_dev_full),
        T(test_missing_directory),
        T(test_directory_target),
        T(test_write_error),
        T(test_rename_fails),
        T(test_stdout),
        T(test_dev_stdout_file),
        T(test_empty_path),
    };
    return cmocka_run_group_tests_name("outfile", tests, NULL, NULL);
}
