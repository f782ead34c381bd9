/* runtime/verify.c - the bytecode verifier: nothing runs before it passes.
 *
 * A bundle is untrusted input. After runtime/bundle.c has checked that every
 * section is within bounds and every string index is in range, this file
 * proves the invariants the VM relies on, so the VM's dispatch loop needs no
 * bounds checks of its own beyond value kinds:
 *
 *   1. Functions: code ranges inside CODE, non-empty; nparams <= nlocals <=
 *      BC_MAX_LOCALS; max_stack <= BC_MAX_STACK; kind DEF or CONTROL.
 *   2. Instructions: a known opcode; a two-word instruction fits in its
 *      function; A is 0 for operand kind NONE and J.
 *   3. Operands: constant, param, local, site, function and native indices in
 *      range; FIELD names a string constant, ATTEST a duration constant; CALL
 *      targets a DEF; NATIVE's argc equals the native's declared argc.
 *   4. Jumps land on an instruction boundary inside the same function.
 *   5. Stack: the depth before every instruction is the same on every path
 *      into it (join points agree), never negative, never above max_stack;
 *      ops that reach below their operands (QITER, ACC_*) have the depth
 *      they need.
 *   6. Control flow cannot fall off the end of a function: the last
 *      instruction is RET, END or JUMP; RET appears only in a DEF with depth
 *      1, END only in a CONTROL with depth 0.
 *   7. Calls: the call graph of defs has no cycle (no recursion), so call
 *      depth is bounded by the number of functions.
 *   8. Tables: controls point at CONTROL functions, with focus <= 7,
 *      priorities 0..3 and enforce 0..1; params point at constants of their
 *      declared kind; profiles name defined control ids; natives resolve to a
 *      builtin of this runtime with an accepted arity; the line table's pcs
 *      are inside CODE.
 *   9. Debug entries (EXPR, optional): each lies in one CONTROL function,
 *      start < end, start on an instruction boundary of that function and end
 *      on one or at the function's end; kind known; parent BC_NO_EXPR or an
 *      earlier entry whose range contains this one's; nesting at most
 *      BC_MAX_EXPR_DEPTH. (runtime/explain.c still never trusts that `end` is
 *      reached with a value on the stack: it checks the depth.)
 *
 * The VM still checks value kinds (an iterator where one is expected, a
 * string for FIELD) because those depend on data, and enforces the step,
 * stack and memory budgets. tests/unit/test_verify.c mutates bundles byte by
 * byte to hold this file to its word.
 */
#include "runtime/bundle.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/builtins.h"

typedef struct vctx {
    bundle *b;
    const char *name;
    aip_error *err;
} vctx;

