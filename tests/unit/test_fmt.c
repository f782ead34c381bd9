/* tests/unit/test_fmt.c - `aip fmt` (lang/fmt.c), its comment-keeping scan
 * (parse_tokenize_comments) and tree equality (lang/ast_eq.c): the layout of
 * each construct of lang/SPEC.md, comments in every position, blank lines
 * and white space, idempotence and unchanged meaning on every case, the
 * safety check refusing outputs that differ, and every .aip file of the
 * repository formatted and checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lang/ast_eq.h"
#include "lang/fmt.h"
#include "lang/fmt_diff.h"
#include "lang/parse_int.h"

/* Parse text, which must be free of syntax errors, into mem. */
static ast_file *parse_ok(arena *mem, src_file *src)
{
    diag_list d;
    diag_init(&d);
    ast_file *f = lang_parse(src, mem, &d);
    if (d.errors)
        diag_print(&d, stderr, 0);
    assert_int_equal(d.errors, 0);
    diag_free(&d);
    return f;
}

/* Do the files a and b parse to equal trees? */
static int same_tree(const char *a, size_t alen, const char *b, size_t blen)
{
    arena mem;
    arena_init(&mem);
    src_file *sa = src_from_string("a.aip", a, alen);
    src_file *sb = src_from_string("b.aip", b, blen);
    int eq = ast_file_equal(parse_ok(&mem, sa), parse_ok(&mem, sb));
    src_free(sa);
    src_free(sb);
    arena_free(&mem);
    return eq;
}

/* Format text (named name), which must succeed; the caller frees. */
static char *fmt_named(const char *name, const char *text, size_t len, size_t *outlen)
{
    src_file *src = src_from_string(name, text, len);
    diag_list d;
    diag_init(&d);
    char *out = NULL, err[512] = "";
    fmt_status st = fmt_source(src, &d, &out, outlen, err, sizeof err);
    if (st != FMT_OK) {
        diag_print(&d, stderr, 0);
        fprintf(stderr, "%s: fmt failed: %s\n", name, err);
    }
    assert_int_equal(st, FMT_OK);
    diag_free(&d);
    src_free(src);
    return out;
}

/* fmt(in) is want; fmt(want) is want; in and want mean the same. */
static void check_fmt(const char *in, const char *want)
{
    size_t n1, n2;
    char *out = fmt_named("t.aip", in, strlen(in), &n1);
    assert_string_equal(out, want);
    assert_int_equal(n1, strlen(want));
    char *again = fmt_named("t.aip", out, n1, &n2);
    assert_string_equal(again, out);
    assert_true(same_tree(in, strlen(in), out, n1));
    aip_free(again);
    aip_free(out);
}

/* Text already canonical stays byte for byte. */
static void check_canonical(const char *text)
{
    check_fmt(text, text);
}

/* ---- the scanner's comments ---------------------------------------------- */

static void test_fmt_scanner_keeps_comments(void **state)
{
    (void)state;
    const char *text = "# a\npackage p # b\nuses manifest # c\n  fmt/v1\nparam x = \"#{1}\" # d\n";
    src_file *src = src_from_string("t.aip", text, strlen(text));
    arena mem;
    arena_init(&mem);
    diag_list d;
    diag_init(&d);
    lex_token plain[32], kept[32];
    lex_comments c = {0};
    size_t n1 = parse_tokenize(src, &mem, &d, plain, 32);
    size_t n2 = parse_tokenize_comments(src, &mem, &d, kept, 32, &c);
    assert_int_equal(d.errors, 0);
    /* the parser's tokens are the same with or without comments kept */
    assert_int_equal(n1, n2);
    for (size_t i = 0; i < n1; i++) {
        assert_int_equal(plain[i].kind, kept[i].kind);
        assert_int_equal(plain[i].start, kept[i].start);
        assert_int_equal(plain[i].end, kept[i].end);
    }
    /* four comments, with their ranges; the '#' inside the string is none */
    assert_int_equal(c.n, 4);
    const char *want[] = {"# a", "# b", "# c", "# d"};
    for (uint32_t i = 0; i < c.n; i++) {
        assert_int_equal(c.items[i].end - c.items[i].start, strlen(want[i]));
        assert_memory_equal(text + c.items[i].start, want[i], strlen(want[i]));
    }
    lex_comments_free(&c);
    assert_null(c.items);
    diag_free(&d);
    arena_free(&mem);
    src_free(src);
}

/* ---- tree equality ----------------------------------------------------------- */

