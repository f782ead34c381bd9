/* runtime/report_junit.c - the JUnit XML report, for CI test-result views.
 *
 *   <testsuites>
 *     <testsuite package="GV" id="0" name="GV Govern" timestamp="2026-11-27T00:00:00"
 *                hostname="localhost" tests="2" failures="1" errors="0" skipped="0" time="0">
 *       <properties> ...the integrity data... </properties>
 *       <testcase name="GV.OC-01 The organizational mission ..." classname="GV.OC" time="0"/>
 *       <testcase name="GV.SC-05 Requirements ..." classname="GV.SC" time="0">
 *         <failure type="fail" message="3 violations: ...">violation [chatbot]: ...
 *     at facts.yaml:27:22 (providers[0].contract.dpa), policy govern.aip:436
 *   </failure>
 *       </testcase>
 *       <system-out></system-out>
 *       <system-err></system-err>
 *     </testsuite>
 *   </testsuites>
 *
 * What it is: one testsuite per CSF function (in the order the functions
 * first appear in the result, which is CSF Core order), one testcase per
 * control (classname the category, name "ID title"). Verdicts map as:
 *   pass            an empty testcase
 *   fail            <failure type="fail">, the findings in its body
 *   error           <error type="error">, the VM's message
 *   unknown         <failure type="unknown"> when it gates under --fail-on
 *                   (any; or mandatory and the control is mandatory), else
 *                   <skipped message="missing evidence ...">
 *   not_applicable  <skipped message="not applicable: ...">
 *   waived          <skipped message="waived: <the waivers' reasons>">
 * The output is valid against both the strict Ant/windyroad JUnit.xsd and
 * the Jenkins xUnit junit-10.xsd: that is why <testsuites> has no
 * attributes, every suite carries package, id, hostname ("localhost": the
 * report must not depend on the machine), a <properties> element and empty
 * <system-out>/<system-err>, and times are "0". The strict schema allows
 * no properties on <testsuites>, so every suite repeats the integrity data
 * (tool, version, bundle and facts SHA-256, params and waivers files,
 * evaluation date, profile, fail-on, gate, every waiver and its status) as
 * aip.* properties; a result with no controls still gets one suite ("aip")
 * so that data is never lost. Timestamps are the evaluation date at
 * midnight: nothing depends on the wall clock.
 *
 * Text from facts and policies is escaped for XML: & < > and, in
 * attributes, " and tab/newline/CR as character references; control
 * characters XML 1.0 forbids (and DEL, and C1) are written visibly as \xNN
 * or \u00NN, as the text report does; invalid UTF-8 and the non-characters
 * U+FFFE/U+FFFF become U+FFFD. So any inventory gives well-formed XML.
 *
 * What it is not: a place that decides anything. Verdicts, the summary and
 * the gate are the VM's; the only judgement here is whether an unknown
 * control gates, which repeats the VM's rule (lang/SPEC.md section 7) so
 * the unknown testcase agrees with the gate.
 */
#include "runtime/utf8.h"
#include "runtime/report.h"

#include <string.h>

#include "runtime/version.h"

/* ---- XML text -------------------------------------------------------------- */


static const char REPLACEMENT[] = "\xEF\xBF\xBD";   /* U+FFFD */

/* Write s[0..n) as XML character data: an attribute value in double quotes
 * when attr, else element content. */
static void xml_write(FILE *out, const char *str, size_t n, int attr)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t start = 0, i = 0;
    while (i < n) {
        unsigned c = s[i];
        const char *rep = NULL;
        char esc[8];
        size_t skip = 1;
        if (c >= 0x80) {
            size_t bad = 0, len = utf8_seq(s + i, n - i, &bad);
            if (!len) {
                rep = REPLACEMENT;
                skip = bad;
            } else if (c == 0xC2 && s[i + 1] <= 0x9F) {           /* C1 control */
                snprintf(esc, sizeof esc, "\\u%04x", (unsigned)s[i + 1]);
                rep = esc;
                skip = 2;
            } else if (c == 0xEF && s[i + 1] == 0xBF && s[i + 2] >= 0xBE) {  /* U+FFFE, U+FFFF */
                rep = REPLACEMENT;
                skip = 3;
            } else {
                i += len;
                continue;
            }
        } else if (c == '&') {
            rep = "&amp;";
        } else if (c == '<') {
            rep = "&lt;";
        } else if (c == '>') {
            rep = "&gt;";
        } else if (c == '"' && attr) {
            rep = "&quot;";
        } else if (c == '\t' || c == '\n') {
            if (attr)
                rep = c == '\t' ? "&#9;" : "&#10;";
        } else if (c == '\r') {
            rep = "&#13;";
        } else if (c < 0x20 || c == 0x7F) {
            snprintf(esc, sizeof esc, "\\x%02x", c);
            rep = esc;
        }
        if (!rep) {
            i++;
            continue;
        }
        fwrite(str + start, 1, i - start, out);
        fputs(rep, out);
        i += skip;
        start = i;
    }
    fwrite(str + start, 1, i - start, out);
}

