/* tests/fuzz/fuzz_policy.c - bytes as a .aip source: compile; when it
 * compiles, serialize, read the bytes back (checksum and verifier on: the
 * compiler's output must always be accepted) and evaluate against a small
 * fixed facts set. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static facts *f;
    if (!f)
        f = fz_facts();
    char *src = malloc(size + 1);
    memcpy(src, data, size);
    src[size] = '\0';

    diag_list d;
    diag_init(&d);
    compiler *c = compiler_new(&d);
    compiler_add_source(c, "fuzz.aip", src, size);
    bundle *b = compiler_build(c);
    compiler_free(c);
    diag_free(&d);
    free(src);
    if (!b)
        return 0;

    size_t len;
    unsigned char *bytes = bundle_serialize(b, &len);
    bundle_free(b);
    aip_error err;
    bundle *rb = bundle_read(bytes, len, "fuzz.aipc", NULL, &err);
    if (!rb) {
        aip_error_print(&err, stderr);
        fprintf(stderr, "the reader rejects what the compiler wrote\n");
        abort();
    }
    fz_eval(rb, f, NULL, 0);
    bundle_free(rb);
    free(bytes);
    return 0;
}
