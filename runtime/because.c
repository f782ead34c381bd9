/* runtime/because.c - the deciding sub-expressions of a requirement, and the
 * short copies of values that explanations show. The rules are in because.h.
 *
 * Every walk here is bounded: trees by BC_MAX_EXPR_DEPTH (the verifier
 * enforces the nesting of debug entries; a quantifier's element nodes add no
 * level), values by BECAUSE_DEPTH_MAX.
 */
#include "runtime/because.h"
#include "runtime/report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xalloc(arena *a, size_t n)
{
    void *p = arena_zalloc(a, n ? n : 1);
    if (!p) {
        fputs("aip: internal error: out of memory\n", stderr);
        exit(3);
    }
    return p;
}

/* ---- short copies of values --------------------------------------------------- */

/* Bytes of s to keep so that at most max bytes remain and no UTF-8 sequence
 * is cut in two. */
static uint32_t cut_utf8(const char *s, uint32_t n, uint32_t max)
{
    if (n <= max)
        return n;
    uint32_t k = max;
    while (k > 0 && ((unsigned char)s[k] & 0xC0u) == 0x80u)
        k--;
    return k;
}

/* The values null, true and false, shared by every because item. */
static const fnode because_null = {.kind = FN_NULL, .file = FNODE_NO_FILE};
static const fnode because_true = {.kind = FN_BOOL, .file = FNODE_NO_FILE, .u.b = 1};
static const fnode because_false = {.kind = FN_BOOL, .file = FNODE_NO_FILE, .u.b = 0};

static fnode *new_node(arena *out, fnode_kind kind)
{
    fnode *n = fnode_new(out, kind);
    if (!n) {
        fputs("aip: internal error: out of memory\n", stderr);
        exit(3);
    }
    return n;
}

static fnode *new_str(arena *out, const char *s, uint32_t n, uint32_t max, uint8_t *trunc)
{
    fnode *c = new_node(out, FN_STR);
    uint32_t k = cut_utf8(s, n, max);
    if (k < n)
        *trunc = 1;
    c->u.s = arena_strndup(out, s, k);
    if (!c->u.s) {
        fputs("aip: internal error: out of memory\n", stderr);
        exit(3);
    }
    c->n = k;
    return c;
}

static fnode *copy_node(arena *out, const fnode *n, unsigned depth, uint8_t *trunc)
{
    fnode *c;
    switch ((fnode_kind)n->kind) {
    case FN_STR:
        return new_str(out, n->u.s, n->n, BECAUSE_STR_MAX, trunc);
    case FN_LIST: {
        c = new_node(out, FN_LIST);
        uint32_t k = depth >= BECAUSE_DEPTH_MAX ? 0 : n->n < BECAUSE_LIST_MAX ? n->n : BECAUSE_LIST_MAX;
        if (k < n->n)
            *trunc = 1;
        c->u.items = xalloc(out, sizeof(fnode *) * k);
        for (uint32_t i = 0; i < k; i++)
            c->u.items[i] = copy_node(out, n->u.items[i], depth + 1, trunc);
        c->n = k;
        return c;
    }
    case FN_MAP: {
        c = new_node(out, FN_MAP);
        const fnode *id = fnode_get(n, "id", 2);
        if (id && id->kind == FN_STR && n->n > 1) {   /* an object with an id: named by it */
            *trunc = 1;
            c->u.entries = xalloc(out, sizeof(fentry));
            c->u.entries[0].key = "id";
            c->u.entries[0].key_len = 2;
            c->u.entries[0].val = new_str(out, id->u.s, id->n, BECAUSE_STR_MAX, trunc);
            c->n = 1;
            return c;
        }
        uint32_t k = depth >= BECAUSE_DEPTH_MAX ? 0 : n->n < BECAUSE_MAP_MAX ? n->n : BECAUSE_MAP_MAX;
        if (k < n->n)
            *trunc = 1;
        c->u.entries = xalloc(out, sizeof(fentry) * k);
        for (uint32_t i = 0; i < k; i++) {
            c->u.entries[i].key = arena_strndup(out, n->u.entries[i].key, n->u.entries[i].key_len);
            c->u.entries[i].key_len = n->u.entries[i].key_len;
            c->u.entries[i].val = copy_node(out, n->u.entries[i].val, depth + 1, trunc);
        }
        c->n = k;
        return c;
    }
    default:
        c = new_node(out, (fnode_kind)n->kind);
        c->u = n->u;
        c->n = n->n;
        return c;
    }
}

