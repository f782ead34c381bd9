/* tests/unit/test_schema.c - schema-checked fact paths: the model read from
 * the stdlib module's schema() agrees with docs/ai-inventory.schema.json, and
 * the checker reports misspelled and impossible paths in every form a path
 * takes (direct, let, for, quantifiers, count, [ref] lookups, ??, def
 * parameters, exists, nested lists, x- keys, scalars) and accepts the correct
 * ones. Run from the repository root (make unit). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_src.h"
#include "compiler/schema.h"
#include "compiler/stdlib.h"
#include "runtime/facts.h"

#define HEAD "package p\nuses manifest ai-inventory/v1alpha1\n"

/* ---- the model against the JSON Schema ------------------------------------------- */

static const fnode *get(const fnode *m, const char *k)
{
    return m && m->kind == FN_MAP ? fnode_get(m, k, strlen(k)) : NULL;
}

static const char *str_of(const fnode *n)
{
    return n && n->kind == FN_STR ? n->u.s : NULL;
}

/* Follow "$ref": "#/$defs/NAME"; *def gets NAME (or NULL). */
static const fnode *deref(const fnode *root, const fnode *n, const char **def)
{
    *def = NULL;
    const char *ref = str_of(get(n, "$ref"));
    if (!ref || strncmp(ref, "#/$defs/", 8) != 0)
        return n;
    *def = ref + 8;
    return get(get(root, "$defs"), ref + 8);
}

static int one_of(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(s, *set) == 0)
            return 1;
    return 0;
}

static int mismatch(const char *path, const char *what)
{
    fprintf(stderr, "schema() disagrees with the JSON Schema at %s: %s\n", path, what);
    return 1;
}

/* Mismatches between JSON Schema node js and model type t at path. */
/* Shapes the comparison reached. */
static const schema_shape *visited[128];
static size_t nvisited;

static int compare(const fnode *root, const fnode *js, const schema_type *t, const char *path, unsigned depth)
{
    const char *def;
    js = deref(root, js, &def);
    if (!js || depth > 16)
        return mismatch(path, "unresolvable $ref or too deep");
    const char *type = str_of(get(js, "type"));
    char sub[512];
    if (get(js, "properties") || (type && strcmp(type, "object") == 0)) {
        if (t->kind != SCHEMA_OBJECT)
            return mismatch(path, "an object in the JSON Schema, not in schema()");
        int bad = 0;
        if (nvisited < sizeof visited / sizeof *visited)
            visited[nvisited++] = t->shape;
        if (!get(get(js, "patternProperties"), "^x-"))
            bad += mismatch(path, "no ^x- extension keys in the JSON Schema");
        const fnode *props = get(js, "properties");
        for (uint32_t i = 0; props && i < props->n; i++) {
            const char *k = props->u.entries[i].key;
            snprintf(sub, sizeof sub, "%s.%s", path, k);
            const schema_field *f = schema_field_of(t->shape, k);
            if (!f)
                bad += mismatch(sub, "a property schema() lacks");
            else
                bad += compare(root, props->u.entries[i].val, f->type, sub, depth + 1);
        }
        for (uint32_t i = 0; i < t->shape->nfields; i++)
            if (!get(props, t->shape->fields[i].name)) {
                snprintf(sub, sizeof sub, "%s.%s", path, t->shape->fields[i].name);
                bad += mismatch(sub, "a field the JSON Schema lacks");
            }
        return bad;
    }
    if (type && strcmp(type, "array") == 0) {
        if (t->kind != SCHEMA_LIST)
            return mismatch(path, "an array in the JSON Schema, not in schema()");
        snprintf(sub, sizeof sub, "%s[]", path);
        return compare(root, get(js, "items"), t->elem, sub, depth + 1);
    }
    if (t->kind != SCHEMA_SCALAR)
        return mismatch(path, "a scalar in the JSON Schema, not in schema()");
    static const char *const strings[] = {"string", "id", "ref", "enum", "const", "date", "timestamp", "sha256",
                                          "csf", NULL};
    static const char *const integers[] = {"count", "positive", NULL};
    static const char *const either[] = {"string-or-number", "string-or-int", NULL};
    /* the one documented difference: a review's subject.id is an id in
     * schema(), as the list it points into depends on subject.kind */
    if (def && strcmp(def, "ref") == 0 && strcmp(path, "inventory.reviews[].subject.id") == 0)
        return strcmp(t->scalar, "id") == 0 ? 0 : mismatch(path, "subject.id is not an id in schema()");
    if (def && strcmp(def, "ref") == 0)
        return strcmp(t->scalar, "ref") == 0 ? 0 : mismatch(path, "a ref in the JSON Schema, not in schema()");
    if (def && strcmp(def, "date") == 0)
        return strcmp(t->scalar, "date") == 0 ? 0 : mismatch(path, "a date in the JSON Schema, not in schema()");
    if (get(js, "const") || (type && strcmp(type, "string") == 0))
        return one_of(t->scalar, strings) ? 0 : mismatch(path, "a string in the JSON Schema, not in schema()");
    if (type && strcmp(type, "boolean") == 0)
        return strcmp(t->scalar, "bool") == 0 ? 0 : mismatch(path, "a boolean in the JSON Schema, not in schema()");
    if (type && strcmp(type, "integer") == 0)
        return one_of(t->scalar, integers) ? 0 : mismatch(path, "an integer in the JSON Schema, not in schema()");
    if (type && strcmp(type, "number") == 0)
        return strcmp(t->scalar, "fraction") == 0 ? 0 : mismatch(path, "a number in the JSON Schema, not in schema()");
    if (get(js, "anyOf"))
        return one_of(t->scalar, either) ? 0 : mismatch(path, "a string or number in the JSON Schema, not in schema()");
    return mismatch(path, "a JSON Schema node this test does not know");
}

