/* runtime/vm.c - the evaluator: runs each control of a verified bundle
 * against the facts and decides its verdict.
 *
 * A stack machine with one dispatch loop (vm_run). The verifier
 * (runtime/verify.c) has proved every index, jump and stack depth, so the loop
 * checks only what depends on data: value kinds, and the budgets (steps,
 * stack, call depth, memory). Temporaries live in an evaluation arena that is
 * reset after each control block; findings are copied into the result's arena.
 *
 * Not here: loading (bundle.c, facts*.c), verdict reports (report_*.c).
 */
#include "runtime/vm.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/builtins.h"
#include "runtime/memo.h"
#include "runtime/trace.h"

enum { MAX_SCOPES = BC_MAX_STACK };

typedef struct frame {
    const bc_func *f;
    uint32_t ret_pc;        /* caller's pc to resume */
    uint32_t locals;        /* first slot in vm->lstack */
    uint32_t stack_base;    /* caller's sp at the call, args removed */
    int memo;               /* store the result in vm.memo when the call returns */
} frame;

typedef struct vm {
    const bundle *b;
    const facts *facts;
    const vm_options *o;
    const val *params;
    arena eval;                 /* temporaries of one control block */
    eval_result *res;
    control_result *cur;        /* result being filled */
    const bc_control *ctl;      /* control block being run */
    uint32_t held;              /* requirements held in this block */
    uint32_t violations, missing; /* findings of this block */
    val *stack;                 /* operand stack (budget.max_stack slots) */
    val *lstack;                /* locals of all frames */
    uint32_t lstack_cap;
    frame *frames;
    const fnode **scope_elem;   /* current element of each open scope */
    uint8_t *field_hint;        /* per code word: entry index where its FIELD last found its key */
    uint8_t index_hint;         /* the same for string-keyed INDEX (one for all) */
    memo *memo;                 /* results of def calls with constant arguments (memo.h),
                                   of this block; reset with `eval` */
    uint32_t nscopes;
    builtin_env benv;
    char errmsg[512];           /* runtime error of this block */
    uint32_t err_pc;
    /* "because" and explain (runtime/trace.h): the trace attached to this run,
     * and the findings at requires of this block, when they are wanted */
    trace *trace;
    trace *because_trace;
    int want_tickets;
    int discard_findings;       /* the because re-run: findings made are not kept */
    trace_ticket *tickets;
    uint32_t ntickets, tcap;
} vm;

/* ---- small helpers ------------------------------------------------------------- */

void vm_options_default(vm_options *o)
{
    memset(o, 0, sizeof *o);
    o->fail_on = FAIL_ON_MANDATORY;
    o->budget.max_steps = 10000000;
    o->budget.max_stack = BC_MAX_STACK;
    o->budget.max_frames = 64;
    o->budget.max_memory = (size_t)256 << 20;
}

void eval_result_free(eval_result *r)
{
    if (!r)
        return;
    arena_free(&r->mem);
    free(r);
}

static const char *res_strdup(vm *m, const char *s)
{
    char *p = arena_strdup(&m->res->mem, s ? s : "");
    if (!p) {
        fputs("aip: internal error: out of memory\n", stderr);
        exit(3);
    }
    return p;
}

/* The id of the outermost open scope element that has one, or NULL. */
static const char *subject_of(vm *m)
{
    for (uint32_t i = 0; i < m->nscopes; i++) {
        const fnode *e = m->scope_elem[i];
        if (e && e->kind == FN_MAP) {
            const fnode *id = fnode_get(e, "id", 2);
            if (id && id->kind == FN_STR)
                return id->u.s;
        }
    }
    return NULL;
}

/* Fill the location of a finding from fact node n. */
static void locate(vm *m, finding *fd, const fnode *n)
{
    const char *file = facts_node_file(m->facts, n);
    if (n && file) {
        fd->file = file;
        fd->line = n->line;
        fd->col = n->col;
    }
}

static finding *new_finding(vm *m, finding_kind kind, const bc_site *site)
{
    control_result *c = m->cur;
    if (m->discard_findings && c->nfindings) {
        /* the because re-run: its findings repeat the first run's and are
         * dropped; keep one at a time (the last is complete by now) */
        c->nfindings = c->cap = 0;
        c->findings = NULL;
        arena_reset(&m->res->mem);
    }
    if (c->nfindings == c->cap) {
        uint32_t ncap = c->cap ? c->cap * 2 : 4;
        finding *nf = arena_alloc(&m->res->mem, sizeof *nf * ncap);
        if (!nf) {
            fputs("aip: internal error: out of memory\n", stderr);
            exit(3);
        }
        if (c->nfindings)
            memcpy(nf, c->findings, sizeof *nf * c->nfindings);
        c->findings = nf;
        c->cap = ncap;
    }
    finding *fd = &c->findings[c->nfindings++];
    memset(fd, 0, sizeof *fd);
    fd->kind = kind;
    const char *subj = subject_of(m);
    fd->subject = subj ? res_strdup(m, subj) : NULL;
    if (site) {
        fd->policy_file = m->b->strs.v[site->file];
        fd->policy_line = site->line;
        fd->policy_col = site->col;
    }
    if (kind == FINDING_VIOLATION)
        m->violations++;
    else
        m->missing++;
    return fd;
}

/* Path of undefined value u: anchor's path plus the missing suffix. */
static const char *undef_path(vm *m, const undef_info *u, const fnode *fallback)
{
    char buf[1024];
    const fnode *anchor = u ? u->anchor : fallback;
    if (anchor && anchor->file != FNODE_NO_FILE)
        fnode_path(anchor, buf, sizeof buf);
    else
        buf[0] = '\0';
    const char *missing = val_undef_missing(&m->res->mem, u);
    if (!missing) {
        fputs("aip: internal error: out of memory\n", stderr);
        exit(3);
    }
    size_t bl = strlen(buf);
    if (bl == 0 && missing[0] == '.')
        missing++;
    char *p = arena_printf(&m->res->mem, "%s%s", buf, missing);
    if (!p) {
        fputs("aip: internal error: out of memory\n", stderr);
        exit(3);
    }
    return p;
}

static const char *node_path(vm *m, const fnode *n)
{
    char buf[1024];
    if (!n || n->file == FNODE_NO_FILE)
        return res_strdup(m, "");
    return res_strdup(m, fnode_path(n, buf, sizeof buf));
}