static void locate(const facts *f, const fnode *n, tval *tv)
{
    const char *file = facts_node_file(f, n);
    if (n && file) {
        tv->file = file;
        tv->line = n->line;
        tv->col = n->col;
    }
}

void because_copy_value(arena *out, const facts *f, val v, tval *tv)
{
    memset(tv, 0, sizeof *tv);
    tv->truth = (int8_t)(v.kind == VAL_BOOL ? (v.u.b != 0) : -1);
    switch ((val_kind)v.kind) {
    case VAL_UNDEF: {
        const undef_info *u = v.u.undef;
        const fnode *anchor = u ? u->anchor : v.origin;
        locate(f, anchor, tv);
        if (u && u->reason) {
            tv->why = arena_strdup(out, u->reason);
        } else {
            char buf[1024];
            buf[0] = '\0';
            if (anchor && anchor->file != FNODE_NO_FILE)
                fnode_path(anchor, buf, sizeof buf);
            const char *missing = val_undef_missing(out, u);
            if (!missing)
                missing = "";
            if (!buf[0] && missing[0] == '.')
                missing++;
            tv->why = buf[0] || missing[0] ? arena_printf(out, "%s%s is missing", buf, missing)
                                           : "a value it needs is undefined";
        }
        if (!tv->why) {
            fputs("aip: internal error: out of memory\n", stderr);
            exit(3);
        }
        return;
    }
    case VAL_ITER:
        tv->why = "an iterator";
        return;
    case VAL_NULL:     /* shared: most because values are booleans */
        tv->value = &because_null;
        tv->lasting = 1;
        break;
    case VAL_BOOL:
        tv->value = v.u.b ? &because_true : &because_false;
        tv->lasting = 1;
        break;
    case VAL_INT: {
        fnode *c = new_node(out, FN_INT);
        c->u.i = v.u.i;
        tv->value = c;
        break;
    }
    case VAL_DOUBLE: {
        fnode *c = new_node(out, FN_DOUBLE);
        c->u.d = v.u.d;
        tv->value = c;
        break;
    }
    case VAL_DURATION: {   /* shown as the policy writes it: "90d" */
        uint32_t len = 0;
        const char *s = val_to_display(out, v, &len);
        tv->value = new_str(out, s ? s : "", s ? len : 0, BECAUSE_STR_MAX, &tv->truncated);
        break;
    }
    case VAL_STR:
        tv->value = new_str(out, v.u.s, v.n, BECAUSE_STR_MAX, &tv->truncated);
        break;
    case VAL_LIST:
    case VAL_MAP:
        tv->value = copy_node(out, v.u.node, 0, &tv->truncated);
        break;
    }
    locate(f, v.origin, tv);
}

void because_copy_element(arena *out, const facts *f, val v, tval *tv)
{
    const fnode *id = v.kind == VAL_MAP ? fnode_get(v.u.node, "id", 2) : NULL;
    if (!id || id->kind != FN_STR) {
        because_copy_value(out, f, v, tv);
        return;
    }
    because_copy_value(out, f, val_from_node(id), tv);
    tv->file = NULL;
    tv->line = tv->col = 0;
    locate(f, v.u.node, tv);
}

/* ---- text of a short value ------------------------------------------------------- */

typedef struct tbuf {
    char *p;
    size_t n, cap;
} tbuf;

static void tput(tbuf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len && b->n + 1 < b->cap; i++)
        b->p[b->n++] = s[i];
    b->p[b->n] = '\0';
}

static void tputs(tbuf *b, const char *s)
{
    tput(b, s, strlen(s));
}

static void tstr(tbuf *b, const char *s, size_t len)
{
    tputs(b, "\"");
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        char esc[8];
        if (ch == '"' || ch == '\\') {
            esc[0] = '\\';
            esc[1] = (char)ch;
            tput(b, esc, 2);
        } else if (ch < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", ch);
            tputs(b, esc);
        } else {
            tput(b, (const char *)&s[i], 1);
        }
    }
    tputs(b, "\"");
}

