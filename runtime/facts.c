/* runtime/facts.c - the facts set: builder, finalization, merge, id index,
 * lookups and paths (see facts.h).
 *
 * This file is the format-independent half of the facts loader. It owns the
 * tree: the parsers (facts_json.c, facts_yaml.c) only call fb_*. It does not
 * parse anything itself and does not know YAML or JSON syntax.
 *
 * Memory: every document is built in an arena of its own. A load that fails
 * frees that arena and leaves the set as it was; a load that succeeds hands
 * the arena to the set, which frees all of them in facts_free. Nodes created
 * by a merge (merged maps and lists, their id indexes) live in the arena of
 * the document that caused the merge. Scratch arrays of the builder grow
 * per document (aip_xrealloc), never one allocation per value; each distinct
 * key is stored once per document. Committing a merge re-points the parent
 * and index of the nodes it reuses; callers should not keep node pointers
 * across a load.
 *
 * Duplicate keys in one map: a key repeated with an equal value (deep
 * equality, locations ignored) is kept once; with a different value it is an
 * error naming both places. A VM map (fnode_map_finish) rejects any repeat.
 *
 * Merge (MANIFEST.md, "Merging, ids and references"): maps merge key by key;
 * lists concatenate, except that a list item (a map with a string `id`) whose
 * id equals an item's id from an earlier file is merged key by key into it;
 * equal scalars are fine; anything else is a conflict naming both places.
 * A merge is checked first without touching the set, then committed.
 */
#include "runtime/facts.h"
#include "runtime/digest.h"
#include "runtime/facts_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>


/* ---- the set ---------------------------------------------------------------- */

typedef struct facts_file {
    const char *name;          /* as given to the load; in the document's arena */
    char sha256[65];           /* lower-case hex, "" for inline facts */
} facts_file;

struct facts {
    arena mem;                 /* the set's own nodes (the empty root) */
    arena *docs;               /* one arena per committed document */
    unsigned ndocs, cap_docs;
    facts_file *files;         /* load order; index = fnode.file - first_file */
    unsigned nfiles, cap_files;
    unsigned first_file;       /* file id of files[0] (facts_set_first_file) */
    const facts *params;       /* facts_set_params_store, or NULL */
    fnode *root;               /* the merged document, always a map */
    facts_limits lim;
    size_t total_in;           /* bytes of input loaded so far */
    size_t alias_limit;        /* YAML alias-expansion bound (nodes) */
};

/* ---- id index: open addressing over id bytes ------------------------------------- */

typedef struct fidx_slot {
    const char *id;            /* the item's id string */
    uint32_t len;              /* its bytes */
    uint32_t pos1;             /* item position + 1; 0 = empty slot */
} fidx_slot;

struct fidx {
    uint32_t mask;             /* slots - 1 (slots is a power of two) */
    uint32_t count;            /* ids stored */
    fidx_slot slot[];
};

/* ---- the builder -------------------------------------------------------------- */

typedef struct fb_slot {
    const char *key;           /* map entry key (arena), NULL for a list item */
    uint32_t key_len;
    uint32_t key_hash;         /* fnode_key_hash of key */
    uint32_t kline, kcol;      /* where the key is */
    uint32_t order;            /* position of the entry in the source map */
    fnode *val;                /* NULL while a key waits for its value */
} fb_slot;

/* A key already copied into the document's arena: keys repeat (every
 * system has an "id"), so each distinct key is stored once per document. */
typedef struct fb_intern {
    const char *key;           /* NULL: empty slot */
    uint32_t len;
    uint32_t hash;
} fb_intern;

typedef struct fb_frame {
    fnode *node;               /* the open list or map */
    size_t base;               /* its first slot */
    int want_val;              /* map: a key was given, its value not yet */
} fb_frame;

struct fbuild {
    facts *f;
    arena mem;                 /* this document's nodes and strings */
    const char *name;          /* file name, in mem */
    uint16_t file;             /* index the file will get */
    int has_sha;
    unsigned char sha[32];
    fb_slot *slots;            /* entries of the open containers, innermost last */
    size_t nslots, cap_slots;
    fb_frame *frames;          /* open containers, innermost last */
    size_t nframes, cap_frames;
    fb_intern *keys;           /* interned keys (open addressing), NULL until used */
    size_t nkeys, cap_keys;    /* cap_keys: a power of two */
    fnode *doc;                /* the finished top-level value */
    const fnode *last;         /* value most recently completed */
    int failed;
    aip_error err;
};

static const char *const kind_names[] = {
    "null", "a boolean", "an integer", "a number", "a string", "a list", "a map"};

/* Out of memory in a facts arena: like the funnel, exit with status 3. */
static void facts_oom(void)
{
    fputs("aip: internal error: out of memory\n", stderr);
    exit(3);
}

/* n bytes from arena a; never NULL (exits on exhaustion). */
static void *facts_alloc(arena *a, size_t n)
{
    void *p = arena_alloc(a, n ? n : 1);
    if (!p)
        facts_oom();
    return p;
}

/* A value is 40 bytes: every byte of it is paid once per value of the
 * inventory (3.4 million nodes for 100,000 flat systems). */
_Static_assert(sizeof(fnode) == 40, "fnode grew: see docs/performance.md before adding a field");

/* The index slot of a facts list: the word before its items (see facts.h). */
static fidx **idx_slot(const fnode *list)
{
    return (fidx **)(void *)list->u.items - 1;
}

static fidx *list_idx(const fnode *list)
{
    if (!list || list->kind != FN_LIST || list->file == FNODE_NO_FILE || !list->u.items)
        return NULL;
    return *idx_slot(list);
}

/* Items of a facts list of n items, after its (NULL) index slot. */
static fnode **facts_items(arena *a, size_t n)
{
    fnode **p = facts_alloc(a, (n + 1) * sizeof(fnode *));
    p[0] = NULL;
    return p + 1;
}

/* Bytewise order of two keys: <0, 0, >0. */
static int key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t m = alen < blen ? alen : blen;
    if (a == b)
        m = 0;                 /* the same interned key */
    if (m < 32) {              /* keys are short: a call to memcmp costs more */
        for (size_t i = 0; i < m; i++) {
            unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
            if (x != y)
                return x < y ? -1 : 1;
        }
    } else {
        int c = memcmp(a, b, m);
        if (c)
            return c;
    }
    return alen < blen ? -1 : alen > blen;
}

