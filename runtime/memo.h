/* runtime/memo.h - results of def calls whose arguments are all constants.
 *
 * A def is a pure function of its arguments, the facts, the params and the
 * evaluation date, none of which change while a control block runs. When
 * every argument of a call is a constant of the policy (no provenance in the
 * facts: its origin, if any, is a node of the bundle or of the VM, which has
 * no location; a list or map is such a node), the VM looks the call up here first and, on a miss, stores the
 * result when the def returns. The manifest rules walk the format's schema
 * (a constant) with helpers such as kind_of(spec): the same few hundred calls
 * thousands of times over.
 *
 * Arguments are compared by value (strings by content, doubles bitwise),
 * lists and maps by identity. An argument located in the facts is never
 * cached: the result could carry that location (where a finding points);
 * nodes without a file locate nothing, so two of them are interchangeable. Entries refer
 * to values in the VM's block arena, so memo_reset must be called whenever
 * that arena is reset. A full table stops taking entries (no eviction).
 */
#ifndef AIP_RUNTIME_MEMO_H
#define AIP_RUNTIME_MEMO_H

#include <stdint.h>

#include "runtime/value.h"

#define MEMO_MAX_ARGS 4u          /* calls with more arguments are not cached */

typedef struct memo memo;

memo *memo_new(void);
void memo_free(memo *t);
/* Forget every entry (O(1)). */
void memo_reset(memo *t);

/* Whether a call with these n arguments may be cached. */
int memo_cacheable(const val *args, uint32_t n);
/* The result of def func called with args (cacheable), or NULL. */
const val *memo_find(const memo *t, uint32_t func, const val *args, uint32_t n);
/* Store it (ignored when the table is full). */
void memo_put(memo *t, uint32_t func, const val *args, uint32_t n, val result);

#endif
