/* tests/unit/test_report.c - the JSON and text reports (runtime/report_*.c)
 * over an eval_result and a bundle built by hand: exact JSON output, text
 * with and without colour, escaping of hostile text, write errors. */
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
#include "runtime/facts.h"
#include "runtime/result.h"

/* ---- a bundle by hand (no runtime/bundle.c needed) ---------------------- */

static uint32_t intern(bundle *b, const char *s)
{
    for (uint32_t i = 0; i < b->strs.n; i++)
        if (strcmp(b->strs.v[i], s) == 0)
            return i;
    BC_PUSH(b->strs, s);
    BC_PUSH(b->str_lens, (uint32_t)strlen(s));
    return b->strs.n - 1;
}

/* Add a control block with evidence (NULL-terminated) and maps
 * (framework, ref pairs, NULL-terminated). Returns its index. */
static uint32_t add_control(bundle *b, const char *id, const char *const *evidence,
                            const char *const *maps)
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
}

/* ---- the fixture -------------------------------------------------------------- */

typedef struct fixture {
    bundle b;
    eval_result r;
    control_result c[6];
    finding f_pr[2], f_rc[1], f_rs[1];
    const char *files[2], *shas[2];
    fnode v330, vfalse, vlist, vitems[2];
    fnode *vitemp[2];
    because_item because_pr0[3], because_pr1[1];
} fixture;

static const char LONG_TITLE[] =
    "Identities and credentials for authorized users, services, and hardware are "
    "managed by the organization";

