#!/bin/bash
# Grows the data storage when less than GB_MIN_FREE_PERCENT is free: adds the spare gp3 volume
# (instance-store hosts), else a new encrypted gp3 volume tagged GB_TAG_KEY=GB_TAG_VALUE (the only
# volumes the host may create, attach, detach, delete) and with the root volume's other tags (the
# launch template's: the stack's tags), doubling up to GB_MAX_GIB, which every volume
# of this environment attached here counts toward. Disks are found by volume ID; a failed attempt
# detaches and deletes its volume. Installed as a service by cloud-init ("run": checks in a loop,
# backing off exponentially after failures); "check" grows once.
# shellcheck source=lib.sh
. "${GB_ROOT:-}/usr/local/lib/genomics-batch/lib.sh" || { shutdown -h now; exit 1; }
state=$R/var/lib/genomics-batch
pending=$state/pending-volume

ec2() { aws --region "${region:=$(imds placement/region)}" ec2 "$@"; }

# The disk of an attached volume: its NVMe link, named by volume ID (Nitro), else its device name (Xen).
# disk VOLUME_ID DEVICE
disk() {
  local d
  for d in "$R/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${1/-/}" "$R$2"; do
    if [ -e "$d" ]; then readlink -f "$d"; return 0; fi
  done
  return 1
}

extend() {
  lvextend -i 1 -l +100%FREE "$vg/data"
  xfs_growfs "$GB_DATA_DIR"
}

# add DISK: once in the volume group, a new volume is the storage's, no longer pending.
add() {
  pvcreate -y "$1"
  vgextend -y "$vg" "$1"
  rm -f "$pending"
  extend
  log "added $1 to the data storage"
}

# A volume this host made but could not add: detached if attached, then deleted.
discard() {
  local vol
  vol=$(cat "$pending")
  ec2 detach-volume --volume-id "$vol" >/dev/null 2>&1 || true
  ec2 wait volume-available --volume-ids "$vol"
  ec2 delete-volume --volume-id "$vol"
  rm -f "$pending"
  log "deleted $vol, which could not be added"
}

check() {
  local size avail total vol gib dev tag used=" " d grow room iops tp tags
  [ ! -s "$pending" ] || discard
  read -r size avail < <(df -B1G --output=size,avail "$GB_DATA_DIR" | tail -n 1)
  ((avail * 100 < GB_MIN_FREE_PERCENT * size)) || return 0
  if [ "$(vgs --noheadings -o vg_free_count "$vg" | tr -d ' ')" != 0 ]; then extend; return 0; fi
  if [ -s "$state/spare-volume" ]; then
    add "$(disk "$(cat "$state/spare-volume")" "$GB_EBS_DEVICE")"
    : > "$state/spare-volume"
    return 0
  fi
  iid=$(imds instance-id)
  # The cap counts the storage and every other volume of this environment attached here.
  total=$(vgs --noheadings --nosuffix --units g -o vg_size "$vg" | tr -d ' ')
  total=${total%%.*}
  while read -r vol gib dev tag; do
    used+="$dev "
    if [ "$tag" != "$GB_TAG_VALUE" ] || [ "$dev" = "$GB_ROOT_DEVICE" ]; then continue; fi
    if ! d=$(disk "$vol" "$dev") || ! pvs "$d" >/dev/null 2>&1; then total=$((total + gib)); fi
  done < <(ec2 describe-volumes --filters "Name=attachment.instance-id,Values=$iid" --output text \
    --query "Volumes[].[VolumeId,Size,Attachments[0].Device,Tags[?Key=='$GB_TAG_KEY']|[0].Value]")
  room=$((GB_MAX_GIB - total))
  if ((room < 1)); then
    [ -e "$state/at-cap" ] || log "$avail of $size GiB free, at the cap of $GB_MAX_GIB GiB: not growing"
    touch "$state/at-cap"
    return 0
  fi
  grow=$((total > GB_INITIAL_GIB ? total : GB_INITIAL_GIB))
  grow=$((grow > room ? room : grow))
  grow=$((grow > 65536 ? 65536 : grow))
  for dev in /dev/xvd{c..z}; do [[ $used == *" $dev "* || -e $R$dev ]] || break; done
  iops=$((grow * 500 < GB_IOPS ? grow * 500 : GB_IOPS))
  iops=$((iops < 3000 ? 3000 : iops))
  tp=$((GB_THROUGHPUT > iops / 4 ? iops / 4 : GB_THROUGHPUT))
  # The root volume's tags as JSON (no per-tag bytes in the user data; keys may hold spaces and
  # '/'), but AWS's own aws: ones, which no one may set.
  tags=$(ec2 describe-volumes --filters "Name=attachment.instance-id,Values=$iid" --output json \
    --query "Volumes[?Attachments[0].Device=='$GB_ROOT_DEVICE']|[0].Tags[?!starts_with(Key,'aws:')]" | tr -d '\n')
  log "$avail of $size GiB free: adding a $grow GiB gp3 volume as $dev"
  ec2 create-volume --availability-zone "$(imds placement/availability-zone)" --volume-type gp3 --size "$grow" \
    --iops "$iops" --throughput "$tp" --encrypted --query VolumeId --output text \
    --tag-specifications "[{\"ResourceType\":\"volume\",\"Tags\":$tags}]" > "$pending"
  vol=$(cat "$pending")
  ec2 wait volume-available --volume-ids "$vol"
  ec2 attach-volume --volume-id "$vol" --instance-id "$iid" --device "$dev" >/dev/null
  ec2 wait volume-in-use --volume-ids "$vol"
  ec2 modify-instance-attribute --instance-id "$iid" \
    --block-device-mappings "[{\"DeviceName\":\"$dev\",\"Ebs\":{\"DeleteOnTermination\":true}}]"
  for ((d = 0; d < ${GB_DEVICE_WAIT:-60}; d++)); do disk "$vol" "$dev" >/dev/null && break; sleep 1; done
  d=$(disk "$vol" "$dev") || { log "$vol is attached as $dev, but its disk never appeared"; return 1; }
  add "$d"
}

case ${1:-install} in
  # Each check is its own process, so that errexit ends a failed one there, and its volume goes.
  check) set -Eeuo pipefail; trap '[ ! -s "$pending" ] || discard' EXIT; check ;;
  run)
    delay=${GB_GROW_INTERVAL:-20}
    while :; do
      if "$0" check; then
        delay=${GB_GROW_INTERVAL:-20}
      else
        delay=$((delay * 2 > 1280 ? 1280 : delay * 2))
        log "growth failed; next try in $delay s"
      fi
      sleep "$delay"
    done
    ;;
  install)
    fail_closed
    step="installing storage growth"
    mkdir -p "$state"
    install_service grow "grow the data storage before it fills" run
    ;;
esac