static facts *load_json_schema(void)
{
    facts *f = facts_new();
    aip_error err;
    if (facts_load_file(f, "docs/ai-inventory.schema.json", FACTS_JSON, &err) != 0)
        fail_msg("docs/ai-inventory.schema.json: %s (run from the repository root)", err.msg);
    return f;
}

static void test_model_agrees_with_json_schema(void **state)
{
    (void)state;
    char err[300];
    schema_model *m = schema_model_load("ai-inventory/v1alpha1", err, sizeof err);
    if (!m)
        fail_msg("%s", err);
    facts *f = load_json_schema();
    nvisited = 0;
    assert_int_equal(compare(facts_root(f), facts_root(f), schema_root(m), "inventory", 0), 0);
    /* and every shape of schema() describes some part of the JSON Schema */
    for (uint32_t i = 0; i < schema_shape_count(m); i++) {
        size_t k = 0;
        while (k < nvisited && visited[k] != schema_shape_at(m, i))
            k++;
        if (k == nvisited)
            fail_msg("shape %s of schema() is not reached from the document", schema_shape_at(m, i)->name);
    }
    facts_free(f);
    schema_model_free(m);
}

/* The comparison does fail: a module whose schema() misspells one field and
 * retypes another disagrees with the JSON Schema. */
static void test_model_comparison_catches_drift(void **state)
{
    (void)state;
    const aip_embedded_file *ef = stdlib_find("ai-inventory-v1alpha1.aip");
    assert_non_null(ef);
    char *text = strdup(ef->data);
    char *p = strstr(text, "pinned: \"bool\"");
    assert_non_null(p);
    memcpy(p, "pined:  \"bool\"", 14);
    p = strstr(text, "on_call: \"string\"");
    assert_non_null(p);
    memcpy(p, "on_call: \"bool\"  ", 17);
    src_file *src = src_from_string("drift.aip", text, strlen(text));
    arena mem;
    arena_init(&mem);
    diag_list d;
    diag_init(&d);
    ast_file *af = lang_parse(src, &mem, &d);
    assert_int_equal(d.errors, 0);
    char err[300];
    schema_model *m = schema_model_from_ast(af, "ai-inventory/v1alpha1", err, sizeof err);
    assert_non_null(m);
    facts *f = load_json_schema();
    /* pinned: missing in schema(); pined: missing in the JSON Schema; on_call: a bool */
    assert_int_equal(compare(facts_root(f), facts_root(f), schema_root(m), "inventory", 0), 3);
    facts_free(f);
    schema_model_free(m);
    diag_free(&d);
    arena_free(&mem);
    src_free(src);
    free(text);
}

