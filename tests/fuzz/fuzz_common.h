/* tests/fuzz/fuzz_common.h - shared helpers of the libFuzzer harnesses
 * (header-only; each harness is one translation unit). See docs/fuzzing.md.
 *
 * AIP_SRCDIR (set by the Makefile to the repository root) locates the shipped
 * pack and example facts the harnesses load once, on their first input. */
#ifndef AIP_TESTS_FUZZ_COMMON_H
#define AIP_TESTS_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compile.h"
#include "runtime/builtins.h"
#include "runtime/facts.h"
#include "runtime/vm.h"

#ifndef AIP_SRCDIR
#define AIP_SRCDIR "."
#endif

/* A policy that walks any facts three levels deep and puts every leaf
 * through the builtins, arithmetic, comparisons and interpolation. */
static const char FZ_WALK_POLICY[] =
    "package fuzz.walk\n"
    "param window = 30d\n"
    "def str(x) = len(x) >= 0 and (matches(x, \"^[a-z0-9-]+$\") or starts_with(lower(x), \"a\")\n"
    "    or ends_with(upper(x), \"Z\") or contains(x, \"-\") or days_since(x) > 0 or date(x) > 0\n"
    "    or semver_cmp(x, \"v1.2.3-rc.1\") > 0)\n"
    "def num(x) = x * 2 - 1 > x / 3 or -x < 0\n"
    "def leaf(x) = x == null or x == true or str(x) ?? num(x) ?? false\n"
    "control GV.OC-01 {\n"
    "  for a in inventory {\n"
    "    require type(a) != \"null\" else \"{a}\"\n"
    "    for b in a ?? [] where type(b) == \"map\" or type(b) == \"list\" {\n"
    "      require (type(b) == \"map\" and len(keys(b)) == len(values(b))) or len(b) >= 0 else \"{b}\"\n"
    "      require leaf(b.id) or b[0] == b[\"id\"] or exists(inventory.ai_systems[b.id]) else \"{b.id}\"\n"
    "      for c in b where type(c) == \"map\" or type(c) == \"list\" {\n"
    "        require all d in c: leaf(d) else \"{c}\"\n"
    "        require count(d in c where d in [1, \"x\", null]) < 3 and \"k\" in keys(c) ?? false or true\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "}\n"
    "control PR.AA-01 {\n"
    "  attest within window\n"
    "  for s in inventory.ai_systems ?? [] {\n"
    "    attest within 90d\n"
    "    let c = inventory.credentials[s.credentials[0] ?? \"\"]\n"
    "    require not c.shared and c.store in [\"vault\"] else \"{s.id}: {c}\"\n"
    "  }\n"
    "}\n";

/* A small facts set for the harnesses whose input is the policy. */
static const char FZ_FACTS[] =
    "{\"ai_systems\": [{\"id\": \"a\", \"lifecycle\": \"production\", \"credentials\": [\"k1\"],"
    "  \"tools\": [{\"name\": \"t\", \"requires_approval\": false}], \"on\": true, \"items\": [1, 2, 3]},"
    " {\"id\": \"b\", \"lifecycle\": \"retired\", \"items\": [0], \"version\": \"1.2.0\"}],"
    " \"credentials\": [{\"id\": \"k1\", \"shared\": false, \"store\": \"vault\","
    "   \"rotation\": {\"period_days\": 90, \"last_rotated\": \"2026-10-01\"}}],"
    " \"systems\": [{\"id\": \"a\", \"on\": true, \"items\": [1, 2, 3]}, {\"id\": \"b\", \"items\": [0]}],"
    " \"logging\": [{\"id\": \"l\", \"events\": [\"prompts\", \"auth\"], \"retention_days\": 400}],"
    " \"n\": 1.5, \"s\": \"x\", \"z\": null,"
    " \"attestations\": [{\"control\": \"PR.AA-01\", \"date\": \"2026-11-20\"}]}";

static inline void fz_die(const char *what, const aip_error *err)
{
    fprintf(stderr, "fuzz setup: %s\n", what);
    if (err)
        aip_error_print(err, stderr);
    abort();
}

/* Compile a policy held in memory, or a directory when src is NULL. */
static inline bundle *fz_compile(const char *name, const char *src, const char *dir)
{
    diag_list d;
    diag_init(&d);
    compiler *c = compiler_new(&d);
    if (src)
        compiler_add_source(c, name, src, strlen(src));
    else if (compiler_add_path(c, dir) != 0)
        fz_die(dir, NULL);
    bundle *b = compiler_build(c);
    if (!b) {
        diag_print(&d, stderr, 0);
        fz_die(name, NULL);
    }
    compiler_free(c);
    diag_free(&d);
    return b;
}

static inline facts *fz_facts(void)
{
    aip_error err;
    facts *f = facts_new();
    if (facts_load_buffer(f, "fuzz-facts.json", FZ_FACTS, strlen(FZ_FACTS), FACTS_JSON, &err) != 0)
        fz_die("facts", &err);
    return f;
}

static inline void fz_options(vm_options *o)
{
    vm_options_default(o);
    date_parse_days("2026-11-27", 10, &o->today);
    o->budget.max_steps = 200000;
    o->budget.max_memory = 16u << 20;
}

/* Evaluate and drop the result (the harness only cares that it survives). */
static inline eval_result *fz_eval(const bundle *b, const facts *f, const val *params, int keep)
{
    vm_options o;
    fz_options(&o);
    o.params = params;
    aip_error err;
    eval_result *r = vm_eval(b, f, &o, &err);
    if (!r)
        fz_die("vm_eval", &err);
    if (!keep) {
        eval_result_free(r);
        r = NULL;
    }
    return r;
}

#endif
