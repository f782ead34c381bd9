/* runtime/memo.c - results of def calls with constant arguments (memo.h).
 *
 * An open-addressing table whose entries carry the generation they were
 * written in: memo_reset starts a new generation instead of clearing. The
 * table doubles at half load up to MEMO_MAX_SLOTS, then takes no more entries.
 */
#include "runtime/memo.h"

#include <string.h>

#include "runtime/arena.h"

enum { MEMO_FIRST_SLOTS = 256, MEMO_MAX_SLOTS = 1 << 16 };

typedef struct memo_entry {
    uint32_t gen;               /* 0: never used; valid when == memo.gen */
    uint32_t func;
    uint32_t hash;
    uint32_t nargs;
    val args[MEMO_MAX_ARGS];
    val result;
} memo_entry;

struct memo {
    memo_entry *slot;
    uint32_t cap;               /* power of two */
    uint32_t count;             /* entries of this generation */
    uint32_t gen;
};

memo *memo_new(void)
{
    memo *t = aip_xcalloc(1, sizeof *t);
    t->gen = 1;
    return t;
}

void memo_free(memo *t)
{
    if (!t)
        return;
    aip_free(t->slot);
    aip_free(t);
}

void memo_reset(memo *t)
{
    t->count = 0;
    if (++t->gen == 0) {         /* wrapped: old stamps could match again */
        if (t->slot)
            memset(t->slot, 0, sizeof(memo_entry) * t->cap);
        t->gen = 1;
    }
}

int memo_cacheable(const val *args, uint32_t n)
{
    if (n > MEMO_MAX_ARGS)
        return 0;
    for (uint32_t i = 0; i < n; i++) {
        const val *v = &args[i];
        if (v->origin && v->origin->file != FNODE_NO_FILE)
            return 0;
        switch ((val_kind)v->kind) {
        case VAL_NULL: case VAL_BOOL: case VAL_INT: case VAL_DOUBLE: case VAL_STR: case VAL_DURATION:
            break;
        case VAL_LIST: case VAL_MAP:
            if (!v->u.node || v->u.node->file != FNODE_NO_FILE)
                return 0;
            break;
        case VAL_UNDEF: case VAL_ITER:
            return 0;
        }
    }
    return 1;
}

static uint32_t mix(uint32_t h, uint64_t x)
{
    uint64_t v = (h ^ x) * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(v ^ (v >> 29));
}

static uint32_t args_hash(uint32_t func, const val *args, uint32_t n)
{
    uint32_t h = mix(0x811C9DC5u, func);
    for (uint32_t i = 0; i < n; i++) {
        const val *v = &args[i];
        h = mix(h, v->kind);
        switch ((val_kind)v->kind) {
        case VAL_BOOL: h = mix(h, (uint64_t)(v->u.b != 0)); break;
        case VAL_INT: case VAL_DURATION: h = mix(h, (uint64_t)v->u.i); break;
        case VAL_DOUBLE: {
            uint64_t bits;
            memcpy(&bits, &v->u.d, sizeof bits);
            h = mix(h, bits);
            break;
        }
        case VAL_STR: {
            uint32_t s = 2166136261u;
            for (uint32_t k = 0; k < v->n; k++)
                s = (s ^ (unsigned char)v->u.s[k]) * 16777619u;
            h = mix(h, ((uint64_t)v->n << 32) | s);
            break;
        }
        case VAL_LIST: case VAL_MAP: h = mix(h, (uint64_t)(uintptr_t)v->u.node); break;
        default: break;
        }
    }
    return h;
}

static int same_arg(const val *a, const val *b)
{
    if (a->kind != b->kind)
        return 0;
    switch ((val_kind)a->kind) {
    case VAL_NULL: return 1;
    case VAL_BOOL: return (a->u.b != 0) == (b->u.b != 0);
    case VAL_INT: case VAL_DURATION: return a->u.i == b->u.i;
    case VAL_DOUBLE: {   /* bitwise: NaN matches itself, -0 is not 0 */
        uint64_t x, y;
        memcpy(&x, &a->u.d, sizeof x);
        memcpy(&y, &b->u.d, sizeof y);
        return x == y;
    }
    case VAL_STR: return a->n == b->n && (a->n == 0 || memcmp(a->u.s, b->u.s, a->n) == 0);
    case VAL_LIST: case VAL_MAP: return a->u.node == b->u.node;
    default: return 0;
    }
}

static memo_entry *lookup(const memo *t, uint32_t func, const val *args, uint32_t n, uint32_t h)
{
    if (!t->slot)
        return NULL;
    for (uint32_t j = h & (t->cap - 1);; j = (j + 1) & (t->cap - 1)) {
        memo_entry *e = &t->slot[j];
        if (e->gen != t->gen)
            return e;            /* a free slot: the end of the probe */
        if (e->hash == h && e->func == func && e->nargs == n) {
            uint32_t i = 0;
            while (i < n && same_arg(&e->args[i], &args[i]))
                i++;
            if (i == n)
                return e;
        }
    }
}

const val *memo_find(const memo *t, uint32_t func, const val *args, uint32_t n)
{
    memo_entry *e = lookup(t, func, args, n, args_hash(func, args, n));
    return e && e->gen == t->gen ? &e->result : NULL;
}

static int grow(memo *t)
{
    uint32_t cap = t->cap ? t->cap * 2 : MEMO_FIRST_SLOTS;
    if (cap > MEMO_MAX_SLOTS)
        return -1;
    memo_entry *old = t->slot;
    uint32_t ocap = t->cap;
    t->slot = aip_xcalloc(cap, sizeof *t->slot);
    t->cap = cap;
    for (uint32_t i = 0; i < ocap; i++) {
        memo_entry *e = &old[i];
        if (e->gen != t->gen)
            continue;
        uint32_t j = e->hash & (cap - 1);
        while (t->slot[j].gen == t->gen)
            j = (j + 1) & (cap - 1);
        t->slot[j] = *e;
    }
    aip_free(old);
    return 0;
}

void memo_put(memo *t, uint32_t func, const val *args, uint32_t n, val result)
{
    if (n > MEMO_MAX_ARGS || result.kind == VAL_ITER)
        return;
    if ((t->count + 1) * 2 > t->cap && grow(t) != 0)
        return;
    uint32_t h = args_hash(func, args, n);
    memo_entry *e = lookup(t, func, args, n, h);
    if (e->gen == t->gen)
        return;                  /* already there (a call inside the same call) */
    e->gen = t->gen;
    e->func = func;
    e->hash = h;
    e->nargs = n;
    if (n)   /* args may be NULL for a def without parameters */
        memcpy(e->args, args, sizeof(val) * n);
    e->result = result;
    t->count++;
}
