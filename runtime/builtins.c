/* runtime/builtins.c - the native functions policies call (see builtins.h),
 * and the calendar helpers the VM and params share.
 *
 * Every builtin follows one contract: an undefined argument gives back that
 * argument (so missing evidence still names the missing path); an argument of
 * the wrong kind gives undefined with a reason ("lower() expects a string,
 * got int"); a defined result carries the first argument's origin. Only a
 * runtime error - a regular expression that does not compile, a match budget
 * exceeded, the evaluation arena exhausted - returns -1 with env->err filled.
 *
 * Not here: `exists`, `all`, `any`, `none` and `count` (the compiler turns
 * them into instructions), and any I/O or clock: `now()` and `days_since()`
 * read env->today, which the caller fixes for the whole evaluation.
 *
 * Strings are bytes holding UTF-8. `len` counts code points; `lower`/`upper`
 * change ASCII letters only (A-Z, a-z), so a result never changes length and
 * never depends on a locale. `matches` uses PCRE2 in UTF mode, unanchored
 * (write ^...$ to anchor), with match, depth and heap limits; compiled
 * patterns are cached per builtin_env in env->regex_cache. `find_all` keeps
 * an index per (fact list, path) in env->index_cache, so a lookup inside a
 * loop over the same list costs the size of its result, not of the list.
 */
#include "runtime/builtins.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Budgets of one `matches` call: a hostile pattern or subject hits one of
 * these and the control's verdict becomes `error`. */
enum {
    REGEX_MATCH_LIMIT = 100000,     /* backtracking steps (pcre2_set_match_limit) */
    REGEX_DEPTH_LIMIT = 50000,      /* nested backtracking depth (pcre2_set_depth_limit) */
    REGEX_HEAP_LIMIT_KIB = 16384,   /* heap for backtracking frames (pcre2_set_heap_limit) */
    REGEX_MAX_PATTERN = 65536,      /* bytes in one pattern */
    REGEX_CACHE_MAX = 1024          /* compiled patterns kept per env; more are compiled per call */
};

/* ---- argument helpers ------------------------------------------------------- */

/* If an argument is undefined, copy the first such one to *out (keeping its
 * undef_info and origin) and return 1; else return 0. */
static int propagate_undef(const val *args, int argc, val *out)
{
    for (int i = 0; i < argc; i++)
        if (val_is_undef(args[i])) {
            *out = args[i];
            return 1;
        }
    return 0;
}

/* Origin a result should carry: the first argument's, or NULL. */
static const fnode *first_origin(const val *args, int argc)
{
    return argc > 0 ? args[0].origin : NULL;
}

/* *out = undefined with the reason "NAME() expects WANT[ as argument N], got
 * KIND", located at the offending argument (else the first one). Returns 0. */
static int wrong_kind(builtin_env *env, const char *name, const val *args, int argc,
                      int i, const char *want, val *out)
{
    const fnode *at = args[i].origin ? args[i].origin : first_origin(args, argc);
    const char *got = val_kind_name((val_kind)args[i].kind);
    if (argc == 1)
        *out = val_undef_reason(env->mem, at, "%s() expects %s, got %s", name, want, got);
    else
        *out = val_undef_reason(env->mem, at, "%s() expects %s as argument %d, got %s",
                                name, want, i + 1, got);
    return 0;
}

/* Fill env->err with "out of evaluation memory" and return -1. (env->err
 * never names the builtin: the VM reports "NAME(): <env->err>".) */
static int out_of_memory(builtin_env *env)
{
    snprintf(env->err, sizeof env->err, "out of evaluation memory");
    return -1;
}

/* s[0..n) as a double-quoted string for a message into buf: quotes and
 * backslashes escaped, control bytes as \xNN, cut after max bytes with "...".
 * Returns buf. */
