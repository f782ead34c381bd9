/* tests/unit/test_report_oscal.c - the OSCAL assessment-results writer
 * (runtime/report_oscal.c) and name-based UUIDs (runtime/uuid.c), over an
 * eval_result and a bundle built by hand. The output is read back with
 * aip's own strict JSON parser (runtime/facts_json.c) and checked field by
 * field: the verdict mapping, observations and evidence, waivers as risks
 * and resources, integrity data, escaping of hostile text, UUIDs (version 5,
 * unique, resolvable, deterministic), odd and empty data, write errors.
 * Schema validity is checked by tests/report/oscal.sh with ajv. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/bundle.h"
#include "runtime/facts.h"
#include "runtime/report.h"
#include "runtime/result.h"
#include "runtime/uuid.h"

/* ---- UUIDs ------------------------------------------------------------------- */

static void uuid_text(const aip_uuid *u, char out[AIP_UUID_TEXT + 1])
{
    aip_uuid_format(u, out);
}

static void test_uuid5_vectors(void **state)
{
    (void)state;
    char t[AIP_UUID_TEXT + 1];
    /* Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") */
    aip_uuid u = aip_uuid5(&aip_uuid_ns_dns, "python.org", 10);
    uuid_text(&u, t);
    assert_string_equal(t, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
    /* aip's namespace: uuid5(NAMESPACE_URL, "https://aip.dev/ns/oscal"),
     * the constant in report_oscal.c */
    u = aip_uuid5(&aip_uuid_ns_url, "https://aip.dev/ns/oscal", 24);
    uuid_text(&u, t);
    assert_string_equal(t, "043b4d36-c61e-5643-920a-c34ad5fa8a39");

    /* pieces hash like their concatenation; NULL pieces are empty */
    const char *part[4] = { "finding", "/", NULL, "PR.AA-01" };
    size_t len[4] = { 7, 1, 5, 8 };
    aip_uuid a = aip_uuid5_parts(&aip_uuid_ns_url, 4, part, len);
    aip_uuid b = aip_uuid5(&aip_uuid_ns_url, "finding/PR.AA-01", 16);
    assert_memory_equal(a.b, b.b, 16);

    /* version 5 and the RFC variant, whatever the name */
    for (int i = 0; i < 200; i++) {
        char name[16];
        snprintf(name, sizeof name, "n%d", i);
        u = aip_uuid5(&aip_uuid_ns_dns, name, strlen(name));
        assert_int_equal(u.b[6] >> 4, 5);
        assert_int_equal(u.b[8] & 0xC0, 0x80);
    }

    /* text round trip, either case; malformed text refused */
    aip_uuid back;
    assert_int_equal(aip_uuid_parse("886313E1-3B8A-5372-9B90-0C9AEE199E5D", &back), 0);
    u = aip_uuid5(&aip_uuid_ns_dns, "python.org", 10);
    assert_memory_equal(back.b, u.b, 16);
    assert_int_equal(aip_uuid_parse("886313e1-3b8a-5372-9b90-0c9aee199e5", &back), -1);
    assert_int_equal(aip_uuid_parse("886313e1-3b8a-5372-9b90-0c9aee199e5d0", &back), -1);
    assert_int_equal(aip_uuid_parse("886313e13b8a-5372-9b90-0c9aee199e5d0", &back), -1);
    assert_int_equal(aip_uuid_parse("886313g1-3b8a-5372-9b90-0c9aee199e5d", &back), -1);
    assert_int_equal(aip_uuid_parse("", &back), -1);
    assert_int_equal(aip_uuid_parse(NULL, &back), -1);
}

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

/* A control block; with_require gives it a body holding a REQUIRE. */
static uint32_t add_control(bundle *b, const char *id, const char *const *evidence, const char *const *maps,
                            int attest, int with_require)
{
    bc_control c;
    memset(&c, 0, sizeof c);
    c.id = intern(b, id);
    c.title = intern(b, "title from the bundle (unused by writers)");
    c.has_attest = (uint8_t)attest;
    c.evidence = b->evidence_refs.n;
    for (; evidence && *evidence; evidence++, c.nevidence++)
        BC_PUSH(b->evidence_refs, intern(b, *evidence));
    c.maps = b->maps.n;
    for (; maps && maps[0]; maps += 2, c.nmaps++) {
        bc_mapping m = { intern(b, maps[0]), intern(b, maps[1]) };
        BC_PUSH(b->maps, m);
    }
    bc_func f;
    memset(&f, 0, sizeof f);
    f.kind = BC_FUNC_CONTROL;
    f.start = b->code.n;
    if (with_require) {
        BC_PUSH(b->code, BC_WORD(OP_REQUIRE, 0));
        BC_PUSH(b->code, 0u);
    }
    BC_PUSH(b->code, BC_WORD(OP_END, 0));
    f.len = b->code.n - f.start;
    c.func = b->funcs.n;
    BC_PUSH(b->funcs, f);
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
    aip_free(b->funcs.v);
    aip_free(b->code.v);
}

/* ---- the fixture: one control of each verdict, three waivers ------------- */

typedef struct fixture {
    bundle b;
    eval_result r;
    control_result c[6];
    finding f_pr[2], f_rc[1], f_rs[2];
    waiver w[3];
    const char *files[2], *shas[2];
} fixture;

static int setup(void **state)
{
    fixture *x = calloc(1, sizeof *x);
    assert_non_null(x);
    bundle *b = &x->b;
    static const char *const gv_ev[] = { "mission statement", NULL };
    static const char *const gv_maps[] = { "NIST SP 800-53", "PM-11", NULL };
    static const char *const pr_ev[] = { "credential register", NULL };
    uint32_t gv = add_control(b, "GV.OC-01", gv_ev, gv_maps, 1, 0);
    uint32_t id = add_control(b, "ID.AM-07", NULL, NULL, 0, 1);
    uint32_t pr = add_control(b, "PR.AA-01", pr_ev, NULL, 0, 1);
    add_control(b, "PR.AA-01", NULL, NULL, 1, 0);   /* a second block: attest */
    uint32_t de = add_control(b, "DE.CM-01", NULL, NULL, 0, 1);
    uint32_t rs = add_control(b, "RS.MA-01", NULL, NULL, 0, 1);
    uint32_t rc = add_control(b, "RC.RP-01", NULL, NULL, 1, 0);
    snprintf(b->sha256_hex, sizeof b->sha256_hex, "%064d", 0);

    x->w[0] = (waiver){ .id = "w-ir", .control = "RS.MA-01", .target = "systems[*].incident",
        .reason = "tabletop <b>exercise</b> scheduled", .approved_by = "ciso", .expires = "2025-12-31",
        .file = "waivers.yaml", .line = 2, .col = 3, .status = WAIVER_ACTIVE, .matched = 2 };
    x->w[1] = (waiver){ .id = "w-old", .control = "PR.AA-01", .target = "chatbot",
        .reason = "rotation frozen", .approved_by = "ciso", .expires = "2025-01-31",
        .file = "waivers.yaml", .line = 8, .col = 3, .status = WAIVER_EXPIRED, .matched = 0 };
    x->w[2] = (waiver){ .id = "waivers[3]", .control = "ID.AM-07", .target = "nothing",
        .reason = "  spaces around  ", .approved_by = "cto", .expires = "2026-02-30",
        .file = "waivers.yaml", .line = 14, .col = 3, .status = WAIVER_UNUSED, .matched = 0 };

    x->f_pr[0] = (finding){
        .kind = FINDING_VIOLATION, .message = "credential \"svc-bot\" is *shared*",
        .path = "credentials[1].shared", .subject = "chatbot",
        .file = "facts/inv.yaml", .line = 12, .col = 7,
        .policy_file = "policy.aip", .policy_line = 20, .policy_col = 5 };
    x->f_pr[1] = (finding){
        .kind = FINDING_MISSING_EVIDENCE, .message = "no date for `cred[\"k\"] < x_y` in key_list[0], it`s _x_",
        .path = "", .subject = NULL, .file = NULL,
        .policy_file = "policy.aip", .policy_line = 22, .policy_col = 5 };
    x->f_rc[0] = (finding){
        .kind = FINDING_MISSING_EVIDENCE, .message = "no attestation for RC.RP-01 \xe2\x80\xa8 bad \xff byte",
        .path = "attestations", .subject = "rag\x1b[2J",
        .file = "facts/my facts:v2.json", .line = 3, .col = 0,
        .policy_file = "recover.aip", .policy_line = 4 };
    x->f_rs[0] = (finding){
        .kind = FINDING_VIOLATION, .message = "waived:\tticket\nSEC-1",
        .path = "systems[2].incident", .subject = "ranker",
        .file = NULL, .policy_file = NULL, .waived_by = &x->w[0] };
    x->f_rs[1] = (finding){
        .kind = FINDING_VIOLATION, .message = "<script>alert(1)</script>",
        .path = "systems[3].incident", .subject = " ",
        .file = "facts/inv.yaml", .line = 40, .col = 1,
        .policy_file = "respond.aip", .policy_line = 9, .waived_by = &x->w[0] };

    control_result *c = x->c;
    c[0] = (control_result){ .id = "GV.OC-01", .title = "The organizational mission is understood",
        .verdict = VERDICT_PASS, .enforce = 0, .focus = 3, .priority = { 1, 2, 0 },
        .bundle_control = gv, .nblocks = 1, .requirements_held = 2 };
    c[1] = (control_result){ .id = "ID.AM-07", .title = "Inventories of data are maintained",
        .verdict = VERDICT_NOT_APPLICABLE, .bundle_control = id, .nblocks = 1 };
    c[2] = (control_result){ .id = "PR.AA-01", .title = "Identities and credentials are managed",
        .verdict = VERDICT_FAIL, .enforce = 0, .focus = 1, .priority = { 1, 0, 0 },
        .bundle_control = pr, .nblocks = 2, .findings = x->f_pr, .nfindings = 2 };
    c[3] = (control_result){ .id = "DE.CM-01", .title = "Networks are monitored",
        .verdict = VERDICT_ERROR, .enforce = 1, .focus = 6, .priority = { 0, 3, 1 },
        .bundle_control = de, .nblocks = 1, .error = "step budget exceeded (10000000 steps)" };
    c[4] = (control_result){ .id = "RS.MA-01", .title = "Incident response plan is executed",
        .verdict = VERDICT_WAIVED, .enforce = 1, .focus = 4, .priority = { 0, 0, 2 },
        .bundle_control = rs, .nblocks = 1, .findings = x->f_rs, .nfindings = 2 };
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
    x->files[1] = "facts/my facts:v2.json";
    x->shas[0] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    x->shas[1] = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    r->fact_files = x->files;
    r->fact_sha256 = x->shas;
    r->nfact_files = 2;
    r->params_file = "params.yaml";
    r->params_sha256 = "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9";
    r->waivers_file = "waivers.yaml";
    r->waivers_sha256 = "3b5d5c3712955042212316173ccf37be800c2ff1e4a2c24b1a5e7b7f1e2b4c3d";
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

/* ---- writing and reading back ------------------------------------------------ */

typedef struct doc {
    char *text;
    size_t len;
    facts *f;
    const fnode *ar;    /* the assessment-results object */
    const fnode *res;   /* results[0] */
} doc;

static char *write_report(const eval_result *r, const bundle *b, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    assert_int_equal(report_oscal(f, r, b, NULL), 0);
    fclose(f);
    if (len)
        *len = n;
    return buf;
}

static const fnode *get(const fnode *m, const char *key)
{
    assert_non_null(m);
    assert_int_equal(m->kind, FN_MAP);
    const fnode *v = fnode_get(m, key, strlen(key));
    if (!v)
        fail_msg("no key \"%s\"", key);
    return v;
}

static const fnode *opt(const fnode *m, const char *key)
{
    return fnode_get(m, key, strlen(key));
}

static const char *str(const fnode *n)
{
    assert_non_null(n);
    assert_int_equal(n->kind, FN_STR);
    return n->u.s;
}

static const char *sget(const fnode *m, const char *key)
{
    return str(get(m, key));
}

static const fnode *at(const fnode *list, uint32_t i)
{
    assert_non_null(list);
    assert_int_equal(list->kind, FN_LIST);
    assert_true(i < list->n);
    return list->u.items[i];
}

/* The value of the first prop called name (and of class cls when not NULL), or NULL. */
static const char *prop(const fnode *obj, const char *name, const char *cls)
{
    const fnode *props = opt(obj, "props");
    for (uint32_t i = 0; props && i < props->n; i++) {
        const fnode *p = props->u.items[i];
        const fnode *c = opt(p, "class");
        if (strcmp(sget(p, "name"), name) == 0 && (!cls || (c && strcmp(str(c), cls) == 0))) {
            assert_string_equal(sget(p, "ns"), "https://aip.dev/ns/oscal");
            return sget(p, "value");
        }
    }
    return NULL;
}

static void doc_read(doc *d, const eval_result *r, const bundle *b)
{
    d->text = write_report(r, b, &d->len);
    d->f = facts_new();
    aip_error err;
    memset(&err, 0, sizeof err);
    if (facts_load_buffer(d->f, "oscal.json", d->text, d->len, FACTS_JSON, &err) != 0)
        fail_msg("the report is not JSON: %s:%u:%u: %s\n%s", err.file, err.line, err.col, err.msg, d->text);
    assert_int_equal(d->text[d->len - 1], '\n');
    d->ar = get(facts_root(d->f), "assessment-results");
    const fnode *results = get(d->ar, "results");
    assert_int_equal(results->n, 1);
    d->res = at(results, 0);
}

static void doc_free(doc *d)
{
    facts_free(d->f);
    free(d->text);
}

/* The finding whose target-id is tid, or NULL. */
static const fnode *finding_for(const doc *d, const char *tid)
{
    const fnode *fs = opt(d->res, "findings");
    for (uint32_t i = 0; fs && i < fs->n; i++)
        if (strcmp(sget(get(fs->u.items[i], "target"), "target-id"), tid) == 0)
            return fs->u.items[i];
    return NULL;
}

/* The object with this uuid in list (a key of obj), or NULL. */
static const fnode *by_uuid(const fnode *obj, const char *list, const char *uuid)
{
    const fnode *l = opt(obj, list);
    for (uint32_t i = 0; l && i < l->n; i++)
        if (strcmp(sget(l->u.items[i], "uuid"), uuid) == 0)
            return l->u.items[i];
    return NULL;
}

/* ---- UUIDs in the document --------------------------------------------------- */

static int is_v5(const char *s)
{
    aip_uuid u;
    if (strlen(s) != AIP_UUID_TEXT || aip_uuid_parse(s, &u) != 0)
        return 0;
    for (const char *p = s; *p; p++)
        if (*p >= 'A' && *p <= 'F')
            return 0;   /* lower case */
    return u.b[6] >> 4 == 5 && (u.b[8] & 0xC0) == 0x80;
}

typedef struct uuids { const char *v[512]; uint32_t n; const char *ref[512]; uint32_t nref; } uuids;

static void collect(const fnode *n, uuids *u)
{
    if (n->kind == FN_MAP) {
        for (uint32_t i = 0; i < n->n; i++) {
            const char *k = n->u.entries[i].key;
            const fnode *v = n->u.entries[i].val;
            if (strcmp(k, "uuid") == 0) {
                assert_true(u->n < 512);
                u->v[u->n++] = str(v);
            } else if (strcmp(k, "observation-uuid") == 0 || strcmp(k, "risk-uuid") == 0 ||
                       strcmp(k, "actor-uuid") == 0 || strcmp(k, "component-uuid") == 0) {
                assert_true(u->nref < 512);
                u->ref[u->nref++] = str(v);
            } else if (strcmp(k, "href") == 0 && v->kind == FN_STR && v->u.s[0] == '#') {
                assert_true(u->nref < 512);
                u->ref[u->nref++] = v->u.s + 1;
            }
            collect(v, u);
        }
    } else if (n->kind == FN_LIST) {
        for (uint32_t i = 0; i < n->n; i++)
            collect(n->u.items[i], u);
    }
}

/* Every uuid is a lower-case version 5 UUID, unique; every reference resolves. */
static void check_uuids(const doc *d)
{
    uuids *u = calloc(1, sizeof *u);
    assert_non_null(u);
    collect(facts_root(d->f), u);
    assert_true(u->n > 0);
    for (uint32_t i = 0; i < u->n; i++) {
        if (!is_v5(u->v[i]))
            fail_msg("not a version 5 UUID: %s", u->v[i]);
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(u->v[i], u->v[j]) == 0)
                fail_msg("uuid %s twice", u->v[i]);
    }
    for (uint32_t i = 0; i < u->nref; i++) {
        int found = 0;
        for (uint32_t j = 0; j < u->n && !found; j++)
            found = strcmp(u->ref[i], u->v[j]) == 0;
        if (!found)
            fail_msg("reference to %s resolves to nothing", u->ref[i]);
    }
    free(u);
}

/* ---- tests ----------------------------------------------------------------------- */

static void test_metadata_integrity(void **state)
{
    fixture *x = *state;
    doc d;
    doc_read(&d, &x->r, &x->b);
    const fnode *md = get(d.ar, "metadata");
    assert_string_equal(sget(md, "published"), "2025-06-30T00:00:00Z");
    assert_string_equal(sget(md, "last-modified"), "2025-06-30T00:00:00Z");
    assert_string_equal(sget(md, "version"), "0.1.0");
    assert_string_equal(sget(md, "oscal-version"), "1.1.3");
    assert_non_null(strstr(sget(md, "title"), "2025-06-30"));
    assert_string_equal(prop(md, "tool", NULL), "aip");
    assert_string_equal(prop(md, "tool-version", NULL), "0.1.0");
    assert_string_equal(prop(md, "bundle-sha256", NULL), x->r.bundle_sha256);
    assert_string_equal(prop(md, "evaluated-at", NULL), "2025-06-30");
    assert_string_equal(prop(md, "profile", NULL), "(none)");
    assert_string_equal(prop(md, "params", NULL), "params.yaml");
    assert_string_equal(prop(md, "params-sha256", NULL), x->r.params_sha256);
    assert_string_equal(prop(md, "waivers", NULL), "waivers.yaml");
    assert_string_equal(prop(md, "waivers-sha256", NULL), x->r.waivers_sha256);
    /* facts files pair up by group */
    const fnode *props = get(md, "props");
    int seen = 0;
    for (uint32_t i = 0; i < props->n; i++) {
        const fnode *p = props->u.items[i];
        if (strcmp(sget(p, "name"), "facts-sha256") != 0)
            continue;
        const char *g = sget(p, "group");
        const char *want = strcmp(g, "facts-1") == 0 ? x->shas[0] : strcmp(g, "facts-2") == 0 ? x->shas[1] : NULL;
        assert_non_null(want);
        assert_string_equal(sget(p, "value"), want);
        seen++;
    }
    assert_int_equal(seen, 2);

    /* import-ap and the bundle resource with its hash */
    const char *ap = sget(get(d.ar, "import-ap"), "href");
    assert_int_equal(ap[0], '#');
    const fnode *bm = get(get(d.ar, "back-matter"), "resources");
    const fnode *bres = at(bm, 0);
    assert_string_equal(sget(bres, "uuid"), ap + 1);
    assert_string_equal(prop(bres, "resource-role", NULL), "policy-bundle");
    const fnode *rl = at(get(bres, "rlinks"), 0);
    /* RFC 6920: base64url of the digest, no padding */
    assert_string_equal(sget(rl, "href"), "ni:///sha-256;n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg");
    const fnode *h = at(get(rl, "hashes"), 0);
    assert_string_equal(sget(h, "algorithm"), "SHA-256");
    assert_string_equal(sget(h, "value"), x->r.bundle_sha256);

    /* facts resources: percent-encoded href, hash, media type */
    const fnode *f2 = at(bm, 2);
    assert_string_equal(prop(f2, "resource-role", NULL), "facts");
    rl = at(get(f2, "rlinks"), 0);
    assert_string_equal(sget(rl, "href"), "facts/my%20facts%3Av2.json");
    assert_string_equal(sget(rl, "media-type"), "application/json");
    assert_string_equal(sget(at(get(rl, "hashes"), 0), "value"), x->shas[1]);
    assert_string_equal(sget(f2, "title"), "Facts file `facts/my facts:v2.json`");
    doc_free(&d);
}

/* pass, fail, waived, unknown, not_applicable, error: OSCAL state and reason. */
static void test_verdict_mapping(void **state)
{
    fixture *x = *state;
    doc d;
    doc_read(&d, &x->r, &x->b);
    static const struct { const char *tid, *verdict, *state, *reason; } want[] = {
        { "gv.oc-01_obj", "pass", "satisfied", "pass" },
        { "id.am-07_obj", "not_applicable", "satisfied", "other" },
        { "pr.aa-01_obj", "fail", "not-satisfied", "fail" },
        { "de.cm-01_obj", "error", "not-satisfied", "other" },
        { "rs.ma-01_obj", "waived", "not-satisfied", "fail" },
        { "rc.rp-01_obj", "unknown", "not-satisfied", "other" },
    };
    assert_int_equal(get(d.res, "findings")->n, 6);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const fnode *f = finding_for(&d, want[i].tid);
        if (!f)
            fail_msg("no finding for %s", want[i].tid);
        const fnode *t = get(f, "target");
        assert_string_equal(sget(t, "type"), "objective-id");
        const fnode *st = get(t, "status");
        assert_string_equal(sget(st, "state"), want[i].state);
        assert_string_equal(sget(st, "reason"), want[i].reason);
        assert_true(strlen(sget(st, "remarks")) > 10);
        assert_string_equal(prop(f, "aip-verdict", NULL), want[i].verdict);
        const fnode *is = opt(t, "implementation-status");
        if (strcmp(want[i].verdict, "not_applicable") == 0)
            assert_string_equal(sget(is, "state"), "not-applicable");
        else
            assert_null(is);
        /* the finding's verdict is in its description too */
        assert_non_null(strstr(sget(f, "description"), want[i].verdict));
    }
    /* the CSF id as written, and its metadata */
    const fnode *pr = finding_for(&d, "pr.aa-01_obj");
    assert_string_equal(prop(pr, "csf-subcategory", NULL), "PR.AA-01");
    assert_string_equal(prop(pr, "csf-function", NULL), "PR");
    assert_string_equal(prop(pr, "csf-category", NULL), "PR.AA");
    assert_string_equal(prop(pr, "enforce", NULL), "mandatory");
    assert_string_equal(prop(pr, "priority", "secure"), "1");
    assert_string_equal(sget(pr, "title"), "PR.AA-01: Identities and credentials are managed");
    const fnode *gv = finding_for(&d, "gv.oc-01_obj");
    assert_string_equal(prop(gv, "maps-to", NULL), "NIST SP 800-53: PM-11");
    assert_string_equal(prop(gv, "priority", "defend"), "2");
    const fnode *de = finding_for(&d, "de.cm-01_obj");
    assert_string_equal(prop(de, "enforce", NULL), "advisory");
    assert_non_null(strstr(sget(de, "description"), "step budget exceeded"));

    /* reviewed controls: lower-case ids, the objectives the targets name */
    const fnode *rc = get(d.res, "reviewed-controls");
    const fnode *inc = get(at(get(rc, "control-selections"), 0), "include-controls");
    assert_int_equal(inc->n, 6);
    assert_string_equal(sget(at(inc, 2), "control-id"), "pr.aa-01");
    const fnode *obj = get(at(get(rc, "control-objective-selections"), 0), "include-objectives");
    assert_string_equal(sget(at(obj, 5), "objective-id"), "rc.rp-01_obj");

    /* summary and gate */
    assert_string_equal(prop(d.res, "gate", NULL), "fail");
    assert_string_equal(prop(d.res, "fail-on", NULL), "mandatory");
    assert_string_equal(prop(d.res, "verdict-count", "waived"), "1");
    assert_string_equal(prop(d.res, "controls", NULL), "6");
    assert_string_equal(sget(d.res, "start"), "2025-06-30T00:00:00Z");
    check_uuids(&d);
    doc_free(&d);
}

