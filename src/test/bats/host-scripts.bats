#!/usr/bin/env bats
# The host user-data scripts, run for real in a temporary root with stubbed system commands, from
# where the user data unpacks them (/usr/local/lib/genomics-batch) and in the order lib.sh runs them.

load helpers

setup() {
  setup_root
}

# --- boot: storage, Docker, ECS agent order -------------------------------------------------------

boot() { # the boot as the user data starts it
  bash "$GB_ROOT$LIB_DIR/lib.sh" boot || echo "boot failed: $?" >> "$BATS_TEST_TMPDIR/failed"
}

@test "EBS only: the gp3 data volume becomes one XFS file system under Docker's data root, /scratch and /cromwell_root" {
  ebs_data_volume nvme1n1
  boot
  [ ! -e "$BATS_TEST_TMPDIR/failed" ]
  [ "$(calls pvcreate)" = "pvcreate -y -ff $GB_ROOT/dev/nvme1n1" ]
  [ "$(calls vgcreate)" = "vgcreate -y genomics-batch $GB_ROOT/dev/nvme1n1" ]
  [ "$(calls lvcreate)" = "lvcreate -y -n data -l 100%FREE genomics-batch" ]
  [ "$(calls mkfs.xfs)" = "mkfs.xfs -q /dev/genomics-batch/data" ]
  # nofail: a lost volume must not hold a rebooted host in emergency mode.
  grep -qx "/dev/genomics-batch/data /var/lib/genomics-batch/data xfs defaults,noatime,nofail 0 2" "$GB_ROOT/etc/fstab"
  grep -qx "/var/lib/genomics-batch/data/docker /var/lib/docker none bind,nofail 0 0" "$GB_ROOT/etc/fstab"
  grep -qx "/var/lib/genomics-batch/data/scratch /scratch none bind,nofail 0 0" "$GB_ROOT/etc/fstab"
  grep -qx "/var/lib/genomics-batch/data/cromwell_root /cromwell_root none bind,nofail 0 0" "$GB_ROOT/etc/fstab"
  [ "$(cat "$GB_ROOT/.mounts")" = "$(printf '/var/lib/genomics-batch/data\n/var/lib/docker\n/scratch\n/cromwell_root')" ]
  [ "$(stat -c %a "$GB_ROOT/var/lib/genomics-batch/data/scratch")" = 1777 ]
  [ "$(stat -c %a "$GB_ROOT/var/lib/genomics-batch/data/scratch/tasks")" = 1777 ]   # the tasks' shared /tmp
  [ -z "$(calls dnf)" ]            # lvm2 present (stubbed): nothing installed
  [ ! -e "$GB_ROOT/.powered-off" ]
  [ ! -s "$GB_ROOT/var/lib/genomics-batch/spare-volume" ]
  # After a reboot Docker needs the storage check, which powers off a host whose storage is gone.
  grep -qx "RequiredBy=docker.service" "$GB_ROOT/etc/systemd/system/genomics-batch-storage.service"
  # Through bash: the unpacked lib.sh has no execute bit.
  grep -qx "ExecStart=/bin/bash /usr/local/lib/genomics-batch/lib.sh storage" "$GB_ROOT/etc/systemd/system/genomics-batch-storage.service"
  [ "$(line_of '^systemctl enable genomics-batch-storage.service$')" -lt "$(line_of '^systemctl start docker.service$')" ]
  # Every part reported its time on the console.
  for part in 00-host-env.sh 10-ecs-agent.sh 20-host-storage.sh 30-host-tools.sh 40-storage-growth.sh \
    50-scratch-cleanup.sh 90-release-ecs.sh; do
    grep -qE "^genomics-batch: $part done in [0-9]+ s$" "$GB_ROOT/dev/console"
  done
}

@test "NVMe present: all instance-store disks striped, the gp3 volume kept as the spare, recorded by volume ID" {
  nvme_disk nvme1n1 nvme-Amazon_EC2_NVMe_Instance_Storage_AWS1111
  nvme_disk nvme2n1 nvme-Amazon_EC2_NVMe_Instance_Storage_AWS2222
  ln -s ../../nvme1n1 "$GB_ROOT/dev/disk/by-id/nvme-Amazon_EC2_NVMe_Instance_Storage_AWS1111_1"
  ebs_data_volume nvme3n1
  boot
  [ ! -e "$BATS_TEST_TMPDIR/failed" ]
  [ "$(calls pvcreate)" = "pvcreate -y -ff $GB_ROOT/dev/nvme1n1 $GB_ROOT/dev/nvme2n1" ]
  [ "$(calls lvcreate)" = "lvcreate -y -n data -l 100%FREE -i 2 -I 256k genomics-batch" ]
  # Kernel names change across reboots; the volume ID does not.
  [ "$(cat "$GB_ROOT/var/lib/genomics-batch/spare-volume")" = vol-0aaaabbbbccccdddd0 ]
  [ ! -e "$GB_ROOT/.powered-off" ]
}

@test "NVMe present without the gp3 volume: no spare, and the host still comes up" {
  nvme_disk nvme1n1 nvme-Amazon_EC2_NVMe_Instance_Storage_AWS1111
  boot
  [ ! -e "$BATS_TEST_TMPDIR/failed" ]
  [ "$(calls pvcreate)" = "pvcreate -y -ff $GB_ROOT/dev/nvme1n1" ]
  [ ! -s "$GB_ROOT/var/lib/genomics-batch/spare-volume" ]
  [ ! -e "$GB_ROOT/.powered-off" ]
  [ -e "$GB_ROOT/run/genomics-batch/ready" ]
}