static char *quote(char *buf, size_t size, const char *s, size_t n, size_t max)
{
    size_t o = 0, i = 0;
    buf[o++] = '"';
    /* room kept at the end: one escape (4), "..." (3), '"' and NUL */
    for (; i < n && o + 9 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (i >= max && (c & 0xC0) != 0x80)     /* cut on a code point boundary */
            break;
        if (c == '"' || c == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    if (i < n) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

/* A string value v with its origin set to o. */
static val str_from(const char *s, uint32_t n, const fnode *o)
{
    val v = val_str(s, n);
    v.origin = o;
    return v;
}

/* ---- strings ------------------------------------------------------------------ */

/* len(x): code points of a string (bytes that do not continue a UTF-8
 * sequence), entries of a list or map. Never fails. */
static int bi_len(builtin_env *env, const val *args, int argc, val *out)
{
    if (propagate_undef(args, argc, out))
        return 0;
    val x = args[0];
    int64_t n;
    if (x.kind == VAL_STR) {
        n = 0;
        for (uint32_t i = 0; i < x.n; i++)
            n += ((unsigned char)x.u.s[i] & 0xC0) != 0x80;
    } else if (x.kind == VAL_LIST || x.kind == VAL_MAP) {
        n = x.u.node->n;
    } else {
        return wrong_kind(env, "len", args, argc, 0, "a string, list or map", out);
    }
    *out = val_int(n);
    out->origin = x.origin;
    return 0;
}

/* lower/upper: a copy of the string with ASCII letters case-mapped. */
static int map_case(builtin_env *env, const char *name, int up, const val *args, int argc,
                    val *out)
{
    if (propagate_undef(args, argc, out))
        return 0;
    if (args[0].kind != VAL_STR)
        return wrong_kind(env, name, args, argc, 0, "a string", out);
    char *s = arena_strndup(env->mem, args[0].u.s, args[0].n);
    if (!s)
        return out_of_memory(env);
    for (uint32_t i = 0; i < args[0].n; i++) {
        if (up && s[i] >= 'a' && s[i] <= 'z')
            s[i] = (char)(s[i] - 'a' + 'A');
        else if (!up && s[i] >= 'A' && s[i] <= 'Z')
            s[i] = (char)(s[i] - 'A' + 'a');
    }
    *out = str_from(s, args[0].n, args[0].origin);
    return 0;
}

/* lower(s): s with A-Z mapped to a-z; -1 only when out of memory. */
static int bi_lower(builtin_env *env, const val *args, int argc, val *out)
{
    return map_case(env, "lower", 0, args, argc, out);
}

/* upper(s): s with a-z mapped to A-Z; -1 only when out of memory. */
static int bi_upper(builtin_env *env, const val *args, int argc, val *out)
{
    return map_case(env, "upper", 1, args, argc, out);
}

/* Check that args[0..argc) are all strings; on the first that is not, set
 * *out to the wrong-kind undefined and return 0; return 1 when all are. */
static int all_strings(builtin_env *env, const char *name, const val *args, int argc, val *out)
{
    for (int i = 0; i < argc; i++)
        if (args[i].kind != VAL_STR) {
            wrong_kind(env, name, args, argc, i, "a string", out);
            return 0;
        }
    return 1;
}

/* Offset of needle in hay, or -1. Bytes, not code points: UTF-8 makes a byte
 * match of valid strings a code-point match. */
static int64_t find_bytes(const char *hay, size_t hn, const char *needle, size_t nn)
{
    if (nn == 0)
        return 0;
    for (size_t i = 0; i + nn <= hn; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, nn) == 0)
            return (int64_t)i;
    return -1;
}

/* starts_with(s, p): whether s begins with the bytes of p. Never fails. */
static int bi_starts_with(builtin_env *env, const val *args, int argc, val *out)
{
    if (propagate_undef(args, argc, out) || !all_strings(env, "starts_with", args, argc, out))
        return 0;
    int r = args[1].n <= args[0].n && memcmp(args[0].u.s, args[1].u.s, args[1].n) == 0;
    *out = val_bool(r);
    out->origin = args[0].origin;
    return 0;
}

/* ends_with(s, p): whether s ends with the bytes of p. Never fails. */
static int bi_ends_with(builtin_env *env, const val *args, int argc, val *out)
{
    if (propagate_undef(args, argc, out) || !all_strings(env, "ends_with", args, argc, out))
        return 0;
    int r = args[1].n <= args[0].n &&
            memcmp(args[0].u.s + args[0].n - args[1].n, args[1].u.s, args[1].n) == 0;
    *out = val_bool(r);
    out->origin = args[0].origin;
    return 0;
}

/* contains(s, sub): substring test; contains(list, x): some element == x. */
static int bi_contains(builtin_env *env, const val *args, int argc, val *out)
{
    if (propagate_undef(args, argc, out))
        return 0;
    int r = 0;
    if (args[0].kind == VAL_STR) {
        if (args[1].kind != VAL_STR)
            return wrong_kind(env, "contains", args, argc, 1, "a string", out);
        r = find_bytes(args[0].u.s, args[0].n, args[1].u.s, args[1].n) >= 0;
    } else if (args[0].kind == VAL_LIST) {
        const fnode *l = args[0].u.node;
        for (uint32_t i = 0; i < l->n && !r; i++)
            r = val_equal(val_from_node(l->u.items[i]), args[1]) == 1;
    } else {
        return wrong_kind(env, "contains", args, argc, 0, "a string or list", out);
    }
    *out = val_bool(r);
    out->origin = args[0].origin;
    return 0;
}

/* ---- regular expressions -------------------------------------------------------- */

typedef struct regex_entry {
    char *pat;              /* pattern bytes (funnel), NUL-terminated */
    size_t len;
    uint64_t hash;
    pcre2_code *code;       /* NULL: empty slot */
} regex_entry;

/* What env->regex_cache points to. */
typedef struct regex_cache {
    pcre2_general_context *gctx;   /* routes PCRE2's memory through the funnel */
    pcre2_compile_context *cctx;   /* pattern length limit */
    pcre2_match_context *mctx;     /* match, depth and heap limits */
    pcre2_match_data *md;          /* one ovector pair: we only ask "does it match" */
    regex_entry *slots;            /* open addressing, cap a power of two */
    size_t cap, count;
} regex_cache;

/* PCRE2's allocator: the funnel (which exits on exhaustion, never NULL). */
static void *pcre_malloc(PCRE2_SIZE n, void *data)
{
    (void)data;
    return aip_xmalloc(n);
}

static void pcre_free(void *p, void *data)
{
    (void)data;
    aip_free(p);
}

/* FNV-1a hash of s[0..n), for the pattern cache. */
static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211u;
    }
    return h;
}

