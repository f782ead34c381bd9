/* tests/unit/test_verify.c - the bundle reader and verifier against damaged
 * and hand-crafted bundles: every single-byte change (three masks) and every
 * truncation of a bundle that uses every opcode the compiler emits is either
 * rejected with a message or runs to a verdict within the budgets. Run under
 * ASan+UBSan by `make SANITIZER=address,undefined test`. The checksum check is
 * switched off for the mutants, so the verifier is what stands. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "compile_src.h"
#include "runtime/builtins.h"
#include "runtime/explain.h"
#include "runtime/trace.h"
#include "runtime/vm.h"

static const char *POLICY =
    "package v\n"
    "param limit = 6\n"
    "param names = [\"a\", \"b\"]\n"
    "def twice(x) = x * 2 - 0 + 0\n"
    "def ok(s) = s.on ?? false\n"
    "control PR.AA-01 {\n"
    "  attest within 30d\n"
    "  for s in inventory.systems where ok(s) or s.id in names {\n"
    "    let n = len(s.items ?? [])\n"
    "    require twice(n) / 1 <= limit and -n < 1 and n >= 0 and n > -1 and n != 99 and n == n\n"
    "      else \"{s.id}: {n} items\"\n"
    "    require all i in s.items ?? []: i > 0\n"
    "    require any i in [1, 2]: i == 2\n"
    "    require none i in [1, 2]: i == 3\n"
    "    require count(i in s.items ?? [] where i > 1) < 10\n"
    "    require not exists(s.nothing) and {k: n}[\"k\"] == n and [n, 1][1] == 1\n"
    "    require inventory.systems[s.id].id == s.id\n"
    "  }\n"
    "}\n";

static const char *FACTS = "{\"systems\": [{\"id\": \"a\", \"on\": true, \"items\": [1, 2, 3]},"
                           " {\"id\": \"b\", \"items\": [0]}, {\"id\": \"c\"}],"
                           " \"attestations\": [{\"control\": \"PR.AA-01\", \"date\": \"2026-11-20\"}]}";

typedef struct fixture {
    unsigned char *bytes;
    size_t len;
    facts *f;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    bundle *b = compile_src("v.aip", POLICY, 1, NULL);
    if (!b)
        return -1;
    fx->bytes = bundle_serialize(b, &fx->len);
    bundle_free(b);
    fx->f = facts_new();
    aip_error err;
    if (facts_load_buffer(fx->f, "f.json", FACTS, strlen(FACTS), FACTS_JSON, &err) != 0)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    free(fx->bytes);
    facts_free(fx->f);
    free(fx);
    return 0;
}

/* Read (checksum off) and, if accepted, evaluate with small budgets. Returns
 * 1 accepted, 0 rejected (with a non-empty message). */
static int try_bundle(const fixture *fx, const unsigned char *buf, size_t len)
{
    aip_error err;
    err.msg[0] = '\0';
    bundle_read_opts opts = {1};
    bundle *b = bundle_read(buf, len, "m.aipc", &opts, &err);
    if (!b) {
        assert_true(err.msg[0] != '\0');
        return 0;
    }
    vm_options o;
    vm_options_default(&o);
    date_parse_days("2026-11-27", 10, &o.today);
    o.budget.max_steps = 20000;
    o.budget.max_memory = 1 << 20;
    o.because = 1;   /* a finding re-runs its block traced, reading the debug entries */
    eval_result *r = vm_eval(b, fx->f, &o, &err);
    eval_result_free(r);
    /* and explain: every block traced, the explanation written */
    if (b->controls.n) {
        arena mem;
        arena_init(&mem);
        trace *t = trace_new(b, fx->f, TRACE_EXPLAIN, &mem);
        o.because = 0;
        o.explain = t;
        o.only_control = b->strs.v[b->controls.v[0].id];
        r = vm_eval(b, fx->f, &o, &err);
        if (r && r->ncontrols) {
            FILE *sink = fopen("/dev/null", "w");
            assert_non_null(sink);
            explain_opts eo = {NULL, 1};
            (void)explain_write(sink, r, b, t, &eo);
            eo.json = 0;
            (void)explain_write(sink, r, b, t, &eo);
            fclose(sink);
        }
        eval_result_free(r);
        trace_free(t);
        arena_free(&mem);
    }
    bundle_free(b);
    return 1;
}

