/* tests/unit/test_facts_yaml.c - the facts YAML loader (runtime/facts_yaml.c):
 * core-schema typing, tags, locations, anchors and aliases with the
 * expansion bound, duplicate keys, rejected constructs, libyaml errors,
 * deep nesting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/facts.h"
#include "runtime/facts_int.h"

/* Load text as YAML named "t.yaml" into a fresh set; *rc gets the result. */
static facts *load(const char *text, aip_error *err, int *rc)
{
    facts *f = facts_new();
    memset(err, 0, sizeof *err);
    *rc = facts_load_buffer(f, "t.yaml", text, strlen(text), FACTS_YAML, err);
    return f;
}

static const fnode *get(const fnode *m, const char *k)
{
    return fnode_get(m, k, strlen(k));
}

static void assert_loc(const fnode *n, unsigned line, unsigned col)
{
    assert_non_null(n);
    assert_int_equal(n->line, line);
    assert_int_equal(n->col, col);
}

/* One plain or tagged scalar and what it must become. */
typedef struct type_case {
    const char *yaml;      /* written as "v: <yaml>" */
    int kind;              /* fnode_kind, or -1: an error */
    int64_t i;             /* FN_INT value, FN_BOOL value */
    double d;              /* FN_DOUBLE value (NAN: is NaN) */
    const char *s;         /* FN_STR value, or a piece of the error */
} type_case;

static const type_case typing[] = {
    /* null */
    {"null", FN_NULL, 0, 0, NULL},
    {"Null", FN_NULL, 0, 0, NULL},
    {"NULL", FN_NULL, 0, 0, NULL},
    {"~", FN_NULL, 0, 0, NULL},
    {"", FN_NULL, 0, 0, NULL},
    {"nULL", FN_STR, 0, 0, "nULL"},
    /* bool */
    {"true", FN_BOOL, 1, 0, NULL},
    {"True", FN_BOOL, 1, 0, NULL},
    {"TRUE", FN_BOOL, 1, 0, NULL},
    {"false", FN_BOOL, 0, 0, NULL},
    {"False", FN_BOOL, 0, 0, NULL},
    {"FALSE", FN_BOOL, 0, 0, NULL},
    {"yes", FN_STR, 0, 0, "yes"},
    {"on", FN_STR, 0, 0, "on"},
    {"tRUE", FN_STR, 0, 0, "tRUE"},
    /* int */
    {"0", FN_INT, 0, 0, NULL},
    {"42", FN_INT, 42, 0, NULL},
    {"-17", FN_INT, -17, 0, NULL},
    {"+17", FN_INT, 17, 0, NULL},
    {"007", FN_INT, 7, 0, NULL},
    {"0o17", FN_INT, 15, 0, NULL},
    {"0x1F", FN_INT, 31, 0, NULL},
    {"0xff", FN_INT, 255, 0, NULL},
    {"9223372036854775807", FN_INT, INT64_MAX, 0, NULL},
    {"-9223372036854775808", FN_INT, INT64_MIN, 0, NULL},
    {"0x7FFFFFFFFFFFFFFF", FN_INT, INT64_MAX, 0, NULL},
    {"9223372036854775808", -1, 0, 0, "integer out of range"},
    {"-9223372036854775809", -1, 0, 0, "integer out of range"},
    {"0x8000000000000000", -1, 0, 0, "integer out of range"},
    {"99999999999999999999999", -1, 0, 0, "integer out of range"},
    {"0o18", FN_STR, 0, 0, "0o18"},
    {"0x", FN_STR, 0, 0, "0x"},
    {"0b101", FN_STR, 0, 0, "0b101"},
    {"1_000", FN_STR, 0, 0, "1_000"},
    {"-0x1", FN_STR, 0, 0, "-0x1"},
    /* float */
    {"1.5", FN_DOUBLE, 0, 1.5, NULL},
    {"-1.5", FN_DOUBLE, 0, -1.5, NULL},
    {".5", FN_DOUBLE, 0, 0.5, NULL},
    {"+.5", FN_DOUBLE, 0, 0.5, NULL},
    {"1.", FN_DOUBLE, 0, 1.0, NULL},
    {"1e3", FN_DOUBLE, 0, 1000.0, NULL},
    {"1E-3", FN_DOUBLE, 0, 0.001, NULL},
    {"+1.5e+2", FN_DOUBLE, 0, 150.0, NULL},
    {".inf", FN_DOUBLE, 0, INFINITY, NULL},
    {"-.Inf", FN_DOUBLE, 0, -INFINITY, NULL},
    {"+.INF", FN_DOUBLE, 0, INFINITY, NULL},
    {".nan", FN_DOUBLE, 0, NAN, NULL},
    {".NaN", FN_DOUBLE, 0, NAN, NULL},
    {".NAN", FN_DOUBLE, 0, NAN, NULL},
    {"1e999", -1, 0, 0, "number out of range"},
    {".", FN_STR, 0, 0, "."},
    {"1e", FN_STR, 0, 0, "1e"},
    {".e3", FN_STR, 0, 0, ".e3"},
    {"inf", FN_STR, 0, 0, "inf"},
    {"nan", FN_STR, 0, 0, "nan"},
    {"-.nan", FN_STR, 0, 0, "-.nan"},
    {"1.2.3", FN_STR, 0, 0, "1.2.3"},
    /* strings */
    {"2024-01-01", FN_STR, 0, 0, "2024-01-01"},
    {"hello world", FN_STR, 0, 0, "hello world"},
    {"'12'", FN_STR, 0, 0, "12"},
    {"\"true\"", FN_STR, 0, 0, "true"},
    {"'null'", FN_STR, 0, 0, "null"},
    {"''", FN_STR, 0, 0, ""},
    {"\"a\\tb\"", FN_STR, 0, 0, "a\tb"},
    {"|\n  12\n", FN_STR, 0, 0, "12\n"},
    {">-\n  a\n  b\n", FN_STR, 0, 0, "a b"},
    /* explicit tags */
    {"!!str 12", FN_STR, 0, 0, "12"},
    {"!!str true", FN_STR, 0, 0, "true"},
    {"!!int \"12\"", FN_INT, 12, 0, NULL},
    {"!!int 0x10", FN_INT, 16, 0, NULL},
    {"!!float 3", FN_DOUBLE, 0, 3.0, NULL},
    {"!!float '2.5'", FN_DOUBLE, 0, 2.5, NULL},
    {"!!bool 'false'", FN_BOOL, 0, 0, NULL},
    {"!!null ''", FN_NULL, 0, 0, NULL},
    {"!!null ~", FN_NULL, 0, 0, NULL},
    {"! 12", FN_STR, 0, 0, "12"},
    {"!!int abc", -1, 0, 0, "not a valid !!int value"},
    {"!!int 1.5", -1, 0, 0, "not a valid !!int value"},
    {"!!float x", -1, 0, 0, "not a valid !!float value"},
    {"!!bool yes", -1, 0, 0, "not a valid !!bool value"},
    {"!!null 0", -1, 0, 0, "not a valid !!null value"},
    {"!!binary aGk=", -1, 0, 0, "unsupported tag !!binary"},
    {"!!timestamp 2001-12-14", -1, 0, 0, "unsupported tag !!timestamp"},
    {"!custom x", -1, 0, 0, "unsupported tag !custom"},
    {"!!set {a: null}", -1, 0, 0, "unsupported tag !!set"},
    {"!!map {a: 1}", FN_MAP, 0, 0, NULL},
    {"!!seq [1]", FN_LIST, 0, 0, NULL},
};