static void test_fmt_ast_equal(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        int eq;
    } cases[] = {
        {"package p\ndef f(x) = x + 1\n", "package  p def f( x )=x+1", 1},
        {"package p\ndef f(x) = (x + 1) * 2\n", "package p\ndef f(x) = x + 1 * 2\n", 0},
        {"package p\ndef f(x) = ((x))\n", "package p\ndef f(x) = x\n", 1},
        {"package p\nparam a = 1.50\n", "package p\nparam a = 1.5\n", 1},
        {"package p\nparam a = 1.5\n", "package p\nparam a = 1.25\n", 0},
        {"package p\nparam a = 2w\n", "package p\nparam a = 14d\n", 1},
        {"package p\nparam a = \"x{1}\"\n", "package p\nparam a = \"x{2}\"\n", 0},
        {"package p\nparam a = \"a\"\n", "package p\nparam a = \"b\"\n", 0},
        {"package p\nparam a = {k: 1}\n", "package p\nparam a = {\"k\": 1}\n", 1},
        {"package p\nparam a = {k: 1}\n", "package p\nparam a = {j: 1}\n", 0},
        {"package p\ndef f(x) = x < 1\n", "package p\ndef f(x) = x <= 1\n", 0},
        {"package p\ndef f(x) = all y in x: y\n", "package p\ndef f(x) = any y in x: y\n", 0},
        {"package p\ncontrol PR.AA-01 { focus secure }", "package p\ncontrol PR.AA-01 { focus defend }", 0},
        {"package p\ncontrol PR.AA-01 { maps a \"1\" }", "package p\ncontrol PR.AA-01 { maps a \"2\" }", 0},
        {"package p\nprofile a { PR.AA-01 }", "package p\nprofile a { PR.AA-02 }", 0},
        {"package p\nrule r { require true }", "package p\nrule r { require false }", 0},
        {"package p\nimport stdlib.ai", "package p\nimport stdlib.ai as ai", 1},
        {"package p\nimport stdlib.ai", "package p\nimport stdlib.ai as x", 0},
        {"package p\ntest \"t\" { expect PR.AA-01 pass }",
         "package p\ntest \"t\" { expect PR.AA-01 pass findings 0 }", 0},
        {"package p\ndef f(x) = x\n", "package p\ndef f(x) = x\ndef g(x) = x\n", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int eq = same_tree(cases[i].a, strlen(cases[i].a), cases[i].b, strlen(cases[i].b));
        if (eq != cases[i].eq)
            fprintf(stderr, "case %zu: %s | %s\n", i, cases[i].a, cases[i].b);
        assert_int_equal(eq, cases[i].eq);
    }
    assert_true(ast_equal(NULL, NULL));
}

/* ---- each construct ------------------------------------------------------- */

static void test_fmt_declarations(void **state)
{
    (void)state;
    check_fmt("package   a.b\nuses manifest    ai-inventory/v1alpha1\nimport stdlib.ai\n"
              "import \"lib/util.aip\"as u\nimport \"x.aip\"\n"
              "param p=[1,2 ,3]\nparam m = {a :1,\"b-c\":2}\nparam d = 90d\n"
              "def f( a,b )=a+b\ndef g() = now()\n",
              "package a.b\nuses manifest ai-inventory/v1alpha1\nimport stdlib.ai\n"
              "import \"lib/util.aip\" as u\nimport \"x.aip\"\n"
              "param p = [1, 2, 3]\nparam m = {a: 1, \"b-c\": 2}\nparam d = 90d\n"
              "def f(a, b) = a + b\ndef g() = now()\n");
    /* declarations on one line each get their own */
    check_fmt("package p param a = 1 def f(x) = x",
              "package p\nparam a = 1\ndef f(x) = x\n");
}

static void test_fmt_control_and_metadata(void **state)
{
    (void)state;
    check_fmt("package p\ncontrol PR.AA-01 { title \"T\"\nfocus secure,defend\n"
              "priority secure 1 , defend 2\nenforce advisory\nevidence \"a\",\"b\"\n"
              "maps sp800_53 \"IA-5\", iso27001 \"A.5.17\"\nhelp ir8596\n"
              "attest within 365d\nrequire true }\n",
              "package p\ncontrol PR.AA-01 {\n"
              "  title    \"T\"\n"
              "  focus    secure, defend\n"
              "  priority secure 1, defend 2\n"
              "  enforce  advisory\n"
              "  evidence \"a\", \"b\"\n"
              "  maps     sp800_53 \"IA-5\", iso27001 \"A.5.17\"\n"
              "  help     ir8596\n"
              "  attest within 365d\n"
              "  require true\n"
              "}\n");
    /* the alignment follows the longest keyword of the control */
    check_fmt("package p\ncontrol GV.OC-01 {\n  title  \"T\"\n  focus  secure\n}\n",
              "package p\ncontrol GV.OC-01 {\n  title \"T\"\n  focus secure\n}\n");
    /* rules, empty blocks */
    check_fmt("package p\nrule r { title \"t\" require true }\ncontrol GV.OC-01 {}\n",
              "package p\nrule r {\n  title \"t\"\n  require true\n}\ncontrol GV.OC-01 { }\n");
}

