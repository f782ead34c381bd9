/* compiler/catalog.c - load and query the CSF 2.0 catalog (see catalog.h).
 *
 * The input is the embedded stdlib/csf-2.0.tsv: '#' comment lines, then rows
 * `kind<TAB>id<TAB>parent<TAB>title` in CSF order. The parser is strict (four
 * fields, a known kind, a unique id, a parent of the right kind defined
 * earlier, a title) because a bad catalog would silently mislabel every
 * report; it is not a general TSV reader (no quoting, no escapes).
 *
 * Everything a catalog holds lives in its own arena; lookups by id go
 * through an array sorted by id (bsearch).
 */
#include "compiler/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "compiler/stdlib.h"
#include "runtime/arena.h"

struct csf_catalog {
    arena mem;                  /* owns the catalog, entries and strings */
    csf_entry *entries;         /* n entries in CSF order */
    size_t n;
    const csf_entry **by_id;    /* the same entries sorted by id (strcmp) */
    size_t count_kind[3];       /* per csf_kind */
};

enum { CSF_SUGGEST_MAX = 64 };  /* longer ids get no suggestion */

static const char *const kind_names[] = {"function", "category", "subcategory"};

/* A static name for kind; "?" for a value outside the enum. */
const char *csf_kind_name(csf_kind kind)
{
    return (unsigned)kind < 3 ? kind_names[kind] : "?";
}

/* The entry among e[0..n) with this id, or NULL (linear: used while parsing). */
static const csf_entry *find_linear(const csf_entry *e, size_t n, const char *id, size_t id_len)
{
    for (size_t i = n; i-- > 0;)
        if (strlen(e[i].id) == id_len && memcmp(e[i].id, id, id_len) == 0)
            return &e[i];
    return NULL;
}

/* qsort/bsearch order of entry pointers: by id, bytewise. */
static int cmp_entry_id(const void *a, const void *b)
{
    const csf_entry *x = *(const csf_entry *const *)a, *y = *(const csf_entry *const *)b;
    return strcmp(x->id, y->id);
}

/* Parse one row line[0..len) (line number lineno) into cat->entries[cat->n];
 * returns 0, or -1 with err filled. */
static int parse_row(csf_catalog *cat, const char *name, unsigned lineno,
                     const char *line, size_t len, aip_error *err)
{
    const char *f[4];
    size_t fl[4];
    size_t nf = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || line[i] == '\t') {
            if (nf == 4)
                return aip_fail(err, name, lineno, 0, "expected 4 tab-separated fields, got more");
            f[nf] = line + start;
            fl[nf++] = i - start;
            start = i + 1;
        }
    }
    if (nf != 4)
        return aip_fail(err, name, lineno, 0, "expected 4 tab-separated fields, got %zu", nf);

    int kind = -1;
    for (int k = 0; k < 3; k++)
        if (strlen(kind_names[k]) == fl[0] && memcmp(kind_names[k], f[0], fl[0]) == 0)
            kind = k;
    if (kind < 0)
        return aip_fail(err, name, lineno, 0,
                        "unknown kind \"%.*s\" (expected function, category or subcategory)",
                        (int)fl[0], f[0]);
    if (fl[1] == 0)
        return aip_fail(err, name, lineno, 0, "empty id");
    if (fl[3] == 0)
        return aip_fail(err, name, lineno, 0, "%.*s has no title", (int)fl[1], f[1]);
    if (find_linear(cat->entries, cat->n, f[1], fl[1]))
        return aip_fail(err, name, lineno, 0, "duplicate id %.*s", (int)fl[1], f[1]);

    const csf_entry *parent = NULL;
    if (kind == CSF_FUNCTION) {
        if (fl[2] != 0)
            return aip_fail(err, name, lineno, 0, "function %.*s must have no parent",
                            (int)fl[1], f[1]);
    } else {
        parent = find_linear(cat->entries, cat->n, f[2], fl[2]);
        if (!parent || (int)parent->kind != kind - 1)
            return aip_fail(err, name, lineno, 0, "%s %.*s: parent \"%.*s\" is not a %s defined above",
                            kind_names[kind], (int)fl[1], f[1], (int)fl[2], f[2],
                            kind_names[kind - 1]);
    }

    csf_entry *e = &cat->entries[cat->n];
    e->kind = (csf_kind)kind;
    e->id = arena_strndup(&cat->mem, f[1], fl[1]);
    e->title = arena_strndup(&cat->mem, f[3], fl[3]);
    e->parent = parent;
    e->order = cat->n;
    if (!e->id || !e->title)
        return aip_fail(err, name, lineno, 0, "out of memory");
    cat->n++;
    cat->count_kind[kind]++;
    return 0;
}

/* A catalog parsed from text[0..len); NULL with err filled (name, line) on
 * the first malformed row or when no row is present. */
