/* tests/unit/test_coverage.c - policy test coverage (compiler/coverage.h):
 * the VM's counting hook, crediting only expected controls, the metrics and
 * both report formats, on small hand-written policies and facts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_src.h"
#include "compiler/coverage.h"
#include "runtime/builtins.h"
#include "runtime/vm.h"

static const char *const policy =
    "package t\n"
    "control PR.AA-01 {\n"
    "  for s in inventory.systems {\n"
    "    require s.ok else \"{s.id} is not ok\"\n"
    "    require s.n > 1\n"
    "  }\n"
    "}\n"
    "control GV.OC-01 {\n"
    "  attest within 30d\n"
    "}\n"
    "control GV.SC-07 {\n"
    "  require inventory.flag\n"
    "}\n";

/* Run one "test": facts yaml, credited to the controls in expects (NULL-ended). */
static void eval_test(coverage *cv, const char *yaml, const char *const *expects)
{
    facts *f = facts_new();
    aip_error err;
    if (facts_load_buffer(f, "f.yaml", yaml, strlen(yaml), FACTS_YAML, &err) != 0)
        fail_msg("facts: %s", err.msg);
    vm_options o;
    vm_options_default(&o);
    date_parse_days("2026-11-27", 10, &o.today);
    coverage_begin_test(cv);
    o.coverage = cv->table;
    eval_result *r = vm_eval(cv->b, f, &o, &err);
    assert_non_null(r);
    uint32_t n = 0;
    while (expects[n])
        n++;
    coverage_end_test(cv, r, expects, n);
    eval_result_free(r);
    facts_free(f);
}

static const cov_control *ctl(const coverage *cv, const char *id)
{
    for (uint32_t i = 0; i < cv->ncontrols; i++)
        if (strcmp(cv->controls[i].id, id) == 0)
            return &cv->controls[i];
    fail_msg("no control %s", id);
    return NULL;
}

static void hits(const cov_check *k, uint32_t t, uint32_t f, uint32_t u)
{
    assert_int_equal(k->hits[VM_COV_TRUE], t);
    assert_int_equal(k->hits[VM_COV_FALSE], f);
    assert_int_equal(k->hits[VM_COV_UNDEF], u);
}

static const char *const pr[] = {"PR.AA-01", NULL};
static const char *const gv_oc[] = {"GV.OC-01", NULL};
static const char *const gv_sc[] = {"GV.SC-07", NULL};

static void t_checks_of_each_control(void **state)
{
    (void)state;
    bundle *b = compile_src("t.aip", policy, 1, NULL);
    assert_non_null(b);
    coverage *cv = coverage_new(b);
    assert_int_equal(cv->ncontrols, 3);
    const cov_control *c = ctl(cv, "PR.AA-01");
    assert_int_equal(c->nchecks, 2);
    assert_int_equal(c->checks[0].attest, 0);
    assert_string_equal(c->checks[0].file, "t.aip");
    assert_int_equal(c->checks[0].line, 4);
    assert_int_equal(c->checks[0].col, 13);
    assert_string_equal(c->checks[0].text, "s.ok");
    assert_int_equal(c->checks[1].line, 5);
    assert_string_equal(c->checks[1].text, "s.n > 1");
    c = ctl(cv, "GV.OC-01");
    assert_int_equal(c->nchecks, 1);
    assert_int_equal(c->checks[0].attest, 1);
    assert_int_equal(c->checks[0].line, 9);
    hits(&c->checks[0], 0, 0, 0);
    assert_int_equal(c->tests, 0);
    coverage_free(cv);
    bundle_free(b);
}

