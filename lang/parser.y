/* lang/parser.y - the .aip grammar: a pure bison parser that builds lang/ast.h.
 *
 * It turns tokens from lang/lexer.l into declarations, statements and
 * expressions allocated in the caller's arena, and reports syntax errors to a
 * diag_list without stopping: `error` rules at declaration, statement and
 * bracket boundaries let one run report several (jq parser.y). It checks only
 * what is local to a construct (a focus area's spelling, a priority's range);
 * names, arity, ids and duplicates are the compiler's.
 *
 * Pieces beside the grammar:
 *   yylex (parse_yylex)  wraps the flex scanner: sends a start marker that picks
 *       the entry (a file or one interpolated {expr}), turns each string token
 *       into an AST_STRING (each {expr} parsed by a nested run over its own
 *       byte range, so its nodes and errors carry real file offsets), and
 *       keeps a stack of open brackets. When a token proves brackets unclosed
 *       (a '}' while '(' is open, a declaration keyword inside a block, the end
 *       of input) it first inserts MISSING_* closers; the grammar accepts them
 *       where a closer may stand and reports "expected '}' (to close '{' at
 *       line N)", which keeps recovery from swallowing the rest of the file.
 *   yyreport_syntax_error  writes "syntax error: unexpected X, expected Y",
 *       folding token sets into words (expression, operator, statement...).
 *
 * Precedence, lowest first (see the %precedence block):
 *   all/any/none x in E: body   (body extends as far right as possible)
 *   or < and < not < comparisons == != < <= > >= in (non-associative)
 *   < ?? (left) < + - < * / < unary - < postfix .name [e] f(args)
 */

%define api.pure full
%define api.prefix {parse_yy}
%define api.token.prefix {TOK_}
%define api.header.include {"lang/parser.h"}
%define parse.error custom
%define parse.lac full
%locations
%expect 0

%parse-param {yyscan_t scanner} {parse_ctx *pc}
%lex-param {yyscan_t scanner} {parse_ctx *pc}

%code requires {
#include <stdint.h>

#include "lang/ast.h"

#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif

typedef struct parse_ctx parse_ctx;

/* A token's or a rule's byte range [start, end) in the file. */
typedef struct parse_loc {
    uint32_t start, end;
} parse_loc;
#define PARSE_YYLTYPE parse_loc
#define PARSE_YYLTYPE_IS_DECLARED 1

/* Semantic values that are arrays being built. */
typedef struct parse_idents { ast_ident *items; uint32_t n; } parse_idents;
typedef struct parse_entries { ast_map_entry *items; uint32_t n; } parse_entries;
typedef struct parse_mappings { ast_mapping *items; uint32_t n; } parse_mappings;
/* a.b.c: the joined text and its last component (an import's alias). */
typedef struct parse_dotted { const char *text; ast_ident last; } parse_dotted;
/* priority secure 1, defend 2: levels by focus index, 0 = not given. */
typedef struct parse_prio { unsigned char level[3]; } parse_prio;
}

%code {
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/parse_int.h"

/* flex's header would claim the name yylex; the parser's yylex is the
 * wrapper below (bison renames it parse_yylex). */
#undef yylex
#include "lang/lexer.h"
#undef yylex
#define yylex parse_yylex

/* An open bracket, as the yylex wrapper saw it. */
typedef struct parse_bracket {
    uint32_t off;          /* offset of the opener */
    char ch;               /* '{', '(' or '[' */
    char is_map;           /* '{' that opens a map literal, not a block */
} parse_bracket;

struct parse_ctx {
    const src_file *src;   /* the file */
    arena *mem;            /* the AST goes here */
    diag_list *diags;      /* errors go here */
    lex_state *lex;        /* this run's scanner state */
    int mode;              /* PARSE_MODE_FILE or PARSE_MODE_INTERP */
    unsigned depth;        /* enclosing interpolations */
    unsigned syntax_errors;

    /* the yylex wrapper's token stream */
    int started;           /* the start marker was sent */
    int interp_end_sent;   /* INTERP_END was sent (interpolation mode) */
    uint32_t last_end;     /* end of the previous real token */
    int last_pushed;       /* the previous token opened a bracket */
    parse_bracket *br;     /* open brackets, innermost last (funnel memory) */
    uint32_t nbr;
    size_t br_cap;
    uint32_t ninject;      /* MISSING_* closers still to send before pending */
    int inject_reported;   /* a closer of this batch was reported missing */
    int have_pending;      /* a real token waits behind the closers */
    int pending_kind;
    PARSE_YYSTYPE pending_val;
    parse_loc pending_loc;

    /* results */
    ast_list decls;        /* PARSE_MODE_FILE */
    ast *expr;             /* PARSE_MODE_INTERP */
};

/* Span first..last symbol; an empty rule sits at the end of the previous. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                          \
    do {                                                     \
        if (N) {                                             \
            (Cur).start = YYRHSLOC(Rhs, 1).start;            \
            (Cur).end = YYRHSLOC(Rhs, N).end;                \
        } else {                                             \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;  \
        }                                                    \
    } while (0)

/* The parser's stacks grow through the funnel (bison 3.8 never uses
 * alloca unless asked). Past YYMAXDEPTH (10000) yyerror reports
 * "expression nested too deeply". */
#define YYMALLOC aip_xmalloc
#define YYFREE aip_free

static int yylex(YYSTYPE *lval, YYLTYPE *lloc, yyscan_t scanner, parse_ctx *pc);
static void yyerror(YYLTYPE *loc, yyscan_t scanner, parse_ctx *pc, const char *msg);

#define NODE(kind, loc) ast_new(pc->mem, (kind), (loc).start, (loc).end)
#define PUSH_ITEM(arr, n, item)                                       \
    do {                                                              \
        (arr) = ast_grow(pc->mem, (arr), (n), sizeof *(arr));         \
        (arr)[(n)++] = (item);                                        \
    } while (0)

static ast_ident parse_ident(parse_ctx *pc, const char *name, YYLTYPE loc);
static const char *parse_plain(parse_ctx *pc, const ast *str, const char *what);
static ast *parse_meta(parse_ctx *pc, ast_meta_kind kind, YYLTYPE loc);
static ast *parse_call(parse_ctx *pc, ast *callee, ast_list args, YYLTYPE loc);
static int parse_focus(parse_ctx *pc, ast_ident word);
static int parse_enforce(parse_ctx *pc, ast_ident word);
static const char *parse_verdict(parse_ctx *pc, ast_ident word);
static void parse_priority(parse_ctx *pc, parse_prio *p, ast_ident area, int64_t level, YYLTYPE level_loc);
static const char *parse_profile_name(parse_ctx *pc, YYLTYPE loc);
static ast_ident parse_file_alias(parse_ctx *pc, const char *path, YYLTYPE loc);
static void parse_missing(parse_ctx *pc, uint32_t opener, char closer, int recovering);
}

%union {
    const char *str;          /* identifiers, keywords, control ids, raw words */
    int64_t num;              /* integers; durations in seconds */
    double dbl;               /* doubles */
    uint32_t off;             /* MISSING_*: offset of the unclosed opener */
    ast *node;
    ast_list list;
    ast_ident ident;
    parse_dotted dotted;
    parse_idents idents;
    ast_map_entry entry;
    parse_entries entries;
    ast_mapping mapping;
    parse_mappings mappings;
    parse_prio prio;
    unsigned bits;
}

%initial-action {
    @$.start = @$.end = pc->lex->off;
}

/* markers and synthetic tokens from the yylex wrapper */
%token START_FILE "start of file" START_INTERP "start of interpolation"
%token INTERP_END "end of interpolation"
%token <off> MISSING_RBRACE "missing '}'" MISSING_RPAREN "missing ')'"
%token <off> MISSING_RBRACKET "missing ']'"

/* values */
%token <str> IDENT "identifier" CONTROL_ID "control id" RAW_WORD "manifest format"
%token <num> INT "integer" DURATION "duration"
%token <dbl> DOUBLE "number"
%token <node> STRING "string"

