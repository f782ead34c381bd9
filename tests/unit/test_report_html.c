/* tests/unit/test_report_html.c - the HTML report (runtime/report_html.c)
 * over an eval_result and a bundle built by hand: every verdict with its
 * badge text, findings with their locations, waived findings and waivers of
 * every status, the help text, the integrity block, escaping of hostile text
 * (markup, control characters, invalid UTF-8, bidi overrides), NULL fields,
 * zero controls, very long messages, write errors and determinism.
 *
 * What it does not test: how the page looks or that a browser runs its
 * script (tests/report/html.sh loads it in headless Chromium). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/bundle.h"
#include "runtime/report.h"
#include "runtime/result.h"
#include "runtime/version.h"

/* ---- a bundle by hand ------------------------------------------------------- */

static uint32_t intern_n(bundle *b, const char *s, uint32_t len)
{
    for (uint32_t i = 0; i < b->strs.n; i++)
        if (b->str_lens.v[i] == len && memcmp(b->strs.v[i], s, len) == 0)
            return i;
    BC_PUSH(b->strs, s);
    BC_PUSH(b->str_lens, len);
    return b->strs.n - 1;
}

static uint32_t intern(bundle *b, const char *s)
{
    return intern_n(b, s, (uint32_t)strlen(s));
}

static void add_meta(bundle *b, const char *key, const char *value)
{
    bc_meta m = { intern(b, key), intern(b, value) };
    BC_PUSH(b->meta, m);
}

/* A control block with evidence and maps (NULL-terminated; maps as
 * framework, ref pairs), a help text and the policy location. */
static uint32_t add_control(bundle *b, const char *id, const char *const *evidence,
                            const char *const *maps, const char *help, int attest, uint32_t line)
{
    bc_control c;
    memset(&c, 0, sizeof c);
    c.id = intern(b, id);
    c.title = intern(b, "title from the bundle (unused by writers)");
    c.evidence = b->evidence_refs.n;
    for (; evidence && *evidence; evidence++, c.nevidence++)
        BC_PUSH(b->evidence_refs, intern(b, *evidence));
    c.maps = b->maps.n;
    for (; maps && maps[0]; maps += 2, c.nmaps++) {
        bc_mapping m = { intern(b, maps[0]), intern(b, maps[1]) };
        BC_PUSH(b->maps, m);
    }
    c.help = intern(b, help ? help : "");
    c.has_attest = (uint8_t)attest;
    c.file = intern(b, "policies/pack/main.aip");
    c.line = line;
    BC_PUSH(b->controls, c);
    return b->controls.n - 1;
}

static void bundle_clear(bundle *b)
{
    aip_free(b->strs.v);
    aip_free(b->str_lens.v);
    aip_free(b->evidence_refs.v);
    aip_free(b->maps.v);
    aip_free(b->controls.v);
    aip_free(b->meta.v);
}

/* ---- the fixture -------------------------------------------------------------- */

typedef struct fixture {
    bundle b;
    eval_result r;
    control_result c[6];
    finding f_pr[2], f_rc[1], f_rs[1], f_gv[1];
    waiver w[3];
    const char *files[2], *shas[2];
} fixture;

static const char HELP_PR[] =
    "NIST IR 8596 on PR.AA-01.\n"
    "General considerations: AI agents get their own credentials.\n"
    "Secure (priority 1, high): rotate <keys> & \"secrets\".\n"
    "\n";

