/* tests/unit/test_facts.c - the facts set (runtime/facts.c): builder, merge of
 * several files (concatenation, overlay by id, conflicts, failed loads),
 * id index, fnode_path, VM nodes, limits, file loading and SHA-256.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/facts.h"
#include "runtime/facts_int.h"

static const fnode *get(const fnode *m, const char *k)
{
    return fnode_get(m, k, strlen(k));
}

static void assert_at(const fnode *n, unsigned file, unsigned line, unsigned col)
{
    assert_non_null(n);
    assert_int_equal(n->file, file);
    assert_int_equal(n->line, line);
    assert_int_equal(n->col, col);
}

/* Load text (format from name) into f. 0 or -1. */
static int load(facts *f, const char *name, const char *text, aip_error *err)
{
    memset(err, 0, sizeof *err);
    return facts_load_buffer(f, name, text, strlen(text), FACTS_AUTO, err);
}

/* err as aip_error_print renders it, in buf. */
static const char *rendered(const aip_error *err, char *buf, size_t size)
{
    FILE *mem = fmemopen(buf, size, "w");
    assert_non_null(mem);
    aip_error_print(err, mem);
    fclose(mem);
    return buf;
}

static void fixture_path(char *buf, size_t size, const char *rel)
{
    const char *file = __FILE__, *slash = strrchr(file, '/');
    if (slash)
        snprintf(buf, size, "%.*s/../fixtures/facts/%s", (int)(slash - file), file, rel);
    else
        snprintf(buf, size, "../fixtures/facts/%s", rel);
}

/* Check that every child in the tree under n points back to its parent with
 * the right index. */
static void assert_links(const fnode *n)
{
    if (n->kind == FN_LIST) {
        for (uint32_t i = 0; i < n->n; i++) {
            assert_ptr_equal(n->u.items[i]->parent, n);
            assert_int_equal(n->u.items[i]->index, i);
            assert_links(n->u.items[i]);
        }
    } else if (n->kind == FN_MAP) {
        for (uint32_t i = 0; i < n->n; i++) {
            if (i > 0)
                assert_true(strcmp(n->u.entries[i - 1].key, n->u.entries[i].key) < 0);
            assert_ptr_equal(n->u.entries[i].val->parent, n);
            assert_int_equal(n->u.entries[i].val->index, i);
            assert_links(n->u.entries[i].val);
        }
    }
}

/* ---- empty set and builder ------------------------------------------------- */

static void test_facts_empty_set(void **state)
{
    (void)state;
    facts *f = facts_new();
    const fnode *r = facts_root(f);
    assert_int_equal(r->kind, FN_MAP);
    assert_int_equal(r->n, 0);
    assert_null(r->parent);
    assert_int_equal(facts_file_count(f), 0);
    assert_null(facts_file_name(f, 0));
    assert_null(facts_file_sha256(f, 0));
    facts_limits *l = facts_limits_of(f);
    assert_int_equal(l->max_depth, 256);
    assert_int_equal(l->max_string, 1 << 20);
    assert_int_equal(l->max_total, (size_t)1 << 30);
    assert_int_equal(l->max_files, 1024);
    char buf[8] = "x";
    assert_string_equal(fnode_path(r, buf, sizeof buf), "");
    facts_free(f);
}

static void test_facts_builder_inline(void **state)
{
    (void)state;
    facts *f = facts_new();
    aip_error err;
    fbuild *b = facts_build_begin(f, "policy_test.aip", NULL);
    assert_int_equal(fb_map_begin(b, 3, 5), 0);
    assert_int_equal(fb_key(b, "zeta", 4, 4, 7), 0);
    assert_int_equal(fb_list_begin(b, 4, 13), 0);
    assert_int_equal(fb_null(b, 4, 14), 0);
    assert_int_equal(fb_double(b, 0.5, 4, 20), 0);
    assert_int_equal(fb_list_end(b), 0);
    assert_int_equal(fb_key(b, "alpha", 5, 5, 7), 0);
    assert_int_equal(fb_str(b, "a\0b", 3, 5, 14), 0);
    assert_int_equal(fb_key(b, "mid", 3, 6, 7), 0);
    assert_int_equal(fb_bool(b, 7, 6, 12), 0);
    assert_int_equal(fb_map_end(b), 0);
    assert_int_equal(facts_build_end(b, &err), 0);

    const fnode *r = facts_root(f);
    assert_at(r, 0, 3, 5);
    assert_int_equal(r->n, 3);
    assert_string_equal(r->u.entries[0].key, "alpha");
    assert_string_equal(r->u.entries[1].key, "mid");
    assert_string_equal(r->u.entries[2].key, "zeta");
    const fnode *s = get(r, "alpha");
    assert_int_equal(s->n, 3);
    assert_memory_equal(s->u.s, "a\0b", 4);
    assert_at(s, 0, 5, 14);
    assert_int_equal(get(r, "mid")->u.b, 1);
    const fnode *z = get(r, "zeta");
    assert_at(z->u.items[1], 0, 4, 20);
    assert_true(z->u.items[1]->u.d == 0.5);
    assert_null(fnode_key_of(z->u.items[1]));
    assert_string_equal(fnode_key_of(z), "zeta");
    assert_null(fnode_key_of(r));
    assert_links(r);
    assert_int_equal(facts_file_count(f), 1);
    assert_string_equal(facts_file_name(f, 0), "policy_test.aip");
    assert_string_equal(facts_file_sha256(f, 0), "");
    facts_free(f);
}

