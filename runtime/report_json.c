/* runtime/report_json.c - the JSON report (contract: docs/report-json.md).
 *
 * What it is: the one place that decides the JSON report's fields and their
 * order. Output is deterministic: key order is fixed here, controls and
 * findings come in the result's order, and nothing time- or
 * address-dependent is written except evaluated_at.
 *
 * What it is not: the JSON syntax (runtime/json_out.c), verdict or gate
 * logic (runtime/vm.c), or file handling (runtime/outfile.c).
 */
#include "runtime/report.h"

#include "runtime/because.h"
#include "runtime/json_out.h"
#include "runtime/version.h"

/* "key": string of the bundle, or null when the index is bad. */
static void bundle_string(jw *w, const bundle *b, uint32_t i)
{
    size_t len;
    const char *s = report_bundle_str(b, i, &len);
    jw_stringn(w, s, len);
}

static void write_tool(jw *w)
{
    jw_key(w, "tool");
    jw_object_begin(w);
    jw_member_string(w, "name", "aip");
    jw_member_string(w, "version", AIP_VERSION);
    jw_object_end(w);
}

static void write_bundle(jw *w, const eval_result *r, const bundle *b)
{
    const char *sha = r->bundle_sha256;
    if (!sha && b && b->sha256_hex[0])
        sha = b->sha256_hex;
    jw_key(w, "bundle");
    jw_object_begin(w);
    jw_member_string(w, "sha256", sha);
    jw_object_end(w);
}

static void write_facts(jw *w, const eval_result *r)
{
    jw_key(w, "facts");
    jw_array_begin(w);
    for (uint32_t i = 0; i < r->nfact_files; i++) {
        jw_object_begin(w);
        jw_member_string(w, "file", r->fact_files ? r->fact_files[i] : NULL);
        jw_member_string(w, "sha256", r->fact_sha256 ? r->fact_sha256[i] : NULL);
        jw_object_end(w);
    }
    jw_array_end(w);
}

/* "params": {"file", "sha256"} or null. */
static void write_params(jw *w, const eval_result *r)
{
    jw_key(w, "params");
    if (!r->params_file) {
        jw_null(w);
        return;
    }
    jw_object_begin(w);
    jw_member_string(w, "file", r->params_file);
    jw_member_string(w, "sha256", r->params_sha256);
    jw_object_end(w);
}

