/* runtime/report_html.c - the HTML report: one self-contained page for
 * auditors.
 *
 * What it is: the layout of one evaluation as a document an auditor reads
 * from top to bottom without help: the gate and the rule that decided it,
 * the summary, a matrix of CSF functions by verdict, a legend in plain
 * language, then per CSF function and category every subcategory with its
 * verdict badge (the verdict as text, never colour alone), title, focus
 * areas and priorities, enforcement, findings (fact file:line:col, fact
 * path, subject, policy location, waiver), the waivers that name it and the
 * IR 8596 considerations (collapsed); then every waiver with its status and
 * the integrity block (tool, hashes of bundle, policy sources, facts, params
 * and waivers files, date, profile).
 *
 * The page loads nothing: CSS is inline, there are no images, fonts or
 * external scripts, and a Content-Security-Policy meta forbids any load
 * (default-src 'none'). Everything is visible with JavaScript off; a small
 * inline script only adds filters (verdict, function, focus area). Print
 * rules hide the filters and show every control. The markup is also
 * well-formed XML (void elements closed, attributes quoted, only the XML
 * entities, no '<' or '&' in the script or style), so `xmllint --noout`
 * checks its structure (tests/report/html.sh).
 *
 * All text that came from facts, policies or the command line is escaped
 * (& < > " ' as entities), invalid UTF-8 becomes U+FFFD, and control
 * characters, bidirectional overrides and noncharacters are shown as
 * visible escapes (\xNN, \uNNNN) as in the text report, so an inventory
 * can neither inject markup nor disguise text.
 *
 * What it is not: it decides nothing (verdicts, summary and gate are the
 * VM's; the list of controls that fail the gate only re-reads the fail-on
 * rule of docs/report-json.md to name them), and it is not a format for
 * machines (that is the JSON report). Output is deterministic: no time of
 * day, random ids or addresses; the only date is r->evaluated_at.
 */
#include "runtime/report.h"

#include <string.h>

#include "runtime/because.h"
#include "runtime/version.h"

/* Verdicts in the order reports list them (docs/report-json.md). */
static const verdict ORDER[VERDICT_COUNT] = {
    VERDICT_PASS, VERDICT_FAIL, VERDICT_UNKNOWN,
    VERDICT_NOT_APPLICABLE, VERDICT_WAIVED, VERDICT_ERROR,
};

/* ---- escaping ------------------------------------------------------------------ */

/* The well-formed UTF-8 sequence at s[0..n) (s[0] >= 0x80): its length, with
 * the code point in *cp; or 0 with *bad = the length of the maximal invalid
 * subpart to replace by one U+FFFD (RFC 3629, Unicode 3.9 "best practice"). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp, size_t *bad)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t need;
    uint32_t v;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0Fu;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;   /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07u;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;   /* nothing past U+10FFFF */
    } else {
        *bad = 1;
        return 0;
    }
    for (size_t i = 1; i <= need; i++) {
        unsigned char d = i < n ? s[i] : 0;
        unsigned char l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
        if (i >= n || d < l || d > h) {
            *bad = i;
            return 0;
        }
        v = (v << 6) | (d & 0x3Fu);
    }
    *cp = v;
    return need + 1;
}

/* Shown as a visible escape: C1 controls, bidirectional embeddings,
 * overrides and isolates (they could reorder what an auditor reads), and
 * noncharacters (not allowed in XML, parse errors in HTML). */
static int escape_code_point(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || (cp >= 0xFDD0 && cp <= 0xFDEF) ||
           (cp & 0xFFFEu) == 0xFFFEu;
}

/* Write s[0..n) as HTML text or attribute value. */
static void esc_n(FILE *out, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t start = 0, i = 0;
    while (i < n) {
        unsigned char c = s[i];
        const char *rep = NULL;
        char buf[16];
        size_t len = 1;
        if (c >= 0x80) {
            uint32_t cp = 0;
            size_t bad = 0;
            len = utf8_decode(s + i, n - i, &cp, &bad);
            if (!len) {
                rep = "\xEF\xBF\xBD";   /* U+FFFD */
                len = bad;
            } else if (escape_code_point(cp)) {
                snprintf(buf, sizeof buf, "\\u%04X", (unsigned)cp);
                rep = buf;
            }
        } else if (c < 0x20 || c == 0x7F) {
            snprintf(buf, sizeof buf, "\\x%02x", c);
            rep = buf;
        } else {
            switch (c) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            case '\'': rep = "&#39;"; break;
            default: break;
            }
        }
        if (!rep) {
            i += len;
            continue;
        }
        fwrite(str + start, 1, i - start, out);
        fputs(rep, out);
        i += len;
        start = i;
    }
    fwrite(str + start, 1, i - start, out);
}

static void esc(FILE *out, const char *s)
{
    if (s)
        esc_n(out, s, strlen(s));
}

/* s escaped, or dflt (markup, written as is) when s is NULL or empty. */
static void esc_or(FILE *out, const char *s, const char *dflt)
{
    if (s && s[0])
        esc(out, s);
    else
        fputs(dflt, out);
}

/* ---- words ------------------------------------------------------------------------ */

static const char *verdict_label(verdict v)
{
    switch (v) {
    case VERDICT_PASS: return "PASS";
    case VERDICT_FAIL: return "FAIL";
    case VERDICT_UNKNOWN: return "UNKNOWN";
    case VERDICT_NOT_APPLICABLE: return "NOT APPLICABLE";
    case VERDICT_WAIVED: return "WAIVED";
    case VERDICT_ERROR: return "ERROR";
    default: return "INVALID";
    }
}

static const char *verdict_heading(verdict v)
{
    switch (v) {
    case VERDICT_PASS: return "Pass";
    case VERDICT_FAIL: return "Fail";
    case VERDICT_UNKNOWN: return "Unknown";
    case VERDICT_NOT_APPLICABLE: return "Not applicable";
    case VERDICT_WAIVED: return "Waived";
    case VERDICT_ERROR: return "Error";
    default: return "Invalid";
    }
}

/* The legend: what each verdict means, in plain language. */
static const char *verdict_meaning(verdict v)
{
    switch (v) {
    case VERDICT_PASS:
        return "Every requirement of the control was checked against the inventory and held.";
    case VERDICT_FAIL:
        return "At least one requirement was checked and did not hold. Each violation is listed "
               "with the place in the inventory that shows it.";
    case VERDICT_UNKNOWN:
        return "Missing evidence: nothing failed, but the inventory does not record the facts "
               "(or a current attestation) needed to decide. An unknown control is not taken "
               "as satisfied.";
    case VERDICT_NOT_APPLICABLE:
        return "Nothing in the inventory is in the control&#39;s scope (for example, no AI "
               "system in production), so no requirement was checked.";
    case VERDICT_WAIVED:
        return "Requirements failed, but every violation is covered by an approved, unexpired "
               "waiver and no evidence is missing. The violations are still listed, with the "
               "waiver that accepts each.";
    case VERDICT_ERROR:
        return "The evaluation of the control stopped (a runtime error or an exceeded "
               "budget), so it is not decided. The other controls were still evaluated.";
    default:
        return "";
    }
}

static const char *focus_title(unsigned area)
{
    switch (area) {
    case 0: return "Secure";
    case 1: return "Defend";
    case 2: return "Thwart";
    default: return "Invalid";
    }
}

static const char *priority_word(unsigned p)
{
    switch (p) {
    case 1: return "high";
    case 2: return "moderate";
    case 3: return "foundational";
    default: return "unknown";
    }
}

/* The waiver's status as a class suffix and as badge text. */
static const char *waiver_word(waiver_status st, int upper)
{
    switch (st) {
    case WAIVER_ACTIVE: return upper ? "ACTIVE" : "active";
    case WAIVER_EXPIRED: return upper ? "EXPIRED" : "expired";
    case WAIVER_UNUSED: return upper ? "UNUSED" : "unused";
    }
    return upper ? "INVALID" : "invalid";
}