static void test_model_rejects_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "package stdlib.x\ndef other() = 1\n",                                      /* no schema() */
        "package stdlib.x\ndef schema() = {document: {required: []}}\n",            /* no fields */
        "package stdlib.x\ndef schema() = {document: {fields: {a: {object: \"nope\"}}}}\n",
        "package stdlib.x\ndef schema() = {document: {fields: {a: 3}}}\n",
        "package stdlib.x\ndef schema() = {thing: {fields: {a: \"string\"}}}\n",     /* no document */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        src_file *src = src_from_string("bad.aip", bad[i], strlen(bad[i]));
        arena mem;
        arena_init(&mem);
        diag_list d;
        diag_init(&d);
        ast_file *af = lang_parse(src, &mem, &d);
        char err[300] = "";
        schema_model *m = schema_model_from_ast(af, "x/v1", err, sizeof err);
        if (m)
            fail_msg("malformed schema %zu accepted", i);
        assert_true(err[0] != '\0');
        diag_free(&d);
        arena_free(&mem);
        src_free(src);
    }
    char err[300];
    assert_null(schema_model_load("nope/v9", err, sizeof err));
    assert_non_null(strstr(err, "unknown manifest format"));
}

static void test_model_descriptions(void **state)
{
    (void)state;
    char err[300], buf[200];
    schema_model *m = schema_model_load("ai-inventory/v1alpha1", err, sizeof err);
    assert_non_null(m);
    const schema_type *root = schema_root(m);
    assert_string_equal(schema_shape_desc(root->shape, buf, sizeof buf), "the inventory");
    const schema_type *sys = schema_field_of(root->shape, "ai_systems")->type->elem;
    assert_string_equal(schema_shape_desc(sys->shape, buf, sizeof buf), "an ai_systems entry");
    const schema_type *su = schema_field_of(sys->shape, "security_use")->type;
    assert_string_equal(schema_shape_desc(su->shape, buf, sizeof buf), "ai_systems[].security_use");
    const schema_type *mon = schema_field_of(root->shape, "monitoring")->type->elem;
    const schema_type *alert = schema_field_of(mon->shape, "alerts")->type->elem;
    assert_string_equal(schema_shape_desc(alert->shape, buf, sizeof buf), "a monitoring[].alerts entry");
    const schema_type *owner = schema_field_of(sys->shape, "owner")->type;
    assert_string_equal(owner->ref, "owners");
    assert_string_equal(schema_type_desc(owner), "a string");
    assert_string_equal(schema_type_desc(schema_field_of(sys->shape, "user_facing")->type), "a boolean");
    assert_string_equal(schema_type_desc(schema_field_of(sys->shape, "tags")->type), "a list");
    assert_null(schema_field_of(sys->shape, "credentails"));
    schema_model_free(m);
}

/* ---- the checker ---------------------------------------------------------------- */

/* Compile src; every "line:col message" of want (NULL-terminated) must be an
 * error, and there must be no other error. */
