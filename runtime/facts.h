/* runtime/facts.h - inventory facts: a tree of located values.
 *
 * Facts are loaded from YAML (libyaml, YAML 1.2 core-schema typing) and JSON
 * (a strict RFC 8259 parser of our own) behind one interface, and merged when
 * several files are given. Every node remembers the file, line and column it
 * came from and its parent, so a finding can name the fact's path
 * ("credentials[1].shared") and location.
 *
 * The same node type holds the VM's own lists and maps (built from constants
 * or by builtins), with file == FNODE_NO_FILE.
 *
 * Ownership: a facts set owns every node and string it loaded, in its arena;
 * nodes are immutable once facts_load_* returns.
 */
#ifndef AIP_RUNTIME_FACTS_H
#define AIP_RUNTIME_FACTS_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/arena.h"
#include "runtime/error.h"

typedef enum fnode_kind {
    FN_NULL, FN_BOOL, FN_INT, FN_DOUBLE, FN_STR, FN_LIST, FN_MAP
} fnode_kind;

#define FNODE_NO_FILE 0xFFFFu

typedef struct fnode fnode;
typedef struct fidx fidx;   /* id index of a list (opaque, see facts.c) */

typedef struct fentry {
    const char *key;        /* NUL-terminated; key_len bytes */
    uint32_t key_len;
    uint32_t hash;          /* fnode_key_hash(key, key_len): set by the builder and by
                               fnode_map_finish, so fnode_get compares keys only on a hit.
                               A map built by hand goes through fnode_map_finish (or sets
                               it): fnode_get does not find an entry whose hash is wrong */
    fnode *val;
} fentry;

struct fnode {
    uint8_t kind;           /* fnode_kind */
    uint8_t depth;          /* lists/maps built by the VM or from constants: levels of
                               such containers inside (bounded by BC_MAX_NEST); 0 for facts,
                               whose depth the loader bounds (max_depth) */
    uint16_t file;          /* index into the facts file table, or FNODE_NO_FILE */
    uint32_t line, col;     /* 1-based location of the value's first character */
    uint32_t index;         /* position in the parent list, or entry index in the parent map */
    uint32_t n;             /* string bytes, list items, or map entries */
    const fnode *parent;    /* NULL for a root */
    union {
        int b;                  /* FN_BOOL */
        int64_t i;              /* FN_INT */
        double d;               /* FN_DOUBLE */
        const char *s;          /* FN_STR: NUL-terminated, n bytes (may hold NULs) */
        fnode **items;          /* FN_LIST */
        fentry *entries;        /* FN_MAP: sorted by key, bytewise; keys unique */
    } u;
    /* A list loaded from facts (file != FNODE_NO_FILE) keeps, in the word just
     * before u.items[0], the index of its items by id (fnode_by_id), or NULL:
     * most nodes are not lists, so the node itself has no field for it. */
};

/* Limits on what a load accepts; exceeding one is an error naming the limit. */
typedef struct facts_limits {
    unsigned max_depth;         /* nesting of lists/maps (default 256) */
    size_t max_string;          /* bytes in one string or key (default 1 MiB) */
    size_t max_total;           /* bytes of input over all files (default 1 GiB) */
    unsigned max_files;         /* number of files (default 1024) */
    int any_root;               /* accept a top-level value that is not a map (one
                                   document, no merging): waivers files are lists */
} facts_limits;

typedef enum facts_format { FACTS_AUTO, FACTS_JSON, FACTS_YAML } facts_format;

typedef struct facts facts;

/* A new, empty facts set with default limits (root: an empty map). */
facts *facts_new(void);
void facts_free(facts *f);
facts_limits *facts_limits_of(facts *f);

/* Load one file and merge it into f. FACTS_AUTO picks JSON for a ".json"
 * name, else YAML. On error returns -1 and fills err with the file, line and
 * column; f is then unchanged as far as the caller can tell (partially
 * loaded data is not merged). */
int facts_load_file(facts *f, const char *path, facts_format fmt, aip_error *err);
/* Same, from memory; name is what locations report. */
int facts_load_buffer(facts *f, const char *name, const char *buf, size_t len,
                      facts_format fmt, aip_error *err);

/* Bytes of input loaded so far, over all files. */
size_t facts_input_bytes(const facts *f);

/* The merged document: a map (empty when nothing was loaded), or with
 * any_root the one document loaded, whatever its kind. */
const fnode *facts_root(const facts *f);
/* Loaded files, in load order: name and lower-case hex SHA-256 of the bytes. */
unsigned facts_file_count(const facts *f);
const char *facts_file_name(const facts *f, unsigned file);
const char *facts_file_sha256(const facts *f, unsigned file);