static void test_yaml_typing_table(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < sizeof typing / sizeof typing[0]; i++) {
        const type_case *c = &typing[i];
        char text[256];
        snprintf(text, sizeof text, "v: %s\n", c->yaml);
        aip_error err;
        int rc;
        facts *f = load(text, &err, &rc);
        const fnode *v = rc == 0 ? get(facts_root(f), "v") : NULL;
        int ok;
        if (c->kind < 0) {
            ok = rc == -1 && strstr(err.msg, c->s) != NULL && err.line == 1 && err.col == 4;
        } else if (!v || v->kind != c->kind) {
            ok = 0;
        } else {
            switch (c->kind) {
            case FN_BOOL: ok = v->u.b == c->i; break;
            case FN_INT: ok = v->u.i == c->i; break;
            case FN_DOUBLE: ok = isnan(c->d) ? isnan(v->u.d) : v->u.d == c->d; break;
            case FN_STR: ok = strcmp(v->u.s, c->s) == 0 && v->n == strlen(c->s); break;
            default: ok = 1; break;
            }
        }
        if (!ok) {
            print_error("typing case \"%s\": rc=%d kind=%d err=%u:%u %s\n", c->yaml, rc,
                        v ? v->kind : -1, err.line, err.col, rc ? err.msg : "");
            bad++;
        }
        facts_free(f);
    }
    assert_int_equal(bad, 0);
}

