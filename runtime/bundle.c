/* runtime/bundle.c - reading a bundle from bytes, and the bundle struct's
 * life cycle (shared with the compiler's writer).
 *
 * The reader trusts nothing: every length and count is checked against the
 * bytes that remain before it is used, every string and constant index is
 * checked here or in verify.c, and nothing runs before bundle_verify passes.
 * It is not the verifier of code (runtime/verify.c) nor the writer
 * (compiler/bundle_write.c).
 */
#include "runtime/bundle.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/builtins.h"
#include "runtime/digest.h"

/* ---- writer-side interning ---------------------------------------------- */

struct bundle_intern {
    uint32_t *slots;   /* string index + 1; 0 = empty */
    uint32_t cap;      /* power of two */
};

static uint32_t hash_bytes(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

bundle *bundle_new(void)
{
    bundle *b = aip_xcalloc(1, sizeof *b);
    arena_init(&b->mem);
    return b;
}

void bundle_free(bundle *b)
{
    if (!b)
        return;
    free(b->strs.v);
    free(b->str_lens.v);
    free(b->consts.v);
    free(b->agg_refs.v);
    free(b->funcs.v);
    free(b->code.v);
    free(b->sites.v);
    free(b->lines.v);
    free(b->exprs.v);
    free(b->natives.v);
    free(b->params.v);
    free(b->controls.v);
    free(b->evidence_refs.v);
    free(b->maps.v);
    free(b->profiles.v);
    free(b->profile_refs.v);
    free(b->meta.v);
    free(b->kvals);
    free(b->khash);
    if (b->intern) {
        free(b->intern->slots);
        free(b->intern);
    }
    arena_free(&b->mem);
    free(b);
}

static void intern_grow(bundle *b)
{
    struct bundle_intern *in = b->intern;
    uint32_t ncap = in->cap ? in->cap * 2 : 256;
    uint32_t *slots = aip_xcalloc(ncap, sizeof *slots);
    for (uint32_t i = 0; i < b->strs.n; i++) {
        uint32_t h = hash_bytes(b->strs.v[i], b->str_lens.v[i]) & (ncap - 1);
        while (slots[h])
            h = (h + 1) & (ncap - 1);
        slots[h] = i + 1;
    }
    free(in->slots);
    in->slots = slots;
    in->cap = ncap;
}

uint32_t bundle_str(bundle *b, const char *s, size_t len)
{
    if (!b->intern)
        b->intern = aip_xcalloc(1, sizeof *b->intern);
    if ((b->strs.n + 1) * 2 > b->intern->cap)
        intern_grow(b);
    struct bundle_intern *in = b->intern;
    uint32_t h = hash_bytes(s, len) & (in->cap - 1);
    while (in->slots[h]) {
        uint32_t i = in->slots[h] - 1;
        if (b->str_lens.v[i] == len && memcmp(b->strs.v[i], s, len) == 0)
            return i;
        h = (h + 1) & (in->cap - 1);
    }
    char *copy = arena_strndup(&b->mem, s, len);
    if (!copy) {
        fputs("aip: internal error: out of memory\n", stderr);
        exit(3);
    }
    BC_PUSH(b->strs, copy);
    BC_PUSH(b->str_lens, (uint32_t)len);
    in->slots[h] = b->strs.n;
    return b->strs.n - 1;
}

const char *bundle_meta(const bundle *b, const char *key)
{
    for (uint32_t i = 0; i < b->meta.n; i++)
        if (b->meta.v[i].key < b->strs.n && strcmp(b->strs.v[b->meta.v[i].key], key) == 0)
            return b->meta.v[i].value < b->strs.n ? b->strs.v[b->meta.v[i].value] : NULL;
    return NULL;
}

int bundle_sniff(const unsigned char *buf, size_t len)
{
    return len >= 4 && memcmp(buf, BC_MAGIC, 4) == 0;
}

/* ---- reader ---------------------------------------------------------------- */

typedef struct rd {
    const unsigned char *p;   /* section payload */
    size_t len, off;
    const char *name;         /* bundle file name for messages */
    const char *tag;          /* section tag for messages */
    size_t base;              /* payload offset in the file */
    aip_error *err;
    int failed;
} rd;

static int rd_fail(rd *r, const char *what)
{
    if (!r->failed)
        aip_fail(r->err, r->name, 0, 0,
                 "corrupt bundle: %s section: %s at byte %zu", r->tag, what, r->base + r->off);
    r->failed = 1;
    return -1;
}

static uint32_t rd_u32(rd *r)
{
    if (r->failed || r->len - r->off < 4) {
        rd_fail(r, "truncated");
        return 0;
    }
    const unsigned char *q = r->p + r->off;
    r->off += 4;
    return (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
}

static uint8_t rd_u8(rd *r)
{
    if (r->failed || r->len - r->off < 1) {
        rd_fail(r, "truncated");
        return 0;
    }
    return r->p[r->off++];
}

static uint16_t rd_u16(rd *r)
{
    uint16_t lo = rd_u8(r);
    return (uint16_t)(lo | (uint16_t)rd_u8(r) << 8);
}

static uint64_t rd_u64(rd *r)
{
    uint64_t lo = rd_u32(r);
    return lo | (uint64_t)rd_u32(r) << 32;
}

/* A count of items of at least min_size bytes each that must fit in what is left. */
static uint32_t rd_count(rd *r, size_t min_size)
{
    uint32_t n = rd_u32(r);
    if (!r->failed && (size_t)n * min_size > r->len - r->off) {
        rd_fail(r, "count larger than the section");
        return 0;
    }
    return n;
}

static uint32_t rd_str(rd *r, const bundle *b)
{
    uint32_t i = rd_u32(r);
    if (!r->failed && i >= b->strs.n) {
        rd_fail(r, "string index out of range");
        return 0;
    }
    return i;
}

#define RD_VEC(r, vec, n)                                                   \
    do {                                                                    \
        (vec).n = 0;                                                        \
        (vec).cap = (n);                                                    \
        (vec).v = (n) ? aip_xcalloc((n), sizeof *(vec).v) : NULL;           \
    } while (0)

static int read_strs(rd *r, bundle *b)
{
    uint32_t n = rd_count(r, 4);
    RD_VEC(r, b->strs, n);
    RD_VEC(r, b->str_lens, n);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        uint32_t len = rd_u32(r);
        if (r->failed || len > r->len - r->off)
            return rd_fail(r, "string longer than the section");
        char *s = arena_strndup(&b->mem, (const char *)r->p + r->off, len);
        if (!s)
            return rd_fail(r, "out of memory");
        r->off += len;
        b->strs.v[b->strs.n++] = s;
        b->str_lens.v[b->str_lens.n++] = len;
    }
    return r->failed ? -1 : 0;
}

static int read_consts(rd *r, bundle *b)
{
    uint32_t n = rd_count(r, 1);
    RD_VEC(r, b->consts, n);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        bc_const k = {0};
        k.tag = rd_u8(r);
        switch (k.tag) {
        case BC_K_NULL: case BC_K_FALSE: case BC_K_TRUE:
            break;
        case BC_K_INT: case BC_K_DURATION:
            k.u.i = (int64_t)rd_u64(r);
            break;
        case BC_K_DOUBLE: {
            uint64_t bits = rd_u64(r);
            memcpy(&k.u.d, &bits, sizeof bits);
            break;
        }
        case BC_K_STR:
            k.u.str = rd_str(r, b);
            break;
        case BC_K_LIST: case BC_K_MAP: {
            uint32_t cnt = rd_count(r, k.tag == BC_K_MAP ? 8 : 4);
            uint32_t refs = k.tag == BC_K_MAP ? cnt * 2 : cnt;
            k.u.agg.first = b->agg_refs.n;
            k.u.agg.n = cnt;
            for (uint32_t j = 0; j < refs && !r->failed; j++) {
                uint32_t ref = rd_u32(r);
                /* list items and map values point to earlier constants (no cycles);
                 * map keys (even positions) are string indices */
                if (k.tag == BC_K_MAP && j % 2 == 0) {
                    if (ref >= b->strs.n)
                        return rd_fail(r, "map key string index out of range");
                } else if (ref >= i) {
                    return rd_fail(r, "aggregate constant refers to a later constant");
                }
                BC_PUSH(b->agg_refs, ref);
            }
            break;
        }
        default:
            return rd_fail(r, "unknown constant tag");
        }
        b->consts.v[b->consts.n++] = k;
    }
    return r->failed ? -1 : 0;
}

