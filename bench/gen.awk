# bench/gen.awk - deterministic inventory generator for the benchmark (issue 7).
#
#   awk -v shape=flat   -v n=100000 -v format=json -f bench/gen.awk > inv.json
#   awk -v shape=native -v n=10000  -v format=json -f bench/gen.awk > sme.json
#
# shape=flat    the 8-check inventory: {"systems": [...]}, one system per line
#               in JSON (block style in YAML); evaluated by bench/checks.aip and
#               bench/checks.jq (not the native format: run with --no-validate).
# shape=native  an ai-inventory/v1alpha1 manifest modelled on
#               examples/sme/compliant.yaml: providers, models, credentials,
#               endpoints, logging, monitoring, incident_response, rollback,
#               reviews, referenced by id from ai_systems; a mix of passing and
#               failing systems, for `--profile sme-baseline` of policies/ir8596.
#               With -v clean=1: the same inventory (same random draws) with
#               every flaw turned off, every system in production: every
#               control of the profile passes (ID.AM-07 is not applicable).
# format=json|yaml
#
# Deterministic: a Park-Miller LCG with a fixed seed (every product stays below
# 2^53, so mawk, gawk and busybox awk give the same bytes). Dates are relative
# to NOW (2026-11-27, the date the benchmark evaluates on). POSIX awk only.

BEGIN {
    if (shape == "") shape = "flat"
    if (format == "") format = "json"
    if (n == "") n = 1000
    n += 0
    seed = 20261127
    NOW = days_from_civil(2026, 11, 27)
    if (shape == "flat") flat()
    else if (shape == "native") native()
    else { print "gen.awk: shape must be flat or native" > "/dev/stderr"; exit 2 }
    exit 0
}

# ---- deterministic randomness ----------------------------------------------
function rnd() { seed = (seed * 16807) % 2147483647; return seed }
function r(k) { return rnd() % k }                       # 0..k-1
function pct(p) { return (rnd() % 100) < p }             # true p% of the time
function pick(list,   a, c) { c = split(list, a, " "); return a[r(c) + 1] }
# clean=1 (shape=native): the same random draws, every flaw turned off
function flaw(x) { return clean ? 0 : x }
function keep(x) { return clean ? 1 : x }

# ---- dates (Howard Hinnant's civil algorithms, integer arithmetic) ---------
function fdiv(a, b) { return (a >= 0) ? int(a / b) : -int((-a + b - 1) / b) }
function days_from_civil(y, m, d,   era, yoe, doy, doe) {
    if (m <= 2) y -= 1
    era = fdiv(y, 400)
    yoe = y - era * 400
    doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
    doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
    return era * 146097 + doe - 719468
}
function date(days,   z, era, doe, yoe, y, doy, mp, d, m) {
    z = days + 719468
    era = fdiv(z, 146097)
    doe = z - era * 146097
    yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
    y = yoe + era * 400
    doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
    mp = int((5 * doy + 2) / 153)
    d = doy - int((153 * mp + 2) / 5) + 1
    m = mp < 10 ? mp + 3 : mp - 9
    if (m <= 2) y += 1
    return sprintf("%04d-%02d-%02d", y, m, d)
}
function ago(k) { return date(NOW - k) }