static void test_yaml_locations_and_structure(void **state)
{
    (void)state;
    static const char text[] =
        "# inventory\n"
        "apiVersion: ai-inventory/v1alpha1\n"
        "models:\n"
        "  - id: m1\n"
        "    tags: [a, \"b\"]\n"
        "  - id: m2\n"
        "    digest: {sha256: abc}\n"
        "empty_list: []\n"
        "nested:\n"
        "  deeper:\n"
        "    value: 3\n";
    aip_error err;
    int rc;
    facts *f = load(text, &err, &rc);
    assert_int_equal(rc, 0);
    const fnode *r = facts_root(f);
    assert_loc(r, 2, 1);
    assert_loc(get(r, "apiVersion"), 2, 13);
    const fnode *models = get(r, "models");
    assert_int_equal(models->kind, FN_LIST);
    assert_loc(models, 4, 3);
    assert_int_equal(models->n, 2);
    assert_true(fnode_has_id_index(models));
    const fnode *m1 = fnode_by_id(models, "m1", 2);
    assert_ptr_equal(m1, models->u.items[0]);
    assert_loc(m1, 4, 5);
    assert_loc(get(m1, "id"), 4, 9);
    const fnode *tags = get(m1, "tags");
    assert_loc(tags, 5, 11);
    assert_loc(tags->u.items[0], 5, 12);
    assert_loc(tags->u.items[1], 5, 15);
    const fnode *m2 = fnode_by_id(models, "m2", 2);
    assert_loc(get(get(m2, "digest"), "sha256"), 7, 22);
    const fnode *el = get(r, "empty_list");
    assert_int_equal(el->kind, FN_LIST);
    assert_int_equal(el->n, 0);
    assert_false(fnode_has_id_index(el));
    const fnode *v = get(get(get(r, "nested"), "deeper"), "value");
    assert_int_equal(v->u.i, 3);
    assert_loc(v, 11, 12);
    char path[128];
    assert_string_equal(fnode_path(v, path, sizeof path), "nested.deeper.value");
    assert_string_equal(fnode_path(tags->u.items[1], path, sizeof path), "models[0].tags[1]");
    facts_free(f);
}

static void test_yaml_keys_are_text(void **state)
{
    (void)state;
    static const char text[] =
        "1: int\n"
        "true: bool\n"
        "~: tilde\n"
        "1.50: float\n"
        "'<<': quoted merge\n"
        "\"\": empty\n"
        "!!str 7: tagged\n";
    aip_error err;
    int rc;
    facts *f = load(text, &err, &rc);
    assert_int_equal(rc, 0);
    const fnode *r = facts_root(f);
    assert_int_equal(r->n, 7);
    assert_string_equal(get(r, "1")->u.s, "int");
    assert_string_equal(get(r, "true")->u.s, "bool");
    assert_string_equal(get(r, "~")->u.s, "tilde");
    assert_string_equal(get(r, "1.50")->u.s, "float");
    assert_string_equal(get(r, "<<")->u.s, "quoted merge");
    assert_string_equal(fnode_get(r, "", 0)->u.s, "empty");
    assert_string_equal(get(r, "7")->u.s, "tagged");
    facts_free(f);
}

static void test_yaml_anchors_and_aliases(void **state)
{
    (void)state;
    static const char text[] =
        "defaults: &d\n"
        "  store: vault\n"
        "  scopes: [read]\n"
        "owner: &o alice\n"
        "credentials:\n"
        "  - id: c1\n"
        "    settings: *d\n"
        "  - id: c2\n"
        "    settings: *d\n"
        "    owner: *o\n"
        "keyed:\n"
        "  &k kk: 1\n"
        "other:\n"
        "  *k : 2\n"
        "number: &n 12\n"
        "again: *n\n";
    aip_error err;
    int rc;
    facts *f = load(text, &err, &rc);
    if (rc)
        print_error("%u:%u %s\n", err.line, err.col, err.msg);
    assert_int_equal(rc, 0);
    const fnode *r = facts_root(f);
    const fnode *creds = get(r, "credentials");
    const fnode *s1 = get(fnode_by_id(creds, "c1", 2), "settings");
    const fnode *s2 = get(fnode_by_id(creds, "c2", 2), "settings");
    assert_int_equal(s1->kind, FN_MAP);
    assert_ptr_not_equal(s1, s2);
    assert_ptr_not_equal(s1, get(r, "defaults"));
    assert_string_equal(get(s1, "store")->u.s, "vault");
    assert_string_equal(get(s2, "scopes")->u.items[0]->u.s, "read");
    /* the copy's top node is at the alias; the nodes below keep their own place */
    assert_loc(s1, 7, 15);
    assert_loc(s2, 9, 15);
    assert_loc(get(s2, "store"), 2, 10);
    /* parents and paths of copies are their own */
    char path[128];
    assert_string_equal(fnode_path(get(s2, "scopes")->u.items[0], path, sizeof path),
                        "credentials[1].settings.scopes[0]");
    const fnode *o = get(fnode_by_id(creds, "c2", 2), "owner");
    assert_string_equal(o->u.s, "alice");
    assert_loc(o, 10, 12);
    assert_int_equal(get(get(r, "other"), "kk")->u.i, 2);
    const fnode *again = get(r, "again");
    assert_int_equal(again->kind, FN_INT);
    assert_int_equal(again->u.i, 12);
    facts_free(f);
}

