/* compiler/disasm.c - `aip disasm`: a bundle printed for people.
 *
 * Prints the header facts, constants, params, natives, every function with
 * one instruction per line (pc, opcode, operand with what it refers to, jump
 * target) and the policy line where it changes, then controls and profiles.
 * Works on any bundle that passed the verifier.
 */
#include "compiler/compile.h"

#include <inttypes.h>
#include <string.h>

/* Print string s quoted, escaping what a terminal should not see raw. */
static void put_quoted(FILE *out, const char *s, uint32_t len)
{
    fputc('"', out);
    for (uint32_t i = 0; i < len && i < 80; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", out);
        else if (ch < 0x20 || ch == 0x7f)
            fprintf(out, "\\x%02x", ch);
        else
            fputc(ch, out);
    }
    if (len > 80)
        fputs("...", out);
    fputc('"', out);
}

static void put_const(FILE *out, const bundle *b, uint32_t i, int depth)
{
    const bc_const *k = &b->consts.v[i];
    switch (k->tag) {
    case BC_K_NULL: fputs("null", out); break;
    case BC_K_FALSE: fputs("false", out); break;
    case BC_K_TRUE: fputs("true", out); break;
    case BC_K_INT: fprintf(out, "%" PRId64, k->u.i); break;
    case BC_K_DOUBLE: fprintf(out, "%.17g", k->u.d); break;
    case BC_K_DURATION: fprintf(out, "%" PRId64 "s", k->u.i); break;
    case BC_K_STR: put_quoted(out, b->strs.v[k->u.str], b->str_lens.v[k->u.str]); break;
    case BC_K_LIST:
    case BC_K_MAP: {
        int is_map = k->tag == BC_K_MAP;
        fputc(is_map ? '{' : '[', out);
        if (depth > 3) {
            fputs("...", out);
        } else {
            for (uint32_t j = 0; j < k->u.agg.n; j++) {
                if (j)
                    fputs(", ", out);
                if (j >= 8) {
                    fputs("...", out);
                    break;
                }
                if (is_map) {
                    uint32_t key = b->agg_refs.v[k->u.agg.first + 2 * j];
                    put_quoted(out, b->strs.v[key], b->str_lens.v[key]);
                    fputs(": ", out);
                    put_const(out, b, b->agg_refs.v[k->u.agg.first + 2 * j + 1], depth + 1);
                } else {
                    put_const(out, b, b->agg_refs.v[k->u.agg.first + j], depth + 1);
                }
            }
        }
        fputc(is_map ? '}' : ']', out);
        break;
    }
    default: fputs("?", out); break;
    }
}

static void put_instr(FILE *out, const bundle *b, uint32_t pc)
{
    uint32_t w = b->code.v[pc];
    bc_op op = (bc_op)BC_OP(w);
    uint32_t a = BC_A(w);
    fprintf(out, "  %5u  %-11s", pc, bc_ops[op].name);
    switch (bc_ops[op].opnd) {
    case BC_OPND_NONE: case BC_OPND_J: break;
    case BC_OPND_K:
        fprintf(out, " K%-5u ; ", a);
        put_const(out, b, a, 0);
        break;
    case BC_OPND_P:
        fprintf(out, " P%-5u ; %s", a, b->strs.v[b->params.v[a].name]);
        break;
    case BC_OPND_L: case BC_OPND_L_J:
        fprintf(out, " L%u", a);
        break;
    case BC_OPND_N:
        fprintf(out, " %u", a);
        break;
    case BC_OPND_F:
        fprintf(out, " F%-5u ; %s", a, b->strs.v[b->funcs.v[a].name]);
        break;
    case BC_OPND_NAT:
        fprintf(out, " N%-5u ; %s/%u", a & 0xFFFFu, b->strs.v[b->natives.v[a & 0xFFFFu].name], a >> 16);
        break;
    case BC_OPND_SITE: case BC_OPND_SITE_J:
        fprintf(out, " S%u", a);
        break;
    }
    if (bc_op_len(op) == 2)
        fprintf(out, " -> %u", (uint32_t)((int64_t)pc + 2 + (int32_t)b->code.v[pc + 1]));
    if (bc_ops[op].opnd == BC_OPND_SITE || bc_ops[op].opnd == BC_OPND_SITE_J)
        fprintf(out, " ; `%s`", b->strs.v[b->sites.v[a].text]);
    fputc('\n', out);
}

