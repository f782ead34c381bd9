/* runtime/report.h - report writers: an eval_result rendered for a reader.
 *
 * Writers only read: the verdicts, the summary and the gate are the VM's
 * (runtime/vm.c); control metadata that the result does not carry (evidence,
 * mappings) comes from the bundle's bc_control at
 * control_result.bundle_control. A writer never opens files: it writes to
 * the FILE* it is given (the CLI passes one from runtime/outfile.h, which
 * makes the report appear atomically).
 *
 * Every writer returns 0, or -1 when writing failed (ferror on out after a
 * final flush) or the writer misused its JSON writer (a bug); the CLI turns
 * -1 into exit status 3. The JSON report's fields are a contract documented
 * in docs/report-json.md.
 */
#ifndef AIP_RUNTIME_REPORT_H
#define AIP_RUNTIME_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "runtime/bundle.h"
#include "runtime/json_out.h"
#include "runtime/result.h"

/* The JSON report (docs/report-json.md): deterministic, pretty-printed,
 * ending in a newline. b may be NULL (evidence and maps are then empty). */
int report_json(FILE *out, const eval_result *r, const bundle *b);
/* Its "waivers" member: {"file", "sha256", "entries": [...]} or null (the
 * SARIF report's run properties carry the same). */
void report_json_waivers(jw *w, const eval_result *r);
/* A "location" member: {"file", "line", "column"} of a fact, or null when
 * file is NULL (a computed value, or no fact to point at). Findings and
 * their because items use it, so both read the same way. */
void report_json_location(jw *w, const char *file, uint32_t line, uint32_t col);

/* The text report for a person at a terminal: one line per control, its
 * findings under it, a summary line. ANSI colour when color != 0. Text that
 * came from facts or policies has its control characters escaped (\xNN), so
 * an inventory cannot drive the terminal. b may be NULL. */
int report_text(FILE *out, const eval_result *r, const bundle *b, int color);

/* ---- every format behind one signature (runtime/report.c) ----------------- */

typedef struct report_opts {
    const char *base;    /* directory facts paths are shown relative to (SARIF
                            artifact URIs; "." or NULL: as given) */
    int color;           /* text: ANSI colour */
    size_t max_bytes;    /* markdown: truncate past this many bytes (0: 60000) */
} report_opts;

typedef int (*report_fn)(FILE *out, const eval_result *r, const bundle *b, const report_opts *o);

typedef struct report_format {
    const char *name;    /* as given to --format: "text", "json", "sarif", ... */
    report_fn write;
    const char *ext;     /* usual file extension, for messages */
} report_format;

/* text json sarif junit markdown html oscal, ending with {NULL}. */
extern const report_format report_formats[];
/* The format called name, or NULL. */
const report_format *report_format_find(const char *name);

/* SARIF 2.1.0 (runtime/report_sarif.c): one rule per control, one result per
 * finding, waived findings with suppressions. */
int report_sarif(FILE *out, const eval_result *r, const bundle *b, const report_opts *o);
/* JUnit XML (runtime/report_junit.c): a testsuite per CSF function, a
 * testcase per control. */
int report_junit(FILE *out, const eval_result *r, const bundle *b, const report_opts *o);
/* Markdown for a pull-request comment (runtime/report_markdown.c). */
int report_markdown(FILE *out, const eval_result *r, const bundle *b, const report_opts *o);
/* One self-contained HTML page for auditors (runtime/report_html.c). */
int report_html(FILE *out, const eval_result *r, const bundle *b, const report_opts *o);
/* OSCAL 1.1.3 assessment-results (runtime/report_oscal.c). */
int report_oscal(FILE *out, const eval_result *r, const bundle *b, const report_opts *o);

/* CSF 2.0 names the compiler records in the bundle (META "csf:PR" ->
 * "Protect", "csf:PR.AA" -> "Identity Management, ..."); NULL when absent. */
const char *report_csf_name(const bundle *b, const char *id, size_t id_len);

/* ---- helpers shared by writers (implemented in runtime/result.c) -------- */

/* Focus areas in bit order: bit 0 secure, bit 1 defend, bit 2 thwart. */
enum { REPORT_NFOCUS = 3 };
/* "secure", "defend", "thwart" for area 0..2; "invalid" otherwise. */
const char *report_focus_name(unsigned area);
/* "mandatory" (0) or "advisory" (anything else). */
const char *report_enforce_name(uint8_t enforce);
/* Length of the CSF function in a subcategory id ("PR" of "PR.AA-01"):
 * the first two bytes, or all of a shorter id. */
size_t report_id_function_len(const char *id);
/* Length of the category ("PR.AA" of "PR.AA-01"): up to the first '-', or
 * the whole id when it has none. */
size_t report_id_category_len(const char *id);
/* The bundle control block behind c, or NULL when b is NULL or the index is
 * out of range. */
const bc_control *report_bundle_control(const bundle *b, const control_result *c);
/* String i of the bundle and its length (it may hold NULs); NULL and 0 when
 * b is NULL or i is out of range. len may be NULL. */
const char *report_bundle_str(const bundle *b, uint32_t i, size_t *len);

#endif
