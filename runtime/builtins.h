/* runtime/builtins.h - native functions callable from policies.
 *
 * The stdlib prelude (stdlib/prelude.aip) declares each one; the compiler
 * records the names a bundle uses in its NATV section and the runtime binds
 * them here by name when it loads the bundle, checking arity.
 *
 * Contract of a builtin: it reads argc arguments, writes *out and returns 0;
 * an undefined argument gives an undefined result (carrying the argument's
 * undef_info) unless the builtin says otherwise; a bad argument type gives
 * undefined with a reason. It returns -1 with env->err filled only for a
 * runtime error that makes the control's verdict `error` (a regular
 * expression that does not compile, a match budget exceeded, out of memory).
 */
#ifndef AIP_RUNTIME_BUILTINS_H
#define AIP_RUNTIME_BUILTINS_H

#include <stdint.h>

#include "runtime/value.h"

typedef struct builtin_env {
    arena *mem;              /* evaluation arena for results */
    int64_t today;           /* evaluation date: days since 1970-01-01 */
    void *regex_cache;       /* owned by the VM; opaque to callers (see builtins.c) */
    void *index_cache;       /* find_all's indexes of fact lists; same ownership */
    char err[512];           /* message on -1, without the builtin's name (the VM adds "name(): ") */
} builtin_env;

typedef int (*builtin_fn)(builtin_env *env, const val *args, int argc, val *out);

typedef struct builtin_def {
    const char *name;
    int min_args, max_args;
    builtin_fn fn;
    const char *doc;         /* one line for `aip help builtins` and SPEC.md */
} builtin_def;

/* The table, ending with a {NULL} entry. */
extern const builtin_def aip_builtins[];
/* Index of name in aip_builtins, or -1. */
int builtin_lookup(const char *name);
/* Free what env->regex_cache and env->index_cache hold. */
void builtin_env_release(builtin_env *env);

/* Calendar helpers shared with the VM and params: parse "YYYY-MM-DD" or an
 * RFC 3339 timestamp to days since 1970-01-01 (UTC date); -1 on a bad date. */
int date_parse_days(const char *s, size_t len, int64_t *days);
/* Days since epoch to "YYYY-MM-DD" (buf of at least 11 bytes). */
void date_format_days(int64_t days, char *buf);

#endif
