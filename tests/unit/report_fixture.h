/* tests/unit/report_fixture.h - one evaluation result and bundle built by
 * hand, shared by the JUnit and Markdown report tests: every verdict once
 * (one per CSF function), findings with and without locations, waived
 * findings, and waivers of every status (active, expired, unused). A group
 * setup/teardown pair; the test files include this after cmocka.h. */
#ifndef AIP_TESTS_REPORT_FIXTURE_H
#define AIP_TESTS_REPORT_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/bundle.h"
#include "runtime/report.h"
#include "runtime/result.h"

static inline uint32_t intern(bundle *b, const char *s)
{
    for (uint32_t i = 0; i < b->strs.n; i++)
        if (strcmp(b->strs.v[i], s) == 0)
            return i;
    BC_PUSH(b->strs, s);
    BC_PUSH(b->str_lens, (uint32_t)strlen(s));
    return b->strs.n - 1;
}

static inline uint32_t add_control(bundle *b, const char *id)
{
    bc_control c;
    memset(&c, 0, sizeof c);
    c.id = intern(b, id);
    c.title = intern(b, "title from the bundle");
    BC_PUSH(b->controls, c);
    return b->controls.n - 1;
}

static inline void add_meta(bundle *b, const char *key, const char *value)
{
    bc_meta m = { intern(b, key), intern(b, value) };
    BC_PUSH(b->meta, m);
}

static inline void bundle_clear(bundle *b)
{
    aip_free(b->strs.v);
    aip_free(b->str_lens.v);
    aip_free(b->controls.v);
    aip_free(b->meta.v);
}

/* ---- the fixture: every verdict, waivers of every status ------------------------ */

typedef struct fixture {
    bundle b;
    eval_result r;
    control_result c[6];
    finding f_pr[3], f_rs[1], f_rc[1];
    waiver w[4];
    const char *files[2], *shas[2];
} fixture;

static inline int setup(void **state)
{
    fixture *x = calloc(1, sizeof *x);
    assert_non_null(x);
    bundle *b = &x->b;
    add_meta(b, "csf:GV", "Govern");
    add_meta(b, "csf:ID", "Identify");
    add_meta(b, "csf:PR", "Protect");
    add_meta(b, "csf:DE", "Detect");
    add_meta(b, "csf:RS", "Respond");
    /* RC has no name in this bundle: the suite is called "RC" */
    uint32_t gv = add_control(b, "GV.OC-01"), id = add_control(b, "ID.AM-07"), pr = add_control(b, "PR.AA-01");
    uint32_t de = add_control(b, "DE.CM-01"), rs = add_control(b, "RS.MA-01"), rc = add_control(b, "RC.RP-01");
    snprintf(b->sha256_hex, sizeof b->sha256_hex, "%064d", 0);

    waiver *w = x->w;
    w[0] = (waiver){ .id = "W-1", .control = "RS.MA-01", .target = "ranker", .reason = "ticket <SEC-1> & \"risk\" accepted",
                     .approved_by = "ciso", .expires = "2026-12-31", .file = "waivers.yaml", .line = 2, .col = 3,
                     .status = WAIVER_ACTIVE, .matched = 1 };
    w[1] = (waiver){ .id = "W-2", .control = "PR.AA-01", .target = "credentials[*].store", .reason = "vault migration",
                     .approved_by = "cto", .expires = "2026-10-01", .file = "waivers.yaml", .line = 8, .col = 3,
                     .status = WAIVER_ACTIVE, .matched = 1 };
    w[2] = (waiver){ .id = "W-3", .control = "PR.AA-01", .target = "chatbot", .reason = "old exception",
                     .approved_by = "cto", .expires = "2024-01-01", .file = "waivers.yaml", .line = 14, .col = 3,
                     .status = WAIVER_EXPIRED };
    w[3] = (waiver){ .id = "W-4", .control = "ID.AM-07", .target = "nobody", .reason = "never used",
                     .approved_by = "cto", .expires = "2027-01-01", .file = "waivers.yaml", .line = 20, .col = 3,
                     .status = WAIVER_UNUSED };

    x->f_pr[0] = (finding){ .kind = FINDING_VIOLATION, .message = "credential \"svc-bot\" is shared",
        .path = "credentials[1].shared", .subject = "chatbot", .file = "facts/inv.yaml", .line = 12, .col = 7,
        .policy_file = "policy.aip", .policy_line = 20, .policy_col = 5 };
    x->f_pr[1] = (finding){ .kind = FINDING_MISSING_EVIDENCE, .message = "no rotation date", .path = "",
        .policy_file = "policy.aip", .policy_line = 22 };
    x->f_pr[2] = (finding){ .kind = FINDING_VIOLATION, .message = "key in env-var", .path = "credentials[2].store",
        .subject = "chatbot", .file = "facts/inv.yaml", .line = 14, .col = 9, .waived_by = &w[1] };
    x->f_rs[0] = (finding){ .kind = FINDING_VIOLATION, .message = "no kill switch", .path = "systems[2].incident",
        .subject = "ranker", .waived_by = &w[0] };
    x->f_rc[0] = (finding){ .kind = FINDING_MISSING_EVIDENCE, .message = "backup plan not attested",
        .path = "systems[0]", .subject = "rag", .file = "facts/more.json", .line = 3 };

    control_result *c = x->c;
    c[0] = (control_result){ .id = "GV.OC-01", .title = "Mission is understood", .verdict = VERDICT_PASS,
        .bundle_control = gv };
    c[1] = (control_result){ .id = "ID.AM-07", .title = "Data inventories", .verdict = VERDICT_NOT_APPLICABLE,
        .bundle_control = id };
    c[2] = (control_result){ .id = "PR.AA-01", .title = "Credentials are managed", .verdict = VERDICT_FAIL,
        .bundle_control = pr, .findings = x->f_pr, .nfindings = 3 };
    c[3] = (control_result){ .id = "DE.CM-01", .title = "Networks are monitored", .verdict = VERDICT_ERROR,
        .enforce = 1, .bundle_control = de, .error = "step budget exceeded (10000000 steps)" };
    c[4] = (control_result){ .id = "RS.MA-01", .title = "Incident plan executed", .verdict = VERDICT_WAIVED,
        .enforce = 1, .bundle_control = rs, .findings = x->f_rs, .nfindings = 1 };
    c[5] = (control_result){ .id = "RC.RP-01", .title = "Recovery plan executed", .verdict = VERDICT_UNKNOWN,
        .bundle_control = rc, .findings = x->f_rc, .nfindings = 1 };

    eval_result *r = &x->r;
    arena_init(&r->mem);
    r->controls = c;
    r->ncontrols = 6;
    for (int i = 0; i < 6; i++)
        r->summary.counts[c[i].verdict]++;
    r->summary.total = 6;
    r->gate_failed = 1;
    r->fail_on = "mandatory";
    r->evaluated_at = "2026-11-27";
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
    r->params_sha256 = "aaaa";
    r->waivers_file = "waivers.yaml";
    r->waivers_sha256 = "bbbb";
    r->waivers = w;
    r->nwaivers = 4;
    *state = x;
    return 0;
}

static inline int teardown(void **state)
{
    fixture *x = *state;
    bundle_clear(&x->b);
    arena_free(&x->r.mem);
    free(x);
    return 0;
}


#endif