static void test_yaml_alias_expansion_bound(void **state)
{
    (void)state;
    static const char laughs[] =
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
        "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
        "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    facts *f = facts_new();
    facts_set_alias_limit(f, 5000);
    aip_error err;
    assert_int_equal(facts_load_buffer(f, "lol.yaml", laughs, strlen(laughs), FACTS_YAML, &err),
                     -1);
    assert_string_equal(err.msg, "alias expansion exceeds 5000 nodes");
    assert_string_equal(err.file, "lol.yaml");
    /* aliases in b, c, d give 110, 1110, 11110 nodes: d crosses 5000 */
    assert_int_equal(err.line, 4);
    assert_int_equal(facts_root(f)->n, 0);
    /* the same document, cut at c, stays under the bound */
    static const char small[] =
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
    assert_int_equal(facts_load_buffer(f, "ok.yaml", small, strlen(small), FACTS_YAML, &err), 0);
    const fnode *c = get(facts_root(f), "c");
    assert_int_equal(c->n, 10);
    assert_int_equal(c->u.items[9]->u.items[9]->n, 10);
    assert_string_equal(c->u.items[9]->u.items[9]->u.items[9]->u.s, "lol");
    facts_free(f);

    /* the default bound is in force without the setter */
    f = facts_new();
    fbuild *b = facts_build_begin(f, "x.yaml", NULL);
    assert_int_equal(fb_alias_limit(b), FACTS_ALIAS_NODES_DEFAULT);
    facts_build_abort(b);
    facts_free(f);
}

/* One rejected YAML document: where and what. */
typedef struct yreject {
    const char *label;
    const char *text;
    unsigned line, col;
    const char *msg;
} yreject;

static const yreject yrejects[] = {
    {"merge key", "base: &b {x: 1}\nderived:\n  <<: *b\n", 3, 3, "merge keys ('<<') are not supported"},
    {"second document", "a: 1\n---\nb: 2\n", 2, 1, "a second document in one file"},
    {"second document after end marker", "a: 1\n...\n---\nb: 2\n", 3, 1, "a second document"},
    {"complex key (sequence)", "? [a, b]\n: v\n", 1, 3, "mapping keys must be scalars"},
    {"complex key (map)", "{a: 1}: v\n", 1, 1, "mapping keys must be scalars"},
    {"alias of a map as key", "m: &m {a: 1}\nx:\n  *m : 2\n", 3, 3, "mapping keys must be scalars"},
    {"undefined alias", "a: *nope\n", 1, 4, "alias *nope refers to no anchor"},
    {"recursive alias", "a: &r [1, *r]\n", 1, 11, "alias *r refers to no anchor"},
    {"duplicate key", "owner: alice\nid: 1\nowner: bob\n", 3, 1,
     "duplicate key \"owner\" with a different value (first at t.yaml:1:1)"},
    {"top level not a map", "- a\n- b\n", 1, 1, "the top-level value must be a map, not a list"},
    {"top level scalar", "hello\n", 1, 1, "the top-level value must be a map, not a string"},
    {"empty stream", "", 1, 1, "no document"},
    {"comments only", "# nothing\n", 1, 1, "no document"},
    {"bad indentation", "key: value\n  bad: indent\n", 2, 6,
     "mapping values are not allowed in this context"},
    {"unclosed flow sequence", "a: [1, 2\nb: 3\n", 2, 2,
     "did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 4)"},
    {"invalid UTF-8", "a: 1\nb: \"x\xff\"\n", 2, 6, "invalid leading UTF-8 octet"},
    {"tab indentation", "a:\n\t- b\n", 2, 1, "found character that cannot start any token"},
    {"unsupported collection tag", "a: !!omap [x]\n", 1, 4, "unsupported tag !!omap"},
    {"unsupported key tag", "!!binary aGk=: v\n", 1, 1, "unsupported tag !!binary"},
};