/* FNV-1a over bytes, folded to 32 bits. */
static uint32_t id_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return (uint32_t)(h ^ (h >> 32));
}

uint32_t fnode_key_hash(const char *key, size_t key_len)
{
    return id_hash(key, key_len);
}

/* The `id` of a list item: its string node when item is a map with a string
 * `id`, else NULL. */
static const fnode *item_id(const fnode *item)
{
    if (!item || item->kind != FN_MAP)
        return NULL;
    const fnode *id = fnode_get(item, "id", 2);
    return id && id->kind == FN_STR ? id : NULL;
}

/* Index the items of list that have an id (item_id). In arena a, or with
 * aip_xcalloc when a is NULL (caller frees). Returns the index; on a repeated
 * id sets *dup_a and *dup_b to the two item positions (first, second), else
 * leaves them alone. The index holds the first of two equal ids. */
static fidx *idx_build(arena *a, const fnode *list, uint32_t nids,
                       uint32_t *dup_a, uint32_t *dup_b)
{
    size_t cap = 8;
    while (cap < (size_t)nids * 2)
        cap *= 2;
    size_t size = sizeof(fidx) + cap * sizeof(fidx_slot);
    fidx *x;
    if (a) {
        x = facts_alloc(a, size);
        memset(x, 0, size);
    } else {
        x = aip_xcalloc(1, size);
    }
    x->mask = (uint32_t)(cap - 1);
    for (uint32_t i = 0; i < list->n; i++) {
        const fnode *id = item_id(list->u.items[i]);
        if (!id)
            continue;
        uint32_t j = id_hash(id->u.s, id->n) & x->mask;
        int dup = 0;
        while (x->slot[j].pos1) {
            if (x->slot[j].len == id->n && memcmp(x->slot[j].id, id->u.s, id->n) == 0) {
                *dup_a = x->slot[j].pos1 - 1;
                *dup_b = i;
                dup = 1;
                break;
            }
            j = (j + 1) & x->mask;
        }
        if (dup)
            break;
        x->slot[j].id = id->u.s;
        x->slot[j].len = id->n;
        x->slot[j].pos1 = i + 1;
        x->count++;
    }
    return x;
}

/* Position of the item with this id in the list x indexes, or -1. */
/* The index of a list of at most FIDX_SCAN_MAX items whose items all have
 * an id: such a list is searched item by item (a hash table of 8+ slots
 * would cost more memory than the list; most id lists inside an entry, such
 * as a system's credentials, are this short). */
enum { FIDX_SCAN_MAX = 8 };
static fidx fidx_scan;

static int64_t idx_find(const fnode *list, const fidx *x, const char *id, size_t len)
{
    if (x == &fidx_scan) {
        for (uint32_t i = 0; i < list->n; i++) {
            const fnode *v = item_id(list->u.items[i]);
            if (v && v->n == len && memcmp(v->u.s, id, len) == 0)
                return i;
        }
        return -1;
    }
    uint32_t j = id_hash(id, len) & x->mask;
    while (x->slot[j].pos1) {
        if (x->slot[j].len == len && memcmp(x->slot[j].id, id, len) == 0)
            return (int64_t)x->slot[j].pos1 - 1;
        j = (j + 1) & x->mask;
    }
    return -1;
}

/* An index of list (as idx_build): &fidx_scan for a short list, after
 * checking its ids for repeats item by item (same *dup_a, *dup_b). */
static fidx *idx_index(arena *a, const fnode *list, uint32_t nids, uint32_t *dup_a, uint32_t *dup_b)
{
    if (list->n > FIDX_SCAN_MAX)
        return idx_build(a, list, nids, dup_a, dup_b);
    for (uint32_t i = 1; i < list->n; i++) {
        const fnode *v = item_id(list->u.items[i]);
        for (uint32_t k = 0; v && k < i; k++) {
            const fnode *w = item_id(list->u.items[k]);
            if (w && w->n == v->n && memcmp(w->u.s, v->u.s, v->n) == 0) {
                *dup_a = k;
                *dup_b = i;
                return &fidx_scan;
            }
        }
    }
    return &fidx_scan;
}

/* Number of items of list that have an id. */
static uint32_t count_ids(const fnode *list)
{
    uint32_t q = 0;
    for (uint32_t i = 0; i < list->n; i++)
        q += item_id(list->u.items[i]) != NULL;
    return q;
}

/* ---- rendering for messages ------------------------------------------------- */

typedef struct out_buf {
    char *p;
    size_t len, cap;           /* cap = usable bytes before the NUL */
    int trunc;
} out_buf;

/* Append s[0..n) to o; past its capacity, mark it truncated instead. */
static void out_bytes(out_buf *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (o->len >= o->cap) {
            o->trunc = 1;
            return;
        }
        o->p[o->len++] = s[i];
    }
}

/* Append the C string s to o. */
static void out_str(out_buf *o, const char *s)
{
    out_bytes(o, s, strlen(s));
}

/* s[0..n) as the inside of a double-quoted string (JSON escapes). */
static void out_quoted_body(out_buf *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n && !o->trunc; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            out_bytes(o, esc, 2);
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            out_str(o, esc);
        } else {
            out_bytes(o, (const char *)&c, 1);
        }
    }
}

/* Finish o: NUL-terminate, replacing the tail by "..." when truncated. */
static char *out_finish(out_buf *o, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    if (o->trunc) {
        size_t end = o->cap;
        if (size >= 4) {
            memcpy(buf + end - 3, "...", 3);
        }
        buf[end] = '\0';
    } else {
        buf[o->len] = '\0';
    }
    return buf;
}

int fnode_key_is_ident(const char *k, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)k[i];
        int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (!alpha && !(i > 0 && c >= '0' && c <= '9'))
            return 0;
    }
    return 1;
}

/* Path of n into buf (see fnode_path); with use_ids, list items that have an
 * id are written ["id"] instead of [index]. Returns buf. */
