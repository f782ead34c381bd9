/* tests/unit/test_vm.c - the VM's opcodes and verdict rules, on hand-made
 * bundles (tests/unit/asm.h) and small facts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "runtime/builtins.h"
#include "runtime/vm.h"

static facts *load_facts(const char *json)
{
    facts *f = facts_new();
    aip_error err;
    assert_int_equal(facts_load_buffer(f, "inv.json", json, strlen(json), FACTS_JSON, &err), 0);
    return f;
}

static eval_result *run(bundle *b, facts *f, vm_options *o)
{
    aip_error err;
    eval_result *r = vm_eval(b, f, o, &err);
    assert_non_null(r);
    return r;
}

static vm_options opts(void)
{
    vm_options o;
    vm_options_default(&o);
    date_parse_days("2026-11-27", 10, &o.today);
    return o;
}

/* require <cond> else "msg" with cond computed by the ops given. */
static bundle *require_bundle(void (*body)(asm_ctx *, bundle *))
{
    asm_ctx a = {bundle_new(), 0};
    asm_control(&a, "PR.AA-01", 4);
    body(&a, a.b);
    uint32_t site = asm_site(a.b, "cond");
    uint32_t j = asm_jop(&a, OP_REQUIRE, site, 0);
    asm_op(&a, OP_CONST, asm_k_str(a.b, "it failed"));
    asm_op(&a, OP_FINDING, site);
    asm_patch(&a, j, a.b->code.n);
    asm_op(&a, OP_END, 0);
    asm_end(&a);
    aip_error err;
    bundle *r = asm_finish(a.b, &err);
    if (!r)
        fail_msg("bundle rejected: %s", err.msg);
    return r;
}

static void body_true(asm_ctx *a, bundle *b) { asm_op(a, OP_CONST, asm_k(b, BC_K_TRUE, 0)); }
static void body_false(asm_ctx *a, bundle *b) { asm_op(a, OP_CONST, asm_k(b, BC_K_FALSE, 0)); }
static void body_missing(asm_ctx *a, bundle *b)
{
    asm_op(a, OP_FACTS, 0);
    asm_op(a, OP_FIELD, asm_k_str(b, "credentials"));
    asm_op(a, OP_CONST, asm_k(b, BC_K_INT, 0));
    asm_op(a, OP_INDEX, 0);
    asm_op(a, OP_FIELD, asm_k_str(b, "rotation"));
    asm_op(a, OP_FIELD, asm_k_str(b, "last_rotated"));
    asm_op(a, OP_EXISTS, 0);
    asm_op(a, OP_NOT, 0);
    asm_op(a, OP_NOT, 0);
    /* exists() is defined: make it undefined again by reading a missing field */
    asm_op(a, OP_POP, 0);
    asm_op(a, OP_FACTS, 0);
    asm_op(a, OP_FIELD, asm_k_str(b, "credentials"));
    asm_op(a, OP_CONST, asm_k(b, BC_K_INT, 0));
    asm_op(a, OP_INDEX, 0);
    asm_op(a, OP_FIELD, asm_k_str(b, "rotation"));
    asm_op(a, OP_FIELD, asm_k_str(b, "last_rotated"));
}
static void body_shared(asm_ctx *a, bundle *b)
{
    asm_op(a, OP_FACTS, 0);
    asm_op(a, OP_FIELD, asm_k_str(b, "credentials"));
    asm_op(a, OP_CONST, asm_k_str(b, "k2"));
    asm_op(a, OP_INDEX, 0);
    asm_op(a, OP_FIELD, asm_k_str(b, "shared"));
    asm_op(a, OP_NOT, 0);
}
static void body_div0(asm_ctx *a, bundle *b)
{
    asm_op(a, OP_CONST, asm_k(b, BC_K_INT, 1));
    asm_op(a, OP_CONST, asm_k(b, BC_K_INT, 0));
    asm_op(a, OP_DIV, 0);
    asm_op(a, OP_CONST, asm_k(b, BC_K_INT, 1));
    asm_op(a, OP_EQ, 0);
}

static const char *INV = "{\"credentials\": [\n"
                         "  {\"id\": \"k1\", \"shared\": false},\n"
                         "  {\"id\": \"k2\", \"shared\": true}\n]}";

static void test_vm_require_true_passes(void **state)
{
    (void)state;
    bundle *b = require_bundle(body_true);
    facts *f = load_facts(INV);
    vm_options o = opts();
    eval_result *r = run(b, f, &o);
    assert_int_equal(r->ncontrols, 1);
    assert_int_equal(r->controls[0].verdict, VERDICT_PASS);
    assert_int_equal(r->controls[0].nfindings, 0);
    assert_int_equal(r->gate_failed, 0);
    eval_result_free(r);
    facts_free(f);
    bundle_free(b);
}

