/* cli/common.c - what several subcommands share: argument scanning, loading a
 * policy (bundle or sources), the date, colour. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compiler/compile.h"
#include "runtime/builtins.h"
#include "runtime/params.h"
#include "runtime/vm.h"

void cli_args_init(cli_args *a, const char *cmd, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->argc = argc;
    a->argv = argv;
    a->i = 1;
    a->cmd = cmd;
}

int cli_next(cli_args *a, const char **pos)
{
    if (a->i >= a->argc)
        return -1;
    const char *s = a->argv[a->i++];
    a->value = NULL;
    if (!a->only_positional && strcmp(s, "--") == 0) {
        a->only_positional = 1;
        return cli_next(a, pos);
    }
    if (a->only_positional || s[0] != '-' || s[1] == '\0') {
        *pos = s;
        return 0;
    }
    char *name = a->optbuf;
    const char *eq = strchr(s, '=');
    size_t n = eq && s[1] == '-' ? (size_t)(eq - s) : strlen(s);
    if (n >= sizeof a->optbuf)
        n = sizeof a->optbuf - 1;
    memcpy(name, s, n);
    name[n] = '\0';
    a->opt = name;
    if (eq && s[1] == '-')
        a->value = eq + 1;
    return 1;
}

int cli_opt_in(const char *opt, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(opt, names[i]) == 0)
            return 1;
    return 0;
}

const char *cli_value(cli_args *a)
{
    if (a->value)
        return a->value;
    if (a->i >= a->argc) {
        cli_usage(a->cmd, "option %s needs a value", a->opt);
        return NULL;
    }
    return a->argv[a->i++];
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "aip %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see `aip help %s`)\n", cmd);
    return EXIT_INPUT;
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

bundle *cli_load_policy(const char *const *paths, int npaths)
{
    if (npaths == 1 && !is_dir(paths[0]) && !ends_with(paths[0], ".aip")) {
        aip_error err;
        bundle *b = bundle_read_file(paths[0], &err);
        if (!b)
            aip_error_print(&err, stderr);
        return b;
    }
    cli_build cb;
    cli_build_begin(&cb, paths, npaths, 0);
    if (cb.b) {
        size_t len;
        unsigned char *bytes = bundle_serialize(cb.b, &len);   /* gives the bundle its hash */
        free(bytes);
    }
    cli_build_print(&cb);
    cli_build_end(&cb);
    return cb.b;
}

int cli_build_begin(cli_build *cb, const char *const *paths, int npaths, int lint)
{
    diag_init(&cb->diags);
    cb->diags.max_errors = 25;   /* a wrong file should not flood the terminal */
    cb->c = compiler_new(&cb->diags);
    compiler_set_lint(cb->c, lint);
    for (int i = 0; i < npaths; i++)
        compiler_add_path(cb->c, paths[i]);
    cb->b = cb->diags.errors ? NULL : compiler_build(cb->c);
    return cb->b ? 0 : -1;
}

void cli_build_print(cli_build *cb)
{
    diag_sort(&cb->diags);
    diag_print(&cb->diags, stderr, cli_color(stderr));
}

void cli_build_end(cli_build *cb)
{
    compiler_free(cb->c);
    diag_free(&cb->diags);
    cb->c = NULL;
}

int cli_limit_option(const char *cmd, const char *opt, cli_args *a, facts_limits *lim)
{
    static const char *const names[] = {"--max-depth", "--max-string", "--max-input", "--max-files"};
    int which = -1;
    for (int i = 0; i < 4; i++)
        if (!strcmp(opt, names[i]))
            which = i;
    if (which < 0)
        return 0;
    const char *v = cli_value(a);
    if (!v)
        return -1;
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    if (*end || end == v || v[0] == '-' || n == 0 || n > (1ull << 40)) {
        cli_usage(cmd, "%s takes a positive whole number, not '%s'", opt, v);
        return -1;
    }
    switch (which) {
    case 0: lim->max_depth = n > 100000 ? 100000 : (unsigned)n; break;   /* the parsers keep no recursion */
    case 1: lim->max_string = (size_t)n; break;
    case 2: lim->max_total = (size_t)n << 20; break;
    default: lim->max_files = n > 65000 ? 65000 : (unsigned)n; break;
    }
    return 1;
}

