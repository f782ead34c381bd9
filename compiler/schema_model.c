/* compiler/schema_model.c - read a manifest format's structure from the
 * `schema()` def of its stdlib module (see schema.h).
 *
 * schema() is a map literal of shapes, each {required: [...], fields: {key:
 * spec}}; a spec is a kind string ("string", "bool", "date", ...), a list of
 * allowed strings, or a map {const: v}, {ref: "list"}, {object: "shape"} or
 * {list: spec} (the module's comment lists them). Only the structure is kept:
 * which keys a shape has, which hold lists or nested shapes, and which are
 * scalars. The model owns copies of every string, so the parse it was read
 * from may go.
 *
 * Not here: checking a policy's paths (schema.c).
 */
#include "compiler/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/stdlib.h"

enum { SPEC_MAX_DEPTH = 8 };   /* {list: {list: ...}} nesting read */

struct schema_model {
    arena mem;
    const char *format;
    schema_shape *shapes;      /* arena */
    uint32_t nshapes;
    const schema_shape *root;
};

typedef struct pending {
    schema_type *type;
    const char *shape;
} pending;

typedef struct reader {
    schema_model *m;
    char *err;
    size_t errlen;
    int failed;
    pending *pend;
    size_t npend, pendcap;
} reader;

static void fail(reader *r, const char *what, const char *where)
{
    if (!r->failed)
        snprintf(r->err, r->errlen, "schema(): %s%s%s", what, where ? " at " : "", where ? where : "");
    r->failed = 1;
}

/* The text of a plain string literal, or NULL. */
static const char *plain(const ast *e)
{
    if (!e || e->kind != AST_STRING)
        return NULL;
    if (e->u.str.n == 0)
        return "";
    return e->u.str.n == 1 ? e->u.str.parts[0].text : NULL;
}

static const ast *entry(const ast *map, const char *key)
{
    if (!map || map->kind != AST_MAP)
        return NULL;
    for (uint32_t i = 0; i < map->u.map.n; i++)
        if (strcmp(map->u.map.entries[i].key, key) == 0)
            return map->u.map.entries[i].value;
    return NULL;
}

static schema_type *new_type(reader *r, schema_kind k)
{
    schema_type *t = arena_zalloc(&r->m->mem, sizeof *t);
    t->kind = k;
    return t;
}

static const schema_type *read_spec(reader *r, const ast *spec, const char *where, unsigned depth)
{
    if (depth > SPEC_MAX_DEPTH) {
        fail(r, "specs nest too deeply", where);
        return new_type(r, SCHEMA_UNKNOWN);
    }
    const char *s = plain(spec);
    if (s) {
        schema_type *t = new_type(r, SCHEMA_SCALAR);
        t->scalar = arena_strdup(&r->m->mem, s);
        return t;
    }
    if (spec->kind == AST_LIST) {
        schema_type *t = new_type(r, SCHEMA_SCALAR);
        t->scalar = "enum";
        return t;
    }
    if (spec->kind == AST_MAP) {
        const ast *v;
        if (entry(spec, "const")) {
            schema_type *t = new_type(r, SCHEMA_SCALAR);
            t->scalar = "const";
            return t;
        }
        if ((v = entry(spec, "ref")) != NULL && plain(v)) {
            schema_type *t = new_type(r, SCHEMA_SCALAR);
            t->scalar = "ref";
            t->ref = arena_strdup(&r->m->mem, plain(v));
            return t;
        }
        if ((v = entry(spec, "object")) != NULL && plain(v)) {
            schema_type *t = new_type(r, SCHEMA_OBJECT);
            AIP_GROW(r->pend, r->npend, r->pendcap);
            r->pend[r->npend].type = t;
            r->pend[r->npend].shape = plain(v);
            r->npend++;
            return t;
        }
        if ((v = entry(spec, "list")) != NULL) {
            schema_type *t = new_type(r, SCHEMA_LIST);
            t->elem = read_spec(r, v, where, depth + 1);
            return t;
        }
    }
    fail(r, "a spec that is not a kind, a list of strings, {const}, {ref}, {object} or {list}", where);
    return new_type(r, SCHEMA_UNKNOWN);
}

static schema_shape *find_shape(schema_model *m, const char *name)
{
    for (uint32_t i = 0; i < m->nshapes; i++)
        if (strcmp(m->shapes[i].name, name) == 0)
            return &m->shapes[i];
    return NULL;
}

/* Give every shape the path where it first occurs, breadth first from the
 * document: "models[]", "models[].approval", "monitoring[].alerts[]". */
static void assign_paths(schema_model *m, schema_shape *doc)
{
    const schema_shape **queue = aip_xmalloc(sizeof *queue * (m->nshapes + 1));
    uint32_t head = 0, tail = 0;
    doc->path = "";
    queue[tail++] = doc;
    while (head < tail) {
        const schema_shape *s = queue[head++];
        for (uint32_t i = 0; i < s->nfields; i++) {
            const schema_type *t = s->fields[i].type;
            const char *suffix = "";
            if (t->kind == SCHEMA_LIST && t->elem->kind == SCHEMA_OBJECT) {
                t = t->elem;
                suffix = "[]";
            }
            if (t->kind != SCHEMA_OBJECT || !t->shape || t->shape->path)
                continue;
            schema_shape *next = (schema_shape *)(void *)t->shape;   /* the model's own, still being built */
            next->path = arena_printf(&m->mem, "%s%s%s%s", s->path, *s->path ? "." : "",
                                      s->fields[i].name, suffix);
            queue[tail++] = next;
        }
    }
    free(queue);
    for (uint32_t i = 0; i < m->nshapes; i++)
        if (!m->shapes[i].path)
            m->shapes[i].path = m->shapes[i].name;   /* not reachable from the document */
}