void report_json_waivers(jw *w, const eval_result *r)
{
    jw_key(w, "waivers");
    if (!r->waivers_file) {
        jw_null(w);
        return;
    }
    jw_object_begin(w);
    jw_member_string(w, "file", r->waivers_file);
    jw_member_string(w, "sha256", r->waivers_sha256);
    jw_key(w, "entries");
    jw_array_begin(w);
    for (uint32_t i = 0; i < r->nwaivers; i++) {
        const waiver *x = &r->waivers[i];
        jw_object_begin(w);
        jw_member_string(w, "id", x->id);
        jw_member_string(w, "control", x->control);
        jw_member_string(w, "target", x->target);
        jw_member_string(w, "reason", x->reason);
        jw_member_string(w, "approved_by", x->approved_by);
        jw_member_string(w, "expires", x->expires);
        jw_member_string(w, "status", waiver_status_name(x->status));
        jw_member_int(w, "matched", x->matched);
        jw_key(w, "location");
        jw_object_begin(w);
        jw_member_string(w, "file", x->file);
        jw_member_int(w, "line", x->line);
        jw_member_int(w, "column", x->col);
        jw_object_end(w);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_object_end(w);
}

/* "focus": the set areas in order; "priority": the areas with a priority. */
static void write_focus_priority(jw *w, const control_result *c)
{
    jw_key(w, "focus");
    jw_array_begin(w);
    for (unsigned a = 0; a < REPORT_NFOCUS; a++)
        if (c->focus & (1u << a))
            jw_string(w, report_focus_name(a));
    jw_array_end(w);

    jw_key(w, "priority");
    jw_object_begin(w);
    for (unsigned a = 0; a < REPORT_NFOCUS; a++)
        if (c->priority[a])
            jw_member_int(w, report_focus_name(a), c->priority[a]);
    jw_object_end(w);
}

/* "evidence" and "maps" from the first control block of this id. */
static void write_evidence_maps(jw *w, const control_result *c, const bundle *b)
{
    const bc_control *bc = report_bundle_control(b, c);

    jw_key(w, "evidence");
    jw_array_begin(w);
    if (bc) {
        for (uint32_t i = 0; i < bc->nevidence; i++) {
            uint64_t k = (uint64_t)bc->evidence + i;
            if (k < b->evidence_refs.n)
                bundle_string(w, b, b->evidence_refs.v[k]);
        }
    }
    jw_array_end(w);

    jw_key(w, "maps");
    jw_array_begin(w);
    if (bc) {
        for (uint32_t i = 0; i < bc->nmaps; i++) {
            uint64_t k = (uint64_t)bc->maps + i;
            if (k >= b->maps.n)
                continue;
            jw_object_begin(w);
            jw_key(w, "framework");
            bundle_string(w, b, b->maps.v[k].framework);
            jw_key(w, "ref");
            bundle_string(w, b, b->maps.v[k].ref);
            jw_object_end(w);
        }
    }
    jw_array_end(w);
}

void report_json_location(jw *w, const char *file, uint32_t line, uint32_t col)
{
    jw_key(w, "location");
    if (!file) {
        jw_null(w);
        return;
    }
    jw_object_begin(w);
    jw_member_string(w, "file", file);
    jw_member_int(w, "line", line);
    jw_member_int(w, "column", col);
    jw_object_end(w);
}

static void write_finding(jw *w, const finding *f)
{
    jw_object_begin(w);
    jw_member_string(w, "kind", finding_kind_name(f->kind));
    jw_member_string(w, "message", f->message ? f->message : "");
    jw_member_string(w, "path", f->path ? f->path : "");
    jw_member_string(w, "subject", f->subject);

    report_json_location(w, f->file, f->line, f->col);

    jw_key(w, "policy_location");
    if (f->policy_file) {
        jw_object_begin(w);
        jw_member_string(w, "file", f->policy_file);
        jw_member_int(w, "line", f->policy_line);
        jw_object_end(w);
    } else {
        jw_null(w);
    }
    jw_member_string(w, "waived_by", f->waived_by ? f->waived_by->id : NULL);
    jw_key(w, "because");
    because_json_items(w, f->because, f->nbecause);
    jw_object_end(w);
}

static void write_control(jw *w, const control_result *c, const bundle *b)
{
    const char *id = c->id ? c->id : "";
    jw_object_begin(w);
    jw_member_string(w, "id", id);
    jw_member_string(w, "title", c->title ? c->title : "");
    jw_key(w, "function");
    jw_stringn(w, id, report_id_function_len(id));
    jw_key(w, "category");
    jw_stringn(w, id, report_id_category_len(id));
    jw_member_string(w, "verdict", verdict_name(c->verdict));
    jw_member_string(w, "enforce", report_enforce_name(c->enforce));
    write_focus_priority(w, c);
    write_evidence_maps(w, c, b);
    if (c->verdict == VERDICT_ERROR)
        jw_member_string(w, "error", c->error ? c->error : "error without a message");
    jw_key(w, "findings");
    jw_array_begin(w);
    for (uint32_t i = 0; i < c->nfindings; i++)
        write_finding(w, &c->findings[i]);
    jw_array_end(w);
    jw_object_end(w);
}

static void write_summary(jw *w, const eval_summary *s)
{
    /* The contract's order, not the enum's. */
    static const verdict order[] = {
        VERDICT_PASS, VERDICT_FAIL, VERDICT_UNKNOWN,
        VERDICT_NOT_APPLICABLE, VERDICT_WAIVED, VERDICT_ERROR,
    };
    jw_key(w, "summary");
    jw_object_begin(w);
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        jw_member_int(w, verdict_name(order[i]), s->counts[order[i]]);
    jw_member_int(w, "total", s->total);
    jw_object_end(w);
}

/* 0, or -1 when a write failed (see report.h). */
int report_json(FILE *out, const eval_result *r, const bundle *b)
{
    jw w;
    jw_init(&w, out);
    jw_object_begin(&w);
    write_tool(&w);
    write_bundle(&w, r, b);
    write_facts(&w, r);
    write_params(&w, r);
    report_json_waivers(&w, r);
    jw_member_string(&w, "evaluated_at", r->evaluated_at);
    jw_member_string(&w, "profile", r->profile);
    jw_member_string(&w, "fail_on", r->fail_on ? r->fail_on : "mandatory");
    jw_key(&w, "controls");
    jw_array_begin(&w);
    for (uint32_t i = 0; i < r->ncontrols; i++)
        write_control(&w, &r->controls[i], b);
    jw_array_end(&w);
    write_summary(&w, &r->summary);
    jw_member_string(&w, "gate", r->gate_failed ? "fail" : "pass");
    jw_object_end(&w);
    return jw_finish(&w);
}
