/* runtime/value.h - the VM's value: a small tagged struct passed by value.
 *
 * Kinds: undefined, null, bool, int (64-bit), double, string, duration
 * (seconds), list, map, and the VM-internal iterator. Lists and maps point to
 * an fnode (runtime/facts.h): facts are used in place, never copied.
 *
 * Provenance: `origin` is the fact node a value came from (or the fact that
 * decided a computed value, e.g. the left operand of a comparison), NULL for
 * constants. Findings report origin's path and file:line:col.
 *
 * Undefined carries why: the nearest existing ancestor of a missing fact and
 * the missing path suffix (".rotation.last_rotated"), or a reason ("cannot
 * compare string with int"). Both may be absent.
 *
 * Ownership: values never own memory. Strings, lists and maps live in the
 * facts arena, the bundle's constant arena, or the evaluation arena, whichever
 * outlives the value's use. Treat fields as private: use the val_* helpers.
 */
#ifndef AIP_RUNTIME_VALUE_H
#define AIP_RUNTIME_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/arena.h"
#include "runtime/facts.h"

typedef enum val_kind {
    VAL_UNDEF,      /* u.undef (may be NULL) */
    VAL_NULL,
    VAL_BOOL,       /* u.b: 0 or 1 */
    VAL_INT,        /* u.i */
    VAL_DOUBLE,     /* u.d */
    VAL_STR,        /* u.s, n bytes (NUL-terminated) */
    VAL_DURATION,   /* u.i seconds */
    VAL_LIST,       /* u.node (FN_LIST) */
    VAL_MAP,        /* u.node (FN_MAP) */
    VAL_ITER        /* u.node being iterated, n = next position (VM only) */
} val_kind;

/* How the last step of a missing path is written (undef_info.step). */
typedef enum undef_step {
    UNDEF_STEP_NONE,       /* no step of its own */
    UNDEF_STEP_FIELD,      /* .key, or ["key"] when key is not an identifier */
    UNDEF_STEP_ID,         /* ["key"]: an id looked up in a list */
    UNDEF_STEP_INDEX       /* [index] */
} undef_step;

/* Why a value is undefined. The missing path is kept as steps and written out
 * only when a finding or an explanation needs it (val_undef_missing): most
 * undefined values are dropped by `??` or `exists` unread. */
typedef struct undef_info {
    const fnode *anchor;   /* nearest existing fact, or NULL */
    const char *missing;   /* path suffix written out (".a.b", "[3]", "[\"id\"]"), or NULL */
    const char *reason;    /* why it is undefined (type mismatch, bad date), or NULL */
    const struct undef_info *prev;  /* the steps before this one (same anchor), or NULL */
    union {
        const char *key;   /* UNDEF_STEP_FIELD/ID: the key, key_len bytes (not owned) */
        int64_t index;     /* UNDEF_STEP_INDEX */
    };
    uint32_t key_len;
    uint8_t step;          /* undef_step; the path is prev's, then missing, then this step */
} undef_info;

typedef struct val {
    uint8_t kind;           /* val_kind */
    uint8_t pad[3];
    uint32_t n;             /* VAL_STR: bytes; VAL_ITER: position */
    union {
        int b;
        int64_t i;
        double d;
        const char *s;
        const fnode *node;
        const undef_info *undef;
    } u;
    const fnode *origin;    /* provenance; NULL for constants */
} val;

static inline val val_undef(const undef_info *why)
{
    val v = {0};
    v.kind = VAL_UNDEF;
    v.u.undef = why;
    v.origin = why ? why->anchor : NULL;
    return v;
}
static inline val val_null(void) { val v = {0}; v.kind = VAL_NULL; return v; }
static inline val val_bool(int b) { val v = {0}; v.kind = VAL_BOOL; v.u.b = b != 0; return v; }
static inline val val_int(int64_t i) { val v = {0}; v.kind = VAL_INT; v.u.i = i; return v; }
static inline val val_double(double d) { val v = {0}; v.kind = VAL_DOUBLE; v.u.d = d; return v; }
static inline val val_duration(int64_t s) { val v = {0}; v.kind = VAL_DURATION; v.u.i = s; return v; }
static inline val val_str(const char *s, uint32_t n)
{
    val v = {0};
    v.kind = VAL_STR;
    v.u.s = s;
    v.n = n;
    return v;
}

static inline int val_is_undef(val v) { return v.kind == VAL_UNDEF; }
static inline int val_is_num(val v) { return v.kind == VAL_INT || v.kind == VAL_DOUBLE; }

/* The value of fact node n (origin = n); NULL gives undefined. */
val val_from_node(const fnode *n);
/* "undefined", "null", "bool", "int", "double", "string", "duration", "list", "map". */
const char *val_kind_name(val_kind k);
/* The missing path suffix of u (".a.b[3]"), written into mem; "" when u has
 * none (NULL u included). Each step is cut at 511 bytes, and a key at its first
 * NUL. NULL only when mem is exhausted. */
const char *val_undef_missing(arena *mem, const undef_info *u);

/* A new undefined value whose reason is printf-formatted into mem. */
val val_undef_reason(arena *mem, const fnode *origin, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Deep equality of two defined values (int 1 == double 1.0; lists and maps by
 * content; null is unequal to any other value). Returns 1/0, or -1 when the
 * kinds cannot be compared. */
int val_equal(val a, val b);
/* Order: -1/0/1 for two numbers, two strings (bytewise) or two durations;
 * -2 when they cannot be ordered. */
int val_compare(val a, val b);
/* Render v for a message (strings bare, others JSON-like) into mem. A string
 * comes back as is, not copied. NULL (*len = 0) when mem is exhausted. */
const char *val_to_display(arena *mem, val v, uint32_t *len);

#endif
