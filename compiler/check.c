/* compiler/check.c - what the compiler must reject beyond syntax and names:
 * recursion through defs, control ids that are not CSF 2.0 subcategories,
 * duplicate or inconsistent control metadata, and profiles naming controls
 * that no block defines.
 *
 * Not here: name resolution and arity (codegen.c), syntax (lang/).
 */
#include "compiler/compiler_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- recursion ---------------------------------------------------------------- */

/* Report each def on a call cycle once, with the chain that closes it. */
void check_recursion(compiler *c)
{
    uint32_t n = c->b->funcs.n;
    if (!n || !c->nedges)
        return;
    unsigned char *color = aip_xcalloc(n, 1);       /* 0 new, 1 on path, 2 done */
    uint32_t *path = aip_xmalloc(sizeof *path * (n + 1));  /* edge indices on the path */
    uint32_t *iter = aip_xmalloc(sizeof *iter * (n + 1));  /* next edge to try per depth */
    uint32_t *fn = aip_xmalloc(sizeof *fn * (n + 1));
    for (uint32_t root = 0; root < n; root++) {
        if (color[root])
            continue;
        uint32_t depth = 0;
        fn[0] = root;
        iter[0] = 0;
        color[root] = 1;
        for (;;) {
            uint32_t f = fn[depth];
            uint32_t e = iter[depth];
            while (e < c->nedges && c->edges[e].from != f)
                e++;
            if (e == c->nedges) {
                color[f] = 2;
                if (depth == 0)
                    break;
                depth--;
                continue;
            }
            iter[depth] = e + 1;
            uint32_t t = c->edges[e].to;
            if (color[t] == 1) {
                /* cycle: from the first occurrence of t on the path to here */
                char chain[1024];
                size_t o = 0;
                uint32_t start = 0;
                while (fn[start] != t)
                    start++;
                for (uint32_t k = start; k <= depth && o < sizeof chain - 64; k++)
                    o += (size_t)snprintf(chain + o, sizeof chain - o, "%s -> ",
                                          c->b->strs.v[c->b->funcs.v[fn[k]].name]);
                snprintf(chain + o, sizeof chain - o, "%s", c->b->strs.v[c->b->funcs.v[t].name]);
                const cedge *ed = &c->edges[e];
                CERR(c, ed->unit, ed->site, "recursion is not allowed: %s", chain);
                continue;
            }
            if (color[t] == 0) {
                color[t] = 1;
                path[depth] = e;
                depth++;
                fn[depth] = t;
                iter[depth] = 0;
            }
        }
    }
    free(color);
    free(path);
    free(iter);
    free(fn);
}

/* ---- control metadata ------------------------------------------------------------------ */

static const char *meta_name(ast_meta_kind k)
{
    switch (k) {
    case META_TITLE: return "title";
    case META_FOCUS: return "focus";
    case META_PRIORITY: return "priority";
    case META_ENFORCE: return "enforce";
    case META_EVIDENCE: return "evidence";
    case META_MAPS: return "maps";
    case META_HELP: return "help";
    }
    return "?";
}

/* The help text `help NAME` refers to for control id, or NULL (diagnosed). */
static const char *help_ref(compiler *c, cunit *u, const ast *m, const char *id)
{
    const ast_ident *ref = &m->u.meta.help_ref;
    if (strcmp(ref->name, "ir8596") != 0) {
        CERR_AT(c, u, ref->start, ref->end, "unknown help text `%s`: write `help ir8596` or `help \"text\"`",
                ref->name);
        return NULL;
    }
    if (!c->ir8596) {
        aip_error e;
        c->ir8596 = ir8596_load(&e);
        if (!c->ir8596) {
            CERR(c, u, m, "internal error: %s", e.msg);
            return NULL;
        }
    }
    const ir8596_row *row = ir8596_find(c->ir8596, id);
    if (!row)
        CERR(c, u, m, "IR 8596 has no considerations for %s", id);
    return row ? row->help : NULL;
}

