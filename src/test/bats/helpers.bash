# Runs the real host user-data scripts in a temporary root (GB_ROOT) with every system command they
# use replaced by a stub on PATH. Each stub logs "name args" to $CALLS, then acts as described below.
# shellcheck shell=bash

# The parts as in the repository, or (GB_PARTS_DIR) as a launch template delivers them: host-checks.sh
# runs the tests on both. The first part is always filled in from its template, with test values.
TEMPLATES="$BATS_TEST_DIRNAME/../../main/resources/io/genomicsbatch/compute"
SRC=${GB_PARTS_DIR:-$TEMPLATES}

# Commands the scripts may run that touch the machine or the cloud: all stubbed, none real.
STUBBED=(systemctl systemd-run shutdown logger blkid sleep dnf pvcreate vgcreate vgextend lvcreate lvextend vgs pvs
  mkfs.xfs xfs_growfs mount mountpoint docker curl gpg unzip aws df ldd)

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
  install_scripts
  host_env 100 3000 250 1000
}

LIB_DIR=/usr/local/lib/genomics-batch

# The scripts where the user data unpacks them, the first part filled in as UserData.java does.
install_scripts() {
  mkdir -p "$GB_ROOT$LIB_DIR"
  cp "$SRC"/lib.sh "$SRC"/[0-9][0-9]-*.sh "$GB_ROOT$LIB_DIR/"
  # Only hosts with a shared file system get its part (shared_fs below).
  rm -f "$GB_ROOT$LIB_DIR/60-shared-fs.sh"
  sed -e 's/@TAG_KEY@/genomics-batch-environment/' -e 's/@TAG_VALUE@/genomics-batch-test/' \
    -e "s/@INITIAL_GIB@/${1:-100}/" -e "s/@IOPS@/${2:-3000}/" -e "s/@THROUGHPUT@/${3:-250}/" -e "s/@MAX_GIB@/${4:-1000}/" \
    -e 's/@MIN_FREE_PERCENT@/15/' -e 's|@ROOT_DEVICE@|/dev/xvda|' -e 's|@EBS_DEVICE@|/dev/xvdb|' \
    -e 's|@DATA_DIR@|/var/lib/genomics-batch/data|' -e 's/@BOOT_TIMEOUT_MINUTES@/30/' \
    -e 's|@CLI_URL@|https://awscli.amazonaws.com|' -e 's/@CLI_VERSION@/2.99.0/' \
    -e 's/@CLI_FINGERPRINT@/FB5DB77FD5C118B80511ADA8A6310ACC4672475C/' -e 's/@CLI_KEY@/(the test key)/' \
    "$TEMPLATES/00-host-env.sh" > "$GB_ROOT$LIB_DIR/00-host-env.sh"
}

