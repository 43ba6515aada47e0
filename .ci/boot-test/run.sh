#!/usr/bin/env bash
# Boot test: the launch template's real user data booted in Debian 12 VMs under QEMU (TCG), against
# stand-in EC2 services (moto), with checks from inside the VM. See README.md beside this file.
#
#   run.sh --install        install the host packages and build (or find cached) the VM image only
#   run.sh                  every scenario, two VMs at a time (needs target/genomics-batch.jar)
#   run.sh SCENARIO...      only these (gp3, nvme, fail, watchdog)
#
# Quiet when green: one line per scenario, then "boot-test: N passed, 0 failed". Needs root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

# Host packages, pinned to bookworm's versions on bookworm where the version is stable (QEMU,
# debootstrap, openssl and openssh take security updates: not pinned, as cloud-init in host-checks.sh).
install_packages() {
  local pkgs=(qemu-system-x86 qemu-utils debootstrap e2fsprogs openssl openssh-client gnupg gcc libc6-dev
    zlib1g-dev zip)
  if grep -qx 'VERSION_CODENAME=bookworm' /etc/os-release 2>/dev/null; then
    pkgs+=(socat=1.7.4.4-2)
  else
    pkgs+=(socat)
  fi
  local need=() p
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f '${Status}' "${p%%=*}" 2>/dev/null | grep -q 'ok installed' || need+=("$p")
  done
  if [ "${#need[@]}" -gt 0 ]; then
    # .ci/run installs other tools at the same time: wait for apt's lock rather than fail on it.
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
      "${need[@]}" > /dev/null
  fi
  python3 -c 'import moto, boto3, cryptography' || { echo "boot-test: python3 needs moto" >&2; exit 1; }
}

install_packages
image=$(bash "$here/build-image.sh")
if [ "${1:-}" = --install ]; then
  echo "boot-test: image ready in $image"
  exit 0
fi

scenarios=("$@")
[ "${#scenarios[@]}" -gt 0 ] || scenarios=(watchdog gp3 nvme fail)
for s in "${scenarios[@]}"; do
  case $s in gp3 | nvme | fail | watchdog) ;; *) echo "boot-test: unknown scenario $s" >&2; exit 2 ;; esac
done
work=$(mktemp -d "${TMPDIR:-/tmp}/genomics-batch-boot.XXXXXX")
keep=${GB_BOOT_KEEP:-}
cleanup() {
  GNUPGHOME=$work/gnupg gpgconf --kill gpg-agent 2>/dev/null || true
  if [ -z "$keep" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

# The test CLI signing key (never a stack setting: BootUserData swaps it in).
export GNUPGHOME=$work/gnupg
mkdir -m 0700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'genomics-batch boot test <boot-test@invalid>' ed25519 sign never
gpg --batch --quiet --armor --export > "$work/test-key.asc"

# user_data OUT [KEY=VALUE...]: the launch template's user data with the test key and these settings.
user_data() {
  local out=$1 sets=() kv
  shift
  for kv in awsCliUrl=https://10.0.2.100/awscli "$@"; do sets+=(--set "$kv"); done
  if [ -z "${GB_BOOT_FROM_PLAN:-}" ]; then
    (cd "$repo" && java -cp target/genomics-batch.jar:target/test-classes io.genomicsbatch.compute.BootUserData \
      --stack-file "$boot_stack" --cli-key "$work/test-key.asc" "${sets[@]}" --out "$out")
  else
    # GB_BOOT_FROM_PLAN=1: the boot stack's plain plan, its user data as it stands (no test key, no
    # mirror, no settings), e.g. to see the checks fail against older host scripts.
    mkdir -p "$work/plan-project"
    cp "$repo/Pulumi.yaml" "$repo/$boot_stack" "$work/plan-project/"
    (cd "$repo" && java -jar target/genomics-batch.jar plan --stack boot --dir "$work/plan-project" --format json) | python3 -c '
import base64, json, sys
def find(o):
    if isinstance(o, dict):
        if o.get("type", "").endswith("LaunchTemplate") and "userData" in o.get("inputs", {}):
            return o["inputs"]["userData"]
        o = list(o.values())
    if isinstance(o, list):
        for v in o:
            r = find(v)
            if r:
                return r
sys.stdout.buffer.write(base64.b64decode(find(json.load(sys.stdin))))' > "$out"
  fi
}
# The data volume's size in the boot stack (the launch template's /dev/xvdb), for the moto instance.
boot_stack=src/test/resources/stacks/Pulumi.boot.yaml
data_gib=$(sed -n 's/^ *genomics-batch:scratchVolumeGiB: *\([0-9]*\).*/\1/p' "$repo/$boot_stack")
[ -n "$data_gib" ] || { echo "boot-test: no scratchVolumeGiB in $boot_stack" >&2; exit 1; }
[ -f "$repo/target/test-classes/io/genomicsbatch/compute/BootUserData.class" ] || (cd "$repo" && ./mvnw -B -q package -DskipTests)
user_data "$work/user-data.mime" hostBootTimeoutMinutes=10
user_data "$work/user-data-watchdog.mime" hostBootTimeoutMinutes=5

run_one() { # run_one SCENARIO: its result in $work/SCENARIO.out, its exit code in $work/SCENARIO.rc
  local s=$1 ud=$work/user-data.mime
  [ "$s" != watchdog ] || ud=$work/user-data-watchdog.mime
  local rc=0
  python3 "$here/boot_test.py" --image "$image" --user-data "$ud" --work "$work" --gnupghome "$GNUPGHOME" \
    --data-gib "$data_gib" "$s" \
    > "$work/$s.out" 2>&1 || rc=$?
  echo "$rc" > "$work/$s.rc"
}

# Two VMs at a time: each lane takes the next scenario when its VM is done. The watchdog scenario
# runs beside them: once its docker.service hangs its guest idles until the watchdog fires.
lane_list=() pids=()
for s in "${scenarios[@]}"; do
  if [ "$s" = watchdog ]; then
    run_one watchdog &
    pids+=($!)
  else
    lane_list+=("$s")
  fi
done
echo 0 > "$work/queue"
lane() {
  local i
  while :; do
    # shellcheck disable=SC2016 # expanded by the inner bash
    i=$(flock "$work/queue.lock" bash -c 'n=$(cat "$1"); echo $((n + 1)) > "$1"; echo "$n"' _ "$work/queue")
    [ "$i" -lt "${#lane_list[@]}" ] || return 0
    run_one "${lane_list[$i]}"
  done
}
lanes=${GB_BOOT_LANES:-2}
for ((l = 0; l < lanes; l++)); do
  lane &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done

passed=0 failed=0
for s in "${scenarios[@]}"; do
  if [ "$(cat "$work/$s.rc" 2>/dev/null || echo 1)" = 0 ]; then
    passed=$((passed + 1))
    head -n 1 "$work/$s.out"
  else
    failed=$((failed + 1))
    cat "$work/$s.out" 2>/dev/null || echo "boot-test: FAIL $s (no output)"
  fi
done
if [ "$failed" -gt 0 ]; then
  keep=1
  echo "boot-test: logs kept in $work"
fi
echo "boot-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