static void expect_errors(const char *label, const char *src, const char *const *want)
{
    diag_list d;
    diag_init(&d);
    compiler *cc = compiler_new(&d);
    compiler_add_source(cc, "t.aip", src, strlen(src));
    bundle *b = compiler_build(cc);
    size_t nwant = 0;
    for (; want[nwant]; nwant++) {
        unsigned wl, wc;
        int off = 0;
        if (sscanf(want[nwant], "%u:%u %n", &wl, &wc, &off) != 2)
            fail_msg("%s: bad expectation %s", label, want[nwant]);
        int found = 0;
        for (size_t i = 0; i < d.n && !found; i++) {
            unsigned l = 0, c = 0;
            if (d.items[i].src)
                src_pos(d.items[i].src, d.items[i].start, &l, &c);
            found = d.items[i].level == DIAG_ERROR && l == wl && c == wc && strstr(d.items[i].msg, want[nwant] + off);
        }
        if (!found) {
            diag_print(&d, stderr, 0);
            fail_msg("%s: no error at %u:%u \"%s\"", label, wl, wc, want[nwant] + off);
        }
    }
    if (d.errors != nwant || (nwant == 0) != (b != NULL)) {
        diag_print(&d, stderr, 0);
        fail_msg("%s: %zu errors, expected %zu", label, d.errors, nwant);
    }
    bundle_free(b);
    diag_free(&d);
    compiler_free(cc);
}

#define OK(label, src) do { static const char *const none_[] = {NULL}; expect_errors(label, src, none_); } while (0)
#define ERR(label, src, ...) do { static const char *const w_[] = {__VA_ARGS__, NULL}; expect_errors(label, src, w_); } while (0)

static void test_direct_paths(void **state)
{
    (void)state;
    ERR("direct", HEAD "control PR.AA-01 { require inventory.ai_sytems == [] }",
        "3:38 'ai_sytems' is not a field of the inventory in ai-inventory/v1alpha1; did you mean 'ai_systems'?");
    OK("direct ok", HEAD "control PR.AA-01 { require inventory.ai_systems == [] }");
    ERR("nested object", HEAD "control PR.AA-01 { require inventory.metadata.profile.verison == \"1\" }",
        "3:55 'verison' is not a field of metadata.profile in ai-inventory/v1alpha1; did you mean 'version'?");
    OK("nested object ok", HEAD "control PR.AA-01 { require inventory.metadata.profile.version == \"1\" }");
    ERR("[\"key\"] form", HEAD "control PR.AA-01 { require inventory[\"metdata\"][\"name\"] == \"x\" }",
        "3:38 'metdata' is not a field of the inventory");
    OK("[\"key\"] ok", HEAD "control PR.AA-01 { require inventory[\"metadata\"][\"name\"] == \"x\" }");
    ERR("no close name: the fields are listed", HEAD "control PR.AA-01 { require inventory.metadata.zzz == 1 }",
        "3:47 'zzz' is not a field of metadata in ai-inventory/v1alpha1 (its fields: name, organization, "
        "generated, generator, profile, sources)");
}

static void test_let_for_quantifiers(void **state)
{
    (void)state;
    ERR("let", HEAD "control PR.AA-01 {\n let s = inventory.ai_systems[0]\n require s.ownr != \"\"\n}",
        "5:12 'ownr' is not a field of an ai_systems entry in ai-inventory/v1alpha1; did you mean 'owner'?");
    OK("let ok", HEAD "control PR.AA-01 {\n let s = inventory.ai_systems[0]\n require s.owner != \"\"\n}");
    ERR("for", HEAD "control PR.AA-01 {\n for s in inventory.ai_systems where s.lifecyle == \"production\" {\n"
                    "  require s.user_facng\n }\n}",
        "4:40 did you mean 'lifecycle'?", "5:13 did you mean 'user_facing'?");
    OK("for ok", HEAD "control PR.AA-01 {\n for s in inventory.ai_systems where s.lifecycle == \"production\" {\n"
                      "  require s.user_facing\n }\n}");
    ERR("all", HEAD "control PR.AA-01 { require all s in inventory.ai_systems: s.nmae != \"\" }",
        "3:61 'nmae' is not a field of an ai_systems entry");
    OK("all ok", HEAD "control PR.AA-01 { require all s in inventory.ai_systems: s.name != \"\" }");
    ERR("any/none", HEAD "control PR.AA-01 { require none e in inventory.endpoints: e.exposre == \"public\" }",
        "3:61 'exposre' is not a field of an endpoints entry in ai-inventory/v1alpha1; did you mean 'exposure'?");
    ERR("count", HEAD "control PR.AA-01 { require count(m in inventory.models where m.pined) == 0 }",
        "3:64 'pined' is not a field of a models entry in ai-inventory/v1alpha1; did you mean 'pinned'?");
    OK("count ok", HEAD "control PR.AA-01 { require count(m in inventory.models where m.pinned) == 0 }");
    OK("a loop over a map's values is not typed",
       HEAD "control PR.AA-01 { for v in inventory.metadata { require v.anything == 1 } }");
}

