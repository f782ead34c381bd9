/* tests/unit/asm.h - a tiny assembler for hand-made bundles in unit tests:
 * one control (or def) at a time, code words pushed in order, then a
 * serialize/read round trip so every test bundle passes through the reader
 * and the verifier like a real one. Header-only (static) for test files. */
#ifndef AIP_TESTS_ASM_H
#define AIP_TESTS_ASM_H

#include <string.h>

#include "compiler/compile.h"
#include "runtime/bundle.h"

typedef struct asm_ctx {
    bundle *b;
    uint32_t func;
} asm_ctx;

static inline uint32_t asm_k_str(bundle *b, const char *s)
{
    bc_const k = {0};
    k.tag = BC_K_STR;
    k.u.str = bundle_str(b, s, strlen(s));
    BC_PUSH(b->consts, k);
    return b->consts.n - 1;
}

static inline uint32_t asm_k(bundle *b, uint8_t tag, int64_t i)
{
    bc_const k = {0};
    k.tag = tag;
    k.u.i = i;
    BC_PUSH(b->consts, k);
    return b->consts.n - 1;
}

static inline uint32_t asm_site(bundle *b, const char *text)
{
    bc_site s = {BC_SITE_REQUIRE, bundle_str(b, "t.aip", 5), 3, 5, bundle_str(b, text, strlen(text))};
    BC_PUSH(b->sites, s);
    return b->sites.n - 1;
}

/* Start a control function named id with nlocals slots. */
static inline void asm_control(asm_ctx *a, const char *id, uint16_t nlocals)
{
    bc_func f = {0};
    f.kind = BC_FUNC_CONTROL;
    f.nlocals = nlocals;
    f.max_stack = 64;
    f.start = a->b->code.n;
    f.name = bundle_str(a->b, id, strlen(id));
    BC_PUSH(a->b->funcs, f);
    a->func = a->b->funcs.n - 1;
    bc_control c = {0};
    c.id = f.name;
    c.title = bundle_str(a->b, "title", 5);
    c.focus = 1;
    c.file = bundle_str(a->b, "t.aip", 5);
    c.line = 1;
    c.col = 1;
    c.func = a->func;
    c.package = bundle_str(a->b, "t", 1);
    c.help = c.title;
    BC_PUSH(a->b->controls, c);
}

static inline uint32_t asm_op(asm_ctx *a, bc_op op, uint32_t arg)
{
    uint32_t pc = a->b->code.n;
    BC_PUSH(a->b->code, BC_WORD(op, arg));
    return pc;
}

/* A two-word op jumping to absolute target (patchable later with asm_patch). */
static inline uint32_t asm_jop(asm_ctx *a, bc_op op, uint32_t arg, uint32_t target)
{
    uint32_t pc = a->b->code.n;
    BC_PUSH(a->b->code, BC_WORD(op, arg));
    BC_PUSH(a->b->code, (uint32_t)(int32_t)((int64_t)target - ((int64_t)pc + 2)));
    return pc;
}

static inline void asm_patch(asm_ctx *a, uint32_t pc, uint32_t target)
{
    a->b->code.v[pc + 1] = (uint32_t)(int32_t)((int64_t)target - ((int64_t)pc + 2));
}

static inline void asm_end(asm_ctx *a)
{
    bc_func *f = &a->b->funcs.v[a->func];
    f->len = a->b->code.n - f->start;
}

/* Serialize and read back (verifying). NULL with err on rejection. */
static inline bundle *asm_finish(bundle *b, aip_error *err)
{
    size_t len;
    unsigned char *bytes = bundle_serialize(b, &len);
    bundle *r = bundle_read(bytes, len, "test.aipc", NULL, err);
    free(bytes);
    bundle_free(b);
    return r;
}

#endif
