/* runtime/report_text.c - the text report, for a person at a terminal.
 *
 *   FAIL     PR.AA-01  Identities and credentials for authorized users, services, and hardware are ma…
 *       violation [chatbot]: credential "svc-bot" is shared
 *         at facts/inv.yaml:12:7 (credentials[1].shared), policy.aip:20
 *   WAIVED   RS.MA-01  Incident response plan is executed (advisory)
 *
 *   2 controls: 0 pass, 1 fail, 0 unknown, 0 not_applicable, 1 waived, 0 error — gate FAILED (fail-on mandatory)
 *
 * The verdict column says N/A for not_applicable (so every word fits the
 * column); an error verdict is followed by "error: <message>"; a finding's
 * subject, when it has one, is in brackets after its kind.
 *
 * What it is: layout and colour. A line per control stays within
 * REPORT_TEXT_WIDTH columns (the title is cut with an ellipsis); finding
 * and summary lines are not cut. Text from facts and policies is printed
 * with C0/C1 control characters and DEL escaped, so an inventory cannot
 * inject terminal escape sequences; ANSI colour is written only when asked
 * for.
 *
 * What it is not: a stable format for machines (that is the JSON report),
 * and it decides nothing: verdicts, summary and gate are the VM's.
 */
#include "runtime/report.h"

#include <string.h>

#include "runtime/because.h"

enum { REPORT_TEXT_WIDTH = 100, VERDICT_COL = 8, ID_COL = 8 };

static const char ELLIPSIS[] = "\xE2\x80\xA6";  /* U+2026, one column */
static const char ADVISORY[] = " (advisory)";

#define ANSI_RESET "\033[0m"

static const char *verdict_color(verdict v)
{
    switch (v) {
    case VERDICT_PASS: return "\033[32m";            /* green */
    case VERDICT_FAIL: case VERDICT_ERROR: return "\033[31m";  /* red */
    case VERDICT_UNKNOWN: return "\033[33m";         /* yellow */
    case VERDICT_NOT_APPLICABLE: return "\033[2m";   /* dim */
    case VERDICT_WAIVED: return "\033[36m";          /* cyan */
    default: return "";
    }
}

/* The verdict column's word: upper case; not_applicable is "N/A" so every
 * word fits the column. */
static const char *verdict_word(verdict v)
{
    switch (v) {
    case VERDICT_NOT_APPLICABLE: return "N/A";
    case VERDICT_PASS: return "PASS";
    case VERDICT_WAIVED: return "WAIVED";
    case VERDICT_UNKNOWN: return "UNKNOWN";
    case VERDICT_FAIL: return "FAIL";
    case VERDICT_ERROR: return "ERROR";
    default: return "INVALID";
    }
}

/* ---- safe text --------------------------------------------------------------- */

/* Is s[i] the start of an escaped character? Returns the bytes it spans
 * (1 for C0/DEL, 2 for a UTF-8 encoded C1) or 0. */
static size_t control_at(const unsigned char *s, size_t n, size_t i)
{
    if (s[i] < 0x20 || s[i] == 0x7f)
        return 1;
    if (s[i] == 0xC2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F)
        return 2;
    return 0;
}

/* How many bytes of s[0..n) fit in max_cols columns as text_write prints
 * them, never ending inside a UTF-8 sequence or an escape; *cols_out (if
 * not NULL) gets the columns they take. An escape counts its characters,
 * any other character one column (wide characters are not measured; a stray
 * continuation byte counts as the replacement character a terminal shows). */
static size_t text_fit(const char *str, size_t n, size_t max_cols, size_t *cols_out)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t cols = 0, i = 0;
    while (i < n) {
        size_t k = control_at(s, n, i);
        size_t w = k == 1 ? 4 : k == 2 ? 6 : 1;   /* \xNN, \u00NN, a character */
        if (cols + w > max_cols)
            break;
        cols += w;
        if (k) {
            i += k;
        } else {
            i++;   /* and the rest of a multi-byte character */
            while (i < n && (s[i] & 0xC0) == 0x80)
                i++;
        }
    }
    if (cols_out)
        *cols_out = cols;
    return i;
}

