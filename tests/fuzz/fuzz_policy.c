/* tests/fuzz/fuzz_policy.c - bytes as a .aip source: when it parses,
 * format it (aip fmt must never refuse a source that parses, and its output
 * must parse to an equal tree and be a fixed point); compile; when it
 * compiles, serialize, read the bytes back (checksum and verifier on: the
 * compiler's output must always be accepted) and evaluate against a small
 * fixed facts set. */
#include "fuzz_common.h"

#include "lang/ast_eq.h"
#include "lang/fmt.h"

/* Format src: a refusal, a tree that differs or a second pass that changes
 * the text is a bug. */
static void fz_fmt(const char *src, size_t size)
{
    src_file *in = src_from_string("fuzz.aip", src, size);
    diag_list d;
    diag_init(&d);
    char *out = NULL, *again = NULL, err[512];
    size_t n = 0, n2 = 0;
    fmt_status st = fmt_source(in, &d, &out, &n, err, sizeof err);
    if (st == FMT_REFUSED) {
        fprintf(stderr, "aip fmt refused a source that parses: %s\n", err);
        abort();
    }
    if (st == FMT_OK) {
        src_file *o = src_from_string("fuzz.aip", out, n);
        arena mem;
        arena_init(&mem);
        diag_list d2;
        diag_init(&d2);
        ast_file *fi = lang_parse(in, &mem, &d2);
        ast_file *fo = lang_parse(o, &mem, &d2);
        if (d2.errors || !ast_file_equal(fi, fo)) {
            fprintf(stderr, "aip fmt changed the syntax tree\n");
            abort();
        }
        if (fmt_source(o, &d2, &again, &n2, err, sizeof err) != FMT_OK || n2 != n || (n > 0 &&
            memcmp(again, out, n) != 0)) {
            fprintf(stderr, "aip fmt is not idempotent\n");
            abort();
        }
        aip_free(again);
        diag_free(&d2);
        arena_free(&mem);
        src_free(o);
    }
    aip_free(out);
    diag_free(&d);
    src_free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static facts *f;
    if (!f)
        f = fz_facts();
    char *src = malloc(size + 1);
    memcpy(src, data, size);
    src[size] = '\0';
    fz_fmt(src, size);

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
