/* runtime/report_oscal.c - the evaluation as an OSCAL 1.1.3 assessment-results
 * document (JSON), for GRC tools and auditors. The mapping is documented in
 * docs/oscal.md; in short:
 *
 *   assessment-results
 *     metadata        title, dates = the evaluation date, version = aip's,
 *                     props: tool, bundle, facts/params/waivers files with
 *                     their SHA-256, evaluation date, profile; links to the
 *                     back-matter resources below
 *     import-ap       "#<uuid>" of the back-matter resource for the policy
 *                     bundle (aip has no separate OSCAL assessment plan: the
 *                     bundle, identified by its SHA-256, is the plan)
 *     results[0]      one result: start = end = the evaluation date,
 *                     summary props, the aip tool as an assessment asset,
 *                     reviewed-controls (one control-id per subcategory),
 *       observations  per control: what was evaluated (the facts files);
 *                     per aip finding: the message, relevant-evidence
 *                     "facts.yaml#L12", the policy rule as a link
 *       risks         per active waiver: status deviation-approved
 *       findings      per control: target objective-id "pr.aa-01_obj",
 *                     status satisfied / not-satisfied, prop aip-verdict
 *     back-matter     the bundle, facts, params and waivers files (rlinks
 *                     with SHA-256 hashes) and every waiver with its status
 *
 * Verdicts: pass -> satisfied (reason pass); fail -> not-satisfied (fail);
 * waived -> not-satisfied (fail) with the accepting waiver as a risk;
 * unknown, error -> not-satisfied (other); not_applicable -> satisfied
 * (other) with implementation-status not-applicable.
 *
 * Every UUID is a version 5 UUID (runtime/uuid.h): the run namespace folds
 * the integrity data (tool version, bundle and file hashes, names, date,
 * profile, gate rule) into aip's namespace; each object's UUID is its name
 * (e.g. "finding/PR.AA-01") in the run namespace. Same inputs, same bytes;
 * a different date, file or bundle, different UUIDs.
 *
 * Text from facts, policies and waivers is escaped for where it goes: in
 * Markdown fields (title, description, remarks, statement) control
 * characters become \xNN / \u00NN as in the text report, Markdown
 * punctuation gets a backslash (see sb_md), and file names, fact paths and
 * hashes are code spans; in OSCAL string fields (prop values, which
 * must be one trimmed line) control characters are escaped the same way and
 * surrounding white space is trimmed. Invalid UTF-8 becomes U+FFFD
 * (runtime/json_out.c).
 *
 * What it is not: a verdict or gate decision (runtime/vm.c,
 * runtime/waivers.c), an OSCAL validator (tests/report/oscal.sh runs ajv
 * on the output), or a catalog: control ids are the bundle's.
 */
#include "runtime/report.h"

#include <stdarg.h>
#include <string.h>

#include "runtime/json_out.h"
#include "runtime/uuid.h"
#include "runtime/version.h"

/* The namespace of aip's own property names (props carry ns = this). */
#define OSCAL_NS "https://aip.dev/ns/oscal"
#define OSCAL_VERSION "1.1.3"

/* uuid5(url namespace, OSCAL_NS): aip's UUID namespace (tests check it). */
static const aip_uuid aip_ns = {{0x04, 0x3b, 0x4d, 0x36, 0xc6, 0x1e, 0x56, 0x43,
                                 0x92, 0x0a, 0xc3, 0x4a, 0xd5, 0xfa, 0x8a, 0x39}};

/* ---- a growable buffer for composed and escaped text ---------------------- */

typedef struct sbuf { char *p; size_t n, cap; } sbuf;

static void sb_need(sbuf *s, size_t more)
{
    if (s->n + more + 1 <= s->cap)
        return;
    size_t cap = s->cap ? s->cap : 256;
    while (cap < s->n + more + 1)
        cap *= 2;
    s->p = aip_xrealloc(s->p, cap);
    s->cap = cap;
}

static void sb_putn(sbuf *s, const char *t, size_t n)
{
    sb_need(s, n);
    memcpy(s->p + s->n, t, n);
    s->n += n;
    s->p[s->n] = '\0';
}

static void sb_put(sbuf *s, const char *t)
{
    if (t)
        sb_putn(s, t, strlen(t));
}

static void sb_printf(sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k <= 0)
        return;
    sb_need(s, (size_t)k);
    va_start(ap, fmt);
    vsnprintf(s->p + s->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    s->n += (size_t)k;
}

/* Is t[i] the start of a character that is escaped? Returns the bytes it
 * spans: 1 for C0 and DEL, 2 for a UTF-8 C1 (C2 80..C2 9F), 3 for U+2028
 * and U+2029 (line breaks to JSON Schema's "." and so to OSCAL strings). */
static size_t control_at(const unsigned char *t, size_t n, size_t i)
{
    if (t[i] < 0x20 || t[i] == 0x7f)
        return 1;
    if (t[i] == 0xC2 && i + 1 < n && t[i + 1] >= 0x80 && t[i + 1] <= 0x9F)
        return 2;
    if (t[i] == 0xE2 && i + 2 < n && t[i + 1] == 0x80 && (t[i + 2] == 0xA8 || t[i + 2] == 0xA9))
        return 3;
    return 0;
}

static void sb_control(sbuf *s, const unsigned char *t, size_t k)
{
    if (k == 1)
        sb_printf(s, "\\x%02x", t[0]);
    else if (k == 2)
        sb_printf(s, "\\u%04x", t[1]);
    else
        sb_printf(s, "\\u%04x", t[2] == 0xA8 ? 0x2028 : 0x2029);
}

