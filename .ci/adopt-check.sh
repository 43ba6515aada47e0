#!/usr/bin/env bash
# The project's stack files are the adopter's: a lab adds its own, edits prod and deletes dev, and
# the build still passes. In a temporary copy of the work tree (the files git tracks or would add,
# as they are now; no target/), the lab's edits:
#   - Pulumi.lab1.yaml: its own stack, in eu-west-2 with its own VPC and subnets;
#   - Pulumi.prod.yaml: another VPC, other subnets, other buckets;
#   - Pulumi.dev.yaml: deleted;
# then `./mvnw -B -q -o verify` must pass and print no [ERROR], its tests must have planned lab1
# and prod (ProjectStacksTest's dynamic tests) and no dev, and the class-data archive must be made.
# Then, with no stack file at all, `package` (ProjectStacksTest alone) still makes the archive,
# and the launcher test passes on it. Offline (-o): run after a build here filled the Maven repository.
#   bash .ci/adopt-check.sh     (nothing skipped, the class-data archive included; a few minutes,
#                                most of them the verify, which compiles and tests from scratch)
set -euo pipefail
cd "$(dirname "$0")/.."
copy=$(mktemp -d "${TMPDIR:-/tmp}/adopt-check.XXXXXX")
trap 'rm -rf "$copy"' EXIT
fail() { echo "adopt-check: $*" >&2; exit 1; }
start=$(date +%s)

# The work tree as it is: tracked files (a deleted one left out) and untracked ones not ignored.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  while IFS= read -r -d '' f; do
    if [ -e "$f" ]; then printf '%s\0' "$f"; fi
  done < <(git ls-files -z --cached --others --exclude-standard) | tar --null -T - -cf - | tar -xf - -C "$copy"
else
  tar --exclude=./target --exclude=./.git --exclude='*/node_modules' -cf - . | tar -xf - -C "$copy"
fi
{ [ -f "$copy/Pulumi.yaml" ] && [ -x "$copy/mvnw" ]; } || fail "the copy in $copy has no Pulumi.yaml or mvnw"

# What a lab does to the stack files it got.
cd "$copy"
rm -f Pulumi.dev.yaml
cat > Pulumi.lab1.yaml <<'EOF'
# lab1: its own region and VPC.
config:
  aws:region: eu-west-2
  genomics-batch:vpcId: vpc-0123456789abcdef0
  genomics-batch:subnetIds:
    - subnet-0aa11bb22cc33dd44
    - subnet-0ee55ff6600112233
  genomics-batch:spotMaxVcpus: 128
  genomics-batch:dataBucketNames:
    - lab1-sequencing-runs
EOF
cat > Pulumi.prod.yaml <<'EOF'
# The lab's prod: its VPC, its subnets, its buckets.
config:
  aws:region: us-east-1
  genomics-batch:vpcId: vpc-0fedcba9876543210
  genomics-batch:subnetIds:
    - subnet-0fedcba9876543211
    - subnet-0fedcba9876543212
  genomics-batch:spotMaxVcpus: 512
  genomics-batch:dataBucketNames:
    - lab-genomics-raw
    - lab-genomics-results
  genomics-batch:s3GatewayEndpoint: true
  genomics-batch:protect: true
EOF

# build LOG ARGS...: Maven, quiet, offline; fails on a failed build or any [ERROR] line.
build() {
  local log=$1
  shift
  if ! ./mvnw -B -q -o "$@" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    fail "./mvnw $* failed with the lab's stack files (log above)"
  fi
  if grep -n '\[ERROR\]' "$log" >&2; then fail "./mvnw $* printed [ERROR] lines (above)"; fi
}
# planned NAME: ProjectStacksTest's report has a passing dynamic test for this stack.
report=target/surefire-reports/TEST-io.genomicsbatch.config.ProjectStacksTest.xml
planned() { grep -q "<testcase name=\"everyStackFileOfTheProjectPlans() stack $1 (Pulumi.$1.yaml) plans\"[^>]*/>" "$report"; }
archive() {
  [ -s target/genomics-batch.jsa ] || { tail -n 20 target/genomics-batch.jsa.log >&2; fail "no class-data archive after $1"; }
}

build "$copy/verify.log" verify
tests() { grep -o '<testcase name="[^"]*"' "$report" >&2 || true; }
planned lab1 || { tests; fail "no passing dynamic test planned lab1 (the tests above ran)"; }
planned prod || { tests; fail "no passing dynamic test planned prod (the tests above ran)"; }
if grep -q 'stack dev (Pulumi.dev.yaml)' "$report"; then fail "a test planned the deleted dev stack"; fi
archive verify
verified=$(($(date +%s) - start))

# No stack file at all: the archive still comes, and the launcher runs with it.
rm -f Pulumi.*.yaml
build "$copy/package.log" package -Dtest=ProjectStacksTest
grep -q 'nothing to plan' "$report" || fail "ProjectStacksTest did not report the empty project"
archive "package with no stack file"
bash .ci/launcher-test.sh >/dev/null || fail "the launcher test failed with no stack file"

echo "adopt-check: lab1 added, prod edited, dev deleted: verify green (${verified}s), lab1 and prod" \
  "planned, dev not; no stack file: package made the class-data archive, launcher test passed" \
  "($(($(date +%s) - start))s in all)"
