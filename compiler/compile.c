/* compiler/compile.c - the compiler's driver: collects sources, parses them,
 * groups them into packages, resolves imports, and runs code generation and
 * the checks in order to fill a bundle.
 *
 * Not here: code generation (codegen.c), semantic checks (check.c), the
 * bundle's byte format (bundle_write.c).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "compiler/compiler_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "runtime/digest.h"

#include "compiler/stdlib.h"

compiler *compiler_new(diag_list *diags)
{
    compiler *c = aip_xcalloc(1, sizeof *c);
    c->d = diags;
    arena_init(&c->mem);
    return c;
}

void compiler_free(compiler *c)
{
    if (!c)
        return;
    for (uint32_t i = 0; i < c->nunits; i++) {
        src_free(c->units[i]->src);
        free(c->units[i]->imports);
        free(c->units[i]->path);
        free(c->units[i]->root);
        free(c->units[i]);
    }
    free(c->units);
    for (uint32_t i = 0; i < c->npkgs; i++) {
        free(c->pkgs[i]->members);
        free(c->pkgs[i]);
    }
    free(c->pkgs);
    free(c->edges);
    free(c->str_const);
    free(c->tests);
    if (c->cat)
        csf_catalog_free(c->cat);
    ir8596_free(c->ir8596);
    arena_free(&c->mem);
    free(c);
}

/* "a//b/./c" -> "a/b/c"; keeps a leading "/" and "../" components. */
static char *normalize_path(const char *p)
{
    size_t n = strlen(p);
    char *out = aip_xmalloc(n + 2);
    size_t o = 0;
    const char *s = p;
    if (*s == '/')
        out[o++] = '/';
    while (*s) {
        while (*s == '/')
            s++;
        const char *e = s;
        while (*e && *e != '/')
            e++;
        size_t len = (size_t)(e - s);
        if (len == 0)
            break;
        if (!(len == 1 && s[0] == '.')) {
            if (o && out[o - 1] != '/')
                out[o++] = '/';
            memcpy(out + o, s, len);
            o += len;
        }
        s = e;
    }
    if (o == 0)
        out[o++] = '.';
    out[o] = '\0';
    return out;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return aip_xstrdup(".");
    if (slash == path)
        return aip_xstrdup("/");
    size_t n = (size_t)(slash - path);
    char *d = aip_xmalloc(n + 1);
    memcpy(d, path, n);
    d[n] = '\0';
    return d;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static cunit *find_unit(compiler *c, const char *path)
{
    for (uint32_t i = 0; i < c->nunits; i++)
        if (strcmp(c->units[i]->path, path) == 0)
            return c->units[i];
    return NULL;
}

static cunit *add_unit(compiler *c, src_file *src, const char *path, const char *root)
{
    cunit *u = aip_xcalloc(1, sizeof *u);
    u->src = src;
    u->path = aip_xstrdup(path);
    u->root = aip_xstrdup(root);
    u->is_test = ends_with(path, "_test.aip");
    u->ast = lang_parse(src, &c->mem, c->d);
    for (uint32_t i = 0; i < u->ast->decls.n; i++) {
        const ast *d = u->ast->decls.items[i];
        if (d->kind == AST_PACKAGE) {
            if (u->package)
                CERR(c, u, d, "a file has one package; this one already declared `package %s`", u->package);
            else
                u->package = d->u.package.name;
        }
    }
    if (c->nunits == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->units = aip_xrealloc(c->units, sizeof *c->units * c->cap);
    }
    c->units[c->nunits++] = u;
    return u;
}

/* Load path as a unit unless already loaded. from/importer locate errors. */
cunit *compiler_load_unit(compiler *c, const char *path, const char *root, const ast *from, cunit *importer)
{
    char *norm = normalize_path(path);
    cunit *u = find_unit(c, norm);
    if (u) {
        free(norm);
        return u;
    }
    char err[1200];
    src_file *src = src_load(norm, err, sizeof err);
    if (!src) {
        if (from && importer)
            CERR(c, importer, from, "%s", err);
        else
            diag_add(c->d, DIAG_ERROR, NULL, 0, 0, "%s", err);
        free(norm);
        return NULL;
    }
    u = add_unit(c, src, norm, root);
    free(norm);
    return u;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.aip below dir, sorted, added as units with root `root`. */
static int add_dir(compiler *c, const char *dir, const char *root, unsigned depth)
{
    if (depth > 32) {
        diag_add(c->d, DIAG_ERROR, NULL, 0, 0, "%s: directories nested too deeply", dir);
        return -1;
    }
    DIR *dp = opendir(dir);
    if (!dp) {
        diag_add(c->d, DIAG_ERROR, NULL, 0, 0, "%s: cannot open directory: %s", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        AIP_GROW(names, n, cap);
        size_t len = strlen(dir) + strlen(de->d_name) + 2;
        names[n] = aip_xmalloc(len);
        snprintf(names[n], len, "%s/%s", dir, de->d_name);
        n++;
    }
    closedir(dp);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                if (add_dir(c, names[i], root, depth + 1) != 0)
                    rc = -1;
            } else if (ends_with(names[i], ".aip")) {
                if (!compiler_load_unit(c, names[i], root, NULL, NULL))
                    rc = -1;
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int compiler_add_path(compiler *c, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        diag_add(c->d, DIAG_ERROR, NULL, 0, 0, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *norm = normalize_path(path);
    int rc;
    if (S_ISDIR(st.st_mode)) {
        uint32_t before = c->nunits;
        rc = add_dir(c, norm, norm, 0);
        if (rc == 0 && c->nunits == before) {
            diag_add(c->d, DIAG_ERROR, NULL, 0, 0, "%s: no .aip files in this directory", norm);
            rc = -1;
        }
    } else {
        char *root = dir_of(norm);
        rc = compiler_load_unit(c, norm, root, NULL, NULL) ? 0 : -1;
        free(root);
    }
    free(norm);
    return rc;
}

void compiler_set_lint(compiler *c, int on)
{
    c->lint = on;
}

int compiler_add_source(compiler *c, const char *name, const char *text, size_t len)
{
    src_file *src = src_from_string(name, text, len);
    char *root = dir_of(name);
    add_unit(c, src, name, root);
    free(root);
    return 0;
}

size_t compiler_test_files(compiler *c, const compiler_test_file **out)
{
    free(c->tests);
    c->tests = NULL;
    size_t n = 0;
    for (uint32_t i = 0; i < c->nunits; i++) {
        if (!c->units[i]->is_test)
            continue;
        c->tests = aip_xrealloc(c->tests, sizeof *c->tests * (n + 1));
        c->tests[n].src = c->units[i]->src;
        c->tests[n].ast = c->units[i]->ast;
        n++;
    }
    *out = c->tests;
    return n;
}

cpkg *compiler_package(compiler *c, const char *name)
{
    for (uint32_t i = 0; i < c->npkgs; i++)
        if (strcmp(c->pkgs[i]->name, name) == 0)
            return c->pkgs[i];
    cpkg *p = aip_xcalloc(1, sizeof *p);
    p->name = name;
    if (c->npkgs == c->pkgcap) {
        c->pkgcap = c->pkgcap ? c->pkgcap * 2 : 8;
        c->pkgs = aip_xrealloc(c->pkgs, sizeof *c->pkgs * c->pkgcap);
    }
    c->pkgs[c->npkgs++] = p;
    return p;
}

cmember *compiler_member(cpkg *p, const char *name)
{
    if (!p)
        return NULL;
    for (uint32_t i = 0; i < p->nmembers; i++)
        if (strcmp(p->members[i].name, name) == 0)
            return &p->members[i];
    return NULL;
}

static void add_member(compiler *c, cunit *u, const ast *d, const ast_ident *name, int kind)
{
    cpkg *p = u->pkg;
    cmember *old = compiler_member(p, name->name);
    if (old) {
        unsigned line, col;
        src_pos(old->unit->src, old->decl->start, &line, &col);
        CERR_AT(c, u, name->start, name->end, "%s is already defined in package %s (at %s:%u:%u)",
                name->name, p->name, old->unit->src->path, line, col);
        return;
    }
    if (strcmp(name->name, "inventory") == 0) {
        CERR_AT(c, u, name->start, name->end, "`inventory` names the facts and cannot be redefined");
        return;
    }
    if (p->nmembers == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->members = aip_xrealloc(p->members, sizeof *p->members * p->cap);
    }
    cmember *m = &p->members[p->nmembers++];
    m->name = name->name;
    m->kind = kind;
    m->decl = d;
    m->unit = u;
    m->index = UINT32_MAX;
    m->used = 0;
}

/* The stdlib unit for embedded file name (loaded once), or NULL if there is none. */
static cunit *stdlib_unit(compiler *c, const char *name)
{
    char path[300];
    snprintf(path, sizeof path, "<stdlib>/%s", name);
    cunit *t = find_unit(c, path);
    if (t)
        return t;
    const aip_embedded_file *ef = stdlib_find(name);
    if (!ef || !ends_with(name, ".aip"))
        return NULL;
    t = add_unit(c, src_from_string(path, ef->data, ef->len), path, "<stdlib>");
    t->is_stdlib = 1;
    return t;
}

/* `uses manifest FORMAT`: the stdlib module that checks that format (its
 * rules enter the bundle, and aip eval runs them before the controls). */
static void resolve_uses(compiler *c, cunit *u, const ast *d)
{
    const char *fmt = d->u.uses.format;
    char name[256];
    stdlib_manifest_module(fmt, name, sizeof name);
    if (!stdlib_unit(c, name))
        CERR(c, u, d, "unknown manifest format `%s` (this aip knows ai-inventory/v1alpha1)", fmt);
}

/* Resolve the imports of unit u, loading imported files and modules. */
static void resolve_imports(compiler *c, cunit *u)
{
    for (uint32_t i = 0; i < u->ast->decls.n; i++) {
        const ast *d = u->ast->decls.items[i];
        if (d->kind == AST_USES) {
            resolve_uses(c, u, d);
            continue;
        }
        if (d->kind != AST_IMPORT)
            continue;
        const char *alias = d->u.import.alias.name;
        for (uint32_t k = 0; k < u->nimports; k++)
            if (strcmp(u->imports[k].alias, alias) == 0)
                CERR(c, u, d, "`%s` is already imported in this file", alias);
        cunit *target = NULL;
        if (d->u.import.module) {
            const char *mod = d->u.import.module;
            if (strncmp(mod, "stdlib.", 7) != 0 || !mod[7]) {
                CERR(c, u, d, "unknown module `%s`: modules live under stdlib. (e.g. `import stdlib.ai`); "
                              "import a file with `import \"file.aip\" as name`", mod);
                continue;
            }
            char name[256];
            snprintf(name, sizeof name, "%s.aip", mod + 7);
            target = stdlib_unit(c, name);
            if (!target) {
                CERR(c, u, d, "no stdlib module `%s`", mod);
                continue;
            }
        } else {
            const char *rel = d->u.import.path;
            if (rel[0] == '/') {
                CERR(c, u, d, "import of an absolute path is not allowed: imports are relative to the importing file");
                continue;
            }
            if (u->is_stdlib) {
                CERR(c, u, d, "stdlib modules cannot import files");
                continue;
            }
            char *dir = dir_of(u->path);
            size_t len = strlen(dir) + strlen(rel) + 2;
            char *joined = aip_xmalloc(len);
            snprintf(joined, len, "%s/%s", dir, rel);
            free(dir);
            /* the import must stay inside the policy root */
            char *rj = realpath(joined, NULL), *rr = realpath(u->root, NULL);
            int inside = rj && rr && strncmp(rj, rr, strlen(rr)) == 0 &&
                         (rj[strlen(rr)] == '/' || rj[strlen(rr)] == '\0');
            if (rj && rr && !inside)
                CERR(c, u, d, "import of \"%s\" leaves the policy directory %s", rel, u->root);
            else
                target = compiler_load_unit(c, joined, u->root, d, u);
            free(rj);
            free(rr);
            free(joined);
            if (!target)
                continue;
            if (target->is_test) {
                CERR(c, u, d, "test files (*_test.aip) cannot be imported");
                continue;
            }
        }
        u->imports = aip_xrealloc(u->imports, sizeof *u->imports * (u->nimports + 1));
        cimport *im = &u->imports[u->nimports++];
        im->alias = alias;
        im->decl = d;
        im->used = 0;
        im->pkg = NULL;
        /* the package is known once the target's declarations are grouped; store the unit for now */
        im->pkg = (cpkg *)(void *)target;   /* fixed up in group_packages */
    }
}

static void group_packages(compiler *c)
{
    for (uint32_t i = 0; i < c->nunits; i++) {
        cunit *u = c->units[i];
        if (!u->package && !u->is_test) {
            CERR_AT(c, u, 0, 0, "missing `package` declaration: every policy file starts with `package name`");
            u->package = u->path;
        }
        if (u->is_stdlib && u->package && strncmp(u->package, "stdlib.", 7) != 0)
            CERR_AT(c, u, 0, 0, "stdlib module must declare a stdlib.* package");
        u->pkg = compiler_package(c, u->package ? u->package : u->path);
    }
    for (uint32_t i = 0; i < c->nunits; i++) {
        cunit *u = c->units[i];
        for (uint32_t k = 0; k < u->nimports; k++) {
            cunit *t = (cunit *)(void *)u->imports[k].pkg;
            u->imports[k].pkg = t ? t->pkg : NULL;
            if (t && t->pkg == u->pkg)
                CERR(c, u, u->imports[k].decl, "a package cannot import itself");
        }
    }
}

static int ctl_order(compiler *c, const ast *ctl)
{
    if (ctl->u.control.is_rule)
        return 1 << 21;   /* rules after every control, in source order */
    const csf_entry *e = csf_find(c->cat, ctl->u.control.id.name);
    return e ? (int)e->order : 1 << 20;
}

typedef struct ctl_ref {
    cunit *u;
    const ast *decl;
    int order;
    uint32_t seq;
} ctl_ref;

static int cmp_ctl(const void *a, const void *b)
{
    const ctl_ref *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void add_meta(compiler *c, const char *key, const char *value)
{
    bc_meta m;
    m.key = bundle_str(c->b, key, strlen(key));
    m.value = bundle_str(c->b, value, strlen(value));
    BC_PUSH(c->b->meta, m);
}

static bundle *build(compiler *c);

bundle *compiler_build(compiler *c)
{
    bundle *b = build(c);
    diag_sort(c->d);
    return b;
}

static bundle *build(compiler *c)
{
    aip_error cerr;
    c->cat = csf_catalog_load(&cerr);
    if (!c->cat) {
        diag_add(c->d, DIAG_ERROR, NULL, 0, 0, "internal error: CSF catalog: %s", cerr.msg);
        return NULL;
    }
    /* imports may add units while we walk */
    for (uint32_t i = 0; i < c->nunits; i++)
        resolve_imports(c, c->units[i]);
    int too_deep = 0;
    for (uint32_t i = 0; i < c->nunits; i++)
        too_deep |= check_depth(c, c->units[i]) != 0;
    if (too_deep)
        return NULL;   /* the passes below recurse over the AST */
    group_packages(c);

    c->b = bundle_new();
    bundle *b = c->b;
    /* members: params get bundle indices now, defs function indices */
    for (uint32_t i = 0; i < c->nunits; i++) {
        cunit *u = c->units[i];
        for (uint32_t k = 0; k < u->ast->decls.n; k++) {
            const ast *d = u->ast->decls.items[k];
            if (u->is_test && (d->kind == AST_PARAM || d->kind == AST_DEF || d->kind == AST_CONTROL ||
                               d->kind == AST_PROFILE)) {
                CERR(c, u, d, "test files hold only `test` blocks (and optionally package/import)");
                continue;
            }
            if (!u->is_test && d->kind == AST_TEST) {
                CERR(c, u, d, "`test` blocks belong in files named *_test.aip");
                continue;
            }
            if (u->is_stdlib && ((d->kind == AST_CONTROL && !d->u.control.is_rule) || d->kind == AST_PROFILE)) {
                CERR(c, u, d, "stdlib modules hold only defs, params and rules");
                continue;
            }
            if (d->kind == AST_PARAM)
                add_member(c, u, d, &d->u.param.name, MEMBER_PARAM);
            else if (d->kind == AST_DEF)
                add_member(c, u, d, &d->u.def.name, MEMBER_DEF);
        }
    }
    /* params: constant defaults */
    for (uint32_t p = 0; p < c->npkgs; p++) {
        for (uint32_t k = 0; k < c->pkgs[p]->nmembers; k++) {
            cmember *m = &c->pkgs[p]->members[k];
            if (m->kind != MEMBER_PARAM)
                continue;
            int64_t ki = cg_const_expr(c, m->unit, m->decl->u.param.value, 1);
            if (ki < 0)
                continue;
            static const uint8_t kind_of_tag[] = {
                [BC_K_NULL] = VAL_NULL, [BC_K_FALSE] = VAL_BOOL, [BC_K_TRUE] = VAL_BOOL,
                [BC_K_INT] = VAL_INT, [BC_K_DOUBLE] = VAL_DOUBLE, [BC_K_STR] = VAL_STR,
                [BC_K_DURATION] = VAL_DURATION, [BC_K_LIST] = VAL_LIST, [BC_K_MAP] = VAL_MAP};
            bc_param bp;
            bp.name = bundle_str(b, m->name, strlen(m->name));
            bp.package = bundle_str(b, c->pkgs[p]->name, strlen(c->pkgs[p]->name));
            bp.def = (uint32_t)ki;
            bp.kind = kind_of_tag[b->consts.v[ki].tag];
            m->index = b->params.n;
            BC_PUSH(b->params, bp);
        }
    }
    /* function indices: defs first */
    for (uint32_t p = 0; p < c->npkgs; p++)
        for (uint32_t k = 0; k < c->pkgs[p]->nmembers; k++) {
            cmember *m = &c->pkgs[p]->members[k];
            if (m->kind == MEMBER_DEF) {
                bc_func f = {0};
                f.kind = BC_FUNC_DEF;
                f.nparams = (uint8_t)(m->decl->u.def.nparams > BC_MAX_ARGS ? BC_MAX_ARGS : m->decl->u.def.nparams);
                f.name = bundle_str(b, m->name, strlen(m->name));
                m->index = b->funcs.n;
                BC_PUSH(b->funcs, f);
                if (m->decl->u.def.nparams > BC_MAX_ARGS)
                    CERR(c, m->unit, m->decl, "a def takes at most %u parameters", BC_MAX_ARGS);
            }
        }
    for (uint32_t p = 0; p < c->npkgs; p++)
        for (uint32_t k = 0; k < c->pkgs[p]->nmembers; k++)
            if (c->pkgs[p]->members[k].kind == MEMBER_DEF)
                cg_def(c, &c->pkgs[p]->members[k]);
    check_recursion(c);
    /* lint: members and imports nobody uses (controls are generated below, so
     * this runs after them: see the end of build) */

    /* controls in CSF catalog order, then source order */
    ctl_ref *refs = NULL;
    size_t nref = 0, refcap = 0;
    uint32_t seq = 0;
    for (uint32_t i = 0; i < c->nunits; i++) {
        cunit *u = c->units[i];
        if (u->is_test)
            continue;
        for (uint32_t k = 0; k < u->ast->decls.n; k++) {
            const ast *d = u->ast->decls.items[k];
            if (d->kind != AST_CONTROL || (u->is_stdlib && !d->u.control.is_rule))
                continue;
            AIP_GROW(refs, nref, refcap);
            refs[nref].u = u;
            refs[nref].decl = d;
            refs[nref].order = ctl_order(c, d);
            refs[nref].seq = seq++;
            nref++;
        }
    }
    if (nref)
        qsort(refs, nref, sizeof *refs, cmp_ctl);
    for (size_t i = 0; i < nref; i++) {
        bc_control bc;
        memset(&bc, 0, sizeof bc);
        check_control_meta(c, refs[i].u, refs[i].decl, &bc);
        bc_func f = {0};
        f.kind = BC_FUNC_CONTROL;
        f.name = bc.id;
        bc.func = b->funcs.n;
        BC_PUSH(b->funcs, f);
        bc.has_attest = (uint8_t)cg_control(c, refs[i].u, refs[i].decl, bc.func);
        BC_PUSH(b->controls, bc);
    }
    free(refs);
    check_profiles(c);
    schema_check(c);   /* only when a policy declares `uses manifest` */
    if (c->lint) {
        for (uint32_t p = 0; p < c->npkgs; p++)
            for (uint32_t k = 0; k < c->pkgs[p]->nmembers; k++) {
                const cmember *m = &c->pkgs[p]->members[k];
                const ast_ident *nm = m->kind == MEMBER_PARAM ? &m->decl->u.param.name : &m->decl->u.def.name;
                if (!m->used)
                    CWARN_AT(c, m->unit, nm->start, nm->end, "%s `%s` is never used",
                             m->kind == MEMBER_PARAM ? "param" : "def", m->name);
            }
        for (uint32_t i = 0; i < c->nunits; i++)
            for (uint32_t k = 0; k < c->units[i]->nimports; k++)
                if (!c->units[i]->imports[k].used)
                    CWARN(c, c->units[i], c->units[i]->imports[k].decl, "import `%s` is never used",
                          c->units[i]->imports[k].alias);
    }

    /* CSF 2.0 names of the functions and categories the controls belong to,
     * for reports (the runtime has no catalog of its own) */
    for (uint32_t i = 0; i < b->controls.n; i++) {
        const char *cid = b->strs.v[b->controls.v[i].id];
        const csf_entry *e = b->controls.v[i].kind == BC_CTRL_CONTROL ? csf_find(c->cat, cid) : NULL;
        for (const csf_entry *up = e ? e->parent : NULL; up; up = up->parent) {
            char key[48];
            snprintf(key, sizeof key, "csf:%s", up->id);
            if (!bundle_meta(b, key))
                add_meta(c, key, up->title);
        }
    }

    /* provenance: packages, manifest formats, sources and their hashes */
    for (uint32_t i = 0; i < c->nunits; i++) {
        cunit *u = c->units[i];
        if (u->is_test)
            continue;
        for (uint32_t k = 0; k < u->ast->decls.n; k++)
            if (u->ast->decls.items[k]->kind == AST_USES)
                add_meta(c, "uses", u->ast->decls.items[k]->u.uses.format);
        if (u->is_stdlib)
            continue;
        unsigned char d[32];
        char hex[65];
        aip_sha256(u->src->text, u->src->len, d);
        aip_sha256_hex(d, hex);
        char entry[1400];
        snprintf(entry, sizeof entry, "%s sha256:%s", u->path, hex);
        add_meta(c, "source", entry);
    }
    if (c->d->errors) {
        bundle_free(b);
        c->b = NULL;
        return NULL;
    }
    /* max stack per function, by the verifier's own analysis */
    aip_error e = {{0}, 0, 0, {0}};
    for (uint32_t i = 0; i < b->funcs.n; i++) {
        uint32_t maxd = 0;
        b->funcs.v[i].max_stack = BC_MAX_STACK;
        if (bundle_func_stack(b, i, &maxd, &e) != 0) {
            diag_add(c->d, DIAG_ERROR, NULL, 0, 0, "internal error: generated code fails verification: %s", e.msg);
            bundle_free(b);
            c->b = NULL;
            return NULL;
        }
        b->funcs.v[i].max_stack = maxd;
    }
    if (bundle_verify(b, "<compiler>", &e) != 0 || bundle_materialize(b, &e) != 0) {
        diag_add(c->d, DIAG_ERROR, NULL, 0, 0, "internal error: generated bundle fails verification: %s", e.msg);
        bundle_free(b);
        c->b = NULL;
        return NULL;
    }
    c->b = NULL;
    return b;
}