static void test_yaml_rejections(void **state)
{
    (void)state;
    size_t bad = 0;
    for (size_t i = 0; i < sizeof yrejects / sizeof yrejects[0]; i++) {
        const yreject *c = &yrejects[i];
        aip_error err;
        int rc;
        facts *f = load(c->text, &err, &rc);
        int ok = rc == -1 && err.line == c->line && err.col == c->col &&
                 strstr(err.msg, c->msg) != NULL && strcmp(err.file, "t.yaml") == 0 &&
                 facts_file_count(f) == 0;
        if (!ok) {
            print_error("case \"%s\": got rc=%d %s:%u:%u %s\n", c->label, rc, err.file, err.line,
                        err.col, err.msg);
            bad++;
        }
        facts_free(f);
    }
    assert_int_equal(bad, 0);
}

static void test_yaml_duplicate_key_same_value(void **state)
{
    (void)state;
    aip_error err;
    int rc;
    facts *f = load("a: [1, {b: 2}]\nc: 3\na: [1, {b: 2}]\n", &err, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(facts_root(f)->n, 2);
    assert_loc(get(facts_root(f), "a"), 1, 4);
    facts_free(f);
}

static void test_yaml_duplicate_ids(void **state)
{
    (void)state;
    aip_error err;
    int rc;
    facts *f = load("models:\n  - id: m1\n  - id: m2\n  - id: m1\n    x: 1\n", &err, &rc);
    assert_int_equal(rc, -1);
    assert_int_equal(err.line, 4);
    assert_int_equal(err.col, 9);
    assert_string_equal(err.msg, "duplicate id \"m1\" in list \"models\" (first at t.yaml:2:9)");
    facts_free(f);
}

static void test_yaml_deep_nesting(void **state)
{
    (void)state;
    size_t n = 200000;
    char *s = malloc(n + 4);
    assert_non_null(s);
    memcpy(s, "a: ", 3);
    memset(s + 3, '[', n);
    s[n + 3] = '\0';
    aip_error err;
    int rc;
    facts *f = load(s, &err, &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(err.msg, "nesting deeper than 256 (raise the limit with --max-depth)");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 3 + 256);
    facts_free(f);
    free(s);

    /* block style, depth limit lowered */
    f = facts_new();
    facts_limits_of(f)->max_depth = 3;
    static const char block[] = "a:\n  b:\n    c: 1\n";
    assert_int_equal(facts_load_buffer(f, "ok.yaml", block, strlen(block), FACTS_YAML, &err), 0);
    static const char deeper[] = "x:\n  b:\n    c:\n      - 1\n";
    assert_int_equal(facts_load_buffer(f, "no.yaml", deeper, strlen(deeper), FACTS_YAML, &err),
                     -1);
    assert_string_equal(err.msg, "nesting deeper than 3 (raise the limit with --max-depth)");
    assert_int_equal(err.line, 4);
    assert_int_equal(err.col, 7);
    facts_free(f);
}

static void test_yaml_string_limit(void **state)
{
    (void)state;
    facts *f = facts_new();
    facts_limits_of(f)->max_string = 3;
    aip_error err;
    static const char ok[] = "abc: xyz\n";
    assert_int_equal(facts_load_buffer(f, "a.yaml", ok, strlen(ok), FACTS_YAML, &err), 0);
    static const char no[] = "k: |\n  abcd\n";
    assert_int_equal(facts_load_buffer(f, "b.yaml", no, strlen(no), FACTS_YAML, &err), -1);
    assert_string_equal(err.msg, "string longer than 3 bytes (raise the limit with --max-string)");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 4);
    facts_free(f);
}

static void test_yaml_nul_in_double_quoted(void **state)
{
    (void)state;
    aip_error err;
    int rc;
    facts *f = load("s: \"a\\0b\"\n", &err, &rc);
    assert_int_equal(rc, 0);
    const fnode *s = get(facts_root(f), "s");
    assert_int_equal(s->n, 3);
    assert_memory_equal(s->u.s, "a\0b", 4);
    facts_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yaml_typing_table),
        cmocka_unit_test(test_yaml_locations_and_structure),
        cmocka_unit_test(test_yaml_keys_are_text),
        cmocka_unit_test(test_yaml_anchors_and_aliases),
        cmocka_unit_test(test_yaml_alias_expansion_bound),
        cmocka_unit_test(test_yaml_rejections),
        cmocka_unit_test(test_yaml_duplicate_key_same_value),
        cmocka_unit_test(test_yaml_duplicate_ids),
        cmocka_unit_test(test_yaml_deep_nesting),
        cmocka_unit_test(test_yaml_string_limit),
        cmocka_unit_test(test_yaml_nul_in_double_quoted),
    };
    return cmocka_run_group_tests_name("facts_yaml", tests, NULL, NULL);
}