# ---- the flat 8-check inventory --------------------------------------------
# Per system: owner (2% absent, 1% empty), lifecycle (60% production), auth,
# 1-3 credentials (shared 3%, rotated 0-119 days ago), logging, rollback
# (tested 0-239 days ago), 1-3 models (pinned 92%, 1 provider in 10 not
# approved), 0-2 endpoints (public or not, with or without auth).
function flat(   i, j, k, nc, nm, ne, id, own, life, auth, s, enabled, ret, rb, first) {
    if (format == "json") printf "{\"systems\": [\n"
    else printf "systems:\n"
    for (i = 1; i <= n; i++) {
        id = sprintf("sys-%06d", i)
        own = pct(3) ? (pct(67) ? "-" : "") : sprintf("team-%02d", r(40))
        life = pick("production production production production production production pilot development development retired")
        auth = pick("oidc oidc oidc oidc oidc mtls mtls mtls api-key none")
        enabled = pct(96) ? "true" : "false"
        ret = pick("30 90 365 365 400 400 730 730 1095 3650")
        rb = ago(r(240))
        if (format == "json") {
            s = "{\"id\": \"" id "\", \"name\": \"AI system " i "\""
            if (own != "-") s = s ", \"owner\": \"" own "\""
            s = s ", \"lifecycle\": \"" life "\", \"auth\": \"" auth "\", \"credentials\": ["
            nc = 1 + r(3)
            for (j = 1; j <= nc; j++)
                s = s (j > 1 ? ", " : "") "{\"id\": \"" id "-c" j "\", \"shared\": " (pct(3) ? "true" : "false") ", \"last_rotated\": \"" ago(r(120)) "\"}"
            s = s "], \"logging\": {\"enabled\": " enabled ", \"retention_days\": " ret "}"
            s = s ", \"rollback\": {\"last_tested\": \"" rb "\"}, \"models\": ["
            nm = 1 + r(3)
            for (j = 1; j <= nm; j++)
                s = s (j > 1 ? ", " : "") "{\"name\": \"model-" r(50) "\", \"provider\": \"" pick("anthropic openai openai internal internal internal anthropic openai internal acme-ai") "\", \"pinned\": " (pct(92) ? "true" : "false") "}"
            s = s "], \"endpoints\": ["
            ne = r(3)
            for (j = 1; j <= ne; j++)
                s = s (j > 1 ? ", " : "") "{\"url\": \"https://" id ".example/" j "\", \"exposure\": \"" pick("public private internal") "\", \"auth\": \"" pick("oidc mtls api-key none none") "\"}"
            s = s "]}"
            printf "%s%s\n", s, (i < n ? "," : "")
        } else {
            printf "  - id: %s\n    name: AI system %d\n", id, i
            if (own != "-") printf "    owner: \"%s\"\n", own
            printf "    lifecycle: %s\n    auth: %s\n    credentials:\n", life, auth
            nc = 1 + r(3)
            for (j = 1; j <= nc; j++)
                printf "      - id: %s-c%d\n        shared: %s\n        last_rotated: \"%s\"\n", id, j, (pct(3) ? "true" : "false"), ago(r(120))
            printf "    logging:\n      enabled: %s\n      retention_days: %s\n", enabled, ret
            printf "    rollback:\n      last_tested: \"%s\"\n    models:\n", rb
            nm = 1 + r(3)
            for (j = 1; j <= nm; j++)
                printf "      - name: model-%d\n        provider: %s\n        pinned: %s\n", r(50), pick("anthropic openai openai internal internal internal anthropic openai internal acme-ai"), (pct(92) ? "true" : "false")
            ne = r(3)
            if (ne == 0) printf "    endpoints: []\n"
            else printf "    endpoints:\n"
            for (j = 1; j <= ne; j++)
                printf "      - url: https://%s.example/%d\n        exposure: %s\n        auth: %s\n", id, j, pick("public private internal"), pick("oidc mtls api-key none none")
        }
    }
    if (format == "json") printf "]}\n"
}

# ---- the native manifest (ai-inventory/v1alpha1) ---------------------------
# Emitted as JSON objects or YAML flow mappings, one entry per line, through
# the same helpers: kv() pairs joined into an entry by entry().
function q(s) { return "\"" s "\"" }
function kv(k, v) { return (format == "json" ? q(k) : k) ": " v }
function obj(body) { return "{" body "}" }
function arr(body) { return "[" body "]" }
# list(name): open a top-level list; item(x): one entry; endlist(): close it.
function list(name) {
    if (format == "json") printf "%s\n  %s: [\n", (nlists++ ? "," : ""), q(name)
    else printf "%s:\n", name
    nitems = 0
}
function item(x) {
    if (format == "json") printf "%s    %s", (nitems++ ? ",\n" : ""), x
    else printf "  - %s\n", x
}
function endlist() { if (format == "json") printf "\n  ]" }
function ids(prefix, k, count,   s, j, b) {   # k distinct ids prefix-NNNNNN out of count
    s = ""
    b = r(count)
    for (j = 0; j < k; j++) s = s (j ? ", " : "") q(sprintf("%s-%06d", prefix, (b + j) % count + 1))
    return arr(s)
}
function id(prefix, i) { return q(sprintf("%s-%06d", prefix, i)) }

