/* runtime/report_sarif.c - the SARIF 2.1.0 report, for code-scanning
 * uploaders (GitHub code scanning and other SARIF viewers).
 *
 * What it is: one SARIF log with one run. The driver (aip) has one rule per
 * control in the result (id = the CSF subcategory, shortDescription = its
 * title, help = subcategory, CSF function and category, enforcement, focus
 * areas and priorities, how it is decided, evidence, mappings and the
 * NIST IR 8596 considerations of bc_control.help; properties carry the same
 * as data plus the control's verdict). Each finding is one result:
 *
 *   violation         kind "fail", level "error" (mandatory) or "warning" (advisory)
 *   missing evidence  kind "open", level "none" (SARIF 2.1.0 3.27.10: a kind
 *                     other than fail has level none)
 *   waived violation  as a violation, plus suppressions[] (kind external,
 *                     status accepted, the waiver's reason, approver, expiry
 *                     and where the waiver is written)
 *
 * A control without findings (pass, not_applicable) gives no result: code
 * scanning turns every result into an alert whatever its kind, so a "pass"
 * result would be an alert; its verdict is in its rule's properties. A
 * control with verdict error gives an error-level toolExecutionNotification
 * naming the control and the message, and makes the invocation's
 * executionSuccessful false (its results are incomplete). Expired and unused
 * waivers are toolConfigurationNotifications (warning / note) as well as
 * entries of run.properties.waivers.entries.
 *
 * Locations: the primary location of a result is the fact (facts file,
 * line, column; column omitted when 0), with the fact path as a logical
 * location; the policy statement that produced the finding is a related
 * location. A finding with no facts file gets the policy statement as its
 * primary location, or else the control block, or else the first facts file
 * (code scanning rejects a whole log when one result has none). File names
 * become URIs relative to report_opts.base (the --base directory; NULL or
 * "." = the working directory, names taken as given), percent-encoded, with
 * uriBaseId "SRCROOT"; originalUriBaseIds describes SRCROOT without an
 * absolute URI, so the log names no directory of the machine it was made on.
 * An absolute name with no --base becomes a file:// URI.
 *
 * partialFingerprints["aipFinding/v1"] is the SHA-256 (hex) of the control
 * id, the finding kind, the fact path and the subject, plus an occurrence
 * number when several findings of one control share all four: it does not
 * move when lines move. automationDetails.id is "aip/<profile or all>/"
 * followed by a hash of the evaluation's inputs (bundle, facts, params and
 * waivers hashes, date, profile, fail-on rule), so the category (before the
 * last '/') stays stable from run to run and the whole id is deterministic.
 *
 * Integrity (run.properties, and run.artifacts with sha-256 hashes): bundle
 * SHA-256 and the policy sources it records, each facts file with its
 * SHA-256, the params and waivers files with theirs, the evaluation date,
 * the profile, the gate rule and decision, the summary, and every waiver
 * with its status; the keys and shapes are those of the JSON report
 * (docs/report-json.md), plus bundle.sources.
 *
 * What it is not: verdict, gate or waiver logic (runtime/vm.c and the
 * waivers code decide; this file only prints), JSON syntax (runtime/json_out.c,
 * which also escapes control characters and replaces invalid UTF-8), or
 * file handling (the CLI passes a FILE* from runtime/outfile.h). Nothing
 * time-, host- or address-dependent is written; the only date is
 * evaluated_at. Memory: a few growable buffers through the aip_x* funnel,
 * freed before returning.
 */
#include "runtime/report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/because.h"
#include "runtime/digest.h"
#include "runtime/json_out.h"
#include "runtime/version.h"

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#define URI_BASE_ID "SRCROOT"
#define FINGERPRINT_KEY "aipFinding/v1"

/* Code scanning caps shortDescription and fullDescription at 1024 characters. */
enum { DESCRIPTION_MAX = 1024 };

/* Notification descriptors (driver.notifications), by index. */
enum { NOTE_CONTROL_ERROR, NOTE_WAIVER_EXPIRED, NOTE_WAIVER_UNUSED };
static const char *const note_ids[] = { "aip/control-error", "aip/waiver-expired", "aip/waiver-unused" };
static const char *const note_texts[] = {
    "The evaluation of a control stopped (a runtime error or an exceeded budget); its verdict is error.",
    "A waiver is past its expiry date and waives nothing.",
    "A waiver is in force but matched no violation.",
};

/* ---- a growable byte buffer (aip_x* funnel) --------------------------------- */

typedef struct sbuf { char *p; size_t n, cap; } sbuf;

static void sb_putn(sbuf *s, const char *p, size_t n)
{
    if (s->n + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        while (cap < s->n + n + 1)
            cap *= 2;
        s->p = aip_xrealloc(s->p, cap);
        s->cap = cap;
    }
    if (n)
        memcpy(s->p + s->n, p, n);
    s->n += n;
    s->p[s->n] = '\0';
}

static void sb_puts(sbuf *s, const char *p)
{
    if (p)
        sb_putn(s, p, strlen(p));
}

static void sb_putc(sbuf *s, char c)
{
    sb_putn(s, &c, 1);
}

static void sb_printf(sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *s, const char *fmt, ...)
{
    char small[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        sb_putn(s, small, (size_t)n);
        return;
    }
    char *big = aip_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_putn(s, big, (size_t)n);
    aip_free(big);
}

static void sb_clear(sbuf *s)
{
    s->n = 0;
    if (s->p)
        s->p[0] = '\0';
}

static void sb_free(sbuf *s)
{
    aip_free(s->p);
    s->p = NULL;
    s->n = s->cap = 0;
}

/* Markdown-escaped text: punctuation Markdown could read as markup gets a
 * backslash (CommonMark allows one before any ASCII punctuation), line-start
 * markers of lists, headings and rules too; a newline starts a paragraph and
 * other control characters become spaces. */
