/* tests/unit/test_lexer.c - the .aip scanner (lang/lexer.l) as the parser
 * sees it through parse_tokenize: token kinds and byte spans, keywords,
 * control ids, numbers and durations, string escapes and interpolation
 * pieces, lexical errors with their positions, and the closers the parser's yylex
 * inserts for unclosed brackets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lang/parse_int.h"

#define MAX_TOKS 64
#define END (-1)

typedef struct lexed {
    arena mem;
    diag_list diags;
    src_file *src;
    lex_token toks[MAX_TOKS];
    size_t n;
} lexed;

static int setup(void **state)
{
    lexed *l = test_calloc(1, sizeof *l);
    arena_init(&l->mem);
    diag_init(&l->diags);
    *state = l;
    return 0;
}

static int teardown(void **state)
{
    lexed *l = *state;
    diag_free(&l->diags);
    arena_free(&l->mem);
    src_free(l->src);
    test_free(l);
    return 0;
}

/* Scan text afresh into l. */
static void lex(lexed *l, const char *text)
{
    diag_free(&l->diags);
    diag_init(&l->diags);
    arena_free(&l->mem);
    arena_init(&l->mem);
    src_free(l->src);
    l->src = src_from_string("t.aip", text, strlen(text));
    l->n = parse_tokenize(l->src, &l->mem, &l->diags, l->toks, MAX_TOKS);
    assert_true(l->n <= MAX_TOKS);
    assert_int_equal(l->toks[l->n - 1].kind, TOK_YYEOF);
}

/* The token kinds, ending with END (the final TOK_YYEOF is implied). */
static void check_kinds(const char *label, const lexed *l, const int *kinds)
{
    size_t i = 0;
    for (; kinds[i] != END; i++) {
        if (i >= l->n || l->toks[i].kind != kinds[i])
            fail_msg("%s: token %zu is %s, expected %s", label, i,
                     i < l->n ? parse_token_name(l->toks[i].kind) : "(none)",
                     parse_token_name(kinds[i]));
    }
    if (l->toks[i].kind != TOK_YYEOF)
        fail_msg("%s: extra token %zu %s", label, i, parse_token_name(l->toks[i].kind));
}

/* Diagnostic i reads "line:col-endcol: message" (columns 1-based, bytes). */
static void check_diag(const char *label, const lexed *l, size_t i, const char *want)
{
    char got[512];
    if (i >= l->diags.n)
        fail_msg("%s: no diagnostic %zu (have %zu)", label, i, l->diags.n);
    const diag *g = &l->diags.items[i];
    unsigned line, col, eline, ecol;
    src_pos(l->src, g->start, &line, &col);
    src_pos(l->src, g->end, &eline, &ecol);
    snprintf(got, sizeof got, "%u:%u-%u: %s", line, col, ecol, g->msg);
    if (strcmp(got, want) != 0)
        fail_msg("%s:\n  got  %s\n  want %s", label, got, want);
}

/* ---- kinds --------------------------------------------------------------- */

