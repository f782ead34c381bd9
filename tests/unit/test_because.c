/* tests/unit/test_because.c - the "because" of findings (runtime/because.c
 * over the traced re-run of runtime/trace.c and runtime/vm.c): for each kind
 * of expression, the deciding sub-expressions and their values, from policy
 * source through vm_eval, as the reports print them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval_src.h"
#include "runtime/because.h"
#include "runtime/builtins.h"
#include "runtime/vm.h"

static run eval_with(const char *policy, const char *yaml, int because)
{
    vm_options o;
    vm_options_default(&o);
    date_parse_days("2026-11-27", 10, &o.today);
    o.because = because;
    return eval_src(policy, yaml, &o);
}

static void done(run *x)
{
    eval_src_done(x);
}

/* Finding k of the only control, its because items as lines
 * "TEXT @LINE:COL" (location only when known). */
static char *because_of(const run *x, uint32_t k)
{
    assert_int_equal(x->r->ncontrols, 1);
    const control_result *c = &x->r->controls[0];
    if (k >= c->nfindings)
        fail_msg("finding %u of %u", k, c->nfindings);
    const finding *fd = &c->findings[k];
    static char out[4096];
    size_t o = 0;
    out[0] = '\0';
    for (uint32_t i = 0; i < fd->nbecause; i++) {
        char line[1024];
        because_item_text(&fd->because[i], line, sizeof line);
        o += (size_t)snprintf(out + o, sizeof out - o, "%s", line);
        if (fd->because[i].file)
            o += (size_t)snprintf(out + o, sizeof out - o, " @%s:%u:%u", fd->because[i].file,
                                  (unsigned)fd->because[i].line, (unsigned)fd->because[i].col);
        o += (size_t)snprintf(out + o, sizeof out - o, "\n");
    }
    return out;
}

#define P(body) "package p\ncontrol PR.AA-01 { for s in inventory.s {\n" body "\n} }\n"

static void test_because_comparison(void **state)
{
    (void)state;
    run x = eval_with(P("require days_since(s.rotated) <= 90"), "s:\n  - {id: a, rotated: \"2025-12-31\"}\n", 1);
    assert_string_equal(because_of(&x, 0),
                        "days_since(s.rotated) = 331 @f.yaml:2:22\n"
                        "days_since(s.rotated) <= 90 is false @f.yaml:2:22\n");
    done(&x);
}

static void test_because_and_or_not(void **state)
{
    (void)state;
    /* and: only the false operand */
    run x = eval_with(P("require s.a > 1 and s.b > 1"), "s:\n  - {id: a, a: 5, b: 0}\n", 1);
    assert_string_equal(because_of(&x, 0), "s.b = 0 @f.yaml:2:22\ns.b > 1 is false @f.yaml:2:22\n");
    done(&x);
    /* or: both false operands */
    x = eval_with(P("require s.a > 10 or s.b > 10"), "s:\n  - {id: a, a: 1, b: 2}\n", 1);
    assert_string_equal(because_of(&x, 0),
                        "s.a = 1 @f.yaml:2:16\ns.a > 10 is false @f.yaml:2:16\n"
                        "s.b = 2 @f.yaml:2:22\ns.b > 10 is false @f.yaml:2:22\n");
    done(&x);
    /* not: the operand, whose value was true */
    x = eval_with(P("require not s.shared"), "s:\n  - {id: a, shared: true}\n", 1);
    assert_string_equal(because_of(&x, 0), "s.shared is true @f.yaml:2:21\n");
    done(&x);
}

static void test_because_quantifiers(void **state)
{
    (void)state;
    static const char creds[] = "s:\n  - id: a\n    creds:\n      - {id: c1, ok: true}\n      - {id: c2, ok: false}\n"
                                "      - {id: c3, ok: false}\n";
    /* all: the first element that was false, named by its id */
    run x = eval_with(P("require all c in s.creds: c.ok"), creds, 1);
    assert_string_equal(because_of(&x, 0), "c = \"c2\" @f.yaml:5:9\nc.ok is false @f.yaml:5:22\n");
    done(&x);
    /* none: the first element that was true */
    x = eval_with(P("require none c in s.creds: c.ok"), creds, 1);
    assert_string_equal(because_of(&x, 0), "c = \"c1\" @f.yaml:4:9\nc.ok is true @f.yaml:4:22\n");
    done(&x);
    /* any false: no element decided: the collection and the quantifier */
    x = eval_with(P("require any c in s.creds: c.id == \"zz\""), creds, 1);
    assert_string_equal(because_of(&x, 0),
                        "s.creds = [{\"id\": \"c1\"}, {\"id\": \"c2\"}, {\"id\": \"c3\"}] ... @f.yaml:4:7\n"
                        "any c in s.creds: c.id == \"zz\" is false\n");
    done(&x);
    /* count: its value, then the comparison */
    x = eval_with(P("require count(c in s.creds where c.ok) >= 2"), creds, 1);
    assert_string_equal(because_of(&x, 0),
                        "count(c in s.creds where c.ok) = 1\n"
                        "count(c in s.creds where c.ok) >= 2 is false\n");
    done(&x);
}

