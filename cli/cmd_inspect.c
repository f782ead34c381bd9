/* cli/cmd_inspect.c - `aip inspect BUNDLE|SOURCES [--format text|json]`: what
 * a bundle holds, for a reviewer: its hash and provenance, the controls with
 * their metadata and how each is decided (requirements, attestation), the
 * manifest rules, profiles, and params with their types and defaults. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "runtime/json_out.h"
#include "runtime/report.h"

static int uses_op(const bundle *b, const bc_control *c, bc_op op)
{
    const bc_func *f = &b->funcs.v[c->func];
    for (uint32_t pc = f->start; pc < f->start + f->len; pc += bc_op_len((bc_op)BC_OP(b->code.v[pc])))
        if (BC_OP(b->code.v[pc]) == op)
            return 1;
    return 0;
}

static const char *decided_by(const bundle *b, const bc_control *c)
{
    int req = uses_op(b, c, OP_REQUIRE), att = uses_op(b, c, OP_ATTEST);
    return req && att ? "requirements and attestation" : req ? "requirements" : att ? "attestation" : "nothing";
}

/* A constant as JSON (scalars, lists and maps of them). */
static void const_json(jw *w, const bundle *b, uint32_t k)
{
    const bc_const *c = &b->consts.v[k];
    switch (c->tag) {
    case BC_K_NULL: jw_null(w); break;
    case BC_K_FALSE: jw_bool(w, 0); break;
    case BC_K_TRUE: jw_bool(w, 1); break;
    case BC_K_INT: jw_int(w, c->u.i); break;
    case BC_K_DOUBLE: jw_double(w, c->u.d); break;
    case BC_K_DURATION: {
        char buf[32];
        snprintf(buf, sizeof buf, "%llds", (long long)c->u.i);
        jw_string(w, buf);
        break;
    }
    case BC_K_STR: jw_stringn(w, b->strs.v[c->u.str], b->str_lens.v[c->u.str]); break;
    case BC_K_LIST:
        jw_array_begin(w);
        for (uint32_t i = 0; i < c->u.agg.n; i++)
            const_json(w, b, b->agg_refs.v[c->u.agg.first + i]);
        jw_array_end(w);
        break;
    case BC_K_MAP:
        jw_object_begin(w);
        for (uint32_t i = 0; i < c->u.agg.n; i++) {
            uint32_t key = b->agg_refs.v[c->u.agg.first + 2 * i];
            jw_keyn(w, b->strs.v[key], b->str_lens.v[key]);
            const_json(w, b, b->agg_refs.v[c->u.agg.first + 2 * i + 1]);
        }
        jw_object_end(w);
        break;
    default: jw_null(w);
    }
}