static void test_lexer_token_kinds(void **state)
{
    static const struct {
        const char *label, *text;
        int kinds[16];
    } cases[] = {
        {"operators", "== != <= >= < > + - * / ?? . , : =",
         {TOK_EQ, TOK_NE, TOK_LE, TOK_GE, TOK_LT, TOK_GT, TOK_PLUS, TOK_MINUS, TOK_STAR,
          TOK_SLASH, TOK_COALESCE, TOK_DOT, TOK_COMMA, TOK_COLON, TOK_ASSIGN, END}},
        {"brackets", "( ) [ ] { }",
         {TOK_LPAREN, TOK_RPAREN, TOK_LBRACKET, TOK_RBRACKET, TOK_LBRACE, TOK_RBRACE, END}},
        {"no spaces", "a.b[0]??c==-1",
         {TOK_IDENT, TOK_DOT, TOK_IDENT, TOK_LBRACKET, TOK_INT, TOK_RBRACKET, TOK_COALESCE,
          TOK_IDENT, TOK_EQ, TOK_MINUS, TOK_INT, END}},
        {"declaration words", "package uses import param def control profile test",
         {TOK_PACKAGE, TOK_USES, TOK_IMPORT, TOK_PARAM, TOK_DEF, TOK_CONTROL, TOK_PROFILE,
          TOK_TEST, END}},
        {"statement words", "for in where let require else attest within",
         {TOK_FOR, TOK_IN, TOK_WHERE, TOK_LET, TOK_REQUIRE, TOK_ELSE, TOK_ATTEST, TOK_WITHIN,
          END}},
        {"expression words", "all any none count not and or true false null",
         {TOK_ALL, TOK_ANY, TOK_NONE, TOK_COUNT, TOK_NOT, TOK_AND, TOK_OR, TOK_TRUE,
          TOK_FALSE, TOK_NULL, END}},
        {"metadata words", "title focus priority enforce evidence maps",
         {TOK_TITLE, TOK_FOCUS, TOK_PRIORITY, TOK_ENFORCE, TOK_EVIDENCE, TOK_MAPS, END}},
        {"test words", "now given params expect findings as",
         {TOK_NOW, TOK_GIVEN, TOK_PARAMS, TOK_EXPECT, TOK_FINDINGS, TOK_AS, END}},
        {"value words are identifiers",
         "secure defend thwart mandatory advisory pass fail not_applicable error",
         {TOK_IDENT, TOK_IDENT, TOK_IDENT, TOK_IDENT, TOK_IDENT, TOK_IDENT, TOK_IDENT,
          TOK_IDENT, TOK_IDENT, END}},
        {"keyword prefixes are identifiers", "fortune inside nowhere counter _all",
         {TOK_IDENT, TOK_IDENT, TOK_IDENT, TOK_IDENT, TOK_IDENT, END}},
        {"manifest without uses", "manifest x", {TOK_MANIFEST, TOK_IDENT, END}},
        {"comments", "a # b c\n# whole line\nd#e", {TOK_IDENT, TOK_IDENT, END}},
        {"whitespace", " \t\r\n a \r\n", {TOK_IDENT, END}},
        {"empty", "", {END}},
    };
    lexed *l = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lex(l, cases[i].text);
        check_kinds(cases[i].label, l, cases[i].kinds);
        if (l->diags.n)
            fail_msg("%s: unexpected diagnostic %s", cases[i].label, l->diags.items[0].msg);
    }
}

static void test_lexer_spans(void **state)
{
    lexed *l = *state;
    lex(l, "control PR.AA-01 {\n  require x.y >= 10 # c\n}");
    static const struct { int kind; uint32_t start, end; const char *text; } want[] = {
        {TOK_CONTROL, 0, 7, "control"},   {TOK_CONTROL_ID, 8, 16, "PR.AA-01"},
        {TOK_LBRACE, 17, 18, NULL},       {TOK_REQUIRE, 21, 28, "require"},
        {TOK_IDENT, 29, 30, "x"},         {TOK_DOT, 30, 31, NULL},
        {TOK_IDENT, 31, 32, "y"},         {TOK_GE, 33, 35, NULL},
        {TOK_INT, 36, 38, NULL},          {TOK_RBRACE, 43, 44, NULL},
        {TOK_YYEOF, 44, 44, NULL},
    };
    assert_int_equal(l->n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < l->n; i++) {
        assert_int_equal(l->toks[i].kind, want[i].kind);
        assert_int_equal(l->toks[i].start, want[i].start);
        assert_int_equal(l->toks[i].end, want[i].end);
        if (want[i].text)
            assert_string_equal(l->toks[i].value.str, want[i].text);
    }
    assert_int_equal(l->toks[8].value.num, 10);
}

/* ---- control ids ------------------------------------------------------------ */

