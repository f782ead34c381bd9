/* compiler/codegen.c - name resolution and code generation: AST to bytecode.
 *
 * One pass per function (a def or a control block). Names resolve, innermost
 * first, to: a local (let, for, quantifier variable, def parameter), the
 * facts root `inventory`, a member (param or def) of the file's package, an
 * imported package member (`alias.name`), or a builtin (calls only).
 * Unknown names get a "did you mean" suggestion.
 *
 * The code shapes (see runtime/opcodes.def for each op):
 *   a and b      <a> AND_SKIP L <b> AND L:
 *   a ?? b       <a> COALESCE L <b> L:
 *   all x in xs: c   CONST true <xs> QITER L0: ITER_NEXT x, L1 <c> ACC_ALL L1 JUMP L0 L1:
 *   for x in xs where w { body }
 *                <xs> SCOPE s L0: SCOPE_NEXT x, L1 <w> WHERE s, L0 <body> JUMP L0 L1:
 *   require c else m <c> REQUIRE s, L <m> FINDING s L:
 *
 * Not here: the checks of control metadata, recursion and profiles (check.c).
 */
#include "compiler/compiler_int.h"

#include <stdlib.h>
#include <string.h>

#include "runtime/builtins.h"

typedef struct cg_local {
    const char *name;
    uint32_t slot;
} cg_local;

typedef struct cg {
    compiler *c;
    cunit *u;
    bundle *b;
    uint32_t func;          /* function being generated */
    int is_def;
    cg_local *locals;       /* visible names, innermost last */
    uint32_t nlive, cap;
    uint32_t nslots;        /* slots used (never reused) */
    uint32_t file_str;      /* bundle string: the unit's path */
    uint32_t last_line;
    int has_attest;
    uint32_t requires;      /* require statements generated */
    uint32_t cur_expr;      /* EXPR entry being generated, or BC_NO_EXPR */
    uint32_t expr_depth;    /* its nesting level (0 outside expressions) */
    int too_big;            /* reported "too large" once */
} cg;

/* ---- emission -------------------------------------------------------------------- */

static uint32_t here(cg *g)
{
    return g->b->code.n;
}

static void too_big(cg *g, const ast *n, const char *what)
{
    if (!g->too_big)
        CERR(g->c, g->u, n, "%s", what);
    g->too_big = 1;
}

/* Emit op with operand a; returns its pc. A jump word (0) follows for ops
 * that have one: patch it with patch_jump. */
static uint32_t emit(cg *g, bc_op op, uint32_t a)
{
    uint32_t pc = here(g);
    if (a > BC_A_MAX)
        a = 0;   /* reported by the caller through too_big */
    BC_PUSH(g->b->code, BC_WORD(op, a));
    if (bc_op_len(op) == 2)
        BC_PUSH(g->b->code, 0u);
    return pc;
}

/* Make the jump of the instruction at pc land on target. */
static void patch_jump(cg *g, uint32_t pc, uint32_t target)
{
    int64_t off = (int64_t)target - ((int64_t)pc + 2);
    g->b->code.v[pc + 1] = (uint32_t)(int32_t)off;
}

/* Record the source line of node n for the code that follows. */
static void mark(cg *g, const ast *n)
{
    unsigned line, col;
    src_pos(g->u->src, n->start, &line, &col);
    if (line == g->last_line)
        return;
    g->last_line = line;
    bc_line l = {here(g), g->file_str, line};
    if (g->b->lines.n && g->b->lines.v[g->b->lines.n - 1].pc == l.pc)
        g->b->lines.v[g->b->lines.n - 1] = l;
    else
        BC_PUSH(g->b->lines, l);
}

/* The source text of n with runs of white space folded to one space. */
static uint32_t node_text(cg *g, const ast *n)
{
    const char *t = g->u->src->text + n->start;
    size_t len = n->end > n->start ? n->end - n->start : 0;
    char *buf = aip_xmalloc(len + 1);
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = t[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            space = 1;
            continue;
        }
        if (space && o)
            buf[o++] = ' ';
        space = 0;
        buf[o++] = ch;
    }
    uint32_t s = bundle_str(g->b, buf, o);
    free(buf);
    return s;
}

static uint32_t new_site(cg *g, int kind, const ast *n)
{
    bc_site s;
    unsigned line, col;
    src_pos(g->u->src, n->start, &line, &col);
    s.kind = (uint8_t)kind;
    s.file = g->file_str;
    s.line = line;
    s.col = col;
    s.text = node_text(g, n);
    BC_PUSH(g->b->sites, s);
    return g->b->sites.n - 1;
}

/* ---- constants --------------------------------------------------------------------- */