static void t_true_only(void **state)
{
    (void)state;
    bundle *b = compile_src("t.aip", policy, 1, NULL);
    coverage *cv = coverage_new(b);
    eval_test(cv, "systems: [{id: a, ok: true, n: 5}, {id: b, ok: true, n: 2}]\n", pr);
    const cov_control *c = ctl(cv, "PR.AA-01");
    hits(&c->checks[0], 2, 0, 0);   /* once per scope element */
    hits(&c->checks[1], 2, 0, 0);
    assert_int_equal(cov_check_seen(&c->checks[0]), 1);
    assert_false(cov_check_both(&c->checks[0]));
    assert_int_equal(c->tests, 1);
    assert_int_equal(c->verdicts, 1u << VERDICT_PASS);
    coverage_free(cv);
    bundle_free(b);
}

static void t_false_and_undefined(void **state)
{
    (void)state;
    bundle *b = compile_src("t.aip", policy, 1, NULL);
    coverage *cv = coverage_new(b);
    eval_test(cv, "systems: [{id: a, ok: false, n: 0}, {id: b, n: \"x\"}]\n", pr);
    const cov_control *c = ctl(cv, "PR.AA-01");
    hits(&c->checks[0], 0, 1, 1);   /* false; absent (undefined) */
    hits(&c->checks[1], 0, 1, 1);   /* false; a string compared with a number */
    assert_int_equal(cov_check_seen(&c->checks[0]), 2);
    assert_false(cov_check_both(&c->checks[0]));
    eval_test(cv, "systems: [{id: a, ok: true, n: 9}]\n", pr);
    hits(&c->checks[0], 1, 1, 1);
    assert_true(cov_check_both(&c->checks[0]));
    assert_int_equal(cov_check_seen(&c->checks[0]), 3);
    assert_int_equal(c->tests, 2);
    assert_int_equal(c->verdicts, (1u << VERDICT_FAIL) | (1u << VERDICT_PASS));
    coverage_free(cv);
    bundle_free(b);
}

/* A test that has no `expect` for a control credits nothing to it, though
 * the VM evaluated it. */
static void t_only_expected_controls(void **state)
{
    (void)state;
    bundle *b = compile_src("t.aip", policy, 1, NULL);
    coverage *cv = coverage_new(b);
    eval_test(cv, "flag: false\nsystems: [{id: a, ok: false, n: 0}]\n", gv_sc);
    hits(&ctl(cv, "PR.AA-01")->checks[0], 0, 0, 0);
    assert_int_equal(ctl(cv, "PR.AA-01")->tests, 0);
    assert_int_equal(ctl(cv, "PR.AA-01")->verdicts, 0);
    hits(&ctl(cv, "GV.SC-07")->checks[0], 0, 1, 0);
    assert_int_equal(ctl(cv, "GV.SC-07")->verdicts, 1u << VERDICT_FAIL);
    assert_int_equal(cv->tests, 1);
    /* the table is cleared per test: a second test does not re-credit the first */
    eval_test(cv, "flag: true\n", gv_sc);
    hits(&ctl(cv, "GV.SC-07")->checks[0], 1, 1, 0);
    coverage_free(cv);
    bundle_free(b);
}

static void t_attest_outcomes(void **state)
{
    (void)state;
    bundle *b = compile_src("t.aip", policy, 1, NULL);
    coverage *cv = coverage_new(b);
    const cov_check *k = &ctl(cv, "GV.OC-01")->checks[0];
    eval_test(cv, "attestations: []\n", gv_oc);
    hits(k, 0, 0, 1);   /* missing */
    eval_test(cv, "attestations: [{id: a1, control: GV.OC-01, date: \"2026-01-01\"}]\n", gv_oc);
    hits(k, 0, 1, 1);   /* stale */
    eval_test(cv, "attestations: [{id: a1, control: GV.OC-01, date: \"2026-11-20\"}]\n", gv_oc);
    hits(k, 1, 1, 1);   /* fresh */
    assert_int_equal(ctl(cv, "GV.OC-01")->verdicts,
                     (1u << VERDICT_UNKNOWN) | (1u << VERDICT_FAIL) | (1u << VERDICT_PASS));
    coverage_free(cv);
    bundle_free(b);
}