static void test_observations(void **state)
{
    fixture *x = *state;
    doc d;
    doc_read(&d, &x->r, &x->b);
    /* one per control plus one per aip finding */
    assert_int_equal(get(d.res, "observations")->n, 6 + 2 + 1 + 2);

    const fnode *pr = finding_for(&d, "pr.aa-01_obj");
    const fnode *rel = get(pr, "related-observations");
    assert_int_equal(rel->n, 3);
    /* the control observation: the facts files as evidence; TEST and EXAMINE (require + attest blocks) */
    const fnode *co = by_uuid(d.res, "observations", sget(at(rel, 0), "observation-uuid"));
    assert_non_null(co);
    assert_string_equal(str(at(get(co, "types"), 0)), "control-objective");
    const fnode *m = get(co, "methods");
    assert_int_equal(m->n, 2);
    assert_string_equal(str(at(m, 0)), "EXAMINE");
    assert_string_equal(str(at(m, 1)), "TEST");
    assert_string_equal(prop(co, "evidence-expected", NULL), "credential register");
    const fnode *ev = get(co, "relevant-evidence");
    assert_int_equal(ev->n, 2);
    assert_string_equal(sget(at(ev, 0), "href"), "facts/inv.yaml");
    assert_string_equal(sget(co, "collected"), "2025-06-30T00:00:00Z");
    const fnode *actor = at(get(at(get(co, "origins"), 0), "actors"), 0);
    assert_string_equal(sget(actor, "type"), "tool");

    /* the violation: the manifest file and line, the policy rule */
    const fnode *v = by_uuid(d.res, "observations", sget(at(rel, 1), "observation-uuid"));
    assert_string_equal(str(at(get(v, "types"), 0)), "finding");
    assert_string_equal(str(at(get(v, "methods"), 0)), "TEST");
    assert_string_equal(prop(v, "finding-kind", NULL), "violation");
    assert_string_equal(prop(v, "subject", NULL), "chatbot");
    assert_string_equal(prop(v, "fact-path", NULL), "credentials[1].shared");
    assert_string_equal(sget(v, "description"), "credential \"svc-bot\" is \\*shared\\*");
    ev = at(get(v, "relevant-evidence"), 0);
    assert_string_equal(sget(ev, "href"), "facts/inv.yaml#L12");
    assert_string_equal(sget(ev, "description"), "`facts/inv.yaml` line 12, column 7: `credentials[1].shared`");
    const fnode *ln = at(get(v, "links"), 0);
    assert_string_equal(sget(ln, "href"), "policy.aip#L20");
    assert_string_equal(sget(ln, "rel"), "policy-rule");

    /* missing evidence without a file: no relevant-evidence, a remark */
    const fnode *me = by_uuid(d.res, "observations", sget(at(rel, 2), "observation-uuid"));
    assert_string_equal(prop(me, "finding-kind", NULL), "missing_evidence");
    /* a closed code span is kept as it is, an unclosed backtick escaped;
     * _ inside a word stays, elsewhere it is escaped */
    assert_string_equal(sget(me, "description"),
                        "no date for `cred[\"k\"] < x_y` in key_list\\[0], it\\`s \\_x\\_");
    assert_null(opt(me, "relevant-evidence"));
    assert_null(prop(me, "subject", NULL));
    assert_null(prop(me, "fact-path", NULL));   /* "" is the root: no prop */
    assert_non_null(strstr(sget(me, "remarks"), "No facts file"));

    /* an attestation finding is examined; its file name is percent-encoded */
    const fnode *rc = finding_for(&d, "rc.rp-01_obj");
    const fnode *a = by_uuid(d.res, "observations", sget(at(get(rc, "related-observations"), 1), "observation-uuid"));
    assert_string_equal(str(at(get(a, "methods"), 0)), "EXAMINE");
    assert_string_equal(sget(at(get(a, "relevant-evidence"), 0), "href"), "facts/my%20facts%3Av2.json#L3");
    /* the control observation of an attest-only control */
    const fnode *gv = finding_for(&d, "gv.oc-01_obj");
    const fnode *go = by_uuid(d.res, "observations", sget(at(get(gv, "related-observations"), 0), "observation-uuid"));
    assert_int_equal(get(go, "methods")->n, 1);
    assert_string_equal(str(at(get(go, "methods"), 0)), "EXAMINE");
    assert_string_equal(prop(go, "requirements-held", NULL), "2");
    /* error: the message in the control observation */
    const fnode *de = finding_for(&d, "de.cm-01_obj");
    const fnode *dobs = by_uuid(d.res, "observations", sget(at(get(de, "related-observations"), 0), "observation-uuid"));
    assert_non_null(strstr(sget(dobs, "description"), "The evaluation stopped: step budget exceeded"));
    doc_free(&d);
}