static void sb_markdown_at(sbuf *s, const char *p, size_t n, int line_start)
{
    int digits = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\n') {
            sb_puts(s, "\n\n");
            line_start = 1;
            digits = 0;
            continue;
        }
        if (c < 0x20 || c == 0x7f)
            c = ' ';
        if (line_start && c == ' ')
            continue;
        if (line_start && c >= '0' && c <= '9') {
            digits = 1;
            sb_putc(s, (char)c);
            continue;
        }
        if (strchr("\\`*_[]<>#|~&{}", c) ||
            (line_start && !digits && strchr("-+=", c)) ||
            (line_start && digits && (c == '.' || c == ')')))
            sb_putc(s, '\\');
        sb_putc(s, (char)c);
        line_start = 0;
        digits = 0;
    }
}

/* Inline text (within a line) and a block (starting a line). */
static void sb_markdown(sbuf *s, const char *p, size_t n)
{
    sb_markdown_at(s, p, n, 0);
}

static void sb_markdown_block(sbuf *s, const char *p, size_t n)
{
    sb_markdown_at(s, p, n, 1);
}

/* ---- file names as URIs ---------------------------------------------------------- */

typedef struct seg { const char *p; size_t n; } seg;
typedef struct segv { seg *v; size_t n, cap; int abs; } segv;

static void segv_push(segv *sv, const char *p, size_t n)
{
    AIP_GROW(sv->v, sv->n, sv->cap);
    sv->v[sv->n].p = p;
    sv->v[sv->n].n = n;
    sv->n++;
}

static int seg_is(const seg *g, const char *s)
{
    return g->n == strlen(s) && memcmp(g->p, s, g->n) == 0;
}

/* Append the segments of path s to sv, lexically: empty and "." segments
 * vanish, ".." removes the segment before it (at the root of an absolute
 * path it is dropped; leading ".." of a relative path stay). */
static void segv_add(segv *sv, const char *s)
{
    while (*s) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        seg g = { s, n };
        if (n == 0 || seg_is(&g, ".")) {
            /* nothing */
        } else if (seg_is(&g, "..")) {
            if (sv->n && !seg_is(&sv->v[sv->n - 1], ".."))
                sv->n--;
            else if (!sv->abs)
                segv_push(sv, s, n);
        } else {
            segv_push(sv, s, n);
        }
        s += n;
        if (*s == '/')
            s++;
    }
}

/* RFC 3986 path characters kept as they are: unreserved, sub-delims and '@'.
 * ':' is always encoded, so a relative reference never looks like a scheme. */
static int uri_keep(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("-._~!$&'()*+,;=@", c));
}

static void sb_uri_seg(sbuf *s, const seg *g)
{
    static const char hx[] = "0123456789ABCDEF";
    for (size_t i = 0; i < g->n; i++) {
        unsigned char c = (unsigned char)g->p[i];
        if (uri_keep(c)) {
            sb_putc(s, (char)c);
        } else {
            char e[3] = { '%', hx[c >> 4], hx[c & 15] };
            sb_putn(s, e, 3);
        }
    }
}

typedef struct file_uri {
    const char *name;   /* as in the result */
    char *uri;
    int relative;       /* uri is relative to SRCROOT */
    int artifact;       /* index in run.artifacts, or -1 */
    const char *sha;    /* artifacts: SHA-256 hex, or NULL */
    const char *role;   /* artifacts: SARIF artifact role */
} file_uri;

typedef struct ctx {
    jw w;
    const eval_result *r;
    const bundle *b;
    const char *base;   /* NULL when the working directory */
    char *cwd;
    int cwd_state;      /* 0 not asked, 1 known, -1 unavailable */
    file_uri *files;
    size_t nfiles, capfiles;
    int nartifacts;
    sbuf tmp;
} ctx;

static const char *ctx_cwd(ctx *x)
{
    if (x->cwd_state == 0) {
        x->cwd_state = -1;
        for (size_t size = 256; size <= ((size_t)1 << 20); size *= 2) {
            char *buf = aip_xmalloc(size);
            if (getcwd(buf, size)) {
                x->cwd = buf;
                x->cwd_state = 1;
                break;
            }
            aip_free(buf);
            if (errno != ERANGE)
                break;
        }
    }
    return x->cwd_state > 0 ? x->cwd : NULL;
}

/* The URI of file name relative to the base (see the top of the file); with
 * raw, the same path without percent-encoding or file:// (for help text). */
static void make_uri(ctx *x, const char *name, sbuf *out, int *relative, int raw)
{
    segv f = { NULL, 0, 0, 0 }, bs = { NULL, 0, 0, 0 };
    int done = 0;
    if (x->base) {
        int fa = name[0] == '/', ba = x->base[0] == '/';
        bs.abs = ba;
        segv_add(&bs, x->base);
        int need_cwd = fa != ba || (!ba && bs.n && seg_is(&bs.v[0], ".."));
        const char *cwd = need_cwd ? ctx_cwd(x) : NULL;
        if (!need_cwd || cwd) {
            f.abs = 1;
            if (need_cwd && !fa)
                segv_add(&f, cwd);
            else
                f.abs = fa;
            segv_add(&f, name);
            if (need_cwd && !ba) {
                bs.n = 0;
                bs.abs = 1;
                segv_add(&bs, cwd);
                segv_add(&bs, x->base);
            }
            size_t k = 0;
            while (k < f.n && k < bs.n && f.v[k].n == bs.v[k].n && memcmp(f.v[k].p, bs.v[k].p, f.v[k].n) == 0)
                k++;
            int first = 1;
            for (size_t i = k; i < bs.n; i++, first = 0)
                sb_puts(out, first ? ".." : "/..");
            for (size_t i = k; i < f.n; i++, first = 0) {
                if (!first)
                    sb_putc(out, '/');
                raw ? sb_putn(out, f.v[i].p, f.v[i].n) : sb_uri_seg(out, &f.v[i]);
            }
            if (first)
                sb_putc(out, '.');
            *relative = 1;
            done = 1;
        }
    }
    if (!done) {
        /* As given: relative to the working directory, or absolute. */
        f.n = 0;
        f.abs = name[0] == '/';
        segv_add(&f, name);
        if (f.abs && !raw)
            sb_puts(out, "file://");
        for (size_t i = 0; i < f.n; i++) {
            if (i || f.abs)
                sb_putc(out, '/');
            raw ? sb_putn(out, f.v[i].p, f.v[i].n) : sb_uri_seg(out, &f.v[i]);
        }
        if (f.n == 0)
            sb_puts(out, f.abs ? "/" : ".");
        *relative = !f.abs;
    }
    aip_free(f.v);
    aip_free(bs.v);
}