@test "lvm2 missing: installed from the OS repositories before use, with bounded retries" {
  ebs_data_volume nvme1n1
  rm "$STUBS/lvcreate"
  printf '#!/bin/bash\necho "lvcreate $*" >> "$CALLS"\n' > "$BATS_TEST_TMPDIR/lvcreate"
  behaviour dnf <<'B'
cp "$BATS_TEST_TMPDIR/lvcreate" "$STUBS/lvcreate"; chmod +x "$STUBS/lvcreate"
B
  part 20-host-storage.sh
  [ "$(line_of '^dnf install -y -q --setopt=retries=3 --setopt=timeout=30 lvm2$')" -lt "$(line_of '^lvcreate ')" ]
}

@test "Docker is stopped, moved onto the data storage and restarted before the ECS agent may start" {
  ebs_data_volume nvme1n1
  mkdir -p "$GB_ROOT/var/lib/docker/image" && echo state > "$GB_ROOT/var/lib/docker/image/repositories.json"
  export STUB_ACTIVE="ecs.service docker.service"
  boot
  [ ! -e "$BATS_TEST_TMPDIR/failed" ]
  hold=$(line_of '^systemctl daemon-reload$')
  ecs_stop=$(line_of '^systemctl stop ecs.service$')
  socket_stop=$(line_of '^systemctl stop docker.socket$')
  docker_stop=$(line_of '^systemctl stop docker.service$')
  mount_docker=$(line_of '^mount /var/lib/docker$')
  docker_start=$(line_of '^systemctl start docker.service$')
  ecs_start=$(line_of '^systemctl start --no-block ecs.service$')
  [ "$hold" -lt "$ecs_stop" ]
  [ "$ecs_stop" -lt "$socket_stop" ]
  [ "$socket_stop" -lt "$docker_stop" ]
  [ "$docker_stop" -lt "$mount_docker" ]
  [ "$mount_docker" -lt "$docker_start" ]
  [ "$docker_start" -lt "$ecs_start" ]
  # The agent is started once, as the very last thing, and only after the AWS CLI was installed.
  [ "$(calls systemctl | grep -c ecs.service)" -eq 3 ]   # is-active, stop, start
  [ "$(line_of 'aws/install')" -lt "$ecs_start" ]
  [ "$ecs_start" -eq "$(grep -n '^systemctl ' "$CALLS" | tail -n 1 | cut -d: -f1)" ]
  # Until ready exists, systemd skips ecs.service (also the start queued by the boot itself).
  grep -qx 'ConditionPathExists=/run/genomics-batch/ready' "$GB_ROOT/run/systemd/system/ecs.service.d/50-genomics-batch.conf"
  [ -e "$GB_ROOT/run/genomics-batch/ready" ]
  # What Docker had written is kept on the data storage.
  [ "$(cat "$GB_ROOT/var/lib/genomics-batch/data/docker/image/repositories.json")" = state ]
}

@test "watchdog: armed by the first part, from boot, for hostBootTimeoutMinutes; disarmed on release" {
  ebs_data_volume nvme1n1
  : > "$CALLS"
  boot
  [ ! -e "$BATS_TEST_TMPDIR/failed" ]
  [ "$(calls systemd-run)" = "systemd-run --quiet --unit=genomics-batch-watchdog --on-boot=30min /bin/bash /usr/local/lib/genomics-batch/lib.sh watchdog" ]
  [ "$(line_of '^systemd-run ')" -lt "$(line_of '^pvcreate ')" ]
  [ "$(line_of '^systemctl stop genomics-batch-watchdog.timer$')" -lt "$(line_of '^systemctl start --no-block ecs.service$')" ]
  # Fired after the release, it does nothing.
  run bash "$GB_ROOT$LIB_DIR/lib.sh" watchdog
  [ "$status" -eq 0 ]
  [ ! -e "$GB_ROOT/.powered-off" ]
}

@test "watchdog: fired before the release, it names itself, puts the metric and forces the power-off" {
  run bash "$GB_ROOT$LIB_DIR/lib.sh" watchdog
  [ "$status" -ne 0 ]
  grep -q "provisioning failed: boot watchdog: the ECS agent was not released within 30 minutes" "$GB_ROOT/dev/console"
  calls systemctl | grep -qx "systemctl poweroff --force"
  [ -z "$(calls shutdown)" ]
  calls curl | grep -q "MetricName=ProvisioningFailed"
}

@test "a failure puts the ProvisioningFailed metric, signed with the instance role, before powering off" {
  boot
  [ -e "$GB_ROOT/.powered-off" ]
  metric=$(calls curl | grep -- '--aws-sigv4')
  [[ $metric == *"--aws-sigv4 aws:amz:us-east-1:monitoring --user ASIATESTKEY:test/secret -H x-amz-security-token: TESTTOKEN"* ]]
  [[ $metric == *"-d Namespace=GenomicsBatch"* ]]
  [[ $metric == *"-d MetricData.member.1.MetricName=ProvisioningFailed"* ]]
  [[ $metric == *"-d MetricData.member.1.Dimensions.member.1.Name=Environment -d MetricData.member.1.Dimensions.member.1.Value=genomics-batch-test"* ]]
  [[ $metric == *" https://monitoring.us-east-1.amazonaws.com/" ]]
  [ "$(line_of -- '--aws-sigv4')" -lt "$(line_of '^shutdown ')" ]
}