/* The env's cache, created on first use; NULL if PCRE2 could not set up. */
static regex_cache *cache_of(builtin_env *env)
{
    regex_cache *c = env->regex_cache;
    if (c)
        return c->cctx && c->mctx && c->md ? c : NULL;
    c = aip_xcalloc(1, sizeof *c);
    c->gctx = pcre2_general_context_create(pcre_malloc, pcre_free, NULL);
    c->cctx = c->gctx ? pcre2_compile_context_create(c->gctx) : NULL;
    c->mctx = c->gctx ? pcre2_match_context_create(c->gctx) : NULL;
    c->md = c->gctx ? pcre2_match_data_create(1, c->gctx) : NULL;
    env->regex_cache = c;
    if (!c->cctx || !c->mctx || !c->md)
        return NULL;
    pcre2_set_max_pattern_length(c->cctx, REGEX_MAX_PATTERN);
    pcre2_set_match_limit(c->mctx, REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(c->mctx, REGEX_DEPTH_LIMIT);
    pcre2_set_heap_limit(c->mctx, REGEX_HEAP_LIMIT_KIB);
    return c;
}

/* Slot for pattern p (its own, or the empty one where it would go). */
static regex_entry *cache_slot(regex_cache *c, const char *p, size_t n, uint64_t h)
{
    size_t mask = c->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        regex_entry *e = &c->slots[i];
        if (!e->code || (e->hash == h && e->len == n && memcmp(e->pat, p, n) == 0))
            return e;
    }
}

/* Keep code for pattern p; returns 0, or -1 when the cache is full (the
 * caller then frees code after use). */
static int cache_put(regex_cache *c, const char *p, size_t n, uint64_t h, pcre2_code *code)
{
    if (c->count >= REGEX_CACHE_MAX)
        return -1;
    if ((c->count + 1) * 2 > c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 16;
        regex_entry *old = c->slots;
        size_t ocap = c->cap;
        c->slots = aip_xcalloc(ncap, sizeof *c->slots);
        c->cap = ncap;
        for (size_t i = 0; i < ocap; i++)
            if (old[i].code)
                *cache_slot(c, old[i].pat, old[i].len, old[i].hash) = old[i];
        aip_free(old);
    }
    regex_entry *e = cache_slot(c, p, n, h);
    e->pat = aip_xmalloc(n + 1);
    memcpy(e->pat, p, n);
    e->pat[n] = '\0';
    e->len = n;
    e->hash = h;
    e->code = code;
    c->count++;
    return 0;
}

/* Free every compiled pattern and PCRE2 context of env; env->regex_cache
 * becomes NULL (calling it again, or on an unused env, does nothing). */
static void index_cache_release(builtin_env *env);

void builtin_env_release(builtin_env *env)
{
    index_cache_release(env);
    regex_cache *c = env->regex_cache;
    if (!c)
        return;
    for (size_t i = 0; i < c->cap; i++)
        if (c->slots[i].code) {
            pcre2_code_free(c->slots[i].code);
            aip_free(c->slots[i].pat);
        }
    aip_free(c->slots);
    pcre2_match_data_free(c->md);
    pcre2_match_context_free(c->mctx);
    pcre2_compile_context_free(c->cctx);
    pcre2_general_context_free(c->gctx);
    aip_free(c);
    env->regex_cache = NULL;
}

/* matches(s, re): true when the PCRE2 pattern re matches somewhere in s.
 * Returns -1 with env->err for a pattern that does not compile or a match
 * that exceeds a budget (the control's verdict is then `error`). */
static int bi_matches(builtin_env *env, const val *args, int argc, val *out)
{
    if (propagate_undef(args, argc, out) || !all_strings(env, "matches", args, argc, out))
        return 0;
    const char *pat = args[1].u.s;
    size_t plen = args[1].n;
    char qp[128];
    regex_cache *c = cache_of(env);
    if (!c)
        return out_of_memory(env);

    uint64_t h = hash_bytes(pat, plen);
    pcre2_code *code = NULL;
    int cached = 0;
    if (c->cap) {
        regex_entry *e = cache_slot(c, pat, plen, h);
        if (e->code) {
            code = e->code;
            cached = 1;
        }
    }
    if (!code) {
        int errcode;
        PCRE2_SIZE erroff;
        code = pcre2_compile((PCRE2_SPTR)pat, plen,
                             PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C,
                             &errcode, &erroff, c->cctx);
        if (!code) {
            PCRE2_UCHAR msg[256];
            if (pcre2_get_error_message(errcode, msg, sizeof msg) < 0)
                snprintf((char *)msg, sizeof msg, "error %d", errcode);
            snprintf(env->err, sizeof env->err,
                     "invalid regular expression %s at offset %zu: %s",
                     quote(qp, sizeof qp, pat, plen, 80), (size_t)erroff, (const char *)msg);
            return -1;
        }
        cached = cache_put(c, pat, plen, h, code) == 0;
    }

    int rc = pcre2_match(code, (PCRE2_SPTR)args[0].u.s, args[0].n, 0, 0, c->md, c->mctx);
    if (!cached)
        pcre2_code_free(code);
    if (rc >= 0 || rc == PCRE2_ERROR_NOMATCH) {
        *out = val_bool(rc >= 0);
        out->origin = args[0].origin;
        return 0;
    }
    quote(qp, sizeof qp, pat, plen, 80);
    switch (rc) {
    case PCRE2_ERROR_MATCHLIMIT:
        snprintf(env->err, sizeof env->err,
                 "pattern %s exceeded the match limit (%d backtracking steps); "
                 "simplify the pattern (nested quantifiers such as (a+)+ backtrack exponentially)",
                 qp, REGEX_MATCH_LIMIT);
        break;
    case PCRE2_ERROR_DEPTHLIMIT:
        snprintf(env->err, sizeof env->err,
                 "pattern %s exceeded the depth limit (%d nested backtracking points)",
                 qp, REGEX_DEPTH_LIMIT);
        break;
    case PCRE2_ERROR_HEAPLIMIT:
        snprintf(env->err, sizeof env->err,
                 "pattern %s exceeded the heap limit (%d KiB of backtracking memory)",
                 qp, REGEX_HEAP_LIMIT_KIB);
        break;
    default: {
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(rc, msg, sizeof msg) < 0)
            snprintf((char *)msg, sizeof msg, "error %d", rc);
        snprintf(env->err, sizeof env->err, "pattern %s: %s", qp, (const char *)msg);
    }
    }
    return -1;
}