uint32_t cg_const_str(compiler *c, const char *s, size_t len)
{
    bundle *b = c->b;
    uint32_t si = bundle_str(b, s, len);
    if (si >= c->str_const_cap) {
        uint32_t ncap = c->str_const_cap ? c->str_const_cap : 256;
        while (ncap <= si)
            ncap *= 2;
        c->str_const = aip_xrealloc(c->str_const, sizeof *c->str_const * ncap);
        memset(c->str_const + c->str_const_cap, 0, sizeof *c->str_const * (ncap - c->str_const_cap));
        c->str_const_cap = ncap;
    }
    if (!c->str_const[si]) {
        bc_const k = {0};
        k.tag = BC_K_STR;
        k.u.str = si;
        BC_PUSH(b->consts, k);
        c->str_const[si] = b->consts.n;
    }
    return c->str_const[si] - 1;
}

static uint32_t const_scalar(compiler *c, uint8_t tag, int64_t i, double d)
{
    bundle *b = c->b;
    for (uint32_t k = 0; k < b->consts.n; k++) {
        const bc_const *x = &b->consts.v[k];
        if (x->tag != tag)
            continue;
        if (tag == BC_K_NULL || tag == BC_K_TRUE || tag == BC_K_FALSE)
            return k;
        if ((tag == BC_K_INT || tag == BC_K_DURATION) && x->u.i == i)
            return k;
        /* bitwise on purpose: 0.0 and -0.0 are different constants */
        if (tag == BC_K_DOUBLE && memcmp(&x->u.d, &d, sizeof d) == 0) /* NOLINT(bugprone-suspicious-memory-comparison,cert-exp42-c,cert-flp37-c) */
            return k;
    }
    bc_const k = {0};
    k.tag = tag;
    if (tag == BC_K_DOUBLE)
        k.u.d = d;
    else
        k.u.i = i;
    BC_PUSH(b->consts, k);
    return b->consts.n - 1;
}

static int is_plain_string(const ast *e)
{
    return e->kind == AST_STRING && (e->u.str.n == 0 || (e->u.str.n == 1 && e->u.str.parts[0].text));
}

/* Levels of list/map literals in e (1 for [1, 2]). */
static unsigned literal_nest(const ast *e)
{
    unsigned d = 0;
    if (e->kind == AST_LIST)
        for (uint32_t i = 0; i < e->u.list.n; i++) {
            unsigned c = literal_nest(e->u.list.items[i]);
            d = c > d ? c : d;
        }
    else if (e->kind == AST_MAP)
        for (uint32_t i = 0; i < e->u.map.n; i++) {
            unsigned c = literal_nest(e->u.map.entries[i].value);
            d = c > d ? c : d;
        }
    else
        return 0;
    return d + 1;
}

int64_t cg_const_expr(compiler *c, cunit *u, const ast *e, int report)
{
    if ((e->kind == AST_LIST || e->kind == AST_MAP) && literal_nest(e) > BC_MAX_NEST) {
        if (report)
            CERR(c, u, e, "lists and maps nest at most %u deep", BC_MAX_NEST);
        return -1;
    }
    switch (e->kind) {
    case AST_NULL: return const_scalar(c, BC_K_NULL, 0, 0);
    case AST_BOOL: return const_scalar(c, e->u.b ? BC_K_TRUE : BC_K_FALSE, 0, 0);
    case AST_INT: return const_scalar(c, BC_K_INT, e->u.i, 0);
    case AST_DOUBLE: return const_scalar(c, BC_K_DOUBLE, 0, e->u.d);
    case AST_DURATION: return const_scalar(c, BC_K_DURATION, e->u.i, 0);
    case AST_STRING:
        if (!is_plain_string(e))
            break;
        return e->u.str.n ? cg_const_str(c, e->u.str.parts[0].text, e->u.str.parts[0].len)
                          : cg_const_str(c, "", 0);
    case AST_UNARY:
        if (e->u.unary.op == OPX_NEG) {
            const ast *o = e->u.unary.operand;
            if (o->kind == AST_INT && o->u.i != INT64_MIN)
                return const_scalar(c, BC_K_INT, -o->u.i, 0);
            if (o->kind == AST_DOUBLE)
                return const_scalar(c, BC_K_DOUBLE, 0, -o->u.d);
            if (o->kind == AST_DURATION)
                return const_scalar(c, BC_K_DURATION, -o->u.i, 0);
        }
        break;
    case AST_LIST: {
        uint32_t n = e->u.list.n;
        uint32_t *refs = aip_xmalloc(sizeof *refs * (n ? n : 1));
        for (uint32_t i = 0; i < n; i++) {
            const ast *it = e->u.list.items[i];
            if (it->kind == AST_DURATION) {
                if (report)
                    CERR(c, u, it, "durations cannot be list elements");
                free(refs);
                return -1;
            }
            int64_t k = cg_const_expr(c, u, it, report);
            if (k < 0) {
                free(refs);
                return -1;
            }
            refs[i] = (uint32_t)k;
        }
        bc_const k = {0};
        k.tag = BC_K_LIST;
        k.u.agg.first = c->b->agg_refs.n;
        k.u.agg.n = n;
        for (uint32_t i = 0; i < n; i++)
            BC_PUSH(c->b->agg_refs, refs[i]);
        free(refs);
        BC_PUSH(c->b->consts, k);
        return c->b->consts.n - 1;
    }
    case AST_MAP: {
        uint32_t n = e->u.map.n;
        uint32_t *refs = aip_xmalloc(sizeof *refs * (2 * n + 1));
        for (uint32_t i = 0; i < n; i++) {
            const ast_map_entry *me = &e->u.map.entries[i];
            for (uint32_t j = 0; j < i; j++)
                if (strcmp(e->u.map.entries[j].key, me->key) == 0) {
                    if (report)
                        CERR_AT(c, u, me->key_start, me->key_end, "key \"%s\" appears twice in this map", me->key);
                    free(refs);
                    return -1;
                }
            if (me->value->kind == AST_DURATION) {
                if (report)
                    CERR(c, u, me->value, "durations cannot be map values");
                free(refs);
                return -1;
            }
            int64_t k = cg_const_expr(c, u, me->value, report);
            if (k < 0) {
                free(refs);
                return -1;
            }
            refs[(size_t)2 * i] = bundle_str(c->b, me->key, strlen(me->key));
            refs[(size_t)2 * i + 1] = (uint32_t)k;
        }
        bc_const k = {0};
        k.tag = BC_K_MAP;
        k.u.agg.first = c->b->agg_refs.n;
        k.u.agg.n = n;
        for (uint32_t i = 0; i < 2 * n; i++)
            BC_PUSH(c->b->agg_refs, refs[i]);
        free(refs);
        BC_PUSH(c->b->consts, k);
        return c->b->consts.n - 1;
    }
    default:
        break;
    }
    if (report)
        CERR(c, u, e, "a param's default must be a constant: a literal, or a list or map of literals");
    return -1;
}

