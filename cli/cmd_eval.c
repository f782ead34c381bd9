/* cli/cmd_eval.c - `aip eval`: a policy and facts in, verdict reports out.
 *
 * One evaluation, any number of reports: `--format F [-o FILE]` for one (the
 * default is text on standard output), `--report F=FILE` (repeatable) for
 * several. Every report file is written to a temporary file beside it and
 * renamed only when all reports were written, so a failure leaves the old
 * reports as they were.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "runtime/builtins.h"
#include "runtime/outfile.h"
#include "runtime/report.h"
#include "runtime/vm.h"
#include "runtime/waivers.h"

enum { MAX_REPORTS = 16 };

typedef struct report_req {
    const report_format *fmt;
    const char *path;          /* "-" for standard output */
    outfile of;
    int open;
} report_req;

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

static const char *format_list(void)
{
    return "text, json, sarif, junit, markdown, html or oscal";
}

/* Write every requested report; commit them all, or none. Returns 0 or EXIT_INTERNAL. */
static int write_reports(report_req *reqs, int n, const eval_result *r, const bundle *b, const report_opts *base,
                         int nocolor)
{
    aip_error err;
    int failed = 0;
    for (int i = 0; i < n && !failed; i++) {
        FILE *fp = outfile_open(reqs[i].path, &reqs[i].of, &err);
        if (!fp) {
            aip_error_print(&err, stderr);
            failed = 1;
            break;
        }
        reqs[i].open = 1;
        report_opts o = *base;
        o.color = !nocolor && !strcmp(reqs[i].path, "-") && !strcmp(reqs[i].fmt->name, "text") && cli_color(stdout);
        if (reqs[i].fmt->write(fp, r, b, &o) != 0) {
            fprintf(stderr, "aip: error: cannot write the %s report to %s\n", reqs[i].fmt->name,
                    strcmp(reqs[i].path, "-") ? reqs[i].path : "standard output");
            failed = 1;
        }
    }
    for (int i = 0; i < n; i++) {
        if (!reqs[i].open)
            continue;
        if (failed) {
            outfile_abort(&reqs[i].of);
        } else if (outfile_commit(&reqs[i].of, &err) != 0) {
            aip_error_print(&err, stderr);
            failed = 1;
        }
        reqs[i].open = 0;
    }
    return failed ? EXIT_INTERNAL : 0;
}