static void t_totals(void **state)
{
    (void)state;
    bundle *b = compile_src("t.aip", policy, 1, NULL);
    coverage *cv = coverage_new(b);
    cov_totals t;
    coverage_totals(cv, NULL, &t);
    assert_int_equal(t.controls, 3);
    assert_int_equal(t.tested, 0);
    assert_int_equal(t.checks, 4);
    assert_int_equal(t.seen, 0);
    eval_test(cv, "systems: [{id: a, ok: true, n: 0}]\n", pr);   /* T on one, F on the other */
    eval_test(cv, "systems: [{id: a, ok: false, n: 5}]\n", pr);  /* both become T and F */
    eval_test(cv, "flag: true\n", gv_sc);
    coverage_totals(cv, NULL, &t);
    assert_int_equal(t.tested, 2);
    assert_int_equal(t.seen, 5);     /* 2 + 2 + 1 of 12 */
    assert_int_equal(t.both, 2);
    assert_int_equal(cov_tenths(t.seen, 3 * t.checks), 417);   /* 41.666.. -> 41.7 */
    coverage_totals(cv, "PR.", &t);
    assert_int_equal(t.controls, 1);
    assert_int_equal(t.checks, 2);
    assert_int_equal(t.seen, 4);
    coverage_totals(cv, "GV.", &t);
    assert_int_equal(t.controls, 2);
    assert_int_equal(t.tested, 1);
    assert_int_equal(t.seen, 1);
    assert_int_equal(t.both, 0);
    coverage_free(cv);
    bundle_free(b);
}

static void t_tenths(void **state)
{
    (void)state;
    assert_int_equal(cov_tenths(0, 0), 0);
    assert_int_equal(cov_tenths(0, 7), 0);
    assert_int_equal(cov_tenths(7, 7), 1000);
    assert_int_equal(cov_tenths(1, 3), 333);
    assert_int_equal(cov_tenths(2, 3), 667);
    assert_int_equal(cov_tenths(1, 8), 125);      /* 12.5 exactly */
    assert_int_equal(cov_tenths(1, 16), 63);      /* 6.25 -> 6.3 (half up) */
    assert_int_equal(cov_tenths(UINT32_MAX, UINT32_MAX), 1000);   /* no overflow */
}

/* Manifest rules enter the bundle but `aip test` never runs them: they are
 * not controls of the coverage report. */
static void t_rules_excluded(void **state)
{
    (void)state;
    bundle *b = compile_src("t.aip",
                            "package t\nuses manifest ai-inventory/v1alpha1\n"
                            "control GV.SC-07 {\n  require inventory.metadata[\"x-flag\"]\n}\n", 1, NULL);
    assert_non_null(b);
    uint32_t rules = 0;
    for (uint32_t i = 0; i < b->controls.n; i++)
        rules += b->controls.v[i].kind == BC_CTRL_RULE;
    assert_true(rules > 0);
    coverage *cv = coverage_new(b);
    assert_int_equal(cv->ncontrols, 1);
    assert_string_equal(cv->controls[0].id, "GV.SC-07");
    assert_int_equal(cv->controls[0].nchecks, 1);
    coverage_free(cv);
    bundle_free(b);
}

/* Several blocks for one subcategory are one control with all their checks. */
static void t_blocks_merge(void **state)
{
    (void)state;
    bundle *b = compile_src("t.aip",
                            "package t\n"
                            "control GV.SC-07 {\n  require inventory.a\n}\n"
                            "control GV.SC-07 {\n  require inventory.b\n  require inventory.c\n}\n", 1, NULL);
    assert_non_null(b);
    coverage *cv = coverage_new(b);
    assert_int_equal(cv->ncontrols, 1);
    assert_int_equal(cv->controls[0].nchecks, 3);
    assert_string_equal(cv->controls[0].checks[2].text, "inventory.c");
    coverage_free(cv);
    bundle_free(b);
}