/* ---- names -------------------------------------------------------------------------- */

static cg_local *find_local(cg *g, const char *name)
{
    for (uint32_t i = g->nlive; i-- > 0;)
        if (strcmp(g->locals[i].name, name) == 0)
            return &g->locals[i];
    return NULL;
}

static cimport *find_import(cunit *u, const char *name)
{
    for (uint32_t i = 0; i < u->nimports; i++)
        if (strcmp(u->imports[i].alias, name) == 0)
            return &u->imports[i];
    return NULL;
}

/* Bind name to a new slot; returns the slot. */
static uint32_t bind(cg *g, const ast_ident *id)
{
    if (strcmp(id->name, "inventory") == 0)
        CERR_AT(g->c, g->u, id->start, id->end, "`inventory` names the facts and cannot be rebound");
    if (g->nslots >= BC_MAX_LOCALS) {
        if (!g->too_big)
            CERR_AT(g->c, g->u, id->start, id->end, "too many local names in one %s (at most %u)",
                    g->is_def ? "def" : "control", BC_MAX_LOCALS);
        g->too_big = 1;
        return 0;
    }
    if (find_local(g, id->name))
        CWARN_AT(g->c, g->u, id->start, id->end, "`%s` shadows a name bound outside this scope", id->name);
    else if (compiler_member(g->u->pkg, id->name))
        CWARN_AT(g->c, g->u, id->start, id->end, "`%s` shadows the package's %s of that name", id->name,
                 compiler_member(g->u->pkg, id->name)->kind == MEMBER_PARAM ? "param" : "def");
    if (g->nlive == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 16;
        g->locals = aip_xrealloc(g->locals, sizeof *g->locals * g->cap);
    }
    g->locals[g->nlive].name = id->name;
    g->locals[g->nlive].slot = g->nslots++;
    return g->locals[g->nlive++].slot;
}

/* Suggest the candidate nearest to name: within an edit distance that grows
 * with the name's length, or sharing a prefix of four or more characters. */
void suggest_consider(suggest *s, const char *cand)
{
    size_t n = strlen(s->name);
    unsigned cap = n < 4 ? 1 : n < 9 ? 2 : 3;
    unsigned d = diag_edit_distance(s->name, cand, cap);
    size_t m = strlen(cand);
    if (d > cap && n >= 4 && m >= 4 && strncmp(s->name, cand, n < m ? n : m) == 0)
        d = cap;   /* one is a prefix of the other: is_prod / is_production */
    if (d <= cap && d < s->dist) {
        s->dist = d;
        s->best = cand;
    }
}