/* reserved words */
%token <str> PACKAGE "'package'" USES "'uses'" IMPORT "'import'" PARAM "'param'"
%token <str> DEF "'def'" CONTROL "'control'" PROFILE "'profile'" TEST "'test'" RULE "'rule'"
%token <str> FOR "'for'" LET "'let'" REQUIRE "'require'" ATTEST "'attest'"
%token <str> IN "'in'" WHERE "'where'" ELSE "'else'"
%token <str> ALL "'all'" ANY "'any'" NONE "'none'" COUNT "'count'"
%token <str> NOT "'not'" AND "'and'" OR "'or'" TRUE "'true'" FALSE "'false'" NULL "'null'"

/* contextual words: keywords where the grammar expects them, names elsewhere */
%token <str> MANIFEST "'manifest'" AS "'as'" WITHIN "'within'"
%token <str> TITLE "'title'" FOCUS "'focus'" PRIORITY "'priority'" ENFORCE "'enforce'"
%token <str> EVIDENCE "'evidence'" MAPS "'maps'" HELP "'help'"
%token <str> NOW "'now'" GIVEN "'given'" PARAMS "'params'" EXPECT "'expect'" FINDINGS "'findings'"

/* punctuation */
%token EQ "'=='" NE "'!='" LE "'<='" GE "'>='" LT "'<'" GT "'>'"
%token PLUS "'+'" MINUS "'-'" STAR "'*'" SLASH "'/'" COALESCE "'??'"
%token DOT "'.'" COMMA "','" COLON "':'" ASSIGN "'='"
%token LPAREN "'('" RPAREN "')'" LBRACKET "'['" RBRACKET "']'" LBRACE "'{'" RBRACE "'}'"

%precedence QUANT
%left OR
%left AND
%precedence NOT
%nonassoc EQ NE LT LE GT GE IN
%left COALESCE
%left PLUS MINUS
%left STAR SLASH
%precedence UMINUS
%precedence DOT LBRACKET LPAREN

%type <list> decls control_items stmts test_items opt_args arg_list opt_elems elem_list
%type <list> string_list
%type <node> decl control_item stmt meta test_item expr map_lit opt_where
%type <ident> name any_word
%type <dotted> dotted
%type <idents> opt_params param_list opt_ids id_list
%type <entry> entry
%type <entries> opt_entries entry_list
%type <mapping> mapping
%type <mappings> mapping_list
%type <prio> priority_list
%type <bits> focus_list
%type <num> quant_kw
%type <str> profile_name dashed_name opt_title

%%

start
    : START_FILE decls                  { pc->decls = $2; }
    | START_INTERP expr INTERP_END      { pc->expr = $2; }
    | START_INTERP error INTERP_END     { pc->expr = NULL; }
    ;

/* ---- declarations --------------------------------------------------------- */

decls
    : %empty                            { $$ = (ast_list){0}; }
    | decls decl                        { $$ = $1; ast_list_push(pc->mem, &$$, $2); }
    | decls error                       { $$ = $1; }
    ;

decl
    : PACKAGE dotted
        {
            $$ = NODE(AST_PACKAGE, @$);
            $$->u.package.name = $2.text;
        }
    | USES MANIFEST RAW_WORD
        {
            $$ = NODE(AST_USES, @$);
            $$->u.uses.format = $3;
        }
    | USES MANIFEST STRING
        {
            $$ = NODE(AST_USES, @$);
            $$->u.uses.format = parse_plain(pc, $3, "a manifest format");
        }
    | IMPORT dotted
        {
            $$ = NODE(AST_IMPORT, @$);
            $$->u.import.module = $2.text;
            $$->u.import.alias = $2.last;
        }
    | IMPORT dotted AS name
        {
            $$ = NODE(AST_IMPORT, @$);
            $$->u.import.module = $2.text;
            $$->u.import.alias = $4;
        }
    | IMPORT STRING AS name
        {
            $$ = NODE(AST_IMPORT, @$);
            $$->u.import.path = parse_plain(pc, $2, "a file name");
            $$->u.import.alias = $4;
        }
    | IMPORT STRING
        {
            /* import "x.aip": the alias is the file's base name */
            $$ = NODE(AST_IMPORT, @$);
            $$->u.import.path = parse_plain(pc, $2, "a file name");
            $$->u.import.alias = parse_file_alias(pc, $$->u.import.path, @2);
        }
    | PARAM name ASSIGN expr
        {
            $$ = NODE(AST_PARAM, @$);
            $$->u.param.name = $2;
            $$->u.param.value = $4;
        }
    | DEF name LPAREN opt_params rparen ASSIGN expr
        {
            $$ = NODE(AST_DEF, @$);
            $$->u.def.name = $2;
            $$->u.def.params = $4.items;
            $$->u.def.nparams = $4.n;
            $$->u.def.body = $7;
        }
    | CONTROL CONTROL_ID LBRACE control_items rbrace
        {
            $$ = NODE(AST_CONTROL, @$);
            $$->u.control.id = parse_ident(pc, $2, @2);
            $$->u.control.items = $4;
        }
    | RULE name LBRACE control_items rbrace
        {
            $$ = NODE(AST_CONTROL, @$);
            $$->u.control.id = $2;
            $$->u.control.items = $4;
            $$->u.control.is_rule = 1;
        }
    | PROFILE profile_name opt_title LBRACE opt_ids rbrace
        {
            $$ = NODE(AST_PROFILE, @$);
            $$->u.profile.name = parse_ident(pc, $2, @2);
            $$->u.profile.title = $3;
            $$->u.profile.ids = $5.items;
            $$->u.profile.nids = $5.n;
        }
    | PROFILE profile_name opt_title LBRACE error rbrace
        {
            $$ = NODE(AST_PROFILE, @$);
            $$->u.profile.name = parse_ident(pc, $2, @2);
            $$->u.profile.title = $3;
        }
    | TEST STRING LBRACE test_items rbrace
        {
            $$ = NODE(AST_TEST, @$);
            $$->u.test.name = parse_plain(pc, $2, "a test name");
            $$->u.test.items = $4;
        }
    ;

/* dotted -> any_word ('.' any_word)*   (package and module names) */
dotted
    : any_word                          { $$.text = $1.name; $$.last = $1; }
    | dotted DOT any_word
        {
            $$.text = arena_printf(pc->mem, "%s.%s", $1.text, $3.name);
            if (!$$.text)
                $$.text = ast_strndup(pc->mem, "", 0);
            $$.last = $3;
        }
    ;

opt_params
    : %empty                            { $$ = (parse_idents){0}; }
    | param_list                        { $$ = $1; }
    | param_list COMMA                  { $$ = $1; }
    ;

param_list
    : name                              { $$ = (parse_idents){0}; PUSH_ITEM($$.items, $$.n, $1); }
    | param_list COMMA name             { $$ = $1; PUSH_ITEM($$.items, $$.n, $3); }
    ;

/* profile_name -> STRING | dashed_name   (sme-baseline, or "sme-baseline") */
profile_name
    : STRING                            { $$ = parse_plain(pc, $1, "a profile name"); }
    | dashed_name                       { $$ = parse_profile_name(pc, @1); }
    ;

dashed_name
    : any_word                          { $$ = $1.name; }
    | dashed_name MINUS any_word        { $$ = $1; }
    | dashed_name MINUS INT             { $$ = $1; }
    ;

opt_title
    : %empty                            { $$ = NULL; }
    | STRING                            { $$ = parse_plain(pc, $1, "a profile title"); }
    ;

opt_ids
    : %empty                            { $$ = (parse_idents){0}; }
    | id_list                           { $$ = $1; }
    | id_list COMMA                     { $$ = $1; }
    ;

id_list
    : CONTROL_ID
        {
            $$ = (parse_idents){0};
            PUSH_ITEM($$.items, $$.n, parse_ident(pc, $1, @1));
        }
    | id_list COMMA CONTROL_ID
        {
            $$ = $1;
            PUSH_ITEM($$.items, $$.n, parse_ident(pc, $3, @3));
        }
    ;

/* ---- control bodies ------------------------------------------------------- */

control_items
    : %empty                            { $$ = (ast_list){0}; }
    | control_items control_item        { $$ = $1; ast_list_push(pc->mem, &$$, $2); }
    | control_items error               { $$ = $1; }
    ;

control_item
    : meta
    | stmt
    ;

/* meta -> title STRING | focus areas | priority area N, ... | enforce word
 *       | evidence STRING, ... | maps framework STRING, ... */
