/* runtime/value.c - the VM's values: conversion from facts, equality, order,
 * and display (see value.h).
 *
 * This file is the single place that decides what `==`, `<` and message
 * interpolation mean for each kind. It does not decide three-valued logic
 * (the VM turns a -1/-2 from val_equal/val_compare into undefined with a
 * reason) and it never allocates facts: lists and maps are read in place.
 *
 * Rules, in short:
 *   - int and double compare numerically and exactly (no rounding of a
 *     64-bit int through double); NaN equals nothing and orders with nothing.
 *   - strings compare bytewise, a prefix sorting first;
 *   - lists compare element by element, maps by their (sorted) keys and
 *     values; inside a list or map, elements of different kinds are simply
 *     unequal;
 *   - null equals only null, and is simply unequal to any other value, so
 *     `x.owner != null` is a null check, not a type error;
 *   - otherwise, at the top level, two values of different kinds (other than
 *     int/double) cannot be compared for equality: val_equal returns -1.
 *   - only numbers, strings and durations have an order; anything else gives
 *     -2 from val_compare (null included).
 */
#include "runtime/value.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

/* The value of fact node n with origin n; undefined (no reason) for NULL or
 * a node of unknown kind. */
val val_from_node(const fnode *n)
{
    val v = {0};
    if (!n)
        return val_undef(NULL);
    switch ((fnode_kind)n->kind) {
    case FN_NULL:   v = val_null(); break;
    case FN_BOOL:   v = val_bool(n->u.b); break;
    case FN_INT:    v = val_int(n->u.i); break;
    case FN_DOUBLE: v = val_double(n->u.d); break;
    case FN_STR:    v = val_str(n->u.s, n->n); break;
    case FN_LIST:   v.kind = VAL_LIST; v.u.node = n; break;
    case FN_MAP:    v.kind = VAL_MAP; v.u.node = n; break;
    default:        return val_undef(NULL);
    }
    v.origin = n;
    return v;
}

/* A static name for k ("?" for a kind that does not exist). */
const char *val_kind_name(val_kind k)
{
    switch (k) {
    case VAL_UNDEF:    return "undefined";
    case VAL_NULL:     return "null";
    case VAL_BOOL:     return "bool";
    case VAL_INT:      return "int";
    case VAL_DOUBLE:   return "double";
    case VAL_STR:      return "string";
    case VAL_DURATION: return "duration";
    case VAL_LIST:     return "list";
    case VAL_MAP:      return "map";
    case VAL_ITER:     return "iterator";
    }
    return "?";
}

/* Returned when the arena cannot hold a reason: still undefined, still says why. */
static const undef_info undef_oom = { .reason = "out of memory while recording why a value is undefined" };

/* Undefined with a formatted reason stored in mem, anchored at origin. When
 * mem is exhausted the reason is a static "out of memory" one: never fails. */