static void test_facts_builder_misuse(void **state)
{
    (void)state;
    facts *f = facts_new();
    aip_error err;

    fbuild *b = facts_build_begin(f, "x", NULL);
    assert_int_equal(fb_map_begin(b, 1, 1), 0);
    assert_int_equal(fb_int(b, 1, 1, 2), -1);   /* a value without a key */
    assert_string_equal(fb_error(b)->msg, "a map value without a key");
    assert_int_equal(fb_key(b, "k", 1, 1, 3), -1); /* failed builders stay failed */
    assert_int_equal(facts_build_end(b, &err), -1);
    assert_string_equal(err.msg, "a map value without a key");

    b = facts_build_begin(f, "x", NULL);
    assert_int_equal(fb_map_begin(b, 1, 1), 0);
    assert_int_equal(fb_map_end(b), 0);
    assert_int_equal(fb_map_begin(b, 2, 1), -1);
    assert_string_equal(fb_error(b)->msg, "more than one top-level value");
    facts_build_abort(b);

    b = facts_build_begin(f, "x", NULL);
    assert_int_equal(fb_key(b, "k", 1, 1, 1), -1);
    facts_build_abort(b);

    b = facts_build_begin(f, "x", NULL);
    assert_int_equal(fb_map_begin(b, 1, 1), 0);
    assert_int_equal(fb_key(b, "k", 1, 1, 2), 0);
    assert_int_equal(fb_map_end(b), -1);
    assert_string_equal(fb_error(b)->msg, "a key without a value");
    facts_build_abort(b);

    b = facts_build_begin(f, "x", NULL);
    assert_int_equal(fb_map_begin(b, 2, 4), 0);
    assert_int_equal(facts_build_end(b, &err), -1);
    assert_string_equal(err.msg, "incomplete document: a list or map is not closed");
    assert_int_equal(err.line, 2);

    b = facts_build_begin(f, "x", NULL);
    assert_int_equal(facts_build_end(b, &err), -1);
    assert_string_equal(err.msg, "no document (the top level must be a map)");

    b = facts_build_begin(f, "x", NULL);
    assert_int_equal(fb_list_begin(b, 1, 1), 0);
    assert_int_equal(fb_map_end(b), -1);
    facts_build_abort(b);

    assert_int_equal(facts_file_count(f), 0);
    assert_int_equal(facts_root(f)->n, 0);
    facts_free(f);
}

/* ---- merge --------------------------------------------------------------------- */

/* Every node names its own file: a params store's ids start at
 * FACTS_PARAMS_FILE, so a param value attached to the facts is located in the
 * params file, not in the facts file of the same load position. */
static void test_facts_node_file_params_store(void **state)
{
    (void)state;
    aip_error err;
    facts *f = facts_new(), *p = facts_new();
    facts_set_first_file(p, FACTS_PARAMS_FILE);
    assert_int_equal(load(f, "f.yaml", "a: 1\n", &err), 0);
    assert_int_equal(load(p, "params.yaml", "limit: 10\n", &err), 0);
    const fnode *a = fnode_get(facts_root(f), "a", 1);
    const fnode *limit = fnode_get(facts_root(p), "limit", 5);
    assert_non_null(a);
    assert_non_null(limit);
    assert_int_equal(limit->file, FACTS_PARAMS_FILE);
    assert_string_equal(facts_node_file(f, a), "f.yaml");
    assert_string_equal(facts_node_file(p, limit), "params.yaml");
    assert_null(facts_node_file(f, limit));        /* not attached yet: unknown, never f.yaml */
    assert_null(facts_node_file(p, a));
    facts_set_params_store(f, p);
    assert_string_equal(facts_node_file(f, limit), "params.yaml");
    assert_string_equal(facts_node_file(f, a), "f.yaml");
    assert_string_equal(facts_file_name(p, 0), "params.yaml");   /* positions stay 0-based */
    assert_null(facts_node_file(f, NULL));
    facts_free(f);
    facts_free(p);
}

