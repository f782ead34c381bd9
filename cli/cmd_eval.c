/* cli/cmd_eval.c - `aip eval`: a policy and facts in, a verdict report out. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "runtime/builtins.h"
#include "runtime/outfile.h"
#include "runtime/params.h"
#include "runtime/report.h"
#include "runtime/vm.h"

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

int cmd_eval(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, "eval", argc, argv);
    const char **srcs = calloc((size_t)argc + 1, sizeof *srcs);
    const char **facts_files = calloc((size_t)argc + 1, sizeof *facts_files);
    int nsrc = 0, nfacts = 0, k, rc = EXIT_INPUT, nocolor = 0, novalidate = 0;
    const char *pos, *out = "-", *format = "text", *params_file = NULL, *now = NULL;
    vm_options o;
    vm_options_default(&o);
    bundle *b = NULL;
    facts *f = NULL, *pstore = NULL;
    eval_result *r = NULL;
    arena mem;
    arena_init(&mem);
    aip_error err;

    while ((k = cli_next(&a, &pos)) >= 0) {
        if (k == 0) {
            srcs[nsrc++] = pos;
            continue;
        }
        if (!strcmp(a.opt, "--no-color")) {
            nocolor = 1;
            continue;
        }
        if (!strcmp(a.opt, "--no-validate")) {
            novalidate = 1;
            continue;
        }
        static const char *const with_value[] = {"-f", "--facts", "-o", "--output", "--format", "--profile",
                                                 "--params", "--now", "--fail-on", "--max-steps", "--max-memory"};
        int known = 0;
        for (size_t i = 0; i < sizeof with_value / sizeof with_value[0] && !known; i++)
            known = !strcmp(a.opt, with_value[i]);
        if (!known) {
            rc = cli_usage("eval", "unknown option %s", a.opt);
            goto done;
        }
        const char *v = cli_value(&a);
        if (!v)
            goto done;
        if (!strcmp(a.opt, "-f") || !strcmp(a.opt, "--facts")) {
            facts_files[nfacts++] = v;
        } else if (!strcmp(a.opt, "-o") || !strcmp(a.opt, "--output")) {
            out = v;
        } else if (!strcmp(a.opt, "--format")) {
            format = v;
        } else if (!strcmp(a.opt, "--profile")) {
            o.profile = v;
        } else if (!strcmp(a.opt, "--params")) {
            params_file = v;
        } else if (!strcmp(a.opt, "--now")) {
            now = v;
        } else if (!strcmp(a.opt, "--fail-on")) {
            if (!strcmp(v, "mandatory"))
                o.fail_on = FAIL_ON_MANDATORY;
            else if (!strcmp(v, "any"))
                o.fail_on = FAIL_ON_ANY;
            else if (!strcmp(v, "none"))
                o.fail_on = FAIL_ON_NONE;
            else {
                rc = cli_usage("eval", "--fail-on takes mandatory, any or none, not '%s'", v);
                goto done;
            }
        } else if (!strcmp(a.opt, "--max-steps")) {
            if (parse_u64(v, &o.budget.max_steps) != 0 || !o.budget.max_steps) {
                rc = cli_usage("eval", "--max-steps takes a positive integer");
                goto done;
            }
        } else if (!strcmp(a.opt, "--max-memory")) {
            uint64_t mb;
            if (parse_u64(v, &mb) != 0 || !mb || mb > (1u << 20)) {
                rc = cli_usage("eval", "--max-memory takes a size in MiB (1 to 1048576)");
                goto done;
            }
            o.budget.max_memory = (size_t)mb << 20;
        } else {
            rc = cli_usage("eval", "unknown option %s", a.opt);
            goto done;
        }
    }
    if (!nsrc) {
        rc = cli_usage("eval", "missing the bundle or policy sources");
        goto done;
    }
    if (!nfacts) {
        rc = cli_usage("eval", "missing facts: give at least one -f FILE");
        goto done;
    }
    int json = !strcmp(format, "json");
    if (!json && strcmp(format, "text")) {
        rc = cli_usage("eval", "--format takes text or json, not '%s'", format);
        goto done;
    }
    if (now) {
        if (strlen(now) != 10 || date_parse_days(now, 10, &o.today) != 0) {
            rc = cli_usage("eval", "--now takes a date YYYY-MM-DD, not '%s'", now);
            goto done;
        }
    } else {
        o.today = cli_today();
    }
    b = cli_load_policy(srcs, nsrc);
    if (!b)
        goto done;
    f = facts_new();
    for (int i = 0; i < nfacts; i++)
        if (facts_load_file(f, facts_files[i], FACTS_AUTO, &err) != 0) {
            aip_error_print(&err, stderr);
            goto done;
        }
    if (!novalidate) {
        int problems = cli_validate_facts(b, f, o.today);
        if (problems != 0) {
            if (problems > 0)
                fprintf(stderr, "aip: the facts are not a valid manifest (%d problem%s); "
                                "fix them, or evaluate anyway with --no-validate\n",
                        problems, problems == 1 ? "" : "s");
            rc = problems < 0 ? EXIT_INTERNAL : EXIT_INPUT;
            goto done;
        }
    }
    if (params_file) {
        o.params = params_load(b, params_file, &pstore, &mem, &err);
        if (!o.params) {
            aip_error_print(&err, stderr);
            goto done;
        }
    }
    r = vm_eval(b, f, &o, &err);
    if (!r) {
        aip_error_print(&err, stderr);
        goto done;
    }
    outfile of;
    FILE *fp = outfile_open(out, &of, &err);
    if (!fp) {
        aip_error_print(&err, stderr);
        rc = EXIT_INTERNAL;
        goto done;
    }
    int wr = json ? report_json(fp, r, b) : report_text(fp, r, b, !nocolor && !strcmp(out, "-") && cli_color(stdout));
    if (wr != 0) {
        outfile_abort(&of);
        fprintf(stderr, "aip: error: cannot write the report to %s\n", strcmp(out, "-") ? out : "standard output");
        rc = EXIT_INTERNAL;
        goto done;
    }
    if (outfile_commit(&of, &err) != 0) {
        aip_error_print(&err, stderr);
        rc = EXIT_INTERNAL;
        goto done;
    }
    rc = r->gate_failed ? EXIT_GATE : EXIT_PASS;
done:
    eval_result_free(r);
    facts_free(f);
    facts_free(pstore);
    bundle_free(b);
    arena_free(&mem);
    free(srcs);
    free(facts_files);
    return rc;
}
