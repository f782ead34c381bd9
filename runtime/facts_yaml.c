/* runtime/facts_yaml.c - YAML facts through libyaml's event API, typed by
 * the YAML 1.2 core schema, fed to the facts builder (fb_*).
 *
 * Plain scalars are typed: null (null Null NULL ~ and empty), bool (true
 * True TRUE false False FALSE), int ([-+]?[0-9]+, 0o[0-7]+, 0x[0-9a-fA-F]+;
 * 64-bit, out of range is an error), float ([-+]?(.N|N(.N*)?)([eE][-+]?N)?,
 * [-+]?.inf, .nan in their three spellings), else string. Quoted and block
 * scalars are strings. Explicit tags !!str !!int !!float !!bool !!null (and
 * !!map, !!seq on collections) are honoured; any other tag is an error.
 *
 * Anchors and aliases: an alias re-emits the anchored value (the copy's top
 * node gets the alias's location, the nodes below keep their own), and the
 * nodes produced by all aliases of a document are bounded (billion laughs).
 * Mapping keys must be scalars; a key's text is used as is, whatever its
 * type. One document per file. Locations: libyaml marks are 0-based, we
 * report 1-based line and column (libyaml counts columns in characters).
 *
 * Not here: merge keys (<<, rejected), complex keys, YAML 1.1 typing (yes/no,
 * sexagesimal, timestamps), custom tags, multi-document streams, output.
 */
#include "runtime/facts.h"
#include "runtime/facts_int.h"

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#define YAML_TAG_PREFIX "tag:yaml.org,2002:"

typedef struct yaml_anchor_def {
    char *name;                /* anchor name */
    const fnode *node;         /* an anchored list or map; NULL for a scalar */
    char *text;                /* an anchored scalar: its text, tag and style */
    size_t len;
    char *tag;
    int plain;
} yaml_anchor_def;

typedef struct yaml_level {
    int is_map;                /* open map (else list) */
    int want_key;              /* map: the next scalar is a key */
    char *anchor;              /* anchor of this collection, or NULL */
} yaml_level;

typedef struct yaml_st {
    fbuild *b;
    const char *buf;
    size_t len;
    yaml_level *lv;            /* open collections, innermost last */
    size_t nlv, cap_lv;
    yaml_anchor_def *an;       /* anchors defined so far */
    size_t nan, cap_an;
    uint32_t *tab;             /* open addressing: anchor index + 1, 0 empty */
    size_t tab_cap;
    size_t expanded;           /* nodes produced by aliases */
    size_t limit;              /* bound on expanded */
    uint32_t alias_line, alias_col;   /* alias being expanded */
    char decimal_point;
} yaml_st;

/* ---- scalar typing (core schema) --------------------------------------------- */

/* Whether s[0..n) is a core-schema null. */
static int yaml_is_null(const char *s, size_t n)
{
    return n == 0 || (n == 1 && s[0] == '~') ||
           (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

/* 1 (true), 0 (false), or -1 when s is not a core-schema bool. */
static int yaml_bool_of(const char *s, size_t n)
{
    if (n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4)))
        return 1;
    if (n == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5)))
        return 0;
    return -1;
}

/* Value of digit c in base (8, 10, 16), or -1. */
static int yaml_digit_val(char c, int base)
{
    int d;
    if (c >= '0' && c <= '9')
        d = c - '0';
    else if ((c | 32) >= 'a' && (c | 32) <= 'f')
        d = (c | 32) - 'a' + 10;
    else
        return -1;
    return d < base ? d : -1;
}

/* Core-schema int: 1 with *out set, 0 when s does not match, -1 when it
 * matches but is out of int64 range. */
static int yaml_int_of(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    int base = 10, neg = 0;
    if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
        base = s[1] == 'o' ? 8 : 16;
        i = 2;
    } else if (n > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i >= n)
        return 0;
    uint64_t mag = 0;
    int over = 0;
    for (; i < n; i++) {
        int d = yaml_digit_val(s[i], base);
        if (d < 0)
            return 0;
        if (mag > (UINT64_MAX - (unsigned)d) / (unsigned)base)
            over = 1;
        else
            mag = mag * (unsigned)base + (unsigned)d;
    }
    if (over || mag > (uint64_t)INT64_MAX + neg)
        return -1;
    *out = neg ? (mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
    return 1;
}

/* Core-schema float: 1 with *out set, 0 when s does not match, -1 when it
 * matches but overflows to infinity. */
