/* tests/unit/test_json_out.c - the streaming JSON writer (runtime/json_out.c):
 * string escaping and UTF-8 repair, numbers, layout of nested containers,
 * misuse detection and write errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/json_out.h"

/* A writer over a memory stream; take() ends it and returns the text. */
typedef struct cap {
    FILE *f;
    char *buf;
    size_t len;
    jw w;
} cap;

static void cap_open(cap *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    assert_non_null(c->f);
    jw_init(&c->w, c->f);
}

/* Finish the document, expect status rc, and return the text (free it). */
static char *cap_take(cap *c, int rc)
{
    assert_int_equal(jw_finish(&c->w), rc);
    fclose(c->f);
    return c->buf;
}

static void check_string(const char *in, size_t len, const char *want)
{
    cap c;
    cap_open(&c);
    jw_stringn(&c.w, in, len);
    char *got = cap_take(&c, 0);
    if (strcmp(got, want) != 0)
        fail_msg("input of %zu bytes: got [%s] want [%s]", len, got, want);
    free(got);
}

#define S(lit) lit, sizeof lit - 1

/* Plain ASCII is scanned 8 bytes at a time: every special byte is found at
 * every position of strings around and across word boundaries. */
static void test_escaping_at_every_position(void **state)
{
    (void)state;
    static const struct { const char *in; const char *out; } special[] = {
        { "\"", "\\\"" }, { "\\", "\\\\" }, { "\n", "\\n" }, { "\x1f", "\\u001f" },
        { "\x01", "\\u0001" }, { "\xc3\xa9", "\xc3\xa9" }, { "\xff", "\xef\xbf\xbd" },
        { "\x7f", "\x7f" }, { " ", " " }, { "!", "!" }, { "#", "#" }, { "[", "[" }, { "]", "]" },
    };
    for (size_t k = 0; k < sizeof special / sizeof special[0]; k++) {
        for (size_t len = 1; len <= 26; len++) {
            for (size_t pos = 0; pos < len; pos++) {
                char in[64], want[128];
                size_t n = 0, w = 0;
                want[w++] = '"';
                for (size_t i = 0; i < len; i++) {
                    const char *add = i == pos ? special[k].in : "a";
                    const char *exp = i == pos ? special[k].out : "a";
                    memcpy(in + n, add, strlen(add));
                    n += strlen(add);
                    memcpy(want + w, exp, strlen(exp));
                    w += strlen(exp);
                }
                memcpy(want + w, "\"\n", 3);
                check_string(in, n, want);
            }
        }
    }
}