csf_catalog *csf_catalog_parse(const char *name, const char *text, size_t len, aip_error *err)
{
    csf_catalog *cat = aip_xcalloc(1, sizeof *cat);
    arena_init(&cat->mem);

    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    cat->entries = arena_zalloc(&cat->mem, lines * sizeof *cat->entries);
    if (!cat->entries) {
        aip_fail(err, name, 0, 0, "out of memory");
        goto fail;
    }

    unsigned lineno = 0;
    for (size_t pos = 0; pos < len;) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - line) : len - pos;
        pos += ll + (nl != NULL);
        lineno++;
        if (ll > 0 && line[ll - 1] == '\r')
            ll--;
        if (ll == 0 || line[0] == '#')
            continue;
        if (parse_row(cat, name, lineno, line, ll, err) < 0)
            goto fail;
    }
    if (cat->n == 0) {
        aip_fail(err, name, 0, 0, "the CSF catalog is empty");
        goto fail;
    }

    cat->by_id = arena_alloc(&cat->mem, cat->n * sizeof *cat->by_id);
    if (!cat->by_id) {
        aip_fail(err, name, 0, 0, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < cat->n; i++)
        cat->by_id[i] = &cat->entries[i];
    qsort(cat->by_id, cat->n, sizeof *cat->by_id, cmp_entry_id);
    return cat;

fail:
    csf_catalog_free(cat);
    return NULL;
}

/* The embedded catalog; NULL with err filled if it is missing or malformed. */
csf_catalog *csf_catalog_load(aip_error *err)
{
    const aip_embedded_file *f = stdlib_find("csf-2.0.tsv");
    if (!f) {
        aip_fail(err, NULL, 0, 0, "the CSF 2.0 catalog (csf-2.0.tsv) is not embedded in this build");
        return NULL;
    }
    return csf_catalog_parse("<stdlib>/csf-2.0.tsv", f->data, f->len, err);
}

/* Free cat and everything it holds; NULL is fine. */
void csf_catalog_free(csf_catalog *cat)
{
    if (!cat)
        return;
    arena_free(&cat->mem);
    aip_free(cat);
}

/* Binary search of the id-sorted index; NULL when absent (or cat/id NULL). */
const csf_entry *csf_find(const csf_catalog *cat, const char *id)
{
    if (!cat || !id)
        return NULL;
    size_t lo = 0, hi = cat->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(cat->by_id[mid]->id, id);
        if (r == 0)
            return cat->by_id[mid];
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Number of entries of every kind. */
size_t csf_count(const csf_catalog *cat)
{
    return cat->n;
}

/* Entry i in CSF order, or NULL past the end. */
const csf_entry *csf_at(const csf_catalog *cat, size_t i)
{
    return i < cat->n ? &cat->entries[i] : NULL;
}

/* Number of entries of kind (0 for a value outside the enum). */
size_t csf_count_kind(const csf_catalog *cat, csf_kind kind)
{
    return (unsigned)kind < 3 ? cat->count_kind[kind] : 0;
}

/* The root of e's parent chain (e itself for a function; NULL for NULL). */
const csf_entry *csf_function_of(const csf_entry *e)
{
    while (e && e->parent)
        e = e->parent;
    return e;
}

/* e for a category, its parent for a subcategory, NULL for a function. */
const csf_entry *csf_category_of(const csf_entry *e)
{
    if (!e || e->kind == CSF_FUNCTION)
        return NULL;
    return e->kind == CSF_CATEGORY ? e : e->parent;
}

/* Optimal-string-alignment distance between a[0..an) and b[0..bn), both at
 * most CSF_SUGGEST_MAX bytes: insertions, deletions, substitutions and
 * transpositions of neighbours each cost 1. */
static size_t edit_distance(const char *a, size_t an, const char *b, size_t bn)
{
    size_t d[CSF_SUGGEST_MAX + 1][CSF_SUGGEST_MAX + 1];
    for (size_t i = 0; i <= an; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= bn; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= an; i++)
        for (size_t j = 1; j <= bn; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[an][bn];
}

/* Nearest subcategory to id, upper-cased, within max(1, len/3) edits; ties
 * go to the first in CSF order; NULL when none is that close. */
const csf_entry *csf_suggest(const csf_catalog *cat, const char *id)
{
    if (!cat || !id)
        return NULL;
    size_t n = strlen(id);
    if (n == 0 || n > CSF_SUGGEST_MAX)
        return NULL;
    char up[CSF_SUGGEST_MAX + 1];
    for (size_t i = 0; i <= n; i++)
        up[i] = (char)((id[i] >= 'a' && id[i] <= 'z') ? id[i] - 'a' + 'A' : id[i]);

    size_t limit = n / 3 ? n / 3 : 1;
    const csf_entry *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < cat->n; i++) {
        const csf_entry *e = &cat->entries[i];
        size_t en = strlen(e->id);
        if (e->kind != CSF_SUBCATEGORY || en > CSF_SUGGEST_MAX)
            continue;
        size_t dist = edit_distance(up, n, e->id, en);
        if (dist < best_d) {
            best = e;
            best_d = dist;
        }
    }
    return best;
}
