/* cli/cmd_explain.c - `aip explain`: why one control decided as it did.
 *
 *   aip explain BUNDLE|DIR -f FACTS... CONTROL [--target ID] [--now DATE]
 *               [--params FILE] [--format text|json] [--no-validate]
 *
 * Evaluates only CONTROL's blocks with a trace attached (runtime/trace.h)
 * and prints, for every scope binding (or only the ai_systems[] element
 * --target names), each `where` and `require` with the value of every
 * sub-expression, the outcome, the finding with its "because", and the
 * attestation checks (runtime/explain.c). Exit 0 after explaining, whatever
 * the verdict; 2 on bad input (an unknown control or target among them).
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lang/diag.h"
#include "runtime/builtins.h"
#include "runtime/explain.h"
#include "runtime/trace.h"
#include "runtime/vm.h"

/* The closest of the bundle's control ids to id, or NULL. */
static const char *near_control(const bundle *b, const char *id)
{
    const char *best = NULL;
    unsigned bestd = 4;
    for (uint32_t i = 0; i < b->controls.n; i++) {
        if (b->controls.v[i].kind != BC_CTRL_CONTROL)
            continue;
        const char *cand = b->strs.v[b->controls.v[i].id];
        unsigned d = diag_edit_distance(id, cand, bestd);
        if (d < bestd) {
            bestd = d;
            best = cand;
        }
    }
    return best;
}

static int has_control(const bundle *b, const char *id)
{
    for (uint32_t i = 0; i < b->controls.n; i++)
        if (b->controls.v[i].kind == BC_CTRL_CONTROL && strcmp(b->strs.v[b->controls.v[i].id], id) == 0)
            return 1;
    return 0;
}

/* Is target the id of an ai_systems[] element? If not, print why (with the
 * closest id) and return 0. */
static int check_target(const facts *f, const char *target)
{
    const fnode *systems = fnode_get(facts_root(f), "ai_systems", 10);
    const char *best = NULL;
    unsigned bestd = 4;
    for (uint32_t i = 0; systems && systems->kind == FN_LIST && i < systems->n; i++) {
        const fnode *id = fnode_get(systems->u.items[i], "id", 2);
        if (!id || id->kind != FN_STR)
            continue;
        if (strcmp(id->u.s, target) == 0)
            return 1;
        unsigned d = diag_edit_distance(target, id->u.s, bestd);
        if (d < bestd) {
            bestd = d;
            best = id->u.s;
        }
    }
    if (best)
        cli_usage("explain", "--target: no ai_systems[] element has id '%s'; did you mean '%s'?", target, best);
    else
        cli_usage("explain", "--target: no ai_systems[] element has id '%s'", target);
    return 0;
}

int cmd_explain(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, "explain", argc, argv);
    const char **pos_args = calloc((size_t)argc + 1, sizeof *pos_args);
    const char **facts_files = calloc((size_t)argc + 1, sizeof *facts_files);
    int npos = 0, nfacts = 0, k, rc = EXIT_INPUT, novalidate = 0;
    const char *pos, *format = "text", *params_file = NULL, *now = NULL, *target = NULL;
    vm_options o;
    vm_options_default(&o);
    bundle *b = NULL;
    facts *f = NULL, *pstore = NULL;
    eval_result *r = NULL;
    trace *t = NULL;
    arena mem;
    arena_init(&mem);
    aip_error err;

    while ((k = cli_next(&a, &pos)) >= 0) {
        if (k == 0) {
            pos_args[npos++] = pos;
            continue;
        }
        if (!strcmp(a.opt, "--no-validate")) {
            novalidate = 1;
            continue;
        }
        static const char *const with_value[] = {"-f", "--facts", "--format", "--params", "--now", "--target"};
        if (!cli_opt_in(a.opt, with_value, sizeof with_value / sizeof with_value[0])) {
            rc = cli_usage("explain", "unknown option %s", a.opt);
            goto done;
        }
        const char *v = cli_value(&a);
        if (!v)
            goto done;
        if (!strcmp(a.opt, "-f") || !strcmp(a.opt, "--facts"))
            facts_files[nfacts++] = v;
        else if (!strcmp(a.opt, "--format"))
            format = v;
        else if (!strcmp(a.opt, "--params"))
            params_file = v;
        else if (!strcmp(a.opt, "--now"))
            now = v;
        else
            target = v;
    }
    if (npos < 2) {
        rc = cli_usage("explain", "give the bundle or policy directory, then the control id");
        goto done;
    }
    if (!nfacts) {
        rc = cli_usage("explain", "missing facts: give at least one -f FILE");
        goto done;
    }
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
        rc = cli_usage("explain", "--format takes text or json, not '%s'", format);
        goto done;
    }
    if ((rc = cli_parse_now("explain", now, &o.today)) != 0)
        goto done;
    rc = EXIT_INPUT;
    const char *control = pos_args[npos - 1];
    b = cli_load_policy(pos_args, npos - 1);
    if (!b)
        goto done;
    if (!has_control(b, control)) {
        const char *near = near_control(b, control);
        if (near)
            cli_usage("explain", "no control %s in the policy; did you mean %s?", control, near);
        else
            cli_usage("explain", "no control %s in the policy", control);
        goto done;
    }
    cli_inputs in = {"explain", facts_files, nfacts, NULL, 0, novalidate, params_file};
    if ((rc = cli_load_inputs(&in, b, &o, &f, &pstore, &mem)) != 0)
        goto done;
    rc = EXIT_INPUT;
    if (target && !check_target(f, target))
        goto done;
    t = trace_new(b, f, TRACE_EXPLAIN, &mem);
    trace_set_target(t, target);
    o.explain = t;
    o.only_control = control;
    r = vm_eval(b, f, &o, &err);
    if (!r) {
        aip_error_print(&err, stderr);
        goto done;
    }
    explain_opts eo = {target, !strcmp(format, "json")};
    if (explain_write(stdout, r, b, t, &eo) != 0) {
        fputs("aip: error: cannot write the explanation to standard output\n", stderr);
        rc = EXIT_INTERNAL;
        goto done;
    }
    rc = EXIT_PASS;
done:
    eval_result_free(r);
    trace_free(t);
    facts_free(f);
    facts_free(pstore);
    bundle_free(b);
    arena_free(&mem);
    free(pos_args);
    free(facts_files);
    return rc;
}
