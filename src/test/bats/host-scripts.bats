#!/usr/bin/env bats
# The host user-data scripts, run for real in a temporary root with stubbed system commands.

load helpers

setup() {
  setup_root
}

# --- boot: storage, Docker, ECS agent order -------------------------------------------------------

boot() { # every part, in cloud-init's order
  local part
  for part in 05-host-lib.sh 10-ecs-agent.sh 20-host-storage.sh 30-host-tools.sh 40-storage-growth.sh \
    50-scratch-cleanup.sh 90-release-ecs.sh; do
    bash "$SRC/$part" || echo "$part failed" >> "$BATS_TEST_TMPDIR/failed"
  done
}

@test "EBS only: the gp3 data volume becomes one XFS file system under Docker's data root and /scratch" {
  ebs_data_volume nvme1n1
  boot
  [ ! -e "$BATS_TEST_TMPDIR/failed" ]
  [ "$(calls pvcreate)" = "pvcreate -y -ff $GB_ROOT/dev/nvme1n1" ]
  [ "$(calls vgcreate)" = "vgcreate -y genomics-batch $GB_ROOT/dev/nvme1n1" ]
  [ "$(calls lvcreate)" = "lvcreate -y -n data -l 100%FREE genomics-batch" ]
  [ "$(calls mkfs.xfs)" = "mkfs.xfs -q /dev/genomics-batch/data" ]
  grep -qx "/dev/genomics-batch/data /var/lib/genomics-batch/data xfs defaults,noatime 0 2" "$GB_ROOT/etc/fstab"
  grep -qx "/var/lib/genomics-batch/data/docker /var/lib/docker none bind 0 0" "$GB_ROOT/etc/fstab"
  grep -qx "/var/lib/genomics-batch/data/scratch /scratch none bind 0 0" "$GB_ROOT/etc/fstab"
  [ "$(cat "$GB_ROOT/.mounts")" = "$(printf '/var/lib/genomics-batch/data\n/var/lib/docker\n/scratch')" ]
  [ "$(stat -c %a "$GB_ROOT/var/lib/genomics-batch/data/scratch")" = 1777 ]
  [ "$(stat -c %a "$GB_ROOT/var/lib/genomics-batch/data/scratch/tasks")" = 1777 ]   # the tasks' shared /tmp
  [ -z "$(calls dnf)" ]            # lvm2 present (stubbed): nothing installed
  [ ! -e "$GB_ROOT/.powered-off" ]
  [ ! -s "$GB_ROOT/var/lib/genomics-batch/spare-device" ]
  # The age-based tmpfiles rule is gone: nothing under /scratch is deleted for being old.
  [ ! -e "$GB_ROOT/etc/tmpfiles.d/genomics-batch-scratch.conf" ]
}

@test "NVMe present: all instance-store disks striped, the gp3 volume kept as the first growth step" {
  nvme_disk nvme1n1 nvme-Amazon_EC2_NVMe_Instance_Storage_AWS1111
  nvme_disk nvme2n1 nvme-Amazon_EC2_NVMe_Instance_Storage_AWS2222
  ln -s ../../nvme1n1 "$GB_ROOT/dev/disk/by-id/nvme-Amazon_EC2_NVMe_Instance_Storage_AWS1111_1"
  ebs_data_volume nvme3n1
  boot
  [ ! -e "$BATS_TEST_TMPDIR/failed" ]
  [ "$(calls pvcreate)" = "pvcreate -y -ff $GB_ROOT/dev/nvme1n1 $GB_ROOT/dev/nvme2n1" ]
  [ "$(calls lvcreate)" = "lvcreate -y -n data -l 100%FREE -i 2 -I 256k genomics-batch" ]
  [ "$(cat "$GB_ROOT/var/lib/genomics-batch/spare-device")" = "$GB_ROOT/dev/nvme3n1" ]
  [ ! -e "$GB_ROOT/.powered-off" ]
}

@test "NVMe present without the gp3 volume: no spare, and the host still comes up" {
  nvme_disk nvme1n1 nvme-Amazon_EC2_NVMe_Instance_Storage_AWS1111
  boot
  [ ! -e "$BATS_TEST_TMPDIR/failed" ]
  [ "$(calls pvcreate)" = "pvcreate -y -ff $GB_ROOT/dev/nvme1n1" ]
  [ ! -s "$GB_ROOT/var/lib/genomics-batch/spare-device" ]
  [ ! -e "$GB_ROOT/.powered-off" ]
  [ -e "$GB_ROOT/run/genomics-batch/ready" ]
}

