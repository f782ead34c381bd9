/* runtime/report_markdown.c - the Markdown report, for a pull-request comment.
 *
 *   ## ❌ aip gate: FAIL (fail-on mandatory)
 *
 *   > **⚠️ Truncated** to stay within 60000 characters. Left out: ...  (only when cut)
 *
 *   **Rule** (fail-on mandatory): a mandatory control that is fail, error or
 *   unknown fails the gate; 10 do (10 fail, 0 error, 0 unknown). 12 controls
 *   evaluated on 2026-11-27, profile sme-baseline.
 *
 *   | Function | pass | fail | unknown | not_applicable | waived | error | total |
 *   | GV Govern | 0 | 2 | 0 | 0 | 0 | 0 | 2 |  ...one row per CSF function, then All
 *
 *   ### Needs attention: ...   fail, error and unknown controls with their findings
 *   ### Other controls         <details> per verdict: pass, not_applicable, waived
 *   ### Waivers                a table: active, expired and unused waivers
 *   ### Integrity              tool, date, profile, fail-on, bundle, params,
 *                              waivers and facts files with their SHA-256
 *
 * What it is: layout, escaping and the size limit. Text that comes from facts
 * or policies (messages, subjects, paths, file names, titles, waiver fields)
 * is escaped so a manifest cannot inject markup: \ ` * _ | [ ] # ~ $ get a
 * backslash, & < > become entities, @ is followed by a zero-width space
 * (no @-mentions from an inventory), control characters are written visibly
 * as \xNN (C1 as \u00NN) so a field never spans lines, invalid UTF-8 becomes
 * U+FFFD, and one field is cut with an ellipsis past MD_FIELD_MAX bytes.
 * URLs in facts may still be autolinked by the renderer.
 *
 * The size limit (report_opts.max_bytes, 0 = 60,000; counted in bytes, so
 * the characters are at most that many): the report is built as units of
 * whole lines, and when all of it does not fit, units are kept by priority:
 * the gate line; the truncation note; the rule, the table, the section
 * headings and the integrity essentials; the facts files; the waivers; the
 * headings of the controls that need attention; their findings, round-robin
 * (every control's first finding, then every second one, ...); the
 * collapsed lists. Each class is kept as a prefix (in document order; the
 * findings in round-robin order), so what is left out is always the end of
 * a list. The note, right under the gate line, says how many findings,
 * controls, waivers and facts files were left out and how to get the full
 * report; a marker under each cut control says how many of its findings
 * are missing, and one at the end of each cut section what else is. Output
 * never ends inside a line, so never inside a UTF-8 character or a table
 * row, and a <details> block is kept only with its closing tag. A limit of
 * less than about 1 KB cannot hold the note: it gives what fits of the gate
 * and the rule.
 *
 * What it is not: a place that decides anything. Verdicts, the summary and
 * the gate are the VM's; the per-function counts are those verdicts
 * counted, and "fails the gate" repeats the VM's rule (lang/SPEC.md
 * section 7) only to say which controls the gate counted.
 */
#include "runtime/utf8.h"
#include "runtime/report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/because.h"
#include "runtime/version.h"

enum { MD_DEFAULT_MAX = 60000, MD_FIELD_MAX = 1000 };

static const char ELLIPSIS[] = "\xE2\x80\xA6";       /* U+2026 */
static const char REPLACEMENT[] = "\xEF\xBF\xBD";    /* U+FFFD */
static const char MIDDOT[] = " \xC2\xB7 ";           /* " · " */

/* ---- units --------------------------------------------------------------- */

/* Fill priority, highest first. C_FIND (the findings of the controls that
 * need attention) is filled round-robin: every control's first finding,
 * then every second one, and so on. */
enum md_class { C_HEAD, C_TABLE, C_FACTS, C_WAIVERS, C_ATTN, C_FIND, C_DETAILS, C_NCLASS };
/* Sections that can be cut, for the markers and the note. */
enum md_sec { S_NONE, S_ATTN, S_DETAILS, S_WAIVERS, S_FACTS, S_NSEC };
/* U_NOTE: the truncation note; U_MARK: where a section was cut; U_CMARK:
 * where a control's findings were cut. Their text is made after the fit. */
enum md_kind { U_TEXT, U_NOTE, U_MARK, U_CMARK };

#define NO_UNIT ((size_t)-1)

typedef struct md_unit {
    size_t off, len;            /* text in md.buf */
    size_t pair;                /* the closing unit kept with this one, or NO_UNIT */
    size_t head;                /* the unit this one belongs under (a section's or a
                                   control's heading, a <details> opening): kept
                                   only with it; NO_UNIT for none */
    uint32_t rank;              /* findings: index within the control */
    uint32_t lost;              /* headings: findings left out */
    uint32_t findings, controls, waivers, files;   /* what the unit shows */
    uint8_t cls, sec, kind, keep, is_close;
} md_unit;