@test "every network call is bounded: connect and total timeouts, a few retries" {
  ebs_data_volume nvme1n1
  boot
  [ -n "$(calls curl)" ]
  ! calls curl | grep -v -- "--connect-timeout 10 --max-time 600 --retry 3 --retry-max-time 900"
}

@test "data volume missing: the host logs why and shuts down, and never releases the ECS agent" {
  boot
  [ -e "$GB_ROOT/.powered-off" ]
  grep -q "provisioning failed: no data storage: no NVMe instance storage and /dev/xvdb never appeared" "$GB_ROOT/dev/console"
  calls logger | grep -q "user.crit provisioning failed: no data storage"
  [ -z "$(calls pvcreate)" ]
  [ -z "$(calls systemctl | grep docker)" ]
  [ -z "$(calls systemctl | grep 'start --no-block ecs')" ]
  [ ! -e "$GB_ROOT/run/genomics-batch/ready" ]
  [ -e "$BATS_TEST_TMPDIR/failed" ]
  [ "$(calls shutdown | wc -l)" -eq 1 ]     # once, not again by the runner
}

@test "a part that fails without calling fail (00, 10) still ends provisioning" {
  ebs_data_volume nvme1n1
  chmod a-w "$GB_ROOT/etc/ecs" && rm -rf "$GB_ROOT/etc/ecs" && touch "$GB_ROOT/etc/ecs"   # ecs.config cannot be written
  boot
  [ -e "$GB_ROOT/.powered-off" ]
  grep -q "provisioning failed: 10-ecs-agent.sh exited with status 1" "$GB_ROOT/dev/console"
  [ -z "$(calls pvcreate)" ]
  [ ! -e "$GB_ROOT/run/genomics-batch/ready" ]
}

@test "Docker not on the data storage: the host shuts down" {
  ebs_data_volume nvme1n1
  export STUB_DOCKER_ROOT=/var/lib/docker-elsewhere
  run part 20-host-storage.sh
  [ "$status" -ne 0 ]
  [ -e "$GB_ROOT/.powered-off" ]
  grep -q "Docker's data root is /var/lib/docker-elsewhere" "$GB_ROOT/dev/console"
}

@test "after a reboot: the storage check passes on the data storage and powers off without it" {
  echo /var/lib/docker > "$GB_ROOT/.mounts"
  echo /scratch >> "$GB_ROOT/.mounts"
  echo /cromwell_root >> "$GB_ROOT/.mounts"
  run bash "$GB_ROOT$LIB_DIR/lib.sh" storage
  [ "$status" -eq 0 ]
  [ ! -e "$GB_ROOT/.powered-off" ]
  sed -i '/scratch/d' "$GB_ROOT/.mounts"
  run bash "$GB_ROOT$LIB_DIR/lib.sh" storage
  [ "$status" -ne 0 ]
  [ -e "$GB_ROOT/.powered-off" ]
  grep -q "provisioning failed: /scratch is not on the data storage" "$GB_ROOT/dev/console"
}

# --- tools the engines mount ----------------------------------------------------------------------

@test "AWS CLI: the pinned version from awsCliUrl, signature checked against the key in host.env, installed where engines look" {
  part 30-host-tools.sh
  [ ! -e "$GB_ROOT/.powered-off" ]
  calls curl | grep -q -- "--proto =https -o .*/awscliv2.zip https://awscli.amazonaws.com/awscli-exe-linux-$(uname -m)-2.99.0.zip$"
  calls curl | grep -q -- "--proto =https -o .*/awscliv2.zip.sig https://awscli.amazonaws.com/awscli-exe-linux-$(uname -m)-2.99.0.zip.sig$"
  calls gpg | grep -q -- "--import $GB_ROOT/etc/genomics-batch/aws-cli.asc$"
  [ "$(cat "$GB_ROOT/etc/genomics-batch/aws-cli.asc")" = "(the test key)" ]
  [ "$(line_of '^gpg .*--verify')" -lt "$(line_of '^unzip ')" ]
  calls aws/install | grep -qx "aws/install --install-dir $GB_ROOT/usr/local/aws-cli --bin-dir $GB_ROOT/usr/local/aws-cli/bin --update"
  # Cromwell's path, and Nextflow's cliPath (whose grandparent, /usr/local/aws-cli, holds the whole CLI)
  [ "$(readlink "$GB_ROOT/usr/local/bin/aws")" = /usr/local/aws-cli/bin/aws ]
  [ -x "$GB_ROOT/usr/local/bin/fetch_and_run.sh" ]
  [ "$(cat "$GB_ROOT/var/lib/cloud/data/instance-id")" = i-0123456789abcdef0 ]
}

@test "AWS CLI: a wrapper gives the bundle the host's libz where a task image has none, at both engines' paths" {
  part 30-host-tools.sh
  [ "$(cat "$GB_ROOT/usr/local/aws-cli/lib/libz.so.1")" = zlib ]
  wrapper=$GB_ROOT/usr/local/aws-cli/v2/current/bin/aws
  [ ! -L "$wrapper" ]
  # (On a host GB_ROOT is empty: /usr/local/aws-cli/lib and /usr/local/aws-cli/v2/current/dist/aws.)
  grep -q "LD_LIBRARY_PATH=\${LD_LIBRARY_PATH:+\$LD_LIBRARY_PATH:}$GB_ROOT/usr/local/aws-cli/lib exec $GB_ROOT/usr/local/aws-cli/v2/current/dist/aws \"\$@\"" "$wrapper"
  # Only where the task image has no libz of its own is the host's used.
  [[ $("$wrapper" --version) == *" lib=$GB_ROOT/usr/local/aws-cli/lib" ]]
  [[ $(LD_LIBRARY_PATH=/opt/lib "$wrapper" --version) == *" lib=/opt/lib:$GB_ROOT/usr/local/aws-cli/lib" ]]
  # The boot checked both paths report the pinned version (through the wrapper, by absolute path).
  [ "$(readlink "$GB_ROOT/usr/local/aws-cli/bin/aws")" = "$GB_ROOT/usr/local/aws-cli/v2/current/bin/aws" ]
}