/* Append t[0..n) with control characters escaped. */
static void sb_plain(sbuf *s, const char *str, size_t n)
{
    const unsigned char *t = (const unsigned char *)str;
    size_t start = 0, i = 0;
    while (i < n) {
        size_t k = control_at(t, n, i);
        if (!k) {
            i++;
            continue;
        }
        sb_putn(s, str + start, i - start);
        sb_control(s, t + i, k);
        i += k;
        start = i;
    }
    sb_putn(s, str + start, n - start);
}

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Append t[0..n) as Markdown whose rendering is the text itself, inert:
 * control characters escaped; a backslash before \ * < > & ~ [ (no
 * emphasis, HTML, entity, strike-through or link can form), before _
 * unless it is inside a word (where CommonMark never makes emphasis of it),
 * and before what would open a block (heading, list item, setext line) at
 * the start of the piece. A backtick string that a backtick string of the
 * same length closes is a code span, copied as it is (its content is
 * literal; only control characters are escaped); an unclosed one is
 * escaped. Hostile inventory text stays text in any Markdown renderer. */
static void sb_md(sbuf *s, const char *str, size_t n)
{
    const unsigned char *t = (const unsigned char *)str;
    size_t i = 0;
    if (n && (t[0] == '#' || t[0] == '-' || t[0] == '+' || t[0] == '=')) {
        sb_putn(s, "\\", 1);
    } else {
        size_t d = 0;   /* "1." or "1)" opens an ordered list */
        while (d < n && t[d] >= '0' && t[d] <= '9')
            d++;
        if (d > 0 && d < n && (t[d] == '.' || t[d] == ')')) {
            sb_putn(s, str, d);
            sb_putn(s, "\\", 1);
            i = d;
        }
    }
    size_t start = i;
    uint32_t unclosed = 0;   /* bit r-1: no backtick string of length r closes after here */
    while (i < n) {
        size_t k = control_at(t, n, i);
        unsigned char c = t[i];
        if (k) {
            sb_putn(s, str + start, i - start);
            sb_control(s, t + i, k);
            i += k;
            start = i;
        } else if (c == '`') {
            size_t run = 0, j, close = 0;
            while (i + run < n && t[i + run] == '`')
                run++;
            /* at most one failed search per length, and none past 32: an
             * escaped span is always safe, so the work stays linear */
            if (run >= 1 && run <= 32 && !(unclosed >> (run - 1) & 1)) {
                for (j = i + run; j < n && !close;) {
                    size_t r2 = 0;
                    while (j + r2 < n && t[j + r2] == '`')
                        r2++;
                    if (r2 == run)
                        close = j + r2;
                    j += r2 ? r2 : 1;
                }
                if (!close)
                    unclosed |= 1u << (run - 1);
            }
            sb_putn(s, str + start, i - start);
            if (close) {
                sb_plain(s, str + i, close - i);
                i = close;
            } else {
                for (size_t q = 0; q < run; q++)
                    sb_putn(s, "\\`", 2);
                i += run;
            }
            start = i;
        } else if (c == '\\' || c == '*' || c == '<' || c == '>' || c == '&' || c == '~' || c == '[' ||
                   (c == '_' && !(i > 0 && is_alnum(t[i - 1]) && i + 1 < n && is_alnum(t[i + 1])))) {
            sb_putn(s, str + start, i - start);
            sb_putn(s, "\\", 1);
            sb_putn(s, str + i, 1);
            i++;
            start = i;
        } else {
            i++;
        }
    }
    sb_putn(s, str + start, n - start);
}

static void sb_mds(sbuf *s, const char *t)
{
    if (t)
        sb_md(s, t, strlen(t));
}

/* Append t as a Markdown code span (file names, fact paths, hashes: shown
 * exactly, nothing inside is markup): fenced by one backtick more than the
 * longest run of backticks in t, padded with a space when t starts or ends
 * with one; control characters escaped. */
static void sb_code(sbuf *s, const char *t)
{
    size_t n = t ? strlen(t) : 0, run = 0, longest = 0;
    for (size_t i = 0; i < n; i++) {
        run = t[i] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    int pad = n && (t[0] == '`' || t[n - 1] == '`');
    for (size_t i = 0; i <= longest; i++)
        sb_putn(s, "`", 1);
    if (pad)
        sb_putn(s, " ", 1);
    sb_plain(s, t ? t : "", n);
    if (pad)
        sb_putn(s, " ", 1);
    for (size_t i = 0; i <= longest; i++)
        sb_putn(s, "`", 1);
}

/* Bytes of white space (as JSON Schema's \s sees it, after control
 * characters are escaped) ending at / starting at a position. */
static size_t space_at(const unsigned char *t, size_t n, size_t i)
{
    if (t[i] == ' ')
        return 1;
    if (t[i] == 0xC2 && i + 1 < n && t[i + 1] == 0xA0)
        return 2;                                          /* U+00A0 */
    if (i + 2 >= n)
        return 0;
    if (t[i] == 0xE1 && t[i + 1] == 0x9A && t[i + 2] == 0x80)
        return 3;                                          /* U+1680 */
    if (t[i] == 0xE2 && t[i + 1] == 0x80 && ((t[i + 2] >= 0x80 && t[i + 2] <= 0x8A) || t[i + 2] == 0xAF))
        return 3;                                          /* U+2000..200A, U+202F */
    if (t[i] == 0xE2 && t[i + 1] == 0x81 && t[i + 2] == 0x9F)
        return 3;                                          /* U+205F */
    if (t[i] == 0xE3 && t[i + 1] == 0x80 && t[i + 2] == 0x80)
        return 3;                                          /* U+3000 */
    if (t[i] == 0xEF && t[i + 1] == 0xBB && t[i + 2] == 0xBF)
        return 3;                                          /* U+FEFF */
    return 0;
}

static size_t space_before(const unsigned char *t, size_t end)
{
    for (size_t k = 1; k <= 3 && k <= end; k++)
        if (space_at(t, end, end - k) == k)
            return k;
    return 0;
}

/* ---- the writer's state ----------------------------------------------------------- */

typedef struct ox {
    jw w;
    sbuf s;                     /* scratch for one string at a time */
    const eval_result *r;
    const bundle *b;
    aip_uuid run;               /* the run namespace */
    char when[24];              /* the evaluation date as an OSCAL date-time */
    const char *bundle_sha;     /* hex or NULL */
} ox;

/* The scratch buffer, emptied. */
static sbuf *scratch(ox *x)
{
    x->s.n = 0;
    sb_need(&x->s, 0);
    x->s.p[0] = '\0';
    return &x->s;
}

/* Write the scratch buffer as a JSON string. */
static void put_scratch(ox *x)
{
    jw_stringn(&x->w, x->s.p, x->s.n);
}

/* An OSCAL string (one line, no surrounding white space, not empty):
 * t[0..n) with control characters escaped and trimmed; empty becomes
 * "(empty)". */
static void put_line(ox *x, const char *t, size_t n)
{
    sbuf *s = scratch(x);
    sb_plain(s, t ? t : "", t ? n : 0);
    const unsigned char *u = (const unsigned char *)s->p;
    size_t a = 0, e = s->n, k;
    while (a < e && (k = space_at(u, e, a)) != 0)
        a += k;
    while (e > a && (k = space_before(u, e)) != 0)
        e -= k;
    if (a == e)
        jw_string(&x->w, "(empty)");
    else
        jw_stringn(&x->w, s->p + a, e - a);
}

static void put_lines(ox *x, const char *t)
{
    put_line(x, t, t ? strlen(t) : 0);
}

/* Markdown text for a title or description. */
static void put_md(ox *x, const char *t)
{
    sbuf *s = scratch(x);
    sb_mds(s, t);
    put_scratch(x);
}

/* An OSCAL token (^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$) from an id: ASCII
 * letters lower-cased, digits, '.', '-' and '_' kept, anything else '_';
 * a leading non-letter gets a '_' before it. "PR.AA-01" -> "pr.aa-01". */
static void sb_token(sbuf *s, const char *id)
{
    const char *t = id ? id : "";
    int lead = !((*t >= 'A' && *t <= 'Z') || (*t >= 'a' && *t <= 'z') || *t == '_');
    if (lead)
        sb_putn(s, "_", 1);
    for (; *t; t++) {
        char c = *t;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
            c = '_';
        sb_putn(s, &c, 1);
    }
}

/* A URI reference to a file path as given: unreserved characters, '/',
 * and sub-delimiters as they are, everything else percent-encoded (':'
 * too, so a first segment never reads as a scheme). */
static void sb_path_uri(sbuf *s, const char *path)
{
    static const char hx[] = "0123456789ABCDEF";
    const unsigned char *t = (const unsigned char *)(path ? path : "");
    if (!*t)
        sb_putn(s, ".", 1);
    for (; *t; t++) {
        unsigned char c = *t;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            strchr("-._~/!$&'()*+,;=@", c)) {
            sb_putn(s, (const char *)t, 1);
        } else {
            char e[3] = { '%', hx[c >> 4], hx[c & 15] };
            sb_putn(s, e, 3);
        }
    }
}

/* ---- UUIDs -------------------------------------------------------------------- */

static aip_uuid fold(aip_uuid ns, const char *key, const char *value)
{
    const char *part[3] = { key, value ? "=" : NULL, value };
    size_t len[3] = { strlen(key), value ? 1 : 0, value ? strlen(value) : 0 };
    return aip_uuid5_parts(&ns, 3, part, len);
}

/* The run namespace: every input that decides the document, folded in a
 * fixed order (docs/oscal.md lists it). */
static aip_uuid run_namespace(const eval_result *r, const char *bundle_sha)
{
    aip_uuid u = aip_ns;
    u = fold(u, "tool", "aip/" AIP_VERSION);
    u = fold(u, "bundle-sha256", bundle_sha);
    for (uint32_t i = 0; i < r->nfact_files; i++) {
        u = fold(u, "facts", r->fact_files ? r->fact_files[i] : NULL);
        u = fold(u, "facts-sha256", r->fact_sha256 ? r->fact_sha256[i] : NULL);
    }
    u = fold(u, "params", r->params_file);
    u = fold(u, "params-sha256", r->params_sha256);
    u = fold(u, "waivers", r->waivers_file);
    u = fold(u, "waivers-sha256", r->waivers_sha256);
    u = fold(u, "evaluated-at", r->evaluated_at);
    u = fold(u, "profile", r->profile);
    u = fold(u, "fail-on", r->fail_on ? r->fail_on : "mandatory");
    return u;
}

/* The UUID named kind + "/" + a + ("/" + n when n > 0) in ns. */
static void put_uuid_in(ox *x, const aip_uuid *ns, const char *kind, const char *a, uint32_t n)
{
    char num[16] = "";
    if (n)
        snprintf(num, sizeof num, "/%u", n);
    const char *part[4] = { kind, a ? "/" : NULL, a, num };
    size_t len[4] = { strlen(kind), a ? 1 : 0, a ? strlen(a) : 0, strlen(num) };
    aip_uuid u = aip_uuid5_parts(ns, 4, part, len);
    char text[AIP_UUID_TEXT + 1];
    aip_uuid_format(&u, text);
    jw_string(&x->w, text);
}

static void put_uuid(ox *x, const char *kind, const char *a, uint32_t n)
{
    put_uuid_in(x, &x->run, kind, a, n);
}

static void member_uuid(ox *x, const char *key, const char *kind, const char *a, uint32_t n)
{
    jw_key(&x->w, key);
    put_uuid(x, kind, a, n);
}

/* "#<uuid>" of an object of this document. */
static void put_fragment(ox *x, const char *kind, const char *a, uint32_t n)
{
    char num[16] = "";
    if (n)
        snprintf(num, sizeof num, "/%u", n);
    const char *part[4] = { kind, a ? "/" : NULL, a, num };
    size_t len[4] = { strlen(kind), a ? 1 : 0, a ? strlen(a) : 0, strlen(num) };
    aip_uuid u = aip_uuid5_parts(&x->run, 4, part, len);
    char text[AIP_UUID_TEXT + 2];
    text[0] = '#';
    aip_uuid_format(&u, text + 1);
    jw_string(&x->w, text);
}

/* ---- small pieces ------------------------------------------------------------- */

/* Is d a real calendar date YYYY-MM-DD that OSCAL's date-time accepts
 * (years 1900..2999)? */
static int valid_date(const char *d)
{
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
            return 0;
    int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    int m = (d[5] - '0') * 10 + (d[6] - '0');
    int day = (d[8] - '0') * 10 + (d[9] - '0');
    static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || day < 1 || day > mdays[m - 1])
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && day == 29 && !leap);
}

