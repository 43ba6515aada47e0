#!/bin/bash
# ECS agent settings for genomics hosts. AWS Batch writes its own settings (ECS_CLUSTER) to the
# same file, so this part only ever appends (>>); overwriting it leaves the host outside the cluster.
set -euo pipefail

cat >> "${GB_ROOT:-}/etc/ecs/ecs.config" <<'ECS'
ECS_ENABLE_SPOT_INSTANCE_DRAINING=true
ECS_IMAGE_PULL_BEHAVIOR=prefer-cached
ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION=10m
ECS_ENABLE_UNTRACKED_IMAGE_CLEANUP=true
ECS_IMAGE_CLEANUP_INTERVAL=30m
ECS_IMAGE_MINIMUM_CLEANUP_AGE=1h
ECS_NUM_IMAGES_DELETE_PER_CYCLE=10
ECS_CONTAINER_STOP_TIMEOUT=90s
ECS
