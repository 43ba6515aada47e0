#!/bin/bash
# Removes what ended jobs left on the data storage, never by age alone. /scratch/<job ID> (array
# children "<id>:<index>", multi-node nodes "<id>#<node>"): when no unfinished container has that
# AWS_BATCH_JOB_ID; if Docker cannot tell, nothing. /scratch/tasks, the tasks' shared /tmp: each
# entry that no process works in or holds open (seen from the host, as /tmp/<entry> in a task or
# /scratch/tasks/<entry>) and in which nothing changed for 10 minutes (a task just starting).
# cloud-init runs it to install a timer; "run" cleans once.
# shellcheck source=lib.sh
. "${GB_ROOT:-}/usr/local/lib/genomics-batch/lib.sh" || { shutdown -h now; exit 1; }
job_dir='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}([:#][0-9]+)?$'

clean() {
  local d ids env live=" " candidates=() used
  # Directories first, then containers and processes: a job starting in between is seen as live.
  for d in "$R"/scratch/*/; do
    d=$(basename "$d")
    if [[ $d =~ $job_dir ]]; then candidates+=("$d"); fi
  done
  used=" $(find "$R"/proc/[0-9]*/cwd "$R"/proc/[0-9]*/fd -maxdepth 1 -type l -printf '%l\n' 2>/dev/null |
    sed -nE 's#^(/tmp|/scratch/tasks)/([^/]+).*#\2#p' | sort -u | tr '\n' ' ')"
  for d in "$R"/scratch/tasks/* "$R"/scratch/tasks/.[!.]*; do
    if [[ ! -e $d || $used == *" ${d##*/} "* ]] || [ -n "$(find "$d" -mmin -10 -print -quit)" ]; then continue; fi
    rm -rf --one-file-system -- "$d"
    log "removed /scratch/tasks/${d##*/}: no task uses it"
  done
  [ "${#candidates[@]}" -gt 0 ] || return 0
  ids=$(docker ps -q --no-trunc -f status=created -f status=running -f status=restarting -f status=paused) \
    || { log "docker ps failed: removing nothing"; return 1; }
  if [ -n "$ids" ]; then
    mapfile -t ids <<< "$ids"
    env=$(docker inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "${ids[@]}") \
      || { log "docker inspect failed: removing nothing"; return 1; }
    while read -r d; do live+="$d ${d%%[:#]*} "; done < <(sed -n 's/^AWS_BATCH_JOB_ID=//p' <<< "$env")
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
    install_service scratch-cleanup "remove what ended jobs left on /scratch" run OnUnitActiveSec=10min
    ;;
esac
