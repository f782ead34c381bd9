/* compiler/coverage_out.c - the coverage report as text (for people) and JSON
 * (for tools), from the model of coverage.c.
 */
#include "compiler/coverage.h"

#include <string.h>

#include "runtime/json_out.h"

static const char *const functions[] = {"GV", "ID", "PR", "DE", "RS", "RC"};
enum { NFUNCTIONS = 6, TEXT_MAX = 60 };

/* A check's condition on one line: whitespace runs become one space, cut to
 * about TEXT_MAX bytes at a UTF-8 character boundary with "...". */
static void one_line(const char *s, char *buf, size_t len)
{
    size_t o = 0;
    int space = 0;
    for (; *s && o + 4 < len; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            space = o > 0;
            continue;
        }
        if (o >= TEXT_MAX && (ch & 0xC0) != 0x80) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (space)
            buf[o++] = ' ';
        space = 0;
        buf[o++] = (char)ch;
    }
    buf[o] = '\0';
}

static void marks(const cov_check *k, char out[6])
{
    out[0] = k->hits[VM_COV_TRUE] ? 'T' : '-';
    out[1] = ' ';
    out[2] = k->hits[VM_COV_FALSE] ? 'F' : '-';
    out[3] = ' ';
    out[4] = k->hits[VM_COV_UNDEF] ? 'U' : '-';
    out[5] = '\0';
}

/* "part/whole (p.p%)" into buf (48 bytes). */
static const char *ratio(uint32_t part, uint32_t whole, char *buf)
{
    uint32_t t = cov_tenths(part, whole);
    snprintf(buf, 48, "%u/%u (%u.%u%%)", part, whole, t / 10, t % 10);
    return buf;
}

static void control_text(const cov_control *cc, FILE *out)
{
    uint32_t seen = 0;
    for (uint32_t k = 0; k < cc->nchecks; k++)
        seen += cov_check_seen(&cc->checks[k]);
    char what[160], r[48];
    fprintf(out, "%-9s %-16s ", cc->id, cc->nchecks ? ratio(seen, 3 * cc->nchecks, r) : "no checks");
    if (!cc->tests) {
        snprintf(what, sizeof what, "no tests");
    } else {
        size_t o = (size_t)snprintf(what, sizeof what, "%u test%s, verdicts:", cc->tests, cc->tests == 1 ? "" : "s");
        for (int v = 0; v < VERDICT_COUNT && o < sizeof what; v++)
            if (cc->verdicts & (1u << v))
                o += (size_t)snprintf(what + o, sizeof what - o, " %s", verdict_name((verdict)v));
    }
    fprintf(out, "%s\n", what);
    for (uint32_t k = 0; k < cc->nchecks; k++) {
        const cov_check *c = &cc->checks[k];
        char m[6], text[TEXT_MAX + 8];
        marks(c, m);
        if (c->attest) {
            fprintf(out, "    %s  %s:%u  attest\n", m, c->file, c->line);
        } else {
            one_line(c->text, text, sizeof text);
            fprintf(out, "    %s  %s:%u:%u  require %s\n", m, c->file, c->line, c->col, text);
        }
    }
}

static void summary_row(FILE *out, const char *name, const cov_totals *t)
{
    char r1[48], r2[48];
    fprintf(out, "  %-8s %8u %6u %6u  %-18s %s\n", name, t->controls, t->tested, t->checks,
            ratio(t->seen, 3 * t->checks, r1), ratio(t->both, t->checks, r2));
}

int coverage_write_text(const coverage *cv, FILE *out)
{
    fprintf(out, "\nCoverage of %u test(s): the outcomes each check reached in the tests that expect its control\n"
                 "  require: T true, F false, U undefined; attest: T fresh, F stale, U missing; - never\n\n",
            cv->tests);
    for (int pass = 0; pass < 2; pass++)   /* controls without tests first */
        for (uint32_t i = 0; i < cv->ncontrols; i++)
            if ((cv->controls[i].tests > 0) == pass)
                control_text(&cv->controls[i], out);
    fprintf(out, "\nBy CSF function:\n  %-8s %8s %6s %6s  %-18s %s\n", "function", "controls", "tested", "checks",
            "outcomes", "true and false");
    cov_totals t;
    for (int f = 0; f < NFUNCTIONS; f++) {
        char prefix[4];
        snprintf(prefix, sizeof prefix, "%s.", functions[f]);
        coverage_totals(cv, prefix, &t);
        if (t.controls)
            summary_row(out, functions[f], &t);
    }
    coverage_totals(cv, NULL, &t);
    summary_row(out, "total", &t);
    uint32_t a = cov_tenths(t.seen, 3 * t.checks), b = cov_tenths(t.both, t.checks);
    fprintf(out, "\ncoverage: %u.%u%% of outcomes (%u of 3 x %u checks); %u.%u%% of checks seen both true and false\n",
            a / 10, a % 10, t.seen, t.checks, b / 10, b % 10);
    fflush(out);
    return ferror(out) ? -1 : 0;
}