static void test_verify_original_runs(void **state)
{
    fixture *fx = *state;
    aip_error err;
    bundle *b = bundle_read(fx->bytes, fx->len, "v.aipc", NULL, &err);
    assert_non_null(b);
    vm_options o;
    vm_options_default(&o);
    date_parse_days("2026-11-27", 10, &o.today);
    eval_result *r = vm_eval(b, fx->f, &o, &err);
    assert_non_null(r);
    /* a: 3 items, fine; b: item 0 fails `all i > 0`; c: no items, fine */
    assert_int_equal(r->controls[0].verdict, VERDICT_FAIL);
    assert_int_equal(r->controls[0].nfindings, 1);
    assert_string_equal(r->controls[0].findings[0].subject, "b");
    eval_result_free(r);
    /* the debug entries are there (so the mutants damage them too) and explain the finding */
    assert_true(b->exprs.n > 20);
    o.because = 1;
    r = vm_eval(b, fx->f, &o, &err);
    assert_non_null(r);
    assert_int_equal(r->controls[0].findings[0].nbecause, 2);
    assert_string_equal(r->controls[0].findings[0].because[0].expr, "i");
    assert_string_equal(r->controls[0].findings[0].because[1].expr, "i > 0");
    eval_result_free(r);
    /* every opcode the compiler emits appears in this bundle */
    int seen[BC_NUM_OPS] = {0};
    for (uint32_t pc = 0; pc < b->code.n; pc += bc_op_len((bc_op)BC_OP(b->code.v[pc])))
        seen[BC_OP(b->code.v[pc])] = 1;
    for (int op = 0; op < BC_NUM_OPS; op++) {
        if (op == OP_NOP || op == OP_UNDEF || op == OP_POP)
            continue;   /* never emitted by the compiler */
        if (!seen[op])
            fail_msg("opcode %s is not covered by the test policy", bc_ops[op].name);
    }
    bundle_free(b);
}

static void test_verify_checksum_catches_any_byte(void **state)
{
    fixture *fx = *state;
    unsigned char *m = malloc(fx->len);
    size_t step = fx->len / 97 + 1;
    for (size_t i = 0; i < fx->len; i += step) {
        memcpy(m, fx->bytes, fx->len);
        m[i] ^= 0x01;
        aip_error err;
        bundle *b = bundle_read(m, fx->len, "m.aipc", NULL, &err);
        if (b)
            fail_msg("byte %zu changed but the bundle was accepted", i);
    }
    free(m);
}

static void test_verify_every_single_byte_mutant(void **state)
{
    fixture *fx = *state;
    static const unsigned char masks[] = {0x01, 0x80, 0xFF};
    unsigned char *m = malloc(fx->len);
    size_t accepted = 0, rejected = 0;
    for (size_t i = 0; i < fx->len; i++)
        for (size_t k = 0; k < sizeof masks; k++) {
            memcpy(m, fx->bytes, fx->len);
            m[i] ^= masks[k];
            if (try_bundle(fx, m, fx->len))
                accepted++;
            else
                rejected++;
        }
    free(m);
    print_message("%zu bytes: %zu mutants rejected, %zu ran to a verdict\n", fx->len, rejected, accepted);
    assert_true(rejected > 0);
    assert_int_equal(rejected + accepted, fx->len * 3);
}

static void test_verify_every_truncation(void **state)
{
    fixture *fx = *state;
    for (size_t n = 0; n < fx->len; n++) {
        unsigned char *m = malloc(n ? n : 1);
        memcpy(m, fx->bytes, n);
        if (try_bundle(fx, m, n))
            fail_msg("a bundle cut to %zu of %zu bytes was accepted", n, fx->len);
        free(m);
    }
}

/* Hand-made bundles that break one invariant each. */
static bundle *one_control(void (*body)(asm_ctx *), uint32_t max_stack)
{
    asm_ctx a = {bundle_new(), 0};
    asm_control(&a, "PR.AA-01", 2);
    body(&a);
    asm_end(&a);
    a.b->funcs.v[a.func].max_stack = max_stack;
    return a.b;
}

