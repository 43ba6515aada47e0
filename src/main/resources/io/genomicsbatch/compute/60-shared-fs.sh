#!/bin/bash
# The shared file system (sharedFileSystem; only in the user data when it is set): mounted before the
# ECS agent may start, or provisioning fails. Its /etc/fstab line (nofail: a rebooted host still boots)
# and a docker.service drop-in (RequiresMountsFor) keep Docker, so the agent, down when it is missing.
# shellcheck source=lib.sh
. "${GB_ROOT:-}/usr/local/lib/genomics-batch/lib.sh" || { shutdown -h now; exit 1; }
fail_closed
type=@FS_TYPE@ src='@FS_SOURCE@' dir=@FS_PATH@
step="installing the $type client"
if [ "$type" = lustre ]; then pkg=lustre-client; else pkg=nfs-utils; fi
command -v "mount.$type" >/dev/null || dnf install -y -q --setopt=retries=3 --setopt=timeout=30 "$pkg"
step="mounting $src at $dir"
mkdir -p "$R$dir"
grep -qs " $dir " "$R/etc/fstab" || echo "$src $dir $type @FS_OPTIONS@ 0 0" >> "$R/etc/fstab"
systemctl daemon-reload
# A new EFS mount target's DNS name can take a minute or two to resolve: retry, each try bounded.
for i in 1 2 3 4 5 6 7 8; do
  mountpoint -q "$dir" || timeout 60 mount "$dir" || [ "$i" = 8 ] || sleep 15
done
mountpoint -q "$dir" || fail "$src could not be mounted at $dir"
mkdir -p "$R/etc/systemd/system/docker.service.d"
printf '[Unit]\nRequiresMountsFor=%s\n' "$dir" > "$R/etc/systemd/system/docker.service.d/60-shared-fs.conf"
systemctl daemon-reload
say "$src mounted at $dir"
