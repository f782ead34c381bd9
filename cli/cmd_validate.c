/* cli/cmd_validate.c - `aip validate FILES...`: check inventory manifests
 * against their format before evaluating anything.
 *
 * The checks are the rules of the stdlib module for the format
 * (stdlib/ai-inventory-v1alpha1.aip), compiled here as a policy that declares
 * `uses manifest ai-inventory/v1alpha1`; the files merge as for `aip eval`.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int cmd_validate(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, "validate", argc, argv);
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0, k;
    const char *pos, *format = "ai-inventory/v1alpha1";
    facts *defaults = facts_new();
    facts_limits lim = *facts_limits_of(defaults);
    facts_free(defaults);
    while ((k = cli_next(&a, &pos)) >= 0) {
        int lo = k == 1 ? cli_limit_option("validate", a.opt, &a, &lim) : 0;
        if (lo < 0) {
            free(files);
            return EXIT_INPUT;
        }
        if (lo > 0)
            continue;
        if (k == 0) {
            files[nfiles++] = pos;
        } else if (!strcmp(a.opt, "--format-version") || !strcmp(a.opt, "--manifest")) {
            if (!(format = cli_value(&a))) {
                free(files);
                return EXIT_INPUT;
            }
        } else {
            free(files);
            return cli_usage("validate", "unknown option %s", a.opt);
        }
    }
    if (!nfiles) {
        free(files);
        return cli_usage("validate", "missing the manifest files to check");
    }
    char src[512];
    snprintf(src, sizeof src, "package validate\nuses manifest %s\n", format);
    diag_list d;
    diag_init(&d);
    compiler *c = compiler_new(&d);
    compiler_add_source(c, "<validate>", src, strlen(src));
    bundle *b = compiler_build(c);
    diag_sort(&d);
    diag_print(&d, stderr, cli_color(stderr));
    compiler_free(c);
    diag_free(&d);
    if (!b) {
        free(files);
        return EXIT_INPUT;
    }
    facts *f = facts_new();
    *facts_limits_of(f) = lim;
    aip_error err;
    int rc = EXIT_PASS;
    for (int i = 0; i < nfiles && rc == EXIT_PASS; i++)
        if (facts_load_file(f, files[i], FACTS_AUTO, &err) != 0) {
            aip_error_print(&err, stderr);
            rc = EXIT_INPUT;
        }
    if (rc == EXIT_PASS) {
        int problems = cli_validate_facts(b, f, cli_today());
        if (problems < 0) {
            rc = EXIT_INTERNAL;
        } else if (problems > 0) {
            fprintf(stderr, "%d problem%s in %d file%s\n", problems, problems == 1 ? "" : "s", nfiles,
                    nfiles == 1 ? "" : "s");
            rc = EXIT_INPUT;
        } else {
            printf("ok: %d file%s valid %s\n", nfiles, nfiles == 1 ? "" : "s", format);
        }
    }
    facts_free(f);
    bundle_free(b);
    free(files);
    return rc;
}