static char *path_render(const fnode *n, char *buf, size_t size, int use_ids)
{
    out_buf o = {buf, 0, size ? size - 1 : 0, 0};
    if (size == 0)
        return buf;
    size_t depth = 0;
    for (const fnode *p = n; p && p->parent; p = p->parent)
        depth++;
    const fnode *local[64];
    const fnode **chain = depth <= 64 ? local : aip_xmalloc(depth * sizeof *chain);
    size_t k = depth;
    for (const fnode *p = n; p && p->parent; p = p->parent)
        chain[--k] = p;
    for (size_t i = 0; i < depth && !o.trunc; i++) {
        const fnode *c = chain[i], *par = c->parent;
        char num[32];
        if (par->kind == FN_LIST) {
            const fnode *id = use_ids ? item_id(c) : NULL;
            if (id) {
                out_str(&o, "[\"");
                out_quoted_body(&o, id->u.s, id->n);
                out_str(&o, "\"]");
            } else {
                snprintf(num, sizeof num, "[%" PRIu32 "]", c->index);
                out_str(&o, num);
            }
        } else if (par->kind == FN_MAP && c->index < par->n) {
            const fentry *e = &par->u.entries[c->index];
            if (fnode_key_is_ident(e->key, e->key_len)) {
                if (i > 0)
                    out_str(&o, ".");
                out_bytes(&o, e->key, e->key_len);
            } else {
                out_str(&o, "[\"");
                out_quoted_body(&o, e->key, e->key_len);
                out_str(&o, "\"]");
            }
        } else {
            out_str(&o, "[?]");
        }
    }
    if (chain != local)
        aip_free((void *)chain);
    return out_finish(&o, buf, size);
}

/* A value for a message: a quoted string (shortened), a number, true,
 * false, null, or "a list"/"a map". Returns buf. */
static char *value_render(const fnode *v, char *buf, size_t size)
{
    out_buf o = {buf, 0, size - 1, 0};
    char num[64];
    switch (v->kind) {
    case FN_NULL: out_str(&o, "null"); break;
    case FN_BOOL: out_str(&o, v->u.b ? "true" : "false"); break;
    case FN_INT:
        snprintf(num, sizeof num, "%" PRId64, v->u.i);
        out_str(&o, num);
        break;
    case FN_DOUBLE:
        snprintf(num, sizeof num, "%.17g", v->u.d);
        for (int prec = 1; prec < 17; prec++) {
            char t[64];
            snprintf(t, sizeof t, "%.*g", prec, v->u.d);
            if (strtod(t, NULL) == v->u.d) {
                memcpy(num, t, sizeof t);
                break;
            }
        }
        out_str(&o, num);
        break;
    case FN_STR: {
        size_t n = v->n > 60 ? 60 : v->n;
        out_str(&o, "\"");
        out_quoted_body(&o, v->u.s, n);
        out_str(&o, v->n > 60 ? "...\"" : "\"");
        break;
    }
    default: out_str(&o, kind_names[v->kind]); break;
    }
    return out_finish(&o, buf, size);
}

/* A key for a message, quoted and shortened. Returns buf. */
static char *key_render(const char *k, size_t n, char *buf, size_t size)
{
    out_buf o = {buf, 0, size - 1, 0};
    out_str(&o, "\"");
    out_quoted_body(&o, k, n > 60 ? 60 : n);
    out_str(&o, n > 60 ? "...\"" : "\"");
    return out_finish(&o, buf, size);
}

/* ---- the set: creation and queries ------------------------------------------------ */

facts *facts_new(void)
{
    facts *f = aip_xcalloc(1, sizeof *f);
    arena_init(&f->mem);
    f->lim.max_depth = 256;
    f->lim.max_string = (size_t)1 << 20;
    f->lim.max_total = (size_t)1 << 30;
    f->lim.max_files = 1024;
    f->alias_limit = FACTS_ALIAS_NODES_DEFAULT;
    f->root = fnode_new(&f->mem, FN_MAP);
    if (!f->root)
        facts_oom();
    f->root->u.entries = facts_alloc(&f->mem, sizeof(fentry));
    return f;
}

void facts_free(facts *f)
{
    if (!f)
        return;
    for (unsigned i = 0; i < f->ndocs; i++)
        arena_free(&f->docs[i]);
    aip_free(f->docs);
    aip_free(f->files);
    arena_free(&f->mem);
    aip_free(f);
}

facts_limits *facts_limits_of(facts *f)
{
    return &f->lim;
}

void facts_set_alias_limit(facts *f, size_t nodes)
{
    f->alias_limit = nodes;
}

const fnode *facts_root(const facts *f)
{
    return f->root;
}

unsigned facts_file_count(const facts *f)
{
    return f->nfiles;
}

const char *facts_file_name(const facts *f, unsigned file)
{
    return file < f->nfiles ? f->files[file].name : NULL;
}

const char *facts_file_sha256(const facts *f, unsigned file)
{
    return file < f->nfiles ? f->files[file].sha256 : NULL;
}

void facts_set_first_file(facts *f, unsigned first)
{
    f->first_file = first < FNODE_NO_FILE ? first : FNODE_NO_FILE - 1;
}

const char *facts_node_file(const facts *f, const fnode *n)
{
    if (!n || n->file == FNODE_NO_FILE)
        return NULL;
    const char *name = n->file >= f->first_file ? facts_file_name(f, n->file - f->first_file) : NULL;
    if (!name && f->params && f->params != f)
        name = facts_node_file(f->params, n);
    return name;
}

void facts_set_params_store(facts *f, const facts *params)
{
    f->params = params;
}

/* ---- lookups ---------------------------------------------------------------------- */

/* Maps are small (an ai_systems entry of the native format has about twenty
 * keys): a scan of the entries' hashes touches no key string until one
 * matches, which costs less than a binary search by string order up to 32
 * entries (docs/performance.md: the SME profile at 1,000 systems, 479.7 M ->
 * 455.8 M instructions from 16 to 32 with the VM's constant keys hashed once).
 * Larger maps keep the binary search. */
enum { FNODE_SCAN_MAX = 32 };

const fnode *fnode_get(const fnode *map, const char *key, size_t key_len)
{
    if (!map || map->kind != FN_MAP)
        return NULL;
    return fnode_get_hashed(map, key, key_len, map->n <= FNODE_SCAN_MAX ? id_hash(key, key_len) : 0);
}

const fnode *fnode_get_hinted(const fnode *map, const char *key, size_t key_len, uint32_t hash,
                              uint8_t *hint)
{
    if (!map || map->kind != FN_MAP)
        return NULL;
    uint32_t i = *hint;
    if (i < map->n) {
        const fentry *e = &map->u.entries[i];
        if (e->hash == hash && e->key_len == key_len && (key_len == 0 || memcmp(e->key, key, key_len) == 0))
            return e->val;
    }
    const fnode *v = fnode_get_hashed(map, key, key_len, hash);
    if (v && v->parent == map && v->index < 255)
        *hint = (uint8_t)v->index;
    return v;
}