/* Is h 64 hex digits? */
static int valid_sha256(const char *h)
{
    if (!h || strlen(h) != 64)
        return 0;
    for (int i = 0; i < 64; i++)
        if (!strchr("0123456789abcdefABCDEF", h[i]))
            return 0;
    return 1;
}

/* {"name": name, "ns": OSCAL_NS, ["class": cls,] ["group": group,] "value": value} */
static void prop_full(ox *x, const char *name, const char *cls, const char *group, const char *value,
                      size_t len)
{
    jw_object_begin(&x->w);
    jw_member_string(&x->w, "name", name);
    jw_member_string(&x->w, "ns", OSCAL_NS);
    if (cls)
        jw_member_string(&x->w, "class", cls);
    if (group)
        jw_member_string(&x->w, "group", group);
    jw_key(&x->w, "value");
    put_line(x, value, len);
    jw_object_end(&x->w);
}

static void prop(ox *x, const char *name, const char *value)
{
    prop_full(x, name, NULL, NULL, value, value ? strlen(value) : 0);
}

static void prop_int(ox *x, const char *name, uint64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%llu", (unsigned long long)v);
    prop(x, name, num);
}

static void member_md(ox *x, const char *key, const char *t)
{
    jw_key(&x->w, key);
    put_md(x, t);
}

/* The methods of an observation: attestations are records aip examines
 * (EXAMINE); a `require` is an automated check of the inventory against a
 * rule (TEST). */
enum { BY_TEST = 1, BY_EXAMINE = 2 };
static void methods(ox *x, unsigned how)
{
    jw_key(&x->w, "methods");
    jw_array_begin(&x->w);
    if (how & BY_EXAMINE)
        jw_string(&x->w, "EXAMINE");
    if ((how & BY_TEST) || !how)
        jw_string(&x->w, "TEST");
    jw_array_end(&x->w);
}

/* How the control blocks of c decide: BY_EXAMINE when one has `attest`,
 * BY_TEST when one's body has a `require` (a REQUIRE instruction). */
static unsigned control_methods(const bundle *b, const control_result *c)
{
    unsigned how = 0;
    if (!b || !c->id)
        return BY_TEST;
    for (uint32_t i = 0; i < b->controls.n; i++) {
        const bc_control *bc = &b->controls.v[i];
        const char *id = report_bundle_str(b, bc->id, NULL);
        if (bc->kind != BC_CTRL_CONTROL || !id || strcmp(id, c->id) != 0)
            continue;
        if (bc->has_attest)
            how |= BY_EXAMINE;
        if (bc->func >= b->funcs.n)
            continue;
        const bc_func *f = &b->funcs.v[bc->func];
        for (uint64_t pc = f->start; pc < (uint64_t)f->start + f->len && pc < b->code.n;) {
            unsigned op = BC_OP(b->code.v[pc]);
            if (op >= BC_NUM_OPS)
                break;
            if (op == OP_REQUIRE)
                how |= BY_TEST;
            pc += bc_op_len((bc_op)op);
        }
    }
    return how;
}

/* origins: the aip tool component (an assessment asset of the result). */
static void origins(ox *x)
{
    jw_key(&x->w, "origins");
    jw_array_begin(&x->w);
    jw_object_begin(&x->w);
    jw_key(&x->w, "actors");
    jw_array_begin(&x->w);
    jw_object_begin(&x->w);
    jw_member_string(&x->w, "type", "tool");
    jw_key(&x->w, "actor-uuid");
    put_uuid_in(x, &aip_ns, "component", "aip/" AIP_VERSION, 0);
    jw_object_end(&x->w);
    jw_array_end(&x->w);
    jw_object_end(&x->w);
    jw_array_end(&x->w);
}

static const char *media_type(const char *file)
{
    size_t n = file ? strlen(file) : 0;
    if ((n >= 5 && strcmp(file + n - 5, ".yaml") == 0) || (n >= 4 && strcmp(file + n - 4, ".yml") == 0))
        return "application/yaml";
    if (n >= 5 && strcmp(file + n - 5, ".json") == 0)
        return "application/json";
    return NULL;
}

static int is_attestation(const finding *f)
{
    return f->path && strncmp(f->path, "attestations", 12) == 0 &&
           (f->path[12] == '\0' || f->path[12] == '[' || f->path[12] == '.');
}

/* Index of waiver w in r->waivers (1-based), or 0 when it is not there. */
static uint32_t waiver_number(const eval_result *r, const waiver *w)
{
    if (!w || !r->waivers)
        return 0;
    for (uint32_t i = 0; i < r->nwaivers; i++)
        if (&r->waivers[i] == w)
            return i + 1;
    return 0;
}