static void suggest_names(cg *g, suggest *s, int calls)
{
    if (!calls) {
        for (uint32_t i = 0; i < g->nlive; i++)
            suggest_consider(s, g->locals[i].name);
        suggest_consider(s, "inventory");
    }
    cpkg *p = g->u->pkg;
    for (uint32_t i = 0; p && i < p->nmembers; i++)
        if ((p->members[i].kind == MEMBER_DEF) == (calls != 0))
            suggest_consider(s, p->members[i].name);
    if (calls) {
        for (int i = 0; aip_builtins[i].name; i++)
            suggest_consider(s, aip_builtins[i].name);
        suggest_consider(s, "exists");
    }
}

static void unknown_name(cg *g, const ast *n, const char *name, int calls)
{
    suggest s = {name, NULL, 99};
    suggest_names(g, &s, calls);
    if (s.best)
        CERR(g->c, g->u, n, "unknown %s `%s`; did you mean `%s`?", calls ? "function" : "name", name, s.best);
    else
        CERR(g->c, g->u, n, "unknown %s `%s`", calls ? "function" : "name", name);
}

static void unknown_member(cg *g, const ast *n, cpkg *p, const char *alias, const char *name, int calls)
{
    suggest s = {name, NULL, 99};
    for (uint32_t i = 0; p && i < p->nmembers; i++)
        if ((p->members[i].kind == MEMBER_DEF) == (calls != 0))
            suggest_consider(&s, p->members[i].name);
    if (s.best)
        CERR(g->c, g->u, n, "`%s` has no %s `%s`; did you mean `%s.%s`?", alias, calls ? "def" : "param",
             name, alias, s.best);
    else
        CERR(g->c, g->u, n, "`%s` has no %s `%s`", alias, calls ? "def" : "param", name);
}

/* ---- expressions ---------------------------------------------------------------------- */

static void cg_expr(cg *g, const ast *e);

static void cg_member_value(cg *g, const ast *e, cmember *m, const char *shown)
{
    if (m->kind == MEMBER_DEF) {
        CERR(g->c, g->u, e, "`%s` is a def: call it with arguments, %s(...)", shown, shown);
        emit(g, OP_UNDEF, 0);
    } else {
        emit(g, OP_PARAM, m->index == UINT32_MAX ? 0 : m->index);
    }
}

static void cg_name(cg *g, const ast *e)
{
    const char *name = e->u.name;
    cg_local *l = find_local(g, name);
    if (l) {
        emit(g, OP_LOAD, l->slot);
        return;
    }
    if (strcmp(name, "inventory") == 0) {
        emit(g, OP_FACTS, 0);
        return;
    }
    cmember *m = compiler_member(g->u->pkg, name);
    if (m) {
        m->used = 1;
        cg_member_value(g, e, m, name);
        return;
    }
    if (find_import(g->u, name)) {
        CERR(g->c, g->u, e, "`%s` is an imported package: use `%s.name`", name, name);
        emit(g, OP_UNDEF, 0);
        return;
    }
    unknown_name(g, e, name, 0);
    emit(g, OP_UNDEF, 0);
}

/* Is e `alias.name` for an import alias not shadowed by a local? */
static cimport *alias_of(cg *g, const ast *e)
{
    if (e->kind != AST_FIELD || e->u.field.obj->kind != AST_NAME)
        return NULL;
    const char *base = e->u.field.obj->u.name;
    if (find_local(g, base))
        return NULL;
    return find_import(g->u, base);
}

static uint32_t native_index(cg *g, const char *name, unsigned argc)
{
    bundle *b = g->b;
    uint32_t ni = bundle_str(b, name, strlen(name));
    for (uint32_t i = 0; i < b->natives.n; i++)
        if (b->natives.v[i].name == ni && b->natives.v[i].argc == argc)
            return i;
    bc_native nv = {ni, (uint8_t)argc, -1};
    BC_PUSH(b->natives, nv);
    return b->natives.n - 1;
}

static void cg_call_def(cg *g, const ast *e, cmember *m, const char *shown)
{
    const ast_list *args = &e->u.call.args;
    m->used = 1;
    if (m->kind != MEMBER_DEF) {
        CERR(g->c, g->u, e, "`%s` is a param, not a def: it cannot be called", shown);
        emit(g, OP_UNDEF, 0);
        return;
    }
    if (args->n != m->decl->u.def.nparams) {
        CERR(g->c, g->u, e, "%s() takes %u argument%s, got %u", shown, m->decl->u.def.nparams,
             m->decl->u.def.nparams == 1 ? "" : "s", args->n);
        emit(g, OP_UNDEF, 0);
        return;
    }
    for (uint32_t i = 0; i < args->n; i++)
        cg_expr(g, args->items[i]);
    emit(g, OP_CALL, m->index);
    if (g->is_def) {
        compiler *c = g->c;
        if (c->nedges == c->edgecap) {
            c->edgecap = c->edgecap ? c->edgecap * 2 : 32;
            c->edges = aip_xrealloc(c->edges, sizeof *c->edges * c->edgecap);
        }
        c->edges[c->nedges++] = (cedge){g->func, m->index, e, g->u};
    }
}