static int read_funcs(rd *r, bundle *b)
{
    uint32_t n = rd_count(r, 20);
    RD_VEC(r, b->funcs, n);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        bc_func f;
        f.kind = rd_u8(r);
        f.nparams = rd_u8(r);
        f.nlocals = rd_u16(r);
        f.max_stack = rd_u32(r);
        f.start = rd_u32(r);
        f.len = rd_u32(r);
        f.name = rd_str(r, b);
        b->funcs.v[b->funcs.n++] = f;
    }
    return r->failed ? -1 : 0;
}

static int read_code(rd *r, bundle *b)
{
    uint32_t n = rd_count(r, 4);
    RD_VEC(r, b->code, n);
    for (uint32_t i = 0; i < n && !r->failed; i++)
        b->code.v[b->code.n++] = rd_u32(r);
    return r->failed ? -1 : 0;
}

static int read_sites(rd *r, bundle *b)
{
    uint32_t n = rd_count(r, 17);
    RD_VEC(r, b->sites, n);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        bc_site s;
        s.kind = rd_u8(r);
        s.file = rd_str(r, b);
        s.line = rd_u32(r);
        s.col = rd_u32(r);
        s.text = rd_str(r, b);
        if (s.kind > BC_SITE_WHERE)
            return rd_fail(r, "unknown site kind");
        b->sites.v[b->sites.n++] = s;
    }
    return r->failed ? -1 : 0;
}

