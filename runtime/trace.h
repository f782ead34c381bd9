/* runtime/trace.h - recording the values of a control's sub-expressions.
 *
 * A trace watches the VM run a control body (runtime/vm.c calls trace_step
 * before each instruction while a trace is attached; never otherwise) and,
 * with the bundle's debug entries (EXPR section, bc_expr), rebuilds the tree
 * of sub-expression values of every `require` and `where`: an entry's value
 * is the top of the stack when execution reaches the entry's end from inside
 * its code range. Values are copied out of the VM (runtime/because.c,
 * because_copy_value), so a trace outlives the evaluation arena.
 *
 * Two uses:
 *   TRACE_EXPLAIN  `aip explain`: every scope binding, where and require of
 *                  the blocks run is kept as a record (trec), with the "because"
 *                  of each finding attached to it.
 *   TRACE_BECAUSE  `aip eval`: after a block produced findings at `require`s,
 *                  the VM re-runs it traced, only for the scope elements that
 *                  had one (the tickets), and each finding gets its "because".
 * Not here: choosing the deciding sub-expressions (runtime/because.c) and
 * writing the explanation (runtime/explain.c).
 */
#ifndef AIP_RUNTIME_TRACE_H
#define AIP_RUNTIME_TRACE_H

#include <stdint.h>

#include "runtime/arena.h"
#include "runtime/bundle.h"
#include "runtime/facts.h"
#include "runtime/result.h"
#include "runtime/value.h"

typedef enum trace_mode { TRACE_EXPLAIN, TRACE_BECAUSE } trace_mode;

/* A value as traced: a short copy, or why it is undefined, and where it is. */
typedef struct tval {
    const fnode *value;        /* short copy (see because_copy_value); NULL when undefined */
    const char *why;           /* undefined: the reason or "<path> is missing"; else NULL */
    const char *file;          /* facts file of the value (undefined: nearest fact), or NULL */
    uint32_t line, col;
    int8_t truth;              /* 1 true, 0 false, -1 not a boolean */
    uint8_t truncated;         /* the copy was shortened */
    uint8_t lasting;           /* value needs no further copy: shared, or already in the
                                  arena the because items are built in */
} tval;

/* One evaluation of a sub-expression, with the evaluations it was made of. */
typedef struct tnode {
    uint32_t expr;             /* EXPR entry, or BC_NO_EXPR: a quantifier's element */
    int8_t truth;              /* of the value: 1 true, 0 false, -1 not a boolean */
    uint8_t undef;             /* the value is undefined */
    uint8_t ready;             /* v is filled (explain: always; because: when used) */
    val raw;                   /* TRACE_BECAUSE: the VM's value, valid while the block runs */
    tval v;
    struct tnode *first, *last, *next;   /* children in evaluation order */
} tnode;

typedef enum trec_kind { TREC_BIND, TREC_WHERE, TREC_REQUIRE, TREC_ATTEST } trec_kind;

/* What an explain trace keeps, in evaluation order. */
typedef struct trec {
    trec_kind kind;
    uint32_t block;            /* bundle control block */
    uint32_t level;            /* BIND: scope nesting level, 0 outermost */
    const char *subject;       /* BIND: the element's id, or NULL */
    tval v;                    /* BIND: the element; WHERE/REQUIRE: the condition's value */
    uint32_t site;             /* WHERE/REQUIRE: bundle site; BIND: the scope's site, or UINT32_MAX */
    const tnode *tree;         /* WHERE/REQUIRE: the condition's evaluation (every v ready), or NULL */
    uint32_t finding;          /* REQUIRE/ATTEST: finding index in the control result, or UINT32_MAX */
    struct trec *next;
} trec;

/* A finding the plain run produced at a `require`, to be matched in the re-run. */
#define TRACE_TICKET_LEVELS 4u
typedef struct trace_ticket {
    uint32_t finding;          /* index in the control result's findings */
    uint32_t site;
    uint32_t nlevels;          /* open scopes at the time (all of them, even beyond elem[]) */
    const fnode *elem[TRACE_TICKET_LEVELS];   /* their current elements, outermost first */
} trace_ticket;

typedef struct trace trace;

/* out: where records and "because" items live (the result's arena for
 * TRACE_BECAUSE; any arena that outlives the report for TRACE_EXPLAIN). */
trace *trace_new(const bundle *b, const facts *f, trace_mode mode, arena *out);
void trace_free(trace *t);

/* Explain: only scope elements whose `id` is target, at the outermost level. */
void trace_set_target(trace *t, const char *target);

/* Start a block. For TRACE_BECAUSE, tickets[0..n) are the findings to explain
 * and orig the control result that holds them. */
void trace_begin(trace *t, uint32_t block, const trace_ticket *tickets, uint32_t n, control_result *orig);

/* The hook: before the instruction at pc, at call depth `depth`; base..sp is
 * the operand stack, locals the current frame's, scope_elem[0..nscopes) the
 * open scopes' current elements, cur the control result being filled. Only
 * reads the VM state, except that at SCOPE_NEXT it may advance the iterator
 * past unwanted elements: for because, those not on the scope path of the
 * next finding to explain (the re-run's findings then come in the same order
 * as the plain run's: a skipped iteration had none); for explain, at the
 * outermost level, those whose id is not the target. */
void trace_step(trace *t, uint32_t pc, uint32_t depth, const val *base, val *sp, const val *locals,
                const fnode *const *scope_elem, uint32_t nscopes, control_result *cur);

/* Explain: the records so far (first to last). */
const trec *trace_records(const trace *t);
/* How many tickets got their "because" (TRACE_BECAUSE). */
uint32_t trace_matched(const trace *t);

#endif
