/* tests/unit/test_waivers.c - waivers: loading and its errors, matching by
 * system and by path pattern, expired and unused waivers, missing evidence
 * never waived, and the verdicts and gate after waivers. */
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
#include "runtime/waivers.h"

static const char *POLICY =
    "package w\n"
    "control PR.AA-01 { for s in inventory.s { require not s.shared else \"{s.id} shared\" } }\n"
    "control PR.AA-02 { for s in inventory.s { require s.ok else \"{s.id} not ok\" } }\n";
static const char *FACTS =
    "{\"s\": [{\"id\": \"a\", \"shared\": true, \"ok\": false},\n"
    "       {\"id\": \"b\", \"shared\": true}]}";

static const char *write_tmp(const char *text, char *path)
{
    strcpy(path, "/tmp/aip-waivers-XXXXXX");
    int fd = mkstemp(path);   /* no extension: the loader reads it as YAML */
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

typedef struct run {
    bundle *b;
    facts *f, *store;
    eval_result *r;
    arena mem;
    waiver *w;
    uint32_t n;
} run;

static int eval_with(run *x, const char *waivers_yaml, aip_error *err)
{
    memset(x, 0, sizeof *x);
    arena_init(&x->mem);
    x->b = compile_src("w.aip", POLICY, 1, NULL);
    assert_non_null(x->b);
    x->f = facts_new();
    assert_int_equal(facts_load_buffer(x->f, "f.json", FACTS, strlen(FACTS), FACTS_JSON, err), 0);
    char path[64];
    write_tmp(waivers_yaml, path);
    const char *sha;
    int rc = waivers_load(path, &x->store, &x->mem, &x->w, &x->n, &sha, err);
    remove(path);
    if (rc != 0)
        return -1;
    vm_options o;
    vm_options_default(&o);
    date_parse_days("2026-11-27", 10, &o.today);
    x->r = vm_eval(x->b, x->f, &o, err);
    waivers_apply(x->r, x->w, x->n, o.today, o.fail_on);
    return 0;
}

static void done(run *x)
{
    eval_result_free(x->r);
    facts_free(x->f);
    facts_free(x->store);
    bundle_free(x->b);
    arena_free(&x->mem);
}

static void test_waivers_match_and_verdicts(void **state)
{
    (void)state;
    run x;
    aip_error err;
    assert_int_equal(eval_with(&x,
        "- {id: by-system, control: PR.AA-01, target: a, reason: r, approved_by: ciso, expires: \"2027-01-01\"}\n"
        "- {id: by-path, control: PR.AA-01, target: \"s[1].*\", reason: r, approved_by: ciso, expires: \"2027-01-01\"}\n"
        "- {id: old, control: PR.AA-02, target: \"*\", reason: r, approved_by: ciso, expires: \"2026-11-26\"}\n"
        "- {id: idle, control: PR.AA-03, target: \"*\", reason: r, approved_by: ciso, expires: \"2026-11-27\"}\n",
        &err), 0);
    const control_result *c1 = &x.r->controls[0], *c2 = &x.r->controls[1];
    assert_int_equal(c1->verdict, VERDICT_WAIVED);
    assert_string_equal(c1->findings[0].waived_by->id, "by-system");
    assert_string_equal(c1->findings[1].waived_by->id, "by-path");
    /* expired: no effect; missing evidence (b.ok) is never waived */
    assert_int_equal(c2->verdict, VERDICT_FAIL);
    assert_null(c2->findings[0].waived_by);
    assert_int_equal(x.w[2].status, WAIVER_EXPIRED);
    assert_int_equal(x.w[3].status, WAIVER_UNUSED);   /* expiring today is still in force */
    assert_int_equal(x.w[0].matched, 1);
    assert_int_equal(x.r->summary.counts[VERDICT_WAIVED], 1);
    assert_int_equal(x.r->gate_failed, 1);
    done(&x);
}

static void test_waivers_never_hide_missing_evidence(void **state)
{
    (void)state;
    run x;
    aip_error err;
    /* a's violation waived; b's missing `ok` remains: unknown, not waived */
    assert_int_equal(eval_with(&x,
        "waivers:\n  - {control: PR.AA-02, target: \"*\", reason: r, approved_by: ciso, expires: \"2027-01-01\"}\n",
        &err), 0);
    const control_result *c2 = &x.r->controls[1];
    assert_int_equal(c2->verdict, VERDICT_UNKNOWN);
    assert_non_null(c2->findings[0].waived_by);
    assert_int_equal(c2->findings[1].kind, FINDING_MISSING_EVIDENCE);
    assert_null(c2->findings[1].waived_by);
    assert_string_equal(x.w[0].id, "waivers[0]");
    done(&x);
}

static void test_waivers_malformed(void **state)
{
    (void)state;
    static const struct { const char *yaml, *msg; unsigned line; } cases[] = {
        {"- {control: PR.AA-01, target: a, reason: r, expires: \"2027-01-01\"}\n", "waiver has no `approved_by`", 1},
        {"- {control: PR-AA-01, target: a, reason: r, approved_by: c, expires: \"2027-01-01\"}\n",
         "is not a CSF 2.0 subcategory id", 1},
        {"- {control: PR.AA-01, target: a, reason: r, approved_by: c, expires: soon}\n", "is not a date", 1},
        {"- {control: PR.AA-01, target: a, reason: r, approved_by: c, expires: \"2027-01-01\", owner: x}\n",
         "unknown waiver key `owner`", 1},
        {"control: PR.AA-01\n", "a waivers file is a list of waivers", 1},
        {"- just a string\n", "a waiver must be a map", 1},
        {"- {control: PR.AA-01, target: \"\", reason: r, approved_by: c, expires: \"2027-01-01\"}\n",
         "must be a non-empty string", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run x;
        aip_error err;
        memset(&err, 0, sizeof err);
        if (eval_with(&x, cases[i].yaml, &err) == 0)
            fail_msg("case %zu accepted", i);
        if (!strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err.msg, cases[i].msg);
        assert_int_equal(err.line, cases[i].line);
        assert_true(err.file[0] != '\0');
        facts_free(x.f);
        facts_free(x.store);
        bundle_free(x.b);
        arena_free(&x.mem);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_waivers_match_and_verdicts),
        cmocka_unit_test(test_waivers_never_hide_missing_evidence),
        cmocka_unit_test(test_waivers_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
