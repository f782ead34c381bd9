/* lang/fmt.c - the canonical layout of a .aip file (`aip fmt`).
 *
 * The formatter works on the token stream, not by printing the tree: the
 * scanner gives every token's byte range and, asked to, every comment's
 * (lex_state.comments), and the parse tree says where each declaration,
 * statement, metadata item and test item starts and which braces are blocks.
 * Tokens are copied from the source byte for byte, so no literal, name or
 * number can change; only the white space between them is decided here:
 *
 *   line breaks  the author's, collapsing blank lines to one (none at the
 *                start of a block, before its '}', or at the start of the
 *                file); plus a break before each declaration, item and
 *                statement, after a block's '{' and before its '}' (an empty
 *                block is `{ }`); a block's '{' joins the line of its header
 *                (unless a comment stands between). A comment always ends
 *                its line.
 *   indentation  2 spaces per enclosing block (control, rule, test, for) for
 *                a line that starts an item or closes a block; an own-line
 *                comment takes the indentation of the item it precedes. A
 *                continuation line (any other line) keeps its indentation
 *                relative to the first line of its item, at least 2 deeper
 *                (a line that starts with a closing bracket: at least as
 *                deep), so hand-aligned `or` lines and lists move with their
 *                statement.
 *   spacing      one space between tokens, except: none before ',' ':' and
 *                around '.'; none inside '(' ')'; none before the '(' of a
 *                call or the '[' of an index; none after a unary '-'; none
 *                inside a dashed profile name. Inside '[' ']' and a map's or
 *                profile's '{' '}', one space or none, as the author wrote
 *                it (lists of facts are spaced, code is not). The values of
 *                a control's metadata items line up after the longest
 *                keyword. A trailing comment keeps the author's distance
 *                from the code before it (at least one space).
 *
 * Bounds: the walk over nested `for` blocks is recursive to FMT_MAX_DEPTH.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/ast_eq.h"
#include "lang/fmt.h"
#include "lang/parse_int.h"

enum {
    FMT_INDENT = 2,          /* spaces per block */
    FMT_MIN_CONT = 2,        /* a continuation line is at least this much deeper */
    FMT_MAX_DEPTH = 10000,   /* nested for blocks */
    FMT_TAB = 2              /* a tab in the input: to the next multiple (one indent step) */
};

/* Token flags, set from the parse tree. */
enum {
    TF_ANCHOR = 1,           /* starts a declaration, item or statement */
    TF_BLOCK_OPEN = 2,       /* '{' of a control, rule, test or for body */
    TF_BLOCK_CLOSE = 4,      /* its '}' */
    TF_GLUE = 8,             /* no space before (inside a dashed profile name) */
    TF_META = 16             /* a metadata keyword: pad[] spaces after it */
};

/* The file as the formatter sees it. */
typedef struct fmt_scan {
    const src_file *src;
    lex_token *toks;         /* without the final end token */
    size_t ntok;
    lex_comments comments;
    unsigned char *flags;    /* per token: TF_* */
    unsigned *pad;           /* per token: spaces after a metadata keyword */
    size_t *partner;         /* per token: the matching bracket, or SIZE_MAX */
    unsigned *depth;         /* per token: enclosing blocks (a block's '}' counts its own) */
} fmt_scan;

/* A growing output text. */
typedef struct fmt_buf {
    char *s;
    size_t len, cap;
} fmt_buf;