val val_undef_reason(arena *mem, const fnode *origin, const char *fmt, ...)
{
    undef_info *why = arena_alloc(mem, sizeof *why);
    if (!why) {
        val v = val_undef(&undef_oom);
        v.origin = origin;
        return v;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *reason = n >= 0 ? arena_alloc(mem, (size_t)n + 1) : NULL;
    if (!reason) {
        val v = val_undef(&undef_oom);
        v.origin = origin;
        return v;
    }
    va_start(ap, fmt);
    vsnprintf(reason, (size_t)n + 1, fmt, ap);
    va_end(ap);
    memset(why, 0, sizeof *why);
    why->anchor = origin;
    why->reason = reason;
    return val_undef(why);
}

/* ---- numbers -------------------------------------------------------------- */

/* Order of int i and double d, exactly: -1/0/1, or 2 when d is NaN. */
static int cmp_int_double(int64_t i, double d)
{
    if (d != d)
        return 2;
    if (d >= 9223372036854775808.0)      /* 2^63: above every int64 */
        return -1;
    if (d < -9223372036854775808.0)
        return 1;
    int64_t t = (int64_t)d;              /* in range: truncates toward zero */
    if (i != t)
        return i < t ? -1 : 1;
    double frac = d - (double)t;         /* exact: |d| < 2^53 or d integral */
    return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

/* Order of two numbers (int or double): -1/0/1, or 2 when unordered (NaN). */
static int cmp_num(val a, val b)
{
    if (a.kind == VAL_INT && b.kind == VAL_INT)
        return a.u.i < b.u.i ? -1 : a.u.i > b.u.i;
    if (a.kind == VAL_INT)
        return cmp_int_double(a.u.i, b.u.d);
    if (b.kind == VAL_INT) {
        int r = cmp_int_double(b.u.i, a.u.d);
        return r == 2 ? 2 : -r;
    }
    if (a.u.d < b.u.d)
        return -1;
    if (a.u.d > b.u.d)
        return 1;
    return a.u.d == b.u.d ? 0 : 2;
}

/* Bytewise order of a[0..an) and b[0..bn); a prefix sorts first. */
static int cmp_bytes(const char *a, size_t an, const char *b, size_t bn)
{
    size_t n = an < bn ? an : bn;
    int r = n ? memcmp(a, b, n) : 0;
    if (r)
        return r < 0 ? -1 : 1;
    return an < bn ? -1 : an > bn;
}

/* ---- equality ------------------------------------------------------------- */

static int equal_in(val a, val b, int nested);

/* 1 if the list nodes a and b hold equal elements in the same order, else 0. */
static int list_equal(const fnode *a, const fnode *b)
{
    if (a == b)
        return 1;
    if (a->n != b->n)
        return 0;
    for (uint32_t i = 0; i < a->n; i++)
        if (equal_in(val_from_node(a->u.items[i]), val_from_node(b->u.items[i]), 1) != 1)
            return 0;
    return 1;
}

/* 1 if the map nodes a and b (entries sorted by key) have the same keys with
 * equal values, else 0. */
static int map_equal(const fnode *a, const fnode *b)
{
    if (a == b)
        return 1;
    if (a->n != b->n)
        return 0;
    for (uint32_t i = 0; i < a->n; i++) {
        const fentry *ea = &a->u.entries[i], *eb = &b->u.entries[i];
        if (cmp_bytes(ea->key, ea->key_len, eb->key, eb->key_len) != 0)
            return 0;
        if (equal_in(val_from_node(ea->val), val_from_node(eb->val), 1) != 1)
            return 0;
    }
    return 1;
}

/* Equality: 1/0, or -1 for kinds that cannot be compared. Inside a list or a
 * map (nested) a kind mismatch is plain inequality. */
static int equal_in(val a, val b, int nested)
{
    if (a.kind == VAL_UNDEF || b.kind == VAL_UNDEF || a.kind == VAL_ITER || b.kind == VAL_ITER)
        return -1;
    if (val_is_num(a) && val_is_num(b))
        return cmp_num(a, b) == 0;
    if (a.kind != b.kind)
        return nested || a.kind == VAL_NULL || b.kind == VAL_NULL ? 0 : -1;
    switch ((val_kind)a.kind) {
    case VAL_NULL:     return 1;
    case VAL_BOOL:     return a.u.b == b.u.b;
    case VAL_DURATION: return a.u.i == b.u.i;
    case VAL_STR:      return cmp_bytes(a.u.s, a.n, b.u.s, b.n) == 0;
    case VAL_LIST:     return list_equal(a.u.node, b.u.node);
    case VAL_MAP:      return map_equal(a.u.node, b.u.node);
    default:           return -1;
    }
}

/* 1/0, or -1 when a and b cannot be compared (see the rules at the top). */
int val_equal(val a, val b)
{
    return equal_in(a, b, 0);
}

/* -1/0/1 for two numbers, strings or durations; -2 otherwise (NaN included). */
int val_compare(val a, val b)
{
    if (val_is_num(a) && val_is_num(b)) {
        int r = cmp_num(a, b);
        return r == 2 ? -2 : r;
    }
    if (a.kind != b.kind)
        return -2;
    if (a.kind == VAL_STR)
        return cmp_bytes(a.u.s, a.n, b.u.s, b.n);
    if (a.kind == VAL_DURATION)
        return a.u.i < b.u.i ? -1 : a.u.i > b.u.i;
    return -2;
}

/* ---- display -------------------------------------------------------------- */

/* A growable byte buffer on the allocation funnel. `limit` stops it from
 * growing past the destination arena's byte budget (0 = no limit), so a huge
 * list fails early instead of being rendered and then refused. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
    size_t limit;
    int failed;         /* set once the limit was hit */
} sbuf;

/* Append n bytes; on hitting the limit sets failed and drops the bytes. */
static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->limit && b->len + n + 1 > b->limit) {
        b->failed = 1;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = aip_xrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

/* Append the NUL-terminated s (see sb_put). */
static void sb_puts(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

/* ---- missing paths of undefined values ------------------------------------ */

/* Steps of a chain longer than this are not written (a chain grows by one
 * step per path operation on an undefined value, so this is never reached
 * by a real path). */
enum { UNDEF_MAX_STEPS = 1024, UNDEF_STEP_BYTES = 511 };

const char *val_undef_missing(arena *mem, const undef_info *u)
{
    const undef_info *chain[UNDEF_MAX_STEPS];
    size_t n = 0;
    for (const undef_info *x = u; x && n < UNDEF_MAX_STEPS; x = x->prev)
        chain[n++] = x;
    sbuf b = {0};
    while (n-- > 0) {
        const undef_info *x = chain[n];
        if (x->missing)
            sb_puts(&b, x->missing);
        char step[UNDEF_STEP_BYTES + 1];
        int len = 0;
        int has_key = x->step != UNDEF_STEP_INDEX && x->key;
        const char *key = has_key ? x->key : "";
        size_t full = has_key ? x->key_len : 0;   /* a NUL inside is no identifier */
        size_t klen = strnlen(key, full);
        switch ((undef_step)x->step) {
        case UNDEF_STEP_NONE:
            break;
        case UNDEF_STEP_FIELD:
            if (fnode_key_is_ident(key, full)) {
                len = snprintf(step, sizeof step, ".%.*s", (int)klen, key);
                break;
            }
            /* fall through */
        case UNDEF_STEP_ID:
            len = snprintf(step, sizeof step, "[\"%.*s\"]", (int)klen, key);
            break;
        case UNDEF_STEP_INDEX:
            len = snprintf(step, sizeof step, "[%" PRId64 "]", x->index);
            break;
        }
        if (len > 0)
            sb_put(&b, step, (size_t)len < sizeof step ? (size_t)len : sizeof step - 1);
    }
    char *out = arena_alloc(mem, b.len + 1);
    if (out) {
        if (b.len)
            memcpy(out, b.p, b.len);
        out[b.len] = '\0';
    }
    aip_free(b.p);
    return out;
}

/* s as a JSON string literal: quotes, backslash, control characters escaped;
 * other bytes (UTF-8) copied as they are. */
static void sb_json_string(sbuf *b, const char *s, size_t n)
{
    sb_put(b, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char ubuf[8];
        switch (c) {
        case '"':  esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                snprintf(ubuf, sizeof ubuf, "\\u%04x", c);
                esc = ubuf;
            }
        }
        if (esc) {
            sb_put(b, s + i - run, run);
            run = 0;
            sb_puts(b, esc);
        } else {
            run++;
        }
    }
    sb_put(b, s + n - run, run);
    sb_put(b, "\"", 1);
}

/* The shortest %g form of d that reads back as d ("1.5", "0.1", "1e+21");
 * NaN and infinities as "NaN", "Infinity", "-Infinity". */
static void sb_double(sbuf *b, double d)
{
    char buf[40];
    if (d != d) {
        sb_puts(b, "NaN");
        return;
    }
    if (isinf(d)) {
        sb_puts(b, d > 0 ? "Infinity" : "-Infinity");
        return;
    }
    int prec = 1;
    for (; prec < 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    /* %g switches to an exponent once the exponent reaches the precision:
     * widen the precision so integral values up to 1e17 print in full
     * ("100", not "1e+02"); the digits stay the shortest that round-trip. */
    if (prec == 17)
        snprintf(buf, sizeof buf, "%.16e", d);
    long exp10 = strtol(strchr(buf, 'e') + 1, NULL, 10);
    if (exp10 >= prec && exp10 < 17)
        prec = (int)exp10 + 1;
    snprintf(buf, sizeof buf, "%.*g", prec, d);
    sb_puts(b, buf);
}

/* Seconds in the largest unit that divides them exactly: 90d, 12h, 30m, 45s.
 * Weeks are not used (7d stays 7d, as authors usually write it). */
static void sb_duration(sbuf *b, int64_t secs)
{
    static const struct { int64_t s; char unit; } units[] = {
        {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}
    };
    char buf[32];
    uint64_t mag = secs < 0 ? (uint64_t)0 - (uint64_t)secs : (uint64_t)secs;
    size_t u = 0;
    while (mag != 0 && mag % (uint64_t)units[u].s != 0)
        u++;
    if (mag == 0)
        u = 3;
    snprintf(buf, sizeof buf, "%s%" PRIu64 "%c", secs < 0 ? "-" : "",
             mag / (uint64_t)units[u].s, units[u].unit);
    sb_puts(b, buf);
}

/* v rendered into b; strings quoted when json is set (inside lists/maps). */
static void sb_value(sbuf *b, val v, int json)
{
    char buf[32];
    switch ((val_kind)v.kind) {
    case VAL_UNDEF:  sb_puts(b, "undefined"); return;
    case VAL_NULL:   sb_puts(b, "null"); return;
    case VAL_BOOL:   sb_puts(b, v.u.b ? "true" : "false"); return;
    case VAL_INT:
        snprintf(buf, sizeof buf, "%" PRId64, v.u.i);
        sb_puts(b, buf);
        return;
    case VAL_DOUBLE:   sb_double(b, v.u.d); return;
    case VAL_DURATION: sb_duration(b, v.u.i); return;
    case VAL_STR:
        if (json)
            sb_json_string(b, v.u.s, v.n);
        else
            sb_put(b, v.u.s, v.n);
        return;
    case VAL_LIST: {
        const fnode *n = v.u.node;
        sb_put(b, "[", 1);
        for (uint32_t i = 0; i < n->n && !b->failed; i++) {
            if (i)
                sb_put(b, ",", 1);
            sb_value(b, val_from_node(n->u.items[i]), 1);
        }
        sb_put(b, "]", 1);
        return;
    }
    case VAL_MAP: {
        const fnode *n = v.u.node;
        sb_put(b, "{", 1);
        for (uint32_t i = 0; i < n->n && !b->failed; i++) {
            if (i)
                sb_put(b, ",", 1);
            sb_json_string(b, n->u.entries[i].key, n->u.entries[i].key_len);
            sb_put(b, ":", 1);
            sb_value(b, val_from_node(n->u.entries[i].val), 1);
        }
        sb_put(b, "}", 1);
        return;
    }
    case VAL_ITER: sb_puts(b, "<iterator>"); return;
    }
    sb_puts(b, "?");
}

/* v as text in mem, its length in *len. A string is returned as it is (it
 * already outlives the value's use); other kinds are rendered. Returns NULL
 * (and *len = 0) when mem or its byte limit cannot hold the text. */
const char *val_to_display(arena *mem, val v, uint32_t *len)
{
    if (len)
        *len = 0;
    if (v.kind == VAL_STR) {            /* already NUL-terminated, outlives v's use */
        if (len)
            *len = v.n;
        return v.u.s;
    }
    sbuf b = {0};
    b.limit = mem->limit;   /* text larger than the whole budget cannot fit */
    sb_value(&b, v, 0);
    if (b.failed || b.len > UINT32_MAX) {
        aip_free(b.p);
        return NULL;
    }
    char *out = arena_strndup(mem, b.p ? b.p : "", b.len);
    aip_free(b.p);
    if (out && len)
        *len = (uint32_t)b.len;
    return out;
}