static void test_lookups(void **state)
{
    (void)state;
    ERR("[ref] by a variable", HEAD "control PR.AA-01 {\n for s in inventory.ai_systems {\n"
                                    "  require all m in s.models: inventory.models[m].pined\n }\n}",
        "5:50 did you mean 'pinned'?");
    OK("[ref] ok", HEAD "control PR.AA-01 {\n for s in inventory.ai_systems {\n"
                        "  require all m in s.models: inventory.models[m].pinned\n }\n}");
    ERR("[ref] by a string", HEAD "control PR.AA-01 { require inventory.credentials[\"c1\"].rotation.autmated }",
        "3:65 'autmated' is not a field of credentials[].rotation in ai-inventory/v1alpha1; did you mean 'automated'?");
    OK("[ref] by a string ok", HEAD "control PR.AA-01 { require inventory.credentials[\"c1\"].rotation.automated }");
    ERR("by an int", HEAD "control PR.AA-01 { require inventory.prompts[0].contains_secret }",
        "3:49 did you mean 'contains_secrets'?");
    OK("by an int ok", HEAD "control PR.AA-01 { require not inventory.prompts[0].contains_secrets }");
    ERR("nested lists", HEAD "control PR.AA-01 {\n for m in inventory.monitoring {\n"
                             "  require all a in m.alerts: a.sevrity == \"high\"\n  require m.alerts[0].rout != \"\"\n }\n}",
        "5:32 'sevrity' is not a field of a monitoring[].alerts entry in ai-inventory/v1alpha1; did you mean 'severity'?",
        "6:23 did you mean 'route'?");
    OK("nested lists ok", HEAD "control PR.AA-01 {\n for m in inventory.monitoring {\n"
                               "  require all a in m.alerts: a.severity == \"high\"\n  require m.alerts[0].route != \"\"\n }\n}");
    ERR("??", HEAD "control PR.AA-01 { require ((inventory.models ?? [])[0].approval ?? {}).statsu == \"approved\" }",
        "3:73 'statsu' is not a field of models[].approval in ai-inventory/v1alpha1; did you mean 'status'?");
    OK("?? of two types is not typed",
       HEAD "control PR.AA-01 { require (inventory.owners[0] ?? inventory.providers[0]).type == \"internal\" }");
    ERR("?? of one type twice", HEAD "control PR.AA-01 { require (inventory.owners[0] ?? inventory.owners[1]).nme }",
        "3:73 did you mean 'name'?");
    ERR("string interpolation", HEAD "control PR.AA-01 { for s in inventory.ai_systems { require false else \"{s.nme}\" } }",
        "3:75 did you mean 'name'?");
    OK("?? ok", HEAD "control PR.AA-01 { require ((inventory.models ?? [])[0].approval ?? {}).status == \"approved\" }");
    ERR("exists", HEAD "control PR.AA-01 { require exists(inventory.credentials[0].rotaton) }",
        "3:60 'rotaton' is not a field of a credentials entry in ai-inventory/v1alpha1; did you mean 'rotation'?");
    OK("exists ok", HEAD "control PR.AA-01 { require exists(inventory.credentials[0].rotation) }");
    OK("x- extension keys: any key, any value",
       HEAD "control PR.AA-01 { require inventory.ai_systems[0][\"x-team\"].lead.name == \"a\" and "
            "inventory.metadata.profile[\"x-note\"] != \"\" }");
    OK("computed keys are not checked", HEAD "control PR.AA-01 { for k in keys(inventory) { require inventory[k] != null } }");
}

