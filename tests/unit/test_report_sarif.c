/* tests/unit/test_report_sarif.c - the SARIF 2.1.0 report
 * (runtime/report_sarif.c) over an eval_result and a bundle built by hand:
 * one rule per control with its help and properties, one result per finding
 * with the right kind and level, suppressions for waived findings, error
 * verdicts as notifications, expired and unused waivers, integrity data,
 * URIs relative to --base, stable fingerprints, escaping of hostile text,
 * NULL fields, an empty result, write errors and determinism.
 *
 * The schema itself is checked by tests/report/sarif.sh (ajv on real
 * evaluations); here the assertions are on content. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/bundle.h"
#include "runtime/report.h"
#include "runtime/result.h"

/* ---- a bundle by hand ------------------------------------------------------------ */

static uint32_t intern(bundle *b, const char *s)
{
    for (uint32_t i = 0; i < b->strs.n; i++)
        if (strcmp(b->strs.v[i], s) == 0)
            return i;
    BC_PUSH(b->strs, s);
    BC_PUSH(b->str_lens, (uint32_t)strlen(s));
    return b->strs.n - 1;
}

static uint32_t add_control(bundle *b, const char *id, const char *help, int attest,
                            const char *const *evidence, const char *const *maps)
{
    bc_control c;
    memset(&c, 0, sizeof c);
    c.id = intern(b, id);
    c.title = intern(b, "title from the bundle (unused by writers)");
    c.help = intern(b, help ? help : "");
    c.has_attest = (uint8_t)attest;
    c.file = intern(b, "policies/pack.aip");
    c.line = 10;
    c.evidence = b->evidence_refs.n;
    for (; evidence && *evidence; evidence++, c.nevidence++)
        BC_PUSH(b->evidence_refs, intern(b, *evidence));
    c.maps = b->maps.n;
    for (; maps && maps[0]; maps += 2, c.nmaps++) {
        bc_mapping m = { intern(b, maps[0]), intern(b, maps[1]) };
        BC_PUSH(b->maps, m);
    }
    BC_PUSH(b->controls, c);
    return b->controls.n - 1;
}