static const char *fail_on_rule(const char *fail_on)
{
    if (!strcmp(fail_on, "mandatory"))
        return "the gate fails when a <strong>mandatory</strong> control is fail, error or "
               "unknown. Advisory controls are reported but do not decide the gate.";
    if (!strcmp(fail_on, "any"))
        return "the gate fails when <strong>any</strong> control, mandatory or advisory, is "
               "fail, error or unknown.";
    if (!strcmp(fail_on, "none"))
        return "report only: the gate never fails.";
    return NULL;
}

/* Does control c fail the gate under rule fail_on? -1 when the rule is not
 * one this writer knows (the VM's gate_failed still stands). */
static int fails_gate(const char *fail_on, const control_result *c)
{
    int bad = c->verdict == VERDICT_FAIL || c->verdict == VERDICT_ERROR ||
              c->verdict == VERDICT_UNKNOWN;
    if (!strcmp(fail_on, "mandatory"))
        return bad && c->enforce == 0;
    if (!strcmp(fail_on, "any"))
        return bad;
    if (!strcmp(fail_on, "none"))
        return 0;
    return -1;
}

/* ---- small pieces ------------------------------------------------------------------ */

static void badge(FILE *out, verdict v)
{
    fprintf(out, "<span class=\"badge v-%s\">%s</span>", verdict_name(v), verdict_label(v));
}

static const char *cid_of(const control_result *c)
{
    return c->id ? c->id : "";
}

/* A link to a control: <a href="#ctl-ID">ID</a>. */
static void control_link(FILE *out, const control_result *c)
{
    fputs("<a href=\"#ctl-", out);
    esc(out, cid_of(c));
    fputs("\">", out);
    esc_or(out, cid_of(c), "(no id)");
    fputs("</a>", out);
}

/* file:line:col, leaving out what is 0; a line may break after each '/'. */
static void location(FILE *out, const char *file, uint32_t line, uint32_t col)
{
    fputs("<code>", out);
    for (const char *p = file; p && *p;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) + 1 : strlen(p);
        esc_n(out, p, len);
        if (slash && slash[1])
            fputs("<wbr />", out);
        p += len;
    }
    if (line) {
        fprintf(out, ":%u", (unsigned)line);
        if (col)
            fprintf(out, ":%u", (unsigned)col);
    }
    fputs("</code>", out);
}

static int is_attestation_path(const char *path)
{
    return path && !strncmp(path, "attestations", 12) && (path[12] == '\0' || path[12] == '[' ||
                                                         path[12] == '.');
}

/* ---- grouping ------------------------------------------------------------------------ */

/* Distinct prefixes (function or category) of the controls, in order of
 * first appearance. Controls come in CSF Core order, so this is the Core's
 * order; for any other order nothing is lost or repeated. */
typedef struct group { const char *id; size_t len; } group;

static int same_prefix(const group *g, const char *id, size_t len)
{
    return g->len == len && !memcmp(g->id, id, len);
}

/* Collect into gs (room for r->ncontrols) the distinct prefixes of the
 * controls whose function is fn (all when fn is NULL), by prefix length
 * function `lenf`. Returns their number. */
static uint32_t collect_groups(const eval_result *r, group *gs, const group *fn,
                               size_t (*lenf)(const char *))
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->ncontrols; i++) {
        const char *id = cid_of(&r->controls[i]);
        if (fn && !same_prefix(fn, id, report_id_function_len(id)))
            continue;
        size_t len = lenf(id);
        uint32_t k = 0;
        while (k < n && !same_prefix(&gs[k], id, len))
            k++;
        if (k == n)
            gs[n++] = (group){ id, len };
    }
    return n;
}

/* The CSF name of a prefix (escaped), or nothing. */
static int csf_name(FILE *out, const bundle *b, const group *g, const char *before, const char *after)
{
    const char *name = report_csf_name(b, g->id, g->len);
    if (!name || !name[0])
        return 0;
    fputs(before, out);
    esc(out, name);
    fputs(after, out);
    return 1;
}

/* ---- style and script --------------------------------------------------------------- */

