/* tests/unit/test_report_junit.c - the JUnit XML report (runtime/report_junit.c)
 * over an eval_result and a bundle built by hand: suites per CSF function
 * and their counts, how each verdict maps (unknown under every --fail-on),
 * waived findings and waiver reasons, the integrity properties, XML
 * escaping of hostile text and invalid UTF-8, NULL fields, an empty result,
 * write errors and determinism. Schema validation of real reports is
 * tests/report/junit.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_fixture.h"

/* ---- helpers ------------------------------------------------------------------ */

static char *render(const eval_result *r, const bundle *b)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(report_junit(f, r, b, NULL), 0);
    fclose(f);
    return buf;
}

#define assert_has(hay, needle)                                                    \
    do {                                                                           \
        if (!strstr((hay), (needle)))                                              \
            fail_msg("missing: %s\n--- in ---\n%s", (needle), (hay));              \
    } while (0)

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Every byte is valid UTF-8, and no control character but tab and newline
 * appears raw (XML 1.0 forbids the others; CR would be normalized away). */
static void assert_clean_xml_text(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80) {
            if (*p < 0x20 && *p != '\n' && *p != '\t')
                fail_msg("raw control byte 0x%02x at offset %td", *p, (const char *)p - s);
            p++;
            continue;
        }
        int n = (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0 || *p == 0xC0 || *p == 0xC1 || *p > 0xF4)
            fail_msg("invalid UTF-8 lead byte at offset %td", (const char *)p - s);
        if (p[0] == 0xED && p[1] >= 0xA0)
            fail_msg("surrogate at offset %td", (const char *)p - s);
        if (p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)
            fail_msg("non-character U+FFFE/U+FFFF at offset %td", (const char *)p - s);
        for (int k = 1; k <= n; k++)
            if ((p[k] & 0xC0) != 0x80)
                fail_msg("truncated UTF-8 at offset %td", (const char *)p - s);
        p += n + 1;
    }
}

/* The <testsuite ...> start tag whose name attribute is name. */
static const char *suite(const char *xml, const char *name)
{
    char key[128];
    snprintf(key, sizeof key, " name=\"%s\" timestamp=", name);
    const char *p = strstr(xml, key);
    if (!p)
        fail_msg("no testsuite named %s", name);
    while (p > xml && strncmp(p, "<testsuite ", 11) != 0)
        p--;
    return p;
}