typedef struct md_counts { uint32_t findings, controls, waivers, files; } md_counts;

typedef struct md {
    char *buf;
    size_t len, cap;
    md_unit *u;
    size_t nu, ucap;
} md;

static void md_put(md *w, const char *s, size_t n)
{
    if (w->len + n + 1 > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (w->len + n + 1 > cap)
            cap *= 2;
        w->buf = aip_xrealloc(w->buf, cap);
        w->cap = cap;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static void md_puts(md *w, const char *s)
{
    md_put(w, s, strlen(s));
}

static void md_printf(md *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void md_printf(md *w, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    /* only numbers and our own words go through here: they fit */
    if (n > 0)
        md_put(w, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Start a unit; its text is what is written until the next unit starts. */
static size_t md_unit_new(md *w, enum md_class cls, enum md_sec sec, enum md_kind kind)
{
    if (w->nu)
        w->u[w->nu - 1].len = w->len - w->u[w->nu - 1].off;
    AIP_GROW(w->u, w->nu, w->ucap);
    md_unit *u = &w->u[w->nu];
    memset(u, 0, sizeof *u);
    u->off = w->len;
    u->pair = NO_UNIT;
    u->head = NO_UNIT;
    u->cls = (uint8_t)cls;
    u->sec = (uint8_t)sec;
    u->kind = (uint8_t)kind;
    return w->nu++;
}

static md_unit *md_text_unit(md *w, enum md_class cls, enum md_sec sec)
{
    size_t i = md_unit_new(w, cls, sec, U_TEXT);   /* before reading w->u: it may move */
    return &w->u[i];
}

/* Start a unit that belongs under unit parent. */
static size_t md_child(md *w, enum md_class cls, enum md_sec sec, enum md_kind kind, size_t parent)
{
    size_t i = md_unit_new(w, cls, sec, kind);
    w->u[i].head = parent;
    return i;
}

static void md_units_close(md *w)
{
    if (w->nu)
        w->u[w->nu - 1].len = w->len - w->u[w->nu - 1].off;
}

/* ---- escaping -------------------------------------------------------------- */


/* Write s[0..n) escaped (see the top of the file), at most cap bytes of
 * output, then an ellipsis. */
static void md_textn(md *w, const char *str, size_t n, size_t cap)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t used = 0, i = 0;
    while (i < n) {
        unsigned c = s[i];
        char tmp[16];
        const char *rep = tmp;
        size_t rlen, skip = 1;
        if (c < 0x20 || c == 0x7F) {
            rlen = (size_t)snprintf(tmp, sizeof tmp, "\\x%02x", c);
        } else if (c >= 0x80) {
            size_t bad = 0, len = utf8_seq(s + i, n - i, &bad);
            if (!len) {
                rep = REPLACEMENT;
                rlen = 3;
                skip = bad;
            } else if (c == 0xC2 && s[i + 1] <= 0x9F) {
                rlen = (size_t)snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)s[i + 1]);
                skip = 2;
            } else {
                rep = str + i;
                rlen = skip = len;
            }
        } else if (strchr("\\`*_|[]#~$", (int)c)) {
            tmp[0] = '\\';
            tmp[1] = (char)c;
            rlen = 2;
        } else if (c == '<') {
            rep = "&lt;";
            rlen = 4;
        } else if (c == '>') {
            rep = "&gt;";
            rlen = 4;
        } else if (c == '&') {
            rep = "&amp;";
            rlen = 5;
        } else if (c == '@') {
            rep = "@&#8203;";
            rlen = 8;
        } else {
            rep = str + i;
            rlen = 1;
        }
        if (used + rlen > cap) {
            md_puts(w, ELLIPSIS);
            return;
        }
        md_put(w, rep, rlen);
        used += rlen;
        i += skip;
    }
}

static void md_text(md *w, const char *s)
{
    if (s)
        md_textn(w, s, strlen(s), MD_FIELD_MAX);
}

/* ---- words ---------------------------------------------------------------- */

static const verdict TABLE_ORDER[] = {   /* the JSON summary's order */
    VERDICT_PASS, VERDICT_FAIL, VERDICT_UNKNOWN, VERDICT_NOT_APPLICABLE, VERDICT_WAIVED, VERDICT_ERROR,
};
enum { NCOLS = sizeof TABLE_ORDER / sizeof TABLE_ORDER[0] };

static const char *verdict_badge(verdict v)
{
    switch (v) {
    case VERDICT_PASS: return "\xE2\x9C\x85 PASS";             /* ✅ */
    case VERDICT_FAIL: return "\xE2\x9D\x8C FAIL";             /* ❌ */
    case VERDICT_ERROR: return "\xE2\x9B\x94 ERROR";           /* ⛔ */
    case VERDICT_UNKNOWN: return "\xE2\x9D\x93 UNKNOWN";       /* ❓ */
    case VERDICT_NOT_APPLICABLE: return "\xE2\x9E\x96 NOT APPLICABLE";  /* ➖ */
    case VERDICT_WAIVED: return "\xF0\x9F\x9B\xA1\xEF\xB8\x8F WAIVED"; /* 🛡️ */
    default: return "INVALID";
    }
}

static const char *fail_on_word(const eval_result *r)
{
    return r->fail_on ? r->fail_on : "mandatory";
}

static int is_fail_on(const eval_result *r, const char *word)
{
    return strcmp(fail_on_word(r), word) == 0;
}

/* Does c count against the gate? The VM's rule (vm.c eval_summarize). */
static int gates(const eval_result *r, const control_result *c)
{
    if (c->verdict != VERDICT_FAIL && c->verdict != VERDICT_ERROR && c->verdict != VERDICT_UNKNOWN)
        return 0;
    if (is_fail_on(r, "none"))
        return 0;
    return is_fail_on(r, "any") || c->enforce == 0;
}

static int needs_attention(verdict v)
{
    return v == VERDICT_FAIL || v == VERDICT_ERROR || v == VERDICT_UNKNOWN;
}

static const char *plural(uint32_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static const char *cid(const control_result *c)
{
    return c->id ? c->id : "";
}

/* Does c belong to function fn (fn_len bytes)? */
static int in_function(const control_result *c, const char *fn, size_t fn_len)
{
    const char *id = cid(c);
    return report_id_function_len(id) == fn_len && memcmp(id, fn, fn_len) == 0;
}

/* Is control i the first of its function? */
static int first_of_function(const eval_result *r, uint32_t i)
{
    const char *id = cid(&r->controls[i]);
    size_t fn_len = report_id_function_len(id);
    if (i > 0 && in_function(&r->controls[i - 1], id, fn_len))
        return 0;
    for (uint32_t j = 0; j + 1 < i; j++)
        if (in_function(&r->controls[j], id, fn_len))
            return 0;
    return 1;
}

/* ---- pieces ------------------------------------------------------------------ */

/* "ID title (advisory)" */
static void md_control_name(md *w, const control_result *c)
{
    md_text(w, cid(c));
    if (c->title && c->title[0]) {
        md_puts(w, " ");
        md_text(w, c->title);
    }
    if (c->enforce)
        md_puts(w, " (advisory)");
}

/* "W-1 (approved by X, expires D): reason" */
static void md_waiver(md *w, const waiver *wv)
{
    md_text(w, wv->id ? wv->id : "a waiver");
    md_puts(w, " (approved by ");
    md_text(w, wv->approved_by ? wv->approved_by : "?");
    md_puts(w, ", expires ");
    md_text(w, wv->expires ? wv->expires : "?");
    md_puts(w, "): ");
    md_text(w, wv->reason ? wv->reason : "(no reason)");
}

/* "file:line:col" with what is known */
static void md_fact_location(md *w, const finding *f)
{
    md_text(w, f->file);
    if (f->line) {
        md_printf(w, ":%u", (unsigned)f->line);
        if (f->col)
            md_printf(w, ":%u", (unsigned)f->col);
    }
}

/* A finding as a list item at indent ("" or "  "): kind, subject, message;
 * then its manifest location, path and policy line; then its waiver (only
 * the id when brief). */
static void md_finding(md *w, const finding *f, const char *indent, int brief)
{
    md_puts(w, indent);
    md_puts(w, f->kind == FINDING_MISSING_EVIDENCE ? "- **missing evidence**" : "- **violation**");
    if (f->subject) {
        md_puts(w, " (");
        md_text(w, f->subject);
        md_puts(w, ")");
    }
    md_puts(w, ": ");
    md_text(w, f->message ? f->message : "");
    md_puts(w, "\n");

    int has_path = f->path && f->path[0];
    if (f->file || has_path || f->policy_file) {
        md_puts(w, indent);
        md_puts(w, "  ");
        const char *sep = "";
        if (f->file) {
            md_puts(w, "at ");
            md_fact_location(w, f);
            sep = MIDDOT;
        }
        if (has_path) {
            md_puts(w, sep);
            md_puts(w, "path ");
            md_text(w, f->path);
            sep = MIDDOT;
        }
        if (f->policy_file) {
            md_puts(w, sep);
            md_puts(w, "policy ");
            md_text(w, f->policy_file);
            if (f->policy_line)
                md_printf(w, ":%u", (unsigned)f->policy_line);
        }
        md_puts(w, "\n");
    }
    if (f->nbecause && !brief) {   /* the deciding values (docs/explain.md) */
        md_puts(w, indent);
        md_puts(w, "  because: ");
        for (uint32_t i = 0; i < f->nbecause; i++) {
            const because_item *it = &f->because[i];
            char item[512];
            because_item_text(it, item, sizeof item);
            if (i)
                md_puts(w, "; ");
            md_text(w, item);
            if (it->file) {
                md_puts(w, " (at ");
                md_text(w, it->file);
                md_printf(w, ":%u:%u)", (unsigned)it->line, (unsigned)it->col);
            }
        }
        md_puts(w, "\n");
    }
    if (f->waived_by) {
        md_puts(w, indent);
        md_puts(w, "  waived by ");
        if (brief)
            md_text(w, f->waived_by->id ? f->waived_by->id : "a waiver");
        else
            md_waiver(w, f->waived_by);
        md_puts(w, "\n");
    }
}

/* ---- sections ------------------------------------------------------------------ */

static void md_gate(md *w, const eval_result *r)
{
    uint32_t by[VERDICT_COUNT] = {0}, gating = 0;
    for (uint32_t i = 0; i < r->ncontrols; i++) {
        const control_result *c = &r->controls[i];
        if (is_fail_on(r, "none") ? needs_attention(c->verdict) : gates(r, c)) {
            by[c->verdict < VERDICT_COUNT ? c->verdict : VERDICT_ERROR]++;
            gating++;
        }
    }

    md_text_unit(w, C_HEAD, S_NONE);
    md_puts(w, r->gate_failed ? "## \xE2\x9D\x8C aip gate: FAIL (fail-on " : "## \xE2\x9C\x85 aip gate: PASS (fail-on ");
    md_text(w, fail_on_word(r));
    md_puts(w, ")\n");

    md_unit_new(w, C_HEAD, S_NONE, U_NOTE);

    md_text_unit(w, C_TABLE, S_NONE);
    md_puts(w, "\n**Rule** (fail-on ");
    md_text(w, fail_on_word(r));
    if (is_fail_on(r, "none"))
        md_printf(w, "): the gate never fails; %u %s fail, error or unknown", (unsigned)gating,
                  plural(gating, "control is", "controls are"));
    else if (is_fail_on(r, "any"))
        md_printf(w, "): any control, mandatory or advisory, that is fail, error or unknown fails the gate; %u %s",
                  (unsigned)gating, plural(gating, "does", "do"));
    else
        md_printf(w, "): a mandatory control that is fail, error or unknown fails the gate; %u %s",
                  (unsigned)gating, plural(gating, "does", "do"));
    md_printf(w, " (%u fail, %u error, %u unknown). ", (unsigned)by[VERDICT_FAIL], (unsigned)by[VERDICT_ERROR],
              (unsigned)by[VERDICT_UNKNOWN]);
    md_printf(w, "%u %s evaluated on ", (unsigned)r->ncontrols, plural(r->ncontrols, "control", "controls"));
    md_text(w, r->evaluated_at ? r->evaluated_at : "an unknown date");
    if (r->profile) {
        md_puts(w, ", profile ");
        md_text(w, r->profile);
    } else {
        md_puts(w, ", all controls (no profile)");
    }
    md_puts(w, ".\n");
}

static void md_count_row(md *w, const uint32_t *counts, uint32_t total)
{
    for (size_t k = 0; k < NCOLS; k++)
        md_printf(w, " %u |", (unsigned)counts[TABLE_ORDER[k]]);
    md_printf(w, " %u |\n", (unsigned)total);
}

static void md_table(md *w, const eval_result *r, const bundle *b)
{
    size_t table = md_unit_new(w, C_TABLE, S_NONE, U_TEXT);
    md_puts(w, "\n| Function |");
    for (size_t k = 0; k < NCOLS; k++) {
        md_puts(w, " ");
        md_text(w, verdict_name(TABLE_ORDER[k]));
        md_puts(w, " |");
    }
    md_puts(w, " total |\n| :-- |");
    for (size_t k = 0; k <= NCOLS; k++)
        md_puts(w, " --: |");
    md_puts(w, "\n");

    uint32_t all[VERDICT_COUNT] = {0};
    for (uint32_t i = 0; i < r->ncontrols; i++) {
        if (!first_of_function(r, i))
            continue;
        const char *fn = cid(&r->controls[i]);
        size_t fn_len = report_id_function_len(fn);
        uint32_t counts[VERDICT_COUNT] = {0}, total = 0;
        for (uint32_t j = i; j < r->ncontrols; j++) {
            const control_result *c = &r->controls[j];
            if (!in_function(c, fn, fn_len))
                continue;
            if ((unsigned)c->verdict < VERDICT_COUNT) {
                counts[c->verdict]++;
                all[c->verdict]++;
            }
            total++;
        }
        md_child(w, C_TABLE, S_NONE, U_TEXT, table);
        md_puts(w, "| ");
        if (fn_len) {
            md_textn(w, fn, fn_len, MD_FIELD_MAX);
            const char *name = report_csf_name(b, fn, fn_len);
            if (name && name[0]) {
                md_puts(w, " ");
                md_text(w, name);
            }
        } else {
            md_puts(w, "(no function)");
        }
        md_puts(w, " |");
        md_count_row(w, counts, total);
    }
    md_child(w, C_TABLE, S_NONE, U_TEXT, table);
    md_puts(w, "| **All** |");
    md_count_row(w, all, r->ncontrols);
}

static void md_attention(md *w, const eval_result *r)
{
    uint32_t n = 0, by[VERDICT_COUNT] = {0};
    for (uint32_t i = 0; i < r->ncontrols; i++)
        if (needs_attention(r->controls[i].verdict)) {
            n++;
            by[r->controls[i].verdict]++;
        }
    size_t sect = md_unit_new(w, C_TABLE, S_NONE, U_TEXT);
    if (!n) {
        md_puts(w, "\n### Needs attention\n\nNo control is fail, error or unknown.\n");
        return;
    }
    md_printf(w, "\n### Needs attention: %u %s (%u fail, %u error, %u unknown)\n", (unsigned)n,
              plural(n, "control", "controls"), (unsigned)by[VERDICT_FAIL], (unsigned)by[VERDICT_ERROR],
              (unsigned)by[VERDICT_UNKNOWN]);
    for (uint32_t i = 0; i < r->ncontrols; i++) {
        const control_result *c = &r->controls[i];
        if (!needs_attention(c->verdict))
            continue;
        size_t head = md_child(w, C_ATTN, S_ATTN, U_TEXT, sect);
        w->u[head].controls = 1;
        md_puts(w, "\n#### ");
        md_puts(w, verdict_badge(c->verdict));
        md_puts(w, MIDDOT);
        md_control_name(w, c);
        md_puts(w, gates(r, c) ? " \xE2\x80\x94 fails the gate\n\n" : " \xE2\x80\x94 does not fail the gate\n\n");
        if (c->verdict == VERDICT_ERROR) {
            md_puts(w, "- **error**: ");
            md_text(w, c->error ? c->error : "error without a message");
            md_puts(w, "\n");
        }
        for (uint32_t k = 0; k < c->nfindings; k++) {
            size_t at = md_child(w, C_FIND, S_ATTN, U_TEXT, head);
            md_unit *u = &w->u[at];
            u->findings = 1;
            u->rank = k;
            md_finding(w, &c->findings[k], "", 0);
        }
        if (c->nfindings) {
            md_child(w, C_HEAD, S_ATTN, U_CMARK, head);
        }
    }
    md_child(w, C_HEAD, S_ATTN, U_MARK, sect);
}

/* The distinct waivers covering c's findings, inline. */
static void md_control_waivers(md *w, const control_result *c)
{
    int any = 0;
    for (uint32_t k = 0; k < c->nfindings; k++) {
        const waiver *wv = c->findings[k].waived_by;
        if (!wv)
            continue;
        int seen = 0;
        for (uint32_t j = 0; j < k && !seen; j++)
            seen = c->findings[j].waived_by == wv;
        if (seen)
            continue;
        md_puts(w, any ? "; " : " \xE2\x80\x94 waived by ");
        md_waiver(w, wv);
        any = 1;
    }
}

static void md_details(md *w, const eval_result *r)
{
    static const verdict groups[] = { VERDICT_PASS, VERDICT_NOT_APPLICABLE, VERDICT_WAIVED };
    uint32_t n[3] = {0}, all = 0;
    for (uint32_t i = 0; i < r->ncontrols; i++)
        for (size_t g = 0; g < 3; g++)
            if (r->controls[i].verdict == groups[g]) {
                n[g]++;
                all++;
            }
    if (!all)
        return;
    size_t sect = md_unit_new(w, C_TABLE, S_NONE, U_TEXT);
    md_printf(w, "\n### Other controls: %u (%u pass, %u not\\_applicable, %u waived)\n", (unsigned)all,
              (unsigned)n[0], (unsigned)n[1], (unsigned)n[2]);
    for (size_t g = 0; g < 3; g++) {
        if (!n[g])
            continue;
        size_t open = md_child(w, C_DETAILS, S_DETAILS, U_TEXT, sect);
        md_printf(w, "\n<details><summary>%s: %u %s</summary>\n\n", verdict_badge(groups[g]), (unsigned)n[g],
                  plural(n[g], "control", "controls"));
        for (uint32_t i = 0; i < r->ncontrols; i++) {
            const control_result *c = &r->controls[i];
            if (c->verdict != groups[g])
                continue;
            size_t at = md_child(w, C_DETAILS, S_DETAILS, U_TEXT, open);
            md_unit *u = &w->u[at];
            u->controls = 1;
            u->findings = c->nfindings;
            md_puts(w, "- ");
            md_control_name(w, c);
            if (c->verdict == VERDICT_WAIVED)
                md_control_waivers(w, c);
            md_puts(w, "\n");
            for (uint32_t k = 0; k < c->nfindings; k++)
                md_finding(w, &c->findings[k], "  ", c->verdict == VERDICT_WAIVED);
        }
        size_t close = md_child(w, C_DETAILS, S_DETAILS, U_TEXT, open);
        w->u[close].is_close = 1;
        w->u[open].pair = close;
        md_puts(w, "\n</details>\n");
    }
    md_child(w, C_HEAD, S_DETAILS, U_MARK, sect);
}

/* "file (SHA-256 hex)" or "none" */
static void md_file_sha(md *w, const char *file, const char *sha)
{
    if (!file) {
        md_puts(w, "none");
        return;
    }
    md_text(w, file);
    md_puts(w, ", SHA-256 ");
    md_text(w, sha ? sha : "unknown");
}

static void md_waivers(md *w, const eval_result *r)
{
    uint32_t by[3] = {0};
    for (uint32_t i = 0; i < r->nwaivers && r->waivers; i++)
        if ((unsigned)r->waivers[i].status < 3)
            by[r->waivers[i].status]++;
    size_t sect = md_unit_new(w, C_TABLE, S_NONE, U_TEXT);
    md_puts(w, "\n### Waivers\n\n");
    if (!r->waivers_file && !r->nwaivers) {
        md_puts(w, "No waivers file was given.\n");
        return;
    }
    md_puts(w, "Waivers file: ");
    md_file_sha(w, r->waivers_file, r->waivers_sha256);
    md_printf(w, ". %u %s: %u active, %u expired, %u unused.\n", (unsigned)r->nwaivers,
              plural(r->nwaivers, "waiver", "waivers"), (unsigned)by[WAIVER_ACTIVE], (unsigned)by[WAIVER_EXPIRED],
              (unsigned)by[WAIVER_UNUSED]);
    if (!r->nwaivers || !r->waivers)
        return;
    md_puts(w, "\n| Waiver | Status | Control | Target | Covers | Expires | Approved by | Reason | Written at |\n"
               "| :-- | :-- | :-- | :-- | --: | :-- | :-- | :-- | :-- |\n");
    for (uint32_t i = 0; i < r->nwaivers; i++) {
        const waiver *wv = &r->waivers[i];
        size_t at = md_child(w, C_WAIVERS, S_WAIVERS, U_TEXT, sect);
        md_unit *u = &w->u[at];
        u->waivers = 1;
        md_puts(w, "| ");
        md_text(w, wv->id);
        md_puts(w, " | ");
        md_puts(w, waiver_status_name(wv->status));
        md_puts(w, " | ");
        md_text(w, wv->control);
        md_puts(w, " | ");
        md_text(w, wv->target);
        md_printf(w, " | %u %s | ", (unsigned)wv->matched, plural(wv->matched, "violation", "violations"));
        md_text(w, wv->expires);
        md_puts(w, " | ");
        md_text(w, wv->approved_by);
        md_puts(w, " | ");
        md_text(w, wv->reason);
        md_puts(w, " | ");
        if (wv->file) {
            md_text(w, wv->file);
            if (wv->line)
                md_printf(w, ":%u:%u", (unsigned)wv->line, (unsigned)wv->col);
        }
        md_puts(w, " |\n");
    }
    md_child(w, C_HEAD, S_WAIVERS, U_MARK, sect);
}

static void md_integrity(md *w, const eval_result *r, const bundle *b)
{
    const char *sha = r->bundle_sha256;
    if (!sha && b && b->sha256_hex[0])
        sha = b->sha256_hex;
    size_t sect = md_unit_new(w, C_TABLE, S_NONE, U_TEXT);
    md_puts(w, "\n### Integrity\n\n- Tool: aip " AIP_VERSION "\n- Evaluated at: ");
    md_text(w, r->evaluated_at ? r->evaluated_at : "unknown");
    md_puts(w, "\n- Profile: ");
    if (r->profile)
        md_text(w, r->profile);
    else
        md_puts(w, "none (all controls)");
    md_puts(w, "\n- Fail-on: ");
    md_text(w, fail_on_word(r));
    md_puts(w, "\n- Bundle SHA-256: ");
    md_text(w, sha ? sha : "unknown");
    md_puts(w, "\n- Params file: ");
    md_file_sha(w, r->params_file, r->params_sha256);
    md_puts(w, "\n- Waivers file: ");
    md_file_sha(w, r->waivers_file, r->waivers_sha256);
    md_printf(w, "\n- Facts files (%u):%s\n", (unsigned)r->nfact_files, r->nfact_files ? "" : " none");
    for (uint32_t i = 0; i < r->nfact_files; i++) {
        size_t at = md_child(w, C_FACTS, S_FACTS, U_TEXT, sect);
        md_unit *u = &w->u[at];
        u->files = 1;
        md_puts(w, "  - ");
        md_file_sha(w, r->fact_files && r->fact_files[i] ? r->fact_files[i] : "(unnamed)",
                    r->fact_sha256 ? r->fact_sha256[i] : NULL);
        md_puts(w, "\n");
    }
    md_child(w, C_HEAD, S_FACTS, U_MARK, sect);
}

/* ---- truncation ------------------------------------------------------------------ */

/* The note after the gate, into buf (NUL-terminated); its length. */
static size_t note_text(char *buf, size_t cap, size_t max, const md_counts *left)
{
    int n = snprintf(buf, cap,
                     "\n> **\xE2\x9A\xA0\xEF\xB8\x8F Truncated** to stay within %zu characters. Left out: %u %s, "
                     "%u %s, %u %s, %u %s. For the full report run `aip eval` with `--format html`, `--format json` "
                     "or `--format text` (for example `--report html=aip-report.html`, kept as a CI artifact).\n",
                     max, (unsigned)left->findings, plural(left->findings, "finding", "findings"),
                     (unsigned)left->controls, plural(left->controls, "control", "controls"),
                     (unsigned)left->waivers, plural(left->waivers, "waiver", "waivers"),
                     (unsigned)left->files, plural(left->files, "facts file", "facts files"));
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

/* The marker where section sec was cut, into buf; its length (0 when
 * nothing of the section was left out). l counts what the section lost,
 * except for S_ATTN, where it counts the controls left out whole and their
 * findings (a kept control's lost findings have their own marker). */
static size_t mark_text(char *buf, size_t cap, enum md_sec sec, const md_counts *l)
{
    int n = 0;
    buf[0] = '\0';
    switch (sec) {
    case S_ATTN:
        if (l->controls)
            n = snprintf(buf, cap, "\n_%s %u more %s (%u %s) left out here; see the note at the top._\n", ELLIPSIS,
                         (unsigned)l->controls, plural(l->controls, "control", "controls"), (unsigned)l->findings,
                         plural(l->findings, "finding", "findings"));
        break;
    case S_DETAILS:
        if (l->controls)
            n = snprintf(buf, cap, "\n_%s %u more %s (%u %s) left out here._\n", ELLIPSIS, (unsigned)l->controls,
                         plural(l->controls, "control", "controls"), (unsigned)l->findings,
                         plural(l->findings, "finding", "findings"));
        break;
    case S_WAIVERS:
        if (l->waivers)
            n = snprintf(buf, cap, "\n_%s %u more %s left out here._\n", ELLIPSIS, (unsigned)l->waivers,
                         plural(l->waivers, "waiver", "waivers"));
        break;
    case S_FACTS:
        if (l->files)
            n = snprintf(buf, cap, "  - _%s %u more %s left out_\n", ELLIPSIS, (unsigned)l->files,
                         plural(l->files, "facts file", "facts files"));
        break;
    default:
        break;
    }
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

/* The marker under a control whose findings were cut; its length (0 when
 * none was). */
static size_t cmark_text(char *buf, size_t cap, uint32_t lost)
{
    buf[0] = '\0';
    if (!lost)
        return 0;
    int n = snprintf(buf, cap, "- _%s %u more %s of this control left out_\n", ELLIPSIS, (unsigned)lost,
                     plural(lost, "finding", "findings"));
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

typedef struct rank_ref { uint32_t rank; size_t unit; } rank_ref;

static int rank_cmp(const void *a, const void *b)
{
    const rank_ref *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->unit < y->unit ? -1 : x->unit > y->unit;
}

/* Keep unit i if it (and the closing unit it pairs with, and the marker
 * of the control it heads) fits the budget. */
static int try_keep(md *w, size_t i, size_t *budget, size_t extra)
{
    md_unit *u = &w->u[i];
    size_t cost = u->len + (u->pair != NO_UNIT ? w->u[u->pair].len : 0) + extra;
    if (cost > *budget)
        return 0;
    *budget -= cost;
    u->keep = 1;
    if (u->pair != NO_UNIT)
        w->u[u->pair].keep = 1;
    return 1;
}

/* Decide which units to keep within max bytes; fill left[] with what each
 * section lost and each heading's lost count. Returns whether anything had
 * to go. */
static int md_fit(md *w, size_t max, md_counts *left)
{
    size_t total = 0;
    for (size_t i = 0; i < w->nu; i++)
        if (w->u[i].kind == U_TEXT)
            total += w->u[i].len;
    if (total <= max) {
        for (size_t i = 0; i < w->nu; i++)
            w->u[i].keep = w->u[i].kind == U_TEXT;
        return 0;
    }

    /* the note and the section markers at their largest; a control's
     * marker is paid for when its heading is kept */
    char tmp[1024];
    md_counts most = { UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX };
    size_t reserve = note_text(tmp, sizeof tmp, max, &most);
    for (int s = S_ATTN; s < S_NSEC; s++)
        reserve += mark_text(tmp, sizeof tmp, (enum md_sec)s, &most);
    size_t cmark = cmark_text(tmp, sizeof tmp, UINT32_MAX);
    size_t budget = max;

    /* units of each class as a prefix in document order (C_FIND: in rank
     * order), a class stopping at its first unit that does not fit; the
     * gate comes before the note, the note before everything else */
    for (int cls = 0; cls < C_NCLASS; cls++) {
        if (cls == C_TABLE)
            budget = budget > reserve ? budget - reserve : 0;
        if (cls == C_FIND)
            continue;
        for (size_t i = 0; i < w->nu; i++) {
            md_unit *u = &w->u[i];
            if (u->cls != cls || u->kind != U_TEXT || u->is_close)
                continue;
            if (u->head != NO_UNIT && !w->u[u->head].keep)
                continue;   /* its section is left out whole */
            int has_findings = cls == C_ATTN && i + 1 < w->nu && w->u[i + 1].cls == C_FIND;
            if (!try_keep(w, i, &budget, has_findings ? cmark : 0))
                break;
        }
        if (cls != C_ATTN)
            continue;
        size_t n = 0;
        for (size_t i = 0; i < w->nu; i++)
            n += w->u[i].cls == C_FIND && w->u[i].kind == U_TEXT;
        rank_ref *order = aip_xmalloc((n ? n : 1) * sizeof *order);
        n = 0;
        for (size_t i = 0; i < w->nu; i++)
            if (w->u[i].cls == C_FIND && w->u[i].kind == U_TEXT)
                order[n++] = (rank_ref){ w->u[i].rank, i };
        qsort(order, n, sizeof *order, rank_cmp);
        for (size_t k = 0; k < n; k++) {
            if (!w->u[w->u[order[k].unit].head].keep)
                continue;   /* its control is left out whole */
            if (!try_keep(w, order[k].unit, &budget, 0))
                break;
        }
        aip_free(order);
    }

    for (size_t i = 0; i < w->nu; i++) {
        md_unit *u = &w->u[i];
        if (u->kind != U_TEXT) {
            u->keep = 1;
            continue;
        }
        if (u->keep)
            continue;
        if (u->cls == C_FIND && w->u[u->head].keep) {
            w->u[u->head].lost += u->findings;   /* told under its control */
            left[S_NONE].findings += u->findings;
            continue;
        }
        md_counts *l = &left[u->sec];
        l->findings += u->findings;
        l->controls += u->controls;
        l->waivers += u->waivers;
        l->files += u->files;
    }
    return 1;
}

/* ---- the report --------------------------------------------------------------------- */

/* 0, or -1 when a write failed (see report.h). */
int report_markdown(FILE *out, const eval_result *r, const bundle *b, const report_opts *o)
{
    size_t max = o && o->max_bytes ? o->max_bytes : MD_DEFAULT_MAX;
    md w;
    memset(&w, 0, sizeof w);

    md_gate(&w, r);
    md_table(&w, r, b);
    md_attention(&w, r);
    md_details(&w, r);
    md_waivers(&w, r);
    md_integrity(&w, r, b);
    md_units_close(&w);

    md_counts left[S_NSEC];
    memset(left, 0, sizeof left);
    int cut = md_fit(&w, max, left);
    md_counts all = { 0, 0, 0, 0 };
    for (int s = 0; s < S_NSEC; s++) {
        all.findings += left[s].findings;
        all.controls += left[s].controls;
        all.waivers += left[s].waivers;
        all.files += left[s].files;
    }

    size_t written = 0;
    int noted = 0;   /* markers only under the note they refer to */
    for (size_t i = 0; i < w.nu; i++) {
        const md_unit *u = &w.u[i];
        char tmp[1024];
        const char *text = w.buf + u->off;
        size_t len = u->len;
        if (!u->keep)
            continue;
        if (u->kind != U_TEXT) {
            if (!cut || (u->kind != U_NOTE && !noted) || (u->head != NO_UNIT && !w.u[u->head].keep))
                continue;
            if (u->kind == U_NOTE)
                len = note_text(tmp, sizeof tmp, max, &all);
            else if (u->kind == U_MARK)
                len = mark_text(tmp, sizeof tmp, (enum md_sec)u->sec, &left[u->sec]);
            else
                len = cmark_text(tmp, sizeof tmp, w.u[u->head].lost);
            text = tmp;
        }
        if (written + len > max)
            continue;
        noted |= u->kind == U_NOTE;
        fwrite(text, 1, len, out);
        written += len;
    }
    aip_free(w.buf);
    aip_free(w.u);
    if (fflush(out) != 0 || ferror(out))
        return -1;
    return 0;
}