static int setup(void **state)
{
    fixture *x = calloc(1, sizeof *x);
    assert_non_null(x);
    bundle *b = &x->b;
    static const char *const gv_ev[] = { "board minutes", NULL };
    static const char *const pr_ev[] = { "credential register", "vault audit log", NULL };
    static const char *const pr_maps[] = { "sp800_53", "IA-4", "sp800_53", "IA-5", "iso27001", "A.5.17", NULL };
    uint32_t gv = add_control(b, "GV.OC-01", gv_ev, NULL, "Mission text.", 1, 10);
    uint32_t pr = add_control(b, "PR.AA-01", pr_ev, pr_maps, HELP_PR, 0, 20);
    add_control(b, "PR.AA-01", NULL, NULL, NULL, 0, 40);
    uint32_t id = add_control(b, "ID.AM-07", NULL, NULL, NULL, 0, 50);
    uint32_t de = add_control(b, "DE.CM-01", NULL, NULL, NULL, 0, 60);
    uint32_t rs = add_control(b, "RS.MA-01", NULL, NULL, NULL, 0, 70);
    uint32_t rc = add_control(b, "RC.RP-01", NULL, NULL, NULL, 0, 80);
    add_meta(b, "csf:GV", "Govern");
    add_meta(b, "csf:GV.OC", "Organizational Context");
    add_meta(b, "csf:PR", "Protect");
    add_meta(b, "csf:PR.AA", "Identity Management, Authentication, and Access Control");
    add_meta(b, "csf:RS", "Respond");
    add_meta(b, "source", "policies/pack/main.aip sha256:1111111111111111111111111111111111111111111111111111111111111111");
    add_meta(b, "source", "policies/pack/lib.aip sha256:2222222222222222222222222222222222222222222222222222222222222222");
    snprintf(b->sha256_hex, sizeof b->sha256_hex, "%064d", 0);

    x->w[0] = (waiver){ .id = "W-1", .control = "RS.MA-01", .target = "ranker",
        .reason = "ticket SEC-1: vendor fix due", .approved_by = "ciso@example.com",
        .expires = "2026-01-31", .file = "waivers.yaml", .line = 2, .col = 3,
        .status = WAIVER_ACTIVE, .matched = 1 };
    x->w[1] = (waiver){ .id = "W-2", .control = "PR.AA-01", .target = "chatbot",
        .reason = "old exception", .approved_by = "cto", .expires = "2024-12-31",
        .file = "waivers.yaml", .line = 8, .col = 3, .status = WAIVER_EXPIRED };
    x->w[2] = (waiver){ .id = NULL, .control = "GV.XX-99", .target = "systems[*].<b>",
        .reason = NULL, .approved_by = NULL, .expires = NULL, .file = NULL,
        .status = WAIVER_UNUSED };

    x->f_pr[0] = (finding){
        .kind = FINDING_VIOLATION, .message = "credential \"svc-bot\" is shared",
        .path = "credentials[1].shared", .subject = "chatbot",
        .file = "facts/inv.yaml", .line = 12, .col = 7,
        .policy_file = "policy.aip", .policy_line = 20, .policy_col = 5 };
    x->f_pr[1] = (finding){
        .kind = FINDING_MISSING_EVIDENCE, .message = "no rotation date",
        .path = "", .subject = NULL, .file = NULL,
        .policy_file = "policy.aip", .policy_line = 22, .policy_col = 5 };
    x->f_rc[0] = (finding){
        .kind = FINDING_MISSING_EVIDENCE, .message = "backup plan not attested",
        .path = "attestations", .subject = "rag\x1b[2J",
        .file = "facts/more.json", .line = 3, .col = 0,
        .policy_file = "recover.aip", .policy_line = 4 };
    x->f_rs[0] = (finding){
        .kind = FINDING_VIOLATION, .message = "waived:\tticket\nSEC-1",
        .path = "systems[2].incident", .subject = "ranker",
        .file = NULL, .policy_file = NULL, .waived_by = &x->w[0] };
    x->f_gv[0] = (finding){
        .kind = FINDING_VIOLATION,
        .message = "attestation att-1 for GV.OC-01 is dated 2024-01-01, 546 days ago (allowed: 365)",
        .path = "attestations[0].date", .subject = NULL,
        .file = "facts/inv.yaml", .line = 40, .col = 9, .policy_file = "policy.aip", .policy_line = 9 };

    control_result *c = x->c;
    c[0] = (control_result){ .id = "GV.OC-01", .title = "The organizational mission is understood",
        .verdict = VERDICT_PASS, .enforce = 0, .focus = 3, .priority = { 1, 2, 0 },
        .bundle_control = gv, .nblocks = 1, .requirements_held = 2 };
    c[1] = (control_result){ .id = "ID.AM-07", .title = "Inventories of data are maintained",
        .verdict = VERDICT_NOT_APPLICABLE, .enforce = 0, .focus = 0,
        .bundle_control = id, .nblocks = 1 };
    c[2] = (control_result){ .id = "PR.AA-01", .title = "Identities and credentials are managed",
        .verdict = VERDICT_FAIL, .enforce = 0, .focus = 1, .priority = { 1, 0, 0 },
        .bundle_control = pr, .nblocks = 2, .findings = x->f_pr, .nfindings = 2 };
    c[3] = (control_result){ .id = "DE.CM-01", .title = "Networks are monitored",
        .verdict = VERDICT_ERROR, .enforce = 1, .focus = 6, .priority = { 0, 3, 1 },
        .bundle_control = de, .nblocks = 1, .error = "step budget exceeded (10000000 steps)" };
    c[4] = (control_result){ .id = "RS.MA-01", .title = "Incident response plan is executed",
        .verdict = VERDICT_WAIVED, .enforce = 1, .focus = 4, .priority = { 0, 0, 2 },
        .bundle_control = rs, .nblocks = 1, .findings = x->f_rs, .nfindings = 1 };
    c[5] = (control_result){ .id = "RC.RP-01", .title = "Recovery plan is executed",
        .verdict = VERDICT_UNKNOWN, .enforce = 0, .focus = 7, .priority = { 3, 3, 3 },
        .bundle_control = rc, .nblocks = 1, .findings = x->f_rc, .nfindings = 1 };

    eval_result *r = &x->r;
    arena_init(&r->mem);
    r->controls = c;
    r->ncontrols = 6;
    for (int v = 0; v < VERDICT_COUNT; v++)
        r->summary.counts[v] = 1;
    r->summary.total = 6;
    r->gate_failed = 1;
    r->fail_on = "mandatory";
    r->evaluated_at = "2025-06-30";
    r->profile = "sme-baseline";
    r->bundle_sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    x->files[0] = "facts/inv.yaml";
    x->files[1] = "facts/more.json";
    x->shas[0] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    x->shas[1] = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    r->fact_files = x->files;
    r->fact_sha256 = x->shas;
    r->nfact_files = 2;
    r->params_file = "params.yaml";
    r->params_sha256 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    r->waivers_file = "waivers.yaml";
    r->waivers_sha256 = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    r->waivers = x->w;
    r->nwaivers = 3;
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    fixture *x = *state;
    bundle_clear(&x->b);
    arena_free(&x->r.mem);
    free(x);
    return 0;
}

