#!/usr/bin/env bats
# The pull-request workflow's forecast comparison (.ci/forecast-diff.sh), on small plan JSON documents.

setup() {
  script="$BATS_TEST_DIRNAME/forecast-diff.sh"
  dir=$(mktemp -d)
}

teardown() {
  rm -rf "$dir"
}

plan() { # plan FILE WORST WORST_MAX IDLE [UNKNOWN]
  printf '{"forecast":{"priceDate":"2026-07-20","region":"us-east-1","worstCaseUsdPerHour":%s,"worstCaseUsdPerHourAtMaxStorage":%s,"idleFloorUsdPerMonth":%s,"unknown":[%s]}}' \
    "$2" "$3" "$4" "${5:-}" > "$dir/$1"
}

@test "the header names the columns" {
  run bash "$script" --header
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "| Stack | Worst case per hour | Idle floor per month | Prices |" ]
}

@test "a rise and an unchanged floor against the base" {
  plan base.json 5.1 9 0
  plan pr.json 5.75 10.789 0
  run bash "$script" dev "$dir/base.json" "$dir/pr.json"
  [ "$status" -eq 0 ]
  [ "$output" = '| `dev` | $5.75 (+$0.65), $10.79 with volumes at their cap | $0.00 (unchanged) | 2026-07-20, us-east-1 |' ]
}

@test "a fall is shown with a minus" {
  plan base.json 132.5 400 102.58
  plan pr.json 120 400 0
  run bash "$script" prod "$dir/base.json" "$dir/pr.json"
  [ "$output" = '| `prod` | $120.00 (-$12.50), $400.00 with volumes at their cap | $0.00 (-$102.58) | 2026-07-20, us-east-1 |' ]
}

@test "a base branch without a forecast, or no plan at all, says so" {
  echo '{"resources":[]}' > "$dir/old.json"
  : > "$dir/none.json"
  plan pr.json 1 2 3
  for base in old.json none.json; do
    run bash "$script" dev "$dir/$base" "$dir/pr.json"
    [ "$output" = '| `dev` | $1.00 (no forecast on the base branch), $2.00 with volumes at their cap | $3.00 (no forecast on the base branch) | 2026-07-20, us-east-1 |' ]
  done
}

@test "unknown prices are shown as unknown, with why" {
  plan base.json 1 2 3
  plan pr.json null null null '"unknown price for c5 in us-east-1"'
  run bash "$script" dev "$dir/base.json" "$dir/pr.json"
  [ "$output" = '| `dev` | unknown (was $1.00), unknown with volumes at their cap | unknown (was $3.00) | 2026-07-20, us-east-1; unknown: unknown price for c5 in us-east-1 |' ]
}