static int inspect_json(const bundle *b)
{
    jw w;
    jw_init(&w, stdout);
    jw_object_begin(&w);
    jw_member_string(&w, "sha256", b->sha256_hex);
    jw_key(&w, "meta");
    jw_array_begin(&w);
    for (uint32_t i = 0; i < b->meta.n; i++) {
        jw_object_begin(&w);
        jw_member_string(&w, "key", b->strs.v[b->meta.v[i].key]);
        jw_member_string(&w, "value", b->strs.v[b->meta.v[i].value]);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_key(&w, "controls");
    jw_array_begin(&w);
    for (uint32_t i = 0; i < b->controls.n; i++) {
        const bc_control *c = &b->controls.v[i];
        jw_object_begin(&w);
        jw_member_string(&w, "id", b->strs.v[c->id]);
        jw_member_string(&w, "kind", c->kind == BC_CTRL_RULE ? "rule" : "control");
        jw_member_string(&w, "title", b->strs.v[c->title]);
        jw_member_string(&w, "decided_by", decided_by(b, c));
        jw_member_string(&w, "enforce", report_enforce_name(c->enforce));
        jw_key(&w, "focus");
        jw_array_begin(&w);
        for (unsigned f = 0; f < REPORT_NFOCUS; f++)
            if (c->focus & (1u << f))
                jw_string(&w, report_focus_name(f));
        jw_array_end(&w);
        jw_key(&w, "priority");
        jw_object_begin(&w);
        for (unsigned f = 0; f < REPORT_NFOCUS; f++)
            if (c->priority[f])
                jw_member_int(&w, report_focus_name(f), c->priority[f]);
        jw_object_end(&w);
        jw_key(&w, "maps");
        jw_array_begin(&w);
        for (uint32_t k = 0; k < c->nmaps; k++) {
            jw_object_begin(&w);
            jw_member_string(&w, "framework", b->strs.v[b->maps.v[c->maps + k].framework]);
            jw_member_string(&w, "ref", b->strs.v[b->maps.v[c->maps + k].ref]);
            jw_object_end(&w);
        }
        jw_array_end(&w);
        jw_member_string(&w, "file", b->strs.v[c->file]);
        jw_member_int(&w, "line", c->line);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_key(&w, "profiles");
    jw_array_begin(&w);
    for (uint32_t i = 0; i < b->profiles.n; i++) {
        const bc_profile *p = &b->profiles.v[i];
        jw_object_begin(&w);
        jw_member_string(&w, "name", b->strs.v[p->name]);
        jw_member_string(&w, "title", b->strs.v[p->title]);
        jw_key(&w, "controls");
        jw_array_begin(&w);
        for (uint32_t k = 0; k < p->n; k++)
            jw_string(&w, b->strs.v[b->profile_refs.v[p->first + k]]);
        jw_array_end(&w);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_key(&w, "params");
    jw_array_begin(&w);
    for (uint32_t i = 0; i < b->params.n; i++) {
        const bc_param *p = &b->params.v[i];
        jw_object_begin(&w);
        jw_member_string(&w, "name", b->strs.v[p->name]);
        jw_member_string(&w, "package", b->strs.v[p->package]);
        jw_member_string(&w, "type", val_kind_name((val_kind)p->kind));
        jw_key(&w, "default");
        const_json(&w, b, p->def);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_object_end(&w);
    return jw_finish(&w);
}

static void inspect_text(const bundle *b)
{
    printf("bundle sha256:%s\n", b->sha256_hex);
    uint32_t controls = 0, rules = 0, req = 0, att = 0;
    for (uint32_t i = 0; i < b->controls.n; i++) {
        const bc_control *c = &b->controls.v[i];
        if (c->kind == BC_CTRL_RULE) {
            rules++;
            continue;
        }
        controls++;
        req += uses_op(b, c, OP_REQUIRE);
        att += uses_op(b, c, OP_ATTEST);
    }
    printf("%u control blocks (%u with requirements, %u with an attestation), %u manifest rules\n\n",
           controls, req, att, rules);
    for (uint32_t i = 0; i < b->controls.n; i++) {
        const bc_control *c = &b->controls.v[i];
        printf("  %-9s %-9s %-28s %s\n", c->kind == BC_CTRL_RULE ? "rule" : b->strs.v[c->id],
               c->kind == BC_CTRL_RULE ? "" : report_enforce_name(c->enforce), decided_by(b, c),
               c->kind == BC_CTRL_RULE ? b->strs.v[c->id] : b->strs.v[c->file]);
    }
    if (b->profiles.n)
        fputs("\nprofiles:\n", stdout);
    for (uint32_t i = 0; i < b->profiles.n; i++)
        printf("  %-16s %3u controls  %s\n", b->strs.v[b->profiles.v[i].name], b->profiles.v[i].n,
               b->strs.v[b->profiles.v[i].title]);
    if (b->params.n)
        fputs("\nparams:\n", stdout);
    for (uint32_t i = 0; i < b->params.n; i++) {
        const bc_param *p = &b->params.v[i];
        val v = b->kvals[p->def];
        arena a;
        arena_init(&a);
        uint32_t len;
        const char *shown = val_to_display(&a, v, &len);
        printf("  %-32s %-8s = %.*s\n", b->strs.v[p->name], val_kind_name((val_kind)p->kind), (int)len,
               shown ? shown : "?");
        arena_free(&a);
    }
}

int cmd_inspect(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, "inspect", argc, argv);
    const char **srcs = calloc((size_t)argc + 1, sizeof *srcs);
    int nsrc = 0, k, json = 0;
    const char *pos;
    while ((k = cli_next(&a, &pos)) >= 0) {
        if (k == 0) {
            srcs[nsrc++] = pos;
        } else if (!strcmp(a.opt, "--format")) {
            const char *v = cli_value(&a);
            if (!v || (strcmp(v, "json") != 0 && strcmp(v, "text") != 0)) {
                free(srcs);
                return v ? cli_usage("inspect", "--format takes text or json") : EXIT_INPUT;
            }
            json = !strcmp(v, "json");
        } else {
            free(srcs);
            return cli_usage("inspect", "unknown option %s", a.opt);
        }
    }
    if (!nsrc) {
        free(srcs);
        return cli_usage("inspect", "missing the bundle or policy sources");
    }
    bundle *b = cli_load_policy(srcs, nsrc);
    free(srcs);
    if (!b)
        return EXIT_INPUT;
    int rc = EXIT_PASS;
    if (json)
        rc = inspect_json(b) == 0 ? EXIT_PASS : EXIT_INTERNAL;
    else
        inspect_text(b);
    bundle_free(b);
    return rc;
}
