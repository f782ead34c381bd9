/* tests/unit/test_compiler.c - the compiler's checks and code generation:
 * what it rejects (message and position), the code shapes it emits, and
 * that bundles are deterministic and survive a write/read round trip. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "compile_src.h"

/* Compile src expecting failure; the first error must contain msg at line:col. */
static void expect_error(const char *label, const char *src, unsigned line, unsigned col, const char *msg)
{
    diag_list d;
    diag_init(&d);
    compiler *cc = compiler_new(&d);   /* kept until the end: diagnostics point into its sources */
    compiler_add_source(cc, "t.aip", src, strlen(src));
    bundle *b = compiler_build(cc);
    if (b)
        fail_msg("%s: compiled, expected \"%s\"", label, msg);
    int found = 0;
    for (size_t i = 0; i < d.n && !found; i++) {
        unsigned l = 0, c = 0;
        if (d.items[i].src)
            src_pos(d.items[i].src, d.items[i].start, &l, &c);
        found = d.items[i].level == DIAG_ERROR && strstr(d.items[i].msg, msg) && l == line && c == col;
    }
    if (!found) {
        diag_print(&d, stderr, 0);
        fail_msg("%s: no error \"%s\" at %u:%u", label, msg, line, col);
    }
    diag_free(&d);
    compiler_free(cc);
}

static void test_compiler_rejects(void **state)
{
    (void)state;
    expect_error("unknown name", "package p\ncontrol PR.AA-01 { require inventry.x }", 2, 28,
                 "unknown name `inventry`; did you mean `inventory`?");
    expect_error("unknown function", "package p\ncontrol PR.AA-01 { require lenn(1) == 1 }", 2, 28,
                 "unknown function `lenn`; did you mean `len`?");
    expect_error("builtin arity", "package p\ncontrol PR.AA-01 { require days_since() > 1 }", 2, 28,
                 "days_since() takes 1 argument, got 0");
    expect_error("def arity", "package p\ndef f(a, b) = a\ncontrol PR.AA-01 { require f(1) }", 3, 28,
                 "f() takes 2 arguments, got 1");
    expect_error("direct recursion", "package p\ndef f(a) = f(a)\ncontrol PR.AA-01 { require f(1) }", 2, 12,
                 "recursion is not allowed: f -> f");
    expect_error("indirect recursion", "package p\ndef f(a) = g(a)\ndef g(a) = f(a)\ncontrol PR.AA-01 { require f(1) }",
                 3, 12, "recursion is not allowed: f -> g -> f");
    expect_error("not a subcategory", "package p\ncontrol PR.AA-07 { require true }", 2, 9,
                 "PR.AA-07 is not a CSF 2.0 subcategory; did you mean PR.AA-01?");
    expect_error("a category is not a control", "package p\ncontrol GV.OC-99 { require true }", 2, 9,
                 "not a CSF 2.0 subcategory");
    expect_error("duplicate metadata", "package p\ncontrol PR.AA-01 { focus secure\n focus defend }", 3, 2,
                 "duplicate `focus` in control PR.AA-01 (first at line 2)");
    expect_error("priority outside focus", "package p\ncontrol PR.AA-01 { focus secure priority thwart 2 require true }",
                 2, 33, "priority given for thwart, which is not in this control's focus");
    expect_error("profile names an undefined control",
                 "package p\ncontrol PR.AA-01 { require true }\nprofile x \"X\" { PR.AA-01, PR.AA-02 }", 3, 27,
                 "profile x names PR.AA-02, but no control defines it");
    expect_error("non-constant param", "package p\nparam p = inventory.x\ncontrol PR.AA-01 { require true }", 2, 11,
                 "a param's default must be a constant");
    expect_error("duplicate member", "package p\nparam a = 1\ndef a(x) = x\ncontrol PR.AA-01 { require true }", 3, 5,
                 "a is already defined in package p");
    expect_error("let twice", "package p\ncontrol PR.AA-01 { let x = 1 let x = 2 require x == 2 }", 2, 34,
                 "`x` is already defined in this block");
    expect_error("missing package", "control PR.AA-01 { require true }", 1, 1, "missing `package` declaration");
    expect_error("calling a param", "package p\nparam n = 1\ncontrol PR.AA-01 { require n(1) }", 3, 28,
                 "`n` is a param, not a def");
    expect_error("duplicate map key", "package p\ncontrol PR.AA-01 { require {a: 1, a: 2} == {} }", 2, 35,
                 "key \"a\" appears twice in this map");
    expect_error("unknown stdlib module", "package p\nimport stdlib.nope\ncontrol PR.AA-01 { require true }", 2, 1,
                 "no stdlib module `stdlib.nope`");
    expect_error("unknown imported member", "package p\nimport stdlib.ai\ncontrol PR.AA-01 { require ai.is_prod({}) }",
                 3, 28, "`ai` has no def `is_prod`; did you mean `ai.is_production`?");
    expect_error("rebinding inventory", "package p\ncontrol PR.AA-01 { let inventory = 1 require true }", 2, 24,
                 "`inventory` names the facts and cannot be rebound");
    expect_error("duration in a list", "package p\nparam d = [1d]\ncontrol PR.AA-01 { require true }", 2, 12,
                 "durations cannot be list elements");
    expect_error("test block in a policy file", "package p\ntest \"x\" { now \"2026-01-01\" }", 2, 1,
                 "`test` blocks belong in files named *_test.aip");
}