/* ---- dates ---------------------------------------------------------------------- */

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d
 * (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The date of day z since 1970-01-01 (inverse of days_from_civil). */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* 1 if y is a Gregorian leap year. */
static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* n decimal digits at s as a number, or -1 if any is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* s[0..len) as YYYY-MM-DD (years 0001-9999, real calendar dates) or as an
 * RFC 3339 date-time, whose UTC calendar date is taken; 0 with *days set, or
 * -1 (*days untouched) for anything else. Reads no byte past len. */
int date_parse_days(const char *s, size_t len, int64_t *days)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (len < 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return -1;
    if (d > mdays[m - 1] + (m == 2 && is_leap(y)))
        return -1;
    int64_t day = days_from_civil(y, m, d);
    if (len == 10) {
        *days = day;
        return 0;
    }
    /* RFC 3339 date-time: THH:MM:SS[.frac](Z|+HH:MM|-HH:MM) */
    if (len < 20 || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
        return -1;
    int hh = digits(s + 11, 2), mi = digits(s + 14, 2), ss = digits(s + 17, 2);
    if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 60)
        return -1;
    size_t p = 19;
    if (p < len && s[p] == '.') {
        size_t start = ++p;
        while (p < len && s[p] >= '0' && s[p] <= '9')
            p++;
        if (p == start)
            return -1;
    }
    int64_t off = 0;
    if (p + 1 == len && (s[p] == 'Z' || s[p] == 'z')) {
        off = 0;
    } else if (p + 6 == len && (s[p] == '+' || s[p] == '-') && s[p + 3] == ':') {
        int oh = digits(s + p + 1, 2), om = digits(s + p + 4, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59)
            return -1;
        off = (s[p] == '-' ? -1 : 1) * (int64_t)(oh * 3600 + om * 60);
    } else {
        return -1;
    }
    /* a leap second (:60) belongs to the minute it ends */
    int64_t t = day * 86400 + (int64_t)hh * 3600 + (int64_t)mi * 60 + (ss > 59 ? 59 : ss) - off;
    *days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    return 0;
}

/* days as "YYYY-MM-DD" in buf (11 bytes); days outside 0001-01-01 ..
 * 9999-12-31 are clamped to that range. Never fails. */
void date_format_days(int64_t days, char *buf)
{
    int64_t lo = days_from_civil(1, 1, 1), hi = days_from_civil(9999, 12, 31);
    int64_t y;
    int m, d;
    civil_from_days(days < lo ? lo : days > hi ? hi : days, &y, &m, &d);
    int f[3] = {(int)y, m, d}, w[3] = {4, 2, 2};
    char *o = buf;
    for (int k = 0; k < 3; k++) {
        for (int i = w[k] - 1, v = f[k]; i >= 0; i--, v /= 10)
            o[i] = (char)('0' + v % 10);
        o += w[k];
        *o++ = k < 2 ? '-' : '\0';
    }
}

/* Parse args[0] (a string) as a date into *days; on failure set *out to the
 * undefined "... is not a date" and return 0; return 1 on success. */
static int date_arg(builtin_env *env, const char *name, const val *args, int argc,
                    int64_t *days, val *out)
{
    if (args[0].kind != VAL_STR) {
        wrong_kind(env, name, args, argc, 0, "a date string", out);
        return 0;
    }
    if (date_parse_days(args[0].u.s, args[0].n, days) == 0)
        return 1;
    char q[128];
    quote(q, sizeof q, args[0].u.s, args[0].n, 64);
    if (args[0].n > 10 && (args[0].u.s[10] == 'T' || args[0].u.s[10] == 't'))
        *out = val_undef_reason(env->mem, args[0].origin,
                                "%s is not a timestamp (RFC 3339, YYYY-MM-DDTHH:MM:SSZ)", q);
    else
        *out = val_undef_reason(env->mem, args[0].origin, "%s is not a date (YYYY-MM-DD)", q);
    return 0;
}

/* days_since(d): whole days from date d to the evaluation date (negative
 * for a date in the future). */
static int bi_days_since(builtin_env *env, const val *args, int argc, val *out)
{
    int64_t days;
    if (propagate_undef(args, argc, out) || !date_arg(env, "days_since", args, argc, &days, out))
        return 0;
    *out = val_int(env->today - days);
    out->origin = args[0].origin;
    return 0;
}

/* date(s): the date as days since 1970-01-01. */
static int bi_date(builtin_env *env, const val *args, int argc, val *out)
{
    int64_t days;
    if (propagate_undef(args, argc, out) || !date_arg(env, "date", args, argc, &days, out))
        return 0;
    *out = val_int(days);
    out->origin = args[0].origin;
    return 0;
}

/* now(): the evaluation date as days since 1970-01-01. */
static int bi_now(builtin_env *env, const val *args, int argc, val *out)
{
    (void)args;
    (void)argc;
    *out = val_int(env->today);
    return 0;
}

/* ---- semantic versions ----------------------------------------------------------- */

typedef struct semver {
    const char *num[3];     /* major, minor, patch digits (no leading zeros) */
    size_t num_len[3];
    const char *pre;        /* pre-release identifiers "alpha.1", or NULL */
    size_t pre_len;
} semver;

/* 1 if c may appear in a SemVer identifier ([0-9A-Za-z-]). */
static int is_ident_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* 1 if s[0..n) is all ASCII digits (also for n == 0). */
static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Dot-separated identifiers at s[*p..n) up to a '+' or the end; numeric ones
 * must have no leading zero when numeric_strict. Returns 0 or -1. */
static int scan_idents(const char *s, size_t n, size_t *p, int numeric_strict)
{
    for (;;) {
        size_t start = *p;
        while (*p < n && is_ident_char(s[*p]))
            (*p)++;
        size_t len = *p - start;
        if (len == 0)
            return -1;
        if (numeric_strict && len > 1 && s[start] == '0' && all_digits(s + start, len))
            return -1;
        if (*p < n && s[*p] == '.') {
            (*p)++;
            continue;
        }
        return 0;
    }
}

/* Parse a Semantic Versioning 2.0.0 string (a leading 'v' allowed); 0 or -1. */
static int semver_parse(const char *s, size_t n, semver *v)
{
    size_t p = 0;
    if (n > 0 && s[0] == 'v')
        p = 1;
    for (int k = 0; k < 3; k++) {
        size_t start = p;
        while (p < n && s[p] >= '0' && s[p] <= '9')
            p++;
        if (p == start || (p - start > 1 && s[start] == '0'))
            return -1;
        v->num[k] = s + start;
        v->num_len[k] = p - start;
        if (k < 2) {
            if (p >= n || s[p] != '.')
                return -1;
            p++;
        }
    }
    v->pre = NULL;
    v->pre_len = 0;
    if (p < n && s[p] == '-') {
        size_t start = ++p;
        if (scan_idents(s, n, &p, 1) < 0)
            return -1;
        v->pre = s + start;
        v->pre_len = p - start;
    }
    if (p < n && s[p] == '+') {
        p++;
        if (scan_idents(s, n, &p, 0) < 0)
            return -1;
    }
    return p == n ? 0 : -1;
}

/* Order of two digit strings without leading zeros, of any length. */
static int cmp_numeric(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn)
        return an < bn ? -1 : 1;
    int r = memcmp(a, b, an);
    return r < 0 ? -1 : r > 0;
}

