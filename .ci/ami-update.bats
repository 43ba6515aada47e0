#!/usr/bin/env bats
# The weekly AMI check's per-stack step (.ci/ami-update.sh), on small plan documents, with the AWS CLI
# replaced by a stub that answers from a file of parameter values.

setup() {
  script="$BATS_TEST_DIRNAME/ami-update.sh"
  dir=$(mktemp -d)
  mkdir -p "$dir/bin"
  # aws ssm get-parameter --region R --name N ...: the value listed for N in $dir/parameters, logged.
  cat > "$dir/bin/aws" <<'STUB'
#!/usr/bin/env bash
echo "$*" >> "$STUB_LOG"
while (($#)); do
  case $1 in --name) name=$2; shift ;; --region) region=$2; shift ;; esac
  shift
done
value=$(awk -v n="$name" '$1 == n { print $2 }' "$STUB_PARAMETERS")
[ -n "$value" ] || { echo "An error occurred (ParameterNotFound) when calling the GetParameter operation:" >&2; exit 254; }
echo "$value"
STUB
  chmod +x "$dir/bin/aws"
  export PATH="$dir/bin:$PATH" STUB_LOG="$dir/aws.log" STUB_PARAMETERS="$dir/parameters"
  : > "$STUB_LOG"
  x86=/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id
  gpu=/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id
  printf '%s ami-01e2d3c4b5a6f7e80\n%s ami-0c9d8e7f6a5b4c3d2\n' "$x86" "$gpu" > "$STUB_PARAMETERS"
  # The plan's "amis" as the fixture stack pinned-amis has them: Spot replaces on a new image.
  cat > "$dir/plan.json" <<JSON
{"region": "eu-west-1", "amis": [
  {"computeEnvironment": "spot", "ssmParameter": "$x86", "key": "amiPinning", "allocationStrategy": "SPOT_PRICE_CAPACITY_OPTIMIZED", "onNewImage": "replace"},
  {"computeEnvironment": "on-demand", "ssmParameter": "$x86", "key": "amiPinning", "allocationStrategy": "BEST_FIT_PROGRESSIVE", "onNewImage": "update"},
  {"computeEnvironment": "gpu", "amiId": "ami-0123456789abcdef0", "key": "gpuAmiId", "allocationStrategy": "BEST_FIT_PROGRESSIVE", "onNewImage": "update"}]}
JSON
}

teardown() {
  rm -rf "$dir"
}

@test "the first run records every environment's image and lists each as new" {
  run bash "$script" lab "$dir/plan.json" "$dir/amis/lab.json"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = '| `lab` | spot | (none) | ami-01e2d3c4b5a6f7e80 | /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id | **replaces** the compute environment (SPOT_PRICE_CAPACITY_OPTIMIZED) |' ]
  [ "${lines[1]}" = '| `lab` | on-demand | (none) | ami-01e2d3c4b5a6f7e80 | /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id | update in place (BEST_FIT_PROGRESSIVE) |' ]
  [ "${lines[2]}" = '| `lab` | gpu | (none) | ami-0123456789abcdef0 | approved image | update in place (BEST_FIT_PROGRESSIVE) |' ]
  [ "$(jq -r '.region, .computeEnvironments.spot.amiId, .computeEnvironments.gpu.source' "$dir/amis/lab.json")" = $'eu-west-1\nami-01e2d3c4b5a6f7e80\napproved image' ]
  # In the stack's region; each environment's parameter read (the approved image needs no call).
  [ "$(grep -c -- '--region eu-west-1 --name /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id' "$STUB_LOG")" -eq 2 ]
  ! grep -q gpu "$STUB_LOG"
}

@test "an unchanged image prints nothing and leaves the record as it was" {
  bash "$script" lab "$dir/plan.json" "$dir/amis/lab.json" > /dev/null
  cp "$dir/amis/lab.json" "$dir/before.json"
  run bash "$script" lab "$dir/plan.json" "$dir/amis/lab.json"
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  cmp "$dir/before.json" "$dir/amis/lab.json"
}

@test "a new AWS image lists the environments it changes, old and new" {
  bash "$script" lab "$dir/plan.json" "$dir/amis/lab.json" > /dev/null
  sed -i 's/ami-01e2d3c4b5a6f7e80/ami-0fedcba9876543210/' "$STUB_PARAMETERS"
  run bash "$script" lab "$dir/plan.json" "$dir/amis/lab.json"
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 2 ]
  [ "${lines[0]}" = '| `lab` | spot | ami-01e2d3c4b5a6f7e80 | ami-0fedcba9876543210 | /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id | **replaces** the compute environment (SPOT_PRICE_CAPACITY_OPTIMIZED) |' ]
  [ "${lines[1]}" = '| `lab` | on-demand | ami-01e2d3c4b5a6f7e80 | ami-0fedcba9876543210 | /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id | update in place (BEST_FIT_PROGRESSIVE) |' ]
  [ "$(jq -r '.computeEnvironments["on-demand"].amiId' "$dir/amis/lab.json")" = ami-0fedcba9876543210 ]
}

@test "a stack without pinning has no record" {
  echo '{"region": "us-east-1", "resources": []}' > "$dir/off.json"
  run bash "$script" dev "$dir/off.json" "$dir/amis/dev.json"
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  [ ! -e "$dir/amis/dev.json" ]
  [ ! -s "$STUB_LOG" ]
}

@test "a parameter that holds no AMI ID, or cannot be read, fails naming the stack and the parameter" {
  sed -i 's|recommended/image_id ami-01e2d3c4b5a6f7e80|recommended/image_id {"image_id":"ami-0"}|' "$STUB_PARAMETERS"
  run bash "$script" lab "$dir/plan.json" "$dir/amis/lab.json"
  [ "$status" -eq 1 ]
  [[ "$output" == *'ami-update: lab: spot: /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id holds "{"image_id":"ami-0"}", not an AMI ID'* ]]
  [ ! -e "$dir/amis/lab.json" ]
  : > "$STUB_PARAMETERS"
  run bash "$script" lab "$dir/plan.json" "$dir/amis/lab.json"
  [ "$status" -eq 1 ]
  [[ "$output" == *"ami-update: lab: could not read SSM parameter /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id in eu-west-1"* ]]
}
