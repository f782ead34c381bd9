/* tests/unit/test_eval.c - evaluation semantics from policy source: the
 * language's rules as a user meets them (undefined reasons, map iteration,
 * the memory budget, several blocks per subcategory, the gate, params). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "eval_src.h"
#include "runtime/builtins.h"
#include "runtime/params.h"
#include "runtime/vm.h"

static run eval(const char *policy, const char *yaml, vm_options *o)
{
    return eval_src(policy, yaml, o);
}

static void done(run *x)
{
    eval_src_done(x);
}

static const control_result *ctl(const run *x, const char *id)
{
    for (uint32_t i = 0; i < x->r->ncontrols; i++)
        if (strcmp(x->r->controls[i].id, id) == 0)
            return &x->r->controls[i];
    fail_msg("no control %s", id);
    return NULL;
}

static void test_eval_mismatch_is_missing_evidence_with_reason(void **state)
{
    (void)state;
    run x = eval("package p\ncontrol PR.AA-01 { for s in inventory.s { require s.n > 3 } }\n",
                 "s:\n  - {id: a, n: \"four\"}\n", NULL);
    const control_result *c = ctl(&x, "PR.AA-01");
    assert_int_equal(c->verdict, VERDICT_UNKNOWN);
    assert_non_null(strstr(c->findings[0].message, "cannot order string and int"));
    assert_string_equal(c->findings[0].path, "s[0].n");
    assert_int_equal(c->findings[0].line, 2);
    done(&x);
}

static void test_eval_null_is_a_value(void **state)
{
    (void)state;
    run x = eval("package p\ncontrol PR.AA-01 { for s in inventory.s {\n"
                 "  require exists(s.owner)\n  require s.owner != null else \"{s.id}: no owner\" } }\n",
                 "s:\n  - {id: a, owner: null}\n  - {id: b, owner: x}\n", NULL);
    const control_result *c = ctl(&x, "PR.AA-01");
    assert_int_equal(c->verdict, VERDICT_FAIL);
    assert_int_equal(c->nfindings, 1);
    assert_string_equal(c->findings[0].message, "a: no owner");
    assert_string_equal(c->findings[0].subject, "a");
    done(&x);
}

static void test_eval_map_scope_in_key_order(void **state)
{
    (void)state;
    run x = eval("package p\ncontrol PR.AA-01 { for v in inventory.m { require v < 0 else \"{v}\" } }\n",
                 "m: {zeta: 3, alpha: 1, mid: 2}\n", NULL);
    const control_result *c = ctl(&x, "PR.AA-01");
    assert_int_equal(c->nfindings, 3);
    assert_string_equal(c->findings[0].message, "1");
    assert_string_equal(c->findings[1].message, "2");
    assert_string_equal(c->findings[2].message, "3");
    assert_string_equal(c->findings[0].path, "m.alpha");
    done(&x);
}

static void test_eval_blocks_take_the_worst(void **state)
{
    (void)state;
    run x = eval("package p\ncontrol PR.AA-01 { require true }\ncontrol PR.AA-01 { enforce advisory require false }\n"
                 "control PR.AA-02 { enforce advisory require false }\n",
                 "a: 1\n", NULL);
    assert_int_equal(x.r->ncontrols, 2);
    const control_result *c = ctl(&x, "PR.AA-01");
    assert_int_equal(c->verdict, VERDICT_FAIL);
    assert_int_equal(c->nblocks, 2);
    assert_int_equal(c->enforce, 0);     /* mandatory when any block is */
    assert_int_equal(x.r->gate_failed, 1);
    done(&x);
}