static void b_underflow(asm_ctx *a) { asm_op(a, OP_POP, 0); asm_op(a, OP_END, 0); }
static void b_fall_off(asm_ctx *a) { asm_op(a, OP_NOP, 0); }
static void b_bad_jump(asm_ctx *a) { asm_jop(a, OP_JUMP, 0, 100); }
static void b_mid_jump(asm_ctx *a)
{
    uint32_t j = asm_jop(a, OP_JUMP, 0, 0);
    asm_patch(a, j, j + 1);   /* into its own jump word */
}
static void b_bad_const(asm_ctx *a) { asm_op(a, OP_CONST, 999); asm_op(a, OP_POP, 0); asm_op(a, OP_END, 0); }
static void b_bad_local(asm_ctx *a) { asm_op(a, OP_LOAD, 7); asm_op(a, OP_POP, 0); asm_op(a, OP_END, 0); }
static void b_bad_opcode(asm_ctx *a) { BC_PUSH(a->b->code, 0xFFu); asm_op(a, OP_END, 0); }
static void b_end_nonempty(asm_ctx *a) { asm_op(a, OP_FACTS, 0); asm_op(a, OP_END, 0); }
static void b_join_mismatch(asm_ctx *a)
{
    asm_op(a, OP_FACTS, 0);
    uint32_t j = asm_jop(a, OP_COALESCE, 0, 0);   /* branch keeps 1, fall pops to 0 */
    asm_patch(a, j, a->b->code.n);
    asm_op(a, OP_END, 0);
}
static void b_deep(asm_ctx *a) { asm_op(a, OP_FACTS, 0); asm_op(a, OP_FACTS, 0); asm_op(a, OP_POP, 0); asm_op(a, OP_POP, 0); asm_op(a, OP_END, 0); }
static void b_ret_in_control(asm_ctx *a) { asm_op(a, OP_FACTS, 0); asm_op(a, OP_RET, 0); }
static void b_bad_site(asm_ctx *a) { asm_op(a, OP_FACTS, 0); asm_op(a, OP_SCOPE, 5); asm_op(a, OP_POP, 0); asm_op(a, OP_END, 0); }
static void b_nonzero_a(asm_ctx *a) { asm_op(a, OP_END, 3); }

