/* cli/cmd_version.c - `aip version`. */
#include <stdio.h>

#include "cli/cli.h"
#include "runtime/bytecode.h"
#include "runtime/version.h"

int cmd_version(int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return cli_usage("version", "takes no arguments");
    printf("aip %s (bundle format %u)\n", AIP_VERSION, BC_VERSION);
    return EXIT_PASS;
}