static void xml_put(FILE *out, const char *s, int attr)
{
    if (s)
        xml_write(out, s, strlen(s), attr);
}

/* ` name="value"` */
static void attr_str(FILE *out, const char *name, const char *value)
{
    fprintf(out, " %s=\"", name);
    xml_put(out, value, 1);
    putc('"', out);
}

static void attr_u32(FILE *out, const char *name, uint32_t v)
{
    fprintf(out, " %s=\"%u\"", name, (unsigned)v);
}

/* ---- integrity properties ----------------------------------------------------- */

static void property(FILE *out, const char *name, const char *value)
{
    fputs("      <property", out);
    attr_str(out, "name", name);
    attr_str(out, "value", value ? value : "");
    fputs("/>\n", out);
}

/* A property whose name is "prefix.N.field". */
static void property_n(FILE *out, const char *prefix, uint32_t n, const char *field, const char *value)
{
    char name[64];
    snprintf(name, sizeof name, "%s.%u.%s", prefix, (unsigned)n, field);
    property(out, name, value);
}

static const char *bundle_sha(const eval_result *r, const bundle *b)
{
    if (r->bundle_sha256)
        return r->bundle_sha256;
    return b && b->sha256_hex[0] ? b->sha256_hex : "";
}

static void write_properties(FILE *out, const eval_result *r, const bundle *b)
{
    char num[32];
    fputs("    <properties>\n", out);
    property(out, "aip.tool", "aip");
    property(out, "aip.version", AIP_VERSION);
    property(out, "aip.bundle.sha256", bundle_sha(r, b));
    for (uint32_t i = 0; i < r->nfact_files; i++) {
        property_n(out, "aip.facts", i, "file", r->fact_files ? r->fact_files[i] : NULL);
        property_n(out, "aip.facts", i, "sha256", r->fact_sha256 ? r->fact_sha256[i] : NULL);
    }
    if (r->params_file) {
        property(out, "aip.params.file", r->params_file);
        property(out, "aip.params.sha256", r->params_sha256);
    }
    if (r->waivers_file) {
        property(out, "aip.waivers.file", r->waivers_file);
        property(out, "aip.waivers.sha256", r->waivers_sha256);
    }
    property(out, "aip.evaluated_at", r->evaluated_at);
    property(out, "aip.profile", r->profile ? r->profile : "(all controls)");
    property(out, "aip.fail_on", r->fail_on ? r->fail_on : "mandatory");
    property(out, "aip.gate", r->gate_failed ? "fail" : "pass");
    for (uint32_t i = 0; i < r->nwaivers && r->waivers; i++) {
        const waiver *w = &r->waivers[i];
        property_n(out, "aip.waiver", i, "id", w->id);
        property_n(out, "aip.waiver", i, "status", waiver_status_name(w->status));
        property_n(out, "aip.waiver", i, "control", w->control);
        property_n(out, "aip.waiver", i, "target", w->target);
        snprintf(num, sizeof num, "%u", (unsigned)w->matched);
        property_n(out, "aip.waiver", i, "matched", num);
        property_n(out, "aip.waiver", i, "expires", w->expires);
        property_n(out, "aip.waiver", i, "approved_by", w->approved_by);
        property_n(out, "aip.waiver", i, "reason", w->reason);
        if (w->file) {
            char name[64];
            snprintf(name, sizeof name, "aip.waiver.%u.location", (unsigned)i);
            fputs("      <property", out);
            attr_str(out, "name", name);
            fputs(" value=\"", out);
            xml_put(out, w->file, 1);
            if (w->line)
                fprintf(out, ":%u:%u", (unsigned)w->line, (unsigned)w->col);
            fputs("\"/>\n", out);
        }
    }
    fputs("    </properties>\n", out);
}

/* ---- testcases ---------------------------------------------------------------- */

/* How a control appears in JUnit. */
typedef enum jkind { J_PASS, J_FAILURE, J_ERROR, J_SKIPPED } jkind;

static int fail_on_any(const eval_result *r)
{
    return r->fail_on && strcmp(r->fail_on, "any") == 0;
}

static int fail_on_none(const eval_result *r)
{
    return r->fail_on && strcmp(r->fail_on, "none") == 0;
}