static void test_impossible_paths(void **state)
{
    (void)state;
    ERR("a field of a string", HEAD "control PR.AA-01 { for s in inventory.ai_systems { require s.owner.name != \"\" } }",
        "3:68 'name' cannot be read from s.owner, a string (an id from owners[]: look the entry up with "
        "inventory.owners[...])");
    OK("the owner looked up", HEAD "control PR.AA-01 { for s in inventory.ai_systems { "
                                   "require inventory.owners[s.owner].name != \"\" } }");
    ERR("a field of a ref element", HEAD "control PR.AA-01 { for s in inventory.ai_systems { "
                                         "for c in s.credentials { require c.store != \"env-var\" } } }",
        "3:87 'store' cannot be read from c, a string (an id from credentials[]");
    ERR("a field of a bool", HEAD "control PR.AA-01 { require inventory.credentials[0].shared.value }",
        "3:60 'value' cannot be read from inventory.credentials[0].shared, a boolean");
    ERR("a field of a list", HEAD "control PR.AA-01 { require inventory.ai_systems[0].tags.first == \"a\" }",
        "3:57 'first' cannot be read from inventory.ai_systems[0].tags, a list (index it, or loop over it");
    ERR("indexing a string", HEAD "control PR.AA-01 { require inventory.ai_systems[0].owner[0] == \"a\" }",
        "3:58 inventory.ai_systems[0].owner is a string: it cannot be indexed");
    ERR("a field of a number", HEAD "control PR.AA-01 { require inventory.logging[0].retention_days.min > 1 }",
        "3:64 'min' cannot be read from inventory.logging[0].retention_days, an integer");
}

static void test_defs(void **state)
{
    (void)state;
    ERR("def parameter", HEAD "def prod(s) = s.lifecycel == \"production\"\n"
                              "control PR.AA-01 { require all s in inventory.ai_systems: prod(s) }",
        "3:17 'lifecycel' is not a field of an ai_systems entry in ai-inventory/v1alpha1; did you mean "
        "'lifecycle'? (with s an ai_systems entry, from the call at t.aip:4:59)");
    OK("def parameter ok", HEAD "def prod(s) = s.lifecycle == \"production\"\n"
                                "control PR.AA-01 { require all s in inventory.ai_systems: prod(s) }");
    OK("a def called with untyped values says nothing",
       HEAD "def f(x) = x.anything\ncontrol PR.AA-01 { require f({a: 1}) == 1 and f(2) == 3 }");
    ERR("inventory inside a def", HEAD "def n() = len(inventory.model)\ncontrol PR.AA-01 { require n() > 0 }",
        "3:25 'model' is not a field of the inventory in ai-inventory/v1alpha1; did you mean 'models'?");
    ERR("a def's result type", HEAD "def systems() = inventory.ai_systems ?? []\n"
                                    "control PR.AA-01 { require all s in systems(): s.risk_teir == \"low\" }",
        "4:50 did you mean 'risk_tier'?");
    ERR("through two defs", HEAD "def rot(c) = c.rotation\ndef auto(c) = rot(c).automatic\n"
                                 "control PR.AA-01 { require all c in inventory.credentials: auto(c) }",
        "4:22 'automatic' is not a field of credentials[].rotation in ai-inventory/v1alpha1; did you mean 'automated'? "
        "(with c a credentials entry, from the call at t.aip:5:60)");
    ERR("several call types, one message per position",
        HEAD "def nm(x) = x.nmae\ncontrol PR.AA-01 { require nm(inventory.owners[0]) == nm(inventory.providers[0]) }",
        "3:15 'nmae' is not a field of an owners entry");
    ERR("a stdlib def given the wrong entry",
        HEAD "import stdlib.ai\ncontrol PR.AA-01 { require ai.is_production(inventory.owners[0]) }",
        "6:26 'lifecycle' is not a field of an owners entry in ai-inventory/v1alpha1 (its fields: id, kind, name, "
        "email, role, on_call) (with s an owners entry, from the call at t.aip:4:28)");
    OK("a stdlib def given the right entry",
       HEAD "import stdlib.ai\ncontrol PR.AA-01 { require ai.is_production(inventory.ai_systems[0]) }");
}

