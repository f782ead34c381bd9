/* tests/unit/test_parser.c - the .aip grammar (lang/parser.y) through
 * lang_parse: the LANGUAGE.md example's tree, operator precedence, spans,
 * interpolation pieces and offsets, every declaration form, syntax errors
 * with their exact file:line:col and message, recovery (several errors in
 * one run), and a rendered caret diagnostic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/ast.h"
#include "lang/diag.h"

typedef struct parsed {
    arena mem;
    diag_list diags;
    src_file *src;
    ast_file *file;
} parsed;

static int setup(void **state)
{
    parsed *p = test_calloc(1, sizeof *p);
    arena_init(&p->mem);
    diag_init(&p->diags);
    *state = p;
    return 0;
}

static int teardown(void **state)
{
    parsed *p = *state;
    diag_free(&p->diags);
    arena_free(&p->mem);
    src_free(p->src);
    test_free(p);
    return 0;
}

/* Parse text (as "t.aip") afresh into p. */
static void parse(parsed *p, const char *text)
{
    diag_free(&p->diags);
    diag_init(&p->diags);
    arena_free(&p->mem);
    arena_init(&p->mem);
    src_free(p->src);
    p->src = src_from_string("t.aip", text, strlen(text));
    p->file = lang_parse(p->src, &p->mem, &p->diags);
    assert_non_null(p->file);
    assert_ptr_equal(p->file->src, p->src);
}

/* All diagnostics as "file:line:col: message" lines. */
static char *diags_text(const parsed *p)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    for (size_t i = 0; i < p->diags.n; i++) {
        unsigned line, col;
        src_pos(p->src, p->diags.items[i].start, &line, &col);
        fprintf(f, "%s:%u:%u: %s\n", p->src->path, line, col, p->diags.items[i].msg);
    }
    fclose(f);
    return buf;
}

static void check_no_errors(const char *label, const parsed *p)
{
    if (p->diags.n) {
        char *t = diags_text(p);
        fprintf(stderr, "%s: unexpected diagnostics:\n%s", label, t);
        free(t);
        fail();
    }
}

static char *dump(const ast *n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ast_dump(n, f);
    fclose(f);
    return buf;
}

static void check_dump(const char *label, const ast *n, const char *want)
{
    char *got = dump(n);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "%s:\n  got  %s\n  want %s\n", label, got, want);
        free(got);
        fail();
    }
    free(got);
}

/* Offset of the first occurrence of needle in p's source. */
static uint32_t offset_of(const parsed *p, const char *needle)
{
    const char *at = strstr(p->src->text, needle);
    assert_non_null(at);
    return (uint32_t)(at - p->src->text);
}

/* ---- the LANGUAGE.md example ------------------------------------------------ */

static const char example[] =
    "# policies/ir8596/protect.aip\n"
    "package ir8596.protect\n"
    "uses manifest ai-inventory/v1alpha1   # fact paths are checked against this format\n"
    "\n"
    "import stdlib.ai                      # a stdlib module (stdlib/ai.aip); a file: import \"x.aip\" as x\n"
    "\n"
    "# Organisation-tunable values; overridable at evaluation time by a params file.\n"
    "param approved_providers = [\"anthropic\", \"openai\", \"internal\"]\n"
    "param max_credential_age_days = 90\n"
    "\n"
    "# Pure helper: no recursion, no side effects.\n"
    "def is_production(s) = s.lifecycle == \"production\"\n"
    "\n"
    "control PR.AA-01 {\n"
    "  title    \"Identities and credentials for authorized users, services, and hardware are managed by the organization\"\n"
    "  focus    secure, defend, thwart       # IR 8596 focus areas this control serves\n"
    "  priority secure 1, defend 2, thwart 1 # IR 8596 proposed priority: 1 high, 2 moderate, 3 foundational\n"
    "  enforce  mandatory                    # mandatory | advisory\n"
    "  evidence \"IAM configuration\", \"Secret management policy\"\n"
    "  maps     sp800_53 \"IA-5\", iso27001 \"A.5.17\"\n"
    "\n"
    "  for sys in inventory.ai_systems where is_production(sys) {\n"
    "    for c in sys.credentials {\n"
    "      let cred = inventory.credentials[c]        # a list of entries with `id` is indexed by id\n"
    "      require not cred.shared\n"
    "        else \"{sys.id}: credential {c} is shared between services\"\n"
    "      require (cred.rotation.period_days ?? max_credential_age_days) == 0\n"
    "           or days_since(cred.rotation.last_rotated) <= (cred.rotation.period_days ?? max_credential_age_days)\n"
    "        else \"{sys.id}: credential {c} last rotated {days_since(cred.rotation.last_rotated)} days ago\"\n"
    "    }\n"
    "  }\n"
    "}\n"
    "\n"
    "# A process outcome that no inventory field can show: it needs a fresh,\n"
    "# signed-off attestation in the facts (an `attestations[]` entry for GV.OC-01).\n"
    "control GV.OC-01 {\n"
    "  title  \"The organizational mission is understood and informs cybersecurity risk management\"\n"
    "  focus  secure\n"
    "  attest within 365d\n"
    "}\n"
    "\n"
    "# A named selection of controls, chosen with `--profile access-basics`.\n"
    "# (The shipped pack defines profiles such as `sme-baseline` the same way.)\n"
    "profile access-basics \"Identity and governance basics\" {\n"
    "  PR.AA-01, GV.OC-01\n"
    "}\n";