/* Does an unknown verdict of c fail the gate? The VM's rule. */
static int unknown_gates(const eval_result *r, const control_result *c)
{
    if (fail_on_none(r))
        return 0;
    return fail_on_any(r) || c->enforce == 0;
}

static jkind kind_of(const eval_result *r, const control_result *c)
{
    switch (c->verdict) {
    case VERDICT_PASS: return J_PASS;
    case VERDICT_FAIL: return J_FAILURE;
    case VERDICT_ERROR: return J_ERROR;
    case VERDICT_UNKNOWN: return unknown_gates(r, c) ? J_FAILURE : J_SKIPPED;
    case VERDICT_NOT_APPLICABLE: case VERDICT_WAIVED: return J_SKIPPED;
    default: return J_ERROR;   /* a verdict outside the enum: say so rather than pass */
    }
}

/* "FILE:LINE:COL (PATH), policy FILE:LINE" with what is known. */
static void write_location(FILE *out, const finding *f)
{
    int has_path = f->path && f->path[0];
    if (!f->file && !has_path && !f->policy_file)
        return;
    fputs("\n    at ", out);
    if (f->file) {
        xml_put(out, f->file, 0);
        if (f->line) {
            fprintf(out, ":%u", (unsigned)f->line);
            if (f->col)
                fprintf(out, ":%u", (unsigned)f->col);
        }
    }
    if (has_path) {
        fputs(f->file ? " (" : "(", out);
        xml_put(out, f->path, 0);
        putc(')', out);
    }
    if (f->policy_file) {
        if (f->file || has_path)
            fputs(", ", out);
        fputs("policy ", out);
        xml_put(out, f->policy_file, 0);
        if (f->policy_line)
            fprintf(out, ":%u", (unsigned)f->policy_line);
    }
}

static void write_waiver_line(FILE *out, const waiver *w, const char *indent)
{
    fputs(indent, out);
    fputs("waived by ", out);
    xml_put(out, w->id ? w->id : "a waiver", 0);
    fputs(" (approved by ", out);
    xml_put(out, w->approved_by ? w->approved_by : "?", 0);
    fputs(", expires ", out);
    xml_put(out, w->expires ? w->expires : "?", 0);
    fputs("): ", out);
    xml_put(out, w->reason, 0);
}

/* The findings as element content, text-report style. A waived finding
 * names its waiver, with the waiver's details unless brief (a waived
 * control lists its waivers in full above its findings). */
static void write_findings_body(FILE *out, const control_result *c, int brief)
{
    for (uint32_t k = 0; k < c->nfindings; k++) {
        const finding *f = &c->findings[k];
        fputs(f->kind == FINDING_MISSING_EVIDENCE ? "missing evidence" : "violation", out);
        if (f->subject) {
            fputs(" [", out);
            xml_put(out, f->subject, 0);
            putc(']', out);
        }
        fputs(": ", out);
        xml_put(out, f->message, 0);
        write_location(out, f);
        if (f->waived_by && brief) {
            fputs("\n    waived by ", out);
            xml_put(out, f->waived_by->id ? f->waived_by->id : "a waiver", 0);
        } else if (f->waived_by) {
            write_waiver_line(out, f->waived_by, "\n    ");
        }
        putc('\n', out);
    }
}

/* The body's first line: "ID title: verdict (enforcement)". */
static void write_body_head(FILE *out, const control_result *c)
{
    xml_put(out, c->id, 0);
    if (c->title && c->title[0]) {
        putc(' ', out);
        xml_put(out, c->title, 0);
    }
    fprintf(out, ": %s (%s)\n", verdict_name(c->verdict), report_enforce_name(c->enforce));
}

typedef struct fcount { uint32_t violations, waived, missing; } fcount;

static fcount count_findings(const control_result *c)
{
    fcount n = { 0, 0, 0 };
    for (uint32_t k = 0; k < c->nfindings; k++) {
        const finding *f = &c->findings[k];
        if (f->kind == FINDING_MISSING_EVIDENCE)
            n.missing++;
        else if (f->waived_by)
            n.waived++;
        else
            n.violations++;
    }
    return n;
}

/* The first finding of kind k that no waiver covers, or NULL. */
static const finding *first_open(const control_result *c, finding_kind k)
{
    for (uint32_t i = 0; i < c->nfindings; i++)
        if (c->findings[i].kind == k && !c->findings[i].waived_by)
            return &c->findings[i];
    return NULL;
}

static void plural(FILE *out, uint32_t n, const char *one, const char *many)
{
    fprintf(out, "%u %s", (unsigned)n, n == 1 ? one : many);
}