meta
    : TITLE STRING
        {
            $$ = parse_meta(pc, META_TITLE, @$);
            $$->u.meta.text = parse_plain(pc, $2, "a title");
        }
    | FOCUS focus_list
        {
            $$ = parse_meta(pc, META_FOCUS, @$);
            $$->u.meta.focus = $2;
        }
    | PRIORITY priority_list
        {
            $$ = parse_meta(pc, META_PRIORITY, @$);
            memcpy($$->u.meta.priority, $2.level, 3);
        }
    | ENFORCE name
        {
            $$ = parse_meta(pc, META_ENFORCE, @$);
            $$->u.meta.enforce = parse_enforce(pc, $2);
        }
    | EVIDENCE string_list
        {
            $$ = parse_meta(pc, META_EVIDENCE, @$);
            $$->u.meta.strings = $2;
        }
    | HELP STRING
        {
            $$ = parse_meta(pc, META_HELP, @$);
            $$->u.meta.text = parse_plain(pc, $2, "help text");
        }
    | HELP name
        {
            $$ = parse_meta(pc, META_HELP, @$);
            $$->u.meta.help_ref = $2;
        }
    | MAPS mapping_list
        {
            $$ = parse_meta(pc, META_MAPS, @$);
            $$->u.meta.maps.items = $2.items;
            $$->u.meta.maps.n = $2.n;
        }
    ;

focus_list
    : name
        {
            int f = parse_focus(pc, $1);
            $$ = f < 0 ? 0u : 1u << f;
        }
    | focus_list COMMA name
        {
            int f = parse_focus(pc, $3);
            $$ = $1;
            if (f >= 0 && ($$ & (1u << f)))
                diag_add(pc->diags, DIAG_ERROR, pc->src, @3.start, @3.end,
                         "focus area '%s' is listed twice", $3.name);
            else if (f >= 0)
                $$ |= 1u << f;
        }
    ;

priority_list
    : name INT
        {
            memset(&$$, 0, sizeof $$);
            parse_priority(pc, &$$, $1, $2, @2);
        }
    | priority_list COMMA name INT
        {
            $$ = $1;
            parse_priority(pc, &$$, $3, $4, @4);
        }
    ;

string_list
    : STRING
        {
            $$ = (ast_list){0};
            parse_plain(pc, $1, "evidence");
            ast_list_push(pc->mem, &$$, $1);
        }
    | string_list COMMA STRING
        {
            $$ = $1;
            parse_plain(pc, $3, "evidence");
            ast_list_push(pc->mem, &$$, $3);
        }
    ;

mapping_list
    : mapping                           { $$ = (parse_mappings){0}; PUSH_ITEM($$.items, $$.n, $1); }
    | mapping_list COMMA mapping        { $$ = $1; PUSH_ITEM($$.items, $$.n, $3); }
    ;

mapping
    : name STRING
        {
            $$.framework = $1.name;
            $$.ref = parse_plain(pc, $2, "a mapping reference");
            $$.start = @$.start;
            $$.end = @$.end;
        }
    ;

/* ---- statements ------------------------------------------------------------ */

stmts
    : %empty                            { $$ = (ast_list){0}; }
    | stmts stmt                        { $$ = $1; ast_list_push(pc->mem, &$$, $2); }
    | stmts error                       { $$ = $1; }
    ;

stmt
    : FOR name IN expr opt_where LBRACE stmts rbrace
        {
            $$ = NODE(AST_FOR, @$);
            $$->u.forstmt.var = $2;
            $$->u.forstmt.coll = $4;
            $$->u.forstmt.where = $5;
            $$->u.forstmt.body = $7;
        }
    | LET name ASSIGN expr
        {
            $$ = NODE(AST_LET, @$);
            $$->u.let.var = $2;
            $$->u.let.value = $4;
        }
    | REQUIRE expr
        {
            $$ = NODE(AST_REQUIRE, @$);
            $$->u.require.cond = $2;
        }
    | REQUIRE expr ELSE STRING
        {
            $$ = NODE(AST_REQUIRE, @$);
            $$->u.require.cond = $2;
            $$->u.require.message = $4;
        }
    | ATTEST WITHIN DURATION
        {
            $$ = NODE(AST_ATTEST, @$);
            $$->u.attest.within = NODE(AST_DURATION, @3);
            $$->u.attest.within->u.i = $3;
        }
    | ATTEST WITHIN name
        {
            /* a duration param: attest within review_cycle */
            $$ = NODE(AST_ATTEST, @$);
            $$->u.attest.within = NODE(AST_NAME, @3);
            $$->u.attest.within->u.name = $3.name;
        }
    ;

opt_where
    : %empty                            { $$ = NULL; }
    | WHERE expr                        { $$ = $2; }
    ;

/* ---- tests ----------------------------------------------------------------- */

test_items
    : %empty                            { $$ = (ast_list){0}; }
    | test_items test_item              { $$ = $1; ast_list_push(pc->mem, &$$, $2); }
    | test_items error                  { $$ = $1; }
    ;

test_item
    : NOW STRING
        {
            $$ = NODE(AST_TEST_NOW, @$);
            $$->u.test_now.date = parse_plain(pc, $2, "a date");
        }
    | GIVEN STRING
        {
            $$ = NODE(AST_TEST_GIVEN, @$);
            $$->u.test_given.path = parse_plain(pc, $2, "a file name");
        }
    | GIVEN map_lit
        {
            $$ = NODE(AST_TEST_GIVEN, @$);
            $$->u.test_given.facts = $2;
        }
    | PARAMS map_lit
        {
            $$ = NODE(AST_TEST_PARAMS, @$);
            $$->u.test_params.map = $2;
        }
    | EXPECT CONTROL_ID name
        {
            $$ = NODE(AST_TEST_EXPECT, @$);
            $$->u.test_expect.id = parse_ident(pc, $2, @2);
            $$->u.test_expect.verdict = parse_verdict(pc, $3);
            $$->u.test_expect.verdict_start = @3.start;
            $$->u.test_expect.verdict_end = @3.end;
            $$->u.test_expect.findings = -1;
        }
    | EXPECT CONTROL_ID name FINDINGS INT
        {
            $$ = NODE(AST_TEST_EXPECT, @$);
            $$->u.test_expect.id = parse_ident(pc, $2, @2);
            $$->u.test_expect.verdict = parse_verdict(pc, $3);
            $$->u.test_expect.verdict_start = @3.start;
            $$->u.test_expect.verdict_end = @3.end;
            $$->u.test_expect.findings = $5;
        }
    ;

/* ---- expressions --------------------------------------------------------- */

