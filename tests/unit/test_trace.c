/* tests/unit/test_trace.c - the explain trace (runtime/trace.c) and its
 * writer (runtime/explain.c): which sub-expressions get a value (skipped
 * operands none), the records of scopes, wheres, requires and attestations,
 * the --target filter, and the text and JSON output. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_src.h"
#include "runtime/builtins.h"
#include "runtime/explain.h"
#include "runtime/trace.h"
#include "runtime/vm.h"

typedef struct run {
    bundle *b;
    facts *f;
    eval_result *r;
    arena mem;
    trace *t;
} run;

static void explain_run(run *x, const char *policy, const char *yaml, const char *target)
{
    memset(x, 0, sizeof *x);
    x->b = compile_src("t.aip", policy, 1, NULL);
    assert_non_null(x->b);
    x->f = facts_new();
    aip_error err;
    if (facts_load_buffer(x->f, "f.yaml", yaml, strlen(yaml), FACTS_YAML, &err) != 0)
        fail_msg("facts: %s", err.msg);
    arena_init(&x->mem);
    x->t = trace_new(x->b, x->f, TRACE_EXPLAIN, &x->mem);
    trace_set_target(x->t, target);
    vm_options o;
    vm_options_default(&o);
    date_parse_days("2026-11-27", 10, &o.today);
    o.explain = x->t;
    o.only_control = "PR.AA-01";
    x->r = vm_eval(x->b, x->f, &o, &err);
    assert_non_null(x->r);
    assert_int_equal(x->r->ncontrols, 1);
}

static void done(run *x)
{
    eval_result_free(x->r);
    trace_free(x->t);
    arena_free(&x->mem);
    facts_free(x->f);
    bundle_free(x->b);
}

static const trec *nth(const run *x, trec_kind kind, unsigned k)
{
    for (const trec *r = trace_records(x->t); r; r = r->next)
        if (r->kind == kind && k-- == 0)
            return r;
    fail_msg("no record %u of kind %d", k, (int)kind);
    return NULL;
}

static unsigned count(const run *x, trec_kind kind)
{
    unsigned n = 0;
    for (const trec *r = trace_records(x->t); r; r = r->next)
        n += r->kind == kind;
    return n;
}

static unsigned children(const tnode *n)
{
    unsigned k = 0;
    for (const tnode *c = n->first; c; c = c->next)
        k++;
    return k;
}

static const char *text_of(const run *x, const tnode *n)
{
    return x->b->strs.v[x->b->exprs.v[n->expr].text];
}

#define P(body) "package p\ncontrol PR.AA-01 { for s in inventory.s {\n" body "\n} }\n"

/* An operand that `and`, `or` or `??` skipped was never evaluated: no node. */
static void test_trace_skipped_operands(void **state)
{
    (void)state;
    run x;
    explain_run(&x, P("require s.a > 1 and s.b > 1\nrequire s.a < 1 or s.b > 1\nrequire (s.c ?? 0) == 7"),
                "s:\n  - {id: a, a: 0, b: 5, c: 7}\n", NULL);
    const trec *r = nth(&x, TREC_REQUIRE, 0);
    assert_non_null(r->tree);
    assert_string_equal(text_of(&x, r->tree), "s.a > 1 and s.b > 1");
    assert_int_equal(r->tree->v.truth, 0);
    assert_int_equal(children(r->tree), 1);   /* s.b > 1 skipped */
    assert_string_equal(text_of(&x, r->tree->first), "s.a > 1");
    assert_int_equal(r->finding, 0);
    r = nth(&x, TREC_REQUIRE, 1);
    assert_int_equal(r->tree->v.truth, 1);
    assert_int_equal(children(r->tree), 1);   /* s.a < 1 held: s.b > 1 skipped */
    assert_int_equal(r->finding, UINT32_MAX);
    r = nth(&x, TREC_REQUIRE, 2);
    const tnode *co = r->tree->first;          /* (s.c ?? 0) */
    assert_int_equal(children(co), 1);         /* 0 is a literal; s.c was defined */
    assert_string_equal(text_of(&x, co->first), "s.c");
    assert_int_equal(co->first->v.value->u.i, 7);
    assert_string_equal(x.r->controls[0].findings[0].because[0].expr, "s.a");
    done(&x);
}

