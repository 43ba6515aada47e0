#!/bin/bash
# Last part: only when every other part finished may the ECS agent start (lib.sh boot holds it).
# shellcheck source=lib.sh
. "${GB_ROOT:-}/usr/local/lib/genomics-batch/lib.sh" || { shutdown -h now; exit 1; }
fail_closed
step="releasing the ECS agent"
for part in "${0%/*}"/[0-9][0-9]-*.sh; do
  [ "$part" -ef "$0" ] || [ -e "$R/run/genomics-batch/${part##*/}.done" ] || fail "${part##*/} did not complete"
done
touch "$R/run/genomics-batch/ready"
# The watchdog checks for ready anyway.
systemctl stop genomics-batch-watchdog.timer || true
# ecs.service is ordered after cloud-final, which runs this: queue its start, don't wait.
systemctl start --no-block ecs.service
say "host provisioned; ECS agent released"
