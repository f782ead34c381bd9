/* tests/unit/compile_src.h - compile policy text in a unit test (header-only). */
#ifndef AIP_TESTS_COMPILE_SRC_H
#define AIP_TESTS_COMPILE_SRC_H

#include <stdio.h>
#include <string.h>

#include "compiler/compile.h"

/* Compile src (named name); returns the bundle or NULL, printing diagnostics
 * when want_ok is set (an unexpected failure should be visible). The
 * diagnostics in *out (if given) keep counts and messages only: their source
 * files are gone with the compiler. */
static inline bundle *compile_src(const char *name, const char *src, int want_ok, diag_list *out)
{
    diag_list local;
    diag_list *d = out ? out : &local;
    diag_init(d);
    compiler *c = compiler_new(d);
    compiler_add_source(c, name, src, strlen(src));
    bundle *b = compiler_build(c);
    if (!b && want_ok)
        diag_print(d, stderr, 0);
    compiler_free(c);
    if (!out)
        diag_free(&local);
    return b;
}

#endif