static void tvalue(tbuf *b, const fnode *n)
{
    char num[40];
    switch ((fnode_kind)n->kind) {
    case FN_NULL: tputs(b, "null"); return;
    case FN_BOOL: tputs(b, n->u.b ? "true" : "false"); return;
    case FN_INT:
        snprintf(num, sizeof num, "%" PRId64, n->u.i);
        tputs(b, num);
        return;
    case FN_DOUBLE:
        snprintf(num, sizeof num, "%.17g", n->u.d);
        tputs(b, num);
        return;
    case FN_STR: tstr(b, n->u.s, n->n); return;
    case FN_LIST:
        tputs(b, "[");
        for (uint32_t i = 0; i < n->n; i++) {
            if (i)
                tputs(b, ", ");
            tvalue(b, n->u.items[i]);
        }
        tputs(b, "]");
        return;
    case FN_MAP:
        tputs(b, "{");
        for (uint32_t i = 0; i < n->n; i++) {
            if (i)
                tputs(b, ", ");
            tstr(b, n->u.entries[i].key, n->u.entries[i].key_len);
            tputs(b, ": ");
            tvalue(b, n->u.entries[i].val);
        }
        tputs(b, "}");
        return;
    }
}

void because_value_text(const struct fnode *v, int truncated, char *buf, size_t cap)
{
    tbuf b = {buf, 0, cap};
    if (!cap)
        return;
    buf[0] = '\0';
    if (v)
        tvalue(&b, v);   /* copies nest at most BECAUSE_DEPTH_MAX levels */
    if (truncated)
        tputs(&b, " ...");
}

void because_item_text(const because_item *it, char *buf, size_t cap)
{
    if (!cap)
        return;
    tbuf b = {buf, 0, cap};
    buf[0] = '\0';
    tputs(&b, it->expr ? it->expr : "");
    if (!it->value) {
        tputs(&b, " is undefined: ");
        tputs(&b, it->undefined ? it->undefined : "");
    } else if (it->value->kind == FN_BOOL) {
        tputs(&b, it->value->u.b ? " is true" : " is false");
    } else {
        char v[512];
        because_value_text(it->value, it->truncated, v, sizeof v);
        tputs(&b, " = ");
        tputs(&b, v);
    }
}

void because_json_value(jw *w, const struct fnode *n)
{
    switch ((fnode_kind)n->kind) {
    case FN_NULL: jw_null(w); return;
    case FN_BOOL: jw_bool(w, n->u.b); return;
    case FN_INT: jw_int(w, n->u.i); return;
    case FN_DOUBLE: jw_double(w, n->u.d); return;
    case FN_STR: jw_stringn(w, n->u.s, n->n); return;
    case FN_LIST:   /* copies nest at most BECAUSE_DEPTH_MAX levels */
        jw_array_begin(w);
        for (uint32_t i = 0; i < n->n; i++)
            because_json_value(w, n->u.items[i]);
        jw_array_end(w);
        return;
    case FN_MAP:
        jw_object_begin(w);
        for (uint32_t i = 0; i < n->n; i++) {
            jw_keyn(w, n->u.entries[i].key, n->u.entries[i].key_len);
            because_json_value(w, n->u.entries[i].val);
        }
        jw_object_end(w);
        return;
    }
}

void because_json_item(jw *w, const because_item *it)
{
    jw_object_begin(w);
    jw_member_string(w, "expr", it->expr ? it->expr : "");
    jw_key(w, "value");
    if (it->value)
        because_json_value(w, it->value);
    else
        jw_null(w);
    jw_member_string(w, "undefined", it->value ? NULL : it->undefined ? it->undefined : "");
    jw_member_bool(w, "truncated", it->truncated);
    report_json_location(w, it->file, it->line, it->col);
    jw_object_end(w);
}

void because_json_items(jw *w, const because_item *items, uint32_t n)
{
    jw_array_begin(w);
    for (uint32_t i = 0; i < n; i++)
        because_json_item(w, &items[i]);
    jw_array_end(w);
}

