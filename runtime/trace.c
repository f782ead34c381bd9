/* runtime/trace.c - the sub-expression values of a control run, from the
 * bundle's debug entries. The model is in trace.h.
 *
 * How a tree is rebuilt: entries are closed in post-order (an operand before
 * the expression that uses it), so completed nodes wait on a pending stack
 * until their parent closes and adopts the ones on top that name it as
 * parent (and, for a quantifier, the element nodes bound inside it). An entry
 * closes when the VM is about to run the instruction at the entry's `end` and
 * the instruction it ran last at this call depth lies inside the entry's
 * range: only then did the entry's code just finish. Jumps that skip an
 * operand (`and`, `or`, `??`) never enter its range, so it never closes.
 *
 * The hook only reads the VM's state, checks the stack depth before reading
 * the top, and keeps its own memory bounded by the work the VM did.
 */
#include "runtime/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/because.h"

struct trace {
    const bundle *b;
    const facts *f;
    trace_mode mode;
    arena *out;             /* records, because items */
    arena scratch;          /* trees of TRACE_BECAUSE (reset after each require) */
    uint32_t *end_first;    /* entries ending at pc: end_list[end_first[pc]..end_first[pc+1]) */
    uint32_t *end_list;     /* descending entry index (inner first) */
    uint32_t prev;          /* last pc run at depth 0, UINT32_MAX at the start */
    tnode **pending;        /* completed nodes not yet adopted */
    uint32_t npending, cap;
    /* the last require's condition, until its FINDING ran */
    tnode *req_tree;
    tval req_val;
    trec *req_rec;
    uint32_t attest_before; /* findings before an ATTEST */
    /* explain */
    const char *target;
    uint32_t block;
    trec *first, *last;
    /* because */
    const trace_ticket *tickets;
    uint32_t ntickets, cursor, matched;
    control_result *orig;
};

static void oom(void)
{
    fputs("aip: internal error: out of memory\n", stderr);
    exit(3);
}

trace *trace_new(const bundle *b, const facts *f, trace_mode mode, arena *out)
{
    trace *t = aip_xcalloc(1, sizeof *t);
    t->b = b;
    t->f = f;
    t->mode = mode;
    t->out = out;
    arena_init(&t->scratch);
    uint32_t n = b->code.n;
    t->end_first = aip_xcalloc((size_t)n + 2, sizeof *t->end_first);
    t->end_list = aip_xcalloc(b->exprs.n ? b->exprs.n : 1, sizeof *t->end_list);
    for (uint32_t i = 0; i < b->exprs.n; i++)
        if (b->exprs.v[i].end <= n)
            t->end_first[b->exprs.v[i].end + 1]++;
    for (uint32_t pc = 0; pc <= n; pc++)
        t->end_first[pc + 1] += t->end_first[pc];
    uint32_t *fill = aip_xcalloc((size_t)n + 1, sizeof *fill);
    for (uint32_t i = b->exprs.n; i-- > 0;) {
        uint32_t e = b->exprs.v[i].end;
        if (e <= n)
            t->end_list[t->end_first[e] + fill[e]++] = i;
    }
    free(fill);
    t->prev = UINT32_MAX;
    return t;
}

void trace_free(trace *t)
{
    if (!t)
        return;
    arena_free(&t->scratch);
    free(t->end_first);
    free(t->end_list);
    free(t->pending);
    free(t);
}

void trace_set_target(trace *t, const char *target)
{
    t->target = target;
}

void trace_begin(trace *t, uint32_t block, const trace_ticket *tickets, uint32_t n, control_result *orig)
{
    t->block = block;
    t->tickets = tickets;
    t->ntickets = n;
    t->cursor = 0;
    t->orig = orig;
    t->prev = UINT32_MAX;
    t->npending = 0;
    t->req_tree = NULL;
    t->req_rec = NULL;
}

const trec *trace_records(const trace *t)
{
    return t->first;
}

uint32_t trace_matched(const trace *t)
{
    return t->matched;
}

/* Trees live in the output arena for explain (they are shown), in scratch
 * for because (only the items survive). */
static arena *tree_arena(trace *t)
{
    return t->mode == TRACE_EXPLAIN ? t->out : &t->scratch;
}

static void *talloc(arena *a, size_t n)
{
    void *p = arena_zalloc(a, n);
    if (!p)
        oom();
    return p;
}

static void push_pending(trace *t, tnode *n)
{
    if (t->npending == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 32;
        t->pending = aip_xrealloc(t->pending, sizeof *t->pending * t->cap);
    }
    t->pending[t->npending++] = n;
}

static trec *new_rec(trace *t, trec_kind kind)
{
    trec *r = talloc(t->out, sizeof *r);
    r->kind = kind;
    r->block = t->block;
    r->finding = UINT32_MAX;
    if (t->last)
        t->last->next = r;
    else
        t->first = r;
    t->last = r;
    return r;
}

