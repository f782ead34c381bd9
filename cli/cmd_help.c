/* cli/cmd_help.c - `aip help [COMMAND]`. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
    const char *name;
    const char *text;
} help[] = {
    {"build",
     "usage: aip build POLICY_DIR|FILE.aip... -o BUNDLE\n"
     "Compile policies (and the stdlib modules they import) into a bundle.\n"
     "The same sources always give the same bytes; the bundle's SHA-256 is printed.\n"},
    {"eval",
     "usage: aip eval BUNDLE|POLICY_DIR|FILE.aip... -f FACTS [-f FACTS...] [options]\n"
     "Evaluate every control (or a profile's) against inventory facts (YAML or JSON).\n"
     "  -f, --facts FILE        facts file; repeat to merge several\n"
     "  --profile NAME          evaluate only the controls of this profile\n"
     "  --params FILE           YAML/JSON map overriding param defaults (type-checked)\n"
     "  --now YYYY-MM-DD        evaluation date (default: today, UTC)\n"
     "  --format text|json      report format (default text)\n"
     "  -o, --output FILE       write the report atomically to FILE (default stdout)\n"
     "  --fail-on mandatory|any|none   what fails the gate (default mandatory)\n"
     "  --max-steps N, --max-memory MB  evaluation budgets per control\n"
     "  --no-because            leave out the \"because\" of findings (no traced re-runs)\n"
     "Exit: 0 gate passed, 1 gate failed, 2 bad usage or input, 3 internal or output error.\n"},
    {"explain",
     "usage: aip explain BUNDLE|POLICY_DIR|FILE.aip... -f FACTS [-f FACTS...] CONTROL [options]\n"
     "Explain one control: for every scope binding, each `where` and `require` with the value\n"
     "of every sub-expression, the outcome, the finding and why, and the attestation checks.\n"
     "  --target ID             only the ai_systems[] element with this id\n"
     "  --now YYYY-MM-DD        evaluation date (default: today, UTC)\n"
     "  --params FILE           YAML/JSON map overriding param defaults\n"
     "  --format text|json      output format (default text)\n"
     "  --no-validate           skip the manifest checks of the facts\n"
     "Exit: 0 explained (whatever the verdict), 2 bad usage or input (an unknown control or\n"
     "target among them), 3 internal or output error.\n"},
    {"check",
     "usage: aip check POLICY_DIR|FILE.aip... [--lint]\n"
     "Compile only and print diagnostics (file:line:col). Exit 0 when clean, 2 on errors.\n"
     "--lint also warns about unused params, defs and imports, names that shadow others,\n"
     "constant requirements, scopes that never match and controls that decide nothing;\n"
     "it exits 1 when there is a warning.\n"},
    {"disasm",
     "usage: aip disasm BUNDLE|POLICY_DIR\n"
     "Print a bundle readably: constants, params, instructions with operands and source lines,\n"
     "controls and profiles. `aip disasm --opcodes` lists the instruction set.\n"},
    {"test",
     "usage: aip test POLICY_DIR [--run SUBSTRING] [--coverage] [--coverage-min PCT]\n"
     "                [--coverage-format text|json]\n"
     "Run the `test` blocks of the *_test.aip files under POLICY_DIR against its policies.\n"
     "Prints one line per test and ends with `N passed, N failed`; exit 1 if any failed.\n"
     "  --run SUBSTRING         run only the tests whose name contains SUBSTRING\n"
     "  --coverage              then report, per control, the outcomes (T true, F false,\n"
     "                          U undefined) the tests that expect it drove each require\n"
     "                          and attest to (docs/coverage.md)\n"
     "  --coverage-min PCT      exit 1 when outcome coverage is below PCT (0-100)\n"
     "  --coverage-format text|json   json: the report alone on stdout, test lines on stderr\n"},
    {"validate",
     "usage: aip validate FILES... [--manifest FORMAT]\n"
     "Check inventory manifests (YAML or JSON, merged as for eval) against their format\n"
     "(default ai-inventory/v1alpha1): required keys, types, enumerations, id patterns,\n"
     "unknown keys and cross-references. One file:line:col: error: line per problem;\n"
     "exit 0 when valid, 2 otherwise. `aip eval` runs the same checks first when the policy\n"
     "declares `uses manifest`; --no-validate skips them.\n"},
    {"inspect",
     "usage: aip inspect BUNDLE|SOURCES [--format text|json]\n"
     "Show what a bundle holds: its SHA-256 and provenance, every control with its metadata\n"
     "and whether requirements or an attestation decide it, manifest rules, profiles, and\n"
     "params with their types and defaults.\n"},
    {"facts",
     "usage: aip facts FILES... [--locations]\n"
     "Print the loaded and merged facts as canonical JSON (keys sorted). With --locations\n"
     "every value becomes {\"at\": \"file:line:col\", \"value\": ...}. Exit 2 with a located\n"
     "message on bad input.\n"},
    {"fmt",
     "usage: aip fmt [-w | --check | -d] [FILE.aip | DIR | -]...\n"
     "Lay out policy sources in the one canonical style (docs/fmt.md), keeping every\n"
     "comment and every token as written. A DIR means each *.aip below it; no argument\n"
     "or - reads stdin. The output is proved to parse to the same tree before it is used.\n"
     "  (default)      print the formatted text (of several files, one after the other)\n"
     "  -w, --write    rewrite each file whose layout changes, atomically\n"
     "  --check        write nothing; list the files that would change\n"
     "  -d, --diff     write nothing; print a unified diff of each file that would change\n"
     "Exit: 0 done (--check, -d: all canonical), 1 --check or -d found files to change,\n"
     "2 bad usage"
     " or a syntax error (file:line:col; the file is left as it was), 3 internal error.\n"},
    {"version", "usage: aip version\nPrint the version and the bundle format it reads.\n"},
};

int cmd_help(int argc, char **argv)
{
    if (argc > 1) {
        for (size_t i = 0; i < sizeof help / sizeof help[0]; i++)
            if (strcmp(argv[1], help[i].name) == 0) {
                fputs(help[i].text, stdout);
                return EXIT_PASS;
            }
        fprintf(stderr, "aip help: no command '%s'\n", argv[1]);
        return EXIT_INPUT;
    }
    fputs("aip - policy-as-code for the NIST IR 8596 Cyber AI Profile\n\n"
          "usage: aip COMMAND [ARGS]\n\n"
          "  build    compile policies into a bundle\n"
          "  eval     evaluate a bundle or policies against inventory facts\n"
          "  explain  show why one control decided as it did, value by value\n"
          "  check    compile only; print diagnostics\n"
          "  test     run policy tests (*_test.aip)\n"
          "  validate check inventory manifests against their format\n"
          "  facts    print loaded facts as canonical JSON\n"
          "  inspect  show a bundle's controls, profiles and params\n"
          "  disasm   print a bundle readably\n"
          "  fmt      lay out policy sources in the canonical style\n"
          "  version  print the version\n"
          "  help     this text, or `aip help COMMAND`\n\n"
          "Exit status: 0 pass, 1 gate failed, 2 bad usage or input, 3 internal or output error.\n",
          stdout);
    return EXIT_PASS;
}
