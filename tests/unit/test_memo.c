/* tests/unit/test_memo.c - runtime/memo.c: which calls may be cached, lookups
 * by value and by identity, generations, growth; and through the VM, that
 * cached calls give the results, findings and errors of uncached ones. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/memo.h"

#include "eval_src.h"
#include "fnode_build.h"

static val str(const char *s)
{
    return val_str(s, (uint32_t)strlen(s));
}

static void test_memo_cacheable(void **state)
{
    (void)state;
    fnode *fact = mk(FN_STR);          /* FNODE_BUILD_FILE: no file */
    fnode *located = mk(FN_STR);
    located->file = 0;                 /* from the first facts file */
    fnode *vm_list = mk(FN_LIST);
    fnode *fact_list = mk(FN_LIST);
    fact_list->file = 0;

    val ok[] = {val_null(), val_bool(1), val_int(7), val_double(0.5), str("s"), val_duration(60)};
    assert_true(memo_cacheable(ok, 4));
    assert_true(memo_cacheable(ok + 4, 2));
    assert_true(memo_cacheable(NULL, 0));
    assert_false(memo_cacheable(ok, 5));          /* more than MEMO_MAX_ARGS */

    val a = str("x");
    a.origin = fact;                              /* a constant node: no location */
    assert_true(memo_cacheable(&a, 1));
    a.origin = located;                           /* located in the facts */
    assert_false(memo_cacheable(&a, 1));

    val l = {0};
    l.kind = VAL_LIST;
    l.u.node = vm_list;
    assert_true(memo_cacheable(&l, 1));
    l.u.node = fact_list;
    assert_false(memo_cacheable(&l, 1));

    val u = val_undef(NULL);
    assert_false(memo_cacheable(&u, 1));
    val it = {0};
    it.kind = VAL_ITER;
    assert_false(memo_cacheable(&it, 1));
}

static void test_memo_find_put(void **state)
{
    (void)state;
    memo *t = memo_new();
    char s1[] = "kind", s2[] = "kind";            /* same content, two copies */
    val k1 = val_str(s1, 4), k2 = val_str(s2, 4);
    assert_null(memo_find(t, 3, &k1, 1));
    memo_put(t, 3, &k1, 1, val_int(42));
    assert_non_null(memo_find(t, 3, &k2, 1));
    assert_int_equal(memo_find(t, 3, &k2, 1)->u.i, 42);
    assert_null(memo_find(t, 4, &k1, 1));         /* another def */
    val two[] = {k1, val_int(1)};
    assert_null(memo_find(t, 3, two, 2));         /* another arity */
    val k3 = str("kinds");
    assert_null(memo_find(t, 3, &k3, 1));

    /* numbers: an int and a double are different arguments; doubles bitwise */
    val d0 = val_double(0.0), dm0 = val_double(-0.0), i0 = val_int(0), nan = val_double(NAN);
    memo_put(t, 1, &d0, 1, val_int(1));
    memo_put(t, 1, &nan, 1, val_int(2));
    assert_null(memo_find(t, 1, &dm0, 1));
    assert_null(memo_find(t, 1, &i0, 1));
    assert_int_equal(memo_find(t, 1, &nan, 1)->u.i, 2);

    /* lists and maps by identity */
    fnode *m1 = mk(FN_MAP), *m2 = mk(FN_MAP);
    val v1 = {0}, v2 = {0};
    v1.kind = v2.kind = VAL_MAP;
    v1.u.node = m1;
    v2.u.node = m2;
    memo_put(t, 2, &v1, 1, str("one"));
    assert_non_null(memo_find(t, 2, &v1, 1));
    assert_null(memo_find(t, 2, &v2, 1));

    /* a second put of the same call keeps the first result */
    memo_put(t, 3, &k2, 1, val_int(43));
    assert_int_equal(memo_find(t, 3, &k1, 1)->u.i, 42);

    /* no arguments */
    memo_put(t, 9, NULL, 0, val_bool(1));
    assert_true(memo_find(t, 9, NULL, 0)->u.b);

    /* a reset forgets everything, and the table fills again */
    memo_reset(t);
    assert_null(memo_find(t, 3, &k1, 1));
    assert_null(memo_find(t, 9, NULL, 0));
    memo_put(t, 3, &k1, 1, val_int(44));
    assert_int_equal(memo_find(t, 3, &k1, 1)->u.i, 44);
    memo_free(t);
    memo_free(NULL);
}

