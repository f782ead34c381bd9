# bench/checks.jq - the 8 checks of bench/checks.aip in jq, over the flat
# inventory of bench/gen.awk. Prints {"CONTROL": violations, ...}.
#   jq --arg now 2026-11-27 -f bench/checks.jq inv.json
($now | strptime("%Y-%m-%d") | mktime) as $t
| def days_since: ($t - (strptime("%Y-%m-%d") | mktime)) / 86400 | floor;
  def production: .lifecycle == "production";
  ["anthropic", "openai", "internal"] as $approved
| .systems as $s
| {
    "GV.RR-02": [$s[] | select((.owner // "") == "")] | length,
    "PR.AA-03": [$s[] | select(production) | select((.auth // "none") as $a | ["oidc", "mtls"] | index([$a]) | not)] | length,
    "PR.AA-05": [$s[] | select(any(.credentials[]?; .shared // false))] | length,
    "PR.AA-01": [$s[] | select(all(.credentials[]?; (.last_rotated // "1970-01-01" | days_since) <= 90) | not)] | length,
    "PR.PS-04": [$s[] | select(production) | select(((.logging.enabled // false) and ((.logging.retention_days // 0) >= 365)) | not)] | length,
    "RC.RP-01": [$s[] | select((.rollback.last_tested // "1970-01-01" | days_since) > 180)] | length,
    "GV.SC-07": [$s[] | select(all(.models[]?; (.pinned // false) and ((.provider // "") as $p | $approved | index([$p]) != null)) | not)] | length,
    "PR.IR-01": [$s[] | select(any(.endpoints[]?; (.exposure // "") == "public" and (.auth // "none") == "none"))] | length
  }
