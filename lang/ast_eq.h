/* lang/ast_eq.h - structural equality of two ASTs, ignoring locations.
 *
 * Two trees are equal when they have the same shape and the same values
 * (names, literals, operators, metadata, string pieces): what the compiler
 * reads, without the byte ranges that only diagnostics read. Parentheses
 * leave no node, so `(a)` and `a` are equal. `aip fmt` uses it to prove that
 * its output means what its input meant.
 */
#ifndef AIP_LANG_AST_EQ_H
#define AIP_LANG_AST_EQ_H

#include "lang/ast.h"

/* Deeper trees than this compare unequal (the walk is recursive). The
 * parser's stack limit (10000) keeps real trees well below it. */
enum { AST_EQ_MAX_DEPTH = 20000 };

/* 1 when a and b are equal (either may be NULL: equal only to NULL). */
int ast_equal(const ast *a, const ast *b);
/* 1 when both files have equal declarations, in the same order. */
int ast_file_equal(const ast_file *a, const ast_file *b);

#endif
