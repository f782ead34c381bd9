/* tests/fuzz/fuzz_facts.h - the body of fuzz_json.c and fuzz_yaml.c: bytes as
 * facts in format FZ_FORMAT; when they load, evaluate a walker policy
 * (fuzz_common.h) and the shipped ir8596 pack against them. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bundle *walk, *pack;
    if (!walk) {
        walk = fz_compile("walk.aip", FZ_WALK_POLICY, NULL);
        pack = fz_compile("ir8596", NULL, AIP_SRCDIR "/policies/ir8596");
    }
    facts *f = facts_new();
    aip_error err;
    err.msg[0] = '\0';
    if (facts_load_buffer(f, FZ_NAME, (const char *)data, size, FZ_FORMAT, &err) != 0) {
        if (err.msg[0] == '\0') {
            fprintf(stderr, "facts rejected without a message\n");
            abort();
        }
    } else {
        fz_eval(walk, f, NULL, 0);
        fz_eval(pack, f, NULL, 0);
    }
    facts_free(f);
    return 0;
}
