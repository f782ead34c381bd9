/* cli/cli.h - the `aip` command: one small file per subcommand, all thin.
 *
 * Exit status is a contract (docs/cli.md):
 *   0 gate passed / success, 1 gate failed (or a policy test failed),
 *   2 bad usage or bad input, 3 internal or output error.
 */
#ifndef AIP_CLI_CLI_H
#define AIP_CLI_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "compiler/compile.h"
#include "runtime/bundle.h"
#include "runtime/vm.h"

enum { EXIT_PASS = 0, EXIT_GATE = 1, EXIT_INPUT = 2, EXIT_INTERNAL = 3 };

int cmd_build(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_facts(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_fmt(int argc, char **argv);
int cmd_explain(int argc, char **argv);

/* A tiny option scanner: `--name value`, `--name=value`, `-x value`, flags,
 * and positional arguments, in any order; "--" ends options. */
typedef struct cli_args {
    int argc;
    char **argv;
    int i;               /* next argument */
    const char *cmd;     /* subcommand name for messages */
    const char *opt;     /* current option name (after cli_next) */
    const char *value;   /* its inline value ("--x=v"), or NULL */
    int only_positional;
    char optbuf[128];    /* storage for opt */
} cli_args;

void cli_args_init(cli_args *a, const char *cmd, int argc, char **argv);
/* Next argument: returns 1 with a->opt set for an option, 0 with *pos set
 * for a positional one, -1 at the end. */
int cli_next(cli_args *a, const char **pos);
/* The value of the current option (inline or the next argument); NULL after
 * printing a usage error. */
const char *cli_value(cli_args *a);
/* Whether opt is one of names[0..n) (the options of a command that take a value). */
int cli_opt_in(const char *opt, const char *const *names, size_t n);
/* Print "aip CMD: message" and a hint to stderr; returns EXIT_INPUT. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Compiling sources: the compiler and its diagnostics stay alive until
 * cli_build_end, so callers can print them or read test files. */
typedef struct cli_build {
    diag_list diags;
    compiler *c;
    bundle *b;           /* NULL when there were errors; owned by the caller */
} cli_build;
/* Add every path (directory or .aip file) and compile. 0 when b was built. */
/* lint: also report lint warnings. */
int cli_build_begin(cli_build *cb, const char *const *paths, int npaths, int lint);
/* Print the diagnostics, in source order, to stderr. */
void cli_build_print(cli_build *cb);
void cli_build_end(cli_build *cb);

/* Load a bundle file, or compile a policy directory / .aip files (paths).
 * Diagnostics go to stderr. NULL on failure (bad input). */
bundle *cli_load_policy(const char *const *paths, int npaths);
/* Run the manifest rules of b (its `uses manifest` checks) over f and print
 * each problem as file:line:col: error: message. Returns the number of
 * problems, or -1 after printing an internal error (a rule that failed to
 * evaluate). Bundles without rules give 0. */
int cli_validate_facts(const bundle *b, const facts *f, int64_t today);

/* The facts limit options shared by eval, validate and facts: --max-depth N,
 * --max-string BYTES, --max-input MIB, --max-files N. Returns 1 when opt is
 * one of them (and sets lim), 0 when it is not, -1 after a usage error. */
int cli_limit_option(const char *cmd, const char *opt, cli_args *a, facts_limits *lim);

/* Today's date (UTC) as days since 1970-01-01. */
int64_t cli_today(void);
/* --now DATE (YYYY-MM-DD) into *today, or today when now is NULL. 0, or the
 * usage exit status after a message naming cmd. */
int cli_parse_now(const char *cmd, const char *now, int64_t *today);

/* What an evaluation reads besides its policy (aip eval, aip explain). */
typedef struct cli_inputs {
    const char *cmd;                    /* "eval", "explain": for messages */
    const char *const *facts_files;     /* -f FILE, in order */
    int nfacts;
    const facts_limits *lim;            /* NULL: the defaults */
    int steps_given;                    /* --max-steps given: keep the budget as set */
    int novalidate;                     /* --no-validate */
    const char *params_file;            /* --params FILE, or NULL */
} cli_inputs;
/* Load and merge the facts files (*f, the caller frees it), grow o's step
 * budget with their size unless steps_given, check them against b's
 * manifest rules unless novalidate, and load the params file into o (values
 * in mem, store *pstore, the caller frees it; findings about a param are
 * located in that file). 0, or the exit status after printing why. */
int cli_load_inputs(const cli_inputs *in, const bundle *b, vm_options *o, facts **f, facts **pstore,
                    arena *mem);
/* Does stream f go to a terminal that wants colour (NO_COLOR unset)? */
int cli_color(FILE *f);

#endif