static void test_vm_require_false_is_violation(void **state)
{
    (void)state;
    bundle *b = require_bundle(body_false);
    facts *f = load_facts(INV);
    vm_options o = opts();
    eval_result *r = run(b, f, &o);
    assert_int_equal(r->controls[0].verdict, VERDICT_FAIL);
    assert_int_equal(r->controls[0].nfindings, 1);
    assert_int_equal(r->controls[0].findings[0].kind, FINDING_VIOLATION);
    assert_string_equal(r->controls[0].findings[0].message, "it failed");
    assert_string_equal(r->controls[0].findings[0].policy_file, "t.aip");
    assert_int_equal(r->controls[0].findings[0].policy_line, 3);
    assert_int_equal(r->gate_failed, 1);
    eval_result_free(r);
    facts_free(f);
    bundle_free(b);
}

static void test_vm_fact_violation_is_located(void **state)
{
    (void)state;
    bundle *b = require_bundle(body_shared);
    facts *f = load_facts(INV);
    vm_options o = opts();
    eval_result *r = run(b, f, &o);
    const control_result *c = &r->controls[0];
    assert_int_equal(c->verdict, VERDICT_FAIL);
    assert_string_equal(c->findings[0].path, "credentials[1].shared");
    assert_string_equal(c->findings[0].file, "inv.json");
    assert_int_equal(c->findings[0].line, 3);
    assert_int_equal(c->findings[0].col, 26);
    eval_result_free(r);
    facts_free(f);
    bundle_free(b);
}

static void test_vm_undefined_is_missing_evidence(void **state)
{
    (void)state;
    bundle *b = require_bundle(body_missing);
    facts *f = load_facts(INV);
    vm_options o = opts();
    eval_result *r = run(b, f, &o);
    const control_result *c = &r->controls[0];
    assert_int_equal(c->verdict, VERDICT_UNKNOWN);
    assert_int_equal(c->nfindings, 1);
    assert_int_equal(c->findings[0].kind, FINDING_MISSING_EVIDENCE);
    assert_string_equal(c->findings[0].path, "credentials[0].rotation.last_rotated");
    /* located at the nearest existing ancestor, credentials[0] */
    assert_int_equal(c->findings[0].line, 2);
    assert_int_equal(c->findings[0].col, 3);
    assert_non_null(strstr(c->findings[0].message, "credentials[0].rotation.last_rotated is missing"));
    assert_int_equal(r->gate_failed, 1);   /* unknown gates a mandatory control */
    eval_result_free(r);
    facts_free(f);
    bundle_free(b);
}

static void test_vm_runtime_error_is_error_verdict(void **state)
{
    (void)state;
    bundle *b = require_bundle(body_div0);
    facts *f = load_facts(INV);
    vm_options o = opts();
    eval_result *r = run(b, f, &o);
    assert_int_equal(r->controls[0].verdict, VERDICT_ERROR);
    assert_non_null(strstr(r->controls[0].error, "division by zero"));
    eval_result_free(r);
    facts_free(f);
    bundle_free(b);
}

/* Kleene logic: a op b for every pair of true/false/undefined. */
static void test_vm_kleene_tables(void **state)
{
    (void)state;
    /* 0 false, 1 true, 2 undefined; expected: 0/1 or 2 for undefined */
    static const int and_t[3][3] = {{0, 0, 0}, {0, 1, 2}, {0, 2, 2}};
    static const int or_t[3][3] = {{0, 1, 2}, {1, 1, 1}, {2, 1, 2}};
    for (int op = 0; op < 2; op++)
        for (int x = 0; x < 3; x++)
            for (int y = 0; y < 3; y++) {
                asm_ctx a = {bundle_new(), 0};
                asm_control(&a, "PR.AA-01", 1);
                uint32_t kf = asm_k(a.b, BC_K_FALSE, 0), kt = asm_k(a.b, BC_K_TRUE, 0);
                if (x < 2) asm_op(&a, OP_CONST, x ? kt : kf); else asm_op(&a, OP_UNDEF, 0);
                if (y < 2) asm_op(&a, OP_CONST, y ? kt : kf); else asm_op(&a, OP_UNDEF, 0);
                asm_op(&a, op ? OP_OR : OP_AND, 0);
                asm_op(&a, OP_STORE, 0);
                /* require (r == true) -> pass; r false -> fail; undefined -> unknown */
                asm_op(&a, OP_LOAD, 0);
                uint32_t site = asm_site(a.b, "r");
                uint32_t j = asm_jop(&a, OP_REQUIRE, site, 0);
                asm_op(&a, OP_CONST, asm_k_str(a.b, "m"));
                asm_op(&a, OP_FINDING, site);
                asm_patch(&a, j, a.b->code.n);
                asm_op(&a, OP_END, 0);
                asm_end(&a);
                aip_error err;
                bundle *b = asm_finish(a.b, &err);
                assert_non_null(b);
                facts *f = load_facts("{}");
                vm_options o = opts();
                eval_result *r = run(b, f, &o);
                int want = op ? or_t[x][y] : and_t[x][y];
                verdict v = want == 1 ? VERDICT_PASS : want == 0 ? VERDICT_FAIL : VERDICT_UNKNOWN;
                if (r->controls[0].verdict != v)
                    fail_msg("%s(%d, %d): verdict %s, expected %s", op ? "or" : "and", x, y,
                             verdict_name(r->controls[0].verdict), verdict_name(v));
                eval_result_free(r);
                facts_free(f);
                bundle_free(b);
            }
}