static void test_lexer_control_ids(void **state)
{
    static const struct {
        const char *label, *text;
        int kinds[8];
        const char *first_text;
    } cases[] = {
        {"exact", "PR.AA-01", {TOK_CONTROL_ID, END}, "PR.AA-01"},
        {"two in a list", "GV.OC-01,DE.CM-09", {TOK_CONTROL_ID, TOK_COMMA, TOK_CONTROL_ID, END},
         "GV.OC-01"},
        {"three digits (one token: the compiler suggests the real id)", "PR.AA-012", {TOK_CONTROL_ID, END},
         "PR.AA-012"},
        {"four digits", "PR.AA-0123",
         {TOK_IDENT, TOK_DOT, TOK_IDENT, TOK_MINUS, TOK_INT, END}, "PR"},
        {"lower case", "pr.aa-01",
         {TOK_IDENT, TOK_DOT, TOK_IDENT, TOK_MINUS, TOK_INT, END}, "pr"},
        {"spaced", "PR.AA - 01",
         {TOK_IDENT, TOK_DOT, TOK_IDENT, TOK_MINUS, TOK_INT, END}, "PR"},
        {"one digit (one token: the compiler suggests PR.AA-01)", "PR.AA-1", {TOK_CONTROL_ID, END}, "PR.AA-1"},
        {"longer prefix", "XPR.AA-01",
         {TOK_IDENT, TOK_DOT, TOK_IDENT, TOK_MINUS, TOK_INT, END}, "XPR"},
        {"field access", "a.PR", {TOK_IDENT, TOK_DOT, TOK_IDENT, END}, "a"},
    };
    lexed *l = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lex(l, cases[i].text);
        check_kinds(cases[i].label, l, cases[i].kinds);
        assert_string_equal(l->toks[0].value.str, cases[i].first_text);
        assert_int_equal(l->diags.n, 0);
    }
    lex(l, "PR.AA-01x");
    int bad[] = {TOK_IDENT, TOK_DOT, TOK_IDENT, TOK_MINUS, TOK_INT, END};
    check_kinds("trailing letter", l, bad);
    check_diag("trailing letter", l, 0,
               "1:7-10: invalid duration '01x': the unit is d (days), w (weeks), h (hours) "
               "or m (minutes)");
    lex(l, "PR.AA-0123");
    assert_int_equal(l->toks[0].end, 2);
    assert_int_equal(l->toks[4].start, 6);
    assert_int_equal(l->toks[4].value.num, 123);
}

/* ---- numbers ----------------------------------------------------------------- */

static void test_lexer_numbers(void **state)
{
    static const struct {
        const char *text;
        int kind;
        int64_t num;
        double dbl;
    } cases[] = {
        {"0", TOK_INT, 0, 0},
        {"42", TOK_INT, 42, 0},
        {"007", TOK_INT, 7, 0},
        {"9223372036854775807", TOK_INT, INT64_MAX, 0},
        {"90d", TOK_DURATION, 90 * 86400, 0},
        {"2w", TOK_DURATION, 2 * 7 * 86400, 0},
        {"12h", TOK_DURATION, 12 * 3600, 0},
        {"30m", TOK_DURATION, 30 * 60, 0},
        {"365d", TOK_DURATION, 365 * 86400, 0},
        {"0d", TOK_DURATION, 0, 0},
        {"15250284452471w", TOK_DURATION, 15250284452471LL * 604800, 0},
        {"1.5", TOK_DOUBLE, 0, 1.5},
        {"0.25", TOK_DOUBLE, 0, 0.25},
        {"1e3", TOK_DOUBLE, 0, 1000.0},
        {"2.5E-3", TOK_DOUBLE, 0, 0.0025},
        {"7e+2", TOK_DOUBLE, 0, 700.0},
    };
    lexed *l = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lex(l, cases[i].text);
        if (l->n != 2 || l->toks[0].kind != cases[i].kind)
            fail_msg("%s: got %s", cases[i].text, parse_token_name(l->toks[0].kind));
        if (cases[i].kind == TOK_DOUBLE)
            assert_true(l->toks[0].value.dbl == cases[i].dbl);
        else if (l->toks[0].value.num != cases[i].num)
            fail_msg("%s: got %lld", cases[i].text, (long long)l->toks[0].value.num);
        assert_int_equal(l->toks[0].start, 0);
        assert_int_equal(l->toks[0].end, strlen(cases[i].text));
        assert_int_equal(l->diags.n, 0);
    }
}