/* ---- capture and checks ------------------------------------------------------------ */

static char *render(const eval_result *r, const bundle *b)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    report_opts o = { .base = "." };
    assert_int_equal(report_html(f, r, b, &o), 0);
    fclose(f);
    assert_int_equal(strlen(buf), len);   /* no NUL in the page */
    return buf;
}

static void has(const char *page, const char *needle)
{
    if (!strstr(page, needle))
        fail_msg("missing from the page: %s", needle);
}

static void lacks(const char *page, const char *needle)
{
    if (strstr(page, needle))
        fail_msg("unexpected in the page: %s", needle);
}

static unsigned count(const char *page, const char *needle)
{
    unsigned n = 0;
    for (const char *p = strstr(page, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The page between the first occurrence of from and the next of to. */
static char *slice(const char *page, const char *from, const char *to)
{
    const char *a = strstr(page, from);
    if (!a)
        fail_msg("missing from the page: %s", from);
    const char *z = strstr(a, to);
    if (!z)
        fail_msg("missing after %s: %s", from, to);
    size_t n = (size_t)(z - a);
    char *s = malloc(n + 1);
    assert_non_null(s);
    memcpy(s, a, n);
    s[n] = '\0';
    return s;
}

/* Every '&' starts one of the five entities the writer uses and every '<'
 * starts markup; bytes are valid UTF-8 without C0 controls other than LF. */
static void well_escaped(const char *page)
{
    static const char *const ents[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
    for (const char *p = page; *p; p++) {
        if (*p == '&') {
            int ok = 0;
            for (size_t i = 0; i < sizeof ents / sizeof ents[0] && !ok; i++)
                ok = !strncmp(p, ents[i], strlen(ents[i]));
            if (!ok)
                fail_msg("bare '&' at: %.40s", p);
        } else if (*p == '<') {
            char n = p[1];
            if (!((n >= 'a' && n <= 'z') || n == '/' || n == '!'))
                fail_msg("bare '<' at: %.40s", p);
        } else if ((unsigned char)*p < 0x20 && *p != '\n') {
            fail_msg("control character 0x%02x in the page", (unsigned char)*p);
        }
    }
}

/* ---- tests ---------------------------------------------------------------------------- */

static void test_document(void **state)
{
    fixture *x = *state;
    char *page = render(&x->r, &x->b);
    assert_true(!strncmp(page, "<!DOCTYPE html>\n<html lang=\"en\">\n", 32));
    has(page, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
              "style-src 'unsafe-inline'; script-src 'unsafe-inline';");
    has(page, "<meta charset=\"utf-8\" />");
    /* nothing that loads: no external references of any kind */
    lacks(page, " src=");
    lacks(page, "<link");
    lacks(page, "url(");
    lacks(page, "@import");
    lacks(page, "href=\"http");
    /* one script, ours, at the end; filters hidden until it runs */
    assert_int_equal(count(page, "<script"), 1);
    has(page, "<form id=\"filters\" hidden=\"hidden\"");
    has(page, "</script>\n</body>\n</html>\n");
    /* print rules */
    has(page, "@media print{");
    /* order: gate, summary, legend, results, waivers, integrity */
    const char *order[] = { "id=\"gate\"", "id=\"summary\"", "id=\"legend\"", "id=\"results\"",
                            "id=\"fn-GV\"", "id=\"waivers\"", "id=\"integrity\"" };
    const char *prev = page;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *at = strstr(page, order[i]);
        if (!at || at < prev)
            fail_msg("%s missing or out of order", order[i]);
        prev = at;
    }
    well_escaped(page);
    free(page);
}

static void test_every_verdict(void **state)
{
    fixture *x = *state;
    char *page = render(&x->r, &x->b);
    assert_int_equal(count(page, "<article class=\"control"), 6);
    static const struct { const char *id, *verdict, *label; } want[] = {
        { "GV.OC-01", "pass", "PASS" },
        { "ID.AM-07", "not_applicable", "NOT APPLICABLE" },
        { "PR.AA-01", "fail", "FAIL" },
        { "DE.CM-01", "error", "ERROR" },
        { "RS.MA-01", "waived", "WAIVED" },
        { "RC.RP-01", "unknown", "UNKNOWN" },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char head[256];
        snprintf(head, sizeof head, "<article class=\"control c-%s\" id=\"ctl-%s\" data-verdict=\"%s\"",
                 want[i].verdict, want[i].id, want[i].verdict);
        has(page, head);
        /* the badge says the verdict in words */
        char *art = slice(page, head, "</article>");
        char badge[128];
        snprintf(badge, sizeof badge, "<h4><span class=\"badge v-%s\">%s</span>", want[i].verdict,
                 want[i].label);
        has(art, badge);
        free(art);
        /* and the legend explains it */
        char legend[128];
        snprintf(legend, sizeof legend, "(<code>%s</code>): ", want[i].verdict);
        has(page, legend);
    }
    /* function and focus attributes for the filters */
    has(page, "id=\"ctl-DE.CM-01\" data-verdict=\"error\" data-function=\"DE\" data-focus=\"defend thwart\"");
    has(page, "id=\"ctl-ID.AM-07\" data-verdict=\"not_applicable\" data-function=\"ID\" data-focus=\"\"");
    /* the unknown legend says missing evidence */
    has(page, "<strong>Unknown</strong> (<code>unknown</code>): Missing evidence");
    /* error message, pass and not-applicable notes */
    has(page, "<strong>Evaluation error:</strong> step budget exceeded (10000000 steps)");
    has(page, "No findings: 2 requirement checks held.");
    has(page, "No findings: nothing in the inventory is in this control&#39;s scope.");
    free(page);
}

static void test_gate_and_summary(void **state)
{
    fixture *x = *state;
    char *page = render(&x->r, &x->b);
    char *gate = slice(page, "<section id=\"gate\"", "</section>");
    has(gate, "class=\"gate failed\"");
    has(gate, "<h2>Gate: FAILED</h2>");
    has(gate, "<code>--fail-on mandatory</code>");
    has(gate, "a <strong>mandatory</strong> control is fail, error or unknown");
    /* the mandatory fail and unknown fail the gate; the advisory error does not */
    has(gate, "2 controls fail the gate");
    has(gate, "<a href=\"#ctl-PR.AA-01\">PR.AA-01</a>");
    has(gate, "<a href=\"#ctl-RC.RP-01\">RC.RP-01</a>");
    lacks(gate, "DE.CM-01");
    free(gate);

    /* the summary tiles and the function x verdict matrix */
    has(page, "<div class=\"tile v-pass\"><span class=\"n\">1</span><span class=\"w\">PASS</span></div>");
    has(page, "<div class=\"tile total\"><span class=\"n\">6</span>");
    char *matrix = slice(page, "<h3>By CSF function</h3>", "</table>");
    has(matrix, "<th scope=\"col\" class=\"num\">Not applicable</th>");
    has(matrix, "<a href=\"#fn-PR\">Protect (PR)</a>");
    has(matrix, "<a href=\"#fn-ID\">(ID)</a>");   /* no CSF name in the bundle */
    /* Protect: 0 pass, 1 fail, ... */
    has(matrix, "Protect (PR)</a></th><td class=\"num zero\">0</td><td class=\"num\">1</td>");
    has(matrix, "<th scope=\"row\">All functions</th><td class=\"num\">1</td>");
    free(matrix);
    char *focus = slice(page, "By focus area and priority", "</table>");
    has(focus, "<tr><th scope=\"row\">Thwart</th><td>1 high</td>");
    free(focus);

    /* gate passed, report-only rule */
    x->r.gate_failed = 0;
    x->r.fail_on = "none";
    char *p2 = render(&x->r, &x->b);
    has(p2, "<h2>Gate: PASSED</h2>");
    has(p2, "report only: the gate never fails.");
    has(p2, "No control fails the gate under this rule.");
    free(p2);
    free(page);
}

static void test_control_details(void **state)
{
    fixture *x = *state;
    char *page = render(&x->r, &x->b);
    char *pr = slice(page, "id=\"ctl-PR.AA-01\"", "</article>");
    has(pr, "<span class=\"cid\">PR.AA-01</span><span class=\"title\">Identities and credentials are managed</span>");
    has(pr, "<dt>Enforcement</dt><dd>mandatory</dd>");
    has(pr, "<dt>Focus areas</dt><dd>Secure \xE2\x80\x94 priority 1 (high)</dd>");
    has(pr, "<dt>Evidence</dt><dd>credential register; vault audit log</dd>");
    has(pr, "<dt>Mappings</dt><dd class=\"maps\"><strong>sp800_53</strong> IA-4, IA-5; "
            "<strong>iso27001</strong> A.5.17</dd>");
    has(pr, "<code>policies/<wbr />pack/<wbr />main.aip:20</code> and 1 more control block for this id");
    /* a violation: kind, subject, message, fact file:line:col and path, policy line */
    has(pr, "<span class=\"kind violation\">Violation</span> <span class=\"subject\">subject "
            "<strong>chatbot</strong></span><span class=\"msg\">credential &quot;svc-bot&quot; is shared</span>");
    has(pr, "<code>facts/<wbr />inv.yaml:12:7</code><span class=\"sub\">fact <code>credentials[1].shared</code></span>");
    has(pr, "<code>policy.aip:20</code>");
    /* missing evidence without file or subject, at the facts root */
    has(pr, "<span class=\"kind missing_evidence\">Missing evidence</span><span class=\"msg\">no rotation date</span>");
    has(pr, "<span class=\"none\">not in a facts file</span><span class=\"sub\">fact <code>(facts root)</code>");
    has(pr, "<caption>2 findings</caption>");
    /* the expired waiver naming this control is listed with it */
    has(pr, "<span class=\"badge w-expired\">EXPIRED</span> <strong>W-2</strong>");
    /* the help text, collapsed, one paragraph per line, labels in bold, escaped */
    has(pr, "<details class=\"help\"><summary>");
    lacks(pr, "<details class=\"help\" open");
    has(pr, "<p>NIST IR 8596 on PR.AA-01.</p>");
    has(pr, "<p><strong>General considerations:</strong> AI agents get their own credentials.</p>");
    has(pr, "<p><strong>Secure (priority 1, high):</strong> rotate &lt;keys&gt; &amp; &quot;secrets&quot;.</p>");
    assert_int_equal(count(pr, "<p>"), 3);
    free(pr);

    /* the attestation control says so; error and no help: no details */
    char *gv = slice(page, "id=\"ctl-GV.OC-01\"", "</article>");
    has(gv, "<dt>Attestation</dt><dd>required: an <code>attestations[]</code> entry");
    has(gv, "before 2025-06-30</dd>");
    has(gv, "<dt>Evidence</dt><dd>board minutes</dd>");
    free(gv);
    char *de = slice(page, "id=\"ctl-DE.CM-01\"", "</article>");
    has(de, "<dt>Enforcement</dt><dd>advisory</dd>");
    has(de, "Defend \xE2\x80\x94 priority 3 (foundational); Thwart \xE2\x80\x94 priority 1 (high)");
    lacks(de, "<details");
    lacks(de, "<dt>Attestation</dt>");
    free(de);
    /* a missing-evidence attestation finding is marked as one */
    char *rc = slice(page, "id=\"ctl-RC.RP-01\"", "</article>");
    has(rc, "<span class=\"tag\">attestation</span>");
    has(rc, "<code>facts/<wbr />more.json:3</code>");   /* column 0 left out */
    free(rc);
    free(page);
}

static void test_categories(void **state)
{
    fixture *x = *state;
    char *page = render(&x->r, &x->b);
    has(page, "<section class=\"function\" id=\"fn-PR\">\n<h2>Protect (PR)<span class=\"counts\">1 control: 1 fail</span></h2>");
    has(page, "<section class=\"category\" id=\"cat-PR.AA\">\n<h3><span class=\"cat\">PR.AA</span>"
              "Identity Management, Authentication, and Access Control</h3>");
    has(page, "<h3><span class=\"cat\">ID.AM</span></h3>");   /* no name in the bundle */
    /* controls out of CSF order are still grouped, each exactly once */
    control_result tmp = x->c[0];
    x->c[0] = x->c[2];
    x->c[2] = tmp;
    char *p2 = render(&x->r, &x->b);
    assert_int_equal(count(p2, "<section class=\"function\""), 6);
    assert_int_equal(count(p2, "<section class=\"category\""), 6);
    assert_int_equal(count(p2, "<article class=\"control"), 6);
    assert_true(strstr(p2, "id=\"fn-PR\"") < strstr(p2, "id=\"fn-GV\""));
    free(p2);
    free(page);
}

static void test_waivers(void **state)
{
    fixture *x = *state;
    char *page = render(&x->r, &x->b);
    /* the waived violation stays listed, with the waiver that accepts it */
    char *rs = slice(page, "id=\"ctl-RS.MA-01\"", "</article>");
    has(rs, "<tr class=\"waived\"><td><span class=\"kind violation\">Violation</span> <span class=\"kind\">(waived)</span>");
    has(rs, "Accepted by waiver <strong>W-1</strong>, approved by ciso@example.com, expires 2026-01-31: "
            "ticket SEC-1: vendor fix due");
    has(rs, "waived:\\x09ticket\\x0aSEC-1");
    has(rs, "<span class=\"badge w-active\">ACTIVE</span> <strong>W-1</strong>");
    free(rs);

    char *ws = slice(page, "<section id=\"waivers\">", "</section>");
    has(ws, "From <code>waivers.yaml</code>: 3 waivers, 1 active, 1 expired, 1 unused.");
    assert_int_equal(count(ws, "<span class=\"badge w-active\">ACTIVE</span>"), 1);
    assert_int_equal(count(ws, "<span class=\"badge w-expired\">EXPIRED</span>"), 1);
    assert_int_equal(count(ws, "<span class=\"badge w-unused\">UNUSED</span>"), 1);
    has(ws, "<a href=\"#ctl-PR.AA-01\">PR.AA-01</a>");
    has(ws, "<code>waivers.yaml:8:3</code>");
    /* the unused waiver: control not in the report, NULL fields, escaped target */
    has(ws, "<td><span class=\"nowrap\"><span class=\"none\">(no id)</span></span></td><td class=\"nowrap\">GV.XX-99</td><td><code>systems[*].&lt;b&gt;</code></td>"
            "<td><span class=\"none\">none given</span></td><td><span class=\"none\">nobody named</span></td>"
            "<td class=\"nowrap\"><span class=\"none\">no date</span></td><td>0</td><td><span class=\"none\">unknown</span></td>");
    free(ws);

    /* no waivers file */
    x->r.waivers_file = NULL;
    x->r.waivers_sha256 = NULL;
    x->r.waivers = NULL;
    x->r.nwaivers = 0;
    x->f_rs[0].waived_by = NULL;
    char *p2 = render(&x->r, &x->b);
    has(p2, "No waivers file was given: no finding is waived.");
    has(p2, "<tr><th scope=\"row\">Waivers file</th><td><span class=\"none\">none given</span></td></tr>");
    lacks(p2, "<tr class=\"waived\">");
    free(p2);
    free(page);
}

static void test_integrity(void **state)
{
    fixture *x = *state;
    char *page = render(&x->r, &x->b);
    char *in = slice(page, "<section id=\"integrity\">", "</section>");
    has(in, "<tr><th scope=\"row\">Tool</th><td>aip " AIP_VERSION "</td></tr>");
    has(in, "SHA-256 <code>9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08</code>");
    has(in, "<tr><td><code>policies/pack/main.aip</code></td><td><code>1111111111111111111111111111111111111111111111111111111111111111</code></td></tr>");
    has(in, "<tr><td><code>policies/pack/lib.aip</code></td>");
    has(in, "<tr><td><code>facts/inv.yaml</code></td><td><code>e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855</code></td></tr>");
    has(in, "<tr><td><code>facts/more.json</code></td><td><code>2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae</code></td></tr>");
    has(in, "<code>params.yaml</code></td><td><code>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</code>");
    has(in, "<code>waivers.yaml</code></td><td><code>bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb</code>");
    has(in, "<td>1 active, 1 expired, 1 unused (<a href=\"#waivers\">list</a>)</td>");
    has(in, "<tr><th scope=\"row\">Evaluation date</th><td>2025-06-30</td></tr>");
    has(in, "<tr><th scope=\"row\">Profile</th><td>sme-baseline</td></tr>");
    has(in, "<code>--fail-on mandatory</code>: gate failed");
    free(in);
    has(page, "<title>aip evaluation report \xE2\x80\x94 profile sme-baseline \xE2\x80\x94 2025-06-30</title>");

    /* no profile, no params file, bundle hash from the bundle */
    x->r.profile = NULL;
    x->r.params_file = NULL;
    x->r.bundle_sha256 = NULL;
    char *p2 = render(&x->r, &x->b);
    has(p2, "<tr><th scope=\"row\">Profile</th><td>none: every control of the bundle</td></tr>");
    has(p2, "<tr><th scope=\"row\">Params file</th><td><span class=\"none\">none given: the policy&#39;s defaults</span>");
    has(p2, "SHA-256 <code>0000000000000000000000000000000000000000000000000000000000000000</code>");
    free(p2);
    free(page);
}

static void test_escaping(void **state)
{
    fixture *x = *state;
    x->f_pr[0].message = "<script>alert('x')</script> & \"q\" \x1b[31m \xC2\x85 \xE2\x80\xAE" "evil "
                         "\xFF bad \xE2\x82 cut \xEF\xBF\xBE ok \xC3\xA9";
    x->f_pr[0].subject = "<img src=x onerror=alert(1)>";
    x->f_pr[0].path = "a[\"<b>\"]";
    x->c[2].title = "T\x7f\x01itle";
    x->c[0].id = "GV.OC-01\"><script>";
    x->r.profile = "p<&>";
    char *page = render(&x->r, &x->b);
    well_escaped(page);
    assert_int_equal(count(page, "<script"), 1);
    lacks(page, "<img");
    has(page, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; \\x1b[31m \\u0085 \\u202Eevil "
              "\xEF\xBF\xBD bad \xEF\xBF\xBD cut \\uFFFE ok \xC3\xA9");
    has(page, "subject <strong>&lt;img src=x onerror=alert(1)&gt;</strong>");
    has(page, "fact <code>a[&quot;&lt;b&gt;&quot;]</code>");
    has(page, "T\\x7f\\x01itle");
    has(page, "id=\"ctl-GV.OC-01&quot;&gt;&lt;script&gt;\"");
    has(page, "<td>p&lt;&amp;&gt;</td>");
    /* an invalid sequence at the very end */
    x->f_pr[0].message = "end \xF0\x9F\x98";
    char *p2 = render(&x->r, &x->b);
    has(p2, "end \xEF\xBF\xBD</span>");
    free(p2);
    free(page);
}

static void test_help_with_nul(void **state)
{
    fixture *x = *state;
    static const char help[] = "Line one\0hidden\nSecond: line";
    x->b.controls.v[x->c[2].bundle_control].help = intern_n(&x->b, help, sizeof help - 1);
    char *page = render(&x->r, &x->b);
    has(page, "<p>Line one\\x00hidden</p>");
    has(page, "<p><strong>Second:</strong> line</p>");
    free(page);
}

static void test_null_fields(void **state)
{
    fixture *x = *state;
    x->c[2].id = NULL;
    x->c[2].title = NULL;
    x->c[3].error = NULL;
    x->f_pr[0].message = NULL;
    x->f_pr[0].path = NULL;
    x->f_pr[0].policy_file = NULL;
    x->r.evaluated_at = NULL;
    x->r.fail_on = NULL;
    x->r.fact_files = NULL;
    x->r.fact_sha256 = NULL;
    char *page = render(&x->r, &x->b);
    well_escaped(page);
    has(page, "<span class=\"cid\">(no id)</span><span class=\"title\"><span class=\"none\">untitled</span>");
    has(page, "error without a message");
    has(page, "<span class=\"none\">no message</span>");
    has(page, "<code>--fail-on mandatory</code>");
    has(page, "<code>(unnamed)</code></td><td><code>unknown</code>");
    free(page);

    /* no bundle at all: no names, help, mappings or sources, still a page */
    char *p2 = render(&x->r, NULL);
    well_escaped(p2);
    assert_int_equal(count(p2, "<article class=\"control"), 6);
    lacks(p2, "<details");
    lacks(p2, "Policy sources");
    has(p2, "<a href=\"#fn-RS\">(RS)</a>");
    free(p2);
}

static void test_zero_controls(void **state)
{
    fixture *x = *state;
    x->r.ncontrols = 0;
    x->r.controls = NULL;
    memset(&x->r.summary, 0, sizeof x->r.summary);
    x->r.gate_failed = 0;
    x->r.nfact_files = 0;
    x->r.nwaivers = 0;
    char *page = render(&x->r, &x->b);
    well_escaped(page);
    has(page, "0 controls (CSF 2.0 subcategories) evaluated.");
    has(page, "No controls were evaluated.");
    lacks(page, "<article");
    lacks(page, "id=\"filters\"");
    has(page, "</html>\n");
    free(page);
}

static void test_long_message(void **state)
{
    fixture *x = *state;
    size_t n = 1u << 20;
    char *msg = malloc(n + 1);
    assert_non_null(msg);
    for (size_t i = 0; i < n; i++)
        msg[i] = (char)('a' + i % 26);
    msg[n] = '\0';
    x->f_pr[0].message = msg;
    char *page = render(&x->r, &x->b);
    has(page, msg);
    free(page);
    free(msg);
}

static void test_deterministic(void **state)
{
    fixture *x = *state;
    char *a = render(&x->r, &x->b);
    char *b = render(&x->r, &x->b);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_write_error(void **state)
{
    fixture *x = *state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    report_opts o = { 0 };
    assert_int_equal(report_html(f, &x->r, &x->b, &o), -1);
    fclose(f);
    /* also through the format table, as the CLI calls it */
    const report_format *fmt = report_format_find("html");
    assert_non_null(fmt);
    assert_ptr_equal(fmt->write, report_html);
    f = fopen("/dev/full", "w");
    assert_non_null(f);
    assert_int_equal(fmt->write(f, &x->r, &x->b, NULL), -1);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_verdict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gate_and_summary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_control_details, setup, teardown),
        cmocka_unit_test_setup_teardown(test_categories, setup, teardown),
        cmocka_unit_test_setup_teardown(test_waivers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_integrity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_help_with_nul, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zero_controls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_message, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_error, setup, teardown),
    };
    return cmocka_run_group_tests_name("report_html", tests, NULL, NULL);
}
