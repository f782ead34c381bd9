/* runtime/because.h - why a requirement decided as it did.
 *
 * From the traced evaluation of a `require` condition (runtime/trace.h),
 * pick the sub-expressions that decided it, following Kleene logic:
 *   a and b   false: the first false operand; true: both
 *   a or b    true: the first true operand; false: both
 *   not a     a
 *   x OP y    (a comparison, arithmetic or a call) its operands that are not
 *             literals, then the expression itself ("330 <= 90 is false")
 *   all/any/none  the first element that decided (its id, or its value) and
 *             why its condition was what it was; for `any` false, `all`
 *             true: the quantifier itself
 *   undefined the undefined operand(s), down to the missing fact and why
 * Values are short copies: strings cut at BECAUSE_STR_MAX bytes, lists and
 * maps at a few items, nesting at BECAUSE_DEPTH_MAX; the item says so.
 */
#ifndef AIP_RUNTIME_BECAUSE_H
#define AIP_RUNTIME_BECAUSE_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/arena.h"
#include "runtime/bundle.h"
#include "runtime/facts.h"
#include "runtime/json_out.h"
#include "runtime/result.h"
#include "runtime/trace.h"

#define BECAUSE_MAX        8u    /* items per finding */
#define BECAUSE_STR_MAX    80u   /* bytes of a string value */
#define BECAUSE_LIST_MAX   5u    /* items of a list value */
#define BECAUSE_MAP_MAX    6u    /* entries of a map value */
#define BECAUSE_DEPTH_MAX  3u    /* nesting of a value */

/* Copy value v into tv (allocating in out): the short value, or why it is
 * undefined, and its fact location. */
void because_copy_value(arena *out, const facts *f, val v, tval *tv);
/* The same for a quantifier's or scope's element: one with a string `id` is
 * given as that id, located at the element. */
void because_copy_element(arena *out, const facts *f, val v, tval *tv);

/* The deciding sub-expressions of the evaluation root (a require's condition)
 * as items allocated in out; returns their number (0 when root is NULL).
 * Nodes whose v is not ready get it now, from raw (facts f). */
uint32_t because_build(const bundle *b, const facts *f, tnode *root, arena *out, because_item **items);

/* A short value as compact JSON text (strings quoted, `...` added when
 * truncated) into buf; always NUL-terminated. */
void because_value_text(const struct fnode *v, int truncated, char *buf, size_t cap);

/* One item as a person reads it: "EXPR = VALUE", "EXPR is false" or
 * "EXPR is undefined: WHY", without the location; always NUL-terminated. */
void because_item_text(const because_item *it, char *buf, size_t cap);

/* A short value as JSON. */
void because_json_value(jw *w, const struct fnode *v);
/* One item as a JSON object: {"expr", "value", "undefined", "truncated",
 * "location"} (docs/report-json.md); an array of n items. */
void because_json_item(jw *w, const because_item *it);
void because_json_items(jw *w, const because_item *items, uint32_t n);

/* The variable a quantifier entry binds ("c" of "all c in xs: ..."), into
 * buf; "" when the text does not start like a quantifier. */
void because_quant_var(const char *text, char *buf, size_t cap);

#endif
