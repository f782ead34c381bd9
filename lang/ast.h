/* lang/ast.h - the abstract syntax tree of a .aip file.
 *
 * The parser (lang/parser.y) builds it in an arena owned by the caller; the
 * compiler reads it. Every node records the byte range [start, end) of the
 * source it came from, so diagnostics can underline it. Strings in the tree
 * are NUL-terminated copies in the arena, already unescaped.
 *
 * The AST knows nothing of bytecode or facts.
 */
#ifndef AIP_LANG_AST_H
#define AIP_LANG_AST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lang/diag.h"
#include "runtime/arena.h"

typedef struct ast ast;

typedef struct ast_list {
    ast **items;
    uint32_t n;
} ast_list;

typedef enum ast_kind {
    /* expressions */
    AST_NULL,        /* null */
    AST_BOOL,        /* true / false: u.b */
    AST_INT,         /* u.i */
    AST_DOUBLE,      /* u.d */
    AST_DURATION,    /* 90d, 2w, 12h, 30m: u.i = seconds */
    AST_STRING,      /* u.str: parts (literal pieces and {expr} pieces) */
    AST_LIST,        /* [a, b]: u.list */
    AST_MAP,         /* {k: v, "k-2": v}: u.map */
    AST_NAME,        /* identifier: u.name */
    AST_FIELD,       /* e.name: u.field */
    AST_INDEX,       /* e[i]: u.index */
    AST_CALL,        /* f(a, b) or alias.f(a): u.call */
    AST_UNARY,       /* not e, -e: u.unary */
    AST_BINARY,      /* a op b: u.binary (arithmetic, comparison, and/or, ??, in) */
    AST_QUANT,       /* all/any/none x in xs: cond: u.quant */
    AST_COUNT,       /* count(x in xs [where cond]): u.quant (op = QUANT_COUNT) */

    /* statements (control bodies and scopes) */
    AST_FOR,         /* for x in e [where c] { body }: u.forstmt */
    AST_LET,         /* let x = e: u.let */
    AST_REQUIRE,     /* require e [else "msg"]: u.require */
    AST_ATTEST,      /* attest within 365d: u.attest */
    AST_META,        /* title/focus/priority/enforce/evidence/maps: u.meta */

    /* top-level declarations */
    AST_PACKAGE,     /* package a.b.c: u.package */
    AST_USES,        /* uses manifest ai-inventory/v1alpha1: u.uses */
    AST_IMPORT,      /* import stdlib.ai | import "x.aip" as x: u.import */
    AST_PARAM,       /* param name = e: u.param */
    AST_DEF,         /* def name(a, b) = e: u.def */
    AST_CONTROL,     /* control ID { items } or rule NAME { items }: u.control */
    AST_PROFILE,     /* profile name "title" { IDs }: u.profile */
    AST_TEST,        /* test "name" { items }: u.test */
    AST_TEST_NOW,    /* now "2026-11-27": u.test_now */
    AST_TEST_GIVEN,  /* given "file.yaml" | given { ... }: u.test_given */
    AST_TEST_PARAMS, /* params { k: v }: u.test_params */
    AST_TEST_EXPECT  /* expect ID verdict [findings N]: u.test_expect */
} ast_kind;

typedef enum ast_op {
    OPX_ADD, OPX_SUB, OPX_MUL, OPX_DIV,
    OPX_EQ, OPX_NE, OPX_LT, OPX_LE, OPX_GT, OPX_GE,
    OPX_AND, OPX_OR,
    OPX_COALESCE,    /* a ?? b */
    OPX_IN,          /* a in b */
    OPX_NOT,         /* unary not */
    OPX_NEG          /* unary minus */
} ast_op;

typedef enum ast_quant { QUANT_ALL, QUANT_ANY, QUANT_NONE, QUANT_COUNT } ast_quant;

typedef enum ast_meta_kind {
    META_TITLE,      /* u.meta.text */
    META_FOCUS,      /* u.meta.focus: bit set of AST_FOCUS_* */
    META_PRIORITY,   /* u.meta.priority[focus index] = 1..3, 0 = not given */
    META_ENFORCE,    /* u.meta.enforce */
    META_EVIDENCE,   /* u.meta.strings: list of AST_STRING (no interpolation) */
    META_MAPS,       /* u.meta.maps: pairs */
    META_HELP        /* u.meta.text (a string), or u.meta.help_ref (`help ir8596`) */
} ast_meta_kind;

enum { AST_FOCUS_SECURE = 1, AST_FOCUS_DEFEND = 2, AST_FOCUS_THWART = 4 };
enum { AST_ENFORCE_MANDATORY = 0, AST_ENFORCE_ADVISORY = 1 };