static const char *waiver_id(const waiver *w)
{
    return w && w->id ? w->id : "(no id)";
}

/* ---- verdict mapping ---------------------------------------------------------- */

typedef struct status_map {
    const char *state;       /* satisfied / not-satisfied */
    const char *reason;      /* pass / fail / other */
    const char *remarks;
} status_map;

static status_map map_verdict(verdict v)
{
    switch (v) {
    case VERDICT_PASS:
        return (status_map){ "satisfied", "pass", "Every requirement aip evaluated for this subcategory held." };
    case VERDICT_FAIL:
        return (status_map){ "not-satisfied", "fail", "At least one requirement was evaluated and did not hold." };
    case VERDICT_WAIVED:
        return (status_map){ "not-satisfied", "fail",
                             "Requirements did not hold, and every violation is covered by an unexpired waiver: "
                             "the risk is accepted (see the related risks), not remediated. aip's gate does not "
                             "fail on a waived control." };
    case VERDICT_UNKNOWN:
        return (status_map){ "not-satisfied", "other",
                             "Missing evidence: the inventory does not record what a requirement needs, so aip "
                             "could not decide it. Not taken as satisfied; aip's gate fails on it like a failure." };
    case VERDICT_NOT_APPLICABLE:
        return (status_map){ "satisfied", "other",
                             "Not applicable: the policy's scope matched nothing in the inventory, so no "
                             "requirement applied (implementation-status not-applicable)." };
    case VERDICT_ERROR:
    default:
        return (status_map){ "not-satisfied", "other",
                             "The evaluation of this subcategory stopped with an error (a runtime error or an "
                             "exceeded budget): nothing was decided, so it is not taken as satisfied." };
    }
}

/* ---- metadata ------------------------------------------------------------------- */

static void file_props(ox *x, const char *what, const char *group, const char *file, const char *sha)
{
    char name[32];
    prop_full(x, what, NULL, group, file, file ? strlen(file) : 0);
    snprintf(name, sizeof name, "%s-sha256", what);
    if (sha)
        prop_full(x, name, NULL, group, sha, strlen(sha));
}

/* A link to an object of this document; text is prose, or a file name
 * (shown as code) when file is set. */
static void link(ox *x, const char *rel, const char *kind, const char *a, uint32_t n, const char *text,
                 int file)
{
    jw_object_begin(&x->w);
    jw_key(&x->w, "href");
    put_fragment(x, kind, a, n);
    jw_member_string(&x->w, "rel", rel);
    if (text) {
        jw_key(&x->w, "text");
        sbuf *s = scratch(x);
        if (file)
            sb_code(s, text);
        else
            sb_mds(s, text);
        put_scratch(x);
    }
    jw_object_end(&x->w);
}

static void write_metadata(ox *x)
{
    const eval_result *r = x->r;
    jw *w = &x->w;
    jw_key(w, "metadata");
    jw_object_begin(w);

    sbuf *s = scratch(x);
    sb_put(s, "aip evaluation against NIST CSF 2.0 subcategories (NIST IR 8596 Cyber AI Profile)");
    if (r->profile) {
        sb_put(s, ", profile ");
        sb_mds(s, r->profile);
    }
    sb_put(s, ", ");
    sb_mds(s, r->evaluated_at ? r->evaluated_at : "no date");
    jw_key(w, "title");
    put_scratch(x);
    jw_member_string(w, "published", x->when);
    jw_member_string(w, "last-modified", x->when);
    jw_member_string(w, "version", AIP_VERSION);
    jw_member_string(w, "oscal-version", OSCAL_VERSION);

    jw_key(w, "props");
    jw_array_begin(w);
    prop(x, "tool", "aip");
    prop(x, "tool-version", AIP_VERSION);
    if (x->bundle_sha)
        prop(x, "bundle-sha256", x->bundle_sha);
    for (uint32_t i = 0; i < r->nfact_files; i++) {
        char group[24];
        snprintf(group, sizeof group, "facts-%u", i + 1);
        file_props(x, "facts", group, r->fact_files ? r->fact_files[i] : NULL,
                   r->fact_sha256 ? r->fact_sha256[i] : NULL);
    }
    if (r->params_file)
        file_props(x, "params", "params", r->params_file, r->params_sha256);
    if (r->waivers_file)
        file_props(x, "waivers", "waivers", r->waivers_file, r->waivers_sha256);
    prop(x, "evaluated-at", r->evaluated_at ? r->evaluated_at : "(unknown)");
    if (r->profile) {
        prop(x, "profile", r->profile);
    } else {
        jw_object_begin(w);
        jw_member_string(w, "name", "profile");
        jw_member_string(w, "ns", OSCAL_NS);
        jw_member_string(w, "value", "(none)");
        jw_member_string(w, "remarks", "No profile was selected: every control of the bundle was evaluated.");
        jw_object_end(w);
    }
    jw_array_end(w);

    jw_key(w, "links");
    jw_array_begin(w);
    link(x, "policy-bundle", "resource", "bundle", 0, "The compiled policy bundle (the assessment plan)", 0);
    for (uint32_t i = 0; i < r->nfact_files; i++)
        link(x, "facts", "resource", "facts", i + 1, r->fact_files ? r->fact_files[i] : NULL, 1);
    if (r->params_file)
        link(x, "params", "resource", "params", 0, r->params_file, 1);
    if (r->waivers_file)
        link(x, "waivers", "resource", "waivers", 0, r->waivers_file, 1);
    jw_array_end(w);

    jw_member_string(w, "remarks",
                     "Written by aip from one evaluation; identical inputs give an identical document. "
                     "Each finding's aip-verdict property is aip's exact verdict; docs/oscal.md says how "
                     "verdicts map onto satisfied and not-satisfied.");
    jw_object_end(w);
}

/* ---- the result --------------------------------------------------------------------- */

static void write_assets(ox *x)
{
    jw *w = &x->w;
    jw_key(w, "local-definitions");
    jw_object_begin(w);
    jw_key(w, "assessment-assets");
    jw_object_begin(w);
    jw_key(w, "components");
    jw_array_begin(w);
    jw_object_begin(w);
    jw_key(w, "uuid");
    put_uuid_in(x, &aip_ns, "component", "aip/" AIP_VERSION, 0);
    jw_member_string(w, "type", "software");
    jw_member_string(w, "title", "aip " AIP_VERSION);
    jw_member_string(w, "description",
                     "aip, a policy-as-code evaluator: it evaluates a compiled policy bundle against inventory "
                     "facts and gives each CSF 2.0 subcategory a verdict with findings.");
    jw_key(w, "props");
    jw_array_begin(w);
    prop(x, "tool-version", AIP_VERSION);
    jw_array_end(w);
    jw_key(w, "status");
    jw_object_begin(w);
    jw_member_string(w, "state", "operational");
    jw_object_end(w);
    jw_object_end(w);
    jw_array_end(w);
    jw_key(w, "assessment-platforms");
    jw_array_begin(w);
    jw_object_begin(w);
    jw_key(w, "uuid");
    put_uuid_in(x, &aip_ns, "platform", "aip/" AIP_VERSION, 0);
    jw_member_string(w, "title", "aip command line");
    jw_key(w, "uses-components");
    jw_array_begin(w);
    jw_object_begin(w);
    jw_key(w, "component-uuid");
    put_uuid_in(x, &aip_ns, "component", "aip/" AIP_VERSION, 0);
    jw_object_end(w);
    jw_array_end(w);
    jw_object_end(w);
    jw_array_end(w);
    jw_object_end(w);
    jw_object_end(w);
}