/* No '<' or '&' in either (the page is also well-formed XML). */
static const char STYLE[] =
":root{--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#b42318;--fail-bg:#fee4e2;"
"--unknown:#8a5a00;--unknown-bg:#fff1c2;--not_applicable:#57606a;--not_applicable-bg:#eaeef2;"
"--waived:#5a32a3;--waived-bg:#ece4ff;--error:#ffffff;--error-bg:#7a1c4b;"
"--line:#d0d7de;--muted:#57606a;--ink:#1f2328;--paper:#ffffff;--tint:#f6f8fa}\n"
"*{box-sizing:border-box}\n"
"html{-webkit-text-size-adjust:100%}\n"
"body{margin:0;background:var(--paper);color:var(--ink);"
"font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Liberation Sans\",\"DejaVu Sans\",Arial,sans-serif}\n"
"main{max-width:1180px;margin:0 auto;padding:24px 32px 48px}\n"
"h1{font-size:28px;margin:0 0 4px;line-height:1.2}\n"
"h2{font-size:22px;margin:40px 0 12px;padding-bottom:6px;border-bottom:2px solid var(--ink)}\n"
"h3{font-size:18px;margin:28px 0 10px}\n"
"h4{font-size:16px;margin:0}\n"
"p{margin:6px 0}\n"
"a{color:#0a58ca}\n"
"code,.mono{font-family:\"DejaVu Sans Mono\",\"Liberation Mono\",Menlo,Consolas,monospace;font-size:13px}\n"
"code{overflow-wrap:anywhere}\n"
".subtitle{color:var(--muted);margin:0 0 16px;font-size:16px}\n"
".scope{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0 0 12px;"
"padding:10px 14px;background:var(--tint);border:1px solid var(--line);border-radius:6px}\n"
".scope dt{font-weight:600}.scope dd{margin:0}\n"
"nav.toc{font-size:14px;margin:8px 0 0}\n"
"nav.toc ol{display:flex;flex-wrap:wrap;gap:4px 18px;list-style:none;margin:0;padding:0}\n"
".gate{margin:20px 0 0;padding:14px 18px;border:2px solid;border-radius:8px}\n"
".gate h2{margin:0 0 6px;border:0;padding:0;font-size:24px}\n"
".gate.failed{border-color:var(--fail);background:var(--fail-bg)}\n"
".gate.passed{border-color:var(--pass);background:var(--pass-bg)}\n"
".gate ul{margin:6px 0 0;padding-left:20px}\n"
".gate li{margin:2px 0}\n"
".idlist a{white-space:nowrap}\n"
".tiles{display:grid;grid-template-columns:repeat(7,1fr);gap:8px;margin:10px 0 16px}\n"
".tile{border:1px solid var(--line);border-left-width:6px;border-radius:6px;padding:8px 10px}\n"
".tile .n{display:block;font-size:26px;font-weight:700;line-height:1.1}\n"
".tile .w{font-size:13px;font-weight:600;letter-spacing:.02em}\n"
"table{border-collapse:collapse;width:100%}\n"
"th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}\n"
"thead th{background:var(--tint);font-size:13px}\n"
"table.matrix td.num,table.matrix th.num{text-align:right;font-variant-numeric:tabular-nums;width:9%}\n"
"table.matrix td.zero{color:#8c959f}\n"
"table.matrix tfoot td,table.matrix tfoot th{font-weight:700;background:var(--tint)}\n"
".legend{display:grid;grid-template-columns:max-content 1fr;gap:8px 14px;margin:10px 0}\n"
".legend dt{text-align:right}.legend dd{margin:0}\n"
".terms dt{font-weight:600;margin-top:8px}.terms dd{margin:2px 0 0 0}\n"
".badge{display:inline-block;min-width:5.6em;padding:1px 7px;border:1px solid;border-radius:4px;"
"font-size:12px;font-weight:700;letter-spacing:.04em;text-align:center;white-space:nowrap;"
"vertical-align:middle;-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
".v-pass{color:var(--pass);background:var(--pass-bg);border-color:var(--pass)}\n"
".v-fail{color:var(--fail);background:var(--fail-bg);border-color:var(--fail)}\n"
".v-unknown{color:var(--unknown);background:var(--unknown-bg);border-color:var(--unknown)}\n"
".v-not_applicable{color:var(--not_applicable);background:var(--not_applicable-bg);border-color:var(--not_applicable)}\n"
".v-waived{color:var(--waived);background:var(--waived-bg);border-color:var(--waived)}\n"
".v-error{color:var(--error);background:var(--error-bg);border-color:var(--error-bg)}\n"
".tile.v-pass,.tile.v-fail,.tile.v-unknown,.tile.v-not_applicable,.tile.v-waived{background:var(--paper)}\n"
".tile.v-error{color:var(--error-bg);background:var(--paper);border-color:var(--error-bg)}\n"
".tile.total{border-left-color:var(--ink)}\n"
".w-active{color:var(--pass);background:var(--pass-bg);border-color:var(--pass)}\n"
".w-expired{color:var(--fail);background:var(--fail-bg);border-color:var(--fail)}\n"
".w-unused{color:var(--unknown);background:var(--unknown-bg);border-color:var(--unknown)}\n"
"#filters{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;align-items:center;gap:6px 16px;"
"margin:12px 0;padding:8px 12px;background:var(--tint);border:1px solid var(--line);border-radius:6px;font-size:14px}\n"
"#filters[hidden]{display:none}\n"
"#filters select,#filters button{font:inherit;font-size:14px}\n"
"#filter-status{color:var(--muted)}\n"
"section.function h2 .counts{font-size:14px;font-weight:400;color:var(--muted);margin-left:8px}\n"
"section.category h3 .cat{font-family:\"DejaVu Sans Mono\",\"Liberation Mono\",monospace;font-size:16px;"
"color:var(--muted);margin-right:6px}\n"
"article.control{margin:10px 0;padding:10px 14px 12px;border:1px solid var(--line);border-left-width:6px;"
"border-radius:6px;break-inside:avoid-page}\n"
"article.control.c-pass{border-left-color:var(--pass)}\n"
"article.control.c-fail{border-left-color:var(--fail)}\n"
"article.control.c-unknown{border-left-color:#d4a72c}\n"
"article.control.c-not_applicable{border-left-color:#afb8c1}\n"
"article.control.c-waived{border-left-color:var(--waived)}\n"
"article.control.c-error{border-left-color:var(--error-bg)}\n"
"article.control h4{display:flex;gap:10px;align-items:baseline}\n"
"article.control h4 .badge{flex:none;min-width:8.4em}\n"
"article.control h4 .cid{flex:none;font-family:\"DejaVu Sans Mono\",\"Liberation Mono\",monospace;font-size:15px}\n"
"article.control h4 .title{font-weight:600}\n"
".meta{display:grid;grid-template-columns:max-content 1fr;gap:1px 12px;margin:8px 0 0;font-size:14px}\n"
".meta dt{color:var(--muted)}.meta dd{margin:0}\n"
".maps{font-size:13px}\n"
".none{color:var(--muted);font-style:italic}\n"
"table.findings{margin:8px 0 0;font-size:14px;table-layout:fixed}\n"
"table.findings col.w{width:29%}table.findings col.p{width:22%}\n"
"table.findings td{overflow-wrap:anywhere}\n"
"table.findings caption{text-align:left;color:var(--muted);font-size:12px}\n"
"table.findings tr.waived td{background:var(--waived-bg)}\n"
".kind{font-weight:700;font-size:12px;text-transform:uppercase;letter-spacing:.03em}\n"
".tag{font-size:12px;padding:0 5px;border:1px solid var(--line);border-radius:3px;color:var(--muted)}\n"
".subject{font-size:13px;margin-left:6px}\n"
".msg{display:block;margin-top:2px}\n"
".kind.violation{color:var(--fail)}.kind.missing_evidence{color:var(--unknown)}\n"
".sub{display:block;color:var(--muted);font-size:12px}\n"
".waiver-note{display:block;margin-top:3px;font-size:13px;color:var(--waived)}\n"
".because{display:block;margin-top:3px;font-size:13px}\n"
".errbox{margin:8px 0 0;padding:6px 10px;border:1px solid var(--error-bg);border-radius:4px;background:#fbeaf2}\n"
".ctl-waivers{margin:8px 0 0;font-size:14px;padding-left:20px}\n"
"details.help{margin:8px 0 0;font-size:14px}\n"
"details.help summary{cursor:pointer;color:#0a58ca}\n"
"details.help .body{margin:6px 0 0;padding:6px 12px;border-left:3px solid var(--line);background:var(--tint)}\n"
"table.kv>tbody>tr>th{width:15em;background:var(--tint)}\n"
"table.hashes{font-size:13px}table.hashes th,table.hashes td{border:0;border-bottom:1px solid var(--line);padding:2px 12px 2px 0}\n"
"table.hashes thead th{background:none;color:var(--muted);font-weight:600}\n"
"table.hashes td:last-child{width:66%}\n"
"table.waivers{font-size:14px}table.waivers code{overflow-wrap:normal}\n"
".nowrap{white-space:nowrap}\n"
"footer{margin-top:40px;padding-top:10px;border-top:1px solid var(--line);color:var(--muted);font-size:13px}\n"
"@media (max-width:900px){.tiles{grid-template-columns:repeat(4,1fr)}main{padding:16px}}\n"
"@media print{"
"@page{size:A4;margin:14mm 12mm}"
"body{font-size:10.5pt}"
"main{max-width:none;padding:0}"
"nav.toc,#filters{display:none}"
"article.control[hidden],section.category[hidden],section.function[hidden]{display:block}"
"article.control{break-inside:auto}"
"article.control h4,article.control dl.meta{break-inside:avoid-page}"
"details.help:not([open]){display:none}"
"table.findings code{font-size:8pt}"
"table.kv>tbody>tr>th{width:9em}"
"table.hashes code{font-size:7.5pt}"
"table.hashes td:last-child{white-space:nowrap}"
"section.function{break-before:page}"
"h2,h3,h4{break-after:avoid-page}"
"tr{break-inside:avoid}"
"a{color:inherit;text-decoration:none}"
".gate,.tile,.badge,article.control,table.findings tr.waived td,thead th{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
"}\n";

/* Filters as progressive enhancement: the form is hidden until this runs.
 * No '<' or '&' (see above). The page marks itself data-js="ready" so a
 * test can tell the script ran to its end. */