static int yaml_float_of(const yaml_st *y, const char *s, size_t n, double *out)
{
    size_t i = 0;
    int neg = 0;
    if (n > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (n - i == 4 && s[i] == '.' &&
        (!memcmp(s + i + 1, "inf", 3) || !memcmp(s + i + 1, "Inf", 3) ||
         !memcmp(s + i + 1, "INF", 3))) {
        *out = neg ? -INFINITY : INFINITY;
        return 1;
    }
    if (n == 4 && (!memcmp(s, ".nan", 4) || !memcmp(s, ".NaN", 4) || !memcmp(s, ".NAN", 4))) {
        *out = NAN;
        return 1;
    }
    size_t digits = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        size_t frac = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, frac++;
        if (digits == 0 && frac == 0)
            return 0;
    } else if (digits == 0) {
        return 0;
    }
    if (i < n && (s[i] | 32) == 'e') {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        size_t ed = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, ed++;
        if (ed == 0)
            return 0;
    }
    if (i != n)
        return 0;
    char local[64];
    char *t = n < sizeof local ? local : aip_xmalloc(n + 1);
    memcpy(t, s, n);
    t[n] = '\0';
    if (y->decimal_point != '.') {
        char *dot = strchr(t, '.');
        if (dot)
            *dot = y->decimal_point;
    }
    double d = strtod(t, NULL);
    if (t != local)
        aip_free(t);
    if (isinf(d))
        return -1;
    *out = d;
    return 1;
}

/* A tag for messages: "!!x" for the core prefix, else as written. */
static const char *yaml_tag_short(const char *tag, char *buf, size_t size)
{
    size_t pl = sizeof YAML_TAG_PREFIX - 1;
    if (strncmp(tag, YAML_TAG_PREFIX, pl) == 0)
        snprintf(buf, size, "!!%s", tag + pl);
    else
        snprintf(buf, size, "%s", tag);
    return buf;
}

/* Whether tag (may be NULL) is absent, non-specific ("!"), or !!<name>. */
static int yaml_tag_is(const char *tag, const char *name)
{
    if (!tag)
        return name == NULL;
    if (name == NULL)
        return strcmp(tag, "!") == 0;
    size_t pl = sizeof YAML_TAG_PREFIX - 1;
    return strncmp(tag, YAML_TAG_PREFIX, pl) == 0 && strcmp(tag + pl, name) == 0;
}

/* Give the builder the scalar s[0..n) with tag (may be NULL) and style
 * (plain or not) at line:col. 0, or -1 (b failed). */
static int yaml_scalar(yaml_st *y, const char *s, size_t n, const char *tag, int plain,
                       uint32_t line, uint32_t col)
{
    fbuild *b = y->b;
    int64_t iv;
    double dv;
    int r;
    char tb[128];
    if (yaml_tag_is(tag, NULL) || yaml_tag_is(tag, "str")) {
        if (tag || !plain)
            return fb_str(b, s, n, line, col);
        if (yaml_is_null(s, n))
            return fb_null(b, line, col);
        if ((r = yaml_bool_of(s, n)) >= 0)
            return fb_bool(b, r, line, col);
        if ((r = yaml_int_of(s, n, &iv)) != 0)
            return r > 0 ? fb_int(b, iv, line, col)
                         : fb_fail(b, line, col, "integer out of range (64-bit)");
        if ((r = yaml_float_of(y, s, n, &dv)) != 0)
            return r > 0 ? fb_double(b, dv, line, col)
                         : fb_fail(b, line, col, "number out of range");
        return fb_str(b, s, n, line, col);
    }
    if (yaml_tag_is(tag, "null")) {
        if (!yaml_is_null(s, n))
            return fb_fail(b, line, col, "not a valid !!null value");
        return fb_null(b, line, col);
    }
    if (yaml_tag_is(tag, "bool")) {
        if ((r = yaml_bool_of(s, n)) < 0)
            return fb_fail(b, line, col, "not a valid !!bool value");
        return fb_bool(b, r, line, col);
    }
    if (yaml_tag_is(tag, "int")) {
        r = yaml_int_of(s, n, &iv);
        if (r == 0)
            return fb_fail(b, line, col, "not a valid !!int value");
        if (r < 0)
            return fb_fail(b, line, col, "integer out of range (64-bit)");
        return fb_int(b, iv, line, col);
    }
    if (yaml_tag_is(tag, "float")) {
        r = yaml_float_of(y, s, n, &dv);
        if (r == 0 && yaml_int_of(s, n, &iv) > 0) {
            dv = (double)iv;
            r = 1;
        }
        if (r == 0)
            return fb_fail(b, line, col, "not a valid !!float value");
        if (r < 0)
            return fb_fail(b, line, col, "number out of range");
        return fb_double(b, dv, line, col);
    }
    return fb_fail(b, line, col, "unsupported tag %s", yaml_tag_short(tag, tb, sizeof tb));
}

