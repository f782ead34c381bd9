/* compiler/stdlib.h - the stdlib sources compiled into the binary.
 *
 * scripts/embed.sh turns the stdlib/ .aip modules and the CSF 2.0 catalog
 * (stdlib/csf-2.0.tsv) into a table; the compiler reads modules from it, so an
 * installed aip needs no files beside it.
 */
#ifndef AIP_COMPILER_STDLIB_H
#define AIP_COMPILER_STDLIB_H

#include <stddef.h>

typedef struct aip_embedded_file {
    const char *name;   /* base name: "prelude.aip", "ai.aip", "csf-2.0.tsv" */
    const char *data;   /* bytes, NUL-terminated */
    size_t len;
} aip_embedded_file;

/* Ends with a {NULL} entry. */
extern const aip_embedded_file aip_stdlib_files[];

/* The embedded file called name, or NULL. */
const aip_embedded_file *stdlib_find(const char *name);

/* The base name of the stdlib module for manifest format FORMAT
 * ("ai-inventory/v1alpha1" -> "ai-inventory-v1alpha1.aip") into out (cut to
 * fit, always terminated; outlen >= 5). */
void stdlib_manifest_module(const char *format, char *out, size_t outlen);

#endif
