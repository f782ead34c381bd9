/* compiler/compiler_int.h - the compiler's private structures; only
 * the compiler's own .c files include this file.
 *
 *   compiler   the whole run: units, packages, the bundle being filled
 *   cunit      one parsed source file (policy, test, or stdlib module)
 *   cpkg       the files that share a `package` name, with their members
 *   cmember    a param or def of a package
 */
#ifndef AIP_COMPILER_COMPILER_INT_H
#define AIP_COMPILER_COMPILER_INT_H

#include "compiler/catalog.h"
#include "compiler/compile.h"
#include "compiler/ir8596.h"

typedef struct cpkg cpkg;

typedef struct cimport {
    const char *alias;        /* name the importing file uses */
    cpkg *pkg;                /* the imported package (NULL if it failed) */
    const ast *decl;
    int used;                 /* lint: the alias was used */
} cimport;

typedef struct cunit {
    src_file *src;
    ast_file *ast;
    char *path;               /* normalized path (dedupe key) */
    char *root;               /* directory imports may not escape */
    const char *package;      /* from `package`, or NULL */
    int is_test;              /* *_test.aip */
    int is_stdlib;            /* embedded module */
    cpkg *pkg;
    cimport *imports;
    uint32_t nimports;
} cunit;

enum { MEMBER_PARAM, MEMBER_DEF };

typedef struct cmember {
    const char *name;
    int kind;                 /* MEMBER_PARAM or MEMBER_DEF */
    const ast *decl;
    cunit *unit;
    uint32_t index;           /* bundle param index or function index */
    int used;                 /* lint: referenced somewhere */
} cmember;

struct cpkg {
    const char *name;
    cmember *members;
    uint32_t nmembers, cap;
};

/* A call from one def to another, kept to find recursion. */
typedef struct cedge {
    uint32_t from, to;        /* function indices */
    const ast *site;
    cunit *unit;
} cedge;

struct compiler {
    diag_list *d;
    arena mem;                /* AST and compiler data */
    cunit **units;
    uint32_t nunits, cap;
    cpkg **pkgs;
    uint32_t npkgs, pkgcap;
    bundle *b;
    csf_catalog *cat;
    ir8596_data *ir8596;      /* loaded on the first `help ir8596` */
    cedge *edges;
    uint32_t nedges, edgecap;
    uint32_t *str_const;      /* string index -> constant index + 1 */
    uint32_t str_const_cap;
    compiler_test_file *tests; /* for compiler_test_files */
    int lint;                 /* report lint warnings (compiler_set_lint) */
};

/* A lint warning at node n of unit u (only when c->lint). */
#define CWARN(c, u, n, ...) do { if ((c)->lint && !(u)->is_stdlib) \
        diag_add((c)->d, DIAG_WARNING, (u)->src, (n)->start, (n)->end, __VA_ARGS__); } while (0)
#define CWARN_AT(c, u, s, e, ...) do { if ((c)->lint && !(u)->is_stdlib) \
        diag_add((c)->d, DIAG_WARNING, (u)->src, (s), (e), __VA_ARGS__); } while (0)

/* compiler/compile.c */
cunit *compiler_load_unit(compiler *c, const char *path, const char *root, const ast *from, cunit *importer);
cpkg *compiler_package(compiler *c, const char *name);
cmember *compiler_member(cpkg *p, const char *name);

/* compiler/codegen.c */
void cg_def(compiler *c, cmember *m);
/* Generate a control body into function func; returns 1 if it holds an `attest`. */
int cg_control(compiler *c, cunit *u, const ast *ctl, uint32_t func);
/* Constant index for a constant expression e, or -1 (not constant). */
int64_t cg_const_expr(compiler *c, cunit *u, const ast *e, int report);
uint32_t cg_const_str(compiler *c, const char *s, size_t len);

/* "Did you mean": offer each candidate to suggest_consider; best is the
 * nearest to name (within an edit distance that grows with its length, or
 * sharing a prefix of four or more characters), or NULL. */
typedef struct suggest {
    const char *name;
    const char *best;
    unsigned dist;          /* start at 99 */
} suggest;
void suggest_consider(suggest *s, const char *cand);

/* compiler/schema.c: when a policy declares `uses manifest FORMAT`, check
 * every path rooted at `inventory` against the format's structure. */
void schema_check(compiler *c);

/* compiler/check.c */
void check_recursion(compiler *c);
/* Fill a bc_control's metadata from the control's AST (diagnoses
 * duplicates, unknown ids). Returns 0 when the id is a CSF subcategory. */
int check_control_meta(compiler *c, cunit *u, const ast *ctl, bc_control *out);
void check_profiles(compiler *c);
/* Reject nesting deeper than CHECK_MAX_DEPTH anywhere in unit u (the later
 * passes recurse over the AST; the parser bounds only its own stack, and a
 * chain such as a or b or c ... is deep without growing it). Walks without
 * recursion. -1 after one located error. */
#define CHECK_MAX_DEPTH 256u
int check_depth(compiler *c, cunit *u);

/* Diagnostic at node n of unit u. */
#define CERR(c, u, n, ...) diag_add((c)->d, DIAG_ERROR, (u)->src, (n)->start, (n)->end, __VA_ARGS__)
#define CERR_AT(c, u, s, e, ...) diag_add((c)->d, DIAG_ERROR, (u)->src, (s), (e), __VA_ARGS__)

#endif