/* The id of a map element, or NULL. */
static const fnode *id_of(val v)
{
    if (v.kind != VAL_MAP)
        return NULL;
    const fnode *id = fnode_get(v.u.node, "id", 2);
    return id && id->kind == FN_STR ? id : NULL;
}

static int is_quant(uint8_t kind)
{
    return kind == BC_X_ALL || kind == BC_X_ANY || kind == BC_X_NONE || kind == BC_X_COUNT;
}

/* Can a condition with truth t decide a quantifier of this kind (or make it undefined)? */
static int decides(uint8_t kind, int t)
{
    if (kind == BC_X_ALL)
        return t != 1;
    if (kind == BC_X_COUNT)
        return t < 0;
    return t != 0;
}

/* Node n takes value v: copied now for explain (it is shown after the run),
 * kept as the VM's value for because (copied only if an item uses it). */
static void set_value(trace *t, arena *a, tnode *n, val v)
{
    n->truth = (int8_t)(v.kind == VAL_BOOL ? (v.u.b != 0) : -1);
    n->undef = v.kind == VAL_UNDEF || v.kind == VAL_ITER;
    if (t->mode == TRACE_EXPLAIN) {
        if (n->expr == BC_NO_EXPR)
            because_copy_element(a, t->f, v, &n->v);
        else
            because_copy_value(a, t->f, v, &n->v);
        n->ready = 1;
    } else {
        n->raw = v;
    }
}

/* Entry e closes with value v: adopt its children from the pending stack. */
static void close_entry(trace *t, uint32_t e, val v)
{
    const bc_expr *x = &t->b->exprs.v[e];
    arena *a = tree_arena(t);
    tnode *n = talloc(a, sizeof *n);
    n->expr = e;
    set_value(t, a, n, v);
    int quant = is_quant(x->kind);
    uint32_t k = t->npending;
    while (k > 0) {
        const tnode *c = t->pending[k - 1];
        int mine = c->expr == BC_NO_EXPR ? quant : t->b->exprs.v[c->expr].parent == e;
        if (!mine)
            break;
        k--;
    }
    for (uint32_t i = k; i < t->npending; i++) {
        tnode *c = t->pending[i];
        c->next = NULL;
        if (n->last)
            n->last->next = c;
        else
            n->first = c;
        n->last = c;
    }
    t->npending = k;
    /* because: a quantifier's condition that did not decide is not needed,
     * nor its element (keeps memory flat over long collections) */
    if (t->mode == TRACE_BECAUSE && x->parent != BC_NO_EXPR && is_quant(t->b->exprs.v[x->parent].kind) &&
        k > 0 && t->pending[k - 1]->expr == BC_NO_EXPR && !decides(t->b->exprs.v[x->parent].kind, n->truth)) {
        t->npending = k - 1;
        return;
    }
    push_pending(t, n);
}

/* The pending node that is the condition ending at pc, or NULL. */
static tnode *condition_at(trace *t, uint32_t pc)
{
    if (!t->npending)
        return NULL;
    tnode *n = t->pending[t->npending - 1];
    if (n->expr == BC_NO_EXPR || t->b->exprs.v[n->expr].end != pc ||
        t->b->exprs.v[n->expr].parent != BC_NO_EXPR)
        return NULL;
    return n;
}

/* Does element e of the scope at nesting `level` pass the filter? */
static int wanted(trace *t, const fnode *e, uint32_t level, const fnode *const *scope_elem)
{
    if (t->mode == TRACE_EXPLAIN) {
        if (!t->target || level > 0)
            return 1;
        const fnode *id = e && e->kind == FN_MAP ? fnode_get(e, "id", 2) : NULL;
        return id && id->kind == FN_STR && strcmp(id->u.s, t->target) == 0;
    }
    /* because: only the scope path of the next finding to explain */
    if (level >= TRACE_TICKET_LEVELS)
        return 1;
    if (t->cursor >= t->ntickets)
        return 0;
    const trace_ticket *tk = &t->tickets[t->cursor];
    if (tk->nlevels <= level || tk->elem[level] != e)
        return 0;
    for (uint32_t j = 0; j < level; j++)
        if (tk->elem[j] != scope_elem[j])
            return 0;
    return 1;
}

static void skip_unwanted(trace *t, val *it, uint32_t level, const fnode *const *scope_elem)
{
    if (it->kind != VAL_ITER || !it->u.node)
        return;
    const fnode *coll = it->u.node;
    if (coll->kind != FN_LIST && coll->kind != FN_MAP)
        return;
    while (it->n < coll->n) {
        const fnode *e = coll->kind == FN_LIST ? coll->u.items[it->n] : coll->u.entries[it->n].val;
        if (wanted(t, e, level, scope_elem))
            break;
        it->n++;
    }
}