static void test_parser_language_example(void **state)
{
    parsed *p = *state;
    parse(p, example);
    check_no_errors("example", p);

    static const ast_kind kinds[] = {AST_PACKAGE, AST_USES,    AST_IMPORT,
                                     AST_PARAM,   AST_PARAM,   AST_DEF,
                                     AST_CONTROL, AST_CONTROL, AST_PROFILE};
    const ast_list *d = &p->file->decls;
    assert_int_equal(d->n, sizeof kinds / sizeof kinds[0]);
    for (uint32_t i = 0; i < d->n; i++)
        assert_string_equal(ast_kind_name(d->items[i]->kind), ast_kind_name(kinds[i]));

    assert_string_equal(d->items[0]->u.package.name, "ir8596.protect");
    assert_int_equal(d->items[0]->start, offset_of(p, "package"));
    assert_string_equal(d->items[1]->u.uses.format, "ai-inventory/v1alpha1");
    assert_string_equal(d->items[2]->u.import.module, "stdlib.ai");
    assert_null(d->items[2]->u.import.path);
    assert_string_equal(d->items[2]->u.import.alias.name, "ai");
    assert_int_equal(d->items[2]->u.import.alias.start, offset_of(p, "ai   "));
    assert_string_equal(d->items[3]->u.param.name.name, "approved_providers");
    assert_int_equal(d->items[3]->u.param.value->kind, AST_LIST);
    assert_int_equal(d->items[3]->u.param.value->u.list.n, 3);
    assert_int_equal(d->items[4]->u.param.value->u.i, 90);
    assert_string_equal(d->items[5]->u.def.name.name, "is_production");
    assert_int_equal(d->items[5]->u.def.nparams, 1);
    assert_string_equal(d->items[5]->u.def.params[0].name, "s");
    check_dump("def body", d->items[5]->u.def.body, "(== (. s lifecycle) \"production\")");

    /* control PR.AA-01: six metadata items, then one scope */
    const ast *c = d->items[6];
    assert_string_equal(c->u.control.id.name, "PR.AA-01");
    assert_int_equal(c->u.control.id.start, offset_of(p, "PR.AA-01 {"));
    assert_int_equal(c->u.control.id.end, offset_of(p, "PR.AA-01 {") + 8);
    assert_int_equal(c->u.control.items.n, 7);
    static const ast_meta_kind metas[] = {META_TITLE,   META_FOCUS,    META_PRIORITY,
                                          META_ENFORCE, META_EVIDENCE, META_MAPS};
    for (int i = 0; i < 6; i++) {
        assert_int_equal(c->u.control.items.items[i]->kind, AST_META);
        assert_int_equal(c->u.control.items.items[i]->u.meta.kind, metas[i]);
    }
    const ast *const *m = (const ast *const *)c->u.control.items.items;
    assert_string_equal(m[0]->u.meta.text,
                        "Identities and credentials for authorized users, services, and "
                        "hardware are managed by the organization");
    assert_int_equal(m[1]->u.meta.focus,
                     AST_FOCUS_SECURE | AST_FOCUS_DEFEND | AST_FOCUS_THWART);
    assert_int_equal(m[2]->u.meta.priority[0], 1);
    assert_int_equal(m[2]->u.meta.priority[1], 2);
    assert_int_equal(m[2]->u.meta.priority[2], 1);
    assert_int_equal(m[3]->u.meta.enforce, AST_ENFORCE_MANDATORY);
    assert_int_equal(m[4]->u.meta.strings.n, 2);
    assert_string_equal(m[4]->u.meta.strings.items[1]->u.str.parts[0].text,
                        "Secret management policy");
    assert_int_equal(m[5]->u.meta.maps.n, 2);
    assert_string_equal(m[5]->u.meta.maps.items[0].framework, "sp800_53");
    assert_string_equal(m[5]->u.meta.maps.items[0].ref, "IA-5");
    assert_string_equal(m[5]->u.meta.maps.items[1].framework, "iso27001");
    assert_string_equal(m[5]->u.meta.maps.items[1].ref, "A.5.17");

    const ast *scope = m[6];
    assert_int_equal(scope->kind, AST_FOR);
    assert_string_equal(scope->u.forstmt.var.name, "sys");
    check_dump("scope", scope->u.forstmt.coll, "(. inventory ai_systems)");
    check_dump("where", scope->u.forstmt.where, "(call is_production sys)");
    assert_int_equal(scope->u.forstmt.body.n, 1);
    const ast *inner = scope->u.forstmt.body.items[0];
    assert_int_equal(inner->kind, AST_FOR);
    assert_null(inner->u.forstmt.where);
    assert_int_equal(inner->u.forstmt.body.n, 3);
    const ast *let = inner->u.forstmt.body.items[0];
    assert_int_equal(let->kind, AST_LET);
    check_dump("let", let->u.let.value, "([] (. inventory credentials) c)");
    const ast *req1 = inner->u.forstmt.body.items[1];
    assert_int_equal(req1->kind, AST_REQUIRE);
    check_dump("require 1", req1->u.require.cond, "(not (. cred shared))");
    check_dump("require 2", inner->u.forstmt.body.items[2]->u.require.cond,
               "(or (== (?? (. (. cred rotation) period_days) max_credential_age_days) 0) "
               "(<= (call days_since (. (. cred rotation) last_rotated)) "
               "(?? (. (. cred rotation) period_days) max_credential_age_days)))");

    /* the message's pieces, and its {expr}s at their real offsets */
    const ast *msg = req1->u.require.message;
    assert_int_equal(msg->kind, AST_STRING);
    assert_int_equal(msg->u.str.n, 4);
    assert_null(msg->u.str.parts[0].text);
    const ast *sysid = msg->u.str.parts[0].expr;
    check_dump("sys.id", sysid, "(. sys id)");
    assert_int_equal(sysid->start, offset_of(p, "{sys.id}: credential {c} is") + 1);
    assert_int_equal(sysid->end, offset_of(p, "{sys.id}: credential {c} is") + 7);
    assert_int_equal(sysid->u.field.name_start, sysid->end - 2);
    assert_string_equal(msg->u.str.parts[1].text, ": credential ");
    assert_int_equal(msg->u.str.parts[2].expr->start, offset_of(p, "c} is shared"));
    assert_string_equal(msg->u.str.parts[3].text, " is shared between services");
    assert_int_equal(msg->start, offset_of(p, "\"{sys.id}: credential {c} is"));

    check_dump("control PR.AA-01", c,
               "(control PR.AA-01 (title \"Identities and credentials for authorized users, "
               "services, and hardware are managed by the organization\") (focus secure defend "
               "thwart) (priority secure 1 defend 2 thwart 1) (enforce mandatory) (evidence "
               "\"IAM configuration\" \"Secret management policy\") (maps sp800_53 \"IA-5\" "
               "iso27001 \"A.5.17\") (for sys (. inventory ai_systems) (where (call "
               "is_production sys)) (for c (. sys credentials) (let cred ([] (. inventory "
               "credentials) c)) (require (not (. cred shared)) (str (. sys id) \": credential "
               "\" c \" is shared between services\")) (require (or (== (?? (. (. cred rotation) "
               "period_days) max_credential_age_days) 0) (<= (call days_since (. (. cred "
               "rotation) last_rotated)) (?? (. (. cred rotation) period_days) "
               "max_credential_age_days))) (str (. sys id) \": credential \" c \" last rotated "
               "\" (call days_since (. (. cred rotation) last_rotated)) \" days ago\")))))");

    check_dump("control GV.OC-01", d->items[7],
               "(control GV.OC-01 (title \"The organizational mission is understood and "
               "informs cybersecurity risk management\") (focus secure) (attest (duration "
               "31536000)))");
    const ast *pr = d->items[8];
    assert_string_equal(pr->u.profile.name.name, "access-basics");
    assert_string_equal(pr->u.profile.title, "Identity and governance basics");
    assert_int_equal(pr->u.profile.nids, 2);
    assert_string_equal(pr->u.profile.ids[1].name, "GV.OC-01");
    assert_int_equal(pr->end, p->src->len - 1);
}

