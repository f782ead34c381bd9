/* runtime/facts_json.c - a strict RFC 8259 JSON parser that feeds the facts
 * builder (fb_*) directly.
 *
 * One pass over the buffer, iterative (the open containers live in the
 * builder's frame stack, so nesting costs no C stack; the builder's max_depth
 * stops a deep input with "nesting deeper than N"). Every value gets the
 * 1-based line and byte column of its first character.
 *
 * Rejected: trailing commas, comments, leading zeros, NaN/Infinity, '+'
 * signs, control characters in strings, invalid UTF-8 anywhere (overlongs,
 * surrogates, > U+10FFFF), lone or misordered surrogate escapes, trailing
 * data after the value, empty input. Accepted and skipped: one leading UTF-8
 * BOM. Numbers: an integer literal that fits int64 is an int; any other
 * number is a double (an overflow to infinity is "number out of range";
 * underflow gives 0 or a subnormal). Duplicate keys are the builder's rule.
 *
 * Not here: JSON output, JSON5 or any extension, other encodings than UTF-8.
 */
#include "runtime/facts.h"
#include "runtime/facts_int.h"
#include "runtime/json_plain.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct json_p {
    fbuild *b;
    const unsigned char *s;    /* input */
    size_t len;                /* input bytes */
    size_t pos;                /* next byte */
    uint32_t line;             /* line of pos, 1-based */
    size_t line_start;         /* offset of the line's first byte */
    char *tmp;                 /* scratch: decoded strings, number text */
    size_t tmp_len, tmp_cap;
    char decimal_point;        /* of the C library's current locale, for strtod */
} json_p;

/* Column (1-based, bytes) of offset off on the current line. */
static uint32_t json_col(const json_p *p, size_t off)
{
    size_t c = off - p->line_start + 1;
    return c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
}

/* Length (2-4) of the valid UTF-8 sequence at s[0..n), or 0 when it is not
 * one (bad lead byte, bad continuation, overlong, surrogate, > U+10FFFF,
 * truncated). */
static size_t json_utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0) {
        need = 2;
    } else if (c < 0xF0) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c < 0xF5) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < need; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return need;
}

/* Fail at offset off (on the current line). Returns -1. */
#define json_fail(p, off, ...) fb_fail((p)->b, (p)->line, json_col((p), (off)), __VA_ARGS__)

/* Fail at p->pos with "expected ...": at the end of the input, on invalid
 * UTF-8, or on a comment the message says so first. Returns -1. */
static int json_expected(json_p *p, const char *what)
{
    if (p->pos >= p->len)
        return json_fail(p, p->pos, "unexpected end of input: %s", what);
    unsigned char c = p->s[p->pos];
    if (c >= 0x80 && !json_utf8_len(p->s + p->pos, p->len - p->pos))
        return json_fail(p, p->pos, "invalid UTF-8 (byte 0x%02X)", c);
    if (c == '/')
        return json_fail(p, p->pos, "comments are not allowed in JSON (%s)", what);
    return json_fail(p, p->pos, "%s", what);
}

/* Skip JSON whitespace (space, tab, LF, CR; CRLF or a lone CR ends a line). */
static void json_ws(json_p *p)
{
    while (p->pos < p->len) {
        unsigned char c = p->s[p->pos];
        if (c == ' ' || c == '\t') {
            p->pos++;
        } else if (c == '\n') {
            p->pos++;
            p->line++;
            p->line_start = p->pos;
        } else if (c == '\r') {
            p->pos++;
            if (p->pos < p->len && p->s[p->pos] == '\n')
                p->pos++;
            p->line++;
            p->line_start = p->pos;
        } else {
            break;
        }
    }
}

/* Append n bytes to the scratch buffer. */
static void json_tmp_add(json_p *p, const void *d, size_t n)
{
    if (n == 0)
        return;
    if (p->tmp_cap - p->tmp_len < n) {
        size_t cap = p->tmp_cap ? p->tmp_cap : 256;
        while (cap - p->tmp_len < n)
            cap *= 2;
        p->tmp = aip_xrealloc(p->tmp, cap);
        p->tmp_cap = cap;
    }
    memcpy(p->tmp + p->tmp_len, d, n);
    p->tmp_len += n;
}

