/* tests/unit/test_builtins.c - runtime/builtins.c: each builtin's normal,
 * undefined-propagation and wrong-kind cases, the date and semver parsers,
 * regular-expression budgets and errors. Fact nodes are built by hand.
 *
 * Build with -DAIP_TEST_FNODE_STUB only while runtime/facts.c does not exist:
 * the stub below then stands in for facts.c's fnode_new. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "runtime/builtins.h"

#ifdef AIP_TEST_FNODE_STUB
fnode *fnode_new(arena *a, fnode_kind kind)
{
    fnode *n = arena_zalloc(a, sizeof *n);
    if (n) {
        n->kind = (uint8_t)kind;
        n->file = FNODE_NO_FILE;
    }
    return n;
}
#endif

/* ---- fixtures ------------------------------------------------------------------- */

#define FNODE_BUILD_FILE 0
#include "fnode_build.h"

static builtin_env ENV;  /* today = 2026-01-15 */

static int64_t day(const char *s)
{
    int64_t d = 0;
    if (date_parse_days(s, strlen(s), &d) != 0)
        fail_msg("fixture date %s does not parse", s);
    return d;
}

static int setup(void **state)
{
    (void)state;
    arena_init(&A);
    memset(&ENV, 0, sizeof ENV);
    ENV.mem = aip_xmalloc(sizeof *ENV.mem);
    arena_init(ENV.mem);
    ENV.today = day("2026-01-15");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    builtin_env_release(&ENV);
    arena_free(ENV.mem);
    aip_free(ENV.mem);
    arena_free(&A);
    return 0;
}

/* Call builtin name with argc arguments; fails the test if the name or
 * arity is unknown. Returns the builtin's return value, result in *out. */
static int call(const char *name, val *out, int argc, ...)
{
    int i = builtin_lookup(name);
    if (i < 0)
        fail_msg("no builtin %s", name);
    const builtin_def *d = &aip_builtins[i];
    if (argc < d->min_args || argc > d->max_args)
        fail_msg("%s: %d arguments outside %d..%d", name, argc, d->min_args, d->max_args);
    val args[4];
    va_list ap;
    va_start(ap, argc);
    for (int k = 0; k < argc; k++)
        args[k] = va_arg(ap, val);
    va_end(ap);
    memset(out, 0xAB, sizeof *out);
    ENV.err[0] = '\0';
    return d->fn(&ENV, args, argc, out);
}

/* Expect a defined result: call returns 0. */
static val ok(const char *name, int argc, val a, val b)
{
    val out;
    int rc = argc == 0 ? call(name, &out, 0) : argc == 1 ? call(name, &out, 1, a)
                                                          : call(name, &out, 2, a, b);
    if (rc != 0)
        fail_msg("%s: returned %d (%s)", name, rc, ENV.err);
    return out;
}

static void assert_reason(val v, const char *reason)
{
    if (v.kind != VAL_UNDEF)
        fail_msg("expected undefined (%s), got %s", reason, val_kind_name((val_kind)v.kind));
    if (!v.u.undef || !v.u.undef->reason)
        fail_msg("undefined without a reason, expected: %s", reason);
    assert_string_equal(v.u.undef->reason, reason);
}

static void assert_str(val v, const char *want)
{
    if (v.kind != VAL_STR)
        fail_msg("expected string \"%s\", got %s", want, val_kind_name((val_kind)v.kind));
    assert_int_equal(v.n, strlen(want));
    assert_memory_equal(v.u.s, want, v.n);
    assert_int_equal(v.u.s[v.n], '\0');
}

static void assert_int_val(val v, int64_t want)
{
    if (v.kind != VAL_INT)
        fail_msg("expected int %lld, got %s", (long long)want, val_kind_name((val_kind)v.kind));
    assert_int_equal(v.u.i, want);
}

static void assert_bool_val(val v, int want)
{
    if (v.kind != VAL_BOOL)
        fail_msg("expected bool, got %s", val_kind_name((val_kind)v.kind));
    assert_int_equal(v.u.b, want);
}

/* ---- table, lookup, undefined propagation ---------------------------------------- */

