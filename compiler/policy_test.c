/* compiler/policy_test.c - from `test` blocks to runnable cases (see
 * policy_test.h).
 */
#include "compiler/policy_test.h"

#include <stdlib.h>
#include <string.h>

#include "runtime/digest.h"

#include "runtime/builtins.h"
#include "runtime/params.h"

static const char *given_dir(const src_file *src, char *buf, size_t len)
{
    const char *slash = strrchr(src->path, '/');
    if (!slash) {
        snprintf(buf, len, ".");
    } else {
        size_t n = (size_t)(slash - src->path);
        if (n >= len)
            n = len - 1;
        memcpy(buf, src->path, n);
        buf[n] = '\0';
    }
    return buf;
}

/* The first part of e that is not a literal (NULL when e is one). */
static const ast *non_literal(const ast *e)
{
    switch (e->kind) {
    case AST_NULL: case AST_BOOL: case AST_INT: case AST_DOUBLE: case AST_DURATION:
        return NULL;
    case AST_STRING:
        return e->u.str.n <= 1 && (e->u.str.n == 0 || e->u.str.parts[0].text) ? NULL : e;
    case AST_UNARY:
        return e->u.unary.op == OPX_NEG && (e->u.unary.operand->kind == AST_INT ||
                                            e->u.unary.operand->kind == AST_DOUBLE) ? NULL : e;
    case AST_LIST:
        for (uint32_t i = 0; i < e->u.list.n; i++) {
            const ast *bad = non_literal(e->u.list.items[i]);
            if (bad)
                return bad;
        }
        return NULL;
    case AST_MAP:
        for (uint32_t i = 0; i < e->u.map.n; i++) {
            const ast *bad = non_literal(e->u.map.entries[i].value);
            if (bad)
                return bad;
        }
        return NULL;
    default:
        return e;
    }
}

static void check_literal(diag_list *d, const src_file *src, const ast *e, const char *what)
{
    const ast *bad = e ? non_literal(e) : NULL;
    if (bad)
        diag_add(d, DIAG_ERROR, src, bad->start, bad->end,
                 "test %s must be literals (no names, calls or interpolation)", what);
}

size_t ptest_collect(compiler *c, const bundle *b, diag_list *d, ptest **out)
{
    const compiler_test_file *files;
    size_t nf = compiler_test_files(c, &files);
    ptest *tests = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < nf; i++) {
        const src_file *src = files[i].src;
        const ast_list *decls = &files[i].ast->decls;
        for (uint32_t k = 0; k < decls->n; k++) {
            const ast *tb = decls->items[k];
            if (tb->kind != AST_TEST)
                continue;
            AIP_GROW(tests, n, cap);
            ptest *t = &tests[n++];
            memset(t, 0, sizeof *t);
            t->name = tb->u.test.name;
            t->src = src;
            unsigned col;
            src_pos(src, tb->start, &t->line, &col);
            int had_now = 0;
            for (uint32_t j = 0; j < tb->u.test.items.n; j++) {
                const ast *it = tb->u.test.items.items[j];
                switch (it->kind) {
                case AST_TEST_NOW: {
                    int64_t days;
                    if (had_now++)
                        diag_add(d, DIAG_ERROR, src, it->start, it->end, "test \"%s\" gives `now` twice", t->name);
                    else if (date_parse_days(it->u.test_now.date, strlen(it->u.test_now.date), &days) != 0 ||
                             strlen(it->u.test_now.date) != 10)
                        diag_add(d, DIAG_ERROR, src, it->start, it->end, "`now` needs a date YYYY-MM-DD, got \"%s\"",
                                 it->u.test_now.date);
                    else
                        t->now = it->u.test_now.date;
                    break;
                }
                case AST_TEST_GIVEN:
                    t->given = aip_xrealloc(t->given, sizeof *t->given * (t->ngiven + 1));
                    t->given[t->ngiven++] = it;
                    check_literal(d, src, it->u.test_given.facts, "facts");
                    break;
                case AST_TEST_PARAMS:
                    if (t->params)
                        diag_add(d, DIAG_ERROR, src, it->start, it->end, "test \"%s\" gives `params` twice", t->name);
                    t->params = it->u.test_params.map;
                    check_literal(d, src, t->params, "params");
                    break;
                case AST_TEST_EXPECT: {
                    ptest_expect e;
                    e.control = it->u.test_expect.id.name;
                    e.findings = it->u.test_expect.findings;
                    src_pos(src, it->start, &e.line, &col);
                    if (verdict_parse(it->u.test_expect.verdict, &e.verdict) != 0) {
                        diag_add(d, DIAG_ERROR, src, it->u.test_expect.verdict_start, it->u.test_expect.verdict_end,
                                 "unknown verdict `%s` (pass, fail, unknown, not_applicable, waived, error)",
                                 it->u.test_expect.verdict);
                        break;
                    }
                    int found = 0;
                    for (uint32_t q = 0; q < b->controls.n && !found; q++)
                        found = strcmp(b->strs.v[b->controls.v[q].id], e.control) == 0;
                    if (!found) {
                        diag_add(d, DIAG_ERROR, src, it->u.test_expect.id.start, it->u.test_expect.id.end,
                                 "no control %s in the policies under test", e.control);
                        break;
                    }
                    t->expects = aip_xrealloc(t->expects, sizeof *t->expects * (t->nexpects + 1));
                    t->expects[t->nexpects++] = e;
                    break;
                }
                default:
                    diag_add(d, DIAG_ERROR, src, it->start, it->end, "%s is not allowed in a test",
                             ast_kind_name(it->kind));
                }
            }
            if (!had_now)
                diag_add(d, DIAG_ERROR, src, tb->start, tb->start + 4,
                         "test \"%s\" has no `now \"YYYY-MM-DD\"`: verdicts depend on the date, so tests fix it",
                         t->name);
            if (!t->ngiven)
                diag_add(d, DIAG_ERROR, src, tb->start, tb->start + 4, "test \"%s\" has no `given` facts", t->name);
            if (!t->nexpects)
                diag_add(d, DIAG_ERROR, src, tb->start, tb->start + 4, "test \"%s\" expects nothing", t->name);
        }
    }
    *out = tests;
    return n;
}