/* Precedence of a and b per SemVer 2.0.0 section 11: -1/0/1. */
static int semver_order(const semver *a, const semver *b)
{
    for (int k = 0; k < 3; k++) {
        int r = cmp_numeric(a->num[k], a->num_len[k], b->num[k], b->num_len[k]);
        if (r)
            return r;
    }
    if (!a->pre || !b->pre)
        return a->pre ? -1 : b->pre ? 1 : 0;   /* a pre-release sorts first */
    size_t i = 0, j = 0;
    while (i < a->pre_len && j < b->pre_len) {
        size_t ie = i, je = j;
        while (ie < a->pre_len && a->pre[ie] != '.')
            ie++;
        while (je < b->pre_len && b->pre[je] != '.')
            je++;
        const char *x = a->pre + i, *y = b->pre + j;
        size_t xn = ie - i, yn = je - j;
        int xnum = all_digits(x, xn), ynum = all_digits(y, yn);
        int r;
        if (xnum && ynum) {
            r = cmp_numeric(x, xn, y, yn);
        } else if (xnum != ynum) {
            r = xnum ? -1 : 1;                 /* numeric identifiers sort first */
        } else {
            size_t m = xn < yn ? xn : yn;
            r = memcmp(x, y, m);
            r = r < 0 ? -1 : r > 0 ? 1 : xn < yn ? -1 : xn > yn;
        }
        if (r)
            return r;
        i = ie + (ie < a->pre_len);
        j = je + (je < b->pre_len);
    }
    /* more identifiers sort later */
    return i < a->pre_len ? 1 : j < b->pre_len ? -1 : 0;
}