/* Value of the 4 hex digits at s[0..4), or -1. */
static long json_hex4(const unsigned char *s)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = s[i];
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if ((c | 32) >= 'a' && (c | 32) <= 'f')
            d = (c | 32) - 'a' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* The escape at p->pos (a backslash), decoded and appended to tmp; p->pos
 * moves past it. 0, or -1 (b failed). */
static int json_escape(json_p *p)
{
    size_t at = p->pos;
    if (at + 1 >= p->len)
        return json_fail(p, at + 1, "unexpected end of input in string escape");
    unsigned char e = p->s[at + 1], out[4];
    switch (e) {
    case '"': case '\\': case '/': out[0] = e; break;
    case 'b': out[0] = '\b'; break;
    case 'f': out[0] = '\f'; break;
    case 'n': out[0] = '\n'; break;
    case 'r': out[0] = '\r'; break;
    case 't': out[0] = '\t'; break;
    case 'u': {
        long cp = at + 6 <= p->len ? json_hex4(p->s + at + 2) : -1;
        if (cp < 0)
            return json_fail(p, at, "invalid \\u escape: expected 4 hex digits");
        p->pos = at + 6;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return json_fail(p, at, "invalid \\u escape: lone low surrogate \\u%04lX", cp);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo = -1;
            if (p->pos + 6 <= p->len && p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u')
                lo = json_hex4(p->s + p->pos + 2);
            if (lo < 0xDC00 || lo > 0xDFFF)
                return json_fail(p, at,
                                 "invalid \\u escape: high surrogate \\u%04lX not followed by "
                                 "a low surrogate escape",
                                 cp);
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            p->pos += 6;
        }
        size_t n;
        if (cp < 0x80) {
            out[0] = (unsigned char)cp;
            n = 1;
        } else if (cp < 0x800) {
            out[0] = (unsigned char)(0xC0 | (cp >> 6));
            out[1] = (unsigned char)(0x80 | (cp & 0x3F));
            n = 2;
        } else if (cp < 0x10000) {
            out[0] = (unsigned char)(0xE0 | (cp >> 12));
            out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            out[2] = (unsigned char)(0x80 | (cp & 0x3F));
            n = 3;
        } else {
            out[0] = (unsigned char)(0xF0 | (cp >> 18));
            out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
            out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            out[3] = (unsigned char)(0x80 | (cp & 0x3F));
            n = 4;
        }
        json_tmp_add(p, out, n);
        return 0;
    }
    default:
        if (e >= 0x80 && !json_utf8_len(p->s + at + 1, p->len - at - 1))
            return json_fail(p, at + 1, "invalid UTF-8 (byte 0x%02X)", e);
        if (e >= 0x20 && e < 0x7F)
            return json_fail(p, at, "invalid escape '\\%c' in string", e);
        return json_fail(p, at, "invalid escape in string");
    }
    json_tmp_add(p, out, 1);
    p->pos = at + 2;
    return 0;
}

/* Whether byte c ends a run of plain string bytes: '"', '\\', a control
 * character, or a UTF-8 byte (checked one sequence at a time). */
static inline int json_special(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
}

/* The string at p->pos (an opening quote). On success *out and *n are its bytes:
 * in the input when it has no escape, else in p->tmp; p->pos is past the
 * closing quote. 0, or -1 (b failed). */
static int json_string(json_p *p, const char **out, size_t *n)
{
    const unsigned char *s = p->s;
    size_t start = ++p->pos, pos = start, len = p->len;
    int esc = 0;
    for (;;) {
        size_t run = pos;
        while (pos + 8 <= len && json_plain8(s + pos))
            pos += 8;
        while (pos < len && !json_special(s[pos]))
            pos++;
        if (esc)
            json_tmp_add(p, s + run, pos - run);
        if (pos >= len)
            return json_fail(p, pos, "unexpected end of input in string");
        unsigned char c = s[pos];
        if (c == '"')
            break;
        if (c == '\\') {
            if (!esc) {
                esc = 1;
                p->tmp_len = 0;
                json_tmp_add(p, s + start, pos - start);
            }
            p->pos = pos;
            if (json_escape(p))
                return -1;
            pos = p->pos;
            continue;
        }
        size_t w = 1;
        if (c < 0x20)
            return json_fail(p, pos, "control character 0x%02X in string (must be escaped)", c);
        if ((w = json_utf8_len(s + pos, len - pos)) == 0)
            return json_fail(p, pos, "invalid UTF-8 in string (byte 0x%02X)", c);
        if (esc)
            json_tmp_add(p, s + pos, w);
        pos += w;
    }
    p->pos = pos + 1;
    if (esc) {
        *out = p->tmp;
        *n = p->tmp_len;
    } else {
        *out = (const char *)s + start;
        *n = pos - start;
    }
    return 0;
}