static size_t text_cols(const char *s, size_t n)
{
    size_t cols;
    text_fit(s, n, (size_t)-1, &cols);
    return cols;
}

/* Write s[0..n) with control characters escaped: C0 and DEL as \xNN, C1
 * (UTF-8 C2 80..C2 9F) as \u00NN. */
static void text_write(FILE *out, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t start = 0, i = 0;
    while (i < n) {
        size_t k = control_at(s, n, i);
        if (!k) {
            i++;
            continue;
        }
        fwrite(str + start, 1, i - start, out);
        if (k == 1)
            fprintf(out, "\\x%02x", s[i]);
        else
            fprintf(out, "\\u%04x", s[i + 1]);
        i += k;
        start = i;
    }
    fwrite(str + start, 1, i - start, out);
}

static void text_put(FILE *out, const char *s)
{
    if (s)
        text_write(out, s, strlen(s));
}

static void spaces(FILE *out, size_t n)
{
    while (n-- > 0)
        putc(' ', out);
}

/* ---- lines --------------------------------------------------------------------- */

static void write_control_line(FILE *out, const control_result *c, int color)
{
    const char *word = verdict_word(c->verdict);
    const char *id = c->id ? c->id : "";
    const char *title = c->title ? c->title : "";
    size_t id_len = strlen(id);

    fputs("  ", out);
    if (color)
        fprintf(out, "%s%s%s", verdict_color(c->verdict), word, ANSI_RESET);
    else
        fputs(word, out);
    spaces(out, strlen(word) < VERDICT_COL ? VERDICT_COL - strlen(word) : 0);
    putc(' ', out);
    size_t id_cols = text_cols(id, id_len);
    text_put(out, id);
    spaces(out, id_cols < ID_COL ? ID_COL - id_cols : 0);
    fputs("  ", out);

    size_t used = 2 + VERDICT_COL + 1 + (id_cols > ID_COL ? id_cols : ID_COL) + 2;
    size_t suffix = c->enforce ? sizeof ADVISORY - 1 : 0;
    size_t budget = used + suffix < REPORT_TEXT_WIDTH ? REPORT_TEXT_WIDTH - used - suffix : 1;
    size_t tlen = strlen(title);
    if (text_cols(title, tlen) <= budget) {
        text_write(out, title, tlen);
    } else {
        size_t cut = text_fit(title, tlen, budget - 1, NULL);
        while (cut > 0 && title[cut - 1] == ' ')
            cut--;
        text_write(out, title, cut);
        fputs(ELLIPSIS, out);
    }
    if (c->enforce)
        fputs(ADVISORY, out);
    putc('\n', out);
}

/* "        at FILE:LINE:COL (PATH), POLICY:LINE", leaving out what is
 * unknown; nothing when nothing is known. */
static void write_location_line(FILE *out, const finding *f)
{
    int has_path = f->path && f->path[0];
    if (!f->file && !has_path && !f->policy_file)
        return;
    fputs("        at ", out);
    if (f->file) {
        text_put(out, f->file);
        if (f->line) {
            fprintf(out, ":%u", (unsigned)f->line);
            if (f->col)
                fprintf(out, ":%u", (unsigned)f->col);
        }
    }
    if (has_path) {
        fputs(f->file ? " (" : "(", out);
        text_put(out, f->path);
        putc(')', out);
    }
    if (f->policy_file) {
        if (f->file || has_path)
            fputs(", ", out);
        text_put(out, f->policy_file);
        if (f->policy_line)
            fprintf(out, ":%u", (unsigned)f->policy_line);
    }
    putc('\n', out);
}

/* "        because: EXPR = VALUE (at FILE:LINE:COL)", one line per item. */
static void write_because(FILE *out, const finding *f)
{
    for (uint32_t i = 0; i < f->nbecause; i++) {
        const because_item *it = &f->because[i];
        char buf[1024];
        because_item_text(it, buf, sizeof buf);
        fputs(i ? "                 " : "        because: ", out);
        text_put(out, buf);
        if (it->file) {
            fputs(" (at ", out);
            text_put(out, it->file);
            fprintf(out, ":%u:%u)", (unsigned)it->line, (unsigned)it->col);
        }
        putc('\n', out);
    }
}