expr
    : expr OR expr                      { $$ = ast_new_binary(pc->mem, OPX_OR, $1, $3); }
    | expr AND expr                     { $$ = ast_new_binary(pc->mem, OPX_AND, $1, $3); }
    | NOT expr                          { $$ = ast_new_unary(pc->mem, OPX_NOT, $2, @1.start); }
    | expr EQ expr                      { $$ = ast_new_binary(pc->mem, OPX_EQ, $1, $3); }
    | expr NE expr                      { $$ = ast_new_binary(pc->mem, OPX_NE, $1, $3); }
    | expr LT expr                      { $$ = ast_new_binary(pc->mem, OPX_LT, $1, $3); }
    | expr LE expr                      { $$ = ast_new_binary(pc->mem, OPX_LE, $1, $3); }
    | expr GT expr                      { $$ = ast_new_binary(pc->mem, OPX_GT, $1, $3); }
    | expr GE expr                      { $$ = ast_new_binary(pc->mem, OPX_GE, $1, $3); }
    | expr IN expr                      { $$ = ast_new_binary(pc->mem, OPX_IN, $1, $3); }
    | expr COALESCE expr                { $$ = ast_new_binary(pc->mem, OPX_COALESCE, $1, $3); }
    | expr PLUS expr                    { $$ = ast_new_binary(pc->mem, OPX_ADD, $1, $3); }
    | expr MINUS expr                   { $$ = ast_new_binary(pc->mem, OPX_SUB, $1, $3); }
    | expr STAR expr                    { $$ = ast_new_binary(pc->mem, OPX_MUL, $1, $3); }
    | expr SLASH expr                   { $$ = ast_new_binary(pc->mem, OPX_DIV, $1, $3); }
    | MINUS expr %prec UMINUS           { $$ = ast_new_unary(pc->mem, OPX_NEG, $2, @1.start); }
    /* quant -> all|any|none name in expr ':' expr */
    | quant_kw name IN expr COLON expr %prec QUANT
        {
            $$ = NODE(AST_QUANT, @$);
            $$->u.quant.op = (ast_quant)$1;
            $$->u.quant.var = $2;
            $$->u.quant.coll = $4;
            $$->u.quant.cond = $6;
        }
    /* postfix -> expr '.' word | expr '[' expr ']' | expr '(' args ')' */
    | expr DOT any_word
        {
            $$ = NODE(AST_FIELD, @$);
            $$->u.field.obj = $1;
            $$->u.field.name = $3.name;
            $$->u.field.name_start = $3.start;
            $$->u.field.name_end = $3.end;
        }
    | expr LBRACKET expr rbracket
        {
            $$ = NODE(AST_INDEX, @$);
            $$->u.index.obj = $1;
            $$->u.index.key = $3;
        }
    | expr LBRACKET error rbracket
        {
            $$ = NODE(AST_INDEX, @$);
            $$->u.index.obj = $1;
            $$->u.index.key = NODE(AST_NULL, @3);
        }
    | expr LPAREN opt_args rparen       { $$ = parse_call(pc, $1, $3, @$); }
    | expr LPAREN error rparen          { $$ = parse_call(pc, $1, (ast_list){0}, @$); }
    /* count -> count '(' name in expr [where expr] ')' */
    | COUNT LPAREN name IN expr opt_where rparen
        {
            $$ = NODE(AST_COUNT, @$);
            $$->u.quant.op = QUANT_COUNT;
            $$->u.quant.var = $3;
            $$->u.quant.coll = $5;
            $$->u.quant.cond = $6;
        }
    | LPAREN expr rparen                { $$ = $2; $$->start = @1.start; $$->end = @3.end; }
    | LPAREN error rparen               { $$ = NODE(AST_NULL, @$); }
    | LBRACKET opt_elems rbracket
        {
            $$ = NODE(AST_LIST, @$);
            $$->u.list = $2;
        }
    | LBRACKET error rbracket           { $$ = NODE(AST_LIST, @$); }
    | map_lit
    | name
        {
            $$ = NODE(AST_NAME, @$);
            $$->u.name = $1.name;
        }
    | INT                               { $$ = NODE(AST_INT, @$); $$->u.i = $1; }
    | DOUBLE                            { $$ = NODE(AST_DOUBLE, @$); $$->u.d = $1; }
    | DURATION                          { $$ = NODE(AST_DURATION, @$); $$->u.i = $1; }
    | STRING                            { $$ = $1; }
    | TRUE                              { $$ = NODE(AST_BOOL, @$); $$->u.b = 1; }
    | FALSE                             { $$ = NODE(AST_BOOL, @$); $$->u.b = 0; }
    | NULL                              { $$ = NODE(AST_NULL, @$); }
    ;

quant_kw
    : ALL                               { $$ = QUANT_ALL; }
    | ANY                               { $$ = QUANT_ANY; }
    | NONE                              { $$ = QUANT_NONE; }
    ;

opt_args
    : %empty                            { $$ = (ast_list){0}; }
    | arg_list                          { $$ = $1; }
    | arg_list COMMA                    { $$ = $1; }
    ;

arg_list
    : expr                              { $$ = (ast_list){0}; ast_list_push(pc->mem, &$$, $1); }
    | arg_list COMMA expr               { $$ = $1; ast_list_push(pc->mem, &$$, $3); }
    ;

opt_elems
    : %empty                            { $$ = (ast_list){0}; }
    | elem_list                         { $$ = $1; }
    | elem_list COMMA                   { $$ = $1; }
    ;

elem_list
    : expr                              { $$ = (ast_list){0}; ast_list_push(pc->mem, &$$, $1); }
    | elem_list COMMA expr              { $$ = $1; ast_list_push(pc->mem, &$$, $3); }
    ;

/* map_lit -> '{' [entry (',' entry)* [',']] '}' */
map_lit
    : LBRACE opt_entries rbrace
        {
            $$ = NODE(AST_MAP, @$);
            $$->u.map.entries = $2.items;
            $$->u.map.n = $2.n;
        }
    | LBRACE error rbrace               { $$ = NODE(AST_MAP, @$); }
    ;

opt_entries
    : %empty                            { $$ = (parse_entries){0}; }
    | entry_list                        { $$ = $1; }
    | entry_list COMMA                  { $$ = $1; }
    ;

entry_list
    : entry                             { $$ = (parse_entries){0}; PUSH_ITEM($$.items, $$.n, $1); }
    | entry_list COMMA entry            { $$ = $1; PUSH_ITEM($$.items, $$.n, $3); }
    ;

/* entry -> (word | STRING) ':' expr */
entry
    : any_word COLON expr
        {
            $$.key = $1.name;
            $$.key_start = $1.start;
            $$.key_end = $1.end;
            $$.value = $3;
        }
    | STRING COLON expr
        {
            $$.key = parse_plain(pc, $1, "a map key");
            $$.key_start = @1.start;
            $$.key_end = @1.end;
            $$.value = $3;
        }
    ;

/* ---- words and closers --------------------------------------------------- */

/* name -> an identifier, or a contextual word used as one */
name
    : IDENT         { $$ = parse_ident(pc, $1, @1); }
    | MANIFEST      { $$ = parse_ident(pc, $1, @1); }
    | AS            { $$ = parse_ident(pc, $1, @1); }
    | WITHIN        { $$ = parse_ident(pc, $1, @1); }
    | TITLE         { $$ = parse_ident(pc, $1, @1); }
    | FOCUS         { $$ = parse_ident(pc, $1, @1); }
    | PRIORITY      { $$ = parse_ident(pc, $1, @1); }
    | ENFORCE       { $$ = parse_ident(pc, $1, @1); }
    | EVIDENCE      { $$ = parse_ident(pc, $1, @1); }
    | MAPS          { $$ = parse_ident(pc, $1, @1); }
    | HELP          { $$ = parse_ident(pc, $1, @1); }
    | NOW           { $$ = parse_ident(pc, $1, @1); }
    | GIVEN         { $$ = parse_ident(pc, $1, @1); }
    | PARAMS        { $$ = parse_ident(pc, $1, @1); }
    | EXPECT        { $$ = parse_ident(pc, $1, @1); }
    | FINDINGS      { $$ = parse_ident(pc, $1, @1); }
    ;

/* any_word -> name | a reserved word   (after '.', as a map key, in names) */
any_word
    : name
    | PACKAGE       { $$ = parse_ident(pc, $1, @1); }
    | USES          { $$ = parse_ident(pc, $1, @1); }
    | IMPORT        { $$ = parse_ident(pc, $1, @1); }
    | PARAM         { $$ = parse_ident(pc, $1, @1); }
    | DEF           { $$ = parse_ident(pc, $1, @1); }
    | CONTROL       { $$ = parse_ident(pc, $1, @1); }
    | PROFILE       { $$ = parse_ident(pc, $1, @1); }
    | TEST          { $$ = parse_ident(pc, $1, @1); }
    | RULE          { $$ = parse_ident(pc, $1, @1); }
    | FOR           { $$ = parse_ident(pc, $1, @1); }
    | LET           { $$ = parse_ident(pc, $1, @1); }
    | REQUIRE       { $$ = parse_ident(pc, $1, @1); }
    | ATTEST        { $$ = parse_ident(pc, $1, @1); }
    | IN            { $$ = parse_ident(pc, $1, @1); }
    | WHERE         { $$ = parse_ident(pc, $1, @1); }
    | ELSE          { $$ = parse_ident(pc, $1, @1); }
    | ALL           { $$ = parse_ident(pc, $1, @1); }
    | ANY           { $$ = parse_ident(pc, $1, @1); }
    | NONE          { $$ = parse_ident(pc, $1, @1); }
    | COUNT         { $$ = parse_ident(pc, $1, @1); }
    | NOT           { $$ = parse_ident(pc, $1, @1); }
    | AND           { $$ = parse_ident(pc, $1, @1); }
    | OR            { $$ = parse_ident(pc, $1, @1); }
    | TRUE          { $$ = parse_ident(pc, $1, @1); }
    | FALSE         { $$ = parse_ident(pc, $1, @1); }
    | NULL          { $$ = parse_ident(pc, $1, @1); }
    ;

/* A closer, or one the yylex wrapper inserted because the input lacks it. */
rbrace
    : RBRACE
    | MISSING_RBRACE                    { parse_missing(pc, $1, '}', yyerrstatus); }
    ;
