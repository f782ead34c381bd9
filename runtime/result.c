/* runtime/result.c - names of verdicts and finding kinds, and the small
 * helpers every report writer shares (declared in runtime/report.h).
 *
 * This file only reads an eval_result and a bundle. It does not compute
 * verdicts, roll-ups, the summary or the gate: those are the VM's
 * (runtime/vm.c), and a writer prints what the VM decided.
 */
#include "runtime/result.h"

#include <string.h>

#include "runtime/report.h"

static const char *const verdict_names[VERDICT_COUNT] = {
    [VERDICT_NOT_APPLICABLE] = "not_applicable",
    [VERDICT_PASS] = "pass",
    [VERDICT_WAIVED] = "waived",
    [VERDICT_UNKNOWN] = "unknown",
    [VERDICT_FAIL] = "fail",
    [VERDICT_ERROR] = "error",
};

/* The verdict's word as reports and waiver files spell it; "invalid" for a
 * value outside the enum (never NULL). */
const char *verdict_name(verdict v)
{
    if ((unsigned)v >= VERDICT_COUNT)
        return "invalid";
    return verdict_names[v];
}

/* 0 and *out set when s is exactly one of the verdict words (lower case);
 * -1 otherwise (s may be NULL), *out untouched. */
int verdict_parse(const char *s, verdict *out)
{
    if (!s)
        return -1;
    for (int v = 0; v < VERDICT_COUNT; v++) {
        if (strcmp(s, verdict_names[v]) == 0) {
            *out = (verdict)v;
            return 0;
        }
    }
    return -1;
}

/* "violation" or "missing_evidence"; "invalid" for anything else. */
const char *finding_kind_name(finding_kind k)
{
    switch (k) {
    case FINDING_VIOLATION: return "violation";
    case FINDING_MISSING_EVIDENCE: return "missing_evidence";
    }
    return "invalid";
}

/* ---- helpers for report writers (see report.h) ---------------------------- */

static const char *const focus_names[REPORT_NFOCUS] = { "secure", "defend", "thwart" };

const char *report_focus_name(unsigned area)
{
    return area < REPORT_NFOCUS ? focus_names[area] : "invalid";
}

const char *report_enforce_name(uint8_t enforce)
{
    return enforce ? "advisory" : "mandatory";
}

size_t report_id_function_len(const char *id)
{
    size_t n = strlen(id);
    return n < 2 ? n : 2;
}

size_t report_id_category_len(const char *id)
{
    const char *dash = strchr(id, '-');
    return dash ? (size_t)(dash - id) : strlen(id);
}

const bc_control *report_bundle_control(const bundle *b, const control_result *c)
{
    if (!b || !c || c->bundle_control >= b->controls.n)
        return NULL;
    return &b->controls.v[c->bundle_control];
}

const char *report_bundle_str(const bundle *b, uint32_t i, size_t *len)
{
    if (!b || i >= b->strs.n || !b->strs.v[i]) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = i < b->str_lens.n ? b->str_lens.v[i] : strlen(b->strs.v[i]);
    return b->strs.v[i];
}

const char *waiver_status_name(waiver_status s)
{
    switch (s) {
    case WAIVER_ACTIVE: return "active";
    case WAIVER_UNUSED: return "unused";
    case WAIVER_EXPIRED: return "expired";
    }
    return "invalid";
}
