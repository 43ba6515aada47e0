#!/bin/bash
# Data storage: all NVMe instance-store disks striped, else the gp3 data volume, as one XFS file
# system on LVM (so it can grow) holding Docker's data root, /scratch and /cromwell_root.
# shellcheck source=lib.sh
. "${GB_ROOT:-}/usr/local/lib/genomics-batch/lib.sh" || { shutdown -h now; exit 1; }
fail_closed
# EBS volumes' links named by the volume ID alone (not -partN, _1 or -ns-1).
ebs_links() {
  local d
  for d in "$R"/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol*; do
    if [[ $d =~ _vol[0-9a-f]+$ ]]; then echo "$d"; fi
  done
}

# The gp3 volume: its device name's udev link, or an EBS disk with no partitions and no file system.
ebs_device() {
  local tries=$1 d i
  for ((i = 0; i < tries; i++)); do
    for d in "$R$GB_EBS_DEVICE" "$R/dev/sd${GB_EBS_DEVICE#/dev/xvd}"; do
      if [ -e "$d" ]; then readlink -f "$d"; return 0; fi
    done
    for d in $(ebs_links); do
      d=$(readlink -f "$d")
      if ! compgen -G "${d}p*" >/dev/null && ! blkid "$d" >/dev/null 2>&1; then echo "$d"; return 0; fi
    done
    sleep 1
  done
  return 1
}

step="finding the data disks"
mkdir -p "$R/var/lib/genomics-batch"
mapfile -t disks < <(for d in "$R"/dev/disk/by-id/nvme-Amazon_EC2_NVMe_Instance_Storage_*; do
  if [[ -e $d && $d != *-part* ]]; then readlink -f "$d"; fi; done | sort -u)
if [ "${#disks[@]}" -gt 0 ]; then
  # Faster and already paid for. The gp3 volume is kept for the first growth, recorded by volume ID
  # (kernel names change across reboots); where no link names the ID (Xen), by its device name.
  if spare=$(ebs_device 1); then
    for d in $(ebs_links); do
      if [ "$(readlink -f "$d")" = "$spare" ]; then spare=vol-${d##*_vol}; fi
    done
    echo "${spare#"$R"}" > "$R/var/lib/genomics-batch/spare-volume"
  fi
else
  ebs=$(ebs_device 120) || fail "no data storage: no NVMe instance storage and $GB_EBS_DEVICE never appeared"
  disks=("$ebs")
fi

step="installing lvm2"
command -v lvcreate >/dev/null || dnf install -y -q --setopt=retries=3 --setopt=timeout=30 lvm2

step="creating the data file system on ${disks[*]}"
pvcreate -y -ff "${disks[@]}"
vgcreate -y "$vg" "${disks[@]}"
if [ "${#disks[@]}" -gt 1 ]; then
  lvcreate -y -n data -l 100%FREE -i "${#disks[@]}" -I 256k "$vg"
else
  lvcreate -y -n data -l 100%FREE "$vg"
fi
mkfs.xfs -q "/dev/$vg/data"
# nofail: a missing volume must not stop a reboot in emergency mode (still billed); the storage unit
# below powers such a host off instead.
echo "/dev/$vg/data $GB_DATA_DIR xfs defaults,noatime,nofail 0 2" >> "$R/etc/fstab"
mkdir -p "$R$GB_DATA_DIR"
mount "$GB_DATA_DIR"
for m in /var/lib/docker /scratch /cromwell_root; do
  mkdir -p "$R$m" "$R$GB_DATA_DIR/${m##*/}"
  echo "$GB_DATA_DIR/${m##*/} $m none bind,nofail 0 0" >> "$R/etc/fstab"
done
mkdir -p "$R$GB_DATA_DIR/scratch/tasks"
chmod 1777 "$R$GB_DATA_DIR/scratch" "$R$GB_DATA_DIR/scratch/tasks"

step="moving Docker's data root onto the data storage"
# Docker may already run (ECS-optimized AMI): stop it and its socket, keep its files, mount, restart.
# Not every Docker package has the socket unit.
systemctl stop docker.socket 2>/dev/null || true
systemctl stop docker.service
if [ -n "$(ls -A "$R/var/lib/docker")" ]; then cp -a "$R/var/lib/docker/." "$R$GB_DATA_DIR/docker/"; fi
for m in /var/lib/docker /scratch /cromwell_root; do mount "$m"; done
storage_ok
# After a reboot Docker (and so the ECS agent) starts only on the data storage, or the host powers off.
mkdir -p "$R/etc/systemd/system"
printf '[Unit]\nDescription=genomics-batch: data storage mounted\nBefore=docker.service\n\n[Service]
Type=oneshot\nRemainAfterExit=yes\nExecStart=/bin/bash /usr/local/lib/genomics-batch/lib.sh storage\n\n[Install]
RequiredBy=docker.service\n' > "$R/etc/systemd/system/genomics-batch-storage.service"
systemctl enable genomics-batch-storage.service
systemctl start docker.service
root_dir=$(docker info --format '{{.DockerRootDir}}')
[ "$root_dir" = /var/lib/docker ] || fail "Docker's data root is $root_dir, not /var/lib/docker"