static int read_lines(rd *r, bundle *b)
{
    uint32_t n = rd_count(r, 12);
    RD_VEC(r, b->lines, n);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        bc_line l;
        l.pc = rd_u32(r);
        l.file = rd_str(r, b);
        l.line = rd_u32(r);
        if (i && l.pc < b->lines.v[i - 1].pc)
            return rd_fail(r, "line table not sorted");
        b->lines.v[b->lines.n++] = l;
    }
    return r->failed ? -1 : 0;
}

static int read_natives(rd *r, bundle *b)
{
    uint32_t n = rd_count(r, 5);
    RD_VEC(r, b->natives, n);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        bc_native nv;
        nv.name = rd_str(r, b);
        nv.argc = rd_u8(r);
        nv.builtin = -1;
        b->natives.v[b->natives.n++] = nv;
    }
    return r->failed ? -1 : 0;
}

static int read_params(rd *r, bundle *b)
{
    uint32_t n = rd_count(r, 13);
    RD_VEC(r, b->params, n);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        bc_param p;
        p.name = rd_str(r, b);
        p.package = rd_str(r, b);
        p.kind = rd_u8(r);
        p.def = rd_u32(r);
        b->params.v[b->params.n++] = p;
    }
    return r->failed ? -1 : 0;
}

static int read_controls(rd *r, bundle *b)
{
    uint32_t n = rd_count(r, 47);
    RD_VEC(r, b->controls, n);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        bc_control c = {0};
        c.id = rd_str(r, b);
        c.title = rd_str(r, b);
        c.focus = rd_u8(r);
        for (int k = 0; k < 3; k++)
            c.priority[k] = rd_u8(r);
        c.enforce = rd_u8(r);
        c.has_attest = rd_u8(r);
        c.nevidence = rd_count(r, 4);
        c.evidence = b->evidence_refs.n;
        for (uint32_t k = 0; k < c.nevidence && !r->failed; k++)
            BC_PUSH(b->evidence_refs, rd_str(r, b));
        c.nmaps = rd_count(r, 8);
        c.maps = b->maps.n;
        for (uint32_t k = 0; k < c.nmaps && !r->failed; k++) {
            bc_mapping m;
            m.framework = rd_str(r, b);
            m.ref = rd_str(r, b);
            BC_PUSH(b->maps, m);
        }
        c.file = rd_str(r, b);
        c.line = rd_u32(r);
        c.col = rd_u32(r);
        c.func = rd_u32(r);
        c.package = rd_str(r, b);
        c.help = rd_str(r, b);
        c.kind = rd_u8(r);
        b->controls.v[b->controls.n++] = c;
    }
    return r->failed ? -1 : 0;
}