@test "AWS CLI: another version than the pinned one shuts the host down" {
  export STUB_CLI_VERSION=2.98.0
  run part 30-host-tools.sh
  [ "$status" -ne 0 ]
  [ -e "$GB_ROOT/.powered-off" ]
  grep -q 'reports "aws-cli/2.98.0 .*", not 2.99.0' "$GB_ROOT/dev/console"
}

@test "AWS CLI: a bad signature shuts the host down before anything is unpacked" {
  export STUB_GPG_BAD=1
  run part 30-host-tools.sh
  [ "$status" -ne 0 ]
  [ -e "$GB_ROOT/.powered-off" ]
  grep -q "is not signed by the key FB5DB77FD5C118B80511ADA8A6310ACC4672475C" "$GB_ROOT/dev/console"
  [ -z "$(calls unzip)" ]
  [ ! -e "$GB_ROOT/usr/local/aws-cli" ]
  run part 90-release-ecs.sh
  [ -z "$(calls systemctl | grep 'start --no-block ecs')" ]
}

@test "AWS CLI: a failed download shuts the host down" {
  export STUB_CURL_FAIL=1
  run part 30-host-tools.sh
  [ "$status" -ne 0 ]
  [ -e "$GB_ROOT/.powered-off" ]
  grep -q "provisioning failed: downloading the AWS CLI 2.99.0" "$GB_ROOT/dev/console"
}

@test "fetch_and_run.sh runs the task script Cromwell put in S3, with the host's AWS CLI" {
  part 30-host-tools.sh
  BATCH_FILE_TYPE=script BATCH_FILE_S3_URL=s3://cromwell-scripts/abc123 run "$GB_ROOT/usr/local/bin/fetch_and_run.sh" one two
  [ "$status" -eq 0 ]
  [ "$output" = "task ran with one two" ]
  calls aws | grep -q "^aws s3 cp --only-show-errors s3://cromwell-scripts/abc123 "
  BATCH_FILE_S3_URL=https://example.org/x run "$GB_ROOT/usr/local/bin/fetch_and_run.sh"
  [ "$status" -eq 2 ]
  if command -v shellcheck >/dev/null; then shellcheck "$GB_ROOT/usr/local/bin/fetch_and_run.sh"; fi
}

# --- storage growth ------------------------------------------------------------------------------

grow() {
  mkdir -p "$GB_ROOT/var/lib/genomics-batch"
  part 40-storage-growth.sh check
}

@test "growth: below the free-space threshold, a tagged encrypted gp3 volume is created, attached and added by volume ID" {
  export STUB_DF="100 10" STUB_VG_GIB=100
  run grow
  [ "$status" -eq 0 ]
  [ "$(calls aws | grep -c create-volume)" -eq 1 ]
  calls aws | grep -q '^aws --region us-east-1 ec2 create-volume --availability-zone us-east-1a --volume-type gp3 --size 100 --iops 3000 --throughput 250 --encrypted .*--tag-specifications \[{"ResourceType":"volume","Tags":\[    {        "Key": "genomics-batch-environment",        "Value": "genomics-batch-test"    }\]}\]$'
  calls aws | grep -q "attach-volume --volume-id vol-0123456789abcdef0 --instance-id i-0123456789abcdef0 --device /dev/xvdc$"
  calls aws | grep -q 'modify-instance-attribute --instance-id i-0123456789abcdef0 --block-device-mappings \[{"DeviceName":"/dev/xvdc","Ebs":{"DeleteOnTermination":true}}\]'
  # The disk is the one whose link names the volume, whatever the kernel called it.
  [ "$(calls pvcreate)" = "pvcreate -y $GB_ROOT/dev/nvme5n1" ]
  [ "$(calls vgextend)" = "vgextend -y genomics-batch $GB_ROOT/dev/nvme5n1" ]
  [ "$(calls lvextend)" = "lvextend -i 1 -l +100%FREE genomics-batch/data" ]
  [ "$(calls xfs_growfs)" = "xfs_growfs /var/lib/genomics-batch/data" ]
  [ "$(line_of 'attach-volume')" -lt "$(line_of '^pvcreate')" ]
  [ ! -e "$GB_ROOT/var/lib/genomics-batch/pending-volume" ]
  [ -z "$(calls aws | grep -E 'detach-volume|delete-volume')" ]
}