static void test_memo_growth_and_full_table(void **state)
{
    (void)state;
    memo *t = memo_new();
    for (int64_t i = 0; i < 1000; i++) {          /* several doublings */
        val a = val_int(i);
        memo_put(t, 0, &a, 1, val_int(i * 3));
    }
    for (int64_t i = 0; i < 1000; i++) {
        val a = val_int(i);
        const val *r = memo_find(t, 0, &a, 1);
        assert_non_null(r);
        assert_int_equal(r->u.i, i * 3);
    }
    /* past the largest table: later calls are simply not stored */
    for (int64_t i = 1000; i < 70000; i++) {
        val a = val_int(i);
        memo_put(t, 0, &a, 1, val_int(i * 3));
    }
    int64_t stored = 0;
    for (int64_t i = 0; i < 70000; i++) {
        val a = val_int(i);
        const val *r = memo_find(t, 0, &a, 1);
        if (r) {
            assert_int_equal(r->u.i, i * 3);
            stored++;
        }
    }
    assert_true(stored >= 1000 && stored < 70000);
    memo_reset(t);
    val a = val_int(5);
    assert_null(memo_find(t, 0, &a, 1));
    memo_put(t, 0, &a, 1, val_int(6));             /* room again after a reset */
    assert_int_equal(memo_find(t, 0, &a, 1)->u.i, 6);
    memo_free(t);
}

/* Through the VM: a def called many times with constant arguments (cached)
 * and with facts (not cached) gives the findings an uncached run gives: each
 * finding located at its own fact, undefined results naming their path, and
 * a runtime error in a cached-looking call still an error. */
static void test_memo_vm_results(void **state)
{
    (void)state;
    static const char policy[] =
        "package t\n"
        "def tier(e) = inventory.envs[e].tier\n"
        "def kind(spec) = {\"string\": spec, \"list\": \"enum\"}[type(spec)] ?? keys(spec)[0]\n"
        "def shapes() = {a: \"string\", b: [\"x\", \"y\"], c: {ref: \"envs\"}}\n"
        "def ok(v) = v != \"bad\" or v != v\n"
        "control GV.OC-01 {\n"
        "  for s in inventory.systems {\n"
        "    require tier(\"prod\") == \"prod\" else \"{s.id}: prod tier is {tier(\"prod\")}\"\n"
        "    require kind(shapes().a) == \"string\" and kind(shapes().b) == \"enum\" and kind(shapes().c) == \"ref\"\n"
        "    require ok(s.name) else \"{s.id}: bad name\"\n"
        "    require tier(\"none\") == \"x\" else \"never\"\n"
        "  }\n"
        "}\n"
        "def div(n) = 10 / n\n"
        "control GV.OC-02 {\n"
        "  for s in inventory.systems {\n"
        "    require div(0) > 1\n"
        "  }\n"
        "}\n";
    static const char yaml[] =
        "envs:\n  - {id: prod, tier: prod}\n"
        "systems:\n  - {id: s1, name: bad}\n  - {id: s2, name: good}\n  - {id: s3, name: bad}\n";
    run x = eval_src(policy, yaml, NULL);
    assert_int_equal(x.r->ncontrols, 2);
    const control_result *c = &x.r->controls[0];
    assert_int_equal(c->verdict, VERDICT_FAIL);
    /* s1 and s3: bad name, each at its own fact; every system: tier("none") missing */
    uint32_t bad = 0, missing = 0;
    for (uint32_t i = 0; i < c->nfindings; i++) {
        const finding *fd = &c->findings[i];
        if (fd->kind == FINDING_VIOLATION) {
            assert_non_null(strstr(fd->message, ": bad name"));
            assert_int_equal(fd->line, bad == 0 ? 4 : 6);
            assert_string_equal(fd->path, bad == 0 ? "systems[0].name" : "systems[2].name");
            bad++;
        } else {
            assert_int_equal(fd->kind, FINDING_MISSING_EVIDENCE);
            assert_string_equal(fd->path, "envs[\"none\"].tier");
            missing++;
        }
    }
    assert_int_equal(bad, 2);
    assert_int_equal(missing, 3);
    assert_int_equal(x.r->controls[1].verdict, VERDICT_ERROR);
    assert_non_null(strstr(x.r->controls[1].error, "division by zero"));
    eval_src_done(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memo_cacheable),
        cmocka_unit_test(test_memo_find_put),
        cmocka_unit_test(test_memo_growth_and_full_table),
        cmocka_unit_test(test_memo_vm_results),
    };
    return cmocka_run_group_tests_name("memo", tests, fnode_build_setup, fnode_build_teardown);
}
