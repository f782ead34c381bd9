/* runtime/bundle.h - a compiled policy bundle in memory.
 *
 * The compiler fills a bundle and serializes it (compiler/bundle_write.c);
 * the runtime parses bytes back into the same struct (runtime/bundle.c) and
 * verifies it (runtime/verify.c) before anything runs. Cross references are
 * indices (strings, constants, functions, sites), never pointers, so both
 * directions share this one description and the verifier can check them.
 *
 * Sections (tag: content), in the order the writer emits them:
 *   STRS  u32 n; n x (u32 len, bytes)                  string table
 *   CNST  u32 n; n x (u8 tag, payload)                 constants (see bc_const)
 *   FUNC  u32 n; n x (u8 kind, u8 nparams, u16 nlocals, u32 max_stack,
 *                     u32 start, u32 len, u32 name)      functions
 *   CODE  u32 n; n x u32 word                          instructions
 *   SITE  u32 n; n x (u8 kind, u32 file, u32 line, u32 col, u32 text)
 *   LINE  u32 n; n x (u32 pc, u32 file, u32 line)      sorted by pc
 *   NATV  u32 n; n x (u32 name, u8 argc)               builtins used
 *   PARM  u32 n; n x (u32 name, u32 package, u8 kind, u32 default const)
 *   CTRL  u32 n; n x control (see bc_control, strings as u32 indices, in field order)
 *   PROF  u32 n; n x (u32 name, u32 title, u32 count, count x u32 id)
 *   META  u32 n; n x (u32 key, u32 value)              packages, uses, sources
 *   EXPR  u32 n; n x (u8 kind, u32 file, u32 line, u32 col, u32 text,
 *                     u32 start, u32 end, u32 parent)     debug: sub-expressions (optional)
 *   SHA2  32 bytes
 */
#ifndef AIP_RUNTIME_BUNDLE_H
#define AIP_RUNTIME_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/arena.h"
#include "runtime/bytecode.h"
#include "runtime/error.h"
#include "runtime/value.h"

typedef struct bc_const {
    uint8_t tag;            /* bc_const_tag */
    union {
        int64_t i;          /* INT, DURATION (seconds) */
        double d;           /* DOUBLE */
        uint32_t str;       /* STR: string index */
        struct { uint32_t first, n; } agg; /* LIST/MAP: items in agg_refs[first..first+n) (maps: key, value pairs -> 2n refs) */
    } u;
} bc_const;

typedef struct bc_func {
    uint8_t kind;           /* BC_FUNC_DEF or BC_FUNC_CONTROL */
    uint8_t nparams;        /* defs only */
    uint16_t nlocals;       /* slots, params included */
    uint32_t max_stack;     /* deepest operand stack */
    uint32_t start, len;    /* code words [start, start+len) */
    uint32_t name;          /* string: def name or control id */
} bc_func;

typedef struct bc_site {
    uint8_t kind;           /* BC_SITE_* */
    uint32_t file, line, col;
    uint32_t text;          /* string: the source text of the condition/collection */
} bc_site;

typedef struct bc_line { uint32_t pc, file, line; } bc_line;

/* Debug information (EXPR section, optional): one entry per sub-expression of
 * a control body, in pre-order (a parent before its children). The code of
 * the expression is [start, end) and leaves its value on top of the stack
 * when execution reaches `end` from inside that range. Only `aip explain`
 * and the "because" of findings read it (runtime/explain.c). */
typedef struct bc_expr {
    uint8_t kind;           /* bc_expr_kind */
    uint32_t file, line, col;
    uint32_t text;          /* string: the source text, white space folded */
    uint32_t start, end;    /* code words; same function */
    uint32_t parent;        /* index of the enclosing entry, or BC_NO_EXPR */
} bc_expr;

typedef struct bc_native {
    uint32_t name;          /* string */
    uint8_t argc;
    int builtin;            /* runtime: index into aip_builtins (set on load) */
} bc_native;

typedef struct bc_param {
    uint32_t name, package; /* strings */
    uint8_t kind;           /* val_kind of the default */
    uint32_t def;           /* constant index */
} bc_param;

typedef struct bc_mapping { uint32_t framework, ref; } bc_mapping;