static void test_lexer_number_errors(void **state)
{
    static const struct {
        const char *text, *diag;
        int kind;
    } cases[] = {
        {"x = 9223372036854775808",
         "1:5-24: integer 9223372036854775808 is too large (the maximum is 9223372036854775807)",
         TOK_INT},
        {"x = 99999999999999999999d", "1:5-26: duration 99999999999999999999d is too large",
         TOK_DURATION},
        {"x = 15250284452472w", "1:5-20: duration 15250284452472w is too large", TOK_DURATION},
        {"x = 10x",
         "1:5-8: invalid duration '10x': the unit is d (days), w (weeks), h (hours) or m "
         "(minutes)",
         TOK_INT},
        {"x = 2weeks", "1:5-11: invalid number '2weeks'", TOK_INT},
        {"x = 1.5d", "1:5-9: invalid number '1.5d'", TOK_DOUBLE},
        {"x = 1e999", "1:5-10: number 1e999 is out of range", TOK_DOUBLE},
    };
    lexed *l = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lex(l, cases[i].text);
        int kinds[] = {TOK_IDENT, TOK_ASSIGN, cases[i].kind, END};
        check_kinds(cases[i].text, l, kinds);
        assert_int_equal(l->diags.n, 1);
        assert_int_equal(l->diags.errors, 1);
        check_diag(cases[i].text, l, 0, cases[i].diag);
    }
}

/* ---- strings ------------------------------------------------------------------- */

/* The single literal piece of string token 0. */
static const ast_str_part *plain_part(const lexed *l, const char *label)
{
    if (l->toks[0].kind != TOK_STRING)
        fail_msg("%s: not a string", label);
    const ast *s = l->toks[0].value.node;
    assert_int_equal(s->kind, AST_STRING);
    if (s->u.str.n != 1 || !s->u.str.parts[0].text)
        fail_msg("%s: %u pieces", label, s->u.str.n);
    return &s->u.str.parts[0];
}

static void test_lexer_escapes(void **state)
{
    static const struct {
        const char *label, *text, *want;
        size_t want_len;
    } cases[] = {
        {"plain", "\"abc\"", "abc", 3},
        {"empty", "\"\"", "", 0},
        {"quote", "\"a\\\"b\"", "a\"b", 3},
        {"backslash", "\"a\\\\b\"", "a\\b", 3},
        {"slash", "\"a\\/b\"", "a/b", 3},
        {"newline tab cr", "\"\\n\\t\\r\"", "\n\t\r", 3},
        {"unicode ascii", "\"\\u{41}\"", "A", 1},
        {"unicode 2 bytes", "\"\\u{e9}\"", "\xC3\xA9", 2},
        {"unicode 3 bytes", "\"\\u{20AC}\"", "\xE2\x82\xAC", 3},
        {"unicode emoji", "\"\\u{1F600}\"", "\xF0\x9F\x98\x80", 4},
        {"unicode max", "\"\\u{10FFFF}\"", "\xF4\x8F\xBF\xBF", 4},
        {"doubled braces", "\"{{x}}\"", "{x}", 3},
        {"raw utf-8", "\"caf\xC3\xA9\"", "caf\xC3\xA9", 5},
        {"hash is text", "\"a # b\"", "a # b", 5},
    };
    lexed *l = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lex(l, cases[i].text);
        int kinds[] = {TOK_STRING, END};
        check_kinds(cases[i].label, l, kinds);
        const ast_str_part *p = plain_part(l, cases[i].label);
        assert_int_equal(p->len, cases[i].want_len);
        assert_memory_equal(p->text, cases[i].want, cases[i].want_len + 1);
        assert_int_equal(l->toks[0].start, 0);
        assert_int_equal(l->toks[0].end, strlen(cases[i].text));
        if (l->diags.n)
            fail_msg("%s: %s", cases[i].label, l->diags.items[0].msg);
    }
}