# The first part, run as the boot runs it (writes host.env, arms the watchdog).
host_env() {
  install_scripts "$@"
  bash "$GB_ROOT$LIB_DIR/00-host-env.sh"
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
    */meta-data/services/domain) echo amazonaws.com; exit 0 ;;
    */meta-data/iam/security-credentials/) echo genomics-batch-instance-role; exit 0 ;;
    */meta-data/iam/security-credentials/*)
      printf '{\n  "Code" : "Success",\n  "AccessKeyId" : "ASIATESTKEY",\n  "SecretAccessKey" : "test/secret",\n  "Token" : "TESTTOKEN"\n}\n'
      exit 0 ;;
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
    # The AWS CLI bundle's installer, laid out as AWS's (v2/VERSION/bin/aws -> ../dist/aws).
  behaviour unzip <<'B'
dest=${*: -1}
mkdir -p "$dest/aws"
cat > "$dest/aws/install" <<'INSTALL'
#!/bin/bash
echo "aws/install $*" >> "$CALLS"
mkdir -p "$2/v2/2.99.0/dist" "$2/v2/2.99.0/bin" "$4"
printf '#!/bin/sh\necho "aws-cli/${STUB_CLI_VERSION:-2.99.0} Python/3.12.6 Linux/6.1 exe/x86_64.amzn.2023 lib=$LD_LIBRARY_PATH"\n' \
  > "$2/v2/2.99.0/dist/aws"
chmod +x "$2/v2/2.99.0/dist/aws"
ln -sfn ../dist/aws "$2/v2/2.99.0/bin/aws"
ln -sfn "$2/v2/2.99.0" "$2/v2/current"
ln -sf "$2/v2/current/bin/aws" "$4/aws"
INSTALL
chmod +x "$dest/aws/install"
B
  behaviour ldd <<'B'
echo "	libz.so.1 => $GB_ROOT/lib64/libz.so.1 (0x00007f0000000000)"
B
  mkdir -p "$GB_ROOT/lib64" && echo zlib > "$GB_ROOT/lib64/libz.so.1"
  behaviour df <<'B'
echo " 1G-blocks Avail"
echo " ${STUB_DF:-100 50}"
B
  behaviour vgs <<'B'
case " $* " in
  *" vg_free_count "*) echo "  ${STUB_VG_FREE:-0}" ;;
  *) echo "  ${STUB_VG_GIB:-100}.00" ;;
esac
B
  # pvs DEVICE: a physical volume when listed in STUB_PVS.
  behaviour pvs <<'B'
[[ " ${STUB_PVS:-} " == *" ${*: -1} "* ]] || exit 5
B
  # The EC2 API as the growth service uses it. A volume's disk appears (by volume ID, as on Nitro)
  # when it is attached, unless STUB_NO_DISK is set.
  behaviour aws <<'B'
args=" $* "
case $args in
  # The root volume's tags, as the CLI prints JSON (one item per line), aws: tags already left out by --query.
  *" describe-volumes "*" --output json "*)
    if [ -n "${STUB_ROOT_TAGS:-}" ]; then printf '%s\n' "$STUB_ROOT_TAGS"; else cat <<'JSON'
[
    {
        "Key": "genomics-batch-environment",
        "Value": "genomics-batch-test"
    }
]
JSON
    fi ;;
  *" describe-volumes "*) printf "%s\n" "${STUB_ATTACHED:-vol-0root 50 /dev/xvda genomics-batch-test}" ;;
  *" create-volume "*) echo vol-0123456789abcdef0 ;;
  *" attach-volume "*)
    [ -z "${STUB_ATTACH_FAIL:-}" ] || exit 255
    if [ -z "${STUB_NO_DISK:-}" ]; then
      touch "$GB_ROOT/dev/nvme5n1"
      ln -s ../../nvme5n1 "$GB_ROOT/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0"
    fi ;;
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

ebs_data_volume() { # the gp3 data volume as Nitro shows it: an NVMe disk, the udev link /dev/xvdb and its ID's link
  touch "$GB_ROOT/dev/$1"
  ln -s "$1" "$GB_ROOT/dev/xvdb"
  ln -s "../../$1" "$GB_ROOT/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0aaaabbbbccccdddd0"
  ln -s "../../$1" "$GB_ROOT/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0aaaabbbbccccdddd0-ns-1"
}

# One script as the boot runs it: from where the user data unpacks it.
part() { bash "$GB_ROOT$LIB_DIR/$1" "${@:2}"; }

# shared_fs TYPE SOURCE PATH: the shared file system's part, filled in as UserData.java does
# (TYPE nfs4 or lustre).
shared_fs() {
  local options="nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport,_netdev,nofail"
  [ "$1" != lustre ] || options="relatime,flock,_netdev,nofail"
  sed -e "s|@FS_TYPE@|$1|" -e "s|@FS_SOURCE@|$2|" -e "s|@FS_PATH@|$3|" -e "s|@FS_OPTIONS@|$options|" \
    "$TEMPLATES/60-shared-fs.sh" > "$GB_ROOT$LIB_DIR/60-shared-fs.sh"
}