function native(   i, j, np, nmod, ncred, nep, nlog, nmon, nir, nrb, nown, life, s, own, m, c, e, k, nrev) {
    nown = 50
    np = 20; nmod = int(n / 20) + 5; ncred = int(n / 4) + 5; nep = int(n / 10) + 5
    nlog = int(n / 100) + 2; nmon = int(n / 100) + 2; nir = int(n / 200) + 2; nrb = int(n / 50) + 2
    if (format == "json") printf "{\n"
    s = kv("apiVersion", q("ai-inventory/v1alpha1"))
    if (format == "json") { printf "  %s,\n  %s,\n", s, kv("kind", q("AIInventory")) } else printf "%s\n%s\n", s, kv("kind", q("AIInventory"))
    s = kv("metadata", obj(kv("name", q("bench-" n)) ", " kv("organization", q("Benchmark Corp")) ", " kv("generator", q("bench/gen.awk"))))
    if (format == "json") printf "  %s", s; else printf "%s\n", s
    nlists = 1

    list("owners")
    for (i = 1; i <= nown; i++)
        item(obj(kv("id", id("owner", i)) ", " kv("kind", q(i <= 10 ? "team" : "person")) ", " kv("name", q("Owner " i)) ", " kv("email", q("owner" i "@bench.example"))))
    endlist()

    list("environments")
    item(obj(kv("id", q("prod")) ", " kv("name", q("Production")) ", " kv("tier", q("prod")) ", " kv("owner", id("owner", 1)) ", " kv("isolation", obj(kv("network", q("private")) ", " kv("separate_from_nonprod", "true") ", " kv("egress", q("allowlist")) ", " kv("data_classification_max", q("confidential")) ", " kv("production_data_allowed", "true")))))
    item(obj(kv("id", q("dev")) ", " kv("name", q("Development")) ", " kv("tier", q("dev")) ", " kv("owner", id("owner", 1)) ", " kv("isolation", obj(kv("network", q("private")) ", " kv("separate_from_nonprod", "false") ", " kv("egress", q("allowlist")) ", " kv("data_classification_max", q("internal")) ", " kv("production_data_allowed", "false")))))
    endlist()

    nrev = 0
    list("providers")   # 1 in 5 providers has no approved assessment; the last 3 are internal
    for (i = 1; i <= np; i++) {
        if (i > np - 3) { item(obj(kv("id", id("provider", i)) ", " kv("name", q("Internal team " i)) ", " kv("type", q("internal")) ", " kv("owner", id("owner", 1 + r(10))))); continue }
        s = kv("id", id("provider", i)) ", " kv("name", q("Vendor " i)) ", " kv("type", q("model-provider")) ", " kv("owner", id("owner", 1 + r(10)))
        s = s ", " kv("contract", obj(kv("dpa", (keep(pct(85)) ? "true" : "false")) ", " kv("data_retention_days", r(31)) ", " kv("training_on_customer_data", q("no"))))
        if (clean || i % 5) s = s ", " kv("assessment", obj(kv("status", q("approved")) ", " kv("date", q(ago(r(300)))) ", " kv("next_due", q(ago(-60 - r(300)))) ", " kv("review", id("rev-provider", i))))
        item(obj(s))
    }
    endlist()

    list("models")      # pinned 90%; the rest pinned by digest or not at all
    for (i = 1; i <= nmod; i++) {
        m = keep(pct(90))
        s = kv("id", id("model", i)) ", " kv("name", q("model-" i)) ", " kv("version", q(ago(r(400)))) ", " kv("pinned", (m ? "true" : "false"))
        s = s ", " kv("provider", id("provider", 1 + r(np))) ", " kv("kind", q("llm")) ", " kv("hosting", q("provider-api"))
        if (!m && pct(50)) s = s ", " kv("digest", obj(kv("sha256", q(sprintf("%064d", i)))))
        s = s ", " kv("approval", obj(kv("status", q(keep(pct(95)) ? "approved" : "pending")) ", " kv("approved_by", id("owner", 1 + r(nown))) ", " kv("date", q(ago(r(400))))))
        item(obj(s))
    }
    endlist()

    list("credentials") # shared 3%, rotation overdue for about 1 in 4
    for (i = 1; i <= ncred; i++) {
        s = kv("id", id("cred", i)) ", " kv("kind", q("api-key")) ", " kv("provider", id("provider", 1 + r(np))) ", " kv("environment", q(keep(pct(80)) ? "prod" : "dev"))
        s = s ", " kv("store", q(clean ? "vault" : pick("secrets-manager secrets-manager secrets-manager vault vault env-var"))) ", " kv("owner", id("owner", 1 + r(10)))
        s = s ", " kv("rotation", obj(kv("period_days", 90) ", " kv("last_rotated", q(ago(clean ? r(120) % 80 : r(120)))) ", " kv("automated", (pct(70) ? "true" : "false"))))
        s = s ", " kv("shared", (flaw(pct(3)) ? "true" : "false"))
        item(obj(s))
    }
    endlist()

    list("endpoints")
    for (i = 1; i <= nep; i++) {
        e = pick("public private-link private-link internal")
        s = kv("id", id("endpoint", i)) ", " kv("url", q("https://ep" i ".bench.example/v1")) ", " kv("kind", q("inference")) ", " kv("environment", q("prod"))
        s = s ", " kv("model", id("model", 1 + r(nmod))) ", " kv("exposure", q(e)) ", " kv("authentication", q(clean ? "oidc" : pick("oidc oidc mtls api-key none"))) ", " kv("tls", (pct(95) ? "true" : "false"))
        item(obj(s))
    }
    endlist()

    list("logging")     # 1 in 8 pipelines keeps logs under a year
    for (i = 1; i <= nlog; i++)
        item(obj(kv("id", id("logs", i)) ", " kv("destination", q("siem:bench/" i)) ", " kv("events", arr(q("prompts") ", " q("completions") ", " q("tool-calls") ", " q("auth") ", " q("admin-actions") ", " q("model-changes"))) ", " kv("redaction", q("pii-and-secrets")) ", " kv("retention_days", (clean || i % 8 ? 400 : 90)) ", " kv("integrity", q("append-only")) ", " kv("environments", arr(q("prod")))))
    endlist()

    list("monitoring")
    for (i = 1; i <= nmon; i++)
        item(obj(kv("id", id("mon", i)) ", " kv("tool", q("grafana")) ", " kv("review_interval_days", 30) ", " kv("alerts", arr(obj(kv("id", q("injection")) ", " kv("signal", q("prompt-injection")) ", " kv("severity", q("high")) ", " kv("route", q("pagerduty:security")) ", " kv("owner", id("owner", 1))) ", " obj(kv("id", q("errors")) ", " kv("signal", q("error-rate")) ", " kv("severity", q("medium")) ", " kv("route", q("slack:#ai-ops")) ", " kv("owner", id("owner", 2)))))))
    endlist()

    list("incident_response")
    for (i = 1; i <= nir; i++)
        item(obj(kv("id", id("ir", i)) ", " kv("playbook", q("https://wiki.bench.example/ir/" i)) ", " kv("contacts", arr(id("owner", 1) ", " id("owner", 2))) ", " kv("covers", arr(q("prompt-injection") ", " q("data-leak") ", " q("credential-leak") ", " q("harmful-output"))) ", " kv("kill_switch", obj(kv("available", (clean || i % 10 ? "true" : "false")) ", " kv("mechanism", q("feature flag")) ", " kv("last_tested", q(ago(r(200)))))) ", " kv("last_exercised", q(ago(clean ? r(500) % 300 : r(500))))))
    endlist()

    list("rollback")
    for (i = 1; i <= nrb; i++)
        item(obj(kv("id", id("rb", i)) ", " kv("strategy", arr(q("previous-model-version") ", " q("feature-flag"))) ", " kv("last_known_good", obj(kv("model", id("model", 1 + r(nmod))) ", " kv("model_version", q(ago(400 + r(100)))))) ", " kv("artifacts_retained", "true") ", " kv("automated", (pct(50) ? "true" : "false")) ", " kv("rto_minutes", 15 + r(60)) ", " kv("runbook", q("https://wiki.bench.example/rb/" i)) ", " kv("last_tested", q(ago(clean ? r(300) % 150 : r(300))))))
    endlist()

    list("reviews")
    for (i = 1; i <= np - 3; i++)
        if (clean || i % 5) item(obj(kv("id", id("rev-provider", i)) ", " kv("type", q("provider-assessment")) ", " kv("subject", obj(kv("kind", q("provider")) ", " kv("id", id("provider", i)))) ", " kv("date", q(ago(r(300)))) ", " kv("next_due", q(ago(-60 - r(300)))) ", " kv("reviewer", id("owner", 2)) ", " kv("outcome", q("approved"))))
    for (i = 1; i <= n; i += (clean ? 1 : 2))   # every other system has an access review (clean: every one)
        item(obj(kv("id", id("rev-access", i)) ", " kv("type", q("access-review")) ", " kv("subject", obj(kv("kind", q("ai_system")) ", " kv("id", id("sys", i)))) ", " kv("date", q(ago(clean ? r(200) % 80 : r(200)))) ", " kv("next_due", q(ago(-1 - r(100)))) ", " kv("reviewer", id("owner", 2)) ", " kv("outcome", q("approved"))))
    endlist()

    list("ai_systems")  # 70% production; some omit logging, monitoring, rollback
    for (i = 1; i <= n; i++) {
        life = pick("production production production production production production production pilot development retired")
        if (clean) life = "production"
        s = kv("id", id("sys", i)) ", " kv("name", q("AI system " i)) ", " kv("purpose", q("Generated system for the benchmark"))
        s = s ", " kv("owner", id("owner", 1 + r(nown)))
        s = s ", " kv("technical_owner", id("owner", 1 + r(10))) ", " kv("lifecycle", q(life)) ", " kv("risk_tier", q(pick("low moderate moderate high"))) ", " kv("autonomy", q("human-in-the-loop")) ", " kv("user_facing", (pct(50) ? "true" : "false"))
        s = s ", " kv("data", obj(kv("classification", q(pick("internal confidential"))) ", " kv("pii", (pct(40) ? "true" : "false"))))
        s = s ", " kv("environments", arr(q(life == "production" ? "prod" : "dev")))
        k = 1 + r(2); s = s ", " kv("models", ids("model", k, nmod))
        k = 1 + r(2); s = s ", " kv("endpoints", ids("endpoint", k, nep))
        k = 1 + r(2); s = s ", " kv("credentials", ids("cred", k, ncred))
        if (keep(pct(95))) s = s ", " kv("logging", id("logs", 1 + r(nlog)))
        if (keep(pct(95))) s = s ", " kv("monitoring", id("mon", 1 + r(nmon)))
        if (keep(pct(95))) s = s ", " kv("incident_response", id("ir", 1 + r(nir)))
        if (keep(pct(90))) s = s ", " kv("rollback", id("rb", 1 + r(nrb)))
        if (clean || i % 2) s = s ", " kv("reviews", arr(id("rev-access", i)))
        item(obj(s))
    }
    endlist()
    if (format == "json") printf "\n}\n"
}