void bundle_disasm(const bundle *b, FILE *out)
{
    fprintf(out, "bundle sha256:%s\n", b->sha256_hex);
    fprintf(out, "format %u; %u strings, %u constants, %u functions, %u code words\n",
            BC_VERSION, b->strs.n, b->consts.n, b->funcs.n, b->code.n);
    for (uint32_t i = 0; i < b->meta.n; i++)
        fprintf(out, "meta %s = %s\n", b->strs.v[b->meta.v[i].key], b->strs.v[b->meta.v[i].value]);

    fputs("\nconstants:\n", out);
    for (uint32_t i = 0; i < b->consts.n; i++) {
        fprintf(out, "  K%-5u ", i);
        put_const(out, b, i, 0);
        fputc('\n', out);
    }
    if (b->params.n) {
        fputs("\nparams:\n", out);
        for (uint32_t i = 0; i < b->params.n; i++) {
            const bc_param *p = &b->params.v[i];
            fprintf(out, "  P%-5u %s.%s : %s = ", i, b->strs.v[p->package], b->strs.v[p->name],
                    val_kind_name((val_kind)p->kind));
            put_const(out, b, p->def, 0);
            fputc('\n', out);
        }
    }
    if (b->natives.n) {
        fputs("\nbuiltins:\n", out);
        for (uint32_t i = 0; i < b->natives.n; i++)
            fprintf(out, "  N%-5u %s/%u\n", i, b->strs.v[b->natives.v[i].name], b->natives.v[i].argc);
    }
    if (b->sites.n) {
        fputs("\nsites:\n", out);
        for (uint32_t i = 0; i < b->sites.n; i++) {
            const bc_site *s = &b->sites.v[i];
            static const char *const kinds[] = {"require", "scope", "where"};
            fprintf(out, "  S%-5u %-7s %s:%u:%u `%s`\n", i, kinds[s->kind], b->strs.v[s->file], s->line, s->col,
                    b->strs.v[s->text]);
        }
    }
    uint32_t li = 0;
    for (uint32_t fi = 0; fi < b->funcs.n; fi++) {
        const bc_func *f = &b->funcs.v[fi];
        fprintf(out, "\n%s %s (F%u): %u params, %u locals, stack %u, code %u..%u\n",
                f->kind == BC_FUNC_DEF ? "def" : "control", b->strs.v[f->name], fi, f->nparams, f->nlocals,
                f->max_stack, f->start, f->start + f->len);
        for (uint32_t pc = f->start; pc < f->start + f->len; pc += bc_op_len((bc_op)BC_OP(b->code.v[pc]))) {
            while (li < b->lines.n && b->lines.v[li].pc <= pc) {
                if (b->lines.v[li].pc == pc || li + 1 == b->lines.n || b->lines.v[li + 1].pc > pc)
                    fprintf(out, "         ; %s:%u\n", b->strs.v[b->lines.v[li].file], b->lines.v[li].line);
                li++;
            }
            put_instr(out, b, pc);
        }
    }
    if (b->controls.n) {
        fputs("\ncontrols:\n", out);
        static const char *const focus[] = {"secure", "defend", "thwart"};
        for (uint32_t i = 0; i < b->controls.n; i++) {
            const bc_control *c = &b->controls.v[i];
            fprintf(out, "  %s%s %s F%u %s:%u", c->kind == BC_CTRL_RULE ? "rule " : "", b->strs.v[c->id],
                    c->enforce ? "advisory" : "mandatory", c->func, b->strs.v[c->file], c->line);
            for (int k = 0; k < 3; k++)
                if (c->focus & (1 << k)) {
                    fprintf(out, " %s", focus[k]);
                    if (c->priority[k])
                        fprintf(out, "(%u)", c->priority[k]);
                }
            fprintf(out, "\n      \"%s\"\n", b->strs.v[c->title]);
        }
    }
    if (b->profiles.n) {
        fputs("\nprofiles:\n", out);
        for (uint32_t i = 0; i < b->profiles.n; i++) {
            const bc_profile *p = &b->profiles.v[i];
            fprintf(out, "  %s \"%s\":", b->strs.v[p->name], b->strs.v[p->title]);
            for (uint32_t k = 0; k < p->n; k++)
                fprintf(out, " %s", b->strs.v[b->profile_refs.v[p->first + k]]);
            fputc('\n', out);
        }
    }
}