/* Record missing evidence for value v (undefined or of a wrong kind) that
 * `what` (the site text) needed. */
static void missing_finding(vm *m, const bc_site *site, val v, const char *lead)
{
    finding *fd = new_finding(m, FINDING_MISSING_EVIDENCE, site);
    const char *text = site ? m->b->strs.v[site->text] : "";
    const char *why;
    if (v.kind == VAL_UNDEF) {
        const undef_info *u = v.u.undef;
        fd->path = undef_path(m, u, v.origin);
        locate(m, fd, u ? u->anchor : v.origin);
        if (u && u->reason)
            why = u->reason;
        else if (fd->path[0])
            why = arena_printf(&m->res->mem, "%s is missing", fd->path);
        else
            why = "a value it needs is undefined";
    } else {
        fd->path = node_path(m, v.origin);
        locate(m, fd, v.origin);
        why = arena_printf(&m->res->mem, "%s%sis %s, not %s", fd->path, fd->path[0] ? " " : "",
                           val_kind_name((val_kind)v.kind),
                           site && site->kind == BC_SITE_SCOPE ? "a list or map" : "a boolean");
    }
    fd->message = arena_printf(&m->res->mem, "%s `%s`: %s", lead, text, why ? why : "");
}

/* ---- runtime errors and undefined values ------------------------------------------ */

static int rt_error(vm *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int rt_error(vm *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->errmsg, sizeof m->errmsg, fmt, ap);
    va_end(ap);
    return -1;
}

/* Undefined with one more missing step after v's path (v undefined or
 * defined). The step is recorded, not written out (val_undef_missing). */
static val undef_step_after(vm *m, val v, undef_step step, const char *key, uint32_t klen, int64_t index)
{
    const undef_info *old = v.kind == VAL_UNDEF ? v.u.undef : NULL;
    if (old && old->reason)   /* a reason says more than a longer path */
        return val_undef(old);
    undef_info *u = arena_alloc(&m->eval, sizeof *u);
    if (!u)
        return val_undef(NULL);
    memset(u, 0, sizeof *u);
    u->anchor = old ? old->anchor : v.origin;
    u->prev = old;
    u->step = (uint8_t)step;
    if (step == UNDEF_STEP_INDEX)
        u->index = index;
    else
        u->key = key;
    u->key_len = klen;
    return val_undef(u);
}

static val undef_reason(vm *m, const fnode *origin, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static val undef_reason(vm *m, const fnode *origin, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    undef_info *u = arena_alloc(&m->eval, sizeof *u);
    if (!u)
        return val_undef(NULL);
    memset(u, 0, sizeof *u);
    u->anchor = origin;
    u->reason = arena_strdup(&m->eval, msg);
    return val_undef(u);
}

static const fnode *pick_origin(val a, val b)
{
    return a.origin ? a.origin : b.origin;
}

/* v.key for FIELD and string-keyed INDEX on a map; hash is fnode_key_hash of
 * the key, hint the instruction's entry hint (fnode_get_hinted). */
static val get_key(vm *m, val v, const char *key, uint32_t klen, uint32_t hash, uint8_t *hint)
{
    if (v.kind == VAL_MAP) {
        const fnode *n = fnode_get_hinted(v.u.node, key, klen, hash, hint);
        if (n)
            return val_from_node(n);
    }
    return undef_step_after(m, v, UNDEF_STEP_FIELD, key, klen, 0);
}

static val do_index(vm *m, val v, val k)
{
    if (k.kind == VAL_UNDEF)
        return k;
    if (v.kind == VAL_LIST) {
        if (k.kind == VAL_INT) {
            const fnode *n = fnode_at(v.u.node, k.u.i);
            return n ? val_from_node(n) : undef_step_after(m, v, UNDEF_STEP_INDEX, NULL, 0, k.u.i);
        }
        if (k.kind == VAL_STR) {
            if (v.u.node->n && !fnode_has_id_index(v.u.node))
                return undef_reason(m, v.origin, "cannot look up \"%s\": the list has entries without an id", k.u.s);
            const fnode *n = fnode_by_id(v.u.node, k.u.s, k.n);
            return n ? val_from_node(n) : undef_step_after(m, v, UNDEF_STEP_ID, k.u.s, k.n, 0);
        }
        return undef_reason(m, v.origin, "cannot index a list with %s", val_kind_name((val_kind)k.kind));
    }
    if (v.kind == VAL_MAP || v.kind == VAL_UNDEF || v.kind == VAL_NULL) {
        if (k.kind == VAL_STR)
            return get_key(m, v, k.u.s, k.n, fnode_key_hash(k.u.s, k.n), &m->index_hint);
        if (v.kind == VAL_UNDEF)
            return v;
        return undef_reason(m, v.origin, "cannot index a %s with %s", val_kind_name((val_kind)v.kind),
                            val_kind_name((val_kind)k.kind));
    }
    if (k.kind == VAL_STR)
        return get_key(m, v, k.u.s, k.n, fnode_key_hash(k.u.s, k.n), &m->index_hint);
    return undef_reason(m, v.origin, "cannot index a %s", val_kind_name((val_kind)v.kind));
}

/* Kleene truth of v: 1 true, 0 false, -1 unknown (undefined or not a bool). */
static int truth(val v)
{
    return v.kind == VAL_BOOL ? v.u.b : -1;
}

static val as_unknown(vm *m, val v, const char *op)
{
    if (v.kind == VAL_UNDEF)
        return v;
    return undef_reason(m, v.origin, "`%s` needs a boolean, got %s", op, val_kind_name((val_kind)v.kind));
}

static val compare_op(vm *m, bc_op op, val a, val b)
{
    if (a.kind == VAL_UNDEF)
        return a;
    if (b.kind == VAL_UNDEF)
        return b;
    const fnode *o = pick_origin(a, b);
    val r;
    if (op == OP_EQ || op == OP_NE) {
        int eq = val_equal(a, b);
        if (eq < 0)
            r = undef_reason(m, o, "cannot compare %s with %s", val_kind_name((val_kind)a.kind),
                             val_kind_name((val_kind)b.kind));
        else
            r = val_bool(op == OP_EQ ? eq : !eq);
    } else {
        int c = val_compare(a, b);
        if (c == -2) {
            r = undef_reason(m, o, "cannot order %s and %s", val_kind_name((val_kind)a.kind),
                             val_kind_name((val_kind)b.kind));
        } else {
            int t = op == OP_LT ? c < 0 : op == OP_LE ? c <= 0 : op == OP_GT ? c > 0 : c >= 0;
            r = val_bool(t);
        }
    }
    if (r.kind != VAL_UNDEF)
        r.origin = o;
    return r;
}

/* Does hay[0..hn) contain needle[0..nn)? */
static int find_bytes(const char *hay, size_t hn, const char *needle, size_t nn)
{
    if (nn == 0)
        return 1;
    for (size_t i = 0; i + nn <= hn; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, nn) == 0)
            return 1;
    return 0;
}

