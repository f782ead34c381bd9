/* compiler/ir8596.c - the embedded IR 8596 table (see ir8596.h). */
#include "compiler/ir8596.h"

#include <stdlib.h>
#include <string.h>

#include "compiler/stdlib.h"
#include "runtime/arena.h"

struct ir8596_data {
    arena mem;
    ir8596_row *rows;
    uint32_t n;
};

/* Split line (NUL-terminated, modified in place) at tabs into at most max fields. */
static int split_tabs(char *line, char **fields, int max)
{
    int n = 0;
    fields[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            fields[n++] = p + 1;
        }
    return n;
}

/* Undo the generator's escapes (\\n, \\\\) in place. */
static void unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p == '\\' && p[1] == 'n') {
            *o++ = '\n';
            p++;
        } else if (*p == '\\' && p[1] == '\\') {
            *o++ = '\\';
            p++;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
}

ir8596_data *ir8596_load(aip_error *err)
{
    const aip_embedded_file *f = stdlib_find("ir8596.tsv");
    if (!f) {
        aip_fail(err, "<stdlib>/ir8596.tsv", 0, 0, "the IR 8596 table is not compiled in");
        return NULL;
    }
    ir8596_data *d = aip_xcalloc(1, sizeof *d);
    arena_init(&d->mem);
    char *text = arena_strndup(&d->mem, f->data, f->len);
    uint32_t cap = 128, lineno = 0;
    d->rows = aip_xcalloc(cap, sizeof *d->rows);
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        if (line[0] != '#' && line[0]) {
            char *fl[8];
            if (split_tabs(line, fl, 8) != 8 || strlen(fl[1]) != 1 || strlen(fl[2]) != 1 || strlen(fl[3]) != 1) {
                aip_fail(err, "<stdlib>/ir8596.tsv", lineno, 1, "malformed row");
                ir8596_free(d);
                return NULL;
            }
            if (d->n == cap)
                d->rows = aip_xrealloc(d->rows, sizeof *d->rows * (cap *= 2));
            ir8596_row *r = &d->rows[d->n++];
            r->id = fl[0];
            for (int k = 0; k < 3; k++)
                r->priority[k] = (uint8_t)(fl[1 + k][0] - '0');
            r->ai_specific = strcmp(fl[4], "-") ? fl[4] : "";
            r->sp800_53 = fl[5];
            r->iso27001 = fl[6];
            unescape(fl[7]);
            r->help = fl[7];
        }
        line = nl ? nl + 1 : NULL;
    }
    return d;
}

void ir8596_free(ir8596_data *d)
{
    if (!d)
        return;
    free(d->rows);
    arena_free(&d->mem);
    free(d);
}

const ir8596_row *ir8596_find(const ir8596_data *d, const char *id)
{
    for (uint32_t i = 0; i < d->n; i++)
        if (strcmp(d->rows[i].id, id) == 0)
            return &d->rows[i];
    return NULL;
}

uint32_t ir8596_count(const ir8596_data *d)
{
    return d->n;
}

const ir8596_row *ir8596_at(const ir8596_data *d, uint32_t i)
{
    return i < d->n ? &d->rows[i] : NULL;
}