static void test_verify_rejects_hand_made(void **state)
{
    (void)state;
    struct { const char *name; void (*body)(asm_ctx *); uint32_t max_stack; const char *msg; } cases[] = {
        {"underflow", b_underflow, 4, "stack underflow"},
        {"fall off", b_fall_off, 4, "fall off"},
        {"jump out", b_bad_jump, 4, "jump target"},
        {"jump into an operand", b_mid_jump, 4, "jump target"},
        {"constant index", b_bad_const, 4, "constant index"},
        {"local slot", b_bad_local, 4, "local slot"},
        {"opcode", b_bad_opcode, 4, "unknown opcode"},
        {"END with values", b_end_nonempty, 4, "non-empty stack"},
        {"join depths", b_join_mismatch, 4, "different stack depths"},
        {"declared stack", b_deep, 1, "declared maximum"},
        {"RET in a control", b_ret_in_control, 4, "RET outside a def"},
        {"site index", b_bad_site, 4, "site index"},
        {"operand of END", b_nonzero_a, 4, "operand must be zero"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        aip_error err;
        bundle *b = asm_finish(one_control(cases[i].body, cases[i].max_stack), &err);
        if (b)
            fail_msg("%s: accepted", cases[i].name);
        if (!strstr(err.msg, cases[i].msg))
            fail_msg("%s: message \"%s\" lacks \"%s\"", cases[i].name, err.msg, cases[i].msg);
    }
}

/* Debug entries that break invariant 9, one at a time, on the compiled
 * fixture policy. */
static void test_verify_rejects_bad_debug_entries(void **state)
{
    (void)state;
    bundle *b = compile_src("v.aip", POLICY, 1, NULL);
    assert_non_null(b);
    aip_error err;
    assert_int_equal(bundle_verify(b, "v", &err), 0);
    uint32_t n = b->exprs.n;
    assert_true(n > 2);
    /* an entry with a parent, and a def's start (not a control's) */
    uint32_t child = 0;
    while (child < n && b->exprs.v[child].parent == BC_NO_EXPR)
        child++;
    assert_true(child < n);
    uint32_t def_start = UINT32_MAX;
    for (uint32_t i = 0; i < b->funcs.n; i++)
        if (b->funcs.v[i].kind == BC_FUNC_DEF)
            def_start = b->funcs.v[i].start;
    assert_true(def_start != UINT32_MAX);
    struct { const char *name; uint32_t field; uint32_t value; uint32_t entry; } cases[] = {
        {"start past the code", 0, 0xFFFFFF00u, 0},
        {"end before start", 1, 0, 0},
        {"end past the code", 1, 0xFFFFFF00u, 0},
        {"in a def", 0, 0, 0},       /* value set below */
        {"start inside an instruction", 0, 0, 0},
        {"parent later", 2, 0, 0},
    };
    cases[3].value = def_start;
    /* a word that is the jump operand of a two-word instruction */
    uint32_t mid = UINT32_MAX;
    for (uint32_t pc = b->funcs.v[b->controls.v[0].func].start; pc < b->code.n; pc += bc_op_len((bc_op)BC_OP(b->code.v[pc])))
        if (bc_op_len((bc_op)BC_OP(b->code.v[pc])) == 2) {
            mid = pc + 1;
            break;
        }
    assert_true(mid != UINT32_MAX);
    cases[4].value = mid;
    cases[5].entry = child;
    cases[5].value = n - 1 > child ? n - 1 : child;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bc_expr *x = &b->exprs.v[cases[i].entry];
        bc_expr keep = *x;
        if (cases[i].field == 0)
            x->start = cases[i].value;
        else if (cases[i].field == 1)
            x->end = cases[i].value;
        else
            x->parent = cases[i].value;
        if (bundle_verify(b, "v", &err) == 0)
            fail_msg("%s: accepted", cases[i].name);
        if (!strstr(err.msg, "debug entry"))
            fail_msg("%s: message \"%s\"", cases[i].name, err.msg);
        *x = keep;
    }
    assert_int_equal(bundle_verify(b, "v", &err), 0);
    /* a parent whose range does not contain its child's */
    {
        bc_expr *x = &b->exprs.v[child];
        bc_expr keep = *x;
        x->end = b->exprs.v[x->parent].end + 2;
        x->end = x->end <= b->funcs.v[b->controls.v[0].func].start + b->funcs.v[b->controls.v[0].func].len
                     ? x->end : keep.end;
        assert_int_not_equal(bundle_verify(b, "v", &err), 0);
        assert_non_null(strstr(err.msg, "debug entry"));
        *x = keep;
    }
    assert_int_equal(bundle_verify(b, "v", &err), 0);
    /* too deep: a chain of BC_MAX_EXPR_DEPTH + 1 entries over one range */
    bc_expr base = b->exprs.v[0];
    b->exprs.n = 0;
    for (uint32_t i = 0; i <= BC_MAX_EXPR_DEPTH; i++) {
        bc_expr x = base;
        x.parent = i ? i - 1 : BC_NO_EXPR;
        BC_PUSH(b->exprs, x);
    }
    assert_int_not_equal(bundle_verify(b, "v", &err), 0);
    assert_non_null(strstr(err.msg, "debug entry (parent)"));
    b->exprs.n--;
    assert_int_equal(bundle_verify(b, "v", &err), 0);
    bundle_free(b);
}

/* A def that calls itself, hand-made (the compiler would refuse it). */
static void test_verify_rejects_recursion(void **state)
{
    (void)state;
    asm_ctx a = {bundle_new(), 0};
    bc_func f = {0};
    f.kind = BC_FUNC_DEF;
    f.nparams = 0;
    f.nlocals = 0;
    f.max_stack = 2;
    f.start = 0;
    f.name = bundle_str(a.b, "loop", 4);
    BC_PUSH(a.b->funcs, f);
    asm_op(&a, OP_CALL, 0);
    asm_op(&a, OP_RET, 0);
    a.b->funcs.v[0].len = a.b->code.n;
    aip_error err;
    assert_null(asm_finish(a.b, &err));
    assert_non_null(strstr(err.msg, "recursion"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verify_original_runs),
        cmocka_unit_test(test_verify_checksum_catches_any_byte),
        cmocka_unit_test(test_verify_every_single_byte_mutant),
        cmocka_unit_test(test_verify_every_truncation),
        cmocka_unit_test(test_verify_rejects_hand_made),
        cmocka_unit_test(test_verify_rejects_recursion),
        cmocka_unit_test(test_verify_rejects_bad_debug_entries),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
