/* runtime/report.c - the report formats behind one signature, and the CSF
 * names the writers share. The writers themselves are runtime/report_*.c. */
#include "runtime/report.h"

#include <string.h>

static int write_json(FILE *out, const eval_result *r, const bundle *b, const report_opts *o)
{
    (void)o;
    return report_json(out, r, b);
}

static int write_text(FILE *out, const eval_result *r, const bundle *b, const report_opts *o)
{
    return report_text(out, r, b, o ? o->color : 0);
}

const report_format report_formats[] = {
    {"text", write_text, "txt"},
    {"json", write_json, "json"},
    {"sarif", report_sarif, "sarif"},
    {"junit", report_junit, "xml"},
    {"markdown", report_markdown, "md"},
    {"html", report_html, "html"},
    {"oscal", report_oscal, "json"},
    {NULL, NULL, NULL},
};

const report_format *report_format_find(const char *name)
{
    for (const report_format *f = report_formats; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

const char *report_csf_name(const bundle *b, const char *id, size_t id_len)
{
    if (!b || id_len > 32)
        return NULL;
    char key[40];
    memcpy(key, "csf:", 4);
    memcpy(key + 4, id, id_len);
    key[4 + id_len] = '\0';
    return bundle_meta(b, key);
}