/* ---- anchors ----------------------------------------------------------------- */

/* FNV-1a of an anchor name. */
static uint32_t yaml_name_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

/* Slot of name in the anchor table (holding it, or the empty one to use). */
static size_t yaml_anchor_slot(const yaml_st *y, const char *name)
{
    size_t mask = y->tab_cap - 1, j = yaml_name_hash(name) & mask;
    /* a nonzero slot always indexes a defined anchor of y->an */
    while (y->tab[j] && strcmp(y->an[y->tab[j] - 1].name, name) != 0) /* NOLINT(clang-analyzer-core.NullDereference) */
        j = (j + 1) & mask;
    return j;
}

/* The anchor called name, or NULL. */
static const yaml_anchor_def *yaml_anchor_find(const yaml_st *y, const char *name)
{
    if (!y->tab_cap)
        return NULL;
    uint32_t k = y->tab[yaml_anchor_slot(y, name)];
    return k ? &y->an[k - 1] : NULL;
}

/* Define (or redefine) anchor name: a collection node, or a scalar. */
static void yaml_anchor_set(yaml_st *y, const char *name, const fnode *node, const char *text,
                            size_t len, const char *tag, int plain)
{
    if ((y->nan + 1) * 2 > y->tab_cap) {
        size_t cap = y->tab_cap ? y->tab_cap * 2 : 64;
        aip_free(y->tab);
        y->tab = aip_xcalloc(cap, sizeof *y->tab);
        y->tab_cap = cap;
        for (size_t i = 0; i < y->nan; i++)
            y->tab[yaml_anchor_slot(y, y->an[i].name)] = (uint32_t)(i + 1);
    }
    size_t j = yaml_anchor_slot(y, name);
    yaml_anchor_def *a;
    if (y->tab[j]) {
        a = &y->an[y->tab[j] - 1];
        aip_free(a->text);
        aip_free(a->tag);
    } else {
        AIP_GROW(y->an, y->nan, y->cap_an);
        a = &y->an[y->nan++];
        a->name = aip_xstrdup(name);
        y->tab[j] = (uint32_t)y->nan;
    }
    a->node = node;
    a->text = NULL;
    a->len = len;
    a->tag = tag ? aip_xstrdup(tag) : NULL;
    a->plain = plain;
    if (!node) {
        a->text = aip_xmalloc(len + 1);
        memcpy(a->text, text, len);
        a->text[len] = '\0';
    }
}

/* Count one node produced by an alias; fails b past the bound. */
static int yaml_count(yaml_st *y)
{
    if (++y->expanded > y->limit)
        return fb_fail(y->b, y->alias_line, y->alias_col, "alias expansion exceeds %zu nodes",
                       y->limit);
    return 0;
}

/* Re-emit the value n (an anchored collection) into the builder, n itself at
 * line:col. Recursion is bounded by the builder's max_depth. 0, or -1. */
static int yaml_copy(yaml_st *y, const fnode *n, uint32_t line, uint32_t col)
{
    fbuild *b = y->b;
    if (yaml_count(y))
        return -1;
    switch (n->kind) {
    case FN_NULL: return fb_null(b, line, col);
    case FN_BOOL: return fb_bool(b, n->u.b, line, col);
    case FN_INT: return fb_int(b, n->u.i, line, col);
    case FN_DOUBLE: return fb_double(b, n->u.d, line, col);
    case FN_STR: return fb_str(b, n->u.s, n->n, line, col);
    case FN_LIST:
        if (fb_list_begin(b, line, col))
            return -1;
        for (uint32_t i = 0; i < n->n; i++) {
            const fnode *c = n->u.items[i];
            if (yaml_copy(y, c, c->line, c->col))
                return -1;
        }
        return fb_list_end(b);
    case FN_MAP:
        if (fb_map_begin(b, line, col))
            return -1;
        for (uint32_t i = 0; i < n->n; i++) {
            const fentry *e = &n->u.entries[i];
            if (fb_key(b, e->key, e->key_len, e->val->line, e->val->col) ||
                yaml_copy(y, e->val, e->val->line, e->val->col))
                return -1;
        }
        return fb_map_end(b);
    default:
        return fb_fail(b, line, col, "cannot copy this value");
    }
}