static void test_lexer_string_errors(void **state)
{
    static const struct {
        const char *label, *text, *diag;
        int kinds[6];
    } cases[] = {
        {"bad escape", "x = \"a\\qb\" y",
         "1:7-9: invalid escape '\\q' (the escapes are \\\" \\\\ \\/ \\n \\t \\r \\u{X})",
         {TOK_IDENT, TOK_ASSIGN, TOK_STRING, TOK_IDENT, END}},
        {"bad unicode", "\"\\u{110000}\"",
         "1:2-12: invalid Unicode escape '\\u{110000}': not a Unicode scalar value",
         {TOK_STRING, END}},
        {"surrogate", "\"\\u{D800}\"",
         "1:2-10: invalid Unicode escape '\\u{D800}': not a Unicode scalar value",
         {TOK_STRING, END}},
        {"unicode without braces", "\"\\u0041\"",
         "1:2-4: invalid Unicode escape: write \\u{XXXX} with 1 to 6 hex digits",
         {TOK_STRING, END}},
        {"single close brace", "\"a}b\"", "1:3-4: a '}' in a string must be doubled: '}}'",
         {TOK_STRING, END}},
        {"unterminated at newline", "x = \"abc\ny", "1:5-9: unterminated string",
         {TOK_IDENT, TOK_ASSIGN, TOK_STRING, TOK_IDENT, END}},
        {"unterminated at end", "x = \"abc", "1:5-9: unterminated string",
         {TOK_IDENT, TOK_ASSIGN, TOK_STRING, END}},
        {"unterminated in interpolation", "\"a {b\nc", "1:1-6: unterminated string",
         {TOK_STRING, TOK_IDENT, END}},
        {"unterminated nested string", "\"a {f(\"b)}\"\nc", "1:1-12: unterminated string",
         {TOK_STRING, TOK_IDENT, END}},
        {"backslash at end of line", "\"a\\\nb", "1:3-4: invalid escape '\\' at the end of the line",
         {TOK_STRING, TOK_IDENT, END}},
    };
    lexed *l = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lex(l, cases[i].text);
        check_kinds(cases[i].label, l, cases[i].kinds);
        assert_true(l->diags.n >= 1);
        check_diag(cases[i].label, l, 0, cases[i].diag);
    }
    /* scanning goes on after a bad escape: the rest of the string is kept */
    lex(l, "\"a\\qb\"");
    const ast_str_part *p = plain_part(l, "bad escape text");
    assert_string_equal(p->text, "ab");
    /* the unterminated string keeps what it had, and the token ends there */
    lex(l, "x = \"abc\ny");
    assert_int_equal(l->toks[2].start, 4);
    assert_int_equal(l->toks[2].end, 8);
    assert_string_equal(l->toks[2].value.node->u.str.parts[0].text, "abc");
    assert_int_equal(l->toks[3].start, 9);
}