static void buf_put(fmt_buf *b, const char *s, size_t n)
{
    if (!b->s || b->len + n + 1 > b->cap) {
        size_t cap = b->cap < 256 ? 256 : b->cap;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->s = aip_xrealloc(b->s, cap);
        b->cap = cap;
    }
    if (n)
        memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void buf_spaces(fmt_buf *b, size_t n)
{
    static const char sp[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;
        buf_put(b, sp, k);
        n -= k;
    }
}

/* End the current line: drop trailing blanks, add '\n'. */
static void buf_newline(fmt_buf *b)
{
    while (b->len > 0 && (b->s[b->len - 1] == ' ' || b->s[b->len - 1] == '\t'))
        b->len--;
    buf_put(b, "\n", 1);
}

/* ---- scanning ------------------------------------------------------------ */

static void scan_free(fmt_scan *sc)
{
    aip_free(sc->toks);
    lex_comments_free(&sc->comments);
    aip_free(sc->flags);
    aip_free(sc->pad);
    aip_free(sc->partner);
    aip_free(sc->depth);
    memset(sc, 0, sizeof *sc);
}

/* Tokens and comments of src (which parses without errors). */
static void scan_file(fmt_scan *sc, const src_file *src, arena *mem)
{
    diag_list scratch;
    memset(sc, 0, sizeof *sc);
    sc->src = src;
    diag_init(&scratch);
    size_t n = parse_tokenize(src, mem, &scratch, NULL, 0);
    sc->toks = aip_xcalloc(n, sizeof *sc->toks);
    parse_tokenize_comments(src, mem, &scratch, sc->toks, n, &sc->comments);
    diag_free(&scratch);
    sc->ntok = n > 0 ? n - 1 : 0; /* the last is TOK_YYEOF */
    size_t m = sc->ntok ? sc->ntok : 1;
    sc->flags = aip_xcalloc(m, sizeof *sc->flags);
    sc->pad = aip_xcalloc(m, sizeof *sc->pad);
    sc->partner = aip_xcalloc(m, sizeof *sc->partner);
    sc->depth = aip_xcalloc(m, sizeof *sc->depth);

    /* bracket partners */
    size_t *stack = aip_xcalloc(m, sizeof *stack);
    size_t top = 0;
    for (size_t i = 0; i < sc->ntok; i++) {
        int k = sc->toks[i].kind;
        sc->partner[i] = SIZE_MAX;
        if (k == TOK_LPAREN || k == TOK_LBRACKET || k == TOK_LBRACE) {
            stack[top++] = i;
        } else if ((k == TOK_RPAREN || k == TOK_RBRACKET || k == TOK_RBRACE) && top > 0) {
            size_t o = stack[--top];
            sc->partner[i] = o;
            sc->partner[o] = i;
        }
    }
    aip_free(stack);
}

/* The token that starts at byte off, or SIZE_MAX. */
static size_t tok_at(const fmt_scan *sc, uint32_t off)
{
    size_t lo = 0, hi = sc->ntok;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sc->toks[mid].start < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < sc->ntok && sc->toks[lo].start == off ? lo : SIZE_MAX;
}

static void mark(fmt_scan *sc, uint32_t off, unsigned char flag)
{
    size_t i = tok_at(sc, off);
    if (i != SIZE_MAX)
        sc->flags[i] |= flag;
}

/* n spans `... { ... }`: its last token is a block's '}'. */
static void mark_block(fmt_scan *sc, const ast *n)
{
    if (n->end == 0)
        return;
    size_t c = tok_at(sc, n->end - 1);
    if (c == SIZE_MAX || sc->toks[c].kind != TOK_RBRACE || sc->partner[c] == SIZE_MAX)
        return;
    sc->flags[c] |= TF_BLOCK_CLOSE;
    sc->flags[sc->partner[c]] |= TF_BLOCK_OPEN;
}

/* Items of a control, rule, test or for body. 0 when nested too deeply. */
static int mark_items(fmt_scan *sc, const ast_list *items, unsigned depth)
{
    if (depth > FMT_MAX_DEPTH)
        return 0;
    size_t maxkw = 0;
    for (uint32_t i = 0; i < items->n; i++) {
        const ast *it = items->items[i];
        mark(sc, it->start, TF_ANCHOR);
        if (it->kind == AST_FOR) {
            mark_block(sc, it);
            if (!mark_items(sc, &it->u.forstmt.body, depth + 1))
                return 0;
        } else if (it->kind == AST_META) {
            size_t k = tok_at(sc, it->start);
            if (k != SIZE_MAX && sc->toks[k].end - sc->toks[k].start > maxkw)
                maxkw = sc->toks[k].end - sc->toks[k].start;
        }
    }
    for (uint32_t i = 0; i < items->n; i++) {
        const ast *it = items->items[i];
        size_t k = it->kind == AST_META ? tok_at(sc, it->start) : SIZE_MAX;
        if (k != SIZE_MAX) {
            sc->flags[k] |= TF_META;
            sc->pad[k] = (unsigned)(maxkw - (sc->toks[k].end - sc->toks[k].start) + 1);
        }
    }
    return 1;
}

/* Flags from the parse tree, then block depths. 0 when nested too deeply. */
static int scan_mark(fmt_scan *sc, const ast_file *file)
{
    for (uint32_t i = 0; i < file->decls.n; i++) {
        const ast *d = file->decls.items[i];
        mark(sc, d->start, TF_ANCHOR);
        if (d->kind == AST_CONTROL || d->kind == AST_TEST) {
            mark_block(sc, d);
            if (!mark_items(sc, d->kind == AST_CONTROL ? &d->u.control.items : &d->u.test.items, 1))
                return 0;
        } else if (d->kind == AST_PROFILE) {
            /* profile sme-base-2 "Title" { ... }: the name's pieces stay joined */
            size_t j = tok_at(sc, d->start);
            if (j != SIZE_MAX && j + 1 < sc->ntok && sc->toks[j + 1].kind != TOK_STRING) {
                j++;
                while (j + 2 < sc->ntok && sc->toks[j + 1].kind == TOK_MINUS) {
                    sc->flags[j + 1] |= TF_GLUE;
                    sc->flags[j + 2] |= TF_GLUE;
                    j += 2;
                }
            }
        }
    }
    unsigned depth = 0;
    for (size_t i = 0; i < sc->ntok; i++) {
        if ((sc->flags[i] & TF_BLOCK_CLOSE) && depth > 0) {
            sc->depth[i] = depth;
            depth--;
            continue;
        }
        sc->depth[i] = depth;
        if (sc->flags[i] & TF_BLOCK_OPEN)
            depth++;
    }
    return 1;
}

/* ---- spacing ------------------------------------------------------------- */

static int is_contextual(int k)
{
    switch (k) {
    case TOK_MANIFEST: case TOK_AS: case TOK_WITHIN: case TOK_TITLE: case TOK_FOCUS:
    case TOK_PRIORITY: case TOK_ENFORCE: case TOK_EVIDENCE: case TOK_MAPS: case TOK_HELP:
    case TOK_NOW: case TOK_GIVEN: case TOK_PARAMS: case TOK_EXPECT: case TOK_FINDINGS:
        return 1;
    default:
        return 0;
    }
}

/* Can token i end an operand (so a '-' after it is binary)? */
static int ends_operand(const fmt_scan *sc, size_t i)
{
    int k = sc->toks[i].kind;
    switch (k) {
    case TOK_IDENT: case TOK_INT: case TOK_DOUBLE: case TOK_DURATION: case TOK_STRING:
    case TOK_TRUE: case TOK_FALSE: case TOK_NULL: case TOK_RPAREN: case TOK_RBRACKET:
    case TOK_CONTROL_ID: case TOK_RAW_WORD:
        return 1;
    case TOK_RBRACE:
        return !(sc->flags[i] & TF_BLOCK_CLOSE);
    default:
        return is_contextual(k);
    }
}

static int is_inner_opener(const fmt_scan *sc, size_t i)
{
    int k = sc->toks[i].kind;
    return k == TOK_LBRACKET || (k == TOK_LBRACE && !(sc->flags[i] & TF_BLOCK_OPEN));
}

static int is_inner_closer(const fmt_scan *sc, size_t i)
{
    int k = sc->toks[i].kind;
    return k == TOK_RBRACKET || (k == TOK_RBRACE && !(sc->flags[i] & TF_BLOCK_CLOSE));
}

/* Spaces between tokens a and b = a + 1 on one line. */
static size_t spacing(const fmt_scan *sc, size_t a, size_t b)
{
    int ka = sc->toks[a].kind, kb = sc->toks[b].kind;
    int author = sc->toks[b].start > sc->toks[a].end; /* the author left a gap */
    if (sc->flags[b] & TF_GLUE)
        return 0;
    if ((sc->flags[a] & TF_META) && sc->pad[a])
        return sc->pad[a];
    if (kb == TOK_COMMA || kb == TOK_COLON || ka == TOK_DOT || kb == TOK_DOT)
        return 0;
    if (ka == TOK_LPAREN || kb == TOK_RPAREN)
        return 0;
    if (sc->partner[a] == b)
        return 0; /* [] {} */
    if (is_inner_opener(sc, a) || is_inner_closer(sc, b))
        return author ? 1 : 0;
    if (kb == TOK_LPAREN && (ka == TOK_IDENT || ka == TOK_COUNT || is_contextual(ka)))
        return 0; /* a call, count( */
    if (kb == TOK_LBRACKET && ends_operand(sc, a) && ka != TOK_CONTROL_ID && ka != TOK_RAW_WORD)
        return 0; /* an index */
    if (ka == TOK_MINUS && (a == 0 || !ends_operand(sc, a - 1)))
        return 0; /* unary minus */
    return 1;
}

/* ---- layout -------------------------------------------------------------- */

/* One token or comment, in source order. */
typedef struct fmt_item {
    uint32_t start, end;
    size_t tok;              /* token index, or SIZE_MAX for a comment */
} fmt_item;

static unsigned count_newlines(const char *s, uint32_t from, uint32_t to)
{
    unsigned n = 0;
    for (uint32_t i = from; i < to; i++)
        n += s[i] == '\n';
    return n;
}

/* The column (0-based, tabs to multiples of FMT_TAB) of byte off in its line. */
static size_t column(const src_file *src, uint32_t off)
{
    uint32_t ls = off;
    while (ls > 0 && src->text[ls - 1] != '\n')
        ls--;
    size_t col = 0;
    for (uint32_t i = ls; i < off; i++)
        col = src->text[i] == '\t' ? (col / FMT_TAB + 1) * FMT_TAB : col + 1;
    return col;
}

/* Render sc into out. */
static void render(const fmt_scan *sc, fmt_buf *out)
{
    const char *text = sc->src->text;
    size_t nitems = sc->ntok + sc->comments.n;
    fmt_item *items = aip_xcalloc(nitems ? nitems : 1, sizeof *items);
    size_t ti = 0, ci = 0, n = 0;
    while (ti < sc->ntok || ci < sc->comments.n) {
        if (ci >= sc->comments.n ||
            (ti < sc->ntok && sc->toks[ti].start < sc->comments.items[ci].start)) {
            items[n].start = sc->toks[ti].start;
            items[n].end = sc->toks[ti].end;
            items[n++].tok = ti++;
        } else {
            items[n].start = sc->comments.items[ci].start;
            items[n].end = sc->comments.items[ci].end;
            items[n++].tok = SIZE_MAX;
            ci++;
        }
    }

    size_t anchor_col = 0, anchor_indent = 0; /* the current item's first line */
    for (size_t k = 0; k < n; k++) {
        const fmt_item *it = &items[k];
        size_t t = it->tok;
        unsigned char fl = t != SIZE_MAX ? sc->flags[t] : 0;
        int is_comment = t == SIZE_MAX;
        int prev_comment = k > 0 && items[k - 1].tok == SIZE_MAX;
        unsigned nl = k > 0 ? count_newlines(text, items[k - 1].end, it->start) : 0;
        int prev_open = k > 0 && !prev_comment && (sc->flags[items[k - 1].tok] & TF_BLOCK_OPEN);
        int empty_block = prev_open && t != SIZE_MAX && sc->partner[items[k - 1].tok] == t;

        int brk;
        if (k == 0 || empty_block || ((fl & TF_BLOCK_OPEN) && !prev_comment))
            brk = 0; /* the first token; `{ }`; a block's '{' ends the line of its header */
        else if (prev_comment)
            brk = 1;
        else if (is_comment)
            brk = nl > 0;
        else
            brk = nl > 0 || (fl & (TF_ANCHOR | TF_BLOCK_CLOSE)) || prev_open;

        if (k > 0 && !brk) {
            size_t sp;
            if (is_comment) {
                sp = it->start - items[k - 1].end;
                if (sp < 1)
                    sp = 1;
            } else {
                sp = empty_block ? 1 : spacing(sc, items[k - 1].tok, t);
            }
            buf_spaces(out, sp);
        } else {
            if (k > 0) {
                buf_newline(out);
                if (nl >= 2 && !prev_open && !(fl & TF_BLOCK_CLOSE))
                    buf_newline(out);
            }
            /* the line's indentation */
            size_t next = t; /* for a comment: the token it precedes */
            for (size_t j = k + 1; next == SIZE_MAX && j < n; j++)
                next = items[j].tok;
            unsigned char nfl = next != SIZE_MAX ? sc->flags[next] : 0;
            size_t indent;
            if (next == SIZE_MAX) {
                indent = 0; /* comments at the end of the file */
            } else if (nfl & TF_BLOCK_CLOSE) {
                indent = (size_t)FMT_INDENT * (sc->depth[next] - (is_comment ? 0 : 1));
            } else if (nfl & TF_ANCHOR) {
                indent = (size_t)FMT_INDENT * sc->depth[next];
                if (!is_comment) {
                    anchor_col = column(sc->src, it->start);
                    anchor_indent = indent;
                }
            } else {
                size_t col = column(sc->src, it->start);
                int closer = !is_comment && (sc->toks[t].kind == TOK_RPAREN ||
                                             sc->toks[t].kind == TOK_RBRACKET ||
                                             sc->toks[t].kind == TOK_RBRACE);
                size_t min = closer ? 0 : FMT_MIN_CONT;
                size_t rel = col > anchor_col ? col - anchor_col : 0;
                indent = anchor_indent + (rel < min ? min : rel);
            }
            buf_spaces(out, indent);
        }
        if (is_comment) {
            uint32_t e = it->end;
            while (e > it->start && (text[e - 1] == ' ' || text[e - 1] == '\t' ||
                                     text[e - 1] == '\r'))
                e--;
            buf_put(out, text + it->start, e - it->start);
        } else {
            buf_put(out, text + it->start, it->end - it->start);
        }
    }
    if (n > 0)
        buf_newline(out);
    aip_free(items);
}

/* ---- checking -------------------------------------------------------------- */

/* Same tokens (kind and bytes) and same comments (trailing blanks aside)? */
static int same_text(const fmt_scan *a, const fmt_scan *b, char *err, size_t errlen)
{
    if (a->ntok != b->ntok) {
        snprintf(err, errlen, "the output has %zu tokens, the input %zu", b->ntok, a->ntok);
        return 0;
    }
    for (size_t i = 0; i < a->ntok; i++) {
        const lex_token *p = &a->toks[i], *q = &b->toks[i];
        if (p->kind != q->kind || p->end - p->start != q->end - q->start ||
            memcmp(a->src->text + p->start, b->src->text + q->start, p->end - p->start) != 0) {
            unsigned line, col;
            src_pos(a->src, p->start, &line, &col);
            snprintf(err, errlen, "the token at line %u, column %u changed", line, col);
            return 0;
        }
    }
    if (a->comments.n != b->comments.n) {
        snprintf(err, errlen, "the output has %u comments, the input %u", b->comments.n,
                 a->comments.n);
        return 0;
    }
    for (uint32_t i = 0; i < a->comments.n; i++) {
        const lex_comment *p = &a->comments.items[i], *q = &b->comments.items[i];
        uint32_t pe = p->end, qe = q->end;
        while (pe > p->start && strchr(" \t\r", a->src->text[pe - 1]))
            pe--;
        while (qe > q->start && strchr(" \t\r", b->src->text[qe - 1]))
            qe--;
        if (pe - p->start != qe - q->start ||
            memcmp(a->src->text + p->start, b->src->text + q->start, pe - p->start) != 0) {
            unsigned line, col;
            src_pos(a->src, p->start, &line, &col);
            snprintf(err, errlen, "the comment at line %u changed", line);
            return 0;
        }
    }
    return 1;
}

/* Parse and scan src into *file / *sc. 0 (and err) on syntax errors or
 * nesting too deep to format. */
static int load(const src_file *src, arena *mem, diag_list *diags, ast_file **file,
                fmt_scan *sc, char *err, size_t errlen)
{
    size_t before = diags->errors;
    *file = lang_parse(src, mem, diags);
    memset(sc, 0, sizeof *sc);
    if (diags->errors > before) {
        snprintf(err, errlen, "it does not parse");
        return 0;
    }
    scan_file(sc, src, mem);
    if (!scan_mark(sc, *file)) {
        snprintf(err, errlen, "blocks are nested more than %d deep", FMT_MAX_DEPTH);
        return 0;
    }
    return 1;
}

/* fmt_verify with the input already loaded. */
static int verify(const fmt_scan *in, const ast_file *in_file, arena *mem, const char *out,
                  size_t outlen, char *err, size_t errlen)
{
    src_file *o = src_from_string(in->src->path, out, outlen);
    diag_list d;
    diag_init(&d);
    ast_file *of = NULL;
    fmt_scan osc;
    char why[200];
    int ok = load(o, mem, &d, &of, &osc, why, sizeof why);
    if (!ok && d.errors) {
        unsigned line, col;
        src_pos(o, d.items[0].start, &line, &col);
        snprintf(err, errlen, "the output does not parse (line %u, column %u: %s)", line, col,
                 d.items[0].msg);
    } else if (!ok) {
        snprintf(err, errlen, "%s", why);
    } else if (!ast_file_equal(in_file, of)) {
        snprintf(err, errlen, "the output's syntax tree differs from the input's");
        ok = 0;
    } else if (!same_text(in, &osc, err, errlen)) {
        ok = 0;
    } else {
        fmt_buf again = {0};
        render(&osc, &again);
        if (again.len != outlen || (outlen > 0 && memcmp(again.s, out, outlen) != 0)) {
            snprintf(err, errlen, "formatting the output again changes it");
            ok = 0;
        }
        aip_free(again.s);
    }
    scan_free(&osc);
    diag_free(&d);
    src_free(o);
    return ok;
}

int fmt_verify(const src_file *src, const char *out, size_t outlen, char *err, size_t errlen)
{
    arena mem;
    arena_init(&mem);
    diag_list d;
    diag_init(&d);
    ast_file *file;
    fmt_scan sc;
    int ok = load(src, &mem, &d, &file, &sc, err, errlen) &&
             verify(&sc, file, &mem, out, outlen, err, errlen);
    scan_free(&sc);
    diag_free(&d);
    arena_free(&mem);
    return ok;
}

fmt_status fmt_source(const src_file *src, diag_list *diags, char **out, size_t *outlen,
                      char *err, size_t errlen)
{
    arena mem;
    arena_init(&mem);
    ast_file *file;
    fmt_scan sc;
    fmt_status st = FMT_OK;
    fmt_buf b = {0};
    *out = NULL;
    *outlen = 0;
    size_t before = diags->errors;
    if (!load(src, &mem, diags, &file, &sc, err, errlen)) {
        st = diags->errors > before ? FMT_SYNTAX : FMT_REFUSED;
    } else {
        render(&sc, &b);
        if (!b.s)
            buf_put(&b, "", 0);
        if (!verify(&sc, file, &mem, b.s, b.len, err, errlen)) {
            st = FMT_REFUSED;
            aip_free(b.s);
        } else {
            *out = b.s;
            *outlen = b.len;
        }
    }
    scan_free(&sc);
    arena_free(&mem);
    return st;
}