static void test_waivers(void **state)
{
    fixture *x = *state;
    doc d;
    doc_read(&d, &x->r, &x->b);
    /* the active waiver is a risk, deviation-approved, over both waived violations */
    const fnode *risks = get(d.res, "risks");
    assert_int_equal(risks->n, 1);
    const fnode *risk = at(risks, 0);
    assert_string_equal(sget(risk, "status"), "deviation-approved");
    assert_string_equal(sget(risk, "deadline"), "2025-12-31T00:00:00Z");
    assert_string_equal(prop(risk, "waiver-id", NULL), "w-ir");
    assert_string_equal(prop(risk, "approved-by", NULL), "ciso");
    assert_string_equal(prop(risk, "matched", NULL), "2");
    assert_non_null(strstr(sget(risk, "description"), "tabletop \\<b\\>exercise\\</b\\> scheduled"));
    assert_non_null(strstr(sget(risk, "statement"), "2 violations of RS.MA-01 remain"));
    const fnode *rel = get(risk, "related-observations");
    assert_int_equal(rel->n, 2);

    /* the waived finding: not satisfied, linked to the risk and to observations that name the waiver */
    const fnode *rs = finding_for(&d, "rs.ma-01_obj");
    assert_string_equal(sget(at(get(rs, "related-risks"), 0), "risk-uuid"), sget(risk, "uuid"));
    assert_string_equal(prop(rs, "waiver", "active"), "w-ir");
    for (uint32_t i = 0; i < rel->n; i++) {
        const fnode *o = by_uuid(d.res, "observations", sget(at(rel, i), "observation-uuid"));
        assert_non_null(o);
        assert_string_equal(prop(o, "waived-by", NULL), "w-ir");
        assert_string_equal(prop(o, "waiver-reason", NULL), "tabletop <b>exercise</b> scheduled");
    }
    /* the expired waiver changes nothing but is shown on its control */
    const fnode *pr = finding_for(&d, "pr.aa-01_obj");
    assert_null(opt(pr, "related-risks"));
    assert_string_equal(prop(pr, "waiver", "expired"), "w-old");
    assert_string_equal(prop(finding_for(&d, "id.am-07_obj"), "waiver", "unused"), "waivers[3]");

    /* every waiver, with its status, in the back-matter */
    const fnode *bm = get(get(d.ar, "back-matter"), "resources");
    static const char *const status[] = { "active", "expired", "unused" };
    int found = 0;
    for (uint32_t i = 0; i < bm->n; i++) {
        const fnode *res = bm->u.items[i];
        const char *role = prop(res, "resource-role", NULL);
        if (!role || strcmp(role, "waiver") != 0)
            continue;
        assert_string_equal(prop(res, "waiver-status", NULL), status[found]);
        assert_non_null(strstr(sget(res, "title"), status[found]));
        found++;
    }
    assert_int_equal(found, 3);
    assert_string_equal(prop(d.res, "waiver-count", "active"), "1");
    assert_string_equal(prop(d.res, "waiver-count", "expired"), "1");
    assert_string_equal(prop(d.res, "waiver-count", "unused"), "1");
    doc_free(&d);
}

