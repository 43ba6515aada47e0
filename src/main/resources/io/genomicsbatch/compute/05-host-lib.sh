#!/bin/bash
# Shared by the host scripts. Run by cloud-init, it installs itself and holds the ECS agent back
# (ecs.service starts only once /run/genomics-batch/ready exists, see 90-release-ecs.sh); sourced, it
# loads host.env and gives fail-closed error handling. GB_ROOT (empty on hosts) is the tests' root.
R=${GB_ROOT:-}
# shellcheck disable=SC2034 # used by the scripts that source this
vg=genomics-batch
step=start
log() { echo "genomics-batch: $*" >&2; logger -t genomics-batch "$*" || true; }
# Log to the console and the journal, then power off: the launch template makes that a termination.
fail() {
  local msg="genomics-batch: provisioning failed: $*; shutting down"
  echo "$msg" >&2
  echo "$msg" >> "$R/dev/console" 2>/dev/null || true
  logger -t genomics-batch -p user.crit "$msg" || true
  shutdown -h now || true
  exit 1
}
fail_closed() { set -Eeuo pipefail; trap 'fail "$step (line $LINENO)"' ERR; }
finished() { mkdir -p "$R/run/genomics-batch" && touch "$R/run/genomics-batch/$1.done"; }
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

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  fail_closed
  step="holding the ECS agent"
  install -D -m 0644 "$0" "$R/usr/local/lib/genomics-batch/lib.sh"
  mkdir -p "$R/run/systemd/system/ecs.service.d"
  printf '[Unit]\nConditionPathExists=/run/genomics-batch/ready\n' \
    > "$R/run/systemd/system/ecs.service.d/50-genomics-batch.conf"
  systemctl daemon-reload
  if systemctl is-active --quiet ecs.service; then systemctl stop ecs.service; fi
  finished lib
fi