static void test_facts_merge_files(void **state)
{
    (void)state;
    char base[1024], overlay[1024], conflict[1024];
    fixture_path(base, sizeof base, "merge/base.yaml");
    fixture_path(overlay, sizeof overlay, "merge/overlay.json");
    fixture_path(conflict, sizeof conflict, "merge/conflict.yaml");
    facts *f = facts_new();
    aip_error err;
    assert_int_equal(facts_load_file(f, base, FACTS_AUTO, &err), 0);
    assert_int_equal(facts_load_file(f, overlay, FACTS_AUTO, &err), 0);
    assert_int_equal(facts_file_count(f), 2);
    assert_string_equal(facts_file_name(f, 1), overlay);
    assert_string_equal(facts_file_sha256(f, 0),
                        "9b76eb3459b2e0e22b55831f9f4aac284047c0c8e4909331c7cdbe0126bc53f2");
    assert_string_equal(facts_file_sha256(f, 1),
                        "1cd7a13496a96a7eee394e64b7dc40d15e7776ff2531d9cbe3353af313d8a9e1");

    const fnode *r = facts_root(f);
    assert_null(r->parent);
    assert_links(r);
    assert_at(get(r, "kind"), 0, 2, 7);

    /* nested maps merge key by key, each value keeping its own place */
    const fnode *meta = get(r, "metadata");
    assert_int_equal(meta->n, 2);
    assert_at(get(meta, "name"), 0, 4, 9);
    assert_at(get(meta, "generator"), 1, 2, 29);

    /* lists concatenate; the merged list has an index over both files' ids */
    const fnode *owners = get(r, "owners");
    assert_int_equal(owners->n, 2);
    assert_true(fnode_has_id_index(owners));
    const fnode *bob = fnode_by_id(owners, "bob", 3);
    assert_at(bob, 1, 3, 14);
    char path[256];
    assert_string_equal(fnode_path(get(bob, "kind"), path, sizeof path), "owners[1].kind");
    assert_at(fnode_by_id(owners, "alice", 5), 0, 6, 5);

    /* an entry whose id repeats is overlaid key by key */
    const fnode *models = get(r, "models");
    assert_int_equal(models->n, 3);
    const fnode *m1 = fnode_by_id(models, "m1", 2);
    assert_ptr_equal(m1, models->u.items[1]);
    assert_at(m1, 0, 11, 5);                     /* the first file's entry */
    assert_at(get(m1, "owner"), 0, 12, 12);      /* equal values: the first one stays */
    assert_at(get(m1, "pinned"), 0, 13, 13);
    const fnode *sha = get(get(m1, "digest"), "sha256");
    assert_string_equal(sha->u.s, "abc");
    assert_at(sha, 1, 5, 57);
    assert_string_equal(fnode_path(sha, path, sizeof path), "models[1].digest.sha256");
    assert_at(fnode_by_id(models, "m2", 2), 1, 6, 5);
    assert_int_equal(fnode_by_id(models, "m2", 2)->index, 2);
    assert_null(fnode_by_id(models, "m3", 2));

    /* lists inside overlaid entries concatenate too */
    const fnode *s1 = fnode_by_id(get(r, "ai_systems"), "s1", 2);
    const fnode *sm = get(s1, "models");
    assert_int_equal(sm->n, 2);
    assert_at(sm->u.items[0], 0, 16, 14);
    assert_at(sm->u.items[1], 1, 8, 42);
    assert_string_equal(fnode_path(sm->u.items[1], path, sizeof path), "ai_systems[0].models[1]");
    assert_string_equal(get(s1, "lifecycle")->u.s, "production");

    /* a conflicting third file: error naming both places, set unchanged */
    const fnode *before = facts_root(f);
    assert_int_equal(facts_load_file(f, conflict, FACTS_AUTO, &err), -1);
    assert_string_equal(err.file, conflict);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 12);
    char want[2048];
    snprintf(want, sizeof want, "key \"owner\" of models[\"m2\"] is \"carol\" here but \"bob\" at %s:6:27",
             overlay);
    assert_string_equal(err.msg, want);
    assert_ptr_equal(facts_root(f), before);
    assert_int_equal(facts_file_count(f), 2);
    assert_int_equal(get(facts_root(f), "models")->n, 3);
    assert_int_equal(get(fnode_by_id(get(facts_root(f), "models"), "m1", 2), "pinned")->u.b, 1);
    assert_links(facts_root(f));
    facts_free(f);
}

static void test_facts_merge_conflict_message(void **state)
{
    (void)state;
    facts *f = facts_new();
    aip_error err;
    assert_int_equal(load(f, "facts/a.yaml", "kind: AIInventory\nmodels:\n  - id: m1\n    owner: bob\n", &err), 0);
    assert_int_equal(load(f, "facts/b.yaml", "kind: AIInventory\nmodels:\n- id: m1\n  owner: alice\n", &err), -1);
    char buf[2048];
    assert_string_equal(rendered(&err, buf, sizeof buf),
                        "facts/b.yaml:4:10: error: key \"owner\" of models[\"m1\"] is \"alice\" "
                        "here but \"bob\" at facts/a.yaml:4:12\n");

    /* kinds that differ, at the top level */
    assert_int_equal(load(f, "c.json", "{\"models\": {\"m1\": 1}}", &err), -1);
    assert_string_equal(err.msg, "top-level key \"models\" is a map here but a list at facts/a.yaml:3:3");
    assert_int_equal(err.col, 12);

    /* scalars of different kinds, ids with characters that need quoting */
    assert_int_equal(load(f, "d.yaml", "models:\n- id: m1\n  owner: 12\n", &err), -1);
    assert_string_equal(err.msg, "key \"owner\" of models[\"m1\"] is 12 here but \"bob\" at facts/a.yaml:4:12");
    assert_int_equal(load(f, "e.yaml", "x:\n  - id: 'a\"b'\n    v: 1.5\n", &err), 0);
    assert_int_equal(load(f, "g.yaml", "x:\n  - id: 'a\"b'\n    v: 2.5\n", &err), -1);
    assert_string_equal(err.msg, "key \"v\" of x[\"a\\\"b\"] is 2.5 here but 1.5 at e.yaml:3:8");
    assert_int_equal(facts_file_count(f), 2);
    facts_free(f);
}

