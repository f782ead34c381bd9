/* runtime/params.c - params files: type-checked overrides of param defaults
 * (see params.h). Uses the facts loader, so a params file gets the same
 * strict YAML/JSON parsing and located errors as inventory facts.
 */
#include "runtime/params.h"

#include <string.h>

int params_parse_duration(const char *s, size_t len, int64_t *seconds)
{
    if (len < 2)
        return -1;
    int64_t n = 0;
    size_t i = 0;
    for (; i + 1 < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        if (__builtin_mul_overflow(n, 10, &n) || __builtin_add_overflow(n, s[i] - '0', &n))
            return -1;
    }
    int64_t unit;
    switch (s[len - 1]) {
    case 'w': unit = (int64_t)7 * 86400; break;
    case 'd': unit = 86400; break;
    case 'h': unit = 3600; break;
    case 'm': unit = 60; break;
    case 's': unit = 1; break;
    default: return -1;
    }
    return __builtin_mul_overflow(n, unit, seconds) ? -1 : 0;
}

static const char *kind_word(uint8_t kind)
{
    return kind == VAL_DURATION ? "duration (a string like \"90d\")" : val_kind_name((val_kind)kind);
}

/* Index of the param named by key, -1 if none, -2 if ambiguous. */
static int find_param(const bundle *b, const char *key)
{
    int found = -1;
    for (uint32_t i = 0; i < b->params.n; i++) {
        const bc_param *p = &b->params.v[i];
        const char *name = b->strs.v[p->name], *pkg = b->strs.v[p->package];
        size_t pl = strlen(pkg);
        int qualified = strncmp(key, pkg, pl) == 0 && key[pl] == '.' && strcmp(key + pl + 1, name) == 0;
        if (qualified)
            return (int)i;
        if (strcmp(key, name) == 0)
            found = found == -1 ? (int)i : -2;
    }
    return found;
}

val *params_resolve(const bundle *b, const fnode *root, const facts *store, arena *mem, aip_error *err)
{
    val *pv = arena_alloc(mem, sizeof(val) * (b->params.n ? b->params.n : 1));
    if (!pv) {
        aip_fail(err, NULL, 0, 0, "out of memory");
        return NULL;
    }
    for (uint32_t i = 0; i < b->params.n; i++)
        pv[i] = b->kvals[b->params.v[i].def];
    if (!root)
        return pv;
    const char *file = facts_node_file(store, root);
    if (root->kind != FN_MAP) {
        aip_fail(err, file, root->line, root->col, "a params file must be a map of param names to values");
        return NULL;
    }
    for (uint32_t i = 0; i < root->n; i++) {
        const fentry *e = &root->u.entries[i];
        const fnode *v = e->val;
        const char *vfile = facts_node_file(store, v);
        if (!vfile)
            vfile = file;
        int pi = find_param(b, e->key);
        if (pi == -2) {
            aip_fail(err, vfile, v->line, v->col,
                     "param '%s' is declared in several packages: write package.%s", e->key, e->key);
            return NULL;
        }
        if (pi < 0) {
            char known[512];
            size_t o = 0;
            known[0] = '\0';
            for (uint32_t k = 0; k < b->params.n && o < sizeof known - 80; k++)
                o += (size_t)snprintf(known + o, sizeof known - o, "%s%s", k ? ", " : "",
                                      b->strs.v[b->params.v[k].name]);
            aip_fail(err, vfile, v->line, v->col, "unknown param '%s'%s%s%s", e->key,
                     b->params.n ? " (params: " : " (the policy declares no params)", known,
                     b->params.n ? ")" : "");
            return NULL;
        }
        const bc_param *p = &b->params.v[pi];
        val x = val_from_node(v);
        if (p->kind == VAL_NULL || x.kind == p->kind) {
            pv[pi] = x;
        } else if (p->kind == VAL_DOUBLE && x.kind == VAL_INT) {
            pv[pi] = val_double((double)x.u.i);
            pv[pi].origin = v;
        } else if (p->kind == VAL_DURATION && x.kind == VAL_STR) {
            int64_t secs;
            if (params_parse_duration(x.u.s, x.n, &secs) != 0) {
                aip_fail(err, vfile, v->line, v->col,
                         "param '%s' expects a duration such as \"90d\", \"2w\" or \"12h\", got \"%s\"",
                         e->key, x.u.s);
                return NULL;
            }
            pv[pi] = val_duration(secs);
            pv[pi].origin = v;
        } else {
            aip_fail(err, vfile, v->line, v->col, "param '%s' expects %s, got %s", e->key, kind_word(p->kind),
                     val_kind_name((val_kind)x.kind));
            return NULL;
        }
    }
    return pv;
}

val *params_load(const bundle *b, const char *path, facts **store, arena *mem, aip_error *err)
{
    *store = facts_new();
    facts_set_first_file(*store, FACTS_PARAMS_FILE);
    if (facts_load_file(*store, path, FACTS_AUTO, err) != 0)
        return NULL;
    return params_resolve(b, facts_root(*store), *store, mem, err);
}