rparen
    : RPAREN
    | MISSING_RPAREN                    { parse_missing(pc, $1, ')', yyerrstatus); }
    ;
rbracket
    : RBRACKET
    | MISSING_RBRACKET                  { parse_missing(pc, $1, ']', yyerrstatus); }
    ;

%%

/* ---- semantic helpers ---------------------------------------------------- */

/* An ast_ident for name at loc. */
static ast_ident parse_ident(parse_ctx *pc, const char *name, YYLTYPE loc)
{
    ast_ident id;
    (void)pc;
    id.name = name ? name : "";
    id.start = loc.start;
    id.end = loc.end;
    return id;
}

/* The text of a string that must not interpolate (a title, a path...);
 * what names it in the error ("a title"), which is reported at the first
 * {expr} piece. The expressions are dropped. */
static const char *parse_plain(parse_ctx *pc, const ast *str, const char *what)
{
    size_t len = 0;
    int reported = 0;
    for (uint32_t i = 0; i < str->u.str.n; i++) {
        const ast_str_part *p = &str->u.str.parts[i];
        if (p->text) {
            len += p->len;
        } else if (!reported) {
            diag_add(pc->diags, DIAG_ERROR, pc->src, p->expr->start, p->expr->end,
                     "%s cannot interpolate {...}; write {{ for a literal '{'", what);
            reported = 1;
        }
    }
    char *out = ast_xalloc(pc->mem, len + 1);
    size_t at = 0;
    for (uint32_t i = 0; i < str->u.str.n; i++) {
        const ast_str_part *p = &str->u.str.parts[i];
        if (p->text) {
            memcpy(out + at, p->text, p->len);
            at += p->len;
        }
    }
    out[at] = '\0';
    return out;
}

/* meta -> title ... | focus ... | ...: an AST_META node of kind at loc. */
static ast *parse_meta(parse_ctx *pc, ast_meta_kind kind, YYLTYPE loc)
{
    ast *n = NODE(AST_META, loc);
    n->u.meta.kind = kind;
    return n;
}

/* expr -> expr '(' args ')': only a name or alias.name can be called. */
static ast *parse_call(parse_ctx *pc, ast *callee, ast_list args, YYLTYPE loc)
{
    int ok = callee->kind == AST_NAME ||
             (callee->kind == AST_FIELD && callee->u.field.obj->kind == AST_NAME);
    if (!ok)
        diag_add(pc->diags, DIAG_ERROR, pc->src, callee->start, callee->end,
                 "only a function can be called: write f(...) or module.f(...)");
    ast *n = NODE(AST_CALL, loc);
    n->u.call.callee = callee;
    n->u.call.args = args;
    return n;
}

/* The nearest of words[0..n) to text within distance 2, or NULL. */
static const char *parse_suggest(const char *text, const char *const *words, size_t n)
{
    const char *best = NULL;
    unsigned best_d = 3;
    if (strlen(text) < 3)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned d = diag_edit_distance(text, words[i], 2);
        if (d < best_d) {
            best_d = d;
            best = words[i];
        }
    }
    return best;
}

/* Report word as not one of words[0..n), suggesting the nearest. */
static void parse_bad_word(parse_ctx *pc, ast_ident word, const char *what,
                           const char *const *words, size_t n, const char *list)
{
    const char *s = parse_suggest(word.name, words, n);
    if (s)
        diag_add(pc->diags, DIAG_ERROR, pc->src, word.start, word.end,
                 "unknown %s '%s'; did you mean '%s'?", what, word.name, s);
    else
        diag_add(pc->diags, DIAG_ERROR, pc->src, word.start, word.end,
                 "unknown %s '%s'; expected %s", what, word.name, list);
}

static const char *const parse_focus_words[] = {"secure", "defend", "thwart"};

/* focus_list -> name (',' name)*: the index of one area (secure 0, defend 1,
 * thwart 2), or -1 after reporting an unknown word. */
static int parse_focus(parse_ctx *pc, ast_ident word)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(word.name, parse_focus_words[i]) == 0)
            return i;
    parse_bad_word(pc, word, "focus area", parse_focus_words, 3,
                   "secure, defend or thwart");
    return -1;
}

/* meta -> enforce name: AST_ENFORCE_* (mandatory after an error). */
static int parse_enforce(parse_ctx *pc, ast_ident word)
{
    static const char *const words[] = {"mandatory", "advisory"};
    if (strcmp(word.name, "mandatory") == 0)
        return AST_ENFORCE_MANDATORY;
    if (strcmp(word.name, "advisory") == 0)
        return AST_ENFORCE_ADVISORY;
    parse_bad_word(pc, word, "enforcement", words, 2, "mandatory or advisory");
    return AST_ENFORCE_MANDATORY;
}

/* test_item -> expect CONTROL_ID name [findings INT]: the verdict word,
 * kept as written even when unknown (after reporting it). */
static const char *parse_verdict(parse_ctx *pc, ast_ident word)
{
    static const char *const words[] = {"pass", "fail", "unknown", "not_applicable",
                                        "waived", "error"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(word.name, words[i]) == 0)
            return word.name;
    parse_bad_word(pc, word, "verdict", words, sizeof words / sizeof words[0],
                   "pass, fail, unknown, not_applicable, waived or error");
    return word.name;
}

/* priority_list -> name INT (',' name INT)*: record level for area in p,
 * checking the range 1..3 and repeats. */
static void parse_priority(parse_ctx *pc, parse_prio *p, ast_ident area, int64_t level,
                           YYLTYPE level_loc)
{
    int f = parse_focus(pc, area);
    if (level < 1 || level > 3) {
        diag_add(pc->diags, DIAG_ERROR, pc->src, level_loc.start, level_loc.end,
                 "priority must be 1 (high), 2 (moderate) or 3 (foundational)");
        return;
    }
    if (f < 0)
        return;
    if (p->level[f]) {
        diag_add(pc->diags, DIAG_ERROR, pc->src, area.start, area.end,
                 "priority for '%s' is given twice", area.name);
        return;
    }
    p->level[f] = (unsigned char)level;
}

/* profile_name -> dashed_name -> any_word ('-' (any_word | INT))*: the
 * source text at loc (sme-baseline); the pieces must touch. */
static const char *parse_profile_name(parse_ctx *pc, YYLTYPE loc)
{
    const char *text = pc->src->text + loc.start;
    size_t len = loc.end - loc.start;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r' ||
            text[i] == '#') {
            diag_add(pc->diags, DIAG_ERROR, pc->src, loc.start, loc.end,
                     "a profile name cannot contain spaces; write it without spaces "
                     "or quote it");
            break;
        }
    }
    return ast_strndup(pc->mem, text, len);
}

/* decl -> import STRING (no `as`): the alias is the file's base name
 * without .aip ("dir/x.aip" gives x), when that is a valid name. */
static ast_ident parse_file_alias(parse_ctx *pc, const char *path, YYLTYPE loc)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".aip") == 0)
        len -= 4;
    int ok = len > 0 && !(base[0] >= '0' && base[0] <= '9');
    for (size_t i = 0; i < len && ok; i++) {
        char c = base[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '_';
    }
    int reserved = 0;
    if (ok && lex_keyword(base, len, &reserved) && reserved)
        ok = 0;
    if (!ok) {
        diag_add(pc->diags, DIAG_ERROR, pc->src, loc.start, loc.end,
                 "cannot name this import after its file; add 'as NAME'");
        len = 0;
    }
    return parse_ident(pc, ast_strndup(pc->mem, base, len), loc);
}

/* ---- token names and syntax errors --------------------------------------- */

const char *parse_token_name(int tok)
{
    return yysymbol_name(YYTRANSLATE(tok));
}

/* "identifier 'x'", "integer 12", "'for'": the token kind at loc, for
 * "unexpected ..." */
