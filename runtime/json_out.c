/* runtime/json_out.c - streaming, pretty-printing JSON writer (see json_out.h).
 *
 * What it is: the escaping, UTF-8 repair, number formatting and layout rules
 * shared by every JSON report. What it is not: a parser, a DOM, or a place
 * for report structure (that is runtime/report_*.c).
 */
#include "runtime/utf8.h"
#include "runtime/json_out.h"
#include "runtime/json_plain.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- raw output ---------------------------------------------------------- */

/* Hand the buffered bytes to the FILE (a short write sets JW_ERR_IO, unless
 * an error came first). Called when the buffer is full and by jw_finish. */
static void flush_buf(jw *w)
{
    if (w->blen && fwrite(w->buf, 1, w->blen, w->out) != w->blen && !w->err)
        w->err = JW_ERR_IO;
    w->blen = 0;
}

/* Append n bytes unless an error happened before. The writer keeps its own
 * buffer: a report is many small pieces, and one stdio call per piece cost
 * more than the escaping (docs/performance.md). */
static void put(jw *w, const char *s, size_t n)
{
    if (w->err || n == 0)
        return;
    if (n > sizeof w->buf - w->blen) {
        flush_buf(w);
        if (n >= sizeof w->buf) {
            if (!w->err && fwrite(s, 1, n, w->out) != n)
                w->err = JW_ERR_IO;
            return;
        }
    }
    memcpy(w->buf + w->blen, s, n);
    w->blen += n;
}

static void put_c(jw *w, char c)
{
    if (w->err)
        return;
    if (w->blen == sizeof w->buf)
        flush_buf(w);
    w->buf[w->blen++] = c;
}

static void misuse(jw *w)
{
    if (!w->err)
        w->err = JW_ERR_USE;
}

/* A newline and the indent of the current depth. */
static void newline_indent(jw *w)
{
    static const char spaces[] = "                                ";  /* 32 */
    put_c(w, '\n');
    size_t n = (size_t)w->depth * 2;
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        put(w, spaces, k);
        n -= k;
    }
}

/* ---- strings ------------------------------------------------------------- */


/* s[0..n) as a quoted JSON string. Safe runs are copied in one put; plain
 * ASCII is scanned 8 bytes at a time. */
static void put_string(jw *w, const char *str, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    size_t start = 0, i = 0;
    put_c(w, '"');
    while (i < n && !w->err) {
        while (i + 8 <= n && json_plain8(s + i))
            i += 8;
        if (i >= n)
            break;
        unsigned c = s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0x80) {
            size_t bad = 0, len = utf8_seq(s + i, n - i, &bad);
            if (len) {
                i += len;
                continue;
            }
            put(w, str + start, i - start);
            put(w, "\xEF\xBF\xBD", 3);
            i += bad;
            start = i;
            continue;
        }
        put(w, str + start, i - start);
        char esc[6] = { '\\', 0, 0, 0, 0, 0 };
        size_t elen = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
            esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
            elen = 6;
            break;
        }
        put(w, esc, elen);
        i++;
        start = i;
    }
    put(w, str + start, i - start);
    put_c(w, '"');
}

/* ---- structure ----------------------------------------------------------- */

void jw_init(jw *w, FILE *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
}

/* Separator and indent before a value; 0 when a value may come here,
 * -1 (and a use error) when not. */
static int before_value(jw *w)
{
    if (w->err)
        return -1;
    if (w->depth == 0) {
        if (w->done) {
            misuse(w);
            return -1;
        }
        return 0;
    }
    int top = w->depth - 1;
    if (w->kind[top] == '{') {
        if (!w->have_key) {
            misuse(w);
            return -1;
        }
        w->have_key = 0;
        return 0;
    }
    if (!w->empty[top])
        put_c(w, ',');
    w->empty[top] = 0;
    newline_indent(w);
    return 0;
}

/* After a complete value: at depth 0 the document is done. */
static void after_value(jw *w)
{
    if (w->depth == 0)
        w->done = 1;
}

static void begin(jw *w, char kind)
{
    if (before_value(w) < 0)
        return;
    if (w->depth >= JW_MAX_DEPTH) {
        misuse(w);
        return;
    }
    put_c(w, kind);
    w->kind[w->depth] = kind;
    w->empty[w->depth] = 1;
    w->depth++;
}

