/* cli/cmd_disasm.c - `aip disasm BUNDLE|SOURCES` and `aip disasm --opcodes`. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "compiler/compile.h"

int cmd_disasm(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, "disasm", argc, argv);
    const char **srcs = calloc((size_t)argc + 1, sizeof *srcs);
    int nsrc = 0, k, opcodes = 0;
    const char *pos;
    while ((k = cli_next(&a, &pos)) >= 0) {
        if (k == 0) {
            srcs[nsrc++] = pos;
        } else if (!strcmp(a.opt, "--opcodes")) {
            opcodes = 1;
        } else {
            free(srcs);
            return cli_usage("disasm", "unknown option %s", a.opt);
        }
    }
    if (opcodes) {
        free(srcs);
        for (int i = 0; i < BC_NUM_OPS; i++)
            printf("%-11s %s\n", bc_ops[i].name, bc_ops[i].doc);
        return EXIT_PASS;
    }
    if (!nsrc) {
        free(srcs);
        return cli_usage("disasm", "missing bundle");
    }
    bundle *b = cli_load_policy(srcs, nsrc);
    free(srcs);
    if (!b)
        return EXIT_INPUT;
    bundle_disasm(b, stdout);
    bundle_free(b);
    return EXIT_PASS;
}