/* message="..." of a failure for fail: the counts and the first violation. */
static void write_fail_message(FILE *out, const control_result *c)
{
    fcount n = count_findings(c);
    fputs(" message=\"", out);
    plural(out, n.violations, "violation", "violations");
    if (n.waived)
        fprintf(out, " (%u more waived)", (unsigned)n.waived);
    if (n.missing)
        fprintf(out, ", %u missing evidence", (unsigned)n.missing);
    const finding *f = first_open(c, FINDING_VIOLATION);
    if (f && f->message) {
        fputs(": ", out);
        xml_put(out, f->message, 1);
    }
    putc('"', out);
}

static void write_unknown_message(FILE *out, const eval_result *r, const control_result *c, int gates)
{
    fcount n = count_findings(c);
    fputs(" message=\"missing evidence (", out);
    plural(out, n.missing, "finding", "findings");
    if (!gates) {
        fputs("; does not gate: ", out);
        if (fail_on_none(r))
            fputs("fail-on none", out);
        else
            fputs("advisory control, fail-on mandatory", out);
    }
    putc(')', out);
    const finding *f = first_open(c, FINDING_MISSING_EVIDENCE);
    if (f && f->message) {
        fputs(": ", out);
        xml_put(out, f->message, 1);
    }
    putc('"', out);
}

/* message="waived: reason; reason" with each covering waiver once. */
static void write_waived_message(FILE *out, const control_result *c)
{
    fputs(" message=\"waived", out);
    int any = 0;
    for (uint32_t k = 0; k < c->nfindings; k++) {
        const waiver *w = c->findings[k].waived_by;
        if (!w)
            continue;
        int seen = 0;
        for (uint32_t j = 0; j < k && !seen; j++)
            seen = c->findings[j].waived_by == w;
        if (seen)
            continue;
        fputs(any ? "; " : ": ", out);
        xml_put(out, w->reason ? w->reason : "(no reason)", 1);
        any = 1;
    }
    putc('"', out);
}

/* The waivers behind a waived control, each once, for its body. */
static void write_waivers_body(FILE *out, const control_result *c)
{
    for (uint32_t k = 0; k < c->nfindings; k++) {
        const waiver *w = c->findings[k].waived_by;
        if (!w)
            continue;
        int seen = 0;
        for (uint32_t j = 0; j < k && !seen; j++)
            seen = c->findings[j].waived_by == w;
        if (seen)
            continue;
        write_waiver_line(out, w, "");
        if (w->file) {
            fputs(" (", out);
            xml_put(out, w->file, 0);
            if (w->line)
                fprintf(out, ":%u:%u", (unsigned)w->line, (unsigned)w->col);
            putc(')', out);
        }
        putc('\n', out);
    }
}

static void write_testcase(FILE *out, const eval_result *r, const control_result *c)
{
    const char *id = c->id ? c->id : "";
    size_t cat = report_id_category_len(id);

    fputs("    <testcase name=\"", out);
    xml_put(out, id, 1);
    if (c->title && c->title[0]) {
        putc(' ', out);
        xml_put(out, c->title, 1);
    }
    fputs("\" classname=\"", out);
    if (cat)
        xml_write(out, id, cat, 1);
    else
        fputs("aip", out);
    fputs("\" time=\"0\"", out);

    jkind k = kind_of(r, c);
    if (k == J_PASS) {
        fputs("/>\n", out);
        return;
    }
    fputs(">\n      ", out);
    switch (k) {
    case J_FAILURE:
        if (c->verdict == VERDICT_UNKNOWN) {
            fputs("<failure type=\"unknown\"", out);
            write_unknown_message(out, r, c, 1);
        } else {
            fputs("<failure type=\"fail\"", out);
            write_fail_message(out, c);
        }
        putc('>', out);
        write_body_head(out, c);
        write_findings_body(out, c, 0);
        fputs("</failure>\n", out);
        break;
    case J_ERROR: {
        const char *msg = c->verdict == VERDICT_ERROR ? (c->error ? c->error : "error without a message")
                                                      : "invalid verdict";
        fputs("<error type=\"error\"", out);
        attr_str(out, "message", msg);
        putc('>', out);
        write_body_head(out, c);
        fputs("error: ", out);
        xml_put(out, msg, 0);
        putc('\n', out);
        write_findings_body(out, c, 0);
        fputs("</error>\n", out);
        break;
    }
    case J_SKIPPED:
        fputs("<skipped", out);
        if (c->verdict == VERDICT_UNKNOWN)
            write_unknown_message(out, r, c, 0);
        else if (c->verdict == VERDICT_WAIVED)
            write_waived_message(out, c);
        else
            attr_str(out, "message", "not applicable: nothing in scope");
        if (c->nfindings == 0) {
            fputs("/>\n", out);
            break;
        }
        putc('>', out);
        write_body_head(out, c);
        if (c->verdict == VERDICT_WAIVED)
            write_waivers_body(out, c);
        write_findings_body(out, c, c->verdict == VERDICT_WAIVED);
        fputs("</skipped>\n", out);
        break;
    case J_PASS:
        break;
    }
    fputs("    </testcase>\n", out);
}

