#!/usr/bin/env bash
# One Markdown table row comparing a stack's cost forecast in two plans (target/genomics-batch plan
# --format json): the pull request's and the base branch's. The pull-request workflow prints the header
# (forecast-diff.sh --header) once, then a row per stack.
#
#   bash .ci/forecast-diff.sh --header
#   bash .ci/forecast-diff.sh STACK BASE.json PR.json
#
# BASE.json may be empty or hold no forecast (a stack or a base branch without one): the row says so.
# Unknown numbers (null: a price the table lacks) are shown as "unknown", never as zero.
set -euo pipefail

if [[ ${1:-} == --header ]]; then
  echo "| Stack | Worst case per hour | Idle floor per month | Prices |"
  echo "|---|---|---|---|"
  exit 0
fi
[[ $# -eq 3 ]] || { echo "usage: forecast-diff.sh STACK BASE.json PR.json | --header" >&2; exit 2; }
stack=$1 base=$2 pr=$3

# cell NEW OLD: "$NEW", then the change against OLD, "new" without OLD, "unknown" for null.
jq -nr --arg stack "$stack" --slurpfile pr "$pr" --rawfile base "$base" '
  def money: if . == null then "unknown" else "$" + ((. * 100 | round) / 100 | tostring
    | if test("\\.") then (if test("\\.[0-9]$") then . + "0" else . end) else . + ".00" end) end;
  def cell($new; $old; $hasbase):
    ($new | money) + (
      if ($hasbase | not) then " (no forecast on the base branch)"
      elif $new == null or $old == null then (if $new == $old then "" else " (was " + ($old | money) + ")" end)
      elif (($new - $old) * 100 | round) == 0 then " (unchanged)"
      elif $new > $old then " (+" + (($new - $old) | money) + ")"
      else " (-" + (($old - $new) | money) + ")" end);
  ($pr[0].forecast) as $p
  | (try ($base | fromjson | .forecast) catch null) as $b
  | ($b != null) as $hasbase
  | "| `\($stack)` | \(cell($p.worstCaseUsdPerHour; $b.worstCaseUsdPerHour; $hasbase)), \(($p.worstCaseUsdPerHourAtMaxStorage | money)) with volumes at their cap | \(cell($p.idleFloorUsdPerMonth; $b.idleFloorUsdPerMonth; $hasbase)) | \($p.priceDate), \($p.region // "no region")\(if ($p.unknown | length) > 0 then "; unknown: " + ($p.unknown | join("; ")) else "" end) |"
'
