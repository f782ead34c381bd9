/* compiler/schema.c - schema-checked fact paths: when a policy declares
 * `uses manifest FORMAT`, every path rooted at `inventory` is checked against
 * the format's structure (schema.h), and a misspelled or impossible path is
 * an error with a suggestion.
 *
 * A small type inference over expressions: `inventory` is the document's
 * shape; `.name` and `["name"]` on a shape give the field's type; `xs[i]` on a
 * list gives the element's type (a string index is an id lookup); `for`,
 * quantifier and `count` variables take the element type of their collection
 * and `let` the type of its value; `a ?? b` has the type of its typed side
 * (unknown when both sides are typed differently). A def is checked once per
 * distinct list of argument types it is called with (bounded), its
 * parameters taking those types, and its result type is its body's. Whatever the model does not describe is "unknown", and
 * nothing is ever reported about an unknown value: no false positives.
 *
 * Only policy files are checked (not stdlib modules nor test files); a def of
 * a stdlib module is checked when a policy passes it a typed argument.
 */
#include "compiler/compiler_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/schema.h"
#include "compiler/stdlib.h"

enum {
    SC_MAX_NEST = 16,      /* def instances inside def instances */
    SC_MAX_INST = 4096     /* def instances in one run */
};

typedef struct sc_local {
    const char *name;
    const schema_type *type;
} sc_local;

/* One def checked with one list of argument types. */
typedef struct sc_inst {
    const cmember *m;
    const schema_type *args[BC_MAX_ARGS];
    const schema_type *ret;
    int done;
} sc_inst;

typedef struct sc_seen {
    const src_file *src;
    uint32_t start;
} sc_seen;

typedef struct sc {
    compiler *c;
    const schema_model *m;
    cunit *u;                  /* unit of the code being walked */
    sc_local *locals;          /* visible from base to nlive */
    uint32_t nlive, cap, base;
    sc_inst *insts;
    uint32_t ninst, instcap;
    unsigned nest;
    char ctx[400];             /* " (with s an ai_systems entry, ...)" inside a typed def instance */
    sc_seen *seen;             /* positions already reported */
    size_t nseen, seencap;
} sc;

static const schema_type unknown_type = {SCHEMA_UNKNOWN, NULL, NULL, NULL, NULL};

/* ---- messages ---------------------------------------------------------------------- */

