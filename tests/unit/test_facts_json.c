/* tests/unit/test_facts_json.c - the facts JSON parser (runtime/facts_json.c):
 * values, kinds and locations, int64 edges, every rejection class with its
 * line:col, deep nesting, duplicate keys, limits, and JSONTestSuite cases.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/facts.h"
#include "runtime/facts_int.h"

/* Load text as JSON named "t.json" into a fresh set; *rc gets the result. */
static facts *load(const char *text, size_t len, aip_error *err, int *rc)
{
    facts *f = facts_new();
    memset(err, 0, sizeof *err);
    *rc = facts_load_buffer(f, "t.json", text, len, FACTS_JSON, err);
    return f;
}

static const fnode *get(const fnode *m, const char *k)
{
    return fnode_get(m, k, strlen(k));
}

static void assert_loc(const fnode *n, unsigned line, unsigned col)
{
    assert_non_null(n);
    assert_int_equal(n->file, 0);
    assert_int_equal(n->line, line);
    assert_int_equal(n->col, col);
}

/* Parse text with the JSON parser only (any top-level value). 0 or -1. */
static int parse_only(const char *text, size_t len, aip_error *err)
{
    facts *f = facts_new();
    fbuild *b = facts_build_begin(f, "p.json", NULL);
    int rc = json_facts_parse(b, text, len);
    *err = *fb_error(b);
    facts_build_abort(b);
    facts_free(f);
    return rc;
}

static void test_json_values_and_locations(void **state)
{
    (void)state;
    static const char text[] =
        "{\n"
        "  \"name\": \"demo\",\n"
        "  \"n\": -42, \"pi\": 3.25, \"ok\": true, \"no\": false, \"nil\": null,\n"
        "  \"list\": [1, \"two\", [], {}],\n"
        "\t\"esc\": \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud834\\udd1e\",\n"
        "  \"nul\": \"x\\u0000y\", \"empty\": \"\", \"utf8\": \"\xc3\xa9t\xc3\xa9\"\n"
        "}\n";
    aip_error err;
    int rc;
    facts *f = load(text, sizeof text - 1, &err, &rc);
    assert_int_equal(rc, 0);
    const fnode *r = facts_root(f);
    assert_int_equal(r->kind, FN_MAP);
    assert_loc(r, 1, 1);
    assert_null(r->parent);
    assert_int_equal(r->n, 11);

    const fnode *v = get(r, "name");
    assert_int_equal(v->kind, FN_STR);
    assert_string_equal(v->u.s, "demo");
    assert_int_equal(v->n, 4);
    assert_loc(v, 2, 11);
    assert_ptr_equal(v->parent, r);
    assert_string_equal(fnode_key_of(v), "name");

    v = get(r, "n");
    assert_int_equal(v->kind, FN_INT);
    assert_int_equal(v->u.i, -42);
    assert_loc(v, 3, 8);
    v = get(r, "pi");
    assert_int_equal(v->kind, FN_DOUBLE);
    assert_true(v->u.d == 3.25);
    assert_loc(v, 3, 19);
    v = get(r, "ok");
    assert_int_equal(v->kind, FN_BOOL);
    assert_int_equal(v->u.b, 1);
    assert_loc(v, 3, 31);
    v = get(r, "no");
    assert_int_equal(v->kind, FN_BOOL);
    assert_int_equal(v->u.b, 0);
    v = get(r, "nil");
    assert_int_equal(v->kind, FN_NULL);
    assert_loc(v, 3, 57);

    const fnode *l = get(r, "list");
    assert_int_equal(l->kind, FN_LIST);
    assert_loc(l, 4, 11);
    assert_int_equal(l->n, 4);
    assert_false(fnode_has_id_index(l));
    assert_int_equal(l->u.items[0]->u.i, 1);
    assert_loc(l->u.items[0], 4, 12);
    assert_string_equal(l->u.items[1]->u.s, "two");
    assert_loc(l->u.items[1], 4, 15);
    assert_int_equal(l->u.items[2]->kind, FN_LIST);
    assert_int_equal(l->u.items[2]->n, 0);
    assert_false(fnode_has_id_index(l->u.items[2]));
    assert_loc(l->u.items[2], 4, 22);
    assert_int_equal(l->u.items[3]->kind, FN_MAP);
    assert_int_equal(l->u.items[3]->n, 0);
    assert_loc(l->u.items[3], 4, 26);
    for (uint32_t i = 0; i < l->n; i++) {
        assert_ptr_equal(l->u.items[i]->parent, l);
        assert_int_equal(l->u.items[i]->index, i);
    }

    v = get(r, "esc");
    assert_loc(v, 5, 9);   /* a tab is one byte */
    static const char esc[] = "a\"b\\c/d\b\f\n\r\t\xc3\xa9\xf0\x9d\x84\x9e";
    assert_int_equal(v->n, sizeof esc - 1);
    assert_memory_equal(v->u.s, esc, sizeof esc);   /* NUL-terminated too */

    v = get(r, "nul");
    assert_int_equal(v->n, 3);
    assert_memory_equal(v->u.s, "x\0y", 4);
    v = get(r, "empty");
    assert_int_equal(v->n, 0);
    assert_string_equal(v->u.s, "");
    v = get(r, "utf8");
    assert_string_equal(v->u.s, "\xc3\xa9t\xc3\xa9");
    assert_loc(v, 6, 43);
    facts_free(f);
}