static int read_profiles(rd *r, bundle *b)
{
    uint32_t n = rd_count(r, 12);
    RD_VEC(r, b->profiles, n);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        bc_profile p;
        p.name = rd_str(r, b);
        p.title = rd_str(r, b);
        p.n = rd_count(r, 4);
        p.first = b->profile_refs.n;
        for (uint32_t k = 0; k < p.n && !r->failed; k++)
            BC_PUSH(b->profile_refs, rd_str(r, b));
        b->profiles.v[b->profiles.n++] = p;
    }
    return r->failed ? -1 : 0;
}

static int read_meta(rd *r, bundle *b)
{
    uint32_t n = rd_count(r, 8);
    RD_VEC(r, b->meta, n);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        bc_meta m;
        m.key = rd_str(r, b);
        m.value = rd_str(r, b);
        b->meta.v[b->meta.n++] = m;
    }
    return r->failed ? -1 : 0;
}

/* Debug entries; their code ranges and parents are checked by verify.c. */
static int read_exprs(rd *r, bundle *b)
{
    uint32_t n = rd_count(r, 29);
    RD_VEC(r, b->exprs, n);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        bc_expr x;
        x.kind = rd_u8(r);
        x.file = rd_str(r, b);
        x.line = rd_u32(r);
        x.col = rd_u32(r);
        x.text = rd_str(r, b);
        x.start = rd_u32(r);
        x.end = rd_u32(r);
        x.parent = rd_u32(r);
        if (!r->failed && x.kind > BC_X_KIND_MAX)
            return rd_fail(r, "unknown expression kind");
        b->exprs.v[b->exprs.n++] = x;
    }
    return r->failed ? -1 : 0;
}

static int sha256(const unsigned char *buf, size_t len, unsigned char out[32])
{
    aip_sha256(buf, len, out);
    return 0;
}

/* Section tags in the order the reader needs them (STRS first: the others
 * refer to strings). */
static const char *const order[] = {"STRS", "CNST", "FUNC", "CODE", "SITE", "LINE",
                                    "NATV", "PARM", "CTRL", "PROF", "META", "EXPR"};
enum { NSECT = sizeof order / sizeof order[0] };