/* Text from facts: control characters, U+2028, invalid UTF-8, Markdown,
 * surrounding spaces, empty values. */
static void test_escaping(void **state)
{
    fixture *x = *state;
    doc d;
    doc_read(&d, &x->r, &x->b);
    const fnode *rc = finding_for(&d, "rc.rp-01_obj");
    const fnode *o = by_uuid(d.res, "observations", sget(at(get(rc, "related-observations"), 1), "observation-uuid"));
    /* prop values: escaped like the text report, one line */
    assert_string_equal(prop(o, "subject", NULL), "rag\\x1b[2J");
    /* Markdown: escapes plus backslashes before punctuation */
    assert_string_equal(sget(o, "title"), "RC.RP-01: missing evidence (rag\\x1b\\[2J)");
    assert_string_equal(sget(o, "description"), "no attestation for RC.RP-01 \\u2028 bad \xef\xbf\xbd byte");

    const fnode *rs = finding_for(&d, "rs.ma-01_obj");
    const fnode *rel = get(rs, "related-observations");
    const fnode *o1 = by_uuid(d.res, "observations", sget(at(rel, 1), "observation-uuid"));
    assert_string_equal(sget(o1, "description"), "waived:\\x09ticket\\x0aSEC-1");
    const fnode *o2 = by_uuid(d.res, "observations", sget(at(rel, 2), "observation-uuid"));
    assert_string_equal(sget(o2, "description"), "\\<script\\>alert(1)\\</script\\>");
    assert_string_equal(prop(o2, "subject", NULL), "(empty)");   /* " " trimmed to nothing */

    /* a prop value keeps no surrounding spaces */
    const fnode *bm = get(get(d.ar, "back-matter"), "resources");
    const fnode *last = at(bm, bm->n - 1);
    assert_string_equal(prop(last, "waiver-id", NULL), "waivers[3]");
    assert_non_null(strstr(sget(last, "description"), "Reason:   spaces around  "));
    /* an invalid expiry date gives no deadline-like field anywhere: only the prop */
    assert_string_equal(prop(last, "expires", NULL), "2026-02-30");

    /* no raw control character anywhere in the document */
    for (size_t i = 0; i < d.len - 1; i++)
        if ((unsigned char)d.text[i] < 0x20 && d.text[i] != '\n')
            fail_msg("raw control character at byte %zu", i);
    assert_null(strstr(d.text, "\xe2\x80\xa8"));
    doc_free(&d);
}

