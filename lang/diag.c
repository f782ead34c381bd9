/* lang/diag.c - source files, their line maps, and located diagnostics
 * (see lang/diag.h).
 *
 * Every aip diagnostic with a source location is printed here, in one format:
 *     path:line:col: error: message
 *         the source line
 *         ^~~~
 * The source and caret lines are indented by four spaces; the caret line
 * repeats the source line's tabs so the caret stays under its column, and
 * counts a UTF-8 character as one column. Line and column in the header are
 * 1-based and count bytes, as diag.h says.
 *
 * This file knows nothing of tokens or the AST. All memory goes through the
 * aip_xmalloc funnel.
 */
#include "lang/diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/arena.h"

enum { DIAG_DEFAULT_MAX_ERRORS = 100 };

/* Printed before the source line and the caret line. */
#define DIAG_INDENT "    "

/* ---- source files -------------------------------------------------------- */

/* Fill s->line_starts from s->text. */
static void src_index_lines(src_file *s)
{
    uint32_t n = 1, cap = 64;
    s->line_starts = aip_xmalloc(cap * sizeof *s->line_starts);
    s->line_starts[0] = 0;
    for (size_t i = 0; i < s->len; i++) {
        if (s->text[i] != '\n' || i + 1 >= s->len)
            continue;
        if (n == cap) {
            cap *= 2;
            s->line_starts = aip_xrealloc(s->line_starts, cap * sizeof *s->line_starts);
        }
        s->line_starts[n++] = (uint32_t)(i + 1);
    }
    s->nlines = n;
}

/* A src_file that takes ownership of text (len bytes, NUL after them). */
static src_file *src_adopt(const char *name, char *text, size_t len)
{
    src_file *s = aip_xcalloc(1, sizeof *s);
    s->path = aip_xstrdup(name);
    s->text = text;
    s->len = len;
    src_index_lines(s);
    return s;
}

src_file *src_from_string(const char *name, const char *text, size_t len)
{
    char *copy = aip_xmalloc(len + 1);
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';
    return src_adopt(name, copy, len);
}