@test "growth: the new volume carries the root volume's tags (the launch template's), without AWS's own" {
  export STUB_DF="100 10" STUB_VG_GIB=100
  export STUB_ROOT_TAGS='[{"Key": "Lab", "Value": "sequencing core / Zürich"}, {"Key": "Cost Center", "Value": ""},
 {"Key": "genomics-batch-environment", "Value": "genomics-batch-test"}]'
  run grow
  [ "$status" -eq 0 ]
  # The root volume's tags, asked for on this instance's root device, aws: ones filtered out by the query.
  calls aws | grep -qF "ec2 describe-volumes --filters Name=attachment.instance-id,Values=i-0123456789abcdef0 --output json --query Volumes[?Attachments[0].Device=='/dev/xvda']|[0].Tags[?!starts_with(Key,'aws:')]"
  [ "$(line_of 'output json')" -lt "$(line_of 'create-volume')" ]
  # Passed on as JSON, whatever the keys and values hold (spaces, '/', non-ASCII letters, empty values).
  spec=$(calls aws | grep create-volume | sed 's/.*--tag-specifications //')
  [ "$spec" = '[{"ResourceType":"volume","Tags":[{"Key": "Lab", "Value": "sequencing core / Zürich"}, {"Key": "Cost Center", "Value": ""}, {"Key": "genomics-batch-environment", "Value": "genomics-batch-test"}]}]' ]
}

@test "growth: when the root volume's tags cannot be read, no volume is created" {
  export STUB_DF="100 10" STUB_VG_GIB=100
  behaviour aws <<'B'
case " $* " in
  *" --output json "*) exit 255 ;;
  *" describe-volumes "*) echo "vol-0root 50 /dev/xvda genomics-batch-test" ;;
esac
B
  run grow
  [ "$status" -ne 0 ]
  [ -z "$(calls aws | grep create-volume)" ]
}

@test "growth: the next free device name is taken from what is attached" {
  export STUB_DF="100 10" STUB_VG_GIB=100
  export STUB_ATTACHED=$'vol-0root 50 /dev/xvda genomics-batch-test\nvol-0data 100 /dev/xvdb genomics-batch-test\nvol-0other 10 /dev/xvdc None'
  export STUB_PVS="$GB_ROOT/dev/nvme1n1"
  ln -s ../../nvme1n1 "$GB_ROOT/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0data"
  touch "$GB_ROOT/dev/nvme1n1"
  run grow
  [ "$status" -eq 0 ]
  calls aws | grep -q "attach-volume .* --device /dev/xvdd$"
}

@test "growth: doubles the storage but never past the cap" {
  export STUB_DF="800 20" STUB_VG_GIB=800
  run grow
  [ "$status" -eq 0 ]
  calls aws | grep -q "create-volume .* --size 200 "
}

@test "growth: at the cap nothing is created, and the log says why" {
  export STUB_DF="1000 5" STUB_VG_GIB=1000
  run grow
  [ "$status" -eq 0 ]
  [ -z "$(calls aws | grep create-volume)" ]
  [ -z "$(calls pvcreate)" ]
  [[ $output == *"at the cap of 1000 GiB: not growing"* ]]
}

@test "growth: this environment's attached volumes outside the storage count toward the cap" {
  # 600 GiB in the storage, and a 500 GiB volume of this environment attached but never added
  # (a failed earlier attempt): 1100 of the 1000 GiB cap, so nothing more is created.
  export STUB_DF="600 5" STUB_VG_GIB=600
  export STUB_ATTACHED=$'vol-0root 50 /dev/xvda genomics-batch-test\nvol-0leak 500 /dev/xvdf genomics-batch-test\nvol-0else 900 /dev/xvdg someone-else'
  run grow
  [ "$status" -eq 0 ]
  [ -z "$(calls aws | grep create-volume)" ]
  [[ $output == *"at the cap of 1000 GiB"* ]]
  # The same leak found as a physical volume of the storage is not counted twice.
  export STUB_PVS="$GB_ROOT/dev/nvme6n1"
  touch "$GB_ROOT/dev/nvme6n1"
  ln -s ../../nvme6n1 "$GB_ROOT/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0leak"
  rm -f "$GB_ROOT/var/lib/genomics-batch/at-cap"
  run grow
  [ "$status" -eq 0 ]
  calls aws | grep -q "create-volume .* --size 400 "
}

@test "growth: with enough free space nothing happens" {
  export STUB_DF="100 40"
  run grow
  [ "$status" -eq 0 ]
  [ -z "$(calls aws)" ]
  [ -z "$(calls curl)" ]
}

@test "growth: free extents left by an interrupted growth are used before anything is created" {
  export STUB_DF="100 1" STUB_VG_FREE=2559
  run grow
  [ "$status" -eq 0 ]
  [ "$(calls lvextend)" = "lvextend -i 1 -l +100%FREE genomics-batch/data" ]
  [ -z "$(calls aws)" ]
}

@test "growth: on NVMe hosts the spare gp3 volume is added first, found by its volume ID, without any API call" {
  export STUB_DF="100 1"
  mkdir -p "$GB_ROOT/var/lib/genomics-batch"
  ebs_data_volume nvme7n1
  rm "$GB_ROOT/dev/xvdb"    # kernel and device names aside: the ID's link finds it
  echo vol-0aaaabbbbccccdddd0 > "$GB_ROOT/var/lib/genomics-batch/spare-volume"
  run grow
  [ "$status" -eq 0 ]
  [ "$(calls pvcreate)" = "pvcreate -y $GB_ROOT/dev/nvme7n1" ]
  [ -z "$(calls aws)" ]
  [ ! -s "$GB_ROOT/var/lib/genomics-batch/spare-volume" ]
}

