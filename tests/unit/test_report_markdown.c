/* tests/unit/test_report_markdown.c - the Markdown report
 * (runtime/report_markdown.c) over an eval_result and a bundle built by
 * hand: the whole report for a result with every verdict and waivers of
 * every status; the gate line first under every --fail-on; escaping of
 * text from facts; NULL fields; the size limit (a note whose counts add
 * up, a marker under each cut control, never a cut line, table row, UTF-8
 * character or <details> block, at every limit); one huge field; write
 * errors and determinism. */
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

static char *render_max(const eval_result *r, const bundle *b, size_t max)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    report_opts o = { NULL, 0, max };
    assert_int_equal(report_markdown(f, r, b, &o), 0);
    fclose(f);
    return buf;
}

static char *render(const eval_result *r, const bundle *b)
{
    return render_max(r, b, 0);
}

#define assert_has(hay, needle)                                                    \
    do {                                                                           \
        if (!strstr((hay), (needle)))                                              \
            fail_msg("missing: %s\n--- in ---\n%s", (needle), (hay));              \
    } while (0)

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Compare line by line so a failure names the first differing line. */
static void assert_text(const char *got, const char *want)
{
    if (strcmp(got, want) == 0)
        return;
    int line = 1;
    const char *g = got, *w = want;
    while (*g && *g == *w) {
        if (*g == '\n')
            line++;
        g++;
        w++;
    }
    fail_msg("output differs at line %d\n--- got ---\n%s\n--- want ---\n%s", line, got, want);
}

/* Unescaped '|' in a line (a table row's cell borders). */
static size_t pipes(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\') {
            i++;
            continue;
        }
        k += s[i] == '|';
    }
    return k;
}

/* What every Markdown report must be, whatever its size: within max bytes,
 * whole lines, valid UTF-8, no control character but newline, balanced
 * <details>, and every row of a table as many cells as its header. */
