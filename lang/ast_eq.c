/* lang/ast_eq.c - structural equality of two ASTs, ignoring locations.
 *
 * One case per node kind of lang/ast.h; a kind added there without a case
 * here compares unequal (the default), which makes `aip fmt` refuse rather
 * than pass a difference it cannot see. The walk is recursive with a depth
 * bound (AST_EQ_MAX_DEPTH).
 */
#include <string.h>

#include "lang/ast_eq.h"

static int eq_node(const ast *a, const ast *b, unsigned depth);

static int eq_str(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static int eq_ident(const ast_ident *a, const ast_ident *b)
{
    return eq_str(a->name, b->name);
}

static int eq_list(const ast_list *a, const ast_list *b, unsigned depth)
{
    if (a->n != b->n)
        return 0;
    for (uint32_t i = 0; i < a->n; i++)
        if (!eq_node(a->items[i], b->items[i], depth))
            return 0;
    return 1;
}

static int eq_idents(const ast_ident *a, uint32_t na, const ast_ident *b, uint32_t nb)
{
    if (na != nb)
        return 0;
    for (uint32_t i = 0; i < na; i++)
        if (!eq_ident(&a[i], &b[i]))
            return 0;
    return 1;
}

static int eq_meta(const ast *a, const ast *b, unsigned depth)
{
    if (a->u.meta.kind != b->u.meta.kind)
        return 0;
    switch (a->u.meta.kind) {
    case META_TITLE:
        return eq_str(a->u.meta.text, b->u.meta.text);
    case META_FOCUS:
        return a->u.meta.focus == b->u.meta.focus;
    case META_PRIORITY:
        return memcmp(a->u.meta.priority, b->u.meta.priority, sizeof a->u.meta.priority) == 0;
    case META_ENFORCE:
        return a->u.meta.enforce == b->u.meta.enforce;
    case META_EVIDENCE:
        return eq_list(&a->u.meta.strings, &b->u.meta.strings, depth);
    case META_MAPS:
        if (a->u.meta.maps.n != b->u.meta.maps.n)
            return 0;
        for (uint32_t i = 0; i < a->u.meta.maps.n; i++)
            if (!eq_str(a->u.meta.maps.items[i].framework, b->u.meta.maps.items[i].framework) ||
                !eq_str(a->u.meta.maps.items[i].ref, b->u.meta.maps.items[i].ref))
                return 0;
        return 1;
    case META_HELP:
        return eq_str(a->u.meta.text, b->u.meta.text) &&
               eq_ident(&a->u.meta.help_ref, &b->u.meta.help_ref);
    }
    return 0;
}

static int eq_node(const ast *a, const ast *b, unsigned depth)
{
    if (!a || !b)
        return a == b;
    if (a->kind != b->kind || ++depth > AST_EQ_MAX_DEPTH)
        return 0;
    switch (a->kind) {
    case AST_NULL:
        return 1;
    case AST_BOOL:
        return a->u.b == b->u.b;
    case AST_INT:
    case AST_DURATION:
        return a->u.i == b->u.i;
    case AST_DOUBLE:
        /* bitwise on purpose: -0.0 and 0.0 are different literals */
        return memcmp(&a->u.d, &b->u.d, sizeof a->u.d) == 0; /* NOLINT(bugprone-suspicious-memory-comparison,cert-exp42-c,cert-flp37-c) */
    case AST_STRING:
        if (a->u.str.n != b->u.str.n)
            return 0;
        for (uint32_t i = 0; i < a->u.str.n; i++) {
            const ast_str_part *p = &a->u.str.parts[i], *q = &b->u.str.parts[i];
            if ((p->text == NULL) != (q->text == NULL))
                return 0;
            if (p->text && (p->len != q->len || memcmp(p->text, q->text, p->len) != 0))
                return 0;
            if (!p->text && !eq_node(p->expr, q->expr, depth))
                return 0;
        }
        return 1;
    case AST_LIST:
        return eq_list(&a->u.list, &b->u.list, depth);
    case AST_MAP:
        if (a->u.map.n != b->u.map.n)
            return 0;
        for (uint32_t i = 0; i < a->u.map.n; i++)
            if (!eq_str(a->u.map.entries[i].key, b->u.map.entries[i].key) ||
                !eq_node(a->u.map.entries[i].value, b->u.map.entries[i].value, depth))
                return 0;
        return 1;
    case AST_NAME:
        return eq_str(a->u.name, b->u.name);
    case AST_FIELD:
        return eq_str(a->u.field.name, b->u.field.name) &&
               eq_node(a->u.field.obj, b->u.field.obj, depth);
    case AST_INDEX:
        return eq_node(a->u.index.obj, b->u.index.obj, depth) &&
               eq_node(a->u.index.key, b->u.index.key, depth);
    case AST_CALL:
        return eq_node(a->u.call.callee, b->u.call.callee, depth) &&
               eq_list(&a->u.call.args, &b->u.call.args, depth);
    case AST_UNARY:
        return a->u.unary.op == b->u.unary.op &&
               eq_node(a->u.unary.operand, b->u.unary.operand, depth);
    case AST_BINARY:
        return a->u.binary.op == b->u.binary.op &&
               eq_node(a->u.binary.left, b->u.binary.left, depth) &&
               eq_node(a->u.binary.right, b->u.binary.right, depth);
    case AST_QUANT:
    case AST_COUNT:
        return a->u.quant.op == b->u.quant.op && eq_ident(&a->u.quant.var, &b->u.quant.var) &&
               eq_node(a->u.quant.coll, b->u.quant.coll, depth) &&
               eq_node(a->u.quant.cond, b->u.quant.cond, depth);
    case AST_FOR:
        return eq_ident(&a->u.forstmt.var, &b->u.forstmt.var) &&
               eq_node(a->u.forstmt.coll, b->u.forstmt.coll, depth) &&
               eq_node(a->u.forstmt.where, b->u.forstmt.where, depth) &&
               eq_list(&a->u.forstmt.body, &b->u.forstmt.body, depth);
    case AST_LET:
        return eq_ident(&a->u.let.var, &b->u.let.var) &&
               eq_node(a->u.let.value, b->u.let.value, depth);
    case AST_REQUIRE:
        return eq_node(a->u.require.cond, b->u.require.cond, depth) &&
               eq_node(a->u.require.message, b->u.require.message, depth);
    case AST_ATTEST:
        return eq_node(a->u.attest.within, b->u.attest.within, depth);
    case AST_META:
        return eq_meta(a, b, depth);
    case AST_PACKAGE:
        return eq_str(a->u.package.name, b->u.package.name);
    case AST_USES:
        return eq_str(a->u.uses.format, b->u.uses.format);
    case AST_IMPORT:
        return eq_str(a->u.import.module, b->u.import.module) &&
               eq_str(a->u.import.path, b->u.import.path) &&
               eq_ident(&a->u.import.alias, &b->u.import.alias);
    case AST_PARAM:
        return eq_ident(&a->u.param.name, &b->u.param.name) &&
               eq_node(a->u.param.value, b->u.param.value, depth);
    case AST_DEF:
        return eq_ident(&a->u.def.name, &b->u.def.name) &&
               eq_idents(a->u.def.params, a->u.def.nparams, b->u.def.params, b->u.def.nparams) &&
               eq_node(a->u.def.body, b->u.def.body, depth);
    case AST_CONTROL:
        return a->u.control.is_rule == b->u.control.is_rule &&
               eq_ident(&a->u.control.id, &b->u.control.id) &&
               eq_list(&a->u.control.items, &b->u.control.items, depth);
    case AST_PROFILE:
        return eq_ident(&a->u.profile.name, &b->u.profile.name) &&
               eq_str(a->u.profile.title, b->u.profile.title) &&
               eq_idents(a->u.profile.ids, a->u.profile.nids, b->u.profile.ids, b->u.profile.nids);
    case AST_TEST:
        return eq_str(a->u.test.name, b->u.test.name) &&
               eq_list(&a->u.test.items, &b->u.test.items, depth);
    case AST_TEST_NOW:
        return eq_str(a->u.test_now.date, b->u.test_now.date);
    case AST_TEST_GIVEN:
        return eq_str(a->u.test_given.path, b->u.test_given.path) &&
               eq_node(a->u.test_given.facts, b->u.test_given.facts, depth);
    case AST_TEST_PARAMS:
        return eq_node(a->u.test_params.map, b->u.test_params.map, depth);
    case AST_TEST_EXPECT:
        return eq_ident(&a->u.test_expect.id, &b->u.test_expect.id) &&
               eq_str(a->u.test_expect.verdict, b->u.test_expect.verdict) &&
               a->u.test_expect.findings == b->u.test_expect.findings;
    }
    return 0;
}

int ast_equal(const ast *a, const ast *b)
{
    return eq_node(a, b, 0);
}

int ast_file_equal(const ast_file *a, const ast_file *b)
{
    return eq_list(&a->decls, &b->decls, 0);
}