/* Whether the byte at offset at is an ASCII digit (0 at the end). */
static int json_digit(const json_p *p, size_t at)
{
    return at < p->len && p->s[at] >= '0' && p->s[at] <= '9';
}

/* The number at p->pos, given to the builder. 0, or -1. */
static int json_number(json_p *p)
{
    size_t start = p->pos, pos = start;
    uint32_t col = json_col(p, start);
    int neg = 0, is_int = 1, over = 0;
    uint64_t mag = 0;
    if (p->s[pos] == '-') {
        neg = 1;
        pos++;
        if (pos < p->len && p->s[pos] == 'I')
            return json_fail(p, start, "NaN and Infinity are not allowed in JSON");
        if (!json_digit(p, pos)) {
            p->pos = pos;
            return json_expected(p, "expected a digit after '-'");
        }
    }
    if (p->s[pos] == '0') {
        pos++;
        if (json_digit(p, pos))
            return json_fail(p, pos, "leading zeros are not allowed in numbers");
    } else {
        while (json_digit(p, pos)) {
            unsigned d = p->s[pos++] - '0';
            if (mag > (UINT64_MAX - d) / 10)
                over = 1;
            else
                mag = mag * 10 + d;
        }
    }
    if (pos < p->len && p->s[pos] == '.') {
        pos++;
        is_int = 0;
        if (!json_digit(p, pos)) {
            p->pos = pos;
            return json_expected(p, "expected a digit after '.'");
        }
        while (json_digit(p, pos))
            pos++;
    }
    if (pos < p->len && (p->s[pos] | 32) == 'e') {
        pos++;
        is_int = 0;
        if (pos < p->len && (p->s[pos] == '+' || p->s[pos] == '-'))
            pos++;
        if (!json_digit(p, pos)) {
            p->pos = pos;
            return json_expected(p, "expected a digit in the exponent");
        }
        while (json_digit(p, pos))
            pos++;
    }
    p->pos = pos;
    if (is_int && !over) {
        if (!neg && mag <= (uint64_t)INT64_MAX)
            return fb_int(p->b, (int64_t)mag, p->line, col);
        if (neg && mag <= (uint64_t)INT64_MAX + 1)
            return fb_int(p->b, mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag,
                          p->line, col);
    }
    p->tmp_len = 0;
    json_tmp_add(p, p->s + start, pos - start);
    json_tmp_add(p, "", 1);
    if (p->decimal_point != '.') {
        char *dot = strchr(p->tmp, '.');
        if (dot)
            *dot = p->decimal_point;
    }
    errno = 0;
    double d = strtod(p->tmp, NULL);
    if (isinf(d))
        return json_fail(p, start, "number out of range");
    return fb_double(p->b, d, p->line, col);
}

/* The literal word (true, false, null) at p->pos. 0, or -1. */
static int json_literal(json_p *p)
{
    static const struct { const char *w; size_t n; } lit[] = {
        {"true", 4}, {"false", 5}, {"null", 4}};
    unsigned char c = p->s[p->pos];
    int k = c == 't' ? 0 : c == 'f' ? 1 : 2;
    uint32_t col = json_col(p, p->pos);
    if (p->len - p->pos < lit[k].n || memcmp(p->s + p->pos, lit[k].w, lit[k].n) != 0)
        return json_fail(p, p->pos, "invalid literal (expected '%s')", lit[k].w);
    p->pos += lit[k].n;
    if (k == 2)
        return fb_null(p->b, p->line, col);
    return fb_bool(p->b, k == 0, p->line, col);
}

enum { JSON_VALUE, JSON_KEY, JSON_AFTER };

/* Parse a value's start at p->pos; containers are opened, scalars given to
 * the builder. *next is the state to go to. 0, or -1. */