static void test_facts_merge_equal_and_nested(void **state)
{
    (void)state;
    facts *f = facts_new();
    aip_error err;
    assert_int_equal(load(f, "a.yaml", "kind: X\nn: null\nmeta: {a: {b: 1}}\nl: [{a: 1}]\nt: [x]\n", &err), 0);
    assert_int_equal(load(f, "b.json", "{\"kind\": \"X\", \"n\": null, \"meta\": {\"a\": {\"c\": 2}}, \"l\": [{\"a\": 2}], \"t\": [\"x\"]}", &err), 0);
    const fnode *r = facts_root(f);
    assert_at(get(r, "kind"), 0, 1, 7);
    const fnode *a = get(get(r, "meta"), "a");
    assert_int_equal(a->n, 2);
    assert_at(get(a, "b"), 0, 3, 15);
    assert_at(get(a, "c"), 1, 1, 46);
    /* items without ids are never overlaid */
    const fnode *l = get(r, "l");
    assert_int_equal(l->n, 2);
    assert_false(fnode_has_id_index(l));
    /* equal scalars in lists still concatenate */
    assert_int_equal(get(r, "t")->n, 2);
    assert_links(r);

    /* three files: two overlays of one entry */
    assert_int_equal(load(f, "c.yaml", "s: [{id: s1, a: 1}]\n", &err), 0);
    assert_int_equal(load(f, "d.yaml", "s: [{id: s1, b: 2}, {id: s2}]\n", &err), 0);
    assert_int_equal(load(f, "e.yaml", "s: [{id: s2, c: 3}, {id: s1, c: 4}]\n", &err), 0);
    const fnode *s = get(facts_root(f), "s");
    assert_int_equal(s->n, 2);
    const fnode *s1 = fnode_by_id(s, "s1", 2);
    assert_int_equal(s1->n, 4);
    assert_int_equal(get(s1, "a")->file, 2);
    assert_int_equal(get(s1, "b")->file, 3);
    assert_int_equal(get(s1, "c")->file, 4);
    assert_int_equal(get(fnode_by_id(s, "s2", 2), "c")->u.i, 3);
    assert_links(facts_root(f));
    assert_int_equal(facts_file_count(f), 5);
    facts_free(f);
}

static void test_facts_merge_into_list_without_index(void **state)
{
    (void)state;
    facts *f = facts_new();
    aip_error err;
    assert_int_equal(load(f, "a.yaml", "l: [{id: x, a: 1}, 5, {b: 2}]\n", &err), 0);
    assert_false(fnode_has_id_index(get(facts_root(f), "l")));
    assert_int_equal(load(f, "b.yaml", "l: [{id: x, c: 3}, {id: y}]\n", &err), 0);
    const fnode *l = get(facts_root(f), "l");
    assert_int_equal(l->n, 4);
    assert_false(fnode_has_id_index(l));
    assert_null(fnode_by_id(l, "x", 1));
    assert_int_equal(l->u.items[0]->n, 3);
    assert_int_equal(get(l->u.items[0], "c")->u.i, 3);
    assert_string_equal(get(l->u.items[3], "id")->u.s, "y");
    assert_int_equal(load(f, "c.yaml", "l: [{id: x, a: 9}]\n", &err), -1);
    assert_string_equal(err.msg, "key \"a\" of l[\"x\"] is 9 here but 1 at a.yaml:1:16");
    facts_free(f);
}

static void test_facts_failed_load_leaves_set_unchanged(void **state)
{
    (void)state;
    facts *f = facts_new();
    aip_error err;
    assert_int_equal(load(f, "a.yaml", "models: [{id: m1, owner: bob}]\nx: 1\n", &err), 0);
    const fnode *root = facts_root(f);
    const fnode *models = get(root, "models");
    const fnode *m1 = models->u.items[0];
    /* syntax error late in the file */
    assert_int_equal(load(f, "b.json", "{\"models\": [{\"id\": \"m2\"}], \"y\": [1,]}", &err), -1);
    /* merge conflict after a list that would have concatenated */
    assert_int_equal(load(f, "c.yaml", "models: [{id: m3}, {id: m1, owner: eve}]\nx: 1\n", &err), -1);
    /* not a map */
    assert_int_equal(load(f, "d.yaml", "- 1\n", &err), -1);
    assert_ptr_equal(facts_root(f), root);
    assert_int_equal(root->n, 2);
    assert_ptr_equal(get(root, "models"), models);
    assert_int_equal(models->n, 1);
    assert_ptr_equal(m1->parent, models);
    assert_null(fnode_by_id(models, "m3", 2));
    assert_int_equal(facts_file_count(f), 1);
    /* and a later good load still works, with the next file index */
    assert_int_equal(load(f, "e.yaml", "models: [{id: m3}]\n", &err), 0);
    assert_int_equal(get(facts_root(f), "models")->n, 2);
    assert_int_equal(fnode_by_id(get(facts_root(f), "models"), "m3", 2)->file, 1);
    assert_string_equal(facts_file_name(f, 1), "e.yaml");
    facts_free(f);
}