static void write_finding(FILE *out, const finding *f)
{
    fputs(f->kind == FINDING_MISSING_EVIDENCE ? "      missing evidence" : f->waived_by ? "      waived violation"
                                                                                     : "      violation", out);
    if (f->subject) {
        fputs(" [", out);
        text_put(out, f->subject);
        putc(']', out);
    }
    fputs(": ", out);
    text_put(out, f->message);
    putc('\n', out);
    write_location_line(out, f);
    write_because(out, f);
    if (f->waived_by) {
        fputs("        waived by ", out);
        text_put(out, f->waived_by->id);
        fputs(" (", out);
        text_put(out, f->waived_by->approved_by);
        fputs(", until ", out);
        text_put(out, f->waived_by->expires);
        fputs("): ", out);
        text_put(out, f->waived_by->reason);
        putc('\n', out);
    }
}

/* Expired and unused waivers are said plainly: an expired one had no effect. */
static void write_waivers(FILE *out, const eval_result *r)
{
    for (uint32_t i = 0; i < r->nwaivers; i++) {
        const waiver *x = &r->waivers[i];
        if (x->status == WAIVER_ACTIVE)
            continue;
        fputs(x->status == WAIVER_EXPIRED ? "  waiver expired (no effect): " : "  waiver unused (matched nothing): ",
              out);
        text_put(out, x->id);
        fputs(" for ", out);
        text_put(out, x->control);
        fputs(" target ", out);
        text_put(out, x->target);
        fputs(x->status == WAIVER_EXPIRED ? ", expired " : ", expires ", out);
        text_put(out, x->expires);
        fprintf(out, " (%s:%u)\n", x->file ? x->file : "?", (unsigned)x->line);
    }
}

static void write_summary(FILE *out, const eval_result *r, int color)
{
    const eval_summary *s = &r->summary;
    fprintf(out, "%u control%s: %u pass, %u fail, %u unknown, %u not_applicable, "
            "%u waived, %u error \xE2\x80\x94 ",
            (unsigned)s->total, s->total == 1 ? "" : "s",
            (unsigned)s->counts[VERDICT_PASS], (unsigned)s->counts[VERDICT_FAIL],
            (unsigned)s->counts[VERDICT_UNKNOWN],
            (unsigned)s->counts[VERDICT_NOT_APPLICABLE],
            (unsigned)s->counts[VERDICT_WAIVED], (unsigned)s->counts[VERDICT_ERROR]);
    const char *gate = r->gate_failed ? "gate FAILED" : "gate passed";
    if (color)
        fprintf(out, "%s%s%s", r->gate_failed ? "\033[1;31m" : "\033[1;32m", gate, ANSI_RESET);
    else
        fputs(gate, out);
    fputs(" (fail-on ", out);
    text_put(out, r->fail_on ? r->fail_on : "mandatory");
    fputs(")\n", out);
}

/* 0, or -1 when a write failed (see report.h). */
int report_text(FILE *out, const eval_result *r, const bundle *b, int color)
{
    (void)b;  /* everything the text report shows is in the result */
    for (uint32_t i = 0; i < r->ncontrols; i++) {
        const control_result *c = &r->controls[i];
        write_control_line(out, c, color);
        if (c->verdict == VERDICT_ERROR) {
            fputs("      error: ", out);
            text_put(out, c->error ? c->error : "error without a message");
            putc('\n', out);
        }
        for (uint32_t k = 0; k < c->nfindings; k++)
            write_finding(out, &c->findings[k]);
    }
    putc('\n', out);
    int shown = 0;
    for (uint32_t i = 0; i < r->nwaivers; i++)
        shown += r->waivers[i].status != WAIVER_ACTIVE;
    if (shown) {
        write_waivers(out, r);
        putc('\n', out);
    }
    write_summary(out, r, color);
    if (fflush(out) != 0 || ferror(out))
        return -1;
    return 0;
}