static void test_escaping(void **state)
{
    (void)state;
    static const struct { const char *in; size_t len; const char *want; } cases[] = {
        { S(""), "\"\"\n" },
        { S("plain text"), "\"plain text\"\n" },
        { S("q\"b\\s/"), "\"q\\\"b\\\\s/\"\n" },
        { S("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"\n" },
        { S("\x01\x1f\x0b"), "\"\\u0001\\u001f\\u000b\"\n" },
        { S("a\0b"), "\"a\\u0000b\"\n" },
        { S("\0"), "\"\\u0000\"\n" },
        { S("\x7f"), "\"\x7f\"\n" },                      /* DEL is legal JSON */
        /* valid UTF-8 passes through: 2, 3 and 4 bytes, U+2028, U+FFFF, U+10FFFF */
        { S("caf\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e"), "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e\"\n" },
        { S("\xe2\x80\xa8\xef\xbf\xbf\xf4\x8f\xbf\xbf"), "\"\xe2\x80\xa8\xef\xbf\xbf\xf4\x8f\xbf\xbf\"\n" },
        /* invalid UTF-8: one U+FFFD per maximal ill-formed subpart */
        { S("\xff"), "\"\xef\xbf\xbd\"\n" },
        { S("a\x80z"), "\"a\xef\xbf\xbdz\"\n" },                    /* lone continuation */
        { S("\xc3"), "\"\xef\xbf\xbd\"\n" },                        /* truncated at end */
        { S("\xc3("), "\"\xef\xbf\xbd(\"\n" },
        { S("\xe2\x82x"), "\"\xef\xbf\xbdx\"\n" },                  /* 2 of 3 bytes: one U+FFFD */
        { S("\xf0\x9f\x98"), "\"\xef\xbf\xbd\"\n" },                /* 3 of 4 at end */
        { S("\xc0\xaf"), "\"\xef\xbf\xbd\xef\xbf\xbd\"\n" },        /* overlong '/' */
        { S("\xe0\x80\xaf"), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"\n" },  /* overlong 3-byte */
        { S("\xed\xa0\x80"), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"\n" },  /* surrogate D800 */
        { S("\xf4\x90\x80\x80"), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"\n" }, /* > U+10FFFF */
        { S("\xf8\x88\x80\x80\x80"), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"\n" },
        { S("\xc3\xa9\xff\n\xc3\xa9"), "\"\xc3\xa9\xef\xbf\xbd\\n\xc3\xa9\"\n" },
        { S("\xc3\0"), "\"\xef\xbf\xbd\\u0000\"\n" },               /* NUL ends a sequence */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_string(cases[i].in, cases[i].len, cases[i].want);
}

static void test_string_null_and_keys(void **state)
{
    (void)state;
    cap c;
    cap_open(&c);
    jw_object_begin(&c.w);
    jw_keyn(&c.w, "k\0\"", 3);
    jw_string(&c.w, NULL);
    jw_member_string(&c.w, "s", "x");
    jw_object_end(&c.w);
    char *got = cap_take(&c, 0);
    assert_string_equal(got, "{\n  \"k\\u0000\\\"\": null,\n  \"s\": \"x\"\n}\n");
    free(got);
}

static void check_double(double d, const char *want)
{
    char buf[JW_DOUBLE_BUF];
    size_t n = jw_format_double(d, buf);
    assert_int_equal(n, strlen(buf));
    if (strcmp(buf, want) != 0)
        fail_msg("%.17g: got %s want %s", d, buf, want);
    if (isfinite(d))
        assert_true(strtod(buf, NULL) == d);   /* round trip */
}

static void test_doubles(void **state)
{
    (void)state;
    check_double(0.0, "0.0");
    check_double(-0.0, "-0.0");
    check_double(1.0, "1.0");
    check_double(-2.5, "-2.5");
    check_double(0.1, "0.1");
    check_double(0.1 + 0.2, "0.30000000000000004");
    check_double(1.0 / 3.0, "0.3333333333333333");
    check_double(123456789.0, "123456789.0");
    check_double(1e16, "1e+16");
    check_double(1e300, "1e+300");
    check_double(1.5e-7, "1.5e-07");
    check_double(DBL_MAX, "1.7976931348623157e+308");
    check_double(5e-324, "5e-324");
    check_double(NAN, "null");
    check_double(INFINITY, "null");
    check_double(-INFINITY, "null");

    cap c;
    cap_open(&c);
    jw_array_begin(&c.w);
    jw_double(&c.w, 0.5);
    jw_double(&c.w, NAN);
    jw_double(&c.w, -INFINITY);
    jw_array_end(&c.w);
    char *got = cap_take(&c, 0);
    assert_string_equal(got, "[\n  0.5,\n  null,\n  null\n]\n");
    free(got);
}

static void test_scalars(void **state)
{
    (void)state;
    cap c;
    cap_open(&c);
    jw_array_begin(&c.w);
    jw_int(&c.w, 0);
    jw_int(&c.w, -42);
    jw_int(&c.w, INT64_MAX);
    jw_int(&c.w, INT64_MIN);
    jw_bool(&c.w, 1);
    jw_bool(&c.w, 0);
    jw_null(&c.w);
    jw_array_end(&c.w);
    char *got = cap_take(&c, 0);
    assert_string_equal(got, "[\n  0,\n  -42,\n  9223372036854775807,\n"
                             "  -9223372036854775808,\n  true,\n  false,\n  null\n]\n");
    free(got);

    cap_open(&c);
    jw_int(&c.w, 7);          /* a scalar document */
    got = cap_take(&c, 0);
    assert_string_equal(got, "7\n");
    free(got);
}

static void test_nesting(void **state)
{
    (void)state;
    cap c;
    cap_open(&c);
    jw_object_begin(&c.w);
    jw_key(&c.w, "a");
    jw_array_begin(&c.w);
    jw_int(&c.w, 1);
    jw_object_begin(&c.w);
    jw_key(&c.w, "b");
    jw_array_begin(&c.w);
    jw_array_end(&c.w);
    jw_member_bool(&c.w, "t", 1);
    jw_object_end(&c.w);
    jw_object_begin(&c.w);
    jw_object_end(&c.w);
    jw_array_begin(&c.w);
    jw_array_begin(&c.w);
    jw_string(&c.w, "deep");
    jw_array_end(&c.w);
    jw_array_end(&c.w);
    jw_array_end(&c.w);
    jw_member_null(&c.w, "c");
    jw_member_int(&c.w, "d", -1);
    jw_object_end(&c.w);
    char *got = cap_take(&c, 0);
    assert_string_equal(got,
        "{\n"
        "  \"a\": [\n"
        "    1,\n"
        "    {\n"
        "      \"b\": [],\n"
        "      \"t\": true\n"
        "    },\n"
        "    {},\n"
        "    [\n"
        "      [\n"
        "        \"deep\"\n"
        "      ]\n"
        "    ]\n"
        "  ],\n"
        "  \"c\": null,\n"
        "  \"d\": -1\n"
        "}\n");
    free(got);

    /* empty containers as documents */
    cap_open(&c);
    jw_object_begin(&c.w);
    jw_object_end(&c.w);
    got = cap_take(&c, 0);
    assert_string_equal(got, "{}\n");
    free(got);
}

static void test_max_depth(void **state)
{
    (void)state;
    cap c;
    cap_open(&c);
    for (int i = 0; i < JW_MAX_DEPTH; i++)
        jw_array_begin(&c.w);
    for (int i = 0; i < JW_MAX_DEPTH; i++)
        jw_array_end(&c.w);
    free(cap_take(&c, 0));

    cap_open(&c);
    for (int i = 0; i <= JW_MAX_DEPTH; i++)
        jw_array_begin(&c.w);
    assert_int_equal(c.w.err, JW_ERR_USE);
    free(cap_take(&c, -1));
}

/* Each misuse makes jw_finish fail with JW_ERR_USE. */
static void test_misuse(void **state)
{
    (void)state;
    cap c;

    cap_open(&c);                       /* value in an object without a key */
    jw_object_begin(&c.w);
    jw_int(&c.w, 1);
    free(cap_take(&c, -1));
    assert_int_equal(c.w.err, JW_ERR_USE);

    cap_open(&c);                       /* key in an array */
    jw_array_begin(&c.w);
    jw_key(&c.w, "k");
    free(cap_take(&c, -1));

    cap_open(&c);                       /* two keys in a row */
    jw_object_begin(&c.w);
    jw_key(&c.w, "k");
    jw_key(&c.w, "l");
    free(cap_take(&c, -1));

    cap_open(&c);                       /* mismatched end */
    jw_object_begin(&c.w);
    jw_array_end(&c.w);
    free(cap_take(&c, -1));

    cap_open(&c);                       /* end with a key pending */
    jw_object_begin(&c.w);
    jw_key(&c.w, "k");
    jw_object_end(&c.w);
    free(cap_take(&c, -1));

    cap_open(&c);                       /* unclosed */
    jw_array_begin(&c.w);
    free(cap_take(&c, -1));

    cap_open(&c);                       /* nothing written */
    free(cap_take(&c, -1));

    cap_open(&c);                       /* two top-level values */
    jw_int(&c.w, 1);
    jw_int(&c.w, 2);
    free(cap_take(&c, -1));

    cap_open(&c);                       /* end with nothing open */
    jw_array_end(&c.w);
    free(cap_take(&c, -1));
}

/* Output larger than the writer's buffer, in pieces small and large (a
 * string longer than the buffer goes straight through): nothing lost or
 * reordered; nothing reaches the FILE before the buffer fills or jw_finish. */
static void test_buffered_output(void **state)
{
    (void)state;
    size_t big_len = JW_BUF * 2 + 7;
    char *big = malloc(big_len + 1);
    assert_non_null(big);
    for (size_t i = 0; i < big_len; i++)
        big[i] = (char)('a' + i % 26);
    big[big_len] = '\0';
    cap c;
    cap_open(&c);
    jw_array_begin(&c.w);
    jw_int(&c.w, 1);
    fflush(c.f);
    assert_int_equal(c.len, 0);         /* still in the writer's buffer */
    for (int i = 0; i < 3000; i++)
        jw_int(&c.w, i);
    jw_string(&c.w, big);
    jw_string(&c.w, "end");
    jw_array_end(&c.w);
    char *got = cap_take(&c, 0);
    /* the same document written piece by piece into a string */
    size_t cap_len = big_len + 64 + 3000 * 16;
    char *want = malloc(cap_len);
    assert_non_null(want);
    size_t n = (size_t)snprintf(want, cap_len, "[\n  1");
    for (int i = 0; i < 3000; i++)
        n += (size_t)snprintf(want + n, cap_len - n, ",\n  %d", i);
    n += (size_t)snprintf(want + n, cap_len - n, ",\n  \"%s\",\n  \"end\"\n]\n", big);
    assert_int_equal(strlen(got), n);
    assert_string_equal(got, want);
    free(want);
    free(got);
    free(big);
}

static void test_write_error(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    jw w;
    jw_init(&w, f);
    jw_array_begin(&w);
    for (int i = 0; i < 10000; i++)
        jw_string(&w, "filling the buffer until it is flushed");
    jw_array_end(&w);
    assert_int_equal(jw_finish(&w), -1);
    assert_int_equal(w.err, JW_ERR_IO);
    fclose(f);

    /* a short document fails at the final flush */
    f = fopen("/dev/full", "w");
    assert_non_null(f);
    jw_init(&w, f);
    jw_int(&w, 1);
    assert_int_equal(jw_finish(&w), -1);
    assert_int_equal(w.err, JW_ERR_IO);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_escaping_at_every_position),
        cmocka_unit_test(test_string_null_and_keys),
        cmocka_unit_test(test_doubles),
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_max_depth),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_buffered_output),
        cmocka_unit_test(test_write_error),
    };
    return cmocka_run_group_tests_name("json_out", tests, NULL, NULL);
}