/* for c in inventory.credentials where c.shared == true { require false } */
static void test_vm_scope_subjects_and_not_applicable(void **state)
{
    (void)state;
    asm_ctx a = {bundle_new(), 0};
    asm_control(&a, "PR.AA-01", 1);
    asm_op(&a, OP_FACTS, 0);
    asm_op(&a, OP_FIELD, asm_k_str(a.b, "credentials"));
    uint32_t ssite = asm_site(a.b, "inventory.credentials");
    asm_op(&a, OP_SCOPE, ssite);
    uint32_t loop = a.b->code.n;
    uint32_t next = asm_jop(&a, OP_SCOPE_NEXT, 0, 0);
    asm_op(&a, OP_LOAD, 0);
    asm_op(&a, OP_FIELD, asm_k_str(a.b, "shared"));
    asm_op(&a, OP_CONST, asm_k(a.b, BC_K_TRUE, 0));
    asm_op(&a, OP_EQ, 0);
    asm_jop(&a, OP_WHERE, asm_site(a.b, "c.shared == true"), loop);
    asm_op(&a, OP_CONST, asm_k(a.b, BC_K_FALSE, 0));
    uint32_t rsite = asm_site(a.b, "false");
    uint32_t j = asm_jop(&a, OP_REQUIRE, rsite, 0);
    asm_op(&a, OP_CONST, asm_k_str(a.b, "shared"));
    asm_op(&a, OP_FINDING, rsite);
    asm_patch(&a, j, a.b->code.n);
    asm_jop(&a, OP_JUMP, 0, loop);
    asm_patch(&a, next, a.b->code.n);
    asm_op(&a, OP_END, 0);
    asm_end(&a);
    aip_error err;
    bundle *b = asm_finish(a.b, &err);
    assert_non_null(b);

    facts *f = load_facts(INV);
    vm_options o = opts();
    eval_result *r = run(b, f, &o);
    assert_int_equal(r->controls[0].verdict, VERDICT_FAIL);
    assert_int_equal(r->controls[0].nfindings, 1);
    assert_string_equal(r->controls[0].findings[0].subject, "k2");
    eval_result_free(r);
    facts_free(f);

    /* nothing matches: not_applicable */
    f = load_facts("{\"credentials\": [{\"id\": \"k1\", \"shared\": false}]}");
    r = run(b, f, &o);
    assert_int_equal(r->controls[0].verdict, VERDICT_NOT_APPLICABLE);
    eval_result_free(r);
    facts_free(f);

    /* where undefined: missing evidence naming the element's missing field */
    f = load_facts("{\"credentials\": [{\"id\": \"k1\"}]}");
    r = run(b, f, &o);
    assert_int_equal(r->controls[0].verdict, VERDICT_UNKNOWN);
    assert_string_equal(r->controls[0].findings[0].path, "credentials[0].shared");
    assert_string_equal(r->controls[0].findings[0].subject, "k1");
    eval_result_free(r);
    facts_free(f);

    /* scope over a missing list: missing evidence, not a silent pass */
    f = load_facts("{}");
    r = run(b, f, &o);
    assert_int_equal(r->controls[0].verdict, VERDICT_UNKNOWN);
    assert_string_equal(r->controls[0].findings[0].path, "credentials");
    eval_result_free(r);
    facts_free(f);
    bundle_free(b);
}

