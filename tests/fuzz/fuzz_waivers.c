/* tests/fuzz/fuzz_waivers.c - bytes as a `--waivers` file: written to a
 * temporary .yaml file (waivers_load takes a path), loaded, applied to the
 * result of the shipped ir8596 pack on the gaps example (many violations to
 * match), and rendered in every report format (waiver strings reach every
 * writer's escaping). */
#define _DEFAULT_SOURCE 1 /* mkstemps */
#include <unistd.h>

#include "fuzz_common.h"
#include "runtime/report.h"
#include "runtime/waivers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tmp_path[] = "/tmp/aip-fuzz-waivers-XXXXXX.yaml";
static int tmp_fd = -1;

static void cleanup(void)
{
    if (tmp_fd >= 0)
        unlink(tmp_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bundle *pack;
    static facts *f;
    static FILE *devnull;
    if (!pack) {
        pack = fz_compile("ir8596", NULL, AIP_SRCDIR "/policies/ir8596");
        f = facts_new();
        aip_error err;
        if (facts_load_file(f, AIP_SRCDIR "/examples/sme/gaps.yaml", FACTS_YAML, &err) != 0)
            fz_die("gaps.yaml", &err);
        tmp_fd = mkstemps(tmp_path, 5);
        if (tmp_fd < 0)
            fz_die("mkstemps", NULL);
        atexit(cleanup);
        devnull = fopen("/dev/null", "w");
    }
    if (ftruncate(tmp_fd, 0) != 0 || pwrite(tmp_fd, data, size, 0) != (ssize_t)size)
        fz_die("write the waivers file", NULL);

    facts *store = NULL;
    arena mem;
    arena_init(&mem);
    waiver *w = NULL;
    uint32_t n = 0;
    const char *sha = NULL;
    aip_error err;
    err.msg[0] = '\0';
    if (waivers_load(tmp_path, &store, &mem, &w, &n, &sha, &err) == 0) {
        eval_result *r = fz_eval(pack, f, NULL, 1);
        r->waivers_file = tmp_path;
        r->waivers_sha256 = sha;
        vm_options o;
        fz_options(&o);
        waivers_apply(r, w, n, o.today, o.fail_on);
        report_opts ro = {0};
        for (const report_format *rf = report_formats; rf->name; rf++)
            rf->write(devnull, r, pack, &ro);
        eval_result_free(r);
    } else if (err.msg[0] == '\0') {
        fz_die("waivers rejected without a message", NULL);
    }
    arena_free(&mem);
    facts_free(store);
    return 0;
}