static const char SCRIPT[] =
"(function () {\n"
"  'use strict';\n"
"  var form = document.getElementById('filters');\n"
"  if (!form) { return; }\n"
"  var all = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };\n"
"  var controls = all('article.control');\n"
"  var status = document.getElementById('filter-status');\n"
"  function want(c, v, f, a) {\n"
"    var focus = (c.getAttribute('data-focus') || '').split(' ');\n"
"    return [v === '' || c.getAttribute('data-verdict') === v,\n"
"            f === '' || c.getAttribute('data-function') === f,\n"
"            a === '' || focus.indexOf(a) !== -1].indexOf(false) === -1;\n"
"  }\n"
"  function apply() {\n"
"    var v = form.elements.verdict.value, f = form.elements.fn.value, a = form.elements.focus.value;\n"
"    var shown = 0;\n"
"    controls.forEach(function (c) { c.hidden = !want(c, v, f, a); if (!c.hidden) { shown += 1; } });\n"
"    all('section.category, section.function').forEach(function (s) {\n"
"      s.hidden = all('article.control', s).every(function (c) { return c.hidden; });\n"
"    });\n"
"    status.textContent = shown + ' of ' + controls.length + ' controls shown' +\n"
"      (shown === controls.length ? '.' : ' (printing shows all).');\n"
"  }\n"
"  form.addEventListener('change', apply);\n"
"  form.addEventListener('reset', function () { setTimeout(apply, 0); });\n"
"  form.addEventListener('submit', function (e) { e.preventDefault(); });\n"
"  form.hidden = false;\n"
"  apply();\n"
"  document.documentElement.setAttribute('data-js', 'ready');\n"
"}());\n";

/* ---- the sections ------------------------------------------------------------------- */

static void write_head(FILE *out, const eval_result *r)
{
    fputs("<!DOCTYPE html>\n"
          "<html lang=\"en\">\n"
          "<head>\n"
          "<meta charset=\"utf-8\" />\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; "
          "form-action 'none'\" />\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
          "<meta name=\"generator\" content=\"aip " AIP_VERSION "\" />\n"
          "<meta name=\"referrer\" content=\"no-referrer\" />\n"
          "<title>aip evaluation report", out);
    if (r->profile) {
        fputs(" \xE2\x80\x94 profile ", out);
        esc(out, r->profile);
    }
    if (r->evaluated_at) {
        fputs(" \xE2\x80\x94 ", out);
        esc(out, r->evaluated_at);
    }
    fputs("</title>\n<style>\n", out);
    fputs(STYLE, out);
    fputs("</style>\n</head>\n", out);
}

static void write_header(FILE *out, const eval_result *r, const group *fns, uint32_t nfns,
                         const bundle *b)
{
    fputs("<header>\n<h1>AI cybersecurity policy evaluation</h1>\n"
          "<p class=\"subtitle\">Verdicts for NIST CSF 2.0 subcategories under the NIST IR 8596 "
          "Cyber AI Profile, computed by aip from an AI inventory</p>\n", out);
    fputs("<dl class=\"scope\">\n<dt>Evaluation date</dt><dd>", out);
    esc_or(out, r->evaluated_at, "<span class=\"none\">not recorded</span>");
    fputs("</dd>\n<dt>Profile</dt><dd>", out);
    if (r->profile)
        esc(out, r->profile);
    else
        fputs("none: every control of the policy bundle", out);
    fputs("</dd>\n<dt>Inventory (facts)</dt><dd>", out);
    if (!r->nfact_files)
        fputs("<span class=\"none\">no facts files</span>", out);
    for (uint32_t i = 0; i < r->nfact_files; i++) {
        if (i)
            fputs(", ", out);
        fputs("<code>", out);
        esc_or(out, r->fact_files ? r->fact_files[i] : NULL, "(unnamed)");
        fputs("</code>", out);
    }
    fputs("</dd>\n<dt>Tool</dt><dd>aip " AIP_VERSION
          " (hashes of every input: <a href=\"#integrity\">Integrity</a>)</dd>\n</dl>\n", out);

    fputs("<nav class=\"toc\" aria-label=\"Contents\"><ol>"
          "<li><a href=\"#gate\">Gate</a></li>"
          "<li><a href=\"#summary\">Summary</a></li>"
          "<li><a href=\"#legend\">How to read this report</a></li>", out);
    for (uint32_t i = 0; i < nfns; i++) {
        fputs("<li><a href=\"#fn-", out);
        esc_n(out, fns[i].id, fns[i].len);
        fputs("\">", out);
        if (!csf_name(out, b, &fns[i], "", ""))
            esc_n(out, fns[i].id, fns[i].len);
        fputs("</a></li>", out);
    }
    fputs("<li><a href=\"#waivers\">Waivers</a></li>"
          "<li><a href=\"#integrity\">Integrity</a></li></ol></nav>\n</header>\n", out);
}

static void write_gate(FILE *out, const eval_result *r)
{
    const char *fail_on = r->fail_on ? r->fail_on : "mandatory";
    const char *rule = fail_on_rule(fail_on);
    fprintf(out, "<section id=\"gate\" class=\"gate %s\">\n<h2>Gate: %s</h2>\n",
            r->gate_failed ? "failed" : "passed", r->gate_failed ? "FAILED" : "PASSED");
    fputs("<p><strong>Rule</strong> (<code>--fail-on ", out);
    esc(out, fail_on);
    fputs("</code>): ", out);
    if (rule)
        fputs(rule, out);
    else
        fputs("a rule this report does not describe.", out);
    fputs(" Pass, waived and not applicable never fail the gate.</p>\n", out);

    /* name the controls that decide it, by verdict */
    if (!rule) {
        fputs("</section>\n", out);
        return;
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->ncontrols; i++)
        n += fails_gate(fail_on, &r->controls[i]) == 1;
    if (!n) {
        fprintf(out, "<p>No control fails the gate under this rule.</p>\n</section>\n");
        return;
    }
    fprintf(out, "<p>%u control%s fail%s the gate:</p>\n<ul>\n", (unsigned)n, n == 1 ? "" : "s",
            n == 1 ? "s" : "");
    static const verdict gating[] = { VERDICT_FAIL, VERDICT_ERROR, VERDICT_UNKNOWN };
    for (size_t g = 0; g < sizeof gating / sizeof gating[0]; g++) {
        uint32_t k = 0;
        for (uint32_t i = 0; i < r->ncontrols; i++) {
            const control_result *c = &r->controls[i];
            if (c->verdict != gating[g] || fails_gate(fail_on, c) != 1)
                continue;
            if (!k++) {
                fputs("<li>", out);
                badge(out, gating[g]);
                fputs(" <span class=\"idlist\">", out);
            } else {
                fputs(", ", out);
            }
            control_link(out, c);
        }
        if (k)
            fprintf(out, "</span> (%u)</li>\n", (unsigned)k);
    }
    fputs("</ul>\n</section>\n", out);
}