static void test_json_keys_sorted_bytewise(void **state)
{
    (void)state;
    static const char text[] = "{\"b\":1,\"a\":2,\"B\":3,\"ab\":4,\"\":5,\"\xc3\xa9\":6}";
    aip_error err;
    int rc;
    facts *f = load(text, sizeof text - 1, &err, &rc);
    assert_int_equal(rc, 0);
    const fnode *r = facts_root(f);
    static const char *const order[] = {"", "B", "a", "ab", "b", "\xc3\xa9"};
    assert_int_equal(r->n, 6);
    for (uint32_t i = 0; i < r->n; i++) {
        assert_string_equal(r->u.entries[i].key, order[i]);
        assert_int_equal(r->u.entries[i].val->index, i);
        assert_ptr_equal(r->u.entries[i].val->parent, r);
    }
    assert_int_equal(fnode_get(r, "", 0)->u.i, 5);
    assert_null(get(r, "c"));
    facts_free(f);
}

static void test_json_int64_edges(void **state)
{
    (void)state;
    static const char text[] =
        "{\"max\": 9223372036854775807, \"min\": -9223372036854775808,\n"
        " \"over\": 9223372036854775808, \"under\": -9223372036854775809,\n"
        " \"huge\": 123456789012345678901234567890, \"zero\": 0, \"negzero\": -0,\n"
        " \"one\": 1.0, \"exp\": 1e2, \"negexp\": 25E-1, \"negzerod\": -0.0,\n"
        " \"tiny\": 1e-999, \"big\": 1.7976931348623157e308}";
    aip_error err;
    int rc;
    facts *f = load(text, sizeof text - 1, &err, &rc);
    assert_int_equal(rc, 0);
    const fnode *r = facts_root(f);
    const fnode *v = get(r, "max");
    assert_int_equal(v->kind, FN_INT);
    assert_true(v->u.i == INT64_MAX);
    v = get(r, "min");
    assert_int_equal(v->kind, FN_INT);
    assert_true(v->u.i == INT64_MIN);
    v = get(r, "over");
    assert_int_equal(v->kind, FN_DOUBLE);
    assert_true(v->u.d == 9223372036854775808.0);
    v = get(r, "under");
    assert_int_equal(v->kind, FN_DOUBLE);
    assert_true(v->u.d == -9223372036854775809.0);
    v = get(r, "huge");
    assert_int_equal(v->kind, FN_DOUBLE);
    assert_true(v->u.d == 1.2345678901234568e29);
    v = get(r, "zero");
    assert_int_equal(v->kind, FN_INT);
    assert_true(v->u.i == 0);
    v = get(r, "negzero");
    assert_int_equal(v->kind, FN_INT);
    assert_true(v->u.i == 0);
    v = get(r, "one");
    assert_int_equal(v->kind, FN_DOUBLE);
    assert_true(v->u.d == 1.0);
    v = get(r, "exp");
    assert_int_equal(v->kind, FN_DOUBLE);
    assert_true(v->u.d == 100.0);
    assert_true(get(r, "negexp")->u.d == 2.5);
    v = get(r, "negzerod");
    assert_int_equal(v->kind, FN_DOUBLE);
    assert_true(v->u.d == 0.0 && signbit(v->u.d));
    v = get(r, "tiny");
    assert_int_equal(v->kind, FN_DOUBLE);
    assert_true(v->u.d == 0.0);
    assert_true(get(r, "big")->u.d == 1.7976931348623157e308);
    facts_free(f);
}

