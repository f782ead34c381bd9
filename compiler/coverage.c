/* compiler/coverage.c - the coverage model: the checks of each control,
 * their counts from the tests, and the totals (see coverage.h).
 */
#include "compiler/coverage.h"

#include <stdlib.h>
#include <string.h>

/* Append the REQUIRE and ATTEST instructions of control block c to cc. */
static void add_checks(const bundle *b, const bc_control *c, cov_control *cc)
{
    const bc_func *f = &b->funcs.v[c->func];
    for (uint32_t pc = f->start; pc < f->start + f->len; pc += bc_op_len((bc_op)BC_OP(b->code.v[pc]))) {
        uint32_t w = b->code.v[pc];
        if (BC_OP(w) != OP_REQUIRE && BC_OP(w) != OP_ATTEST)
            continue;
        cc->checks = aip_xrealloc(cc->checks, sizeof *cc->checks * (cc->nchecks + 1));
        cov_check *k = &cc->checks[cc->nchecks++];
        memset(k, 0, sizeof *k);
        k->pc = pc;
        if (BC_OP(w) == OP_REQUIRE) {
            const bc_site *s = &b->sites.v[BC_A(w)];
            k->file = b->strs.v[s->file];
            k->line = s->line;
            k->col = s->col;
            k->text = b->strs.v[s->text];
        } else {
            k->attest = 1;
            k->file = b->strs.v[c->file];
            k->line = c->line;
            bundle_policy_line(b, pc, &k->file, &k->line);
            k->text = "";
        }
    }
}

coverage *coverage_new(const bundle *b)
{
    coverage *cv = aip_xcalloc(1, sizeof *cv);
    cv->b = b;
    cv->controls = aip_xcalloc(b->controls.n ? b->controls.n : 1, sizeof *cv->controls);
    cv->table = aip_xcalloc(b->code.n ? b->code.n : 1, sizeof *cv->table);
    for (uint32_t i = 0; i < b->controls.n; i++) {
        const bc_control *c = &b->controls.v[i];
        if (c->kind != BC_CTRL_CONTROL)
            continue;   /* manifest rules: `aip validate` runs them, not tests */
        const char *id = b->strs.v[c->id];
        cov_control *cc = NULL;
        for (uint32_t k = 0; k < cv->ncontrols && !cc; k++)
            if (strcmp(cv->controls[k].id, id) == 0)
                cc = &cv->controls[k];
        if (!cc) {
            cc = &cv->controls[cv->ncontrols++];
            cc->id = id;
            cc->file = b->strs.v[c->file];
            cc->line = c->line;
        }
        add_checks(b, c, cc);
    }
    return cv;
}

void coverage_free(coverage *cv)
{
    if (!cv)
        return;
    for (uint32_t i = 0; i < cv->ncontrols; i++)
        free(cv->controls[i].checks);
    free(cv->controls);
    free(cv->table);
    free(cv);
}

void coverage_begin_test(coverage *cv)
{
    memset(cv->table, 0, sizeof *cv->table * (cv->b->code.n ? cv->b->code.n : 1));
}

static uint32_t sat_add(uint32_t a, uint32_t b)
{
    return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

void coverage_end_test(coverage *cv, const eval_result *r, const char *const *expects, uint32_t n)
{
    cv->tests++;
    for (uint32_t i = 0; i < cv->ncontrols; i++) {
        cov_control *cc = &cv->controls[i];
        int expected = 0;
        for (uint32_t e = 0; e < n && !expected; e++)
            expected = strcmp(expects[e], cc->id) == 0;
        if (!expected)
            continue;
        cc->tests++;
        for (uint32_t k = 0; r && k < r->ncontrols; k++)
            if (strcmp(r->controls[k].id, cc->id) == 0)
                cc->verdicts |= 1u << r->controls[k].verdict;
        for (uint32_t k = 0; r && k < cc->nchecks; k++)
            for (int o = 0; o < 3; o++)
                cc->checks[k].hits[o] = sat_add(cc->checks[k].hits[o], cv->table[cc->checks[k].pc][o]);
    }
}

unsigned cov_check_seen(const cov_check *k)
{
    return (k->hits[VM_COV_TRUE] > 0) + (k->hits[VM_COV_FALSE] > 0) + (k->hits[VM_COV_UNDEF] > 0);
}

int cov_check_both(const cov_check *k)
{
    return k->hits[VM_COV_TRUE] > 0 && k->hits[VM_COV_FALSE] > 0;
}

void coverage_totals(const coverage *cv, const char *prefix, cov_totals *t)
{
    memset(t, 0, sizeof *t);
    for (uint32_t i = 0; i < cv->ncontrols; i++) {
        const cov_control *cc = &cv->controls[i];
        if (prefix && strncmp(cc->id, prefix, strlen(prefix)) != 0)
            continue;
        t->controls++;
        t->tested += cc->tests > 0;
        t->checks += cc->nchecks;
        for (uint32_t k = 0; k < cc->nchecks; k++) {
            t->seen += cov_check_seen(&cc->checks[k]);
            t->both += (uint32_t)cov_check_both(&cc->checks[k]);
        }
    }
}

uint32_t cov_tenths(uint32_t part, uint32_t whole)
{
    return whole ? (uint32_t)(((uint64_t)part * 2000 + whole) / (2 * (uint64_t)whole)) : 0;
}
