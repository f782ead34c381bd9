/* tests/unit/test_diag.c - source files and diagnostics (lang/diag.c): line
 * maps and positions, loading files, the exact rendered format (caret and
 * tildes, tabs, UTF-8, multi-line spans, colour), the error cap, and the
 * edit distance behind "did you mean".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lang/diag.h"

/* diag_print of d into a new string (free it). */
static char *render(const diag_list *d, int color)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    diag_print(d, f, color);
    fclose(f);
    return buf;
}

static void check_render(const char *label, const diag_list *d, int color, const char *want)
{
    char *got = render(d, color);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "%s:\n--- got\n%s--- want\n%s---\n", label, got, want);
        free(got);
        fail();
    }
    free(got);
}

static void test_src_positions(void **state)
{
    (void)state;
    static const char text[] = "ab\n\ncd\r\nlast";
    src_file *s = src_from_string("x.aip", text, sizeof text - 1);
    assert_string_equal(s->path, "x.aip");
    assert_int_equal(s->len, sizeof text - 1);
    assert_int_equal(s->text[s->len], '\0');
    assert_int_equal(s->nlines, 4);
    static const struct {
        uint32_t off;
        unsigned line, col;
    } cases[] = {
        {0, 1, 1}, {1, 1, 2}, {2, 1, 3},   /* the newline ends line 1 */
        {3, 2, 1},                          /* an empty line */
        {4, 3, 1}, {6, 3, 3}, {7, 3, 4},   /* CR LF */
        {8, 4, 1}, {11, 4, 4}, {12, 4, 5}, /* end of text, no final newline */
        {999, 4, 5},                        /* clamped */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned line, col;
        src_pos(s, cases[i].off, &line, &col);
        if (line != cases[i].line || col != cases[i].col)
            fail_msg("offset %u: %u:%u, want %u:%u", cases[i].off, line, col, cases[i].line,
                     cases[i].col);
    }
    src_free(s);

    /* a final newline does not start another line; empty text has one */
    s = src_from_string("y", "a\n", 2);
    assert_int_equal(s->nlines, 1);
    src_free(s);
    s = src_from_string("z", "", 0);
    assert_int_equal(s->nlines, 1);
    unsigned line, col;
    src_pos(s, 0, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
    src_free(s);
    src_free(NULL);
}

static void test_src_load(void **state)
{
    (void)state;
    char err[256] = "";
    src_file *s = src_load("/nonexistent/dir/p.aip", err, sizeof err);
    assert_null(s);
    assert_string_equal(err, "cannot open /nonexistent/dir/p.aip: No such file or directory");

    s = src_load("/", err, sizeof err);
    assert_null(s);
    assert_string_equal(err, "cannot read /: Is a directory");

    char path[] = "/tmp/aip-test-diag-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    /* bigger than the first read buffer, with a NUL byte inside */
    size_t n = 10000;
    char *data = malloc(n);
    for (size_t i = 0; i < n; i++)
        data[i] = (char)(i % 80 == 79 ? '\n' : 'a' + i % 26);
    data[5] = '\0';
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);
    s = src_load(path, err, sizeof err);
    unlink(path);
    assert_non_null(s);
    assert_string_equal(s->path, path);
    assert_int_equal(s->len, n);
    assert_memory_equal(s->text, data, n);
    assert_int_equal(s->text[n], '\0');
    assert_int_equal(s->nlines, (n + 79) / 80);
    free(data);
    src_free(s);
}