schema_model *schema_model_from_ast(const ast_file *f, const char *format, char *err, size_t errlen)
{
    const ast *body = NULL;
    for (uint32_t i = 0; i < f->decls.n; i++) {
        const ast *d = f->decls.items[i];
        if (d->kind == AST_DEF && strcmp(d->u.def.name.name, "schema") == 0 && d->u.def.nparams == 0)
            body = d->u.def.body;
    }
    if (!body || body->kind != AST_MAP) {
        snprintf(err, errlen, "the module of %s has no `def schema() = {...}`", format);
        return NULL;
    }
    schema_model *m = aip_xcalloc(1, sizeof *m);
    arena_init(&m->mem);
    m->format = arena_strdup(&m->mem, format);
    m->shapes = arena_zalloc(&m->mem, sizeof *m->shapes * (body->u.map.n ? body->u.map.n : 1));
    reader r = {m, err, errlen, 0, NULL, 0, 0};
    for (uint32_t i = 0; i < body->u.map.n; i++) {
        const ast_map_entry *e = &body->u.map.entries[i];
        const ast *fields = entry(e->value, "fields");
        if (!fields || fields->kind != AST_MAP) {
            fail(&r, "a shape without a `fields` map:", e->key);
            break;
        }
        schema_shape *s = &m->shapes[m->nshapes++];
        s->name = arena_strdup(&m->mem, e->key);
        s->self.kind = SCHEMA_OBJECT;
        s->self.shape = s;
        s->nfields = fields->u.map.n;
        s->fields = arena_zalloc(&m->mem, sizeof *s->fields * (s->nfields ? s->nfields : 1));
        for (uint32_t k = 0; k < fields->u.map.n; k++) {
            s->fields[k].name = arena_strdup(&m->mem, fields->u.map.entries[k].key);
            s->fields[k].type = read_spec(&r, fields->u.map.entries[k].value, s->fields[k].name, 0);
        }
    }
    for (size_t i = 0; i < r.npend && !r.failed; i++) {
        r.pend[i].type->shape = find_shape(m, r.pend[i].shape);
        if (!r.pend[i].type->shape)
            fail(&r, "an {object} naming no shape:", r.pend[i].shape);
    }
    free(r.pend);
    schema_shape *doc = r.failed ? NULL : find_shape(m, "document");
    if (!r.failed && !doc)
        fail(&r, "no `document` shape", NULL);
    if (r.failed) {
        schema_model_free(m);
        return NULL;
    }
    m->root = doc;
    assign_paths(m, doc);
    return m;
}

schema_model *schema_model_load(const char *format, char *err, size_t errlen)
{
    char name[256];
    stdlib_manifest_module(format, name, sizeof name);
    const aip_embedded_file *ef = stdlib_find(name);
    if (!ef) {
        snprintf(err, errlen, "unknown manifest format `%s`", format);
        return NULL;
    }
    src_file *src = src_from_string(name, ef->data, ef->len);
    arena mem;
    arena_init(&mem);
    diag_list d;
    diag_init(&d);
    ast_file *f = lang_parse(src, &mem, &d);
    schema_model *m = NULL;
    if (d.errors)
        snprintf(err, errlen, "%s does not parse", name);
    else
        m = schema_model_from_ast(f, format, err, errlen);
    diag_free(&d);
    arena_free(&mem);
    src_free(src);
    return m;
}

void schema_model_free(schema_model *m)
{
    if (!m)
        return;
    arena_free(&m->mem);
    free(m);
}

const char *schema_format(const schema_model *m)
{
    return m->format;
}

const schema_type *schema_root(const schema_model *m)
{
    return &m->root->self;
}

uint32_t schema_shape_count(const schema_model *m)
{
    return m->nshapes;
}

const schema_shape *schema_shape_at(const schema_model *m, uint32_t i)
{
    return i < m->nshapes ? &m->shapes[i] : NULL;
}

const schema_field *schema_field_of(const schema_shape *s, const char *name)
{
    for (uint32_t i = 0; i < s->nfields; i++)
        if (strcmp(s->fields[i].name, name) == 0)
            return &s->fields[i];
    return NULL;
}

const char *schema_shape_desc(const schema_shape *s, char *buf, size_t len)
{
    size_t n = strlen(s->path);
    if (n == 0)
        snprintf(buf, len, "the inventory");
    else if (n >= 2 && strcmp(s->path + n - 2, "[]") == 0)
        snprintf(buf, len, "%s %.*s entry", strchr("aeiou", s->path[0]) ? "an" : "a", (int)(n - 2), s->path);
    else
        snprintf(buf, len, "%s", s->path);
    return buf;
}

const char *schema_type_desc(const schema_type *t)
{
    static const struct { const char *kind, *desc; } scalars[] = {
        {"bool", "a boolean"}, {"count", "an integer"}, {"positive", "an integer"},
        {"fraction", "a number"}, {"date", "a date string"}, {"timestamp", "a timestamp string"},
        {"string-or-number", "a string or a number"}, {"string-or-int", "a string or an integer"}};
    switch (t->kind) {
    case SCHEMA_LIST:
        return "a list";
    case SCHEMA_OBJECT:
        return "a map";
    case SCHEMA_SCALAR:
        for (size_t i = 0; i < sizeof scalars / sizeof *scalars; i++)
            if (strcmp(t->scalar, scalars[i].kind) == 0)
                return scalars[i].desc;
        return "a string";
    default:
        return "a value";
    }
}