/* ---- expressions ---------------------------------------------------------------- */

static void test_parser_precedence(void **state)
{
    static const struct {
        const char *expr, *want;
    } cases[] = {
        {"a or b and not c == d ?? e + f * g",
         "(or a (and b (not (== c (?? d (+ e (* f g)))))))"},
        {"a * b + c ?? d == e and f or g", "(or (and (== (?? (+ (* a b) c) d) e) f) g)"},
        {"a - b - c", "(- (- a b) c)"},
        {"a / b * c", "(* (/ a b) c)"},
        {"a ?? b ?? c", "(?? (?? a b) c)"},
        {"a or b or c", "(or (or a b) c)"},
        {"not not a", "(not (not a))"},
        {"not a and b", "(and (not a) b)"},
        {"not a == b", "(not (== a b))"},
        {"-a.b * c", "(* (neg (. a b)) c)"},
        {"- -2", "(neg (neg 2))"},
        {"ai.f(x)[0].y", "(. ([] (call (. ai f) x) 0) y)"},
        {"x in [1, 2,]", "(in x (list 1 2))"},
        {"a + b in xs", "(in (+ a b) xs)"},
        {"(a or b) and c", "(and (or a b) c)"},
        {"all x in xs: p or q", "(all x xs (or p q))"},
        {"a or any x in xs: p and q", "(or a (any x xs (and p q)))"},
        {"none m in s.models: m.pinned == false", "(none m (. s models) (== (. m pinned) false))"},
        {"all x in xs: any y in x: y", "(all x xs (any y x y))"},
        {"count(x in xs where x.ok) > 1", "(> (count x xs (. x ok)) 1)"},
        {"count(y in ys)", "(count y ys)"},
        {"now() < date(\"2026-01-01\") ?? 0", "(< (call now) (?? (call date \"2026-01-01\") 0))"},
        {"ai.f(1, 2,)", "(call (. ai f) 1 2)"},
        {"exists(x.y)", "(call exists (. x y))"},
        {"{a: 1, \"k-2\": [true, null], count: {}}",
         "(map (\"a\" 1) (\"k-2\" (list true null)) (\"count\" (map)))"},
        {"x.in.not.control", "(. (. (. x in) not) control)"},
        {"title + focus + as + within", "(+ (+ (+ title focus) as) within)"},
        {"2w + 12h - 30m * 1.5 / 1e3", "(- (+ (duration 1209600) (duration 43200)) "
                                       "(/ (* (duration 1800) 1.5) 1000))"},
        {"\"a{x}\" == \"{{b}}\"", "(== (str \"a\" x) \"{b}\")"},
        {"\"{ \"{x}\" }\"", "(str (str x))"},
    };
    parsed *p = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "param v = %s", cases[i].expr);
        parse(p, text);
        check_no_errors(cases[i].expr, p);
        assert_int_equal(p->file->decls.n, 1);
        check_dump(cases[i].expr, p->file->decls.items[0]->u.param.value, cases[i].want);
    }
}