int check_control_meta(compiler *c, cunit *u, const ast *ctl, bc_control *out)
{
    bundle *b = c->b;
    const ast_ident *id = &ctl->u.control.id;
    int rule = ctl->u.control.is_rule;
    const csf_entry *entry = rule ? NULL : csf_find(c->cat, id->name);
    int ok = 1;
    if (!rule && (!entry || entry->kind != CSF_SUBCATEGORY)) {
        const csf_entry *near = csf_suggest(c->cat, id->name);
        if (near)
            CERR_AT(c, u, id->start, id->end, "%s is not a CSF 2.0 subcategory; did you mean %s?", id->name, near->id);
        else
            CERR_AT(c, u, id->start, id->end, "%s is not a CSF 2.0 subcategory", id->name);
        ok = 0;
    }
    out->kind = rule ? BC_CTRL_RULE : BC_CTRL_CONTROL;
    const char *help = "";
    const ast *seen[META_HELP + 1] = {0};
    unsigned line, col;
    src_pos(u->src, ctl->start, &line, &col);
    out->id = bundle_str(b, id->name, strlen(id->name));
    out->file = bundle_str(b, u->src->path, strlen(u->src->path));
    out->line = line;
    out->col = col;
    out->package = bundle_str(b, u->package ? u->package : "", u->package ? strlen(u->package) : 0);
    const char *title = entry ? entry->title : id->name;
    const ast *prio = NULL;
    for (uint32_t i = 0; i < ctl->u.control.items.n; i++) {
        const ast *m = ctl->u.control.items.items[i];
        if (m->kind != AST_META)
            continue;
        ast_meta_kind k = m->u.meta.kind;
        if (seen[k]) {
            unsigned l0, c0;
            src_pos(u->src, seen[k]->start, &l0, &c0);
            CERR(c, u, m, "duplicate `%s` in control %s (first at line %u)", meta_name(k), id->name, l0);
            continue;
        }
        seen[k] = m;
        switch (k) {
        case META_TITLE:
            if (!m->u.meta.text || !m->u.meta.text[0])
                CERR(c, u, m, "title must not be empty");
            else
                title = m->u.meta.text;
            break;
        case META_FOCUS:
            out->focus = (uint8_t)m->u.meta.focus;
            break;
        case META_PRIORITY:
            prio = m;
            for (int f = 0; f < 3; f++) {
                if (m->u.meta.priority[f] > 3)
                    CERR(c, u, m, "priority must be 1 (high), 2 (moderate) or 3 (foundational)");
                out->priority[f] = m->u.meta.priority[f] > 3 ? 0 : m->u.meta.priority[f];
            }
            break;
        case META_ENFORCE:
            out->enforce = (uint8_t)m->u.meta.enforce;
            break;
        case META_EVIDENCE:
            out->evidence = b->evidence_refs.n;
            out->nevidence = m->u.meta.strings.n;
            for (uint32_t k2 = 0; k2 < m->u.meta.strings.n; k2++) {
                const ast *s = m->u.meta.strings.items[k2];
                const char *t = s->u.str.n && s->u.str.parts[0].text ? s->u.str.parts[0].text : "";
                size_t len = s->u.str.n && s->u.str.parts[0].text ? s->u.str.parts[0].len : 0;
                if (s->u.str.n > 1 || (s->u.str.n == 1 && !s->u.str.parts[0].text))
                    CERR(c, u, s, "evidence text cannot interpolate values");
                BC_PUSH(b->evidence_refs, bundle_str(b, t, len));
            }
            break;
        case META_HELP:
            if (m->u.meta.text)
                help = m->u.meta.text;
            else if (rule)
                CERR(c, u, m, "a rule's help must be a string");
            else if ((help = help_ref(c, u, m, id->name)) == NULL)
                help = "";
            break;
        case META_MAPS:
            out->maps = b->maps.n;
            out->nmaps = m->u.meta.maps.n;
            for (uint32_t k2 = 0; k2 < m->u.meta.maps.n; k2++) {
                const ast_mapping *mp = &m->u.meta.maps.items[k2];
                bc_mapping bm;
                bm.framework = bundle_str(b, mp->framework, strlen(mp->framework));
                bm.ref = bundle_str(b, mp->ref, strlen(mp->ref));
                BC_PUSH(b->maps, bm);
            }
            break;
        }
    }
    if (prio) {
        static const char *const names[3] = {"secure", "defend", "thwart"};
        for (int f = 0; f < 3; f++)
            if (out->priority[f] && !(out->focus & (1u << f)))
                CERR(c, u, prio, "priority given for %s, which is not in this control's focus", names[f]);
    }
    if (rule && (seen[META_FOCUS] || seen[META_PRIORITY] || seen[META_MAPS])) {
        const ast *m = seen[META_FOCUS] ? seen[META_FOCUS] : seen[META_PRIORITY] ? seen[META_PRIORITY] : seen[META_MAPS];
        CERR(c, u, m, "a rule checks the manifest: it has no focus, priority or maps");
    }
    out->title = bundle_str(b, title, strlen(title));
    out->help = bundle_str(b, help, strlen(help));
    return ok ? 0 : -1;
}

/* ---- profiles -------------------------------------------------------------------------- */