static void write_summary(FILE *out, const eval_result *r, const group *fns, uint32_t nfns,
                          const bundle *b)
{
    const eval_summary *s = &r->summary;
    fputs("<section id=\"summary\">\n<h2>Summary</h2>\n", out);
    fprintf(out, "<p>%u control%s (CSF 2.0 subcategories) evaluated.</p>\n", (unsigned)s->total,
            s->total == 1 ? "" : "s");
    fputs("<div class=\"tiles\">", out);
    for (int k = 0; k < VERDICT_COUNT; k++)
        fprintf(out, "<div class=\"tile v-%s\"><span class=\"n\">%u</span><span class=\"w\">%s</span></div>",
                verdict_name(ORDER[k]), (unsigned)s->counts[ORDER[k]], verdict_label(ORDER[k]));
    fprintf(out, "<div class=\"tile total\"><span class=\"n\">%u</span><span class=\"w\">TOTAL</span></div>",
            (unsigned)s->total);
    fputs("</div>\n", out);

    /* functions x verdicts */
    fputs("<h3>By CSF function</h3>\n<table class=\"matrix\">\n<thead><tr><th scope=\"col\">Function</th>", out);
    for (int k = 0; k < VERDICT_COUNT; k++)
        fprintf(out, "<th scope=\"col\" class=\"num\">%s</th>", verdict_heading(ORDER[k]));
    fputs("<th scope=\"col\" class=\"num\">Total</th></tr></thead>\n<tbody>\n", out);
    for (uint32_t f = 0; f < nfns; f++) {
        uint32_t counts[VERDICT_COUNT] = { 0 }, total = 0;
        for (uint32_t i = 0; i < r->ncontrols; i++) {
            const control_result *c = &r->controls[i];
            const char *id = cid_of(c);
            if (same_prefix(&fns[f], id, report_id_function_len(id)) &&
                (unsigned)c->verdict < VERDICT_COUNT) {
                counts[c->verdict]++;
                total++;
            }
        }
        fputs("<tr><th scope=\"row\"><a href=\"#fn-", out);
        esc_n(out, fns[f].id, fns[f].len);
        fputs("\">", out);
        csf_name(out, b, &fns[f], "", " ");
        fputs("(", out);
        esc_n(out, fns[f].id, fns[f].len);
        fputs(")</a></th>", out);
        for (int k = 0; k < VERDICT_COUNT; k++)
            fprintf(out, "<td class=\"num%s\">%u</td>", counts[ORDER[k]] ? "" : " zero",
                    (unsigned)counts[ORDER[k]]);
        fprintf(out, "<td class=\"num\">%u</td></tr>\n", (unsigned)total);
    }
    fputs("</tbody>\n<tfoot><tr><th scope=\"row\">All functions</th>", out);
    for (int k = 0; k < VERDICT_COUNT; k++)
        fprintf(out, "<td class=\"num\">%u</td>", (unsigned)s->counts[ORDER[k]]);
    fprintf(out, "<td class=\"num\">%u</td></tr></tfoot>\n</table>\n", (unsigned)s->total);

    /* focus areas and priorities x verdicts (a control is in several areas) */
    fputs("<h3>By focus area and priority of the Cyber AI Profile</h3>\n"
          "<p>A control can address several focus areas, so the areas overlap; within an area "
          "each control has one priority.</p>\n"
          "<table class=\"matrix\">\n<thead><tr><th scope=\"col\">Focus area</th>"
          "<th scope=\"col\">Priority</th>", out);
    for (int k = 0; k < VERDICT_COUNT; k++)
        fprintf(out, "<th scope=\"col\" class=\"num\">%s</th>", verdict_heading(ORDER[k]));
    fputs("<th scope=\"col\" class=\"num\">Total</th></tr></thead>\n<tbody>\n", out);
    for (unsigned a = 0; a < REPORT_NFOCUS; a++) {
        static const unsigned prios[] = { 1, 2, 3, 0 };
        for (size_t pi = 0; pi < sizeof prios / sizeof prios[0]; pi++) {
            uint32_t counts[VERDICT_COUNT] = { 0 }, total = 0;
            for (uint32_t i = 0; i < r->ncontrols; i++) {
                const control_result *c = &r->controls[i];
                unsigned p = c->priority[a];
                int in = (c->focus & (1u << a)) || p;
                if (in && (prios[pi] ? p == prios[pi] : p < 1 || p > 3) &&
                    (unsigned)c->verdict < VERDICT_COUNT) {
                    counts[c->verdict]++;
                    total++;
                }
            }
            if (!total)
                continue;
            fprintf(out, "<tr><th scope=\"row\">%s</th><td>", focus_title(a));
            if (prios[pi])
                fprintf(out, "%u %s", prios[pi], priority_word(prios[pi]));
            else
                fputs("none given", out);
            fputs("</td>", out);
            for (int k = 0; k < VERDICT_COUNT; k++)
                fprintf(out, "<td class=\"num%s\">%u</td>", counts[ORDER[k]] ? "" : " zero",
                        (unsigned)counts[ORDER[k]]);
            fprintf(out, "<td class=\"num\">%u</td></tr>\n", (unsigned)total);
        }
    }
    fputs("</tbody>\n</table>\n</section>\n", out);
}

static void write_legend(FILE *out)
{
    fputs("<section id=\"legend\">\n<h2>How to read this report</h2>\n"
          "<p>Each control is one CSF 2.0 subcategory. The policy states requirements about the "
          "organization&#39;s AI inventory (the facts files), and each control gets one verdict:</p>\n"
          "<dl class=\"legend\">\n", out);
    for (int k = 0; k < VERDICT_COUNT; k++) {
        fputs("<dt>", out);
        badge(out, ORDER[k]);
        fprintf(out, "</dt><dd><strong>%s</strong> (<code>%s</code>): %s</dd>\n",
                verdict_heading(ORDER[k]), verdict_name(ORDER[k]), verdict_meaning(ORDER[k]));
    }
    fputs("</dl>\n<dl class=\"terms\">\n"
          "<dt>Enforcement</dt><dd><strong>Mandatory</strong> controls decide the gate; "
          "<strong>advisory</strong> controls are reported for information and decide it only "
          "under <code>--fail-on any</code>.</dd>\n"
          "<dt>Focus areas and priorities</dt><dd>The Cyber AI Profile sorts its considerations into "
          "three focus areas: <strong>Secure</strong> (securing AI system components), "
          "<strong>Defend</strong> (AI-enabled cyber defense) and <strong>Thwart</strong> "
          "(thwarting AI-enabled attacks). For each area it proposes a priority: 1 high, "
          "2 moderate, 3 foundational.</dd>\n"
          "<dt>Findings</dt><dd>A <strong>violation</strong> is a requirement that did not hold; "
          "<strong>missing evidence</strong> is one that could not be decided. Each names the "
          "subject (the AI system it is about), the fact path in the inventory "
          "(e.g. <code>credentials[1].shared</code>) and where that fact is written "
          "(<code>file:line:column</code>; for a missing fact, its nearest existing parent), and "
          "the policy rule that produced it.</dd>\n"
          "<dt>Attestations</dt><dd>Some controls are decided by a signed-off statement in the "
          "inventory&#39;s <code>attestations[]</code> instead of facts: it must name the control, "
          "be dated within the allowed age before the evaluation date and not be expired. None "
          "at all is missing evidence; only stale or expired ones is a violation.</dd>\n"
          "<dt>Waivers</dt><dd>An approved exception for one control and target, with an expiry "
          "date. An active waiver turns the violations it covers into accepted ones (still "
          "listed); an expired waiver changes nothing; an unused one matched nothing. Waivers "
          "never cover missing evidence.</dd>\n"
          "</dl>\n</section>\n", out);
}

static void write_filters(FILE *out, const eval_result *r, const group *fns, uint32_t nfns,
                          const bundle *b)
{
    fputs("<form id=\"filters\" hidden=\"hidden\" aria-label=\"Filter the controls\">\n"
          "<label>Verdict <select name=\"verdict\"><option value=\"\">all</option>", out);
    for (int k = 0; k < VERDICT_COUNT; k++)
        fprintf(out, "<option value=\"%s\">%s (%u)</option>", verdict_name(ORDER[k]),
                verdict_heading(ORDER[k]), (unsigned)r->summary.counts[ORDER[k]]);
    fputs("</select></label>\n<label>Function <select name=\"fn\"><option value=\"\">all</option>", out);
    for (uint32_t f = 0; f < nfns; f++) {
        fputs("<option value=\"", out);
        esc_n(out, fns[f].id, fns[f].len);
        fputs("\">", out);
        csf_name(out, b, &fns[f], "", " ");
        fputs("(", out);
        esc_n(out, fns[f].id, fns[f].len);
        fputs(")</option>", out);
    }
    fputs("</select></label>\n<label>Focus area <select name=\"focus\"><option value=\"\">all</option>", out);
    for (unsigned a = 0; a < REPORT_NFOCUS; a++)
        fprintf(out, "<option value=\"%s\">%s</option>", report_focus_name(a), focus_title(a));
    fputs("</select></label>\n<button type=\"reset\">Show all</button>\n"
          "<span id=\"filter-status\" role=\"status\"></span>\n</form>\n", out);
}