int64_t cli_today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[16];
    strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    int64_t days = 0;
    date_parse_days(buf, strlen(buf), &days);
    return days;
}

int cli_color(FILE *f)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && nc[0])
        return 0;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return 0;
    return isatty(fileno(f));
}

int cli_validate_facts(const bundle *b, const facts *f, int64_t today)
{
    int has_rules = 0;
    for (uint32_t i = 0; i < b->controls.n && !has_rules; i++)
        has_rules = b->controls.v[i].kind == BC_CTRL_RULE;
    if (!has_rules)
        return 0;
    vm_options o;
    vm_options_default(&o);
    o.today = today;
    o.rules = 1;
    /* The manifest rules walk every entry: their step budget grows with the
     * input (about 100 steps per byte covers the stdlib rules many times
     * over) so a large inventory validates, while a runaway rule still stops. */
    size_t bytes = facts_input_bytes(f);
    if (bytes > o.budget.max_steps / 100)
        o.budget.max_steps = (uint64_t)bytes * 100;
    aip_error err;
    eval_result *r = vm_eval(b, f, &o, &err);
    if (!r) {
        aip_error_print(&err, stderr);
        return -1;
    }
    int problems = 0, broken = 0;
    for (uint32_t i = 0; i < r->ncontrols; i++) {
        const control_result *c = &r->controls[i];
        if (c->verdict == VERDICT_ERROR) {
            fprintf(stderr, "aip: internal error: manifest rule %s: %s\n", c->id, c->error ? c->error : "failed");
            broken = 1;
        }
        for (uint32_t k = 0; k < c->nfindings; k++) {
            const finding *fd = &c->findings[k];
            if (fd->file)
                fprintf(stderr, "%s:%u:%u: error: %s\n", fd->file, fd->line, fd->col, fd->message);
            else
                fprintf(stderr, "aip: error: %s\n", fd->message);
            problems++;
        }
    }
    eval_result_free(r);
    return broken ? -1 : problems;
}

int cli_parse_now(const char *cmd, const char *now, int64_t *today)
{
    if (!now) {
        *today = cli_today();
        return 0;
    }
    if (strlen(now) != 10 || date_parse_days(now, 10, today) != 0)
        return cli_usage(cmd, "--now takes a date YYYY-MM-DD, not '%s'", now);
    return 0;
}

int cli_load_inputs(const cli_inputs *in, const bundle *b, vm_options *o, facts **f, facts **pstore,
                    arena *mem)
{
    aip_error err;
    *f = facts_new();
    if (in->lim)
        *facts_limits_of(*f) = *in->lim;
    for (int i = 0; i < in->nfacts; i++)
        if (facts_load_file(*f, in->facts_files[i], FACTS_AUTO, &err) != 0) {
            aip_error_print(&err, stderr);
            return EXIT_INPUT;
        }
    /* The step budget stops a runaway control, not a large inventory: unless
     * --max-steps says otherwise, it grows with the input (1,000 steps per
     * byte of facts, at least the 10 million default), since a control that
     * relates entries to each other (reviews to systems, credentials across
     * environments) does work that grows faster than the input. */
    if (!in->steps_given && facts_input_bytes(*f) > o->budget.max_steps / 1000)
        o->budget.max_steps = (uint64_t)facts_input_bytes(*f) * 1000;
    if (!in->novalidate) {
        int problems = cli_validate_facts(b, *f, o->today);
        if (problems != 0) {
            if (problems > 0)
                fprintf(stderr, "aip: the facts are not a valid manifest (%d problem%s); "
                                "fix them, or %s anyway with --no-validate\n",
                        problems, problems == 1 ? "" : "s",
                        strcmp(in->cmd, "eval") == 0 ? "evaluate" : in->cmd);
            return problems < 0 ? EXIT_INTERNAL : EXIT_INPUT;
        }
    }
    if (in->params_file) {
        o->params = params_load(b, in->params_file, pstore, mem, &err);
        if (!o->params) {
            aip_error_print(&err, stderr);
            return EXIT_INPUT;
        }
        facts_set_params_store(*f, *pstore);   /* findings about a param name the params file */
    }
    return 0;
}
