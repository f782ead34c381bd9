#!/bin/sh
# tests/report/html.sh AIP - the HTML report (runtime/report_html.c) in a
# real browser. Run from the repository root: sh tests/report/html.sh bin/aip
#
# For the shipped gaps example evaluated with the full IR 8596 pack (and the
# constructs example, which has error, unknown and not_applicable verdicts):
#   - the page is deterministic, well-formed (xmllint: the writer emits
#     XML-compatible markup) and self-contained (no src=, <link>, url(),
#     @import or external href; a Content-Security-Policy forbids loads);
#   - headless Chromium loads it with no console message at all (errors,
#     CSP violations, uncaught exceptions), runs its script to the end
#     (data-js="ready") and shows one element per control, with the
#     verdicts of the JSON report of the same evaluation;
#   - with JavaScript off every control is still shown;
#   - the verdict filter hides what it should;
#   - a PNG screenshot (1280x2000) and a PDF print are produced and are not
#     trivial.
# HTML_REPORT_KEEP=DIR keeps the report, the DOM, the screenshot and the PDF
# in DIR (docs/images/report-html.png is such a screenshot).
#
# One line per check; the last line is "html: N passed, N failed". A missing
# tool is a failure that says how to install it.
set -u
AIP=${1:-bin/aip}
case $AIP in /*) ;; *) AIP=$(pwd)/$AIP ;; esac
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
no() { fail=$((fail + 1)); echo "FAIL $*"; }
check() {   # check DESCRIPTION COMMAND...
    d=$1
    shift
    if "$@"; then ok "$d"; else no "$d"; fi
}

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

CHROMIUM=${CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}
have_chromium=1
if [ ! -x "$CHROMIUM" ]; then
    no "chromium is missing: install it with 'apt-get install -y chromium' (Debian package chromium)"
    have_chromium=0
else
    ok "chromium found: $CHROMIUM"
fi
have_xmllint=1
if ! command -v xmllint >/dev/null 2>&1; then
    no "xmllint is missing: install it with 'apt-get install -y libxml2-utils'"
    have_xmllint=0
else
    ok "xmllint found"
fi
if [ ! -x "$AIP" ]; then
    no "aip binary $AIP is missing: run make first"
    echo "html: $pass passed, $fail failed"
    exit 1
fi

# chromium_run OUT_PREFIX ARGS... : headless, no network, a fresh profile;
# stdout to OUT_PREFIX.out, stderr (with console messages) to OUT_PREFIX.log.
chromium_run() {
    prefix=$1
    shift
    profile=$(mktemp -d "$T/profile.XXXXXX")
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-default-apps --disable-extensions --user-data-dir="$profile" \
        --enable-logging=stderr --v=0 "$@" >"$prefix.out" 2>"$prefix.log" </dev/null
    rc=$?
    rm -rf "$profile"
    return $rc
}

# console messages of a run: Chromium logs them as ":CONSOLE" lines
no_console() {
    if grep -q ':CONSOLE' "$1.log"; then
        grep ':CONSOLE' "$1.log" | head -5 | sed 's/^/    /'
        return 1
    fi
    return 0
}

# "ID VERDICT" per control, sorted: from the JSON report and from a DOM
json_verdicts() {
    awk '/^  "controls": /{c=1} /^  "summary": /{c=0}
         c && /^      "id": /{id=$2; gsub(/[",]/, "", id)}
         c && /^      "verdict": /{v=$2; gsub(/[",]/, "", v); print id, v}' "$1" | sort
}
dom_verdicts() {
    grep -o 'id="ctl-[^"]*" data-verdict="[^"]*"' "$1" |
        sed 's/^id="ctl-\([^"]*\)" data-verdict="\([^"]*\)"$/\1 \2/' | sort
}
json_count() {   # json_count FILE VERDICT: the summary's count
    awk -v k="\"$2\":" '/^  "summary": /{s=1} s && $1 == k {gsub(/,/, "", $2); print $2; exit}' "$1"
}
file_size() { wc -c <"$1" | tr -d ' '; }

# eval_case NAME DIR ARGS... : html and json reports of one evaluation (run in DIR)
eval_case() {
    name=$1 dir=$2
    shift 2
    (cd "$dir" && "$AIP" eval "$@" --format html -o "$T/$name.html") 2>"$T/$name.err"
    s1=$?
    (cd "$dir" && "$AIP" eval "$@" --format html -o "$T/$name.again.html") 2>/dev/null
    (cd "$dir" && "$AIP" eval "$@" --format json -o "$T/$name.json") 2>/dev/null
    s2=$?
    if [ "$s1" -le 1 ] && [ "$s1" = "$s2" ] && [ -s "$T/$name.html" ]; then
        ok "$name: report written (exit $s1, as the JSON report's)"
    else
        no "$name: aip eval exited $s1 (json: $s2)"
        sed 's/^/    /' "$T/$name.err" | head -5
        return 1
    fi
    return 0
}

check_page() {   # check_page NAME
    name=$1
    h=$T/$name.html
    check "$name: deterministic (two runs give the same bytes)" cmp -s "$h" "$T/$name.again.html"
    if [ $have_xmllint = 1 ]; then
        check "$name: well-formed markup (xmllint --noout)" xmllint --noout "$h"
    fi
    check "$name: Content-Security-Policy forbids every load" \
        grep -q "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline';" "$h"
    check "$name: self-contained (no src=, <link, url(, @import, external href)" \
        sh -c "! grep -Eiq ' src=|<link|url\\(|@import|href=\"(https?:|//|file:)' '$h'"
    check "$name: @media print rules" grep -q '@media print{' "$h"

    nctl=$(json_verdicts "$T/$name.json" | wc -l | tr -d ' ')
    nart=$(grep -c '<article class="control' "$h")
    check "$name: one <article> per control ($nart of $nctl)" [ "$nart" = "$nctl" -a "$nctl" -gt 0 ]

    [ $have_chromium = 1 ] || return 0

    # load with JavaScript: no console message, script ran, every control in the DOM
    if chromium_run "$T/$name.dom" --dump-dom "file://$h"; then
        ok "$name: chromium loaded the page"
    else
        no "$name: chromium failed (exit $?)"
        sed 's/^/    /' "$T/$name.dom.log" | grep -v dbus | tail -5
        return 1
    fi
    check "$name: no console messages (errors, CSP violations, uncaught exceptions)" no_console "$T/$name.dom"
    check "$name: the script ran to its end (data-js=\"ready\")" grep -q 'data-js="ready"' "$T/$name.dom.out"
    json_verdicts "$T/$name.json" >"$T/$name.want"
    dom_verdicts "$T/$name.dom.out" >"$T/$name.got"
    if cmp -s "$T/$name.want" "$T/$name.got"; then
        ok "$name: the DOM shows all $nctl controls with the JSON report's verdicts"
    else
        no "$name: controls or verdicts in the DOM differ from the JSON report"
        diff "$T/$name.want" "$T/$name.got" | head -10 | sed 's/^/    /'
    fi
    nbadge=$(grep -o '<h4><span class="badge v-[a-z_]*">[A-Z ]*</span>' "$T/$name.dom.out" | wc -l | tr -d ' ')
    check "$name: every control has a verdict badge in words ($nbadge)" [ "$nbadge" = "$nctl" ]
    for v in pass fail unknown not_applicable waived error; do
        want=$(json_count "$T/$name.json" "$v")
        got=$(grep -o "data-verdict=\"$v\"" "$T/$name.dom.out" | wc -l | tr -d ' ')
        check "$name: $v: $got controls, the JSON summary says $want" [ "$got" = "$want" ]
    done
    check "$name: the filters are shown when the script runs" \
        sh -c "! grep -q '<form id=\"filters\" hidden' '$T/$name.dom.out'"

    # JavaScript off: everything still visible, filters stay hidden. (This
    # Chromium's --disable-javascript still runs page scripts and
    # --blink-settings=scriptEnabled=false stops --dump-dom, so the page is
    # loaded without its one script block instead.)
    sed '/^<script>$/,/^<\/script>$/d' "$h" >"$T/$name.nojs.html"
    check "$name: the copy without the script has no <script" sh -c "! grep -q '<script' '$T/$name.nojs.html'"
    chromium_run "$T/$name.nojs" --dump-dom "file://$T/$name.nojs.html"
    check "$name: with JavaScript off the script did not run" \
        sh -c "grep -q '</html>' '$T/$name.nojs.out' && ! grep -q 'data-js=' '$T/$name.nojs.out'"
    nj=$(grep -c '<article class="control' "$T/$name.nojs.out")
    check "$name: with JavaScript off all $nctl controls are in the page ($nj)" [ "$nj" = "$nctl" ]
    check "$name: with JavaScript off no control is hidden" \
        sh -c "! grep -q '<article [^>]*hidden' '$T/$name.nojs.out'"
    check "$name: with JavaScript off the filter form stays hidden" \
        grep -q '<form id="filters" hidden' "$T/$name.nojs.out"
    check "$name: with JavaScript off no console messages" no_console "$T/$name.nojs"

    # the verdict filter: a copy of the page that picks "fail" and reports what is shown
    nfail=$(json_count "$T/$name.json" fail)
    sed 's#</body>#<script>(function () { var f = document.getElementById("filters"); f.elements.verdict.value = "fail"; f.dispatchEvent(new Event("change")); document.documentElement.setAttribute("data-test", document.querySelectorAll("article.control:not([hidden])").length + "/" + document.querySelectorAll("article.control[hidden]").length); }());</script></body>#' \
        "$h" >"$T/$name.filter.html"
    chromium_run "$T/$name.filter" --dump-dom "file://$T/$name.filter.html"
    check "$name: the verdict filter shows the $nfail failing controls and hides the rest" \
        grep -q "data-test=\"$nfail/$((nctl - nfail))\"" "$T/$name.filter.out"
    check "$name: the filtered page logs no console messages" no_console "$T/$name.filter"
    return 0
}

# ---- the gaps example with the full pack ---------------------------------------------
if eval_case gaps . policies/ir8596 -f examples/sme/gaps.yaml --now 2026-11-27; then
    check_page gaps
    if [ $have_chromium = 1 ]; then
        chromium_run "$T/shot" --hide-scrollbars --screenshot="$T/report-html.png" --window-size=1280,2000 "file://$T/gaps.html"
        if [ -f "$T/report-html.png" ] && [ "$(od -An -c -N4 "$T/report-html.png" | tr -d ' ')" = '211PNG' ]; then
            ok "gaps: screenshot written as PNG"
        else
            no "gaps: no PNG screenshot"
        fi
        size=$(file_size "$T/report-html.png" 2>/dev/null || echo 0)
        check "gaps: screenshot is not trivial ($size bytes > 60000)" [ "${size:-0}" -gt 60000 ]
        dims=$(od -An -tu1 -j16 -N8 "$T/report-html.png" 2>/dev/null | awk '{print $3*256+$4 "x" $7*256+$8}')
        check "gaps: screenshot is 1280x2000 ($dims)" [ "$dims" = "1280x2000" ]
        chromium_run "$T/pdf" --no-pdf-header-footer --print-to-pdf="$T/report-html.pdf" "file://$T/gaps.html"
        psize=$(file_size "$T/report-html.pdf" 2>/dev/null || echo 0)
        if [ "${psize:-0}" -gt 100000 ] && head -c 5 "$T/report-html.pdf" | grep -q '%PDF-'; then
            ok "gaps: prints to PDF ($psize bytes)"
        else
            no "gaps: printing to PDF failed ($psize bytes)"
        fi
    fi
    if [ -n "${HTML_REPORT_KEEP:-}" ]; then
        mkdir -p "$HTML_REPORT_KEEP" &&
            cp "$T/gaps.html" "$T"/gaps.dom.out "$T"/report-html.png "$T"/report-html.pdf "$HTML_REPORT_KEEP"/ 2>/dev/null
    fi
fi

# ---- the SME baseline profile --------------------------------------------------------
if eval_case baseline . policies/ir8596 --profile sme-baseline -f examples/sme/gaps.yaml --now 2026-11-27; then
    check "baseline: the profile is named" grep -q '<dt>Profile</dt><dd>sme-baseline</dd>' "$T/baseline.html"
    nctl=$(json_verdicts "$T/baseline.json" | wc -l | tr -d ' ')
    nart=$(grep -c '<article class="control' "$T/baseline.html")
    check "baseline: one <article> per control ($nart of $nctl)" [ "$nart" = "$nctl" ]
    json_verdicts "$T/baseline.json" >"$T/baseline.want"
    dom_verdicts "$T/baseline.html" >"$T/baseline.got"
    check "baseline: the verdicts of the JSON report" cmp -s "$T/baseline.want" "$T/baseline.got"
    if [ $have_xmllint = 1 ]; then
        check "baseline: well-formed markup (xmllint --noout)" xmllint --noout "$T/baseline.html"
    fi
fi

# ---- waivers: active (whole control and partial), expired, unused ---------------------
W=tests/golden/reports/html-waivers/waivers.yaml
if eval_case waivers . policies/ir8596 --profile sme-baseline -f examples/sme/gaps.yaml --now 2026-11-27 --waivers "$W"; then
    check_page waivers
    h=$T/waivers.html
    for st in active expired unused; do
        want=$(grep -c "^        \"status\": \"$st\"" "$T/waivers.json")
        got=$(sed -n '/<section id="waivers">/,/<\/section>/p' "$h" | grep -o "<span class=\"badge w-$st\">" | wc -l | tr -d ' ')
        check "waivers: $got $st waivers listed, the JSON report has $want" [ "$got" = "$want" -a "$want" -gt 0 ]
    done
    want=$(grep -c '"waived_by": "' "$T/waivers.json")
    got=$(grep -c '<tr class="waived">' "$h")
    check "waivers: $got waived findings shown as accepted, the JSON report has $want" [ "$got" = "$want" -a "$want" -gt 0 ]
    check "waivers: the waivers file and its SHA-256 are in the integrity block" \
        grep -q "<code>$W</code></td><td><code>$(sha256sum "$W" | cut -c1-64)</code>" "$h"
    check "waivers: the reason is escaped" \
        grep -q 'DPA under negotiation with &lt;llm-vendor&gt; &amp; legal; &quot;no retention&quot; in the draft' "$h"
fi

# ---- every verdict kind: the constructs example --------------------------------------
if eval_case constructs tests/golden/constructs policy -f facts.yaml --now 2026-11-27; then
    check_page constructs
    check "constructs: the error message is shown" grep -q '<strong>Evaluation error:</strong> division by zero' "$T/constructs.html"
    check "constructs: the stale attestation is marked" grep -q '<span class="tag">attestation</span>' "$T/constructs.html"
fi

echo "html: $pass passed, $fail failed"
[ $fail = 0 ]