int cmd_eval(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, "eval", argc, argv);
    const char **srcs = calloc((size_t)argc + 1, sizeof *srcs);
    const char **facts_files = calloc((size_t)argc + 1, sizeof *facts_files);
    int nsrc = 0, nfacts = 0, k, rc = EXIT_INPUT, nocolor = 0, novalidate = 0, nreq = 0, steps_given = 0;
    const char *pos, *out = NULL, *format = NULL, *params_file = NULL, *now = NULL, *waivers_file = NULL;
    report_req reqs[MAX_REPORTS];
    memset(reqs, 0, sizeof reqs);
    report_opts ropts = {0};
    vm_options o;
    vm_options_default(&o);
    o.because = 1;
    bundle *b = NULL;
    facts *f = NULL, *pstore = NULL, *wstore = NULL;
    eval_result *r = NULL;
    arena mem;
    arena_init(&mem);
    aip_error err;
    facts *defaults = facts_new();
    facts_limits lim = *facts_limits_of(defaults);
    facts_free(defaults);

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
        if (!strcmp(a.opt, "--no-because")) {
            o.because = 0;
            continue;
        }
        int lo = cli_limit_option("eval", a.opt, &a, &lim);
        if (lo < 0)
            goto done;
        if (lo > 0)
            continue;
        static const char *const with_value[] = {"-f", "--facts", "-o", "--output", "--format", "--profile",
                                                 "--params", "--now", "--fail-on", "--max-steps", "--max-memory",
                                                 "--report", "--base", "--waivers"};
        if (!cli_opt_in(a.opt, with_value, sizeof with_value / sizeof with_value[0])) {
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
        } else if (!strcmp(a.opt, "--report")) {
            const char *eq = strchr(v, '=');
            char name[32];
            if (!eq || eq == v || !eq[1] || (size_t)(eq - v) >= sizeof name) {
                rc = cli_usage("eval", "--report takes FORMAT=FILE, not '%s'", v);
                goto done;
            }
            memcpy(name, v, (size_t)(eq - v));
            name[eq - v] = '\0';
            const report_format *fmt = report_format_find(name);
            if (!fmt) {
                rc = cli_usage("eval", "--report: unknown format '%s' (%s)", name, format_list());
                goto done;
            }
            if (nreq == MAX_REPORTS - 1) {
                rc = cli_usage("eval", "at most %d reports", MAX_REPORTS - 1);
                goto done;
            }
            reqs[nreq].fmt = fmt;
            reqs[nreq++].path = eq + 1;
        } else if (!strcmp(a.opt, "--base")) {
            ropts.base = v;
        } else if (!strcmp(a.opt, "--waivers")) {
            waivers_file = v;
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
            steps_given = 1;
            if (parse_u64(v, &o.budget.max_steps) != 0 || !o.budget.max_steps) {
                rc = cli_usage("eval", "--max-steps takes a positive integer");
                goto done;
            }
        } else {   /* --max-memory */
            uint64_t mb;
            if (parse_u64(v, &mb) != 0 || !mb || mb > (1u << 20)) {
                rc = cli_usage("eval", "--max-memory takes a size in MiB (1 to 1048576)");
                goto done;
            }
            o.budget.max_memory = (size_t)mb << 20;
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
    /* the main report: --format/-o, or text on stdout unless only --report was asked for */
    if (format || out || !nreq) {
        const report_format *fmt = report_format_find(format ? format : "text");
        if (!fmt) {
            rc = cli_usage("eval", "--format takes %s, not '%s'", format_list(), format);
            goto done;
        }
        reqs[nreq].fmt = fmt;
        reqs[nreq++].path = out ? out : "-";
    }
    if ((rc = cli_parse_now("eval", now, &o.today)) != 0)
        goto done;
    rc = EXIT_INPUT;
    b = cli_load_policy(srcs, nsrc);
    if (!b)
        goto done;
    cli_inputs in = {"eval", facts_files, nfacts, &lim, steps_given, novalidate, params_file};
    if ((rc = cli_load_inputs(&in, b, &o, &f, &pstore, &mem)) != 0)
        goto done;
    rc = EXIT_INPUT;
    waiver *waivers = NULL;
    uint32_t nwaivers = 0;
    const char *waivers_sha = NULL;
    if (waivers_file && waivers_load(waivers_file, &wstore, &mem, &waivers, &nwaivers, &waivers_sha, &err) != 0) {
        aip_error_print(&err, stderr);
        goto done;
    }
    r = vm_eval(b, f, &o, &err);
    if (!r) {
        aip_error_print(&err, stderr);
        goto done;
    }
    if (params_file) {
        r->params_file = params_file;
        r->params_sha256 = facts_file_sha256(pstore, 0);
    }
    if (waivers_file) {
        r->waivers_file = waivers_file;
        r->waivers_sha256 = waivers_sha;
        waivers_apply(r, waivers, nwaivers, o.today, o.fail_on);
        for (uint32_t i = 0; i < nwaivers; i++)
            if (waivers[i].status == WAIVER_EXPIRED)
                fprintf(stderr, "%s:%u:%u: warning: waiver %s for %s expired on %s and has no effect\n",
                        waivers[i].file, waivers[i].line, waivers[i].col, waivers[i].id, waivers[i].control,
                        waivers[i].expires);
    }
    rc = write_reports(reqs, nreq, r, b, &ropts, nocolor);
    if (rc == 0)
        rc = r->gate_failed ? EXIT_GATE : EXIT_PASS;
done:
    eval_result_free(r);
    facts_free(f);
    facts_free(pstore);
    facts_free(wstore);
    bundle_free(b);
    arena_free(&mem);
    free(srcs);
    free(facts_files);
    return rc;
}