static void end(jw *w, char kind, char close)
{
    if (w->err)
        return;
    if (w->depth == 0 || w->kind[w->depth - 1] != kind || w->have_key) {
        misuse(w);
        return;
    }
    w->depth--;
    if (!w->empty[w->depth])
        newline_indent(w);
    put_c(w, close);
    after_value(w);
}

void jw_object_begin(jw *w) { begin(w, '{'); }
void jw_object_end(jw *w) { end(w, '{', '}'); }
void jw_array_begin(jw *w) { begin(w, '['); }
void jw_array_end(jw *w) { end(w, '[', ']'); }

void jw_keyn(jw *w, const char *key, size_t len)
{
    if (w->err)
        return;
    if (w->depth == 0 || w->kind[w->depth - 1] != '{' || w->have_key || !key) {
        misuse(w);
        return;
    }
    int top = w->depth - 1;
    if (!w->empty[top])
        put_c(w, ',');
    w->empty[top] = 0;
    newline_indent(w);
    put_string(w, key, len);
    put(w, ": ", 2);
    w->have_key = 1;
}

void jw_key(jw *w, const char *key)
{
    jw_keyn(w, key, key ? strlen(key) : 0);
}

/* ---- scalars ------------------------------------------------------------- */

static void scalar(jw *w, const char *text, size_t n)
{
    if (before_value(w) < 0)
        return;
    put(w, text, n);
    after_value(w);
}

void jw_stringn(jw *w, const char *s, size_t len)
{
    if (!s) {
        jw_null(w);
        return;
    }
    if (before_value(w) < 0)
        return;
    put_string(w, s, len);
    after_value(w);
}

void jw_string(jw *w, const char *s)
{
    jw_stringn(w, s, s ? strlen(s) : 0);
}

/* Decimal digits by hand: a report writes a line and a column per finding,
 * and snprintf's format parsing was 1.5% of a large report. */
void jw_int(jw *w, int64_t v)
{
    char buf[24];
    char *p = buf + sizeof buf;
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    if (v < 0)
        *--p = '-';
    scalar(w, p, (size_t)(buf + sizeof buf - p));
}

size_t jw_format_double(double d, char *buf)
{
    if (!isfinite(d)) {
        memcpy(buf, "null", 5);
        return 4;
    }
    int n = 0;
    for (int prec = 1; prec <= 17; prec++) {
        n = snprintf(buf, JW_DOUBLE_BUF, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    /* %g follows LC_NUMERIC; JSON wants '.'. Mark integral values as
     * doubles with ".0" so a consumer keeps the type. */
    int has_point = 0;
    for (int i = 0; i < n; i++) {
        if (buf[i] == ',')
            buf[i] = '.';
        if (buf[i] == '.' || buf[i] == 'e')
            has_point = 1;
    }
    if (!has_point) {
        memcpy(buf + n, ".0", 3);
        n += 2;
    }
    return (size_t)n;
}

void jw_double(jw *w, double d)
{
    char buf[JW_DOUBLE_BUF];
    size_t n = jw_format_double(d, buf);
    scalar(w, buf, n);
}

void jw_bool(jw *w, int b)
{
    if (b)
        scalar(w, "true", 4);
    else
        scalar(w, "false", 5);
}

void jw_null(jw *w)
{
    scalar(w, "null", 4);
}

void jw_member_string(jw *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_string(w, s);
}

void jw_member_int(jw *w, const char *key, int64_t v)
{
    jw_key(w, key);
    jw_int(w, v);
}

void jw_member_bool(jw *w, const char *key, int b)
{
    jw_key(w, key);
    jw_bool(w, b);
}

void jw_member_null(jw *w, const char *key)
{
    jw_key(w, key);
    jw_null(w);
}

int jw_finish(jw *w)
{
    if (!w->err && !w->done)
        misuse(w);
    put_c(w, '\n');
    flush_buf(w);
    if (fflush(w->out) != 0 || ferror(w->out))
        w->err = w->err ? w->err : JW_ERR_IO;
    return w->err ? -1 : 0;
}