const fnode *fnode_get_hashed(const fnode *map, const char *key, size_t key_len, uint32_t hash)
{
    if (!map || map->kind != FN_MAP)
        return NULL;
    if (map->n <= FNODE_SCAN_MAX) {
        for (uint32_t i = 0; i < map->n; i++) {
            const fentry *e = &map->u.entries[i];
            if (e->hash == hash && e->key_len == key_len &&
                (key_len == 0 || memcmp(e->key, key, key_len) == 0))
                return e->val;
        }
        return NULL;
    }
    uint32_t lo = 0, hi = map->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const fentry *e = &map->u.entries[mid];
        int c = key_cmp(e->key, e->key_len, key, key_len);
        if (c == 0)
            return e->val;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const fnode *fnode_at(const fnode *list, int64_t i)
{
    if (!list || list->kind != FN_LIST || i < 0 || i >= (int64_t)list->n)
        return NULL;
    return list->u.items[i];
}

int fnode_has_id_index(const fnode *list)
{
    return list_idx(list) != NULL;
}

const fnode *fnode_by_id(const fnode *list, const char *id, size_t id_len)
{
    const fidx *x = list_idx(list);
    if (!x)
        return NULL;
    int64_t pos = idx_find(list, x, id, id_len);
    return pos < 0 ? NULL : list->u.items[pos];
}

const char *fnode_key_of(const fnode *child)
{
    const fnode *p = child ? child->parent : NULL;
    if (!p || p->kind != FN_MAP || child->index >= p->n)
        return NULL;
    return p->u.entries[child->index].key;
}

char *fnode_path(const fnode *n, char *buf, size_t len)
{
    return path_render(n, buf, len, 0);
}

int fnode_equal(const fnode *a, const fnode *b)
{
    if (a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case FN_NULL: return 1;
    case FN_BOOL: return !a->u.b == !b->u.b;
    case FN_INT: return a->u.i == b->u.i;
    case FN_DOUBLE: return a->u.d == b->u.d || (a->u.d != a->u.d && b->u.d != b->u.d);
    case FN_STR: return a->n == b->n && (a->n == 0 || memcmp(a->u.s, b->u.s, a->n) == 0);
    case FN_LIST:
        if (a->n != b->n)
            return 0;
        for (uint32_t i = 0; i < a->n; i++)
            if (!fnode_equal(a->u.items[i], b->u.items[i]))
                return 0;
        return 1;
    case FN_MAP:
        if (a->n != b->n)
            return 0;
        for (uint32_t i = 0; i < a->n; i++) {
            const fentry *x = &a->u.entries[i], *y = &b->u.entries[i];
            if (key_cmp(x->key, x->key_len, y->key, y->key_len) != 0 ||
                !fnode_equal(x->val, y->val))
                return 0;
        }
        return 1;
    default: return 0;
    }
}

/* ---- VM nodes ------------------------------------------------------------------ */

fnode *fnode_new(arena *a, fnode_kind kind)
{
    fnode *n = arena_zalloc(a, sizeof *n);
    if (!n)
        return NULL;
    n->kind = (uint8_t)kind;
    n->file = FNODE_NO_FILE;
    return n;
}

/* qsort order of two fentry by key. */
static int entry_cmp(const void *x, const void *y)
{
    const fentry *a = x, *b = y;
    return key_cmp(a->key, a->key_len, b->key, b->key_len);
}

/* Children that belong to a facts tree (file set) keep their own parent: a
 * VM map may hold fact nodes, whose paths must not change. */
int fnode_map_finish(fnode *map, const char **dup)
{
    if (!map || map->kind != FN_MAP)
        return -1;
    fentry *v = map->u.entries;
    if (map->n > 16) {
        qsort(v, map->n, sizeof(fentry), entry_cmp);
    } else {   /* the VM's map literals: an insertion sort, no call per comparison */
        for (uint32_t i = 1; i < map->n; i++) {
            fentry x = v[i];
            uint32_t j = i;
            while (j > 0 && key_cmp(v[j - 1].key, v[j - 1].key_len, x.key, x.key_len) > 0) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
    }
    for (uint32_t i = 0; i < map->n; i++) {
        fentry *e = &v[i];
        e->hash = id_hash(e->key, e->key_len);
        if (i > 0 && key_cmp(e[-1].key, e[-1].key_len, e->key, e->key_len) == 0) {
            if (dup)
                *dup = e->key;
            return -1;
        }
        if (e->val && e->val->file == FNODE_NO_FILE) {
            e->val->parent = map;
            e->val->index = i;
        }
    }
    return 0;
}

/* ---- the builder ------------------------------------------------------------------ */

int fb_fail(fbuild *b, uint32_t line, uint32_t col, const char *fmt, ...)
{
    if (b->failed)
        return -1;
    b->failed = 1;
    snprintf(b->err.file, sizeof b->err.file, "%s", b->name);
    b->err.line = line;
    b->err.col = line ? (col ? col : 1) : 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->err.msg, sizeof b->err.msg, fmt, ap);
    va_end(ap);
    return -1;
}

aip_error *fb_error(fbuild *b)
{
    return &b->err;
}

int fb_open_kind(const fbuild *b)
{
    return b->nframes ? b->frames[b->nframes - 1].node->kind : -1;
}

const fnode *fb_last(const fbuild *b)
{
    return b->last;
}

const char *fb_file_name(const fbuild *b)
{
    return b->name;
}

size_t facts_input_bytes(const facts *f)
{
    return f->total_in;
}

const facts_limits *fb_limits(const fbuild *b)
{
    return &b->f->lim;
}

size_t fb_alias_limit(const fbuild *b)
{
    return b->f->alias_limit;
}

/* One build at a time per set: the document takes the next file index.
 * sha256 may be NULL (inline facts): the file's digest is then "". */
fbuild *facts_build_begin(facts *f, const char *file_name, const unsigned char sha256[32])
{
    fbuild *b = aip_xcalloc(1, sizeof *b);
    b->f = f;
    arena_init(&b->mem);
    b->name = arena_strdup(&b->mem, file_name ? file_name : "<facts>");
    if (!b->name)
        facts_oom();
    unsigned id = f->first_file + f->nfiles;
    b->file = (uint16_t)(id < FNODE_NO_FILE ? id : FNODE_NO_FILE - 1);
    if (sha256) {
        b->has_sha = 1;
        memcpy(b->sha, sha256, 32);
    }
    return b;
}

/* A new node of b's file at line:col. */
static fnode *fb_node(fbuild *b, fnode_kind kind, uint32_t line, uint32_t col)
{
    fnode *n = facts_alloc(&b->mem, sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = (uint8_t)kind;
    n->file = b->file;
    n->line = line;
    n->col = col;
    return n;
}

/* Whether a value may come now (fails b if a map waits for a key). */
static int fb_value_ok(fbuild *b, uint32_t line, uint32_t col)
{
    if (b->failed)
        return 0;
    if (b->nframes) {
        fb_frame *t = &b->frames[b->nframes - 1];
        if (t->node->kind == FN_MAP && !t->want_val) {
            fb_fail(b, line, col, "a map value without a key");
            return 0;
        }
    } else if (b->doc) {
        fb_fail(b, line, col, "more than one top-level value");
        return 0;
    }
    return 1;
}

/* Put a finished value where it belongs (top level, list item, map value). */
static void fb_place(fbuild *b, fnode *n)
{
    b->last = n;
    if (!b->nframes) {
        b->doc = n;
        return;
    }
    fb_frame *t = &b->frames[b->nframes - 1];
    if (t->node->kind == FN_LIST) {
        AIP_GROW(b->slots, b->nslots, b->cap_slots);
        fb_slot *s = &b->slots[b->nslots++];
        memset(s, 0, sizeof *s);
        s->val = n;
    } else {
        b->slots[b->nslots - 1].val = n;
        t->want_val = 0;
    }
}

int fb_null(fbuild *b, uint32_t line, uint32_t col)
{
    if (!fb_value_ok(b, line, col))
        return -1;
    fb_place(b, fb_node(b, FN_NULL, line, col));
    return 0;
}

int fb_bool(fbuild *b, int v, uint32_t line, uint32_t col)
{
    if (!fb_value_ok(b, line, col))
        return -1;
    fnode *n = fb_node(b, FN_BOOL, line, col);
    n->u.b = v != 0;
    fb_place(b, n);
    return 0;
}

int fb_int(fbuild *b, int64_t v, uint32_t line, uint32_t col)
{
    if (!fb_value_ok(b, line, col))
        return -1;
    fnode *n = fb_node(b, FN_INT, line, col);
    n->u.i = v;
    fb_place(b, n);
    return 0;
}

int fb_double(fbuild *b, double v, uint32_t line, uint32_t col)
{
    if (!fb_value_ok(b, line, col))
        return -1;
    fnode *n = fb_node(b, FN_DOUBLE, line, col);
    n->u.d = v;
    fb_place(b, n);
    return 0;
}

/* Fails b when a string or key of len bytes exceeds max_string. */
static int fb_len_ok(fbuild *b, size_t len, uint32_t line, uint32_t col)
{
    size_t max = b->f->lim.max_string;
    if (max > UINT32_MAX)
        max = UINT32_MAX;
    if (len > max) {
        fb_fail(b, line, col, "string longer than %zu bytes (raise the limit with --max-string)", max);
        return 0;
    }
    return 1;
}

int fb_str(fbuild *b, const char *s, size_t len, uint32_t line, uint32_t col)
{
    if (!fb_value_ok(b, line, col) || !fb_len_ok(b, len, line, col))
        return -1;
    fnode *n = fb_node(b, FN_STR, line, col);
    char *p = facts_alloc(&b->mem, len + 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    n->u.s = p;
    n->n = (uint32_t)len;
    fb_place(b, n);
    return 0;
}

/* Open a list or map at line:col (depth limit checked). */
static int fb_open(fbuild *b, fnode_kind kind, uint32_t line, uint32_t col)
{
    if (!fb_value_ok(b, line, col))
        return -1;
    if (b->nframes >= b->f->lim.max_depth)
        return fb_fail(b, line, col, "nesting deeper than %u (raise the limit with --max-depth)",
                       b->f->lim.max_depth);
    AIP_GROW(b->frames, b->nframes, b->cap_frames);
    fb_frame *t = &b->frames[b->nframes++];
    t->node = fb_node(b, kind, line, col);
    t->base = b->nslots;
    t->want_val = 0;
    return 0;
}

int fb_list_begin(fbuild *b, uint32_t line, uint32_t col)
{
    return fb_open(b, FN_LIST, line, col);
}

int fb_map_begin(fbuild *b, uint32_t line, uint32_t col)
{
    return fb_open(b, FN_MAP, line, col);
}

/* The document's copy of key k[0..len): one per distinct short key, a fresh
 * copy for a long one. Never NULL. *hash gets fnode_key_hash(k, len). */
static const char *fb_intern_key(fbuild *b, const char *k, size_t len, uint32_t *hash)
{
    uint32_t h = id_hash(k, len);
    *hash = h;
    if (len > 128) {
        char *p = facts_alloc(&b->mem, len + 1);
        memcpy(p, k, len);
        p[len] = '\0';
        return p;
    }
    if ((b->nkeys + 1) * 2 > b->cap_keys) {
        size_t cap = b->cap_keys ? b->cap_keys * 2 : 256;
        fb_intern *t = aip_xcalloc(cap, sizeof *t);
        for (size_t i = 0; i < b->cap_keys; i++) {
            if (!b->keys[i].key)
                continue;
            size_t j = b->keys[i].hash & (cap - 1);
            while (t[j].key)
                j = (j + 1) & (cap - 1);
            t[j] = b->keys[i];
        }
        aip_free(b->keys);
        b->keys = t;
        b->cap_keys = cap;
    }
    size_t j = h & (b->cap_keys - 1);
    while (b->keys[j].key) {
        fb_intern *e = &b->keys[j];
        if (e->hash == h && e->len == len && (len == 0 || memcmp(e->key, k, len) == 0))
            return e->key;
        j = (j + 1) & (b->cap_keys - 1);
    }
    char *p = facts_alloc(&b->mem, len + 1);
    if (len)
        memcpy(p, k, len);
    p[len] = '\0';
    b->keys[j].key = p;
    b->keys[j].len = (uint32_t)len;
    b->keys[j].hash = h;
    b->nkeys++;
    return p;
}

int fb_key(fbuild *b, const char *k, size_t len, uint32_t line, uint32_t col)
{
    if (b->failed)
        return -1;
    fb_frame *t = b->nframes ? &b->frames[b->nframes - 1] : NULL;
    if (!t || t->node->kind != FN_MAP || t->want_val)
        return fb_fail(b, line, col, "a key outside a map or without a value");
    if (!fb_len_ok(b, len, line, col))
        return -1;
    AIP_GROW(b->slots, b->nslots, b->cap_slots);
    fb_slot *s = &b->slots[b->nslots++];
    s->key = fb_intern_key(b, k, len, &s->key_hash);
    s->key_len = (uint32_t)len;
    s->kline = line;
    s->kcol = col;
    s->order = (uint32_t)(b->nslots - 1 - t->base);
    s->val = NULL;
    t->want_val = 1;
    return 0;
}

/* The key of the map entry that the innermost open list is the value of, for
 * messages; NULL when the list is not a map value. */
static const char *fb_list_key(const fbuild *b)
{
    if (b->nframes < 2)
        return NULL;
    const fb_frame *up = &b->frames[b->nframes - 2];
    if (up->node->kind != FN_MAP || !up->want_val)
        return NULL;
    return b->slots[b->frames[b->nframes - 1].base - 1].key;
}

int fb_list_end(fbuild *b)
{
    if (b->failed)
        return -1;
    if (!b->nframes || b->frames[b->nframes - 1].node->kind != FN_LIST)
        return fb_fail(b, 0, 0, "fb_list_end without an open list");
    fb_frame *t = &b->frames[b->nframes - 1];
    fnode *list = t->node;
    size_t n = b->nslots - t->base;
    if (n > UINT32_MAX - 1)
        return fb_fail(b, list->line, list->col, "list too long");
    list->n = (uint32_t)n;
    list->u.items = facts_items(&b->mem, n);
    for (size_t i = 0; i < n; i++) {
        fnode *c = b->slots[t->base + i].val;
        c->parent = list;
        c->index = (uint32_t)i;
        list->u.items[i] = c;
    }
    uint32_t q = count_ids(list);
    if (q) {
        uint32_t da = UINT32_MAX, db = UINT32_MAX;
        fidx *x = idx_index(q == n ? &b->mem : NULL, list, q, &da, &db);
        if (q == n && da == UINT32_MAX)
            *idx_slot(list) = x;
        if (q != n && x != &fidx_scan)
            aip_free(x);
        if (da != UINT32_MAX) {
            const fnode *first = item_id(list->u.items[da]);
            const fnode *second = item_id(list->u.items[db]);
            const char *lk = fb_list_key(b);
            char idbuf[160], kbuf[160];
            key_render(second->u.s, second->n, idbuf, sizeof idbuf);
            if (lk)
                key_render(lk, strlen(lk), kbuf, sizeof kbuf);
            return fb_fail(b, second->line, second->col,
                           "duplicate id %s in list%s%s (first at %s:%" PRIu32 ":%" PRIu32 ")",
                           idbuf, lk ? " " : "", lk ? kbuf : "", b->name, first->line,
                           first->col);
        }
    }
    b->nslots = t->base;
    b->nframes--;
    fb_place(b, list);
    return 0;
}

/* Order of two map slots: by key, then by position in the source. */
static int slot_cmp(const void *x, const void *y)
{
    const fb_slot *a = x, *b = y;
    int c = key_cmp(a->key, a->key_len, b->key, b->key_len);
    if (c)
        return c;
    return a->order < b->order ? -1 : a->order > b->order;
}

int fb_map_end(fbuild *b)
{
    if (b->failed)
        return -1;
    if (!b->nframes || b->frames[b->nframes - 1].node->kind != FN_MAP)
        return fb_fail(b, 0, 0, "fb_map_end without an open map");
    fb_frame *t = &b->frames[b->nframes - 1];
    fnode *map = t->node;
    if (t->want_val) {
        const fb_slot *s = &b->slots[b->nslots - 1];
        return fb_fail(b, s->kline, s->kcol, "a key without a value");
    }
    size_t n = b->nslots - t->base;
    fb_slot *s = n ? b->slots + t->base : NULL; /* no slot yet: b->slots may be NULL */
    if (n > UINT32_MAX - 1)
        return fb_fail(b, map->line, map->col, "map too large");
    int sorted = 1;
    for (size_t i = 1; i < n && sorted; i++)
        sorted = key_cmp(s[i - 1].key, s[i - 1].key_len, s[i].key, s[i].key_len) < 0;
    if (!sorted && n <= 24) {
        for (size_t i = 1; i < n; i++) {
            fb_slot cur = s[i];
            size_t j = i;
            for (; j > 0 && slot_cmp(&s[j - 1], &cur) > 0; j--)
                s[j] = s[j - 1];
            s[j] = cur;
        }
    } else if (!sorted) {
        qsort(s, n, sizeof *s, slot_cmp);
    }
    fentry *e = facts_alloc(&b->mem, (n ? n : 1) * sizeof *e);
    uint32_t m = 0;
    size_t kept = 0;               /* slot of e[m - 1]: first of its key in the source */
    for (size_t i = 0; i < n; i++) {
        if (m && key_cmp(e[m - 1].key, e[m - 1].key_len, s[i].key, s[i].key_len) == 0) {
            if (fnode_equal(e[m - 1].val, s[i].val))
                continue;
            char kbuf[160];
            key_render(s[i].key, s[i].key_len, kbuf, sizeof kbuf);
            return fb_fail(b, s[i].kline, s[i].kcol,
                           "duplicate key %s with a different value (first at %s:%" PRIu32
                           ":%" PRIu32 ")",
                           kbuf, b->name, s[kept].kline, s[kept].kcol);
        }
        kept = i;
        e[m].key = s[i].key;
        e[m].key_len = s[i].key_len;
        e[m].hash = s[i].key_hash;
        e[m].val = s[i].val;
        e[m].val->parent = map;
        e[m].val->index = m;
        m++;
    }
    map->n = m;
    map->u.entries = e;
    b->nslots = t->base;
    b->nframes--;
    fb_place(b, map);
    return 0;
}

/* Free b's scratch arrays and the builder itself (not its arena). */
static void fb_free(fbuild *b)
{
    aip_free(b->keys);
    aip_free(b->slots);
    aip_free(b->frames);
    aip_free(b);
}

void facts_build_abort(fbuild *b)
{
    if (!b)
        return;
    arena_free(&b->mem);
    fb_free(b);
}

/* ---- merge ---------------------------------------------------------------------- */

static int merge_check_map(fbuild *b, const fnode *o, const fnode *n);

/* Location string "file:line:col" of an existing (committed) node. */
static void loc_render(const facts *f, const fnode *v, char *buf, size_t size)
{
    const char *name = facts_node_file(f, v);
    if (!name)
        name = "<facts>";
    snprintf(buf, size, "%s:%" PRIu32 ":%" PRIu32, name, v->line, v->col);
}

/* Fail b: key k of old map om has value ov, the new document gives nv. */
static int merge_conflict(fbuild *b, const fnode *om, const fentry *k, const fnode *ov,
                          const fnode *nv)
{
    char path[512], kbuf[160], a[160], c[160], loc[1100];
    path_render(om, path, sizeof path, 1);
    key_render(k->key, k->key_len, kbuf, sizeof kbuf);
    value_render(nv, a, sizeof a);
    value_render(ov, c, sizeof c);
    loc_render(b->f, ov, loc, sizeof loc);
    if (path[0])
        return fb_fail(b, nv->line, nv->col, "key %s of %s is %s here but %s at %s", kbuf, path,
                       a, c, loc);
    return fb_fail(b, nv->line, nv->col, "top-level key %s is %s here but %s at %s", kbuf, a,
                   c, loc);
}

/* An index over the items of old list ol that have an id: its own, or a
 * temporary one (*tmp set, caller frees). NULL when no item has an id. */
static const fidx *merge_lookup(const fnode *ol, fidx **tmp)
{
    *tmp = NULL;
    const fidx *own = list_idx(ol);
    if (own)
        return own;
    uint32_t q = count_ids(ol);
    if (!q)
        return NULL;
    uint32_t da = UINT32_MAX, db = UINT32_MAX;
    fidx *x = idx_index(NULL, ol, q, &da, &db);
    *tmp = x == &fidx_scan ? NULL : x;
    return x;
}

/* Check that new list nl can be merged into old list ol. */
static int merge_check_list(fbuild *b, const fnode *ol, const fnode *nl)
{
    fidx *tmp;
    const fidx *x = merge_lookup(ol, &tmp);
    int rc = 0;
    for (uint32_t i = 0; x && i < nl->n && rc == 0; i++) {
        const fnode *id = item_id(nl->u.items[i]);
        if (!id)
            continue;
        int64_t pos = idx_find(ol, x, id->u.s, id->n);
        if (pos >= 0)
            rc = merge_check_map(b, ol->u.items[pos], nl->u.items[i]);
    }
    aip_free(tmp);
    return rc;
}

/* Whether kind k is a scalar (not a list or map). */
static int scalar_kind(int k)
{
    return k != FN_LIST && k != FN_MAP;
}

/* Check that new map n can be merged into old map o; 0 or -1 (b failed). */
static int merge_check_map(fbuild *b, const fnode *o, const fnode *n)
{
    uint32_t i = 0, j = 0;
    while (i < o->n && j < n->n) {
        const fentry *oe = &o->u.entries[i], *ne = &n->u.entries[j];
        int c = key_cmp(oe->key, oe->key_len, ne->key, ne->key_len);
        if (c < 0) {
            i++;
            continue;
        }
        if (c > 0) {
            j++;
            continue;
        }
        const fnode *ov = oe->val, *nv = ne->val;
        int rc = 0;
        if (ov->kind == FN_MAP && nv->kind == FN_MAP)
            rc = merge_check_map(b, ov, nv);
        else if (ov->kind == FN_LIST && nv->kind == FN_LIST)
            rc = merge_check_list(b, ov, nv);
        else if (!(scalar_kind(ov->kind) && fnode_equal(ov, nv)))
            rc = merge_conflict(b, o, oe, ov, nv);
        if (rc)
            return rc;
        i++;
        j++;
    }
    return 0;
}

static fnode *merge_map(arena *a, fnode *o, fnode *n);

/* A copy of container o's header (kind, location) in a. */
static fnode *merge_node(arena *a, const fnode *o)
{
    fnode *r = facts_alloc(a, sizeof *r);
    memset(r, 0, sizeof *r);
    r->kind = o->kind;
    r->file = o->file;
    r->line = o->line;
    r->col = o->col;
    return r;
}

/* Old list ol and new list nl merged (checked before): a new list. */
static fnode *merge_list(arena *a, fnode *ol, fnode *nl)
{
    fnode *r = merge_node(a, ol);
    size_t cap = (size_t)ol->n + nl->n;
    fnode **items = facts_items(a, cap);
    if (ol->n)
        memcpy(items, ol->u.items, ol->n * sizeof *items);
    uint32_t m = ol->n;
    fidx *tmp;
    const fidx *x = merge_lookup(ol, &tmp);
    for (uint32_t i = 0; i < nl->n; i++) {
        const fnode *id = item_id(nl->u.items[i]);
        int64_t pos = x && id ? idx_find(ol, x, id->u.s, id->n) : -1;
        if (pos >= 0)
            items[pos] = merge_map(a, items[pos], nl->u.items[i]);
        else
            items[m++] = nl->u.items[i];
    }
    aip_free(tmp);
    r->n = m;
    r->u.items = items;
    for (uint32_t i = 0; i < m; i++) {
        items[i]->parent = r;
        items[i]->index = i;
    }
    uint32_t q = count_ids(r);
    if (q && q == m) {
        uint32_t da = UINT32_MAX, db = UINT32_MAX;
        *idx_slot(r) = idx_index(a, r, q, &da, &db);
    }
    return r;
}

/* Old map o and new map n merged (checked before): a new map whose children
 * point to it. */
static fnode *merge_map(arena *a, fnode *o, fnode *n)
{
    fnode *r = merge_node(a, o);
    size_t cap = (size_t)o->n + n->n;
    fentry *e = facts_alloc(a, (cap ? cap : 1) * sizeof *e);
    uint32_t i = 0, j = 0, m = 0;
    while (i < o->n || j < n->n) {
        int c;
        if (i >= o->n)
            c = 1;
        else if (j >= n->n)
            c = -1;
        else
            c = key_cmp(o->u.entries[i].key, o->u.entries[i].key_len, n->u.entries[j].key,
                        n->u.entries[j].key_len);
        if (c < 0) {
            e[m] = o->u.entries[i++];
        } else if (c > 0) {
            e[m] = n->u.entries[j++];
        } else {
            fnode *ov = o->u.entries[i].val, *nv = n->u.entries[j].val;
            e[m] = o->u.entries[i];
            if (ov->kind == FN_MAP)
                e[m].val = merge_map(a, ov, nv);
            else if (ov->kind == FN_LIST)
                e[m].val = merge_list(a, ov, nv);
            i++;
            j++;
        }
        e[m].val->parent = r;
        e[m].val->index = m;
        m++;
    }
    r->n = m;
    r->u.entries = e;
    return r;
}

/* Copy s's 32 bytes as lower-case hex into out[65]. */
static void sha_hex(const unsigned char *s, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < 32; i++) {
        out[2 * i] = hex[s[i] >> 4];
        out[2 * i + 1] = hex[s[i] & 15];
    }
    out[64] = '\0';
}

int facts_build_end(fbuild *b, aip_error *err)
{
    facts *f = b->f;
    if (!b->failed) {
        if (b->nframes)
            fb_fail(b, b->frames[0].node->line, b->frames[0].node->col,
                    "incomplete document: a list or map is not closed");
        else if (!b->doc)
            fb_fail(b, 1, 1, "no document (the top level must be a map)");
        else if (f->lim.any_root && f->nfiles > 0)
            fb_fail(b, 0, 0, "only one document can be loaded here");
        else if (b->doc->kind != FN_MAP && !f->lim.any_root)
            fb_fail(b, b->doc->line, b->doc->col, "the top-level value must be a map, not %s",
                    kind_names[b->doc->kind]);
        else if (f->nfiles >= f->lim.max_files || f->nfiles >= FNODE_NO_FILE)
            fb_fail(b, 0, 0, "more than %u facts files (raise the limit with --max-files)", f->lim.max_files);
        else if (b->doc->kind == FN_MAP)
            merge_check_map(b, f->root, b->doc);
    }
    if (b->failed) {
        if (err)
            *err = b->err;
        facts_build_abort(b);
        return -1;
    }
    /* commit: nothing below can fail */
    AIP_GROW(f->docs, f->ndocs, f->cap_docs);
    f->docs[f->ndocs] = b->mem;
    arena *a = &f->docs[f->ndocs++];
    AIP_GROW(f->files, f->nfiles, f->cap_files);
    facts_file *ff = &f->files[f->nfiles++];
    ff->name = b->name;
    ff->sha256[0] = '\0';
    if (b->has_sha)
        sha_hex(b->sha, ff->sha256);
    if (f->root->n == 0 || b->doc->kind != FN_MAP)
        f->root = b->doc;
    else
        f->root = merge_map(a, f->root, b->doc);
    f->root->parent = NULL;
    f->root->index = 0;
    fb_free(b);
    return 0;
}

/* ---- loading ------------------------------------------------------------------ */

/* Whether name ends in ".json" (any case). */
static int is_json_name(const char *name)
{
    size_t n = strlen(name);
    if (n < 5)
        return 0;
    const char *e = name + n - 5;
    return e[0] == '.' && (e[1] | 32) == 'j' && (e[2] | 32) == 's' && (e[3] | 32) == 'o' &&
           (e[4] | 32) == 'n';
}

/* SHA-256 of buf[0..len) into md; 0, or -1 when libcrypto fails. */
static int facts_sha256(const char *buf, size_t len, unsigned char md[32])
{
    aip_sha256(buf, len, md);
    return 0;
}

/* Fails with err when one more file of len bytes would pass a limit. */
static int facts_check_input(facts *f, const char *name, size_t len, aip_error *err)
{
    if (f->nfiles >= f->lim.max_files || f->nfiles >= FNODE_NO_FILE)
        return aip_fail(err, name, 0, 0, "more than %u facts files (raise the limit with --max-files)",
                        f->lim.max_files);
    if (len > f->lim.max_total || f->total_in > f->lim.max_total - len)
        return aip_fail(err, name, 0, 0,
                        "facts input larger than %zu bytes in total (raise the limit with --max-input, in MiB)",
                        f->lim.max_total);
    return 0;
}

int facts_load_buffer(facts *f, const char *name, const char *buf, size_t len,
                      facts_format fmt, aip_error *err)
{
    if (!name)
        name = "<facts>";
    if (!buf && len)
        return aip_fail(err, name, 0, 0, "no input buffer");
    if (facts_check_input(f, name, len, err))
        return -1;
    unsigned char md[32];
    if (facts_sha256(buf ? buf : "", len, md))
        return aip_fail(err, name, 0, 0, "cannot compute SHA-256 (libcrypto failed)");
    if (fmt == FACTS_AUTO)
        fmt = is_json_name(name) ? FACTS_JSON : FACTS_YAML;
    fbuild *b = facts_build_begin(f, name, md);
    int rc = fmt == FACTS_JSON ? json_facts_parse(b, buf ? buf : "", len)
                               : yaml_facts_parse(b, buf ? buf : "", len);
    if (rc) {
        if (err)
            *err = b->err;
        facts_build_abort(b);
        return -1;
    }
    if (facts_build_end(b, err))
        return -1;
    f->total_in += len;
    return 0;
}

int facts_load_file(facts *f, const char *path, facts_format fmt, aip_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return aip_fail(err, path, 0, 0, "cannot read facts: %s", strerror(errno));
    size_t room = f->lim.max_total > f->total_in ? f->lim.max_total - f->total_in : 0;
    size_t cap = 1 << 16, len = 0;
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uintmax_t)st.st_size <= room)
        cap = (size_t)st.st_size + 1;   /* one spare byte: EOF is seen without growing */
    char *buf = aip_xmalloc(cap);
    for (;;) {
        if (len == cap) {
            cap *= 2;
            buf = aip_xrealloc(buf, cap);
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0 || len > room)
            break;
    }
    int bad = ferror(fp);
    int saved = errno;
    fclose(fp);
    if (bad) {
        aip_free(buf);
        return aip_fail(err, path, 0, 0, "cannot read facts: %s",
                        strerror(saved ? saved : EIO));
    }
    int rc = facts_load_buffer(f, path, buf, len, fmt, err);
    aip_free(buf);
    return rc;
}