static void cg_call(cg *g, const ast *e)
{
    const ast *callee = e->u.call.callee;
    const ast_list *args = &e->u.call.args;
    cimport *im = alias_of(g, callee);
    if (im) {
        im->used = 1;
        const char *name = callee->u.field.name;
        cmember *m = compiler_member(im->pkg, name);
        char shown[300];
        snprintf(shown, sizeof shown, "%s.%s", im->alias, name);
        if (!m) {
            unknown_member(g, callee, im->pkg, im->alias, name, 1);
            emit(g, OP_UNDEF, 0);
            return;
        }
        cg_call_def(g, e, m, shown);
        return;
    }
    if (callee->kind != AST_NAME) {
        CERR(g->c, g->u, callee, "only defs and builtins can be called");
        emit(g, OP_UNDEF, 0);
        return;
    }
    const char *name = callee->u.name;
    if (find_local(g, name)) {
        CERR(g->c, g->u, callee, "`%s` is a local value, not a function", name);
        emit(g, OP_UNDEF, 0);
        return;
    }
    if (strcmp(name, "exists") == 0) {
        if (args->n != 1) {
            CERR(g->c, g->u, e, "exists() takes 1 argument, got %u", args->n);
            emit(g, OP_UNDEF, 0);
            return;
        }
        cg_expr(g, args->items[0]);
        emit(g, OP_EXISTS, 0);
        return;
    }
    cmember *m = compiler_member(g->u->pkg, name);
    if (m) {
        cg_call_def(g, e, m, name);
        return;
    }
    int bi = builtin_lookup(name);
    if (bi >= 0) {
        const builtin_def *bd = &aip_builtins[bi];
        if ((int)args->n < bd->min_args || (int)args->n > bd->max_args) {
            if (bd->min_args == bd->max_args)
                CERR(g->c, g->u, e, "%s() takes %d argument%s, got %u", name, bd->min_args,
                     bd->min_args == 1 ? "" : "s", args->n);
            else
                CERR(g->c, g->u, e, "%s() takes %d to %d arguments, got %u", name, bd->min_args,
                     bd->max_args, args->n);
            emit(g, OP_UNDEF, 0);
            return;
        }
        for (uint32_t i = 0; i < args->n; i++)
            cg_expr(g, args->items[i]);
        emit(g, OP_NATIVE, (args->n << 16) | native_index(g, name, args->n));
        return;
    }
    unknown_name(g, callee, name, 1);
    emit(g, OP_UNDEF, 0);
}

static void cg_quant(cg *g, const ast *e)
{
    ast_quant q = e->u.quant.op;
    if (q == QUANT_ALL)
        emit(g, OP_CONST, const_scalar(g->c, BC_K_TRUE, 0, 0));
    else if (q == QUANT_COUNT)
        emit(g, OP_CONST, const_scalar(g->c, BC_K_INT, 0, 0));
    else
        emit(g, OP_CONST, const_scalar(g->c, BC_K_FALSE, 0, 0));
    cg_expr(g, e->u.quant.coll);
    emit(g, OP_QITER, 0);
    uint32_t live = g->nlive;
    uint32_t loop = here(g);
    uint32_t slot = bind(g, &e->u.quant.var);
    uint32_t next = emit(g, OP_ITER_NEXT, slot);
    if (e->u.quant.cond)
        cg_expr(g, e->u.quant.cond);
    else
        emit(g, OP_CONST, const_scalar(g->c, BC_K_TRUE, 0, 0));
    uint32_t acc = UINT32_MAX;
    if (q == QUANT_ALL)
        acc = emit(g, OP_ACC_ALL, 0);
    else if (q == QUANT_COUNT)
        emit(g, OP_ACC_COUNT, 0);
    else
        acc = emit(g, OP_ACC_ANY, 0);
    uint32_t back = emit(g, OP_JUMP, 0);
    patch_jump(g, back, loop);
    uint32_t end = here(g);
    patch_jump(g, next, end);
    if (acc != UINT32_MAX)
        patch_jump(g, acc, end);
    g->nlive = live;
    if (q == QUANT_NONE)
        emit(g, OP_NOT, 0);
}