/* ---- suites ---------------------------------------------------------------------- */

/* Does control c belong to the function fn (fn_len bytes)? */
static int in_function(const control_result *c, const char *fn, size_t fn_len)
{
    const char *id = c->id ? c->id : "";
    return report_id_function_len(id) == fn_len && memcmp(id, fn, fn_len) == 0;
}

/* "YYYY-MM-DD" of the evaluation date when it has that shape, else the epoch
 * (the schema needs a dateTime; the aip.evaluated_at property keeps the raw
 * value). */
static const char *suite_date(const eval_result *r)
{
    const char *d = r->evaluated_at;
    if (!d || strlen(d) != 10)
        return "1970-01-01";
    for (int i = 0; i < 10; i++) {
        int digit = d[i] >= '0' && d[i] <= '9';
        if ((i == 4 || i == 7) ? d[i] != '-' : !digit)
            return "1970-01-01";
    }
    return d;
}

/* One suite: the controls of function fn (all of them when fn is NULL:
 * the empty result's suite). */
static void write_suite(FILE *out, const eval_result *r, const bundle *b, uint32_t suite_id,
                        const char *fn, size_t fn_len)
{
    uint32_t tests = 0, failures = 0, errors = 0, skipped = 0;
    for (uint32_t i = 0; i < r->ncontrols; i++) {
        const control_result *c = &r->controls[i];
        if (!fn || !in_function(c, fn, fn_len))
            continue;
        tests++;
        switch (kind_of(r, c)) {
        case J_FAILURE: failures++; break;
        case J_ERROR: errors++; break;
        case J_SKIPPED: skipped++; break;
        case J_PASS: break;
        }
    }

    fputs("  <testsuite package=\"", out);
    if (fn && fn_len)
        xml_write(out, fn, fn_len, 1);
    else
        fputs("aip", out);
    fputs("\"", out);
    attr_u32(out, "id", suite_id);
    fputs(" name=\"", out);
    if (fn && fn_len) {
        xml_write(out, fn, fn_len, 1);
        const char *name = report_csf_name(b, fn, fn_len);
        if (name && name[0]) {
            putc(' ', out);
            xml_put(out, name, 1);
        }
    } else {
        fputs("aip", out);
    }
    fprintf(out, "\" timestamp=\"%sT00:00:00\" hostname=\"localhost\"", suite_date(r));
    attr_u32(out, "tests", tests);
    attr_u32(out, "failures", failures);
    attr_u32(out, "errors", errors);
    attr_u32(out, "skipped", skipped);
    fputs(" time=\"0\">\n", out);

    write_properties(out, r, b);
    for (uint32_t i = 0; i < r->ncontrols && fn; i++)
        if (in_function(&r->controls[i], fn, fn_len))
            write_testcase(out, r, &r->controls[i]);
    fputs("    <system-out></system-out>\n    <system-err></system-err>\n  </testsuite>\n", out);
}

/* 0, or -1 when a write failed (see report.h). */
int report_junit(FILE *out, const eval_result *r, const bundle *b, const report_opts *o)
{
    (void)o;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fputs("<!-- aip " AIP_VERSION " verdicts: one testsuite per CSF 2.0 function, one testcase per control -->\n",
          out);
    fputs("<testsuites>\n", out);
    uint32_t suite_id = 0;
    for (uint32_t i = 0; i < r->ncontrols; i++) {
        const char *id = r->controls[i].id ? r->controls[i].id : "";
        size_t fn_len = report_id_function_len(id);
        /* the function's suite was written at its first control */
        int seen = i > 0 && in_function(&r->controls[i - 1], id, fn_len);
        for (uint32_t j = 0; j < i && !seen; j++)
            seen = in_function(&r->controls[j], id, fn_len);
        if (!seen)
            write_suite(out, r, b, suite_id++, id, fn_len);
    }
    if (r->ncontrols == 0)
        write_suite(out, r, b, 0, NULL, 0);
    fputs("</testsuites>\n", out);
    if (fflush(out) != 0 || ferror(out))
        return -1;
    return 0;
}