src_file *src_read(FILE *f, const char *name, char *err, size_t errlen)
{
    size_t len = 0, cap = 4096;
    char *buf = aip_xmalloc(cap);
    for (;;) {
        if (cap - len < 2) {
            if (cap > (size_t)UINT32_MAX) {
                snprintf(err, errlen, "cannot read %s: the file is too large", name);
                aip_free(buf);
                return NULL;
            }
            cap *= 2;
            buf = aip_xrealloc(buf, cap);
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        int e = errno;
        snprintf(err, errlen, "cannot read %s: %s", name, e ? strerror(e) : "read error");
        aip_free(buf);
        return NULL;
    }
    if (len >= (size_t)UINT32_MAX) {
        snprintf(err, errlen, "cannot read %s: the file is too large", name);
        aip_free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return src_adopt(name, buf, len);
}

src_file *src_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    src_file *s = src_read(f, path, err, errlen);
    fclose(f);
    return s;
}

void src_free(src_file *s)
{
    if (!s)
        return;
    aip_free(s->path);
    aip_free(s->text);
    aip_free(s->line_starts);
    aip_free(s);
}

/* Index of the line holding off (already clamped). */
static uint32_t src_line_index(const src_file *s, uint32_t off)
{
    uint32_t lo = 0, hi = s->nlines; /* line_starts[lo] <= off < line_starts[hi] */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->line_starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void src_pos(const src_file *s, uint32_t off, unsigned *line, unsigned *col)
{
    if (off > s->len)
        off = (uint32_t)s->len;
    uint32_t i = src_line_index(s, off);
    *line = i + 1;
    *col = off - s->line_starts[i] + 1;
}

/* ---- diagnostic lists --------------------------------------------------------- */

void diag_init(diag_list *d)
{
    memset(d, 0, sizeof *d);
}

void diag_free(diag_list *d)
{
    for (size_t i = 0; i < d->n; i++)
        aip_free(d->items[i].msg);
    aip_free(d->items);
    memset(d, 0, sizeof *d);
}

/* Longest source line shown in full; longer ones are cut around the span. */
#define DIAG_MAX_LINE 160u

static const char diag_too_many[] = "too many errors; stopping after";

static void diag_append(diag_list *d, diag_level level, const src_file *src, uint32_t start,
                        uint32_t end, char *msg)
{
    AIP_GROW(d->items, d->n, d->cap);
    diag *g = &d->items[d->n++];
    g->level = level;
    g->src = src;
    g->start = start;
    g->end = end < start ? start : end;
    g->msg = msg;
    if (level == DIAG_ERROR)
        d->errors++;
}

void diag_add(diag_list *d, diag_level level, const src_file *src, uint32_t start,
              uint32_t end, const char *fmt, ...)
{
    size_t max = d->max_errors ? d->max_errors : DIAG_DEFAULT_MAX_ERRORS;
    if (level == DIAG_ERROR && d->errors >= max) {
        for (size_t i = d->n; i-- > 0;)
            if (d->items[i].level == DIAG_NOTE && !d->items[i].src &&
                strncmp(d->items[i].msg, diag_too_many, sizeof diag_too_many - 1) == 0)
                return;
        char *note = aip_xmalloc(sizeof diag_too_many + 32);
        snprintf(note, sizeof diag_too_many + 32, "%s %zu", diag_too_many, max);
        diag_append(d, DIAG_NOTE, NULL, 0, 0, note);
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *msg = aip_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    diag_append(d, level, src, start, end, msg);
}

/* ---- printing --------------------------------------------------------------------- */

#define DIAG_BOLD  "\033[1m"
#define DIAG_RESET "\033[0m"
#define DIAG_GREEN "\033[1;32m"

static const char *diag_level_name(diag_level l)
{
    return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" : "note";
}

static const char *diag_level_color(diag_level l)
{
    return l == DIAG_ERROR ? "\033[1;31m" : l == DIAG_WARNING ? "\033[1;35m" : "\033[1;36m";
}

static int diag_is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

void diag_print_one(const diag *g, FILE *out, int color)
{
    const char *lv = diag_level_name(g->level);
    const char *bold = color ? DIAG_BOLD : "";
    const char *reset = color ? DIAG_RESET : "";
    const char *lc = color ? diag_level_color(g->level) : "";

    if (!g->src) {
        fprintf(out, "%saip:%s %s%s:%s %s\n", bold, reset, lc, lv, reset, g->msg);
        return;
    }
    const src_file *s = g->src;
    uint32_t start = g->start > s->len ? (uint32_t)s->len : g->start;
    uint32_t end = g->end > s->len ? (uint32_t)s->len : g->end;
    unsigned line, col;
    src_pos(s, start, &line, &col);
    fprintf(out, "%s%s:%u:%u:%s %s%s:%s %s\n", bold, s->path, line, col, reset, lc, lv, reset,
            g->msg);

    /* the source line, without its newline (or CR LF) */
    uint32_t ls = s->line_starts[line - 1];
    uint32_t le = ls;
    while (le < s->len && s->text[le] != '\n')
        le++;
    uint32_t shown = le;
    if (shown > ls && s->text[shown - 1] == '\r')
        shown--;
    /* a very long line is cut to a window around the start of the span,
     * on UTF-8 character boundaries, with "..." where it was cut */
    int cut_left = 0, cut_right = 0;
    if (shown - ls > DIAG_MAX_LINE) {
        uint32_t from = start > ls + DIAG_MAX_LINE / 2 ? start - DIAG_MAX_LINE / 2 : ls;
        while (from > ls && diag_is_cont((unsigned char)s->text[from]))
            from--;
        uint32_t to = from + DIAG_MAX_LINE < shown ? from + DIAG_MAX_LINE : shown;
        while (to < shown && diag_is_cont((unsigned char)s->text[to]))
            to++;
        cut_left = from > ls;
        cut_right = to < shown;
        ls = from;
        shown = to;
        if (le > to)
            le = to;
    }
    fprintf(out, DIAG_INDENT "%s%.*s%s\n", cut_left ? "..." : "", (int)(shown - ls), s->text + ls,
            cut_right ? "..." : "");

    /* the caret line: ^ under start, ~ under the rest of the span on this line */
    fputs(DIAG_INDENT, out);
    if (cut_left)
        fputs("   ", out);
    for (uint32_t i = ls; i < start; i++) {
        unsigned char c = (unsigned char)s->text[i];
        if (c == '\t')
            fputc('\t', out);
        else if (!diag_is_cont(c))
            fputc(' ', out);
    }
    fprintf(out, "%s^", color ? DIAG_GREEN : "");
    uint32_t stop = end < le ? end : le;
    for (uint32_t i = start + 1; i < stop; i++)
        if (!diag_is_cont((unsigned char)s->text[i]))
            fputc('~', out);
    fprintf(out, "%s\n", reset);
}

void diag_print(const diag_list *d, FILE *out, int color)
{
    for (size_t i = 0; i < d->n; i++)
        diag_print_one(&d->items[i], out, color);
}

/* ---- did you mean ---------------------------------------------------------------------- */

unsigned diag_edit_distance(const char *a, const char *b, unsigned cap)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t diff = la > lb ? la - lb : lb - la;
    if (diff > cap)
        return cap + 1;
    unsigned stack_rows[2][64];
    unsigned *prev, *cur, *heap = NULL;
    if (lb + 1 <= 64) {
        prev = stack_rows[0];
        cur = stack_rows[1];
    } else {
        heap = aip_xmalloc(2 * (lb + 1) * sizeof *heap);
        prev = heap;
        cur = heap + lb + 1;
    }
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (unsigned)j;
    unsigned result = 0;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (unsigned)i;
        unsigned row_min = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            unsigned sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            unsigned del = prev[j] + 1;
            unsigned ins = cur[j - 1] + 1;
            unsigned v = sub < del ? sub : del;
            v = v < ins ? v : ins;
            cur[j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (row_min > cap) {
            aip_free(heap);
            return cap + 1;
        }
        unsigned *t = prev;
        prev = cur;
        cur = t;
    }
    result = prev[lb];
    aip_free(heap);
    return result > cap ? cap + 1 : result;
}

/* ---- ordering ---- */

typedef struct diag_ref {
    diag g;
    size_t seq;
} diag_ref;

static int cmp_diag(const void *a, const void *b)
{
    const diag_ref *x = a, *y = b;
    /* unlocated errors (a path that cannot be read) first, unlocated notes
     * ("too many errors") last, located diagnostics between */
    int rx = x->g.src ? 1 : x->g.level == DIAG_NOTE ? 2 : 0;
    int ry = y->g.src ? 1 : y->g.level == DIAG_NOTE ? 2 : 0;
    if (rx != ry)
        return rx < ry ? -1 : 1;
    const char *px = x->g.src ? x->g.src->path : "", *py = y->g.src ? y->g.src->path : "";
    int c = strcmp(px, py);
    if (c)
        return c;
    if (x->g.start != y->g.start)
        return x->g.start < y->g.start ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void diag_sort(diag_list *d)
{
    if (d->n < 2)
        return;
    diag_ref *refs = aip_xmalloc(sizeof *refs * d->n);
    for (size_t i = 0; i < d->n; i++) {
        refs[i].g = d->items[i];
        refs[i].seq = i;
    }
    qsort(refs, d->n, sizeof *refs, cmp_diag);
    for (size_t i = 0; i < d->n; i++)
        d->items[i] = refs[i].g;
    free(refs);
}