static void test_fmt_statements(void **state)
{
    (void)state;
    check_fmt("package p\ncontrol PR.AA-01 {\nfor s in inventory.xs where s.on\n{\n"
              "let v = s.a\n      for c in v { }\nrequire v else \"bad {v}\"\n"
              "require v\n  else \"m\"\n}\n}\n",
              "package p\ncontrol PR.AA-01 {\n  for s in inventory.xs where s.on {\n"
              "    let v = s.a\n    for c in v { }\n    require v else \"bad {v}\"\n"
              "    require v\n      else \"m\"\n  }\n}\n");
}

static void test_fmt_profiles_and_tests(void **state)
{
    (void)state;
    check_fmt("package p\nprofile sme-base-2 \"T\" {PR.AA-01,GV.OC-01}\n"
              "profile \"q\" { PR.AA-01 }\nprofile x {\n    PR.AA-01,\n  GV.OC-01\n}\n",
              "package p\nprofile sme-base-2 \"T\" {PR.AA-01, GV.OC-01}\n"
              "profile \"q\" { PR.AA-01 }\nprofile x {\n    PR.AA-01,\n  GV.OC-01\n}\n");
    check_fmt("package p_test\ntest \"t\" { now \"2026-11-27\" given \"f.yaml\"\n"
              "given { ai_systems: [ { id: \"a\" },\n                { id: \"b\" } ] }\n"
              "params {x:1}\nexpect PR.AA-01 pass findings 0\nexpect GV.OC-01 unknown }\n",
              "package p_test\ntest \"t\" {\n  now \"2026-11-27\"\n  given \"f.yaml\"\n"
              "  given { ai_systems: [ { id: \"a\" },\n                  { id: \"b\" } ] }\n"
              "  params {x: 1}\n  expect PR.AA-01 pass findings 0\n  expect GV.OC-01 unknown\n}\n");
}

static void test_fmt_expressions(void **state)
{
    (void)state;
    check_fmt("package p\n"
              "def a(x) = x+1-2*3/4 ?? 5==6 and x!=7 or not x<8 and x<=9 and x>1 and x>=2\n"
              "def b(x) = x in [1,2] and -x < - 3 and x - -1 > 0 and (-x) < 0\n"
              "def c(x) = all e in x:e>1 and any y in x : y==2 or none z in x: z\n"
              "def d(x) = count( z in x where z < 1)+count(z in x)\n"
              "def e(x) = x.y [0] . z [\"k-2\"] . count\n"
              "def f(x) = ai.is_production( x )and len(x.tools ?? [ ])>0\n"
              "def g(x) = {a:1}[\"a\"] == \"s\"[0] and [ ] == [] and { } == {}\n",
              "package p\n"
              "def a(x) = x + 1 - 2 * 3 / 4 ?? 5 == 6 and x != 7 or not x < 8 and x <= 9 and x > 1 and x >= 2\n"
              "def b(x) = x in [1, 2] and -x < -3 and x - -1 > 0 and (-x) < 0\n"
              "def c(x) = all e in x: e > 1 and any y in x: y == 2 or none z in x: z\n"
              "def d(x) = count(z in x where z < 1) + count(z in x)\n"
              "def e(x) = x.y[0].z[\"k-2\"].count\n"
              "def f(x) = ai.is_production(x) and len(x.tools ?? []) > 0\n"
              "def g(x) = {a: 1}[\"a\"] == \"s\"[0] and [] == [] and {} == {}\n");
}

static void test_fmt_literals_byte_for_byte(void **state)
{
    (void)state;
    /* numbers, escapes and interpolations exactly as written */
    check_canonical("package p\nparam a = 1.50\nparam b = 2E3\nparam c = 007\nparam d = 1.5e-3\n"
                    "param e = \"\\u{1F600} \\\"q\\\" \\/ {{x}} \\\\d{{4}}\"\n"
                    "def f(x) = \"{x +1}{ x.y }\"\n");
}