static void write_waiver_brief(FILE *out, const waiver *w)
{
    fprintf(out, "<span class=\"badge w-%s\">%s</span> ", waiver_word(w->status, 0),
            waiver_word(w->status, 1));
    fputs("<strong>", out);
    esc_or(out, w->id, "(no id)");
    fputs("</strong> for target <code>", out);
    esc(out, w->target);
    fputs("</code>, approved by ", out);
    esc_or(out, w->approved_by, "<span class=\"none\">nobody named</span>");
    fputs(", expires ", out);
    esc_or(out, w->expires, "<span class=\"none\">no date</span>");
    fputs(": ", out);
    esc_or(out, w->reason, "<span class=\"none\">no reason given</span>");
}

static void write_finding(FILE *out, const finding *f)
{
    fprintf(out, "<tr%s><td><span class=\"kind %s\">%s</span>", f->waived_by ? " class=\"waived\"" : "",
            finding_kind_name(f->kind),
            f->kind == FINDING_MISSING_EVIDENCE ? "Missing evidence" : "Violation");
    if (f->waived_by)
        fputs(" <span class=\"kind\">(waived)</span>", out);
    if (is_attestation_path(f->path))
        fputs(" <span class=\"tag\">attestation</span>", out);
    if (f->subject) {
        fputs(" <span class=\"subject\">subject <strong>", out);
        esc(out, f->subject);
        fputs("</strong></span>", out);
    }
    fputs("<span class=\"msg\">", out);
    esc_or(out, f->message, "<span class=\"none\">no message</span>");
    fputs("</span>", out);
    for (uint32_t i = 0; i < f->nbecause; i++) {   /* the deciding values (docs/explain.md) */
        const because_item *it = &f->because[i];
        char item[512];
        because_item_text(it, item, sizeof item);
        fputs(i ? "; " : "<span class=\"because\">because: ", out);
        fputs("<code>", out);
        esc(out, item);
        fputs("</code>", out);
        if (it->file) {
            fputs(" at ", out);
            location(out, it->file, it->line, it->col);
        }
        if (i + 1 == f->nbecause)
            fputs("</span>", out);
    }
    if (f->waived_by) {
        const waiver *w = f->waived_by;
        fputs("<span class=\"waiver-note\">Accepted by waiver <strong>", out);
        esc_or(out, w->id, "(no id)");
        fputs("</strong>, approved by ", out);
        esc_or(out, w->approved_by, "nobody named");
        fputs(", expires ", out);
        esc_or(out, w->expires, "no date");
        fputs(": ", out);
        esc_or(out, w->reason, "no reason given");
        fputs("</span>", out);
    }
    fputs("</td><td>", out);
    if (f->file)
        location(out, f->file, f->line, f->col);
    else
        fputs("<span class=\"none\">not in a facts file</span>", out);
    fputs("<span class=\"sub\">fact <code>", out);
    esc_or(out, f->path, "(facts root)");
    fputs("</code></span></td><td>", out);
    if (f->policy_file)
        location(out, f->policy_file, f->policy_line, 0);
    else
        fputs("<span class=\"none\">unknown</span>", out);
    fputs("</td></tr>\n", out);
}

static void write_maps(FILE *out, const bundle *b, const bc_control *bc)
{
    uint32_t prev = UINT32_MAX;
    int any = 0;
    for (uint32_t i = 0; i < bc->nmaps; i++) {
        uint64_t k = (uint64_t)bc->maps + i;
        if (k >= b->maps.n)
            continue;
        const bc_mapping *m = &b->maps.v[k];
        size_t flen, rlen;
        const char *fw = report_bundle_str(b, m->framework, &flen);
        const char *ref = report_bundle_str(b, m->ref, &rlen);
        if (!any)
            fputs("<dt>Mappings</dt><dd class=\"maps\">", out);
        if (m->framework != prev) {
            if (any)
                fputs("; ", out);
            fputs("<strong>", out);
            esc_n(out, fw ? fw : "?", fw ? flen : 1);
            fputs("</strong> ", out);
        } else {
            fputs(", ", out);
        }
        esc_n(out, ref ? ref : "?", ref ? rlen : 1);
        prev = m->framework;
        any = 1;
    }
    if (any)
        fputs("</dd>\n", out);
}

/* The help text: one paragraph per line; a short label before ": " at the
 * start of a line ("Secure (priority 1, high):") in bold. */
static void write_help(FILE *out, const char *s, size_t n)
{
    size_t i = 0;
    int any = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        size_t a = i, z = e;
        while (a < z && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r'))
            a++;
        while (z > a && (s[z - 1] == ' ' || s[z - 1] == '\t' || s[z - 1] == '\r'))
            z--;
        if (z > a) {
            if (!any)
                fputs("<details class=\"help\"><summary>Considerations from NIST IR 8596 "
                      "(help text)</summary><div class=\"body\">\n", out);
            any = 1;
            size_t label = 0;
            for (size_t k = a; k + 1 < z && k - a <= 48; k++) {
                if (s[k] == '.' || s[k] == '\0')
                    break;
                if (s[k] == ':' && s[k + 1] == ' ') {
                    label = k + 1 - a;
                    break;
                }
            }
            fputs("<p>", out);
            if (label) {
                fputs("<strong>", out);
                esc_n(out, s + a, label);
                fputs("</strong>", out);
            }
            esc_n(out, s + a + label, z - a - label);
            fputs("</p>\n", out);
        }
        i = e + 1;
    }
    if (any)
        fputs("</div></details>\n", out);
}

