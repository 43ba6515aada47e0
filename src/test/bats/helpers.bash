# Runs the real host user-data scripts in a temporary root (GB_ROOT) with every system command they
# use replaced by a stub on PATH. Each stub logs "name args" to $CALLS, then acts as described below.
# shellcheck shell=bash

# The parts as in the repository, or (GB_PARTS_DIR) as a launch template delivers them: host-checks.sh
# runs the tests on both. The first part is always filled in from its template, with test values.
TEMPLATES="$BATS_TEST_DIRNAME/../../main/resources/io/genomicsbatch/compute"
SRC=${GB_PARTS_DIR:-$TEMPLATES}

# Commands the scripts may run that touch the machine or the cloud: all stubbed, none real.
STUBBED=(systemctl shutdown logger blkid sleep dnf pvcreate vgcreate vgextend lvcreate lvextend vgs mkfs.xfs
  xfs_growfs mount mountpoint docker curl gpg unzip aws df)

setup_root() {
  export GB_ROOT="$BATS_TEST_TMPDIR/root"
  export STUBS="$BATS_TEST_TMPDIR/stubs"
  export CALLS="$BATS_TEST_TMPDIR/calls.log"
  mkdir -p "$GB_ROOT"/{etc/ecs,dev/disk/by-id,run,var/lib/docker,var/lib/cloud/data,scratch} "$STUBS/behaviour"
  : > "$CALLS"
  : > "$GB_ROOT/dev/console"
  : > "$GB_ROOT/etc/fstab"
  for name in "${STUBBED[@]}"; do
    cat > "$STUBS/$name" <<'STUB'
#!/bin/bash
name=$(basename "$0")
echo "$name $*" >> "$CALLS"
if [ -f "$STUBS/behaviour/$name" ]; then
  # shellcheck source=/dev/null
  . "$STUBS/behaviour/$name"
fi
exit 0
STUB
    chmod +x "$STUBS/$name"
  done
  default_behaviours
  export PATH="$STUBS:/usr/bin:/bin"
  host_env 100 3000 250 1000
}

# The first user-data part, filled in as UserData.java does.
host_env() {
  sed -e 's/@TAG_KEY@/genomics-batch-environment/' -e 's/@TAG_VALUE@/genomics-batch-test/' \
    -e "s/@INITIAL_GIB@/$1/" -e "s/@IOPS@/$2/" -e "s/@THROUGHPUT@/$3/" -e "s/@MAX_GIB@/$4/" \
    -e 's/@MIN_FREE_PERCENT@/15/' -e 's|@EBS_DEVICE@|/dev/xvdb|' -e 's|@DATA_DIR@|/var/lib/genomics-batch/data|' \
    "$TEMPLATES/00-host-env.sh" > "$BATS_TEST_TMPDIR/00-host-env.sh"
  bash "$BATS_TEST_TMPDIR/00-host-env.sh"
}

behaviour() { cat > "$STUBS/behaviour/$1"; }

default_behaviours() {
  behaviour mount <<'B'
echo "${*: -1}" >> "$GB_ROOT/.mounts"
B
  behaviour mountpoint <<'B'
grep -qx -- "${*: -1}" "$GB_ROOT/.mounts" 2>/dev/null || exit 1
B
  behaviour systemctl <<'B'
if [ "$1" = is-active ]; then [[ " ${STUB_ACTIVE:-} " == *" ${*: -1} "* ]] || exit 3; fi
B
  behaviour blkid <<'B'
exit 2
B
  behaviour shutdown <<'B'
touch "$GB_ROOT/.powered-off"
B
  behaviour docker <<'B'
case $1 in
  info) echo "${STUB_DOCKER_ROOT:-/var/lib/docker}" ;;
  ps) [ -z "${STUB_DOCKER_FAIL:-}" ] || exit 1; for c in "$STUBS"/containers/*; do [ -e "$c" ] && basename "$c"; done ;;
  inspect) [ -z "${STUB_DOCKER_FAIL:-}" ] || exit 1; shift 3; for c in "$@"; do cat "$STUBS/containers/$c" || exit 1; done ;;
esac
B
  behaviour curl <<'B'
[ -z "${STUB_CURL_FAIL:-}" ] || exit 22
out=""
while [ $# -gt 0 ]; do
  case $1 in
    -o) out=$2; shift ;;
    */api/token) echo TOKEN; exit 0 ;;
    */meta-data/instance-id) echo i-0123456789abcdef0; exit 0 ;;
    */meta-data/placement/availability-zone) echo us-east-1a; exit 0 ;;
    */meta-data/placement/region) echo us-east-1; exit 0 ;;
  esac
  shift
