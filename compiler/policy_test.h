/* compiler/policy_test.h - policy tests (`test` blocks in *_test.aip files)
 * turned into runnable cases: the facts, params and date each test gives, and
 * what it expects. `aip test` runs them through the VM (cli/cmd_test.c).
 *
 * Not here: evaluation; this file only reads the AST and builds inputs.
 */
#ifndef AIP_COMPILER_POLICY_TEST_H
#define AIP_COMPILER_POLICY_TEST_H

#include "compiler/compile.h"
#include "runtime/facts.h"
#include "runtime/result.h"

typedef struct ptest_expect {
    const char *control;     /* subcategory id */
    verdict verdict;
    int64_t findings;        /* -1: not checked */
    unsigned line;           /* of the expect, in the test file */
} ptest_expect;

typedef struct ptest {
    const char *name;
    const src_file *src;     /* the test file */
    unsigned line;           /* of the test block */
    const char *now;         /* YYYY-MM-DD */
    const ast **given;       /* AST_TEST_GIVEN items */
    uint32_t ngiven;
    const ast *params;       /* AST_MAP or NULL */
    ptest_expect *expects;
    uint32_t nexpects;
} ptest;

/* Collect every test of the compiler's test files (after compiler_build).
 * Problems (no `now`, no `given`, an unknown verdict word, a control the
 * bundle does not define) are diagnostics. Returns the count; *out is
 * malloc'd (free with ptest_free). */
size_t ptest_collect(compiler *c, const bundle *b, diag_list *d, ptest **out);
void ptest_free(ptest *tests, size_t n);

/* Load the test's facts (files relative to the test file, inline maps) into f. */
int ptest_facts(const ptest *t, facts *f, aip_error *err);
/* The param values the test sets (defaults otherwise); *store keeps them alive. */
val *ptest_params(const ptest *t, const bundle *b, facts **store, arena *mem, aip_error *err);

/* Put a literal expression (map, list, scalar) into a facts build, located
 * in src (used for inline facts and params). */
int ptest_literal(fbuild *fb, const src_file *src, const ast *e, aip_error *err);

#endif
