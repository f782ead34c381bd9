/* tests/unit/test_pack.c - the shipped NIST IR 8596 pack against its
 * reference data: one control per CSF 2.0 subcategory, each with the CSF
 * outcome as title, the IR 8596 focus areas and proposed priorities, the
 * SP 800-53 / ISO 27001 crosswalks, and the draft's words as help; the
 * profiles as documented. Run from the repository root (make test does). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "compiler/catalog.h"
#include "compiler/compile.h"
#include "compiler/ir8596.h"

typedef struct pack {
    bundle *b;
    csf_catalog *cat;
    ir8596_data *ref;
} pack;

static int setup(void **state)
{
    pack *p = calloc(1, sizeof *p);
    diag_list d;
    diag_init(&d);
    compiler *c = compiler_new(&d);
    compiler_add_path(c, "policies/ir8596");
    p->b = compiler_build(c);
    if (!p->b)
        diag_print(&d, stderr, 0);
    compiler_free(c);
    diag_free(&d);
    aip_error err;
    p->cat = csf_catalog_load(&err);
    p->ref = ir8596_load(&err);
    *state = p;
    return p->b && p->cat && p->ref ? 0 : -1;
}

static int teardown(void **state)
{
    pack *p = *state;
    bundle_free(p->b);
    csf_catalog_free(p->cat);
    ir8596_free(p->ref);
    free(p);
    return 0;
}

/* The first control block for id, or NULL. */
static const bc_control *control_of(const bundle *b, const char *id)
{
    for (uint32_t i = 0; i < b->controls.n; i++)
        if (b->controls.v[i].kind == BC_CTRL_CONTROL && strcmp(b->strs.v[b->controls.v[i].id], id) == 0)
            return &b->controls.v[i];
    return NULL;
}

/* Does the space-separated list want hold exactly the refs of framework fw? */
static void check_maps(const bundle *b, const bc_control *c, const char *fw, const char *want, const char *id)
{
    char *copy = strdup(want), *save = NULL;
    uint32_t nwant = 0;
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        nwant++;
        int found = 0;
        for (uint32_t k = 0; k < c->nmaps && !found; k++) {
            const bc_mapping *m = &b->maps.v[c->maps + k];
            found = !strcmp(b->strs.v[m->framework], fw) && !strcmp(b->strs.v[m->ref], t);
        }
        if (!found)
            fail_msg("%s: maps lacks %s \"%s\"", id, fw, t);
    }
    uint32_t have = 0;
    for (uint32_t k = 0; k < c->nmaps; k++)
        have += !strcmp(b->strs.v[b->maps.v[c->maps + k].framework], fw);
    if (have != nwant)
        fail_msg("%s: %u %s mappings, the crosswalk has %u", id, have, fw, nwant);
    free(copy);
}

static void test_pack_every_subcategory_with_reference_metadata(void **state)
{
    pack *p = *state;
    size_t subcats = 0;
    for (size_t i = 0; i < csf_count(p->cat); i++) {
        const csf_entry *e = csf_at(p->cat, i);
        if (e->kind != CSF_SUBCATEGORY)
            continue;
        subcats++;
        const bc_control *c = control_of(p->b, e->id);
        if (!c)
            fail_msg("no control for %s", e->id);
        const ir8596_row *r = ir8596_find(p->ref, e->id);
        assert_non_null(r);
        if (strcmp(p->b->strs.v[c->title], e->title) != 0)
            fail_msg("%s: title differs from the CSF 2.0 outcome", e->id);
        for (int f = 0; f < 3; f++) {
            if (c->priority[f] != r->priority[f])
                fail_msg("%s: priority %d is %u, IR 8596 says %u", e->id, f, c->priority[f], r->priority[f]);
            if (!!(c->focus & (1 << f)) != !!r->priority[f])
                fail_msg("%s: focus area %d differs from IR 8596", e->id, f);
        }
        check_maps(p->b, c, "sp800_53", r->sp800_53, e->id);
        check_maps(p->b, c, "iso27001", r->iso27001, e->id);
        if (strcmp(p->b->strs.v[c->help], r->help) != 0)
            fail_msg("%s: help is not the IR 8596 text", e->id);
    }
    assert_int_equal(subcats, 106);
}

static const bc_profile *profile_of(const bundle *b, const char *name)
{
    for (uint32_t i = 0; i < b->profiles.n; i++)
        if (!strcmp(b->strs.v[b->profiles.v[i].name], name))
            return &b->profiles.v[i];
    return NULL;
}