static void cg_expr_code(cg *g, const ast *e)
{
    if ((e->kind == AST_LIST || e->kind == AST_MAP) && literal_nest(e) > BC_MAX_NEST) {
        CERR(g->c, g->u, e, "lists and maps nest at most %u deep", BC_MAX_NEST);
        emit(g, OP_UNDEF, 0);
        return;
    }
    switch (e->kind) {
    case AST_NULL: case AST_BOOL: case AST_INT: case AST_DOUBLE: case AST_DURATION:
        emit(g, OP_CONST, (uint32_t)cg_const_expr(g->c, g->u, e, 1));
        return;
    case AST_STRING:
        if (is_plain_string(e)) {
            emit(g, OP_CONST, (uint32_t)cg_const_expr(g->c, g->u, e, 1));
            return;
        }
        for (uint32_t i = 0; i < e->u.str.n; i++) {
            const ast_str_part *p = &e->u.str.parts[i];
            if (p->text)
                emit(g, OP_CONST, cg_const_str(g->c, p->text, p->len));
            else
                cg_expr(g, p->expr);
        }
        emit(g, OP_CONCAT, e->u.str.n);
        return;
    case AST_LIST: {
        int64_t k = cg_const_expr(g->c, g->u, e, 0);
        if (k >= 0) {
            emit(g, OP_CONST, (uint32_t)k);
            return;
        }
        for (uint32_t i = 0; i < e->u.list.n; i++) {
            if (e->u.list.items[i]->kind == AST_DURATION)
                CERR(g->c, g->u, e->u.list.items[i], "durations cannot be list elements");
            cg_expr(g, e->u.list.items[i]);
        }
        if (e->u.list.n > BC_MAX_STACK)
            too_big(g, e, "list literal too long");
        emit(g, OP_MKLIST, e->u.list.n);
        return;
    }
    case AST_MAP: {
        int64_t k = cg_const_expr(g->c, g->u, e, 0);
        if (k >= 0) {
            emit(g, OP_CONST, (uint32_t)k);
            return;
        }
        for (uint32_t i = 0; i < e->u.map.n; i++) {
            const ast_map_entry *me = &e->u.map.entries[i];
            for (uint32_t j = 0; j < i; j++)
                if (strcmp(e->u.map.entries[j].key, me->key) == 0)
                    CERR_AT(g->c, g->u, me->key_start, me->key_end, "key \"%s\" appears twice in this map", me->key);
            emit(g, OP_CONST, cg_const_str(g->c, me->key, strlen(me->key)));
            cg_expr(g, me->value);
        }
        if (2 * e->u.map.n > BC_MAX_STACK)
            too_big(g, e, "map literal too long");
        emit(g, OP_MKMAP, e->u.map.n);
        return;
    }
    case AST_NAME:
        cg_name(g, e);
        return;
    case AST_FIELD: {
        cimport *im = alias_of(g, e);
        if (im) {
            im->used = 1;
            cmember *m = compiler_member(im->pkg, e->u.field.name);
            if (m)
                m->used = 1;
            char shown[300];
            snprintf(shown, sizeof shown, "%s.%s", im->alias, e->u.field.name);
            if (!m) {
                unknown_member(g, e, im->pkg, im->alias, e->u.field.name, 0);
                emit(g, OP_UNDEF, 0);
            } else {
                cg_member_value(g, e, m, shown);
            }
            return;
        }
        cg_expr_code(g, e->u.field.obj);   /* a path prefix gets no entry of its own */
        emit(g, OP_FIELD, cg_const_str(g->c, e->u.field.name, strlen(e->u.field.name)));
        return;
    }
    case AST_INDEX:
        cg_expr_code(g, e->u.index.obj);
        cg_expr(g, e->u.index.key);
        emit(g, OP_INDEX, 0);
        return;
    case AST_CALL:
        cg_call(g, e);
        return;
    case AST_UNARY: {
        int64_t k = e->u.unary.op == OPX_NEG ? cg_const_expr(g->c, g->u, e, 0) : -1;
        if (k >= 0) {
            emit(g, OP_CONST, (uint32_t)k);
            return;
        }
        cg_expr(g, e->u.unary.operand);
        emit(g, e->u.unary.op == OPX_NOT ? OP_NOT : OP_NEG, 0);
        return;
    }
    case AST_BINARY: {
        ast_op op = e->u.binary.op;
        cg_expr(g, e->u.binary.left);
        if (op == OPX_AND || op == OPX_OR || op == OPX_COALESCE) {
            uint32_t j = emit(g, op == OPX_AND ? OP_AND_SKIP : op == OPX_OR ? OP_OR_SKIP : OP_COALESCE, 0);
            cg_expr(g, e->u.binary.right);
            if (op != OPX_COALESCE)
                emit(g, op == OPX_AND ? OP_AND : OP_OR, 0);
            patch_jump(g, j, here(g));
            return;
        }
        cg_expr(g, e->u.binary.right);
        static const uint8_t ops[] = {
            [OPX_ADD] = OP_ADD, [OPX_SUB] = OP_SUB, [OPX_MUL] = OP_MUL, [OPX_DIV] = OP_DIV,
            [OPX_EQ] = OP_EQ, [OPX_NE] = OP_NE, [OPX_LT] = OP_LT, [OPX_LE] = OP_LE,
            [OPX_GT] = OP_GT, [OPX_GE] = OP_GE, [OPX_IN] = OP_IN};
        emit(g, (bc_op)ops[op], 0);
        return;
    }
    case AST_QUANT:
    case AST_COUNT:
        cg_quant(g, e);
        return;
    default:
        CERR(g->c, g->u, e, "%s is not an expression", ast_kind_name(e->kind));
        emit(g, OP_UNDEF, 0);
        return;
    }
}