/* semver_cmp(a, b): -1, 0 or 1 by SemVer 2.0.0 precedence. */
static int bi_semver_cmp(builtin_env *env, const val *args, int argc, val *out)
{
    if (propagate_undef(args, argc, out) || !all_strings(env, "semver_cmp", args, argc, out))
        return 0;
    semver v[2];
    for (int i = 0; i < 2; i++)
        if (semver_parse(args[i].u.s, args[i].n, &v[i]) < 0) {
            char q[128];
            const fnode *at = args[i].origin ? args[i].origin : first_origin(args, argc);
            *out = val_undef_reason(env->mem, at,
                                    "%s is not a semantic version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD])",
                                    quote(q, sizeof q, args[i].u.s, args[i].n, 64));
            return 0;
        }
    *out = val_int(semver_order(&v[0], &v[1]));
    out->origin = args[0].origin;
    return 0;
}

/* ---- maps ---------------------------------------------------------------------- */

/* keys(m): a new list of m's keys (strings), in sorted key order. Each key
 * is located where its value is and has the map as its parent, so a finding
 * about a key (an unknown key in a manifest) names its path and line. -1 when
 * the evaluation arena is exhausted. */
static int bi_keys(builtin_env *env, const val *args, int argc, val *out)
{
    if (propagate_undef(args, argc, out))
        return 0;
    if (args[0].kind != VAL_MAP)
        return wrong_kind(env, "keys", args, argc, 0, "a map", out);
    const fnode *m = args[0].u.node;
    fnode *list = fnode_new(env->mem, FN_LIST);
    fnode **items = m->n ? arena_alloc(env->mem, m->n * sizeof *items) : NULL;
    if (!list || (m->n && !items))
        return out_of_memory(env);
    for (uint32_t i = 0; i < m->n; i++) {
        fnode *k = fnode_new(env->mem, FN_STR);
        if (!k)
            return out_of_memory(env);
        const fnode *v = m->u.entries[i].val;
        k->u.s = m->u.entries[i].key;
        k->n = m->u.entries[i].key_len;
        k->index = i;
        k->parent = m;
        k->file = v->file;
        k->line = v->line;
        k->col = v->col;
        items[i] = k;
    }
    list->n = m->n;
    list->u.items = items;
    *out = val_from_node(list);
    out->origin = args[0].origin;
    return 0;
}

/* values(m): a new list of m's values in key order; the elements are the
 * map's own fact nodes, so they keep their paths and locations. -1 when the
 * evaluation arena is exhausted. (The new list has no id index.) */
static int bi_values(builtin_env *env, const val *args, int argc, val *out)
{
    if (propagate_undef(args, argc, out))
        return 0;
    if (args[0].kind != VAL_MAP)
        return wrong_kind(env, "values", args, argc, 0, "a map", out);
    const fnode *m = args[0].u.node;
    fnode *list = fnode_new(env->mem, FN_LIST);
    fnode **items = m->n ? arena_alloc(env->mem, m->n * sizeof *items) : NULL;
    if (!list || (m->n && !items))
        return out_of_memory(env);
    for (uint32_t i = 0; i < m->n; i++)
        items[i] = m->u.entries[i].val;
    list->n = m->n;
    list->u.items = items;
    *out = val_from_node(list);
    out->origin = args[0].origin;
    return 0;
}

/* ---- find_all: an index of a list by a field path -------------------------------- */

enum {
    FIND_MAX_SEGS = 16,      /* keys in a find_all path, over all its alternatives */
    FIND_CACHE_MAX = 64      /* indexes kept per env; more are built per call */
};

/* One group of an index: the elements whose field has this string value. */
typedef struct find_group {
    const char *key;         /* NULL: empty slot */
    uint32_t len, hash;
    uint32_t first, count;   /* their positions: pos[first .. first + count) */
} find_group;

/* The index of one list by one path. */
typedef struct find_index {
    const fnode *list;
    char *path;              /* funnel, NUL-terminated */
    size_t path_len;
    find_group *slots;       /* open addressing, cap a power of two */
    uint32_t cap;
    uint32_t *pos;           /* element positions, grouped, in list order within a group */
} find_index;

/* What env->index_cache points to. */
typedef struct find_cache {
    find_index *v[FIND_CACHE_MAX];
    size_t n;
} find_cache;

/* A (value, element) pair met while building an index. */
typedef struct find_pair {
    const char *key;
    uint32_t len, item;
} find_pair;

typedef struct find_pairs {
    find_pair *v;
    size_t n, cap;
} find_pairs;

/* The keys of the paths "a.b.c|d.e": pointers into path and lengths, the
 * alternatives one after another (nseg[i] keys each). Returns the number of
 * alternatives, or -1 when a key is empty or a limit is passed. */
static int find_split(const char *path, size_t n, const char **seg, size_t *seg_len, int *nseg)
{
    int alt = 0, k = 0, total = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && path[i] != '.' && path[i] != '|')
            continue;
        if (i == start || total == FIND_MAX_SEGS)
            return -1;
        seg[total] = path + start;
        seg_len[total++] = i - start;
        k++;
        start = i + 1;
        if (i == n || path[i] == '|') {
            nseg[alt++] = k;
            k = 0;
        }
    }
    return alt;
}

