/* compiler/coverage.h - policy test coverage (`aip test --coverage`): which
 * outcomes the tests drove each requirement of each control to.
 *
 * A *check* is one `require` or one `attest` in a control block. Each has
 * three outcomes: true, false, undefined for a require (undefined: the
 * condition was undefined or not a boolean, a missing-evidence finding), and
 * fresh, stale, missing for an attestation (the same three roles: holds,
 * violation, missing evidence). The VM counts every evaluation in a
 * vm_cov_row table (runtime/vm.h); a test's counts are credited only to the
 * controls that test has an `expect` for, since a verdict nobody checks is
 * not tested. Only controls count: manifest `rule` blocks are run by
 * `aip validate`, never by `aip test`.
 *
 * Metrics (docs/coverage.md):
 *   outcome coverage  = outcomes seen / (3 x checks)
 *   decided both ways = checks seen both true and false / checks
 * Whether a condition can be undefined at all is undecidable in general, so
 * every check counts three outcomes; the second figure is the one a policy can
 * always bring to 100%.
 *
 * Not here: running the tests (cli/cmd_test.c), the VM hook (runtime/vm.c).
 */
#ifndef AIP_COMPILER_COVERAGE_H
#define AIP_COMPILER_COVERAGE_H

#include <stdint.h>
#include <stdio.h>

#include "runtime/bundle.h"
#include "runtime/result.h"
#include "runtime/vm.h"

typedef struct cov_check {
    uint32_t pc;             /* the REQUIRE or ATTEST instruction */
    int attest;              /* 0 require, 1 attest */
    const char *file;        /* policy source */
    uint32_t line, col;
    const char *text;        /* the condition's source text ("" for attest) */
    uint32_t hits[3];        /* VM_COV_TRUE/FALSE/UNDEF, from tests that expect the control */
} cov_check;

typedef struct cov_control {
    const char *id;          /* subcategory id */
    const char *file;        /* first control block */
    uint32_t line;
    uint32_t tests;          /* tests with an `expect` for it */
    uint32_t verdicts;       /* bit (1 << verdict) for each verdict those tests produced */
    cov_check *checks;
    uint32_t nchecks;
} cov_control;

typedef struct cov_totals {
    uint32_t controls, tested; /* controls, and those with at least one test */
    uint32_t checks;
    uint32_t seen;             /* outcomes seen (at most 3 x checks) */
    uint32_t both;             /* checks seen both true and false */
} cov_totals;

typedef struct coverage {
    const bundle *b;
    cov_control *controls;   /* bundle order (CSF catalog order) */
    uint32_t ncontrols;
    vm_cov_row *table;       /* b->code.n rows: hand to vm_options.coverage for one test */
    uint32_t tests;          /* tests credited */
} coverage;

/* The controls of b (not rules) and their checks, all unseen. Free with
 * coverage_free. */
coverage *coverage_new(const bundle *b);
void coverage_free(coverage *cv);

/* Before a test: clear the table. */
void coverage_begin_test(coverage *cv);
/* After a test's evaluation r (NULL when it could not run): credit the
 * table's counts and r's verdicts to each control in expects[0..n). */
void coverage_end_test(coverage *cv, const eval_result *r, const char *const *expects, uint32_t n);

/* Outcomes seen of one check (0..3), and whether it was seen true and false. */
unsigned cov_check_seen(const cov_check *k);
int cov_check_both(const cov_check *k);

/* Totals over every control, or over the controls whose id starts with
 * prefix (a CSF function such as "GV."; NULL for all). */
void coverage_totals(const coverage *cv, const char *prefix, cov_totals *t);

/* part / whole as a percentage in tenths, rounded half up (694 = 69.4%);
 * 0 when whole is 0. */
uint32_t cov_tenths(uint32_t part, uint32_t whole);

/* Write the report: a per-control table (untested controls first), a per
 * CSF function summary and the totals; or the same as JSON
 * (format "aip-coverage/1"). 0 on success, -1 on a write error. */
int coverage_write_text(const coverage *cv, FILE *out);
int coverage_write_json(const coverage *cv, FILE *out);

#endif