static void report(sc *s, uint32_t start, uint32_t end, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* One error per source position (a def checked for several argument types
 * would otherwise say the same thing twice). */
static void report(sc *s, uint32_t start, uint32_t end, const char *fmt, ...)
{
    for (size_t i = 0; i < s->nseen; i++)
        if (s->seen[i].src == s->u->src && s->seen[i].start == start)
            return;
    AIP_GROW(s->seen, s->nseen, s->seencap);
    s->seen[s->nseen].src = s->u->src;
    s->seen[s->nseen].start = start;
    s->nseen++;
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    CERR_AT(s->c, s->u, start, end, "%s%s", msg, s->ctx);
}

/* The source text of e for a message, or "this value" when it is long. */
static const char *shown(sc *s, const ast *e, char *buf, size_t len)
{
    size_t n = e->end > e->start ? e->end - e->start : 0;
    const char *text = s->u->src->text + e->start;
    if (n == 0 || n >= len || n > 48 || memchr(text, '\n', n))
        return "this value";
    memcpy(buf, text, n);
    buf[n] = '\0';
    return buf;
}

/* ", a string (an id of an owners entry: look it up with inventory.owners[...])" */
static void scalar_hint(const schema_type *t, char *buf, size_t len)
{
    if (t->kind == SCHEMA_SCALAR && t->ref)
        snprintf(buf, len, " (an id from %s[]: look the entry up with inventory.%s[...])", t->ref, t->ref);
    else if (t->kind == SCHEMA_LIST)
        snprintf(buf, len, " (index it, or loop over it with for, all, any or count)");
    else
        buf[0] = '\0';
}

static void not_a_field(sc *s, const schema_shape *sh, const char *name, uint32_t start, uint32_t end)
{
    suggest sg = {name, NULL, 99};
    for (uint32_t i = 0; i < sh->nfields; i++)
        suggest_consider(&sg, sh->fields[i].name);
    char desc[200];
    schema_shape_desc(sh, desc, sizeof desc);
    if (sg.best) {
        report(s, start, end, "'%s' is not a field of %s in %s; did you mean '%s'?", name, desc,
               schema_format(s->m), sg.best);
        return;
    }
    char list[900];
    size_t o = 0;
    list[0] = '\0';
    for (uint32_t i = 0; i < sh->nfields && o < sizeof list - 64; i++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", sh->fields[i].name);
    report(s, start, end, "'%s' is not a field of %s in %s (its fields: %s)", name, desc,
           schema_format(s->m), list);
}

/* ---- types of paths ------------------------------------------------------------------ */

static const schema_type *elem_of(const schema_type *t)
{
    return t->kind == SCHEMA_LIST ? t->elem : &unknown_type;
}

/* Read key name (at [start, end)) from obj, a value of type t. */
static const schema_type *field(sc *s, const schema_type *t, const ast *obj, const char *name,
                                uint32_t start, uint32_t end)
{
    char buf[64], hint[200];
    switch (t->kind) {
    case SCHEMA_OBJECT: {
        if (strncmp(name, "x-", 2) == 0)
            return &unknown_type;   /* extension keys: any x- key, any value */
        const schema_field *f = schema_field_of(t->shape, name);
        if (f)
            return f->type;
        not_a_field(s, t->shape, name, start, end);
        return &unknown_type;
    }
    case SCHEMA_SCALAR:
    case SCHEMA_LIST:
        scalar_hint(t, hint, sizeof hint);
        report(s, start, end, "'%s' cannot be read from %s, %s%s", name, shown(s, obj, buf, sizeof buf),
               schema_type_desc(t), hint);
        return &unknown_type;
    default:
        return &unknown_type;
    }
}

static const schema_type *ty_expr(sc *s, const ast *e);

static void push(sc *s, const char *name, const schema_type *t)
{
    AIP_GROW(s->locals, s->nlive, s->cap);
    s->locals[s->nlive].name = name;
    s->locals[s->nlive].type = t;
    s->nlive++;
}

static const sc_local *find_local(const sc *s, const char *name)
{
    for (uint32_t i = s->nlive; i-- > s->base;)
        if (strcmp(s->locals[i].name, name) == 0)
            return &s->locals[i];
    return NULL;
}

static cimport *find_import(const sc *s, const char *name)
{
    for (uint32_t i = 0; i < s->u->nimports; i++)
        if (strcmp(s->u->imports[i].alias, name) == 0)
            return &s->u->imports[i];
    return NULL;
}

/* e is `alias.name` of an import not shadowed by a local. */
static cimport *alias_of(const sc *s, const ast *e)
{
    if (e->kind != AST_FIELD || e->u.field.obj->kind != AST_NAME || find_local(s, e->u.field.obj->u.name))
        return NULL;
    return find_import(s, e->u.field.obj->u.name);
}

static int same_args(const sc_inst *in, const schema_type *const *args, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (in->args[i] != args[i])
            return 0;
    return 1;
}

/* " (with s an ai_systems entry, from the call at x.aip:3:7)" */
static void instance_ctx(sc *s, const ast *d, const schema_type *const *args, uint32_t n, const ast *site,
                         char *out, size_t len)
{
    size_t o = 0;
    out[0] = '\0';
    for (uint32_t i = 0; i < n && o < len - 100; i++) {
        if (args[i]->kind == SCHEMA_UNKNOWN)
            continue;
        char desc[200];
        const char *what = args[i]->kind == SCHEMA_OBJECT ? schema_shape_desc(args[i]->shape, desc, sizeof desc)
                                                          : schema_type_desc(args[i]);
        o += (size_t)snprintf(out + o, len - o, "%s%s %s", o ? ", " : " (with ", d->u.def.params[i].name, what);
    }
    if (o && site) {
        unsigned line, col;
        src_pos(s->u->src, site->start, &line, &col);
        snprintf(out + o, len - o, ", from the call at %s:%u:%u)", s->u->src->path, line, col);
    } else if (o) {
        snprintf(out + o, len - o, ")");
    }
}

/* Check def m's body with its parameters of types args; its result type. */
static const schema_type *instantiate(sc *s, cmember *m, const schema_type *const *args, const ast *site)
{
    const ast *d = m->decl;
    uint32_t n = d->u.def.nparams < BC_MAX_ARGS ? d->u.def.nparams : BC_MAX_ARGS;
    for (uint32_t i = 0; i < s->ninst; i++)
        if (s->insts[i].m == m && same_args(&s->insts[i], args, n))
            return s->insts[i].done ? s->insts[i].ret : &unknown_type;
    if (s->nest >= SC_MAX_NEST || s->ninst >= SC_MAX_INST)
        return &unknown_type;
    AIP_GROW(s->insts, s->ninst, s->instcap);
    uint32_t me = s->ninst++;
    memset(&s->insts[me], 0, sizeof s->insts[me]);
    s->insts[me].m = m;
    for (uint32_t i = 0; i < n; i++)
        s->insts[me].args[i] = args[i];

    cunit *saved_u = s->u;
    uint32_t saved_base = s->base, saved_live = s->nlive;
    char saved_ctx[sizeof s->ctx];
    memcpy(saved_ctx, s->ctx, sizeof s->ctx);
    char ctx[sizeof s->ctx];
    instance_ctx(s, d, args, n, site, ctx, sizeof ctx);
    memcpy(s->ctx, ctx, sizeof ctx);
    s->u = m->unit;
    s->base = s->nlive;
    for (uint32_t i = 0; i < n; i++)
        push(s, d->u.def.params[i].name, args[i]);
    s->nest++;
    const schema_type *ret = ty_expr(s, d->u.def.body);
    s->nest--;
    s->nlive = saved_live;
    s->base = saved_base;
    s->u = saved_u;
    memcpy(s->ctx, saved_ctx, sizeof s->ctx);
    s->insts[me].ret = ret;
    s->insts[me].done = 1;
    return ret;
}

static void walk_args(sc *s, const ast_list *args, const schema_type **types)
{
    for (uint32_t i = 0; i < args->n; i++) {
        const schema_type *t = ty_expr(s, args->items[i]);
        if (types && i < BC_MAX_ARGS)
            types[i] = t;
    }
}

static const schema_type *ty_call(sc *s, const ast *e)
{
    const ast *callee = e->u.call.callee;
    const ast_list *args = &e->u.call.args;
    cmember *m = NULL;
    cimport *im = alias_of(s, callee);
    if (im)
        m = compiler_member(im->pkg, callee->u.field.name);
    else if (callee->kind == AST_NAME && !find_local(s, callee->u.name))
        m = compiler_member(s->u->pkg, callee->u.name);
    if (!m || m->kind != MEMBER_DEF || m->decl->u.def.nparams != args->n || args->n > BC_MAX_ARGS) {
        walk_args(s, args, NULL);   /* builtins, exists(), and what codegen reports */
        return &unknown_type;
    }
    const schema_type *types[BC_MAX_ARGS];
    walk_args(s, args, types);
    return instantiate(s, m, types, e);
}

static const schema_type *ty_quant(sc *s, const ast *e)
{
    const schema_type *t = ty_expr(s, e->u.quant.coll);
    uint32_t live = s->nlive;
    push(s, e->u.quant.var.name, elem_of(t));
    if (e->u.quant.cond)
        ty_expr(s, e->u.quant.cond);
    s->nlive = live;
    return &unknown_type;
}

/* A plain string literal's text, or NULL. */
static const char *plain_string(const ast *e)
{
    if (e->kind != AST_STRING || e->u.str.n != 1 || !e->u.str.parts[0].text)
        return NULL;
    return e->u.str.parts[0].text;
}

static const schema_type *ty_index(sc *s, const ast *e)
{
    const ast *obj = e->u.index.obj, *key = e->u.index.key;
    const schema_type *t = ty_expr(s, obj);
    ty_expr(s, key);
    if (t->kind == SCHEMA_LIST)
        return t->elem;   /* by position, or by id for a string */
    const char *k = plain_string(key);
    if (k)
        return field(s, t, obj, k, key->start, key->end);
    if (t->kind == SCHEMA_SCALAR && key->kind == AST_INT) {
        char buf[64];
        report(s, key->start, key->end, "%s is %s: it cannot be indexed", shown(s, obj, buf, sizeof buf),
               schema_type_desc(t));
    }
    return &unknown_type;   /* a computed key */
}

static const schema_type *ty_expr(sc *s, const ast *e)
{
    switch (e->kind) {
    case AST_NAME: {
        const sc_local *l = find_local(s, e->u.name);
        if (l)
            return l->type;
        if (strcmp(e->u.name, "inventory") == 0)
            return schema_root(s->m);
        return &unknown_type;
    }
    case AST_FIELD:
        if (alias_of(s, e))
            return &unknown_type;   /* an imported param */
        return field(s, ty_expr(s, e->u.field.obj), e->u.field.obj, e->u.field.name, e->u.field.name_start,
                     e->u.field.name_end);
    case AST_INDEX:
        return ty_index(s, e);
    case AST_CALL:
        return ty_call(s, e);
    case AST_QUANT:
    case AST_COUNT:
        return ty_quant(s, e);
    case AST_UNARY:
        ty_expr(s, e->u.unary.operand);
        return &unknown_type;
    case AST_BINARY: {
        const schema_type *l = ty_expr(s, e->u.binary.left);
        const schema_type *r = ty_expr(s, e->u.binary.right);
        if (e->u.binary.op != OPX_COALESCE)
            return &unknown_type;
        /* a ?? b is a or b: typed when one side is unknown (a default such
         * as [] or {}) or both have the same type; unknown when they differ */
        if (l->kind == SCHEMA_UNKNOWN || l == r)
            return r;
        return r->kind == SCHEMA_UNKNOWN ? l : &unknown_type;
    }
    case AST_STRING:
        for (uint32_t i = 0; i < e->u.str.n; i++)
            if (e->u.str.parts[i].expr)
                ty_expr(s, e->u.str.parts[i].expr);
        return &unknown_type;
    case AST_LIST:
        for (uint32_t i = 0; i < e->u.list.n; i++)
            ty_expr(s, e->u.list.items[i]);
        return &unknown_type;
    case AST_MAP:
        for (uint32_t i = 0; i < e->u.map.n; i++)
            ty_expr(s, e->u.map.entries[i].value);
        return &unknown_type;
    default:
        return &unknown_type;
    }
}

/* ---- statements ------------------------------------------------------------------ */

static void walk_block(sc *s, const ast_list *stmts);

static void walk_stmt(sc *s, const ast *st)
{
    switch (st->kind) {
    case AST_LET: {
        const schema_type *t = ty_expr(s, st->u.let.value);
        push(s, st->u.let.var.name, t);
        return;
    }
    case AST_REQUIRE:
        ty_expr(s, st->u.require.cond);
        if (st->u.require.message)
            ty_expr(s, st->u.require.message);
        return;
    case AST_FOR: {
        const schema_type *t = ty_expr(s, st->u.forstmt.coll);
        uint32_t live = s->nlive;
        push(s, st->u.forstmt.var.name, elem_of(t));
        if (st->u.forstmt.where)
            ty_expr(s, st->u.forstmt.where);
        walk_block(s, &st->u.forstmt.body);
        s->nlive = live;
        return;
    }
    default:
        return;   /* metadata, attest */
    }
}

static void walk_block(sc *s, const ast_list *stmts)
{
    uint32_t live = s->nlive;
    for (uint32_t i = 0; i < stmts->n; i++)
        walk_stmt(s, stmts->items[i]);
    s->nlive = live;
}

/* The format the compiled policy declares, and its module's unit. */
static const char *declared_format(compiler *c, cunit **module)
{
    for (uint32_t i = 0; i < c->nunits; i++) {
        const cunit *u = c->units[i];
        if (u->is_stdlib || u->is_test)
            continue;
        for (uint32_t k = 0; k < u->ast->decls.n; k++) {
            const ast *d = u->ast->decls.items[k];
            if (d->kind != AST_USES)
                continue;
            char path[300];
            size_t o = (size_t)snprintf(path, sizeof path, "<stdlib>/");
            stdlib_manifest_module(d->u.uses.format, path + o, sizeof path - o);
            for (uint32_t j = 0; j < c->nunits; j++)
                if (strcmp(c->units[j]->path, path) == 0) {
                    *module = c->units[j];
                    return d->u.uses.format;
                }
            return NULL;   /* an unknown format: resolve_uses reported it */
        }
    }
    return NULL;
}

void schema_check(compiler *c)
{
    cunit *module = NULL;
    const char *format = declared_format(c, &module);
    if (!format)
        return;
    char err[300];
    schema_model *m = schema_model_from_ast(module->ast, format, err, sizeof err);
    if (!m) {
        diag_add(c->d, DIAG_ERROR, NULL, 0, 0, "internal error: %s: %s", format, err);
        return;
    }
    sc s;
    memset(&s, 0, sizeof s);
    s.c = c;
    s.m = m;
    for (uint32_t i = 0; i < c->nunits; i++) {
        cunit *u = c->units[i];
        if (u->is_stdlib || u->is_test || !u->pkg)
            continue;
        for (uint32_t k = 0; k < u->ast->decls.n; k++) {
            const ast *d = u->ast->decls.items[k];
            s.u = u;
            if (d->kind == AST_CONTROL) {
                walk_block(&s, &d->u.control.items);
            } else if (d->kind == AST_DEF) {
                /* paths from inventory in every def, called or not */
                cmember *dm = compiler_member(u->pkg, d->u.def.name.name);
                const schema_type *args[BC_MAX_ARGS];
                for (uint32_t a = 0; a < BC_MAX_ARGS; a++)
                    args[a] = &unknown_type;
                if (dm && dm->decl == d)
                    instantiate(&s, dm, args, NULL);
            }
        }
    }
    free(s.locals);
    free(s.insts);
    free(s.seen);
    schema_model_free(m);
}