static void test_because_call_undefined_coalesce(void **state)
{
    (void)state;
    /* a call that decides: its argument (undefined, with the missing path), then the call */
    run x = eval_with(P("require exists(s.owner)"), "s:\n  - {id: a}\n", 1);
    assert_string_equal(because_of(&x, 0),
                        "s.owner is undefined: s[0].owner is missing @f.yaml:2:5\n"
                        "exists(s.owner) is false @f.yaml:2:5\n");
    done(&x);
    /* undefined condition (missing evidence): the undefined operand, down to the fact */
    x = eval_with(P("require s.owner.name == \"x\""), "s:\n  - {id: a}\n", 1);
    assert_int_equal(x.r->controls[0].findings[0].kind, FINDING_MISSING_EVIDENCE);
    assert_string_equal(because_of(&x, 0), "s.owner.name is undefined: s[0].owner.name is missing @f.yaml:2:5\n");
    done(&x);
    /* a reason says more than a path */
    x = eval_with(P("require s.n > 3"), "s:\n  - {id: a, n: \"four\"}\n", 1);
    assert_string_equal(because_of(&x, 0), "s.n > 3 is undefined: cannot order string and int @f.yaml:2:16\n");
    done(&x);
    /* ??: the value it fell back to */
    x = eval_with(P("require (s.level ?? 0) > 2"), "s:\n  - {id: a}\n", 1);
    assert_string_equal(because_of(&x, 0), "(s.level ?? 0) = 0\n(s.level ?? 0) > 2 is false\n");
    done(&x);
}

static void test_because_truncates_long_values(void **state)
{
    (void)state;
    char yaml[512];
    char longs[201];
    memset(longs, 'x', 200);
    longs[200] = '\0';
    snprintf(yaml, sizeof yaml, "s:\n  - {id: a, name: \"%s\"}\n", longs);
    run x = eval_with(P("require s.name == \"y\""), yaml, 1);
    const finding *fd = &x.r->controls[0].findings[0];
    assert_int_equal(fd->nbecause, 2);
    assert_true(fd->because[0].truncated);
    assert_int_equal(fd->because[0].value->n, BECAUSE_STR_MAX);
    assert_non_null(strstr(because_of(&x, 0), "xxx\" ... @f.yaml"));
    assert_false(fd->because[1].truncated);
    done(&x);
}

/* The re-run explains only the elements that had findings, and each finding
 * gets its own values, also when two loops walk the same list. */
static void test_because_matches_each_finding(void **state)
{
    (void)state;
    static const char yaml[] = "s:\n  - {id: a, n: 1}\n  - {id: b, n: 9}\n  - {id: c, n: 2}\n  - {id: d, n: 9}\n";
    run x = eval_with("package p\ncontrol PR.AA-01 {\n"
                      "  for s in inventory.s { require s.n > 5 }\n"
                      "  for t in inventory.s { require t.n < 5 }\n}\n",
                      yaml, 1);
    const control_result *c = &x.r->controls[0];
    assert_int_equal(c->nfindings, 4);
    assert_string_equal(c->findings[0].subject, "a");
    assert_string_equal(because_of(&x, 0), "s.n = 1 @f.yaml:2:16\ns.n > 5 is false @f.yaml:2:16\n");
    assert_string_equal(c->findings[1].subject, "c");
    assert_string_equal(because_of(&x, 1), "s.n = 2 @f.yaml:4:16\ns.n > 5 is false @f.yaml:4:16\n");
    assert_string_equal(c->findings[2].subject, "b");
    assert_string_equal(because_of(&x, 2), "t.n = 9 @f.yaml:3:16\nt.n < 5 is false @f.yaml:3:16\n");
    assert_string_equal(c->findings[3].subject, "d");
    assert_string_equal(because_of(&x, 3), "t.n = 9 @f.yaml:5:16\nt.n < 5 is false @f.yaml:5:16\n");
    /* the re-run changed nothing else */
    assert_int_equal(c->verdict, VERDICT_FAIL);
    assert_int_equal(c->requirements_held, 4);
    done(&x);
}

static void test_because_off(void **state)
{
    (void)state;
    run x = eval_with(P("require s.n > 5"), "s:\n  - {id: a, n: 1}\n", 0);
    assert_int_equal(x.r->controls[0].nfindings, 1);
    assert_int_equal(x.r->controls[0].findings[0].nbecause, 0);
    assert_null(x.r->controls[0].findings[0].because);
    done(&x);
}

/* Scope and attestation findings are not requires: no because. */
static void test_because_only_for_requires(void **state)
{
    (void)state;
    run x = eval_with("package p\ncontrol PR.AA-01 { for s in inventory.nope { require s.n > 5 } }\n",
                      "s: []\n", 1);
    assert_int_equal(x.r->controls[0].nfindings, 1);
    assert_int_equal(x.r->controls[0].findings[0].nbecause, 0);
    done(&x);
}

static void test_because_text_helpers(void **state)
{
    (void)state;
    char buf[64];
    because_quant_var("all c in xs: c.ok", buf, sizeof buf);
    assert_string_equal(buf, "c");
    because_quant_var("count(item in xs where item)", buf, sizeof buf);
    assert_string_equal(buf, "item");
    because_quant_var("x > 1", buf, sizeof buf);
    assert_string_equal(buf, "");
    fnode s = {.kind = FN_STR, .n = 3, .u.s = "a\"\n"};
    because_value_text(&s, 1, buf, sizeof buf);
    assert_string_equal(buf, "\"a\\\"\\u000a\" ...");
    char tiny[4];
    because_value_text(&s, 0, tiny, sizeof tiny);
    assert_string_equal(tiny, "\"a\\");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_because_comparison),
        cmocka_unit_test(test_because_and_or_not),
        cmocka_unit_test(test_because_quantifiers),
        cmocka_unit_test(test_because_call_undefined_coalesce),
        cmocka_unit_test(test_because_truncates_long_values),
        cmocka_unit_test(test_because_matches_each_finding),
        cmocka_unit_test(test_because_off),
        cmocka_unit_test(test_because_only_for_requires),
        cmocka_unit_test(test_because_text_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