static void test_deterministic_uuids(void **state)
{
    fixture *x = *state;
    size_t n1, n2;
    char *a = write_report(&x->r, &x->b, &n1);
    char *b = write_report(&x->r, &x->b, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);

    doc d1, d2;
    doc_read(&d1, &x->r, &x->b);
    check_uuids(&d1);
    /* another date: another document, result, finding and observation */
    x->r.evaluated_at = "2025-07-01";
    doc_read(&d2, &x->r, &x->b);
    assert_string_not_equal(sget(d1.ar, "uuid"), sget(d2.ar, "uuid"));
    assert_string_not_equal(sget(d1.res, "uuid"), sget(d2.res, "uuid"));
    assert_string_not_equal(sget(finding_for(&d1, "pr.aa-01_obj"), "uuid"),
                            sget(finding_for(&d2, "pr.aa-01_obj"), "uuid"));
    assert_string_not_equal(sget(at(get(d1.res, "observations"), 0), "uuid"),
                            sget(at(get(d2.res, "observations"), 0), "uuid"));
    /* the tool component is the same subject in both */
    const fnode *c1 = at(get(get(get(d1.res, "local-definitions"), "assessment-assets"), "components"), 0);
    const fnode *c2 = at(get(get(get(d2.res, "local-definitions"), "assessment-assets"), "components"), 0);
    assert_string_equal(sget(c1, "uuid"), sget(c2, "uuid"));
    doc_free(&d2);

    /* another facts hash, profile or bundle: another document */
    x->r.evaluated_at = "2025-06-30";
    x->shas[1] = "0000000000000000000000000000000000000000000000000000000000000000";
    doc_read(&d2, &x->r, &x->b);
    assert_string_not_equal(sget(d1.ar, "uuid"), sget(d2.ar, "uuid"));
    doc_free(&d2);
    x->r.profile = "sme-baseline";
    doc_read(&d2, &x->r, &x->b);
    assert_string_not_equal(sget(d1.ar, "uuid"), sget(d2.ar, "uuid"));
    assert_string_equal(prop(get(d2.ar, "metadata"), "profile", NULL), "sme-baseline");
    doc_free(&d2);
    doc_free(&d1);
    free(a);
    free(b);
}