static void write_control(FILE *out, const eval_result *r, const bundle *b, const control_result *c)
{
    const char *id = cid_of(c);
    const char *vn = verdict_name(c->verdict);
    fputs("<article class=\"control c-", out);
    fputs(vn, out);
    fputs("\" id=\"ctl-", out);
    esc(out, id);
    fprintf(out, "\" data-verdict=\"%s\" data-function=\"", vn);
    esc_n(out, id, report_id_function_len(id));
    fputs("\" data-focus=\"", out);
    for (unsigned a = 0, first = 1; a < REPORT_NFOCUS; a++)
        if (c->focus & (1u << a)) {
            fprintf(out, "%s%s", first ? "" : " ", report_focus_name(a));
            first = 0;
        }
    fputs("\">\n<h4>", out);
    badge(out, c->verdict);
    fputs("<span class=\"cid\">", out);
    esc_or(out, id, "(no id)");
    fputs("</span><span class=\"title\">", out);
    esc_or(out, c->title, "<span class=\"none\">untitled</span>");
    fputs("</span></h4>\n<dl class=\"meta\">\n", out);

    fprintf(out, "<dt>Enforcement</dt><dd>%s</dd>\n", c->enforce ? "advisory" : "mandatory");
    fputs("<dt>Focus areas</dt><dd>", out);
    int any = 0;
    for (unsigned a = 0; a < REPORT_NFOCUS; a++) {
        if (!(c->focus & (1u << a)) && !c->priority[a])
            continue;
        fprintf(out, "%s%s", any ? "; " : "", focus_title(a));
        if (c->priority[a])
            fprintf(out, " \xE2\x80\x94 priority %u (%s)", (unsigned)c->priority[a],
                    priority_word(c->priority[a]));
        any = 1;
    }
    if (!any)
        fputs("<span class=\"none\">none given</span>", out);
    fputs("</dd>\n", out);

    const bc_control *bc = report_bundle_control(b, c);
    if (bc && bc->has_attest) {
        fputs("<dt>Attestation</dt><dd>required: an <code>attestations[]</code> entry for this "
              "control, dated within the allowed age before ", out);
        esc_or(out, r->evaluated_at, "the evaluation date");
        fputs("</dd>\n", out);
    }
    if (bc && bc->nevidence) {
        fputs("<dt>Evidence</dt><dd>", out);
        for (uint32_t i = 0, first = 1; i < bc->nevidence; i++) {
            uint64_t k = (uint64_t)bc->evidence + i;
            if (k >= b->evidence_refs.n)
                continue;
            size_t len;
            const char *s = report_bundle_str(b, b->evidence_refs.v[k], &len);
            if (!s)
                continue;
            fputs(first ? "" : "; ", out);
            esc_n(out, s, len);
            first = 0;
        }
        fputs("</dd>\n", out);
    }
    if (bc)
        write_maps(out, b, bc);
    if (bc) {
        size_t len;
        const char *file = report_bundle_str(b, bc->file, &len);
        if (file && len) {
            fputs("<dt>Policy</dt><dd>", out);
            location(out, file, bc->line, 0);
            if (c->nblocks > 1)
                fprintf(out, " and %u more control block%s for this id", (unsigned)(c->nblocks - 1),
                        c->nblocks == 2 ? "" : "s");
            fputs("</dd>\n", out);
        }
    }
    fputs("</dl>\n", out);

    if (c->verdict == VERDICT_ERROR) {
        fputs("<p class=\"errbox\"><strong>Evaluation error:</strong> ", out);
        esc_or(out, c->error, "error without a message");
        fputs("</p>\n", out);
    }
    if (c->nfindings) {
        fprintf(out, "<table class=\"findings\"><caption>%u finding%s</caption>"
                "<colgroup><col /><col class=\"w\" /><col class=\"p\" /></colgroup>\n"
                "<thead><tr><th scope=\"col\">Finding</th><th scope=\"col\">Where in the inventory</th>"
                "<th scope=\"col\">Policy rule</th></tr></thead>\n<tbody>\n",
                (unsigned)c->nfindings, c->nfindings == 1 ? "" : "s");
        for (uint32_t i = 0; i < c->nfindings; i++)
            write_finding(out, &c->findings[i]);
        fputs("</tbody></table>\n", out);
    } else if (c->verdict == VERDICT_PASS) {
        fprintf(out, "<p class=\"none\">No findings: %u requirement check%s held.</p>\n",
                (unsigned)c->requirements_held, c->requirements_held == 1 ? "" : "s");
    } else if (c->verdict == VERDICT_NOT_APPLICABLE) {
        fputs("<p class=\"none\">No findings: nothing in the inventory is in this control&#39;s scope.</p>\n", out);
    } else if (c->verdict != VERDICT_ERROR) {
        fputs("<p class=\"none\">No findings.</p>\n", out);
    }

    int nw = 0;
    for (uint32_t i = 0; i < r->nwaivers; i++) {
        const waiver *w = &r->waivers[i];
        if (!w->control || strcmp(w->control, id) != 0)
            continue;
        if (!nw++)
            fputs("<p class=\"sub\">Waivers naming this control:</p><ul class=\"ctl-waivers\">\n", out);
        fputs("<li>", out);
        write_waiver_brief(out, w);
        fputs("</li>\n", out);
    }
    if (nw)
        fputs("</ul>\n", out);

    if (bc) {
        size_t len;
        const char *help = report_bundle_str(b, bc->help, &len);
        if (help && len)
            write_help(out, help, len);
    }
    fputs("</article>\n", out);
}

static void write_results(FILE *out, const eval_result *r, const bundle *b, const group *fns,
                          uint32_t nfns, group *cats)
{
    for (uint32_t f = 0; f < nfns; f++) {
        uint32_t counts[VERDICT_COUNT] = { 0 }, total = 0;
        for (uint32_t i = 0; i < r->ncontrols; i++) {
            const char *id = cid_of(&r->controls[i]);
            if (same_prefix(&fns[f], id, report_id_function_len(id)) &&
                (unsigned)r->controls[i].verdict < VERDICT_COUNT) {
                counts[r->controls[i].verdict]++;
                total++;
            }
        }
        fputs("<section class=\"function\" id=\"fn-", out);
        esc_n(out, fns[f].id, fns[f].len);
        fputs("\">\n<h2>", out);
        csf_name(out, b, &fns[f], "", " ");
        fputs("(", out);
        esc_n(out, fns[f].id, fns[f].len);
        fprintf(out, ")<span class=\"counts\">%u control%s:", (unsigned)total, total == 1 ? "" : "s");
        for (int k = 0, first = 1; k < VERDICT_COUNT; k++)
            if (counts[ORDER[k]]) {
                fprintf(out, "%s %u %s", first ? "" : ",", (unsigned)counts[ORDER[k]], verdict_name(ORDER[k]));
                first = 0;
            }
        fputs("</span></h2>\n", out);

        uint32_t ncats = collect_groups(r, cats, &fns[f], report_id_category_len);
        for (uint32_t g = 0; g < ncats; g++) {
            fputs("<section class=\"category\" id=\"cat-", out);
            esc_n(out, cats[g].id, cats[g].len);
            fputs("\">\n<h3><span class=\"cat\">", out);
            esc_n(out, cats[g].id, cats[g].len);
            fputs("</span>", out);
            csf_name(out, b, &cats[g], "", "");
            fputs("</h3>\n", out);
            for (uint32_t i = 0; i < r->ncontrols; i++) {
                const char *id = cid_of(&r->controls[i]);
                if (same_prefix(&cats[g], id, report_id_category_len(id)) &&
                    same_prefix(&fns[f], id, report_id_function_len(id)))
                    write_control(out, r, b, &r->controls[i]);
            }
            fputs("</section>\n", out);
        }
        fputs("</section>\n", out);
    }
}