static val in_op(vm *m, val a, val b)
{
    if (a.kind == VAL_UNDEF)
        return a;
    if (b.kind == VAL_UNDEF)
        return b;
    val r;
    if (b.kind == VAL_LIST) {
        r = val_bool(0);
        for (uint32_t i = 0; i < b.u.node->n; i++)
            if (val_equal(a, val_from_node(b.u.node->u.items[i])) == 1) {
                r = val_bool(1);
                break;
            }
    } else if (b.kind == VAL_MAP && a.kind == VAL_STR) {
        r = val_bool(fnode_get(b.u.node, a.u.s, a.n) != NULL);
    } else if (b.kind == VAL_STR && a.kind == VAL_STR) {
        r = val_bool(find_bytes(b.u.s, b.n, a.u.s, a.n));
    } else {
        return undef_reason(m, pick_origin(a, b), "cannot test %s in %s", val_kind_name((val_kind)a.kind),
                            val_kind_name((val_kind)b.kind));
    }
    r.origin = pick_origin(a, b);
    return r;
}

/* Arithmetic. Returns -1 on a runtime error (overflow, division by zero). */
static int arith(vm *m, bc_op op, val a, val b, val *out)
{
    if (a.kind == VAL_UNDEF) { *out = a; return 0; }
    if (b.kind == VAL_UNDEF) { *out = b; return 0; }
    const fnode *o = pick_origin(a, b);
    static const char sym[] = {[OP_ADD] = '+', [OP_SUB] = '-', [OP_MUL] = '*', [OP_DIV] = '/'};
    if (a.kind == VAL_INT && b.kind == VAL_INT) {
        int64_t r = 0;
        int bad = 0;
        switch (op) {
        case OP_ADD: bad = __builtin_add_overflow(a.u.i, b.u.i, &r); break;
        case OP_SUB: bad = __builtin_sub_overflow(a.u.i, b.u.i, &r); break;
        case OP_MUL: bad = __builtin_mul_overflow(a.u.i, b.u.i, &r); break;
        default:
            if (b.u.i == 0)
                return rt_error(m, "division by zero");
            if (a.u.i == INT64_MIN && b.u.i == -1)
                bad = 1;
            else
                r = a.u.i / b.u.i;
        }
        if (bad)
            return rt_error(m, "integer overflow in %" PRId64 " %c %" PRId64, a.u.i, sym[op], b.u.i);
        *out = val_int(r);
    } else if (val_is_num(a) && val_is_num(b)) {
        double x = a.kind == VAL_INT ? (double)a.u.i : a.u.d;
        double y = b.kind == VAL_INT ? (double)b.u.i : b.u.d;
        if (op == OP_DIV && y == 0)
            return rt_error(m, "division by zero");
        *out = val_double(op == OP_ADD ? x + y : op == OP_SUB ? x - y : op == OP_MUL ? x * y : x / y);
    } else if (a.kind == VAL_DURATION && b.kind == VAL_DURATION && (op == OP_ADD || op == OP_SUB)) {
        int64_t r;
        if (op == OP_ADD ? __builtin_add_overflow(a.u.i, b.u.i, &r) : __builtin_sub_overflow(a.u.i, b.u.i, &r))
            return rt_error(m, "duration overflow");
        *out = val_duration(r);
    } else if ((a.kind == VAL_DURATION && b.kind == VAL_INT && (op == OP_MUL || op == OP_DIV)) ||
               (a.kind == VAL_INT && b.kind == VAL_DURATION && op == OP_MUL)) {
        int64_t d = a.kind == VAL_DURATION ? a.u.i : b.u.i, k = a.kind == VAL_INT ? a.u.i : b.u.i, r;
        if (op == OP_DIV) {
            if (k == 0)
                return rt_error(m, "division by zero");
            r = d / k;
        } else if (__builtin_mul_overflow(d, k, &r)) {
            return rt_error(m, "duration overflow");
        }
        *out = val_duration(r);
    } else {
        *out = undef_reason(m, o, "cannot compute %s %c %s", val_kind_name((val_kind)a.kind), sym[op],
                            val_kind_name((val_kind)b.kind));
        return 0;
    }
    out->origin = o;
    return 0;
}

/* A new fnode holding scalar v (for MKLIST/MKMAP). */
static fnode *node_of(vm *m, val v)
{
    if (v.kind == VAL_LIST || v.kind == VAL_MAP)
        return (fnode *)v.u.node;
    static const uint8_t kind_of[] = {[VAL_NULL] = FN_NULL, [VAL_BOOL] = FN_BOOL, [VAL_INT] = FN_INT,
                                      [VAL_DOUBLE] = FN_DOUBLE, [VAL_STR] = FN_STR,
                                      [VAL_DURATION] = FN_INT};
    fnode *n = fnode_new(&m->eval, (fnode_kind)kind_of[v.kind]);
    if (!n)
        return NULL;
    n->n = v.n;
    switch (v.kind) {
    case VAL_BOOL: n->u.b = v.u.b; break;
    case VAL_INT: case VAL_DURATION: n->u.i = v.u.i; break;
    case VAL_DOUBLE: n->u.d = v.u.d; break;
    case VAL_STR: n->u.s = v.u.s; break;
    default: break;
    }
    return n;
}

/* Set the nesting depth of a new list or map from its children; -1 when it
 * passes BC_MAX_NEST (a hostile bundle can build lists in a loop). */
static int nest_depth(fnode *n)
{
    for (uint32_t i = 0; i < n->n; i++) {
        const fnode *ch = n->kind == FN_LIST ? n->u.items[i] : n->u.entries[i].val;
        if ((ch->kind == FN_LIST || ch->kind == FN_MAP) && ch->depth + 1u > n->depth)
            n->depth = (uint8_t)(ch->depth + 1u < 255u ? ch->depth + 1u : 255u);
    }
    return n->depth >= BC_MAX_NEST ? -1 : 0;   /* depth counts levels below n */
}

