/* cli/cmd_test.c - `aip test DIR`: run the policy tests of *_test.aip files.
 *
 * Output follows cmocka's shape so CI log readers know it, and ends with the
 * plain line "N passed, N failed". Exit 1 when any test failed, 2 when the
 * policies or tests do not compile. --coverage adds the coverage report
 * (compiler/coverage.h) after it; with --coverage-format json the report is
 * the only thing on stdout and the test lines go to stderr.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "compiler/coverage.h"
#include "compiler/policy_test.h"
#include "runtime/builtins.h"
#include "runtime/vm.h"

/* Run test t, printing to out why it failed; count coverage into cv (NULL:
 * none). Returns 1 when it passed. */
static int run_one(const ptest *t, const bundle *b, FILE *out, coverage *cv)
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
    if (cv) {
        coverage_begin_test(cv);
        o.coverage = cv->table;
    }
    if (ptest_facts(t, f, &err) != 0 || !(o.params = ptest_params(t, b, &pstore, &mem, &err))) {
        fprintf(out, "[  ERROR   ] %s\n", t->name);
        fprintf(out, "    ");
        aip_error_print(&err, out);
        goto out;
    }
    facts_set_params_store(f, pstore);
    r = vm_eval(b, f, &o, &err);
    if (!r) {
        fprintf(out, "[  ERROR   ] %s\n    ", t->name);
        aip_error_print(&err, out);
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
            fprintf(out, "[  FAILED  ] %s\n", t->name);
        ok = 0;
        fprintf(out, "    %s:%u: expected %s %s", t->src->path, e->line, e->control, verdict_name(e->verdict));
        if (e->findings >= 0)
            fprintf(out, " with %lld finding%s", (long long)e->findings, e->findings == 1 ? "" : "s");
        fprintf(out, ", got %s with %u finding%s\n", verdict_name(cr->verdict), cr->nfindings, cr->nfindings == 1 ? "" : "s");
        if (cr->error)
            fprintf(out, "      error: %s\n", cr->error);
        for (uint32_t k = 0; k < cr->nfindings && k < 10; k++) {
            const finding *fd = &cr->findings[k];
            fprintf(out, "      %s: %s", finding_kind_name(fd->kind), fd->message);
            if (fd->file)
                fprintf(out, " (%s:%u:%u)", fd->file, fd->line, fd->col);
            fprintf(out, "\n");
        }
    }
out:
    if (cv) {
        const char **ids = aip_xcalloc(t->nexpects + 1, sizeof *ids);
        for (uint32_t i = 0; i < t->nexpects; i++)
            ids[i] = t->expects[i].control;
        coverage_end_test(cv, r, ids, t->nexpects);
        free(ids);
    }
    eval_result_free(r);
    facts_free(f);
    facts_free(pstore);
    arena_free(&mem);
    return ok;
}

/* PCT for --coverage-min: digits with at most one '.', from 0 to 100 ("80",
 * "72.5"; not "0x50", " 80", "1e2", "nan"). */
static int parse_pct(const char *s, double *out)
{
    int digits = 0, dots = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.')
            dots++;
        else if (*p >= '0' && *p <= '9')
            digits++;
        else
            return -1;
    }
    if (!digits || dots > 1)
        return -1;
    double v = strtod(s, NULL);
    if (!(v >= 0.0 && v <= 100.0))
        return -1;
    *out = v;
    return 0;
}

int cmd_test(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, "test", argc, argv);
    const char **srcs = calloc((size_t)argc + 1, sizeof *srcs);
    int nsrc = 0, k, want_cov = 0, json = 0;
    double min_pct = -1.0;
    const char *pos, *filter = NULL, *v;
    while ((k = cli_next(&a, &pos)) >= 0) {
        if (k == 0) {
            srcs[nsrc++] = pos;
        } else if (!strcmp(a.opt, "--run")) {
            if (!(filter = cli_value(&a))) {
                free(srcs);
                return EXIT_INPUT;
            }
        } else if (!strcmp(a.opt, "--coverage")) {
            want_cov = 1;
        } else if (!strcmp(a.opt, "--coverage-min") || !strcmp(a.opt, "--coverage-format")) {
            int is_min = !strcmp(a.opt, "--coverage-min");
            if (!(v = cli_value(&a))) {
                free(srcs);
                return EXIT_INPUT;
            }
            want_cov = 1;
            if (is_min && parse_pct(v, &min_pct) != 0) {
                free(srcs);
                return cli_usage("test", "--coverage-min needs a percentage from 0 to 100, got '%s'", v);
            }
            if (!is_min && strcmp(v, "text") != 0 && strcmp(v, "json") != 0) {
                free(srcs);
                return cli_usage("test", "--coverage-format must be text or json, got '%s'", v);
            }
            if (!is_min)
                json = !strcmp(v, "json");
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
    FILE *out = json ? stderr : stdout;
    coverage *cv = want_cov ? coverage_new(b) : NULL;
    size_t run = 0, passed = 0;
    for (size_t i = 0; i < n; i++)
        run += !filter || strstr(tests[i].name, filter);
    fprintf(out, "[==========] Running %zu test(s).\n", run);
    char **failed = calloc(n + 1, sizeof *failed);
    size_t nfailed = 0;
    for (size_t i = 0; i < n; i++) {
        if (filter && !strstr(tests[i].name, filter))
            continue;
        fprintf(out, "[ RUN      ] %s\n", tests[i].name);
        if (run_one(&tests[i], b, out, cv)) {
            fprintf(out, "[       OK ] %s\n", tests[i].name);
            passed++;
        } else {
            failed[nfailed++] = (char *)tests[i].name;
        }
    }
    fprintf(out, "[==========] %zu test(s) run.\n", run);
    fprintf(out, "[  PASSED  ] %zu test(s).\n", passed);
    if (nfailed) {
        fprintf(out, "[  FAILED  ] %zu test(s), listed below:\n", nfailed);
        for (size_t i = 0; i < nfailed; i++)
            fprintf(out, "[  FAILED  ] %s\n", failed[i]);
    }
    fprintf(out, "%zu passed, %zu failed\n", passed, nfailed);
    int rc = nfailed ? EXIT_GATE : EXIT_PASS;
    if (cv) {
        fflush(out);
        if ((json ? coverage_write_json(cv, stdout) : coverage_write_text(cv, stdout)) != 0) {
            fprintf(stderr, "aip test: cannot write the coverage report: %s\n", strerror(errno));
            rc = EXIT_INTERNAL;
        } else if (min_pct >= 0.0) {
            cov_totals t;
            coverage_totals(cv, NULL, &t);
            uint32_t tenths = cov_tenths(t.seen, 3 * t.checks);
            /* exact: seen / (3 x checks) < min_pct / 100 */
            if ((double)t.seen * 100.0 < min_pct * 3.0 * t.checks || !t.checks) {
                fprintf(stderr, "aip test: coverage %u.%u%% (%u of %u outcomes) is below --coverage-min %g%%\n",
                        tenths / 10, tenths % 10, t.seen, 3 * t.checks, min_pct);
                if (rc == EXIT_PASS)
                    rc = EXIT_GATE;
            }
        }
    }
    coverage_free(cv);
    free(failed);
    ptest_free(tests, n);
    bundle_free(b);
    cli_build_end(&cb);
    return rc;
}