static void test_parser_spans(void **state)
{
    parsed *p = *state;
    /*          0         1         2         3
     *          0123456789012345678901234567890123456 */
    parse(p, "param v = x + y.name * f(1) ?? -z");
    check_no_errors("spans", p);
    const ast *v = p->file->decls.items[0]->u.param.value;
    assert_int_equal(v->kind, AST_BINARY); /* ?? */
    assert_int_equal(v->start, 10);
    assert_int_equal(v->end, 33);
    const ast *sum = v->u.binary.left;
    assert_int_equal(sum->start, 10);
    assert_int_equal(sum->end, 27);
    const ast *mul = sum->u.binary.right;
    assert_int_equal(mul->start, 14);
    assert_int_equal(mul->end, 27);
    const ast *field = mul->u.binary.left;
    assert_int_equal(field->kind, AST_FIELD);
    assert_int_equal(field->start, 14);
    assert_int_equal(field->end, 20);
    assert_int_equal(field->u.field.name_start, 16);
    assert_int_equal(field->u.field.name_end, 20);
    const ast *call = mul->u.binary.right;
    assert_int_equal(call->start, 23);
    assert_int_equal(call->end, 27);
    const ast *neg = v->u.binary.right;
    assert_int_equal(neg->kind, AST_UNARY);
    assert_int_equal(neg->start, 31);
    assert_int_equal(neg->end, 33);
    assert_int_equal(p->file->decls.items[0]->start, 0);
    assert_int_equal(p->file->decls.items[0]->end, 33);
}