/* ---- attestations --------------------------------------------------------------- */

/* Does attestation a's scope cover the systems in question? */
static int scope_covers(vm *m, const fnode *a)
{
    const fnode *scope = fnode_get(a, "scope", 5);
    if (!scope || scope->kind != FN_LIST)
        return 1;
    const char *subj = subject_of(m);
    if (subj) {
        for (uint32_t i = 0; i < scope->n; i++)
            if (scope->u.items[i]->kind == FN_STR && strcmp(scope->u.items[i]->u.s, subj) == 0)
                return 1;
        return 0;
    }
    const fnode *systems = fnode_get(facts_root(m->facts), "ai_systems", 10);
    if (!systems || systems->kind != FN_LIST)
        return 1;
    for (uint32_t s = 0; s < systems->n; s++) {
        const fnode *id = fnode_get(systems->u.items[s], "id", 2);
        if (!id || id->kind != FN_STR)
            continue;
        int found = 0;
        for (uint32_t i = 0; i < scope->n && !found; i++)
            found = scope->u.items[i]->kind == FN_STR && strcmp(scope->u.items[i]->u.s, id->u.s) == 0;
        if (!found)
            return 0;
    }
    return 1;
}

/* Count outcome k of the REQUIRE or ATTEST at pc when coverage is on. */
static void cov_count(const vm *m, uint32_t pc, int k)
{
    if (m->o->coverage && m->o->coverage[pc][k] != UINT32_MAX)
        m->o->coverage[pc][k]++;
}

/* ATTEST (at pc): decide this control's attestation requirement within `within` seconds. */
static void do_attest(vm *m, int64_t within, uint32_t pc)
{
    const char *cid = m->b->strs.v[m->ctl->id];
    const fnode *root = facts_root(m->facts);
    const fnode *list = fnode_get(root, "attestations", 12);
    int64_t max_days = within / 86400;
    const fnode *stale = NULL, *bad_date = NULL;
    const char *stale_why = NULL;
    for (uint32_t i = 0; list && list->kind == FN_LIST && i < list->n; i++) {
        const fnode *a = list->u.items[i];
        const fnode *ctl = fnode_get(a, "control", 7);
        if (!ctl || ctl->kind != FN_STR || strcmp(ctl->u.s, cid) != 0)
            continue;
        const fnode *date = fnode_get(a, "date", 4);
        int64_t d, e;
        if (!date || date->kind != FN_STR || date_parse_days(date->u.s, date->n, &d) != 0) {
            if (!bad_date)
                bad_date = date ? date : a;
            continue;
        }
        const fnode *exp = fnode_get(a, "expires", 7);
        if (exp && exp->kind == FN_STR && date_parse_days(exp->u.s, exp->n, &e) == 0 && e < m->o->today) {
            if (!stale) {
                stale = exp;
                stale_why = arena_printf(&m->res->mem, "expired on %s", exp->u.s);
            }
            continue;
        }
        if (d > m->o->today || m->o->today - d > max_days) {
            if (!stale) {
                stale = date;
                stale_why = d > m->o->today
                    ? arena_printf(&m->res->mem, "is dated %s, after the evaluation date", date->u.s)
                    : arena_printf(&m->res->mem, "is dated %s, %" PRId64 " days ago (allowed: %" PRId64 ")",
                                   date->u.s, m->o->today - d, max_days);
            }
            continue;
        }
        if (!scope_covers(m, a)) {
            if (!stale) {
                stale = fnode_get(a, "scope", 5);
                stale_why = "has a scope that does not cover the systems in question";
            }
            continue;
        }
        m->held++;
        cov_count(m, pc, VM_COV_TRUE);
        return;
    }
    cov_count(m, pc, stale ? VM_COV_FALSE : VM_COV_UNDEF);
    if (stale) {
        finding *fd = new_finding(m, FINDING_VIOLATION, NULL);
        const fnode *att = stale->parent;
        const fnode *aid = att ? fnode_get(att, "id", 2) : NULL;
        fd->message = arena_printf(&m->res->mem, "attestation %s for %s %s",
                                   aid && aid->kind == FN_STR ? aid->u.s : "(no id)", cid, stale_why);
        fd->path = node_path(m, stale);
        locate(m, fd, stale);
    } else {
        finding *fd = new_finding(m, FINDING_MISSING_EVIDENCE, NULL);
        if (bad_date) {
            fd->path = node_path(m, bad_date);
            locate(m, fd, bad_date);
            fd->message = arena_printf(&m->res->mem, "attestation for %s has no valid date (YYYY-MM-DD) at %s",
                                       cid, fd->path);
        } else {
            fd->path = res_strdup(m, "attestations");
            locate(m, fd, list ? list : NULL);
            fd->message = arena_printf(&m->res->mem, "no attestation for %s in attestations[] (needed within %" PRId64 " days)",
                                       cid, max_days);
        }
    }
    if (!m->cur->findings[m->cur->nfindings - 1].policy_file) {
        finding *fd = &m->cur->findings[m->cur->nfindings - 1];
        fd->policy_file = m->b->strs.v[m->ctl->file];
        fd->policy_line = m->ctl->line;
        fd->policy_col = m->ctl->col;
    }
}

/* ---- "because" ------------------------------------------------------------------ */

/* Remember the finding just made at require site `site` for the traced re-run. */
static void add_ticket(vm *m, uint32_t site)
{
    if (m->ntickets == m->tcap) {
        m->tcap = m->tcap ? m->tcap * 2 : 16;
        m->tickets = aip_xrealloc(m->tickets, sizeof *m->tickets * m->tcap);
    }
    trace_ticket *tk = &m->tickets[m->ntickets++];
    tk->finding = m->cur->nfindings - 1;
    tk->site = site;
    tk->nlevels = m->nscopes;
    for (uint32_t i = 0; i < TRACE_TICKET_LEVELS; i++)
        tk->elem[i] = i < m->nscopes ? m->scope_elem[i] : NULL;
}

static int vm_run(vm *m, uint32_t fi);

/* Forget the temporaries of a control block: its arena and the call results
 * cached with values in it (memo.h). */
static void block_reset(vm *m)
{
    arena_reset(&m->eval);
    memo_reset(m->memo);
}

/* Run block `block` again with a trace, only for the outermost scope
 * elements that had findings at a require, and give those findings their
 * "because". The re-run's own findings and counts go to scratch. */
