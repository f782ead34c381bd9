/* runtime/bytecode.c - the opcode table, expanded from runtime/opcodes.def. */
#include "runtime/bytecode.h"

const bc_opinfo bc_ops[BC_NUM_OPS] = {
#define OP(name, opnd, pop, push, bpop, bpush, doc) \
    {#name, BC_OPND_##opnd, pop, push, bpop, bpush, doc},
#include "runtime/opcodes.def"
};
