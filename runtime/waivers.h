/* runtime/waivers.h - `--waivers FILE`: accepted risks, as data.
 *
 * A waivers file is a YAML or JSON list (or a map with a `waivers` list) of
 * {control, target, reason, approved_by, expires} entries, with an optional
 * `id`. `target` is an ai_systems[] id (it matches findings whose subject is
 * that system) or a finding path pattern with * and ? wildcards
 * (`credentials[*].shared`). A waiver covers the violations of its control
 * that match its target until it expires; it never covers missing evidence.
 * An expired waiver changes nothing and is reported as expired; an unexpired
 * one that matched nothing is reported as unused.
 */
#ifndef AIP_RUNTIME_WAIVERS_H
#define AIP_RUNTIME_WAIVERS_H

#include "runtime/error.h"
#include "runtime/facts.h"
#include "runtime/result.h"
#include "runtime/vm.h"

/* Load and check path (a bad entry is an error naming its file:line:col).
 * The waivers, their strings and the file's SHA-256 hex live in *store (a
 * facts set the caller frees after the result). 0, or -1 with err. */
int waivers_load(const char *path, facts **store, arena *mem, waiver **out, uint32_t *n,
                 const char **sha256, aip_error *err);

/* Apply waivers w[0..n) to r: mark the violations they cover, set each
 * waiver's status, recompute verdicts (waived when every violation of a
 * control is covered and no evidence is missing), the summary and the gate,
 * and record the waivers in r. today is the evaluation date. */
void waivers_apply(eval_result *r, waiver *w, uint32_t n, int64_t today, fail_on fo);

#endif