static int profile_has(const bundle *b, const bc_profile *p, const char *id)
{
    for (uint32_t k = 0; k < p->n; k++)
        if (!strcmp(b->strs.v[b->profile_refs.v[p->first + k]], id))
            return 1;
    return 0;
}

static void test_pack_profiles(void **state)
{
    pack *p = *state;
    static const char *const sme[] = {"ID.AM-02", "ID.AM-04", "ID.AM-07", "PR.IR-01", "GV.SC-07", "GV.SC-05",
                                      "PR.AA-01", "PR.AA-05", "PR.PS-04", "DE.CM-09", "RS.MA-01", "RC.RP-01"};
    const bc_profile *s = profile_of(p->b, "sme-baseline");
    assert_non_null(s);
    assert_int_equal(s->n, 12);
    for (size_t i = 0; i < 12; i++)
        if (!profile_has(p->b, s, sme[i]))
            fail_msg("sme-baseline lacks %s", sme[i]);
    static const char letters[] = "sdt";
    static const char *const names[] = {"secure", "defend", "thwart"};
    for (int f = 0; f < 3; f++) {
        const bc_profile *fp = profile_of(p->b, names[f]);
        assert_non_null(fp);
        for (uint32_t i = 0; i < ir8596_count(p->ref); i++) {
            const ir8596_row *r = ir8596_at(p->ref, i);
            if (!!strchr(r->ai_specific, letters[f]) != profile_has(p->b, fp, r->id))
                fail_msg("profile %s and %s disagree with the AI-specific considerations", names[f], r->id);
        }
    }
    const bc_profile *hp = profile_of(p->b, "high-priority");
    assert_non_null(hp);
    for (uint32_t i = 0; i < ir8596_count(p->ref); i++) {
        const ir8596_row *r = ir8596_at(p->ref, i);
        int high = r->priority[0] == 1 || r->priority[1] == 1 || r->priority[2] == 1;
        if (high != profile_has(p->b, hp, r->id))
            fail_msg("high-priority and %s disagree", r->id);
    }
}

/* Does the control's code hold op? */
static int control_uses(const bundle *b, const bc_control *c, bc_op op)
{
    const bc_func *f = &b->funcs.v[c->func];
    for (uint32_t pc = f->start; pc < f->start + f->len; pc += bc_op_len((bc_op)BC_OP(b->code.v[pc])))
        if (BC_OP(b->code.v[pc]) == op)
            return 1;
    return 0;
}

/* docs/policies.md lists every subcategory as automated and/or attested, as
 * the compiled controls are; at least 50 are automated. */
static void test_pack_docs_table(void **state)
{
    pack *p = *state;
    FILE *f = fopen("docs/policies.md", "r");
    assert_non_null(f);
    char line[1024];
    int rows = 0, automated = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "| [", 3) != 0)
            continue;
        char id[16] = {0};
        const char *close = strchr(line + 3, ']');
        assert_non_null(close);
        memcpy(id, line + 3, (size_t)(close - line - 3) < sizeof id - 1 ? (size_t)(close - line - 3) : sizeof id - 1);
        const bc_control *c = control_of(p->b, id);
        if (!c)
            fail_msg("docs/policies.md lists %s, which the pack does not define", id);
        const char *cell = strstr(close, "| ");
        assert_non_null(cell);
        int says_auto = strncmp(cell + 2, "automated", 9) == 0;
        int says_att = strstr(cell, "attested") != NULL && strstr(cell, "attested") < strstr(cell + 2, " | ");
        int req = control_uses(p->b, c, OP_REQUIRE), att = control_uses(p->b, c, OP_ATTEST);
        if (says_auto != req || says_att != att)
            fail_msg("docs/policies.md says %s is %s%s%s; the pack %s%s%s", id, says_auto ? "automated" : "",
                     says_auto && says_att ? " + " : "", says_att ? "attested" : "", req ? "requires" : "",
                     req && att ? " and " : "", att ? "attests" : "");
        automated += req;
        rows++;
    }
    fclose(f);
    assert_int_equal(rows, 106);
    assert_true(automated >= 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack_every_subcategory_with_reference_metadata),
        cmocka_unit_test(test_pack_profiles),
        cmocka_unit_test(test_pack_docs_table),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