/* One rejected input: what it shows, where the error must be, and a piece
 * of the message. */
typedef struct reject_case {
    const char *label;
    const char *text;
    size_t len;            /* 0: strlen(text) */
    unsigned line, col;
    const char *msg;
} reject_case;

static const reject_case rejects[] = {
    {"empty input", "", 0, 1, 1, "empty input"},
    {"whitespace only", " \n  ", 0, 2, 3, "empty input"},
    {"BOM only", "\xef\xbb\xbf", 0, 1, 1, "empty input"},
    {"trailing comma in array", "{\"a\": [1, 2,\n ]}", 0, 1, 12, "trailing comma before ']'"},
    {"trailing comma in object", "{\"a\": 1,}", 0, 1, 8, "trailing comma before '}'"},
    {"line comment", "{\"a\": 1 // c\n}", 0, 1, 9, "comments are not allowed"},
    {"block comment", "{/* c */ \"a\": 1}", 0, 1, 2, "comments are not allowed"},
    {"leading zero", "{\"a\": 012}", 0, 1, 8, "leading zeros"},
    {"negative leading zero", "{\"a\": -00}", 0, 1, 9, "leading zeros"},
    {"NaN", "{\"a\": NaN}", 0, 1, 7, "NaN and Infinity"},
    {"Infinity", "{\"a\": Infinity}", 0, 1, 7, "NaN and Infinity"},
    {"-Infinity", "{\"a\": -Infinity}", 0, 1, 7, "NaN and Infinity"},
    {"plus sign", "{\"a\": +1}", 0, 1, 7, "expected a value"},
    {"bare fraction", "{\"a\": .5}", 0, 1, 7, "expected a value"},
    {"no fraction digits", "{\"a\": 1.}", 0, 1, 9, "expected a digit after '.'"},
    {"no exponent digits", "{\"a\": 1e+}", 0, 1, 10, "expected a digit in the exponent"},
    {"minus alone", "{\"a\": -}", 0, 1, 8, "expected a digit after '-'"},
    {"overflow to inf", "{\n\"a\": 1e999}", 0, 2, 6, "number out of range"},
    {"negative overflow", "{\"a\": -1.5e400}", 0, 1, 7, "number out of range"},
    {"raw tab in string", "{\"a\": \"x\ty\"}", 0, 1, 9, "control character 0x09"},
    {"raw newline in string", "{\"a\": \"x\ny\"}", 0, 1, 9, "control character 0x0A"},
    {"raw NUL in string", "{\"a\": \"x\0y\"}", 12, 1, 9, "control character 0x00"},
    {"overlong UTF-8", "{\"a\": \"\xc0\xaf\"}", 0, 1, 8, "invalid UTF-8"},
    {"UTF-8 surrogate", "{\"a\": \"\xed\xa0\x80\"}", 0, 1, 8, "invalid UTF-8"},
    {"UTF-8 above U+10FFFF", "{\"a\": \"\xf4\x90\x80\x80\"}", 0, 1, 8, "invalid UTF-8"},
    {"lone continuation byte", "{\"a\": \"ab\x80\"}", 0, 1, 10, "invalid UTF-8"},
    {"truncated UTF-8", "{\"a\": \"\xe2\x82\"}", 0, 1, 8, "invalid UTF-8"},
    {"invalid UTF-8 in key", "{\"\xff\": 1}", 0, 1, 3, "invalid UTF-8"},
    {"invalid UTF-8 outside strings", "{\"a\": 1}\xfe", 0, 1, 9, "invalid UTF-8"},
    {"lone high surrogate", "{\"a\": \"\\ud800\"}", 0, 1, 8, "high surrogate"},
    {"high then non-surrogate", "{\"a\": \"\\ud800\\u0041\"}", 0, 1, 8, "high surrogate"},
    {"lone low surrogate", "{\"a\": \"x\\udc00\"}", 0, 1, 9, "lone low surrogate"},
    {"reversed surrogates", "{\"a\": \"\\udd1e\\ud834\"}", 0, 1, 8, "lone low surrogate"},
    {"bad hex in \\u", "{\"a\": \"\\u12g4\"}", 0, 1, 8, "4 hex digits"},
    {"short \\u", "{\"a\": \"\\u12\"}", 0, 1, 8, "4 hex digits"},
    {"invalid escape", "{\"a\": \"\\x41\"}", 0, 1, 8, "invalid escape '\\x'"},
    {"unterminated string", "{\"a\": \"abc", 0, 1, 11, "unexpected end of input in string"},
    {"single quotes", "{'a': 1}", 0, 1, 2, "double quotes"},
    {"unquoted key", "{a: 1}", 0, 1, 2, "expected a double-quoted object key"},
    {"missing colon", "{\"a\" 1}", 0, 1, 6, "expected ':' after object key"},
    {"missing comma in object", "{\"a\": 1\n \"b\": 2}", 0, 2, 2,
     "expected ',' or '}' after object member"},
    {"missing comma in array", "[1 2]", 0, 1, 4, "expected ',' or ']' after array element"},
    {"unclosed array", "{\"a\": [1", 0, 1, 9, "unexpected end of input"},
    {"unclosed object", "{\"a\": 1", 0, 1, 8, "unexpected end of input"},
    {"double comma", "[1,,2]", 0, 1, 4, "expected a value"},
    {"bad literal", "{\"a\": tru}", 0, 1, 7, "invalid literal"},
    {"capitalised literal", "{\"a\": True}", 0, 1, 7, "expected a value"},
    {"trailing garbage", "{\"a\": 1} x", 0, 1, 10, "unexpected data after the JSON value"},
    {"two top-level values", "{} {}", 0, 1, 4, "unexpected data after the JSON value"},
    {"extra close", "{\"a\": 1}}", 0, 1, 9, "unexpected data after the JSON value"},
    {"close without open", "]", 0, 1, 1, "expected a value"},
    {"UTF-16 BOM", "\xff\xfe{\0}\0", 6, 1, 1, "invalid UTF-8"},
    {"vertical tab as space", "{\v}", 0, 1, 2, "expected a double-quoted object key"},
};

