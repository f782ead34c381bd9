/* runtime/explain.c - the `aip explain` report, text or JSON. The layout is
 * documented in docs/explain.md; the model in explain.h and trace.h.
 *
 * Trees are walked recursively; their depth is bounded by the nesting of
 * debug entries (BC_MAX_EXPR_DEPTH, enforced by the verifier).
 */
#include "runtime/explain.h"

#include <string.h>

#include "runtime/because.h"
#include "runtime/json_out.h"

/* JSON trees stop here (each level is two containers of the writer's
 * JW_MAX_DEPTH); the text shows every level. */
enum { EXPLAIN_JSON_MAX_DEPTH = 24 };

typedef struct ectx {
    FILE *out;
    jw w;
    const eval_result *r;
    const control_result *cr;
    const bundle *b;
    const explain_opts *o;
} ectx;

/* A traced value as a because item (same wording and JSON shape). */
static because_item item_of(const char *expr, const tval *v)
{
    because_item it;
    memset(&it, 0, sizeof it);
    it.expr = expr;
    it.value = v->value;
    it.undefined = v->value ? NULL : v->why;
    it.file = v->file;
    it.line = v->line;
    it.col = v->col;
    it.truncated = v->truncated;
    return it;
}

static const char *expr_text(const bundle *b, uint32_t e)
{
    return b->strs.v[b->exprs.v[e].text];
}

/* The name a quantifier binds, for its element nodes. */
static void element_name(const bundle *b, const tnode *parent, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (parent && parent->expr != BC_NO_EXPR)
        because_quant_var(expr_text(b, parent->expr), buf, cap);
    if (!buf[0])
        snprintf(buf, cap, "element");
}

static const finding *finding_of(const trec *r, const control_result *cr)
{
    return r->finding != UINT32_MAX && cr && cr->findings && r->finding < cr->nfindings ? &cr->findings[r->finding]
                                                                                        : NULL;
}

static const char *outcome_of(const trec *r, const control_result *cr)
{
    const finding *fd = finding_of(r, cr);
    if (fd)
        return fd->kind == FINDING_VIOLATION ? "violation" : "missing_evidence";
    return r->v.truth == 1 ? "held" : "unknown";
}

/* ---- text ---------------------------------------------------------------------- */

static void indent(FILE *out, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        fputs("  ", out);
}

static void text_item(FILE *out, const because_item *it)
{
    char buf[1024];
    because_item_text(it, buf, sizeof buf);
    fputs(buf, out);
    if (it->file)
        fprintf(out, " (at %s:%u:%u)", it->file, (unsigned)it->line, (unsigned)it->col);
    putc('\n', out);
}

/* What node n shows as its expression: its source text, or for an element
 * of a quantifier (no debug entry) the element's name, written into name. */
static const char *node_expr(const ectx *c, const tnode *n, const tnode *parent, char *name, size_t size)
{
    if (n->expr != BC_NO_EXPR)
        return expr_text(c->b, n->expr);
    element_name(c->b, parent, name, size);
    return name;
}

static void text_tree(ectx *c, const tnode *n, const tnode *parent, unsigned level, unsigned depth)
{
    char name[64];
    const char *expr = node_expr(c, n, parent, name, sizeof name);
    because_item it = item_of(expr, &n->v);
    indent(c->out, level);
    text_item(c->out, &it);
    if (depth > BC_MAX_EXPR_DEPTH)
        return;
    uint32_t elems = 0, hidden = 0;
    for (const tnode *k = n->first; k; k = k->next) {
        if (k->expr == BC_NO_EXPR && ++elems > EXPLAIN_MAX_ELEMENTS) {
            hidden++;
            continue;
        }
        if (elems > EXPLAIN_MAX_ELEMENTS)
            continue;   /* the condition of a hidden element */
        /* an element's condition goes under the element */
        text_tree(c, k, n, level + 1 + (k->expr != BC_NO_EXPR && elems > 0), depth + 1);
    }
    if (hidden) {
        indent(c->out, level + 1);
        fprintf(c->out, "... %u more element%s\n", hidden, hidden == 1 ? "" : "s");
    }
}

static void text_because(ectx *c, const finding *fd, unsigned level)
{
    for (uint32_t i = 0; i < fd->nbecause; i++) {
        indent(c->out, level);
        fputs(i ? "         " : "because: ", c->out);
        text_item(c->out, &fd->because[i]);
    }
}