bundle *bundle_read(const unsigned char *buf, size_t len, const char *name,
                    const bundle_read_opts *opts, aip_error *err)
{
    if (len < 12 || !bundle_sniff(buf, len)) {
        aip_fail(err, name, 0, 0, "not an aip bundle (bad magic or too short)");
        return NULL;
    }
    unsigned version = buf[4] | (unsigned)buf[5] << 8;
    if (version != BC_VERSION) {
        aip_fail(err, name, 0, 0, "bundle format version %u is not supported (this aip reads %u)",
                 version, BC_VERSION);
        return NULL;
    }
    uint32_t nsect = (uint32_t)buf[8] | (uint32_t)buf[9] << 8 | (uint32_t)buf[10] << 16 |
                     (uint32_t)buf[11] << 24;
    /* locate sections */
    size_t found_off[NSECT] = {0}, found_len[NSECT] = {0};
    int have[NSECT] = {0};
    size_t off = 12, sum_at = 0;
    int have_sum = 0;
    for (uint32_t s = 0; s < nsect; s++) {
        if (len - off < 8) {
            aip_fail(err, name, 0, 0, "corrupt bundle: section %u header truncated at byte %zu", s, off);
            return NULL;
        }
        const unsigned char *h = buf + off;
        size_t plen = (size_t)h[4] | (size_t)h[5] << 8 | (size_t)h[6] << 16 | (size_t)h[7] << 24;
        if (plen > len - off - 8) {
            aip_fail(err, name, 0, 0, "corrupt bundle: section %.4s at byte %zu is longer than the file",
                     (const char *)h, off);
            return NULL;
        }
        if (memcmp(h, "SHA2", 4) == 0) {
            if (plen != 32 || s != nsect - 1) {
                aip_fail(err, name, 0, 0, "corrupt bundle: SHA2 section must be last and 32 bytes");
                return NULL;
            }
            sum_at = off;
            have_sum = 1;
        } else {
            for (int k = 0; k < NSECT; k++) {
                if (memcmp(h, order[k], 4) == 0) {
                    if (have[k]) {
                        aip_fail(err, name, 0, 0, "corrupt bundle: section %s appears twice", order[k]);
                        return NULL;
                    }
                    have[k] = 1;
                    found_off[k] = off + 8;
                    found_len[k] = plen;
                }
            }
        }
        off += 8 + plen;
    }
    if (off != len) {
        aip_fail(err, name, 0, 0, "corrupt bundle: %zu unexpected bytes after the last section", len - off);
        return NULL;
    }
    if (!have_sum) {
        aip_fail(err, name, 0, 0, "corrupt bundle: no SHA2 checksum section");
        return NULL;
    }
    if (!(opts && opts->skip_checksum)) {
        unsigned char d[32];
        if (sha256(buf, sum_at, d) != 0 || memcmp(d, buf + sum_at + 8, 32) != 0) {
            aip_fail(err, name, 0, 0,
                     "bundle checksum mismatch: the file was changed or damaged after it was built");
            return NULL;
        }
    }
    for (int k = 0; k < 5; k++) {   /* STRS CNST FUNC CODE SITE are required */
        if (!have[k]) {
            aip_fail(err, name, 0, 0, "corrupt bundle: missing %s section", order[k]);
            return NULL;
        }
    }

    bundle *b = bundle_new();
    int (*const readers[NSECT])(rd *, bundle *) = {read_strs, read_consts, read_funcs, read_code,
                                                   read_sites, read_lines, read_natives, read_params,
                                                   read_controls, read_profiles, read_meta, read_exprs};
    for (int k = 0; k < NSECT; k++) {
        if (!have[k])
            continue;
        rd r = {buf + found_off[k], found_len[k], 0, name, order[k], found_off[k], err, 0};
        if (readers[k](&r, b) != 0) {
            bundle_free(b);
            return NULL;
        }
        if (r.off != r.len) {
            rd_fail(&r, "trailing bytes");
            bundle_free(b);
            return NULL;
        }
    }
    if (sha256(buf, len, b->sha256) != 0) {
        aip_fail(err, name, 0, 0, "internal error: SHA-256 unavailable");
        bundle_free(b);
        return NULL;
    }
    aip_sha256_hex(b->sha256, b->sha256_hex);
    if (bundle_verify(b, name, err) != 0 || bundle_materialize(b, err) != 0) {
        bundle_free(b);
        return NULL;
    }
    return b;
}

bundle *bundle_read_file(const char *path, aip_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        aip_fail(err, path, 0, 0, "cannot open bundle: %s", strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = aip_xmalloc(cap);
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        if (cap >= (size_t)1 << 30) {
            fclose(f);
            free(buf);
            aip_fail(err, path, 0, 0, "bundle larger than 1 GiB");
            return NULL;
        }
        cap *= 2;
        buf = aip_xrealloc(buf, cap);
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        aip_fail(err, path, 0, 0, "cannot read bundle");
        return NULL;
    }
    bundle *b = bundle_read(buf, n, path, NULL, err);
    free(buf);
    return b;
}

