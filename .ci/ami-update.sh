#!/usr/bin/env bash
# The weekly AMI check (.github/workflows/ami-update.yml) for one stack: reads which AMI each compute
# environment is pinned to from the offline plan (`genomics-batch plan --format json`, its "amis"),
# resolves each SSM parameter's current value with the AWS CLI in the stack's region, and writes the
# record file amis/<stack>.json. Prints one Markdown table row per environment whose image changed
# since the record (none: nothing changed), for the pull request's body.
#
#   bash .ci/ami-update.sh STACK PLAN_JSON RECORD_FILE
#
# A stack without pinning (no "amis" in its plan) has no record: nothing is written or printed.
# Fails when a parameter's value is not an AMI ID, or the AWS CLI fails.
set -euo pipefail

die() {
  echo "ami-update: $*" >&2
  exit 1
}

(($# == 3)) || die "usage: ami-update.sh STACK PLAN_JSON RECORD_FILE"
stack=$1 plan=$2 record=$3
[[ -f "$plan" ]] || die "no plan file: $plan"

if [[ "$(jq '.amis // [] | length' "$plan")" == 0 ]]; then
  exit 0
fi
region=$(jq -r '.region // empty' "$plan")
[[ -n "$region" ]] || die "$stack: the plan has no region (set aws:region in Pulumi.$stack.yaml)"

# Each environment's current image: a parameter's value now, or the approved image as configured.
environments='{}'
# Fields split on the unit separator: a tab is whitespace to read, which would merge an empty field.
while IFS=$'\x1f' read -r name parameter ami strategy on_new_image; do
  if [[ -n "$parameter" ]]; then
    ami=$(aws ssm get-parameter --region "$region" --name "$parameter" --query Parameter.Value --output text) \
      || die "$stack: could not read SSM parameter $parameter in $region"
    source="$parameter"
  else
    source="approved image"
  fi
  [[ "$ami" =~ ^ami-([0-9a-f]{8}|[0-9a-f]{17})$ ]] \
    || die "$stack: $name: $source holds \"$ami\", not an AMI ID"
  environments=$(jq -c --arg name "$name" --arg source "$source" --arg ami "$ami" --arg strategy "$strategy" \
    --arg onNewImage "$on_new_image" \
    '. + {($name): {source: $source, amiId: $ami, allocationStrategy: $strategy, onNewImage: $onNewImage}}' \
    <<<"$environments")
done < <(jq -r '.amis[] | [.computeEnvironment, (.ssmParameter // ""), (.amiId // ""), .allocationStrategy,
  .onNewImage] | join("\u001f")' "$plan")

previous='{}'
if [[ -s "$record" ]]; then
  previous=$(jq -c '.computeEnvironments // {}' "$record")
fi

# One row per environment whose image is new: what it was, what it becomes, what the change does.
jq -r --arg stack "$stack" --argjson previous "$previous" 'to_entries[]
  | select(.value.amiId != ($previous[.key].amiId // null))
  | "| `\($stack)` | \(.key) | \($previous[.key].amiId // "(none)") | \(.value.amiId) | \(.value.source) | "
    + (if .value.onNewImage == "replace"
       then "**replaces** the compute environment (\(.value.allocationStrategy))"
       else "update in place (\(.value.allocationStrategy))" end) + " |"' <<<"$environments"

mkdir -p "$(dirname "$record")"
jq -n --arg stack "$stack" --arg region "$region" --argjson environments "$environments" \
  '{stack: $stack, region: $region, computeEnvironments: $environments}' > "$record"