static void test_json_rejections(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rejects / sizeof rejects[0]; i++) {
        const reject_case *c = &rejects[i];
        size_t len = c->len ? c->len : strlen(c->text);
        aip_error err;
        int rc;
        facts *f = load(c->text, len, &err, &rc);
        int ok = rc == -1 && err.line == c->line && err.col == c->col &&
                 strstr(err.msg, c->msg) != NULL && strcmp(err.file, "t.json") == 0;
        if (!ok)
            print_error("case \"%s\": got rc=%d %s:%u:%u %s\n", c->label, rc, err.file, err.line,
                        err.col, err.msg);
        assert_true(ok);
        /* the set is untouched */
        assert_int_equal(facts_file_count(f), 0);
        assert_int_equal(facts_root(f)->n, 0);
        facts_free(f);
    }
}

static void test_json_error_message_format(void **state)
{
    (void)state;
    aip_error err;
    int rc;
    facts *f = load("{\n  \"a\": 1\n  \"b\": 2\n}", 21, &err, &rc);
    assert_int_equal(rc, -1);
    char buf[2048];
    FILE *mem = fmemopen(buf, sizeof buf, "w");
    aip_error_print(&err, mem);
    fclose(mem);
    assert_string_equal(buf, "t.json:3:3: error: expected ',' or '}' after object member\n");
    facts_free(f);
}

static void test_json_bom_skipped(void **state)
{
    (void)state;
    static const char text[] = "\xef\xbb\xbf{\"a\": 1}";
    aip_error err;
    int rc;
    facts *f = load(text, sizeof text - 1, &err, &rc);
    assert_int_equal(rc, 0);
    assert_loc(facts_root(f), 1, 1);
    assert_loc(get(facts_root(f), "a"), 1, 7);
    facts_free(f);
}

/* fuzz_json found it: an empty map before any key was seen took
 * `slots + 0` of a NULL slot array (UB; UBSan aborts in the san config). */
static void test_json_empty_map_first(void **state)
{
    (void)state;
    static const char *texts[] = {"{}", "\xef\xbb\xbf{}", "{\"a\": {}}", " { } "};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        aip_error err;
        int rc;
        facts *f = load(texts[i], strlen(texts[i]), &err, &rc);
        assert_int_equal(rc, 0);
        assert_int_equal(facts_root(f)->kind, FN_MAP);
        facts_free(f);
    }
}

static void test_json_crlf_lines(void **state)
{
    (void)state;
    static const char text[] = "{\r\n\"a\":\r\n  [1,\r2]}";
    aip_error err;
    int rc;
    facts *f = load(text, sizeof text - 1, &err, &rc);
    assert_int_equal(rc, 0);
    const fnode *l = get(facts_root(f), "a");
    assert_loc(l, 3, 3);
    assert_loc(l->u.items[1], 4, 1);
    facts_free(f);
}