/* File ids: a node's `file` is its store's first file id plus the file's
 * position in load order. The facts store of an evaluation starts at 0; the
 * params store starts at FACTS_PARAMS_FILE, so a finding about a param value
 * is located in the params file, never in the facts file of the same
 * position. Set before anything is loaded. */
#define FACTS_PARAMS_FILE 0xFFFEu
void facts_set_first_file(facts *f, unsigned first);
/* The name of the file node n was loaded from, or NULL when n has no file
 * or its file is neither one of f's nor one of its params store's. */
const char *facts_node_file(const facts *f, const fnode *n);
/* Locate nodes of params (a store started at FACTS_PARAMS_FILE, which must
 * outlive f's use) through f as well: the VM sees param values and facts
 * side by side and locates both through the facts it evaluates. */
void facts_set_params_store(facts *f, const facts *params);

/* Building a document from another source (the YAML and JSON loaders use
 * this; so do inline facts in policy tests). Calls must nest properly:
 * fb_map_begin, then (fb_key, value)*, fb_map_end. A document is one value;
 * facts_build_end merges it into f (top-level value must be a map).
 * Every fb_* returns 0, or -1 with err filled (limits, duplicate key). */
typedef struct fbuild fbuild;
fbuild *facts_build_begin(facts *f, const char *file_name, const unsigned char sha256[32]);
int fb_null(fbuild *b, uint32_t line, uint32_t col);
int fb_bool(fbuild *b, int v, uint32_t line, uint32_t col);
int fb_int(fbuild *b, int64_t v, uint32_t line, uint32_t col);
int fb_double(fbuild *b, double v, uint32_t line, uint32_t col);
int fb_str(fbuild *b, const char *s, size_t len, uint32_t line, uint32_t col);
int fb_list_begin(fbuild *b, uint32_t line, uint32_t col);
int fb_list_end(fbuild *b);
int fb_map_begin(fbuild *b, uint32_t line, uint32_t col);
int fb_key(fbuild *b, const char *k, size_t len, uint32_t line, uint32_t col);
int fb_map_end(fbuild *b);
aip_error *fb_error(fbuild *b);
/* Finish: merge into the set (0) or fail (-1, err filled). Frees b. */
int facts_build_end(fbuild *b, aip_error *err);
/* Abandon a build (after an error). Frees b; f unchanged. */
void facts_build_abort(fbuild *b);

/* The hash of a map key that fentry.hash holds (FNV-1a folded to 32 bits). */
uint32_t fnode_key_hash(const char *key, size_t key_len);

/* Lookups. All return NULL when absent (or when n is not of the right kind). */
const fnode *fnode_get(const fnode *map, const char *key, size_t key_len);
/* fnode_get with the key's hash already known (hash == fnode_key_hash(key,
 * key_len)): the VM hashes its constant keys once, when the bundle loads. */
const fnode *fnode_get_hashed(const fnode *map, const char *key, size_t key_len, uint32_t hash);
/* fnode_get_hashed that first tries the entry at *hint, and leaves the
 * found entry's index there (when below 255). Maps read by one instruction
 * of a policy mostly have the same keys in the same order (every entry of a
 * list written by one tool), so the VM keeps one hint per field access: a hit
 * costs one comparison, whatever the map's size. */
const fnode *fnode_get_hinted(const fnode *map, const char *key, size_t key_len, uint32_t hash,
                              uint8_t *hint);
const fnode *fnode_at(const fnode *list, int64_t i);
/* Whether list has an index by id: it comes from the facts and every item
 * is a map with a string `id`. */
int fnode_has_id_index(const fnode *list);
/* Entry of a list whose `id` equals id (through the index; NULL if the list
 * has no index or no such entry). */
const fnode *fnode_by_id(const fnode *list, const char *id, size_t id_len);
/* The key under which a map's child at entry index i sits. */
const char *fnode_key_of(const fnode *child);

/* Whether key k[0..n) is an identifier ([A-Za-z_][A-Za-z0-9_]*), which a
 * path writes as .key (any other key as ["key"]). */
int fnode_key_is_ident(const char *k, size_t n);

/* Path of n from its root: `credentials[1].shared`, keys that are not
 * identifiers as ["key"]. Written into buf (truncated with "..." if needed);
 * returns buf. The root's path is "" . */
char *fnode_path(const fnode *n, char *buf, size_t len);

/* Build VM values in an arena (file = FNODE_NO_FILE, no parent). */
fnode *fnode_new(arena *a, fnode_kind kind);
/* Sort a map node's entries by key and set children's parent/index;
 * returns -1 if a key repeats (dup set to it). */
int fnode_map_finish(fnode *map, const char **dup);

#endif