static void test_facts_duplicate_ids_in_one_file(void **state)
{
    (void)state;
    facts *f = facts_new();
    aip_error err;
    assert_int_equal(load(f, "a.json", "{\"models\": [{\"id\": \"m1\"},\n {\"id\": \"m2\"},\n {\"id\": \"m1\", \"x\": 1}]}", &err), -1);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 9);
    assert_string_equal(err.msg, "duplicate id \"m1\" in list \"models\" (first at a.json:1:20)");
    /* also in a list where not every item has an id */
    assert_int_equal(load(f, "b.yaml", "l:\n  - 1\n  - id: q\n  - id: q\n", &err), -1);
    assert_string_equal(err.msg, "duplicate id \"q\" in list \"l\" (first at b.yaml:3:9)");
    /* and in a list that is not a map value */
    assert_int_equal(load(f, "c.yaml", "l:\n  - - id: q\n    - id: q\n", &err), -1);
    assert_string_equal(err.msg, "duplicate id \"q\" in list (first at c.yaml:2:11)");
    /* the same id in two lists is fine */
    assert_int_equal(load(f, "d.yaml", "a: [{id: q}]\nb: [{id: q}]\n", &err), 0);
    facts_free(f);
}

/* ---- id index ---------------------------------------------------------------- */

static void test_facts_id_index(void **state)
{
    (void)state;
    size_t n = 10000;
    size_t cap = 64 + n * 32;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = (size_t)snprintf(text, cap, "{\"items\": [");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "%s{\"id\": \"id%zu\", \"n\": %zu}",
                                i ? "," : "", i, i);
    len += (size_t)snprintf(text + len, cap - len, "]}");
    facts *f = facts_new();
    aip_error err;
    assert_int_equal(facts_load_buffer(f, "big.json", text, len, FACTS_JSON, &err), 0);
    free(text);
    const fnode *items = get(facts_root(f), "items");
    assert_true(fnode_has_id_index(items));
    for (size_t i = 0; i < n; i++) {
        char id[32];
        int l = snprintf(id, sizeof id, "id%zu", i);
        const fnode *e = fnode_by_id(items, id, (size_t)l);
        assert_non_null(e);
        assert_int_equal(get(e, "n")->u.i, (int64_t)i);
        assert_int_equal(e->index, i);
    }
    assert_null(fnode_by_id(items, "id10000", 7));
    assert_null(fnode_by_id(items, "id", 2));
    assert_null(fnode_by_id(items, "", 0));
    assert_null(fnode_by_id(items, "id1", 2));      /* a prefix of "id1" */
    assert_null(fnode_by_id(facts_root(f), "id1", 3));   /* not a list */
    assert_null(fnode_by_id(NULL, "id1", 3));
    facts_free(f);
}

/* Lists of up to 8 items are searched item by item, longer ones through a
 * hash table: the same lookups, repeats and merges on both sides of the line. */
static void test_facts_id_index_short_and_long_lists(void **state)
{
    (void)state;
    for (int n = 1; n <= 12; n++) {
        char text[1024];
        size_t len = (size_t)snprintf(text, sizeof text, "{\"l\": [");
        for (int i = 0; i < n; i++)
            len += (size_t)snprintf(text + len, sizeof text - len, "%s{\"id\": \"x%d\", \"n\": %d}",
                                    i ? ", " : "", i, i);
        snprintf(text + len, sizeof text - len, "]}");
        facts *f = facts_new();
        aip_error err;
        assert_int_equal(facts_load_buffer(f, "s.json", text, strlen(text), FACTS_JSON, &err), 0);
        const fnode *l = get(facts_root(f), "l");
        assert_true(fnode_has_id_index(l));
        for (int i = 0; i < n; i++) {
            char id[16];
            int k = snprintf(id, sizeof id, "x%d", i);
            const fnode *e = fnode_by_id(l, id, (size_t)k);
            assert_non_null(e);
            assert_int_equal(get(e, "n")->u.i, i);
        }
        assert_null(fnode_by_id(l, "x", 1));
        assert_null(fnode_by_id(l, "x99", 3));
        /* a second file: x0 merges into its entry, y is appended and found */
        assert_int_equal(load(f, "t.yaml", "l:\n  - {id: x0, m: 1}\n  - {id: y}\n", &err), 0);
        l = get(facts_root(f), "l");
        assert_int_equal(l->n, (uint32_t)n + 1);
        assert_int_equal(get(fnode_by_id(l, "x0", 2), "m")->u.i, 1);
        assert_int_equal(get(fnode_by_id(l, "x0", 2), "n")->u.i, 0);
        assert_ptr_equal(fnode_by_id(l, "y", 1), l->u.items[n]);
        /* a repeated id, the first and the last item */
        if (n >= 2) {
            text[len] = '\0';
            len += (size_t)snprintf(text + len, sizeof text - len, ", {\"id\": \"x0\"}]}");
            facts *g = facts_new();
            assert_int_equal(facts_load_buffer(g, "d.json", text, strlen(text), FACTS_JSON, &err), -1);
            assert_non_null(strstr(err.msg, "duplicate id \"x0\" in list \"l\" (first at d.json:1:"));
            facts_free(g);
        }
        facts_free(f);
    }
}