static void because_rerun(vm *m, uint32_t block, control_result *cr)
{
    if (!m->because_trace)
        m->because_trace = trace_new(m->b, m->facts, TRACE_BECAUSE, &m->res->mem);
    trace_begin(m->because_trace, block, m->tickets, m->ntickets, cr);
    eval_result scratch_res;
    memset(&scratch_res, 0, sizeof scratch_res);
    arena_init(&scratch_res.mem);
    control_result scratch;
    memset(&scratch, 0, sizeof scratch);
    eval_result *res = m->res;
    control_result *cur = m->cur;
    const vm_options *o = m->o;
    vm_options quiet = *o;
    quiet.coverage = NULL;   /* the re-run counts nothing twice */
    uint32_t held = m->held, violations = m->violations, missing = m->missing;
    m->o = &quiet;
    m->res = &scratch_res;
    m->cur = &scratch;
    m->trace = m->because_trace;
    m->want_tickets = 0;
    m->discard_findings = 1;
    block_reset(m);
    (void)vm_run(m, m->b->controls.v[block].func);   /* an error stops the explaining, nothing else */
    m->trace = NULL;
    m->discard_findings = 0;
    m->o = o;
    m->res = res;
    m->cur = cur;
    m->held = held;
    m->violations = violations;
    m->missing = missing;
    arena_free(&scratch_res.mem);
}

/* ---- the dispatch loop ------------------------------------------------------------------- */

