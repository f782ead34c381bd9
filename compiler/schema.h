/* compiler/schema.h - the structure of a manifest format, for checking the
 * fact paths of a policy that declares `uses manifest FORMAT`.
 *
 * The one description of a format is the `schema()` def of its stdlib module
 * (stdlib/ai-inventory-v1alpha1.aip): the run-time rules validate manifests
 * with it, and schema_model.c reads the same map literal from the module's
 * AST into shapes (maps with fixed keys), lists and scalars. A unit test
 * (tests/unit/test_schema.c) compares the model with the JSON Schema
 * docs/ai-inventory.schema.json, so the three cannot drift apart.
 *
 * schema.c walks the policy with the model (types of paths rooted at
 * `inventory`) and reports misspelled and impossible paths.
 */
#ifndef AIP_COMPILER_SCHEMA_H
#define AIP_COMPILER_SCHEMA_H

#include <stdint.h>

#include "lang/ast.h"

typedef enum schema_kind {
    SCHEMA_UNKNOWN,   /* nothing known: any path is accepted */
    SCHEMA_SCALAR,    /* a string, number or bool: no path goes further */
    SCHEMA_OBJECT,    /* a map with fixed keys (plus x- extension keys) */
    SCHEMA_LIST       /* a list of elem */
} schema_kind;

typedef struct schema_shape schema_shape;
typedef struct schema_type schema_type;

struct schema_type {
    schema_kind kind;
    const char *scalar;        /* SCALAR: the spec kind ("string", "bool", "date", "enum", "ref", ...) */
    const char *ref;           /* SCALAR "ref": the top-level list the id points into */
    const schema_shape *shape; /* OBJECT */
    const schema_type *elem;   /* LIST */
};

typedef struct schema_field {
    const char *name;
    const schema_type *type;
} schema_field;

struct schema_shape {
    const char *name;          /* key in schema(): "ai_system", "document", ... */
    const char *path;          /* where it first occurs: "ai_systems[]", "ai_systems[].data", "" (document) */
    schema_field *fields;
    uint32_t nfields;
    schema_type self;          /* the OBJECT type of this shape */
};

typedef struct schema_model schema_model;

/* Build the model of the module whose parsed file is f (its `def schema()`).
 * Returns NULL, with a reason in err, when the def is missing or malformed. */
schema_model *schema_model_from_ast(const ast_file *f, const char *format, char *err, size_t errlen);
/* Parse the embedded stdlib module of format ("ai-inventory/v1alpha1") and
 * build its model (for tests and tools). NULL with a reason in err. */
schema_model *schema_model_load(const char *format, char *err, size_t errlen);
void schema_model_free(schema_model *m);

const char *schema_format(const schema_model *m);
/* The document's type (the shape "document"). */
const schema_type *schema_root(const schema_model *m);
/* Every shape, in schema() order. */
uint32_t schema_shape_count(const schema_model *m);
const schema_shape *schema_shape_at(const schema_model *m, uint32_t i);
/* The field name of shape s, or NULL. */
const schema_field *schema_field_of(const schema_shape *s, const char *name);
/* "an ai_systems entry", "ai_systems[].data", "the inventory": for messages. */
const char *schema_shape_desc(const schema_shape *s, char *buf, size_t len);
/* "a string", "a boolean", "a list": for messages. */
const char *schema_type_desc(const schema_type *t);

#endif