/* The URI entry for name (computed once per distinct name). */
static file_uri *file_entry(ctx *x, const char *name)
{
    for (size_t i = 0; i < x->nfiles; i++)
        if (x->files[i].name == name || strcmp(x->files[i].name, name) == 0)
            return &x->files[i];
    sbuf u = { NULL, 0, 0 };
    int relative = 0;
    make_uri(x, name, &u, &relative, 0);
    AIP_GROW(x->files, x->nfiles, x->capfiles);
    file_uri *e = &x->files[x->nfiles++];
    e->name = name;
    e->uri = u.p;
    e->relative = relative;
    e->artifact = -1;
    e->sha = e->role = NULL;
    return e;
}

/* ---- small pieces ------------------------------------------------------------------ */

static const char *priority_name(unsigned p)
{
    switch (p) {
    case 1: return "high";
    case 2: return "moderate";
    case 3: return "foundational";
    default: return "none";
    }
}

static const char *level_of(const control_result *c)
{
    return c->enforce ? "warning" : "error";
}

static const char *str_or(const char *s, const char *dflt)
{
    return s ? s : dflt;
}

/* s cut to at most max bytes at a character boundary, "…" marking a cut. */
static void sb_cut(sbuf *s, size_t max)
{
    if (s->n <= max)
        return;
    size_t n = max - 3;
    while (n > 0 && ((unsigned char)s->p[n] & 0xC0) == 0x80)
        n--;
    s->n = n;
    sb_puts(s, "\xE2\x80\xA6");
}

static void text_member(jw *w, const char *key, const char *text, size_t n)
{
    jw_key(w, key);
    jw_object_begin(w);
    jw_key(w, "text");
    jw_stringn(w, text, n);
    jw_object_end(w);
}

/* {"uri": ..., "uriBaseId": ..., "index": ...} of name. */
static void artifact_location(ctx *x, const char *name)
{
    file_uri *e = file_entry(x, name);
    jw *w = &x->w;
    jw_key(w, "artifactLocation");
    jw_object_begin(w);
    jw_member_string(w, "uri", e->uri);
    if (e->relative)
        jw_member_string(w, "uriBaseId", URI_BASE_ID);
    if (e->artifact >= 0)
        jw_member_int(w, "index", e->artifact);
    jw_object_end(w);
}

/* "physicalLocation": file, and the region when line > 0. */
static void physical_location(ctx *x, const char *file, uint32_t line, uint32_t col)
{
    jw *w = &x->w;
    jw_key(w, "physicalLocation");
    jw_object_begin(w);
    artifact_location(x, file);
    if (line > 0) {
        jw_key(w, "region");
        jw_object_begin(w);
        jw_member_int(w, "startLine", line);
        if (col > 0)
            jw_member_int(w, "startColumn", col);
        jw_object_end(w);
    }
    jw_object_end(w);
}

/* ---- rules ----------------------------------------------------------------------------- */

/* The "CSF 2.0: Protect (PR) > Identity ... (PR.AA)" line. */
static void sb_csf(sbuf *s, const bundle *b, const char *id, int md)
{
    size_t fl = report_id_function_len(id), cl = report_id_category_len(id);
    const char *fname = report_csf_name(b, id, fl), *cname = report_csf_name(b, id, cl);
    if (fname) {
        md ? sb_markdown(s, fname, strlen(fname)) : sb_puts(s, fname);
        sb_puts(s, " (");
    }
    sb_putn(s, id, fl);
    if (fname)
        sb_putc(s, ')');
    sb_puts(s, md ? " \xE2\x80\xBA " : " > ");
    if (cname) {
        md ? sb_markdown(s, cname, strlen(cname)) : sb_puts(s, cname);
        sb_puts(s, " (");
    }
    md ? sb_markdown(s, id, cl) : sb_putn(s, id, cl);
    if (cname)
        sb_putc(s, ')');
}

