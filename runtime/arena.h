/* runtime/arena.h - bump allocator: one arena per lifetime.
 *
 * An arena hands out memory from large blocks and frees it all at once
 * (arena_free) or keeps its first block and forgets the rest (arena_reset).
 * There are no per-object frees. Blocks double in size up to a maximum.
 * A byte limit (arena->limit, 0 = none) makes allocation fail with NULL
 * once the arena holds that many bytes: the VM uses it as its memory budget.
 *
 * Every allocation in aip goes through arena_* or through aip_xmalloc /
 * aip_xrealloc / aip_free (the funnel), so tests can count and fail them.
 */
#ifndef AIP_RUNTIME_ARENA_H
#define AIP_RUNTIME_ARENA_H

#include <stddef.h>
#include <stdint.h>

typedef struct arena_block arena_block;

typedef struct arena {
    arena_block *head;   /* newest block; older ones follow ->next */
    size_t used;         /* bytes handed out plus block overheads, all blocks */
    size_t limit;        /* 0 = unlimited; else allocations past it fail */
    size_t next_size;    /* size of the next block to allocate */
} arena;

void arena_init(arena *a);
/* Free every block. The arena may be reused after arena_init. */
void arena_free(arena *a);
/* Forget every allocation but keep the first (oldest) block for reuse. */
void arena_reset(arena *a);
/* n bytes aligned to 8; NULL when out of memory or past a->limit. */
void *arena_alloc(arena *a, size_t n);
/* Same, zero-filled. */
void *arena_zalloc(arena *a, size_t n);
/* Copy of s[0..len) with a NUL after it; NULL on failure. */
char *arena_strndup(arena *a, const char *s, size_t len);
char *arena_strdup(arena *a, const char *s);
/* printf into the arena; NULL on failure. */
char *arena_printf(arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The funnel for non-arena memory. aip_xmalloc/aip_xrealloc abort the
 * process with exit status 3 and a message when memory is exhausted. */
void *aip_xmalloc(size_t n);
void *aip_xcalloc(size_t n, size_t size);
void *aip_xrealloc(void *p, size_t n);
char *aip_xstrdup(const char *s);
void aip_free(void *p);

/* Growable array helper: ensure *cap >= need, growing from 8 by doubling. */
#define AIP_GROW(ptr, count, cap)                                          \
    do {                                                                   \
        if ((count) >= (cap)) {                                            \
            size_t aip_nc_ = (cap) < 8 ? 8 : (size_t)(cap) * 2;            \
            (ptr) = aip_xrealloc((ptr), aip_nc_ * sizeof *(ptr));          \
            (cap) = aip_nc_;                                               \
        }                                                                  \
    } while (0)

#endif
