/* runtime/result.h - what an evaluation decided: verdicts and findings.
 *
 * The VM fills an eval_result; report writers (runtime/report_*.c) only read
 * it. One control_result per CSF subcategory id the bundle defines (several
 * `control` blocks for one id are merged: worst verdict, findings appended),
 * in bundle order. The compiler writes controls in CSF 2.0 catalog order
 * (functions GV ID PR DE RS RC, categories and subcategories as the CSF Core
 * lists them), so reports need no catalog of their own.
 *
 * Everything lives in the result's arena; strings are NUL-terminated.
 */
#ifndef AIP_RUNTIME_RESULT_H
#define AIP_RUNTIME_RESULT_H

#include <stdint.h>

#include "runtime/arena.h"

/* Ordered by severity: a roll-up takes the largest. */
typedef enum verdict {
    VERDICT_NOT_APPLICABLE = 0,
    VERDICT_PASS,
    VERDICT_WAIVED,
    VERDICT_UNKNOWN,
    VERDICT_FAIL,
    VERDICT_ERROR,
    VERDICT_COUNT
} verdict;

const char *verdict_name(verdict v);   /* "not_applicable", "pass", ... */
int verdict_parse(const char *s, verdict *out);  /* 0 ok, -1 unknown word */

typedef enum finding_kind { FINDING_VIOLATION, FINDING_MISSING_EVIDENCE } finding_kind;

/* A waiver from --waivers (runtime/waivers.c) and what became of it. */
typedef enum waiver_status {
    WAIVER_ACTIVE,    /* unexpired and covered at least one violation */
    WAIVER_UNUSED,    /* unexpired but matched no violation */
    WAIVER_EXPIRED    /* past its expiry date: no effect */
} waiver_status;
const char *waiver_status_name(waiver_status s);   /* "active", "unused", "expired" */

typedef struct waiver {
    const char *id;            /* the entry's `id`, or "waivers[N]" */
    const char *control;       /* subcategory id the waiver applies to */
    const char *target;        /* an ai_systems[] id, or a finding path pattern (* and ? wildcards) */
    const char *reason;
    const char *approved_by;
    const char *expires;       /* YYYY-MM-DD */
    const char *file;          /* where it is written */
    uint32_t line, col;
    waiver_status status;
    uint32_t matched;          /* violations it covered */
} waiver;
const char *finding_kind_name(finding_kind k);   /* "violation", "missing_evidence" */

/* One deciding sub-expression of a requirement (runtime/because.c). */
typedef struct because_item {
    const char *expr;          /* its source text, or a quantifier's variable */
    const struct fnode *value; /* a short copy of its value; NULL when undefined */
    const char *undefined;     /* when undefined: why, else NULL */
    const char *file;          /* facts file of the value, or NULL (computed or literal) */
    uint32_t line, col;
    uint8_t truncated;         /* value was shortened */
} because_item;

typedef struct finding {
    finding_kind kind;
    const char *message;
    const char *path;          /* fact path from the facts root ("" for the root) */
    const char *subject;       /* id of the scope element (AI system), or NULL */
    const char *file;          /* facts file of the deciding fact (or nearest ancestor), or NULL */
    uint32_t line, col;        /* 0 when no file */
    const char *policy_file;   /* the require / scope / attest in the policy */
    uint32_t policy_line, policy_col;
    const waiver *waived_by;   /* the active waiver covering this violation, or NULL */
    const because_item *because;  /* the deciding sub-expressions (require findings), or NULL */
    uint32_t nbecause;
} finding;

typedef struct control_result {
    const char *id;            /* "PR.AA-01" */
    const char *title;
    verdict verdict;
    uint8_t enforce;           /* 0 mandatory, 1 advisory */
    uint8_t focus;             /* bit set: 1 secure, 2 defend, 4 thwart */
    uint8_t priority[3];
    uint32_t bundle_control;   /* index of the first bc_control block for this id */
    uint32_t nblocks;          /* control blocks merged */
    uint32_t requirements_held;  /* requirement checks that held */
    const char *error;         /* message when verdict is error, else NULL */
    finding *findings;
    uint32_t nfindings, cap;
} control_result;

typedef struct eval_summary {
    uint32_t counts[VERDICT_COUNT];
    uint32_t total;
} eval_summary;

typedef struct eval_result {
    arena mem;
    control_result *controls;
    uint32_t ncontrols;
    eval_summary summary;
    int gate_failed;            /* by the --fail-on rule */
    const char *fail_on;        /* "mandatory", "any", "none" */
    const char *evaluated_at;   /* YYYY-MM-DD */
    const char *profile;        /* NULL = all controls */
    const char *bundle_sha256;  /* hex */
    /* facts files (name, sha256 hex) */
    const char **fact_files;
    const char **fact_sha256;
    uint32_t nfact_files;
    /* the params and waivers files given (NULL when none), with their SHA-256 */
    const char *params_file, *params_sha256;
    const char *waivers_file, *waivers_sha256;
    /* every waiver of the waivers file, in file order, with its status */
    waiver *waivers;
    uint32_t nwaivers;
} eval_result;

#endif