static int write_text(ectx *c, const trace *t)
{
    FILE *out = c->out;
    const control_result *cr = c->cr;
    fprintf(out, "%s  %s\n", cr->id, cr->title ? cr->title : "");
    fprintf(out, "  verdict: %s (%s), evaluated at %s\n", verdict_name(cr->verdict),
            cr->enforce ? "advisory" : "mandatory", c->r->evaluated_at);
    if (cr->error)
        fprintf(out, "  error: %s\n", cr->error);
    uint32_t block = UINT32_MAX;
    unsigned scope_level = 0;
    int any = 0;
    for (const trec *r = trace_records(t); r; r = r->next) {
        any = 1;
        if (r->block != block) {
            block = r->block;
            const bc_control *bc = &c->b->controls.v[block];
            fprintf(out, "\n  control block at %s:%u\n", c->b->strs.v[bc->file], (unsigned)bc->line);
            scope_level = 0;
        }
        switch (r->kind) {
        case TREC_BIND: {
            scope_level = r->level + 1;
            indent(out, r->level + 1);
            char head[600];
            snprintf(head, sizeof head, "for each of %s:", r->site < c->b->sites.n ? c->b->strs.v[c->b->sites.v[r->site].text] : "the scope");
            fputs(head, out);
            char v[512];
            because_value_text(r->v.value, r->v.truncated, v, sizeof v);
            fprintf(out, " %s", r->v.value ? v : "(undefined)");
            if (r->v.file)
                fprintf(out, " (at %s:%u:%u)", r->v.file, (unsigned)r->v.line, (unsigned)r->v.col);
            putc('\n', out);
            break;
        }
        case TREC_WHERE:
        case TREC_REQUIRE: {
            const bc_site *s = &c->b->sites.v[r->site];
            unsigned lv = scope_level + 1;
            indent(out, lv);
            fprintf(out, "%s %s  (%s:%u)\n", r->kind == TREC_WHERE ? "where" : "require",
                    c->b->strs.v[s->text], c->b->strs.v[s->file], (unsigned)s->line);
            indent(out, lv + 1);
            const char *oc = r->kind == TREC_WHERE ? (r->v.truth == 1 ? "in scope" : r->v.truth == 0 ? "not in scope" : "cannot tell")
                                                   : outcome_of(r, cr);
            fprintf(out, "=> %s\n", oc);
            if (r->tree)
                text_tree(c, r->tree, NULL, lv + 2, 0);
            else {
                because_item it = item_of(c->b->strs.v[s->text], &r->v);
                indent(out, lv + 2);
                text_item(out, &it);
            }
            const finding *fd = finding_of(r, cr);
            if (fd) {
                indent(out, lv + 1);
                fprintf(out, "%s: %s\n", finding_kind_name(fd->kind), fd->message ? fd->message : "");
                text_because(c, fd, lv + 1);
            }
            break;
        }
        case TREC_ATTEST: {
            indent(out, scope_level + 1);
            const finding *fd = finding_of(r, cr);
            if (fd)
                fprintf(out, "attest => %s: %s\n", finding_kind_name(fd->kind), fd->message ? fd->message : "");
            else
                fputs("attest => held: a current attestation covers it\n", out);
            break;
        }
        }
    }
    if (!any)
        fprintf(out, "\n  nothing was evaluated%s%s\n", c->o->target ? " for target " : "",
                c->o->target ? c->o->target : "");
    return ferror(out) ? -1 : 0;
}

/* ---- JSON ---------------------------------------------------------------------- */

static void json_tree(ectx *c, const tnode *n, const tnode *parent, unsigned depth)
{
    jw *w = &c->w;
    char name[64];
    const char *expr = node_expr(c, n, parent, name, sizeof name);
    because_item it = item_of(expr, &n->v);
    jw_object_begin(w);
    jw_member_string(w, "kind", n->expr == BC_NO_EXPR ? "element" : "expr");
    jw_key(w, "value");
    because_json_item(w, &it);
    jw_key(w, "children");
    jw_array_begin(w);
    uint32_t elems = 0;
    if (depth < EXPLAIN_JSON_MAX_DEPTH)
        for (const tnode *k = n->first; k; k = k->next) {
            if (k->expr == BC_NO_EXPR)
                elems++;
            if (elems > EXPLAIN_MAX_ELEMENTS)
                continue;
            json_tree(c, k, n, depth + 1);
        }
    jw_array_end(w);
    jw_member_int(w, "elements_not_shown", elems > EXPLAIN_MAX_ELEMENTS ? elems - EXPLAIN_MAX_ELEMENTS : 0);
    jw_object_end(w);
}

