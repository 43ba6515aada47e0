#!/usr/bin/env bash
# Builds (or finds cached) the boot test's Debian 12 VM image: debootstrap minbase + the packages the
# host scripts and the checks need + the stand-ins in guest/ (EC2 disk names, IMDS forwarder, ECS
# agent, fault flags). Cached by a hash of its inputs in $GB_BOOT_CACHE/<hash>/ (root.img, vmlinuz,
# initrd.img, the harness's SSH key and test CA); prints that directory. Needs root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${GB_BOOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/genomics-batch-boot}
mirror=http://deb.debian.org/debian
packages=(
  systemd systemd-sysv udev dbus kmod iproute2 procps psmisc lsof e2fsprogs
  linux-image-amd64 initramfs-tools zstd
  cloud-init lvm2 xfsprogs docker.io curl unzip gnupg ca-certificates awscli
  socat openssh-server busybox-static nfs-kernel-server nfs-common
)
# The stand-in for an existing EFS file system (the boot stack's sharedFileSystem): the guest's own
# NFS server, reached by the file system's DNS name.
efs_dns=fs-0123456789abcdef0.efs.us-east-1.amazonaws.com
hash=$( { cat "$0"; (cd "$here/guest" && find . -type f | LC_ALL=C sort | xargs sha256sum); } | sha256sum | cut -c1-16)
out=$cache/$hash
if [ -s "$out/root.img" ] && [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.img" ]; then
  echo "$out"; exit 0
fi
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.build.XXXXXX")
root=$tmp/root
cleanup() {
  for m in dev/pts dev proc sys; do umountp "$root/$m"; done
  rm -rf "$tmp"
}
umountp() { if mountpoint -q "$1"; then umount -l "$1"; fi; }
trap cleanup EXIT

# The harness's keys, baked into the image: SSH (root login for the checks) and the test CA (the
# AWS CLI mirror's HTTPS).
ssh-keygen -q -t ed25519 -N '' -C gbtest -f "$tmp/id_ed25519"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
  -subj /CN=genomics-batch-boot-test-CA -keyout "$tmp/ca.key" -out "$tmp/ca.pem" 2>/dev/null

debootstrap --variant=minbase --components=main bookworm "$root" "$mirror" > "$tmp/debootstrap.log" 2>&1 \
  || { tail -n 30 "$tmp/debootstrap.log"; exit 1; }
cp -a "$here/guest/." "$root/"
mkdir -p "$root/etc/ecs" "$root/root/.ssh"
cat > "$root/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
in_root() { chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"; }
# A small initramfs: only the modules a QEMU guest needs to find its root.
mkdir -p "$root/etc/initramfs-tools/conf.d"
echo MODULES=list > "$root/etc/initramfs-tools/conf.d/gbtest"
printf '%s\n' virtio_pci virtio_blk virtio_net ext4 nvme > "$root/etc/initramfs-tools/modules"
{
  in_root apt-get update -qq
  in_root apt-get install -y -qq --no-install-recommends "${packages[@]}"
  in_root apt-get clean
} > "$tmp/apt.log" 2>&1 || { tail -n 40 "$tmp/apt.log"; exit 1; }
rm -f "$root/usr/sbin/policy-rc.d"
rm -rf "$root/var/lib/apt/lists/"*

install -m 0600 "$tmp/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
cp "$tmp/ca.pem" "$root/usr/local/share/ca-certificates/genomics-batch-boot-test.crt"
in_root update-ca-certificates > /dev/null 2>&1
echo gbtest > "$root/etc/hostname"
printf '127.0.0.1 localhost %s\n127.0.1.1 gbtest\n' "$efs_dns" > "$root/etc/hosts"
# NFSv4's root (fsid=0), as EFS serves "/"; insecure: EFS's noresvport mounts come from unprivileged ports.
mkdir -p "$root/srv/efs"
echo '/srv/efs *(rw,sync,fsid=0,no_subtree_check,no_root_squash,insecure)' > "$root/etc/exports"
echo '/dev/vda / ext4 defaults,noatime 0 1' > "$root/etc/fstab"
# Fast, quiet boots: no timers or units that only cost time here.
in_root systemctl enable -q systemd-networkd gbtest-imds.service ecs.service nfs-server.service
in_root systemctl mask -q apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service \
  fstrim.timer systemd-networkd-wait-online.service getty@tty1.service serial-getty@ttyS0.service \
  lvm2-monitor.service
# cloud-init's network stage still needs an address: wait for this one link only.
mkdir -p "$root/etc/systemd/system/cloud-init.service.d"
printf '[Unit]\nAfter=gbtest-online.service\nWants=gbtest-online.service\n' \
  > "$root/etc/systemd/system/cloud-init.service.d/gbtest.conf"
cat > "$root/etc/systemd/system/gbtest-online.service" <<'UNIT'
[Unit]
Description=boot-test: wait for the DHCP address
DefaultDependencies=no
After=systemd-networkd.service
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c 'for i in $$(seq 300); do ip -4 addr show scope global | grep -q inet && exit 0; sleep 0.2; done; exit 1'
UNIT

cp "$root/boot/vmlinuz-"* "$tmp/vmlinuz"
cp "$root/boot/initrd.img-"* "$tmp/initrd.img"
for m in dev/pts dev proc sys; do umountp "$root/$m"; done
truncate -s 8G "$tmp/root.img"
mkfs.ext4 -q -L gbtest-root -d "$root" "$tmp/root.img"
mkdir -p "$out"
mv "$tmp/root.img" "$tmp/vmlinuz" "$tmp/initrd.img" "$tmp/id_ed25519" "$tmp/id_ed25519.pub" \
  "$tmp/ca.pem" "$tmp/ca.key" "$out/"
echo "$out"
