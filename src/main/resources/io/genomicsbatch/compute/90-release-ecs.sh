#!/bin/bash
# Last part: only when every step finished may the ECS agent start (05-host-lib.sh holds it).
# shellcheck source=05-host-lib.sh
. "${GB_ROOT:-}/usr/local/lib/genomics-batch/lib.sh" || { shutdown -h now; exit 1; }
fail_closed
step="releasing the ECS agent"
for done in lib ecs-config storage tools growth cleanup; do
  [ -e "$R/run/genomics-batch/$done.done" ] || fail "step $done did not complete"
done
touch "$R/run/genomics-batch/ready"
# ecs.service is ordered after cloud-final, which runs this: queue its start, don't wait.
systemctl start --no-block ecs.service
log "host provisioned; ECS agent released"