static void write_reviewed_controls(ox *x)
{
    const eval_result *r = x->r;
    jw *w = &x->w;
    jw_key(w, "reviewed-controls");
    jw_object_begin(w);
    member_md(x, "description", r->profile
              ? "The subcategories of the selected profile that the policy bundle defines."
              : "Every subcategory the policy bundle defines.");
    jw_key(w, "props");
    jw_array_begin(w);
    prop(x, "catalog", "NIST CSF 2.0");
    prop(x, "profile", r->profile ? r->profile : "(none)");
    jw_array_end(w);
    jw_key(w, "control-selections");
    jw_array_begin(w);
    jw_object_begin(w);
    if (r->ncontrols) {
        jw_key(w, "include-controls");
        jw_array_begin(w);
        for (uint32_t i = 0; i < r->ncontrols; i++) {
            jw_object_begin(w);
            jw_key(w, "control-id");
            sbuf *s = scratch(x);
            sb_token(s, r->controls[i].id);
            put_scratch(x);
            jw_object_end(w);
        }
        jw_array_end(w);
    } else {
        jw_member_string(w, "remarks", "No control was evaluated.");
    }
    jw_object_end(w);
    jw_array_end(w);
    if (r->ncontrols) {
        jw_key(w, "control-objective-selections");
        jw_array_begin(w);
        jw_object_begin(w);
        jw_key(w, "include-objectives");
        jw_array_begin(w);
        for (uint32_t i = 0; i < r->ncontrols; i++) {
            jw_object_begin(w);
            jw_key(w, "objective-id");
            sbuf *s = scratch(x);
            sb_token(s, r->controls[i].id);
            sb_put(s, "_obj");
            put_scratch(x);
            jw_object_end(w);
        }
        jw_array_end(w);
        jw_object_end(w);
        jw_array_end(w);
    }
    jw_object_end(w);
}

static uint32_t count_kind(const control_result *c, finding_kind k)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < c->nfindings; i++)
        n += c->findings[i].kind == k;
    return n;
}

/* relevant-evidence for every facts file (the control observation). */
static void facts_evidence(ox *x)
{
    const eval_result *r = x->r;
    jw *w = &x->w;
    if (!r->nfact_files)
        return;
    jw_key(w, "relevant-evidence");
    jw_array_begin(w);
    for (uint32_t i = 0; i < r->nfact_files; i++) {
        const char *file = r->fact_files ? r->fact_files[i] : NULL;
        const char *sha = r->fact_sha256 ? r->fact_sha256[i] : NULL;
        jw_object_begin(w);
        jw_key(w, "href");
        sbuf *s = scratch(x);
        sb_path_uri(s, file);
        put_scratch(x);
        s = scratch(x);
        sb_put(s, "Facts file ");
        sb_code(s, file ? file : "(unnamed)");
        if (sha) {
            sb_put(s, ", SHA-256 ");
            sb_code(s, sha);
        }
        jw_key(w, "description");
        put_scratch(x);
        jw_object_end(w);
    }
    jw_array_end(w);
}

/* The observation of control c as a whole: what aip evaluated and decided. */
static void write_control_observation(ox *x, const control_result *c)
{
    jw *w = &x->w;
    const bc_control *bc = report_bundle_control(x->b, c);
    uint32_t nv = count_kind(c, FINDING_VIOLATION), nm = count_kind(c, FINDING_MISSING_EVIDENCE);
    const char *id = c->id ? c->id : "";

    jw_object_begin(w);
    member_uuid(x, "uuid", "observation", id, 0);
    sbuf *s = scratch(x);
    sb_mds(s, id);
    sb_put(s, ": evaluation of the policy");
    jw_key(w, "title");
    put_scratch(x);

    s = scratch(x);
    sb_put(s, "aip evaluated the policy for ");
    sb_mds(s, id);
    sb_put(s, " against the facts. ");
    switch (c->verdict) {
    case VERDICT_ERROR:
        sb_put(s, "The evaluation stopped: ");
        sb_mds(s, c->error ? c->error : "error without a message");
        break;
    case VERDICT_NOT_APPLICABLE:
        sb_put(s, "No requirement applied: the scope matched nothing.");
        break;
    default:
        sb_printf(s, "Requirement checks that held: %u; violations: %u; missing evidence: %u.",
                  c->requirements_held, nv, nm);
        break;
    }
    jw_key(w, "description");
    put_scratch(x);

    jw_key(w, "props");
    jw_array_begin(w);
    prop(x, "aip-verdict", verdict_name(c->verdict));
    prop_int(x, "requirements-held", c->requirements_held);
    if (bc) {
        for (uint32_t i = 0; i < bc->nevidence; i++) {
            uint64_t k = (uint64_t)bc->evidence + i;
            size_t len = 0;
            const char *ev = k < x->b->evidence_refs.n ? report_bundle_str(x->b, x->b->evidence_refs.v[k], &len) : NULL;
            if (ev)
                prop_full(x, "evidence-expected", NULL, NULL, ev, len);
        }
    }
    jw_array_end(w);

    methods(x, control_methods(x->b, c));
    jw_key(w, "types");
    jw_array_begin(w);
    jw_string(w, "control-objective");
    jw_array_end(w);
    origins(x);
    facts_evidence(x);
    jw_member_string(w, "collected", x->when);
    jw_object_end(w);
}

/* The observation of finding number n (1-based) of control c. */
static void write_finding_observation(ox *x, const control_result *c, const finding *f, uint32_t n)
{
    jw *w = &x->w;
    const char *id = c->id ? c->id : "";
    const char *kind = f->kind == FINDING_VIOLATION ? "violation" : "missing evidence";

    jw_object_begin(w);
    member_uuid(x, "uuid", "observation", id, n);
    sbuf *s = scratch(x);
    sb_mds(s, id);
    sb_put(s, ": ");
    sb_put(s, kind);
    if (f->subject) {
        sb_put(s, " (");
        sb_mds(s, f->subject);
        sb_put(s, ")");
    }
    jw_key(w, "title");
    put_scratch(x);
    member_md(x, "description", f->message ? f->message : "");

    jw_key(w, "props");
    jw_array_begin(w);
    prop(x, "finding-kind", finding_kind_name(f->kind));
    if (f->subject)
        prop(x, "subject", f->subject);
    if (f->path && f->path[0])
        prop(x, "fact-path", f->path);
    if (f->waived_by) {
        prop(x, "waived-by", waiver_id(f->waived_by));
        if (f->waived_by->reason)
            prop(x, "waiver-reason", f->waived_by->reason);
    }
    jw_array_end(w);

    if (f->policy_file) {
        jw_key(w, "links");
        jw_array_begin(w);
        jw_object_begin(w);
        jw_key(w, "href");
        s = scratch(x);
        sb_path_uri(s, f->policy_file);
        if (f->policy_line)
            sb_printf(s, "#L%u", f->policy_line);
        put_scratch(x);
        jw_member_string(w, "rel", "policy-rule");
        s = scratch(x);
        sb_put(s, "The rule: ");
        sb_code(s, f->policy_file);
        if (f->policy_line)
            sb_printf(s, " line %u", f->policy_line);
        jw_key(w, "text");
        put_scratch(x);
        jw_object_end(w);
        jw_array_end(w);
    }

    methods(x, is_attestation(f) ? BY_EXAMINE : BY_TEST);
    jw_key(w, "types");
    jw_array_begin(w);
    jw_string(w, "finding");
    jw_array_end(w);
    origins(x);

    if (f->file) {
        jw_key(w, "relevant-evidence");
        jw_array_begin(w);
        jw_object_begin(w);
        jw_key(w, "href");
        s = scratch(x);
        sb_path_uri(s, f->file);
        if (f->line)
            sb_printf(s, "#L%u", f->line);
        put_scratch(x);
        s = scratch(x);
        sb_code(s, f->file);
        if (f->line)
            sb_printf(s, " line %u", f->line);
        if (f->line && f->col)
            sb_printf(s, ", column %u", f->col);
        if (f->path) {
            sb_put(s, ": ");
            if (f->path[0])
                sb_code(s, f->path);
            else
                sb_put(s, "the facts root");
        }
        if (f->kind == FINDING_MISSING_EVIDENCE)
            sb_put(s, " (the nearest recorded fact: the one needed is missing)");
        jw_key(w, "description");
        put_scratch(x);
        jw_object_end(w);
        jw_array_end(w);
    } else {
        jw_member_string(w, "remarks", "No facts file holds the deciding fact (a value the policy computed).");
    }
    jw_member_string(w, "collected", x->when);
    jw_object_end(w);
}