@test "growth: a volume that cannot be attached is detached if need be and deleted, and nothing is added" {
  export STUB_DF="100 1" STUB_ATTACH_FAIL=1
  run grow
  [ "$status" -ne 0 ]
  [ "$(line_of 'detach-volume --volume-id vol-0123456789abcdef0')" -lt "$(line_of 'delete-volume --volume-id vol-0123456789abcdef0')" ]
  [ -z "$(calls pvcreate)" ]
  [ ! -e "$GB_ROOT/var/lib/genomics-batch/pending-volume" ]
  [ ! -e "$GB_ROOT/.powered-off" ]   # a running host keeps running; its jobs may still fit
}

@test "growth: an attached volume whose disk never appears is detached and deleted" {
  export STUB_DF="100 1" STUB_NO_DISK=1 GB_DEVICE_WAIT=3
  run grow
  [ "$status" -ne 0 ]
  calls aws | grep -q "attach-volume --volume-id vol-0123456789abcdef0"
  [ "$(line_of 'detach-volume --volume-id vol-0123456789abcdef0')" -lt "$(line_of 'delete-volume --volume-id vol-0123456789abcdef0')" ]
  [ "$(calls sleep | wc -l)" -eq 3 ]
  [[ $output == *"vol-0123456789abcdef0 is attached as /dev/xvdc, but its disk never appeared"* ]]
  [ -z "$(calls pvcreate)" ]
  [ ! -e "$GB_ROOT/var/lib/genomics-batch/pending-volume" ]
}

@test "growth: a volume left pending by a killed check is deleted by the next one first" {
  export STUB_DF="100 1"
  mkdir -p "$GB_ROOT/var/lib/genomics-batch"
  echo vol-0leftover00000000 > "$GB_ROOT/var/lib/genomics-batch/pending-volume"
  run grow
  [ "$status" -eq 0 ]
  [ "$(line_of 'delete-volume --volume-id vol-0leftover00000000')" -lt "$(line_of 'create-volume')" ]
  [ "$(calls pvcreate)" = "pvcreate -y $GB_ROOT/dev/nvme5n1" ]
  [ ! -e "$GB_ROOT/var/lib/genomics-batch/pending-volume" ]
}

@test "growth: failed checks back off exponentially, a good one resets the wait" {
  behaviour sleep <<'B'
n=$(cat "$BATS_TEST_TMPDIR/sleeps" 2>/dev/null | wc -l)
if [ "$n" -ge 6 ]; then kill "$PPID"; exit 0; fi
echo "$1" >> "$BATS_TEST_TMPDIR/sleeps"
B
  # check fails four times, then succeeds; the seventh sleep ends the loop.
  cat > "$GB_ROOT$LIB_DIR/fake-check" <<'C'
#!/bin/bash
n=$(cat "$BATS_TEST_TMPDIR/checks" 2>/dev/null || echo 0); echo $((n + 1)) > "$BATS_TEST_TMPDIR/checks"
[ "$n" -ge 4 ]
C
  chmod +x "$GB_ROOT$LIB_DIR/fake-check"
  sed -i "s|if \"\$0\" check; then|if \"$GB_ROOT$LIB_DIR/fake-check\"; then|" "$GB_ROOT$LIB_DIR/40-storage-growth.sh"
  GB_GROW_INTERVAL=20 run timeout 20 bash -c "bash '$GB_ROOT$LIB_DIR/40-storage-growth.sh' run; true"
  [ "$(tr '\n' ' ' < "$BATS_TEST_TMPDIR/sleeps")" = "40 80 160 320 20 20 " ]
  [[ $output == *"growth failed; next try in 320 s"* ]]
}

@test "growth service: installed and started by the boot" {
  part 40-storage-growth.sh
  [ -x "$GB_ROOT/usr/local/sbin/genomics-batch-grow" ]
  grep -qx "ExecStart=/usr/local/sbin/genomics-batch-grow run" "$GB_ROOT/etc/systemd/system/genomics-batch-grow.service"
  calls systemctl | grep -qx "systemctl enable genomics-batch-grow.service"
  calls systemctl | grep -qx "systemctl start --no-block genomics-batch-grow.service"
}

# --- scratch cleanup by job liveness (issue 12.2) -------------------------------------------------

RUNNING=11111111-2222-4333-8444-555555555555
FINISHED=66666666-7777-4888-9999-aaaaaaaaaaaa
ARRAY=bbbbbbbb-cccc-4ddd-8eee-ffffffffffff

container() { # container ID AWS_BATCH_JOB_ID
  mkdir -p "$STUBS/containers"
  printf 'PATH=/usr/bin\nAWS_BATCH_JOB_ID=%s\nAWS_BATCH_CE_NAME=ce\n' "$2" > "$STUBS/containers/$1"
}

job_dir() { # job_dir NAME: a job directory with a file last touched 10 days ago
  mkdir -p "$GB_ROOT/scratch/$1"
  echo data > "$GB_ROOT/scratch/$1/reference.fa"
  touch -d '10 days ago' "$GB_ROOT/scratch/$1/reference.fa" "$GB_ROOT/scratch/$1"
}

cleanup() { part 50-scratch-cleanup.sh run; }

@test "scratch cleanup: a running job's old file survives, a finished job's directory is removed" {
  job_dir "$RUNNING"
  job_dir "$FINISHED"
  container c1 "$RUNNING"
  run cleanup
  [ "$status" -eq 0 ]
  [ -f "$GB_ROOT/scratch/$RUNNING/reference.fa" ]
  [ ! -e "$GB_ROOT/scratch/$FINISHED" ]
}