static void test_fmt_continuations(void **state)
{
    (void)state;
    /* continuation lines move with their statement, keeping their alignment */
    check_fmt("package p\ncontrol PR.AA-01 {\n      require (a)\n           or (b)\n        else \"m\"\n"
              "      maps     a \"1\",\n               b \"2\"\n}\n"
              "param m = {\"a\": 1,\n           \"b\": 2}\n",
              "package p\ncontrol PR.AA-01 {\n  require (a)\n       or (b)\n    else \"m\"\n"
              "  maps a \"1\",\n           b \"2\"\n}\n"
              "param m = {\"a\": 1,\n           \"b\": 2}\n");
    /* a continuation is at least 2 deeper, a closing bracket at least level */
    check_fmt("package p\nparam l = [\n1,\n2\n]\ndef f(x) = x and\ny\n",
              "package p\nparam l = [\n  1,\n  2\n]\ndef f(x) = x and\n  y\n");
}

/* ---- comments ------------------------------------------------------------ */

static void test_fmt_comments_everywhere(void **state)
{
    (void)state;
    check_fmt("# file header\n\n"
              "package p   # trailing on package\n"
              "uses manifest # between the words\n"
              "  ai-inventory/v1alpha1\n"
              "  # before a declaration, misindented\n"
              "param l = [ # after an opener\n"
              "  1, # in a list\n"
              "  # own line in a list\n"
              "  2 ]\n"
              "param m = {a: 1, # in a map\n"
              "  b: 2}\n"
              "def f(x) = x and # inside an expression\n"
              "  not x\n"
              "control PR.AA-01 { # after a block's opener\n"
              "title \"T\" # in metadata\n"
              "    # between metadata items\n"
              "maps a \"1\", # in a maps list\n"
              "     b \"2\"\n"
              "# before a statement\n"
              "for s in inventory.xs { # for's opener\n"
              "require s # trailing, tight\n"
              "    # end of the for block\n"
              "}\n"
              "        # end of the control block\n"
              "}\n"
              "# end of file\n"
              "# and again\n",
              "# file header\n\n"
              "package p   # trailing on package\n"
              "uses manifest # between the words\n"
              "  ai-inventory/v1alpha1\n"
              "# before a declaration, misindented\n"
              "param l = [ # after an opener\n"
              "  1, # in a list\n"
              "  # own line in a list\n"
              "  2 ]\n"
              "param m = {a: 1, # in a map\n"
              "  b: 2}\n"
              "def f(x) = x and # inside an expression\n"
              "  not x\n"
              "control PR.AA-01 { # after a block's opener\n"
              "  title \"T\" # in metadata\n"
              "  # between metadata items\n"
              "  maps  a \"1\", # in a maps list\n"
              "       b \"2\"\n"
              "  # before a statement\n"
              "  for s in inventory.xs { # for's opener\n"
              "    require s # trailing, tight\n"
              "    # end of the for block\n"
              "  }\n"
              "  # end of the control block\n"
              "}\n"
              "# end of file\n"
              "# and again\n");
    /* a file of comments only */
    check_fmt("\n\n# one   \n\n\n\n# two\n", "# one\n\n# two\n");
    /* a comment before a block's brace keeps the brace on its own line */
    check_fmt("package p\ncontrol PR.AA-01 # why\n{\nrequire true\n}\n",
              "package p\ncontrol PR.AA-01 # why\n  {\n  require true\n}\n");
}

/* ---- blank lines and white space ---------------------------------------- */

static void test_fmt_blank_lines_and_space(void **state)
{
    (void)state;
    /* runs collapse to one; none at the start, after '{' or before '}' */
    check_fmt("\n\n\npackage p\n\n\n\nparam a = 1\nparam b = 2\n\n"
              "control PR.AA-01 {\n\n\n  require true\n\n\n  require false\n\n}\n\n\n",
              "package p\n\nparam a = 1\nparam b = 2\n\n"
              "control PR.AA-01 {\n  require true\n\n  require false\n}\n");
    /* CRLF, tabs, trailing blanks, no final newline, a byte order mark */
    check_fmt("\xEF\xBB\xBFpackage p \r\ncontrol PR.AA-01 {\r\n\trequire true\t\r\n}",
              "package p\ncontrol PR.AA-01 {\n  require true\n}\n");
    /* an empty file stays empty */
    check_canonical("");
}