static int setup(void **state)
{
    fixture *x = calloc(1, sizeof *x);
    assert_non_null(x);
    bundle *b = &x->b;
    static const char *const gv_ev[] = { "asset inventory", "data flow diagram", NULL };
    static const char *const gv_maps[] = { "ISO/IEC 42001", "A.5.2", "NIST AI RMF", "GOVERN 1.1", NULL };
    static const char *const pr_ev[] = { "credential register", NULL };
    static const char *const pr2_ev[] = { "second block evidence (not reported)", NULL };
    uint32_t gv = add_control(b, "GV.OC-01", gv_ev, gv_maps);
    uint32_t pr = add_control(b, "PR.AA-01", pr_ev, NULL);
    add_control(b, "PR.AA-01", pr2_ev, NULL);
    uint32_t id = add_control(b, "ID.AM-07", NULL, NULL);
    uint32_t de = add_control(b, "DE.CM-01", NULL, NULL);
    uint32_t rs = add_control(b, "RS.MA-01", NULL, NULL);
    uint32_t rc = add_control(b, "RC.RP-01", NULL, NULL);
    snprintf(b->sha256_hex, sizeof b->sha256_hex, "%064d", 0);

    x->f_pr[0] = (finding){
        .kind = FINDING_VIOLATION, .message = "credential \"svc-bot\" is shared",
        .path = "credentials[1].shared", .subject = "chatbot",
        .file = "facts/inv.yaml", .line = 12, .col = 7,
        .policy_file = "policy.aip", .policy_line = 20, .policy_col = 5 };
    x->f_pr[1] = (finding){
        .kind = FINDING_MISSING_EVIDENCE, .message = "no rotation date",
        .path = "", .subject = NULL, .file = NULL,
        .policy_file = "policy.aip", .policy_line = 22, .policy_col = 5 };
    /* because: a number from the facts, a truncated list, a verdict; an undefined path */
    x->v330 = (fnode){ .kind = FN_INT, .u.i = 330 };
    x->vfalse = (fnode){ .kind = FN_BOOL, .u.b = 0 };
    x->vitems[0] = (fnode){ .kind = FN_STR, .n = 5, .u.s = "a\"b\tc" };
    x->vitems[1] = (fnode){ .kind = FN_DOUBLE, .u.d = 1.5 };
    x->vitemp[0] = &x->vitems[0];
    x->vitemp[1] = &x->vitems[1];
    x->vlist = (fnode){ .kind = FN_LIST, .n = 2, .u.items = x->vitemp };
    x->because_pr0[0] = (because_item){ .expr = "days_since(c.rotated)", .value = &x->v330,
        .file = "facts/inv.yaml", .line = 14, .col = 9 };
    x->because_pr0[1] = (because_item){ .expr = "c.tags", .value = &x->vlist, .truncated = 1 };
    x->because_pr0[2] = (because_item){ .expr = "days_since(c.rotated) <= 90", .value = &x->vfalse };
    x->f_pr[0].because = x->because_pr0;
    x->f_pr[0].nbecause = 3;
    x->because_pr1[0] = (because_item){ .expr = "c.rotation.last", .undefined = "credentials[1].rotation is missing",
        .file = "facts/inv.yaml", .line = 12, .col = 7 };
    x->f_pr[1].because = x->because_pr1;
    x->f_pr[1].nbecause = 1;
    x->f_rc[0] = (finding){
        .kind = FINDING_MISSING_EVIDENCE, .message = "backup plan not attested",
        .path = "systems[0]", .subject = "rag\x1b[2J",
        .file = "facts/more.json", .line = 3, .col = 0,
        .policy_file = "recover.aip", .policy_line = 4 };
    x->f_rs[0] = (finding){
        .kind = FINDING_VIOLATION, .message = "waived:\tticket\nSEC-1",
        .path = "systems[2].incident", .subject = "ranker",
        .file = NULL, .policy_file = NULL };

    control_result *c = x->c;
    c[0] = (control_result){ .id = "GV.OC-01", .title = "The organizational mission is understood",
        .verdict = VERDICT_PASS, .enforce = 0, .focus = 3, .priority = { 1, 2, 0 },
        .bundle_control = gv, .nblocks = 1, .requirements_held = 2 };
    c[1] = (control_result){ .id = "ID.AM-07", .title = "Inventories of data are maintained",
        .verdict = VERDICT_NOT_APPLICABLE, .enforce = 0, .focus = 0,
        .bundle_control = id, .nblocks = 1 };
    c[2] = (control_result){ .id = "PR.AA-01", .title = LONG_TITLE,
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
    r->summary.counts[VERDICT_PASS] = 1;
    r->summary.counts[VERDICT_FAIL] = 1;
    r->summary.counts[VERDICT_UNKNOWN] = 1;
    r->summary.counts[VERDICT_NOT_APPLICABLE] = 1;
    r->summary.counts[VERDICT_WAIVED] = 1;
    r->summary.counts[VERDICT_ERROR] = 1;
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

/* ---- capture ------------------------------------------------------------------ */

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

/* ---- JSON -------------------------------------------------------------------- */

static const char EXPECTED_JSON[] =
"{\n"
"  \"tool\": {\n"
"    \"name\": \"aip\",\n"
"    \"version\": \"0.1.0\"\n"
"  },\n"
"  \"bundle\": {\n"
"    \"sha256\": \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"\n"
"  },\n"
"  \"facts\": [\n"
"    {\n"
"      \"file\": \"facts/inv.yaml\",\n"
"      \"sha256\": \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"\n"
"    },\n"
"    {\n"
"      \"file\": \"facts/more.json\",\n"
"      \"sha256\": \"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae\"\n"
"    }\n"
"  ],\n"
"  \"params\": null,\n"
"  \"waivers\": null,\n"
"  \"evaluated_at\": \"2025-06-30\",\n"
"  \"profile\": null,\n"
"  \"fail_on\": \"mandatory\",\n"
"  \"controls\": [\n"
"    {\n"
"      \"id\": \"GV.OC-01\",\n"
"      \"title\": \"The organizational mission is understood\",\n"
"      \"function\": \"GV\",\n"
"      \"category\": \"GV.OC\",\n"
"      \"verdict\": \"pass\",\n"
"      \"enforce\": \"mandatory\",\n"
"      \"focus\": [\n"
"        \"secure\",\n"
"        \"defend\"\n"
"      ],\n"
"      \"priority\": {\n"
"        \"secure\": 1,\n"
"        \"defend\": 2\n"
"      },\n"
"      \"evidence\": [\n"
"        \"asset inventory\",\n"
"        \"data flow diagram\"\n"
"      ],\n"
"      \"maps\": [\n"
"        {\n"
"          \"framework\": \"ISO/IEC 42001\",\n"
"          \"ref\": \"A.5.2\"\n"
"        },\n"
"        {\n"
"          \"framework\": \"NIST AI RMF\",\n"
"          \"ref\": \"GOVERN 1.1\"\n"
"        }\n"
"      ],\n"
"      \"findings\": []\n"
"    },\n"
"    {\n"
"      \"id\": \"ID.AM-07\",\n"
"      \"title\": \"Inventories of data are maintained\",\n"
"      \"function\": \"ID\",\n"
"      \"category\": \"ID.AM\",\n"
"      \"verdict\": \"not_applicable\",\n"
"      \"enforce\": \"mandatory\",\n"
"      \"focus\": [],\n"
"      \"priority\": {},\n"
"      \"evidence\": [],\n"
"      \"maps\": [],\n"
"      \"findings\": []\n"
"    },\n"
"    {\n"
"      \"id\": \"PR.AA-01\",\n"
"      \"title\": \"Identities and credentials for authorized users, services, and hardware are managed by the organization\",\n"
"      \"function\": \"PR\",\n"
"      \"category\": \"PR.AA\",\n"
"      \"verdict\": \"fail\",\n"
"      \"enforce\": \"mandatory\",\n"
"      \"focus\": [\n"
"        \"secure\"\n"
"      ],\n"
"      \"priority\": {\n"
"        \"secure\": 1\n"
"      },\n"
"      \"evidence\": [\n"
"        \"credential register\"\n"
"      ],\n"
"      \"maps\": [],\n"
"      \"findings\": [\n"
"        {\n"
"          \"kind\": \"violation\",\n"
"          \"message\": \"credential \\\"svc-bot\\\" is shared\",\n"
"          \"path\": \"credentials[1].shared\",\n"
"          \"subject\": \"chatbot\",\n"
"          \"location\": {\n"
"            \"file\": \"facts/inv.yaml\",\n"
"            \"line\": 12,\n"
"            \"column\": 7\n"
"          },\n"
"          \"policy_location\": {\n"
"            \"file\": \"policy.aip\",\n"
"            \"line\": 20\n"
"          },\n"
"          \"waived_by\": null,\n"
"          \"because\": [\n"
"            {\n"
"              \"expr\": \"days_since(c.rotated)\",\n"
"              \"value\": 330,\n"
"              \"undefined\": null,\n"
"              \"truncated\": false,\n"
"              \"location\": {\n"
"                \"file\": \"facts/inv.yaml\",\n"
"                \"line\": 14,\n"
"                \"column\": 9\n"
"              }\n"
"            },\n"
"            {\n"
"              \"expr\": \"c.tags\",\n"
"              \"value\": [\n"
"                \"a\\\"b\\tc\",\n"
"                1.5\n"
"              ],\n"
"              \"undefined\": null,\n"
"              \"truncated\": true,\n"
"              \"location\": null\n"
"            },\n"
"            {\n"
"              \"expr\": \"days_since(c.rotated) <= 90\",\n"
"              \"value\": false,\n"
"              \"undefined\": null,\n"
"              \"truncated\": false,\n"
"              \"location\": null\n"
"            }\n"
"          ]\n"
"        },\n"
"        {\n"
"          \"kind\": \"missing_evidence\",\n"
"          \"message\": \"no rotation date\",\n"
"          \"path\": \"\",\n"
"          \"subject\": null,\n"
"          \"location\": null,\n"
"          \"policy_location\": {\n"
"            \"file\": \"policy.aip\",\n"
"            \"line\": 22\n"
"          },\n"
"          \"waived_by\": null,\n"
"          \"because\": [\n"
"            {\n"
"              \"expr\": \"c.rotation.last\",\n"
"              \"value\": null,\n"
"              \"undefined\": \"credentials[1].rotation is missing\",\n"
"              \"truncated\": false,\n"
"              \"location\": {\n"
"                \"file\": \"facts/inv.yaml\",\n"
"                \"line\": 12,\n"
"                \"column\": 7\n"
"              }\n"
"            }\n"
"          ]\n"
"        }\n"
"      ]\n"
"    },\n"
"    {\n"
"      \"id\": \"DE.CM-01\",\n"
"      \"title\": \"Networks are monitored\",\n"
"      \"function\": \"DE\",\n"
"      \"category\": \"DE.CM\",\n"
"      \"verdict\": \"error\",\n"
"      \"enforce\": \"advisory\",\n"
"      \"focus\": [\n"
"        \"defend\",\n"
"        \"thwart\"\n"
"      ],\n"
"      \"priority\": {\n"
"        \"defend\": 3,\n"
"        \"thwart\": 1\n"
"      },\n"
"      \"evidence\": [],\n"
"      \"maps\": [],\n"
"      \"error\": \"step budget exceeded (10000000 steps)\",\n"
"      \"findings\": []\n"
"    },\n"
"    {\n"
"      \"id\": \"RS.MA-01\",\n"
"      \"title\": \"Incident response plan is executed\",\n"
"      \"function\": \"RS\",\n"
"      \"category\": \"RS.MA\",\n"
"      \"verdict\": \"waived\",\n"
"      \"enforce\": \"advisory\",\n"
"      \"focus\": [\n"
"        \"thwart\"\n"
"      ],\n"
"      \"priority\": {\n"
"        \"thwart\": 2\n"
"      },\n"
"      \"evidence\": [],\n"
"      \"maps\": [],\n"
"      \"findings\": [\n"
"        {\n"
"          \"kind\": \"violation\",\n"
"          \"message\": \"waived:\\tticket\\nSEC-1\",\n"
"          \"path\": \"systems[2].incident\",\n"
"          \"subject\": \"ranker\",\n"
"          \"location\": null,\n"
"          \"policy_location\": null,\n"
"          \"waived_by\": null,\n"
"          \"because\": []\n"
"        }\n"
"      ]\n"
"    },\n"
"    {\n"
"      \"id\": \"RC.RP-01\",\n"
"      \"title\": \"Recovery plan is executed\",\n"
"      \"function\": \"RC\",\n"
"      \"category\": \"RC.RP\",\n"
"      \"verdict\": \"unknown\",\n"
"      \"enforce\": \"mandatory\",\n"
"      \"focus\": [\n"
"        \"secure\",\n"
"        \"defend\",\n"
"        \"thwart\"\n"
"      ],\n"
"      \"priority\": {\n"
"        \"secure\": 3,\n"
"        \"defend\": 3,\n"
"        \"thwart\": 3\n"
"      },\n"
"      \"evidence\": [],\n"
"      \"maps\": [],\n"
"      \"findings\": [\n"
"        {\n"
"          \"kind\": \"missing_evidence\",\n"
"          \"message\": \"backup plan not attested\",\n"
"          \"path\": \"systems[0]\",\n"
"          \"subject\": \"rag\\u001b[2J\",\n"
"          \"location\": {\n"
"            \"file\": \"facts/more.json\",\n"
"            \"line\": 3,\n"
"            \"column\": 0\n"
"          },\n"
"          \"policy_location\": {\n"
"            \"file\": \"recover.aip\",\n"
"            \"line\": 4\n"
"          },\n"
"          \"waived_by\": null,\n"
"          \"because\": []\n"
"        }\n"
"      ]\n"
"    }\n"
"  ],\n"
"  \"summary\": {\n"
"    \"pass\": 1,\n"
"    \"fail\": 1,\n"
"    \"unknown\": 1,\n"
"    \"not_applicable\": 1,\n"
"    \"waived\": 1,\n"
"    \"error\": 1,\n"
"    \"total\": 6\n"
"  },\n"
"  \"gate\": \"fail\"\n"
"}\n";

static void test_json_exact(void **state)
{
    fixture *x = *state;
    cap c;
    assert_int_equal(report_json(cap_open(&c), &x->r, &x->b), 0);
    char *got = cap_take(&c);
    assert_text(got, EXPECTED_JSON);
    free(got);
}

/* Same input, same bytes. */
static void test_json_deterministic(void **state)
{
    fixture *x = *state;
    cap c1, c2;
    assert_int_equal(report_json(cap_open(&c1), &x->r, &x->b), 0);
    assert_int_equal(report_json(cap_open(&c2), &x->r, &x->b), 0);
    char *a = cap_take(&c1), *b = cap_take(&c2);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

/* No controls, a profile, a passing gate, no bundle: the bundle's hash falls
 * back to NULL -> null, evidence and maps to empty. */
static void test_json_empty(void **state)
{
    (void)state;
    eval_result r;
    memset(&r, 0, sizeof r);
    r.fail_on = "none";
    r.evaluated_at = "2025-01-02";
    r.profile = "sme-baseline";
    cap c;
    assert_int_equal(report_json(cap_open(&c), &r, NULL), 0);
    char *got = cap_take(&c);
    assert_text(got,
        "{\n"
        "  \"tool\": {\n"
        "    \"name\": \"aip\",\n"
        "    \"version\": \"0.1.0\"\n"
        "  },\n"
        "  \"bundle\": {\n"
        "    \"sha256\": null\n"
        "  },\n"
        "  \"facts\": [],\n"
        "  \"params\": null,\n"
"  \"waivers\": null,\n"
"  \"evaluated_at\": \"2025-01-02\",\n"
        "  \"profile\": \"sme-baseline\",\n"
        "  \"fail_on\": \"none\",\n"
        "  \"controls\": [],\n"
        "  \"summary\": {\n"
        "    \"pass\": 0,\n"
        "    \"fail\": 0,\n"
        "    \"unknown\": 0,\n"
        "    \"not_applicable\": 0,\n"
        "    \"waived\": 0,\n"
        "    \"error\": 0,\n"
        "    \"total\": 0\n"
        "  },\n"
        "  \"gate\": \"pass\"\n"
        "}\n");
    free(got);
}

/* A result whose bundle index is out of range reports no evidence or maps
 * rather than reading past the table. */
static void test_json_bad_bundle_index(void **state)
{
    fixture *x = *state;
    x->r.ncontrols = 1;
    x->c[0].bundle_control = 999;
    cap c;
    assert_int_equal(report_json(cap_open(&c), &x->r, &x->b), 0);
    char *got = cap_take(&c);
    assert_non_null(strstr(got, "\"evidence\": [],\n      \"maps\": [],\n"));
    free(got);
}

/* ---- text --------------------------------------------------------------------- */

static const char EXPECTED_TEXT[] =
"  PASS     GV.OC-01  The organizational mission is understood\n"
"  N/A      ID.AM-07  Inventories of data are maintained\n"
"  FAIL     PR.AA-01  Identities and credentials for authorized users, services, and hardware are ma\xe2\x80\xa6\n"
"      violation [chatbot]: credential \"svc-bot\" is shared\n"
"        at facts/inv.yaml:12:7 (credentials[1].shared), policy.aip:20\n"
"        because: days_since(c.rotated) = 330 (at facts/inv.yaml:14:9)\n"
"                 c.tags = [\"a\\\"b\\u0009c\", 1.5] ...\n"
"                 days_since(c.rotated) <= 90 is false\n"
"      missing evidence: no rotation date\n"
"        at policy.aip:22\n"
"        because: c.rotation.last is undefined: credentials[1].rotation is missing (at facts/inv.yaml:12:7)\n"
"  ERROR    DE.CM-01  Networks are monitored (advisory)\n"
"      error: step budget exceeded (10000000 steps)\n"
"  WAIVED   RS.MA-01  Incident response plan is executed (advisory)\n"
"      violation [ranker]: waived:\\x09ticket\\x0aSEC-1\n"
"        at (systems[2].incident)\n"
"  UNKNOWN  RC.RP-01  Recovery plan is executed\n"
"      missing evidence [rag\\x1b[2J]: backup plan not attested\n"
"        at facts/more.json:3 (systems[0]), recover.aip:4\n"
"\n"
"6 controls: 1 pass, 1 fail, 1 unknown, 1 not_applicable, 1 waived, 1 error \xe2\x80\x94 gate FAILED (fail-on mandatory)\n";

#define G "\033[32m"
#define R "\033[31m"
#define Y "\033[33m"
#define D "\033[2m"
#define C "\033[36m"
#define Z "\033[0m"

static const char EXPECTED_COLOR_LINES[] =
"  " G "PASS" Z "     GV.OC-01  The organizational mission is understood\n"
"  " D "N/A" Z "      ID.AM-07  Inventories of data are maintained\n"
"  " R "FAIL" Z "     PR.AA-01  Identities and credentials for authorized users, services, and hardware are ma\xe2\x80\xa6\n";

/* Display columns of one line: UTF-8 lead bytes, ANSI sequences skipped. */
static size_t columns(const char *s, size_t n)
{
    size_t cols = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\033') {
            while (i < n && s[i] != 'm')
                i++;
            continue;
        }
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            cols++;
    }
    return cols;
}

static void test_text_plain(void **state)
{
    fixture *x = *state;
    cap c;
    assert_int_equal(report_text(cap_open(&c), &x->r, &x->b, 0), 0);
    char *got = cap_take(&c);
    assert_text(got, EXPECTED_TEXT);
    assert_null(strchr(got, '\033'));   /* no colour, and the subject's ESC escaped */
    /* every control line fits in 100 columns */
    const char *line = got;
    while (*line) {
        const char *nl = strchr(line, '\n');
        if (line[0] == ' ' && line[1] == ' ' && line[2] != ' ')
            assert_true(columns(line, (size_t)(nl - line)) <= 100);
        line = nl + 1;
    }
    static const char cut[] = "  FAIL     PR.AA-01  Identities and credentials for authorized "
                              "users, services, and hardware are ma\xe2\x80\xa6";
    assert_int_equal(columns(cut, sizeof cut - 1), 100);
    free(got);
}

static void test_text_color(void **state)
{
    fixture *x = *state;
    cap c;
    assert_int_equal(report_text(cap_open(&c), &x->r, &x->b, 1), 0);
    char *got = cap_take(&c);
    assert_memory_equal(got, EXPECTED_COLOR_LINES, sizeof EXPECTED_COLOR_LINES - 1);
    assert_non_null(strstr(got, "  " R "ERROR" Z "    DE.CM-01  Networks are monitored (advisory)\n"));
    assert_non_null(strstr(got, "  " C "WAIVED" Z "   RS.MA-01"));
    assert_non_null(strstr(got, "  " Y "UNKNOWN" Z "  RC.RP-01"));
    assert_non_null(strstr(got, "\xe2\x80\x94 \033[1;31mgate FAILED" Z " (fail-on mandatory)\n"));
    /* the only ESC bytes are our own colour sequences */
    assert_null(strstr(got, "\033[2J"));
    free(got);
}

static void test_text_passed(void **state)
{
    (void)state;
    control_result c = { .id = "GV.OC-01", .title = "Mission", .verdict = VERDICT_PASS };
    eval_result r;
    memset(&r, 0, sizeof r);
    r.controls = &c;
    r.ncontrols = 1;
    r.summary.counts[VERDICT_PASS] = 1;
    r.summary.total = 1;
    r.fail_on = "any";
    cap k;
    assert_int_equal(report_text(cap_open(&k), &r, NULL, 0), 0);
    char *got = cap_take(&k);
    assert_text(got,
        "  PASS     GV.OC-01  Mission\n"
        "\n"
        "1 control: 1 pass, 0 fail, 0 unknown, 0 not_applicable, 0 waived, 0 error "
        "\xe2\x80\x94 gate passed (fail-on any)\n");
    free(got);
}

/* A title of multi-byte characters is cut on a character boundary. */
static void test_text_truncate_utf8(void **state)
{
    (void)state;
    char title[400] = "";
    for (int i = 0; i < 100; i++)
        strcat(title, "\xc3\xa9");        /* 100 x U+00E9 */
    control_result c = { .id = "PR.DS-01", .title = title, .verdict = VERDICT_FAIL, .enforce = 1 };
    eval_result r;
    memset(&r, 0, sizeof r);
    r.controls = &c;
    r.ncontrols = 1;
    r.summary.counts[VERDICT_FAIL] = 1;
    r.summary.total = 1;
    cap k;
    assert_int_equal(report_text(cap_open(&k), &r, NULL, 0), 0);
    char *got = cap_take(&k);
    const char *nl = strchr(got, '\n');
    assert_int_equal(columns(got, (size_t)(nl - got)), 100);
    /* 21 columns prefix, 67 x é, the ellipsis, " (advisory)" */
    char want[400] = "  FAIL     PR.DS-01  ";
    for (int i = 0; i < 67; i++)
        strcat(want, "\xc3\xa9");
    strcat(want, "\xe2\x80\xa6 (advisory)\n");
    assert_memory_equal(got, want, strlen(want));
    free(got);

    /* a cut just after a space drops the space before the ellipsis */
    memset(title, 0, sizeof title);
    memset(title, 'x', 77);
    strcat(title, " and more words past the edge");
    c.enforce = 0;
    assert_int_equal(report_text(cap_open(&k), &r, NULL, 0), 0);
    got = cap_take(&k);
    memset(want, 0, sizeof want);
    strcpy(want, "  FAIL     PR.DS-01  ");
    memset(want + strlen(want), 'x', 77);
    strcat(want, "\xe2\x80\xa6\n");
    assert_memory_equal(got, want, strlen(want));
    free(got);
}

/* ---- write errors ----------------------------------------------------------- */

static void test_dev_full(void **state)
{
    fixture *x = *state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    assert_int_equal(report_json(f, &x->r, &x->b), -1);
    fclose(f);
    f = fopen("/dev/full", "w");
    assert_non_null(f);
    assert_int_equal(report_text(f, &x->r, &x->b, 0), -1);
    fclose(f);
    f = fopen("/dev/full", "w");
    assert_non_null(f);
    assert_int_equal(report_text(f, &x->r, &x->b, 1), -1);
    fclose(f);
}

/* ---- names ---------------------------------------------------------------------- */

static void test_names(void **state)
{
    (void)state;
    static const char *const words[] = {
        "not_applicable", "pass", "waived", "unknown", "fail", "error" };
    for (int v = 0; v < VERDICT_COUNT; v++) {
        assert_string_equal(verdict_name((verdict)v), words[v]);
        verdict out = VERDICT_COUNT;
        assert_int_equal(verdict_parse(words[v], &out), 0);
        assert_int_equal(out, v);
    }
    verdict out = VERDICT_PASS;
    assert_int_equal(verdict_parse("PASS", &out), -1);
    assert_int_equal(verdict_parse("", &out), -1);
    assert_int_equal(verdict_parse(NULL, &out), -1);
    assert_int_equal(out, VERDICT_PASS);
    assert_string_equal(verdict_name(VERDICT_COUNT), "invalid");
    assert_string_equal(finding_kind_name(FINDING_VIOLATION), "violation");
    assert_string_equal(finding_kind_name(FINDING_MISSING_EVIDENCE), "missing_evidence");

    assert_int_equal(report_id_function_len("PR.AA-01"), 2);
    assert_int_equal(report_id_category_len("PR.AA-01"), 5);
    assert_int_equal(report_id_function_len("P"), 1);
    assert_int_equal(report_id_category_len("PR.AA"), 5);
    assert_string_equal(report_focus_name(2), "thwart");
    assert_string_equal(report_enforce_name(1), "advisory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_json_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_deterministic, setup, teardown),
        cmocka_unit_test(test_json_empty),
        cmocka_unit_test_setup_teardown(test_json_bad_bundle_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_plain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_color, setup, teardown),
        cmocka_unit_test(test_text_passed),
        cmocka_unit_test(test_text_truncate_utf8),
        cmocka_unit_test_setup_teardown(test_dev_full, setup, teardown),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