static void test_diag_print_format(void **state)
{
    (void)state;
    static const char text[] =
        "control PR.AA-01 {\n"          /* 0..18 */
        "\trequire x ==  # c\n"         /* 19..37 */
        "  \t title \"caf\xC3\xA9 ok\"\n" /* 38.. */
        "}";
    src_file *s = src_from_string("p/x.aip", text, sizeof text - 1);
    diag_list d;
    diag_init(&d);
    uint32_t line3 = 38;

    diag_add(&d, DIAG_ERROR, s, 8, 16, "unknown control '%s'", "PR.AA-01");
    check_render("span on line 1", &d, 0,
                 "p/x.aip:1:9: error: unknown control 'PR.AA-01'\n"
                 "    control PR.AA-01 {\n"
                 "            ^~~~~~~~\n");
    diag_free(&d);

    diag_add(&d, DIAG_ERROR, s, 28, 30, "tab kept");
    check_render("tab in the indentation", &d, 0,
                 "p/x.aip:2:10: error: tab kept\n"
                 "    \trequire x ==  # c\n"
                 "    \t        ^~\n");
    diag_free(&d);

    diag_add(&d, DIAG_WARNING, s, 18, 18, "zero width at the end of a line");
    check_render("zero width", &d, 0,
                 "p/x.aip:1:19: warning: zero width at the end of a line\n"
                 "    control PR.AA-01 {\n"
                 "                      ^\n");
    diag_free(&d);

    diag_add(&d, DIAG_NOTE, s, 8, 30, "multi-line span");
    check_render("only the first line is underlined", &d, 0,
                 "p/x.aip:1:9: note: multi-line span\n"
                 "    control PR.AA-01 {\n"
                 "            ^~~~~~~~~~\n");
    diag_free(&d);

    /* the caret counts a UTF-8 character as one column, tabs stay tabs */
    uint32_t ok = line3 + (uint32_t)(strstr(text + line3, "ok") - (text + line3));
    uint32_t q = line3 + (uint32_t)(strstr(text + line3, "\"") - (text + line3));
    diag_add(&d, DIAG_ERROR, s, q, ok + 2, "utf-8");
    diag_add(&d, DIAG_ERROR, s, ok, ok + 2, "after utf-8");
    check_render("utf-8", &d, 0,
                 "p/x.aip:3:11: error: utf-8\n"
                 "      \t title \"caf\xC3\xA9 ok\"\n"
                 "      \t       ^~~~~~~~\n"
                 "p/x.aip:3:18: error: after utf-8\n"
                 "      \t title \"caf\xC3\xA9 ok\"\n"
                 "      \t             ^~\n");
    diag_free(&d);

    diag_add(&d, DIAG_ERROR, s, (uint32_t)s->len, (uint32_t)s->len, "at the end");
    diag_add(&d, DIAG_ERROR, NULL, 0, 0, "no location");
    check_render("end of text and no source", &d, 0,
                 "p/x.aip:4:2: error: at the end\n"
                 "    }\n"
                 "     ^\n"
                 "aip: error: no location\n");
    assert_int_equal(d.errors, 2);
    diag_free(&d);

    diag_add(&d, DIAG_ERROR, s, 8, 10, "colour");
    check_render("colour", &d, 1,
                 "\033[1mp/x.aip:1:9:\033[0m \033[1;31merror:\033[0m colour\n"
                 "    control PR.AA-01 {\n"
                 "            \033[1;32m^~\033[0m\n");
    diag_free(&d);
    src_free(s);

    /* CR LF: the CR is not shown */
    s = src_from_string("w.aip", "a = 1\r\nb\r\n", 10);
    diag_add(&d, DIAG_ERROR, s, 4, 5, "crlf");
    check_render("crlf", &d, 0, "w.aip:1:5: error: crlf\n    a = 1\n        ^\n");
    diag_free(&d);
    src_free(s);
}

static void test_diag_error_cap(void **state)
{
    (void)state;
    src_file *s = src_from_string("x", "abc", 3);
    diag_list d;
    diag_init(&d);
    d.max_errors = 3;
    for (int i = 0; i < 10; i++)
        diag_add(&d, DIAG_ERROR, s, 0, 1, "error %d", i);
    diag_add(&d, DIAG_WARNING, s, 0, 1, "a warning still counts");
    diag_add(&d, DIAG_ERROR, s, 0, 1, "dropped");
    assert_int_equal(d.errors, 3);
    assert_int_equal(d.n, 5);
    assert_string_equal(d.items[2].msg, "error 2");
    assert_int_equal(d.items[3].level, DIAG_NOTE);
    assert_null(d.items[3].src);
    assert_string_equal(d.items[3].msg, "too many errors; stopping after 3");
    assert_int_equal(d.items[4].level, DIAG_WARNING);
    diag_free(&d);
    assert_int_equal(d.n, 0);

    /* the default cap is 100 */
    for (int i = 0; i < 150; i++)
        diag_add(&d, DIAG_ERROR, s, 0, 1, "e");
    assert_int_equal(d.errors, 100);
    assert_int_equal(d.n, 101);
    diag_free(&d);
    src_free(s);
}

static void test_diag_edit_distance(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        unsigned cap, want;
    } cases[] = {
        {"", "", 2, 0},
        {"abc", "abc", 2, 0},
        {"kitten", "sitting", 5, 3},
        {"kitten", "sitting", 2, 3},      /* over the cap: cap + 1 */
        {"requre", "require", 2, 1},
        {"titel", "title", 2, 2},
        {"defnd", "defend", 2, 1},
        {"", "abc", 3, 3},
        {"abc", "", 1, 2},
        {"a", "abcdef", 2, 3},            /* length difference alone exceeds the cap */
        {"secure", "thwart", 10, 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned got = diag_edit_distance(cases[i].a, cases[i].b, cases[i].cap);
        if (got != cases[i].want)
            fail_msg("'%s' '%s' cap %u: %u, want %u", cases[i].a, cases[i].b, cases[i].cap, got,
                     cases[i].want);
    }
    /* long strings use the heap */
    char a[200], b[200];
    memset(a, 'x', 199);
    memset(b, 'x', 199);
    a[199] = b[199] = '\0';
    b[100] = 'y';
    assert_int_equal(diag_edit_distance(a, b, 5), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_src_positions),
        cmocka_unit_test(test_src_load),
        cmocka_unit_test(test_diag_print_format),
        cmocka_unit_test(test_diag_error_cap),
        cmocka_unit_test(test_diag_edit_distance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
