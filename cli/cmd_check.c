/* cli/cmd_check.c - `aip check SOURCES`: compile only, print diagnostics. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "compiler/compile.h"

int cmd_check(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, "check", argc, argv);
    const char **srcs = calloc((size_t)argc + 1, sizeof *srcs);
    int nsrc = 0, k, lint = 0;
    const char *pos;
    while ((k = cli_next(&a, &pos)) >= 0) {
        if (k == 0) {
            srcs[nsrc++] = pos;
        } else if (!strcmp(a.opt, "--lint")) {
            lint = 1;
        } else {
            free(srcs);
            return cli_usage("check", "unknown option %s", a.opt);
        }
    }
    if (!nsrc) {
        free(srcs);
        return cli_usage("check", "missing policy sources");
    }
    cli_build cb;
    cli_build_begin(&cb, srcs, nsrc, lint);
    free(srcs);
    cli_build_print(&cb);
    bundle *b = cb.b;
    int rc = EXIT_INPUT;
    if (b) {
        uint32_t rules = 0;
        for (uint32_t i = 0; i < b->controls.n; i++)
            rules += b->controls.v[i].kind == BC_CTRL_RULE;
        uint32_t ctls = b->controls.n - rules;
        printf("ok: %u control block%s, %u manifest rule%s, %u profile%s, %u param%s\n", ctls, ctls == 1 ? "" : "s",
               rules, rules == 1 ? "" : "s", b->profiles.n, b->profiles.n == 1 ? "" : "s", b->params.n,
               b->params.n == 1 ? "" : "s");
        size_t warnings = 0;
        for (size_t i = 0; i < cb.diags.n; i++)
            warnings += cb.diags.items[i].level == DIAG_WARNING;
        if (lint && warnings) {
            fprintf(stderr, "%zu lint warning%s\n", warnings, warnings == 1 ? "" : "s");
            rc = EXIT_GATE;
        } else {
            rc = EXIT_PASS;
        }
    } else {
        fprintf(stderr, "%zu error%s\n", cb.diags.errors, cb.diags.errors == 1 ? "" : "s");
    }
    bundle_free(b);
    cli_build_end(&cb);
    return rc;
}
