#!/bin/bash
# Grows the data storage when less than GB_MIN_FREE_PERCENT is free: adds the spare gp3 volume (NVMe
# hosts), else a new encrypted gp3 volume tagged GB_TAG_KEY=GB_TAG_VALUE (the only volumes the host
# may create, attach, delete), doubling up to GB_MAX_GIB. cloud-init runs it to install the service
# ("run": loop); "check" grows once.
# shellcheck source=05-host-lib.sh
. "${GB_ROOT:-}/usr/local/lib/genomics-batch/lib.sh" || { shutdown -h now; exit 1; }
state=$R/var/lib/genomics-batch

add_device() {
  pvcreate -y "$1"
  vgextend -y "$vg" "$1"
  lvextend -i 1 -l +100%FREE "$vg/data"
  xfs_growfs "$GB_DATA_DIR"
  log "added $1 to the data storage"
}

new_volume() {
  local size=$1 iops tp imds iid az vol dev l ec2
  iops=$((size * 500 < GB_IOPS ? size * 500 : GB_IOPS))
  iops=$((iops < 3000 ? 3000 : iops))
  tp=$((GB_THROUGHPUT > iops / 4 ? iops / 4 : GB_THROUGHPUT))
  for l in {c..z}; do
    dev=/dev/xvd$l
    [ -e "$R$dev" ] || grep -qx "$dev" "$state/devices" 2>/dev/null || break
  done
  imds="X-aws-ec2-metadata-token: $(curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' \
    http://169.254.169.254/latest/api/token)"
  meta() { curl -fsS -H "$imds" "http://169.254.169.254/latest/meta-data/$1"; }
  iid=$(meta instance-id)
  az=$(meta placement/availability-zone)
  ec2=(aws --region "$(meta placement/region)" ec2)
  vol=$("${ec2[@]}" create-volume --availability-zone "$az" --volume-type gp3 --size "$size" --iops "$iops" \
    --throughput "$tp" --encrypted --query VolumeId --output text \
    --tag-specifications "ResourceType=volume,Tags=[{Key=$GB_TAG_KEY,Value=$GB_TAG_VALUE}]")
  echo "$dev" >> "$state/devices"
  if ! "${ec2[@]}" wait volume-available --volume-ids "$vol" \
    || ! "${ec2[@]}" attach-volume --volume-id "$vol" --instance-id "$iid" --device "$dev" >/dev/null; then
    "${ec2[@]}" delete-volume --volume-id "$vol" || true
    fail_soft "could not attach $vol; deleted it"
  fi
  "${ec2[@]}" wait volume-in-use --volume-ids "$vol"
  "${ec2[@]}" modify-instance-attribute --instance-id "$iid" \
    --block-device-mappings "[{\"DeviceName\":\"$dev\",\"Ebs\":{\"DeleteOnTermination\":true}}]"
  for _ in $(seq 60); do [ -e "$R$dev" ] && break; sleep 1; done
  [ -e "$R$dev" ] || fail_soft "$vol attached, but $dev never appeared"
  add_device "$dev"
}

fail_soft() { log "$*"; exit 1; }

check() {
  local size avail total room grow
  read -r size avail < <(df -B1G --output=size,avail "$GB_DATA_DIR" | tail -n 1)
  ((avail * 100 < GB_MIN_FREE_PERCENT * size)) || return 0
  if [ -s "$state/spare-device" ]; then
    add_device "$(cat "$state/spare-device")"
    : > "$state/spare-device"
    return 0
  fi
  total=$(vgs --noheadings --nosuffix --units g -o vg_size "$vg")
  total=${total// /}
  total=${total%%.*}
  room=$((GB_MAX_GIB - total))
  if ((room < 1)); then
    [ -e "$state/at-cap" ] || log "$avail of $size GiB free, at the cap of $GB_MAX_GIB GiB: not growing"
    touch "$state/at-cap"
    return 0
  fi
  grow=$((total > GB_INITIAL_GIB ? total : GB_INITIAL_GIB))
  grow=$((grow > room ? room : grow))
  grow=$((grow > 65536 ? 65536 : grow))
  log "$avail of $size GiB free: adding a $grow GiB gp3 volume"
  new_volume "$grow"
}

case ${1:-install} in
  check) set -Eeuo pipefail; check ;;
  # Each check is its own process, so that errexit ends a failed one there.
  run) while :; do "$0" check || log "growth failed; retrying"; sleep "${GB_GROW_INTERVAL:-20}"; done ;;
  install)
    fail_closed
    step="installing storage growth"
    mkdir -p "$state"
    install_service grow "grow the data storage before it fills" run
    finished growth
    ;;
esac