void ptest_free(ptest *tests, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(tests[i].given);
        free(tests[i].expects);
    }
    free(tests);
}

int ptest_literal(fbuild *fb, const src_file *src, const ast *e, aip_error *err)
{
    unsigned line, col;
    src_pos(src, e->start, &line, &col);
    switch (e->kind) {
    case AST_NULL: return fb_null(fb, line, col);
    case AST_BOOL: return fb_bool(fb, e->u.b, line, col);
    case AST_INT: return fb_int(fb, e->u.i, line, col);
    case AST_DOUBLE: return fb_double(fb, e->u.d, line, col);
    case AST_DURATION: {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "%llds", (long long)e->u.i);
        return fb_str(fb, buf, (size_t)n, line, col);
    }
    case AST_UNARY:
        if (e->u.unary.op == OPX_NEG && e->u.unary.operand->kind == AST_INT && e->u.unary.operand->u.i != INT64_MIN)
            return fb_int(fb, -e->u.unary.operand->u.i, line, col);
        if (e->u.unary.op == OPX_NEG && e->u.unary.operand->kind == AST_DOUBLE)
            return fb_double(fb, -e->u.unary.operand->u.d, line, col);
        break;
    case AST_STRING:
        if (e->u.str.n == 0)
            return fb_str(fb, "", 0, line, col);
        if (e->u.str.n == 1 && e->u.str.parts[0].text)
            return fb_str(fb, e->u.str.parts[0].text, e->u.str.parts[0].len, line, col);
        break;
    case AST_LIST:
        if (fb_list_begin(fb, line, col) != 0)
            return -1;
        for (uint32_t i = 0; i < e->u.list.n; i++)
            if (ptest_literal(fb, src, e->u.list.items[i], err) != 0)
                return -1;
        return fb_list_end(fb);
    case AST_MAP:
        if (fb_map_begin(fb, line, col) != 0)
            return -1;
        for (uint32_t i = 0; i < e->u.map.n; i++) {
            const ast_map_entry *me = &e->u.map.entries[i];
            unsigned kl, kc;
            src_pos(src, me->key_start, &kl, &kc);
            if (fb_key(fb, me->key, strlen(me->key), kl, kc) != 0 ||
                ptest_literal(fb, src, me->value, err) != 0)
                return -1;
        }
        return fb_map_end(fb);
    default:
        break;
    }
    return aip_fail(fb_error(fb), src->path, line, col,
                    "test facts and params must be literals (no names, calls or interpolation)");
}

/* Build a literal into f as one document named after the test file. */
static int literal_doc(facts *f, const ptest *t, const ast *e, aip_error *err)
{
    unsigned char sha[32];
    aip_sha256(t->src->text + e->start, e->end - e->start, sha);
    fbuild *fb = facts_build_begin(f, t->src->path, sha);
    if (ptest_literal(fb, t->src, e, err) != 0) {
        *err = *fb_error(fb);
        facts_build_abort(fb);
        return -1;
    }
    return facts_build_end(fb, err);
}

int ptest_facts(const ptest *t, facts *f, aip_error *err)
{
    char dir[1024];
    given_dir(t->src, dir, sizeof dir);
    for (uint32_t i = 0; i < t->ngiven; i++) {
        const ast *g = t->given[i];
        if (g->u.test_given.path) {
            const char *p = g->u.test_given.path;
            char path[2048];
            if (p[0] == '/')
                snprintf(path, sizeof path, "%s", p);
            else
                snprintf(path, sizeof path, "%s/%s", dir, p);
            if (facts_load_file(f, path, FACTS_AUTO, err) != 0)
                return -1;
        } else if (literal_doc(f, t, g->u.test_given.facts, err) != 0) {
            return -1;
        }
    }
    return 0;
}

val *ptest_params(const ptest *t, const bundle *b, facts **store, arena *mem, aip_error *err)
{
    *store = facts_new();
    facts_set_first_file(*store, FACTS_PARAMS_FILE);
    if (!t->params)
        return params_resolve(b, NULL, *store, mem, err);
    if (literal_doc(*store, t, t->params, err) != 0)
        return NULL;
    return params_resolve(b, facts_root(*store), *store, mem, err);
}