/* The testcase element for control id (up to its end). */
static char *testcase(const char *xml, const char *id)
{
    char key[64];
    snprintf(key, sizeof key, "<testcase name=\"%s ", id);
    const char *p = strstr(xml, key);
    if (!p)
        fail_msg("no testcase %s", id);
    const char *end = strstr(p, "\n    <testcase");
    const char *end2 = strstr(p, "\n    <system-out>");
    if (!end || (end2 && end2 < end))
        end = end2;
    size_t n = end ? (size_t)(end - p) : strlen(p);
    char *s = malloc(n + 1);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_suites_and_counts(void **state)
{
    fixture *x = *state;
    char *xml = render(&x->r, &x->b);
    assert_true(strncmp(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) == 0);
    assert_has(xml, "\n<testsuites>\n");
    assert_int_equal(count(xml, "<testsuite "), 6);
    assert_int_equal(count(xml, "<testcase "), 6);
    assert_has(xml, "<testsuite package=\"GV\" id=\"0\" name=\"GV Govern\" timestamp=\"2026-11-27T00:00:00\" "
                    "hostname=\"localhost\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0\">\n"
                    "    <properties>\n");
    assert_has(xml, "<testsuite package=\"ID\" id=\"1\" name=\"ID Identify\" timestamp=\"2026-11-27T00:00:00\" "
                    "hostname=\"localhost\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\" time=\"0\">");
    assert_has(xml, "<testsuite package=\"PR\" id=\"2\" name=\"PR Protect\" timestamp=\"2026-11-27T00:00:00\" "
                    "hostname=\"localhost\" tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\" time=\"0\">");
    assert_has(xml, "<testsuite package=\"DE\" id=\"3\" name=\"DE Detect\" timestamp=\"2026-11-27T00:00:00\" "
                    "hostname=\"localhost\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">");
    assert_has(xml, "<testsuite package=\"RS\" id=\"4\" name=\"RS Respond\" timestamp=\"2026-11-27T00:00:00\" "
                    "hostname=\"localhost\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\" time=\"0\">");
    /* no CSF name in the bundle: the function id alone; unknown (mandatory) fails */
    assert_has(xml, "<testsuite package=\"RC\" id=\"5\" name=\"RC\" timestamp=\"2026-11-27T00:00:00\" "
                    "hostname=\"localhost\" tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\" time=\"0\">");
    assert_int_equal(count(xml, "    <system-out></system-out>\n    <system-err></system-err>\n  </testsuite>\n"), 6);
    size_t n = strlen(xml);
    assert_true(n > 16 && strcmp(xml + n - 14, "</testsuites>\n") == 0);
    assert_clean_xml_text(xml);
    free(xml);
}

static void test_pass_and_fail(void **state)
{
    fixture *x = *state;
    char *xml = render(&x->r, &x->b);
    assert_has(xml, "    <testcase name=\"GV.OC-01 Mission is understood\" classname=\"GV.OC\" time=\"0\"/>\n");
    char *tc = testcase(xml, "PR.AA-01");
    assert_string_equal(tc,
        "<testcase name=\"PR.AA-01 Credentials are managed\" classname=\"PR.AA\" time=\"0\">\n"
        "      <failure type=\"fail\" message=\"1 violation (1 more waived), 1 missing evidence: credential "
        "&quot;svc-bot&quot; is shared\">PR.AA-01 Credentials are managed: fail (mandatory)\n"
        "violation [chatbot]: credential \"svc-bot\" is shared\n"
        "    at facts/inv.yaml:12:7 (credentials[1].shared), policy policy.aip:20\n"
        "missing evidence: no rotation date\n"
        "    at policy policy.aip:22\n"
        "violation [chatbot]: key in env-var\n"
        "    at facts/inv.yaml:14:9 (credentials[2].store)\n"
        "    waived by W-2 (approved by cto, expires 2026-10-01): vault migration\n"
        "</failure>\n"
        "    </testcase>");
    free(tc);
    free(xml);
}

static void test_error_na_waived(void **state)
{
    fixture *x = *state;
    char *xml = render(&x->r, &x->b);
    char *tc = testcase(xml, "DE.CM-01");
    assert_string_equal(tc,
        "<testcase name=\"DE.CM-01 Networks are monitored\" classname=\"DE.CM\" time=\"0\">\n"
        "      <error type=\"error\" message=\"step budget exceeded (10000000 steps)\">DE.CM-01 Networks are "
        "monitored: error (advisory)\n"
        "error: step budget exceeded (10000000 steps)\n"
        "</error>\n"
        "    </testcase>");
    free(tc);
    tc = testcase(xml, "ID.AM-07");
    assert_string_equal(tc,
        "<testcase name=\"ID.AM-07 Data inventories\" classname=\"ID.AM\" time=\"0\">\n"
        "      <skipped message=\"not applicable: nothing in scope\"/>\n"
        "    </testcase>");
    free(tc);
    tc = testcase(xml, "RS.MA-01");
    assert_string_equal(tc,
        "<testcase name=\"RS.MA-01 Incident plan executed\" classname=\"RS.MA\" time=\"0\">\n"
        "      <skipped message=\"waived: ticket &lt;SEC-1&gt; &amp; &quot;risk&quot; accepted\">RS.MA-01 Incident "
        "plan executed: waived (advisory)\n"
        "waived by W-1 (approved by ciso, expires 2026-12-31): ticket &lt;SEC-1&gt; &amp; \"risk\" accepted "
        "(waivers.yaml:2:3)\n"
        "violation [ranker]: no kill switch\n"
        "    at (systems[2].incident)\n"
        "    waived by W-1\n"
        "</skipped>\n"
        "    </testcase>");
    free(tc);
    free(xml);
}

/* Two findings under one waiver give its reason once; two waivers both. */
static void test_waived_reasons(void **state)
{
    fixture *x = *state;
    finding f[3] = { x->f_rs[0], x->f_rs[0], x->f_rs[0] };
    f[2].waived_by = &x->w[1];
    x->c[4].findings = f;
    x->c[4].nfindings = 3;
    char *xml = render(&x->r, &x->b);
    assert_has(xml, "<skipped message=\"waived: ticket &lt;SEC-1&gt; &amp; &quot;risk&quot; accepted; "
                    "vault migration\">");
    free(xml);
}

/* unknown gates under fail-on any, and under mandatory for a mandatory
 * control; it is skipped with "missing evidence" otherwise. */
static void test_unknown_follows_fail_on(void **state)
{
    fixture *x = *state;
    control_result *rc = &x->c[5];
    char *xml = render(&x->r, &x->b);
    char *tc = testcase(xml, "RC.RP-01");
    assert_string_equal(tc,
        "<testcase name=\"RC.RP-01 Recovery plan executed\" classname=\"RC.RP\" time=\"0\">\n"
        "      <failure type=\"unknown\" message=\"missing evidence (1 finding): backup plan not attested\">RC.RP-01 "
        "Recovery plan executed: unknown (mandatory)\n"
        "missing evidence [rag]: backup plan not attested\n"
        "    at facts/more.json:3 (systems[0])\n"
        "</failure>\n"
        "    </testcase>");
    free(tc);
    free(xml);

    rc->enforce = 1;   /* advisory, fail-on mandatory: skipped */
    xml = render(&x->r, &x->b);
    tc = testcase(xml, "RC.RP-01");
    assert_has(tc, "<skipped message=\"missing evidence (1 finding; does not gate: advisory control, fail-on "
                   "mandatory): backup plan not attested\">RC.RP-01 Recovery plan executed: unknown (advisory)\n");
    assert_has(xml, "name=\"RC\" timestamp=\"2026-11-27T00:00:00\" hostname=\"localhost\" tests=\"1\" failures=\"0\" "
                    "errors=\"0\" skipped=\"1\"");
    free(tc);
    free(xml);

    x->r.fail_on = "any";   /* advisory, fail-on any: a failure */
    xml = render(&x->r, &x->b);
    tc = testcase(xml, "RC.RP-01");
    assert_has(tc, "<failure type=\"unknown\" message=\"missing evidence (1 finding): backup plan not attested\">");
    free(tc);
    free(xml);

    rc->enforce = 0;
    x->r.fail_on = "none";   /* nothing gates */
    xml = render(&x->r, &x->b);
    tc = testcase(xml, "RC.RP-01");
    assert_has(tc, "<skipped message=\"missing evidence (1 finding; does not gate: fail-on none): backup plan not "
                   "attested\">");
    free(tc);
    /* a fail is a failure whatever the gate */
    assert_has(xml, "<failure type=\"fail\"");
    assert_has(xml, "<property name=\"aip.fail_on\" value=\"none\"/>");
    free(xml);
}

static void test_integrity_properties(void **state)
{
    fixture *x = *state;
    char *xml = render(&x->r, &x->b);
    static const char props[] =
        "    <properties>\n"
        "      <property name=\"aip.tool\" value=\"aip\"/>\n"
        "      <property name=\"aip.version\" value=\"0.1.0\"/>\n"
        "      <property name=\"aip.bundle.sha256\" value=\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"/>\n"
        "      <property name=\"aip.facts.0.file\" value=\"facts/inv.yaml\"/>\n"
        "      <property name=\"aip.facts.0.sha256\" value=\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"/>\n"
        "      <property name=\"aip.facts.1.file\" value=\"facts/more.json\"/>\n"
        "      <property name=\"aip.facts.1.sha256\" value=\"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae\"/>\n"
        "      <property name=\"aip.params.file\" value=\"params.yaml\"/>\n"
        "      <property name=\"aip.params.sha256\" value=\"aaaa\"/>\n"
        "      <property name=\"aip.waivers.file\" value=\"waivers.yaml\"/>\n"
        "      <property name=\"aip.waivers.sha256\" value=\"bbbb\"/>\n"
        "      <property name=\"aip.evaluated_at\" value=\"2026-11-27\"/>\n"
        "      <property name=\"aip.profile\" value=\"sme-baseline\"/>\n"
        "      <property name=\"aip.fail_on\" value=\"mandatory\"/>\n"
        "      <property name=\"aip.gate\" value=\"fail\"/>\n"
        "      <property name=\"aip.waiver.0.id\" value=\"W-1\"/>\n"
        "      <property name=\"aip.waiver.0.status\" value=\"active\"/>\n"
        "      <property name=\"aip.waiver.0.control\" value=\"RS.MA-01\"/>\n"
        "      <property name=\"aip.waiver.0.target\" value=\"ranker\"/>\n"
        "      <property name=\"aip.waiver.0.matched\" value=\"1\"/>\n"
        "      <property name=\"aip.waiver.0.expires\" value=\"2026-12-31\"/>\n"
        "      <property name=\"aip.waiver.0.approved_by\" value=\"ciso\"/>\n"
        "      <property name=\"aip.waiver.0.reason\" value=\"ticket &lt;SEC-1&gt; &amp; &quot;risk&quot; accepted\"/>\n"
        "      <property name=\"aip.waiver.0.location\" value=\"waivers.yaml:2:3\"/>\n";
    assert_has(xml, props);
    assert_int_equal(count(xml, props), 6);   /* every suite carries it */
    assert_has(xml, "<property name=\"aip.waiver.2.status\" value=\"expired\"/>\n");
    assert_has(xml, "<property name=\"aip.waiver.2.matched\" value=\"0\"/>\n");
    assert_has(xml, "<property name=\"aip.waiver.3.status\" value=\"unused\"/>\n"
                    "      <property name=\"aip.waiver.3.control\" value=\"ID.AM-07\"/>\n");
    assert_has(xml, "<property name=\"aip.waiver.3.location\" value=\"waivers.yaml:20:3\"/>\n    </properties>\n");

    /* no profile, no params or waivers file, no result hash: the bundle's */
    x->r.profile = NULL;
    x->r.params_file = NULL;
    x->r.waivers_file = NULL;
    x->r.nwaivers = 0;
    x->r.bundle_sha256 = NULL;
    free(xml);
    xml = render(&x->r, &x->b);
    assert_has(xml, "<property name=\"aip.profile\" value=\"(all controls)\"/>");
    assert_has(xml, "<property name=\"aip.bundle.sha256\" value=\"0000000000000000000000000000000000000000000000000000000000000000\"/>");
    assert_null(strstr(xml, "aip.params"));
    assert_null(strstr(xml, "aip.waiver"));
    free(xml);
}

/* Hostile text from facts: markup, quotes, control characters, invalid
 * UTF-8, surrogates, non-characters, C1; all escaped or replaced. */
static void test_escaping(void **state)
{
    fixture *x = *state;
    x->f_pr[0].message = "a<b>&\"c\" ]]> \x01\x1b[2J\x7f tab\there\nnext\rret \xff\xfe bad \xed\xa0\x80 surr "
                         "\xef\xbf\xbe nonchar \xc2\x85 nel \xe2\x82 cut \xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80";
    x->f_pr[0].subject = "<script>&amp;";
    x->f_pr[0].file = "dir/\"x\".yaml";
    x->f_pr[0].path = "a['<']";
    x->c[2].title = "T & <t>";
    char *xml = render(&x->r, &x->b);
    assert_clean_xml_text(xml);
    assert_null(strstr(xml, "<script>"));
    assert_null(strstr(xml, "]]>"));
    assert_has(xml, "<testcase name=\"PR.AA-01 T &amp; &lt;t&gt;\" classname=\"PR.AA\" time=\"0\">");
    /* the attribute: quotes, tab, newline and CR as references */
    assert_has(xml, "message=\"1 violation (1 more waived), 1 missing evidence: a&lt;b&gt;&amp;&quot;c&quot; ]]&gt; "
                    "\\x01\\x1b[2J\\x7f tab&#9;here&#10;next&#13;ret \xef\xbf\xbd\xef\xbf\xbd bad "
                    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd surr \xef\xbf\xbd nonchar \\u0085 nel \xef\xbf\xbd cut "
                    "\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80\">");
    /* the body: tab and newline as they are, quotes plain */
    assert_has(xml, "violation [&lt;script&gt;&amp;amp;]: a&lt;b&gt;&amp;\"c\" ]]&gt; \\x01\\x1b[2J\\x7f "
                    "tab\there\nnext&#13;ret ");
    assert_has(xml, "    at dir/\"x\".yaml:12:7 (a['&lt;']), policy policy.aip:20\n");
    free(xml);
}

static void test_null_fields(void **state)
{
    (void)state;
    finding f[2] = {
        { .kind = FINDING_VIOLATION },   /* no message, path, subject, file, policy */
        { .kind = FINDING_MISSING_EVIDENCE, .file = "f.yaml" },
    };
    control_result c[3] = {
        { .id = NULL, .title = NULL, .verdict = VERDICT_FAIL, .findings = f, .nfindings = 2 },
        { .id = "PR.AA-01", .title = NULL, .verdict = VERDICT_ERROR, .error = NULL },
        { .id = "PR.AA-02", .title = "", .verdict = VERDICT_FAIL },   /* fail with no findings */
    };
    eval_result r;
    memset(&r, 0, sizeof r);
    r.controls = c;
    r.ncontrols = 3;
    r.nfact_files = 1;   /* with NULL arrays */
    char *xml = render(&r, NULL);
    assert_clean_xml_text(xml);
    /* an id-less control: its own suite, a classname that is not empty */
    assert_has(xml, "<testsuite package=\"aip\" id=\"0\" name=\"aip\" timestamp=\"1970-01-01T00:00:00\"");
    assert_has(xml, "<testcase name=\"\" classname=\"aip\" time=\"0\">\n"
                    "      <failure type=\"fail\" message=\"1 violation, 1 missing evidence\">: fail (mandatory)\n"
                    "violation: \n"
                    "missing evidence: \n"
                    "    at f.yaml\n"
                    "</failure>");
    assert_has(xml, "<error type=\"error\" message=\"error without a message\">");
    assert_has(xml, "<testcase name=\"PR.AA-02\" classname=\"PR.AA\" time=\"0\">\n"
                    "      <failure type=\"fail\" message=\"0 violations\">PR.AA-02: fail (mandatory)\n</failure>");
    assert_has(xml, "<property name=\"aip.facts.0.file\" value=\"\"/>");
    assert_has(xml, "<property name=\"aip.bundle.sha256\" value=\"\"/>");
    assert_has(xml, "<property name=\"aip.evaluated_at\" value=\"\"/>");
    assert_has(xml, "<property name=\"aip.fail_on\" value=\"mandatory\"/>");
    free(xml);
}

/* No controls: one suite "aip" still carries the integrity data. */
static void test_empty(void **state)
{
    (void)state;
    eval_result r;
    memset(&r, 0, sizeof r);
    r.fail_on = "none";
    r.evaluated_at = "2025-01-02";
    r.bundle_sha256 = "abc";
    char *xml = render(&r, NULL);
    assert_string_equal(xml,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<!-- aip 0.1.0 verdicts: one testsuite per CSF 2.0 function, one testcase per control -->\n"
        "<testsuites>\n"
        "  <testsuite package=\"aip\" id=\"0\" name=\"aip\" timestamp=\"2025-01-02T00:00:00\" hostname=\"localhost\" "
        "tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0\">\n"
        "    <properties>\n"
        "      <property name=\"aip.tool\" value=\"aip\"/>\n"
        "      <property name=\"aip.version\" value=\"0.1.0\"/>\n"
        "      <property name=\"aip.bundle.sha256\" value=\"abc\"/>\n"
        "      <property name=\"aip.evaluated_at\" value=\"2025-01-02\"/>\n"
        "      <property name=\"aip.profile\" value=\"(all controls)\"/>\n"
        "      <property name=\"aip.fail_on\" value=\"none\"/>\n"
        "      <property name=\"aip.gate\" value=\"pass\"/>\n"
        "    </properties>\n"
        "    <system-out></system-out>\n"
        "    <system-err></system-err>\n"
        "  </testsuite>\n"
        "</testsuites>\n");
    free(xml);
}

/* A malformed date cannot reach the timestamp attribute. */
static void test_bad_date(void **state)
{
    fixture *x = *state;
    static const char *const bad[] = { "2026-11-2", "2026/11/27", "20261127xx", "\"><x y=\"", NULL };
    for (int i = 0; bad[i]; i++) {
        x->r.evaluated_at = bad[i];
        char *xml = render(&x->r, &x->b);
        assert_has(xml, "timestamp=\"1970-01-01T00:00:00\"");
        assert_null(strstr(xml, "<x y"));
        free(xml);
    }
}

/* Controls of one function that are not adjacent share one suite, at the
 * place of the function's first control. */
static void test_interleaved_functions(void **state)
{
    fixture *x = *state;
    control_result c[3] = { x->c[0], x->c[2], x->c[0] };
    c[2].id = "GV.OC-02";
    c[2].verdict = VERDICT_FAIL;
    x->r.controls = c;
    x->r.ncontrols = 3;
    char *xml = render(&x->r, &x->b);
    assert_int_equal(count(xml, "<testsuite "), 2);
    const char *gv = suite(xml, "GV Govern"), *pr = suite(xml, "PR Protect");
    assert_true(gv < pr);
    assert_has(gv, "id=\"0\" name=\"GV Govern\" timestamp=\"2026-11-27T00:00:00\" hostname=\"localhost\" tests=\"2\" "
                   "failures=\"1\" errors=\"0\" skipped=\"0\"");
    const char *oc2 = strstr(xml, "<testcase name=\"GV.OC-02 ");
    assert_non_null(oc2);
    assert_true(oc2 < pr);
    free(xml);
}

static void test_write_error(void **state)
{
    fixture *x = *state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    assert_int_equal(report_junit(f, &x->r, &x->b, NULL), -1);
    fclose(f);
}

static void test_deterministic(void **state)
{
    fixture *x = *state;
    char *a = render(&x->r, &x->b), *b = render(&x->r, &x->b);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

/* Through the format table, as the CLI calls it. */
static void test_format_table(void **state)
{
    fixture *x = *state;
    const report_format *f = report_format_find("junit");
    assert_non_null(f);
    assert_string_equal(f->ext, "xml");
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    report_opts o = { NULL, 0, 0 };
    assert_int_equal(f->write(m, &x->r, &x->b, &o), 0);
    fclose(m);
    char *direct = render(&x->r, &x->b);
    assert_string_equal(buf, direct);
    free(buf);
    free(direct);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_suites_and_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pass_and_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_na_waived, setup, teardown),
        cmocka_unit_test_setup_teardown(test_waived_reasons, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_follows_fail_on, setup, teardown),
        cmocka_unit_test_setup_teardown(test_integrity_properties, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
        cmocka_unit_test(test_null_fields),
        cmocka_unit_test(test_empty),
        cmocka_unit_test_setup_teardown(test_bad_date, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interleaved_functions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_format_table, setup, teardown),
    };
    return cmocka_run_group_tests_name("report_junit", tests, NULL, NULL);
}
