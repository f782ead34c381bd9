/* runtime/bytecode.h - the instruction encoding and the bundle's contract.
 *
 * Files that depend on this format: compiler/codegen.c (writes code),
 * compiler/bundle_write.c (serializes), runtime/bundle.c (reads),
 * runtime/verify.c (checks), runtime/vm.c (runs), compiler/disasm.c (prints).
 *
 * An instruction is one 32-bit word, or two when its operand kind has a jump:
 *
 *    31                          8 7        0
 *   +------------------------------+----------+
 *   |            A (24 bits)       |  opcode  |   word 1
 *   +------------------------------+----------+
 *   |      J: signed 32-bit jump offset       |   word 2 (A_J/L_J/SITE_J/J only)
 *   +-----------------------------------------+
 *
 * J is relative to the instruction after this one (word index). NATIVE packs
 * its A as (argc << 16) | native index.
 */
#ifndef AIP_RUNTIME_BYTECODE_H
#define AIP_RUNTIME_BYTECODE_H

#include <stdint.h>

/* Operand kinds: what A holds and whether a jump word follows. */
typedef enum bc_opnd {
    BC_OPND_NONE,   /* A unused (must be 0) */
    BC_OPND_K,      /* A = constant index */
    BC_OPND_P,      /* A = param index */
    BC_OPND_L,      /* A = local slot */
    BC_OPND_N,      /* A = count */
    BC_OPND_F,      /* A = function index (a def) */
    BC_OPND_NAT,    /* A = argc << 16 | native index */
    BC_OPND_SITE,   /* A = site index */
    BC_OPND_J,      /* A unused; jump word follows */
    BC_OPND_L_J,    /* A = local slot; jump word follows */
    BC_OPND_SITE_J  /* A = site index; jump word follows */
} bc_opnd;

typedef enum bc_op {
#define OP(name, opnd, pop, push, bpop, bpush, doc) OP_##name,
#include "runtime/opcodes.def"
    BC_NUM_OPS
} bc_op;

typedef struct bc_opinfo {
    const char *name;   /* "CONST" */
    bc_opnd opnd;
    int pop, push;      /* fall-through effect; pop -1 = from operand */
    int bpop, bpush;    /* branch effect; -1 = never branches */
    const char *doc;    /* the formula */
} bc_opinfo;

extern const bc_opinfo bc_ops[BC_NUM_OPS];

#define BC_OP(w)      ((unsigned)((w) & 0xFFu))
#define BC_A(w)       ((uint32_t)(w) >> 8)
#define BC_WORD(op, a) ((uint32_t)(op) | ((uint32_t)(a) << 8))
#define BC_A_MAX      0xFFFFFFu

/* 1 or 2 words. */
static inline unsigned bc_op_len(bc_op op)
{
    bc_opnd k = bc_ops[op].opnd;
    return (k == BC_OPND_J || k == BC_OPND_L_J || k == BC_OPND_SITE_J) ? 2u : 1u;
}

/* Bundle file layout (all integers little-endian):
 *   "AIPC" | u16 version | u16 flags (0) | u32 section count
 *   section*: 4-byte tag | u32 payload length | payload
 * The last section is "SHA2": 32 bytes, SHA-256 of every byte before that
 * section's tag. Readers skip sections they do not know. */
#define BC_MAGIC        "AIPC"
#define BC_VERSION      1u

/* Constant tags in the CNST section. */
typedef enum bc_const_tag {
    BC_K_NULL = 0, BC_K_FALSE = 1, BC_K_TRUE = 2, BC_K_INT = 3, BC_K_DOUBLE = 4,
    BC_K_STR = 5, BC_K_DURATION = 6, BC_K_LIST = 7, BC_K_MAP = 8
} bc_const_tag;

/* Function kinds in the FUNC section. */
enum { BC_FUNC_DEF = 0, BC_FUNC_CONTROL = 1 };
/* Control kinds in the CTRL section. */
enum { BC_CTRL_CONTROL = 0, BC_CTRL_RULE = 1 };
/* Site kinds in the SITE section. */
enum { BC_SITE_REQUIRE = 0, BC_SITE_SCOPE = 1, BC_SITE_WHERE = 2 };
/* Expression kinds in the EXPR (debug) section: how `aip explain` and the
 * "because" of a finding read a traced sub-expression (runtime/explain.c). */
typedef enum bc_expr_kind {
    BC_X_VALUE = 0,    /* a name, path, literal or anything shown as just its value */
    BC_X_CALL = 1,     /* builtin or def call: its arguments decide */
    BC_X_NOT = 2,
    BC_X_AND = 3,
    BC_X_OR = 4,
    BC_X_COALESCE = 5,
    BC_X_COMPARE = 6,  /* == != < <= > >= in */
    BC_X_ARITH = 7,    /* + - * / and unary - */
    BC_X_ALL = 8,
    BC_X_ANY = 9,
    BC_X_NONE = 10,
    BC_X_COUNT = 11,
    BC_X_KIND_MAX = BC_X_COUNT
} bc_expr_kind;
#define BC_NO_EXPR 0xFFFFFFFFu   /* parent of a top-level expression */

/* Limits the compiler respects and the verifier enforces. */
#define BC_MAX_LOCALS   255u
#define BC_MAX_ARGS     32u
#define BC_MAX_STACK    4096u
/* Lists and maps built by policies (constants or MKLIST/MKMAP) nest at most
 * this many levels ([[1]] is two), so recursive equality and display stay
 * bounded. An fnode's depth field counts the levels below it. */
#define BC_MAX_NEST     64u
/* EXPR entries nest at most this many levels (a top-level one is level 1);
 * the compiler gives deeper sub-expressions no entry of their own. */
#define BC_MAX_EXPR_DEPTH 64u

#endif