static void test_lexer_interpolation_parts(void **state)
{
    lexed *l = *state;
    /* the string spans [4, 28): m = "a{x}b{{c}}{f(y, "}}")}" */
    lex(l, "m = \"a{x}b{{c}}{f(y, \"}}\")}\"");
    int kinds[] = {TOK_IDENT, TOK_ASSIGN, TOK_STRING, END};
    check_kinds("interpolation", l, kinds);
    assert_int_equal(l->diags.n, 0);
    const ast *s = l->toks[2].value.node;
    assert_int_equal(s->start, 4);
    assert_int_equal(s->end, 28);
    assert_int_equal(s->u.str.n, 4);
    assert_string_equal(s->u.str.parts[0].text, "a");
    assert_null(s->u.str.parts[1].text);
    const ast *x = s->u.str.parts[1].expr;
    assert_int_equal(x->kind, AST_NAME);
    assert_string_equal(x->u.name, "x");
    assert_int_equal(x->start, 7);
    assert_int_equal(x->end, 8);
    assert_string_equal(s->u.str.parts[2].text, "b{c}");
    assert_int_equal(s->u.str.parts[2].len, 4);
    const ast *call = s->u.str.parts[3].expr;
    assert_int_equal(call->kind, AST_CALL);
    assert_int_equal(call->start, 16);
    assert_int_equal(call->end, 26);
    assert_int_equal(call->u.call.args.n, 2);
    const ast *inner = call->u.call.args.items[1];
    assert_int_equal(inner->kind, AST_STRING);
    assert_int_equal(inner->start, 21);
    assert_int_equal(inner->end, 25);
    assert_string_equal(inner->u.str.parts[0].text, "}");
}

static void test_lexer_interpolation_error_position(void **state)
{
    lexed *l = *state;
    lex(l, "a\n  \"x {y +} z {}\"");
    assert_int_equal(l->diags.n, 2);
    check_diag("dangling operator", l, 0, "2:10-11: syntax error: unexpected '}', expected expression");
    check_diag("empty", l, 1, "2:15-16: syntax error: unexpected '}', expected expression");
    const ast *s = l->toks[1].value.node;
    assert_int_equal(s->u.str.n, 4);
    assert_int_equal(s->u.str.parts[1].expr->kind, AST_NULL);
}

/* ---- other input -------------------------------------------------------------- */

static void test_lexer_unknown_characters(void **state)
{
    lexed *l = *state;
    lex(l, "a @ b $\x01 \xC3\xA9 c ` \xFF");
    int kinds[] = {TOK_IDENT, TOK_IDENT, TOK_IDENT, END};
    check_kinds("unknown", l, kinds);
    assert_int_equal(l->diags.n, 6);
    check_diag("at", l, 0, "1:3-4: unexpected character '@'");
    check_diag("dollar", l, 1, "1:7-8: unexpected character '$'");
    check_diag("control", l, 2, "1:8-9: unexpected character '\\x01'");
    check_diag("utf-8", l, 3, "1:10-12: unexpected character '\xC3\xA9'");
    check_diag("backquote", l, 4, "1:15-16: unexpected character '`'");
    check_diag("bad byte", l, 5, "1:17-18: unexpected character '\\xff'");

    lex(l, "a && b || !c");
    int kinds2[] = {TOK_IDENT, TOK_AND, TOK_IDENT, TOK_OR, TOK_NOT, TOK_IDENT, END};
    check_kinds("c operators", l, kinds2);
    check_diag("&&", l, 0, "1:3-5: unexpected '&&'; write 'and'");
    check_diag("||", l, 1, "1:8-10: unexpected '||'; write 'or'");
    check_diag("!", l, 2, "1:11-12: unexpected '!'; write 'not'");
}

static void test_lexer_manifest_word(void **state)
{
    static const struct {
        const char *label, *text;
        int kinds[6];
        const char *word;
    } cases[] = {
        {"raw", "uses manifest ai-inventory/v1alpha1",
         {TOK_USES, TOK_MANIFEST, TOK_RAW_WORD, END}, "ai-inventory/v1alpha1"},
        {"comment between", "uses manifest # c\n  a.b_c-1/x",
         {TOK_USES, TOK_MANIFEST, TOK_RAW_WORD, END}, "a.b_c-1/x"},
        {"quoted", "uses manifest \"x y\"", {TOK_USES, TOK_MANIFEST, TOK_STRING, END}, NULL},
        {"then a declaration", "uses manifest\nimport x",
         {TOK_USES, TOK_MANIFEST, TOK_IMPORT, TOK_IDENT, END}, NULL},
        {"only after uses", "x manifest a-b", {TOK_IDENT, TOK_MANIFEST, TOK_IDENT, TOK_MINUS,
                                              TOK_IDENT, END}, NULL},
    };
    lexed *l = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lex(l, cases[i].text);
        check_kinds(cases[i].label, l, cases[i].kinds);
        if (cases[i].word)
            assert_string_equal(l->toks[2].value.str, cases[i].word);
        assert_int_equal(l->diags.n, 0);
    }
}