/* Run function fi (a control body). Returns 0, or -1 with m->errmsg set. */
static int vm_run(vm *m, uint32_t fi)
{
    const bundle *b = m->b;
    const uint32_t *code = b->code.v;
    const vm_budget *bud = &m->o->budget;
    uint32_t nframes = 0;
    const bc_func *f = &b->funcs.v[fi];
    if (f->max_stack > bud->max_stack)
        return rt_error(m, "stack budget of %u slots exceeded", bud->max_stack);
    if (f->nlocals > m->lstack_cap)
        return rt_error(m, "local budget exceeded");
    val *locals = m->lstack;
    for (uint32_t i = 0; i < f->nlocals; i++)
        locals[i] = val_undef(NULL);
    uint32_t lbase = 0;
    val *sp = m->stack;          /* next free slot */
    uint32_t pc = f->start;
    uint64_t steps = 0;
    m->nscopes = 0;
    trace *const tr = m->trace;
    /* no cached calls while tracing or counting coverage: both watch every call run */
    const int memo_on = m->memo && !tr && !m->o->coverage;

#define POP() (*--sp)
#define PUSH(v) (*sp++ = (v))
#define TOP() (sp[-1])
#define JUMP_TARGET() (uint32_t)((int64_t)pc + 2 + (int32_t)code[pc + 1])
#define FAIL(...) do { m->err_pc = pc; return rt_error(m, __VA_ARGS__); } while (0)
#define CHECK_MEM(ptr) do { if (!(ptr)) FAIL("memory budget of %zu bytes exceeded (raise it with --max-memory)", bud->max_memory); } while (0)

    for (;;) {
        if (++steps > bud->max_steps)
            FAIL("step budget of %" PRIu64 " instructions exceeded (raise it with --max-steps)", bud->max_steps);
        if (__builtin_expect(tr != NULL, 0) && nframes == 0)   /* explain / because only */
            trace_step(tr, pc, nframes, m->stack, sp, locals, m->scope_elem, m->nscopes, m->cur);
        uint32_t w = code[pc];
        uint32_t a = BC_A(w);
        switch ((bc_op)BC_OP(w)) {
        case OP_NOP:
            break;
        case OP_CONST:
            PUSH(b->kvals[a]);
            break;
        case OP_UNDEF:
            PUSH(val_undef(NULL));
            break;
        case OP_FACTS: {
            val v = val_from_node(facts_root(m->facts));
            PUSH(v);
            break;
        }
        case OP_PARAM:
            PUSH(m->params[a]);
            break;
        case OP_LOAD:
            PUSH(locals[a]);
            break;
        case OP_STORE:
            locals[a] = POP();
            break;
        case OP_POP:
            sp--;
            break;
        case OP_FIELD: {
            val v = POP();
            PUSH(get_key(m, v, b->kvals[a].u.s, b->kvals[a].n, b->khash[a], &m->field_hint[pc]));
            break;
        }
        case OP_INDEX: {
            val k = POP(), v = POP();
            PUSH(do_index(m, v, k));
            break;
        }
        case OP_NOT: {
            val v = POP();
            int t = truth(v);
            if (t < 0) {
                PUSH(as_unknown(m, v, "not"));
            } else {
                val r = val_bool(!t);
                r.origin = v.origin;
                PUSH(r);
            }
            break;
        }
        case OP_NEG: {
            val v = POP(), r;
            if (v.kind == VAL_INT) {
                if (v.u.i == INT64_MIN)
                    FAIL("integer overflow in negation");
                r = val_int(-v.u.i);
            } else if (v.kind == VAL_DOUBLE) {
                r = val_double(-v.u.d);
            } else if (v.kind == VAL_DURATION) {
                r = val_duration(v.u.i == INT64_MIN ? INT64_MAX : -v.u.i);
            } else if (v.kind == VAL_UNDEF) {
                r = v;
            } else {
                r = undef_reason(m, v.origin, "cannot negate %s", val_kind_name((val_kind)v.kind));
            }
            r.origin = v.origin;
            PUSH(r);
            break;
        }
        case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: {
            val y = POP(), x = POP(), r;
            if (arith(m, (bc_op)BC_OP(w), x, y, &r) != 0) {
                m->err_pc = pc;
                return -1;
            }
            PUSH(r);
            break;
        }
        case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE: {
            val y = POP(), x = POP();
            PUSH(compare_op(m, (bc_op)BC_OP(w), x, y));
            break;
        }
        case OP_IN: {
            val y = POP(), x = POP();
            PUSH(in_op(m, x, y));
            break;
        }
        case OP_AND: case OP_OR: {
            val y = POP(), x = POP();
            int is_and = BC_OP(w) == OP_AND;
            int tx = truth(x), ty = truth(y);
            val r;
            int decisive = is_and ? 0 : 1;   /* false decides and, true decides or */
            if (tx == decisive)
                r = x;
            else if (ty == decisive || (tx >= 0 && ty >= 0))
                r = y;      /* y decides, or both are the identity */
            else
                r = as_unknown(m, tx < 0 ? x : y, is_and ? "and" : "or");
            PUSH(r);
            break;
        }
        case OP_EXISTS: {
            val v = POP();
            val r = val_bool(v.kind != VAL_UNDEF);
            r.origin = v.origin;
            PUSH(r);
            break;
        }
        case OP_MKLIST: {
            sp -= a;
            val r = {0};
            int undef = -1;
            for (uint32_t i = 0; i < a && undef < 0; i++)
                if (sp[i].kind == VAL_UNDEF || sp[i].kind == VAL_ITER)
                    undef = (int)i;
            if (undef >= 0) {
                r = sp[undef].kind == VAL_UNDEF ? sp[undef] : val_undef(NULL);
            } else {
                fnode *n = fnode_new(&m->eval, FN_LIST);
                CHECK_MEM(n);
                n->n = a;
                n->u.items = arena_alloc(&m->eval, sizeof(fnode *) * (a ? a : 1));
                CHECK_MEM(n->u.items);
                for (uint32_t i = 0; i < a; i++) {
                    n->u.items[i] = node_of(m, sp[i]);
                    CHECK_MEM(n->u.items[i]);
                }
                if (nest_depth(n) != 0)
                    FAIL("lists and maps nested more than %u deep", BC_MAX_NEST);
                r.kind = VAL_LIST;
                r.u.node = n;
            }
            PUSH(r);
            break;
        }
        case OP_MKMAP: {
            sp -= (size_t)2 * a;
            val r = {0};
            int undef = -1;
            for (size_t i = 0; i < a && undef < 0; i++) {
                if (sp[2 * i].kind != VAL_STR)
                    FAIL("map key is not a string");
                if (sp[2 * i + 1].kind == VAL_UNDEF || sp[2 * i + 1].kind == VAL_ITER)
                    undef = (int)i;
            }
            if (undef >= 0) {
                r = sp[2 * undef + 1].kind == VAL_UNDEF ? sp[2 * undef + 1] : val_undef(NULL);
            } else {
                fnode *n = fnode_new(&m->eval, FN_MAP);
                CHECK_MEM(n);
                n->n = a;
                n->u.entries = arena_alloc(&m->eval, sizeof(fentry) * (a ? a : 1));
                CHECK_MEM(n->u.entries);
                for (size_t i = 0; i < a; i++) {
                    n->u.entries[i].key = sp[2 * i].u.s;
                    n->u.entries[i].key_len = sp[2 * i].n;
                    n->u.entries[i].val = node_of(m, sp[2 * i + 1]);
                    CHECK_MEM(n->u.entries[i].val);
                }
                const char *dup;
                if (fnode_map_finish(n, &dup) != 0)
                    FAIL("map literal repeats key \"%s\"", dup);
                if (nest_depth(n) != 0)
                    FAIL("lists and maps nested more than %u deep", BC_MAX_NEST);
                r.kind = VAL_MAP;
                r.u.node = n;
            }
            PUSH(r);
            break;
        }
        case OP_CONCAT: {
            sp -= a;
            size_t total = 0;
            const char **parts = arena_alloc(&m->eval, sizeof(char *) * (a ? a : 1));
            uint32_t *lens = arena_alloc(&m->eval, sizeof(uint32_t) * (a ? a : 1));
            CHECK_MEM(parts);
            CHECK_MEM(lens);
            for (uint32_t i = 0; i < a; i++) {
                parts[i] = val_to_display(&m->eval, sp[i], &lens[i]);
                CHECK_MEM(parts[i]);
                total += lens[i];
            }
            char *s = arena_alloc(&m->eval, total + 1);
            CHECK_MEM(s);
            size_t off = 0;
            for (uint32_t i = 0; i < a; i++) {
                memcpy(s + off, parts[i], lens[i]);
                off += lens[i];
            }
            s[off] = '\0';
            PUSH(val_str(s, (uint32_t)off));
            break;
        }
        case OP_CALL: {
            const bc_func *callee = &b->funcs.v[a];
            if (nframes + 1 >= bud->max_frames)
                FAIL("call depth budget of %u exceeded", bud->max_frames);
            if ((uint32_t)(sp - m->stack) + callee->max_stack > bud->max_stack)
                FAIL("stack budget of %u slots exceeded", bud->max_stack);
            int cache = memo_on && memo_cacheable(sp - callee->nparams, callee->nparams);
            if (cache) {
                const val *hit = memo_find(m->memo, a, sp - callee->nparams, callee->nparams);
                if (hit) {
                    sp -= callee->nparams;
                    PUSH(*hit);
                    break;
                }
            }
            uint32_t nb = lbase + f->nlocals;
            if (nb + callee->nlocals > m->lstack_cap)
                FAIL("local budget exceeded");
            frame *fr = &m->frames[nframes++];
            fr->memo = cache;
            fr->f = f;
            fr->ret_pc = pc + 1;
            fr->locals = lbase;
            sp -= callee->nparams;
            fr->stack_base = (uint32_t)(sp - m->stack);
            val *nl = m->lstack + nb;
            for (uint32_t i = 0; i < callee->nlocals; i++)
                nl[i] = i < callee->nparams ? sp[i] : val_undef(NULL);
            f = callee;
            lbase = nb;
            locals = nl;
            pc = f->start;
            continue;
        }
        case OP_NATIVE: {
            uint32_t argc = a >> 16;
            const bc_native *nv = &b->natives.v[a & 0xFFFFu];
            sp -= argc;
            for (uint32_t i = 0; i < argc; i++)
                if (sp[i].kind == VAL_ITER)
                    FAIL("iterator passed to %s()", aip_builtins[nv->builtin].name);
            val r;
            if (aip_builtins[nv->builtin].fn(&m->benv, sp, (int)argc, &r) != 0)
                FAIL("%s(): %s", aip_builtins[nv->builtin].name, m->benv.err);
            PUSH(r);
            break;
        }
        case OP_RET: {
            val r = POP();
            if (nframes == 0)
                FAIL("RET outside a call");
            frame *fr = &m->frames[--nframes];
            if (fr->memo)   /* the parameters are the first locals, never reassigned */
                memo_put(m->memo, (uint32_t)(f - b->funcs.v), locals, f->nparams, r);
            sp = m->stack + fr->stack_base;
            PUSH(r);
            f = fr->f;
            lbase = fr->locals;
            locals = m->lstack + lbase;
            pc = fr->ret_pc;
            continue;
        }
        case OP_END:
            return 0;
        case OP_JUMP:
            pc = JUMP_TARGET();
            continue;
        case OP_AND_SKIP:
            if (truth(TOP()) == 0) {
                pc = JUMP_TARGET();
                continue;
            }
            break;
        case OP_OR_SKIP:
            if (truth(TOP()) == 1) {
                pc = JUMP_TARGET();
                continue;
            }
            break;
        case OP_COALESCE:
            if (TOP().kind != VAL_UNDEF) {
                pc = JUMP_TARGET();
                continue;
            }
            sp--;
            break;
        case OP_SCOPE:
        case OP_QITER: {
            val v = POP();
            val it = {0};
            it.kind = VAL_ITER;
            if (v.kind == VAL_LIST || v.kind == VAL_MAP) {
                it.u.node = v.u.node;
            } else if (BC_OP(w) == OP_SCOPE) {
                missing_finding(m, &b->sites.v[a], v, "cannot check");
            } else {
                sp[-1] = v.kind == VAL_UNDEF ? v
                         : undef_reason(m, v.origin, "cannot iterate over %s", val_kind_name((val_kind)v.kind));
            }
            if (BC_OP(w) == OP_SCOPE) {
                if (m->nscopes >= MAX_SCOPES)
                    FAIL("scopes nested too deeply");
                m->scope_elem[m->nscopes++] = NULL;
            }
            PUSH(it);
            break;
        }
        case OP_SCOPE_NEXT:
        case OP_ITER_NEXT: {
            val *it = &sp[-1];
            if (it->kind != VAL_ITER)
                FAIL("iteration over a value that is not an iterator");
            const fnode *coll = it->u.node;
            if (!coll || it->n >= coll->n) {
                sp--;
                if (BC_OP(w) == OP_SCOPE_NEXT && m->nscopes)
                    m->nscopes--;
                pc = JUMP_TARGET();
                continue;
            }
            const fnode *e = coll->kind == FN_LIST ? coll->u.items[it->n] : coll->u.entries[it->n].val;
            it->n++;
            locals[a] = val_from_node(e);
            if (BC_OP(w) == OP_SCOPE_NEXT && m->nscopes)
                m->scope_elem[m->nscopes - 1] = e;
            break;
        }
        case OP_WHERE: {
            val c = POP();
            int t = truth(c);
            if (t == 1)
                break;
            if (t < 0)
                missing_finding(m, &b->sites.v[a], c, "cannot tell whether an element is in scope of");
            pc = JUMP_TARGET();
            continue;
        }
        case OP_REQUIRE:
            if (m->o->coverage)
                cov_count(m, pc, truth(TOP()) == 1 ? VM_COV_TRUE : truth(TOP()) == 0 ? VM_COV_FALSE : VM_COV_UNDEF);
            if (truth(TOP()) == 1) {
                sp--;
                m->held++;
                pc = JUMP_TARGET();
                continue;
            }
            break;
        case OP_FINDING: {
            val msg = POP(), c = POP();
            const bc_site *site = &b->sites.v[a];
            if (truth(c) == 0) {
                finding *fd = new_finding(m, FINDING_VIOLATION, site);
                fd->message = msg.kind == VAL_STR ? res_strdup(m, msg.u.s) : res_strdup(m, "requirement not met");
                fd->path = node_path(m, c.origin);
                locate(m, fd, c.origin);
            } else {
                missing_finding(m, site, c, "cannot check");
            }
            if (m->want_tickets)
                add_ticket(m, a);
            break;
        }
        case OP_ACC_ALL:
        case OP_ACC_ANY: {
            val c = POP();
            val *acc = &sp[-2];
            int is_all = BC_OP(w) == OP_ACC_ALL;
            int t = truth(c);
            if (t == (is_all ? 0 : 1)) {
                *acc = c;
                sp--;    /* the iterator */
                pc = JUMP_TARGET();
                continue;
            }
            if (t < 0 && acc->kind != VAL_UNDEF)
                *acc = as_unknown(m, c, is_all ? "all" : "any");
            break;
        }
        case OP_ACC_COUNT: {
            val c = POP();
            val *acc = &sp[-2];
            int t = truth(c);
            if (acc->kind == VAL_INT) {
                if (t < 0)
                    *acc = as_unknown(m, c, "count");
                else if (t == 1)
                    acc->u.i++;
            }
            break;
        }
        case OP_ATTEST: {
            val d = POP();
            if (d.kind != VAL_DURATION || d.u.i <= 0)
                FAIL("attest within needs a positive duration, got %s", val_kind_name((val_kind)d.kind));
            do_attest(m, d.u.i, pc);
            break;
        }
        default:
            FAIL("unknown opcode %u", BC_OP(w));
        }
        pc += bc_op_len((bc_op)BC_OP(w));
    }
#undef POP
#undef PUSH
#undef TOP
#undef JUMP_TARGET
#undef FAIL
#undef CHECK_MEM
}