/* Is e a literal: a scalar, a plain string, or a list or map of literals
 * (looked at down to `depth` levels; deeper counts as not literal)? */
static int is_literal(const ast *e, unsigned depth)
{
    switch (e->kind) {
    case AST_NULL: case AST_BOOL: case AST_INT: case AST_DOUBLE: case AST_DURATION:
        return 1;
    case AST_STRING:
        return is_plain_string(e);
    case AST_LIST:
        if (!depth)
            return 0;
        for (uint32_t i = 0; i < e->u.list.n; i++)
            if (!is_literal(e->u.list.items[i], depth - 1))
                return 0;
        return 1;
    case AST_MAP:
        if (!depth)
            return 0;
        for (uint32_t i = 0; i < e->u.map.n; i++)
            if (!is_literal(e->u.map.entries[i].value, depth - 1))
                return 0;
        return 1;
    default:
        return 0;
    }
}

/* How explain reads e (bc_expr_kind), or -1 for a literal, which gets no
 * debug entry: its value is its text. */
static int expr_kind(const ast *e)
{
    if (is_literal(e, 4))
        return -1;
    switch (e->kind) {
    case AST_CALL:
        return BC_X_CALL;
    case AST_UNARY:
        return e->u.unary.op == OPX_NOT ? BC_X_NOT : BC_X_ARITH;
    case AST_BINARY:
        switch (e->u.binary.op) {
        case OPX_AND: return BC_X_AND;
        case OPX_OR: return BC_X_OR;
        case OPX_COALESCE: return BC_X_COALESCE;
        case OPX_ADD: case OPX_SUB: case OPX_MUL: case OPX_DIV: return BC_X_ARITH;
        default: return BC_X_COMPARE;
        }
    case AST_QUANT:
        return e->u.quant.op == QUANT_ALL ? BC_X_ALL : e->u.quant.op == QUANT_NONE ? BC_X_NONE : BC_X_ANY;
    case AST_COUNT:
        return BC_X_COUNT;
    default:
        return BC_X_VALUE;
    }
}

/* Generate e, and record a debug entry (EXPR) for it: its source text and
 * the code range that computes it. Control bodies only, and at most
 * BC_MAX_EXPR_DEPTH levels deep; defs run as one step for explain. */
static void cg_expr(cg *g, const ast *e)
{
    int kind = expr_kind(e);
    if (g->is_def || kind < 0 || g->expr_depth >= BC_MAX_EXPR_DEPTH) {
        cg_expr_code(g, e);
        return;
    }
    bc_expr x = {0};
    unsigned line, col;
    src_pos(g->u->src, e->start, &line, &col);
    x.kind = (uint8_t)kind;
    x.file = g->file_str;
    x.line = line;
    x.col = col;
    x.text = node_text(g, e);
    x.start = here(g);
    x.parent = g->cur_expr;
    uint32_t idx = g->b->exprs.n;
    BC_PUSH(g->b->exprs, x);
    uint32_t outer = g->cur_expr;
    g->cur_expr = idx;
    g->expr_depth++;
    cg_expr_code(g, e);
    g->expr_depth--;
    g->cur_expr = outer;
    g->b->exprs.v[idx].end = here(g);
}

/* ---- statements ------------------------------------------------------------------------ */

static void cg_block(cg *g, const ast_list *stmts);

