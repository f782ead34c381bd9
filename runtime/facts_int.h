/* runtime/facts_int.h - private interface between the facts builder
 * (facts.c) and the two parsers (facts_json.c, facts_yaml.c).
 *
 * Only the facts loader's own files and its unit tests include this. It is
 * not part of the runtime's API: use runtime/facts.h.
 */
#ifndef AIP_RUNTIME_FACTS_INT_H
#define AIP_RUNTIME_FACTS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/facts.h"

/* Default bound on the nodes a YAML document may produce through aliases
 * (billion-laughs defence), summed over every alias in the document. */
#define FACTS_ALIAS_NODES_DEFAULT 1000000u

/* Parse buf[0..len) as one JSON text straight into b. Returns 0, or -1 with
 * fb_error(b) filled (file:line:col of the offending byte). Does not end or
 * abort b: the caller does. */
int json_facts_parse(fbuild *b, const char *buf, size_t len);

/* Parse buf[0..len) as one YAML document (libyaml events) into b. Returns
 * 0, or -1 with fb_error(b) filled. Does not end or abort b. */
int yaml_facts_parse(fbuild *b, const char *buf, size_t len);

/* Record an error at line:col of the file being built and put b in the failed
 * state (every later fb_* call returns -1). Returns -1. */
int fb_fail(fbuild *b, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The innermost open container of b: FN_LIST, FN_MAP, or -1 when none. */
int fb_open_kind(const fbuild *b);

/* The value most recently completed (a scalar just added, or a list or map
 * just ended), or NULL. Valid until b ends. */
const fnode *fb_last(const fbuild *b);

/* Name of the file being built, the limits in force, and the alias bound. */
const char *fb_file_name(const fbuild *b);
const facts_limits *fb_limits(const fbuild *b);
size_t fb_alias_limit(const fbuild *b);

/* Change the alias-expansion bound of f (tests use a small one). */
void facts_set_alias_limit(facts *f, size_t nodes);

/* Deep equality of two fact values, ignoring locations: same kind and value
 * (doubles: == or both NaN), lists item by item, maps entry by entry.
 * Returns 1 or 0. */
int fnode_equal(const fnode *a, const fnode *b);

#endif