/* ---- evaluation of a bundle ---------------------------------------------------------- */

static int in_profile(const bundle *b, const bc_profile *p, const char *id)
{
    if (!p)
        return 1;
    for (uint32_t k = 0; k < p->n; k++)
        if (strcmp(b->strs.v[b->profile_refs.v[p->first + k]], id) == 0)
            return 1;
    return 0;
}

static verdict block_verdict(const vm *m, int errored)
{
    if (errored)
        return VERDICT_ERROR;
    if (m->violations)
        return VERDICT_FAIL;
    if (m->missing)
        return VERDICT_UNKNOWN;
    if (m->held)
        return VERDICT_PASS;
    return VERDICT_NOT_APPLICABLE;
}

void eval_summarize(eval_result *r, fail_on fo)
{
    memset(&r->summary, 0, sizeof r->summary);
    r->gate_failed = 0;
    for (uint32_t k = 0; k < r->ncontrols; k++) {
        const control_result *cr = &r->controls[k];
        r->summary.counts[cr->verdict]++;
        r->summary.total++;
        int gating = cr->verdict == VERDICT_FAIL || cr->verdict == VERDICT_ERROR || cr->verdict == VERDICT_UNKNOWN;
        if (gating && (fo == FAIL_ON_ANY || (fo == FAIL_ON_MANDATORY && cr->enforce == 0)))
            r->gate_failed = 1;
    }
    r->fail_on = fo == FAIL_ON_ANY ? "any" : fo == FAIL_ON_NONE ? "none" : "mandatory";
}