void check_profiles(compiler *c)
{
    bundle *b = c->b;
    for (uint32_t i = 0; i < c->nunits; i++) {
        cunit *u = c->units[i];
        if (u->is_test)
            continue;
        for (uint32_t k = 0; k < u->ast->decls.n; k++) {
            const ast *d = u->ast->decls.items[k];
            if (d->kind != AST_PROFILE)
                continue;
            const char *name = d->u.profile.name.name;
            uint32_t name_s = bundle_str(b, name, strlen(name));
            for (uint32_t p = 0; p < b->profiles.n; p++)
                if (b->profiles.v[p].name == name_s)
                    CERR_AT(c, u, d->u.profile.name.start, d->u.profile.name.end,
                            "profile %s is defined twice", name);
            bc_profile bp;
            bp.name = name_s;
            const char *title = d->u.profile.title ? d->u.profile.title : name;
            bp.title = bundle_str(b, title, strlen(title));
            bp.first = b->profile_refs.n;
            bp.n = 0;
            for (uint32_t j = 0; j < d->u.profile.nids; j++) {
                const ast_ident *id = &d->u.profile.ids[j];
                uint32_t s = bundle_str(b, id->name, strlen(id->name));
                int defined = 0, dup = 0;
                for (uint32_t q = 0; q < b->controls.n && !defined; q++)
                    defined = b->controls.v[q].id == s;
                for (uint32_t q = 0; q < bp.n && !dup; q++)
                    dup = b->profile_refs.v[bp.first + q] == s;
                if (dup) {
                    CERR_AT(c, u, id->start, id->end, "%s is listed twice in profile %s", id->name, name);
                    continue;
                }
                if (!defined) {
                    const csf_entry *e = csf_find(c->cat, id->name);
                    if (e && e->kind == CSF_SUBCATEGORY)
                        CERR_AT(c, u, id->start, id->end, "profile %s names %s, but no control defines it",
                                name, id->name);
                    else {
                        const csf_entry *near = csf_suggest(c->cat, id->name);
                        CERR_AT(c, u, id->start, id->end, "%s is not a CSF 2.0 subcategory%s%s%s", id->name,
                                near ? "; did you mean " : "", near ? near->id : "", near ? "?" : "");
                    }
                    continue;
                }
                BC_PUSH(b->profile_refs, s);
                bp.n++;
            }
            BC_PUSH(b->profiles, bp);
        }
    }
}

/* ---- nesting depth ---------------------------------------------------------------- */

/* An explicit stack for walking the AST without recursion. */
typedef struct walk {
    struct { const ast *n; uint32_t depth; } *v;
    size_t n, cap;
} walk;

static void walk_push(walk *w, const ast *n, uint32_t depth)
{
    if (!n)
        return;
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        w->v = aip_xrealloc(w->v, sizeof *w->v * w->cap);
    }
    w->v[w->n].n = n;
    w->v[w->n++].depth = depth;
}

static void walk_list(walk *w, const ast_list *l, uint32_t depth)
{
    for (uint32_t i = 0; i < l->n; i++)
        walk_push(w, l->items[i], depth);
}

/* Push the children of n at depth d. */
static void walk_children(walk *w, const ast *n, uint32_t d)
{
    switch (n->kind) {
    case AST_STRING:
        for (uint32_t i = 0; i < n->u.str.n; i++)
            walk_push(w, n->u.str.parts[i].expr, d);
        break;
    case AST_LIST: walk_list(w, &n->u.list, d); break;
    case AST_MAP:
        for (uint32_t i = 0; i < n->u.map.n; i++)
            walk_push(w, n->u.map.entries[i].value, d);
        break;
    case AST_FIELD: walk_push(w, n->u.field.obj, d); break;
    case AST_INDEX: walk_push(w, n->u.index.obj, d); walk_push(w, n->u.index.key, d); break;
    case AST_CALL: walk_push(w, n->u.call.callee, d); walk_list(w, &n->u.call.args, d); break;
    case AST_UNARY: walk_push(w, n->u.unary.operand, d); break;
    case AST_BINARY: walk_push(w, n->u.binary.left, d); walk_push(w, n->u.binary.right, d); break;
    case AST_QUANT: case AST_COUNT: walk_push(w, n->u.quant.coll, d); walk_push(w, n->u.quant.cond, d); break;
    case AST_FOR:
        walk_push(w, n->u.forstmt.coll, d);
        walk_push(w, n->u.forstmt.where, d);
        walk_list(w, &n->u.forstmt.body, d);
        break;
    case AST_LET: walk_push(w, n->u.let.value, d); break;
    case AST_REQUIRE: walk_push(w, n->u.require.cond, d); walk_push(w, n->u.require.message, d); break;
    case AST_PARAM: walk_push(w, n->u.param.value, d); break;
    case AST_DEF: walk_push(w, n->u.def.body, d); break;
    case AST_CONTROL: walk_list(w, &n->u.control.items, d); break;
    case AST_TEST: walk_list(w, &n->u.test.items, d); break;
    case AST_TEST_GIVEN: walk_push(w, n->u.test_given.facts, d); break;
    case AST_TEST_PARAMS: walk_push(w, n->u.test_params.map, d); break;
    default: break;
    }
}

int check_depth(compiler *c, cunit *u)
{
    walk w = {0};
    int rc = 0;
    for (uint32_t i = 0; i < u->ast->decls.n && rc == 0; i++) {
        walk_push(&w, u->ast->decls.items[i], 1);
        while (w.n) {
            const ast *n = w.v[w.n - 1].n;
            uint32_t depth = w.v[--w.n].depth;
            if (depth > CHECK_MAX_DEPTH) {
                CERR(c, u, n, "nested more than %u levels deep: split it with `let` or a `def`", CHECK_MAX_DEPTH);
                rc = -1;
                break;
            }
            walk_children(&w, n, depth + 1);
        }
        w.n = 0;
    }
    free(w.v);
    return rc;
}
