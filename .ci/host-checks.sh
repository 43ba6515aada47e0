#!/usr/bin/env bash
# Checks of the host user data that need more than a JDK (issue 9): the boot scripts run under bats
# with stubbed system commands, and the launch templates' MIME user data, taken from the offline
# plan of each shipped stack, parsed by cloud-init's own code. Quiet on success but for one line.
# Needs target/genomics-batch.jar (./mvnw -B verify builds it). `--install` only installs the tools
# (.ci/run does that first, in the background, while Maven builds).
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned to Debian bookworm's versions on bookworm (this project's machines); elsewhere (a GitHub
# Ubuntu runner) the distribution's own. cloud-init takes its stable updates (deb12uN): not pinned.
bats_pkg=bats shellcheck_pkg=shellcheck
if grep -qx 'VERSION_CODENAME=bookworm' /etc/os-release 2>/dev/null; then
  bats_pkg=bats=1.8.2-1 shellcheck_pkg=shellcheck=0.9.0-1
fi
need=()
command -v bats >/dev/null || need+=("$bats_pkg")
command -v shellcheck >/dev/null || need+=("$shellcheck_pkg")
[ -e /usr/lib/python3/dist-packages/cloudinit/user_data.py ] || need+=(cloud-init)
if [ "${#need[@]}" -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[ "${1:-}" != --install ] || exit 0
[ -f target/genomics-batch.jar ] || ./mvnw -B -q package -DskipTests

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. The user data as the launch templates carry it, read by cloud-init (Debian's python3, where
#    cloud-init lives) and unpacked as a host does; the delivered scripts (comments dropped) must
#    still be valid bash. The stacks are the tests' dev, prod and boot (fixtures; boot has a shared
#    file system, so its user data carries that part too), in a project of their own: the project's
#    stack files are the adopter's.
mkdir "$work/project"
cp Pulumi.yaml src/test/resources/stacks/Pulumi.dev.yaml src/test/resources/stacks/Pulumi.prod.yaml \
  src/test/resources/stacks/Pulumi.boot.yaml "$work/project/"
for stack in dev prod boot; do
  java -jar target/genomics-batch.jar plan --stack "$stack" --dir "$work/project" --format json > "$work/$stack.json"
  /usr/bin/python3 .ci/check-user-data.py "$work/$stack.json" "$work/$stack"
  for part in "$work/$stack"/*/*.sh; do
    bash -n "$part"
  done
  # Sourcing paths and variables come from the other parts, and directives went with the comments.
  shellcheck -s bash -e SC1090,SC1091,SC2016,SC2034,SC2154 "$work/$stack"/*/*.sh
done

# 2. The boot scripts and their test helpers are shellcheck-clean; then they run for real, in a
#    temporary root: as in the repository, and as the dev launch template delivers them.
shellcheck -s bash src/main/resources/io/genomicsbatch/compute/*.sh src/test/bats/helpers.bash
passed=0
for parts in "" "$work/dev/genomics-batch-host-launch-template"; do
  if ! GB_PARTS_DIR=$parts bats --tap src/test/bats > "$work/bats.tap" 2>&1; then
    cat "$work/bats.tap"
    echo "host-checks: bats failed on the parts ${parts:-in the repository}" >&2
    exit 1
  fi
  passed=$((passed + $(grep -c '^ok ' "$work/bats.tap")))
done
echo "host-checks: bats $passed passed, 0 failed (repository and delivered parts); user data of dev, prod and boot parsed by cloud-init and unpacked"