@test "scratch cleanup: array children are told apart by index; other directories are never touched" {
  job_dir "$ARRAY:3"
  job_dir "$ARRAY:4"
  job_dir "$ARRAY"
  job_dir shared-reference
  container c1 "$ARRAY:3"
  run cleanup
  [ "$status" -eq 0 ]
  [ -d "$GB_ROOT/scratch/$ARRAY:3" ]
  [ ! -e "$GB_ROOT/scratch/$ARRAY:4" ]
  [ -d "$GB_ROOT/scratch/$ARRAY" ]          # the parent's directory while a child runs
  [ -f "$GB_ROOT/scratch/shared-reference/reference.fa" ]
}

@test "scratch cleanup: multi-node parallel nodes (<id>#<node>) are told apart like array children" {
  job_dir "$ARRAY#0"
  job_dir "$ARRAY#1"
  container c1 "$ARRAY#0"
  run cleanup
  [ "$status" -eq 0 ]
  [ -d "$GB_ROOT/scratch/$ARRAY#0" ]
  [ ! -e "$GB_ROOT/scratch/$ARRAY#1" ]
}

proc() { # proc PID CWD [OPEN_FILE]: a process as /proc shows it from the host
  mkdir -p "$GB_ROOT/proc/$1/fd"
  ln -s "$2" "$GB_ROOT/proc/$1/cwd"
  if [ -n "${3:-}" ]; then ln -s "$3" "$GB_ROOT/proc/$1/fd/3"; fi
}

@test "scratch cleanup: ended tasks' leftovers in the tasks' /tmp go while other tasks run; used and new entries stay" {
  mkdir -p "$GB_ROOT/scratch/tasks/"{nxf.ended,nxf.running,nxf.open,nxf.hostside,.fusion}
  echo partial > "$GB_ROOT/scratch/tasks/nxf.ended/sorted.bam"
  echo index > "$GB_ROOT/scratch/tasks/ref.idx"
  touch -d '1 hour ago' "$GB_ROOT/scratch/tasks/"{nxf.ended,nxf.ended/sorted.bam,nxf.running,nxf.open,nxf.hostside,.fusion,ref.idx}
  mkdir "$GB_ROOT/scratch/tasks/nxf.just-started"
  container c1 "$RUNNING"
  proc 101 /tmp/nxf.running/work                      # a task container: its /tmp is /scratch/tasks
  proc 102 / /tmp/nxf.open/reads.fq                   # a process with a file open there
  proc 103 /scratch/tasks/nxf.hostside                # seen by its host path
  run cleanup
  [ "$status" -eq 0 ]
  [ ! -e "$GB_ROOT/scratch/tasks/nxf.ended" ]
  [ ! -e "$GB_ROOT/scratch/tasks/.fusion" ]
  [ ! -e "$GB_ROOT/scratch/tasks/ref.idx" ]
  [ -d "$GB_ROOT/scratch/tasks/nxf.running" ]
  [ -d "$GB_ROOT/scratch/tasks/nxf.open" ]
  [ -d "$GB_ROOT/scratch/tasks/nxf.hostside" ]
  [ -d "$GB_ROOT/scratch/tasks/nxf.just-started" ]
  [[ $output == *"removed /scratch/tasks/nxf.ended: no task uses it"* ]]
}

@test "scratch cleanup: a task's entry with a recent change stays even if no process is seen in it" {
  mkdir -p "$GB_ROOT/scratch/tasks/nxf.busy/deep"
  touch -d '1 hour ago' "$GB_ROOT/scratch/tasks/nxf.busy"
  echo new > "$GB_ROOT/scratch/tasks/nxf.busy/deep/chunk"
  run cleanup
  [ "$status" -eq 0 ]
  [ -f "$GB_ROOT/scratch/tasks/nxf.busy/deep/chunk" ]
}

@test "scratch cleanup: when Docker cannot be asked, nothing is removed" {
  job_dir "$RUNNING"
  job_dir "$FINISHED"
  export STUB_DOCKER_FAIL=1
  run cleanup
  [ "$status" -ne 0 ]
  [ -d "$GB_ROOT/scratch/$RUNNING" ]
  [ -d "$GB_ROOT/scratch/$FINISHED" ]
  [[ $output == *"removing nothing"* ]]
}

@test "scratch cleanup: installed as a timer, not a tmpfiles age rule" {
  part 50-scratch-cleanup.sh
  grep -qx "ExecStart=/usr/local/sbin/genomics-batch-scratch-cleanup run" \
    "$GB_ROOT/etc/systemd/system/genomics-batch-scratch-cleanup.service"
  grep -qx "OnUnitActiveSec=10min" "$GB_ROOT/etc/systemd/system/genomics-batch-scratch-cleanup.timer"
  calls systemctl | grep -qx "systemctl enable genomics-batch-scratch-cleanup.timer"
  [ ! -e "$GB_ROOT/etc/tmpfiles.d" ]
}

# --- the shared file system (sharedFileSystem) ------------------------------------------------------

EFS_SOURCE=fs-0123456789abcdef0.efs.us-east-1.amazonaws.com:/
LUSTRE_SOURCE=fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com@tcp:/abcdefgh

@test "shared file system: only hosts of a stack with one get its part" {
  [ ! -e "$GB_ROOT$LIB_DIR/60-shared-fs.sh" ]
  ebs_data_volume nvme1n1
  boot
  [ ! -e "$BATS_TEST_TMPDIR/failed" ]
  ! grep -q /mnt/shared "$GB_ROOT/etc/fstab"
}