/* ---- events -------------------------------------------------------------------- */

/* The innermost open collection, or NULL. */
static yaml_level *yaml_top(yaml_st *y)
{
    return y->nlv ? &y->lv[y->nlv - 1] : NULL;
}

/* Whether the next node is a mapping key. */
static int yaml_at_key(yaml_st *y)
{
    yaml_level *t = yaml_top(y);
    return t && t->is_map && t->want_key;
}

/* A value just completed: the enclosing map wants a key next. */
static void yaml_value_done(yaml_st *y)
{
    yaml_level *t = yaml_top(y);
    if (t && t->is_map)
        t->want_key = 1;
}

/* A scalar event: a key, or a typed value. 0, or -1 (b failed). */
static int yaml_on_scalar(yaml_st *y, const yaml_event_t *ev, uint32_t line, uint32_t col)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    const char *tag = (const char *)ev->data.scalar.tag;
    const char *anchor = (const char *)ev->data.scalar.anchor;
    int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (yaml_at_key(y)) {
        char tb[128];
        if (tag && !yaml_tag_is(tag, NULL) && !yaml_tag_is(tag, "str") &&
            !yaml_tag_is(tag, "int") && !yaml_tag_is(tag, "float") &&
            !yaml_tag_is(tag, "bool") && !yaml_tag_is(tag, "null"))
            return fb_fail(y->b, line, col, "unsupported tag %s",
                           yaml_tag_short(tag, tb, sizeof tb));
        if (plain && !tag && n == 2 && s[0] == '<' && s[1] == '<')
            return fb_fail(y->b, line, col, "merge keys ('<<') are not supported");
        if (fb_key(y->b, s, n, line, col))
            return -1;
        yaml_top(y)->want_key = 0;
    } else {
        if (yaml_scalar(y, s, n, tag, plain, line, col))
            return -1;
        yaml_value_done(y);
    }
    if (anchor)
        yaml_anchor_set(y, anchor, NULL, s, n, tag, plain);
    return 0;
}

/* An alias event: the anchored value again (or its text as a key). 0, or -1. */
static int yaml_on_alias(yaml_st *y, const yaml_event_t *ev, uint32_t line, uint32_t col)
{
    const char *name = (const char *)ev->data.alias.anchor;
    const yaml_anchor_def *a = yaml_anchor_find(y, name);
    if (!a)
        return fb_fail(y->b, line, col, "alias *%s refers to no anchor defined before it", name);
    y->alias_line = line;
    y->alias_col = col;
    if (yaml_at_key(y)) {
        if (a->node)
            return fb_fail(y->b, line, col, "mapping keys must be scalars");
        if (yaml_count(y) || fb_key(y->b, a->text, a->len, line, col))
            return -1;
        yaml_top(y)->want_key = 0;
        return 0;
    }
    if (a->node) {
        if (yaml_copy(y, a->node, line, col))
            return -1;
    } else if (yaml_count(y) || yaml_scalar(y, a->text, a->len, a->tag, a->plain, line, col)) {
        return -1;
    }
    yaml_value_done(y);
    return 0;
}

/* A mapping or sequence start: open it in the builder. 0, or -1. */
static int yaml_on_start(yaml_st *y, const yaml_event_t *ev, int is_map, uint32_t line,
                         uint32_t col)
{
    const char *tag = (const char *)(is_map ? ev->data.mapping_start.tag
                                            : ev->data.sequence_start.tag);
    const char *anchor = (const char *)(is_map ? ev->data.mapping_start.anchor
                                               : ev->data.sequence_start.anchor);
    char tb[128];
    if (yaml_at_key(y))
        return fb_fail(y->b, line, col,
                       "mapping keys must be scalars (complex keys are not supported)");
    if (!yaml_tag_is(tag, NULL) && !yaml_tag_is(tag, is_map ? "map" : "seq"))
        return fb_fail(y->b, line, col, "unsupported tag %s", yaml_tag_short(tag, tb, sizeof tb));
    if (is_map ? fb_map_begin(y->b, line, col) : fb_list_begin(y->b, line, col))
        return -1;
    AIP_GROW(y->lv, y->nlv, y->cap_lv);
    yaml_level *t = &y->lv[y->nlv++];
    t->is_map = is_map;
    t->want_key = is_map;
    t->anchor = anchor ? aip_xstrdup(anchor) : NULL;
    return 0;
}

