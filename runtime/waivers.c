/* runtime/waivers.c - loading waivers and applying them to a result (see
 * waivers.h). The file goes through the facts loader, so it gets the same
 * strict YAML/JSON parsing and located errors as inventory facts. */
#include "runtime/waivers.h"

#include <string.h>

#include "runtime/builtins.h"

static const char *const known_keys[] = {"id", "control", "target", "reason", "approved_by", "expires", NULL};

/* The string at key of entry e, or NULL after filling err (missing or not a string). */
static const char *need_str(const facts *f, const fnode *e, const char *key, aip_error *err)
{
    const fnode *v = fnode_get(e, key, strlen(key));
    const char *file = facts_node_file(f, e);
    if (!v) {
        aip_fail(err, file, e->line, e->col, "waiver has no `%s` (a waiver needs control, target, reason, "
                 "approved_by and expires)", key);
        return NULL;
    }
    if (v->kind != FN_STR || v->n == 0) {
        aip_fail(err, file, v->line, v->col, "waiver `%s` must be a non-empty string", key);
        return NULL;
    }
    return v->u.s;
}

static int is_control_id(const char *s)
{
    /* XX.YY-NN */
    if (strlen(s) != 8)
        return 0;
    for (int i = 0; i < 8; i++) {
        char c = s[i];
        int ok = (i == 2) ? c == '.' : (i == 5) ? c == '-' : (i < 5) ? (c >= 'A' && c <= 'Z') : (c >= '0' && c <= '9');
        if (!ok)
            return 0;
    }
    return 1;
}

int waivers_load(const char *path, facts **store, arena *mem, waiver **out, uint32_t *n,
                 const char **sha256, aip_error *err)
{
    *store = facts_new();
    *out = NULL;
    *n = 0;
    facts_limits_of(*store)->any_root = 1;
    if (facts_load_file(*store, path, FACTS_AUTO, err) != 0)
        return -1;
    const facts *f = *store;
    const fnode *root = facts_root(f);
    const char *file = facts_file_name(f, 0);
    *sha256 = facts_file_sha256(f, 0);
    const fnode *list = root;
    if (root->kind == FN_MAP) {
        list = fnode_get(root, "waivers", 7);
        if (!list || root->n != 1)
            return aip_fail(err, file, root->line, root->col,
                            "a waivers file is a list of waivers, or a map whose only key is `waivers`");
    }
    if (list->kind != FN_LIST)
        return aip_fail(err, file, list->line, list->col, "waivers must be a list");
    waiver *w = arena_zalloc(mem, sizeof *w * (list->n ? list->n : 1));
    if (!w)
        return aip_fail(err, file, 0, 0, "out of memory");
    for (uint32_t i = 0; i < list->n; i++) {
        const fnode *e = list->u.items[i];
        if (e->kind != FN_MAP)
            return aip_fail(err, file, e->line, e->col, "a waiver must be a map of control, target, reason, "
                            "approved_by, expires");
        for (uint32_t k = 0; k < e->n; k++) {
            const char *key = e->u.entries[k].key;
            int known = strncmp(key, "x-", 2) == 0;
            for (int q = 0; known_keys[q] && !known; q++)
                known = strcmp(key, known_keys[q]) == 0;
            if (!known)
                return aip_fail(err, file, e->u.entries[k].val->line, e->u.entries[k].val->col,
                                "unknown waiver key `%s` (expected id, control, target, reason, approved_by, "
                                "expires, or an x- key)", key);
        }
        waiver *x = &w[i];
        if (!(x->control = need_str(f, e, "control", err)) || !(x->target = need_str(f, e, "target", err)) ||
            !(x->reason = need_str(f, e, "reason", err)) || !(x->approved_by = need_str(f, e, "approved_by", err)) ||
            !(x->expires = need_str(f, e, "expires", err)))
            return -1;
        const fnode *cv = fnode_get(e, "control", 7), *ev = fnode_get(e, "expires", 7);
        if (!is_control_id(x->control))
            return aip_fail(err, file, cv->line, cv->col, "waiver control \"%s\" is not a CSF 2.0 subcategory id "
                            "such as PR.AA-01", x->control);
        int64_t day;
        if (strlen(x->expires) != 10 || date_parse_days(x->expires, 10, &day) != 0)
            return aip_fail(err, file, ev->line, ev->col, "waiver expires \"%s\" is not a date (YYYY-MM-DD)",
                            x->expires);
        const fnode *idv = fnode_get(e, "id", 2);
        if (idv && (idv->kind != FN_STR || idv->n == 0))
            return aip_fail(err, file, idv->line, idv->col, "waiver `id` must be a non-empty string");
        x->id = idv ? idv->u.s : arena_printf(mem, "waivers[%u]", i);
        x->file = file;
        x->line = e->line;
        x->col = e->col;
    }
    *out = w;
    *n = list->n;
    return 0;
}

/* Does path match pattern, where * matches any run of characters and ? any
 * one character, and everything else (brackets included: paths are full of
 * them) matches itself? Iterative, with one backtrack point. */
static int glob_match(const char *pat, const char *s)
{
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*pat == '*') {
            star = pat++;
            resume = s;
        } else if (*pat == '?' || *pat == *s) {
            pat++;
            s++;
        } else if (star) {
            pat = star + 1;
            s = ++resume;
        } else {
            return 0;
        }
    }
    while (*pat == '*')
        pat++;
    return *pat == '\0';
}

/* Does waiver x cover finding fd of control id? */
static int covers(const waiver *x, const char *id, const finding *fd)
{
    if (fd->kind != FINDING_VIOLATION || strcmp(x->control, id) != 0)
        return 0;
    if (fd->subject && strcmp(fd->subject, x->target) == 0)
        return 1;
    return fd->path && glob_match(x->target, fd->path);
}

void waivers_apply(eval_result *r, waiver *w, uint32_t n, int64_t today, fail_on fo)
{
    for (uint32_t i = 0; i < n; i++) {
        int64_t exp = 0;
        date_parse_days(w[i].expires, strlen(w[i].expires), &exp);
        w[i].status = exp < today ? WAIVER_EXPIRED : WAIVER_UNUSED;
        w[i].matched = 0;
    }
    for (uint32_t c = 0; c < r->ncontrols; c++) {
        control_result *cr = &r->controls[c];
        uint32_t violations = 0, waived = 0, missing = 0;
        for (uint32_t k = 0; k < cr->nfindings; k++) {
            finding *fd = &cr->findings[k];
            fd->waived_by = NULL;
            if (fd->kind == FINDING_MISSING_EVIDENCE) {
                missing++;
                continue;
            }
            violations++;
            for (uint32_t i = 0; i < n && !fd->waived_by; i++)
                if (w[i].status != WAIVER_EXPIRED && covers(&w[i], cr->id, fd)) {
                    fd->waived_by = &w[i];
                    w[i].status = WAIVER_ACTIVE;
                    w[i].matched++;
                }
            waived += fd->waived_by != NULL;
        }
        if (cr->verdict == VERDICT_FAIL && violations && waived == violations)
            cr->verdict = missing ? VERDICT_UNKNOWN : VERDICT_WAIVED;
    }
    r->waivers = w;
    r->nwaivers = n;
    eval_summarize(r, fo);
}