/* Zero controls, no facts, no bundle, NULL strings and a bad date. */
static void test_empty(void **state)
{
    (void)state;
    eval_result r;
    memset(&r, 0, sizeof r);
    arena_init(&r.mem);
    doc d;
    doc_read(&d, &r, NULL);
    assert_null(opt(d.res, "findings"));
    assert_null(opt(d.res, "observations"));
    assert_null(opt(d.res, "risks"));
    const fnode *sel = at(get(get(d.res, "reviewed-controls"), "control-selections"), 0);
    assert_null(opt(sel, "include-controls"));
    assert_string_equal(sget(d.res, "start"), "1970-01-01T00:00:00Z");
    assert_string_equal(prop(get(d.ar, "metadata"), "evaluated-at", NULL), "(unknown)");
    assert_null(prop(get(d.ar, "metadata"), "bundle-sha256", NULL));
    const fnode *bres = at(get(get(d.ar, "back-matter"), "resources"), 0);
    assert_null(opt(bres, "rlinks"));
    check_uuids(&d);
    doc_free(&d);

    /* a control with every string NULL, an odd id, and a date that does not exist */
    control_result c;
    memset(&c, 0, sizeof c);
    c.verdict = VERDICT_COUNT;   /* not a verdict: reported as invalid, not satisfied */
    finding f;
    memset(&f, 0, sizeof f);
    c.findings = &f;
    c.nfindings = 1;
    r.controls = &c;
    r.ncontrols = 1;
    r.evaluated_at = "2025-02-29";
    doc_read(&d, &r, NULL);
    assert_string_equal(sget(d.res, "start"), "1970-01-01T00:00:00Z");
    const fnode *fd = at(get(d.res, "findings"), 0);
    assert_string_equal(prop(fd, "aip-verdict", NULL), "invalid");
    assert_string_equal(sget(get(get(fd, "target"), "status"), "state"), "not-satisfied");
    assert_string_equal(sget(get(fd, "target"), "target-id"), "__obj");
    doc_free(&d);

    c.id = "9 x/Y";
    r.evaluated_at = "2024-02-29";
    doc_read(&d, &r, NULL);
    assert_string_equal(sget(d.res, "start"), "2024-02-29T00:00:00Z");
    assert_string_equal(sget(get(at(get(d.res, "findings"), 0), "target"), "target-id"), "_9_x_y_obj");
    doc_free(&d);
    arena_free(&r.mem);
}