eval_result *vm_eval(const bundle *b, const facts *f, const vm_options *o, aip_error *err)
{
    const bc_profile *prof = NULL;
    if (o->profile) {
        for (uint32_t i = 0; i < b->profiles.n && !prof; i++)
            if (strcmp(b->strs.v[b->profiles.v[i].name], o->profile) == 0)
                prof = &b->profiles.v[i];
        if (!prof) {
            char names[512];
            size_t o2 = 0;
            names[0] = '\0';
            for (uint32_t i = 0; i < b->profiles.n && o2 < sizeof names - 80; i++)
                o2 += (size_t)snprintf(names + o2, sizeof names - o2, "%s%s", i ? ", " : "",
                                       b->strs.v[b->profiles.v[i].name]);
            aip_fail(err, NULL, 0, 0, "unknown profile '%s'%s%s", o->profile,
                     b->profiles.n ? "; the bundle defines: " : " (the bundle defines no profiles)", names);
            return NULL;
        }
    }
    eval_result *r = aip_xcalloc(1, sizeof *r);
    arena_init(&r->mem);
    vm m;
    memset(&m, 0, sizeof m);
    m.b = b;
    m.facts = f;
    m.o = o;
    m.res = r;
    arena_init(&m.eval);
    m.eval.limit = o->budget.max_memory;
    uint32_t max_stack = o->budget.max_stack ? o->budget.max_stack : 1;
    /* not zeroed: a slot is written before it is read (locals when a frame
     * starts, the stack by pushes), so pages a run never reaches stay untouched */
    m.stack = aip_xmalloc((size_t)max_stack * sizeof *m.stack);
    m.lstack_cap = (o->budget.max_frames + 1) * (BC_MAX_LOCALS + 1);
    m.lstack = aip_xmalloc((size_t)m.lstack_cap * sizeof *m.lstack);
    m.frames = aip_xcalloc(o->budget.max_frames + 1, sizeof *m.frames);
    m.scope_elem = aip_xcalloc(MAX_SCOPES, sizeof *m.scope_elem);
    m.field_hint = aip_xcalloc(b->code.n ? b->code.n : 1, 1);
    m.memo = memo_new();
    m.benv.mem = &m.eval;
    m.benv.today = o->today;
    if (o->params) {
        m.params = o->params;
    } else {
        val *pv = arena_alloc(&r->mem, sizeof(val) * (b->params.n ? b->params.n : 1));
        if (!pv) {
            fputs("aip: internal error: out of memory\n", stderr);
            exit(3);
        }
        for (uint32_t i = 0; i < b->params.n; i++)
            pv[i] = b->kvals[b->params.v[i].def];
        m.params = pv;
    }

    /* one result per distinct control id, in bundle order */
    r->controls = arena_zalloc(&r->mem, sizeof(control_result) * (b->controls.n ? b->controls.n : 1));
    if (!r->controls) {
        fputs("aip: internal error: out of memory\n", stderr);
        exit(3);
    }
    for (uint32_t i = 0; i < b->controls.n; i++) {
        const bc_control *c = &b->controls.v[i];
        const char *id = b->strs.v[c->id];
        if (c->kind != (o->rules ? BC_CTRL_RULE : BC_CTRL_CONTROL) || (!o->rules && !in_profile(b, prof, id)))
            continue;
        if (o->only_control && strcmp(id, o->only_control) != 0)
            continue;
        control_result *cr = NULL;
        for (uint32_t k = 0; k < r->ncontrols; k++)
            if (strcmp(r->controls[k].id, id) == 0)
                cr = &r->controls[k];
        if (!cr) {
            cr = &r->controls[r->ncontrols++];
            cr->id = id;
            cr->title = b->strs.v[c->title];
            cr->verdict = VERDICT_NOT_APPLICABLE;
            cr->enforce = c->enforce;
            cr->focus = c->focus;
            memcpy(cr->priority, c->priority, 3);
            cr->bundle_control = i;
        } else if (c->enforce == 0) {
            cr->enforce = 0;   /* mandatory if any block is */
        }
        cr->nblocks++;
        m.cur = cr;
        m.ctl = c;
        m.held = m.violations = m.missing = 0;
        m.errmsg[0] = '\0';
        m.ntickets = 0;
        m.want_tickets = o->because && !o->explain;
        m.trace = o->explain;
        if (o->explain)
            trace_begin(o->explain, i, NULL, 0, NULL);
        int rc = vm_run(&m, c->func);
        m.trace = NULL;
        if (rc != 0) {
            const char *pf;
            uint32_t pl;
            bundle_policy_line(b, m.err_pc, &pf, &pl);
            cr->error = pf ? arena_printf(&r->mem, "%s (at %s:%u)", m.errmsg, pf, pl)
                           : arena_strdup(&r->mem, m.errmsg);
        }
        cr->requirements_held += m.held;
        verdict v = block_verdict(&m, rc != 0);
        if (m.ntickets)
            because_rerun(&m, i, cr);
        if (v > cr->verdict)
            cr->verdict = v;
        block_reset(&m);
    }
    eval_summarize(r, o->fail_on);
    char day[16];
    date_format_days(o->today, day);
    r->evaluated_at = arena_strdup(&r->mem, day);
    r->profile = o->profile ? arena_strdup(&r->mem, o->profile) : NULL;
    r->bundle_sha256 = arena_strdup(&r->mem, b->sha256_hex);
    r->nfact_files = facts_file_count(f);
    r->fact_files = arena_alloc(&r->mem, sizeof(char *) * (r->nfact_files + 1));
    r->fact_sha256 = arena_alloc(&r->mem, sizeof(char *) * (r->nfact_files + 1));
    for (uint32_t i = 0; i < r->nfact_files; i++) {
        r->fact_files[i] = arena_strdup(&r->mem, facts_file_name(f, i));
        r->fact_sha256[i] = arena_strdup(&r->mem, facts_file_sha256(f, i));
    }
    builtin_env_release(&m.benv);
    arena_free(&m.eval);
    free(m.stack);
    free(m.lstack);
    free(m.frames);
    free(m.scope_elem);
    free(m.field_hint);
    memo_free(m.memo);
    free(m.tickets);
    trace_free(m.because_trace);
    return r;
}
