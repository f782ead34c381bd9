/* tests/unit/test_value.c - runtime/value.c: conversion from fact nodes,
 * equality and order across kinds, display forms. Fact nodes are built by
 * hand in an arena, so this test needs nothing of the facts loader. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/value.h"

#include "fnode_build.h"

/* ---- val_from_node ------------------------------------------------------------ */

static void test_value_from_node(void **state)
{
    (void)state;
    fnode *n;
    val v;

    v = val_from_node(NULL);
    assert_int_equal(v.kind, VAL_UNDEF);
    assert_null(v.u.undef);
    assert_null(v.origin);

    n = mk(FN_NULL);
    v = V(n);
    assert_int_equal(v.kind, VAL_NULL);
    assert_ptr_equal(v.origin, n);

    n = mk_bool(1);
    v = V(n);
    assert_int_equal(v.kind, VAL_BOOL);
    assert_int_equal(v.u.b, 1);
    assert_ptr_equal(v.origin, n);

    n = mk_int(-7);
    v = V(n);
    assert_int_equal(v.kind, VAL_INT);
    assert_int_equal(v.u.i, -7);

    n = mk_dbl(2.5);
    v = V(n);
    assert_int_equal(v.kind, VAL_DOUBLE);
    assert_true(v.u.d == 2.5);

    n = mk_strn("a\0b", 3);
    v = V(n);
    assert_int_equal(v.kind, VAL_STR);
    assert_int_equal(v.n, 3);
    assert_memory_equal(v.u.s, "a\0b", 3);
    assert_ptr_equal(v.origin, n);

    n = mk_list(1, mk_int(1));
    v = V(n);
    assert_int_equal(v.kind, VAL_LIST);
    assert_ptr_equal(v.u.node, n);
    assert_ptr_equal(v.origin, n);

    n = mk_map(1, "k", mk_int(1));
    v = V(n);
    assert_int_equal(v.kind, VAL_MAP);
    assert_ptr_equal(v.u.node, n);
    assert_ptr_equal(v.origin, n);
}

