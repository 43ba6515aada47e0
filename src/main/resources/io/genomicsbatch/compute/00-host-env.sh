#!/bin/bash
# This environment's host settings, filled in by the launch template (UserData.java) and read by the
# other parts and the host services (same settings, same text: the template changes only when they
# do); the AWS CLI team's signing key; then the boot watchdog, so that nothing after can hang a host.
set -euo pipefail
mkdir -p "${GB_ROOT:-}/etc/genomics-batch"
cat > "${GB_ROOT:-}/etc/genomics-batch/host.env" <<'ENV'
GB_TAG_KEY=@TAG_KEY@
GB_TAG_VALUE=@TAG_VALUE@
GB_INITIAL_GIB=@INITIAL_GIB@
GB_IOPS=@IOPS@
GB_THROUGHPUT=@THROUGHPUT@
GB_MAX_GIB=@MAX_GIB@
GB_MIN_FREE_PERCENT=@MIN_FREE_PERCENT@
GB_ROOT_DEVICE=@ROOT_DEVICE@
GB_EBS_DEVICE=@EBS_DEVICE@
GB_DATA_DIR=@DATA_DIR@
GB_BOOT_TIMEOUT_MINUTES=@BOOT_TIMEOUT_MINUTES@
GB_CLI_URL=@CLI_URL@
GB_CLI_VERSION=@CLI_VERSION@
GB_CLI_FINGERPRINT=@CLI_FINGERPRINT@
ENV
cat > "${GB_ROOT:-}/etc/genomics-batch/aws-cli.asc" <<'KEY'
@CLI_KEY@
KEY
# Powers the host off unless 90-release-ecs.sh released the ECS agent by then (lib.sh watchdog).
systemd-run --quiet --unit=genomics-batch-watchdog --on-boot=@BOOT_TIMEOUT_MINUTES@min \
  /bin/bash /usr/local/lib/genomics-batch/lib.sh watchdog