static int json_value(json_p *p, int *next)
{
    if (p->pos >= p->len)
        return json_expected(p, "expected a value");
    unsigned char c = p->s[p->pos];
    uint32_t col = json_col(p, p->pos);
    const char *str = NULL;
    size_t n = 0;
    switch (c) {
    case '{':
        if (fb_map_begin(p->b, p->line, col))
            return -1;
        p->pos++;
        json_ws(p);
        if (p->pos < p->len && p->s[p->pos] == '}') {
            p->pos++;
            *next = JSON_AFTER;
            return fb_map_end(p->b);
        }
        *next = JSON_KEY;
        return 0;
    case '[':
        if (fb_list_begin(p->b, p->line, col))
            return -1;
        p->pos++;
        json_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ']') {
            p->pos++;
            *next = JSON_AFTER;
            return fb_list_end(p->b);
        }
        *next = JSON_VALUE;
        return 0;
    case '"':
        *next = JSON_AFTER;
        if (json_string(p, &str, &n))
            return -1;
        return fb_str(p->b, str, n, p->line, col);
    case 't': case 'f': case 'n':
        *next = JSON_AFTER;
        return json_literal(p);
    case 'N': case 'I':
        return json_fail(p, p->pos, "NaN and Infinity are not allowed in JSON");
    case '\'':
        return json_fail(p, p->pos, "strings must be enclosed in double quotes");
    default:
        if (c == '-' || (c >= '0' && c <= '9')) {
            *next = JSON_AFTER;
            return json_number(p);
        }
        return json_expected(p, "expected a value");
    }
}

int json_facts_parse(fbuild *b, const char *buf, size_t len)
{
    json_p p = {0};
    p.b = b;
    p.s = (const unsigned char *)buf;
    p.len = len;
    p.line = 1;
    const char *dp = localeconv()->decimal_point;
    p.decimal_point = (char)(dp && dp[0] ? dp[0] : '.');
    if (len >= 3 && p.s[0] == 0xEF && p.s[1] == 0xBB && p.s[2] == 0xBF)
        p.pos = p.line_start = 3;
    json_ws(&p);
    if (p.pos >= p.len) {
        fb_fail(b, p.line, json_col(&p, p.pos), "empty input: expected a JSON value");
        return -1;
    }
    int st = JSON_VALUE, rc = 0;
    while (rc == 0) {
        if (st == JSON_VALUE) {
            json_ws(&p);
            rc = json_value(&p, &st);
        } else if (st == JSON_KEY) {
            /* after '{' or ',' (whitespace skipped) */
            const char *k = NULL;
            size_t n = 0;
            if (p.pos >= p.len || p.s[p.pos] != '"') {
                if (p.pos < p.len && p.s[p.pos] == '\'')
                    rc = json_fail(&p, p.pos, "strings must be enclosed in double quotes");
                else
                    rc = json_expected(&p, "expected a double-quoted object key");
                break;
            }
            uint32_t kcol = json_col(&p, p.pos);
            if (json_string(&p, &k, &n) || fb_key(b, k, n, p.line, kcol)) {
                rc = -1;
                break;
            }
            json_ws(&p);
            if (p.pos >= p.len || p.s[p.pos] != ':') {
                rc = json_expected(&p, "expected ':' after object key");
                break;
            }
            p.pos++;
            st = JSON_VALUE;
        } else {
            json_ws(&p);
            int open = fb_open_kind(b);
            if (open < 0) {
                if (p.pos < p.len)
                    rc = json_expected(&p, "unexpected data after the JSON value");
                break;
            }
            unsigned char close = open == FN_LIST ? ']' : '}';
            if (p.pos < p.len && p.s[p.pos] == ',') {
                uint32_t cline = p.line, ccol = json_col(&p, p.pos++);
                json_ws(&p);
                if (p.pos < p.len && p.s[p.pos] == close) {
                    rc = fb_fail(b, cline, ccol, "trailing comma before '%c'", close);
                    break;
                }
                st = open == FN_LIST ? JSON_VALUE : JSON_KEY;
            } else if (p.pos < p.len && p.s[p.pos] == close) {
                p.pos++;
                rc = open == FN_LIST ? fb_list_end(b) : fb_map_end(b);
            } else {
                rc = json_expected(&p, open == FN_LIST
                                           ? "expected ',' or ']' after array element"
                                           : "expected ',' or '}' after object member");
            }
        }
    }
    aip_free(p.tmp);
    return rc ? -1 : 0;
}