static void test_facts_id_index_only_when_all_items_have_ids(void **state)
{
    (void)state;
    facts *f = facts_new();
    aip_error err;
    assert_int_equal(load(f, "a.yaml",
                          "all: [{id: a}, {id: b}]\n"
                          "missing: [{id: a}, {name: b}]\n"
                          "intid: [{id: 1}, {id: 2}]\n"
                          "scalars: [a, b]\n"
                          "empty: []\n"
                          "mixed: [{id: a}, [1]]\n"
                          "nul: [{id: \"a\\0b\"}, {id: a}]\n",
                          &err), 0);
    const fnode *r = facts_root(f);
    assert_true(fnode_has_id_index(get(r, "all")));
    assert_non_null(fnode_by_id(get(r, "all"), "b", 1));
    assert_false(fnode_has_id_index(get(r, "missing")));
    assert_null(fnode_by_id(get(r, "missing"), "a", 1));
    assert_false(fnode_has_id_index(get(r, "intid")));
    assert_false(fnode_has_id_index(get(r, "scalars")));
    assert_false(fnode_has_id_index(get(r, "empty")));
    assert_null(fnode_by_id(get(r, "empty"), "a", 1));
    assert_false(fnode_has_id_index(get(r, "mixed")));
    const fnode *nul = get(r, "nul");
    assert_ptr_equal(fnode_by_id(nul, "a\0b", 3), nul->u.items[0]);
    assert_ptr_equal(fnode_by_id(nul, "a", 1), nul->u.items[1]);
    assert_null(fnode_by_id(nul, "a\0", 2));
    facts_free(f);
}

/* ---- paths and lookups ------------------------------------------------------------ */

static void test_facts_path_tricky_keys(void **state)
{
    (void)state;
    facts *f = facts_new();
    aip_error err;
    static const char text[] =
        "{\"ai_systems\": [{\"credentials\": [0, {\"shared\": true}]}],"
        " \"key-with-dash\": {\"c d\": [[{\"x\\\"y\\\\z\": {\"\": {\"ok_1\": {\"1abc\": {\"_u\": "
        "{\"tab\\t\": {\"\xc3\xa9\": {\"A\": 1}}}}}}}}]]}}";
    assert_int_equal(load(f, "p.json", text, &err), 0);
    const fnode *r = facts_root(f);
    char buf[256];
    const fnode *shared = get(fnode_at(get(fnode_at(get(r, "ai_systems"), 0), "credentials"), 1),
                              "shared");
    assert_string_equal(fnode_path(shared, buf, sizeof buf), "ai_systems[0].credentials[1].shared");
    const fnode *n = get(r, "key-with-dash");
    assert_string_equal(fnode_path(n, buf, sizeof buf), "[\"key-with-dash\"]");
    n = fnode_at(fnode_at(get(n, "c d"), 0), 0);
    n = get(get(get(get(get(get(get(get(n, "x\"y\\z"), ""), "ok_1"), "1abc"), "_u"), "tab\t"),
                "\xc3\xa9"), "A");
    assert_non_null(n);
    assert_string_equal(fnode_path(n, buf, sizeof buf),
                        "[\"key-with-dash\"][\"c d\"][0][0][\"x\\\"y\\\\z\"][\"\"].ok_1[\"1abc\"]"
                        "._u[\"tab\\u0009\"][\"\xc3\xa9\"].A");
    /* truncation keeps the start and marks the cut */
    char small[12];
    assert_string_equal(fnode_path(shared, small, sizeof small), "ai_syste...");
    char tiny[2] = "zz";
    assert_string_equal(fnode_path(shared, tiny, sizeof tiny), "a");
    char none[1] = {'q'};
    fnode_path(shared, none, 0);
    assert_int_equal(none[0], 'q');

    /* lookups that must miss */
    assert_null(fnode_get(NULL, "a", 1));
    assert_null(fnode_get(shared, "a", 1));
    assert_null(get(r, "key"));
    assert_null(fnode_at(get(r, "ai_systems"), 1));
    assert_null(fnode_at(get(r, "ai_systems"), -1));
    assert_null(fnode_at(r, 0));
    assert_null(fnode_key_of(NULL));
    facts_free(f);
}

/* ---- VM nodes ------------------------------------------------------------------ */

/* fnode_get: small maps are scanned by stored hash, large ones searched by
 * key order; both find every key (also keys that share a prefix, the empty
 * key, keys with a NUL) and nothing else; merged maps keep the hashes. */