static void parse_describe(parse_ctx *pc, yysymbol_kind_t kind, YYLTYPE loc, char *out,
                           size_t outlen)
{
    const char *text = pc->src->text + loc.start;
    int len = (int)(loc.end - loc.start);
    if (len > 40)
        len = 40;
    switch (kind) {
    case YYSYMBOL_IDENT:
    case YYSYMBOL_CONTROL_ID:
    case YYSYMBOL_RAW_WORD:
        snprintf(out, outlen, "%s '%.*s'", yysymbol_name(kind), len, text);
        break;
    case YYSYMBOL_INT:
    case YYSYMBOL_DOUBLE:
    case YYSYMBOL_DURATION:
        snprintf(out, outlen, "%s %.*s", yysymbol_name(kind), len, text);
        break;
    case YYSYMBOL_INTERP_END:
        snprintf(out, outlen, "'}'");
        break;
    default:
        snprintf(out, outlen, "%s", yysymbol_name(kind));
        break;
    }
}

static int parse_is_missing(yysymbol_kind_t k)
{
    return k == YYSYMBOL_MISSING_RBRACE || k == YYSYMBOL_MISSING_RPAREN ||
           k == YYSYMBOL_MISSING_RBRACKET;
}

/* Token groups that an expected-token list names with one word. */
static const yysymbol_kind_t parse_names[] = {
    YYSYMBOL_IDENT, YYSYMBOL_MANIFEST, YYSYMBOL_AS, YYSYMBOL_WITHIN, YYSYMBOL_TITLE,
    YYSYMBOL_FOCUS, YYSYMBOL_PRIORITY, YYSYMBOL_ENFORCE, YYSYMBOL_EVIDENCE, YYSYMBOL_MAPS,
    YYSYMBOL_HELP, YYSYMBOL_NOW, YYSYMBOL_GIVEN, YYSYMBOL_PARAMS, YYSYMBOL_EXPECT, YYSYMBOL_FINDINGS,
};
static const yysymbol_kind_t parse_expr_starts[] = {
    YYSYMBOL_INT, YYSYMBOL_DOUBLE, YYSYMBOL_DURATION, YYSYMBOL_STRING, YYSYMBOL_TRUE,
    YYSYMBOL_FALSE, YYSYMBOL_NULL, YYSYMBOL_LPAREN, YYSYMBOL_LBRACKET, YYSYMBOL_LBRACE,
    YYSYMBOL_MINUS, YYSYMBOL_NOT, YYSYMBOL_ALL, YYSYMBOL_ANY, YYSYMBOL_NONE, YYSYMBOL_COUNT,
};
static const yysymbol_kind_t parse_operators[] = {
    YYSYMBOL_OR, YYSYMBOL_AND, YYSYMBOL_EQ, YYSYMBOL_NE, YYSYMBOL_LT, YYSYMBOL_LE,
    YYSYMBOL_GT, YYSYMBOL_GE, YYSYMBOL_IN, YYSYMBOL_COALESCE, YYSYMBOL_PLUS, YYSYMBOL_MINUS,
    YYSYMBOL_STAR, YYSYMBOL_SLASH, YYSYMBOL_DOT, YYSYMBOL_LBRACKET, YYSYMBOL_LPAREN,
};
static const yysymbol_kind_t parse_statements[] = {
    YYSYMBOL_FOR, YYSYMBOL_LET, YYSYMBOL_REQUIRE, YYSYMBOL_ATTEST,
};
static const yysymbol_kind_t parse_metas[] = {
    YYSYMBOL_TITLE, YYSYMBOL_FOCUS, YYSYMBOL_PRIORITY, YYSYMBOL_ENFORCE, YYSYMBOL_EVIDENCE,
    YYSYMBOL_MAPS, YYSYMBOL_HELP,
};
static const yysymbol_kind_t parse_decls[] = {
    YYSYMBOL_PACKAGE, YYSYMBOL_USES, YYSYMBOL_IMPORT, YYSYMBOL_PARAM, YYSYMBOL_DEF,
    YYSYMBOL_CONTROL, YYSYMBOL_PROFILE, YYSYMBOL_TEST, YYSYMBOL_RULE,
};
static const yysymbol_kind_t parse_test_items[] = {
    YYSYMBOL_NOW, YYSYMBOL_GIVEN, YYSYMBOL_PARAMS, YYSYMBOL_EXPECT,
};

#define PARSE_COUNT(a) (sizeof (a) / sizeof (a)[0])

static void parse_clear(unsigned char *set, const yysymbol_kind_t *syms, size_t n)
{
    for (size_t i = 0; i < n; i++)
        set[syms[i]] = 0;
}

/* If set holds first, name the group and remove its members from set. */
static void parse_group(unsigned char *set, yysymbol_kind_t first, const yysymbol_kind_t *syms,
                        size_t n, const char *word, const char **items, size_t *nitems)
{
    if (!set[first])
        return;
    items[(*nitems)++] = word;
    parse_clear(set, syms, n);
}

static int parse_is_closer(yysymbol_kind_t k)
{
    return k == YYSYMBOL_RBRACE || k == YYSYMBOL_RPAREN || k == YYSYMBOL_RBRACKET ||
           k == YYSYMBOL_INTERP_END || k == YYSYMBOL_YYEOF;
}

/* "expression, ',' or ')'" from the expected tokens exp[0..n). */
static void parse_expected(const yysymbol_kind_t *exp, int n, char *out, size_t outlen)
{
    unsigned char set[YYNTOKENS];
    const char *items[YYNTOKENS + 8];
    size_t nitems = 0;
    memset(set, 0, sizeof set);
    for (int i = 0; i < n; i++)
        if (!parse_is_missing(exp[i]) && exp[i] != YYSYMBOL_YYerror &&
            exp[i] != YYSYMBOL_YYUNDEF)
            set[exp[i]] = 1;

    if (set[YYSYMBOL_IDENT] && set[YYSYMBOL_INT]) {
        items[nitems++] = "expression";
        parse_clear(set, parse_names, PARSE_COUNT(parse_names));
        parse_clear(set, parse_expr_starts, PARSE_COUNT(parse_expr_starts));
    } else if (set[YYSYMBOL_IDENT]) {
        items[nitems++] = "identifier";
        parse_clear(set, parse_names, PARSE_COUNT(parse_names));
    }
    parse_group(set, YYSYMBOL_PLUS, parse_operators, PARSE_COUNT(parse_operators), "operator",
                items, &nitems);
    /* single tokens first, then item groups, then closers */
    for (int k = 0; k < YYNTOKENS; k++) {
        int grouped = 0;
        for (size_t j = 0; j < PARSE_COUNT(parse_statements); j++)
            grouped |= parse_statements[j] == k && set[YYSYMBOL_FOR];
        for (size_t j = 0; j < PARSE_COUNT(parse_metas); j++)
            grouped |= parse_metas[j] == k && set[YYSYMBOL_TITLE];
        for (size_t j = 0; j < PARSE_COUNT(parse_decls); j++)
            grouped |= parse_decls[j] == k && set[YYSYMBOL_CONTROL];
        for (size_t j = 0; j < PARSE_COUNT(parse_test_items); j++)
            grouped |= parse_test_items[j] == k && set[YYSYMBOL_EXPECT];
        if (set[k] && !grouped && !parse_is_closer((yysymbol_kind_t)k)) {
            items[nitems++] = yysymbol_name((yysymbol_kind_t)k);
            set[k] = 0;
        }
    }
    parse_group(set, YYSYMBOL_TITLE, parse_metas, PARSE_COUNT(parse_metas), "metadata", items,
                &nitems);
    parse_group(set, YYSYMBOL_FOR, parse_statements, PARSE_COUNT(parse_statements),
                "statement", items, &nitems);
    parse_group(set, YYSYMBOL_EXPECT, parse_test_items, PARSE_COUNT(parse_test_items),
                "test item", items, &nitems);
    parse_group(set, YYSYMBOL_CONTROL, parse_decls, PARSE_COUNT(parse_decls), "declaration",
                items, &nitems);
    for (int k = 0; k < YYNTOKENS; k++)
        if (set[k]) {
            items[nitems++] = k == YYSYMBOL_INTERP_END ? "'}'" : yysymbol_name((yysymbol_kind_t)k);
            set[k] = 0;
        }

    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < nitems && at < outlen; i++) {
        const char *sep = i == 0 ? "" : i + 1 == nitems ? " or " : ", ";
        int w = snprintf(out + at, outlen - at, "%s%s", sep, items[i]);
        if (w < 0)
            break;
        at += (size_t)w;
    }
}