static void cg_stmt(cg *g, const ast *s)
{
    mark(g, s);
    switch (s->kind) {
    case AST_META:
        return;   /* metadata: check.c */
    case AST_LET: {
        cg_expr(g, s->u.let.value);
        uint32_t slot = bind(g, &s->u.let.var);
        emit(g, OP_STORE, slot);
        return;
    }
    case AST_REQUIRE: {
        const ast *cond = s->u.require.cond;
        if (cond->kind == AST_BOOL || cond->kind == AST_NULL || cond->kind == AST_INT || cond->kind == AST_STRING)
            CWARN(g->c, g->u, cond, "this requirement is a constant: it decides nothing about the facts");
        g->requires++;
        cg_expr(g, s->u.require.cond);
        uint32_t site = new_site(g, BC_SITE_REQUIRE, s->u.require.cond);
        uint32_t j = emit(g, OP_REQUIRE, site);
        if (s->u.require.message) {
            cg_expr(g, s->u.require.message);
        } else {
            char msg[600];
            snprintf(msg, sizeof msg, "requirement not met: %s", g->b->strs.v[g->b->sites.v[site].text]);
            emit(g, OP_CONST, cg_const_str(g->c, msg, strlen(msg)));
        }
        emit(g, OP_FINDING, site);
        patch_jump(g, j, here(g));
        return;
    }
    case AST_ATTEST: {
        const ast *w = s->u.attest.within;
        if ((w->kind != AST_DURATION && w->kind != AST_NAME) ||
            (w->kind == AST_DURATION && w->u.i <= 0)) {
            CERR(g->c, g->u, w, "`attest within` needs a positive duration such as 365d, or a duration param");
            return;
        }
        cg_expr(g, w);
        emit(g, OP_ATTEST, 0);
        g->has_attest = 1;
        return;
    }
    case AST_FOR: {
        cg_expr(g, s->u.forstmt.coll);
        uint32_t ssite = new_site(g, BC_SITE_SCOPE, s->u.forstmt.coll);
        emit(g, OP_SCOPE, ssite);
        uint32_t live = g->nlive;
        uint32_t slot = bind(g, &s->u.forstmt.var);
        uint32_t loop = here(g);
        uint32_t next = emit(g, OP_SCOPE_NEXT, slot);
        if (s->u.forstmt.where && s->u.forstmt.where->kind == AST_BOOL && !s->u.forstmt.where->u.b)
            CWARN(g->c, g->u, s->u.forstmt.where, "this scope can never match (`where false`)");
        if (s->u.forstmt.where) {
            mark(g, s->u.forstmt.where);
            cg_expr(g, s->u.forstmt.where);
            uint32_t wsite = new_site(g, BC_SITE_WHERE, s->u.forstmt.where);
            uint32_t w = emit(g, OP_WHERE, wsite);
            patch_jump(g, w, loop);
        }
        cg_block(g, &s->u.forstmt.body);
        uint32_t back = emit(g, OP_JUMP, 0);
        patch_jump(g, back, loop);
        patch_jump(g, next, here(g));
        g->nlive = live;
        return;
    }
    default:
        CERR(g->c, g->u, s, "%s is not allowed here", ast_kind_name(s->kind));
        return;
    }
}

/* Statements of one block; names bound inside end with it. */
static void cg_block(cg *g, const ast_list *stmts)
{
    uint32_t live = g->nlive;
    for (uint32_t i = 0; i < stmts->n; i++) {
        const ast *s = stmts->items[i];
        if (s->kind == AST_LET) {
            for (uint32_t k = live; k < g->nlive; k++)
                if (strcmp(g->locals[k].name, s->u.let.var.name) == 0) {
                    CERR_AT(g->c, g->u, s->u.let.var.start, s->u.let.var.end,
                            "`%s` is already defined in this block", s->u.let.var.name);
                    break;
                }
        }
        cg_stmt(g, s);
    }
    g->nlive = live;
}

static void cg_init(cg *g, compiler *c, cunit *u, uint32_t func)
{
    memset(g, 0, sizeof *g);
    g->c = c;
    g->u = u;
    g->b = c->b;
    g->func = func;
    g->file_str = bundle_str(c->b, u->src->path, strlen(u->src->path));
    g->cur_expr = BC_NO_EXPR;
}

static void cg_finish(cg *g)
{
    bc_func *f = &g->b->funcs.v[g->func];
    f->len = here(g) - f->start;
    f->nlocals = (uint16_t)g->nslots;
    free(g->locals);
}

void cg_def(compiler *c, cmember *m)
{
    cg g;
    cg_init(&g, c, m->unit, m->index);
    g.is_def = 1;
    const ast *d = m->decl;
    g.b->funcs.v[g.func].start = here(&g);
    for (uint32_t i = 0; i < d->u.def.nparams && i < BC_MAX_ARGS; i++) {
        for (uint32_t k = 0; k < i; k++)
            if (strcmp(d->u.def.params[k].name, d->u.def.params[i].name) == 0)
                CERR_AT(c, m->unit, d->u.def.params[i].start, d->u.def.params[i].end,
                        "parameter `%s` appears twice", d->u.def.params[i].name);
        (void)bind(&g, &d->u.def.params[i]); /* slots are 0..n-1, in order */
    }
    mark(&g, d->u.def.body);
    cg_expr(&g, d->u.def.body);
    emit(&g, OP_RET, 0);
    cg_finish(&g);
}

int cg_control(compiler *c, cunit *u, const ast *ctl, uint32_t func)
{
    cg g;
    cg_init(&g, c, u, func);
    g.b->funcs.v[func].start = here(&g);
    mark(&g, ctl);
    cg_block(&g, &ctl->u.control.items);
    emit(&g, OP_END, 0);
    cg_finish(&g);
    if (!g.requires && !g.has_attest)
        CWARN_AT(c, u, ctl->u.control.id.start, ctl->u.control.id.end,
                 "%s %s has no requirement and no attestation: it can only be not_applicable",
                 ctl->u.control.is_rule ? "rule" : "control", ctl->u.control.id.name);
    return g.has_attest;
}