void because_quant_var(const char *text, char *buf, size_t cap)
{
    static const char *const leads[] = {"all ", "any ", "none ", "count("};
    if (!cap)
        return;
    buf[0] = '\0';
    for (size_t k = 0; k < sizeof leads / sizeof leads[0]; k++) {
        size_t ll = strlen(leads[k]);
        if (strncmp(text, leads[k], ll) != 0)
            continue;
        const char *p = text + ll;
        while (*p == ' ')
            p++;
        size_t n = 0;
        while (p[n] && (p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
                        (p[n] >= '0' && p[n] <= '9')))
            n++;
        if (n >= cap)
            n = cap - 1;
        memcpy(buf, p, n);
        buf[n] = '\0';
        return;
    }
}

/* ---- choosing what decided ----------------------------------------------------------- */

typedef struct bctx {
    const bundle *b;
    const facts *f;
    arena *out;
    because_item *items;
    uint32_t n;
} bctx;

static int is_element(const tnode *n)
{
    return n->expr == BC_NO_EXPR;
}

static void add(bctx *c, const char *expr, const tval *v)
{
    if (c->n >= BECAUSE_MAX)
        return;
    for (uint32_t i = 0; i < c->n; i++)   /* the same operand twice says nothing new */
        if (strcmp(c->items[i].expr, expr) == 0 && c->items[i].line == v->line && c->items[i].col == v->col &&
            (c->items[i].file == v->file || (c->items[i].file && v->file && !strcmp(c->items[i].file, v->file))))
            return;
    because_item *it = &c->items[c->n++];
    uint8_t trunc = 0;
    it->expr = expr;   /* a bundle string, or allocated in out */
    /* the tree may be scratch: copy a value that tv() did not already make in out */
    it->value = !v->value ? NULL : v->lasting ? v->value : copy_node(c->out, v->value, 0, &trunc);
    it->undefined = v->value ? NULL
                  : v->lasting && v->why ? v->why : arena_strdup(c->out, v->why ? v->why : "undefined");
    it->file = v->file;
    it->line = v->line;
    it->col = v->col;
    it->truncated = v->truncated;
}

/* n's value as shown, copied from the VM's value the first time. */
static const tval *tv(bctx *c, tnode *n)
{
    if (!n->ready) {
        if (is_element(n))
            because_copy_element(c->out, c->f, n->raw, &n->v);
        else
            because_copy_value(c->out, c->f, n->raw, &n->v);
        n->v.lasting = 1;   /* made in out */
        n->ready = 1;
    }
    return &n->v;
}

static void add_node(bctx *c, tnode *n)
{
    add(c, c->b->strs.v[c->b->exprs.v[n->expr].text], tv(c, n));
}

/* The element node of a quantifier that precedes its condition node body. */
static void add_element(bctx *c, tnode *q, const tnode *body)
{
    tnode *elem = NULL;
    for (tnode *k = q->first; k && k != body; k = k->next)
        if (is_element(k))
            elem = k;
    if (!elem)
        return;
    char var[64];
    because_quant_var(c->b->strs.v[c->b->exprs.v[q->expr].text], var, sizeof var);
    tval v = *tv(c, elem);
    /* an element with an id is named by it */
    if (v.value && v.value->kind == FN_MAP) {
        for (uint32_t i = 0; i < v.value->n; i++)
            if (strcmp(v.value->u.entries[i].key, "id") == 0 && v.value->u.entries[i].val->kind == FN_STR) {
                v.value = v.value->u.entries[i].val;
                v.truncated = 0;
                break;
            }
    }
    add(c, var[0] ? arena_strdup(c->out, var) : "element", &v);
}

static int is_boolean_kind(uint8_t k)
{
    return k == BC_X_AND || k == BC_X_OR || k == BC_X_NOT || k == BC_X_COMPARE || k == BC_X_ALL ||
           k == BC_X_ANY || k == BC_X_NONE;
}

static void why(bctx *c, tnode *n, unsigned depth);