/* n opening brackets (and nothing else). Caller frees. */
static char *brackets(size_t n, char c)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void test_json_deep_nesting_rejected(void **state)
{
    (void)state;
    char *s = brackets(200000, '[');
    aip_error err;
    int rc;
    facts *f = load(s, 200000, &err, &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(err.msg, "nesting deeper than 256 (raise the limit with --max-depth)");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 257);
    facts_free(f);
    free(s);

    /* objects too: {"a":{"a":... */
    size_t n = 200000;
    s = malloc(n * 5 + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + 5 * i, "{\"a\":", 5);
    f = load(s, n * 5, &err, &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(err.msg, "nesting deeper than 256 (raise the limit with --max-depth)");
    assert_int_equal(err.col, 5 * 256 + 1);
    facts_free(f);
    free(s);
}

static void test_json_deep_nesting_within_raised_limit(void **state)
{
    (void)state;
    /* {"a": [[[ ... ]]]} with 200000 lists: no recursion anywhere */
    size_t n = 200000, len = 6 + 2 * n + 1;
    char *s = malloc(len + 1);
    assert_non_null(s);
    memcpy(s, "{\"a\": ", 6);
    memset(s + 6, '[', n);
    memset(s + 6 + n, ']', n);
    s[len - 1] = '}';
    s[len] = '\0';
    facts *f = facts_new();
    facts_limits_of(f)->max_depth = 300000;
    aip_error err;
    assert_int_equal(facts_load_buffer(f, "deep.json", s, len, FACTS_JSON, &err), 0);
    const fnode *v = get(facts_root(f), "a");
    size_t depth = 0;
    while (v->n) {
        v = v->u.items[0];
        depth++;
    }
    assert_int_equal(depth, n - 1);
    char path[64];
    fnode_path(v, path, sizeof path);
    assert_int_equal(strlen(path), sizeof path - 1);
    assert_string_equal(path + sizeof path - 4, "...");
    assert_memory_equal(path, "a[0][0][0]", 10);
    facts_free(f);
    free(s);
}

static void test_json_duplicate_keys(void **state)
{
    (void)state;
    aip_error err;
    int rc;
    /* repeated with the same value: accepted, kept once */
    static const char same[] = "{\"a\": {\"x\": [1, \"y\"]}, \"b\": 2, \"a\": {\"x\": [1, \"y\"]}}";
    facts *f = load(same, sizeof same - 1, &err, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(facts_root(f)->n, 2);
    assert_loc(get(facts_root(f), "a"), 1, 7);
    facts_free(f);

    /* a different value: both places named */
    static const char diff[] = "{\"owner\": \"alice\",\n \"id\": 1,\n \"owner\": \"bob\"}";
    f = load(diff, sizeof diff - 1, &err, &rc);
    assert_int_equal(rc, -1);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 2);
    assert_string_equal(err.msg,
                        "duplicate key \"owner\" with a different value (first at t.json:1:2)");
    facts_free(f);

    /* int 1 and double 1.0 are different values */
    static const char kinds[] = "{\"a\": 1, \"a\": 1.0}";
    f = load(kinds, sizeof kinds - 1, &err, &rc);
    assert_int_equal(rc, -1);
    assert_int_equal(err.col, 10);
    facts_free(f);
}

static void test_json_limits(void **state)
{
    (void)state;
    facts *f = facts_new();
    facts_limits_of(f)->max_string = 4;
    aip_error err;
    static const char ok[] = "{\"abcd\": \"wxyz\"}";
    assert_int_equal(facts_load_buffer(f, "ok.json", ok, sizeof ok - 1, FACTS_JSON, &err), 0);
    static const char val[] = "{\"k\": \"vwxyz\"}";
    assert_int_equal(facts_load_buffer(f, "v.json", val, sizeof val - 1, FACTS_JSON, &err), -1);
    assert_string_equal(err.msg, "string longer than 4 bytes (raise the limit with --max-string)");
    assert_int_equal(err.col, 7);
    static const char key[] = "{\"abcde\": 1}";
    assert_int_equal(facts_load_buffer(f, "k.json", key, sizeof key - 1, FACTS_JSON, &err), -1);
    assert_string_equal(err.msg, "string longer than 4 bytes (raise the limit with --max-string)");
    assert_int_equal(err.col, 2);
    /* escapes count decoded bytes: \u00e9\u00e9 is 4 bytes */
    static const char esc[] = "{\"k\": \"\\u00e9\\u00e9\"}";
    assert_int_equal(facts_load_buffer(f, "e.json", esc, sizeof esc - 1, FACTS_JSON, &err), 0);

    facts_limits_of(f)->max_depth = 2;
    static const char d2[] = "{\"a\": {\"b\": 1}}";
    assert_int_equal(facts_load_buffer(f, "d2.json", d2, sizeof d2 - 1, FACTS_JSON, &err), 0);
    static const char d3[] = "{\"c\": {\"b\": [1]}}";
    assert_int_equal(facts_load_buffer(f, "d3.json", d3, sizeof d3 - 1, FACTS_JSON, &err), -1);
    assert_string_equal(err.msg, "nesting deeper than 2 (raise the limit with --max-depth)");
    assert_int_equal(err.col, 13);
    facts_free(f);
}

static void test_json_top_level_must_be_map(void **state)
{
    (void)state;
    aip_error err;
    int rc;
    facts *f = load("\n  [1, 2]", 9, &err, &rc);
    assert_int_equal(rc, -1);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 3);
    assert_string_equal(err.msg, "the top-level value must be a map, not a list");
    facts_free(f);
    f = load("\"x\"", 3, &err, &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(err.msg, "the top-level value must be a map, not a string");
    facts_free(f);
}

/* Directory of the facts fixtures, from this file's path. */
static void fixture_path(char *buf, size_t size, const char *rel)
{
    const char *file = __FILE__, *slash = strrchr(file, '/');
    if (slash)
        snprintf(buf, size, "%.*s/../fixtures/facts/%s", (int)(slash - file), file, rel);
    else
        snprintf(buf, size, "../fixtures/facts/%s", rel);
}

/* Whole file into *out (malloc); its length, or (size_t)-1. */
static size_t slurp(const char *path, char **out)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return (size_t)-1;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += got;
        if (len == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(fp);
    *out = buf;
    return buf ? len : (size_t)-1;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_json_conformance(void **state)
{
    (void)state;
    char dir[1024];
    fixture_path(dir, sizeof dir, "json-conformance");
    DIR *d = opendir(dir);
    assert_non_null(d);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, name_cmp);
    size_t y = 0, no = 0, imp = 0, failures = 0;
    for (size_t i = 0; i < n; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        char *buf = NULL;
        size_t len = slurp(path, &buf);
        assert_true(len != (size_t)-1);
        aip_error err;
        memset(&err, 0, sizeof err);
        int rc = parse_only(buf, len, &err);
        char kind = names[i][0];
        int want_ok = kind == 'y' && strcmp(names[i], "y_object_duplicated_key.json") != 0;
        if (kind == 'y' || kind == 'n') {
            int good = want_ok ? rc == 0 : (rc == -1 && err.line >= 1 && err.msg[0]);
            if (!good) {
                print_error("%s: expected %s, got rc=%d %u:%u %s\n", names[i],
                            want_ok ? "accept" : "reject", rc, err.line, err.col, err.msg);
                failures++;
            }
            if (kind == 'y')
                y++;
            else
                no++;
        } else {
            assert_true(rc == 0 || (rc == -1 && err.msg[0]));
            imp++;
        }
        free(buf);
        free(names[i]);
    }
    free(names);
    assert_int_equal(failures, 0);
    assert_int_equal(y, 95);
    assert_int_equal(no, 188);
    assert_int_equal(imp, 35);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_values_and_locations),
        cmocka_unit_test(test_json_keys_sorted_bytewise),
        cmocka_unit_test(test_json_int64_edges),
        cmocka_unit_test(test_json_rejections),
        cmocka_unit_test(test_json_error_message_format),
        cmocka_unit_test(test_json_bom_skipped),
        cmocka_unit_test(test_json_empty_map_first),
        cmocka_unit_test(test_json_crlf_lines),
        cmocka_unit_test(test_json_deep_nesting_rejected),
        cmocka_unit_test(test_json_deep_nesting_within_raised_limit),
        cmocka_unit_test(test_json_duplicate_keys),
        cmocka_unit_test(test_json_limits),
        cmocka_unit_test(test_json_top_level_must_be_map),
        cmocka_unit_test(test_json_conformance),
    };
    return cmocka_run_group_tests_name("facts_json", tests, NULL, NULL);
}