typedef struct bc_control {
    uint32_t id, title;     /* strings */
    uint8_t focus;          /* bit set: 1 secure, 2 defend, 4 thwart */
    uint8_t priority[3];    /* per focus area: 1 high, 2 moderate, 3 foundational, 0 none */
    uint8_t enforce;        /* 0 mandatory, 1 advisory */
    uint8_t has_attest;     /* the body contains `attest` */
    uint32_t nevidence, evidence;  /* strings evidence_refs[evidence..+n) */
    uint32_t nmaps, maps;          /* mappings maps[maps..+n) */
    uint32_t file, line, col;      /* where the control block starts */
    uint32_t func;                 /* function with the body */
    uint32_t package;              /* string: package name */
    uint32_t help;                 /* string: help text (the IR 8596 considerations, or the author's) */
    uint8_t kind;                  /* BC_CTRL_CONTROL, or BC_CTRL_RULE (a manifest check: id is a name) */
} bc_control;

typedef struct bc_profile {
    uint32_t name, title;
    uint32_t first, n;             /* control id strings in profile_refs[first..+n) */
} bc_profile;

typedef struct bc_meta { uint32_t key, value; } bc_meta;

/* A growable array of T with count n and capacity cap. */
#define BC_VEC(T) struct { T *v; uint32_t n, cap; }

typedef struct bundle {
    arena mem;                     /* strings and materialized constants (reader) */
    BC_VEC(const char *) strs;     /* NUL-terminated; lengths in str_lens */
    BC_VEC(uint32_t) str_lens;
    BC_VEC(bc_const) consts;
    BC_VEC(uint32_t) agg_refs;     /* constant indices of list items / map key-value pairs */
    BC_VEC(bc_func) funcs;
    BC_VEC(uint32_t) code;
    BC_VEC(bc_site) sites;
    BC_VEC(bc_line) lines;
    BC_VEC(bc_native) natives;
    BC_VEC(bc_param) params;
    BC_VEC(bc_control) controls;
    BC_VEC(uint32_t) evidence_refs;
    BC_VEC(bc_mapping) maps;
    BC_VEC(bc_profile) profiles;
    BC_VEC(uint32_t) profile_refs;
    BC_VEC(bc_meta) meta;
    BC_VEC(bc_expr) exprs;         /* debug information; may be empty */

    val *kvals;                    /* reader: constants as values (nconsts) */
    uint32_t *khash;               /* reader: fnode_key_hash of each string constant (else 0),
                                      so a field access does not hash its key every time */
    struct bundle_intern *intern;  /* writer: string index by content (bundle.c) */
    unsigned char sha256[32];      /* hash of the serialized bytes (whole file) */
    char sha256_hex[65];
} bundle;

/* An empty bundle (writer side). */
bundle *bundle_new(void);
void bundle_free(bundle *b);

/* Intern s[0..len) in the string table; returns its index. */
uint32_t bundle_str(bundle *b, const char *s, size_t len);
static inline const char *bundle_s(const bundle *b, uint32_t i) { return b->strs.v[i]; }

/* Parse bytes into a bundle, check the SHA-256 trailer (unless
 * skip_checksum), then verify it (runtime/verify.c). On any problem returns
 * NULL with err naming `name` and the byte offset or code position. */
typedef struct bundle_read_opts { int skip_checksum; } bundle_read_opts;
bundle *bundle_read(const unsigned char *buf, size_t len, const char *name,
                    const bundle_read_opts *opts, aip_error *err);
bundle *bundle_read_file(const char *path, aip_error *err);
/* Does buf start like a bundle (magic)? */
int bundle_sniff(const unsigned char *buf, size_t len);

/* Check every index, jump, stack effect and call (runtime/verify.c).
 * 0 when the bundle is safe to run; -1 with err otherwise. */
int bundle_verify(bundle *b, const char *name, aip_error *err);

/* Check function fi alone (as the verifier does) and give its deepest
 * operand stack in *max_depth; the compiler uses it to fill max_stack. */
int bundle_func_stack(bundle *b, uint32_t fi, uint32_t *max_depth, aip_error *err);

/* Materialize constants as values (reader; done by bundle_read). */
int bundle_materialize(bundle *b, aip_error *err);

/* Value of a META key, or NULL. */
const char *bundle_meta(const bundle *b, const char *key);
/* The policy file and line of the code at pc, from the line table (its last
 * entry at or before pc); NULL and 0 when pc precedes every entry. */
void bundle_policy_line(const bundle *b, uint32_t pc, const char **file, uint32_t *line);

/* Grow helper for BC_VEC. */
#define BC_PUSH(vec, item)                                   \
    do {                                                     \
        if ((vec).n == (vec).cap) {                          \
            (vec).cap = (vec).cap ? (vec).cap * 2 : 8;       \
            (vec).v = aip_xrealloc((vec).v, (size_t)(vec).cap * sizeof *(vec).v); \
        }                                                    \
        (vec).v[(vec).n++] = (item);                         \
    } while (0)

#endif