/* The keyword a mistyped identifier most likely meant, among exp[0..n). */
static const char *parse_keyword_suggestion(parse_ctx *pc, YYLTYPE loc,
                                            const yysymbol_kind_t *exp, int n)
{
    char word[64];
    const char *cands[YYNTOKENS];
    char names[YYNTOKENS][24];
    size_t nc = 0;
    size_t len = loc.end - loc.start;
    if (len >= sizeof word)
        return NULL;
    memcpy(word, pc->src->text + loc.start, len);
    word[len] = '\0';
    for (int i = 0; i < n; i++) {
        const char *s = yysymbol_name(exp[i]);
        size_t sl = strlen(s);
        /* keywords are named 'word' */
        if (sl < 3 || s[0] != '\'' || s[sl - 1] != '\'' || sl - 2 >= sizeof names[0])
            continue;
        int alpha = 1;
        for (size_t j = 1; j + 1 < sl; j++)
            alpha &= (s[j] >= 'a' && s[j] <= 'z');
        if (!alpha)
            continue;
        memcpy(names[nc], s + 1, sl - 2);
        names[nc][sl - 2] = '\0';
        cands[nc] = names[nc];
        nc++;
    }
    const char *best = parse_suggest(word, cands, nc);
    if (!best)
        return NULL;
    /* names[] is local: return the symbol's own spelling instead */
    for (int i = 0; i < n; i++) {
        const char *s = yysymbol_name(exp[i]);
        if (strlen(s) == strlen(best) + 2 && strncmp(s + 1, best, strlen(best)) == 0)
            return s;
    }
    return NULL;
}

/* Custom syntax error report: "syntax error: unexpected X, expected Y". */
static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, parse_ctx *pc)
{
    (void)scanner;
    yysymbol_kind_t la = yypcontext_token(ctx);
    YYLTYPE loc = *yypcontext_location(ctx);
    int open_skip = pc->last_pushed;
    if (parse_is_missing(la)) {
        /* an inserted closer the grammar could not take: blame the real token */
        la = YYTRANSLATE(pc->pending_kind);
        loc = pc->pending_loc;
        open_skip = 0;
    }
    char unexpected[128], expected[512], note[96] = "", hint[64] = "";
    parse_describe(pc, la, loc, unexpected, sizeof unexpected);

    yysymbol_kind_t exp[YYNTOKENS];
    int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
    if (n < 0)
        n = 0;
    parse_expected(exp, n, expected, sizeof expected);

    /* the innermost open bracket, if its closer would do and it opened on
     * an earlier line */
    if (pc->nbr > (uint32_t)open_skip) {
        const parse_bracket *b = &pc->br[pc->nbr - 1 - (uint32_t)open_skip];
        yysymbol_kind_t closer = b->ch == '{' ? YYSYMBOL_RBRACE
                               : b->ch == '(' ? YYSYMBOL_RPAREN : YYSYMBOL_RBRACKET;
        int wanted = 0;
        for (int i = 0; i < n; i++)
            wanted |= exp[i] == closer;
        unsigned oline, ocol, eline, ecol;
        src_pos(pc->src, b->off, &oline, &ocol);
        src_pos(pc->src, loc.start, &eline, &ecol);
        if (wanted && oline != eline)
            snprintf(note, sizeof note, " (to close '%c' at line %u)", b->ch, oline);
    }
    if (la == YYSYMBOL_IDENT) {
        const char *s = parse_keyword_suggestion(pc, loc, exp, n);
        if (s)
            snprintf(hint, sizeof hint, "; did you mean %s?", s);
    }
    if (la == YYSYMBOL_EQ || la == YYSYMBOL_NE || la == YYSYMBOL_LT || la == YYSYMBOL_LE ||
        la == YYSYMBOL_GT || la == YYSYMBOL_GE || la == YYSYMBOL_IN) {
        int after_operand = 0;
        for (int i = 0; i < n; i++)
            after_operand |= exp[i] == YYSYMBOL_PLUS;
        if (after_operand)
            snprintf(hint, sizeof hint, "; comparisons do not chain: use 'and'");
    }
    if (expected[0])
        diag_add(pc->diags, DIAG_ERROR, pc->src, loc.start, loc.end,
                 "syntax error: unexpected %s, expected %s%s%s", unexpected, expected, note,
                 hint);
    else
        diag_add(pc->diags, DIAG_ERROR, pc->src, loc.start, loc.end,
                 "syntax error: unexpected %s%s", unexpected, hint);
    pc->syntax_errors++;
    return 0;
}

/* Only for bison's own failures ("memory exhausted": nesting too deep). */
static void yyerror(YYLTYPE *loc, yyscan_t scanner, parse_ctx *pc, const char *msg)
{
    (void)scanner;
    if (strstr(msg, "exhausted"))
        diag_add(pc->diags, DIAG_ERROR, pc->src, loc->start, loc->end,
                 "expression nested too deeply");
    else
        diag_add(pc->diags, DIAG_ERROR, pc->src, loc->start, loc->end, "%s", msg);
    pc->syntax_errors++;
}

/* A MISSING_* closer was accepted: report it once per batch, and not while
 * bison is still recovering from an error it has already reported. */
static void parse_missing(parse_ctx *pc, uint32_t opener, char closer, int recovering)
{
    if (!recovering && !pc->inject_reported) {
        char unexpected[128];
        unsigned line, col;
        char open = closer == '}' ? '{' : closer == ')' ? '(' : '[';
        parse_describe(pc, YYTRANSLATE(pc->pending_kind), pc->pending_loc, unexpected,
                       sizeof unexpected);
        src_pos(pc->src, opener, &line, &col);
        diag_add(pc->diags, DIAG_ERROR, pc->src, pc->pending_loc.start, pc->pending_loc.end,
                 "syntax error: unexpected %s, expected '%c' (to close '%c' at line %u)",
                 unexpected, closer, open, line);
        pc->syntax_errors++;
    }
    pc->inject_reported = 1;
}

/* ---- the token stream ---------------------------------------------------- */

/* A string token: its literal pieces, and each {expr} parsed by a nested
 * run over its byte range (an AST_NULL stands in for one that failed). */
static ast *parse_string(parse_ctx *pc, YYLTYPE loc)
{
    lex_state *ls = pc->lex;
    ast *s = NODE(AST_STRING, loc);
    uint32_t n = ls->nparts ? ls->nparts : 1;
    ast_str_part *parts = ast_xalloc(pc->mem, n * sizeof *parts);
    if (!ls->nparts) {
        parts[0].text = ast_strndup(pc->mem, "", 0);
        parts[0].len = 0;
    }
    for (uint32_t i = 0; i < ls->nparts; i++) {
        const lex_part *p = &ls->parts[i];
        if (!p->is_expr) {
            parts[i].text = ast_strndup(pc->mem, ls->buf + p->start, p->end - p->start);
            parts[i].len = p->end - p->start;
            continue;
        }
        ast *e = NULL;
        if (pc->depth + 1 >= PARSE_MAX_INTERP_DEPTH)
            diag_add(pc->diags, DIAG_ERROR, pc->src, p->start, p->end,
                     "string interpolation is nested too deeply");
        else
            parse_run(pc->src, pc->mem, pc->diags, PARSE_MODE_INTERP, p->start, p->end,
                      pc->depth + 1, NULL, &e);
        parts[i].expr = e ? e : ast_new(pc->mem, AST_NULL, p->start, p->end);
    }
    s->u.str.parts = parts;
    s->u.str.n = n;
    return s;
}

/* The next token from the scanner, with ends made explicit. */
static int parse_scan(YYSTYPE *lval, YYLTYPE *lloc, yyscan_t scanner, parse_ctx *pc)
{
    int tok = aip_yylex(lval, lloc, scanner);
    if (tok == TOK_YYEOF) {
        if (pc->mode == PARSE_MODE_INTERP && !pc->interp_end_sent) {
            /* the '}' that closed the interpolation */
            pc->interp_end_sent = 1;
            lloc->start = pc->lex->limit;
            lloc->end = pc->lex->limit + 1;
            return TOK_INTERP_END;
        }
        lloc->start = lloc->end = pc->last_end;
    } else if (tok == TOK_STRING) {
        lval->node = parse_string(pc, *lloc);
    }
    return tok;
}

static char parse_closer_of(int tok)
{
    return tok == TOK_RBRACE ? '{' : tok == TOK_RPAREN ? '(' : tok == TOK_RBRACKET ? '[' : 0;
}

