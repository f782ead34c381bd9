/* tests/unit/fnode_build.h - fact nodes built by hand for unit tests, in the
 * arena A (the including test sets it up). Define FNODE_BUILD_FILE before
 * including to give the nodes a file index (default: no file). */
#ifndef AIP_TESTS_FNODE_BUILD_H
#define AIP_TESTS_FNODE_BUILD_H

#include <stdarg.h>
#include <string.h>

#include "runtime/value.h"

#ifndef FNODE_BUILD_FILE
#define FNODE_BUILD_FILE FNODE_NO_FILE
#endif

static arena A;

/* cmocka group setup and teardown of A, for tests that need nothing else. */
static inline int fnode_build_setup(void **state)
{
    (void)state;
    arena_init(&A);
    return 0;
}

static inline int fnode_build_teardown(void **state)
{
    (void)state;
    arena_free(&A);
    return 0;
}

static inline fnode *mk(fnode_kind k)
{
    fnode *n = arena_zalloc(&A, sizeof *n);
    n->kind = (uint8_t)k;
    n->file = FNODE_BUILD_FILE;
    n->line = 1;
    n->col = 1;
    return n;
}

static inline fnode *mk_int(int64_t i)
{
    fnode *n = mk(FN_INT);
    n->u.i = i;
    return n;
}

static inline fnode *mk_dbl(double d)
{
    fnode *n = mk(FN_DOUBLE);
    n->u.d = d;
    return n;
}

static inline fnode *mk_strn(const char *s, uint32_t len)
{
    fnode *n = mk(FN_STR);
    n->u.s = arena_strndup(&A, s, len);
    n->n = len;
    return n;
}

static inline fnode *mk_str(const char *s)
{
    return mk_strn(s, (uint32_t)strlen(s));
}

static inline fnode *mk_bool(int b)
{
    fnode *n = mk(FN_BOOL);
    n->u.b = b;
    return n;
}

/* A list of count nodes (with the word before its items that a list from
 * the facts keeps for its id index, NULL: runtime/facts.h). */
static inline fnode *mk_list(int count, ...)
{
    fnode *n = mk(FN_LIST);
    fnode **slots = arena_alloc(&A, (size_t)(count + 1) * sizeof(fnode *));
    slots[0] = NULL;
    n->u.items = slots + 1;
    va_list ap;
    va_start(ap, count);
    for (int i = 0; i < count; i++) {
        n->u.items[i] = va_arg(ap, fnode *);
        n->u.items[i]->parent = n;
        n->u.items[i]->index = (uint32_t)i;
    }
    va_end(ap);
    n->n = (uint32_t)count;
    return n;
}

/* A map of count (key, node) pairs, given in sorted key order. */
static inline fnode *mk_map(int count, ...)
{
    fnode *n = mk(FN_MAP);
    n->u.entries = arena_alloc(&A, (size_t)(count ? count : 1) * sizeof(fentry));
    va_list ap;
    va_start(ap, count);
    for (int i = 0; i < count; i++) {
        const char *k = va_arg(ap, const char *);
        n->u.entries[i].key = k;
        n->u.entries[i].key_len = (uint32_t)strlen(k);
        n->u.entries[i].hash = fnode_key_hash(k, strlen(k));
        n->u.entries[i].val = va_arg(ap, fnode *);
        n->u.entries[i].val->parent = n;
        n->u.entries[i].val->index = (uint32_t)i;
    }
    va_end(ap);
    n->n = (uint32_t)count;
    return n;
}

static inline val V(fnode *n)
{
    return val_from_node(n);
}

/* A string constant (no origin). */
static inline val S(const char *s)
{
    return val_str(s, (uint32_t)strlen(s));
}

#endif