static void json_location(jw *w, const char *key, const char *file, uint32_t line)
{
    jw_key(w, key);
    jw_object_begin(w);
    jw_member_string(w, "file", file);
    jw_member_int(w, "line", line);
    jw_object_end(w);
}

static void json_finding(ectx *c, const finding *fd)
{
    jw *w = &c->w;
    jw_key(w, "finding");
    if (!fd) {
        jw_null(w);
        return;
    }
    jw_object_begin(w);
    jw_member_string(w, "kind", finding_kind_name(fd->kind));
    jw_member_string(w, "message", fd->message ? fd->message : "");
    jw_member_string(w, "path", fd->path ? fd->path : "");
    jw_member_string(w, "subject", fd->subject);
    jw_key(w, "because");
    because_json_items(w, fd->because, fd->nbecause);
    jw_object_end(w);
}

static int write_json(ectx *c, const trace *t)
{
    jw *w = &c->w;
    const control_result *cr = c->cr;
    jw_init(w, c->out);
    jw_object_begin(w);
    jw_member_string(w, "control", cr->id);
    jw_member_string(w, "title", cr->title ? cr->title : "");
    jw_member_string(w, "verdict", verdict_name(cr->verdict));
    jw_member_string(w, "enforce", cr->enforce ? "advisory" : "mandatory");
    jw_member_string(w, "error", cr->error);
    jw_member_string(w, "evaluated_at", c->r->evaluated_at);
    jw_member_string(w, "target", c->o->target);
    jw_key(w, "steps");
    jw_array_begin(w);
    for (const trec *r = trace_records(t); r; r = r->next) {
        const bc_control *bc = &c->b->controls.v[r->block];
        jw_object_begin(w);
        jw_member_string(w, "kind", r->kind == TREC_BIND ? "scope" : r->kind == TREC_WHERE ? "where"
                                    : r->kind == TREC_REQUIRE ? "require" : "attest");
        json_location(w, "block", c->b->strs.v[bc->file], bc->line);
        if (r->kind == TREC_BIND) {
            jw_member_int(w, "level", r->level);
            jw_member_string(w, "scope", r->site < c->b->sites.n ? c->b->strs.v[c->b->sites.v[r->site].text] : NULL);
            jw_member_string(w, "subject", r->subject);
            because_item it = item_of(r->subject ? "id" : "element", &r->v);
            jw_key(w, "element");
            because_json_item(w, &it);
        } else if (r->kind == TREC_ATTEST) {
            const finding *fd = finding_of(r, cr);
            jw_member_string(w, "outcome", fd ? finding_kind_name(fd->kind) : "held");
            json_finding(c, fd);
        } else {
            const bc_site *s = &c->b->sites.v[r->site];
            jw_member_string(w, "expr", c->b->strs.v[s->text]);
            json_location(w, "policy_location", c->b->strs.v[s->file], s->line);
            jw_member_string(w, "outcome", r->kind == TREC_WHERE
                                 ? (r->v.truth == 1 ? "in_scope" : r->v.truth == 0 ? "not_in_scope" : "unknown")
                                 : outcome_of(r, cr));
            jw_key(w, "tree");
            if (r->tree) {
                json_tree(c, r->tree, NULL, 0);
            } else {
                because_item it = item_of(c->b->strs.v[s->text], &r->v);
                jw_object_begin(w);
                jw_member_string(w, "kind", "expr");
                jw_key(w, "value");
                because_json_item(w, &it);
                jw_key(w, "children");
                jw_array_begin(w);
                jw_array_end(w);
                jw_member_int(w, "elements_not_shown", 0);
                jw_object_end(w);
            }
            if (r->kind == TREC_REQUIRE)
                json_finding(c, finding_of(r, cr));
        }
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_object_end(w);
    return jw_finish(w);
}

int explain_write(FILE *out, const eval_result *r, const bundle *b, const trace *t, const explain_opts *o)
{
    if (!r->ncontrols)
        return -1;
    ectx c;
    memset(&c, 0, sizeof c);
    c.out = out;
    c.r = r;
    c.cr = &r->controls[0];
    c.b = b;
    c.o = o;
    return o->json ? write_json(&c, t) : write_text(&c, t);
}
