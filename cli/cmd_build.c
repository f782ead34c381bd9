/* cli/cmd_build.c - `aip build SOURCES -o BUNDLE`. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "compiler/compile.h"
#include "runtime/outfile.h"

int cmd_build(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, "build", argc, argv);
    const char **srcs = calloc((size_t)argc + 1, sizeof *srcs);
    int nsrc = 0;
    const char *out = NULL, *pos;
    int k;
    while ((k = cli_next(&a, &pos)) >= 0) {
        if (k == 0) {
            srcs[nsrc++] = pos;
        } else if (!strcmp(a.opt, "-o") || !strcmp(a.opt, "--output")) {
            if (!(out = cli_value(&a))) {
                free(srcs);
                return EXIT_INPUT;
            }
        } else {
            free(srcs);
            return cli_usage("build", "unknown option %s", a.opt);
        }
    }
    if (!nsrc || !out) {
        free(srcs);
        return cli_usage("build", nsrc ? "missing -o BUNDLE" : "missing policy sources");
    }
    cli_build cb;
    cli_build_begin(&cb, srcs, nsrc, 0);
    free(srcs);
    cli_build_print(&cb);
    cli_build_end(&cb);
    bundle *b = cb.b;
    if (!b)
        return EXIT_INPUT;
    size_t len;
    unsigned char *bytes = bundle_serialize(b, &len);
    outfile of;
    aip_error err;
    FILE *f = outfile_open(out, &of, &err);
    int rc = EXIT_PASS;
    if (!f) {
        aip_error_print(&err, stderr);
        rc = EXIT_INTERNAL;
    } else {
        fwrite(bytes, 1, len, f);
        if (outfile_commit(&of, &err) != 0) {
            aip_error_print(&err, stderr);
            rc = EXIT_INTERNAL;
        } else {
            printf("%s sha256:%s\n", out, b->sha256_hex);
        }
    }
    free(bytes);
    bundle_free(b);
    return rc;
}
