/* compiler/bundle_write.c - serialize a bundle to bytes, deterministically.
 *
 * The layout is documented in runtime/bundle.h; this is its only writer and
 * runtime/bundle.c its only reader. Sections go out in one fixed order and
 * every integer little-endian, so the same bundle gives the same bytes.
 */
#include "compiler/compile.h"

#include <string.h>

#include "runtime/digest.h"

typedef struct wbuf {
    unsigned char *p;
    size_t n, cap;
} wbuf;

static void put(wbuf *w, const void *src, size_t n)
{
    if (w->n + n > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->n + n)
            cap *= 2;
        w->p = aip_xrealloc(w->p, cap);
        w->cap = cap;
    }
    memcpy(w->p + w->n, src, n);
    w->n += n;
}

static void put_u8(wbuf *w, unsigned v)
{
    unsigned char b = (unsigned char)v;
    put(w, &b, 1);
}

static void put_u16(wbuf *w, unsigned v)
{
    unsigned char b[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    put(w, b, 2);
}

static void put_u32(wbuf *w, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    put(w, b, 4);
}

static void put_u64(wbuf *w, uint64_t v)
{
    put_u32(w, (uint32_t)v);
    put_u32(w, (uint32_t)(v >> 32));
}

/* Start a section: tag and a length placeholder; returns where the length goes. */
static size_t sect_begin(wbuf *w, const char *tag)
{
    put(w, tag, 4);
    size_t at = w->n;
    put_u32(w, 0);
    return at;
}

static void sect_end(wbuf *w, size_t at)
{
    uint32_t len = (uint32_t)(w->n - at - 4);
    unsigned char b[4] = {(unsigned char)len, (unsigned char)(len >> 8), (unsigned char)(len >> 16),
                          (unsigned char)(len >> 24)};
    memcpy(w->p + at, b, 4);
}

unsigned char *bundle_serialize(bundle *b, size_t *len)
{
    wbuf w = {0};
    put(&w, BC_MAGIC, 4);
    put_u16(&w, BC_VERSION);
    put_u16(&w, 0);
    put_u32(&w, 13);   /* sections, SHA2 included */
    size_t s;

    s = sect_begin(&w, "STRS");
    put_u32(&w, b->strs.n);
    for (uint32_t i = 0; i < b->strs.n; i++) {
        put_u32(&w, b->str_lens.v[i]);
        put(&w, b->strs.v[i], b->str_lens.v[i]);
    }
    sect_end(&w, s);

    s = sect_begin(&w, "CNST");
    put_u32(&w, b->consts.n);
    for (uint32_t i = 0; i < b->consts.n; i++) {
        const bc_const *k = &b->consts.v[i];
        put_u8(&w, k->tag);
        switch (k->tag) {
        case BC_K_INT: case BC_K_DURATION:
            put_u64(&w, (uint64_t)k->u.i);
            break;
        case BC_K_DOUBLE: {
            uint64_t bits;
            memcpy(&bits, &k->u.d, sizeof bits);
            put_u64(&w, bits);
            break;
        }
        case BC_K_STR:
            put_u32(&w, k->u.str);
            break;
        case BC_K_LIST: case BC_K_MAP: {
            put_u32(&w, k->u.agg.n);
            uint32_t refs = k->tag == BC_K_MAP ? 2 * k->u.agg.n : k->u.agg.n;
            for (uint32_t j = 0; j < refs; j++)
                put_u32(&w, b->agg_refs.v[k->u.agg.first + j]);
            break;
        }
        default:
            break;
        }
    }
    sect_end(&w, s);

    s = sect_begin(&w, "FUNC");
    put_u32(&w, b->funcs.n);
    for (uint32_t i = 0; i < b->funcs.n; i++) {
        const bc_func *f = &b->funcs.v[i];
        put_u8(&w, f->kind);
        put_u8(&w, f->nparams);
        put_u16(&w, f->nlocals);
        put_u32(&w, f->max_stack);
        put_u32(&w, f->start);
        put_u32(&w, f->len);
        put_u32(&w, f->name);
    }
    sect_end(&w, s);

    s = sect_begin(&w, "CODE");
    put_u32(&w, b->code.n);
    for (uint32_t i = 0; i < b->code.n; i++)
        put_u32(&w, b->code.v[i]);
    sect_end(&w, s);

    s = sect_begin(&w, "SITE");
    put_u32(&w, b->sites.n);
    for (uint32_t i = 0; i < b->sites.n; i++) {
        const bc_site *st = &b->sites.v[i];
        put_u8(&w, st->kind);
        put_u32(&w, st->file);
        put_u32(&w, st->line);
        put_u32(&w, st->col);
        put_u32(&w, st->text);
    }
    sect_end(&w, s);

    s = sect_begin(&w, "LINE");
    put_u32(&w, b->lines.n);
    for (uint32_t i = 0; i < b->lines.n; i++) {
        put_u32(&w, b->lines.v[i].pc);
        put_u32(&w, b->lines.v[i].file);
        put_u32(&w, b->lines.v[i].line);
    }
    sect_end(&w, s);

    s = sect_begin(&w, "NATV");
    put_u32(&w, b->natives.n);
    for (uint32_t i = 0; i < b->natives.n; i++) {
        put_u32(&w, b->natives.v[i].name);
        put_u8(&w, b->natives.v[i].argc);
    }
    sect_end(&w, s);

    s = sect_begin(&w, "PARM");
    put_u32(&w, b->params.n);
    for (uint32_t i = 0; i < b->params.n; i++) {
        const bc_param *p = &b->params.v[i];
        put_u32(&w, p->name);
        put_u32(&w, p->package);
        put_u8(&w, p->kind);
        put_u32(&w, p->def);
    }
    sect_end(&w, s);

    s = sect_begin(&w, "CTRL");
    put_u32(&w, b->controls.n);
    for (uint32_t i = 0; i < b->controls.n; i++) {
        const bc_control *c = &b->controls.v[i];
        put_u32(&w, c->id);
        put_u32(&w, c->title);
        put_u8(&w, c->focus);
        for (int k = 0; k < 3; k++)
            put_u8(&w, c->priority[k]);
        put_u8(&w, c->enforce);
        put_u8(&w, c->has_attest);
        put_u32(&w, c->nevidence);
        for (uint32_t k = 0; k < c->nevidence; k++)
            put_u32(&w, b->evidence_refs.v[c->evidence + k]);
        put_u32(&w, c->nmaps);
        for (uint32_t k = 0; k < c->nmaps; k++) {
            put_u32(&w, b->maps.v[c->maps + k].framework);
            put_u32(&w, b->maps.v[c->maps + k].ref);
        }
        put_u32(&w, c->file);
        put_u32(&w, c->line);
        put_u32(&w, c->col);
        put_u32(&w, c->func);
        put_u32(&w, c->package);
        put_u32(&w, c->help);
        put_u8(&w, c->kind);
    }
    sect_end(&w, s);

    s = sect_begin(&w, "PROF");
    put_u32(&w, b->profiles.n);
    for (uint32_t i = 0; i < b->profiles.n; i++) {
        const bc_profile *p = &b->profiles.v[i];
        put_u32(&w, p->name);
        put_u32(&w, p->title);
        put_u32(&w, p->n);
        for (uint32_t k = 0; k < p->n; k++)
            put_u32(&w, b->profile_refs.v[p->first + k]);
    }
    sect_end(&w, s);

    s = sect_begin(&w, "META");
    put_u32(&w, b->meta.n);
    for (uint32_t i = 0; i < b->meta.n; i++) {
        put_u32(&w, b->meta.v[i].key);
        put_u32(&w, b->meta.v[i].value);
    }
    sect_end(&w, s);

    s = sect_begin(&w, "EXPR");
    put_u32(&w, b->exprs.n);
    for (uint32_t i = 0; i < b->exprs.n; i++) {
        const bc_expr *x = &b->exprs.v[i];
        put_u8(&w, x->kind);
        put_u32(&w, x->file);
        put_u32(&w, x->line);
        put_u32(&w, x->col);
        put_u32(&w, x->text);
        put_u32(&w, x->start);
        put_u32(&w, x->end);
        put_u32(&w, x->parent);
    }
    sect_end(&w, s);

    unsigned char digest[32];
    aip_sha256(w.p, w.n, digest);
    s = sect_begin(&w, "SHA2");
    put(&w, digest, 32);
    sect_end(&w, s);

    /* the bundle's identity is the hash of the whole file */
    aip_sha256(w.p, w.n, b->sha256);
    aip_sha256_hex(b->sha256, b->sha256_hex);
    *len = w.n;
    return w.p;
}
