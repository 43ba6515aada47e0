#!/bin/bash
# The hosts' shared functions, sourced by every part and host service. The user data unpacks the
# parts beside this file (/usr/local/lib/genomics-batch) and runs "lib.sh boot"; the boot watchdog
# runs "lib.sh watchdog", and after a reboot genomics-batch-storage.service runs "lib.sh storage".
# GB_ROOT (empty on hosts) is the tests' root.
R=${GB_ROOT:-}
# shellcheck disable=SC2034 # used by the scripts that source this
vg=genomics-batch
step=start
log() { echo "genomics-batch: $*" >&2; logger -t genomics-batch "$*" || true; }
# To the console too: what `aws ec2 get-console-output` shows.
say() { log "$*"; echo "genomics-batch: $*" >> "$R/dev/console" 2>/dev/null || true; }
# Every network call is bounded: a host without a route fails in about a minute, never hangs.
net() { curl -fsS --connect-timeout 10 --max-time 600 --retry 3 --retry-max-time 900 "$@"; }
# imds PATH: instance metadata, IMDSv2.
imds() {
  local t
  t=$(net -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token) &&
    net -H "X-aws-ec2-metadata-token: $t" "http://169.254.169.254/latest/meta-data/$1"
}
# The ProvisioningFailed metric, signed with the instance role's credentials (curl: no AWS CLI yet).
metric() {
  local region domain role creds v k=() url
  region=$(imds placement/region) && domain=$(imds services/domain) && role=$(imds iam/security-credentials/) &&
    creds=$(imds "iam/security-credentials/$role") || return 1
  for v in AccessKeyId SecretAccessKey Token; do
    k+=("$(sed -n "s/.*\"$v\" *: *\"\([^\"]*\)\".*/\1/p" <<< "$creds")")
  done
  url=${AWS_ENDPOINT_URL:-https://monitoring.$region.$domain}
  net --aws-sigv4 "aws:amz:$region:monitoring" --user "${k[0]}:${k[1]}" -H "x-amz-security-token: ${k[2]}" \
    -d Action=PutMetricData -d Version=2010-08-01 -d Namespace=GenomicsBatch \
    -d MetricData.member.1.MetricName=ProvisioningFailed -d MetricData.member.1.Value=1 \
    -d MetricData.member.1.Dimensions.member.1.Name=Environment \
    -d "MetricData.member.1.Dimensions.member.1.Value=${GB_TAG_VALUE:-unknown}" "$url/" >/dev/null
}
# Logs to the console and the journal, puts the metric, powers off: the launch template makes that
# a termination. "fail MESSAGE force" skips the orderly stop of units (a hung step may never stop).
fail() {
  local msg="provisioning failed: $1; shutting down" failed=$R/run/genomics-batch/failed
  if [ -e "$failed" ] && [ -z "${2:-}" ]; then exit 1; fi
  mkdir -p "${failed%/*}" && touch "$failed"
  echo "genomics-batch: $msg" | tee -a "$R/dev/console" >&2
  logger -t genomics-batch -p user.crit "$msg" || true
  metric || log "could not put the ProvisioningFailed metric"
  if [ -n "${2:-}" ]; then systemctl poweroff --force || true; else shutdown -h now || true; fi
  exit 1
}
fail_closed() { set -Eeuo pipefail; trap 'fail "$step (line $LINENO)"' ERR; }
# Data storage in place: Docker's data root, /scratch and /cromwell_root are mounts of it.
storage_ok() {
  local m
  for m in /var/lib/docker /scratch /cromwell_root; do
    mountpoint -q "$m" || fail "$m is not on the data storage"
  done
}
# Installs the calling script as /usr/local/sbin/genomics-batch-NAME, run by a systemd unit as
# "NAME ARG"; with a timer spec (OnUnitActiveSec=...) as a oneshot service on that timer.
install_service() {
  local name=genomics-batch-$1 what=$2 arg=$3 timer=${4:-} unit=$R/etc/systemd/system/genomics-batch-$1
  install -D -m 0755 "$0" "$R/usr/local/sbin/$name"
  mkdir -p "$R/etc/systemd/system"
  printf '[Unit]\nDescription=genomics-batch: %s\nAfter=docker.service network-online.target\n\n[Service]\n' \
    "$what" > "$unit.service"
  if [ -n "$timer" ]; then
    printf 'Type=oneshot\nExecStart=/usr/local/sbin/%s %s\n' "$name" "$arg" >> "$unit.service"
    printf '[Timer]\nOnBootSec=10min\n%s\n\n[Install]\nWantedBy=timers.target\n' "$timer" > "$unit.timer"
    unit=$name.timer
  else
    printf 'ExecStart=/usr/local/sbin/%s %s\nRestart=always\nRestartSec=30\n\n[Install]\nWantedBy=multi-user.target\n' \
      "$name" "$arg" >> "$unit.service"
    unit=$name.service
  fi
  systemctl daemon-reload
  systemctl enable "$unit"
  systemctl start --no-block "$unit"
}
# shellcheck source=/dev/null
[ ! -e "$R/etc/genomics-batch/host.env" ] || . "$R/etc/genomics-batch/host.env"

# Holds the ECS agent back (ecs.service starts only once /run/genomics-batch/ready exists, see
# 90-release-ecs.sh), then runs the parts in order, each its own process, timing each. A part that
# exits non-zero ends provisioning, whether or not it called fail itself.
boot() {
  local part name start
  fail_closed
  step="holding the ECS agent"
  mkdir -p "$R/run/systemd/system/ecs.service.d" "$R/run/genomics-batch"
  printf '[Unit]\nConditionPathExists=/run/genomics-batch/ready\n' \
    > "$R/run/systemd/system/ecs.service.d/50-genomics-batch.conf"
  systemctl daemon-reload
  if systemctl is-active --quiet ecs.service; then systemctl stop ecs.service; fi
  for part in "${BASH_SOURCE[0]%/*}"/[0-9][0-9]-*.sh; do
    name=${part##*/} start=$SECONDS
    bash "$part" || fail "$name exited with status $?"
    touch "$R/run/genomics-batch/$name.done"
    say "$name done in $((SECONDS - start)) s"
    # shellcheck source=/dev/null
    . "$R/etc/genomics-batch/host.env"
  done
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case ${1:-} in
    boot) boot ;;
    watchdog) [ -e "$R/run/genomics-batch/ready" ] ||
      fail "boot watchdog: the ECS agent was not released within ${GB_BOOT_TIMEOUT_MINUTES:-?} minutes" force ;;
    storage) step="checking the data storage after a reboot"; storage_ok ;;
    *) exit 2 ;;
  esac
fi