/* A percentage with one decimal. Whole numbers go out as integers ("50",
 * not jw_double's shortest form "5e+01"); JSON has one number type. */
static void percent_json(jw *w, const char *key, uint32_t part, uint32_t whole)
{
    uint32_t t = cov_tenths(part, whole);
    jw_key(w, key);
    if (t % 10 == 0)
        jw_int(w, t / 10);
    else
        jw_double(w, t / 10.0);
}

static void totals_json(jw *w, const cov_totals *t)
{
    jw_member_int(w, "controls", t->controls);
    jw_member_int(w, "tested", t->tested);
    jw_member_int(w, "checks", t->checks);
    jw_member_int(w, "outcomes_seen", t->seen);
    jw_member_int(w, "outcomes_possible", 3 * (int64_t)t->checks);
    percent_json(w, "percent", t->seen, 3 * t->checks);
    jw_member_int(w, "true_and_false", t->both);
    percent_json(w, "true_and_false_percent", t->both, t->checks);
}

int coverage_write_json(const coverage *cv, FILE *out)
{
    jw w;
    jw_init(&w, out);
    jw_object_begin(&w);
    jw_member_string(&w, "format", "aip-coverage/1");
    jw_member_int(&w, "tests", cv->tests);
    cov_totals t;
    coverage_totals(cv, NULL, &t);
    jw_key(&w, "total");
    jw_object_begin(&w);
    totals_json(&w, &t);
    jw_object_end(&w);
    jw_key(&w, "functions");
    jw_array_begin(&w);
    for (int f = 0; f < NFUNCTIONS; f++) {
        char prefix[4];
        snprintf(prefix, sizeof prefix, "%s.", functions[f]);
        coverage_totals(cv, prefix, &t);
        if (!t.controls)
            continue;
        jw_object_begin(&w);
        jw_member_string(&w, "function", functions[f]);
        totals_json(&w, &t);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_key(&w, "controls");
    jw_array_begin(&w);
    for (uint32_t i = 0; i < cv->ncontrols; i++) {
        const cov_control *cc = &cv->controls[i];
        jw_object_begin(&w);
        jw_member_string(&w, "id", cc->id);
        jw_member_string(&w, "file", cc->file);
        jw_member_int(&w, "line", cc->line);
        jw_member_int(&w, "tests", cc->tests);
        jw_key(&w, "verdicts");
        jw_array_begin(&w);
        for (int v = 0; v < VERDICT_COUNT; v++)
            if (cc->verdicts & (1u << v))
                jw_string(&w, verdict_name((verdict)v));
        jw_array_end(&w);
        uint32_t seen = 0;
        jw_key(&w, "checks");
        jw_array_begin(&w);
        for (uint32_t k = 0; k < cc->nchecks; k++) {
            const cov_check *c = &cc->checks[k];
            seen += cov_check_seen(c);
            jw_object_begin(&w);
            jw_member_string(&w, "kind", c->attest ? "attest" : "require");
            jw_member_string(&w, "file", c->file);
            jw_member_int(&w, "line", c->line);
            jw_member_int(&w, "col", c->col);
            jw_member_string(&w, "text", c->text);
            jw_member_int(&w, "true", c->hits[VM_COV_TRUE]);
            jw_member_int(&w, "false", c->hits[VM_COV_FALSE]);
            jw_member_int(&w, "undefined", c->hits[VM_COV_UNDEF]);
            jw_object_end(&w);
        }
        jw_array_end(&w);
        jw_member_int(&w, "outcomes_seen", seen);
        jw_member_int(&w, "outcomes_possible", 3 * (int64_t)cc->nchecks);
        percent_json(&w, "percent", seen, 3 * cc->nchecks);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_object_end(&w);
    return jw_finish(&w);
}