/* A very long message passes through whole. */
static void test_long_message(void **state)
{
    fixture *x = *state;
    size_t n = 200000;
    char *msg = malloc(n + 1);
    assert_non_null(msg);
    memset(msg, 'a', n);
    msg[n] = '\0';
    x->f_pr[0].message = msg;
    doc d;
    doc_read(&d, &x->r, &x->b);
    const fnode *pr = finding_for(&d, "pr.aa-01_obj");
    const fnode *v = by_uuid(d.res, "observations", sget(at(get(pr, "related-observations"), 1), "observation-uuid"));
    assert_int_equal(strlen(sget(v, "description")), n);
    doc_free(&d);
    free(msg);
}

static void test_dev_full(void **state)
{
    fixture *x = *state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    assert_int_equal(report_oscal(f, &x->r, &x->b, NULL), -1);
    fclose(f);
}

/* The format is reachable by name, as the CLI finds it. */
static void test_registered(void **state)
{
    (void)state;
    const report_format *f = report_format_find("oscal");
    assert_non_null(f);
    assert_ptr_equal(f->write, report_oscal);
    assert_string_equal(f->ext, "json");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uuid5_vectors),
        cmocka_unit_test_setup_teardown(test_metadata_integrity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verdict_mapping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_observations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_waivers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deterministic_uuids, setup, teardown),
        cmocka_unit_test(test_empty),
        cmocka_unit_test_setup_teardown(test_long_message, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dev_full, setup, teardown),
        cmocka_unit_test(test_registered),
    };
    return cmocka_run_group_tests_name("report_oscal", tests, NULL, NULL);
}
