/* lang/parse_int.h - private to the front end: scanner state, parse runs,
 * AST constructors.
 *
 * Only lang/lexer.l, lang/parser.y, lang/ast.c and the front end's unit tests
 * include this header; everyone else uses lang/ast.h and lang/diag.h. It pulls
 * in the bison header (token numbers TOK_*, the semantic value type and the
 * byte-range location type), so it must not leak into the compiler.
 *
 * It is not an interface for the compiler: names and layouts here change with
 * the grammar.
 */
#ifndef AIP_LANG_PARSE_INT_H
#define AIP_LANG_PARSE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "lang/ast.h"
#include "lang/diag.h"
#include "lang/parser.h"
#include "runtime/arena.h"

/* The names flex's bison bridge expects for the parser's types. */
#define YYSTYPE PARSE_YYSTYPE
#define YYLTYPE PARSE_YYLTYPE

enum {
    PARSE_MODE_FILE = 0,       /* a whole file: declarations */
    PARSE_MODE_INTERP = 1,     /* the text between { and } of a string */
    PARSE_MAX_INTERP_DEPTH = 32 /* strings inside {...} inside strings... */
};

/* A piece of the string literal being scanned. */
typedef struct lex_part {
    int is_expr;               /* 1: {expr} source range; 0: literal text */
    uint32_t start, end;       /* expr: absolute byte range of the text between
                                * the braces; text: range in lex_state.buf */
} lex_part;

/* A comment (`#` to the end of the line) the scanner passed over: its byte
 * range, without the newline. Kept only when asked (lex_state.comments). */
typedef struct lex_comment {
    uint32_t start, end;
} lex_comment;

/* The comments of a scan, in source order (funnel memory: lex_comments_free). */
typedef struct lex_comments {
    lex_comment *items;
    uint32_t n;
    size_t cap;
} lex_comments;

/* Scanner state, carried as flex's yyextra (PostgreSQL core_yy_extra_type).
 * Offsets are absolute: the scanner may run over a slice of src->text (an
 * interpolation) and still reports positions in the whole file. */
struct lex_state {
    const src_file *src;       /* the file being scanned */
    arena *mem;                /* token strings are copied here */
    diag_list *diags;          /* lexical errors go here */
    uint32_t off;              /* absolute offset of the next byte to scan */
    uint32_t limit;            /* absolute offset where the slice ends */
    int last_tok;              /* kind of the previous token (set by the yylex wrapper) */
    lex_comments *comments;    /* when non-NULL, every comment is appended here
                                * (the parser never sees comments either way) */

    /* the string literal being scanned (start conditions STR/INTERP/ISTR) */
    uint32_t str_start;        /* offset of its opening quote */
    uint32_t interp_start;     /* offset just after the '{' of the open {expr} */
    unsigned str_depth;        /* start conditions pushed since the quote */
    char *buf;                 /* unescaped literal text (funnel memory) */
    size_t buf_len, buf_cap;
    size_t text_mark;          /* start in buf of the literal piece in progress */
    lex_part *parts;           /* pieces so far (funnel memory) */
    uint32_t nparts;
    size_t parts_cap;
};
typedef struct lex_state lex_state;

/* One token as the parser sees it, for tests and tools (parse_tokenize). */
typedef struct lex_token {
    int kind;                  /* TOK_* from lang/parser.h; TOK_YYEOF ends */
    uint32_t start, end;       /* byte range */
    PARSE_YYSTYPE value;       /* .str, .num, .dbl or .node by kind */
} lex_token;

/* ---- lexer.l ---------------------------------------------------------- */

/* Release the funnel memory held by ls (not ls itself). */
void lex_state_free(lex_state *ls);
/* Release the items of c (not c itself). */
void lex_comments_free(lex_comments *c);
/* Token kind of a keyword spelled text[0..len), or 0 if it is not one.
 * *reserved is set to 1 for reserved words (never names). */
int lex_keyword(const char *text, size_t len, int *reserved);

/* ---- parser.y --------------------------------------------------------- */

/* Parse src->text[start..end) in mode (PARSE_MODE_*). For a file, *decls
 * receives the declarations that parsed; for an interpolation, *expr the
 * expression or NULL after a syntax error. Errors go to diags. depth counts
 * enclosing interpolations. Returns the number of syntax errors reported. */
unsigned parse_run(const src_file *src, arena *mem, diag_list *diags, int mode,
                   uint32_t start, uint32_t end, unsigned depth,
                   ast_list *decls, ast **expr);
/* Scan all of src into out[0..cap) as the parser would see it (without the
 * start marker), ending with a TOK_YYEOF token. Returns the number of
 * tokens produced, which may exceed cap (the rest are dropped). */
size_t parse_tokenize(const src_file *src, arena *mem, diag_list *diags,
                      lex_token *out, size_t cap);
/* parse_tokenize, also appending every comment of src to *comments (when
 * non-NULL), in source order. */
size_t parse_tokenize_comments(const src_file *src, arena *mem, diag_list *diags,
                               lex_token *out, size_t cap, lex_comments *comments);
/* The display name of token kind tok, e.g. "'for'", "identifier". */
const char *parse_token_name(int tok);

/* ---- ast.c: constructors (all allocate in mem; they exit with status 3
 * when memory runs out, like the funnel) ---------------------------------- */

void *ast_xalloc(arena *mem, size_t n);
char *ast_strndup(arena *mem, const char *s, size_t len);
ast *ast_new(arena *mem, ast_kind kind, uint32_t start, uint32_t end);
ast *ast_new_binary(arena *mem, ast_op op, ast *left, ast *right);
ast *ast_new_unary(arena *mem, ast_op op, ast *operand, uint32_t start);
/* Append item to l, growing its array in mem (capacity is implied by n:
 * the array is reallocated when n reaches 4, 8, 16, ...). */
void ast_list_push(arena *mem, ast_list *l, ast *item);
/* Make room for element n of an array of elem-sized items that holds n;
 * returns the (possibly moved) array. Same growth rule as ast_list_push. */
void *ast_grow(arena *mem, void *items, uint32_t n, size_t elem);

#endif
