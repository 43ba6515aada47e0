#!/bin/bash
# genomics-batch host provisioning (UserData.java), for hosts with a shared file system, whose scripts
# would not fit as base64 (user-data.sh): the host scripts, compressed (gzip, then base85, which Python,
# cloud-init's own runtime, decodes), unpack to /usr/local/lib/genomics-batch and lib.sh runs them in order. If they cannot be unpacked, the host powers off (cloud-init logs the message to
# the console): the launch template makes that a termination.
d=${GB_ROOT:-}/usr/local/lib/genomics-batch
set -o pipefail
mkdir -p "$d" && cd "$d" && python3 -c 'import base64,sys,zlib
sys.stdout.buffer.write(zlib.decompress(base64.b85decode(sys.stdin.read().replace("\n","")),31))' <<'GB_BUNDLE' | bash && exec bash "$d/lib.sh" boot
@BUNDLE@
GB_BUNDLE
echo "genomics-batch: provisioning failed: unpacking the host scripts; shutting down" >&2
shutdown -h now
exit 1
