/* runtime/params.h - `--params FILE`: organisation values for a bundle's params.
 *
 * A params file is a YAML or JSON map. A key is a param's name, or
 * `package.name` when two packages declare the same name. A value must have
 * the type of the param's default (an int is accepted for a double; a
 * duration param takes a string such as "90d"); anything else is an error
 * naming the file, line, column and the expected type.
 */
#ifndef AIP_RUNTIME_PARAMS_H
#define AIP_RUNTIME_PARAMS_H

#include "runtime/bundle.h"
#include "runtime/facts.h"

/* One value per bundle param: the defaults, overridden by the map `root`
 * (from a facts set that must outlive the values). file names root's file
 * for messages. Values are allocated in mem. NULL with err on a bad key/value. */
val *params_resolve(const bundle *b, const fnode *root, const facts *store, arena *mem, aip_error *err);

/* Load path into *store (a new facts set the caller frees) and resolve. */
val *params_load(const bundle *b, const char *path, facts **store, arena *mem, aip_error *err);

/* Parse a duration string "90d", "2w", "12h", "30m", "45s" to seconds; -1 on error. */
int params_parse_duration(const char *s, size_t len, int64_t *seconds);

#endif
