/* lang/ast.c - AST node constructors, names for messages, a debug dump, and
 * lang_parse, the front end's entry point (see lang/ast.h).
 *
 * The grammar lives in lang/parser.y and the scanner in lang/lexer.l; this
 * file only allocates nodes (always in the caller's arena) and drives one
 * parse. It does not check names or types: that is the compiler's job.
 */
#include "lang/ast.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/parse_int.h"

/* ---- constructors ---------------------------------------------------------- */

void *ast_xalloc(arena *mem, size_t n)
{
    void *p = arena_zalloc(mem, n ? n : 1);
    if (!p) {
        fputs("aip: internal error: out of memory\n", stderr);
        exit(3);
    }
    return p;
}

char *ast_strndup(arena *mem, const char *s, size_t len)
{
    char *p = ast_xalloc(mem, len + 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

ast *ast_new(arena *mem, ast_kind kind, uint32_t start, uint32_t end)
{
    ast *n = ast_xalloc(mem, sizeof *n);
    n->kind = kind;
    n->start = start;
    n->end = end;
    return n;
}

ast *ast_new_binary(arena *mem, ast_op op, ast *left, ast *right)
{
    ast *n = ast_new(mem, AST_BINARY, left->start, right->end);
    n->u.binary.op = op;
    n->u.binary.left = left;
    n->u.binary.right = right;
    return n;
}

ast *ast_new_unary(arena *mem, ast_op op, ast *operand, uint32_t start)
{
    ast *n = ast_new(mem, AST_UNARY, start, operand->end);
    n->u.unary.op = op;
    n->u.unary.operand = operand;
    return n;
}

void *ast_grow(arena *mem, void *items, uint32_t n, size_t elem)
{
    /* capacity is 4 for n < 4, else the next power of two >= n */
    if (n != 0 && (n < 4 || (n & (n - 1)) != 0))
        return items;
    size_t cap = n < 4 ? 4 : (size_t)n * 2;
    void *p = ast_xalloc(mem, cap * elem);
    if (n)
        memcpy(p, items, (size_t)n * elem);
    return p;
}

void ast_list_push(arena *mem, ast_list *l, ast *item)
{
    if (!item)
        return;
    l->items = ast_grow(mem, l->items, l->n, sizeof *l->items);
    l->items[l->n++] = item;
}

/* ---- names ------------------------------------------------------------------ */

const char *ast_kind_name(ast_kind k)
{
    switch (k) {
    case AST_NULL:        return "null";
    case AST_BOOL:        return "boolean";
    case AST_INT:         return "integer";
    case AST_DOUBLE:      return "number";
    case AST_DURATION:    return "duration";
    case AST_STRING:      return "string";
    case AST_LIST:        return "list";
    case AST_MAP:         return "map";
    case AST_NAME:        return "name";
    case AST_FIELD:       return "field";
    case AST_INDEX:       return "index";
    case AST_CALL:        return "call";
    case AST_UNARY:       return "unary operation";
    case AST_BINARY:      return "binary operation";
    case AST_QUANT:       return "quantifier";
    case AST_COUNT:       return "count";
    case AST_FOR:         return "for";
    case AST_LET:         return "let";
    case AST_REQUIRE:     return "require";
    case AST_ATTEST:      return "attest";
    case AST_META:        return "metadata";
    case AST_PACKAGE:     return "package";
    case AST_USES:        return "uses";
    case AST_IMPORT:      return "import";
    case AST_PARAM:       return "param";
    case AST_DEF:         return "def";
    case AST_CONTROL:     return "control";
    case AST_PROFILE:     return "profile";
    case AST_TEST:        return "test";
    case AST_TEST_NOW:    return "now";
    case AST_TEST_GIVEN:  return "given";
    case AST_TEST_PARAMS: return "params";
    case AST_TEST_EXPECT: return "expect";
    }
    return "?";
}

const char *ast_op_name(ast_op op)
{
    switch (op) {
    case OPX_ADD:      return "+";
    case OPX_SUB:      return "-";
    case OPX_MUL:      return "*";
    case OPX_DIV:      return "/";
    case OPX_EQ:       return "==";
    case OPX_NE:       return "!=";
    case OPX_LT:       return "<";
    case OPX_LE:       return "<=";
    case OPX_GT:       return ">";
    case OPX_GE:       return ">=";
    case OPX_AND:      return "and";
    case OPX_OR:       return "or";
    case OPX_COALESCE: return "??";
    case OPX_IN:       return "in";
    case OPX_NOT:      return "not";
    case OPX_NEG:      return "-";
    }
    return "?";
}

/* ---- dump --------------------------------------------------------------------- */

static void dump_text(FILE *out, const char *s, size_t len)
{
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c < 0x20)
            fprintf(out, "\\x%02x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void dump_cstr(FILE *out, const char *s)
{
    if (s)
        dump_text(out, s, strlen(s));
    else
        fputs("nil", out);
}

static void dump_list(FILE *out, const ast_list *l)
{
    for (uint32_t i = 0; i < l->n; i++) {
        fputc(' ', out);
        ast_dump(l->items[i], out);
    }
}

static void dump_meta(FILE *out, const ast *n)
{
    static const char *const focus[] = {"secure", "defend", "thwart"};
    switch (n->u.meta.kind) {
    case META_TITLE:
        fputs("(title ", out);
        dump_cstr(out, n->u.meta.text);
        break;
    case META_FOCUS:
        fputs("(focus", out);
        for (int i = 0; i < 3; i++)
            if (n->u.meta.focus & (1u << i))
                fprintf(out, " %s", focus[i]);
        break;
    case META_PRIORITY:
        fputs("(priority", out);
        for (int i = 0; i < 3; i++)
            if (n->u.meta.priority[i])
                fprintf(out, " %s %u", focus[i], n->u.meta.priority[i]);
        break;
    case META_ENFORCE:
        fprintf(out, "(enforce %s",
                n->u.meta.enforce == AST_ENFORCE_ADVISORY ? "advisory" : "mandatory");
        break;
    case META_EVIDENCE:
        fputs("(evidence", out);
        dump_list(out, &n->u.meta.strings);
        break;
    case META_MAPS:
        fputs("(maps", out);
        for (uint32_t i = 0; i < n->u.meta.maps.n; i++) {
            fprintf(out, " %s ", n->u.meta.maps.items[i].framework);
            dump_cstr(out, n->u.meta.maps.items[i].ref);
        }
        break;
    case META_HELP:
        fputs("(help ", out);
        if (n->u.meta.text)
            dump_cstr(out, n->u.meta.text);
        else
            fputs(n->u.meta.help_ref.name ? n->u.meta.help_ref.name : "?", out);
        break;
    }
    fputc(')', out);
}

void ast_dump(const ast *n, FILE *out)
{
    if (!n) {
        fputs("nil", out);
        return;
    }
    switch (n->kind) {
    case AST_NULL:
        fputs("null", out);
        break;
    case AST_BOOL:
        fputs(n->u.b ? "true" : "false", out);
        break;
    case AST_INT:
        fprintf(out, "%" PRId64, n->u.i);
        break;
    case AST_DOUBLE:
        fprintf(out, "%.17g", n->u.d);
        break;
    case AST_DURATION:
        fprintf(out, "(duration %" PRId64 ")", n->u.i);
        break;
    case AST_STRING:
        if (n->u.str.n == 1 && n->u.str.parts[0].text) {
            dump_text(out, n->u.str.parts[0].text, n->u.str.parts[0].len);
            break;
        }
        fputs("(str", out);
        for (uint32_t i = 0; i < n->u.str.n; i++) {
            fputc(' ', out);
            if (n->u.str.parts[i].text)
                dump_text(out, n->u.str.parts[i].text, n->u.str.parts[i].len);
            else
                ast_dump(n->u.str.parts[i].expr, out);
        }
        fputc(')', out);
        break;
    case AST_LIST:
        fputs("(list", out);
        dump_list(out, &n->u.list);
        fputc(')', out);
        break;
    case AST_MAP:
        fputs("(map", out);
        for (uint32_t i = 0; i < n->u.map.n; i++) {
            fputs(" (", out);
            dump_cstr(out, n->u.map.entries[i].key);
            fputc(' ', out);
            ast_dump(n->u.map.entries[i].value, out);
            fputc(')', out);
        }
        fputc(')', out);
        break;
    case AST_NAME:
        fputs(n->u.name, out);
        break;
    case AST_FIELD:
        fputs("(. ", out);
        ast_dump(n->u.field.obj, out);
        fprintf(out, " %s)", n->u.field.name);
        break;
    case AST_INDEX:
        fputs("([] ", out);
        ast_dump(n->u.index.obj, out);
        fputc(' ', out);
        ast_dump(n->u.index.key, out);
        fputc(')', out);
        break;
    case AST_CALL:
        fputs("(call ", out);
        ast_dump(n->u.call.callee, out);
        dump_list(out, &n->u.call.args);
        fputc(')', out);
        break;
    case AST_UNARY:
        fprintf(out, "(%s ", n->u.unary.op == OPX_NEG ? "neg" : ast_op_name(n->u.unary.op));
        ast_dump(n->u.unary.operand, out);
        fputc(')', out);
        break;
    case AST_BINARY:
        fprintf(out, "(%s ", ast_op_name(n->u.binary.op));
        ast_dump(n->u.binary.left, out);
        fputc(' ', out);
        ast_dump(n->u.binary.right, out);
        fputc(')', out);
        break;
    case AST_QUANT:
    case AST_COUNT: {
        static const char *const q[] = {"all", "any", "none", "count"};
        fprintf(out, "(%s %s ", q[n->u.quant.op], n->u.quant.var.name);
        ast_dump(n->u.quant.coll, out);
        if (n->u.quant.cond) {
            fputc(' ', out);
            ast_dump(n->u.quant.cond, out);
        }
        fputc(')', out);
        break;
    }
    case AST_FOR:
        fprintf(out, "(for %s ", n->u.forstmt.var.name);
        ast_dump(n->u.forstmt.coll, out);
        if (n->u.forstmt.where) {
            fputs(" (where ", out);
            ast_dump(n->u.forstmt.where, out);
            fputc(')', out);
        }
        dump_list(out, &n->u.forstmt.body);
        fputc(')', out);
        break;
    case AST_LET:
        fprintf(out, "(let %s ", n->u.let.var.name);
        ast_dump(n->u.let.value, out);
        fputc(')', out);
        break;
    case AST_REQUIRE:
        fputs("(require ", out);
        ast_dump(n->u.require.cond, out);
        if (n->u.require.message) {
            fputc(' ', out);
            ast_dump(n->u.require.message, out);
        }
        fputc(')', out);
        break;
    case AST_ATTEST:
        fputs("(attest ", out);
        ast_dump(n->u.attest.within, out);
        fputc(')', out);
        break;
    case AST_META:
        dump_meta(out, n);
        break;
    case AST_PACKAGE:
        fprintf(out, "(package %s)", n->u.package.name);
        break;
    case AST_USES:
        fputs("(uses ", out);
        dump_cstr(out, n->u.uses.format);
        fputc(')', out);
        break;
    case AST_IMPORT:
        if (n->u.import.module) {
            fprintf(out, "(import %s", n->u.import.module);
        } else {
            fputs("(import ", out);
            dump_cstr(out, n->u.import.path);
        }
        fprintf(out, " as %s)", n->u.import.alias.name);
        break;
    case AST_PARAM:
        fprintf(out, "(param %s ", n->u.param.name.name);
        ast_dump(n->u.param.value, out);
        fputc(')', out);
        break;
    case AST_DEF:
        fprintf(out, "(def %s (", n->u.def.name.name);
        for (uint32_t i = 0; i < n->u.def.nparams; i++)
            fprintf(out, "%s%s", i ? " " : "", n->u.def.params[i].name);
        fputs(") ", out);
        ast_dump(n->u.def.body, out);
        fputc(')', out);
        break;
    case AST_CONTROL:
        fprintf(out, "(control %s", n->u.control.id.name);
        dump_list(out, &n->u.control.items);
        fputc(')', out);
        break;
    case AST_PROFILE:
        fprintf(out, "(profile %s ", n->u.profile.name.name);
        dump_cstr(out, n->u.profile.title);
        for (uint32_t i = 0; i < n->u.profile.nids; i++)
            fprintf(out, " %s", n->u.profile.ids[i].name);
        fputc(')', out);
        break;
    case AST_TEST:
        fputs("(test ", out);
        dump_cstr(out, n->u.test.name);
        dump_list(out, &n->u.test.items);
        fputc(')', out);
        break;
    case AST_TEST_NOW:
        fputs("(now ", out);
        dump_cstr(out, n->u.test_now.date);
        fputc(')', out);
        break;
    case AST_TEST_GIVEN:
        fputs("(given ", out);
        if (n->u.test_given.path)
            dump_cstr(out, n->u.test_given.path);
        else
            ast_dump(n->u.test_given.facts, out);
        fputc(')', out);
        break;
    case AST_TEST_PARAMS:
        fputs("(params ", out);
        ast_dump(n->u.test_params.map, out);
        fputc(')', out);
        break;
    case AST_TEST_EXPECT:
        fprintf(out, "(expect %s %s", n->u.test_expect.id.name, n->u.test_expect.verdict);
        if (n->u.test_expect.findings >= 0)
            fprintf(out, " findings %" PRId64, n->u.test_expect.findings);
        fputc(')', out);
        break;
    }
}

/* ---- entry point ------------------------------------------------------------- */

/* Order diags->items[first..n) by position, stably: nested interpolation
 * parses report before the token that holds them. Items without a source
 * (the "too many errors" note) go last. */
static void ast_sort_diags(diag_list *diags, size_t first)
{
    for (size_t i = first + 1; i < diags->n; i++) {
        diag tmp = diags->items[i];
        uint64_t key = tmp.src ? tmp.start : UINT64_MAX;
        size_t j = i;
        while (j > first) {
            const diag *p = &diags->items[j - 1];
            uint64_t pk = p->src ? p->start : UINT64_MAX;
            if (pk <= key)
                break;
            diags->items[j] = diags->items[j - 1];
            j--;
        }
        diags->items[j] = tmp;
    }
}

ast_file *lang_parse(const src_file *src, arena *mem, diag_list *diags)
{
    ast_file *f = ast_xalloc(mem, sizeof *f);
    size_t first = diags->n;
    f->src = src;
    if (src->len > (size_t)INT32_MAX - 2) {
        diag_add(diags, DIAG_ERROR, src, 0, 0, "file is too large to parse (%zu bytes)",
                 src->len);
        return f;
    }
    parse_run(src, mem, diags, PARSE_MODE_FILE, 0, (uint32_t)src->len, 0, &f->decls, NULL);
    ast_sort_diags(diags, first);
    return f;
}