/* Add the strings found at seg[k..nseg) below node n to ps, for element
 * item. A list met on the way (or at the end) stands for each of its
 * elements, one level deep; nothing else matches. Recursion depth is at most
 * 2 * nseg + 1 (bounded by FIND_MAX_SEGS). */
static void find_collect(find_pairs *ps, const fnode *n, const char *const *seg,
                         const size_t *seg_len, int k, int nseg, uint32_t item, int in_list)
{
    if (!n)
        return;
    if (n->kind == FN_LIST && !in_list) {
        for (uint32_t i = 0; i < n->n; i++)
            find_collect(ps, n->u.items[i], seg, seg_len, k, nseg, item, 1);
        return;
    }
    if (k == nseg) {
        if (n->kind != FN_STR)
            return;
        for (size_t j = ps->n; j > 0 && ps->v[j - 1].item == item; j--)
            if (ps->v[j - 1].len == n->n && memcmp(ps->v[j - 1].key, n->u.s, n->n) == 0)
                return;   /* this element is in that group already */
        AIP_GROW(ps->v, ps->n, ps->cap);
        ps->v[ps->n++] = (find_pair){n->u.s, n->n, item};
        return;
    }
    if (n->kind == FN_MAP)
        find_collect(ps, fnode_get(n, seg[k], seg_len[k]), seg, seg_len, k + 1, nseg, item, 0);
}

/* The slot of key in x (its group, or the empty slot where it would go). */
static find_group *find_slot(const find_index *x, const char *key, uint32_t len, uint32_t h)
{
    for (uint32_t i = h & (x->cap - 1);; i = (i + 1) & (x->cap - 1)) {
        find_group *g = &x->slots[i];
        if (!g->key || (g->hash == h && g->len == len && memcmp(g->key, key, len) == 0))
            return g;
    }
}

static void find_index_free(find_index *x)
{
    if (!x)
        return;
    aip_free(x->path);
    aip_free(x->slots);
    aip_free(x->pos);
    aip_free(x);
}

/* Index list by the alternatives of its path (find_split; written path). */
static find_index *find_index_build(const fnode *list, const char *path, size_t path_len,
                                    const char *const *seg, const size_t *seg_len,
                                    const int *nseg, int nalt)
{
    find_pairs ps = {0};
    for (uint32_t i = 0; i < list->n; i++)
        for (int a = 0, first = 0; a < nalt; first += nseg[a++])
            find_collect(&ps, list->u.items[i], seg + first, seg_len + first, 0, nseg[a], i, 1);
    find_index *x = aip_xcalloc(1, sizeof *x);
    x->list = list;
    x->path = aip_xmalloc(path_len + 1);
    memcpy(x->path, path, path_len);
    x->path[path_len] = '\0';
    x->path_len = path_len;
    x->cap = 16;
    while (x->cap < ps.n * 2)
        x->cap *= 2;
    x->slots = aip_xcalloc(x->cap, sizeof *x->slots);
    x->pos = aip_xmalloc((ps.n ? ps.n : 1) * sizeof *x->pos);
    for (size_t i = 0; i < ps.n; i++) {   /* count each group */
        uint32_t h = fnode_key_hash(ps.v[i].key, ps.v[i].len);
        find_group *g = find_slot(x, ps.v[i].key, ps.v[i].len, h);
        if (!g->key)
            *g = (find_group){ps.v[i].key, ps.v[i].len, h, 0, 0};
        g->count++;
    }
    uint32_t at = 0;
    for (uint32_t i = 0; i < x->cap; i++) {   /* place the groups */
        if (!x->slots[i].key)
            continue;
        x->slots[i].first = at;
        at += x->slots[i].count;
        x->slots[i].count = 0;
    }
    for (size_t i = 0; i < ps.n; i++) {   /* fill them, in list order */
        find_group *g = find_slot(x, ps.v[i].key, ps.v[i].len,
                                  fnode_key_hash(ps.v[i].key, ps.v[i].len));
        x->pos[g->first + g->count++] = ps.v[i].item;
    }
    aip_free(ps.v);
    return x;
}

/* find_all(xs, path, v): a new list of the elements of xs whose field at path
 * (dot-separated keys; a list on the way stands for each of its elements;
 * alternatives separated by '|', "credentials|tools.credential") is the
 * string v, in xs's order, each element once. The elements are the list's
 * own nodes, so they keep their paths. An element where the path is missing
 * or not a string is in no result. The index of a fact list is built on the first
 * call and kept for the evaluation; a list the policy built is indexed per
 * call. -1 when the evaluation arena is exhausted. */
