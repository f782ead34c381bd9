/* tests/fuzz/fuzz_bundle.c - bytes as a compiled bundle: read with the
 * checksum check off (so the verifier, not the SHA-256 trailer, is what
 * stands); when accepted, evaluate with small budgets. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static facts *f;
    if (!f)
        f = fz_facts();
    aip_error err;
    err.msg[0] = '\0';
    bundle_read_opts opts = {1};
    bundle *b = bundle_read(data, size, "fuzz.aipc", &opts, &err);
    if (!b) {
        if (err.msg[0] == '\0') {
            fprintf(stderr, "bundle rejected without a message\n");
            abort();
        }
        return 0;
    }
    fz_eval(b, f, NULL, 0);
    bundle_free(b);
    return 0;
}