static void write_waivers(FILE *out, const eval_result *r)
{
    uint32_t n[3] = { 0 };
    for (uint32_t i = 0; i < r->nwaivers; i++)
        if ((unsigned)r->waivers[i].status < 3)
            n[r->waivers[i].status]++;
    fputs("<section id=\"waivers\">\n<h2>Waivers</h2>\n", out);
    if (!r->waivers_file && !r->nwaivers) {
        fputs("<p>No waivers file was given: no finding is waived.</p>\n</section>\n", out);
        return;
    }
    fputs("<p>From <code>", out);
    esc_or(out, r->waivers_file, "(unnamed)");
    fprintf(out, "</code>: %u waiver%s, %u active, %u expired, %u unused. An expired waiver "
            "changes nothing; an unused one matched no violation.</p>\n",
            (unsigned)r->nwaivers, r->nwaivers == 1 ? "" : "s", (unsigned)n[WAIVER_ACTIVE],
            (unsigned)n[WAIVER_EXPIRED], (unsigned)n[WAIVER_UNUSED]);
    if (!r->nwaivers) {
        fputs("</section>\n", out);
        return;
    }
    fputs("<table class=\"waivers\">\n<thead><tr><th scope=\"col\">Status</th><th scope=\"col\">Waiver</th>"
          "<th scope=\"col\">Control</th><th scope=\"col\">Target</th><th scope=\"col\">Reason</th>"
          "<th scope=\"col\">Approved by</th><th scope=\"col\">Expires</th>"
          "<th scope=\"col\">Violations covered</th><th scope=\"col\">Written at</th></tr></thead>\n<tbody>\n", out);
    for (uint32_t i = 0; i < r->nwaivers; i++) {
        const waiver *w = &r->waivers[i];
        fprintf(out, "<tr><td><span class=\"badge w-%s\">%s</span></td><td>", waiver_word(w->status, 0),
                waiver_word(w->status, 1));
        fputs("<span class=\"nowrap\">", out);
        esc_or(out, w->id, "<span class=\"none\">(no id)</span>");
        fputs("</span>", out);
        fputs("</td><td class=\"nowrap\">", out);
        int known = 0;
        for (uint32_t k = 0; w->control && k < r->ncontrols && !known; k++)
            known = r->controls[k].id && !strcmp(r->controls[k].id, w->control);
        if (known) {
            fputs("<a href=\"#ctl-", out);
            esc(out, w->control);
            fputs("\">", out);
            esc(out, w->control);
            fputs("</a>", out);
        } else {
            esc_or(out, w->control, "<span class=\"none\">none</span>");
        }
        fputs("</td><td><code>", out);
        esc(out, w->target);
        fputs("</code></td><td>", out);
        esc_or(out, w->reason, "<span class=\"none\">none given</span>");
        fputs("</td><td>", out);
        esc_or(out, w->approved_by, "<span class=\"none\">nobody named</span>");
        fputs("</td><td class=\"nowrap\">", out);
        esc_or(out, w->expires, "<span class=\"none\">no date</span>");
        fprintf(out, "</td><td>%u</td><td>", (unsigned)w->matched);
        if (w->file)
            location(out, w->file, w->line, w->col);
        else
            fputs("<span class=\"none\">unknown</span>", out);
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody>\n</table>\n</section>\n", out);
}

/* A file and its hash as two table cells; "none given" when file is NULL. */
static void file_row(FILE *out, const char *what, const char *file, const char *sha, const char *none)
{
    fprintf(out, "<tr><th scope=\"row\">%s</th><td>", what);
    if (!file) {
        fprintf(out, "<span class=\"none\">%s</span></td></tr>\n", none);
        return;
    }
    fputs("<table class=\"hashes\"><thead><tr><th scope=\"col\">File</th><th scope=\"col\">SHA-256</th>"
          "</tr></thead><tbody><tr><td><code>", out);
    esc(out, file);
    fputs("</code></td><td><code>", out);
    esc_or(out, sha, "unknown");
    fputs("</code></td></tr></tbody></table></td></tr>\n", out);
}

static void write_integrity(FILE *out, const eval_result *r, const bundle *b)
{
    const char *sha = r->bundle_sha256;
    if (!sha && b && b->sha256_hex[0])
        sha = b->sha256_hex;
    fputs("<section id=\"integrity\">\n<h2>Integrity</h2>\n"
          "<p>What was evaluated, with the SHA-256 of every input. The same inputs give a "
          "byte-identical report, so re-running the evaluation on files with these hashes must "
          "reproduce it.</p>\n<table class=\"kv\">\n<tbody>\n"
          "<tr><th scope=\"row\">Tool</th><td>aip " AIP_VERSION "</td></tr>\n"
          "<tr><th scope=\"row\">Policy bundle</th><td>SHA-256 <code>", out);
    esc_or(out, sha, "unknown");
    fputs("</code></td></tr>\n", out);

    int nsrc = 0;
    for (uint32_t i = 0; b && i < b->meta.n; i++) {
        const char *key = report_bundle_str(b, b->meta.v[i].key, NULL);
        size_t len;
        const char *v = report_bundle_str(b, b->meta.v[i].value, &len);
        if (!key || strcmp(key, "source") != 0 || !v)
            continue;
        if (!nsrc++)
            fputs("<tr><th scope=\"row\">Policy sources (recorded in the bundle)</th><td>"
                  "<table class=\"hashes\"><thead><tr><th scope=\"col\">File</th>"
                  "<th scope=\"col\">SHA-256</th></tr></thead><tbody>\n", out);
        /* "path sha256:hex" */
        size_t cut = len;
        for (size_t k = len; k > 8; k--)
            if (!memcmp(v + k - 8, " sha256:", 8)) {
                cut = k - 8;
                break;
            }
        fputs("<tr><td><code>", out);
        esc_n(out, v, cut);
        fputs("</code></td><td><code>", out);
        if (cut < len)
            esc_n(out, v + cut + 8, len - cut - 8);
        fputs("</code></td></tr>\n", out);
    }
    if (nsrc)
        fputs("</tbody></table></td></tr>\n", out);

    fputs("<tr><th scope=\"row\">Facts files</th><td>", out);
    if (!r->nfact_files)
        fputs("<span class=\"none\">none</span>", out);
    else
        fputs("<table class=\"hashes\"><thead><tr><th scope=\"col\">File</th>"
              "<th scope=\"col\">SHA-256</th></tr></thead><tbody>\n", out);
    for (uint32_t i = 0; i < r->nfact_files; i++) {
        fputs("<tr><td><code>", out);
        esc_or(out, r->fact_files ? r->fact_files[i] : NULL, "(unnamed)");
        fputs("</code></td><td><code>", out);
        esc_or(out, r->fact_sha256 ? r->fact_sha256[i] : NULL, "unknown");
        fputs("</code></td></tr>\n", out);
    }
    if (r->nfact_files)
        fputs("</tbody></table>", out);
    fputs("</td></tr>\n", out);
    file_row(out, "Params file", r->params_file, r->params_sha256,
             "none given: the policy&#39;s defaults");
    file_row(out, "Waivers file", r->waivers_file, r->waivers_sha256, "none given");

    uint32_t n[3] = { 0 };
    for (uint32_t i = 0; i < r->nwaivers; i++)
        if ((unsigned)r->waivers[i].status < 3)
            n[r->waivers[i].status]++;
    fprintf(out, "<tr><th scope=\"row\">Waivers</th><td>%u active, %u expired, %u unused "
            "(<a href=\"#waivers\">list</a>)</td></tr>\n",
            (unsigned)n[WAIVER_ACTIVE], (unsigned)n[WAIVER_EXPIRED], (unsigned)n[WAIVER_UNUSED]);
    fputs("<tr><th scope=\"row\">Evaluation date</th><td>", out);
    esc_or(out, r->evaluated_at, "<span class=\"none\">not recorded</span>");
    fputs("</td></tr>\n<tr><th scope=\"row\">Profile</th><td>", out);
    if (r->profile)
        esc(out, r->profile);
    else
        fputs("none: every control of the bundle", out);
    fputs("</td></tr>\n<tr><th scope=\"row\">Gate rule</th><td><code>--fail-on ", out);
    esc(out, r->fail_on ? r->fail_on : "mandatory");
    fprintf(out, "</code>: gate %s</td></tr>\n</tbody>\n</table>\n</section>\n",
            r->gate_failed ? "failed" : "passed");
}

/* 0, or -1 when a write failed (see report.h). */
int report_html(FILE *out, const eval_result *r, const bundle *b, const report_opts *o)
{
    (void)o;   /* paths are shown as given, like the text report */
    group *fns = aip_xcalloc(r->ncontrols ? r->ncontrols : 1, sizeof *fns);
    group *cats = aip_xcalloc(r->ncontrols ? r->ncontrols : 1, sizeof *cats);
    uint32_t nfns = collect_groups(r, fns, NULL, report_id_function_len);

    write_head(out, r);
    fputs("<body>\n<main>\n", out);
    write_header(out, r, fns, nfns, b);
    write_gate(out, r);
    write_summary(out, r, fns, nfns, b);
    write_legend(out);

    fputs("<section id=\"results\">\n<h2>Results by CSF function and category</h2>\n", out);
    if (!r->ncontrols)
        fputs("<p class=\"none\">No controls were evaluated.</p>\n", out);
    else
        write_filters(out, r, fns, nfns, b);
    fputs("</section>\n", out);
    write_results(out, r, b, fns, nfns, cats);

    write_waivers(out, r);
    write_integrity(out, r, b);
    fputs("<footer>Written by aip " AIP_VERSION ". This page is self-contained: it loads nothing "
          "from the network and needs no script to be read; the filters above the results use a "
          "small inline script when it is allowed. Printing shows every control.</footer>\n"
          "</main>\n<script>\n", out);
    fputs(SCRIPT, out);
    fputs("</script>\n</body>\n</html>\n", out);

    aip_free(fns);
    aip_free(cats);
    if (fflush(out) != 0 || ferror(out))
        return -1;
    return 0;
}