/* The stdlib error above is located in <stdlib>/ai.aip; check where. */
static void test_stdlib_error_location(void **state)
{
    (void)state;
    const char *src = HEAD "import stdlib.ai\ncontrol PR.AA-01 { require ai.is_production(inventory.owners[0]) }";
    diag_list d;
    diag_init(&d);
    compiler *cc = compiler_new(&d);
    compiler_add_source(cc, "t.aip", src, strlen(src));
    assert_null(compiler_build(cc));
    assert_int_equal(d.errors, 1);
    assert_non_null(d.items[0].src);
    assert_string_equal(d.items[0].src->path, "<stdlib>/ai.aip");
    diag_free(&d);
    compiler_free(cc);
}

static void test_scope_and_opt_in(void **state)
{
    (void)state;
    OK("no uses manifest: unchecked", "package p\ncontrol PR.AA-01 { require inventory.ai_sytems.zz == [] }");
    ERR("several errors in one run", HEAD "control PR.AA-01 {\n require inventory.modls == []\n"
                                          " require inventory.ai_systems[0].nam == \"\"\n"
                                          " require inventory.owners[0].emial == \"\"\n}",
        "4:20 did you mean 'models'?", "5:34 did you mean 'name'?", "6:30 did you mean 'email'?");
    /* a local named like a root field shadows nothing of the facts */
    OK("a local called inventory-like", HEAD "control PR.AA-01 { for inv in inventory.owners { require inv.email != \"\" } }");
    /* another file of the package is checked too (the bundle declares the format) */
    diag_list d;
    diag_init(&d);
    compiler *cc = compiler_new(&d);
    const char *a = HEAD "def x() = 1\n";
    const char *b = "package p\ncontrol PR.AA-01 { require inventory.ai_systems[0].nme == x() }";
    compiler_add_source(cc, "a.aip", a, strlen(a));
    compiler_add_source(cc, "b.aip", b, strlen(b));
    assert_null(compiler_build(cc));
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.items[0].src->path, "b.aip");
    assert_non_null(strstr(d.items[0].msg, "did you mean 'name'?"));
    diag_free(&d);
    compiler_free(cc);
}

/* The shipped pack compiles with the checker on. */
static void test_pack_is_clean(void **state)
{
    (void)state;
    diag_list d;
    diag_init(&d);
    compiler *cc = compiler_new(&d);
    assert_int_equal(compiler_add_path(cc, "policies/ir8596"), 0);
    bundle *b = compiler_build(cc);
    if (!b)
        diag_print(&d, stderr, 0);
    assert_non_null(b);
    bundle_free(b);
    diag_free(&d);
    compiler_free(cc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_agrees_with_json_schema),
        cmocka_unit_test(test_model_comparison_catches_drift),
        cmocka_unit_test(test_model_rejects_malformed),
        cmocka_unit_test(test_model_descriptions),
        cmocka_unit_test(test_direct_paths),
        cmocka_unit_test(test_let_for_quantifiers),
        cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_impossible_paths),
        cmocka_unit_test(test_defs),
        cmocka_unit_test(test_stdlib_error_location),
        cmocka_unit_test(test_scope_and_opt_in),
        cmocka_unit_test(test_pack_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