/* An endless loop hits the step budget; the verdict is error. */
static void test_vm_step_budget(void **state)
{
    (void)state;
    asm_ctx a = {bundle_new(), 0};
    asm_control(&a, "PR.AA-01", 0);
    uint32_t top = a.b->code.n;
    asm_op(&a, OP_NOP, 0);
    asm_jop(&a, OP_JUMP, 0, top);
    asm_end(&a);
    asm_control(&a, "PR.AA-02", 0);
    asm_op(&a, OP_END, 0);
    asm_end(&a);
    aip_error err;
    bundle *b = asm_finish(a.b, &err);
    assert_non_null(b);
    facts *f = load_facts("{}");
    vm_options o = opts();
    o.budget.max_steps = 1000;
    eval_result *r = run(b, f, &o);
    assert_int_equal(r->controls[0].verdict, VERDICT_ERROR);
    assert_non_null(strstr(r->controls[0].error, "step budget"));
    assert_int_equal(r->controls[1].verdict, VERDICT_NOT_APPLICABLE);   /* the others still run */
    eval_result_free(r);
    facts_free(f);
    bundle_free(b);
}

/* all / any / count over [1, 2, 3] with x > 1 */
static void test_vm_quantifiers(void **state)
{
    (void)state;
    struct { bc_op acc; uint8_t init; int64_t initv; int64_t expect; } cases[] = {
        {OP_ACC_ALL, BC_K_TRUE, 0, 0},   /* all x > 1: false */
        {OP_ACC_ANY, BC_K_FALSE, 0, 1},  /* any x > 1: true */
        {OP_ACC_COUNT, BC_K_INT, 0, 2},  /* count: 2 */
    };
    for (size_t i = 0; i < 3; i++) {
        asm_ctx a = {bundle_new(), 0};
        asm_control(&a, "PR.AA-01", 1);
        uint32_t k1 = asm_k(a.b, BC_K_INT, 1), k2 = asm_k(a.b, BC_K_INT, 2), k3 = asm_k(a.b, BC_K_INT, 3);
        bc_const list = {0};
        list.tag = BC_K_LIST;
        list.u.agg.first = a.b->agg_refs.n;
        list.u.agg.n = 3;
        BC_PUSH(a.b->agg_refs, k1);
        BC_PUSH(a.b->agg_refs, k2);
        BC_PUSH(a.b->agg_refs, k3);
        BC_PUSH(a.b->consts, list);
        uint32_t klist = a.b->consts.n - 1;
        asm_op(&a, OP_CONST, asm_k(a.b, cases[i].init, cases[i].initv));
        asm_op(&a, OP_CONST, klist);
        asm_op(&a, OP_QITER, 0);
        uint32_t loop = a.b->code.n;
        uint32_t next = asm_jop(&a, OP_ITER_NEXT, 0, 0);
        asm_op(&a, OP_LOAD, 0);
        asm_op(&a, OP_CONST, k1);
        asm_op(&a, OP_GT, 0);
        uint32_t acc = cases[i].acc == OP_ACC_COUNT ? asm_op(&a, OP_ACC_COUNT, 0) : asm_jop(&a, cases[i].acc, 0, 0);
        asm_jop(&a, OP_JUMP, 0, loop);
        uint32_t end = a.b->code.n;
        asm_patch(&a, next, end);
        if (cases[i].acc != OP_ACC_COUNT)
            asm_patch(&a, acc, end);
        /* require result == expect */
        asm_op(&a, OP_CONST, cases[i].acc == OP_ACC_COUNT ? asm_k(a.b, BC_K_INT, cases[i].expect)
                                                          : asm_k(a.b, cases[i].expect ? BC_K_TRUE : BC_K_FALSE, 0));
        asm_op(&a, OP_EQ, 0);
        uint32_t site = asm_site(a.b, "q");
        uint32_t j = asm_jop(&a, OP_REQUIRE, site, 0);
        asm_op(&a, OP_CONST, asm_k_str(a.b, "m"));
        asm_op(&a, OP_FINDING, site);
        asm_patch(&a, j, a.b->code.n);
        asm_op(&a, OP_END, 0);
        asm_end(&a);
        aip_error err;
        bundle *b = asm_finish(a.b, &err);
        if (!b)
            fail_msg("case %zu rejected: %s", i, err.msg);
        facts *f = load_facts("{}");
        vm_options o = opts();
        eval_result *r = run(b, f, &o);
        if (r->controls[0].verdict != VERDICT_PASS)
            fail_msg("case %zu: %s", i, verdict_name(r->controls[0].verdict));
        eval_result_free(r);
        facts_free(f);
        bundle_free(b);
    }
}