static char *slurp(FILE *f)
{
    long n = ftell(f);
    rewind(f);
    char *s = calloc(1, (size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    return s;
}

static void t_text_report(void **state)
{
    (void)state;
    bundle *b = compile_src("t.aip", policy, 1, NULL);
    coverage *cv = coverage_new(b);
    eval_test(cv, "systems: [{id: a, ok: false, n: 5}]\n", pr);
    FILE *f = tmpfile();
    assert_int_equal(coverage_write_text(cv, f), 0);
    char *s = slurp(f);
    /* untested controls first (GV.OC-01 and GV.SC-07 in bundle order), then PR.AA-01 */
    const char *oc = strstr(s, "GV.OC-01  0/3 (0.0%)       no tests\n");
    const char *sc = strstr(s, "GV.SC-07  0/3 (0.0%)       no tests\n");
    const char *aa = strstr(s, "PR.AA-01  2/6 (33.3%)      1 test, verdicts: fail\n");
    assert_non_null(oc);
    assert_non_null(sc);
    assert_non_null(aa);
    assert_true(oc < sc && sc < aa);
    assert_non_null(strstr(s, "    - F -  t.aip:4:13  require s.ok\n"));
    assert_non_null(strstr(s, "    T - -  t.aip:5:13  require s.n > 1\n"));
    assert_non_null(strstr(s, "    - - -  t.aip:9  attest\n"));
    assert_non_null(strstr(s, "  PR              1      1      2  2/6 (33.3%)        0/2 (0.0%)\n"));
    assert_non_null(strstr(s, "  total           3      1      4  2/12 (16.7%)       0/4 (0.0%)\n"));
    assert_non_null(strstr(s, "coverage: 16.7% of outcomes (2 of 3 x 4 checks); 0.0% of checks seen both true and false\n"));
    free(s);
    fclose(f);
    coverage_free(cv);
    bundle_free(b);
}

static void t_json_report(void **state)
{
    (void)state;
    bundle *b = compile_src("t.aip", policy, 1, NULL);
    coverage *cv = coverage_new(b);
    eval_test(cv, "systems: [{id: a, ok: false, n: 5}, {id: b, ok: false, n: 5}]\n", pr);
    FILE *f = tmpfile();
    assert_int_equal(coverage_write_json(cv, f), 0);
    char *s = slurp(f);
    assert_non_null(strstr(s, "\"format\": \"aip-coverage/1\""));
    assert_non_null(strstr(s, "\"tests\": 1,"));
    assert_non_null(strstr(s, "\"percent\": 16.7,"));
    assert_non_null(strstr(s, "\"kind\": \"require\",\n"
                              "          \"file\": \"t.aip\",\n"
                              "          \"line\": 4,\n"
                              "          \"col\": 13,\n"
                              "          \"text\": \"s.ok\",\n"
                              "          \"true\": 0,\n"
                              "          \"false\": 2,\n"
                              "          \"undefined\": 0\n"));
    assert_non_null(strstr(s, "\"kind\": \"attest\""));
    assert_non_null(strstr(s, "\"verdicts\": [\n        \"fail\"\n      ]"));
    assert_non_null(strstr(s, "\"function\": \"GV\""));
    free(s);
    fclose(f);
    coverage_free(cv);
    bundle_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_checks_of_each_control),
        cmocka_unit_test(t_true_only),
        cmocka_unit_test(t_false_and_undefined),
        cmocka_unit_test(t_only_expected_controls),
        cmocka_unit_test(t_attest_outcomes),
        cmocka_unit_test(t_totals),
        cmocka_unit_test(t_tenths),
        cmocka_unit_test(t_rules_excluded),
        cmocka_unit_test(t_blocks_merge),
        cmocka_unit_test(t_text_report),
        cmocka_unit_test(t_json_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