/* ---- declarations ----------------------------------------------------------------- */

static void test_parser_declarations(void **state)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"package a", "(package a)"},
        {"package a.b.c", "(package a.b.c)"},
        {"uses manifest \"ai-inventory/v1\"", "(uses \"ai-inventory/v1\")"},
        {"import stdlib.ai", "(import stdlib.ai as ai)"},
        {"import stdlib.ai as sai", "(import stdlib.ai as sai)"},
        {"import \"lib/x.aip\" as x", "(import \"lib/x.aip\" as x)"},
        {"import \"lib/util.aip\"", "(import \"lib/util.aip\" as util)"},
        {"param p = {}", "(param p (map))"},
        {"def f() = 1", "(def f () 1)"},
        {"def g(a, b,) = a + b", "(def g (a b) (+ a b))"},
        {"control PR.AA-01 { }", "(control PR.AA-01)"},
        {"control PR.AA-01 { enforce advisory focus thwart, secure }",
         "(control PR.AA-01 (enforce advisory) (focus secure thwart))"},
        {"control PR.AA-01 { priority defend 3 }", "(control PR.AA-01 (priority defend 3))"},
        {"control PR.AA-01 { for x in y where p { attest within 2w let z = 1 } }",
         "(control PR.AA-01 (for x y (where p) (attest (duration 1209600)) (let z 1)))"},
        {"control PR.AA-01 { require x else \"m\" require y }",
         "(control PR.AA-01 (require x \"m\") (require y))"},
        {"profile sme-baseline \"SME\" { PR.AA-01, }", "(profile sme-baseline \"SME\" PR.AA-01)"},
        {"profile \"quoted name\" { }", "(profile quoted name nil)"},
        {"profile level-2 { PR.AA-01 GV.OC-01 }", NULL},
        {"profile tier-2-all { }", "(profile tier-2-all nil)"},
        {"test \"t\" { now \"2026-11-27\" given \"fixtures/x.yaml\" expect PR.AA-01 fail findings 2 }",
         "(test \"t\" (now \"2026-11-27\") (given \"fixtures/x.yaml\") (expect PR.AA-01 fail "
         "findings 2))"},
        {"test \"inline\" { given { ai_systems: [{id: \"a\", control: \"GV.OC-01\"}], test: true } "
         "params { max_age: 3 } expect GV.OC-01 not_applicable expect PR.AA-01 error }",
         "(test \"inline\" (given (map (\"ai_systems\" (list (map (\"id\" \"a\") (\"control\" "
         "\"GV.OC-01\")))) (\"test\" true))) (params (map (\"max_age\" 3))) (expect GV.OC-01 "
         "not_applicable) (expect PR.AA-01 error))"},
        {"", NULL},
        {"# only a comment\n", NULL},
    };
    parsed *p = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        parse(p, cases[i].text);
        if (!cases[i].want) {
            /* the ones without a tree to show: either no declarations, or
             * a syntax error (a missing comma between ids) */
            if (p->file->decls.n == 0)
                check_no_errors(cases[i].text, p);
            else
                assert_int_equal(p->diags.errors, 1);
            continue;
        }
        check_no_errors(cases[i].text, p);
        assert_int_equal(p->file->decls.n, 1);
        check_dump(cases[i].text, p->file->decls.items[0], cases[i].want);
    }
}