/* type(x) names every kind; keys() locates each key where its value is */
static void test_builtins_type_and_key_locations(void **state)
{
    (void)state;
    struct { fnode *n; const char *want; } cases[] = {
        {mk(FN_NULL), "null"}, {mk_bool(1), "bool"}, {mk_int(1), "int"}, {mk_dbl(1.5), "double"},
        {mk_str("s"), "string"}, {mk_list(0), "list"}, {mk_map(0), "map"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        val r;
        assert_int_equal(call("type", &r, 1, V(cases[i].n)), 0);
        assert_str(r, cases[i].want);
    }
    val r;
    assert_int_equal(call("type", &r, 1, val_undef(NULL)), 0);
    assert_int_equal(r.kind, VAL_UNDEF);
    fnode *v = mk_int(7);
    v->line = 4;
    v->col = 9;
    fnode *m = mk_map(1, "owner", v);
    assert_int_equal(call("keys", &r, 1, V(m)), 0);
    const fnode *k = r.u.node->u.items[0];
    assert_int_equal(k->line, 4);
    assert_int_equal(k->col, 9);
    assert_ptr_equal(k->parent, m);
    char path[64];
    assert_string_equal(fnode_path(k, path, sizeof path), "owner");
}

static void test_builtins_table(void **state)
{
    (void)state;
    static const struct { const char *name; int min, max; } want[] = {
        {"len", 1, 1}, {"lower", 1, 1}, {"upper", 1, 1}, {"starts_with", 2, 2},
        {"ends_with", 2, 2}, {"contains", 2, 2}, {"matches", 2, 2}, {"days_since", 1, 1},
        {"date", 1, 1}, {"now", 0, 0}, {"semver_cmp", 2, 2}, {"keys", 1, 1}, {"values", 1, 1},
        {"find_all", 3, 3}, {"type", 1, 1},
    };
    size_t n = 0;
    while (aip_builtins[n].name)
        n++;
    assert_int_equal(n, sizeof want / sizeof *want);
    for (size_t i = 0; i < n; i++) {
        int k = builtin_lookup(want[i].name);
        assert_true(k >= 0);
        assert_string_equal(aip_builtins[k].name, want[i].name);
        assert_int_equal(aip_builtins[k].min_args, want[i].min);
        assert_int_equal(aip_builtins[k].max_args, want[i].max);
        assert_non_null(aip_builtins[k].fn);
        assert_non_null(aip_builtins[k].doc);
        assert_null(strchr(aip_builtins[k].doc, '\n'));
    }
    /* handled by the compiler, not builtins */
    const char *not_builtins[] = {"exists", "all", "any", "none", "count", "LEN", "", NULL};
    for (size_t i = 0; not_builtins[i]; i++)
        assert_int_equal(builtin_lookup(not_builtins[i]), -1);
    assert_int_equal(builtin_lookup(NULL), -1);
}

/* Every argument position of every builtin: an undefined argument comes back
 * as the result, same undef_info (so the missing path is still named). */
static void test_builtins_undefined_propagates(void **state)
{
    (void)state;
    fnode *anchor = mk_map(0);
    const undef_info why = {.anchor = anchor, .missing = ".rotation.last_rotated"};
    const undef_info why2 = {.reason = "second"};
    val good[] = {S("x"), S("y"), S("z")};
    for (int i = 0; aip_builtins[i].name; i++) {
        const builtin_def *d = &aip_builtins[i];
        assert_true(d->max_args <= 3);
        for (int pos = 0; pos < d->max_args; pos++) {
            val args[3] = {good[0], good[1], good[2]};
            args[pos] = val_undef(&why);
            if (pos == 0 && d->max_args >= 2)
                args[1] = val_undef(&why2);   /* the first undefined one wins */
            val out;
            int rc = d->fn(&ENV, args, d->max_args, &out);
            if (rc != 0 || out.kind != VAL_UNDEF || out.u.undef != &why || out.origin != anchor)
                fail_msg("%s: undefined argument %d not propagated (rc %d, kind %s)", d->name,
                         pos + 1, rc, val_kind_name((val_kind)out.kind));
        }
    }
}

/* ---- strings ---------------------------------------------------------------------- */

static void test_builtins_len(void **state)
{
    (void)state;
    fnode *s = mk_str("h\xc3\xa9llo");           /* 6 bytes, 5 code points */
    val r = ok("len", 1, V(s), S(""));
    assert_int_val(r, 5);
    assert_ptr_equal(r.origin, s);
    assert_int_val(ok("len", 1, S(""), S("")), 0);
    assert_int_val(ok("len", 1, S("\xe6\x97\xa5\xe6\x9c\xac"), S("")), 2);
    assert_int_val(ok("len", 1, S("\xf0\x9f\x94\x92 key"), S("")), 5);
    assert_int_val(ok("len", 1, V(mk_list(3, mk_int(1), mk_int(2), mk_int(3))), S("")), 3);
    assert_int_val(ok("len", 1, V(mk_list(0)), S("")), 0);
    assert_int_val(ok("len", 1, V(mk_map(2, "a", mk_int(1), "b", mk_int(2))), S("")), 2);

    fnode *i = mk_int(5);
    r = ok("len", 1, V(i), S(""));
    assert_reason(r, "len() expects a string, list or map, got int");
    assert_ptr_equal(r.u.undef->anchor, i);
    assert_ptr_equal(r.origin, i);
    assert_reason(ok("len", 1, val_null(), S("")), "len() expects a string, list or map, got null");
    assert_reason(ok("len", 1, val_duration(60), S("")), "len() expects a string, list or map, got duration");
}

static void test_builtins_case(void **state)
{
    (void)state;
    fnode *s = mk_str("HeLLo W\xc3\x89rld-42_\xc3\xa9");
    val r = ok("lower", 1, V(s), S(""));
    assert_str(r, "hello w\xc3\x89rld-42_\xc3\xa9");    /* only ASCII letters change */
    assert_ptr_equal(r.origin, s);
    assert_str(ok("upper", 1, V(s), S("")), "HELLO W\xc3\x89RLD-42_\xc3\xa9");
    assert_str(ok("lower", 1, S(""), S("")), "");
    val u = ok("upper", 1, val_str("a\0b", 3), S(""));
    assert_int_equal(u.n, 3);
    assert_memory_equal(u.u.s, "A\0B", 3);
    /* the argument is not modified */
    assert_string_equal(s->u.s, "HeLLo W\xc3\x89rld-42_\xc3\xa9");

    assert_reason(ok("lower", 1, val_int(3), S("")), "lower() expects a string, got int");
    assert_reason(ok("upper", 1, V(mk_list(0)), S("")), "upper() expects a string, got list");
    assert_reason(ok("lower", 1, val_bool(1), S("")), "lower() expects a string, got bool");
}

static void test_builtins_starts_ends(void **state)
{
    (void)state;
    static const struct { const char *fn, *s, *p; int want; } cases[] = {
        {"starts_with", "prod-eu-1", "prod-", 1},
        {"starts_with", "prod-eu-1", "", 1},
        {"starts_with", "prod", "prod-eu", 0},
        {"starts_with", "Prod", "prod", 0},
        {"starts_with", "", "", 1},
        {"ends_with", "model.safetensors", ".safetensors", 1},
        {"ends_with", "model.safetensors", "", 1},
        {"ends_with", "ors", "tensors", 0},
        {"ends_with", "model.pt", ".PT", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        fnode *s = mk_str(cases[i].s);
        val r = ok(cases[i].fn, 2, V(s), S(cases[i].p));
        if (r.kind != VAL_BOOL || r.u.b != cases[i].want)
            fail_msg("%s(\"%s\", \"%s\") != %d", cases[i].fn, cases[i].s, cases[i].p, cases[i].want);
        assert_ptr_equal(r.origin, s);
    }
    fnode *s = mk_str("x");
    val r = ok("starts_with", 2, V(s), val_int(1));
    assert_reason(r, "starts_with() expects a string as argument 2, got int");
    assert_ptr_equal(r.origin, s);      /* a constant argument: located at the first */
    fnode *n = mk(FN_NULL);
    r = ok("ends_with", 2, V(n), S("x"));
    assert_reason(r, "ends_with() expects a string as argument 1, got null");
    assert_ptr_equal(r.origin, n);
}

static void test_builtins_contains(void **state)
{
    (void)state;
    fnode *s = mk_str("arn:aws:iam::123:role/ml-admin");
    val r = ok("contains", 2, V(s), S("role/"));
    assert_bool_val(r, 1);
    assert_ptr_equal(r.origin, s);
    assert_bool_val(ok("contains", 2, V(s), S("")), 1);
    assert_bool_val(ok("contains", 2, V(s), S("Role/")), 0);
    assert_bool_val(ok("contains", 2, S("ab"), S("abc")), 0);
    assert_bool_val(ok("contains", 2, S("aab"), S("ab")), 1);

    fnode *l = mk_list(4, mk_int(1), mk_str("pii"), mk_list(1, mk_str("x")), mk(FN_NULL));
    assert_bool_val(ok("contains", 2, V(l), S("pii")), 1);
    assert_bool_val(ok("contains", 2, V(l), val_double(1.0)), 1);   /* 1 == 1.0 */
    assert_bool_val(ok("contains", 2, V(l), S("1")), 0);           /* no kind coercion */
    assert_bool_val(ok("contains", 2, V(l), V(mk_list(1, mk_str("x")))), 1);
    assert_bool_val(ok("contains", 2, V(l), val_null()), 1);
    assert_bool_val(ok("contains", 2, V(l), val_bool(1)), 0);
    assert_bool_val(ok("contains", 2, V(mk_list(0)), S("x")), 0);

    assert_reason(ok("contains", 2, V(mk_map(0)), S("x")),
                  "contains() expects a string or list as argument 1, got map");
    assert_reason(ok("contains", 2, S("abc"), val_int(1)),
                  "contains() expects a string as argument 2, got int");
}

/* ---- regular expressions ------------------------------------------------------------ */

static void test_builtins_matches(void **state)
{
    (void)state;
    static const struct { const char *s, *re; int want; } cases[] = {
        {"prod-eu-1", "^prod-[a-z]+-\\d+$", 1},
        {"staging-eu-1", "^prod-", 0},
        {"abc", "b", 1},                        /* unanchored */
        {"abc", "^b", 0},
        {"", "^$", 1},
        {"\xc3\xa9", "^.$", 1},                   /* UTF mode: one code point */
        {"caf\xc3\xa9", "^caf\\x{e9}$", 1},
        {"gpt-4o-2024-08-06", "^gpt-4o(-\\d{4}-\\d{2}-\\d{2})?$", 1},
        {"ABC", "(?i)abc", 1},
        {"\xff\xfe", "a", 0},                     /* invalid UTF-8 subject: no match, no error */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        fnode *s = mk_str(cases[i].s);
        val r = ok("matches", 2, V(s), S(cases[i].re));
        if (r.kind != VAL_BOOL || r.u.b != cases[i].want)
            fail_msg("matches(\"%s\", \"%s\") != %d", cases[i].s, cases[i].re, cases[i].want);
        assert_ptr_equal(r.origin, s);
    }
    /* the same pattern again comes from the cache and still works */
    for (int k = 0; k < 3; k++)
        assert_bool_val(ok("matches", 2, S("prod-eu-1"), S("^prod-[a-z]+-\\d+$")), 1);
    assert_reason(ok("matches", 2, val_int(1), S("x")), "matches() expects a string as argument 1, got int");
    assert_reason(ok("matches", 2, S("x"), V(mk_list(0))),
                  "matches() expects a string as argument 2, got list");
}

static void test_builtins_matches_budget(void **state)
{
    (void)state;
    char subject[40];
    memset(subject, 'a', 30);
    subject[30] = 'b';
    subject[31] = '\0';
    val out;
    int rc = call("matches", &out, 2, S(subject), S("(a+)+$"));
    assert_int_equal(rc, -1);
    if (!strstr(ENV.err, "match limit") || !strstr(ENV.err, "(a+)+$"))
        fail_msg("unexpected message: %s", ENV.err);
    /* the env stays usable after a budget error */
    assert_bool_val(ok("matches", 2, S("aaa"), S("(a+)+$")), 1);
    rc = call("matches", &out, 2, S(subject), S("(a+)+$"));
    assert_int_equal(rc, -1);

    /* a long subject under a pattern that nests one backtracking point per
     * character hits the depth limit; a shorter one is fine */
    static char longs[200001];
    memset(longs, 'a', sizeof longs - 1);
    assert_int_equal(call("matches", &out, 2, S(longs), S("^(a|b)*$")), -1);
    if (!strstr(ENV.err, "depth limit"))
        fail_msg("unexpected message: %s", ENV.err);
    assert_bool_val(ok("matches", 2, val_str(longs, 5000), S("^(a|b)*$")), 1);
    assert_bool_val(ok("matches", 2, S(longs), S("^[a-z]+$")), 1);
}

static void test_builtins_matches_invalid(void **state)
{
    (void)state;
    static const struct { const char *re, *want; } cases[] = {
        {"(", "invalid regular expression \"(\" at offset 1: missing closing parenthesis"},
        {"a{2,1}", "invalid regular expression \"a{2,1}\" at offset 5: numbers out of order in {} quantifier"},
        {"[z-a]", "invalid regular expression \"[z-a]\" at offset 3: range out of order in character class"},
        {"\\C", "invalid regular expression \"\\\\C\" at offset 2: using \\C is disabled by the application"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        val out;
        int rc = call("matches", &out, 2, S("x"), S(cases[i].re));
        assert_int_equal(rc, -1);
        assert_string_equal(ENV.err, cases[i].want);
    }
    /* invalid UTF-8 in the pattern */
    val out;
    assert_int_equal(call("matches", &out, 2, S("x"), S("\xc3(")), -1);
    assert_non_null(strstr(ENV.err, "UTF-8"));
}

/* More distinct patterns than the cache keeps: all still answer correctly,
 * and builtin_env_release frees them (ASan checks). */
static void test_builtins_matches_many_patterns(void **state)
{
    (void)state;
    char pat[32], subj[32];
    for (int i = 0; i < 1100; i++) {
        snprintf(pat, sizeof pat, "^id-%d$", i);
        snprintf(subj, sizeof subj, "id-%d", i);
        assert_bool_val(ok("matches", 2, S(subj), S(pat)), 1);
        assert_bool_val(ok("matches", 2, S("id-x"), S(pat)), 0);
    }
    builtin_env_release(&ENV);
    assert_null(ENV.regex_cache);
    builtin_env_release(&ENV);                  /* twice is harmless */
    assert_bool_val(ok("matches", 2, S("id-7"), S("^id-7$")), 1);
}

/* ---- dates ----------------------------------------------------------------------------- */

static void test_builtins_date_parse(void **state)
{
    (void)state;
    static const struct { const char *s, *want; } cases[] = {
        /* dates; want = the UTC date, NULL = rejected */
        {"1970-01-01", "1970-01-01"},
        {"2024-02-29", "2024-02-29"},
        {"2000-02-29", "2000-02-29"},
        {"2025-02-29", NULL},
        {"1900-02-29", NULL},
        {"2100-02-29", NULL},
        {"2025-04-31", NULL},
        {"2025-13-01", NULL},
        {"2025-00-10", NULL},
        {"2025-01-00", NULL},
        {"2025-01-32", NULL},
        {"0001-01-01", "0001-01-01"},
        {"9999-12-31", "9999-12-31"},
        {"0000-01-01", NULL},
        {"2025-1-01", NULL},
        {"25-01-01", NULL},
        {"2025/01/01", NULL},
        {"2025-01-01 ", NULL},
        {" 2025-01-01", NULL},
        {"+2025-01-01", NULL},
        {"abcd-01-01", NULL},
        {"", NULL},
        /* RFC 3339 timestamps */
        {"2025-01-01T00:00:00Z", "2025-01-01"},
        {"2025-01-01t10:00:00z", "2025-01-01"},
        {"2025-01-01T10:00:00.123456789Z", "2025-01-01"},
        {"2025-01-01T23:59:60Z", "2025-01-01"},                /* leap second */
        {"2025-01-01T00:30:00+01:00", "2024-12-31"},          /* back across midnight and a year */
        {"2024-12-31T23:30:00-01:00", "2025-01-01"},          /* forward across midnight */
        {"2024-02-28T22:00:00-03:00", "2024-02-29"},          /* into a leap day */
        {"2025-03-01T01:00:00+02:00", "2025-02-28"},          /* back over a non-leap February */
        {"2025-06-15T12:00:00+00:00", "2025-06-15"},
        {"2025-06-15T12:00:00-00:00", "2025-06-15"},
        {"0001-01-01T00:30:00+01:00", "0001-01-01"},          /* before 0001-01-01 UTC: clamped by format */
        {"2025-01-01T00:00:00", NULL},                         /* no offset */
        {"2025-01-01T24:00:00Z", NULL},
        {"2025-01-01T23:60:00Z", NULL},
        {"2025-01-01T23:59:61Z", NULL},
        {"2025-01-01T10:00:00.Z", NULL},
        {"2025-01-01T10:00Z", NULL},
        {"2025-01-01 10:00:00Z", NULL},
        {"2025-01-01T10:00:00+0100", NULL},
        {"2025-01-01T10:00:00+24:00", NULL},
        {"2025-01-01T10:00:00+01:60", NULL},
        {"2025-01-01T10:00:00ZZ", NULL},
        {"2025-02-29T10:00:00Z", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t d = 123456789;
        int rc = date_parse_days(cases[i].s, strlen(cases[i].s), &d);
        if (!cases[i].want) {
            if (rc != -1)
                fail_msg("\"%s\" accepted, should be rejected", cases[i].s);
            continue;
        }
        if (rc != 0)
            fail_msg("\"%s\" rejected", cases[i].s);
        char buf[11];
        date_format_days(d, buf);
        if (strcmp(buf, cases[i].want) != 0)
            fail_msg("\"%s\" -> %s, want %s", cases[i].s, buf, cases[i].want);
    }
    /* exact values */
    int64_t d;
    assert_int_equal(date_parse_days("1970-01-01", 10, &d), 0);
    assert_int_equal(d, 0);
    assert_int_equal(date_parse_days("1969-12-31", 10, &d), 0);
    assert_int_equal(d, -1);
    assert_int_equal(date_parse_days("2000-03-01", 10, &d), 0);
    assert_int_equal(d, 11017);
    assert_int_equal(date_parse_days("0001-01-01", 10, &d), 0);
    assert_int_equal(d, -719162);
    assert_int_equal(date_parse_days("0001-01-01T00:30:00+01:00", 25, &d), 0);
    assert_int_equal(d, -719163);
    /* length is respected: a longer buffer is not read past len */
    assert_int_equal(date_parse_days("2025-01-01T00:00:00Z", 10, &d), 0);
    assert_int_equal(date_parse_days("2025-01-01T00:00:00Z", 19, &d), -1);
    assert_int_equal(date_parse_days("2025-01-01T00:00:00.5", 21, &d), -1);
}

/* Every day from 0001-01-01 to 9999-12-31 formats and parses back to itself. */
static void test_builtins_date_roundtrip(void **state)
{
    (void)state;
    int64_t lo = day("0001-01-01"), hi = day("9999-12-31");
    assert_int_equal(hi - lo + 1, 3652059);     /* days in 9999 Gregorian years */
    char buf[11];
    for (int64_t d = lo; d <= hi; d++) {
        date_format_days(d, buf);
        int64_t back;
        if (date_parse_days(buf, 10, &back) != 0 || back != d)
            fail_msg("day %lld formats as %s, which does not parse back", (long long)d, buf);
    }
    /* out of range is clamped */
    date_format_days(lo - 5, buf);
    assert_string_equal(buf, "0001-01-01");
    date_format_days(hi + 5, buf);
    assert_string_equal(buf, "9999-12-31");
    date_format_days(0, buf);
    assert_string_equal(buf, "1970-01-01");
}

static void test_builtins_days_since(void **state)
{
    (void)state;
    static const struct { const char *s; int64_t want; } cases[] = {
        {"2026-01-15", 0},
        {"2026-01-01", 14},
        {"2025-01-15", 365},
        {"2024-01-15", 731},                    /* over 2024-02-29 */
        {"2026-01-16", -1},                     /* the future is negative */
        {"2026-01-15T23:30:00-02:00", -1},      /* 2026-01-16 01:30 UTC */
        {"2026-01-15T01:00:00+02:00", 1},       /* 2026-01-14 23:00 UTC */
        {"2026-01-14T23:59:59Z", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        fnode *s = mk_str(cases[i].s);
        val r = ok("days_since", 1, V(s), S(""));
        if (r.kind != VAL_INT || r.u.i != cases[i].want)
            fail_msg("days_since(\"%s\") = %lld, want %lld", cases[i].s,
                     r.kind == VAL_INT ? (long long)r.u.i : -999LL, (long long)cases[i].want);
        assert_ptr_equal(r.origin, s);
    }
    fnode *bad = mk_str("2025-13-01");
    val r = ok("days_since", 1, V(bad), S(""));
    assert_reason(r, "\"2025-13-01\" is not a date (YYYY-MM-DD)");
    assert_ptr_equal(r.u.undef->anchor, bad);
    assert_ptr_equal(r.origin, bad);
    assert_reason(ok("days_since", 1, S("2025-02-29"), S("")), "\"2025-02-29\" is not a date (YYYY-MM-DD)");
    assert_reason(ok("days_since", 1, S("last tuesday"), S("")), "\"last tuesday\" is not a date (YYYY-MM-DD)");
    assert_reason(ok("days_since", 1, S("2025-01-01T25:00:00Z"), S("")),
                  "\"2025-01-01T25:00:00Z\" is not a timestamp (RFC 3339, YYYY-MM-DDTHH:MM:SSZ)");
    assert_reason(ok("days_since", 1, S("say \"2025\"\n"), S("")),
                  "\"say \\\"2025\\\"\\x0a\" is not a date (YYYY-MM-DD)");
    assert_reason(ok("days_since", 1, val_int(20250101), S("")),
                  "days_since() expects a date string, got int");
    assert_reason(ok("days_since", 1, val_null(), S("")), "days_since() expects a date string, got null");

    /* a long bad string is cut in the reason */
    char longs[300];
    memset(longs, 'x', sizeof longs - 1);
    longs[sizeof longs - 1] = '\0';
    r = ok("days_since", 1, S(longs), S(""));
    assert_int_equal(r.kind, VAL_UNDEF);
    assert_true(strlen(r.u.undef->reason) < 120);
    assert_non_null(strstr(r.u.undef->reason, "...\" is not a date"));
    /* escapes that outgrow the quoting buffer are cut too */
    memset(longs, '\x01', 100);
    longs[100] = '\0';
    r = ok("days_since", 1, S(longs), S(""));
    assert_int_equal(r.kind, VAL_UNDEF);
    assert_true(strncmp(r.u.undef->reason, "\"\\x01\\x01", 9) == 0);
    assert_non_null(strstr(r.u.undef->reason, "\\x01...\" is not a date (YYYY-MM-DD)"));
}

static void test_builtins_date_now(void **state)
{
    (void)state;
    fnode *s = mk_str("2000-03-01");
    val r = ok("date", 1, V(s), S(""));
    assert_int_val(r, 11017);
    assert_ptr_equal(r.origin, s);
    assert_int_val(ok("date", 1, S("1970-01-01T00:00:00Z"), S("")), 0);
    assert_int_val(ok("date", 1, S("1969-12-31"), S("")), -1);
    assert_reason(ok("date", 1, S("2025-02-29"), S("")), "\"2025-02-29\" is not a date (YYYY-MM-DD)");
    assert_reason(ok("date", 1, val_double(1.5), S("")), "date() expects a date string, got double");

    r = ok("now", 0, S(""), S(""));
    assert_int_val(r, day("2026-01-15"));
    assert_null(r.origin);
    /* now() - date(x) agrees with days_since(x) */
    assert_int_equal(ok("now", 0, S(""), S("")).u.i - ok("date", 1, S("2025-07-04"), S("")).u.i,
                     ok("days_since", 1, S("2025-07-04"), S("")).u.i);
}

/* ---- semantic versions ------------------------------------------------------------------ */

static void test_builtins_semver_order(void **state)
{
    (void)state;
    /* strictly increasing: SemVer 2.0.0 section 11's example, then more */
    static const char *const order[] = {
        "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
        "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.9.0", "1.10.0",
        "1.10.1-0", "1.10.1-1", "1.10.1-9", "1.10.1-10", "1.10.1-A", "1.10.1-a", "1.10.1",
        "2.0.0", "10.0.0", "18446744073709551616.0.0",
    };
    size_t n = sizeof order / sizeof *order;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            val r = ok("semver_cmp", 2, S(order[i]), S(order[j]));
            int64_t want = i < j ? -1 : i > j ? 1 : 0;
            if (r.kind != VAL_INT || r.u.i != want)
                fail_msg("semver_cmp(\"%s\", \"%s\") = %lld, want %lld", order[i], order[j],
                         r.kind == VAL_INT ? (long long)r.u.i : -9LL, (long long)want);
        }
}

static void test_builtins_semver_forms(void **state)
{
    (void)state;
    static const struct { const char *a, *b; int want; } cases[] = {
        {"v1.2.3", "1.2.3", 0},
        {"v1.2.3", "v1.2.4", -1},
        {"1.2.3+build.5", "1.2.3", 0},                /* build metadata ignored */
        {"1.2.3+build.5", "1.2.3+build.6", 0},
        {"1.2.3-rc.1+exp.sha.5114f85", "1.2.3-rc.1", 0},
        {"1.0.0-x-y-z.--", "1.0.0-x-y-z.-", 1},
        {"1.0.0+0build.01", "1.0.0", 0},              /* leading zeros fine in build */
        {"0.0.0", "0.0.1", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        val r = ok("semver_cmp", 2, S(cases[i].a), S(cases[i].b));
        if (r.kind != VAL_INT || r.u.i != cases[i].want)
            fail_msg("semver_cmp(\"%s\", \"%s\") != %d", cases[i].a, cases[i].b, cases[i].want);
    }
    fnode *a = mk_str("1.2.3");
    assert_ptr_equal(ok("semver_cmp", 2, V(a), S("1.2.3")).origin, a);

    static const char *const invalid[] = {
        "1.2", "1", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "1.2.3-", "1.2.3-01", "1.2.3-alpha..1",
        "1.2.3+", "1.2.3+a..b", "1.2.3-a_b", "v", "V1.2.3", " 1.2.3", "1.2.3 ", "", "a.b.c",
        "1.2.-3", "-1.2.3",
    };
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        char want[128];
        snprintf(want, sizeof want,
                 "\"%s\" is not a semantic version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD])", invalid[i]);
        fnode *bad = mk_str(invalid[i]);
        val r = ok("semver_cmp", 2, S("1.0.0"), V(bad));
        assert_reason(r, want);
        assert_ptr_equal(r.u.undef->anchor, bad);     /* located at the bad argument */
        assert_reason(ok("semver_cmp", 2, V(bad), S("1.0.0")), want);
    }
    assert_reason(ok("semver_cmp", 2, S("1.0.0"), val_int(1)),
                  "semver_cmp() expects a string as argument 2, got int");
}

/* ---- maps ---------------------------------------------------------------------------------- */

static void test_builtins_keys_values(void **state)
{
    (void)state;
    fnode *va = mk_int(1), *vb = mk_str("x"), *vc = mk_list(1, mk_int(2));
    fnode *m = mk_map(3, "a", va, "b", vb, "c-d", vc);

    val k = ok("keys", 1, V(m), S(""));
    assert_int_equal(k.kind, VAL_LIST);
    assert_ptr_equal(k.origin, m);
    assert_int_equal(k.u.node->n, 3);
    assert_int_equal(k.u.node->kind, FN_LIST);
    assert_string_equal(val_to_display(ENV.mem, k, NULL), "[\"a\",\"b\",\"c-d\"]");
    for (uint32_t i = 0; i < 3; i++)
        assert_int_equal(k.u.node->u.items[i]->kind, FN_STR);

    val v = ok("values", 1, V(m), S(""));
    assert_int_equal(v.kind, VAL_LIST);
    assert_ptr_equal(v.origin, m);
    assert_int_equal(v.u.node->n, 3);
    /* the elements are the map's own nodes: origins (paths, locations) kept */
    assert_ptr_equal(v.u.node->u.items[0], va);
    assert_ptr_equal(v.u.node->u.items[1], vb);
    assert_ptr_equal(v.u.node->u.items[2], vc);
    assert_ptr_equal(val_from_node(v.u.node->u.items[1]).origin, vb);
    assert_string_equal(val_to_display(ENV.mem, v, NULL), "[1,\"x\",[2]]");

    /* usable by other builtins */
    assert_bool_val(ok("contains", 2, k, S("c-d")), 1);
    assert_int_val(ok("len", 1, v, S("")), 3);

    fnode *empty = mk_map(0);
    assert_int_equal(ok("keys", 1, V(empty), S("")).u.node->n, 0);
    assert_int_equal(ok("values", 1, V(empty), S("")).u.node->n, 0);

    assert_reason(ok("keys", 1, V(mk_list(0)), S("")), "keys() expects a map, got list");
    assert_reason(ok("values", 1, S("m"), S("")), "values() expects a map, got string");
}

/* ---- find_all ------------------------------------------------------------------------------- */

/* Call find_all(xs, path, v); the builtin must return 0. */
static val find(val xs, const char *path, val v)
{
    val out;
    int rc = call("find_all", &out, 3, xs, S(path), v);
    if (rc != 0)
        fail_msg("find_all: returned %d (%s)", rc, ENV.err);
    return out;
}

/* The result's elements, as indexes into list xs ("0,2"). */
static const char *positions(val r, const fnode *xs)
{
    static char buf[128];
    size_t len = 0;
    buf[0] = '\0';
    if (r.kind != VAL_LIST)
        fail_msg("find_all: expected a list, got %s", val_kind_name((val_kind)r.kind));
    for (uint32_t i = 0; i < r.u.node->n; i++) {
        uint32_t at = UINT32_MAX;
        for (uint32_t j = 0; j < xs->n; j++)
            if (xs->u.items[j] == r.u.node->u.items[i])
                at = j;
        if (at == UINT32_MAX)
            fail_msg("find_all: element %u is not an element of the list", i);
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%u", i ? "," : "", at);
    }
    return buf;
}

static fnode *review(const char *id, const char *subject)
{
    return subject ? mk_map(2, "id", mk_str(id), "subject", mk_map(1, "id", mk_str(subject)))
                   : mk_map(1, "id", mk_str(id));
}

/* Elements whose field at a path is the value, in list order, each once; lists on the way
 * stand for their elements; alternatives; missing or non-string fields match nothing. */
static void test_builtins_find_all(void **state)
{
    (void)state;
    fnode *reviews = mk_list(5, review("r1", "a"), review("r2", "b"), review("r3", "a"),
                             review("r4", NULL),
                             mk_map(1, "subject", mk_map(1, "id", mk_int(7))));
    val r = find(V(reviews), "subject.id", S("a"));
    assert_string_equal(positions(r, reviews), "0,2");
    assert_ptr_equal(r.origin, reviews);
    /* the elements are the list's own nodes: paths kept */
    char path[64];
    assert_string_equal(fnode_path(r.u.node->u.items[1], path, sizeof path), "[2]");
    assert_string_equal(positions(find(V(reviews), "subject.id", S("b")), reviews), "1");
    assert_string_equal(positions(find(V(reviews), "subject.id", S("zz")), reviews), "");
    assert_string_equal(positions(find(V(reviews), "subject.id", S("7")), reviews), "");
    assert_string_equal(positions(find(V(reviews), "id", S("r4")), reviews), "3");
    assert_string_equal(positions(find(V(reviews), "subject", S("a")), reviews), "");

    /* lists on the way and at the end; alternatives; an element counted once */
    fnode *systems = mk_list(
        4,
        mk_map(2, "credentials", mk_list(2, mk_str("k1"), mk_str("k1")), "tools",
               mk_list(2, mk_map(1, "credential", mk_str("k1")), mk_map(1, "credential", mk_str("k2")))),
        mk_map(1, "tools", mk_list(1, mk_map(1, "credential", mk_str("k1")))),
        mk_map(1, "credentials", mk_list(1, mk_list(1, mk_str("k1")))),   /* two levels: not looked into */
        mk_map(1, "credentials", mk_list(1, mk_str("k2"))));
    assert_string_equal(positions(find(V(systems), "credentials", S("k1")), systems), "0");
    assert_string_equal(positions(find(V(systems), "tools.credential", S("k1")), systems), "0,1");
    assert_string_equal(positions(find(V(systems), "credentials|tools.credential", S("k1")), systems), "0,1");
    assert_string_equal(positions(find(V(systems), "credentials|tools.credential", S("k2")), systems), "0,3");

    /* the index of a fact list is kept: the same answers from it, one index per path */
    assert_non_null(ENV.index_cache);
    assert_string_equal(positions(find(V(reviews), "subject.id", S("a")), reviews), "0,2");
    assert_string_equal(positions(find(V(systems), "tools.credential", S("k2")), systems), "0");

    /* a list the policy built (no file) is indexed per call, not kept */
    builtin_env_release(&ENV);
    assert_null(ENV.index_cache);
    fnode *vm_list = mk_list(2, review("x", "s"), review("y", "s"));
    vm_list->file = FNODE_NO_FILE;
    assert_string_equal(positions(find(V(vm_list), "subject.id", S("s")), vm_list), "0,1");
    assert_null(ENV.index_cache);
    assert_string_equal(positions(find(V(mk_list(0)), "id", S("s")), vm_list), "");

    /* bad arguments */
    assert_reason(find(V(mk_map(0)), "id", S("x")), "find_all() expects a list as argument 1, got map");
    assert_reason(find(V(reviews), "id", val_int(1)), "find_all() expects a string as argument 3, got int");
    val out;
    assert_int_equal(call("find_all", &out, 3, V(reviews), val_int(1), S("x")), 0);
    assert_reason(out, "find_all() expects a string (a field path) as argument 2, got int");
    static const char *const bad_paths[] = {"", ".", "a.", ".a", "a..b", "a|", "|a", "a||b",
                                            "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q"};
    for (size_t i = 0; i < sizeof bad_paths / sizeof *bad_paths; i++) {
        char want[160];
        snprintf(want, sizeof want,
                 "find_all() expects non-empty keys separated by '.' or '|', at most 16, got \"%s\"",
                 bad_paths[i]);
        assert_reason(find(V(reviews), bad_paths[i], S("x")), want);
    }
}

/* ---- running out of evaluation memory -------------------------------------------------------- */

static void test_builtins_out_of_memory(void **state)
{
    (void)state;
    arena *saved = ENV.mem;
    arena tiny;
    arena_init(&tiny);
    tiny.limit = 1;
    ENV.mem = &tiny;
    val out;
    assert_int_equal(call("lower", &out, 1, S("ABC")), -1);
    assert_string_equal(ENV.err, "out of evaluation memory");
    assert_int_equal(call("keys", &out, 1, V(mk_map(1, "a", mk_int(1)))), -1);
    assert_string_equal(ENV.err, "out of evaluation memory");
    assert_int_equal(call("values", &out, 1, V(mk_map(1, "a", mk_int(1)))), -1);
    assert_int_equal(call("find_all", &out, 3, V(mk_list(1, review("r", "s"))), S("subject.id"), S("s")), -1);
    assert_string_equal(ENV.err, "out of evaluation memory");
    /* a wrong-kind reason that cannot be stored is still an undefined value */
    assert_int_equal(call("lower", &out, 1, val_int(1)), 0);
    assert_int_equal(out.kind, VAL_UNDEF);
    ENV.mem = saved;
    arena_free(&tiny);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtins_table),
        cmocka_unit_test(test_builtins_type_and_key_locations),
        cmocka_unit_test(test_builtins_undefined_propagates),
        cmocka_unit_test(test_builtins_len),
        cmocka_unit_test(test_builtins_case),
        cmocka_unit_test(test_builtins_starts_ends),
        cmocka_unit_test(test_builtins_contains),
        cmocka_unit_test(test_builtins_matches),
        cmocka_unit_test(test_builtins_matches_budget),
        cmocka_unit_test(test_builtins_matches_invalid),
        cmocka_unit_test(test_builtins_matches_many_patterns),
        cmocka_unit_test(test_builtins_date_parse),
        cmocka_unit_test(test_builtins_date_roundtrip),
        cmocka_unit_test(test_builtins_days_since),
        cmocka_unit_test(test_builtins_date_now),
        cmocka_unit_test(test_builtins_semver_order),
        cmocka_unit_test(test_builtins_semver_forms),
        cmocka_unit_test(test_builtins_keys_values),
        cmocka_unit_test(test_builtins_find_all),
        cmocka_unit_test(test_builtins_out_of_memory),
    };
    return cmocka_run_group_tests_name("builtins", tests, setup, teardown);
}
