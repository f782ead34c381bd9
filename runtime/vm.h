/* runtime/vm.h - evaluate a verified bundle against facts.
 *
 * One vm_ctx per evaluation: no global state, so several evaluations may run
 * in parallel on one bundle and one facts set (both are read-only here).
 */
#ifndef AIP_RUNTIME_VM_H
#define AIP_RUNTIME_VM_H

#include <stdint.h>

#include "runtime/bundle.h"
#include "runtime/error.h"
#include "runtime/facts.h"
#include "runtime/result.h"

typedef enum fail_on { FAIL_ON_MANDATORY, FAIL_ON_ANY, FAIL_ON_NONE } fail_on;

typedef struct vm_budget {
    uint64_t max_steps;        /* instructions per control (default 10,000,000) */
    uint32_t max_stack;        /* operand stack slots (default 4096) */
    uint32_t max_frames;       /* call depth (default 64) */
    size_t max_memory;         /* evaluation arena bytes per control (default 256 MiB) */
} vm_budget;

/* Coverage counting (`aip test --coverage`): a table with one row per code
 * word of the bundle (b->code.n rows), indexed by the offset (pc) of a
 * REQUIRE or ATTEST instruction. Each evaluation adds one, saturating, to
 * [VM_COV_TRUE] (require true / attestation fresh), [VM_COV_FALSE] (require
 * false / attestation stale) or [VM_COV_UNDEF] (require undefined or not a
 * boolean / attestation missing). Other rows stay 0. */
enum { VM_COV_TRUE = 0, VM_COV_FALSE = 1, VM_COV_UNDEF = 2 };
typedef uint32_t vm_cov_row[3];

typedef struct vm_options {
    int64_t today;             /* evaluation date, days since 1970-01-01 */
    const char *profile;       /* NULL: every control */
    fail_on fail_on;
    vm_budget budget;
    const val *params;         /* NULL: bundle defaults; else one value per bundle param */
    int rules;                 /* 0: evaluate the controls; 1: only the rules (manifest checks) */
    vm_cov_row *coverage;      /* NULL (no cost), or b->code.n rows filled as above */
    int because;               /* give findings at a `require` their "because": a block with
                                  such findings is run again, traced, for those elements only */
    struct trace *explain;     /* trace every block run (runtime/trace.h), or NULL */
    const char *only_control;  /* evaluate only the blocks of this control id, or NULL */
} vm_options;

void vm_options_default(vm_options *o);

/* Evaluate every control (or the profile's). Returns a result the caller
 * frees with eval_result_free, or NULL with err when the options are wrong
 * (an unknown profile). Budget overruns and runtime errors never fail the
 * call: they make that control's verdict `error`. */
eval_result *vm_eval(const bundle *b, const facts *f, const vm_options *o, aip_error *err);
void eval_result_free(eval_result *r);

/* Recompute r's summary counts and gate from its control verdicts (after
 * waivers change verdicts). */
void eval_summarize(eval_result *r, fail_on fo);

#endif
