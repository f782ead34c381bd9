/* compiler/compile.h - policy sources in, a verified bundle out.
 *
 * The compiler collects .aip files (a directory: every *.aip below it, in
 * sorted order, *_test.aip apart), parses them (lang/), resolves names and
 * imports, checks what LANGUAGE.md says must be rejected, generates code and
 * fills a bundle (runtime/bundle.h). It executes nothing.
 *
 * Every problem is a located diagnostic in the caller's diag_list; the
 * compiler keeps going after an error to report as many as it can.
 */
#ifndef AIP_COMPILER_COMPILE_H
#define AIP_COMPILER_COMPILE_H

#include "lang/ast.h"
#include "lang/diag.h"
#include "runtime/bundle.h"

typedef struct compiler compiler;

compiler *compiler_new(diag_list *diags);
void compiler_free(compiler *c);

/* Add a file or a directory (recursively, *.aip; *_test.aip files are kept
 * as test files). Returns 0, or -1 with a diagnostic (path unreadable). */
int compiler_add_path(compiler *c, const char *path);
/* Add a source held in memory (tests). */
int compiler_add_source(compiler *c, const char *name, const char *text, size_t len);

/* Also report lint warnings (unused params, defs and imports, shadowed
 * names, constant requirements, scopes that never match, controls that
 * decide nothing) as DIAG_WARNING. Off by default. */
void compiler_set_lint(compiler *c, int on);

/* Compile everything added. Returns a bundle ready to serialize and to run
 * (constants materialized, verified), or NULL when diags has errors. */
bundle *compiler_build(compiler *c);

/* Parsed test files (after compiler_build): the test declarations. */
typedef struct compiler_test_file {
    const src_file *src;
    ast_file *ast;
} compiler_test_file;
size_t compiler_test_files(compiler *c, const compiler_test_file **out);

/* Serialize b deterministically (compiler/bundle_write.c). Returns a
 * malloc'd buffer of *len bytes; also sets b->sha256/sha256_hex. */
unsigned char *bundle_serialize(bundle *b, size_t *len);

/* Print b readably: constants, functions with opcodes and operands, source
 * lines, controls, profiles, params (compiler/disasm.c). */
void bundle_disasm(const bundle *b, FILE *out);

#endif