@test "lvm2 missing: installed from the OS repositories before use" {
  ebs_data_volume nvme1n1
  rm "$STUBS/lvcreate"
  printf '#!/bin/bash\necho "lvcreate $*" >> "$CALLS"\n' > "$BATS_TEST_TMPDIR/lvcreate"
  behaviour dnf <<'B'
cp "$BATS_TEST_TMPDIR/lvcreate" "$STUBS/lvcreate"; chmod +x "$STUBS/lvcreate"
B
  install_lib
  bash "$SRC/20-host-storage.sh"
  [ "$(line_of '^dnf install -y -q lvm2$')" -lt "$(line_of '^lvcreate ')" ]
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

@test "data volume missing: the host logs why and shuts down, and never releases the ECS agent" {
  boot
  [ -e "$GB_ROOT/.powered-off" ]
  grep -q "provisioning failed: no data storage: no NVMe instance storage and /dev/xvdb never appeared" "$GB_ROOT/dev/console"
  calls logger | grep -q "user.crit genomics-batch: provisioning failed: no data storage"
  [ -z "$(calls pvcreate)" ]
  [ -z "$(calls systemctl | grep docker)" ]
  [ -z "$(calls systemctl | grep 'start --no-block ecs')" ]
  [ ! -e "$GB_ROOT/run/genomics-batch/ready" ]
  grep -q "20-host-storage.sh failed" "$BATS_TEST_TMPDIR/failed"
}

@test "Docker not on the data storage: the host shuts down" {
  ebs_data_volume nvme1n1
  export STUB_DOCKER_ROOT=/var/lib/docker-elsewhere
  install_lib
  run bash "$SRC/20-host-storage.sh"
  [ "$status" -ne 0 ]
  [ -e "$GB_ROOT/.powered-off" ]
  grep -q "Docker's data root is /var/lib/docker-elsewhere" "$GB_ROOT/dev/console"
  [ ! -e "$GB_ROOT/run/genomics-batch/storage.done" ]
}

# --- tools the engines mount ----------------------------------------------------------------------

@test "AWS CLI: downloaded from AWS, signature checked against the AWS CLI team's key, installed where engines look" {
  install_lib
  bash "$SRC/30-host-tools.sh"
  [ ! -e "$GB_ROOT/.powered-off" ]
  calls curl | grep -q -- "-o .*/awscliv2.zip https://awscli.amazonaws.com/awscli-exe-linux-$(uname -m).zip$"
  calls curl | grep -q -- "-o .*/awscliv2.zip.sig https://awscli.amazonaws.com/awscli-exe-linux-$(uname -m).zip.sig$"
  [ "$(line_of '^gpg .*--verify')" -lt "$(line_of '^unzip ')" ]
  calls aws/install | grep -qx "aws/install --install-dir $GB_ROOT/usr/local/aws-cli --bin-dir $GB_ROOT/usr/local/aws-cli/bin --update"
  # Cromwell's path, and Nextflow's cliPath (whose grandparent, /usr/local/aws-cli, holds the whole CLI)
  [ "$("$GB_ROOT/usr/local/aws-cli/v2/current/bin/aws" --version | cut -d' ' -f1)" = aws-cli/2.99.0 ]
  [ "$("$GB_ROOT/usr/local/aws-cli/bin/aws" --version | cut -d' ' -f1)" = aws-cli/2.99.0 ]
  [ "$(readlink "$GB_ROOT/usr/local/bin/aws")" = /usr/local/aws-cli/bin/aws ]
  [ -x "$GB_ROOT/usr/local/bin/fetch_and_run.sh" ]
  [ "$(cat "$GB_ROOT/var/lib/cloud/data/instance-id")" = i-0123456789abcdef0 ]
  [ -e "$GB_ROOT/run/genomics-batch/tools.done" ]
}

@test "AWS CLI: a bad signature shuts the host down before anything is unpacked" {
  export STUB_GPG_BAD=1
  boot_until_tools_fail() { install_lib; bash "$SRC/30-host-tools.sh"; }
  run boot_until_tools_fail
  [ "$status" -ne 0 ]
  [ -e "$GB_ROOT/.powered-off" ]
  grep -q "is not signed by the AWS CLI team's key" "$GB_ROOT/dev/console"
  [ -z "$(calls unzip)" ]
  [ ! -e "$GB_ROOT/usr/local/aws-cli" ]
  run bash "$SRC/90-release-ecs.sh"
  [ -z "$(calls systemctl | grep 'start --no-block ecs')" ]
}

@test "AWS CLI: a failed download shuts the host down" {
  export STUB_CURL_FAIL=1
  install_lib
  run bash "$SRC/30-host-tools.sh"
  [ "$status" -ne 0 ]
  [ -e "$GB_ROOT/.powered-off" ]
  grep -q "provisioning failed: downloading the AWS CLI" "$GB_ROOT/dev/console"
}

@test "fetch_and_run.sh runs the task script Cromwell put in S3, with the host's AWS CLI" {
  install_lib
  bash "$SRC/30-host-tools.sh"
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
  install_lib
  bash "$SRC/40-storage-growth.sh" check
}

@test "growth: below the free-space threshold, a tagged encrypted gp3 volume is created, attached and added" {
  export STUB_DF="100 10" STUB_VG_GIB=100
  run grow
  [ "$status" -eq 0 ]
  [ "$(calls aws | grep -c create-volume)" -eq 1 ]
  calls aws | grep -q "^aws --region us-east-1 ec2 create-volume --availability-zone us-east-1a --volume-type gp3 --size 100 --iops 3000 --throughput 250 --encrypted .*--tag-specifications ResourceType=volume,Tags=\[{Key=genomics-batch-environment,Value=genomics-batch-test}\]$"
  calls aws | grep -q "attach-volume --volume-id vol-0123456789abcdef0 --instance-id i-0123456789abcdef0 --device /dev/xvdc$"
  calls aws | grep -q 'modify-instance-attribute --instance-id i-0123456789abcdef0 --block-device-mappings \[{"DeviceName":"/dev/xvdc","Ebs":{"DeleteOnTermination":true}}\]'
  [ "$(calls pvcreate)" = "pvcreate -y /dev/xvdc" ]
  [ "$(calls vgextend)" = "vgextend -y genomics-batch /dev/xvdc" ]
  [ "$(calls lvextend)" = "lvextend -i 1 -l +100%FREE genomics-batch/data" ]
  [ "$(calls xfs_growfs)" = "xfs_growfs /var/lib/genomics-batch/data" ]
  [ "$(line_of 'attach-volume')" -lt "$(line_of '^pvcreate')" ]
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
  [ -z "$(calls aws)" ]
  [ -z "$(calls pvcreate)" ]
  [[ $output == *"at the cap of 1000 GiB: not growing"* ]]
}

@test "growth: with enough free space nothing happens" {
  export STUB_DF="100 40"
  run grow
  [ "$status" -eq 0 ]
  [ -z "$(calls aws)" ]
  [ -z "$(calls curl)" ]
}

@test "growth: on NVMe hosts the spare gp3 volume is added first, without any API call" {
  export STUB_DF="100 1"
  mkdir -p "$GB_ROOT/var/lib/genomics-batch"
  echo /dev/nvme3n1 > "$GB_ROOT/var/lib/genomics-batch/spare-device"
  run grow
  [ "$status" -eq 0 ]
  [ "$(calls pvcreate)" = "pvcreate -y /dev/nvme3n1" ]
  [ -z "$(calls aws)" ]
  [ ! -s "$GB_ROOT/var/lib/genomics-batch/spare-device" ]
}

@test "growth: a volume that cannot be attached is deleted again and nothing is added" {
  export STUB_DF="100 1" STUB_ATTACH_FAIL=1
  run grow
  [ "$status" -ne 0 ]
  calls aws | grep -q "delete-volume --volume-id vol-0123456789abcdef0"
  [ -z "$(calls pvcreate)" ]
  [ ! -e "$GB_ROOT/.powered-off" ]   # a running host keeps running; its jobs may still fit
}

@test "growth service: installed and started by cloud-init" {
  install_lib
  bash "$SRC/40-storage-growth.sh"
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

cleanup() { install_lib; bash "$SRC/50-scratch-cleanup.sh" run; }

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

@test "scratch cleanup: the tasks' shared /tmp is kept while any job runs, emptied when none does" {
  mkdir -p "$GB_ROOT/scratch/tasks/nxf.abc123" "$GB_ROOT/scratch/tasks/.fusion"
  echo partial > "$GB_ROOT/scratch/tasks/nxf.abc123/sorted.bam"
  touch -d '1 hour ago' "$GB_ROOT/scratch/tasks/nxf.abc123" "$GB_ROOT/scratch/tasks/.fusion"
  mkdir -p "$STUBS/containers"
  printf 'PATH=/usr/bin\nECS_LOGLEVEL=info\n' > "$STUBS/containers/ecs-agent"   # always there: not a job
  container c1 "$RUNNING"
  run cleanup
  [ "$status" -eq 0 ]
  [ -f "$GB_ROOT/scratch/tasks/nxf.abc123/sorted.bam" ]
  rm "$STUBS/containers/c1"
  mkdir "$GB_ROOT/scratch/tasks/nxf.just-started"   # a job starting while the cleanup runs
  run cleanup
  [ "$status" -eq 0 ]
  [ -d "$GB_ROOT/scratch/tasks" ]
  [ ! -e "$GB_ROOT/scratch/tasks/nxf.abc123" ]
  [ ! -e "$GB_ROOT/scratch/tasks/.fusion" ]
  [ -d "$GB_ROOT/scratch/tasks/nxf.just-started" ]
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
  install_lib
  bash "$SRC/50-scratch-cleanup.sh"
  grep -qx "ExecStart=/usr/local/sbin/genomics-batch-scratch-cleanup run" \
    "$GB_ROOT/etc/systemd/system/genomics-batch-scratch-cleanup.service"
  grep -qx "OnUnitActiveSec=10min" "$GB_ROOT/etc/systemd/system/genomics-batch-scratch-cleanup.timer"
  calls systemctl | grep -qx "systemctl enable genomics-batch-scratch-cleanup.timer"
  [ ! -e "$GB_ROOT/etc/tmpfiles.d" ]
}