/* The FINDING at prev ran: give its finding the because of the last require. */
static void after_finding(trace *t, uint32_t site, control_result *cur)
{
    finding *fd = NULL;
    if (t->mode == TRACE_EXPLAIN) {
        if (cur && cur->nfindings)
            fd = &cur->findings[cur->nfindings - 1];
        if (t->req_rec && cur)
            t->req_rec->finding = cur->nfindings - 1;
    } else if (t->cursor < t->ntickets) {
        const trace_ticket *tk = &t->tickets[t->cursor];
        if (tk->site != site || !t->orig || tk->finding >= t->orig->nfindings) {
            t->cursor = t->ntickets;   /* out of step: explain nothing more */
        } else {
            fd = &t->orig->findings[tk->finding];
            t->cursor++;
            t->matched++;
        }
    }
    if (fd && !fd->because && t->req_tree) {
        because_item *items;
        fd->nbecause = because_build(t->b, t->f, t->req_tree, t->out, &items);
        fd->because = fd->nbecause ? items : NULL;
    }
    t->req_tree = NULL;
    t->req_rec = NULL;
    t->npending = 0;   /* the message's sub-expressions */
    if (t->mode == TRACE_BECAUSE)
        arena_reset(&t->scratch);
}

void trace_step(trace *t, uint32_t pc, uint32_t depth, const val *base, val *sp, const val *locals,
                const fnode *const *scope_elem, uint32_t nscopes, control_result *cur)
{
    if (depth != 0)
        return;
    const bundle *b = t->b;
    const uint32_t *code = b->code.v;
    uint32_t prev = t->prev;
    t->prev = pc;
    /* what the previous instruction did */
    if (prev != UINT32_MAX && prev < b->code.n) {
        uint32_t pw = code[prev];
        bc_op pop = (bc_op)BC_OP(pw);
        int fell = pop < BC_NUM_OPS && pc == prev + bc_op_len(pop);
        if ((pop == OP_ITER_NEXT || pop == OP_SCOPE_NEXT) && fell) {
            val e = locals[BC_A(pw)];
            if (pop == OP_ITER_NEXT) {
                arena *a = tree_arena(t);
                tnode *n = talloc(a, sizeof *n);
                n->expr = BC_NO_EXPR;
                set_value(t, a, n, e);
                push_pending(t, n);
            } else if (t->mode == TRACE_EXPLAIN) {
                trec *r = new_rec(t, TREC_BIND);
                r->level = nscopes ? nscopes - 1 : 0;
                r->site = UINT32_MAX;   /* the SCOPE before this loop names the collection */
                if (prev > 0 && BC_OP(code[prev - 1]) == OP_SCOPE && BC_A(code[prev - 1]) < b->sites.n)
                    r->site = BC_A(code[prev - 1]);
                const fnode *id = id_of(e);
                r->subject = id ? id->u.s : NULL;
                because_copy_element(t->out, t->f, e, &r->v);
            }
        } else if (pop == OP_FINDING) {
            after_finding(t, BC_A(pw), cur);
        } else if (pop == OP_ATTEST && t->mode == TRACE_EXPLAIN) {
            trec *r = new_rec(t, TREC_ATTEST);
            if (cur && cur->nfindings > t->attest_before)
                r->finding = cur->nfindings - 1;
        }
    }
    /* entries whose code just finished */
    if (prev != UINT32_MAX && pc < b->code.n) {
        for (uint32_t k = t->end_first[pc]; k < t->end_first[pc + 1]; k++) {
            uint32_t e = t->end_list[k];
            const bc_expr *x = &b->exprs.v[e];
            if (prev >= x->start && prev < x->end && sp > base)
                close_entry(t, e, sp[-1]);
        }
    }
    if (pc >= b->code.n)
        return;
    uint32_t w = code[pc];
    switch ((bc_op)BC_OP(w)) {
    case OP_REQUIRE:
    case OP_WHERE: {
        if (sp <= base)
            break;
        tnode *cond = condition_at(t, pc);
        val v = sp[-1];
        if (t->mode == TRACE_EXPLAIN) {
            trec *r = new_rec(t, BC_OP(w) == OP_REQUIRE ? TREC_REQUIRE : TREC_WHERE);
            r->site = BC_A(w);
            r->tree = cond;
            because_copy_value(t->out, t->f, v, &r->v);
            if (BC_OP(w) == OP_REQUIRE)
                t->req_rec = r;
        }
        t->npending = 0;
        if (BC_OP(w) == OP_WHERE && t->mode == TRACE_BECAUSE)
            arena_reset(&t->scratch);
        if (BC_OP(w) == OP_REQUIRE) {
            if (v.kind == VAL_BOOL && v.u.b) {
                t->req_tree = NULL;
                if (t->mode == TRACE_BECAUSE)
                    arena_reset(&t->scratch);
            } else {
                t->req_tree = cond;
            }
        }
        break;
    }
    case OP_SCOPE_NEXT:
        if (nscopes >= 1 && (t->mode == TRACE_BECAUSE || (t->target && nscopes == 1)) && sp > base)
            skip_unwanted(t, &sp[-1], nscopes - 1, scope_elem);
        break;
    case OP_ATTEST:
        t->attest_before = cur ? cur->nfindings : 0;
        break;
    default:
        break;
    }
}