static void test_fmt_shipped_style_is_canonical(void **state)
{
    (void)state;
    check_canonical("# policies/x.aip - a header.\n"
                    "package ir8596\n"
                    "uses manifest ai-inventory/v1alpha1   # checked against this format\n\n"
                    "import stdlib.ai                      # a stdlib module\n\n"
                    "param de_signal_categories = {\"a\": \"b\", \"c\": \"d\",\n"
                    "                              \"e\": \"f\"}\n\n"
                    "control DE.CM-01 {\n"
                    "  title    \"Networks are monitored\"\n"
                    "  focus    secure, defend, thwart       # focus areas\n"
                    "  priority secure 2, defend 1, thwart 1\n"
                    "  maps     sp800_53 \"AC-2\", sp800_53 \"AU-12\",\n"
                    "           iso27001 \"A.8.16\"\n"
                    "  help     ir8596\n\n"
                    "  # Secure: traffic is logged.\n"
                    "  for sys in inventory.ai_systems where in_production(sys) {\n"
                    "    let log = inventory.logging[sys.logging]        # by id\n"
                    "    require (none d in log.x: d)\n"
                    "         or (any d in log.y: d)\n"
                    "      else \"{sys.id}: not logged\"\n"
                    "    for pid in sys.providers ?? [] where f(pid) { }\n"
                    "  }\n"
                    "}\n\n"
                    "profile access-basics \"Basics\" {\n"
                    "  PR.AA-01, GV.OC-01\n"
                    "}\n");
}

/* ---- errors and the safety check ---------------------------------------- */

static void test_fmt_syntax_error(void **state)
{
    (void)state;
    const char *text = "package p\ncontrol PR.AA-01 { require (a }\n";
    src_file *src = src_from_string("bad.aip", text, strlen(text));
    diag_list d;
    diag_init(&d);
    char *out = (char *)"unset", err[256] = "";
    size_t n = 7;
    assert_int_equal(fmt_source(src, &d, &out, &n, err, sizeof err), FMT_SYNTAX);
    assert_true(d.errors > 0);
    assert_null(out);
    assert_int_equal(n, 0);
    diag_free(&d);
    src_free(src);
}

/* fmt_verify of src against out: expect ok, or a reason containing why. */
static void check_verify(const char *src_text, const char *out, const char *why)
{
    src_file *src = src_from_string("t.aip", src_text, strlen(src_text));
    char err[512] = "";
    int ok = fmt_verify(src, out, strlen(out), err, sizeof err);
    if (!why) {
        if (!ok)
            fprintf(stderr, "verify: %s\n", err);
        assert_true(ok);
    } else {
        assert_false(ok);
        if (!strstr(err, why))
            fprintf(stderr, "verify: got '%s', wanted '%s'\n", err, why);
        assert_non_null(strstr(err, why));
    }
    src_free(src);
}

static void test_fmt_verify_refuses(void **state)
{
    (void)state;
    const char *in = "package p # c\ndef f(x) = (x or x) and x\n";
    check_verify(in, "package p # c\ndef f(x) = (x or x) and x\n", NULL);
    /* a different tree */
    check_verify(in, "package p # c\ndef f(x) = x or x and x\n", "syntax tree differs");
    /* a lost or changed comment */
    check_verify(in, "package p\ndef f(x) = (x or x) and x\n", "comments");
    check_verify(in, "package p # d\ndef f(x) = (x or x) and x\n", "comment at line 1 changed");
    /* the same tree, but a token spelled differently */
    check_verify("package p\nparam a = 1.50\n", "package p\nparam a = 1.5\n", "token at line 2");
    /* not canonical: formatting it again would change it */
    check_verify(in, "package  p # c\ndef f(x) = (x or x) and x\n", "again changes");
    /* not even a program */
    check_verify(in, "package p # c\ndef f(x) = (x or x and x\n", "does not parse");
}

/* ---- -d: the unified diff ------------------------------------------------ */

