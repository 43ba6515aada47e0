#!/bin/bash
# This environment's host settings, filled in by the launch template (UserData.java) and read by the
# other parts and the host services. Same settings, same text: the template changes only when they do.
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
GB_EBS_DEVICE=@EBS_DEVICE@
GB_DATA_DIR=@DATA_DIR@
ENV
