/* lang/fmt_diff.c - a unified diff of a file and its formatted text
 * (`aip fmt -d`): split into lines, trim the common head and tail, take a
 * longest common subsequence of the rest (a table of at most
 * FMT_DIFF_MAX_CELLS entries, else one replaced block), then print hunks
 * with FMT_DIFF_CONTEXT lines of context. A last line without a newline is
 * marked `\ No newline at end of file`, as diff(1) does.
 */
#include <string.h>

#include "lang/fmt_diff.h"
#include "runtime/arena.h"

typedef struct dline {
    const char *s;
    size_t len;       /* without the '\n' */
    int nl;           /* ends with '\n' */
} dline;

enum { OP_EQ = 0, OP_DEL = 1, OP_INS = 2 };

typedef struct dop {
    unsigned char op;
    size_t a, b;      /* line indexes: of a for EQ/DEL, of b for INS (and EQ) */
} dop;

static dline *split(const char *s, size_t len, size_t *n)
{
    size_t cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += s[i] == '\n';
    dline *v = aip_xcalloc(cap, sizeof *v);
    size_t k = 0, start = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n') {
            v[k].s = s + start;
            v[k].len = i - start;
            v[k++].nl = 1;
            start = i + 1;
        }
    if (start < len) {
        v[k].s = s + start;
        v[k].len = len - start;
        v[k++].nl = 0;
    }
    *n = k;
    return v;
}

static int same(const dline *x, const dline *y)
{
    return x->len == y->len && x->nl == y->nl && memcmp(x->s, y->s, x->len) == 0;
}

static void push(dop **ops, size_t *n, size_t *cap, unsigned char op, size_t a, size_t b)
{
    AIP_GROW(*ops, *n, *cap);
    (*ops)[*n].op = op;
    (*ops)[*n].a = a;
    (*ops)[*n].b = b;
    (*n)++;
}

/* The edit script from a to b. */
static dop *script(const dline *a, size_t na, const dline *b, size_t nb, size_t *nops)
{
    dop *ops = NULL;
    size_t n = 0, cap = 0, head = 0, tail = 0;
    while (head < na && head < nb && same(&a[head], &b[head]))
        head++;
    while (tail < na - head && tail < nb - head && same(&a[na - 1 - tail], &b[nb - 1 - tail]))
        tail++;
    for (size_t i = 0; i < head; i++)
        push(&ops, &n, &cap, OP_EQ, i, i);
    size_t ma = na - head - tail, mb = nb - head - tail;
    if (ma > 0 && mb > 0 && (ma + 1) * (mb + 1) <= FMT_DIFF_MAX_CELLS) {
        /* L[i][j]: LCS length of a-middle[i..] and b-middle[j..] */
        size_t w = mb + 1;
        unsigned *L = aip_xcalloc((ma + 1) * w, sizeof *L);
        for (size_t i = ma; i-- > 0;)
            for (size_t j = mb; j-- > 0;)
                L[i * w + j] = same(&a[head + i], &b[head + j])
                                   ? L[(i + 1) * w + j + 1] + 1
                                   : (L[(i + 1) * w + j] >= L[i * w + j + 1] ? L[(i + 1) * w + j]
                                                                            : L[i * w + j + 1]);
        size_t i = 0, j = 0;
        while (i < ma || j < mb) {
            if (i < ma && j < mb && same(&a[head + i], &b[head + j])) {
                push(&ops, &n, &cap, OP_EQ, head + i, head + j);
                i++, j++;
            } else if (i < ma && (j == mb || L[(i + 1) * w + j] >= L[i * w + j + 1])) {
                push(&ops, &n, &cap, OP_DEL, head + i, head + j); /* deletions first */
                i++;
            } else {
                push(&ops, &n, &cap, OP_INS, head + i, head + j);
                j++;
            }
        }
        aip_free(L);
    } else {
        for (size_t i = 0; i < ma; i++)
            push(&ops, &n, &cap, OP_DEL, head + i, head);
        for (size_t j = 0; j < mb; j++)
            push(&ops, &n, &cap, OP_INS, head + ma, head + j);
    }
    for (size_t i = 0; i < tail; i++)
        push(&ops, &n, &cap, OP_EQ, na - tail + i, nb - tail + i);
    *nops = n;
    return ops;
}

static void put_line(FILE *out, char mark, const dline *l)
{
    fputc(mark, out);
    fwrite(l->s, 1, l->len, out);
    fputc('\n', out);
    if (!l->nl)
        fputs("\\ No newline at end of file\n", out);
}

size_t fmt_diff(FILE *out, const char *path, const char *a, size_t alen, const char *b,
                size_t blen)
{
    size_t na, nb, nops, hunks = 0;
    dline *la = split(a, alen, &na), *lb = split(b, blen, &nb);
    dop *ops = script(la, na, lb, nb, &nops);
    size_t k = 0;
    while (k < nops) {
        while (k < nops && ops[k].op == OP_EQ)
            k++;
        if (k == nops)
            break;
        /* a hunk: from context before k to the last change followed by
         * more than 2 * context unchanged lines (or the end) */
        size_t start = k > FMT_DIFF_CONTEXT ? k - FMT_DIFF_CONTEXT : 0;
        size_t end = k, run = 0;
        for (size_t j = k; j < nops; j++) {
            if (ops[j].op != OP_EQ) {
                end = j + 1;
                run = 0;
            } else if (++run > (size_t)2 * FMT_DIFF_CONTEXT) {
                break;
            }
        }
        size_t stop = end + FMT_DIFF_CONTEXT < nops ? end + FMT_DIFF_CONTEXT : nops;
        size_t acount = 0, bcount = 0;
        for (size_t j = start; j < stop; j++) {
            acount += ops[j].op != OP_INS;
            bcount += ops[j].op != OP_DEL;
        }
        size_t astart = ops[start].a;
        size_t bstart = ops[start].b;
        if (hunks++ == 0)
            fprintf(out, "--- a/%s\n+++ b/%s\n", path, path);
        fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", acount ? astart + 1 : astart, acount,
                bcount ? bstart + 1 : bstart, bcount);
        for (size_t j = start; j < stop; j++) {
            if (ops[j].op == OP_EQ)
                put_line(out, ' ', &la[ops[j].a]);
            else if (ops[j].op == OP_DEL)
                put_line(out, '-', &la[ops[j].a]);
            else
                put_line(out, '+', &lb[ops[j].b]);
        }
        k = stop;
    }
    aip_free(ops);
    aip_free(la);
    aip_free(lb);
    return hunks;
}