done
[ -z "$out" ] || echo "download" > "$out"
B
  behaviour gpg <<'B'
if [[ " $* " == *" --verify "* ]]; then
  if [ -n "${STUB_GPG_BAD:-}" ]; then echo "[GNUPG:] BADSIG A6310ACC4672475C AWS CLI Team" >&3; exit 1; fi
  echo "[GNUPG:] GOODSIG A6310ACC4672475C AWS CLI Team <aws-cli@amazon.com>" >&3
  echo "[GNUPG:] VALIDSIG FB5DB77FD5C118B80511ADA8A6310ACC4672475C 2026-11-01 1700000000 0 4 0 1 10 00 FB5DB77FD5C118B80511ADA8A6310ACC4672475C" >&3
fi
B
  # The AWS CLI bundle's installer, as far as these scripts rely on it.
  behaviour unzip <<'B'
dest=${*: -1}
mkdir -p "$dest/aws"
cat > "$dest/aws/install" <<'INSTALL'
#!/bin/bash
echo "aws/install $*" >> "$CALLS"
mkdir -p "$2/v2/2.99.0/bin" "$4"
printf '#!/bin/sh\necho "aws-cli/2.99.0 Python/3.12.6 Linux/6.1 exe/x86_64.amzn.2023"\n' > "$2/v2/2.99.0/bin/aws"
chmod +x "$2/v2/2.99.0/bin/aws"
ln -sfn 2.99.0 "$2/v2/current"
ln -sf "$2/v2/current/bin/aws" "$4/aws"
INSTALL
chmod +x "$dest/aws/install"
B
  behaviour df <<'B'
echo " 1G-blocks Avail"
echo " ${STUB_DF:-100 50}"
B
  behaviour vgs <<'B'
echo "  ${STUB_VG_GIB:-100}.00"
B
  behaviour aws <<'B'
args=" $* "
case $args in
  *" create-volume "*) echo vol-0123456789abcdef0 ;;
  *" attach-volume "*)
    [ -z "${STUB_ATTACH_FAIL:-}" ] || exit 255
    dev=${args#* --device }; dev=${dev%% *}; mkdir -p "$GB_ROOT/dev"; touch "$GB_ROOT$dev" ;;
  *" s3 cp "*) printf '#!/bin/bash\necho "task ran with $*"\n' > "${*: -1}" ;;
esac
B
}

# The calls a stub received, one per line ("name args").
calls() { grep -E "^$1( |$)" "$CALLS" || true; }

# Line number of the first call matching a regular expression (fails the test when absent).
line_of() {
  local n
  n=$(grep -n -E -m1 -- "$1" "$CALLS" | cut -d: -f1)
  [ -n "$n" ] || { echo "no call matching: $1" >&2; cat "$CALLS" >&2; return 1; }
  echo "$n"
}

nvme_disk() { # nvme_disk NAME BY_ID_NAME: a disk and its /dev/disk/by-id link
  touch "$GB_ROOT/dev/$1"
  ln -s "../../$1" "$GB_ROOT/dev/disk/by-id/$2"
}

ebs_data_volume() { # the gp3 data volume as Nitro shows it: an NVMe disk and the udev link /dev/xvdb
  touch "$GB_ROOT/dev/$1"
  ln -s "$1" "$GB_ROOT/dev/xvdb"
}

install_lib() { bash "$SRC/05-host-lib.sh"; }
