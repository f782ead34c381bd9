/* runtime/arena.c - bump allocator and the allocation funnel (see arena.h). */
#include "runtime/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
    arena_block *next;   /* older block */
    size_t size;         /* usable bytes in data[] */
    size_t off;          /* bytes used in data[] */
    _Alignas(8) unsigned char data[];
};

enum { ARENA_FIRST = 4096, ARENA_MAX_BLOCK = 1 << 24 };

void arena_init(arena *a)
{
    a->head = NULL;
    a->used = 0;
    a->limit = 0;
    a->next_size = ARENA_FIRST;
}

void arena_free(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used = 0;
    a->next_size = ARENA_FIRST;
}

void arena_reset(arena *a)
{
    arena_block *b = a->head;
    if (!b)
        return;
    while (b->next) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    b->off = 0;
    a->head = b;
    a->used = sizeof(arena_block) + b->size;
}

void *arena_alloc(arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;   /* 8: the strictest alignment of what arenas hold
                                   (pointers, int64, double; no long double) */
    if (n == 0)
        n = 8;
    arena_block *b = a->head;
    if (!b || b->size - b->off < n) {
        size_t size = a->next_size;
        while (size < n)
            size *= 2;
        if (a->limit && a->used + sizeof(arena_block) + size > a->limit) {
            /* try an exact-size block before giving up */
            size = n;
            if (a->used + sizeof(arena_block) + size > a->limit)
                return NULL;
        }
        b = malloc(sizeof(arena_block) + size);
        if (!b)
            return NULL;
        b->size = size;
        b->off = 0;
        b->next = a->head;
        a->head = b;
        a->used += sizeof(arena_block) + size;
        if (a->next_size < ARENA_MAX_BLOCK)
            a->next_size *= 2;
    }
    void *p = b->data + b->off;
    b->off += n;
    return p;
}

void *arena_zalloc(arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
    char *p = arena_alloc(a, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

static void oom(void)
{
    fputs("aip: internal error: out of memory\n", stderr);
    exit(3);
}

void *aip_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *aip_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *aip_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

char *aip_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = aip_xmalloc(n);
    memcpy(p, s, n);
    return p;
}

void aip_free(void *p)
{
    free(p);
}
