#!/bin/bash
# Data storage: all NVMe instance-store disks striped, else the gp3 data volume, as one XFS file
# system on LVM (so it can grow) holding Docker's data root and /scratch.
# shellcheck source=05-host-lib.sh
. "${GB_ROOT:-}/usr/local/lib/genomics-batch/lib.sh" || { shutdown -h now; exit 1; }
fail_closed

# The gp3 volume: its device name's udev link, or an EBS disk with no partitions and no file system.
ebs_device() {
  local tries=$1 d i
  for ((i = 0; i < tries; i++)); do
    for d in "$R$GB_EBS_DEVICE" "$R/dev/sd${GB_EBS_DEVICE#/dev/xvd}"; do
      if [ -e "$d" ]; then readlink -f "$d"; return 0; fi
    done
    for d in "$R"/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol*; do
      [[ -e $d && $d != *-part* && $d != *_[0-9] ]] || continue
      d=$(readlink -f "$d")
      if ! compgen -G "${d}p*" >/dev/null && ! blkid "$d" >/dev/null 2>&1; then echo "$d"; return 0; fi
    done
    sleep 1
  done
  return 1
}

step="finding the data disks"
mapfile -t disks < <(for d in "$R"/dev/disk/by-id/nvme-Amazon_EC2_NVMe_Instance_Storage_*; do
  if [[ -e $d && $d != *-part* ]]; then readlink -f "$d"; fi; done | sort -u)
if [ "${#disks[@]}" -gt 0 ]; then
  # Faster and already paid for; the gp3 volume is kept for the first growth.
  spare=$(ebs_device 1) || spare=""
  mkdir -p "$R/var/lib/genomics-batch"
  if [ -n "$spare" ]; then echo "$spare" > "$R/var/lib/genomics-batch/spare-device"; fi
else
  ebs=$(ebs_device 120) || fail "no data storage: no NVMe instance storage and $GB_EBS_DEVICE never appeared"
  disks=("$ebs")
fi

step="installing lvm2"
command -v lvcreate >/dev/null || dnf install -y -q lvm2

step="creating the data file system on ${disks[*]}"
pvcreate -y -ff "${disks[@]}"
vgcreate -y "$vg" "${disks[@]}"
if [ "${#disks[@]}" -gt 1 ]; then
  lvcreate -y -n data -l 100%FREE -i "${#disks[@]}" -I 256k "$vg"
else
  lvcreate -y -n data -l 100%FREE "$vg"
fi
mkfs.xfs -q "/dev/$vg/data"
mkdir -p "$R$GB_DATA_DIR" "$R/var/lib/docker" "$R/scratch"
{
  echo "/dev/$vg/data $GB_DATA_DIR xfs defaults,noatime 0 2"
  echo "$GB_DATA_DIR/docker /var/lib/docker none bind 0 0"
  echo "$GB_DATA_DIR/scratch /scratch none bind 0 0"
} >> "$R/etc/fstab"
mount "$GB_DATA_DIR"
mkdir -p "$R$GB_DATA_DIR/docker" "$R$GB_DATA_DIR/scratch/tasks"
chmod 1777 "$R$GB_DATA_DIR/scratch" "$R$GB_DATA_DIR/scratch/tasks"

step="moving Docker's data root onto the data storage"
# Docker may already run (ECS-optimized AMI): stop it and its socket, keep its files, mount, restart.
systemctl stop docker.socket 2>/dev/null || true  # not every Docker package has the socket unit
systemctl stop docker.service
if [ -n "$(ls -A "$R/var/lib/docker")" ]; then cp -a "$R/var/lib/docker/." "$R$GB_DATA_DIR/docker/"; fi
mount /var/lib/docker
mount /scratch
mountpoint -q /var/lib/docker || fail "/var/lib/docker is not on the data storage"
mountpoint -q /scratch || fail "/scratch is not on the data storage"
systemctl start docker.service
root_dir=$(docker info --format '{{.DockerRootDir}}')
[ "$root_dir" = /var/lib/docker ] || fail "Docker's data root is $root_dir, not /var/lib/docker"
finished storage