static bundle *attest_bundle(void)
{
    asm_ctx a = {bundle_new(), 0};
    asm_control(&a, "GV.OC-01", 0);
    asm_op(&a, OP_CONST, asm_k(a.b, BC_K_DURATION, 365 * 86400));
    asm_op(&a, OP_ATTEST, 0);
    asm_op(&a, OP_END, 0);
    asm_end(&a);
    a.b->controls.v[0].has_attest = 1;
    aip_error err;
    bundle *b = asm_finish(a.b, &err);
    assert_non_null(b);
    return b;
}

static void test_vm_attestations(void **state)
{
    (void)state;
    struct { const char *facts; verdict v; } cases[] = {
        {"{}", VERDICT_UNKNOWN},
        {"{\"attestations\": [{\"id\": \"a\", \"control\": \"GV.OC-01\", \"date\": \"2026-03-01\"}]}", VERDICT_PASS},
        {"{\"attestations\": [{\"id\": \"a\", \"control\": \"GV.OC-01\", \"date\": \"2024-03-01\"}]}", VERDICT_FAIL},
        {"{\"attestations\": [{\"id\": \"a\", \"control\": \"GV.OC-01\", \"date\": \"2026-03-01\", \"expires\": \"2026-06-01\"}]}", VERDICT_FAIL},
        {"{\"attestations\": [{\"id\": \"a\", \"control\": \"GV.OC-02\", \"date\": \"2026-03-01\"}]}", VERDICT_UNKNOWN},
        {"{\"ai_systems\": [{\"id\": \"s1\"}, {\"id\": \"s2\"}], \"attestations\": [{\"id\": \"a\", \"control\": \"GV.OC-01\", \"date\": \"2026-03-01\", \"scope\": [\"s1\"]}]}", VERDICT_FAIL},
        {"{\"ai_systems\": [{\"id\": \"s1\"}], \"attestations\": [{\"id\": \"a\", \"control\": \"GV.OC-01\", \"date\": \"2026-03-01\", \"scope\": [\"s1\"]}]}", VERDICT_PASS},
    };
    bundle *b = attest_bundle();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        facts *f = load_facts(cases[i].facts);
        vm_options o = opts();
        eval_result *r = run(b, f, &o);
        if (r->controls[0].verdict != cases[i].v)
            fail_msg("case %zu: %s, expected %s", i, verdict_name(r->controls[0].verdict), verdict_name(cases[i].v));
        eval_result_free(r);
        facts_free(f);
    }
    bundle_free(b);
}

/* A hostile loop that wraps a list in a list forever: the nesting bound
 * stops it with an error verdict (equality and display recurse). */
static void test_vm_nesting_bound(void **state)
{
    (void)state;
    asm_ctx a = {bundle_new(), 0};
    aip_error err;
    facts *f = load_facts("{}");
    vm_options o = opts();
    asm_control(&a, "PR.AA-01", 1);
    asm_op(&a, OP_CONST, asm_k(a.b, BC_K_INT, 1));
    asm_op(&a, OP_STORE, 0);
    uint32_t top = a.b->code.n;
    asm_op(&a, OP_LOAD, 0);
    asm_op(&a, OP_MKLIST, 1);
    asm_op(&a, OP_STORE, 0);
    asm_jop(&a, OP_JUMP, 0, top);
    asm_end(&a);
    bundle *b = asm_finish(a.b, &err);
    assert_non_null(b);
    eval_result *r = run(b, f, &o);
    assert_int_equal(r->controls[0].verdict, VERDICT_ERROR);
    assert_non_null(strstr(r->controls[0].error, "nested more than 64 deep"));
    eval_result_free(r);
    facts_free(f);
    bundle_free(b);
}

static void test_vm_unknown_profile(void **state)
{
    (void)state;
    bundle *b = require_bundle(body_true);
    facts *f = load_facts("{}");
    vm_options o = opts();
    o.profile = "nope";
    aip_error err;
    assert_null(vm_eval(b, f, &o, &err));
    assert_non_null(strstr(err.msg, "unknown profile 'nope'"));
    facts_free(f);
    bundle_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vm_require_true_passes),
        cmocka_unit_test(test_vm_require_false_is_violation),
        cmocka_unit_test(test_vm_fact_violation_is_located),
        cmocka_unit_test(test_vm_undefined_is_missing_evidence),
        cmocka_unit_test(test_vm_runtime_error_is_error_verdict),
        cmocka_unit_test(test_vm_kleene_tables),
        cmocka_unit_test(test_vm_scope_subjects_and_not_applicable),
        cmocka_unit_test(test_vm_step_budget),
        cmocka_unit_test(test_vm_quantifiers),
        cmocka_unit_test(test_vm_attestations),
        cmocka_unit_test(test_vm_nesting_bound),
        cmocka_unit_test(test_vm_unknown_profile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