static void test_facts_get_small_and_large_maps(void **state)
{
    (void)state;
    char text[2048];
    size_t len = 0;
    for (int n = 1; n <= 40; n += 13) {   /* 1, 14, 27 (scanned), 40 (searched) */
        facts *f = facts_new();
        aip_error err;
        len = (size_t)snprintf(text, sizeof text, "{\"\": 0, \"a\\u0000b\": -1");
        for (int i = 1; i < n; i++)
            len += (size_t)snprintf(text + len, sizeof text - len, ", \"k%d\": %d", i, i);
        snprintf(text + len, sizeof text - len, "}");
        memset(&err, 0, sizeof err);
        assert_int_equal(facts_load_buffer(f, "m.json", text, strlen(text), FACTS_JSON, &err), 0);
        const fnode *m = facts_root(f);
        assert_int_equal(m->n, (uint32_t)n + 1);
        assert_int_equal(get(m, "")->u.i, 0);
        assert_int_equal(fnode_get(m, "a\0b", 3)->u.i, -1);
        assert_null(fnode_get(m, "a", 1));
        for (int i = 1; i < n; i++) {
            char k[16];
            snprintf(k, sizeof k, "k%d", i);
            assert_int_equal(get(m, k)->u.i, i);
            assert_int_equal(m->u.entries[get(m, k)->index].hash, fnode_key_hash(k, strlen(k)));
        }
        assert_null(get(m, "k"));
        assert_null(get(m, "k0"));
        assert_null(get(m, "k400"));
        /* hinted lookups: a stale or out-of-range hint still finds the key (and
         * is moved to it), a right one is kept, a missing key leaves it alone */
        uint8_t hint = 200;
        for (int i = 1; i < n; i++) {
            char k[16];
            snprintf(k, sizeof k, "k%d", i);
            const fnode *want = get(m, k);
            assert_ptr_equal(fnode_get_hinted(m, k, strlen(k), fnode_key_hash(k, strlen(k)), &hint), want);
            assert_int_equal(hint, want->index);
            assert_ptr_equal(fnode_get_hinted(m, k, strlen(k), fnode_key_hash(k, strlen(k)), &hint), want);
            assert_int_equal(hint, want->index);
            uint8_t before = hint;
            assert_null(fnode_get_hinted(m, "k400", 4, fnode_key_hash("k400", 4), &hint));
            assert_int_equal(hint, before);
        }
        /* a hint at an entry with the same hash but another key is not taken */
        uint8_t h0 = 0;
        assert_null(fnode_get_hinted(m, "zz", 2, m->u.entries[0].hash, &h0));
        assert_null(fnode_get_hinted(NULL, "k1", 2, fnode_key_hash("k1", 2), &h0));
        /* a second file merged in: old and new keys found in the merged map */
        assert_int_equal(load(f, "n.yaml", "zz: 9\nk1: 1\n", &err), 0);
        m = facts_root(f);
        assert_int_equal(get(m, "zz")->u.i, 9);
        assert_int_equal(get(m, "")->u.i, 0);
        assert_int_equal(get(m, "k1")->u.i, 1);
        facts_free(f);
    }
}

static void test_facts_vm_nodes(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    fnode *m = fnode_new(&a, FN_MAP);
    assert_non_null(m);
    assert_int_equal(m->file, FNODE_NO_FILE);
    assert_int_equal(m->n, 0);
    assert_null(m->parent);
    static const char *const keys[] = {"b", "a", "c"};
    m->n = 3;
    m->u.entries = arena_alloc(&a, 3 * sizeof(fentry));
    for (int i = 0; i < 3; i++) {
        fnode *v = fnode_new(&a, FN_INT);
        v->u.i = i;
        m->u.entries[i].key = keys[i];
        m->u.entries[i].key_len = 1;
        m->u.entries[i].val = v;
    }
    const char *dup = NULL;
    assert_int_equal(fnode_map_finish(m, &dup), 0);
    assert_string_equal(m->u.entries[0].key, "a");
    assert_int_equal(get(m, "b")->u.i, 0);
    assert_int_equal(get(m, "c")->u.i, 2);
    assert_ptr_equal(get(m, "c")->parent, m);
    assert_int_equal(get(m, "c")->index, 2);
    char buf[32];
    assert_string_equal(fnode_path(get(m, "c"), buf, sizeof buf), "c");

    /* a repeated key */
    m->u.entries[2].key = "a";
    assert_int_equal(fnode_map_finish(m, &dup), -1);
    assert_string_equal(dup, "a");

    /* a fact node held by a VM map keeps its place in the facts tree */
    facts *f = facts_new();
    aip_error err;
    assert_int_equal(load(f, "a.yaml", "x: {y: 1}\n", &err), 0);
    fnode *fact = (fnode *)get(facts_root(f), "x");
    fnode *vm = fnode_new(&a, FN_MAP);
    vm->n = 1;
    vm->u.entries = arena_alloc(&a, sizeof(fentry));
    vm->u.entries[0].key = "k";
    vm->u.entries[0].key_len = 1;
    vm->u.entries[0].val = fact;
    assert_int_equal(fnode_map_finish(vm, NULL), 0);
    assert_ptr_equal(fact->parent, facts_root(f));
    assert_string_equal(fnode_path(fact, buf, sizeof buf), "x");
    facts_free(f);

    /* an arena past its limit gives NULL */
    arena small;
    arena_init(&small);
    small.limit = 1;
    assert_null(fnode_new(&small, FN_LIST));
    arena_free(&small);
    arena_free(&a);
}