static void write_observations(ox *x)
{
    const eval_result *r = x->r;
    if (!r->ncontrols)
        return;
    jw_key(&x->w, "observations");
    jw_array_begin(&x->w);
    for (uint32_t i = 0; i < r->ncontrols; i++) {
        const control_result *c = &r->controls[i];
        write_control_observation(x, c);
        for (uint32_t k = 0; k < c->nfindings; k++)
            write_finding_observation(x, c, &c->findings[k], k + 1);
    }
    jw_array_end(&x->w);
}

/* A risk per active waiver: the violations it covers, accepted. */
static void write_risks(ox *x)
{
    const eval_result *r = x->r;
    jw *w = &x->w;
    int any = 0;
    for (uint32_t i = 0; i < r->nwaivers; i++) {
        const waiver *wv = &r->waivers[i];
        if (wv->status != WAIVER_ACTIVE)
            continue;
        if (!any) {
            jw_key(w, "risks");
            jw_array_begin(w);
            any = 1;
        }
        jw_object_begin(w);
        member_uuid(x, "uuid", "risk", "waiver", i + 1);
        sbuf *s = scratch(x);
        sb_put(s, "Accepted risk: waiver ");
        sb_code(s, waiver_id(wv));
        sb_put(s, " for ");
        sb_mds(s, wv->control ? wv->control : "(no control)");
        jw_key(w, "title");
        put_scratch(x);

        s = scratch(x);
        sb_put(s, "Waiver ");
        sb_code(s, waiver_id(wv));
        sb_put(s, " accepts the violations of ");
        sb_mds(s, wv->control ? wv->control : "(no control)");
        sb_put(s, " matching ");
        sb_code(s, wv->target ? wv->target : "(no target)");
        sb_put(s, ": ");
        sb_mds(s, wv->reason ? wv->reason : "(no reason)");
        jw_key(w, "description");
        put_scratch(x);

        s = scratch(x);
        sb_printf(s, "%u violation%s of ", wv->matched, wv->matched == 1 ? "" : "s");
        sb_mds(s, wv->control ? wv->control : "(no control)");
        sb_put(s, wv->matched == 1 ? " remains and is" : " remain and are");
        sb_put(s, " accepted, not remediated, until the waiver expires on ");
        sb_mds(s, wv->expires ? wv->expires : "(no date)");
        sb_put(s, "; approved by ");
        sb_mds(s, wv->approved_by ? wv->approved_by : "(nobody)");
        sb_put(s, ".");
        jw_key(w, "statement");
        put_scratch(x);

        jw_key(w, "props");
        jw_array_begin(w);
        prop(x, "waiver-id", waiver_id(wv));
        prop(x, "waiver-status", waiver_status_name(wv->status));
        prop(x, "control", wv->control);
        prop(x, "target", wv->target);
        prop(x, "approved-by", wv->approved_by);
        prop(x, "expires", wv->expires);
        prop_int(x, "matched", wv->matched);
        jw_array_end(w);
        jw_key(w, "links");
        jw_array_begin(w);
        link(x, "waiver", "resource", "waiver", i + 1, NULL, 0);
        jw_array_end(w);
        jw_member_string(w, "status", "deviation-approved");
        if (valid_date(wv->expires)) {
            char d[24];
            snprintf(d, sizeof d, "%sT00:00:00Z", wv->expires);
            jw_member_string(w, "deadline", d);
        }
        int rel = 0;
        for (uint32_t ci = 0; ci < r->ncontrols; ci++) {
            const control_result *c = &r->controls[ci];
            for (uint32_t k = 0; k < c->nfindings; k++) {
                if (c->findings[k].waived_by != wv)
                    continue;
                if (!rel) {
                    jw_key(w, "related-observations");
                    jw_array_begin(w);
                    rel = 1;
                }
                jw_object_begin(w);
                member_uuid(x, "observation-uuid", "observation", c->id ? c->id : "", k + 1);
                jw_object_end(w);
            }
        }
        if (rel)
            jw_array_end(w);
        jw_object_end(w);
    }
    if (any)
        jw_array_end(w);
}