/* A string that may not interpolate keeps its literal pieces. */
static void test_parser_plain_string_pieces(void **state)
{
    parsed *p = *state;
    parse(p, "control PR.AA-01 { title \"a {b} and {c} end\" }");
    assert_int_equal(p->diags.errors, 1);
    const ast *meta = p->file->decls.items[0]->u.control.items.items[0];
    assert_string_equal(meta->u.meta.text, "a  and  end");
}

static void test_parser_test_expect_fields(void **state)
{
    parsed *p = *state;
    parse(p, "test \"t\" { expect PR.AA-01 pass expect GV.OC-01 fail findings 3 }");
    check_no_errors("expect", p);
    const ast *t = p->file->decls.items[0];
    assert_string_equal(t->u.test.name, "t");
    assert_int_equal(t->u.test.items.n, 2);
    const ast *e0 = t->u.test.items.items[0];
    assert_int_equal(e0->kind, AST_TEST_EXPECT);
    assert_string_equal(e0->u.test_expect.id.name, "PR.AA-01");
    assert_string_equal(e0->u.test_expect.verdict, "pass");
    assert_int_equal(e0->u.test_expect.verdict_start, 27);
    assert_int_equal(e0->u.test_expect.verdict_end, 31);
    assert_int_equal(e0->u.test_expect.findings, -1);
    assert_int_equal(t->u.test.items.items[1]->u.test_expect.findings, 3);
}

/* ---- errors ------------------------------------------------------------------------ */

