/* cli/main.c - `aip`: dispatch to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
} commands[] = {
    {"build", cmd_build},   {"eval", cmd_eval},       {"check", cmd_check}, {"disasm", cmd_disasm},
    {"test", cmd_test},     {"version", cmd_version}, {"help", cmd_help},   {"--help", cmd_help},
    {"-h", cmd_help},       {"--version", cmd_version}, {"validate", cmd_validate},
    {"facts", cmd_facts},   {"inspect", cmd_inspect}, {"explain", cmd_explain},
    {"fmt", cmd_fmt},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        cmd_help(1, argv);
        return EXIT_INPUT;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0) {
            int rc = commands[i].fn(argc - 1, argv + 1);
            if (fflush(stdout) != 0 || ferror(stdout)) {
                fputs("aip: error: cannot write to standard output\n", stderr);
                return EXIT_INTERNAL;
            }
            return rc;
        }
    fprintf(stderr, "aip: unknown command '%s' (see `aip help`)\n", argv[1]);
    return EXIT_INPUT;
}