static int vfail(vctx *v, uint32_t pc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int vfail(vctx *v, uint32_t pc, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return aip_fail(v->err, v->name, 0, 0, "invalid bundle: code word %u: %s", pc, msg);
}

static int tfail(vctx *v, const char *what, uint32_t i)
{
    return aip_fail(v->err, v->name, 0, 0, "invalid bundle: %s %u", what, i);
}

/* Check one instruction's operand (invariant 3). */
static int check_operand(vctx *v, const bc_func *f, uint32_t pc, uint32_t w)
{
    const bundle *b = v->b;
    bc_op op = (bc_op)BC_OP(w);
    uint32_t a = BC_A(w);
    switch (bc_ops[op].opnd) {
    case BC_OPND_NONE:
    case BC_OPND_J:
        if (a != 0)
            return vfail(v, pc, "operand must be zero");
        break;
    case BC_OPND_K:
        if (a >= b->consts.n)
            return vfail(v, pc, "constant index out of range");
        if (op == OP_FIELD && b->consts.v[a].tag != BC_K_STR)
            return vfail(v, pc, "FIELD needs a string constant");
        break;
    case BC_OPND_P:
        if (a >= b->params.n)
            return vfail(v, pc, "param index out of range");
        break;
    case BC_OPND_L:
    case BC_OPND_L_J:
        if (a >= f->nlocals)
            return vfail(v, pc, "local slot out of range");
        break;
    case BC_OPND_N:
        if (a > BC_MAX_STACK)
            return vfail(v, pc, "count too large");
        break;
    case BC_OPND_F:
        if (a >= b->funcs.n || b->funcs.v[a].kind != BC_FUNC_DEF)
            return vfail(v, pc, "CALL target is not a def");
        break;
    case BC_OPND_NAT: {
        uint32_t idx = a & 0xFFFFu, argc = a >> 16;
        if (idx >= b->natives.n || argc != b->natives.v[idx].argc)
            return vfail(v, pc, "NATIVE index or argument count invalid");
        break;
    }
    case BC_OPND_SITE:
    case BC_OPND_SITE_J:
        if (a >= b->sites.n)
            return vfail(v, pc, "site index out of range");
        break;
    }
    return 0;
}

/* Words popped on fall-through for op with operand a. */
static int fall_pop(const bundle *b, bc_op op, uint32_t a)
{
    switch (op) {
    case OP_MKLIST: case OP_CONCAT: return (int)a;
    case OP_MKMAP: return (int)(2 * a);
    case OP_CALL: return b->funcs.v[a].nparams;
    case OP_NATIVE: return (int)(a >> 16);
    default: return bc_ops[op].pop;
    }
}

/* Depth an op needs before it runs (beyond what it pops). */
static int min_depth(bc_op op, int pop)
{
    switch (op) {
    case OP_QITER: return 2;                       /* acc, collection */
    case OP_ACC_ALL: case OP_ACC_ANY: case OP_ACC_COUNT: return 3; /* acc, iter, cond */
    case OP_AND_SKIP: case OP_OR_SKIP: case OP_COALESCE:
    case OP_SCOPE_NEXT: case OP_ITER_NEXT: case OP_REQUIRE: return 1;
    default: return pop;
    }
}

/* Verify one function (invariants 2-6); *max_seen gets the deepest stack. */
static int verify_func(vctx *v, uint32_t fi, uint32_t *max_seen)
{
    bundle *b = v->b;
    const bc_func *f = &b->funcs.v[fi];
    uint32_t start = f->start, end = f->start + f->len;
    uint32_t n = f->len;
    /* boundaries: 1 = instruction starts here */
    unsigned char *starts = aip_xcalloc(n, 1);
    int32_t *depth = aip_xmalloc(sizeof(int32_t) * n);
    uint32_t *work = aip_xmalloc(sizeof(uint32_t) * (n + 1));
    int rc = -1;
    uint32_t last = start;
    for (uint32_t pc = start; pc < end;) {
        uint32_t w = b->code.v[pc];
        if (BC_OP(w) >= BC_NUM_OPS) {
            vfail(v, pc, "unknown opcode");
            goto out;
        }
        bc_op op = (bc_op)BC_OP(w);
        unsigned len = bc_op_len(op);
        if (len > end - pc) {
            vfail(v, pc, "instruction runs past the end of its function");
            goto out;
        }
        if (check_operand(v, f, pc, w) != 0)
            goto out;
        if (op == OP_RET && f->kind != BC_FUNC_DEF) {
            vfail(v, pc, "RET outside a def");
            goto out;
        }
        if ((op == OP_END || op == OP_SCOPE || op == OP_SCOPE_NEXT || op == OP_WHERE ||
             op == OP_REQUIRE || op == OP_FINDING || op == OP_ATTEST) && f->kind != BC_FUNC_CONTROL) {
            vfail(v, pc, "%s outside a control", bc_ops[op].name);
            goto out;
        }
        starts[pc - start] = 1;
        last = pc;
        pc += len;
    }
    {
        bc_op lop = (bc_op)BC_OP(b->code.v[last]);
        if (lop != OP_RET && lop != OP_END && lop != OP_JUMP) {
            vfail(v, last, "code can fall off the end of its function");
            goto out;
        }
    }
    /* jump targets */
    for (uint32_t pc = start; pc < end; pc += bc_op_len((bc_op)BC_OP(b->code.v[pc]))) {
        bc_op op = (bc_op)BC_OP(b->code.v[pc]);
        if (bc_op_len(op) == 2) {
            int64_t t = (int64_t)pc + 2 + (int32_t)b->code.v[pc + 1];
            if (t < start || t >= end || !starts[t - start]) {
                vfail(v, pc, "jump target is not an instruction of this function");
                goto out;
            }
        }
    }
    /* stack depths by a worklist over the control-flow graph */
    for (uint32_t i = 0; i < n; i++)
        depth[i] = -1;
    uint32_t nw = 0;
    *max_seen = 0;
    depth[0] = 0;
    work[nw++] = start;
    while (nw) {
        uint32_t pc = work[--nw];
        uint32_t w = b->code.v[pc];
        bc_op op = (bc_op)BC_OP(w);
        uint32_t a = BC_A(w);
        int d = depth[pc - start];
        int pop = fall_pop(b, op, a);
        if (d < min_depth(op, pop) || d < pop) {
            vfail(v, pc, "stack underflow");
            goto out;
        }
        if (op == OP_RET && d != 1) {
            vfail(v, pc, "RET with a stack depth other than 1");
            goto out;
        }
        if (op == OP_END && d != 0) {
            vfail(v, pc, "END with a non-empty stack");
            goto out;
        }
        struct { uint32_t to; int d; } succ[2];
        int ns = 0;
        unsigned len = bc_op_len(op);
        if (op != OP_RET && op != OP_END && op != OP_JUMP) {
            succ[ns].to = pc + len;
            succ[ns++].d = d - pop + bc_ops[op].push;
        }
        if (len == 2) {
            succ[ns].to = (uint32_t)((int64_t)pc + 2 + (int32_t)b->code.v[pc + 1]);
            succ[ns++].d = d - bc_ops[op].bpop + bc_ops[op].bpush;
        }
        for (int s = 0; s < ns; s++) {
            if (succ[s].d < 0) {
                vfail(v, pc, "stack underflow");
                goto out;
            }
            if ((uint32_t)succ[s].d > f->max_stack) {
                vfail(v, pc, "stack deeper than the function's declared maximum");
                goto out;
            }
            if (succ[s].to >= end) {   /* falls off: excluded above, kept for safety */
                vfail(v, pc, "code can fall off the end of its function");
                goto out;
            }
            if ((uint32_t)succ[s].d > *max_seen)
                *max_seen = (uint32_t)succ[s].d;
            int32_t *slot = &depth[succ[s].to - start];
            if (*slot < 0) {
                *slot = succ[s].d;
                work[nw++] = succ[s].to;
            } else if (*slot != succ[s].d) {
                vfail(v, succ[s].to, "paths reach this instruction with different stack depths");
                goto out;
            }
        }
    }
    rc = 0;
out:
    free(starts);
    free(depth);
    free(work);
    return rc;
}

/* Invariant 7: no cycle among defs, by an iterative depth-first search. */
static int verify_no_recursion(vctx *v)
{
    bundle *b = v->b;
    uint32_t n = b->funcs.n;
    unsigned char *color = aip_xcalloc(n ? n : 1, 1);   /* 0 new, 1 on stack, 2 done */
    uint32_t *stack_f = aip_xmalloc(sizeof(uint32_t) * (n + 1));
    uint32_t *stack_pc = aip_xmalloc(sizeof(uint32_t) * (n + 1));
    int rc = 0;
    for (uint32_t root = 0; root < n && rc == 0; root++) {
        if (color[root])
            continue;
        uint32_t sp = 0;
        stack_f[sp] = root;
        stack_pc[sp++] = b->funcs.v[root].start;
        color[root] = 1;
        while (sp && rc == 0) {
            uint32_t fi = stack_f[sp - 1];
            const bc_func *f = &b->funcs.v[fi];
            uint32_t pc = stack_pc[sp - 1];
            if (pc >= f->start + f->len) {
                color[fi] = 2;
                sp--;
                continue;
            }
            uint32_t w = b->code.v[pc];
            stack_pc[sp - 1] = pc + bc_op_len((bc_op)BC_OP(w));
            if (BC_OP(w) == OP_CALL) {
                uint32_t t = BC_A(w);
                if (color[t] == 1) {
                    rc = aip_fail(v->err, v->name, 0, 0,
                                  "invalid bundle: function %s calls itself (recursion)",
                                  b->strs.v[b->funcs.v[t].name]);
                } else if (color[t] == 0) {
                    color[t] = 1;
                    stack_f[sp] = t;
                    stack_pc[sp++] = b->funcs.v[t].start;
                }
            }
        }
    }
    free(color);
    free(stack_f);
    free(stack_pc);
    return rc;
}

/* Invariant 9: debug entries. Runs after every function has been verified,
 * so each function's instructions can be walked by length. */
static int verify_exprs(vctx *v)
{
    bundle *b = v->b;
    if (!b->exprs.n)
        return 0;
    uint32_t n = b->code.n;
    uint32_t *owner = aip_xmalloc(sizeof(uint32_t) * (n + 1));   /* function + 1, 0 none */
    unsigned char *bound = aip_xcalloc(n + 1, 1);
    uint8_t *depth = aip_xmalloc(b->exprs.n);
    for (uint32_t pc = 0; pc <= n; pc++)
        owner[pc] = 0;
    for (uint32_t fi = 0; fi < b->funcs.n; fi++) {
        const bc_func *f = &b->funcs.v[fi];
        for (uint32_t pc = f->start; pc < f->start + f->len; pc += bc_op_len((bc_op)BC_OP(b->code.v[pc]))) {
            if (owner[pc] == 0) {
                owner[pc] = fi + 1;
                bound[pc] = 1;
            }
        }
    }
    int rc = 0;
    for (uint32_t i = 0; i < b->exprs.n && rc == 0; i++) {
        const bc_expr *x = &b->exprs.v[i];
        const bc_func *f = x->start < n && owner[x->start] ? &b->funcs.v[owner[x->start] - 1] : NULL;
        uint32_t fend = f ? f->start + f->len : 0;
        if (!f || f->kind != BC_FUNC_CONTROL || !bound[x->start] || x->end <= x->start || x->end > fend ||
            (x->end < fend && (owner[x->end] != owner[x->start] || !bound[x->end]))) {
            rc = tfail(v, "debug entry (code range)", i);
            break;
        }
        depth[i] = 1;
        if (x->parent != BC_NO_EXPR) {
            const bc_expr *p = x->parent < i ? &b->exprs.v[x->parent] : NULL;
            if (!p || p->start > x->start || p->end < x->end || depth[x->parent] >= BC_MAX_EXPR_DEPTH) {
                rc = tfail(v, "debug entry (parent)", i);
                break;
            }
            depth[i] = (uint8_t)(depth[x->parent] + 1);
        }
    }
    free(owner);
    free(bound);
    free(depth);
    return rc;
}

int bundle_verify(bundle *b, const char *name, aip_error *err)
{
    vctx v = {b, name, err};
    /* invariant 1 */
    for (uint32_t i = 0; i < b->funcs.n; i++) {
        const bc_func *f = &b->funcs.v[i];
        if (f->kind > BC_FUNC_CONTROL || f->len == 0 || f->start > b->code.n ||
            f->len > b->code.n - f->start || f->nparams > f->nlocals ||
            f->nlocals > BC_MAX_LOCALS || f->max_stack > BC_MAX_STACK ||
            (f->kind == BC_FUNC_CONTROL && f->nparams != 0))
            return tfail(&v, "function header", i);
    }
    for (uint32_t i = 0; i < b->funcs.n; i++) {
        uint32_t max_seen;
        if (verify_func(&v, i, &max_seen) != 0)
            return -1;
    }
    if (verify_no_recursion(&v) != 0)
        return -1;
    /* invariant 8 */
    for (uint32_t i = 0; i < b->controls.n; i++) {
        const bc_control *c = &b->controls.v[i];
        if (c->func >= b->funcs.n || b->funcs.v[c->func].kind != BC_FUNC_CONTROL ||
            c->focus > 7 || c->enforce > 1 || c->has_attest > 1 || c->kind > BC_CTRL_RULE ||
            c->priority[0] > 3 || c->priority[1] > 3 || c->priority[2] > 3)
            return tfail(&v, "control", i);
    }
    for (uint32_t i = 0; i < b->params.n; i++) {
        const bc_param *p = &b->params.v[i];
        if (p->def >= b->consts.n)
            return tfail(&v, "param default", i);
        static const uint8_t kind_of_tag[] = {
            [BC_K_NULL] = VAL_NULL, [BC_K_FALSE] = VAL_BOOL, [BC_K_TRUE] = VAL_BOOL,
            [BC_K_INT] = VAL_INT, [BC_K_DOUBLE] = VAL_DOUBLE, [BC_K_STR] = VAL_STR,
            [BC_K_DURATION] = VAL_DURATION, [BC_K_LIST] = VAL_LIST, [BC_K_MAP] = VAL_MAP};
        if (kind_of_tag[b->consts.v[p->def].tag] != p->kind)
            return tfail(&v, "param kind", i);
    }
    for (uint32_t i = 0; i < b->profiles.n; i++) {
        const bc_profile *p = &b->profiles.v[i];
        for (uint32_t k = 0; k < p->n; k++) {
            const char *id = b->strs.v[b->profile_refs.v[p->first + k]];
            uint32_t c = 0;
            while (c < b->controls.n && strcmp(b->strs.v[b->controls.v[c].id], id) != 0)
                c++;
            if (c == b->controls.n)
                return aip_fail(err, name, 0, 0, "invalid bundle: profile %s names %s, which no control defines",
                                b->strs.v[p->name], id);
        }
    }
    for (uint32_t i = 0; i < b->natives.n; i++) {
        bc_native *nv = &b->natives.v[i];
        int bi = builtin_lookup(b->strs.v[nv->name]);
        if (bi < 0)
            return aip_fail(err, name, 0, 0, "bundle calls builtin %s(), which this aip does not have",
                            b->strs.v[nv->name]);
        if (nv->argc < aip_builtins[bi].min_args || nv->argc > aip_builtins[bi].max_args)
            return aip_fail(err, name, 0, 0, "invalid bundle: builtin %s() called with %u arguments",
                            b->strs.v[nv->name], nv->argc);
        nv->builtin = bi;
    }
    for (uint32_t i = 0; i < b->lines.n; i++)
        if (b->lines.v[i].pc > b->code.n)
            return tfail(&v, "line table entry", i);
    return verify_exprs(&v);
}

int bundle_func_stack(bundle *b, uint32_t fi, uint32_t *max_depth, aip_error *err)
{
    vctx v = {b, "<compiler>", err};
    return verify_func(&v, fi, max_depth);
}