static void test_parser_syntax_errors(void **state)
{
    static const struct {
        const char *label, *text, *want;
    } cases[] = {
        {"missing expression",
         "param x =\ncontrol GV.OC-01 { }",
         "t.aip:2:1: syntax error: unexpected 'control', expected expression\n"},
        {"unexpected closer",
         "control PR.AA-01 { require f(a, ) ) }",
         "t.aip:1:35: syntax error: unexpected ')', expected operator, 'else', metadata, statement "
         "or '}'\n"},
        {"stray brace at top level", "}\n",
         "t.aip:1:1: syntax error: unexpected '}', expected declaration or end of file\n"},
        {"unclosed brace at end of file",
         "control PR.AA-01 {\n  require x\n",
         "t.aip:2:12: syntax error: unexpected end of file, expected '}' (to close '{' at line 1)\n"},
        {"unclosed brace before a declaration",
         "control PR.AA-01 {\n  require x\n\ncontrol GV.OC-01 { focus secure }",
         "t.aip:4:1: syntax error: unexpected 'control', expected '}' (to close '{' at line 1)\n"},
        {"unclosed paren before a brace",
         "control PR.AA-01 {\n  require len(x > 0\n}",
         "t.aip:3:1: syntax error: unexpected '}', expected ')' (to close '(' at line 2)\n"},
        {"unclosed bracket before a statement",
         "control PR.AA-01 {\n  let xs = [1, 2\n  require x\n}",
         "t.aip:3:3: syntax error: unexpected 'require', expected ']' (to close '[' at line 2)\n"},
        {"unclosed brace in the middle of an expression",
         "control PR.AA-01 {\n  require x ==\n",
         "t.aip:2:15: syntax error: unexpected end of file, expected expression\n"},
        {"unexpected token names the open bracket",
         "control PR.AA-01 {\n  require x\n  title \"t\" 5\n}",
         "t.aip:3:13: syntax error: unexpected integer 5, expected metadata, statement or '}' "
         "(to close '{' at line 1)\n"},
        {"keyword typo", "contrl PR.AA-01 { }",
         "t.aip:1:1: syntax error: unexpected identifier 'contrl', expected declaration or end of "
         "file; did you mean 'control'?\n"},
        {"statement typo", "control PR.AA-01 { requre x }",
         "t.aip:1:20: syntax error: unexpected identifier 'requre', expected metadata, statement or "
         "'}'; did you mean 'require'?\n"},
        {"bad control id", "control pr.aa-01 { }",
         "t.aip:1:9: syntax error: unexpected identifier 'pr', expected control id\n"},
        {"attest needs a duration", "control PR.AA-01 { attest within 365 }",
         "t.aip:1:34: syntax error: unexpected integer 365, expected identifier or duration\n"},
        {"metadata inside a scope", "control PR.AA-01 { for x in y { title \"t\" } }",
         "t.aip:1:33: syntax error: unexpected 'title', expected statement or '}'\n"},
        {"chained comparison", "param p = a < b < c",
         "t.aip:1:17: syntax error: unexpected '<', expected operator, declaration or end of file; "
         "comparisons do not chain: use 'and'\n"},
        {"reserved word as a name", "param for = 1",
         "t.aip:1:7: syntax error: unexpected 'for', expected identifier\n"},
        {"missing in", "param p = all x xs: x",
         "t.aip:1:17: syntax error: unexpected identifier 'xs', expected 'in'\n"},
        {"missing comma between ids", "profile p { PR.AA-01 GV.OC-01 }",
         "t.aip:1:22: syntax error: unexpected control id 'GV.OC-01', expected ',' or '}'\n"},
        {"file import without a usable name", "import \"x-y.aip\"",
         "t.aip:1:8: cannot name this import after its file; add 'as NAME'\n"},
        {"profile name with spaces", "profile sme - base { }",
         "t.aip:1:9: a profile name cannot contain spaces; write it without spaces or quote it\n"},
        {"call of a non-function", "param p = a[0](1)",
         "t.aip:1:11: only a function can be called: write f(...) or module.f(...)\n"},
        {"interpolation in a title", "control PR.AA-01 { title \"a {b} and {c}\" }",
         "t.aip:1:30: a title cannot interpolate {...}; write {{ for a literal '{'\n"},
        {"interpolation nested too deeply",
         "param p = \"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{\"{"
         "x}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"}\"",
         "t.aip:1:75: string interpolation is nested too deeply\n"},
        {"byte order mark", "\xEF\xBB\xBFpackage a \xEF\xBB\xBF",
         "t.aip:1:14: unexpected character '\xEF\xBB\xBF'\n"},
        {"focus area", "control PR.AA-01 { focus secure, defnd }",
         "t.aip:1:34: unknown focus area 'defnd'; did you mean 'defend'?\n"},
        {"focus twice", "control PR.AA-01 { focus secure, secure }",
         "t.aip:1:34: focus area 'secure' is listed twice\n"},
        {"priority range", "control PR.AA-01 { priority secure 4 }",
         "t.aip:1:36: priority must be 1 (high), 2 (moderate) or 3 (foundational)\n"},
        {"priority twice", "control PR.AA-01 { priority secure 1, secure 2 }",
         "t.aip:1:39: priority for 'secure' is given twice\n"},
        {"enforcement", "control PR.AA-01 { enforce always }",
         "t.aip:1:28: unknown enforcement 'always'; expected mandatory or advisory\n"},
        {"verdict", "test \"t\" { expect PR.AA-01 passed }",
         "t.aip:1:28: unknown verdict 'passed'; did you mean 'pass'?\n"},
        {"error inside an interpolation",
         "control PR.AA-01 {\n  require x\n    else \"id {sys.id +} ok\"\n}",
         "t.aip:3:23: syntax error: unexpected '}', expected expression\n"},
        {"unclosed paren inside an interpolation",
         "param p = \"{f(x}\"",
         "t.aip:1:16: syntax error: unexpected '}', expected ')' (to close '(' at line 1)\n"},
        {"lexical error inside an interpolation", "param p = \"{a @ b}\"",
         "t.aip:1:15: unexpected character '@'\n"
         "t.aip:1:17: syntax error: unexpected identifier 'b', expected operator or '}'\n"},
        {"unterminated string then more", "param p = \"abc\nparam q = 1",
         "t.aip:1:11: unterminated string\n"},
    };
    parsed *p = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        parse(p, cases[i].text);
        char *got = diags_text(p);
        if (strcmp(got, cases[i].want) != 0) {
            fprintf(stderr, "%s:\n  got\n%s  want\n%s", cases[i].label, got, cases[i].want);
            free(got);
            fail();
        }
        free(got);
        assert_int_equal(p->diags.errors, p->diags.n);
    }
}

