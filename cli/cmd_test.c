/* cli/cmd_test.c - `aip test DIR`: run the policy tests of *_test.aip files.
 *
 * Output follows cmocka's shape so CI log readers know it, and ends with the
 * plain line "N passed, N failed". Exit 1 when any test failed, 2 when the
 * policies or tests do not compile.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "compiler/policy_test.h"
#include "runtime/builtins.h"
#include "runtime/vm.h"

/* Run test t; print why it failed. Returns 1 when it passed. */
static int run_one(const ptest *t, const bundle *b)
{
    aip_error err;
    facts *f = facts_new(), *pstore = NULL;
    arena mem;
    arena_init(&mem);
    int ok = 0;
    eval_result *r = NULL;
    vm_options o;
    vm_options_default(&o);
    date_parse_days(t->now, strlen(t->now), &o.today);
    if (ptest_facts(t, f, &err) != 0 || !(o.params = ptest_params(t, b, &pstore, &mem, &err))) {
        printf("[  ERROR   ] %s\n", t->name);
        printf("    ");
        aip_error_print(&err, stdout);
        goto out;
    }
    r = vm_eval(b, f, &o, &err);
    if (!r) {
        printf("[  ERROR   ] %s\n    ", t->name);
        aip_error_print(&err, stdout);
        goto out;
    }
    ok = 1;
    for (uint32_t i = 0; i < t->nexpects; i++) {
        const ptest_expect *e = &t->expects[i];
        const control_result *cr = NULL;
        for (uint32_t k = 0; k < r->ncontrols && !cr; k++)
            if (strcmp(r->controls[k].id, e->control) == 0)
                cr = &r->controls[k];
        if (!cr)
            continue;   /* ptest_collect checked the id */
        int bad = cr->verdict != e->verdict || (e->findings >= 0 && (int64_t)cr->nfindings != e->findings);
        if (!bad)
            continue;
        if (ok)
            printf("[  FAILED  ] %s\n", t->name);
        ok = 0;
        printf("    %s:%u: expected %s %s", t->src->path, e->line, e->control, verdict_name(e->verdict));
        if (e->findings >= 0)
            printf(" with %lld finding%s", (long long)e->findings, e->findings == 1 ? "" : "s");
        printf(", got %s with %u finding%s\n", verdict_name(cr->verdict), cr->nfindings, cr->nfindings == 1 ? "" : "s");
        if (cr->error)
            printf("      error: %s\n", cr->error);
        for (uint32_t k = 0; k < cr->nfindings && k < 10; k++) {
            const finding *fd = &cr->findings[k];
            printf("      %s: %s", finding_kind_name(fd->kind), fd->message);
            if (fd->file)
                printf(" (%s:%u:%u)", fd->file, fd->line, fd->col);
            printf("\n");
        }
    }
out:
    eval_result_free(r);
    facts_free(f);
    facts_free(pstore);
    arena_free(&mem);
    return ok;
}

int cmd_test(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, "test", argc, argv);
    const char **srcs = calloc((size_t)argc + 1, sizeof *srcs);
    int nsrc = 0, k;
    const char *pos, *filter = NULL;
    while ((k = cli_next(&a, &pos)) >= 0) {
        if (k == 0) {
            srcs[nsrc++] = pos;
        } else if (!strcmp(a.opt, "--run")) {
            if (!(filter = cli_value(&a))) {
                free(srcs);
                return EXIT_INPUT;
            }
        } else {
            free(srcs);
            return cli_usage("test", "unknown option %s", a.opt);
        }
    }
    if (!nsrc) {
        free(srcs);
        return cli_usage("test", "missing the policy directory");
    }
    cli_build cb;
    cli_build_begin(&cb, srcs, nsrc, 0);
    free(srcs);
    bundle *b = cb.b;
    ptest *tests = NULL;
    size_t n = b ? ptest_collect(cb.c, b, &cb.diags, &tests) : 0;
    cli_build_print(&cb);
    if (!b || cb.diags.errors) {
        ptest_free(tests, n);
        bundle_free(b);
        cli_build_end(&cb);
        return EXIT_INPUT;
    }
    size_t run = 0, passed = 0;
    for (size_t i = 0; i < n; i++)
        run += !filter || strstr(tests[i].name, filter);
    printf("[==========] Running %zu test(s).\n", run);
    char **failed = calloc(n + 1, sizeof *failed);
    size_t nfailed = 0;
    for (size_t i = 0; i < n; i++) {
        if (filter && !strstr(tests[i].name, filter))
            continue;
        printf("[ RUN      ] %s\n", tests[i].name);
        if (run_one(&tests[i], b)) {
            printf("[       OK ] %s\n", tests[i].name);
            passed++;
        } else {
            failed[nfailed++] = (char *)tests[i].name;
        }
    }
    printf("[==========] %zu test(s) run.\n", run);
    printf("[  PASSED  ] %zu test(s).\n", passed);
    if (nfailed) {
        printf("[  FAILED  ] %zu test(s), listed below:\n", nfailed);
        for (size_t i = 0; i < nfailed; i++)
            printf("[  FAILED  ] %s\n", failed[i]);
    }
    printf("%zu passed, %zu failed\n", passed, nfailed);
    free(failed);
    ptest_free(tests, n);
    bundle_free(b);
    cli_build_end(&cb);
    return nfailed ? EXIT_GATE : EXIT_PASS;
}