static void test_lexer_keyword_table(void **state)
{
    static const struct {
        const char *word;
        int tok, reserved;
    } cases[] = {
        {"control", TOK_CONTROL, 1}, {"for", TOK_FOR, 1},       {"count", TOK_COUNT, 1},
        {"in", TOK_IN, 1},           {"null", TOK_NULL, 1},     {"now", TOK_NOW, 0},
        {"title", TOK_TITLE, 0},     {"within", TOK_WITHIN, 0}, {"as", TOK_AS, 0},
        {"params", TOK_PARAMS, 0},   {"exists", 0, 0},          {"secure", 0, 0},
        {"Control", 0, 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int reserved = -1;
        int tok = lex_keyword(cases[i].word, strlen(cases[i].word), &reserved);
        assert_int_equal(tok, cases[i].tok);
        if (tok)
            assert_int_equal(reserved, cases[i].reserved);
    }
}

/* the yylex wrapper inserts MISSING_* closers where a token proves brackets open. */
static void test_lexer_missing_closers(void **state)
{
    static const struct {
        const char *label, *text;
        int kinds[12];
    } cases[] = {
        {"paren before brace", "{ f(a }",
         {TOK_LBRACE, TOK_IDENT, TOK_LPAREN, TOK_IDENT, TOK_MISSING_RPAREN, TOK_RBRACE, END}},
        {"at end of input", "{ [ (",
         {TOK_LBRACE, TOK_LBRACKET, TOK_LPAREN, TOK_MISSING_RPAREN, TOK_MISSING_RBRACKET,
          TOK_MISSING_RBRACE, END}},
        {"declaration keyword in a block", "control A { x\ncontrol",
         {TOK_CONTROL, TOK_IDENT, TOK_LBRACE, TOK_IDENT, TOK_MISSING_RBRACE, TOK_CONTROL, END}},
        {"declaration word as a map key", "{a: {control: 1}}",
         {TOK_LBRACE, TOK_IDENT, TOK_COLON, TOK_LBRACE, TOK_CONTROL, TOK_COLON, TOK_INT,
          TOK_RBRACE, TOK_RBRACE, END}},
        {"declaration word as a field", "{ x.control }",
         {TOK_LBRACE, TOK_IDENT, TOK_DOT, TOK_CONTROL, TOK_RBRACE, END}},
        {"statement keyword in parens", "x { f(x require }",
         {TOK_IDENT, TOK_LBRACE, TOK_IDENT, TOK_LPAREN, TOK_IDENT, TOK_MISSING_RPAREN, TOK_REQUIRE,
          TOK_RBRACE, END}},
        {"stray closer", ") ]", {TOK_RPAREN, TOK_RBRACKET, END}},
    };
    lexed *l = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lex(l, cases[i].text);
        check_kinds(cases[i].label, l, cases[i].kinds);
    }
    /* an inserted closer sits at the end of the previous token, carrying
     * the offset of its opener */
    lex(l, "{ f(a }");
    assert_int_equal(l->toks[4].start, 5);
    assert_int_equal(l->toks[4].end, 5);
    assert_int_equal(l->toks[4].value.off, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lexer_token_kinds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lexer_spans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lexer_control_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lexer_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lexer_number_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lexer_escapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lexer_string_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lexer_interpolation_parts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lexer_interpolation_error_position, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lexer_unknown_characters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lexer_manifest_word, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lexer_keyword_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lexer_missing_closers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