/* The operands of n that are not literals (literals have no entry), then n. */
static void operands_then_self(bctx *c, tnode *n, unsigned depth)
{
    for (tnode *k = n->first; k; k = k->next) {
        if (is_element(k))
            continue;
        uint8_t kk = c->b->exprs.v[k->expr].kind;
        if (is_boolean_kind(kk))
            why(c, k, depth + 1);
        else
            add_node(c, k);
    }
    tval v = *tv(c, n);
    if (!v.file) {   /* a computed value: show where its first operand came from */
        for (tnode *k = n->first; k && !v.file; k = k->next) {
            const tval *kv = tv(c, k);
            if (kv->file) {
                v.file = kv->file;
                v.line = kv->line;
                v.col = kv->col;
            }
        }
    }
    add(c, c->b->strs.v[c->b->exprs.v[n->expr].text], &v);
}

/* Quantifier q: its first condition whose truth is t decided; NULL if none. */
static tnode *first_body(tnode *q, int t)
{
    const tnode *seen_elem = NULL;
    for (tnode *k = q->first; k; k = k->next) {
        if (is_element(k)) {
            seen_elem = k;
            continue;
        }
        if (seen_elem && k->truth == t)
            return k;
    }
    return NULL;
}

static void why(bctx *c, tnode *n, unsigned depth)
{
    if (c->n >= BECAUSE_MAX || depth > BC_MAX_EXPR_DEPTH)
        return;
    if (is_element(n)) {
        add(c, "element", tv(c, n));
        return;
    }
    const bc_expr *x = &c->b->exprs.v[n->expr];
    if (n->undef && x->kind != BC_X_ALL && x->kind != BC_X_ANY && x->kind != BC_X_NONE &&
        x->kind != BC_X_COUNT) {
        /* undefined: blame the undefined operands */
        int blamed = 0;
        for (tnode *k = n->first; k; k = k->next)
            if (!is_element(k) && k->undef) {
                why(c, k, depth + 1);
                blamed = 1;
                if (x->kind != BC_X_AND && x->kind != BC_X_OR && x->kind != BC_X_COALESCE)
                    break;
            }
        if (!blamed)
            add_node(c, n);
        return;
    }
    switch ((bc_expr_kind)x->kind) {
    case BC_X_AND:
    case BC_X_OR: {
        int decisive = x->kind == BC_X_AND ? 0 : 1;
        if (n->truth == decisive) {
            for (tnode *k = n->first; k; k = k->next)
                if (!is_element(k) && k->truth == decisive) {
                    why(c, k, depth + 1);
                    return;
                }
        }
        for (tnode *k = n->first; k; k = k->next)
            if (!is_element(k))
                why(c, k, depth + 1);
        if (!n->first)
            add_node(c, n);
        return;
    }
    case BC_X_NOT:
        if (n->first && !is_element(n->first))
            why(c, n->first, depth + 1);
        else
            add_node(c, n);
        return;
    case BC_X_ALL:
    case BC_X_ANY:
    case BC_X_NONE: {
        /* all: decided by a false (or undefined) condition; any/none: by a true one */
        int t = x->kind == BC_X_ALL ? 0 : 1;
        tnode *body = first_body(n, t);
        if (!body && n->undef)
            body = first_body(n, -1);
        if (body) {
            add_element(c, n, body);
            why(c, body, depth + 1);
            return;
        }
        /* no element decided: the collection, then the quantifier */
        if (n->first && !is_element(n->first) && (!n->first->next || is_element(n->first->next)))
            add_node(c, n->first);
        add_node(c, n);
        return;
    }
    case BC_X_COUNT:
        if (n->undef) {
            tnode *body = first_body(n, -1);
            if (body) {
                add_element(c, n, body);
                why(c, body, depth + 1);
                return;
            }
        }
        add_node(c, n);
        return;
    case BC_X_COMPARE:
    case BC_X_ARITH:
    case BC_X_CALL:
        operands_then_self(c, n, depth);
        return;
    case BC_X_COALESCE:
    case BC_X_VALUE:
        add_node(c, n);
        return;
    }
}

uint32_t because_build(const bundle *b, const facts *f, tnode *root, arena *out, because_item **items)
{
    *items = NULL;
    if (!root || is_element(root))
        return 0;
    because_item buf[BECAUSE_MAX];
    bctx c = {b, f, out, buf, 0};
    why(&c, root, 0);
    if (c.n) {   /* only the items found (usually two or three of BECAUSE_MAX) */
        *items = xalloc(out, sizeof(because_item) * c.n);
        memcpy(*items, buf, sizeof(because_item) * c.n);
    }
    return c.n;
}