/* Build the value of constant i (lists and maps as fnodes in b->mem). */
int bundle_materialize(bundle *b, aip_error *err)
{
    b->kvals = aip_xcalloc(b->consts.n ? b->consts.n : 1, sizeof *b->kvals);
    b->khash = aip_xcalloc(b->consts.n ? b->consts.n : 1, sizeof *b->khash);
    for (uint32_t i = 0; i < b->consts.n; i++) {
        const bc_const *k = &b->consts.v[i];
        val v = val_null();
        switch (k->tag) {
        case BC_K_NULL: v = val_null(); break;
        case BC_K_FALSE: v = val_bool(0); break;
        case BC_K_TRUE: v = val_bool(1); break;
        case BC_K_INT: v = val_int(k->u.i); break;
        case BC_K_DURATION: v = val_duration(k->u.i); break;
        case BC_K_DOUBLE: v = val_double(k->u.d); break;
        case BC_K_STR:
            v = val_str(b->strs.v[k->u.str], b->str_lens.v[k->u.str]);
            b->khash[i] = fnode_key_hash(v.u.s, v.n);
            break;
        case BC_K_LIST: case BC_K_MAP: {
            int is_map = k->tag == BC_K_MAP;
            fnode *node = fnode_new(&b->mem, is_map ? FN_MAP : FN_LIST);
            if (!node)
                return aip_fail(err, NULL, 0, 0, "out of memory");
            node->n = k->u.agg.n;
            if (is_map)
                node->u.entries = arena_zalloc(&b->mem, sizeof(fentry) * (k->u.agg.n + 1));
            else
                node->u.items = arena_zalloc(&b->mem, sizeof(fnode *) * (k->u.agg.n + 1));
            for (uint32_t j = 0; j < k->u.agg.n; j++) {
                uint32_t vref = b->agg_refs.v[k->u.agg.first + (is_map ? 2 * j + 1 : j)];
                val item = b->kvals[vref];
                fnode *child;
                if (item.kind == VAL_LIST || item.kind == VAL_MAP) {
                    child = (fnode *)item.u.node;
                } else {
                    static const uint8_t kind_of[] = {
                        [VAL_NULL] = FN_NULL, [VAL_BOOL] = FN_BOOL, [VAL_INT] = FN_INT,
                        [VAL_DOUBLE] = FN_DOUBLE, [VAL_STR] = FN_STR};
                    if (item.kind == VAL_DURATION)  /* durations in aggregates are seconds */
                        item = val_int(item.u.i);
                    child = fnode_new(&b->mem, (fnode_kind)kind_of[item.kind]);
                    if (!child)
                        return aip_fail(err, NULL, 0, 0, "out of memory");
                    child->n = item.n;
                    switch (item.kind) {
                    case VAL_BOOL: child->u.b = item.u.b; break;
                    case VAL_INT: child->u.i = item.u.i; break;
                    case VAL_DOUBLE: child->u.d = item.u.d; break;
                    case VAL_STR: child->u.s = item.u.s; break;
                    default: break;
                    }
                }
                if (is_map) {
                    uint32_t key = b->agg_refs.v[k->u.agg.first + 2 * j];
                    node->u.entries[j].key = b->strs.v[key];
                    node->u.entries[j].key_len = b->str_lens.v[key];
                    node->u.entries[j].val = child;
                } else {
                    node->u.items[j] = child;
                }
            }
            for (uint32_t j = 0; j < k->u.agg.n; j++) {
                const fnode *ch = is_map ? node->u.entries[j].val : node->u.items[j];
                if ((ch->kind == FN_LIST || ch->kind == FN_MAP) && ch->depth + 1u > node->depth)
                    node->depth = (uint8_t)(ch->depth + 1u);
            }
            if (node->depth >= BC_MAX_NEST)
                return aip_fail(err, NULL, 0, 0, "invalid bundle: constant %u nests lists or maps more than %u deep",
                                i, BC_MAX_NEST);
            if (is_map) {
                const char *dup = NULL;
                if (fnode_map_finish(node, &dup) != 0)
                    return aip_fail(err, NULL, 0, 0, "corrupt bundle: constant %u repeats map key \"%s\"",
                                    i, dup ? dup : "");
            }
            v.kind = is_map ? VAL_MAP : VAL_LIST;
            v.u.node = node;
            break;
        }
        }
        b->kvals[i] = v;
    }
    return 0;
}

void bundle_policy_line(const bundle *b, uint32_t pc, const char **file, uint32_t *line)
{
    *file = NULL;
    *line = 0;
    uint32_t lo = 0, hi = b->lines.n;
    while (lo < hi) {     /* last entry with entry.pc <= pc */
        uint32_t mid = lo + (hi - lo) / 2;
        if (b->lines.v[mid].pc <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo) {
        *file = b->strs.v[b->lines.v[lo - 1].file];
        *line = b->lines.v[lo - 1].line;
    }
}
