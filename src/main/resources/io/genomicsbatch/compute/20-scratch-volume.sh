#!/bin/bash
# Formats and mounts the encrypted scratch volume at /scratch. Jobs mount /scratch and work in
# /scratch/$AWS_BATCH_JOB_ID, so several jobs on one host never share files; the sticky bit lets
# each job delete only its own directory.
set -euo pipefail

device=/dev/xvdb
mount_point=/scratch

# On Nitro instances the volume appears as NVMe; udev adds the /dev/xvdb link once it is attached.
for _ in $(seq 1 60); do
  [ -e "$device" ] && break
  sleep 1
done
if [ ! -e "$device" ]; then
  echo "genomics-batch: scratch volume $device did not appear" >&2
  exit 1
fi

if ! blkid "$device" >/dev/null 2>&1; then
  mkfs.xfs -q "$device"
fi
uuid=$(blkid -s UUID -o value "$device")
mkdir -p "$mount_point"
if ! grep -q "UUID=$uuid" /etc/fstab; then
  echo "UUID=$uuid $mount_point xfs defaults,nofail,relatime 0 2" >> /etc/fstab
fi
mountpoint -q "$mount_point" || mount "$mount_point"
chmod 1777 "$mount_point"

# Backstop for jobs that die before cleaning up: remove files not read or written for 3 days
# (relatime refreshes access times at least daily, so files in use are never old enough).
echo "d $mount_point 1777 root root 3d" > /etc/tmpfiles.d/genomics-batch-scratch.conf
