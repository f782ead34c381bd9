/* tests/unit/eval_src.h - compile a policy and evaluate it on YAML facts in a
 * unit test (header-only; include after <cmocka.h>). */
#ifndef AIP_TESTS_EVAL_SRC_H
#define AIP_TESTS_EVAL_SRC_H

#include <string.h>

#include "compile_src.h"
#include "runtime/builtins.h"
#include "runtime/vm.h"

typedef struct run {
    bundle *b;
    facts *f;
    eval_result *r;
} run;

/* Compile policy (as t.aip), load yaml (as f.yaml) and evaluate with o, or
 * with the default options on 2026-11-27 when o is NULL. Fails the test on
 * any error. */
static inline run eval_src(const char *policy, const char *yaml, const vm_options *o)
{
    run x = {0};
    x.b = compile_src("t.aip", policy, 1, NULL);
    assert_non_null(x.b);
    x.f = facts_new();
    aip_error err;
    if (facts_load_buffer(x.f, "f.yaml", yaml, strlen(yaml), FACTS_YAML, &err) != 0)
        fail_msg("facts: %s", err.msg);
    vm_options def;
    if (!o) {
        vm_options_default(&def);
        date_parse_days("2026-11-27", 10, &def.today);
        o = &def;
    }
    x.r = vm_eval(x.b, x.f, o, &err);
    assert_non_null(x.r);
    return x;
}

static inline void eval_src_done(run *x)
{
    eval_result_free(x->r);
    facts_free(x->f);
    bundle_free(x->b);
}

#endif
