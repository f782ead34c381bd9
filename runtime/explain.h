/* runtime/explain.h - writing what `aip explain` found: for one control,
 * each scope binding, each `where` and `require` with the tree of its
 * sub-expression values, the outcome, the finding and its "because", and
 * the attestation checks; as text for people or as JSON (docs/explain.md).
 *
 * Input: the control's result from vm_eval with options.explain set to a
 * TRACE_EXPLAIN trace (runtime/trace.h) and options.only_control to its id.
 * Not here: running the VM (vm.c) or recording the values (trace.c).
 */
#ifndef AIP_RUNTIME_EXPLAIN_H
#define AIP_RUNTIME_EXPLAIN_H

#include <stdio.h>

#include "runtime/bundle.h"
#include "runtime/result.h"
#include "runtime/trace.h"

/* Shown per quantifier: its first EXPLAIN_MAX_ELEMENTS elements. */
#define EXPLAIN_MAX_ELEMENTS 20u

typedef struct explain_opts {
    const char *target;        /* --target, or NULL */
    int json;                  /* 0 text, 1 JSON */
} explain_opts;

/* Write the explanation of r's only control. 0, or -1 on a write error. */
int explain_write(FILE *out, const eval_result *r, const bundle *b, const trace *t, const explain_opts *o);

#endif