static void write_finding(ox *x, const control_result *c)
{
    jw *w = &x->w;
    const eval_result *r = x->r;
    const char *id = c->id ? c->id : "";
    status_map st = map_verdict(c->verdict);
    uint32_t nv = count_kind(c, FINDING_VIOLATION), nm = count_kind(c, FINDING_MISSING_EVIDENCE);

    jw_object_begin(w);
    member_uuid(x, "uuid", "finding", id, 0);
    sbuf *s = scratch(x);
    sb_mds(s, id);
    sb_put(s, ": ");
    sb_mds(s, c->title ? c->title : "");
    jw_key(w, "title");
    put_scratch(x);

    s = scratch(x);
    sb_printf(s, "aip verdict: %s (%s).", verdict_name(c->verdict), report_enforce_name(c->enforce));
    switch (c->verdict) {
    case VERDICT_PASS:
        sb_printf(s, " Requirement checks that held: %u.", c->requirements_held);
        break;
    case VERDICT_FAIL:
        sb_printf(s, " Violations: %u; missing evidence: %u.", nv, nm);
        break;
    case VERDICT_WAIVED:
        sb_printf(s, " Violations: %u, each covered by an active waiver.", nv);
        break;
    case VERDICT_UNKNOWN:
        sb_printf(s, " Requirements that could not be decided for missing evidence: %u.", nm);
        break;
    case VERDICT_NOT_APPLICABLE:
        sb_put(s, " The scope matched nothing: no requirement applied.");
        break;
    default:
        sb_put(s, " ");
        sb_mds(s, c->error ? c->error : "error without a message");
        break;
    }
    jw_key(w, "description");
    put_scratch(x);

    jw_key(w, "props");
    jw_array_begin(w);
    prop(x, "aip-verdict", verdict_name(c->verdict));
    prop(x, "csf-subcategory", id);
    prop_full(x, "csf-function", NULL, NULL, id, report_id_function_len(id));
    prop_full(x, "csf-category", NULL, NULL, id, report_id_category_len(id));
    prop(x, "enforce", report_enforce_name(c->enforce));
    for (unsigned a = 0; a < REPORT_NFOCUS; a++)
        if (c->focus & (1u << a))
            prop(x, "focus", report_focus_name(a));
    for (unsigned a = 0; a < REPORT_NFOCUS; a++) {
        if (!c->priority[a])
            continue;
        char num[8];
        snprintf(num, sizeof num, "%u", c->priority[a]);
        prop_full(x, "priority", report_focus_name(a), NULL, num, strlen(num));
    }
    const bc_control *bc = report_bundle_control(x->b, c);
    if (bc) {
        for (uint32_t i = 0; i < bc->nmaps; i++) {
            uint64_t k = (uint64_t)bc->maps + i;
            if (k >= x->b->maps.n)
                continue;
            const char *fw = report_bundle_str(x->b, x->b->maps.v[k].framework, NULL);
            const char *ref = report_bundle_str(x->b, x->b->maps.v[k].ref, NULL);
            sbuf *m = scratch(x);
            sb_put(m, fw ? fw : "?");
            sb_put(m, ": ");
            sb_put(m, ref ? ref : "?");
            /* copy out: prop_full reuses the scratch buffer */
            char *mapped = aip_xstrdup(m->p);
            prop(x, "maps-to", mapped);
            aip_free(mapped);
        }
    }
    /* every waiver naming this control, with its status as the class */
    for (uint32_t i = 0; i < r->nwaivers; i++) {
        const waiver *wv = &r->waivers[i];
        if (wv->control && strcmp(wv->control, id) == 0)
            prop_full(x, "waiver", waiver_status_name(wv->status), NULL, waiver_id(wv), strlen(waiver_id(wv)));
    }
    jw_array_end(w);

    jw_key(w, "target");
    jw_object_begin(w);
    jw_member_string(w, "type", "objective-id");
    jw_key(w, "target-id");
    s = scratch(x);
    sb_token(s, id);
    sb_put(s, "_obj");
    put_scratch(x);
    jw_key(w, "status");
    jw_object_begin(w);
    jw_member_string(w, "state", st.state);
    jw_member_string(w, "reason", st.reason);
    jw_member_string(w, "remarks", st.remarks);
    jw_object_end(w);
    if (c->verdict == VERDICT_NOT_APPLICABLE) {
        jw_key(w, "implementation-status");
        jw_object_begin(w);
        jw_member_string(w, "state", "not-applicable");
        jw_object_end(w);
    }
    jw_object_end(w);

    jw_key(w, "related-observations");
    jw_array_begin(w);
    jw_object_begin(w);
    member_uuid(x, "observation-uuid", "observation", id, 0);
    jw_object_end(w);
    for (uint32_t k = 0; k < c->nfindings; k++) {
        jw_object_begin(w);
        member_uuid(x, "observation-uuid", "observation", id, k + 1);
        jw_object_end(w);
    }
    jw_array_end(w);

    int any = 0;
    for (uint32_t k = 0; k < c->nfindings; k++) {
        const waiver *wv = c->findings[k].waived_by;
        uint32_t wn = waiver_number(r, wv);
        int seen = 0;
        for (uint32_t j = 0; j < k && !seen; j++)
            seen = c->findings[j].waived_by == wv;
        if (!wn || seen || wv->status != WAIVER_ACTIVE)
            continue;
        if (!any) {
            jw_key(w, "related-risks");
            jw_array_begin(w);
            any = 1;
        }
        jw_object_begin(w);
        member_uuid(x, "risk-uuid", "risk", "waiver", wn);
        jw_object_end(w);
    }
    if (any)
        jw_array_end(w);
    jw_object_end(w);
}

static void write_result(ox *x)
{
    const eval_result *r = x->r;
    jw *w = &x->w;
    static const verdict order[] = {
        VERDICT_PASS, VERDICT_FAIL, VERDICT_UNKNOWN,
        VERDICT_NOT_APPLICABLE, VERDICT_WAIVED, VERDICT_ERROR,
    };
    const char *fail_on = r->fail_on ? r->fail_on : "mandatory";

    jw_object_begin(w);
    member_uuid(x, "uuid", "result", NULL, 0);
    sbuf *s = scratch(x);
    sb_put(s, "aip evaluation on ");
    sb_mds(s, r->evaluated_at ? r->evaluated_at : "(no date)");
    jw_key(w, "title");
    put_scratch(x);

    s = scratch(x);
    sb_put(s, "Policy-as-code evaluation of the facts in ");
    if (!r->nfact_files)
        sb_put(s, "no file");
    for (uint32_t i = 0; i < r->nfact_files; i++) {
        if (i)
            sb_put(s, i + 1 == r->nfact_files ? " and " : ", ");
        sb_code(s, r->fact_files && r->fact_files[i] ? r->fact_files[i] : "(unnamed)");
    }
    sb_printf(s, " against %u CSF 2.0 subcategor%s", r->summary.total, r->summary.total == 1 ? "y" : "ies");
    if (r->profile) {
        sb_put(s, " (profile ");
        sb_mds(s, r->profile);
        sb_put(s, ")");
    }
    sb_put(s, ":");
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        sb_printf(s, "%s %u %s", i ? "," : "", r->summary.counts[order[i]], verdict_name(order[i]));
    sb_printf(s, ". Gate: %s (fail-on ", r->gate_failed ? "fail" : "pass");
    sb_mds(s, fail_on);
    sb_put(s, ").");
    jw_key(w, "description");
    put_scratch(x);
    jw_member_string(w, "start", x->when);
    jw_member_string(w, "end", x->when);

    jw_key(w, "props");
    jw_array_begin(w);
    prop(x, "gate", r->gate_failed ? "fail" : "pass");
    prop(x, "fail-on", fail_on);
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        char num[16];
        snprintf(num, sizeof num, "%u", r->summary.counts[order[i]]);
        prop_full(x, "verdict-count", verdict_name(order[i]), NULL, num, strlen(num));
    }
    prop_int(x, "controls", r->summary.total);
    if (r->waivers_file) {
        static const waiver_status ws[] = { WAIVER_ACTIVE, WAIVER_EXPIRED, WAIVER_UNUSED };
        for (size_t k = 0; k < sizeof ws / sizeof ws[0]; k++) {
            uint32_t n = 0;
            for (uint32_t i = 0; i < r->nwaivers; i++)
                n += r->waivers[i].status == ws[k];
            char num[16];
            snprintf(num, sizeof num, "%u", n);
            prop_full(x, "waiver-count", waiver_status_name(ws[k]), NULL, num, strlen(num));
        }
    }
    jw_array_end(w);

    write_assets(x);
    write_reviewed_controls(x);
    write_observations(x);
    write_risks(x);
    if (r->ncontrols) {
        jw_key(w, "findings");
        jw_array_begin(w);
        for (uint32_t i = 0; i < r->ncontrols; i++)
            write_finding(x, &r->controls[i]);
        jw_array_end(w);
    }
    jw_object_end(w);
}

/* ---- back-matter ------------------------------------------------------------------ */

static void file_resource(ox *x, const char *title, const char *role, const char *kind, uint32_t n,
                          const char *file, const char *sha)
{
    jw *w = &x->w;
    jw_object_begin(w);
    member_uuid(x, "uuid", "resource", kind, n);
    sbuf *s = scratch(x);
    sb_put(s, title);
    sb_put(s, " ");
    sb_code(s, file ? file : "(unnamed)");
    jw_key(w, "title");
    put_scratch(x);
    jw_key(w, "props");
    jw_array_begin(w);
    prop(x, "resource-role", role);
    jw_array_end(w);
    jw_key(w, "rlinks");
    jw_array_begin(w);
    jw_object_begin(w);
    jw_key(w, "href");
    s = scratch(x);
    sb_path_uri(s, file);
    put_scratch(x);
    const char *mt = media_type(file);
    if (mt)
        jw_member_string(w, "media-type", mt);
    if (sha) {
        jw_key(w, "hashes");
        jw_array_begin(w);
        jw_object_begin(w);
        jw_member_string(w, "algorithm", "SHA-256");
        jw_key(w, "value");
        put_lines(x, sha);
        jw_object_end(w);
        jw_array_end(w);
    }
    jw_object_end(w);
    jw_array_end(w);
    jw_object_end(w);
}