/* One run reports one error per broken construct and keeps the rest. */
static void test_parser_several_errors(void **state)
{
    parsed *p = *state;
    parse(p,
          "package demo\n"                               /* 1 */
          "param limit = \n"                             /* 2 */
          "control PR.AA-01 {\n"                         /* 3 */
          "  title \"ok\"\n"                             /* 4 */
          "  require x == == y\n"                        /* 5 */
          "  require len(sys.models > 0\n"               /* 6 */
          "  require z\n"                                /* 7 */
          "}\n"                                          /* 8 */
          "control GV.OC-01 {\n"                         /* 9 */
          "  focus secure\n"                             /* 10 */
          "  attest within 1y\n"                         /* 11 */
          "}\n"                                          /* 12 */
          "profile p \"P\" { PR.AA-01, GV.OC-01 }\n"     /* 13 */
          "control DE.CM-01 {\n"                         /* 14 */
          "  require a ?? \n");                          /* 15 */
    char *got = diags_text(p);
    const char *want =
        "t.aip:3:1: syntax error: unexpected 'control', expected expression\n"
        "t.aip:5:16: syntax error: unexpected '==', expected expression\n"
        "t.aip:7:3: syntax error: unexpected 'require', expected ')' (to close '(' at line 6)\n"
        "t.aip:11:17: invalid duration '1y': the unit is d (days), w (weeks), h (hours) or m (minutes)\n"
        "t.aip:11:17: syntax error: unexpected integer 1y, expected identifier or duration\n"
        "t.aip:15:15: syntax error: unexpected end of file, expected expression\n";
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "got\n%swant\n%s", got, want);
        free(got);
        fail();
    }
    free(got);
    assert_int_equal(p->diags.errors, 6);

    /* what parsed is kept: the package, both controls' good items, the profile */
    const ast_list *d = &p->file->decls;
    assert_int_equal(d->n, 5);
    check_dump("package", d->items[0], "(package demo)");
    check_dump("first control", d->items[1],
               "(control PR.AA-01 (title \"ok\") (require (call len (> (. sys models) 0))) "
               "(require z))");
    check_dump("second control", d->items[2], "(control GV.OC-01 (focus secure))");
    check_dump("profile", d->items[3], "(profile p \"P\" PR.AA-01 GV.OC-01)");
    check_dump("third control", d->items[4], "(control DE.CM-01)");
}

static void test_parser_deep_nesting(void **state)
{
    parsed *p = *state;
    enum { DEPTH = 20000 };
    char *text = malloc(DEPTH * 2 + 32);
    strcpy(text, "param p = ");
    size_t at = strlen(text);
    for (int i = 0; i < DEPTH; i++)
        text[at++] = '(';
    text[at++] = '1';
    for (int i = 0; i < DEPTH; i++)
        text[at++] = ')';
    text[at] = '\0';
    parse(p, text);
    free(text);
    assert_int_equal(p->diags.errors, 1);
    assert_string_equal(p->diags.items[0].msg, "expression nested too deeply");

    /* 1000 levels are fine */
    char small[2100 + 16];
    strcpy(small, "param p = ");
    at = strlen(small);
    for (int i = 0; i < 1000; i++)
        small[at++] = '[';
    for (int i = 0; i < 1000; i++)
        small[at++] = ']';
    small[at] = '\0';
    parse(p, small);
    check_no_errors("1000 brackets", p);
}

static void test_parser_caret_output(void **state)
{
    parsed *p = *state;
    parse(p, "control PR.AA-01 {\n\trequire cred.age <=\n}\n");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    diag_print(&p->diags, f, 0);
    fclose(f);
    assert_string_equal(buf,
                        "t.aip:3:1: error: syntax error: unexpected '}', expected expression\n"
                        "    }\n"
                        "    ^\n");
    free(buf);

    parse(p, "control PR.AA-01 {\n\trequire cred.age <= 90 focus sekure\n}\n");
    buf = NULL;
    f = open_memstream(&buf, &len);
    diag_print(&p->diags, f, 0);
    fclose(f);
    assert_string_equal(buf,
                        "t.aip:2:31: error: unknown focus area 'sekure'; did you mean 'secure'?\n"
                        "    \trequire cred.age <= 90 focus sekure\n"
                        "    \t                             ^~~~~~\n");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_parser_language_example, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parser_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parser_spans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parser_declarations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parser_plain_string_pieces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parser_test_expect_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parser_syntax_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parser_several_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parser_deep_nesting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parser_caret_output, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