static int parse_is_decl_keyword(int tok)
{
    return tok == TOK_PACKAGE || tok == TOK_USES || tok == TOK_IMPORT || tok == TOK_PARAM ||
           tok == TOK_DEF || tok == TOK_CONTROL || tok == TOK_PROFILE || tok == TOK_TEST ||
           tok == TOK_RULE;
}

static int parse_is_stmt_keyword(int tok)
{
    return tok == TOK_FOR || tok == TOK_LET || tok == TOK_REQUIRE || tok == TOK_ATTEST;
}

/* How many open brackets tok proves unclosed: those above the opener a
 * closer matches; all of them before a declaration keyword outside a map
 * literal (it can only start a declaration) or at the end of input; those
 * above the innermost block before a statement keyword inside ( or [. */
static uint32_t parse_unclosed(const parse_ctx *pc, int tok)
{
    char opener = parse_closer_of(tok);
    if (pc->nbr == 0)
        return 0;
    if (opener) {
        for (uint32_t i = pc->nbr; i-- > 0;)
            if (pc->br[i].ch == opener)
                return pc->nbr - 1 - i;
        return 0; /* a stray closer: the grammar reports it */
    }
    if (tok == TOK_YYEOF || tok == TOK_INTERP_END)
        return pc->nbr;
    if (pc->lex->last_tok == TOK_DOT)
        return 0; /* x.control, x.for: a field name */
    if (parse_is_decl_keyword(tok) && !pc->br[pc->nbr - 1].is_map)
        return pc->nbr;
    if (parse_is_stmt_keyword(tok) && pc->br[pc->nbr - 1].ch != '{') {
        /* a statement cannot start inside ( or [: close up to the block */
        uint32_t n = 0;
        while (n < pc->nbr && !(pc->br[pc->nbr - 1 - n].ch == '{' &&
                                !pc->br[pc->nbr - 1 - n].is_map))
            n++;
        return n;
    }
    return 0;
}

/* Does a '{' after the token prev open a map literal? A block's '{' follows
 * the end of an expression, a control id or a title; a map's follows an
 * operator, '(' '[' ',' ':' '=', or `given`/`params`. */
static int parse_brace_is_map(int prev)
{
    switch (prev) {
    case TOK_IDENT: case TOK_CONTROL_ID: case TOK_INT: case TOK_DOUBLE: case TOK_DURATION:
    case TOK_STRING: case TOK_TRUE: case TOK_FALSE: case TOK_NULL: case TOK_RPAREN:
    case TOK_RBRACKET: case TOK_RBRACE: case TOK_MANIFEST: case TOK_AS: case TOK_WITHIN:
    case TOK_TITLE: case TOK_FOCUS: case TOK_PRIORITY: case TOK_ENFORCE: case TOK_EVIDENCE:
    case TOK_MAPS: case TOK_HELP: case TOK_NOW: case TOK_EXPECT: case TOK_FINDINGS:
        return 0;
    default:
        return 1;
    }
}

/* yylex: the scanner's tokens, plus the start marker, strings turned into
 * nodes, and MISSING_* closers where brackets are left open. */
static int yylex(YYSTYPE *lval, YYLTYPE *lloc, yyscan_t scanner, parse_ctx *pc)
{
    int tok;
    if (!pc->started) {
        pc->started = 1;
        lloc->start = lloc->end = pc->lex->off;
        return pc->mode == PARSE_MODE_INTERP ? TOK_START_INTERP : TOK_START_FILE;
    }
    if (pc->ninject > 0) {
        parse_bracket b = pc->br[--pc->nbr];
        pc->ninject--;
        pc->last_pushed = 0;
        lval->off = b.off;
        lloc->start = lloc->end = pc->last_end;
        return b.ch == '{' ? TOK_MISSING_RBRACE
             : b.ch == '(' ? TOK_MISSING_RPAREN : TOK_MISSING_RBRACKET;
    }
    if (pc->have_pending) {
        pc->have_pending = 0;
        tok = pc->pending_kind;
        *lval = pc->pending_val;
        *lloc = pc->pending_loc;
    } else {
        tok = parse_scan(lval, lloc, scanner, pc);
        uint32_t n = parse_unclosed(pc, tok);
        if (n > 0) {
            pc->have_pending = 1;
            pc->pending_kind = tok;
            pc->pending_val = *lval;
            pc->pending_loc = *lloc;
            pc->ninject = n;
            pc->inject_reported = 0;
            return yylex(lval, lloc, scanner, pc);
        }
    }
    /* the token is sent now: update the bracket stack */
    pc->last_pushed = 0;
    if (tok == TOK_LBRACE || tok == TOK_LPAREN || tok == TOK_LBRACKET) {
        AIP_GROW(pc->br, pc->nbr, pc->br_cap);
        pc->br[pc->nbr].off = lloc->start;
        pc->br[pc->nbr].ch = tok == TOK_LBRACE ? '{' : tok == TOK_LPAREN ? '(' : '[';
        pc->br[pc->nbr].is_map = tok == TOK_LBRACE && parse_brace_is_map(pc->lex->last_tok);
        pc->nbr++;
        pc->last_pushed = 1;
    } else if (parse_closer_of(tok) && pc->nbr > 0 &&
               pc->br[pc->nbr - 1].ch == parse_closer_of(tok)) {
        pc->nbr--;
    }
    if (tok != TOK_YYEOF && tok != TOK_INTERP_END)
        pc->last_end = lloc->end;
    pc->lex->last_tok = tok;
    return tok;
}

/* ---- entry points ---------------------------------------------------------- */

/* Set up a scanner over src->text[start..end) with state ls and context pc. */
static yyscan_t parse_open(parse_ctx *pc, lex_state *ls, const src_file *src, arena *mem,
                           diag_list *diags, int mode, uint32_t start, uint32_t end,
                           unsigned depth)
{
    yyscan_t scanner = NULL;
    memset(ls, 0, sizeof *ls);
    ls->src = src;
    ls->mem = mem;
    ls->diags = diags;
    ls->off = start;
    ls->limit = end;
    memset(pc, 0, sizeof *pc);
    pc->src = src;
    pc->mem = mem;
    pc->diags = diags;
    pc->lex = ls;
    pc->mode = mode;
    pc->depth = depth;
    pc->last_end = start;
    if (aip_yylex_init_extra(ls, &scanner) != 0) {
        fputs("aip: internal error: cannot create the scanner\n", stderr);
        exit(3);
    }
    aip_yy_scan_bytes(src->text + start, (int)(end - start), scanner);
    return scanner;
}

static void parse_close(parse_ctx *pc, yyscan_t scanner)
{
    aip_yylex_destroy(scanner);
    lex_state_free(pc->lex);
    aip_free(pc->br);
    pc->br = NULL;
}

unsigned parse_run(const src_file *src, arena *mem, diag_list *diags, int mode,
                   uint32_t start, uint32_t end, unsigned depth, ast_list *decls, ast **expr)
{
    lex_state ls;
    parse_ctx pc;
    yyscan_t scanner = parse_open(&pc, &ls, src, mem, diags, mode, start, end, depth);
    yyparse(scanner, &pc);
    parse_close(&pc, scanner);
    if (decls)
        *decls = pc.decls;
    if (expr)
        *expr = pc.expr;
    return pc.syntax_errors;
}

size_t parse_tokenize(const src_file *src, arena *mem, diag_list *diags, lex_token *out,
                      size_t cap)
{
    return parse_tokenize_comments(src, mem, diags, out, cap, NULL);
}

size_t parse_tokenize_comments(const src_file *src, arena *mem, diag_list *diags,
                               lex_token *out, size_t cap, lex_comments *comments)
{
    lex_state ls;
    parse_ctx pc;
    yyscan_t scanner = parse_open(&pc, &ls, src, mem, diags, PARSE_MODE_FILE, 0,
                                  (uint32_t)src->len, 0);
    ls.comments = comments;
    size_t n = 0;
    pc.started = 1; /* no start marker */
    for (;;) {
        YYSTYPE val;
        YYLTYPE loc;
        memset(&val, 0, sizeof val);
        int tok = yylex(&val, &loc, scanner, &pc);
        if (n < cap) {
            out[n].kind = tok;
            out[n].start = loc.start;
            out[n].end = loc.end;
            out[n].value = val;
        }
        n++;
        if (tok == TOK_YYEOF)
            break;
    }
    parse_close(&pc, scanner);
    return n;
}