/* ---- limits and files ---------------------------------------------------------------- */

static void test_facts_limits_files_and_total(void **state)
{
    (void)state;
    facts *f = facts_new();
    aip_error err;
    facts_limits_of(f)->max_files = 2;
    facts_limits_of(f)->max_total = 24;
    assert_int_equal(load(f, "a.yaml", "a: 1\n", &err), 0);        /* 5 bytes */
    assert_int_equal(load(f, "b.yaml", "b: 123456789012\n", &err), 0); /* 16: 21 in all */
    assert_int_equal(load(f, "c.yaml", "c: 1\n", &err), -1);
    assert_string_equal(err.msg, "more than 2 facts files (raise the limit with --max-files)");
    assert_string_equal(err.file, "c.yaml");
    assert_int_equal(err.line, 0);
    facts_limits_of(f)->max_files = 10;
    assert_int_equal(load(f, "c.yaml", "c: 1\n", &err), -1);
    assert_string_equal(err.msg, "facts input larger than 24 bytes in total (raise the limit with --max-input, in MiB)");
    assert_int_equal(load(f, "c.yaml", "c:\n", &err), 0);          /* 3: 24 in all */
    assert_int_equal(facts_file_count(f), 3);
    /* failed loads do not count toward the total */
    assert_int_equal(load(f, "d.yaml", "", &err), -1);
    facts_free(f);

    char path[1024];
    fixture_path(path, sizeof path, "merge/base.yaml");
    f = facts_new();
    facts_limits_of(f)->max_total = 100;
    assert_int_equal(facts_load_file(f, path, FACTS_AUTO, &err), -1);
    assert_string_equal(err.msg, "facts input larger than 100 bytes in total (raise the limit with --max-input, in MiB)");
    assert_int_equal(facts_file_count(f), 0);
    facts_free(f);
}

static void test_facts_load_file_errors(void **state)
{
    (void)state;
    facts *f = facts_new();
    aip_error err;
    char path[1024];
    fixture_path(path, sizeof path, "merge/no-such-file.yaml");
    assert_int_equal(facts_load_file(f, path, FACTS_AUTO, &err), -1);
    assert_string_equal(err.msg, "cannot read facts: No such file or directory");
    assert_int_equal(err.line, 0);
    assert_string_equal(err.file, path);
    fixture_path(path, sizeof path, "merge");
    assert_int_equal(facts_load_file(f, path, FACTS_YAML, &err), -1);
    assert_string_equal(err.msg, "cannot read facts: Is a directory");
    assert_string_equal(err.file, path);
    assert_int_equal(facts_file_count(f), 0);
    facts_free(f);
}

static void test_facts_format_choice(void **state)
{
    (void)state;
    facts *f = facts_new();
    aip_error err;
    /* ".json" in any case means JSON: YAML syntax is then an error */
    assert_int_equal(load(f, "x.JSON", "a: 1\n", &err), -1);
    assert_string_equal(err.msg, "expected a value");
    /* anything else is YAML (which reads this flow mapping) */
    assert_int_equal(load(f, "x.json.yml", "{\"a\": 1}", &err), 0);
    assert_int_equal(facts_load_buffer(f, "x.json", "b: 2", 4, FACTS_YAML, &err), 0);
    assert_int_equal(facts_load_buffer(f, "y.yaml", "{\"c\": 3}", 8, FACTS_JSON, &err), 0);
    assert_int_equal(facts_root(f)->n, 3);
    /* the digest covers the bytes: SHA-256("b: 2") */
    assert_string_equal(facts_file_sha256(f, 1),
                        "92d61a99136569211de0d9519a25e412e59aef9418fd013b0648e821eca52012");
    facts_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_facts_empty_set),
        cmocka_unit_test(test_facts_builder_inline),
        cmocka_unit_test(test_facts_builder_misuse),
        cmocka_unit_test(test_facts_merge_files),
        cmocka_unit_test(test_facts_node_file_params_store),
        cmocka_unit_test(test_facts_merge_conflict_message),
        cmocka_unit_test(test_facts_merge_equal_and_nested),
        cmocka_unit_test(test_facts_merge_into_list_without_index),
        cmocka_unit_test(test_facts_failed_load_leaves_set_unchanged),
        cmocka_unit_test(test_facts_duplicate_ids_in_one_file),
        cmocka_unit_test(test_facts_id_index),
        cmocka_unit_test(test_facts_id_index_short_and_long_lists),
        cmocka_unit_test(test_facts_id_index_only_when_all_items_have_ids),
        cmocka_unit_test(test_facts_path_tricky_keys),
        cmocka_unit_test(test_facts_get_small_and_large_maps),
        cmocka_unit_test(test_facts_vm_nodes),
        cmocka_unit_test(test_facts_limits_files_and_total),
        cmocka_unit_test(test_facts_load_file_errors),
        cmocka_unit_test(test_facts_format_choice),
    };
    return cmocka_run_group_tests_name("facts", tests, NULL, NULL);
}