/* Records in order: scope bindings, where (in and out of scope), requires;
 * a quantifier's elements sit between its conditions. */
static void test_trace_records(void **state)
{
    (void)state;
    run x;
    explain_run(&x,
                "package p\ncontrol PR.AA-01 {\n  attest within 30d\n"
                "  for s in inventory.s where s.on {\n    require all c in s.cs: c > 1\n  }\n}\n",
                "s:\n  - {id: a, on: true, cs: [2, 0, 5]}\n  - {id: b, on: false}\n"
                "attestations:\n  - {control: PR.AA-01, date: \"2026-11-20\"}\n",
                NULL);
    assert_int_equal(count(&x, TREC_BIND), 2);
    assert_int_equal(count(&x, TREC_WHERE), 2);
    assert_int_equal(count(&x, TREC_REQUIRE), 1);
    assert_int_equal(count(&x, TREC_ATTEST), 1);
    assert_int_equal(nth(&x, TREC_ATTEST, 0)->finding, UINT32_MAX);   /* held */
    assert_string_equal(nth(&x, TREC_BIND, 0)->subject, "a");
    assert_string_equal(nth(&x, TREC_BIND, 1)->subject, "b");
    assert_int_equal(nth(&x, TREC_WHERE, 1)->v.truth, 0);
    const tnode *q = nth(&x, TREC_REQUIRE, 0)->tree;
    /* s.cs, then element 2 and its condition, element 0 and its (false) condition: stop */
    assert_int_equal(children(q), 5);
    const tnode *k = q->first;
    assert_string_equal(text_of(&x, k), "s.cs");
    k = k->next;
    assert_int_equal(k->expr, BC_NO_EXPR);
    assert_int_equal(k->v.value->u.i, 2);
    k = k->next->next;
    assert_int_equal(k->v.value->u.i, 0);
    assert_int_equal(k->next->v.truth, 0);
    done(&x);
}

static void test_trace_target(void **state)
{
    (void)state;
    run x;
    explain_run(&x, "package p\ncontrol PR.AA-01 { for s in inventory.ai_systems { require s.n > 1 } }\n",
                "ai_systems:\n  - {id: a, n: 0}\n  - {id: b, n: 5}\n  - {id: c, n: 0}\n", "b");
    assert_int_equal(count(&x, TREC_BIND), 1);
    assert_string_equal(nth(&x, TREC_BIND, 0)->subject, "b");
    assert_int_equal(count(&x, TREC_REQUIRE), 1);
    /* the verdict is that of what was explained */
    assert_int_equal(x.r->controls[0].verdict, VERDICT_PASS);
    done(&x);
}

static char *write_explain(const run *x, int json)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    explain_opts eo = {NULL, json};
    assert_int_equal(explain_write(f, x->r, x->b, x->t, &eo), 0);
    fclose(f);
    return buf;
}

static void test_trace_output(void **state)
{
    (void)state;
    run x;
    explain_run(&x, P("require days_since(s.d) <= 90"), "s:\n  - {id: a, d: \"2026-01-01\"}\n", NULL);
    char *text = write_explain(&x, 0);
    assert_non_null(strstr(text, "  verdict: fail (mandatory), evaluated at 2026-11-27\n"));
    assert_non_null(strstr(text, "for each of inventory.s: \"a\" (at f.yaml:2:5)\n"));
    assert_non_null(strstr(text, "require days_since(s.d) <= 90  (t.aip:3)\n"));
    assert_non_null(strstr(text, "=> violation\n"));
    assert_non_null(strstr(text, "days_since(s.d) = 330 (at f.yaml:2:16)\n"));
    assert_non_null(strstr(text, "because: days_since(s.d) = 330 (at f.yaml:2:16)\n"));
    free(text);
    char *json = write_explain(&x, 1);
    assert_non_null(strstr(json, "\"kind\": \"require\""));
    assert_non_null(strstr(json, "\"outcome\": \"violation\""));
    assert_non_null(strstr(json, "\"expr\": \"days_since(s.d)\",\n"));
    assert_non_null(strstr(json, "\"value\": 330,"));
    assert_int_equal(json[strlen(json) - 1], '\n');
    free(json);
    done(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trace_skipped_operands),
        cmocka_unit_test(test_trace_records),
        cmocka_unit_test(test_trace_target),
        cmocka_unit_test(test_trace_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