/* "ni:///sha-256;<base64url>" (RFC 6920) for a 64-digit hex SHA-256. */
static void put_ni(ox *x, const char *hex)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char d[32];
    for (int i = 0; i < 32; i++) {
        int v = 0;
        for (int k = 0; k < 2; k++) {
            char c = hex[2 * i + k];
            v = v * 16 + (c >= '0' && c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        d[i] = (unsigned char)v;
    }
    sbuf *s = scratch(x);
    sb_put(s, "ni:///sha-256;");
    for (int i = 0; i < 32; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16 | (i + 1 < 32 ? (uint32_t)d[i + 1] << 8 : 0) |
                     (i + 2 < 32 ? d[i + 2] : 0);
        int chars = i + 2 < 32 ? 4 : i + 1 < 32 ? 3 : 2;
        for (int k = 0; k < chars; k++) {
            char c = b64[(v >> (18 - 6 * k)) & 63];
            sb_putn(s, &c, 1);
        }
    }
    put_scratch(x);
}

static void bundle_resource(ox *x)
{
    jw *w = &x->w;
    jw_object_begin(w);
    member_uuid(x, "uuid", "resource", "bundle", 0);
    jw_member_string(w, "title", "Policy bundle (the assessment plan)");
    jw_member_string(w, "description",
                     "The compiled aip policy bundle that was evaluated: the controls, their rules and their "
                     "metadata. aip writes no separate OSCAL assessment plan; import-ap points here. "
                     "`aip build` of the same policy sources gives the same bytes, so the SHA-256 identifies "
                     "the reviewed policy.");
    jw_key(w, "props");
    jw_array_begin(w);
    prop(x, "resource-role", "policy-bundle");
    if (x->bundle_sha)
        prop(x, "bundle-sha256", x->bundle_sha);
    jw_array_end(w);
    if (valid_sha256(x->bundle_sha)) {
        jw_key(w, "rlinks");
        jw_array_begin(w);
        jw_object_begin(w);
        jw_key(w, "href");
        put_ni(x, x->bundle_sha);
        jw_member_string(w, "media-type", "application/octet-stream");
        jw_key(w, "hashes");
        jw_array_begin(w);
        jw_object_begin(w);
        jw_member_string(w, "algorithm", "SHA-256");
        jw_member_string(w, "value", x->bundle_sha);
        jw_object_end(w);
        jw_array_end(w);
        jw_object_end(w);
        jw_array_end(w);
    } else {
        jw_member_string(w, "remarks", "The bundle's SHA-256 is unknown.");
    }
    jw_object_end(w);
}

static void waiver_resource(ox *x, const waiver *wv, uint32_t n)
{
    jw *w = &x->w;
    jw_object_begin(w);
    member_uuid(x, "uuid", "resource", "waiver", n);
    sbuf *s = scratch(x);
    sb_put(s, "Waiver ");
    sb_code(s, waiver_id(wv));
    sb_printf(s, " (%s)", waiver_status_name(wv->status));
    jw_key(w, "title");
    put_scratch(x);
    s = scratch(x);
    switch (wv->status) {
    case WAIVER_ACTIVE:
        sb_printf(s, "Active: covers %u violation%s. ", wv->matched, wv->matched == 1 ? "" : "s");
        break;
    case WAIVER_EXPIRED:
        sb_put(s, "Expired: it has no effect; the violations it names are reported as they are. ");
        break;
    default:
        sb_put(s, "Unused: unexpired, but it matched no violation. ");
        break;
    }
    sb_put(s, "Control ");
    sb_mds(s, wv->control ? wv->control : "(none)");
    sb_put(s, ", target ");
    sb_code(s, wv->target ? wv->target : "(none)");
    sb_put(s, ", approved by ");
    sb_mds(s, wv->approved_by ? wv->approved_by : "(nobody)");
    sb_put(s, ", expires ");
    sb_mds(s, wv->expires ? wv->expires : "(no date)");
    sb_put(s, ". Reason: ");
    sb_mds(s, wv->reason ? wv->reason : "(none)");
    jw_key(w, "description");
    put_scratch(x);
    jw_key(w, "props");
    jw_array_begin(w);
    prop(x, "resource-role", "waiver");
    prop(x, "waiver-id", waiver_id(wv));
    prop(x, "waiver-status", waiver_status_name(wv->status));
    prop(x, "control", wv->control);
    prop(x, "target", wv->target);
    prop(x, "approved-by", wv->approved_by);
    prop(x, "expires", wv->expires);
    prop_int(x, "matched", wv->matched);
    jw_array_end(w);
    if (wv->file) {
        jw_key(w, "rlinks");
        jw_array_begin(w);
        jw_object_begin(w);
        jw_key(w, "href");
        s = scratch(x);
        sb_path_uri(s, wv->file);
        if (wv->line)
            sb_printf(s, "#L%u", wv->line);
        put_scratch(x);
        const char *mt = media_type(wv->file);
        if (mt)
            jw_member_string(w, "media-type", mt);
        jw_object_end(w);
        jw_array_end(w);
    }
    jw_object_end(w);
}

static void write_back_matter(ox *x)
{
    const eval_result *r = x->r;
    jw *w = &x->w;
    jw_key(w, "back-matter");
    jw_object_begin(w);
    jw_key(w, "resources");
    jw_array_begin(w);
    bundle_resource(x);
    for (uint32_t i = 0; i < r->nfact_files; i++)
        file_resource(x, "Facts file", "facts", "facts", i + 1, r->fact_files ? r->fact_files[i] : NULL,
                      r->fact_sha256 ? r->fact_sha256[i] : NULL);
    if (r->params_file)
        file_resource(x, "Params file", "params", "params", 0, r->params_file, r->params_sha256);
    if (r->waivers_file)
        file_resource(x, "Waivers file", "waivers", "waivers", 0, r->waivers_file, r->waivers_sha256);
    for (uint32_t i = 0; i < r->nwaivers; i++)
        waiver_resource(x, &r->waivers[i], i + 1);
    jw_array_end(w);
    jw_object_end(w);
}

/* ---- the document ---------------------------------------------------------------- */

int report_oscal(FILE *out, const eval_result *r, const bundle *b, const report_opts *o)
{
    (void)o;   /* paths are shown as given, like the JSON report */
    ox x;
    memset(&x, 0, sizeof x);
    x.r = r;
    x.b = b;
    x.bundle_sha = r->bundle_sha256;
    if (!x.bundle_sha && b && b->sha256_hex[0])
        x.bundle_sha = b->sha256_hex;
    x.run = run_namespace(r, x.bundle_sha);
    snprintf(x.when, sizeof x.when, "%sT00:00:00Z", valid_date(r->evaluated_at) ? r->evaluated_at : "1970-01-01");

    jw_init(&x.w, out);
    jw_object_begin(&x.w);
    jw_key(&x.w, "assessment-results");
    jw_object_begin(&x.w);
    member_uuid(&x, "uuid", "assessment-results", NULL, 0);
    write_metadata(&x);
    jw_key(&x.w, "import-ap");
    jw_object_begin(&x.w);
    jw_key(&x.w, "href");
    put_fragment(&x, "resource", "bundle", 0);
    jw_member_string(&x.w, "remarks",
                     "aip has no separate OSCAL assessment plan: the plan is the compiled policy bundle, the "
                     "back-matter resource this points to, identified by its SHA-256.");
    jw_object_end(&x.w);
    jw_key(&x.w, "results");
    jw_array_begin(&x.w);
    write_result(&x);
    jw_array_end(&x.w);
    write_back_matter(&x);
    jw_object_end(&x.w);
    jw_object_end(&x.w);
    aip_free(x.s.p);
    return jw_finish(&x.w);
}
