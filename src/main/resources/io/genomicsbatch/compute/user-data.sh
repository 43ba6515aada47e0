#!/bin/bash
# genomics-batch host provisioning (UserData.java): the host scripts, compressed (gzip, then base64),
# unpack to /usr/local/lib/genomics-batch and lib.sh runs them in order. If they cannot be unpacked,
# the host powers off (cloud-init logs the message to the console): the launch template makes that a
# termination.
d=${GB_ROOT:-}/usr/local/lib/genomics-batch
set -o pipefail
mkdir -p "$d" && cd "$d" && base64 -d <<'GB_BUNDLE' | gzip -dc | bash && exec bash "$d/lib.sh" boot
@BUNDLE@
GB_BUNDLE
echo "genomics-batch: provisioning failed: unpacking the host scripts; shutting down" >&2
shutdown -h now
exit 1