@test "shared file system: EFS mounted over NFS 4.1 with AWS's options before the ECS agent may start" {
  ebs_data_volume nvme1n1
  shared_fs nfs4 "$EFS_SOURCE" /mnt/shared
  boot
  [ ! -e "$BATS_TEST_TMPDIR/failed" ]
  grep -qx "$EFS_SOURCE /mnt/shared nfs4 nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport,_netdev,nofail 0 0" "$GB_ROOT/etc/fstab"
  [ -d "$GB_ROOT/mnt/shared" ]
  calls mount | grep -qx "mount /mnt/shared"
  grep -qx /mnt/shared "$GB_ROOT/.mounts"
  # After a reboot Docker (so the ECS agent) waits for the mount, and does not start without it.
  [ "$(cat "$GB_ROOT/etc/systemd/system/docker.service.d/60-shared-fs.conf")" = "$(printf '[Unit]\nRequiresMountsFor=/mnt/shared')" ]
  # The NFS client comes from the OS repositories when the AMI lacks it, with bounded retries.
  [ "$(calls dnf)" = "dnf install -y -q --setopt=retries=3 --setopt=timeout=30 nfs-utils" ]
  # Mounted after the data storage, before the release (90 checks that 60 finished).
  [ "$(line_of '^mount /mnt/shared$')" -gt "$(line_of '^mkfs.xfs')" ]
  [ "$(line_of '^mount /mnt/shared$')" -lt "$(line_of '^systemctl start --no-block ecs.service$')" ]
  [ -e "$GB_ROOT/run/genomics-batch/60-shared-fs.sh.done" ]
  grep -q "genomics-batch: $EFS_SOURCE mounted at /mnt/shared" "$GB_ROOT/dev/console"
}

@test "shared file system: FSx for Lustre with its client and the user guide's options; a present client is kept" {
  ebs_data_volume nvme1n1
  shared_fs lustre "$LUSTRE_SOURCE" /fsx
  boot
  [ ! -e "$BATS_TEST_TMPDIR/failed" ]
  grep -qx "$LUSTRE_SOURCE /fsx lustre relatime,flock,_netdev,nofail 0 0" "$GB_ROOT/etc/fstab"
  [ "$(calls dnf)" = "dnf install -y -q --setopt=retries=3 --setopt=timeout=30 lustre-client" ]
  grep -qx /fsx "$GB_ROOT/.mounts"
  # With the client on the AMI, nothing is installed.
  setup_root
  printf '#!/bin/sh\n' > "$STUBS/mount.lustre" && chmod +x "$STUBS/mount.lustre"
  shared_fs lustre "$LUSTRE_SOURCE" /fsx
  echo /fsx > "$GB_ROOT/.mounts"
  part 60-shared-fs.sh
  [ -z "$(calls dnf)" ]
  grep -c " /fsx " "$GB_ROOT/etc/fstab" | grep -qx 1
}

@test "shared file system: a name that resolves late is retried; the fstab line is written once" {
  shared_fs nfs4 "$EFS_SOURCE" /mnt/shared
  behaviour mount <<'B'
n=$(cat "$BATS_TEST_TMPDIR/mounts-tried" 2>/dev/null || echo 0); echo $((n + 1)) > "$BATS_TEST_TMPDIR/mounts-tried"
[ "$n" -ge 2 ] || exit 32
echo "${*: -1}" >> "$GB_ROOT/.mounts"
B
  part 60-shared-fs.sh
  [ "$(cat "$BATS_TEST_TMPDIR/mounts-tried")" = 3 ]
  [ "$(calls sleep)" = "$(printf 'sleep 15\nsleep 15')" ]
  [ ! -e "$GB_ROOT/.powered-off" ]
  part 60-shared-fs.sh   # again (a rerun): no second line
  [ "$(grep -c " /mnt/shared " "$GB_ROOT/etc/fstab")" = 1 ]
}

@test "shared file system: one that cannot be mounted fails closed: no ECS agent, the metric, power-off" {
  ebs_data_volume nvme1n1
  shared_fs nfs4 "$EFS_SOURCE" /mnt/shared
  behaviour mount <<'B'
if [ "${*: -1}" = /mnt/shared ]; then exit 32; fi
echo "${*: -1}" >> "$GB_ROOT/.mounts"
B
  boot
  [ -e "$BATS_TEST_TMPDIR/failed" ]
  [ -e "$GB_ROOT/.powered-off" ]
  grep -q "provisioning failed: $EFS_SOURCE could not be mounted at /mnt/shared" "$GB_ROOT/dev/console"
  [ "$(calls mount | grep -c '^mount /mnt/shared$')" = 8 ]       # every try bounded, then given up
  [ "$(calls sleep | grep -c '^sleep 15$')" = 7 ]
  calls curl | grep -q "Action=PutMetricData"
  [ -z "$(calls systemctl | grep 'start --no-block ecs')" ]
  [ ! -e "$GB_ROOT/run/genomics-batch/ready" ]
  [ ! -e "$GB_ROOT/etc/systemd/system/docker.service.d/60-shared-fs.conf" ]
}

@test "shared file system: a client that cannot be installed fails closed" {
  shared_fs lustre "$LUSTRE_SOURCE" /fsx
  behaviour dnf <<'B'
exit 1
B
  run part 60-shared-fs.sh
  [ "$status" -ne 0 ]
  [ -e "$GB_ROOT/.powered-off" ]
  grep -q "provisioning failed: installing the lustre client" "$GB_ROOT/dev/console"
  [ -z "$(calls mount)" ]
}