/* The opcode names of function fi, in order. */
static void op_names(const bundle *b, uint32_t fi, char *out, size_t len)
{
    const bc_func *f = &b->funcs.v[fi];
    size_t o = 0;
    out[0] = '\0';
    for (uint32_t pc = f->start; pc < f->start + f->len; pc += bc_op_len((bc_op)BC_OP(b->code.v[pc])))
        o += (size_t)snprintf(out + o, len - o, "%s%s", o ? " " : "", bc_ops[BC_OP(b->code.v[pc])].name);
}

static void test_compiler_code_shapes(void **state)
{
    (void)state;
    static const struct {
        const char *label, *def, *ops;
    } cases[] = {
        {"and short-circuits", "def f(a, b) = a and b", "LOAD AND_SKIP LOAD AND RET"},
        {"or short-circuits", "def f(a, b) = a or b", "LOAD OR_SKIP LOAD OR RET"},
        {"?? skips the default", "def f(a, b) = a ?? b", "LOAD COALESCE LOAD RET"},
        {"precedence", "def f(a, b) = not a == b + 1 * 2", "LOAD LOAD CONST CONST MUL ADD EQ NOT RET"},
        {"paths", "def f(a, b) = a.x[b][\"k-1\"]", "LOAD FIELD LOAD INDEX CONST INDEX RET"},
        {"constant list folds", "def f(a, b) = a in [1, 2, \"x\"]", "LOAD CONST IN RET"},
        {"built list", "def f(a, b) = [a, b]", "LOAD LOAD MKLIST RET"},
        {"negative literal folds", "def f(a, b) = -3", "CONST RET"},
        {"interpolation", "def f(a, b) = \"{a}-{b}\"", "LOAD CONST LOAD CONCAT RET"},
        {"exists", "def f(a, b) = exists(a.x)", "LOAD FIELD EXISTS RET"},
        {"builtin", "def f(a, b) = len(a)", "LOAD NATIVE RET"},
        {"all", "def f(a, b) = all x in a: x", "CONST LOAD QITER ITER_NEXT LOAD ACC_ALL JUMP RET"},
        {"none", "def f(a, b) = none x in a: x", "CONST LOAD QITER ITER_NEXT LOAD ACC_ANY JUMP NOT RET"},
        {"count", "def f(a, b) = count(x in a where x)", "CONST LOAD QITER ITER_NEXT LOAD ACC_COUNT JUMP RET"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char src[512];
        snprintf(src, sizeof src, "package p\n%s\ncontrol PR.AA-01 { require f(1, 2) }\n", cases[i].def);
        bundle *b = compile_src("t.aip", src, 1, NULL);
        if (!b)
            fail_msg("%s: did not compile", cases[i].label);
        char ops[512];
        op_names(b, 0, ops, sizeof ops);
        if (strcmp(ops, cases[i].ops) != 0)
            fail_msg("%s: got \"%s\", expected \"%s\"", cases[i].label, ops, cases[i].ops);
        bundle_free(b);
    }
    /* a control: scope, where, require, finding */
    bundle *b = compile_src("t.aip",
                            "package p\ncontrol PR.AA-01 {\n for s in inventory.xs where s.on {\n"
                            "  require s.ok else \"{s.id}\"\n }\n}\n", 1, NULL);
    assert_non_null(b);
    char ops[512];
    op_names(b, 0, ops, sizeof ops);
    assert_string_equal(ops, "FACTS FIELD SCOPE SCOPE_NEXT LOAD FIELD WHERE LOAD FIELD REQUIRE LOAD FIELD "
                             "CONCAT FINDING JUMP END");
    assert_int_equal(b->sites.n, 3);
    assert_string_equal(b->strs.v[b->sites.v[0].text], "inventory.xs");
    assert_string_equal(b->strs.v[b->sites.v[1].text], "s.on");
    assert_string_equal(b->strs.v[b->sites.v[2].text], "s.ok");
    assert_int_equal(b->sites.v[2].line, 4);
    assert_int_equal(b->sites.v[2].col, 11);
    assert_int_equal(b->funcs.v[0].max_stack, 3);
    bundle_free(b);
}

static const char *POLICY =
    "package p\nuses manifest ai-inventory/v1alpha1\nimport stdlib.ai\n"
    "param days = 90\nparam names = [\"a\", {k: [1, 2.5, null, true]}]\n"
    "def old(d) = days_since(d) > days\n"
    "control PR.AA-01 { title \"T\" focus secure, thwart priority secure 1, thwart 3 enforce advisory\n"
    "  evidence \"e1\", \"e2\" maps sp800_53 \"IA-5\"\n"
    "  for s in inventory.ai_systems where ai.is_production(s) { require not old(s[\"x-reviewed\"]) }\n}\n"
    "control GV.OC-01 { attest within 365d }\n"
    "profile basics \"Basics\" { GV.OC-01, PR.AA-01 }\n";

static void test_compiler_deterministic_and_round_trip(void **state)
{
    (void)state;
    bundle *a = compile_src("t.aip", POLICY, 1, NULL), *b = compile_src("t.aip", POLICY, 1, NULL);
    assert_non_null(a);
    assert_non_null(b);
    size_t la, lb;
    unsigned char *ba = bundle_serialize(a, &la), *bb = bundle_serialize(b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(ba, bb, la);
    /* read back, write again: the same bytes */
    aip_error err;
    bundle *r = bundle_read(ba, la, "t.aipc", NULL, &err);
    assert_non_null(r);
    size_t lr;
    unsigned char *br = bundle_serialize(r, &lr);
    assert_int_equal(lr, la);
    assert_memory_equal(br, ba, la);
    assert_string_equal(r->sha256_hex, a->sha256_hex);
    /* what the tables say */
    assert_true(r->controls.n > 2);   /* two controls, then the manifest rules `uses` brought in */
    for (uint32_t i = 2; i < r->controls.n; i++)
        assert_int_equal(r->controls.v[i].kind, BC_CTRL_RULE);
    assert_string_equal(r->strs.v[r->controls.v[2].id], "required");
    assert_string_equal(r->strs.v[r->controls.v[0].id], "GV.OC-01");   /* CSF order, not source order */
    assert_int_equal(r->controls.v[0].has_attest, 1);
    const bc_control *c = &r->controls.v[1];
    assert_string_equal(r->strs.v[c->title], "T");
    assert_int_equal(c->focus, 1 | 4);
    assert_int_equal(c->priority[0], 1);
    assert_int_equal(c->priority[2], 3);
    assert_int_equal(c->enforce, 1);
    assert_int_equal(c->nevidence, 2);
    assert_int_equal(c->nmaps, 1);
    assert_string_equal(r->strs.v[r->controls.v[0].title],
                        "The organizational mission is understood and informs cybersecurity risk management");
    assert_int_equal(r->params.n, 2);
    assert_int_equal(r->params.v[1].kind, VAL_LIST);
    assert_string_equal(bundle_meta(r, "uses"), "ai-inventory/v1alpha1");
    assert_non_null(strstr(bundle_meta(r, "source"), "t.aip sha256:"));
    assert_int_equal(r->profiles.n, 1);
    free(ba);
    free(bb);
    free(br);
    bundle_free(a);
    bundle_free(b);
    bundle_free(r);
}

/* Chains that are deep without growing the parser's stack are rejected
 * before any recursive pass, never a stack overflow. */
static void test_compiler_deep_nesting(void **state)
{
    (void)state;
    {
        char lit[256];
        memset(lit, '[', 65);
        lit[65] = '1';
        memset(lit + 66, ']', 65);
        lit[131] = '\0';
        char src[512];
        snprintf(src, sizeof src, "package p\nparam deep = %s\ncontrol PR.AA-01 { require deep == [] }\n", lit);
        diag_list d;
        assert_null(compile_src("t.aip", src, 0, &d));
        assert_non_null(strstr(d.items[0].msg, "lists and maps nest at most 64 deep"));
        diag_free(&d);
    }
    static const char *const ops[] = {" or ", " + ", " and "};
    for (size_t k = 0; k < 3; k++) {
        size_t terms = 200000, len = 64 + terms * 10;
        char *src = malloc(len);
        size_t o = (size_t)snprintf(src, len, "package p\ncontrol PR.AA-01 { require ");
        for (size_t i = 0; i < terms; i++)
            o += (size_t)snprintf(src + o, len - o, "%s%s", i ? ops[k] : "", k == 1 ? "1" : "true");
        snprintf(src + o, len - o, "%s }\n", k == 1 ? " > 0" : "");
        diag_list d;
        bundle *b = compile_src("t.aip", src, 0, &d);
        assert_null(b);
        assert_int_equal(d.errors, 1);
        assert_non_null(strstr(d.items[0].msg, "nested more than 256 levels deep"));
        diag_free(&d);
        free(src);
    }
    /* 256 levels are fine */
    char src[4096];
    size_t o = (size_t)snprintf(src, sizeof src, "package p\ncontrol PR.AA-01 { require ");
    for (int i = 0; i < 250; i++)
        o += (size_t)snprintf(src + o, sizeof src - o, "%s1", i ? "+" : "");
    snprintf(src + o, sizeof src - o, " > 0 }\n");
    bundle *b = compile_src("t.aip", src, 1, NULL);
    assert_non_null(b);
    bundle_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compiler_rejects),
        cmocka_unit_test(test_compiler_code_shapes),
        cmocka_unit_test(test_compiler_deterministic_and_round_trip),
        cmocka_unit_test(test_compiler_deep_nesting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