/* A mapping or sequence end: close it, define its anchor. 0, or -1. */
static int yaml_on_end(yaml_st *y, int is_map)
{
    if (is_map ? fb_map_end(y->b) : fb_list_end(y->b))
        return -1;
    if (y->nlv == 0) /* libyaml pairs every end with a start */
        return -1;
    yaml_level *t = &y->lv[--y->nlv];
    if (t->anchor) {
        yaml_anchor_set(y, t->anchor, fb_last(y->b), NULL, 0, NULL, 0);
        aip_free(t->anchor);
        t->anchor = NULL;
    }
    yaml_value_done(y);
    return 0;
}

/* Fail b with libyaml's problem, located 1-based. Returns -1. */
static int yaml_parse_error(yaml_st *y, const yaml_parser_t *ps)
{
    const char *problem = ps->problem ? ps->problem : "invalid YAML";
    uint32_t line, col;
    if (ps->error == YAML_MEMORY_ERROR)
        return fb_fail(y->b, 0, 0, "out of memory while parsing YAML");
    if (ps->error == YAML_READER_ERROR) {
        size_t off = ps->problem_offset < y->len ? ps->problem_offset : y->len, ls = 0;
        line = 1;
        for (size_t i = 0; i < off; i++)
            if (y->buf[i] == '\n') {
                line++;
                ls = i + 1;
            }
        col = (uint32_t)(off - ls + 1);
        if (ps->problem_value != -1)
            return fb_fail(y->b, line, col, "%s (0x%02X)", problem, (unsigned)ps->problem_value);
        return fb_fail(y->b, line, col, "%s", problem);
    }
    line = (uint32_t)ps->problem_mark.line + 1;
    col = (uint32_t)ps->problem_mark.column + 1;
    if (ps->context)
        return fb_fail(y->b, line, col, "%s (%s at line %zu, column %zu)", problem, ps->context,
                       ps->context_mark.line + 1, ps->context_mark.column + 1);
    return fb_fail(y->b, line, col, "%s", problem);
}

int yaml_facts_parse(fbuild *b, const char *buf, size_t len)
{
    yaml_st y = {0};
    y.b = b;
    y.buf = buf;
    y.len = len;
    y.limit = fb_alias_limit(b);
    const char *dp = localeconv()->decimal_point;
    y.decimal_point = (char)(dp && dp[0] ? dp[0] : '.');
    yaml_parser_t ps;
    if (!yaml_parser_initialize(&ps))
        return fb_fail(b, 0, 0, "out of memory while parsing YAML");
    yaml_parser_set_input_string(&ps, (const unsigned char *)buf, len);
    int rc = 0, done = 0, docs = 0;
    while (!rc && !done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&ps, &ev)) {
            rc = yaml_parse_error(&y, &ps);
            break;
        }
        uint32_t line = (uint32_t)ev.start_mark.line + 1, col = (uint32_t)ev.start_mark.column + 1;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT: done = 1; break;
        case YAML_DOCUMENT_START_EVENT:
            if (docs++)
                rc = fb_fail(b, line, col, "a second document in one file (one document per file)");
            break;
        case YAML_SCALAR_EVENT: rc = yaml_on_scalar(&y, &ev, line, col); break;
        case YAML_ALIAS_EVENT: rc = yaml_on_alias(&y, &ev, line, col); break;
        case YAML_SEQUENCE_START_EVENT: rc = yaml_on_start(&y, &ev, 0, line, col); break;
        case YAML_MAPPING_START_EVENT: rc = yaml_on_start(&y, &ev, 1, line, col); break;
        case YAML_SEQUENCE_END_EVENT: rc = yaml_on_end(&y, 0); break;
        case YAML_MAPPING_END_EVENT: rc = yaml_on_end(&y, 1); break;
        default: break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&ps);
    for (size_t i = 0; i < y.nlv; i++)
        aip_free(y.lv[i].anchor);
    aip_free(y.lv);
    for (size_t i = 0; i < y.nan; i++) {
        aip_free(y.an[i].name);
        aip_free(y.an[i].text);
        aip_free(y.an[i].tag);
    }
    aip_free(y.an);
    aip_free(y.tab);
    return rc ? -1 : 0;
}