static int bi_find_all(builtin_env *env, const val *args, int argc, val *out)
{
    if (propagate_undef(args, argc, out))
        return 0;
    if (args[0].kind != VAL_LIST)
        return wrong_kind(env, "find_all", args, argc, 0, "a list", out);
    if (args[1].kind != VAL_STR)
        return wrong_kind(env, "find_all", args, argc, 1, "a string (a field path)", out);
    if (args[2].kind != VAL_STR)
        return wrong_kind(env, "find_all", args, argc, 2, "a string", out);
    const fnode *list = args[0].u.node;
    const char *path = args[1].u.s;
    size_t path_len = args[1].n;
    const char *seg[FIND_MAX_SEGS];
    size_t seg_len[FIND_MAX_SEGS];
    int nseg[FIND_MAX_SEGS];
    int nalt = find_split(path, path_len, seg, seg_len, nseg);
    if (nalt < 0) {
        *out = val_undef_reason(env->mem, args[1].origin ? args[1].origin : args[0].origin,
                                "find_all() expects non-empty keys separated by '.' or '|', at most %d, got \"%s\"",
                                FIND_MAX_SEGS, path);
        return 0;
    }
    /* Fact lists do not change during an evaluation: their index is kept. */
    find_cache *c = env->index_cache;
    find_index *x = NULL;
    int keep = list->file != FNODE_NO_FILE;
    for (size_t i = 0; keep && c && i < c->n && !x; i++)
        if (c->v[i]->list == list && c->v[i]->path_len == path_len &&
            memcmp(c->v[i]->path, path, path_len) == 0)
            x = c->v[i];
    int temp = 0;
    if (!x) {
        x = find_index_build(list, path, path_len, seg, seg_len, nseg, nalt);
        if (!c && keep)
            c = env->index_cache = aip_xcalloc(1, sizeof *c);
        if (keep && c->n < FIND_CACHE_MAX)
            c->v[c->n++] = x;
        else
            temp = 1;
    }
    const char *key = args[2].u.s;
    uint32_t len = args[2].n;
    const find_group *g = find_slot(x, key, len, fnode_key_hash(key, len));
    uint32_t count = g->key ? g->count : 0;
    fnode *res = fnode_new(env->mem, FN_LIST);
    fnode **items = count ? arena_alloc(env->mem, count * sizeof *items) : NULL;
    if (!res || (count && !items)) {
        if (temp)
            find_index_free(x);
        return out_of_memory(env);
    }
    for (uint32_t i = 0; i < count; i++)
        items[i] = list->u.items[x->pos[g->first + i]];
    res->n = count;
    res->u.items = items;
    if (temp)
        find_index_free(x);
    *out = val_from_node(res);
    out->origin = args[0].origin;
    return 0;
}

/* Free env's find_all indexes; env->index_cache becomes NULL. */
static void index_cache_release(builtin_env *env)
{
    find_cache *c = env->index_cache;
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        find_index_free(c->v[i]);
    aip_free(c);
    env->index_cache = NULL;
}

/* type(x): the kind of x as a word: "null", "bool", "int", "double",
 * "string", "duration", "list" or "map" (undefined stays undefined). */
static int bi_type(builtin_env *env, const val *args, int argc, val *out)
{
    (void)env;
    if (propagate_undef(args, argc, out))
        return 0;
    const char *name = val_kind_name((val_kind)args[0].kind);
    *out = val_str(name, (uint32_t)strlen(name));
    out->origin = args[0].origin;
    return 0;
}

/* ---- the table ------------------------------------------------------------------- */

const builtin_def aip_builtins[] = {
    {"len", 1, 1, bi_len,
     "len(x): characters (Unicode code points) in a string, or entries in a list or map"},
    {"lower", 1, 1, bi_lower,
     "lower(s): s with ASCII letters A-Z lower-cased (other characters unchanged)"},
    {"upper", 1, 1, bi_upper,
     "upper(s): s with ASCII letters a-z upper-cased (other characters unchanged)"},
    {"starts_with", 2, 2, bi_starts_with, "starts_with(s, prefix): true when s begins with prefix"},
    {"ends_with", 2, 2, bi_ends_with, "ends_with(s, suffix): true when s ends with suffix"},
    {"contains", 2, 2, bi_contains,
     "contains(s, sub): true when string s holds sub; contains(list, x): true when an element equals x"},
    {"matches", 2, 2, bi_matches,
     "matches(s, re): true when the PCRE2 regular expression re matches somewhere in s (anchor with ^...$)"},
    {"days_since", 1, 1, bi_days_since,
     "days_since(d): whole days from date d (YYYY-MM-DD or RFC 3339 timestamp) to the evaluation date"},
    {"date", 1, 1, bi_date, "date(s): date s (YYYY-MM-DD or RFC 3339 timestamp) as days since 1970-01-01"},
    {"now", 0, 0, bi_now, "now(): the evaluation date (--now) as days since 1970-01-01"},
    {"semver_cmp", 2, 2, bi_semver_cmp,
     "semver_cmp(a, b): -1, 0 or 1 as version a is before, equal to or after b (SemVer 2.0.0; leading v allowed)"},
    {"keys", 1, 1, bi_keys, "keys(m): the keys of map m, sorted"},
    {"values", 1, 1, bi_values, "values(m): the values of map m, in key order"},
    {"find_all", 3, 3, bi_find_all,
     "find_all(xs, path, v): the elements of list xs whose field at path (\"a.b\", alternatives \"a|b.c\"; a list on the way stands for each element) is the string v, in order; indexed, not scanned"},
    {"type", 1, 1, bi_type,
     "type(x): the kind of x: \"null\", \"bool\", \"int\", \"double\", \"string\", \"duration\", \"list\" or \"map\""},
    {NULL, 0, 0, NULL, NULL}
};

/* Index of name in aip_builtins, or -1 (also for NULL). */
int builtin_lookup(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; aip_builtins[i].name; i++)
        if (strcmp(aip_builtins[i].name, name) == 0)
            return i;
    return -1;
}