static void test_eval_gate_rules(void **state)
{
    (void)state;
    const char *pol = "package p\ncontrol PR.AA-01 { enforce advisory require false }\n"
                      "control PR.AA-02 { require inventory.nothing }\n";
    struct { fail_on f; int failed; } cases[] = {
        {FAIL_ON_MANDATORY, 1},   /* PR.AA-02 unknown and mandatory */
        {FAIL_ON_ANY, 1},
        {FAIL_ON_NONE, 0},
    };
    for (size_t i = 0; i < 3; i++) {
        vm_options o;
        vm_options_default(&o);
        o.fail_on = cases[i].f;
        run x = eval(pol, "a: 1\n", &o);
        assert_int_equal(ctl(&x, "PR.AA-02")->verdict, VERDICT_UNKNOWN);
        assert_int_equal(x.r->gate_failed, cases[i].failed);
        done(&x);
    }
    /* advisory failures alone pass the default gate */
    vm_options o;
    vm_options_default(&o);
    run x = eval("package p\ncontrol PR.AA-01 { enforce advisory require false }\n", "a: 1\n", &o);
    assert_int_equal(x.r->gate_failed, 0);
    done(&x);
}

static void test_eval_memory_budget(void **state)
{
    (void)state;
    vm_options o;
    vm_options_default(&o);
    /* each element builds a string four times its size: past 2 KiB of
     * evaluation memory the control errors, the next one still runs */
    o.budget.max_memory = 2048;
    run x = eval("package p\ncontrol PR.AA-01 { require count(x in inventory.xs where len(\"{x}{x}{x}{x}\") > 0) > 0 }\n"
             "control PR.AA-02 { require true }\n",
             "xs: [aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t]\n",
             &o);
    const control_result *c = ctl(&x, "PR.AA-01");
    assert_int_equal(c->verdict, VERDICT_ERROR);
    assert_non_null(strstr(c->error, "memory budget"));
    assert_int_equal(ctl(&x, "PR.AA-02")->verdict, VERDICT_PASS);
    done(&x);
}

static void test_eval_params_override_and_types(void **state)
{
    (void)state;
    bundle *b = compile_src("t.aip",
                            "package p\nparam n = 1\nparam r = 1.5\nparam w = 30d\nparam names = [\"a\"]\n"
                            "control PR.AA-01 { require n == 2 and r == 3.0 and w == 2w and names == [\"x\", \"y\"] }\n",
                            1, NULL);
    assert_non_null(b);
    struct { const char *yaml; const char *err; } cases[] = {
        {"n: 2\nr: 3\nw: 2w\nnames: [x, y]\n", NULL},
        {"n: two\n", "param 'n' expects int, got string"},
        {"r: true\n", "param 'r' expects double, got bool"},
        {"w: 14\n", "param 'w' expects duration (a string like \"90d\"), got int"},
        {"w: fortnight\n", "param 'w' expects a duration such as \"90d\""},
        {"nn: 2\n", "unknown param 'nn'"},
        {"p.n: 2\nr: 3.0\nw: 14d\nnames: [x, y]\n", NULL},
        {"[1, 2]\n", "the top-level value must be a map"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        facts *store = facts_new();
        aip_error err;
        arena mem;
        arena_init(&mem);
        int rc = facts_load_buffer(store, "params.yaml", cases[i].yaml, strlen(cases[i].yaml), FACTS_YAML, &err);
        val *pv = NULL;
        if (rc == 0)
            pv = params_resolve(b, facts_root(store), store, &mem, &err);
        if (!cases[i].err) {
            if (!pv)
                fail_msg("case %zu: %s", i, err.msg);
            facts *f = facts_new();
            vm_options o;
            vm_options_default(&o);
            o.params = pv;
            eval_result *r = vm_eval(b, f, &o, &err);
            assert_int_equal(r->controls[0].verdict, VERDICT_PASS);
            eval_result_free(r);
            facts_free(f);
        } else {
            assert_null(pv);
            if (!strstr(err.msg, cases[i].err))
                fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err.msg, cases[i].err);
            if (rc == 0)
                assert_string_equal(err.file, "params.yaml");
        }
        arena_free(&mem);
        facts_free(store);
    }
    bundle_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval_mismatch_is_missing_evidence_with_reason),
        cmocka_unit_test(test_eval_null_is_a_value),
        cmocka_unit_test(test_eval_map_scope_in_key_order),
        cmocka_unit_test(test_eval_blocks_take_the_worst),
        cmocka_unit_test(test_eval_gate_rules),
        cmocka_unit_test(test_eval_memory_budget),
        cmocka_unit_test(test_eval_params_override_and_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
