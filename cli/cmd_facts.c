/* cli/cmd_facts.c - `aip facts FILES... [--locations]`: the loaded and
 * merged facts as canonical JSON (keys sorted, two-space indent), the
 * loader's front door for debugging and for conformance runs. With
 * --locations every value becomes {"value": V, "at": "file:line:col"}.
 * Bad input is exit 2 with a located message, as for `aip eval`.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "runtime/facts.h"
#include "runtime/json_out.h"

/* Write n as JSON, iteratively (facts nest up to the loader's depth limit,
 * but the writer keeps no recursion anyway). */
typedef struct frame {
    const fnode *n;
    uint32_t next;      /* next child to write */
} frame;

static void scalar(jw *w, const fnode *n)
{
    switch (n->kind) {
    case FN_NULL: jw_null(w); break;
    case FN_BOOL: jw_bool(w, n->u.b); break;
    case FN_INT: jw_int(w, n->u.i); break;
    case FN_DOUBLE: jw_double(w, n->u.d); break;
    case FN_STR: jw_stringn(w, n->u.s, n->n); break;
    default: break;
    }
}

static void open_value(jw *w, const facts *f, const fnode *n, int loc)
{
    if (!loc)
        return;
    char at[1200];
    snprintf(at, sizeof at, "%s:%u:%u", facts_node_file(f, n) ? facts_node_file(f, n) : "",
             (unsigned)n->line, (unsigned)n->col);
    jw_object_begin(w);
    jw_member_string(w, "at", at);
    jw_key(w, "value");
}

static int write_facts(jw *w, const facts *f, const fnode *root, int loc)
{
    size_t cap = 64, sp = 0;
    frame *st = aip_xmalloc(sizeof *st * cap);
    open_value(w, f, root, loc);
    if (root->kind != FN_LIST && root->kind != FN_MAP) {
        scalar(w, root);
        if (loc)
            jw_object_end(w);
        free(st);
        return 0;
    }
    root->kind == FN_MAP ? jw_object_begin(w) : jw_array_begin(w);
    st[sp++] = (frame){root, 0};
    while (sp) {
        frame *fr = &st[sp - 1];
        const fnode *n = fr->n;
        if (fr->next == n->n) {
            n->kind == FN_MAP ? jw_object_end(w) : jw_array_end(w);
            if (loc)
                jw_object_end(w);
            sp--;
            continue;
        }
        const fnode *c;
        if (n->kind == FN_MAP) {
            jw_keyn(w, n->u.entries[fr->next].key, n->u.entries[fr->next].key_len);
            c = n->u.entries[fr->next].val;
        } else {
            c = n->u.items[fr->next];
        }
        fr->next++;
        open_value(w, f, c, loc);
        if (c->kind == FN_LIST || c->kind == FN_MAP) {
            c->kind == FN_MAP ? jw_object_begin(w) : jw_array_begin(w);
            if (sp == cap)
                st = aip_xrealloc(st, sizeof *st * (cap *= 2));
            st[sp++] = (frame){c, 0};
        } else {
            scalar(w, c);
            if (loc)
                jw_object_end(w);
        }
    }
    free(st);
    return 0;
}

int cmd_facts(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, "facts", argc, argv);
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0, k, loc = 0;
    const char *pos;
    facts *defaults = facts_new();
    facts_limits lim = *facts_limits_of(defaults);
    facts_free(defaults);
    while ((k = cli_next(&a, &pos)) >= 0) {
        int lo = k == 1 ? cli_limit_option("facts", a.opt, &a, &lim) : 0;
        if (lo < 0) {
            free(files);
            return EXIT_INPUT;
        }
        if (lo > 0)
            continue;
        if (k == 0) {
            files[nfiles++] = pos;
        } else if (!strcmp(a.opt, "--locations")) {
            loc = 1;
        } else {
            free(files);
            return cli_usage("facts", "unknown option %s", a.opt);
        }
    }
    if (!nfiles) {
        free(files);
        return cli_usage("facts", "missing the facts files");
    }
    facts *f = facts_new();
    *facts_limits_of(f) = lim;
    aip_error err;
    int rc = EXIT_PASS;
    for (int i = 0; i < nfiles && rc == EXIT_PASS; i++)
        if (facts_load_file(f, files[i], FACTS_AUTO, &err) != 0) {
            aip_error_print(&err, stderr);
            rc = EXIT_INPUT;
        }
    if (rc == EXIT_PASS) {
        jw w;
        jw_init(&w, stdout);
        write_facts(&w, f, facts_root(f), loc);
        if (jw_finish(&w) != 0) {
            fputs("aip: error: cannot write to standard output\n", stderr);
            rc = EXIT_INTERNAL;
        }
    }
    facts_free(f);
    free(files);
    return rc;
}