/* A piece of an interpolated string: literal text, or an expression. */
typedef struct ast_str_part {
    const char *text;      /* literal piece (unescaped, {{ }} resolved), or NULL */
    size_t len;            /* bytes of text */
    ast *expr;             /* the {expr} piece when text == NULL */
} ast_str_part;

typedef struct ast_map_entry {
    const char *key;       /* unescaped key */
    uint32_t key_start, key_end;
    ast *value;
} ast_map_entry;

typedef struct ast_mapping {
    const char *framework; /* e.g. sp800_53 */
    const char *ref;       /* e.g. "IA-5" */
    uint32_t start, end;
} ast_mapping;

typedef struct ast_ident {
    const char *name;
    uint32_t start, end;
} ast_ident;

struct ast {
    ast_kind kind;
    uint32_t start, end;       /* byte range in the file's source */
    union {
        int b;
        int64_t i;
        double d;
        struct { ast_str_part *parts; uint32_t n; } str;
        ast_list list;
        struct { ast_map_entry *entries; uint32_t n; } map;
        const char *name;
        struct { ast *obj; const char *name; uint32_t name_start, name_end; } field;
        struct { ast *obj; ast *key; } index;
        struct { ast *callee; ast_list args; } call;  /* callee: AST_NAME or AST_FIELD(AST_NAME) */
        struct { ast_op op; ast *operand; } unary;
        struct { ast_op op; ast *left, *right; } binary;
        struct { ast_quant op; ast_ident var; ast *coll; ast *cond; } quant; /* cond may be NULL for count */

        struct { ast_ident var; ast *coll; ast *where; ast_list body; } forstmt; /* where may be NULL */
        struct { ast_ident var; ast *value; } let;
        struct { ast *cond; ast *message; } require;  /* message: AST_STRING or NULL */
        struct { ast *within; } attest;               /* AST_DURATION */
        struct {
            ast_meta_kind kind;
            const char *text;                          /* META_TITLE */
            unsigned focus;                            /* META_FOCUS */
            unsigned char priority[3];                 /* META_PRIORITY: secure, defend, thwart */
            int enforce;                               /* META_ENFORCE */
            ast_list strings;                          /* META_EVIDENCE */
            struct { ast_mapping *items; uint32_t n; } maps; /* META_MAPS */
            ast_ident help_ref;                        /* META_HELP: named reference text */
        } meta;

        struct { const char *name; } package;            /* dotted name */
        struct { const char *format; } uses;              /* "ai-inventory/v1alpha1" */
        struct {
            const char *module;   /* "stdlib.ai" for a module, NULL for a file */
            const char *path;     /* "x.aip" for a file import, else NULL */
            ast_ident alias;      /* "ai" for stdlib.ai (last component), or the "as" name */
        } import;
        struct { ast_ident name; ast *value; } param;
        struct { ast_ident name; ast_ident *params; uint32_t nparams; ast *body; } def;
        struct { ast_ident id; ast_list items; int is_rule; } control;  /* items: AST_META and statements;
                                                                  is_rule: `rule NAME { }` (id is a name) */
        struct { ast_ident name; const char *title; ast_ident *ids; uint32_t nids; } profile;
        struct { const char *name; ast_list items; } test;
        struct { const char *date; } test_now;
        struct { const char *path; ast *facts; } test_given;   /* one of them set */
        struct { ast *map; } test_params;                      /* AST_MAP */
        struct { ast_ident id; const char *verdict; uint32_t verdict_start, verdict_end;
                 int64_t findings; /* -1 = not given */ } test_expect;
    } u;
};

/* A parsed file: its source and top-level declarations in order. */
typedef struct ast_file {
    const src_file *src;
    ast_list decls;
} ast_file;

/* Parse src into an AST allocated in mem. Syntax errors go to diags (several
 * per run: the parser recovers at declaration, statement and bracket
 * boundaries). Returns the file even when errors were found (its declarations
 * are those that parsed); check diags->errors. Never returns NULL. */
ast_file *lang_parse(const src_file *src, arena *mem, diag_list *diags);

/* Names used in messages. */
const char *ast_kind_name(ast_kind k);
const char *ast_op_name(ast_op op);

/* Write n as one S-expression line, e.g. (or a (and b (not c))), for tests
 * and debugging: (. obj name) is a field, ([] obj key) an index, (neg x)
 * unary minus, (str "a" x) an interpolated string. n may be NULL ("nil"). */
void ast_dump(const ast *n, FILE *out);

#endif
