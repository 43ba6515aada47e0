#!/bin/bash
# Removes /scratch/<job ID> directories whose Batch job no longer runs here, never by age. Live jobs:
# AWS_BATCH_JOB_ID of each container Docker has not finished (array children: "<id>:<index>"); if
# Docker cannot tell, nothing is removed. /scratch/tasks, shared by the engines' tasks as their
# /tmp, is emptied only when no Batch job runs on the host. cloud-init runs it to install a timer;
# "run" cleans once.
# shellcheck source=05-host-lib.sh
. "${GB_ROOT:-}/usr/local/lib/genomics-batch/lib.sh" || { shutdown -h now; exit 1; }
job_dir='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(:[0-9]+)?$'

clean() {
  local d ids env live=" " candidates=() shared
  # Directories first, then containers: a job starting in between is seen as live.
  for d in "$R"/scratch/*/; do
    d=$(basename "$d")
    if [[ $d =~ $job_dir ]]; then candidates+=("$d"); fi
  done
  shared=$(find "$R/scratch/tasks" -mindepth 1 -maxdepth 1 -print -quit 2>/dev/null)
  [ "${#candidates[@]}" -gt 0 ] || [ -n "$shared" ] || return 0
  ids=$(docker ps -q --no-trunc -f status=created -f status=running -f status=restarting -f status=paused) \
    || { log "docker ps failed: removing nothing"; return 1; }
  if [ -n "$ids" ]; then
    mapfile -t ids <<< "$ids"
    env=$(docker inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "${ids[@]}") \
      || { log "docker inspect failed: removing nothing"; return 1; }
    while read -r d; do live+="$d ${d%%:*} "; done < <(sed -n 's/^AWS_BATCH_JOB_ID=//p' <<< "$env")
  fi
  # No Batch job on the host (the ECS agent's own container does not count): nothing uses the
  # tasks' shared /tmp. Entries changed in the last 10 minutes stay, for a job starting meanwhile.
  if [ "$live" = " " ] && [ -n "$shared" ]; then
    find "$R/scratch/tasks" -mindepth 1 -maxdepth 1 -xdev -mmin +10 -exec rm -rf --one-file-system -- {} +
    log "emptied /scratch/tasks: no job runs here"
  fi
  for d in "${candidates[@]}"; do
    if [[ $live != *" $d "* ]]; then
      rm -rf --one-file-system -- "$R/scratch/$d"
      log "removed /scratch/$d: its job no longer runs here"
    fi
  done
}

case ${1:-install} in
  run) set -uo pipefail; clean ;;
  install)
    fail_closed
    step="installing scratch cleanup"
    install_service scratch-cleanup "remove /scratch directories of ended jobs" run OnUnitActiveSec=10min
    finished cleanup
    ;;
esac
