/* tests/fuzz/fuzz_params.c - bytes as a `--params` file (YAML, the loader's
 * superset of JSON): load into a facts set, resolve against a bundle with a
 * param of every kind in two packages (so `package.name` keys matter), and
 * when the values resolve, evaluate with them. */
#include "fuzz_common.h"
#include "runtime/params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char PARAMS_A[] =
    "package fuzz.a\n"
    "param limit = 6\n"
    "param ratio = 1.5\n"
    "param name = \"x\"\n"
    "param on = true\n"
    "param nothing = null\n"
    "param window = 30d\n"
    "param names = [\"a\", \"b\"]\n"
    "param limits = {max_tools: 3, \"risk-tiers\": [\"low\", 2, 1.5, null, true]}\n"
    "control GV.OC-01 {\n"
    "  attest within window\n"
    "  for s in inventory.ai_systems where s.id in names or on {\n"
    "    require len(s.items ?? []) * ratio <= limit + limits.max_tools else \"{s.id}: {name} {limits}\"\n"
    "    require all t in limits[\"risk-tiers\"]: t != nothing or len(names) > 0\n"
    "  }\n"
    "}\n";

static const char PARAMS_B[] =
    "package fuzz.b\n"
    "param limit = 7\n"
    "param window = 2w\n"
    "control GV.OC-02 {\n"
    "  attest within window\n"
    "  require limit - 1 < limit\n"
    "}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static facts *f;
    static bundle *b;
    if (!b) {
        diag_list d;
        diag_init(&d);
        compiler *c = compiler_new(&d);
        compiler_add_source(c, "a.aip", PARAMS_A, strlen(PARAMS_A));
        compiler_add_source(c, "b.aip", PARAMS_B, strlen(PARAMS_B));
        b = compiler_build(c);
        if (!b) {
            diag_print(&d, stderr, 0);
            fz_die("params policy", NULL);
        }
        compiler_free(c);
        diag_free(&d);
        f = fz_facts();
    }
    facts *store = facts_new();
    aip_error err;
    err.msg[0] = '\0';
    arena mem;
    arena_init(&mem);
    if (facts_load_buffer(store, "params.yaml", (const char *)data, size, FACTS_YAML, &err) == 0) {
        val *pv = params_resolve(b, facts_root(store), store, &mem, &err);
        if (pv)
            fz_eval(b, f, pv, 0);
        else if (err.msg[0] == '\0')
            fz_die("params rejected without a message", NULL);
    }
    arena_free(&mem);
    facts_free(store);
    return 0;
}