static void add_meta(bundle *b, const char *k, const char *v)
{
    bc_meta m = { intern(b, k), intern(b, v) };
    BC_PUSH(b->meta, m);
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

/* ---- the fixture: one control of each verdict ------------------------------------- */

typedef struct fixture {
    bundle b;
    eval_result r;
    control_result c[6];
    finding f_pr[2], f_rc[1], f_rs[1];
    waiver wv[3];
    const char *files[2], *shas[2];
} fixture;

static const char HELP_PR[] =
    "NIST IR 8596 on PR.AA-01.\n"
    "Secure (priority 1, high): give *AI systems* their own <credentials> & keys.\n"
    "- not a list\n"
    "1. not a numbered list";

static int setup(void **state)
{
    fixture *x = calloc(1, sizeof *x);
    assert_non_null(x);
    bundle *b = &x->b;
    static const char *const gv_ev[] = { "asset inventory", NULL };
    static const char *const gv_maps[] = { "sp800_53", "PM-11", "iso27001", "4.2(a)", NULL };
    uint32_t gv = add_control(b, "GV.OC-01", "General considerations: none.", 1, gv_ev, gv_maps);
    uint32_t id = add_control(b, "ID.AM-07", NULL, 0, NULL, NULL);
    uint32_t pr = add_control(b, "PR.AA-01", HELP_PR, 0, NULL, NULL);
    uint32_t de = add_control(b, "DE.CM-01", NULL, 0, NULL, NULL);
    uint32_t rs = add_control(b, "RS.MA-01", NULL, 0, NULL, NULL);
    uint32_t rc = add_control(b, "RC.RP-01", NULL, 0, NULL, NULL);
    add_meta(b, "csf:PR", "Protect");
    add_meta(b, "csf:PR.AA", "Identity Management, Authentication, and Access Control");
    add_meta(b, "source", "policies/pack.aip sha256:1111111111111111111111111111111111111111111111111111111111111111");
    snprintf(b->sha256_hex, sizeof b->sha256_hex, "%064d", 0);

    x->wv[0] = (waiver){ .id = "w-ticket", .control = "RS.MA-01", .target = "ranker",
        .reason = "vendor fix due in Q3", .approved_by = "ciso@example.com", .expires = "2026-12-31",
        .file = "waivers.yaml", .line = 2, .col = 3, .status = WAIVER_ACTIVE, .matched = 1 };
    x->wv[1] = (waiver){ .id = "waivers[1]", .control = "PR.AA-01", .target = "chatbot",
        .reason = "old", .approved_by = "bob", .expires = "2024-01-01",
        .file = "waivers.yaml", .line = 8, .col = 3, .status = WAIVER_EXPIRED };
    x->wv[2] = (waiver){ .id = "waivers[2]", .control = "GV.OC-01", .target = "nobody*",
        .reason = NULL, .approved_by = NULL, .expires = "2027-01-01",
        .file = NULL, .status = WAIVER_UNUSED };

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
        .kind = FINDING_MISSING_EVIDENCE, .message = "backup plan not attested \xff\xfe",
        .path = "systems[0]", .subject = "rag\x1b[2J",
        .file = "facts/more.json", .line = 3, .col = 0,
        .policy_file = "recover.aip", .policy_line = 4 };
    x->f_rs[0] = (finding){
        .kind = FINDING_VIOLATION, .message = "waived:\tticket\nSEC-1",
        .path = "systems[2].incident", .subject = "ranker",
        .file = NULL, .policy_file = NULL, .waived_by = &x->wv[0] };

    control_result *c = x->c;
    c[0] = (control_result){ .id = "GV.OC-01", .title = "The organizational mission is understood",
        .verdict = VERDICT_PASS, .enforce = 0, .focus = 3, .priority = { 1, 2, 0 },
        .bundle_control = gv, .nblocks = 1, .requirements_held = 2 };
    c[1] = (control_result){ .id = "ID.AM-07", .title = "Inventories of data are maintained",
        .verdict = VERDICT_NOT_APPLICABLE, .enforce = 0, .focus = 0,
        .bundle_control = id, .nblocks = 1 };
    c[2] = (control_result){ .id = "PR.AA-01", .title = "Identities and credentials are managed",
        .verdict = VERDICT_FAIL, .enforce = 0, .focus = 1, .priority = { 1, 0, 0 },
        .bundle_control = pr, .nblocks = 1, .findings = x->f_pr, .nfindings = 2 };
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
    r->profile = NULL;
    r->bundle_sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    x->files[0] = "facts/inv.yaml";
    x->files[1] = "facts/more.json";
    x->shas[0] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    x->shas[1] = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    r->fact_files = x->files;
    r->fact_sha256 = x->shas;
    r->nfact_files = 2;
    r->params_file = "params.yaml";
    r->params_sha256 = "3333333333333333333333333333333333333333333333333333333333333333";
    r->waivers_file = "waivers.yaml";
    r->waivers_sha256 = "4444444444444444444444444444444444444444444444444444444444444444";
    r->waivers = x->wv;
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

/* ---- capture and lookup ----------------------------------------------------------- */

typedef struct cap { FILE *f; char *buf; size_t len; } cap;

static FILE *cap_open(cap *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    assert_non_null(c->f);
    return c->f;
}

static char *cap_take(cap *c)
{
    fclose(c->f);
    return c->buf;
}

static char *sarif(const fixture *x, const char *base)
{
    report_opts o = { base, 0, 0 };
    cap c;
    assert_int_equal(report_sarif(cap_open(&c), &x->r, &x->b, &o), 0);
    return cap_take(&c);
}

static int count(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* A copy of the k-th (0-based) result object's text: from its "ruleId" to
 * the next result's, or to the end of the results array. */
static char *result_text(const char *doc, int k)
{
    const char *p = strstr(doc, "\"results\": [");
    assert_non_null(p);
    for (int i = 0; i <= k; i++) {
        p = strstr(p + 1, "\"ruleId\": ");
        assert_non_null(p);
    }
    const char *end = strstr(p + 1, "\"ruleId\": ");
    const char *stop = strstr(p, "\n      ],\n");   /* the end of the results array */
    assert_non_null(stop);
    if (!end || end > stop)
        end = stop;
    size_t n = (size_t)(end - p);
    char *t = malloc(n + 1);
    assert_non_null(t);
    memcpy(t, p, n);
    t[n] = '\0';
    return t;
}

/* The text of rule k (0-based) in tool.driver.rules. */
static char *rule_text(const char *doc, int k)
{
    const char *p = strstr(doc, "\"rules\": [");
    assert_non_null(p);
    for (int i = 0; i <= k; i++) {
        p = strstr(p + 1, "\n            {\n              \"id\": ");
        assert_non_null(p);
    }
    const char *end = strstr(p + 1, "\n            {\n              \"id\": ");
    const char *stop = strstr(p, "\n          ]\n");
    assert_non_null(stop);
    if (!end || end > stop)
        end = stop;
    size_t n = (size_t)(end - p);
    char *t = malloc(n + 1);
    assert_non_null(t);
    memcpy(t, p, n);
    t[n] = '\0';
    return t;
}

#define HAS(s, needle) assert_non_null(strstr((s), (needle)))
#define HASNT(s, needle) assert_null(strstr((s), (needle)))

/* ---- tests -------------------------------------------------------------------------- */

static void test_envelope(void **state)
{
    fixture *x = *state;
    char *got = sarif(x, NULL);
    static const char head[] =
        "{\n  \"$schema\": \"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json\",\n"
        "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": {\n"
        "          \"name\": \"aip\",\n";
    assert_memory_equal(got, head, sizeof head - 1);
    HAS(got, "\"version\": \"0.1.0\"");
    assert_int_equal(got[strlen(got) - 1], '\n');
    assert_int_equal(count(got, "\"runs\": ["), 1);
    free(got);
}

/* One rule per control, in the result's order, with the verdict, level,
 * CSF names, focus, priorities and help. */
static void test_rules(void **state)
{
    fixture *x = *state;
    char *got = sarif(x, NULL);
    static const char *const ids[] = { "GV.OC-01", "ID.AM-07", "PR.AA-01", "DE.CM-01", "RS.MA-01", "RC.RP-01" };
    static const char *const verdicts[] = { "pass", "not_applicable", "fail", "error", "waived", "unknown" };
    static const char *const levels[] = { "error", "error", "error", "warning", "warning", "error" };
    for (int i = 0; i < 6; i++) {
        char *t = rule_text(got, i);
        char want[128];
        snprintf(want, sizeof want, "\"id\": \"%s\"", ids[i]);
        HAS(t, want);
        snprintf(want, sizeof want, "\"verdict\": \"%s\"", verdicts[i]);
        HAS(t, want);
        snprintf(want, sizeof want, "\"defaultConfiguration\": {\n                \"level\": \"%s\"", levels[i]);
        HAS(t, want);
        HAS(t, "\"help\": {");
        HAS(t, "\"markdown\": ");
        free(t);
    }

    char *pr = rule_text(got, 2);
    HAS(pr, "\"shortDescription\": {\n                \"text\": \"Identities and credentials are managed\"");
    HAS(pr, "\"text\": \"PR.AA-01: Identities and credentials are managed (CSF 2.0 Protect (PR) > "
            "Identity Management, Authentication, and Access Control (PR.AA))\"");
    HAS(pr, "\"function_name\": \"Protect\"");
    HAS(pr, "\"category\": \"PR.AA\"");
    HAS(pr, "\"enforcement\": \"mandatory\"");
    HAS(pr, "\"focus/secure\"");
    HAS(pr, "\"csf/PR.AA\"");
    /* help text: subcategory, CSF line, focus with priority names, how it is decided, considerations */
    HAS(pr, "PR.AA-01: Identities and credentials are managed\\n\\nCSF 2.0: Protect (PR) > Identity Management");
    HAS(pr, "Focus areas: secure (priority 1, high)\\n");
    HAS(pr, "Decided by: requirements on the inventory facts");
    HAS(pr, "(policy: policies/pack.aip:10)");
    HAS(pr, "NIST IR 8596 considerations:\\nNIST IR 8596 on PR.AA-01.\\nSecure (priority 1, high): give *AI systems*");
    /* markdown escapes what Markdown would read as markup, and keeps paragraphs */
    HAS(pr, "give \\\\*AI systems\\\\* their own \\\\<credentials\\\\> \\\\& keys.\\n\\n\\\\- not a list\\n\\n1\\\\. not");
    free(pr);

    char *gv = rule_text(got, 0);
    HAS(gv, "Decided by: attestation");
    HAS(gv, "Evidence: asset inventory\\n");
    HAS(gv, "Mappings: sp800_53 PM-11, iso27001 4.2(a)\\n");
    HAS(gv, "sp800\\\\_53 PM-11, iso27001 4.2(a)");   /* markdown: no escape inside a line's "4.2" */
    HAS(gv, "\"attested\": true");
    HAS(gv, "\"priority\": {\n                  \"secure\": 1,\n                  \"defend\": 2\n                }");
    /* no CSF names in the bundle for GV: the ids alone */
    HAS(gv, "CSF 2.0: GV > GV.OC");
    free(gv);

    char *de = rule_text(got, 3);
    HAS(de, "\"error\": \"step budget exceeded (10000000 steps)\"");
    HAS(de, "\"advisory\"");
    free(de);
    free(got);
}

/* One result per finding: violation = fail with the enforcement's level,
 * missing evidence = open with level none; no results for pass or n/a. */
static void test_results(void **state)
{
    fixture *x = *state;
    char *got = sarif(x, NULL);
    assert_int_equal(count(got, "\"ruleId\": "), 4);
    HASNT(got, "\"ruleId\": \"GV.OC-01\"");
    HASNT(got, "\"ruleId\": \"ID.AM-07\"");
    HASNT(got, "\"ruleId\": \"DE.CM-01\"");
    HASNT(got, "\"kind\": \"pass\"");

    char *t = result_text(got, 0);
    HAS(t, "\"ruleId\": \"PR.AA-01\",\n          \"ruleIndex\": 2,\n          \"kind\": \"fail\",\n          \"level\": \"error\",");
    HAS(t, "\"text\": \"credential \\\"svc-bot\\\" is shared\"");
    HAS(t, "\"uri\": \"facts/inv.yaml\",\n                  \"uriBaseId\": \"SRCROOT\",\n                  \"index\": 0");
    HAS(t, "\"startLine\": 12,\n                  \"startColumn\": 7");
    HAS(t, "\"fullyQualifiedName\": \"credentials[1].shared\"");
    HAS(t, "\"relatedLocations\"");
    HAS(t, "\"uri\": \"policy.aip\"");
    /* sha256("aipFinding/v1\0PR.AA-01\0violation\0credentials[1].shared\0schatbot") */
    HAS(t, "\"aipFinding/v1\": \"dda166ea125a6596608600a124028e56beb5fc6766b719781e3cbfc4fede3700\"");
    HAS(t, "\"subject\": \"chatbot\"");
    HASNT(t, "suppressions");
    free(t);

    /* missing evidence with no facts file: open / none, located at the policy */
    t = result_text(got, 1);
    HAS(t, "\"kind\": \"open\",\n          \"level\": \"none\",");
    HAS(t, "\"uri\": \"policy.aip\",\n                  \"uriBaseId\": \"SRCROOT\"\n                },\n"
           "                \"region\": {\n                  \"startLine\": 22,\n                  \"startColumn\": 5");
    HASNT(t, "relatedLocations");
    HASNT(t, "logicalLocations");   /* the root path "" */
    HAS(t, "\"subject\": null");
    HAS(t, "\"aipFinding/v1\": \"ee2fc8f4dbad17d3c9eb497f3f61aeb2b4163439e29f1ddc4b43d379c577314e\"");
    free(t);

    /* waived advisory violation: fail / warning with an accepted suppression */
    t = result_text(got, 2);
    HAS(t, "\"ruleId\": \"RS.MA-01\",\n          \"ruleIndex\": 4,\n          \"kind\": \"fail\",\n          \"level\": \"warning\",");
    HAS(t, "\"suppressions\": [\n            {\n              \"kind\": \"external\",\n              \"status\": \"accepted\",\n"
           "              \"justification\": \"vendor fix due in Q3 (approved by ciso@example.com, expires 2026-12-31)\"");
    HAS(t, "\"uri\": \"waivers.yaml\"");
    HAS(t, "\"index\": 3");                       /* the waivers file is artifact 3 */
    HAS(t, "\"waiver\": \"w-ticket\"");
    HAS(t, "\"approved_by\": \"ciso@example.com\"");
    HAS(t, "\"expires\": \"2026-12-31\"");
    HAS(t, "\"waived_by\": \"w-ticket\"");
    HAS(t, "\"control_verdict\": \"waived\"");
    /* neither a fact nor a policy location: the control block */
    HAS(t, "\"locations\": [\n            {\n              \"physicalLocation\": {\n                \"artifactLocation\": {\n"
           "                  \"uri\": \"policies/pack.aip\",\n                  \"uriBaseId\": \"SRCROOT\"\n                },\n"
           "                \"region\": {\n                  \"startLine\": 10\n");
    free(t);

    /* unknown: open / none; column 0 is left out */
    t = result_text(got, 3);
    HAS(t, "\"ruleId\": \"RC.RP-01\"");
    HAS(t, "\"kind\": \"open\",\n          \"level\": \"none\",");
    HAS(t, "\"startLine\": 3\n");
    HASNT(t, "startColumn\": 0");
    HAS(t, "\"index\": 1");
    free(t);
    free(got);
}

/* Text from facts is escaped by the JSON writer: control characters as
 * \uXXXX or short escapes, invalid UTF-8 as U+FFFD. */
static void test_escaping(void **state)
{
    fixture *x = *state;
    char *got = sarif(x, NULL);
    HAS(got, "\"subject\": \"rag\\u001b[2J\"");
    HASNT(got, "\x1b");
    HAS(got, "\"text\": \"waived:\\tticket\\nSEC-1\"");
    HAS(got, "not attested \xef\xbf\xbd\xef\xbf\xbd\"");
    HASNT(got, "\xff");
    free(got);
}

/* Error verdicts: a notification naming the control, and an unsuccessful
 * execution; expired and unused waivers: configuration notifications. */
static void test_notifications(void **state)
{
    fixture *x = *state;
    char *got = sarif(x, NULL);
    HAS(got, "\"executionSuccessful\": false,\n          \"exitCode\": 1,\n          \"exitCodeDescription\": \"gate failed\"");
    HAS(got, "\"level\": \"error\",\n              \"message\": {\n                \"text\": \"DE.CM-01: step budget exceeded (10000000 steps)\"");
    HAS(got, "\"associatedRule\": {\n                \"id\": \"DE.CM-01\",\n                \"index\": 3");
    HAS(got, "\"text\": \"waiver waivers[1] (control PR.AA-01, target chatbot) expired on 2024-01-01: it waives nothing\"");
    HAS(got, "\"text\": \"waiver waivers[2] (control GV.OC-01, target nobody*) matched no violation\"");
    HAS(got, "\"id\": \"aip/waiver-expired\",\n                \"index\": 1");
    HAS(got, "\"startLine\": 8,\n                      \"startColumn\": 3");
    assert_int_equal(count(got, "\"aip/control-error\""), 2);   /* descriptor and its use */

    /* no error: a successful execution with no execution notification */
    x->c[3].verdict = VERDICT_PASS;
    x->r.gate_failed = 0;
    free(got);
    got = sarif(x, NULL);
    HAS(got, "\"executionSuccessful\": true,\n          \"exitCode\": 0,\n          \"exitCodeDescription\": \"gate passed\"");
    HAS(got, "\"toolExecutionNotifications\": [],");
    free(got);
}

/* Integrity: bundle hash and sources, facts, params and waivers with their
 * hashes, date, profile, gate, summary, waivers with status; artifacts. */
static void test_integrity(void **state)
{
    fixture *x = *state;
    x->r.profile = "sme-baseline";
    char *got = sarif(x, NULL);
    const char *props = strstr(got, "\n      \"properties\": {\n        \"bundle\": {");
    assert_non_null(props);
    HAS(props, "\"sha256\": \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"");
    HAS(props, "\"file\": \"policies/pack.aip\",\n              \"sha256\": \"1111111111111111111111111111111111111111111111111111111111111111\"");
    HAS(props, "\"file\": \"facts/more.json\",\n            \"sha256\": \"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae\"");
    HAS(props, "\"params\": {\n          \"file\": \"params.yaml\",\n          \"sha256\": \"3333");
    HAS(props, "\"waivers\": {\n          \"file\": \"waivers.yaml\",\n          \"sha256\": \"4444");
    HAS(props, "\"evaluated_at\": \"2025-06-30\",\n        \"profile\": \"sme-baseline\",\n        \"fail_on\": \"mandatory\",\n        \"gate\": \"fail\"");
    HAS(props, "\"waived\": 1,\n          \"error\": 1,\n          \"total\": 6");
    HAS(props, "\"id\": \"w-ticket\"");
    HAS(props, "\"status\": \"active\",\n              \"matched\": 1");
    HAS(props, "\"status\": \"expired\"");
    HAS(props, "\"status\": \"unused\",\n              \"matched\": 0,\n              \"location\": {\n                \"file\": null,");
    HAS(props, "\"reason\": null");

    const char *arts = strstr(got, "\"artifacts\": [");
    assert_non_null(arts);
    HAS(arts, "\"uri\": \"facts/inv.yaml\"");
    HAS(arts, "\"roles\": [\n            \"analysisTarget\"\n          ],\n          \"hashes\": {\n            \"sha-256\": \"e3b0");
    HAS(arts, "\"userSpecifiedConfiguration\"");
    assert_true(strstr(arts, "\"automationDetails\"") > strstr(arts, "\"uri\": \"waivers.yaml\""));
    HAS(got, "\"id\": \"aip/sme-baseline/");
    HAS(got, "\"text\": \"aip eval of profile sme-baseline on 2025-06-30\"");
    free(got);

    /* The automation id changes with the inputs, its category does not. */
    char *a = sarif(x, NULL);
    x->r.evaluated_at = "2025-07-01";
    char *b = sarif(x, NULL);
    const char *ia = strstr(a, "\"id\": \"aip/sme-baseline/"), *ib = strstr(b, "\"id\": \"aip/sme-baseline/");
    assert_non_null(ia);
    assert_non_null(ib);
    assert_memory_not_equal(ia, ib, 60);
    free(a);
    free(b);
}

/* URIs: relative to the base, percent-encoded; an absolute name with no
 * base is a file:// URI without a base id. */
static void test_uris(void **state)
{
    fixture *x = *state;
    char *got = sarif(x, "facts");
    HAS(got, "\"uri\": \"inv.yaml\",\n                  \"uriBaseId\": \"SRCROOT\"");
    HAS(got, "\"uri\": \"../policy.aip\"");
    HAS(got, "\"text\": \"The directory given with --base; artifact URIs are relative to it.\"");
    free(got);

    got = sarif(x, "./");
    HAS(got, "\"uri\": \"facts/inv.yaml\"");
    HAS(got, "The working directory of aip eval");
    free(got);

    x->files[0] = "/srv/repo/my facts:v1/inv.yaml";
    x->f_pr[0].file = x->files[0];
    got = sarif(x, NULL);
    HAS(got, "\"uri\": \"file:///srv/repo/my%20facts%3Av1/inv.yaml\",\n                  \"index\": 0");
    free(got);
    got = sarif(x, "/srv/repo/");
    HAS(got, "\"uri\": \"my%20facts%3Av1/inv.yaml\",\n                  \"uriBaseId\": \"SRCROOT\",\n                  \"index\": 0");
    free(got);
    got = sarif(x, "/srv/other");
    HAS(got, "\"uri\": \"../repo/my%20facts%3Av1/inv.yaml\"");
    free(got);

    /* a relative name against an absolute base goes through the working directory */
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    x->files[0] = "facts/inv.yaml";
    x->f_pr[0].file = x->files[0];
    got = sarif(x, cwd);
    HAS(got, "\"uri\": \"facts/inv.yaml\",\n                  \"uriBaseId\": \"SRCROOT\",\n                  \"index\": 0");
    free(got);
}

/* Fingerprints do not depend on lines, messages or files; findings that
 * share control, kind, path and subject are told apart by occurrence. */
static void test_fingerprints(void **state)
{
    fixture *x = *state;
    char *a = sarif(x, NULL);
    x->f_pr[0].line = 99;
    x->f_pr[0].col = 1;
    x->f_pr[0].message = "reworded";
    x->f_pr[0].policy_line = 1;
    char *b = sarif(x, NULL);
    char *ra = result_text(a, 0), *rb = result_text(b, 0);
    const char *fa = strstr(ra, "\"aipFinding/v1\": "), *fb = strstr(rb, "\"aipFinding/v1\": ");
    assert_memory_equal(fa, fb, 84);
    free(ra);
    free(rb);
    free(a);
    free(b);

    /* the second finding becomes a twin of the first */
    x->f_pr[1] = x->f_pr[0];
    a = sarif(x, NULL);
    ra = result_text(a, 0);
    rb = result_text(a, 1);
    HAS(ra, "dda166ea125a6596608600a124028e56beb5fc6766b719781e3cbfc4fede3700");
    /* sha256 of the same with "\0" "2" appended */
    HAS(rb, "31118ab6c92e97ec6e14a2a385dbd042276cffade287e9a3b99691c3c7211aaf");
    free(ra);
    free(rb);
    free(a);
}

/* Descriptions are cut to code scanning's 1024 characters, on a character boundary. */
static void test_long_title(void **state)
{
    fixture *x = *state;
    char *title = malloc(3001);
    assert_non_null(title);
    for (int i = 0; i < 1500; i++)
        memcpy(title + 2 * i, "\xc3\xa9", 2);
    title[3000] = '\0';
    x->c[0].title = title;
    char *got = sarif(x, NULL);
    char *t = rule_text(got, 0);
    const char *sd = strstr(t, "\"shortDescription\": {\n                \"text\": \"");
    assert_non_null(sd);
    sd += strlen("\"shortDescription\": {\n                \"text\": \"");
    const char *q = strchr(sd, '"');
    assert_int_equal(q - sd, 1021 - 1 + 3);    /* 510 x U+00E9 (1020 bytes) and the 3-byte ellipsis */
    assert_memory_equal(q - 3, "\xe2\x80\xa6", 3);
    free(t);
    free(got);
    free(title);
}

/* Nothing evaluated, no bundle, NULL names everywhere: still a whole log. */
static void test_empty(void **state)
{
    (void)state;
    eval_result r;
    memset(&r, 0, sizeof r);
    r.fail_on = "none";
    r.evaluated_at = "2025-01-02";
    report_opts o = { NULL, 0, 0 };
    cap c;
    assert_int_equal(report_sarif(cap_open(&c), &r, NULL, &o), 0);
    char *got = cap_take(&c);
    HAS(got, "\"rules\": []");
    HAS(got, "\"results\": []");
    HAS(got, "\"artifacts\": []");
    HAS(got, "\"executionSuccessful\": true");
    HAS(got, "\"sha256\": null");
    HAS(got, "\"profile\": null");
    HAS(got, "\"id\": \"aip/all/");
    HAS(got, "\"params\": null,\n        \"waivers\": null,");
    free(got);

    /* o == NULL, a control with NULL id and title and a finding of NULLs */
    finding f = { .kind = FINDING_VIOLATION };
    control_result cr = { .verdict = VERDICT_FAIL, .findings = &f, .nfindings = 1 };
    const char *files[1] = { NULL };
    r.controls = &cr;
    r.ncontrols = 1;
    r.fact_files = files;
    r.nfact_files = 1;
    assert_int_equal(report_sarif(cap_open(&c), &r, NULL, NULL), 0);
    got = cap_take(&c);
    HAS(got, "\"ruleId\": \"\"");
    HAS(got, "\"text\": \": a requirement does not hold\"");
    HASNT(got, "\"locations\"");   /* nothing to point at */
    HAS(got, "\"file\": null");
    free(got);
}

static void test_deterministic(void **state)
{
    fixture *x = *state;
    char *a = sarif(x, "facts"), *b = sarif(x, "facts");
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_dev_full(void **state)
{
    fixture *x = *state;
    report_opts o = { NULL, 0, 0 };
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    assert_int_equal(report_sarif(f, &x->r, &x->b, &o), -1);
    fclose(f);
    /* and with the waivers and a base, which take other paths */
    f = fopen("/dev/full", "w");
    assert_non_null(f);
    o.base = "facts";
    assert_int_equal(report_sarif(f, &x->r, &x->b, &o), -1);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_envelope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notifications, setup, teardown),
        cmocka_unit_test_setup_teardown(test_integrity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uris, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fingerprints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_title, setup, teardown),
        cmocka_unit_test(test_empty),
        cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dev_full, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