/* help.text (md = 0) or help.markdown (md = 1) of control c. */
static void sb_help(ctx *x, sbuf *s, const control_result *c, int md)
{
    const bundle *b = x->b;
    const bc_control *bc = report_bundle_control(b, c);
    const char *id = str_or(c->id, ""), *title = str_or(c->title, "");
    const char *item = md ? "- " : "";

    if (md) {
        sb_puts(s, "**");
        sb_markdown(s, id, strlen(id));
        sb_puts(s, "**: ");
        sb_markdown(s, title, strlen(title));
        sb_puts(s, "\n\n");
    } else {
        sb_printf(s, "%s: %s\n\n", id, title);
    }

    sb_printf(s, "%s%sCSF 2.0:%s ", item, md ? "**" : "", md ? "**" : "");
    sb_csf(s, b, id, md);
    sb_putc(s, '\n');

    sb_printf(s, "%s%sEnforcement:%s %s (%s)\n", item, md ? "**" : "", md ? "**" : "", report_enforce_name(c->enforce),
              c->enforce ? "reported; fails the gate only with --fail-on any"
                         : "a violation, missing evidence or error fails the gate");

    sb_printf(s, "%s%sFocus areas:%s ", item, md ? "**" : "", md ? "**" : "");
    int any = 0;
    for (unsigned a = 0; a < REPORT_NFOCUS; a++) {
        if (!(c->focus & (1u << a)))
            continue;
        sb_printf(s, "%s%s", any ? "; " : "", report_focus_name(a));
        if (c->priority[a])
            sb_printf(s, " (priority %u, %s)", c->priority[a], priority_name(c->priority[a]));
        any = 1;
    }
    sb_puts(s, any ? "\n" : "none\n");

    sb_printf(s, "%s%sDecided by:%s ", item, md ? "**" : "", md ? "**" : "");
    if (bc && bc->has_attest)
        sb_puts(s, "attestation: the facts must record a current attestation of this subcategory");
    else
        sb_puts(s, "requirements on the inventory facts; a fact the requirements need and the facts lack is missing evidence");
    if (bc) {
        size_t fn;
        const char *pf = report_bundle_str(b, bc->file, &fn);
        if (pf && fn) {
            sbuf path = { NULL, 0, 0 };
            int relative;
            make_uri(x, pf, &path, &relative, 1);
            sb_puts(s, " (policy: ");
            if (md)
                sb_markdown(s, path.p, path.n);
            else
                sb_putn(s, path.p, path.n);
            sb_printf(s, ":%u)", bc->line);
            sb_free(&path);
        }
    }
    sb_putc(s, '\n');

    if (bc && bc->nevidence) {
        sb_printf(s, "%s%sEvidence:%s ", item, md ? "**" : "", md ? "**" : "");
        for (uint32_t i = 0; i < bc->nevidence; i++) {
            uint64_t k = (uint64_t)bc->evidence + i;
            size_t n;
            const char *e = k < b->evidence_refs.n ? report_bundle_str(b, b->evidence_refs.v[k], &n) : NULL;
            if (!e)
                continue;
            if (i)
                sb_puts(s, "; ");
            md ? sb_markdown(s, e, n) : sb_putn(s, e, n);
        }
        sb_putc(s, '\n');
    }

    if (bc && bc->nmaps) {
        sb_printf(s, "%s%sMappings:%s ", item, md ? "**" : "", md ? "**" : "");
        for (uint32_t i = 0; i < bc->nmaps; i++) {
            uint64_t k = (uint64_t)bc->maps + i;
            if (k >= b->maps.n)
                continue;
            size_t fn, rn;
            const char *fw = report_bundle_str(b, b->maps.v[k].framework, &fn);
            const char *ref = report_bundle_str(b, b->maps.v[k].ref, &rn);
            if (i)
                sb_puts(s, ", ");
            if (md) {
                sb_markdown(s, str_or(fw, ""), fw ? fn : 0);
                sb_putc(s, ' ');
                sb_markdown(s, str_or(ref, ""), ref ? rn : 0);
            } else {
                sb_putn(s, str_or(fw, ""), fw ? fn : 0);
                sb_putc(s, ' ');
                sb_putn(s, str_or(ref, ""), ref ? rn : 0);
            }
        }
        sb_putc(s, '\n');
    }

    size_t hn = 0;
    const char *help = bc ? report_bundle_str(b, bc->help, &hn) : NULL;
    if (help && hn) {
        sb_puts(s, md ? "\n**NIST IR 8596 considerations**\n\n" : "\nNIST IR 8596 considerations:\n");
        if (md)
            sb_markdown_block(s, help, hn);
        else
            sb_putn(s, help, hn);
        sb_putc(s, '\n');
    }
}