static void assert_well_formed(const char *md, size_t max)
{
    size_t n = strlen(md);
    if (n > max)
        fail_msg("%zu bytes, over the limit of %zu", n, max);
    if (n && md[n - 1] != '\n')
        fail_msg("does not end with a whole line (limit %zu)", max);
    const unsigned char *p = (const unsigned char *)md;
    while (*p) {
        if (*p < 0x80) {
            if (*p < 0x20 && *p != '\n')
                fail_msg("raw control byte 0x%02x (limit %zu)", *p, max);
            p++;
            continue;
        }
        int k = (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;
        if (k < 0)
            fail_msg("invalid UTF-8 at offset %td (limit %zu)", (const char *)p - md, max);
        for (int j = 1; j <= k; j++)
            if ((p[j] & 0xC0) != 0x80)
                fail_msg("cut UTF-8 character at offset %td (limit %zu)", (const char *)p - md, max);
        p += k + 1;
    }
    assert_int_equal(count(md, "<details>"), count(md, "</details>"));
    size_t header = 0;
    for (const char *line = md; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = (size_t)(nl - line);
        if (line[0] == '|') {
            size_t k = pipes(line, len);
            if (!header)
                header = k;
            else if (k != header)
                fail_msg("table row with %zu borders under a header of %zu: %.*s", k, header, (int)len, line);
        } else {
            header = 0;
        }
        line = nl + 1;
    }
}

static size_t total_findings(const eval_result *r)
{
    size_t n = 0;
    for (uint32_t i = 0; i < r->ncontrols; i++)
        n += r->controls[i].nfindings;
    return n;
}

/* Findings shown as list items (top level and nested). */
static size_t shown_findings(const char *md)
{
    return count(md, "- **violation**") + count(md, "- **missing evidence**");
}

/* The number after `key` in the truncation note. */
static unsigned long note_number(const char *md, const char *key)
{
    const char *note = strstr(md, "Truncated** to stay within");
    assert_non_null(note);
    const char *p = strstr(note, key);
    assert_non_null(p);
    while (p > note && p[-1] == ' ')
        p--;
    while (p > note && p[-1] >= '0' && p[-1] <= '9')
        p--;
    return strtoul(p, NULL, 10);
}

/* ---- the whole report ----------------------------------------------------------- */

static const char EXPECTED[] =
"## \xe2\x9d\x8c aip gate: FAIL (fail-on mandatory)\n"
"\n"
"**Rule** (fail-on mandatory): a mandatory control that is fail, error or unknown fails the gate; 2 do (1 fail, 0 error, 1 unknown). 6 controls evaluated on 2026-11-27, profile sme-baseline.\n"
"\n"
"| Function | pass | fail | unknown | not\\_applicable | waived | error | total |\n"
"| :-- | --: | --: | --: | --: | --: | --: | --: |\n"
"| GV Govern | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"
"| ID Identify | 0 | 0 | 0 | 1 | 0 | 0 | 1 |\n"
"| PR Protect | 0 | 1 | 0 | 0 | 0 | 0 | 1 |\n"
"| DE Detect | 0 | 0 | 0 | 0 | 0 | 1 | 1 |\n"
"| RS Respond | 0 | 0 | 0 | 0 | 1 | 0 | 1 |\n"
"| RC | 0 | 0 | 1 | 0 | 0 | 0 | 1 |\n"
"| **All** | 1 | 1 | 1 | 1 | 1 | 1 | 6 |\n"
"\n"
"### Needs attention: 3 controls (1 fail, 1 error, 1 unknown)\n"
"\n"
"#### \xe2\x9d\x8c FAIL \xc2\xb7 PR.AA-01 Credentials are managed \xe2\x80\x94 fails the gate\n"
"\n"
"- **violation** (chatbot): credential \"svc-bot\" is shared\n"
"  at facts/inv.yaml:12:7 \xc2\xb7 path credentials\\[1\\].shared \xc2\xb7 policy policy.aip:20\n"
"- **missing evidence**: no rotation date\n"
"  policy policy.aip:22\n"
"- **violation** (chatbot): key in env-var\n"
"  at facts/inv.yaml:14:9 \xc2\xb7 path credentials\\[2\\].store\n"
"  waived by W-2 (approved by cto, expires 2026-10-01): vault migration\n"
"\n"
"#### \xe2\x9b\x94 ERROR \xc2\xb7 DE.CM-01 Networks are monitored (advisory) \xe2\x80\x94 does not fail the gate\n"
"\n"
"- **error**: step budget exceeded (10000000 steps)\n"
"\n"
"#### \xe2\x9d\x93 UNKNOWN \xc2\xb7 RC.RP-01 Recovery plan executed \xe2\x80\x94 fails the gate\n"
"\n"
"- **missing evidence** (rag): backup plan not attested\n"
"  at facts/more.json:3 \xc2\xb7 path systems\\[0\\]\n"
"\n"
"### Other controls: 3 (1 pass, 1 not\\_applicable, 1 waived)\n"
"\n"
"<details><summary>\xe2\x9c\x85 PASS: 1 control</summary>\n"
"\n"
"- GV.OC-01 Mission is understood\n"
"\n"
"</details>\n"
"\n"
"<details><summary>\xe2\x9e\x96 NOT APPLICABLE: 1 control</summary>\n"
"\n"
"- ID.AM-07 Data inventories\n"
"\n"
"</details>\n"
"\n"
"<details><summary>\xf0\x9f\x9b\xa1\xef\xb8\x8f WAIVED: 1 control</summary>\n"
"\n"
"- RS.MA-01 Incident plan executed (advisory) \xe2\x80\x94 waived by W-1 (approved by ciso, expires 2026-12-31): ticket &lt;SEC-1&gt; &amp; \"risk\" accepted\n"
"  - **violation** (ranker): no kill switch\n"
"    path systems\\[2\\].incident\n"
"    waived by W-1\n"
"\n"
"</details>\n"
"\n"
"### Waivers\n"
"\n"
"Waivers file: waivers.yaml, SHA-256 bbbb. 4 waivers: 2 active, 1 expired, 1 unused.\n"
"\n"
"| Waiver | Status | Control | Target | Covers | Expires | Approved by | Reason | Written at |\n"
"| :-- | :-- | :-- | :-- | --: | :-- | :-- | :-- | :-- |\n"
"| W-1 | active | RS.MA-01 | ranker | 1 violation | 2026-12-31 | ciso | ticket &lt;SEC-1&gt; &amp; \"risk\" accepted | waivers.yaml:2:3 |\n"
"| W-2 | active | PR.AA-01 | credentials\\[\\*\\].store | 1 violation | 2026-10-01 | cto | vault migration | waivers.yaml:8:3 |\n"
"| W-3 | expired | PR.AA-01 | chatbot | 0 violations | 2024-01-01 | cto | old exception | waivers.yaml:14:3 |\n"
"| W-4 | unused | ID.AM-07 | nobody | 0 violations | 2027-01-01 | cto | never used | waivers.yaml:20:3 |\n"
"\n"
"### Integrity\n"
"\n"
"- Tool: aip 0.1.0\n"
"- Evaluated at: 2026-11-27\n"
"- Profile: sme-baseline\n"
"- Fail-on: mandatory\n"
"- Bundle SHA-256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n"
"- Params file: params.yaml, SHA-256 aaaa\n"
"- Waivers file: waivers.yaml, SHA-256 bbbb\n"
"- Facts files (2):\n"
"  - facts/inv.yaml, SHA-256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
"  - facts/more.json, SHA-256 2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae\n";

static void test_full_report(void **state)
{
    fixture *x = *state;
    char *md = render(&x->r, &x->b);
    assert_text(md, EXPECTED);
    assert_well_formed(md, 60000);
    free(md);
}

static void test_deterministic(void **state)
{
    fixture *x = *state;
    char *a = render(&x->r, &x->b), *b = render(&x->r, &x->b);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

/* ---- the gate ------------------------------------------------------------------------ */

static void test_gate_rules(void **state)
{
    fixture *x = *state;
    x->r.gate_failed = 0;
    x->r.fail_on = "none";
    char *md = render(&x->r, &x->b);
    assert_true(starts_with(md, "## \xe2\x9c\x85 aip gate: PASS (fail-on none)\n\n**Rule** (fail-on none): the gate "
                            "never fails; 3 controls are fail, error or unknown (1 fail, 1 error, 1 unknown). "));
    free(md);

    x->r.gate_failed = 1;
    x->r.fail_on = "any";
    md = render(&x->r, &x->b);
    assert_has(md, "## \xe2\x9d\x8c aip gate: FAIL (fail-on any)\n\n**Rule** (fail-on any): any control, mandatory or "
                   "advisory, that is fail, error or unknown fails the gate; 3 do (1 fail, 1 error, 1 unknown). ");
    assert_has(md, "#### \xe2\x9b\x94 ERROR \xc2\xb7 DE.CM-01 Networks are monitored (advisory) \xe2\x80\x94 fails the gate\n");
    assert_true(starts_with(md, "## "));
    free(md);

    /* a NULL fail_on is the default rule */
    x->r.fail_on = NULL;
    md = render(&x->r, &x->b);
    assert_true(starts_with(md, "## \xe2\x9d\x8c aip gate: FAIL (fail-on mandatory)\n"));
    free(md);
}

/* No control needs attention, nothing is waived, no waivers file. */
static void test_all_pass(void **state)
{
    (void)state;
    control_result c[2] = {
        { .id = "GV.OC-01", .title = "Mission", .verdict = VERDICT_PASS },
        { .id = "GV.OC-02", .title = "Stakeholders", .verdict = VERDICT_PASS, .enforce = 1 },
    };
    eval_result r;
    memset(&r, 0, sizeof r);
    r.controls = c;
    r.ncontrols = 2;
    r.fail_on = "mandatory";
    r.evaluated_at = "2026-01-02";
    char *md = render(&r, NULL);
    assert_text(md,
        "## \xe2\x9c\x85 aip gate: PASS (fail-on mandatory)\n"
        "\n"
        "**Rule** (fail-on mandatory): a mandatory control that is fail, error or unknown fails the gate; 0 do "
        "(0 fail, 0 error, 0 unknown). 2 controls evaluated on 2026-01-02, all controls (no profile).\n"
        "\n"
        "| Function | pass | fail | unknown | not\\_applicable | waived | error | total |\n"
        "| :-- | --: | --: | --: | --: | --: | --: | --: |\n"
        "| GV | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
        "| **All** | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
        "\n"
        "### Needs attention\n"
        "\n"
        "No control is fail, error or unknown.\n"
        "\n"
        "### Other controls: 2 (2 pass, 0 not\\_applicable, 0 waived)\n"
        "\n"
        "<details><summary>\xe2\x9c\x85 PASS: 2 controls</summary>\n"
        "\n"
        "- GV.OC-01 Mission\n"
        "- GV.OC-02 Stakeholders (advisory)\n"
        "\n"
        "</details>\n"
        "\n"
        "### Waivers\n"
        "\n"
        "No waivers file was given.\n"
        "\n"
        "### Integrity\n"
        "\n"
        "- Tool: aip 0.1.0\n"
        "- Evaluated at: 2026-01-02\n"
        "- Profile: none (all controls)\n"
        "- Fail-on: mandatory\n"
        "- Bundle SHA-256: unknown\n"
        "- Params file: none\n"
        "- Waivers file: none\n"
        "- Facts files (0): none\n");
    free(md);
}

/* No controls at all. */
static void test_empty(void **state)
{
    (void)state;
    eval_result r;
    memset(&r, 0, sizeof r);
    char *md = render(&r, NULL);
    assert_true(starts_with(md, "## \xe2\x9c\x85 aip gate: PASS (fail-on mandatory)\n"));
    assert_has(md, "0 controls evaluated on an unknown date, all controls (no profile).\n");
    assert_has(md, "| **All** | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n");
    assert_null(strstr(md, "### Other controls"));
    assert_has(md, "- Evaluated at: unknown\n");
    assert_well_formed(md, 60000);
    free(md);
}

/* ---- escaping -------------------------------------------------------------------------- */

static void test_escaping(void **state)
{
    fixture *x = *state;
    x->f_pr[0].message = "# Heading | cell *bold* _em_ `code` <img src=x onerror=alert(1)> [link](http://x) "
                         "![i](y) ~~s~~ $x$ @org/team &amp; back\\slash\nnew line\r\x1b[2J\x7f \xc2\x9b "
                         "\xff bad \xc3\xa9t\xc3\xa9";
    x->f_pr[0].subject = "| x |";
    x->f_pr[0].path = "a[*]._b";
    x->f_pr[0].file = "<f>.yaml";
    x->c[2].title = "#1 *title*";
    x->w[1].reason = "pipe | in\na table cell";
    char *md = render(&x->r, &x->b);
    assert_well_formed(md, 60000);
    assert_has(md, "- **violation** (\\| x \\|): \\# Heading \\| cell \\*bold\\* \\_em\\_ \\`code\\` "
                   "&lt;img src=x onerror=alert(1)&gt; \\[link\\](http://x) !\\[i\\](y) \\~\\~s\\~\\~ \\$x\\$ "
                   "@&#8203;org/team &amp;amp; back\\\\slash\\x0anew line\\x0d\\x1b\\[2J\\x7f \\u009b "
                   "\xef\xbf\xbd bad \xc3\xa9t\xc3\xa9\n"
                   "  at &lt;f&gt;.yaml:12:7 \xc2\xb7 path a\\[\\*\\].\\_b \xc2\xb7 policy policy.aip:20\n");
    assert_has(md, "#### \xe2\x9d\x8c FAIL \xc2\xb7 PR.AA-01 \\#1 \\*title\\* \xe2\x80\x94 fails the gate\n");
    assert_has(md, "| W-2 | active | PR.AA-01 | credentials\\[\\*\\].store | 1 violation | 2026-10-01 | cto | "
                   "pipe \\| in\\x0aa table cell | waivers.yaml:8:3 |\n");
    assert_null(strstr(md, "<img"));
    assert_null(strstr(md, "\n# "));
    free(md);
}

/* One enormous field is cut (on a character boundary, after a whole
 * escape) instead of pushing everything else out of the report. */
static void test_long_field(void **state)
{
    fixture *x = *state;
    size_t n = 300000;
    char *msg = malloc(n + 1);
    for (size_t i = 0; i < n; i += 2) {   /* "é" repeated, with a '*' now and then */
        msg[i] = (char)0xc3;
        msg[i + 1] = (char)0xa9;
        if (i % 98 == 0)
            msg[i] = '*', msg[i + 1] = '_';
    }
    msg[n] = '\0';
    x->f_pr[0].message = msg;
    char *md = render(&x->r, &x->b);
    assert_well_formed(md, 60000);
    assert_null(strstr(md, "Truncated"));
    const char *p = strstr(md, "- **violation** (chatbot): ");
    assert_non_null(p);
    p += strlen("- **violation** (chatbot): ");
    const char *nl = strchr(p, '\n');
    assert_true(nl - p <= 1000 + 3);
    assert_memory_equal(nl - 3, "\xe2\x80\xa6", 3);   /* the ellipsis */
    assert_has(md, "### Integrity");
    free(md);
    free(msg);
}

static void test_null_fields(void **state)
{
    (void)state;
    finding f[3] = {
        { .kind = FINDING_VIOLATION },
        { .kind = FINDING_MISSING_EVIDENCE, .file = "f.yaml" },
        { .kind = FINDING_VIOLATION, .waived_by = NULL, .path = "" },
    };
    waiver w = { .status = WAIVER_UNUSED };   /* every string NULL */
    f[2].waived_by = &w;
    control_result c[3] = {
        { .id = NULL, .title = NULL, .verdict = VERDICT_FAIL, .findings = f, .nfindings = 2 },
        { .id = "PR.AA-01", .verdict = VERDICT_ERROR },
        { .id = "PR.AA-02", .verdict = VERDICT_WAIVED, .findings = f + 2, .nfindings = 1 },
    };
    eval_result r;
    memset(&r, 0, sizeof r);
    r.controls = c;
    r.ncontrols = 3;
    r.nfact_files = 1;   /* with NULL arrays */
    r.waivers = &w;
    r.nwaivers = 1;
    char *md = render(&r, NULL);
    assert_well_formed(md, 60000);
    assert_has(md, "| (no function) | 0 | 1 | 0 | 0 | 0 | 0 | 1 |\n| PR | 0 | 0 | 0 | 0 | 1 | 1 | 2 |\n");
    assert_has(md, "#### \xe2\x9d\x8c FAIL \xc2\xb7  \xe2\x80\x94 fails the gate\n\n- **violation**: \n"
                   "- **missing evidence**: \n  at f.yaml\n");
    assert_has(md, "- **error**: error without a message\n");
    assert_has(md, "- PR.AA-02 \xe2\x80\x94 waived by a waiver (approved by ?, expires ?): (no reason)\n"
                   "  - **violation**: \n    waived by a waiver\n");
    assert_has(md, "Waivers file: none. 1 waiver: 0 active, 0 expired, 1 unused.\n");
    assert_has(md, "|  | unused |  |  | 0 violations |  |  |  |  |\n");
    assert_has(md, "- Facts files (1):\n  - (unnamed), SHA-256 unknown\n");
    free(md);
}

/* ---- the size limit ------------------------------------------------------------------- */

enum { BIG_ATTN = 40, BIG_FINDINGS = 120, BIG_PASS = 30, BIG_WAIVERS = 50, BIG_FILES = 4 };

typedef struct big {
    bundle b;
    eval_result r;
    control_result c[BIG_ATTN + BIG_PASS];
    finding f[BIG_ATTN][BIG_FINDINGS];
    waiver w[BIG_WAIVERS];
    char ids[BIG_ATTN + BIG_PASS][16];
    char subjects[BIG_ATTN][BIG_FINDINGS][24];
    const char *files[BIG_FILES], *shas[BIG_FILES];
} big;

/* A result with many failing systems: BIG_ATTN controls of BIG_FINDINGS
 * findings each (one in three missing evidence), BIG_PASS passing ones, and
 * BIG_WAIVERS unused waivers. */
static big *big_new(void)
{
    big *g = calloc(1, sizeof *g);
    assert_non_null(g);
    static const char fn[][3] = { "GV", "ID", "PR", "DE", "RS", "RC" };
    for (uint32_t i = 0; i < BIG_ATTN + BIG_PASS; i++) {
        snprintf(g->ids[i], sizeof g->ids[i], "%s.XX-%02u", fn[i % 6], (unsigned)i);
        control_result *c = &g->c[i];
        c->id = g->ids[i];
        c->title = "A control title that is long enough to matter: \xc3\xa9l\xc3\xa8ve | pipe";
        c->verdict = i < BIG_ATTN ? (i % 3 == 2 ? VERDICT_UNKNOWN : VERDICT_FAIL) : VERDICT_PASS;
        c->enforce = (uint8_t)(i % 4 == 3);
        if (i >= BIG_ATTN)
            continue;
        c->findings = g->f[i];
        c->nfindings = BIG_FINDINGS;
        for (uint32_t k = 0; k < BIG_FINDINGS; k++) {
            snprintf(g->subjects[i][k], sizeof g->subjects[i][k], "sys-%u_%u", (unsigned)i, (unsigned)k);
            g->f[i][k] = (finding){
                .kind = (c->verdict == VERDICT_UNKNOWN || k % 3 == 1) ? FINDING_MISSING_EVIDENCE : FINDING_VIOLATION,
                .message = "generated system has no model recorded, and its credential was last rotated \xe2\x80\x9clong "
                           "ago\xe2\x80\x9d (*see* the inventory)",
                .path = "ai_systems[17].models", .subject = g->subjects[i][k],
                .file = "inventory/generated.yaml", .line = 100 + k, .col = 7,
                .policy_file = "policies/ir8596/identify.aip", .policy_line = 93 };
        }
    }
    for (uint32_t i = 0; i < BIG_WAIVERS; i++)
        g->w[i] = (waiver){ .id = "W-gen", .control = "PR.AA-01", .target = "sys-*", .reason = "bulk waiver",
                            .approved_by = "ciso", .expires = "2027-01-01", .file = "waivers.yaml", .line = 1 + i,
                            .col = 3, .status = (waiver_status)(i % 3) };
    for (uint32_t i = 0; i < BIG_FILES; i++) {
        g->files[i] = "inventory/part.yaml";
        g->shas[i] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    }
    eval_result *r = &g->r;
    r->controls = g->c;
    r->ncontrols = BIG_ATTN + BIG_PASS;
    r->gate_failed = 1;
    r->fail_on = "mandatory";
    r->evaluated_at = "2026-11-27";
    r->bundle_sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    r->fact_files = g->files;
    r->fact_sha256 = g->shas;
    r->nfact_files = BIG_FILES;
    r->waivers_file = "waivers.yaml";
    r->waivers_sha256 = "bbbb";
    r->waivers = g->w;
    r->nwaivers = BIG_WAIVERS;
    return g;
}

/* The default limit: every control that needs attention is still there
 * with its first findings, a marker under it says how many more, the note
 * says how many in all, and shown + left out = all findings. */
static void test_truncation_default(void **state)
{
    (void)state;
    big *g = big_new();
    char *md = render(&g->r, NULL);
    assert_well_formed(md, 60000);
    assert_true(strlen(md) > 50000);   /* the budget is used, not wasted */
    assert_true(starts_with(md, "## \xe2\x9d\x8c aip gate: FAIL (fail-on mandatory)\n"));
    /* the note comes right after the rule, before the table */
    const char *note = strstr(md, "\n> **\xe2\x9a\xa0\xef\xb8\x8f Truncated** to stay within 60000 characters. Left out: ");
    assert_non_null(note);
    assert_true(note < strstr(md, "| Function |"));
    assert_has(md, "For the full report run `aip eval` with `--format html`");
    /* every control that needs attention has its heading */
    assert_int_equal(count(md, "\n#### "), BIG_ATTN);
    for (uint32_t i = 0; i < BIG_ATTN; i++) {
        char key[64];
        snprintf(key, sizeof key, "#### %s", i % 3 == 2 ? "\xe2\x9d\x93 UNKNOWN" : "\xe2\x9d\x8c FAIL");
        assert_has(md, key);
        snprintf(key, sizeof key, "(sys-%u\\_0)", (unsigned)i);   /* and its first finding */
        assert_has(md, key);
    }
    assert_int_equal(count(md, " more findings of this control left out_\n"), BIG_ATTN);
    /* the counts add up */
    unsigned long left = note_number(md, "finding");
    assert_int_equal(shown_findings(md) + left, total_findings(&g->r));
    /* the table, the waivers' summary and the integrity block survive */
    assert_has(md, "| **All** | 30 | 27 | 13 | 0 | 0 | 0 | 70 |\n");
    assert_has(md, "50 waivers: 17 active, 16 expired, 17 unused.\n");
    assert_has(md, "- Bundle SHA-256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n");
    assert_int_equal(count(md, "  - inventory/part.yaml, SHA-256 "), BIG_FILES);
    /* the waivers' rows all fit; the collapsed list of passes did not (what
     * is left of the budget after the findings stopped takes what fits) */
    assert_int_equal(count(md, "| W-gen |"), BIG_WAIVERS);
    unsigned long pass_left = note_number(md, "control");
    size_t pass_shown = count(md, "\\| pipe\n");
    assert_true(pass_left > 0);
    assert_int_equal(pass_left + pass_shown, BIG_PASS);
    char mark[80];
    snprintf(mark, sizeof mark, "_\xe2\x80\xa6 %lu more controls (0 findings) left out here._\n", pass_left);
    assert_has(md, mark);
    assert_int_equal(count(md, "<details>"), 1);
    free(md);
    free(g);
}

/* Every limit from tiny to roomy: never over, never a cut line, row,
 * character or <details>; the gate line first whenever it fits; the
 * counts add up whenever the note is there. */
static void test_truncation_sweep(void **state)
{
    (void)state;
    big *g = big_new();
    size_t gate_len = strlen("## \xe2\x9d\x8c aip gate: FAIL (fail-on mandatory)\n");
    for (size_t max = 1; max < 120000; max = max < 2000 ? max + 37 : max * 5 / 4) {
        char *md = render_max(&g->r, NULL, max);
        assert_well_formed(md, max);
        if (max >= gate_len)
            assert_true(starts_with(md, "## \xe2\x9d\x8c aip gate: FAIL"));
        if (strstr(md, "Truncated** to stay within")) {
            unsigned long left = note_number(md, "finding");
            assert_int_equal(shown_findings(md) + left, total_findings(&g->r));
        }
        free(md);
    }
    /* no limit reached: nothing left out, no note */
    char *md = render_max(&g->r, NULL, 100000000);
    assert_null(strstr(md, "Truncated"));
    assert_int_equal(shown_findings(md), total_findings(&g->r));
    free(md);
    free(g);
}

/* ---- the rest ------------------------------------------------------------------------ */

static void test_write_error(void **state)
{
    fixture *x = *state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    report_opts o = { NULL, 0, 0 };
    assert_int_equal(report_markdown(f, &x->r, &x->b, &o), -1);
    fclose(f);
}

/* Through the format table, as the CLI calls it; NULL options. */
static void test_format_table(void **state)
{
    fixture *x = *state;
    const report_format *f = report_format_find("markdown");
    assert_non_null(f);
    assert_string_equal(f->ext, "md");
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_int_equal(f->write(m, &x->r, &x->b, NULL), 0);
    fclose(m);
    assert_string_equal(buf, EXPECTED);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_full_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gate_rules, setup, teardown),
        cmocka_unit_test(test_all_pass),
        cmocka_unit_test(test_empty),
        cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_field, setup, teardown),
        cmocka_unit_test(test_null_fields),
        cmocka_unit_test(test_truncation_default),
        cmocka_unit_test(test_truncation_sweep),
        cmocka_unit_test_setup_teardown(test_write_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_format_table, setup, teardown),
    };
    return cmocka_run_group_tests_name("report_markdown", tests, NULL, NULL);
}