/* fmt_diff(a, b) as text, and its number of hunks. */
static void check_diff(const char *a, const char *b, size_t hunks, const char *want)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(fmt_diff(f, "x.aip", a, strlen(a), b, strlen(b)), hunks);
    long n = ftell(f);
    assert_true(n >= 0);
    char *got = test_calloc(1, (size_t)n + 1);
    rewind(f);
    assert_int_equal(fread(got, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    assert_string_equal(got, want);
    test_free(got);
}

static void test_fmt_diff(void **state)
{
    (void)state;
    check_diff("a\nb\n", "a\nb\n", 0, "");
    /* one change in the middle, three lines of context, deletions first */
    check_diff("1\n2\n3\n4\nold\n6\n7\n8\n9\n", "1\n2\n3\n4\nnew\n6\n7\n8\n9\n", 1,
               "--- a/x.aip\n+++ b/x.aip\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-old\n+new\n 6\n 7\n 8\n");
    /* changes more than 6 lines apart are two hunks; an insertion at the top */
    check_diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n",
               2,
               "--- a/x.aip\n+++ b/x.aip\n@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n"
               "@@ -7,4 +8,3 @@\n 7\n 8\n 9\n-10\n");
    /* a last line without a newline */
    check_diff("a\nb", "a\nb\n", 1,
               "--- a/x.aip\n+++ b/x.aip\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
    /* from nothing */
    check_diff("", "a\n", 1, "--- a/x.aip\n+++ b/x.aip\n@@ -0,0 +1,1 @@\n+a\n");
}

/* ---- every .aip file of the repository ---------------------------------- */

typedef struct repo_stats {
    unsigned formatted, malformed;
} repo_stats;

/* Inputs that are deliberately not valid policies. */
static int expected_malformed(const char *path)
{
    return strncmp(path, "./tests/fuzz/", 13) == 0 ||
           strncmp(path, "./tests/golden/errors/syntax/", 29) == 0 ||
           strncmp(path, "./tests/golden/fmt/", 19) == 0;
}

static void check_repo_file(const char *path, repo_stats *st)
{
    char err[1200];
    src_file *src = src_load(path, err, sizeof err);
    assert_non_null(src);
    diag_list d;
    diag_init(&d);
    char *out = NULL;
    size_t n = 0;
    fmt_status s = fmt_source(src, &d, &out, &n, err, sizeof err);
    if (s == FMT_SYNTAX && expected_malformed(path)) {
        st->malformed++;
    } else {
        if (s != FMT_OK)
            fprintf(stderr, "%s: %s\n", path, s == FMT_SYNTAX ? "syntax error" : err);
        assert_int_equal(s, FMT_OK);
        size_t n2;
        char *again = fmt_named(path, out, n, &n2);
        assert_int_equal(n2, n);
        assert_memory_equal(again, out, n);
        assert_true(same_tree(src->text, src->len, out, n));
        aip_free(again);
        st->formatted++;
    }
    aip_free(out);
    diag_free(&d);
    src_free(src);
}

static void walk_repo(const char *dir, repo_stats *st, unsigned depth)
{
    assert_true(depth < 16);
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        if (de->d_name[0] == '.' || (depth == 0 && (!strcmp(de->d_name, "build") ||
                                                     !strcmp(de->d_name, "bin"))))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat sb;
        if (lstat(path, &sb) != 0)
            continue;
        size_t len = strlen(path);
        if (S_ISDIR(sb.st_mode))
            walk_repo(path, st, depth + 1);
        else if (S_ISREG(sb.st_mode) && len > 4 && !strcmp(path + len - 4, ".aip"))
            check_repo_file(path, st);
    }
    closedir(dp);
}

static void test_fmt_every_repo_file(void **state)
{
    (void)state;
    repo_stats st = {0, 0};
    walk_repo(".", &st, 0); /* unit tests run from the repository root */
    /* the pack, examples, stdlib, bench and golden inputs are all there */
    assert_true(st.formatted >= 40);
    assert_true(st.malformed >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fmt_scanner_keeps_comments),
        cmocka_unit_test(test_fmt_ast_equal),
        cmocka_unit_test(test_fmt_declarations),
        cmocka_unit_test(test_fmt_control_and_metadata),
        cmocka_unit_test(test_fmt_statements),
        cmocka_unit_test(test_fmt_profiles_and_tests),
        cmocka_unit_test(test_fmt_expressions),
        cmocka_unit_test(test_fmt_literals_byte_for_byte),
        cmocka_unit_test(test_fmt_continuations),
        cmocka_unit_test(test_fmt_comments_everywhere),
        cmocka_unit_test(test_fmt_blank_lines_and_space),
        cmocka_unit_test(test_fmt_shipped_style_is_canonical),
        cmocka_unit_test(test_fmt_syntax_error),
        cmocka_unit_test(test_fmt_verify_refuses),
        cmocka_unit_test(test_fmt_diff),
        cmocka_unit_test(test_fmt_every_repo_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