static void write_rule(ctx *x, const control_result *c)
{
    jw *w = &x->w;
    const bundle *b = x->b;
    const bc_control *bc = report_bundle_control(b, c);
    const char *id = str_or(c->id, "");
    const char *title = c->title && c->title[0] ? c->title : id;
    size_t fl = report_id_function_len(id), cl = report_id_category_len(id);
    const char *fname = report_csf_name(b, id, fl), *cname = report_csf_name(b, id, cl);
    sbuf *s = &x->tmp;

    jw_object_begin(w);
    jw_member_string(w, "id", id);

    sb_clear(s);
    sb_puts(s, title);
    sb_cut(s, DESCRIPTION_MAX);
    text_member(w, "shortDescription", s->p, s->n);

    sb_clear(s);
    sb_printf(s, "%s: %s (CSF 2.0 ", id, title);
    sb_csf(s, b, id, 0);
    sb_puts(s, ")");
    sb_cut(s, DESCRIPTION_MAX);
    text_member(w, "fullDescription", s->p, s->n);

    jw_key(w, "defaultConfiguration");
    jw_object_begin(w);
    jw_member_string(w, "level", level_of(c));
    jw_object_end(w);

    jw_key(w, "help");
    jw_object_begin(w);
    sb_clear(s);
    sb_help(x, s, c, 0);
    jw_key(w, "text");
    jw_stringn(w, s->p, s->n);
    sb_clear(s);
    sb_help(x, s, c, 1);
    jw_key(w, "markdown");
    jw_stringn(w, s->p, s->n);
    jw_object_end(w);

    jw_key(w, "properties");
    jw_object_begin(w);
    jw_key(w, "tags");
    jw_array_begin(w);
    jw_string(w, "nist-ir-8596");
    jw_string(w, "csf-2.0");
    sb_clear(s);
    sb_puts(s, "csf/");
    sb_putn(s, id, fl);
    jw_stringn(w, s->p, s->n);
    if (cl > fl) {
        sb_clear(s);
        sb_puts(s, "csf/");
        sb_putn(s, id, cl);
        jw_stringn(w, s->p, s->n);
    }
    for (unsigned a = 0; a < REPORT_NFOCUS; a++)
        if (c->focus & (1u << a)) {
            sb_clear(s);
            sb_printf(s, "focus/%s", report_focus_name(a));
            jw_stringn(w, s->p, s->n);
        }
    jw_string(w, report_enforce_name(c->enforce));
    jw_array_end(w);

    jw_member_string(w, "verdict", verdict_name(c->verdict));
    if (c->verdict == VERDICT_ERROR)
        jw_member_string(w, "error", str_or(c->error, "error without a message"));
    jw_member_string(w, "enforcement", report_enforce_name(c->enforce));
    jw_key(w, "csf");
    jw_object_begin(w);
    jw_key(w, "function");
    jw_stringn(w, id, fl);
    jw_member_string(w, "function_name", fname);
    jw_key(w, "category");
    jw_stringn(w, id, cl);
    jw_member_string(w, "category_name", cname);
    jw_object_end(w);
    jw_key(w, "focus");
    jw_array_begin(w);
    for (unsigned a = 0; a < REPORT_NFOCUS; a++)
        if (c->focus & (1u << a))
            jw_string(w, report_focus_name(a));
    jw_array_end(w);
    jw_key(w, "priority");
    jw_object_begin(w);
    for (unsigned a = 0; a < REPORT_NFOCUS; a++)
        if (c->priority[a])
            jw_member_int(w, report_focus_name(a), c->priority[a]);
    jw_object_end(w);
    jw_member_bool(w, "attested", bc && bc->has_attest);
    jw_key(w, "evidence");
    jw_array_begin(w);
    for (uint32_t i = 0; bc && i < bc->nevidence; i++) {
        uint64_t k = (uint64_t)bc->evidence + i;
        size_t n;
        const char *e = k < b->evidence_refs.n ? report_bundle_str(b, b->evidence_refs.v[k], &n) : NULL;
        if (e)
            jw_stringn(w, e, n);
    }
    jw_array_end(w);
    jw_key(w, "maps");
    jw_array_begin(w);
    for (uint32_t i = 0; bc && i < bc->nmaps; i++) {
        uint64_t k = (uint64_t)bc->maps + i;
        if (k >= b->maps.n)
            continue;
        size_t n;
        const char *str;
        jw_object_begin(w);
        jw_key(w, "framework");
        str = report_bundle_str(b, b->maps.v[k].framework, &n);
        jw_stringn(w, str, n);
        jw_key(w, "ref");
        str = report_bundle_str(b, b->maps.v[k].ref, &n);
        jw_stringn(w, str, n);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_object_end(w);   /* properties */

    jw_object_end(w);
}

static void write_tool(ctx *x)
{
    jw *w = &x->w;
    jw_key(w, "tool");
    jw_object_begin(w);
    jw_key(w, "driver");
    jw_object_begin(w);
    jw_member_string(w, "name", "aip");
    jw_member_string(w, "fullName", "aip " AIP_VERSION " (policy-as-code evaluator for the NIST IR 8596 Cyber AI Profile)");
    jw_member_string(w, "version", AIP_VERSION);
    jw_member_string(w, "semanticVersion", AIP_VERSION);
    jw_key(w, "notifications");
    jw_array_begin(w);
    for (size_t i = 0; i < sizeof note_ids / sizeof note_ids[0]; i++) {
        jw_object_begin(w);
        jw_member_string(w, "id", note_ids[i]);
        text_member(w, "shortDescription", note_texts[i], strlen(note_texts[i]));
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_key(w, "rules");
    jw_array_begin(w);
    for (uint32_t i = 0; i < x->r->ncontrols; i++)
        write_rule(x, &x->r->controls[i]);
    jw_array_end(w);
    jw_object_end(w);
    jw_object_end(w);
}

/* ---- invocation -------------------------------------------------------------------- */

static void notification_descriptor(jw *w, int note)
{
    jw_key(w, "descriptor");
    jw_object_begin(w);
    jw_member_string(w, "id", note_ids[note]);
    jw_member_int(w, "index", note);
    jw_object_end(w);
}

/* "waiver W (control C, target T)" */
static void sb_waiver_name(sbuf *s, const waiver *wv)
{
    sb_printf(s, "waiver %s (control %s, target %s)", str_or(wv->id, "?"), str_or(wv->control, "?"),
              str_or(wv->target, "?"));
}

static void write_invocation(ctx *x)
{
    jw *w = &x->w;
    const eval_result *r = x->r;
    sbuf *s = &x->tmp;
    int errors = 0;
    for (uint32_t i = 0; i < r->ncontrols; i++)
        errors += r->controls[i].verdict == VERDICT_ERROR;

    jw_key(w, "invocations");
    jw_array_begin(w);
    jw_object_begin(w);
    jw_member_bool(w, "executionSuccessful", errors == 0);
    jw_member_int(w, "exitCode", r->gate_failed ? 1 : 0);
    jw_member_string(w, "exitCodeDescription", r->gate_failed ? "gate failed" : "gate passed");

    jw_key(w, "toolExecutionNotifications");
    jw_array_begin(w);
    for (uint32_t i = 0; i < r->ncontrols; i++) {
        const control_result *c = &r->controls[i];
        if (c->verdict != VERDICT_ERROR)
            continue;
        jw_object_begin(w);
        jw_member_string(w, "level", "error");
        sb_clear(s);
        sb_printf(s, "%s: %s", str_or(c->id, ""), str_or(c->error, "error without a message"));
        text_member(w, "message", s->p, s->n);
        notification_descriptor(w, NOTE_CONTROL_ERROR);
        jw_key(w, "associatedRule");
        jw_object_begin(w);
        jw_member_string(w, "id", str_or(c->id, ""));
        jw_member_int(w, "index", i);
        jw_object_end(w);
        jw_object_end(w);
    }
    jw_array_end(w);

    jw_key(w, "toolConfigurationNotifications");
    jw_array_begin(w);
    for (uint32_t i = 0; r->waivers && i < r->nwaivers; i++) {
        const waiver *wv = &r->waivers[i];
        if (wv->status == WAIVER_ACTIVE)
            continue;
        int expired = wv->status == WAIVER_EXPIRED;
        jw_object_begin(w);
        if (wv->file) {
            jw_key(w, "locations");
            jw_array_begin(w);
            jw_object_begin(w);
            physical_location(x, wv->file, wv->line, wv->col);
            jw_object_end(w);
            jw_array_end(w);
        }
        jw_member_string(w, "level", expired ? "warning" : "note");
        sb_clear(s);
        sb_waiver_name(s, wv);
        if (expired)
            sb_printf(s, " expired on %s: it waives nothing", str_or(wv->expires, "?"));
        else if (wv->status == WAIVER_UNUSED)
            sb_puts(s, " matched no violation");
        else
            sb_puts(s, " has an invalid status");
        text_member(w, "message", s->p, s->n);
        notification_descriptor(w, expired ? NOTE_WAIVER_EXPIRED : NOTE_WAIVER_UNUSED);
        jw_object_end(w);
    }
    jw_array_end(w);

    jw_object_end(w);
    jw_array_end(w);
}

/* ---- artifacts -------------------------------------------------------------------------- */

/* The facts, params and waivers files become run.artifacts[0..], before
 * anything is written, so every artifactLocation of them carries its index. */
static void plan_artifact(ctx *x, int *count, const char *name, const char *sha, const char *role)
{
    if (!name)
        return;
    file_uri *e = file_entry(x, name);
    if (e->artifact >= 0)
        return;   /* the same file twice: one artifact */
    e->artifact = (*count)++;
    e->sha = sha;
    e->role = role;
}

static void plan_artifacts(ctx *x)
{
    const eval_result *r = x->r;
    int n = 0;
    for (uint32_t i = 0; r->fact_files && i < r->nfact_files; i++)
        plan_artifact(x, &n, r->fact_files[i], r->fact_sha256 ? r->fact_sha256[i] : NULL, "analysisTarget");
    plan_artifact(x, &n, r->params_file, r->params_sha256, "userSpecifiedConfiguration");
    plan_artifact(x, &n, r->waivers_file, r->waivers_sha256, "userSpecifiedConfiguration");
    x->nartifacts = n;
}

static void write_artifacts(ctx *x)
{
    jw *w = &x->w;
    jw_key(w, "artifacts");
    jw_array_begin(w);
    for (int a = 0; a < x->nartifacts; a++) {
        const file_uri *e = NULL;
        for (size_t i = 0; i < x->nfiles && !e; i++)
            if (x->files[i].artifact == a)
                e = &x->files[i];
        if (!e)
            continue;   /* cannot happen: indices are dense */
        jw_object_begin(w);
        jw_key(w, "location");
        jw_object_begin(w);
        jw_member_string(w, "uri", e->uri);
        if (e->relative)
            jw_member_string(w, "uriBaseId", URI_BASE_ID);
        jw_object_end(w);
        jw_key(w, "roles");
        jw_array_begin(w);
        jw_string(w, e->role);
        jw_array_end(w);
        if (e->sha) {
            jw_key(w, "hashes");
            jw_object_begin(w);
            jw_member_string(w, "sha-256", e->sha);
            jw_object_end(w);
        }
        jw_object_end(w);
    }
    jw_array_end(w);
}

/* ---- results ------------------------------------------------------------------------------ */

static int finding_cmp(const void *pa, const void *pb)
{
    const finding *a = *(const finding *const *)pa, *b = *(const finding *const *)pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    int d = strcmp(str_or(a->path, ""), str_or(b->path, ""));
    if (d)
        return d;
    if (!a->subject != !b->subject)
        return a->subject ? 1 : -1;
    if (a->subject && (d = strcmp(a->subject, b->subject)) != 0)
        return d;
    return a < b ? -1 : a > b;   /* same array: keeps the findings' order */
}

/* occ[i] = 1 + the number of earlier findings of c with the same kind,
 * path and subject as finding i. */
static void occurrences(const control_result *c, uint32_t *occ)
{
    const finding **v = aip_xmalloc(sizeof *v * c->nfindings);
    for (uint32_t i = 0; i < c->nfindings; i++)
        v[i] = &c->findings[i];
    qsort(v, c->nfindings, sizeof *v, finding_cmp);
    for (uint32_t i = 0; i < c->nfindings; i++) {
        const finding *f = v[i], *p = i ? v[i - 1] : NULL;
        int same = p && p->kind == f->kind && strcmp(str_or(p->path, ""), str_or(f->path, "")) == 0 &&
                   !p->subject == !f->subject && (!f->subject || strcmp(p->subject, f->subject) == 0);
        occ[f - c->findings] = same ? occ[p - c->findings] + 1 : 1;
    }
    aip_free(v);
}

static void fingerprint(ctx *x, const control_result *c, const finding *f, uint32_t occ, char hex[65])
{
    sbuf *s = &x->tmp;
    unsigned char d[32];
    sb_clear(s);
    sb_puts(s, FINGERPRINT_KEY);
    sb_putc(s, '\0');
    sb_puts(s, str_or(c->id, ""));
    sb_putc(s, '\0');
    sb_puts(s, finding_kind_name(f->kind));
    sb_putc(s, '\0');
    sb_puts(s, str_or(f->path, ""));
    sb_putc(s, '\0');
    if (f->subject) {
        sb_putc(s, 's');
        sb_puts(s, f->subject);
    } else {
        sb_putc(s, '-');
    }
    if (occ > 1)
        sb_printf(s, "%c%u", '\0', occ);
    aip_sha256(s->p, s->n, d);
    aip_sha256_hex(d, hex);
}

static void write_suppression(ctx *x, const waiver *wv)
{
    jw *w = &x->w;
    sbuf *s = &x->tmp;
    jw_key(w, "suppressions");
    jw_array_begin(w);
    jw_object_begin(w);
    jw_member_string(w, "kind", "external");
    jw_member_string(w, "status", "accepted");
    sb_clear(s);
    sb_puts(s, wv->reason && wv->reason[0] ? wv->reason : "(no reason given)");
    sb_printf(s, " (approved by %s, expires %s)", str_or(wv->approved_by, "?"), str_or(wv->expires, "?"));
    jw_key(w, "justification");
    jw_stringn(w, s->p, s->n);
    if (wv->file) {
        jw_key(w, "location");
        jw_object_begin(w);
        physical_location(x, wv->file, wv->line, wv->col);
        jw_object_end(w);
    }
    jw_key(w, "properties");
    jw_object_begin(w);
    jw_member_string(w, "waiver", wv->id);
    jw_member_string(w, "control", wv->control);
    jw_member_string(w, "target", wv->target);
    jw_member_string(w, "reason", wv->reason);
    jw_member_string(w, "approved_by", wv->approved_by);
    jw_member_string(w, "expires", wv->expires);
    jw_member_string(w, "status", waiver_status_name(wv->status));
    jw_object_end(w);
    jw_object_end(w);
    jw_array_end(w);
}

static void write_result(ctx *x, const control_result *c, uint32_t ci, const finding *f, uint32_t occ)
{
    jw *w = &x->w;
    int violation = f->kind == FINDING_VIOLATION;
    int has_policy = f->policy_file != NULL;

    jw_object_begin(w);
    jw_member_string(w, "ruleId", str_or(c->id, ""));
    jw_member_int(w, "ruleIndex", ci);
    jw_member_string(w, "kind", violation ? "fail" : "open");
    jw_member_string(w, "level", violation ? level_of(c) : "none");

    /* The message, then the finding's "because" (the deciding values, as in
     * the text report) on a second line, so a reader of code scanning sees
     * why without the JSON report. */
    jw_key(w, "message");
    jw_object_begin(w);
    sbuf *s = &x->tmp;
    sb_clear(s);
    if (f->message && f->message[0])
        sb_puts(s, f->message);
    else
        sb_printf(s, "%s: %s", str_or(c->id, ""), violation ? "a requirement does not hold" : "missing evidence");
    for (uint32_t i = 0; i < f->nbecause; i++) {
        const because_item *it = &f->because[i];
        char item[512];
        because_item_text(it, item, sizeof item);
        sb_puts(s, i ? "; " : "\nbecause: ");
        sb_puts(s, item);
        if (it->file)
            sb_printf(s, " (at %s:%u:%u)", it->file, (unsigned)it->line, (unsigned)it->col);
    }
    jw_key(w, "text");
    jw_stringn(w, s->p, s->n);
    jw_object_end(w);

    /* The fact; else the policy statement; else the control block; else the
     * first facts file: code scanning rejects the whole log when one result
     * has no location. */
    const char *pfile = NULL;
    uint32_t pline = 0, pcol = 0;
    const bc_control *bc = report_bundle_control(x->b, c);
    const char *cfile = bc ? report_bundle_str(x->b, bc->file, NULL) : NULL;
    if (f->file) {
        pfile = f->file;
        pline = f->line;
        pcol = f->col;
    } else if (has_policy) {
        pfile = f->policy_file;
        pline = f->policy_line;
        pcol = f->policy_col;
    } else if (cfile && cfile[0]) {
        pfile = cfile;
        pline = bc->line;
        pcol = bc->col;
    } else if (x->r->fact_files && x->r->nfact_files) {
        pfile = x->r->fact_files[0];
    }
    int primary_is_policy = !f->file && has_policy;
    if (pfile) {
        jw_key(w, "locations");
        jw_array_begin(w);
        jw_object_begin(w);
        physical_location(x, pfile, pline, pcol);
        if (f->path && f->path[0]) {
            jw_key(w, "logicalLocations");
            jw_array_begin(w);
            jw_object_begin(w);
            jw_member_string(w, "fullyQualifiedName", f->path);
            jw_object_end(w);
            jw_array_end(w);
        }
        jw_object_end(w);
        jw_array_end(w);
    }

    if (has_policy && !primary_is_policy) {
        jw_key(w, "relatedLocations");
        jw_array_begin(w);
        jw_object_begin(w);
        jw_member_int(w, "id", 1);
        physical_location(x, f->policy_file, f->policy_line, f->policy_col);
        text_member(w, "message", "the policy statement that produced this finding",
                    strlen("the policy statement that produced this finding"));
        jw_object_end(w);
        jw_array_end(w);
    }

    char hex[65];
    fingerprint(x, c, f, occ, hex);
    jw_key(w, "partialFingerprints");
    jw_object_begin(w);
    jw_member_string(w, FINGERPRINT_KEY, hex);
    jw_object_end(w);

    if (f->waived_by)
        write_suppression(x, f->waived_by);

    jw_key(w, "properties");
    jw_object_begin(w);
    jw_member_string(w, "finding_kind", finding_kind_name(f->kind));
    jw_member_string(w, "path", str_or(f->path, ""));
    jw_member_string(w, "subject", f->subject);
    jw_member_string(w, "control_verdict", verdict_name(c->verdict));
    jw_member_string(w, "waived_by", f->waived_by ? f->waived_by->id : NULL);
    jw_object_end(w);

    jw_object_end(w);
}

static void write_results(ctx *x)
{
    const eval_result *r = x->r;
    jw_key(&x->w, "results");
    jw_array_begin(&x->w);
    for (uint32_t i = 0; i < r->ncontrols; i++) {
        const control_result *c = &r->controls[i];
        if (!c->nfindings || !c->findings)
            continue;
        uint32_t *occ = aip_xmalloc(sizeof *occ * c->nfindings);
        occurrences(c, occ);
        for (uint32_t k = 0; k < c->nfindings; k++)
            write_result(x, c, i, &c->findings[k], occ[k]);
        aip_free(occ);
    }
    jw_array_end(&x->w);
}

/* ---- run-level data ----------------------------------------------------------------------- */

static void put_hash_bytes(sbuf *s, const char *label, const char *v)
{
    sb_puts(s, label);
    sb_putc(s, '=');
    sb_puts(s, v ? v : "");
    sb_putc(s, '\n');
}

static void write_automation(ctx *x)
{
    jw *w = &x->w;
    const eval_result *r = x->r;
    const bundle *b = x->b;
    const char *bsha = r->bundle_sha256 ? r->bundle_sha256 : (b && b->sha256_hex[0] ? b->sha256_hex : NULL);
    sbuf *s = &x->tmp;
    unsigned char d[32];
    char hex[65];

    sb_clear(s);
    put_hash_bytes(s, "bundle", bsha);
    for (uint32_t i = 0; i < r->nfact_files; i++)
        put_hash_bytes(s, "facts", r->fact_sha256 ? r->fact_sha256[i] : NULL);
    put_hash_bytes(s, "params", r->params_sha256);
    put_hash_bytes(s, "waivers", r->waivers_sha256);
    put_hash_bytes(s, "date", r->evaluated_at);
    put_hash_bytes(s, "profile", r->profile ? r->profile : "\x01");
    put_hash_bytes(s, "fail_on", r->fail_on);
    aip_sha256(s->p, s->n, d);
    aip_sha256_hex(d, hex);

    sb_clear(s);
    sb_puts(s, "aip/");
    for (const char *p = r->profile ? r->profile : "all"; *p; p++)
        sb_putc(s, (char)(*p == '/' ? '-' : *p));
    sb_putc(s, '/');
    sb_putn(s, hex, 32);
    jw_key(w, "automationDetails");
    jw_object_begin(w);
    jw_key(w, "description");
    jw_object_begin(w);
    jw_key(w, "text");
    {
        sbuf t = { NULL, 0, 0 };
        sb_printf(&t, "aip eval of %s%s on %s", r->profile ? "profile " : "all controls",
                  r->profile ? r->profile : "", str_or(r->evaluated_at, "?"));
        jw_stringn(w, t.p, t.n);
        sb_free(&t);
    }
    jw_object_end(w);
    jw_key(w, "id");
    jw_stringn(w, s->p, s->n);
    jw_object_end(w);
}

static void file_sha(jw *w, const char *key, const char *file, const char *sha)
{
    jw_key(w, key);
    if (!file) {
        jw_null(w);
        return;
    }
    jw_object_begin(w);
    jw_member_string(w, "file", file);
    jw_member_string(w, "sha256", sha);
    jw_object_end(w);
}

/* The policy sources the bundle records: META "source" = "<file> sha256:<hex>". */
static void write_sources(jw *w, const bundle *b)
{
    jw_key(w, "sources");
    jw_array_begin(w);
    for (uint32_t i = 0; b && i < b->meta.n; i++) {
        size_t kn, vn;
        const char *k = report_bundle_str(b, b->meta.v[i].key, &kn);
        const char *v = report_bundle_str(b, b->meta.v[i].value, &vn);
        if (!k || !v || kn != 6 || memcmp(k, "source", 6) != 0)
            continue;
        const char *sep = NULL;
        for (size_t j = 0; j + 8 <= vn; j++)
            if (memcmp(v + j, " sha256:", 8) == 0)
                sep = v + j;
        jw_object_begin(w);
        jw_key(w, "file");
        jw_stringn(w, v, sep ? (size_t)(sep - v) : vn);
        jw_key(w, "sha256");
        if (sep)
            jw_stringn(w, sep + 8, vn - (size_t)(sep + 8 - v));
        else
            jw_null(w);
        jw_object_end(w);
    }
    jw_array_end(w);
}

static void write_properties(ctx *x)
{
    jw *w = &x->w;
    const eval_result *r = x->r;
    const bundle *b = x->b;
    const char *bsha = r->bundle_sha256 ? r->bundle_sha256 : (b && b->sha256_hex[0] ? b->sha256_hex : NULL);
    static const verdict order[] = {
        VERDICT_PASS, VERDICT_FAIL, VERDICT_UNKNOWN, VERDICT_NOT_APPLICABLE, VERDICT_WAIVED, VERDICT_ERROR,
    };

    jw_key(w, "properties");
    jw_object_begin(w);
    jw_key(w, "bundle");
    jw_object_begin(w);
    jw_member_string(w, "sha256", bsha);
    write_sources(w, b);
    jw_object_end(w);
    jw_key(w, "facts");
    jw_array_begin(w);
    for (uint32_t i = 0; i < r->nfact_files; i++) {
        jw_object_begin(w);
        jw_member_string(w, "file", r->fact_files ? r->fact_files[i] : NULL);
        jw_member_string(w, "sha256", r->fact_sha256 ? r->fact_sha256[i] : NULL);
        jw_object_end(w);
    }
    jw_array_end(w);
    file_sha(w, "params", r->params_file, r->params_sha256);
    report_json_waivers(w, r);   /* as in the JSON report */
    jw_member_string(w, "evaluated_at", r->evaluated_at);
    jw_member_string(w, "profile", r->profile);
    jw_member_string(w, "fail_on", r->fail_on ? r->fail_on : "mandatory");
    jw_member_string(w, "gate", r->gate_failed ? "fail" : "pass");
    jw_key(w, "summary");
    jw_object_begin(w);
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        jw_member_int(w, verdict_name(order[i]), r->summary.counts[order[i]]);
    jw_member_int(w, "total", r->summary.total);
    jw_object_end(w);
    jw_object_end(w);
}

/* ---- the log ---------------------------------------------------------------------------- */

/* 0, or -1 when a write failed (see report.h). */
int report_sarif(FILE *out, const eval_result *r, const bundle *b, const report_opts *o)
{
    ctx x;
    memset(&x, 0, sizeof x);
    x.r = r;
    x.b = b;
    if (o && o->base && o->base[0]) {
        /* "." (or anything that normalizes to it) is the working directory. */
        segv t = { NULL, 0, 0, o->base[0] == '/' };
        segv_add(&t, o->base);
        if (t.abs || t.n)
            x.base = o->base;
        aip_free(t.v);
    }
    plan_artifacts(&x);
    jw *w = &x.w;
    jw_init(w, out);

    jw_object_begin(w);
    jw_member_string(w, "$schema", SARIF_SCHEMA);
    jw_member_string(w, "version", "2.1.0");
    jw_key(w, "runs");
    jw_array_begin(w);
    jw_object_begin(w);
    write_tool(&x);
    write_invocation(&x);
    jw_key(w, "originalUriBaseIds");
    jw_object_begin(w);
    jw_key(w, URI_BASE_ID);
    jw_object_begin(w);
    text_member(w, "description",
                x.base ? "The directory given with --base; artifact URIs are relative to it."
                       : "The working directory of aip eval; artifact URIs are relative to it.",
                strlen(x.base ? "The directory given with --base; artifact URIs are relative to it."
                              : "The working directory of aip eval; artifact URIs are relative to it."));
    jw_object_end(w);
    jw_object_end(w);
    write_artifacts(&x);
    write_automation(&x);
    write_results(&x);
    write_properties(&x);
    jw_object_end(w);
    jw_array_end(w);
    jw_object_end(w);

    int rc = jw_finish(w);
    for (size_t i = 0; i < x.nfiles; i++)
        aip_free(x.files[i].uri);
    aip_free(x.files);
    aip_free(x.cwd);
    sb_free(&x.tmp);
    return rc;
}