static void test_value_kind_names(void **state)
{
    (void)state;
    static const struct { val_kind k; const char *name; } cases[] = {
        {VAL_UNDEF, "undefined"}, {VAL_NULL, "null"}, {VAL_BOOL, "bool"},
        {VAL_INT, "int"}, {VAL_DOUBLE, "double"}, {VAL_STR, "string"},
        {VAL_DURATION, "duration"}, {VAL_LIST, "list"}, {VAL_MAP, "map"},
        {VAL_ITER, "iterator"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_string_equal(val_kind_name(cases[i].k), cases[i].name);
}

static void test_value_undef_reason(void **state)
{
    (void)state;
    fnode *n = mk_str("x");
    val v = val_undef_reason(&A, n, "cannot compare %s with %s", "string", "int");
    assert_int_equal(v.kind, VAL_UNDEF);
    assert_non_null(v.u.undef);
    assert_string_equal(v.u.undef->reason, "cannot compare string with int");
    assert_ptr_equal(v.u.undef->anchor, n);
    assert_null(v.u.undef->missing);
    assert_ptr_equal(v.origin, n);

    /* an exhausted arena still gives an undefined value with a reason */
    arena small;
    arena_init(&small);
    small.limit = 1;
    v = val_undef_reason(&small, n, "%s", "never stored");
    assert_int_equal(v.kind, VAL_UNDEF);
    assert_non_null(v.u.undef);
    assert_non_null(v.u.undef->reason);
    assert_ptr_equal(v.origin, n);
    arena_free(&small);
}

/* ---- equality and order --------------------------------------------------------- */

typedef struct cmp_case {
    const char *label;
    val a, b;
    int eq;         /* val_equal */
    int order;      /* val_compare */
} cmp_case;

static void check_cases(const cmp_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int eq = val_equal(c[i].a, c[i].b);
        int ord = val_compare(c[i].a, c[i].b);
        if (eq != c[i].eq || ord != c[i].order)
            fail_msg("%s: val_equal=%d (want %d), val_compare=%d (want %d)", c[i].label, eq,
                     c[i].eq, ord, c[i].order);
        /* both are symmetric (order negated) */
        int req = val_equal(c[i].b, c[i].a);
        int rord = val_compare(c[i].b, c[i].a);
        if (req != c[i].eq || rord != (c[i].order == -2 ? -2 : -c[i].order))
            fail_msg("%s (swapped): val_equal=%d, val_compare=%d", c[i].label, req, rord);
    }
}

static void test_value_compare_scalars(void **state)
{
    (void)state;
    const undef_info why = {.missing = ".a.b"};
    val iter = {0};
    iter.kind = VAL_ITER;
    const cmp_case cases[] = {
        {"int == int", val_int(3), val_int(3), 1, 0},
        {"int < int", val_int(-3), val_int(3), 0, -1},
        {"int64 extremes", val_int(INT64_MIN), val_int(INT64_MAX), 0, -1},
        {"int == double", val_int(1), val_double(1.0), 1, 0},
        {"int < double", val_int(1), val_double(1.5), 0, -1},
        {"negative int vs double", val_int(-2), val_double(-1.5), 0, -1},
        {"2^53+1 vs 2^53 exact", val_int(9007199254740993LL), val_double(9007199254740992.0), 0, 1},
        {"INT64_MAX < 2^63", val_int(INT64_MAX), val_double(9223372036854775808.0), 0, -1},
        {"INT64_MIN == -2^63", val_int(INT64_MIN), val_double(-9223372036854775808.0), 1, 0},
        {"int vs -1e300", val_int(INT64_MIN), val_double(-1e300), 0, 1},
        {"int vs +inf", val_int(5), val_double(INFINITY), 0, -1},
        {"double == double", val_double(0.1), val_double(0.1), 1, 0},
        {"-0 == 0", val_double(-0.0), val_int(0), 1, 0},
        {"NaN vs NaN", val_double(NAN), val_double(NAN), 0, -2},
        {"NaN vs int", val_double(NAN), val_int(1), 0, -2},
        {"string ==", S("abc"), S("abc"), 1, 0},
        {"string prefix first", S("ab"), S("abc"), 0, -1},
        {"string bytewise", S("B"), S("a"), 0, -1},
        {"string UTF-8 after ASCII", S("z"), S("\xc3\xa9"), 0, -1},
        {"string with NUL", val_str("a\0b", 3), val_str("a\0c", 3), 0, -1},
        {"empty strings", S(""), S(""), 1, 0},
        {"bool ==", val_bool(1), val_bool(1), 1, -2},
        {"bool !=", val_bool(1), val_bool(0), 0, -2},
        {"null == null", val_null(), val_null(), 1, -2},
        {"null vs string", val_null(), S("x"), 0, -2},
        {"null vs int", val_null(), val_int(0), 0, -2},
        {"null vs bool false", val_null(), val_bool(0), 0, -2},
        {"duration ==", val_duration(86400), val_duration(86400), 1, 0},
        {"duration <", val_duration(3600), val_duration(86400), 0, -1},
        {"duration vs int", val_duration(60), val_int(60), -1, -2},
        {"string vs int", S("1"), val_int(1), -1, -2},
        {"bool vs int", val_bool(1), val_int(1), -1, -2},
        {"undefined", val_undef(&why), val_int(1), -1, -2},
        {"undefined vs undefined", val_undef(NULL), val_undef(NULL), -1, -2},
        {"iterator", iter, iter, -1, -2},
    };
    check_cases(cases, sizeof cases / sizeof *cases);
}

static void test_value_compare_containers(void **state)
{
    (void)state;
    fnode *l1 = mk_list(2, mk_int(1), mk_str("a"));
    fnode *l1d = mk_list(2, mk_dbl(1.0), mk_str("a"));
    fnode *l2 = mk_list(3, mk_int(1), mk_str("a"), mk(FN_NULL));
    fnode *l3 = mk_list(2, mk_str("1"), mk_str("a"));
    fnode *empty = mk_list(0);
    fnode *nested1 = mk_list(1, mk_list(1, mk_map(1, "k", mk_bool(1))));
    fnode *nested2 = mk_list(1, mk_list(1, mk_map(1, "k", mk_bool(1))));
    fnode *nested3 = mk_list(1, mk_list(1, mk_map(1, "k", mk_bool(0))));
    fnode *m1 = mk_map(2, "a", mk_int(1), "b", mk_list(1, mk_bool(1)));
    fnode *m2 = mk_map(2, "a", mk_dbl(1.0), "b", mk_list(1, mk_bool(1)));
    fnode *m3 = mk_map(2, "a", mk_int(1), "c", mk_list(1, mk_bool(1)));
    fnode *m4 = mk_map(2, "a", mk_int(2), "b", mk_list(1, mk_bool(1)));
    fnode *m5 = mk_map(1, "a", mk_int(1));
    fnode *m6 = mk_map(1, "a", mk(FN_NULL));
    fnode *emap = mk_map(0);
    const cmp_case cases[] = {
        {"list == itself", V(l1), V(l1), 1, -2},
        {"list int/double elements", V(l1), V(l1d), 1, -2},
        {"list lengths differ", V(l1), V(l2), 0, -2},
        {"list element kinds differ", V(l1), V(l3), 0, -2},
        {"empty lists", V(empty), V(mk_list(0)), 1, -2},
        {"nested equal", V(nested1), V(nested2), 1, -2},
        {"nested differ", V(nested1), V(nested3), 0, -2},
        {"map int/double values", V(m1), V(m2), 1, -2},
        {"map keys differ", V(m1), V(m3), 0, -2},
        {"map values differ", V(m1), V(m4), 0, -2},
        {"map sizes differ", V(m1), V(m5), 0, -2},
        {"map null value vs int", V(m5), V(m6), 0, -2},
        {"empty maps", V(emap), V(mk_map(0)), 1, -2},
        {"list vs map", V(empty), V(emap), -1, -2},
        {"list vs string", V(l1), S("[1,\"a\"]"), -1, -2},
        {"map vs null", V(emap), val_null(), 0, -2},
    };
    check_cases(cases, sizeof cases / sizeof *cases);
}

/* ---- display --------------------------------------------------------------------- */

typedef struct disp_case {
    const char *label;
    val v;
    const char *want;
    uint32_t want_len;      /* 0: strlen(want) */
} disp_case;

static void test_value_display(void **state)
{
    (void)state;
    const undef_info why = {.missing = ".x"};
    val iter = {0};
    iter.kind = VAL_ITER;
    const disp_case cases[] = {
        {"string bare", S("say \"hi\"\n"), "say \"hi\"\n", 0},
        {"string with NUL", val_str("a\0b", 3), "a\0b", 3},
        {"empty string", S(""), "", 0},
        {"int", val_int(-42), "-42", 0},
        {"int max", val_int(INT64_MAX), "9223372036854775807", 0},
        {"int min", val_int(INT64_MIN), "-9223372036854775808", 0},
        {"double 1.5", val_double(1.5), "1.5", 0},
        {"double 0.1", val_double(0.1), "0.1", 0},
        {"double integral", val_double(100.0), "100", 0},
        {"double 1e16 in full", val_double(1e16), "10000000000000000", 0},
        {"double 1e17 exponent", val_double(1e17), "1e+17", 0},
        {"double 123456", val_double(123456.0), "123456", 0},
        {"double 0.000001", val_double(0.000001), "1e-06", 0},
        {"double third", val_double(1.0 / 3.0), "0.3333333333333333", 0},
        {"double big", val_double(1e21), "1e+21", 0},
        {"double small", val_double(-2.5e-7), "-2.5e-07", 0},
        {"double NaN", val_double(NAN), "NaN", 0},
        {"double +inf", val_double(INFINITY), "Infinity", 0},
        {"double -inf", val_double(-INFINITY), "-Infinity", 0},
        {"duration days", val_duration(90 * 86400), "90d", 0},
        {"duration hours", val_duration(12 * 3600), "12h", 0},
        {"duration 36h", val_duration(36 * 3600), "36h", 0},
        {"duration minutes", val_duration(30 * 60), "30m", 0},
        {"duration seconds", val_duration(45), "45s", 0},
        {"duration mixed", val_duration(86400 + 61), "86461s", 0},
        {"duration zero", val_duration(0), "0s", 0},
        {"duration negative", val_duration(-7 * 86400), "-7d", 0},
        {"duration min", val_duration(INT64_MIN), "-9223372036854775808s", 0},
        {"null", val_null(), "null", 0},
        {"true", val_bool(1), "true", 0},
        {"false", val_bool(0), "false", 0},
        {"undefined", val_undef(&why), "undefined", 0},
        {"iterator", iter, "<iterator>", 0},
        {"empty list", V(mk_list(0)), "[]", 0},
        {"empty map", V(mk_map(0)), "{}", 0},
        {"list", V(mk_list(5, mk_str("a\"b\\c"), mk_int(1), mk(FN_NULL), mk_list(1, mk_bool(1)),
                           mk_dbl(2.5))),
         "[\"a\\\"b\\\\c\",1,null,[true],2.5]", 0},
        {"map", V(mk_map(2, "k", mk_str("v\n\t\x01"), "key with \"quote\"", mk_list(0))),
         "{\"k\":\"v\\n\\t\\u0001\",\"key with \\\"quote\\\"\":[]}", 0},
        {"UTF-8 kept", V(mk_list(1, mk_str("caf\xc3\xa9"))), "[\"caf\xc3\xa9\"]", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint32_t len = 12345;
        const char *got = val_to_display(&A, cases[i].v, &len);
        uint32_t want_len = cases[i].want_len ? cases[i].want_len : (uint32_t)strlen(cases[i].want);
        if (!got || len != want_len || memcmp(got, cases[i].want, want_len) != 0 || got[len] != '\0')
            fail_msg("%s: got \"%s\" (%u bytes), want \"%s\"", cases[i].label, got ? got : "(null)",
                     len, cases[i].want);
    }
    /* len may be NULL */
    assert_string_equal(val_to_display(&A, val_int(7), NULL), "7");
}

/* Display reads doubles back exactly: the shortest form round-trips. */
static void test_value_display_double_roundtrip(void **state)
{
    (void)state;
    const double ds[] = {0.1 + 0.2, 1e-300, 5e-324, 1.7976931348623157e308, 123456789.125,
                         -0.0, 3.0, 2.0 / 3.0};
    for (size_t i = 0; i < sizeof ds / sizeof *ds; i++) {
        const char *s = val_to_display(&A, val_double(ds[i]), NULL);
        assert_non_null(s);
        assert_true(strtod(s, NULL) == ds[i]);
        assert_true(strlen(s) <= 24);
    }
    assert_string_equal(val_to_display(&A, val_double(0.1 + 0.2), NULL), "0.30000000000000004");
}

/* A list larger than the arena's remaining budget: NULL, not a crash. */
static void test_value_display_budget(void **state)
{
    (void)state;
    fnode *big = mk(FN_LIST);
    big->n = 10000;
    big->u.items = arena_alloc(&A, big->n * sizeof(fnode *));
    fnode *s = mk_str("0123456789");
    for (uint32_t i = 0; i < big->n; i++)
        big->u.items[i] = s;

    arena small;
    arena_init(&small);
    small.limit = 16384;
    uint32_t len = 99;
    assert_null(val_to_display(&small, V(big), &len));
    assert_int_equal(len, 0);
    /* a small value still fits */
    assert_string_equal(val_to_display(&small, V(mk_list(1, mk_int(1))), NULL), "[1]");
    arena_free(&small);

    /* unlimited arena: the whole list */
    const char *all = val_to_display(&A, V(big), &len);
    assert_non_null(all);
    assert_int_equal(len, 2 + 10000 * 12 + 9999);
}

/* The missing path of an undefined value is kept as steps and written out on
 * demand: identifiers as .key, other keys and ids as ["key"], indexes as [n],
 * after the steps before and any written-out prefix. */
static void test_value_undef_missing(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    assert_string_equal(val_undef_missing(&a, NULL), "");
    const undef_info root = {.missing = ".spec"};
    const undef_info f1 = {.prev = &root, .step = UNDEF_STEP_FIELD, .key = "logging", .key_len = 7};
    const undef_info f2 = {.prev = &f1, .step = UNDEF_STEP_FIELD, .key = "x-retention", .key_len = 11};
    const undef_info i3 = {.prev = &f2, .step = UNDEF_STEP_INDEX, .index = -3};
    const undef_info id4 = {.prev = &i3, .step = UNDEF_STEP_ID, .key = "sys", .key_len = 3};
    assert_string_equal(val_undef_missing(&a, &f1), ".spec.logging");
    assert_string_equal(val_undef_missing(&a, &id4), ".spec.logging[\"x-retention\"][-3][\"sys\"]");
    /* a key is written up to its first NUL; an empty key is not an identifier */
    const undef_info nul = {.step = UNDEF_STEP_FIELD, .key = "a\0b", .key_len = 3};
    assert_string_equal(val_undef_missing(&a, &nul), "[\"a\"]");
    const undef_info empty = {.step = UNDEF_STEP_FIELD, .key = "", .key_len = 0};
    assert_string_equal(val_undef_missing(&a, &empty), "[\"\"]");
    /* a step is cut at 511 bytes */
    static char big[2000];
    memset(big, 'k', sizeof big);
    const undef_info longk = {.step = UNDEF_STEP_FIELD, .key = big, .key_len = sizeof big};
    assert_int_equal(strlen(val_undef_missing(&a, &longk)), 511);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_value_from_node),
        cmocka_unit_test(test_value_kind_names),
        cmocka_unit_test(test_value_undef_reason),
        cmocka_unit_test(test_value_compare_scalars),
        cmocka_unit_test(test_value_compare_containers),
        cmocka_unit_test(test_value_display),
        cmocka_unit_test(test_value_display_double_roundtrip),
        cmocka_unit_test(test_value_display_budget),
        cmocka_unit_test(test_value_undef_missing),
    };
    return cmocka_run_group_tests_name("value", tests, fnode_build_setup, fnode_build_teardown);
}
